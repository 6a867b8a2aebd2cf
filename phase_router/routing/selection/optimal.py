"""select="optimal": the smallest possible maximum column load (objective "max") or maximum
load_j / t_j (objective "relative") over all selections that keep min(k, c_i) of each row's own
candidates, proven by maximum flow (core_cpp/selection/policy_optimal.cpp). The yardstick every
other policy is measured against; slower, and its memory grows with the candidate pairs.

The proven optimum is kept on the Router (``router.selection_report``) and in the routing's
statistics (``stats.selection``)."""

from __future__ import annotations

from fractions import Fraction

from ... import _core
from ...errors import ResourceLimitError
from .policy import Option, Policy

OBJECTIVES = ("max", "relative")
# ~40 bytes a pair: about 10 GiB at the limit (owned by the C++ OptimalOptions)
MAX_CANDIDATE_PAIRS: int = _core.selection_defaults()["optimal"]["max_pairs"]
PAIR_BYTES = 40  # core_cpp/selection/max_flow.cpp: arcs both ways, capacities, flows per candidate pair


def _kernel_options(router, options: dict) -> dict:
    return {"relative": options.get("objective") == "relative"}


def _read_report(report: dict, options: dict) -> dict:
    numerator, denominator = report["numerator"], report["denominator"]
    return {
        "objective": options.get("objective", "max"),
        "optimum": float(Fraction(numerator, denominator)), "optimum_numerator": int(numerator),
        "optimum_denominator": int(denominator), "candidate_pairs": int(report["candidate_pairs"]),
        "max_flows": int(report["max_flows"]),
        "proof": "these caps are feasible and every smaller value is not (max-flow)",
    }


def _kernel_error(exc: ValueError) -> Exception:
    return ResourceLimitError(f"{exc} ({MAX_CANDIDATE_PAIRS:,} candidate pairs); use select='balanced' or "
                              "'greedy' for inputs this large")


def _scratch_bytes(M: int, E: int, threads: int, pairs: int) -> int:  # noqa: N803
    """The flow network: PAIR_BYTES a candidate pair, and its row and target nodes."""
    return PAIR_BYTES * pairs + 40 * (M + E)


def _oracle(candidates, t, k: int, seed: int, options: dict):
    from ...reference.optimal import select_optimal

    return select_optimal(candidates, t, k, options.get("objective") == "relative")[0]


POLICY = OPTIMAL = Policy(
    "optimal", "the smallest possible maximum column load (or load / t_j), proven by max-flow (slowest)",
    row_local=False, binding="select_optimal", oracle=_oracle,
    not_row_local_because=("select='optimal' solves one max-flow over all rows, so it cannot be sharded; "
                           "route it on one machine"),
    options=(Option("objective", "minimise the maximum column load (max) or the maximum load / t_j (relative)",
                    default="max", choices=OBJECTIVES),),
    kernel_options=_kernel_options, read_report=_read_report, kernel_error=_kernel_error,
    scratch_bytes=_scratch_bytes,
)
