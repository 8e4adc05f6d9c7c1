"""Convert one extract file with DuckDB's CSV reader, guided by a byte scan of the file.

The scan (``chemsafe.record_scan``) has already found, from the file's bytes, where every
record starts (its physical line), how many fields it has and which lines are blank.
DuckDB then reads the records that have the header's field count, in one pass at engine
speed, and writes the converted file (physical line, contract columns in order, extra
columns as JSON) that the dbt sources read. Python never touches a record, except the
few malformed ones it sets aside.

The two readers must agree: DuckDB must return exactly the records the scan counted, in
order. When they do not (or DuckDB refuses the file), ``EngineReadFailed`` is raised and
the caller reads the file record by record instead, so a disagreement costs time, never
a record.
"""

from __future__ import annotations

import csv
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import duckdb
import numpy as np
import pyarrow as pa

from chemsafe.db import literal
from chemsafe.personal import (
    SETTINGS,
    TRIM_CHARS,
    Protection,
    mask_employee_numbers,
    pseudonymise_employee_numbers,
)
from chemsafe.record_scan import FileScan

HASH_FUNCTION = "chemsafe_ingest_hash"
DIGEST_FUNCTION = "chemsafe_ingest_digest"
PSEUDONYM_FUNCTION = "chemsafe_ingest_pseudonymise"
MEMORY_LIMIT_ENV = "CHEMSAFE_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "1500MB"
_UNITS = {"": 1, "b": 1, "bytes": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
          "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$", re.IGNORECASE)


def memory_share(parts: int) -> str:
    """DuckDB's memory bound for one of `parts` files read at once: CHEMSAFE_MEMORY_LIMIT
    (default 1500MB) split evenly, so concurrent reads stay within the one bound. A value
    this cannot read (a percentage, say) is passed on whole."""
    limit = os.environ.get(MEMORY_LIMIT_ENV, DEFAULT_MEMORY_LIMIT)
    match = _SIZE.match(limit)
    unit = _UNITS.get(match.group(2).lower()) if match else None
    if match is None or unit is None or parts <= 1:
        return limit
    return f"{int(float(match.group(1)) * unit / parts)} bytes"


# DuckDB's CSV reader holds buffers of buffer_size bytes, 16 x max_line_size unless set: with
# a 64 MB line limit that is a 1 GiB buffer, which does not fit the memory bound, so every
# extract over 1 GB (inspections.csv at 10M findings) failed in DuckDB and was read record
# by record instead, ten times slower. 16 MB buffers read as fast (0.77 s for the 1M
# inspections.csv, 0.92 s with 32 MB) and fit a 50 MB share. A record longer than
# ENGINE_MAX_RECORD_BYTES (4 MB: forty cells of the contract's 32,767 characters, each
# three bytes in UTF-8) sends its file to the record-by-record reader, which reads it
# correctly, and the load summary names the file and the reason.
ENGINE_MAX_RECORD_BYTES = 4 << 20
ENGINE_BUFFER_BYTES = 16 << 20


class EngineReadFailed(Exception):
    """DuckDB and the byte scan disagree about the file: read it record by record."""


@dataclass(frozen=True)
class Malformed:
    line: int
    field_count: int
    column_name: str  # the column of an over-long cell; '' for a wrong field count
    raw_text: str


def record_text(source: BinaryIO, start: int, end: int) -> str:
    """The text of bytes [start, end) of the file (read where it lies, no mapping of the
    file: a mapped file's pages would count in the process's memory)."""
    source.seek(start)
    return source.read(end - start).decode("utf-8", errors="replace")


def _copy_range(src: BinaryIO, dst: BinaryIO, start: int, end: int) -> None:
    """Copy bytes [start, end) of src to dst's position (an unbuffered file: the kernel
    copy and the writes both go to its descriptor), in the kernel where it can."""
    offset = start
    while offset < end:
        try:
            copied = os.copy_file_range(src.fileno(), dst.fileno(), end - offset,
                                        offset_src=offset)
        except OSError:
            copied = 0
        if copied <= 0:  # not supported here (or across these file systems): by reads
            src.seek(offset)
            while offset < end:
                piece = src.read(min(end - offset, 1 << 22))
                if not piece:
                    raise OSError(f"{src.name}: ends before byte {end}")
                view = memoryview(piece)
                while view:  # a raw write may take fewer bytes than given
                    view = view[dst.write(view) or 0:]
                offset += len(piece)
            return
        offset += copied


