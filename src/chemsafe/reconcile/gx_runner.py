"""Great Expectations: run the committed checkpoints on the quarter's lines.

GX is imported here only (it takes seconds), when a reconciliation runs; usage statistics
are off in the project's great_expectations.yml (analytics_enabled: false). The committed file
project (expectations/gx) is copied into a work folder under the data directory and the
copy is opened with ``gx.get_context(mode="file")``: whatever GX writes at run time
(validation results, config variables) lands there and is removed afterwards, never in the
repository. Each checkpoint gets its table of lines as a pandas DataFrame (the checkpoint's
SQL in controls.toml, read from the warehouse) and the thresholds in force as expectation
parameters; its result format (COMPLETE, unexpected_index_column_names = line_key) makes GX
list every unexpected line. The suites use GX's structured row conditions, which the pandas,
Spark and SQL execution engines all read: a Spark datasource can run the same suites.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the import itself is slow: types only
    import pandas as pd
    from great_expectations.data_context import AbstractDataContext

SEVERITY_ORDER = {"info": 0, "warning": 1, "critical": 2}


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation's result, as the report and the results table need it."""

    checkpoint: str
    suite: str
    control_id: str
    meaning: str
    expectation_type: str
    column: str
    severity: str
    success: bool
    bounds: dict[str, float | None]
    observed: object  # GX's observed_value (aggregate expectations), else None
    error: str | None
    observes: str = ""  # meta.observed: "rate" or "max" for the control's observed value
    element_count: int | None = None  # map expectations: rows in the domain (row condition)
    unexpected_count: int | None = None
    missing_count: int | None = None
    unexpected_lines: tuple[str, ...] = ()  # line_key of every unexpected row

    @property
    def is_map(self) -> bool:
        """A row-by-row expectation (it counts and lists unexpected lines)."""
        return self.element_count is not None


@dataclass(frozen=True)
class CheckpointRun:
    name: str
    success: bool
    outcomes: tuple[ExpectationOutcome, ...]
    described: dict[str, Any]  # GX's own JSON description of the run


def suite_parameters(project: Path) -> dict[str, set[str]]:
    """suite name -> the $PARAMETER names its expectations use (read from the committed JSON)."""
    out: dict[str, set[str]] = {}
    for path in sorted((project / "expectations").glob("*.json")):
        suite = json.loads(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for expectation in suite["expectations"]:
            for value in expectation["kwargs"].values():
                if isinstance(value, dict) and "$PARAMETER" in value:
                    names.add(str(value["$PARAMETER"]))
        out[suite["name"]] = names
    return out


@contextmanager
def gx_context(project: Path, work_root: Path) -> Iterator[AbstractDataContext]:
    """A GX file context opened on a throw-away copy of the committed project."""
    import great_expectations as gx  # slow import: only when reconciling

    work = work_root / f"gx-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    shutil.copytree(project, work / "gx")
    try:
        yield gx.get_context(mode="file", project_root_dir=str(work))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def gx_version() -> str:
    from importlib.metadata import version

    return version("great_expectations")


def _severity(value: object) -> str:
    text = str(getattr(value, "value", value) or "critical").lower()
    return text if text in SEVERITY_ORDER else "critical"


def unexpected_lines(index_list: list[dict[str, Any]]) -> tuple[str, ...]:
    """line_key of every unexpected row: GX lists them one dict per row, or (result format
    exclude_unexpected_values, as the checkpoints ask) one dict holding all of them."""
    out: list[str] = []
    for entry in index_list:
        key = entry["line_key"]
        if isinstance(key, list):
            out.extend(str(k) for k in key)
        else:
            out.append(str(key))
    return tuple(out)


def _plain(value: object) -> object:
    """A numpy scalar GX reports (a column maximum) as the Python number it holds."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def _count(result: Mapping[str, Any], key: str) -> int | None:
    value = result.get(key)
    return int(value) if value is not None else None


def run_checkpoint(context: AbstractDataContext, name: str, frame: pd.DataFrame,
                   parameters: Mapping[str, float]) -> CheckpointRun:
    """Run one checkpoint on its table of lines; GX's own results are kept in `described`
    (the validation results as GX writes them, every unexpected line included)."""
    checkpoint = context.checkpoints.get(name)
    store = Path(str(context.root_directory)) / "uncommitted" / "validations"
    before = set(store.rglob("*.json")) if store.is_dir() else set()
    result = checkpoint.run(batch_parameters={"dataframe": frame},
                            expectation_parameters=dict(parameters))
    # GX's own serialisation, as its validation results store wrote it (serialising the
    # results again would double the cost of a long list of unexpected lines)
    validations = [json.loads(path.read_text(encoding="utf-8"))
                   for path in sorted(set(store.rglob("*.json")) - before)]
    outcomes: list[ExpectationOutcome] = []
    for suite_result in result.run_results.values():
        for item in suite_result.results:
            config = item.expectation_config
            kwargs = dict(config.kwargs)
            meta = dict(config.meta or {})
            info = item.exception_info or {}
            error = info.get("exception_message") if info.get("raised_exception") else None
            found = dict(item.result or {})
            lines = unexpected_lines(found.get("unexpected_index_list") or [])
            outcomes.append(ExpectationOutcome(
                checkpoint=name,
                suite=str(suite_result.suite_name),
                control_id=str(meta.get("control_id", "")),
                meaning=str(meta.get("meaning", "")),
                expectation_type=str(config.type),
                column=str(kwargs.get("column", kwargs.get("column_A", ""))),
                severity=_severity(getattr(config, "severity", None)),
                success=bool(item.success) and error is None,
                bounds={key: kwargs.get(key) for key in ("min_value", "max_value", "mostly")
                        if key in kwargs},
                observed=_plain(found.get("observed_value")),
                error=error,
                observes=str(meta.get("observed", "")),
                element_count=_count(found, "element_count"),
                unexpected_count=_count(found, "unexpected_count"),
                missing_count=_count(found, "missing_count"),
                unexpected_lines=lines,
            ))
    described = {"checkpoint": name, "success": bool(result.success),
                 "validation_results": validations}
    return CheckpointRun(name=name, success=bool(result.success), outcomes=tuple(outcomes),
                         described=described)
