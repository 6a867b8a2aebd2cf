"""phase_router.compat.router's routing calls, as the original documented them: routes written in
place into the caller's int32 array (-1 padded), the stats dict with the original's keys, its
argument names and defaults; and one-line typed refusals where the original scrambled memory."""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest

import phase_router as pr
from phase_router.compat import router
from phase_router.errors import InvalidInputError, PhaseRouterError, ShapeMismatchError

RNG = np.random.default_rng(9)
N, K = 96, 8
S = (RNG.random((N, N)) < 0.3).astype(np.uint8)
T = (RNG.random((N, N)) < 0.3).astype(np.uint8)
ORIGINAL_KEYS = {"N", "k", "active_routes", "packing_time_ms", "routing_time_ms", "total_time_ms", "routes_per_row"}


def buffer(rows: int = N, k: int = K) -> np.ndarray:
    return np.full((rows, k), 12345, dtype=np.int32)  # a value no routing writes


def packed(matrix: np.ndarray) -> np.ndarray:
    return router.pack_bits(router.left_align_rows(matrix))


# The original's bindings, as its module declared them: (name, parameters with defaults).
ORIGINAL_SIGNATURES = {
    "pack_and_route": [("S_np", None), ("T_np", None), ("k", None), ("routes_np", None), ("dump", False),
                       ("prefix", "dump"), ("validate", False), ("seed", 0)],
    "route_packed_with_stats": [("S_bits", None), ("T_bits", None), ("row_perm", None), ("col_perm_S", None),
                                ("col_perm_T", None), ("row_perm_T", None), ("k", None), ("routes", None),
                                ("validate", False), ("debug_prefix", ""), ("seed", 0)],
    "phase_router_bitpacked": [("N", None), ("k", None), ("NB_words", None), ("S_bits", None), ("T_bits", None),
                               ("row_perm", None), ("col_perm_S", None), ("col_perm_T", None), ("row_perm_T", None),
                               ("routes", None), ("debug_prefix", None), ("seed_base", 0)],
    "router": [("S", None), ("T", None), ("k", None), ("routes", None), ("validate", False), ("debug_prefix", ""),
               ("seed", 0)],
}


@pytest.mark.parametrize("name", sorted(ORIGINAL_SIGNATURES))
def test_signatures_are_the_originals(name: str) -> None:
    parameters = list(inspect.signature(getattr(router, name)).parameters.values())
    assert [p.name for p in parameters] == [n for n, _ in ORIGINAL_SIGNATURES[name]]
    for parameter, (_, default) in zip(parameters, ORIGINAL_SIGNATURES[name]):
        if default is None and parameter.name != "debug_prefix":
            assert parameter.default is inspect.Parameter.empty, parameter.name
        else:
            assert parameter.default == default, parameter.name


def test_pack_bits_and_left_align_rows_take_one_positional_argument() -> None:
    """The original declared no argument names for these two: positional only."""
    for function in (router.pack_bits, router.left_align_rows):
        (parameter,) = inspect.signature(function).parameters.values()
        assert parameter.kind is inspect.Parameter.POSITIONAL_ONLY


def test_pack_and_route_writes_into_the_callers_array() -> None:
    routes = buffer()
    stats = router.pack_and_route(S, T, K, routes, seed=11)
    expected = pr.route(S, T, K, seed=11).routes
    assert np.array_equal(routes, expected)
    assert not np.any(routes == 12345)
    assert ORIGINAL_KEYS <= set(stats) and {"seed", "M", "E"} <= set(stats)
    assert stats["N"] == N and stats["k"] == K and stats["seed"] == 11 and (stats["M"], stats["E"]) == (N, N)
    assert stats["active_routes"] == int(np.count_nonzero(routes >= 0))
    assert stats["routes_per_row"] == stats["active_routes"] / N
    for key in ("N", "k", "active_routes", "seed"):
        assert type(stats[key]) is int, key
    for key in ("packing_time_ms", "routing_time_ms", "total_time_ms", "routes_per_row"):
        assert type(stats[key]) is float and stats[key] >= 0, key
    assert stats["total_time_ms"] == pytest.approx(stats["packing_time_ms"] + stats["routing_time_ms"])


def test_positional_call_as_the_originals_scripts_make_it() -> None:
    routes = buffer()
    stats = router.pack_and_route(S, T, K, routes, False, "dump", False, 11)
    assert stats["seed"] == 11 and np.array_equal(routes, pr.route(S, T, K, seed=11).routes)


