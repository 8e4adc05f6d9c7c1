"""Short human-readable summaries read back from the warehouse after a run."""

from __future__ import annotations

from pathlib import Path

import duckdb

LOAD_SUMMARY_SQL = """
select source_file, encoding, physical_lines, records_read, duplicates_collapsed,
       rows_accepted, rows_rejected, rows_unaccounted + lines_unaccounted
from audit.load_summary
order by source_file
"""

REJECTIONS_SQL = """
select reason_code, count(*) as rows
from audit.quarantine
group by reason_code
order by reason_code
"""


def load_summary_text(warehouse: Path) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(LOAD_SUMMARY_SQL).fetchall()
        reasons = con.execute(REJECTIONS_SQL).fetchall()
    header = ("file", "encoding", "lines", "records", "dup", "accepted", "rejected", "lost")
    table = [header, *[tuple(str(v) for v in row) for row in rows]]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in table]
    total_rejected = sum(int(r[6]) for r in rows)
    lines.append("")
    if total_rejected:
        lines.append(f"{total_rejected} rejected row(s), by reason: "
                     + ", ".join(f"{code} {n}" for code, n in reasons))
        lines.append("Each one is listed with file, line, key, column, value and reason in "
                     "audit.quarantine.")
    else:
        lines.append("No row was rejected.")
    return "\n".join(lines)
