"""Published reconciliation results belong to the published load.

The results of `chemsafe reconcile` (``audit.reconciliation_*``, chemsafe.reconcile.store)
are rows of runs, and each run describes the load the warehouse held when it ran
(``reconciliation_runs.load_id``). A publication carries only the runs of the load it
publishes: results of an older load would sit beside marts they do not describe. A quarter
last reconciled on another load is withheld, and the publication says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from chemsafe.db import first_row, literal

SCHEMA = "audit"
RUNS = "reconciliation_runs"
TABLES = (RUNS, "reconciliation_results", "reconciliation_exceptions")


@dataclass(frozen=True)
class ReconciledQuarter:
    quarter: str
    load_id: str | None
    run_id: str
    run_at: datetime


@dataclass(frozen=True)
class ReconciliationScope:
    """Which reconciliation results a publication of `load_id` carries (`published`) and
    which quarters it withholds because they were reconciled on another load."""

    load_id: str | None
    published: tuple[ReconciledQuarter, ...]
    withheld: tuple[ReconciledQuarter, ...]


def _has_column(con: duckdb.DuckDBPyConnection, catalog: str, table: str,
                column: str) -> bool:
    return first_row(
        con,
        "select 1 from duckdb_columns() where database_name = ? and schema_name = ? "
        "and table_name = ? and column_name = ?", [catalog, SCHEMA, table, column],
    ) is not None


def rows_of_load(con: duckdb.DuckDBPyConnection, schema: str, table: str,
                 load_id: str | None, catalog: str = "wh") -> str:
    """The SQL condition on the rows of `schema.table` (in the attached `catalog`) that
    belong in a publication of `load_id`: every row, except in the reconciliation results,
    where only the rows of runs on that load (none when that cannot be told)."""
    if schema != SCHEMA or table not in TABLES:
        return "true"
    if not (_has_column(con, catalog, table, "run_id")
            and _has_column(con, catalog, RUNS, "load_id")):
        return "false"
    load = literal(load_id)
    return f'run_id in (select run_id from "{catalog}".{SCHEMA}.{RUNS} where load_id = {load})'


def reconciliation_scope(warehouse: Path, load_id: str | None) -> ReconciliationScope:
    """The quarters of the working warehouse's reconciliation results that a publication
    of `load_id` carries, and those it withholds."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        present = first_row(
            con, "select 1 from duckdb_columns() where schema_name = ? and table_name = ? "
                 "and column_name = 'load_id'", [SCHEMA, RUNS])
        rows = [] if present is None else con.execute(
            f"select quarter, load_id, run_id, run_at from {SCHEMA}.{RUNS} "
            "order by quarter").fetchall()
    quarters = [ReconciledQuarter(*row) for row in rows]
    return ReconciliationScope(
        load_id,
        tuple(q for q in quarters if load_id is not None and q.load_id == load_id),
        tuple(q for q in quarters if load_id is None or q.load_id != load_id),
    )


__all__ = ["ReconciledQuarter", "ReconciliationScope", "reconciliation_scope", "rows_of_load"]