def _good_copy(source: BinaryIO, cut_starts: np.ndarray, cut_ends: np.ndarray, size: int,
               target: Path) -> None:
    """Write the file without the byte ranges [cut_starts, cut_ends) (blank lines and
    records of another width, each with its line break), and nothing else, to target:
    the loop is over the few cuts, not over records."""
    keep_from = np.concatenate(([0], cut_ends))
    keep_to = np.concatenate((cut_starts, [size]))
    with target.open("wb", buffering=0) as out:
        for a, b in zip(keep_from.tolist(), keep_to.tolist(), strict=True):
            if b > a:
                _copy_range(source, out, a, b)


def convert_with_engine(
    *,
    source: Path,
    scan: FileScan,
    positions: list[int],
    extras: list[tuple[str, int]],
    header: list[str],
    column_names: list[str],
    out_path: Path,
    work_dir: Path,
    max_cell_chars: int,
    memory_limit: str,
    protection: Protection,
) -> tuple[int, list[Malformed]]:
    """Write the converted file; return (records read, malformed records)."""
    with source.open("rb") as handle:
        malformed = [Malformed(line, count, "", record_text(handle, start, end))
                     for line, count, start, end in scan.wrong]
        too_long = _too_long_cells(handle, scan.long, header, max_cell_chars)
        malformed.extend(too_long.values())
        cut_starts, cut_ends = scan.cuts()
        read_path = source
        assert scan.header_range is not None
        if len(cut_starts) or scan.header_range[0] != 0:
            read_path = work_dir / f".{out_path.stem}.engine-input.csv"
            _good_copy(handle, cut_starts, cut_ends, source.stat().st_size, read_path)
    try:
        _read_and_write(read_path, scan.lines(), set(too_long), scan.width, positions,
                        extras, column_names, out_path, memory_limit, protection)
    finally:
        if read_path != source:
            read_path.unlink(missing_ok=True)
    malformed.sort(key=lambda m: m.line)
    return scan.data_records, malformed


def _too_long_cells(source: BinaryIO, candidates: list[tuple[int, int, int, int]],
                    header: list[str], max_cell_chars: int) -> dict[int, Malformed]:
    """The records with a cell longer than the contract allows, by index among the records
    of the header's width.

    A cell of more than max_cell_chars characters takes more bytes than that, so only the
    records whose bytes are longer can hold one (the scan lists them): those few are parsed
    here (RFC 4180, as the scan has checked) and every other record is known to be within
    the limit."""
    found: dict[int, Malformed] = {}
    for index, line, start, end in candidates:
        text = record_text(source, start, end)
        cells = record_cells(text)
        column = too_long_column(cells, header, max_cell_chars)
        if column is not None:
            found[index] = Malformed(line, len(cells), column, text)
    return found


def record_cells(text: str) -> list[str]:
    """The cells of one record's text (RFC 4180), however long a cell is."""
    unlimited_field_size()
    return next(csv.reader([text]))


def unlimited_field_size() -> None:
    """Let the csv module read a cell of any length. It refuses one over its field limit
    (131,072 characters by default) with an error, before the contract's own limit
    (32,767: malformed_row, the rest of the file loaded) is applied to the cells read. The
    record's text is in memory already, so the module's limit guards nothing."""
    if csv.field_size_limit() < sys.maxsize:
        csv.field_size_limit(sys.maxsize)


def too_long_column(cells: list[str], header: list[str], max_cell_chars: int) -> str | None:
    """The column of a record's first cell longer than the contract allows (its header
    name, trimmed and lower-cased; `field N` when the header has none), or None. Both
    readers name the column with this."""
    at = next((k for k, cell in enumerate(cells) if len(cell) > max_cell_chars), None)
    if at is None:
        return None
    name = mask_employee_numbers(header[at].strip().lower()) if at < len(header) else ""
    return name or f"field {at + 1}"


