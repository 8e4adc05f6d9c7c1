"""The same dbt project on Apache Spark (dbt-spark, method session, local[2]) gives the
same figures as on DuckDB (issue 14).

One Spark build of the demo drop (the load the session's DuckDB demo build ingested,
copied), pulled into a DuckDB file by chemsafe.spark_pull, compared with the DuckDB build
row for row: every table and view of marts and audit (the quarantine and the load summary
are audit tables) and every reference seed; text exact, numbers to 1e-9, NULLs equal.
The Spark build is seed, run and the singular tests (among them
tests/dbt/assert_calendar_macros_match_hand_computed_dates: the project's calendar macros
against hand-computed dates; the generic tests check data the comparison covers row for
row); a second, small run shows the
same cases fail through dbt-spark's own dateadd/datediff. A seed written to trip the
seed loader (apostrophes, backslashes, %, Korean text, empty cells) is added to a copy
of the project and checked against its CSV, read here with Python's csv module.

Skipped, loudly, only when the spark extras are not installed (`make spark`; `make test`
installs them).
"""

from __future__ import annotations

import csv
import importlib.util
import math
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from conftest import RUN_METADATA_COLUMNS, copy_project, dbt_in

SPARK_MISSING = [name for name in ("pyspark", "dbt.adapters.spark")
                 if importlib.util.find_spec(name) is None]
if SPARK_MISSING:
    pytest.skip(
        "SPARK PARITY NOT TESTED: the spark extras are not installed "
        f"({', '.join(SPARK_MISSING)} missing); run `make spark` (make test does)",
        allow_module_level=True,
    )

from chemsafe.spark_pull import pull_relations  # noqa: E402 - needs the extras

pytestmark = pytest.mark.slow

COMPARED_SCHEMAS = ("marts", "audit", "reference")
# Cases of the calendar test that dbt-spark's own macros get wrong, worked out by hand
# from its SQL (datediff quarter = floor(months_between / 3) plus a "boundary crossed"
# term comparing dayofyear - quarter * 365/4): 2024-12-31..2026-12-31 gives 9,
# 2024-03-31..2024-06-30 gives 2, 2024-02-29..2025-02-28 gives 5, the backwards case -9;
# dateadd('year', 2023 - extract(year ...)) multiplies only the extract by 12 (two cases).
ADAPTER_MACRO_FAILURES = 6
TOLERANCE = 1e-9
# Written by the DuckDB connection plugin (chemsafe.keycheck: the fingerprint of the
# pseudonym key the warehouse was built under), not by a dbt model.
NOT_DBT_BUILT = {"audit.pseudonym_key"}

# The seed loader check: every cell a Spark SQL literal must escape or turn into NULL.
LOADER_ROWS = [
    ["id", "label", "note", "amount", "valid_from"],
    ["1", "O'Brien's \"quoted\" site", "", "1.5", "2024-02-29"],
    ["2", "울산 공장 ‘화학’", "50% done; back\\slash", "", ""],
    ["3", "", "it''s 'twice'", "-0.25", "2025-12-31"],
]
LOADER_SEED_YML = """version: 2
seeds:
  - name: spark_loader_check
    config:
      column_types:
        id: integer
        label: string
        note: string
        amount: double
        valid_from: date
"""


def _spark_env_ok() -> None:
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.fail("the spark extras are installed but no Java runtime is found "
                    "(java on the PATH or JAVA_HOME): Spark cannot start")


