"""The boundary register (tests/boundaries.toml) stays true to the code: every entry's code
occurs once in its file, on its line, and names tests that exist. Cheap (no dbt run); the
mutation run itself is `make mutants`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chemsafe.mutants import (
    REGISTER,
    Entry,
    Mutant,
    RegisterError,
    flip,
    load_register,
    mutants_of,
    shards,
)

ROOT = Path(__file__).resolve().parents[1]


def unit_test_names() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "models").rglob("*.yml"):
        names.update(re.findall(r"^  - name: (\w+)", path.read_text(encoding="utf-8"),
                                flags=re.MULTILINE))
    return names


def test_every_register_entry_points_at_its_code_and_tests() -> None:
    entries = load_register(ROOT / REGISTER)
    known = unit_test_names()
    assert len(entries) >= 30
    for entry in entries:
        mutants_of(entry, ROOT)  # raises when the code moved or changed
        assert entry.tests, entry.id
        for test in entry.tests:
            kind, _, name = test.partition(":")
            if kind == "dbt":
                assert name in known, f"{entry.id}: no dbt unit test {name}"
            else:
                assert kind == "pytest", test
                assert (ROOT / name.split("::")[0]).is_file(), f"{entry.id}: {test}"


def test_the_two_survivors_of_issue_18_are_registered() -> None:
    mutated = {(m.original, m.mutated) for entry in load_register(ROOT / REGISTER)
               for m in mutants_of(entry, ROOT)}
    assert ("released_kg >= threshold_quantity_kg)",
            "released_kg > threshold_quantity_kg)") in mutated
    assert ("direct_cost_krw >= tier2_fire_cost_krw",
            "direct_cost_krw > tier2_fire_cost_krw") in mutated


@pytest.mark.parametrize(("code", "flipped"), [
    ("a >= b", "a > b"), ("a <= b", "a < b"), ("a > 0", "a >= 0"), ("a < b", "a <= b"),
])
def test_flip(code: str, flipped: str) -> None:
    assert flip(code) == flipped


def test_flip_refuses_code_with_no_or_two_comparisons() -> None:
    with pytest.raises(RegisterError):
        flip("a = b")
    with pytest.raises(RegisterError):
        flip("a >= b and c <= d")


def test_shards_split_the_mutants_evenly_and_keep_every_entry_once() -> None:
    def entry(name: str, count: int) -> tuple[Entry, list[Mutant]]:
        return (Entry(id=name, boundary="", tests=["dbt:x"]),
                [Mutant(name, "f.sql", 1, "a > b", "a >= b")] * count)

    planned = [entry("a", 1), entry("b", 3), entry("c", 1), entry("d", 1), entry("e", 2)]
    # By hand, largest first, each to the shard with fewest mutants (ties: the first):
    # b (3) -> shard 1; e (2) -> shard 2; a -> shard 2 (2 -> 3); c -> shard 1 (tie at 3,
    # 3 -> 4); d -> shard 2 (3 -> 4).
    assert shards(planned, 2) == [["b", "c"], ["e", "a", "d"]]
    assert shards(planned, 1) == [["b", "e", "a", "c", "d"]]
    assert shards(planned[:1], 2) == [["a"]]  # no empty shard
