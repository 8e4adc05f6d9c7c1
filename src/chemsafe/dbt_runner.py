"""Run dbt for the project with every run-time path under the data directory.

dbt runs as a child process that never outlives `chemsafe` (a dbt left running would hold
the warehouse's DuckDB lock and fail the next build):

- on Linux the kernel kills it when its parent dies, whatever kills the parent
  (``prctl(PR_SET_PDEATHSIG, SIGKILL)``, set in the child before dbt starts);
- when `chemsafe` is asked to stop (SIGTERM, SIGINT: chemsafe.failures.Terminated) or
  fails while dbt runs, dbt and its own children (its process group) are terminated,
  waited for, and killed if they do not stop within STOP_GRACE_SECONDS.

dbt's output is passed through line by line, until the disk is full: from the first
"No space left on device" dbt would print thousands of lines of failed log writes and
tracebacks, so the rest is held back (dbt's log file has what could still be written)
and, when dbt fails, OSError(ENOSPC) names the path once for the CLI's one-line message.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from chemsafe.build_stamp import clear_stamp
from chemsafe.failures import Terminated
from chemsafe.paths import DATA_DIR_ENV, DataPaths, project_root
from chemsafe.targets import is_pulled

PR_SET_PDEATHSIG = 1
STOP_GRACE_SECONDS = 10.0
_DISK_FULL = re.compile(r"no space left on device|\[errno 28\]|errno\W+28\b", re.I)
_TRACEBACK_START = re.compile(r"(--- Logging error ---|Traceback \(most recent call last\))")
_DBT_LINE = re.compile(r"(\x1b\[0m)?\d\d:\d\d:\d\d")
_FULL_PATH = re.compile(r"""['"]?(/[^'"\s]+)['"]?\s*:\s*no space left on device""", re.I)


def dbt_executable() -> str:
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def dbt_env(paths: DataPaths, relative: bool = False) -> dict[str, str]:
    """dbt's environment for the data directory `paths`. relative: dbt runs with the data
    directory as its working directory, which it then names "." (see run_dbt)."""
    env = dict(os.environ)
    env[DATA_DIR_ENV] = "." if relative else str(paths.root)
    env["DBT_TARGET_PATH"] = str(paths.dbt_target)
    env["DBT_LOG_PATH"] = str(paths.dbt_logs)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    # A dbt stopped by chemsafe leaves semaphores to multiprocessing's resource tracker,
    # which would warn about them under chemsafe's one-line message.
    env["PYTHONWARNINGS"] = ",".join(filter(None, [env.get("PYTHONWARNINGS"),
                                                   "ignore:resource_tracker:UserWarning"]))
    return env


PROJECT_MARK = ".chemsafe_project"  # in dbt's target folder: the project it was parsed for
PARTIAL_PARSE = "partial_parse.msgpack"


def prepare_target(paths: DataPaths, project: Path) -> None:
    """Drop dbt's partial-parse cache when it was written for another project folder.

    The cache names the project's files by absolute path; after the checkout moves (or a
    second clone uses the same data directory) dbt reused it and looked for every seed
    in the old folder ('No files found that match the pattern ...')."""
    paths.dbt_target.mkdir(parents=True, exist_ok=True)
    mark = paths.dbt_target / PROJECT_MARK
    here = str(project.resolve())
    try:
        recorded = mark.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        recorded = None
    if recorded != here:
        (paths.dbt_target / PARTIAL_PARSE).unlink(missing_ok=True)
        mark.write_text(here + "\n", encoding="utf-8")


def die_with_parent() -> Callable[[], None] | None:
    """A preexec_fn that makes the child die with its parent (Linux), or None."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before fork, not in the child
    parent = os.getpid()

    def in_child() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the line above took effect
            os._exit(1)

    return in_child


