"""One job at a time per data directory.

Every test runs the real `chemsafe` command in a second process. The lock tests hold the
data directory's job lock from this test process (chemsafe.joblock, the module the command
uses).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CHEMSAFE, FIXTURES, PROJECT_ROOT, chemsafe

KPI_SMALL = FIXTURES / "kpi_small"
JOBS = (("ingest", str(KPI_SMALL)), ("build",), ("publish",), ("run", "--extracts",
        str(KPI_SMALL)), ("reconcile",))

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
