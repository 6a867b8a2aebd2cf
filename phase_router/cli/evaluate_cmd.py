"""`phase-router evaluate`: the original system's evaluation in one command (docs/EVALUATION.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from .errors import cli_errors, stderr


def evaluate_command(
    out: Path = typer.Option(Path("results"), "--out", help="Output directory (created; refused if not empty unless --force)."),
    quick: bool = typer.Option(False, "--quick", help="The reduced grid: under a minute on two cores instead of several minutes."),
    force: bool = typer.Option(False, "--force", help="Replace a non-empty --out directory (only once the new one is complete)."),
) -> None:
    """Scaling sweep, phase-vs-hash stress test and the ten-point test matrix, with plots,
    system specs and one report.md."""
    from ..evaluation import evaluate

    with cli_errors():
        summary = evaluate(out, quick=quick, force=force, progress=lambda m: stderr.print(f"evaluate: {m} ...", markup=False))
    passed = sum(1 for r in summary["test_matrix"] if r["passed"])
    typer.echo(f"wrote {out}/report.md in {summary['seconds']:.0f} s; test matrix {passed}/{len(summary['test_matrix'])} pass")
