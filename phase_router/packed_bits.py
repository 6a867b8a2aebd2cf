"""PackedBits: a 0/1 matrix held as packed bytes, eight columns to a byte, as PBM P4 rows and
np.packbits store it. The API routes it without unpacking (row degrees by popcount)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._internal.scalars import check_count
from ._internal.vectors import as_array
from .errors import InvalidInputError


@dataclass(frozen=True)
class PackedBits:
    """A binary matrix stored as ``np.packbits(matrix, axis=1)``: rows of ceil(width / 8) bytes,
    most significant bit first. ``route`` reads its row sums without unpacking it.

    Args:
        bits: uint8, rows x ceil(width / 8): the packed rows.
        width: the true number of columns; bits past it are ignored.
    """

    bits: np.ndarray
    width: int

    def __post_init__(self) -> None:
        bits = as_array(self.bits, "packed bits")
        if bits.ndim != 2:
            raise InvalidInputError(f"packed bits must be 2-D (rows x bytes), got {bits.ndim}-D")
        if bits.dtype != np.uint8:
            raise InvalidInputError(f"packed bits must be uint8, got {bits.dtype}")
        width = check_count(self.width, "width")
        if bits.shape[1] != (width + 7) // 8:
            raise InvalidInputError(
                f"packed rows have {bits.shape[1]} bytes, but width {width} needs {(width + 7) // 8}"
            )
        object.__setattr__(self, "bits", bits)
        object.__setattr__(self, "width", width)

    @property
    def shape(self) -> tuple[int, int]:
        return (int(self.bits.shape[0]), self.width)

    def unpack(self) -> np.ndarray:
        """The matrix as a bool array."""
        return np.unpackbits(self.bits, axis=1, count=self.width).astype(bool)
