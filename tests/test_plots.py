"""Plots are real PNGs with content; without matplotlib the message says what to install."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image
from typer.testing import CliRunner

from phase_router.cli import app
from phase_router._internal.optional import MissingExtraError, require
from phase_router.sweep.loader import parse_config
from phase_router.sweep.runner import run_sweep

CONFIG = {
    "name": "pics",
    "shapes": [{"N": 32}, {"N": 64}, {"N": 128}],
    "k": [2, 8, 32],
    "inputs": [{"generator": "uniform", "density": 0.3}, {"generator": "uniform_1_to_k"}],
    "seeds": {"count": 2},
    "routers": ["phase", "hash"],
}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("plots")
    run_sweep(parse_config(CONFIG, base / "pics.yaml"), base, base / "out")
    return base / "out"


def _check_png(path: Path) -> None:
    assert path.read_bytes()[:8] == PNG_MAGIC
    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        pixels = np.asarray(image.convert("RGB"))
    assert pixels.shape[0] >= 300 and pixels.shape[1] >= 400
    non_white = np.any(pixels < 250, axis=2).mean()
    assert 0.02 < non_white < 0.6  # axes, lines and text, not a blank or solid image
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 20  # coloured series, antialiased text


def test_cli_plot_writes_every_plot(results: Path) -> None:
    result = CliRunner().invoke(app, ["plot", str(results)])
    assert result.exit_code == 0, result.output
    names = {p.name for p in results.glob("*.png")}
    assert {"time_vs_N.png", "skew_vs_N.png", "fill_vs_k.png"} <= names
    histograms = [n for n in names if n.startswith("loads_")]
    assert len(histograms) == 2  # the most skewed cell of each router
    for name in names:
        _check_png(results / name)


def test_histogram_of_a_chosen_cell(results: Path) -> None:
    import csv

    cell_id = next(csv.DictReader(open(results / "results.csv")))["cell_id"]
    result = CliRunner().invoke(app, ["plot", str(results), "--cell", cell_id])
    assert result.exit_code == 0, result.output
    _check_png(results / f"loads_{cell_id}.png")
    bad = CliRunner().invoke(app, ["plot", str(results), "--cell", "nonexistent"])
    assert bad.exit_code == 2 and "no cell 'nonexistent'" in bad.stderr


def test_sweep_plots_flag(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump({**CONFIG, "shapes": [{"N": 32}, {"N": 64}], "routers": ["phase"]}))
    result = CliRunner().invoke(app, ["sweep", str(path), "--out", str(tmp_path / "o"), "--plots"])
    assert result.exit_code == 0, result.output
    _check_png(tmp_path / "o" / "skew_vs_N.png")


def test_plot_of_a_directory_without_results(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["plot", str(tmp_path)])
    assert result.exit_code == 2
    assert "results.json: no such file" in result.stderr


def test_missing_extra_says_what_to_install() -> None:
    with pytest.raises(MissingExtraError, match=r"pip install 'phase-router\[plot\]'"):
        require("phase_router_no_such_module", "plot", "drawing plots")


def test_plot_without_matplotlib_is_one_clear_line(results: Path, monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    monkeypatch.setattr("importlib.import_module", lambda name, *a: no_matplotlib(name))
    result = CliRunner().invoke(app, ["plot", str(results)])
    assert result.exit_code == 2
    assert "pip install 'phase-router[plot]'" in result.stderr
    assert result.stderr.strip().count("\n") == 0
