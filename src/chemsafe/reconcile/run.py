"""`chemsafe reconcile` for one quarter, start to end.

1. Read the quarter, the thresholds in force, the control measures and exception lines
   from the warehouse (SQL in DuckDB; the quarter before it too, for the comparison).
2. Run the Great Expectations checkpoints on the quarter's lines (gx_runner), one table of
   lines at a time, and compare GX's figures and lines with the SQL ones (outcome).
3. Write the report folder (HTML, one exception CSV per control, the audit sample CSV,
   GX's own validation results JSON, its sha256 in the HTML) into a staging folder,
   streaming every exception line from the warehouse.
4. Replace the quarter's rows in audit.reconciliation_* in one transaction, then put the
   staging folder in place of reports/<quarter>.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from chemsafe.paths import DataPaths
from chemsafe.reconcile import files, store, warehouse
from chemsafe.reconcile.catalog import (
    Catalog,
    bind,
    gx_project_dir,
    inline,
    load_catalog,
    parameters_of,
)
from chemsafe.reconcile.gx_runner import (
    CheckpointRun,
    gx_context,
    gx_version,
    run_checkpoint,
    suite_parameters,
)
from chemsafe.reconcile.html import fmt
from chemsafe.reconcile.outcome import ControlResult, Evaluation, evaluate, exit_code
from chemsafe.reconcile.pending import PendingApprovals, pending_approvals
from chemsafe.reconcile.report import SAMPLE_COLUMNS, AuditReport, ReportContext, ReportFiles
from chemsafe.reconcile.runinfo import code_version
from chemsafe.reconcile.warehouse import Quarter, ReconcileError, Threshold

if TYPE_CHECKING:  # the import itself is slow: types only
    from great_expectations.data_context import AbstractDataContext

CHUNK_ROWS = 5000
STRATUM_ORDER = ("case stratum when 'ACCIDENT_PRECAUTION_MISS' then 0 when 'HIGH' then 1 "
                 "when 'MEDIUM' then 2 when 'LOW' then 3 else 4 end")
SAMPLE_SQL = (
    f"select {', '.join(SAMPLE_COLUMNS)} from marts.fct_reconciliation_audit_sample "
    f"where period = $quarter order by reconciliation, site_id nulls first, {STRATUM_ORDER}, "
    "draw_rank"
)


class ReportNotFiled(Exception):
    """The quarter's results were stored in the warehouse, but its report folder could not
    be put in place (the one thing that can fail after the store)."""

    def __init__(self, quarter: str, target: Path, cause: OSError) -> None:
        self.quarter = quarter
        self.target = target
        self.cause = cause
        super().__init__(f"{quarter}: the report folder {target} could not be put in place")


@dataclass(frozen=True)
class QuarterData:
    """Everything measured in the warehouse for one quarter."""

    quarter: Quarter
    thresholds: dict[str, Threshold]
    values: dict[str, object]  # SQL parameters: quarter, quarter_end, thresholds
    frames: dict[str, dict[str, object]]  # checkpoint -> SQL measures of its controls
    exception_keys: dict[str, list[str]]  # control -> line_key of every SQL exception


@dataclass(frozen=True)
class ReconcileOutcome:
    quarter: Quarter
    results: tuple[ControlResult, ...]
    exit_code: int
    report_dir: Path
    report_html: Path
    sample_lines: int
    run_id: str
    pending: PendingApprovals | None = None  # policy the run used unapproved


def _parameter_names(catalog: Catalog, suites: Mapping[str, set[str]]) -> list[str]:
    names: set[str] = set()
    for control in catalog.controls:
        names |= suites.get(control.suite, set())
        names.add(control.threshold)
        names |= set(parameters_of(control.exceptions_sql))
        for sql in control.measures.values():
            names |= set(parameters_of(sql))
    return sorted(names - {"quarter", "quarter_end"})


def measure_quarter(con: duckdb.DuckDBPyConnection, catalog: Catalog, quarter: Quarter,
                    names: list[str]) -> QuarterData:
    found = warehouse.thresholds(con, catalog, quarter, names)
    values: dict[str, object] = {**quarter.sql_values(),
                                 **{name: t.value for name, t in found.items()}}
    return QuarterData(
        quarter=quarter, thresholds=found, values=values,
        frames={cp: warehouse.measures(con, catalog, cp, values)
                for cp in catalog.checkpoints()},
        exception_keys={c.id: warehouse.exception_keys(con, c, values)
                        for c in catalog.controls},
    )


def _validate(con: duckdb.DuckDBPyConnection, context: AbstractDataContext,
              catalog: Catalog, data: QuarterData) -> dict[str, CheckpointRun]:
    """Each checkpoint on its table of lines, read when it runs and dropped after: at most
    one table of lines is in memory at a time."""
    parameters = {name: t.value for name, t in data.thresholds.items()}
    runs = {}
    for checkpoint in catalog.checkpoints():
        frame = warehouse.batch_frame(con, catalog, checkpoint, data.values)
        runs[checkpoint] = run_checkpoint(context, checkpoint, frame, parameters)
        del frame
    return runs


def _evaluations(catalog: Catalog, data: QuarterData,
                 runs: Mapping[str, CheckpointRun]) -> dict[str, Evaluation]:
    outcomes = [o for run in runs.values() for o in run.outcomes]
    return evaluate(catalog, outcomes, data.frames, data.thresholds, data.exception_keys)


def write_gx_results(folder: Path, quarter: str, gx_results: dict[str, Any]) -> str:
    """GX's own validation results of the quarter beside the report; return its sha256."""
    data = json.dumps(gx_results, indent=1, ensure_ascii=False, default=str).encode("utf-8")
    (folder / files.results_file_name(quarter)).write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def write_report_folder(con: duckdb.DuckDBPyConnection, folder: Path, ctx: ReportContext,
                        results: tuple[ControlResult, ...], values: dict[str, object]) -> int:
    """Write the HTML report and the CSV files; return the number of sampled lines."""
    with (folder / ctx.files.html).open("w", encoding="utf-8") as out:
        report = AuditReport(out, ctx)
        report.begin(results)
        for result in results:
            control = result.control
            sql = control.ordered_exceptions_sql()
            report.control_start(result, inline(sql, values))
            cursor = con.execute(sql, bind(sql, values))
            columns = [d[0] for d in cursor.description]
            report.exceptions_header(columns)
            listed = 0
            with files.open_csv(folder / ctx.files.exception_csv[control.id]) as handle:
                csv_file = files.CsvFile(handle)
                csv_file.header(columns)
                while chunk := cursor.fetchmany(CHUNK_ROWS):
                    texts = [[fmt(value) for value in row] for row in chunk]  # once, for both
                    report.exception_rows(listed + 1, texts)
                    csv_file.rows(texts)
                    listed += len(chunk)
            if listed != result.current.exceptions_count:
                raise ReconcileError(f"{control.id}: {listed} exceptions listed but "
                                     f"{result.current.exceptions_count} counted")
            report.control_end(listed)
        report.sample_start()
        cursor = con.execute(SAMPLE_SQL, bind(SAMPLE_SQL, values))
        sampled = 0
        with files.open_csv(folder / ctx.files.sample_csv) as handle:
            csv_file = files.CsvFile(handle)
            csv_file.header([*SAMPLE_COLUMNS, *files.SAMPLE_CHECK_COLUMNS])
            blanks = ("",) * len(files.SAMPLE_CHECK_COLUMNS)
            while chunk := cursor.fetchmany(CHUNK_ROWS):
                texts = [[fmt(value) for value in row] for row in chunk]
                report.sample_rows(texts)
                csv_file.rows([(*row, *blanks) for row in texts])
                sampled += len(chunk)
        report.sample_end(sampled)
        report.end()
    return sampled


