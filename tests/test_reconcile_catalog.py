"""The committed controls definition is consistent: controls.toml (words and SQL), the
Great Expectations file project (suites, validation definitions, checkpoints) and the
versioned thresholds seed name the same controls, measures and parameters. Reads the
files only (no warehouse, no GX import): a control that loses its expectation, a measure
nobody validates or a threshold nobody approved fails here before any run.
"""

from __future__ import annotations

import csv
import json
import re

import pytest

from chemsafe.reconcile.catalog import Catalog, gx_project_dir, load_catalog, parameters_of
from chemsafe.serving import PUBLISHED_SCHEMAS
from conftest import PROJECT_ROOT

GX = gx_project_dir()
# checkpoint -> the dataframe asset of its table of lines (one asset per checkpoint)
ASSETS = {"inventory_lines": "inventory_lines", "self_inspection_lines": "self_inspection_lines",
          "training_lines": "training_lines", "rejected_rows": "rejected_rows"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _json(folder: str) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((GX / folder).glob("*.json"))}


def _expectations() -> list[tuple[str, dict]]:
    return [(name, e) for name, suite in _json("expectations").items()
            for e in suite["expectations"]]


def _parameter(kwargs: dict) -> set[str]:
    return {v["$PARAMETER"] for v in kwargs.values() if isinstance(v, dict) and "$PARAMETER" in v}


def test_every_expectation_names_a_control_of_its_suite_and_its_meaning(
        catalog: Catalog) -> None:
    suite_of = {c.id: c.suite for c in catalog.controls}
    named = set()
    for suite, expectation in _expectations():
        meta = expectation["meta"]
        assert suite_of.get(meta["control_id"]) == suite, (suite, meta)
        assert len(meta["meaning"]) > 20, meta
        named.add(meta["control_id"])
    assert named == set(suite_of)


def _batch_columns(catalog: Catalog, checkpoint: str) -> set[str]:
    """The columns the checkpoint's SQL selects (its outermost select list)."""
    sql = catalog.batch_sql[checkpoint]
    select = sql[sql.index("select") + 6:sql.index("\nfrom")]
    return {item.split(" as ")[-1].split(".")[-1].strip() for item in select.split(",")}


def test_expectations_read_the_columns_of_their_checkpoints_lines(catalog: Catalog) -> None:
    for control in catalog.controls:
        columns = _batch_columns(catalog, control.checkpoint)
        assert "line_key" in columns, control.checkpoint
        for _, expectation in _expectations():
            if expectation["meta"]["control_id"] != control.id:
                continue
            kwargs = expectation["kwargs"]
            read = {kwargs.get(k) for k in ("column", "column_A", "column_B")} - {None}
            condition = kwargs.get("row_condition")
            if condition:
                read.add(condition["column"]["name"])
            assert read <= columns, (control.id, read - columns)


def test_each_control_has_one_threshold_one_severity_and_at_most_one_observed_mark(
        catalog: Catalog) -> None:
    for control in catalog.controls:
        mine = [e for _, e in _expectations() if e["meta"]["control_id"] == control.id]
        parameters = set().union(*(_parameter(e["kwargs"]) for e in mine))
        assert control.threshold in parameters or control.comparator == "<=", control.id
        assert len({e["severity"] for e in mine}) == 1, control.id
        marks = [e["meta"]["observed"] for e in mine if "observed" in e["meta"]]
        # ratio controls: GX's rate of the marked expectation, with mostly = the threshold
        assert (marks == ["rate"]) == (control.comparator == ">="), control.id
        for expectation in mine:
            if expectation["meta"].get("observed") == "rate":
                assert expectation["kwargs"]["mostly"] == {"$PARAMETER": control.threshold}
        assert "line_key" in control.exceptions_sql and "site_id" in control.exceptions_sql


def test_checkpoints_list_every_unexpected_line_by_its_key() -> None:
    for name, checkpoint in _json("checkpoints").items():
        assert checkpoint["result_format"]["result_format"] == "COMPLETE", name
        assert checkpoint["result_format"]["unexpected_index_column_names"] == ["line_key"]


