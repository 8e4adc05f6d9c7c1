"""The approved scoring policy, read from the versioned reference seeds.

dbt applies the policy from the seeds (``scoring_parameters``, ``scoring_risk_weights``,
``risk_level_points``). The Python that applies it outside dbt (the pandas baseline of
``chemsafe bench``, the demo generator's planted tier cases) reads the same seeds through
this module instead of restating the numbers, so a new policy version cannot make them
drift from the warehouse (``tests/test_policy_in_python.py`` fails on a policy constant
written anywhere else).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from chemsafe.seeds import seed_rows as _rows

TIERS = ("LOW", "MEDIUM", "HIGH")


def _in_force(row: dict[str, str], on: date) -> bool:
    """valid_from <= on < valid_to (an empty valid_to is open), as the policy macros."""
    starts = date.fromisoformat(row["valid_from"])
    ends = date.fromisoformat(row["valid_to"]) if row["valid_to"] else None
    return starts <= on and (ends is None or on < ends)


def _version_starts(rows: list[dict[str, str]]) -> set[date]:
    return {date.fromisoformat(row["valid_from"]) for row in rows}


class PolicyError(ValueError):
    """The seeds do not give one policy for the dates asked."""


@dataclass(frozen=True)
class ScoringPolicy:
    """The finding-score and tier policy of kpi_spec.md in force on one date."""

    parameter_version: str
    weight_version: str
    risk_weight: dict[str, float]
    axis_points: dict[str, int]
    open_factor_days: float
    repeat_factor: float
    repeat_window_days: int
    major_severity: int
    tier_high_min_points: int
    tier_medium_min_points: int
    tier_override_min_protection_weakness: int

    def tier(self, substance: int, exposure: int, protection: int) -> str:
        """The facility tier from the three axis points (kpi_spec.md "Facility tier")."""
        points = substance + exposure + protection
        if points >= self.tier_high_min_points:
            return "HIGH"
        if (substance == self.axis_points["HIGH"]
                and protection >= self.tier_override_min_protection_weakness):
            return "HIGH"
        return "MEDIUM" if points >= self.tier_medium_min_points else "LOW"

    def finding_score(self, tier: str, severity: int, days_open: int,
                      is_repeat: bool) -> float:
        """kpi_spec.md "Finding score": weight x severity x open factor x repeat factor."""
        open_factor = 1 + days_open / self.open_factor_days
        repeat = self.repeat_factor if is_repeat else 1.0
        return self.risk_weight[tier] * severity * open_factor * repeat


def scoring_policy(on: date, folder: Path | None = None) -> ScoringPolicy:
    """The approved policy in force on `on`."""
    parameters = [r for r in _rows("scoring_parameters", folder) if _in_force(r, on)]
    weights = [r for r in _rows("scoring_risk_weights", folder) if _in_force(r, on)]
    value = {r["parameter"]: float(r["parameter_value"]) for r in parameters}
    weight = {r["risk_tier"]: float(r["risk_weight"]) for r in weights}
    points = {r["risk_level"]: int(r["axis_points"]) for r in _rows("risk_level_points", folder)}
    if set(weight) != set(TIERS) or len(weights) != len(TIERS):
        raise PolicyError(f"scoring_risk_weights: no single weight per tier on {on}")
    if len({r["parameter"] for r in parameters}) != len(parameters):
        raise PolicyError(f"scoring_parameters: two versions of a parameter in force on {on}")
    try:
        return ScoringPolicy(
            parameter_version=parameters[0]["policy_version"],
            weight_version=weights[0]["policy_version"],
            risk_weight=weight,
            axis_points=points,
            open_factor_days=value["open_factor_days"],
            repeat_factor=value["repeat_factor"],
            repeat_window_days=int(value["repeat_window_days"]),
            major_severity=int(value["major_severity"]),
            tier_high_min_points=int(value["tier_high_min_points"]),
            tier_medium_min_points=int(value["tier_medium_min_points"]),
            tier_override_min_protection_weakness=int(
                value["tier_override_min_protection_weakness"]),
        )
    except (KeyError, IndexError) as exc:
        raise PolicyError(f"scoring_parameters: no {exc} in force on {on}") from exc


def single_scoring_policy(first: date, last: date, folder: Path | None = None) -> ScoringPolicy:
    """The one policy in force from `first` to `last`; PolicyError when a version starts in
    between (code that applies a single policy to a period must not span a change)."""
    starts = (_version_starts(_rows("scoring_parameters", folder))
              | _version_starts(_rows("scoring_risk_weights", folder)))
    changes = sorted(day for day in starts if first < day <= last)
    if changes:
        raise PolicyError(f"the scoring policy changes on {changes[0]}, between {first} and "
                          f"{last}; this computation applies one policy version")
    return scoring_policy(last, folder)
