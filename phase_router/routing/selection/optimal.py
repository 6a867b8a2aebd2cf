"""select="optimal": the smallest possible maximum column load (objective "max") or maximum
load_j / t_j (objective "relative") over all selections that keep min(k, c_i) of each row's own
candidates, proven by maximum flow (core_cpp/selection/policy_optimal.cpp). The yardstick every
other policy is measured against; slower, and its memory grows with the candidate pairs.

Objective "preference": the smallest maximum load first, then, among the selections that attain
it, one that keeps the most candidate weight (a minimum-cost flow). Weighted candidates
(candidates="scores") give each pair its weight; every other source weighs each candidate 1.

The proven optimum is kept on the Router (``router.selection_report``) and in the routing's
statistics (``stats.selection``)."""

from __future__ import annotations

from ... import _core
from ...errors import ResourceLimitError
from .policy import Option, Policy

OBJECTIVES = ("max", "relative", "preference")
# ~40 bytes a pair: about 10 GiB at the limit (owned by the C++ OptimalOptions)
MAX_CANDIDATE_PAIRS: int = _core.selection_defaults()["optimal"]["max_pairs"]
PAIR_BYTES = 80  # max_flow.cpp: arcs both ways, capacities, flows; preference_flow.cpp: weights, costs, lists


def _kernel_options(router, options: dict) -> dict:
    objective = options.get("objective")
    return {"relative": objective == "relative", "preference": objective == "preference"}


def _read_report(report: dict, options: dict) -> dict:
    from fractions import Fraction  # here: every command loads this policy, few read its report (start-up)

    numerator, denominator = report["numerator"], report["denominator"]
    return {
        "objective": options.get("objective", "max"),
        "optimum": float(Fraction(numerator, denominator)), "optimum_numerator": int(numerator),
        "optimum_denominator": int(denominator), "candidate_pairs": int(report["candidate_pairs"]),
        "max_flows": int(report["max_flows"]),
        "proof": "these caps are feasible and every smaller value is not (max-flow)",
    } | ({"kept_weight": int(report["kept_weight"]), "augmentations": int(report["augmentations"]),
          "exchanges": int(report["exchanges"]),
          "preference_proof": "no selection within these caps keeps more weight (minimum-cost flow by shortest paths)"}
         if options.get("objective") == "preference" else {})


def _kernel_error(exc: ValueError) -> Exception:
    return ResourceLimitError(f"{exc}; use select='balanced' or "
                              "'greedy' for inputs this large")


def _scratch_bytes(M: int, E: int, k: int, threads: int, pairs: int) -> int:  # noqa: N803
    """The flow network: PAIR_BYTES a candidate pair, and its row and target nodes."""
    return PAIR_BYTES * pairs + 40 * (M + E)


def _oracle(candidates, t, k: int, seed: int, options: dict, weights=None):
    from ...reference.optimal import select_optimal

    objective = options.get("objective")
    return select_optimal(candidates, t, k, objective == "relative", objective == "preference", weights)[0]


POLICY = OPTIMAL = Policy(
    "optimal", "the smallest possible maximum column load (or load / t_j), proven by max-flow (slowest)",
    row_local=False, binding="select_optimal", oracle=_oracle,
    not_row_local_because=("select='optimal' solves one max-flow over all rows, so it cannot be sharded; "
                           "route it on one machine"),
    options=(Option("objective", "minimise the maximum column load (max) or the maximum load / t_j (relative); "
                    "preference: the max optimum keeping the most candidate weight",
                    default="max", choices=OBJECTIVES),),
    kernel_options=_kernel_options, read_report=_read_report, kernel_error=_kernel_error,
    scratch_bytes=_scratch_bytes,
)
