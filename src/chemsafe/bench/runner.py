"""`chemsafe bench`: figures for dbt build vs the engine floor vs pandas, per data size.

For each size (findings) the demo generator writes an extract set (reused when present),
`chemsafe ingest` converts it once, then, `repeat` times: `dbt build` of the whole
project (its sources read the ingested files directly), the engine floor (the same
compiled SQL run directly in DuckDB), the pandas baseline (row-by-row apply and vectorised),
and `chemsafe reconcile` of the latest quarter. Figures are medians over the repetitions.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from chemsafe.bench.measure import Measurement, measure
from chemsafe.bench.pandas_baseline import score_apply, score_vectorised, timed
from chemsafe.bench.single_pass import STAGING_MODELS, run_single_pass
from chemsafe.build_memory import SERIAL_RECORDS_ENV, one_node_at_a_time
from chemsafe.dbt_runner import dbt_env, dbt_executable, prepare_target
from chemsafe.demo import DEFAULT_SEED, generate
from chemsafe.paths import DataPaths, project_root
from chemsafe.publish import remember_passed_build

FINDINGS_PER_SCALE = 1260.0  # the demo generator writes ~1,260 findings per unit of scale

FINDINGS_SQL = """
select finding_id, facility_id, cast(found_on as timestamp) as found_on,
       cast(closed_on as timestamp) as closed_on, category, severity, repeat_of_finding_id
from staging.stg_ehs__findings
"""
ASSESSMENTS_SQL = """
select assessment_id, facility_id, cast(assessed_on as timestamp) as assessed_on,
       substance_hazard, exposure_potential, protection_weakness
from staging.stg_ehs__risk_assessments
"""
DBT_AGGREGATE_SQL = """
select facility_id,
       cast(extract(year from found_on) as varchar) || '-Q'
           || cast(extract(quarter from found_on) as varchar) as quarter,
       sum(finding_score) as sum, count(*) as count
from marts.fct_findings group by 1, 2 order by 1, 2
"""


@dataclass
class SizeResult:
    target_findings: int
    findings: int = 0
    scale: float = 0.0
    generate_s: float | None = None
    ingest_s: float | None = None
    dbt_build_s: float | None = None
    ingest_peak_mb: float | None = None
    read_csv_s: float | None = None
    ingest_over_read_csv: float | None = None
    # read_csv of the same files written straight back out as CSV (bench.read_floor)
    read_write_csv_s: float | None = None
    ingest_over_read_write_csv: float | None = None
    # ingest again in one process with one worker, seconds per phase (bench.ingest_phases)
    ingest_phases: dict[str, float] | None = None
    single_pass_s: float | None = None
    dbt_staging_fi_s: float | None = None
    staging_over_single_pass: float | None = None
    single_pass_agrees: bool | None = None
    dbt_peak_mb: float | None = None
    floor_s: float | None = None
    floor_peak_mb: float | None = None
    pandas_apply_s: float | None = None
    pandas_vectorised_s: float | None = None
    # reading the baseline's inputs (accepted findings, assessments) from the warehouse
    # into DataFrames: not in pandas_apply_s, as dbt scoring's reading of staging is
    pandas_load_s: float | None = None
    reconcile_s: float | None = None
    reconcile_peak_mb: float | None = None
    dbt_scoring_s: float | None = None
    dbt_over_floor: float | None = None
    apply_over_dbt: float | None = None
    apply_over_scoring: float | None = None
    vectorised_over_dbt: float | None = None
    total_score_dbt: float | None = None
    total_score_floor: float | None = None
    total_score_pandas: float | None = None
    aggregates_agree: bool = False
    repeat: int = 1
    cpus: int = field(default_factory=lambda: os.cpu_count() or 0)
    memory_gb: float = field(default_factory=lambda: round(
        os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1))
    machine: str = field(default_factory=lambda: f"{platform.machine()} {platform.system()}")
    date: str = field(default_factory=lambda: datetime.now(UTC).date().isoformat())
    commit: str = field(default_factory=lambda: _commit())
    notes: list[str] = field(default_factory=list)


def _commit() -> str:
    """The git commit the figures are measured on ('+ changes' when the tree is dirty)."""
    root = project_root()
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, text=True,
                              capture_output=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=root, text=True, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} + changes" if dirty.strip() else head


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


class StepFailed(RuntimeError):
    """A measured command failed: the size's remaining figures cannot be taken."""


