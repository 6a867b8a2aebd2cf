"""The MoE evaluation's metrics on decisions small enough to count by hand."""

from __future__ import annotations

import numpy as np
import pytest

from phase_router.analysis.gate_metrics import decision_metrics
from phase_router.analysis.gate_routers.batch import Decision, GateBatch


def test_metrics_of_a_hand_made_decision() -> None:
    scores = np.array([[0.6, 0.3, 0.1], [0.5, 0.4, 0.1], [0.2, 0.2, 0.6], [0.1, 0.1, 0.8]])
    batch = GateBatch(np.log(scores), scores, 2, 1.0)
    # token 0 keeps 2 experts, token 1 one, token 2 none, token 3 three (more than k)
    tokens = np.array([0, 0, 1, 3, 3, 3])
    experts = np.array([0, 1, 0, 0, 1, 2])
    sent = np.array([4, 3, 1])
    got = decision_metrics(batch, Decision(tokens, experts, sent))
    assert got["dropped_assignments"] == pytest.approx((0 + 1 + 2 + 0) / 8)
    assert got["dropped_tokens"] == pytest.approx(1 / 4)
    assert got["max_over_mean"] == pytest.approx(4 / (8 / 3))
    assert got["variance_over_mu2"] == pytest.approx(np.var([4, 3, 1]) / (8 / 3) ** 2)
    top2 = 0.9 + 0.9 + 0.8 + 0.9
    assert got["kept_mass"] == pytest.approx((0.6 + 0.3 + 0.5 + 0.1 + 0.1 + 0.8) / top2)
