"""`phase-router evaluate --quick`: every part runs, every file the report links exists, every
verdict carries its interval, and the output directory appears complete or not at all."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from phase_router.cli import app
from phase_router.analysis.intervals import median_interval, paired_verdict

pytest.importorskip("matplotlib")  # the evaluation draws its plots (extra `plot`, in `test`)


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("evaluate") / "results"
    result = CliRunner().invoke(app, ["evaluate", "--out", str(out), "--quick"])
    return out, result


def test_quick_run_writes_everything(quick_run) -> None:
    out, result = quick_run
    assert result.exit_code == 0, result.output
    report = (out / "report.md").read_text()
    links = re.findall(r"\]\(([^)]+)\)", report)
    assert len(links) > 20
    for link in links:
        assert (out / link).is_file(), link
    for name in ("time_vs_N.png", "skew_vs_N.png", "fill_vs_k.png", "summary_tables.md"):
        assert (out / "scaling" / name).is_file()
    assert (out / "stress" / "time_vs_k.png").is_file()
    assert list((out / "stress").glob("loads_two-phase-original_k*.png"))
    assert "±" in (out / "scaling" / "summary_tables.md").read_text()
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".partial")]


def test_specs_and_test_matrix(quick_run) -> None:
    out, _ = quick_run
    specs = json.loads((out / "specs.json").read_text())
    assert specs["logical_cpus"] >= 1 and isinstance(specs["openmp"], bool) and specs["cpu_model"]
    rows = list(csv.DictReader((out / "test_matrix" / "test_matrix.csv").open()))
    assert [int(r["number"]) for r in rows] == list(range(1, 11))
    assert all(r["verdict"] == "pass" for r in rows)
    assert "System specs" in (out / "test_matrix" / "test_matrix.md").read_text()


def test_stress_has_both_constructions_and_all_baselines(quick_run) -> None:
    out, _ = quick_run
    records = json.loads((out / "stress" / "results.json").read_text())["records"]
    scenarios = {r["scenario"] for r in records}
    assert {"single-phase", "two-phase-original", "adversarial", "uniform-0.5"} <= scenarios
    routers = {r["router"] for r in records if r["scenario"] == "two-phase-original"}
    assert {"phase", "hash-original", "hash", "hash-weighted", "two-choice"} <= routers
    verdicts = list(csv.DictReader((out / "stress" / "verdicts.csv").open()))
    assert verdicts and all(float(v["difference_low"]) <= float(v["difference_median"]) <= float(v["difference_high"])
                            for v in verdicts)
    report = (out / "report.md").read_text()
    assert "two-phase-original" in report and "hash-original" in report and "[" in report


def test_non_empty_out_is_refused(quick_run) -> None:
    out, _ = quick_run
    result = CliRunner().invoke(app, ["evaluate", "--out", str(out), "--quick"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "not empty" in result.stderr


def test_out_that_is_a_file_is_refused(tmp_path) -> None:
    target = tmp_path / "x"
    target.write_text("keep")
    result = CliRunner().invoke(app, ["evaluate", "--out", str(target), "--quick"])
    assert result.exit_code == 2 and "not a directory" in result.stderr
    assert target.read_text() == "keep"


def test_failure_leaves_nothing(tmp_path, monkeypatch) -> None:
    from phase_router.evaluation import run

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(run, "run_stress", broken)
    with pytest.raises(RuntimeError):
        run.evaluate(tmp_path / "out", quick=True)
    assert list(tmp_path.iterdir()) == []


def test_median_interval_coverage_and_small_n() -> None:
    small = median_interval([3.0, 1.0, 2.0])
    assert small.level == 0 and (small.low, small.high) == (1.0, 3.0)
    iv = median_interval(range(20))
    assert iv.level >= 0.95 and iv.low <= 9.5 <= iv.high and (iv.low, iv.high) == (5.0, 14.0)


def test_paired_verdict_outcomes() -> None:
    a = [1.0 + 0.01 * i for i in range(10)]
    assert paired_verdict(a, [x + 1 for x in a], "phase", "hash")["outcome"] == "phase lower"
    assert paired_verdict([x + 1 for x in a], a, "phase", "hash")["outcome"] == "hash lower"
    mixed = [(-1) ** i * 0.1 for i in range(10)]
    assert paired_verdict(mixed, [0.0] * 10, "phase", "hash")["outcome"] == "no significant difference"


def test_published_report_links_resolve() -> None:
    root = Path(__file__).resolve().parents[2] / "docs" / "evaluation"
    report = (root / "report.md").read_text()
    assert "(quick run)" not in report.splitlines()[0], "the published evaluation is the full run"
    links = re.findall(r"\]\(([^)]+)\)", report)
    assert links and all((root / link).is_file() for link in links)
