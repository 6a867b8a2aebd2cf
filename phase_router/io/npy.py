"""NPY matrices, read with ordinary reads into bounded buffers, chunk by chunk.

Never through a memory map: a file truncated by another process while it is mapped turns the
next access into SIGBUS, which kills the process (no message, no cleanup). With reads, a file
that shrinks or grows while it is read is one FileFormatError ("changed while being read").
Every length in the header is checked against the file's size before anything is read or
allocated from it.

C-order files of the dtypes the C++ pass reads (nearly all of them) are read by C++ threads that
each read a chunk and count or check it at once (_read_in_cpp); the rest, and files with a value
other than 0/1 (to name it), go through NumPy block by block (_blocks).
"""

from __future__ import annotations

import io
import math
import os
import tokenize
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .. import _core
from .._internal.matrix_degrees import dense_kind, first_non_binary
from .._internal.scalars import MAX_DIM
from .._internal.threads import threads_for_scan
from ..errors import FileFormatError
from .files import (changed_while_read, check_unchanged, open_input, pread_exactly, read_exactly, read_failed,
                    reads_streams)

# A C++ reading thread's chunk: counted or checked right after the read copied it in, so it should
# still be in the core's own cache (L2: 1 MiB a core on the development machine) then; with no
# Python between chunks, small chunks cost only a system call each. On one thread (what a busy
# machine leaves) a cached 256 MiB file's row degrees took 1.25x a memory map's time with 512 KiB
# chunks, 1.26x with 256 KiB, 1.36x with 1 MiB and 1.50x with 4 MiB (medians of 21, AVX-512 path).
CHUNK_BYTES = 512 * 2**10
READ_THREADS = 4  # threads reading chunks at once (at most one per core)
# A block of the NumPy path: large, since every block costs Python and NumPy calls.
BLOCK_BYTES = 4 * 2**20
MAGIC = b"\x93NUMPY"
HEADER_LIMIT = 64 * 1024  # NumPy writes headers of a few hundred bytes; its own reader stops at 10,000

# What _core.file_row_degrees and file_bool_matrix report besides their result.
_OK, _NOT_BINARY, _ENDED, _READ_ERROR = 0, 1, 2, 3

# A malformed header can fail in NumPy's header parser with any of these; they are about the
# file, not about our call.
_HEADER_ERRORS = (ValueError, OSError, EOFError, SyntaxError, TypeError, OverflowError, tokenize.TokenError)


@dataclass(frozen=True)
class NpyHeader:
    shape: tuple[int, ...]
    dtype: np.dtype
    fortran_order: bool
    data_offset: int  # where the data starts
    file_size: int  # when the header was read; a different size later means the file changed

    @property
    def data_bytes(self) -> int:
        return math.prod(self.shape) * self.dtype.itemsize


def _invalid(path, problem: str) -> FileFormatError:
    return FileFormatError(path, f"not a valid NPY file ({problem})")


@reads_streams
def read_npy_header(path: str | os.PathLike[str]) -> NpyHeader:
    """Parse and check an NPY header: the header's own length and the data's size are checked
    against the file's size before either is read, so a 20-byte file declaring a 4 GiB header
    (NPY v2 stores the length in 4 bytes) is refused at once, with nothing allocated."""
    with open_input(path) as handle:  # missing / unreadable / directory: clear InputFileError
        size = os.fstat(handle.fileno()).st_size
        prefix = handle.read(8)
        if len(prefix) < 8 or not prefix.startswith(MAGIC):
            raise _invalid(path, f"{len(prefix)}-byte file without the NPY magic and version" if len(prefix) < 8
                           else f"starts with {prefix[:6]!r}, not the NPY magic")
        version = (prefix[6], prefix[7])
        if version not in ((1, 0), (2, 0)):  # 3.0 only adds UTF-8 field names: not a 0/1 matrix
            raise _invalid(path, f"unsupported NPY version {version[0]}.{version[1]}")
        width = 2 if version == (1, 0) else 4
        length_field = handle.read(width)
        if len(length_field) < width:
            raise _invalid(path, f"truncated: the file ends inside the {width}-byte header length")
        header_length = int.from_bytes(length_field, "little")
        left = size - 8 - width
        if header_length > left:
            raise _invalid(path, f"truncated: the header length says {header_length} bytes, but only {left} "
                                 "bytes follow it")
        if header_length > HEADER_LIMIT:
            raise _invalid(path, f"header of {header_length} bytes is longer than the limit {HEADER_LIMIT}")
        text = handle.read(header_length)
        if len(text) < header_length:
            check_unchanged(handle, path, size)  # it shrank after the size was taken
    read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    try:
        # NumPy warns (on stderr, breaking the CLI's one-line errors) about Python 2 style headers;
        # the header is checked here, so the warning says nothing the user needs.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            shape, fortran_order, dtype = read(io.BytesIO(length_field + text), max_header_size=HEADER_LIMIT)
    except _HEADER_ERRORS as exc:
        raise _invalid(path, _first_line(exc)) from None
    if dtype.hasobject:
        raise _invalid(path, f"dtype {dtype} holds Python objects (pickles), which are never loaded")
    if dtype.itemsize == 0:
        raise _invalid(path, f"dtype {dtype} has no size")
    header = NpyHeader(tuple(int(side) for side in shape), dtype, bool(fortran_order), 8 + width + header_length,
                       size)
    if any(side < 0 for side in header.shape):
        raise _invalid(path, f"shape {header.shape} has a negative side")
    if any(side > MAX_DIM for side in header.shape) or math.prod(max(1, s) for s in header.shape) > MAX_DIM**2:
        raise _invalid(path, f"shape {header.shape} is larger than the limits, sides up to {MAX_DIM}")
    available = size - header.data_offset
    if header.data_bytes > available:  # Python ints: no overflow
        raise _invalid(path, f"truncated: header says shape {header.shape} of {dtype}, which needs "
                             f"{header.data_bytes} bytes, but only {available} bytes follow the header")
    return header


