"""Load a folder of extract files into raw dbt seeds.

Ingestion does only what SQL cannot do well: detect the encoding, match the header to
the contract, find the physical line where each record starts, account for every
physical line of the file, and set aside records that cannot be split into the
contract's cells (``malformed_row``: a wrong field count, or a cell longer than the
contract's limit). Every other rule of the contract (types, codes, duplicates, keys,
references) is applied by the dbt staging models, identically whatever path the raw rows
took.

Nothing is lost without a word: every physical line of a file is the header, a blank
line, or part of a record that is written to the raw seed or to the malformed rows, and
the line count the reader saw is checked against the line breaks counted in the file's
bytes. A record that runs over more than ``MAX_RECORD_LINES`` physical lines (almost
always a stray quote that swallows the lines after it) fails the whole load, naming the
file and the line where that record starts.

A load is all or nothing: every file is checked and converted into a new load folder,
and only when all of them passed does the ``current`` link swap to it (an atomic
rename), so a failed load leaves the previous one, and the warehouse built from it,
untouched.
"""

from __future__ import annotations

import csv
import json
import shutil
import stat
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from chemsafe.atomic import swap_link
from chemsafe.contract import FILES, FILES_BY_NAME, LIMITS, ExtractFile
from chemsafe.encoding import (
    EncodingError,
    FileFingerprint,
    decode_to_utf8,
    fingerprint,
    line_breaks,
)
from chemsafe.engine_read import (
    EngineReadFailed,
    convert_with_engine,
    header_fields,
    memory_share,
    too_long_column,
    unlimited_field_size,
)
from chemsafe.paths import DataPaths
from chemsafe.personal import (
    DIGEST_COLUMN,
    KEY_FINGERPRINT_FILE,
    TRIM_CHARS,
    Protection,
    mask_employee_numbers,
)
from chemsafe.pseudonym import key_fingerprint, pseudonym_key
from chemsafe.record_scan import scan_or_reason
from chemsafe.workers import workers_setting

MANIFEST_SEED = "raw__ingest_manifest"
MALFORMED_SEED = "raw__malformed_rows"
LINE_COLUMN = "_line"
EXTRAS_COLUMN = "_extras"
MANIFEST_COLUMNS = (
    "load_id", "source_file", "sha256", "size_bytes", "encoding", "records_read",
    "malformed_records", "extra_columns", "source_path", "loaded_at", "physical_lines",
    "blank_lines", "record_lines",
)
MALFORMED_COLUMNS = ("source_file", "line_number", "field_count", "expected_field_count",
                     "column_name", "raw_record")

# The contract's limits: one record spans at most this many physical lines (else the
# file fails), and a cell holds at most this many characters (else its record is
# malformed_row).
MAX_RECORD_LINES = LIMITS.max_record_lines
MAX_CELL_CHARS = LIMITS.max_cell_chars
# A malformed record's raw text is kept for the quarantine, cut to this length when its
# record is malformed because of an over-long cell.
RAW_TEXT_SHOWN = 1_000
# Files converted at once: the byte scan, the hashing and DuckDB's read of different files
# overlap (numpy, hashlib and DuckDB release the GIL), so a second worker uses the second
# core while one file's DuckDB step waits on the disk or the first core.
INGEST_WORKERS_ENV = "CHEMSAFE_INGEST_WORKERS"


def ingest_workers() -> int:
    """Files converted at once: CHEMSAFE_INGEST_WORKERS, else the CPUs (at most 4)."""
    return workers_setting(INGEST_WORKERS_ENV, at_most=4)


class RowWriter(Protocol):
    """Where a file's malformed rows go (a csv writer, or MalformedRows)."""

    def writerow(self, row: list[object]) -> object: ...


class MalformedRows(list[list[object]]):
    """One file's malformed rows, kept until every file is converted and then written in
    the contract's file order (files are converted concurrently)."""

    def writerow(self, row: list[object]) -> None:
        self.append(row)


class IngestError(Exception):
    """A load failed as a whole; the message names the file and the reason."""


@dataclass
class FileResult:
    extract: ExtractFile
    fingerprint: FileFingerprint
    source_path: Path
    records_read: int = 0
    malformed: int = 0
    extra_columns: list[str] = field(default_factory=list)
    physical_lines: int = 0
    blank_lines: int = 0
    record_lines: int = 0
    # why the engine path could not read the file, which was read record by record
    # instead (slower, same result); "" when the engine read it or was not asked to
    slow_path_reason: str = ""


