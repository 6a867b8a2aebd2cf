"""The smallest achievable maximum column load on a candidate graph: the yardstick of the
selection policies (docs/BASELINES.md, "Balanced selection against the optimum").

Every source i keeps r_i = min(k, c_i) of its candidates. Keeping them with every column load <= L
is feasible iff the max-flow of source -> row i (capacity r_i) -> candidate j (capacity 1) ->
target j (capacity L) -> sink saturates sum(r_i); the optimum is the smallest such L, found by
binary search with SciPy's Dinic (scipy.sparse.csgraph.maximum_flow)."""

from __future__ import annotations

import numpy as np

from .._internal.optional import require


def optimum_max_load(candidates: np.ndarray, k: int, E: int, *, feasible_at: int | None = None) -> int:
    """candidates: M x w int array, each row's candidate targets followed by -1 (for example
    ``route_degrees(s, t, E).routes``, which keeps every candidate). feasible_at: a load known to
    be feasible (e.g. a policy's maximum), which narrows the search."""
    csgraph = require("scipy.sparse.csgraph", "test", "the exact optimum of the maximum load")
    sparse = require("scipy.sparse", "test", "the exact optimum of the maximum load")
    candidates = np.asarray(candidates)
    M = candidates.shape[0]
    mask = candidates >= 0
    rows, cols = np.nonzero(mask)
    r = np.minimum(mask.sum(axis=1), k).astype(np.int64)
    need = int(r.sum())
    if need == 0:
        return 0
    targets = candidates[rows, cols].astype(np.int64)
    src, sink, n = M + E, M + E + 1, M + E + 2
    tail = np.concatenate([np.full(M, src), rows, M + np.arange(E)])
    head = np.concatenate([np.arange(M), M + targets, np.full(E, sink)])

    def feasible(L: int) -> bool:
        cap = np.concatenate([r, np.ones(rows.size, dtype=np.int64), np.full(E, L)]).astype(np.int32)
        graph = sparse.csr_matrix((cap, (tail, head)), shape=(n, n))
        return csgraph.maximum_flow(graph, src, sink, method="dinic").flow_value == need

    in_degree = np.bincount(targets, minlength=E)
    lo = -(-need // max(1, int(np.count_nonzero(in_degree)))) - 1  # infeasible: below the average
    hi = int(feasible_at) if feasible_at is not None else int(in_degree.max())
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if feasible(mid):
            hi = mid
        else:
            lo = mid
    return hi
