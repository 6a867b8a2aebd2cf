"""The NumPy oracles: docs/SPEC.md (and each selection policy and baseline) followed literally.

Slow on purpose; every fast path must match them byte for byte. ``spec`` is the pipeline of
steps 1-7, ``greedy`` the greedy selection policy, ``baselines`` the hash and two-choice routers.
The spec's entry points are re-exported here: ``reference.route_degrees(s, t, k, seed)``.
"""

from .spec import Stages, matrices_from_degrees, pipeline, route, route_degrees

__all__ = ["Stages", "matrices_from_degrees", "pipeline", "route", "route_degrees"]
