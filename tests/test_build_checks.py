"""The build-time checks fail the build when they should (on a sabotaged project copy)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from conftest import DEMO_EXTRACTS, PROJECT_ROOT, chemsafe, copy_project, dbt_in

REFERENCE = PROJECT_ROOT / "seeds" / "reference"


def test_banned_claims_check_depends_on_every_reference_seed() -> None:
    text = (PROJECT_ROOT / "tests" / "dbt" / "assert_no_banned_claims_in_seeds.sql").read_text()
    listed = set(re.findall(r"depends_on: \{\{ ref\('(\w+)'\) \}\}", text))
    seeds = {p.stem for p in REFERENCE.glob("*.csv")} - {"banned_claims"}
    assert listed == seeds


def _rewrite(path: Path, transform) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows = transform(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


@pytest.fixture(scope="module")
def sabotaged_build(tmp_path_factory: pytest.TempPathFactory) -> str:
    data_dir = tmp_path_factory.mktemp("sabotage-data")
    chemsafe(data_dir, "ingest", str(DEMO_EXTRACTS))
    project = copy_project(tmp_path_factory.mktemp("project") / "chemsafe", data_dir)
    seeds = project / "seeds" / "reference"

    # 1. An absolute safety claim slips into a committee review's narrative.
    def add_claim(rows: list[list[str]]) -> list[list[str]]:
        header = rows[0]
        decisions = header.index("decisions")
        rows[1][decisions] = rows[1][decisions] + " 이제 공정은 완전 안전 합니다."
        return rows

    _rewrite(seeds / "safety_committee_reviews.csv", add_claim)

    # 2. The leading indicators of the lagging context are taken out of the package.
    _rewrite(seeds / "disclosure_items.csv",
             lambda rows: [r for r in rows if not (r[2] == "D" and r[3] == "leading")])

    # 3. A KPI loses its definition sheet.
    _rewrite(seeds / "kpi_definitions.csv",
             lambda rows: [r for r in rows if r[0] != "LEAD_MOC_HIGH"])

    # 4. A definition sheet puts a KPI in another family than the events model computing it.
    def move_family(rows: list[list[str]]) -> list[list[str]]:
        family = rows[0].index("family")
        for row in rows[1:]:
            if row[0] == "LEAD_RA_CURRENT":
                row[family] = "training"
        return rows

    _rewrite(seeds / "kpi_definitions.csv", move_family)

    # 5. An inventory tolerance gets a ninth decimal: the exact arithmetic reads 8
    #    (macros/cross_db/exact_decimal.sql), so it would be rounded.
    def ninth_decimal(rows: list[list[str]]) -> list[list[str]]:
        parameter, value = rows[0].index("parameter"), rows[0].index("parameter_value")
        for row in rows[1:]:
            if row[parameter] == "rel_tol":
                row[value] = "0.023456789"
        return rows

    _rewrite(seeds / "kpi_parameters.csv", ninth_decimal)

    # seed, run and test apart, not `build`: build skips every model downstream of a failed
    # seed test, and the seeds' own relationship tests fail on sabotage 3, which would skip
    # the disclosure package the zero-lagging check reads instead of letting it fail.
    dbt_in(project, data_dir, "seed")
    dbt_in(project, data_dir, "run")
    result = dbt_in(project, data_dir, "test")
    assert result.returncode != 0
    return result.stdout


@pytest.mark.parametrize(
    "check",
    [
        "assert_no_banned_claims_in_seeds",
        "assert_zero_lagging_has_leading_beside_it",
        "assert_kpi_definitions_match_implementation",
        "assert_kpi_codes_come_from_their_family",
        "assert_rate_parameters_fit_exact_arithmetic",
    ],
)
def test_check_fails_the_build(sabotaged_build: str, check: str) -> None:
    failed = re.findall(r"(?:FAIL|ERROR)\s+\d*\s*(\w+)", sabotaged_build)
    assert check in failed, sabotaged_build[-3000:]
