"""The MoE evaluation's plots: dropped assignments and kept gate mass against the capacity
factor, one panel per (E, k) at one batch size, one line per router with its interval over seeds."""

from __future__ import annotations

from pathlib import Path

from .._internal.optional import require
from .plot_style import styles

PANEL_INCHES = (4.2, 3.2)


def _lines(rows: list[dict], M: int, metric: str, ylabel: str, scale: float, path: Path) -> Path:  # noqa: N803
    require("matplotlib", "plot", "drawing plots")
    from matplotlib.figure import Figure  # the object API: no pyplot global state

    chosen = [r for r in rows if r["M"] == M and "skipped" not in r]
    panels = list(dict.fromkeys((r["E"], r["k"]) for r in chosen))
    routers = list(dict.fromkeys(r["router"] for r in chosen))
    palette, shapes = styles(routers, routers)
    columns = min(3, len(panels))
    rows_of_panels = -(-len(panels) // columns)
    figure = Figure(figsize=(PANEL_INCHES[0] * columns, PANEL_INCHES[1] * rows_of_panels + 1.2), layout="constrained")
    axes = figure.subplots(rows_of_panels, columns, squeeze=False)
    for ax, (E, k) in zip(axes.flat, panels):  # noqa: N806
        for router in routers:
            points = sorted((r["capacity_factor"], r[metric]) for r in chosen
                            if (r["E"], r["k"], r["router"]) == (E, k, router))
            if not points:
                continue
            xs = [f for f, _ in points]
            ys = [v["mean"] * scale for _, v in points]
            errors = [[(v["mean"] - v["low"]) * scale for _, v in points], [(v["high"] - v["mean"]) * scale for _, v in points]]
            marker, linestyle = shapes[router]
            ax.errorbar(xs, ys, yerr=errors, color=palette[router], marker=marker, linestyle=linestyle, capsize=3,
                        label=router)
        ax.set_title(f"M = {M}, E = {E}, k = {k}", fontsize=9)
        ax.set_xlabel("capacity factor (expert capacity / (k M / E))")
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=min(5, len(labels)), fontsize=8)
    figure.savefig(path, dpi=110)
    return path


def moe_plots(rows: list[dict], M: int, out_dir: Path) -> list[Path]:  # noqa: N803
    """drops_vs_capacity.png and kept_mass_vs_capacity.png for batch size M."""
    return [_lines(rows, M, "dropped_assignments", "dropped assignments (% of M k)", 100.0,
                   out_dir / "drops_vs_capacity.png"),
            _lines(rows, M, "kept_mass", "kept gate mass / unconstrained top-k", 1.0,
                   out_dir / "kept_mass_vs_capacity.png")]
