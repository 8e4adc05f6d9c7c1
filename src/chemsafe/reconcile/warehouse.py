"""What the reconciliation reads from the DuckDB warehouse, by SQL in the database: the
quarter, the thresholds in force, the control measures, the exception lines, the
reconciliation counts, the tolerances, the extract hashes and the as-of date; and, for Great
Expectations, a checkpoint's table of lines (batch_frame), the one query that loads a
table into Python: only the columns its suites read, one checkpoint at a time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from chemsafe.reconcile.catalog import Catalog, Control, bind, previous_quarter

SUMMARY_COUNTS = (
    "lines_total", "lines_in_system", "lines_in_field", "matched", "out_of_tolerance",
    "missing_in_field", "missing_in_system", "escalated_lines",
    "accident_precaution_missing_lines", "hit_rate",
)

DEFAULT_PARAMETER_SQL = """
select
    t.parameter_value as value,
    'reconciliation_thresholds ' || t.policy_version as source,
    t.approved_by,
    t.approved_on,
    t.unit
from reference.reconciliation_thresholds as t
where t.parameter = $parameter
  and t.valid_from <= $quarter_end
  and (t.valid_to is null or $quarter_end < t.valid_to)
"""


class ReconcileError(RuntimeError):
    """A condition that stops the run before any result is written (exit code 2)."""


@dataclass(frozen=True)
class Quarter:
    period: str
    year: int
    quarter_start: date
    quarter_end: date

    def sql_values(self) -> dict[str, object]:
        return {"quarter": self.period, "quarter_end": self.quarter_end}


@dataclass(frozen=True)
class Threshold:
    parameter: str
    value: float
    source: str
    approved_by: str | None
    approved_on: date | None
    unit: str


@dataclass(frozen=True)
class ExtractFile:
    source_file: str
    sha256: str
    size_bytes: int
    encoding: str
    records_read: int
    load_id: str
    loaded_at: object


RECONCILE_MEMORY_LIMIT = "512MB"


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection on the warehouse with a smaller memory bound than the build
    (CHEMSAFE_RECONCILE_MEMORY_LIMIT, default 512MB; DuckDB spills to disk beyond it): a
    reconciliation reads one quarter's lines and aggregates in the database, so the whole
    process (Python, Great Expectations, DuckDB) stays under 1 GB at any data size."""
    return duckdb.connect(str(path), config={
        "memory_limit": os.environ.get("CHEMSAFE_RECONCILE_MEMORY_LIMIT",
                                       RECONCILE_MEMORY_LIMIT),
        "preserve_insertion_order": False,  # every query that lists rows orders them
    })


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, values: Mapping[str, object]) -> object:
    rows = con.execute(sql, bind(sql, values)).fetchall()
    return rows[0][0] if rows else None


def plain(value: object) -> object:
    """A measure as GX and the report take it: Decimal as float, everything else as is."""
    return float(value) if isinstance(value, Decimal) else value


def quarters_in_window(con: duckdb.DuckDBPyConnection) -> dict[str, Quarter]:
    rows = con.execute(
        "select period, year, quarter_start, quarter_end from marts.dim_quarters "
        "order by quarter_end"
    ).fetchall()
    return {period: Quarter(period, int(year), start, end) for period, year, start, end in rows}


def resolve_quarter(con: duckdb.DuckDBPyConnection, requested: str | None) -> Quarter:
    quarters = quarters_in_window(con)
    if not quarters:
        raise ReconcileError("the warehouse has no quarter in its reporting window")
    if requested is None:
        return list(quarters.values())[-1]
    if requested not in quarters:
        raise ReconcileError(f"{requested} is not in the reporting window of the warehouse "
                             f"({', '.join(quarters)})")
    return quarters[requested]


def previous_in_window(con: duckdb.DuckDBPyConnection, quarter: Quarter) -> Quarter | None:
    return quarters_in_window(con).get(previous_quarter(quarter.period))


def thresholds(con: duckdb.DuckDBPyConnection, catalog: Catalog, quarter: Quarter,
               names: list[str]) -> dict[str, Threshold]:
    """The value in force for the quarter of every named parameter; a missing one stops
    the run (an expectation without its threshold would pass by default)."""
    out: dict[str, Threshold] = {}
    for name in names:
        sql = catalog.parameter_sql.get(name, DEFAULT_PARAMETER_SQL)
        values = {**quarter.sql_values(), "parameter": name}
        cursor = con.execute(sql, bind(sql, values))
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        if len(rows) != 1 or rows[0][0] is None:
            raise ReconcileError(
                f"no single threshold {name} in force for {quarter.period} "
                f"(found {len(rows)}); add or approve it before reconciling this quarter")
        row = dict(zip(columns, rows[0], strict=True))
        out[name] = Threshold(
            parameter=name, value=float(row["value"]), source=str(row["source"]),
            approved_by=row.get("approved_by"), approved_on=row.get("approved_on"),
            unit=str(row.get("unit") or "fraction"),
        )
    return out


