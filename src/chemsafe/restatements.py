"""The restatement log (GRI 2-4): which published KPI figures a publication changes.

Every publication compares its KPI figures with those of the publication it replaces, read
from the serving file that is still installed while the new one is staged. The figures are
every cell of the three published KPI tables (FIGURE_TABLES): marts.kpi_quarterly (KPI,
quarter, site), marts.kpi_yearly (KPI, year or year-to-date, site) and
marts.kpi_tier_quarterly (measure, quarter, site, risk tier); the company rows included.
A cell is *restated* when it is in both publications and its numerator, denominator or
value differs (beyond RELATIVE_TOLERANCE, so that two engines' last-bit rounding is not a
restatement; a value that appears or disappears is a difference). A cell that is new (a
quarter entering the reporting window, a new site) is not a restatement, nor is one that
left the window.

**Against the previous drop.** A publication of the same extract files as the publication
it replaces (every file's SHA-256 equal: `publish --reuse-build` after `reconcile`, a
republication after a seed change, the same folder ingested again) presents the same drop
again. It keeps disclosing what that drop restated: its baseline is the replaced
publication's baseline, carried over cell by cell (a cell it restated keeps its figure as
published before the drop; a cell that was not restated is compared with the replaced
publication as usual). Otherwise the last publication of another drop would say "nothing
restated" for figures that were. A cell brought back to its baseline figure but changed
against the replaced publication is still logged, against the replaced publication:
no published figure changes unlisted.

What the publisher writes into the staged serving file:

- ``marts.kpi_restatements``: one row per restated cell per publication, with the old and
  new numerator, denominator and value, both publication ids, both load ids and the names
  of the extract files whose SHA-256 differs between the two loads. Append-only: the rows
  of every earlier publication are carried over from the previous serving file first, so
  the history survives every publication (and is in every Parquet export).
- ``audit.restatement_extract_changes``: per publication, each extract file of
  audit.ingest_manifest whose SHA-256 differs between its load and its baseline's load
  (added, removed or changed), with both hashes. Append-only likewise.
- ``marts.esg_disclosure_package`` gains ``is_restated``, ``previous_numerator``,
  ``previous_denominator``, ``previous_value`` and ``previous_publication_id``: a package
  figure is restated when its own numerator, denominator or value differs from the same
  row as published before (the same baseline rule).

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
from chemsafe.restatement_lineage import Lineage, narrowed

RELATIVE_TOLERANCE = 1e-9
PREVIOUS = "previous_serving"  # catalog name of the attached previous serving file

RESTATEMENTS = ("marts", "kpi_restatements")
EXTRACT_CHANGES = ("audit", "restatement_extract_changes")
PACKAGE = ("marts", "esg_disclosure_package")
MANIFEST = ("audit", "ingest_manifest")
PUBLICATION = ("audit", "publication")
PUBLISHER_TABLES = (RESTATEMENTS, EXTRACT_CHANGES)


@dataclass(frozen=True)
class FigureTable:
    """A published KPI table whose cells are compared: its code column, and its period
    type and risk tier columns (a literal where the table has none)."""

    name: str
    code: str = "kpi_code"
    period_type: str = "'quarter'"
    risk_tier: str = "cast(null as varchar)"

    @property
    def relation(self) -> tuple[str, str]:
        return ("marts", self.name)


FIGURE_TABLES = (
    FigureTable("kpi_quarterly"),
    FigureTable("kpi_yearly", period_type="period_type"),
    FigureTable("kpi_tier_quarterly", code="measure_code", risk_tier="risk_tier"),
)
# a cell of any of them: the table, then its key within the table
CELL_KEY = ("mart", "kpi_code", "period_type", "period", "site_id", "risk_tier")
FIGURE = ("numerator", "denominator", "value")

RESTATEMENTS_DDL = """
create table marts.kpi_restatements (
    publication_id varchar not null,
    published_at timestamp not null,
    previous_publication_id varchar not null,
    load_id varchar,
    previous_load_id varchar,
    mart varchar not null,
    kpi_code varchar not null,
    period_type varchar not null,
    period varchar not null,
    site_id varchar,
    risk_tier varchar,
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
        "Restatement log (GRI 2-4), written by chemsafe publish: every published KPI figure "
        "(a cell of marts.kpi_quarterly, marts.kpi_yearly or marts.kpi_tier_quarterly, "
        "company rows included) that a publication presents changed against the figure as "
        "published before its drop of extracts. Grain: one row per (publication_id, mart, "
        "kpi_code, period_type, period, site_id, risk_tier). Append-only: the rows of "
        "earlier publications are carried over. A cell is restated when it is in both "
        "publications and its numerator, denominator or value differs by more than 1e-9 "
        "relative; new cells (a quarter entering the window) are not restatements. A "
        "publication of the same extract files as the one it replaced (publish "
        "--reuse-build after reconcile) repeats the restatements of that drop.",
        {
            "publication_id": "The publication that presents the restated figure.",
            "published_at": "When it was published (UTC).",
            "previous_publication_id": "The publication whose figure was restated: the last "
                                       "one of the previous drop of extracts, or the one "
                                       "replaced when the figure changed within a drop.",
            "load_id": "Load the restating publication was built from.",
            "previous_load_id": "Load the previous publication was built from.",
            "mart": "The published table of the figure: kpi_quarterly, kpi_yearly or "
                    "kpi_tier_quarterly.",
            "kpi_code": "KPI code (marts.dim_kpi_definitions); for kpi_tier_quarterly its "
                        "measure_code.",
            "period_type": "quarter, or for kpi_yearly year or year_to_date.",
            "period": "Period label as in the table: YYYY-Qn, or YYYY for a year.",
            "site_id": "Site; NULL for the company-wide figure.",
            "risk_tier": "Risk tier of a kpi_tier_quarterly figure; NULL otherwise.",
            "unit": "Unit of the figure.",
            "previous_numerator": "Numerator as previously published.",
            "numerator": "Numerator as now published.",
            "previous_denominator": "Denominator as previously published.",
            "denominator": "Denominator as now published.",
            "previous_value": "Value as previously published.",
            "value": "Value as now published.",
            "value_change": "value - previous_value (NULL when either is NULL).",
            "changed_extract_files": "Extract files whose SHA-256 differs between the two "
                                     "loads and that the figure is computed from (dbt "
                                     "lineage: its KPI family's files and those every KPI "
                                     "reads), comma-separated (hashes in "
                                     "audit.restatement_extract_changes); every changed "
                                     "file when lineage keeps none; NULL when no file "
                                     "changed (the change came from the project: "
                                     "reference seeds or model code).",
        },
    ),
    EXTRACT_CHANGES: (
        "Extract files that changed between the load of a publication and the load of the "
        "publication its figures are compared with (the last one of the previous drop), by "
        "SHA-256 of the original bytes (audit.ingest_manifest); written by chemsafe "
        "publish, append-only. Grain: one row per (publication_id, source_file).",
        {
            "publication_id": "The new publication.",
            "previous_publication_id": "The publication of the previous drop it is "
                                       "compared with.",
            "load_id": "Load of the new publication.",
            "previous_load_id": "Load of that publication.",
            "source_file": "Extract file name.",
            "change": "changed, added or removed.",
            "previous_sha256": "SHA-256 in the previous load (NULL when added).",
            "sha256": "SHA-256 in the new load (NULL when removed).",
        },
    ),
}

