"""The finding score: SQL (the project's one scoring macro, run in DuckDB) against the
Python reference of kpi_spec.md, and every fact row recomputable from its own columns."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from chemsafe.dbt_runner import dbt_env, dbt_executable
from chemsafe.paths import DataPaths
from conftest import PROJECT_ROOT, query

# --- the reference, copied verbatim from kpi_spec.md --------------------------------------
RISK_WEIGHT = {"LOW": 1, "MEDIUM": 3, "HIGH": 7}


def finding_score(risk_level: str, severity: int, days_open: int, is_repeat: bool) -> float:
    open_factor = 1 + days_open / 30
    repeat_factor = 1.5 if is_repeat else 1.0
    return RISK_WEIGHT[risk_level] * severity * open_factor * repeat_factor
# -------------------------------------------------------------------------------------------


def compile_inline(data_dir: Path, jinja_sql: str) -> str:
    """Compile a snippet with the project's macros (dbt compile --inline)."""
    result = subprocess.run(
        [dbt_executable(), "compile", "--quiet", "--inline", jinja_sql,
         "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)],
        cwd=PROJECT_ROOT, env=dbt_env(DataPaths(data_dir)), capture_output=True, text=True,
        check=True,
    )
    return result.stdout.strip()


def test_sql_score_equals_python_reference(demo_warehouse: Path) -> None:
    # The SQL under test is the project's scoring macro, compiled by dbt.
    score_sql = compile_inline(
        demo_warehouse.parent,
        "select {{ finding_score('weight', 'severity', 'days_open', 30, 'is_repeat', 1.5) }}"
        " as score from cases order by id",
    )
    con = duckdb.connect()

    case = st.tuples(
        st.sampled_from(["LOW", "MEDIUM", "HIGH"]),
        st.integers(min_value=1, max_value=5),
        st.integers(min_value=0, max_value=20_000),
        st.booleans(),
    )

    @settings(max_examples=4, deadline=None, database=None)
    @given(st.lists(case, min_size=300, max_size=300))
    def check(cases: list[tuple[str, int, int, bool]]) -> None:
        con.execute("create or replace table cases (id integer, weight integer, "
                    "severity integer, days_open integer, is_repeat boolean)")
        con.executemany(
            "insert into cases values (?, ?, ?, ?, ?)",
            [(i, RISK_WEIGHT[t], s, d, r) for i, (t, s, d, r) in enumerate(cases)],
        )
        got = [row[0] for row in con.execute(score_sql).fetchall()]
        expected = [finding_score(t, s, d, r) for t, s, d, r in cases]
        assert len(got) == len(expected)
        for g, e, c in zip(got, expected, cases, strict=True):
            assert abs(g - e) <= 1e-9, (c, g, e)
        check.examples += len(cases)  # type: ignore[attr-defined]

    check.examples = 0  # type: ignore[attr-defined]
    check()
    # Boundaries always included: integer division would give 1 here, not 1.5.
    check_values = con.execute(
        compile_inline(
            demo_warehouse.parent,
            "select {{ finding_score(7, 5, 45, 30, 'true', 1.5) }},"
            " {{ finding_score(1, 1, 29, 30, 'false', 1.5) }}",
        )
    ).fetchone()
    assert check_values is not None
    assert math.isclose(check_values[0], finding_score("HIGH", 5, 45, True), abs_tol=1e-12)
    assert math.isclose(check_values[1], finding_score("LOW", 1, 29, False), abs_tol=1e-12)
    assert check.examples >= 1000  # type: ignore[attr-defined]


def test_every_fact_row_recomputes_from_its_own_columns(demo_warehouse: Path) -> None:
    rows = query(
        demo_warehouse,
        "select f.finding_id, f.risk_tier_on_found, f.severity, f.days_open, f.is_repeat,"
        " f.finding_score, f.found_on, f.closed_on, f.as_of_date, f.risk_weight,"
        " f.open_factor, f.repeat_factor"
        " from marts.fct_findings f",
    )
    assert len(rows) > 500
    for (finding_id, tier, severity, days_open, is_repeat, score, found_on, closed_on,
         as_of, weight, open_factor, repeat_factor) in rows:
        end = min(closed_on, as_of) if closed_on is not None else as_of
        assert days_open == max((end - found_on).days, 0), finding_id
        assert weight == RISK_WEIGHT[tier]
        assert math.isclose(open_factor, 1 + days_open / 30, abs_tol=1e-12)
        assert repeat_factor == (1.5 if is_repeat else 1.0)
        assert abs(score - finding_score(tier, severity, days_open, is_repeat)) <= 1e-9


def test_snapshot_rows_recompute_and_hold_only_open_findings(demo_warehouse: Path) -> None:
    rows = query(
        demo_warehouse,
        "select s.finding_id, s.quarter_end, s.risk_tier_on_found, s.severity, s.days_open,"
        " s.is_repeat, s.finding_score, s.found_on, s.closed_on"
        " from marts.fct_finding_quarter_snapshots s",
    )
    assert len(rows) > 100
    for finding_id, quarter_end, tier, severity, days_open, is_repeat, score, found_on, \
            closed_on in rows:
        assert found_on <= quarter_end and (closed_on is None or closed_on > quarter_end)
        assert days_open == (quarter_end - found_on).days, finding_id
        assert abs(score - finding_score(tier, severity, days_open, is_repeat)) <= 1e-9
