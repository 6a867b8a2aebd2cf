"""The Typer application: global options and the command list.

Each command's module is imported only when an application that holds it is built: `phase-router
route ...` builds one with `route` alone (`build_app(["route"])`), so a run pays for its own
command's imports, not for the other nine. `app` (the whole application: the help's command list,
shell completion, the generated CLI reference, tests) is built on first use.
"""

from __future__ import annotations

import importlib
from typing import Callable, Optional, Sequence

import typer

from .._version import __version__
from .help_format import HelpCommand, HelpGroup

# name: (module in phase_router.cli, function, no_args_is_help), in the help's order
COMMANDS: dict[str, tuple[str, str, bool]] = {
    "route": ("route_cmd", "route_command", True),
    "gen": ("gen_cmd", "gen_command", True),
    "capacity": ("planning_cmd", "capacity_command", True),
    "suggest-k": ("planning_cmd", "suggest_k_command", True),
    "compare-hash": ("compare_cmd", "compare_hash_command", True),
    "sweep": ("sweep_cmd", "sweep_command", True),
    "plot": ("plot_cmd", "plot_command", True),
    "dump-pbm": ("dump_pbm_cmd", "dump_pbm_command", True),
    "evaluate": ("evaluate_cmd", "evaluate_command", False),
}

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
        phase-router evaluate --moe --out moe-results
    """,
}

def _command(name: str) -> Callable[..., None]:
    module, function, _ = COMMANDS[name]
    return getattr(importlib.import_module(f"{__package__}.{module}"), function)


def build_app(names: Optional[Sequence[str]] = None) -> typer.Typer:
    """The application with the commands `names` (default: all of them)."""
    built = typer.Typer(**_APP_SETTINGS)
    built.callback()(main_options)
    for name in COMMANDS if names is None else names:
        built.command(name, cls=HelpCommand, epilog=EXAMPLES[name], no_args_is_help=COMMANDS[name][2])(_command(name))
    return built


_APP_SETTINGS = dict(
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


def main_options(
    version: Optional[bool] = typer.Option(
        None, "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Balanced, seed-deterministic bipartite routing with a hard fan-out cap per source."""


_whole: list[typer.Typer] = []


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # the whole application, built once on first use
        if not _whole:
            _whole.append(build_app())
        return _whole[0]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
