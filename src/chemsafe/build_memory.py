"""DuckDB's memory bound for the build, and a build that failed only on that bound.

dbt runs CHEMSAFE_THREADS nodes at once (2 by default) on one DuckDB instance, and they
share its one memory bound (CHEMSAFE_MEMORY_LIMIT, 1200MB by default). DuckDB spills
joins, aggregates and sorts to disk, but some of its allocations cannot wait for another
query to give memory back. At 10M findings (2026-12-07, commit 93e5a98) the uniqueness
test of chk_ehs__findings._line (a 128 MiB hash table) and int_inventory_reconciliation_
lines (which alone fills the bound) ran out of it when dbt happened to run them together,
though each passes alone; the build before had met other neighbours and passed.

So when a DuckDB build fails and every node that failed did so with DuckDB's
"Out of Memory Error" (no test found bad data, no other error), `chemsafe build` runs
`dbt retry --threads 1`: the failed nodes and the ones they held up, one at a time, each
with the whole bound. dbt retry records itself as the build it repeats, so a build that
passes on the retry publishes as any passed build. A node that runs out of memory alone
still fails the build, with the advice to raise the bound.

A load of at least CHEMSAFE_SERIAL_BUILD_RECORDS data records (15M by default) is built
one node at a time from the start when CHEMSAFE_THREADS is not set (one_node_at_a_time):
at that size it is the faster way, and no node shares the bound.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chemsafe.ingest import manifest_rows

MEMORY_LIMIT_ENV = "CHEMSAFE_MEMORY_LIMIT"
# DuckDB's memory bound for `dbt build` when CHEMSAFE_MEMORY_LIMIT is not set: the default
# of profiles.yml (tests/test_bench.py checks they match; tests/test_build_memory.py the
# threads).
BUILD_MEMORY_LIMIT_DEFAULT = "1200MB"
THREADS_ENV = "CHEMSAFE_THREADS"
DEFAULT_THREADS = 2  # dbt's threads on DuckDB when CHEMSAFE_THREADS is not set (profiles.yml)
OUT_OF_MEMORY = "Out of Memory Error"  # how DuckDB's error message starts
RETRY_ARGS = ("retry", "--threads", "1")
# statuses of run_results.json that mean a node ran and did not pass (dbt's RunStatus and
# TestStatus); chemsafe.publish adds "skipped" for a build that publishes
NOT_PASSED = frozenset({"error", "fail", "runtime error"})


# A load of at least this many data records (every extract file together; the demo's mix
# has about 10.9 records per finding) is built one node at a time when CHEMSAFE_THREADS is
# not set: see one_node_at_a_time().
SERIAL_RECORDS_ENV = "CHEMSAFE_SERIAL_BUILD_RECORDS"
SERIAL_RECORDS_DEFAULT = 15_000_000


def build_memory_limit() -> str:
    return os.environ.get(MEMORY_LIMIT_ENV, BUILD_MEMORY_LIMIT_DEFAULT)


def profile_threads() -> int:
    """dbt's threads on DuckDB as profiles.yml sets them (CHEMSAFE_THREADS, default 2)."""
    value = os.environ.get(THREADS_ENV, "")
    return int(value) if value.strip().isdigit() else DEFAULT_THREADS


def serial_build_records() -> int:
    """CHEMSAFE_SERIAL_BUILD_RECORDS, else the default; a value that is not a whole
    number of records is an error (the build would otherwise quietly ignore it)."""
    value = os.environ.get(SERIAL_RECORDS_ENV, "").strip().replace("_", "")
    if not value:
        return SERIAL_RECORDS_DEFAULT
    if not value.isdigit():
        raise ValueError(f"{SERIAL_RECORDS_ENV}={os.environ[SERIAL_RECORDS_ENV]!r} is not a "
                         "number of records")
    return int(value)


def load_records(load_dir: Path) -> int | None:
    """The data records of the load in load_dir, every file together (its ingest
    manifest's records_read); None when the manifest cannot be read."""
    try:
        return sum(int(row["records_read"]) for row in manifest_rows(load_dir))
    except (OSError, KeyError, ValueError):
        return None