@reads_streams
def load_npy(path: str | os.PathLike[str]) -> np.ndarray:
    """The whole array in an NPY file (no pickles), read in chunks into memory the array owns;
    malformed, truncated or changing files raise FileFormatError."""
    header = read_npy_header(path)
    flat = np.empty(header.data_bytes, dtype=np.uint8)
    with open_input(path) as handle:
        check_unchanged(handle, path, header.file_size)
        handle.seek(header.data_offset)
        view = memoryview(flat)
        for start in range(0, header.data_bytes, BLOCK_BYTES):
            read_exactly(handle, view[start : start + BLOCK_BYTES], path, expected_size=header.file_size)
        check_unchanged(handle, path, header.file_size)
    order = "F" if header.fortran_order else "C"
    return flat.view(header.dtype).reshape(header.shape, order=order)


def npy_matrix_header(path) -> NpyHeader:
    header = read_npy_header(path)
    shape = header.shape
    if len(shape) != 2:
        raise FileFormatError(path, f"expected a 2-D 0/1 matrix, got a {len(shape)}-D array of shape {shape}")
    if header.dtype.kind not in "buif":
        raise FileFormatError(path, f"expected bool, integer or float 0/1 values, got dtype {header.dtype}")
    if shape[0] < 1 or shape[1] < 1:
        raise FileFormatError(path, f"matrix has shape {shape}; both sides must be at least 1")
    return header


@reads_streams
def npy_matrix_shape(path: str | os.PathLike[str]) -> tuple[int, int]:
    """(rows, columns) of a 0/1 NPY matrix, from its header alone."""
    rows, cols = npy_matrix_header(path).shape
    return rows, cols


