"""`phase-router evaluate --moe --quick`: every router on the quick grid, tables and plots
written, every measured row with its intervals, and what the definitions force holds in the
numbers (the optimum keeps the most mass among the routers on its candidates, larger capacities
drop less, Expert Choice and BASE fill experts exactly)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from phase_router.analysis.gate_routers import gate_routers
from phase_router.cli import app

pytest.importorskip("matplotlib")  # the evaluation draws its plots (extra `plot`, in `test`)


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("evaluate-moe") / "moe"
    result = CliRunner().invoke(app, ["evaluate", "--moe", "--quick", "--out", str(out)])
    return out, result


def test_quick_run_writes_tables_results_and_plots(quick_run) -> None:
    out, result = quick_run
    assert result.exit_code == 0, result.output
    for name in ("tables.md", "results.json", "drops_vs_capacity.png", "kept_mass_vs_capacity.png"):
        assert (out / name).is_file() and (out / name).stat().st_size > 1000, name
    tables = (out / "tables.md").read_text()
    for router in gate_routers():
        assert f"| {router.name} |" in tables
    assert "±" in tables and "c₁" in tables


def test_every_row_has_intervals_over_the_seeds(quick_run) -> None:
    out, _ = quick_run
    summary = json.loads((out / "results.json").read_text())
    rows = summary["rows"]
    assert len(rows) == len(gate_routers()) * 3 * 2  # routers x capacity factors x cells
    for row in rows:
        assert "skipped" not in row  # the quick grid is small enough for the exact solvers
        for metric in ("dropped_assignments", "dropped_tokens", "max_over_mean", "variance_over_mu2", "kept_mass",
                       "time_ms"):
            interval = row[metric]
            assert interval["seeds"] == 3 and interval["low"] <= interval["mean"] <= interval["high"]


def test_the_numbers_obey_the_definitions(quick_run) -> None:
    out, _ = quick_run
    rows = json.loads((out / "results.json").read_text())["rows"]

    def get(router: str, k: int, factor: float, metric: str) -> float:
        return next(r[metric]["mean"] for r in rows if (r["router"], r["k"], r["capacity_factor"]) == (router, k, factor))

    for k in (1, 2):
        for factor in (1.0, 1.25, 2.0):
            best = get("optimum-c+2", k, factor, "kept_mass")
            assert best >= get("phase-scores-c+2", k, factor, "kept_mass") - 1e-12
            assert best >= get("switch-top-k", k, factor, "kept_mass") - 1e-12  # top-k at the capacity is a candidate
            assert get("expert-choice", k, factor, "max_over_mean") == 1.0
            assert get("base-layer", k, factor, "dropped_assignments") == 0.0
        assert get("switch-top-k", k, 2.0, "dropped_assignments") <= get("switch-top-k", k, 1.0, "dropped_assignments")
        assert get("switch-top-k", k, 1.0, "dropped_assignments") > 0  # a skewed gate overflows at factor 1


def test_seeds_go_with_moe_only() -> None:
    result = CliRunner().invoke(app, ["evaluate", "--quick", "--seeds", "3", "--out", "unused"])
    assert result.exit_code == 2 and "--seeds goes with --moe" in result.stderr
