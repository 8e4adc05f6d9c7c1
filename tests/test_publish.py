"""Atomic publish: analysts' readers are never blocked, never see a mix, and a failed build
publishes nothing.

The scenario runs the real main job (`chemsafe run`: ingest, dbt build, publish) in another
process while this process holds a read-only connection on the serving file, and while a
third process keeps opening fresh read-only connections and checks each one sees one
complete publication. Then a build whose tests fail runs (`chemsafe publish` of a project
copy with a failing singular test) and must leave every published byte as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from chemsafe.paths import DataPaths
from chemsafe.publish import publish_built_warehouse
from chemsafe.serving import PublishError
from conftest import DEMO_EXTRACTS, chemsafe, copy_project, decode_extract, query

RENAMED_SITE = "한빛케미칼 울산 제1공장"
OLD_SITE = "한빛케미칼 울산공장"

# Fingerprint of every published table: row count and an order-independent hash of the
# rows (cast to text, so the same SQL works on any column type).
FINGERPRINT_SQL = """
select table_schema, table_name from information_schema.tables
where table_schema in ('marts', 'audit') order by 1, 2
"""


def fingerprints(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for schema, table in con.execute(FINGERPRINT_SQL).fetchall():
        row = con.execute(
            f'select count(*), coalesce(sum(hash(cast(t as varchar))), 0)::hugeint '
            f'from "{schema}"."{table}" as t'
        ).fetchall()[0]
        out[f"{schema}.{table}"] = (int(row[0]), int(row[1]))
    return out


# Runs in its own process: opens a fresh read-only connection on the serving file again
# and again until told to stop, and records for each one the publication it saw and
# whether every table holds the row count the publication recorded for it.
POLLER = r"""
import json, pathlib, sys, duckdb
serving, stop, out = map(pathlib.Path, sys.argv[1:4])
with out.open("w") as log:
    for _ in range(100000):
        if stop.exists():
            break
        try:
            with duckdb.connect(str(serving), read_only=True) as con:
                pub = con.execute("select publication_id from audit.publication").fetchall()
                expected = con.execute("select schema_name, table_name, row_count "
                                       "from audit.published_tables").fetchall()
                bad = [f"{s}.{t}" for s, t, n in expected if con.execute(
                    f'select count(*) from "{s}"."{t}"').fetchall()[0][0] != n]
            log.write(json.dumps({"publication": pub[0][0], "tables": len(expected),
                                  "inconsistent": bad}) + "\n")
        except Exception as exc:
            log.write(json.dumps({"error": repr(exc)}) + "\n")
        log.flush()
"""

READ_NEW = r"""
import json, sys, duckdb
with duckdb.connect(sys.argv[1], read_only=True) as con:
    pub = con.execute("select publication_id from audit.publication").fetchall()
    site = con.execute("select site_name from marts.dim_sites where site_id = 'S01'").fetchall()
    print(json.dumps({"publication": pub[0][0], "site": site[0][0]}))
