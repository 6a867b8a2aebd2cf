"""`phase-router dump-pbm S T -k K --out DIR`: every pipeline stage as PBM + PNG, with an index."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .. import io
from ..io.matrix_formats import accepted_formats
from ..pictures.stage_dump import DEFAULT_LIMIT_BYTES, check_size, dump_pipeline
from ..errors import ShapeMismatchError
from ..io.shape import matrix_file_shape
from .._internal.optional import require
from .option_checks import checked_options
from .errors import cli_errors, fail
from .memory import check_memory, max_memory_option, resolve_limit
from .memory.matrices import dump_parts
from .render import stdout
from .streams import stdin_inputs


def dump_pbm_command(
    s_file: Path = typer.Argument(..., help=f"Sources: M x E 0/1 matrix, {accepted_formats()}.", metavar="S", show_default=False),
    t_file: Path = typer.Argument(..., help=f"Targets: E x M 0/1 matrix, {accepted_formats()}.", metavar="T", show_default=False),
    k: int = typer.Option(..., "-k", "--k", min=1, metavar="INT", help="Fan-out cap: at most k targets per source."),
    out: Path = typer.Option(..., "--out", metavar="DIR", help="Directory for the stage files and index.md (created if needed)."),
    seed: int = typer.Option(0, "--seed", min=0, max=2**64 - 1, metavar="INT", help="Any integer in [0, 2^64)."),
    row_perm: bool = typer.Option(False, "--row-perm", help="Lay rows on the ring in a seed-derived order."),
    png: bool = typer.Option(True, "--png/--no-png", help="Write a PNG preview of each stage (needs Pillow)."),
    force: bool = typer.Option(False, "--force", help=f"Write even above {DEFAULT_LIMIT_BYTES // 2**20} MiB of PBM."),
    max_memory: Optional[str] = max_memory_option("dump"),
) -> None:
    """Write every stage of the pipeline (docs/SPEC.md) as P4 PBM files plus PNG previews."""
    with cli_errors():
        if out.exists() and not out.is_dir():
            fail(f"{out}: --out must be a directory")
        if png:
            require("PIL.Image", "plot", "PNG previews (or pass --no-png)")
        s_file, t_file = stdin_inputs(s_file, t_file)
        M, E = matrix_file_shape(s_file)
        shape_T = matrix_file_shape(t_file)
        if shape_T != (E, M):
            raise ShapeMismatchError(f"{t_file} is {shape_T[0]} x {shape_T[1]}, but {s_file} is {M} x {E}, so T must be {E} x {M}")
        check_size(M, E, force)  # before reading the matrices or allocating the stages
        check_memory(dump_parts(M, E, k), resolve_limit(max_memory), what="this dump",
                     advice="use smaller matrices or k, or raise --max-memory")
        listed = dump_pipeline(io.read_matrix(s_file), io.read_matrix(t_file), k, out, seed=seed, row_perm=row_perm, png=png)
    stdout.print(f"{len(listed)} stages of {M} x {E}, k={k}, seed={seed} -> {out}/index.md", markup=False)


dump_pbm_command = checked_options(dump_pbm_command)
