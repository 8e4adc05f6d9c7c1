"""Data contracts on the public marts: a change that would break an analyst's dashboard
(a column's type, a column gone) fails the build instead (on a sabotaged project copy)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from chemsafe.paths import DataPaths
from conftest import copy_project, dbt_in

CONTRACTED_FOLDERS = ("core", "findings", "kpi", "disclosure", "compliance", "semantic",
                      "reconciliation")
# Read outside dbt, so contracted like the marts: the audit models (schema audit) that
# expectations/controls.toml, chemsafe reconcile and the serving file's readers query.
AUDIT_MODELS = {"quarantine", "load_summary", "ingest_manifest"}


def test_every_public_mart_declares_its_contract(demo_published: Path) -> None:
    manifest = json.loads(
        (DataPaths(demo_published).dbt_target / "manifest.json").read_text(encoding="utf-8"))
    marts = [n for n in manifest["nodes"].values()
             if n["resource_type"] == "model"
             and (n["original_file_path"].split("/")[1:3] in
                  [["marts", f] for f in CONTRACTED_FOLDERS]
                  or n["original_file_path"].startswith("models/ingestion/"))]
    assert len(marts) >= 12
    assert AUDIT_MODELS | {"fct_reconciliation_lines", "fct_reconciliation_audit_sample"} <= {
        n["name"] for n in marts}
    for node in marts:
        assert node["contract"]["enforced"], node["name"]
        untyped = [c for c, doc in node["columns"].items() if not doc.get("data_type")]
        assert untyped == [], node["name"]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def broken_build(demo_published: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    # A private copy of the demo data directory, so the session's warehouse is untouched.
    data_dir = tmp_path_factory.mktemp("contracts") / "data"
    shutil.copytree(demo_published, data_dir, symlinks=True,
                    ignore=shutil.ignore_patterns("serving", "exports", "docs", "dashboard"))
    project = copy_project(tmp_path_factory.mktemp("contracts-project") / "chemsafe", data_dir)
    marts = project / "models" / "marts"
    # 1. A type change: release_category becomes text.
    _replace(marts / "core" / "dim_substances.sql", "select * from final",
             "select * replace (cast(release_category as varchar) as release_category) "
             "from final")
    # 2. A column disappears from a mart.
    _replace(marts / "core" / "dim_quarters.sql", "select * from final",
             "select * exclude (parameter_policy_version) from final")
    result = dbt_in(project, data_dir, "build", "--select", "dim_substances", "dim_quarters")
    assert result.returncode != 0, result.stdout[-3000:]
    return result.stdout


def _error_of(output: str, model: str) -> str:
    match = re.search(rf"Compilation Error in model {model}\b.*?(?=\n\S*\d\d:\d\d:\d\d  \S)",
                      output, flags=re.DOTALL)
    assert match, f"no error reported for {model}:\n{output[-4000:]}"
    return match.group(0)


def test_a_type_change_fails_the_build(broken_build: str) -> None:
    error = _error_of(broken_build, "dim_substances")
    assert "enforced contract that failed" in error
    assert re.search(r"release_category\s*\|\s*VARCHAR\s*\|\s*BIGINT\s*\|\s*data type mismatch",
                     error), error


def test_a_missing_column_fails_the_build(broken_build: str) -> None:
    error = _error_of(broken_build, "dim_quarters")
    assert "enforced contract that failed" in error
    assert re.search(r"parameter_policy_version\s*\|\s*\|\s*VARCHAR\s*\|\s*missing in definition",
                     error), error
