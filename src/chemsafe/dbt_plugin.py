"""dbt-duckdb plugin: the pseudonym-key guard for dbt run directly on DuckDB.

Loaded by ``profiles.yml`` (``plugins: - module: chemsafe.dbt_plugin``). Staging needs no
keyed hash: ``chemsafe ingest`` writes personal identifiers already hashed
(chemsafe.personal), so no engine sees them in clear or needs the key. The plugin only
refuses to build a warehouse that records another key's fingerprint, or from a load
ingested under another key (chemsafe.keycheck), as chemsafe does before dbt starts.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin
from dbt_common.exceptions import DbtRuntimeError
from duckdb import DuckDBPyConnection

from chemsafe.keycheck import (
    KeyChanged,
    key_fingerprint,
    load_key_problem,
    stored_fingerprint_on,
)
from chemsafe.paths import DataPaths
from chemsafe.pseudonym import DEMO_WARNING, pseudonym_key


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
        if path and path != ":memory:":
            load = DataPaths(Path(path).resolve().parent).current_seeds
            problem = load_key_problem(load.resolve()) if load.exists() else None
            if problem:
                raise DbtRuntimeError(problem)

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        # dbt run directly (not through chemsafe, which checks before dbt starts): never
        # build under a key other than the one the warehouse records (chemsafe.keycheck).
        stored = stored_fingerprint_on(conn)
        if stored is not None and stored != key_fingerprint(self._key):
            raise KeyChanged("the pseudonym key is not the key this warehouse was built "
                             "with (audit.pseudonym_key); use that key, or rebuild under "
                             "the new one with `chemsafe build --rekey`")