def _blocks(path, header: NpyHeader) -> Iterator[tuple[int, int, np.ndarray]]:
    """(first row, first column, block) of a 2-D NPY's data, in file order: whole rows at a time
    (whole columns when Fortran-ordered), about BLOCK_BYTES each. Two buffers take turns: while
    the caller works on one block, a helper thread reads the next (a read copies the data, which
    a memory map did not; overlapping the copy with the caller's pass hides most of it). A block
    is valid until the next one is asked for."""
    rows, cols = header.shape
    lines, line_length = (cols, rows) if header.fortran_order else (rows, cols)
    line_bytes = line_length * header.dtype.itemsize
    per_chunk = max(1, BLOCK_BYTES // line_bytes)
    starts = range(0, lines, per_chunk)
    buffers = [np.empty(min(per_chunk, lines) * line_bytes, dtype=np.uint8) for _ in range(min(2, len(starts)))]

    def read(number: int) -> np.ndarray:
        first = starts[number]
        count = min(per_chunk, lines - first)
        data = buffers[number % len(buffers)][: count * line_bytes]
        pread_exactly(fd, memoryview(data), header.data_offset + first * line_bytes, path,
                      expected_size=header.file_size)
        block = data.view(header.dtype).reshape(count, line_length)
        return block.T if header.fortran_order else block

    from concurrent.futures import ThreadPoolExecutor  # here: loaded when an NPY file is read, not at every start

    with open_input(path) as handle, ThreadPoolExecutor(1, thread_name_prefix="npy-read") as pool:
        check_unchanged(handle, path, header.file_size)
        fd = handle.fileno()
        pending = pool.submit(read, 0)
        for number, first in enumerate(starts):
            block = pending.result()
            if number + 1 < len(starts):
                pending = pool.submit(read, number + 1)  # into the other buffer
            yield (0, first, block) if header.fortran_order else (first, 0, block)
        check_unchanged(handle, path, header.file_size)


@reads_streams
def npy_row_degrees(path: str | os.PathLike[str]) -> tuple[np.ndarray, tuple[int, int]]:
    """Ones per row and the shape of a 0/1 NPY matrix, read and counted in C++ chunk by chunk
    (see _read_in_cpp), checking values as it counts. A file with a value other than 0/1 is
    scanned again by NumPy, which names the first one; Fortran order and dtypes the C++ pass does
    not read go to the NumPy scan."""
    header = npy_matrix_header(path)
    degrees = _read_in_cpp(path, header, _core.file_row_degrees)
    if degrees is None:
        return npy_row_degrees_numpy(path)
    return degrees, header.shape


def _read_in_cpp(path, header: NpyHeader, reader) -> np.ndarray | None:
    """What `reader` (_core.file_row_degrees or file_bool_matrix) makes of a C-order file's data:
    it reads chunks of at most CHUNK_BYTES with positional reads on a few threads, each thread
    processing the chunk it just read while it is in its cache, with no Python between chunks.
    None when the C++ pass does not read this layout or dtype, or when some value is not 0/1
    (the caller's NumPy path then names it). A file that ends early or changes size is one
    FileFormatError; a failed read is an OSError naming the file."""
    kind = None if header.fortran_order else dense_kind(header.dtype)
    if kind is None:
        return None
    rows, cols = header.shape
    threads = 1 if threads_for_scan(header.data_bytes) == 1 else max(1, min(READ_THREADS, os.cpu_count() or 1))
    with open_input(path) as handle:
        check_unchanged(handle, path, header.file_size)
        fd = handle.fileno()
        result, status, error = reader(fd, header.data_offset, rows, cols, header.dtype.itemsize, kind, CHUNK_BYTES,
                                       threads)
        if status == _ENDED:
            raise changed_while_read(path, header.file_size, os.fstat(fd).st_size)
        if status == _READ_ERROR:
            raise read_failed(error, path)
        check_unchanged(handle, path, header.file_size)
    return result if status == _OK else None


@reads_streams
def npy_row_degrees_numpy(path: str | os.PathLike[str]) -> tuple[np.ndarray, tuple[int, int]]:
    """The NumPy scan, chunk by chunk (the path before the C++ pass; kept for its messages and as
    the benchmark's "before" column)."""
    header = npy_matrix_header(path)
    degrees = np.zeros(header.shape[0], dtype=np.uint32)
    for first_row, first_col, block in _blocks(path, header):
        _check_binary(path, block, first_row, first_col)
        degrees[first_row : first_row + block.shape[0]] += np.count_nonzero(block, axis=1).astype(np.uint32)
    return degrees, header.shape


@reads_streams
def read_npy_matrix(path: str | os.PathLike[str]) -> np.ndarray:
    """The whole 0/1 matrix as a bool array: C-order files are read by C++ (one-byte dtypes
    straight into the result, see _read_in_cpp), the rest and files with a value other than 0/1
    (to name it) by NumPy, block by block."""
    header = npy_matrix_header(path)
    matrix = _read_in_cpp(path, header, _core.file_bool_matrix)
    if matrix is not None:
        return matrix
    matrix = np.empty(header.shape, dtype=bool)
    for first_row, first_col, block in _blocks(path, header):
        _check_binary(path, block, first_row, first_col)
        rows, cols = block.shape
        matrix[first_row : first_row + rows, first_col : first_col + cols] = block != 0
    return matrix


@reads_streams
def read_npy_weights(path: str | os.PathLike[str]) -> np.ndarray:
    """The whole matrix as float64 weights: any real dtype, every value finite and non-negative."""
    header = npy_matrix_header(path)
    matrix = np.empty(header.shape, dtype=np.float64)
    for first_row, first_col, block in _blocks(path, header):
        values = block.astype(np.float64)
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            r, c = (int(n) for n in np.argwhere(bad)[0])
            raise FileFormatError(path, f"value {block[r, c].item()!r} at row {first_row + r}, column {first_col + c}: "
                                        "weights must be finite and non-negative")
        rows, cols = block.shape
        matrix[first_row : first_row + rows, first_col : first_col + cols] = values
    return matrix


def _check_binary(path, block: np.ndarray, first_row: int, first_col: int = 0) -> None:
    position = first_non_binary(block)
    if position is not None:
        r, c = position
        raise FileFormatError(
            path, f"value {block[r, c].item()!r} at row {first_row + r}, column {first_col + c}: only 0 and 1 "
            "are allowed"
        )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
