"""What a selection policy is, as the rest of the package sees it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..router import Router

# (router, start, stop, out, threads) -> routes of rows [start, stop); out is None or a
# (stop - start) x k int32 C-contiguous buffer to write into.
SelectRows = Callable[["Router", int, int, "np.ndarray | None", int], np.ndarray]


@dataclass(frozen=True)
class Policy:
    name: str
    summary: str
    # Row-local: a row's routes depend on its own candidates only (and the seed). Then any row
    # range is routed on its own, so chunks and Dask shards cost only their rows. A policy that is
    # not row-local routes all M rows in one pass (its `select` always gets start=0, stop=M); a
    # row range is a slice of that pass, and shards are refused with `not_row_local_because`.
    row_local: bool
    select: SelectRows
    not_row_local_because: str = ""
    # Validated options of the policy (e.g. greedy's block); the default accepts none.
    check_options: Callable[[dict], dict] = lambda options: _no_options(options)


def _no_options(options: dict) -> dict:
    if options:
        from ...errors import InvalidInputError

        raise InvalidInputError(f"this selection policy takes no options, got {', '.join(map(str, options))}")
    return {}