@dataclass
class LoadResult:
    load_id: str
    load_dir: Path
    files: list[FileResult]
    ignored_files: list[str]


def normalise_header(name: str) -> str:
    return name.strip().lower()


def match_header(
    extract: ExtractFile, header: list[str]
) -> tuple[list[int], list[tuple[str, int]]]:
    """Map contract columns to header positions; return (positions, extra columns).

    Raises IngestError naming the file and the column when a contract column is missing
    or any column is named twice.
    """
    # An unnamed column (e.g. the trailing empty header cells Excel writes) is an extra
    # column with a generated name, not a column named '' twice.
    names = [normalise_header(h) or f"_unnamed_{idx + 1}" for idx, h in enumerate(header)]
    seen: dict[str, int] = {}
    for idx, name in enumerate(names):
        if name in seen:
            raise IngestError(
                f"{extract.file_name}: header names column "
                f"'{mask_employee_numbers(name)}' twice "
                f"(fields {seen[name] + 1} and {idx + 1}); the load is rejected"
            )
        seen[name] = idx
    missing = [c for c in extract.column_names if c not in seen]
    if missing:
        raise IngestError(
            f"{extract.file_name}: header lacks column '{missing[0]}'"
            + (f" (also missing: {', '.join(missing[1:])})" if len(missing) > 1 else "")
            + "; the load is rejected"
        )
    positions = [seen[c] for c in extract.column_names]
    contract = set(extract.column_names)
    return positions, _extra_columns(
        [(name, idx) for idx, name in enumerate(names) if name not in contract])


def _extra_columns(extras: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The extra columns' names as ingest writes them (the load's manifest, the keys of
    `_extras`): a header is data too, so an employee number in one is masked like one in
    free text; a name that masking makes equal to another's gets its field number."""
    masked = [(mask_employee_numbers(name), idx) for name, idx in extras]
    counts = Counter(name for name, _ in masked)
    taken = {name for name, _ in masked if counts[name] == 1}
    named: list[tuple[str, int]] = []
    for name, idx in masked:
        if counts[name] > 1:
            base = name = f"{name} (field {idx + 1})"
            copy = 1
            while name in taken:  # a header already named like that
                copy += 1
                name = f"{base} {copy}"
            taken.add(name)
        named.append((name, idx))
    return named


class RecordReader:
    """The records of one extract file, each with the physical line where it starts.

    The header is line 1 and is yielded too (as the first record). A line is blank when
    its text is empty or only white space; a line such as ``""`` (one quoted empty
    field) is not blank but a record, so it is never dropped silently. After iteration,
    ``lines`` is the number of physical lines read and ``blank_lines`` how many of them
    were blank; every other line belongs to a yielded record. A record that would span
    more than MAX_RECORD_LINES lines raises IngestError as soon as it does, naming the
    file and the line where it starts, without reading the rest of the file.
    """

    def __init__(self, path: Path, encoding: str, file_name: str | None = None) -> None:
        self.path = path
        self.encoding = encoding
        self.file_name = file_name or path.name
        self.lines = 0
        self.blank_lines = 0
        self._record_text: list[str] = []
        self._lines: Iterator[str] = iter(())  # the file's physical lines, once reading
        self._at_end = False
        self.last_lines: list[str] = []  # the physical lines of the record just yielded
        # whether the record just yielded had a quote closed before its cell ended (text
        # after the closing quote): it is yielded with no fields and is malformed_row
        self.broken_quote = False

    def _physical_lines(self, handle: Iterator[str]) -> Iterator[str]:
        for line in handle:
            record_text = self._record_text
            record_text.append(line)
            if len(record_text) > MAX_RECORD_LINES:
                raise _record_too_long(self.file_name, self.lines + 1)
            yield line
        self._at_end = True

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        unlimited_field_size()
        with self.path.open("r", encoding=self.encoding, newline="") as handle:
            # csv.reader pulls exactly the lines of one record before yielding it, so
            # _record_text holds that record's physical lines. Strict: the lenient reader
            # closes a quote left open at the end of the file, and glues text after a
            # closing quote onto the cell, accepting records a stray quote has swallowed.
            self._lines = self._physical_lines(handle)
            reader = csv.reader(self._lines, strict=True)
            while True:
                self.broken_quote = False
                try:
                    record = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    record = self._quote_error(exc)
                start = self.lines + 1
                record_text = self._record_text
                self.lines += len(record_text)
                blank = (not self.broken_quote and len(record) <= 1
                         and "".join(record_text).strip() == "")
                self.last_lines, self._record_text = record_text, []
                if blank:
                    self.blank_lines += 1
                    continue
                yield start, record

    def _quote_error(self, exc: csv.Error) -> list[str]:
        """The reader stopped inside a record. A quote still open at the end of the file
        fails the file; a closing quote followed by more text in the same cell makes the
        record malformed (no fields), the record running on, read leniently, to the line
        end where no quoted cell is open (the reader drops the rest of the line it stopped
        in, where a cell may open that continues on the next lines); anything else fails
        the file."""
        start = self.lines + 1
        if not self._at_end and "expected after" not in str(exc):  # another reader error
            raise IngestError(
                f"{self.file_name}: unreadable CSV in the record starting at line "
                f"{start} ({exc}); the load is rejected"
            ) from exc
        while not self._at_end and _ends_inside_quotes("".join(self._record_text)):
            next(self._lines, None)  # the record's next physical line (or the file's end)
        if self._at_end:
            raise IngestError(
                f"{self.file_name}: the record starting at line {start} opens a quote that "
                "never closes: it runs to the end of the file (a stray quote swallows the "
                f"lines after it); fix line {start} and load again; the load is rejected"
            ) from exc
        self.broken_quote = True
        return []


