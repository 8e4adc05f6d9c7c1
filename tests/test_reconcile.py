"""`chemsafe reconcile` end to end on tests/fixtures/reconciliation, against values worked
out BY HAND from the fixture rows (see its README.md for the rows at a glance).

The fixture is ingested and dbt-built once (conftest.reconciliation_build), then reconciled
through the real command for 2026-Q1 (clean), 2026-Q2 (every kind of mismatch) and the
default quarter (the latest, 2026-Q3: an escalation and 211 exceptions of one control).
Tolerance (kpi_spec): max(1 kg, rel_tol x quantity), rel_tol 2 %, 0.5 % for the
accident-precaution substances HCl 7647-01-0 and HF 7664-39-3. Targets: hit rate >= 0.97
(LEAD_INVENTORY_ACCURACY 2026, kpi_targets.csv); self-inspection and training coverage
>= 0.95, no accident-precaution line missing, no escalated line, count window 0..14 days
(reconciliation_thresholds.csv).
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from browser import dump_dom, fonts_without_korean, screenshot
from chemsafe.reconcile.report import FONT_STACK as REPORT_FONT_STACK
from conftest import (
    CHEMSAFE,
    FIXTURES,
    PROJECT_ROOT,
    assert_marts_unchanged,
    chemsafe,
    copy_project,
    private_copy,
    query,
)
from pngread import first_line_glyphs, read_png

FIXTURE = FIXTURES / "reconciliation"
Q1, Q2, Q3 = "2026-Q1", "2026-Q2", "2026-Q3"
RECONCILE = [CHEMSAFE, "reconcile"]  # the real command (python -m chemsafe.reconcile runs the same)

HCL, HF, ACETONE, TOLUENE = "7647-01-0", "7664-39-3", "67-64-1", "108-88-3"
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("x","IF-201")'  # a sheet_no a spreadsheet would run as a formula

# --------------------------------------------------------------------- expected, by hand

# Inventory lines at 2026-06-30: (facility, cas) -> (quantity, counted, tolerance, status).
Q2_INVENTORY = {
    ("F01", ACETONE): ("1000", "1020", "20", "matched"),            # 2 % of 1000 = 20, exactly
    ("F02", ACETONE): ("1000", "1020.01", "20", "out_of_tolerance"),  # 20.01 > 20
    ("F01", HCL): ("2000", "1990", "10", "matched"),                # 0.5 % of 2000 = 10, exactly
    ("F02", HCL): ("2000", "2010.01", "10", "out_of_tolerance"),    # 10.01 > 10
    ("F03", ACETONE): ("30", "31", "1", "matched"),                 # 2 % = 0.6 < 1 kg floor; 1
    ("F04", ACETONE): ("30", "28.99", "1", "out_of_tolerance"),     # 1.01 > 1
    ("F03", HCL): ("100", "99", "1", "matched"),                    # 0.5 % = 0.5 < floor; 1
    ("F04", TOLUENE): ("1234.5", "1259.19", "24.69", "matched"),    # 24.69 = 2 % exactly
    ("F03", TOLUENE): ("250", "250", "5", "matched"),
    ("F01", TOLUENE): ("500", None, "10", "missing_in_field"),
    ("F01", HF): ("300", None, "1.5", "missing_in_field"),          # accident precaution
    ("F02", TOLUENE): (None, "75", None, "missing_in_system"),
    ("F02", HF): (None, "12", None, "missing_in_system"),           # accident precaution
}

# fct_reconciliation_quarter_summary, company row: (lines, in system, in field, matched,
# out of tolerance, missing in field, missing in system, escalated, accident-precaution missing)
SUMMARY = {
    (Q1, "inventory"): (5, 5, 5, 5, 0, 0, 0, 0, 0),
    (Q2, "inventory"): (13, 11, 11, 6, 3, 2, 2, 0, 2),
    (Q3, "inventory"): (2, 2, 2, 1, 1, 0, 0, 1, 0),
    # Q1: IN03, IN08, IN09, IN11, IN13, IN14 each with SC-10x / SC01.
    (Q1, "self_inspection"): (6, 6, 6, 6, 0, 0, 0, 0, 0),
    # Q2: IN10+SC-201, IN15+SC-204 matched; IN12 alone; SC-202, SC-203 alone.
    (Q2, "self_inspection"): (5, 3, 4, 2, 0, 1, 2, 0, 0),
    # Q3: IN05 and IN-Q3-001..210, no paper at all.
    (Q3, "self_inspection"): (211, 211, 0, 0, 0, 211, 0, 0, 0),
    (Q1, "training"): (3, 3, 3, 3, 0, 0, 0, 0, 0),      # TR01, TR03, TR05 signed
    (Q2, "training"): (3, 2, 2, 1, 0, 1, 1, 0, 0),      # TR07 signed; TR02 not; E007 no LMS
    (Q3, "training"): (1, 1, 1, 1, 0, 0, 0, 0, 0),      # TR06 signed
}

# Control -> (status, observed, exceptions) per quarter. Observed: a fraction, a count or
# days; None = nothing to reconcile. FAIL = critical failed, WARN = warning failed.
CONTROLS = {
    Q1: {
        "REC-INV-01": ("PASS", 1.0, 0), "REC-INV-02": ("PASS", 0, 0),
        "REC-INV-03": ("PASS", 0, 0), "REC-SI-01": ("PASS", 1.0, 0),
        "REC-SI-02": ("PASS", 1.0, 0), "REC-TR-01": ("PASS", 1.0, 0),
        "REC-TR-02": ("PASS", 1.0, 0),
        "DQ-INV-01": ("WARN", 1, 1),      # line 20 of inventory_field.csv, the whole load
        "DQ-INV-02": ("PASS", 3, 0),      # counted 04-02 and 04-03: at most 3 days after
        "DQ-INV-03": ("PASS", 0, 0), "DQ-SI-01": ("PASS", 0, 0), "DQ-SI-02": ("PASS", 0, 0),
        "DQ-SI-03": ("PASS", 0, 0), "DQ-TR-01": ("PASS", 0, 0), "DQ-TR-02": ("PASS", 0, 0),
    },
    Q2: {
        "REC-INV-01": ("FAIL", 6 / 13, 7), "REC-INV-02": ("FAIL", 2, 2),
        "REC-INV-03": ("PASS", 0, 0),     # Q1 had no line out of tolerance
        "REC-SI-01": ("FAIL", 2 / 3, 1), "REC-SI-02": ("FAIL", 2 / 4, 2),
        "REC-TR-01": ("FAIL", 1 / 2, 1), "REC-TR-02": ("FAIL", 1 / 2, 1),
        "DQ-INV-01": ("WARN", 1, 1),
        "DQ-INV-02": ("WARN", 25, 1),     # F04 acetone counted 07-25
        "DQ-INV-03": ("WARN", 1, 1),      # F02 HCl without sheet_no
        "DQ-SI-01": ("PASS", 0, 0),
        "DQ-SI-02": ("WARN", 1, 1),       # SC-204
        "DQ-SI-03": ("WARN", 1, 1),       # SC-203 at F05 on 06-01, decommissioned 05-15
        "DQ-TR-01": ("PASS", 0, 0),
        "DQ-TR-02": ("WARN", 1, 1),       # E007
    },
    Q3: {
        "REC-INV-01": ("FAIL", 1 / 2, 1), "REC-INV-02": ("PASS", 0, 0),
        "REC-INV-03": ("FAIL", 1, 1),     # F02 acetone out of tolerance at 06-30 and 09-30
        "REC-SI-01": ("FAIL", 0.0, 211),
        "REC-SI-02": ("FAIL", None, 0),   # no paper checklist in the quarter at all
        "REC-TR-01": ("PASS", 1.0, 0), "REC-TR-02": ("PASS", 1.0, 0),
        "DQ-INV-01": ("WARN", 1, 1),
        "DQ-INV-02": ("PASS", 2, 0),      # 10-02; the 10-03 count was rejected
        "DQ-INV-03": ("PASS", 0, 0), "DQ-SI-01": ("PASS", 0, 0), "DQ-SI-02": ("PASS", 0, 0),
        "DQ-SI-03": ("PASS", 0, 0), "DQ-TR-01": ("PASS", 0, 0), "DQ-TR-02": ("PASS", 0, 0),
    },
}

Q2_EXCEPTION_KEYS = {
    "REC-INV-01": ["F01|108-88-3", "F01|7664-39-3", "F02|108-88-3", "F02|67-64-1",
                   "F02|7647-01-0", "F02|7664-39-3", "F04|67-64-1"],
    "REC-INV-02": ["F01|7664-39-3", "F02|7664-39-3"],
    "REC-INV-03": [],
    "REC-SI-01": ["F02@2026-05-04#1"],
    "REC-SI-02": ["F03@2026-05-11#1", "F05@2026-06-01#1"],
    "DQ-INV-01": ["inventory_field.csv line 20"],
    "DQ-INV-02": ["F04|67-64-1"],
    "DQ-INV-03": ["F02|7647-01-0"],
    "DQ-SI-02": ["F01@2026-06-15#1"],
    "DQ-SI-03": ["F05@2026-06-01#1"],
}
Q3_SELF_INSPECTION_MISSING = {"F04@2026-07-15#1"} | {
    f"{facility}@2026-{month:02d}-{day:02d}#1"
    for facility in ("F01", "F02", "F03")
    for month, days in ((7, range(1, 32)), (8, range(1, 32)), (9, range(1, 9)))
    for day in days
}
EMPLOYEE_NUMBERS = re.compile(r"\bE00[1-8]\b")


# ------------------------------------------------------------------------------- running

def reconcile(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CHEMSAFE_DATA_DIR=str(data_dir))
    env.pop("CHEMSAFE_PSEUDONYM_KEY", None)
    return subprocess.run([*RECONCILE, *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, check=False)


@dataclass(frozen=True)
class Reconciled:
    data_dir: Path
    warehouse: Path
    runs: dict[str, subprocess.CompletedProcess[str]]

    def report_dir(self, quarter: str) -> Path:
        return self.data_dir / "reports" / quarter

    def report(self, quarter: str) -> Path:
        return self.report_dir(quarter) / f"reconciliation_report_{quarter}.html"

    def csv_rows(self, name: str, quarter: str) -> list[dict[str, str]]:
        with (self.report_dir(quarter) / name).open(encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def rec(reconciliation_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Reconciled:
    # The fixture ingested and built once for the session (conftest), in a copy of our own.
    data_dir = private_copy(reconciliation_build, tmp_path_factory, "reconciliation")
    warehouse = data_dir / "chemsafe.duckdb"
    runs = {Q1: reconcile(data_dir, "--quarter", Q1), Q2: reconcile(data_dir, "--quarter", Q2),
            Q3: reconcile(data_dir)}  # no --quarter: the latest quarter of the warehouse
    return Reconciled(data_dir, warehouse, runs)


def results(rec: Reconciled, quarter: str) -> dict[str, tuple[str, float | None, int]]:
    rows = query(rec.warehouse, "select control_id, status, observed_value, exceptions_count "
                                "from audit.reconciliation_results where quarter = ?", [quarter])
    return {control: (status, observed, count) for control, status, observed, count in rows}


def test_every_mart_is_unchanged(rec: Reconciled) -> None:
    assert_marts_unchanged(rec.warehouse, "reconciliation")


# ------------------------------------------------------------------ the reconciled lines

def test_inventory_lines_get_exactly_the_hand_computed_statuses(rec: Reconciled) -> None:
    rows = query(rec.warehouse,
                 "select facility_id, cas_no, quantity_kg, counted_kg, tolerance_kg, "
                 "match_status from marts.fct_inventory_reconciliation "
                 "where reference_date = date '2026-06-30'")
    got = {(f, c): (q, n, t, s) for f, c, q, n, t, s in rows}
    assert got.keys() == Q2_INVENTORY.keys()
    for key, (quantity, counted, tolerance, status) in Q2_INVENTORY.items():
        expected = tuple(None if v is None else Decimal(v) for v in (quantity, counted, tolerance))
        assert (*got[key][:3], got[key][3]) == (*expected, status), key


def test_summary_counts_per_quarter(rec: Reconciled) -> None:
    rows = query(rec.warehouse,
                 "select period, reconciliation, lines_total, lines_in_system, lines_in_field, "
                 "matched, out_of_tolerance, missing_in_field, missing_in_system, "
                 "escalated_lines, accident_precaution_missing_lines "
                 "from marts.fct_reconciliation_quarter_summary where site_id is null")
    assert {(r[0], r[1]): tuple(int(v) for v in r[2:]) for r in rows} == SUMMARY


# ------------------------------------------------------------------ controls, exit codes

def test_exit_code_is_zero_only_when_every_critical_control_passes(rec: Reconciled) -> None:
    assert rec.runs[Q1].returncode == 0, rec.runs[Q1].stderr
    assert rec.runs[Q2].returncode == 1, rec.runs[Q2].stderr
    assert rec.runs[Q3].returncode == 1, rec.runs[Q3].stderr
    assert "Every critical control passed." in rec.runs[Q1].stdout
    assert ("6 critical control(s) failed: REC-INV-01, REC-INV-02, REC-SI-01, REC-SI-02, "
            "REC-TR-01, REC-TR-02 (exit code 1)") in rec.runs[Q2].stdout
    assert "Reconciliation 2026-Q3 (2026-07-01 .. 2026-09-30)" in rec.runs[Q3].stdout


@pytest.mark.parametrize("quarter", [Q1, Q2, Q3])
def test_control_results_match_the_hand_computation(rec: Reconciled, quarter: str) -> None:
    got = results(rec, quarter)
    assert got.keys() == CONTROLS[quarter].keys()
    for control, (status, observed, exceptions) in CONTROLS[quarter].items():
        got_status, got_observed, got_exceptions = got[control]
        assert (got_status, got_exceptions) == (status, exceptions), control
        if observed is None:
            assert got_observed is None, control
        else:
            assert got_observed == pytest.approx(observed, abs=1e-12), control
    listed = query(rec.warehouse, "select control_id, count(*) from "
                   "audit.reconciliation_exceptions where quarter = ? group by 1", [quarter])
    assert dict(listed) == {c: n for c, (_, _, n) in CONTROLS[quarter].items() if n}


def test_thresholds_come_from_the_versioned_policies(rec: Reconciled) -> None:
    rows = dict(query(rec.warehouse, "select control_id, threshold_source || ' = ' || "
                      "threshold_value from audit.reconciliation_results where quarter = ?",
                      [Q2]))
    assert rows["REC-INV-01"] == "kpi_targets LEAD_INVENTORY_ACCURACY 2026 = 0.97"
    assert rows["REC-SI-01"] == "reconciliation_thresholds RC-2026.1 = 0.95"
    assert rows["DQ-INV-02"] == "reconciliation_thresholds RC-2026.1 = 14.0"


def test_previous_quarter_is_compared(rec: Reconciled) -> None:
    rows = query(rec.warehouse, "select control_id, previous_quarter, previous_status, "
                 "previous_observed_value from audit.reconciliation_results where quarter = ? "
                 "and control_id in ('REC-INV-01', 'REC-INV-03')", [Q3])
    assert sorted(rows) == [("REC-INV-01", Q2, "FAIL", pytest.approx(6 / 13)),
                            ("REC-INV-03", Q2, "PASS", 0.0)]
    first = query(rec.warehouse, "select distinct previous_quarter from "
                  "audit.reconciliation_results where quarter = ?", [Q1])
    assert first == [(None,)]  # 2025-Q4 is outside the reporting window


# -------------------------------------------------------------------------- exceptions

def test_exception_lists_name_exactly_the_hand_picked_lines(rec: Reconciled) -> None:
    for control, keys in Q2_EXCEPTION_KEYS.items():
        in_db = [k for (k,) in query(
            rec.warehouse, "select line_key from audit.reconciliation_exceptions "
            "where quarter = ? and control_id = ? order by exception_no", [Q2, control])]
        in_csv = [r["line_key"] for r in rec.csv_rows(f"exceptions_{Q2}_{control}.csv", Q2)]
        assert sorted(in_db) == sorted(keys) == sorted(in_csv), control
        assert in_db == in_csv, control  # same order: the control's exceptions_order
    out_of_tolerance = {r["line_key"]: r for r in rec.csv_rows(f"exceptions_{Q2}_REC-INV-01.csv",
                                                               Q2)}
    assert out_of_tolerance["F02|67-64-1"]["counted_by"] == SCRIPT
    # formula-like text is neutralised in the CSV (shown as text by Excel), kept in the database
    assert out_of_tolerance["F02|67-64-1"]["sheet_no"] == "'" + FORMULA
    (detail,), = query(rec.warehouse, "select detail->>'sheet_no' from "
                       "audit.reconciliation_exceptions where quarter = ? and control_id = "
                       "'REC-INV-01' and line_key = 'F02|67-64-1'", [Q2])
    assert detail == FORMULA
    assert out_of_tolerance["F02|67-64-1"]["difference_kg"] == "20.01"
    assert out_of_tolerance["F04|67-64-1"]["difference_kg"] == "-1.01"


def test_a_quarter_with_more_than_200_exceptions_is_listed_in_full(rec: Reconciled) -> None:
    rows = rec.csv_rows(f"exceptions_{Q3}_REC-SI-01.csv", Q3)
    assert len(rows) == 211
    assert {r["line_key"] for r in rows} == Q3_SELF_INSPECTION_MISSING
    in_db = query(rec.warehouse, "select count(distinct line_key) from "
                  "audit.reconciliation_exceptions where quarter = ? and control_id = ?",
                  [Q3, "REC-SI-01"])
    assert in_db == [(211,)]
    page = ReportPage.read(rec.report(Q3))
    assert len(page.exceptions["REC-SI-01"]) == 211
    assert {row[1] for row in page.exceptions["REC-SI-01"]} == Q3_SELF_INSPECTION_MISSING
    assert [row[0] for row in page.exceptions["REC-SI-01"]] == [str(n) for n in range(1, 212)]


# ------------------------------------------- Great Expectations' own results, read directly

def gx_controls(rec: Reconciled, quarter: str) -> dict[str, dict[str, object]]:
    """Per control, straight from GX's validation results JSON beside the report (not from
    chemsafe's tables): every expectation's success, the distinct unexpected line_keys, the
    rate of the expectation marked meta.observed = rate (in-set lines / lines of its
    domain) and the observed_value of the one marked max."""
    path = rec.report_dir(quarter) / f"gx_validation_results_{quarter}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, dict[str, object]] = {}
    for checkpoint in document["checkpoints"].values():
        for validation in checkpoint["validation_results"]:
            for item in validation["results"]:
                meta = item["expectation_config"]["meta"]
                control = out.setdefault(meta["control_id"], {"success": [], "lines": set()})
                result = item["result"]
                control["success"].append(item["success"])
                for entry in result.get("unexpected_index_list") or []:
                    keys = entry["line_key"]
                    control["lines"] |= set(keys if isinstance(keys, list) else [keys])
                if meta.get("observed") == "rate":
                    n, bad = result["element_count"], result["unexpected_count"]
                    control["observed"] = (n - bad) / n if n else None
                    control["element_count"] = n
                elif meta.get("observed") == "max":
                    control["observed"] = result["observed_value"]
    return out


@pytest.mark.parametrize("quarter", [Q1, Q2, Q3])
def test_gx_results_hold_the_hand_computed_figures_and_lines(rec: Reconciled,
                                                             quarter: str) -> None:
    got = gx_controls(rec, quarter)
    assert got.keys() == CONTROLS[quarter].keys()
    for control, (status, observed, exceptions) in CONTROLS[quarter].items():
        mine = got[control]
        # every threshold of a count control is 0 (reconciliation_thresholds.csv): GX's
        # expectations succeed exactly when the control passes
        assert all(mine["success"]) == (status == "PASS"), control
        assert len(mine["lines"]) == exceptions, control
        value = mine.get("observed", len(mine["lines"]))
        if observed is None:
            assert value is None, control
        else:
            assert value == pytest.approx(observed, abs=1e-12), control
    if quarter == Q2:
        for control, keys in Q2_EXCEPTION_KEYS.items():
            assert got[control]["lines"] == set(keys), control
        assert got["REC-INV-01"]["element_count"] == len(Q2_INVENTORY)  # 13 lines, 6 hits
    if quarter == Q3:
        assert got["REC-SI-01"]["lines"] == Q3_SELF_INSPECTION_MISSING
        assert got["REC-SI-02"]["element_count"] == 0  # no paper checklist: no rate


def test_report_shows_both_computations_and_the_hash_of_gx_results(rec: Reconciled) -> None:
    page = ReportPage.read(rec.report(Q2))
    rows = {row[0]: row for row in page.computations}
    assert rows.keys() == CONTROLS[Q2].keys()
    for control, (_, _, exceptions) in CONTROLS[Q2].items():
        _, gx_observed, sql_observed, gx_lines, sql_lines, agree = rows[control]
        assert (gx_lines, sql_lines, agree) == (str(exceptions), str(exceptions), "agree 일치")
        assert gx_observed == sql_observed, control
    assert rows["REC-INV-01"][1] == "46.15 %"  # 6 / 13
    digest = hashlib.sha256(
        (rec.report_dir(Q2) / f"gx_validation_results_{Q2}.json").read_bytes()).hexdigest()
    assert f"sha256 {digest}" in rec.report(Q2).read_text(encoding="utf-8")


WRONG_EXCEPTIONS = ("select * from ({inventory_lines}) as lines\nwhere match_status <> 'matched'",
                    "select * from ({inventory_lines}) as lines\nwhere match_status = "
                    "'out_of_tolerance'")
WRONG_MEASURE = ("select cast(matched as double) / nullif(lines_in_system, 0)\n"
                 "from ({summary}) as s where reconciliation = 'self_inspection'",
                 "select cast(matched as double) / nullif(lines_total, 0)\n"
                 "from ({summary}) as s where reconciliation = 'self_inspection'")


def test_a_planted_sql_error_is_caught_by_great_expectations(rec: Reconciled,
                                                             tmp_path: Path) -> None:
    """A copy of the project whose SQL is deliberately wrong in two controls: REC-INV-01's
    exceptions forget the one-sided lines (a wrong exception list), REC-SI-01's measure
    divides by every line instead of the system records (a wrong measure, 2/5 instead of
    2/3). GX, validating the lines, disagrees: the copy's own `python -m chemsafe.reconcile`
    exits 2 naming both controls and the four lines, and the report shows it."""
    project = copy_project(tmp_path / "project", tmp_path)
    controls = project / "expectations" / "controls.toml"
    text = controls.read_text(encoding="utf-8")
    for right, wrong in (WRONG_EXCEPTIONS, WRONG_MEASURE):
        assert text.count(right) == 1, right
        text = text.replace(right, wrong)
    controls.write_text(text, encoding="utf-8")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copyfile(rec.warehouse, data_dir / "chemsafe.duckdb")
    env = dict(os.environ, CHEMSAFE_DATA_DIR=str(data_dir), PYTHONPATH=str(project / "src"))
    env.pop("CHEMSAFE_PSEUDONYM_KEY", None)
    result = subprocess.run([sys.executable, "-m", "chemsafe.reconcile", "--quarter", Q2],
                            cwd=project, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 2, result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if " disagree: " in line]
    assert [line.split(": ")[2] for line in errors] == ["REC-INV-01", "REC-SI-01"]
    inventory, self_inspection = errors
    assert ("lines only GX found: F01|108-88-3, F01|7664-39-3, F02|108-88-3, F02|7664-39-3; "
            "lines only SQL found: none") in inventory
    assert "observed GX 0.6666666666666666 vs SQL 0.4;" in self_inspection
    report = data_dir / "reports" / Q2 / f"reconciliation_report_{Q2}.html"
    page = ReportPage.read(report)
    agreement = {row[0]: row[5] for row in page.computations}
    assert {c for c, a in agreement.items() if a != "agree 일치"} == {"REC-INV-01", "REC-SI-01"}
    assert agreement["REC-INV-01"] == "DISAGREE 불일치 (4 line(s) GX only, 0 SQL only)"
    assert "Great Expectations and SQL disagree on 2 control(s): REC-INV-01, REC-SI-01" in \
        report.read_text(encoding="utf-8")
    assert query(data_dir / "chemsafe.duckdb", "select exit_code from "
                 "audit.reconciliation_runs where quarter = ?", [Q2]) == [(2,)]


# ------------------------------------------------------------------------------ report

class ReportPage(HTMLParser):
    """The report's tables: the controls summary and each control's exception rows."""

    def __init__(self) -> None:
        super().__init__()
        self.section: str | None = None
        self.table: str | None = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.controls: list[list[str]] = []
        self.computations: list[list[str]] = []
        self.exceptions: dict[str, list[list[str]]] = {}

    @classmethod
    def read(cls, path: Path) -> ReportPage:
        page = cls()
        page.feed(path.read_text(encoding="utf-8"))
        return page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "section":
            self.section = attributes.get("id")
        elif tag == "table":
            self.table = attributes.get("class")
        elif tag == "tr":
            self.row = []
        elif tag == "td" and self.row is not None:
            self.cell = []

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.row is not None and self.cell is not None:
            self.row.append("".join(self.cell))
            self.cell = None
        elif tag == "tr" and self.row:
            if self.table == "controls":
                self.controls.append(self.row)
            elif self.table == "computations":
                self.computations.append(self.row)
            elif self.table == "exceptions" and self.section:
                self.exceptions.setdefault(self.section, []).append(self.row)
            self.row = None
        elif tag == "section":
            self.section = None


def test_report_lists_every_control_with_its_result(rec: Reconciled) -> None:
    page = ReportPage.read(rec.report(Q2))
    assert [(row[0], row[5].split()[0]) for row in page.controls] == [
        (control, status) for control, (status, _, _) in CONTROLS[Q2].items()]
    for control, keys in Q2_EXCEPTION_KEYS.items():
        assert sorted(row[1] for row in page.exceptions.get(control, [])) == sorted(keys)


def test_report_is_offline_and_escapes_every_value(rec: Reconciled) -> None:
    for quarter in (Q1, Q2, Q3):
        text = rec.report(quarter).read_text(encoding="utf-8")
        assert not re.search(r"https?:", text, re.IGNORECASE)
        assert not re.search(r"<script|<img|<link|<iframe|src=|@import|url\(", text,
                             re.IGNORECASE)
        assert "default-src 'none'" in text
    text = rec.report(Q2).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    page = ReportPage.read(rec.report(Q2))
    assert [cell for row in page.exceptions["REC-INV-01"] for cell in row
                        if "alert" in cell] == [SCRIPT]


def test_report_names_hashes_run_metadata_sample_rule_and_sign_off(rec: Reconciled) -> None:
    text = rec.report(Q2).read_text(encoding="utf-8")
    for name in ("inventory_system.csv", "inventory_field.csv", "training_signin.csv"):
        digest = hashlib.sha256((FIXTURE / name).read_bytes()).hexdigest()
        assert digest in text, name
    run_id, as_of = query(rec.warehouse, "select run_id, as_of_date from "
                          "audit.reconciliation_runs where quarter = ?", [Q2])[0]
    assert run_id in text
    assert f"<dd>{as_of.isoformat()}</dd>" in text  # the as-of date of the build: 2026-09-30
    assert re.search(r"git [0-9a-f]{40}|chemsafe-esg \d", text)
    assert "md5 of the text" in text and "&#x27;&lt;quarter&gt;|&lt;site_id&gt;|" in text
    for label in ("검토자 Reviewer", "일자 Date", "의견 Comment"):
        assert f"<th>{label}</th><td></td>" in text or \
            f'<th>{label}</th><td class="comment"></td>' in text


# ------------------------------------------------------- what the auditor can rerun, pending

def test_every_printed_sql_runs_on_the_published_serving_file(rec: Reconciled) -> None:
    # The auditor receives the serving file, not the working warehouse: each SQL of each
    # report, as printed, gives exactly the control's exceptions there.
    chemsafe(rec.data_dir, "publish", "--reuse-build")
    serving = rec.data_dir / "serving" / "chemsafe_serving.duckdb"
    for quarter in (Q1, Q2, Q3):
        text = rec.report(quarter).read_text(encoding="utf-8")
        printed = [(control, html.unescape(sql)) for control, body in re.findall(
            r'<section class="control" id="([^"]+)">(.*?)</section>', text, re.S)
            for sql in re.findall(r"<pre>(.*?)</pre>", body, re.S)]
        assert len(printed) == len(re.findall(r"<pre>", text)) == len(CONTROLS[quarter])
        with duckdb.connect(str(serving), read_only=True) as con:
            for control, sql in printed:
                rows = con.execute(sql).fetchall()
                assert len(rows) == CONTROLS[quarter][control][2], (quarter, control)


def _pending_expected(quarter_end: str, year: int) -> tuple[int, int, int, int, int, int]:
    """(pending controls, controls, pending critical, critical, pending sampling rules,
    sampling rules in force), read in plain Python from controls.toml, the GX suites'
    severities and the policy seeds: a row is approved when it has an approval date."""
    catalog = tomllib.loads((PROJECT_ROOT / "expectations" / "controls.toml")
                            .read_text(encoding="utf-8"))
    severity: dict[str, str] = {}
    for suite in (PROJECT_ROOT / "expectations" / "gx" / "expectations").glob("*.json"):
        for expectation in json.loads(suite.read_text(encoding="utf-8"))["expectations"]:
            control = expectation["meta"]["control_id"]
            if severity.get(control) != "critical":
                severity[control] = expectation["severity"]
    seeds = PROJECT_ROOT / "seeds" / "reference"

    def in_force(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        return [r for r in rows if r["valid_from"] <= quarter_end
                and (not r["valid_to"] or quarter_end < r["valid_to"])]

    def read(name: str) -> list[dict[str, str]]:
        with (seeds / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    thresholds = in_force(read("reconciliation_thresholds.csv"))
    targets = read("kpi_targets.csv")
    pending = []
    for control in catalog["controls"]:
        if control["threshold"] == "rec_inv_01_min_hit_rate":  # the KPI target of the year
            (row,) = [t for t in targets if t["kpi_code"] == "LEAD_INVENTORY_ACCURACY"
                      and int(t["target_year"]) == year]
        else:
            (row,) = [t for t in thresholds if t["parameter"] == control["threshold"]]
        if not row["approved_on"]:
            pending.append(control["id"])
    critical = [c for c, s in severity.items() if s == "critical"]
    sampling = in_force(read("reconciliation_sampling.csv"))
    return (len(pending), len(catalog["controls"]), len(set(pending) & set(critical)),
            len(critical), sum(1 for r in sampling if not r["approved_on"]), len(sampling))


def test_banner_in_a_browser_counts_the_controls_on_unapproved_thresholds(
        rec: Reconciled) -> None:
    # 2026-Q1 is the clean quarter: every critical control passes and the command exits 0,
    # the case where a green banner alone would hide the pending approvals.
    pending, controls, pending_critical, critical, rules_pending, rules = \
        _pending_expected("2026-03-31", 2026)
    assert pending > 0 and rules_pending > 0  # the seeds still hold proposals
    expected = (f"{pending} of {controls} controls ({pending_critical} of {critical} critical) "
                "ran on thresholds pending approval")
    assert rec.runs[Q1].returncode == 0
    dom = dump_dom(rec.report(Q1))
    banner = re.search(r'<div class="banner [a-z]+" id="banner">(.*?)</div>', dom, re.S)
    assert banner is not None
    shown = html.unescape(re.sub(r"<[^>]+>", " ", banner.group(1)))
    assert expected in shown
    assert f"{rules_pending} of {rules} sampling rules are pending approval" in shown
    assert 'class="banner pending"' in banner.group(0)  # not the green "ok" banner
    # The console says the same; the sign-off block lists each control.
    assert "Every critical control passed" in shown
    assert expected in rec.runs[Q1].stdout
    signoff = dom[dom.index("Auditor sign-off"):]
    listed = re.search(r'<table class="pending-controls">(.*?)</table>', signoff, re.S)
    assert listed is not None
    assert len(re.findall(r"<tr><td>", listed.group(1))) == pending


def test_no_clear_employee_number_in_any_output(rec: Reconciled) -> None:
    for quarter in (Q1, Q2, Q3):
        for path in rec.report_dir(quarter).iterdir():
            assert not EMPLOYEE_NUMBERS.search(path.read_text(encoding="utf-8-sig")), path
    found = query(rec.warehouse, "select count(*) from audit.reconciliation_exceptions "
                  "where regexp_matches(cast(detail as varchar), '\\bE00[1-8]\\b')")
    assert found == [(0,)]


# ------------------------------------------------------------------------------ sample

def _md5_order(quarter: str, site: str, keys: list[str]) -> list[str]:
    return sorted(keys, key=lambda k: (hashlib.md5(f"{quarter}|{site}|{k}".encode())
                                       .hexdigest(), k))


def test_audit_sample_follows_the_printed_rule(rec: Reconciled) -> None:
    rows = rec.csv_rows(f"audit_sample_{Q2}.csv", Q2)
    got = {}
    for row in rows:
        got.setdefault((row["reconciliation"], row["site_id"], row["stratum"]), []).append(
            row["line_key"])
    # S02 LOW (F03): three lines, the rule draws 2 in md5 order of '2026-Q2|S02|<line>'.
    low = _md5_order(Q2, "S02", ["F03|67-64-1", "F03|7647-01-0", "F03|108-88-3"])[:2]
    assert got == {
        # every accident-precaution miss: F02 HCl out of tolerance, F01 HF, F02 HF one-sided
        ("inventory", "S01", "ACCIDENT_PRECAUTION_MISS"):
            _md5_order(Q2, "S01", ["F02|7647-01-0", "F01|7664-39-3", "F02|7664-39-3"]),
        # F01 and F02 are HIGH on 06-30: 5 lines, the rule draws 5
        ("inventory", "S01", "HIGH"): _md5_order(
            Q2, "S01", ["F01|67-64-1", "F02|67-64-1", "F01|7647-01-0", "F01|108-88-3",
                        "F02|108-88-3"]),
        ("inventory", "S02", "HIGH"): _md5_order(Q2, "S02", ["F04|67-64-1", "F04|108-88-3"]),
        ("inventory", "S02", "LOW"): low,
        # tier on the inspection date: F01 HIGH, F02 HIGH from 05-04, F03 LOW, F05 MEDIUM
        ("self_inspection", "S01", "HIGH"): _md5_order(
            Q2, "S01", ["F01@2026-04-02#1", "F02@2026-05-04#1", "F01@2026-06-15#1"]),
        ("self_inspection", "S02", "LOW"): ["F03@2026-05-11#1"],
        ("self_inspection", "S02", "MEDIUM"): ["F05@2026-06-01#1"],
    } | {key: value for key, value in got.items() if key[0] == "training"}
    training = [(k, len(v)) for k, v in got.items() if k[0] == "training"]
    assert sorted(training) == [(("training", "", "ALL"), 1), (("training", "S01", "ALL"), 1),
                                (("training", "S02", "ALL"), 1)]
    for row in rows:
        digest = hashlib.md5(f"{Q2}|{row['site_id']}|{row['line_key']}".encode()).hexdigest()
        assert row["sample_hash"] == digest
        assert [row[c] for c in ("checked_by", "checked_on", "paper_value",
                                 "agrees_with_paper", "comment")] == [""] * 5


# ------------------------------------------------------------------------------ reruns

def test_rerun_replaces_the_quarter_and_keeps_the_others(rec: Reconciled) -> None:
    def snapshot() -> dict[str, tuple[int, int, str]]:
        rows = query(rec.warehouse, """
            select r.quarter, r.run_id,
                   (select count(*) from audit.reconciliation_results s
                    where s.quarter = r.quarter),
                   (select count(*) from audit.reconciliation_exceptions e
                    where e.quarter = r.quarter)
            from audit.reconciliation_runs r""")
        return {q: (results_n, exceptions_n, run_id) for q, run_id, results_n, exceptions_n
                in rows}

    before = snapshot()
    assert {q: v[:2] for q, v in before.items()} == {Q1: (15, 1), Q2: (15, 20), Q3: (15, 214)}
    stale = rec.report_dir(Q2) / "left_over.txt"
    stale.write_text("from an earlier run", encoding="utf-8")
    rerun = reconcile(rec.data_dir, "--quarter", Q2)
    assert rerun.returncode == 1
    after = snapshot()
    assert {q: v[:2] for q, v in after.items()} == {q: v[:2] for q, v in before.items()}
    assert after[Q2][2] != before[Q2][2]  # a new run replaced Q2...
    assert (after[Q1], after[Q3]) == (before[Q1], before[Q3])  # ...and nothing else
    assert not stale.exists()
    assert after[Q2][2] in rec.report(Q2).read_text(encoding="utf-8")
    assert sorted(p.name for p in (rec.data_dir / "reports").iterdir()) == [Q1, Q2, Q3]
    assert results(rec, Q2) == {c: (s, pytest.approx(o) if o is not None else None, n)
                                for c, (s, o, n) in CONTROLS[Q2].items()}


def test_a_quarter_outside_the_window_writes_nothing(rec: Reconciled) -> None:
    before = query(rec.warehouse, "select quarter, run_id from audit.reconciliation_runs")
    result = reconcile(rec.data_dir, "--quarter", "2030-Q1")
    assert result.returncode == 2
    assert "2030-Q1 is not in the reporting window" in result.stderr
    assert query(rec.warehouse, "select quarter, run_id from audit.reconciliation_runs") == before
    assert not (rec.data_dir / "reports" / "2030-Q1").exists()
    assert reconcile(rec.data_dir, "--quarter", "2026Q1").returncode == 2  # not a label
    for label in ("2026-Q1\n", "٢٠٢٦-Q1"):  # a final newline; Arabic-Indic digits
        refused = reconcile(rec.data_dir, "--quarter", label)
        assert refused.returncode == 2
        assert "not a quarter label" in refused.stderr


# ------------------------------------------------------------------- in a real browser

def test_browser_renders_the_korean_text_and_the_control_table(rec: Reconciled) -> None:
    dom = dump_dom(rec.report(Q2))
    page = ReportPage()
    page.feed(dom)
    assert [(row[0], row[5]) for row in page.controls] == [
        (control, {"PASS": "PASS 적합", "FAIL": "FAIL 부적합", "WARN": "WARN 경고"}[status])
        for control, (status, _, _) in CONTROLS[Q2].items()]
    assert page.controls[0][1] == ("재고 기록 정확도 (적중률) 목표 이상"
                                   "Inventory record accuracy: hit rate at least the year's target")
    assert "분기 대사 보고서 · Quarterly reconciliation report 2026-Q2" in dom
    assert "<script" not in dom  # the planted value stayed text...
    assert [cell for row in page.exceptions["REC-INV-01"] for cell in row
                        if "alert" in cell] == [SCRIPT]  # ...and is shown as such


def test_korean_title_renders_in_real_glyphs_with_the_named_font(rec: Reconciled,
                                                                  tmp_path: Path) -> None:
    assert REPORT_FONT_STACK.startswith('"Noto Sans CJK KR"')
    installed = subprocess.run(["fc-match", "-f", "%{family}", "Noto Sans CJK KR"],
                               capture_output=True, text=True, check=True).stdout
    assert "Noto Sans CJK KR" in installed
    real = first_line_glyphs(read_png(screenshot(rec.report(Q2), tmp_path / "real.png", 1400, 200)))
    # The same page with a fontconfig that knows no Korean font: Hangul becomes tofu.
    tofu = first_line_glyphs(read_png(screenshot(rec.report(Q2), tmp_path / "tofu.png", 1400,
                                                 200, env=fonts_without_korean(tmp_path / "fc"))))
    # 분기 대사 보고서: 7 syllables. As tofu they are 7 identical boxes...
    assert max(Counter(tofu[:7]).values()) == 7
    # ...with the font, every syllable is its own shape (some in two parts, e.g. 기).
    assert max(Counter(real[:9]).values()) == 1


def test_a_missing_threshold_stops_the_run_instead_of_passing(rec: Reconciled,
                                                               tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copyfile(rec.warehouse, data_dir / "chemsafe.duckdb")
    with duckdb.connect(str(data_dir / "chemsafe.duckdb")) as con:
        con.execute("delete from reference.kpi_targets where kpi_code = "
                    "'LEAD_INVENTORY_ACCURACY' and target_year = 2026")
    result = reconcile(data_dir, "--quarter", Q2)
    assert result.returncode == 2
    assert "no single threshold rec_inv_01_min_hit_rate in force for 2026-Q2" in result.stderr
    assert query(data_dir / "chemsafe.duckdb", "select quarter from audit.reconciliation_runs "
                 "order by 1") == [(Q1,), (Q2,), (Q3,)]  # as copied: nothing replaced
    assert not (data_dir / "reports").exists()


def test_great_expectations_leaves_nothing_behind(rec: Reconciled) -> None:
    work = rec.data_dir / "reconcile"
    assert work.is_dir() and list(work.iterdir()) == []  # the per-run GX copy is removed
    assert not (PROJECT_ROOT / "expectations" / "gx" / "uncommitted").exists()
    assert [p.name for p in (rec.data_dir / "reports").iterdir() if p.name.startswith(".")] == []


def test_gx_and_sql_agree_on_a_quarter_of_synthetic_lines(rec: Reconciled,
                                                          tmp_path: Path) -> None:
    """The benchmark's synthetic quarter (chemsafe bench --reconcile-lines), small: 1,000
    lines added to 2026-Q3 with every status. GX and SQL must agree (no exit code 2), and
    GX's inventory hit rate is the one recounted here from the generating rules."""
    from chemsafe.bench.reconcile_lines import inflate_latest_quarter

    data_dir = tmp_path / "data"
    assert inflate_latest_quarter(rec.data_dir, data_dir, 1000) == Q3
    result = reconcile(data_dir, "--quarter", Q3)
    assert result.returncode == 1, result.stdout + result.stderr  # controls fail, no disagreement
    assert "disagree" not in result.stderr
    statuses = Counter(
        "missing_in_system" if i % 97 == 5 else "missing_in_field" if i % 89 == 7
        else "out_of_tolerance" if i % 41 == 3 else "matched" for i in range(400))
    # plus the fixture's two 2026-09-30 lines: one matched, one out of tolerance
    hits, lines = statuses["matched"] + 1, 400 + 2
    got = gx_controls(Reconciled(data_dir, data_dir / "chemsafe.duckdb", {}), Q3)
    assert got["REC-INV-01"]["observed"] == pytest.approx(hits / lines, abs=1e-12)
    assert len(got["REC-INV-01"]["lines"]) == lines - hits


def test_reconcile_refuses_a_warehouse_whose_last_build_did_not_pass_whole(
        reconciliation_build: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A build that failed half-way (or a selective one) leaves the warehouse mixing two
    loads: audit.ingest_manifest rebuilt from the new load, marts from the old. Reconciled
    as it stood, the report named the new load beside the old load's exceptions, and the
    next publish showed them beside marts they did not match. With no passed full build
    recorded since the last dbt command, reconcile refuses and writes nothing."""
    data_dir = private_copy(reconciliation_build, tmp_path_factory, "half-built")
    warehouse = data_dir / "chemsafe.duckdb"
    chemsafe(data_dir, "build", "--select", "stg_ehs__sites")  # passes; not a full build
    tables = query(warehouse, "select table_schema, table_name from information_schema.tables")

    refused = reconcile(data_dir, "--quarter", Q2)

    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "no passed full build" in refused.stderr
    assert "chemsafe build" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (data_dir / "reports").exists()
    assert query(warehouse, "select table_schema, table_name from information_schema.tables"
                 ) == tables  # no reconciliation table written either
