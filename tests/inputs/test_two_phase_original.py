"""The original's two-phase construction (inputs/two_phase_original.py), computed per router."""

from __future__ import annotations

import numpy as np

from phase_router import route
from phase_router.baselines.hash_original import hash_route_original
from phase_router.inputs import degrees, realise
from phase_router.inputs.two_phase_original import BUCKETS, bucket_columns, two_phase_original


def _phase(S, T, k, seed):
    return route(S, T, k, seed=seed).routes


def test_s2_rows_are_buckets_chosen_by_the_routes_sum() -> None:
    N, k = 256, 16
    tp = two_phase_original(N, k, 4, _phase)
    assert np.all(tp.S1.sum(axis=1) == k) and np.all(tp.T1.sum(axis=1) == k)
    buckets = bucket_columns(N, k, 4)
    sums = np.where(tp.routes1 >= 0, tp.routes1, 0).sum(axis=1)
    assert np.array_equal(tp.S2, buckets[sums % BUCKETS])
    assert np.all(tp.S2.sum(axis=1) == k) and np.all(tp.T2.sum(axis=1) == k)
    assert len({row.tobytes() for row in tp.S2}) <= BUCKETS


def test_each_router_gets_its_own_s2_and_the_same_t2() -> None:
    N, k = 256, 16
    phase = two_phase_original(N, k, 1, _phase)
    hashed = two_phase_original(N, k, 1, lambda S, T, k, seed: hash_route_original(S, T, k, seed=seed))
    assert np.array_equal(phase.S1, hashed.S1) and np.array_equal(phase.T2, hashed.T2)
    assert not np.array_equal(phase.S2, hashed.S2)


def test_registered_generator_is_the_phase_routers_variant() -> None:
    N, k = 128, 8
    s, t = degrees("two-phase-original", N, N, k=k, seed=2)
    assert np.all(s == k) and np.all(t == k)
    S2, T2 = realise("two-phase-original", N, N, k=k, seed=2).matrices()
    tp = two_phase_original(N, k, 2, _phase)
    assert np.array_equal(S2, tp.S2) and np.array_equal(T2, tp.T2)


def test_hash_router_collapses_where_the_phase_router_does_not() -> None:
    """The original's finding, as a measured property: at N = 1024, k = 16 the original's hash
    router piles phase-2 loads on the 128 buckets' columns; the phase router stays at the exact-k
    routing's balance (median max/mean over 5 seeds)."""
    N, k = 1024, 16
    from phase_router.analysis.metrics import max_over_mean
    from phase_router.routing.stats import column_loads

    phase, hashed = [], []
    for seed in range(5):
        for fn, out in ((_phase, phase), (lambda S, T, k, seed: hash_route_original(S, T, k, seed=seed), hashed)):
            tp = two_phase_original(N, k, seed, fn)
            out.append(max_over_mean(column_loads(fn(tp.S2, tp.T2, k, seed), N)))
    assert np.median(hashed) > 2 * np.median(phase)
