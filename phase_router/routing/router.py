"""A prepared routing: steps 1-5 of docs/SPEC.md done once, any range of source rows after.

Row ranges are the unit of chunked output and of sharding: every range equals the same slice of
the full routing, whatever the strategy or thread count.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .. import _core
from .._internal.validate import (
    check_count,
    check_degree_pair,
    check_routes_buffer,
    check_seed,
    check_threads,
)
from ..errors import InvalidInputError

STRATEGIES = {"auto": 0, "dense": 1, "sparse": 2}


def check_strategy(strategy: object) -> str:
    if strategy not in STRATEGIES:
        raise InvalidInputError(f"strategy must be one of {', '.join(STRATEGIES)}, got {strategy!r}")
    return str(strategy)


def check_rows(rows: object, M: int) -> tuple[int, int]:
    """(start, stop) with 0 <= start <= stop <= M; None means all rows."""
    if rows is None:
        return 0, M
    if not isinstance(rows, (tuple, list)) or len(rows) != 2:
        raise InvalidInputError(f"rows must be a (start, stop) pair, got {rows!r}")
    start = check_count(rows[0], "rows start", minimum=0, maximum=M)
    stop = check_count(rows[1], "rows stop", minimum=start, maximum=M)
    return start, stop


class Router:
    """Degrees s (M sources, 0..E each) and t (E targets, 0..M each), prepared for routing.

    strategy: "dense" (prefix bitmaps + sweep, O(E/64) per row), "sparse" (enumerate the row's
    arc, O(s_i log s_i) per row) or "auto" (per row, by the cost model in core_cpp/ring/router.cpp).
    All three give identical routes.
    """

    def __init__(self, s, t, k: int, *, seed: int = 0, row_perm: bool = False, strategy: str = "auto") -> None:
        self.s, self.t = check_degree_pair(s, t)
        self.k = check_count(k, "k")
        self.seed = check_seed(seed)
        self.row_perm = bool(row_perm)
        self.strategy = check_strategy(strategy)
        self._core = _core.Router(self.s, self.t, self.k, self.seed, self.row_perm, STRATEGIES[self.strategy])

    @property
    def M(self) -> int:
        return int(self.s.size)

    @property
    def E(self) -> int:
        return int(self.t.size)

    @property
    def sparse_rows(self) -> int:
        """Rows the strategy routes sparsely (auto: as the cost model chose)."""
        return int(self._core.sparse_rows)

    @property
    def memory_bytes(self) -> int:
        """Bytes the prepared state holds (checkpoints, permutations, offsets, events)."""
        return int(self._core.memory_bytes)

    def route_rows(self, start: int = 0, stop: int | None = None, *, out: np.ndarray | None = None,
                   threads: int | None = None) -> np.ndarray:
        """Routes of source rows [start, stop): int32 (stop - start) x k."""
        start, stop = check_rows((start, self.M if stop is None else stop), self.M)
        if out is not None:
            check_routes_buffer(out, stop - start, self.k)
        return self._core.route_rows(start, stop, check_threads(threads), out)

    def chunks(self, rows_per_chunk: int, *, start: int = 0, stop: int | None = None,
               threads: int | None = None) -> Iterator[tuple[int, np.ndarray]]:
        """(first row, routes) for consecutive chunks of at most rows_per_chunk rows."""
        rows_per_chunk = check_count(rows_per_chunk, "rows_per_chunk")
        start, stop = check_rows((start, self.M if stop is None else stop), self.M)
        for first in range(start, stop, rows_per_chunk):
            yield first, self.route_rows(first, min(stop, first + rows_per_chunk), threads=threads)
