"""The ``chemsafe`` command: the jobs around dbt.

    chemsafe ingest DIR   load a folder of extract files (all or nothing)
    chemsafe build        dbt build on what was ingested
    chemsafe run          the main job: ingest (default: the demo extracts), build, publish
    chemsafe publish      dbt build, then publish it for analysts if every test passed
    chemsafe paths        show where everything is written

`ingest`, `build`, `publish`, `run` and `reconcile` hold the data directory's job lock
(chemsafe.jobs). Expected failures (a full disk, a read-only data directory, a signal) are
one line on stderr; `chemsafe --debug ...` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from chemsafe.atomic import swap_link
from chemsafe.bench.cli import add_bench_parser
from chemsafe.build_memory import (
    SERIAL_RECORDS_ENV,
    THREADS_ENV,
    one_node_at_a_time,
    retry_alone,
    serial_build_records,
)
from chemsafe.clihelp import add_command
from chemsafe.contract import CONTRACT_MACRO, load_contract
from chemsafe.contract_doc import DOC_PATH, SOURCES_PATH, stale_files, write_generated
from chemsafe.dbt_runner import die_with_parent, run_dbt
from chemsafe.failures import Terminated, duckdb_error_text, os_error_text, stop_on_signals
from chemsafe.ingest import IngestError, LoadResult, ingest, reingest_current
from chemsafe.jobs import add_wait_option, exclusive
from chemsafe.keycheck import KeyChanged, check_key, load_key_problem, verify_key
from chemsafe.paths import (
    DATA_DIR_ENV,
    DataPaths,
    data_paths,
    output_paths,
    project_root,
    semantic_manifest_path,
)
from chemsafe.publish import (
    not_published_notice,
    publish_and_report,
    remember_passed_build,
    why_build_not_reusable,
)
from chemsafe.reconcile.cli import add_reconcile_parser
from chemsafe.summary import load_summary_text
from chemsafe.targets import (
    WORKING_TARGET,
    TargetError,
    add_target_option,
    chosen_target,
    is_pulled,
)

# What an unexpected stop (a full disk, ...) of a job leaves, said after the error.
STOPPED = {
    "ingest": "the load is rejected, the current load is unchanged",
    "build": "the build stopped; nothing was published",
    "publish": "nothing was published",
    "run": "nothing was published",
    "reconcile": "nothing was stored",
}


def demo_extracts_dir() -> Path:
    return project_root() / "demo" / "extracts"


def _print_load(result: LoadResult) -> None:
    print(f"Loaded {len(result.files)} extract files as load {result.load_id}:")
    for item in result.files:
        extras = f", extra columns kept: {', '.join(item.extra_columns)}" if item.extra_columns \
            else ""
        malformed = f", {item.malformed} malformed" if item.malformed else ""
        print(f"  {item.extract.file_name:<30} {item.fingerprint.label:<12} "
              f"{item.physical_lines:>9} lines {item.records_read:>9} records"
              f"{malformed}{extras}  "
              f"sha256 {item.fingerprint.sha256[:12]}…")
        if item.slow_path_reason:
            print(f"    read record by record (slower, same result): {item.slow_path_reason}")
    for name in result.ignored_files:
        print(f"  ignored (not an extract of the contract): {name}")


def load_extracts(folder: Path, command: str = "ingest") -> LoadResult | None:
    """Load a folder of extracts (all or nothing) and print what was loaded; None (and
    the reason on stderr) when the load was rejected."""
    paths = data_paths()
    try:
        result = ingest(folder, paths)
    except IngestError as exc:
        print(f"chemsafe {command}: error: {exc}", file=sys.stderr)
        if paths.current_seeds.exists():
            print("The previously loaded extracts are untouched.", file=sys.stderr)
        else:
            print("Nothing was loaded (this data directory has no earlier load).",
                  file=sys.stderr)
        return None
    _print_load(result)
    return result


def ingest_extracts(folder: Path, command: str = "ingest") -> int:
    return 0 if load_extracts(folder, command) else 2


def has_load(command: str) -> bool:
    """Whether something was ingested; if not, say so as `command`'s error."""
    paths = data_paths()
    if paths.current_seeds.exists():
        return True
    print(f"chemsafe {command}: error: nothing ingested yet; run `chemsafe ingest DIR` "
          f"first (data directory: {paths.root})", file=sys.stderr)
    return False


