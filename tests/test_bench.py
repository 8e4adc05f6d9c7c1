"""A small-scale run of `chemsafe bench`: every figure is produced, and dbt, the engine
floor and both pandas versions agree on the weighted score (no timing assertions)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from conftest import chemsafe

REQUIRED = ("findings", "dbt_build_s", "dbt_peak_mb", "floor_s", "pandas_apply_s",
            "pandas_vectorised_s", "reconcile_s", "reconcile_peak_mb", "cpus", "memory_gb",
            "date", "dbt_over_floor", "apply_over_dbt", "vectorised_over_dbt", "dbt_scoring_s",
            "apply_over_scoring", "ingest_peak_mb", "read_csv_s", "ingest_over_read_csv",
            "single_pass_s", "dbt_staging_fi_s", "staging_over_single_pass", "read_write_csv_s",
            "ingest_over_read_write_csv")


def test_small_bench_produces_every_figure_and_agrees(tmp_path: Path) -> None:
    results = tmp_path / "results"
    # one small size: each size is a whole ingest, build, floor and pandas run (a second
    # size doubled the test's time and checked nothing the first does not)
    run = chemsafe(tmp_path / "data", "bench", "--sizes", "3000", "--repeat", "1",
                   "--results-dir", str(results))
    assert "| findings |" in run.stdout
    figures = json.loads((results / "latest.json").read_text())
    assert [f["target_findings"] for f in figures] == [3000]
    assert [(f["repeat"], f["notes"]) for f in figures] == [(1, [])]
    for size in figures:
        missing = [k for k in REQUIRED if size.get(k) is None]
        assert missing == [], missing
        assert size["aggregates_agree"] is True
        # the hand-written single pass accepts and rejects what the dbt staging does
        assert size["single_pass_agrees"] is True
        # the scoring path's models are a small part of the whole build
        assert 0 < size["dbt_scoring_s"] < size["dbt_build_s"]
        assert math.isclose(size["total_score_dbt"], size["total_score_floor"], rel_tol=1e-9)
        assert math.isclose(size["total_score_dbt"], size["total_score_pandas"], rel_tol=1e-9)
    assert figures[0]["findings"] > 1500  # about 1,260 findings per unit of scale
    table = (results / "latest.md").read_text()
    assert table.count("\n| ") >= 2 and "CPUs" in table and "ingest/read_csv" in table


def test_floors_run_under_the_build_memory_bound() -> None:
    """The engine floor and the single pass mirror the profile's default memory bound, so
    a peak or a time compared with the build's is taken under the same bound."""
    from chemsafe.bench import BUILD_MEMORY_LIMIT_DEFAULT

    profile = (Path(__file__).parent.parent / "profiles.yml").read_text(encoding="utf-8")
    bounds = re.findall(r"env_var\('CHEMSAFE_MEMORY_LIMIT', '([^']+)'\)", profile)
    assert bounds == [BUILD_MEMORY_LIMIT_DEFAULT]