PACKAGE_COLUMNS = {
    "is_restated": ("boolean", "Added by chemsafe publish: true when this figure (numerator, "
                               "denominator or value) differs from the same row as "
                               "published before this drop of extracts (a restated figure, "
                               "GRI 2-4); the KPI cells behind it are in "
                               "marts.kpi_restatements."),
    "previous_numerator": ("double", "Added by chemsafe publish: the numerator as previously "
                                     "published, when the figure is restated."),
    "previous_denominator": ("double", "Added by chemsafe publish: the denominator as "
                                       "previously published, when the figure is restated."),
    "previous_value": ("double", "Added by chemsafe publish: the value as previously "
                                 "published, when the figure is restated."),
    "previous_improvement_finding_id": ("varchar", "Added by chemsafe publish: the finding "
                                                   "the improvement case cited as previously "
                                                   "published, when the row is restated."),
    "previous_improvement_action_id": ("varchar", "Added by chemsafe publish: the corrective "
                                                  "action the improvement case cited as "
                                                  "previously published, when restated."),
    "previous_evidence_text": ("varchar", "Added by chemsafe publish: the evidence text as "
                                          "previously published, when the row is restated."),
    "previous_publication_id": ("varchar", "Added by chemsafe publish: the publication whose "
                                           "figure this restates, when restated."),
}
PACKAGE_KEY = ("period_type", "period", "item_code")
# what a package row discloses: its figure, and for an improvement case what it cites
EVIDENCE = ("improvement_finding_id", "improvement_action_id", "evidence_text")
PACKAGE_COMPARED = (*FIGURE, *EVIDENCE)


