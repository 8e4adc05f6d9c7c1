"""Publish a passed build for analysts: serving file, Parquet exports, docs, dashboard.

Only the working warehouse of a ``dbt build`` that ran every node and passed every test is
published (checked against dbt's run_results.json, not assumed). Everything is first
written under temporary names; nothing visible changes until all of it is complete. Then,
each in one atomic step: the serving file is renamed over the old one, the exports link
is switched to the new release folder, the docs and dashboard pages are renamed over the
old ones, and publication.json records what is now published. A failure before that point
leaves every published artifact exactly as it was.

The reconciliation results (``audit.reconciliation_*``, written by ``chemsafe reconcile``)
are published only for the quarters reconciled on the load being published; a quarter
reconciled on another load is withheld, and publication.json says which is which.
"""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from chemsafe.atomic import (
    exclusive_lock,
    fsync_dir,
    fsync_file,
    replace_file,
    swap_link,
    write_text_atomic,
)
from chemsafe.build_memory import NOT_PASSED
from chemsafe.build_stamp import record_passed_build, why_not_reusable
from chemsafe.dashboard import write_dashboard
from chemsafe.db import first_row
from chemsafe.docs import DocsError, generate_docs
from chemsafe.exports import ExportedFile, grains_from_manifest, write_exports
from chemsafe.failures import duckdb_error_text, os_error_text, signals_held
from chemsafe.paths import DataPaths, project_root, semantic_manifest_path
from chemsafe.reconciliation_scope import (
    ReconciledQuarter,
    ReconciliationScope,
    reconciliation_scope,
)
from chemsafe.restatement_lineage import Lineage
from chemsafe.restatements import Restatements
from chemsafe.serving import (
    Publication,
    PublishedTable,
    PublishError,
    install_serving_file,
    read_manifest,
    relations_to_publish,
    write_serving_file,
)
from chemsafe.targets import adapter_type

KEEP_RELEASES = 3
FAILED_STATUSES = NOT_PASSED | {"skipped"}


@dataclass(frozen=True)
class BuildInfo:
    invocation_id: str | None
    dbt_version: str | None
    # The profile output it ran on (chemsafe.targets), as dbt recorded it.
    target: str | None = None
    # Published by `publish --reuse-build` without building again (chemsafe.build_stamp).
    reused: bool = False


@dataclass(frozen=True)
class PublishResult:
    publication: Publication
    tables: list[PublishedTable]
    exports: list[ExportedFile]
    paths: DataPaths
    reconciliation: ReconciliationScope
    restatements: Restatements


