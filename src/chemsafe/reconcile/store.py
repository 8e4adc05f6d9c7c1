"""Results of `chemsafe reconcile` in the warehouse (schema audit), one quarter at a time.

    audit.reconciliation_runs        one row per quarter: the run that produced its results
    audit.reconciliation_results     one row per (quarter, control)
    audit.reconciliation_exceptions  one row per (quarter, control, exception line), the
                                     line itself as JSON in `detail`

A rerun of a quarter deletes that quarter's rows and inserts the new ones in one
transaction: a reader sees the old results or the new, never both and never a mix; other
quarters are not touched. The exception rows are copied inside the database by
INSERT ... SELECT on the control's exception SQL, however many there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from chemsafe.reconcile.catalog import bind, sql_literal
from chemsafe.reconcile.outcome import ControlResult
from chemsafe.reconcile.warehouse import plain

DDL = (
    "create schema if not exists audit",
    """create table if not exists audit.reconciliation_runs (
        quarter varchar not null,
        run_id varchar not null,
        run_at timestamp not null,
        quarter_end date not null,
        as_of_date date,
        load_id varchar,
        code_version varchar not null,
        gx_version varchar not null,
        controls_version varchar not null,
        controls_total integer not null,
        controls_passed integer not null,
        critical_failed integer not null,
        warnings_failed integer not null,
        exit_code integer not null,
        report_dir varchar not null
    )""",
    """create table if not exists audit.reconciliation_results (
        quarter varchar not null,
        run_id varchar not null,
        control_id varchar not null,
        checkpoint varchar not null,
        suite varchar not null,
        reconciliation varchar not null,
        severity varchar not null,
        status varchar not null,
        passed boolean not null,
        observed_measure varchar not null,
        observed_value double,
        comparator varchar not null,
        threshold_parameter varchar not null,
        threshold_value double not null,
        threshold_source varchar not null,
        exceptions_count bigint not null,
        expectations_total integer not null,
        expectations_failed integer not null,
        previous_quarter varchar,
        previous_observed_value double,
        previous_threshold_value double,
        previous_status varchar,
        previous_exceptions_count bigint
    )""",
    """create table if not exists audit.reconciliation_exceptions (
        quarter varchar not null,
        run_id varchar not null,
        control_id varchar not null,
        exception_no bigint not null,
        site_id varchar,
        facility_id varchar,
        line_key varchar not null,
        detail json not null
    )""",
)
TABLES = ("reconciliation_exceptions", "reconciliation_results", "reconciliation_runs")
# Stored as database comments (like dbt's persist_docs), so BI tools and the serving file
# show them.
TABLE_COMMENTS = {
    "reconciliation_runs": "chemsafe reconcile: one row per quarter, the run whose results "
                           "audit.reconciliation_results and _exceptions hold (replaced by a "
                           "rerun of the quarter).",
    "reconciliation_results": "chemsafe reconcile: one row per quarter and control (control "
                              "ids in expectations/controls.toml): observed value, threshold "
                              "in force, PASS/FAIL/WARN, exceptions, previous quarter.",
    "reconciliation_exceptions": "chemsafe reconcile: every exception line of every control "
                                 "of a quarter (no cap), the line itself as JSON in detail.",
}
COLUMN_COMMENTS = {
    ("reconciliation_results", "status"): "PASS; FAIL = a critical control failed (the run "
                                          "exits 1); WARN = a warning-level control failed.",
    ("reconciliation_results", "observed_value"): "The control's measure (a fraction, a count "
                                                  "or days); NULL = nothing to reconcile.",
    ("reconciliation_results", "threshold_source"): "Where the threshold comes from: "
                                                    "kpi_targets or reconciliation_thresholds "
                                                    "and its version.",
    ("reconciliation_exceptions", "line_key"): "The exception line (unique per control and "
                                               "quarter).",
    ("reconciliation_exceptions", "detail"): "The exception line as selected by the control's "
                                             "exception SQL, as JSON.",
}


@dataclass(frozen=True)
class RunRecord:
    quarter: str
    run_id: str
    run_at: datetime
    quarter_end: date
    as_of_date: date | None
    load_id: str | None
    code_version: str
    gx_version: str
    controls_version: str
    exit_code: int
    report_dir: str


def _number(value: object) -> float | None:
    value = plain(value)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


def _result_row(run: RunRecord, result: ControlResult) -> tuple[object, ...]:
    control, current, previous = result.control, result.current, result.previous
    return (
        run.quarter, run.run_id, control.id, control.checkpoint, control.suite,
        control.reconciliation, current.severity, current.status, current.passed,
        control.observed, _number(current.observed), control.comparator, control.threshold,
        current.threshold.value, current.threshold.source, current.exceptions_count,
        len(current.expectations), sum(not o.success for o in current.expectations),
        result.previous_period,
        _number(previous.observed) if previous else None,
        previous.threshold.value if previous else None,
        previous.status if previous else None,
        previous.exceptions_count if previous else None,
    )


def replace_quarter(con: duckdb.DuckDBPyConnection, run: RunRecord,
                    results: Sequence[ControlResult], sql_values: dict[str, object]) -> None:
    """Replace the quarter's runs, results and exceptions in one transaction."""
    for statement in DDL:
        con.execute(statement)
    for table, comment in TABLE_COMMENTS.items():
        con.execute(f"comment on table audit.{table} is {sql_literal(comment)}")
    for (table, column), comment in COLUMN_COMMENTS.items():
        con.execute(f"comment on column audit.{table}.{column} is {sql_literal(comment)}")
    con.execute("begin transaction")
    try:
        for table in TABLES:
            con.execute(f"delete from audit.{table} where quarter = ?", [run.quarter])
        statuses = [r.status for r in results]
        con.execute(
            "insert into audit.reconciliation_runs values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run.quarter, run.run_id, run.run_at, run.quarter_end, run.as_of_date,
             run.load_id, run.code_version, run.gx_version, run.controls_version,
             len(results), statuses.count("PASS"), statuses.count("FAIL"),
             statuses.count("WARN"), run.exit_code, run.report_dir],
        )
        con.executemany(
            "insert into audit.reconciliation_results values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [list(_result_row(run, r)) for r in results],
        )
        for result in results:
            control = result.control
            sql = control.exceptions_sql
            columns = {d[0] for d in con.execute(
                f"select * from ({sql}\n) as e limit 0", bind(sql, sql_values)).description}
            facility = "e.facility_id" if "facility_id" in columns else "null"
            insert = f"""
                insert into audit.reconciliation_exceptions
                select
                    $run_quarter, $run_id, $control_id,
                    row_number() over (order by {control.exceptions_order}),
                    e.site_id, {facility}, e.line_key, to_json(e)
                from ({sql}
                ) as e"""
            values = {**sql_values, "run_quarter": run.quarter, "run_id": run.run_id,
                      "control_id": control.id}
            con.execute(insert, bind(insert, values))
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
