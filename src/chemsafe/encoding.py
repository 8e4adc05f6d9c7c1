"""Encoding detection for extract files, in the contract's order.

A UTF-8 byte-order mark means UTF-8; bytes that decode as UTF-8 are UTF-8; otherwise
CP949 (the superset of EUC-KR that Korean systems export). A file that decodes as
neither fails as a whole: nothing is ever mis-decoded silently.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

BOM = codecs.BOM_UTF8
CHUNK = 1 << 20
VALIDATE_CHUNK = 16 << 20


class EncodingError(ValueError):
    """The file decodes as neither UTF-8 nor CP949."""


@dataclass(frozen=True)
class FileFingerprint:
    sha256: str
    size_bytes: int
    encoding: str  # "utf-8-sig" (BOM), "utf-8" or "cp949"

    @property
    def label(self) -> str:
        return {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "cp949": "CP949"}[self.encoding]


def _decode(path: Path, encoding: str, write: Callable[[str], object] | None = None,
            skip: int = 0) -> int:
    """Stream the file, from byte `skip` on, through a strict incremental decoder, handing
    the text to `write` when given; return -1 when it all decodes, else the byte offset in
    the file of the first byte the decoder rejects (the file's size when it ends inside a
    character)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = skip
    with path.open("rb") as handle:
        handle.seek(skip)
        while chunk := handle.read(CHUNK):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return offset + exc.start
            if write is not None:
                write(text)
            offset += len(chunk)
        try:
            text = decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return offset
    if write is not None:
        write(text)
    return -1


def _decodes(path: Path, encoding: str) -> tuple[bool, int]:
    """Whether the file decodes; (ok, byte offset of the first error or -1)."""
    where = _decode(path, encoding)
    return where < 0, where


def line_breaks(path: Path, end: int | None = None) -> tuple[int, bytes]:
    """The line breaks in the file's bytes (up to byte `end`, when given) and the last byte
    counted. A line ends at LF, CR LF or a lone CR (what Python's universal newlines split
    on). In UTF-8 and CP949 the bytes CR and LF only ever stand for themselves, so the
    bytes can be counted undecoded."""
    breaks, last = 0, b""
    left = path.stat().st_size if end is None else end
    with path.open("rb") as handle:
        while left > 0 and (chunk := handle.read(min(CHUNK, left))):
            if last == b"\r" and chunk.startswith(b"\n"):
                breaks -= 1  # a CR LF split across two chunks, counted twice
            breaks += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
            last, left = chunk[-1:], left - len(chunk)
    return breaks, last


def line_at(path: Path, offset: int) -> int:
    """The physical line (the first is 1) that holds byte `offset`."""
    return line_breaks(path, offset)[0] + 1


def _where(path: Path, offset: int) -> str:
    return f"line {line_at(path, offset)} (byte offset {offset})"


def _valid_utf8_bytes(data: bytes) -> bool:
    """Arrow's UTF-8 validation (vectorised; rejects what Python's strict decoder rejects:
    overlong forms, surrogates, code points above U+10FFFF, truncated sequences)."""
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    try:
        pa.LargeStringArray.from_buffers(1, offsets, pa.py_buffer(data)).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _character_cut(chunk: bytes) -> int:
    """Where the last whole character of `chunk` ends: before a sequence that the next
    chunk completes (up to three continuation bytes are held back with their lead)."""
    cut = len(chunk)
    for back in range(1, min(4, len(chunk)) + 1):
        byte = chunk[len(chunk) - back]
        if byte & 0xC0 != 0x80:  # a lead byte or ASCII: the sequence starts here
            return len(chunk) - back if byte >= 0xC0 else cut
    return cut


def _hash_and_check_utf8(path: Path, skip: int) -> tuple[str, int, bool]:
    """One streamed read: the sha256 and size of the file, and whether the bytes after the
    first `skip` (a byte-order mark) are valid UTF-8."""
    digest = hashlib.sha256()
    size = 0
    valid = True
    carry = b""
    with path.open("rb") as handle:
        head = handle.read(skip)
        digest.update(head)
        size += len(head)
        while chunk := handle.read(VALIDATE_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if valid:
                block = carry + chunk
                cut = _character_cut(block)
                valid = _valid_utf8_bytes(block[:cut])
                carry = block[cut:]
    return digest.hexdigest(), size, valid and _valid_utf8_bytes(carry)


def not_cp949_message(path: Path, where: int) -> str:
    """The message for a file (no byte-order mark) that is not UTF-8 and that CP949
    rejects at byte `where`: both places, by line, since either may be the damage (a
    UTF-8 file with one CP949 character, a CP949 file with one stray byte)."""
    not_utf8 = _decode(path, "utf-8")
    return (f"{path.name}: decodes neither as UTF-8 nor as CP949: the first byte that is "
            f"not UTF-8 is on {_where(path, not_utf8)}, the first that CP949 rejects on "
            f"{_where(path, where)}; the file is not loaded")


def fingerprint(path: Path, confirm_cp949: bool = True) -> FileFingerprint:
    """Hash the original bytes and detect the encoding (streamed, bounded memory).

    UTF-8 validity is checked by Arrow as the file is hashed; Python's decoder is run only
    on a file that is not valid UTF-8, to name the offset or to confirm CP949. With
    confirm_cp949 False, a file that is not UTF-8 is reported as CP949 unchecked: the
    caller decodes it anyway and must raise EncodingError(not_cp949_message(...)) where
    that fails (one decoding pass instead of two)."""
    with path.open("rb") as handle:
        has_bom = handle.read(len(BOM)) == BOM
    sha, size, valid = _hash_and_check_utf8(path, len(BOM) if has_bom else 0)
    if has_bom:
        if not valid:
            where = _decode(path, "utf-8", skip=len(BOM))
            raise EncodingError(
                f"{path.name}: starts with a UTF-8 byte-order mark but is not valid UTF-8: "
                f"the first invalid byte is on {_where(path, where)}"
            )
        return FileFingerprint(sha, size, "utf-8-sig")
    if valid:
        return FileFingerprint(sha, size, "utf-8")
    if not confirm_cp949:
        return FileFingerprint(sha, size, "cp949")
    ok, where = _decodes(path, "cp949")
    if ok:
        return FileFingerprint(sha, size, "cp949")
    raise EncodingError(not_cp949_message(path, where))


def decode_to_utf8(source: Path, encoding: str, target: Path) -> None:
    """Write source, decoded from `encoding` (strictly, chunk by chunk), to target as UTF-8;
    EncodingError naming the byte offset where the decoding fails."""
    with target.open("w", encoding="utf-8", newline="") as out:
        where = _decode(source, encoding, out.write)
    if where >= 0:
        raise EncodingError(not_cp949_message(source, where))
