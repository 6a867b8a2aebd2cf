"""A small mixture-of-experts layer on CPU whose token-to-expert assignment is a phase-router
routing (at most k experts per token, balanced expert loads, a hard per-expert capacity).

    pip install 'phase-router[torch]'   # CPU wheel: pip install torch==2.13.0
    python examples/moe_torch.py

Checks that dispatch -> per-expert batches -> combine gives exactly (torch.equal) the dense
computation that evaluates every token slot by slot, and prints the expert loads."""

from __future__ import annotations

import sys

import numpy as np

try:  # an optional extra: without it, one line saying what to install instead of a traceback
    import torch
except ImportError:
    sys.exit("examples/moe_torch.py needs PyTorch: pip install 'phase-router[torch]'")

import phase_router as pr
from phase_router import moe


class PhaseRoutedMoE(torch.nn.Module):
    def __init__(self, d_model: int, n_experts: int, k: int, capacity: int, seed: int = 0) -> None:
        super().__init__()
        self.k, self.capacity, self.seed = k, capacity, seed
        self.experts = torch.nn.ModuleList(torch.nn.Linear(d_model, d_model, dtype=torch.float64)
                                           for _ in range(n_experts))
        self.gate = torch.nn.Linear(d_model, n_experts, dtype=torch.float64)

    def route(self, tokens: int) -> pr.Routing:
        # Each token may use any expert (s_i = E) and each expert any token (t_j = M): the router
        # then spreads the k slots per token evenly over the experts.
        E = len(self.experts)
        return pr.route_degrees(np.full(tokens, E), np.full(E, tokens), self.k, seed=self.seed)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, moe.Dispatch]:
        routing = self.route(x.shape[0])
        d = moe.dispatch(routing, len(self.experts), capacity=self.capacity)
        routes = routing.to_torch().long()  # M x k, shares the routing's memory
        weights = torch.softmax(self.gate(x), dim=-1).gather(1, routes.clamp(min=0))
        xs = d.gather(x)  # tokens grouped by expert
        ys = torch.empty_like(xs)
        for e, expert in enumerate(self.experts):
            rows = d.expert_rows(e)
            if rows.stop > rows.start:
                ys[rows] = expert(xs[rows])
        return moe.combine(d, ys, weights), d

    def dense(self, x: torch.Tensor, d: moe.Dispatch, routes: torch.Tensor) -> torch.Tensor:
        """Every expert on every token, then each token's kept slots summed in slot order."""
        weights = torch.softmax(self.gate(x), dim=-1).gather(1, routes.clamp(min=0))
        everything = torch.stack([expert(x) for expert in self.experts])  # E x M x D
        out = torch.zeros_like(x)
        kept = torch.from_numpy(d.slots >= 0)
        for j in range(self.k):
            rows = torch.nonzero(kept[:, j]).flatten()
            out[rows] = out[rows] + weights[rows, j, None] * everything[routes[rows, j], rows]
        return out


def main() -> None:
    torch.manual_seed(0)
    M, D, E, k = 512, 16, 8, 2
    layer = PhaseRoutedMoE(D, E, k, capacity=M * k // E, seed=3)
    # Integer-valued weights and inputs keep every product and sum exact in float64, so the
    # comparison can be bit-for-bit whatever order a BLAS kernel adds in.
    with torch.no_grad():
        for p in layer.parameters():
            p.copy_(torch.randint(-2, 3, p.shape, dtype=torch.float64))
        x = torch.randint(-4, 5, (M, D), dtype=torch.float64)
        y, d = layer(x)
        routes = layer.route(M).to_torch().long()
        reference = layer.dense(x, d, routes)
    assert torch.equal(y, reference), "dispatch + combine differs from the dense computation"
    print(f"tokens {M}, experts {E}, k {k}: expert loads {d.counts.tolist()}, dropped {d.n_dropped}; "
          f"dispatch + combine == dense: True")


if __name__ == "__main__":
    main()
