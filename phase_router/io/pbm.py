"""PBM (Netpbm bitmap) reading and writing: P1 (plain text) and P4 (raw bits).

1 = black = set. P4 rows are padded to whole bytes, most significant bit first; padding bits are
ignored on reading. Header sizes are checked against the file length before anything is
allocated, and P4 is read with NumPy, never bit by bit in Python. Rasters are read with ordinary
reads (never a memory map, which a truncation turns into SIGBUS); a file that shrinks or grows
while it is read is refused ("changed while being read").
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .._internal.scalars import MAX_DIM
from .._internal.threads import threads_for_scan
from ..packed_bits import PackedBits
from ..errors import FileFormatError
from .atomic import OutputBatch, atomic_output
from .files import changed_while_read, check_unchanged, open_input, read_exactly, reads_streams

HEADER_LIMIT = 64 * 1024  # bytes of header (comments included) we are willing to scan
WHITESPACE = b" \t\n\r\v\f"
_WHITESPACE_CODES = np.frombuffer(WHITESPACE, dtype=np.uint8)
CHUNK_BYTES = 16 * 2**20


@dataclass(frozen=True)
class PbmHeader:
    kind: str  # "P1" or "P4"
    width: int
    height: int
    data_offset: int  # where the raster starts
    file_size: int

    @property
    def row_bytes(self) -> int:
        return (self.width + 7) // 8


@reads_streams
def read_header(path: str | os.PathLike[str]) -> PbmHeader:
    """Parse and check a PBM header; the raster's size is checked against the file length."""
    with open_input(path) as handle:
        head = handle.read(HEADER_LIMIT)
        size = os.fstat(handle.fileno()).st_size
    return _parse_header(path, head, size)


def _parse_header(path, head: bytes, size: int) -> PbmHeader:
    if len(head) < 2 or head[:1] != b"P":
        raise FileFormatError(path, f"not a PBM file (starts with {head[:8]!r}, expected P1 or P4)")
    kind = head[:2].decode("latin-1")
    if kind not in ("P1", "P4"):
        raise FileFormatError(path, f"unsupported Netpbm format {kind!r}: only PBM P1 (plain) and P4 (raw)")
    pos = 2
    values = []
    for field in ("width", "height"):
        pos = _skip_space_and_comments(path, head, pos, field)
        start = pos
        while pos < len(head) and head[pos : pos + 1].isdigit():
            pos += 1
        if start == pos:
            found = head[pos : pos + 1].decode("latin-1") or "end of file"
            raise FileFormatError(path, f"expected the {field} (a positive decimal number), found {found!r}")
        values.append(_header_number(path, field, head[start:pos]))
    width, height = values
    if head[pos : pos + 1] == b"#":  # Netpbm: a comment ends the height, and its line end ends the header
        pos = _comment_end(head, pos)
        if pos < 0:
            raise FileFormatError(path, f"header ends inside the comment after the height (or it is longer than "
                                        f"{HEADER_LIMIT} bytes)")
    elif pos >= len(head) or head[pos] not in WHITESPACE:
        raise FileFormatError(path, "header must end with one whitespace character after the height")
    header = PbmHeader(kind, width, height, pos + 1, size)
    available = size - header.data_offset
    needed = height * header.row_bytes if kind == "P4" else width * height
    if available < needed:
        what = "raster bytes" if kind == "P4" else "digits"
        raise FileFormatError(
            path, f"truncated: header says {width} x {height}, which needs {needed} {what}, "
            f"but only {available} bytes follow the header"
        )
    if kind == "P4" and available > needed:
        raise FileFormatError(path, f"{available - needed} unexpected bytes after the {width} x {height} raster")
    return header


