"""The API from many Python threads at once: identical results to sequential calls, and the
kernels run without the GIL (other Python threads make progress during a call)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import phase_router
from phase_router import Router

THREADS, CALLS = 8, 50


def make_call(n: int):
    """Call n of a varied mix: route (dense matrices and PackedBits), route_degrees with every
    strategy and row order, and route_rows of a Router shared by all threads."""
    rng = np.random.default_rng(n)
    M, E = int(rng.integers(1, 300)), int(rng.integers(1, 300))
    k = int(rng.integers(1, E + 8))
    seed = int(rng.integers(0, 2**64, dtype=np.uint64))
    kind = n % 4
    if kind == 0:
        S, T = rng.random((M, E)) < rng.random(), rng.random((E, M)) < rng.random()  # noqa: N806
        return lambda: phase_router.route(S, T, k, seed=seed).routes
    if kind == 1:
        S = phase_router.PackedBits(np.packbits(rng.random((M, E)) < 0.3, axis=1), E)  # noqa: N806
        T = rng.random((E, M)) < 0.6  # noqa: N806
        return lambda: phase_router.route(S, T, k, seed=seed, row_perm=True, threads=2).routes
    s, t = rng.integers(0, E + 1, M), rng.integers(0, M + 1, E)
    if kind == 2:
        strategy = ("auto", "dense", "sparse")[n % 3]
        return lambda: phase_router.route_degrees(s, t, k, seed=seed, strategy=strategy, row_perm=bool(n % 2)).routes
    start = int(rng.integers(0, SHARED.M))
    stop = int(rng.integers(start, SHARED.M + 1))
    return lambda: SHARED.route_rows(start, stop, threads=1 + n % 3)


_rng = np.random.default_rng(99)
SHARED = Router(_rng.integers(0, 501, 2000), _rng.integers(0, 2001, 500), 32, seed=7, strategy="auto")


def test_many_threads_match_sequential_calls() -> None:
    calls = [make_call(n) for n in range(THREADS * CALLS)]
    expected = [call() for call in calls]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        # Each worker takes every 8th call, so all eight run the whole time, interleaved.
        results = list(pool.map(lambda w: [calls[n]() for n in range(w, len(calls), THREADS)], range(THREADS)))
    for w, chunk in enumerate(results):
        for i, routes in enumerate(chunk):
            n = w + i * THREADS
            assert routes.dtype == np.int32
            assert np.array_equal(routes, expected[n]), f"call {n} differs when run concurrently"


def test_kernel_releases_the_gil() -> None:
    """While one thread routes into a sentinel-filled buffer, another Python thread watches it
    fill up. Holding the GIL for the whole call would hide every partial state from the watcher,
    so seeing one proves the GIL is released (no timing involved)."""
    rng = np.random.default_rng(1)
    M, E, k = 2**16, 2048, 32
    router = Router(rng.integers(E // 4, E + 1, M), rng.integers(M // 4, M + 1, E), k, seed=1, strategy="dense")
    buffer = np.full((M, k), -2, dtype=np.int32)
    partial_seen = False
    started = threading.Event()

    def work() -> None:
        started.set()
        router.route_rows(0, M, out=buffer, threads=1)

    worker = threading.Thread(target=work)
    worker.start()
    started.wait()
    while worker.is_alive() and not partial_seen:
        written = int(np.count_nonzero(buffer[:, 0] != -2))
        partial_seen = 0 < written < M
    worker.join()
    assert np.count_nonzero(buffer == -2) == 0
    assert partial_seen, "no other thread ran while the kernel was routing: is the GIL held?"
