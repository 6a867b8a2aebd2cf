"""NPY input reading, memory map against chunked reads: prints one JSON document.

python benchmarks/bench_npy_read.py [--n 16384] [--cols N] [--repetitions 5] [--cold]

On an N x COLS (default N x N) uint8 0/1 NPY file (written once, so it is in the page cache; with
--cold its pages are dropped from the cache before every run with posix_fadvise(DONTNEED)), each
repetition runs, in alternating order (interleaved, so machine noise falls on both alike):
  degrees_mmap     a memory-mapped reader: np.load(mmap_mode="r") and one C++ counting pass
                   over the whole map (a file truncated meanwhile kills the process with SIGBUS)
  degrees_chunked  io.npy_row_degrees, the reader phase-router uses: a few C++ threads each read
                   a bounded chunk with a positional read and count it at once, the file's size
                   checked before and after
  matrix_mmap      np.asarray(np.load(mmap_mode="r")) checked and converted to bool
  matrix_chunked   io.read_npy_matrix (read by the same threads straight into the bool result,
                   each chunk checked as it lands)
Reported: each one's median and minimum in ms, and chunked / mmap ratios of the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from phase_router import _core, io
from phase_router._internal.matrix_degrees import dense_row_degrees, first_non_binary


def degrees_mmap(path: Path) -> np.ndarray:
    array = np.load(path, mmap_mode="r", allow_pickle=False)
    degrees = dense_row_degrees(array)
    assert degrees is not None
    return degrees


def matrix_mmap(path: Path) -> np.ndarray:
    array = np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))
    assert first_non_binary(array) is None
    return array.astype(bool)


def drop_from_cache(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=16384)
    parser.add_argument("--cols", type=int, default=None, help="columns (default: --n)")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="drop the file from the page cache before each run")
    args = parser.parse_args()
    cols = args.n if args.cols is None else args.cols
    runs = {"degrees_mmap": degrees_mmap, "degrees_chunked": lambda p: io.npy_row_degrees(p)[0],
            "matrix_mmap": matrix_mmap, "matrix_chunked": io.read_npy_matrix}
    times: dict[str, list[float]] = {name: [] for name in runs}
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "S.npy"
        rng = np.random.default_rng(0)
        matrix = np.empty((args.n, cols), dtype=np.uint8)
        for first in range(0, args.n, 1024):  # in slices, to keep the generator's temporaries small
            matrix[first:first + 1024] = rng.random((min(1024, args.n - first), cols)) < 0.5
        np.save(path, matrix)
        want = np.count_nonzero(matrix, axis=1)
        del matrix
        for name, run in runs.items():  # warm-up, and check every reader agrees
            result = run(path)
            same = np.array_equal(result, want) if name.startswith("degrees") else np.array_equal(
                np.count_nonzero(result, axis=1), want)
            assert same, name
        names = list(runs)
        for repetition in range(args.repetitions):
            order = names if repetition % 2 == 0 else names[::-1]
            for name in order:
                if args.cold:
                    drop_from_cache(path)
                start = time.perf_counter()
                runs[name](path)
                times[name].append((time.perf_counter() - start) * 1e3)
        size = os.path.getsize(path)
    median = {name: statistics.median(values) for name, values in times.items()}
    print(json.dumps({
        "benchmark": "npy_read",
        "n": args.n, "cols": cols, "file_bytes": size, "repetitions": args.repetitions, "page_cache": "cold" if args.cold else "hot",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "numpy": np.__version__,
                    "cpu_path": _core.cpu_path, "load_average": os.getloadavg()},
        "median_ms": median,
        "min_ms": {name: min(values) for name, values in times.items()},
        "all_ms": times,
        "chunked_over_mmap": {"degrees": median["degrees_chunked"] / median["degrees_mmap"],
                              "matrix": median["matrix_chunked"] / median["matrix_mmap"]},
    }, indent=2))


if __name__ == "__main__":
    main()
