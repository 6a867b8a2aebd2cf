"""Routes to a mixture-of-experts dispatch, and back (docs/MOE.md).

Sources are tokens (M) and targets are experts (E): ``routes[i]`` lists token i's experts.
``dispatch`` turns that into the per-expert view an MoE layer needs, in CSR form: expert e's
tokens are ``indices[indptr[e]:indptr[e + 1]]`` (ascending token ids), and ``slots[i, j]`` is
where route (i, routes[i, j]) sits in its expert's list. With a capacity, each expert keeps its
``capacity`` lowest token ids and drops the rest; the dropped (token, expert) pairs are reported.
``combine`` sums the expert outputs back per token, in slot order j = 0 .. k-1.

    >>> import numpy as np, phase_router as pr
    >>> from phase_router import moe
    >>> r = pr.route_degrees(np.full(6, 2), np.full(3, 4), k=2, seed=1)
    >>> d = moe.dispatch(r, 3)
    >>> int(d.indptr[-1]) == int((r.routes >= 0).sum())
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Union

import numpy as np
from numpy.typing import NDArray

from .._internal.scalars import check_count
from .._internal.vectors import as_array
from ..errors import InvalidInputError, ShapeMismatchError
from ..routing.api import Routing

__all__ = ["Dispatch", "combine", "dispatch"]


@dataclass(frozen=True)
class Dispatch:
    """Per-expert view of a routing (all index arrays int64).

    indptr: (E + 1,); expert e's tokens are indices[indptr[e]:indptr[e + 1]].
    indices: (kept routes,) token ids, expert-major, ascending within an expert.
    slots: (M, k); slots[i, j] is route (i, routes[i, j])'s position in its expert's list, or -1
        for padding and for dropped routes.
    positions: (M, k); indptr[routes[i, j]] + slots[i, j], the route's row in the expert-major
        buffer (``gather(x)`` and the expert outputs), or -1.
    dropped: (D, 2) (token, expert) pairs beyond their expert's capacity, expert-major, tokens
        ascending. capacity: (E,) the capacity applied, or None.
    """

    indptr: NDArray[np.int64]
    indices: NDArray[np.int64]
    slots: NDArray[np.int64]
    positions: NDArray[np.int64]
    dropped: NDArray[np.int64]
    E: int
    capacity: Optional[NDArray[np.int64]]

    @property
    def counts(self) -> NDArray[np.int64]:
        """Kept tokens per expert, length E."""
        return np.diff(self.indptr)

    @property
    def n_dropped(self) -> int:
        return int(self.dropped.shape[0])

    def expert_rows(self, e: int) -> slice:
        """Rows of the expert-major buffer that belong to expert e."""
        return slice(int(self.indptr[e]), int(self.indptr[e + 1]))

    def gather(self, x: Any) -> Any:
        """Token rows in dispatch order: ``x[indices]`` (NumPy array or torch tensor)."""
        return x[_index_for(x, self.indices)]


def dispatch(routing: Union[Routing, Any], E: int, capacity: Union[int, Any, None] = None) -> Dispatch:  # noqa: N803
    """Per-expert token lists of ``routing`` (a Routing, or an M x k routes array with -1 padding).

    capacity: None (keep every route), an int for every expert, or a length-E vector. Expert e
    keeps the routes of its ``capacity[e]`` lowest token ids; the others are dropped and listed
    in ``Dispatch.dropped``.
    """
    E = check_count(E, "E")
    routes = routing.routes if isinstance(routing, Routing) else as_array(routing, "routes")
    if isinstance(routing, Routing) and routing.stats.E != E:
        raise ShapeMismatchError(f"the routing has E = {routing.stats.E} targets, but E = {E} was given")
    if routes.ndim != 2 or routes.dtype.kind not in "iu":
        raise InvalidInputError(f"routes must be an M x k integer array, got a {routes.ndim}-D {routes.dtype} array")
    M, k = (int(x) for x in routes.shape)
    if routes.size and (routes.max() >= E or routes.min() < -1):
        raise InvalidInputError(f"routes must hold expert ids in [0, {E}) or -1 padding")
    caps = capacities(capacity, E)

    active = routes >= 0
    tokens = np.nonzero(active)[0].astype(np.int64)  # row-major: tokens ascending
    experts = routes[active].astype(np.int64)
    order = np.argsort(experts, kind="stable")  # expert-major, tokens stay ascending
    per_expert = np.bincount(experts, minlength=E).astype(np.int64)
    starts = np.cumsum(per_expert) - per_expert  # first sorted position of each expert
    rank = np.empty(experts.size, dtype=np.int64)
    rank[order] = np.arange(experts.size, dtype=np.int64) - starts[experts[order]]
    kept = rank < caps[experts] if caps is not None else np.ones(experts.size, dtype=bool)

    kept_counts = np.minimum(per_expert, caps) if caps is not None else per_expert
    indptr = np.zeros(E + 1, dtype=np.int64)
    np.cumsum(kept_counts, out=indptr[1:])
    sorted_kept = kept[order]
    indices = tokens[order][sorted_kept]
    dropped = np.stack([tokens[order][~sorted_kept], experts[order][~sorted_kept]], axis=1)

    slots = np.full((M, k), -1, dtype=np.int64)
    positions = np.full((M, k), -1, dtype=np.int64)
    slots[active] = np.where(kept, rank, -1)
    positions[active] = np.where(kept, indptr[experts] + rank, -1)
    return Dispatch(indptr=indptr, indices=indices, slots=slots, positions=positions,
                    dropped=dropped.reshape(-1, 2), E=E, capacity=caps)


def combine(d: Dispatch, expert_outputs: Any, weights: Any = None) -> Any:
    """Per-token sums of the expert outputs: out[i] = sum over j of weights[i, j] *
    expert_outputs[positions[i, j]] for the kept routes, added in slot order j = 0 .. k-1 (so a
    dense loop over j in the same order gives the same bits). expert_outputs has one row per
    kept route, in dispatch order (``d.indptr``); NumPy arrays and torch tensors both work.
    Tokens with no kept route get zeros."""
    if not isinstance(d, Dispatch):
        raise InvalidInputError(f"d must be the Dispatch that dispatch() returned, got {type(d).__name__}")
    if not hasattr(expert_outputs, "shape") or len(expert_outputs.shape) < 1:
        raise InvalidInputError(f"expert_outputs must be an array with one row per kept route, got "
                                f"{type(expert_outputs).__name__}")
    if weights is not None and not hasattr(weights, "shape"):
        raise InvalidInputError(f"weights must be an M x k array or None, got {type(weights).__name__}")
    total = int(d.indptr[-1])
    if int(expert_outputs.shape[0]) != total:
        raise ShapeMismatchError(f"expert_outputs has {int(expert_outputs.shape[0])} rows, but the dispatch "
                                 f"keeps {total} routes")
    M, k = d.positions.shape
    if weights is not None and tuple(weights.shape) != (M, k):
        raise ShapeMismatchError(f"weights must have shape ({M}, {k}), got {tuple(weights.shape)}")
    shape = (M, *tuple(expert_outputs.shape[1:]))
    if hasattr(expert_outputs, "new_zeros"):  # torch
        out = expert_outputs.new_zeros(shape)
    else:
        out = np.zeros(shape, dtype=np.result_type(expert_outputs, weights) if weights is not None else expert_outputs.dtype)
    trailing = (1,) * (len(shape) - 1)
    for j in range(k):
        rows = np.flatnonzero(d.positions[:, j] >= 0)
        if rows.size == 0:
            continue
        contribution = expert_outputs[_index_for(expert_outputs, d.positions[rows, j])]
        if weights is not None:
            contribution = contribution * weights[_index_for(weights, rows), j].reshape(-1, *trailing)
        index = _index_for(out, rows)
        out[index] = out[index] + contribution
    return out


def capacities(capacity: Any, E: int) -> Optional[NDArray[np.int64]]:  # noqa: N803
    if capacity is None:
        return None
    if isinstance(capacity, (int, np.integer)) and not isinstance(capacity, (bool, np.bool_)):
        return np.full(E, check_count(capacity, "capacity", minimum=0, maximum=2**62), dtype=np.int64)
    caps = as_array(capacity, "capacity")
    if caps.shape != (E,) or caps.dtype.kind not in "iu":
        raise InvalidInputError(f"capacity must be an integer or a length-{E} integer vector, got shape {caps.shape}")
    if caps.size and caps.min() < 0:
        raise InvalidInputError("capacity must be non-negative")
    return caps.astype(np.int64)


def _index_for(x: Any, index: NDArray[Any]) -> Any:
    """An index array of x's own library (torch wants tensors to index tensors)."""
    if type(x).__module__.startswith("torch"):
        import torch  # type: ignore[import-not-found, unused-ignore]

        return torch.from_numpy(np.ascontiguousarray(index, dtype=np.int64))
    return index
