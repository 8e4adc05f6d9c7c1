"""Rejection end to end: the bad_rows fixture through `chemsafe ingest` + `chemsafe build`.

Every expectation below was worked out by hand from the extract contract
(docs/extract_contract.md) and the fixture files (tests/fixtures/README.md explains each
row); none of it was copied from
the program's output. If the warehouse disagrees, re-read the contract before touching
an expectation.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from chemsafe.contract import FILES, REASON_CODES
from chemsafe.contract_doc import READ_CSV
from chemsafe.pseudonym import DEMO_KEY
from conftest import FIXTURES, chemsafe, query

BAD_ROWS = FIXTURES / "bad_rows"

pytestmark = pytest.mark.slow

# (source_file, line_number, column_name, reason_code): the whole quarantine, by hand.
# Line numbers are physical lines, header = line 1. For key_conflict the column is the
# key column list joined by '|'; for malformed_row it is NULL.
KEY_INV = "reference_date|facility_id|cas_no"
KEY_SIGNIN = "sheet_no|employee_no|course_code"
EXPECTED_QUARANTINE: list[tuple[str, int, str | None, str]] = [
    # --- sites.csv: nothing rejected
    # --- facilities.csv (CP949, CRLF)
    ("facilities.csv", 6, "commissioned_on", "bad_date"),  # F09 2025-02-30
    ("facilities.csv", 7, "site_id", "orphan_reference"),  # F10 -> S03 (no such site)
    # --- risk_assessments.csv
    ("risk_assessments.csv", 4, "assessment_id", "key_conflict"),  # RA03 HIGH ...
    ("risk_assessments.csv", 5, "assessment_id", "key_conflict"),  # ... vs RA03 고
    ("risk_assessments.csv", 6, "substance_hazard", "unknown_code"),  # before empty next_due_on
    ("risk_assessments.csv", 7, "facility_id", "orphan_reference"),  # F09 was rejected
    # --- substances.csv
    ("substances.csv", 4, "acute_toxic", "bad_boolean"),  # 'maybe'
    ("substances.csv", 5, "cas_no", "bad_cas"),  # 7647-01-1: wrong check digit
    ("substances.csv", 6, "cas_no", "bad_cas"),  # 07664-39-3: leading zero
    ("substances.csv", 7, "release_category", "out_of_range"),  # 8
    ("substances.csv", 9, "chronic_toxic", "bad_boolean"),  # 'yes' (TRUE before it is fine)
    # --- inventory_system.csv
    ("inventory_system.csv", 3, "quantity_kg", "bad_number"),  # 1,23.4
    ("inventory_system.csv", 4, "quantity_kg", "bad_number"),  # 1e3
    ("inventory_system.csv", 5, "quantity_kg", "negative_value"),  # -5
    ("inventory_system.csv", 6, KEY_INV, "key_conflict"),  # 2025-03-31 ...
    ("inventory_system.csv", 7, KEY_INV, "key_conflict"),  # ... vs 20250331, same key
    ("inventory_system.csv", 8, "facility_id", "orphan_reference"),  # F09
    # contract 1.1, numbers stored exactly: <= 18 integer digits, nothing past 10 decimals
    ("inventory_system.csv", 11, "quantity_kg", "bad_number"),  # 19 integer digits
    ("inventory_system.csv", 12, "max_instant_kg", "bad_number"),  # 19 digits, with commas
    ("inventory_system.csv", 14, "quantity_kg", "bad_number"),  # 1 in the 11th decimal
    ("inventory_system.csv", 16, "quantity_kg", "bad_number"),  # 0.(29 zeros)1
    ("inventory_system.csv", 17, "quantity_kg", "bad_number"),  # -19 digits: type before negative
    ("inventory_system.csv", 18, "quantity_kg", "bad_number"),  # "0,123": a group never starts 0
    # --- inventory_field.csv
    ("inventory_field.csv", 4, "cas_no", "orphan_reference"),  # 1310-73-2 was rejected
    ("inventory_field.csv", 5, "counted_kg", "negative_value"),
    # --- inspections.csv (UTF-8 with BOM)
    ("inspections.csv", 5, "facility_id", "orphan_reference"),  # IN09 -> F09
    ("inspections.csv", 6, "result", "unknown_code"),  # 보류
    # --- self_inspection_field.csv
    ("self_inspection_field.csv", 3, "facility_id", "orphan_reference"),  # F09
    ("self_inspection_field.csv", 4, "inspected_on", "bad_date"),  # 2025-1-05
    ("self_inspection_field.csv", 5, "inspected_on", "bad_date"),  # 2025-13-01
    ("self_inspection_field.csv", 7, "inspected_on", "bad_date"),  # 20250229
    # contract 1.1, date window 1900-01-01 .. 2099-12-31 (lines 9 and 10 accepted)
    ("self_inspection_field.csv", 8, "inspected_on", "out_of_range"),  # 1899-12-31
    ("self_inspection_field.csv", 11, "inspected_on", "out_of_range"),  # 21000101
    ("self_inspection_field.csv", 12, "inspected_on", "out_of_range"),  # 0001-01-01 placeholder
    ("self_inspection_field.csv", 13, "inspected_on", "out_of_range"),  # 9999-12-31 placeholder
    # --- findings.csv (FD02 spans lines 3-4; lines 5 and 6 are blank)
    ("findings.csv", 7, "severity", "bad_integer"),  # 3.5
    ("findings.csv", 8, "severity", "bad_integer"),  # three
    ("findings.csv", 9, "severity", "out_of_range"),  # -1: range rule, not negative
    ("findings.csv", 10, "severity", "out_of_range"),  # 6
    ("findings.csv", 11, "facility_id", "inconsistent_reference"),  # IN01 is at F01
    ("findings.csv", 12, "inspection_id", "orphan_reference"),  # IN09 (and F09) rejected
    ("findings.csv", 13, "closed_on", "out_of_range"),  # closed before found
    ("findings.csv", 14, "found_on", "bad_date"),  # before severity 9
    ("findings.csv", 15, "finding_id", "missing_required"),  # ,,,,,,,,
    ("findings.csv", 18, "severity", "out_of_range"),  # FD12 severity 0; line 17 accepted
    # --- corrective_actions.csv
    ("corrective_actions.csv", 3, "source_id", "orphan_reference"),  # DRILL FD11
    ("corrective_actions.csv", 7, "source_id", "orphan_reference"),  # FD03 rejected
    ("corrective_actions.csv", 8, "source_type", "unknown_code"),  # AUDIT
    ("corrective_actions.csv", 9, "due_on", "missing_required"),
    ("corrective_actions.csv", 10, "source_id", "orphan_reference"),  # MOC M03 key conflict
    ("corrective_actions.csv", 11, "completed_on", "out_of_range"),  # 9999-12-31 placeholder
    # --- protection_layer_checks.csv
    ("protection_layer_checks.csv", 4, "facility_id", "orphan_reference"),  # F09
    ("protection_layer_checks.csv", 5, "function_tested", "bad_boolean"),  # maybe
    ("protection_layer_checks.csv", 6, "facility_id", "orphan_reference"),  # f01 != F01
    # contract 1.1, test flags required once performed_on is given (line 10 accepted)
    ("protection_layer_checks.csv", 8, "function_tested", "missing_required"),
    ("protection_layer_checks.csv", 9, "defect_found", "missing_required"),
    ("protection_layer_checks.csv", 11, "function_tested", "missing_required"),  # both empty
    ("protection_layer_checks.csv", 12, "performed_on", "out_of_range"),  # 9999-12-31 first
    # --- moc_records.csv (extra column remarks)
    ("moc_records.csv", 4, "change_id", "key_conflict"),  # M03 differ only in remarks
    ("moc_records.csv", 5, "change_id", "key_conflict"),
    ("moc_records.csv", 6, "change_type", "unknown_code"),  # RELOCATION
    # --- training_records.csv
    ("training_records.csv", 4, "score", "out_of_range"),  # -5: range rule
    ("training_records.csv", 5, "site_id", "orphan_reference"),  # S03
    ("training_records.csv", 6, "score", "out_of_range"),  # 100.5
    # --- training_signin.csv
    ("training_signin.csv", 3, None, "malformed_row"),  # 5 fields
    ("training_signin.csv", 4, KEY_SIGNIN, "key_conflict"),
    ("training_signin.csv", 5, KEY_SIGNIN, "key_conflict"),
    ("training_signin.csv", 6, "session_on", "bad_date"),  # 2025-03-32
    # --- drills.csv (header: other case, spaces, order)
    ("drills.csv", 3, "participants_planned", "bad_integer"),  # 3.5
    ("drills.csv", 4, "participants_actual", "bad_integer"),  # three
    ("drills.csv", 5, "drill_on", "bad_date"),  # 2025-04-31; GOOD comes first in the file
    ("drills.csv", 6, "participants_actual", "negative_value"),  # -3
    ("drills.csv", 7, "participants_planned", "bad_integer"),  # 1.0000000000000000001
    ("drills.csv", 9, "participants_actual", "bad_integer"),  # 19 digits (fits a bigint)
    # --- incidents.csv
    ("incidents.csv", 4, "facility_id", "inconsistent_reference"),  # F03 is at S02
    ("incidents.csv", 5, "released_kg", "negative_value"),
    ("incidents.csv", 6, "cas_no", "orphan_reference"),  # 1310-73-2 rejected
    ("incidents.csv", 8, "injuries", "bad_integer"),  # 1e1
    # --- admin_actions.csv
    ("admin_actions.csv", 4, "amount_krw", "negative_value"),
    ("admin_actions.csv", 5, "amount_krw", "bad_number"),  # 1,0000
    # --- contractors.csv
    ("contractors.csv", 6, None, "malformed_row"),  # 3 fields
    ("contractors.csv", 7, None, "malformed_row"),  # 1 field
    ("contractors.csv", 8, None, "malformed_row"),  # "" (one quoted empty field)
    # --- contractor_engagements.csv
    ("contractor_engagements.csv", 3, "contractor_id", "orphan_reference"),  # C99
    ("contractor_engagements.csv", 4, "contractor_id", "orphan_reference"),  # C03 malformed
    # --- contractor_assessments.csv (line 5 duplicates line 3)
    ("contractor_assessments.csv", 3, "passed", "bad_boolean"),  # pass
    # --- small_quantity_calcs.csv
    ("small_quantity_calcs.csv", 3, "concentration_pct", "out_of_range"),  # 120
    ("small_quantity_calcs.csv", 4, "concentration_pct", "out_of_range"),  # -1: range rule
    ("small_quantity_calcs.csv", 5, "max_instant_kg", "bad_number"),  # 1e3
    # --- hours_worked.csv
    ("hours_worked.csv", 3, "month", "out_of_range"),  # 2025-01-15
    ("hours_worked.csv", 4, "contractor_hours", "negative_value"),
    ("hours_worked.csv", 5, "site_id", "orphan_reference"),  # S03
    # --- production.csv (line 6 duplicates line 5)
    ("production.csv", 3, "hazardous_chem_use_kg", "negative_value"),
    ("production.csv", 5, "site_id|month", "key_conflict"),
    ("production.csv", 7, "site_id|month", "key_conflict"),
]

# file -> (records read, exact duplicates collapsed, rows accepted), by hand.
EXPECTED_COUNTS: dict[str, tuple[int, int, int]] = {
    "sites.csv": (2, 0, 2),
    "facilities.csv": (6, 0, 4),
    "risk_assessments.csv": (6, 0, 2),
    "substances.csv": (8, 0, 3),
    "inventory_system.csv": (17, 0, 5),
    "inventory_field.csv": (4, 0, 2),
    "inspections.csv": (5, 0, 3),
    "self_inspection_field.csv": (12, 0, 4),
    "findings.csv": (14, 0, 4),
    "corrective_actions.csv": (10, 0, 4),
    "protection_layer_checks.csv": (11, 0, 4),
    "moc_records.csv": (7, 1, 3),
    "training_records.csv": (6, 0, 3),
    "training_signin.csv": (5, 0, 1),
    "drills.csv": (9, 0, 3),
    "incidents.csv": (7, 0, 3),
    "admin_actions.csv": (6, 0, 4),
    "contractors.csv": (7, 2, 2),
    "contractor_engagements.csv": (3, 0, 1),
    "contractor_assessments.csv": (4, 1, 2),
    "small_quantity_calcs.csv": (5, 0, 2),
    "hours_worked.csv": (5, 0, 2),
    "production.csv": (6, 1, 2),
}

# Every employee number written anywhere in the fixture (E20231005 only in a malformed
# record, E20231006 only in a rejected one).
EMPLOYEE_NUMBERS = [f"E2023100{n}" for n in range(1, 7)]


def employee_key(employee_no: str) -> str:
    return hmac.new(DEMO_KEY.encode(), employee_no.encode(), hashlib.sha256).hexdigest()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture ingested and built once: staging and the audit models with all their
    dbt tests (the layers this module checks; the marts would double the build time)."""
    data_dir = tmp_path_factory.mktemp("bad-rows-data")
    chemsafe(data_dir, "ingest", str(BAD_ROWS))
    chemsafe(data_dir, "build", "--select", "+path:models/ingestion", "path:models/staging",
             "--indirect-selection", "cautious")
    return data_dir / "chemsafe.duckdb"


