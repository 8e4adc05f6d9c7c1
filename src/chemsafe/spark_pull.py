"""Pull what dbt built on Spark (the `spark` target of profiles.yml) into a DuckDB file.

The `spark` target runs a local Spark inside dbt's process (method: session); its tables
are Parquet files under the data directory and its catalogue an embedded Derby metastore
beside them. After dbt has exited, a new Spark session over the same warehouse and
metastore reads every table and view of the given schemas and writes them, with their
Spark types mapped through Arrow, into a DuckDB file: the same file shape the DuckDB build
leaves, so everything that reads the DuckDB warehouse (the parity test, the serving file)
works whatever engine built the marts.

The session's settings are read from the spark output of profiles.yml (one place), with
its env_var() calls rendered as dbt renders them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import yaml

from chemsafe.paths import DATA_DIR_ENV, project_root

SPARK_OUTPUT = "spark"


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


def spark_session(data_dir: Path) -> Any:  # noqa: ANN401 - pyspark is an optional extra
    """A Spark session on the data directory's Spark warehouse and metastore."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in spark_settings(data_dir).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def pull_relations(data_dir: Path, target: Path, schemas: Sequence[str]) -> list[str]:
    """Copy every table and view of `schemas` from the Spark warehouse of data_dir into the
    DuckDB file `target` (schema.table, replaced); return the names copied."""
    spark = spark_session(data_dir)
    copied: list[str] = []
    try:
        with duckdb.connect(str(target)) as con:
            for schema in schemas:
                con.execute(f'create schema if not exists "{schema}"')
                names = sorted(row.tableName for row in
                               spark.sql(f"show tables in {schema}").collect()
                               if not row.isTemporary)
                for name in names:
                    frame = spark.table(f"{schema}.{name}").toArrow()  # noqa: F841 - read by DuckDB
                    con.execute(f'create or replace table "{schema}"."{name}" as '
                                f"select * from frame")
                    copied.append(f"{schema}.{name}")
    finally:
        spark.stop()
    return copied
