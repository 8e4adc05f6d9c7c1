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


def test_exactly_the_cells_of_the_corrected_record_are_restated(
        scenario: Scenario, expected: Expected) -> None:
    rows = query(scenario.paths.serving_db,
                 "select kpi_code, period, site_id, previous_numerator, numerator, "
                 "previous_denominator, denominator, previous_value, value, value_change "
                 "from marts.kpi_restatements where publication_id = ?",
                 [scenario.corrected_publication])
    cells = {(r[0], r[1], r[2]): r[3:] for r in rows}
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
                "previous_load_id, changed_extract_files from marts.kpi_restatements")
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
                    "where site_id is null")
    assert row == cell


def test_publication_json_output_and_dashboard_count_them(scenario: Scenario) -> None:
    paths = scenario.paths
    record = json.loads(paths.publication_record.read_text(encoding="utf-8"))["restatements"]
    assert record["previous_publication_id"] == scenario.demo_publication
    assert record["restated_kpi_figures"] == 2
    assert record["restated_disclosure_figures"] == 2
    assert [f["file"] for f in record["changed_extract_files"]] == ["drills.csv"]
    assert "2 KPI figure(s), 2 disclosure figure(s)" in scenario.corrected_output
    html = paths.dashboard_html.read_text(encoding="utf-8")
    for site in ("S02", "company"):
        assert (f'<tr data-kpi="{KPI}" data-period="2025-Q3" data-site="{site}">') in html
    assert "2 published KPI figure(s) restated against publication " \
        f"{scenario.demo_publication}" in html
    with duckdb.connect() as con:
        exported = con.execute(
            f"select count(*) from read_parquet('{paths.parquet_exports}/kpi_restatements"
            ".parquet')").fetchall()
    assert exported == [(2,)]


def test_the_log_keeps_its_history_across_publications(scenario: Scenario) -> None:
    # Publishing again (same load, nothing restated) keeps the earlier rows.
    chemsafe(scenario.paths.root, "publish", "--reuse-build")
    serving = scenario.paths.serving_db
    (latest,) = query(serving, "select publication_id from audit.publication")[0]
    assert latest != scenario.corrected_publication
    assert query(serving, "select publication_id, count(*) from marts.kpi_restatements "
                          "group by all") == [(scenario.corrected_publication, 2)]
    assert query(serving, "select count(*) from marts.esg_disclosure_package "
                          "where is_restated") == [(0,)]
    record = json.loads(scenario.paths.publication_record.read_text(encoding="utf-8"))
    assert record["restatements"]["restated_kpi_figures"] == 0
    assert record["restatements"]["previous_publication_id"] == scenario.corrected_publication
