"""The controls catalog (expectations/controls.toml) and the binding of its SQL.

A control's SQL uses ``$quarter`` and ``$<threshold parameter>`` placeholders (DuckDB
named parameters) and ``{fragment}`` expansions. Everything here is plain data: no
database and no Great Expectations.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from chemsafe.paths import project_root

QUARTER_PATTERN = re.compile(r"([0-9]{4})-Q([1-4])")  # fullmatch: "$" would let a final newline in
PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")
EXPANSION = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
REQUIRED_FIELDS = (
    "id", "checkpoint", "suite", "reconciliation", "title", "title_ko", "compared", "rule",
    "exceptions_meaning", "observed", "comparator", "threshold", "exceptions_order",
    "exceptions",
)
COMPARATORS = (">=", "<=")
RECONCILIATIONS = ("inventory", "self_inspection", "training", "field_quality")


class CatalogError(ValueError):
    pass


def expectations_dir() -> Path:
    return project_root() / "expectations"


def gx_project_dir() -> Path:
    """The committed Great Expectations file project (its root holds great_expectations.yml)."""
    return expectations_dir() / "gx"


@dataclass(frozen=True)
class Control:
    id: str
    checkpoint: str
    suite: str
    reconciliation: str
    title: str
    title_ko: str
    compared: str
    rule: str
    exceptions_meaning: str
    observed: str
    comparator: str
    threshold: str
    exceptions_order: str
    exceptions_sql: str  # fragments expanded; $parameters still to bind
    measures: Mapping[str, str]  # frame column -> scalar SQL (expanded)

    def ordered_exceptions_sql(self) -> str:
        return (f"select * from ({self.exceptions_sql}\n) as exceptions\n"
                f"order by {self.exceptions_order}")


@dataclass(frozen=True)
class Catalog:
    version: str
    controls: tuple[Control, ...]
    parameter_sql: Mapping[str, str]  # threshold parameter -> SQL (value, source, approval)
    batch_sql: Mapping[str, str]  # checkpoint -> SQL of the lines its suites validate

    def control(self, control_id: str) -> Control:
        for control in self.controls:
            if control.id == control_id:
                return control
        raise KeyError(control_id)

    def checkpoints(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.checkpoint for c in self.controls))

    def measure_sql(self, checkpoint: str) -> dict[str, str]:
        """Frame column -> SQL of every measure the checkpoint's suites validate."""
        out: dict[str, str] = {}
        for control in self.controls:
            if control.checkpoint == checkpoint:
                out.update(control.measures)
        return out


def _expand(sql: str, fragments: Mapping[str, str], where: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in fragments:
            raise CatalogError(f"{where}: unknown fragment {{{name}}}")
        return fragments[name]

    previous = None
    while previous != sql:  # fragments may use fragments
        previous, sql = sql, EXPANSION.sub(replace, sql)
    return sql.strip()


def load_catalog(path: Path | None = None) -> Catalog:
    path = path or expectations_dir() / "controls.toml"
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    fragments = {name: str(sql).strip() for name, sql in data.get("fragments", {}).items()}
    controls = []
    for raw in data.get("controls", []):
        missing = [name for name in REQUIRED_FIELDS if not raw.get(name)]
        if missing:
            raise CatalogError(f"{path}: control {raw.get('id')} lacks {', '.join(missing)}")
        if raw["comparator"] not in COMPARATORS:
            raise CatalogError(f"{raw['id']}: comparator must be one of {COMPARATORS}")
        if raw["reconciliation"] not in RECONCILIATIONS:
            raise CatalogError(f"{raw['id']}: unknown reconciliation {raw['reconciliation']}")
        exceptions = _expand(raw["exceptions"], fragments, raw["id"])
        with_exceptions = {**fragments, "exceptions": exceptions}
        measures = {column: _expand(sql, with_exceptions, f"{raw['id']} measure {column}")
                    for column, sql in raw.get("measures", {}).items()}
        if raw["observed"] not in measures:
            raise CatalogError(f"{raw['id']}: observed measure {raw['observed']} is not defined")
        controls.append(Control(
            id=raw["id"], checkpoint=raw["checkpoint"], suite=raw["suite"],
            reconciliation=raw["reconciliation"], title=raw["title"], title_ko=raw["title_ko"],
            compared=" ".join(raw["compared"].split()), rule=" ".join(raw["rule"].split()),
            exceptions_meaning=raw["exceptions_meaning"], observed=raw["observed"],
            comparator=raw["comparator"], threshold=raw["threshold"],
            exceptions_order=raw["exceptions_order"], exceptions_sql=exceptions,
            measures=measures,
        ))
    ids = [c.id for c in controls]
    if len(set(ids)) != len(ids):
        raise CatalogError(f"{path}: duplicate control ids")
    parameter_sql = {name: _expand(spec["sql"], fragments, f"parameter {name}")
                     for name, spec in data.get("parameters", {}).items()}
    batch_sql = {name: _expand(spec["sql"], fragments, f"checkpoint {name}")
                 for name, spec in data.get("checkpoints", {}).items()}
    unbatched = sorted({c.checkpoint for c in controls} - set(batch_sql))
    if unbatched:
        raise CatalogError(f"{path}: no [checkpoints.<name>] sql for {', '.join(unbatched)}")
    return Catalog(version=str(data["version"]), controls=tuple(controls),
                   parameter_sql=parameter_sql, batch_sql=batch_sql)


# ------------------------------------------------------------------ quarters and parameters

def parse_quarter(label: str) -> tuple[int, int]:
    match = QUARTER_PATTERN.fullmatch(label)
    if not match:
        raise CatalogError(f"not a quarter label (YYYY-Qn): {label!r}")
    return int(match.group(1)), int(match.group(2))


def previous_quarter(label: str) -> str:
    year, quarter = parse_quarter(label)
    return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"


def parameters_of(sql: str) -> list[str]:
    return list(dict.fromkeys(PARAMETER.findall(sql)))


def bind(sql: str, values: Mapping[str, object]) -> dict[str, object]:
    """The named parameters the SQL uses, with their values (DuckDB rejects extra names)."""
    missing = [name for name in parameters_of(sql) if name not in values]
    if missing:
        raise CatalogError(f"no value for ${', $'.join(missing)}")
    return {name: values[name] for name in parameters_of(sql)}


def sql_literal(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, date):
        return f"date '{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def inline(sql: str, values: Mapping[str, object]) -> str:
    """The SQL with its parameters written in as literals: what the report prints, runnable
    as it stands against the warehouse."""
    bound = bind(sql, values)
    return PARAMETER.sub(lambda m: sql_literal(bound[m.group(1)]), sql)
