"""The pseudonym key cannot change silently.

Every keyed hash in the working warehouse (employee keys, training record ids, the
reconciliation results that quote them) was made with one key. A build under another key
would mix two sets of pseudonyms that no longer join, so the warehouse records a
fingerprint of its key in ``audit.pseudonym_key``: HMAC-SHA256 of a fixed label under the
key, never the key itself (the label is public, so the fingerprint says nothing about any
employee number). Before dbt runs, chemsafe compares it with the key of this run:

- no warehouse yet, or one without a fingerprint (built before fingerprints existed): the
  fingerprint of this run's key is recorded;
- the same key: nothing to do;
- another key: the job stops (KeyChanged) and nothing is touched, unless the user passed
  ``--rekey``: then the working warehouse is rebuilt from scratch under the new key. It
  holds nothing the current load and the seeds cannot rebuild except the reconciliation
  results (``audit.reconciliation_*``, written by ``chemsafe reconcile``), which quote the
  old pseudonyms: they go too, and the quarters to reconcile again are named.

The dbt plugin (chemsafe.dbt_plugin) makes the same comparison when dbt is run directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from chemsafe.db import first_row
from chemsafe.personal import load_fingerprint
from chemsafe.pseudonym import FINGERPRINT_LABEL, KEY_ENV, key_fingerprint, pseudonym_key

SCHEMA = "audit"
TABLE = "pseudonym_key"
LABEL = FINGERPRINT_LABEL
SHOWN = 12  # hex digits of a fingerprint shown in messages


class KeyChanged(RuntimeError):
    """This run's pseudonym key is not the key the warehouse was built with."""


@dataclass(frozen=True)
class KeyCheck:
    """What the check found or did, for the job's output."""

    fingerprint: str
    notes: tuple[str, ...] = ()


def current_fingerprint() -> tuple[str, bool]:
    """The fingerprint of this run's key, and whether that key is the public demo key."""
    key, is_demo = pseudonym_key()
    return key_fingerprint(key), is_demo


def stored_fingerprint_on(con: duckdb.DuckDBPyConnection, catalog: str | None = None) \
        -> str | None:
    """The fingerprint recorded in the database of `con` (or its attached `catalog`)."""
    where = "database_name = current_database()" if catalog is None \
        else "database_name = ?"
    params = [] if catalog is None else [catalog]
    found = first_row(con, f"select 1 from duckdb_tables() where {where} "
                           f"and schema_name = '{SCHEMA}' and table_name = '{TABLE}'", params)
    if found is None:
        return None
    prefix = "" if catalog is None else f'"{catalog}".'
    row = first_row(con, f"select key_fingerprint from {prefix}{SCHEMA}.{TABLE} "
                         "order by recorded_at desc limit 1")
    return None if row is None else str(row[0])


def stored_fingerprint(warehouse: Path) -> str | None:
    if not warehouse.is_file():
        return None
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return stored_fingerprint_on(con)


