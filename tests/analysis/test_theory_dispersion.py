"""docs/THEORY.md's dispersion table: candidate counts and column loads are under-dispersed
relative to Poisson (var/mean < 1), strongly so on dense inputs. 20 seeds, N = 1024, k = N."""

from __future__ import annotations

import numpy as np
import pytest

import phase_router as pr
from phase_router.inputs import degrees


def dispersion(kind: str, **params) -> tuple[float, float]:
    N = 1024
    s, t = degrees(kind, N, N, k=64, seed=0, **params)
    c, L = [], []
    for seed in range(20):
        r = pr.route_degrees(s, t, N, seed=seed, threads=1).routes
        c.append((r >= 0).sum(axis=1))
        L.append(np.bincount(r[r >= 0], minlength=N))
    c, L = np.array(c, dtype=float), np.array(L, dtype=float)
    dc = (c.var(0) / np.maximum(c.mean(0), 1e-12))[c.mean(0) > 0.5].mean()
    dL = (L.var(0) / np.maximum(L.mean(0), 1e-12))[L.mean(0) > 0.5].mean()
    return float(dc), float(dL)


def test_dense_inputs_are_strongly_under_dispersed() -> None:
    dc, dL = dispersion("uniform", density=0.5)
    assert dc < 0.35 and dL < 0.35


@pytest.mark.parametrize("kind,params", [("uniform", {"density": 0.05}), ("uniform-1-k", {})])
def test_sparse_inputs_approach_but_stay_below_poisson(kind, params) -> None:
    dc, dL = dispersion(kind, **params)
    assert 0.6 < dc < 1.0 and 0.6 < dL < 1.0
