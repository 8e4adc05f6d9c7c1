"""The engine path of ingestion (byte scan + DuckDB) against the record-by-record reader.

The record-by-record reader (Python's csv module, one record at a time) is the reference:
it is what the contract's hand-worked fixtures were checked against. The engine path must
give exactly the same load: the same converted rows (read back as the dbt source reads
them), the same malformed records with the same lines and text, the same counts in the
manifest. Compared on every fixture drop, the demo drop, and generated files full of
quoted line breaks, doubled quotes, blank and white-space lines, wrong field counts,
CRLF, CP949, a byte-order mark and over-long cells.
"""

from __future__ import annotations

import csv
import os
import random
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from chemsafe.contract import FILES_BY_NAME
from chemsafe.contract_doc import READ_CSV
from chemsafe.ingest import (
    MALFORMED_SEED,
    MANIFEST_SEED,
    IngestError,
    convert_file,
    ingest,
)
from chemsafe.paths import DataPaths
from chemsafe.record_scan import scan_records
from conftest import DEMO_EXTRACTS, FIXTURES, chemsafe

DROPS = [FIXTURES / "bad_rows", FIXTURES / "kpi_small", FIXTURES / "reconciliation",
         DEMO_EXTRACTS]
RUN_COLUMNS = {"load_id", "loaded_at", "source_path"}


def _rows(path: Path) -> list[tuple]:
    """A converted file as the dbt source reads it."""
    with duckdb.connect() as con:
        relation = READ_CSV.format(folder=path.parent, identifier=path.stem)
        return con.execute(f"select * from {relation} order by all").fetchall()


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _load(folder: Path, data_dir: Path, reader: str) -> dict[str, object]:
    result = ingest(folder, DataPaths(data_dir), reader=reader)
    load = result.load_dir
    manifest = [{k: v for k, v in row.items() if k not in RUN_COLUMNS}
                for row in _csv(load / f"{MANIFEST_SEED}.csv")]
    return {
        "manifest": manifest,
        "malformed": sorted(_csv(load / f"{MALFORMED_SEED}.csv"),
                            key=lambda r: (r["source_file"], int(r["line_number"]))),
        "files": {p.name: _rows(p) for p in sorted(load.glob("raw_*.csv"))
                  if not p.name.startswith("raw__")},
    }


@pytest.mark.parametrize("drop", DROPS, ids=[d.name for d in DROPS])
def test_engine_and_record_readers_load_the_same(tmp_path, drop):
    engine = _load(drop, tmp_path / "engine", "engine")
    python = _load(drop, tmp_path / "python", "python")
    assert engine["manifest"] == python["manifest"]
    assert engine["malformed"] == python["malformed"]
    assert engine["files"].keys() == python["files"].keys()
    for name in engine["files"]:
        assert engine["files"][name] == python["files"][name], name


def test_both_readers_write_the_same_pseudonym_for_a_number_in_a_key(tmp_path):
    """The sign-in sheet number is a masked key column: both readers replace the employee
    number it quotes by the same keyed pseudonym (distinct numbers, distinct sheets)."""
    drop = tmp_path / "drop"
    shutil.copytree(FIXTURES / "reconciliation", drop)
    with (drop / "training_signin.csv").open("a", encoding="utf-8") as handle:
        handle.write("TS-09/E7310006,E005,CHEM-HR,2026-03-02\n"
                     "TS-09/e7310007,E005,CHEM-HR,2026-03-02\n")
    engine = _load(drop, tmp_path / "engine", "engine")["files"]
    python = _load(drop, tmp_path / "python", "python")["files"]
    assert engine == python
    sheets = sorted(row[1] for row in engine["raw_training_signin.csv"]
                    if str(row[1]).startswith("TS-09/"))
    assert len(sheets) == 2 and len(set(sheets)) == 2
    assert all(re.fullmatch(r"TS-09/\[employee no\. [a-p]{16}\]", s) for s in sheets), sheets


def test_the_demo_drop_takes_the_engine_path():
    """The demo's files are RFC 4180 quoted: the scan reads all of them (so the figures
    measure the engine path, not the fallback)."""
    fallbacks = []
    for path in sorted(DEMO_EXTRACTS.glob("*.csv")):
        data = path.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # CP949: scanned from its UTF-8 copy at ingestion
        if data.startswith(b"\xef\xbb\xbf"):
            continue
        if scan_records(path) is None:
            fallbacks.append(path.name)
    assert fallbacks == []


