"""`chemsafe bench --target spark`: the dbt build of one load on DuckDB and on local Spark,
side by side in one run (issue 14).

For each size the demo generator writes an extract set (reused when present, the same
folders as the DuckDB bench), `chemsafe ingest` converts it once into a fresh data
directory, then the same dbt steps run on the DuckDB target (`local`) and on the Spark
target (`spark`: dbt-spark method session, a local Spark JVM under the dbt process): seed,
run, and the singular tests (the calendar and trim cases among them), as the parity test
runs them. Not the ~700 generic tests on either engine: on Spark each is a separate query
with fixed planning cost, which would make the figure a count of tests, not of data. Each
step is measured with chemsafe.bench.measure in tree mode: wall and CPU seconds of the
whole process tree, the peak of the tree's summed resident sets, the largest single
process, and the JVM's own high-water mark. Then the same comparison figures are computed
on both engines and compared: row counts of every mart table, fct_findings' score and
count per facility and quarter, kpi_quarterly's numerators, denominators and values per
KPI. On Spark they are computed by Spark (a session from chemsafe.spark_pull, in a child
process: it holds the Derby metastore until its process ends) and only the small results
collected, so the comparison does not depend on the pull (chemsafe.spark_pull's
publishing path, through Parquet, which this bench does not time).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from chemsafe.bench.measure import Measurement, measure
from chemsafe.bench.runner import (
    StepFailed,
    _check,
    _commit,
    _fmt,
    extracts_of_size,
    write_files,
)
from chemsafe.dbt_runner import dbt_env, dbt_executable, prepare_target
from chemsafe.paths import DataPaths, project_root

ENGINES = ("duckdb", "spark")
DBT_TARGETS = {"duckdb": "local", "spark": "spark"}
STEPS = (("seed",), ("run",), ("test", "--select", "test_type:singular"))
STEPS_TEXT = "dbt seed + dbt run + dbt test --select test_type:singular (no generic tests)"
# fct_findings' score and count per facility and quarter, on each engine's SQL
FINDINGS_SQL = """
select facility_id, cast(extract(year from found_on) as varchar) || '-Q'
           || cast(extract(quarter from found_on) as varchar) as quarter,
       sum(finding_score) as score, count(*) as n
from marts.fct_findings group by 1, 2 order by 1, 2
"""
FINDINGS_SQL_SPARK = """
select facility_id, concat(cast(year(found_on) as string), '-Q',
                           cast(quarter(found_on) as string)) as quarter,
       sum(finding_score) as score, count(*) as n
from marts.fct_findings group by 1, 2 order by 1, 2
"""
KPI_SQL = """
select kpi_code, count(*) as n, count(value) as n_value, sum(value) as value,
       sum(numerator) as numerator, sum(denominator) as denominator
