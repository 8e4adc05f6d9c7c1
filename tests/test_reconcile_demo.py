"""`chemsafe reconcile` on the demo warehouse, checked against an independent recount.

The demo drop is meant to look imperfect (demo/extracts/README.md: "counts miss, checks
are skipped") until its last quarter, which follows a count-accuracy programme: the
latest quarter, 2026-Q2 (the default), must pass every critical control and exit 0, and
2026-Q1 must exit 1 naming exactly the critical controls that fail. Which ones pass is not
copied from the program: this module recounts every critical reconciliation control of a
quarter in Python from the accepted (staging) rows, with the rules of kpi_spec.md and the
thresholds written below, without reading any reconciliation mart.

The session's demo warehouse is shared with other tests, so the reconciliation runs on a
copy of the file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

from conftest import CHEMSAFE, PROJECT_ROOT, query

# quarter -> (first day, quarter end, previous quarter end)
QUARTERS = {
    "2026-Q1": (date(2026, 1, 1), date(2026, 3, 31), date(2025, 12, 31)),
    "2026-Q2": (date(2026, 4, 1), date(2026, 6, 30), date(2026, 3, 31)),
}
ABS_TOL, REL_TOL, REL_TOL_AP = Decimal("1.0"), Decimal("0.02"), Decimal("0.005")  # kpi_spec
HIT_RATE_TARGET_2026 = 0.97  # seeds/reference/kpi_targets.csv, LEAD_INVENTORY_ACCURACY
COVERAGE_MIN = 0.95  # seeds/reference/reconciliation_thresholds.csv, RC-2026.1


def _inventory_statuses(warehouse: Path, on: date) -> dict[tuple[str, str], tuple[str, bool]]:
    system = {(f, c): q for f, c, q in query(
        warehouse, "select facility_id, cas_no, quantity_kg from "
                   "staging.stg_erp__inventory_balances where reference_date = ?", [on])}
    field = {(f, c): n for f, c, n in query(
        warehouse, "select facility_id, cas_no, counted_kg from "
                   "staging.stg_field__inventory_counts where reference_date = ?", [on])}
    precaution = {cas for (cas,) in query(
        warehouse, "select cas_no from staging.stg_ehs__substances where accident_precaution")}
    out = {}
    for key in system.keys() | field.keys():
        quantity, counted = system.get(key), field.get(key)
        if quantity is None:
            status = "missing_in_system"
        elif counted is None:
            status = "missing_in_field"
        else:
            rel = REL_TOL_AP if key[1] in precaution else REL_TOL
            status = ("matched" if abs(counted - quantity) <= max(ABS_TOL, rel * quantity)
                      else "out_of_tolerance")
        out[key] = (status, key[1] in precaution)
    return out


def _paired(system: list[tuple], field: list[tuple]) -> tuple[int, int, int]:
    """(matched, system records, field records): records sharing a key pair one to one."""
    s, f = Counter(system), Counter(field)
    return sum(min(n, f[k]) for k, n in s.items()), len(system), len(field)


def recount(warehouse: Path, quarter: str) -> dict[str, bool]:
    """Control id -> passes, for the seven critical controls of the quarter."""
    start, end, previous_end = QUARTERS[quarter]
    now = _inventory_statuses(warehouse, end)
    before = _inventory_statuses(warehouse, previous_end)
    hits = sum(status == "matched" for status, _ in now.values())
    ap_missing = sum(ap and status.startswith("missing") for status, ap in now.values())
    escalated = sum(status == "out_of_tolerance" and before.get(k, ("",))[0] == status
                    for k, (status, _) in now.items())
    si_matched, si_system, si_field = _paired(
        query(warehouse, "select facility_id, inspected_on from staging.stg_ehs__inspections "
                         "where inspection_type = 'SELF_INSPECTION' and inspected_on between ? "
                         "and ?", [start, end]),
        query(warehouse, "select facility_id, inspected_on from "
                         "staging.stg_field__self_inspection_checklists "
                         "where inspected_on between ? and ?", [start, end]))
    tr_matched, tr_system, tr_field = _paired(
        query(warehouse, "select employee_key, course_code, completed_on from "
                         "staging.stg_lms__training_records where completed_on between ? and ?",
              [start, end]),
        query(warehouse, "select employee_key, course_code, session_on from "
                         "staging.stg_field__training_signins where session_on between ? and ?",
              [start, end]))
    return {
        "REC-INV-01": hits / len(now) >= HIT_RATE_TARGET_2026,
        "REC-INV-02": ap_missing == 0,
        "REC-INV-03": escalated == 0,
        "REC-SI-01": si_matched / si_system >= COVERAGE_MIN,
        "REC-SI-02": si_matched / si_field >= COVERAGE_MIN,
        "REC-TR-01": tr_matched / tr_system >= COVERAGE_MIN,
        "REC-TR-02": tr_matched / tr_field >= COVERAGE_MIN,
    }


def _warehouse_copy(demo_warehouse: Path, data_dir: Path) -> Path:
    data_dir.mkdir()
    for name in ("chemsafe.duckdb", "chemsafe.duckdb.wal"):
        if (demo_warehouse.parent / name).exists():
            shutil.copyfile(demo_warehouse.parent / name, data_dir / name)
    return data_dir / "chemsafe.duckdb"


def _reconcile(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CHEMSAFE_DATA_DIR=str(data_dir))
    env.pop("CHEMSAFE_PSEUDONYM_KEY", None)
    return subprocess.run([CHEMSAFE, "reconcile", *args], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, check=False)


def _stored_statuses(warehouse: Path, quarter: str) -> dict[str, str]:
    return dict(query(warehouse, "select control_id, status from audit.reconciliation_results "
                                 "where quarter = ? and severity = 'critical'", [quarter]))


def test_reconcile_of_the_latest_demo_quarter_passes_and_exits_0(demo_warehouse: Path,
                                                                  tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    warehouse = _warehouse_copy(demo_warehouse, data_dir)
    expected = recount(warehouse, "2026-Q2")
    assert all(expected.values()), f"the recount fails {expected}: the demo changed"

    result = _reconcile(data_dir)  # no --quarter: the latest quarter
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Reconciliation 2026-Q2 " in result.stdout
    assert "critical control(s) failed" not in result.stdout
    assert _stored_statuses(warehouse, "2026-Q2") == dict.fromkeys(expected, "PASS")
    # the one planted out-of-tolerance line is still listed as an exception
    exceptions = query(warehouse, "select count(*) from audit.reconciliation_exceptions "
                                  "where quarter = '2026-Q2' and control_id = 'REC-INV-01'")
    assert exceptions == [(1,)]
    report = data_dir / "reports" / "2026-Q2" / "reconciliation_report_2026-Q2.html"
    assert report.is_file()


def test_reconcile_of_a_failing_demo_quarter_names_the_recounted_controls(
        demo_warehouse: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    warehouse = _warehouse_copy(demo_warehouse, data_dir)
    expected = recount(warehouse, "2026-Q1")
    failing = sorted(c for c, passes in expected.items() if not passes)
    assert failing, "2026-Q1 of the demo was expected to fail a control"

    result = _reconcile(data_dir, "--quarter", "2026-Q1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"critical control(s) failed: {', '.join(failing)} (exit code 1)" in result.stdout
    assert _stored_statuses(warehouse, "2026-Q1") == {
        c: "PASS" if passes else "FAIL" for c, passes in expected.items()}
    report = data_dir / "reports" / "2026-Q1" / "reconciliation_report_2026-Q1.html"
    assert report.is_file()