@dataclass(frozen=True)
class ExtractChange:
    source_file: str
    change: str
    previous_sha256: str | None
    sha256: str | None


@dataclass(frozen=True)
class Restatements:
    """What a publication restated against the figures published before its drop."""

    previous_publication_id: str | None  # the publication it replaced
    previous_load_id: str | None
    baseline_publication_id: str | None  # the one its figures are compared with
    restated_kpi_cells: dict[str, int]  # per figure table
    restated_package_rows: int
    extract_changes: tuple[ExtractChange, ...]  # against the baseline's load
    logged_total: int  # rows of marts.kpi_restatements, all publications


@dataclass(frozen=True)
class _Previous:
    """The replaced publication, and whether this one presents the same drop again."""

    publication_id: str
    load_id: str | None
    same_drop: bool
    baseline_publication_id: str


def _q(relation: tuple[str, str], catalog: str | None = None) -> str:
    schema, name = relation
    return (f"{catalog}." if catalog else "") + f"{schema}.{name}"


def _has(con: duckdb.DuckDBPyConnection, catalog: str, relation: tuple[str, str]) -> bool:
    return first_row(
        con, "select 1 from duckdb_tables() where database_name = ? and schema_name = ? "
             "and table_name = ?", [catalog, *relation]) is not None


def _current(con: duckdb.DuckDBPyConnection) -> str:
    row = first_row(con, "select current_database()")
    assert row is not None
    return str(row[0])


def _columns(con: duckdb.DuckDBPyConnection, catalog: str,
             relation: tuple[str, str]) -> set[str]:
    return {name for (name,) in con.execute(
        "select column_name from duckdb_columns() where database_name = ? "
        "and schema_name = ? and table_name = ?", [catalog, *relation]).fetchall()}


def _differs(old: str, new: str) -> str:
    """SQL: the two numbers differ (one NULL and not the other, or beyond the tolerance)."""
    return (f"(({old}) is null) <> (({new}) is null) or abs(cast({old} as double) - "
            f"cast({new} as double)) > {RELATIVE_TOLERANCE} * greatest(1.0, "
            f"abs(cast({old} as double)), abs(cast({new} as double)))")


def _figure_differs(old: str, new: str, prefix: str = "") -> str:
    """SQL: numerator, denominator or value differs (old columns named prefix + name)."""
    return " or ".join(f"({_differs(f'{old}.{prefix}{c}', f'{new}.{c}')})" for c in FIGURE)


def _same_cell(a: str, b: str, key: tuple[str, ...]) -> str:
    return " and ".join(f"{a}.{k} is not distinct from {b}.{k}" for k in key)


def _comment(con: duckdb.DuckDBPyConnection, relation: tuple[str, str]) -> None:
    description, columns = COMMENTS[relation]
    con.execute(f"comment on table {_q(relation)} is {literal(description)}")
    for column, text in columns.items():
        con.execute(f"comment on column {_q(relation)}.{column} is {literal(text)}")


def _cells(table: FigureTable, catalog: str | None = None) -> str:
    """SQL: the table's cells in the log's terms (CELL_KEY, unit and the figure)."""
    return (f"select {literal(table.name)} as mart, {table.code} as kpi_code, "
            f"{table.period_type} as period_type, period, site_id, "
            f"{table.risk_tier} as risk_tier, unit, numerator, denominator, value "
            f"from {_q(table.relation, catalog)}")


