"""PNG plots of a sweep's results (optional extra `phase-router[plot]`).

  time_vs_N.png       routing time against the number of sources M (log-log)
  skew_vs_N.png       column skew (max/mean load) against M
  fill_vs_k.png       fill ratio against k, one series per router and shape
  loads_<router>_<input>_<M>x<E>_k<k>_seed<seed>.png
                      column-load histogram of a cell: by default, per router, the median-skew
                      cell of the largest shape (load_histogram.py); or each cell given by id

What the pictures promise (docs/SWEEPS.md):
- one panel per input and option setting (row_perm, strategy); a router that ignores an option
  is drawn in every panel of its input. Every panel is drawn: past PANELS_PER_FIGURE panels the
  plot continues in `<name>_2.png`, `<name>_3.png`, ...
- one series per router, shape family and k: square shapes N x N form one family, rectangular
  shapes with the same E another (x = M), so different M x E shapes are never joined blindly;
- each point is the median over the seeds of its setting, the shaded band spans min..max over
  those seeds, and the legend says so;
- every series has its own (colour, marker) pair, the same in every panel; log axes are labelled
  with plain numbers at the data's values.
"""

from __future__ import annotations

import io as _io
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Callable, Optional

from .._internal.optional import require
from ..io import output_batch
from ..sweep.results import load_results
from .load_histogram import chosen_records, draw_histogram, histogram_names
from .plot_style import log10_axis, log2_axis_at, styles

PANELS_PER_FIGURE = 12
COLUMNS = 3
MIN_FIGURE_WIDTH = 11.0  # inches
LOG_SPAN = 20.0


def _figure_class():
    require("matplotlib", "plot", "drawing plots")
    from matplotlib.figure import Figure  # the object API: no pyplot global state, no display

    return Figure


def plot_results(out_dir: Path, cell_ids: Optional[list[str]] = None) -> list[Path]:
    """Draw every plot the results support into out_dir; returns the files written."""
    Figure = _figure_class()
    out_dir = Path(out_dir)
    records = load_results(out_dir)["records"]
    figures: dict[str, object] = {}
    if records and "route_ms_median" in records[0]["timings"]:
        figures.update(_figure_set(Figure, "time_vs_N", records, _against_n(
            lambda r: r["timings"]["route_ms_median"], "routing time (ms per call, median of repetitions)",
            log_y=True), "Routing time vs sources M"))
    if records and "skew" in records[0]:
        figures.update(_figure_set(Figure, "skew_vs_N", records, _against_n(
            lambda r: r["skew"], "column skew: max / mean load (1 = balanced)", log_y=None, reference=1.0),
            "Column skew vs sources M"))
    if records and "fill_ratio" in records[0]:
        figures.update(_figure_set(Figure, "fill_vs_k", records, _fill_vs_k, "Fill ratio vs k"))
    chosen = chosen_records(records, cell_ids)
    for name, record in zip(histogram_names(chosen), chosen):
        figures[name] = draw_histogram(Figure, record, chosen=bool(cell_ids))
    written = []
    with output_batch() as batch:
        for name, figure in figures.items():
            buffer = _io.BytesIO()
            figure.savefig(buffer, format="png", dpi=100)
            with batch.file(out_dir / name) as handle:
                handle.write(buffer.getvalue())
            written.append(out_dir / name)
    return written


# --------------------------------------------------------------------------- panels


def _varying(records: list[dict], option: str) -> list:
    return sorted({r[option] for r in records if r[option] is not None}, key=str)


def panel_keys(records: list[dict]) -> list[tuple]:
    """(input, row_perm, strategy) of every panel, in the order the inputs first appear."""
    keys: list[tuple] = []
    for label in dict.fromkeys(r["input"] for r in records):
        mine = [r for r in records if r["input"] == label]
        row_perms = _varying(mine, "row_perm") or [None]
        strategies = _varying(mine, "strategy") or [None]
        keys += [(label, rp, st) for rp in row_perms for st in strategies]
    return keys


