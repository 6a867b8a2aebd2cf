"""io.write_matrix_chunks: a matrix written row chunk by row chunk is byte for byte
the file write_pbm / np.save write for the whole matrix, bad chunks leave no file, and memory
stays one chunk deep (peak RSS measured in a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import phase_router as pr
from phase_router import io
from phase_router.errors import InvalidInputError


def _bits(rows: int, cols: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random((rows, cols)) < 0.4


def _split(matrix: np.ndarray, sizes: list[int]):
    first = 0
    for size in sizes:
        yield matrix[first : first + size]
        first += size


@pytest.mark.parametrize("shape", [(1, 1), (10, 8), (37, 13), (64, 100), (9, 1000)])
@pytest.mark.parametrize("kind", ["bool", "uint8", "float32", "packed", "mixed"])
def test_chunks_write_the_same_bytes_as_whole_matrix_writers(tmp_path: Path, shape, kind) -> None:
    bits = _bits(*shape, seed=shape[0] * 7 + shape[1])
    rng = np.random.default_rng(1)
    sizes = []
    while sum(sizes) < shape[0]:
        sizes.append(int(min(rng.integers(0, 12), shape[0] - sum(sizes))))  # empty chunks too

    def chunks():
        for x, chunk in enumerate(_split(bits, sizes)):
            choice = kind if kind != "mixed" else ("bool", "uint8", "float32", "packed")[x % 4]
            if choice == "packed":
                yield pr.PackedBits(np.packbits(chunk, axis=1), shape[1])
            elif choice == "bool":
                yield chunk
            else:
                yield chunk.astype(choice)

    whole_pbm, whole_npy = tmp_path / "whole.pbm", tmp_path / "whole.npy"
    io.write_pbm(whole_pbm, bits)
    np.save(whole_npy, bits.view(np.uint8))
    report = io.write_matrix_chunks(tmp_path / "s.pbm", shape, chunks())
    assert (tmp_path / "s.pbm").read_bytes() == whole_pbm.read_bytes()
    assert (report.rows, report.cols, report.ones, report.bytes) == (*shape, int(bits.sum()), whole_pbm.stat().st_size)
    io.write_matrix_chunks(tmp_path / "s.npy", shape, chunks(), fmt="npy")
    assert (tmp_path / "s.npy").read_bytes() == whole_npy.read_bytes()
    np.testing.assert_array_equal(io.read_matrix(tmp_path / "s.npy"), bits)


def test_packed_chunks_with_dirty_padding_write_clean_p4(tmp_path: Path) -> None:
    bits = _bits(5, 11, seed=2)
    packed = np.packbits(bits, axis=1)
    packed[:, -1] |= 0x1F  # padding bits past column 11 set: must not reach the file
    io.write_matrix_chunks(tmp_path / "s.pbm", (5, 11), [pr.PackedBits(packed, 11)])
    io.write_pbm(tmp_path / "w.pbm", bits)
    assert (tmp_path / "s.pbm").read_bytes() == (tmp_path / "w.pbm").read_bytes()


@pytest.mark.parametrize("fmt", ["pbm", "npy"])
@pytest.mark.parametrize("problem, chunks, message", [
    ("too-few-rows", lambda b: [b[:5]], "hold 5 rows, the shape says 8"),
    ("too-many-rows", lambda b: [b, b[:1]], "more than the 8 rows"),
    ("wrong-width", lambda b: [b[:, :5]], "expected (rows, 6)"),
    ("not-0-1", lambda b: [np.where(b, 2, 0)], "only 0 and 1"),
    ("nan", lambda b: [np.where(b, np.nan, 0.0)], "NaN"),
    ("packed-width", lambda b: [pr.PackedBits(np.packbits(b, axis=1), 7)], "width 7"),
    ("one-dimensional", lambda b: [b[0]], "expected (rows, 6)"),
])
def test_bad_chunks_raise_and_leave_no_file(tmp_path: Path, fmt, problem, chunks, message) -> None:
    bits = _bits(8, 6, seed=3)
    target = tmp_path / f"s.{fmt}"
    with pytest.raises(InvalidInputError, match=None) as info:
        io.write_matrix_chunks(target, (8, 6), chunks(bits), fmt=fmt)
    assert message in str(info.value) and str(target) in str(info.value)
    assert list(tmp_path.iterdir()) == []  # no target, no staged temporary


def test_generator_failure_midway_leaves_no_file_and_batch_writes_both_or_neither(tmp_path: Path) -> None:
    bits = _bits(20, 9, seed=4)

    def failing():
        yield bits[:10]
        raise RuntimeError("generator broke")

    with pytest.raises(RuntimeError):
        with io.output_batch() as batch:
            io.write_matrix_chunks(tmp_path / "S.pbm", (20, 9), [bits], batch=batch)
            io.write_matrix_chunks(tmp_path / "T.pbm", (20, 9), failing(), batch=batch)
    assert list(tmp_path.iterdir()) == []
    with io.output_batch() as batch:
        io.write_matrix_chunks(tmp_path / "S.pbm", (20, 9), [bits], batch=batch)
        io.write_matrix_chunks(tmp_path / "T.npy", (20, 9), [bits[:3], bits[3:]], batch=batch, fmt="npy")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["S.pbm", "T.npy"]


def test_bad_shape_and_format_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="rows"):
        io.write_matrix_chunks(tmp_path / "s.pbm", (0, 4), [])
    with pytest.raises(InvalidInputError, match="format"):
        io.write_matrix_chunks(tmp_path / "s.pbm", (1, 4), [np.ones((1, 4), bool)], fmt="png")
    assert io.chunk_rows(1000, budget_bytes=10_000) == 10 and io.chunk_rows(10**9) == 1


_PEAK_SCRIPT = textwrap.dedent("""
    import json, resource, sys
    import numpy as np
    from phase_router import io
    rows, cols, fmt, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    step = io.chunk_rows(cols)
    def chunks():
        rng = np.random.default_rng(0)
        for first in range(0, rows, step):
            n = min(step, rows - first)
            yield np.unpackbits(rng.integers(0, 256, (n, cols // 8), dtype=np.uint8), axis=1).view(bool)
    next(iter(chunks()))  # NumPy's and the core's own first-use allocations belong to the baseline
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    written = io.write_matrix_chunks(path, (rows, cols), chunks(), fmt=fmt)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"extra_mib": (after - before) / 1024, "bytes": written.bytes}))
""")


@pytest.mark.parametrize("fmt", ["pbm", "npy"])
def test_peak_memory_is_one_chunk_not_the_matrix(tmp_path: Path, fmt) -> None:
    """A 65536 x 4096 matrix (256 MiB as bool) is written with a 16 MiB chunk: the process's peak
    RSS may grow by a few chunks' worth, far below the matrix."""
    rows, cols = 65536, 4096
    result = subprocess.run([sys.executable, "-c", _PEAK_SCRIPT, str(rows), str(cols), fmt, str(tmp_path / f"m.{fmt}")],
                            capture_output=True, text=True, check=True)
    measured = json.loads(result.stdout)
    assert measured["bytes"] == (tmp_path / f"m.{fmt}").stat().st_size
    assert measured["extra_mib"] < 96, measured  # the whole matrix would be 256 MiB (bool)


@pytest.mark.parametrize("names", [("S.pbm", "T.pbm"), ("S.npy", "T.npy"), ("S.pbm", "T.npy")])
def test_gen_streams_the_generated_matrices_in_either_format(tmp_path: Path, names) -> None:
    """`gen` writes through write_matrix_chunks; the files hold exactly generate()'s matrices."""
    from typer.testing import CliRunner

    from phase_router.cli import app
    from phase_router.inputs.generators import generate

    S, T = (tmp_path / name for name in names)
    result = CliRunner().invoke(app, ["gen", "uniform", "--shape", "300x77", "--seed", "5", "--out", str(S), str(T)])
    assert result.exit_code == 0, result.output
    want_S, want_T = generate("uniform", 300, 77, seed=5)
    np.testing.assert_array_equal(io.read_matrix(S), want_S)
    np.testing.assert_array_equal(io.read_matrix(T), want_T)
    assert f"({int(want_S.sum()):,} ones)" in result.stdout and "MiB/s" in result.stdout
