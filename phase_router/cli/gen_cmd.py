"""`phase-router gen KIND --shape MxE --out S.pbm T.pbm`: write generated inputs."""

from __future__ import annotations

from pathlib import Path
from typing import Tuple

import typer

from .. import io
from ..errors import InvalidInputError
from ..inputs.matrices import GENERATORS, generate
from .errors import check_writable, cli_errors
from .render import stderr, stdout
from .streams import check_one_stdout, shown


def parse_shape(text: str) -> tuple[int, int]:
    """'1024x64' -> (1024, 64); 'N' alone means N x N."""
    parts = text.lower().split("x")
    try:
        values = [int(p) for p in parts]
    except ValueError:
        raise InvalidInputError(f"--shape must look like MxE (e.g. 1024x64), got {text!r}") from None
    if len(values) == 1:
        values = values * 2
    if len(values) != 2 or min(values) < 1:
        raise InvalidInputError(f"--shape must be two positive integers MxE, got {text!r}")
    return values[0], values[1]


def gen_command(
    kind: str = typer.Argument(..., help=f"One of: {', '.join(GENERATORS)}.", show_default=False),
    shape: str = typer.Option(..., "--shape", help="M x E, e.g. 1024x1024 (or just N)."),
    out: Tuple[Path, Path] = typer.Option(..., "--out", help="Output files for S and T (P4 PBM); one may be - for stdout."),
    k: int = typer.Option(64, "-k", "--k", min=1, help="k for the kinds that use it (exact-k, uniform-1-k, boundary, adversarial)."),
    density: float = typer.Option(0.5, "--density", min=0.0, max=1.0, help="Density for uniform and exact-k's T."),
    seed: int = typer.Option(0, "--seed", min=0, max=2**64 - 1, help="Any integer in [0, 2^64)."),
) -> None:
    """Generate a pair of input matrices S (M x E) and T (E x M)."""
    with cli_errors():
        M, E = parse_shape(shape)
        summary_elsewhere = check_one_stdout((("--out S -", out[0]), ("--out T -", out[1])))
        for path, what in zip(out, ("--out S", "--out T")):
            check_writable(path, what)
        S, T = generate(kind, M, E, k=k, density=density, seed=seed)
        with io.output_batch() as batch:  # both files, or neither
            io.write_pbm(out[0], S, batch=batch)
            io.write_pbm(out[1], T, batch=batch)
    (stderr if summary_elsewhere else stdout).print(
        f"{kind}: S {M} x {E} ({int(S.sum()):,} ones) -> {shown(out[0])}; T {E} x {M} ({int(T.sum()):,} ones) -> {shown(out[1])}",
        markup=False)
