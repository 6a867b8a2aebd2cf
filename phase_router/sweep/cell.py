"""Running one cell: make its degrees, route (timed `repetitions` times), measure the routes.

`run_cell` is a pure function of the cell (timings aside), which is what makes results identical
whatever the executor: a thread, another process or a Dask worker computes the same record.
"""

from __future__ import annotations

import hashlib
import math
import statistics
import time

import numpy as np

from ..routing.stats import column_loads
from .grid import Cell
from ..inputs.generators import degrees
from ..analysis import like_for_like
from ..analysis.routers import ROUTERS, as_degrees

# Fields that vary from run to run by nature; everything else in a record is deterministic.
SMALL_CELL_ROUTES = 1 << 16  # M * k below this: route on one thread
TIMING_FIELDS = ("generate_ms", "route_ms_min", "route_ms_median", "metrics_ms", "threads")


def cell_degrees(cell: Cell) -> tuple[np.ndarray, np.ndarray]:
    if cell.input["generator"] == "file":
        from .. import io

        s, _ = io.read_row_degrees(cell.files["S"])
        t, _ = io.read_row_degrees(cell.files["T"])
        return s, t
    params = {k: v for k, v in cell.input.items() if k != "generator"}
    return degrees(cell.input["generator"], cell.M, cell.E, k=cell.k, seed=cell.seed, **params)


def cell_routes(cell: Cell, threads: int = 0, s=None, t=None) -> np.ndarray:
    """The cell's routes. Baselines route like for like (docs/METRICS.md): source i gets the phase
    router's own route count r_i = min(k, c_i) at the cell's seed, picked from all E targets."""
    if s is None or t is None:
        s, t = cell_degrees(cell)
    if cell.router in like_for_like.BASELINES:
        s, t = as_degrees(s, t)
        counts = like_for_like.phase_counts(s, t, cell.k, cell.seed)
        return like_for_like.route(cell.router, s, t, cell.k, cell.seed, counts)
    return ROUTERS[cell.router].function(
        s, t, cell.k, seed=cell.seed, row_perm=bool(cell.row_perm), strategy=cell.strategy or "auto",
        threads=threads,
    )


def routes_digest(routes: np.ndarray) -> str:
    """sha256 of the shape line "M x k" and the routes as little-endian int32, row-major."""
    data = np.ascontiguousarray(routes, dtype="<i4")
    digest = hashlib.sha256(f"{data.shape[0]}x{data.shape[1]}\n".encode())
    digest.update(data.tobytes())
    return digest.hexdigest()


def run_cell(cell: Cell, threads: int = 0) -> dict:
    """The record of one cell: its parameters, metrics, routes digest and (separately) timings.
    threads = 0 means all cores, except for tiny cells, where starting OpenMP threads costs more
    than the work (and spins badly on a busy machine). The thread count never changes a result."""
    if threads == 0 and cell.M * cell.k < SMALL_CELL_ROUTES:
        threads = 1
    started = time.perf_counter()
    s, t = cell_degrees(cell)
    generate_ms = (time.perf_counter() - started) * 1e3

    times, routes = [], None
    for _ in range(cell.repetitions):
        began = time.perf_counter()
        again = cell_routes(cell, threads, s, t)
        times.append((time.perf_counter() - began) * 1e3)
        if routes is not None and not np.array_equal(routes, again):
            raise RuntimeError(f"router {cell.router!r} gave different routes for the same cell {cell.cell_id}")
        routes = again

    began = time.perf_counter()
    record = {"cell_id": cell.cell_id, "router": cell.router, "input": cell.input_label,
              "M": cell.M, "E": cell.E, "k": cell.k, "seed": cell.seed, "row_perm": cell.row_perm,
              "strategy": cell.strategy, "repetitions": cell.repetitions}
    record.update(measure(routes, cell.E, cell.k, cell.metrics))
    record["routes_sha256"] = routes_digest(routes)
    record["cell"] = cell.to_dict()  # enough to rebuild the cell (plots recompute load histograms)
    timings = {"generate_ms": generate_ms, "metrics_ms": (time.perf_counter() - began) * 1e3, "threads": threads}
    if "time" in cell.metrics:
        timings.update(route_ms_min=min(times), route_ms_median=statistics.median(times))
    record["timings"] = timings
    return record


def measure(routes: np.ndarray, E: int, k: int, metrics) -> dict:
    """Metric groups: fill (routes used), loads (per-target counts), skew (max / mean load)."""
    M = routes.shape[0]
    loads = column_loads(routes, E)
    active = int(loads.sum())
    mean = active / E
    out: dict = {}
    if "fill" in metrics:
        out["active_routes"] = active
        out["fill_ratio"] = active / (M * k)
        out["rows_underfilled"] = int(np.count_nonzero(routes[:, k - 1] < 0))
    # Integer sums and single correctly rounded divisions / sqrt: the same floats on every machine
    # (NumPy's float reductions may sum in a platform-dependent order).
    peak = int(loads.max())
    if "loads" in metrics:
        sum_sq = int(np.dot(loads.astype(np.int64), loads.astype(np.int64)))
        out.update(load_min=int(loads.min()), load_max=peak, load_mean=mean,
                   load_std=math.sqrt((E * sum_sq - active * active) / (E * E)),
                   empty_targets=int(np.count_nonzero(loads == 0)))
    if "skew" in metrics:
        out["skew"] = peak * E / active if active > 0 else 0.0
    return out
