"""The `reconcile` sub-command.

    chemsafe reconcile [--quarter 2026-Q2]

Exit codes: 0 = every critical control passed (warnings may have failed; they are
printed); 1 = at least one critical control failed; 2 = Great Expectations and the SQL
disagree on a control (its observed value or its exception lines; the results and the
report are written, showing the difference), or the run could not be done (no warehouse,
a quarter outside the reporting window, a threshold missing, the warehouse open in another
process, another chemsafe job running on the data directory).

``add_reconcile_parser`` and ``cmd_reconcile`` are what chemsafe.cli wires in;
``python -m chemsafe.reconcile`` runs the same command on its own.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import duckdb

from chemsafe.build_stamp import read_stamp
from chemsafe.clihelp import add_command
from chemsafe.failures import duckdb_error_text, os_error_text
from chemsafe.jobs import add_wait_option, exclusive
from chemsafe.paths import data_paths
from chemsafe.reconcile.catalog import CatalogError, parse_quarter
from chemsafe.targets import READ_ONLY_TARGETS, TARGET_ENV, add_target_option

if TYPE_CHECKING:
    from chemsafe.reconcile.run import ReconcileOutcome

# The reconciliation itself (pandas, Great Expectations) is imported when the command
# runs, not when `chemsafe` builds its parser: `chemsafe ingest` starts a second sooner.


def _quarter(value: str) -> str:
    try:
        parse_quarter(value)
    except CatalogError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return value


def add_reconcile_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = add_command(
        subparsers, "reconcile",
        summary="quarterly reconciliation: run the controls, write results and the auditor "
                "report",
        description="Run the reconciliation controls (Great Expectations checkpoints) for a "
                    "quarter against the warehouse, store the results in audit.reconciliation_* "
                    "and write the auditor report, the exception CSVs and the audit sample to "
                    "<data dir>/reports/<quarter>/. Exits 1 when a critical control fails.",
        examples=[("chemsafe reconcile", "the latest quarter in the warehouse"),
                  ("chemsafe build --target spark && chemsafe reconcile --target spark",
                   "reconcile the marts Spark built (pulled into the working file)"),
                  ("chemsafe reconcile --quarter 2026-Q1 && chemsafe publish",
                   "a given quarter, then publish its results for analysts")])
    parser.add_argument("--quarter", type=_quarter,
                        help="quarter label YYYY-Qn (default: the latest in the warehouse)")
    add_target_option(
        parser,
        "check first that the working warehouse holds the last passed build on this engine "
        "(a dbt target of profiles.yml); reconcile always reads the working DuckDB file, "
        "into which `chemsafe build --target spark` pulls a Spark build")
    add_wait_option(parser)
    parser.set_defaults(func=cmd_reconcile)
    return parser


def summary_lines(outcome: ReconcileOutcome) -> list[str]:
    from chemsafe.reconcile.outcome import FAIL, PASS, WARN
    from chemsafe.reconcile.report import fmt_measure, fmt_threshold

    status_text = {PASS: "PASS", FAIL: "FAIL", WARN: "WARN"}
    lines = [f"Reconciliation {outcome.quarter.period} "
             f"({outcome.quarter.quarter_start} .. {outcome.quarter.quarter_end}), "
             f"run {outcome.run_id[:12]}:"]
    for result in outcome.results:
        control, current = result.control, result.current
        unit = current.threshold.unit
        lines.append(
            f"  {status_text[result.status]}  {control.id:<10}  "
            f"{fmt_measure(current.observed, unit):>14}  "
            f"{fmt_threshold(control.comparator, current.threshold):<14}  "
            f"{current.exceptions_count:>6} exception(s)  {control.title}")
    failed = [r.control.id for r in outcome.results if r.status == FAIL]
    warned = [r.control.id for r in outcome.results if r.status == WARN]
    lines.append(f"Report: {outcome.report_html}")
    lines.append(f"Exception CSVs and the audit sample ({outcome.sample_lines} lines) are "
                 f"beside it in {outcome.report_dir}")
    if warned:
        lines.append(f"{len(warned)} warning(s): {', '.join(warned)}")
    if failed:
        lines.append(f"{len(failed)} critical control(s) failed: {', '.join(failed)} "
                     f"(exit code {outcome.exit_code})")
    else:
        lines.append("Every critical control passed.")
    if outcome.pending is not None and outcome.pending.any:
        lines.append(f"Pending approval: {outcome.pending.text()}")
    return lines


def reconcile_job(quarter: str | None) -> int:
    from chemsafe.reconcile.outcome import disagreement_text, disagreements
    from chemsafe.reconcile.run import ReportNotFiled, reconcile_quarter
    from chemsafe.reconcile.warehouse import ReconcileError

    paths = data_paths()
    try:
        outcome = reconcile_quarter(paths, quarter)
    except (ReconcileError, CatalogError) as exc:
        print(f"chemsafe reconcile: error: {exc}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 2
    except ReportNotFiled as exc:
        print(f"chemsafe reconcile: error: {exc}: {os_error_text(exc.cause, paths.root)}",
              file=sys.stderr)
        print(f"The {exc.quarter} results are stored in the warehouse (audit.reconciliation_*) "
              f"but the report folder is the previous one, if any; run `chemsafe reconcile "
              f"--quarter {exc.quarter}` again.", file=sys.stderr)
        return 2
    except (duckdb.Error, OSError) as exc:  # e.g. the warehouse is open in another process
        text = (os_error_text(exc, paths.root) if isinstance(exc, OSError)
                else duckdb_error_text(exc, paths.root))
        print(f"chemsafe reconcile: error: {text}", file=sys.stderr)
        print("Nothing was stored: the quarter's results in the warehouse and its report "
              "folder are as they were.", file=sys.stderr)
        return 2
    print("\n".join(summary_lines(outcome)))
    differ = disagreements(outcome.results)
    for result in differ:
        print(f"chemsafe reconcile: error: {disagreement_text(result)}", file=sys.stderr)
    if differ:
        print(f"Great Expectations and SQL disagree on {len(differ)} control(s) "
              f"({', '.join(r.control.id for r in differ)}): exit code 2; the report shows "
              f"both figures and every line that differs: {outcome.report_html}",
              file=sys.stderr)
    return outcome.exit_code


def target_problem(target: str | None) -> str | None:
    """Why the working warehouse cannot be confirmed to hold the last passed full build
    (on `target`, when one is asked for); None when it does.

    Without a target, only a data directory where dbt has run is checked: a warehouse
    copied in on its own has no build record to confirm it by, and is reconciled as it
    stands. Where dbt has run, a failed or selective build since the last passed full one
    (chemsafe.build_stamp clears the record before any dbt command that writes) may have
    left tables of two loads side by side: the report would name one load and count the
    other."""
    paths = data_paths()
    built_on = read_stamp(paths)
    if target is None:
        if built_on is None and (paths.dbt_target / "run_results.json").is_file():
            return ("no passed full build is recorded since the last dbt command that could "
                    "write the working warehouse (a build that failed or was a selection): "
                    "its tables may come from two loads; run `chemsafe build` until it "
                    "passes, then reconcile")
        return None
    if built_on is None:
        return (f"cannot confirm that the working warehouse holds a build on `{target}`: no "
                "passed full build is recorded since the last dbt command that could write "
                f"it; run `chemsafe build --target {target}` first")
    if built_on.target != target:
        return (f"the working warehouse holds the last passed build on `{built_on.target}`, "
                f"not on `{target}`; run `chemsafe build --target {target}` first")
    return None


def cmd_reconcile(args: argparse.Namespace) -> int:
    quarter = getattr(args, "quarter", None)
    # CHEMSAFE_DBT_TARGET=serving (set for `mf query`) names no engine that builds
    target = getattr(args, "target", None) or os.environ.get(TARGET_ENV)
    if target in READ_ONLY_TARGETS:
        target = None

    root = data_paths().root
    if not root.is_dir():  # before the job lock, which would create it
        print(f"chemsafe reconcile: error: no data directory at {root}: run `chemsafe run` "
              "first (or set CHEMSAFE_DATA_DIR to the one that holds the build)",
              file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 2

    def job() -> int:
        problem = target_problem(target)
        if problem is not None:
            print(f"chemsafe reconcile: error: {problem}", file=sys.stderr)
            print("Nothing was written.", file=sys.stderr)
            return 2
        return reconcile_job(quarter)

    return exclusive("reconcile", getattr(args, "wait", 0.0), job)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chemsafe.reconcile")
    subparsers = parser.add_subparsers(dest="command")
    add_reconcile_parser(subparsers)
    args = parser.parse_args(["reconcile", *(argv if argv is not None else sys.argv[1:])])
    return int(args.func(args))
