"""`phase-router evaluate`: the original system's evaluation in one command (docs/EVALUATION.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .errors import cli_errors, stderr
from .memory import check_memory, max_memory_option, resolve_limit
from .memory.reports import evaluate_parts


def evaluate_command(
    out: Path = typer.Option(Path("results"), "--out", metavar="DIR", help="Output directory (created; refused if not empty unless --force)."),
    quick: bool = typer.Option(False, "--quick", help="The reduced grid: under a minute on two cores instead of several minutes."),
    force: bool = typer.Option(False, "--force", help="Replace a non-empty --out directory (only once the new one is complete)."),
    max_memory: Optional[str] = max_memory_option("evaluation"),
) -> None:
    """Scaling sweep, phase-vs-hash stress test and the ten-point test matrix, with plots,
    system specs and one report.md."""
    from ..evaluation import evaluate

    with cli_errors():
        check_memory(evaluate_parts(quick), resolve_limit(max_memory), what="this evaluation",
                     advice="use --quick, or raise --max-memory")
        summary = evaluate(out, quick=quick, force=force, progress=lambda m: stderr.print(f"evaluate: {m} ...", markup=False))
    passed = sum(1 for r in summary["test_matrix"] if r["passed"])
    typer.echo(f"wrote {out}/report.md in {summary['seconds']:.0f} s; test matrix {passed}/{len(summary['test_matrix'])} pass")
