"""The engine floor: the SQL dbt compiled, executed directly in DuckDB in dependency order.

    python -m chemsafe.bench.floor MANIFEST WAREHOUSE FLOOR_DB

Reads dbt's manifest.json (written by the build being compared), copies the small
reference seed tables from the built warehouse, then creates every model (table or view,
as configured) and runs every data test query, in topological order, with no dbt in the
loop. The floor database file has the same name as the warehouse so the compiled
three-part names resolve. Prints the elapsed seconds as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import duckdb

from chemsafe.build_memory import build_memory_limit

PROJECT = "chemsafe_esg"


def _order(nodes: dict[str, dict[str, Any]]) -> list[str]:
    graph = {
        uid: [d for d in node.get("depends_on", {}).get("nodes", []) if d in nodes]
        for uid, node in nodes.items()
    }
    return list(TopologicalSorter(graph).static_order())


def run_floor(manifest_path: Path, warehouse: Path, floor_db: Path) -> float:
    manifest = json.loads(manifest_path.read_text())
    nodes = {
        uid: node for uid, node in manifest["nodes"].items()
        if node.get("package_name") == PROJECT
        and node["resource_type"] in ("model", "test", "seed")
        and node.get("config", {}).get("enabled", True)
    }
    if floor_db.exists():
        floor_db.unlink()
    con = duckdb.connect(str(floor_db))
    # the same engine settings as the dbt profile
    con.execute("set preserve_insertion_order = false")
    con.execute(f"set memory_limit = '{build_memory_limit()}'")
    con.execute(f"attach '{warehouse}' as built (read_only)")
    started = time.perf_counter()
    for schema in sorted({n["schema"] for n in nodes.values() if n["resource_type"] != "test"}):
        con.execute(f'create schema if not exists "{schema}"')
    for uid in _order(nodes):
        node = nodes[uid]
        kind = node["resource_type"]
        relation = f'"{node["schema"]}"."{node["alias"]}"'
        if kind == "seed":
            con.execute(f"create or replace table {relation} as "
                        f'select * from built."{node["schema"]}"."{node["alias"]}"')
        elif kind == "model":
            materialized = node["config"]["materialized"]
            what = "view" if materialized == "view" else "table"
            con.execute(f"create or replace {what} {relation} as {node['compiled_code']}")
        elif node.get("compiled_code"):
            con.execute(f"select count(*) from ({node['compiled_code']}) as dbt_test")
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def main(argv: list[str]) -> int:
    manifest, warehouse, floor_db = (Path(a) for a in argv[:3])
    print(json.dumps({"floor_s": run_floor(manifest, warehouse, floor_db)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
