"""`phase-router capacity` and `phase-router suggest-k`: capacity planning from seed averages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from .. import io
from .._internal.shares import check_percentile
from ..analysis.capacity import check_factor, check_probability, estimate_capacity, moe_capacity, overflow_fraction
from ..analysis.suggest import check_targets, suggest_k
from ..errors import ShapeMismatchError
from ..analysis.routers import DEFAULT_ROUTER, ROUTERS
from .option_checks import checked_options
from .errors import check_distinct, check_writable, cli_errors, fail, stderr
from .help_format import one_of
from ..io.capacity_caps import check_caps_path, write_caps
from ..io.files import is_stream
from .memory import check_memory, max_memory_option, resolve_limit
from .memory.planning import seeds_parts
from ..analysis.intervals import seeds_needed
from ..io.shape import matrix_file_shape

EXIT_NO_K = 1  # suggest-k: no k meets the target (the closest k is printed)
from .render import moe_table, stdout
from .streams import stdin_inputs


def read_degrees(S: Optional[Path], T: Optional[Path], memory=None):  # noqa: N803
    """Row degrees of S and T; memory(M, E), if given, runs first, from the headers alone."""
    if S is None or T is None:
        fail("give both S and T files")
    S, T = stdin_inputs(S, T)  # noqa: N806 - either may be "-"
    if memory is not None:
        memory(*matrix_file_shape(S))
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


def _warn(payload: dict) -> None:
    for line in payload.get("warnings", []):
        stderr.print(f"warning: {line}", markup=False)


def capacity_command(
    s_file: Optional[Path] = typer.Argument(None, help="Sources, M x E (not with --moe).", metavar="S", show_default=False),
    t_file: Optional[Path] = typer.Argument(None, help="Targets, E x M (not with --moe).", metavar="T", show_default=False),
    k: int = typer.Option(..., "-k", "--k", min=1, metavar="INT", help="Fan-out cap (MoE: top-k)."),
    percentile: float = typer.Option(99.0, "--percentile", metavar="FLOAT", help="p in percent: the caps hold on at least p of fresh seeds (90 % confidence)."),
    factor: float = typer.Option(1.25, "--factor", metavar="FLOAT", help="Capacity factor: capacity = factor x mean load (MoE: factor x k M / E)."),
    seeds: Optional[int] = typer.Option(None, "--seeds", min=1, metavar="INT", help="Number of seeds (0..seeds-1); default 10 / (1 - p) (MoE: 100)."),
    router_name: str = typer.Option(DEFAULT_ROUTER, "--router", metavar="ROUTER", help=f"Router, {one_of(ROUTERS)}."),
    moe: bool = typer.Option(False, "--moe", help="MoE mode: --tokens M, --experts E, -k top-k, --factor."),
    tokens: int = typer.Option(0, "--tokens", min=0, metavar="INT", help="MoE: number of tokens."),
    experts: int = typer.Option(0, "--experts", min=0, metavar="INT", help="MoE: number of experts."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    out: Optional[Path] = typer.Option(None, "--out", metavar="FILE", help="Also write every target's joint and marginal cap: .csv (header target,joint,marginal) or .npy (E x 2 int64: joint, marginal)."),
    max_memory: Optional[str] = max_memory_option("run"),
) -> None:
    """Capacities that hold on p of fresh seeds: joint (all targets together) and marginal (each
    alone), one uniform cap, and dropped routes with intervals. --moe: MoE capacity options
    against a top-k hash router at the same capacities."""
    with cli_errors():
        _check_router(router_name)
        check_factor(factor)
        if out is not None:
            _check_caps_output(out, moe, s_file, t_file)
        limit = resolve_limit(max_memory)

        def memory(M: int, E: int, count: int) -> None:  # noqa: N803
            check_memory(seeds_parts(M, E, k, count), limit, what="this capacity run",
                         advice="lower k or --seeds, or raise --max-memory")

        if moe:
            if tokens < 1 or experts < 1:
                fail("--moe needs --tokens and --experts (both at least 1)")
            memory(tokens, experts, seeds or 100)
            payload = moe_capacity(tokens, experts, k, factor, range(seeds or 100), router_name=router_name)
            title = "phase-router capacity (MoE)"
        else:
            count_default = seeds_needed(check_percentile(percentile) / 100)
            s, t = read_degrees(s_file, t_file, lambda M, E: memory(M, E, seeds or count_default))  # noqa: N803
            count = range(seeds) if seeds is not None else None
            payload = estimate_capacity(s, t, k, percentile, count, router_name=router_name).to_dict()
            over = overflow_fraction(s, t, k, factor, range(payload["seeds"]), router_name=router_name)
            payload.update({f"overflow_{key}": value for key, value in over.items()
                            if key.startswith("dropped") or key.startswith("seeds_with") or key == "capacity"})
            payload["capacity_factor"] = factor
            title = "phase-router capacity"
            if out is not None:
                write_caps(out, payload["joint_capacity_per_target"], payload["marginal_capacity_per_target"])
    _warn(payload)
    if as_json:
        typer.echo(json.dumps(payload, indent=2))
        return
    if moe:
        _print_moe(payload)
        return
    rows = {key: value for key, value in payload.items() if not isinstance(value, (dict, list))}
    stdout.print(_table(title, rows))
    for key, label in (("joint_capacity_summary", "joint (all targets under their caps together on >= p of seeds)"),
                       ("marginal_capacity_summary", "marginal (each target alone under its cap on >= p of seeds; NOT together)")):
        per = payload[key]
        stdout.prose(f"{label}: min {per['min']}, max {per['max']}, total {per['sum']}")
    stdout.prose(f"per-target caps: {out}" if out is not None else
                 "per-target caps: --out FILE (.csv or .npy) or --json")
    lo, hi = payload["overflow_dropped_fraction_ci"]
    stdout.prose(f"dropped at factor {factor}: {payload['overflow_dropped_fraction_mean']:.4g} [{lo:.4g}, {hi:.4g}] "
                 f"(95% interval over {payload['seeds']} seeds)")


def _check_caps_output(out: Path, moe: bool, s_file: Optional[Path], t_file: Optional[Path]) -> None:
    """--out's format, that it can be written, and that it replaces neither input, before any work."""
    if moe:
        fail("--out writes the per-target caps of S and T; --moe has no per-target caps to write")
    if is_stream(out):
        fail("--out needs a file name (.csv or .npy); the caps go to standard output with --json")
    check_caps_path(out)
    check_writable(out, "--out")
    check_distinct((("--out", out),), (("S", s_file), ("T", t_file)))


