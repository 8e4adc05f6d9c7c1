"""Contract 1.1 at the front door: every physical line accounted for, the 20-line record
limit, the 32,767-character cell limit, exact file names and no links out of the folder.

The stray-quote cases reproduce what a new user saw: one `"` at the start of the last
cell of line 10 of risk_assessments.csv made the reader swallow 76 of 85 records into one
cell while the load summary said nothing was lost. Expected figures are counted by hand
from the files written here (or by plain Python over the file's bytes), never taken from
the program.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from chemsafe.ingest import IngestError, count_physical_lines, ingest
from chemsafe.paths import DataPaths
from conftest import DEMO_EXTRACTS, FIXTURES, chemsafe, query

BAD_ROWS = FIXTURES / "bad_rows"
ADMIN_HEADER = "action_id,site_id,issued_on,action_type,legal_basis,amount_krw"
LONG_CELL = "x" * 32_768  # one character over the contract's cell limit
ADMIN_LINES = [
    ADMIN_HEADER,                                          # 1 header
    "A01,S01,2025-03-02,FINE,제13조,1000000",              # 2 accepted
    "",                                                    # 3 blank
    'A02,S01,2025-04-01,FINE,"a ""quoted"" word",500',     # 4 accepted: escaped quotes
    'A03,S01,2025-05-01,FINE,"제13조',                     # 5 a quote opens here ...
    "위반 내용",                                            # 6 ... runs on ...
    '끝",700,extra',                                       # 7 ... and closes: 7 fields
    f"A04,S01,2025-06-01,FINE,{LONG_CELL},100",            # 8 cell over the limit
    "A05,S01,2025-07-01,FINE,,200",                        # 9 accepted
    "   ",                                                 # 10 blank (white space only)
    "A06,S01,2025-08-01,FINE," + "x" * 32_767 + ",300",    # 11 cell exactly at the limit
]
# Quotes the record-by-record reader meets (the file is outside RFC 4180, so the byte scan
# hands it over): a cell closed by its quote before the cell ends, and a lone CR inside a
# quoted cell. Python's csv module, lenient, would glue the text after the quote on and
# accept the record: C03's quote would swallow C04 and C05 without a word.
CONTRACTOR_LINES = [
    "contractor_id,contractor_name",                       # 1 header
    'C01,"Acme" Ltd',                                      # 2 text after the closing quote
    "C02,plain",                                           # 3 accepted
    'C03,"swallows',                                       # 4 a quote opens here ...
    "C04,x",                                               # 5 ... takes this record ...
    'C05,"y" z',                                           # 6 ... closes before y: text after
    'C06,"a\rb"',                                          # 7 and 8: a lone CR inside quotes
    "C07,plain",                                           # 9 accepted
    'C08,"Tank "A" 2,"note',                               # 10 text after a quote; then a
    'C09,ends here"',                                      # 11 cell opens and closes here
    "C10,plain",                                           # 12 accepted
]


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def _put_quote_at_last_cell(path: Path, line_number: int) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    head, _, _ = lines[line_number - 1].rpartition(",")
    last = lines[line_number - 1].rpartition(",")[2]
    lines[line_number - 1] = f'{head},"{last}'
    path.write_text("\n".join(lines), encoding="utf-8")


# --- the stray quote fails the file, naming the line -------------------------------


@pytest.mark.parametrize(("file_name", "line", "reason"), [
    # the case a user saw: the last cell of line 10, the record running on far past 20 lines
    ("risk_assessments.csv", 10, "20 physical lines"),
    ("findings.csv", 40, "20 physical lines"),  # a quote opening a remarks cell
    # a quote in one of the last lines runs to the end of the file within 20 lines: the
    # lenient reader used to close it there and accept the record, the swallowed records
    # inside one cell ("lost 0")
    ("risk_assessments.csv", -5, "never closes"),
    ("sites.csv", -5, "never closes"),
])
def test_stray_quote_fails_the_load_naming_file_and_line(tmp_path, file_name, line, reason):
    """line: where the quote goes (negative: the record spans that many last lines)."""
    extracts = _copy(DEMO_EXTRACTS, tmp_path / "extracts")
    lines = (extracts / file_name).read_text(encoding="utf-8").rstrip("\n").split("\n")
    line = line if line > 0 else max(2, len(lines) + line + 1)
    # the demo file has no other quote after this line: the record runs to the end
    assert '"' not in "".join(lines[line - 1:])
    assert (len(lines) - line + 1 > 20) == (reason == "20 physical lines")
    _put_quote_at_last_cell(extracts / file_name, line)
    data_dir = tmp_path / "data"

    result = chemsafe(data_dir, "ingest", str(extracts), check=False)

    assert result.returncode != 0
    assert file_name in result.stderr
    assert f"line {line}" in result.stderr
    assert reason in result.stderr
    assert "Traceback" not in result.stderr
    assert "Nothing was loaded" in result.stderr  # a fresh data directory: no earlier load
    assert not (data_dir / "ingest" / "current").exists()


def test_two_bad_files_report_the_first_in_contract_order_and_leave_no_partial_load(
        tmp_path):
    """Files are converted several at a time, largest first: inspections.csv (padded to
    200,000 lines, a stray quote 30 lines before its end) is still being read when
    admin_actions.csv (tiny, its amount_krw column renamed) has failed. The error
    reported is the one a file-by-file load hits first, in the contract's order
    (inspections before admin_actions), the same on every run, and the failed load leaves
    no work folder."""
    extracts = _copy(DEMO_EXTRACTS, tmp_path / "extracts")
    inspections = extracts / "inspections.csv"
    header, *rows = inspections.read_text(encoding="utf-8").rstrip("\n").split("\n")
    padded = rows * (200_000 // len(rows))  # ingestion reads these before the bad line
    bad_line = len(padded) - 29  # 30 lines before the end: a runaway of 30 lines
    inspections.write_text("\n".join([header, *padded]) + "\n", encoding="utf-8")
    _put_quote_at_last_cell(inspections, bad_line)
    admin = extracts / "admin_actions.csv"
    admin.write_text(admin.read_text(encoding="utf-8").replace("amount_krw", "amount", 1),
                     encoding="utf-8")
    data_dir = tmp_path / "data"
    for _ in range(2):
        result = chemsafe(data_dir, "ingest", str(extracts), check=False)
        assert result.returncode != 0
        assert "inspections.csv" in result.stderr
        assert f"line {bad_line}" in result.stderr
        assert "admin_actions.csv" not in result.stderr
        assert "Traceback" not in result.stderr
        assert not (data_dir / "ingest" / "current").exists()
        assert list((data_dir / "ingest" / "loads").iterdir()) == []


def _contractors(tmp_path: Path, spanned: int) -> Path:
    """bad_rows with contractors.csv holding one record whose quoted name spans `spanned`
    physical lines (from line 2), then one ordinary record."""
    extracts = _copy(BAD_ROWS, tmp_path / f"extracts-{spanned}")
    name = "\n".join(f"part {i}" for i in range(spanned))
    (extracts / "contractors.csv").write_text(
        f'contractor_id,contractor_name\nC01,"{name}"\nC02,plain\n', encoding="utf-8")
    return extracts


def test_a_record_of_exactly_20_lines_loads(tmp_path):
    result = ingest(_contractors(tmp_path, 20), DataPaths(tmp_path / "data"))
    contractors = next(r for r in result.files if r.extract.name == "contractors")
    # header (1) + the 20-line record + C02 (1) = 22 physical lines
    assert (contractors.records_read, contractors.physical_lines,
            contractors.record_lines, contractors.blank_lines) == (2, 22, 22, 0)


def test_a_record_of_21_lines_fails_the_load(tmp_path):
    paths = DataPaths(tmp_path / "data")
    with pytest.raises(IngestError) as failure:
        ingest(_contractors(tmp_path, 21), paths)
    assert "contractors.csv" in str(failure.value)
    assert "line 2" in str(failure.value)
    assert not paths.current_seeds.exists()


# --- physical lines, malformed records and the cell limit, through the warehouse --------


@dataclass(frozen=True)
class Built:
    extracts: Path
    warehouse: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("lines")
    extracts = _copy(BAD_ROWS, root / "extracts")
    (extracts / "admin_actions.csv").write_text("\n".join(ADMIN_LINES) + "\n",
                                                encoding="utf-8")
    (extracts / "contractors.csv").write_bytes(
        ("\n".join(CONTRACTOR_LINES) + "\n").encode("utf-8"))
    data_dir = root / "data"
    chemsafe(data_dir, "ingest", str(extracts))
    chemsafe(data_dir, "build", "--select", "+load_summary", "+quarantine",
             "stg_ehs__admin_actions", "stg_ehs__contractors",
             "--indirect-selection", "cautious")
    return Built(extracts, data_dir / "chemsafe.duckdb")


def _lines_by_plain_python(path: Path) -> int:
    """Physical lines by a second, simple method: split the decoded text as the contract
    means lines (LF, CR LF, lone CR)."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.count("\n") + (0 if text.endswith("\n") or not text else 1)


