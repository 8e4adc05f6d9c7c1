"""Load a folder of extract files into raw dbt seeds.

Ingestion does only what SQL cannot do well: detect the encoding, match the header to
the contract, find the physical line where each record starts, and set aside records
whose field count is wrong (``malformed_row``). Every other rule of the contract (types,
codes, duplicates, keys, references) is applied by the dbt staging models, identically
whatever path the raw rows took.

A load is all or nothing: every file is checked and converted into a new load folder,
and only when all of them passed does the ``current`` link swap to it (an atomic
rename), so a failed load leaves the previous one, and the warehouse built from it,
untouched.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from chemsafe.contract import FILES, FILES_BY_NAME, ExtractFile
from chemsafe.encoding import EncodingError, FileFingerprint, fingerprint
from chemsafe.paths import DataPaths

MANIFEST_SEED = "raw__ingest_manifest"
MALFORMED_SEED = "raw__malformed_rows"
LINE_COLUMN = "_line"
EXTRAS_COLUMN = "_extras"
MANIFEST_COLUMNS = (
    "load_id", "source_file", "sha256", "size_bytes", "encoding", "records_read",
    "malformed_records", "extra_columns", "source_path", "loaded_at",
)
MALFORMED_COLUMNS = ("source_file", "line_number", "field_count", "expected_field_count",
                     "raw_record")


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
                f"{extract.file_name}: header names column '{name}' twice "
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
    extras = [(name, idx) for idx, name in enumerate(names) if name not in contract]
    return positions, extras


def iter_records(path: Path, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (physical line where the record starts, fields), skipping blank lines.

    The header is line 1 and is yielded too (as the first record). A line is blank when
    its text is empty or only white space; a line such as ``""`` (one quoted empty
    field) is not blank but a record, so it is never dropped silently.
    """
    with path.open("r", encoding=encoding, newline="") as handle:
        record_text: list[str] = []

        def lines() -> Iterator[str]:
            for line in handle:
                record_text.append(line)
                yield line

        # csv.reader pulls exactly the lines of one record before yielding it, so
        # record_text holds that record's physical text.
        reader = csv.reader(lines(), strict=False)
        consumed = 0
        for record in reader:
            start = consumed + 1
            consumed = reader.line_num
            text = "".join(record_text)
            record_text.clear()
            if text.strip() == "":
                continue
            yield start, record


def _raw_record_text(record: list[str]) -> str:
    buffer: list[str] = []

    class _Sink:
        def write(self, text: str) -> int:
            buffer.append(text)
            return len(text)

    csv.writer(_Sink(), lineterminator="").writerow(record)
    return "".join(buffer)


def convert_file(
    extract: ExtractFile,
    source: Path,
    target_dir: Path,
    malformed_writer: csv.writer,  # type: ignore[valid-type]
) -> FileResult:
    """Check one extract and write its raw seed (``raw_<name>.csv``) into target_dir."""
    try:
        fp = fingerprint(source)
    except EncodingError as exc:
        raise IngestError(str(exc)) from exc
    result = FileResult(extract, fp, source)
    records = iter_records(source, fp.encoding)
    try:
        first = next(records, None)
    except csv.Error as exc:
        raise IngestError(f"{extract.file_name}: unreadable CSV header ({exc})") from exc
    if first is None:
        raise IngestError(f"{extract.file_name}: the file is empty (no header row)")
    _, header = first
    positions, extras = match_header(extract, header)
    result.extra_columns = [name for name, _ in extras]
    width = len(header)
    out_path = target_dir / f"{extract.seed_name}.csv"
    with out_path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([LINE_COLUMN, *extract.column_names, EXTRAS_COLUMN])
        try:
            for line, record in records:
                result.records_read += 1
                if len(record) != width:
                    result.malformed += 1
                    malformed_writer.writerow(
                        [extract.file_name, line, len(record), width, _raw_record_text(record)]
                    )
                    continue
                extra_json = (
                    json.dumps(
                        {name: record[idx].strip() for name, idx in extras},
                        ensure_ascii=False,
                        separators=(",", ":"),
                    )
                    if extras
                    else ""
                )
                writer.writerow([line, *(record[p] for p in positions), extra_json])
        except csv.Error as exc:
            raise IngestError(f"{extract.file_name}: unreadable CSV ({exc})") from exc
    return result


def _find_sources(folder: Path) -> tuple[dict[str, Path], list[str]]:
    found: dict[str, Path] = {}
    ignored: list[str] = []
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        stem = path.name[:-4].lower() if path.name.lower().endswith(".csv") else None
        if stem not in FILES_BY_NAME:
            ignored.append(path.name)
        elif stem not in found:
            found[stem] = path
        elif path.name == f"{stem}.csv":
            # the exact contract name wins over a case variant (FINDINGS.csv), which
            # is reported as ignored rather than silently dropped
            ignored.append(found[stem].name)
            found[stem] = path
        else:
            ignored.append(path.name)
    return found, sorted(ignored)


def ingest(folder: Path, paths: DataPaths, now: datetime | None = None) -> LoadResult:
    """Convert every extract of ``folder`` into a new load and make it current.

    Raises IngestError (and leaves the current load untouched) when any file fails.
    """
    folder = folder.resolve()
    if not folder.is_dir():
        raise IngestError(f"{folder}: not a folder of extract files")
    sources, ignored = _find_sources(folder)
    missing = [f.file_name for f in FILES if f.name not in sources]
    if missing:
        raise IngestError(
            f"{folder}: missing extract file(s): {', '.join(missing)}; the load is rejected"
        )
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    load_id = stamp.strftime("%Y%m%dT%H%M%S%fZ")
    paths.loads_dir.mkdir(parents=True, exist_ok=True)
    work_dir = paths.loads_dir / f".{load_id}.partial"
    load_dir = paths.loads_dir / load_id
    work_dir.mkdir()
    results: list[FileResult] = []
    try:
        with (work_dir / f"{MALFORMED_SEED}.csv").open("w", encoding="utf-8", newline="") as mf:
            malformed_writer = csv.writer(mf, lineterminator="\n")
            malformed_writer.writerow(MALFORMED_COLUMNS)
            for extract in FILES:
                results.append(convert_file(extract, sources[extract.name], work_dir,
                                            malformed_writer))
        _write_manifest(work_dir, load_id, stamp, results)
        work_dir.rename(load_dir)
    except BaseException:
        shutil.rmtree(work_dir, ignore_errors=True)
        raise
    _swap_current(paths, load_dir)
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
                stamp.isoformat(timespec="seconds"),
            ])


def _swap_current(paths: DataPaths, load_dir: Path) -> None:
    """Point ``current`` at the new load with an atomic rename of a symlink."""
    tmp_link = paths.ingest_dir / f".current.{os.getpid()}"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    tmp_link.symlink_to(Path("loads") / load_dir.name, target_is_directory=True)
    os.replace(tmp_link, paths.current_seeds)
