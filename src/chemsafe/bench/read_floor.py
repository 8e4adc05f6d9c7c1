"""The ingestion floor: DuckDB's own CSV reader on the same extract files.

    python -m chemsafe.bench.read_floor EXTRACTS_DIR

Reads every extract file of the contract into a table, every column as text, with
DuckDB's read_csv, and prints the elapsed seconds as JSON: what `chemsafe ingest` is
measured against (it reads the same files, and also hashes them, checks their encoding,
accounts for every physical line and writes the converted files). CP949 files are read
from a UTF-8 copy made outside the timing, since DuckDB has no CP949 decoder.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from chemsafe.contract import FILES
from chemsafe.db import literal
from chemsafe.encoding import fingerprint


def _readable(path: Path, work: Path) -> Path:
    encoding = fingerprint(path).encoding
    if encoding == "utf-8":
        return path
    copy = work / path.name
    copy.write_text(path.read_text(encoding=encoding), encoding="utf-8")
    return copy


def read_floor(folder: Path) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        files = [_readable(folder / f.file_name, Path(tmp)) for f in FILES]
        with duckdb.connect() as con:
            con.execute(f"set memory_limit = '{os.environ.get('CHEMSAFE_MEMORY_LIMIT', '1500MB')}'")
            started = time.perf_counter()
            for k, path in enumerate(files):
                con.execute(
                    f"create temp table t{k} as select * from read_csv({literal(str(path))}, "
                    "header = true, all_varchar = true, delim = ',', quote = '\"', "
                    "escape = '\"', strict_mode = false, ignore_errors = true)")
            return time.perf_counter() - started


def main(argv: list[str]) -> int:
    print(json.dumps({"read_csv_s": read_floor(Path(argv[0]))}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
