"""The pseudonym key cannot change silently (chemsafe.keycheck), through the real CLI.

A data directory is built, reconciled and published under key A. Then every job that would
build under key B (or under the demo key) stops with one line and touches nothing, and dbt
run directly refuses too; `--rekey` rebuilds everything that holds pseudonyms under key B
and drops the reconciliation results of key A, after which key A is the one refused.
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
    assert "pseudonym key is not the key this warehouse was built with" in \
        result.stdout + result.stderr
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


def test_the_engine_neutral_pseudonymise_refuses_rather_than_write_the_key_into_sql(
        tmp_path: Path) -> None:
    """default__pseudonymise (any engine without a registered function) used to render the
    key into the SQL text, hence into target/ and the logs; it must stop instead."""
    import os
    import subprocess
    import sys

    marker = "key-that-must-never-be-written-7f3a"
    (tmp_path / "data").mkdir()
    out = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "run-operation", "default__pseudonymise",
         "--args", "{expr: employee_no}", "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs")],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
        env=dict(os.environ, CHEMSAFE_DATA_DIR=str(tmp_path / "data"),
                 CHEMSAFE_PSEUDONYM_KEY=marker))
    assert out.returncode != 0
    assert "no keyed hash for adapter 'duckdb'" in out.stdout + out.stderr
    assert marker not in out.stdout + out.stderr
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert marker.encode() not in path.read_bytes(), path
