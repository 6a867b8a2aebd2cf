"""Peak memory of the seed-averaging commands (`capacity`, `suggest-k`, `compare-hash`), from
their options before any seed is routed: each worker thread holds one routing (M x k int32 and
the router's state), and every seed keeps its loads (int64 per target, twice: the list and the
stacked array) plus its share of the thread pool's bookkeeping."""

from __future__ import annotations

import os

from .route import router_state_bytes

# Measured (benchmarks/bench_memory_estimate.py, docs/RELIABILITY.md): what a seed keeps besides its
# loads: its future and result in run_seeds' thread pool, the per-seed figures the summaries keep.
SEED_BYTES = 32_000
COMPARE_SEED_BYTES = 48_000
COMPARE_CELL_BYTES = 16  # like-for-like baselines: float64 weights over all M x E pairs, and their cumulative sums


def workers() -> int:
    return os.cpu_count() or 1


def seeds_parts(M: int, E: int, k: int, seeds: int, *, routings_at_once: int | None = None) -> dict[str, int]:  # noqa: N803
    """One routing per worker thread at a time, and every seed's loads kept."""
    at_once = routings_at_once or workers()
    return {"routings": at_once * (4 * M * k + router_state_bytes(M, E)),
            "per-seed loads": seeds * (16 * E + SEED_BYTES),
            "degrees": 16 * (M + E)}


def compare_parts(M: int, E: int, k: int, seeds: int, *, candidates: bool) -> dict[str, int]:  # noqa: N803
    """compare-hash routes one router at a time on one thread: the phase counts, the routes, a
    baseline's own scratch (its choices and loads), and with --feasible candidates the seed's
    candidate matrix (bool M x E)."""
    parts = {"routings": COMPARE_CELL_BYTES * M * E + 3 * 4 * M * k + router_state_bytes(M, E),
             "per-seed metrics": seeds * (16 * E + COMPARE_SEED_BYTES),
             "degrees": 16 * (M + E)}
    if candidates:
        parts["candidate matrix"] = 2 * M * E
    return parts
