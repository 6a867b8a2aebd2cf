"""Generators with a fixed pattern (no randomness): bands, block-diagonal, diagonal, checkerboard
and boundary. Each defines its matrix row by row, and its degrees are that pattern's row sums."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .generators import BLOCKS, WIDTH, Generator, Realised, Shape, register

# (rows, cols, first, last, params, k) -> rows [first, last) of one side's pattern, bool
Pattern = Callable[[int, int, int, int, dict, int], np.ndarray]


def _pattern_generator(name: str, summary: str, pattern: Pattern, params: dict | None = None, *,
                       uses_k: bool = False, reverse_T: bool = False, aliases: tuple[str, ...] = ()) -> Generator:
    """S is the pattern on M x E; T the pattern on E x M (rows in reverse order if reverse_T)."""

    def rows(r: Realised, side: str, first: int, last: int) -> np.ndarray:
        p = r.shape
        if side == "S":
            return pattern(p.M, p.E, first, last, p.params, p.k)
        if not reverse_T:
            return pattern(p.E, p.M, first, last, p.params, p.k)
        return pattern(p.E, p.M, p.E - last, p.E - first, p.params, p.k)[::-1]

    def degrees(p: Shape):
        def side(rows_: int, cols: int) -> np.ndarray:
            out = np.empty(rows_, dtype=np.uint32)
            step = max(1, 2**22 // cols)
            for a in range(0, rows_, step):
                b = min(rows_, a + step)
                out[a:b] = np.count_nonzero(pattern(rows_, cols, a, b, p.params, p.k), axis=1)
            return out
        t = side(p.E, p.M)
        return side(p.M, p.E), (t[::-1].copy() if reverse_T else t)

    return register(Generator(name, summary, degrees, params or {}, uses_k=uses_k, aliases=aliases, rows=rows))


def _row_index(first: int, last: int) -> np.ndarray:
    return np.arange(first, last, dtype=np.int64)[:, None]


def _bands(rows: int, cols: int, first: int, last: int, params: dict, k: int) -> np.ndarray:
    """Row r: ones in [b_r, b_r + w_r) clipped at the edge, b_r = floor(r cols / rows) and
    w_r = 1 + (r mod width): contiguous bands down the diagonal (samples/bands_*.pbm)."""
    r = _row_index(first, last)
    start = r * cols // rows
    c = np.arange(cols, dtype=np.int64)[None, :]
    return (c >= start) & (c < start + 1 + r % params["width"])


def _block_diagonal(rows: int, cols: int, first: int, last: int, params: dict, k: int) -> np.ndarray:
    """Entry (r, c) is 1 iff r and c fall in the same of `blocks` equal blocks."""
    blocks = params["blocks"]
    return (_row_index(first, last) * blocks // rows) == (np.arange(cols, dtype=np.int64)[None, :] * blocks // cols)


def _diagonal(rows: int, cols: int, first: int, last: int, params: dict, k: int) -> np.ndarray:
    return (_row_index(first, last) % cols) == np.arange(cols, dtype=np.int64)[None, :]


def _checkerboard(rows: int, cols: int, first: int, last: int, params: dict, k: int) -> np.ndarray:
    return (_row_index(first, last) + np.arange(cols, dtype=np.int64)[None, :]) % 2 == 0


def _boundary(rows: int, cols: int, first: int, last: int, params: dict, k: int) -> np.ndarray:
    """Ones in the last min(k, cols) columns of every row: the arcs meet at the ring boundary."""
    return np.broadcast_to(np.arange(cols)[None, :] >= cols - min(k, cols), (last - first, cols)).copy()


_pattern_generator("bands", "contiguous diagonal bands of width 1..width; T's rows in reverse order", _bands,
                   {"width": WIDTH}, reverse_T=True)
_pattern_generator("block-diagonal", "ones where row and column fall in the same of `blocks` blocks",
                   _block_diagonal, {"blocks": BLOCKS}, aliases=("block_diagonal",))
_pattern_generator("diagonal", "one 1 per row, at column r mod width", _diagonal)
_pattern_generator("checkerboard", "ones where row + column is even", _checkerboard)
_pattern_generator("boundary", "ones in the last k columns of every row", _boundary, uses_k=True)
