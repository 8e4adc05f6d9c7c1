"""The restatement log (GRI 2-4): which published KPI figures a publication changes.

Every publication compares its KPI values (marts.kpi_quarterly, every KPI, period and site,
the company row included) with those of the publication it replaces, read from the
serving file that is still installed while the new one is staged. A cell is *restated*
when it is in both publications and its numerator, denominator or value differs (beyond
RELATIVE_TOLERANCE, so that two engines' last-bit rounding is not a restatement; a value
that appears or disappears is a difference). A cell that is new (a quarter entering the
reporting window, a new site) is not a restatement, nor is one that left the window.

What the publisher writes into the staged serving file:

- ``marts.kpi_restatements``: one row per restated cell per publication, with the old and
  new numerator, denominator and value, both publication ids, both load ids and the names
  of the extract files whose SHA-256 differs between the two loads. Append-only: the rows
  of every earlier publication are carried over from the previous serving file first, so
  the history survives every publication (and is in every Parquet export).
- ``audit.restatement_extract_changes``: per publication, each extract file of
  audit.ingest_manifest whose SHA-256 differs between the two loads (added, removed or
  changed), with both hashes. Append-only likewise.
- ``marts.esg_disclosure_package`` gains ``is_restated``, ``previous_value`` and
  ``previous_publication_id``: a package figure is restated when its own numerator,
  denominator or value differs from the same row of the previous publication.

Why here, in Python over the DuckDB serving files, and not in dbt with the previous
serving file attached: the previous publication exists only as the DuckDB serving file,
and the marts may be built by another engine (a Spark target publishes into the same
serving file through this publisher); dbt on Spark cannot attach a DuckDB file, so a dbt
model would give different answers per engine. The publisher runs the same SQL on DuckDB
whichever engine built the marts. And the log must outlive the working warehouse (a
rebuild or a full refresh drops a dbt incremental model's history); carried from serving
file to serving file, it is as durable as the publications it describes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from chemsafe.db import first_row, literal

RELATIVE_TOLERANCE = 1e-9
PREVIOUS = "previous_serving"  # catalog name of the attached previous serving file

RESTATEMENTS = ("marts", "kpi_restatements")
EXTRACT_CHANGES = ("audit", "restatement_extract_changes")
PACKAGE = ("marts", "esg_disclosure_package")
KPI = ("marts", "kpi_quarterly")
MANIFEST = ("audit", "ingest_manifest")
PUBLISHER_TABLES = (RESTATEMENTS, EXTRACT_CHANGES)

RESTATEMENTS_DDL = """
create table marts.kpi_restatements (
    publication_id varchar not null,
    published_at timestamp not null,
    previous_publication_id varchar not null,
    load_id varchar,
    previous_load_id varchar,
    kpi_code varchar not null,
    period varchar not null,
    site_id varchar,
    unit varchar,
    previous_numerator double,
    numerator double,
    previous_denominator double,
    denominator double,
    previous_value double,
    value double,
    value_change double,
    changed_extract_files varchar
)
"""

EXTRACT_CHANGES_DDL = """
create table audit.restatement_extract_changes (
    publication_id varchar not null,
    previous_publication_id varchar not null,
    load_id varchar,
    previous_load_id varchar,
    source_file varchar not null,
    change varchar not null,
    previous_sha256 varchar,
    sha256 varchar,
    primary key (publication_id, source_file)
)
"""

COMMENTS: dict[tuple[str, str], tuple[str, dict[str, str]]] = {
    RESTATEMENTS: (
        "Restatement log (GRI 2-4), written by chemsafe publish: every KPI figure "
        "(marts.kpi_quarterly cell: kpi_code, period, site_id; site_id NULL = company) that "
        "a publication changed against the publication it replaced. Grain: one row per "
        "(publication_id, kpi_code, period, site_id). Append-only: the rows of earlier "
        "publications are carried over. A cell is restated when it is in both publications "
        "and its numerator, denominator or value differs by more than 1e-9 relative; new "
        "cells (a quarter entering the window) are not restatements.",
        {
            "publication_id": "The publication that restated the figure.",
            "published_at": "When it was published (UTC).",
            "previous_publication_id": "The publication whose figure was restated.",
            "load_id": "Load the restating publication was built from.",
            "previous_load_id": "Load the previous publication was built from.",
            "kpi_code": "KPI code (marts.dim_kpi_definitions).",
            "period": "Quarter label YYYY-Qn.",
            "site_id": "Site; NULL for the company-wide figure.",
            "unit": "Unit of the figure.",
            "previous_numerator": "Numerator as previously published.",
            "numerator": "Numerator as now published.",
            "previous_denominator": "Denominator as previously published.",
            "denominator": "Denominator as now published.",
            "previous_value": "Value as previously published.",
            "value": "Value as now published.",
            "value_change": "value - previous_value (NULL when either is NULL).",
            "changed_extract_files": "Extract files whose SHA-256 differs between the two "
                                     "loads, comma-separated (hashes in "
                                     "audit.restatement_extract_changes); NULL when no "
                                     "file changed (the change came from the project: "
                                     "reference seeds or model code).",
        },
    ),
    EXTRACT_CHANGES: (
        "Extract files that changed between the load of a publication and the load of the "
        "publication it replaced, by SHA-256 of the original bytes (audit.ingest_manifest); "
        "written by chemsafe publish, append-only. Grain: one row per (publication_id, "
        "source_file).",
        {
            "publication_id": "The new publication.",
            "previous_publication_id": "The publication it replaced.",
            "load_id": "Load of the new publication.",
            "previous_load_id": "Load of the previous publication.",
            "source_file": "Extract file name.",
            "change": "changed, added or removed.",
            "previous_sha256": "SHA-256 in the previous load (NULL when added).",
            "sha256": "SHA-256 in the new load (NULL when removed).",
        },
    ),
}

PACKAGE_COLUMNS = {
    "is_restated": ("boolean", "Added by chemsafe publish: true when this figure (numerator, "
                               "denominator or value) differs from the same row of the "
                               "previous publication (a restated figure, GRI 2-4); the KPI "
                               "cells behind it are in marts.kpi_restatements."),
    "previous_value": ("double", "Added by chemsafe publish: the value as previously "
                                 "published, when the figure is restated."),
    "previous_publication_id": ("varchar", "Added by chemsafe publish: the publication whose "
                                           "figure this restates, when restated."),
}


@dataclass(frozen=True)
class ExtractChange:
    source_file: str
    change: str
    previous_sha256: str | None
    sha256: str | None


@dataclass(frozen=True)
class Restatements:
    """What a publication restated against the one it replaced."""

    previous_publication_id: str | None
    previous_load_id: str | None
    restated_kpi_cells: int
    restated_package_rows: int
    extract_changes: tuple[ExtractChange, ...]
    logged_total: int  # rows of marts.kpi_restatements, all publications


def _q(relation: tuple[str, str], catalog: str | None = None) -> str:
    schema, name = relation
    return (f"{catalog}." if catalog else "") + f"{schema}.{name}"


def _has(con: duckdb.DuckDBPyConnection, catalog: str, relation: tuple[str, str]) -> bool:
    return first_row(
        con, "select 1 from duckdb_tables() where database_name = ? and schema_name = ? "
             "and table_name = ?", [catalog, *relation]) is not None


def _differs(old: str, new: str) -> str:
    """SQL: the two numbers differ (one NULL and not the other, or beyond the tolerance)."""
    return (f"(({old}) is null) <> (({new}) is null) or abs(cast({old} as double) - "
            f"cast({new} as double)) > {RELATIVE_TOLERANCE} * greatest(1.0, "
            f"abs(cast({old} as double)), abs(cast({new} as double)))")


def _figure_differs(old: str, new: str) -> str:
    return " or ".join(f"({_differs(f'{old}.{c}', f'{new}.{c}')})"
                       for c in ("numerator", "denominator", "value"))


def _comment(con: duckdb.DuckDBPyConnection, relation: tuple[str, str]) -> None:
    description, columns = COMMENTS[relation]
    con.execute(f"comment on table {_q(relation)} is {literal(description)}")
    for column, text in columns.items():
        con.execute(f"comment on column {_q(relation)}.{column} is {literal(text)}")


def _extract_changes(con: duckdb.DuckDBPyConnection, compare: bool) -> list[ExtractChange]:
    if not compare:
        return []
    rows = con.execute(f"""
        select coalesce(n.source_file, o.source_file),
               case when o.source_file is null then 'added'
                    when n.source_file is null then 'removed' else 'changed' end,
               o.sha256, n.sha256
        from {_q(MANIFEST, PREVIOUS)} as o
        full outer join {_q(MANIFEST)} as n on o.source_file = n.source_file
        where o.sha256 is distinct from n.sha256
        order by 1""").fetchall()
    return [ExtractChange(*row) for row in rows]


def record_restatements(con: duckdb.DuckDBPyConnection, previous_serving: Path | None,
                        publication_id: str, published_at: object,
                        load_id: str | None) -> Restatements:
    """Write the restatement tables and the package flags into the staged serving file
    open on `con` (its marts already copied), comparing with `previous_serving`."""
    previous = previous_serving if previous_serving and previous_serving.exists() else None
    if previous is not None:
        con.execute(f"attach {literal(str(previous))} as {PREVIOUS} (read_only)")
    try:
        con.execute(RESTATEMENTS_DDL)
        con.execute(EXTRACT_CHANGES_DDL)
        for relation in PUBLISHER_TABLES:
            _comment(con, relation)
        prev_pub = prev_load = None
        if previous is not None:
            for relation in PUBLISHER_TABLES:  # the history, carried over first
                if _has(con, PREVIOUS, relation):
                    con.execute(f"insert into {_q(relation)} by name "
                                f"select * from {_q(relation, PREVIOUS)}")
            row = (first_row(con, f"select publication_id, load_id from "
                                  f"{PREVIOUS}.audit.publication")
                   if _has(con, PREVIOUS, ("audit", "publication")) else None)
            if row is not None:
                prev_pub, prev_load = row
        compare = prev_pub is not None and all(
            _has(con, PREVIOUS, r) for r in (KPI, MANIFEST))
        changes = _extract_changes(con, compare)
        for c in changes:
            con.execute(
                f"insert into {_q(EXTRACT_CHANGES)} values (?, ?, ?, ?, ?, ?, ?, ?)",
                [publication_id, prev_pub, load_id, prev_load, c.source_file, c.change,
                 c.previous_sha256, c.sha256])
        changed_files = ", ".join(c.source_file for c in changes) or None
        restated = 0
        if compare:
            before = first_row(con, f"select count(*) from {_q(RESTATEMENTS)}")
            con.execute(f"""
                insert into {_q(RESTATEMENTS)}
                select ?, ?, ?, ?, ?, n.kpi_code, n.period, n.site_id, n.unit,
                       o.numerator, n.numerator, o.denominator, n.denominator,
                       o.value, n.value, n.value - o.value, ?
                from {_q(KPI, PREVIOUS)} as o
                inner join {_q(KPI)} as n
                    on o.kpi_code = n.kpi_code and o.period = n.period
                    and o.site_id is not distinct from n.site_id
                where {_figure_differs('o', 'n')}
                order by n.kpi_code, n.period, n.site_id nulls first""",
                [publication_id, published_at, prev_pub, load_id, prev_load, changed_files])
            after = first_row(con, f"select count(*) from {_q(RESTATEMENTS)}")
            restated = int(after[0] if after else 0) - int(before[0] if before else 0)
        package_rows = _flag_package(con, compare and _has(con, PREVIOUS, PACKAGE), prev_pub)
        total = first_row(con, f"select count(*) from {_q(RESTATEMENTS)}")
    finally:
        if previous is not None:
            con.execute(f"detach {PREVIOUS}")
    return Restatements(prev_pub, prev_load, restated, package_rows, tuple(changes),
                        int(total[0]) if total else 0)


def _flag_package(con: duckdb.DuckDBPyConnection, compare: bool,
                  prev_pub: str | None) -> int:
    """Add the restatement columns to the staged disclosure package; return how many of
    its rows are restated."""
    current = first_row(con, "select current_database()")
    if current is None or not _has(con, str(current[0]), PACKAGE):
        return 0
    package = _q(PACKAGE)
    for column, (data_type, text) in PACKAGE_COLUMNS.items():
        con.execute(f"alter table {package} add column {column} {data_type}")
        con.execute(f"comment on column {package}.{column} is {literal(text)}")
    con.execute(f"update {package} set is_restated = false")
    if compare:
        con.execute(f"""
            update {package} as n
            set is_restated = true, previous_value = o.value, previous_publication_id = ?
            from {_q(PACKAGE, PREVIOUS)} as o
            where o.period_type = n.period_type and o.period = n.period
              and o.item_code = n.item_code
              and ({_figure_differs('o', 'n')})""", [prev_pub])
    row = first_row(con, f"select count(*) from {package} where is_restated")
    return int(row[0]) if row else 0
