"""`phase-router gen KIND --shape MxE --out S.pbm T.pbm`: write generated inputs."""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Tuple

import typer

from .. import io
from .._internal.scalars import MAX_DIM
from ..errors import InvalidInputError
from ..io.matrix_formats import writer_for_path
from ..inputs.generators import BLOCKS, GENERATORS, WIDTH, canonical, realise
from .option_checks import checked_options
from .errors import check_distinct, check_writable, cli_errors
from .memory import check_memory, max_memory_option, resolve_limit
from .memory.matrices import gen_parts
from .render import stderr, stdout
from .streams import check_one_stdout, shown


def parse_shape(text: str) -> tuple[int, int]:
    """'1024x64' -> (1024, 64); 'N' alone means N x N."""
    parts = text.lower().split("x")
    if any(len(p.strip()) > 10 for p in parts):  # before int(): no digit string can be too long to convert
        raise InvalidInputError(f"--shape sides must be at most {MAX_DIM}, got {text[:40]!r}")
    try:
        values = [int(p) for p in parts]
    except ValueError:
        raise InvalidInputError(f"--shape must look like MxE (e.g. 1024x64), got {text!r}") from None
    if len(values) == 1:
        values = values * 2
    if len(values) != 2 or min(values) < 1:
        raise InvalidInputError(f"--shape must be two positive integers MxE, got {text!r}")
    if max(values) > MAX_DIM:
        raise InvalidInputError(f"--shape sides must be at most {MAX_DIM}, got {text!r}")
    return values[0], values[1]


def _kinds_help() -> str:
    return "; ".join(f"{g.name} ({', '.join(f'{p}={s.default:g}' for p, s in g.params.items())})" if g.params
                     else g.name for g in GENERATORS.values())


def gen_command(
    kind: str = typer.Argument(..., help=f"One of: {_kinds_help()}. snake_case spellings are accepted too.",
                               metavar="KIND", show_default=False),
    shape: str = typer.Option(..., "--shape", metavar="SHAPE", help="M x E, e.g. 1024x64 (or N for N x N)."),
    out: Tuple[Path, Path] = typer.Option(..., "--out", metavar="S T", help="Output files for S and T: P4 PBM, or NPY (uint8) for a .npy name; one may be - for stdout (P4)."),
    k: int = typer.Option(64, "-k", "--k", min=1, metavar="INT", help="k for the kinds that use it (exact-k, uniform-1-k, boundary, moe, adversarial)."),
    density: Optional[float] = typer.Option(None, "--density", metavar="FLOAT", help="uniform, adversarial: probability of a one (default 0.5)."),
    width: Optional[int] = typer.Option(None, "--width", metavar="INT", help="bands: band widths cycle 1..width (default 32)."),
    high_fraction: Optional[float] = typer.Option(None, "--high-fraction", metavar="FLOAT", help="bimodal: share of heavy rows (default 0.5)."),
    capacity_factor: Optional[float] = typer.Option(None, "--capacity-factor", metavar="FLOAT", help="moe: expert capacity / (k M / E) (default 1.25)."),
    alpha: Optional[float] = typer.Option(None, "--alpha", metavar="FLOAT", help="power-law: exponent (default 1)."),
    blocks: Optional[int] = typer.Option(None, "--blocks", metavar="INT", help="block-diagonal: number of blocks (default 8)."),
    seed: int = typer.Option(0, "--seed", min=0, max=2**64 - 1, metavar="INT", help="Any integer in [0, 2^64)."),
    max_memory: Optional[str] = max_memory_option("generation"),
) -> None:
    """Generate a pair of input matrices S (M x E) and T (E x M), as sweeps and compare-hash do."""
    with cli_errors():
        M, E = parse_shape(shape)
        own_rows = GENERATORS[canonical(kind)].rows is not None  # an unknown kind is refused here
        check_memory(gen_parts(M, E, own_rows=own_rows), resolve_limit(max_memory), what="this generation",
                     advice="generate a smaller --shape, or raise --max-memory")
        summary_elsewhere = check_one_stdout((("--out S -", out[0]), ("--out T -", out[1])))
        for path, what in zip(out, ("--out S", "--out T")):
            check_writable(path, what)
        check_distinct((("--out S", out[0]), ("--out T", out[1])))
        formats = [_format(path) for path in out]  # an extension gen cannot write is refused before any work
        given = {"density": density, "width": width, "high_fraction": high_fraction,
                 "capacity_factor": capacity_factor, "alpha": alpha, "blocks": blocks}
        realised = realise(kind, M, E, k=k, seed=seed, **{key: v for key, v in given.items() if v is not None})
        # Row chunks are generated and written one at a time, so memory stays one chunk deep
        # whatever the shape (io.write_matrix_chunks).
        with io.output_batch() as batch:  # both files, or neither
            written = [io.write_matrix_chunks(path, shape_, realised.chunks(side), fmt=fmt, batch=batch)
                       for path, fmt, side, shape_ in ((out[0], formats[0], "S", (M, E)),
                                                       (out[1], formats[1], "T", (E, M)))]
    seconds = sum(w.seconds for w in written)
    size = sum(w.bytes for w in written)
    (stderr if summary_elsewhere else stdout).print(
        f"{realised.generator.name}: S {M} x {E} ({written[0].ones:,} ones) -> {shown(out[0])}; "
        f"T {E} x {M} ({written[1].ones:,} ones) -> {shown(out[1])}; "
        f"{size / 2**20:,.1f} MiB in {seconds:.2f} s ({size / 2**20 / max(seconds, 1e-9):,.0f} MiB/s)", markup=False)


# --width and --blocks take the generator parameters' own minimum
gen_command = checked_options(gen_command, minimums={"width": int(WIDTH.low), "blocks": int(BLOCKS.low)})


def _format(path: Path) -> str:
    """The writable format named by the extension (io/matrix_formats); P4 PBM otherwise and on stdout."""
    return writer_for_path(path).name