def one_node_at_a_time(load_dir: Path, threshold: int | None = None) -> int | None:
    """The load's record count when its DuckDB build should run one node at a time from
    the start, else None (CHEMSAFE_THREADS set: the user's choice stands). `threshold` is
    serial_build_records(), read here when the caller has not read it already.

    dbt's nodes side by side share DuckDB's one memory bound. On a large load each query
    already keeps both cores busy, and two heavy ones side by side spill more than either
    alone. One build each way, one machine, one morning (2 cores, the 1200MB bound;
    bench/results/threads-2026-12-07.md): at 10.8M records (1M findings) two nodes at a
    time took 79.5 s against 82.9 s, at 21.7M (2M findings) 157.3 s against 147.3 s, at
    32.6M (3M findings) 245.6 s against 215.9 s. The default threshold, 15M records,
    lies between the first two."""
    if os.environ.get(THREADS_ENV, "").strip():
        return None
    records = load_records(load_dir)
    if threshold is None:
        threshold = serial_build_records()
    return records if records is not None and records >= threshold else None


@dataclass(frozen=True)
class BuildFailures:
    """What did not pass in one dbt invocation, from its run_results.json."""

    out_of_memory: list[str]  # nodes that failed with DuckDB's Out of Memory Error
    other: list[str]  # nodes that failed otherwise (a test that found rows, any error)
    skipped: int  # nodes dbt skipped because one they depend on failed
    threads: int  # how many nodes dbt ran at once

    @property
    def only_memory(self) -> bool:
        return bool(self.out_of_memory) and not self.other


def _node_name(result: dict[str, Any]) -> str:
    """`model int_x`, `test unique_y`, ... from a unique_id (model.<project>.int_x;
    a data test's ends in a hash, left out)."""
    kind, *parts = str(result.get("unique_id", "?")).split(".")
    name = parts[1:-1] if kind == "test" and len(parts) > 2 else parts[1:]
    return " ".join([kind, ".".join(name)]) if name else kind


def build_failures(run_results: dict[str, Any]) -> BuildFailures:
    out_of_memory: list[str] = []
    other: list[str] = []
    skipped = 0
    for result in run_results.get("results", []):
        status = str(result.get("status", ""))
        if status == "skipped":
            skipped += 1
        elif status in NOT_PASSED:
            memory = status != "fail" and OUT_OF_MEMORY in str(result.get("message") or "")
            (out_of_memory if memory else other).append(_node_name(result))
    # run_results records threads only when given on the command line (--threads)
    threads = run_results.get("args", {}).get("threads")
    return BuildFailures(out_of_memory, other, skipped,
                         threads if isinstance(threads, int) else profile_threads())


def read_failures(target_dir: Path) -> BuildFailures | None:
    """The failures of the last dbt invocation recorded in target_dir; None if unreadable."""
    try:
        data = json.loads((target_dir / "run_results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return build_failures(data) if isinstance(data, dict) else None


def _listed(names: Sequence[str], at_most: int = 5) -> str:
    shown = ", ".join(names[:at_most])
    return shown + (f" and {len(names) - at_most} more" if len(names) > at_most else "")


def retry_alone(target_dir: Path, command: str,
                run_retry: Callable[[Sequence[str]], int]) -> int | None:
    """After a failed DuckDB build: when only the memory bound failed it with nodes run
    side by side, rerun what did not pass one node at a time (`run_retry(RETRY_ARGS)`)
    and return that exit code; None when a retry would not help (the build's own failure
    stands). Says on stderr what it does and, when nodes run out of memory even alone,
    what to change."""
    failures = read_failures(target_dir)
    if failures is None or not failures.only_memory:
        return None
    limit = build_memory_limit()
    count = len(failures.out_of_memory)
    if failures.threads <= 1:
        _advise(command, failures, limit, "with one node at a time")
        return None
    print(f"\nchemsafe {command}: {count} node(s) ran out of DuckDB's memory bound "
          f"({MEMORY_LIMIT_ENV}={limit}) while dbt ran {failures.threads} nodes at once, "
          f"sharing it: {_listed(failures.out_of_memory)}. Running them and the "
          f"{failures.skipped} node(s) they held up again, one at a time "
          f"(dbt {' '.join(RETRY_ARGS)}), each with the whole bound.\n",
          file=sys.stderr, flush=True)
    code = run_retry(RETRY_ARGS)
    if code != 0:
        again = read_failures(target_dir)
        if again is not None and again.only_memory:
            _advise(command, again, limit, "even one at a time")
    return code


def _advise(command: str, failures: BuildFailures, limit: str, how: str) -> None:
    print(f"\nchemsafe {command}: {len(failures.out_of_memory)} node(s) ran out of DuckDB's "
          f"memory bound ({MEMORY_LIMIT_ENV}={limit}) {how}: "
          f"{_listed(failures.out_of_memory)}. Raise {MEMORY_LIMIT_ENV} (README "
          "\"Performance\") or build on a machine with more memory.",
          file=sys.stderr, flush=True)