def _header_number(path, field: str, digits: bytes) -> int:
    """A header number by its value, as Netpbm reads it: leading zeros are only a spelling
    (000256 is 256); a value above MAX_DIM is refused whatever its spelling."""
    significant = digits.lstrip(b"0")
    # more significant digits than MAX_DIM has means a larger value; no int() of a huge digit string
    if len(significant) > len(str(MAX_DIM)) or int(significant or b"0") > MAX_DIM:
        shown = significant.decode() if len(significant) <= 30 else f"{significant[:20].decode()}... ({len(significant)} digits)"
        raise FileFormatError(path, f"{field} {shown} is larger than the limit {MAX_DIM}")
    value = int(significant or b"0")
    if value < 1:
        raise FileFormatError(path, f"{field} is 0; a routing matrix needs at least one row and column")
    return value


def _comment_end(head: bytes, pos: int) -> int:
    """Where the comment starting at `pos` ends: its line end (\n or \r), or -1 if the header does."""
    return min((i for i in (head.find(b"\n", pos), head.find(b"\r", pos)) if i >= 0), default=-1)


def _skip_space_and_comments(path, head: bytes, pos: int, field: str) -> int:
    while pos < len(head):
        byte = head[pos : pos + 1]
        if byte in (b" ", b"\t", b"\n", b"\r", b"\v", b"\f"):
            pos += 1
        elif byte == b"#":
            end = _comment_end(head, pos)
            if end < 0:
                break
            pos = end + 1
        else:
            return pos
    raise FileFormatError(path, f"header ends before the {field} (or its comments are longer than {HEADER_LIMIT} bytes)")


@reads_streams
def read_pbm_packed(path: str | os.PathLike[str]) -> PackedBits:
    """The whole bitmap as PackedBits (P1 is packed after parsing)."""
    header = read_header(path)
    if header.kind == "P1":
        return PackedBits(np.packbits(_read_p1(path, header), axis=1), header.width)
    raw = np.empty((header.height, header.row_bytes), dtype=np.uint8)
    for first, rows in _p4_chunks(path, header):
        raw[first : first + rows.shape[0]] = rows
    return PackedBits(raw, header.width)


@reads_streams
def read_pbm(path: str | os.PathLike[str]) -> np.ndarray:
    """The whole bitmap as a bool array of shape (height, width)."""
    return read_pbm_packed(path).unpack()


@reads_streams
def pbm_row_degrees(path: str | os.PathLike[str]) -> tuple[np.ndarray, tuple[int, int]]:
    """Ones per row and (height, width), holding at most one chunk of a P4 raster in memory."""
    from .. import _core

    header = read_header(path)
    if header.kind == "P1":
        return _p1_row_degrees(path, header), (header.height, header.width)
    degrees = np.empty(header.height, dtype=np.uint32)
    for first, rows in _p4_chunks(path, header):
        degrees[first : first + rows.shape[0]] = _core.packed_row_degrees(rows, header.width, threads_for_scan(rows.nbytes))
    return degrees, (header.height, header.width)


