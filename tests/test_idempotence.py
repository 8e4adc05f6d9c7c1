"""Running the main job twice on the same extracts yields identical tables."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import DEMO_EXTRACTS, chemsafe, table_fingerprints


def test_main_job_twice_gives_identical_tables(demo_published: Path, tmp_path: Path) -> None:
    # The first run is the session's demo run (conftest.demo_warehouse), in a copy of its
    # data directory; the second runs the main job again in that same data directory.
    data_dir = tmp_path / "data"
    shutil.copytree(demo_published, data_dir, symlinks=True)
    first = table_fingerprints(data_dir / "chemsafe.duckdb")
    chemsafe(data_dir, "run", "--extracts", str(DEMO_EXTRACTS))
    second = table_fingerprints(data_dir / "chemsafe.duckdb")
    assert first.keys() == second.keys()
    assert len(first) > 70  # raw, reference, staging and audit relations are all compared
    assert first["staging.stg_ehs__findings"][0] > 500
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []
