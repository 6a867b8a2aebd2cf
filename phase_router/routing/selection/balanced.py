"""select="balanced" (docs/SPEC.md, "Balanced selection"): every source keeps exactly min(k, c_i)
of its own candidates, as with random, but the maximum column load is brought to within 2 % (floor(LB / 50)) of
the lower bound ceil(routes / targets with t_j > 0), or to the proven optimum when that bound is
out of reach. Deterministic for any thread count; not row-local (every row's routes depend on all
loads), so it routes all rows in one pass (core_cpp/selection/policy_balanced.cpp)."""

from __future__ import annotations

from ... import _core
from ..._internal.scalars import check_count
from ...errors import InvalidInputError
from .policy import Policy

DEFAULT_ROUNDS = 8


def _select(router, start: int, stop: int, out, threads: int):
    rounds = router.select_options.get("rounds", DEFAULT_ROUNDS)
    routes, info = _core.select_balanced(router._core, router.k, router.seed, rounds, threads, out)
    router.selection_report.update(dict(info))
    return routes


def _check_options(options: dict) -> dict:
    unknown = set(options) - {"rounds"}
    if unknown:
        raise InvalidInputError(f"select='balanced' takes the option rounds only, got {', '.join(sorted(unknown))}")
    rounds = options.get("rounds")
    return {} if rounds is None else {"rounds": check_count(rounds, "rounds", minimum=0, maximum=64)}


BALANCED = Policy(
    "balanced", "min(k, c_i) of each row's candidates with the maximum column load within 2 % of the optimum (proven by max-flow at worst)",
    row_local=False, select=_select, check_options=_check_options,
    not_row_local_because=("select='balanced' balances the loads of all rows together (repair rounds over the "
                           "whole routing), so it cannot be sharded; route it on one machine"),
)


def balanced_report(router) -> dict:
    """Route all rows of a prepared ``Router`` under select="balanced" and say what the run did:
    lower_bound, goal, rounds_run, moves, augmentations, proven_optimal, max_load."""
    rounds = router.select_options.get("rounds", DEFAULT_ROUNDS)
    _, info = _core.select_balanced(router._core, router.k, router.seed, rounds, 0, None)
    return dict(info)
