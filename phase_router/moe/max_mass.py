"""The assignment of tokens to candidate experts that keeps the most weight under per-expert
capacities, solved exactly as a linear program by SciPy's HiGHS.

Variables x_p in [0, 1], one per candidate (token, expert) pair p; maximise sum_p w_p x_p subject
to sum over token i's pairs <= k (or = k) and sum over expert e's pairs <= L_e. Every variable
appears in exactly one token row and one expert row, so the constraint matrix is the incidence
matrix of a bipartite graph: totally unimodular. With integer right-hand sides every vertex of
the polytope is integral, and the simplex method returns a vertex: its optimum is an assignment,
and no assignment (no fractional one either) keeps more weight. The solution is checked to be
integral and feasible before it is returned."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._internal.optional import require
from ..errors import SolverError

INTEGRAL_TOLERANCE = 1e-6  # a vertex of this polytope is 0/1 up to the solver's rounding


def max_mass_assignment(experts: NDArray[np.int64], weights: NDArray[np.float64], k: int,
                        capacity: NDArray[np.int64], *, every_token_k: bool = False) -> tuple[NDArray[np.int32], dict[str, Any]]:
    """(routes, report) of the heaviest assignment.

    experts: M x c, each token's candidate experts (distinct in a row); weights: M x c, the
    weight of each pair; k: the most experts a token keeps (exactly k if every_token_k);
    capacity: length E, the most tokens an expert takes. routes: M x k int32, each token's
    chosen experts ascending, -1 padded. report: the optimum and the solver's account of it.
    """
    optimize = require("scipy.optimize", "scipy", "the maximum-mass assignment")
    sparse = require("scipy.sparse", "scipy", "the maximum-mass assignment")
    M, c = experts.shape  # noqa: N806
    E = int(capacity.size)  # noqa: N806
    pairs = M * c
    token_of = np.repeat(np.arange(M, dtype=np.int64), c)
    rows = np.concatenate([token_of, M + experts.reshape(-1)])
    columns = np.tile(np.arange(pairs, dtype=np.int64), 2)
    incidence = sparse.csr_array((np.ones(2 * pairs), (rows, columns)), shape=(M + E, pairs))
    token_rows, expert_rows = incidence[:M], incidence[M:]
    per_token = np.full(M, float(k))
    constraints = dict(A_eq=token_rows, b_eq=per_token, A_ub=expert_rows, b_ub=capacity.astype(np.float64)) \
        if every_token_k else \
        dict(A_ub=incidence, b_ub=np.concatenate([per_token, capacity.astype(np.float64)]))
    # linprog minimises: the negated weights. Dual simplex returns a basic (vertex) solution.
    result = optimize.linprog(-weights.reshape(-1), bounds=(0, 1), method="highs-ds", **constraints)
    if result.status != 0:
        why = ("infeasible: the capacities cannot take k experts of every token" if result.status == 2
               else " ".join(str(result.message).split()))
        raise SolverError(f"HiGHS found no optimum of the assignment: {why}")
    x = result.x
    chosen = x > 0.5
    if np.abs(x - chosen).max(initial=0.0) > INTEGRAL_TOLERANCE:
        raise SolverError("HiGHS returned a fractional vertex of a totally unimodular system")
    chosen = chosen.reshape(M, c)
    loads = np.bincount(experts[chosen], minlength=E)
    per_row = chosen.sum(axis=1)
    if np.any(loads > capacity) or np.any(per_row > k) or (every_token_k and np.any(per_row != k)):
        raise SolverError("HiGHS returned an assignment that breaks a capacity")
    routes = np.full((M, k), -1, dtype=np.int32)
    picked = np.sort(np.where(chosen, experts, np.iinfo(np.int64).max), axis=1)[:, :k]
    routes[:] = np.where(picked == np.iinfo(np.int64).max, -1, picked)
    mass = float(weights[chosen].sum())
    report = {"objective": "preference", "optimum": mass, "lp_optimum": float(-result.fun),
              "candidate_pairs": int(pairs), "solver": "HiGHS dual simplex (scipy.optimize.linprog)",
              "proof": "LP optimum of a totally unimodular system, attained by this integral vertex"}
    return routes, report
