"""The C++ readers of C-order NPY data (_core.file_row_degrees, file_bool_matrix): positional
reads in chunks of bounded size on a few threads, never a memory map. Every chunking (chunks of
whole rows, rows longer than a chunk read in pieces, sizes that divide nothing), every dtype the
pass reads, files that end early or change between chunks, and failed reads give exactly what
NumPy reads from the file, or one error naming it."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np
import pytest

from phase_router import FileFormatError, _core
from phase_router._internal.matrix_degrees import dense_kind
from phase_router.io import npy as npy_module
from phase_router.io import npy_row_degrees, read_npy_header, read_npy_matrix

OK, NOT_BINARY, ENDED, READ_ERROR = 0, 1, 2, 3
DTYPES = [np.bool_, np.uint8, np.int8, np.uint16, np.int32, np.uint64, np.int64, np.float16, np.float32, np.float64]
# (rows, cols): one element, one row, one column, rows that do not fill a chunk evenly, rows
# longer than the small chunks below (read in pieces), a prime-sized odd one.
SHAPES = [(1, 1), (1, 50), (50, 1), (17, 9), (3, 1000), (61, 37)]
# In bytes: below one element, odd, a few elements, a few rows, larger than the file.
CHUNKS = [1, 3, 7, 64, 1000, 4096, 10**9]


def _bits(rows: int, cols: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random((rows, cols)) < 0.45


def _save(path: Path, array: np.ndarray) -> Path:
    np.save(path, array)
    return path


def _read(reader, path: Path, chunk_bytes: int, threads: int, rows: int | None = None, header=None):
    """reader over the file's data as its header describes it (rows: pretend it has this many;
    header: the header read before the file was cut)."""
    header = header or read_npy_header(path)
    kind = dense_kind(header.dtype)
    assert kind is not None and not header.fortran_order
    shape_rows, cols = header.shape
    with open(path, "rb") as handle:
        return reader(handle.fileno(), header.data_offset, shape_rows if rows is None else rows, cols,
                      header.dtype.itemsize, kind, chunk_bytes, threads)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_every_chunking_gives_numpy_answers(tmp_path: Path, dtype, shape) -> None:
    bits = _bits(*shape, seed=shape[0] * 100 + shape[1])
    path = _save(tmp_path / "m.npy", bits.astype(dtype))
    for chunk_bytes in CHUNKS:
        for threads in (1, 2, 3):
            degrees, status, error = _read(_core.file_row_degrees, path, chunk_bytes, threads)
            assert (status, error) == (OK, 0)
            assert degrees.dtype == np.uint32
            np.testing.assert_array_equal(degrees, bits.sum(axis=1), err_msg=f"chunk {chunk_bytes}")
            matrix, status, error = _read(_core.file_bool_matrix, path, chunk_bytes, threads)
            assert (status, error) == (OK, 0)
            assert matrix.dtype == bool and matrix.flags.c_contiguous
            np.testing.assert_array_equal(matrix, bits, err_msg=f"chunk {chunk_bytes}")


def test_no_rows(tmp_path: Path) -> None:
    """A header's checks refuse empty matrices first; the readers themselves read nothing."""
    path = _save(tmp_path / "m.npy", np.ones((2, 5), dtype=np.uint8))
    for reader in (_core.file_row_degrees, _core.file_bool_matrix):
        result, status, _ = _read(reader, path, 64, 2, rows=0)
        assert status == OK and result.shape[0] == 0


def test_bool_bytes_other_than_one_are_true(tmp_path: Path) -> None:
    """NumPy reads any nonzero byte of a bool array as True; so do the readers (never an error)."""
    raw = np.zeros((9, 40), dtype=np.uint8)
    raw[2, 3], raw[2, 4], raw[8, 39] = 2, 255, 1
    path = _save(tmp_path / "m.npy", raw.view(np.bool_))
    expected = np.load(path)
    for chunk_bytes in (7, 40, 10**9):
        degrees, status, _ = _read(_core.file_row_degrees, path, chunk_bytes, 2)
        assert status == OK and degrees.tolist() == expected.sum(axis=1).tolist()
        matrix, status, _ = _read(_core.file_bool_matrix, path, chunk_bytes, 2)
        assert status == OK and np.array_equal(matrix, expected) and set(np.unique(matrix.view(np.uint8))) <= {0, 1}


