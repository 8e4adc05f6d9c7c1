"""Shared helpers: run the real pipeline (chemsafe CLI -> dbt -> DuckDB file)."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import duckdb
import pytest

# With the spark extras installed, Great Expectations imports pyspark.sql.connect, which
# exits the process (sys.exit(0), "Skipping doctests") when __main__ looks like a doctest
# run: no __spec__ and no __file__, as in a pytest-xdist worker. Give the worker's __main__
# a name so tests that run Great Expectations in-process keep their worker.
_MAIN = sys.modules["__main__"]
if getattr(_MAIN, "__spec__", None) is None and not hasattr(_MAIN, "__file__"):
    _MAIN.__file__ = "<pytest-xdist worker>"

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CHEMSAFE = str(Path(sys.executable).parent / "chemsafe")
DEMO_EXTRACTS = PROJECT_ROOT / "demo" / "extracts"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def decode_extract(raw: bytes) -> tuple[str, str]:
    """An extract's text and encoding as the contract reads them, written apart from
    ingest's code: a UTF-8 byte-order mark or valid UTF-8 is UTF-8, anything else CP949."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp949"), "cp949"


# dbt's partial-parse cache of this checkout, written once per test session (parse_cache):
# a data directory a test starts from scratch gets a copy, so its first dbt command parses
# only what changed (nothing) instead of the whole project, as any later command in a
# data directory does (chemsafe.dbt_runner.run_dbt keeps the profile the same for all).
PARSE_CACHE: list[Path] = []


def seed_parse_cache(data_dir: Path) -> None:
    """Give a new data directory the session's dbt parse cache (see PARSE_CACHE)."""
    from chemsafe.dbt_runner import PARTIAL_PARSE, PROJECT_MARK

    target = data_dir / "dbt" / "target"
    if not PARSE_CACHE or (target / PARTIAL_PARSE).exists():
        return
    # where the cache would go: a test may mount a small filesystem on the target folder
    existing = next(p for p in (target, *target.parents) if p.exists())
    if shutil.disk_usage(existing).free < 1 << 30:
        return  # a test's deliberately small filesystem: its disk budget is the test's
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PARSE_CACHE[0], target / PARTIAL_PARSE)
    (target / PROJECT_MARK).write_text(str(PROJECT_ROOT.resolve()) + "\n", encoding="utf-8")


# `chemsafe build` of one seed alone, not the tests that read it: a quick real dbt run
BUILD_ONE_SEED = ("build", "--select", "scoring_parameters", "--indirect-selection", "empty")


def chemsafe(data_dir: Path, *args: str, check: bool = True,
             env: Mapping[str, str | None] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `chemsafe` command with its data directory at data_dir (env:
    variables to set, or to unset where the value is None)."""
    seed_parse_cache(data_dir)
    run_env = dict(os.environ)
    run_env["CHEMSAFE_DATA_DIR"] = str(data_dir)
    run_env.pop("CHEMSAFE_PSEUDONYM_KEY", None)
    for name, value in (env or {}).items():
        if value is None:
            run_env.pop(name, None)
        else:
            run_env[name] = value
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


def shared_build(tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str,
                 make: Callable[[Path], None]) -> Path:
    """A data directory that make(data_dir) fills once per test session; read it or copy
    it (private_copy), never change it.

    With pytest-xdist every worker has its own session: the first worker to get here runs
    make() in the folder the workers share (under a file lock, so the other waits instead
    of building the same thing again). A failed make() leaves nothing behind, so the next
    worker tries again and fails with its own error."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if worker_id != "master" else base
    built = shared / f"shared-{name}"
    with open(shared / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (built / "DONE").exists():
                shutil.rmtree(built, ignore_errors=True)
                make(built / "data")
                (built / "DONE").touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return built / "data"


def private_copy(template: Path, tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A copy of a shared data directory to work in (links kept: they are relative)."""
    private = tmp_path_factory.mktemp(name) / "data"
    shutil.copytree(template, private, symlinks=True)
    return private


def shared_data_dir(tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str,
                    make: Callable[[Path], None]) -> Path:
    """A private copy of shared_build(...)."""
    return private_copy(shared_build(tmp_path_factory, worker_id, name, make),
                        tmp_path_factory, name)


@pytest.fixture(scope="session", autouse=True)
def parse_cache(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """dbt parse of the project once per session, for seed_parse_cache."""
    from chemsafe.dbt_runner import PARTIAL_PARSE, run_dbt
    from chemsafe.paths import DataPaths

    def parse(folder: Path) -> None:
        folder.mkdir(parents=True)
        if run_dbt(DataPaths(folder), ["parse"]) != 0:
            raise AssertionError("dbt parse of the project failed (see the output above)")

    data_dir = shared_build(tmp_path_factory, worker_id, "parse", parse)
    PARSE_CACHE[:] = [data_dir / "dbt" / "target" / PARTIAL_PARSE]
    return PARSE_CACHE[0]


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Path]:
    """The demo extracts through the main job (ingest, dbt build, publish), once for the
    whole session (shared_data_dir); the working warehouse file of this worker's copy."""
    data_dir = shared_data_dir(
        tmp_path_factory, worker_id, "demo-run",
        lambda folder: chemsafe(folder, "run", "--extracts", str(DEMO_EXTRACTS)) and None)
    yield data_dir / "chemsafe.duckdb"


@pytest.fixture(scope="session")
def kpi_small_warehouse(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The hand-built extract set tests/fixtures/kpi_small ingested and built once for the
    session: the KPI and field-checklist tests compare it with figures worked out by hand
    from its rows."""
    data_dir = shared_data_dir(
        tmp_path_factory, worker_id, "kpi-small",
        lambda folder: build_warehouse(FIXTURES / "kpi_small", folder) and None)
    return data_dir / "chemsafe.duckdb"


@pytest.fixture(scope="session")
def reconciliation_build(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """tests/fixtures/reconciliation ingested and built (not published) once for the
    session: a shared data directory, to copy (private_copy) before working in it."""
    return shared_build(
        tmp_path_factory, worker_id, "reconciliation-build",
        lambda folder: build_warehouse(FIXTURES / "reconciliation", folder) and None)


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



# The Spark parity test (about six minutes, mostly one JVM) starts first on one worker
# while the other worker runs the rest, instead of running alone at the end. pytest-xdist's
# loadfile distribution hands out whole files in collection order only with
# --no-loadscope-reorder (the Makefile passes it); by default it re-sorts files by their
# number of tests, which put this three-test file last.
FIRST_FILES = ("test_spark_parity.py",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: n for n, name in enumerate(FIRST_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(FIRST_FILES)))
