"""Regenerate the sample inputs: python samples/make_samples.py (from the repository root).

Bits come from SplitMix64 (phase_router._random), so the files are the same on every machine.
  S.pbm, T.pbm          N = 256, density 0.5 (P4, raw)
  rect_S.npy, rect_T.npy M = 300 sources x E = 40 targets, density 0.3 (uint8 NPY)
  bands_S.pbm, bands_T.pbm  N = 128, contiguous bands of width 1..32 (P1, plain text): the
                        structured input the phase mixing is meant to decorrelate
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from phase_router import io
from phase_router._internal.random import splitmix_array

HERE = Path(__file__).resolve().parent


def uniform_bits(key: int, rows: int, cols: int, density: float) -> np.ndarray:
    draws = splitmix_array(key, np.arange(rows * cols, dtype=np.uint64)) >> np.uint64(11)
    return (draws.astype(np.float64) / 2.0**53 < density).reshape(rows, cols)


def bands(n: int) -> np.ndarray:
    """Row i: ones in columns [i, i + w_i) with w_i = 1 + (i mod 32), clipped at the edge."""
    cols = np.arange(n)[None, :]
    rows = np.arange(n)[:, None]
    return (cols >= rows) & (cols < rows + 1 + rows % 32)


def main() -> None:
    io.write_pbm(HERE / "S.pbm", uniform_bits(1, 256, 256, 0.5))
    io.write_pbm(HERE / "T.pbm", uniform_bits(2, 256, 256, 0.5))
    np.save(HERE / "rect_S.npy", uniform_bits(3, 300, 40, 0.3).astype(np.uint8))
    np.save(HERE / "rect_T.npy", uniform_bits(4, 40, 300, 0.3).astype(np.uint8))
    io.write_pbm(HERE / "bands_S.pbm", bands(128), plain=True)
    io.write_pbm(HERE / "bands_T.pbm", bands(128)[::-1], plain=True)


if __name__ == "__main__":
    main()
