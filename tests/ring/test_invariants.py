"""Properties every routing has (SPEC "Output"), checked on the kernel's output."""

from __future__ import annotations

import numpy as np
from degree_cases import Case, routing_cases
from hypothesis import given

from phase_router import reference, route_degrees


@given(routing_cases(max_dim=200))
def test_routes_are_capped_sorted_candidates_padded_at_the_end(case: Case) -> None:
    routes = route_degrees(case.s, case.t, case.k, seed=case.seed, row_perm=case.row_perm).routes
    candidates = reference.pipeline(*reference.matrices_from_degrees(case.s, case.t), case.k,
                                    case.seed, case.row_perm).candidates
    assert routes.shape == (case.M, case.k) and routes.dtype == np.int32
    for i in range(case.M):
        row = routes[i]
        valid = row[row >= 0]
        n = valid.size
        assert np.all(row[n:] == -1), "padding only after the routes"
        assert np.all(row[:n] >= 0) and np.all(valid < case.E)
        assert np.all(np.diff(valid) > 0), "distinct targets in ascending order"
        assert np.all(candidates[i, valid]), "every route is a candidate"
        assert n == min(case.k, int(candidates[i].sum())), "k kept whenever there are k candidates"


@given(routing_cases(max_dim=120))
def test_same_seed_gives_same_routes(case: Case) -> None:
    first = route_degrees(case.s, case.t, case.k, seed=case.seed, row_perm=case.row_perm).routes
    again = route_degrees(case.s, case.t, case.k, seed=case.seed, row_perm=case.row_perm).routes
    assert first.tobytes() == again.tobytes()


def test_different_seeds_give_different_routes() -> None:
    s = np.full(100, 50)
    t = np.full(100, 50)
    outputs = {route_degrees(s, t, 10, seed=seed).routes.tobytes() for seed in (0, 1, 2, 2**64 - 1)}
    assert len(outputs) == 4


def test_empty_source_rows_and_empty_targets_are_never_routed() -> None:
    s = np.array([0, 5, 0, 5, 5])
    t = np.array([0, 5, 5, 0, 5])
    routes = route_degrees(s, t, 4, seed=3).routes
    assert np.all(routes[[0, 2]] == -1)
    assert not np.isin(routes, [0, 3]).any()


def test_full_rows_give_every_source_k_routes() -> None:
    M, E = 50, 40
    routes = route_degrees(np.full(M, E), np.full(E, M), 7, seed=1).routes
    assert np.all(routes >= 0)  # every pair is a candidate, so every row is full
