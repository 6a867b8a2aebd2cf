"""Column-load histograms of sweep cells: which cell to draw, and drawing it.

By default each router gets one representative cell: among the cells of its largest shape (by
M·E) that are not degenerate, the one at the median skew. A cell is degenerate when its targets
carry less than one route on average (active routes < E): its histogram is a spike at 0 and
says nothing about balance. If every cell of the largest shape is degenerate the next largest
shape is tried. A degenerate cell asked for by id is refused with the reason.
"""

from __future__ import annotations

import re
from typing import Optional

import numpy as np

from ..routing.stats import column_loads
from ..errors import InvalidInputError
from ..sweep.cell import cell_routes, routes_digest
from ..sweep.grid import Cell


def degenerate(record: dict) -> Optional[str]:
    """Why a cell's load histogram would say nothing, or None."""
    active = record.get("active_routes")
    if active is None:  # fill not recorded: mean load from skew's definition is unknown; use load_mean
        mean = record.get("load_mean")
        active = None if mean is None else mean * record["E"]
    if active is not None and active < record["E"]:
        return (f"{active:g} routes over {record['E']:,} targets (mean load below 1): its histogram is a "
                f"spike at 0")
    return None


def chosen_records(records: list[dict], cell_ids: Optional[list[str]]) -> list[dict]:
    """The cells asked for, or by default one representative cell per router."""
    if cell_ids:
        by_id = {r["cell_id"]: r for r in records}
        missing = [c for c in cell_ids if c not in by_id]
        if missing:
            raise InvalidInputError(f"no cell {missing[0]!r} in these results (see the cell_id column)")
        for cid in cell_ids:
            why = degenerate(by_id[cid])
            if why is not None:
                raise InvalidInputError(f"cell {cid} is degenerate, no load histogram drawn: {why}")
        return [by_id[c] for c in cell_ids]
    chosen = []
    for router in dict.fromkeys(r["router"] for r in records):
        pick = representative([r for r in records if r["router"] == router])
        if pick is not None:
            chosen.append(pick)
    return chosen


def representative(records: list[dict]) -> Optional[dict]:
    """The median-skew cell of the largest shape that has non-degenerate cells."""
    for size in sorted({r["M"] * r["E"] for r in records}, reverse=True):
        usable = [r for r in records if r["M"] * r["E"] == size and degenerate(r) is None]
        if usable:
            ranked = sorted(usable, key=lambda r: (r.get("skew", 0.0), r["cell_id"]))
            return ranked[(len(ranked) - 1) // 2]
    return None


MAX_INPUT_CHARS = 60  # of the input's label in a file name; a longer one is cut and the cell id added


def histogram_names(records: list[dict]) -> list[str]:
    """A file name per record that says which cell it draws, e.g.
    `loads_phase_uniform-density-0.5_1024x64_k8_seed0.png` (router, input, shape, k, seed, and the
    options the cell sets); the cell id is added where the words alone are cut or would repeat."""
    words = [_cell_words(record) for record in records]
    counts = {name: sum(1 for other, _ in words if other == name) for name, _ in words}
    return [f"loads_{name}{'_' + record['cell_id'] if cut or counts[name] > 1 else ''}.png"
            for (name, cut), record in zip(words, records)]


def _cell_words(record: dict) -> tuple[str, bool]:
    cell = Cell.from_dict(record["cell"])
    label = re.sub(r"[^A-Za-z0-9.]+", "-", cell.input_label).strip("-")
    cut = len(label) > MAX_INPUT_CHARS
    parts = [cell.router, label[:MAX_INPUT_CHARS], f"{cell.M}x{cell.E}", f"k{cell.k}", f"seed{cell.seed}"]
    if cell.row_perm:
        parts.append("row-perm")
    if cell.strategy not in (None, "auto"):
        parts.append(cell.strategy)
    return "_".join(parts), cut


def draw_histogram(Figure, record: dict, chosen: bool = False):
    cell = Cell.from_dict(record["cell"])
    routes = cell_routes(cell)
    if routes_digest(routes) != record["routes_sha256"]:
        raise RuntimeError(f"cell {cell.cell_id} recomputed to different routes than recorded")
    loads = column_loads(routes, cell.E)
    figure = Figure(figsize=(7.6, 4.8), layout="constrained")
    ax = figure.subplots()
    low, high = int(loads.min()), int(loads.max())
    if high - low + 1 <= 80:
        bins = np.arange(low, high + 2) - 0.5  # one bar per load value
        width_text = "one bar per load value"
    else:
        bins = np.linspace(low - 0.5, high + 0.5, 61)
        width_text = f"bars {(high - low + 1) / 60:.3g} loads wide"
    counts, _, _ = ax.hist(loads, bins=bins, color="#3b6ea8", edgecolor="white", linewidth=0.5)
    nonzero = counts[counts > 0]
    if nonzero.size and nonzero.max() / nonzero.min() > 50:
        ax.set_yscale("log")  # otherwise the rare heavy targets (the max) are invisible bars
        ax.set_ylabel("targets (log scale)")
    else:
        ax.set_ylabel("targets")
    mean = record.get("load_mean", float(loads.mean()))
    ax.axvline(mean, color="#c0392b", linestyle="--", label=f"mean load {mean:.2f}")
    ax.axvline(high, color="#333333", linestyle=":", label=f"max load {high} (skew {high / mean:.3f})")
    ax.set_xlabel(f"routes per target (column load; {width_text})")
    options = [f"row_perm={str(cell.row_perm).lower()}"] if cell.row_perm is not None else []
    if cell.strategy not in (None, "auto"):
        options.append(f"strategy={cell.strategy}")
    why = "chosen with --cell" if chosen else "representative: largest shape, median skew"
    ax.set_title(f"{cell.router}, {cell.input_label}, {cell.M}×{cell.E}, k={cell.k}, seed={cell.seed}"
                 + (f", {', '.join(options)}" if options else "")
                 + f"\n{int(loads.sum()):,} routes over {cell.E:,} targets; {why}", fontsize="medium")
    ax.legend(fontsize="small")
    ax.grid(True, axis="y", alpha=0.3)
    return figure