@dataclass(frozen=True)
class Evaluated:
    """The controls of a quarter evaluated by GX, with the quarter before for comparison."""

    results: tuple[ControlResult, ...]
    previous_quarter: Quarter | None
    runs: dict[str, CheckpointRun]
    values: dict[str, object]


def evaluate_quarter(con: duckdb.DuckDBPyConnection, paths: DataPaths, catalog: Catalog,
                     quarter: Quarter) -> Evaluated:
    """Measure the quarter (and the one before) in the warehouse, run the checkpoints."""
    project = gx_project_dir()
    names = _parameter_names(catalog, suite_parameters(project))
    current = measure_quarter(con, catalog, quarter, names)
    previous_quarter = warehouse.previous_in_window(con, quarter)
    previous: QuarterData | None = None
    if previous_quarter is not None:
        try:
            previous = measure_quarter(con, catalog, previous_quarter, names)
        except ReconcileError:  # no threshold in force then: no comparison, no failure
            previous_quarter = None
    paths.reconcile_work_dir.mkdir(parents=True, exist_ok=True)
    try:
        with gx_context(project, paths.reconcile_work_dir) as context:
            runs = _validate(con, context, catalog, current)
            previous_runs = _validate(con, context, catalog, previous) if previous else None
    except Exception as exc:  # GX could not evaluate the controls: no result at all
        raise ReconcileError(f"Great Expectations could not run the checkpoints: "
                             f"{type(exc).__name__}: {exc}") from exc
    evaluations = _evaluations(catalog, current, runs)
    before = (_evaluations(catalog, previous, previous_runs)
              if previous and previous_runs else None)
    results = tuple(
        ControlResult(control=c, current=evaluations[c.id],
                      previous_period=previous_quarter.period if previous_quarter else None,
                      previous=before[c.id] if before else None)
        for c in catalog.controls
    )
    return Evaluated(results, previous_quarter, runs, current.values)


