"""The SQL lint (`make sqllint`, run by `make test` and `make lint`) is configured and bites.

The lint itself runs over the whole project in `make test`, before pytest; this module
checks that it is not a silent no-op: the same make target, run on a scratch copy of the
project, fails on a model written against the house style and passes on a committed one.
"""

from __future__ import annotations

import configparser
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import PROJECT_ROOT, copy_project

VENV = Path(sys.executable).parent.parent
STAMP = VENV / ".chemsafe-installed"
GOOD_MODEL = "models/intermediate/calendar/int_reporting_periods.sql"
BAD_MODEL = "models/intermediate/calendar/int_shouting.sql"
# Upper-case keywords (CP01) and an implicit column alias (AL02): two rules of the
# house style. The SQL itself is valid and compiles.
BAD_SQL = """with quarters as (

    SELECT * FROM {{ ref('dim_quarters') }}

),

final as (

    select period p from quarters

)

select * from final
"""


def test_the_lint_is_configured_for_the_project() -> None:
    config = configparser.ConfigParser()
    config.read(PROJECT_ROOT / ".sqlfluff", encoding="utf-8")
    assert config["sqlfluff"]["templater"] == "dbt"
    assert config["sqlfluff"]["dialect"] == "duckdb"
    assert config["sqlfluff:templater:dbt"]["profiles_dir"] == "."
    assert config["sqlfluff:rules:capitalisation.keywords"]["capitalisation_policy"] == "lower"
    assert config["sqlfluff:rules:aliasing.column"]["aliasing"] == "explicit"
    excluded = {r.strip() for r in config["sqlfluff"]["exclude_rules"].split(",")}
    assert not excluded & {"CP01", "AL01", "AL02", "AL03"}
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    test_recipe = makefile.split("\ntest:")[1].split("\n\n")[0]
    assert "sqllint" in test_recipe.split("pytest")[0], "the lint runs before pytest"


def test_the_make_target_fails_on_bad_sql_and_passes_on_good(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", tmp_path / "data")
    (project / BAD_MODEL).write_text(BAD_SQL, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHEMSAFE_", "DBT_"))}
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(project), "-o", str(STAMP), "sqllint",
         f"VENV={VENV}", f"SQLLINT_PATHS={BAD_MODEL} {GOOD_MODEL}"],
        capture_output=True, text=True, env=env, timeout=600, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    reported = re.findall(r"^== \[(.+?)\] FAIL", output, re.M)
    assert reported == [BAD_MODEL], output
    section = output.split(f"== [{BAD_MODEL}] FAIL")[1].split("\n== [")[0]
    rules = set(re.findall(r"\|\s+(CP01|AL02)\s+\|", section))
    assert rules == {"CP01", "AL02"}, section
    # the lint writes only under the scratch copy's ignored target/ folder
    assert (project / "target" / "sqlfluff").is_dir()
    assert not (project / "data").exists()
