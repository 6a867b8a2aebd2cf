"""`phase-router evaluate`: the original system's evaluation in one command (docs/EVALUATION.md), or
with --moe the MoE routers on gate scores (docs/MOE.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import InvalidInputError
from .errors import cli_errors, stderr
from .memory import check_memory, max_memory_option, resolve_limit
from .option_checks import checked_options
from .memory.reports import evaluate_moe_parts, evaluate_parts


def evaluate_command(
    out: Path = typer.Option(Path("results"), "--out", metavar="DIR", help="Output directory (created; refused if not empty unless --force)."),
    quick: bool = typer.Option(False, "--quick", help="The reduced grid: under a minute on two cores instead of several minutes."),
    force: bool = typer.Option(False, "--force", help="Replace a non-empty --out directory (only once the new one is complete)."),
    moe: bool = typer.Option(False, "--moe", help="Instead: the MoE routers on gate scores (Switch, bias balancing, Expert Choice, BASE, hash, phase, the preference optimum); tables.md, results.json, plots."),
    seeds: Optional[int] = typer.Option(None, "--seeds", min=2, metavar="INT", help="--moe: batches (seeds) per cell (default 5, --quick 3)."),
    max_memory: Optional[str] = max_memory_option("evaluation"),
) -> None:
    """Scaling sweep, phase-vs-hash stress test and the ten-point test matrix, with plots,
    system specs and one report.md; with --moe, the MoE routers on gate scores instead."""
    if moe:
        _evaluate_moe(out, quick, force, seeds, max_memory)
        return
    from ..evaluation import evaluate

    with cli_errors():
        if seeds is not None:
            raise InvalidInputError("--seeds goes with --moe")
        check_memory(evaluate_parts(quick), resolve_limit(max_memory), what="this evaluation",
                     advice="use --quick, or raise --max-memory")
        summary = evaluate(out, quick=quick, force=force, progress=lambda m: stderr.print(f"evaluate: {m} ...", markup=False))
    passed = sum(1 for r in summary["test_matrix"] if r["passed"])
    typer.echo(f"wrote {out}/report.md in {summary['seconds']:.0f} s; test matrix {passed}/{len(summary['test_matrix'])} pass")


evaluate_command = checked_options(evaluate_command)


def _evaluate_moe(out: Path, quick: bool, force: bool, seeds: Optional[int], max_memory: Optional[str]) -> None:
    from ..evaluation.moe_run import evaluate_moe

    with cli_errors():
        check_memory(evaluate_moe_parts(quick), resolve_limit(max_memory), what="this evaluation",
                     advice="use --quick, or raise --max-memory")
        summary = evaluate_moe(out, quick=quick, force=force, seeds=seeds,
                               progress=lambda m: stderr.print(f"evaluate --moe: {m} ...", markup=False))
    typer.echo(f"wrote {out}/tables.md in {summary['seconds']:.0f} s; {len(summary['rows'])} rows")
