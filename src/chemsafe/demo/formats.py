"""Row sinks and cell formatting for the demo extracts.

A :class:`Sink` is one output CSV written row by row (nothing is buffered beyond the file
object), counting the physical line each record starts on so that planted edge cases can be
listed with their exact line in the drop's README.

The ``f*`` helpers turn values into cells and, with a small probability drawn from the given
random generator, write them the way real exports do: other date layouts, Korean code labels,
other boolean spellings, thousands grouping, surrounding spaces. Every variant is valid under
the extract contract.
"""

from __future__ import annotations

import csv
import random
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from chemsafe.demo.reference import LABELS

FIRST_RECORD_LINE = 2  # the header is line 1


@dataclass(frozen=True)
class Note:
    """A planted edge case or bad row, for the README."""

    file: str
    line: int
    reason: str  # contract reason code; "accepted" (loads) or "duplicate" (collapses)
    text: str


class Sink:
    """One CSV output file, written record by record."""

    def __init__(
        self,
        path: Path,
        header: Sequence[str] | None,
        *,
        encoding: str = "utf-8",
        lineterminator: str = "\n",
        order: Sequence[int] | None = None,
    ) -> None:
        """``header`` None: a part of a file, whose records :meth:`append` adds to the
        whole file later; its lines are counted as if a header stood before them."""
        self.path = path
        self.file = path.name
        if header is None and encoding == "utf-8-sig":
            encoding = "utf-8"  # the byte-order mark opens the whole file, never a part
        self._fh = path.open("w", encoding=encoding, newline="")
        self._writer = csv.writer(self._fh, lineterminator=lineterminator)
        self._eol = lineterminator
        self._order = tuple(order) if order is not None else None
        if header is not None:
            self._writer.writerow(header)
        self.line = FIRST_RECORD_LINE  # physical line the next record starts on
        self.rows = 0  # records written (bad and duplicate rows included)

    def write(self, row: Sequence[str], extra_lines: int = 0) -> int:
        """Write one record given in contract column order; return its first physical line.

        ``extra_lines`` is the number of line breaks embedded in quoted cells of the row.
        """
        if self._order is not None:
            row = [row[j] for j in self._order]
        self._writer.writerow(row)
        line = self.line
        self.line += 1 + extra_lines
        self.rows += 1
        return line

    def blank(self, text: str = "") -> int:
        """Write a blank line (``text`` must be only white space); return its line."""
        if text.strip():
            raise ValueError("a blank line may hold only white space")
        self._fh.write(text + self._eol)
        line = self.line
        self.line += 1
        return line

    def append(self, part: Path, rows: int, lines: int) -> int:
        """Add the records of a part written by another Sink (no header, same encoding and
        line ends) after those written so far; return by how many lines the part's own
        line numbers move."""
        offset = self.lines
        self._fh.flush()
        with part.open("rb") as source:
            shutil.copyfileobj(source, self._fh.buffer)
        self.line += lines
        self.rows += rows
        return offset

    @property
    def lines(self) -> int:
        """Physical lines of records and blank lines written (the header not counted)."""
        return self.line - FIRST_RECORD_LINE

    def close(self) -> None:
        self._fh.close()


_DATE_LAYOUTS = ("%Y.%m.%d", "%Y/%m/%d", "%Y%m%d")


def fdate(rng: random.Random, d: date, p: float = 0.04) -> str:
    """ISO date, or with probability ``p`` one of the other accepted layouts."""
    if rng.random() >= p:
        return d.isoformat()
    return d.strftime(_DATE_LAYOUTS[rng.randrange(3)])


def fdate_opt(rng: random.Random, d: date | None, p: float = 0.04) -> str:
    return "" if d is None else fdate(rng, d, p)


def fcode(rng: random.Random, code_set: str, code: str, p: float = 0.08) -> str:
    """English code, or with probability ``p`` a Korean label (or, rarely, lower case)."""
    if rng.random() >= p:
        return code
    labels = LABELS.get(code_set, {}).get(code)
    if not labels or rng.random() < 0.1:
        return code.lower()
    return labels[rng.randrange(len(labels))]


_BOOL_STYLES: dict[str, tuple[str, str]] = {
    "YN": ("Y", "N"),
    "10": ("1", "0"),
    "TF": ("TRUE", "FALSE"),
    "tf": ("true", "false"),
    "ko": ("예", "아니오"),
}
_BOOL_VARIANTS = ("YN", "10", "TF", "tf", "ko")


def fbool(rng: random.Random, value: bool, style: str = "YN", p: float = 0.08) -> str:
    """Boolean in the file's usual ``style``; with probability ``p`` another accepted spelling."""
    if rng.random() < p:
        style = _BOOL_VARIANTS[rng.randrange(len(_BOOL_VARIANTS))]
    yes, no = _BOOL_STYLES[style]
    return yes if value else no


def fbool_opt(rng: random.Random, value: bool | None, style: str = "YN", p: float = 0.08) -> str:
    return "" if value is None else fbool(rng, value, style, p)


def group(num: str) -> str:
    """Insert comma thousands grouping into a plain number string: 1234567.5 -> 1,234,567.5."""
    sign = "-" if num.startswith("-") else ""
    body = num[1:] if sign else num
    whole, dot, frac = body.partition(".")
    parts = []
    while len(whole) > 3:
        parts.append(whole[-3:])
        whole = whole[:-3]
    parts.append(whole)
    return sign + ",".join(reversed(parts)) + dot + frac


def fnum(rng: random.Random, num: str, p: float = 0.05) -> str:
    """Plain number string, or with probability ``p`` with thousands grouping (when >= 1000)."""
    if rng.random() < p:
        return group(num)
    return num


def centi(value: int) -> str:
    """Format a quantity held in hundredths: 123450 -> '1234.5', 123456 -> '1234.56'."""
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 100)
    if frac % 10 == 0:
        return f"{sign}{whole}.{frac // 10}"
    return f"{sign}{whole}.{frac:02d}"


def pad(rng: random.Random, cell: str, p: float = 0.01) -> str:
    """With probability ``p`` surround the cell with spaces (trimmed by the loader)."""
    if rng.random() < p:
        return (" ", "  ", " ")[rng.randrange(3)] + cell + (" ", "", "  ")[rng.randrange(3)]
    return cell
