"""The restatement log (GRI 2-4, chemsafe.restatements) on a correction of an earlier quarter.

The demo is published (the session's run, copied), then a drop identical to the demo except
for one record of an earlier quarter: drill DR-S02-009 (S02, 2025-08-30) re-evaluated from
ADEQUATE to INADEQUATE. The expected restated cells are worked out here in plain Python from
the changed record and the drills extract, by the spec (kpi_spec.md: LEAD_DRILL_ADEQUACY =
drills in quarter with evaluation ADEQUATE / drills in quarter; evaluation is read by no
other KPI), never read back from the code under test.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from chemsafe.paths import DataPaths
from conftest import DEMO_EXTRACTS, PROJECT_ROOT, chemsafe, query

CHANGED_ID = "DR-S02-009"
ADEQUATE = {"ADEQUATE", "적합"}  # the contract's code and its Korean spelling
KPI = "LEAD_DRILL_ADEQUACY"


@dataclass(frozen=True)
class Scenario:
    paths: DataPaths
    demo_publication: str
    demo_load: str
    corrected_publication: str
    corrected_load: str
    corrected_output: str
    drop: Path


def _drills(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["drill_id"]: row for row in csv.DictReader(handle)}


def _quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _publication(paths: DataPaths) -> tuple[str, str]:
    (row,) = query(paths.serving_db, "select publication_id, load_id from audit.publication")
    return row


@pytest.fixture(scope="module")
def scenario(demo_published: Path, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    root = tmp_path_factory.mktemp("restatements")
    data_dir = root / "data"
    shutil.copytree(demo_published, data_dir, symlinks=True)
    paths = DataPaths(data_dir)
    demo_publication, demo_load = _publication(paths)
    drop = root / "corrected"
    shutil.copytree(DEMO_EXTRACTS, drop)
    drills = drop / "drills.csv"
    text = drills.read_text(encoding="utf-8-sig")
    lines = text.split("\n")
    changed = [i for i, line in enumerate(lines) if line.startswith(CHANGED_ID + ",")]
    assert len(changed) == 1 and lines[changed[0]].rstrip("\r").endswith(",ADEQUATE")
    lines[changed[0]] = lines[changed[0]].replace(",ADEQUATE", ",INADEQUATE")
    drills.write_text("\ufeff" + "\n".join(lines), encoding="utf-8")
    result = chemsafe(data_dir, "run", "--extracts", str(drop))
    corrected_publication, corrected_load = _publication(paths)
    return Scenario(paths, demo_publication, demo_load, corrected_publication,
                    corrected_load, result.stdout, drop)


@dataclass(frozen=True)
class Expected:
    cells: set[tuple[str, str, str | None]]  # (kpi, quarter, site; None = company)
    site_numerators: tuple[int, int]  # adequate drills at the site, before and after
    site_denominator: int  # drills at the site in the quarter


def _quarter_of(text: str) -> str | None:
    try:
        return _quarter(date.fromisoformat(text))
    except ValueError:  # e.g. 2024/11/16: rejected as bad_date, counts nowhere
        return None


@pytest.fixture(scope="module")
def expected(scenario: Scenario) -> Expected:
    """From the two drills extracts: the changed record's quarter and site give the cells
    (its site and the company, that quarter, the one KPI reading evaluation)."""
    before = _drills(DEMO_EXTRACTS / "drills.csv")
    after = _drills(scenario.drop / "drills.csv")
    assert [k for k in before if before[k] != after[k]] == [CHANGED_ID]
    record = after[CHANGED_ID]
    quarter, site = _quarter_of(record["drill_on"]), record["site_id"]
    assert (quarter, site) == ("2025-Q3", "S02")
    assert quarter is not None

    def at_site(drills: dict[str, dict[str, str]]) -> list[dict[str, str]]:
        return [d for d in drills.values()
                if d["site_id"] == site and _quarter_of(d["drill_on"]) == quarter]

    return Expected(
        cells={(KPI, quarter, site), (KPI, quarter, None)},
        site_numerators=(sum(d["evaluation"] in ADEQUATE for d in at_site(before)),
                         sum(d["evaluation"] in ADEQUATE for d in at_site(after))),
        site_denominator=len(at_site(after)),
    )


def _restated(scenario: Scenario, mart: str, cell: str) -> dict[tuple, tuple]:
    """The corrected publication's restated cells of one table, every KPI: the three
    columns `cell` names -> (previous and new numerator, denominator, value, and the
    value's change)."""
    rows = query(scenario.paths.serving_db,
                 f"select {cell}, previous_numerator, numerator, previous_denominator, "
                 "denominator, previous_value, value, value_change "
                 "from marts.kpi_restatements where publication_id = ? and mart = ?",
                 [scenario.corrected_publication, mart])
    return {r[:3]: r[3:] for r in rows}


def test_exactly_the_cells_of_the_corrected_record_are_restated(
        scenario: Scenario, expected: Expected) -> None:
    cells = _restated(scenario, "kpi_quarterly", "kpi_code, period, site_id")
    assert set(cells) == expected.cells
    # S02 held two drills in 2025-Q3 (DR-S02-008 and DR-S02-009), both adequate before.
    old_num, new_num, old_den, new_den, old_value, new_value, change = \
        cells[(KPI, "2025-Q3", "S02")]
    assert (old_num, new_num) == expected.site_numerators == (2, 1)
    assert old_den == new_den == expected.site_denominator == 2
    assert (old_value, new_value, change) == (1.0, 0.5, -0.5)
    # The company: one adequate drill fewer over the same drills.
    old_num, new_num, old_den, new_den, old_value, new_value, change = \
        cells[(KPI, "2025-Q3", None)]
    assert new_num == old_num - 1 and new_den == old_den
    assert (old_value, new_value) == pytest.approx((old_num / old_den, new_num / new_den))
    assert change == pytest.approx(new_num / new_den - old_num / old_den)


def test_the_log_names_both_publications_loads_and_the_changed_file(
        scenario: Scenario) -> None:
    paths = scenario.paths
    assert scenario.corrected_load != scenario.demo_load
    ids = query(paths.serving_db,
                "select distinct publication_id, previous_publication_id, load_id, "
                "previous_load_id, changed_extract_files from marts.kpi_restatements "
                "where publication_id = ?", [scenario.corrected_publication])
    assert ids == [(scenario.corrected_publication, scenario.demo_publication,
                    scenario.corrected_load, scenario.demo_load, "drills.csv")]
    sha = {name: hashlib.sha256(path.read_bytes()).hexdigest()
           for name, path in (("old", DEMO_EXTRACTS / "drills.csv"),
                              ("new", scenario.drop / "drills.csv"))}
    assert query(paths.serving_db,
                 "select source_file, change, previous_sha256, sha256 "
                 "from audit.restatement_extract_changes where publication_id = ?",
                 [scenario.corrected_publication]) \
        == [("drills.csv", "changed", sha["old"], sha["new"])]


def test_disclosure_package_marks_the_restated_figures(scenario: Scenario) -> None:
    # The package items that report the KPI (reference seed disclosure_items), in the
    # quarter of the record and in its year.
    with (PROJECT_ROOT / "seeds" / "reference" / "disclosure_items.csv").open(
            encoding="utf-8") as handle:
        items = [r["item_code"] for r in csv.DictReader(handle) if r["kpi_code"] == KPI]
    assert items
    flagged = query(scenario.paths.serving_db,
                    "select period_type, period, item_code, previous_publication_id "
                    "from marts.esg_disclosure_package where is_restated order by all")
    assert flagged == sorted([(t, p, i, scenario.demo_publication) for i in items
                              for t, p in (("quarter", "2025-Q3"), ("year", "2025"))])
    (row,) = query(scenario.paths.serving_db,
                   "select previous_value, value from marts.esg_disclosure_package "
                   "where period_type = 'quarter' and period = '2025-Q3' and item_code = ?",
                   [items[0]])
    (cell,) = query(scenario.paths.serving_db,
                    "select previous_value, value from marts.kpi_restatements "
                    "where site_id is null and mart = 'kpi_quarterly' and publication_id = ?",
                    [scenario.corrected_publication])
    assert row == cell


def test_the_yearly_figures_of_the_corrected_record_are_restated(
        scenario: Scenario, expected: Expected) -> None:
    # kpi_yearly sums the quarters (LEAD_DRILL_ADEQUACY: ratio of the summed numerators and
    # denominators): every year and year-to-date figure whose quarters include 2025-Q3 has
    # one adequate drill fewer over the same drills, at S02 and for the company. Those are
    # the year 2025 and the year-to-date figures at 2025-Q3 and 2025-Q4 (both in the demo's
    # window, which runs to 2026-Q2); no other yearly figure reads the record.
    cells = _restated(scenario, "kpi_yearly", "period_type, period, site_id")  # KPI only: below
    periods = {("year", "2025"), ("year_to_date", "2025-Q3"), ("year_to_date", "2025-Q4")}
    assert set(cells) == {(t, p, s) for t, p in periods for s in ("S02", None)}
    for old_num, new_num, old_den, new_den, old_value, new_value, _ in cells.values():
        assert new_num == old_num - 1 and new_den == old_den
        assert (old_value, new_value) == pytest.approx((old_num / old_den, new_num / new_den))
    assert query(scenario.paths.serving_db,
                 "select distinct mart, kpi_code from marts.kpi_restatements "
                 "where publication_id = ? order by mart, kpi_code",
                 [scenario.corrected_publication]) \
        == [("kpi_quarterly", KPI), ("kpi_yearly", KPI)]


def test_publication_json_output_and_dashboard_count_them(scenario: Scenario,
                                                         expected: Expected) -> None:
    paths = scenario.paths
    record = json.loads(paths.publication_record.read_text(encoding="utf-8"))["restatements"]
    assert record["previous_publication_id"] == scenario.demo_publication
    assert record["restated_kpi_figures"] == {"kpi_quarterly": 2, "kpi_yearly": 6,
                                              "kpi_tier_quarterly": 0}
    assert record["restated_disclosure_figures"] == 2
    assert [f["file"] for f in record["changed_extract_files"]] == ["drills.csv"]
    assert ("KPI figures: 2 quarterly, 6 yearly, 0 by tier; 2 disclosure figure(s)"
            in scenario.corrected_output)
    html = paths.dashboard_html.read_text(encoding="utf-8")
    for site in ("S02", "company"):
        assert (f'<tr data-kpi="{KPI}" data-period="2025-Q3" data-site="{site}">') in html
    assert "2 published KPI figure(s) restated against publication " \
        f"{scenario.demo_publication}" in html
    assert "Also restated: 6 연간 yearly figure(s)" in html
    # the S02 row shows the fractions behind the ratio, as previously and as now published
    (old_num, new_num), den = expected.site_numerators, expected.site_denominator
    row = html[html.index(f'<tr data-kpi="{KPI}" data-period="2025-Q3" data-site="S02">'):]
    row = row[:row.index("</tr>")]
    assert (f"<td>{old_num / den:.1%} <small>({old_num} / {den})</small></td>"
            f"<td>{new_num / den:.1%} <small>({new_num} / {den})</small></td>") in row
    with duckdb.connect() as con:
        exported = con.execute(
            f"select count(*) from read_parquet('{paths.parquet_exports}/kpi_restatements"
            ".parquet')").fetchall()
    assert exported == [(8,)]


def test_publishing_the_same_extracts_again_still_discloses_the_restatements(
        scenario: Scenario) -> None:
    # The README's order for a new drop: run, reconcile, publish --reuse-build. The last
    # publication (the one with the reconciliation) presents the same figures as the run's:
    # it must still disclose what they restated against the drop before, not compare with
    # the run's own publication and find nothing.
    serving = scenario.paths.serving_db
    columns = ("mart, kpi_code, period_type, period, site_id, risk_tier, "
               "previous_publication_id, previous_load_id, previous_numerator, numerator, "
               "previous_denominator, denominator, previous_value, value, "
               "changed_extract_files")
    first = query(serving, f"select {columns} from marts.kpi_restatements "
                           "where publication_id = ? order by all",
                  [scenario.corrected_publication])
    package = ("select period_type, period, item_code, previous_value, value, "
               "previous_publication_id from marts.esg_disclosure_package where is_restated "
               "order by all")
    flagged = query(serving, package)
    assert len(first) == 8 and len(flagged) == 2
    chemsafe(scenario.paths.root, "publish", "--reuse-build")
    (latest,) = query(serving, "select publication_id from audit.publication")[0]
    assert latest != scenario.corrected_publication
    again = query(serving, f"select {columns} from marts.kpi_restatements "
                           "where publication_id = ? order by all", [latest])
    assert again == first
    assert {row[6] for row in again} == {scenario.demo_publication}
    assert query(serving, package) == flagged
    # the log keeps both publications' rows; the extract changes are against the same drop
    assert query(serving, "select publication_id, count(*) from marts.kpi_restatements "
                          "group by all order by all") \
        == sorted([(scenario.corrected_publication, 8), (latest, 8)])
    assert query(serving, "select source_file, previous_publication_id "
                          "from audit.restatement_extract_changes where publication_id = ?",
                 [latest]) == [("drills.csv", scenario.demo_publication)]
    record = json.loads(scenario.paths.publication_record.read_text(encoding="utf-8"))
    assert record["restatements"]["restated_kpi_figures"]["kpi_quarterly"] == 2
    assert record["restatements"]["restated_disclosure_figures"] == 2
    assert record["restatements"]["previous_publication_id"] == scenario.corrected_publication
    assert record["restatements"]["baseline_publication_id"] == scenario.demo_publication
    html = scenario.paths.dashboard_html.read_text(encoding="utf-8")
    assert "2 published KPI figure(s) restated against publication " \
        f"{scenario.demo_publication}" in html
