"""A small-scale run of `chemsafe bench`: every figure is produced, and dbt, the engine
floor and both pandas versions agree on the weighted score (no timing assertions)."""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

from conftest import chemsafe

REQUIRED = ("findings", "dbt_build_s", "dbt_peak_mb", "floor_s", "pandas_apply_s",
            "pandas_vectorised_s", "reconcile_s", "reconcile_peak_mb", "cpus", "memory_gb",
            "date", "dbt_over_floor", "apply_over_dbt", "vectorised_over_dbt", "dbt_scoring_s",
            "apply_over_scoring", "ingest_peak_mb", "read_csv_s", "ingest_over_read_csv",
            "single_pass_s", "dbt_staging_fi_s", "staging_over_single_pass", "read_write_csv_s",
            "ingest_over_read_write_csv", "ingest_phases")


def test_small_bench_produces_every_figure_and_agrees(tmp_path: Path) -> None:
    results = tmp_path / "results"
    # one small size: each size is a whole ingest, build, floor and pandas run (a second
    # size doubled the test's time and checked nothing the first does not)
    # a threshold this small makes the bench build one node at a time, as `chemsafe build`
    # does for a large load (tests/test_build_memory.py): the bench measures that build
    run = chemsafe(tmp_path / "data", "bench", "--sizes", "3000", "--repeat", "1",
                   "--results-dir", str(results),
                   env={"CHEMSAFE_SERIAL_BUILD_RECORDS": "1000", "CHEMSAFE_THREADS": None})
    assert "| findings |" in run.stdout
    figures = json.loads((results / "latest.json").read_text())
    assert [f["target_findings"] for f in figures] == [3000]
    assert [f["repeat"] for f in figures] == [1]
    [note] = figures[0]["notes"]  # no step failed
    assert re.fullmatch(r"dbt build ran one node at a time, as `chemsafe build` does for a "
                        r"load of [\d,]+ records \(at least CHEMSAFE_SERIAL_BUILD_RECORDS\) "
                        r"when CHEMSAFE_THREADS is not set", note), note
    # the build is the first dbt command of the size (the isolated runs after it pass
    # --threads 1 in any case)
    build_log = (tmp_path / "data" / "bench" / "3000" / "data" / "dbt" / "logs" / "dbt.log")
    concurrency = re.findall(r"Concurrency: (\d+) threads", build_log.read_text("utf-8"))
    assert concurrency[0] == "1", concurrency
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
    assert "again in one process, one file at a time" in table


def test_floors_run_under_the_build_memory_bound() -> None:
    """The engine floor and the single pass mirror the profile's default memory bound, so
    a peak or a time compared with the build's is taken under the same bound."""
    from chemsafe.build_memory import BUILD_MEMORY_LIMIT_DEFAULT

    profile = (Path(__file__).parent.parent / "profiles.yml").read_text(encoding="utf-8")
    bounds = re.findall(r"env_var\('CHEMSAFE_MEMORY_LIMIT', '([^']+)'\)", profile)
    assert bounds == [BUILD_MEMORY_LIMIT_DEFAULT]


def test_ingest_phases_time_every_phase_and_put_ingest_back(tmp_path: Path) -> None:
    """Each phase's function is called (and timed) on the demo drop, which has CP949 files
    and personal columns; the phases add up to no more than the whole; ingest's functions
    are its own again afterwards."""
    import chemsafe.ingest as ingest_module
    from chemsafe.bench.ingest_phases import NESTED, PHASES, ingest_phases

    before = {name: getattr(owner, attr) for name, (owner, attr) in {**PHASES, **NESTED}.items()}
    workers_before = os.environ.get(ingest_module.INGEST_WORKERS_ENV)
    demo = Path(__file__).parent.parent / "demo" / "extracts"
    seconds = ingest_phases(demo, tmp_path / "data")
    for name in ("hash_and_check_s", "decode_cp949_s", "scan_s", "duckdb_s", "keyed_hash_s"):
        assert seconds[name] > 0, name
    assert seconds["keyed_hash_s"] < seconds["duckdb_s"]
    assert sum(seconds[name] for name in PHASES) <= seconds["total_s"]
    assert seconds["other_s"] >= 0
    after = {name: getattr(owner, attr) for name, (owner, attr) in {**PHASES, **NESTED}.items()}
    assert after == before
    # the load is complete, and the one-worker setting does not outlive the measurement
    from chemsafe.contract import FILES
    from chemsafe.paths import DataPaths

    current = DataPaths(tmp_path / "data").current_seeds
    assert all((current / f"{f.seed_name}.csv").is_file() for f in FILES)
    assert os.environ.get(ingest_module.INGEST_WORKERS_ENV) == workers_before
