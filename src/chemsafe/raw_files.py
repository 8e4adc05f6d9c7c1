"""Parquet copies of an ingested load, for the big-extract path (raw_source = files).

The converted CSVs written by ingestion are already UTF-8 with the contract's columns, so
CP949 is decoded once, at ingestion, never per query. This writes a Parquet file beside each
one with DuckDB (all columns text, as in the CSV), so the staging models read columnar files
when `raw_file_format` is 'parquet'.
"""

from __future__ import annotations

from pathlib import Path

import duckdb


def write_parquet_copies(load_dir: Path) -> list[Path]:
    written: list[Path] = []
    with duckdb.connect() as con:
        for csv_path in sorted(load_dir.glob("raw_*.csv")):
            target = csv_path.with_suffix(".parquet")
            partial = csv_path.with_suffix(".parquet.partial")
            con.execute(
                "copy (select * from read_csv(?, header = true, all_varchar = true, "
                "delim = ',', quote = '\"', escape = '\"')) to '"
                + str(partial).replace("'", "''")
                + "' (format parquet, compression zstd)",
                [str(csv_path)],
            )
            partial.replace(target)
            written.append(target)
    return written
