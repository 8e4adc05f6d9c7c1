"""Pull what dbt built on Spark (the `spark` target of profiles.yml) into a DuckDB file.

The `spark` target runs a local Spark inside dbt's process (method: session); its tables
are Parquet files under the data directory and its catalogue an embedded Derby metastore
beside them. After a full `chemsafe build --target spark` passed and dbt has exited,
chemsafe runs this module in a process of its own (``python -m chemsafe.spark_pull``): a
new Spark session over the same warehouse and metastore reads every table and view of the
marts, audit and reference schemas and writes them as Parquet (by its executors, nothing
collected into the driver), then DuckDB reads them into the working file, in one
transaction, with the comments and the contracts' NOT NULL and PRIMARY KEY
constraints the DuckDB build gives them. The file then has the shape a DuckDB build
leaves, so `chemsafe publish` (serving file, Parquet exports, docs, dashboard) and
`chemsafe reconcile` work unchanged whatever engine built the marts.

The session's settings are read from the spark output of profiles.yml (one place), with
its env_var() calls rendered as dbt renders them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import yaml

from chemsafe.paths import DATA_DIR_ENV, project_root

SPARK_OUTPUT = "spark"
# What publishing and reconciling read from the working file: the marts, the audit tables
# (quarantine, load summary, manifest) and the reference seeds.
PULLED_SCHEMAS = ("marts", "audit", "reference")


def _env_var(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise KeyError(f"profiles.yml: environment variable {name} is not set")
    return value


def spark_settings(data_dir: Path, output: str = SPARK_OUTPUT) -> dict[str, str]:
    """The server_side_parameters of the profile's spark output, rendered for data_dir."""
    text = (project_root() / "profiles.yml").read_text(encoding="utf-8")
    profile = yaml.safe_load(text)["chemsafe_esg"]["outputs"][output]
    environment = jinja2.Environment(autoescape=False)
    saved = os.environ.get(DATA_DIR_ENV)
    os.environ[DATA_DIR_ENV] = str(data_dir)
    try:
        return {
            key: environment.from_string(str(value)).render(env_var=_env_var)
            for key, value in profile.get("server_side_parameters", {}).items()
        }
    finally:
        if saved is None:
            os.environ.pop(DATA_DIR_ENV, None)
        else:
            os.environ[DATA_DIR_ENV] = saved


def spark_session(data_dir: Path, output: str = SPARK_OUTPUT) -> Any:  # noqa: ANN401 - optional extra
    """A Spark session on the data directory's Spark warehouse and metastore."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in spark_settings(data_dir, output).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


@dataclass(frozen=True)
class DbtRelation:
    """What the manifest says about one relation dbt builds: its documentation and the
    NOT NULL and PRIMARY KEY constraints of its enforced contract."""

    description: str
    column_descriptions: dict[str, str]
    not_null: tuple[str, ...]
    primary_key: tuple[str, ...]
    persist_docs: bool


def _constrained(node: dict[str, Any], kind: str) -> tuple[str, ...]:
    """The columns a constraint of `kind` names in the node's enforced contract (column
    constraints, then model constraints); none when the contract is not enforced."""
    if not node.get("config", {}).get("contract", {}).get("enforced"):
        return ()
    columns = node.get("columns", {})
    named = [name for name, column in columns.items()
             if any(c.get("type") == kind for c in column.get("constraints", []))]
    for constraint in node.get("constraints", []):
        if constraint.get("type") == kind:
            named.extend(constraint.get("columns", []))
    return tuple(named)


def dbt_relations(manifest_path: Path) -> dict[tuple[str, str], DbtRelation]:
    """Every relation (schema, name) a model, seed or snapshot of the manifest builds."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    found: dict[tuple[str, str], DbtRelation] = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") not in ("model", "seed", "snapshot"):
            continue
        config = node.get("config", {})
        if config.get("materialized") == "ephemeral" or not config.get("enabled", True):
            continue
        columns = node.get("columns", {})
        docs = config.get("persist_docs") or {}
        found[(node["schema"], node.get("alias") or node["name"])] = DbtRelation(
            node.get("description") or "",
            {name: column.get("description") or "" for name, column in columns.items()},
            _constrained(node, "not_null"), _constrained(node, "primary_key"),
            bool(docs.get("relation") and docs.get("columns")))
    return found


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _copy_parquet(con: duckdb.DuckDBPyConnection, qualified: str, folder: Path) -> list[str]:
    """Create `qualified` from the Parquet files Spark wrote to `folder`; return its
    columns. Spark's timestamps (UTC instants, the session time zone being UTC) become
    DuckDB TIMESTAMP in UTC, the type the DuckDB build gives them."""
    files = _literal(str(folder / "*.parquet"))
    described = con.execute(f"describe select * from read_parquet({files})").fetchall()
    columns = []
    for name, data_type, *_ in described:
        quoted = _quoted(name)
        columns.append(f"timezone('UTC', {quoted}) as {quoted}"
                       if data_type == "TIMESTAMP WITH TIME ZONE" else quoted)
    con.execute(f"create table {qualified} as select {', '.join(columns)} "
                f"from read_parquet({files})")
    return [name for name, *_ in described]


