"""Changing policy is adding an approved row: a new weight version valid from a date
changes the snapshot scores from that quarter on and leaves earlier quarters unchanged."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from conftest import DEMO_EXTRACTS, chemsafe, copy_project, dbt_in, query

NEW_VERSION_FROM = date(2026, 1, 1)
NEW_HIGH_WEIGHT = 10


def add_weight_version(project: Path) -> None:
    seed = project / "seeds" / "reference" / "scoring_risk_weights.csv"
    lines = seed.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    closed = [row.replace(",2000-01-01,,", f",2000-01-01,{NEW_VERSION_FROM},") for row in rows]
    added = [
        f"RW-2026.1,{tier},{weight},{NEW_VERSION_FROM},,EHS위원회,2025-12-15,"
        "\"Test: heavier HIGH weight after the 2025 process-safety review.\""
        for tier, weight in (("LOW", 1), ("MEDIUM", 3), ("HIGH", NEW_HIGH_WEIGHT))
    ]
    seed.write_text("\n".join([header, *closed, *added]) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def reweighted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("reweighted-data")
    chemsafe(data_dir, "ingest", str(DEMO_EXTRACTS))
    project = copy_project(tmp_path_factory.mktemp("project") / "chemsafe", data_dir)
    add_weight_version(project)
    result = dbt_in(project, data_dir, "build")
    assert result.returncode == 0, result.stdout[-5000:]
    assert os.path.exists(data_dir / "chemsafe.duckdb")
    return data_dir / "chemsafe.duckdb"


SNAPSHOT_SQL = (
    "select finding_id, quarter_end, risk_tier_on_found, finding_score, weight_policy_version"
    " from marts.fct_finding_quarter_snapshots order by finding_id, quarter_end"
)


def test_new_weight_version_changes_only_quarters_from_its_start(
    demo_warehouse: Path, reweighted: Path
) -> None:
    before = {(r[0], r[1]): r for r in query(demo_warehouse, SNAPSHOT_SQL)}
    after = {(r[0], r[1]): r for r in query(reweighted, SNAPSHOT_SQL)}
    assert before.keys() == after.keys()
    changed_high = unchanged_early = 0
    for key, (_, quarter_end, tier, score, version) in before.items():
        new_score, new_version = after[key][3], after[key][4]
        if quarter_end < NEW_VERSION_FROM:
            assert (new_score, new_version) == (score, version), key
            unchanged_early += 1
        else:
            assert new_version == "RW-2026.1"
            if tier == "HIGH":
                assert abs(new_score - score * NEW_HIGH_WEIGHT / 7) < 1e-9, key
                changed_high += 1
            else:
                assert new_score == score, key
    assert changed_high > 0 and unchanged_early > 0


def test_facts_name_the_version_in_force_on_the_as_of_date(reweighted: Path) -> None:
    versions = query(reweighted, "select distinct weight_policy_version from marts.fct_findings")
    assert versions == [("RW-2026.1",)]
    quarters = dict(
        query(reweighted, "select period, weight_policy_version from marts.dim_quarters")
    )
    assert quarters["2025-Q4"] == "RW-2024.1"
    assert quarters["2026-Q1"] == "RW-2026.1"