def report_context(con: duckdb.DuckDBPyConnection, catalog: Catalog, quarter: Quarter,
                   evaluated: Evaluated, run_id: str, run_at: datetime) -> ReportContext:
    previous = evaluated.previous_quarter
    extracts = warehouse.extract_files(con)
    return ReportContext(
        quarter=quarter,
        previous_period=previous.period if previous else None,
        run_id=run_id, run_at=run_at, code_version=code_version(),
        gx_version=gx_version(), controls_version=catalog.version,
        as_of_date=warehouse.as_of_date(con),
        load_id=extracts[0].load_id if extracts else None,
        exit_code=exit_code(evaluated.results),
        counts=warehouse.reconciliation_counts(con, quarter.period),
        previous_counts=(warehouse.reconciliation_counts(con, previous.period)
                         if previous else {}),
        tolerance=warehouse.inventory_tolerance(con, quarter),
        sampling_rules=warehouse.sampling_rules(con, quarter),
        extract_files=extracts,
        files=ReportFiles(
            html=files.report_file_name(quarter.period),
            sample_csv=files.sample_file_name(quarter.period),
            gx_results=files.results_file_name(quarter.period),
            exception_csv={c.id: files.exceptions_file_name(quarter.period, c.id)
                           for c in catalog.controls},
        ),
    )


def write_and_store(con: duckdb.DuckDBPyConnection, paths: DataPaths, ctx: ReportContext,
                    evaluated: Evaluated) -> tuple[Path, int]:
    """Report folder into staging, results into the warehouse (one transaction), then the
    staging folder in place; return the report folder and the number of sampled lines."""
    quarter = ctx.quarter.period
    target = paths.reconciliation_report_dir(quarter)
    gx_results = {"quarter": quarter, "run_id": ctx.run_id,
                  "great_expectations_version": ctx.gx_version,
                  "checkpoints": {name: run.described for name, run in evaluated.runs.items()}}
    paths.reports_dir.mkdir(parents=True, exist_ok=True)
    staging = files.staging_folder(paths.reports_dir, quarter)
    try:
        ctx = dataclasses.replace(ctx, gx_results_sha256=write_gx_results(staging, quarter,
                                                                          gx_results))
        sampled = write_report_folder(con, staging, ctx, evaluated.results, evaluated.values)
        record = store.RunRecord(
            quarter=quarter, run_id=ctx.run_id, run_at=ctx.run_at,
            quarter_end=ctx.quarter.quarter_end, as_of_date=ctx.as_of_date,
            load_id=ctx.load_id, code_version=ctx.code_version, gx_version=ctx.gx_version,
            controls_version=ctx.controls_version, exit_code=ctx.exit_code,
            report_dir=str(target),
        )
        store.replace_quarter(con, record, evaluated.results, evaluated.values)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        return files.publish_folder(staging, target), sampled
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ReportNotFiled(quarter, target, exc) from exc


def reconcile_quarter(paths: DataPaths, requested: str | None = None,
                      catalog: Catalog | None = None) -> ReconcileOutcome:
    if not paths.warehouse.is_file():
        raise ReconcileError(f"no warehouse at {paths.warehouse}: run `chemsafe run` or "
                             "`chemsafe build` first")
    catalog = catalog or load_catalog()
    run_id = uuid.uuid4().hex
    run_at = datetime.now(UTC).replace(tzinfo=None)
    con = warehouse.connect(paths.warehouse)
    try:
        quarter = warehouse.resolve_quarter(con, requested)
        evaluated = evaluate_quarter(con, paths, catalog, quarter)
        ctx = report_context(con, catalog, quarter, evaluated, run_id, run_at)
        report_dir, sampled = write_and_store(con, paths, ctx, evaluated)
    finally:
        con.close()
    return ReconcileOutcome(
        quarter=quarter, results=evaluated.results, exit_code=ctx.exit_code,
        report_dir=report_dir, report_html=report_dir / ctx.files.html,
        sample_lines=sampled, run_id=run_id,
        pending=pending_approvals(evaluated.results, ctx.sampling_rules, ctx.tolerance),
    )
