"""NPY matrix reading: dtypes, chunked degree counting, malformed files."""

from __future__ import annotations

import math
import struct
import warnings
from pathlib import Path

import numpy as np
import pytest

from phase_router import FileFormatError, InputFileError
from phase_router.io import detect_format, load_npy, npy_row_degrees, read_matrix, read_npy_matrix, read_row_degrees
from phase_router.io import npy as npy_module


@pytest.fixture
def samples() -> Path:
    return Path(__file__).resolve().parents[2] / "samples"


def _matrix(rows: int, cols: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((rows, cols)) < 0.45


def _save(path: Path, array: np.ndarray, **kwargs) -> Path:
    np.save(path, array, **kwargs)
    return path


@pytest.mark.parametrize("dtype", [bool, np.uint8, np.int8, np.int64, np.uint16, np.float32, np.float64, ">i4", "<f8"])
@pytest.mark.parametrize("order", ["C", "F"])
def test_degrees_and_matrix(tmp_path: Path, dtype, order: str) -> None:
    matrix = _matrix(17, 9)
    path = _save(tmp_path / "m.npy", np.asarray(matrix.astype(dtype), order=order))
    degrees, shape = npy_row_degrees(path)
    assert shape == (17, 9)
    assert degrees.shape == (17,)
    np.testing.assert_array_equal(degrees, matrix.sum(axis=1))
    read = read_npy_matrix(path)
    assert read.dtype == bool
    np.testing.assert_array_equal(read, matrix)
    # the dispatching readers agree
    assert detect_format(path) == "npy"
    np.testing.assert_array_equal(read_matrix(path), matrix)
    np.testing.assert_array_equal(read_row_degrees(path)[0], matrix.sum(axis=1))


@pytest.mark.parametrize("shape", [(1, 1), (1, 50), (50, 1)])
def test_thin_matrices(tmp_path: Path, shape) -> None:
    matrix = _matrix(*shape, seed=3)
    matrix[0, 0] = True
    path = _save(tmp_path / "m.npy", matrix.astype(np.uint8))
    degrees, got = npy_row_degrees(path)
    assert got == shape
    np.testing.assert_array_equal(degrees, matrix.sum(axis=1))


def test_all_ones_and_zeros(tmp_path: Path) -> None:
    path = _save(tmp_path / "ones.npy", np.ones((4, 6), dtype=np.float64))
    assert npy_row_degrees(path)[0].tolist() == [6, 6, 6, 6]
    path = _save(tmp_path / "zeros.npy", np.zeros((3, 6), dtype=np.int64))
    assert npy_row_degrees(path)[0].tolist() == [0, 0, 0]
    assert not read_npy_matrix(path).any()


def test_samples(samples: Path) -> None:
    for name, shape in (("rect_S.npy", (300, 40)), ("rect_T.npy", (40, 300))):
        raw = np.load(samples / name)
        assert raw.dtype == np.uint8
        degrees, got = npy_row_degrees(samples / name)
        assert got == shape
        np.testing.assert_array_equal(degrees, raw.sum(axis=1))
        np.testing.assert_array_equal(read_npy_matrix(samples / name), raw.astype(bool))


@pytest.mark.parametrize("chunk_elements", [7, 13, 39, 91, 650, 10**9])
def test_chunked_degrees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_elements: int) -> None:
    """A matrix read in many chunks (the chunk need not divide the rows) gives the same degrees."""
    matrix = _matrix(50, 13, seed=9)
    path = _save(tmp_path / "m.npy", matrix.astype(np.int64))
    monkeypatch.setattr(npy_module, "BLOCK_BYTES", chunk_elements * 8)  # int64 elements
    calls = []
    real_check = npy_module._check_binary

    def counting_check(path_, chunk, first_row, first_col=0):
        calls.append((first_row, chunk.shape[0]))
        return real_check(path_, chunk, first_row, first_col)

    monkeypatch.setattr(npy_module, "_check_binary", counting_check)
    degrees, shape = npy_module.npy_row_degrees_numpy(path)  # the NumPy path (bad values, odd dtypes)
    assert shape == (50, 13)
    np.testing.assert_array_equal(degrees, matrix.sum(axis=1))
    step = max(1, chunk_elements // 13)
    assert len(calls) == math.ceil(50 / step)
    assert [first for first, _ in calls] == list(range(0, 50, step))
    assert sum(rows for _, rows in calls) == 50


def test_bad_value_in_a_later_chunk_reports_the_true_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    matrix = _matrix(50, 13, seed=2).astype(np.uint8)
    matrix[41, 5] = 7
    path = _save(tmp_path / "m.npy", matrix)
    for name in ("CHUNK_BYTES", "BLOCK_BYTES"):  # 7 rows a chunk: row 41 is in the 6th chunk (C++ and NumPy)
        monkeypatch.setattr(npy_module, name, 91)
    with pytest.raises(FileFormatError) as info:
        npy_row_degrees(path)
    assert str(info.value).startswith(f"{path}: ")
    assert "value 7 at row 41, column 5" in str(info.value)


# --------------------------------------------------------------------------- malformed files


def _expect_error(path: Path, *fragments: str) -> None:
    for reader in (npy_row_degrees, read_npy_matrix, read_row_degrees, read_matrix):
        with pytest.raises(FileFormatError) as info:
            reader(path)
        message = str(info.value)
        assert message.startswith(f"{path}: "), message
        for fragment in fragments:
            assert fragment in message, message
        assert "\n" not in message


@pytest.mark.parametrize(
    "array, fragment",
    [
        (np.array([0, 1, 1], dtype=np.uint8), "1-D"),
        (np.zeros((2, 3, 4), dtype=np.uint8), "3-D"),
        (np.array(1, dtype=np.uint8), "0-D"),
    ],
    ids=["1-D", "3-D", "0-D"],
)
def test_wrong_ndim(tmp_path: Path, array: np.ndarray, fragment: str) -> None:
    _expect_error(_save(tmp_path / "m.npy", array), "expected a 2-D", fragment)


@pytest.mark.parametrize(
    "dtype, value, shown",
    [
        (np.uint8, 2, "value 2 "),
        (np.int64, -1, "value -1 "),
        (np.float64, 0.5, "value 0.5 "),
        (np.float32, np.nan, "value nan "),
        (np.float64, np.inf, "value inf "),
        (np.int16, 255, "value 255 "),
    ],
)
def test_non_binary_values(tmp_path: Path, dtype, value, shown: str) -> None:
    matrix = np.zeros((4, 5), dtype=dtype)
    matrix[0, 0] = 1
    matrix[2, 3] = value
    path = _save(tmp_path / "m.npy", matrix)
    _expect_error(path, shown, "row 2, column 3", "only 0 and 1")


def test_first_bad_value_is_reported(tmp_path: Path) -> None:
    matrix = np.zeros((5, 5), dtype=np.int32)
    matrix[3, 1] = 4
    matrix[1, 4] = 3
    _expect_error(_save(tmp_path / "m.npy", matrix), "value 3 at row 1, column 4")


def test_object_dtype(tmp_path: Path) -> None:
    array = np.empty((2, 2), dtype=object)
    array[:] = [[0, 1], [1, "x"]]
    path = _save(tmp_path / "obj.npy", array, allow_pickle=True)
    _expect_error(path, "not a valid NPY file")
    with pytest.raises(FileFormatError):
        load_npy(path)


def test_complex_dtype(tmp_path: Path) -> None:
    _expect_error(_save(tmp_path / "c.npy", np.ones((2, 2), dtype=np.complex128)), "complex128")


def test_string_and_structured_dtypes(tmp_path: Path) -> None:
    _expect_error(_save(tmp_path / "s.npy", np.array([["0", "1"]])), "dtype")
    structured = np.zeros((2, 2), dtype=[("a", np.uint8), ("b", np.uint8)])
    _expect_error(_save(tmp_path / "r.npy", structured), "dtype")


@pytest.mark.parametrize("chop", [1, 7, 200])
def test_truncated(tmp_path: Path, chop: int) -> None:
    path = _save(tmp_path / "t.npy", np.ones((20, 20), dtype=np.uint8))
    data = path.read_bytes()
    path.write_bytes(data[:-chop])
    _expect_error(path, "not a valid NPY file")


def test_truncated_header(tmp_path: Path) -> None:
    path = _save(tmp_path / "t.npy", np.ones((20, 20), dtype=np.uint8))
    path.write_bytes(path.read_bytes()[:30])
    _expect_error(path, "not a valid NPY file")


@pytest.mark.parametrize(
    "data",
    [
        b"\x93NUMPY\x01\x00garbagegarbage",
        b"\x93NUMPY\x01\x00\x10\x00{'descr': 'nonsense'}" + b"\x00" * 32,
        b"\x93NUMPY\x09\x09" + b"\x00" * 64,
        b"\x93NUMPY",
    ],
    ids=["garbage", "bad-dict", "bad-version", "magic-only"],
)
def test_garbage_after_magic(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "g.npy"
    path.write_bytes(data)
    assert detect_format(path) == "npy"
    _expect_error(path, "not a valid NPY file")


def _npy_with_header(header: bytes, version: bytes = b"\x01\x00") -> bytes:
    size = struct.pack("<H" if version == b"\x01\x00" else "<I", len(header))
    return b"\x93NUMPY" + version + size + header + b"\x01" * 4


@pytest.mark.parametrize(
    "header",
    [
        b"{",  # NumPy's header filter raises tokenize.TokenError
        b"(((",
        b'"""',
        b"  x\n y",  # IndentationError from the tokenizer
        b"{'descr': '<u1', 'fortran_order': False, b'shape': (2, 2), }",  # TypeError sorting the keys
        b"{'descr': '<u1', 'fortran_order': False, 'shape': (2**70, 2)}",
        b"{'descr': '<u1', 'fortran_order': False, 'shape': (-2, 2)}",
        b"{'descr': 'x', 'fortran_order': False, 'shape': (2, 2)}",
        b"{'descr': '<u1', 'fortran_order': 0, 'shape': (2, 2)}",
        b"{'descr': '<u1', 'fortran_order': False, 'shape': (2, 2), 'extra': 1}",
        b"{'descr': '<u1', 'fortran_order': False, 'shape': (4611686018427387904, 4)}",
        b"{'descr': '<u1', 'fortran_order': False, 'shape': (99999999, 99999999)}",
    ],
)
@pytest.mark.parametrize("version", [b"\x01\x00", b"\x02\x00"], ids=["v1", "v2"])
def test_malformed_header_dict(tmp_path: Path, header: bytes, version: bytes) -> None:
    """Whatever NumPy's header parser raises on a broken header, the user gets FileFormatError."""
    path = tmp_path / "h.npy"
    path.write_bytes(_npy_with_header(header, version))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy may warn about overflowing sizes
        _expect_error(path, "not a valid NPY file")


def test_hand_written_header_is_read(tmp_path: Path) -> None:
    """The helper above writes files NumPy accepts when the header is right."""
    path = tmp_path / "ok.npy"
    path.write_bytes(_npy_with_header(b"{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }"))
    assert npy_row_degrees(path)[0].tolist() == [2, 2]


@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (0, 0)])
def test_zero_size_dimension(tmp_path: Path, shape) -> None:
    _expect_error(_save(tmp_path / "z.npy", np.zeros(shape, dtype=np.uint8)), f"shape {shape}", "at least 1")


