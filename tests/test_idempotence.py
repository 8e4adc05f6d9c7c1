"""Running the main job twice on the same extracts yields identical tables."""

from __future__ import annotations

from pathlib import Path

from conftest import DEMO_EXTRACTS, chemsafe, table_fingerprints


def test_main_job_twice_gives_identical_tables(tmp_path: Path) -> None:
    chemsafe(tmp_path, "run", "--extracts", str(DEMO_EXTRACTS))
    first = table_fingerprints(tmp_path / "chemsafe.duckdb")
    chemsafe(tmp_path, "run", "--extracts", str(DEMO_EXTRACTS))
    second = table_fingerprints(tmp_path / "chemsafe.duckdb")
    assert first.keys() == second.keys()
    assert len(first) > 70  # raw, reference, staging and audit relations are all compared
    assert first["staging.stg_ehs__findings"][0] > 500
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []
