"""The dbt side of the contract matches chemsafe.contract (the Python side)."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from chemsafe.contract import BOOLEAN, FILES, INTEGER, NUMBER, REASON_CODES, Column, ExtractFile
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


def base_model_columns(extract: ExtractFile) -> tuple[list[dict[str, Any]], list[str]]:
    """The column dicts and the key a base model passes to parse_extract()."""
    (path,) = (PROJECT_ROOT / "models" / "staging").glob(
        f"*/base/base_{extract.system}__{extract.entity}.sql")
    text = path.read_text()
    block = re.search(r"set columns = (\[.*?\]) -%\}", text, re.S)
    call = re.search(r"parse_extract\('(\w+)', columns, key=(\[.*?\])\)", text)
    assert block is not None and call is not None, path
    assert call.group(1) == extract.name, path
    literal = re.sub(r"\btrue\b", "True", re.sub(r"\bfalse\b", "False", block.group(1)))
    return ast.literal_eval(literal), ast.literal_eval(call.group(2))


def _rules(name: str, type_: str, required: bool, code_set: str | None,
           min_value: float | None, max_value: float | None, non_negative: bool,
           required_when_present: str | None) -> dict[str, object]:
    """The parse rules both sides state, in one shape. A boolean's code set and the
    negative rule of a column with a range (or of a non-number) are implied, not stated."""
    numeric = type_ in (NUMBER, INTEGER)
    has_range = min_value is not None or max_value is not None
    return {
        "name": name, "type": type_, "required": required,
        "code_set": None if type_ == BOOLEAN else code_set,
        "min_value": min_value, "max_value": max_value,
        "non_negative": non_negative if numeric and not has_range else None,
        "required_when_present": required_when_present,
    }


def _python_rules(column: Column) -> dict[str, object]:
    return _rules(column.name, column.type, column.required, column.code_set, column.min_value,
                  column.max_value, column.non_negative, column.required_when_present)


def _dbt_rules(column: dict[str, Any]) -> dict[str, object]:
    return _rules(column["name"], column["type"], column.get("required", True),
                  column.get("code_set"), column.get("min_value"), column.get("max_value"),
                  column.get("non_negative", True), column.get("required_when_present"))


def test_base_models_parse_the_contract_columns_with_the_same_rules() -> None:
    """Type, required / conditionally required, code set, range and negative rule of every
    column agree between chemsafe.contract and the dicts the base models hand to
    parse_extract() (no warehouse needed)."""
    for extract in FILES:
        columns, key = base_model_columns(extract)
        assert key == list(extract.key), extract.name
        assert [_dbt_rules(c) for c in columns] == [
            _python_rules(c) for c in extract.columns], extract.name
    plc = next(f for f in FILES if f.name == "protection_layer_checks")
    assert {c.name: c.required_when_present for c in plc.columns
            if c.required_when_present} == {"function_tested": "performed_on",
                                            "defect_found": "performed_on"}


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
