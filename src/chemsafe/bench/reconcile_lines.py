"""`chemsafe bench --reconcile-lines N`: `chemsafe reconcile` of a quarter of N lines, the
current code side by side with a baseline revision, in one run on the same warehouse.

The demo extracts are ingested and built once (<data dir>/bench/reconcile-base); a copy of
that warehouse gets N synthetic lines added to its latest quarter (40 % inventory, 30 %
self-inspection, 30 % training lines; about 4-5 % of each not matched, a few counts outside
the count window), then dbt rebuilds the quarter summary and the audit sample from them.
Each repetition runs the current `python -m chemsafe.reconcile` and the baseline's (the
revision exported with `git archive`, run with its own src/ first on PYTHONPATH) on that
warehouse, each in its own measuring process (wall time, peak resident memory). The
baseline default is the last commit before Great Expectations validated the lines (it
validated one row of SQL measures per checkpoint).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from chemsafe.bench.measure import measure
from chemsafe.dbt_runner import dbt_on_project
from chemsafe.paths import project_root
from chemsafe.reconcile.catalog import bind

BASELINE_REV = "fd21d5b"  # GX validated one row of SQL measures per checkpoint
SUMMARY_MODELS = ("fct_reconciliation_quarter_summary", "fct_reconciliation_audit_sample")


@dataclass
class ReconcileLinesResult:
    lines: int
    quarter: str = ""
    repeat: int = 1
    baseline_rev: str = BASELINE_REV
    current_s: float | None = None
    current_peak_mb: float | None = None
    baseline_s: float | None = None
    baseline_peak_mb: float | None = None
    current_over_baseline: float | None = None
    exit_codes: dict[str, list[int]] = field(default_factory=dict)
    date: str = field(default_factory=lambda: datetime.now(UTC).date().isoformat())
    notes: list[str] = field(default_factory=list)


def _chemsafe_env(data_dir: Path, src: Path | None = None) -> dict[str, str]:
    env = dict(os.environ, CHEMSAFE_DATA_DIR=str(data_dir))
    env.pop("CHEMSAFE_PSEUDONYM_KEY", None)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def _base_warehouse(root: Path, log: Path) -> Path:
    base = root / "reconcile-base"
    if not (base / "chemsafe.duckdb").is_file():
        chemsafe = str(Path(sys.executable).parent / "chemsafe")
        for args in (["ingest", str(project_root() / "demo" / "extracts")], ["build"]):
            with log.open("a") as out:
                subprocess.run([chemsafe, *args], env=_chemsafe_env(base), cwd=project_root(),
                               stdout=out, stderr=subprocess.STDOUT, check=True)
    return base


def inflate_latest_quarter(source: Path, target: Path, lines: int) -> str:
    """Copy the data directory `source` to `target` and add `lines` synthetic lines to the
    latest quarter of its warehouse; return the quarter."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("reports", "reconcile"))
    inventory, self_inspection = int(lines * 0.4), int(lines * 0.3)
    training = lines - inventory - self_inspection
    with duckdb.connect(str(target / "chemsafe.duckdb")) as con:
        quarter, start, end = con.execute(
            "select period, quarter_start, quarter_end from marts.dim_quarters "
            "order by quarter_end desc limit 1").fetchone()
        facility, site = con.execute(
            "select facility_id, site_id from marts.dim_facilities "
            "where decommissioned_on is null order by facility_id limit 1").fetchone()
        employee = con.execute(
            "select min(employee_key) from staging.stg_lms__training_records").fetchone()[0]
        values = {"quarter": quarter, "start": start, "end": end, "facility": facility,
                  "site": site, "employee": employee}
        insert = f"""
            insert into marts.fct_inventory_reconciliation by name
            select $end as reference_date, $quarter as period, true as is_quarter_end,
                $site as site_id, $facility as facility_id,
                'SYN-' || lpad(cast(i as varchar), 8, '0') as cas_no,
                i % 10 = 0 as is_accident_precaution,
                case when i % 97 = 5 then null else 100 end as quantity_kg,
                case when i % 97 = 5 then 100 when i % 89 = 7 then null
                     when i % 41 = 3 then 130 else 100 end as counted_kg,
                case when i % 97 = 5 then 'missing_in_system'
                     when i % 89 = 7 then 'missing_in_field'
                     when i % 41 = 3 then 'out_of_tolerance' else 'matched' end as match_status,
                false as is_escalated,
                $end + cast(1 + i % 13 as integer)
                    + case when i % 59 = 4 then 9 else 0 end as counted_on,
                'SH-' || cast(i as varchar) as sheet_no, 'E' as counted_by,
                cast(i as integer) as system_source_line, cast(i as integer) as field_source_line
            from range({inventory}) as t(i)"""
        con.execute(insert, bind(insert, values))
        insert = f"""
            insert into marts.fct_self_inspection_reconciliation by name
            select 'SYN' || cast(i as varchar) as line_id, $quarter as period,
                $site as site_id, $facility as facility_id,
                $start + cast(i % 90 as integer) as inspected_on, 1 as pair_rank,
                case when i % 53 = 1 then null else 'IS' || cast(i as varchar) end
                    as inspection_id,
                case when i % 31 = 2 and i % 53 <> 1 then null
                     else 'CL' || cast(i as varchar) end as checklist_no,
                case when i % 53 = 1 then 'missing_in_system'
                     when i % 31 = 2 then 'missing_in_field' else 'matched' end as match_status,
                case when i % 211 = 9 then null else 'inspector' end as field_inspector
            from range({self_inspection}) as t(i)"""
        con.execute(insert, bind(insert, values))
        insert = f"""
            insert into marts.fct_training_reconciliation by name
            select 'SYN' || cast(i as varchar) as line_id, $quarter as period,
                $site as site_id, $employee as employee_key,
                'C' || cast(i % 7 as varchar) as course_code,
                $start + cast(i % 90 as integer) as trained_on, 1 as pair_rank,
                case when i % 47 = 1 then null else 'TR' || cast(i as varchar) end as record_id,
                case when i % 37 = 2 and i % 47 <> 1 then null
                     else 'SG' || cast(i as varchar) end as sheet_no,
                case when i % 47 = 1 then 'missing_in_system'
                     when i % 37 = 2 then 'missing_in_field' else 'matched' end as match_status
            from range({training}) as t(i)"""
        con.execute(insert, bind(insert, values))
    rebuilt = dbt_on_project(project_root(), target, "run", "-s", *SUMMARY_MODELS)
    if rebuilt.returncode != 0:
        raise RuntimeError(f"dbt run of the summary models failed:\n{rebuilt.stdout[-3000:]}")
    return str(quarter)


