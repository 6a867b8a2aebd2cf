"""The evaluation of the original system (TSltd/bitpacked_phase_router), redone: `phase-router
evaluate --out DIR [--quick]`.

One module per part: ``scaling`` (the sweep grid, plots, summary tables), ``stress`` (phase vs
hash, with the original's two-phase construction and hash router next to like-for-like
baselines), ``test_matrix`` (the ten checks, reported), ``specs`` (the machine), ``intervals``
(distribution-free intervals for verdicts), ``report`` (report.md) and ``run`` (all of it, into a
directory that appears complete or not at all)."""

from .run import evaluate

__all__ = ["evaluate"]
