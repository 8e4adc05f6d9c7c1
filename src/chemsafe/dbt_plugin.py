"""dbt-duckdb plugin: registers the keyed-hash function staging uses on DuckDB.

Loaded by ``profiles.yml`` (``plugins: - module: chemsafe.dbt_plugin``). Registering the
HMAC as a connection function keeps the key out of every SQL text dbt compiles, logs or
stores in ``target/``. The function is vectorised (Arrow), not a Python call per row.
It also refuses a warehouse that records another key's fingerprint (chemsafe.keycheck).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin
from dbt_common.exceptions import DbtRuntimeError
from duckdb import DuckDBPyConnection

from chemsafe.keycheck import KeyChanged, key_fingerprint, stored_fingerprint_on
from chemsafe.pseudonym import DEMO_WARNING, pseudonym_key, pseudonymise

FUNCTION_NAME = "chemsafe_pseudonymise"


def _hash_with(key: bytes):  # noqa: ANN202 - returns an Arrow UDF
    def _hash(values: pa.Array) -> pa.Array:
        return pa.array([pseudonymise(v, key) for v in values.to_pylist()], type=pa.string())

    return _hash


def register_pseudonymise(conn: DuckDBPyConnection, key: bytes) -> None:
    """Register chemsafe_pseudonymise(VARCHAR) -> VARCHAR (HMAC-SHA256 hex) on `conn`."""
    conn.create_function(
        FUNCTION_NAME, _hash_with(key), ["VARCHAR"], "VARCHAR", type="arrow",
        null_handling="special", side_effects=False,
    )


def missing_data_dir_text(warehouse: Path) -> str | None:
    """One line saying what to do when dbt is run directly before chemsafe wrote a data
    directory (DuckDB would otherwise fail with a traceback on the missing folder)."""
    folder = warehouse.parent
    if folder.is_dir():
        return None
    return (f"no chemsafe data directory at {folder}: run `make run` (or `chemsafe ingest "
            f"<extract folder>`) first, or point CHEMSAFE_DATA_DIR at the data directory "
            f"chemsafe wrote (`chemsafe paths` shows it)")


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        path = getattr(self.creds, "path", None)
        if path and path != ":memory:":
            problem = missing_data_dir_text(Path(path).resolve())
            if problem:
                raise DbtRuntimeError(problem)
        self._key, is_demo = pseudonym_key()
        if is_demo:
            print(f"WARNING: {DEMO_WARNING}", file=sys.stderr)

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        register_pseudonymise(conn, self._key)
        # dbt run directly (not through chemsafe, which checks before dbt starts): never
        # build under a key other than the one the warehouse records (chemsafe.keycheck).
        stored = stored_fingerprint_on(conn)
        if stored is not None and stored != key_fingerprint(self._key):
            raise KeyChanged("the pseudonym key is not the key this warehouse was built "
                             "with (audit.pseudonym_key); use that key, or rebuild under "
                             "the new one with `chemsafe build --rekey`")
