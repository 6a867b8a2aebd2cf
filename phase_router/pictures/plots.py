"""PNG plots of a sweep's results (optional extra `phase-router[plot]`).

  time_vs_N.png       routing time against N (log-log), one line per router and k
  skew_vs_N.png       column skew (max/mean load) against N
  fill_vs_k.png       fill ratio against k, one line per router and shape
  loads_<cell>.png    histogram of the column loads of chosen cells

One panel per input kind, so different inputs are never averaged together. N is the number of
sources M (equal to E for square shapes). The histograms recompute their cells' routes (cells are
deterministic) and check them against the recorded digest before drawing.
"""

from __future__ import annotations

import io as _io
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Optional

import numpy as np

from ..io import output_batch
from .._internal.optional import require
from ..sweep.cell import cell_routes, routes_digest
from ..sweep.grid import Cell
from ..sweep.results import load_results
from ..analysis.stats import column_loads

MAX_PANELS = 6


def _figure_class():
    require("matplotlib", "plot", "drawing plots")
    from matplotlib.figure import Figure  # the object API: no pyplot global state, no display

    return Figure


def plot_results(out_dir: Path, cell_ids: Optional[list[str]] = None) -> list[Path]:
    """Draw every plot the results support into out_dir; returns the files written."""
    Figure = _figure_class()
    out_dir = Path(out_dir)
    payload = load_results(out_dir)
    records = payload["records"]
    figures: dict[str, object] = {}
    if records and "route_ms_median" in records[0]["timings"]:
        figures["time_vs_N.png"] = _against_n(Figure, records, lambda r: r["timings"]["route_ms_median"],
                                              "routing time (ms, median over repetitions)", "Routing time vs N",
                                              log_y=True)
    if records and "skew" in records[0]:
        figures["skew_vs_N.png"] = _against_n(Figure, records, lambda r: r["skew"],
                                              "column skew: max / mean load", "Column skew vs N", log_y=False)
    if records and "fill_ratio" in records[0]:
        figures["fill_vs_k.png"] = _fill_vs_k(Figure, records)
    for record in _chosen(records, cell_ids):
        figures[f"loads_{record['cell_id']}.png"] = _histogram(Figure, record)
    written = []
    with output_batch() as batch:
        for name, figure in figures.items():
            buffer = _io.BytesIO()
            figure.savefig(buffer, format="png", dpi=100)
            with batch.file(out_dir / name) as handle:
                handle.write(buffer.getvalue())
            written.append(out_dir / name)
    return written


def _panels(Figure, records: list[dict], title: str):
    inputs = list(dict.fromkeys(r["input"] for r in records))[:MAX_PANELS]
    cols = min(3, len(inputs))
    rows = -(-len(inputs) // cols)
    figure = Figure(figsize=(5.2 * cols, 4.2 * rows), layout="constrained")
    axes = figure.subplots(rows, cols, squeeze=False).ravel()
    for unused in axes[len(inputs):]:
        unused.set_visible(False)
    figure.suptitle(title)
    return figure, list(zip(inputs, axes))


def _against_n(Figure, records, value, ylabel: str, title: str, log_y: bool):
    figure, panels = _panels(Figure, records, title)
    for label, ax in panels:
        series: dict[tuple, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
        for r in records:
            if r["input"] == label:
                series[(r["router"], r["k"])][r["M"]].append(value(r))
        for (router, k), points in sorted(series.items()):
            xs = sorted(points)
            ax.plot(xs, [statistics.median(points[x]) for x in xs], marker="o", label=f"{router}, k={k}")
        ax.set_xscale("log", base=2)
        if log_y:
            ax.set_yscale("log")
        ax.set_xlabel("N (sources M)")
        ax.set_ylabel(ylabel)
        ax.set_title(label, fontsize="medium")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize="x-small", ncol=2)
    return figure


def _fill_vs_k(Figure, records):
    figure, panels = _panels(Figure, records, "Fill ratio vs k (active routes / (M·k))")
    for label, ax in panels:
        series: dict[tuple, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
        for r in records:
            if r["input"] == label:
                series[(r["router"], r["M"], r["E"])][r["k"]].append(r["fill_ratio"])
        for (router, M, E), points in sorted(series.items()):
            xs = sorted(points)
            ax.plot(xs, [statistics.fmean(points[x]) for x in xs], marker="o", label=f"{router}, {M}×{E}")
        ax.set_xscale("log", base=2)
        ax.set_ylim(0, 1.05)
        ax.set_xlabel("k")
        ax.set_ylabel("fill ratio (mean over seeds)")
        ax.set_title(label, fontsize="medium")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize="x-small", ncol=2)
    return figure


def _chosen(records: list[dict], cell_ids: Optional[list[str]]) -> list[dict]:
    """The cells asked for, or by default the most skewed cell of each router."""
    if cell_ids:
        by_id = {r["cell_id"]: r for r in records}
        missing = [c for c in cell_ids if c not in by_id]
        if missing:
            from ..errors import InvalidInputError

            raise InvalidInputError(f"no cell {missing[0]!r} in these results (see the cell_id column)")
        return [by_id[c] for c in cell_ids]
    worst: dict[str, dict] = {}
    for r in records:
        if r["router"] not in worst or r.get("skew", 0) > worst[r["router"]].get("skew", 0):
            worst[r["router"]] = r
    return list(worst.values())


def _histogram(Figure, record: dict):
    cell = Cell.from_dict(record["cell"])
    routes = cell_routes(cell)
    if routes_digest(routes) != record["routes_sha256"]:
        raise RuntimeError(f"cell {cell.cell_id} recomputed to different routes than recorded")
    loads = column_loads(routes, cell.E)
    figure = Figure(figsize=(6.4, 4.2), layout="constrained")
    ax = figure.subplots()
    bins = np.arange(int(loads.min()), int(loads.max()) + 2) - 0.5
    if bins.size > 80:
        bins = 60
    ax.hist(loads, bins=bins, color="#3b6ea8", edgecolor="white", linewidth=0.5)
    mean = float(loads.mean())
    ax.axvline(mean, color="#c0392b", linestyle="--", label=f"mean {mean:.2f}")
    ax.axvline(float(loads.max()), color="#7f8c8d", linestyle=":", label=f"max {int(loads.max())}")
    ax.set_xlabel("routes per target (column load)")
    ax.set_ylabel("targets")
    ax.set_title(f"{cell.router}, {cell.input_label}, {cell.M}×{cell.E}, k={cell.k}, seed={cell.seed}",
                 fontsize="medium")
    ax.legend(fontsize="small")
    return figure
