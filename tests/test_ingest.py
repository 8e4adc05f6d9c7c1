"""Ingestion through the `chemsafe` command and the importable functions.

Encodings (CP949, UTF-8 with BOM), the manifest, files that are not extracts, and the
all-or-nothing rule: a load that fails for a missing or doubled column, an undecodable
file, an empty or missing file leaves the previous load and the warehouse as
they were.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from chemsafe.contract import FILES
from chemsafe.contract_doc import READ_CSV
from chemsafe.ingest import IngestError, ingest
from chemsafe.paths import DataPaths
from conftest import FIXTURES, chemsafe, query

BAD_ROWS = FIXTURES / "bad_rows"
CONTRACT_FILES = sorted(f.file_name for f in FILES)
ADMIN_HEADER = "action_id,site_id,issued_on,action_type,legal_basis,amount_krw\n"
FACILITY_NAMES = {  # facilities.csv is CP949; '똠' is a CP949 extension syllable
    "F01": "제1 저장탱크", "F02": "반응공정 라인", "F03": "똠방 하역장", "F04": "폐기물 보관소",
}


@dataclass(frozen=True)
class Loaded:
    extracts: Path
    data_dir: Path
    warehouse: Path
    ingest_stdout: str


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Loaded:
    """The bad_rows extracts plus a header-only file and non-extract files, ingested,
    and the part of the project these tests read built from them."""
    root = tmp_path_factory.mktemp("ingest")
    extracts = root / "extracts"
    shutil.copytree(BAD_ROWS, extracts)
    (extracts / "admin_actions.csv").write_text(ADMIN_HEADER, encoding="utf-8")
    (extracts / "notes.txt").write_text("not an extract\n", encoding="utf-8")
    (extracts / "findings_2024.csv").write_text("finding_id\nOLD-1\n", encoding="utf-8")
    (extracts / "archive").mkdir()
    (extracts / "archive" / "findings.csv").write_text("finding_id\nOLD-2\n", encoding="utf-8")
    data_dir = root / "data"
    result = chemsafe(data_dir, "ingest", str(extracts))
    chemsafe(
        data_dir, "build", "--select", "+stg_ehs__facilities", "+stg_ehs__inspections",
        "+stg_ehs__admin_actions", "+stg_ehs__moc_records", "+ingest_manifest",
        "--indirect-selection", "cautious",
    )
    return Loaded(extracts, data_dir, data_dir / "chemsafe.duckdb", result.stdout)


def manifest(warehouse: Path) -> dict[str, dict[str, object]]:
    columns = ("source_file", "sha256", "size_bytes", "encoding", "records_read",
               "malformed_records", "extra_columns", "source_path", "load_id")
    rows = query(warehouse, f"select {', '.join(columns)} from audit.ingest_manifest")
    return {row[0]: dict(zip(columns, row, strict=True)) for row in rows}


def read_seed(load_dir: Path, name: str) -> list[dict[str, str]]:
    with (load_dir / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- encodings ---------------------------------------------------------------------


@pytest.mark.slow
def test_encodings_detected(loaded):
    encodings = {name: row["encoding"] for name, row in manifest(loaded.warehouse).items()}
    assert encodings.pop("facilities.csv") == "CP949"
    assert encodings.pop("inspections.csv") == "UTF-8 (BOM)"
    assert set(encodings.values()) == {"UTF-8"}


@pytest.mark.slow
def test_cp949_korean_text_round_trips_exactly(loaded):
    original = (BAD_ROWS / "facilities.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        original.decode("utf-8")
    assert "똠".encode("cp949") == b"\x8cc"  # a CP949 extension (lead byte below 0xA1)
    source = {row[0]: row[2] for row in csv.reader(io.StringIO(original.decode("cp949")))}
    staged = dict(query(loaded.warehouse,
                        "select facility_id, facility_name from staging.stg_ehs__facilities"))
    assert staged == FACILITY_NAMES
    assert staged == {key: source[key] for key in staged}
    assert dict(query(loaded.warehouse,
                      "select facility_id, facility_type from staging.stg_ehs__facilities")) \
        == {"F01": "STORAGE", "F02": "PROCESS", "F03": "LOADING", "F04": "WASTE"}
    # the converted file is UTF-8 whatever the source encoding, and keeps the cells as read
    load_dir = (loaded.data_dir / "ingest" / "current").resolve()
    raw = {r["facility_id"]: r["facility_type"] for r in read_seed(load_dir, "raw_facilities")}
    assert raw["F02"] == "제조·사용"


@pytest.mark.slow
def test_bom_detected_and_first_column_matched(loaded):
    assert (BAD_ROWS / "inspections.csv").read_bytes().startswith(codecs.BOM_UTF8)
    row = manifest(loaded.warehouse)["inspections.csv"]
    assert row["encoding"] == "UTF-8 (BOM)"
    assert row["extra_columns"] is None  # no '\ufeffinspection_id' column
    assert query(loaded.warehouse,
                 "select inspection_id, facility_id from staging.stg_ehs__inspections "
                 "order by 1") == [("IN01", "F01"), ("IN02", "F02"), ("IN03", "F03")]
    load_dir = (loaded.data_dir / "ingest" / "current").resolve()
    raw_ids = [r["inspection_id"] for r in read_seed(load_dir, "raw_inspections")]
    assert raw_ids == ["IN01", "IN02", "IN03", "IN09", "IN04"]


# --- the manifest ------------------------------------------------------------------


@pytest.mark.slow
def test_manifest_fingerprints_every_file_as_read(loaded):
    rows = manifest(loaded.warehouse)
    assert sorted(rows) == CONTRACT_FILES
    assert len({row["load_id"] for row in rows.values()}) == 1
    for name, row in rows.items():
        data = (loaded.extracts / name).read_bytes()
        assert row["sha256"] == hashlib.sha256(data).hexdigest(), name
        assert row["size_bytes"] == len(data), name
        assert Path(str(row["source_path"])) == (loaded.extracts / name).resolve(), name
    # and for the untouched fixture files, the hash of the committed bytes
    for name in CONTRACT_FILES:
        if name != "admin_actions.csv":
            expected = hashlib.sha256((BAD_ROWS / name).read_bytes()).hexdigest()
            assert rows[name]["sha256"] == expected, name


@pytest.mark.slow
def test_manifest_counts_records_malformed_and_extra_columns(loaded):
    rows = manifest(loaded.warehouse)
    assert rows["findings.csv"]["records_read"] == 14  # blank lines not counted
    assert rows["contractors.csv"]["records_read"] == 7
    assert {name: row["malformed_records"] for name, row in rows.items()
            if row["malformed_records"]} == {"contractors.csv": 3, "training_signin.csv": 1}
    assert {name: row["extra_columns"] for name, row in rows.items()
            if row["extra_columns"] is not None} == {"moc_records.csv": "remarks"}


@pytest.mark.slow
def test_files_that_are_not_extracts_are_ignored_and_reported(loaded):
    out = loaded.ingest_stdout
    assert "ignored (not an extract of the contract): notes.txt" in out
    assert "ignored (not an extract of the contract): findings_2024.csv" in out
    assert "OLD-1" not in out
    rows = manifest(loaded.warehouse)
    assert Path(str(rows["findings.csv"]["source_path"])).parent == loaded.extracts.resolve()
    load_dir = (loaded.data_dir / "ingest" / "current").resolve()
    assert [r["finding_id"] for r in read_seed(load_dir, "raw_findings")][:2] == ["FD01", "FD02"]
    assert "OLD-" not in "".join(p.read_text(encoding="utf-8") for p in load_dir.iterdir())


@pytest.mark.slow
def test_header_only_file_loads_as_no_rows(loaded):
    assert manifest(loaded.warehouse)["admin_actions.csv"]["records_read"] == 0
    assert query(loaded.warehouse, "select count(*) from staging.stg_ehs__admin_actions") \
        == [(0,)]


@pytest.mark.slow
def test_extra_column_ignored_downstream(loaded):
    columns = [r[0] for r in query(
        loaded.warehouse,
        "select column_name from information_schema.columns "
        "where table_schema = 'staging' and table_name = 'stg_ehs__moc_records'")]
    assert "remarks" not in columns
    assert query(loaded.warehouse,
                 "select change_id from staging.stg_ehs__moc_records order by 1") == [
        ("M01",), ("M02",), ("M05",)]


@pytest.mark.slow
def test_extra_column_kept_in_raw_as_json(loaded):
    """_extras holds the extra cells as JSON, exactly as the ingestion wrote them.

    The converted file is right (checked first); the source as the engine reads it must
    hold the same text. A reader that leaves the quote character to DuckDB's sniffer can
    pick ' for this file and keep the CSV quoting inside the value.
    """
    load_dir = (loaded.data_dir / "ingest" / "current").resolve()
    in_seed_file = [(int(r["_line"]), r["_extras"]) for r in read_seed(load_dir, "raw_moc_records")]
    source = READ_CSV.format(folder=load_dir, identifier="raw_moc_records")
    in_table = query(loaded.warehouse,
                     f"select cast(_line as integer), coalesce(_extras, '') from {source} "
                     "order by 1")
    expected = [
        (2, {"remarks": "밸브 교체"}), (3, {"remarks": ""}), (4, {"remarks": "비고 A"}),
        (5, {"remarks": "비고 B"}), (6, {"remarks": ""}), (7, {"remarks": "압력 변경"}),
        (8, {"remarks": "압력 변경"}),
    ]
    assert [(line, json.loads(text)) for line, text in in_seed_file] == expected
    assert in_table == in_seed_file


@pytest.mark.slow
def test_raw_seeds_are_in_contract_order_with_physical_lines(loaded):
    load_dir = (loaded.data_dir / "ingest" / "current").resolve()
    drills = read_seed(load_dir, "raw_drills")
    assert list(drills[0]) == ["_line", *next(f for f in FILES if f.name == "drills")
                               .column_names, "_extras", "_masked_digest"]
    assert drills[0] == {
        "_line": "2", "drill_id": "D01", "site_id": "S01", "drill_on": "2025-04-15",
        "scenario": "염소 누출 대응", "scenario_risk": "고", "participants_planned": "20.0",
        "participants_actual": "18", "evaluation": "적합", "_extras": "", "_masked_digest": "",
    }
    findings = read_seed(load_dir, "raw_findings")
    assert [int(r["_line"]) for r in findings] == [2, 3, *range(7, 19)]
    assert findings[1]["description"] == "가스누출감지기 교정 기한 경과\n재발 방지 대책 필요"
    contractors = read_seed(load_dir, "raw_contractors")
    assert contractors[2] == {  # cells are kept untrimmed in raw
        "_line": "4", "contractor_id": "  C01 ", "contractor_name": "\t한빛건설  ", "_extras": "",
        "_masked_digest": ""}
    malformed = read_seed(load_dir, "raw__malformed_rows")
    assert [(r["source_file"], r["line_number"], r["field_count"], r["expected_field_count"])
            for r in malformed] == [
        ("training_signin.csv", "3", "5", "4"),
        ("contractors.csv", "6", "3", "2"),
        ("contractors.csv", "7", "1", "2"),
        ("contractors.csv", "8", "1", "2"),
    ]


# --- all or nothing ------------------------------------------------------------------


def _rewrite_csv(path: Path, change: Callable[[list[list[str]]], list[list[str]]]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.reader(handle) if row]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(change(rows))


def _drop_column(name: str) -> Callable[[list[list[str]]], list[list[str]]]:
    def change(rows: list[list[str]]) -> list[list[str]]:
        at = [h.strip().lower() for h in rows[0]].index(name)
        return [row[:at] + row[at + 1:] for row in rows]
    return change


def _add_column(header: str, rename: tuple[str, str] | None = None
                ) -> Callable[[list[list[str]]], list[list[str]]]:
    def change(rows: list[list[str]]) -> list[list[str]]:
        head = [rename[1] if rename and h == rename[0] else h for h in rows[0]]
        return [[*head, header], *([*row, "x"] for row in rows[1:])]
    return change


def missing_column(folder: Path) -> None:
    _rewrite_csv(folder / "findings.csv", _drop_column("severity"))


def missing_column_in_last_file(folder: Path) -> None:
    _rewrite_csv(folder / "production.csv", _drop_column("value_added_krw_m"))


def doubled_column_after_normalising(folder: Path) -> None:
    _rewrite_csv(folder / "findings.csv", _add_column(" severity", ("severity", "Severity")))


def doubled_extra_column(folder: Path) -> None:
    _rewrite_csv(folder / "moc_records.csv", _add_column("REMARKS "))


def neither_utf8_nor_cp949(folder: Path) -> None:
    (folder / "sites.csv").write_bytes(
        b"site_id,site_name,region,ksic_code\nS01,\xff\xfe\xfa\xff,x,1\n")


def bom_but_not_utf8(folder: Path) -> None:
    (folder / "inspections.csv").write_bytes(
        codecs.BOM_UTF8 + "inspection_id,facility_id,inspection_type,inspected_on,inspector,"
        "result\nIN01,F01,정기검사,2025-02-10,".encode() + "검사원".encode("cp949") + b",PASS\n")


def missing_file(folder: Path) -> None:
    (folder / "production.csv").unlink()


def empty_file(folder: Path) -> None:
    (folder / "findings.csv").write_bytes(b"")


def only_blank_lines(folder: Path) -> None:
    (folder / "contractors.csv").write_bytes(b"\n   \n\t\n")


# (how to break the extracts, words the error message must contain)
FAILURES: dict[str, tuple[Callable[[Path], None], tuple[str, ...]]] = {
    "missing_column": (missing_column, ("findings.csv", "severity")),
    "missing_column_in_last_file": (missing_column_in_last_file,
                                    ("production.csv", "value_added_krw_m")),
    "doubled_column": (doubled_column_after_normalising, ("findings.csv", "severity", "twice")),
    "doubled_extra_column": (doubled_extra_column, ("moc_records.csv", "remarks", "twice")),
    "undecodable": (neither_utf8_nor_cp949, ("sites.csv", "CP949")),
    "bom_not_utf8": (bom_but_not_utf8, ("inspections.csv",)),
    "missing_file": (missing_file, ("production.csv", "missing")),
    "empty_file": (empty_file, ("findings.csv",)),
    "only_blank_lines": (only_blank_lines, ("contractors.csv",)),
}


def broken_extracts(folder: Path, case: str) -> Path:
    shutil.copytree(BAD_ROWS, folder)
    FAILURES[case][0](folder)
    return folder


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(data_dir: Path) -> dict[str, object]:
    paths = DataPaths(data_dir)
    current = paths.current_seeds.resolve()
    return {
        "current": os.readlink(paths.current_seeds),
        "loads": sorted(p.name for p in paths.loads_dir.iterdir()),
        "load_files": {p.name: _file_digest(p) for p in sorted(current.iterdir())},
        "warehouse": _file_digest(paths.warehouse),
    }


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(FAILURES))
def test_failed_load_via_cli_changes_nothing(loaded, tmp_path, case):
    extracts = broken_extracts(tmp_path / "extracts", case)
    paths = DataPaths(loaded.data_dir)
    old_load = paths.current_seeds.resolve()
    before = snapshot(loaded.data_dir)
    manifest_before = manifest(loaded.warehouse)

    result = chemsafe(loaded.data_dir, "ingest", str(extracts), check=False)

    assert result.returncode != 0
    for word in FAILURES[case][1]:
        assert word in result.stderr, (word, result.stderr)
    assert "Loaded" not in result.stdout
    assert snapshot(loaded.data_dir) == before
    assert paths.current_seeds.resolve() == old_load
    assert manifest(loaded.warehouse) == manifest_before


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_failed_load_via_function_publishes_nothing(tmp_path, case):
    extracts = broken_extracts(tmp_path / "extracts", case)
    paths = DataPaths(tmp_path / "data")
    with pytest.raises(IngestError) as failure:
        ingest(extracts, paths)
    for word in FAILURES[case][1]:
        assert word in str(failure.value)
    assert not paths.current_seeds.exists()
    assert not paths.loads_dir.exists() or list(paths.loads_dir.iterdir()) == []


def test_ingest_function_result_and_new_load_on_success(tmp_path):
    paths = DataPaths(tmp_path / "data")
    first = ingest(BAD_ROWS, paths)
    second = ingest(BAD_ROWS, paths)
    assert first.load_id != second.load_id
    assert paths.current_seeds.resolve() == second.load_dir.resolve()
    assert sorted(p.name for p in paths.loads_dir.iterdir()) == sorted(
        [first.load_id, second.load_id])  # the earlier load is kept for the audit trail
    assert first.ignored_files == []
    by_name = {r.extract.file_name: r for r in second.files}
    assert sorted(by_name) == CONTRACT_FILES
    assert by_name["facilities.csv"].fingerprint.label == "CP949"
    assert by_name["inspections.csv"].fingerprint.label == "UTF-8 (BOM)"
    assert by_name["moc_records.csv"].extra_columns == ["remarks"]
    assert by_name["contractors.csv"].malformed == 3
    assert by_name["findings.csv"].records_read == 14
    # drills.csv: header + D01..D09 on lines 2-10, no blank line
    assert (by_name["drills.csv"].records_read, by_name["drills.csv"].extra_columns) == (9, [])


def test_case_variant_of_an_extract_name_is_reported_not_shadowed(tmp_path):
    """With findings.csv present, FINDINGS.csv is not the contract's file: it is ignored
    and reported, never silently dropped or loaded instead."""
    extracts = tmp_path / "extracts"
    shutil.copytree(BAD_ROWS, extracts)
    (extracts / "FINDINGS.csv").write_text("finding_id\nOLD-3\n", encoding="utf-8")
    if len(list(extracts.iterdir())) == len(FILES):
        pytest.skip("case-insensitive file system")
    result = ingest(extracts, DataPaths(tmp_path / "data"))
    assert result.ignored_files == ["FINDINGS.csv"]
    findings = next(r for r in result.files if r.extract.name == "findings")
    assert findings.source_path.name == "findings.csv"