def key_checked(command: str, rekey: bool, dbt_args: Sequence[str] = ()) -> bool:
    """Whether dbt may build under this run's pseudonym key (chemsafe.keycheck); with
    `rekey`, the warehouse of another key is first removed. Says why not, or what it did."""
    paths = data_paths()
    if rekey and dbt_args:
        print(f"chemsafe {command}: error: --rekey rebuilds the whole warehouse; it takes no "
              f"dbt arguments ({' '.join(dbt_args)}); nothing was done", file=sys.stderr)
        return False
    # the load's key first: a refusal (or a failed rekey) leaves the warehouse untouched
    if not load_key_checked(command, rekey):
        return False
    try:
        check = check_key(paths.warehouse, rekey)
    except KeyChanged as exc:
        print(f"chemsafe {command}: error: {exc}", file=sys.stderr)
        return False
    for note in check.notes:
        print(f"chemsafe {command}: {note}", file=sys.stderr)
    return True


def load_key_checked(command: str, rekey: bool) -> bool:
    """Whether the current load was ingested under this run's key (its personal data is
    hashed at ingest); with `rekey`, a load of another key is ingested again from its
    files under this key."""
    paths = data_paths()
    problem = load_key_problem(paths.current_seeds.resolve())
    if problem is None:
        return True
    if not rekey:
        print(f"chemsafe {command}: error: {problem}", file=sys.stderr)
        return False
    try:
        result = reingest_current(paths)
    except (IngestError, OSError) as exc:
        print(f"chemsafe {command}: error: --rekey: the current load could not be ingested "
              f"again under the new key ({exc}); run `chemsafe run --extracts DIR --rekey`",
              file=sys.stderr)
        return False
    print(f"chemsafe {command}: --rekey: the current load was ingested again under the new "
          f"key as load {result.load_id}", file=sys.stderr)
    return True


def build_current(dbt_args: Sequence[str] = (), command: str = "build",
                  rekey: bool = False, target: str = WORKING_TARGET) -> int:
    """dbt build on the current load (under the warehouse's pseudonym key, or rebuilt
    under a new one with `rekey`) on `target`, then the load summary."""
    if not has_load(command) or not key_checked(command, rekey, dbt_args):
        return 2
    return dbt_build(dbt_args, target, command)


def pull_into_warehouse(paths: DataPaths, target: str, command: str) -> int:
    """After a passed full build on `target` (Spark): its marts, audit tables and reference
    seeds into the working DuckDB file, in one transaction (chemsafe.spark_pull), in a
    process of its own so that its JVM ends with it."""
    print(f"\nPulling the build on `{target}` into the working warehouse {paths.warehouse}")
    result = subprocess.run(
        [sys.executable, "-m", "chemsafe.spark_pull", "--data-dir", str(paths.root),
         "--warehouse", str(paths.warehouse),
         "--manifest", str(paths.dbt_target / "manifest.json"), "--target", target],
        preexec_fn=die_with_parent(), check=False)
    if result.returncode:
        print(f"chemsafe {command}: error: the build on `{target}` passed but pulling it "
              f"into {paths.warehouse} failed (exit code {result.returncode}); the working "
              "warehouse is as it was before the pull", file=sys.stderr)
        return 1
    return 0


def dbt_build(dbt_args: Sequence[str] = (), target: str = WORKING_TARGET,
              command: str = "build") -> int:
    """dbt build on the current load on `target` (pulled into the working DuckDB file
    when it is another engine), then the load summary."""
    paths = data_paths()
    threads = _threads_for_load(paths, dbt_args, target, command)
    if threads is None:
        return 2
    code = run_dbt(paths, ["build", *threads, *dbt_args], target=target)
    if code != 0 and not is_pulled(target):  # DuckDB: a failure of its memory bound alone?
        retried = retry_alone(paths.dbt_target, command,
                              lambda args: run_dbt(paths, args, target=target))
        code = code if retried is None else retried
    if code == 0 and is_pulled(target):
        if dbt_args:
            print(f"chemsafe {command}: a selective build on `{target}` is not pulled into "
                  "the working warehouse (only a full build is); the working warehouse "
                  "holds the last full build", file=sys.stderr)
        else:
            code = pull_into_warehouse(paths, target, command)
    if code == 0 and not dbt_args:
        remember_passed_build(paths)
    if paths.warehouse.exists():
        try:
            print()
            print(load_summary_text(paths.warehouse))
        except Exception as exc:  # the summary is a courtesy; dbt's exit code rules
            print(f"(load summary unavailable: {exc})", file=sys.stderr)
    return code


