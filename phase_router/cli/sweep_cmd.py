"""`phase-router sweep CONFIG`: run a YAML-configured grid of routings (docs/SWEEPS.md), check
its `expect:` bounds and golden digests, and write the reports a CI job reads (docs/CI.md).

Exit status: 0 every expectation and golden digest holds; 1 one fails (the results are written
completely first); 2 a usage or input error; 130 / 143 / 129 interrupted (SIGINT / SIGTERM / SIGHUP).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from .._internal.optional import require
from .._internal.scheduler import check_scheduler_address
from .option_checks import checked_options
from .errors import check_distinct, check_writable, cli_errors, fail, interrupted, stderr
from .memory import check_memory, max_memory_option, resolve_limit
from ..io.files import STDIN_NAME, is_stream
from .render import stdout
from .streams import stdin_file_in

EXIT_CHECK_FAILED = 1


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
    config: Path = typer.Argument(..., help="Sweep config (YAML); see docs/SWEEPS.md. - reads it from stdin (paths in it are then relative to the current directory).",
                                metavar="FILE", show_default=False),
    out: Optional[Path] = typer.Option(None, "--out", metavar="DIR", help="Output directory (default: sweeps/NAME, NAME being the config's name: or its file name)."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted sweep: skip cells already in --out."),
    jobs: int = typer.Option(1, "--jobs", min=1, metavar="INT", help="Cells run in parallel on this machine."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS", help="Run cells on the Dask cluster at this address (tcp://host:port)."),
    plots: bool = typer.Option(False, "--plots", help="Also draw the PNG plots next to the results (needs phase-router[plot])."),
    record_golden: Optional[Path] = typer.Option(None, "--record-golden", metavar="FILE", help="Write every cell's routes_sha256 to FILE (JSON)."),
    check_golden: Optional[Path] = typer.Option(None, "--check-golden", metavar="FILE", help="Fail (exit 1) on any cell whose routes differ from FILE or are not in it."),
    junit: Optional[Path] = typer.Option(None, "--junit", metavar="FILE", help="Write a JUnit XML report: a test case per cell and per expectation."),
    markdown: Optional[Path] = typer.Option(None, "--markdown", metavar="FILE", help="Write a Markdown summary for a CI job page (e.g. $GITHUB_STEP_SUMMARY)."),
    max_memory: Optional[str] = max_memory_option("sweep"),
) -> None:
    """Run a grid of routings from a YAML config; write results.csv, results.json and summary.md;
    exit 1 if an `expect:` bound or a golden digest fails."""
    from ..sweep.golden import read_golden, record_golden as write_golden
    from ..sweep.loader import load_config  # pydantic and YAML load only when sweeping
    from ..sweep.reports import collect_checks, junit_xml, markdown_summary
    from ..sweep.runner import run_sweep
    from ..io import output_batch
    from ..io.atomic import hold_directory

    with cli_errors(), contextlib.ExitStack() as held:
        limit = resolve_limit(max_memory)
        if scheduler is not None and jobs > 1:
            fail("use --jobs (local threads) or --scheduler (Dask), not both")
        if record_golden is not None and check_golden is not None and record_golden.resolve() == check_golden.resolve():
            fail("--record-golden and --check-golden name the same file; record once, then check")
        if scheduler is not None:
            check_scheduler_address(scheduler)
            require("distributed", "distributed", "running a sweep on a Dask cluster (--scheduler)")
        if plots:
            require("matplotlib", "plot", "--plots")
        if check_golden is not None:
            read_golden(check_golden)  # a missing or malformed golden file is a usage error, before any work
        from_stdin = is_stream(config)
        if from_stdin:  # relative paths in it are relative to the current directory
            with stdin_file_in(os.getcwd()) as copy:
                spec = load_config(copy, shown=STDIN_NAME)  # errors name <stdin>, not the copy
        else:
            spec = load_config(config)  # every config problem is reported here, before any work
        base_dir = Path.cwd() if from_stdin else config.resolve().parent
        from .memory.sweep import grid_size, sweep_parts

        cells, M, E, k = grid_size(spec, base_dir)  # noqa: N806 - counted (over the limit: refused) before expanding
        check_memory(sweep_parts(cells, M, E, k, 1 if scheduler else jobs), limit,
                     what=f"this sweep of {cells:,} cells", advice="make the grid smaller, or raise --max-memory")
        out_dir = out if out is not None else Path("sweeps") / (spec.name or ("stdin" if from_stdin else config.stem))
        for path, what in ((record_golden, "--record-golden"), (junit, "--junit"), (markdown, "--markdown")):
            # a missing parent directory is created with the report (as the sweep creates out_dir)
            if path is not None and (path.is_dir() or path.parent.is_dir()):
                check_writable(path, what)
        check_distinct((("--record-golden", record_golden), ("--junit", junit), ("--markdown", markdown)),
                       (("the config", config), ("--check-golden", check_golden)))
        held.enter_context(hold_directory(out_dir))  # a second sweep into out_dir is refused until this one ends
        progress = Progress(TextColumn("[bold]sweep[/] {task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=stderr,
                            transient=False)
        try:
            with progress:
                outcome = run_sweep(spec, base_dir, out_dir, resume=resume, jobs=jobs,
                                    scheduler=scheduler, reporter=RichReporter(progress))
        except KeyboardInterrupt as exc:  # SIGINT, SIGTERM, SIGHUP: the runner left the results consistent
            message, code = interrupted(exc)
            stderr.print(f"phase-router: error: {message}; {out_dir} holds the finished cells; "
                         f"run again with --resume to continue", markup=False)
            raise typer.Exit(code) from None
        written = ["results.csv", "results.json", "summary.md"]
        if plots:
            from ..pictures.plots import plot_results

            written += [p.name for p in plot_results(out_dir)]
        checks = collect_checks(spec, outcome.records, check_golden)
        for path in (record_golden, junit, markdown):
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
        if record_golden is not None:
            write_golden(record_golden, spec.name or "sweep", outcome.records)
        if spec.expect or check_golden is not None or junit is not None or markdown is not None:
            table = (out_dir / "summary.md").read_text(encoding="utf-8").split("\n", 1)[1]
            report = markdown_summary(checks, table)
            with output_batch() as batch:
                with batch.file(out_dir / "checks.md") as handle:
                    handle.write(report.encode())
                if junit is not None:
                    with batch.file(junit) as handle:
                        handle.write(junit_xml(checks))
                if markdown is not None:
                    with batch.file(markdown) as handle:
                        handle.write(report.encode())
            written.append("checks.md")
    ran = len(outcome.records) - outcome.skipped
    stdout.prose(f"{len(outcome.records)} of {len(outcome.cells)} cells done ({ran} run now, "
                 f"{outcome.skipped} already done) -> {out_dir}: {', '.join(written)}")
    extras = [f"{what} {path}" for what, path in (("golden digests", record_golden), ("JUnit", junit),
                                                   ("Markdown summary", markdown)) if path is not None]
    if extras:
        stdout.prose("wrote " + ", ".join(extras))
    if spec.expect:
        held = sum(v.passed for v in checks.verdicts)
        stdout.prose(f"expectations: {held} of {len(checks.verdicts)} hold")
    if checks.golden is not None:
        g = checks.golden
        stdout.prose(f"golden {check_golden}: {len(g.matched)} same, {len(g.changed)} changed, "
                     f"{len(g.unrecorded)} not recorded")
    if not checks.passed:
        for line in checks.failure_lines(limit=20):
            stderr.print(f"phase-router: check failed: {line}", markup=False)
        raise typer.Exit(EXIT_CHECK_FAILED)


sweep_command = checked_options(sweep_command)
