"""Stopping a job on a signal: SIGTERM and SIGINT unwind the job like an exception, so
its cleanup runs and the CLI says in one line what was stopped."""

from __future__ import annotations

import signal
from types import FrameType


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM, SIGINT): unwinds like KeyboardInterrupt, so
    cleanup runs (a dbt child is stopped, staged files are removed)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.stopped: list[str] = []  # what was stopped on the way out, e.g. "dbt (PID 12)"
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    def line(self, command: str) -> str:
        name = signal.Signals(self.signum).name
        stopped = f"; {', '.join(self.stopped)} stopped with it" if self.stopped else ""
        return (f"chemsafe {command}: stopped by {name}{stopped}; nothing half-done was "
                "published")


def _raise_terminated(signum: int, _frame: FrameType | None) -> None:
    raise Terminated(signum)


def stop_on_signals() -> None:
    """SIGTERM and SIGINT raise Terminated in the main thread."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _raise_terminated)