def _check(m: Measurement, what: str, log: Path) -> Measurement:
    if m.returncode != 0:
        raise StepFailed(f"{what} failed (exit {m.returncode}); see {log} and the dbt log "
                         "under the size's data folder")
    return m


def _latest_quarter(warehouse: Path) -> str | None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute("select max(period) from marts.dim_quarters").fetchone()
    return row[0] if row else None


def _as_of(warehouse: Path) -> date:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute("select max(as_of_date) from marts.fct_findings").fetchone()
    assert row is not None
    return row[0]


SCORED_MODEL = "model.chemsafe_esg.fct_findings"
SCORING_SCHEMAS = ("intermediate", "marts")


def scoring_path_models(target_dir: Path) -> list[str]:
    """The models of the scoring path: fct_findings and every intermediate or mart model
    it depends on (staging left out: the pandas baseline starts from staging too)."""
    manifest = json.loads((target_dir / "manifest.json").read_text(encoding="utf-8"))
    parents: dict[str, list[str]] = manifest["parent_map"]
    seen, todo = set(), [SCORED_MODEL]
    while todo:
        uid = todo.pop()
        if uid not in seen:
            seen.add(uid)
            todo.extend(parents.get(uid, []))
    nodes = manifest["nodes"]
    return sorted(nodes[uid]["name"] for uid in seen
                  if uid in nodes and nodes[uid]["resource_type"] == "model"
                  and nodes[uid]["schema"] in SCORING_SCHEMAS)


def isolated_seconds(models: list[str], env: dict[str, str], root: Path, log: Path,
                     target_dir: Path) -> float:
    """Run just `models` again, one at a time (dbt --threads 1; DuckDB still uses every
    core inside each), on the built warehouse: the sum of their execution times.

    Inside the whole build these models share the two cores with whatever dbt runs beside
    them, so their times there say as much about their neighbours as about them; the
    hand-written script and the pandas baseline they are compared with run alone."""
    command = [dbt_executable(), "run", "--select", *models, "--threads", "1",
               "--project-dir", str(root), "--profiles-dir", str(root)]
    _check(measure(command, env, root, log), f"dbt run of {len(models)} models", log)
    results = json.loads((target_dir / "run_results.json").read_text(encoding="utf-8"))
    wanted = set(models)
    return sum(float(r["execution_time"]) for r in results["results"]
               if r["unique_id"].split(".")[-1] in wanted)


def _frames(db: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).df()


