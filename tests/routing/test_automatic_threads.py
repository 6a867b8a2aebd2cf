"""threads=None or 0 is automatic: a call of fewer than SMALL_CALL_ROWS rows runs on one thread
(its work is microseconds; a descheduled second thread would make it wait a scheduler quantum),
a larger one on every core (0, OpenMP's default, so OMP_NUM_THREADS still holds); a count given
is kept. The routes are the same whatever the count."""

from __future__ import annotations

import numpy as np
import pytest

import phase_router as pr
from phase_router._internal.threads import SMALL_CALL_ROWS, threads_for
from phase_router.routing import router as router_module


def test_the_rule() -> None:
    assert threads_for(1, 0) == threads_for(SMALL_CALL_ROWS - 1, 0) == 1
    assert threads_for(SMALL_CALL_ROWS, 0) == threads_for(10**7, 0) == 0
    assert threads_for(5, 3) == 3 and threads_for(10**7, 1) == 1


@pytest.mark.parametrize("select", ["random", "balanced"])
@pytest.mark.parametrize("M", [300, SMALL_CALL_ROWS + 5])
def test_the_kernel_gets_the_automatic_count_and_the_same_routes(monkeypatch, select: str, M: int) -> None:  # noqa: N803
    rng = np.random.default_rng(M)
    s, t = rng.integers(0, 41, M), rng.integers(0, M + 1, 40)
    seen = []
    real = router_module.select_rows

    def spy(policy, router, start, stop, out, threads):
        seen.append(threads)
        return real(policy, router, start, stop, out, threads)

    monkeypatch.setattr(router_module, "select_rows", spy)
    automatic = pr.route_degrees(s, t, 4, seed=2, select=select).routes
    assert seen == [1 if M < SMALL_CALL_ROWS else 0]
    for threads in (1, 2):
        assert np.array_equal(pr.route_degrees(s, t, 4, seed=2, select=select, threads=threads).routes, automatic)
    assert seen[1:] == [1, 2]
