"""Sizes are checked before anything is allocated: file headers against the file length, counts
against int32, and `route --max-memory` against an estimate made from M, E, k and the chunk
(every command's estimate and its accuracy: tests/reliability/test_memory_estimates.py)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import phase_router
from phase_router import Router
from phase_router.cli import app
from phase_router.cli.memory import default_max_memory, parse_size, resident_bytes
from phase_router.cli.memory.route import route_parts, router_state_bytes
from phase_router.errors import FileFormatError, InvalidInputError, ResourceLimitError
from phase_router.io import load_npy, pbm_row_degrees, read_degrees, read_pbm, read_row_degrees

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


def peak_bytes(call) -> int:
    """Peak Python + NumPy heap allocation during call() (NumPy reports to tracemalloc)."""
    tracemalloc.start()
    try:
        call()
    except Exception:  # noqa: BLE001 - the refusal itself is checked by the caller
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


HUGE_HEADERS = [
    ("p4-max", b"P4\n2147483647 2147483647\n" + b"\0" * 64),
    ("p1-max", b"P1\n2147483647 2147483647\n" + b"01" * 32),
    ("p4-tall", b"P4\n8 2000000000\n" + b"\xff" * 64),
    ("p4-wide", b"P4 2000000000 1\n" + b"\xff" * 64),
]


@pytest.mark.parametrize(("name", "data"), HUGE_HEADERS, ids=[n for n, _ in HUGE_HEADERS])
@pytest.mark.parametrize("reader", [pbm_row_degrees, read_pbm, read_row_degrees])
def test_pbm_header_claiming_more_than_the_file_is_refused_before_allocating(tmp_path, name, data, reader) -> None:
    path = tmp_path / "x.pbm"
    path.write_bytes(data)
    with pytest.raises(FileFormatError, match="truncated"):
        reader(path)
    assert peak_bytes(lambda: reader(path)) < 2**20


@pytest.mark.parametrize("text", [b"P4\n2147483648 1\n", b"P1 1 99999999999\n", b"P4 1 1" + b"0" * 30 + b"1\n"])
def test_pbm_dimensions_above_int32_are_refused(tmp_path, text) -> None:
    path = tmp_path / "x.pbm"
    path.write_bytes(text + b"\0")
    with pytest.raises(FileFormatError, match="larger than the limit 2147483647"):
        pbm_row_degrees(path)


@pytest.mark.parametrize("shape", [(2**40,), (2**31, 2**31), (3, 2**62), (2**33, 0, 2**70)])
def test_npy_header_claiming_more_than_the_file_is_refused_before_mapping(tmp_path, shape) -> None:
    header = f"{{'descr': '<i4', 'fortran_order': False, 'shape': {shape!r}, }}".ljust(117) + "\n"
    path = tmp_path / "x.npy"
    path.write_bytes(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + b"\1" * 40)
    readers = [load_npy, read_degrees, read_row_degrees]
    for reader in readers:
        with pytest.raises(FileFormatError):
            reader(path)
        assert peak_bytes(lambda r=reader: r(path)) < 2**20


def test_k_above_int32_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="k must be between 1 and 2147483647"):
        phase_router.route_degrees([1, 2], [1, 1], 2**31)
    with pytest.raises(InvalidInputError, match="k must be between"):
        Router([1], [1], 2**64)


def test_routes_larger_than_memory_are_refused_before_allocating() -> None:
    """M x k int32 would be 2^21 x (2^31 - 1) x 4 bytes = 16 PiB: refused, nothing allocated."""
    s, t = np.zeros(2**21, dtype=np.uint32), np.zeros(8, dtype=np.uint32)
    with pytest.raises(ResourceLimitError, match="GiB"):
        phase_router.route_degrees(s, t, 2**31 - 1)


def test_router_state_estimate_is_an_upper_bound() -> None:
    rng = np.random.default_rng(3)
    for M, E in [(1, 1), (1000, 777), (2**15, 4096), (50, 70000), (2**18, 64)]:
        router = Router(rng.integers(0, E + 1, M), rng.integers(0, M + 1, E), 8, strategy="dense")
        estimate = router_state_bytes(M, E)
        assert router.memory_bytes <= estimate <= 2 * router.memory_bytes + 2**16 + 8 * (M + E), (M, E)


@pytest.mark.parametrize(("text", "size"), [("2GiB", 2 * 2**30), ("2G", 2 * 2**30), ("1.5GB", 1_500_000_000),
                                            ("512m", 512 * 2**20), ("1000", 1000), (" 3 KiB ", 3072)])
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "-1G", "0", "2 parsecs", "1e9", "G", "1" + "0" * 308, "9" * 20 + "G",
                                  "0." + "0" * 400 + "1G"])
def test_parse_size_refuses(text: str) -> None:
    with pytest.raises(InvalidInputError, match="--max-memory"):
        parse_size(text)


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def degree_files(tmp_path: Path) -> tuple[Path, Path]:
    np.save(tmp_path / "s.npy", np.full(2**18, 16, dtype=np.int64))
    np.save(tmp_path / "t.npy", np.full(2**10, 2**12, dtype=np.int64))
    return tmp_path / "s.npy", tmp_path / "t.npy"


def test_max_memory_refuses_with_what_it_would_need(tmp_path: Path, degree_files) -> None:
    result = run("route", "--degrees", *degree_files, "-k", 64, "--max-memory", "8M", "--out", tmp_path / "r.npy")
    assert result.exit_code == 2, result.stderr
    line = result.stderr.strip()
    assert "\n" not in line
    assert line.startswith("phase-router: error: this routing would need ")
    assert "routes 64.0 MiB" in line and "prepared state" in line and "more than --max-memory 8.0 MiB" in line
    assert not (tmp_path / "r.npy").exists()


def test_max_memory_counts_the_chunk_not_all_routes(tmp_path: Path, degree_files) -> None:
    """Outputs are streamed, so only one chunk of routes counts (M x k x 4 is 64 MiB here), and
    a limit just above the estimate is enough."""
    parts = route_parts(2**18, 2**10, 64, 1024, threads=1, policy="random", row_local=True)
    assert parts["routes"] == 1024 * 64 * 4
    limit = resident_bytes() + sum(parts.values()) + 2**20 * 16  # the test process itself is "in use"
    result = run("route", "--degrees", *degree_files, "-k", 64, "--chunk-rows", 1024, "--threads", 1,
                 "--max-memory", str(limit), "--out", tmp_path / "r.npy")
    assert result.exit_code == 0, result.stderr
    assert np.load(tmp_path / "r.npy").shape == (2**18, 64)
    result = run("route", "--degrees", *degree_files, "-k", 64, "--chunk-rows", 2**18, "--threads", 1,
                 "--max-memory", str(limit), "--out", tmp_path / "r2.npy")
    assert result.exit_code == 2 and "routes 64.0 MiB" in result.stderr


def test_max_memory_is_checked_from_matrix_headers_before_reading(tmp_path: Path) -> None:
    """S (2^20 x 2^14) and T as sparse P4 files of 2 GiB each: the limit is applied from the
    headers alone, so the refusal comes without reading a raster (peak allocation stays small;
    reading would hold 16 MiB chunks)."""
    for name, (rows, cols) in (("S.pbm", (2**20, 2**14)), ("T.pbm", (2**14, 2**20))):
        header = f"P4\n{cols} {rows}\n".encode()
        with open(tmp_path / name, "wb") as handle:
            handle.write(header)
            handle.truncate(len(header) + rows * cols // 8)
    result = None

    def invoke() -> None:
        nonlocal result
        result = run("route", tmp_path / "S.pbm", tmp_path / "T.pbm", "-k", 4, "--max-memory", "32M")

    assert peak_bytes(invoke) < 8 * 2**20
    assert result.exit_code == 2
    assert "more than --max-memory 32.0 MiB" in result.stderr


def test_default_limit_refuses_absurd_requests(tmp_path: Path) -> None:
    """No --max-memory: the default (80% of RAM) still refuses chunks of 2^31 - 1 routes a row."""
    assert 0 < default_max_memory()
    result = run("route", SAMPLES / "S.pbm", SAMPLES / "T.pbm", "-k", 2**31 - 1, "--chunk-rows", 2**20,
                 "--out", tmp_path / "r.npy")
    assert result.exit_code == 2
    assert "more than --max-memory" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_greedy_selection_counts_all_rows(degree_files) -> None:
    """--select greedy holds every row's routes at once, so the whole M x k counts."""
    result = run("route", "--degrees", *degree_files, "-k", 64, "--select", "greedy", "--max-memory", "40M")
    assert result.exit_code == 2
    assert "routes 64.0 MiB" in result.stderr


def test_one_long_line_in_a_degree_file_does_not_blow_up_memory(tmp_path: Path) -> None:
    """Found while testing limits: NumPy pads every text token to the longest, so one 200 kB line
    among 20000 short ones made read_degrees allocate 3.8 GB for a 240 kB file."""
    path = tmp_path / "s.txt"
    path.write_bytes(b"1\n" * 20000 + b"7" * 200000 + b"\n")
    with pytest.raises(FileFormatError, match="line 20001: .*200000 characters"):
        read_degrees(path)
    assert peak_bytes(lambda: read_degrees(path)) < 32 * 2**20
    path.write_bytes(b"00000000000000000012\n" * 3)  # 20 characters with leading zeros still reads
    assert read_degrees(path).tolist() == [12, 12, 12]
