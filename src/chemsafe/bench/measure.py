"""Run one command in a child process and report its wall time and peak memory.

    python -m chemsafe.bench.measure -- COMMAND ...

prints one JSON line {"returncode", "wall_s", "peak_mb"}. Peak memory is the child's
maximum resident set size (getrusage of the waited-for children), so each measurement is
isolated in its own wrapper process.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measurement:
    returncode: int
    wall_s: float
    peak_mb: float
    stdout: str = ""


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    keep = argv and argv[0] == "--keep-stdout"
    if keep:
        argv = argv[1:]
    started = time.perf_counter()
    completed = subprocess.run(argv, check=False, text=True,
                               stdout=subprocess.PIPE if keep else subprocess.DEVNULL)
    wall = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"returncode": completed.returncode, "wall_s": wall,
                      "peak_mb": peak_kb / 1024.0,
                      "stdout": completed.stdout.strip() if keep else ""}))
    return 0


def measure(command: list[str], env: dict[str, str], cwd: Path,
            log: Path | None = None, keep_stdout: bool = False) -> Measurement:
    """Measure `command` (run in a fresh wrapper process so rusage is its own); with
    keep_stdout, the command's standard output is returned too."""
    wrapper = [sys.executable, "-m", "chemsafe.bench.measure", "--",
               *(["--keep-stdout"] if keep_stdout else []), *command]
    stderr = log.open("a") if log else subprocess.DEVNULL
    try:
        result = subprocess.run(wrapper, env=env, cwd=cwd, capture_output=False,
                                stdout=subprocess.PIPE, stderr=stderr, text=True, check=True)
    finally:
        if log:
            stderr.close()  # type: ignore[union-attr]
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return Measurement(int(data["returncode"]), float(data["wall_s"]), float(data["peak_mb"]),
                       str(data.get("stdout", "")))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