@pytest.mark.parametrize("dtype, value", [(np.uint8, 2), (np.int64, -1), (np.float32, 0.5), (np.float64, np.nan)])
def test_a_value_other_than_0_or_1_is_reported(tmp_path: Path, dtype, value) -> None:
    matrix = _bits(30, 70, seed=1).astype(dtype)
    matrix[29, 69] = value  # the very last element: the last chunk and the last piece
    path = _save(tmp_path / "m.npy", matrix)
    for reader in (_core.file_row_degrees, _core.file_bool_matrix):
        for chunk_bytes in (3, 100, 10**9):
            assert _read(reader, path, chunk_bytes, 2)[1] == NOT_BINARY


@pytest.mark.parametrize("chunk_bytes", [5, 64, 1000])
def test_a_file_shorter_than_its_rows_ends_between_chunks(tmp_path: Path, chunk_bytes: int) -> None:
    """Read as if it had more rows than it has: the chunks before its end are read, the one
    past it reports the early end (a file truncated while it is read looks the same)."""
    path = _save(tmp_path / "m.npy", _bits(40, 33, seed=2).astype(np.uint8))
    for reader in (_core.file_row_degrees, _core.file_bool_matrix):
        for threads in (1, 2):
            for rows in (41, 80):
                assert _read(reader, path, chunk_bytes, threads, rows=rows)[1:] == (ENDED, 0)


def test_the_first_failure_in_file_order_is_reported(tmp_path: Path) -> None:
    """A file cut short after a bad value: the bad value, even when another thread reaches the
    end first (chunks of two rows; the last two rows gone)."""
    matrix = _bits(40, 33, seed=3).astype(np.uint8)
    for name, row, expected in (("first-chunk", 1, NOT_BINARY), ("chunk-before-the-end", 37, NOT_BINARY),
                                ("clean", None, ENDED)):
        data = matrix.copy()
        if row is not None:
            data[row, 0] = 9
        path = _save(tmp_path / f"{name}.npy", data)
        header = read_npy_header(path)
        path.write_bytes(path.read_bytes()[:-33 * 2])
        for reader in (_core.file_row_degrees, _core.file_bool_matrix):
            for threads in (1, 2, 3):
                assert _read(reader, path, 66, threads, header=header)[1] == expected, (name, reader, threads)


def test_a_failed_read_reports_its_errno() -> None:
    """A descriptor that cannot be read positionally (a pipe) fails with its errno, not a crash."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"\x00" * 64)
        for reader in (_core.file_row_degrees, _core.file_bool_matrix):
            _, status, error = reader(read_end, 0, 8, 8, 1, 1, 16, 1)
            assert (status, error) == (READ_ERROR, errno.ESPIPE)
    finally:
        os.close(read_end)
        os.close(write_end)


def test_bad_arguments_are_value_errors() -> None:
    for reader in (_core.file_row_degrees, _core.file_bool_matrix):
        with pytest.raises(ValueError):
            reader(0, 0, 2, 2, 1, 7, 16, 1)  # no such kind
        with pytest.raises(ValueError):
            reader(0, 0, 2**40, 2**40, 1, 1, 16, 1)  # more bytes than memory can address
        with pytest.raises(ValueError):
            reader(0, 0, 2, 2, 3, 1, 16, 1)  # a 3-byte integer


# --- through io.npy_row_degrees and read_npy_matrix ----------------------------------------------


@pytest.fixture(params=[1, 2], ids=["one-thread", "two-threads"])
def threads(request, monkeypatch: pytest.MonkeyPatch) -> int:
    """Small files are read on one thread; the two-thread path is taken here on small files too."""
    monkeypatch.setattr(npy_module, "threads_for_scan", lambda nbytes: request.param)
    monkeypatch.setattr(npy_module, "READ_THREADS", request.param)
    return request.param


@pytest.mark.parametrize("chunk_bytes", [1, 13, 333, 4096])
def test_readers_match_numpy_in_any_chunking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int,
                                             chunk_bytes: int) -> None:
    monkeypatch.setattr(npy_module, "CHUNK_BYTES", chunk_bytes)
    for shape in ((1, 1), (1, 300), (300, 1), (29, 31)):
        bits = _bits(*shape, seed=7)
        for dtype in (np.uint8, np.bool_, np.int16, np.float64):
            path = _save(tmp_path / "m.npy", bits.astype(dtype))
            degrees, got = npy_row_degrees(path)
            assert got == shape
            np.testing.assert_array_equal(degrees, bits.sum(axis=1))
            np.testing.assert_array_equal(read_npy_matrix(path), bits)


def test_bad_value_in_a_later_chunk_is_named_by_its_position(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             threads: int) -> None:
    monkeypatch.setattr(npy_module, "CHUNK_BYTES", 64)
    matrix = _bits(50, 40, seed=4).astype(np.int16)
    matrix[44, 7], matrix[45, 0] = 5, 6
    path = _save(tmp_path / "bad.npy", matrix)
    for reader in (npy_row_degrees, read_npy_matrix):
        with pytest.raises(FileFormatError) as info:
            reader(path)
        assert str(info.value) == f"{path}: value 5 at row 44, column 7: only 0 and 1 are allowed"


def _change_after_first_check(monkeypatch: pytest.MonkeyPatch, path: Path, change) -> None:
    """The file changes right after the size check before its data is read."""
    real = npy_module.check_unchanged
    calls = []

    def check_then_change(handle, path_, expected_size):
        real(handle, path_, expected_size)
        if not calls:
            calls.append(1)
            change(path)

    monkeypatch.setattr(npy_module, "check_unchanged", check_then_change)


@pytest.mark.parametrize("reader", [npy_row_degrees, read_npy_matrix], ids=["degrees", "matrix"])
@pytest.mark.parametrize("keep", [0.0, 0.5, 0.999], ids=["to-the-header", "half", "all-but-a-few-bytes"])
def test_a_file_truncated_while_read_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int,
                                                 reader, keep: float) -> None:
    monkeypatch.setattr(npy_module, "CHUNK_BYTES", 1000)  # many chunks: the end falls between two
    path = _save(tmp_path / "m.npy", _bits(200, 77, seed=5).astype(np.uint8))
    header = read_npy_header(path)
    size = header.file_size
    new_size = header.data_offset + int((size - header.data_offset) * keep)
    _change_after_first_check(monkeypatch, path, lambda p: os.truncate(p, new_size))
    with pytest.raises(FileFormatError) as info:
        reader(path)
    assert str(info.value).startswith(f"{path}: changed while being read (it was {size} bytes when its header "
                                      f"was checked, now {new_size})")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("reader", [npy_row_degrees, read_npy_matrix], ids=["degrees", "matrix"])
def test_a_file_grown_while_read_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int,
                                             reader) -> None:
    monkeypatch.setattr(npy_module, "CHUNK_BYTES", 1000)
    path = _save(tmp_path / "m.npy", _bits(200, 77, seed=6).astype(np.uint8))

    def grow(p: Path) -> None:
        with open(p, "ab") as grown:
            grown.write(b"\x01" * 100)

    _change_after_first_check(monkeypatch, path, grow)
    with pytest.raises(FileFormatError) as info:
        reader(path)
    assert str(info.value).startswith(f"{path}: changed while being read")


def test_a_failed_read_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _save(tmp_path / "m.npy", _bits(5, 5, seed=8).astype(np.uint8))
    for name, reader in (("file_row_degrees", npy_row_degrees), ("file_bool_matrix", read_npy_matrix)):
        monkeypatch.setattr(npy_module._core, name, lambda *args: (None, READ_ERROR, errno.EIO))
        with pytest.raises(OSError) as info:
            reader(path)
        assert info.value.errno == errno.EIO and info.value.filename == str(path)
