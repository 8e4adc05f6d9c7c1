"""The hand-written single-pass staging of inspections.csv and findings.csv.

    python -m chemsafe.bench.single_pass LOAD_DIR WAREHOUSE OUT_DB

Runs bench/staging_single_pass.sql on the ingested files of LOAD_DIR (the built WAREHOUSE
attached read-only for code labels and accepted facilities), prints the elapsed seconds
and whether it accepts and rejects exactly what the dbt staging did, as JSON. The dbt
side's time for the same two files: STAGING_MODELS run again on their own after the build
(``chemsafe.bench.runner.isolated_seconds``).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

from chemsafe.build_memory import build_memory_limit
from chemsafe.paths import project_root

SCRIPT = Path("bench") / "staging_single_pass.sql"
STAGING_MODELS = ("base_ehs__inspections", "chk_ehs__inspections", "stg_ehs__inspections",
                  "base_ehs__findings", "chk_ehs__findings", "stg_ehs__findings")

# (hand-written accepted rows, dbt's staging rows, hand-written rejections, quarantine)
COMPARISONS = {
    "inspections.csv": (
        "select _line, inspection_id, facility_id, inspection_type_code, inspected_date, "
        "inspector, result_code from inspections_checked where reason is null",
        "select source_line, inspection_id, facility_id, inspection_type, inspected_on, "
        "inspector, result from built.staging.stg_ehs__inspections",
        "select _line, reason from inspections_checked where reason is not null",
    ),
    "findings.csv": (
        "select _line, finding_id, inspection_id, facility_id, found_date, category_code, "
        "severity_value, description, repeat_of_finding_id, closed_date "
        "from findings_checked where reason is null",
        "select source_line, finding_id, inspection_id, facility_id, found_on, category, "
        "severity, description, repeat_of_finding_id, closed_on "
        "from built.staging.stg_ehs__findings",
        "select _line, reason from findings_checked where reason is not null",
    ),
}


def run_single_pass(load_dir: Path, warehouse: Path, out_db: Path) -> tuple[float, bool]:
    """(seconds for the script, whether it agrees with the dbt staging)."""
    sql = (project_root() / SCRIPT).read_text(encoding="utf-8").replace(
        "{load_dir}", str(load_dir).replace("'", "''"))
    out_db.unlink(missing_ok=True)
    with duckdb.connect(str(out_db)) as con:
        con.execute("set preserve_insertion_order = false")
        con.execute(f"set memory_limit = '{build_memory_limit()}'")
        con.execute(f"attach '{warehouse}' as built (read_only)")
        started = time.perf_counter()
        con.execute(sql)
        elapsed = time.perf_counter() - started
        agree = True
        for source_file, (mine, theirs, rejected) in COMPARISONS.items():
            quarantine = (
                "select line_number, reason_code from built.audit.quarantine "
                f"where source_file = '{source_file}' and reason_code <> 'malformed_row'"
            )
            for left, right in ((mine, theirs), (rejected, quarantine)):
                differ = con.execute(
                    f"select count(*) from (({left}) except all ({right})) union all "
                    f"select count(*) from (({right}) except all ({left}))").fetchall()
                agree = agree and all(n == 0 for (n,) in differ)
    return elapsed, agree


def main(argv: list[str]) -> int:
    load_dir, warehouse, out_db = (Path(a) for a in argv[:3])
    elapsed, agree = run_single_pass(load_dir, warehouse, out_db)
    print(json.dumps({"single_pass_s": elapsed, "agrees": agree}))
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
