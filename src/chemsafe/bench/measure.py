"""Run one command in a child process and report its wall time and peak memory.

    python -m chemsafe.bench.measure -- [--keep-stdout] [--tree] COMMAND ...

prints one JSON line {"returncode", "wall_s", "peak_mb", "cpu_s", ...}. Peak memory is the
child's maximum resident set size (getrusage of the waited-for children: the largest
single process of the tree), so each measurement is isolated in its own wrapper process.

With --tree (the Spark bench: dbt-spark's method session starts a JVM under the dbt
process), the wrapper also becomes the child subreaper of everything the command starts,
so a process its parent leaves behind (a JVM shutting down after dbt exits) is reparented
to the wrapper and waited for: cpu_s then counts it, and the measurement ends only when
the whole tree has. Every POLL_SECONDS it reads /proc for the tree: the largest sum of
the resident sets seen at one moment is tree_peak_mb (sampled, so a spike shorter than
the interval can be missed; a JVM's child caught between fork and exec, which shows the
JVM's pages it shares, is not counted), and the JVM's own high-water mark (VmHWM of the
`java` process, as of its last sample: growth in the last POLL_SECONDS before it exits is
missed, which peak_mb, getrusage's, catches when the JVM is the largest process) is
jvm_peak_mb.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

POLL_SECONDS = 0.2
PR_SET_CHILD_SUBREAPER = 36
REAP_SECONDS = 120.0  # how long the tree's leftovers may take to exit before being stopped


@dataclass(frozen=True)
class Measurement:
    returncode: int
    wall_s: float
    peak_mb: float
    stdout: str = ""
    cpu_s: float | None = None
    tree_peak_mb: float | None = None
    jvm_peak_mb: float | None = None
    tree_at_peak_mb: dict[str, int] | None = None  # the tree's peak sample, by process name


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process /proc shows."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses
        parents[int(entry)] = int(stat[stat.rfind(")") + 2:].split()[1])
    return parents


def descendants(root: int) -> dict[int, int]:
    """pid -> parent pid of every process under `root`."""
    children: dict[int, list[int]] = {}
    for pid, parent in _parents().items():
        children.setdefault(parent, []).append(pid)
    found: dict[int, int] = {}
    todo = [(child, root) for child in children.get(root, [])]
    while todo:
        pid, parent = todo.pop()
        found[pid] = parent
        todo.extend((child, pid) for child in children.get(pid, []))
    return found


def _exe(pid: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return None


def _status(pid: int) -> tuple[str, int, int] | None:
    """(name, VmRSS kB, VmHWM kB) of a live process, None when it is gone or a zombie."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8", errors="replace") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
    except OSError:
        return None
    if "VmRSS" not in fields:
        return None
    return (fields["Name"].strip(), int(fields["VmRSS"].split()[0]),
            int(fields.get("VmHWM", "0 kB").split()[0]))


class TreePoller(threading.Thread):
    """Samples the resident sets of the wrapper's descendants until stopped."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stopped = threading.Event()
        self.tree_peak_kb = 0
        self.jvm_peak_kb: dict[int, int] = {}
        self.at_peak: dict[str, int] = {}  # process name -> kB summed, at the peak sample

    def run(self) -> None:
        me = os.getpid()
        while not self.stopped.wait(POLL_SECONDS):
            total, by_name = 0, {}
            tree = descendants(me)
            statuses = {pid: _status(pid) for pid in tree}
            for pid, status in statuses.items():
                if status is None:
                    continue
                name, rss, hwm = status
                parent = statuses.get(tree[pid])
                if parent is not None and parent[0] == "java" and _exe(pid) == _exe(tree[pid]):
                    # a JVM's child between fork and exec (Hadoop's Shell runs chmod and
                    # the like for Spark's local files): it shows the JVM's whole resident
                    # set, which it shares; counting it would count the JVM twice
                    continue
                total += rss
                by_name[name] = by_name.get(name, 0) + rss
                if name == "java":
                    self.jvm_peak_kb[pid] = max(self.jvm_peak_kb.get(pid, 0), hwm)
            if total > self.tree_peak_kb:
                self.tree_peak_kb, self.at_peak = total, by_name


def _become_subreaper() -> None:
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _reap_leftovers() -> None:
    """Wait for the processes the command left behind (reparented to this wrapper); stop
    them after REAP_SECONDS."""
    deadline = time.monotonic() + REAP_SECONDS
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if time.monotonic() > deadline:
                for left in descendants(os.getpid()):  # pids, not a pattern
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(left, signal.SIGTERM)
                deadline = time.monotonic() + REAP_SECONDS
            time.sleep(0.1)


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    keep = bool(argv) and argv[0] == "--keep-stdout"
    if keep:
        argv = argv[1:]
    tree = bool(argv) and argv[0] == "--tree"
    if tree:
        argv = argv[1:]
        _become_subreaper()
        poller = TreePoller()
        poller.start()
    started = time.perf_counter()
    completed = subprocess.run(argv, check=False, text=True,
                               stdout=subprocess.PIPE if keep else subprocess.DEVNULL)
    extra: dict[str, object] = {}
    if tree:
        _reap_leftovers()  # the step is over when its whole tree is (wall_s included)
        poller.stopped.set()
        poller.join()
        extra = {"tree_peak_mb": poller.tree_peak_kb / 1024.0,
                 "jvm_peak_mb": (max(poller.jvm_peak_kb.values()) / 1024.0
                                 if poller.jvm_peak_kb else None),
                 "tree_at_peak_mb": {name: round(kb / 1024.0) for name, kb
                                     in sorted(poller.at_peak.items())}}
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"returncode": completed.returncode, "wall_s": wall,
                      "peak_mb": usage.ru_maxrss / 1024.0,
                      "cpu_s": usage.ru_utime + usage.ru_stime, **extra,
                      "stdout": completed.stdout.strip() if keep else ""}))
    return 0


def _optional(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def measure(command: list[str], env: dict[str, str], cwd: Path,
            log: Path | None = None, keep_stdout: bool = False,
            tree: bool = False) -> Measurement:
    """Measure `command` (run in a fresh wrapper process so rusage is its own); with
    keep_stdout, the command's standard output is returned too; with tree, the whole
    process tree's peak and the JVM's (see the module's docstring)."""
    wrapper = [sys.executable, "-m", "chemsafe.bench.measure", "--",
               *(["--keep-stdout"] if keep_stdout else []), *(["--tree"] if tree else []),
               *command]
    stderr = log.open("a") if log else subprocess.DEVNULL
    try:
        result = subprocess.run(wrapper, env=env, cwd=cwd, capture_output=False,
                                stdout=subprocess.PIPE, stderr=stderr, text=True, check=True)
    finally:
        if log:
            stderr.close()  # type: ignore[union-attr]
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return Measurement(int(data["returncode"]), float(data["wall_s"]), float(data["peak_mb"]),
                       str(data.get("stdout", "")), _optional(data.get("cpu_s")),
                       _optional(data.get("tree_peak_mb")), _optional(data.get("jvm_peak_mb")),
                       data.get("tree_at_peak_mb"))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
