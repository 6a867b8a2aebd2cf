"""A routing's statistics are computed without NumPy's Python wrappers (mean_of, add.reduce,
maximum.reduce) and without checking the routing's own vectors again per metric. Every field is
the same float, bit for bit, as the plain NumPy formulas below, on vectors small and large
(beyond NumPy's 8192-entry buffer, where a cast inside a reduction changes how it sums)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, strategies as st

from phase_router.analysis.metrics import gini, max_over_mean, relative_loads
from phase_router.routing.load_metrics import mean_of
from phase_router.routing.stats import LoadTotals, stats_from_totals

SIZES = st.sampled_from([1, 2, 3, 255, 8191, 8193, 20000])


@given(SIZES, st.sampled_from(["f8", "i8", "u4"]), st.integers(0, 2**32 - 1))
def test_mean_of_is_ndarray_mean(size: int, dtype: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = (rng.random(size) * 10.0**rng.integers(0, 12)).astype(dtype)
    assert mean_of(x) == float(x.mean()) and type(mean_of(x)) is float


def plain_fields(totals: LoadTotals, s: np.ndarray, t: np.ndarray, ring: int) -> dict:
    """The fields by the plain NumPy formulas."""
    M, E = s.size, t.size
    loads, active = totals.loads, totals.active
    mean = float(loads.mean())
    x = loads.astype(np.float64)
    x_mean = float(x.mean())
    rel = relative_loads(x, t)
    return {
        "expected_candidates_per_row": float(s.astype(np.float64).mean() * float(t.sum(dtype=np.float64)) / (ring * E)) if M else 0.0,
        "column_load_max": int(loads.max()),
        "column_load_mean": mean,
        "column_load_max_over_mean": float(loads.max() / mean) if mean > 0 else 0.0,
        "column_load_std": float(x.std()),
        "max_violation": float(x.max() / x_mean) - 1.0 if x_mean > 0 else 0.0,
        "column_load_gini": gini(x),
        "edge_density": active / (M * E) if M else 0.0,
        "candidate_density_theory": float(np.mean(s, dtype=np.float64) * np.sum(t, dtype=np.float64)) / (ring * E * E) if M else 0.0,
        "capacity_load_max": float(rel.max()) if rel.size else 0.0,
        "capacity_load_mean": float(rel.mean()) if rel.size else 0.0,
        "capacity_load_max_over_mean": max_over_mean(rel) if rel.size else 0.0,
    }


@pytest.mark.parametrize("M,E", [(256, 256), (5, 20000), (20000, 64), (0, 9), (3, 1)])
@given(seed=st.integers(0, 2**32 - 1), spread=st.integers(0, 40))
def test_every_field_is_the_plain_formula(M: int, E: int, seed: int, spread: int) -> None:  # noqa: N803
    rng = np.random.default_rng(seed)
    s = rng.integers(0, E + 1, M).astype(np.uint32)
    t = rng.integers(0, max(M, 1) + 1, E).astype(np.uint32)
    loads = rng.integers(0, 2 + spread * 1000, E) * (rng.random(E) < 0.9)
    active = int(loads.sum())
    totals = LoadTotals(loads.astype(np.int64), active, int(rng.integers(0, M + 1)), int(rng.integers(0, M + 1)))
    ring = M + int(rng.integers(0, 3))
    stats = stats_from_totals(totals, s, t, k=4, seed=1, row_perm=False, timings_ms={}, ring_M=max(ring, 1))
    got = stats.to_dict()
    for name, value in plain_fields(totals, s, t, max(ring, 1)).items():
        assert got[name] == value and type(got[name]) is type(value), name
