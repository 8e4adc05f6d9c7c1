"""What of a reconciliation run rests on policy nobody has approved yet.

A control whose threshold (the version in force on the quarter end) has no approval date
ran against a *proposal*: its PASS or FAIL is only as good as a number still awaiting the
committee. The report's banner, the console summary and the sign-off block all say so,
from this one count, so a green "every critical control passed" never hides it. Sampling
rules and tolerance parameters in force without an approval date are counted alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chemsafe.reconcile.outcome import ControlResult


def is_pending(approved_on: object) -> bool:
    """A policy row is approved when it carries an approval date (approved_by alone, e.g.
    "PENDING: proposed by ...", is not an approval)."""
    return not approved_on


@dataclass(frozen=True)
class PendingApprovals:
    controls: tuple[ControlResult, ...]  # controls that ran on an unapproved threshold
    control_count: int
    critical_count: int  # critical controls in the run
    sampling_rules: tuple[tuple, ...]  # rows as in ReportContext.sampling_rules
    sampling_rule_count: int
    tolerance: tuple[tuple, ...]  # rows as in ReportContext.tolerance
    tolerance_count: int

    @property
    def pending_critical(self) -> int:
        return sum(1 for r in self.controls if r.current.severity == "critical")

    @property
    def any(self) -> bool:
        return bool(self.controls or self.sampling_rules or self.tolerance)

    def text(self) -> str:
        """One sentence for the banner and the console ('' when everything is approved)."""
        if not self.any:
            return ""
        parts = []
        if self.controls:
            parts.append(
                f"{len(self.controls)} of {self.control_count} controls "
                f"({self.pending_critical} of {self.critical_count} critical) ran on "
                "thresholds pending approval: "
                + ", ".join(r.control.id for r in self.controls))
        if self.sampling_rules:
            parts.append(f"{len(self.sampling_rules)} of {self.sampling_rule_count} sampling "
                         "rules are pending approval")
        if self.tolerance:
            parts.append(f"{len(self.tolerance)} of {self.tolerance_count} inventory "
                         "tolerance parameters are pending approval")
        return "; ".join(parts) + ". Their results stand only once the policy is approved."


def pending_approvals(results: Sequence[ControlResult], sampling_rules: Sequence[tuple],
                      tolerance: Sequence[tuple]) -> PendingApprovals:
    """From the run's control results, and the sampling-rule and tolerance rows in force
    (approved_on is their last column)."""
    return PendingApprovals(
        controls=tuple(r for r in results if is_pending(r.current.threshold.approved_on)),
        control_count=len(results),
        critical_count=sum(1 for r in results if r.current.severity == "critical"),
        sampling_rules=tuple(row for row in sampling_rules if is_pending(row[-1])),
        sampling_rule_count=len(sampling_rules),
        tolerance=tuple(row for row in tolerance if is_pending(row[-1])),
        tolerance_count=len(tolerance),
    )
