"""threads=None or 0 is automatic: a call whose estimated work on one thread is under
SMALL_CALL_NS runs on one thread (a descheduled second thread would make it wait a scheduler
quantum), a larger one on every core (0, OpenMP's default, so OMP_NUM_THREADS still holds); a
count given is kept. The routes are the same whatever the count."""

from __future__ import annotations

import numpy as np
import pytest

import phase_router as pr
from phase_router import _core
from phase_router.io import read_row_degrees, write_pbm
from phase_router._internal.threads import ROUTE_NS, ROW_NS, SCAN_BYTE_NS, SMALL_CALL_NS, threads_for, threads_for_scan
from phase_router.routing import router as router_module

SMALL_ROWS_AT_K4 = SMALL_CALL_NS // (ROW_NS + 4 * ROUTE_NS)  # the first row count that is not small at k = 4
SMALL_ROWS_AT_K64 = SMALL_CALL_NS // (ROW_NS + 64 * ROUTE_NS)
SMALL_SCAN_BYTES = int(SMALL_CALL_NS / SCAN_BYTE_NS)  # the first size of a one-pass scan that is not small


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

    def spy(policy, router, start, stop, out, threads, totals=False):
        seen.append(threads)
        return real(policy, router, start, stop, out, threads, totals)

    monkeypatch.setattr(router_module, "select_rows", spy)
    automatic = pr.route_degrees(s, t, 64, seed=2, select=select).routes
    assert seen == [1 if M < SMALL_ROWS_AT_K64 else 0]
    for threads in (1, 2):
        assert np.array_equal(pr.route_degrees(s, t, 64, seed=2, select=select, threads=threads).routes, automatic)
    assert seen[1:] == [1, 2]


def test_the_rule_for_one_pass_scans() -> None:
    assert threads_for_scan(0) == threads_for_scan(SMALL_SCAN_BYTES - 1) == 1
    assert threads_for_scan(SMALL_SCAN_BYTES + 1) == threads_for_scan(10**10) == 0
    assert threads_for_scan(5, 3) == 3 and threads_for_scan(10**10, 1) == 1


def test_reading_degrees_and_summarising_routes_get_the_automatic_count(monkeypatch, tmp_path) -> None:
    """A PBM's row count and the routes' summary are one-pass kernels: one thread for a small
    input, the cores for a large one, and the same figures either way."""
    seen: dict[str, list[int]] = {"packed_row_degrees": [], "route_summary": []}
    for name in seen:
        real = getattr(_core, name)
        monkeypatch.setattr(_core, name, lambda *args, _real=real, _name=name: (seen[_name].append(args[-1]), _real(*args))[1])
    rng = np.random.default_rng(3)
    S = rng.random((256, 256)) < 0.3  # noqa: N806
    write_pbm(tmp_path / "S.pbm", S)
    degrees, _ = read_row_degrees(tmp_path / "S.pbm")
    assert np.array_equal(degrees, S.sum(axis=1)) and seen["packed_row_degrees"] == [1]
    routes = pr.route(S, S.T.copy(), 8, seed=1).routes
    loads = pr.column_loads(routes, 256)
    assert seen["route_summary"] and set(seen["route_summary"]) == {1}
    big = np.zeros((SMALL_SCAN_BYTES // (4 * 64) + 1, 64), dtype=np.int32)
    assert pr.column_loads(big, 256)[0] == big.size and seen["route_summary"][-1] == 0
    assert np.array_equal(loads, np.bincount(routes[routes >= 0], minlength=256))