def passed_build(paths: DataPaths) -> BuildInfo:
    """The last dbt invocation recorded in the data directory, if it is a full `dbt
    build` where nothing failed; else PublishError."""
    run_results = paths.dbt_target / "run_results.json"
    try:
        results = json.loads(run_results.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PublishError(f"no dbt build recorded in {run_results}: {exc}") from exc
    args = results.get("args", {})
    if args.get("which") != "build":
        raise PublishError(f"the last dbt command was `{args.get('which')}`, not a build")
    if args.get("select") or args.get("exclude") or args.get("selector"):
        raise PublishError("the last dbt build was a selection; only a full build publishes")
    failed = [r.get("unique_id", "?") for r in results.get("results", [])
              if r.get("status") in FAILED_STATUSES]
    if failed:
        raise PublishError(f"the last dbt build did not pass: {len(failed)} node(s) failed "
                           f"or were skipped, e.g. {failed[0]}")
    metadata = results.get("metadata", {})
    return BuildInfo(metadata.get("invocation_id"), metadata.get("dbt_version"),
                     args.get("target"))


def remember_passed_build(paths: DataPaths) -> None:
    """Stamp the full build that just passed (chemsafe.build_stamp), so that a later
    `chemsafe publish --reuse-build` of the same load and project can skip rebuilding."""
    try:
        build = passed_build(paths)
    except PublishError:
        return
    if build.invocation_id:
        record_passed_build(paths, project_root(), build.invocation_id,
                            _load_id(paths.warehouse), paths.current_load(), build.target)


def why_build_not_reusable(paths: DataPaths, target: str | None = None) -> str | None:
    """None when the working warehouse holds the passed build of the current load by
    this project (on `target`, when given), untouched by dbt since
    (chemsafe.build_stamp); else the reason."""
    try:
        build = passed_build(paths)
    except PublishError as exc:
        return str(exc)
    return why_not_reusable(paths, project_root(), build.invocation_id,
                            _load_id(paths.warehouse), paths.current_load(), target)


def new_publication_id(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%S%fZ")


def _load_id(warehouse: Path) -> str | None:
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            row = first_row(con, "select max(load_id) from audit.ingest_manifest")
    except duckdb.Error:
        return None
    return None if row is None else row[0]


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file():
            fsync_file(path)
        elif path.is_dir():
            fsync_dir(path)
    fsync_dir(folder)


def _remove_leftovers(paths: DataPaths) -> None:
    """Staged files of a publish that was killed half-way (we hold the lock: no other
    publisher is writing them)."""
    patterns = [(paths.serving_dir, ".chemsafe_serving.*.duckdb*"),
                (paths.docs_dir, ".index.*.html"), (paths.dashboard_dir, ".index.*.html")]
    for folder, pattern in patterns:
        if folder.is_dir():
            for leftover in folder.glob(pattern):
                leftover.unlink(missing_ok=True)
    if paths.export_releases.is_dir():
        for partial in paths.export_releases.glob(".*.partial"):
            shutil.rmtree(partial, ignore_errors=True)


def _prune_releases(paths: DataPaths, keep: int) -> None:
    """Keep the newest releases (readers may still be reading one); drop the rest."""
    current = paths.parquet_exports.resolve() if paths.parquet_exports.exists() else None
    releases = sorted(p for p in paths.export_releases.iterdir()
                      if p.is_dir() and not p.name.startswith("."))
    for old in releases[:-keep] if keep else releases:
        if old.resolve() != current:
            shutil.rmtree(old, ignore_errors=True)


def _quarters(quarters: tuple[ReconciledQuarter, ...]) -> list[dict[str, str | None]]:
    return [{"quarter": q.quarter, "load_id": q.load_id, "run_id": q.run_id,
             "run_at": q.run_at.isoformat()} for q in quarters]


def _restatement_record(r: Restatements) -> dict[str, object]:
    return {
        "about": "Published KPI figures (cells of marts.kpi_quarterly, kpi_yearly and "
                 "kpi_tier_quarterly) this publication presents changed against the "
                 "figures published before its drop of extracts (GRI 2-4): the baseline "
                 "publication, which is the replaced one unless both present the same "
                 "extract files; rows in marts.kpi_restatements (append-only, every "
                 "publication), changed extract files in audit.restatement_extract_changes; "
                 "esg_disclosure_package.is_restated marks the package figures",
        "previous_publication_id": r.previous_publication_id,
        "previous_load_id": r.previous_load_id,
        "baseline_publication_id": r.baseline_publication_id,
        "restated_kpi_figures": r.restated_kpi_cells,
        "restated_disclosure_figures": r.restated_package_rows,
        "changed_extract_files": [
            {"file": c.source_file, "change": c.change, "previous_sha256": c.previous_sha256,
             "sha256": c.sha256} for c in r.extract_changes],
    }


def _record(publication: Publication, build: BuildInfo, tables: list[PublishedTable],
            exports: list[ExportedFile], paths: DataPaths,
            reconciliation: ReconciliationScope, restatements: Restatements) -> str:
    return json.dumps({
        "publication_id": publication.publication_id,
        "published_at": publication.published_at.isoformat(),
        "load_id": publication.load_id,
        "dbt_invocation_id": build.invocation_id,
        "dbt_version": build.dbt_version,
        "dbt_target": build.target,
        "engine": adapter_type(build.target) if build.target else None,
        "build_reused": build.reused,
        "serving_file": str(paths.serving_db),
        "exports": str(paths.export_releases / publication.publication_id),
        "docs": str(paths.docs_index),
        "dashboard": str(paths.dashboard_html),
        "reconciliation": {
            "load_id": reconciliation.load_id,
            "about": "audit.reconciliation_* hold the results of these quarters, reconciled "
                     "on this publication's load; withheld: quarters last reconciled on "
                     "another load (run `chemsafe reconcile --quarter <quarter>`, then "
                     "publish)",
            "quarters": _quarters(reconciliation.published),
            "withheld": _quarters(reconciliation.withheld),
        },
        "restatements": _restatement_record(restatements),
        "tables": [{"table": str(t.relation), "row_count": t.row_count,
                    "column_count": t.column_count} for t in tables],
        "export_files": [{"table": str(e.relation), "path": e.path.name,
                          "sha256": e.sha256} for e in exports],
    }, ensure_ascii=False, indent=2) + "\n"


def publish_built_warehouse(paths: DataPaths, expected_load_id: str | None = None,
                            reused: bool = False) -> PublishResult:
    """Publish the working warehouse of the build that just passed (see module doc); when
    expected_load_id is given, only if the warehouse was built from that load. `reused`:
    the build is an earlier one, checked reusable (chemsafe.build_stamp)."""
    build = replace(passed_build(paths), reused=reused)
    with exclusive_lock(paths.publish_lock):
        _remove_leftovers(paths)
        now = datetime.now(UTC)
        load_id = _load_id(paths.warehouse)
        if expected_load_id is not None and load_id != expected_load_id:
            raise PublishError(f"the working warehouse holds load {load_id}, not load "
                               f"{expected_load_id} that this job built")
        publication = Publication(new_publication_id(now), now, load_id,
                                  build.invocation_id, build.dbt_version)
        pid = publication.publication_id
        manifest = read_manifest(paths.dbt_target / "manifest.json")
        relations = relations_to_publish(manifest, paths.warehouse)
        reconciliation = reconciliation_scope(paths.warehouse, load_id)
        staged_db = paths.serving_dir / f".chemsafe_serving.{pid}.duckdb"
        partial = paths.export_releases / f".{pid}.partial"
        release = paths.export_releases / pid
        staged_docs = paths.docs_dir / f".index.{pid}.html"
        staged_dashboard = paths.dashboard_dir / f".index.{pid}.html"
        staged = [staged_db, staged_db.with_name(staged_db.name + ".wal"), staged_docs,
                  staged_dashboard]
        try:
            docs_page = generate_docs(paths)
            paths.serving_dir.mkdir(parents=True, exist_ok=True)
            tables, restatements = write_serving_file(
                paths.warehouse, staged_db, relations, publication, paths.serving_db,
                Lineage.of(manifest))
            paths.export_releases.mkdir(parents=True, exist_ok=True)
            exports = write_exports(staged_db, tables, publication, partial,
                                    grains_from_manifest(manifest))
            _fsync_tree(partial)
            partial.rename(release)
            fsync_dir(paths.export_releases)
            paths.docs_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(docs_page, staged_docs)
            write_dashboard(staged_db, staged_dashboard)
        except BaseException:
            for path in staged:
                path.unlink(missing_ok=True)
            for folder in (partial, release):
                shutil.rmtree(folder, ignore_errors=True)
            raise
        # Everything is complete on disk: switch readers over, one atomic step each, and
        # all of them: a stop asked for meanwhile waits for the last (signals_held).
        with signals_held(f"publication {pid}"):
            stale_wal = paths.serving_db.with_name(paths.serving_db.name + ".wal").exists()
            install_serving_file(staged_db, paths.serving_db)
            if stale_wal:
                print("chemsafe publish: warning: the old serving file had a write-ahead log "
                      "(something opened it for writing); it was moved aside",
                      file=sys.stderr)
            swap_link(paths.parquet_exports, release)
            replace_file(staged_docs, paths.docs_index)
            replace_file(staged_dashboard, paths.dashboard_html)
            write_text_atomic(paths.publication_record,
                              _record(publication, build, tables, exports, paths,
                                      reconciliation, restatements))
        try:  # after the swap: a read-only checkout must not turn a publication into an error
            install_semantic_manifest(paths)
        except OSError as exc:
            print(f"warning: `mf` (MetricFlow) will not see this build's metrics: "
                  f"{os_error_text(exc, paths.root)}", file=sys.stderr)
        _prune_releases(paths, KEEP_RELEASES)
    return PublishResult(publication, tables, exports, paths, reconciliation, restatements)


def install_semantic_manifest(paths: DataPaths, project: Path | None = None) -> Path | None:
    """Put the published build's semantic manifest where `mf` looks for it.

    MetricFlow's CLI reads it from chemsafe.paths.semantic_manifest_path whatever dbt's
    target path was, while chemsafe runs dbt with its target under the data directory.
    The manifest depends on the project's files only (not on the data), so every data
    directory of one checkout writes the same file. None when the build wrote none."""
    built = paths.dbt_target / semantic_manifest_path().name
    if not built.is_file():
        return None
    target = semantic_manifest_path(project)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(target, built.read_text(encoding="utf-8"))
    return target


def publish_and_report(paths: DataPaths, command: str = "publish",
                       load_id: str | None = None, reused: bool = False) -> int:
    """Publish (only the load `load_id`, when given) and print where everything is; an
    exit code for the CLI. `command` is the sub-command named in error messages."""
    try:
        result = publish_built_warehouse(paths, load_id, reused)
    except (PublishError, DocsError, duckdb.Error, OSError) as exc:
        if isinstance(exc, OSError):
            reason = os_error_text(exc, paths.root)
        elif isinstance(exc, duckdb.Error):
            reason = duckdb_error_text(exc, paths.root)
        else:
            reason = str(exc)
        print(f"chemsafe {command}: error: {reason}; nothing was published (the serving "
              "file, the exports and the pages are unchanged)", file=sys.stderr)
        return 3
    rows = sum(t.row_count for t in result.tables)
    print()
    print(f"Published {result.publication.publication_id} (load "
          f"{result.publication.load_id}): {len(result.tables)} tables, {rows} rows.")
    print(f"  serving file (open read-only)  {paths.serving_db}")
    print(f"  Parquet exports                {paths.parquet_exports}")
    print(f"  dbt docs (offline page)        {paths.docs_index}")
    print(f"  EHS dashboard                  {paths.dashboard_html}")
    print(reconciliation_text(result.reconciliation))
    print(restatement_text(result.restatements))
    return 0


def reconciliation_text(scope: ReconciliationScope) -> str:
    """What the publication says about the reconciliation results it carries."""
    published = ", ".join(q.quarter for q in scope.published) or "none"
    text = f"  reconciliation results of load {scope.load_id}: {published}"
    if scope.withheld:
        text += ("; withheld, reconciled on another load: "
                 + ", ".join(f"{q.quarter} (load {q.load_id})" for q in scope.withheld)
                 + " (run `chemsafe reconcile --quarter <quarter>`, then publish)")
    return text


def restatement_text(r: Restatements) -> str:
    """What the publication restated, one line."""
    if r.previous_publication_id is None:
        return "  restated figures: none (no previous publication to compare with)"
    files = ", ".join(c.source_file for c in r.extract_changes) or "none"
    cells = r.restated_kpi_cells
    return (f"  restated figures against {r.baseline_publication_id}: KPI figures: "
            f"{cells.get('kpi_quarterly', 0)} quarterly, {cells.get('kpi_yearly', 0)} yearly, "
            f"{cells.get('kpi_tier_quarterly', 0)} by tier; {r.restated_package_rows} "
            f"disclosure figure(s) (marts.kpi_restatements); extract files changed: {files}")


def not_published_notice() -> None:
    print("The build did not pass: nothing was published; analysts keep the previous "
          "serving file and exports.", file=sys.stderr)


__all__ = ["not_published_notice", "publish_and_report", "publish_built_warehouse"]
