"""The C++ row-degree pass against the reference degrees, for every dtype, memory
layout and file format it reads: arrays (bool, integers, floats; C, Fortran, sliced, reversed),
memory-mapped NPY files and P1 text. Bad values must be caught by the fused 0/1 check and named
exactly as the NumPy path names them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import phase_router as pr
from phase_router import _core
from phase_router._internal.matrix_degrees import dense_row_degrees, matrix_row_degrees, matrix_row_degrees_numpy
from phase_router.errors import FileFormatError, InvalidInputError
from phase_router.io import npy as npy_module
from phase_router.io import pbm as pbm_module
from phase_router.io import npy_row_degrees, pbm_row_degrees, read_pbm, write_pbm

FAST_DTYPES = [np.bool_, np.uint8, np.int8, np.uint16, np.int16, np.uint32, np.int32, np.uint64, np.int64,
               np.float16, np.float32, np.float64]
# Read by the NumPy path only (non-native byte order, extended precision): same answers.
SLOW_DTYPES = [np.dtype(">i4"), np.dtype(">f8"), np.dtype(">u2"), np.longdouble]


def _bits(rows: int, cols: int, seed: int, density: float = 0.5) -> np.ndarray:
    return np.random.default_rng(seed).random((rows, cols)) < density


def _layouts(matrix: np.ndarray) -> dict[str, np.ndarray]:
    """Views of (a superset of) `matrix` in every memory layout the pass distinguishes, each
    with its own expected degrees computed from the bool values it shows."""
    return {
        "C": matrix,
        "F": np.asfortranarray(matrix),
        "rows-step": matrix[::2],
        "cols-step": matrix[:, ::3],
        "reversed-rows": matrix[::-1],
        "reversed-cols": matrix[:, ::-1],
        "transposed-view": np.ascontiguousarray(matrix.T).T,  # Fortran order without a copy flag
        "both-strided": matrix[1::2, ::2],
        "F-sliced": np.asfortranarray(matrix)[3:, 1:],
        "C-sliced": matrix[:, 2:-1],
    }


@pytest.mark.parametrize("dtype", FAST_DTYPES + SLOW_DTYPES, ids=str)
@pytest.mark.parametrize("shape", [(1, 1), (1, 97), (97, 1), (33, 64), (40, 129), (7, 1000)])
def test_every_dtype_and_layout_matches_reference(dtype, shape) -> None:
    bits = _bits(*shape, seed=shape[0] * 1000 + shape[1])
    for layout, view_bits in _layouts(bits).items():
        if view_bits.size == 0:
            continue
        view = view_bits.astype(dtype) if layout == "C" else _same_layout(view_bits, dtype, layout, bits)
        expected = view_bits.sum(axis=1)
        degrees, got_shape = matrix_row_degrees(view, "S")
        assert got_shape == view_bits.shape
        assert degrees.dtype == np.uint32
        np.testing.assert_array_equal(degrees, expected, err_msg=f"{np.dtype(dtype)} {layout}")
        fast = dense_row_degrees(view)
        if np.dtype(dtype) in [np.dtype(d) for d in FAST_DTYPES]:
            assert fast is not None, f"{np.dtype(dtype)} {layout} fell back to NumPy"
            np.testing.assert_array_equal(fast, expected)
        else:
            assert fast is None


def _same_layout(view_bits: np.ndarray, dtype, layout: str, bits: np.ndarray) -> np.ndarray:
    """The layout's view taken of the matrix converted to dtype (so strides are dtype-sized)."""
    return _layouts(bits.astype(dtype))[layout]


def test_layouts_really_differ() -> None:
    """The layouts above reach every branch: rows contiguous, columns contiguous, neither."""
    views = _layouts(_bits(40, 129, seed=1).astype(np.uint16))
    assert views["C"].strides[1] == 2 and views["F"].strides[0] == 2
    assert views["transposed-view"].strides[0] == 2
    assert views["both-strided"].strides[0] not in (2,) and views["both-strided"].strides[1] != 2
    assert views["reversed-rows"].strides[0] < 0 and views["reversed-cols"].strides[1] < 0


