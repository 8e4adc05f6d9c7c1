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


def _decode(path: Path, encoding: str, write: Callable[[str], object] | None = None) -> int:
    """Stream the file through a strict incremental decoder, handing the text to `write`
    when given; return -1 when it all decodes, else the byte offset of the first byte the
    decoder rejects (the file's size when it ends inside a character)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    with path.open("rb") as handle:
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
    return (f"{path.name}: decodes neither as UTF-8 nor as CP949 (first byte CP949 rejects "
            f"at offset {where}); the file is not loaded")


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
            _, where = _decodes(path, "utf-8-sig")
            raise EncodingError(
                f"{path.name}: starts with a UTF-8 byte-order mark but is not valid UTF-8 "
                f"(first bad byte at offset {where})"
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