def measures(con: duckdb.DuckDBPyConnection, catalog: Catalog, checkpoint: str,
             values: Mapping[str, object]) -> dict[str, object]:
    """One row of measurements for a checkpoint: each measure's scalar SQL in the warehouse."""
    return {column: plain(_scalar(con, sql, values))
            for column, sql in catalog.measure_sql(checkpoint).items()}


def exception_keys(con: duckdb.DuckDBPyConnection, control: Control,
                   values: Mapping[str, object]) -> list[str]:
    """The line_key of every line the control's exception SQL selects (no cap)."""
    sql = f"select line_key from ({control.exceptions_sql}\n) as exceptions"
    return [str(key) for (key,) in con.execute(sql, bind(sql, values)).fetchall()]


def batch_frame(con: duckdb.DuckDBPyConnection, catalog: Catalog, checkpoint: str,
                values: Mapping[str, object]) -> pd.DataFrame:
    """The checkpoint's table of lines for the quarter, as the pandas batch GX validates.
    Memory: one row per line with the few columns the suites read, one checkpoint's table
    at a time (measured: 400k inventory lines 29 MB, 300k self-inspection lines 24 MB as
    DataFrames; the process peak of a 1M-line quarter, GX's own structures included, stayed
    near 600 MB). No chunking: GX's rate and its `mostly` are computed over the whole table,
    which chunks would split."""
    sql = catalog.batch_sql[checkpoint]
    return con.execute(sql, bind(sql, values)).df()


def reconciliation_counts(con: duckdb.DuckDBPyConnection,
                          period: str) -> dict[str, list[dict[str, object]]]:
    """fct_reconciliation_quarter_summary of a quarter: per reconciliation, the company row
    first, then the sites."""
    cursor = con.execute(
        f"select reconciliation, site_id, {', '.join(SUMMARY_COUNTS)} "
        "from marts.fct_reconciliation_quarter_summary where period = $period "
        "order by reconciliation, site_id nulls first",
        {"period": period},
    )
    out: dict[str, list[dict[str, object]]] = {}
    for reconciliation, site_id, *counts in cursor.fetchall():
        row: dict[str, object] = {"site_id": site_id}
        row.update({name: plain(value) for name, value in zip(SUMMARY_COUNTS, counts,
                                                              strict=True)})
        out.setdefault(reconciliation, []).append(row)
    return out


def inventory_tolerance(con: duckdb.DuckDBPyConnection, quarter: Quarter) -> list[tuple]:
    """The tolerance parameters in force on the quarter end (parameter, value, unit,
    version, approved_by, approved_on)."""
    return con.execute(
        "select parameter, parameter_value, unit, policy_version, approved_by, approved_on "
        "from reference.kpi_parameters where domain = 'inventory' "
        "and valid_from <= $quarter_end and (valid_to is null or $quarter_end < valid_to) "
        "order by parameter",
        {"quarter_end": quarter.quarter_end},
    ).fetchall()


def sampling_rules(con: duckdb.DuckDBPyConnection, quarter: Quarter) -> list[tuple]:
    """(reconciliation, stratum, sample_size, version, approved_by, approved_on) in force."""
    return con.execute(
        "select reconciliation, stratum, sample_size, policy_version, approved_by, approved_on "
        "from reference.reconciliation_sampling "
        "where valid_from <= $quarter_end and (valid_to is null or $quarter_end < valid_to) "
        "order by reconciliation, coalesce(sample_size, 1000000) desc, stratum",
        {"quarter_end": quarter.quarter_end},
    ).fetchall()


def extract_files(con: duckdb.DuckDBPyConnection) -> list[ExtractFile]:
    rows = con.execute(
        "select source_file, sha256, size_bytes, encoding, records_read, load_id, loaded_at "
        "from audit.ingest_manifest order by source_file"
    ).fetchall()
    return [ExtractFile(*row) for row in rows]


def as_of_date(con: duckdb.DuckDBPyConnection) -> date | None:
    value = _scalar(con, "select max(as_of_date) from marts.dim_facilities", {})
    if value is None:
        value = _scalar(con, "select max(quarter_end) from marts.dim_quarters "
                             "where is_as_of_quarter", {})
    return value if isinstance(value, date) else None
