"""The data directory's job lock as the commands use it.

`ingest`, `build`, `publish`, `run` and `reconcile` run their whole body under
chemsafe.joblock: a second job fails at once (exit code 2, one line naming the running job
and its PID) or, with ``--wait SECONDS``, says it is waiting and waits. The job that takes
the lock first removes what a killed ingest left behind (``ingest/loads/.<id>.partial``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from chemsafe.joblock import Holder, LockHeld, job_lock
from chemsafe.paths import DataPaths, data_paths

LOCK_HELD_EXIT = 2


def add_wait_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--wait", type=float, default=0.0, metavar="SECONDS",
        help="when another chemsafe job is running on the data directory, wait up to "
             "SECONDS for it to finish (default: fail at once with exit code 2)")


def _who(holder: Holder | None) -> str:
    return holder.describe() if holder else "another chemsafe job"


def lock_held_line(job: str, exc: LockHeld, root: Path) -> str:
    if exc.waited > 0:
        return (f"chemsafe {job}: error: {_who(exc.holder)} still holds the data directory "
                f"{root} after waiting {exc.waited:g} s; nothing was done")
    return (f"chemsafe {job}: error: {_who(exc.holder)} is running on the data directory "
            f"{root}; nothing was done (one job at a time: wait for it, or pass --wait "
            "SECONDS)")


def remove_partial_loads(paths: DataPaths) -> list[Path]:
    """The unfinished load folders of ingests that were killed (only called under the
    lock: no ingest is writing one)."""
    if not paths.loads_dir.is_dir():
        return []
    leftovers = sorted(p for p in paths.loads_dir.glob(".*.partial") if p.is_dir())
    for leftover in leftovers:
        shutil.rmtree(leftover)
    return leftovers


def exclusive(job: str, wait: float, body: Callable[[], int],
              paths: DataPaths | None = None) -> int:
    """Run body() holding the data directory's job lock; its exit code, or 2 when another
    job holds the lock (after waiting up to `wait` seconds)."""
    paths = paths or data_paths()

    def waiting(holder: Holder | None) -> None:
        print(f"chemsafe {job}: waiting up to {wait:g} s for {_who(holder)} to finish on "
              f"{paths.root}", file=sys.stderr, flush=True)

    try:
        with job_lock(paths.root, job, wait, waiting):
            for leftover in remove_partial_loads(paths):
                print(f"chemsafe {job}: removed {leftover}, the unfinished load of an ingest "
                      "that was stopped", file=sys.stderr)
            return body()
    except LockHeld as exc:
        print(lock_held_line(job, exc, paths.root), file=sys.stderr)
        return LOCK_HELD_EXIT
