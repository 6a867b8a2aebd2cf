"""Every stage of the pipeline as P4 PBM files with PNG previews (`phase-router dump-pbm`).

The stages come from the reference pipeline (phase_router.reference.pipeline), which follows
docs/SPEC.md literally; its routes are checked against the kernel's before anything is written.
The reference holds about a dozen M x E boolean matrices, so the dump is for inspection of small
inputs: it refuses to write more than DEFAULT_LIMIT_BYTES of PBM unless forced.
"""

from __future__ import annotations

import io as _io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..reference import spec as reference
from ..errors import InvalidInputError, ResourceLimitError
from ..io import output_batch, write_pbm
from ..io.output_formats import routing_matrix
from .._internal.memory import physical_memory
from .._internal.optional import require
from ..routing.api import route

DEFAULT_LIMIT_BYTES = 32 * 2**20  # the 11 PBM stages of a 4096 x 4096 input are 22 MiB
PREVIEW_MIN_SIDE = 256  # small matrices are scaled up (nearest neighbour) to at least this
PREVIEW_MIN_SHORT_SIDE = 160  # ... and their shorter side to at least this
PREVIEW_MAX_SCALE = 32
PREVIEW_MAX_SIDE = 4096  # but never beyond this on the longer side
PREVIEW_BAND = 44  # the title band above the matrix (two lines of text)
PREVIEW_MARGIN = 8
REFERENCE_MATRICES = 14  # M x E boolean arrays the reference pipeline holds at its peak (upper bound)


@dataclass(frozen=True)
class Stage:
    name: str  # file stem, numbered in pipeline order
    title: str
    matrix: np.ndarray  # bool


def stage_list(stages: reference.Stages, S: np.ndarray, T: np.ndarray) -> list[Stage]:
    E = S.shape[1]
    return [
        Stage("00_S_input", "S as given (M × E)", S),
        Stage("01_T_input", "T as given (E × M)", T),
        Stage("02_S_aligned", "1. S left-aligned: row i has s_i ones in columns 0..s_i−1", stages.S_aligned),
        Stage("03_T_aligned", "1. T left-aligned", stages.T_aligned),
        Stage("04_S_rotated", "2–3. S rotated by its phase offsets φ (arcs on the E-ring)", stages.S_rotated),
        Stage("05_T_rotated", "2–3. T rotated by its phase offsets ψ (arcs on the M-ring)", stages.T_rotated),
        Stage("06_S_shuffled", "4. S' = S_rot[:, π_S]", stages.S_shuffled),
        Stage("07_T_shuffled", "4. T' = T_rot[:, π_T]", stages.T_shuffled),
        Stage("08_T_transposed", "5. T'ᵀ (M × E)", stages.T_transposed),
        Stage("09_O_candidates", "6. O = S' ∧ T'ᵀ: every candidate", stages.candidates),
        Stage("10_O_selected", "7. O after selection: at most k per row (the routes)",
              routing_matrix(stages.routes, E).unpack()),
    ]


