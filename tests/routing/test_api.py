"""The public API: what it accepts, what it returns, and the typed errors it raises."""

from __future__ import annotations

import numpy as np
import pytest

import phase_router as pr

RNG = np.random.default_rng(5)
S = RNG.random((40, 30)) < 0.5
T = RNG.random((30, 40)) < 0.5


def test_route_returns_int32_routes_and_consistent_stats() -> None:
    routing = pr.route(S, T, 6, seed=9)
    routes = routing.routes
    assert routes.dtype == np.int32 and routes.shape == (40, 6) and routes.flags.c_contiguous
    stats = routing.stats
    active = int((routes >= 0).sum())
    assert (stats.M, stats.E, stats.k, stats.seed) == (40, 30, 6, 9)
    assert stats.active_routes == active
    assert stats.fill_ratio == pytest.approx(active / (40 * 6))
    assert stats.rows_underfilled == int(((routes >= 0).sum(1) < 6).sum())
    loads = routing.column_loads
    assert loads.sum() == active and loads.size == 30
    assert stats.column_load_max == loads.max()
    assert stats.column_load_max_over_mean == pytest.approx(loads.max() / loads.mean())
    assert stats.expected_candidates_per_row == pytest.approx(S.sum(1).mean() * T.sum() / (40 * 30))
    assert set(stats.timings_ms) >= {"kernel", "total"}
    assert stats.to_dict()["active_routes"] == active


@pytest.mark.parametrize("dtype", [bool, np.uint8, np.int32, np.int64, np.float32, np.float64])
def test_matrix_dtypes_give_identical_routes(dtype) -> None:
    expected = pr.route(S, T, 5, seed=1).routes
    assert np.array_equal(pr.route(S.astype(dtype), T.astype(dtype), 5, seed=1).routes, expected)


def test_packed_bits_equal_unpacked_and_degrees() -> None:
    packed_S = pr.PackedBits(np.packbits(S, axis=1), S.shape[1])
    packed_T = pr.PackedBits(np.packbits(T, axis=1), T.shape[1])
    expected = pr.route(S, T, 5, seed=2).routes
    assert np.array_equal(pr.route(packed_S, packed_T, 5, seed=2).routes, expected)
    assert np.array_equal(pr.route(packed_S, T, 5, seed=2).routes, expected)
    assert np.array_equal(pr.route_degrees(S.sum(1), T.sum(1), 5, seed=2).routes, expected)
    assert np.array_equal(packed_S.unpack(), S)


def test_packed_padding_bits_are_ignored() -> None:
    # Width 30: each row's last byte holds 6 real bits (high) and 2 padding bits (low).
    clean = np.packbits(S, axis=1)
    padding_set = clean.copy()
    padding_set[:, -1] |= 0b00000011
    data_set = clean.copy()
    data_set[:, -1] |= 0b00000100  # the 30th real column
    expected = pr.route(pr.PackedBits(clean, 30), T, 4).routes
    assert np.array_equal(pr.route(pr.PackedBits(padding_set, 30), T, 4).routes, expected)
    assert not np.array_equal(pr.route(pr.PackedBits(data_set, 30), T, 4).routes, expected)


def test_out_buffer_is_filled_and_returned() -> None:
    buffer = np.full((40, 5), 99, dtype=np.int32)
    routing = pr.route(S, T, 5, seed=4, out=buffer)
    assert np.shares_memory(routing.routes, buffer)
    assert np.array_equal(buffer, pr.route(S, T, 5, seed=4).routes)
    pr.route(S, T, 5, seed=5, out=buffer)  # reused: every slot rewritten
    assert np.array_equal(buffer, pr.route(S, T, 5, seed=5).routes)