def _read_and_write(read_path: Path, lines: np.ndarray, too_long: set[int], width: int,
                    positions: list[int], extras: list[tuple[str, int]],
                    column_names: list[str], out_path: Path, memory_limit: str,
                    protection: Protection) -> int:
    """One statement reads the records and writes the converted file, each record next to
    its physical line (joined by position: DuckDB keeps the file's order). DuckDB
    returning fewer or more records than the scan found stops the statement."""
    keep = np.ones(len(lines) + 1, dtype=bool)
    keep[0] = False  # the header
    keep[[i + 1 for i in too_long]] = False
    names = [f"c{i}" for i in range(width)]
    columns = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
    selected, extra_json, digest, found = _protected_columns(positions, extras,
                                                             column_names, protection)
    expected = int(keep.sum())
    con = duckdb.connect()
    try:
        con.execute("set preserve_insertion_order = true")
        con.execute(f"set memory_limit = {literal(memory_limit)}")
        _register_protection(con, protection)
        con.register("record_lines", pa.table({
            "line": pa.array(np.concatenate(([0], lines))),
            "keep": pa.array(keep),
        }))
        try:
            ((written,),) = con.execute(
                "copy (select coalesce(record_lines.line, error('more records than the scan "
                f"found')) as _line, {selected}, {extra_json} as _extras, "
                f"{digest} as _masked_digest "
                f"from (select *, true as present, {found} as _found from read_csv("
                f"{literal(str(read_path))}, header = false, auto_detect = false, "
                f"columns = {columns}, delim = ',', quote = '\"', escape = '\"', "
                "strict_mode = true, null_padding = false, "
                f"max_line_size = {ENGINE_MAX_RECORD_BYTES}, "
                f"buffer_size = {ENGINE_BUFFER_BYTES})) as records "
                "positional join record_lines "
                "where coalesce(records.present, error('fewer records than the scan found')) "
                "and record_lines.keep) "
                f"to {literal(str(out_path))} (header true, delimiter ',', quote '\"', "
                "escape '\"')"
            ).fetchall()
        except duckdb.Error as exc:
            raise EngineReadFailed(str(exc)) from exc
        if written != expected:
            raise EngineReadFailed(f"DuckDB wrote {written} records where the scan kept {expected}")
        return expected
    finally:
        con.close()


def _protected_columns(positions: list[int], extras: list[tuple[str, int]],
                       column_names: list[str],
                       protection: Protection) -> tuple[str, str, str, str]:
    """The select list of the converted file, personal data protected as
    chemsafe.personal says: (contract columns, _extras, _masked_digest, and the _found
    test they read, computed once per record). The key is not
    in this SQL: the keyed hash is a function registered on the connection."""
    trim = literal(TRIM_CHARS)
    pattern, mask = literal(SETTINGS.employee_number_pattern), literal(SETTINGS.mask)
    masked_cells = [f"c{positions[i]}" for i in protection.masked]
    extra_cells = [f"c{idx}" for _, idx in extras]
    watched = masked_cells + extra_cells
    # whether the record quotes an employee number where ingest masks: computed once per
    # record (column _found of the read), so the masking below runs on those few only
    found = "records._found"

    def masked(expr: str) -> str:
        return f"case when {found} then regexp_replace({expr}, {pattern}, {mask}, 'gi') " \
               f"else {expr} end"

    cells = []
    for i, (position, name) in enumerate(zip(positions, column_names, strict=True)):
        cell = f"c{position}"
        if i in protection.personal:
            cell = f"{HASH_FUNCTION}({cell})"
        elif i in protection.pseudonymised:
            cell = f"case when {found} then {PSEUDONYM_FUNCTION}({cell}) else {cell} end"
        elif i in protection.masked:
            cell = masked(cell)
        cells.append(f'{cell} as "{name}"')
    empty = literal("")
    extra_json = (
        "json_object(" + ", ".join(
            f"{literal(name)}, " + masked(f"coalesce(trim(c{idx}, {trim}), {empty})")
            for name, idx in extras) + ")" if extras else "null"
    )
    digest = (f"case when {found} then {DIGEST_FUNCTION}(list_value({', '.join(watched)})) "
              "end" if watched else "null")
    found_sql = (f"regexp_matches(concat_ws(chr(31), {', '.join(watched)}), {pattern}, 'i')"
                 if watched else "false")
    return ", ".join(cells), extra_json, digest, found_sql


def _register_protection(con: duckdb.DuckDBPyConnection, protection: Protection) -> None:
    """The keyed hash and digest as connection functions (vectorised over Arrow arrays):
    the key stays in this process, never in SQL text."""
    def digested(records: pa.Array) -> pa.Array:
        return pa.array([protection.digest(r) for r in records.to_pylist()], type=pa.string())

    def hashed(values: pa.Array) -> pa.Array:
        return pa.array(protection.hash_all(values.to_pylist()), type=pa.string())

    con.create_function(HASH_FUNCTION, hashed, ["VARCHAR"], "VARCHAR", type="arrow",
                        null_handling="special", side_effects=False)
    con.create_function(DIGEST_FUNCTION, digested, ["VARCHAR[]"], "VARCHAR", type="arrow",
                        side_effects=False)

    def pseudonymised(values: pa.Array) -> pa.Array:
        return pa.array([None if v is None else pseudonymise_employee_numbers(v, protection.key)
                         for v in values.to_pylist()], type=pa.string())

    con.create_function(PSEUDONYM_FUNCTION, pseudonymised, ["VARCHAR"], "VARCHAR",
                        type="arrow", null_handling="special", side_effects=False)


def header_fields(source: Path, start: int, end: int) -> list[str]:
    with source.open("rb") as handle:
        return record_cells(record_text(handle, start, end))
