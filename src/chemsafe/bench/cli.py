"""Command-line part of `chemsafe bench`."""

from __future__ import annotations

import argparse
from pathlib import Path

from chemsafe.clihelp import add_command
from chemsafe.paths import data_paths, project_root

# The default runs in minutes on a laptop; the figures the README reports are at 1M and
# 10M findings, asked for explicitly (see the examples in --help).
DEFAULT_SIZES = (100_000,)


def add_bench_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(
        subparsers, "bench",
        summary="measure dbt build vs the engine floor and the pandas baseline",
        description="Generate extracts of a given number of findings, then time chemsafe "
                    "ingest against DuckDB's read_csv, the dbt build against a hand-written "
                    "single pass, and the scoring models against row-by-row pandas, and "
                    "check that they agree. Writes latest.json / latest.md to the results "
                    "folder. The default (100k findings, one run) takes a few minutes.",
        examples=[("chemsafe bench", "100k findings, one run"),
                  ("chemsafe bench --sizes 100000 1000000 --repeat 3 1",
                   "the README's figures (about half an hour on two cores)"),
                  ("chemsafe bench --sizes 10000000 --repeat 1",
                   "10M findings: generation alone takes about 11 minutes"),
                  ("chemsafe bench --target spark",
                   "100k findings built on DuckDB and on local Spark side by side "
                   "(needs `make spark`; about 10 minutes on two cores)"),
                  ("chemsafe bench --target spark --sizes 100000 1000000",
                   "the README's Spark figures")])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES),
                        help="numbers of findings to generate (default 100000)")
    parser.add_argument("--repeat", type=int, nargs="+", default=[1],
                        help="runs per size, one number for every size or one per size "
                             "(e.g. 3 3 1); figures are medians (default 1)")
    parser.add_argument("--target", choices=("duckdb", "spark"), default="duckdb",
                        help="duckdb (default): the figures above. spark: for each size, "
                             "ingest once, then the same dbt steps (seed, run, singular "
                             "tests) on DuckDB and on local Spark (dbt-spark method "
                             "session) in one run: wall and CPU seconds, peak memory of "
                             "the whole process tree and of Spark's JVM, and a check that "
                             "the two builds' marts agree; writes spark-latest.json / "
                             "spark-latest.md. Spark's fixed cost is minutes per size "
                             "(a JVM per dbt step); one run per size (no --repeat)")
    parser.add_argument("--results-dir", type=Path,
                        default=project_root() / "bench" / "results",
                        help="where latest.json / latest.md (spark-latest.json / .md with "
                             "--target spark) go (default bench/results)")
    parser.add_argument("--reconcile-lines", type=int, metavar="N",
                        help="instead of the sizes: `chemsafe reconcile` of a quarter of N "
                             "lines (demo warehouse plus synthetic lines), the current code "
                             "side by side with --baseline-rev, --repeat runs each")
    parser.add_argument("--baseline-rev", default=None,
                        help="git revision to compare the reconciliation with (default: the "
                             "last one whose GX validated one row of SQL measures)")
    parser.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    from chemsafe.bench.runner import bench_size, markdown_table, write_results

    root = data_paths().root / "bench"
    root.mkdir(parents=True, exist_ok=True)
    log = root / "bench.log"
    if args.reconcile_lines:
        return _bench_reconcile_lines(args, root, log)
    if args.target == "spark":
        return _bench_spark(args, root, log)
    repeats = args.repeat if len(args.repeat) > 1 else args.repeat * len(args.sizes)
    if len(repeats) != len(args.sizes) or min(repeats) < 1:
        print("chemsafe bench: --repeat takes one number, or one per size (each at least 1)")
        return 2
    results = []
    for size, repeat in zip(args.sizes, repeats, strict=True):
        print(f"bench: {size:,} findings, {repeat} run(s) ...", flush=True)
        results.append(bench_size(size, repeat, root, log))
        print(markdown_table(results), flush=True)
        # written after every size, so a long run keeps what it measured so far
        json_path, md_path = write_results(results, args.results_dir)
    print(f"\nwrote {json_path} and {md_path}")
    for r in results:
        for note in r.notes:
            print(f"{r.target_findings:,}: {note}")
    return 0 if all(r.aggregates_agree and r.single_pass_agrees for r in results) else 1


def _bench_reconcile_lines(args: argparse.Namespace, root: Path, log: Path) -> int:
    from chemsafe.bench.reconcile_lines import (
        BASELINE_REV,
        bench_reconcile_lines,
        markdown,
        write,
    )

    print(f"bench: reconcile of a {args.reconcile_lines:,}-line quarter, {args.repeat[0]} "
          "run(s) each ...", flush=True)
    result = bench_reconcile_lines(args.reconcile_lines, args.repeat[0], root, log,
                                   args.baseline_rev or BASELINE_REV)
    print(markdown(result))
    print(f"\nwrote {write(result, args.results_dir)}")
    for note in result.notes:
        print(note)
    return 0 if not result.notes else 1


def _bench_spark(args: argparse.Namespace, root: Path, log: Path) -> int:
    from chemsafe.bench.spark import (
        bench_spark_size,
        markdown_table,
        spark_available,
        write_results,
    )

    if args.repeat != [1]:
        print("chemsafe bench --target spark: one run per size (--repeat is not used)")
        return 2
    problem = spark_available()
    if problem:
        print(f"chemsafe bench --target spark: {problem}")
        return 2
    results = []
    for size in args.sizes:
        print(f"bench: {size:,} findings on DuckDB and on Spark, one run ...", flush=True)
        results.append(bench_spark_size(size, root, log))
        print(markdown_table(results), flush=True)
        json_path, md_path = write_results(results, args.results_dir)
    print(f"\nwrote {json_path} and {md_path}")
    return 0 if all(r.agree and not r.notes for r in results) else 1
