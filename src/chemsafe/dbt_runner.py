"""Run dbt for the project with every run-time path under the data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from chemsafe.paths import DATA_DIR_ENV, DataPaths, project_root


def dbt_executable() -> str:
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def dbt_env(paths: DataPaths) -> dict[str, str]:
    env = dict(os.environ)
    env[DATA_DIR_ENV] = str(paths.root)
    env["DBT_TARGET_PATH"] = str(paths.dbt_target)
    env["DBT_LOG_PATH"] = str(paths.dbt_logs)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    return env


def run_dbt(paths: DataPaths, args: Sequence[str]) -> int:
    """Run ``dbt <args>`` on the project; return its exit code."""
    root = project_root()
    paths.root.mkdir(parents=True, exist_ok=True)
    command = [
        dbt_executable(), *args, "--project-dir", str(root), "--profiles-dir", str(root),
    ]
    return subprocess.call(command, cwd=root, env=dbt_env(paths))