def in_panel(record: dict, key: tuple) -> bool:
    """A record belongs to a panel of its input if it has that option value or ignores the option."""
    label, row_perm, strategy = key
    return (record["input"] == label and record["row_perm"] in (None, row_perm)
            and record["strategy"] in (None, strategy))


def _option_text(records: list[dict]) -> tuple[set, str]:
    """Options that vary go into panel titles; those with one value are stated once in the title."""
    varying, fixed = set(), []
    for option in ("row_perm", "strategy"):
        values = _varying(records, option)
        if len(values) > 1:
            varying.add(option)
        elif values:
            fixed.append(f"{option}={str(values[0]).lower()}")
    return varying, ", ".join(fixed)


def _figure_set(Figure, stem: str, records: list[dict], draw: Callable, title: str) -> dict[str, object]:
    """As many figures as the panels need, PANELS_PER_FIGURE each: never a dropped panel."""
    keys = panel_keys(records)
    varying, fixed = _option_text(records)
    seeds = sorted({len(v) for v in _seed_groups(records).values()})
    seed_text = f"{seeds[0]}" if len(seeds) == 1 else f"{seeds[0]}–{seeds[-1]}"
    chunks = [keys[i:i + PANELS_PER_FIGURE] for i in range(0, len(keys), PANELS_PER_FIGURE)]
    out = {}
    for number, chunk in enumerate(chunks, start=1):
        cols = min(COLUMNS, len(chunk))
        rows = -(-len(chunk) // cols)
        width = max(5.4 * cols, MIN_FIGURE_WIDTH)  # room for the title and legend even with one panel
        figure = Figure(figsize=(width, 4.3 * rows + 1.6), layout="constrained")
        axes = figure.subplots(rows, cols, squeeze=False).ravel()
        for unused in axes[len(chunk):]:
            unused.set_visible(False)
        part = f" (figure {number} of {len(chunks)})" if len(chunks) > 1 else ""
        options = f"; options: {fixed}" if fixed else ""
        figure.suptitle(f"{title}{part}\nline = median over the {seed_text} seeds of a setting, "
                        f"band = min–max over them{options}", fontsize="medium")
        handles = draw(records, list(zip(chunk, axes)), varying)
        _legend(figure, handles, seed_text, columns=max(1, int(width // 2.9)))
        out[f"{stem}.png" if number == 1 else f"{stem}_{number}.png"] = figure
    return out


def _seed_groups(records: list[dict]) -> dict[tuple, list[dict]]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in records:
        groups[(r["router"], r["input"], r["M"], r["E"], r["k"], r["row_perm"], r["strategy"])].append(r)
    return groups


def _panel_title(ax, key: tuple, varying: set) -> None:
    label, row_perm, strategy = key
    extra = []
    if "row_perm" in varying and row_perm is not None:
        extra.append(f"row_perm={str(row_perm).lower()}")
    if "strategy" in varying and strategy is not None:
        extra.append(f"strategy={strategy}")
    ax.set_title(label + (f"\n{', '.join(extra)}" if extra else ""), fontsize="medium")


def _legend(figure, handles: dict, seed_text: str, columns: int) -> None:
    from matplotlib.patches import Patch

    items = list(handles.values())
    items.append(Patch(facecolor="#888888", alpha=0.25, label=f"band: min–max over {seed_text} seeds"))
    figure.legend(handles=items, loc="outside lower center", ncols=min(columns, len(items)), fontsize="small",
                  frameon=False)


def _ignores(records: list[dict], router: str, varying: set) -> str:
    """' (ignores row_perm)' for a router drawn in every panel because it does not read the option."""
    ignored = [o for o in sorted(varying) if all(r[o] is None for r in records if r["router"] == router)]
    return f" (ignores {', '.join(ignored)})" if ignored else ""


def _family(M: int, E: int) -> str:
    return "N×N" if M == E else f"M×{E}"


def _line(ax, xs, groups, colour, marker, linestyle, label):
    medians = [statistics.median(groups[x]) for x in xs]
    (handle,) = ax.plot(xs, medians, color=colour, marker=marker, linestyle=linestyle, label=label,
                        markersize=5, linewidth=1.4)
    if any(len(groups[x]) > 1 for x in xs):
        ax.fill_between(xs, [min(groups[x]) for x in xs], [max(groups[x]) for x in xs], color=colour,
                        alpha=0.15, linewidth=0)
    return handle


def _against_n(value: Callable, ylabel: str, log_y: Optional[bool], reference: Optional[float] = None) -> Callable:
    """log_y None: a log axis when a panel's values span more than LOG_SPAN (else small values
    would be flattened against the axis by one extreme series)."""

    def draw(records: list[dict], panels: list, varying: set) -> dict:
        ks = sorted({r["k"] for r in records})
        families = sorted({(r["router"], _family(r["M"], r["E"])) for r in records},
                          key=lambda f: (f[0], f[1] != "N×N", f[1]))
        palette, shapes = styles(ks, families)
        handles = {}
        for key, ax in panels:
            series: dict[tuple, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
            for r in records:
                if in_panel(r, key):
                    series[(r["router"], _family(r["M"], r["E"]), r["k"])][r["M"]].append(value(r))
            xs_all, ys_all = [], []
            for (router, family, k), points in sorted(series.items(), key=lambda s: (families.index(s[0][:2]), s[0][2])):
                xs = sorted(points)
                xs_all += xs
                ys_all += [v for x in xs for v in points[x]]
                marker, linestyle = shapes[(router, family)]
                label = f"{router}{_ignores(records, router, varying)}, {'square N×N' if family == 'N×N' else family}, k={k}"
                handles.setdefault(label, _line(ax, xs, points, palette[k], marker, linestyle, label))
            if reference is not None:
                ax.axhline(reference, color="#555555", linewidth=0.8, linestyle=":")
            log2_axis_at(ax, xs_all)
            positive = [y for y in ys_all if y > 0]
            logarithmic = log_y if log_y is not None else bool(positive) and max(positive) > LOG_SPAN * min(positive)
            if logarithmic:
                log10_axis(ax)
            ax.set_xlabel("sources M (square shapes: N = M = E)")
            ax.set_ylabel(ylabel + (" (log scale)" if logarithmic and log_y is None else ""))
            _panel_title(ax, key, varying)
            ax.grid(True, which="major", alpha=0.3)
            ax.tick_params(axis="x", labelsize="small", labelrotation=30 if len(set(xs_all)) > 5 else 0)
        return handles

    return draw


def _fill_vs_k(records: list[dict], panels: list, varying: set) -> dict:
    shapes_present = sorted({(r["M"], r["E"]) for r in records}, key=lambda s: (s[0] * s[1], s))
    routers = list(dict.fromkeys(r["router"] for r in records))
    palette, shapes = styles(shapes_present, routers)
    handles = {}
    for key, ax in panels:
        series: dict[tuple, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
        for r in records:
            if in_panel(r, key):
                series[(r["router"], r["M"], r["E"])][r["k"]].append(r["fill_ratio"])
        ks = []
        for (router, M, E), points in sorted(series.items(), key=lambda s: (routers.index(s[0][0]),
                                                                            shapes_present.index(s[0][1:]))):
            xs = sorted(points)
            ks += xs
            marker, linestyle = shapes[router]
            label = f"{router}{_ignores(records, router, varying)}, {M}×{E}"
            handles.setdefault(label, _line(ax, xs, points, palette[(M, E)], marker, linestyle, label))
        log2_axis_at(ax, ks)
        ax.set_ylim(0, 1.05)
        ax.set_xlabel("k (fan-out cap)")
        ax.set_ylabel("fill ratio: active routes / (M·k)")
        _panel_title(ax, key, varying)
        ax.grid(True, which="major", alpha=0.3)
    return handles
