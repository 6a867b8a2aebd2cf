"""select="balanced" (docs/SPEC.md, "Balanced selection"): every source keeps exactly min(k, c_i)
of its own candidates, as with random, but the maximum column load is brought to within 2 % or one route (max(1, floor(LB / 50))) of
the lower bound ceil(routes / targets with t_j > 0), or to the proven optimum when that bound is
out of reach. Deterministic for any thread count; not row-local (every row's routes depend on all
loads), so it routes all rows in one pass (core_cpp/selection/policy_balanced.cpp); on shards,
each shard balances its rows and repair rounds reconcile them (balanced_shards.py)."""

from __future__ import annotations

from ... import _core
from .balanced_shards import reconcile, route_shard, summary_bytes
from .kernel import call_kernel
from .policy import Option, Policy, Sharding

DEFAULT_ROUNDS: int = _core.selection_defaults()["balanced"]["rounds"]  # owned by the C++ BalancedOptions


def _scratch_bytes(M: int, E: int, k: int, threads: int, pairs: int) -> int:  # noqa: N803
    """Per target: loads, fixed loads and phase C's marks and list headers, and per thread the
    partial loads; per row: spare counts, marks and the offsets of kept spare lists; then phase
    C's store: its row bitmaps and per-target columns where it keeps them (the C++ rule,
    _core.balanced_bitmap_bytes), or else, per candidate pair at most, its per-target lists of
    flexible rows (4 bytes a route, capped at 2^31) and the kept spare lists (4 bytes each, at
    most 2^25 of them)."""
    bitmaps = _core.balanced_bitmap_bytes(M, E, k)
    store = bitmaps if bitmaps else 4 * min(pairs, 2**31) + 4 * min(pairs, 2**25)
    return 64 * E + 20 * M + threads * 32 * E + store


def _oracle(candidates, t, k: int, seed: int, options: dict, weights=None):
    from ...reference.balanced import select_balanced

    return select_balanced(candidates, t, k, seed, options.get("rounds", DEFAULT_ROUNDS))


POLICY = BALANCED = Policy(
    "balanced", "min(k, c_i) of each row's candidates with the maximum column load within 2 % (or one route) of the optimum (proven by max-flow at worst)",
    row_local=False, binding="select_balanced", oracle=_oracle,
    options=(Option("rounds", "repair rounds before the exact phase", default=DEFAULT_ROUNDS, minimum=0, maximum=64),),
    kernel_options=lambda router, options: {"rounds": options.get("rounds")},
    scratch_bytes=_scratch_bytes,
    sharding=Sharding(route_shard=route_shard, reconcile=reconcile, summary_bytes=summary_bytes),
)


def balanced_report(router) -> dict:
    """Route all rows of a prepared ``Router`` under select="balanced" and say what the run did:
    lower_bound, goal, rounds_run, moves, direct_moves, sweeps, augmentations, proven_optimal, max_load."""
    return call_kernel(BALANCED, router, 0, router.M, None, 0)[1]
