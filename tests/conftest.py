"""Shared helpers: run the real pipeline (chemsafe CLI -> dbt -> DuckDB file)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CHEMSAFE = str(Path(sys.executable).parent / "chemsafe")
DEMO_EXTRACTS = PROJECT_ROOT / "demo" / "extracts"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def chemsafe(data_dir: Path, *args: str, check: bool = True,
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `chemsafe` command with its data directory at data_dir."""
    run_env = dict(os.environ)
    run_env["CHEMSAFE_DATA_DIR"] = str(data_dir)
    run_env.pop("CHEMSAFE_PSEUDONYM_KEY", None)
    if env:
        run_env.update(env)
    result = subprocess.run(
        [CHEMSAFE, *args], cwd=PROJECT_ROOT, env=run_env, capture_output=True, text=True,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"chemsafe {' '.join(args)} exited {result.returncode}\n"
            f"--- stdout ---\n{result.stdout[-6000:]}\n--- stderr ---\n{result.stderr[-4000:]}"
        )
    return result


def build_warehouse(extracts: Path, data_dir: Path,
                    env: dict[str, str] | None = None) -> Path:
    """Ingest a folder of extracts and dbt-build it; return the DuckDB file."""
    chemsafe(data_dir, "ingest", str(extracts), env=env)
    chemsafe(data_dir, "build", env=env)
    return data_dir / "chemsafe.duckdb"


def query(warehouse: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo extracts through the main job (ingest, dbt build, publish), once for the
    whole session; the working warehouse file."""
    data_dir = tmp_path_factory.mktemp("demo-data")
    chemsafe(data_dir, "run", "--extracts", str(DEMO_EXTRACTS))
    yield data_dir / "chemsafe.duckdb"


@pytest.fixture(scope="session")
def kpi_small_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-built extract set tests/fixtures/kpi_small ingested and built once for the
    session: the KPI and field-checklist tests compare it with figures worked out by hand
    from its rows."""
    data_dir = tmp_path_factory.mktemp("kpi-small-data")
    return build_warehouse(FIXTURES / "kpi_small", data_dir)


@pytest.fixture(scope="session")
def demo_published(demo_warehouse: Path) -> Path:
    """The data directory of the demo run, with what the main job published for analysts
    (serving file, Parquet exports, docs, dashboard)."""
    return demo_warehouse.parent


def copy_project(target: Path, data_dir: Path) -> Path:
    """A copy of the dbt project (to change a seed or model in a test); its sources read
    the current load of the data directory dbt is run with (dbt_in)."""
    ignore = shutil.ignore_patterns(".venv", "data", "target", "logs", ".git",
                                    "__pycache__", ".pytest_cache", ".ruff_cache", "demo",
                                    "fixtures")
    shutil.copytree(PROJECT_ROOT, target, ignore=ignore)
    return target


def dbt_in(project: Path, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run dbt on a project copy with its run-time files under data_dir."""
    from chemsafe.dbt_runner import dbt_on_project

    return dbt_on_project(project, data_dir, *args)


# Run metadata that legitimately differs between two runs: when and as which load the
# files were ingested, and which reconciliation run wrote a quarter's results. Everything
# else must be identical, row for row.
RUN_METADATA_COLUMNS = {"load_id", "loaded_at", "source_path", "run_id", "run_at"}


def table_fingerprints(warehouse: Path,
                       schemas: tuple[str, ...] | None = None) -> dict[str, tuple[int, str]]:
    """(row count, sha256 of the sorted rows) for every table and view outside `main`
    (or of the given schemas)."""
    out: dict[str, tuple[int, str]] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        relations = [
            (schema, name) for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_schema not in ('main', 'information_schema', 'pg_catalog') "
                "order by 1, 2"
            ).fetchall()
            if schemas is None or schema in schemas
        ]
        for schema, name in relations:
            columns = [
                c for (c,) in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, name],
                ).fetchall()
                if c not in RUN_METADATA_COLUMNS
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f'select {select} from "{schema}"."{name}" order by all').fetchall()
            digest = hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()
            out[f"{schema}.{name}"] = (len(rows), digest)
    return out


MART_FINGERPRINTS = FIXTURES / "mart_fingerprints.json"


def assert_marts_unchanged(warehouse: Path, drop: str) -> None:
    """Every mart built from `drop` is row for row what it was before the last refactor
    (tests/fixtures/mart_fingerprints.json says when that was)."""
    import json

    expected = {name: tuple(value) for name, value in
                json.loads(MART_FINGERPRINTS.read_text(encoding="utf-8"))[drop].items()}
    actual = table_fingerprints(warehouse, ("marts",))
    changed = sorted(name for name in expected.keys() | actual.keys()
                     if expected.get(name) != actual.get(name))
    assert changed == [], f"marts of the {drop} drop changed: {changed}"
