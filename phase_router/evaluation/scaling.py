"""The scaling part of the evaluation: the grid of the original, TSltd/bitpacked_phase_router (N x
k, row counts uniform in 1..k,
3 trials) run as a sweep (phase_router.sweep), its plots (time vs N, skew vs N, fill vs k, load
histograms: phase_router.pictures), and the original's summary tables: mean ± std over the
trials of routing time, column skew, column std, fill ratio and coverage (routes / ones of S,
routes / ones of T)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from pathlib import Path

from ..sweep import parse_config, run_sweep
from ..sweep.cell import cell_degrees
from ..sweep.grid import Cell

# The full grid is configs/scaling.yaml's (the original's N <= 4096 grid extended to 65536).
FULL = {"name": "scaling", "description": "the original's scaling grid, extended to N = 65536",
        "shapes": [{"N": n} for n in (256, 512, 1024, 2048, 4096, 16384, 65536)],
        "k": [8, 16, 64, 256, 512], "k_at_most_E": True, "inputs": [{"generator": "uniform-1-k"}],
        "seeds": 3, "repetitions": 3, "routers": ["phase", "hash"]}
QUICK = {**FULL, "name": "scaling-quick", "description": "the scaling grid, reduced for --quick",
         "shapes": [{"N": n} for n in (256, 1024, 4096, 16384)], "k": [8, 64, 256]}


def run_scaling(out_dir: Path, quick: bool) -> dict:
    """Run the grid into out_dir (results.*, summary.md, PNGs) and write summary_tables.md."""
    from ..pictures.plots import plot_results

    config = parse_config(QUICK if quick else FULL, "<evaluate scaling>")
    outcome = run_sweep(config, Path("."), out_dir)
    pictures = plot_results(out_dir)
    rows = summary_rows(outcome.records)
    (out_dir / "summary_tables.md").write_text(summary_tables(rows), encoding="utf-8")
    return {"cells": len(outcome.records), "rows": rows, "plots": sorted(p.name for p in pictures)}


def _mean_std(values: list[float]) -> tuple[float, float]:
    return statistics.fmean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def summary_rows(records: list[dict]) -> list[dict]:
    """One row per (router, N, k): mean and std over the seeds of each figure."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for record in records:
        groups[(record["router"], record["M"], record["E"], record["k"])].append(record)
    rows = []
    for (router, M, E, k), group in sorted(groups.items(), key=lambda item: (item[0][1], item[0][3], item[0][0])):
        figures: dict[str, list[float]] = defaultdict(list)
        for record in group:
            s, t = cell_degrees(Cell.from_dict(record["cell"]))
            active = record["active_routes"]
            figures["time_ms"].append(record["timings"]["route_ms_median"])
            figures["skew"].append(record["skew"])
            figures["load_std"].append(record["load_std"])
            figures["fill"].append(record["fill_ratio"])
            figures["coverage_S"].append(active / max(1, int(s.sum())))
            figures["coverage_T"].append(active / max(1, int(t.sum())))
            figures["load_max"].append(record["load_max"])
            figures["load_mean"].append(record["load_mean"])
        row = {"router": router, "M": M, "E": E, "k": k, "seeds": len(group)}
        for name, values in figures.items():
            row[f"{name}_mean"], row[f"{name}_std"] = _mean_std(values)
        rows.append(row)
    return rows


def summary_tables(rows: list[dict]) -> str:
    def ms(row, key, digits=3):
        return f"{row[f'{key}_mean']:.{digits}f} ± {row[f'{key}_std']:.{digits}f}"

    shape = lambda r: f"{r['M']}" if r["M"] == r["E"] else f"{r['M']}×{r['E']}"  # noqa: E731
    out = ["# Scaling: summary tables", "",
           "Mean ± standard deviation over the seeds (each seed draws its own input and routing). "
           "Time: median of the repetitions of one routing call, in ms, on all cores.", "",
           "## Routing time", "", "| router | N | k | time (ms) |", "|---|---:|---:|---:|"]
    out += [f"| {r['router']} | {shape(r)} | {r['k']} | {ms(r, 'time_ms')} |" for r in rows]
    out += ["", "## Load balance (column loads)", "",
            "Skew = max column load / mean column load (1 = perfectly balanced).", "",
            "| router | N | k | mean load | max load | skew | std |", "|---|---:|---:|---:|---:|---:|---:|"]
    out += [f"| {r['router']} | {shape(r)} | {r['k']} | {r['load_mean_mean']:.2f} | {ms(r, 'load_max', 1)} | "
            f"{ms(r, 'skew')} | {ms(r, 'load_std', 2)} |" for r in rows]
    out += ["", "## Fill and coverage", "",
            "Fill = routes / (N k). Coverage S = routes / ones of S, coverage T = routes / ones of T.", "",
            "| router | N | k | fill | coverage S | coverage T |", "|---|---:|---:|---:|---:|---:|"]
    out += [f"| {r['router']} | {shape(r)} | {r['k']} | {ms(r, 'fill', 4)} | {ms(r, 'coverage_S', 4)} | "
            f"{ms(r, 'coverage_T', 4)} |" for r in rows]
    return "\n".join(out) + "\n"
