"""Per-control results, computed twice: from Great Expectations' results on the lines and
from the control's SQL, which must agree.

GX: a control passes when every expectation that names it (meta.control_id) succeeded; for
a control whose observed value is a number of lines (no expectation marked meta.observed),
when GX's count of its distinct unexpected lines is within the threshold and its other
expectations succeeded. GX's observed value: the rate of the expectation marked "rate"
(lines in its value set / lines in its domain, None when the domain is empty), the
observed_value of the one marked "max", else the number of distinct unexpected lines.

SQL: the control's measure named `observed` and its exception lines (controls.toml).

The two agree when the observed values are equal (fractions to 1e-9, a float rounding
bound; counts and days exactly) and GX's unexpected lines are exactly the SQL exception
lines. Any disagreement on the quarter fails the run with exit code 2.

Severity: the highest severity among the control's expectations (GX's own ``severity``:
critical, warning, info). A failed critical control fails the run (exit code 1); a failed
warning is reported and printed but does not change the exit code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from chemsafe.reconcile.catalog import Catalog, Control
from chemsafe.reconcile.gx_runner import SEVERITY_ORDER, ExpectationOutcome
from chemsafe.reconcile.warehouse import ReconcileError, Threshold

PASS, FAIL, WARN = "PASS", "FAIL", "WARN"
FRACTION_AGREEMENT = 1e-9


@dataclass(frozen=True)
class GxMeasure:
    """What Great Expectations computed for one control from the lines."""

    observed: object
    lines: frozenset[str]  # distinct unexpected lines of the control's expectations
    passed: bool


@dataclass(frozen=True)
class Evaluation:
    """One control evaluated on one quarter."""

    passed: bool
    severity: str
    observed: object  # GX's observed value
    threshold: Threshold
    exceptions_count: int  # SQL exception lines
    expectations: tuple[ExpectationOutcome, ...]
    sql_observed: object = None
    gx_unexpected_count: int = 0
    only_gx: tuple[str, ...] = ()  # unexpected for GX, not an SQL exception
    only_sql: tuple[str, ...] = ()  # an SQL exception GX did not find
    observed_agrees: bool = True

    @property
    def status(self) -> str:
        if self.passed:
            return PASS
        return FAIL if self.severity == "critical" else WARN

    @property
    def agrees(self) -> bool:
        return (self.observed_agrees and not self.only_gx and not self.only_sql
                and self.gx_unexpected_count == self.exceptions_count)


@dataclass(frozen=True)
class ControlResult:
    control: Control
    current: Evaluation
    previous_period: str | None
    previous: Evaluation | None

    @property
    def status(self) -> str:
        return self.current.status


def gx_measure(control: Control, outcomes: Sequence[ExpectationOutcome],
               threshold: Threshold) -> GxMeasure:
    lines = frozenset(line for o in outcomes for line in o.unexpected_lines)
    marked = [o for o in outcomes if o.observes]
    if len(marked) > 1:
        raise ReconcileError(f"{control.id}: more than one expectation marks the observed value")
    if not marked:  # a number of lines, against an "at most" threshold
        within = len(lines) <= threshold.value
        return GxMeasure(len(lines), lines,
                         within and all(o.success for o in outcomes if not o.is_map))
    mark = marked[0]
    if mark.observes == "rate":
        total = mark.element_count or 0
        hits = total - (mark.unexpected_count or 0) - (mark.missing_count or 0)
        observed: object = hits / total if total else None
    elif mark.observes == "max":
        observed = mark.observed
    else:
        raise ReconcileError(f"{control.id}: unknown meta.observed {mark.observes!r}")
    return GxMeasure(observed, lines, all(o.success for o in outcomes))


def values_agree(gx: object, sql: object) -> bool:
    if gx is None or sql is None:
        return gx is None and sql is None
    if isinstance(gx, bool) or isinstance(sql, bool):
        return gx == sql
    if isinstance(gx, int | float) and isinstance(sql, int | float):
        if float(gx).is_integer() and float(sql).is_integer():
            return float(gx) == float(sql)
        return abs(float(gx) - float(sql)) <= FRACTION_AGREEMENT
    return gx == sql


def evaluate(catalog: Catalog, outcomes: Iterable[ExpectationOutcome],
             frames: Mapping[str, Mapping[str, object]], thresholds: Mapping[str, Threshold],
             exception_keys: Mapping[str, Sequence[str]]) -> dict[str, Evaluation]:
    """`frames`: checkpoint -> the SQL measures; `exception_keys`: control -> SQL lines."""
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
        threshold = thresholds[control.threshold]
        gx = gx_measure(control, mine, threshold)
        sql_keys = exception_keys[control.id]
        sql_lines = set(sql_keys)
        sql_observed = frames[control.checkpoint].get(control.observed)
        out[control.id] = Evaluation(
            passed=gx.passed,
            severity=severity,
            observed=gx.observed,
            threshold=threshold,
            exceptions_count=len(sql_keys),
            expectations=tuple(mine),
            sql_observed=sql_observed,
            gx_unexpected_count=len(gx.lines),
            only_gx=tuple(sorted(gx.lines - sql_lines)),
            only_sql=tuple(sorted(sql_lines - gx.lines)),
            observed_agrees=values_agree(gx.observed, sql_observed),
        )
    return out


def disagreements(results: Iterable[ControlResult]) -> list[ControlResult]:
    return [r for r in results if not r.current.agrees]


def disagreement_text(result: ControlResult, limit: int = 20) -> str:
    """One line naming the control, both figures and the lines that differ."""
    current = result.current

    def listed(lines: tuple[str, ...]) -> str:
        shown = ", ".join(lines[:limit]) or "none"
        return shown + (f" and {len(lines) - limit} more" if len(lines) > limit else "")

    return (f"{result.control.id}: Great Expectations and SQL disagree: observed GX "
            f"{current.observed!r} vs SQL {current.sql_observed!r}; unexpected lines GX "
            f"{current.gx_unexpected_count} vs SQL exceptions {current.exceptions_count}; "
            f"lines only GX found: {listed(current.only_gx)}; lines only SQL found: "
            f"{listed(current.only_sql)}")


def exit_code(results: Iterable[ControlResult]) -> int:
    results = list(results)
    if disagreements(results):
        return 2
    return 1 if any(r.status == FAIL for r in results) else 0
