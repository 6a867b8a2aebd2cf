"""A small mixture-of-experts layer on CPU that routes by its gate's scores: each token goes to
k of its top-c experts (phase_router.moe.route_scores), the expert loads balanced, a hard
per-expert capacity, and the gate weights of the chosen experts kept differentiable.

    pip install 'phase-router[torch]'   # CPU wheel: pip install torch==2.13.0
    python examples/moe_torch_scores.py

Checks that dispatch -> per-expert batches -> combine gives exactly (torch.equal) the dense
computation that evaluates every expert on every token and sums each token's kept slots, that
gradients reach the gate through the kept weights, and prints the loads against plain top-k."""

from __future__ import annotations

import sys

try:  # an optional extra: without it, one line saying what to install instead of a traceback
    import torch
except ImportError:
    sys.exit("examples/moe_torch_scores.py needs PyTorch: pip install 'phase-router[torch]'")

from phase_router import moe


class ScoreRoutedMoE(torch.nn.Module):
    def __init__(self, d_model: int, n_experts: int, k: int, top_c: int, capacity: int, seed: int = 0) -> None:
        super().__init__()
        self.k, self.top_c, self.capacity, self.seed = k, top_c, capacity, seed
        self.experts = torch.nn.ModuleList(torch.nn.Linear(d_model, d_model, dtype=torch.float64)
                                           for _ in range(n_experts))
        self.gate = torch.nn.Linear(d_model, n_experts, dtype=torch.float64)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, moe.ScoreRouting]:
        gates = torch.softmax(self.gate(x), dim=-1)
        # The router reads the scores without their graph; the weights below keep it, so the gate
        # learns from the experts it was routed to.
        routed = moe.route_scores(gates.detach(), self.k, top_c=self.top_c, capacity=self.capacity, seed=self.seed)
        routes = torch.from_numpy(routed.routes).long()
        weights = gates.gather(1, routes.clamp(min=0))
        d = routed.dispatch
        xs = d.gather(x)  # tokens grouped by expert
        ys = torch.empty_like(xs)
        for e, expert in enumerate(self.experts):
            rows = d.expert_rows(e)
            if rows.stop > rows.start:
                ys[rows] = expert(xs[rows])
        return moe.combine(d, ys, weights), routed

    def dense(self, x: torch.Tensor, routed: moe.ScoreRouting) -> torch.Tensor:
        """Every expert on every token, then each token's kept slots summed in slot order."""
        routes = torch.from_numpy(routed.routes).long()
        weights = torch.softmax(self.gate(x), dim=-1).gather(1, routes.clamp(min=0))
        everything = torch.stack([expert(x) for expert in self.experts])  # E x M x D
        out = torch.zeros_like(x)
        kept = torch.from_numpy(routed.dispatch.slots >= 0)
        for j in range(self.k):
            rows = torch.nonzero(kept[:, j]).flatten()
            out[rows] = out[rows] + weights[rows, j, None] * everything[routes[rows, j], rows]
        return out


def main() -> None:
    torch.manual_seed(0)
    M, D, E, k = 512, 16, 8, 2
    capacity = M * k // E  # capacity factor 1: no room for the gate's favourites
    layer = ScoreRoutedMoE(D, E, k, top_c=4, capacity=capacity, seed=3)
    # Integer-valued expert weights and inputs keep every expert output exact in float64, and both
    # paths multiply and add the same numbers in the same order, so the comparison is bit for bit.
    with torch.no_grad():
        for expert in layer.experts:
            for p in expert.parameters():
                p.copy_(torch.randint(-2, 3, p.shape, dtype=torch.float64))
        layer.gate.weight.copy_(torch.randint(-1, 2, layer.gate.weight.shape, dtype=torch.float64) / 4)
        layer.gate.bias.copy_(torch.linspace(1.0, 0.0, E, dtype=torch.float64))  # popular low-id experts
    x = torch.randint(-4, 5, (M, D), dtype=torch.float64)
    y, routed = layer(x)
    with torch.no_grad():
        reference = layer.dense(x, routed)
    assert torch.equal(y, reference), "dispatch + combine differs from the dense computation"
    y.square().mean().backward()
    assert layer.gate.weight.grad is not None and bool(layer.gate.weight.grad.abs().sum() > 0)
    with torch.no_grad():
        plain = moe.route_scores(torch.softmax(layer.gate(x), dim=-1), k, top_c=k, capacity=capacity)
    print(f"tokens {M}, experts {E}, k {k}, top_c 4, capacity {capacity}: loads {routed.dispatch.counts.tolist()}, "
          f"dropped {routed.dispatch.n_dropped}, kept gate mass {routed.kept_mass_share:.3f} of top-k; plain top-k "
          f"drops {plain.dispatch.n_dropped}, keeps {plain.kept_mass_share:.3f}; dispatch + combine == dense: True")


if __name__ == "__main__":
    main()
