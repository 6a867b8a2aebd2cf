"""Every MoE router on every cell of a grid: per seed a batch of gate scores, per capacity
factor every router's decision, its metrics and its time; intervals over the seeds."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from typing import Optional

from ..analysis.gate_metrics import METRICS, decision_metrics
from ..analysis.gate_routers import GateBatch, gate_routers, runs_on
from ..analysis.gate_routers.batch import ranking
from ..analysis.intervals import mean_interval
from ..inputs.gate_scores import gate_logits, gate_model, softmax
from .moe_grid import MODEL_SEED, WARMUP_SEED_BASE, MoeGrid


def measure_cell(M: int, E: int, k: int, grid: MoeGrid, seeds: int) -> list[dict]:  # noqa: N803
    """One row per (router, capacity factor): the metrics' and time_ms's intervals over the
    seeds, or ``skipped`` with the reason when the router declines the batch size."""
    model = gate_model(E, seed=MODEL_SEED)
    routers = gate_routers()
    warm_tokens = min(M, grid.warmup_tokens)
    for j in range(grid.warmup_batches):
        logits = gate_logits(model, warm_tokens, WARMUP_SEED_BASE + j)
        warm = GateBatch(logits, softmax(logits), k, 1.0, WARMUP_SEED_BASE + j)
        for router in routers:
            router.learn(warm)
    values: dict[tuple[str, float], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    skipped: dict[tuple[str, float], str] = {}
    for seed in range(seeds):
        logits = gate_logits(model, M, seed)
        scores = softmax(logits)
        order = ranking(scores)  # one sort for every router and metric of this batch
        for factor in grid.capacity_factors:
            batch = GateBatch(logits, scores, k, factor, seed, order)
            for router in routers:
                if not runs_on(router, batch):
                    skipped[(router.name, factor)] = "beyond its exact solver's size limit"
                    continue
                started = time.perf_counter()
                decision = router.route(batch)
                values[(router.name, factor)]["time_ms"].append((time.perf_counter() - started) * 1e3)
                for name, value in decision_metrics(batch, decision).items():
                    values[(router.name, factor)][name].append(value)
    rows = []
    for router in routers:
        for factor in grid.capacity_factors:
            row = {"M": M, "E": E, "k": k, "router": router.name, "capacity_factor": factor}
            if (router.name, factor) in skipped:
                rows.append({**row, "skipped": skipped[(router.name, factor)]})
                continue
            measured = values[(router.name, factor)]
            rows.append({**row, **{name: mean_interval(measured[name]) for name in (*METRICS, "time_ms")}})
    return rows


def measure_grid(grid: MoeGrid, seeds: Optional[int] = None,
                 progress: Optional[Callable[[str], None]] = None) -> list[dict]:
    say = progress or (lambda message: None)
    rows: list[dict] = []
    for M, E, k in grid.cells():  # noqa: N806
        say(f"M = {M}, E = {E}, k = {k}")
        rows.extend(measure_cell(M, E, k, grid, seeds if seeds is not None else grid.seeds))
    return rows
