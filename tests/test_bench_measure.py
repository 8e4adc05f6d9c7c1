"""The bench's tree measurement (chemsafe.bench.measure, tree mode, used by
`chemsafe bench --target spark`): the summed peak of a process tree, the JVM's own peak,
and the CPU of a process its parent left behind, on real processes with known sizes."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from chemsafe.bench.measure import measure

MB = 2**20


def _holder(mb: int, seconds: float) -> str:
    # touches every page (b"x" * n writes them), then holds them
    return f"{sys.executable} -c 'import time; b = b\"x\" * {mb * MB}; time.sleep({seconds})'"


def test_tree_peak_sums_concurrent_processes_and_largest_is_one_of_them() -> None:
    both = f"{_holder(300, 2)} & {_holder(200, 2)} & wait"
    m = measure(["bash", "-c", both], dict(os.environ), Path.cwd(), tree=True)
    assert m.returncode == 0
    # 300 + 200 MB held at once (plus two interpreters); the biggest single one: 300 MB
    assert 500 <= m.tree_peak_mb < 500 + 150, m
    assert 300 <= m.peak_mb < 300 + 75, m
    assert m.tree_at_peak_mb is not None
    assert sum(v for k, v in m.tree_at_peak_mb.items() if k.startswith("python")) >= 500
    assert m.jvm_peak_mb is None  # no java in this tree


def test_a_process_left_behind_is_waited_for_and_its_cpu_counted() -> None:
    burn = f"{sys.executable} -c 'import time; t = time.process_time(); " \
           "exec(\"while time.process_time() - t < 1.0: pass\")'"
    # the shell starts the burner in a subshell and exits at once: the burner is orphaned
    m = measure(["bash", "-c", f"( {burn} & ) ; exit 0"], dict(os.environ), Path.cwd(),
                tree=True)
    assert m.returncode == 0
    assert m.cpu_s is not None and m.cpu_s >= 1.0, m
    assert m.wall_s >= 1.0, m  # the measurement ended with the tree, not with the shell


@pytest.mark.skipif(shutil.which("java") is None, reason="no java on this machine")
def test_jvm_peak_is_the_java_processs_own_high_water_mark(tmp_path: Path) -> None:
    # a 400 MB heap touched at start-up (AlwaysPreTouch), held for two seconds: long
    # enough for the poller to sample the JVM at its peak
    (tmp_path / "Hold.java").write_text(
        "class Hold { public static void main(String[] a) throws Exception "
        "{ Thread.sleep(2000); } }\n", encoding="utf-8")
    command = ["java", "-Xms400m", "-Xmx400m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC",
               str(tmp_path / "Hold.java")]
    m = measure(command, dict(os.environ), tmp_path, tree=True)
    assert m.returncode == 0
    assert m.jvm_peak_mb is not None and 400 <= m.jvm_peak_mb <= m.peak_mb + 1, m
    assert m.tree_peak_mb is not None and m.tree_peak_mb >= 400, m
