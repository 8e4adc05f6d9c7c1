"""Per-control results assembled from Great Expectations' expectation results.

A control passes when every expectation that names it (meta.control_id) succeeded. Its
severity is the highest severity among those expectations (GX's own ``severity``:
critical, warning, info). A failed critical control fails the run (exit code 1); a failed
warning is reported and printed but does not change the exit code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from chemsafe.reconcile.catalog import Catalog, Control
from chemsafe.reconcile.gx_runner import SEVERITY_ORDER, ExpectationOutcome
from chemsafe.reconcile.warehouse import ReconcileError, Threshold

PASS, FAIL, WARN = "PASS", "FAIL", "WARN"


@dataclass(frozen=True)
class Evaluation:
    """One control evaluated on one quarter."""

    passed: bool
    severity: str
    observed: object
    threshold: Threshold
    exceptions_count: int
    expectations: tuple[ExpectationOutcome, ...]

    @property
    def status(self) -> str:
        if self.passed:
            return PASS
        return FAIL if self.severity == "critical" else WARN


@dataclass(frozen=True)
class ControlResult:
    control: Control
    current: Evaluation
    previous_period: str | None
    previous: Evaluation | None

    @property
    def status(self) -> str:
        return self.current.status


def evaluate(catalog: Catalog, outcomes: Iterable[ExpectationOutcome],
             frames: Mapping[str, Mapping[str, object]], thresholds: Mapping[str, Threshold],
             exception_counts: Mapping[str, int]) -> dict[str, Evaluation]:
    by_control: dict[str, list[ExpectationOutcome]] = {}
    for outcome in outcomes:
        by_control.setdefault(outcome.control_id, []).append(outcome)
    unknown = sorted(set(by_control) - {c.id for c in catalog.controls})
    if unknown:
        raise ReconcileError(f"expectations name controls missing from controls.toml: "
                             f"{', '.join(unknown)}")
    out: dict[str, Evaluation] = {}
    for control in catalog.controls:
        mine = by_control.get(control.id)
        if not mine:
            raise ReconcileError(f"no expectation of suite {control.suite} checks {control.id}")
        severity = max((o.severity for o in mine), key=SEVERITY_ORDER.__getitem__)
        out[control.id] = Evaluation(
            passed=all(o.success for o in mine),
            severity=severity,
            observed=frames[control.checkpoint].get(control.observed),
            threshold=thresholds[control.threshold],
            exceptions_count=exception_counts[control.id],
            expectations=tuple(mine),
        )
    return out


def exit_code(results: Iterable[ControlResult]) -> int:
    return 1 if any(r.status == FAIL for r in results) else 0
