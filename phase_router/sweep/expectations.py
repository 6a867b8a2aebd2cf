"""Evaluating a config's `expect:` bounds against the recorded metrics (docs/SWEEPS.md).

Everything here reads the records only, so the verdict is as deterministic as the metrics it
names: bounds on `skew`, `fill_ratio`, ... give the same answer on every machine and executor;
a bound on a timing field (`route_ms_median`, ...) is honoured only because the user named it.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Optional

from ..errors import InvalidInputError
from .config import TIMING_METRICS, Expectation, Where
from .grid import Cell

SETTING_KEYS = ("router", "input", "M", "E", "k", "row_perm", "strategy")  # a setting = all but seed
AGGREGATES = {"median": statistics.median, "max": max, "min": min, "mean": statistics.fmean}


@dataclass(frozen=True)
class Unit:
    """One thing a bound is checked on: a cell, or the seeds of one setting."""

    label: str  # e.g. "phase, uniform_1_to_k, 256×256, k=16, row_perm=false, seed=3"
    cell_ids: tuple[str, ...]
    value: float
    passed: bool


@dataclass(frozen=True)
class Verdict:
    index: int
    expectation: Expectation
    units: tuple[Unit, ...]

    @property
    def title(self) -> str:
        return self.expectation.name or f"expect[{self.index}]: {self.expectation.describe()}"

    @property
    def failures(self) -> list[Unit]:
        return [u for u in self.units if not u.passed]

    @property
    def passed(self) -> bool:
        return not self.failures

    def figure(self, unit: Unit) -> str:
        """`skew = 1.31 > max 1.2`: the measured figure against the bound it broke (or met)."""
        e = self.expectation
        shown = f"{e.metric} = {_number(unit.value)}"
        if e.max is not None and unit.value > e.max:
            return f"{shown} > max {e.max}"
        if e.min is not None and unit.value < e.min:
            return f"{shown} < min {e.min}"
        return shown


def selects(where: Where, params: dict) -> bool:
    """Whether a cell (its record or parameters) matches every selector of `where`."""
    generator = params["cell"]["input"]["generator"] if "cell" in params else params["input_generator"]
    checks = {
        "router": params["router"], "generator": generator, "input": params["input"], "M": params["M"],
        "E": params["E"], "k": params["k"], "seed": params["seed"], "row_perm": params["row_perm"],
        "strategy": params["strategy"],
    }
    for name, value in checks.items():
        wanted = getattr(where, name)
        if wanted is not None and value not in wanted:
            return False
    if where.N is not None and not (params["M"] == params["E"] and params["M"] in where.N):
        return False
    return True


def _cell_params(cell: Cell) -> dict:
    return {"router": cell.router, "input": cell.input_label, "input_generator": cell.input["generator"],
            "M": cell.M, "E": cell.E, "k": cell.k, "seed": cell.seed, "row_perm": cell.row_perm,
            "strategy": cell.strategy}


def check_selections(expectations: list[Expectation], cells: list[Cell]) -> None:
    """An expectation that selects no cell of the grid is a mistake in the config (exit 2), not a pass."""
    params = [_cell_params(c) for c in cells]
    for i, item in enumerate(expectations):
        if not any(selects(item.where, p) for p in params):
            raise InvalidInputError(
                f"expect[{i}] selects no cell of this grid (where: {item.where.describe() or 'everything'}); "
                f"check the selectors against the cells' parameters in results.csv"
            )


def evaluate(expectations: list[Expectation], records: list[dict]) -> list[Verdict]:
    """Each expectation checked on every cell (over: cell) or every setting's seeds it selects."""
    verdicts = []
    for i, item in enumerate(expectations):
        chosen = [r for r in records if selects(item.where, r)]
        if item.over == "cell":
            units = [_unit(item, record_label(r), (r["cell_id"],), _metric(r, item.metric))
                     for r in chosen]
        else:
            groups: dict[tuple, list[dict]] = {}
            for r in chosen:
                groups.setdefault(tuple(r[key] for key in SETTING_KEYS), []).append(r)
            units = []
            for rs in groups.values():
                value = AGGREGATES[item.over]([_metric(r, item.metric) for r in rs])
                seeds = ",".join(str(r["seed"]) for r in rs)
                units.append(_unit(item, f"{record_label(rs[0], with_seed=False)}, {item.over} over seeds {seeds}",
                                   tuple(r["cell_id"] for r in rs), value))
        verdicts.append(Verdict(i, item, tuple(units)))
    return verdicts


def _metric(record: dict, name: str) -> float:
    return record["timings"][name] if name in TIMING_METRICS else record[name]


def _unit(item: Expectation, label: str, cell_ids: tuple[str, ...], value: float) -> Unit:
    passed = (item.max is None or value <= item.max) and (item.min is None or value >= item.min)
    return Unit(label, cell_ids, value, passed)


def record_label(r: dict, with_seed: bool = True) -> str:
    parts = [r["router"], r["input"], f"{r['M']}×{r['E']}", f"k={r['k']}"]
    if r["row_perm"] is not None:
        parts.append(f"row_perm={str(r['row_perm']).lower()}")
    if r["strategy"] not in (None, "auto"):
        parts.append(f"strategy={r['strategy']}")
    if with_seed:
        parts.append(f"seed={r['seed']}")
    return ", ".join(parts)


def _number(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:.6g}"


def failure_lines(verdicts: list[Verdict], limit: Optional[int] = 20) -> list[str]:
    """One line per failing unit, `expect[i] ...: <cell>: skew = 1.31 > max 1.2 (cell 3e8f...)`."""
    lines = []
    for verdict in verdicts:
        failures = verdict.failures
        shown = failures if limit is None else failures[:limit]
        for unit in shown:
            lines.append(f"{verdict.title}: {unit.label}: {verdict.figure(unit)} (cell {', '.join(unit.cell_ids)})")
        if len(shown) < len(failures):
            lines.append(f"{verdict.title}: ... and {len(failures) - len(shown)} more failing")
    return lines
