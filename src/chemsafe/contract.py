"""The raw extract contract, read from its one declaration in the project.

The contract (files, columns, types, code sets, required rules, ranges, keys, references,
consistency rules, the line and cell limits, the date window, the reason codes) is written
once, as YAML, in ``macros/contract/extract_contract.sql``: dbt reads it there through the
``extract_contract()`` macro, and this module reads the same YAML text. Ingestion matches
headers and applies the limits from it, the demo generator writes files that follow it,
and ``chemsafe contract`` renders the user-facing document and the dbt sources from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

# Column types of the contract.
TEXT = "text"
DATE = "date"
NUMBER = "number"
INTEGER = "integer"
BOOLEAN = "boolean"
CODE = "code"
CAS = "cas"
TYPES = (TEXT, DATE, NUMBER, INTEGER, BOOLEAN, CODE, CAS)

CONTRACT_MACRO = Path("macros") / "contract" / "extract_contract.sql"
_YAML_BLOCK = re.compile(
    r"# --- contract yaml begins ---\n(?P<yaml>.*?)# --- contract yaml ends ---", re.S)


@dataclass(frozen=True)
class Column:
    name: str
    type: str = TEXT
    required: bool = True
    code_set: str | None = None
    non_negative: bool = False
    min_value: float | None = None
    max_value: float | None = None
    references: str | None = None  # file (entity) the column refers to
    # NULL allowed only while this other column of the file is NULL (else missing_required)
    required_when_present: str | None = None
    free_text: bool = False
    not_before: str | None = None
    first_of_month: bool = False
    # a personal identifier (an employee number, or a personal record's id that may embed
    # one): replaced by its keyed hash at ingest (chemsafe.personal) ...
    personal: bool = False
    staged_as: str | None = None  # ... under this name (employee_key; default: its own)
    masked: bool = False  # text that may quote an employee number: masked in staging

    @property
    def masks_employee_numbers(self) -> bool:
        """Staged with every employee number masked (free text and masked columns)."""
        return (self.masked or self.free_text) and not self.personal
    note: str = ""


@dataclass(frozen=True)
class Consistency:
    column: str  # the column reported
    reference: str  # the referencing column whose parent row is compared
    parent_column: str
    own_column: str
    meaning: str


@dataclass(frozen=True)
class TypedReference:
    """A column that refers to the file its type column names (corrective_actions)."""

    column: str
    type_column: str
    files: dict[str, str]


@dataclass(frozen=True)
class ExtractFile:
    name: str  # file stem, e.g. "findings" for findings.csv
    system: str  # source system of the staging layer
    entity: str  # plural entity name used in stg_<system>__<entity>
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    label_ko: str = ""  # the heading after the file name, e.g. "지적사항"
    notes: str = ""
    consistency: tuple[Consistency, ...] = ()
    references_by_type: TypedReference | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def seed_name(self) -> str:
        """Stem of the converted raw file ingestion writes (``raw_<name>.csv``)."""
        return f"raw_{self.name}"

    @property
    def staging_model(self) -> str:
        return f"stg_{self.system}__{self.entity}"

    @property
    def base_model(self) -> str:
        return f"base_{self.system}__{self.entity}"

    @property
    def check_model(self) -> str:
        return f"chk_{self.system}__{self.entity}"

    @property
    def personal(self) -> bool:
        return any(c.personal for c in self.columns)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.file_name} has no column {name!r}")


@dataclass(frozen=True)
class Limits:
    max_record_lines: int
    max_cell_chars: int
    first_date: str
    last_date: str
    max_integer_digits: int
    max_decimal_places: int


@dataclass(frozen=True)
class PersonalData:
    employee_number_pattern: str  # RE2, matched anywhere in a text, any case
    mask: str  # what replaces a match


@dataclass(frozen=True)
class Contract:
    version: str
    released_on: str
    limits: Limits
    personal_data: PersonalData
    reason_codes: tuple[str, ...]
    conventions: str
    changes: str
    files: tuple[ExtractFile, ...]


def contract_path() -> Path:
    return Path(__file__).resolve().parents[2] / CONTRACT_MACRO


def contract_yaml(path: Path | None = None) -> str:
    """The YAML text of the contract, as dbt's extract_contract() macro reads it."""
    text = (path or contract_path()).read_text(encoding="utf-8")
    match = _YAML_BLOCK.search(text)
    if match is None:
        raise ValueError(f"{path or contract_path()}: no contract YAML block")
    return match.group("yaml")


def _column(raw: dict[str, Any]) -> Column:
    unknown = set(raw) - {f for f in Column.__dataclass_fields__}
    if unknown:
        raise ValueError(f"column {raw.get('name')}: unknown keys {sorted(unknown)}")
    type_ = raw.get("type", TEXT)
    if type_ not in TYPES:
        raise ValueError(f"column {raw['name']}: unknown type {type_!r}")
    has_range = raw.get("min_value") is not None or raw.get("max_value") is not None
    numeric = type_ in (NUMBER, INTEGER)
    free_text = bool(raw.get("free_text", False))
    conditional = raw.get("required_when_present")
    return Column(
        name=raw["name"],
        type=type_,
        required=bool(raw.get("required", True)) and not free_text and conditional is None,
        code_set="boolean" if type_ == BOOLEAN else raw.get("code_set"),
        non_negative=numeric and not has_range and bool(raw.get("non_negative", True)),
        min_value=raw.get("min_value"),
        max_value=raw.get("max_value"),
        references=raw.get("references"),
        required_when_present=conditional,
        free_text=free_text,
        not_before=raw.get("not_before"),
        first_of_month=bool(raw.get("first_of_month", False)),
        personal=bool(raw.get("personal", False)),
        staged_as=raw.get("staged_as"),
        masked=bool(raw.get("masked", False)),
        note=str(raw.get("note", "")),
    )


def _file(raw: dict[str, Any]) -> ExtractFile:
    typed = raw.get("references_by_type")
    return ExtractFile(
        name=raw["file"],
        system=raw["system"],
        entity=raw["entity"],
        columns=tuple(_column(c) for c in raw["columns"]),
        key=tuple(raw["key"]),
        label_ko=raw.get("title", ""),
        notes=raw.get("notes", ""),
        consistency=tuple(Consistency(**c) for c in raw.get("consistency", [])),
        references_by_type=TypedReference(**typed) if typed else None,
    )


def parse_contract(text: str) -> Contract:
    raw = yaml.safe_load(text)
    return Contract(
        version=str(raw["version"]),
        released_on=str(raw["released_on"]),
        limits=Limits(**raw["limits"]),
        personal_data=PersonalData(**raw["personal_data"]),
        reason_codes=tuple(raw["reason_codes"]),
        conventions=raw["conventions"],
        changes=raw["changes"],
        files=tuple(_file(f) for f in raw["files"]),
    )


@cache
def load_contract() -> Contract:
    return parse_contract(contract_yaml())


CONTRACT = load_contract()
FILES: tuple[ExtractFile, ...] = CONTRACT.files
FILES_BY_NAME: dict[str, ExtractFile] = {f.name: f for f in FILES}
REASON_CODES: tuple[str, ...] = CONTRACT.reason_codes
LIMITS: Limits = CONTRACT.limits
