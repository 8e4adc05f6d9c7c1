"""The serving file: the published copy of the warehouse that analysts open.

dbt builds into the working file (``<data>/chemsafe.duckdb``), which only dbt writes. The
serving file (``<data>/serving/chemsafe_serving.duckdb``) is a separate, self-contained
DuckDB file holding *tables* (no view points back at the working file) of the schemas
analysts and auditors read, with the dbt descriptions as table and column comments and
the contracts' PRIMARY KEY / NOT NULL constraints. It is written as a new file next to
the old one, checkpointed and closed, flushed to disk, made read-only and renamed over the
old one: a connection that had the old file open keeps reading the old build, a new one
gets the new build, and nobody ever sees a mix.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import duckdb

from chemsafe.atomic import replace_file
from chemsafe.db import first_row, literal
from chemsafe.reconciliation_scope import rows_of_load
from chemsafe.restatement_lineage import Lineage
from chemsafe.restatements import COMMENTS as RESTATEMENT_COMMENTS
from chemsafe.restatements import PUBLISHER_TABLES as RESTATEMENT_TABLES
from chemsafe.restatements import Restatements, record_restatements

# dbt models in these schemas are published (never a stale table a removed model left
# behind); so are the tables other tools write for auditors, matched by EXTERNAL_TABLES
# (schema.table patterns), when they exist: the results of `chemsafe reconcile`.
PUBLISHED_SCHEMAS = ("marts", "audit", "reconciliation")
EXTERNAL_TABLES = ("audit.reconciliation_*", "reconciliation.*")

# Written by the publisher itself, in the audit schema of the serving file only.
PUBLICATION_TABLE = "publication"
PUBLISHED_TABLES_TABLE = "published_tables"
PUBLICATION_SCHEMA = "audit"


class PublishError(RuntimeError):
    """The serving file could not be produced; the previous one is untouched."""


@dataclass(frozen=True)
class Relation:
    schema: str
    name: str

    @property
    def qualified(self) -> str:
        return f"{ident(self.schema)}.{ident(self.name)}"

    def __str__(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class Publication:
    publication_id: str
    published_at: datetime
    load_id: str | None
    dbt_invocation_id: str | None
    dbt_version: str | None


@dataclass(frozen=True)
class PublishedTable:
    relation: Relation
    row_count: int
    column_count: int
    description: str | None


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_manifest(manifest_path: Path) -> dict[str, Any]:
    """The build's dbt manifest, read once per publication (what is published, the
    lineage of the restatements, the grains of the exports)."""
    try:
        manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PublishError(f"cannot read the dbt manifest {manifest_path}: {exc}") from exc
    return manifest


def node_relation(node: dict[str, Any]) -> Relation:
    """The relation dbt materialises a manifest node (model or seed) as."""
    return Relation(node["schema"], node.get("alias") or node["name"])


def dbt_models_in(manifest: dict[str, Any], schemas: tuple[str, ...]) -> list[Relation]:
    """Models of the dbt manifest that dbt materialises in one of these schemas."""
    found = []
    for node in manifest.get("nodes", {}).values():
        config = node.get("config", {})
        if node.get("resource_type") != "model" or not config.get("enabled", True):
            continue
        if config.get("materialized") == "ephemeral":
            continue
        if node.get("schema") in schemas:
            found.append(node_relation(node))
    return sorted(found, key=lambda r: (r.schema, r.name))


def relations_to_publish(manifest: dict[str, Any], warehouse: Path) -> list[Relation]:
    """What goes into the serving file: the dbt models of PUBLISHED_SCHEMAS plus the
    tables matching EXTERNAL_TABLES."""
    wanted = set(dbt_models_in(manifest, PUBLISHED_SCHEMAS))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        present = {
            Relation(schema, name) for schema, name in con.execute(
                "select schema_name, table_name from duckdb_tables() "
                "union all select schema_name, view_name from duckdb_views() "
                "where not internal"
            ).fetchall()
        }
    missing = sorted(str(r) for r in wanted - present)
    if missing:
        raise PublishError("the working warehouse lacks models the build should have made: "
                           + ", ".join(missing))
    external = {r for r in present
                if any(fnmatchcase(str(r), pattern) for pattern in EXTERNAL_TABLES)}
    relations = sorted(wanted | external, key=lambda r: (r.schema, r.name))
    reserved = {(PUBLICATION_SCHEMA, PUBLICATION_TABLE),
                (PUBLICATION_SCHEMA, PUBLISHED_TABLES_TABLE), *RESTATEMENT_TABLES}
    clash = [r for r in relations if (r.schema, r.name) in reserved]
    if clash:
        raise PublishError(f"{clash[0]} is reserved for the publication record")
    return relations


def _copy_relation(con: duckdb.DuckDBPyConnection, relation: Relation,
                   load_id: str | None) -> str | None:
    """Copy one table (or view, materialised) from the attached working file `wh`, with
    its constraints and comments (the reconciliation results only for the runs of
    `load_id`); return its description."""
    table = first_row(
        con,
        "select sql, comment from duckdb_tables() "
        "where database_name = 'wh' and schema_name = ? and table_name = ?",
        [relation.schema, relation.name],
    )
    source = f"wh.{relation.qualified}"
    where = rows_of_load(con, relation.schema, relation.name, load_id)
    if table is not None:
        ddl, comment = table
        # The DDL names the table as schema.table: created in the new file's catalog,
        # with the same column order, types, PRIMARY KEY and NOT NULL constraints.
        con.execute(ddl)
        con.execute(f"insert into {relation.qualified} select * from {source} "
                    f"where {where}")
    else:
        view = first_row(
            con,
            "select comment from duckdb_views() "
            "where database_name = 'wh' and schema_name = ? and view_name = ?",
            [relation.schema, relation.name],
        )
        if view is None:
            raise PublishError(f"{relation} is not in the working warehouse")
        comment = view[0]
        con.execute(f"create table {relation.qualified} as select * from {source} "
                    f"where {where}")
    if comment:
        con.execute(f"comment on table {relation.qualified} is {literal(comment)}")
    columns = con.execute(
        "select column_name, comment from duckdb_columns() "
        "where database_name = 'wh' and schema_name = ? and table_name = ? "
        "and comment is not null and comment <> '' order by column_index",
        [relation.schema, relation.name],
    ).fetchall()
    for column, column_comment in columns:
        con.execute(f"comment on column {relation.qualified}.{ident(column)} "
                    f"is {literal(column_comment)}")
    return comment or None


PUBLICATION_DDL = f"""
create table {PUBLICATION_SCHEMA}.{PUBLICATION_TABLE} (
    publication_id varchar not null primary key,
    published_at timestamp not null,
    load_id varchar,
    dbt_invocation_id varchar,
    dbt_version varchar,
    table_count integer not null
);
create table {PUBLICATION_SCHEMA}.{PUBLISHED_TABLES_TABLE} (
    schema_name varchar not null,
    table_name varchar not null,
    row_count bigint not null,
    column_count integer not null,
    description varchar,
    primary key (schema_name, table_name)
);
"""

PUBLICATION_COMMENTS = {
    PUBLICATION_TABLE: (
        "The publication this serving file holds (one row), written by chemsafe publish.",
        {
            "publication_id": "Identifier of the publication (UTC timestamp); also in the "
                              "Parquet exports, the dashboard and publication.json.",
            "published_at": "When the serving file was published (UTC).",
            "load_id": "Ingested load the build read (audit.ingest_manifest.load_id).",
            "dbt_invocation_id": "dbt invocation id of the build whose tests passed.",
            "dbt_version": "dbt version of that build.",
            "table_count": "Tables published (rows of audit.published_tables).",
        },
    ),
    PUBLISHED_TABLES_TABLE: (
        "Every table of this serving file with its row count at publication: a reader "
        "can check it sees one complete publication.",
        {
            "schema_name": "Schema of the table.",
            "table_name": "Table name.",
            "row_count": "Rows at publication.",
            "column_count": "Columns.",
            "description": "The table's description (its dbt documentation).",
        },
    ),
}


def _write_publication(con: duckdb.DuckDBPyConnection, publication: Publication,
                       tables: list[PublishedTable]) -> None:
    con.execute(PUBLICATION_DDL)
    con.execute(
        f"insert into {PUBLICATION_SCHEMA}.{PUBLICATION_TABLE} values (?, ?, ?, ?, ?, ?)",
        [publication.publication_id, publication.published_at.replace(tzinfo=None),
         publication.load_id, publication.dbt_invocation_id, publication.dbt_version,
         len(tables)],
    )
    con.executemany(
        f"insert into {PUBLICATION_SCHEMA}.{PUBLISHED_TABLES_TABLE} values (?, ?, ?, ?, ?)",
        [[t.relation.schema, t.relation.name, t.row_count, t.column_count, t.description]
         for t in tables],
    )
    for table, (description, columns) in PUBLICATION_COMMENTS.items():
        qualified = f"{PUBLICATION_SCHEMA}.{table}"
        con.execute(f"comment on table {qualified} is {literal(description)}")
        for column, text in columns.items():
            con.execute(f"comment on column {qualified}.{column} is {literal(text)}")


def write_serving_file(warehouse: Path, staged: Path, relations: list[Relation],
                       publication: Publication, previous_serving: Path | None = None,
                       lineage: Lineage | None = None,
                       ) -> tuple[list[PublishedTable], Restatements]:
    """Write a complete serving file at `staged` (a new file) from the working warehouse,
    with the restatement log against `previous_serving` (the serving file it replaces)."""
    for leftover in (staged, staged.with_name(staged.name + ".wal")):
        leftover.unlink(missing_ok=True)
    tables: list[PublishedTable] = []
    con = duckdb.connect(str(staged))
    try:
        con.execute(f"attach {literal(str(warehouse))} as wh (read_only)")
        for schema in sorted({r.schema for r in relations}
                             | {PUBLICATION_SCHEMA, *(s for s, _ in RESTATEMENT_TABLES)}):
            con.execute(f"create schema if not exists {ident(schema)}")
        descriptions = {relation: _copy_relation(con, relation, publication.load_id)
                        for relation in relations}
        con.execute("detach wh")
        restatements = record_restatements(
            con, previous_serving, publication.publication_id,
            publication.published_at.replace(tzinfo=None), publication.load_id, lineage)
        for schema, name in RESTATEMENT_TABLES:
            descriptions[Relation(schema, name)] = RESTATEMENT_COMMENTS[(schema, name)][0]
        for relation, description in descriptions.items():
            row_count = first_row(con, f"select count(*) from {relation.qualified}")
            column_count = first_row(
                con,
                "select count(*) from duckdb_columns() where database_name = current_database() "
                "and schema_name = ? and table_name = ?", [relation.schema, relation.name],
            )
            tables.append(PublishedTable(relation, int(row_count[0]) if row_count else 0,
                                         int(column_count[0]) if column_count else 0,
                                         description))
        _write_publication(con, publication, tables)
        con.execute("checkpoint")
    finally:
        con.close()
    wal = staged.with_name(staged.name + ".wal")
    if wal.exists():  # a checkpointed, closed file has none: refuse to ship a half file
        raise PublishError(f"{wal} is left after checkpoint; the serving file is not complete")
    return tables, restatements


def install_serving_file(staged: Path, serving: Path) -> None:
    """Make the staged file the serving file in one atomic rename."""
    # Read-only on disk as well: a BI tool cannot open it for writing (except as root).
    staged.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    stale_wal = serving.with_name(serving.name + ".wal")
    if stale_wal.exists():
        # Only a process that opened the serving file for writing leaves a WAL. Replayed
        # onto the new file it would corrupt it: move it aside with the old file's name.
        os.replace(stale_wal, serving.with_name(f"{serving.name}.wal.stale-{os.getpid()}"))
    replace_file(staged, serving)
