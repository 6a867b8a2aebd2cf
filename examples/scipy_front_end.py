"""SciPy sparse matrices in, a SciPy sparse routing matrix out.

    python examples/scipy_front_end.py [--sources 5000] [--targets 800] [--k 16]

Sparse inputs: the example routes the densified matrices (``.toarray()``) and the row sums
(``S.getnnz(axis=1)``) through ``route_degrees``, and checks that both give the same routing
(only degrees matter, docs/SPEC.md). ``route`` also takes SciPy sparse matrices as they are,
reading row sums from the CSR structure without densifying; for very large sparse inputs pass
them that way or pass the row sums.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

try:  # an optional extra: without it, one line saying what to install instead of a traceback
    import scipy.sparse as sp
except ImportError:
    sys.exit("examples/scipy_front_end.py needs SciPy: pip install 'phase-router[scipy]'")

import phase_router as pr


def routes_to_csr(routes: np.ndarray, n_targets: int) -> sp.csr_matrix:
    """The routing matrix O (sources x targets), 1 where source i was routed to target j."""
    rows, slots = np.nonzero(routes >= 0)
    data = np.ones(rows.size, dtype=np.int8)
    return sp.csr_matrix((data, (rows, routes[rows, slots])), shape=(routes.shape[0], n_targets))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=5000)
    parser.add_argument("--targets", type=int, default=800)
    parser.add_argument("--k", type=int, default=16)
    args = parser.parse_args()
    M, E, k = args.sources, args.targets, args.k

    S = sp.random(M, E, density=0.2, format="csr", random_state=1, data_rvs=np.ones)
    T = sp.random(E, M, density=0.1, format="csr", random_state=2, data_rvs=np.ones)

    dense = pr.route(S.toarray().astype(bool), T.toarray().astype(bool), k, seed=3)
    by_degrees = pr.route_degrees(S.getnnz(axis=1), T.getnnz(axis=1), k, seed=3)
    assert np.array_equal(dense.routes, by_degrees.routes)  # only row sums matter

    O = routes_to_csr(by_degrees.routes, E)
    print(f"S {S.shape} nnz {S.nnz}, T {T.shape} nnz {T.nnz}")
    print(f"routing matrix O: {O.shape}, nnz {O.nnz} (fill {O.nnz / (M * k):.4f})")
    loads = np.asarray(O.sum(axis=0)).ravel()
    print(f"column loads: mean {loads.mean():.2f}, max {loads.max()}, max/mean {loads.max() / loads.mean():.3f}")
    assert np.array_equal(loads, by_degrees.column_loads)
    assert O.getnnz(axis=1).max() <= k


if __name__ == "__main__":
    main()
