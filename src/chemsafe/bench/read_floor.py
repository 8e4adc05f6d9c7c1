"""The ingestion floors: DuckDB's own CSV reader on the same extract files.

    python -m chemsafe.bench.read_floor EXTRACTS_DIR

Reads every extract file of the contract into a table, every column as text, with
DuckDB's read_csv: what `chemsafe ingest` is measured against (it reads the same files,
and also hashes them, checks their encoding, accounts for every physical line, protects
personal data and writes the converted files). Then reads them again and writes each
out as a CSV file, nothing else: the part of ingest's cost that any design writing
converted files pays, so the gap between the two floors is the writing and the gap
above the second is ingest's own checks. Prints both elapsed times as JSON. CP949 files
are read from a UTF-8 copy made outside the timing, since DuckDB has no CP949 decoder.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from chemsafe.contract import FILES
from chemsafe.db import first_row, literal
from chemsafe.encoding import fingerprint
from chemsafe.engine_read import memory_share


def _readable(path: Path, work: Path) -> Path:
    encoding = fingerprint(path).encoding
    if encoding == "utf-8":
        return path
    copy = work / path.name
    copy.write_text(path.read_text(encoding=encoding), encoding="utf-8")
    return copy


def _read_csv(path: Path) -> str:
    return (f"read_csv({literal(str(path))}, header = true, all_varchar = true, "
            "delim = ',', quote = '\"', escape = '\"', strict_mode = false, "
            "ignore_errors = true)")


def read_floors(folder: Path) -> dict[str, float]:
    """{"read_csv_s": every file into a table, "read_write_csv_s": every file read and
    written out as CSV}, in seconds, one after the other in one process."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        files = [_readable(folder / f.file_name, work) for f in FILES]
        with duckdb.connect() as con:
            # ingest's own bound (CHEMSAFE_MEMORY_LIMIT, ingest's default), whole: one reader
            con.execute(f"set memory_limit = {literal(memory_share(1))}")
            started = time.perf_counter()
            for k, path in enumerate(files):
                con.execute(f"create temp table t{k} as select * from {_read_csv(path)}")
            read_s = time.perf_counter() - started
            counts = []
            for k in range(len(files)):
                counts.append(_one(con, f"select count(*) from t{k}"))
                con.execute(f"drop table t{k}")
            written = []
            started = time.perf_counter()
            for k, path in enumerate(files):
                out = literal(str(work / f"written_{k}.csv"))
                written.append(_one(con, f"copy (select * from {_read_csv(path)}) to {out} "
                                         "(header true)"))
            write_s = time.perf_counter() - started
    if written != counts:  # the two floors must handle the same records
        raise RuntimeError(f"{folder}: read {counts} records per file but wrote {written}")
    return {"read_csv_s": read_s, "read_write_csv_s": write_s}


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = first_row(con, sql)
    assert row is not None
    return int(row[0])


def main(argv: list[str]) -> int:
    print(json.dumps(read_floors(Path(argv[0]))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