def record_fingerprint(warehouse: Path, fingerprint: str) -> None:
    """Record `fingerprint` as the warehouse's key (creating the file if need be)."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"create schema if not exists {SCHEMA}")
        con.execute(f"create or replace table {SCHEMA}.{TABLE} "
                    "(key_fingerprint varchar not null, recorded_at timestamp not null)")
        con.execute(f"insert into {SCHEMA}.{TABLE} values (?, ?)",
                    [fingerprint, datetime.now(UTC).replace(tzinfo=None)])
        con.execute(f"comment on table {SCHEMA}.{TABLE} is 'Fingerprint of the pseudonym key "
                    "every keyed hash of this warehouse was made with: HMAC-SHA256 of a fixed "
                    "label under the key (never the key). Written by chemsafe before dbt.'")


def reconciled_quarters(warehouse: Path) -> list[str]:
    """Quarters whose reconciliation results the warehouse holds."""
    if not warehouse.is_file():
        return []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        if first_row(con, "select 1 from duckdb_tables() where schema_name = 'audit' "
                          "and table_name = 'reconciliation_runs'") is None:
            return []
        return [q for (q,) in con.execute(
            "select distinct quarter from audit.reconciliation_runs order by 1").fetchall()]


def _remove_warehouse(warehouse: Path) -> None:
    for path in (warehouse, warehouse.with_name(warehouse.name + ".wal")):
        path.unlink(missing_ok=True)


def mismatch_text(warehouse: Path, stored: str, current: str, is_demo: bool) -> str:
    which = (f"{KEY_ENV} is not set, so this run uses the public demo key" if is_demo
             else f"the key in {KEY_ENV}")
    return (f"the pseudonym key changed: {which} (fingerprint {current[:SHOWN]}…) is not "
            f"the key the warehouse {warehouse} was built with (fingerprint "
            f"{stored[:SHOWN]}…), and pseudonyms of two keys never join; nothing was done. "
            f"Run with the warehouse's key, or pass --rekey to rebuild everything that holds "
            "pseudonyms under the new key (the reconciliation results are dropped and must "
            "be reconciled again)")


def verify_key(warehouse: Path) -> None:
    """Raise KeyChanged when the warehouse records another key than this run's (changes
    nothing: for a job to stop before it starts)."""
    current, is_demo = current_fingerprint()
    stored = stored_fingerprint(warehouse)
    if stored is not None and stored != current:
        raise KeyChanged(mismatch_text(warehouse, stored, current, is_demo))


def check_key(warehouse: Path, rekey: bool) -> KeyCheck:
    """Before a build: compare this run's key with the warehouse's (module doc). Raises
    KeyChanged when they differ and `rekey` is false."""
    current, is_demo = current_fingerprint()
    stored = stored_fingerprint(warehouse)
    if stored == current:
        notes = ("--rekey: the key is the one the warehouse was built with; nothing to "
                 "rekey",) if rekey else ()
        return KeyCheck(current, notes)
    if stored is None:
        existed = warehouse.is_file()
        record_fingerprint(warehouse, current)
        notes = (f"recorded the pseudonym key's fingerprint ({current[:SHOWN]}…) in the "
                 "warehouse, which had none yet",) if existed else ()
        return KeyCheck(current, notes)
    if not rekey:
        raise KeyChanged(mismatch_text(warehouse, stored, current, is_demo))
    quarters = reconciled_quarters(warehouse)
    _remove_warehouse(warehouse)
    record_fingerprint(warehouse, current)
    notes = [f"--rekey: the working warehouse (built with key {stored[:SHOWN]}…) was "
             f"removed and is rebuilt under key {current[:SHOWN]}…"]
    if quarters:
        notes.append("--rekey: the reconciliation results of " + ", ".join(quarters)
                     + " quoted the old pseudonyms and were dropped; run `chemsafe reconcile "
                       "--quarter <quarter>` again for each")
    return KeyCheck(current, tuple(notes))


def load_key_problem(load_dir: Path) -> str | None:
    """Why the current load cannot be built under this run's key, or None. Ingest hashes
    personal data (chemsafe.personal), so a load holds the keyed hashes of the key it was
    ingested under, which its folder records; a load without that record predates
    hashing at ingest and holds employee numbers in clear."""
    current, is_demo = current_fingerprint()
    recorded = load_fingerprint(load_dir)
    if recorded == current:
        return None
    which = (f"{KEY_ENV} is not set, so this run uses the public demo key" if is_demo
             else f"the key in {KEY_ENV}")
    if recorded is None:
        return (f"the current load ({load_dir.name}) was ingested before ingest "
                "pseudonymised employee numbers, so it holds them in clear; nothing was "
                "done. Ingest the extracts again (`chemsafe ingest DIR`), or pass --rekey "
                "to ingest them again from where they were loaded")
    return (f"the pseudonym key changed: {which} (fingerprint {current[:SHOWN]}…) is not "
            f"the key the current load {load_dir.name} was ingested under (fingerprint "
            f"{recorded[:SHOWN]}…), and pseudonyms of two keys never join; nothing was done. "
            "Run with that key, ingest the extracts again under this one, or pass --rekey "
            "to ingest them again from where they were loaded")


__all__ = [
    "KeyChanged",
    "KeyCheck",
    "check_key",
    "key_fingerprint",
    "load_key_problem",
    "stored_fingerprint",
    "stored_fingerprint_on",
    "verify_key",
]
