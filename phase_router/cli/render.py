"""Human-readable output of the CLI (Rich tables)."""

from __future__ import annotations

import sys
import textwrap
from typing import Any, Optional

from rich import box
from rich.console import Console
from rich.table import Table

from ..routing.stats import RoutingStats

NO_WRAP_WIDTH = 1_000_000  # "infinitely wide": a table row is one line, paths never break
MAX_WIDTH = 100  # tables and long lines wrap here on a wide terminal: no line is wider


def is_terminal(stream) -> bool:
    return stream.isatty()


def terminal_width() -> int:
    """The terminal's width (COLUMNS first, as Rich reads it), at most MAX_WIDTH."""
    return min(Console(file=sys.stdout).width, MAX_WIDTH)


class TerminalAware:
    """Prints with Rich, deciding per call: on a terminal, its colours and its width, capped at
    MAX_WIDTH columns (tables squeeze and wrap their cells to fit); into a pipe or file, no colour
    and no wrapping (a table row stays one line that tools can grep; the tables are laid out to
    fit MAX_WIDTH by themselves, file paths aside)."""

    def __init__(self, *, stderr: bool = False) -> None:
        self.stderr = stderr

    def console(self) -> Console:
        stream = sys.stderr if self.stderr else sys.stdout
        tty = is_terminal(stream)
        return Console(file=stream, highlight=False, no_color=not tty, soft_wrap=not tty,
                       width=terminal_width() if tty else NO_WRAP_WIDTH)

    def print(self, *objects: Any, **kwargs: Any) -> None:
        self.console().print(*objects, **kwargs)

    def prose(self, text: str) -> None:
        """A sentence, not a table row: wrapped at the terminal's width (at most MAX_WIDTH), and
        into a pipe at MAX_WIDTH too, continuation lines indented; never any markup."""
        stream = sys.stderr if self.stderr else sys.stdout
        if is_terminal(stream):
            self.console().print(text, markup=False)
            return
        for line in textwrap.wrap(text, width=MAX_WIDTH, subsequent_indent="  ", break_long_words=False,
                                  break_on_hyphens=False) or [""]:
            self.console().print(line, markup=False)


stdout = TerminalAware()
stderr = TerminalAware(stderr=True)


def routing_table(stats: RoutingStats, inputs: dict[str, str], outputs: dict[str, str],
                  execution: dict | None = None) -> Table:
    table = Table(title="phase-router route", show_header=False, title_justify="left", show_edge=False)
    table.add_column("what", style="bold")
    table.add_column("value")
    for name, path in inputs.items():
        table.add_row(name, path)
    table.add_row("shape", f"M={stats.M} sources x E={stats.E} targets, k={stats.k}")
    table.add_row("seed", f"{stats.seed}" + ("  (row permutation on)" if stats.row_perm else ""))
    table.add_row("active routes", f"{stats.active_routes:,} of {stats.M * stats.k:,} slots (fill {stats.fill_ratio:.4f})")
    table.add_row("rows under k", f"{stats.rows_underfilled:,} (fewer candidates than k)")
    table.add_row("candidates / row", f"{stats.expected_candidates_per_row:.2f} expected (s_i * sum t / (M*E))")
    table.add_row(
        "column load",
        f"max {stats.column_load_max}, mean {stats.column_load_mean:.2f}, max/mean {stats.column_load_max_over_mean:.4f}",
    )
    if execution:
        how = (f"strategy {execution['strategy']} ({execution['sparse_rows']:,} sparse rows)"
               if execution.get("strategy") is not None else f"{execution.get('candidates')} candidates")
        table.add_row("execution", f"{execution['executor']}, select {execution.get('select', 'random')}, {how}, "
                      f"{execution['chunk_rows']:,} rows per chunk")
    table.add_row("time", ", ".join(f"{k} {v:.2f} ms" for k, v in stats.timings_ms.items()))
    for name, path in outputs.items():
        table.add_row(name, path)
    return table


def compare_tables(entry: dict, columns: list[tuple[str, str]], cell) -> list[Table]:
    """compare-hash's figures for one scenario as two tables that fit MAX_WIDTH: balance (the
    load metrics) and cost (fill, drops, time); `columns` are (title, key), `cell` formats one."""
    balance_keys = {"max_over_mean", "relative_max_over_mean", "max_load_per_t", "relative_spread", "gini"}
    tables = []
    for part, wanted in (("balance", lambda key: key in balance_keys), ("fill, drops, time", lambda key: key not in balance_keys)):
        chosen = [(title, key) for title, key in columns if wanted(key)]
        table = Table(title=f"{entry['scenario']}: {part}", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column("router", style="bold")
        for title, _ in chosen:
            table.add_column(title, justify="right")
        for name, row in entry["routers"].items():
            table.add_row(name, *[cell(row, key) for _, key in chosen])
        tables.append(table)
    return tables


def verdict_text(result: dict) -> list[str]:
    """Each metric's verdict: a line naming the best router, then one line per comparison,
    instead of one line of several hundred characters."""
    lines = ["verdicts, by metric: each difference is phase minus the other router, mean [95% interval]"]
    routers = result["routers"]
    for v in result["verdicts"]:
        best = v["best"]
        lo, hi = routers[best][f"{v['metric']}_ci"]
        lines.append(f"verdict: {v['label']} (lower is better): best {best} {routers[best][v['metric']]:.3f} "
                     f"[{lo:.3f}, {hi:.3f}]")
        for name, d in v["against"].items():
            lines.append(f"  phase vs {name}: {d['outcome']} (difference {d['mean']:+.3f} "
                         f"[{d['low']:+.3f}, {d['high']:+.3f}])")
    return lines


def moe_table(payload: dict) -> Table:
    """capacity --moe's options and routers, each interval under its mean, so that six columns
    fit MAX_WIDTH."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("capacities", "router", "dropped assignments", "tokens dropped", "expert max/mean",
                   "seeds with drops"):
        table.add_column(column)

    def interval(mean: float, low: float, high: float, digits: int = 4) -> str:
        return f"{mean:.{digits}g}\n[{low:.{digits}g}, {high:.{digits}g}]"

    for option, entry in payload["options"].items():
        caps = entry["capacities"]
        for name, row in entry["routers"].items():
            drops = row["seeds_with_drops"]
            table.add_row(f"{option}\nt_j {caps['min']}..{caps['max']}", name,
                          *[interval(row[key]["mean"], row[key]["low"], row[key]["high"])
                            for key in ("dropped_fraction", "tokens_dropped_fraction", "expert_max_over_mean")],
                          interval(drops["rate"], drops["low"], drops["high"], 3))
    return table
