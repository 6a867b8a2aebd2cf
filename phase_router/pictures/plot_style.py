"""How sweep plots look: one distinct (colour, marker, line style) per series, readable log axes.

Colour encodes the ordered quantity of a series (k, or the shape), marker and line style encode
the rest (router, shape family), so no two series in a figure share a colour and a marker, and
the same series looks the same in every panel.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

QUALITATIVE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
               "#bcbd22", "#17becf")  # matplotlib's tab10
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">", "h", "p")
LINESTYLES = ("-", "--", "-.", ":")


def colours(n: int) -> list:
    """n distinguishable colours: tab10 up to 10, else evenly spaced on a perceptual colour map."""
    if n <= len(QUALITATIVE):
        return list(QUALITATIVE[:n])
    from matplotlib import colormaps

    cmap = colormaps["turbo"]
    return [cmap(0.05 + 0.9 * i / (n - 1)) for i in range(n)]


def styles(colour_keys: Sequence[Hashable], shape_keys: Sequence[Hashable]) -> tuple[dict, dict]:
    """({colour key: colour}, {shape key: (marker, linestyle)}); every pair of one colour key and
    one shape key is a distinct (colour, marker) pair as long as shape keys <= len(MARKERS)."""
    palette = dict(zip(colour_keys, colours(len(colour_keys))))
    shapes = {key: (MARKERS[i % len(MARKERS)], LINESTYLES[i % len(LINESTYLES)]) for i, key in enumerate(shape_keys)}
    return palette, shapes


def plain_number(value: float, _pos=None) -> str:
    """Tick labels as plain numbers: 0.05, 2, 65536 (never 2x10^0)."""
    if value == 0:
        return "0"
    if abs(value) >= 1e6 or abs(value) < 1e-3:
        return f"{value:.0e}"
    return f"{value:g}"


def log2_axis_at(ax, values: Sequence[int], axis: str = "x") -> None:
    """A base-2 log axis with a labelled tick at each value present in the data (and no minors)."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    target = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log", base=2)
    ticks = sorted(set(values))
    target.set_major_locator(FixedLocator(ticks))
    target.set_major_formatter(FuncFormatter(lambda v, p: f"{int(v)}" if v >= 1 else plain_number(v)))
    target.set_minor_locator(NullLocator())


def log10_axis(ax, axis: str = "y") -> None:
    """A base-10 log axis ticked at 1, 2, 5 x 10^n with plain labels."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    target = ax.yaxis if axis == "y" else ax.xaxis
    (ax.set_yscale if axis == "y" else ax.set_xscale)("log")
    target.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    target.set_major_formatter(FuncFormatter(plain_number))
    target.set_minor_formatter(NullFormatter())
