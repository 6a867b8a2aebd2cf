"""`phase-router plot RESULTS_DIR`: draw a sweep's PNG plots next to its results."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .._internal.optional import require
from .errors import cli_errors
from .memory import check_memory, max_memory_option, resolve_limit
from .memory.reports import plot_parts
from .render import stdout


def plot_command(
    results_dir: Path = typer.Argument(..., help="A sweep output directory (holds results.json).", metavar="DIR",
                                     show_default=False),
    cell: Optional[List[str]] = typer.Option(None, "--cell", metavar="CELL_ID", help="Cell id (results.csv cell_id) to draw a load histogram of; repeatable. Default: per router, the cell with the median skew among the cells of the largest shape (cells whose mean load is below 1 are skipped)."),
    max_memory: Optional[str] = max_memory_option("plot"),
) -> None:
    """Plot time vs N, skew vs N, fill vs k and column-load histograms as PNG files."""
    with cli_errors():
        check_memory(plot_parts(results_dir / "results.json"), resolve_limit(max_memory), what="this plot",
                     advice="raise --max-memory")
        require("matplotlib", "plot", "phase-router plot")
        from ..pictures.plots import plot_results

        written = plot_results(results_dir, cell or None)
    stdout.prose(f"wrote {len(written)} plots in {results_dir}: {', '.join(p.name for p in written)}")
