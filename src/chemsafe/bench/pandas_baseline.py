"""The pandas baseline a user would otherwise write: the spec's Python finding_score row by
row (DataFrame.apply), and a vectorised version, each followed by the per facility-quarter
aggregation. Inputs are the score factors of the findings (tier on found_on, severity,
days_open, is_repeat); the result is compared with dbt's fct_findings."""

from __future__ import annotations

import time

import pandas as pd

# The reference of kpi_spec.md ("Finding score"), as a user would write it.
RISK_WEIGHT = {"LOW": 1, "MEDIUM": 3, "HIGH": 7}


def finding_score(risk_level: str, severity: int, days_open: int, is_repeat: bool) -> float:
    open_factor = 1 + days_open / 30
    repeat_factor = 1.5 if is_repeat else 1.0
    return RISK_WEIGHT[risk_level] * severity * open_factor * repeat_factor


def score_apply(frame: pd.DataFrame) -> pd.DataFrame:
    scored = frame.assign(finding_score=frame.apply(
        lambda row: finding_score(row["risk_tier"], int(row["severity"]),
                                  int(row["days_open"]), bool(row["is_repeat"])),
        axis=1,
    ))
    return aggregate(scored)


def score_vectorised(frame: pd.DataFrame) -> pd.DataFrame:
    weight = frame["risk_tier"].map(RISK_WEIGHT).astype("float64")
    repeat = frame["is_repeat"].map({True: 1.5, False: 1.0}).astype("float64")
    score = weight * frame["severity"] * (1 + frame["days_open"] / 30) * repeat
    return aggregate(frame.assign(finding_score=score))


def aggregate(scored: pd.DataFrame) -> pd.DataFrame:
    return (
        scored.groupby(["facility_id", "quarter"], sort=True)["finding_score"]
        .agg(["sum", "count"])
        .reset_index()
    )


def timed(fn, frame: pd.DataFrame) -> tuple[float, pd.DataFrame]:  # noqa: ANN001
    started = time.perf_counter()
    result = fn(frame)
    return time.perf_counter() - started, result