def _threads_for_load(paths: DataPaths, dbt_args: Sequence[str], target: str,
                      command: str) -> list[str] | None:
    """`--threads 1` for a DuckDB build of a load large enough to build one node at a time
    (chemsafe.build_memory.one_node_at_a_time), said on stderr; else no argument; None
    (said why) when CHEMSAFE_SERIAL_BUILD_RECORDS cannot be read."""
    if is_pulled(target) or any(a == "--threads" or a.startswith("--threads=")
                                for a in dbt_args):
        return []
    try:
        threshold = serial_build_records()
        records = one_node_at_a_time(paths.current_seeds, threshold)
    except ValueError as exc:
        print(f"chemsafe {command}: error: {exc}", file=sys.stderr)
        return None
    if records is None:
        return []
    print(f"chemsafe {command}: the current load has {records:,} records, at least "
          f"{threshold:,} ({SERIAL_RECORDS_ENV}): building one node at a time (dbt "
          f"--threads 1), faster for a load this size and within DuckDB's memory bound; "
          f"set {THREADS_ENV} to choose (README \"Performance\")", file=sys.stderr,
          flush=True)
    return ["--threads", "1"]


def cmd_ingest(args: argparse.Namespace) -> int:
    return exclusive("ingest", args.wait, lambda: ingest_extracts(Path(args.folder)))


def target_of(args: argparse.Namespace, command: str) -> str | None:
    """The engine the command runs on (chemsafe.targets); None, said why, when unusable."""
    try:
        return chosen_target(getattr(args, "target", None))
    except TargetError as exc:
        print(f"chemsafe {command}: error: {exc}", file=sys.stderr)
        return None


def cmd_build(args: argparse.Namespace) -> int:
    target = target_of(args, "build")
    if target is None:
        return 2
    return exclusive("build", args.wait,
                     lambda: build_current(args.dbt_args, rekey=args.rekey, target=target))


def restore_current(paths: DataPaths, previous: Path | None) -> str:
    """Point `current` back at the load that was current before; say what it is now."""
    if previous is None:
        paths.current_seeds.unlink(missing_ok=True)
        return "no load is current (none was before this run)"
    swap_link(paths.current_seeds, previous)
    return f"`current` is back at load {previous.name}, as before this run"


def run_job(folder: Path, rekey: bool = False, target: str = WORKING_TARGET) -> int:
    """Ingest, build and publish one load, under the job lock: nothing else can change
    `current` in between, so what is published is the load this run ingested. When the
    build fails, `current` goes back to the load that was current before the run."""
    paths = data_paths()
    if not rekey:  # a key change stops the run before it ingests anything
        try:
            verify_key(paths.warehouse)
        except KeyChanged as exc:
            print(f"chemsafe run: error: {exc}", file=sys.stderr)
            return 2
    previous = paths.current_load()
    print(f"Ingesting {folder}")
    loaded = load_extracts(folder, "run")
    if loaded is None:
        return 2
    try:
        code = build_current(command="run", rekey=rekey, target=target)
    except BaseException:
        print(f"chemsafe run: the build of load {loaded.load_id} was stopped; "
              f"{restore_current(paths, previous)}", file=sys.stderr)
        raise
    if code:
        print(f"chemsafe run: the build of load {loaded.load_id} failed; "
              f"{restore_current(paths, previous)}; the load stays in {loaded.load_dir} "
              "to inspect", file=sys.stderr)
        not_published_notice()
        return code
    # The main job ends by publishing the build that just passed (no second build). The
    # quarterly reconciliation is its own command (`chemsafe reconcile`), whose exit code
    # tells a scheduler when a control fails; its results are published with the next
    # publish of the same load (chemsafe.serving: results of another load are withheld).
    print(f"\nPublishing load {loaded.load_id} (ingested and built on `{target}` by this "
          "run)")
    return publish_and_report(paths, command="run", load_id=loaded.load_id)


def cmd_run(args: argparse.Namespace) -> int:
    folder = Path(args.extracts) if args.extracts else demo_extracts_dir()
    target = target_of(args, "run")
    if target is None:
        return 2
    return exclusive("run", args.wait, lambda: run_job(folder, args.rekey, target))