@pytest.mark.parametrize(
    ("buffer", "needle"),
    [
        (np.empty((40, 5), np.int64), "dtype int64"),
        (np.empty((40, 6), np.int32), "shape (40, 6)"),
        (np.empty((5, 40), np.int32).T, "not C-contiguous"),
        (np.frombuffer(bytes(40 * 5 * 4), np.int32).reshape(40, 5), "read-only"),
        ([[0] * 5] * 40, "NumPy array"),
    ],
)
def test_bad_out_buffer_is_refused(buffer, needle: str) -> None:
    with pytest.raises(pr.InvalidInputError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        pr.route(S, T, 5, out=buffer)


def test_degree_lists_and_arrays_are_accepted() -> None:
    a = pr.route_degrees([3, 2, 0], [1, 2, 3], 2, seed=5).routes
    b = pr.route_degrees(np.array([3, 2, 0], dtype=np.uint8), np.array([1.0, 2.0, 3.0]), 2, seed=5).routes
    assert np.array_equal(a, b)


def test_seed_zero_is_deterministic_and_seeds_span_uint64() -> None:
    for seed in (0, 1, 2**63, 2**64 - 1, np.uint64(2**64 - 1)):
        assert np.array_equal(pr.route(S, T, 3, seed=seed).routes, pr.route(S, T, 3, seed=seed).routes)


@pytest.mark.parametrize(
    ("call", "error", "needle"),
    [
        (lambda: pr.route(S.astype(int) * 2, T, 3), pr.InvalidInputError, "only 0 and 1"),
        (lambda: pr.route(S.astype(float) * 0.5, T, 3), pr.InvalidInputError, "only 0 and 1"),
        (lambda: pr.route(np.where(S, np.nan, 0.0), T, 3), pr.InvalidInputError, "NaN"),
        (lambda: pr.route(S.astype(str), T, 3), pr.InvalidInputError, "dtype"),
        (lambda: pr.route(S[0], T, 3), pr.InvalidInputError, "2-D"),
        (lambda: pr.route(S, T[:, :5], 3), pr.ShapeMismatchError, "T must be E x M = 30 x 40"),
        (lambda: pr.route(S, T, 0), pr.InvalidInputError, "k must be between 1"),
        (lambda: pr.route(S, T, True), pr.InvalidInputError, "k must be an integer"),
        (lambda: pr.route(S, T, 2.0), pr.InvalidInputError, "k must be an integer"),
        (lambda: pr.route(S, T, 2**31), pr.InvalidInputError, "k must be between"),
        (lambda: pr.route(S, T, 3, seed=-1), pr.InvalidInputError, "seed must be between 0"),
        (lambda: pr.route(S, T, 3, seed=2**64), pr.InvalidInputError, "seed must be between 0"),
        (lambda: pr.route(S, T, 3, seed=1.5), pr.InvalidInputError, "seed must be an integer"),
        (lambda: pr.route(S, T, 3, threads=-1), pr.InvalidInputError, "threads"),
        (lambda: pr.route(np.zeros((0, 30)), np.zeros((30, 0)), 3), pr.InvalidInputError, "at least 1"),
        (lambda: pr.route_degrees([4], [1, 1], 1), pr.InvalidInputError, "s[0] = 4 exceeds E"),
        (lambda: pr.route_degrees([1], [2], 1), pr.InvalidInputError, "t[0] = 2 exceeds M"),
        (lambda: pr.route_degrees([-1], [1], 1), pr.InvalidInputError, "negative"),
        (lambda: pr.route_degrees([0.5], [1], 1), pr.InvalidInputError, "whole numbers"),
        (lambda: pr.route_degrees([], [1], 1), pr.InvalidInputError, "empty"),
        (lambda: pr.route_degrees([[1]], [1], 1), pr.InvalidInputError, "1-D"),
        (lambda: pr.PackedBits(np.zeros((3, 2), np.uint8), 30), pr.InvalidInputError, "needs 4"),
        (lambda: pr.PackedBits(np.zeros((3, 4), np.int8), 30), pr.InvalidInputError, "uint8"),
        (lambda: pr.route_degrees(np.ones(10**6, int), [10**6], 2**31 - 1), pr.ResourceLimitError, "GiB"),
    ],
)
def test_bad_input_raises_typed_error(call, error, needle: str) -> None:
    with pytest.raises(error) as info:
        call()
    assert needle in str(info.value)
    assert "\n" not in str(info.value)


def test_errors_are_value_errors_and_phase_router_errors() -> None:
    assert issubclass(pr.InvalidInputError, ValueError)
    assert issubclass(pr.FileFormatError, pr.InvalidInputError)
    assert issubclass(pr.ResourceLimitError, pr.PhaseRouterError)


def test_package_metadata() -> None:
    """The version the package reports is the one its installed metadata carries (both come
    from phase_router/_version.py)."""
    from importlib.metadata import version

    assert pr.__version__ == version("phase-router")
    assert isinstance(pr._has_openmp, bool)  # noqa: SLF001
