"""threads=None or 0 is automatic: a call whose estimated work on one thread is under
SMALL_CALL_NS runs on one thread (a descheduled second thread would make it wait a scheduler
quantum), a larger one on every core (0, OpenMP's default, so OMP_NUM_THREADS still holds); a
count given is kept. The routes are the same whatever the count."""

from __future__ import annotations

import numpy as np
import pytest

import phase_router as pr
from phase_router._internal.threads import ROUTE_NS, ROW_NS, SMALL_CALL_NS, threads_for
from phase_router.routing import router as router_module

SMALL_ROWS_AT_K4 = SMALL_CALL_NS // (ROW_NS + 4 * ROUTE_NS)  # the first row count that is not small at k = 4
SMALL_ROWS_AT_K64 = SMALL_CALL_NS // (ROW_NS + 64 * ROUTE_NS)


def test_the_rule() -> None:
    assert threads_for(1, 1, 0) == threads_for(SMALL_ROWS_AT_K4 - 1, 4, 0) == 1
    assert threads_for(SMALL_ROWS_AT_K4 + 1, 4, 0) == threads_for(10**7, 1, 0) == 0
    assert threads_for(256, 64, 0) == 1 and threads_for(4096, 512, 0) == 0  # k counts: 4096 x 512 is ~4 ms
    assert threads_for(5, 4, 3) == 3 and threads_for(10**7, 4, 1) == 1


@pytest.mark.parametrize("select", ["random", "balanced"])
@pytest.mark.parametrize("M", [300, SMALL_ROWS_AT_K64 + 5])
def test_the_kernel_gets_the_automatic_count_and_the_same_routes(monkeypatch, select: str, M: int) -> None:  # noqa: N803
    rng = np.random.default_rng(M)
    s, t = rng.integers(0, 81, M), rng.integers(0, M + 1, 80)
    seen = []
    real = router_module.select_rows

    def spy(policy, router, start, stop, out, threads):
        seen.append(threads)
        return real(policy, router, start, stop, out, threads)

    monkeypatch.setattr(router_module, "select_rows", spy)
    automatic = pr.route_degrees(s, t, 64, seed=2, select=select).routes
    assert seen == [1 if M < SMALL_ROWS_AT_K64 else 0]
    for threads in (1, 2):
        assert np.array_equal(pr.route_degrees(s, t, 64, seed=2, select=select, threads=threads).routes, automatic)
    assert seen[1:] == [1, 2]
