"""The command line itself: --version and the contract check."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from chemsafe.contract import load_contract
from conftest import CHEMSAFE, FIXTURES, PROJECT_ROOT, copy_project


def test_version_names_the_package_and_the_contract() -> None:
    out = subprocess.run([CHEMSAFE, "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("chemsafe 0.")
    assert f"extract contract {load_contract().version}" in out.stdout


def test_contract_check_passes_on_the_committed_files() -> None:
    out = subprocess.run([CHEMSAFE, "contract"], capture_output=True, text=True,
                         cwd=PROJECT_ROOT, check=False)
    assert out.returncode == 0, out.stderr
    assert "up to date" in out.stdout


# one seed alone, not the tests that read it
BUILD_ONE_SEED = ("build", "--select", "scoring_parameters", "--indirect-selection", "empty")


def _cli_of(checkout: Path, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The chemsafe command of another checkout of the project (its own src first)."""
    env = dict(os.environ, CHEMSAFE_DATA_DIR=str(data_dir), PYTHONPATH=str(checkout / "src"))
    env.pop("CHEMSAFE_PSEUDONYM_KEY", None)
    return subprocess.run([sys.executable, "-m", "chemsafe.cli", *args], cwd=checkout,
                          env=env, capture_output=True, text=True, check=False)


def test_a_moved_checkout_builds_on_the_same_data_directory(tmp_path):
    """dbt keeps a partial-parse cache in the data directory's dbt/target that names the
    project's files by absolute path. A checkout moved (or a second clone) pointed at the
    same CHEMSAFE_DATA_DIR failed every seed with 'No files found that match the pattern
    <old checkout>/seeds/...' (the benchmark hit it); chemsafe now drops a cache written
    for another project folder."""
    data_dir = tmp_path / "data"
    first = copy_project(tmp_path / "checkout-a", data_dir)
    assert _cli_of(first, data_dir, "ingest", str(FIXTURES / "kpi_small")).returncode == 0
    built = _cli_of(first, data_dir, *BUILD_ONE_SEED)
    assert built.returncode == 0, built.stdout[-3000:]
    assert (data_dir / "dbt" / "target" / "partial_parse.msgpack").exists()
    shutil.rmtree(first)
    second = copy_project(tmp_path / "checkout-b", data_dir)
    again = _cli_of(second, data_dir, *BUILD_ONE_SEED)
    assert again.returncode == 0, again.stdout[-3000:]
    assert "No files found" not in again.stdout