"""


def renamed_site_extracts(target: Path) -> Path:
    """The demo drop with site S01 renamed (a change every analyst would notice)."""
    shutil.copytree(DEMO_EXTRACTS, target)
    sites = target / "sites.csv"
    text, encoding = decode_extract(sites.read_bytes())
    assert OLD_SITE in text
    sites.write_bytes(text.replace(OLD_SITE, RENAMED_SITE).encode(encoding))
    return target


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Scenario:
    data_dir: Path
    run: subprocess.CompletedProcess[str]
    old_publication: str
    old_before: dict[str, tuple[int, int]]
    old_after: dict[str, tuple[int, int]]
    old_site_after: str
    new_reader: dict[str, str]
    observations: list[dict[str, object]]
    after_run: Path  # a copy of the data directory right after the run: a passed build


@pytest.fixture(scope="module")
def scenario(demo_published: Path, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    # A data directory with a published demo build: a copy of the session's.
    data_dir = tmp_path_factory.mktemp("publish") / "data"
    shutil.copytree(demo_published, data_dir, symlinks=True)
    paths = DataPaths(data_dir)
    extracts = renamed_site_extracts(tmp_path_factory.mktemp("renamed") / "extracts")

    reader = duckdb.connect(str(paths.serving_db), read_only=True)
    try:
        old_publication = reader.execute(
            "select publication_id from audit.publication").fetchall()[0][0]
        old_before = fingerprints(reader)

        stop = data_dir.parent / "stop-poller"
        log = data_dir.parent / "poller.jsonl"
        poller = subprocess.Popen([sys.executable, "-c", POLLER, str(paths.serving_db),
                                   str(stop), str(log)])
        try:
            run = chemsafe(data_dir, "run", "--extracts", str(extracts), check=False)
        finally:
            stop.touch()
            poller.wait(timeout=120)

        # The connection opened before the build: still the old publication, whole.
        old_after = fingerprints(reader)
        old_site_after = reader.execute(
            "select site_name from marts.dim_sites where site_id = 'S01'").fetchall()[0][0]
    finally:
        reader.close()

    # A new connection, from a new process (a BI tool's next session).
    new_reader = json.loads(subprocess.run(
        [sys.executable, "-c", READ_NEW, str(paths.serving_db)], capture_output=True,
        text=True, check=True).stdout)
    observations = [json.loads(line) for line in log.read_text().splitlines()]
    after_run = data_dir.parent / "after-run"
    shutil.copytree(data_dir, after_run, symlinks=True)
    return Scenario(data_dir, run, old_publication, old_before, old_after, old_site_after,
                    new_reader, observations, after_run)


def test_build_and_publish_pass_while_a_reader_holds_the_serving_file(
        scenario: Scenario) -> None:
    assert scenario.run.returncode == 0, scenario.run.stderr[-3000:]
    assert "Published " in scenario.run.stdout


def test_the_open_connection_keeps_reading_the_old_publication(scenario: Scenario) -> None:
    assert scenario.old_after == scenario.old_before
    assert len(scenario.old_before) >= 20
    assert scenario.old_site_after == OLD_SITE


def test_a_new_connection_reads_the_new_publication(scenario: Scenario) -> None:
    record = json.loads(DataPaths(scenario.data_dir).publication_record.read_text())
    assert scenario.new_reader["publication"] == record["publication_id"]
    assert scenario.new_reader["publication"] != scenario.old_publication
    assert scenario.new_reader["site"] == RENAMED_SITE


def test_readers_during_the_build_each_saw_one_complete_publication(
        scenario: Scenario) -> None:
    seen = scenario.observations
    assert seen, "the poller made no observation"
    assert [o for o in seen if "error" in o] == []
    assert [o for o in seen if o["inconsistent"]] == []
    assert {o["publication"] for o in seen} <= {scenario.old_publication,
                                                scenario.new_reader["publication"]}
    assert all(int(str(o["tables"])) >= 20 for o in seen)


def test_publish_takes_dbt_models_and_auditor_results_not_stale_tables(
        scenario: Scenario) -> None:
    paths = DataPaths(scenario.after_run)
    with duckdb.connect(str(paths.warehouse)) as con:
        # Left behind by a model that was since removed: not part of the build.
        con.execute("create table marts.fct_removed_model as select 1 as x")
        # Written by `chemsafe reconcile` (not a dbt model): for auditors.
        con.execute("create table audit.reconciliation_results as "
                    "select '2026-Q2' as quarter, 'INV-HIT-RATE' as control_id")
        con.execute("comment on table audit.reconciliation_results is 'Control results.'")
    result = publish_built_warehouse(paths)
    published = {str(t.relation) for t in result.tables}
    assert "audit.reconciliation_results" in published
    assert "marts.fct_removed_model" not in published
    tables = {f"{s}.{n}" for s, n in query(
        paths.serving_db, "select schema_name, table_name from duckdb_tables()")}
    assert "audit.reconciliation_results" in tables
    assert "marts.fct_removed_model" not in tables
    assert (paths.parquet_exports / "audit" / "reconciliation_results.parquet").is_file()
    assert query(paths.serving_db, "select comment from duckdb_tables() "
                                   "where table_name = 'reconciliation_results'") \
        == [("Control results.",)]


# --- a build that fails its tests ---------------------------------------------------------

SABOTAGE_TEST = """
-- Fails on purpose (a test of the publish gate): returns rows once kpi_quarterly is built.
select kpi_code from {{ ref('kpi_quarterly') }} limit 1
"""


def published_state(paths: DataPaths) -> dict[str, str]:
    state = {
        "serving": sha256(paths.serving_db),
        "record": sha256(paths.publication_record),
        "docs": sha256(paths.docs_index),
        "dashboard": sha256(paths.dashboard_html),
        "exports_link": os.readlink(paths.parquet_exports),
    }
    for path in sorted(paths.parquet_exports.resolve().rglob("*")):
        if path.is_file():
            state[f"export:{path.name}"] = sha256(path)
    return state


@pytest.fixture(scope="module")
def failed_build(scenario: Scenario, tmp_path_factory: pytest.TempPathFactory
                 ) -> tuple[subprocess.CompletedProcess[str], dict[str, str], dict[str, str]]:
    paths = DataPaths(scenario.data_dir)
    # New extracts for the working warehouse (the original demo drop again)...
    chemsafe(scenario.data_dir, "ingest", str(DEMO_EXTRACTS))
    # ...built by a checkout whose tests fail: its own `chemsafe publish` (its src/).
    project = copy_project(tmp_path_factory.mktemp("sabotaged") / "chemsafe",
                           scenario.data_dir)
    (project / "tests" / "dbt" / "assert_publish_gate_sabotage.sql").write_text(SABOTAGE_TEST)
    before = published_state(paths)
    env = dict(os.environ, CHEMSAFE_DATA_DIR=str(scenario.data_dir),
               PYTHONPATH=str(project / "src"))
    env.pop("CHEMSAFE_PSEUDONYM_KEY", None)
    result = subprocess.run([sys.executable, "-m", "chemsafe.cli", "publish"], cwd=project,
                            env=env, capture_output=True, text=True, check=False)
    return result, before, published_state(paths)


def test_failed_build_exits_non_zero_and_says_nothing_was_published(failed_build) -> None:
    result, _, _ = failed_build
    assert result.returncode != 0
    assert "assert_publish_gate_sabotage" in result.stdout
    assert "nothing was published" in result.stderr


def test_failed_build_leaves_every_published_byte_unchanged(failed_build) -> None:
    _, before, after = failed_build
    assert after == before
    assert len([k for k in before if k.startswith("export:")]) > 20


def test_publish_refuses_the_working_warehouse_of_a_failed_build(scenario: Scenario,
                                                                 failed_build) -> None:
    # The gate does not trust its caller: dbt's run_results of the failed build say no.
    paths = DataPaths(scenario.data_dir)
    _, before, _ = failed_build
    with pytest.raises(PublishError, match="did not pass"):
        publish_built_warehouse(paths)
    assert published_state(paths) == before


def test_failed_build_did_rebuild_the_working_warehouse(scenario: Scenario,
                                                        failed_build) -> None:
    # The failing build really ran on new data: the working file has the demo's site
    # name again, while the serving file still has the renamed one.
    paths = DataPaths(scenario.data_dir)
    working = query(paths.warehouse, "select site_name from staging.stg_ehs__sites "
                                     "where site_id = 'S01'")
    serving = query(paths.serving_db, "select site_name from marts.dim_sites "
                                      "where site_id = 'S01'")
    assert working == [(OLD_SITE,)]
    assert serving == [(RENAMED_SITE,)]



# Runs `chemsafe publish --reuse-build` in its own process, the job stopped (SIGTERM to
# itself, as a scheduler's timeout sends it) just after the new serving file is installed
# and before the exports, the pages and the record are switched over.
STOP_DURING_SWITCH = r"""
import os, signal, sys
import chemsafe.publish as publish
from chemsafe.cli import main
swap = publish.swap_link
def swap_after_sigterm(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGTERM)
    return swap(*args, **kwargs)
