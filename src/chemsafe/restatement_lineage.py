"""Which extract files a published KPI figure is computed from, by dbt's lineage.

A restated figure names the extract files that changed between the two loads
(chemsafe.restatements). Of those, only the files the figure is computed from can have
moved it: a change to drills.csv cannot restate a training KPI. The build's manifest
knows, for every model, the models, seeds and sources it reads; a source of the
`extracts` source is an extract file (its table name is the file's stem).

A KPI of kpi_quarterly or kpi_yearly is computed by the event model of its family,
`int_kpi_events__<family>` (dim_kpi_definitions.family), which fct_kpi_events unions with
every other family's. So the files of a KPI are the sources upstream of its table
reached without going through another family's event model: its family's files plus
what every KPI reads (the sites, the reporting window). A kpi_tier_quarterly measure
has no family: every file upstream of the table counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SOURCE = "extracts"  # the dbt source of the ingested extract files
FAMILY_MODEL = "int_kpi_events__"


@dataclass(frozen=True)
class Lineage:
    """The manifest's parent map, and how to name a node."""

    parents: dict[str, list[str]]
    names: dict[str, str]  # unique_id -> model name, for models
    files: dict[str, str]  # unique_id -> extract file name, for the extract sources

    @classmethod
    def of(cls, manifest: dict[str, Any]) -> Lineage | None:
        """From a dbt manifest; None when it lacks the maps (the restatements then name
        every changed file, as without lineage)."""
        try:
            return cls(
                parents=manifest["parent_map"],
                names={uid: node["name"] for uid, node in manifest["nodes"].items()
                       if node.get("resource_type") == "model"},
                files={uid: f"{source['name']}.csv"
                       for uid, source in manifest["sources"].items()
                       if source.get("source_name") == SOURCE},
            )
        except (KeyError, TypeError, AttributeError):
            return None

    def model(self, name: str) -> str | None:
        return next((uid for uid, n in self.names.items() if n == name), None)

    def files_of(self, mart: str, family: str | None) -> frozenset[str]:
        """The extract files upstream of `mart`, leaving out those reached only through
        another family's event model (every family's when `family` is None: all)."""
        start = self.model(mart)
        if start is None:
            return frozenset()
        own = f"{FAMILY_MODEL}{family}" if family else None
        seen: set[str] = set()
        todo = [start]
        while todo:
            uid = todo.pop()
            if uid in seen:
                continue
            seen.add(uid)
            name = self.names.get(uid, "")
            if own is not None and name.startswith(FAMILY_MODEL) and name != own:
                continue
            todo.extend(self.parents.get(uid, []))
        return frozenset(self.files[uid] for uid in seen if uid in self.files)


def narrowed(changed: str | None, relevant: Iterable[str]) -> str | None:
    """The changed files (comma-separated) that the figure reads. When lineage keeps none,
    all of them: a figure restated by a changed file always names one."""
    if not changed:
        return changed
    wanted = set(relevant)
    files = [f for f in changed.split(", ") if f in wanted]
    return ", ".join(files) if files else changed
