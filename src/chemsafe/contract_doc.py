"""What is generated from the extract contract: the user-facing document and the dbt sources.

Both are committed (a clone has them without running anything) and both are checked: a
test renders them again from ``macros/contract/extract_contract.sql`` (and the document's
reason-code table from ``seeds/reference/reason_codes.csv``) and fails when the committed
files differ. ``chemsafe contract --write`` rewrites them after a change to the
contract; ``chemsafe contract --check`` says whether they are up to date.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from chemsafe.contract import BOOLEAN, CODE, CONTRACT_MACRO, Column, Contract, ExtractFile

DOC_PATH = Path("docs") / "extract_contract.md"
# The rejection reasons, their order and meaning: the seed the quarantine and load_summary
# read. The document's list is rendered from it, so the two cannot drift.
REASON_CODES_SEED = Path("seeds") / "reference" / "reason_codes.csv"
SOURCES_PATH = Path("models") / "staging" / "_extracts__sources.yml"
SOURCE_NAME = "extracts"
MANIFEST_TABLE = "ingest_manifest"
MALFORMED_TABLE = "malformed_rows"
GENERATED_BY = (f"Generated from {CONTRACT_MACRO.as_posix()} by `chemsafe contract --write`; "
                "edit the contract there, never this file.")

# The converted files ingestion writes into each load folder, read by the engine.
READ_CSV = ("read_csv('{folder}/{identifier}.csv', header = true, all_varchar = true, "
            "delim = ',', quote = '\"', escape = '\"', strict_mode = true, "
            "null_padding = false)")
# The descriptions of the two columns every extract table has (_line, _extras) are dbt
# doc blocks in models/staging/_staging__docs.md, written once instead of once per file.


def type_label(column: Column) -> str:
    if column.type == BOOLEAN:
        return "bool"
    if column.type == CODE:
        return "risk code" if column.code_set == "risk_level" else "*code*"
    if column.type == "cas":
        return "text"
    return column.type


def column_notes(extract: ExtractFile, column: Column) -> str:
    """The note of a column as the document prints it: the declared note, plus the
    reference when the note does not already show it and what staging does to personal
    data (see "Personal data" in the conventions)."""
    parts = [column.note] if column.note else []
    if column.references and f"→ {column.references}" not in column.note:
        parts.append(f"→ {column.references}")
    if column.personal:
        staged = f" `{column.staged_as}`" if column.staged_as else ""
        parts.append(f"*personal*: keyed hash from ingest on, staged as{staged or ' is'}")
    elif column.masked:
        parts.append("*masked*: employee numbers masked from ingest on")
    return "; ".join(parts)


@dataclass(frozen=True)
class ReasonCode:
    code: str
    stage: str
    description_en: str
    description_ko: str


def load_reason_codes(root: Path) -> list[ReasonCode]:
    """The reason-code seed's rows, in its check order."""
    with (root / REASON_CODES_SEED).open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: int(row["check_order"]))
    return [ReasonCode(row["reason_code"], row["rule_stage"], row["description_en"],
                       row["description_ko"]) for row in rows]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_reason_codes(reasons: list[ReasonCode]) -> list[str]:
    lines = ["## Reason codes", "",
             f"Every rejected row carries one of these {len(reasons)} codes (generated from "
             f"`{REASON_CODES_SEED.as_posix()}`, in its check order; the quarantine's "
             "`reason_description` and `reason_description_ko` are these texts).", "",
             "| reason code | stage | meaning | 의미 |", "|---|---|---|---|"]
    lines += [f"| `{r.code}` | {r.stage} | {_cell(r.description_en)} | "
              f"{_cell(r.description_ko)} |" for r in reasons]
    return [*lines, ""]