def _carry_history(con: duckdb.DuckDBPyConnection) -> None:
    """Copy the earlier publications' rows from the previous serving file. Rows logged
    before the log covered every KPI table are kpi_quarterly cells."""
    for relation in PUBLISHER_TABLES:
        if not _has(con, PREVIOUS, relation):
            continue
        defaults = {"mart": "'kpi_quarterly'", "period_type": "'quarter'"} \
            if relation == RESTATEMENTS else {}
        present = _columns(con, PREVIOUS, relation)
        added = ", ".join(f"{value} as {name}" for name, value in defaults.items()
                          if name not in present)
        con.execute(f"insert into {_q(relation)} by name select *{', ' + added if added else ''} "
                    f"from {_q(relation, PREVIOUS)}")


def _extract_changes(con: duckdb.DuckDBPyConnection) -> list[ExtractChange]:
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


def _previous(con: duckdb.DuckDBPyConnection, changes: list[ExtractChange]) -> _Previous | None:
    """The replaced publication, when its figures and load can be compared with."""
    if not all(_has(con, PREVIOUS, r) for r in (PUBLICATION, MANIFEST)):
        return None
    row = first_row(con, f"select publication_id, load_id from {_q(PUBLICATION, PREVIOUS)}")
    if row is None:
        return None
    publication_id, load_id = row
    baseline = None
    if not changes:  # the same drop: its baseline, as the replaced publication logged it
        baseline_row = first_row(
            con, f"select min(previous_publication_id) from {_q(EXTRACT_CHANGES)} "
                 "where publication_id = ?", [publication_id])
        baseline = baseline_row[0] if baseline_row else None
    return _Previous(publication_id, load_id, not changes, baseline or publication_id)


def record_restatements(con: duckdb.DuckDBPyConnection, previous_serving: Path | None,
                        publication_id: str, published_at: object,
                        load_id: str | None, lineage: Lineage | None = None) -> Restatements:
    """Write the restatement tables and the package flags into the staged serving file
    open on `con` (its marts already copied), comparing with `previous_serving`. With the
    build's lineage, each restated figure names only the changed files it reads."""
    previous_file = previous_serving if previous_serving and previous_serving.exists() \
        else None
    if previous_file is not None:
        con.execute(f"attach {literal(str(previous_file))} as {PREVIOUS} (read_only)")
    try:
        con.execute(RESTATEMENTS_DDL)
        con.execute(EXTRACT_CHANGES_DDL)
        for relation in PUBLISHER_TABLES:
            _comment(con, relation)
        previous, changes = None, []
        if previous_file is not None:
            _carry_history(con)
            if _has(con, PREVIOUS, MANIFEST):
                found = _extract_changes(con)
                previous = _previous(con, found)
                changes = found if previous is not None else []
        disclosed = _log_extract_changes(con, previous, changes, publication_id, load_id)
        restated = {t.name: 0 for t in FIGURE_TABLES}
        if previous is not None:
            restated = _log_cells(con, previous, publication_id, published_at, load_id,
                                  ", ".join(c.source_file for c in changes) or None)
            if lineage is not None:
                _narrow_files(con, publication_id, lineage)
        package_rows = _flag_package(con, previous)
        total = _count(con, f"select count(*) from {_q(RESTATEMENTS)}")
    finally:
        if previous_file is not None:
            con.execute(f"detach {PREVIOUS}")
    return Restatements(
        previous.publication_id if previous else None,
        previous.load_id if previous else None,
        previous.baseline_publication_id if previous else None,
        restated, package_rows, tuple(disclosed), total)


