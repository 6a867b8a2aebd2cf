"""Non-negotiable 1: the C++ kernel equals the literal NumPy pipeline, byte for byte."""

from __future__ import annotations

import numpy as np
import pytest
from degree_cases import Case, make_degrees, routing_cases
from hypothesis import given

from phase_router import _core, reference


def kernel_routes(case: Case, threads: int = 0) -> np.ndarray:
    return _core.route_degrees(case.s.astype(np.uint32), case.t.astype(np.uint32), case.k, case.seed,
                               case.row_perm, threads)


def assert_same(case: Case) -> None:
    fast = kernel_routes(case)
    oracle = reference.route_degrees(case.s, case.t, case.k, case.seed, case.row_perm)
    assert fast.dtype == oracle.dtype == np.int32
    assert fast.shape == oracle.shape == (case.M, case.k)
    assert fast.tobytes() == oracle.tobytes()


@given(routing_cases())
def test_kernel_equals_reference_on_random_cases(case: Case) -> None:
    assert_same(case)


# Square sizes around word boundaries (the original lost routes whenever N % 64 != 0).
@pytest.mark.parametrize("n", [1, 2, 3, 63, 64, 65, 127, 128, 129, 191, 200, 255, 256, 257, 300])
@pytest.mark.parametrize("row_perm", [False, True])
def test_square_word_boundaries(n: int, row_perm: bool) -> None:
    rng = np.random.default_rng(n)
    for seed in (0, 7, 2**63 + 5):
        s = rng.binomial(n, 0.5, n)
        t = rng.binomial(n, 0.5, n)
        for k in sorted({1, max(1, n // 4), n, n + 3}):
            assert_same(Case(s, t, k, seed, row_perm))


@pytest.mark.parametrize(("M", "E"), [(1, 300), (300, 1), (5, 200), (257, 3), (64, 65), (130, 70)])
@pytest.mark.parametrize("kind", ["uniform", "extremes", "full"])
def test_rectangular_shapes(M: int, E: int, kind: str) -> None:
    rng = np.random.default_rng(M * 1000 + E)
    s = make_degrees(kind, M, E, rng)
    t = make_degrees("uniform", E, M, rng)
    for k in (1, 3, E, E + 1):
        for row_perm in (False, True):
            assert_same(Case(s, t, k, 12345, row_perm))


def test_matrix_input_equals_degree_input() -> None:
    """The reference on scrambled (not left-aligned) matrices equals the kernel on their degrees."""
    rng = np.random.default_rng(3)
    S = rng.random((70, 90)) < 0.4
    T = rng.random((90, 70)) < 0.6
    by_matrix = reference.route(S, T, 9, seed=99)
    case = Case(S.sum(1), T.sum(1), 9, 99, False)
    assert by_matrix.tobytes() == kernel_routes(case).tobytes()


@pytest.mark.slow
def test_larger_square_case() -> None:
    rng = np.random.default_rng(11)
    s = rng.binomial(1024, 0.5, 1024)
    t = rng.binomial(1024, 0.5, 1024)
    assert_same(Case(s, t, 200, 2024, False))
    assert_same(Case(s, t, 700, 2025, True))
