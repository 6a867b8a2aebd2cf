"""SciPy sparse and DLPack / __array__ inputs, and Routing.to_scipy / to_torch."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
import scipy.sparse as sp

import phase_router as pr
from phase_router._internal.optional import MissingExtraError


class DLPackOnly:
    """An array from some other library: only the DLPack protocol, no __array__ (the way PyTorch
    CPU tensors are read), backed here by a NumPy array."""

    def __init__(self, array: np.ndarray) -> None:
        self._array = array

    def __dlpack__(self, **kwargs):
        return self._array.__dlpack__(**kwargs)

    def __dlpack_device__(self):
        return self._array.__dlpack_device__()


class OnDevice(DLPackOnly):
    def __dlpack_device__(self):
        return (2, 0)  # kDLCUDA


def matrices(seed: int, M: int = 60, E: int = 35):
    rng = np.random.default_rng(seed)
    return rng.random((M, E)) < 0.3, rng.random((E, M)) < 0.4


@pytest.mark.parametrize("kind", ["csr_matrix", "csr_array", "csc_matrix", "coo_array", "lil_matrix", "dok_array"])
def test_scipy_sparse_inputs_route_like_dense(kind: str) -> None:
    S, T = matrices(1)
    make = getattr(sp, kind)
    expected = pr.route(S, T, 6, seed=3).routes
    got = pr.route(make(S.astype(np.int8)), make(T.astype(np.float32)), 6, seed=3)
    assert np.array_equal(got.routes, expected)


def test_sparse_duplicates_are_summed_and_explicit_zeros_not_counted() -> None:
    S, T = matrices(2)
    rows, cols = np.nonzero(S)
    # every one split into two halves listed separately, plus explicit zeros: still a 0/1 matrix
    coo = sp.coo_array((np.r_[np.full(rows.size, 0.5), np.zeros(3)], (np.r_[rows, 0, 1, 2], np.r_[cols, 0, 1, 2])),
                       shape=S.shape)
    coo = sp.coo_array((np.r_[coo.data, np.full(rows.size, 0.5)], (np.r_[coo.row, rows], np.r_[coo.col, cols])),
                       shape=S.shape)
    assert np.array_equal(pr.route(coo, T, 5, seed=1).routes, pr.route(S, T, 5, seed=1).routes)


def test_sparse_bad_value_names_its_position() -> None:
    S, T = matrices(3)
    bad = sp.csr_array(S.astype(np.int32))
    bad[4, 7] = 2
    with pytest.raises(pr.InvalidInputError, match=r"S must contain only 0 and 1, found 2 at row 4, column 7"):
        pr.route(bad, T, 3)


def test_sparse_is_never_densified() -> None:
    """A 2^20 x 2^20 sparse S (dense: 1 TiB as bool) routes from its row sums."""
    n = 2**20
    diagonal = sp.csr_array((np.ones(n, dtype=bool), np.arange(n), np.arange(n + 1)), shape=(n, n))
    r = pr.route_degrees(np.ones(n, dtype=np.int64), np.ones(n, dtype=np.int64), 1, seed=2)
    assert np.array_equal(pr.route(diagonal, diagonal, 1, seed=2).routes, r.routes)


def test_sparse_wrong_rank_or_empty_is_refused() -> None:
    S, T = matrices(4)
    with pytest.raises(pr.InvalidInputError, match="S has shape 0 x 35"):
        pr.route(sp.csr_array((0, 35)), T, 2)


def test_dlpack_only_arrays_route_like_numpy() -> None:
    S, T = matrices(5)
    s, t = S.sum(axis=1), T.sum(axis=1)
    expected = pr.route(S, T, 4, seed=9).routes
    assert np.array_equal(pr.route(DLPackOnly(S.astype(np.uint8)), DLPackOnly(T.astype(np.float64)), 4, seed=9).routes,
                          expected)
    assert np.array_equal(pr.route_degrees(DLPackOnly(s), DLPackOnly(t), 4, seed=9).routes, expected)


def test_non_cpu_dlpack_arrays_get_one_clear_line() -> None:
    S, T = matrices(6)
    with pytest.raises(pr.InvalidInputError, match=r"S is on a non-CPU device .*move it to the CPU"):
        pr.route(OnDevice(S), T, 2)


def test_to_scipy_is_the_routing_matrix() -> None:
    S, T = matrices(7, 200, 90)
    r = pr.route(S, T, 9, seed=4)
    O = r.to_scipy()
    assert isinstance(O, sp.csr_array) and O.shape == (200, 90)
    assert O.nnz == int((r.routes >= 0).sum())
    dense = np.zeros((200, 90), dtype=bool)
    rows, slots = np.nonzero(r.routes >= 0)
    dense[rows, r.routes[rows, slots]] = True
    assert np.array_equal(O.toarray(), dense)
    assert np.array_equal(O.sum(axis=0), r.column_loads)
    assert O.has_sorted_indices


@pytest.mark.skipif(importlib.util.find_spec("torch") is not None, reason="torch installed: make test-torch tests it")
def test_to_torch_without_torch_names_the_extra() -> None:
    r = pr.route_degrees([1, 1], [1, 1], 1)
    with pytest.raises(MissingExtraError, match=r"phase-router\[torch\]"):
        r.to_torch()
