"""The dbt side of the contract matches chemsafe.contract (the Python side)."""

from __future__ import annotations

import re
from pathlib import Path

from chemsafe.contract import FILES, REASON_CODES
from conftest import PROJECT_ROOT, query

PSEUDONYMISED = {("training_records", "employee_no"): "employee_key",
                 ("training_signin", "employee_no"): "employee_key"}


def typed_columns(extract_name: str, column_names: list[str]) -> list[str]:
    return [PSEUDONYMISED.get((extract_name, c), c) for c in column_names]


def test_extract_files_macro_lists_every_contract_file_in_order() -> None:
    text = (PROJECT_ROOT / "macros" / "staging" / "extract_files.sql").read_text()
    listed = re.findall(r"\{'file': '(\w+)', 'check_model': '(\w+)'", text)
    assert [name for name, _ in listed] == [f.name for f in FILES]
    assert [model for _, model in listed] == [
        f"chk_{f.system}__{f.entity}" for f in FILES
    ]


def test_reason_codes_agree_everywhere() -> None:
    text = (PROJECT_ROOT / "macros" / "staging" / "extract_files.sql").read_text()
    block = text.split("contract_reason_codes")[1]
    assert re.findall(r"'(\w+)'", block) == list(REASON_CODES)
    seed = (PROJECT_ROOT / "seeds" / "reference" / "reason_codes.csv").read_text().splitlines()
    assert [line.split(",")[0] for line in seed[1:]] == list(REASON_CODES)


def test_staging_models_expose_contract_columns_in_order(demo_warehouse: Path) -> None:
    for extract in FILES:
        columns = [
            name for (name,) in query(
                demo_warehouse,
                "select column_name from information_schema.columns "
                "where table_schema = 'staging' and table_name = ? order by ordinal_position",
                [extract.staging_model],
            )
        ]
        expected = typed_columns(extract.name, extract.column_names)
        assert columns == [*expected, "source_line"], extract.staging_model


def test_no_clear_employee_number_outside_raw(demo_warehouse: Path) -> None:
    clear = {
        value for (value,) in query(
            demo_warehouse,
            "select distinct trim(employee_no) from raw.raw_training_records "
            "union select distinct trim(employee_no) from raw.raw_training_signin",
        ) if value
    }
    assert len(clear) > 10
    relations = query(
        demo_warehouse,
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema not in ('raw') and data_type = 'VARCHAR'",
    )
    found = []
    for schema, table, column in relations:
        hits = query(
            demo_warehouse,
            f'select count(*) from "{schema}"."{table}" where "{column}" in '
            f"(select unnest(?::varchar[]))",
            [sorted(clear)],
        )[0][0]
        if hits:
            found.append(f"{schema}.{table}.{column}")
    assert found == []
