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

app = typer.Typer(
    name="phase-router",
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


app.command("route", no_args_is_help=True)(route_command)
app.command("gen", no_args_is_help=True)(gen_command)
app.command("capacity", no_args_is_help=True)(capacity_command)
app.command("suggest-k", no_args_is_help=True)(suggest_k_command)
app.command("compare-hash", no_args_is_help=True)(compare_hash_command)
app.command("sweep", no_args_is_help=True)(sweep_command)
app.command("plot", no_args_is_help=True)(plot_command)
app.command("dump-pbm", no_args_is_help=True)(dump_pbm_command)
app.command("evaluate")(evaluate_command)
