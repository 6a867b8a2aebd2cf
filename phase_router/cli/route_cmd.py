"""`phase-router route S T -k K`: route two 0/1 matrix files."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Optional

import typer

from .. import io
from ..errors import ShapeMismatchError
from ..routing import route_degrees
from .errors import check_writable, cli_errors
from .render import routing_table, stdout


def route_command(
    S: Path = typer.Argument(..., help="Sources: M x E 0/1 matrix, PBM (P1/P4) or NPY.", show_default=False),  # noqa: N803
    T: Path = typer.Argument(..., help="Targets: E x M 0/1 matrix, PBM (P1/P4) or NPY.", show_default=False),  # noqa: N803
    k: int = typer.Option(..., "-k", "--k", min=1, help="Fan-out cap: at most k targets per source."),
    seed: int = typer.Option(0, "--seed", min=0, max=2**64 - 1, help="Any integer in [0, 2^64); every seed is deterministic."),
    row_perm: bool = typer.Option(False, "--row-perm", help="Lay rows on the ring in a seed-derived order instead of input order."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write routes (M x k int32, -1 padded) to .npy or .csv."),
    stats_path: Optional[Path] = typer.Option(None, "--stats", help="Write the routing statistics as JSON."),
    pbm: Optional[Path] = typer.Option(None, "--pbm", help="Write the routing matrix O (M x E) as a P4 PBM."),
    as_json: bool = typer.Option(False, "--json", help="Print the statistics as JSON instead of a table."),
    threads: int = typer.Option(0, "--threads", min=0, help="Worker threads (0: all cores). Results never depend on it."),
) -> None:
    """Route sources to targets, at most k per source, and summarise the loads."""
    with cli_errors():
        if out is not None:
            io.route_format(out)
        for path, what in ((out, "--out"), (stats_path, "--stats"), (pbm, "--pbm")):
            if path is not None:
                check_writable(path, what)

        started = time.perf_counter()
        s, shape_S = io.read_row_degrees(S)
        t, shape_T = io.read_row_degrees(T)
        read_ms = (time.perf_counter() - started) * 1e3
        (M, E) = shape_S
        if shape_T != (E, M):
            raise ShapeMismatchError(
                f"{T} is {shape_T[0]} x {shape_T[1]}, but {S} is {M} x {E}, so T must be {E} x {M}"
            )
        routing = route_degrees(s, t, k, seed=seed, row_perm=row_perm, threads=threads)
        stats = routing.stats
        timings = {"read": read_ms, **stats.timings_ms, "total": (time.perf_counter() - started) * 1e3}
        object.__setattr__(stats, "timings_ms", timings)

        outputs = {name: str(path) for name, path in
                   (("routes", out), ("routing pbm", pbm), ("stats", stats_path)) if path is not None}
        payload = {"inputs": {"S": str(S), "T": str(T)}, "stats": stats.to_dict(), "outputs": outputs}
        with io.output_batch() as batch:  # all outputs appear together, or none does
            if out is not None:
                io.write_routes(out, routing.routes, batch)
            if pbm is not None:
                io.write_routing_pbm(pbm, routing.routes, E, batch)
            if stats_path is not None:
                io.write_json(stats_path, payload, batch)
    if as_json:
        typer.echo(json.dumps(payload, indent=2, sort_keys=True))
    else:
        stdout.print(routing_table(stats, {"S": str(S), "T": str(T)}, outputs))
