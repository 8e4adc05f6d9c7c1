"""Where the records of a CSV file start, found from its bytes at array speed.

The contract's quoting is RFC 4180: a quote opens a cell only at the start of it, and
inside a quoted cell a quote is either doubled or closes the cell. When every quote of a
file follows that rule, a line break ends a record exactly when an even number of quotes
precedes it, and a comma separates two cells exactly when an even number of quotes
precedes it: record boundaries, physical start lines and field counts then follow from the
positions of quotes, commas and line breaks alone, which numpy finds without a Python
step per record.

``scan_records`` returns None when the file is outside that rule (a quote inside an
unquoted cell, a quote that closes a cell and is followed by more text, a lone carriage
return as a line break, a record longer than 64 MB): the caller
then reads the file record by record instead (``chemsafe.ingest.RecordReader``), so a
file is never read differently from the contract, only more slowly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

QUOTE, COMMA, LF, CR = 0x22, 0x2C, 0x0A, 0x0D
# Blocks of 2 MB: the element passes over a block and their temporaries stay in the CPU
# cache (at 1M findings the scan of inspections.csv took 0.67 s in 64 MB blocks, 0.37 s
# in 2 MB ones), and the scan's memory is a few blocks, whatever the file's size.
CHUNK_BYTES = 2 << 20
# a record still open after this many bytes (a runaway quote, say): read record by record
MAX_CARRY_BYTES = 64 << 20

# A line that is blank: only the white space Python's str.strip() removes (ASCII white
# space and separators, NBSP, NEL, the Unicode spaces), in UTF-8.
_BLANK_LINE = re.compile(
    rb"^(?:[ \t\x0b\x0c\r\x1c-\x1f]|\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]"
    rb"|\xe2\x81\x9f|\xe3\x80\x80)*$",
    re.M,
)
# the bytes a blank line can start with (its first byte, or the line break of an empty one)
_BLANK_FIRST_BYTES = np.array(
    [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0xC2, 0xE1, 0xE2, 0xE3],
    dtype=np.uint8)


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


@dataclass
class FileScan:
    """What a scan found in one file (UTF-8 bytes, no byte-order mark), kept compact: one
    number per record of the header's width (its physical line, which the converted file
    needs), and byte ranges only for the few records that are set aside or must be looked
    at (a wrong field count, or more bytes than a cell may hold characters). A 10M-finding
    drop has 28 million inspection records: eight bytes each, not a record's every offset.

    The first non-blank record is the header; the data records are the ones after it."""

    span_limit: int | None = None  # a record over this many lines is noted (first one)
    long_bytes: int | None = None  # records longer than this (bytes) are candidates
    physical_lines: int = 0
    blank_lines: int = 0
    record_lines: int = 0  # physical lines of the non-blank records (header included)
    data_records: int = 0  # non-blank records after the header
    first_over_span: int | None = None  # first line of the first record over span_limit
    header_line: int = 0
    header_range: tuple[int, int] | None = None  # byte range of the header's text
    width: int = 0  # the header's field count
    # per data record of the header's width, in file order: its first physical line
    line_parts: list[np.ndarray] = field(default_factory=list)
    # data records of another width: first line, fields, byte range of the text
    wrong: list[tuple[int, int, int, int]] = field(default_factory=list)
    # data records of the header's width with more bytes than long_bytes: their index
    # among those records, first line, byte range of the text
    long: list[tuple[int, int, int, int]] = field(default_factory=list)
    # byte ranges [start, end) to leave out of the engine's input, line breaks included:
    # the blank lines and the records of another width, in file order
    cut_starts: list[np.ndarray] = field(default_factory=list)
    cut_ends: list[np.ndarray] = field(default_factory=list)
    _right: int = 0  # data records of the header's width so far

    def lines(self) -> np.ndarray:
        """The first physical line of every data record of the header's width (joined once,
        then kept)."""
        self.line_parts = [_joined(self.line_parts)]
        return self.line_parts[0]

    def cuts(self) -> tuple[np.ndarray, np.ndarray]:
        return _joined(self.cut_starts), _joined(self.cut_ends)

    def add(self, records: _BlockRecords, base: int) -> None:
        """Take one block's records (offsets within the block, which starts at `base`)."""
        r = records
        nonblank = np.flatnonzero(~r.blank)
        if self.span_limit is not None and self.first_over_span is None:
            over = nonblank[r.spans[nonblank] > self.span_limit]
            if len(over):
                self.first_over_span = int(r.start_lines[over[0]])
        self.blank_lines += int(r.blank.sum())
        self.record_lines += int(r.spans[nonblank].sum())
        is_data = ~r.blank
        if self.header_range is None and len(nonblank):
            h = int(nonblank[0])
            self.header_range = (int(r.starts[h]) + base, int(r.ends[h]) + base)
            self.header_line = int(r.start_lines[h])
            self.width = int(r.fields[h])
            is_data[h] = False
        elif self.header_range is None:
            is_data = np.zeros(len(r.blank), dtype=bool)
        right = is_data & (r.fields == self.width)
        wrong = is_data & ~right
        self.data_records += int(is_data.sum())
        for i in np.flatnonzero(wrong).tolist():
            self.wrong.append((int(r.start_lines[i]), int(r.fields[i]),
                               int(r.starts[i]) + base, int(r.ends[i]) + base))
        right_at = np.flatnonzero(right)
        if self.long_bytes is not None:
            lengths = r.ends[right_at] - r.starts[right_at]
            for k in np.flatnonzero(lengths > self.long_bytes).tolist():
                i = int(right_at[k])
                self.long.append((self._right + k, int(r.start_lines[i]),
                                  int(r.starts[i]) + base, int(r.ends[i]) + base))
        self.line_parts.append(r.start_lines[right_at].astype(np.int64))
        self._right += len(right_at)
        cut = r.blank | wrong
        if np.any(cut):
            self.cut_starts.append(r.starts[cut] + base)
            self.cut_ends.append(r.next_starts[cut] + base)


