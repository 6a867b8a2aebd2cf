"""MoE capacity recipes against the wrap-count effect (docs/SPEC.md, Theory): for top-1..3 on
M = 4096 tokens, E = 64 experts, s_i = E, each recipe's capacities t_j, the mean over seeds 0-2 of
max/mean column load under random, balanced and optimal selection, the fill, and a top-k hash
router that ignores capacities. Prints a Markdown table (python benchmarks/bench_moe_recipes.py)."""

from __future__ import annotations

import warnings

import numpy as np

import phase_router as pr
from phase_router.inputs import expert_capacity, whole_wrap_capacities
from phase_router.baselines import hash_route
warnings.simplefilter("ignore")  # the ceil recipe is in the wrap-count regime on purpose
M, E = 4096, 64
print("| k | capacities | t_j | sum(t) = W M + r | random | balanced | optimal | fill | hash (no capacity) |")
print("|---|---|---|---|---:|---:|---:|---:|---:|")
for k in (1, 2, 3):
    recipes = {
        "t_j = ceil(1.25 k M / E)": np.full(E, expert_capacity(M, E, k, 1.25)),
        "t_j = k M / E (factor 1)": whole_wrap_capacities(M, E, k, 1.0),
        "whole-wrap, c = round(1.25 k)": whole_wrap_capacities(M, E, k, 1.25),
        "t_j = M (no capacity)": np.full(E, M),
    }
    for name, t in recipes.items():
        s = np.full(M, E)
        out = {}
        for sel in ("random", "balanced", "optimal"):
            r = [pr.route_degrees(s, t, k, seed=x, select=sel).stats for x in range(3)]
            out[sel] = (np.mean([x.column_load_max_over_mean for x in r]), np.mean([x.fill_ratio for x in r]))
        h = np.mean([hash_route(s, t, k, seed=x).stats.column_load_max_over_mean for x in range(3)])
        W, rem = divmod(int(t.sum()), M)
        print(f"| {k} | {name} | {int(t.min())}..{int(t.max())} | {W} + {rem}/M | {out['random'][0]:.3f} | {out['balanced'][0]:.3f} | {out['optimal'][0]:.3f} | {out['random'][1]:.3f} | {h:.3f} |")
