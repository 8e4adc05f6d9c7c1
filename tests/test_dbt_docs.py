"""What dbt docs tells a newcomer: the project overview, who owns each mart, and exposures
that list every table their consumer really reads (read from the consumer's code, so a new
query that forgets its exposure fails here)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT

# exposure -> the code that is that consumer
CONSUMERS = {
    "auditor_reconciliation_report": ("src/chemsafe/reconcile", "expectations"),
    "ehs_dashboard": ("src/chemsafe/dashboard",),
}
RELATION = re.compile(r"\b(marts|audit|reference|staging|intermediate)\.([a-z][a-z0-9_]*)\b")


@pytest.fixture(scope="module")
def manifest(demo_published: Path) -> dict:
    return json.loads((demo_published / "dbt" / "target" / "manifest.json")
                      .read_text(encoding="utf-8"))


def _read_by(folders: tuple[str, ...]) -> set[str]:
    names: set[str] = set()
    for folder in folders:
        for path in (PROJECT_ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".py", ".toml", ".sql", ".json", ".yml"}:
                names |= {name for _, name in RELATION.findall(path.read_text("utf-8"))}
    return names


def test_every_exposure_lists_what_its_consumer_reads(manifest: dict) -> None:
    dbt_nodes = {node["name"]: node_id for node_id, node in manifest["nodes"].items()
                 if node["resource_type"] in {"model", "seed"}}
    for exposure, folders in CONSUMERS.items():
        declared = set(manifest["exposures"][f"exposure.chemsafe_esg.{exposure}"]
                       ["depends_on"]["nodes"])
        read = {dbt_nodes[name] for name in _read_by(folders) if name in dbt_nodes}
        assert read, f"found no table read by {exposure}'s code: {folders}"
        missing = sorted(node_id.split(".")[-1] for node_id in read - declared)
        assert missing == [], f"{exposure} reads {missing} without declaring them"
        unpublished = sorted(manifest["nodes"][node_id]["name"] for node_id in read
                             if manifest["nodes"][node_id]["schema"]
                             in {"staging", "intermediate"})
        assert unpublished == [], (f"{exposure} reads {unpublished}, which the serving "
                                   "file its readers receive does not hold")


def test_overview_and_owners(manifest: dict) -> None:
    overview = manifest["docs"]["doc.chemsafe_esg.__overview__"]["block_contents"]
    for must in ("Where to start", "kpi_quarterly", "Layers", "Where a KPI is computed"):
        assert must in overview
    owners = {group["name"]: group["owner"].get("name") for group in
              manifest["groups"].values()}
    marts = [node for node in manifest["nodes"].values()
             if node["resource_type"] == "model" and node["fqn"][1] == "marts"]
    assert marts
    for node in marts:
        assert node["access"] == "public", node["name"]
        assert owners.get(node["group"]), f"{node['name']}: no group with an owner"
