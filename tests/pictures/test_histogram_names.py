"""Load histograms: `plot -h` and the picture say the same thing about the cell drawn by
default (per router, the median-skew cell of the largest shape), and each histogram's file name
says which cell it draws (router, input, shape, k, seed, options), distinct for distinct cells."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from phase_router.cli import app
from phase_router.pictures.load_histogram import MAX_INPUT_CHARS, histogram_names
from phase_router.sweep.grid import Cell
from phase_router.sweep.loader import parse_config
from phase_router.sweep.runner import run_sweep

BASE = Cell(router="phase", M=64, E=32, k=4, seed=3, row_perm=False, strategy="auto",
            input={"generator": "uniform", "density": 0.5})


def record(cell: Cell) -> dict:
    return {"cell_id": cell.cell_id, "cell": cell.to_dict()}


def test_a_name_says_which_cell_it_draws() -> None:
    (name,) = histogram_names([record(BASE)])
    assert name == "loads_phase_uniform-density-0.5_64x32_k4_seed3.png"


def test_names_of_cells_differing_in_any_identity_field_differ() -> None:
    cells = [BASE, dataclasses.replace(BASE, row_perm=True), dataclasses.replace(BASE, strategy="sparse"),
             dataclasses.replace(BASE, seed=4), dataclasses.replace(BASE, k=8), dataclasses.replace(BASE, M=128),
             dataclasses.replace(BASE, router="hash", row_perm=None, strategy=None),
             dataclasses.replace(BASE, input={"generator": "uniform", "density": 0.25})]
    names = histogram_names([record(c) for c in cells])
    assert len(set(names)) == len(cells)
    assert all(re.fullmatch(r"loads_[A-Za-z0-9._-]+\.png", n) for n in names)
    assert "row-perm" in names[1] and "sparse" in names[2]


def test_cells_whose_words_coincide_or_are_cut_carry_their_id() -> None:
    a = dataclasses.replace(BASE, input={"generator": "file", "S": "a/S.pbm", "T": "a/T.pbm"})
    b = dataclasses.replace(BASE, input={"generator": "file", "S": "b/S.pbm", "T": "b/T.pbm"})
    long = dataclasses.replace(BASE, input={"generator": "file", "S": "x" * 200 + ".pbm", "T": "T.pbm"})
    names = histogram_names([record(a), record(b), record(long)])
    assert len(set(names)) == 3
    assert names[0].endswith(f"_{a.cell_id}.png") and names[1].endswith(f"_{b.cell_id}.png")
    assert names[2].endswith(f"_{long.cell_id}.png") and len(names[2]) < MAX_INPUT_CHARS + 80


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("histograms")
    config = {"name": "h", "shapes": [{"N": 32}, {"N": 64}], "k": [4], "inputs": [{"generator": "uniform"}],
              "seeds": 3, "routers": ["phase", "hash"]}
    run_sweep(parse_config(config, base / "h.yaml"), base, base / "out")
    return base / "out"


def _words(text: str) -> str:
    return " ".join(text.split())


def test_help_and_picture_agree_on_the_default_cell(results: Path) -> None:
    from matplotlib.figure import Figure

    from phase_router.pictures.load_histogram import chosen_records, draw_histogram
    from phase_router.sweep.results import load_results

    help_text = _words(CliRunner().invoke(app, ["plot", "-h"], env={"COLUMNS": "200"}).stdout)
    records = load_results(results)["records"]
    titles = [_words(draw_histogram(Figure, r).axes[0].get_title()) for r in chosen_records(records, None)]
    assert titles
    for words in ("median skew", "largest shape"):
        assert words in help_text and all(words in title for title in titles), (words, help_text, titles)
    assert "most skewed" not in help_text and not any("most skewed" in t for t in titles)


def test_plot_writes_the_named_histograms(results: Path) -> None:
    result = CliRunner().invoke(app, ["plot", str(results)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in results.glob("loads_*.png"))
    assert len(names) == 2, names
    for router, name in zip(("hash", "phase"), names):  # the largest shape, one of the three seeds
        assert re.fullmatch(rf"loads_{router}_uniform-density-0.5_64x64_k4_seed[0-2]\.png", name), name
        assert name in result.stdout