def stg(warehouse: Path, file_name: str, columns: str, where: str = "true") -> list[tuple]:
    model = next(f for f in FILES if f.file_name == file_name).staging_model
    return query(warehouse, f"select {columns} from staging.{model} where {where} order by 1")


# --- the quarantine ---------------------------------------------------------------


def test_quarantine_holds_exactly_the_expected_rows(warehouse):
    actual = query(
        warehouse,
        "select source_file, line_number, column_name, reason_code from audit.quarantine",
    )
    assert len(EXPECTED_QUARANTINE) == 95
    assert len(set(EXPECTED_QUARANTINE)) == len(EXPECTED_QUARANTINE)
    missing = sorted(set(EXPECTED_QUARANTINE) - set(actual), key=str)
    unexpected = sorted(set(actual) - set(EXPECTED_QUARANTINE), key=str)
    assert (missing, unexpected) == ([], [])
    assert len(actual) == len(EXPECTED_QUARANTINE)  # no row twice


def test_every_reason_code_occurs(warehouse):
    codes = {r[0] for r in query(warehouse, "select distinct reason_code from audit.quarantine")}
    assert codes == set(REASON_CODES)
    assert {r[3] for r in EXPECTED_QUARANTINE} == set(REASON_CODES)


def test_every_quarantine_row_is_described_in_both_languages(warehouse):
    rows = query(
        warehouse,
        "select count(*) from audit.quarantine "
        "where reason_description is null or reason_description_ko is null",
    )
    assert rows == [(0,)]