def test_missing_and_directory(tmp_path: Path) -> None:
    missing = tmp_path / "missing.npy"
    folder = tmp_path / "folder.npy"
    folder.mkdir()
    for reader in (npy_row_degrees, read_npy_matrix, load_npy):
        with pytest.raises(InputFileError) as info:
            reader(missing)
        assert not isinstance(info.value, FileFormatError)
        assert str(info.value) == f"{missing}: no such file"
        with pytest.raises(InputFileError) as info:
            reader(folder)
        assert str(info.value).startswith(f"{folder}: ")
        assert "directory" in str(info.value)


def test_load_npy_reads_into_memory_not_a_map(tmp_path: Path) -> None:
    """Never a memory map (a truncation under it is SIGBUS); C and Fortran order."""
    matrix = _matrix(6, 4).astype(np.uint8)
    for order in ("C", "F"):
        array = load_npy(_save(tmp_path / f"m{order}.npy", np.asarray(matrix, order=order)))
        assert not isinstance(array, np.memmap) and not isinstance(array.base, np.memmap)
        np.testing.assert_array_equal(array, matrix)


@pytest.mark.parametrize("chunk_bytes", [1, 5, 24, 10**9])
def test_fortran_order_matrix_in_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_bytes: int) -> None:
    matrix = _matrix(9, 7, seed=3)
    path = _save(tmp_path / "f.npy", np.asfortranarray(matrix.astype(np.int16)))
    monkeypatch.setattr(npy_module, "BLOCK_BYTES", chunk_bytes)  # Fortran order: the NumPy path
    np.testing.assert_array_equal(npy_row_degrees(path)[0], matrix.sum(axis=1))
    np.testing.assert_array_equal(read_npy_matrix(path), matrix.astype(bool))
    bad = np.asfortranarray(matrix.astype(np.int16))
    bad[4, 5] = 3
    _expect_error(_save(tmp_path / "bad.npy", bad), "value 3 at row 4, column 5")
