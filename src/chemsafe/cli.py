"""The ``chemsafe`` command: the jobs around dbt.

    chemsafe ingest DIR   load a folder of extract files (all or nothing)
    chemsafe build        dbt build on what was ingested
    chemsafe run          the main job: ingest (default: the demo extracts), build, publish
    chemsafe publish      dbt build, then publish it for analysts if every test passed
    chemsafe paths        show where everything is written
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from chemsafe.bench.cli import add_bench_parser
from chemsafe.contract import CONTRACT_MACRO, load_contract
from chemsafe.contract_doc import DOC_PATH, SOURCES_PATH, stale_files, write_generated
from chemsafe.dbt_runner import run_dbt
from chemsafe.ingest import IngestError, LoadResult, ingest
from chemsafe.paths import DATA_DIR_ENV, data_paths, project_root
from chemsafe.publish import not_published_notice, publish_and_report
from chemsafe.reconcile.cli import add_reconcile_parser
from chemsafe.summary import load_summary_text


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
    for name in result.ignored_files:
        print(f"  ignored (not an extract of the contract): {name}")


def ingest_extracts(folder: Path) -> int:
    """Load a folder of extracts (all or nothing) and print what was loaded."""
    paths = data_paths()
    try:
        result = ingest(folder, paths)
    except IngestError as exc:
        print(f"chemsafe ingest: error: {exc}", file=sys.stderr)
        if paths.current_seeds.exists():
            print("The previously loaded extracts are untouched.", file=sys.stderr)
        else:
            print("Nothing was loaded (this data directory has no earlier load).",
                  file=sys.stderr)
        return 2
    _print_load(result)
    return 0


def build_current(dbt_args: Sequence[str] = ()) -> int:
    """dbt build on the current load, then the load summary."""
    paths = data_paths()
    if not paths.current_seeds.exists():
        print("chemsafe build: error: nothing ingested yet; run `chemsafe ingest DIR` first "
              f"(data directory: {paths.root})", file=sys.stderr)
        return 2
    code = run_dbt(paths, ["build", *dbt_args])
    if paths.warehouse.exists():
        try:
            print()
            print(load_summary_text(paths.warehouse))
        except Exception as exc:  # the summary is a courtesy; dbt's exit code rules
            print(f"(load summary unavailable: {exc})", file=sys.stderr)
    return code


def cmd_ingest(args: argparse.Namespace) -> int:
    return ingest_extracts(Path(args.folder))


def cmd_build(args: argparse.Namespace) -> int:
    return build_current(args.dbt_args)


def cmd_run(args: argparse.Namespace) -> int:
    folder = Path(args.extracts) if args.extracts else demo_extracts_dir()
    print(f"Ingesting {folder}")
    code = ingest_extracts(folder)
    if code:
        return code
    code = build_current()
    if code:
        not_published_notice()
        return code
    # The main job ends by publishing the build that just passed (no second build). The
    # quarterly reconciliation is its own command (`chemsafe reconcile`), whose exit code
    # tells a scheduler when a control fails; its results are published with the next
    # publish.
    return publish_and_report(data_paths())


def cmd_publish(_: argparse.Namespace) -> int:
    """dbt build (every model and test) on the current load; publish it if it passed."""
    code = build_current()
    if code:
        not_published_notice()
        return code
    return publish_and_report(data_paths())


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
    print(f"project        {project_root()}")
    print(f"data directory {paths.root}  (set {DATA_DIR_ENV} to move it)")
    print(f"current load   {paths.current_seeds}")
    print(f"warehouse      {paths.warehouse}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chemsafe",
        description="Chemical-safety compliance extracts to risk-weighted ESG KPIs.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_ingest = sub.add_parser("ingest", help="load a folder of extract files")
    p_ingest.add_argument("folder", help="folder holding the contract's CSV files")
    p_ingest.set_defaults(func=cmd_ingest)
    p_build = sub.add_parser("build", help="dbt build on what was ingested")
    p_build.add_argument("dbt_args", nargs=argparse.REMAINDER,
                         help="extra arguments passed to dbt build (e.g. --select ...)")
    p_build.set_defaults(func=cmd_build)
    p_run = sub.add_parser("run", help="main job: ingest extracts, build, publish")
    p_run.add_argument("--extracts", help="extract folder (default: the demo extracts)")
    p_run.set_defaults(func=cmd_run)
    p_publish = sub.add_parser(
        "publish", help="dbt build, then publish the serving file, exports, docs and "
                        "dashboard if every test passed")
    p_publish.set_defaults(func=cmd_publish)
    add_reconcile_parser(sub)
    add_bench_parser(sub)
    p_contract = sub.add_parser(
        "contract", help="check the contract document and dbt sources against the contract",
        description="The extract contract is declared once, in "
                    f"{CONTRACT_MACRO}. This checks that {DOC_PATH} and {SOURCES_PATH}, "
                    "which are generated from it, are up to date (exit 1 when not), or "
                    "rewrites them with --write.")
    p_contract.add_argument("--write", action="store_true",
                            help="rewrite the generated files from the contract")
    p_contract.set_defaults(func=cmd_contract)
    p_paths = sub.add_parser("paths", help="show where everything is written")
    p_paths.set_defaults(func=cmd_paths)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        if args.command != "build":
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        args.dbt_args = [*unknown, *args.dbt_args]
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
