"""`phase-router evaluate --moe`: every MoE router on the grid, into one directory that appears
complete or not at all: results.json (every row), tables.md (the headline cell, Var(L)/mu^2 on
every cell, every row) and the plots of drops and kept mass against the capacity factor."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from typing import Optional

from ..pictures.moe_plots import moe_plots
from .jsonable import dumps
from .moe_grid import FULL, QUICK
from .moe_measure import measure_grid
from .moe_report import all_rows_table, c1_table, headline_table
from .output_dir import staged_directory
from .specs import system_specs


def evaluate_moe(out: Path, *, quick: bool = False, force: bool = False, seeds: Optional[int] = None,
                 progress: Optional[Callable[[str], None]] = None) -> dict:
    """Run the MoE evaluation into `out`; returns the summary written to out/results.json."""
    grid = QUICK if quick else FULL
    with staged_directory(Path(out), force) as stage:
        started = time.perf_counter()
        rows = measure_grid(grid, seeds, progress)
        summary = {"schema": "phase-router-moe-evaluation/1", "quick": quick, "grid": dataclasses.asdict(grid),
                   "seeds": seeds if seeds is not None else grid.seeds, "specs": system_specs(),
                   "seconds": time.perf_counter() - started, "rows": rows}
        (stage / "results.json").write_text(dumps(summary), encoding="utf-8")
        tables = ["# MoE routers on gate scores", "", "## Headline cell", "", headline_table(rows, grid), "",
                  "## Load variance against μ² (c₁)", "", c1_table(rows, grid), "", "## Every row", "",
                  all_rows_table(rows)]
        (stage / "tables.md").write_text("\n".join(tables), encoding="utf-8")
        moe_plots(rows, grid.focus[0], stage)
    return summary
