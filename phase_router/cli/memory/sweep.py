"""Peak memory of `sweep`, from the loaded config before the grid is expanded: the cell count is
a product of list lengths (computed, never enumerated), every cell keeps its Cell, record and
journal line, and `--jobs` cells route at once, each holding the largest cell's routing."""

from __future__ import annotations

from .route import router_state_bytes

CELL_BYTES = 6000  # a Cell, its record dicts (results.json, summary) and journal line, as Python objects


def grid_size(config, base_dir) -> tuple[int, int, int, int]:
    """(cells, largest M, largest E, largest k) of a config, without expanding it; the cell count
    is the grid's own bound (sweep.grid.check_grid_size, which also refuses an absurd grid)."""
    from ...io.shape import matrix_file_shape
    from ...sweep.config import FileInput, resolve
    from ...sweep.grid import check_grid_size

    M, E = 1, 1  # noqa: N806
    for spec in config.inputs:
        shapes = ([matrix_file_shape(resolve(spec.S, base=base_dir))] if isinstance(spec, FileInput)
                  else [shape.dims for shape in config.shapes])
        for rows, cols in shapes:
            M, E = max(M, rows), max(E, cols)  # noqa: N806
    return check_grid_size(config), M, E, max(config.k)


def sweep_parts(cells: int, M: int, E: int, k: int, jobs: int) -> dict[str, int]:  # noqa: N803
    """Each running cell: its degrees, the router's state and up to three M x k int32 arrays
    (the routes, a repetition's routes to compare, the digest's bytes)."""
    cell = 16 * (M + E) + router_state_bytes(M, E) + 3 * 4 * M * k
    return {"cells' records": cells * CELL_BYTES, "running cells": jobs * cell}
