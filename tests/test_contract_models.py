"""The extract contract lives in one place, and what is generated from it agrees with it.

The contract is the YAML in macros/contract/extract_contract.sql. dbt reads it (base_ and
chk_ models take their columns, rules, keys and references from it), Python reads it
(chemsafe.contract), and the user-facing document and the dbt sources are rendered from it.
These tests fail when a generated file is stale, when a built model disagrees with the
contract, or when the contract's own notes contradict its rules.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from chemsafe.contract import FILES, LIMITS, REASON_CODES, contract_yaml, load_contract
from chemsafe.contract_doc import (
    DOC_PATH,
    REASON_CODES_SEED,
    SOURCES_PATH,
    load_reason_codes,
    render_markdown,
    stale_files,
)
from conftest import (
    DEMO_EXTRACTS,
    PROJECT_ROOT,
    assert_marts_unchanged,
    dbt_in,
    decode_extract,
    query,
)

PSEUDONYMISED = {("training_records", "employee_no"): "employee_key",
                 ("training_signin", "employee_no"): "employee_key"}
SEED = PROJECT_ROOT / "seeds" / "reference"


def typed_columns(extract_name: str, column_names: list[str]) -> list[str]:
    return [PSEUDONYMISED.get((extract_name, c), c) for c in column_names]


def test_generated_document_and_sources_are_up_to_date() -> None:
    stale = stale_files(load_contract(), PROJECT_ROOT)
    assert stale == [], (
        f"{', '.join(map(str, stale))} differ from the contract: run `chemsafe contract "
        "--write` and commit the result")


def test_readme_links_the_contract_document() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"({DOC_PATH.as_posix()})" in readme
    assert "../shared/" not in readme


def test_document_states_every_limit_and_every_file() -> None:
    text = (PROJECT_ROOT / DOC_PATH).read_text(encoding="utf-8")
    assert f"at most {LIMITS.max_record_lines} physical lines" in text
    assert f"longer than {LIMITS.max_cell_chars:,} characters" in text
    assert f"before {LIMITS.first_date} or after {LIMITS.last_date}" in text
    assert f"more than {LIMITS.max_integer_digits} digits before the decimal point" in text
    assert f"after the {LIMITS.max_decimal_places}th decimal place" in text
    headings = re.findall(r"^### (\S+\.csv) — ", text, re.M)
    assert headings == [f.file_name for f in FILES]


def test_the_contract_is_plain_yaml_without_jinja() -> None:
    text = contract_yaml()
    for marker in ("{{", "{%", "{#"):
        assert marker not in text


def seed_reason_rows() -> list[dict[str, str]]:
    with (SEED / "reason_codes.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_reason_codes_agree_with_the_seed() -> None:
    assert [row["reason_code"] for row in seed_reason_rows()] == list(REASON_CODES)


def test_document_lists_the_seeds_reason_codes() -> None:
    """The document's reason-code table is the seed's rows, in check order, with their
    texts."""
    text = (PROJECT_ROOT / DOC_PATH).read_text(encoding="utf-8")
    section = text.split("\n## Reason codes\n")[1].split("\n## ")[0]
    listed = re.findall(r"^\| `(\w+)` \| (\w+) \| (.+) \| (.+) \|$", section, re.M)
    rows = sorted(seed_reason_rows(), key=lambda row: int(row["check_order"]))
    assert listed == [(r["reason_code"], r["rule_stage"], r["description_en"],
                       r["description_ko"]) for r in rows]


def test_a_new_reason_code_makes_the_document_stale(tmp_path: Path) -> None:
    """The list is generated: a row added to the seed is a stale document until
    `chemsafe contract --write`, which then lists it."""
    for path in (DOC_PATH, SOURCES_PATH, REASON_CODES_SEED):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes((PROJECT_ROOT / path).read_bytes())
    contract = load_contract()
    assert stale_files(contract, tmp_path) == []
    with (tmp_path / REASON_CODES_SEED).open("a", encoding="utf-8") as handle:
        handle.write("bad_colour,14,parse,Not a colour.,색상 오류\n")
    assert stale_files(contract, tmp_path) == [DOC_PATH]
    rendered = render_markdown(contract, load_reason_codes(tmp_path))
    assert "| `bad_colour` | parse | Not a colour. | 색상 오류 |" in rendered


def test_notes_agree_with_the_rules() -> None:
    """The notes a reader sees say what the rules do: 'may be NULL' exactly for the
    columns that may be NULL (free text aside), 'key' on a one-column key."""
    for extract in FILES:
        for column in extract.columns:
            where = f"{extract.file_name}.{column.name}"
            says_nullable = column.note.startswith("may be NULL")
            if column.free_text:
                assert not column.required, where
            elif column.required_when_present:
                assert column.note.startswith("may be NULL only when"), where
            else:
                assert says_nullable == (not column.required), where
        if len(extract.key) == 1:
            assert extract.column(extract.key[0]).note.startswith("key"), extract.file_name
        else:
            assert f"Key: ({', '.join(extract.key)})" in extract.notes, extract.file_name


def test_code_labels_in_notes_exist_in_the_code_seed() -> None:
    """Every `CODE` (label, ...) a note lists is a code, and each label one of its
    labels, in seeds/reference/code_labels.csv: the document cannot promise a label the
    parser does not know."""
    with (SEED / "code_labels.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    labels: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        labels.setdefault((row["code_set"], row["code"]), set()).add(row["label_key"])
    checked = 0
    for extract in FILES:
        for column in extract.columns:
            if column.type != "code" or column.code_set == "risk_level":
                continue
            for code, listed in re.findall(r"`([A-Z_]+)`(?: \(([^)]*)\))?", column.note):
                known = labels.get((column.code_set, code))
                assert known is not None, (extract.file_name, column.name, code)
                for label in filter(None, (part.strip() for part in listed.split(","))):
                    assert label.lower() in known, (extract.file_name, column.name, label)
                checked += 1
    assert checked > 40


def test_document_renders_every_column_once() -> None:
    text = render_markdown(load_contract(), load_reason_codes(PROJECT_ROOT))
    for extract in FILES:
        section = text.split(f"### {extract.file_name} — ")[1].split("\n### ")[0]
        rows = re.findall(r"^\| (\w+) \|", section, re.M)
        assert rows[1:] == extract.column_names, extract.file_name  # [0] is the header


def test_sources_file_lists_the_contract_columns() -> None:
    text = (PROJECT_ROOT / SOURCES_PATH).read_text(encoding="utf-8")
    for extract in FILES:
        block = text.split(f"      - name: {extract.name}\n")[1].split("\n      - name:")[0]
        names = re.findall(r"^          - name: (\w+)$", block, re.M)
        assert names == ["_line", *extract.column_names, "_extras", "_masked_digest"], \
            extract.name


def test_every_demo_mart_is_unchanged(demo_warehouse: Path) -> None:
    assert_marts_unchanged(demo_warehouse, "demo")


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


def _clear_employee_numbers() -> set[str]:
    numbers: set[str] = set()
    for name in ("training_records.csv", "training_signin.csv"):
        text, _ = decode_extract((DEMO_EXTRACTS / name).read_bytes())
        rows = list(csv.reader(text.splitlines()))
        at = [h.strip().lower() for h in rows[0]].index("employee_no")
        numbers |= {row[at].strip() for row in rows[1:] if len(row) > at and row[at].strip()}
    return numbers


def test_no_clear_employee_number_in_the_warehouse(demo_warehouse: Path) -> None:
    """The raw extracts are read from the load folder, never stored: no table of the
    warehouse holds a clear employee number of the drop."""
    clear = _clear_employee_numbers()
    assert len(clear) > 10
    relations = query(
        demo_warehouse,
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type = 'VARCHAR' and table_schema not in ('information_schema', "
        "'pg_catalog')",
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


def test_source_freshness_reports_when_the_load_was_ingested(demo_warehouse: Path) -> None:
    """`dbt source freshness` reads the load time from the manifest of the current load."""
    result = dbt_in(PROJECT_ROOT, demo_warehouse.parent, "source", "freshness")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "freshness of extracts.ingest_manifest" in result.stdout
    assert "PASS" in result.stdout
