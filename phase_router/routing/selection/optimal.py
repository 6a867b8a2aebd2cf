"""select="optimal": the smallest possible maximum column load (objective "max") or maximum
load_j / t_j (objective "relative") over all selections that keep min(k, c_i) of each row's own
candidates, proven by maximum flow (core_cpp/selection/policy_optimal.cpp). The yardstick every
other policy is measured against; slower, and its memory grows with the candidate pairs.

The proven optimum is kept on the Router (``router.selection_report``) and in the routing's
statistics (``stats.selection``)."""

from __future__ import annotations

from fractions import Fraction

from ... import _core
from ...errors import InvalidInputError, ResourceLimitError
from .policy import Policy

OBJECTIVES = ("max", "relative")
# ~40 bytes a pair: about 10 GiB at the limit (the C++ OptimalOptions default)
MAX_CANDIDATE_PAIRS: int = _core.selection_defaults()["optimal"]["max_pairs"]


def _check_options(options: dict) -> dict:
    unknown = set(options) - {"objective"}
    if unknown:
        raise InvalidInputError(f"select='optimal' takes the option objective only, got {', '.join(sorted(unknown))}")
    objective = options.get("objective", "max")
    if objective not in OBJECTIVES:
        raise InvalidInputError(f"objective must be one of {', '.join(OBJECTIVES)}, got {objective!r}")
    return {"objective": objective}


def _select(router, start: int, stop: int, out, threads: int):
    relative = router.select_options.get("objective") == "relative"
    try:
        routes, report = _core.select_optimal(router._core, router.k, router.seed, start, stop, threads, out,
                                              relative=relative)
    except ValueError as exc:
        raise ResourceLimitError(f"{exc} ({MAX_CANDIDATE_PAIRS:,} candidate pairs); use select='balanced' or "
                                 "'greedy' for inputs this large") from None
    numerator, denominator = report["numerator"], report["denominator"]
    router.selection_report.update({
        "objective": "relative" if relative else "max",
        "optimum": float(Fraction(numerator, denominator)), "optimum_numerator": int(numerator),
        "optimum_denominator": int(denominator), "candidate_pairs": int(report["candidate_pairs"]), "max_flows": int(report["max_flows"]),
        "proof": "these caps are feasible and every smaller value is not (max-flow)",
    })
    return routes


OPTIMAL = Policy(
    "optimal", "the smallest possible maximum column load (or load / t_j), proven by max-flow (slowest)",
    row_local=False, select=_select, check_options=_check_options,
    not_row_local_because=("select='optimal' solves one max-flow over all rows, so it cannot be sharded; "
                           "route it on one machine"),
)