# --- generated files ---------------------------------------------------------------

CONTRACTORS = FILES_BY_NAME["contractors"]


def _cell(rng: random.Random) -> str:
    text = "".join(rng.choice(["a", "협력", " ", "\t", "\u3000", ",", '"', "\n", "\r\n", "x",
                               "E1234", "e7654321"])
                   for _ in range(rng.randint(0, 6)))
    if any(ch in text for ch in ',"\r\n') or rng.random() < 0.3:
        return '"' + text.replace('"', '""') + '"'
    return text


def _generated(rng: random.Random) -> str:
    lines = [rng.choice(["contractor_id,contractor_name", " Contractor_ID ,CONTRACTOR_NAME,note",
                         "contractor_name,contractor_id"])]
    for _ in range(rng.randint(0, 14)):
        roll = rng.random()
        if roll < 0.1:
            lines.append(rng.choice(["", "   ", "\t", "\u3000", "\xa0 "]))
        elif roll < 0.15:
            lines.append("C" + "y" * rng.choice([32_766, 32_767, 32_768]) + ",n")
        elif roll < 0.2 and rng.random() < 0.5:
            lines.append('C9,"runs on\n' + "\n" * rng.randint(0, 22) + 'and ends",z')
        else:
            lines.append(",".join(_cell(rng) for _ in range(rng.choice([1, 2, 2, 2, 3, 4]))))
    ending = rng.choice(["\n", "\r\n"])
    return ending.join(lines) + rng.choice(["", ending])


