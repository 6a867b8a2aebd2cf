"""Peak memory of the commands that draw and report: `plot` (matplotlib and its figures, and the
results it loads) and `evaluate` (its scaling grid's largest cell, as a sweep, plus the plots)."""

from __future__ import annotations

import os

from .sweep import grid_size, sweep_parts

# Importing matplotlib and drawing a sweep's five figures (Agg, PNG): measured 65 MiB over the
# CLI's own start-up (plot of a 36-cell sweep peaked at 107 MiB against 42 MiB for the bare CLI).
PLOT_LIBRARY_BYTES = 65 * 2**20
# results.json as parsed records and the per-router, per-shape groups the plots make of them
# (a 4.1 MB results.json of 4,000 cells added 6.7 MiB to the peak).
RESULTS_BYTES_PER_FILE_BYTE = 2


def plot_parts(results_json: os.PathLike[str] | str) -> dict[str, int]:
    try:
        size = os.stat(results_json).st_size
    except OSError:  # missing or unreadable: the loader says so, in one line
        size = 0
    return {"matplotlib and figures": PLOT_LIBRARY_BYTES, "results": RESULTS_BYTES_PER_FILE_BYTE * size}


def evaluate_parts(quick: bool) -> dict[str, int]:
    """The scaling sweep dominates: its largest cell (routes, repetitions, digest, router state)
    and every cell's records; the stress test and the test matrix run at N <= 4096."""
    from ...evaluation.scaling import FULL, QUICK
    from ...sweep.loader import parse_config

    config = parse_config(QUICK if quick else FULL, "<evaluate scaling>")
    cells, M, E, k = grid_size(config, ".")  # noqa: N806
    return {**sweep_parts(cells, M, E, k, 1), "matplotlib and figures": PLOT_LIBRARY_BYTES}


def evaluate_moe_parts(quick: bool) -> dict[str, int]:
    """The MoE evaluation's largest batch: logits and scores (float64), the shared ranking and
    the routers' own sorts (int64 ranks and negated copies: eight M x E arrays of 8 bytes in all),
    route_scores' mask matrices (bool, S and T) and candidate lists, and the exact solvers' linear
    programs (HiGHS: about 300 bytes a pair at their size limits), plus the plots. The full grid
    peaked at 1.50 GiB resident (make bench-moe under /usr/bin/time); this gives 1.51 GiB."""
    from ...analysis.gate_routers import base_layer, preference_optimum
    from ...evaluation.moe_grid import FULL, QUICK

    grid = QUICK if quick else FULL
    M, E = max(grid.batch_sizes), max(grid.experts)  # noqa: N806
    solver_pairs = min(M * E, max(base_layer.MAX_PAIRS, preference_optimum.MAX_PAIRS))
    return {"gate scores and their sorts": 8 * 8 * M * E, "candidate masks": 2 * M * E + 8 * M * E,
            "linear programs": 300 * solver_pairs, "matplotlib and figures": PLOT_LIBRARY_BYTES}
