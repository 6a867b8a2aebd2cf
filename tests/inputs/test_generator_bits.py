"""The uniform generator's keyed Bernoulli bits in C++ (core_cpp/inputs/bernoulli_bits:
gen at write speed) against the NumPy formula, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from phase_router import _core
from phase_router.inputs.draws import _threshold, bernoulli_rows, bernoulli_rows_numpy


@pytest.mark.parametrize("probability", [0.0, 2**-53, 1e-6, 0.1, 0.5, 0.9999, 1.0])
@pytest.mark.parametrize("key", [0, 1, 0xDEADBEEF, 2**64 - 1])
def test_rows_match_the_numpy_formula(key, probability) -> None:
    for first, last, cols in ((0, 7, 13), (5, 9, 1000), (2**30, 2**30 + 3, 65)):  # large row offsets too
        np.testing.assert_array_equal(bernoulli_rows(key, first, last, cols, probability),
                                      bernoulli_rows_numpy(key, first, last, cols, probability))


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_parallel_blocks_match(threads) -> None:
    """Past 2^22 entries the bits are split across threads; every split gives the same bits."""
    count = 2**22 + 12345
    threshold = int(_threshold(0.3))
    bits = _core.bernoulli_bits(7, 99, count, threshold, threads)
    assert bits.dtype == bool and bits.shape == (count,)
    np.testing.assert_array_equal(bits, _numpy_bits(7, 99, count, 0.3))


def _numpy_bits(key: int, first: int, count: int, probability: float) -> np.ndarray:
    return bernoulli_rows_numpy(key, 0, 1, first + count, probability)[0, first:]