def test_quarantine_keys_and_raw_values(warehouse):
    rows = {
        (r[0], r[1]): r[2:]
        for r in query(
            warehouse,
            "select source_file, line_number, record_key, raw_value from audit.quarantine",
        )
    }
    # the trimmed raw cell of the failing column
    assert rows[("findings.csv", 7)] == ("FD03", "3.5")
    assert rows[("findings.csv", 14)] == ("FD10", "2025-02-30")
    assert rows[("drills.csv", 5)] == ("D04", "2025-04-31")
    assert rows[("substances.csv", 6)] == ("07664-39-3", "07664-39-3")
    assert rows[("inventory_system.csv", 3)] == ("2025-03-31|F02|7647-01-0", "1,23.4")
    assert rows[("protection_layer_checks.csv", 6)] == ("PL05", "f01")
    assert rows[("protection_layer_checks.csv", 8)] == ("PL07", None)  # the empty flag
    assert rows[("protection_layer_checks.csv", 12)] == ("PL11", "9999-12-31")
    assert rows[("self_inspection_field.csv", 11)] == ("CL-010", "21000101")
    assert rows[("corrective_actions.csv", 11)] == ("CA10", "9999-12-31")
    assert rows[("inventory_system.csv", 12)] == (
        "2025-06-30|F03|7647-01-0", "1,234,567,890,123,456,789")
    assert rows[("inventory_system.csv", 17)] == (
        "2025-06-30|F04|7664-93-9", "-1234567890123456789")
    assert rows[("drills.csv", 7)] == ("D06", "1.0000000000000000001")
    # a line of only commas: no key (NULL, as for a malformed row), nothing to show
    assert rows[("findings.csv", 15)] == (None, None)
    # key_conflict: the raw value is the record key, written as in each row
    assert rows[("inventory_system.csv", 6)] == ("2025-03-31|F01|7664-93-9",) * 2
    assert rows[("inventory_system.csv", 7)] == ("20250331|F01|7664-93-9",) * 2
    assert rows[("production.csv", 5)] == ("S01|2025-02-01",) * 2
    # employee numbers only as keyed hash
    signin_key = f"SG-02|{employee_key('E20231002')}|HC-201"
    assert rows[("training_signin.csv", 4)] == (signin_key, signin_key)
    assert rows[("training_signin.csv", 6)] == (
        f"SG-03|{employee_key('E20231006')}|HC-101", "2025-03-32")
    # malformed rows: no key; raw record shown, except for files with personal data
    assert rows[("contractors.csv", 6)] == (None, "C03,서해기공,추가 필드")
    assert rows[("contractors.csv", 7)] == (None, "C04")
    assert rows[("training_signin.csv", 3)][0] is None
    assert "E20231005" not in rows[("training_signin.csv", 3)][1]
    assert rows[("training_signin.csv", 3)][1].startswith("[withheld")


