"""The command line itself: --version and the contract check."""

from __future__ import annotations

import subprocess

from chemsafe.contract import load_contract
from conftest import CHEMSAFE, PROJECT_ROOT


def test_version_names_the_package_and_the_contract() -> None:
    out = subprocess.run([CHEMSAFE, "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("chemsafe 0.")
    assert f"extract contract {load_contract().version}" in out.stdout


def test_contract_check_passes_on_the_committed_files() -> None:
    out = subprocess.run([CHEMSAFE, "contract"], capture_output=True, text=True,
                         cwd=PROJECT_ROOT, check=False)
    assert out.returncode == 0, out.stderr
    assert "up to date" in out.stdout