@pytest.fixture(scope="module")
def spark_build(demo_warehouse: Path,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """The demo load built on Spark from a project copy with the loader-check seed."""
    _spark_env_ok()
    root = tmp_path_factory.mktemp("spark")
    data_dir = root / "data"
    data_dir.mkdir()
    shutil.copytree(demo_warehouse.parent / "ingest", data_dir / "ingest", symlinks=True)
    project = copy_project(root / "project", data_dir)
    seeds = project / "seeds" / "reference"
    with (seeds / "spark_loader_check.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(LOADER_ROWS)
    (seeds / "_spark_loader_check.yml").write_text(LOADER_SEED_YML, encoding="utf-8")
    started = time.monotonic()
    # Seeds, every model, and the singular tests (the calendar and trim cases among
    # them): not the ~700 generic tests, which check the data, and the data are compared
    # row for row with the DuckDB build that passed them all (most of a full Spark build's
    # 15 to 20 minutes on two cores).
    stdout = ""
    for step in (["seed"], ["run"], ["test", "--select", "test_type:singular"]):
        result = dbt_in(project, data_dir, *step, "--target", "spark")
        stdout += result.stdout
        assert result.returncode == 0, (
            f"dbt {step[0]} on Spark failed\n{result.stdout[-8000:]}\n{result.stderr[-3000:]}")
    build_seconds = time.monotonic() - started
    # The calendar cases through dbt-spark's own macros, before the pull: the pull opens a
    # Spark session in this process, whose embedded Derby metastore then refuses a second
    # process (the dbt run) until this process ends.
    adapter_macros = dbt_in(project, data_dir, "test", "--target", "spark", "--select",
                            "assert_calendar_macros_match_hand_computed_dates",
                            "--vars", "{calendar_macros: adapter}")
    pulled = root / "spark_pulled.duckdb"
    copied = pull_relations(data_dir, pulled, COMPARED_SCHEMAS)
    print(f"\nSpark build of the demo: {build_seconds:.0f} s; pulled {len(copied)} relations")
    yield {"project": project, "data_dir": data_dir, "pulled": pulled, "stdout": stdout,
           "adapter_macros": adapter_macros}


def _columns(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> list[str]:
    return [c for (c,) in con.execute(
        "select column_name from information_schema.columns where table_schema = ? "
        "and table_name = ? order by ordinal_position", [schema, name]).fetchall()
        if c not in RUN_METADATA_COLUMNS]


def _relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {f"{s}.{n}" for s, n in con.execute(
        "select table_schema, table_name from information_schema.tables "
        f"where table_schema in {COMPARED_SCHEMAS}").fetchall()}


def _rows(con: duckdb.DuckDBPyConnection, relation: str, columns: list[str]) -> list[tuple]:
    # Sorted on the text form of every value, so a float's last bit cannot reorder rows.
    select = ", ".join(f'"{c}"' for c in columns)
    order = ", ".join(f'cast("{c}" as varchar) nulls first' for c in columns)
    schema, name = relation.split(".")
    return con.execute(f'select {select} from "{schema}"."{name}" order by {order}').fetchall()


def _same(left: object, right: object) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, (int, float)) or isinstance(right, (int, float)):
        try:
            a, b = float(left), float(right)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
        return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    if type(left).__name__ == "Decimal" or type(right).__name__ == "Decimal":
        return math.isclose(float(left), float(right),  # type: ignore[arg-type]
                            rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    return left == right


def test_every_mart_audit_and_reference_row_is_identical(demo_warehouse: Path, spark_build):
    differences: list[str] = []
    with duckdb.connect(str(demo_warehouse), read_only=True) as duck, \
            duckdb.connect(str(spark_build["pulled"]), read_only=True) as spark:
        expected = _relations(duck) - NOT_DBT_BUILT
        actual = _relations(spark) - {"reference.spark_loader_check"}
        assert expected - actual == set(), f"not built on Spark: {sorted(expected - actual)}"
        assert actual - expected == set(), f"only on Spark: {sorted(actual - expected)}"
        compared_rows = 0
        for relation in sorted(expected):
            schema, name = relation.split(".")
            columns = _columns(duck, schema, name)
            assert _columns(spark, schema, name) == columns, f"{relation}: columns differ"
            left, right = _rows(duck, relation, columns), _rows(spark, relation, columns)
            if len(left) != len(right):
                differences.append(f"{relation}: {len(left)} rows on DuckDB, {len(right)} on Spark")
                continue
            compared_rows += len(left)
            for number, (a, b) in enumerate(zip(left, right, strict=True)):
                bad = [c for c, x, y in zip(columns, a, b, strict=True) if not _same(x, y)]
                if bad:
                    differences.append(f"{relation} row {number}: {bad} DuckDB {a} Spark {b}")
                    break
    assert differences == [], "\n".join(differences[:40])
    assert compared_rows > 10_000, compared_rows  # the demo: the comparison saw real data


def test_seed_loader_keeps_quotes_nulls_and_korean_text(spark_build):
    with duckdb.connect(str(spark_build["pulled"]), read_only=True) as con:
        rows = con.execute("select id, label, note, amount, cast(valid_from as varchar) "
                           "from reference.spark_loader_check order by id").fetchall()
    _header, *body = LOADER_ROWS
    expected = [(int(r[0]), r[1] or None, r[2] or None, float(r[3]) if r[3] else None,
                 r[4] or None) for r in body]
    assert rows == expected


def test_calendar_cases_fail_through_dbt_sparks_own_date_macros(spark_build):
    """The hand-computed calendar cases passed inside the build (on Spark); through
    dbt-spark's dateadd/datediff the same cases fail, naming the wrong quarter count and
    the NULL year step."""
    assert "assert_calendar_macros_match_hand_computed_dates" in str(spark_build["stdout"])
    result = spark_build["adapter_macros"]
    assert result.returncode != 0, result.stdout[-3000:]
    assert "Failure in test assert_calendar_macros_match_hand_computed_dates" in result.stdout
    assert f"Got {ADAPTER_MACRO_FAILURES} results" in result.stdout, result.stdout[-3000:]
