"""MoE capacity planning: how many slots each expert needs, how many assignments overflow at a
given capacity factor, and a recommendation that is checked on seeds it was not chosen on.

    python examples/capacity_planning.py [--tokens 8192] [--experts 64] [--top-k 2]

For each capacity factor (expert capacity = factor x tokens x top_k / experts) and each router
(the phase router, the keyed hash and the power of two choices), the dropped assignments are
measured over 20 fitting seeds (phase_router.analysis.capacity.moe_capacity). The recommendation
is the smallest factor whose phase-router drop rate is at most the target; it is then verified
on 20 fresh seeds. The last part sizes the experts' buffers for the phase router with
phase_router.compat.estimate_expert_capacity (the original's call): per-expert percentile and the
joint capacity under which every expert fits at once.
"""

from __future__ import annotations

import argparse

import numpy as np

from phase_router import compat
from phase_router.analysis.capacity import moe_capacity
from phase_router.inputs import moe_degrees, whole_wrap_capacities

FACTORS = (1.0, 1.1, 1.25, 1.5, 2.0)
ROUTERS = ("phase", "hash", "two-choice")
FIT, CHECK = range(0, 20), range(1000, 1020)


def dropped(report: dict, router: str) -> float:
    """Mean dropped fraction of `router` at the MoE model's capacities (moe_capacity's report)."""
    return report["options"]["model"]["routers"][router]["dropped_fraction"]["mean"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=8192)
    parser.add_argument("--experts", type=int, default=64)
    parser.add_argument("--top-k", type=int, default=2)
    parser.add_argument("--target-drop", type=float, default=0.01, help="acceptable dropped fraction")
    args = parser.parse_args()
    M, E, k = args.tokens, args.experts, args.top_k

    print(f"{M} tokens, {E} experts, top-{k}: {M * k} assignments, mean {M * k / E:.1f} per expert\n")
    print(f"{'factor':>6} {'capacity':>8} " + " ".join(f"{r + ' drop':>16}" for r in ROUTERS))
    table = {}
    for factor in FACTORS:
        row = {r: moe_capacity(M, E, k, factor, FIT, router_name=r) for r in ROUTERS}
        table[factor] = row
        cap = row["phase"]["capacity_per_expert"]
        print(f"{factor:>6} {cap:>8} " + " ".join(f"{dropped(row[r], r):>16.4%}" for r in ROUTERS))

    fitting = [f for f in FACTORS if dropped(table[f]["phase"], "phase") <= args.target_drop]
    if not fitting:
        print(f"\nno factor up to {FACTORS[-1]} keeps drops under {args.target_drop:.2%}")
        return
    chosen = fitting[0]
    check = moe_capacity(M, E, k, chosen, CHECK, router_name="phase")
    print(f"\nrecommendation: capacity factor {chosen} ({check['capacity_per_expert']} slots per expert)")
    print(f"  fitted on seeds {FIT.start}..{FIT.stop - 1}: {dropped(table[chosen]['phase'], 'phase'):.4%} dropped")
    print(f"  verified on fresh seeds {CHECK.start}..{CHECK.stop - 1}: {dropped(check, 'phase'):.4%} dropped")
    ok = dropped(check, "phase") <= args.target_drop
    print("  holds out of sample" if ok else "  does NOT hold out of sample: choose the next factor")

    # Why the phase router needs no slack with whole-wrap capacities (docs/SPEC.md, Theory)
    s, t_ceil = moe_degrees(M, E, k, 1.25)
    t_whole = whole_wrap_capacities(M, E, k, 1.0)
    print(f"\ncapacities ceil(1.25 k M / E) = {int(t_ceil[0])} each: sum(t) mod M = {int(t_ceil.sum()) % M} "
          f"(wrap-count regime when nonzero)")
    print(f"whole-wrap capacities sum to {int(t_whole.sum())} = {int(t_whole.sum()) // M} x M: "
          f"every expert takes exactly its t_j")

    # The original's call, on the recommended whole-wrap capacities: buffer sizes at 95 %
    plan = compat.estimate_expert_capacity(s, t_whole, k, confidence=0.95, num_samples=50)
    per_expert = np.asarray(plan["required_capacity"])
    print(f"\nestimate_expert_capacity (50 seeds, whole-wrap t): mean load {float(np.mean(plan['mean_capacity'])):.1f}, "
          f"per-expert 95th percentile up to {int(per_expert.max())}, "
          f"joint capacity (all experts at once, 95 %) {plan['joint_required_capacity']}")
    assert np.all(per_expert <= t_whole), "the phase router never exceeds t_j"

if __name__ == "__main__":
    main()
