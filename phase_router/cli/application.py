"""The Typer application: global options and the command list."""

from __future__ import annotations

from typing import Optional

import typer

from .. import __version__
from .route_cmd import route_command
from .compare_cmd import compare_hash_command
from .gen_cmd import gen_command
from .planning_cmd import capacity_command, suggest_k_command
from .dump_pbm_cmd import dump_pbm_command
from .plot_cmd import plot_command
from .sweep_cmd import sweep_command
from .evaluate_cmd import evaluate_command
from .help_format import HelpCommand, HelpGroup

# One command per line, shown under "Examples:" in each command's help (tests/cli check that
# every option they name exists).
EXAMPLES = {
    "phase-router": """
        phase-router gen uniform --shape 1024x64 --out S.pbm T.pbm
        phase-router route S.pbm T.pbm -k 8 --out routes.npy
        phase-router route -h
    """,
    "route": """
        phase-router route S.pbm T.pbm -k 8 --out routes.npy --stats stats.json
        phase-router route S.pbm T.pbm -k 8 --select balanced --json
        phase-router route --degrees s.npy t.npy -k 4 --out - --out-format csv
    """,
    "gen": """
        phase-router gen uniform --shape 1024x64 --density 0.1 --out S.pbm T.pbm
        phase-router gen moe --shape 4096x64 -k 2 --out S.npy T.npy --seed 7
    """,
    "capacity": """
        phase-router capacity S.pbm T.pbm -k 8 --percentile 99 --factor 1.25
        phase-router capacity --moe --tokens 4096 --experts 64 -k 2
    """,
    "suggest-k": """
        phase-router suggest-k S.pbm T.pbm --target-skew 1.1
        phase-router suggest-k S.pbm T.pbm --target-fill 0.95 --probability 0.99 --json
    """,
    "compare-hash": """
        phase-router compare-hash S.pbm T.pbm -k 8 --seeds 10
        phase-router compare-hash --scenario uniform --scenario moe --shape 512x64 -k 4
    """,
    "sweep": """
        phase-router sweep configs/smoke.yaml --out sweeps/smoke --plots
        cat sweep.yaml | phase-router sweep - --check-golden golden.json
    """,
    "plot": """
        phase-router plot sweeps/smoke
        phase-router plot sweeps/smoke --cell 32dca6b85b440803
    """,
    "dump-pbm": """
        phase-router dump-pbm S.pbm T.pbm -k 8 --out stages --no-png
    """,
    "evaluate": """
        phase-router evaluate --quick --out results
    """,
}

app = typer.Typer(
    name="phase-router",
    cls=HelpGroup,
    epilog=EXAMPLES["phase-router"],
    help="Balanced, seed-deterministic bipartite routing with a hard fan-out cap per source.",
    add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish, PowerShell)
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Help strings mean their brackets literally ("phase-router[plot]"), so no Rich markup.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"phase-router {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Optional[bool] = typer.Option(
        None, "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Balanced, seed-deterministic bipartite routing with a hard fan-out cap per source."""


app.command("route", cls=HelpCommand, epilog=EXAMPLES["route"], no_args_is_help=True)(route_command)
app.command("gen", cls=HelpCommand, epilog=EXAMPLES["gen"], no_args_is_help=True)(gen_command)
app.command("capacity", cls=HelpCommand, epilog=EXAMPLES["capacity"], no_args_is_help=True)(capacity_command)
app.command("suggest-k", cls=HelpCommand, epilog=EXAMPLES["suggest-k"], no_args_is_help=True)(suggest_k_command)
app.command("compare-hash", cls=HelpCommand, epilog=EXAMPLES["compare-hash"], no_args_is_help=True)(compare_hash_command)
app.command("sweep", cls=HelpCommand, epilog=EXAMPLES["sweep"], no_args_is_help=True)(sweep_command)
app.command("plot", cls=HelpCommand, epilog=EXAMPLES["plot"], no_args_is_help=True)(plot_command)
app.command("dump-pbm", cls=HelpCommand, epilog=EXAMPLES["dump-pbm"], no_args_is_help=True)(dump_pbm_command)
app.command("evaluate", cls=HelpCommand, epilog=EXAMPLES["evaluate"])(evaluate_command)
