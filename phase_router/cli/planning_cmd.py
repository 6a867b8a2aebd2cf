"""`phase-router capacity` and `phase-router suggest-k`: capacity planning from seed averages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from .. import io
from ..analysis.capacity import estimate_capacity, moe_capacity, overflow_fraction, suggest_k
from ..errors import ShapeMismatchError
from ..analysis.routers import ROUTERS
from .errors import cli_errors, fail
from .render import stdout
from .streams import stdin_inputs


def read_degrees(S: Optional[Path], T: Optional[Path]):  # noqa: N803
    if S is None or T is None:
        fail("give both S and T files")
    S, T = stdin_inputs(S, T)  # noqa: N806 - either may be "-"
    s, shape_S = io.read_row_degrees(S)
    t, shape_T = io.read_row_degrees(T)
    if shape_T != (shape_S[1], shape_S[0]):
        raise ShapeMismatchError(f"{T} is {shape_T[0]} x {shape_T[1]}, but {S} is {shape_S[0]} x {shape_S[1]}, "
                                 f"so T must be {shape_S[1]} x {shape_S[0]}")
    return s, t


def _table(title: str, rows: dict) -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("value")
    for key, value in rows.items():
        table.add_row(key.replace("_", " "), f"{value:.4g}" if isinstance(value, float) else str(value))
    return table


def _check_router(name: str) -> None:
    if name not in ROUTERS:
        fail(f"unknown router {name!r}; choose one of {', '.join(ROUTERS)}")


def capacity_command(
    s_file: Optional[Path] = typer.Argument(None, help="Sources, M x E (not with --moe).", metavar="S", show_default=False),
    t_file: Optional[Path] = typer.Argument(None, help="Targets, E x M (not with --moe).", metavar="T", show_default=False),
    k: int = typer.Option(..., "-k", "--k", min=1, help="Fan-out cap (MoE: top-k)."),
    percentile: float = typer.Option(99.0, "--percentile", help="Capacity holds the load with this probability over seeds (percent)."),
    factor: float = typer.Option(1.25, "--factor", help="Capacity factor for the overflow estimate: capacity = factor x mean load."),
    seeds: int = typer.Option(100, "--seeds", min=1, help="Number of seeds (0..seeds-1)."),
    router_name: str = typer.Option("phase", "--router", help=f"One of: {', '.join(ROUTERS)}."),
    moe: bool = typer.Option(False, "--moe", help="MoE mode: --tokens M, --experts E, -k top-k, --factor."),
    tokens: int = typer.Option(0, "--tokens", min=0, help="MoE: number of tokens."),
    experts: int = typer.Option(0, "--experts", min=0, help="MoE: number of experts."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Capacity per target that the load stays under, headroom, and dropped routes."""
    with cli_errors():
        _check_router(router_name)
        if moe:
            if tokens < 1 or experts < 1:
                fail("--moe needs --tokens and --experts (both at least 1)")
            payload = moe_capacity(tokens, experts, k, factor, range(seeds), router_name=router_name)
            title = "phase-router capacity (MoE)"
        else:
            s, t = read_degrees(s_file, t_file)
            payload = estimate_capacity(s, t, k, percentile, range(seeds), router_name=router_name).to_dict()
            over = overflow_fraction(s, t, k, factor, range(seeds), router_name=router_name)
            payload.update({f"overflow_{key}": value for key, value in over.items()
                            if key.startswith("dropped") or key == "capacity"})
            payload["capacity_factor"] = factor
            title = "phase-router capacity"
    if as_json:
        typer.echo(json.dumps(payload, indent=2, sort_keys=True))
    else:
        stdout.print(_table(title, {k_: v for k_, v in payload.items() if not isinstance(v, dict)}))
        if "capacity_per_target" in payload:
            per = payload["capacity_per_target"]
            stdout.print(f"per-target capacity: min {per['min']}, max {per['max']}, total {per['sum']}")


def suggest_k_command(
    s_file: Path = typer.Argument(..., help="Sources, M x E.", metavar="S", show_default=False),
    t_file: Path = typer.Argument(..., help="Targets, E x M.", metavar="T", show_default=False),
    target_skew: Optional[float] = typer.Option(None, "--target-skew", help="Wanted max/mean column load (e.g. 1.1)."),
    target_fill: Optional[float] = typer.Option(None, "--target-fill", help="Wanted fill: routes / (M k) (e.g. 0.95)."),
    seeds: int = typer.Option(10, "--seeds", min=1, help="Seeds per evaluated k."),
    k_max: Optional[int] = typer.Option(None, "--k-max", min=1, help="Largest k to consider (default E)."),
    router_name: str = typer.Option("phase", "--router", help=f"One of: {', '.join(ROUTERS)}."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """The smallest k meeting a skew target (or the largest meeting a fill target)."""
    with cli_errors():
        _check_router(router_name)
        if target_skew is None and target_fill is None:
            fail("give --target-skew, --target-fill or both")
        s, t = read_degrees(s_file, t_file)
        result = suggest_k(s, t, target_skew=target_skew, target_fill=target_fill, seeds=range(seeds),
                           k_max=k_max, router_name=router_name)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, sort_keys=True))
        return
    table = Table(title="phase-router suggest-k: evaluated k", title_justify="left")
    for column in ("k", "max/mean", "fill"):
        table.add_column(column, justify="right")
    for key, value in sorted(result.evaluated.items()):
        table.add_row(str(key), f"{value['skew']:.4f}", f"{value['fill']:.4f}")
    stdout.print(table)
    stdout.print(f"suggested k: {result.k}" if result.k is not None else "no k meets the target", markup=False)
    stdout.print(result.reason, markup=False)
