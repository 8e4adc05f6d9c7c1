"""`chemsafe publish --reuse-build` (chemsafe.build_stamp), through the real CLI.

After `run` and `reconcile`, publishing the quarter's results must not need a second build
of the same load by the same project; but any change that could make the warehouse differ
from what the passed build left (another load, a dbt command, another project) must make
it build again, and publication.json must say which build was published and whether it
was reused.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chemsafe.build_stamp import why_not_reusable
from chemsafe.paths import DataPaths
from conftest import DEMO_EXTRACTS, chemsafe, copy_project, query

QUARTER = "2026-Q2"


def record(paths: DataPaths) -> dict:
    return json.loads(paths.publication_record.read_text(encoding="utf-8"))


def last_build_invocation(paths: DataPaths) -> str:
    results = json.loads((paths.dbt_target / "run_results.json").read_text(encoding="utf-8"))
    return results["metadata"]["invocation_id"]


@pytest.fixture(scope="module")
def data_dir(demo_published: Path, tmp_path_factory: pytest.TempPathFactory) -> DataPaths:
    target = tmp_path_factory.mktemp("reuse") / "data"
    shutil.copytree(demo_published, target, symlinks=True)
    return DataPaths(target)


def test_reconcile_then_publish_reuses_the_passed_build(data_dir: DataPaths) -> None:
    before = record(data_dir)
    built_by = last_build_invocation(data_dir)
    assert before["dbt_invocation_id"] == built_by and before["build_reused"] is False
    reconciled = chemsafe(data_dir.root, "reconcile", "--quarter", QUARTER, check=False)
    assert reconciled.returncode in (0, 1), reconciled.stderr

    result = chemsafe(data_dir.root, "publish", "--reuse-build")

    assert "without building again" in result.stdout
    after = record(data_dir)
    assert after["publication_id"] != before["publication_id"]
    assert after["dbt_invocation_id"] == built_by  # the same build, not a new one
    assert after["build_reused"] is True
    assert last_build_invocation(data_dir) == built_by
    # ...and what the reuse was for: the quarter's results reached the serving file.
    runs = query(data_dir.serving_db,
                 "select count(*) from audit.reconciliation_runs where quarter = ?", [QUARTER])
    assert runs == [(1,)]


def test_a_project_that_changed_since_the_build_is_not_reusable(
        data_dir: DataPaths, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "chemsafe", data_dir.root)
    invocation = last_build_invocation(data_dir)
    load = data_dir.current_seeds.resolve()
    assert why_not_reusable(data_dir, project, invocation, load.name, load) is None
    model = project / "models" / "marts" / "core" / "dim_sites.sql"
    model.write_text(model.read_text(encoding="utf-8") + "\n-- an edit\n", encoding="utf-8")

    reason = why_not_reusable(data_dir, project, invocation, load.name, load)

    assert reason is not None and "changed since that build" in reason


def test_a_plain_dbt_command_from_the_project_voids_the_reuse(
        data_dir: DataPaths, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "chemsafe", data_dir.root)
    invocation = last_build_invocation(data_dir)
    load = data_dir.current_seeds.resolve()
    dbt = Path(sys.executable).parent / "dbt"
    env = {"CHEMSAFE_DATA_DIR": str(data_dir.root), "PATH": str(dbt.parent),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    ran = subprocess.run([str(dbt), "run", "--select", "dim_sites", "--project-dir",
                          str(project), "--profiles-dir", str(project)], cwd=project,
                         env=env, capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stdout[-3000:]

    reason = why_not_reusable(data_dir, project, invocation, load.name, load)

    assert reason is not None and "dbt run" in reason


def test_after_a_new_ingest_publish_builds_again(data_dir: DataPaths) -> None:
    reused = record(data_dir)["dbt_invocation_id"]
    chemsafe(data_dir.root, "ingest", str(DEMO_EXTRACTS))

    result = chemsafe(data_dir.root, "publish", "--reuse-build")

    assert "Building again" in result.stdout
    after = record(data_dir)
    assert after["build_reused"] is False
    assert after["dbt_invocation_id"] != reused
    assert after["load_id"] == data_dir.current_seeds.resolve().name


def test_a_dbt_command_through_chemsafe_voids_the_stamp(data_dir: DataPaths) -> None:
    chemsafe(data_dir.root, "build", "--select", "dim_sites")

    result = chemsafe(data_dir.root, "publish", "--reuse-build", check=False)

    # The last dbt command was a selection: it is not published, reused or not.
    assert "Building again" in result.stdout
    assert "was a selection" in result.stdout
    assert result.returncode == 0
