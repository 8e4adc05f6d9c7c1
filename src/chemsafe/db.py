"""Small DuckDB helpers shared by ingestion, the publisher, the exports and the dashboard."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb


def first_row(con: duckdb.DuckDBPyConnection, sql: str,
              params: Sequence[object] = ()) -> tuple[Any, ...] | None:
    """The first row of a query, or None; the result is fully consumed (DuckDB refuses
    further work on a connection with an unfinished result)."""
    rows = con.execute(sql, list(params)).fetchall()
    return rows[0] if rows else None


def literal(text: str | None) -> str:
    """A SQL string literal (quotes doubled), or NULL."""
    return "NULL" if text is None else "'" + text.replace("'", "''") + "'"