def _document(con: duckdb.DuckDBPyConnection, qualified: str, relation: DbtRelation,
              present: set[str]) -> None:
    """The comments and constraints (NOT NULL, PRIMARY KEY) the DuckDB build gives the
    relation: a violated one fails the pull, as it fails the DuckDB build."""
    for column in relation.not_null:
        if column in present:
            con.execute(f"alter table {qualified} alter column {_quoted(column)} "
                        "set not null")
    if relation.primary_key:
        con.execute(f"alter table {qualified} add primary key "
                    f"({', '.join(_quoted(c) for c in relation.primary_key)})")
    if not relation.persist_docs:
        return
    if relation.description:
        con.execute(f"comment on table {qualified} is {_literal(relation.description)}")
    for column, text in relation.column_descriptions.items():
        if text and column in present:
            con.execute(f"comment on column {qualified}.{_quoted(column)} "
                        f"is {_literal(text)}")


def _existing(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    rows = con.execute(
        "select schema_name, table_name, 'table' from duckdb_tables() "
        "where database_name = current_database() "
        "union all select schema_name, view_name, 'view' from duckdb_views() "
        "where database_name = current_database() and not internal").fetchall()
    return {(schema, name): kind for schema, name, kind in rows}


def pull_build(data_dir: Path, warehouse: Path, manifest_path: Path,
               schemas: Sequence[str] = PULLED_SCHEMAS, output: str = SPARK_OUTPUT) -> list[str]:
    """Make the DuckDB file `warehouse` hold what the last dbt build on Spark made in
    `schemas`, in one transaction: every relation dbt builds (per the manifest) is first
    dropped from the file, whatever engine built it, then each Spark table and view of
    `schemas` is copied in as a table with the comments and the contracts' NOT NULL and
    PRIMARY KEY constraints the DuckDB build gives it (Spark enforces neither on Parquet
    tables, so a violation fails here). Tables dbt does not build (the pseudonym-key
    fingerprint, the reconciliation results) are kept. A failure leaves the file as it
    was. Returns the relations copied (schema.name)."""
    relations = dbt_relations(manifest_path)
    scratch = data_dir / "spark" / f".pull-{os.getpid()}"
    try:
        written = _write_parquet(data_dir, output, schemas, scratch)
        with duckdb.connect(str(warehouse)) as con:
            con.execute("begin transaction")
            for (schema, name), kind in sorted(_existing(con).items()):
                if (schema, name) in relations:
                    con.execute(f"drop {kind} {_quoted(schema)}.{_quoted(name)}")
            for schema, name in written:
                con.execute(f"create schema if not exists {_quoted(schema)}")
                qualified = f"{_quoted(schema)}.{_quoted(name)}"
                columns = _copy_parquet(con, qualified, scratch / schema / name)
                relation = relations.get((schema, name))
                if relation is not None:
                    _document(con, qualified, relation, set(columns))
            con.execute("commit")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return [f"{schema}.{name}" for schema, name in written]


def _write_parquet(data_dir: Path, output: str, schemas: Sequence[str],
                   scratch: Path) -> list[tuple[str, str]]:
    """Spark writes every table and view of `schemas` as Parquet under scratch/schema/name
    (by its executors: nothing is collected into the driver, whose heap would bound the
    largest mart); the session is stopped before DuckDB reads them."""
    spark = spark_session(data_dir, output)
    written: list[tuple[str, str]] = []
    try:
        for schema in schemas:
            names = sorted(row.tableName for row in
                           spark.sql(f"show tables in {schema}").collect()
                           if not row.isTemporary)
            for name in names:
                spark.table(f"{schema}.{name}").write.mode("overwrite").parquet(
                    str(scratch / schema / name))
                written.append((schema, name))
    finally:
        spark.stop()
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m chemsafe.spark_pull`: run by chemsafe after a passed full Spark build,
    in a process of its own (its JVM ends with it, releasing the Derby metastore)."""
    parser = argparse.ArgumentParser(prog="python -m chemsafe.spark_pull",
                                     description=pull_build.__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--manifest", type=Path, required=True)
    parser.add_argument("--target", default=SPARK_OUTPUT, help="the profile's Spark output")
    parser.add_argument("--schema", action="append", dest="schemas",
                        help=f"a schema to pull (repeatable; default: {', '.join(PULLED_SCHEMAS)})")
    args = parser.parse_args(argv)
    schemas = tuple(args.schemas or PULLED_SCHEMAS)
    copied = pull_build(args.data_dir, args.warehouse, args.manifest, schemas, args.target)
    print(f"Pulled {len(copied)} relations from Spark into {args.warehouse} "
          f"({', '.join(schemas)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
