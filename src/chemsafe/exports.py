"""Parquet exports of the published tables, for tools that prefer files.

One Parquet file per table (Power BI, Excel through Power Query, Spark, pandas), written
from the staged serving file, so the files hold exactly what the serving file holds.
Column documentation travels twice: as Parquet metadata (the table description in the
file's key-value metadata, each column's description in its Arrow field metadata) and
as a sidecar ``<table>.schema.json`` next to the file, with the table's grain (its primary
key, else the columns its dbt uniqueness test holds). Marts are at the top of the
folder, other schemas (audit) in a subfolder of their name. ``manifest.json`` lists every
file with its row count and SHA-256.

Snappy compression: the codec every Parquet reader supports (Power Query included).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from chemsafe.db import first_row
from chemsafe.serving import Publication, PublishedTable, Relation, node_relation

MARTS_SCHEMA = "marts"
BATCH_ROWS = 100_000
SCHEMA_SUFFIX = ".schema.json"
METADATA_PREFIX = "chemsafe."


@dataclass(frozen=True)
class ExportedFile:
    relation: Relation
    path: Path
    schema_path: Path
    row_count: int
    sha256: str


def export_relpath(relation: Relation) -> Path:
    """kpi_quarterly.parquet for a mart, audit/quarantine.parquet for another schema."""
    name = f"{relation.name}.parquet"
    return Path(name) if relation.schema == MARTS_SCHEMA else Path(relation.schema) / name


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _column_info(con: duckdb.DuckDBPyConnection, relation: Relation) -> list[dict[str, object]]:
    rows = con.execute(
        "select column_name, data_type, is_nullable, comment from duckdb_columns() "
        "where schema_name = ? and table_name = ? order by column_index",
        [relation.schema, relation.name],
    ).fetchall()
    return [{"name": n, "data_type": t, "nullable": bool(null), "description": c or ""}
            for n, t, null, c in rows]


def _primary_key(con: duckdb.DuckDBPyConnection, relation: Relation) -> list[str]:
    row = first_row(
        con,
        "select constraint_column_names from duckdb_constraints() "
        "where schema_name = ? and table_name = ? and constraint_type = 'PRIMARY KEY'",
        [relation.schema, relation.name],
    )
    return list(row[0]) if row else []


# The grain of the tables the publisher writes itself (no dbt model, no test to read it
# from): kpi_restatements has no key constraint (site_id and risk_tier may be NULL).
PUBLISHER_GRAINS = {
    "marts.kpi_restatements": ["publication_id", "mart", "kpi_code", "period_type", "period",
                               "site_id", "risk_tier"],
}
GRAIN_TESTS = ("unique", "unique_combination_of_columns")


def grains_from_manifest(manifest: dict[str, Any]) -> dict[str, list[str]]:
    """'schema.table' -> the columns that identify a row, from the dbt tests that hold it
    (unique on one column, unique_combination_of_columns): the grain of a table with no
    primary key constraint (NULL allowed in the key, or no index for memory's sake). A
    table with several such tests gets the shortest."""
    nodes = manifest.get("nodes", {})
    grains: dict[str, list[str]] = {}
    for node in nodes.values():
        metadata = node.get("test_metadata") or {}
        model = nodes.get(node.get("attached_node") or "")
        if node.get("resource_type") != "test" or metadata.get("name") not in GRAIN_TESTS \
                or model is None:
            continue
        kwargs = metadata.get("kwargs") or {}
        columns = (kwargs.get("combination_of_columns")
                   if metadata["name"] == "unique_combination_of_columns"
                   else [kwargs.get("column_name")])
        if not columns or not all(isinstance(c, str) for c in columns):
            continue
        relation = str(node_relation(model))
        if relation not in grains or len(columns) < len(grains[relation]):
            grains[relation] = list(columns)
    return {**grains, **PUBLISHER_GRAINS}


def _documented_schema(schema: pa.Schema, columns: list[dict[str, object]],
                       table_metadata: dict[str, str]) -> pa.Schema:
    by_name = {str(c["name"]): c for c in columns}
    fields = []
    for field in schema:
        info = by_name[field.name]
        fields.append(field.with_metadata({
            "description": str(info["description"]),
            "duckdb_type": str(info["data_type"]),
        }))
    return pa.schema(fields, metadata=table_metadata)


def export_table(con: duckdb.DuckDBPyConnection, table: PublishedTable,
                 publication: Publication, folder: Path,
                 grains: dict[str, list[str]] | None = None) -> ExportedFile:
    relation = table.relation
    target = folder / export_relpath(relation)
    target.parent.mkdir(parents=True, exist_ok=True)
    columns = _column_info(con, relation)
    primary_key = _primary_key(con, relation)
    # the columns that identify a row: the key constraint, else the tested grain
    grain = primary_key or (grains or {}).get(str(relation), [])
    table_metadata = {
        f"{METADATA_PREFIX}table": str(relation),
        f"{METADATA_PREFIX}description": table.description or "",
        f"{METADATA_PREFIX}publication_id": publication.publication_id,
        f"{METADATA_PREFIX}primary_key": json.dumps(primary_key),
        f"{METADATA_PREFIX}grain": json.dumps(grain),
    }
    reader = con.sql(f"select * from {relation.qualified}").to_arrow_reader(BATCH_ROWS)
    schema = _documented_schema(reader.schema, columns, table_metadata)
    rows = 0
    with pq.ParquetWriter(target, schema, compression="snappy") as writer:
        for batch in reader:
            writer.write_batch(batch)
            rows += batch.num_rows
    if rows != table.row_count:
        raise RuntimeError(f"{relation}: exported {rows} rows, the table has {table.row_count}")
    checksum = sha256_of(target)
    sidecar = {
        "table": str(relation),
        "description": table.description or "",
        "file": target.name,
        "format": "parquet",
        "compression": "snappy",
        "row_count": rows,
        "sha256": checksum,
        "publication_id": publication.publication_id,
        "primary_key": primary_key,
        "grain": grain,
        "columns": [
            {**c, "parquet_type": str(schema.field(str(c["name"])).type)} for c in columns
        ],
    }
    schema_path = target.with_name(relation.name + SCHEMA_SUFFIX)
    schema_path.write_text(json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n",
                           encoding="utf-8")
    return ExportedFile(relation, target, schema_path, rows, checksum)


def write_exports(serving_file: Path, tables: list[PublishedTable], publication: Publication,
                  folder: Path, grains: dict[str, list[str]] | None = None,
                  ) -> list[ExportedFile]:
    """Export every published table of the (staged) serving file into a new folder;
    `grains` ('schema.table' -> columns, grains_from_manifest) for tables with no key."""
    folder.mkdir(parents=True, exist_ok=False)
    exported: list[ExportedFile] = []
    with duckdb.connect(str(serving_file), read_only=True) as con:
        for table in tables:
            exported.append(export_table(con, table, publication, folder, grains))
    manifest = {
        "publication_id": publication.publication_id,
        "published_at": publication.published_at.isoformat(),
        "files": [
            {"table": str(f.relation), "path": str(f.path.relative_to(folder)),
             "schema": str(f.schema_path.relative_to(folder)), "row_count": f.row_count,
             "sha256": f.sha256}
            for f in exported
        ],
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return exported
