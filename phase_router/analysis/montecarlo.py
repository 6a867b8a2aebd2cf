"""Seed-averaged statistics: column loads over many seeds against docs/SPEC.md's theory.

Seeds run on a thread pool; each kernel call releases the GIL and uses one thread, so seeds are
the unit of parallelism (one routing at N = 1024 is far too small to split further).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from .. import _core
from .._internal.memory import check_fits
from .._internal.routes import check_output_fits
from .._internal.scalars import check_count
from .._internal.seeds import check_ks, check_seeds
from .._internal.threads import check_workers
from .._internal.vectors import check_degrees
from ..errors import InvalidInputError
from .routers import DEFAULT_ROUTER, as_degrees, router


def run_seeds(s, t, k: int, seeds, *, router_name: str = DEFAULT_ROUTER, workers: int | None = None):
    """(loads[seed, j], active[seed]) for each seed; s, t validated degrees."""
    fn = router(router_name)
    s, t = as_degrees(s, t)
    k = check_count(k, "k")
    seeds = check_seeds(seeds)
    workers = check_workers(workers)
    E = int(t.size)
    check_output_fits(int(s.size), k)
    check_fits(len(seeds) * E * 8, f"the loads of {len(seeds)} seeds x E={E} targets", "use fewer seeds")

    def one(seed: int):
        routes = fn(s, t, k, seed, 1)
        active, _, loads = _core.route_summary(routes, E, 1)
        return loads, int(active)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(one, seeds))
    return np.stack([r[0] for r in results]), np.array([r[1] for r in results])


def expected_candidates(s, t) -> np.ndarray:
    """E[c_i] = s_i * sum(t) / (M E) (SPEC, Theory)."""
    s, t = (x.astype(np.float64) for x in as_degrees(s, t))
    return s * t.sum() / (s.size * t.size)


def ideal_loads(s, t, k: int) -> np.ndarray:
    """Expected load per target with the cap, plug-in approximation of the spec's theory:
    E[L_j] = sum_i P(j in C_i) E[min(1, k / c_i) | j in C_i] ~ t_j / (M E) * sum_i s_i min(1, k / E[c_i]).
    Exact without a cap (every E[c_i] <= k... and c_i <= k) and when c_i concentrates above k."""
    s, t = (x.astype(np.float64) for x in as_degrees(s, t))
    k = check_count(k, "k")
    mu = expected_candidates(s, t)
    keep = np.where(mu > k, k / np.maximum(mu, 1e-300), 1.0)
    return t * float((s * keep).sum()) / (s.size * t.size)


def naive_loads(t, M: int, k: int) -> np.ndarray:
    """The naive k * M * t_j / sum(t): every row routes exactly k, spread in proportion to t_j.
    Right only when every row has at least k candidates."""
    t = check_degrees(t, "t").astype(np.float64)
    M, k = check_count(M, "M"), check_count(k, "k")
    total = t.sum()
    return np.zeros_like(t) if total == 0 else k * M * t / total


@dataclass(frozen=True)
class MonteCarloStats:
    router: str
    k: int
    seeds: int
    mean: np.ndarray  # per column, over seeds
    std: np.ndarray
    p95: np.ndarray
    max: np.ndarray
    ideal: np.ndarray  # theory with the cap (ideal_loads)
    naive: np.ndarray  # k M t_j / sum t, labelled naive
    bias: np.ndarray  # mean - ideal
    relative_error: float  # |mean - ideal| summed / ideal summed
    global_skew: float  # max(mean load) / mean(mean load)
    temporal_skew: np.ndarray  # per column: max over seeds / mean over seeds (0 where never loaded)
    fill_mean: float

    def to_dict(self) -> dict:
        def short(x):
            return {"min": float(x.min()), "mean": float(x.mean()), "max": float(x.max())}
        return {
            "router": self.router, "k": self.k, "seeds": self.seeds,
            "mean_load": short(self.mean), "std_load": short(self.std), "p95_load": short(self.p95),
            "max_load": short(self.max), "ideal_load": short(self.ideal), "naive_load": short(self.naive),
            "bias": short(self.bias), "relative_error": self.relative_error, "global_skew": self.global_skew,
            "temporal_skew": short(self.temporal_skew), "fill_mean": self.fill_mean,
        }


def monte_carlo_stats(s, t, k: int, seeds=range(100), *, router_name: str = DEFAULT_ROUTER,
                      workers: int | None = None) -> MonteCarloStats:
    """Per-column load statistics over seeds, with the theory beside them."""
    s, t = as_degrees(s, t)
    k = check_count(k, "k")
    loads, active = run_seeds(s, t, k, seeds, router_name=router_name, workers=workers)
    mean = loads.mean(axis=0)
    ideal = ideal_loads(s, t, k)
    overall = float(mean.mean())
    with np.errstate(invalid="ignore", divide="ignore"):
        temporal = np.where(mean > 0, loads.max(axis=0) / mean, 0.0)
    return MonteCarloStats(
        router=router_name, k=k, seeds=int(loads.shape[0]),
        mean=mean, std=loads.std(axis=0), p95=np.percentile(loads, 95, axis=0), max=loads.max(axis=0).astype(float),
        ideal=ideal, naive=naive_loads(t, int(s.size), k), bias=mean - ideal,
        relative_error=float(np.abs(mean - ideal).sum() / ideal.sum()) if ideal.sum() > 0 else 0.0,
        global_skew=float(mean.max() / overall) if overall > 0 else 0.0,
        temporal_skew=temporal,
        fill_mean=float(active.mean() / (s.size * k)),
    )


def analyze_distribution(s, t, ks, seeds=range(10), *, workers: int | None = None) -> dict:
    """Candidate counts per row, theory E[c_i] against the seed average, and for each k the
    routes per row: empirical mean of min(k, c_i) against min(k, E[c_i]) (an upper bound, by
    Jensen). Candidates are the routes at k = E (nothing dropped)."""
    s, t = as_degrees(s, t)
    E = int(t.size)
    seeds = check_seeds(seeds)
    workers = check_workers(workers)
    ks = check_ks(ks)
    check_output_fits(int(s.size), E)
    phase = router("phase")

    def counts(seed: int) -> np.ndarray:
        return np.count_nonzero(phase(s, t, E, seed, 1) >= 0, axis=1)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        c = np.stack(list(pool.map(counts, seeds)))
    theory = expected_candidates(s, t)
    per_k = []
    for k in ks:
        k = check_count(k, "k")
        per_k.append({
            "k": k,
            "routes_per_row_empirical": float(np.minimum(c, k).mean()),
            "routes_per_row_theory_bound": float(np.minimum(theory, k).mean()),
            "fill_empirical": float(np.minimum(c, k).mean() / k),
            "rows_under_k_empirical": float((c < k).mean()),
        })
    return {
        "candidates_theory": theory,
        "candidates_empirical": c.mean(axis=0),
        "candidates_mean_theory": float(theory.mean()),
        "candidates_mean_empirical": float(c.mean()),
        "per_k": per_k,
    }