def publish_job(rekey: bool = False, reuse_build: bool = False,
                target: str = WORKING_TARGET) -> int:
    """dbt build (every model and test) on the current load on `target`; publish it if it
    passed. With reuse_build, a passed build of the same load and project on the same
    target is published as it is (chemsafe.build_stamp), else it builds."""
    if not has_load("publish") or not key_checked("publish", rekey):
        return 2  # said why; nothing was built or published
    if reuse_build and not rekey:
        paths = data_paths()
        reason = why_build_not_reusable(paths, target)
        if reason is None:
            print("The working warehouse holds the passed build of the current load by this "
                  f"project on `{target}`, untouched by dbt since: publishing it without "
                  "building again.")
            return publish_and_report(paths, command="publish", reused=True)
        print(f"Building again: the last build cannot be reused ({reason}).")
    code = dbt_build(target=target, command="publish")
    if code:
        not_published_notice()
        return code
    return publish_and_report(data_paths(), command="publish")


def cmd_publish(args: argparse.Namespace) -> int:
    target = target_of(args, "publish")
    if target is None:
        return 2
    return exclusive("publish", args.wait,
                     lambda: publish_job(args.rekey, args.reuse_build, target))


def cmd_contract(args: argparse.Namespace) -> int:
    """Check (or rewrite) what is generated from the extract contract."""
    contract = load_contract()
    root = project_root()
    if args.write:
        written = write_generated(contract, root)
        for path in written:
            print(f"wrote {path}")
        if not written:
            print("the contract document and the dbt sources were already up to date")
        return 0
    stale = stale_files(contract, root)
    for path in stale:
        print(f"chemsafe contract: {path} differs from the contract "
              f"({CONTRACT_MACRO}); run `chemsafe contract --write`", file=sys.stderr)
    if not stale:
        print(f"extract contract version {contract.version}: {len(contract.files)} files; "
              f"{DOC_PATH} and {SOURCES_PATH} are up to date")
    return 1 if stale else 0


def cmd_paths(_: argparse.Namespace) -> int:
    paths = data_paths()
    print(f"project         {project_root()}")
    print(f"data directory  {paths.root}  (set {DATA_DIR_ENV} to move it)")
    for label, path in [*output_paths(paths), ("mf manifest", semantic_manifest_path())]:
        missing = "" if path.exists() or path.is_symlink() else "  (not yet written)"
        print(f"{label:<15} {path}{missing}")
    print("(mf manifest: the one file outside the data directory, where MetricFlow's `mf` "
          "reads it; written by publish)")
    return 0


def _version_text() -> str:
    from importlib.metadata import PackageNotFoundError, version

    from chemsafe.contract import CONTRACT

    try:
        ours = version("chemsafe-esg")
    except PackageNotFoundError:
        ours = "unknown"
    return f"chemsafe {ours} (extract contract {CONTRACT.version})"


