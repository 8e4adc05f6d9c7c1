"""Great Expectations: run the committed checkpoints on rows of control measurements.

GX is imported here only (it takes seconds), when a reconciliation runs; usage statistics
are off in the project's great_expectations.yml (analytics_enabled: false). The committed file
project (expectations/gx) is copied into a work folder under the data directory and the
copy is opened with ``gx.get_context(mode="file")``: whatever GX writes at run time
(validation results, config variables) lands there and is removed afterwards, never in the
repository. Each checkpoint gets its measurement row as a one-row pandas DataFrame (the
only data GX sees) and the thresholds in force as expectation parameters.
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
    observed: object
    error: str | None


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


def run_checkpoint(context: AbstractDataContext, name: str, row: Mapping[str, object],
                   parameters: Mapping[str, float]) -> CheckpointRun:
    import pandas as pd

    checkpoint = context.checkpoints.get(name)
    frame = pd.DataFrame([dict(row)])
    result = checkpoint.run(batch_parameters={"dataframe": frame},
                            expectation_parameters=dict(parameters))
    outcomes: list[ExpectationOutcome] = []
    for suite_result in result.run_results.values():
        for item in suite_result.results:
            config = item.expectation_config
            kwargs = dict(config.kwargs)
            meta = dict(config.meta or {})
            info = item.exception_info or {}
            error = info.get("exception_message") if info.get("raised_exception") else None
            column = str(kwargs.get("column", ""))
            outcomes.append(ExpectationOutcome(
                checkpoint=name,
                suite=str(suite_result.suite_name),
                control_id=str(meta.get("control_id", "")),
                meaning=str(meta.get("meaning", "")),
                expectation_type=str(config.type),
                column=column,
                severity=_severity(getattr(config, "severity", None)),
                success=bool(item.success) and error is None,
                bounds={key: kwargs.get(key) for key in ("min_value", "max_value")
                        if key in kwargs},
                observed=row.get(column),
                error=error,
            ))
    return CheckpointRun(name=name, success=bool(result.success), outcomes=tuple(outcomes),
                         described=result.describe_dict())
