"""The semantic layer (dbt semantic models + MetricFlow) and its roll-ups.

- The generated metrics file is what the KPI definition sheets say, and every KPI has its
  metric and its trailing-four-quarter twin, with the rollup rule the spec calls for.
- On the demo warehouse, `mf query` at quarter grain equals kpi_quarterly for every KPI,
  company-wide and per site, and at year grain equals kpi_yearly.
- On a hand-built serving file (events written below, not produced by the pipeline), the
  year and trailing-four-quarter figures of `mf query` equal a plain-Python computation of
  the rules: ratio of sums, sums, the last quarter of a point-in-time KPI, the index of
  sums against the base year.

`mf` runs as the README shows it: from the project folder, on the serving file
(CHEMSAFE_DBT_TARGET=serving), with the semantic manifest the publish put in target/.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from chemsafe.semantic_layer import METRICS_PATH, is_current, load_kpis
from conftest import PROJECT_ROOT, query

MF = str(Path(sys.executable).parent / "mf")
TOLERANCE = 1e-9
ADDITIVE_UNITS = {"count", "kg", "KRW", "score"}
# Point-in-time KPIs (kpi_spec: a status or a stock "on quarter_end"), whose year is the
# year-end quarter: facilities active on quarter_end with a current assessment, and the
# score of the findings open on quarter_end.
POINT_IN_TIME = {"LEAD_RA_CURRENT", "LAG_OPEN_RISK_SCORE"}


MF_BATCH = Path(__file__).resolve().parent / "mf_batch.py"
Query = tuple[list[str], list[str]]  # (metrics, group by)


def mf_queries(data_dir: Path, queries: dict[str, Query | str],
               out: Path) -> dict[str, list[dict[str, str]]]:
    """Run `mf query --metrics ... --group-by ... --csv` (or `--saved-query name`) for each
    query on the serving file of data_dir, as the README shows it; the rows of each CSV.
    One process for all (tests/mf_batch.py runs MetricFlow's own commands)."""
    env = dict(os.environ)
    env.update({"CHEMSAFE_DATA_DIR": str(data_dir), "CHEMSAFE_DBT_TARGET": "serving"})
    for name in ("DBT_TARGET_PATH", "DBT_LOG_PATH", "DBT_PROFILES_DIR", "DBT_PROJECT_DIR"):
        env.pop(name, None)
    commands = []
    for name, spec in queries.items():
        csv_path = out / f"{name}.csv"
        if isinstance(spec, str):
            commands.append(["query", "--saved-query", spec, "--csv", str(csv_path)])
        else:
            metrics, group_by = spec
            commands.append(["query", "--metrics", ",".join(metrics), "--group-by",
                             ",".join(group_by), "--csv", str(csv_path)])
    result = subprocess.run([sys.executable, str(MF_BATCH), json.dumps(commands)],
                            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, (
        f"mf query failed ({result.returncode})\n{result.stdout[-4000:]}\n"
        f"{result.stderr[-4000:]}")
    rows = {}
    for name in queries:
        with (out / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            rows[name] = list(csv.DictReader(handle))
    return rows


def _number(text: str | None) -> float | None:
    return None if text in (None, "", "None", "nan") else float(text)


def _same(actual: float | None, expected: float | None) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    return abs(actual - expected) <= TOLERANCE * max(1.0, abs(expected))


def _quarter_label(text: str) -> str:
    day = dt.date.fromisoformat(text[:10])
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


# --- the generated file (no warehouse) ----------------------------------------------------

def test_metrics_file_is_generated_from_the_definition_sheets() -> None:
    assert is_current(PROJECT_ROOT), (
        f"{METRICS_PATH} is stale: run .venv/bin/python scripts/generate_semantic_layer.py")


def test_rollup_rule_of_every_kpi_follows_the_spec() -> None:
    """Counts and amounts add up; ratios, rates, means and intensities are ratios of sums;
    the two point-in-time KPIs take the last quarter; the factor index is an index of sums."""
    rules = {kpi.code: (kpi.unit, kpi.rollup_rule) for kpi in load_kpis(PROJECT_ROOT)}
    assert len(rules) == 37  # the 36 of kpi_spec.md and LEAD_HIGH_HAZARD_COVERAGE (issue 16)
    wrong = []
    for code, (unit, rule) in rules.items():
        if code in POINT_IN_TIME:
            expected = "last_quarter"
        elif code == "ECO_FACTOR_INDEX":
            expected = "index_of_sums"
        elif unit in ADDITIVE_UNITS:
            expected = "sum"
        else:
            expected = "ratio_of_sums"
        if rule != expected:
            wrong.append(f"{code} ({unit}): {rule}, expected {expected}")
    assert wrong == []


# --- the demo warehouse --------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_mf(demo_published: Path, tmp_path_factory: pytest.TempPathFactory
            ) -> dict[str, list[dict[str, str]]]:
    """Every KPI's metric through `mf query` on the demo's serving file, by quarter and by
    year, company-wide and per site."""
    metrics = [kpi.metric for kpi in load_kpis(PROJECT_ROOT)]
    return mf_queries(demo_published, {
        "quarter": (metrics, ["metric_time__quarter"]),
        "quarter_site": (metrics, ["metric_time__quarter", "site"]),
        "year": (metrics, ["metric_time__year"]),
        "year_site": (metrics, ["metric_time__year", "site"]),
    }, tmp_path_factory.mktemp("mf-demo"))


@pytest.mark.slow
def test_quarter_grain_equals_kpi_quarterly(demo_warehouse: Path, demo_mf: dict) -> None:
    kpis = load_kpis(PROJECT_ROOT)
    expected = {
        (kpi, period, site): (unit, value)
        for kpi, period, site, unit, value in query(
            demo_warehouse,
            "select kpi_code, period, site_id, unit, value from marts.kpi_quarterly")
    }
    actual: dict[tuple[str, str, str | None], float | None] = {}
    for name, with_site in (("quarter", False), ("quarter_site", True)):
        for row in demo_mf[name]:
            period = _quarter_label(row["metric_time__quarter"])
            site = row["site"] if with_site else None
            if with_site and not site:
                continue  # a quarter MetricFlow filled from the time spine, no site
            for kpi in kpis:
                actual[(kpi.code, period, site)] = _number(row[kpi.metric])
    assert {k[1] for k in actual} == {k[1] for k in expected}, "quarters differ"
    wrong = []
    for key, (unit, value) in sorted(expected.items(), key=str):
        # no row from MetricFlow: nothing happened there (a count of 0, a ratio without
        # denominator); kpi_quarterly still has its row
        got = actual.get(key)
        if got is None and unit in ADDITIVE_UNITS:
            got = 0.0
        if not _same(got, value):
            wrong.append(f"{key}: mf {got}, kpi_quarterly {value}")
    assert wrong == [], f"{len(wrong)} differences, first: {wrong[:10]}"


@pytest.mark.slow
def test_year_grain_equals_kpi_yearly(demo_warehouse: Path, demo_mf: dict) -> None:
    kpis = load_kpis(PROJECT_ROOT)
    expected = {
        (kpi, period, site): value
        for kpi, period, site, value in query(
            demo_warehouse,
            "select kpi_code, period, site_id, value from marts.kpi_yearly "
            "where period_type = 'year'")
    }
    wrong = []
    seen = set()
    for name, with_site in (("year", False), ("year_site", True)):
        for row in demo_mf[name]:
            year = row["metric_time__year"][:4]
            site = row["site"] if with_site else None
            if with_site and not site:
                continue  # a year MetricFlow filled from the time spine, no site
            seen.add((year, site))
            for kpi in kpis:
                got = _number(row[kpi.metric])
                if got is None and kpi.unit in ADDITIVE_UNITS:
                    got = 0.0
                want = expected.get((kpi.code, year, site), "missing")
                if want == "missing" or not _same(got, want):
                    wrong.append(f"{kpi.code} {year} {site}: mf {got}, kpi_yearly {want}")
    assert seen == {(year, site) for _, year, site in expected}
    assert wrong == [], f"{len(wrong)} differences, first: {wrong[:10]}"
    # The example: 2025 LEAD_SQ_BASIS_RETENTION is 32 / 35 = 0.9143 (sums of the
    # quarters 12/14, 7/7, 8/9, 5/5), not the mean of the quarterly values (0.9365).
    sq_2025 = query(demo_warehouse,
                    "select numerator, denominator, value from marts.kpi_yearly where "
                    "kpi_code = 'LEAD_SQ_BASIS_RETENTION' and period_type = 'year' "
                    "and period = '2025' and site_id is null")
    assert sq_2025 == [(32.0, 35.0, pytest.approx(32 / 35))]


# --- a hand-built serving file -------------------------------------------------------------

QUARTERS = {  # period -> (start, end)
    "2025-Q1": (dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
    "2025-Q2": (dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
    "2025-Q3": (dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
    "2025-Q4": (dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
    "2026-Q1": (dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    "2026-Q2": (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
}
Q = list(QUARTERS)
SITES = ("S1", "S2")

# LEAD_SQ_BASIS_RETENTION (ratio of sums): calcs with / without a basis document, per
# (quarter, site): (with basis, calcs). S2 2025-Q2 and S1 2026-Q2 have none.
SQ = {
    ("2025-Q1", "S1"): (2, 3), ("2025-Q1", "S2"): (1, 1),
    ("2025-Q2", "S1"): (1, 1), ("2025-Q2", "S2"): (0, 0),
    ("2025-Q3", "S1"): (0, 2), ("2025-Q3", "S2"): (3, 5),
    ("2025-Q4", "S1"): (4, 4), ("2025-Q4", "S2"): (2, 2),
    ("2026-Q1", "S1"): (1, 2), ("2026-Q1", "S2"): (0, 1),
    ("2026-Q2", "S1"): (0, 0), ("2026-Q2", "S2"): (2, 3),
}
# LAG_RELEASES (sum): releases per (quarter, site).
RELEASES = {("2025-Q1", "S1"): 1, ("2025-Q2", "S2"): 2, ("2025-Q4", "S1"): 3,
            ("2026-Q1", "S2"): 1, ("2026-Q2", "S1"): 1}
# LEAD_RA_CURRENT (point in time): per (quarter, site), (current, active facilities).
RA = {
    ("2025-Q1", "S1"): (2, 2), ("2025-Q1", "S2"): (1, 3),
    ("2025-Q2", "S1"): (1, 2), ("2025-Q2", "S2"): (2, 3),
    ("2025-Q3", "S1"): (2, 2), ("2025-Q3", "S2"): (3, 3),
    ("2025-Q4", "S1"): (1, 2), ("2025-Q4", "S2"): (2, 4),
    ("2026-Q1", "S1"): (2, 2), ("2026-Q1", "S2"): (4, 4),
    ("2026-Q2", "S1"): (2, 3), ("2026-Q2", "S2"): (1, 4),
}
# LAG_OPEN_RISK_SCORE (point in time): open findings' scores per (quarter, site).
OPEN_RISK = {
    ("2025-Q1", "S1"): [21.0, 7.5], ("2025-Q2", "S1"): [21.0],
    ("2025-Q3", "S2"): [3.0, 3.0, 9.0], ("2025-Q4", "S1"): [14.0],
    ("2025-Q4", "S2"): [3.0], ("2026-Q1", "S1"): [14.0, 2.0], ("2026-Q2", "S2"): [6.5],
}
# ECO_FACTOR_INDEX: per (quarter, site), (value added, chemical t) of the quarter's months
# and of the base year's same quarter (base year 2025: the base of 2025-Qn is 2025-Qn).
ECO = {
    ("2025-Q1", "S1"): ((10.0, 2.0), (10.0, 2.0)), ("2025-Q1", "S2"): ((6.0, 3.0), (6.0, 3.0)),
    ("2025-Q2", "S1"): ((12.0, 2.0), (12.0, 2.0)), ("2025-Q2", "S2"): ((9.0, 3.0), (9.0, 3.0)),
    ("2025-Q3", "S1"): ((8.0, 4.0), (8.0, 4.0)), ("2025-Q3", "S2"): ((4.0, 1.0), (4.0, 1.0)),
    ("2025-Q4", "S1"): ((15.0, 5.0), (15.0, 5.0)), ("2025-Q4", "S2"): ((5.0, 5.0), (5.0, 5.0)),
    ("2026-Q1", "S1"): ((30.0, 3.0), (10.0, 2.0)), ("2026-Q1", "S2"): ((9.0, 3.0), (6.0, 3.0)),
    ("2026-Q2", "S1"): ((14.0, 1.0), (12.0, 2.0)), ("2026-Q2", "S2"): ((18.0, 2.0), (9.0, 3.0)),
}


def _fixture_events() -> list[tuple]:
    """Rows of fct_kpi_events for the fixture above: (kpi_code, period, site_id,
    event_type, event_id, in_denominator, in_numerator, numerator_value,
    denominator_value)."""
    rows: list[tuple] = []
    for (period, site), (hits, calcs) in SQ.items():
        for i in range(calcs):
            hit = i < hits
            rows.append(("LEAD_SQ_BASIS_RETENTION", period, site, "small_quantity_calc",
                         f"{site}-{period}-{i}", True, hit, float(hit), 1.0))
    for (period, site), count in RELEASES.items():
        for i in range(count):
            rows.append(("LAG_RELEASES", period, site, "incident", f"{site}-{period}-{i}",
                         False, True, 1.0, None))
    for (period, site), (current, active) in RA.items():
        for i in range(active):
            ok = i < current
            rows.append(("LEAD_RA_CURRENT", period, site, "active_facility",
                         f"{site}-F{i}@{period}", True, ok, float(ok), 1.0))
    for (period, site), scores in OPEN_RISK.items():
        for i, score in enumerate(scores):
            rows.append(("LAG_OPEN_RISK_SCORE", period, site, "open_finding",
                         f"{site}-FD{i}@{period}", False, True, score, None))
    for (period, site), ((va, t), (base_va, base_t)) in ECO.items():
        rows.append(("ECO_FACTOR_INDEX", period, site, "production_month",
                     f"{site}@{period}", False, True, va, t))
        rows.append(("ECO_FACTOR_INDEX", period, site, "base_year_production_month",
                     f"{site}@base-{period}", True, False, base_va, base_t))
    return rows


def _write_serving_file(data_dir: Path) -> None:
    """A serving file holding only what the semantic layer reads, written by hand."""
    path = data_dir / "serving" / "chemsafe_serving.duckdb"
    path.parent.mkdir(parents=True)
    first, last = QUARTERS[Q[0]][0], QUARTERS[Q[-1]][1]
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("""create table marts.fct_kpi_events (kpi_code varchar, period varchar,
            site_id varchar, event_type varchar, event_id varchar, event_date date,
            facility_id varchar, in_denominator boolean, in_numerator boolean,
            numerator_value double, denominator_value double, period_start date,
            period_end date, risk_tier varchar)""")
        for kpi, period, site, kind, eid, in_den, in_num, num, den in _fixture_events():
            start, end = QUARTERS[period]
            con.execute("insert into marts.fct_kpi_events values "
                        "(?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?, ?, ?, null)",
                        [kpi, period, site, kind, eid, start, in_den, in_num, num, den,
                         start, end])
        con.execute("create table marts.dim_sites (site_id varchar, site_name varchar)")
        con.execute("insert into marts.dim_sites values ('S1', 'one'), ('S2', 'two')")
        con.execute("create table marts.metricflow_time_spine as select cast(d as date) "
                    "as date_day from range(?::timestamp, ?::timestamp + interval 1 day, "
                    "interval 1 day) as t(d)", [first, last])


METRICS = ["lead_sq_basis_retention", "lag_releases", "lead_ra_current",
           "lag_open_risk_score", "eco_factor_index"]


@pytest.fixture(scope="module")
def hand_mf(demo_published: Path, tmp_path_factory: pytest.TempPathFactory
            ) -> dict[str, list[dict[str, str]]]:
    """`mf query` on the hand-built serving file (the semantic manifest is the project's,
    installed in target/ by the demo's publish): years by site and company, trailing four
    quarters, and a saved query of the disclosure package."""
    assert (PROJECT_ROOT / "target" / "semantic_manifest.json").is_file()
    data_dir = tmp_path_factory.mktemp("semantic-hand")
    _write_serving_file(data_dir)
    return mf_queries(data_dir, {
        "year_site": (METRICS, ["metric_time__year", "site"]),
        "year": (METRICS, ["metric_time__year"]),
        "t4q": ([f"{metric}_t4q" for metric in METRICS], ["metric_time__quarter"]),
        "saved": "disclosure_package_yearly",
    }, tmp_path_factory.mktemp("mf-hand"))


def _span_expected(quarters: list[str], site: str | None) -> dict[str, float | None]:
    """The rules, in plain Python, over the quarters of a span (a year, four trailing
    quarters), for one site or the company (site None)."""
    sites = SITES if site is None else (site,)

    def total(table: dict, index: int | None = None) -> float:
        out = 0.0
        for q in quarters:
            for s in sites:
                cell = table.get((q, s))
                if cell is None:
                    continue
                out += cell[index] if index is not None else cell
        return out

    def ratio(num: float, den: float) -> float | None:
        return None if den == 0 else num / den

    last = quarters[-1]
    ra_num = sum(RA.get((last, s), (0, 0))[0] for s in sites)
    ra_den = sum(RA.get((last, s), (0, 0))[1] for s in sites)
    eco = {k: (v[0][0], v[0][1], v[1][0], v[1][1]) for k, v in ECO.items()}
    current = ratio(total(eco, 0), total(eco, 1))
    base = ratio(total(eco, 2), total(eco, 3))
    return {
        "lead_sq_basis_retention": ratio(total(SQ, 0), total(SQ, 1)),
        "lag_releases": total(RELEASES),
        "lead_ra_current": ratio(ra_num, ra_den),
        "lag_open_risk_score": sum(sum(OPEN_RISK.get((last, s), [])) for s in sites),
        "eco_factor_index": None if current is None or not base else current / base,
    }


def test_hand_fixture_spells_out_the_pitfalls() -> None:
    """The fixture's figures by hand, so the expected values are not only the function
    above: 2025 company-wide basis retention is (2+1+0+4 + 1+0+3+2) / (3+1+2+4 + 1+0+5+2)
    = 13/18 = 0.7222, while the mean of its quarterly values would be (3/4 + 1 + 3/7 + 1)/4
    = 0.7946; 2025 risk-assessment currency is the year end's 3/6 = 0.5 (summing the
    quarters: 14/21 = 0.6667); the 2025 open risk score is Q4's 14 + 3 = 17 (summed: 81.5);
    the 2026 half-year factor index is (30+9+14+18)/(3+3+1+2) / ((10+6+12+9)/(2+3+2+3))
    = (71/9) / (37/10) = 2.1321."""
    year_2025 = _span_expected(Q[:4], None)
    assert year_2025["lead_sq_basis_retention"] == pytest.approx(13 / 18)
    assert year_2025["lead_ra_current"] == pytest.approx(0.5)
    assert year_2025["lag_open_risk_score"] == pytest.approx(17.0)
    assert year_2025["lag_releases"] == 6
    assert year_2025["eco_factor_index"] == pytest.approx(1.0)
    assert _span_expected(Q[4:], None)["eco_factor_index"] == pytest.approx((71 / 9) / 3.7)


@pytest.mark.slow
def test_year_figures_equal_the_rules_on_the_hand_fixture(hand_mf: dict) -> None:
    years = {"2025": Q[:4], "2026": Q[4:]}
    rows = hand_mf["year_site"] + hand_mf["year"]
    seen = set()
    wrong = []
    for row in rows:
        year, site = row["metric_time__year"][:4], row.get("site")
        if site == "":
            continue  # a year MetricFlow filled from the time spine, no site
        seen.add((year, site))
        want = _span_expected(years[year], site)
        for metric in METRICS:
            got = _number(row[metric])
            if got is None and metric in ("lag_releases", "lag_open_risk_score"):
                got = 0.0
            if not _same(got, want[metric]):
                wrong.append(f"{metric} {year} {site}: mf {got}, expected {want[metric]}")
    assert seen == {(y, s) for y in years for s in (*SITES, None)}
    assert wrong == []


@pytest.mark.slow
def test_trailing_four_quarters_equal_the_rules_on_the_hand_fixture(hand_mf: dict) -> None:
    values = {_quarter_label(row["metric_time__quarter"]): row for row in hand_mf["t4q"]}
    wrong = []
    for end in range(3, len(Q)):  # four quarters are in the fixture from its fourth on
        quarter = Q[end]
        want = _span_expected(Q[end - 3:end + 1], None)
        for metric in METRICS:
            got = _number(values[quarter][f"{metric}_t4q"])
            if not _same(got, want[metric]):
                wrong.append(f"{metric}_t4q {quarter}: mf {got}, expected {want[metric]}")
    assert wrong == []
    # by hand: the four quarters to 2026-Q1 (2025-Q2 .. 2026-Q1) of basis retention are
    # (1+0 + 0+3 + 4+2 + 1+0) / (1+0 + 2+5 + 4+2 + 2+1) = 11/17
    assert _number(values["2026-Q1"]["lead_sq_basis_retention_t4q"]) == pytest.approx(11 / 17)


@pytest.mark.slow
def test_disclosure_saved_query_runs(hand_mf: dict) -> None:
    """A saved query of the disclosure package runs; its KPIs are not in the hand-built
    file, so only the shape is checked: one column per disclosed KPI, by year."""
    header = list(hand_mf["saved"][0]) if hand_mf["saved"] else []
    assert header[0] == "metric_time__year"
    assert {"lead_ra_current", "lag_high_major_findings", "pse_tier1"} <= set(header)