@dataclass
class _BlockRecords:
    """One block's records, blank lines included, offsets within the block."""

    start_lines: np.ndarray
    starts: np.ndarray
    ends: np.ndarray  # end of the text, without the line break
    next_starts: np.ndarray  # end of the record with its line break
    fields: np.ndarray
    spans: np.ndarray
    blank: np.ndarray


class NotRfc4180(Exception):
    """The file's quoting is outside RFC 4180: read it record by record instead."""


def _quotes_follow_the_rule(a: np.ndarray, q: np.ndarray) -> bool:
    """Every quote opens a cell (even count before it, at a cell start), or, inside a
    quoted cell, is doubled or closes the cell (followed by a comma, a line end or EOF)."""
    if len(q) == 0:
        return True
    n = len(a)
    prev = np.where(q > 0, a[np.maximum(q - 1, 0)], LF)
    nxt = np.where(q < n - 1, a[np.minimum(q + 1, n - 1)], COMMA)
    opening = (np.arange(len(q)) % 2) == 0
    # an opening quote starts a cell, or is the second of a doubled quote
    after_pair = np.zeros(len(q), dtype=bool)
    after_pair[1:] = q[1:] - q[:-1] == 1
    opens_ok = (prev == COMMA) | (prev == LF) | after_pair
    closes_ok = (nxt == COMMA) | (nxt == LF) | (nxt == CR) | (nxt == QUOTE)
    return bool(np.all(np.where(opening, opens_ok, closes_ok)))


SUB_CHUNK = 4 << 20  # element passes run over slices that stay in the CPU cache


@dataclass
class _Positions:
    quotes: np.ndarray
    line_feeds: np.ndarray
    commas: np.ndarray
    carriage_returns: np.ndarray
    has_nul: bool


def _positions(block: bytes) -> _Positions:
    """The positions of quotes, line feeds, commas and carriage returns in `block`, found
    one cache-sized slice at a time (a block that carries a long record grows past a chunk,
    and a pass over all of it would write a block-sized temporary). A byte the block does
    not hold at all (memchr: quotes, carriage returns and NUL are usually absent) costs no
    pass."""
    a = np.frombuffer(block, dtype=np.uint8)
    wanted = [byte for byte in (QUOTE, LF, COMMA, CR) if block.find(bytes([byte])) >= 0]
    parts: dict[int, list[np.ndarray]] = {byte: [] for byte in (QUOTE, LF, COMMA, CR)}
    for at in range(0, len(a), SUB_CHUNK):
        piece = a[at:at + SUB_CHUNK]
        for byte in wanted:
            found = np.flatnonzero(piece == byte)
            if len(found):
                parts[byte].append(found + at)

    def cat(chunks: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)

    return _Positions(cat(parts[QUOTE]), cat(parts[LF]), cat(parts[COMMA]), cat(parts[CR]),
                      has_nul=block.find(b"\x00") >= 0)


def _field_counts(starts: np.ndarray, ends: np.ndarray, commas: np.ndarray,
                  quotes: np.ndarray) -> np.ndarray:
    """Fields per record: 1 + the commas between its start and end that no quoted cell
    holds. The records cover the block (only line breaks lie between them), so the commas
    before a record's start are those before the previous record's end: one binary
    search per record. Commas of quoted cells are counted per quoted cell (quotes pair up
    as opening and closing ones under RFC 4180), so no step is per comma."""
    before_end = np.searchsorted(commas, ends)
    fields = np.diff(before_end, prepend=0) + 1
    if len(quotes):
        opens, closes = quotes[0::2], quotes[1::2]
        quoted = np.searchsorted(commas, closes) - np.searchsorted(commas, opens)
        has = quoted > 0
        if np.any(has):
            owner = np.searchsorted(starts, opens[has], side="right") - 1
            fields -= np.bincount(owner, weights=quoted[has],
                                  minlength=len(starts)).astype(fields.dtype)
    return fields


