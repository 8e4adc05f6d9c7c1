"""Running the main job twice on the same extracts yields identical tables."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
from conftest import DEMO_EXTRACTS, chemsafe

# Run metadata that legitimately differs between two runs: when and as which load the
# files were ingested. Everything else must be identical, row for row.
RUN_METADATA_COLUMNS = {"load_id", "loaded_at"}


def table_fingerprints(warehouse: Path) -> dict[str, tuple[int, str]]:
    """(row count, sha256 of the sorted rows) for every table and view outside `main`."""
    out: dict[str, tuple[int, str]] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema not in ('main', 'information_schema', 'pg_catalog') "
            "order by 1, 2"
        ).fetchall()
        for schema, name in relations:
            columns = [
                c for (c,) in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, name],
                ).fetchall()
                if c not in RUN_METADATA_COLUMNS
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f'select {select} from "{schema}"."{name}" order by all').fetchall()
            digest = hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()
            out[f"{schema}.{name}"] = (len(rows), digest)
    return out


def test_main_job_twice_gives_identical_tables(tmp_path: Path) -> None:
    chemsafe(tmp_path, "run", "--extracts", str(DEMO_EXTRACTS))
    first = table_fingerprints(tmp_path / "chemsafe.duckdb")
    chemsafe(tmp_path, "run", "--extracts", str(DEMO_EXTRACTS))
    second = table_fingerprints(tmp_path / "chemsafe.duckdb")
    assert first.keys() == second.keys()
    assert len(first) > 70  # raw, reference, staging and audit relations are all compared
    assert first["staging.stg_ehs__findings"][0] > 500
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []
