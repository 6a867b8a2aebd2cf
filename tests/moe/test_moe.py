"""phase_router.moe: dispatch / combine(docs/MOE.md)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, strategies as st

import phase_router as pr
from phase_router import moe


def moe_routing(M: int, E: int, k: int, seed: int) -> pr.Routing:
    rng = np.random.default_rng(seed)
    return pr.route_degrees(rng.integers(0, E + 1, M), rng.integers(0, M + 1, E), k, seed=seed)


def check_dispatch(r: pr.Routing, d: moe.Dispatch, caps: np.ndarray | None) -> None:
    routes = r.routes
    M, k = routes.shape
    E = r.stats.E
    pairs = {(int(i), int(routes[i, j])) for i, j in zip(*np.nonzero(routes >= 0))}
    kept = set()
    for e in range(E):
        tokens = d.indices[d.expert_rows(e)]
        assert np.all(np.diff(tokens) > 0)  # ascending token ids, each once
        everyone = sorted(i for i, x in pairs if x == e)
        limit = len(everyone) if caps is None else min(len(everyone), int(caps[e]))
        assert tokens.tolist() == everyone[:limit]  # the lowest token ids are kept
        kept |= {(int(i), e) for i in tokens}
    dropped = {(int(i), int(e)) for i, e in d.dropped}
    assert kept | dropped == pairs and not (kept & dropped)
    assert d.n_dropped == len(dropped)
    for i in range(M):
        for j in range(k):
            e = int(routes[i, j])
            if e < 0 or (i, e) in dropped:
                assert d.slots[i, j] == -1 and d.positions[i, j] == -1
            else:
                assert d.indices[d.positions[i, j]] == i
                assert d.positions[i, j] == d.indptr[e] + d.slots[i, j]


@given(M=st.integers(1, 60), E=st.integers(1, 30), k=st.integers(1, 8), seed=st.integers(0, 2**32),
       cap=st.one_of(st.none(), st.integers(0, 10)))
def test_dispatch_lists_every_route_once_and_drops_the_highest_tokens(M, E, k, seed, cap) -> None:
    r = moe_routing(M, E, k, seed)
    d = moe.dispatch(r, E, capacity=cap)
    check_dispatch(r, d, None if cap is None else np.full(E, cap))
    if cap is None:
        assert d.n_dropped == 0 and np.array_equal(d.counts, r.column_loads)


def test_per_expert_capacities() -> None:
    r = moe_routing(200, 12, 3, 5)
    caps = np.arange(12) * 3
    d = moe.dispatch(r, 12, capacity=caps)
    check_dispatch(r, d, caps)
    assert np.array_equal(d.counts, np.minimum(r.column_loads, caps))
    assert d.n_dropped == int(np.maximum(r.column_loads - caps, 0).sum()) > 0


def test_combine_inverts_dispatch_and_matches_the_dense_loop() -> None:
    M, E, k, D = 300, 16, 4, 5
    r = moe_routing(M, E, k, 11)
    rng = np.random.default_rng(0)
    x = rng.integers(-8, 8, (M, D)).astype(np.float64)
    W = rng.integers(-3, 4, (E, D, D)).astype(np.float64)
    gates = rng.integers(1, 4, (M, k)).astype(np.float64)
    d = moe.dispatch(r, E, capacity=25)
    xs = d.gather(x)
    ys = np.empty_like(xs)
    for e in range(E):
        ys[d.expert_rows(e)] = xs[d.expert_rows(e)] @ W[e]
    got = moe.combine(d, ys, gates)
    dense = np.zeros((M, D))
    for j in range(k):  # the dense computation: every token, slot by slot, dropped routes skipped
        for i in range(M):
            e = r.routes[i, j]
            if e >= 0 and d.slots[i, j] >= 0:
                dense[i] += gates[i, j] * (x[i] @ W[e])
    assert np.array_equal(got, dense)
    # identity experts and unit gates: combine(dispatch) counts each token's kept routes
    counted = moe.combine(d, d.gather(np.ones((M, 1))))
    assert np.array_equal(counted[:, 0], (d.slots >= 0).sum(axis=1))


def test_plain_routes_arrays_and_bad_arguments() -> None:
    r = moe_routing(50, 7, 2, 3)
    assert np.array_equal(moe.dispatch(r.routes, 7).indices, moe.dispatch(r, 7).indices)
    with pytest.raises(pr.ShapeMismatchError, match="E = 7 targets, but E = 8"):
        moe.dispatch(r, 8)
    with pytest.raises(pr.InvalidInputError, match=r"expert ids in \[0, 5\)"):
        moe.dispatch(r.routes, 5)
    with pytest.raises(pr.InvalidInputError, match="capacity must be"):
        moe.dispatch(r, 7, capacity=np.ones(3, dtype=int))
    with pytest.raises(pr.InvalidInputError, match="capacity must be between 0"):
        moe.dispatch(r, 7, capacity=-1)
    with pytest.raises(pr.ShapeMismatchError, match="expert_outputs has 3 rows"):
        moe.combine(moe.dispatch(r, 7), np.zeros((3, 2)))