def _scan_block(block: bytes, base: int, first_line: int, scan: FileScan,
                final: bool) -> tuple[int, int]:
    """Scan whole records of `block`; return the bytes consumed and the line feeds in
    them."""
    a = np.frombuffer(block, dtype=np.uint8)
    found = _positions(block)
    q, nl, cr = found.quotes, found.line_feeds, found.carriage_returns
    inside = cr[cr < len(a) - 1]
    if np.any(a[inside + 1] != LF) or (final and len(cr) and cr[-1] == len(a) - 1):
        raise NotRfc4180("a carriage return that is not part of CR LF")
    if found.has_nul:
        raise NotRfc4180("a NUL byte")
    if not _quotes_follow_the_rule(a, q):
        raise NotRfc4180("a quote inside an unquoted cell or after a closing quote")
    # the line feeds that end a record: those with an even number of quotes before them
    ending = (np.flatnonzero((np.searchsorted(q, nl) % 2) == 0) if len(q)
              else np.arange(len(nl)))
    if final:
        if len(q) % 2:
            raise NotRfc4180("a quote that never closes")
        consumed = len(a)
        tail = len(a) > 0 and (len(ending) == 0 or nl[ending[-1]] != len(a) - 1)
    else:
        if len(ending) == 0:
            return 0, 0  # no record ends in this block yet: read on
        consumed = int(nl[ending[-1]]) + 1
        tail = False
    line_feeds = int(ending[-1]) + 1 if not final and len(ending) else len(nl)
    ends_lf = nl[ending]
    starts = np.concatenate(([0], ends_lf + 1))[: len(ends_lf) + (1 if tail else 0)]
    ends = ends_lf if not tail else np.concatenate((ends_lf, [len(a)]))
    # a record's end excludes its CR LF / LF
    has_cr = np.zeros(len(ends), dtype=bool)
    has_cr[: len(ends_lf)] = (ends_lf > 0) & (a[np.maximum(ends_lf - 1, 0)] == CR)
    ends_text = ends - has_cr
    # physical lines: a record starts after the line feed that ended the previous one and
    # spans to the line feed that ends it (a tail record: to the end of the file, past
    # every line feed)
    last_lf = ending if not tail else np.concatenate((ending, [len(nl)]))
    previous = np.concatenate(([-1], last_lf[:-1]))
    start_lines = first_line + previous + 1
    spans = last_lf - previous
    # blank records: one line of white space only
    blank = np.zeros(len(starts), dtype=bool)
    single = spans == 1
    # only a line that starts with white space (or is empty) can be blank: check those
    first = a[np.minimum(starts, len(a) - 1)] if len(a) else np.zeros(0, dtype=np.uint8)
    candidate = single & ((starts >= len(a)) | np.isin(first, _BLANK_FIRST_BYTES))
    for i in np.flatnonzero(candidate).tolist():
        blank[i] = _BLANK_LINE.match(block, int(starts[i]), int(ends_text[i])) is not None
    # fields: commas outside quotes, counted per record (commas of this block's records)
    commas = found.commas[: np.searchsorted(found.commas, consumed)]
    fields = _field_counts(starts, ends_text, commas, q[: np.searchsorted(q, consumed)])
    next_starts = np.concatenate((starts[1:], [consumed]))[: len(starts)]
    scan.add(_BlockRecords(start_lines, starts, ends_text, next_starts, fields, spans, blank),
             base)
    scan.physical_lines += line_feeds + (1 if final and tail else 0)
    return consumed, line_feeds


def scan_records(path: Path, chunk: int = CHUNK_BYTES, *, span_limit: int | None = None,
                 long_bytes: int | None = None) -> FileScan | None:
    """Scan a UTF-8 file (no BOM); None when it must be read record by record.

    span_limit: note the first record running over this many physical lines;
    long_bytes: note the records of the header's width longer than this many bytes."""
    scan, _ = scan_or_reason(path, chunk, span_limit=span_limit, long_bytes=long_bytes)
    return scan


def scan_or_reason(path: Path, chunk: int = CHUNK_BYTES, *, span_limit: int | None = None,
                   long_bytes: int | None = None) -> tuple[FileScan | None, str]:
    """scan_records, and why the file must be read record by record when it must."""
    scan = FileScan(span_limit=span_limit, long_bytes=long_bytes)
    try:
        with path.open("rb") as handle:
            carry = b""
            base = 0
            line = 1
            while True:
                data = handle.read(chunk)
                final = not data
                block = carry + data
                if final:
                    if block:
                        _scan_block(block, base, line, scan, final=True)
                    break
                if len(block) > max(MAX_CARRY_BYTES, 4 * chunk):
                    raise NotRfc4180("a record longer than the scan's carry")
                consumed, line_feeds = _scan_block(block, base, line, scan, final=False)
                line += line_feeds
                base += consumed
                carry = block[consumed:]
    except NotRfc4180 as exc:
        return None, str(exc)
    return scan, ""