def _log_extract_changes(con: duckdb.DuckDBPyConnection, previous: _Previous | None,
                         changes: list[ExtractChange], publication_id: str,
                         load_id: str | None) -> list[ExtractChange]:
    """Log the extract files changed against the baseline's load; return them. For the
    same drop (no file changed against the replaced publication) those are the replaced
    publication's own, repeated under this publication."""
    if previous is None:
        return []
    if previous.same_drop:
        con.execute(f"""
            insert into {_q(EXTRACT_CHANGES)}
            select ?, previous_publication_id, ?, previous_load_id, source_file, change,
                   previous_sha256, sha256
            from {_q(EXTRACT_CHANGES)} where publication_id = ?""",
                    [publication_id, load_id, previous.publication_id])
        rows = con.execute(f"select source_file, change, previous_sha256, sha256 "
                           f"from {_q(EXTRACT_CHANGES)} where publication_id = ? "
                           "order by source_file", [publication_id]).fetchall()
        return [ExtractChange(*row) for row in rows]
    for c in changes:
        con.execute(
            f"insert into {_q(EXTRACT_CHANGES)} values (?, ?, ?, ?, ?, ?, ?, ?)",
            [publication_id, previous.publication_id, load_id, previous.load_id,
             c.source_file, c.change, c.previous_sha256, c.sha256])
    return changes


def _log_cells(con: duckdb.DuckDBPyConnection, previous: _Previous, publication_id: str,
               published_at: object, load_id: str | None,
               changed_files: str | None) -> dict[str, int]:
    """Log the restated cells of every figure table both publications have; return how
    many per table."""
    here = _current(con)
    tables = [t for t in FIGURE_TABLES
              if _has(con, PREVIOUS, t.relation) and _has(con, here, t.relation)]
    counts = {t.name: 0 for t in FIGURE_TABLES}
    if not tables:
        return counts
    old = " union all ".join(_cells(t, PREVIOUS) for t in tables)
    new = " union all ".join(_cells(t) for t in tables)
    # a cell the replaced publication restated keeps its baseline (same drop only)
    carried = (f"select * from {_q(RESTATEMENTS)} where publication_id = "
               f"{literal(previous.publication_id)}" if previous.same_drop
               else f"select * from {_q(RESTATEMENTS)} where false")
    base = {c: f"case when carried.mart is null then old.{c} else carried.previous_{c} end"
            for c in FIGURE}
    pick = {c: f"case when from_base then base_{c} else old_{c} end" for c in FIGURE}
    con.execute(f"""
        insert into {_q(RESTATEMENTS)}
        with old as ({old}), new as ({new}), carried as ({carried}),
        based as (
            select old.*, {', '.join(f'old.{c} as old_{c}' for c in FIGURE)},
                   {', '.join(f'{expr} as base_{c}' for c, expr in base.items())},
                   coalesce(carried.previous_publication_id, ?) as base_publication_id,
                   case when carried.mart is null then ? else carried.previous_load_id end
                       as base_load_id,
                   case when carried.mart is null then ?
                        else carried.changed_extract_files end as base_files
            from old
            left join carried on {_same_cell('old', 'carried', CELL_KEY)}
        ),
        compared as (
            select new.*, based.old_numerator, based.old_denominator, based.old_value,
                   based.base_numerator, based.base_denominator, based.base_value,
                   based.base_publication_id, based.base_load_id, based.base_files,
                   ({_figure_differs('based', 'new', 'base_')}) as from_base,
                   ({_figure_differs('based', 'new', 'old_')}) as from_previous
            from based
            inner join new on {_same_cell('based', 'new', CELL_KEY)}
        )
        select ?, ?, case when from_base then base_publication_id else ? end, ?,
               case when from_base then base_load_id else ? end,
               {', '.join(CELL_KEY)}, unit,
               {pick['numerator']}, numerator, {pick['denominator']}, denominator,
               {pick['value']}, value, value - ({pick['value']}),
               case when from_base then base_files else ? end
        from compared
        where from_base or from_previous
        order by mart, kpi_code, period_type, period, site_id nulls first,
                 risk_tier nulls first""",
                [previous.publication_id, previous.load_id, changed_files,
                 publication_id, published_at, previous.publication_id, load_id,
                 previous.load_id, changed_files])
    for name, count in con.execute(
            f"select mart, count(*) from {_q(RESTATEMENTS)} where publication_id = ? "
            "group by mart", [publication_id]).fetchall():
        counts[name] = int(count)
    return counts