from marts.kpi_quarterly group by 1 order by 1
"""
TOLERANCE = 1e-9


@dataclass
class EngineFigures:
    seed_s: float = 0.0
    run_s: float = 0.0
    test_s: float = 0.0
    wall_s: float = 0.0
    cpu_s: float = 0.0
    tree_peak_mb: float = 0.0  # summed resident sets of the tree, the largest sample
    process_peak_mb: float = 0.0  # the largest single process (getrusage)
    jvm_peak_mb: float | None = None  # the java process's VmHWM (Spark only)
    # the tree's peak sample by process name (MB), and the step it was taken in
    tree_at_peak_mb: dict[str, int] = field(default_factory=dict)
    tree_peak_step: str = ""

    def add(self, step: str, m: Measurement) -> None:
        setattr(self, f"{step}_s", m.wall_s)
        self.wall_s += m.wall_s
        self.cpu_s += m.cpu_s or 0.0
        if (m.tree_peak_mb or 0.0) > self.tree_peak_mb:
            self.tree_peak_mb, self.tree_peak_step = m.tree_peak_mb or 0.0, step
            self.tree_at_peak_mb = dict(m.tree_at_peak_mb or {})
        self.process_peak_mb = max(self.process_peak_mb, m.peak_mb)
        if m.jvm_peak_mb is not None:
            self.jvm_peak_mb = max(self.jvm_peak_mb or 0.0, m.jvm_peak_mb)


@dataclass
class SparkSizeResult:
    target_findings: int
    findings: int = 0
    scale: float = 0.0
    generate_s: float | None = None
    ingest_s: float | None = None
    steps: str = STEPS_TEXT
    compared_by: str = "figures computed on each engine (Spark's by Spark)"
    duckdb: EngineFigures = field(default_factory=EngineFigures)
    spark: EngineFigures = field(default_factory=EngineFigures)
    spark_over_duckdb_wall: float | None = None
    spark_over_duckdb_cpu: float | None = None
    spark_over_duckdb_memory: float | None = None
    pull_s: float | None = None
    marts_compared: int = 0
    mart_rows_compared: int = 0
    mart_row_counts_agree: bool = False
    findings_agree: bool = False
    kpis_agree: bool = False
    total_score_duckdb: float | None = None
    total_score_spark: float | None = None
    load_before: list[float] = field(default_factory=list)
    load_after: list[float] = field(default_factory=list)
    spark_master: str = field(default_factory=lambda: os.environ.get(
        "CHEMSAFE_SPARK_MASTER", "local[2]"))
    spark_driver_memory: str = field(default_factory=lambda: os.environ.get(
        "CHEMSAFE_SPARK_MEMORY", "2g"))
    cpus: int = field(default_factory=lambda: os.cpu_count() or 0)
    memory_gb: float = field(default_factory=lambda: round(
        os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1))
    date: str = field(default_factory=lambda: datetime.now(UTC).date().isoformat())
    commit: str = field(default_factory=_commit)
    notes: list[str] = field(default_factory=list)

    @property
    def agree(self) -> bool:
        return self.mart_row_counts_agree and self.findings_agree and self.kpis_agree


def bench_spark_size(target: int, root: Path, log: Path) -> SparkSizeResult:
    """Measure one size on both engines; a failed step goes to the notes, not raised."""
    result = SparkSizeResult(target_findings=target, load_before=_load())
    try:
        _measure(result, root, log)
    except StepFailed as exc:
        result.notes.append(str(exc))
    result.load_after = _load()
    return result


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _measure(result: SparkSizeResult, root: Path, log: Path) -> None:
    size_dir, result.scale, result.generate_s = extracts_of_size(result.target_findings, root)
    extracts = size_dir / "extracts"
    # a fresh data directory: both builds start from empty warehouses over one load
    data_dir = (size_dir / "engines").resolve()
    shutil.rmtree(data_dir, ignore_errors=True)
    paths = DataPaths(data_dir)
    paths.root.mkdir(parents=True)
    project = project_root()
    env = dbt_env(paths)
    chemsafe = str(Path(sys.executable).parent / "chemsafe")
    ingest = _check(measure([chemsafe, "ingest", str(extracts)], env, project, log),
                    "ingest", log)
    result.ingest_s = ingest.wall_s
    prepare_target(paths, project)
    for engine in ENGINES:
        engine_env = dict(env)
        if engine == "spark":  # its own dbt target folder: no partial-parse cache churn
            engine_env["DBT_TARGET_PATH"] = str(data_dir / "dbt" / "target_spark")
            engine_env["DBT_LOG_PATH"] = str(data_dir / "dbt" / "logs_spark")
        figures: EngineFigures = getattr(result, engine)
        for step in STEPS:
            command = [dbt_executable(), *step, "--target", DBT_TARGETS[engine],
                       "--project-dir", str(project), "--profiles-dir", str(project)]
            print(f"  {engine}: dbt {' '.join(step)} ...", flush=True)
            m = _check(measure(command, engine_env, project, log, tree=True),
                       f"dbt {step[0]} on {engine}", log)
            figures.add(step[0], m)
    duck, spark = result.duckdb, result.spark
    result.spark_over_duckdb_wall = spark.wall_s / duck.wall_s
    result.spark_over_duckdb_cpu = spark.cpu_s / duck.cpu_s if duck.cpu_s else None
    result.spark_over_duckdb_memory = (spark.tree_peak_mb / duck.tree_peak_mb
                                       if duck.tree_peak_mb else None)
    pulled = size_dir / "spark_figures.json"
    pulled.unlink(missing_ok=True)
    pull = _check(measure([sys.executable, "-m", "chemsafe.bench.spark", str(data_dir),
                           str(pulled)], env, project, log), "aggregates of the Spark marts",
                  log)
    result.pull_s = pull.wall_s
    _compare(result, paths.warehouse, pulled)


def _duckdb_figures(warehouse: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "and table_type = 'BASE TABLE' order by 1").fetchall()]
        counts = [(name, *(con.execute(f'select count(*) from marts."{name}"').fetchone()
                           or (0,))) for name in tables]
        return {"counts": counts, "findings": con.execute(FINDINGS_SQL).fetchall(),
                "kpis": con.execute(KPI_SQL).fetchall()}


def _spark_figures(data_dir: Path) -> dict[str, list[tuple]]:
    """The same figures computed by Spark on its warehouse (only the small results leave
    the JVM: collecting whole marts into the driver ran out of a 2 GB heap at 1M)."""
    from chemsafe.spark_pull import spark_session

    spark = spark_session(data_dir)
    try:
        tables = sorted(row.tableName for row in spark.sql("show tables in marts").collect()
                        if not row.isTemporary)
        counts = []
        for name in tables:
            kind = spark.sql(f"describe table extended marts.{name}").where(
                "col_name = 'Type'").collect()
            if kind and kind[0].data_type.strip().upper() == "VIEW":
                continue
            counts.append((name, spark.sql(f"select count(*) from marts.{name}").first()[0]))
        return {"counts": counts,
                "findings": [_plain(r) for r in spark.sql(FINDINGS_SQL_SPARK).collect()],
                "kpis": [_plain(r) for r in spark.sql(KPI_SQL).collect()]}
    finally:
        spark.stop()


def _plain(row: object) -> tuple:
    return tuple(float(v) if isinstance(v, Decimal) else v for v in row)  # type: ignore[attr-defined]


def _compare(result: SparkSizeResult, warehouse: Path, spark_json: Path) -> None:
    duck = _duckdb_figures(warehouse)
    spark = {key: [tuple(row) for row in rows]
             for key, rows in json.loads(spark_json.read_text(encoding="utf-8")).items()}
    left, right = dict(duck["counts"]), dict(spark["counts"])
    result.marts_compared = len(set(left) & set(right))
    result.mart_rows_compared = sum(left[name] for name in set(left) & set(right))
    result.mart_row_counts_agree = left == right and result.marts_compared > 0
    if set(left) != set(right):
        result.notes.append(f"marts only on DuckDB: {sorted(set(left) - set(right))}; "
                            f"only on Spark: {sorted(set(right) - set(left))}")
    for name in sorted(set(left) & set(right)):
        if left[name] != right[name]:
            result.notes.append(f"marts.{name}: {left[name]} rows on DuckDB, "
                                f"{right[name]} on Spark")
    result.findings = sum(int(row[3]) for row in duck["findings"])
    result.total_score_duckdb = sum(float(row[2] or 0) for row in duck["findings"])
    result.total_score_spark = sum(float(row[2] or 0) for row in spark["findings"])
    result.findings_agree = _rows_close(duck["findings"], spark["findings"])
    if not result.findings_agree:
        result.notes.append("fct_findings: score or count per facility and quarter differ")
    result.kpis_agree = _rows_close(duck["kpis"], spark["kpis"])
    if not result.kpis_agree:
        result.notes.append("kpi_quarterly: counts or sums per KPI differ")


def _rows_close(left: list[tuple], right: list[tuple]) -> bool:
    return len(left) == len(right) and len(left) > 0 and all(
        _close(a, b) for x, y in zip(left, right, strict=True)
        for a, b in zip(x, y, strict=True))


def _close(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return math.isclose(float(a), float(b), rel_tol=TOLERANCE,  # type: ignore[arg-type]
                        abs_tol=TOLERANCE)


def markdown_table(results: list[SparkSizeResult]) -> str:
    lines = [
        "| findings | engine | seed s | run s | singular tests s | total wall s | CPU s | "
        "tree peak MB | largest process MB | JVM peak MB |",
        "|" + "---|" * 10,
    ]
    for r in results:
        for engine in ENGINES:
            f: EngineFigures = getattr(r, engine)
            lines.append(
                f"| {r.findings or r.target_findings:,} | {engine} | {_fmt(f.seed_s)} | "
                f"{_fmt(f.run_s)} | {_fmt(f.test_s)} | {_fmt(f.wall_s)} | {_fmt(f.cpu_s)} | "
                f"{_fmt(f.tree_peak_mb, 0)} | {_fmt(f.process_peak_mb, 0)} | "
                f"{_fmt(f.jvm_peak_mb, 0)} |")
    lines += [
        "",
        "| findings | Spark/DuckDB wall | Spark/DuckDB CPU | Spark/DuckDB peak | "
        "marts compared (rows) | agree | load average before → after | commit |",
        "|" + "---|" * 8,
    ]
    for r in results:
        lines.append(
            f"| {r.findings or r.target_findings:,} | {_fmt(r.spark_over_duckdb_wall, 2)} | "
            f"{_fmt(r.spark_over_duckdb_cpu, 2)} | {_fmt(r.spark_over_duckdb_memory, 2)} | "
            f"{r.marts_compared} ({r.mart_rows_compared:,}) | "
            f"{'yes' if r.agree else 'NO'} | "
            f"{' '.join(map(str, r.load_before))} → {' '.join(map(str, r.load_after))} | "
            f"{r.commit} |")
    if results:
        r = results[0]
        lines += [
            "",
            f"Each engine: {r.steps}, on the same ingested load, one run. Spark: dbt-spark "
            f"method session, master {r.spark_master}, driver memory "
            f"{r.spark_driver_memory}; each dbt step starts its own JVM. Wall and CPU "
            "seconds are the steps' sums (CPU: every process of the tree, the JVM "
            "included); tree peak is the largest sum of the tree's resident sets seen "
            "(sampled every 0.2 s), largest process the biggest single process (getrusage), "
            "JVM peak the java process's VmHWM. Agree: row counts of every mart, "
            "fct_findings' score and count per facility and quarter, kpi_quarterly's sums "
            "per KPI, Spark's computed by Spark. Load average: 1, 5 and "
            "15 minutes (the machine is shared).",
            f"Machine: {r.cpus} CPUs, {r.memory_gb} GB; {r.date}.",
        ]
        for each in results:
            lines += [f"- {each.target_findings:,}: {note}" for note in each.notes]
    return "\n".join(lines)


def write_results(results: list[SparkSizeResult], folder: Path) -> tuple[Path, Path]:
    payload = json.dumps([{**asdict(r), "agree": r.agree} for r in results], indent=2,
                         ensure_ascii=False)
    return write_files(folder, "spark-", results[0].date if results else "empty", payload,
                       markdown_table(results) + "\n")


def spark_available() -> str | None:
    """Why the Spark bench cannot run here, or None."""
    import importlib.util

    missing = [name for name in ("pyspark", "dbt.adapters.spark")
               if importlib.util.find_spec(name) is None]
    if missing:
        return (f"the spark extras are not installed ({', '.join(missing)} missing): "
                "run `make spark`")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java runtime (java on the PATH or JAVA_HOME): Spark cannot start"
    return None


def main(argv: list[str]) -> int:
    """python -m chemsafe.bench.spark DATA_DIR OUT.json: the comparison figures of the
    Spark build (row counts of the marts, fct_findings and kpi_quarterly aggregates)."""
    data_dir, out = Path(argv[0]), Path(argv[1])
    figures = _spark_figures(data_dir)
    out.write_text(json.dumps(figures, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    # the pull's Spark session is the process's: run as its own process (see the docstring)
    raise SystemExit(main(sys.argv[1:]))