BAD_VALUES = {
    "u": [2, 255, 1 << 8, 1 << 15],  # also values whose low byte is 0 or 1 (high bytes set)
    "i": [2, -1, 1 << 8, -(1 << 7)],
    "f": [0.5, 2.0, -1.0, np.nan, np.inf, -np.inf, 1.0 + 2**-10],
}


@pytest.mark.parametrize("dtype", [d for d in FAST_DTYPES if d is not np.bool_], ids=str)
@pytest.mark.parametrize("layout", ["C", "F", "both-strided"])
def test_bad_values_are_caught_and_named_as_before(dtype, layout) -> None:
    """Every bad value, at the first and last column and mid-row (SIMD body and tail), in every
    layout: the pass refuses it and the message is the NumPy path's, word for word."""
    info = np.iinfo(dtype) if np.dtype(dtype).kind in "ui" else None
    for value in BAD_VALUES[np.dtype(dtype).kind]:
        if info is not None and not info.min <= value <= info.max:
            continue
        for column in (0, 37, 69, 100):
            bits = _bits(24, 101, seed=column)
            matrix = _layouts(bits.astype(dtype))[layout]
            if column >= matrix.shape[1]:
                continue
            base = matrix.copy() if layout == "C" else matrix
            base[5, column] = value
            assert dense_row_degrees(base) is None
            with pytest.raises(InvalidInputError) as fast:
                matrix_row_degrees(base, "T")
            with pytest.raises(InvalidInputError) as slow:
                matrix_row_degrees_numpy(base, "T")
            assert str(fast.value) == str(slow.value)
            assert "T" in str(fast.value)


def test_signed_zero_and_wide_bool_bytes_count_as_numpy_does() -> None:
    floats = np.array([[-0.0, 1.0, 0.0], [1.0, 1.0, -0.0]])
    np.testing.assert_array_equal(matrix_row_degrees(floats, "S")[0], [1, 2])
    raw = np.array([[0, 2, 255, 1], [0, 0, 0, 7]], dtype=np.uint8).view(np.bool_)  # non-canonical bools
    np.testing.assert_array_equal(matrix_row_degrees(raw, "S")[0], np.count_nonzero(raw, axis=1))


@pytest.mark.parametrize("threads", [1, 2, 3, 8])
def test_thread_count_does_not_change_degrees(threads) -> None:
    """Matrices over 1 MB are split across threads; every split gives the same degrees."""
    bits = _bits(1500, 1100, seed=5)
    for view in (bits.astype(np.uint8), np.asfortranarray(bits), bits.astype(np.float32)[:, ::2]):
        degrees, binary = _core.dense_row_degrees(view, dense_kind(view), threads)
        assert binary
        np.testing.assert_array_equal(degrees, np.count_nonzero(view, axis=1))
    bad = bits.astype(np.int16)
    bad[1499, 1099] = 3  # in the last thread's rows
    assert not _core.dense_row_degrees(bad, 1, threads)[1]


def dense_kind(array: np.ndarray) -> int:
    return 0 if array.dtype == bool else (2 if array.dtype.kind == "f" else 1)


@pytest.mark.parametrize("dtype", [np.uint8, np.bool_, np.int16, np.float32], ids=str)
def test_fortran_rows_longer_than_the_narrow_counters(dtype) -> None:
    """Column-major counters are 8-bit (byte elements) or 16-bit and are emptied every 255 /
    65535 columns: rows with more ones than that must still count right."""
    bits = np.ones((3, 140_001), dtype=bool)
    bits[1, ::2] = False
    bits[2] = False
    matrix = np.asfortranarray(bits.astype(dtype))
    assert matrix.strides[0] == matrix.itemsize
    np.testing.assert_array_equal(matrix_row_degrees(matrix, "S")[0], [140_001, 70_000, 0])


@settings(max_examples=60, deadline=None)
@given(rows=st.integers(1, 40), cols=st.integers(1, 300), dtype=st.sampled_from(FAST_DTYPES),
       row_step=st.sampled_from([1, 2, -1]), col_step=st.sampled_from([1, 3, -2]),
       fortran=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_random_views_match_reference(rows, cols, dtype, row_step, col_step, fortran, seed) -> None:
    bits = _bits(rows, cols, seed, density=np.random.default_rng(seed).random())
    base = bits.astype(dtype)
    base = np.asfortranarray(base) if fortran else base
    view = base[::row_step, ::col_step]
    degrees, _ = matrix_row_degrees(view, "S")
    np.testing.assert_array_equal(degrees, bits[::row_step, ::col_step].sum(axis=1))


def test_route_from_every_dtype_is_the_route_from_degrees() -> None:
    S, T = _bits(60, 45, seed=1), _bits(45, 60, seed=2)
    expected = pr.route_degrees(S.sum(axis=1), T.sum(axis=1), 7, seed=3).routes
    for dtype in FAST_DTYPES + SLOW_DTYPES:
        for order in ("C", "F"):
            got = pr.route(np.asarray(S, dtype=dtype, order=order), np.asarray(T, dtype=dtype, order=order), 7, seed=3)
            np.testing.assert_array_equal(got.routes, expected)


# ---- files ----

@pytest.mark.parametrize("dtype", FAST_DTYPES + SLOW_DTYPES, ids=str)
@pytest.mark.parametrize("fortran", [False, True])
def test_npy_files_every_dtype_and_order(tmp_path: Path, dtype, fortran) -> None:
    bits = _bits(37, 203, seed=11)
    matrix = bits.astype(dtype)
    matrix = np.asfortranarray(matrix) if fortran else matrix
    path = tmp_path / "m.npy"
    np.save(path, matrix)
    assert np.load(path, mmap_mode="r").flags.f_contiguous == fortran
    degrees, shape = npy_row_degrees(path)
    assert shape == (37, 203)
    np.testing.assert_array_equal(degrees, bits.sum(axis=1))
    np.testing.assert_array_equal(degrees, npy_module.npy_row_degrees_numpy(path)[0])


@pytest.mark.parametrize("dtype", [np.uint8, np.int32, np.float64], ids=str)
@pytest.mark.parametrize("fortran", [False, True])
def test_npy_bad_value_message_names_file_and_position(tmp_path: Path, dtype, fortran) -> None:
    matrix = _bits(30, 90, seed=2).astype(dtype)
    matrix[17, 80] = 3
    path = tmp_path / "bad.npy"
    np.save(path, np.asfortranarray(matrix) if fortran else matrix)
    with pytest.raises(FileFormatError) as info:
        npy_row_degrees(path)
    shown = "3.0" if np.dtype(dtype).kind == "f" else "3"
    assert "bad.npy" in str(info.value) and f"value {shown} at row 17, column 80" in str(info.value)


def test_npy_fast_path_reads_the_memory_map_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A clean file never reaches the NumPy scan."""
    path = tmp_path / "m.npy"
    np.save(path, _bits(50, 70, seed=3).astype(np.uint8))

    def fail(*_args):
        raise AssertionError("NumPy path used for a clean uint8 file")

    monkeypatch.setattr(npy_module, "npy_row_degrees_numpy", fail)
    np.testing.assert_array_equal(npy_row_degrees(path)[0], np.load(path).sum(axis=1))


def _p1_text(bits: np.ndarray, line: int, separators: list[bytes], seed: int) -> bytes:
    """A P1 file whose digits are broken into lines of `line` digits, with random whitespace
    (from `separators`) between some digits: rows need not start on a new line."""
    rng = np.random.default_rng(seed)
    digits = np.where(bits.ravel(), ord("1"), ord("0")).astype(np.uint8).tobytes()
    out = [f"P1\n# comment\n{bits.shape[1]} {bits.shape[0]}\n".encode()]
    for start in range(0, len(digits), line):
        piece = digits[start : start + line]
        if rng.random() < 0.3:
            cut = int(rng.integers(0, len(piece) + 1))
            piece = piece[:cut] + separators[int(rng.integers(len(separators)))] + piece[cut:]
        out.append(piece + b"\n")
    return b"".join(out)


@pytest.mark.parametrize("chunk_bytes", [1, 7, 16, 33, 1000, 16 * 2**20])
@pytest.mark.parametrize("shape", [(1, 1), (5, 3), (9, 16), (13, 100), (4, 1000)])
def test_p1_streams_in_any_chunking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_bytes, shape) -> None:
    monkeypatch.setattr(pbm_module, "CHUNK_BYTES", chunk_bytes)
    bits = _bits(*shape, seed=shape[1])
    for line, separators in ((64, [b" "]), (17, [b"\t", b"\r\n", b"\v", b"\f", b"  "]), (10**9, [b" \n"])):
        path = tmp_path / "m.pbm"
        path.write_bytes(_p1_text(bits, line, separators, seed=line))
        degrees, got = pbm_row_degrees(path)
        assert got == shape
        np.testing.assert_array_equal(degrees, bits.sum(axis=1))
        np.testing.assert_array_equal(degrees, read_pbm(path).sum(axis=1))


def test_p1_writer_output_streams_back(tmp_path: Path) -> None:
    bits = _bits(70, 333, seed=4)
    path = tmp_path / "m.pbm"
    write_pbm(path, bits, plain=True)
    np.testing.assert_array_equal(pbm_row_degrees(path)[0], bits.sum(axis=1))


@pytest.mark.parametrize("chunk_bytes", [5, 16, 16 * 2**20])
@pytest.mark.parametrize("damage", ["bad-byte-early", "bad-byte-late", "truncated", "too-long", "bad-in-block"])
def test_p1_errors_match_whole_file_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_bytes, damage) -> None:
    monkeypatch.setattr(pbm_module, "CHUNK_BYTES", chunk_bytes)
    bits = _bits(8, 40, seed=1)
    text = _p1_text(bits, 64, [b" "], seed=0)
    header_end = text.index(b"40 8\n") + 5
    if damage == "bad-byte-early":
        text = text[: header_end + 3] + b"2" + text[header_end + 4 :]
    elif damage == "bad-byte-late":
        text = text[:-2] + b"x\n"
    elif damage == "truncated":
        text = text[:-10]
    elif damage == "too-long":
        text = text + b"0101\n"
    else:
        text = text[: header_end + 20] + b"\x00" + text[header_end + 21 :]
    path = tmp_path / "bad.pbm"
    path.write_bytes(text)
    with pytest.raises(FileFormatError) as streamed:
        pbm_row_degrees(path)
    with pytest.raises(FileFormatError) as whole:
        read_pbm(path)
    assert str(streamed.value) == str(whole.value)
    assert "bad.pbm" in str(streamed.value)


def test_broadcast_views_with_zero_strides() -> None:
    """np.broadcast_to gives stride 0 along one side; the pass reads in place, as NumPy does."""
    row = _bits(1, 300, seed=8).astype(np.uint8)
    column = _bits(50, 1, seed=9).astype(np.float32)
    for view in (np.broadcast_to(row, (40, 300)), np.broadcast_to(column, (50, 77)),
                 np.broadcast_to(np.uint8(1), (5, 6))):
        assert 0 in view.strides
        degrees = dense_row_degrees(view)
        assert degrees is not None
        np.testing.assert_array_equal(degrees, np.count_nonzero(view, axis=1))