def _narrow_files(con: duckdb.DuckDBPyConnection, publication_id: str,
                  lineage: Lineage) -> None:
    """Keep, in each restated figure of the publication, the changed files it is computed
    from (chemsafe.restatement_lineage)."""
    families = ({code: family for code, family in con.execute(
        "select kpi_code, family from marts.dim_kpi_definitions").fetchall()}
        if _has(con, _current(con), ("marts", "dim_kpi_definitions")) else {})
    for mart, code, files in con.execute(
            f"select distinct mart, kpi_code, changed_extract_files from {_q(RESTATEMENTS)} "
            "where publication_id = ? and changed_extract_files is not null",
            [publication_id]).fetchall():
        family = families.get(code) if mart != "kpi_tier_quarterly" else None
        kept = narrowed(files, lineage.files_of(mart, family))
        if kept != files:
            con.execute(f"update {_q(RESTATEMENTS)} set changed_extract_files = ? "
                        "where publication_id = ? and mart = ? and kpi_code = ? "
                        "and changed_extract_files = ?",
                        [kept, publication_id, mart, code, files])


def _flag_package(con: duckdb.DuckDBPyConnection, previous: _Previous | None) -> int:
    """Add the restatement columns to the staged disclosure package; return how many of
    its rows are restated (against the same baseline as the KPI cells): a row whose
    figure or whose improvement case (the finding, action and evidence it cites) differs."""
    if not _has(con, _current(con), PACKAGE):
        return 0
    package = _q(PACKAGE)
    for column, (data_type, text) in PACKAGE_COLUMNS.items():
        con.execute(f"alter table {package} add column {column} {data_type}")
        con.execute(f"comment on column {package}.{column} is {literal(text)}")
    con.execute(f"update {package} set is_restated = false")
    if previous is None or not _has(con, PREVIOUS, PACKAGE):
        return _count(con, f"select count(*) from {package} where is_restated")
    had = _columns(con, PREVIOUS, PACKAGE)
    compared = [c for c in PACKAGE_COMPARED if c in had]
    # a row the replaced publication flagged keeps its baseline (same drop only); a package
    # written before a previous_ column was kept has none to carry: NULL, so the row stays
    # flagged
    carried = "o.is_restated" if previous.same_drop and "is_restated" in had else "false"
    base = {c: f"case when {carried} then {'o.previous_' + c if 'previous_' + c in had else 'null'}"
               f" else o.{c} end" for c in compared}

    def differs(old: str, new: str, column: str) -> str:
        return (f"({_differs(old, new)})" if column in FIGURE
                else f"({old}) is distinct from ({new})")

    from_base = " or ".join(differs(f"base_{c}", f"n.{c}", c) for c in compared)
    from_previous = " or ".join(differs(f"o.{c}", f"n.{c}", c) for c in compared)
    con.execute(f"""
        update {package} as n
        set is_restated = true,
            {', '.join(f'previous_{c} = p.prev_{c}' for c in compared)},
            previous_publication_id = p.prev_publication_id
        from (
            select {', '.join(f'o.{k}' for k in PACKAGE_KEY)},
                   {', '.join(f'case when from_base then base_{c} else o.{c} end as prev_{c}'
                              for c in compared)},
                   case when from_base then base_publication_id else ? end
                       as prev_publication_id
            from (
                select o.*, {from_base} as from_base, {from_previous} as from_previous
                from (
                    select o.*, {', '.join(f'{expr} as base_{c}' for c, expr in base.items())},
                           case when {carried} then o.previous_publication_id
                                else {literal(previous.publication_id)} end
                               as base_publication_id
                    from {_q(PACKAGE, PREVIOUS)} as o
                ) as o
                inner join {package} as n on {_same_cell('o', 'n', PACKAGE_KEY)}
            ) as o
            where from_base or from_previous
        ) as p
        where {_same_cell('p', 'n', PACKAGE_KEY)}""", [previous.publication_id])
    return _count(con, f"select count(*) from {package} where is_restated")


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = first_row(con, sql)
    return int(row[0]) if row else 0