def add_rekey_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rekey", action="store_true",
        help="the pseudonym key (CHEMSAFE_PSEUDONYM_KEY) changed on purpose: rebuild the "
             "whole warehouse under the new key and drop the reconciliation results (without "
             "it, a key other than the warehouse's stops the job)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chemsafe",
        description="Chemical-safety compliance extracts to risk-weighted ESG KPIs.",
    )
    parser.add_argument("--debug", action="store_true",
                        help="show Python tracebacks instead of one-line error messages")
    parser.add_argument("--version", action="version", version=_version_text())
    sub = parser.add_subparsers(dest="command", required=True)
    p_ingest = add_command(
        sub, "ingest", summary="load a folder of extract files",
        description="Check a folder of extract files against the extract contract and make "
                    "it the current load: every bad row is listed with file, physical line "
                    "and reason (audit.quarantine) and none is lost. Nothing is built; run "
                    "`chemsafe build` or `chemsafe publish` next.",
        examples=[("chemsafe ingest /drops/2026-Q2", "load a quarter's drop"),
                  ("chemsafe ingest demo/extracts --wait 600",
                   "wait up to 10 minutes for another job on the data directory")])
    add_wait_option(p_ingest)
    p_ingest.add_argument("folder", help="folder holding the contract's CSV files")
    p_ingest.set_defaults(func=cmd_ingest)
    p_build = add_command(
        sub, "build", summary="dbt build on what was ingested",
        description="Run dbt build (every seed, model and test) on the current load into the "
                    "working warehouse. Analysts' files are not touched: `chemsafe publish` "
                    "does that. Arguments after the options go to dbt build.",
        examples=[("chemsafe build", "build and test everything"),
                  ("chemsafe build --target spark",
                   "the same on Spark, pulled into the working DuckDB file"),
                  ("chemsafe build --select +kpi_quarterly",
                   "build one mart and what it depends on")])
    add_wait_option(p_build)
    add_rekey_option(p_build)
    add_target_option(p_build)
    p_build.add_argument("dbt_args", nargs=argparse.REMAINDER,
                         help="extra arguments passed to dbt build (e.g. --select ...)")
    p_build.set_defaults(func=cmd_build)
    p_run = add_command(
        sub, "run", summary="main job: ingest extracts, build, publish",
        description="The main job: ingest a folder of extracts, dbt build it and, when every "
                    "test passed, publish the serving file, Parquet exports, docs and "
                    "dashboard. When the build fails, the previous load stays current and "
                    "nothing is published.",
        examples=[("chemsafe run", "the demo extracts (what `make run` does)"),
                  ("chemsafe run --extracts /drops/2026-Q2", "a quarter's drop"),
                  ("chemsafe run --extracts /drops/2026-Q2 --target spark",
                   "built on Spark (make spark), published as from DuckDB"),
                  ("CHEMSAFE_DATA_DIR=/srv/chemsafe chemsafe run --extracts /drops/2026-Q2",
                   "everything written under /srv/chemsafe")])
    p_run.add_argument("--extracts", help="extract folder (default: the demo extracts)")
    add_wait_option(p_run)
    add_rekey_option(p_run)
    add_target_option(p_run)
    p_run.set_defaults(func=cmd_run)
    p_publish = add_command(
        sub, "publish",
        summary="dbt build, then publish the serving file, exports, docs and dashboard if "
                "every test passed",
        description="Rebuild the current load and, when every test passed, replace what "
                    "analysts read (serving file, Parquet exports, docs, dashboard) in one "
                    "step; run it after `chemsafe reconcile` to publish the quarter's "
                    "reconciliation results.",
        examples=[("chemsafe publish", "publish the current load"),
                  ("chemsafe reconcile --quarter 2026-Q2 && chemsafe publish",
                   "reconcile a quarter, then publish its results"),
                  ("chemsafe reconcile --quarter 2026-Q2 && chemsafe publish --reuse-build",
                   "the same, without building again when nothing but the "
                   "reconciliation changed since the last passed build")])
    p_publish.add_argument(
        "--reuse-build", action="store_true",
        help="publish the last passed build as it is when it read the current load with "
             "this project's files and no dbt command wrote the warehouse since; "
             "otherwise build as usual")
    add_wait_option(p_publish)
    add_rekey_option(p_publish)
    add_target_option(p_publish)
    p_publish.set_defaults(func=cmd_publish)
    add_reconcile_parser(sub)
    add_bench_parser(sub)
    p_contract = add_command(
        sub, "contract", summary="check the contract document and dbt sources against the "
                                 "contract",
        description="The extract contract is declared once, in "
                    f"{CONTRACT_MACRO}. This checks that {DOC_PATH} and {SOURCES_PATH}, "
                    "which are generated from it, are up to date (exit 1 when not), or "
                    "rewrites them with --write.",
        examples=[("chemsafe contract", "check the generated files"),
                  ("chemsafe contract --write", "regenerate them after changing the contract")])
    p_contract.add_argument("--write", action="store_true",
                            help="rewrite the generated files from the contract")
    p_contract.set_defaults(func=cmd_contract)
    p_paths = add_command(
        sub, "paths", summary="show where everything is written",
        description="List the project folder, the data directory and every file or folder "
                    "chemsafe writes under it (warehouse, serving file, exports, docs, "
                    "dashboard, reports, logs), marking the ones that do not exist yet.",
        examples=[("chemsafe paths", "where this data directory's outputs are"),
                  ("CHEMSAFE_DATA_DIR=/srv/chemsafe chemsafe paths", "another data directory")])
    p_paths.set_defaults(func=cmd_paths)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        if args.command != "build":
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        args.dbt_args = [*unknown, *args.dbt_args]
    stop_on_signals()
    try:
        return int(args.func(args))
    except Terminated as exc:
        if args.debug:
            raise
        print(exc.line(args.command), file=sys.stderr)
        return exc.exit_code
    except (OSError, duckdb.Error) as exc:  # a full disk, a read-only data directory, ...
        if args.debug:
            raise
        root = data_paths().root
        text = (os_error_text(exc, root) if isinstance(exc, OSError)
                else duckdb_error_text(exc, root))
        after = STOPPED.get(args.command)
        print(f"chemsafe {args.command}: error: {text}{'; ' + after if after else ''}",
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
