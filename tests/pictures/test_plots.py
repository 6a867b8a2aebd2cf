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
    assert len(histograms) == 2  # the representative (median-skew, largest-shape) cell of each router
    for name in names:
        _check_png(results / name)


def test_histogram_of_a_chosen_cell(results: Path) -> None:
    import csv

    from phase_router.pictures.load_histogram import histogram_names

    cell_id = next(csv.DictReader(open(results / "results.csv")))["cell_id"]
    result = CliRunner().invoke(app, ["plot", str(results), "--cell", cell_id])
    assert result.exit_code == 0, result.output
    (record,) = [r for r in _records(results) if r["cell_id"] == cell_id]
    _check_png(results / histogram_names([record])[0])
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


# --------------------------------------------------------------------------- truthful pictures


def _figures(records: list[dict], stem: str = "skew_vs_N"):
    from phase_router.pictures import plots

    Figure = plots._figure_class()
    draw = plots._against_n(lambda r: r["skew"], "skew", log_y=None)
    return plots._figure_set(Figure, stem, records, draw, "t")


def _records(results: Path) -> list[dict]:
    import json

    return json.loads((results / "results.json").read_text())["records"]


def test_every_panel_is_drawn_in_as_many_figures_as_needed(results: Path) -> None:
    from phase_router.pictures.plots import PANELS_PER_FIGURE, panel_keys

    base = _records(results)
    # 14 distinct inputs (relabelled copies) -> 14 panels -> two figures, none dropped
    many = [{**r, "input": f"{r['input']} #{i}"} for i in range(14) for r in base if r["input"] == base[0]["input"]]
    assert len(panel_keys(many)) == 14 > PANELS_PER_FIGURE
    figures = _figures(many)
    assert list(figures) == ["skew_vs_N.png", "skew_vs_N_2.png"]
    titles = [ax.get_title() for f in figures.values() for ax in f.axes if ax.get_visible() and ax.lines]
    assert sorted(titles) == sorted(f"{base[0]['input']} #{i}" for i in range(14))


def test_series_keep_shapes_apart_and_look_distinct(tmp_path: Path) -> None:
    config = {**CONFIG, "shapes": [{"N": 32}, {"N": 64}, {"M": 128, "E": 16}, {"M": 256, "E": 16}],
              "inputs": [{"generator": "uniform", "density": 0.5}], "options": {"row_perm": [False, True]}}
    run_sweep(parse_config(config, tmp_path / "c.yaml"), tmp_path, tmp_path / "out")
    records = _records(tmp_path / "out")
    (figure,) = _figures(records).values()
    panels = [ax for ax in figure.axes if ax.get_visible() and ax.lines]
    assert len(panels) == 2 and {"row_perm=false" in ax.get_title() for ax in panels} == {True, False}
    styles = {}
    for ax in panels:
        for line in ax.lines:
            label = line.get_label()
            if label.startswith("_"):
                continue
            xs = set(line.get_xdata().tolist())
            # a series is one shape family: square N x N, or M x 16; never both on one line
            assert xs <= ({32, 64} if "square" in label else {128, 256}), (label, xs)
            styles.setdefault(label, (line.get_color(), line.get_marker()))
            assert styles[label] == (line.get_color(), line.get_marker())  # same look in every panel
    assert len(set(styles.values())) == len(styles) == 2 * 3 * 2  # router x family x k, all distinct
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert any("band: min–max over 2 seeds" in t for t in legend)
    assert any("hash (ignores row_perm)" in t for t in legend)


def test_log_tick_labels_are_plain_numbers() -> None:
    from phase_router.pictures.plot_style import plain_number

    assert [plain_number(v) for v in (2.0, 0.5, 65536.0, 0.05, 1000.0)] == ["2", "0.5", "65536", "0.05", "1000"]


def test_histogram_default_is_representative_and_degenerate_cells_are_refused(results: Path) -> None:
    from phase_router.pictures.load_histogram import chosen_records, degenerate

    records = _records(results)
    chosen = chosen_records(records, None)
    assert [r["router"] for r in chosen] == ["phase", "hash"]
    for pick in chosen:
        assert degenerate(pick) is None
        mine = [r for r in records if r["router"] == pick["router"] and degenerate(r) is None]
        largest = max(r["M"] * r["E"] for r in mine)
        assert pick["M"] * pick["E"] == largest
        skews = sorted(r["skew"] for r in mine if r["M"] * r["E"] == largest)
        assert pick["skew"] == skews[(len(skews) - 1) // 2]
    empty = next((r for r in records if degenerate(r) is not None), None)
    if empty is None:  # make one: a cell with fewer routes than targets
        empty = {**records[0], "cell_id": "deadbeef", "active_routes": records[0]["E"] - 1}
        records = records + [empty]
    import pytest as _pytest
    from phase_router.errors import InvalidInputError

    with _pytest.raises(InvalidInputError, match="degenerate"):
        chosen_records(records, [empty["cell_id"]])