@pytest.mark.slow
def test_every_physical_line_of_every_file_is_accounted_for(built):
    rows = query(built.warehouse,
                 "select source_file, physical_lines, blank_lines, record_lines, "
                 "lines_unaccounted, rows_unaccounted from audit.load_summary")
    assert len(rows) == 23
    for source_file, physical, blank, record_lines, lines_lost, rows_lost in rows:
        assert physical == _lines_by_plain_python(built.extracts / source_file), source_file
        assert physical == blank + record_lines, source_file
        assert (lines_lost, rows_lost) == (0, 0), source_file


@pytest.mark.slow
def test_admin_actions_lines_and_records_by_hand(built):
    assert query(built.warehouse,
                 "select physical_lines, blank_lines, record_lines, records_read "
                 "from audit.load_summary where source_file = 'admin_actions.csv'") == [
        # 11 lines: 2 blank (3, 10); header + A01, A02, A03 (3 lines), A04, A05, A06 = 9
        (11, 2, 9, 6)]
    assert query(built.warehouse,
                 "select action_id from staging.stg_ehs__admin_actions order by 1") == [
        ("A01",), ("A02",), ("A05",), ("A06",)]
    assert query(built.warehouse,
                 "select legal_basis from staging.stg_ehs__admin_actions "
                 "where action_id = 'A02'") == [('a "quoted" word',)]


