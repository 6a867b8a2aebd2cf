"""PBM (P1/P4) reading and writing, header parsing, malformed files, atomic writes."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, strategies as st
from hypothesis.extra.numpy import arrays

import phase_router
from phase_router import FileFormatError, InputFileError, PackedBits
from phase_router.io import (
    detect_format,
    pbm_row_degrees,
    read_header,
    read_matrix,
    read_pbm,
    read_pbm_packed,
    read_row_degrees,
    write_pbm,
)
from phase_router.io import pbm as pbm_module
from phase_router.io.matrix_formats import accepted_formats


@pytest.fixture
def samples() -> Path:
    return Path(__file__).resolve().parents[2] / "samples"


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _assert_reads_as(path: Path, expected: np.ndarray) -> None:
    """Every reader agrees with the hand-computed matrix."""
    expected = np.asarray(expected, dtype=bool)
    matrix = read_pbm(path)
    assert matrix.dtype == bool
    assert matrix.shape == expected.shape
    np.testing.assert_array_equal(matrix, expected)
    np.testing.assert_array_equal(read_pbm_packed(path).unpack(), expected)
    degrees, shape = pbm_row_degrees(path)
    assert shape == expected.shape
    np.testing.assert_array_equal(degrees, expected.sum(axis=1))


# --------------------------------------------------------------------------- round trips

bool_matrices = arrays(
    dtype=bool,
    shape=st.tuples(st.integers(1, 40), st.integers(1, 40)),
    elements=st.booleans(),
)


@pytest.mark.parametrize("plain", [False, True], ids=["P4", "P1"])
@given(matrix=bool_matrices)
@example(matrix=np.ones((3, 9), dtype=bool))  # one padding byte with 7 unused bits
@example(matrix=np.ones((1, 1), dtype=bool))
@example(matrix=np.ones((2, 8), dtype=bool))  # no padding
@example(matrix=np.eye(17, 23, dtype=bool))
def test_round_trip(plain: bool, matrix: np.ndarray) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "m.pbm"
        write_pbm(path, matrix, plain=plain)
        header = read_header(path)
        assert header.kind == ("P1" if plain else "P4")
        assert (header.height, header.width) == matrix.shape
        _assert_reads_as(path, matrix)
        assert detect_format(path) == "pbm"
        np.testing.assert_array_equal(read_matrix(path), matrix)
        degrees, shape = read_row_degrees(path)
        assert shape == matrix.shape
        np.testing.assert_array_equal(degrees, matrix.sum(axis=1))


@pytest.mark.parametrize("plain", [False, True], ids=["P4", "P1"])
@given(matrix=bool_matrices)
def test_write_packed_bits_with_dirty_padding(plain: bool, matrix: np.ndarray) -> None:
    """PackedBits whose padding bits are set are written without them (P4 padding is zero)."""
    bits = np.packbits(matrix, axis=1)
    tail = matrix.shape[1] % 8
    if tail:
        bits[:, -1] |= np.uint8(0xFF >> tail)  # set every padding bit
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "m.pbm"
        write_pbm(path, PackedBits(bits, matrix.shape[1]), plain=plain)
        _assert_reads_as(path, matrix)
        if not plain:
            header = read_header(path)
            raster = path.read_bytes()[header.data_offset :]
            np.testing.assert_array_equal(
                np.frombuffer(raster, dtype=np.uint8).reshape(matrix.shape[0], -1),
                np.packbits(matrix, axis=1),
            )


def test_p4_exact_bytes(tmp_path: Path) -> None:
    matrix = np.array([[1, 0, 1, 0, 0, 0, 0, 0, 0, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]], dtype=bool)
    path = tmp_path / "m.pbm"
    write_pbm(path, matrix)
    assert path.read_bytes() == b"P4\n10 2\n" + bytes([0b10100000, 0b01000000, 0xFF, 0b11000000])


def test_p1_exact_bytes_and_long_rows(tmp_path: Path) -> None:
    path = tmp_path / "m.pbm"
    write_pbm(path, np.array([[1, 0, 1], [0, 0, 1]]), plain=True)
    assert path.read_bytes() == b"P1\n3 2\n101\n001\n"
    wide = np.zeros((2, 150), dtype=bool)
    wide[0, ::3] = True
    wide[1, 149] = True
    write_pbm(path, wide, plain=True)
    lines = path.read_bytes().split(b"\n")
    assert all(len(line) <= 70 for line in lines)
    _assert_reads_as(path, wide)


def test_write_accepts_integer_matrices(tmp_path: Path) -> None:
    matrix = np.array([[0, 1, 1], [1, 0, 0]], dtype=np.int64)
    for plain in (False, True):
        path = tmp_path / f"m{int(plain)}.pbm"
        write_pbm(path, matrix, plain=plain)
        _assert_reads_as(path, matrix.astype(bool))


@pytest.mark.parametrize("chunk_bytes", [1, 5, 6, 64])
def test_p4_degrees_in_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_bytes: int) -> None:
    """pbm_row_degrees reads the raster in chunks of rows; the result must not depend on it."""
    rng = np.random.default_rng(5)
    matrix = rng.random((37, 19)) < 0.4
    path = tmp_path / "m.pbm"
    write_pbm(path, matrix)
    monkeypatch.setattr(pbm_module, "CHUNK_BYTES", chunk_bytes)
    degrees, shape = pbm_row_degrees(path)
    assert shape == (37, 19)
    np.testing.assert_array_equal(degrees, matrix.sum(axis=1))


def test_samples(samples: Path) -> None:
    for name, kind, shape in [("S.pbm", "P4", (256, 256)), ("T.pbm", "P4", (256, 256)),
                              ("bands_S.pbm", "P1", (128, 128)), ("bands_T.pbm", "P1", (128, 128))]:
        path = samples / name
        header = read_header(path)
        assert header.kind == kind
        matrix = read_pbm(path)
        assert matrix.shape == shape
        degrees, got_shape = pbm_row_degrees(path)
        assert got_shape == shape
        np.testing.assert_array_equal(degrees, matrix.sum(axis=1))
    # bands: row i has ones in columns [i, i + 1 + i % 32), clipped at the edge
    bands = read_pbm(samples / "bands_S.pbm")
    i = np.arange(128)[:, None]
    j = np.arange(128)[None, :]
    np.testing.assert_array_equal(bands, (j >= i) & (j < i + 1 + i % 32))
    np.testing.assert_array_equal(read_pbm(samples / "bands_T.pbm"), bands[::-1])


# --------------------------------------------------------------------------- hand-written files


def test_header_comments(tmp_path: Path) -> None:
    data = (
        b"P1\n# first comment line\n#second # with hash\n"
        b"3 # the width\n# between width and height\n# another\n"
        b"2\n010\n111\n"
    )
    _assert_reads_as(_write(tmp_path / "c1.pbm", data), [[0, 1, 0], [1, 1, 1]])
    p4 = b"P4# right after the magic\r\n#cr-lf comment\r\n10\t#tab then comment\r2\n" + bytes(
        [0b11000000, 0b01000000, 0b00000001, 0b10000000]
    )
    _assert_reads_as(
        _write(tmp_path / "c4.pbm", p4),
        [[1, 1, 0, 0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 1, 1, 0]],
    )


def test_header_whitespace(tmp_path: Path) -> None:
    # tabs, CR, vertical tab, form feed, several spaces; the single byte after the height is '\r'
    data = b"P1\t\r\n \v\f 3 \t\r   2\r0 1\t0\r\n1  1 1\n"
    _assert_reads_as(_write(tmp_path / "w1.pbm", data), [[0, 1, 0], [1, 1, 1]])
    # P4: the byte right after the height is a tab, and the raster may start with a whitespace value
    p4 = b"P4\t\t5\r\r  2\t" + bytes([0x20, 0b00001000])  # 0x20 == b" "
    _assert_reads_as(_write(tmp_path / "w4.pbm", p4), [[0, 0, 1, 0, 0], [0, 0, 0, 0, 1]])


def test_p4_raster_byte_that_looks_like_header(tmp_path: Path) -> None:
    """Raster bytes equal to '#', '\\n' or digits are data, not header."""
    p4 = b"P4\n8 3\n" + b"#\n1"
    expected = np.unpackbits(np.frombuffer(b"#\n1", dtype=np.uint8)).reshape(3, 8)
    _assert_reads_as(_write(tmp_path / "h.pbm", p4), expected)


def test_p1_digits_without_whitespace(tmp_path: Path) -> None:
    _assert_reads_as(_write(tmp_path / "a.pbm", b"P1\n4 2\n01011100"), [[0, 1, 0, 1], [1, 1, 0, 0]])
    # rows need not match lines
    _assert_reads_as(_write(tmp_path / "b.pbm", b"P1 3 3 011\n01101\n1\n"), [[0, 1, 1], [0, 1, 1], [0, 1, 1]])


def test_p1_split_over_many_lines(tmp_path: Path) -> None:
    expected = np.array([[1, 0, 0, 1, 1], [0, 1, 1, 0, 1], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0]], dtype=bool)
    body = b"\n".join(b"1" if v else b"0" for v in expected.ravel()) + b"\n\n\n"
    _assert_reads_as(_write(tmp_path / "l.pbm", b"P1\n5\n4\n" + body), expected)


def test_p4_padding_bits_are_ignored(tmp_path: Path) -> None:
    # width 10: two bytes per row, the last 6 bits of the second byte are padding, set to 1 here
    raster = bytes([
        0b10100000, 0b01111111,  # 1 0 1 0 0 0 0 0 | 0 1 + padding
        0b11111111, 0b11111111,  # all ten set      + padding
        0b00000000, 0b00111111,  # nothing set      + padding
    ])
    path = _write(tmp_path / "p.pbm", b"P4\n10 3\n" + raster)
    expected = np.array(
        [[1, 0, 1, 0, 0, 0, 0, 0, 0, 1], [1] * 10, [0] * 10],
        dtype=bool,
    )
    _assert_reads_as(path, expected)
    degrees, _ = pbm_row_degrees(path)
    assert degrees.tolist() == [3, 10, 0]


def test_p4_width_one_padding(tmp_path: Path) -> None:
    # width 1: seven padding bits per row, all set
    path = _write(tmp_path / "one.pbm", b"P4\n1 4\n" + bytes([0xFF, 0x7F, 0x80, 0x01]))
    _assert_reads_as(path, [[1], [0], [1], [0]])
    assert pbm_row_degrees(path)[0].tolist() == [1, 0, 1, 0]


def test_p4_padding_with_many_rows(tmp_path: Path) -> None:
    """Padding must be ignored on the chunked, C++-backed degree path for every row."""
    rng = np.random.default_rng(11)
    matrix = rng.random((300, 13)) < 0.5
    bits = np.packbits(matrix, axis=1)
    bits[:, -1] |= np.uint8(0xFF >> 5)
    path = _write(tmp_path / "many.pbm", b"P4\n13 300\n" + bits.tobytes())
    _assert_reads_as(path, matrix)


# --------------------------------------------------------------------------- malformed files

# (id, file content, what the message must say); RASTER_ONLY: the header is fine, the raster is not
MALFORMED = [
    ("magic-p7", b"P7", "unsupported Netpbm format 'P7'"),
    ("magic-p7-header", b"P7\n1 1\n\x00", "unsupported Netpbm format 'P7'"),
    ("gif", b"GIF89a\x01\x00\x01\x00", "not a PBM file"),
    ("empty", b"", "not a PBM file"),
    ("just-p", b"P", "not a PBM file"),
    ("p2", b"P2\n2 1\n1\n0 1\n", "unsupported Netpbm format 'P2'"),
    ("p5", b"P5\n2 1\n255\n\x00\xff", "unsupported Netpbm format 'P5'"),
    ("negative-width", b"P4\n-5 3\n", "expected the width"),
    ("negative-height", b"P1\n5 -3\n", "expected the height"),
    ("zero-width", b"P4\n0 3\n", "width is 0"),
    ("zero-height", b"P1\n3 0\n", "height is 0"),
    ("non-digit-width", b"P4\nabc 3\n", "expected the width"),
    ("non-digit-height", b"P4\n3 x\n", "expected the height"),
    ("no-height", b"P4\n3\n", "header ends before the height"),
    ("enormous-width", b"P4\n99999999999 5\n", "larger than the limit"),
    ("enormous-height", b"P1\n5 123456789012345678901234567890\n", "larger than the limit"),
    ("just-over-limit", b"P4\n2147483648 1\n\x00", "larger than the limit"),
    ("huge-p4-raster", b"P4\n2000000000 2000000000\n\x00\x01\x02", "truncated"),
    ("huge-p1-raster", b"P1\n2000000000 2000000000\n0101", "truncated"),
    ("truncated-p4", b"P4\n9 3\n" + b"\x00" * 5, "truncated"),
    ("truncated-p4-no-raster", b"P4\n9 3\n", "truncated"),
    ("trailing-p4", b"P4\n9 3\n" + b"\x00" * 7, "unexpected bytes after"),
    ("trailing-p4-newline", b"P4\n8 1\n\x00\n", "unexpected bytes after"),
    ("p1-too-few-bytes", b"P1\n3 2\n01011", "truncated"),
    ("no-whitespace-after-height", b"P4\n3 2", "whitespace character after the height"),
    ("comment-never-ends", b"P1\n# this comment never ends", "header ends before the width"),
    ("comment-never-ends-2", b"P4 3 # nor does this one", "header ends before the height"),
]
RASTER_ONLY = [
    ("p1-two", b"P1\n2 2\n0120", "unexpected b'2' at byte 9"),
    ("p1-letter", b"P1\n2 2\n01\nx0\n", "unexpected b'x' at byte 10"),
    ("p1-minus", b"P1\n2 2\n0 1 -1 0", "unexpected b'-'"),
    ("p1-comment-in-raster", b"P1\n2 1\n# no\n01", "unexpected b'#'"),
    ("p1-too-few-digits", b"P1\n3 2\n0 1 0 1 1\n", "truncated: P1 raster has 5 digits"),
    ("p1-too-many", b"P1\n3 2\n0101101", "too long: P1 raster has 7 digits"),
    ("p1-too-many-spaced", b"P1\n3 2\n010 110 1\n", "too long"),
]


def _check_error(path: Path, reader, problem: str) -> None:
    with pytest.raises(FileFormatError) as info:
        reader(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert problem in message
    assert "\n" not in message
    assert info.value.path == str(path)


@pytest.mark.parametrize("data, problem", [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED])
@pytest.mark.parametrize("reader", [read_pbm, pbm_row_degrees, read_pbm_packed, read_header])
def test_malformed_header(tmp_path: Path, reader, data: bytes, problem: str) -> None:
    _check_error(_write(tmp_path / "bad file.pbm", data), reader, problem)


@pytest.mark.parametrize("data, problem", [case[1:] for case in RASTER_ONLY], ids=[case[0] for case in RASTER_ONLY])
@pytest.mark.parametrize("reader", [read_pbm, pbm_row_degrees, read_pbm_packed, read_matrix, read_row_degrees])
def test_malformed_p1_raster(tmp_path: Path, reader, data: bytes, problem: str) -> None:
    path = _write(tmp_path / "bad file.pbm", data)
    read_header(path)  # the header alone is fine
    _check_error(path, reader, problem)


@pytest.mark.parametrize(
    "data",
    [
        b"P4\n2000000000 2000000000\n\x00\x01\x02",
        b"P1\n2000000000 2000000000\n0101",
        b"P4\n2147483647 2147483647\n" + b"\x00" * 64,
        b"P4\n8 2147483647\n\x00",
        b"P4\n2147483647 1\n\x00",
    ],
    ids=["p4-2e9", "p1-2e9", "p4-max", "p4-tall", "p4-wide"],
)
@pytest.mark.parametrize("reader", [read_pbm, pbm_row_degrees])
def test_huge_header_fails_fast_without_allocating(tmp_path: Path, reader, data: bytes) -> None:
    path = _write(tmp_path / "huge.pbm", data)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(FileFormatError, match="truncated"):
            reader(path)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 2.0
    assert peak < 10 * 2**20


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "does-not-exist.pbm"
    for reader in (read_pbm, pbm_row_degrees, read_pbm_packed, read_header, detect_format, read_row_degrees):
        with pytest.raises(InputFileError) as info:
            reader(path)
        assert not isinstance(info.value, FileFormatError)
        assert str(info.value) == f"{path}: no such file"


def test_directory_as_input(tmp_path: Path) -> None:
    path = tmp_path / "a-directory.pbm"
    path.mkdir()
    for reader in (read_pbm, pbm_row_degrees, read_pbm_packed, read_header, detect_format, read_row_degrees):
        with pytest.raises(InputFileError) as info:
            reader(path)
        assert not isinstance(info.value, FileFormatError)
        assert str(info.value).startswith(f"{path}: ")
        assert "directory" in str(info.value)


def test_errors_are_phase_router_errors(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.pbm", b"P4\n")
    with pytest.raises(phase_router.PhaseRouterError):
        read_pbm(path)
    with pytest.raises(ValueError):  # InvalidInputError is also a ValueError
        read_pbm(path)


# --------------------------------------------------------------------------- atomic writes


class _FailingWriter:
    """A file handle that accepts `budget` bytes, then fails like a full disk."""

    def __init__(self, handle, budget: int, exc: BaseException) -> None:
        self._handle = handle
        self._budget = budget
        self._exc = exc

    def write(self, data) -> int:
        data = bytes(data)
        if len(data) > self._budget:
            self._handle.write(data[: self._budget])
            self._budget = 0
            raise self._exc
        self._budget -= len(data)
        return self._handle.write(data)

    def __getattr__(self, name):
        return getattr(self._handle, name)


def _break_writes(monkeypatch: pytest.MonkeyPatch, budget: int, exc: BaseException) -> None:
    real = pbm_module.atomic_output

    @contextlib.contextmanager
    def failing(path, batch=None):
        with real(path, batch) as handle:
            yield _FailingWriter(handle, budget, exc)

    monkeypatch.setattr(pbm_module, "atomic_output", failing)


@pytest.mark.parametrize("plain", [False, True], ids=["P4", "P1"])
@pytest.mark.parametrize("budget", [0, 5, 12])
@pytest.mark.parametrize("existing", [False, True], ids=["new", "overwrite"])
@pytest.mark.parametrize(
    "exc", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()], ids=["ENOSPC", "interrupt"]
)
def test_write_pbm_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plain: bool, budget: int,
                             existing: bool, exc: BaseException) -> None:
    target = tmp_path / "out.pbm"
    before = b"P1\n1 1\n1\n"
    if existing:
        target.write_bytes(before)
    _break_writes(monkeypatch, budget, exc)
    matrix = np.ones((20, 30), dtype=bool)
    with pytest.raises(type(exc)):
        write_pbm(target, matrix, plain=plain)
    if existing:
        assert target.read_bytes() == before
    else:
        assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == (["out.pbm"] if existing else [])


def test_write_pbm_conversion_failure_leaves_nothing(tmp_path: Path) -> None:
    class Exploding:
        def __array__(self, *args, **kwargs):
            raise RuntimeError("conversion failed")

    target = tmp_path / "out.pbm"
    for plain in (False, True):
        with pytest.raises(RuntimeError):
            write_pbm(target, Exploding(), plain=plain)
        assert list(tmp_path.iterdir()) == []


def test_write_pbm_replaces_existing(tmp_path: Path) -> None:
    target = tmp_path / "out.pbm"
    target.write_bytes(b"old content that is longer than the new file" * 10)
    write_pbm(target, np.array([[1, 0]], dtype=bool))
    assert target.read_bytes() == b"P4\n2 1\n\x80"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pbm"]


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_written_file_mode_follows_umask(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        for plain in (False, True):
            path = tmp_path / f"m{int(plain)}.pbm"
            write_pbm(path, np.eye(3, dtype=bool), plain=plain)
            assert stat.S_IMODE(path.stat().st_mode) == mode
        assert os.umask(umask) == umask  # the write restored the umask it read
    finally:
        os.umask(old)


# --------------------------------------------------------------------------- detect_format


def test_detect_format(tmp_path: Path, samples: Path) -> None:
    assert detect_format(samples / "S.pbm") == "pbm"
    assert detect_format(samples / "bands_S.pbm") == "pbm"
    assert detect_format(samples / "rect_S.npy") == "npy"
    # the magic decides, not the extension
    np.save(tmp_path / "matrix.npy", np.eye(2, dtype=np.uint8))
    os.rename(tmp_path / "matrix.npy", tmp_path / "matrix.pbm")
    assert detect_format(tmp_path / "matrix.pbm") == "npy"
    write_pbm(tmp_path / "bitmap.npy", np.eye(2, dtype=bool))
    assert detect_format(tmp_path / "bitmap.npy") == "pbm"
    np.testing.assert_array_equal(read_matrix(tmp_path / "bitmap.npy"), np.eye(2, dtype=bool))


@pytest.mark.parametrize(
    "data, problem",
    [
        (b"GIF89a\x01\x00", f"not a {accepted_formats()} file"),
        (b"\x89PNG\r\n\x1a\n", f"not a {accepted_formats()} file"),
        (b"hello world\n", f"not a {accepted_formats()} file"),
        (b"P6\n1 1\n255\n\x00\x00\x00", "unsupported Netpbm format P6"),
        (b"P2\n1 1\n1\n0\n", "unsupported Netpbm format P2"),
        (b"", "file is empty"),
    ],
    ids=["gif", "png", "text", "p6", "p2", "empty"],
)
def test_detect_format_errors(tmp_path: Path, data: bytes, problem: str) -> None:
    path = _write(tmp_path / "input.bin", data)
    for function in (detect_format, read_row_degrees, read_matrix):
        with pytest.raises(FileFormatError) as info:
            function(path)
        assert str(info.value).startswith(f"{path}: ")
        assert problem in str(info.value)
