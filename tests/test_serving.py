"""What the main job published for analysts, checked against the working warehouse and
the dbt manifest: the serving file, its comments and keys, the Parquet exports, the docs."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import stat
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from browser import dump_dom
from chemsafe.paths import DataPaths
from chemsafe.restatements import PACKAGE_COLUMNS
from conftest import query

PUBLISHED_SCHEMAS = {"marts", "audit"}
PUBLISHER_TABLES = {"audit.publication", "audit.published_tables"}
# Written by the publisher too, and exported: the restatement log (chemsafe.restatements),
# plus the restatement columns it adds to the disclosure package.
RESTATEMENT_TABLES = {"marts.kpi_restatements", "audit.restatement_extract_changes"}
PACKAGE = "marts.esg_disclosure_package"


@pytest.fixture(scope="module")
def paths(demo_published: Path) -> DataPaths:
    return DataPaths(demo_published)


@pytest.fixture(scope="module")
def manifest(paths: DataPaths) -> dict:
    return json.loads((paths.dbt_target / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def published_models(manifest: dict) -> dict[str, dict]:
    """The dbt models that belong in the serving file, by schema.name."""
    return {
        f"{node['schema']}.{node['alias']}": node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] in PUBLISHED_SCHEMAS
    }


def serving_tables(paths: DataPaths) -> set[str]:
    return {f"{s}.{t}" for s, t in query(
        paths.serving_db, "select schema_name, table_name from duckdb_tables()")}


# --- the serving file -----------------------------------------------------------------------

def test_serving_file_holds_exactly_the_marts_and_the_audit_tables(
        paths: DataPaths, published_models: dict[str, dict]) -> None:
    tables = serving_tables(paths)
    assert tables == set(published_models) | PUBLISHER_TABLES | RESTATEMENT_TABLES
    assert "audit.quarantine" in tables
    assert "marts.fct_reconciliation_quarter_summary" in tables  # for auditors
    assert {t.split(".")[0] for t in tables} == PUBLISHED_SCHEMAS
    # Tables only: no view that would point back at the working file.
    assert query(paths.serving_db, "select count(*) from duckdb_views() where not internal") \
        == [(0,)]


def test_serving_file_is_self_contained(paths: DataPaths, tmp_path: Path) -> None:
    # Alone in another folder (as on an analyst's laptop) it answers every query.
    alone = tmp_path / "copy.duckdb"
    shutil.copyfile(paths.serving_db, alone)
    with duckdb.connect(str(alone), read_only=True) as con:
        for schema, table in con.execute(
                "select schema_name, table_name from duckdb_tables()").fetchall():
            con.execute(f'select * from "{schema}"."{table}" limit 1').fetchall()
        assert con.execute("select count(*) from duckdb_databases() "
                           "where not internal").fetchall() == [(1,)]


def test_serving_tables_equal_the_working_warehouse(paths: DataPaths,
                                                    published_models: dict[str, dict]) -> None:
    with duckdb.connect(str(paths.serving_db), read_only=True) as con:
        con.execute(f"attach '{paths.warehouse}' as wh (read_only)")
        for name in published_models:
            schema, table = name.split(".")
            served = ("* exclude (" + ", ".join(PACKAGE_COLUMNS) + ")" if name == PACKAGE
                      else "*")
            mismatch = con.execute(
                f'select count(*) from ((select {served} from "{schema}"."{table}" except all '
                f'select * from wh."{schema}"."{table}") union all '
                f'(select * from wh."{schema}"."{table}" except all '
                f'select {served} from "{schema}"."{table}"))').fetchall()
            assert mismatch == [(0,)], name


def test_descriptions_land_as_comments_in_the_serving_file(
        paths: DataPaths, published_models: dict[str, dict]) -> None:
    tables = dict(query(paths.serving_db, "select schema_name || '.' || table_name, comment "
                                          "from duckdb_tables()"))
    columns = {
        (t, c): comment for t, c, comment in query(
            paths.serving_db, "select schema_name || '.' || table_name, column_name, comment "
                              "from duckdb_columns()")
    }
    checked = 0
    for name, node in published_models.items():
        assert node["description"].strip(), f"{name} has no description"
        assert tables[name] == node["description"], name
        names = {c for (t, c) in columns if t == name}
        added = set(PACKAGE_COLUMNS) if name == PACKAGE else set()
        assert names == set(node["columns"]) | added, f"{name}: columns documented vs in the table"
        assert all(columns[(name, c)] for c in added)
        for column, doc in node["columns"].items():
            assert doc["description"].strip(), f"{name}.{column} has no description"
            assert columns[(name, column)] == doc["description"], f"{name}.{column}"
            checked += 1
    assert checked > 300
    # The publisher's own tables are documented too.
    for name in PUBLISHER_TABLES | RESTATEMENT_TABLES:
        assert tables[name]
        assert all(comment for (t, _), comment in columns.items() if t == name)


def test_contracted_marts_keep_their_keys_in_the_serving_file(
        paths: DataPaths, published_models: dict[str, dict]) -> None:
    keys = {
        f"{s}.{t}": cols for s, t, cols in query(
            paths.serving_db, "select schema_name, table_name, constraint_column_names "
                              "from duckdb_constraints() where constraint_type = 'PRIMARY KEY'")
    }
    contracted = {n: node for n, node in published_models.items()
                  if node["contract"]["enforced"]}
    assert len(contracted) >= 12
    for name, node in contracted.items():
        declared = [c["columns"] for c in node["constraints"] if c["type"] == "primary_key"] + [
            [col] for col, doc in node["columns"].items()
            if any(c["type"] == "primary_key" for c in doc["constraints"])
        ]
        if declared:
            assert keys.get(name) == declared[0], name
        else:
            assert node["config"]["meta"].get("primary_key_note"), \
                f"{name}: neither a primary key nor the documented reason for none"
    assert keys["marts.dim_facilities"] == ["facility_id"]
    # The large facts carry no key index (it would have to fit in memory while they build);
    # their grain is documented and tested instead.
    for big in ("marts.fct_findings", "marts.fct_finding_quarter_snapshots",
                "marts.fct_kpi_events"):
        assert big not in keys
        assert "No PRIMARY KEY" in contracted[big]["config"]["meta"]["primary_key_note"]


def test_serving_file_is_read_only_on_disk_and_recorded(paths: DataPaths) -> None:
    mode = paths.serving_db.stat().st_mode
    assert not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert not paths.serving_db.with_name(paths.serving_db.name + ".wal").exists()
    record = json.loads(paths.publication_record.read_text(encoding="utf-8"))
    (publication_id, load_id), = query(paths.serving_db,
                                       "select publication_id, load_id from audit.publication")
    assert record["publication_id"] == publication_id
    assert query(paths.warehouse, "select distinct load_id from audit.ingest_manifest") \
        == [(load_id,)]
    counts = dict(query(paths.serving_db, "select schema_name || '.' || table_name, row_count "
                                          "from audit.published_tables"))
    assert {t["table"]: t["row_count"] for t in record["tables"]} == counts


# --- Parquet exports ------------------------------------------------------------------------

def export_path(paths: DataPaths, table: str) -> Path:
    schema, name = table.split(".")
    folder = paths.parquet_exports if schema == "marts" else paths.parquet_exports / schema
    return folder / f"{name}.parquet"


def checksum(con: duckdb.DuckDBPyConnection, source: str, columns: list[str]) -> tuple:
    """Row count and an order-independent hash of the given columns, as text."""
    cells = ", ".join(f'coalesce(cast("{c}" as varchar), chr(0))' for c in columns)
    return con.execute(
        f"select count(*), coalesce(sum(hash(list_value({cells}))), 0)::hugeint "
        f"from {source}").fetchall()[0]


def test_every_mart_has_its_parquet_export(paths: DataPaths,
                                           published_models: dict[str, dict]) -> None:
    marts = {n.split(".")[1] for n in set(published_models) | RESTATEMENT_TABLES
             if n.startswith("marts.")}
    files = {p.stem for p in paths.parquet_exports.glob("*.parquet")}
    assert files == marts
    assert paths.parquet_exports.is_symlink()
    assert not Path(str(paths.parquet_exports.readlink())).is_absolute()


def test_parquet_exports_round_trip(paths: DataPaths) -> None:
    tables = sorted(serving_tables(paths) - PUBLISHER_TABLES)
    with duckdb.connect(str(paths.serving_db), read_only=True) as con:
        for table in tables:
            schema, name = table.split(".")
            parquet = export_path(paths, table)
            sidecar = json.loads(parquet.with_name(f"{name}.schema.json").read_text("utf-8"))
            columns = [c["name"] for c in sidecar["columns"]]
            keys = sidecar["primary_key"] or columns
            source = f"read_parquet('{parquet}')"
            served = f'"{schema}"."{name}"'
            assert checksum(con, source, keys) == checksum(con, served, keys), table
            assert checksum(con, source, columns) == checksum(con, served, columns), table
            assert sidecar["row_count"] == checksum(con, served, keys)[0]
            assert sidecar["sha256"] == hashlib.sha256(parquet.read_bytes()).hexdigest()


def test_every_export_names_its_grain_and_the_data_holds_it(paths: DataPaths) -> None:
    """A BI tool reads the sidecar's grain (the key constraint, else the tested grain):
    every exported table has one, and no two rows of the file share its values (NULLs
    compared as equal, as the company rows' site_id)."""
    files = sorted(paths.parquet_exports.resolve().rglob("*.parquet"))
    assert len(files) >= 25
    grains = {}
    with duckdb.connect() as con:
        for parquet in files:
            sidecar = json.loads(parquet.with_name(f"{parquet.stem}.schema.json")
                                 .read_text("utf-8"))
            grain = sidecar["grain"]
            meta = pq.read_schema(parquet).metadata or {}
            assert json.loads(meta[b"chemsafe.grain"]) == grain, parquet.name
            assert grain and (not sidecar["primary_key"] or grain == sidecar["primary_key"])
            (rows, distinct), = con.execute(
                f"select count(*), (select count(*) from (select distinct "
                f"{', '.join(chr(34) + c + chr(34) for c in grain)} "
                f"from read_parquet('{parquet}'))) from read_parquet('{parquet}')").fetchall()
            assert rows == distinct, (parquet.name, grain)
            grains[parquet.stem] = grain
    # the grains the README's table of marts documents
    assert grains["kpi_quarterly"] == ["kpi_code", "period", "site_id"]
    assert grains["kpi_yearly"] == ["kpi_code", "period_type", "period", "site_id"]
    assert grains["fct_findings"] == ["finding_id"]
    assert grains["fct_kpi_events"] == ["kpi_code", "period", "event_type", "event_id"]


def test_parquet_exports_carry_the_column_documentation(paths: DataPaths) -> None:
    (publication_id,), = query(paths.serving_db, "select publication_id from audit.publication")
    comments = {
        (f"{s}.{t}", c): comment for s, t, c, comment in query(
            paths.serving_db, "select schema_name, table_name, column_name, comment "
                              "from duckdb_columns()")
    }
    table_comments = dict(query(paths.serving_db, "select schema_name || '.' || table_name, "
                                                  "comment from duckdb_tables()"))
    for table in sorted(serving_tables(paths) - PUBLISHER_TABLES):
        parquet = export_path(paths, table)
        schema = pq.read_schema(parquet)
        meta = {k.decode(): v.decode() for k, v in (schema.metadata or {}).items()}
        assert meta["chemsafe.publication_id"] == publication_id
        assert meta["chemsafe.description"] == table_comments[table]
        sidecar = json.loads(parquet.with_name(f"{parquet.stem}.schema.json").read_text("utf-8"))
        assert [c["name"] for c in sidecar["columns"]] == schema.names
        for field, documented in zip(schema, sidecar["columns"], strict=True):
            description = (field.metadata or {}).get(b"description", b"").decode()
            assert description == comments[(table, field.name)], (table, field.name)
            assert documented["description"] == description
        metadata = pq.ParquetFile(parquet).metadata
        if metadata.num_row_groups:  # an empty table (a first publication's log) has none
            assert metadata.row_group(0).column(0).compression == "SNAPPY"


# --- docs -----------------------------------------------------------------------------------

def test_docs_page_is_one_offline_file_with_the_exposures(paths: DataPaths) -> None:
    html = paths.docs_index.read_text(encoding="utf-8")
    # Everything inline: no script, stylesheet or font fetched from anywhere.
    assert not re.search(r"<script[^>]*\bsrc=", html)
    assert not re.search(r"<link[^>]*\bhref=[\"']?(https?:)?//", html)
    assert '"send_anonymous_usage_stats": false' in html  # keeps the page's tracker off
    for exposure in ("esg_disclosure_report", "auditor_reconciliation_report", "ehs_dashboard"):
        assert f'"exposure.chemsafe_esg.{exposure}"' in html


def test_docs_page_renders_offline_in_a_browser(paths: DataPaths) -> None:
    dom = dump_dom(paths.docs_index, virtual_time_budget_ms=10000)
    # The page's scripts built the navigation tree from the embedded manifest (the
    # manifest itself, inside a script element, does not count).
    rendered = re.sub(r"<script\b.*?</script>", "", dom, flags=re.DOTALL)
    assert 'data-nav-unique-id="model.chemsafe_esg.kpi_quarterly_status"' in rendered
    assert 'data-nav-unique-id="exposure.chemsafe_esg.ehs_dashboard"' in rendered