@pytest.mark.slow
def test_wrong_field_count_and_over_long_cell_are_malformed_rows(built):
    rows = query(built.warehouse,
                 "select line_number, column_name, reason_code, raw_value "
                 "from audit.quarantine where source_file = 'admin_actions.csv' "
                 "order by line_number")
    assert [(line, column, reason) for line, column, reason, _ in rows] == [
        (5, None, "malformed_row"),  # the quote of line 5 closes on line 7: 7 fields, not 6
        (8, "legal_basis", "malformed_row"),  # 32,768 characters
    ]
    spanning, too_long = rows[0][3], rows[1][3]
    assert spanning.startswith("A03,S01,2025-05-01,FINE,") and "위반 내용" in spanning
    assert too_long.startswith("A04,S01,2025-06-01,FINE,xxx")
    assert "[cut: the record is" in too_long
    assert len(too_long) < 2_000


@pytest.mark.slow
def test_a_quote_closed_before_its_cell_ends_makes_the_record_malformed(built):
    """Lines counted by hand from CONTRACTOR_LINES: 12 physical lines (the lone CR of C06
    splits its line), records at lines 2, 3, 4 (to 6), 7 (to 8), 9, 10 (to 11) and 12.
    Line 10, read on leniently after its broken quote, opens a quoted cell that line 11
    closes: C09 is part of that record, not a record of its own."""
    assert query(built.warehouse,
                 "select physical_lines, blank_lines, record_lines, records_read "
                 "from audit.load_summary where source_file = 'contractors.csv'") == [
        (12, 0, 12, 7)]
    rows = query(built.warehouse,
                 "select line_number, reason_code, raw_value from audit.quarantine "
                 "where source_file = 'contractors.csv' order by line_number")
    assert [(line, reason) for line, reason, _ in rows] == [
        (2, "malformed_row"), (4, "malformed_row"), (10, "malformed_row")]
    assert rows[0][2] == 'C01,"Acme" Ltd'
    assert rows[1][2] == 'C03,"swallows\nC04,x\nC05,"y" z'
    assert rows[2][2] == 'C08,"Tank "A" 2,"note\nC09,ends here"'
    assert query(built.warehouse,
                 "select contractor_id, contractor_name from staging.stg_ehs__contractors "
                 "order by 1") == [("C02", "plain"), ("C06", "a\rb"), ("C07", "plain"),
                                   ("C10", "plain")]