def test_padding_is_minus_one_after_the_targets() -> None:
    sparse_S = np.zeros((N, N), np.uint8)
    sparse_S[:, :2] = 1  # two ones per row: at most two candidates, k = 8 slots
    routes = buffer()
    stats = router.pack_and_route(sparse_S, T, K, routes, seed=3)
    kept = routes >= 0
    assert np.all(kept.sum(axis=1) <= 2) and np.all(routes[:, 2:] == -1)
    assert stats["active_routes"] == int(kept.sum()) < N * K
    wide = buffer(N, 2 * N)  # k beyond the number of targets: the slots past E stay -1
    router.pack_and_route(S, T, 2 * N, wide, seed=3)
    assert np.all(wide[:, N:] == -1)


def test_rectangular_inputs() -> None:
    """The original handled N x N only; M x E with T as E x M works here (N in the stats is M)."""
    S_rect = (RNG.random((40, 70)) < 0.5).astype(bool)
    T_rect = (RNG.random((70, 40)) < 0.5).astype(bool)
    routes = buffer(40, 5)
    stats = router.pack_and_route(S_rect, T_rect, 5, routes, seed=2)
    assert (stats["N"], stats["M"], stats["E"]) == (40, 40, 70)
    assert np.array_equal(routes, pr.route(S_rect, T_rect, 5, seed=2).routes)


@pytest.mark.parametrize("dtype", [np.uint8, bool, np.int32, np.int64, np.float32, np.float64])
def test_any_numeric_zero_one_matrix(dtype) -> None:
    routes = buffer()
    router.pack_and_route(S.astype(dtype), T.astype(dtype), K, routes, seed=4)
    assert np.array_equal(routes, pr.route(S, T, K, seed=4).routes)


@pytest.mark.parametrize(("routes", "problem"), [
    (np.zeros((N, K), np.int64), "dtype int64"),
    (np.zeros((N, K), np.uint32), "dtype uint32"),
    (np.zeros((N, 2 * K), np.int32), "shape"),
    (np.zeros((N * K,), np.int32), "shape"),
    (np.zeros((K, N), np.int32).T, "not C-contiguous"),
    (np.zeros((N, 2 * K), np.int32)[:, ::2], "not C-contiguous"),
])
def test_buffers_that_cannot_hold_the_routes_in_place_are_refused(routes, problem) -> None:
    before = routes.copy()
    with pytest.raises(InvalidInputError, match="routes_np") as refused:
        router.pack_and_route(S, T, K, routes, seed=1)
    assert problem in str(refused.value) and "\n" not in str(refused.value)
    assert np.array_equal(routes, before)


def test_read_only_and_non_arrays_are_refused() -> None:
    frozen = np.zeros((N, K), np.int32)
    frozen.flags.writeable = False
    with pytest.raises(InvalidInputError, match="read-only"):
        router.pack_and_route(S, T, K, frozen, seed=1)
    with pytest.raises(InvalidInputError, match="NumPy int32 array"):
        router.pack_and_route(S, T, K, [[0] * K] * N, seed=1)


def test_bad_matrices_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="only 0 and 1"):
        router.pack_and_route(S * 2, T, K, buffer(), seed=1)
    index_rows = RNG.integers(0, N, size=(N, K))  # per-row index lists, not a 0/1 matrix
    with pytest.raises(PhaseRouterError):
        router.pack_and_route(index_rows, index_rows, K, buffer(), seed=1)
    with pytest.raises(ShapeMismatchError):
        router.pack_and_route(S[:, :50], S[:, :50], K, buffer(), seed=1)
    for bad_k in (0, -1, 1.5, True):
        with pytest.raises(InvalidInputError, match="k"):
            router.pack_and_route(S, T, bad_k, buffer(), seed=1)
    for bad_seed in (-1, 2**64, 1.0, "7"):
        with pytest.raises(InvalidInputError, match="seed"):
            router.pack_and_route(S, T, K, buffer(), seed=bad_seed)


def test_route_packed_with_stats_routes_the_row_sums_of_the_words() -> None:
    identity = np.arange(N, dtype=np.uint64)
    routes = buffer()
    stats = router.route_packed_with_stats(packed(S), packed(T), identity, identity, identity, identity, K, routes,
                                           seed=21)
    assert np.array_equal(routes, pr.route(S, T, K, seed=21).routes)
    assert ORIGINAL_KEYS <= set(stats) and stats["seed"] == 21
    assert stats["active_routes"] == int(np.count_nonzero(routes >= 0))