def render_markdown(contract: Contract, reasons: list[ReasonCode]) -> str:
    lines = [
        "# Raw extract contract",
        "",
        f"Version {contract.version} ({contract.released_on}). {GENERATED_BY}",
        "",
        "The pipeline's input is a set of CSV extracts from the systems and paper registers "
        "of a company that handles hazardous chemicals under Korea's Chemicals Control Act "
        "(화학물질관리법). This document fixes their names and columns. The demo drop "
        "(`demo/extracts/`) and every customer drop follow it: a folder laid out as below "
        "loads and produces KPIs without any change to the project.",
        "",
        "## Conventions for every file",
        "",
        contract.conventions.rstrip(),
        "",
        "## Files",
        "",
    ]
    for extract in contract.files:
        lines += [f"### {extract.file_name} — {extract.label_ko}", "",
                  "| column | type | notes |", "|---|---|---|"]
        for column in extract.columns:
            lines.append(f"| {column.name} | {type_label(column)} | "
                         f"{column_notes(extract, column)} |")
        lines.append("")
        if extract.notes:
            lines += [extract.notes, ""]
    lines += render_reason_codes(reasons)
    lines += ["## Changes", "", contract.changes.rstrip(), ""]
    return "\n".join(lines)


def _column_description(extract: ExtractFile, column: Column) -> str:
    note = column_notes(extract, column)
    kind = type_label(column).strip("*")
    rule = "may be NULL" if not column.required else "required"
    if column.required_when_present:
        rule = f"required once {column.required_when_present} is given"
    text = f"{extract.file_name} column, as written in the file ({kind}, {rule})"
    return f"{text}: {note}" if note else f"{text}."


@dataclass(frozen=True)
class _Table:
    name: str
    identifier: str
    description: str
    columns: list[tuple[str, str]]
    extra: list[str]


def _tables(contract: Contract) -> list[_Table]:
    tables = [
        _Table(
            extract.name, extract.seed_name,
            f"{extract.file_name} ({extract.label_ko}) as ingested: every cell as text, "
            f"untrimmed, in contract column order; key ({', '.join(extract.key)}).",
            [("_line", "{{ doc('extract__line') }}"),
             *((c.name, _column_description(extract, c)) for c in extract.columns),
             ("_extras", "{{ doc('extract__extras') }}"),
             ("_masked_digest", "{{ doc('extract__masked_digest') }}")],
            [],
        )
        for extract in contract.files
    ]
    tables.append(_Table(
        MANIFEST_TABLE, "raw__ingest_manifest",
        "One row per extract file of the load, written by `chemsafe ingest`: SHA-256 of the "
        "original bytes, encoding, records and physical lines.",
        [], ["        loaded_at_field: \"cast(loaded_at as timestamp)\"",
             "        freshness:",
             "          warn_after: {count: 100, period: day}"],
    ))
    tables.append(_Table(
        MALFORMED_TABLE, "raw__malformed_rows",
        "Records ingestion could not split into the contract's cells (malformed_row): a "
        "field count that differs from the header's, or a cell over the length limit.",
        [], [],
    ))
    return tables


def render_sources(contract: Contract) -> str:
    q = json.dumps
    lines = [
        f"# {GENERATED_BY}",
        "version: 2",
        "",
        "sources:",
        f"  - name: {SOURCE_NAME}",
        "    description: >",
        f"      The raw extract files of the current load (contract version {contract.version}, "
        "docs/extract_contract.md), as converted by `chemsafe ingest` (UTF-8, contract column "
        "order, physical line numbers) and read directly by the engine from the data "
        "directory's ingest/current folder.",
        "    meta:",
        "      folder: \"{{ env_var('CHEMSAFE_DATA_DIR', 'data') }}/ingest/current\"",
        f"      external_location: {q(READ_CSV)}",
        "    tables:",
    ]
    for table in _tables(contract):
        lines += [f"      - name: {table.name}",
                  f"        identifier: {table.identifier}",
                  f"        description: {q(table.description, ensure_ascii=False)}",
                  *table.extra]
        if table.columns:
            lines.append("        columns:")
            for name, description in table.columns:
                lines += [f"          - name: {name}",
                          f"            description: {q(description, ensure_ascii=False)}"]
    return "\n".join(lines) + "\n"


def generated_files(contract: Contract, root: Path) -> dict[Path, str]:
    return {DOC_PATH: render_markdown(contract, load_reason_codes(root)),
            SOURCES_PATH: render_sources(contract)}


def stale_files(contract: Contract, root: Path) -> list[Path]:
    """The generated files whose committed text differs from a fresh rendering."""
    return [
        path for path, text in generated_files(contract, root).items()
        if not (root / path).is_file() or (root / path).read_text(encoding="utf-8") != text
    ]


def write_generated(contract: Contract, root: Path) -> list[Path]:
    written = []
    for path, text in generated_files(contract, root).items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            written.append(path)
    return written
