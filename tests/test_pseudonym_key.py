"""The pseudonym key cannot change silently (chemsafe.keycheck), through the real CLI.

A data directory is built, reconciled and published under key A. Then every job that would
build under key B (or under the demo key) stops with one line and touches nothing, and dbt
run directly refuses too; `--rekey` ingests the load again and rebuilds everything that
holds pseudonyms under key B and drops the reconciliation results of key A, after which
key A is the one refused. Ingest hashes employee numbers (chemsafe.personal), so a load
records its key too: a load of another key is never built.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest

from chemsafe.keycheck import key_fingerprint
from chemsafe.paths import DataPaths
from conftest import FIXTURES, PROJECT_ROOT, chemsafe, dbt_in, query

KEY_A = "pseudonym-key-A-for-tests"
KEY_B = "pseudonym-key-B-for-tests"
DROP = FIXTURES / "reconciliation"
EMPLOYEES = [f"E00{n}" for n in range(1, 9)]


def env(key: str) -> dict[str, str]:
    return {"CHEMSAFE_PSEUDONYM_KEY": key}


def hashed(key: str, value: str) -> str:
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def state(paths: DataPaths) -> dict[str, object]:
    """What a refused job must leave exactly as it was."""
    return {
        "warehouse": sha256(paths.warehouse),
        "serving": sha256(paths.serving_db),
        "record": sha256(paths.publication_record),
        "current": paths.current_seeds.resolve(),
        "loads": sorted(p.name for p in paths.loads_dir.iterdir()),
    }


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> DataPaths:
    data_dir = tmp_path_factory.mktemp("key-a")
    chemsafe(data_dir, "run", "--extracts", str(DROP), env=env(KEY_A))
    reconciled = chemsafe(data_dir, "reconcile", "--quarter", "2026-Q2", env=env(KEY_A),
                          check=False)
    assert reconciled.returncode in (0, 1), reconciled.stderr
    chemsafe(data_dir, "publish", "--reuse-build", env=env(KEY_A))
    return DataPaths(data_dir)


def test_the_warehouse_records_the_fingerprint_of_its_key_never_the_key(
        paths: DataPaths) -> None:
    rows = query(paths.warehouse, "select key_fingerprint from audit.pseudonym_key")
    assert rows == [(key_fingerprint(KEY_A.encode()),)]
    assert query(paths.warehouse, "select column_name from duckdb_columns() "
                                  "where table_name = 'pseudonym_key' order by column_index") \
        == [("key_fingerprint",), ("recorded_at",)]
    # the published reconciliation results are the ones of key A
    assert query(paths.serving_db, "select count(*) from audit.reconciliation_runs") == [(1,)]


@pytest.mark.parametrize("key", [KEY_B, None], ids=["another-key", "demo-key"])
@pytest.mark.parametrize("job", [["build"], ["publish"], ["run", "--extracts", str(DROP)]],
                         ids=["build", "publish", "run"])
def test_a_job_under_another_key_stops_with_one_line(paths: DataPaths, job: list[str],
                                                     key: str | None) -> None:
    before = state(paths)
    result = chemsafe(paths.root, *job, env=env(key) if key else None, check=False)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"chemsafe {job[0]}: error: the pseudonym key changed")
    assert "--rekey" in lines[0]
    assert ("demo key" in lines[0]) == (key is None)
    assert key_fingerprint(KEY_A.encode())[:12] in lines[0]
    assert KEY_B not in result.stderr + result.stdout
    assert state(paths) == before


def test_dbt_run_directly_under_another_key_refuses(paths: DataPaths) -> None:
    before = sha256(paths.warehouse)
    result = dbt_in(PROJECT_ROOT, paths.root, "build", "--select", "dim_quarters")
    assert result.returncode != 0
    # the load (ingested under key A) is checked first, then the warehouse
    output = result.stdout + result.stderr
    assert "the key the current load" in output or \
        "pseudonym key is not the key this warehouse was built with" in output
    assert sha256(paths.warehouse) == before


def test_rekey_rebuilds_everything_under_the_new_key(paths: DataPaths) -> None:
    result = chemsafe(paths.root, "publish", "--rekey", env=env(KEY_B))
    assert "dropped" in result.stderr and "2026-Q2" in result.stderr
    assert query(paths.warehouse, "select key_fingerprint from audit.pseudonym_key") \
        == [(key_fingerprint(KEY_B.encode()),)]
    new_keys = {hashed(KEY_B, e) for e in EMPLOYEES}
    old_keys = {hashed(KEY_A, e) for e in EMPLOYEES}
    for database in (paths.warehouse, paths.serving_db):
        keys = {k for (k,) in query(database, "select employee_key from "
                                              "marts.fct_training_reconciliation")}
        assert keys and keys <= new_keys, database
    # the reconciliation results of key A are gone from the warehouse and the serving file
    results = ("select count(*) from duckdb_tables() "
               "where schema_name = 'audit' and table_name like 'reconciliation_%'")
    assert query(paths.warehouse, results) == [(0,)]
    assert query(paths.serving_db, results) == [(0,)]
    signers = {k for (k,) in query(paths.warehouse, "select employee_key from "
                                                    "staging.stg_field__training_signins")}
    assert signers and signers <= new_keys and not signers & old_keys
    record = json.loads(paths.publication_record.read_text(encoding="utf-8"))
    assert record["reconciliation"]["quarters"] == []
    # now key A is the one refused; reconciling again under key B works
    refused = chemsafe(paths.root, "build", env=env(KEY_A), check=False)
    assert refused.returncode == 2 and "the pseudonym key changed" in refused.stderr
    again = chemsafe(paths.root, "reconcile", "--quarter", "2026-Q2", env=env(KEY_B),
                     check=False)
    assert again.returncode in (0, 1), again.stderr
    assert query(paths.warehouse, "select count(*) from audit.reconciliation_runs") == [(1,)]


def test_no_sql_dbt_wrote_holds_the_key_or_a_keyed_hash_function(paths: DataPaths) -> None:
    """Staging needs no keyed hash (ingest wrote the hashes), so nothing dbt compiled,
    ran or logged names the key or calls a registered hash function: the same SQL runs on
    any engine."""
    written = [p for folder in (paths.dbt_target, paths.dbt_logs) for p in folder.rglob("*")
               if p.is_file()]
    compiled = [p for p in written if p.suffix == ".sql"]
    assert len(compiled) > 50
    for path in written:
        data = path.read_bytes()
        assert KEY_A.encode() not in data, path
        assert b"pseudonymise(" not in data, path


@pytest.fixture
def loaded_under_a(tmp_path: Path) -> DataPaths:
    data_dir = tmp_path / "data"
    chemsafe(data_dir, "ingest", str(DROP), env=env(KEY_A))
    return DataPaths(data_dir)


@pytest.mark.parametrize("key", [KEY_B, None], ids=["another-key", "demo-key"])
def test_a_load_ingested_under_another_key_is_never_built(loaded_under_a: DataPaths,
                                                          key: str | None) -> None:
    paths = loaded_under_a
    result = chemsafe(paths.root, "build", env=env(key) if key else None, check=False)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("chemsafe build: error: the pseudonym key changed")
    assert "the current load" in lines[0] and "--rekey" in lines[0]
    assert key_fingerprint(KEY_A.encode())[:12] in lines[0]
    assert not paths.warehouse.exists()


def test_dbt_run_directly_on_a_load_of_another_key_refuses(loaded_under_a: DataPaths) -> None:
    result = dbt_in(PROJECT_ROOT, loaded_under_a.root, "build", "--select", "dim_quarters")
    assert result.returncode != 0
    assert "the key the current load" in result.stdout + result.stderr


def test_a_load_from_before_hashing_at_ingest_is_never_built(loaded_under_a: DataPaths) -> None:
    (loaded_under_a.current_seeds / "pseudonym_key.fingerprint").unlink()
    result = chemsafe(loaded_under_a.root, "build", env=env(KEY_A), check=False)
    assert result.returncode == 2
    assert "holds them in clear" in result.stderr
    assert not loaded_under_a.warehouse.exists()
