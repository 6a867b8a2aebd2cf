"""The MoE dispatch of examples/moe_torch.py with NumPy only (runs in `make test`):
tokens -> experts by a phase-router routing, a capacity per expert, experts as matrices.

    python examples/moe_numpy.py
"""

from __future__ import annotations

import numpy as np

import phase_router as pr
from phase_router import moe


def main() -> None:
    M, D, E, k = 1000, 8, 10, 3
    rng = np.random.default_rng(0)
    x = rng.integers(-4, 5, (M, D)).astype(np.float64)  # integer values: every sum exact
    experts = rng.integers(-2, 3, (E, D, D)).astype(np.float64)
    routing = pr.route_degrees(np.full(M, E), np.full(E, M), k, seed=1)
    d = moe.dispatch(routing, E, capacity=290)

    xs = d.gather(x)
    ys = np.empty_like(xs)
    for e in range(E):
        ys[d.expert_rows(e)] = xs[d.expert_rows(e)] @ experts[e]
    y = moe.combine(d, ys)

    dense = np.zeros_like(x)
    for j in range(k):
        kept = d.slots[:, j] >= 0
        dense[kept] += np.einsum("md,mde->me", x[kept], experts[routing.routes[kept, j]])
    assert np.array_equal(y, dense), "dispatch + combine differs from the dense computation"
    print(f"expert loads {d.counts.tolist()} (capacity 290), dropped {d.n_dropped}: "
          f"dispatch + combine == dense: True")


if __name__ == "__main__":
    main()