def test_severity_is_critical_for_reconciliations_and_warning_for_field_data_quality(
        catalog: Catalog) -> None:
    severity = {e["meta"]["control_id"]: e["severity"] for _, e in _expectations()}
    assert {c: s for c, s in severity.items() if c.startswith("REC-")} == {
        c.id: "critical" for c in catalog.controls if c.id.startswith("REC-")}
    assert {c: s for c, s in severity.items() if c.startswith("DQ-")} == {
        c.id: "warning" for c in catalog.controls if c.id.startswith("DQ-")}


def test_checkpoints_run_the_suites_of_their_controls_on_their_asset(catalog: Catalog) -> None:
    checkpoints = _json("checkpoints")
    definitions = _json("validation_definitions")
    suites = _json("expectations")
    config = (GX / "great_expectations.yml").read_text(encoding="utf-8")
    assert set(checkpoints) == set(catalog.checkpoints()) == set(ASSETS)
    for name, checkpoint in checkpoints.items():
        assert checkpoint["actions"] == []  # no Data Docs, no notification
        expected = {c.suite for c in catalog.controls if c.checkpoint == name}
        listed = {v["name"] for v in checkpoint["validation_definitions"]}
        assert listed == expected, name
        for definition_name in listed:
            definition = definitions[definition_name]
            assert definition["suite"] == {"id": suites[definition_name]["id"],
                                           "name": definition_name}
            assert definition["data"]["asset"]["name"] == ASSETS[name]
            assert definition["data"]["asset"]["id"] in config
            assert definition["data"]["batch_definition"]["id"] in config


def test_every_parameter_has_a_versioned_threshold_and_none_is_orphaned(
        catalog: Catalog) -> None:
    used = set().union(*(_parameter(e["kwargs"]) for _, e in _expectations()))
    for control in catalog.controls:
        used |= set(parameters_of(control.exceptions_sql)) - {"quarter", "quarter_end"}
        used.add(control.threshold)  # "at most n lines": GX's count of lines against it
    seeded: dict[str, str] = {}
    with (PROJECT_ROOT / "seeds/reference/reconciliation_thresholds.csv").open(
            encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            seeded[row["parameter"]] = row["control_id"]
    assert used == set(seeded) | set(catalog.parameter_sql)
    assert set(catalog.parameter_sql) == {"rec_inv_01_min_hit_rate"}  # kpi_targets
    for parameter, control_id in seeded.items():
        assert parameter.startswith(control_id.lower().replace("-", "_")), parameter


def test_gx_project_is_offline_and_builds_no_data_docs() -> None:
    config = (GX / "great_expectations.yml").read_text(encoding="utf-8")
    assert re.search(r"^analytics_enabled: false$", config, re.MULTILINE)
    assert re.search(r"^data_docs_sites: \{\}$", config, re.MULTILINE)
    committed = [p for p in (PROJECT_ROOT / "expectations").rglob("*") if p.is_file()]
    assert len(committed) >= 12
    for path in committed:
        assert not re.search(r"https?://", path.read_text(encoding="utf-8")), path
    assert (GX / ".gitignore").read_text(encoding="utf-8").split() == ["uncommitted/"]
    assert not (GX / "uncommitted").exists()  # nothing run-time in the repository


def test_exception_sql_reads_documented_relations_only(catalog: Catalog) -> None:
    relations = set()
    for control in catalog.controls:
        relations |= set(re.findall(r"\b(?:from|join)\s+([a-z_]+\.[a-z_0-9]+)",
                                    control.exceptions_sql))
    assert relations == {
        "marts.fct_reconciliation_lines",  # the population, defined once in dbt
        "marts.fct_inventory_reconciliation", "marts.fct_self_inspection_reconciliation",
        "marts.fct_training_reconciliation", "marts.dim_facilities", "marts.dim_substances",
        "audit.quarantine",
    }
    # Only what the serving file holds: an auditor reruns every printed SQL on it.
    assert {r.split(".")[0] for r in relations} <= set(PUBLISHED_SCHEMAS)
    assert not any("raw." in c.exceptions_sql for c in catalog.controls)  # clear employee_no
