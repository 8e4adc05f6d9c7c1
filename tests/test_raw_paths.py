"""The big-extract path (raw_source = files) and the seed path give identical staging and
quarantine output: the contract's rules hold whatever door the raw rows came through."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DEMO_EXTRACTS, chemsafe, table_fingerprints


def _staging_and_audit(warehouse: Path) -> dict[str, tuple[int, str]]:
    """The staging and audit relations dbt builds (not the results `chemsafe reconcile`
    writes into audit: the main job runs it, `chemsafe build` does not)."""
    return {
        name: print_ for name, print_ in table_fingerprints(warehouse).items()
        if name.split(".")[0] in ("staging", "audit")
        and not name.startswith("audit.reconciliation_")
    }


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_files_path_equals_seed_path(demo_warehouse: Path, tmp_path: Path,
                                     file_format: str) -> None:
    ingest_args = ["ingest", str(DEMO_EXTRACTS)]
    if file_format == "parquet":
        ingest_args.append("--parquet")
    chemsafe(tmp_path, *ingest_args)
    chemsafe(tmp_path, "build", "--raw-source", "files", "--raw-format", file_format)
    from_files = _staging_and_audit(tmp_path / "chemsafe.duckdb")
    from_seeds = _staging_and_audit(demo_warehouse)
    assert from_files.keys() == from_seeds.keys()
    assert "audit.quarantine" in from_files and len(from_files) > 60
    assert from_files["audit.quarantine"][0] == 46  # the demo's planted bad rows
    assert [n for n in from_seeds if from_seeds[n] != from_files[n]] == []
