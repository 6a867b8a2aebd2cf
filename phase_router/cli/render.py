"""Human-readable output of the CLI (Rich tables)."""

from __future__ import annotations

import sys
from typing import Any, Optional

from rich.console import Console
from rich.table import Table

from ..routing.stats import RoutingStats

NO_WRAP_WIDTH = 1_000_000  # "infinitely wide": a table row is one line, paths never break


class TerminalAware:
    """Prints with Rich, deciding per call: on a terminal, its width and colours; into a pipe or
    file, no colour and no wrapping (a table row stays one line that tools can grep)."""

    def __init__(self, *, stderr: bool = False, width: Optional[int] = None) -> None:
        self.stderr = stderr
        self.width = width

    def console(self) -> Console:
        stream = sys.stderr if self.stderr else sys.stdout
        tty = stream.isatty()
        return Console(file=stream, highlight=False, no_color=not tty, soft_wrap=not tty,
                       width=self.width if tty else NO_WRAP_WIDTH)

    def print(self, *objects: Any, **kwargs: Any) -> None:
        self.console().print(*objects, **kwargs)


stdout = TerminalAware()
stderr = TerminalAware(stderr=True)


def routing_table(stats: RoutingStats, inputs: dict[str, str], outputs: dict[str, str],
                  execution: dict | None = None) -> Table:
    table = Table(title="phase-router route", show_header=False, title_justify="left")
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
