"""`capacity --out FILE` writes every target's joint and marginal cap (.csv or .npy), equal to
the API's; --json carries both vectors; --out never replaces an input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from phase_router.analysis.capacity import estimate_capacity
from phase_router.cli import app
from phase_router.io import read_row_degrees
from phase_router.io.capacity_caps import read_caps, write_caps


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    S, T = tmp_path / "S.pbm", tmp_path / "T.pbm"
    assert run("gen", "power-law", "--shape", "96x40", "-k", 6, "--out", S, T).exit_code == 0
    return S, T


def _api(S: Path, T: Path):
    return estimate_capacity(read_row_degrees(S)[0], read_row_degrees(T)[0], 6, 90, range(12))


@pytest.mark.parametrize("suffix", [".csv", ".npy"])
def test_written_caps_equal_the_api(inputs, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"caps{suffix}"
    result = run("capacity", *inputs, "-k", 6, "--percentile", 90, "--seeds", 12, "--out", out)
    assert result.exit_code == 0, result.output
    want = _api(*inputs)
    joint, marginal = read_caps(out)
    assert joint.tolist() == want.joint_capacity_per_target and marginal.tolist() == want.marginal_capacity_per_target
    assert joint.size == 40 and str(out) in " ".join(result.stdout.split())
    if suffix == ".csv":
        with open(out, newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == ["target", "joint", "marginal"]
        assert [int(r[0]) for r in rows[1:]] == list(range(40))
        assert [int(r[1]) for r in rows[1:]] == want.joint_capacity_per_target
    else:
        table = np.load(out)
        assert table.dtype == np.int64 and table.shape == (40, 2)
        assert table[:, 1].tolist() == want.marginal_capacity_per_target


def test_json_carries_both_vectors(inputs) -> None:
    result = run("capacity", *inputs, "-k", 6, "--percentile", 90, "--seeds", 12, "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    want = _api(*inputs)
    assert payload["joint_capacity_per_target"] == want.joint_capacity_per_target
    assert payload["marginal_capacity_per_target"] == want.marginal_capacity_per_target
    assert payload["joint_capacity_summary"] == {"min": min(want.joint_capacity_per_target),
                                                 "max": max(want.joint_capacity_per_target),
                                                 "sum": sum(want.joint_capacity_per_target)}


@pytest.mark.parametrize("suffix", [".csv", ".npy"])
def test_round_trip(tmp_path: Path, suffix: str) -> None:
    rng = np.random.default_rng(3)
    joint, marginal = rng.integers(0, 2**40, 17), rng.integers(0, 5, 17)
    write_caps(tmp_path / f"c{suffix}", joint, marginal)
    back = read_caps(tmp_path / f"c{suffix}")
    assert back[0].tolist() == joint.tolist() and back[1].tolist() == marginal.tolist()


@pytest.mark.parametrize("which", [0, 1])
def test_out_never_replaces_an_input(inputs, which: int) -> None:
    before = inputs[which].read_bytes()
    same = inputs[which].with_suffix(".csv")
    inputs[which].rename(same)
    args = [same, inputs[1]] if which == 0 else [inputs[0], same]
    result = run("capacity", *args, "-k", 6, "--seeds", 4, "--out", same)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output
    assert "names the same file as the input" in result.stderr and same.read_bytes() == before


@pytest.mark.parametrize("out, words", [("caps.txt", "must end in .csv or .npy"), ("nowhere/caps.csv", "does not exist"),
                                        ("-", "needs a file name")])
def test_bad_out_paths_are_refused_before_any_work(inputs, tmp_path: Path, out: str, words: str) -> None:
    result = run("capacity", *inputs, "-k", 6, "--seeds", 4, "--out", out if out == "-" else tmp_path / out)
    assert result.exit_code == 2 and words in result.stderr and result.stderr.count("\n") == 1, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["S.pbm", "T.pbm"]


def test_out_with_moe_is_refused(tmp_path: Path) -> None:
    result = run("capacity", "--moe", "--tokens", 64, "--experts", 8, "-k", 2, "--out", tmp_path / "c.csv")
    assert result.exit_code == 2 and "--moe" in result.stderr and not (tmp_path / "c.csv").exists()
