"""Peak memory of `sweep`, from the loaded config before the grid is expanded: the cell count is
a product of list lengths (computed, never enumerated), every cell keeps its Cell, record and
journal line, and `--jobs` cells route at once, each holding the largest cell's routing."""

from __future__ import annotations

from .route import router_state_bytes

CELL_BYTES = 6000  # a Cell, its record dicts (results.json, summary) and journal line, as Python objects


def grid_size(config, base_dir) -> tuple[int, int, int, int]:
    """(cells, largest M, largest E, largest k) of a config, without expanding it."""
    from ...io.shape import matrix_file_shape
    from ...sweep.config import FileInput, resolve

    if isinstance(config.seeds, int):
        seeds = config.seeds
    elif isinstance(config.seeds, list):
        seeds = len(config.seeds)
    else:
        stop = config.seeds.stop if config.seeds.stop is not None else config.seeds.start + config.seeds.count
        seeds = stop - config.seeds.start
    per_input, M, E = 0, 1, 1  # noqa: N806
    for spec in config.inputs:
        if isinstance(spec, FileInput):
            rows, cols = matrix_file_shape(resolve(spec.S, base=base_dir))
            shapes = [(rows, cols)]
            combos = 1
        else:
            shapes = [shape.dims for shape in config.shapes]
            combos = 1
            for name in type(spec).model_fields:
                if name != "generator":
                    combos *= len(getattr(spec, name))
        per_input += combos * len(shapes)
        for rows, cols in shapes:
            M, E = max(M, rows), max(E, cols)  # noqa: N806
    options = len(set(config.options.row_perm)) * len(set(config.options.strategy))
    cells = len(config.routers) * per_input * len(config.k) * options * seeds
    return cells, M, E, max(config.k)


def sweep_parts(cells: int, M: int, E: int, k: int, jobs: int) -> dict[str, int]:  # noqa: N803
    """Each running cell: its degrees, the router's state and up to three M x k int32 arrays
    (the routes, a repetition's routes to compare, the digest's bytes)."""
    cell = 16 * (M + E) + router_state_bytes(M, E) + 3 * 4 * M * k
    return {"cells' records": cells * CELL_BYTES, "running cells": jobs * cell}
