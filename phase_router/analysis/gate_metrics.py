"""What the MoE evaluation measures of one router's decision on one batch (docs/MOE.md):

- dropped_assignments: sum over tokens of max(0, k - experts it kept), over M k: the share of
  the k slots per token left empty (a token that Expert Choice gives more than k experts makes
  up for no other token);
- dropped_tokens: the share of tokens that kept no expert at all;
- max_over_mean: the largest load the router sent an expert over the mean sent load (before a
  capacity dropped anything: how far it overloads);
- variance_over_mu2: the variance of the sent loads over the squared mean, the c1 of the
  original system's claim Var(L) = c1 mu^2;
- kept_mass: the gate mass of the kept pairs over what unconstrained top-k keeps (it can exceed
  1 when a router gives some tokens more than k experts)."""

from __future__ import annotations

import numpy as np

from .gate_routers.batch import Decision, GateBatch

METRICS = ("dropped_assignments", "dropped_tokens", "max_over_mean", "variance_over_mu2", "kept_mass")


def decision_metrics(batch: GateBatch, decision: Decision) -> dict[str, float]:
    per_token = np.bincount(decision.tokens, minlength=batch.M)
    shortfall = np.maximum(batch.k - per_token, 0).sum()
    sent = decision.sent.astype(np.float64)
    mean = sent.mean()
    best = batch.topk_mass
    kept = float(batch.scores[decision.tokens, decision.experts].sum())
    return {
        "dropped_assignments": float(shortfall / (batch.M * batch.k)),
        "dropped_tokens": float(np.mean(per_token == 0)),
        "max_over_mean": float(sent.max() / mean) if mean > 0 else 0.0,
        "variance_over_mu2": float(sent.var() / mean**2) if mean > 0 else 0.0,
        "kept_mass": kept / best if best > 0 else 1.0,
    }
