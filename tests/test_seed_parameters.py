"""The approved parameter values in the policy seeds are the numbers kpi_spec.md states
(boundary register entry approved_parameter_values). The expected numbers are written here
by hand from the spec (sections cited per block), not read from the seeds or the code: a
changed seed value, or a new version nobody checked against the spec, fails this test.

Every row of each seed is pinned, by (policy version, parameter): adding an approved version
means adding its rows here, with the approval that changes the spec.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "reference"

# kpi_spec.md, "Process-safety and eco-efficiency indicators": API RP 754 Table 1 (outdoor)
# TQ per release_category 1->5 kg, 2->25, 3->100, 4->200, 5->500, 6->1000, 7->2000; Tier 1
# FIRE/EXPLOSION cost >= 32,500,000 KRW, Tier 2 >= 3,250,000, Tier 2 quantity TQ / 10;
# CCPS points: safety 9 / 3 / 1, cost >= 1,300,000,000 -> 9, >= 130,000,000 -> 3,
# >= 32,500,000 -> 1, chemical impact OFF_SITE 9 / ON_SITE 3 / NONE 1, community 9;
# rates per 200,000 hours. ECO_FACTOR_INDEX: base year parameter, default (empty) the year
# of the first quarter of the reporting window.
# kpi_spec.md, "Leading indicators", inventory tolerance: abs_tol_kg 1.0, rel_tol 0.02,
# accident-precaution rel_tol 0.005.
KPI_PARAMETERS = {
    ("KP-2024.1", "tq_kg_release_category_1"): "5",
    ("KP-2024.1", "tq_kg_release_category_2"): "25",
    ("KP-2024.1", "tq_kg_release_category_3"): "100",
    ("KP-2024.1", "tq_kg_release_category_4"): "200",
    ("KP-2024.1", "tq_kg_release_category_5"): "500",
    ("KP-2024.1", "tq_kg_release_category_6"): "1000",
    ("KP-2024.1", "tq_kg_release_category_7"): "2000",
    ("KP-2024.1", "tier1_fire_cost_krw"): "32500000",
    ("KP-2024.1", "tier2_fire_cost_krw"): "3250000",
    ("KP-2024.1", "tier2_tq_fraction"): "0.1",
    ("KP-2024.1", "points_safety_fatality"): "9",
    ("KP-2024.1", "points_safety_lost_time"): "3",
    ("KP-2024.1", "points_safety_injury"): "1",
    ("KP-2024.1", "cost_krw_points_9"): "1300000000",
    ("KP-2024.1", "cost_krw_points_3"): "130000000",
    ("KP-2024.1", "cost_krw_points_1"): "32500000",
    ("KP-2024.1", "points_chemical_offsite"): "9",
    ("KP-2024.1", "points_chemical_onsite"): "3",
    ("KP-2024.1", "points_chemical_none"): "1",
    ("KP-2024.1", "points_community_evacuated"): "9",
    ("KP-2024.1", "rate_base_hours"): "200000",
    ("KP-2024.1", "abs_tol_kg"): "1.0",
    ("KP-2024.1", "rel_tol"): "0.02",
    ("KP-2024.1", "rel_tol_accident_precaution"): "0.005",
    ("KP-2024.1", "eco_base_year"): "",
}

# kpi_spec.md, "Finding score": open_factor_days=30, repeat_factor=1.5,
# repeat_window_days=365, major_severity=4. "Facility risk tier": HIGH risk_points >= 7,
# MEDIUM 5..6 (LOW <= 4), override substance_hazard HIGH and protection_weakness MEDIUM or
# HIGH (MEDIUM = 2 axis points).
SCORING_PARAMETERS = {
    ("SP-2024.1", "open_factor_days"): "30",
    ("SP-2024.1", "repeat_factor"): "1.5",
    ("SP-2024.1", "repeat_window_days"): "365",
    ("SP-2024.1", "major_severity"): "4",
    ("SP-2024.1", "tier_high_min_points"): "7",
    ("SP-2024.1", "tier_medium_min_points"): "5",
    ("SP-2024.1", "tier_override_min_protection_weakness"): "2",
}

# kpi_spec.md, "Finding score": weights (versioned, approved) LOW=1, MEDIUM=3, HIGH=7.
RISK_WEIGHTS = {
    ("RW-2024.1", "LOW"): "1",
    ("RW-2024.1", "MEDIUM"): "3",
    ("RW-2024.1", "HIGH"): "7",
}

# kpi_spec.md, "Facility risk tier": axis ratings LOW=1, MEDIUM=2, HIGH=3.
AXIS_POINTS = {("", "LOW"): "1", ("", "MEDIUM"): "2", ("", "HIGH"): "3"}


def seed_values(name: str, key: str, value: str, version: str | None = "policy_version"
                ) -> dict[tuple[str, str], str]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = {(row[version] if version else "", row[key]): row[value] for row in rows}
    assert len(out) == len(rows), f"{name}: duplicate (version, {key})"
    return out


def same_numbers(got: dict[tuple[str, str], str], expected: dict[tuple[str, str], str]
                 ) -> bool:
    """Same keys and numerically equal values ('1' == '1.0'); empty stays empty."""
    if got.keys() != expected.keys():
        return False
    return all((Decimal(got[k]) == Decimal(v)) if v else got[k] == "" for k, v in
               expected.items())


@pytest.mark.parametrize(("seed", "key", "value", "version", "expected"), [
    ("kpi_parameters.csv", "parameter", "parameter_value", "policy_version", KPI_PARAMETERS),
    ("scoring_parameters.csv", "parameter", "parameter_value", "policy_version",
     SCORING_PARAMETERS),
    ("scoring_risk_weights.csv", "risk_tier", "risk_weight", "policy_version", RISK_WEIGHTS),
    ("risk_level_points.csv", "risk_level", "axis_points", None, AXIS_POINTS),
])
def test_seed_holds_the_values_the_spec_states(seed: str, key: str, value: str,
                                               version: str | None,
                                               expected: dict[tuple[str, str], str]) -> None:
    got = seed_values(seed, key, value, version)
    assert same_numbers(got, expected), (
        f"{seed} differs from kpi_spec.md:\n"
        + "\n".join(f"  {k}: seed {got.get(k)!r}, spec {expected.get(k)!r}"
                    for k in sorted(got.keys() | expected.keys())
                    if got.get(k) != expected.get(k)))


def test_approved_versions_are_approved_and_open_ended() -> None:
    """The pinned versions are the approved ones in force today (valid_to empty)."""
    for seed in ("kpi_parameters.csv", "scoring_parameters.csv", "scoring_risk_weights.csv"):
        with (SEEDS / seed).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                assert row["approved_on"] and not row["approved_by"].startswith("PENDING"), row
                assert row["valid_to"] == "", row