def pbm_bytes(rows: int, cols: int) -> int:
    return len(f"P4\n{cols} {rows}\n") + rows * ((cols + 7) // 8)


def planned_bytes(M: int, E: int) -> int:
    """Bytes of the PBM files (7 stages M x E, 4 E x M); PNG previews add a compressed fraction."""
    return 7 * pbm_bytes(M, E) + 4 * pbm_bytes(E, M)


def check_size(M: int, E: int, force: bool, limit: int = DEFAULT_LIMIT_BYTES) -> None:
    """Refuse large dumps before reading the matrices or running the reference."""
    total = planned_bytes(M, E)
    if total > limit and not force:
        raise InvalidInputError(
            f"dump-pbm would write {total:,} bytes of PBM for {M} x {E} (plus PNG previews), above the "
            f"limit of {limit:,}; pass --force to write them anyway"
        )
    needed = REFERENCE_MATRICES * M * E
    physical = physical_memory()
    if physical is not None and needed > physical:
        raise ResourceLimitError(
            f"the reference pipeline would need about {needed / 2**30:.1f} GiB for {M} x {E}, more than "
            f"this machine's {physical / 2**30:.1f} GiB"
        )


def preview_scale(rows: int, cols: int) -> int:
    """The integer zoom of a preview: the longer side reaches PREVIEW_MIN_SIDE and the shorter side
    PREVIEW_MIN_SHORT_SIDE (so a 300 x 40 input is not a 40-pixel sliver), within
    PREVIEW_MAX_SCALE and without making the longer side exceed PREVIEW_MAX_SIDE."""
    long_side, short_side = max(rows, cols), max(1, min(rows, cols))
    wanted = max(-(-PREVIEW_MIN_SIDE // long_side), -(-PREVIEW_MIN_SHORT_SIDE // short_side))
    room = max(1, PREVIEW_MAX_SIDE // long_side)
    return int(max(1, min(PREVIEW_MAX_SCALE, wanted, room)))


def _font(size: int):
    """DejaVu Sans from matplotlib (same extra as Pillow; has φ, ψ, π, ×) or Pillow's own font."""
    from PIL import ImageFont

    try:
        import matplotlib

        return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"), size)
    except (ImportError, OSError):
        return ImageFont.load_default(size=size)


def png_preview(matrix: np.ndarray, title: str = "") -> bytes:
    """Black = 1 as in PBM, scaled up by an integer factor with nearest-neighbour (no blur), under
    a title band naming the stage and its size, inside a thin grey frame. The matrix's top-left
    pixel is at (PREVIEW_MARGIN, PREVIEW_BAND) of the PNG."""
    require("PIL.Image", "plot", "PNG previews")
    from PIL import Image, ImageDraw

    rows, cols = matrix.shape
    scale = preview_scale(rows, cols)
    pixels = np.where(matrix, 0, 255).astype(np.uint8)
    if scale > 1:
        pixels = np.repeat(np.repeat(pixels, scale, axis=0), scale, axis=1)
    lines = [title, f"{rows} × {cols}, each bit {scale}×{scale} px; black = 1"]
    font = _font(13)
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    text_width = max(int(probe.textlength(line, font=font)) for line in lines if line)
    width = max(cols * scale, text_width) + 2 * PREVIEW_MARGIN
    canvas = Image.new("L", (width, PREVIEW_BAND + rows * scale + PREVIEW_MARGIN), 255)
    canvas.paste(Image.fromarray(pixels), (PREVIEW_MARGIN, PREVIEW_BAND))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((PREVIEW_MARGIN - 1, PREVIEW_BAND - 1, PREVIEW_MARGIN + cols * scale, PREVIEW_BAND + rows * scale),
                   outline=150)
    y = 4
    for line in lines:
        if line:
            draw.text((PREVIEW_MARGIN, y), line, fill=0, font=font)
        y += 17
    buffer = _io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def dump_pipeline(S: np.ndarray, T: np.ndarray, k: int, out_dir: Path, *, seed: int = 0,
                  row_perm: bool = False, png: bool = True) -> list[Stage]:
    """Write every stage to out_dir (created if needed); all files appear together or none."""
    if png:
        require("PIL.Image", "plot", "PNG previews")
    S = np.asarray(S).astype(bool)
    T = np.asarray(T).astype(bool)
    stages = reference.pipeline(S, T, k, seed, row_perm)
    kernel = route(S, T, k, seed=seed, row_perm=row_perm).routes
    if not np.array_equal(stages.routes, kernel):  # a bug, never bad input: the two must agree
        raise RuntimeError("the reference pipeline and the kernel disagree; please report this")
    listed = stage_list(stages, S, T)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with output_batch() as batch:
        for stage in listed:
            write_pbm(out_dir / f"{stage.name}.pbm", stage.matrix, batch=batch)
            if png:
                with batch.file(out_dir / f"{stage.name}.png") as handle:
                    handle.write(png_preview(stage.matrix, f"{stage.name}: {stage.title}"))
        with batch.file(out_dir / "stages.json") as handle:
            handle.write(json.dumps(_vectors(stages, k, seed, row_perm), indent=1).encode() + b"\n")
        with batch.file(out_dir / "index.md") as handle:
            handle.write(_index(listed, S.shape, k, seed, row_perm, png).encode())
    return listed


def _vectors(stages: reference.Stages, k: int, seed: int, row_perm: bool) -> dict:
    as_list = lambda a: np.asarray(a).tolist()  # noqa: E731
    return {"k": k, "seed": seed, "row_perm": row_perm,
            "phase_S": as_list(stages.phase_S), "phase_T": as_list(stages.phase_T),
            "columns_S": as_list(stages.columns_S), "columns_T": as_list(stages.columns_T),
            "lay_order_S": as_list(stages.lay_order_S), "lay_order_T": as_list(stages.lay_order_T),
            "routes": as_list(stages.routes)}


def _index(listed: list[Stage], shape: tuple[int, int], k: int, seed: int, row_perm: bool, png: bool) -> str:
    M, E = shape
    lines = [
        "# phase-router pipeline stages", "",
        f"M = {M} sources, E = {E} targets, k = {k}, seed = {seed}, row_perm = {str(row_perm).lower()}.",
        "Stages of docs/SPEC.md in pipeline order, as P4 PBM (1 = black = set)"
        + (", each with a PNG preview scaled up by nearest neighbour." if png else "."),
        "The final routes equal `phase-router route`'s for the same inputs and options (checked when written).",
        "`stages.json` holds the phase offsets φ/ψ, the column permutations π_S/π_T, the laying orders and the routes.",
        "",
        "| # | file | stage | rows × columns | ones |",
        "|---:|---|---|---|---:|",
    ]
    for i, stage in enumerate(listed):
        rows, cols = stage.matrix.shape
        lines.append(f"| {i} | [{stage.name}.pbm]({stage.name}.pbm) | {stage.title} | {rows} × {cols} | "
                     f"{int(np.count_nonzero(stage.matrix)):,} |")
    if png:
        lines.append("")
        for stage in listed:
            lines += [f"## {stage.name}", "", stage.title, "", f"![{stage.name}]({stage.name}.png)", ""]
    return "\n".join(lines) + "\n"