def _ends_inside_quotes(text: str) -> bool:
    """Whether a record's text, read leniently (after a closing quote, the rest of the
    cell is unquoted text, as Python's lenient csv reader and spreadsheets take it), ends
    inside a quoted cell: the line break at its end then belongs to the cell."""
    quoted = after_quote = False
    at_start = True  # at the start of a cell, where a quote opens a quoted cell
    for char in text:
        if quoted:
            if not after_quote:
                after_quote = char == '"'
                continue
            after_quote = False
            if char == '"':  # a doubled quote: one quote in the cell
                continue
            quoted = False  # the cell's quote closed before this character
        if char in ",\r\n":
            at_start = True
        elif char == '"' and at_start:
            quoted, at_start = True, False
        else:
            at_start = False
    return quoted and not after_quote


def iter_records(path: Path, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (physical line where the record starts, fields), skipping blank lines."""
    return iter(RecordReader(path, encoding))


def count_physical_lines(path: Path) -> int:
    """Physical lines of a file counted from its bytes, independently of the CSV reader:
    its line breaks (chemsafe.encoding.line_breaks), and a last line without one."""
    breaks, last = line_breaks(path)
    return breaks + (1 if last and last not in (b"\n", b"\r") else 0)


def record_physical_text(lines: list[str]) -> str:
    """A record as it stands in the file: its physical lines, without the last line break."""
    text = "".join(lines)
    for ending in ("\r\n", "\n", "\r"):
        if text.endswith(ending):
            return text[: -len(ending)]
    return text


def shown_raw_text(text: str) -> str:
    """The raw text of a malformed record as the quarantine shows it (cut when huge)."""
    if len(text) <= MAX_CELL_CHARS:
        return text
    return f"{text[:RAW_TEXT_SHOWN]}… [cut: the record is {len(text):,} characters]"


def convert_file(
    extract: ExtractFile,
    source: Path,
    target_dir: Path,
    malformed_writer: RowWriter,
    reader: str = "engine",
    key: bytes | None = None,
) -> FileResult:
    """Check one extract and write its converted file (``raw_<name>.csv``) into target_dir.

    reader "engine" (the default): a byte scan finds the records and DuckDB reads them;
    a file outside RFC 4180 quoting, or one where the two disagree, is read record by
    record instead. reader "python": record by record (the reference the engine path is
    tested against). Personal data is protected as chemsafe.personal says, under `key`
    (default: this run's pseudonym key).
    """
    protection = Protection.for_file(extract, key)
    try:
        # the engine path decodes a CP949 file once, into its UTF-8 view, and checks it there
        fp = fingerprint(source, confirm_cp949=reader != "engine")
        result = FileResult(extract, fp, source)
        if reader == "engine":
            with _utf8_view(source, fp, target_dir) as utf8:
                if _convert_with_engine(result, utf8, target_dir, malformed_writer,
                                        protection):
                    return result
    except EncodingError as exc:
        raise IngestError(str(exc)) from exc
    _convert_by_record(result, target_dir, malformed_writer, protection)
    return result


@contextmanager
def _utf8_view(source: Path, fp: FileFingerprint, work_dir: Path) -> Iterator[Path]:
    """The file as UTF-8 without a byte-order mark: itself, or a decoded copy (CP949 is
    decoded in bulk, chunk by chunk, never record by record)."""
    if fp.encoding == "utf-8":
        yield source
        return
    copy = work_dir / f".{source.name}.utf-8"
    try:
        decode_to_utf8(source, fp.encoding, copy)
        yield copy
    finally:
        copy.unlink(missing_ok=True)


def _record_too_long(file_name: str, start: int) -> IngestError:
    return IngestError(
        f"{file_name}: the record starting at line {start} runs over more than "
        f"{MAX_RECORD_LINES} physical lines (a stray or unclosed quote in that record "
        f"swallows the lines after it); fix line {start} and load again; the load is rejected"
    )


def _convert_with_engine(result: FileResult, utf8: Path, target_dir: Path,
                         malformed_writer: RowWriter, protection: Protection) -> bool:
    """The engine path; False when the file must be read record by record instead."""
    extract = result.extract
    scan, reason = scan_or_reason(utf8, span_limit=MAX_RECORD_LINES,
                                  long_bytes=MAX_CELL_CHARS)
    if scan is None:
        result.slow_path_reason = f"its quoting is outside RFC 4180 ({reason})"
        return False
    if scan.first_over_span is not None:
        raise _record_too_long(extract.file_name, scan.first_over_span)
    if scan.header_range is None:
        raise IngestError(f"{extract.file_name}: the file is empty (no header row)")
    out_path = target_dir / f"{extract.seed_name}.csv"
    header = header_fields(utf8, *scan.header_range)
    positions, extras = match_header(extract, header)
    try:
        records_read, malformed = convert_with_engine(
            source=utf8, scan=scan, positions=positions, extras=extras, header=header,
            column_names=extract.column_names, out_path=out_path, work_dir=target_dir,
            max_cell_chars=MAX_CELL_CHARS, memory_limit=memory_share(ingest_workers()),
            protection=protection)
    except EngineReadFailed as exc:
        out_path.unlink(missing_ok=True)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        result.slow_path_reason = f"DuckDB could not read it as the scan did ({first})"
        return False
    result.extra_columns = [name for name, _ in extras]
    result.records_read = records_read
    result.malformed = len(malformed)
    for item in malformed:
        malformed_writer.writerow([extract.file_name, item.line, item.field_count, len(header),
                                   item.column_name,
                                   protection.shown_malformed(shown_raw_text(item.raw_text))])
    # the scan counted the line breaks in the bytes (a lone CR sends a file to the
    # record-by-record reader); blank lines and record spans were derived separately
    result.physical_lines = scan.physical_lines
    result.blank_lines = scan.blank_lines
    result.record_lines = scan.record_lines
    if result.physical_lines != result.blank_lines + result.record_lines:
        raise IngestError(
            f"{extract.file_name}: {result.physical_lines} physical lines in the file but "
            f"the scan accounted for {result.blank_lines + result.record_lines}; the load is "
            "rejected rather than risk losing records"
        )
    return True


def _convert_by_record(result: FileResult, target_dir: Path,
                       malformed_writer: RowWriter, protection: Protection) -> None:
    """The reference path: Python's csv reader, one record at a time."""
    extract, fp, source = result.extract, result.fingerprint, result.source_path
    reader = RecordReader(source, fp.encoding, extract.file_name)
    records = iter(reader)
    first = next(records, None)
    if first is None:
        raise IngestError(f"{extract.file_name}: the file is empty (no header row)")
    header_line, header = first
    if reader.broken_quote:
        raise IngestError(f"{extract.file_name}: the header row (line {header_line}) has "
                          "text after a closing quote in one of its cells; the load is "
                          "rejected")
    positions, extras = match_header(extract, header)
    result.extra_columns = [name for name, _ in extras]
    width = len(header)
    out_path = target_dir / f"{extract.seed_name}.csv"
    with out_path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([LINE_COLUMN, *extract.column_names, EXTRAS_COLUMN, DIGEST_COLUMN])
        for line, record in records:
            result.records_read += 1
            too_long = too_long_column(record, header, MAX_CELL_CHARS)
            if reader.broken_quote or len(record) != width or too_long is not None:
                result.malformed += 1
                malformed_writer.writerow([
                    extract.file_name, line, "" if reader.broken_quote else len(record), width,
                    too_long if len(record) == width else "",
                    protection.shown_malformed(
                        shown_raw_text(record_physical_text(reader.last_lines))),
                ])
                continue
            cells, extra_cells, digest = protection.protect_record(
                [record[p] for p in positions],
                [record[idx].strip(TRIM_CHARS) for _, idx in extras])
            extra_json = (
                json.dumps(
                    dict(zip([name for name, _ in extras], extra_cells, strict=True)),
                    ensure_ascii=False,
                    separators=(",", ":"),
                )
                if extras
                else ""
            )
            row = [line, *cells, extra_json, digest]
            if any("\r" in cell for cell in cells if cell):
                out.write(_quoted_line(row))  # csv.writer leaves a lone CR unquoted
            else:
                writer.writerow(row)
    _account_for_lines(result, reader)


def _quoted_line(row: list[object]) -> str:
    """A converted record as csv.writer writes it, except that a cell holding a line break
    of any kind (a lone CR included, which csv.writer with an LF terminator leaves bare,
    and a reader then takes for the end of the record) is quoted."""
    def cell(value: object) -> str:
        text = "" if value is None else str(value)
        if any(c in text for c in ',"\r\n'):
            return '"' + text.replace('"', '""') + '"'
        return text
    return ",".join(cell(value) for value in row) + "\n"


def _account_for_lines(result: FileResult, reader: RecordReader) -> None:
    """Every physical line is the header, blank, or part of a record; else the load fails."""
    result.physical_lines = count_physical_lines(result.source_path)
    result.blank_lines = reader.blank_lines
    result.record_lines = reader.lines - reader.blank_lines
    if result.physical_lines != reader.lines:
        raise IngestError(
            f"{result.extract.file_name}: {result.physical_lines} physical lines in the file "
            f"but the CSV reader accounted for {reader.lines}; the load is rejected rather "
            "than risk losing records"
        )


def _contract_file(folder: Path, path: Path) -> Path:
    """The extract behind a contract-named entry: a regular file inside the folder."""
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise IngestError(
            f"{path.name}: is a link that leads nowhere ({exc}); the load is rejected"
        ) from exc
    if path.is_symlink() and not resolved.is_relative_to(folder):
        raise IngestError(
            f"{path.name}: is a link to {resolved}, outside the extract folder {folder}; "
            "extracts must be files inside the folder; the load is rejected"
        )
    if not stat.S_ISREG(resolved.stat().st_mode):
        raise IngestError(f"{path.name}: is not a regular file; the load is rejected")
    return path


def _find_sources(folder: Path) -> tuple[dict[str, Path], list[str]]:
    """Contract files by stem, and the names of other files (reported as ignored).

    A file counts only when its name is exactly the contract's, case included
    (``FINDINGS.csv`` is not ``findings.csv``).
    """
    found: dict[str, Path] = {}
    ignored: list[str] = []
    for path in sorted(folder.iterdir()):
        stem = path.name[:-4] if path.name.endswith(".csv") else None
        if stem in FILES_BY_NAME:
            found[stem] = _contract_file(folder, path)
        elif path.is_file() or path.is_symlink():
            ignored.append(path.name)
    return found, sorted(ignored)


def _missing_files_message(folder: Path, missing: list[str], ignored: list[str]) -> str:
    message = f"{folder}: missing extract file(s): {', '.join(missing)}"
    near = [name for name in ignored if name.lower() in {m.lower() for m in missing}]
    if near:
        message += (f" ({', '.join(near)} differ only in case: file names must match the "
                    "contract exactly)")
    return message + "; the load is rejected"


def _convert_all(sources: dict[str, Path], work_dir: Path,
                 reader: str, key: bytes) -> list[tuple[FileResult, MalformedRows]]:
    """Convert every extract, the largest first, a few at a time; results in the
    contract's file order. When files fail, the first failing one in that order is raised
    (as a one-at-a-time load would), after the files in progress have stopped."""
    order = sorted(FILES, key=lambda f: -sources[f.name].stat().st_size)
    rows = {f.name: MalformedRows() for f in FILES}
    with ThreadPoolExecutor(max_workers=ingest_workers(),
                            thread_name_prefix="chemsafe-ingest") as pool:
        futures: dict[str, Future[FileResult]] = {
            f.name: pool.submit(convert_file, f, sources[f.name], work_dir, rows[f.name], reader,
                                  key)
            for f in order
        }
        try:
            for name in [f.name for f in FILES]:
                futures[name].exception()  # wait, in file order
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return [(futures[f.name].result(), rows[f.name]) for f in FILES]


def ingest(folder: Path, paths: DataPaths, now: datetime | None = None,
           reader: str = "engine", expected_sha256: dict[str, str] | None = None) \
        -> LoadResult:
    """Convert every extract of ``folder`` into a new load and make it current.

    Personal data is protected under this run's pseudonym key (chemsafe.personal), whose
    fingerprint the load folder records. Raises IngestError (and leaves the current load
    untouched) when any file fails, or when `expected_sha256` (file name -> sha256) names
    a file whose bytes are not those.
    """
    if not folder.exists():
        raise IngestError(f"{folder}: no such folder (the extract folder does not exist)")
    folder = folder.resolve()
    if not folder.is_dir():
        raise IngestError(f"{folder}: not a folder of extract files")
    sources, ignored = _find_sources(folder)
    missing = [f.file_name for f in FILES if f.name not in sources]
    if missing:
        raise IngestError(_missing_files_message(folder, missing, ignored))
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    load_id = stamp.strftime("%Y%m%dT%H%M%S%fZ")
    paths.loads_dir.mkdir(parents=True, exist_ok=True)
    work_dir = paths.loads_dir / f".{load_id}.partial"
    load_dir = paths.loads_dir / load_id
    work_dir.mkdir()
    results: list[FileResult] = []
    try:
        key, _ = pseudonym_key()
        converted = _convert_all(sources, work_dir, reader, key)
        for result, _rows in converted:
            wanted = (expected_sha256 or {}).get(result.extract.file_name)
            if wanted is not None and wanted != result.fingerprint.sha256:
                raise IngestError(
                    f"{result.extract.file_name}: the file changed since the current load "
                    f"was ingested (sha256 {result.fingerprint.sha256[:12]}…, was "
                    f"{wanted[:12]}…); the load is rejected")
        (work_dir / KEY_FINGERPRINT_FILE).write_text(
            key_fingerprint(key) + "\n", encoding="ascii")
        with (work_dir / f"{MALFORMED_SEED}.csv").open("w", encoding="utf-8", newline="") as mf:
            malformed_writer = csv.writer(mf, lineterminator="\n")
            malformed_writer.writerow(MALFORMED_COLUMNS)
            for result, rows in converted:
                results.append(result)
                malformed_writer.writerows(rows)
        _write_manifest(work_dir, load_id, stamp, results)
        work_dir.rename(load_dir)
    except BaseException:
        shutil.rmtree(work_dir, ignore_errors=True)
        raise
    swap_link(paths.current_seeds, load_dir)  # atomic: a new link renamed over the old
    return LoadResult(load_id, load_dir, results, ignored)


def _write_manifest(
    target_dir: Path, load_id: str, stamp: datetime, results: list[FileResult]
) -> None:
    with (target_dir / f"{MANIFEST_SEED}.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(MANIFEST_COLUMNS)
        for r in results:
            writer.writerow([
                load_id, r.extract.file_name, r.fingerprint.sha256, r.fingerprint.size_bytes,
                r.fingerprint.label, r.records_read, r.malformed,
                "|".join(r.extra_columns), str(r.source_path),
                stamp.isoformat(timespec="seconds"), r.physical_lines, r.blank_lines,
                r.record_lines,
            ])


def manifest_rows(load_dir: Path) -> list[dict[str, str]]:
    """The rows of a load folder's ingest manifest, one per extract file."""
    with (load_dir / f"{MANIFEST_SEED}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def reingest_current(paths: DataPaths) -> LoadResult:
    """Ingest the current load's extracts again, from the folder its manifest names, under
    this run's pseudonym key (for a rekey: the load holds keyed hashes of the old key).
    Fails, leaving everything as it was, when those files moved or changed."""
    rows = manifest_rows(paths.current_seeds)
    folders = {str(Path(row["source_path"]).parent) for row in rows}
    if len(folders) != 1:
        manifest = paths.current_seeds / f"{MANIFEST_SEED}.csv"
        raise IngestError(f"{manifest}: the current load's files come from "
                          f"{len(folders)} folders; ingest the extracts again")
    return ingest(Path(folders.pop()), paths,
                  expected_sha256={row["source_file"]: row["sha256"] for row in rows})

