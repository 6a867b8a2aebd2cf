"""`phase-router evaluate`: the scaling sweep, the phase-vs-hash stress test and the ten-point test
matrix in one run, into one directory that appears complete or not at all (built in a staging
directory beside it and renamed into place)."""

from __future__ import annotations

import csv
import io as _io
import os
import time
from pathlib import Path

from .jsonable import dumps
from .output_dir import staged_directory
from .report import report_markdown
from .scaling import run_scaling
from .specs import specs_markdown, system_specs
from .stress import run_stress
from .test_matrix import CSV_FIELDS, markdown, run_test_matrix


def evaluate(out: Path, *, quick: bool = False, force: bool = False, progress=None) -> dict:
    """Run everything into `out`; returns the summary written to out/evaluation.json."""
    say = progress or (lambda message: None)
    with staged_directory(Path(out), force) as stage:
        started = time.perf_counter()
        seconds = {}
        specs = system_specs()
        say("scaling sweep")
        t0 = time.perf_counter()
        scaling = run_scaling(stage / "scaling", quick)
        seconds["scaling"] = time.perf_counter() - t0
        say("phase-vs-hash stress test")
        t0 = time.perf_counter()
        stress = run_stress(stage / "stress", quick)
        seconds["stress"] = time.perf_counter() - t0
        say("ten-point test matrix")
        t0 = time.perf_counter()
        matrix = [r.as_dict() for r in run_test_matrix()]
        seconds["test_matrix"] = time.perf_counter() - t0
        _write_matrix(stage / "test_matrix", matrix, specs)
        load_end = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
        summary = {"schema": "phase-router-evaluation/1", "quick": quick, "seconds": time.perf_counter() - started,
                   "load_average_end": load_end,
                   "part_seconds": seconds, "specs": specs, "scaling": scaling, "stress": stress, "test_matrix": matrix}
        (stage / "specs.json").write_text(dumps(specs), encoding="utf-8")
        (stage / "evaluation.json").write_text(dumps(summary), encoding="utf-8")
        (stage / "report.md").write_text(report_markdown(summary), encoding="utf-8")
    return summary


def _write_matrix(directory: Path, matrix: list[dict], specs: dict) -> None:
    from .test_matrix import CheckResult

    directory.mkdir()
    buffer = _io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(matrix)
    (directory / "test_matrix.csv").write_text(buffer.getvalue(), encoding="utf-8")
    (directory / "test_matrix.json").write_text(dumps({"specs": specs, "checks": matrix}), encoding="utf-8")
    results = [CheckResult(**{k: v for k, v in r.items() if k != "verdict"}) for r in matrix]
    (directory / "test_matrix.md").write_text(markdown(results, specs_markdown(specs)), encoding="utf-8")
