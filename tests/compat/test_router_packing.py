"""The original's packing helpers: pack_bits (rows of 64-bit words, bit b of word w = column
64 w + b) and left_align_rows (each row's ones moved to its first columns)."""

from __future__ import annotations

import numpy as np
import pytest

from phase_router.compat import router
from phase_router.errors import InvalidInputError

RNG = np.random.default_rng(3)


@pytest.mark.parametrize("width", [1, 7, 63, 64, 65, 128, 130])
def test_pack_bits_layout(width: int) -> None:
    matrix = (RNG.random((5, width)) < 0.5).astype(np.uint8)
    words = router.pack_bits(matrix)
    assert words.dtype == np.uint64 and words.shape == (5, -(-width // 64))
    for row in range(5):
        for column in range(words.shape[1] * 64):
            bit = (int(words[row, column // 64]) >> (column % 64)) & 1
            assert bit == (matrix[row, column] if column < width else 0), (row, column)


def test_pack_bits_of_known_rows() -> None:
    matrix = np.zeros((3, 70), dtype=bool)
    matrix[0, 0] = True
    matrix[1, 63] = True
    matrix[2, [1, 64, 69]] = True
    words = router.pack_bits(matrix)
    assert words.tolist() == [[1, 0], [2**63, 0], [2, 1 + 2**5]]


def test_left_align_rows_keeps_row_sums_and_moves_ones_first() -> None:
    matrix = (RNG.random((6, 20)) < 0.4).astype(np.int64)
    aligned = router.left_align_rows(matrix)
    assert aligned.dtype == np.uint8 and aligned.shape == matrix.shape
    for row, ones in zip(aligned, matrix.sum(axis=1)):
        assert row[:ones].all() and not row[ones:].any()


def test_aligned_words_are_the_low_bits() -> None:
    matrix = np.zeros((4, 100), np.uint8)
    for row, ones in enumerate((0, 5, 64, 100)):
        matrix[row, RNG.choice(100, ones, replace=False)] = 1
    words = router.pack_bits(router.left_align_rows(matrix))
    assert words.tolist() == [[0, 0], [31, 0], [2**64 - 1, 0], [2**64 - 1, 2**36 - 1]]


@pytest.mark.parametrize("function", [router.pack_bits, router.left_align_rows])
def test_values_other_than_zero_and_one_are_refused(function) -> None:
    """The original read them as uint8: pack_bits took any nonzero as 1 and left_align_rows
    counted a 2 as two ones. Both are refused here, in one line."""
    matrix = np.ones((3, 3), np.int32)
    matrix[1, 2] = 2
    with pytest.raises(InvalidInputError, match="row 1, column 2"):
        function(matrix)
    with pytest.raises(InvalidInputError):
        function(np.ones(3))