def test_route_packed_with_stats_checks_the_permutations_and_then_ignores_them() -> None:
    """The original shuffled the permutations it was given with the seed, so they never chose
    the routing: any permutations give the same routes here, and non-permutations are refused."""
    identity = np.arange(N)
    shuffled = [RNG.permutation(N) for _ in range(4)]
    first, second = buffer(), buffer()
    router.route_packed_with_stats(packed(S), packed(T), identity, identity, identity, identity, K, first, seed=5)
    router.route_packed_with_stats(packed(S), packed(T), *shuffled, K, second, seed=5)
    assert np.array_equal(first, second)
    repeated = identity.copy()
    repeated[3] = 4
    for name, bad in (("row_perm", repeated), ("col_perm_S", identity[:-1]), ("col_perm_T", identity + 1),
                      ("row_perm_T", identity.astype(float))):
        arguments = dict(row_perm=identity, col_perm_S=identity, col_perm_T=identity, row_perm_T=identity)
        arguments[name] = bad
        with pytest.raises(InvalidInputError, match=name):
            router.route_packed_with_stats(packed(S), packed(T), k=K, routes=buffer(), seed=5, **arguments)


def test_packed_words_that_are_not_left_aligned_are_read_by_their_counts_with_a_warning() -> None:
    identity = np.arange(N)
    routes = buffer()
    with pytest.warns(router.IgnoredInputWarning, match="S_bits"):
        router.route_packed_with_stats(router.pack_bits(S), packed(T), identity, identity, identity, identity, K,
                                       routes, seed=8)
    assert np.array_equal(routes, pr.route(S, T, K, seed=8).routes)


def test_packed_word_shapes_are_checked() -> None:
    identity = np.arange(N)
    words = packed(S)
    beyond = words.copy()
    beyond[7, -1] |= np.uint64(1) << np.uint64(63)  # column 64 + 63 = 127, past N = 96
    with pytest.raises(InvalidInputError, match="row 7 has bits set beyond column 95"):
        router.route_packed_with_stats(beyond, packed(T), identity, identity, identity, identity, K, buffer(), seed=1)
    with pytest.raises(InvalidInputError, match="words per row"):
        router.route_packed_with_stats(np.hstack([words, words]), packed(T), identity, identity, identity, identity,
                                       K, buffer(), seed=1)
    with pytest.raises(InvalidInputError, match="64-bit words"):
        router.route_packed_with_stats(words.astype(float), packed(T), identity, identity, identity, identity, K,
                                       buffer(), seed=1)


def test_phase_router_bitpacked_writes_in_place_and_returns_nothing() -> None:
    identity = np.arange(N)
    words_S, words_T = packed(S), packed(T)
    routes = buffer()
    with pytest.warns(router.IgnoredInputWarning):
        result = router.phase_router_bitpacked(N, K, 2, words_S, words_T, identity, identity, identity, identity,
                                               routes, None, 13)
    assert result is None and np.array_equal(routes, pr.route(S, T, K, seed=13).routes)
    flat = buffer()
    with pytest.warns(router.IgnoredInputWarning):  # the original took pointers: flat words work too
        router.phase_router_bitpacked(N, K, 2, words_S.ravel(), words_T.ravel(), identity, identity, identity,
                                      identity, flat, "", 13)
    assert np.array_equal(flat, routes)
    with pytest.raises(InvalidInputError, match="NB_words"):
        router.phase_router_bitpacked(N, K, 3, words_S, words_T, identity, identity, identity, identity, buffer())
    with pytest.raises(InvalidInputError, match="S_bits"):
        router.phase_router_bitpacked(N + 1, K, 2, words_S, words_T, np.arange(N + 1), np.arange(N + 1),
                                      np.arange(N + 1), np.arange(N + 1), buffer(N + 1))


def test_router_entry_returns_nothing_and_warns_on_unaligned_rows() -> None:
    routes = buffer()
    with pytest.warns(router.IgnoredInputWarning, match="S and T"):
        assert router.router(S, T, K, routes, seed=17) is None
    assert np.array_equal(routes, pr.route(S, T, K, seed=17).routes)
    aligned = buffer()
    with warnings.catch_warnings():
        warnings.simplefilter("error", router.IgnoredInputWarning)
        router.router(router.left_align_rows(S), router.left_align_rows(T), K, aligned, validate=True, seed=17)
    assert np.array_equal(aligned, routes)
