"""Routing benchmark: prints one JSON document (python benchmarks/bench_route.py [--help]).

For each (N, k), with density-0.5 inputs, it reports median wall times of:
  kernel      _core.route_degrees on degrees (the routing itself), into a fresh output array
  kernel_reused  the same into a reused output array (no first-touch page faults: the steady
              state of a caller that routes every step, via route(..., out=buffer))
  write_output  np.full((N, k), -1, int32): writing the output alone, the kernel's floor
              (write_output_reused: into the reused buffer); kernel_over_write_output the ratio
  api         phase_router.route_degrees (validation + kernel + stats)
  from_p4     degrees streamed from a P4 file + api
matrix columns, on the same matrices unpacked to uint8 and bool, run round-robin
in each repetition (medians; ratios taken within a repetition, then the median):
  count_nonzero  np.count_nonzero(S) + np.count_nonzero(T) on the uint8 matrices (what reading
              them once costs); floor = count_nonzero + api (matrix_api: api in these rounds)
  route_uint8 / route_bool   phase_router.route(S, T, k) on the in-memory arrays
  route_memmap    phase_router.route on np.load(..., mmap_mode="r") of the NPY files
  from_npy    io.read_row_degrees on the uint8 NPY files + api (the CLI's path)
  *_numpy     the same with NumPy row sums and checks (the pure-NumPy paths)
  *_over_floor    each of those divided by the floor (target: at most 1.5)
  reference   the literal NumPy pipeline (only up to --reference-max-n; it is O(N^2) memory and a
              Python loop per selected route)
and ratios. `original_reported_ms` are the original system's routing-only times measured on a
2-core machine (quoted, not measured here).
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

import phase_router as pr
from phase_router import _core, io, reference
from phase_router._internal.matrix_degrees import matrix_row_degrees_numpy
from phase_router.io.npy import npy_row_degrees_numpy

GRID = [(256, 64), (512, 256), (1024, 256), (2048, 512), (4096, 512), (8192, 512), (16384, 1024)]
ORIGINAL_REPORTED_MS = {(4096, 512): 69.0, (16384, 1024): 1840.0}


def median_ms(fn, reps: int) -> float:
    fn()  # warm-up: first-touch pages, thread pool start-up
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def random_bits(rng: np.random.Generator, rows: int, cols: int) -> np.ndarray:
    """Packed rows of a density-0.5 matrix (uniform random bytes), padding bits cleared."""
    packed = rng.integers(0, 256, size=(rows, (cols + 7) // 8), dtype=np.uint8)
    if cols % 8:
        packed[:, -1] &= np.uint8((0xFF00 >> (cols % 8)) & 0xFF)
    return packed


def bench_one(N: int, k: int, reps: int, reference_max_n: int, workdir: Path, seed: int) -> dict:
    rng = np.random.default_rng(N)
    S = pr.PackedBits(random_bits(rng, N, N), N)
    T = pr.PackedBits(random_bits(rng, N, N), N)
    s = _core.packed_row_degrees(S.bits, N)
    t = _core.packed_row_degrees(T.bits, N)
    row: dict = {"N": N, "k": k, "density": 0.5, "seed": seed}

    row["kernel_ms"] = median_ms(lambda: _core.route_degrees(s, t, k, seed), reps)
    buffer = np.empty((N, k), dtype=np.int32)
    row["kernel_reused_ms"] = median_ms(lambda: _core.route_degrees(s, t, k, seed, False, 0, buffer), reps)
    # The kernel's floor: only writing the N x k int32 output (fresh pages, as the kernel's own
    # fresh-array column) and then the same into the reused buffer.
    row["write_output_ms"] = median_ms(lambda: np.full((N, k), -1, dtype=np.int32), reps)
    row["write_output_reused_ms"] = median_ms(lambda: buffer.fill(-1), reps)
    row["kernel_over_write_output"] = round(row["kernel_ms"] / row["write_output_ms"], 1)
    row["api_ms"] = median_ms(lambda: pr.route_degrees(s, t, k, seed=seed), reps)
    routing = pr.route_degrees(s, t, k, seed=seed)
    row["active_routes"] = routing.stats.active_routes
    row["fill_ratio"] = round(routing.stats.fill_ratio, 6)
    row["column_load_max_over_mean"] = round(routing.stats.column_load_max_over_mean, 6)

    p4_S, p4_T = workdir / f"S{N}.pbm", workdir / f"T{N}.pbm"
    io.write_pbm(p4_S, S)
    io.write_pbm(p4_T, T)

    def from_files(a: Path, b: Path) -> None:
        ds, _ = io.read_row_degrees(a)
        dt, _ = io.read_row_degrees(b)
        pr.route_degrees(ds, dt, k, seed=seed)

    row["from_p4_ms"] = median_ms(lambda: from_files(p4_S, p4_T), max(1, reps // 2))
    npy_S, npy_T = workdir / f"S{N}.npy", workdir / f"T{N}.npy"
    S8, T8 = S.unpack().view(np.uint8), T.unpack().view(np.uint8)
    np.save(npy_S, S8)
    np.save(npy_T, T8)
    row.update(bench_matrices(S8, T8, npy_S, npy_T, k, seed, reps))
    for path in (p4_S, p4_T, npy_S, npy_T):
        path.unlink()

    if N <= reference_max_n:
        start = time.perf_counter()
        oracle = reference.route_degrees(s, t, k, seed)
        row["reference_ms"] = (time.perf_counter() - start) * 1e3
        row["reference_equal"] = bool(np.array_equal(oracle, routing.routes))
        row["reference_over_kernel"] = round(row["reference_ms"] / row["kernel_ms"], 1)
    if (N, k) in ORIGINAL_REPORTED_MS:
        original = ORIGINAL_REPORTED_MS[(N, k)]
        row["original_reported_ms"] = original
        row["original_over_kernel"] = round(original / row["kernel_ms"], 1)
    for key in list(row):
        if key.endswith("_ms"):
            row[key] = round(row[key], 3)
    return row


def bench_matrices(S8: np.ndarray, T8: np.ndarray, npy_S: Path, npy_T: Path, k: int, seed: int,
                   reps: int) -> dict:
    """route(S, T, k) from unpacked matrices and memory-mapped NPY files against the floor of
    reading both matrices once (count_nonzero) plus routing from degrees (api). The paths run
    round-robin within each repetition and each ratio is taken within its repetition, so load
    from other processes on a shared machine shifts numerator and floor alike."""
    Sb, Tb = S8.view(bool), T8.view(bool)
    s, t = np.count_nonzero(S8, axis=1), np.count_nonzero(T8, axis=1)

    def numpy_path(a: np.ndarray, b: np.ndarray) -> None:
        pr.route_degrees(matrix_row_degrees_numpy(a, "S"), matrix_row_degrees_numpy(b, "T"), k, seed=seed)

    def from_files(reader) -> None:
        pr.route_degrees(reader(npy_S)[0], reader(npy_T)[0], k, seed=seed)

    paths = {
        "count_nonzero": lambda: (np.count_nonzero(S8), np.count_nonzero(T8)),
        "api": lambda: pr.route_degrees(s, t, k, seed=seed),
        "route_uint8": lambda: pr.route(S8, T8, k, seed=seed),
        "route_bool": lambda: pr.route(Sb, Tb, k, seed=seed),
        "route_memmap": lambda: pr.route(np.load(npy_S, mmap_mode="r"), np.load(npy_T, mmap_mode="r"), k, seed=seed),
        "from_npy": lambda: from_files(io.read_row_degrees),
        "route_uint8_numpy": lambda: numpy_path(S8, T8),
        "route_bool_numpy": lambda: numpy_path(Sb, Tb),
        "from_npy_numpy": lambda: from_files(npy_row_degrees_numpy),
    }
    times: dict[str, list[float]] = {name: [] for name in paths}
    for fn in paths.values():
        fn()  # warm-up
    for _ in range(reps):
        for name, fn in paths.items():
            start = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - start) * 1e3)
    floors = [a + b for a, b in zip(times["count_nonzero"], times["api"])]
    out: dict = {f"{name}_ms": statistics.median(values) for name, values in times.items()}
    out["floor_ms"] = statistics.median(floors)
    for name in paths:
        if name not in ("count_nonzero", "api"):
            out[f"{name}_over_floor"] = round(statistics.median(v / f for v, f in zip(times[name], floors)), 2)
    out["matrix_api_ms"] = out.pop("api_ms")  # the api measured within these rounds
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(f"{n}:{k}" for n, k in GRID),
                        help="comma-separated N:k pairs (default: 256:64 up to 16384:1024)")
    parser.add_argument("--reps", type=int, default=9, help="timed repetitions per measurement (median)")
    parser.add_argument("--reference-max-n", type=int, default=4096, help="largest N the reference runs at")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    grid = [tuple(int(x) for x in pair.split(":")) for pair in args.sizes.split(",")]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for N, k in grid:
            results.append(bench_one(N, k, args.reps, args.reference_max_n, Path(tmp), args.seed))
    print(json.dumps({
        "benchmark": "route",
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "openmp": pr._has_openmp, "omp_num_threads": os.environ.get("OMP_NUM_THREADS")},  # noqa: SLF001
        "phase_router": pr.__version__,
        "results": results,
    }, indent=2))


if __name__ == "__main__":
    main()
