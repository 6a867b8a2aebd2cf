"""select="random", the default (docs/SPEC.md step 7): each row keeps a uniformly random
min(k, c_i)-subset of its candidates, drawn from its own stream. Row-local."""

from __future__ import annotations

from ... import _core
from .policy import Policy


def _select(router, start: int, stop: int, out, threads: int):
    routes, _ = _core.select_random(router._core, router.k, router.seed, start, stop, threads, out)
    return routes


RANDOM = Policy("random", "the spec's uniform k-subset of each row's candidates (fastest)", row_local=True,
                select=_select)