def baseline_tree(root: Path, rev: str) -> Path:
    """The baseline revision's files (git archive), exported once."""
    tree = root / f"baseline-{rev}"
    if not (tree / "src").is_dir():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", rev], cwd=project_root(),
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def bench_reconcile_lines(lines: int, repeat: int, root: Path, log: Path,
                          baseline_rev: str = BASELINE_REV) -> ReconcileLinesResult:
    result = ReconcileLinesResult(lines=lines, repeat=repeat, baseline_rev=baseline_rev)
    data_dir = root / f"reconcile-{lines}"
    result.quarter = inflate_latest_quarter(_base_warehouse(root, log), data_dir, lines)
    baseline = baseline_tree(root, baseline_rev)
    runs: dict[str, list[tuple[float, float]]] = {"current": [], "baseline": []}
    for _ in range(repeat):
        for name, tree in (("current", project_root()), ("baseline", baseline)):
            command = [sys.executable, "-m", "chemsafe.reconcile", "--quarter", result.quarter]
            m = measure(command, _chemsafe_env(data_dir, tree / "src"), tree, log)
            result.exit_codes.setdefault(name, []).append(m.returncode)
            if m.returncode not in (0, 1):  # 1: a control failed, a valid measurement
                result.notes.append(f"{name} reconcile exited {m.returncode}; see {log}")
                continue
            runs[name].append((m.wall_s, m.peak_mb))
    for name, measured in runs.items():
        if measured:
            setattr(result, f"{name}_s", statistics.median(s for s, _ in measured))
            setattr(result, f"{name}_peak_mb", statistics.median(mb for _, mb in measured))
    if result.current_s and result.baseline_s:
        result.current_over_baseline = result.current_s / result.baseline_s
    return result


def markdown(result: ReconcileLinesResult) -> str:
    def f(value: float | None, digits: int = 1) -> str:
        return "–" if value is None else f"{value:,.{digits}f}"

    return "\n".join([
        "| quarter lines | runs | reconcile s (GX on the lines) | peak MB | "
        f"baseline {result.baseline_rev} s | baseline peak MB | current / baseline |",
        "|" + "---|" * 7,
        f"| {result.lines:,} | {result.repeat} | {f(result.current_s)} | "
        f"{f(result.current_peak_mb, 0)} | {f(result.baseline_s)} | "
        f"{f(result.baseline_peak_mb, 0)} | {f(result.current_over_baseline, 2)} |",
    ])


def write(result: ReconcileLinesResult, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "reconcile-lines-latest.md"
    path.write_text(markdown(result) + "\n", encoding="utf-8")
    (folder / "reconcile-lines-latest.json").write_text(
        json.dumps(asdict(result), indent=2), encoding="utf-8")
    return path
