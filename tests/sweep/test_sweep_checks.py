"""Sweeps a CI can gate on: `expect:` bounds, golden digests, JUnit/Markdown reports, exit codes
(0 all hold, 1 a check fails with the results still written, 2 usage/input errors), and --resume
refusing journals written when `seeds: N` meant the single seed N."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import numpy as np
import pytest
import xmlschema
import yaml
from typer.testing import CliRunner

from phase_router.cli import app
from phase_router.sweep import cell as cell_module
from phase_router.sweep.expectations import evaluate
from phase_router.sweep.journal import JOURNAL_NAME
from phase_router.sweep.loader import parse_config
from phase_router.analysis.routers import NamedRouter

ROOT = Path(__file__).resolve().parents[2]
XSD = ROOT / "tests" / "data" / "junit.xsd"
BASE = {
    "name": "gate",
    "shapes": [{"N": 32}, {"M": 96, "E": 8}],
    "k": [2, 4],
    "inputs": [{"generator": "uniform", "density": 0.4}],
    "seeds": 3,
    "options": {"row_perm": [False, True]},
    "routers": ["phase", "hash"],
    "metrics": ["fill", "loads", "skew"],
}
N_CELLS = 2 * 2 * 2 * 3 + 2 * 2 * 3  # phase: shapes x k x row_perm x seeds; hash ignores row_perm


def _write(tmp_path: Path, **changes) -> Path:
    path = tmp_path / "gate.yaml"
    path.write_text(yaml.safe_dump({**BASE, **changes}))
    return path


def _sweep(*args):
    return CliRunner().invoke(app, ["sweep", *[str(a) for a in args]])


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> list[dict]:
    """The records of BASE, from which the tests derive bounds that must just hold or just fail."""
    tmp = tmp_path_factory.mktemp("baseline")
    result = _sweep(_write(tmp), "--out", tmp / "out")
    assert result.exit_code == 0, result.output
    return json.loads((tmp / "out" / "results.json").read_text())["records"]


def test_seeds_count_runs_seeds_zero_to_n_minus_one(baseline: list[dict]) -> None:
    assert len(baseline) == N_CELLS
    assert sorted({r["seed"] for r in baseline}) == [0, 1, 2]


def test_failing_expectation_exits_1_names_it_and_writes_everything(baseline: list[dict], tmp_path: Path) -> None:
    worst = max(r["skew"] for r in baseline if r["router"] == "phase" and r["k"] == 4)
    culprits = {r["cell_id"] for r in baseline if r["router"] == "phase" and r["k"] == 4 and r["skew"] == worst}
    expect = [{"metric": "skew", "max": worst, "where": {"router": "phase", "k": 4}},  # holds: the max itself
              {"metric": "skew", "max": worst - 1e-9, "where": {"router": "phase", "k": 4}, "name": "tight"}]
    out = tmp_path / "out"
    result = _sweep(_write(tmp_path, expect=expect), "--out", out)
    assert result.exit_code == 1, result.output
    assert "expectations: 1 of 2 hold" in " ".join(result.stdout.split())
    failing = [line for line in result.stderr.splitlines() if line.startswith("phase-router: check failed:")]
    assert len(failing) == len(culprits)
    for cid in culprits:
        assert any(cid in line and f"skew = {worst:.6g} > max {worst - 1e-9}" in line and "tight" in line
                   for line in failing)
    payload = json.loads((out / "results.json").read_text())
    assert payload["complete"] and len(payload["records"]) == N_CELLS  # results complete despite the failure
    assert "FAILED" in (out / "checks.md").read_text()


def test_all_expectations_hold_exit_0(baseline: list[dict], tmp_path: Path) -> None:
    fills = [r["fill_ratio"] for r in baseline]
    expect = [{"metric": "fill_ratio", "min": min(fills), "max": max(fills)},
              {"metric": "load_max", "max": max(r["load_max"] for r in baseline), "over": "max"}]
    result = _sweep(_write(tmp_path, expect=expect), "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "expectations: 2 of 2 hold" in " ".join(result.stdout.split())


@pytest.mark.parametrize("over", ["median", "max", "min", "mean"])
def test_aggregates_over_the_seeds_of_each_setting(baseline: list[dict], over: str, tmp_path: Path) -> None:
    config = parse_config({**BASE, "expect": [{"metric": "skew", "max": 1.0, "over": over,
                                               "where": {"router": "phase", "row_perm": True}}]}, tmp_path / "c.yaml")
    (verdict,) = evaluate(list(config.expect), baseline)
    settings: dict[tuple, list[float]] = {}
    for r in baseline:
        if r["router"] == "phase" and r["row_perm"] is True:
            settings.setdefault((r["M"], r["E"], r["k"]), []).append(r["skew"])
    aggregate = {"median": statistics.median, "max": max, "min": min, "mean": statistics.fmean}[over]
    assert sorted(u.value for u in verdict.units) == sorted(aggregate(v) for v in settings.values())
    assert all(len(u.cell_ids) == 3 for u in verdict.units)  # each setting's three seeds
    assert [u.passed for u in verdict.units] == [u.value <= 1.0 for u in verdict.units]


def test_selectors(baseline: list[dict], tmp_path: Path) -> None:
    def chosen(where: dict) -> set:
        config = parse_config({**BASE, "expect": [{"metric": "skew", "max": 99, "where": where}]}, tmp_path / "c.yaml")
        return {c for u in evaluate(list(config.expect), baseline)[0].units for c in u.cell_ids}

    ids = lambda pred: {r["cell_id"] for r in baseline if pred(r)}  # noqa: E731
    assert chosen({"N": 32}) == ids(lambda r: r["M"] == r["E"] == 32)
    assert chosen({"E": 8, "seed": [0, 2]}) == ids(lambda r: r["E"] == 8 and r["seed"] in (0, 2))
    assert chosen({"row_perm": False}) == ids(lambda r: r["row_perm"] is False)  # hash (None) not selected
    assert chosen({"generator": "uniform", "input": "uniform(density=0.4)"}) == ids(lambda r: True)


def test_expectation_selecting_nothing_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _sweep(_write(tmp_path, expect=[{"metric": "skew", "max": 2, "where": {"k": 64}}]), "--out", out)
    assert result.exit_code == 2
    assert "expect[0] selects no cell" in result.stderr and result.stderr.strip().count("\n") == 0
    assert not (out / "results.json").exists()


def test_verdict_ignores_timings(baseline: list[dict], tmp_path: Path) -> None:
    config = parse_config({**BASE, "expect": [{"metric": "skew", "max": 2.0}]}, tmp_path / "c.yaml")
    noisy = [{**r, "timings": {"route_ms_median": float(i)}} for i, r in enumerate(baseline)]
    assert evaluate(list(config.expect), noisy) == evaluate(list(config.expect), baseline)


# --------------------------------------------------------------------------- golden digests


def _broken_phase(seed_to_break: int) -> NamedRouter:
    """The phase router with two routes of one row swapped for one seed: a changed routing."""
    real = cell_module.ROUTERS["phase"]

    def function(s, t, k, *, seed, **kwargs):
        routes = real.function(s, t, k, seed=seed, **kwargs).copy()
        if seed == seed_to_break:
            row = int(np.argmax((routes >= 0).sum(axis=1) >= 2))
            routes[row, [0, 1]] = routes[row, [1, 0]]
        return routes

    return NamedRouter(real.name, function, real.options, real.summary)


def test_golden_catches_a_changed_routing(tmp_path: Path, monkeypatch) -> None:
    config = _write(tmp_path)
    golden = tmp_path / "golden.json"
    assert _sweep(config, "--out", tmp_path / "a", "--record-golden", golden).exit_code == 0
    recorded = json.loads(golden.read_text())
    assert recorded["schema"] == "phase-router-golden/1" and len(recorded["cells"]) == N_CELLS

    same = _sweep(config, "--out", tmp_path / "b", "--check-golden", golden)
    assert same.exit_code == 0, same.output
    assert f"{N_CELLS} same, 0 changed, 0 not recorded" in " ".join(same.stdout.split())

    monkeypatch.setitem(cell_module.ROUTERS, "phase", _broken_phase(seed_to_break=1))
    changed = _sweep(config, "--out", tmp_path / "c", "--check-golden", golden, "--junit", tmp_path / "j.xml")
    assert changed.exit_code == 1
    records = json.loads((tmp_path / "c" / "results.json").read_text())["records"]
    broken = {r["cell_id"] for r in records if r["router"] == "phase" and r["seed"] == 1}
    assert len(broken) == 8
    lines = [line for line in changed.stderr.splitlines() if "routes changed" in line]
    assert {line.rsplit("(cell ", 1)[1].rstrip(")") for line in lines} == broken
    xmlschema.XMLSchema(XSD).validate(tmp_path / "j.xml")
    suites = xmlschema.XMLSchema(XSD).to_dict(tmp_path / "j.xml")
    assert suites["@failures"] == 8


def test_golden_fails_on_unrecorded_cells_and_rejects_bad_files(tmp_path: Path) -> None:
    golden = tmp_path / "golden.json"
    assert _sweep(_write(tmp_path), "--out", tmp_path / "a", "--record-golden", golden).exit_code == 0
    grown = _sweep(_write(tmp_path, k=[2, 4, 8]), "--out", tmp_path / "b", "--check-golden", golden)
    assert grown.exit_code == 1
    assert grown.stderr.count("no recorded digest") == 18  # k = 8: 2 shapes x (phase 2 row_perm + hash) x 3 seeds
    (tmp_path / "bad.json").write_text("{not json")
    bad = _sweep(_write(tmp_path), "--out", tmp_path / "c", "--check-golden", tmp_path / "bad.json")
    assert bad.exit_code == 2 and "not valid JSON" in bad.stderr and not (tmp_path / "c").exists()
    missing = _sweep(_write(tmp_path), "--out", tmp_path / "d", "--check-golden", tmp_path / "none.json")
    assert missing.exit_code == 2 and "no such golden file" in missing.stderr


# --------------------------------------------------------------------------- reports


def test_junit_validates_and_reports_each_cell_and_expectation(baseline: list[dict], tmp_path: Path) -> None:
    worst = max(r["skew"] for r in baseline)
    expect = [{"metric": "skew", "max": worst}, {"metric": "skew", "max": 1.0, "over": "median", "name": "balanced"}]
    junit, summary = tmp_path / "reports" / "junit.xml", tmp_path / "summary.md"
    result = _sweep(_write(tmp_path, expect=expect), "--out", tmp_path / "out", "--junit", junit, "--markdown", summary)
    assert result.exit_code == 1
    schema = XSD and xmlschema.XMLSchema(XSD)
    schema.validate(junit)
    doc = schema.to_dict(junit)
    cells, expectations = doc["testsuite"]
    assert cells["@tests"] == N_CELLS and cells["@failures"] == 0
    assert expectations["@tests"] == 2 and expectations["@failures"] == 1
    failed = next(case for case in expectations["testcase"] if "failure" in case)
    assert failed["@name"] == "balanced"
    assert "skew = " in failed["failure"][0]["@message"] and "> max 1.0" in failed["failure"][0]["$"]
    text = summary.read_text()
    assert text.startswith("## phase-router sweep `gate`: FAILED") and "| ❌ | balanced |" in text
    # the schema can fail: a suite without its required name is rejected
    broken = junit.read_text().replace('name="gate.cells" ', "", 1)
    assert not schema.is_valid(broken)


# --------------------------------------------------------------------------- seeds meaning and --resume


def test_resume_refuses_a_journal_from_the_old_seeds_meaning(tmp_path: Path) -> None:
    config = _write(tmp_path)
    out = tmp_path / "out"
    assert _sweep(config, "--out", out).exit_code == 0
    lines = (out / JOURNAL_NAME).read_bytes().split(b"\n")
    assert json.loads(lines[0])["journal"] == "phase-router-sweep-journal/3"
    (out / JOURNAL_NAME).write_bytes(b"\n".join(lines[1:6]) + b"\n")  # as an older version wrote it
    result = _sweep(config, "--out", out, "--resume")
    assert result.exit_code == 2
    assert "older phase-router" in result.stderr and "seeds: N" in result.stderr
    assert result.stderr.strip().count("\n") == 0
