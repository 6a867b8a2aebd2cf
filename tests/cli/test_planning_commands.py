"""The planning commands: gen, capacity, suggest-k, compare-hash. Outputs match the API;
bad input is one line on stderr and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from phase_router.analysis.capacity import moe_capacity
from phase_router.analysis.routers import BASELINE_ROUTERS, PHASE_ROUTERS
from phase_router.cli import app
from phase_router.inputs import generate
from phase_router.io import read_pbm


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_gen_writes_the_generated_matrices(tmp_path: Path) -> None:
    S, T = tmp_path / "S.pbm", tmp_path / "T.pbm"
    result = run("gen", "boundary", "--shape", "40x30", "-k", 5, "--seed", 2, "--out", S, T)
    assert result.exit_code == 0, result.output
    want_S, want_T = generate("boundary", 40, 30, k=5, seed=2)
    assert np.array_equal(read_pbm(S), want_S) and np.array_equal(read_pbm(T), want_T)


@pytest.mark.parametrize("args", [("nope", "--shape", "4x4"), ("uniform", "--shape", "4y4"), ("uniform", "--shape", "0x4")])
def test_gen_bad_input_exit_2_and_no_files(tmp_path: Path, args) -> None:
    S, T = tmp_path / "S.pbm", tmp_path / "T.pbm"
    result = run("gen", *args, "--out", S, T)
    assert result.exit_code == 2
    assert result.stderr.startswith("phase-router: error:") and result.stderr.count("\n") == 1
    assert not S.exists() and not T.exists()


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    S, T = tmp_path / "S.pbm", tmp_path / "T.pbm"
    assert run("gen", "uniform", "--shape", "128x96", "--out", S, T).exit_code == 0
    return S, T


def test_compare_hash_json_and_csv(inputs, tmp_path: Path) -> None:
    out = tmp_path / "c.csv"
    result = run("compare-hash", *inputs, "--scenario", "diagonal", "--shape", "64x64", "-k", 4, "--seeds", 3,
                 "--json", "--csv", out)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert len(report) == 2
    for entry in report:
        # by default the phase router under each policy, and the baselines (the routers of the one
        # table on other candidate sources are compared when named)
        assert set(entry["routers"]) == set(PHASE_ROUTERS) | set(BASELINE_ROUTERS)
        assert {"phase", "phase-greedy", "phase-balanced", "phase-optimal", "hash", "hash-weighted", "two-choice"} <= set(entry["routers"])
        assert entry["rule"].startswith("r_i = min(k, c_i)") and entry["feasible"] == "all"
        best = min(entry["routers"], key=lambda r: entry["routers"][r]["max_over_mean"])
        assert entry["verdict"][0].startswith(f"max/mean load (lower is better): best {best} ")
        assert all(len(row["max_over_mean_ci"]) == 2 for row in entry["routers"].values())
    assert len(out.read_text().splitlines()) == 1 + 2 * len(PHASE_ROUTERS + BASELINE_ROUTERS)


def test_compare_hash_table_has_a_verdict(inputs) -> None:
    result = run("compare-hash", *inputs, "-k", 8, "--seeds", 2)
    assert result.exit_code == 0 and "verdict:" in result.stdout


def test_capacity_moe_matches_api() -> None:
    result = run("capacity", "--moe", "--tokens", 512, "--experts", 16, "-k", 2, "--seeds", 3, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(json.dumps(moe_capacity(512, 16, 2, 1.25, range(3))))


def test_capacity_and_suggest_k_on_files(inputs) -> None:
    result = run("capacity", *inputs, "-k", 8, "--seeds", 5, "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["capacity_uniform"] >= payload["mean_load"]
    result = run("suggest-k", *inputs, "--target-fill", 0.9, "--seeds", 30, "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert isinstance(payload["k"], int) and payload["met"] and list(payload)[:2] == ["k", "met"]
    assert [row["k"] for row in payload["evaluated"]] == sorted(row["k"] for row in payload["evaluated"])


def test_capacity_labels_joint_and_marginal_and_warns_on_few_seeds(inputs) -> None:
    result = run("capacity", *inputs, "-k", 8, "--percentile", 90, "--seeds", 30, "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {"joint_capacity_per_target", "marginal_capacity_per_target", "joint_guaranteed"} <= set(payload)
    assert payload["warnings"] and "100" in payload["warnings"][0]  # 10 / (1 - 0.9) seeds
    assert result.stderr.startswith("warning: 30 seeds are too few")
    table = run("capacity", *inputs, "-k", 8, "--percentile", 90)
    assert table.exit_code == 0 and table.stderr == "" and "NOT together" in table.stdout
    assert run("capacity", *inputs, "-k", 8, "--percentile", 100).exit_code == 2


def test_suggest_k_exit_1_when_no_k_meets_the_target(inputs) -> None:
    result = run("suggest-k", *inputs, "--target-skew", 1.0001, "--seeds", 22, "--json")
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    assert payload["k"] is None and isinstance(payload["best_k"], int) and "skew_bound" in payload["best_figure"]


@pytest.mark.parametrize("target", [("--target-fill", "nan"), ("--target-skew", "-1"), ("--target-fill", "2"),
                                    ("--target-skew", "inf"), ("--probability", "1.5")])
def test_suggest_k_refuses_nonsense_targets(inputs, target) -> None:
    extra = () if target[0] != "--probability" else ("--target-skew", "1.5")
    result = run("suggest-k", *inputs, *target, *extra)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output


def test_compare_hash_feasible_candidates(inputs) -> None:
    result = run("compare-hash", *inputs, "-k", 8, "--seeds", 3, "--feasible", "candidates", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["feasible"] == "candidates"
    assert run("compare-hash", *inputs, "-k", 8, "--feasible", "some").exit_code == 2


@pytest.mark.parametrize("args", [("capacity", "--moe", "-k", 2), ("suggest-k", "S", "T"), ("compare-hash", "-k", 3),
                                  ("capacity", "missing.pbm", "missing2.pbm", "-k", 2)])
def test_bad_input_is_one_line_exit_2(args) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1
