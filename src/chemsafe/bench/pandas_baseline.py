"""The pandas baseline a user would otherwise write without the warehouse: from the
accepted findings and risk assessments, the facility tier on found_on (three axes, the
HIGH override, same-day tie, unassessed = HIGH), days_open as of the as-of date, the repeat
rule, the spec's Python finding_score, and the per facility-quarter aggregation, with the
approved policy read from the reference seeds (chemsafe.policy), never restated here.

Two versions: row by row (``DataFrame.apply`` calling plain Python per finding, as the
spec's reference function invites) and vectorised (merge_asof, groupby, array arithmetic).
Both are independent of the SQL and must agree with dbt's fct_findings to 1e-9."""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable
from datetime import date

import pandas as pd

from chemsafe.policy import ScoringPolicy, single_scoring_policy


def policy_for(findings: pd.DataFrame, assessments: pd.DataFrame,
               as_of: date) -> ScoringPolicy:
    """The approved policy (reference seeds) the baseline applies: one version, in force
    from the first assessment or finding to the as-of date (PolicyError otherwise)."""
    first = min(assessments["assessed_on"].min(), findings["found_on"].min())
    return single_scoring_policy(pd.Timestamp(first).date(), as_of)


def _quarter(found_on: pd.Series) -> pd.Series:
    return found_on.dt.year.astype(str) + "-Q" + found_on.dt.quarter.astype(str)


def aggregate(scored: pd.DataFrame) -> pd.DataFrame:
    return (
        scored.assign(quarter=_quarter(scored["found_on"]))
        .groupby(["facility_id", "quarter"], sort=True)["finding_score"]
        .agg(["sum", "count"])
        .reset_index()
    )


def score_apply(findings: pd.DataFrame, assessments: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Row by row: Python per finding for the tier lookup, the repeat rule and the score."""
    as_of_ts = pd.Timestamp(as_of)
    policy = policy_for(findings, assessments, as_of)
    axis = policy.axis_points
    history: dict[str, list[tuple[pd.Timestamp, str, str]]] = {}
    for row in assessments.itertuples(index=False):
        tier = policy.tier(axis[row.substance_hazard], axis[row.exposure_potential],
                           axis[row.protection_weakness])
        history.setdefault(row.facility_id, []).append((row.assessed_on, row.assessment_id, tier))
    for entries in history.values():
        entries.sort()
    dates: dict[tuple[str, str], list[pd.Timestamp]] = {}
    for row in findings.itertuples(index=False):
        dates.setdefault((row.facility_id, row.category), []).append(row.found_on)
    for found in dates.values():
        found.sort()

    def tier_on(facility_id: str, day: pd.Timestamp) -> str:
        entries = history.get(facility_id, [])
        # the latest assessment on or before the day; same day: the greater id
        position = bisect.bisect_right(entries, (day, "\U0010ffff", ""))
        return entries[position - 1][2] if position else "HIGH"

    def is_repeat(row: pd.Series) -> bool:
        if isinstance(row["repeat_of_finding_id"], str):
            return True
        found = dates[(row["facility_id"], row["category"])]
        position = bisect.bisect_left(found, row["found_on"])
        return (position > 0
                and (row["found_on"] - found[position - 1]).days <= policy.repeat_window_days)

    def score_row(row: pd.Series) -> float:
        end = as_of_ts
        if not pd.isna(row["closed_on"]) and row["closed_on"] < as_of_ts:
            end = row["closed_on"]
        days_open = max((end - row["found_on"]).days, 0)
        tier = tier_on(row["facility_id"], row["found_on"])
        return policy.finding_score(tier, int(row["severity"]), days_open, is_repeat(row))

    in_scope = findings[findings["found_on"] <= as_of_ts]
    return aggregate(in_scope.assign(finding_score=in_scope.apply(score_row, axis=1)))


def score_vectorised(findings: pd.DataFrame, assessments: pd.DataFrame,
                     as_of: date) -> pd.DataFrame:
    as_of_ts = pd.Timestamp(as_of)
    policy = policy_for(findings, assessments, as_of)
    rated = assessments.assign(
        substance=assessments["substance_hazard"].map(policy.axis_points),
        protection=assessments["protection_weakness"].map(policy.axis_points),
        exposure=assessments["exposure_potential"].map(policy.axis_points),
    )
    points = rated["substance"] + rated["exposure"] + rated["protection"]
    override = ((rated["substance"] == policy.axis_points["HIGH"])
                & (rated["protection"] >= policy.tier_override_min_protection_weakness))
    rated["tier"] = "LOW"
    rated.loc[points >= policy.tier_medium_min_points, "tier"] = "MEDIUM"
    rated.loc[(points >= policy.tier_high_min_points) | override, "tier"] = "HIGH"
    effective = (rated.sort_values(["facility_id", "assessed_on", "assessment_id"])
                 .drop_duplicates(["facility_id", "assessed_on"], keep="last")
                 .sort_values("assessed_on"))
    in_scope = findings[findings["found_on"] <= as_of_ts].sort_values("found_on")
    tiered = pd.merge_asof(in_scope, effective[["facility_id", "assessed_on", "tier"]],
                           left_on="found_on", right_on="assessed_on", by="facility_id",
                           direction="backward")
    tiered["tier"] = tiered["tier"].fillna("HIGH")
    days = (pd.DataFrame({"closed": tiered["closed_on"], "as_of": as_of_ts}).min(axis=1)
            - tiered["found_on"]).dt.days.clip(lower=0)
    distinct = (findings[["facility_id", "category", "found_on"]].drop_duplicates()
                .sort_values(["facility_id", "category", "found_on"]))
    distinct["previous"] = distinct.groupby(["facility_id", "category"])["found_on"].shift()
    tiered = tiered.merge(distinct, on=["facility_id", "category", "found_on"], how="left")
    gap = (tiered["found_on"] - tiered["previous"]).dt.days
    repeat = tiered["repeat_of_finding_id"].notna() | (gap <= policy.repeat_window_days)
    score = (tiered["tier"].map(policy.risk_weight).astype("float64") * tiered["severity"]
             * (1 + days / policy.open_factor_days)
             * repeat.map({True: policy.repeat_factor, False: 1.0}).astype("float64"))
    return aggregate(tiered.assign(finding_score=score))


def timed(fn: Callable[..., pd.DataFrame], *args: object) -> tuple[float, pd.DataFrame]:
    started = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - started, result