def _p4_chunks(path, header: PbmHeader) -> Iterator[tuple[int, np.ndarray]]:
    """(first row, rows) of a P4 raster, read into one reused buffer (valid until the next)."""
    rows_per_chunk = max(1, CHUNK_BYTES // header.row_bytes)
    buffer = bytearray(min(rows_per_chunk, header.height) * header.row_bytes)
    with open_input(path) as handle:
        check_unchanged(handle, path, header.file_size)
        handle.seek(header.data_offset)
        for first in range(0, header.height, rows_per_chunk):
            rows = min(rows_per_chunk, header.height - first)
            view = memoryview(buffer)[: rows * header.row_bytes]
            read_exactly(handle, view, path, expected_size=header.file_size)
            yield first, np.frombuffer(view, dtype=np.uint8).reshape(rows, header.row_bytes)
        check_unchanged(handle, path, header.file_size)


def _p1_row_degrees(path, header: PbmHeader) -> np.ndarray:
    """Ones per row of a P1 raster, counted by C++ as the text streams past in chunks; the
    checks and messages are _read_p1's."""
    from .. import _core

    degrees = np.zeros(header.height, dtype=np.uint32)
    state = np.zeros(3, dtype=np.uint64)  # digits seen, digits in the current row, ones in it
    offset = header.data_offset
    with open_input(path) as handle:
        check_unchanged(handle, path, header.file_size)
        handle.seek(offset)
        while offset < header.file_size and (chunk := handle.read(min(CHUNK_BYTES, header.file_size - offset))):
            raw = np.frombuffer(chunk, dtype=np.uint8)
            bad = _core.p1_row_degrees_chunk(raw, header.width, degrees, state)
            if bad >= 0:
                raise FileFormatError(
                    path, f"unexpected {bytes([raw[bad]])!r} at byte {offset + bad} of the P1 raster "
                    "(only 0, 1 and whitespace are allowed)"
                )
            offset += raw.size
        check_unchanged(handle, path, header.file_size)
    if offset != header.file_size:
        raise changed_while_read(path, header.file_size, offset)
    _check_p1_digits(path, header, int(state[0]))
    return degrees


def _check_p1_digits(path, header: PbmHeader, digits: int) -> None:
    expected = header.width * header.height
    if digits != expected:
        problem = "truncated" if digits < expected else "too long"
        raise FileFormatError(
            path, f"{problem}: P1 raster has {digits} digits, header says {header.width} x {header.height} = {expected}"
        )


def _read_p1(path, header: PbmHeader) -> np.ndarray:
    """The P1 raster as bool, parsed one chunk of text at a time into the result, so the peak is
    the matrix plus one chunk's temporaries (reading the text whole cost about 6x its size)."""
    bits = np.empty(header.width * header.height, dtype=bool)
    filled = 0
    offset = header.data_offset
    with open_input(path) as handle:
        check_unchanged(handle, path, header.file_size)
        handle.seek(offset)
        while chunk := handle.read(CHUNK_BYTES):
            raw = np.frombuffer(chunk, dtype=np.uint8)
            is_digit = (raw == ord("0")) | (raw == ord("1"))
            bad = ~is_digit & ~np.isin(raw, _WHITESPACE_CODES)
            if bad.any():
                at = int(np.argmax(bad))
                raise FileFormatError(
                    path, f"unexpected {bytes([raw[at]])!r} at byte {offset + at} of the P1 raster "
                    "(only 0, 1 and whitespace are allowed)"
                )
            digits = raw[is_digit]
            take = max(0, min(digits.size, bits.size - filled))  # a raster too long is counted to its end
            bits[filled : filled + take] = digits[:take] == ord("1")
            filled += digits.size
            offset += raw.size
        check_unchanged(handle, path, header.file_size)
    _check_p1_digits(path, header, filled)
    return bits.reshape(header.height, header.width)


def write_pbm(path: str | os.PathLike[str], matrix, *, plain: bool = False, batch: OutputBatch | None = None) -> None:
    """Write a 0/1 matrix (array or PackedBits) as P4, or P1 with plain=True, atomically (or as
    part of `batch`)."""
    packed = matrix if isinstance(matrix, PackedBits) else None
    if plain:
        bits = packed.unpack() if packed is not None else np.asarray(matrix).astype(bool)
        height, width = bits.shape
        lines = [f"P1\n{width} {height}\n".encode()]
        row_text = np.where(bits, ord("1"), ord("0")).astype(np.uint8)
        # Plain PBM lines should stay under 70 characters.
        for row in row_text:
            for start in range(0, width, 64):
                lines.append(row[start : start + 64].tobytes() + b"\n")
        with atomic_output(path, batch) as out:
            out.write(b"".join(lines))
        return
    if packed is None:
        bits = np.asarray(matrix).astype(bool)
        packed = PackedBits(np.packbits(bits, axis=1), bits.shape[1])
    height, width = packed.shape
    with atomic_output(path, batch) as out:
        out.write(f"P4\n{width} {height}\n".encode())
        out.write(np.ascontiguousarray(_clear_padding(packed)).tobytes())


def _clear_padding(packed: PackedBits) -> np.ndarray:
    tail = packed.width % 8
    if tail == 0:
        return packed.bits
    bits = packed.bits.copy()
    bits[:, -1] &= np.uint8((0xFF00 >> tail) & 0xFF)
    return bits
