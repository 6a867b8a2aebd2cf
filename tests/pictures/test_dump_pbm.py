"""dump-pbm: every stage round-trips through the PBM reader, equals the reference pipeline, and
the final O is exactly the routing `route` computes."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

import phase_router
from phase_router.reference import spec as reference
from phase_router.cli import app
from phase_router.pictures.stage_dump import (DEFAULT_LIMIT_BYTES, PREVIEW_BAND, PREVIEW_MARGIN, check_size, planned_bytes,
                                              preview_scale)
from phase_router.errors import InvalidInputError
from phase_router.io import read_pbm, write_pbm
from phase_router.io.output_formats import routing_matrix

ROOT = Path(__file__).resolve().parents[2]
ORDER = ["00_S_input", "01_T_input", "02_S_aligned", "03_T_aligned", "04_S_rotated", "05_T_rotated",
         "06_S_shuffled", "07_T_shuffled", "08_T_transposed", "09_O_candidates", "10_O_selected"]


def _inputs(tmp_path: Path, M: int, E: int, seed: int) -> tuple[Path, Path, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)  # test data only; the routing's randomness is SplitMix64
    S, T = rng.random((M, E)) < 0.4, rng.random((E, M)) < 0.4
    write_pbm(tmp_path / "S.pbm", S)
    write_pbm(tmp_path / "T.pbm", T)
    return tmp_path / "S.pbm", tmp_path / "T.pbm", S, T


@pytest.mark.parametrize("M, E, k, seed, row_perm", [(37, 21, 3, 5, False), (24, 40, 6, 0, True), (64, 64, 64, 9, True)])
def test_stages_round_trip_and_match(tmp_path: Path, M: int, E: int, k: int, seed: int, row_perm: bool) -> None:
    S_path, T_path, S, T = _inputs(tmp_path, M, E, seed)
    out = tmp_path / "dump"
    args = ["dump-pbm", S_path, T_path, "-k", k, "--out", out, "--seed", seed] + (["--row-perm"] if row_perm else [])
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output

    stages = reference.pipeline(S, T, k, seed, row_perm)
    expected = {
        "00_S_input": S, "01_T_input": T, "02_S_aligned": stages.S_aligned, "03_T_aligned": stages.T_aligned,
        "04_S_rotated": stages.S_rotated, "05_T_rotated": stages.T_rotated, "06_S_shuffled": stages.S_shuffled,
        "07_T_shuffled": stages.T_shuffled, "08_T_transposed": stages.T_transposed,
        "09_O_candidates": stages.candidates,
    }
    for name, matrix in expected.items():
        np.testing.assert_array_equal(read_pbm(out / f"{name}.pbm"), matrix, err_msg=name)
        assert (out / f"{name}.pbm").read_bytes()[:2] == b"P4"

    # the final O is the kernel's routing, bit for bit
    routes = phase_router.route(S, T, k, seed=seed, row_perm=row_perm).routes
    selected = read_pbm(out / "10_O_selected.pbm")
    np.testing.assert_array_equal(selected, routing_matrix(routes, E).unpack())
    assert selected.sum() == (routes >= 0).sum()
    assert not np.any(selected & ~stages.candidates)  # selection keeps only candidates
    assert np.all(selected.sum(axis=1) <= k)

    # index.md lists the stages in pipeline order, and each has a scaled PNG preview
    index = (out / "index.md").read_text()
    assert re.findall(r"\[(\d\d_\w+)\.pbm\]", index) == ORDER
    for name in ORDER:
        matrix = read_pbm(out / f"{name}.pbm")
        scale = preview_scale(*matrix.shape)
        rows, cols = matrix.shape[0] * scale, matrix.shape[1] * scale
        with Image.open(out / f"{name}.png") as image:
            assert image.size[0] >= cols + 2 * PREVIEW_MARGIN and image.size[1] == PREVIEW_BAND + rows + PREVIEW_MARGIN
            pixels = np.asarray(image.convert("L"))
        body = pixels[PREVIEW_BAND:PREVIEW_BAND + rows, PREVIEW_MARGIN:PREVIEW_MARGIN + cols]
        np.testing.assert_array_equal(body[::scale, ::scale] == 0, matrix)  # black = 1, nearest neighbour
        assert np.all(body.reshape(matrix.shape[0], scale, matrix.shape[1], scale).min(axis=(1, 3))
                      == body[::scale, ::scale])  # each bit a uniform scale x scale square
        assert (pixels[:PREVIEW_BAND - 2] < 128).any()  # the title band carries text


def test_sample_bands_and_no_png(tmp_path: Path) -> None:
    out = tmp_path / "dump"
    result = CliRunner().invoke(app, ["dump-pbm", str(ROOT / "samples/bands_S.pbm"), str(ROOT / "samples/bands_T.pbm"),
                                      "-k", "4", "--out", str(out), "--no-png"])
    assert result.exit_code == 0, result.output
    assert not list(out.glob("*.png"))
    assert sorted(p.stem for p in out.glob("*.pbm")) == ORDER


def test_refuses_large_dump_unless_forced(tmp_path: Path) -> None:
    M, E = 8192, 4096  # 11 stages of 4 MiB: above the 32 MiB default
    header = f"P4\n{E} {M}\n".encode()
    (tmp_path / "S.pbm").write_bytes(header + bytes(M * E // 8))
    (tmp_path / "T.pbm").write_bytes(f"P4\n{M} {E}\n".encode() + bytes(M * E // 8))
    out = tmp_path / "dump"
    result = CliRunner().invoke(app, ["dump-pbm", str(tmp_path / "S.pbm"), str(tmp_path / "T.pbm"), "-k", "2", "--out", str(out)])
    assert result.exit_code == 2
    assert f"would write {planned_bytes(M, E):,} bytes" in result.stderr and "--force" in result.stderr
    assert not out.exists()
    assert planned_bytes(M, E) > DEFAULT_LIMIT_BYTES
    check_size(64, 64, force=False)
    check_size(M, E, force=True)  # forced: allowed (memory permitting)
    with pytest.raises(InvalidInputError, match="would write"):
        check_size(64, 64, force=False, limit=1000)


def test_shape_mismatch_is_one_line(tmp_path: Path) -> None:
    S_path, _, _, _ = _inputs(tmp_path, 10, 6, 1)
    result = CliRunner().invoke(app, ["dump-pbm", str(S_path), str(S_path), "-k", "2", "--out", str(tmp_path / "d")])
    assert result.exit_code == 2
    assert "so T must be 6 x 10" in result.stderr and result.stderr.strip().count("\n") == 0


@pytest.mark.parametrize("rows, cols", [(300, 40), (40, 300), (1, 1), (2, 4000), (64, 64)])
def test_preview_sides_are_readable(rows: int, cols: int) -> None:
    """Each side of a preview reaches a minimum size (a 300 x 40 input is no 40-pixel sliver), the
    longer side stays bounded, and the scale is one integer for both axes (square bits)."""
    scale = preview_scale(rows, cols)
    if max(rows, cols) * 32 <= 4096:
        assert min(rows, cols) * scale >= min(160, min(rows, cols) * 32)
        assert max(rows, cols) * scale >= min(256, max(rows, cols) * 32)
    assert max(rows, cols) * scale <= max(4096, max(rows, cols))
