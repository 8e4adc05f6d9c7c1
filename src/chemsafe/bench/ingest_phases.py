"""Where `chemsafe ingest`'s time goes: one load, in one process, one file at a time.

    python -m chemsafe.bench.ingest_phases EXTRACTS_DIR DATA_DIR

Runs chemsafe.ingest.ingest on the extracts into DATA_DIR (a scratch folder: the load it
writes is the caller's to delete) with one worker, so every phase's seconds are its own
and they add up, and prints JSON: the total and the seconds spent in each phase, found by
timing the functions ingest calls for it (the module names them). The keyed hash of the
personal columns runs inside the DuckDB statement that calls it, so it is part of
"duckdb_s" and also reported alone. "other_s" is what no phase covers (header matching,
the malformed rows' text, the manifest).
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from chemsafe import engine_read
from chemsafe import ingest as ingest_module
from chemsafe.paths import DataPaths
from chemsafe.personal import Protection

P = ParamSpec("P")
R = TypeVar("R")

# phase name -> (object, attribute): what ingest calls for that phase
PHASES: dict[str, tuple[Any, str]] = {
    "hash_and_check_s": (ingest_module, "fingerprint"),
    "decode_cp949_s": (ingest_module, "decode_to_utf8"),
    "scan_s": (ingest_module, "scan_or_reason"),
    "good_copy_s": (engine_read, "_good_copy"),
    "duckdb_s": (engine_read, "_read_and_write"),
}
NESTED: dict[str, tuple[Any, str]] = {
    "keyed_hash_s": (Protection, "hash_all"),  # inside duckdb_s
}


@contextmanager
def _timed(seconds: dict[str, float], phases: dict[str, tuple[Any, str]]) -> Iterator[None]:
    """Wrap each phase's function so that its calls add their wall time to seconds."""
    originals = {name: getattr(owner, attr) for name, (owner, attr) in phases.items()}

    def timing(name: str, function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def timed(*args: P.args, **kwargs: P.kwargs) -> R:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[name] += time.perf_counter() - started
        return timed

    for name, (owner, attr) in phases.items():
        seconds[name] = 0.0
        setattr(owner, attr, timing(name, originals[name]))
    try:
        yield
    finally:
        for name, (owner, attr) in phases.items():
            setattr(owner, attr, originals[name])


def ingest_phases(extracts: Path, data_dir: Path) -> dict[str, float]:
    seconds: dict[str, float] = {}
    saved = os.environ.get(ingest_module.INGEST_WORKERS_ENV)
    os.environ[ingest_module.INGEST_WORKERS_ENV] = "1"
    try:
        with _timed(seconds, {**PHASES, **NESTED}):
            started = time.perf_counter()
            ingest_module.ingest(extracts, DataPaths(data_dir))
            total = time.perf_counter() - started
    finally:
        if saved is None:
            del os.environ[ingest_module.INGEST_WORKERS_ENV]
        else:
            os.environ[ingest_module.INGEST_WORKERS_ENV] = saved
    other = total - sum(seconds[name] for name in PHASES)
    return {"total_s": total, **seconds, "other_s": other}


def main(argv: list[str]) -> int:
    print(json.dumps(ingest_phases(Path(argv[0]), Path(argv[1]))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