def _convert(path: Path, out: Path, reader: str) -> tuple[object, ...]:
    out.mkdir()
    with (out / "malformed.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        try:
            result = convert_file(CONTRACTORS, path, out, writer, reader)
        except IngestError as exc:
            return ("error", str(exc))
    converted = out / f"{CONTRACTORS.seed_name}.csv"
    with (out / "malformed.csv").open(encoding="utf-8", newline="") as handle:
        malformed = list(csv.reader(handle))
    return (result.records_read, result.malformed, result.extra_columns,
            result.physical_lines, result.blank_lines, result.record_lines,
            malformed, _rows(converted))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_generated_files_load_the_same_both_ways(tmp_path, encoding):
    rng = random.Random(20261206 + len(encoding))
    for case in range(120):
        text = _generated(rng)
        path = tmp_path / f"case{case}" / "contractors.csv"
        path.parent.mkdir()
        path.write_bytes(text.encode(encoding, errors="replace"))
        engine = _convert(path, tmp_path / f"case{case}" / "engine", "engine")
        python = _convert(path, tmp_path / f"case{case}" / "python", "python")
        assert engine == python, (case, text[:300])
        shutil.rmtree(path.parent)


def _scan_arrays(path: Path, chunk: int) -> tuple[object, ...] | None:
    scan = scan_records(path, chunk=chunk, span_limit=20, long_bytes=32_767)
    if scan is None:
        return None
    cut_starts, cut_ends = scan.cuts()
    return (scan.physical_lines, scan.blank_lines, scan.record_lines, scan.data_records,
            scan.first_over_span, scan.header_line, scan.header_range, scan.width,
            scan.lines().tolist(), scan.wrong, scan.long, cut_starts.tolist(),
            cut_ends.tolist())


def test_a_file_scanned_in_many_chunks_gives_the_same_records_as_in_one(tmp_path):
    """Big files are scanned 64 MB at a time, a record cut by a chunk's end carried into
    the next: the records, their physical lines, field counts and the blank lines must not
    depend on where the chunks fall. Generated files (quoted line breaks, CR LF, blank
    lines, long cells) and the demo drop, each scanned whole and in small chunks."""
    rng = random.Random(64)
    paths = []
    for case in range(60):
        path = tmp_path / f"case{case}.csv"
        path.write_bytes("\n".join(_generated(rng) for _ in range(8)).encode("utf-8"))
        paths.append((path, 70_000))  # just above the longest generated record
    for path in sorted(DEMO_EXTRACTS.glob("*.csv")):
        data = path.read_bytes()
        if data.isascii() or (not data.startswith(b"\xef\xbb\xbf") and _is_utf8(data)):
            paths.append((path, 4_096))
    compared = 0
    for path, small in paths:
        whole = _scan_arrays(path, 1 << 30)
        if whole is None:
            continue
        for chunk in (small, small + 1, 3 * small + 7):
            assert _scan_arrays(path, chunk) == whole, (path.name, chunk)
        compared += 1
    assert compared >= 40


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# --- files bigger than DuckDB's buffers ----------------------------------------------


def _grown_drop(folder: Path, name: str, target_bytes: int) -> None:
    """The demo drop with `name` grown past target_bytes: its data rows repeated (ingest
    checks structure, not content; the ids repeat, which staging would reject)."""
    shutil.copytree(DEMO_EXTRACTS, folder)
    path = folder / name
    header, _, body = path.read_bytes().partition(b"\n")
    body = body if body.endswith(b"\n") else body + b"\n"
    with path.open("wb") as out:
        out.write(header + b"\n")
        written = 0
        while written < target_bytes:
            out.write(body)
            written += len(body)


def test_a_file_bigger_than_the_memory_share_is_still_read_by_the_engine(tmp_path):
    """DuckDB's CSV buffers are 16 x max_line_size unless set: with the 64 MB line limit
    once used, a file bigger than a worker's share of the memory bound (every extract
    over 1 GB at 10M findings) failed in DuckDB and was read record by record, ten times
    slower, and nothing said so. Here a 130 MB inspections.csv under a 200MB bound shared
    by two workers: the engine reads it, and the load names no file read the slow way."""
    drop = tmp_path / "drop"
    _grown_drop(drop, "inspections.csv", 130_000_000)
    out = chemsafe(tmp_path / "data", "ingest", str(drop),
                   env={"CHEMSAFE_MEMORY_LIMIT": "200MB", "CHEMSAFE_INGEST_WORKERS": "2"})
    assert "inspections.csv" in out.stdout
    assert "read record by record" not in out.stdout, out.stdout


def test_a_file_read_record_by_record_is_named_with_the_reason(tmp_path):
    """A quote inside an unquoted cell is outside RFC 4180: the file is read record by
    record (same result, slower) and the load summary says which file and why."""
    drop = tmp_path / "drop"
    shutil.copytree(DEMO_EXTRACTS, drop)
    path = drop / "contractors.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(",", ',5" pipe ', 1)
    path.write_text("".join(lines), encoding="utf-8")
    out = chemsafe(tmp_path / "data", "ingest", str(drop)).stdout.splitlines()
    at = [k for k, line in enumerate(out) if "record by record" in line]
    assert [out[k].strip() for k in at] == [
        "read record by record (slower, same result): its quoting is outside RFC 4180 (a "
        "quote inside an unquoted cell or after a closing quote)"], out
    assert "contractors.csv" in out[at[0] - 1]  # under the file's own summary line


def test_the_good_copy_without_kernel_copies_gives_the_same_load(tmp_path, monkeypatch):
    """The engine's input leaves out blank lines and records of another width by copying
    the ranges between them with copy_file_range; where the kernel refuses (another file
    system, an old kernel) it copies them by reads, with the same load."""
    def refused(*_args: object, **_kwargs: object) -> int:
        raise OSError(18, "Invalid cross-device link")

    rows = ["contractor_id,contractor_name"]
    for k in range(300):
        rows.append(["", "  ", f"C{k},too,many", f'C{k},"two\nlines"', f"C{k},ok"][k % 5])
    text = "\r\n".join(rows)  # CR LF, and no line break after the last record
    path = tmp_path / "contractors.csv"
    path.write_bytes(text.encode("utf-8"))
    kernel = _convert(path, tmp_path / "kernel", "engine")
    monkeypatch.setattr(os, "copy_file_range", refused)
    by_reads = _convert(path, tmp_path / "reads", "engine")
    python = _convert(path, tmp_path / "python", "python")
    assert kernel[0] != "error" and kernel[4] > 0, kernel[:6]  # loaded, with blank lines cut
    assert kernel == by_reads == python