def test_cells_past_the_csv_modules_own_limits_are_malformed_rows(tmp_path):
    """Python's csv module refuses a cell over 131,072 characters by default: a cell of
    131,073 (a file DuckDB reads, the long record parsed in Python) crashed ingest with a
    traceback, and one of 64 Mi characters and one more (a record past DuckDB's 4 MB, read
    record by record) failed the load. The contract says malformed_row for both, the rest
    of each file loaded."""
    extracts = _copy(BAD_ROWS, tmp_path / "extracts")
    sites = extracts / "sites.csv"
    site_lines = sites.read_text(encoding="utf-8").rstrip("\n").split("\n")
    sites.write_text("\n".join([*site_lines, "S09," + "x" * 131_073 + ",울산,20119"]) + "\n",
                     encoding="utf-8")
    (extracts / "contractors.csv").write_text(
        "contractor_id,contractor_name\nC01,plain\nC02," + "y" * ((1 << 26) + 1)
        + "\nC03,plain\n", encoding="utf-8")
    data_dir = tmp_path / "data"

    result = chemsafe(data_dir, "ingest", str(extracts), check=False)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    with (data_dir / "ingest" / "current" / "raw__malformed_rows.csv").open(
            encoding="utf-8", newline="") as handle:
        malformed = {(row["source_file"], row["line_number"], row["column_name"])
                     for row in csv.DictReader(handle)}
    assert ("sites.csv", str(len(site_lines) + 1), "site_name") in malformed
    assert ("contractors.csv", "3", "contractor_name") in malformed
    with (data_dir / "ingest" / "current" / "raw_contractors.csv").open(
            encoding="utf-8", newline="") as handle:
        assert [row["_line"] for row in csv.DictReader(handle)] == ["2", "4"]


@pytest.mark.parametrize(("file_name", "line"), [("findings.csv", 12), ("drills.csv", 10)])
def test_an_undecodable_byte_is_named_by_its_line_and_offset(tmp_path, file_name, line):
    """A CP949 character at the end of one line of a UTF-8 file (drills.csv starts with a
    byte-order mark): the message names the line and the byte offset of the first byte
    that is not UTF-8, counted in the file as it is (the mark included), by hand here."""
    extracts = _copy(DEMO_EXTRACTS, tmp_path / "extracts")
    path = extracts / file_name
    lines = path.read_bytes().split(b"\n")
    ending = b"\r" if lines[line - 1].endswith(b"\r") else b""  # drills.csv: CR LF
    lines[line - 1] = lines[line - 1].removesuffix(ending) + "가".encode("cp949") + ending
    path.write_bytes(b"\n".join(lines))
    offset = len(b"\n".join(lines[:line])) - len(ending) - 2

    result = chemsafe(tmp_path / "data", "ingest", str(extracts), check=False)

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"{file_name}: " in result.stderr
    assert f"line {line} (byte offset {offset})" in result.stderr


