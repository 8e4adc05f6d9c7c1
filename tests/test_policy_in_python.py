"""The scoring policy lives in the versioned seeds only: Python that applies it (the pandas
baseline, the demo generator) reads it through chemsafe.policy, and a policy constant
written anywhere else in the shipped Python fails here."""

from __future__ import annotations

import ast
import shutil
from datetime import date
from pathlib import Path

import pytest

from chemsafe.policy import PolicyError, scoring_policy, single_scoring_policy
from conftest import PROJECT_ROOT

TIERS = {"LOW", "MEDIUM", "HIGH"}
# names whose comparison with, or division by, a number would restate a policy threshold
POLICY_NAMES = ("point", "severity", "repeat", "days_open", "protection", "substance",
                "exposure", "weight", "gap")
READER = PROJECT_ROOT / "src" / "chemsafe" / "policy.py"


def _names(node: ast.AST) -> str:
    return " ".join(n.id.lower() if isinstance(n, ast.Name) else n.attr.lower()
                    if isinstance(n, ast.Attribute) else str(n.value).lower()
                    for n in ast.walk(node)
                    if isinstance(n, ast.Name | ast.Attribute)
                    or (isinstance(n, ast.Constant) and isinstance(n.value, str)))


def _number(node: ast.AST, *, trivial: tuple[float, ...] = (0, 1)) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, int | float)
            and not isinstance(node.value, bool) and node.value not in trivial)


# dividing days by these is the calendar (weeks, years), not the open-factor policy
CALENDAR_DAYS = (0, 1, 7, 365, 366, 730)


def policy_constants(source: str) -> list[str]:
    """Where `source` states a policy value itself: a tier -> number table, a threshold
    compared with a policy-named quantity, or a policy-named quantity divided by a number."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if len(keys & TIERS) >= 2 and all(_number(v, trivial=()) for v in node.values):
                found.append(f"line {node.lineno}: tier table {ast.unparse(node)}")
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            named = any(word in _names(side) for side in sides for word in POLICY_NAMES)
            if named and any(_number(side) for side in sides):
                found.append(f"line {node.lineno}: threshold {ast.unparse(node)}")
        elif (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)
              and _number(node.right, trivial=CALENDAR_DAYS)
              and any(word in _names(node.left) for word in (*POLICY_NAMES, "days"))):
            found.append(f"line {node.lineno}: factor {ast.unparse(node)}")
    return found


def test_no_policy_constant_in_shipped_python() -> None:
    offenders = {}
    for folder in ("src", "scripts"):
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            if path == READER:
                continue
            found = policy_constants(path.read_text(encoding="utf-8"))
            if found:
                offenders[str(path.relative_to(PROJECT_ROOT))] = found
    assert offenders == {}, f"policy restated outside chemsafe.policy: {offenders}"


def test_the_check_finds_what_the_baseline_used_to_restate() -> None:
    """The shapes the pandas baseline and the demo generator had before they read the
    seeds: each one is found (so the test above can fail)."""
    before = '''
RISK_WEIGHT = {"LOW": 1, "MEDIUM": 3, "HIGH": 7}
def tier(axes):
    points = sum(axes)
    if points >= 7 or (axes[0] == 3 and axes[2] >= 2):
        return "HIGH"
    return "MEDIUM" if points >= 5 else "LOW"
def repeat(gap):
    return gap <= 365
def score(weight, severity, days_open):
    return weight * severity * (1 + days_open / 30)
'''
    found = policy_constants(before)
    assert [line.split(":")[1].split()[0] for line in found].count("threshold") == 3, found
    assert any("tier table" in f for f in found)
    assert any("factor" in f for f in found)


def _seeds_with_a_second_version(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds" / "reference", folder)
    weights = folder / "scoring_risk_weights.csv"
    lines = weights.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    closed = [row.replace("2000-01-01,,", "2000-01-01,2026-01-01,") for row in rows]
    again = [row.replace("RW-2024.1", "RW-2026.1").replace("2000-01-01,,", "2026-01-01,,")
             .replace("HIGH,7,", "HIGH,10,") for row in rows]
    weights.write_text("\n".join([header, *closed, *again]) + "\n", encoding="utf-8")
    return folder


def test_the_version_in_force_is_read_and_a_change_inside_a_period_refused(
        tmp_path: Path) -> None:
    folder = _seeds_with_a_second_version(tmp_path)
    before, after = scoring_policy(date(2025, 12, 31), folder), scoring_policy(
        date(2026, 1, 1), folder)
    assert (before.weight_version, before.risk_weight["HIGH"]) == ("RW-2024.1", 7)
    assert (after.weight_version, after.risk_weight["HIGH"]) == ("RW-2026.1", 10)
    assert single_scoring_policy(date(2026, 1, 1), date(2026, 6, 30), folder) == after
    with pytest.raises(PolicyError, match="changes on 2026-01-01"):
        single_scoring_policy(date(2025, 7, 1), date(2026, 6, 30), folder)


def test_the_tier_rule_read_from_the_seeds_decides_the_spec_cases() -> None:
    """kpi_spec.md's tier cases, worked by hand: 7 points HIGH; substance HIGH with
    protection MEDIUM is HIGH at 6 points (override); 6 points otherwise MEDIUM; 5 MEDIUM;
    4 LOW; substance HIGH with protection LOW stays by points."""
    policy = scoring_policy(date(2026, 6, 30))
    assert policy.tier(3, 2, 2) == "HIGH"
    assert policy.tier(3, 1, 2) == "HIGH"
    assert policy.tier(2, 2, 2) == "MEDIUM"
    assert policy.tier(1, 2, 2) == "MEDIUM"
    assert policy.tier(2, 1, 1) == "LOW"
    assert policy.tier(3, 2, 1) == "MEDIUM"
    assert policy.tier(3, 1, 1) == "MEDIUM"
    # HIGH weight 7, severity 5, 45 days open, repeat: 7 * 5 * 2.5 * 1.5
    assert policy.finding_score("HIGH", 5, 45, True) == pytest.approx(131.25, abs=1e-12)
