"""select="optimal" with objective "preference" on weighted candidates (candidates="scores"): the
C++ minimum-cost flow against its pure-Python reference byte for byte, its kept weight against
SciPy's linear program (HiGHS) and against brute force, its maximum load against the objective
"max", and the weighted source's inputs and errors."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import phase_router as pr
from phase_router import _core
from phase_router.errors import InvalidInputError, PhaseRouterError, ResourceLimitError
from phase_router.reference.optimal import select_optimal
from phase_router.routing.candidates import SOURCES
from phase_router.routing.candidates.scores import WEIGHT_STEPS, quantized
from phase_router.routing.selection import POLICIES

PREFERENCE = {"objective": "preference"}


@st.composite
def weighted_cases(draw, max_rows: int = 24, max_targets: int = 9):
    M, E = draw(st.integers(1, max_rows)), draw(st.integers(1, max_targets))  # noqa: N806
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    T = rng.random((E, M)) < draw(st.sampled_from([0.3, 0.6, 1.0]))  # noqa: N806
    kind = draw(st.sampled_from(["real", "few", "equal"]))
    S = {"real": lambda: rng.random((M, E)), "few": lambda: rng.integers(0, 3, (M, E)).astype(float),  # noqa: N806
         "equal": lambda: np.ones((M, E))}[kind]()
    return S, T, draw(st.integers(1, 4))


def _route(S, T, k: int, threads: int | None = None, objective: str = "preference"):  # noqa: N803
    return pr.route(S, T, k, select="optimal", select_options={"objective": objective}, candidates="scores",
                    threads=threads)


def _lp_best(W: np.ndarray, allowed: np.ndarray, k: int, cap: int) -> float:  # noqa: N803
    """The most weight over fractional selections of exactly min(k, c_i) per row, loads <= cap:
    HiGHS on the totally unimodular system, an independent solver."""
    from scipy import sparse
    from scipy.optimize import linprog

    rows, cols = np.nonzero(allowed)
    M, E = allowed.shape  # noqa: N806
    pairs = np.arange(rows.size)
    per_row = sparse.csr_array((np.ones(rows.size), (rows, pairs)), shape=(M, rows.size))
    per_target = sparse.csr_array((np.ones(rows.size), (cols, pairs)), shape=(E, rows.size))
    result = linprog(-W[rows, cols].astype(float), A_eq=per_row, b_eq=np.minimum(k, allowed.sum(axis=1)),
                     A_ub=per_target, b_ub=np.full(E, cap), bounds=(0, 1), method="highs")
    assert result.status == 0
    return -result.fun


@settings(deadline=None, max_examples=120)
@given(weighted_cases())
def test_kernel_matches_reference_byte_for_byte(case) -> None:
    S, T, k = case  # noqa: N806
    got = _route(S, T, k)
    source = SOURCES["scores"]
    want, best = select_optimal(source.oracle(S, T, 0, False), source.target_weights(S, T), k, preference=True,
                                weights=source.weights(S, T))
    assert np.array_equal(got.routes, want)
    assert got.stats.selection["optimum_numerator"] == best


@settings(deadline=None, max_examples=60)
@given(weighted_cases(max_rows=40, max_targets=12))
def test_keeps_the_most_weight_at_the_smallest_max_load(case) -> None:
    """Max load = the objective max's optimum; kept weight = HiGHS's optimum at that load; every
    row keeps min(k, c_i) of its own candidates; the report's kept weight is the routes'."""
    S, T, k = case  # noqa: N806
    routing = _route(S, T, k)
    routes, report = routing.routes, routing.stats.selection
    allowed = T.T
    W = quantized(np.where(allowed, S, 0.0))  # noqa: N806
    assert routing.stats.column_load_max == _route(S, T, k, objective="max").stats.column_load_max \
        == report["optimum_numerator"]
    kept = [(i, j) for i in range(routes.shape[0]) for j in routes[i] if j >= 0]
    assert all(allowed[i, j] for i, j in kept)
    assert np.array_equal(np.count_nonzero(routes >= 0, axis=1), np.minimum(k, allowed.sum(axis=1)))
    weight = sum(int(W[i, j]) for i, j in kept)
    assert report["kept_weight"] == weight
    if allowed.any():
        assert weight == pytest.approx(_lp_best(W, allowed, k, report["optimum_numerator"]), rel=1e-9, abs=1e-6)


def _brute_force(W: np.ndarray, allowed: np.ndarray, k: int) -> tuple[int, int]:  # noqa: N803
    """(smallest max load, most weight at it) over every selection, by enumeration."""
    M, E = allowed.shape  # noqa: N806
    options = [list(itertools.combinations(np.flatnonzero(allowed[i]).tolist(), min(k, int(allowed[i].sum()))))
               for i in range(M)]
    best = (E * M + 1, 0)
    for pick in itertools.product(*options):
        loads = np.bincount([j for chosen in pick for j in chosen], minlength=E)
        value = (int(loads.max(initial=0)), -sum(int(W[i, j]) for i, chosen in enumerate(pick) for j in chosen))
        best = min(best, value)
    return best[0], -best[1]


@settings(deadline=None, max_examples=80)
@given(weighted_cases(max_rows=5, max_targets=4))
def test_agrees_with_brute_force(case) -> None:
    S, T, k = case  # noqa: N806
    allowed = T.T
    routing = _route(S, T, k)
    W = quantized(np.where(allowed, S, 0.0))  # noqa: N806
    assert (routing.stats.column_load_max, routing.stats.selection["kept_weight"]) == _brute_force(W, allowed, k)


@pytest.mark.parametrize("threads", [1, 2, 3, 8])
def test_threads_never_change_the_routes(threads: int) -> None:
    rng = np.random.default_rng(5)
    S, T = rng.random((300, 16)), rng.random((16, 300)) < 0.4  # noqa: N806
    assert np.array_equal(_route(S, T, 3, threads=threads).routes, _route(S, T, 3, threads=1).routes)


def test_weights_are_scale_free_and_unweighted_sources_weigh_each_candidate_one() -> None:
    rng = np.random.default_rng(6)
    S, T = rng.random((80, 10)), rng.random((10, 80)) < 0.5  # noqa: N806
    assert np.array_equal(_route(S, T, 2).routes, _route(S * 1e-6, T, 2).routes)
    assert np.array_equal(_route(np.ones_like(S), T, 2).routes,
                          pr.route(T.T, np.ones((10, 80), bool), 2, select="optimal", select_options=PREFERENCE,
                                   candidates="mask").routes)
    assert quantized(np.array([[0.0, 0.5, 1.0]])).tolist() == [[0, WEIGHT_STEPS // 2, WEIGHT_STEPS]]


def test_preference_keeps_more_weight_than_max_at_the_same_load() -> None:
    """The point of the objective: at equal maximum load, more of the weight (gate mass)."""
    rng = np.random.default_rng(7)
    S, T = rng.dirichlet(np.ones(12), size=400), rng.random((12, 400)) < 0.5  # noqa: N806
    preferred, plain = _route(S, T, 2), _route(S, T, 2, objective="max")
    assert preferred.stats.column_load_max == plain.stats.column_load_max

    def mass(routes):
        return sum(S[i, j] for i in range(routes.shape[0]) for j in routes[i] if j >= 0)

    assert mass(preferred.routes) > mass(plain.routes)


@pytest.mark.parametrize(("S", "message"), [
    (np.array([[0.5, np.nan]]), "S must be finite, found nan at row 0, column 1"),
    (np.array([[0.5, -1.0]]), "S must be non-negative, found -1.0 at row 0, column 1"),
    (np.array([0.5, 1.0]), "S must be a rows x columns (2-D) array"),
    (np.array([["a", "b"]]), "S must hold real numbers"),
])
def test_bad_weights_are_one_typed_line(S, message: str) -> None:  # noqa: N803
    with pytest.raises(InvalidInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        pr.route(S, np.ones((S.shape[-1], 1), bool), 1, candidates="scores")


def test_mismatched_shapes_and_too_many_exchanges_are_typed_errors() -> None:
    with pytest.raises(PhaseRouterError, match="T must be 2 x 3"):
        pr.route(np.ones((3, 2)), np.ones((3, 3), bool), 1, candidates="scores")
    # 2,048 candidate pairs, 64 x 4 x 28 = 7,168 exchanges: refused past max_pairs / 4
    router = SOURCES["scores"].prepare(np.random.default_rng(8).random((64, 32)), np.ones((32, 64), bool), 4, seed=0,
                                       select="optimal", select_options=PREFERENCE)
    with pytest.raises(ValueError, match="more than 7167 exchanges, the most the objective preference handles"):
        _core.select_optimal(router._core, 4, 0, preference=True, max_pairs=4 * 7168 - 4)
    assert _core.select_optimal(router._core, 4, 0, preference=True, max_pairs=4 * 7168)[1]["exchanges"] == 7168
    with pytest.raises(ValueError, match="more than 2047 pairs, the most select='optimal' handles"):
        _core.select_optimal(router._core, 4, 0, max_pairs=2047)
    refusal = POLICIES["optimal"].kernel_error(ValueError("the candidate graph has more than 9 pairs"))
    assert isinstance(refusal, ResourceLimitError) and str(refusal).startswith("the candidate graph has more than 9")


def test_the_command_reads_real_weights_from_npy_and_refuses_bad_ones(tmp_path) -> None:
    from typer.testing import CliRunner

    from phase_router.cli import app

    rng = np.random.default_rng(9)
    S, T = rng.random((40, 6)).astype(np.float32), rng.random((6, 40)) < 0.5  # noqa: N806
    np.save(tmp_path / "S.npy", S)
    np.save(tmp_path / "T.npy", T.astype(np.uint8))
    args = ["route", str(tmp_path / "S.npy"), str(tmp_path / "T.npy"), "-k", "2", "--candidates", "scores",
            "--select", "optimal", "--objective", "preference"]
    result = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "routes.npy")])
    assert result.exit_code == 0, result.output
    assert np.array_equal(np.load(tmp_path / "routes.npy"), _route(S, T, 2).routes)
    S[3, 4] = -0.5
    np.save(tmp_path / "S.npy", S)
    refused = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "other.npy")])
    assert refused.exit_code == 2 and not (tmp_path / "other.npy").exists()
    assert refused.stderr.strip().splitlines() == [
        f"phase-router: error: {tmp_path / 'S.npy'}: value -0.5 at row 3, column 4: weights must be finite and non-negative"]
