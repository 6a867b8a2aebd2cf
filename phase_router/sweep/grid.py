"""Expanding a config into cells: one cell = one routing (router, shape, input, k, seed, options).

A cell's id is a digest of exactly the parameters that determine its result, so `--resume` can
recognise finished cells even if the config was reordered or extended.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

from .config import FileInput, SweepConfig, resolve
from ..inputs.generators import GENERATORS
from ..analysis.routers import ROUTERS


@dataclass(frozen=True)
class Cell:
    router: str
    M: int
    E: int
    k: int
    seed: int
    row_perm: Optional[bool]  # None: the router does not read this option
    strategy: Optional[str]
    input: dict  # {"generator": kind, **params}; files: {"generator": "file", "S", "T"} as written
    repetitions: int = 1
    metrics: tuple[str, ...] = ()
    files: Optional[dict] = field(default=None, compare=False)  # resolved paths for file inputs

    @property
    def identity(self) -> dict:
        """The parameters that determine the routes (not how often they are timed or reported)."""
        return {"router": self.router, "M": self.M, "E": self.E, "k": self.k, "seed": self.seed,
                "row_perm": self.row_perm, "strategy": self.strategy, "input": self.input}

    @property
    def cell_id(self) -> str:
        canonical = json.dumps(self.identity, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    @property
    def input_label(self) -> str:
        params = {k: v for k, v in self.input.items() if k != "generator"}
        if self.input["generator"] == "file":
            return params.get("label") or f"file({Path(params['S']).name}, {Path(params['T']).name})"
        inside = ", ".join(f"{k}={v}" for k, v in params.items())
        return f"{self.input['generator']}({inside})" if inside else self.input["generator"]

    def to_dict(self) -> dict:
        data = asdict(self)
        data["metrics"] = list(self.metrics)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Cell":
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        fields["metrics"] = tuple(fields.get("metrics", ()))
        return cls(**fields)


def expand(config: SweepConfig, base_dir: Path) -> list[Cell]:
    """Every cell of the grid, in a fixed order: router, input, shape, k, options, seed."""
    cells: list[Cell] = []
    for router_name in config.routers:
        router = ROUTERS[router_name]
        row_perms = config.options.row_perm if "row_perm" in router.options else [None]
        strategies = config.options.strategy if "strategy" in router.options else [None]
        for spec in config.inputs:
            for input_params, (M, E), files in _inputs_with_shapes(spec, config, base_dir):
                for k in config.k:
                    if config.k_at_most_E and k > E:
                        continue
                    for row_perm, strategy, seed in itertools.product(
                        _unique(row_perms), _unique(strategies), config.seed_list
                    ):
                        cells.append(Cell(router_name, M, E, k, seed, row_perm, strategy, input_params,
                                          config.repetitions, tuple(config.metrics), files))
    return _unique(cells, key=lambda c: c.cell_id)


MAX_CELLS = 1_000_000  # a grid beyond this is a typo (e.g. seeds: 1000000 times many shapes)


def check_grid_size(config: SweepConfig) -> int:
    """An upper bound of the cell count, computed without building the cells; refused above
    MAX_CELLS, before expand() would spend minutes and gigabytes on the list."""
    from ..errors import InvalidInputError

    seeds = config.seeds
    n_seeds = (seeds.count if getattr(seeds, "count", None) is not None else seeds.stop - seeds.start) \
        if not isinstance(seeds, (int, list)) else (seeds if isinstance(seeds, int) else len(seeds))
    settings = 0
    for spec in config.inputs:
        settings += 1 if isinstance(spec, FileInput) else len(spec.expand()) * len(config.shapes)
    options = len(config.options.row_perm) * len(config.options.strategy)
    total = len(config.routers) * settings * len(config.k) * options * n_seeds
    if total > MAX_CELLS:
        raise InvalidInputError(f"the grid has up to {total:,} cells (routers x inputs x shapes x k x options x "
                                f"seeds), more than the limit {MAX_CELLS:,}; split the sweep")
    return total


def check_cells(cells: list[Cell]) -> None:
    """Every cell's parameters through the checks the routers and generators apply when the
    cell runs, so a value they refuse stops the sweep before its first cell, not in the middle."""
    from .._internal.routes import check_output_fits
    from .._internal.scalars import check_count, check_seed
    from ..inputs.generators import check_params

    checked_inputs = set()
    for cell in cells:
        check_seed(cell.seed)
        check_count(cell.M, "M"), check_count(cell.E, "E"), check_count(cell.k, "k")
        key = repr(sorted(cell.input.items()))
        if cell.input["generator"] != "file" and key not in checked_inputs:
            check_params(cell.input["generator"], {k: v for k, v in cell.input.items() if k != "generator"})
            checked_inputs.add(key)
    if cells:
        largest = max(cells, key=lambda c: c.M * c.k)
        check_output_fits(largest.M, largest.k)


def _inputs_with_shapes(spec, config: SweepConfig, base_dir: Path):
    if isinstance(spec, FileInput):
        from ..io.shape import matrix_file_shape

        files = {"S": str(resolve(spec.S, base=base_dir).resolve()),
                 "T": str(resolve(spec.T, base=base_dir).resolve())}
        params = {"generator": "file", "S": spec.S, "T": spec.T}
        if spec.label:
            params["label"] = spec.label
        yield params, matrix_file_shape(files["S"]), files
        return
    assert spec.generator in GENERATORS
    for params in spec.expand():
        for shape in config.shapes:
            yield {"generator": spec.generator, **params}, shape.dims, None


def _unique(items, key=lambda x: x):
    seen, out = set(), []
    for item in items:
        marker = key(item)
        if marker not in seen:
            seen.add(marker)
            out.append(item)
    return out
