"""select="random", the default (docs/SPEC.md step 7): each row keeps a uniformly random
min(k, c_i)-subset of its candidates, drawn from its own stream. Row-local."""

from __future__ import annotations

from ... import _core
from .policy import Policy


def _select(router, start: int, stop: int, out, threads: int):
    return _core.select_random(router._core, router.seed, router.k, start, stop, threads, out)


RANDOM = Policy("random", "the spec's uniform k-subset of each row's candidates (fastest)", row_local=True,
                select=_select)
