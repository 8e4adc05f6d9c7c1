"""Expected failures as one line for a person: a full disk, a read-only or unwritable data
directory, a file-size limit, a signal. The CLI prints these instead of a traceback
(``chemsafe --debug`` shows the traceback)."""

from __future__ import annotations

import errno
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import duckdb

REASONS = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large (a file-size limit, such as `ulimit -f`, was reached)",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "read-only file system",
    errno.ENOENT: "no such file or directory",
    errno.EIO: "input/output error (check the disk)",
}


def reason(code: int | None, fallback: str) -> str:
    if code is not None and code in REASONS:
        return REASONS[code]
    text = fallback.strip().rstrip(".") or "unknown error"
    return text[:1].lower() + text[1:]


def os_error_text(exc: OSError, data_dir: Path) -> str:
    """'<path>: <reason>': the file named by the system, else the data directory."""
    path = exc.filename if exc.filename is not None else data_dir
    return f"{path}: {reason(exc.errno, exc.strerror or str(exc))}"


_ERRNO = re.compile(r'"errno"\s*:\s*"?(\d+)')
_FILE = re.compile(r'file \\?"(?P<path>[^"\\]+)\\?"\s*:\s*(?P<why>[^"{}]+)')


def duckdb_error_text(exc: duckdb.Error, data_dir: Path) -> str:
    """A DuckDB error as one line; an I/O error as '<path>: <reason>' like an OSError."""
    message = str(exc).strip()
    first = message.splitlines()[0] if message else type(exc).__name__
    if not isinstance(exc, duckdb.IOException):
        return f"DuckDB: {first}"
    code_match = _ERRNO.search(message)
    code = int(code_match.group(1)) if code_match else None
    file_match = _FILE.search(message)
    if file_match:  # also inside the JSON DuckDB's asynchronous writer reports
        return f"{file_match.group('path')}: {reason(code, file_match.group('why'))}"
    if code is not None:
        return f"{data_dir}: {reason(code, first)}"
    return f"DuckDB: {first}"


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM, SIGINT): unwinds like KeyboardInterrupt, so
    cleanup runs (a dbt child is stopped, staged files are removed)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.stopped: list[str] = []  # what was stopped on the way out, e.g. "dbt (PID 12)"
        self.completed = ""  # what was finished before stopping, e.g. "publication X"
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    def line(self, command: str) -> str:
        name = signal.Signals(self.signum).name
        stopped = f"; {', '.join(self.stopped)} stopped with it" if self.stopped else ""
        completed = (f"; {self.completed} was completed first, whole" if self.completed
                     else "")
        return (f"chemsafe {command}: stopped by {name}{stopped}{completed}; nothing "
                "half-done was published")


def _raise_terminated(signum: int, _frame: FrameType | None) -> None:
    raise Terminated(signum)


@contextmanager
def signals_held(completed: str) -> Iterator[None]:
    """A block that must not be cut short (the few renames that switch readers over to a
    publication): SIGTERM and SIGINT received inside it take effect when it ends, as
    Terminated noting `completed`. Outside the main thread, where Python delivers no
    signal, the block simply runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def hold(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)

    previous = {signum: signal.signal(signum, hold)
                for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if received:
        stop = Terminated(received[0])
        stop.completed = completed
        raise stop


def stop_on_signals() -> None:
    """SIGTERM and SIGINT raise Terminated in the main thread."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _raise_terminated)
