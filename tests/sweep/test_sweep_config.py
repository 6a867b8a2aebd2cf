"""Sweep configs: each kind of mistake gives one ConfigError naming the key path; the shipped
configs load; the sweep's input generators are deterministic and match the sample files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from phase_router._internal import random as rnd
from phase_router.cli import app
from phase_router.io import read_row_degrees
from phase_router.inputs import GENERATORS, degrees
from phase_router.inputs.draws import bernoulli_degrees as uniform_bernoulli_degrees, bounded_draws


def generate(kind, M, E, k, seed, params):
    return degrees(kind, M, E, k=k, seed=seed, **params)
from phase_router.sweep.loader import ConfigError, load_config, parse_config
from phase_router.sweep.runner import plan

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"shapes": [{"N": 16}], "k": [2], "inputs": [{"generator": "uniform", "density": 0.5}]}


def _with(**changes) -> dict:
    config = dict(GOOD)
    config.update(changes)
    return config


BAD = [
    # (config, key path in the message, words that must appear)
    (_with(bogus=1), "(top level)", "unknown key 'bogus'"),
    (_with(inputs=[{"generator": "uniform", "dens": 0.5}]), "inputs[0]", "unknown key 'dens'"),
    (_with(options={"rowperm": True}), "options", "unknown key 'rowperm'"),
    (_with(k="8"), "k[0]", "must be an integer"),
    (_with(k=[4, True]), "k[1]", "must be an integer"),
    (_with(k=[4, 2.5]), "k[1]", "must be an integer"),
    (_with(k=[0]), "k[0]", "must be at least 1"),
    (_with(k=[-3]), "k[0]", "must be at least 1"),
    (_with(inputs=[{"generator": "uniform", "density": [0.2, 1.5]}]), "inputs[0].density[1]", "must be at most 1"),
    (_with(inputs=[{"generator": "uniform", "density": -0.1}]), "inputs[0].density[0]", "must be at least 0"),
    (_with(inputs=[{"generator": "uniform", "density": "half"}]), "inputs[0].density[0]", "must be a number"),
    (_with(inputs=[{"generator": "moe", "capacity_factor": 0}]), "inputs[0].capacity_factor[0]", "must be greater than 0"),
    (_with(inputs=[{"generator": "bands", "width": True}]), "inputs[0].width[0]", "must be an integer"),
    (_with(inputs=[{"generator": "nope"}]), "inputs[0]", "unknown generator 'nope'"),
    (_with(inputs=[{"S": "a.pbm"}]), "inputs[0]", "missing key 'generator'"),
    (_with(inputs=[{"generator": "file", "S": "missing_S.pbm", "T": "missing_T.pbm"}]), "inputs[0].S", "no such file"),
    (_with(inputs=[]), "inputs", "must have at least 1 item"),
    (_with(shapes=[{"N": 4, "M": 4}]), "shapes[0]", "either N"),
    (_with(shapes=[{"M": 4}]), "shapes[0]", "both M and E"),
    (_with(shapes=[{"N": 0}]), "shapes[0].N", "must be at least 1"),
    (_with(shapes=[]), "(top level)", "at least one entry in shapes"),
    # seeds: a count N (seeds 0..N-1), a list, or a range {start, count} / {start, stop}
    (_with(seeds=-1), "seeds", "must be at least 1"),
    (_with(seeds=0), "seeds", "must be at least 1"),
    (_with(seeds=2**64), "seeds", "must be at most 1000000"),
    (_with(seeds=True), "seeds", "a count N (seeds 0..N-1)"),
    (_with(seeds="3"), "seeds", "a count N (seeds 0..N-1)"),
    (_with(seeds=[1, -1]), "seeds[1]", "must be at least 0"),
    (_with(seeds=[2**64]), "seeds[0]", "must be at most"),
    (_with(seeds={"count": 0}), "seeds.count", "must be at least 1"),
    (_with(seeds={"start": 4}), "seeds", "exactly one of count or stop"),
    (_with(seeds={"start": 4, "count": 2, "stop": 6}), "seeds", "exactly one of count or stop"),
    (_with(seeds={"start": 6, "stop": 6}), "seeds", "must hold 1 to"),
    (_with(seeds={"start": 2**64 - 1, "count": 2}), "seeds", "below 2^64"),
    # expect: bounds on recorded metrics
    (_with(expect=[{"metric": "skw", "max": 2}]), "expect[0].metric", "'skw' is not recorded"),
    (_with(expect=[{"metric": "skew", "max": 2}], metrics=["fill"]), "expect[0].metric", "add 'skew' to metrics"),
    (_with(expect=[{"metric": "route_ms_median", "max": 2}], metrics=["skew"]), "expect[0].metric", "add 'time' to metrics"),
    (_with(expect=[{"metric": "skew"}]), "expect[0]", "needs min:, max: or both"),
    (_with(expect=[{"metric": "skew", "min": 2, "max": 1}]), "expect[0]", "min (2) is above max (1)"),
    (_with(expect=[{"metric": "skew", "max": "1.2"}]), "expect[0].max", "must be a number"),
    (_with(expect=[{"metric": "skew", "max": True}]), "expect[0].max", "must be a number"),
    (_with(expect=[{"metric": "skew", "max": 1, "over": "worst"}]), "expect[0].over", "'worst' is not one of cell, median, max, min, mean"),
    (_with(expect=[{"metric": "skew", "max": 1, "where": {"kk": 1}}]), "expect[0].where", "unknown key 'kk'"),
    (_with(expect=[{"metric": "skew", "max": 1, "where": {"k": "a"}}]), "expect[0].where.k[0]", "must be an integer"),
    (_with(expect=[{"metric": "skew", "max": 1, "where": {"router": "hash"}}]), "expect[0].where.router", "not in routers"),
    (_with(expect=[{"metric": "skew", "max": 1, "bogus": 1}]), "expect[0]", "unknown key 'bogus'"),
    (_with(options={"row_perm": "yes"}), "options.row_perm[0]", "must be true or false"),
    (_with(options={"strategy": "fast"}), "options.strategy[0]", "'fast' is not one of auto, dense, sparse"),
    (_with(repetitions=0), "repetitions", "must be at least 1"),
    (_with(routers=["phase", "magic"]), "routers", "unknown router 'magic'"),
    (_with(metrics=["speed"]), "metrics[0]", "'speed' is not one of time, fill, loads, skew"),
    (_with(description=3), "description", "must be a string"),
    ({"shapes": [{"N": 16}], "inputs": GOOD["inputs"]}, "(top level)", "missing required key 'k'"),
    (_with(shapes=[{"N": 65536}]), "inputs[0]", "above the limit"),
]


@pytest.mark.parametrize("config, where, words", BAD, ids=[f"{b[1]}:{b[2][:20]}" for b in BAD])
def test_bad_config_one_clear_error(config: dict, where: str, words: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(config, tmp_path / "bad.yaml")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 'bad.yaml'}: {where}: "), message
    assert words in message, message


def test_good_config_and_defaults(tmp_path: Path) -> None:
    config = parse_config(GOOD, tmp_path / "mine.yaml")
    assert config.name == "mine"
    assert config.routers == ["phase"] and config.repetitions == 1 and config.seed_list == [0]
    cells = plan(config, tmp_path)
    assert [(c.M, c.E, c.k, c.seed) for c in cells] == [(16, 16, 2, 0)]


@pytest.mark.parametrize("seeds, expected", [
    (3, [0, 1, 2]),  # a bare integer is a count, as `--seeds 3` on the command line
    (1, [0]),
    ([3], [3]),  # a single seed value is written as a list
    ([7, 2, 7], [7, 2, 7]),
    ({"start": 10, "count": 3}, [10, 11, 12]),
    ({"start": 10, "stop": 13}, [10, 11, 12]),
    ({"count": 2}, [0, 1]),
])
def test_seeds_forms(seeds, expected, tmp_path: Path) -> None:
    config = parse_config(_with(seeds=seeds), tmp_path / "s.yaml")
    assert config.seed_list == expected
    assert sorted({c.seed for c in plan(config, tmp_path)}) == sorted(set(expected))


def test_expectations_are_typed(tmp_path: Path) -> None:
    config = parse_config(_with(expect=[{"metric": "skew", "max": 1.5, "where": {"k": 2, "row_perm": [False, True]},
                                         "over": "median"}]), tmp_path / "e.yaml")
    (item,) = config.expect
    assert item.where.k == [2] and item.where.row_perm == [False, True] and item.over == "median"
    assert item.describe() == "skew <= 1.5 (median over seeds; k=2, row_perm=false|true)"


def test_file_shapes_must_match(tmp_path: Path) -> None:
    config = _with(inputs=[{"generator": "file", "S": str(ROOT / "samples/S.pbm"), "T": str(ROOT / "samples/rect_T.npy")}])
    with pytest.raises(ConfigError, match=r"inputs\[0\]: T is 40 x 300, but S is 256 x 256"):
        parse_config(config, tmp_path / "x.yaml")


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("k: [1, 2\nshapes: {N: 4}\n")
    with pytest.raises(ConfigError, match=r"broken.yaml: not valid YAML at line \d+, column \d+"):
        load_config(path)
    path.write_text("- 1\n- 2\n")
    with pytest.raises(ConfigError, match="top level must be a mapping"):
        load_config(path)


def test_cli_rejects_bad_config_before_any_work(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("shapes: [{N: 16}]\nk: [0]\ninputs: [{generator: uniform, density: 0.5}]\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["sweep", str(path), "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "k[0]" in result.stderr and "must be at least 1" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("name", ["smoke", "scaling", "vs_hash", "moe", "ci"])
def test_shipped_configs_load(name: str) -> None:
    path = ROOT / "configs" / f"{name}.yaml"
    cells = plan(load_config(path), path.parent)
    assert cells
    assert len({c.cell_id for c in cells}) == len(cells)


def test_ci_golden_covers_the_ci_grid() -> None:
    """`make ci-sweep` checks configs/ci.yaml against configs/ci.golden.json: same cells, both ways."""
    from phase_router.sweep.golden import read_golden

    path = ROOT / "configs" / "ci.yaml"
    config = load_config(path)
    assert config.expect and "time" not in config.metrics  # bounds on deterministic metrics only
    cells = plan(config, path.parent)
    assert {c.cell_id for c in cells} == set(read_golden(ROOT / "configs" / "ci.golden.json"))


def test_scaling_grid_is_the_original_one() -> None:
    path = ROOT / "configs" / "scaling.yaml"
    cells = [c for c in plan(load_config(path), path.parent) if c.router == "phase"]
    Ns = [256, 512, 1024, 2048, 4096, 16384, 65536]
    expected = {(N, k, seed) for N in Ns for k in (8, 16, 64, 256, 512) if k <= N for seed in (0, 1, 2)}
    assert {(c.M, c.k, c.seed) for c in cells} == expected
    assert all(c.M == c.E and c.input == {"generator": "uniform-1-k"} for c in cells)


# --------------------------------------------------------------------------- generators


def test_uniform_matches_the_sample_files() -> None:
    """samples/make_samples.py draws S with key 1 and T with key 2 by the same rule."""
    s, _ = read_row_degrees(ROOT / "samples/S.pbm")
    t, _ = read_row_degrees(ROOT / "samples/T.pbm")
    np.testing.assert_array_equal(uniform_bernoulli_degrees(1, 256, 256, 0.5), s)
    np.testing.assert_array_equal(uniform_bernoulli_degrees(2, 256, 256, 0.5), t)
    s, _ = read_row_degrees(ROOT / "samples/rect_S.npy")
    np.testing.assert_array_equal(uniform_bernoulli_degrees(3, 300, 40, 0.3), s)


def test_bands_match_the_sample_files() -> None:
    s_file, _ = read_row_degrees(ROOT / "samples/bands_S.pbm")
    t_file, _ = read_row_degrees(ROOT / "samples/bands_T.pbm")
    s, t = generate("bands", 128, 128, 4, 0, {"width": 32})
    np.testing.assert_array_equal(s, s_file)
    np.testing.assert_array_equal(t, t_file)


@pytest.mark.parametrize("bound", [1, 7, 1000, 2**31 + 1, 2**32 - 5])
def test_bounded_draws_replay_the_draw_stream(bound: int) -> None:
    """Large bounds reject often, so the exact-replay path for rejected entries is exercised."""
    key = 12345
    got = bounded_draws(key, 400, bound)
    want = [rnd.DrawStream(rnd.splitmix(key, i)).bounded(bound) for i in range(400)]
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("kind", sorted(GENERATORS))
def test_generators_are_valid_and_deterministic(kind: str) -> None:
    params = {"uniform": {"density": 0.3}, "bands": {"width": 5}, "bimodal": {"high_fraction": 0.5},
              "moe": {"capacity_factor": 1.25}}.get(kind, {})
    M, E, k = 300, 40, 7
    s, t = generate(kind, M, E, k, 9, params)
    again = generate(kind, M, E, k, 9, params)
    np.testing.assert_array_equal(s, again[0])
    np.testing.assert_array_equal(t, again[1])
    assert s.shape == (M,) and t.shape == (E,)
    assert s.max() <= E and t.max() <= M
    if kind == "uniform-1-k":
        assert s.min() >= 1 and s.max() <= k and t.min() >= 1 and t.max() <= k
        assert len(set(s.tolist())) == k  # 300 draws cover 1..7
