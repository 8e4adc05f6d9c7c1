"""Encoding detection for extract files, in the contract's order.

A UTF-8 byte-order mark means UTF-8; bytes that decode as UTF-8 are UTF-8; otherwise
CP949 (the superset of EUC-KR that Korean systems export). A file that decodes as
neither fails as a whole: nothing is ever mis-decoded silently.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

BOM = codecs.BOM_UTF8
CHUNK = 1 << 20


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


def _decodes(path: Path, encoding: str) -> tuple[bool, int]:
    """Stream the file through an incremental decoder; return (ok, byte offset of error)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return False, offset + exc.start
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False, offset
    return True, -1


def fingerprint(path: Path) -> FileFingerprint:
    """Hash the original bytes and detect the encoding (streamed, bounded memory)."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        head = handle.read(len(BOM))
        digest.update(head)
        size += len(head)
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    if head == BOM:
        ok, where = _decodes(path, "utf-8-sig")
        if not ok:
            raise EncodingError(
                f"{path.name}: starts with a UTF-8 byte-order mark but is not valid UTF-8 "
                f"(first bad byte at offset {where})"
            )
        return FileFingerprint(digest.hexdigest(), size, "utf-8-sig")
    if _decodes(path, "utf-8")[0]:
        return FileFingerprint(digest.hexdigest(), size, "utf-8")
    ok, where = _decodes(path, "cp949")
    if ok:
        return FileFingerprint(digest.hexdigest(), size, "cp949")
    raise EncodingError(
        f"{path.name}: decodes neither as UTF-8 nor as CP949 (first byte CP949 rejects at "
        f"offset {where}); the file is not loaded"
    )
