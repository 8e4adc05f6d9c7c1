"""Read the pixels of a PNG screenshot (8-bit RGB or RGBA, as Chromium writes them).

Pure Python, for checking small screenshots (a page header, a chart) without an imaging
library: ``read_png(path).gray(x, y)``.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {2: 3, 6: 4}  # colour type -> channels (RGB, RGBA)


@dataclass(frozen=True)
class Image:
    width: int
    height: int
    channels: int
    pixels: bytes  # rows of width * channels bytes, top to bottom

    def rgb(self, x: int, y: int) -> tuple[int, int, int]:
        start = (y * self.width + x) * self.channels
        r, g, b = self.pixels[start:start + 3]
        return r, g, b

    def gray(self, x: int, y: int) -> int:
        r, g, b = self.rgb(x, y)
        return (299 * r + 587 * g + 114 * b) // 1000

    def crop(self, left: int, top: int, right: int, bottom: int) -> bytes:
        """The raw pixel bytes of a rectangle (right and bottom exclusive)."""
        row = self.width * self.channels
        return b"".join(
            self.pixels[y * row + left * self.channels:y * row + right * self.channels]
            for y in range(top, bottom)
        )


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unfilter(kind: int, line: bytearray, prior: bytes, bpp: int) -> None:
    if kind == 0:
        return
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up = prior[i]
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + up) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
        elif kind == 4:
            upper_left = prior[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + _paeth(left, up, upper_left)) & 0xFF
        else:
            raise ValueError(f"unknown PNG filter {kind}")


def read_png(path: Path) -> Image:
    data = path.read_bytes()
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path} is not a PNG file")
    pos, idat, header = len(SIGNATURE), bytearray(), None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    if header is None:
        raise ValueError(f"{path} has no IHDR chunk")
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in CHANNELS or interlace:
        raise ValueError(f"{path}: only 8-bit non-interlaced RGB/RGBA is supported")
    channels = CHANNELS[colour]
    stride = width * channels
    raw = zlib.decompress(bytes(idat))
    out = bytearray()
    prior = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        line = bytearray(raw[start + 1:start + 1 + stride])
        _unfilter(raw[start], line, prior, channels)
        out += line
        prior = bytes(line)
    return Image(width, height, channels, bytes(out))


def first_line_glyphs(image: Image, threshold: int = 160) -> list[bytes]:
    """The pixels of each run of inked columns in the first line of text from the top (a
    page title): one run per glyph or glyph part. Identical runs are identical shapes, so
    a title drawn as tofu (a font without the script) gives many equal runs."""
    def inked(y: int) -> bool:
        return any(image.gray(x, y) < threshold for x in range(image.width))

    top = next((y for y in range(image.height) if inked(y)), None)
    if top is None:
        raise ValueError("nothing drawn")
    bottom = top
    while bottom + 1 < image.height and inked(bottom + 1):
        bottom += 1
    columns = [x for x in range(image.width)
               if any(image.gray(x, y) < threshold for y in range(top, bottom + 1))]
    runs, start = [], columns[0]
    for previous, x in pairwise(columns):
        if x != previous + 1:
            runs.append((start, previous + 1))
            start = x
    runs.append((start, columns[-1] + 1))
    return [image.crop(left, top, right, bottom + 1) for left, right in runs]
