"""Personal data never leaves staging, in any form (README "Personal identifiers").

A copy of the reconciliation drop gets employee numbers planted where real exports put
them: inside the LMS record ids (`TR-E7310001-01`), in a sign-in sheet number, in free
text (a finding's description, inspectors, a counter, a facility and a site name), in
values that are rejected (a bad date) and in a malformed record. The whole job runs
through the real CLI (`chemsafe run`, `chemsafe reconcile` of every quarter, `chemsafe
publish`), then every string of everything published or reported is scanned for any
employee number of the drop, in any case: the serving file (every column of every table),
the Parquet exports (every column, their metadata and sidecars), the docs page, the
dashboard, publication.json and every file of the auditor reports (HTML, CSV, JSON).
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from chemsafe.paths import DataPaths
from chemsafe.pseudonym import DEMO_KEY, pseudonymise
from conftest import FIXTURES, chemsafe, query

# The drop's employee numbers: E001..E008 of the fixture, renumbered to a form that
# appears nowhere else (in the contract's format, `E` + 3 to 8 digits).
RENUMBERED = {f"E00{n}": f"E731000{n}" for n in range(1, 9)}
EMPLOYEE_NUMBERS = sorted(RENUMBERED.values())
SCAN = re.compile("|".join(EMPLOYEE_NUMBERS), re.IGNORECASE)
MASK = "[employee no.]"
QUARTERS = ("2026-Q1", "2026-Q2", "2026-Q3")


def _rewrite(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    body = [change(dict(zip(header, row, strict=True))) for row in body]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in body:
            writer.writerow([row[name] for name in header] if isinstance(row, dict) else row)


def _plant(drop: Path) -> None:
    def training(row: dict[str, str]) -> dict[str, str]:
        row["employee_no"] = RENUMBERED[row["employee_no"]]
        number = row["record_id"][2:]
        # the LMS embeds the employee number in the record id, in two spellings
        row["record_id"] = (f"TR-{row['employee_no']}-{number}" if number != "02"
                            else f"lms/{row['employee_no'].lower()}/{number}")
        return row

    def signin(row: dict[str, str]) -> dict[str, str]:
        row["employee_no"] = RENUMBERED[row["employee_no"]]
        if row["employee_no"] == "E7310001":
            row["sheet_no"] = f"{row['sheet_no']}/{row['employee_no']}"
        return row

    def planted(column: str, key: str, value: str, text: str):
        def change(row: dict[str, str]) -> dict[str, str]:
            if row[key] == value:
                row[column] = text.format(row[column])
            return row
        return change

    _rewrite(drop / "training_records.csv", training)
    _rewrite(drop / "training_signin.csv", signin)
    _rewrite(drop / "findings.csv",
             planted("description", "finding_id", "FD01", "{} (신고 E7310003)"))
    _rewrite(drop / "inspections.csv",
             planted("inspector", "inspection_id", "IN03", "E7310005 {}"))
    _rewrite(drop / "self_inspection_field.csv",
             planted("inspector", "checklist_no", "SC01", "{} e7310002"))
    _rewrite(drop / "facilities.csv",
             planted("facility_name", "facility_id", "F01", "{} 담당 E7310004"))
    _rewrite(drop / "sites.csv", planted("site_name", "site_id", "S01", "{}(E7310006)"))
    with (drop / "inventory_field.csv").open(encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    lines[1] = lines[1].replace("이현장", "이현장 E7310001", 1)
    (drop / "inventory_field.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with (drop / "training_records.csv").open("a", encoding="utf-8") as handle:
        # rejected (bad_date): the value the quarantine shows quotes the employee number
        handle.write("TR-E7310007-09,E7310007,S01,Y,CHEM-HR,E7310007,,,\n")
        # rejected (orphan_reference): a site id that quotes one
        handle.write("TR-E7310008-10,E7310008,E7310008,Y,CHEM-HR,2026-03-01,,,\n")
    with (drop / "training_signin.csv").open("a", encoding="utf-8") as handle:
        # two sheets whose numbers differ only in the employee number they quote: two keys
        # (the contract compares keys as delivered), so two records, neither a conflict
        handle.write("TS-09/E7310006,E7310008,CHEM-HR,2026-03-02\n")
        handle.write("TS-09/E7310007,E7310008,CHEM-HR,2026-03-02\n")
    with (drop / "findings.csv").open("a", encoding="utf-8") as handle:
        handle.write("FD98,IN01,F01,E7310008,LABELING,2,bad date,,\n")  # bad_date
        handle.write("FD99,IN01,F01,2026-01-20,LABELING,2,E7310006 extra,,,,\n")  # malformed
        # two records that differ only in the employee number their description quotes:
        # two records (a key conflict), even though ingest masks both to the same text
        handle.write("FD97,IN01,F01,2026-01-20,LABELING,2,called E7310001,,\n")
        handle.write("FD97,IN01,F01,2026-01-20,LABELING,2,called E7310002,,\n")
        # two records equal once trimmed, quoting the same number: one record, two copies
        handle.write("FD96,IN01,F01,2026-01-20,LABELING,2,called E7310003,,\n")
        handle.write("FD96,IN01,F01,2026-01-20,LABELING,2, called E7310003 ,,\n")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> DataPaths:
    drop = tmp_path_factory.mktemp("planted") / "drop"
    shutil.copytree(FIXTURES / "reconciliation", drop)
    _plant(drop)
    data_dir = tmp_path_factory.mktemp("planted-data")
    chemsafe(data_dir, "run", "--extracts", str(drop))
    for quarter in QUARTERS:
        result = chemsafe(data_dir, "reconcile", "--quarter", quarter, check=False)
        assert result.returncode in (0, 1), result.stderr
    chemsafe(data_dir, "publish", "--reuse-build")
    return DataPaths(data_dir)


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _hits(text: str) -> list[str]:
    return sorted(set(SCAN.findall(text)))


def _scan_database(path: Path, reader: str | None = None) -> dict[str, list[str]]:
    """Every column of every table (or of one Parquet file), cast to text."""
    found: dict[str, list[str]] = {}
    with duckdb.connect(str(path) if reader is None else ":memory:",
                        read_only=reader is None) as con:
        if reader is None:
            relations = [f'"{s}"."{t}"' for s, t in con.execute(
                "select schema_name, table_name from duckdb_tables()").fetchall()]
        else:
            relations = [reader]
        for relation in relations:
            columns = [d[0] for d in con.execute(f"select * from {relation} limit 0").description]
            for column in columns:
                values = con.execute(f'select distinct cast("{column}" as varchar) '
                                     f"from {relation}").fetchall()
                hits = _hits("\n".join(v for (v,) in values if v is not None))
                if hits:
                    found[f"{relation}.{column}"] = hits
    return found


def _csv_hits(path: Path) -> dict[str, list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found: dict[str, list[str]] = {}
    for column in rows[0] if rows else []:
        hits = _hits("\n".join(row[column] or "" for row in rows))
        if hits:
            found[f"{path.stem}.{column}"] = hits
    return found


def test_the_load_folder_no_engine_reads_holds_no_employee_number(
        published: DataPaths) -> None:
    """Ingest hashes and masks: the files every engine reads (ingest/current) hold no
    employee number, except the one the drop wrote into a site id, a plain id column the
    contract does not mask (it is rejected, and the quarantine shows it masked)."""
    load = published.current_seeds.resolve()
    found: dict[str, list[str]] = {}
    for path in sorted(load.glob("*.csv")):
        found.update(_csv_hits(path))
    assert found == {"raw_training_records.site_id": ["E7310008"]}
    # the drop itself has them where they were planted (the scan can find them)
    drop = Path(_csv(load / "raw__ingest_manifest.csv")[0]["source_path"]).parent
    for name in ("training_records", "training_signin", "findings", "facilities", "sites"):
        assert _hits((drop / f"{name}.csv").read_text(encoding="utf-8")), name


def test_the_warehouse_holds_no_employee_number_either(published: DataPaths) -> None:
    """The engine's own file: only the planted site id, in the models that carry a
    training record's site id as delivered (base and reference check)."""
    found = _scan_database(published.warehouse)
    assert found, "the planted site id should be found"
    assert all(hits == ["E7310008"] for hits in found.values()), found
    assert {name.rsplit(".", 1)[1] for name in found} == {"site_id"}, found


