"""One vocabulary: one registry of input generators behind `gen`, sweep YAML,
`compare-hash --scenario` and the API, with one spelling, the same defaults and the same degrees
everywhere, and one MoE model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from phase_router import io
from phase_router.analysis.capacity import moe_capacity
from phase_router.cli import app
from phase_router.errors import InvalidInputError
from phase_router.inputs import GENERATORS, canonical, degrees, expert_capacity, realise
from phase_router.inputs.generators import spellings
from phase_router.sweep import expand, parse_config
from phase_router.sweep.cell import cell_degrees

M, E, K, SEED = 60, 24, 5, 3


@pytest.mark.parametrize("kind", list(GENERATORS))
def test_gen_writes_what_sweeps_and_the_api_route(kind: str, tmp_path: Path) -> None:
    """The matrices `gen` writes have exactly the degrees a sweep cell routes (same defaults)."""
    S_path, T_path = tmp_path / "S.pbm", tmp_path / "T.pbm"
    result = CliRunner().invoke(app, ["gen", kind, "--shape", f"{M}x{E}", "-k", str(K), "--seed", str(SEED),
                                      "--out", str(S_path), str(T_path)])
    assert result.exit_code == 0, result.output
    s_file, _ = io.read_row_degrees(S_path)
    t_file, _ = io.read_row_degrees(T_path)
    s, t = degrees(kind, M, E, k=K, seed=SEED)
    np.testing.assert_array_equal(s_file, s)
    np.testing.assert_array_equal(t_file, t)
    config = parse_config({"shapes": [{"M": M, "E": E}], "k": [K], "seeds": [SEED], "inputs": [{"generator": kind}]},
                          tmp_path / "c.yaml")
    (cell,) = expand(config, tmp_path)
    cell_s, cell_t = cell_degrees(cell)
    np.testing.assert_array_equal(cell_s, s)
    np.testing.assert_array_equal(cell_t, t)


@pytest.mark.parametrize("spelling", sorted(spellings()))
def test_every_spelling_is_accepted_everywhere(spelling: str, tmp_path: Path) -> None:
    name = canonical(spelling)
    config = parse_config({"shapes": [{"N": 16}], "k": [2], "inputs": [{"generator": spelling}]}, tmp_path / "c.yaml")
    assert [c.input["generator"] for c in expand(config, tmp_path)] == [name]  # records use one name
    np.testing.assert_array_equal(degrees(spelling, 16, 16, k=2)[0], degrees(name, 16, 16, k=2)[0])


def test_compare_hash_takes_every_generator() -> None:
    args = ["compare-hash", "-k", "2", "--shape", "32x16", "--seeds", "2", "--json"]
    for kind in GENERATORS:
        args += ["--scenario", kind]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output


def test_defaults_are_the_registrys() -> None:
    """A parameter left out means the registry's default in the API, the CLI and YAML alike."""
    for name, generator in GENERATORS.items():
        assert realise(name, 8, 8).shape.params == {p: spec.default for p, spec in generator.params.items()}
    assert GENERATORS["uniform"].params["density"].default == 0.5  # `gen uniform` and YAML `uniform`


@pytest.mark.parametrize(("kind", "params", "needle"), [
    ("uniform", {"width": 3}, "uniform takes density"),
    ("uniform", {"density": 1.5}, "density 1.5 is a fraction in"),
    ("bands", {"width": 2.5}, "whole number"),
    ("moe", {"capacity_factor": 0}, "capacity_factor must be in"),
    ("nope", {}, "unknown generator"),
])
def test_bad_generator_parameters(kind: str, params: dict, needle: str) -> None:
    with pytest.raises(InvalidInputError, match=needle):
        degrees(kind, 8, 8, **params)


def test_one_moe_model() -> None:
    """gen moe, the sweep's moe and capacity --moe share s_i = E, t_j = min(M, ceil(cf k M / E))."""
    s, t = degrees("moe", 512, 16, k=2, capacity_factor=1.5)
    assert np.all(s == 16) and np.all(t == expert_capacity(512, 16, 2, 1.5)) and t[0] == 96
    out = moe_capacity(512, 16, 2, 1.5, range(2))
    assert out["capacity_per_expert"] == 96 and out["max_load_mean"] <= 96  # phase never exceeds t_j


def test_gen_refuses_a_parameter_the_kind_does_not_take(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["gen", "uniform", "--shape", "8", "--width", "3",
                                      "--out", str(tmp_path / "a.pbm"), str(tmp_path / "b.pbm")])
    assert result.exit_code == 2 and "uniform takes density" in result.stderr
