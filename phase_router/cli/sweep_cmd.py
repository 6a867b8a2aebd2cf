"""`phase-router sweep CONFIG`: run a YAML-configured grid of routings (docs/SWEEPS.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from .._internal.optional import require
from .errors import cli_errors, fail, stderr
from ..io.files import is_stream
from .render import stdout
from .streams import stdin_file_in


class RichReporter:
    """Cells done out of the grid, elapsed time and ETA, on stderr (stdout stays for results)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task = None

    def start(self, total: int, done: int) -> None:
        self.task = self.progress.add_task("cells", total=total, completed=done)

    def advance(self, record: dict) -> None:
        self.progress.advance(self.task)


def sweep_command(
    config: Path = typer.Argument(..., help="Sweep config (YAML); see docs/SWEEPS.md. - reads it from stdin (paths in it are then relative to the current directory).", show_default=False),
    out: Optional[Path] = typer.Option(None, "--out", help="Output directory (default: sweeps/<config name>)."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted sweep: skip cells already in --out."),
    jobs: int = typer.Option(1, "--jobs", min=1, help="Cells run in parallel on this machine."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Run cells on the Dask cluster at this address (tcp://host:port)."),
    plots: bool = typer.Option(False, "--plots", help="Also draw the PNG plots next to the results (needs phase-router[plot])."),
) -> None:
    """Run a grid of routings from a YAML config; write results.csv, results.json and summary.md."""
    from ..sweep.loader import load_config  # pydantic and YAML load only when sweeping
    from ..sweep.runner import run_sweep

    with cli_errors():
        if scheduler is not None and jobs > 1:
            fail("use --jobs (local threads) or --scheduler (Dask), not both")
        if scheduler is not None:
            require("distributed", "distributed", "running a sweep on a Dask cluster (--scheduler)")
        if plots:
            require("matplotlib", "plot", "--plots")
        from_stdin = is_stream(config)
        if from_stdin:  # relative paths in it are relative to the current directory
            with stdin_file_in(os.getcwd()) as copy:
                spec = load_config(copy)
        else:
            spec = load_config(config)  # every config problem is reported here, before any work
        base_dir = Path.cwd() if from_stdin else config.resolve().parent
        out_dir = out if out is not None else Path("sweeps") / (spec.name or ("stdin" if from_stdin else config.stem))
        progress = Progress(TextColumn("[bold]sweep[/] {task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=stderr,
                            transient=False)
        try:
            with progress:
                outcome = run_sweep(spec, base_dir, out_dir, resume=resume, jobs=jobs,
                                    scheduler=scheduler, reporter=RichReporter(progress))
        except KeyboardInterrupt:
            stderr.print(f"phase-router: interrupted; {out_dir} holds the finished cells; "
                         f"run again with --resume to continue", markup=False)
            raise typer.Exit(130) from None
        written = ["results.csv", "results.json", "summary.md"]
        if plots:
            from ..pictures.plots import plot_results

            written += [p.name for p in plot_results(out_dir)]
    ran = len(outcome.records) - outcome.skipped
    stdout.print(f"{len(outcome.records)} of {len(outcome.cells)} cells done ({ran} run now, "
                 f"{outcome.skipped} already done) -> {out_dir}: {', '.join(written)}", markup=False)
