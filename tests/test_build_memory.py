"""A build that fails only on DuckDB's memory bound is run again one node at a time.

At 10M findings two nodes dbt ran side by side ran out of the bound they share, though
each passes alone (chemsafe.build_memory). Which nodes meet depends on timing, so the
test through the CLI takes a bound so small that nodes run out of it whatever runs beside
them: it checks that chemsafe sees a failure of the bound alone, reruns exactly what did
not pass one node at a time with dbt retry, and says what to change when that fails too.
The decisions themselves are checked on that run's real run_results.json."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import subprocess
from pathlib import Path

import pytest

from chemsafe.build_memory import DEFAULT_THREADS, build_failures, retry_alone
from chemsafe.contract import FILES
from conftest import BUILD_ONE_SEED, FIXTURES, PROJECT_ROOT, chemsafe, decode_extract

KPI_SMALL = FIXTURES / "kpi_small"

TINY_BOUND = "4MB"  # DuckDB runs out of it in dozens of nodes, alone or not


def _done_lines(stdout: str) -> list[dict[str, int]]:
    """dbt's own summary line of each invocation: {'PASS': .., 'ERROR': .., ...}."""
    return [{k: int(v) for k, v in re.findall(r"([A-Z-]+)=(\d+)", line)}
            for line in stdout.splitlines() if "Done. PASS=" in line]


@pytest.fixture(scope="module")
def starved_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    data_dir = tmp_path_factory.mktemp("starved") / "data"
    chemsafe(data_dir, "ingest", str(FIXTURES / "kpi_small"))
    out = chemsafe(data_dir, "build", check=False,
                   env={"CHEMSAFE_MEMORY_LIMIT": TINY_BOUND, "CHEMSAFE_THREADS": "2"})
    return data_dir, out


def test_a_build_short_of_memory_alone_is_rerun_one_node_at_a_time(starved_build) -> None:
    data_dir, out = starved_build
    assert out.returncode == 1, out.stdout[-3000:] + out.stderr[-3000:]
    first, retry = _done_lines(out.stdout)  # the build, then exactly one retry
    assert first["ERROR"] > 0
    said = re.search(r"chemsafe build: (\d+) node\(s\) ran out of DuckDB's memory bound "
                     rf"\(CHEMSAFE_MEMORY_LIMIT={TINY_BOUND}\) while dbt ran 2 nodes at once, "
                     r"sharing it: .*? Running them and the (\d+) node\(s\) they held up "
                     r"again, one at a time \(dbt retry --threads 1\)", out.stderr)
    assert said, out.stderr
    # what chemsafe counted is what dbt reported for the build
    assert (int(said.group(1)), int(said.group(2))) == (first["ERROR"], first["SKIP"])
    # the retry ran alone, and ran what had not passed: the failed and skipped nodes (and
    # the on-run-start hook, which every dbt invocation runs)
    assert out.stdout.count("Concurrency: 1 threads") == 1
    assert out.stdout.index("Concurrency: 2 threads") < out.stdout.index("Concurrency: 1 threads")
    assert first["ERROR"] + first["SKIP"] <= retry["TOTAL"] <= first["ERROR"] + first["SKIP"] + 1
    assert retry["ERROR"] > 0
    assert re.search(rf"(\d+) node\(s\) ran out of DuckDB's memory bound "
                     rf"\(CHEMSAFE_MEMORY_LIMIT={TINY_BOUND}\) even one at a time: .*"
                     r"Raise CHEMSAFE_MEMORY_LIMIT", out.stderr), out.stderr
    results = json.loads((data_dir / "dbt" / "target" / "run_results.json").read_text())
    assert results["args"]["which"] == "build" and results["args"]["threads"] == 1
    # nothing of the starved build is marked passed (publish --reuse-build must build)
    assert not (data_dir / "dbt" / "target" / "chemsafe_passed_build.json").exists()


def _real_results(data_dir: Path) -> dict:
    return json.loads((data_dir / "dbt" / "target" / "run_results.json").read_text())


def _never(args: object) -> int:
    raise AssertionError(f"retried {args} where it must not")


