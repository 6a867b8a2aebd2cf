"""The route summary suggests --select balanced when, measured on the same candidates, it cuts
max/mean by more than 10 %; only when --select was left at its default, only in the human
summary, never on stdout when the routes go there."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

import phase_router as pr
from phase_router.cli import app
from phase_router.io import read_pbm
from phase_router.routing.stats import column_loads

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
S, T = SAMPLES / "S.pbm", SAMPLES / "T.pbm"
HINT = re.compile(r"hint: --select balanced gives max/mean (\d+\.\d\d) here \(random: (\d+\.\d\d)\)")


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def _max_over_mean(select: str, k: int) -> float:
    routes = pr.route(read_pbm(S), read_pbm(T), k, select=select).routes
    loads = column_loads(routes, read_pbm(T).shape[0])
    return float(loads.max() / loads.mean())


def test_the_hint_on_the_samples_gives_measured_figures() -> None:
    result = run("route", S, T, "-k", 16)
    assert result.exit_code == 0, result.output
    found = HINT.search(" ".join(result.stdout.split()))
    assert found, result.stdout
    balanced, random = float(found.group(1)), float(found.group(2))
    assert balanced == round(_max_over_mean("balanced", 16), 2) and random == round(_max_over_mean("random", 16), 2)
    assert balanced < 0.9 * random


def test_no_hint_when_the_policy_was_chosen_or_json() -> None:
    for args in (("--select", "random"), ("--select", "balanced"), ("--json",)):
        result = run("route", S, T, "-k", 16, *args)
        assert result.exit_code == 0 and "hint:" not in result.output, (args, result.output)
    payload = json.loads(run("route", S, T, "-k", 16, "--json").stdout)
    assert "hint" not in json.dumps(payload)


def test_the_hint_stays_off_stdout_when_routes_go_there() -> None:
    result = run("route", S, T, "-k", 16, "--out", "-", "--out-format", "csv")
    assert result.exit_code == 0, result.output
    assert "hint:" not in result.stdout and HINT.search(" ".join(result.stderr.split()))


def test_no_hint_when_balanced_is_not_ten_percent_better(tmp_path: Path) -> None:
    """Every source has one candidate (k = 1, E = M, a permutation): random is already exact."""
    eye = np.eye(64, dtype=bool)
    pr.io.write_pbm(tmp_path / "S.pbm", eye)
    pr.io.write_pbm(tmp_path / "T.pbm", eye)
    result = run("route", tmp_path / "S.pbm", tmp_path / "T.pbm", "-k", 1)
    assert result.exit_code == 0, result.output
    assert "hint:" not in result.output
