"""PyTorch tensors in, routes as a PyTorch tensor out, used to dispatch token activations.

    python examples/torch_front_end.py [--tokens 4096] [--experts 64] [--top-k 2]

Needs PyTorch (CPU is enough: `make test-torch` installs the CPU wheel). The router runs on the
CPU from degrees; tensors cross by ``.numpy()`` / ``torch.from_numpy`` without copies. The MoE
capacities are the whole-wrap recipe (phase_router.inputs.whole_wrap_capacities), under which
every expert takes exactly its capacity (docs/SPEC.md, Theory).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

try:  # an optional extra: without it, one line saying what to install instead of a traceback
    import torch
except ImportError:
    sys.exit("examples/torch_front_end.py needs PyTorch: pip install 'phase-router[torch]'")

import phase_router as pr
from phase_router.inputs import whole_wrap_capacities


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=4096)
    parser.add_argument("--experts", type=int, default=64)
    parser.add_argument("--top-k", type=int, default=2)
    parser.add_argument("--hidden", type=int, default=32)
    args = parser.parse_args()
    M, E, k = args.tokens, args.experts, args.top_k

    # S: every token may go to every expert; T: expert j accepts t_j tokens (its capacity)
    S = torch.ones((M, E), dtype=torch.bool)
    t = torch.from_numpy(whole_wrap_capacities(M, E, k, 1.0).astype(np.int64))
    routing = pr.route_degrees(S.sum(dim=1).numpy(), t.numpy(), k, seed=0)
    routes = torch.from_numpy(routing.routes)  # tokens x top_k, int32, -1 = no expert
    print(f"routes tensor {tuple(routes.shape)} {routes.dtype}")

    # dispatch: gather each (token, slot) pair's activation into its expert's batch
    x = torch.randn(M, args.hidden, generator=torch.Generator().manual_seed(0))
    token, slot = torch.nonzero(routes >= 0, as_tuple=True)
    expert = routes[token, slot].long()
    order = torch.argsort(expert, stable=True)
    batches = torch.split(x[token[order]], torch.bincount(expert, minlength=E).tolist())
    sizes = torch.tensor([b.shape[0] for b in batches])
    print(f"expert batch sizes: min {int(sizes.min())}, max {int(sizes.max())}, capacity {int(t.max())}")
    assert torch.all(sizes <= t), "no expert exceeds its capacity"
    assert int(sizes.sum()) == int((routes >= 0).sum())
    # combine: scatter expert outputs (here: identity) back to tokens, averaged over slots
    out = torch.zeros_like(x).index_add_(0, token[order], torch.cat(batches))
    counts = torch.bincount(token, minlength=M).clamp(min=1).unsqueeze(1)
    assert torch.allclose(out / counts, x[: M] * (torch.bincount(token, minlength=M) > 0).unsqueeze(1))
    print("dispatch and combine round-trip: ok")


if __name__ == "__main__":
    main()
