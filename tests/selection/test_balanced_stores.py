"""select="balanced" runs phase C on one of two stores, sorted lists or row bitmaps, chosen by
memory (store=0) or forced (store=1, 2, which only the kernel takes). The store is a
representation, never a semantics: both give the reference's routes and the same report, on
every phase of the policy, every thread count, and after the bitmap store has reused memory
that other routings left behind."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, strategies as st

import phase_router as pr
from degree_cases import Case, routing_cases
from phase_router import _core
from phase_router.inputs import degrees
from phase_router.reference.balanced import route_degrees_balanced as reference_balanced

STORES = {"automatic": 0, "lists": 1, "bitmaps": 2}


def select(case: Case, store: int, rounds: int = 0, threads: int = 2) -> tuple[np.ndarray, dict]:
    router = pr.Router(case.s.astype(np.uint32), case.t.astype(np.uint32), case.k, seed=case.seed,
                       row_perm=case.row_perm, select="balanced")
    return _core.select_balanced(router._core, case.k, case.seed, 0, None, threads, None, False,
                                 rounds=rounds, store=store)


def lognormal_case(N: int, k: int, seed: int) -> Case:  # noqa: N803
    rng = np.random.default_rng([seed, N, k])
    s, t = (np.clip(np.rint(rng.lognormal(0.0, 1.0, N) * (N / 4) / np.exp(0.5)), 1, N).astype(np.int64)
            for _ in range(2))
    return Case(s, t, k, seed, False)


def kind_case(kind: str, M: int, E: int, k: int, seed: int) -> Case:  # noqa: N803
    s, t = degrees(kind, M, E, k=k, seed=seed)
    return Case(np.asarray(s), np.asarray(t), k, seed, False)


@given(routing_cases(max_dim=60), st.sampled_from([0, 1, 8]), st.sampled_from(["lists", "bitmaps"]))
def test_each_store_matches_the_reference(case: Case, rounds: int, store: str) -> None:
    routes, _ = select(case, STORES[store], rounds)
    assert np.array_equal(routes, reference_balanced(case.s, case.t, case.k, case.seed, case.row_perm, rounds))


# Shapes where phase C does each of its parts at scale: many direct moves (lognormal), sweeps that
# find many paths and a cap raised by a proof (bimodal), rows with a few spare candidates each
# (k near c_i), targets and rows that are not whole words (E, M not multiples of 64), and phase B
# moving routes before phase C (rounds 8).
LARGE = [
    ("lognormal", lambda: lognormal_case(700, 48, 3), 0),
    ("bimodal", lambda: kind_case("bimodal", 300, 300, 24, 1), 0),
    ("c_i near k", lambda: kind_case("uniform", 500, 500, 120, 2), 0),
    ("odd sizes", lambda: kind_case("uniform", 333, 201, 40, 4), 0),
    ("after phase B", lambda: kind_case("uniform", 400, 400, 48, 5), 8),
]


@pytest.mark.parametrize("name,make,rounds", LARGE, ids=[name for name, _, _ in LARGE])
def test_stores_agree_with_the_reference_at_scale(name: str, make, rounds: int) -> None:
    case = make()
    expected = reference_balanced(case.s, case.t, case.k, case.seed, False, rounds)
    reports = []
    for store in STORES.values():
        for threads in (1, 2):
            routes, report = select(case, store, rounds, threads)
            assert np.array_equal(routes, expected), (store, threads)
            reports.append(report)
    assert all(r == reports[0] for r in reports[1:])
    assert reports[0]["direct_moves"] + reports[0]["augmentations"] + reports[0]["moves"] > 0


def test_the_shapes_reach_every_part_of_phase_c() -> None:
    """Each part of phase C that the store changes is run by some shape above."""
    reports = [select(make(), STORES["bitmaps"], rounds)[1] for _, make, rounds in LARGE]
    assert any(r["direct_moves"] > 100 for r in reports)
    assert any(r["augmentations"] > 20 for r in reports)
    assert any(r["proven_optimal"] and r["sweeps"] > 1 for r in reports)
    assert any(r["moves"] > 0 for r in reports)


def test_bitmaps_left_by_other_routings_do_not_leak() -> None:
    """The bitmap store reuses memory between calls without clearing it first: a wide, dense
    routing fills that memory with set bits, then smaller ones of other shapes must still
    give the lists store's routes."""
    select(kind_case("uniform", 600, 2000, 300, 7), STORES["bitmaps"])
    for case in (kind_case("uniform", 300, 130, 40, 8), lognormal_case(500, 32, 9),
                 kind_case("bimodal", 257, 190, 20, 10)):
        for _ in range(2):
            assert np.array_equal(select(case, STORES["bitmaps"])[0], select(case, STORES["lists"])[0])


def test_automatic_choice_is_by_memory() -> None:
    """The automatic rule as the memory estimate reads it: bitmaps for small shapes and rows of
    many routes; sorted lists where bitmaps would outgrow the routes (2^20 x 1024 at k = 8)."""
    assert _core.balanced_bitmap_bytes(2048, 2048, 64) > 0
    assert _core.balanced_bitmap_bytes(1024, 1024, 16) > 0
    assert _core.balanced_bitmap_bytes(1 << 20, 1024, 8) == 0
    assert _core.balanced_bitmap_bytes(65536, 256, 8) == 0  # MoE rows of a few routes, past the caches


@pytest.mark.parametrize("store", [3, 7])
def test_unknown_store_is_refused(store: int) -> None:
    case = kind_case("uniform", 20, 20, 4, 1)
    with pytest.raises(ValueError, match="store"):
        select(case, store)
