"""Command-line part of `chemsafe bench`."""

from __future__ import annotations

import argparse
from pathlib import Path

from chemsafe.paths import data_paths, project_root

DEFAULT_SIZES = (100_000, 1_000_000, 10_000_000)


def add_bench_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "bench", help="measure dbt build vs the engine floor and the pandas baseline")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES),
                        help="numbers of findings to generate (default 100k 1M 10M)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per size; figures are medians (default 3)")
    parser.add_argument("--results-dir", type=Path,
                        default=project_root() / "bench" / "results",
                        help="where latest.json / latest.md go (default bench/results)")
    parser.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    from chemsafe.bench.runner import bench_size, markdown_table, write_results

    root = data_paths().root / "bench"
    root.mkdir(parents=True, exist_ok=True)
    log = root / "bench.log"
    results = []
    for size in args.sizes:
        print(f"bench: {size:,} findings ...", flush=True)
        results.append(bench_size(size, args.repeat, root, log))
        print(markdown_table(results), flush=True)
    json_path, md_path = write_results(results, args.results_dir)
    print(f"\nwrote {json_path} and {md_path}")
    return 0 if all(r.aggregates_agree for r in results) else 1