def _print_moe(payload: dict) -> None:
    stdout.prose(f"capacity (MoE): {payload['tokens']} tokens, {payload['experts']} experts, "
                 f"top-{payload['top_k']}, factor {payload['capacity_factor']}, {payload['seeds']} seeds; "
                 "mean [95% interval]")
    stdout.print(moe_table(payload))
    for option, entry in payload["options"].items():
        if entry["wrap_count_warning"]:
            stdout.prose(f"{option}: {entry['wrap_count_warning']}")
    stdout.prose(f"recommendation: {payload['recommendation']}")


def suggest_k_command(
    s_file: Path = typer.Argument(..., help="Sources, M x E.", metavar="S", show_default=False),
    t_file: Path = typer.Argument(..., help="Targets, E x M.", metavar="T", show_default=False),
    target_skew: Optional[float] = typer.Option(None, "--target-skew", metavar="FLOAT", help="Wanted max/mean column load (e.g. 1.1), >= 1."),
    target_fill: Optional[float] = typer.Option(None, "--target-fill", metavar="FLOAT", help="Wanted fill: routes / (M k), in (0, 1]."),
    probability: float = typer.Option(0.9, "--probability", metavar="FLOAT", help="Share of fresh seeds on which k must meet the target."),
    seeds: Optional[int] = typer.Option(None, "--seeds", min=1, metavar="INT", help="Fit seeds per evaluated k (default 10 / (1 - probability))."),
    validation_seeds: Optional[int] = typer.Option(None, "--validation-seeds", min=1, metavar="INT", help="Held-out seeds that check the answer (default: as many as --seeds)."),
    k_max: Optional[int] = typer.Option(None, "--k-max", min=1, metavar="INT", help="Largest k to consider (default E)."),
    router_name: str = typer.Option(DEFAULT_ROUTER, "--router", metavar="ROUTER", help=f"Router, {one_of(ROUTERS)}."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    max_memory: Optional[str] = max_memory_option("run"),
) -> None:
    """The smallest k meeting a skew target (or the largest meeting a fill target) on at least
    --probability of fresh seeds, validated on held-out seeds. Exit 1 when no k does (the
    closest k and its figure are printed), 2 for bad input."""
    with cli_errors():
        _check_router(router_name)
        check_targets(target_skew, target_fill)
        check_probability(probability)
        fit_seeds = seeds or seeds_needed(probability)
        all_seeds = fit_seeds + (validation_seeds or fit_seeds)

        def memory(M: int, E: int) -> None:  # noqa: N803 - the largest k evaluated is k_max (default E)
            check_memory(seeds_parts(M, E, min(k_max or E, E), all_seeds), resolve_limit(max_memory),
                         what="this suggest-k run", advice="lower --k-max or the seed counts, or raise --max-memory")

        s, t = read_degrees(s_file, t_file, memory)
        result = suggest_k(s, t, target_skew=target_skew, target_fill=target_fill, probability=probability,
                           seeds=range(seeds) if seeds is not None else None, validation_seeds=validation_seeds,
                           k_max=k_max, router_name=router_name)
    payload = result.to_dict()
    _warn(payload)
    if as_json:
        typer.echo(json.dumps(payload, indent=2))
    else:
        table = Table(title=f"phase-router suggest-k: evaluated k ({result.fit_seeds} fit seeds, bounds for p = {result.probability})",
                      title_justify="left")
        for column in ("k", "max/mean mean", "max/mean bound", "fill mean", "fill bound", "met on fit seeds"):
            table.add_column(column, justify="right")
        for row in payload["evaluated"]:
            num = lambda v, places=4: "n/a" if v is None else f"{v:.{places}f}"  # noqa: E731
            table.add_row(str(row["k"]), num(row["skew_mean"]), num(row["skew_bound"]), num(row["fill_mean"]),
                          num(row["fill_bound"]), num(row["fit_rate"], 2))
        stdout.print(table)
        stdout.prose(f"suggested k: {result.k}" if result.k is not None else
                     f"no k meets the target; closest k: {result.best_k}")
        stdout.prose(result.reason)
    if not result.met:
        raise typer.Exit(EXIT_NO_K)


capacity_command = checked_options(capacity_command)
suggest_k_command = checked_options(suggest_k_command)
