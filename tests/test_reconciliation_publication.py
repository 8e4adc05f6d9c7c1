"""Published reconciliation results belong to the published load (chemsafe.serving).

Load A is ingested, built and reconciled; then load B is ingested, built and published
without a reconciliation of its own: the serving file and the exports must not present
A's results as B's, and publication.json and the publish output say which quarter was
withheld and why. Reconciling B and publishing again publishes B's results, and the
auditor report names the load they describe.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from chemsafe.paths import DataPaths
from conftest import FIXTURES, chemsafe, private_copy, query

DROP = FIXTURES / "reconciliation"
QUARTER = "2026-Q2"
RECONCILIATION_TABLES = ("reconciliation_runs", "reconciliation_results",
                         "reconciliation_exceptions")


@dataclass(frozen=True)
class Loads:
    paths: DataPaths
    load_a: str
    load_b: str
    published_b: str  # stdout of the publish of B before B was reconciled
    record_b: dict
    serving_b: dict[str, int]  # rows of each reconciliation table in that serving file
    exported_b: dict[str, int]  # rows of each reconciliation Parquet export


def current_load(paths: DataPaths) -> str:
    return paths.current_seeds.resolve().name


def reconciliation_rows(paths: DataPaths) -> dict[str, int]:
    return {t: query(paths.serving_db, f"select count(*) from audit.{t}")[0][0]
            for t in RECONCILIATION_TABLES}


def exported_rows(paths: DataPaths) -> dict[str, int]:
    folder = paths.parquet_exports / "audit"
    with duckdb.connect() as con:
        return {t: con.execute(f"select count(*) from read_parquet('{folder / t}.parquet')")
                .fetchall()[0][0] for t in RECONCILIATION_TABLES}


def reconcile(paths: DataPaths) -> None:
    result = chemsafe(paths.root, "reconcile", "--quarter", QUARTER, check=False)
    assert result.returncode in (0, 1), result.stderr


@pytest.fixture(scope="module")
def loads(reconciliation_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Loads:
    # Load A: the fixture ingested and built once for the session (conftest), copied.
    paths = DataPaths(private_copy(reconciliation_build, tmp_path_factory, "two-loads"))
    load_a = current_load(paths)
    reconcile(paths)
    chemsafe(paths.root, "ingest", str(DROP))
    load_b = current_load(paths)
    assert load_b != load_a
    published = chemsafe(paths.root, "publish").stdout
    return Loads(paths, load_a, load_b, published,
                 json.loads(paths.publication_record.read_text(encoding="utf-8")),
                 reconciliation_rows(paths), exported_rows(paths))


def test_the_working_warehouse_still_holds_the_results_of_load_a(loads: Loads) -> None:
    assert query(loads.paths.warehouse, "select quarter, load_id from "
                                        "audit.reconciliation_runs") == [(QUARTER, loads.load_a)]


def test_a_publication_of_load_b_carries_no_result_of_load_a(loads: Loads) -> None:
    assert query(loads.paths.serving_db, "select load_id from audit.publication") \
        == [(loads.load_b,)]
    assert loads.serving_b == dict.fromkeys(RECONCILIATION_TABLES, 0)
    assert loads.exported_b == dict.fromkeys(RECONCILIATION_TABLES, 0)


def test_publication_json_and_output_say_what_was_withheld(loads: Loads) -> None:
    reconciliation = loads.record_b["reconciliation"]
    assert reconciliation["load_id"] == loads.load_b
    assert reconciliation["quarters"] == []
    assert [(q["quarter"], q["load_id"]) for q in reconciliation["withheld"]] \
        == [(QUARTER, loads.load_a)]
    assert (f"reconciliation results of load {loads.load_b}: none; withheld, reconciled on "
            f"another load: {QUARTER} (load {loads.load_a})") in loads.published_b


def test_reconciling_load_b_then_publishing_carries_its_results(loads: Loads) -> None:
    paths = loads.paths
    reconcile(paths)
    published = chemsafe(paths.root, "publish", "--reuse-build").stdout
    assert f"reconciliation results of load {loads.load_b}: {QUARTER}" in published
    assert query(paths.serving_db, "select quarter, load_id from audit.reconciliation_runs") \
        == [(QUARTER, loads.load_b)]
    rows = reconciliation_rows(paths)
    assert rows["reconciliation_runs"] == 1 and rows["reconciliation_results"] > 0
    assert exported_rows(paths) == rows
    record = json.loads(paths.publication_record.read_text(encoding="utf-8"))
    assert [(q["quarter"], q["load_id"]) for q in record["reconciliation"]["quarters"]] \
        == [(QUARTER, loads.load_b)]
    assert record["reconciliation"]["withheld"] == []
    report = (paths.reconciliation_report_dir(QUARTER)
              / f"reconciliation_report_{QUARTER}.html").read_text(encoding="utf-8")
    assert loads.load_b in report and "The load these results describe" in report
