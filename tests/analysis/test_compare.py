"""compare-hash like for like: the same route counts for every router, the feasible-set choice,
intervals and verdicts, and each verdict checked on fresh seeds (out of sample)."""

from __future__ import annotations

import numpy as np
import pytest

from phase_router.analysis.compare import compare
from phase_router.analysis.like_for_like import candidate_matrix, phase_counts, route
from phase_router.errors import InvalidInputError
from phase_router.inputs import degrees

ROUTERS = ("phase", "phase-greedy", "hash", "hash-weighted", "two-choice")


@pytest.mark.parametrize("feasible", ["all", "candidates"])
def test_every_router_gives_each_source_the_phase_count(feasible: str) -> None:
    s, t = degrees("uniform-1-k", 200, 150, k=16, seed=0)
    s, t = s.astype(np.uint32), t.astype(np.uint32)
    for seed in (0, 1):
        counts = phase_counts(s, t, 16, seed)
        cand = candidate_matrix(s, t, seed)
        for name in ROUTERS:
            routes = route(name, s, t, 16, seed, counts, feasible, cand)
            got = np.count_nonzero(routes >= 0, axis=1)
            limit = counts if name == "hash" else np.minimum(counts, np.count_nonzero(t) if feasible == "all"
                                                             else (cand & (t > 0)).sum(axis=1))
            assert np.array_equal(got, limit), name
            if feasible == "candidates":
                rows, cols = np.nonzero(routes >= 0)
                assert cand[rows, routes[rows, cols]].all(), name


def test_same_rule_on_the_same_candidates_is_no_significant_difference() -> None:
    """hash within the phase candidates is the phase router's own rule (a uniform r_i-subset of
    C_i): the verdict must not call a difference."""
    s, t = degrees("uniform", 256, 256, k=16, seed=0)
    report = compare(s, t, 16, range(20), ("phase", "hash"), feasible="candidates")
    for v in report["verdicts"]:
        assert v["against"]["hash"]["outcome"] == "no significant difference"


def test_verdicts_hold_on_fresh_seeds() -> None:
    """Every significant verdict fitted on 15 seeds keeps its sign on 30 fresh seeds."""
    s, t = degrees("adversarial", 512, 512, k=32, seed=0)
    fit = compare(s, t, 32, range(15), ROUTERS)
    fresh = compare(s, t, 32, range(1000, 1030), ROUTERS)
    called = 0
    for v in fit["verdicts"]:
        for name, d in v["against"].items():
            if d["significant"]:
                called += 1
                later = np.mean(np.subtract(fresh["per_seed"]["phase"][v["metric"]], fresh["per_seed"][name][v["metric"]]))
                assert np.sign(later) == np.sign(d["mean"]), (v["metric"], name)
    assert called >= 2  # two-choice at least is clearly better, hash clearly worse relative to t_j


def test_percentiles_only_where_the_seeds_support_them() -> None:
    s, t = degrees("uniform", 128, 128, k=8, seed=0)
    row = compare(s, t, 8, range(20), ("phase",))["routers"]["phase"]
    assert "max_over_mean_p50" in row and "max_over_mean_p90" not in row and "max_over_mean_p99" not in row
    assert row["max_over_mean_ci"][0] <= row["max_over_mean"] <= row["max_over_mean_ci"][1]
    with pytest.raises(InvalidInputError):
        compare(s, t, 8, range(2), ("phase",), feasible="everything")
