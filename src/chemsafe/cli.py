"""The ``chemsafe`` command: the jobs around dbt.

    chemsafe ingest DIR   load a folder of extract files (all or nothing)
    chemsafe build        dbt build on what was ingested
    chemsafe run          the main job: ingest (default: the demo extracts), build, publish
    chemsafe publish      dbt build, then publish it for analysts if every test passed
    chemsafe paths        show where everything is written
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from chemsafe.bench.cli import add_bench_parser
from chemsafe.dbt_runner import run_dbt
from chemsafe.ingest import IngestError, LoadResult, ingest
from chemsafe.paths import DATA_DIR_ENV, data_paths, point_raw_seeds_at, project_root
from chemsafe.publish import not_published_notice, publish_and_report
from chemsafe.raw_files import write_parquet_copies
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
              f"{item.records_read:>9} records{malformed}{extras}  "
              f"sha256 {item.fingerprint.sha256[:12]}…")
    for name in result.ignored_files:
        print(f"  ignored (not an extract of the contract): {name}")


def cmd_ingest(args: argparse.Namespace) -> int:
    paths = data_paths()
    try:
        result = ingest(Path(args.folder), paths)
    except IngestError as exc:
        print(f"chemsafe ingest: error: {exc}", file=sys.stderr)
        print("The previously loaded extracts are untouched.", file=sys.stderr)
        return 2
    point_raw_seeds_at(paths)
    _print_load(result)
    if getattr(args, "parquet", False):
        written = write_parquet_copies(result.load_dir)
        print(f"Wrote {len(written)} Parquet copies for the big-extract path "
              "(chemsafe build --raw-source files --raw-format parquet).")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    paths = data_paths()
    if not paths.current_seeds.exists():
        print("chemsafe build: error: nothing ingested yet; run `chemsafe ingest DIR` first "
              f"(data directory: {paths.root})", file=sys.stderr)
        return 2
    point_raw_seeds_at(paths)
    dbt_args = list(args.dbt_args)
    raw_source = getattr(args, "raw_source", "seeds")
    if raw_source != "seeds":
        dbt_vars = {"raw_source": raw_source,
                    "raw_file_format": getattr(args, "raw_format", "csv")}
        dbt_args = ["--vars", json.dumps(dbt_vars), *dbt_args]
    code = run_dbt(paths, ["build", *dbt_args])
    if paths.warehouse.exists():
        try:
            print()
            print(load_summary_text(paths.warehouse))
        except Exception as exc:  # the summary is a courtesy; dbt's exit code rules
            print(f"(load summary unavailable: {exc})", file=sys.stderr)
    return code


def cmd_run(args: argparse.Namespace) -> int:
    folder = Path(args.extracts) if args.extracts else demo_extracts_dir()
    print(f"Ingesting {folder}")
    code = cmd_ingest(argparse.Namespace(folder=str(folder)))
    if code:
        return code
    code = cmd_build(argparse.Namespace(dbt_args=[], raw_source="seeds", raw_format="csv"))
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
    code = cmd_build(argparse.Namespace(dbt_args=[]))
    if code:
        not_published_notice()
        return code
    return publish_and_report(data_paths())


def cmd_paths(_: argparse.Namespace) -> int:
    paths = data_paths()
    print(f"project        {project_root()}")
    print(f"data directory {paths.root}  (set {DATA_DIR_ENV} to move it)")
    print(f"raw seeds      {paths.current_seeds}")
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
    p_ingest.add_argument("--parquet", action="store_true",
                          help="also write Parquet copies for the big-extract path")
    p_ingest.set_defaults(func=cmd_ingest)
    p_build = sub.add_parser("build", help="dbt build on what was ingested")
    p_build.add_argument("--raw-source", choices=["seeds", "files"], default="seeds",
                         help="read raw extracts as dbt seeds (default) or directly from "
                              "the ingested files (large extracts)")
    p_build.add_argument("--raw-format", choices=["csv", "parquet"], default="csv",
                         help="with --raw-source files: read the CSVs or their Parquet "
                              "copies (chemsafe ingest --parquet)")
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
