"""The report folder of a quarter: <data dir>/reports/<quarter>/.

Everything of a run is written into a staging folder next to it first; when the run has
committed its results to the warehouse, the staging folder replaces the quarter's folder
(rename of the old one aside, rename of the new one in, removal of the old). A rerun of a
quarter therefore replaces its files; other quarters' folders are not touched.

CSV files are UTF-8 with a byte-order mark (so Excel reads Korean correctly), comma
separated, every value written exactly as the warehouse holds it (decimals without
trailing zeros, ISO dates), except one guard: a text cell that a spreadsheet would run as
a formula (starting with = + - @, a tab or a carriage return, and not a plain number) is
written with a leading apostrophe, so opening an exception list in Excel never executes
what an extract carried (OWASP "CSV injection"). Negative numbers stay numbers.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

SAMPLE_CHECK_COLUMNS = ("checked_by", "checked_on", "paper_value", "agrees_with_paper",
                        "comment")


def report_file_name(quarter: str) -> str:
    return f"reconciliation_report_{quarter}.html"


def exceptions_file_name(quarter: str, control_id: str) -> str:
    return f"exceptions_{quarter}_{control_id}.csv"


def sample_file_name(quarter: str) -> str:
    return f"audit_sample_{quarter}.csv"


def results_file_name(quarter: str) -> str:
    return f"gx_validation_results_{quarter}.json"


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(cell: str) -> str:
    """The cell as a spreadsheet shows it as text, never as a formula."""
    if cell.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


class CsvFile:
    """A CSV file written row by row, formula-like text cells neutralised."""

    def __init__(self, handle: TextIO) -> None:
        self._writer = csv.writer(handle, lineterminator="\r\n")

    def header(self, columns: Sequence[str]) -> None:
        self._writer.writerow([neutralise(c) for c in columns])

    def rows(self, rows: Sequence[Sequence[str]]) -> None:
        """Rows of values already formatted as text (html.fmt)."""
        self._writer.writerows([neutralise(c) for c in row] for row in rows)


def open_csv(path: Path) -> TextIO:
    return path.open("w", encoding="utf-8-sig", newline="")


def staging_folder(reports_dir: Path, quarter: str) -> Path:
    folder = reports_dir / f".{quarter}.staging-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    return folder


def publish_folder(staging: Path, target: Path) -> Path:
    """Put the staging folder in place of the quarter's report folder (reports/<quarter>)."""
    reports_dir, quarter = target.parent, target.name
    old = reports_dir / f".{quarter}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)
    return target