def test_ingest_writes_the_keyed_hash_staging_used_to_compute(published: DataPaths) -> None:
    """employee_no in the load is HMAC-SHA256(demo key, the trimmed number), computed here
    with hmac directly, and every number of the drop appears only that way."""
    import hashlib
    import hmac

    def keyed(value: str) -> str:
        return hmac.new(DEMO_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()

    load = published.current_seeds.resolve()
    for name in ("raw_training_records", "raw_training_signin"):
        numbers = {row["employee_no"] for row in _csv(load / f"{name}.csv")}
        assert numbers <= {keyed(e) for e in EMPLOYEE_NUMBERS}, name
        assert len(numbers) >= 4, name
    staged = {k for (k,) in query(published.warehouse, "select employee_key from "
                                  "staging.stg_field__training_signins")}
    assert staged and staged <= {keyed(e) for e in EMPLOYEE_NUMBERS}
    assert (load / "pseudonym_key.fingerprint").read_text().strip() == hmac.new(
        DEMO_KEY.encode(), b"chemsafe-esg pseudonym key fingerprint v1",
        hashlib.sha256).hexdigest()


def test_masking_at_ingest_keeps_the_duplicate_rule(published: DataPaths) -> None:
    """FD97: two records differing only in a quoted employee number are two records with
    one key (both key_conflict); FD96: equal once trimmed, one record of two copies."""
    assert query(published.warehouse,
                 "select line_number, reason_code from audit.quarantine "
                 "where record_key = 'FD97' order by line_number") == [
        (12, "key_conflict"), (13, "key_conflict")]
    assert query(published.warehouse,
                 "select _line, _copies, description from staging.base_ehs__findings "
                 "where finding_id = 'FD96'") == [(14, 2, f"called {MASK}")]
    malformed = _csv(published.current_seeds.resolve() / "raw__malformed_rows.csv")
    assert [r["raw_record"] for r in malformed if r["source_file"] == "findings.csv"] == [
        f"FD99,IN01,F01,2026-01-20,LABELING,2,{MASK} extra,,,,"]


def test_sheet_numbers_that_differ_only_in_an_employee_number_stay_two_keys(
        published: DataPaths) -> None:
    """Keys are compared as delivered (trimmed, case-sensitively): TS-09/E7310006 and
    TS-09/E7310007 are two sheets. Ingest replaces the number in a key column with a
    keyed pseudonym (letters only, so it can never read as an employee number), not with
    the one mask that would make the two sheets one key."""
    staged = query(published.warehouse,
                   "select source_line, sheet_no from staging.stg_field__training_signins "
                   "where sheet_no like 'TS-09/%' order by source_line")
    assert [line for line, _ in staged] == [8, 9]
    tokens = [re.fullmatch(r"TS-09/\[employee no\. ([a-p]{16})\]", sheet) for _, sheet in staged]
    assert all(tokens) and tokens[0].group(1) != tokens[1].group(1), staged
    assert query(published.warehouse,
                 "select count(*) from audit.quarantine "
                 "where source_file = 'training_signin.csv'") == [(0,)]


def test_serving_file_holds_no_employee_number(published: DataPaths) -> None:
    assert _scan_database(published.serving_db) == {}


def test_parquet_exports_hold_no_employee_number(published: DataPaths) -> None:
    release = published.parquet_exports.resolve()
    parquet_files = sorted(release.rglob("*.parquet"))
    assert len(parquet_files) >= 20
    leaks: dict[str, object] = {}
    for path in parquet_files:
        reader = f"read_parquet('{path}')"
        leaks.update(_scan_database(path, reader))
        metadata = pq.read_schema(path)
        text = str(metadata.metadata) + "".join(str(f.metadata) for f in metadata)
        if _hits(text):
            leaks[f"{path.name} metadata"] = _hits(text)
    for path in sorted(release.rglob("*.json")):
        if _hits(path.read_text(encoding="utf-8")):
            leaks[path.name] = _hits(path.read_text(encoding="utf-8"))
    assert leaks == {}


def test_pages_reports_and_record_hold_no_employee_number(published: DataPaths) -> None:
    files = [published.docs_index, published.dashboard_html, published.publication_record,
             *sorted(p for p in published.reports_dir.rglob("*") if p.is_file())]
    reports = [p for p in files if p.is_relative_to(published.reports_dir)]
    assert {p.suffix for p in reports} >= {".html", ".csv", ".json"}
    assert len([p for p in reports if p.name.startswith("audit_sample_")]) == len(QUARTERS)
    leaks = {str(p): _hits(p.read_text(encoding="utf-8", errors="replace")) for p in files}
    assert {p: h for p, h in leaks.items() if h} == {}


def test_record_ids_are_keyed_hashes_and_free_text_is_masked(published: DataPaths) -> None:
    key = DEMO_KEY.encode()
    serving = published.serving_db
    record_ids = {r for (r,) in query(serving, "select record_id from "
                                               "marts.fct_training_reconciliation "
                                               "where record_id is not null")}
    assert pseudonymise("TR-E7310001-01", key) in record_ids
    assert pseudonymise("lms/e7310002/02", key) in record_ids
    assert query(serving, "select facility_name from marts.dim_facilities "
                          "where facility_id = 'F01'") == [(f"염산 저장탱크 담당 {MASK}",)]
    assert query(serving, "select site_name from marts.dim_sites where site_id = 'S01'") \
        == [(f"울산공장({MASK})",)]
    assert query(serving, "select description from marts.fct_findings "
                          "where finding_id = 'FD01'") \
        == [(f"긴급차단밸브 작동 지연 (신고 {MASK})",)]
    assert query(serving, "select distinct system_inspector from "
                          "marts.fct_self_inspection_reconciliation "
                          "where inspection_id = 'IN03'") == [(f"{MASK} 김점검",)]
    # rejected values and a malformed record: shown, with the number masked
    assert query(serving, "select source_file, record_key, raw_value, reason_code "
                          "from audit.quarantine where source_file = 'findings.csv' "
                          "and reason_code not in ('negative_value', 'key_conflict') "
                          "order by line_number") == [
        ("findings.csv", "FD98", MASK, "bad_date"),
        ("findings.csv", None, f"FD99,IN01,F01,2026-01-20,LABELING,2,{MASK} extra,,,,",
         "malformed_row")]
    assert query(serving, "select record_key, raw_value, reason_code from audit.quarantine "
                          "where source_file = 'training_records.csv' "
                          "order by line_number") == [
        (pseudonymise("TR-E7310007-09", key), MASK, "bad_date"),
        (pseudonymise("TR-E7310008-10", key), MASK, "orphan_reference")]


def test_audit_sample_finds_the_paper_by_sheet_number_and_date(published: DataPaths) -> None:
    rows = query(published.serving_db,
                 "select field_record_id, line_date, system_record_id, match_status "
                 "from marts.fct_reconciliation_audit_sample "
                 "where reconciliation = 'training' order by line_date")
    signed = [r for r in rows if r[0] is not None]
    assert signed, rows
    # the sheet number in clear (its employee number pseudonymised) with the session date
    assert {r[0] for r in signed} >= {"TS-02", "TS-03"}
    assert any(re.fullmatch(r"TS-01/\[employee no\. [a-p]{16}\]", r[0]) for r in signed)
    assert all(r[1] is not None for r in rows)
    assert all(r[2] is None or re.fullmatch("[0-9a-f]{64}", r[2]) for r in rows)
