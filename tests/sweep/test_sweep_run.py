"""A tiny sweep end to end: output schema, resume, interruption, and identical deterministic
fields whatever the executor (serial, --jobs 2, a Dask LocalCluster)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

import phase_router
from phase_router.cli import app
from phase_router.sweep.cell import routes_digest
from phase_router.inputs import degrees
from phase_router.sweep.journal import JOURNAL_NAME, Journal, read_journal
from phase_router.sweep.loader import parse_config
from phase_router.sweep.results import deterministic_view
from phase_router.sweep.runner import run_sweep

ROOT = Path(__file__).resolve().parents[2]
TINY = {
    "name": "tiny",
    "shapes": [{"N": 32}, {"M": 96, "E": 8}],
    "k": [2, 8],
    "inputs": [{"generator": "uniform", "density": 0.4}, {"generator": "uniform_1_to_k"},
               {"generator": "file", "S": str(ROOT / "samples/rect_S.npy"), "T": str(ROOT / "samples/rect_T.npy")}],
    "seeds": {"start": 3, "count": 2},
    "options": {"row_perm": [False, True]},
    "repetitions": 2,
    "routers": ["phase", "hash"],
}
# phase: 3 inputs' shapes (2 + 2 + 1 file) x 2 k x 2 row_perm x 2 seeds; hash ignores row_perm
N_CELLS = 5 * 2 * 2 * 2 + 5 * 2 * 2


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(TINY))
    return path


def _sweep(*args) -> object:
    return CliRunner().invoke(app, ["sweep", *[str(a) for a in args]])


def _records(out: Path) -> list[dict]:
    return json.loads((out / "results.json").read_text())["records"]


def test_tiny_sweep_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _sweep(_config(tmp_path), "--out", out)
    assert result.exit_code == 0, result.output
    assert f"{N_CELLS} of {N_CELLS} cells done" in result.stdout

    payload = json.loads((out / "results.json").read_text())
    assert payload["complete"] and payload["cells_done"] == payload["cells_total"] == N_CELLS
    records = payload["records"]
    assert len(records) == N_CELLS == len({r["cell_id"] for r in records})
    for r in records:
        assert {"router", "input", "M", "E", "k", "seed", "row_perm", "strategy", "fill_ratio", "skew",
                "load_max", "load_mean", "load_std", "routes_sha256", "timings"} <= r.keys()
        assert set(r["timings"]) == {"generate_ms", "route_ms_min", "route_ms_median", "metrics_ms", "threads"}
        assert 0 <= r["fill_ratio"] <= 1 and r["load_max"] >= r["load_mean"]
        assert (r["row_perm"] is None) == (r["router"] == "hash")

    with open(out / "results.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == N_CELLS
    assert list(rows[0])[:10] == ["cell_id", "router", "input", "M", "E", "k", "seed", "row_perm", "strategy", "repetitions"]
    timing_columns = [c for c in rows[0] if c.startswith("time_")]
    assert timing_columns == list(rows[0])[-len(timing_columns):]  # timings kept apart, at the end
    for row, record in zip(rows, records):
        assert row["routes_sha256"] == record["routes_sha256"]
        assert float(row["skew"]) == record["skew"]  # floats round-trip exactly

    summary = (out / "summary.md").read_text()
    assert summary.startswith("# Sweep `tiny`") and "| phase | uniform(density=0.4) | 32 × 32 | 2 | false |" in summary


def test_record_matches_an_independent_routing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_sweep(parse_config(TINY, tmp_path / "tiny.yaml"), tmp_path, out)
    record = next(r for r in _records(out) if r["router"] == "phase" and r["input"] == "uniform-1-k"
                  and r["M"] == 96 and r["k"] == 8 and r["row_perm"])
    s, t = degrees("uniform_1_to_k", 96, 8, k=8, seed=record["seed"])
    routing = phase_router.route_degrees(s, t, 8, seed=record["seed"], row_perm=True)
    assert record["routes_sha256"] == routes_digest(routing.routes)
    loads = routing.column_loads
    assert record["load_max"] == loads.max() and record["active_routes"] == routing.stats.active_routes
    assert record["skew"] == pytest.approx(loads.max() / loads.mean(), rel=1e-12)
    assert record["load_std"] == pytest.approx(loads.std(), rel=1e-12)


def test_same_results_whatever_the_executor(tmp_path: Path) -> None:
    config = _config(tmp_path)
    assert _sweep(config, "--out", tmp_path / "one", "--jobs", 1).exit_code == 0
    assert _sweep(config, "--out", tmp_path / "two", "--jobs", 2).exit_code == 0
    one, two = _records(tmp_path / "one"), _records(tmp_path / "two")
    assert [deterministic_view(r) for r in one] == [deterministic_view(r) for r in two]
    # timings exist in both but are not part of the comparison
    assert all("route_ms_median" in r["timings"] for r in one + two)


@pytest.mark.parametrize("processes", [False, True], ids=["threads", "processes"])
def test_dask_local_cluster_gives_the_same_results(tmp_path: Path, processes: bool) -> None:
    """Worker processes also check that cells and records travel through pickling intact."""
    import distributed  # in the test extra, so CI always runs this

    config = parse_config(TINY, tmp_path / "tiny.yaml")
    serial = run_sweep(config, tmp_path, tmp_path / "serial")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=processes,
                                  dashboard_address=None) as cluster:
        on_dask = run_sweep(config, tmp_path, tmp_path / "dask", scheduler=cluster.scheduler_address)
    assert [deterministic_view(r) for r in on_dask.records] == [deterministic_view(r) for r in serial.records]


def test_existing_output_needs_resume(tmp_path: Path) -> None:
    config = _config(tmp_path)
    out = tmp_path / "out"
    assert _sweep(config, "--out", out).exit_code == 0
    result = _sweep(config, "--out", out)
    assert result.exit_code == 2
    assert "--resume" in result.stderr and result.stderr.strip().count("\n") == 0


def test_resume_skips_done_cells(tmp_path: Path) -> None:
    config = _config(tmp_path)
    out = tmp_path / "out"
    assert _sweep(config, "--out", out).exit_code == 0
    full = _records(out)
    journal = (out / JOURNAL_NAME).read_bytes().split(b"\n")
    kept = 7  # records; line 0 is the journal's format header
    (out / JOURNAL_NAME).write_bytes(b"\n".join(journal[:kept + 1]) + b"\n" + journal[kept + 1][:25])  # torn line
    result = _sweep(config, "--out", out, "--resume")
    assert result.exit_code == 0, result.output
    assert f"({N_CELLS - kept} run now, {kept} already done)" in result.stdout
    assert len(read_journal(out / JOURNAL_NAME)) == N_CELLS  # the torn line was trimmed, not kept
    assert [deterministic_view(r) for r in _records(out)] == [deterministic_view(r) for r in full]
    # a resumed, finished sweep runs nothing more
    again = _sweep(config, "--out", out, "--resume")
    assert f"(0 run now, {N_CELLS} already done)" in again.stdout


class _Interrupt:
    """A progress reporter that presses Ctrl-C after some cells."""

    def __init__(self, after: int) -> None:
        self.after, self.seen = after, 0

    def start(self, total: int, done: int) -> None:
        pass

    def advance(self, record: dict) -> None:
        self.seen += 1
        if self.seen == self.after:
            raise KeyboardInterrupt


@pytest.mark.parametrize("jobs", [1, 2])
def test_interrupted_sweep_leaves_valid_resumable_output(tmp_path: Path, jobs: int) -> None:
    config = parse_config(TINY, tmp_path / "tiny.yaml")
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run_sweep(config, tmp_path, out, jobs=jobs, reporter=_Interrupt(after=5))
    payload = json.loads((out / "results.json").read_text())
    assert payload["cells_done"] == 5 and not payload["complete"]
    assert len(list(csv.DictReader(open(out / "results.csv", newline="")))) == 5
    assert f"5 of {N_CELLS} cells done" in (out / "summary.md").read_text()
    assert not list(out.glob("*.partial"))

    finished = run_sweep(config, tmp_path, out, resume=True, jobs=jobs)
    assert finished.skipped == 5 and finished.complete
    reference = run_sweep(config, tmp_path, tmp_path / "fresh")
    assert [deterministic_view(r) for r in finished.records] == [deterministic_view(r) for r in reference.records]


def test_journal_appends_whole_lines(tmp_path: Path) -> None:
    path = tmp_path / JOURNAL_NAME
    with Journal(path) as journal:
        journal.append({"cell_id": "a", "x": 1})
    path.write_bytes(path.read_bytes() + b'{"cell_id": "b", "x"')  # torn by a crash
    assert [r["cell_id"] for r in read_journal(path)] == ["a"]
    with Journal(path) as journal:
        journal.append({"cell_id": "c", "x": np.int64(3).item()})
    assert [r["cell_id"] for r in read_journal(path)] == ["a", "c"]


def test_smoke_config_runs_completely(tmp_path: Path) -> None:
    """configs/smoke.yaml is what `make smoke` runs; keep it working (and fast) in the suite."""
    from phase_router.sweep.loader import load_config

    path = ROOT / "configs" / "smoke.yaml"
    outcome = run_sweep(load_config(path), path.parent, tmp_path / "smoke", jobs=2)
    assert outcome.complete and outcome.skipped == 0
    assert {r["router"] for r in outcome.records} == set(load_config(path).routers)


def test_an_interrupt_right_after_a_journal_write_leaves_results_matching_the_journal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A signal can land between a record's journal write and the runner's own bookkeeping:
    results.json still counts exactly the journaled cells (the journal is the source of truth)."""
    written = Journal.append

    def append_then_interrupt(self, record: dict) -> None:
        written(self, record)
        raise KeyboardInterrupt

    monkeypatch.setattr(Journal, "append", append_then_interrupt)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run_sweep(parse_config(TINY, tmp_path / "tiny.yaml"), tmp_path, out)
    journaled = read_journal(out / JOURNAL_NAME)
    results = json.loads((out / "results.json").read_text())
    assert len(journaled) == 1 and results["cells_done"] == 1 and not results["complete"]
