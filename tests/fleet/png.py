"""A small PNG reader (8-bit RGB/RGBA, as Chromium writes screenshots), with zlib only.

Tests look at screenshot pixels without an imaging library: decode the
rows, undo the per-row filters, and hand back RGB tuples.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {2: 3, 6: 4}  # colour type -> bytes per pixel (8-bit depth)


@dataclass(frozen=True)
class Image:
    """Decoded pixels: `rows[y][x]` is an (r, g, b) tuple."""

    width: int
    height: int
    rows: list[list[tuple[int, int, int]]]

    def colours_in(self, left: int, top: int, right: int, bottom: int) -> set[tuple[int, int, int]]:
        """Every distinct colour inside the box (clipped to the image)."""
        return {
            pixel
            for row in self.rows[max(top, 0) : min(bottom, self.height)]
            for pixel in row[max(left, 0) : min(right, self.width)]
        }


def read_png(path: Path) -> Image:
    """Decode the PNG at `path`."""
    data = path.read_bytes()
    assert data.startswith(SIGNATURE), f"{path} is not a PNG"
    position, compressed = len(SIGNATURE), b""
    width = height = colour_type = 0
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour_type = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour_type in CHANNELS, "only 8-bit RGB(A) PNGs"
        elif kind == b"IDAT":
            compressed += body
        elif kind == b"IEND":
            break
    step = CHANNELS[colour_type]
    raw = zlib.decompress(compressed)
    stride = width * step
    previous = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        line = bytearray(raw[start + 1 : start + 1 + stride])
        _unfilter(raw[start], line, previous, step)
        rows.append([tuple(line[x : x + 3]) for x in range(0, stride, step)])
        previous = line
    return Image(width, height, rows)  # type: ignore[arg-type]


def _unfilter(kind: int, line: bytearray, previous: bytearray, step: int) -> None:
    for index in range(len(line)):
        left = line[index - step] if index >= step else 0
        up = previous[index]
        corner = previous[index - step] if index >= step else 0
        if kind == 1:
            line[index] = (line[index] + left) & 0xFF
        elif kind == 2:
            line[index] = (line[index] + up) & 0xFF
        elif kind == 3:
            line[index] = (line[index] + (left + up) // 2) & 0xFF
        elif kind == 4:
            estimate = left + up - corner
            pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
            nearest = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
            line[index] = (line[index] + nearest) & 0xFF


def write_png(path: Path, image: Image, top: int = 0, bottom: int | None = None) -> None:
    """Write rows `top:bottom` of `image` as an RGB PNG (to look at part of a long page)."""
    rows = image.rows[top:bottom]
    raw = b"".join(b"\0" + bytes(value for pixel in row for value in pixel) for row in rows)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", image.width, len(rows), 8, 2, 0, 0, 0)
    path.write_bytes(
        SIGNATURE
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