def test_sources_read_exactly_the_ingested_files(warehouse):
    """Every source table, as the engine reads it (the source's read_csv), equals its
    converted file cell for cell (empty cell = NULL): the engine must not re-interpret the
    CSV the ingestion wrote (quotes, spaces, line breaks, text)."""
    load_dir = (warehouse.parent / "ingest" / "current").resolve()
    differing = []
    for converted in sorted(load_dir.glob("*.csv")):
        with converted.open(encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        in_file = Counter(tuple(cell if cell != "" else None for cell in row) for row in rows)
        relation = READ_CSV.format(folder=load_dir, identifier=converted.stem)
        columns = ", ".join(f'cast("{c}" as varchar)' for c in header)
        in_engine = Counter(query(warehouse, f"select {columns} from {relation}"))
        if in_engine != in_file:
            differing.append((converted.stem, sorted(in_engine - in_file, key=repr)[:2]))
    assert len(list(load_dir.glob("*.csv"))) == len(FILES) + 2
    assert differing == []


# --- the load summary ---------------------------------------------------------------


def test_load_summary_accounts_for_every_record(warehouse):
    rows = query(
        warehouse,
        "select source_file, records_read, duplicates_collapsed, rows_accepted, rows_rejected, "
        "rows_unaccounted from audit.load_summary",
    )
    assert sorted(r[0] for r in rows) == sorted(f.file_name for f in FILES)
    for source_file, read, dups, accepted, rejected, unaccounted in rows:
        assert read == accepted + rejected + dups, source_file
        assert unaccounted == 0, source_file


def test_load_summary_counts_match_hand_computation(warehouse):
    rows = query(
        warehouse,
        "select source_file, records_read, duplicates_collapsed, rows_accepted, rows_rejected "
        "from audit.load_summary",
    )
    rejected_by_file = Counter(r[0] for r in EXPECTED_QUARANTINE)
    actual = {r[0]: r[1:] for r in rows}
    expected = {
        name: (read, dups, accepted, rejected_by_file[name])
        for name, (read, dups, accepted) in EXPECTED_COUNTS.items()
    }
    assert actual == expected
    # and the hand numbers are consistent with each other
    for name, (read, dups, accepted, rejected) in expected.items():
        assert read == dups + accepted + rejected, name


def test_load_summary_counts_by_reason(warehouse):
    columns = ", ".join(f"rejected_{code}" for code in REASON_CODES)
    rows = query(warehouse, f"select source_file, rows_rejected, {columns} from audit.load_summary")
    expected = Counter((r[0], r[3]) for r in EXPECTED_QUARANTINE)
    for source_file, rejected, *by_reason in rows:
        assert sum(by_reason) == rejected, source_file
        assert by_reason == [expected[(source_file, code)] for code in REASON_CODES], source_file


def test_staging_row_counts_equal_accepted_rows(warehouse):
    counts = dict(query(warehouse, " union all ".join(
        f"select '{f.file_name}', count(*) from staging.{f.staging_model}" for f in FILES)))
    assert counts == {name: accepted for name, (_, _, accepted) in EXPECTED_COUNTS.items()}
    accepted = dict(query(warehouse, "select source_file, rows_accepted from audit.load_summary"))
    assert counts == accepted


def test_accepted_lines(warehouse):
    """Which physical lines made it (duplicates report their first line)."""
    assert stg(warehouse, "findings.csv", "finding_id, source_line") == [
        ("FD01", 2), ("FD02", 3), ("FD11", 16), ("FD12", 17)]
    assert stg(warehouse, "contractors.csv", "contractor_id, source_line") == [
        ("C01", 2), ("C02", 5)]
    assert stg(warehouse, "moc_records.csv", "change_id, source_line") == [
        ("M01", 2), ("M02", 3), ("M05", 7)]
    assert stg(warehouse, "admin_actions.csv", "action_id") == [
        ("AA01",), ("AA02",), ("AA05",), ("aa05",)]  # ids are case-sensitive


# --- typed values in staging ----------------------------------------------------------


def test_numbers(warehouse):
    assert stg(warehouse, "inventory_system.csv", "facility_id, cas_no, quantity_kg, "
               "max_instant_kg, reference_date", "reference_date = date '2025-03-31'") == [
        ("F01", "7647-01-0", Decimal("1234.5"), Decimal(2000), dt.date(2025, 3, 31)),
        ("F02", "7664-39-3", Decimal("12345678.25"), Decimal(20000000), dt.date(2025, 3, 31)),
    ]
    assert stg(warehouse, "substances.csv", "cas_no, small_quantity_threshold_kg, "
               "release_category") == [
        ("7647-01-0", Decimal(1000), 2),
        ("7664-39-3", Decimal("1234.5"), 3),  # release_category '3.0'
        ("7664-93-9", Decimal("2500.5"), None),
    ]
    # value_added_krw_m may be negative
    assert stg(warehouse, "production.csv", "site_id, month, production_t, value_added_krw_m, "
               "hazardous_chem_use_kg") == [
        ("S01", dt.date(2025, 1, 1), Decimal("1500.25"), Decimal("-35.5"), Decimal(20000)),
        ("S02", dt.date(2025, 2, 1), Decimal(950), Decimal(0), Decimal(0)),
    ]
    assert stg(warehouse, "incidents.csv", "incident_id, direct_cost_krw, released_kg") == [
        ("INC01", Decimal(5000000), Decimal("12.5")),
        ("INC02", Decimal(0), Decimal(0)),
        ("INC06", Decimal(0), Decimal(0)),
    ]


def test_numbers_are_stored_exactly(warehouse):
    """Contract 1.1: up to 18 integer digits and 10 decimals, kept to the last digit."""
    rows = stg(warehouse, "inventory_system.csv", "facility_id, cas_no, quantity_kg, "
               "max_instant_kg", "reference_date = date '2025-06-30'")
    assert rows == [
        # 18 digits; 18 digits (written with commas) + 10 decimals, the most that fits
        ("F01", "7647-01-0", Decimal("123456789012345678"),
         Decimal("999999999999999999.9999999999")),
        ("F02", "7664-93-9", Decimal("2.5"), Decimal("2.5")),  # '2.5000000000000'
        ("F04", "7647-01-0", Decimal("0.0000000001"), Decimal(1)),  # 10th decimal, not 0
    ]
    # exact decimals all the way (a double would have rounded these)
    assert [type(cell) for row in rows for cell in row[2:]] == [Decimal] * 6
    assert rows[0][3] != Decimal(10) ** 18
    assert rows[2][2] > 0
    assert stg(warehouse, "drills.csv", "drill_id, participants_planned",
               "drill_id = 'D09'") == [("D09", 123456789012345678)]  # 18-digit integer


def test_integers(warehouse):
    assert stg(warehouse, "findings.csv", "finding_id, severity") == [
        ("FD01", 3), ("FD02", 2), ("FD11", 4), ("FD12", 1)]  # FD01 '3.0'
    assert stg(warehouse, "drills.csv", "drill_id, participants_planned, participants_actual") \
        == [("D01", 20, 18),  # '20.0'
            ("D07", 3, 3),  # '3.0000000000000'
            ("D09", 123456789012345678, 5)]  # 18 digits
    assert stg(warehouse, "incidents.csv", "incident_id, injuries, lost_time_injuries",
               "incident_id = 'INC06'") == [("INC06", 2, 1)]  # '1.0'


def test_dates_in_all_four_forms(warehouse):
    assert stg(warehouse, "moc_records.csv", "change_id, implemented_on, moc_approved_on, "
               "effect_verified_on", "change_id in ('M01', 'M02')") == [
        ("M01", dt.date(2025, 3, 31), dt.date(2025, 3, 20), dt.date(2025, 4, 15)),
        ("M02", dt.date(2025, 4, 1), None, None),
    ]
    assert stg(warehouse, "facilities.csv", "facility_id, commissioned_on, decommissioned_on") == [
        ("F01", dt.date(2015, 3, 1), None),
        ("F02", dt.date(2016, 7, 15), None),
        ("F03", dt.date(2018, 1, 10), None),
        ("F04", dt.date(2019, 11, 30), dt.date(2024, 12, 31)),  # last cell of a CRLF line
    ]
    assert stg(warehouse, "self_inspection_field.csv", "checklist_no, inspected_on") == [
        ("CL-001", dt.date(2025, 2, 11)), ("CL-005", dt.date(2024, 2, 29)),
        ("CL-008", dt.date(1900, 1, 1)),  # first day of the contract's date window
        ("CL-009", dt.date(2099, 12, 31)),  # '2099/12/31', its last day
    ]
    assert stg(warehouse, "hours_worked.csv", "site_id, month, employee_hours") == [
        ("S01", dt.date(2025, 1, 1), Decimal(12000)),
        ("S02", dt.date(2025, 2, 1), Decimal(8000)),  # '2025.02.01'
    ]
    assert stg(warehouse, "inventory_field.csv", "facility_id, reference_date, counted_on, "
               "sheet_no") == [
        ("F01", dt.date(2025, 3, 31), dt.date(2025, 4, 3), "SH-001"),
        ("F02", dt.date(2025, 3, 31), dt.date(2025, 4, 2), None),
    ]


def test_booleans(warehouse):
    assert stg(warehouse, "substances.csv", "cas_no, acute_toxic, chronic_toxic, eco_toxic, "
               "accident_precaution, esg_concern") == [
        ("7647-01-0", True, False, True, False, True),  # 예, 아니오, y, 0, TRUE
        ("7664-39-3", True, True, False, True, False),
        ("7664-93-9", True, False, False, True, False),  # Y, N, FALSE, 1, n
    ]
    assert stg(warehouse, "protection_layer_checks.csv", "check_id, function_tested, "
               "defect_found") == [("PL01", True, False), ("PL02", None, None),
                                   ("PL06", True, False),
                                   ("PL09", None, None)]  # not performed: flags may be NULL
    # record ids are personal (keyed hash, like employee numbers)
    assert sorted(stg(warehouse, "training_records.csv", "record_id, high_risk_group, "
                      "passed")) == sorted([(employee_key("TR01"), True, True),
                                            (employee_key("TR02"), False, None),
                                            (employee_key("TR06"), False, False)])


def test_codes_from_korean_labels_and_any_case(warehouse):
    assert stg(warehouse, "risk_assessments.csv", "assessment_id, substance_hazard, "
               "exposure_potential, protection_weakness") == [
        ("RA01", "HIGH", "HIGH", "MEDIUM"),  # 고, high, Medium
        ("RA02", "LOW", "MEDIUM", "HIGH"),  # 저위험, 보통, HIGH
    ]
    assert stg(warehouse, "facilities.csv", "facility_id, facility_type") == [
        ("F01", "STORAGE"), ("F02", "PROCESS"), ("F03", "LOADING"), ("F04", "WASTE")]
    assert stg(warehouse, "inspections.csv", "inspection_id, inspection_type, result") == [
        ("IN01", "REGULAR_INSPECTION", "PASS"),  # 정기검사, 적합
        ("IN02", "SELF_INSPECTION", "FAIL"),  # 부적합
        ("IN03", "SAFETY_DIAGNOSIS", "PASS"),  # safety_diagnosis
    ]
    assert stg(warehouse, "findings.csv", "finding_id, category") == [
        ("FD01", "PROTECTION_LAYER"), ("FD02", "PROTECTION_LAYER"), ("FD11", "LABELING"),
        ("FD12", "STORAGE")]
    assert stg(warehouse, "incidents.csv", "incident_id, incident_type, impact_scope, "
               "legally_reportable, community_evacuated") == [
        ("INC01", "LEAK", "ON_SITE", True, False),  # 누출, 사업장 내, 예, 아니오
        ("INC02", "NEAR_MISS", "NONE", False, False),
        ("INC06", "EXPOSURE", "OFF_SITE", False, False),
    ]
    assert stg(warehouse, "drills.csv", "drill_id, site_id, drill_on, scenario, scenario_risk, "
               "evaluation") == [
        ("D01", "S01", dt.date(2025, 4, 15), "염소 누출 대응", "HIGH", "ADEQUATE"),
        ("D07", "S02", dt.date(2025, 6, 11), None, "MEDIUM", "ADEQUATE"),
        ("D09", "S02", dt.date(2025, 6, 13), None, "LOW", "ADEQUATE")]
    assert stg(warehouse, "corrective_actions.csv", "action_id, source_type, source_id") == [
        ("CA01", "FINDING", "FD01"), ("CA03", "DRILL", "D01"), ("CA04", "INCIDENT", "INC01"),
        ("CA05", "MOC", "M01")]
    assert stg(warehouse, "protection_layer_checks.csv", "check_id, facility_id, layer") == [
        ("PL01", "F01", "SHUTOFF_VALVE"), ("PL02", "F01", "GAS_DETECTOR"),
        ("PL06", "F02", "INTERLOCK"),  # ' F02 ', ' interlock ' trimmed
        ("PL09", "F02", "SCRUBBER")]
    assert stg(warehouse, "contractor_assessments.csv", "assessment_id, assessment_type, "
               "passed") == [("CAS01", "PRE", True), ("CAS03", "RE", False)]


def test_text_is_trimmed_and_kept(warehouse):
    assert stg(warehouse, "findings.csv", "finding_id, description, repeat_of_finding_id",
               "finding_id = 'FD02'") == [
        ("FD02", "가스누출감지기 교정 기한 경과\n재발 방지 대책 필요", "FD-2019-999")]
    assert stg(warehouse, "contractors.csv", "contractor_id, contractor_name") == [
        ("C01", "한빛건설"), ("C02", "동해플랜트")]
    assert stg(warehouse, "sites.csv", "site_id, site_name, region, ksic_code") == [
        ("S01", "울산공장", "울산", "20119"), ("S02", "여수공장", "여수", None)]


# --- personal identifiers ------------------------------------------------------------


def test_training_files_expose_only_the_keyed_hash(warehouse):
    assert sorted(stg(warehouse, "training_records.csv", "record_id, employee_key")) == sorted([
        (employee_key("TR01"), employee_key("E20231001")),
        (employee_key("TR02"), employee_key("E20231002")),
        (employee_key("TR06"), employee_key("E20231002"))])
    assert stg(warehouse, "training_signin.csv", "sheet_no, employee_key") == [
        ("SG-01", employee_key("E20231001"))]


def test_no_clear_employee_number_in_the_warehouse(warehouse):
    """Employee numbers are hashed by `chemsafe ingest` (chemsafe.personal): neither the
    ingested files the engine reads nor any table or view of the warehouse holds a clear
    employee number of the fixture, though the delivered extract does."""
    pattern = "|".join(EMPLOYEE_NUMBERS)
    load_dir = (warehouse.parent / "ingest" / "current").resolve()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, list(column_name order by column_name) "
            "from information_schema.columns "
            "where table_schema not in ('information_schema', 'pg_catalog') "
            "group by all order by all"
        ).fetchall()
        assert {c[0] for c in columns} >= {"staging", "audit"}
        leaks = []
        for schema, table, names in columns:
            cells = ", ".join(f'cast("{name}" as varchar)' for name in names)
            (hits,) = con.execute(
                f'select count(*) from "{schema}"."{table}" '
                f"where regexp_matches(concat_ws(chr(31), {cells}), ?)",
                [pattern],
            ).fetchone()
            if hits:
                leaks.append(f"{schema}.{table}")
        # the same scan finds them in the delivered extract, not in the ingested file
        ingested = READ_CSV.format(folder=load_dir, identifier="raw_training_records")
        delivered = READ_CSV.format(folder=BAD_ROWS, identifier="training_records")
        (ingested_hits,), (delivered_hits,) = (con.execute(
            f"select count(*) from {source} where regexp_matches(employee_no, ?)",
            [pattern]).fetchone() for source in (ingested, delivered))
    assert leaks == []
    assert ingested_hits == 0
    assert delivered_hits == 6
