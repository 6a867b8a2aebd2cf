"""SciPy sparse matrices as written by scipy.sparse.save_npz (.npz): CSR, CSC and COO, read with
zipfile and NumPy alone (SciPy need not be installed, and nothing is ever unpickled).

An .npz is a zip archive of NPY members: `format` (b"csr", ...), `shape`, and the arrays
(`indptr`, `indices`, `data` for CSR/CSC; `row`, `col`, `data` for COO). Before anything is
allocated from them, the zip directory's declared sizes, each member's NPY header (dtype, shape)
and the sizes these imply are checked against each other, and a member claiming to inflate far
beyond what deflate can do (a zip bomb) is refused. The arrays are then read a bounded chunk at a
time, never densified: a row's degree is the number of its stored entries whose value is 1.
Explicit zeros count as nothing. A value other than 0 or 1, an index out of range, or one
(row, column) stored twice with value 1 (SciPy would add them up to 2) is refused, naming the file.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import tokenize
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ..._internal.scalars import MAX_DIM
from ...errors import FileFormatError
from ..files import check_unchanged, open_input
from .base import FileLayout, MatrixFormat

MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a zip's first local header, or the end record of an empty one
CHUNK_ENTRIES = 2**17  # stored entries read from each member at a time
MEMBER_LIMIT = 64  # save_npz writes at most six
SMALL_MEMBER = 4096  # bytes: `format` and `shape` are NPY files of about 130 bytes
HEADER_LIMIT = 64 * 1024  # an NPY member's header, as for .npy files
DEFLATE_RATIO = 1100  # deflate inflates at most about 1032:1; more is declared, not real
ENTRY_MEMBERS = {"csr": ("indices", "data"), "csc": ("indices", "data"), "coo": ("row", "col", "data")}
# per entry of a chunk: the raw bytes, int64 rows, columns, keys and positions, the masks, the ones' copies
CHUNK_SCRATCH_PER_ENTRY = 96
KEY_BYTES = 10  # per stored entry, when entries are out of order: an int64 key, the repeat mask, a margin
_HEADER_ERRORS = (ValueError, OSError, EOFError, SyntaxError, TypeError, OverflowError, tokenize.TokenError)
_ARCHIVE_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)


@dataclass(frozen=True)
class Member:
    """An NPY member of the archive, from its header: where its data starts, its shape and dtype."""

    name: str
    info: zipfile.ZipInfo
    shape: tuple[int, ...]
    dtype: np.dtype
    data_offset: int

    @property
    def count(self) -> int:
        return math.prod(self.shape)


@dataclass(frozen=True)
class SparseHeader:
    kind: str  # "csr", "csc" or "coo"
    shape: tuple[int, int]
    members: dict[str, Member]
    file_size: int

    @property
    def entries(self) -> int:
        return self.members["data"].count

    @property
    def entry_bytes(self) -> int:
        """Bytes stored per entry, over the members with one element per entry."""
        return sum(self.members[name].dtype.itemsize for name in ENTRY_MEMBERS[self.kind])


class NpzFormat(MatrixFormat):
    name = "npz"
    label = "SciPy sparse NPZ"
    extensions = (".npz",)

    def claims(self, path, magic: bytes) -> bool:
        return magic[:4] in MAGICS

    def layout(self, path) -> FileLayout:
        with _archive(path) as (archive, size):
            header = _header(path, archive, size)
        return FileLayout(f"npz-{header.kind}", header.shape, header.entry_bytes,
                          header.entries * header.entry_bytes)

    def row_degrees(self, path):
        with _archive(path) as (archive, size):
            header = _header(path, archive, size)
            degrees = np.zeros(header.shape[0], dtype=np.int64)
            ones, ordered = 0, True
            for rows, _, in_order in _ones(path, archive, header):
                lowest = int(rows.min()) if rows.size else 0
                counts = np.bincount(rows - lowest)  # a chunk's rows are near each other in CSR and sorted COO
                degrees[lowest : lowest + counts.size] += counts
                ones += rows.size
                ordered &= in_order
            if not ordered:  # entries out of order may repeat a (row, column): look for one
                _refuse_repeats(path, archive, header, ones)
        return degrees.astype(np.uint32), header.shape

    def read_bool(self, path) -> np.ndarray:
        with _archive(path) as (archive, size):
            header = _header(path, archive, size)
            matrix = np.zeros(header.shape, dtype=bool)
            ones = 0
            for rows, cols, _ in _ones(path, archive, header):
                matrix[rows, cols] = True
                ones += rows.size
            if np.count_nonzero(matrix) != ones:  # an entry repeated: name it as row_degrees does
                _refuse_repeats(path, archive, header, ones)
        return matrix

    def degrees_peak_bytes(self, layout: FileLayout) -> int:
        """The degrees (int64, then uint32), indptr as stored and as int64, one chunk of every
        entry member and its int64 scratch, and (for entries out of order) the sorted keys of
        the ones."""
        rows, cols = layout.shape
        entries = layout.data_bytes // max(1, layout.itemsize)
        return 12 * rows + _pointer_bytes(layout) + _chunk_bytes(layout, entries) + KEY_BYTES * entries

    def whole_peak_bytes(self, layout: FileLayout) -> int:
        """The bool matrix, indptr, one chunk and its scratch, and the keys if a repeat is suspected."""
        rows, cols = layout.shape
        entries = layout.data_bytes // max(1, layout.itemsize)
        return rows * cols + _pointer_bytes(layout) + _chunk_bytes(layout, entries) + KEY_BYTES * entries


def _pointer_bytes(layout: FileLayout) -> int:
    rows, cols = layout.shape
    major = {"npz-csr": rows, "npz-csc": cols}.get(layout.fmt)
    return 0 if major is None else 16 * (major + 1)


def _chunk_bytes(layout: FileLayout, entries: int) -> int:
    return (layout.itemsize + CHUNK_SCRATCH_PER_ENTRY) * min(CHUNK_ENTRIES, entries)


FORMAT = NpzFormat()


# --- the archive and its headers ------------------------------------------------------------------

@contextlib.contextmanager
def _archive(path) -> Iterator[tuple[zipfile.ZipFile, int]]:
    """The open zip archive and the file's size; zip-level damage is one FileFormatError."""
    with open_input(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        try:
            archive = zipfile.ZipFile(handle)
        except (*_ARCHIVE_ERRORS, ValueError, OSError) as exc:
            raise FileFormatError(path, f"not a valid NPZ archive ({_first_line(exc)})") from None
        with archive:
            try:
                yield archive, size
            except _ARCHIVE_ERRORS as exc:
                raise FileFormatError(path, f"corrupted NPZ archive ({_first_line(exc)})") from None
        check_unchanged(handle, path, size)


def _header(path, archive: zipfile.ZipFile, size: int) -> SparseHeader:
    infos = archive.infolist()
    if len(infos) > MEMBER_LIMIT:
        raise FileFormatError(path, f"NPZ archive has {len(infos)} members, more than the {MEMBER_LIMIT} a sparse "
                                    "matrix needs")
    by_name: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename[:-4] if info.filename.endswith(".npy") else info.filename
        if name in by_name:
            raise FileFormatError(path, f"NPZ member {info.filename} appears twice")
        by_name[name] = info
        _check_declared_size(path, info)
    if "format" not in by_name:
        raise FileFormatError(path, "NPZ archive without a format.npy member: not a SciPy sparse matrix "
                                    "(scipy.sparse.save_npz)")
    kind = _sparse_kind(path, archive, by_name["format"])
    needed = ("shape", "indptr", *ENTRY_MEMBERS[kind]) if kind != "coo" else ("shape", *ENTRY_MEMBERS[kind])
    missing = [f"{name}.npy" for name in needed if name not in by_name]
    if missing:
        raise FileFormatError(path, f"{kind} NPZ archive without the member(s) {', '.join(missing)}")
    shape = _matrix_shape(path, archive, by_name["shape"])
    members = {name: _member(path, archive, by_name[name]) for name in needed if name != "shape"}
    for name, member in members.items():
        if len(member.shape) != 1:
            raise FileFormatError(path, f"NPZ member {name}.npy has shape {member.shape}, expected a 1-D array")
        kinds = "buif" if name == "data" else "iu"
        if member.dtype.kind not in kinds or (name != "data" and member.dtype == bool):
            wanted = "bool, integer or float 0/1 values" if name == "data" else "integer indices"
            raise FileFormatError(path, f"NPZ member {name}.npy has dtype {member.dtype}, expected {wanted}")
    counts = {member.count for name, member in members.items() if name in ENTRY_MEMBERS[kind]}
    if len(counts) != 1:
        shown = ", ".join(f"{name}.npy {members[name].count}" for name in ENTRY_MEMBERS[kind])
        raise FileFormatError(path, f"NPZ members disagree on the number of stored entries ({shown})")
    entries = counts.pop()
    if entries > shape[0] * shape[1]:  # only repeats could make more: a bound on what reading allocates
        raise FileFormatError(path, f"NPZ archive stores {entries} entries, more than the {shape[0]} x {shape[1]} "
                                    "cells; call sum_duplicates() and eliminate_zeros() before save_npz")
    if kind != "coo":
        major = shape[0] if kind == "csr" else shape[1]
        if members["indptr"].count != major + 1:
            raise FileFormatError(path, f"{kind} NPZ member indptr.npy has {members['indptr'].count} elements, "
                                        f"the shape {shape[0]} x {shape[1]} needs {major + 1}")
    return SparseHeader(kind, shape, members, size)


def _check_declared_size(path, info: zipfile.ZipInfo) -> None:
    """The uncompressed size the zip directory declares, against what the stored bytes can hold."""
    if info.flag_bits & 0x1:
        raise FileFormatError(path, f"NPZ member {info.filename} is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise FileFormatError(path, f"NPZ member {info.filename} uses compression method {info.compress_type}; "
                                    "only stored and deflated members are read")
    if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
        raise FileFormatError(path, f"NPZ member {info.filename} is stored uncompressed, but the zip directory "
                                    f"declares {info.file_size} bytes for {info.compress_size} stored ones")
    if info.file_size > DEFLATE_RATIO * info.compress_size + 1024:
        raise FileFormatError(path, f"NPZ member {info.filename} declares {info.file_size} bytes from "
                                    f"{info.compress_size} compressed ones, more than deflate can give (a zip bomb?)")


def _npy_header(path, stream, name: str, declared: int) -> tuple[tuple[int, ...], np.dtype, int]:
    """(shape, dtype, header bytes) of an NPY member, read from its stream; the header's length is
    checked against the member's declared size before it is read."""
    def invalid(problem: str) -> FileFormatError:
        return FileFormatError(path, f"NPZ member {name} is not a valid NPY array ({problem})")

    prefix = stream.read(8)
    if len(prefix) < 8 or not prefix.startswith(b"\x93NUMPY"):
        raise invalid(f"starts with {prefix[:6]!r}, not the NPY magic")
    version = (prefix[6], prefix[7])
    if version not in ((1, 0), (2, 0)):
        raise invalid(f"unsupported NPY version {version[0]}.{version[1]}")
    width = 2 if version == (1, 0) else 4
    length_field = stream.read(width)
    header_length = int.from_bytes(length_field, "little") if len(length_field) == width else -1
    if header_length < 0 or header_length > min(HEADER_LIMIT, declared - 8 - width):
        raise invalid(f"header length {header_length} does not fit the member's {declared} bytes")
    text = stream.read(header_length)
    read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            shape, _, dtype = read(io.BytesIO(length_field + text), max_header_size=HEADER_LIMIT)
    except _HEADER_ERRORS as exc:
        raise invalid(_first_line(exc)) from None
    if dtype.hasobject:
        raise invalid(f"dtype {dtype} holds Python objects (pickles), which are never loaded")
    shape = tuple(int(side) for side in shape)
    if any(side < 0 or side > MAX_DIM**2 for side in shape):
        raise invalid(f"shape {shape} is outside the limits")
    offset = 8 + width + header_length
    if offset + math.prod(shape) * dtype.itemsize != declared:
        raise invalid(f"its header says shape {shape} of {dtype} ({math.prod(shape) * dtype.itemsize} bytes of "
                      f"data), but the zip directory declares {declared - offset} bytes after the header")
    return shape, dtype, offset


def _member(path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Member:
    with archive.open(info) as stream:
        shape, dtype, offset = _npy_header(path, stream, info.filename, info.file_size)
    return Member(info.filename[:-4], info, shape, dtype, offset)


def _small_value(path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> np.ndarray:
    if info.file_size > SMALL_MEMBER:
        raise FileFormatError(path, f"NPZ member {info.filename} has {info.file_size} bytes, more than the "
                                    f"{SMALL_MEMBER} it needs")
    with archive.open(info) as stream:
        shape, dtype, offset = _npy_header(path, stream, info.filename, info.file_size)
        raw = stream.read(info.file_size - offset)
        _finish(path, stream, info.filename)
    return np.frombuffer(raw, dtype=dtype).reshape(shape)


def _sparse_kind(path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    value = _small_value(path, archive, info)
    if value.shape != () or value.dtype.kind not in "SU":
        raise FileFormatError(path, f"NPZ member format.npy holds a {value.dtype} array of shape {value.shape}, "
                                    "expected a format name such as b'csr'")
    item = value.item()
    kind = item.decode("latin-1") if isinstance(item, bytes) else item
    if kind not in ENTRY_MEMBERS:
        raise FileFormatError(path, f"sparse format {kind[:20]!r} is not read: only {', '.join(ENTRY_MEMBERS)}")
    return kind


def _matrix_shape(path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
    value = _small_value(path, archive, info)
    if value.shape != (2,) or value.dtype.kind not in "iu":
        raise FileFormatError(path, f"NPZ member shape.npy holds a {value.dtype} array of shape {value.shape}, "
                                    "expected two integers")
    rows, cols = (int(side) for side in value)
    if min(rows, cols) < 1:
        raise FileFormatError(path, f"matrix has shape ({rows}, {cols}); both sides must be at least 1")
    if max(rows, cols) > MAX_DIM:
        raise FileFormatError(path, f"shape ({rows}, {cols}) is larger than the limits, sides up to {MAX_DIM}")
    return rows, cols


# --- the entries, chunk by chunk -------------------------------------------------------------------

def _read_exactly(path, stream, member: Member, count: int) -> np.ndarray:
    size = count * member.dtype.itemsize
    raw = stream.read(size)
    if len(raw) != size:
        raise FileFormatError(path, f"NPZ member {member.name}.npy ends before its {member.count} elements")
    return np.frombuffer(raw, dtype=member.dtype)


def _finish(path, stream, member_name: str) -> None:
    """Read past the member's last byte, which makes zipfile check its CRC."""
    if stream.read(1):
        raise FileFormatError(path, f"NPZ member {member_name} is longer than its NPY header says")


def _pointers(path, archive: zipfile.ZipFile, header: SparseHeader) -> np.ndarray:
    """indptr, checked: starts at 0, never decreases, ends at the number of entries."""
    member = header.members["indptr"]
    with archive.open(member.info) as stream:
        stream.read(member.data_offset)
        indptr = _read_exactly(path, stream, member, member.count).astype(np.int64)
        _finish(path, stream, member.info.filename)
    if member.dtype.kind == "u" and member.dtype.itemsize == 8 and indptr.size and (indptr < 0).any():
        raise FileFormatError(path, "NPZ member indptr.npy holds a pointer beyond the int64 range")
    steps = np.diff(indptr)
    if indptr[0] != 0 or indptr[-1] != header.entries or (steps < 0).any():
        raise FileFormatError(path, f"NPZ member indptr.npy is not a valid index pointer (it must rise from 0 to the "
                                    f"{header.entries} stored entries)")
    return indptr


def _entries(path, archive: zipfile.ZipFile, header: SparseHeader) -> Iterator[tuple[int, np.ndarray, np.ndarray,
                                                                                  np.ndarray]]:
    """(first entry, rows, columns, values) of the stored entries, CHUNK_ENTRIES at a time, the
    indices checked against the shape."""
    M, E = header.shape  # noqa: N806
    indptr = _pointers(path, archive, header) if header.kind != "coo" else None
    names = ENTRY_MEMBERS[header.kind]
    with contextlib.ExitStack() as stack:
        streams = {}
        for name in names:
            member = header.members[name]
            streams[name] = stack.enter_context(archive.open(member.info))
            streams[name].read(member.data_offset)
        for first in range(0, header.entries, CHUNK_ENTRIES):
            count = min(CHUNK_ENTRIES, header.entries - first)
            arrays = {name: _read_exactly(path, streams[name], header.members[name], count) for name in names}
            if header.kind == "coo":
                rows, cols = _index(path, arrays["row"], M, "row", first), _index(path, arrays["col"], E, "col", first)
            else:
                minor_size = E if header.kind == "csr" else M
                major = np.searchsorted(indptr, np.arange(first, first + count), side="right") - 1
                minor = _index(path, arrays["indices"], minor_size, "indices", first)
                rows, cols = (major, minor) if header.kind == "csr" else (minor, major)
            yield first, rows, cols, arrays["data"]
        for name in names:
            _finish(path, streams[name], header.members[name].info.filename)


def _index(path, values: np.ndarray, size: int, name: str, first: int) -> np.ndarray:
    outside = (values < 0) | (values >= size) if values.dtype.kind == "i" else values >= size
    if outside.any():
        at = int(np.argmax(outside))
        raise FileFormatError(path, f"NPZ member {name}.npy: entry {first + at} is {values[at].item()}, outside "
                                    f"0..{size - 1}")
    return values.astype(np.int64)


def _ones(path, archive: zipfile.ZipFile, header: SparseHeader) -> Iterator[tuple[np.ndarray, np.ndarray, bool]]:
    """(rows, columns) of the entries whose value is 1, a chunk at a time, after checking every
    value is 0 or 1; and whether the chunk's entries are strictly in storage order (row-major
    for CSR and COO, column-major for CSC), which rules out a repeated (row, column)."""
    M, E = header.shape  # noqa: N806
    last = -1
    for first, rows, cols, values in _entries(path, archive, header):
        one, zero = values == 1, values == 0
        bad = ~(one | zero)
        if bad.any():
            at = int(np.argmax(bad))
            raise FileFormatError(path, f"value {values[at].item()!r} at row {rows[at]}, column {cols[at]}: only 0 "
                                        "and 1 are allowed")
        keys = cols * M + rows if header.kind == "csc" else rows * E + cols
        in_order = bool(keys.size == 0 or (keys[0] > last and (keys[1:] > keys[:-1]).all()))
        if keys.size:
            last = int(keys[-1])
        yield rows[one], cols[one], in_order


def _refuse_repeats(path, archive: zipfile.ZipFile, header: SparseHeader, ones: int) -> None:
    """Entries out of storage order: sort the ones' (row, column) keys and refuse a repeat."""
    E = header.shape[1]  # noqa: N806
    keys = np.empty(ones, dtype=np.int64)
    filled = 0
    for rows, cols, _ in _ones(path, archive, header):
        keys[filled : filled + rows.size] = rows * E + cols
        filled += rows.size
    keys.sort()
    repeated = np.flatnonzero(keys[1:] == keys[:-1])
    if repeated.size:
        row, col = divmod(int(keys[repeated[0]]), E)
        raise FileFormatError(path, f"row {row}, column {col} is stored twice with value 1 (SciPy adds repeated "
                                    "entries: 2 is not 0 or 1); call sum_duplicates() before save_npz")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
