"""One job at a time per data directory: an OS file lock that dies with its process.

`ingest`, `build`, `publish`, `run` and `reconcile` each hold an exclusive ``flock(2)`` on
``<data dir>/.chemsafe.lock`` for their whole run. The kernel releases it when the process
ends, however it ends (SIGKILL included), so a crash never leaves a stale lock; the file
itself stays and is harmless. After locking, the holder writes its job and PID into the
file, so a second job can name what it is waiting for.

The lock file is opened close-on-exec: dbt and other children do not inherit it.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

LOCK_FILE = ".chemsafe.lock"
POLL_SECONDS = 0.25


@dataclass(frozen=True)
class Holder:
    """The job holding the lock, as it wrote itself into the lock file."""

    job: str
    pid: int
    started_at: str

    def describe(self) -> str:
        return f"`chemsafe {self.job}` (PID {self.pid}, started {self.started_at})"


class LockHeld(Exception):
    """Another job holds the data directory's lock (after waiting `waited` seconds)."""

    def __init__(self, lock_path: Path, holder: Holder | None, waited: float) -> None:
        self.lock_path = lock_path
        self.holder = holder
        self.waited = waited
        who = holder.describe() if holder else "another chemsafe job (not yet named)"
        super().__init__(f"{who} holds {lock_path}")


def lock_path(data_dir: Path) -> Path:
    return data_dir / LOCK_FILE


def read_holder(path: Path) -> Holder | None:
    """Who holds the lock, from the file (None when unreadable or not yet written)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return Holder(str(record["job"]), int(record["pid"]), str(record["started_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _holder_soon(path: Path) -> Holder | None:
    """The holder writes its name right after locking: give it a moment."""
    for _ in range(8):
        holder = read_holder(path)
        if holder is not None:
            return holder
        time.sleep(0.05)
    return None


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _write_holder(fd: int, job: str) -> None:
    record = {"job": job, "pid": os.getpid(),
              "started_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")}
    data = (json.dumps(record) + "\n").encode("utf-8")
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, data, 0)
    except OSError:  # a full disk: the lock holds all the same, only unnamed
        pass


@contextmanager
def job_lock(data_dir: Path, job: str, wait: float = 0.0,
             on_wait: Callable[[Holder | None], None] | None = None) -> Iterator[Path]:
    """Hold the data directory's job lock for the block.

    When another process holds it: raise LockHeld at once (wait 0), or poll for up to
    `wait` seconds, calling on_wait(holder) once before waiting, then raise LockHeld.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    path = lock_path(data_dir)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        if not _try_lock(fd):
            started = time.monotonic()
            if wait <= 0:
                raise LockHeld(path, _holder_soon(path), 0.0)
            if on_wait is not None:
                on_wait(_holder_soon(path))
            while not _try_lock(fd):
                if time.monotonic() - started >= wait:
                    raise LockHeld(path, _holder_soon(path), wait)
                time.sleep(POLL_SECONDS)
        _write_holder(fd, job)
        try:
            yield path
        finally:
            with suppress(OSError):  # no stale name for the next holder's first moment
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
