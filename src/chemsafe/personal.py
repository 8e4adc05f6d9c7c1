"""Personal data is protected at ingest, so clear employee numbers never reach an engine.

``chemsafe ingest`` writes the converted files every engine reads (ingest/current) with:

- every *personal* column (employee_no, the LMS record id) replaced by its keyed hash,
  HMAC-SHA256 under ``CHEMSAFE_PSEUDONYM_KEY`` of the trimmed value, in hex: the very
  value staging used to compute (so ``employee_key`` is the same bytes on every engine,
  and the key never appears in SQL). A cell that is empty after trimming is written as
  it was (staging reads it as NULL: ``missing_required`` as before);
- every employee number (``personal_data.employee_number_pattern``, anywhere, any case)
  masked in the cells that may quote one: free text and *masked* columns, every typed
  column (a date, number, boolean, code or CAS value that quotes one is rejected anyway,
  and the quarantine shows it masked) and the extra columns;
- ``_masked_digest``: when masking changed a record, the keyed hash of the record's
  masked cells as they were (trimmed), else empty. Staging's duplicate rule compares
  the trimmed cells of two records; with this column it still tells apart two records
  that differ only in a masked employee number (both kept, a key conflict when they
  share a key), exactly as when it compared the clear cells;
- a malformed record's raw text masked the same way, or withheld whole in a file that
  holds personal identifiers (it cannot be split reliably into columns).

Ids of other records (findings, inspections, ...) and plain text columns are written as
delivered: the contract does not mask them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from chemsafe.contract import CONTRACT, TEXT, Column, ExtractFile
from chemsafe.pseudonym import pseudonym_key

# The white space a cell is trimmed of (macros/cross_db/trim_whitespace.sql, DuckDB):
# space, tab, LF, CR, no-break space, ideographic space.
TRIM_CHARS = " \t\n\r\u00a0\u3000"
DIGEST_COLUMN = "_masked_digest"
SHA256_BLOCK = 64
KEY_FINGERPRINT_FILE = "pseudonym_key.fingerprint"
SETTINGS = CONTRACT.personal_data
EMPLOYEE_NUMBER = re.compile(SETTINGS.employee_number_pattern, re.IGNORECASE)
WITHHELD = "[withheld: record holds personal identifiers; see the source file]"


def load_fingerprint(load_dir: Path) -> str | None:
    """The fingerprint of the key a load folder's personal data was hashed with; None for
    a load written before ingest hashed (it holds employee numbers in clear)."""
    path = load_dir / KEY_FINGERPRINT_FILE
    return path.read_text(encoding="ascii").strip() if path.is_file() else None


def mask_employee_numbers(text: str) -> str:
    return EMPLOYEE_NUMBER.sub(SETTINGS.mask, text)


# An employee number inside a key column becomes a keyed pseudonym, not the one mask: the
# contract compares keys as delivered, so two sheet numbers that differ only in the number
# they quote are two keys and must stay two. The pseudonym is 64 bits of an HMAC under the
# pseudonym key (domain-separated from employee_key), written with the letters a-p for the
# hex digits: no digit, so it can never read as an employee number itself.
_TOKEN_DOMAIN = b"chemsafe-esg employee number in a key v1\0"
_HEX_AS_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")


def pseudonymise_employee_numbers(text: str, key: bytes) -> str:
    """Each employee number in text (as written, case kept) replaced by
    `[employee no. <16 letters>]`, the same for the same number under the same key."""
    def token(match: re.Match[str]) -> str:
        digest = hmac.digest(key, _TOKEN_DOMAIN + match.group(0).encode("utf-8"), "sha256")
        return f"{SETTINGS.mask[:-1]} {digest[:8].hex().translate(_HEX_AS_LETTERS)}]"
    return EMPLOYEE_NUMBER.sub(token, text)


def has_employee_number(text: str | None) -> bool:
    return text is not None and EMPLOYEE_NUMBER.search(text) is not None


def masked_at_ingest(column: Column) -> bool:
    """Whether ingest masks employee numbers in this column (module doc)."""
    return not column.personal and (column.masks_employee_numbers or column.type != TEXT)


def pseudonymised_at_ingest(column: Column, extract: ExtractFile) -> bool:
    """Whether ingest writes a keyed pseudonym for each employee number in this column
    instead of the mask: a masked text column of the file's key (the sign-in sheet
    number). A typed key column quoting one is rejected anyway."""
    return column.masks_employee_numbers and column.name in extract.key


@dataclass(frozen=True)
class Protection:
    """How one file's cells are protected at ingest, under one key."""

    key: bytes
    personal: tuple[int, ...]  # indexes (contract order) of personal columns
    masked: tuple[int, ...]  # indexes (contract order) of masked columns
    withhold_malformed: bool
    # indexes of the masked columns whose employee numbers get a keyed pseudonym instead
    pseudonymised: tuple[int, ...] = ()

    @classmethod
    def for_file(cls, extract: ExtractFile, key: bytes | None = None) -> Protection:
        return cls(
            key if key is not None else pseudonym_key()[0],
            tuple(i for i, c in enumerate(extract.columns) if c.personal),
            tuple(i for i, c in enumerate(extract.columns) if masked_at_ingest(c)),
            extract.personal,
            tuple(i for i, c in enumerate(extract.columns)
                  if pseudonymised_at_ingest(c, extract)),
        )

    def hash_personal(self, value: str | None) -> str | None:
        """The keyed hash of the trimmed value; a value empty after trimming as it was."""
        if value is None:
            return None
        trimmed = value.strip(TRIM_CHARS)
        if not trimmed:
            return value
        # HMAC-SHA256 by its definition (RFC 2104), H(outer || H(inner || value)), from
        # the two padded-key states hashed once: half the time of hmac.digest per value
        inner, outer = self._pads
        inner = inner.copy()
        inner.update(trimmed.encode("utf-8"))
        outer = outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()

    @cached_property
    def _pads(self) -> tuple[Any, Any]:
        key = self.key if len(self.key) <= SHA256_BLOCK else hashlib.sha256(self.key).digest()
        key = key.ljust(SHA256_BLOCK, b"\0")
        return (hashlib.sha256(bytes(b ^ 0x36 for b in key)),
                hashlib.sha256(bytes(b ^ 0x5C for b in key)))

    def hash_all(self, values: list[str | None]) -> list[str | None]:
        """hash_personal of each value, each distinct value hashed once (an employee
        number repeats on every record of that employee)."""
        seen: dict[str | None, str | None] = {}
        out = []
        for value in values:
            hashed = seen.get(value)
            if hashed is None:
                hashed = seen[value] = self.hash_personal(value)
            out.append(hashed)
        return out

    def digest(self, clear: list[str | None]) -> str:
        """_masked_digest of a record, given its masked cells (then its extra cells) as
        they were: empty when none quotes an employee number."""
        if not any(has_employee_number(v) for v in clear):
            return ""
        trimmed = [(v or "").strip(TRIM_CHARS) for v in clear]
        text = json.dumps(trimmed, ensure_ascii=False, separators=(",", ":"))
        return hmac.digest(self.key, text.encode("utf-8"), "sha256").hex()

    def protect_record(self, cells: list[str],
                       extras: list[str]) -> tuple[list[str], list[str], str]:
        """(contract cells, extra cells, digest) of one record as ingest writes them."""
        digest = self.digest([cells[i] for i in self.masked] + extras)
        out = list(cells)
        for i in self.personal:
            out[i] = self.hash_personal(out[i]) or ""
        if digest:
            for i in self.masked:
                out[i] = (pseudonymise_employee_numbers(out[i], self.key)
                          if i in self.pseudonymised else mask_employee_numbers(out[i]))
            extras = [mask_employee_numbers(v) for v in extras]
        return out, extras, digest

    def shown_malformed(self, text: str) -> str:
        return WITHHELD if self.withhold_malformed else mask_employee_numbers(text)
