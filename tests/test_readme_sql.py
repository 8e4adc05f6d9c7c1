"""Every SQL example of the README runs on the demo's serving file, and shows something.

An analyst copies these first; one that fails, or that returns nothing where the text says
it shows "the events behind one figure", teaches them the wrong thing. Two examples are
empty on the demo by design, as the README says next to them: the restatement log (the
demo run is the data directory's first publication) and the check that no KPI is left
not computed.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from chemsafe.paths import DataPaths
from conftest import PROJECT_ROOT

EMPTY_BY_DESIGN = ("from marts.kpi_restatements", "computation_status = 'not_computed'")


def _statements() -> list[str]:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", readme, re.S)
    return [statement.strip() for block in blocks for statement in block.split(";")
            if re.sub(r"--[^\n]*", "", statement).strip()]


def test_every_readme_sql_example_runs_and_shows_rows(demo_published: Path) -> None:
    statements = _statements()
    assert len(statements) >= 10
    empty = []
    with duckdb.connect(str(DataPaths(demo_published).serving_db), read_only=True) as con:
        for statement in statements:
            rows = con.execute(statement).fetchall()
            if not rows and not any(marker in statement for marker in EMPTY_BY_DESIGN):
                empty.append(statement)
    assert empty == []
