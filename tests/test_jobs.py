"""One job at a time per data directory, and no dbt process outliving its `chemsafe`.

Every test runs the real `chemsafe` command in a second process. The lock tests hold the
data directory's job lock from this test process (chemsafe.joblock, the module the command
uses); the kill tests start a real job, wait until its dbt child runs, then stop the parent
(SIGTERM, SIGKILL) and look in /proc for a dbt process of that data directory.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

from conftest import CHEMSAFE, FIXTURES, PROJECT_ROOT, chemsafe

KPI_SMALL = FIXTURES / "kpi_small"
OTHER_DROP = FIXTURES / "reconciliation"
JOBS = (("ingest", str(KPI_SMALL)), ("build",), ("publish",), ("run", "--extracts",
        str(KPI_SMALL)), ("reconcile",))
T = TypeVar("T")

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the job lock and the kill tests use Linux /proc")


def start(data_dir: Path, *args: str, output: Path | None = None) -> subprocess.Popen[str]:
    """`chemsafe <args>` in the background, its output piped, or written to
    output.stdout / output.stderr (a pipe would also be held open by a surviving dbt)."""
    env = dict(os.environ, CHEMSAFE_DATA_DIR=str(data_dir))
    env.pop("CHEMSAFE_PSEUDONYM_KEY", None)
    if output is None:
        return subprocess.Popen([CHEMSAFE, *args], cwd=PROJECT_ROOT, env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with output.with_suffix(".stdout").open("w") as out, \
            output.with_suffix(".stderr").open("w") as err:
        return subprocess.Popen([CHEMSAFE, *args], cwd=PROJECT_ROOT, env=env, text=True,
                                stdout=out, stderr=err)


def wait_for(probe: Callable[[], T], timeout: float, interval: float = 0.1) -> T:
    """probe() until it returns something true or the time is up; its last value."""
    deadline = time.monotonic() + timeout
    value = probe()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = probe()
    return value


def dbt_processes(data_dir: Path) -> list[int]:
    """Live processes running dbt for data_dir (chemsafe gives dbt its target path in the
    environment; zombies, already dead, do not count)."""
    marker = f"DBT_TARGET_PATH={data_dir.resolve() / 'dbt' / 'target'}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in environ and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr[-3000:]


# ----------------------------------------------------------------------- the job lock

@pytest.mark.parametrize("job", JOBS, ids=[j[0] for j in JOBS])
def test_a_second_job_fails_at_once_naming_the_running_job_and_its_pid(
        tmp_path: Path, job: tuple[str, ...]) -> None:
    from chemsafe.joblock import job_lock

    with job_lock(tmp_path, "run"):
        started = time.monotonic()
        result = chemsafe(tmp_path, *job, check=False)
        took = time.monotonic() - started
    assert result.returncode == 2, result.stderr
    no_traceback(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"chemsafe {job[0]}: error: ")
    assert "`chemsafe run`" in lines[0] and f"PID {os.getpid()}" in lines[0]
    assert "--wait" in lines[0]
    assert took < 20
    assert not (tmp_path / "ingest" / "current").exists()  # nothing was done


def test_with_wait_the_second_job_waits_says_so_and_runs_after_release(tmp_path: Path
                                                                        ) -> None:
    from chemsafe.joblock import job_lock

    leftover = tmp_path / "ingest" / "loads" / ".20260101T000000000000Z.partial"
    leftover.mkdir(parents=True)
    (leftover / "sites.csv").write_text("half a file", encoding="utf-8")
    with job_lock(tmp_path, "publish"):
        waiting = start(tmp_path, "ingest", "--wait", "120", str(KPI_SMALL))
        assert waiting.stderr is not None
        first = waiting.stderr.readline()  # blocks until the job says it is waiting
        time.sleep(1.0)
        assert waiting.poll() is None, "the second job should wait while the lock is held"
        assert leftover.exists(), "nothing may be touched before the lock is taken"
    out, err = waiting.communicate(timeout=120)
    assert "waiting" in first and "`chemsafe publish`" in first and str(os.getpid()) in first
    assert waiting.returncode == 0, first + err
    assert (tmp_path / "ingest" / "current").exists()
    assert "Loaded 23 extract files" in out
    assert not leftover.exists()
    assert "20260101T000000000000Z" in first + err  # the removal is announced


def test_wait_gives_up_after_the_given_seconds(tmp_path: Path) -> None:
    from chemsafe.joblock import job_lock

    with job_lock(tmp_path, "reconcile"):
        result = chemsafe(tmp_path, "build", "--wait", "1.5", check=False)
    assert result.returncode == 2
    no_traceback(result)
    last = result.stderr.strip().splitlines()[-1]
    assert "`chemsafe reconcile`" in last and f"PID {os.getpid()}" in last
    assert "1.5 s" in last


def test_the_lock_dies_with_its_process_and_a_leftover_lock_file_is_harmless(
        tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from chemsafe.joblock import job_lock\n"
         "with job_lock(Path(sys.argv[1]), 'build'):\n"
         "    print('held', flush=True); time.sleep(600)", str(tmp_path)],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    busy = chemsafe(tmp_path, "ingest", str(KPI_SMALL), check=False)
    holder.kill()
    holder.wait()
    assert busy.returncode == 2 and f"PID {holder.pid}" in busy.stderr
    assert list(tmp_path.glob(".chemsafe*.lock"))  # the file stays; the lock does not
    chemsafe(tmp_path, "ingest", str(KPI_SMALL))


def test_a_run_whose_build_fails_puts_current_back_and_publishes_nothing(tmp_path: Path
                                                                         ) -> None:
    current = tmp_path / "ingest" / "current"
    chemsafe(tmp_path, "ingest", str(KPI_SMALL))
    before = os.readlink(current)
    # dbt cannot run with 0 threads: a build that fails, quickly, after the ingest
    failed = chemsafe(tmp_path, "run", "--extracts", str(KPI_SMALL), check=False,
                      env={"CHEMSAFE_THREADS": "0"})
    assert failed.returncode != 0
    loaded = re.search(r"as load (\S+):", failed.stdout)
    assert loaded, failed.stdout[-2000:]
    assert loaded.group(1) != Path(before).name
    assert os.readlink(current) == before
    assert f"the build of load {loaded.group(1)} failed; `current` is back at load " \
        f"{Path(before).name}" in failed.stderr
    assert (tmp_path / "ingest" / "loads" / loaded.group(1)).is_dir()  # kept to inspect
    assert "Publishing" not in failed.stdout
    assert not (tmp_path / "serving").exists()


# ----------------------------------------------------------- killing a job: no orphans

@dataclass(frozen=True)
class Stopped:
    """A job stopped while dbt ran: what it said, and what was left behind."""

    returncode: int
    stdout: str
    stderr: str
    dbt_seen: list[int]
    survivors: list[int]


def stop_during_dbt(data_dir: Path, sig: signal.Signals, *args: str,
                    meanwhile: Callable[[], object] | None = None) -> Stopped:
    output = data_dir.parent / f"{args[0]}-{sig.name}"
    job = start(data_dir, *args, output=output)
    dbt = wait_for(lambda: dbt_processes(data_dir), timeout=120)
    assert dbt, f"no dbt process appeared for chemsafe {' '.join(args)}"
    if meanwhile is not None:
        meanwhile()
    time.sleep(2.0)
    job.send_signal(sig)
    job.wait(timeout=60)
    out = output.with_suffix(".stdout").read_text()
    err = output.with_suffix(".stderr").read_text()
    wait_for(lambda: not dbt_processes(data_dir), timeout=8)
    survivors = dbt_processes(data_dir)
    for pid in survivors:  # an orphan would hold the warehouse: stop it, then fail the test
        os.kill(pid, signal.SIGKILL)
    return Stopped(job.returncode, out, err, dbt, survivors)


@dataclass
class KillScenario:
    data_dir: Path
    terminated: Stopped
    killed: Stopped
    ingest_during_run: subprocess.CompletedProcess[str]
    run_after: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def kills(tmp_path_factory: pytest.TempPathFactory) -> KillScenario:
    data_dir = tmp_path_factory.mktemp("kills").resolve()
    chemsafe(data_dir, "ingest", str(KPI_SMALL))
    terminated = stop_during_dbt(data_dir, signal.SIGTERM, "build")
    during: list[subprocess.CompletedProcess[str]] = []
    killed = stop_during_dbt(
        data_dir, signal.SIGKILL, "run", "--extracts", str(KPI_SMALL),
        meanwhile=lambda: during.append(chemsafe(data_dir, "ingest", str(OTHER_DROP),
                                                 check=False)))
    run_after = chemsafe(data_dir, "run", "--extracts", str(KPI_SMALL), check=False)
    return KillScenario(data_dir, terminated, killed, during[0], run_after)


def test_sigterm_stops_dbt_and_says_so_in_one_line(kills: KillScenario) -> None:
    stopped = kills.terminated
    assert stopped.survivors == [], "dbt outlived chemsafe after SIGTERM"
    assert stopped.returncode == 128 + signal.SIGTERM, stopped.stderr[-2000:]
    assert "Traceback" not in stopped.stderr
    last = stopped.stderr.strip().splitlines()[-1]
    assert last.startswith("chemsafe build: stopped by SIGTERM"), last
    assert "dbt" in last


def test_a_job_started_while_run_builds_is_refused_naming_run(kills: KillScenario) -> None:
    during = kills.ingest_during_run
    assert during.returncode == 2, during.stdout[-2000:] + during.stderr[-2000:]
    assert "`chemsafe run`" in during.stderr and "PID" in during.stderr


def test_sigkill_of_chemsafe_takes_dbt_with_it(kills: KillScenario) -> None:
    assert kills.killed.returncode == -signal.SIGKILL
    assert kills.killed.survivors == [], "dbt outlived a SIGKILL of chemsafe run"


def test_the_next_job_after_the_kills_builds_and_publishes_the_load_it_ingested(
        kills: KillScenario) -> None:
    after = kills.run_after
    assert after.returncode == 0, after.stdout[-3000:] + after.stderr[-2000:]
    assert "Could not set lock" not in after.stdout + after.stderr
    loaded = re.search(r"as load (\S+):", after.stdout)
    assert loaded, after.stdout[-2000:]
    assert f"Publishing load {loaded.group(1)} " in after.stdout
    assert f"(load {loaded.group(1)})" in after.stdout  # the publication's own record
