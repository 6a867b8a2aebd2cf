"""Typed errors: every public API callable, fed hostile arguments one at a time,
either succeeds or raises a PhaseRouterError subclass with a one-line message: never a bare
MemoryError, OverflowError, IndexError, statistics or pybind TypeError, and never an allocation
of a size that does not fit (the walk runs under an address-space limit, so a huge allocation is
a MemoryError here, not a slow success).

The callables are collected from the package (phase_router.__all__ and the public functions of
the public submodules), so a new public function without a recipe below fails
test_every_public_callable_has_a_recipe.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import inspect
import resource
import shutil
import signal
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import phase_router as pr
from phase_router.errors import PhaseRouterError

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
CORPUS = ROOT / "tests" / "fuzz_corpus"

# The public surface: modules whose public functions are API (docs/API.md), by module name.
PUBLIC_MODULES = [
    "phase_router.routing.api", "phase_router.baselines", "phase_router.routing.stats",
    "phase_router.routing.load_metrics",
    "phase_router.analysis.metrics", "phase_router.analysis.montecarlo", "phase_router.analysis.capacity",
    "phase_router.analysis.compare", "phase_router.analysis.suggest", "phase_router.routing.theory",
    "phase_router.inputs", "phase_router.inputs.generators", "phase_router.io", "phase_router.moe",
    "phase_router.compat", "phase_router.compat.router", "phase_router.compat.router_stats",
]
# Callables that take no user input to validate: result containers the library builds, writers
# (their hostile inputs are the file-handling tests' subject), and registry plumbing.
NOT_INPUT_APIS = {
    "Routing", "RoutingStats", "MonteCarloStats", "CapacityEstimate", "KSuggestion", "Dispatch", "ScoreRouting",
    "Realised",
    "Generator", "OutputBatch", "PbmHeader", "NpyHeader", "WrittenMatrix", "cpu_path", "inputs", "__version__",
    "atomic_output", "output_batch", "write_json", "write_matrix_chunks", "write_pbm", "write_routes",
    "write_routing_pbm", "default_routers", "summarize", "verdicts", "verdict_lines", "verdict", "recommend",
    "stats_from_totals", "register", "spellings", "GENERATORS", "LoadTotals", "Param", "Shape", "joint_caps",
}

M, E, K = 64, 16, 4
S_DEG = (np.arange(M) % (E - 1) + 1).astype(np.int64)
T_DEG = (np.arange(E) % (M - 1) + 1).astype(np.int64)
S_MAT = np.zeros((M, E), dtype=bool)
T_MAT = np.zeros((E, M), dtype=bool)
for _i, _d in enumerate(S_DEG):
    S_MAT[_i, :_d] = True
for _i, _d in enumerate(T_DEG):
    T_MAT[_i, :_d] = True
ROUTES = pr.route_degrees(S_DEG, T_DEG, K, seed=0).routes
SCORES = np.linspace(0.0, 1.0, M * E).reshape(M, E)
LOADS = np.bincount(ROUTES[ROUTES >= 0], minlength=E).astype(np.int64)


@dataclass
class Recipe:
    """A valid call: positional and keyword arguments; each is replaced in turn by a hostile value."""
    function: Callable[..., Any]
    kwargs: dict[str, Any]
    args: tuple = ()
    extra: dict[str, Any] = field(default_factory=dict)  # **options names the function accepts


def _routing():
    return pr.route_degrees(S_DEG, T_DEG, K, seed=0)


def _routes_buffer(rows: int) -> np.ndarray:
    return np.empty((rows, K), dtype=np.int32)


DUMP_DIR = tempfile.mkdtemp(prefix="phase-router-hostile-dump-")
atexit.register(shutil.rmtree, DUMP_DIR, True)


def recipes() -> dict[str, Recipe]:
    from phase_router import compat, io, moe
    from phase_router.compat import router
    from phase_router.analysis import capacity, compare, metrics, montecarlo, suggest
    from phase_router.routing import stats, theory

    mat = dict(S=S_MAT, T=T_MAT, k=K)
    deg = dict(s=S_DEG, t=T_DEG, k=K)
    r = {
        "PackedBits": Recipe(pr.PackedBits, dict(bits=np.packbits(S_MAT, axis=1), width=E)),
        "Router": Recipe(pr.Router, dict(**deg, seed=0, row_perm=False, strategy="auto", select="random",
                                         select_options=None)),
        "Router.route_rows": Recipe(lambda start, stop, threads: pr.Router(S_DEG, T_DEG, K).route_rows(
            start, stop, threads=threads), dict(start=0, stop=M, threads=None)),
        "Router.chunks": Recipe(lambda rows_per_chunk, start, stop: list(pr.Router(S_DEG, T_DEG, K).chunks(
            rows_per_chunk, start=start, stop=stop)), dict(rows_per_chunk=16, start=0, stop=M)),
        "route": Recipe(pr.route, dict(**mat, seed=0, row_perm=False, select="random", strategy="auto",
                                       rows=None, threads=None, out=None)),
        "route_degrees": Recipe(pr.route_degrees, dict(**deg, seed=0, row_perm=False, select="random",
                                                       strategy="auto", rows=None, threads=None, out=None)),
        "column_loads": Recipe(pr.column_loads, dict(routes=ROUTES, E=E)),
        "hash_route": Recipe(pr.hash_route, dict(**deg, seed=0, weighted=False, counts=None, threads=None)),
        "hash_route_matrices": Recipe(pr.baselines.hash_route_matrices, dict(**mat, seed=0, weighted=False)),
        "two_choice_route": Recipe(pr.two_choice_route, dict(**deg, seed=0, weighted=False, counts=None)),
        "default_counts": Recipe(pr.baselines.default_counts, dict(**deg, weighted=False)),
        "route_greedy": Recipe(pr.route_greedy, dict(**mat, seed=0, row_perm=False, block=None, threads=None)),
        "route_degrees_greedy": Recipe(pr.route_degrees_greedy, dict(**deg, seed=0, row_perm=False, block=None,
                                                                      threads=None)),
        "gini": Recipe(metrics.gini, dict(values=LOADS)),
        "max_over_mean": Recipe(metrics.max_over_mean, dict(values=LOADS)),
        "relative_loads": Recipe(metrics.relative_loads, dict(loads=LOADS, t=T_DEG)),
        "load_summary": Recipe(metrics.load_summary, dict(loads=LOADS, t=T_DEG)),
        "overflow": Recipe(metrics.overflow, dict(loads=LOADS, capacity=10)),
        "relative_spread": Recipe(metrics.relative_spread, dict(values=LOADS)),
        "max_load_per_t": Recipe(metrics.max_load_per_t, dict(loads=LOADS, t=T_DEG)),
        "relative_max_over_mean": Recipe(metrics.relative_max_over_mean, dict(loads=LOADS, t=T_DEG)),
        "dropped_fraction": Recipe(metrics.dropped_fraction, dict(loads=LOADS, capacity_factor=1.25)),
        "run_seeds": Recipe(montecarlo.run_seeds, dict(**deg, seeds=[0, 1], router_name="phase", workers=None)),
        "expected_candidates": Recipe(montecarlo.expected_candidates, dict(s=S_DEG, t=T_DEG)),
        "ideal_loads": Recipe(montecarlo.ideal_loads, deg),
        "naive_loads": Recipe(montecarlo.naive_loads, dict(t=T_DEG, M=M, k=K)),
        "monte_carlo_stats": Recipe(montecarlo.monte_carlo_stats, dict(**deg, seeds=[0, 1, 2], router_name="phase",
                                                                       workers=None)),
        "analyze_distribution": Recipe(montecarlo.analyze_distribution, dict(s=S_DEG, t=T_DEG, ks=[2, 4],
                                                                             seeds=[0, 1], workers=None)),
        "estimate_capacity": Recipe(capacity.estimate_capacity, dict(**deg, percentile=99.0, seeds=range(8),
                                                                     router_name="phase")),
        "check_probability": Recipe(capacity.check_probability, dict(p=0.9, what="probability")),
        "check_factor": Recipe(capacity.check_factor, dict(capacity_factor=1.25)),
        "check_targets": Recipe(suggest.check_targets, dict(target_skew=2.0, target_fill=None)),
        "dropped_routes": Recipe(capacity.dropped_routes, dict(loads=LOADS, capacity_factor=1.25)),
        "overflow_fraction": Recipe(capacity.overflow_fraction, dict(**deg, capacity_factor=1.25, seeds=[0, 1],
                                                                     router_name="phase")),
        "moe_capacity": Recipe(capacity.moe_capacity, dict(tokens=M, experts=E, top_k=2, capacity_factor=1.25,
                                                           seeds=[0, 1], router_name="phase")),
        "compare": Recipe(compare.compare, dict(**deg, seeds=[0, 1], routers=None, feasible="all")),
        "compare_routers": Recipe(compare.compare_routers, dict(**deg, seeds=[0, 1], routers=None, feasible="all")),
        "suggest_k": Recipe(suggest.suggest_k, dict(s=S_DEG, t=T_DEG, target_skew=2.0, target_fill=None,
                                                    probability=0.9, seeds=range(8))),
        "coverage": Recipe(theory.coverage, dict(t=T_DEG, M=M)),
        "kept_share": Recipe(theory.kept_share, dict(s=S_DEG, E=E, k=K, n=M)),
        "expected_loads": Recipe(theory.expected_loads, dict(**deg, lay_order=None)),
        "wrap_count_imbalance": Recipe(theory.wrap_count_imbalance, deg),
        "wrap_count_warning": Recipe(theory.wrap_count_warning, deg),
        "summarize_stats": Recipe(stats.summarize, dict(routes=ROUTES, s=S_DEG, t=T_DEG, k=K, seed=0,
                                                        row_perm=False, timings_ms={})),
        "canonical": Recipe(pr.inputs.canonical, dict(name="uniform")),
        "check_params": Recipe(pr.inputs.check_params, dict(name="uniform", params={"density": 0.5})),
        "degrees": Recipe(pr.inputs.degrees, dict(kind="uniform", M=M, E=E, k=K, seed=0), extra={"density": 0.5}),
        "generate": Recipe(pr.inputs.generate, dict(kind="uniform-1-k", M=M, E=E, k=K, seed=0)),
        "realise": Recipe(pr.inputs.realise, dict(kind="power-law", M=M, E=E, k=K, seed=0), extra={"alpha": 1.0}),
        "expert_capacity": Recipe(pr.inputs.expert_capacity, dict(M=M, E=E, k=K, capacity_factor=1.25)),
        "moe_degrees": Recipe(pr.inputs.moe_degrees, dict(M=M, E=E, k=K, capacity_factor=1.25)),
        "whole_wrap_capacities": Recipe(pr.inputs.whole_wrap_capacities, dict(M=M, E=E, k=K, capacity_factor=1.25)),
        "route_scores": Recipe(moe.route_scores, dict(scores=SCORES, k=2, top_c=3, capacity=None, select="balanced",
                                                      select_options=None, seed=0, threads=None)),
        "preference_optimum": Recipe(moe.preference_optimum, dict(scores=SCORES, k=2, top_c=3, capacity=12)),
        "dispatch": Recipe(moe.dispatch, dict(routing=_routing(), E=E, capacity=None)),
        "combine": Recipe(lambda d, expert_outputs, weights: moe.combine(d, expert_outputs, weights),
                          dict(d=moe.dispatch(_routing(), E), expert_outputs=np.ones(
                              (int(moe.dispatch(_routing(), E).indices.size), 3)), weights=None)),
        "sample_many": Recipe(compat.sample_many, dict(**mat, num_samples=2, seed_base=42, select="random")),
        "monte_carlo_stats_compat": Recipe(compat.monte_carlo_stats, dict(**mat, num_samples=2, seed_base=42,
                                                                         select="random")),
        "estimate_expert_capacity": Recipe(compat.estimate_expert_capacity, dict(**mat, confidence=0.9, num_samples=4,
                                                                               seed_base=42, select="random")),
        "validate_routing_inputs": Recipe(compat.validate_routing_inputs, mat),
        "suggest_k_for_balance": Recipe(compat.suggest_k_for_balance, dict(S=S_MAT, T=T_MAT, target_skew=2.0, min_k=2,
                                                                           max_k=3, samples_per_k=2, seed_base=42,
                                                                           verbose=False)),
        "analyze_routing_distribution": Recipe(compat.analyze_routing_distribution, dict(S=S_MAT, T=T_MAT,
                                                                                         k_values=[2, 4],
                                                                                         samples_per_k=2,
                                                                                         seed_base=42)),
        # The original's router module: routes go into the caller's buffer; dump=True (a hostile
        # value may turn it on) writes under a private temporary folder.
        "pack_and_route": Recipe(router.pack_and_route, dict(S_np=S_MAT, T_np=T_MAT, k=K, routes_np=_routes_buffer(M),
                                                             dump=False, prefix=DUMP_DIR, validate=False, seed=7)),
        "route_packed_with_stats": Recipe(router.route_packed_with_stats, dict(
            S_bits=router.pack_bits(S_MAT), T_bits=router.pack_bits(T_MAT), row_perm=np.arange(M),
            col_perm_S=np.arange(E), col_perm_T=np.arange(M), row_perm_T=np.arange(E), k=K, routes=_routes_buffer(M),
            validate=False, debug_prefix="", seed=7)),
        "phase_router_bitpacked": Recipe(router.phase_router_bitpacked, dict(
            N=E, k=K, NB_words=1, S_bits=router.pack_bits(T_MAT[:, :E]), T_bits=router.pack_bits(T_MAT[:, :E]),
            row_perm=np.arange(E), col_perm_S=np.arange(E), col_perm_T=np.arange(E), row_perm_T=np.arange(E),
            routes=_routes_buffer(E), debug_prefix=None, seed_base=7)),
        "router": Recipe(router.router, dict(S=S_MAT, T=T_MAT, k=K, routes=_routes_buffer(M), validate=False,
                                             debug_prefix="", seed=7)),
        "pack_bits": Recipe(lambda M_np: router.pack_bits(M_np), dict(M_np=S_MAT)),
        "left_align_rows": Recipe(lambda S_np: router.left_align_rows(S_np), dict(S_np=S_MAT)),
        "routing_matrix": Recipe(io.routing_matrix, dict(routes=ROUTES, E=E)),
        "chunk_rows": Recipe(io.chunk_rows, dict(cols=E, budget_bytes=2**20)),
    }
    for reader in ("detect_format", "load_npy", "npy_row_degrees", "pbm_row_degrees", "read_degrees", "read_header",
                   "read_matrix", "read_weight_matrix", "read_npy_matrix", "read_pbm", "read_pbm_packed", "read_row_degrees",
                   "npy_matrix_shape", "read_npy_header"):
        sample = (CORPUS / "npy" / "bool.npy" if "npy" in reader else
                  CORPUS / "degrees_text" / "plain.txt" if reader == "read_degrees" else SAMPLES / "S.pbm")
        r[reader] = Recipe(getattr(io, reader), dict(path=sample))
    r["route_format"] = Recipe(io.route_format, dict(path="routes.npy"))
    return r


# Names in the public surface that map to a differently named recipe (same function, two modules).
RECIPE_ALIASES = {"phase_router.routing.stats.summarize": "summarize_stats",
                  "phase_router.compat.monte_carlo_stats": "monte_carlo_stats_compat",
                  "phase_router.compat.router_stats.monte_carlo_stats": "monte_carlo_stats_compat"}


def public_callables() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in pr.__all__:
        found[f"phase_router.{name}"] = getattr(pr, name)
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        names = getattr(module, "__all__", None) or [
            n for n, o in vars(module).items()
            if not n.startswith("_") and getattr(o, "__module__", None) == module_name and callable(o)]
        for name in names:
            found[f"{module_name}.{name}"] = getattr(module, name)
    return {q: o for q, o in found.items()
            if q.rsplit(".", 1)[1] not in NOT_INPUT_APIS
            and not (isinstance(o, type) and issubclass(o, BaseException)) and callable(o)}


def test_every_public_callable_has_a_recipe() -> None:
    names = set(recipes())
    missing = [q for q in public_callables() if RECIPE_ALIASES.get(q, q.rsplit(".", 1)[1]) not in names]
    assert not missing, f"public callables without a hostile-argument recipe: {missing}"


NAN, INF = float("nan"), float("inf")
SCALARS = [-1, -(2**63), 0, 2**31 - 1, 2**31, 2**32, 2**63, 2**64 - 1, 2**64, 10**30, True, False, None, "",
           "false", "7", 1.5, 0.5, NAN, INF, -INF, b"\x00", np.int64(-1), np.uint64(2**64 - 1), np.float64(NAN),
           complex(1, 1), object(), 1e300, -0.0]
ARRAYS = [[], [[]], [[1, 0], [1]], [1, [2]], [[1, 0], [0, 1]], [-1], [2**64], [1.5], [NAN], [INF], ["a"], [None],
          [True, False], np.array([]), np.zeros((2, 2, 2)), np.zeros((0, 4)), np.zeros((3, 0)), np.array(["a", "b"]),
          np.array([1 + 2j]), np.array([np.nan]), np.array([-1]), np.array([2**40]), np.array([2**64 - 1], np.uint64),
          np.zeros(3, dtype="V2"), np.array([1, 2], dtype=object), np.array([[1, 2], [3, 4]]), np.int64(3),
          np.ones((2, 3)), np.full(4, 2**31, dtype=np.int64), np.array([0, 0, 0]), range(0), range(-1, 2),
          range(2**64 - 2, 2**64 + 2), range(2**62), {"a": 1}, {1, 2}, (0, M + 1), (5, 2), (-1, 3), "S.pbm",
          "/nonexistent/file", "/", "/dev/null", ROOT / "tests"]
# Random integers are drawn around the limits, not from the middle band (say 10^5 .. 2^31 - 8),
# where a size is valid and the call legitimately does work proportional to it.
integers = st.one_of(st.integers(-(2**70), -1), st.integers(-3, 64), st.integers(2**31 - 8, 2**70))
hostile = st.one_of(st.sampled_from(SCALARS + ARRAYS), integers, st.floats(), st.text(max_size=4),
                    st.lists(st.integers(-3, 2**64), max_size=4))


def _vm_size() -> int:
    with open("/proc/self/status") as handle:
        return next(int(line.split()[1]) * 1024 for line in handle if line.startswith("VmSize:"))


# One fixed ceiling for every call, set from the address space when this module was imported, so
# that memory a failing call leaves behind (frames kept for the report) cannot raise it.
ADDRESS_SPACE_CAP = _vm_size() + 3 * 2**30


@contextlib.contextmanager
def limits(seconds: int = 30):
    """Huge allocations fail loudly (MemoryError) and a hang fails the call, instead of the walk
    swapping or never ending. The soft limit is raised back afterwards."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = max(ADDRESS_SPACE_CAP, _vm_size() + 2**28)  # room to run if the walk itself grew a little
    cap = min(cap, ADDRESS_SPACE_CAP + 2**30)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)

    def hang(*_):
        raise TimeoutError(f"call took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        signal.signal(signal.SIGALRM, previous)


def call_with(recipe: Recipe, name: str, value: Any) -> None:
    kwargs = {**recipe.kwargs, **recipe.extra}
    kwargs[name] = value
    with limits():
        try:
            recipe.function(*recipe.args, **kwargs)
        except PhaseRouterError as exc:
            assert str(exc) and "\n" not in str(exc), f"message is not one line: {str(exc)!r}"


RECIPES = recipes()
CASES = [(name, param) for name, recipe in RECIPES.items() for param in {**recipe.kwargs, **recipe.extra}]


@pytest.mark.parametrize("name", list(RECIPES))
def test_recipe_is_a_valid_call(name: str) -> None:
    recipe = RECIPES[name]
    recipe.function(*recipe.args, **recipe.kwargs, **recipe.extra)


@pytest.mark.parametrize(("name", "param"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
@settings(max_examples=10, suppress_health_check=list(HealthCheck), deadline=None)
@given(value=hostile)
def test_hostile_argument_gives_a_typed_error(name: str, param: str, value: Any) -> None:
    call_with(RECIPES[name], param, value)


@pytest.mark.parametrize(("name", "param"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_every_listed_hostile_value(name: str, param: str) -> None:
    """The whole fixed list, not only what Hypothesis happens to draw."""
    for value in SCALARS + ARRAYS:
        call_with(RECIPES[name], param, value)


BOOL_CASES = [(name, param) for name, param in CASES
              if isinstance({**RECIPES[name].kwargs, **RECIPES[name].extra}[param], bool)]


@pytest.mark.parametrize(("name", "param"), BOOL_CASES, ids=[f"{n}-{p}" for n, p in BOOL_CASES])
@pytest.mark.parametrize("value", ["false", "true", "", 0, 1, 2, None, 0.0, [False], np.int64(0)])
def test_boolean_parameters_take_only_booleans(name: str, param: str, value: Any) -> None:
    """`row_perm="false"` must not turn the option on: every bool parameter refuses non-bools."""
    recipe = RECIPES[name]
    kwargs = {**recipe.kwargs, **recipe.extra, param: value}
    with pytest.raises(pr.InvalidInputError, match=param):
        recipe.function(*recipe.args, **kwargs)


def test_there_are_boolean_parameters_to_check() -> None:
    assert {p for _, p in BOOL_CASES} >= {"row_perm", "weighted", "verbose"}


@pytest.mark.parametrize("fn", [pr.hash_route, pr.two_choice_route, pr.route_degrees_greedy, pr.route_degrees])
def test_huge_k_is_a_resource_limit_before_allocating(fn) -> None:
    """M = 64 routes of k = 2^31 - 1 targets would need 512 GiB: refused before allocating."""
    with limits():
        with pytest.raises(pr.ResourceLimitError):
            fn(S_DEG, T_DEG, 2**31 - 1)


def test_issue_examples() -> None:
    from phase_router.analysis.compare import compare_routers
    from phase_router.analysis.montecarlo import monte_carlo_stats

    with pytest.raises(pr.InvalidInputError):
        monte_carlo_stats(S_DEG, T_DEG, K, seeds=[-1])
    with pytest.raises(pr.InvalidInputError):
        compare_routers(S_DEG, T_DEG, K, seeds=[])
    with pytest.raises(pr.InvalidInputError):
        pr.route([[1, 0], [1]], [[1, 0], [1, 1]], 2)
