"""DQ-INV-02, the count window after the quarter end (boundary register entry
count_window_after_quarter_end): a physical count is taken 0..14 days after the quarter end
it reconciles to (reconciliation_thresholds.csv RC-2026.1: dq_inv_02_min_days_after 0,
dq_inv_02_max_days_after 14; expectations/controls.toml DQ-INV-02).

The control's real SQL (exceptions and measures, from expectations/controls.toml) runs on a
small DuckDB holding only the lines it reads, with counts exactly on each end of the window
and one day outside; its Great Expectations suite (dq_inventory_field) is run through its
checkpoint on the lines of each case. Expected outcomes worked out by hand, not read from the code:

    reference_date 2026-06-30 (the quarter end)
    LBEF  counted 2026-06-29  day -1  -> exception (before the quarter end)
    LDY0  counted 2026-06-30  day  0  -> in the window
    LD14  counted 2026-07-14  day 14  -> in the window
    LD15  counted 2026-07-15  day 15  -> exception (after the window)
    LNOC  not counted (counted_kg NULL), counted_on 2026-08-29  -> not a count: ignored
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from chemsafe.reconcile import gx_runner
from chemsafe.reconcile.catalog import Catalog, bind, gx_project_dir, load_catalog
from chemsafe.reconcile.warehouse import batch_frame

QUARTER = "2026-Q2"
QUARTER_END = date(2026, 6, 30)
WINDOW = {"dq_inv_02_min_days_after": 0, "dq_inv_02_max_days_after": 14}  # by hand, above

# line_key -> counted_on (counted_kg NULL for LNOC)
LINES = {
    "LBEF": date(2026, 6, 29),
    "LDY0": date(2026, 6, 30),
    "LD14": date(2026, 7, 14),
    "LD15": date(2026, 7, 15),
    "LNOC": date(2026, 8, 29),
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def warehouse(keys: list[str]) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with the relations the inventory_lines fragment reads (the
    quarter's population and the mart), holding the given lines of LINES at facility <key>,
    substance 67-64-1, quantity 100."""
    con = duckdb.connect(":memory:")
    con.execute("create schema marts")
    con.execute("""
        create table marts.fct_inventory_reconciliation (
            period varchar, is_quarter_end boolean, site_id varchar, facility_id varchar,
            cas_no varchar, is_accident_precaution boolean, match_status varchar,
            quantity_kg decimal(18, 3), counted_kg decimal(18, 3),
            difference_kg decimal(18, 3), tolerance_kg decimal(18, 3),
            rel_tol_applied decimal(9, 6), abs_tol_kg decimal(18, 3),
            tolerance_policy_version varchar, previous_quarter_status varchar,
            is_escalated boolean, reference_date date, counted_on date,
            counted_by varchar, sheet_no varchar, system_source_line integer,
            field_source_line integer)""")
    con.execute("""
        create table marts.fct_reconciliation_lines (
            reconciliation varchar, period varchar, line_key varchar, facility_id varchar,
            item_code varchar, line_date date)""")
    con.execute("create table marts.dim_facilities (facility_id varchar, facility_name varchar)")
    con.execute("create table marts.dim_substances (cas_no varchar, name_ko varchar)")
    for key in keys:
        counted = None if key == "LNOC" else 100
        con.execute(
            "insert into marts.fct_inventory_reconciliation values (?, true, 'S1', ?, "
            "'67-64-1', false, 'matched', 100, ?, 0, 2, 0.02, 1, 'T', null, false, ?, ?, "
            "'E1', 'SH-1', 2, 2)",
            [QUARTER, key, counted, QUARTER_END, LINES[key]])
        con.execute("insert into marts.fct_reconciliation_lines values "
                    "('inventory', ?, ? || '|67-64-1', ?, '67-64-1', ?)",
                    [QUARTER, key, key, QUARTER_END])
    return con


def exception_keys(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> list[str]:
    control = catalog.control("DQ-INV-02")
    sql = control.ordered_exceptions_sql()
    values = {"quarter": QUARTER, **WINDOW}
    rows = con.execute(sql, bind(sql, values)).fetchall()
    columns = [d[0] for d in con.description]
    return sorted(row[columns.index("facility_id")] for row in rows)


def window_measures(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> dict[str, object]:
    """DQ-INV-02's own measures (the checkpoint's other measures read other relations)."""
    values = {"quarter": QUARTER}
    return {column: con.execute(sql, bind(sql, values)).fetchone()[0]
            for column, sql in catalog.control("DQ-INV-02").measures.items()}


def test_exceptions_are_the_counts_outside_days_0_to_14(catalog: Catalog) -> None:
    con = warehouse(list(LINES))
    assert exception_keys(con, catalog) == ["LBEF", "LD15"]


@pytest.mark.parametrize(("keys", "expected"), [
    (["LDY0", "LD14", "LNOC"], (0, 14)),  # both window ends, the uncounted line ignored
    (["LDY0", "LD15"], (0, 15)),
    (["LBEF", "LD14"], (-1, 14)),
])
def test_measures_are_the_first_and_last_count_day(catalog: Catalog, keys: list[str],
                                                    expected: tuple[int, int]) -> None:
    con = warehouse(keys)
    got = window_measures(con, catalog)
    assert (got["inventory_count_min_days_after"],
            got["inventory_count_max_days_after"]) == expected


KEY = "{}|67-64-1"  # line_key of a line of LINES


@pytest.mark.parametrize(("keys", "expected"), [
    # (GX success, GX's unexpected lines) of the two DQ-INV-02 expectations
    (["LDY0", "LD14", "LNOC"], {"expect_column_values_to_be_between": (True, ()),
                                "expect_column_max_to_be_between": (True, ())}),  # 0, 14: pass
    (["LDY0", "LD15"], {"expect_column_values_to_be_between": (False, (KEY.format("LD15"),)),
                        "expect_column_max_to_be_between": (False, ())}),  # day 15: fails
    (["LBEF", "LD14"], {"expect_column_values_to_be_between": (False, (KEY.format("LBEF"),)),
                        "expect_column_max_to_be_between": (True, ())}),  # day -1: fails
])
def test_suite_passes_day_0_and_14_and_fails_day_minus_1_and_15(
        catalog: Catalog, tmp_path: Path, keys: list[str],
        expected: dict[str, tuple[bool, tuple[str, ...]]]) -> None:
    """The suite on the lines themselves, read by the checkpoint's own SQL: GX lists the
    count outside the window; the uncounted line is outside the expectation's rows."""
    con = warehouse(keys)
    control = catalog.control("DQ-INV-02")
    frame = batch_frame(con, catalog, control.checkpoint, {"quarter": QUARTER})
    parameters = {name: 0 for names in gx_runner.suite_parameters(gx_project_dir()).values()
                  for name in names}
    parameters.update(WINDOW)
    with gx_runner.gx_context(gx_project_dir(), tmp_path) as context:
        run = gx_runner.run_checkpoint(context, control.checkpoint, frame, parameters)
    outcomes = {o.expectation_type: (o.success, o.unexpected_lines) for o in run.outcomes
                if o.control_id == "DQ-INV-02"}
    assert outcomes == expected