def test_an_employee_number_in_a_header_is_masked_like_one_in_a_cell(tmp_path):
    """Extra columns are kept (in the load's manifest and each record's `_extras`) under
    their header names: a header that is an employee number is written masked, two such
    headers apart by their field numbers, and a header naming one twice fails the load
    with the number masked in the message too."""
    extracts = _copy(BAD_ROWS, tmp_path / "extracts")
    sites = extracts / "sites.csv"
    header, *rows = sites.read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert header.count(",") == 3  # four contract columns: the extras are fields 5 to 7
    long_row = "S09,x,y,20119," + "z" * 32_768 + ",b,c"  # a cell over the limit in E40077
    sites.write_text("\n".join([header + ",E40077,e40078,[employee no.] (field 5)",
                                *(r + ",a,b,c" for r in rows), long_row]) + "\n",
                     encoding="utf-8")
    data_dir = tmp_path / "data"

    chemsafe(data_dir, "ingest", str(extracts))

    load = data_dir / "ingest" / "current"
    with (load / "raw__ingest_manifest.csv").open(encoding="utf-8", newline="") as handle:
        manifest = {row["source_file"]: row for row in csv.DictReader(handle)}
    with (load / "raw_sites.csv").open(encoding="utf-8", newline="") as handle:
        extras = [json.loads(row["_extras"]) for row in csv.DictReader(handle)]
    malformed = (load / "raw__malformed_rows.csv").read_text(encoding="utf-8")
    # the header literally named like E40077's masked name keeps it; E40077 gets a copy
    assert set(extras[0]) == {"[employee no.] (field 5) 2", "[employee no.] (field 6)",
                              "[employee no.] (field 5)"}
    assert list(extras[0].values()) == ["a", "b", "c"]
    for text in (manifest["sites.csv"]["extra_columns"], json.dumps(extras), malformed):
        assert "4007" not in text
    assert ",[employee no.]," in malformed  # the column of the over-long cell, masked

    sites.write_text("\n".join([header + ",E40077,E40077", *(r + ",a,b" for r in rows)])
                     + "\n", encoding="utf-8")
    result = chemsafe(tmp_path / "data2", "ingest", str(extracts), check=False)
    assert result.returncode != 0
    assert "sites.csv: header names column '[employee no.]' twice" in result.stderr
    assert "4007" not in result.stderr


def test_physical_line_count_from_bytes(tmp_path):
    cases = {
        b"": 0, b"a": 1, b"a\n": 1, b"a\nb": 2, b"a\r\nb\r\n": 2, b"a\rb\r": 2,
        b"\n\n": 2, "\ufeff가,나\n다".encode(): 2, "가\r\n".encode("cp949"): 1,
    }
    for data, expected in cases.items():
        path = tmp_path / "f.csv"
        path.write_bytes(data)
        assert count_physical_lines(path) == expected, data


def test_crlf_split_across_read_chunks_counts_once(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"x" * ((1 << 20) - 1) + b"\r\n" + b"y\r\n")
    assert count_physical_lines(path) == 2


# --- exact names, regular files inside the folder -----------------------------------


def test_file_name_in_other_case_is_not_the_contract_file(tmp_path):
    extracts = _copy(BAD_ROWS, tmp_path / "extracts")
    (extracts / "findings.csv").rename(extracts / "Findings.csv")
    data_dir = tmp_path / "data"
    result = chemsafe(data_dir, "ingest", str(extracts), check=False)
    assert result.returncode != 0
    assert "missing extract file(s): findings.csv" in result.stderr
    assert "Findings.csv" in result.stderr and "case" in result.stderr
    assert not (data_dir / "ingest" / "current").exists()


def test_link_out_of_the_folder_fails_the_load(tmp_path):
    extracts = _copy(BAD_ROWS, tmp_path / "extracts")
    outside = tmp_path / "elsewhere.csv"
    (extracts / "sites.csv").rename(outside)
    os.symlink(outside, extracts / "sites.csv")
    result = chemsafe(tmp_path / "data", "ingest", str(extracts), check=False)
    assert result.returncode != 0
    assert "sites.csv" in result.stderr and "outside the extract folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_link_inside_the_folder_loads(tmp_path):
    extracts = _copy(BAD_ROWS, tmp_path / "extracts")
    (extracts / "originals").mkdir()
    (extracts / "sites.csv").rename(extracts / "originals" / "sites.csv")
    os.symlink(Path("originals") / "sites.csv", extracts / "sites.csv")
    result = ingest(extracts, DataPaths(tmp_path / "data"))
    assert next(r for r in result.files if r.extract.name == "sites").records_read > 0


def test_a_folder_named_like_an_extract_fails_the_load(tmp_path):
    extracts = _copy(BAD_ROWS, tmp_path / "extracts")
    (extracts / "sites.csv").unlink()
    (extracts / "sites.csv").mkdir()
    with pytest.raises(IngestError, match=r"sites\.csv: is not a regular file"):
        ingest(extracts, DataPaths(tmp_path / "data"))


def test_missing_folder_says_it_does_not_exist(tmp_path):
    result = chemsafe(tmp_path / "data", "ingest", str(tmp_path / "no-such-folder"),
                      check=False)
    assert result.returncode != 0
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr
