"""SciPy sparse .npz matrices (scipy.sparse.save_npz) as S and T: read by zipfile and NumPy alone,
row degrees without densifying, and a one-line FileFormatError naming the file for every way
an archive can be wrong. The samples are made here with save_npz (or by hand where SciPy would
not write them)."""

from __future__ import annotations

import io as pyio
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from phase_router import io
from phase_router.errors import FileFormatError, InvalidInputError
from phase_router.io.matrix_formats import MATRIX_FORMATS, accepted_formats
from phase_router.io.shape import matrix_file_layout, matrix_file_shape

import warm_process

sparse = pytest.importorskip("scipy.sparse")  # only to write the samples: the reader never imports SciPy

READERS = (io.read_row_degrees, io.read_matrix)


def _dense(seed: int, shape=(37, 23), density=0.2) -> np.ndarray:
    return np.random.default_rng(seed).random(shape) < density


def _npy(array: np.ndarray) -> bytes:
    buffer = pyio.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _npy_raw(descr: str, shape: tuple, data: bytes) -> bytes:
    """An NPY member whose header says what we want, whatever the data (as no NumPy call writes it)."""
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape!r}, }}"
    header = header.ljust(117) + "\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + data


def _archive(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _csr_members(matrix: np.ndarray, fmt: bytes = b"csr") -> dict[str, bytes]:
    csr = sparse.csr_matrix(matrix.astype(np.uint8))
    return {"indices.npy": _npy(csr.indices), "indptr.npy": _npy(csr.indptr), "format.npy": _npy(np.array(fmt)),
            "shape.npy": _npy(np.array(csr.shape)), "data.npy": _npy(csr.data)}


def _refused(path: Path, problem: str) -> None:
    for reader in READERS:
        with pytest.raises(FileFormatError) as info:
            reader(path)
        message = str(info.value)
        assert message.startswith(f"{path}: ") and "\n" not in message
        assert problem in message, message


# --------------------------------------------------------------------------- valid archives


@pytest.mark.parametrize("kind", ["csr", "csc", "coo"])
@pytest.mark.parametrize("compressed", [True, False])
@pytest.mark.parametrize("container", ["matrix", "array"])
def test_save_npz_reads_as_its_dense_matrix(tmp_path: Path, kind: str, compressed: bool, container: str) -> None:
    dense = _dense(hash((kind, compressed, container)) % 1000)
    make = getattr(sparse, f"{kind}_{container}")
    path = tmp_path / "S.npz"
    sparse.save_npz(path, make(dense.astype(np.int8)), compressed=compressed)
    assert io.detect_format(path) == "npz"
    assert matrix_file_shape(path) == dense.shape
    degrees, shape = io.read_row_degrees(path)
    assert shape == dense.shape and degrees.dtype == np.uint32
    np.testing.assert_array_equal(degrees, dense.sum(axis=1))
    matrix = io.read_matrix(path)
    assert matrix.dtype == bool
    np.testing.assert_array_equal(matrix, dense)


@pytest.mark.parametrize("dtype", [bool, np.uint8, np.int64, np.float32, np.float64])
def test_data_of_any_numeric_dtype(tmp_path: Path, dtype) -> None:
    dense = _dense(3)
    path = tmp_path / "S.npz"
    sparse.save_npz(path, sparse.csr_matrix(dense.astype(dtype)))
    np.testing.assert_array_equal(io.read_row_degrees(path)[0], dense.sum(axis=1))


def test_explicit_zeros_are_not_ones(tmp_path: Path) -> None:
    # row 0: (0, 1) = 1 and (0, 2) an explicit 0; row 1: (1, 0) an explicit 0 only
    csr = sparse.csr_matrix((np.array([1, 0, 0], np.uint8), np.array([1, 2, 0]), np.array([0, 2, 3])), shape=(2, 3))
    assert csr.nnz == 3  # SciPy keeps the explicit zeros
    path = tmp_path / "S.npz"
    sparse.save_npz(path, csr)
    np.testing.assert_array_equal(io.read_row_degrees(path)[0], [1, 0])
    np.testing.assert_array_equal(io.read_matrix(path), [[0, 1, 0], [0, 0, 0]])


def test_entries_out_of_order_are_read(tmp_path: Path) -> None:
    """CSR rows with unsorted column indices, and a COO in no order: still exactly the matrix."""
    csr = sparse.csr_matrix((np.ones(3, np.uint8), np.array([2, 0, 1]), np.array([0, 2, 3])), shape=(2, 3))
    assert not csr.has_sorted_indices
    coo = sparse.coo_matrix((np.ones(3, np.uint8), (np.array([1, 0, 1]), np.array([0, 2, 2]))), shape=(2, 3))
    for name, matrix in (("csr", csr), ("coo", coo)):
        path = tmp_path / f"{name}.npz"
        sparse.save_npz(path, matrix)
        np.testing.assert_array_equal(io.read_matrix(path), matrix.toarray() != 0)
        np.testing.assert_array_equal(io.read_row_degrees(path)[0], matrix.toarray().sum(axis=1))


def test_a_repeat_with_an_explicit_zero_is_one(tmp_path: Path) -> None:
    coo = sparse.coo_matrix((np.array([1, 0], np.uint8), (np.array([0, 0]), np.array([1, 1]))), shape=(1, 2))
    path = tmp_path / "S.npz"
    sparse.save_npz(path, coo)
    np.testing.assert_array_equal(io.read_row_degrees(path)[0], [1])


def test_read_without_scipy(tmp_path: Path) -> None:
    dense = _dense(5)
    path = tmp_path / "S.npz"
    sparse.save_npz(path, sparse.csc_matrix(dense.astype(np.uint8)))
    code = ("import sys; sys.modules['scipy'] = None\n"  # any import of scipy now fails
            "from phase_router import io\n"
            f"degrees, shape = io.read_row_degrees({str(path)!r})\n"
            "print(shape, int(degrees.sum()), int(io.read_matrix(" + repr(str(path)) + ").sum()))")
    # a new interpreter: in a warm one (tests/warm_process.py) scipy could already be imported
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [f"({dense.shape[0]},", f"{dense.shape[1]})", str(dense.sum()), str(dense.sum())]


def test_layout_and_memory_estimates_come_from_the_headers(tmp_path: Path) -> None:
    dense = _dense(7, shape=(300, 200))
    path = tmp_path / "S.npz"
    sparse.save_npz(path, sparse.coo_matrix(dense.astype(np.uint8)))
    layout = matrix_file_layout(path)
    nnz = int(dense.sum())
    row, col, data = (np.dtype(sparse.coo_matrix(dense.astype(np.uint8)).row.dtype).itemsize,) * 2 + (1,)
    assert (layout.fmt, layout.shape, layout.itemsize, layout.data_bytes) == (
        "npz-coo", (300, 200), row + col + data, nnz * (row + col + data))
    fmt = MATRIX_FORMATS["npz"]
    assert fmt.degrees_peak_bytes(layout) >= 8 * nnz + 4 * 300  # the sorted keys of the ones, the degrees
    assert fmt.whole_peak_bytes(layout) >= 300 * 200 + 8 * nnz


# --------------------------------------------------------------------------- refusals


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "S.npz"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 60)
    _refused(path, "not a valid NPZ archive")


def test_a_plain_npz_is_not_a_sparse_matrix(tmp_path: Path) -> None:
    path = tmp_path / "S.npz"
    np.savez(path, matrix=np.eye(3, dtype=np.uint8))
    _refused(path, "without a format.npy member: not a SciPy sparse matrix")


def test_missing_members(tmp_path: Path) -> None:
    members = _csr_members(_dense(1))
    del members["indptr.npy"], members["data.npy"]
    _refused(_archive(tmp_path / "S.npz", members), "csr NPZ archive without the member(s) indptr.npy, data.npy")


@pytest.mark.parametrize("fmt, problem", [(b"dia", "sparse format 'dia' is not read: only csr, csc, coo"),
                                          (b"bsr", "sparse format 'bsr' is not read"),
                                          (b"", "sparse format '' is not read")])
def test_wrong_format_string(tmp_path: Path, fmt: bytes, problem: str) -> None:
    _refused(_archive(tmp_path / "S.npz", _csr_members(_dense(1), fmt)), problem)


def test_format_member_that_is_not_a_name(tmp_path: Path) -> None:
    members = _csr_members(_dense(1))
    members["format.npy"] = _npy(np.array([1, 2]))
    _refused(_archive(tmp_path / "S.npz", members), "expected a format name such as b'csr'")


@pytest.mark.parametrize("shape, problem", [
    (np.array([0, 23]), "both sides must be at least 1"),
    (np.array([37, 23, 1]), "expected two integers"),
    (np.array([37.0, 23.0]), "expected two integers"),
    (np.array([2**31, 23]), "larger than the limits"),
])
def test_bad_shape(tmp_path: Path, shape: np.ndarray, problem: str) -> None:
    members = _csr_members(_dense(1))
    members["shape.npy"] = _npy(shape)
    _refused(_archive(tmp_path / "S.npz", members), problem)


def test_indptr_that_does_not_fit_the_shape(tmp_path: Path) -> None:
    members = _csr_members(_dense(1))
    members["shape.npy"] = _npy(np.array([36, 23]))
    _refused(_archive(tmp_path / "S.npz", members), "indptr.npy has 38 elements, the shape 36 x 23 needs 37")


def test_indptr_that_is_not_a_pointer(tmp_path: Path) -> None:
    members = _csr_members(np.eye(3, dtype=bool))
    members["indptr.npy"] = _npy(np.array([0, 2, 1, 3], np.int32))
    _refused(_archive(tmp_path / "S.npz", members), "indptr.npy is not a valid index pointer")


@pytest.mark.parametrize("value, shown", [(2, "value 2.0"), (0.5, "value 0.5"), (-1, "value -1.0"), (np.nan, "value nan")])
def test_non_binary_data(tmp_path: Path, value, shown: str) -> None:
    matrix = sparse.coo_matrix((np.array([1, value, 1], float), (np.array([0, 1, 2]), np.array([0, 2, 1]))),
                               shape=(3, 3))
    path = tmp_path / "S.npz"
    sparse.save_npz(path, matrix)
    _refused(path, f"{shown} at row 1, column 2: only 0 and 1 are allowed")


def test_repeated_ones_are_refused(tmp_path: Path) -> None:
    """SciPy adds repeated entries up: (1, 2) stored twice with 1 is a 2."""
    coo = sparse.coo_matrix((np.ones(3, np.uint8), (np.array([1, 0, 1]), np.array([2, 0, 2]))), shape=(2, 3))
    path = tmp_path / "S.npz"
    sparse.save_npz(path, coo)
    assert coo.toarray()[1, 2] == 2
    _refused(path, "row 1, column 2 is stored twice with value 1")


def test_repeated_ones_in_a_csr_row_are_refused(tmp_path: Path) -> None:
    csr = sparse.csr_matrix((np.ones(2, np.uint8), np.array([1, 1]), np.array([0, 2, 2])), shape=(2, 3))
    path = tmp_path / "S.npz"
    sparse.save_npz(path, csr)
    _refused(path, "row 0, column 1 is stored twice with value 1")


@pytest.mark.parametrize("kind, member, problem", [
    ("csr", "indices", "NPZ member indices.npy: entry 1 is 23, outside 0..22"),
    ("coo", "row", "NPZ member row.npy: entry 1 is 37, outside 0..36"),
    ("coo", "col", "NPZ member col.npy: entry 1 is -1, outside 0..22"),
])
def test_index_out_of_bounds(tmp_path: Path, kind: str, member: str, problem: str) -> None:
    dense = np.zeros((37, 23), bool)
    dense[[0, 5, 9], [1, 2, 3]] = True
    matrix = getattr(sparse, f"{kind}_matrix")(dense.astype(np.uint8))
    path = tmp_path / "S.npz"
    sparse.save_npz(path, matrix)
    with np.load(path) as loaded:
        members = {f"{name}.npy": _npy(loaded[name]) for name in loaded.files}
    values = np.load(pyio.BytesIO(members[f"{member}.npy"]))
    values[1] = {"indices": 23, "row": 37, "col": -1}[member]
    members[f"{member}.npy"] = _npy(values)
    _refused(_archive(path, members), problem)


def test_member_counts_disagree(tmp_path: Path) -> None:
    members = _csr_members(_dense(1))
    members["data.npy"] = _npy(np.ones(3, np.uint8))
    _refused(_archive(tmp_path / "S.npz", members), "NPZ members disagree on the number of stored entries")


def test_object_dtype_is_never_unpickled(tmp_path: Path) -> None:
    members = _csr_members(np.eye(3, dtype=bool))
    members["data.npy"] = _npy_raw("|O", (3,), b"\x80\x04N.")  # a pickle would follow
    _refused(_archive(tmp_path / "S.npz", members), "holds Python objects (pickles), which are never loaded")


@pytest.mark.parametrize("member, descr, problem", [
    ("indices.npy", "<f8", "indices.npy has dtype float64, expected integer indices"),
    ("data.npy", "<c16", "data.npy has dtype complex128, expected bool, integer or float 0/1 values"),
])
def test_wrong_member_dtype(tmp_path: Path, member: str, descr: str, problem: str) -> None:
    members = _csr_members(np.eye(3, dtype=bool))
    itemsize = np.dtype(descr).itemsize
    members[member] = _npy_raw(descr, (3,), b"\0" * 3 * itemsize)
    _refused(_archive(tmp_path / "S.npz", members), problem)


def test_member_header_and_zip_directory_disagree(tmp_path: Path) -> None:
    """A member whose NPY header promises more data than the zip directory declares (truncated)."""
    members = _csr_members(np.eye(3, dtype=bool))
    members["indices.npy"] = _npy_raw("<i4", (3,), b"\0" * 8)
    _refused(_archive(tmp_path / "S.npz", members), "but the zip directory declares 8 bytes after the header")


def test_corrupted_member_data(tmp_path: Path) -> None:
    """A stored member with a flipped byte: zipfile's CRC check fails, one line."""
    path = _archive(tmp_path / "S.npz", _csr_members(np.eye(3, dtype=bool)), method=zipfile.ZIP_STORED)
    raw = bytearray(path.read_bytes())
    data = _npy(np.ones(3, np.uint8))
    at = raw.find(data) + len(data) - 1
    raw[at] ^= 0x01  # the last value becomes 0: the CRC is the only witness
    path.write_bytes(bytes(raw))
    _refused(path, "corrupted NPZ archive")


def test_zip_bomb_declared_size_is_refused_before_reading(tmp_path: Path) -> None:
    """A member whose zip directory entry declares 2 GiB from a few compressed bytes."""
    path = _archive(tmp_path / "S.npz", _csr_members(np.eye(3, dtype=bool)))
    raw = bytearray(path.read_bytes())
    central = raw.find(b"PK\x01\x02")
    while central >= 0:
        name_length = struct.unpack_from("<H", raw, central + 28)[0]
        if raw[central + 46 : central + 46 + name_length] == b"indices.npy":
            struct.pack_into("<I", raw, central + 24, 2**31)  # the uncompressed size
        central = raw.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(raw))
    _refused(path, "NPZ member indices.npy declares 2147483648 bytes from")


def test_unsupported_compression_is_refused(tmp_path: Path) -> None:
    path = _archive(tmp_path / "S.npz", _csr_members(np.eye(3, dtype=bool)), method=zipfile.ZIP_BZIP2)
    _refused(path, "uses compression method 12; only stored and deflated members are read")


def test_duplicate_member_names(tmp_path: Path) -> None:
    path = tmp_path / "S.npz"
    members = _csr_members(np.eye(3, dtype=bool))
    with pytest.warns(UserWarning), zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.writestr("data.npy", members["data.npy"])
    _refused(path, "NPZ member data.npy appears twice")


def test_too_many_members(tmp_path: Path) -> None:
    members = _csr_members(np.eye(3, dtype=bool))
    members.update({f"extra{i}.npy": b"" for i in range(70)})
    _refused(_archive(tmp_path / "S.npz", members), "members, more than the 64 a sparse matrix needs")


def test_unknown_files_name_every_format(tmp_path: Path) -> None:
    path = tmp_path / "S.bin"
    path.write_bytes(b"GIF89a\x01\x00")
    assert accepted_formats() == "PBM (P1/P4), NPY or SciPy sparse NPZ"
    _refused(path, "not a PBM (P1/P4), NPY or SciPy sparse NPZ file")


# --------------------------------------------------------------------------- commands


@pytest.fixture
def sparse_pair(tmp_path: Path) -> tuple[Path, Path, np.ndarray, np.ndarray]:
    S, T = _dense(11, (40, 30), 0.3), _dense(12, (30, 40), 0.3)  # noqa: N806
    paths = tmp_path / "S.npz", tmp_path / "T.npz"
    sparse.save_npz(paths[0], sparse.csr_matrix(S.astype(np.uint8)))
    sparse.save_npz(paths[1], sparse.coo_matrix(T.astype(np.uint8)))
    return paths[0], paths[1], S, T


def _cli(*args) -> subprocess.CompletedProcess:
    return warm_process.run([sys.executable, "-m", "phase_router", *args])


@pytest.mark.parametrize("candidates", ["phase", "mask"])
def test_route_reads_npz_as_the_dense_files(tmp_path: Path, sparse_pair, candidates: str) -> None:
    s_npz, t_npz, S, T = sparse_pair  # noqa: N806
    io.write_pbm(tmp_path / "S.pbm", S)
    io.write_pbm(tmp_path / "T.pbm", T)
    for inputs, out in (((s_npz, t_npz), "sparse.npy"), ((tmp_path / "S.pbm", tmp_path / "T.pbm"), "dense.npy")):
        done = _cli("route", *inputs, "-k", 3, "--seed", 9, "--candidates", candidates, "--out", tmp_path / out)
        assert done.returncode == 0, done.stderr
    np.testing.assert_array_equal(np.load(tmp_path / "sparse.npy"), np.load(tmp_path / "dense.npy"))


def test_dump_pbm_and_capacity_read_npz(tmp_path: Path, sparse_pair) -> None:
    s_npz, t_npz, S, _ = sparse_pair  # noqa: N806
    done = _cli("dump-pbm", s_npz, t_npz, "-k", 3, "--out", tmp_path / "stages", "--no-png")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "stages" / "index.md").exists()
    done = _cli("capacity", s_npz, t_npz, "-k", 3, "--seeds", 2, "--json")
    assert done.returncode == 0, done.stderr


def test_route_refuses_a_bad_npz_in_one_line(tmp_path: Path, sparse_pair) -> None:
    s_npz, _, _, _ = sparse_pair
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip: no members
    done = _cli("route", s_npz, bad, "-k", 3)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"phase-router: error: {bad}: NPZ archive without a format.npy member: not a SciPy sparse matrix "
        "(scipy.sparse.save_npz)"]


def test_route_checks_declared_sizes_against_max_memory_first(tmp_path: Path) -> None:
    """20 M stored entries (zeros, a few hundred KB compressed) would need their sorted keys:
    --max-memory refuses from the headers, before any entry is read."""
    entries = 20_000_000
    members = {"format.npy": _npy(np.array(b"coo")), "shape.npy": _npy(np.array([5000, 4000])),
               "row.npy": _npy(np.zeros(entries, np.int8)), "col.npy": _npy(np.zeros(entries, np.int8)),
               "data.npy": _npy(np.zeros(entries, np.uint8))}
    big = _archive(tmp_path / "S.npz", members)
    assert big.stat().st_size < 2**20
    small = tmp_path / "T.npz"
    sparse.save_npz(small, sparse.coo_matrix((np.ones(1, np.uint8), ([0], [0])), shape=(4000, 5000)))
    done = _cli("route", big, small, "-k", 3, "--max-memory", "150MiB")
    assert done.returncode == 2, done.stderr
    assert "more than --max-memory 150.0 MiB" in done.stderr and "reading the matrices" in done.stderr


def test_gen_does_not_write_npz(tmp_path: Path) -> None:
    done = _cli("gen", "uniform", "--shape", "8x6", "--out", tmp_path / "S.npz", tmp_path / "T.pbm")
    assert done.returncode == 2
    assert "S.npz: SciPy sparse NPZ files are read, not written; write PBM (P1/P4) or NPY instead" in done.stderr
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InvalidInputError, match="format must be one of pbm, npy, got 'npz'"):
        io.write_matrix_chunks(tmp_path / "S.npz", (1, 1), [np.ones((1, 1), bool)], fmt="npz")


def test_more_entries_than_cells(tmp_path: Path) -> None:
    coo = sparse.coo_matrix((np.zeros(5, np.uint8), (np.zeros(5, int), np.zeros(5, int))), shape=(1, 2))
    path = tmp_path / "S.npz"
    sparse.save_npz(path, coo)
    _refused(path, "NPZ archive stores 5 entries, more than the 1 x 2 cells")