def test_only_a_failure_of_the_bound_alone_is_retried(starved_build, monkeypatch,
                                                      tmp_path: Path) -> None:
    """Read from the starved build's real run_results: its out-of-memory errors are seen
    as such; a test that found bad rows, or another error, among them means no retry
    (the build's failure stands), and so does a build that already ran one node at a time."""
    data_dir, _ = starved_build
    real = _real_results(data_dir)
    seen = build_failures(real)
    errors = [r for r in real["results"] if r["status"] == "error"]
    assert errors and all("Out of Memory Error" in r["message"] for r in errors)
    assert len(seen.out_of_memory) == len(errors) and seen.other == [] and seen.only_memory
    assert seen.skipped == sum(r["status"] == "skipped" for r in real["results"])

    def write(results: dict) -> Path:
        folder = tmp_path / f"t{len(list(tmp_path.iterdir()))}"
        folder.mkdir()
        (folder / "run_results.json").write_text(json.dumps(results))
        return folder

    as_built = copy.deepcopy(real)
    del as_built["args"]["threads"]  # as a plain `dbt build` records it
    monkeypatch.delenv("CHEMSAFE_THREADS", raising=False)
    calls: list[object] = []
    assert retry_alone(write(as_built), "build", lambda a: calls.append(a) or 0) == 0
    assert calls == [("retry", "--threads", "1")]

    found_rows = copy.deepcopy(as_built)
    passed = next(r for r in found_rows["results"] if r["unique_id"].startswith("test.")
                  and r["status"] == "pass")
    passed.update(status="fail", failures=3, message="Got 3 results, configured to fail if != 0")
    assert retry_alone(write(found_rows), "build", _never) is None

    other_error = copy.deepcopy(as_built)
    next(r for r in other_error["results"] if r["status"] == "error").update(
        message="Binder Error: Referenced column \"x\" not found")
    assert retry_alone(write(other_error), "build", _never) is None

    monkeypatch.setenv("CHEMSAFE_THREADS", "1")
    assert retry_alone(write(as_built), "build", _never) is None


def test_the_threads_default_is_the_profiles() -> None:
    """(The memory bound's default: tests/test_bench.py.)"""
    profile = (PROJECT_ROOT / "profiles.yml").read_text(encoding="utf-8")
    local = profile.split("serving:")[0]
    assert re.findall(r"env_var\('CHEMSAFE_THREADS', '(\d+)'\)", local) == [str(DEFAULT_THREADS)]


def _data_records(folder: Path) -> int:
    """Every contract file's records after its header, counted by Python's csv reader (a
    record may span lines), blank lines left out: independent of ingest's byte scan."""
    total = 0
    for extract in FILES:
        text, _ = decode_extract((folder / extract.file_name).read_bytes())
        rows = [row for row in csv.reader(io.StringIO(text, newline="")) if any(row)]
        total += len(rows) - 1
    return total


def test_a_large_load_is_built_one_node_at_a_time(tmp_path: Path) -> None:
    """Below CHEMSAFE_SERIAL_BUILD_RECORDS dbt builds CHEMSAFE_THREADS' default of nodes at
    once; from it on, one at a time, and chemsafe says why; CHEMSAFE_THREADS set by the
    user always wins, as does a --threads given to chemsafe build. (The threshold is
    lowered to the fixture's size: what matters here is the comparison with the load's
    records, counted independently.)"""
    data_dir = tmp_path / "data"
    chemsafe(data_dir, "ingest", str(KPI_SMALL))
    records = _data_records(KPI_SMALL)
    assert records > 100

    def build(threshold: str, threads: str | None) -> subprocess.CompletedProcess[str]:
        return chemsafe(data_dir, *BUILD_ONE_SEED, env={"CHEMSAFE_SERIAL_BUILD_RECORDS": threshold,
                                                  "CHEMSAFE_THREADS": threads})

    at = build(str(records), None)
    assert "Concurrency: 1 threads" in at.stdout, at.stdout[-2000:]
    assert (f"chemsafe build: the current load has {records:,} records, at least "
            f"{records:,} (CHEMSAFE_SERIAL_BUILD_RECORDS): building one node at a time") \
        in at.stderr, at.stderr
    below = build(f"{records + 1}", None)
    assert f"Concurrency: {DEFAULT_THREADS} threads" in below.stdout
    assert "one node at a time" not in below.stderr
    chosen = build("1", "2")
    assert "Concurrency: 2 threads" in chosen.stdout and "one node at a time" not in chosen.stderr
    given = chemsafe(data_dir, *BUILD_ONE_SEED, "--threads", "3",
                     env={"CHEMSAFE_SERIAL_BUILD_RECORDS": "1", "CHEMSAFE_THREADS": None})
    assert "Concurrency: 3 threads" in given.stdout and "one node at a time" not in given.stderr
    bad = chemsafe(data_dir, *BUILD_ONE_SEED, check=False,
                   env={"CHEMSAFE_SERIAL_BUILD_RECORDS": "many", "CHEMSAFE_THREADS": None})
    assert bad.returncode == 2
    assert "CHEMSAFE_SERIAL_BUILD_RECORDS='many' is not a number of records" in bad.stderr
    assert "Concurrency" not in bad.stdout  # refused before dbt ran