def _agree(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    if len(a) != len(b):
        return False
    left = a.sort_values(["facility_id", "quarter"]).reset_index(drop=True)
    right = b.sort_values(["facility_id", "quarter"]).reset_index(drop=True)
    keys = ["facility_id", "quarter"]
    same_keys = (left[keys].to_numpy() == right[keys].to_numpy()).all()
    close = ((left["sum"] - right["sum"]).abs() <= 1e-6 * right["sum"].abs().clip(lower=1)).all()
    same_counts = (left["count"].to_numpy() == right["count"].to_numpy()).all()
    return bool(same_keys and close and same_counts)


def bench_size(target: int, repeat: int, root: Path, log: Path) -> SizeResult:
    """Measure one size; a failed step is recorded in the result's notes, not raised."""
    result = SizeResult(target_findings=target, repeat=repeat)
    try:
        _measure_size(result, root, log)
    except StepFailed as exc:
        result.notes.append(str(exc))
    return result


def extracts_of_size(target: int, root: Path) -> tuple[Path, float, float | None]:
    """The demo extracts of about `target` findings under root/<target>/extracts, generated
    unless a complete set is there: (size folder, scale, generation seconds or None)."""
    scale = target / FINDINGS_PER_SCALE
    size_dir = root / f"{target}"
    extracts = size_dir / "extracts"
    marker = extracts / ".complete"
    if marker.exists():
        return size_dir, scale, None
    started = time.perf_counter()
    generate(extracts, scale=scale, seed=DEFAULT_SEED)
    seconds = time.perf_counter() - started
    marker.write_text(f"scale={scale}\n")
    return size_dir, scale, seconds


def _measure_size(result: SizeResult, root: Path, log: Path) -> None:
    repeat = result.repeat
    size_dir, result.scale, result.generate_s = extracts_of_size(result.target_findings, root)
    extracts = size_dir / "extracts"
    paths = DataPaths((size_dir / "data").resolve())
    paths.root.mkdir(parents=True, exist_ok=True)
    env = dbt_env(paths)
    chemsafe = str(Path(sys.executable).parent / "chemsafe")
    ingest = _check(measure([chemsafe, "ingest", str(extracts)], env,
                            project_root(), log), "ingest", log)
    result.ingest_s, result.ingest_peak_mb = ingest.wall_s, ingest.peak_mb
    floor_read = _check(measure([sys.executable, "-m", "chemsafe.bench.read_floor",
                                 str(extracts)], env, project_root(), log, keep_stdout=True),
                        "read_csv floor", log)
    floors_read = json.loads(floor_read.stdout)
    result.read_csv_s = float(floors_read["read_csv_s"])
    result.read_write_csv_s = float(floors_read["read_write_csv_s"])
    result.ingest_over_read_csv = result.ingest_s / result.read_csv_s
    result.ingest_over_read_write_csv = result.ingest_s / result.read_write_csv_s
    phases_dir = size_dir / "ingest_phases"
    shutil.rmtree(phases_dir, ignore_errors=True)
    phases = _check(measure([sys.executable, "-m", "chemsafe.bench.ingest_phases",
                             str(extracts), str(phases_dir)], env, project_root(), log,
                            keep_stdout=True), "ingest by phase", log)
    shutil.rmtree(phases_dir, ignore_errors=True)
    result.ingest_phases = json.loads(phases.stdout)
    root_dir = project_root()
    prepare_target(paths, root_dir)
    # the build as `chemsafe build` runs it: one node at a time for a large load
    serial = one_node_at_a_time(paths.current_seeds)
    if serial is not None:
        result.notes.append(f"dbt build ran one node at a time, as `chemsafe build` does for "
                            f"a load of {serial:,} records (at least "
                            f"{SERIAL_RECORDS_ENV}) when CHEMSAFE_THREADS is not set")
    dbt_cmd = [dbt_executable(), "build", *(["--threads", "1"] if serial is not None else []),
               "--project-dir", str(root_dir), "--profiles-dir", str(root_dir)]
    # the whole build's manifest (every node compiled), kept before the isolated runs of a
    # few models write a manifest compiled for those alone
    build_manifest = size_dir / "floor" / "build_manifest.json"
    floor_cmd = [sys.executable, "-m", "chemsafe.bench.floor",
                 str(build_manifest), str(paths.warehouse),
                 str(size_dir / "floor" / "chemsafe.duckdb")]
    (size_dir / "floor").mkdir(exist_ok=True)
    builds, peaks, floors, floor_peaks, applies, vectors, recs, rec_peaks, scorings, loads = (
        [] for _ in range(10))
    staging_fi: list[float] = []
    single_passes: list[float] = []
    for _ in range(repeat):
        m = _check(measure(dbt_cmd, env, root_dir, log), "dbt build", log)
        builds.append(m.wall_s)
        peaks.append(m.peak_mb)
        # recorded as `chemsafe build` records a passed full build, which reconcile needs;
        # reconciled now, before the isolated runs below replace dbt's last invocation
        remember_passed_build(paths)
        quarter = _latest_quarter(paths.warehouse)
        r = measure([chemsafe, "reconcile", "--quarter", str(quarter)], env, root_dir, log)
        if r.returncode not in (0, 1):  # 1 = a control failed, a valid measurement
            raise StepFailed(f"chemsafe reconcile failed (exit {r.returncode}); see {log}")
        recs.append(r.wall_s)
        rec_peaks.append(r.peak_mb)
        scoring_models = scoring_path_models(paths.dbt_target)
        shutil.copyfile(paths.dbt_target / "manifest.json", build_manifest)
        staging_fi.append(isolated_seconds(list(STAGING_MODELS), env, root_dir, log,
                                           paths.dbt_target))
        single_s, agrees = run_single_pass(paths.current_seeds.resolve(), paths.warehouse,
                                           size_dir / "single_pass.duckdb")
        single_passes.append(single_s)
        result.single_pass_agrees = agrees and result.single_pass_agrees is not False
        aggregate_s, _ = timed(_frames, paths.warehouse, DBT_AGGREGATE_SQL)
        scorings.append(isolated_seconds(scoring_models, env, root_dir, log,
                                         paths.dbt_target) + aggregate_s)
        f = _check(measure(floor_cmd, env, root_dir, log), "engine floor", log)
        floors.append(f.wall_s)
        floor_peaks.append(f.peak_mb)
        load_started = time.perf_counter()
        findings = _frames(paths.warehouse, FINDINGS_SQL)
        assessments = _frames(paths.warehouse, ASSESSMENTS_SQL)
        loads.append(time.perf_counter() - load_started)
        as_of = _as_of(paths.warehouse)
        apply_s, by_apply = timed(score_apply, findings, assessments, as_of)
        vector_s, by_vector = timed(score_vectorised, findings, assessments, as_of)
        applies.append(apply_s)
        vectors.append(vector_s)
    dbt_agg = _frames(paths.warehouse, DBT_AGGREGATE_SQL)
    floor_agg = _frames(size_dir / "floor" / "chemsafe.duckdb", DBT_AGGREGATE_SQL)
    result.findings = int(dbt_agg["count"].sum())
    result.total_score_dbt = float(dbt_agg["sum"].sum())
    result.total_score_floor = float(floor_agg["sum"].sum())
    result.total_score_pandas = float(by_vector["sum"].sum())
    result.aggregates_agree = (_agree(dbt_agg, floor_agg) and _agree(dbt_agg, by_apply)
                               and _agree(dbt_agg, by_vector))
    result.dbt_build_s, result.dbt_peak_mb = _median(builds), _median(peaks)
    result.floor_s, result.floor_peak_mb = _median(floors), _median(floor_peaks)
    result.pandas_apply_s, result.pandas_vectorised_s = _median(applies), _median(vectors)
    result.pandas_load_s = _median(loads)
    result.reconcile_s, result.reconcile_peak_mb = _median(recs), _median(rec_peaks)
    result.dbt_scoring_s = _median(scorings)
    result.dbt_staging_fi_s, result.single_pass_s = _median(staging_fi), _median(single_passes)
    if result.dbt_staging_fi_s and result.single_pass_s:
        result.staging_over_single_pass = result.dbt_staging_fi_s / result.single_pass_s
    if result.dbt_scoring_s:
        result.apply_over_scoring = (result.pandas_apply_s or 0) / result.dbt_scoring_s
    if result.dbt_build_s and result.floor_s:
        result.dbt_over_floor = result.dbt_build_s / result.floor_s
    if result.dbt_build_s:
        result.apply_over_dbt = (result.pandas_apply_s or 0) / result.dbt_build_s
        result.vectorised_over_dbt = (result.pandas_vectorised_s or 0) / result.dbt_build_s


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def markdown_table(results: list[SizeResult]) -> str:
    head = ("| findings | runs | dbt build s | dbt peak MB | floor s | dbt/floor | "
            "pandas apply s | apply/dbt | pandas vectorised s | vectorised/dbt | "
            "dbt scoring s | apply/scoring | reconcile s | reconcile MB | agree |")
    lines = [head, "|" + "---|" * 15]
    for r in results:
        lines.append(
            f"| {r.findings or r.target_findings:,} | {r.repeat} | {_fmt(r.dbt_build_s)} | "
            f"{_fmt(r.dbt_peak_mb, 0)} | "
            f"{_fmt(r.floor_s)} | {_fmt(r.dbt_over_floor, 2)} | {_fmt(r.pandas_apply_s)} | "
            f"{_fmt(r.apply_over_dbt, 2)} | {_fmt(r.pandas_vectorised_s, 2)} | "
            f"{_fmt(r.vectorised_over_dbt, 3)} | {_fmt(r.dbt_scoring_s)} | "
            f"{_fmt(r.apply_over_scoring, 1)} | {_fmt(r.reconcile_s)} | "
            f"{_fmt(r.reconcile_peak_mb, 0)} | {'yes' if r.aggregates_agree else 'NO'} |"
        )
    lines += [
        "",
        "| findings | ingest s | ingest peak MB | read_csv s | ingest/read_csv | "
        "read_csv + write s | ingest/(read + write) | "
        "dbt staging (findings + inspections) s | single pass s | staging/single pass | "
        "single pass agrees |",
        "|" + "---|" * 11,
    ]
    for r in results:
        agrees = {True: "yes", False: "NO", None: "–"}[r.single_pass_agrees]
        lines.append(
            f"| {r.findings or r.target_findings:,} | {_fmt(r.ingest_s)} | "
            f"{_fmt(r.ingest_peak_mb, 0)} | {_fmt(r.read_csv_s, 2)} | "
            f"{_fmt(r.ingest_over_read_csv, 2)} | {_fmt(r.read_write_csv_s, 2)} | "
            f"{_fmt(r.ingest_over_read_write_csv, 2)} | {_fmt(r.dbt_staging_fi_s, 2)} | "
            f"{_fmt(r.single_pass_s, 2)} | {_fmt(r.staging_over_single_pass, 2)} | {agrees} |"
        )
    for r in results:
        if r.ingest_phases:
            lines += ["", phases_line(r)]
    if results:
        r = results[0]
        lines.append("")
        lines.append(f"Machine: {r.cpus} CPUs, {r.memory_gb} GB, {r.machine}; {r.date}; "
                     f"commit {r.commit}; "
                     "figures are medians of the runs; peak MB is the largest resident set "
                     "of the measured process tree's biggest process.")
        for each in results:
            lines += [f"- {each.target_findings:,}: {note}" for note in each.notes]
    return "\n".join(lines)


PHASE_LABELS = (("hash_and_check_s", "hash and UTF-8 check"), ("scan_s", "line scan"),
                ("decode_cp949_s", "CP949 decoding"), ("good_copy_s", "good copy"),
                ("duckdb_s", "DuckDB statements"), ("other_s", "other"))


def phases_line(r: SizeResult) -> str:
    """The ingest-by-phase sentence of one size (bench.ingest_phases)."""
    p = r.ingest_phases or {}
    parts = []
    for key, label in PHASE_LABELS:
        part = f"{label} {_fmt(p.get(key), 2)} s"
        if key == "duckdb_s":
            hashed = _fmt(p.get("keyed_hash_s"), 2)
            part += f" (of which the keyed hash of personal columns {hashed} s)"
        parts.append(part)
    return (f"Ingest of {r.findings or r.target_findings:,} findings again in one process, one "
            f"file at a time (bench.ingest_phases): {_fmt(p.get('total_s'), 2)} s: "
            + ", ".join(parts) + ".")


def write_results(results: list[SizeResult], folder: Path) -> tuple[Path, Path]:
    payload = json.dumps([asdict(r) for r in results], indent=2, ensure_ascii=False)
    return write_files(folder, "", results[0].date if results else "empty", payload,
                       markdown_table(results) + "\n")


def write_files(folder: Path, prefix: str, stamp: str, payload: str,
                table: str) -> tuple[Path, Path]:
    """<prefix>latest.json / .md and the dated <prefix>bench-<stamp> copies."""
    folder.mkdir(parents=True, exist_ok=True)
    json_path, md_path = folder / f"{prefix}latest.json", folder / f"{prefix}latest.md"
    for path, text in ((json_path, payload), (md_path, table),
                       (folder / f"{prefix}bench-{stamp}.json", payload),
                       (folder / f"{prefix}bench-{stamp}.md", table)):
        path.write_text(text, encoding="utf-8")
    return json_path, md_path
