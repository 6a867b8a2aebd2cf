"""Input generators: shapes, the defining property of each kind, determinism, errors."""

from __future__ import annotations

import numpy as np
import pytest

from phase_router import InvalidInputError, route
from phase_router.inputs import GENERATORS, generate


@pytest.mark.parametrize("kind", sorted(GENERATORS))
def test_shapes_and_determinism(kind: str) -> None:
    S, T = generate(kind, 70, 40, k=8, seed=5)
    assert S.shape == (70, 40) and T.shape == (40, 70) and S.dtype == bool and T.dtype == bool
    S2, T2 = generate(kind, 70, 40, k=8, seed=5)
    assert np.array_equal(S, S2) and np.array_equal(T, T2)


def test_defining_properties() -> None:
    M, E, k = 200, 100, 8
    deg = lambda A: A.sum(1)  # noqa: E731
    S, _ = generate("exact-k", M, E, k=k)
    assert np.all(deg(S) == k)
    S, T = generate("uniform-1-k", M, E, k=k)
    assert deg(S).min() == 1 and deg(S).max() == k and deg(T).max() == k
    S, _ = generate("boundary", M, E, k=k)
    assert S[:, -k:].all() and not S[:, :-k].any()
    S, _ = generate("diagonal", M, E)
    assert np.all(deg(S) == 1) and np.all(np.argmax(S, 1) == np.arange(M) % E)
    S, _ = generate("checkerboard", M, E)
    assert S[0, 0] and not S[0, 1] and S[1, 1]
    S, _ = generate("bimodal", M, E)
    assert set(np.unique(deg(S))) == {1, E // 2}
    S, _ = generate("empty-full", M, E)
    assert set(np.unique(deg(S))) == {0, E}
    S, T = generate("moe", M, E, k=k)  # the one MoE model: s_i = E, t_j = ceil(1.25 k M / E)
    assert S.all() and np.all(deg(T) == int(np.ceil(1.25 * k * M / E)))
    S, _ = generate("uniform", 400, 400, density=0.25)
    assert abs(S.mean() - 0.25) < 0.01
    S, _ = generate("block-diagonal", 80, 80)
    assert np.all(deg(S) == 10)
    S, _ = generate("power-law", 100, 100)
    assert sorted(deg(S))[-1] == 100 and sorted(deg(S))[0] == 1


def test_adversarial_second_phase_is_the_first_phase_routing() -> None:
    S1, T1 = generate("uniform", 128, 128, k=16, seed=3)
    routes = route(S1, T1, 16, seed=3).routes
    S2, T2 = generate("adversarial", 128, 128, k=16, seed=3)
    assert np.array_equal(S2.sum(1), np.count_nonzero(routes >= 0, axis=1))
    assert np.array_equal(T2.sum(1), np.bincount(routes[routes >= 0], minlength=128))
    assert np.array_equal(T2, S2.T)


@pytest.mark.parametrize("args", [("nope", 4, 4), ("uniform", 0, 4)])
def test_bad_arguments(args) -> None:
    with pytest.raises(InvalidInputError):
        generate(*args)
    with pytest.raises(InvalidInputError):
        generate("uniform", 4, 4, density=1.5)
