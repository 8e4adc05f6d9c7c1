"""The restatement log's baseline across three publications, on hand-built serving files.

chemsafe.restatements is run as the publisher runs it, on real DuckDB files holding the
tables it reads (publication, ingest manifest, the three KPI tables, the disclosure
package). Three publications:

- A: the first; nothing to compare with.
- B: a new drop (findings.csv changed): quarterly cell Q 1 -> 2, tier cell T 5 -> 6,
  package row P 10 -> 20; yearly cell Y unchanged (3).
- C: the same extract files as B, ingested again (another load id), published after a
  seed change: Q back to 1, T still 6, Y 3 -> 4, P still 20.

Expected for C, worked out by hand from those figures and the rule of the README (a
publication of the same drop keeps disclosing what the drop restated, against the figures
published before it; a figure that changed within the drop is listed against the
publication it replaced):
- T: restated against A (5 -> 6), the drop's change, still in force, findings.csv named;
- Q: back to A's figure but changed against B (2 -> 1): listed against B, no file named;
- Y: changed against B (3 -> 4) by the seed: listed against B, no file named;
- P: flagged, previously 10 in A.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from chemsafe.paths import DataPaths
from chemsafe.restatement_lineage import Lineage
from chemsafe.restatements import record_restatements
from chemsafe.serving import read_manifest
from conftest import query

QUARTERLY = "create table marts.kpi_quarterly (kpi_code varchar, period varchar, " \
            "site_id varchar, numerator double, denominator double, value double, " \
            "unit varchar)"
YEARLY = "create table marts.kpi_yearly (kpi_code varchar, period_type varchar, " \
         "period varchar, site_id varchar, numerator double, denominator double, " \
         "value double, unit varchar)"
TIER = "create table marts.kpi_tier_quarterly (measure_code varchar, period varchar, " \
       "site_id varchar, risk_tier varchar, numerator double, denominator double, " \
       "value double, unit varchar)"
PACKAGE = "create table marts.esg_disclosure_package (period_type varchar, period varchar, " \
          "item_code varchar, numerator double, denominator double, value double, " \
          "improvement_finding_id varchar, improvement_action_id varchar, " \
          "evidence_text varchar)"


def _publish(folder: Path, name: str, previous: Path | None, load_id: str, sha: str,
             q: float, y: float, t: float, p: float, sites_sha: str = "same",
             lineage: Lineage | None = None, case: str = "FND-1") -> Path:
    path = folder / f"{name}.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create schema audit")
        con.execute("create table audit.ingest_manifest (source_file varchar, sha256 varchar)")
        con.execute("insert into audit.ingest_manifest values ('findings.csv', ?), "
                    "('sites.csv', ?)", [sha, sites_sha])
        con.execute("create table marts.dim_kpi_definitions as "
                    "select 'LAG_X' as kpi_code, 'findings' as family")
        for ddl in (QUARTERLY, YEARLY, TIER, PACKAGE):
            con.execute(ddl)
        con.execute("insert into marts.kpi_quarterly values "
                    "('LAG_X', '2025-Q3', 'S01', ?, null, ?, 'count'), "
                    "('LAG_X', '2025-Q3', null, 9, null, 9, 'count')", [q, q])
        con.execute("insert into marts.kpi_yearly values "
                    "('LAG_X', 'year', '2025', null, ?, null, ?, 'count')", [y, y])
        con.execute("insert into marts.kpi_tier_quarterly values "
                    "('TIER_X', '2025-Q3', 'S01', 'HIGH', ?, null, ?, 'score'), "
                    "('TIER_X', '2025-Q3', 'S01', 'LOW', 1, null, 1, 'score')", [t, t])
        con.execute("insert into marts.esg_disclosure_package values "
                    "('year', '2025', 'ITEM_P', ?, 40, ?, null, null, null), "
                    "('year', '2025', 'ITEM_Z', 1, 1, 1, null, null, null), "
                    "('year', '2025', 'CASE', 5, null, 5, ?, ?, ?)",
                    [p, p / 40, case, f"CA-{case}", f"Finding {case} closed"])
        record_restatements(con, previous, name, datetime(2026, 12, 7), load_id, lineage)
        con.execute("create table audit.publication as select ? as publication_id, "
                    "? as load_id", [name, load_id])
    return path


def test_a_republication_of_the_same_drop_keeps_the_drops_baseline(tmp_path: Path) -> None:
    a = _publish(tmp_path, "A", None, "LA", "sha-a", q=1, y=3, t=5, p=10)
    b = _publish(tmp_path, "B", a, "LB", "sha-b", q=2, y=3, t=6, p=20)
    c = _publish(tmp_path, "C", b, "LC", "sha-b", q=1, y=4, t=6, p=20)
    with duckdb.connect(str(c), read_only=True) as con:
        rows = con.execute(
            "select publication_id, mart, kpi_code, period_type, period, site_id, risk_tier, "
            "previous_publication_id, previous_load_id, previous_value, value, "
            "changed_extract_files from marts.kpi_restatements order by all").fetchall()
        assert rows == [
            ("B", "kpi_quarterly", "LAG_X", "quarter", "2025-Q3", "S01", None,
             "A", "LA", 1.0, 2.0, "findings.csv"),
            ("B", "kpi_tier_quarterly", "TIER_X", "quarter", "2025-Q3", "S01", "HIGH",
             "A", "LA", 5.0, 6.0, "findings.csv"),
            ("C", "kpi_quarterly", "LAG_X", "quarter", "2025-Q3", "S01", None,
             "B", "LB", 2.0, 1.0, None),
            ("C", "kpi_tier_quarterly", "TIER_X", "quarter", "2025-Q3", "S01", "HIGH",
             "A", "LA", 5.0, 6.0, "findings.csv"),
            ("C", "kpi_yearly", "LAG_X", "year", "2025", None, None,
             "B", "LB", 3.0, 4.0, None),
        ]
        assert con.execute(
            "select publication_id, previous_publication_id, source_file, change, "
            "previous_sha256, sha256 from audit.restatement_extract_changes "
            "order by all").fetchall() == [
            ("B", "A", "findings.csv", "changed", "sha-a", "sha-b"),
            ("C", "A", "findings.csv", "changed", "sha-a", "sha-b"),
        ]
        assert con.execute(
            "select item_code, is_restated, previous_numerator, previous_denominator, "
            "previous_value, value, previous_publication_id "
            "from marts.esg_disclosure_package order by item_code").fetchall() == [
            ("CASE", False, None, None, None, 5.0, None),
            ("ITEM_P", True, 10.0, 40.0, 0.25, 0.5, "A"),
            ("ITEM_Z", False, None, None, None, 1.0, None),
        ]


def test_an_improvement_case_that_cites_another_finding_is_restated(tmp_path: Path) -> None:
    # The case's figure (5) is the same; the finding it cites is not: what the package
    # disclosed changed, and the previous citation is kept. C repeats it (same drop).
    a = _publish(tmp_path, "A", None, "LA", "sha-a", q=1, y=3, t=5, p=10, case="FND-1")
    b = _publish(tmp_path, "B", a, "LB", "sha-b", q=1, y=3, t=5, p=10, case="FND-2")
    c = _publish(tmp_path, "C", b, "LC", "sha-b", q=1, y=3, t=5, p=10, case="FND-2")
    for path in (b, c):
        assert query(path, "select is_restated, previous_improvement_finding_id, "
                           "improvement_finding_id, previous_improvement_action_id, "
                           "previous_evidence_text, previous_value, previous_publication_id "
                           "from marts.esg_disclosure_package where item_code = 'CASE'") \
            == [(True, "FND-1", "FND-2", "CA-FND-1", "Finding FND-1 closed", 5.0, "A")]


def test_a_new_drop_starts_from_the_publication_it_replaces(tmp_path: Path) -> None:
    # After C (same drop as B), D is a new drop with every figure as in C: nothing is
    # restated, though C still disclosed B's restatements against A.
    a = _publish(tmp_path, "A", None, "LA", "sha-a", q=1, y=3, t=5, p=10)
    b = _publish(tmp_path, "B", a, "LB", "sha-b", q=2, y=3, t=6, p=20)
    c = _publish(tmp_path, "C", b, "LC", "sha-b", q=2, y=3, t=6, p=20)
    d = _publish(tmp_path, "D", c, "LD", "sha-d", q=2, y=3, t=6, p=20)
    with duckdb.connect(str(d), read_only=True) as con:
        assert con.execute("select publication_id, count(*) from marts.kpi_restatements "
                           "group by all order by all").fetchall() == [("B", 2), ("C", 2)]
        assert con.execute("select count(*) from marts.esg_disclosure_package "
                           "where is_restated").fetchall() == [(0,)]
        assert con.execute("select previous_publication_id, previous_sha256, sha256 "
                           "from audit.restatement_extract_changes "
                           "where publication_id = 'D'").fetchall() == [("C", "sha-b", "sha-d")]


def test_rows_logged_before_the_log_named_its_table_are_quarterly_cells(
        tmp_path: Path) -> None:
    # A serving file of the earlier layout: the log had no mart, period_type, risk_tier.
    old = tmp_path / "old.duckdb"
    with duckdb.connect(str(old)) as con:
        con.execute("create schema marts; create schema audit")
        con.execute("create table audit.ingest_manifest (source_file varchar, sha256 varchar)")
        con.execute("insert into audit.ingest_manifest values ('findings.csv', 'sha-o')")
        con.execute(QUARTERLY)
        con.execute("insert into marts.kpi_quarterly values "
                    "('LAG_X', '2025-Q3', 'S01', 2, null, 2, 'count')")
        con.execute("create table marts.kpi_restatements (publication_id varchar, "
                    "published_at timestamp, previous_publication_id varchar, "
                    "load_id varchar, previous_load_id varchar, kpi_code varchar, "
                    "period varchar, site_id varchar, unit varchar, "
                    "previous_numerator double, numerator double, "
                    "previous_denominator double, denominator double, "
                    "previous_value double, value double, value_change double, "
                    "changed_extract_files varchar)")
        con.execute("insert into marts.kpi_restatements values ('O', '2026-12-01', 'N', "
                    "'LO', 'LN', 'LAG_X', '2025-Q3', 'S01', 'count', 1, 2, null, null, "
                    "1, 2, 1, 'findings.csv')")
        con.execute("create table audit.publication as select 'O' as publication_id, "
                    "'LO' as load_id")
    new = _publish(tmp_path, "A", old, "LA", "sha-a", q=2, y=3, t=5, p=10)
    with duckdb.connect(str(new), read_only=True) as con:
        assert con.execute("select publication_id, mart, period_type, risk_tier, "
                           "previous_value, value from marts.kpi_restatements").fetchall() \
            == [("O", "kpi_quarterly", "quarter", None, 1.0, 2.0)]


def _graph() -> Lineage:
    """kpi_quarterly <- fct_kpi_events <- the findings and drills families' event models;
    kpi_tier_quarterly <- fct_findings; sites.csv read by every KPI (dim_sites)."""
    model = "model.p.{}".format
    source = "source.p.extracts.{}".format
    parents = {
        model("kpi_quarterly"): [model("fct_kpi_events"), model("dim_sites")],
        model("kpi_yearly"): [model("kpi_quarterly")],
        model("fct_kpi_events"): [model("int_kpi_events__findings"),
                                  model("int_kpi_events__drills")],
        model("int_kpi_events__findings"): [source("findings")],
        model("int_kpi_events__drills"): [source("drills")],
        model("kpi_tier_quarterly"): [model("fct_findings")],
        model("fct_findings"): [source("findings")],
        model("dim_sites"): [source("sites")],
    }
    names = {uid: uid.split(".")[-1] for uid in parents}
    files = {source(n): f"{n}.csv" for n in ("findings", "drills", "sites")}
    return Lineage(parents, names, files)


def test_a_restated_figure_names_the_changed_files_it_reads(tmp_path: Path) -> None:
    # findings.csv and sites.csv both change. LAG_X (family findings) reads both; TIER_X
    # (kpi_tier_quarterly) reads findings.csv only, by the graph above.
    lineage = _graph()
    assert lineage.files_of("kpi_quarterly", "findings") == {"findings.csv", "sites.csv"}
    assert lineage.files_of("kpi_quarterly", "drills") == {"drills.csv", "sites.csv"}
    a = _publish(tmp_path, "A", None, "LA", "sha-a", q=1, y=3, t=5, p=10)
    b = _publish(tmp_path, "B", a, "LB", "sha-b", q=2, y=4, t=6, p=20, sites_sha="other",
                 lineage=lineage)
    assert query(b, "select mart, changed_extract_files from marts.kpi_restatements "
                    "order by all") == [
        ("kpi_quarterly", "findings.csv, sites.csv"),
        ("kpi_tier_quarterly", "findings.csv"),
        ("kpi_yearly", "findings.csv, sites.csv"),
    ]


def test_the_demo_builds_lineage_follows_each_kpi_family(demo_published: Path) -> None:
    # kpi_spec: LEAD_DRILL_ADEQUACY counts drills.csv, LEAD_TRAINING_PASS training_records.csv
    lineage = Lineage.of(read_manifest(DataPaths(demo_published).dbt_target / "manifest.json"))
    assert lineage is not None
    drills = lineage.files_of("kpi_quarterly", "drills")
    training = lineage.files_of("kpi_quarterly", "training")
    assert "drills.csv" in drills and "training_records.csv" not in drills
    assert "training_records.csv" in training and "drills.csv" not in training
    assert {"drills.csv", "training_records.csv"} <= lineage.files_of("kpi_quarterly", None)
