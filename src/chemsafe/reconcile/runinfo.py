"""Which code produced a report: the git commit when the project is a git checkout (with a
mark when it has uncommitted changes to tracked files), else the package version. Only
read-only git commands, with optional locks off so git never writes its index."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from chemsafe import __version__
from chemsafe.paths import project_root


def _git(root: Path, *args: str) -> str | None:
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0")
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                                text=True, env=env, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def code_version() -> str:
    root = project_root()
    commit = _git(root, "rev-parse", "HEAD")
    if not commit:
        return f"chemsafe-esg {__version__} (no git checkout)"
    dirty = _git(root, "status", "--porcelain", "--untracked-files=no")
    suffix = " + uncommitted changes" if dirty else ""
    return f"git {commit}{suffix} (chemsafe-esg {__version__})"