def stop(child: subprocess.Popen[bytes]) -> None:
    """Terminate the child's process group; kill it if it does not stop in time."""
    if child.poll() is not None:
        return
    try:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=STOP_GRACE_SECONDS)
    except BaseException:  # too slow, or a second signal: no more patience
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def run_dbt(paths: DataPaths, args: Sequence[str], target: str | None = None) -> int:
    """Run ``dbt <args>`` on the project (on the profile's output `target`, when given;
    chemsafe.targets); return its exit code."""
    root = project_root()
    paths.root.mkdir(parents=True, exist_ok=True)
    prepare_target(paths, root)
    clear_stamp(paths, list(args))  # a command that may write the warehouse voids it
    command = [
        dbt_executable(), *args, "--project-dir", str(root), "--profiles-dir", str(root),
        *(["--target", target] if target else []),
    ]
    # Its own process group: a terminal's Ctrl-C reaches chemsafe, which stops dbt (and
    # whatever dbt started) as a whole. dbt works in the data directory and the profile
    # names it "." (./chemsafe.duckdb, ./ingest/current): the profile is then the same for
    # every data directory, so dbt's partial-parse cache (target/partial_parse.msgpack,
    # dropped by dbt when "the profile has changed") stays valid in a copied or moved data
    # directory, and no absolute path of the data directory is compiled into the SQL.
    # Not on an engine that resolves relative paths against its own warehouse folder
    # (Spark's external tables): there the data directory is named absolutely.
    relative = target is None or not is_pulled(target)
    child = subprocess.Popen(command, cwd=paths.root, env=dbt_env(paths, relative=relative),
                             preexec_fn=die_with_parent(), process_group=0,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        full_at = _relay(child, paths)
        code = child.wait()
    except BaseException as exc:
        stop(child)
        if isinstance(exc, Terminated):
            exc.stopped.append(f"{' '.join(['dbt', *args[:1]])} (PID {child.pid})")
        raise
    if code != 0 and full_at is not None:
        raise OSError(errno.ENOSPC, "No space left on device", full_at)
    return code


def _fullest_place(paths: DataPaths) -> str:
    """Where dbt writes, the one on the filesystem with the least room left: dbt's
    'No space left on device' often names no file (a failed write of the docs page, a
    log line), and a data directory can span filesystems (dbt's target mounted apart)."""
    places = [paths.dbt_target, paths.dbt_logs, paths.root]  # most specific first
    room: list[tuple[int, int, Path]] = []
    for rank, place in enumerate(places):
        try:
            stats = os.statvfs(place)
        except OSError:
            continue
        room.append((stats.f_bavail * stats.f_frsize, -rank, place))
    # the least room; on one filesystem (equal room) the data directory itself
    return str(min(room)[2]) if room else str(paths.root)


def _relay(child: subprocess.Popen[bytes], paths: DataPaths) -> str | None:
    """Copy dbt's output to ours until the disk is full; return the full path, if so.

    A Python traceback in dbt's output (a failed log write prints one) is held back until
    the next dbt line: its "No space left on device" comes last, after the traceback.
    """
    assert child.stdout is not None
    full_at: str | None = None
    held: list[bytes] = []
    out = sys.stdout.buffer
    for raw in child.stdout:
        if full_at is not None:
            continue
        text = raw.decode("utf-8", errors="replace")
        if _DISK_FULL.search(text):
            match = _FULL_PATH.search(text)
            full_at = match.group(1) if match else _fullest_place(paths)
            held.clear()
            continue
        if held and _DBT_LINE.match(text):
            out.writelines(held)
            held.clear()
        if held or _TRACEBACK_START.match(text):
            held.append(raw)
            continue
        out.write(raw)
        out.flush()
    if full_at is None and held:
        out.writelines(held)
        out.flush()
    return full_at

def dbt_on_project(project: Path, data_dir: Path,
                   *args: str) -> subprocess.CompletedProcess[str]:
    """``dbt <args>`` on another copy of the project (a scratch copy a test or the
    mutation run changes), output captured, run-time files under data_dir, demo key."""
    prepare_target(DataPaths(data_dir), project)
    env = dbt_env(DataPaths(data_dir))
    env.pop("CHEMSAFE_PSEUDONYM_KEY", None)
    return subprocess.run(
        [dbt_executable(), *args, "--project-dir", str(project), "--profiles-dir",
         str(project)],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )
