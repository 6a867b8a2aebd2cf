"""Pinned outputs of the spec (tests/golden/routes.json, made by the reference once). Both the
reference and the kernel must keep producing them; a change here is a change of semantics."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from phase_router import _core, reference, route_degrees
from phase_router._internal import random as rnd

GOLDEN = json.loads((Path(__file__).resolve().parents[1] / "golden" / "routes.json").read_text())


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=[c["name"] for c in GOLDEN["cases"]])
def test_golden_routes(case: dict) -> None:
    expected = np.array(case["routes"], dtype=np.int32)
    args = (case["s"], case["t"], case["k"])
    assert np.array_equal(reference.route_degrees(*args, case["seed"], case["row_perm"]), expected)
    assert np.array_equal(route_degrees(*args, seed=case["seed"], row_perm=case["row_perm"]).routes, expected)


def test_golden_randomness() -> None:
    r = GOLDEN["randomness"]
    assert [rnd.splitmix(42, n) for n in range(4)] == r["splitmix_seed_42_first_4"]
    assert [_core.domain_key(42, d) for d in range(5)] == r["domain_keys_seed_42"]
    assert _core.keyed_permutation(42, 10).tolist() == r["permutation_key_42_n_10"]
    assert list(_core.sample_ranks(42, 20, 5)) == r["floyd_key_42_n_20_count_5"]


def test_worked_example_from_the_spec() -> None:
    """docs/SPEC.md's worked example: M = 3, E = 5, seed 1."""
    stages = reference.pipeline(*reference.matrices_from_degrees([3, 1, 0], [2, 3, 1, 0, 3]), 2, seed=1)
    assert stages.phase_S.tolist() == [0, 3, 4]  # cumulative s mod E = 5
    assert stages.phase_T.tolist() == [0, 2, 2, 0, 0]  # cumulative t mod M = 3: 0, 2, 5%3, 6%3, 6%3
    # Row 0 of S: arc [0, 3) on the 5-ring; shuffled column c holds rotated column pi_S[c].
    expected_row0 = np.isin(stages.columns_S, [0, 1, 2])
    assert np.array_equal(stages.S_shuffled[0], expected_row0)
    assert np.array_equal(stages.candidates, stages.S_shuffled & stages.T_shuffled.T)