publish.swap_link = swap_after_sigterm
sys.exit(main(["publish", "--reuse-build"]))
"""


def test_a_stop_during_the_switch_over_finishes_it_and_says_so(
        demo_published: Path, tmp_path: Path) -> None:
    """The switch-over is five steps (serving file, exports link, docs, dashboard, record):
    stopped after the first, readers saw the new serving file beside the old exports and
    pages, and the message said nothing half-done was published. A stop there now waits
    for the last step: every output names the same, new publication."""
    data_dir = tmp_path / "data"
    shutil.copytree(demo_published, data_dir, symlinks=True)
    paths = DataPaths(data_dir)
    before = json.loads(paths.publication_record.read_text(encoding="utf-8"))["publication_id"]

    run = subprocess.run([sys.executable, "-c", STOP_DURING_SWITCH], capture_output=True,
                         text=True, env={**os.environ, "CHEMSAFE_DATA_DIR": str(data_dir)},
                         timeout=600)

    assert run.returncode == 128 + 15, run.stderr
    record = json.loads(paths.publication_record.read_text(encoding="utf-8"))["publication_id"]
    with duckdb.connect(str(paths.serving_db), read_only=True) as con:
        serving = con.execute("select publication_id from audit.publication").fetchall()[0][0]
    exports = os.readlink(paths.parquet_exports).rsplit("/", 1)[-1]
    assert serving == record == exports != before
    assert record in paths.dashboard_html.read_text(encoding="utf-8")
    assert not [f.name for d in (paths.docs_dir, paths.dashboard_dir, paths.serving_dir)
                for f in d.iterdir() if f.name.startswith((".index.", ".chemsafe_serving."))]
    assert "stopped by SIGTERM" in run.stderr
    assert f"publication {record} was completed first" in run.stderr
    assert "Traceback" not in run.stderr
