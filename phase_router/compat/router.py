"""A drop-in for the compiled ``router`` module of the original system (the public repository
TSltd/bitpacked_phase_router): its functions, argument names
and defaults, routes written in place into the caller's int32 array, and its stats dict::

    from phase_router.compat import router                 # was: import router
    routes = np.empty((N, k), dtype=np.int32)
    stats = router.pack_and_route(S, T, k, routes)          # seed=0: a fresh seed every call
    stats["active_routes"], stats["routes_per_row"], stats["seed"]

The routing is this project's (docs/SPEC.md): the same construction, with portable randomness,
so a given seed gives other routes than the original gave. Seed 0 keeps the original's meaning
here and only here: a fresh seed per call, drawn from the OS, reported as stats["seed"], with an
UnreproducibleSeedWarning once per process (phase_router.route treats 0 as an ordinary seed).
Where the original took something this project derives itself (permutations, the bit positions
inside a row), the function checks it and says in its docstring what it uses and what it does
not. docs/COMPAT.md lists every difference.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from .._internal.arrays import is_scipy_sparse
from .._internal.matrix_degrees import check_matching_shapes, matrix_row_degrees, matrix_rows
from .._internal.memory import check_fits
from .._internal.scalars import check_count, check_flag
from ..errors import InvalidInputError, PhaseRouterError
from ..routing.router import Router
from .arguments import (check_dimension, check_packed_words, check_permutation, check_prefix, check_routes_array,
                        words_per_row, words_row_degrees)
from .seeds import IgnoredInputWarning, UnreproducibleSeedWarning, check_seed, resolve_seed

__all__ = ["IgnoredInputWarning", "RoutesCheckError", "UnreproducibleSeedWarning", "left_align_rows",
           "pack_and_route", "pack_bits", "phase_router_bitpacked", "route_packed_with_stats", "router"]


class RoutesCheckError(PhaseRouterError):
    """validate=True found routes that break the routing's invariants (a bug: please report it)."""


# --------------------------------------------------------------------------------------------
# Alignment and packing
# --------------------------------------------------------------------------------------------

def left_align_rows(S_np: Any, /) -> np.ndarray:
    """Step 1 of the construction: each row's ones moved to its first columns (row sums kept).

    A 0/1 matrix in (M x E; the original took only N x N), a new uint8 matrix of the same shape
    out. Values other than 0 and 1 are refused (the original, TSltd/bitpacked_phase_router,
    counted a 2 as two ones).

    Args:
        S_np: the 0/1 matrix, M x E.
    """
    degrees, (M, E) = matrix_row_degrees(S_np, "S_np")
    check_fits(M * E, f"a {M} x {E} uint8 matrix", "use a smaller matrix")
    return (np.arange(E)[None, :] < degrees.astype(np.int64)[:, None]).astype(np.uint8)


def pack_bits(M_np: Any, /) -> np.ndarray:
    """A 0/1 matrix (rows x width) as 64-bit words, the original's layout: uint64 array of shape
    (rows, ceil(width / 64)), bit b of word w holding column 64 w + b, unused high bits 0.
    Values other than 0 and 1 are refused (the original, TSltd/bitpacked_phase_router, read any
    nonzero as 1).

    Args:
        M_np: the 0/1 matrix, rows x width.
    """
    bits = _dense_bits(M_np, "M_np")
    rows, width = bits.shape
    words = words_per_row(width)
    check_fits(rows * words * 8 * 2, f"{rows} x {words} packed words", "use a smaller matrix")
    packed = np.zeros((rows, words * 8), dtype=np.uint8)
    packed[:, : (width + 7) // 8] = np.packbits(bits, axis=1, bitorder="little")
    return packed.view("<u8").astype(np.uint64)


# --------------------------------------------------------------------------------------------
# Routing
# --------------------------------------------------------------------------------------------

def pack_and_route(S_np: Any, T_np: Any, k: int, routes_np: np.ndarray, dump: bool = False, prefix: str = "dump",
                   validate: bool = False, seed: int = 0) -> dict:
    """Route the sources (rows of S_np) to the targets (rows of T_np), at most k each, writing the
    routes into routes_np in place; return the original's stats dict (the original is the
    public repository TSltd/bitpacked_phase_router).

    S_np: M x E 0/1 matrix, T_np: E x M (the original's N x N is the case M = E = N); only their
    row sums are used, as the original's own left-alignment made it. routes_np: the caller's
    writeable C-contiguous int32 array of shape (M, k); row i gets source i's targets in ascending
    order, then -1 (the original listed them in a shuffled order). Anything else is refused.
    seed: 0 (the default) draws a fresh seed per call, as the original did; any other value is
    used as given, deterministically. The seed used is stats["seed"].
    Returns {N, k, active_routes, packing_time_ms, routing_time_ms, total_time_ms, routes_per_row}
    as the original did, plus seed, M and E. packing_time_ms is the time to take the row sums
    (nothing is packed here).
    validate: also check the routes written (targets in [0, E), distinct and ascending, -1 only
    as padding, at most min(k, s_i) from source i and at most t_j into target j; RoutesCheckError
    otherwise, which would be a bug) and add total_bits_S, total_bits_T and all_bits_routed: the
    totals the original's validator compared (it printed them) and its verdict.
    dump: write every stage of the pipeline under the folder `prefix`, as ``phase-router
    dump-pbm`` does (P4 PBM files, PNG previews when Pillow is installed, stages.json, index.md);
    stats["dump_index"] names the index. Inputs above dump-pbm's size limit are routed without
    the pictures, with an IgnoredInputWarning (the original skipped them silently above N = 4096).
    """
    k = check_count(k, "k")
    dump, validate = check_flag(dump, "dump"), check_flag(validate, "validate")
    folder = check_prefix(prefix, "prefix")
    check_seed(seed, "seed")
    started = time.perf_counter()
    s, shape_S = matrix_row_degrees(S_np, "S_np")
    t, shape_T = matrix_row_degrees(T_np, "T_np")
    check_matching_shapes(shape_S, shape_T)
    packed = time.perf_counter()
    routes = check_routes_array(routes_np, shape_S[0], k, "routes_np")
    if dump:
        _check_dump_folder(folder, "prefix")
    seed_used = resolve_seed(seed)
    routing_started = time.perf_counter()
    _route_into(routes, s, t, k, seed_used)
    stats = _stats(routes, int(t.size), seed_used, (packed - started) * 1e3, routing_started)
    if validate:
        stats.update(_validation(routes, s, t, k))
    if dump:
        index = _dump(S_np, T_np, shape_S, k, folder, seed_used)
        if index is not None:
            stats["dump_index"] = index
    return stats


def route_packed_with_stats(S_bits: Any, T_bits: Any, row_perm: Any, col_perm_S: Any, col_perm_T: Any,
                            row_perm_T: Any, k: int, routes: np.ndarray, validate: bool = False,
                            debug_prefix: str = "", seed: int = 0) -> dict:
    """Route from packed words (the output of ``pack_bits``, usually of ``left_align_rows``),
    writing into `routes` in place; return the stats dict of the original
    (TSltd/bitpacked_phase_router).

    S_bits: M rows of ceil(E / 64) 64-bit words; T_bits: E rows of ceil(M / 64) words (the
    original's N x NB(N) both). Used: each row's number of ones. Not used: where the ones sit in a
    row (the construction left-aligns every row first; rows that are not left-aligned get an
    IgnoredInputWarning, since the original rotated such bits as given). Bits beyond the last
    column are refused.
    row_perm, col_perm_S, col_perm_T, row_perm_T: checked to be permutations (of M, E, M and E
    items) and then not used: the column permutations come from the seed here. The original
    shuffled whatever it was given with the seed, which gives a uniformly random permutation
    whatever was given; its released build applied no row permutation.
    k, routes, seed: as for ``pack_and_route`` (seed 0: a fresh seed per call).
    validate: as for ``pack_and_route``. debug_prefix: checked to be a string, then not used: the
    original's released build wrote nothing with it (its picture dumps were compiled out); for
    the pictures use ``pack_and_route(..., dump=True, prefix=...)`` or ``phase-router dump-pbm``.
    Returns pack_and_route's keys (packing_time_ms: counting the ones of the words)."""
    S_words = check_packed_words(S_bits, "S_bits", "M")
    T_words = check_packed_words(T_bits, "T_bits", "E")
    M, E = S_words.shape[0], T_words.shape[0]
    _check_permutations(row_perm, col_perm_S, col_perm_T, row_perm_T, M, E)
    k = check_count(k, "k")
    validate = check_flag(validate, "validate")
    check_prefix(debug_prefix, "debug_prefix")
    check_seed(seed, "seed")
    started = time.perf_counter()
    s, t = _words_degrees(S_words, T_words, M, E)
    packed = time.perf_counter()
    buffer = check_routes_array(routes, M, k, "routes")
    seed_used = resolve_seed(seed)
    routing_started = time.perf_counter()
    _route_into(buffer, s, t, k, seed_used)
    stats = _stats(buffer, E, seed_used, (packed - started) * 1e3, routing_started)
    if validate:
        stats.update(_validation(buffer, s, t, k))
    return stats


def phase_router_bitpacked(N: int, k: int, NB_words: int, S_bits: Any, T_bits: Any, row_perm: Any, col_perm_S: Any,
                           col_perm_T: Any, row_perm_T: Any, routes: np.ndarray, debug_prefix: str | None = None,
                           seed_base: int = 0) -> None:
    """The core kernel entry of the original (TSltd/bitpacked_phase_router): N x N packed words in, routes written into `routes`
    (N x k int32) in place, nothing returned.

    N and NB_words must agree with S_bits and T_bits, each N rows of NB_words = ceil(N / 64) words
    (2-D, or flat with N * NB_words words). Used: the ones per row, k and seed_base, which is
    used as given: 0 is an ordinary deterministic seed here, as it was in the original's kernel
    (only its wrappers read 0 as "from the clock").
    Not used: the four permutations. The original applied col_perm_S and col_perm_T exactly as
    given; here the column permutations always come from the seed (docs/SPEC.md), so they are
    checked to be permutations of 0..N-1 and then ignored, with an IgnoredInputWarning on every
    call. Its released build ignored row_perm and row_perm_T too. Rows that are not left-aligned
    get an IgnoredInputWarning (only their number of ones is used).
    debug_prefix: checked (None or a string), then not used, as in the original's released build."""
    N = check_count(N, "N")
    S_words = _square_words(S_bits, N, "S_bits")
    T_words = _square_words(T_bits, N, "T_bits")
    check_dimension(NB_words, "NB_words", S_words.shape[1], "the words per row of S_bits")
    _check_permutations(row_perm, col_perm_S, col_perm_T, row_perm_T, N, N)
    k = check_count(k, "k")
    check_prefix(debug_prefix, "debug_prefix")
    seed_base = check_seed(seed_base, "seed_base")
    s, t = _words_degrees(S_words, T_words, N, N)
    buffer = check_routes_array(routes, N, k, "routes")
    warnings.warn("phase_router_bitpacked ignores row_perm, col_perm_S, col_perm_T and row_perm_T: the permutations "
                  "come from seed_base here, so the routes differ from the original's for the same permutations",
                  IgnoredInputWarning, stacklevel=2)
    _route_into(buffer, s, t, k, seed_base)


def router(S: Any, T: Any, k: int, routes: np.ndarray, validate: bool = False, debug_prefix: str = "",
           seed: int = 0) -> None:
    """The plain entry (``router.router``) of the original (TSltd/bitpacked_phase_router): like ``pack_and_route`` but returning
    nothing. debug_prefix is checked (a string) and not used, as in the original's released build.

    Used: the row sums of S (M x E) and T (E x M), k and seed (0: a fresh seed per call, as the
    original did). The original's version skipped the left-alignment step and mixed the bits where
    they sat; here every row counts only by its number of ones, so a row that is not left-aligned
    gets an IgnoredInputWarning (``pack_and_route`` aligns, in both). validate=True checks the
    routes (see ``pack_and_route``); the totals it compares are not returned, as nothing is."""
    k = check_count(k, "k")
    validate = check_flag(validate, "validate")
    check_prefix(debug_prefix, "debug_prefix")
    check_seed(seed, "seed")
    s, shape_S = matrix_row_degrees(S, "S")
    t, shape_T = matrix_row_degrees(T, "T")
    check_matching_shapes(shape_S, shape_T)
    buffer = check_routes_array(routes, shape_S[0], k, "routes")
    S_bits, T_bits = _dense_bits(S, "S"), _dense_bits(T, "T")
    unaligned = [name for name, bits, degrees in (("S", S_bits, s), ("T", T_bits, t))
                 if not _rows_left_aligned(bits, degrees)]
    if unaligned:
        _warn_unaligned(" and ".join(unaligned), "router", stacklevel=3)  # -> router's caller
    seed_used = resolve_seed(seed)
    _route_into(buffer, s, t, k, seed_used)
    if validate:
        _validation(buffer, s, t, k)


# --------------------------------------------------------------------------------------------
# Shared steps
# --------------------------------------------------------------------------------------------

def _route_into(routes: np.ndarray, s: np.ndarray, t: np.ndarray, k: int, seed: int) -> None:
    """The project's routing of (s, t, k, seed), written into the caller's buffer. A prepared
    Router, not route_degrees: the original computed no load statistics, and its timings did
    not include any. What the inputs imply (the wrap-count regime) is still warned about."""
    prepared = Router(s, t, k, seed=seed)
    for message in prepared.input_warnings():
        warnings.warn(message, UserWarning, stacklevel=4)  # -> the caller of the API function
    written = prepared.route_rows(0, prepared.M, out=routes)
    if written is not routes:  # the caller reads their own array
        routes[...] = written


def _stats(routes: np.ndarray, E: int, seed: int, packing_ms: float, routing_started: float) -> dict:
    """The original's stats dict, plus the seed used and the shape. As there, total_time_ms is
    packing plus routing (argument checks and validation are not timed)."""
    routing_ms = (time.perf_counter() - routing_started) * 1e3
    M, k = routes.shape
    active = int(np.count_nonzero(routes >= 0))
    return {
        "N": M,
        "k": k,
        "active_routes": active,
        "packing_time_ms": packing_ms,
        "routing_time_ms": routing_ms,
        "total_time_ms": packing_ms + routing_ms,
        "routes_per_row": active / M,
        "seed": seed,
        "M": M,
        "E": E,
    }


def _validation(routes: np.ndarray, s: np.ndarray, t: np.ndarray, k: int) -> dict:
    """What the original's validator compared (the ones of S and of T against the routes made),
    reported instead of printed, and the invariants every routing keeps, checked row by row and
    target by target: targets in [0, E), distinct and ascending, -1 only after the last one, at
    most min(k, s_i) routes from source i and at most t_j into target j (a route to j needs one
    of the t_j ones of T's row j). A broken invariant raises RoutesCheckError."""
    E = int(t.size)
    kept = routes >= 0
    problems = []
    if routes.size and (routes.min() < -1 or routes.max() >= E):
        problems.append(f"a target outside [-1, {E})")
    if kept.shape[1] > 1:
        if np.any(kept[:, 1:] & ~kept[:, :-1]):
            problems.append("a target after -1 padding")
        if np.any((np.diff(routes, axis=1) <= 0) & kept[:, 1:]):
            problems.append("targets not distinct and ascending")
    per_source = kept.sum(axis=1)
    if np.any(per_source > np.minimum(k, s.astype(np.int64))):
        problems.append("a source with more routes than min(k, s_i)")
    loads = np.bincount(routes[kept], minlength=E) if E else np.zeros(0, np.int64)
    if np.any(loads[:E] > t.astype(np.int64)):
        problems.append("a target with more routes than t_j")
    if problems:
        raise RoutesCheckError("validate found " + "; ".join(problems) + " (a bug in phase-router; please report it)")
    total_S, total_T, active = int(s.sum()), int(t.sum()), int(kept.sum())
    return {"total_bits_S": total_S, "total_bits_T": total_T,
            "all_bits_routed": bool(total_S <= active and total_T <= active)}


def _dense_bits(matrix: Any, name: str) -> np.ndarray:
    """A 0/1 matrix as a bool array (values checked)."""
    if is_scipy_sparse(matrix):
        matrix_row_degrees(matrix, name)
        rows, cols = matrix.shape
        check_fits(rows * cols, f"{name} as a dense {rows} x {cols} matrix", "use a smaller matrix")
        return np.asarray(matrix.toarray()) != 0
    return matrix_rows(matrix, name)


def _rows_left_aligned(bits: np.ndarray, degrees: np.ndarray) -> bool:
    return bool(np.array_equal(bits, np.arange(bits.shape[1])[None, :] < degrees.astype(np.int64)[:, None]))


def _warn_unaligned(which: str, function: str, stacklevel: int) -> None:
    warnings.warn(f"{function}: rows of {which} are not left-aligned; only their number of ones is used (the "
                  "construction left-aligns every row first), where the original mixed the bits as they sat",
                  IgnoredInputWarning, stacklevel=stacklevel)


def _words_degrees(S_words: np.ndarray, T_words: np.ndarray, M: int, E: int) -> tuple[np.ndarray, np.ndarray]:
    s, S_aligned = words_row_degrees(S_words, E, "S_bits")
    t, T_aligned = words_row_degrees(T_words, M, "T_bits")
    unaligned = [name for name, aligned in (("S_bits", S_aligned), ("T_bits", T_aligned)) if not aligned]
    if unaligned:
        _warn_unaligned(" and ".join(unaligned), "packed words", stacklevel=4)  # -> the caller of the API function
    return s, t


def _square_words(words: Any, N: int, name: str) -> np.ndarray:
    """N rows of ceil(N / 64) words, given 2-D or flat (the original took a pointer)."""
    if isinstance(words, np.ndarray) and words.ndim == 1 and words.size == N * words_per_row(N):
        words = words.reshape(N, words_per_row(N))
    checked = check_packed_words(words, name, "N")
    if checked.shape != (N, words_per_row(N)):
        raise InvalidInputError(f"{name} has shape {checked.shape}, but N = {N} needs ({N}, {words_per_row(N)})")
    return checked


def _check_permutations(row_perm: Any, col_perm_S: Any, col_perm_T: Any, row_perm_T: Any, M: int, E: int) -> None:
    check_permutation(row_perm, M, "row_perm")
    check_permutation(col_perm_S, E, "col_perm_S")
    check_permutation(col_perm_T, M, "col_perm_T")
    check_permutation(row_perm_T, E, "row_perm_T")


def _check_dump_folder(folder: str, name: str) -> None:
    """Refuse, before routing, a folder that cannot be one."""
    if not folder:
        raise InvalidInputError(f"dump=True needs {name} to name a folder for the stage pictures, got an empty one")
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise InvalidInputError(f"{name} {folder!r} is a file, not a folder for the stage pictures")


def _dump(S_np: Any, T_np: Any, shape: tuple[int, int], k: int, folder: str, seed: int) -> str | None:
    """The stages of this routing under `folder`, as `phase-router dump-pbm` writes them; the
    index's path, or None when the input is above dump-pbm's size limit (then a warning)."""
    from ..pictures import stage_dump

    M, E = shape
    planned = stage_dump.planned_bytes(M, E)
    if planned > stage_dump.DEFAULT_LIMIT_BYTES:
        warnings.warn(f"dump=True: no stage pictures written: {M} x {E} would take {planned:,} bytes of PBM, above "
                      f"dump-pbm's limit of {stage_dump.DEFAULT_LIMIT_BYTES:,} (phase-router dump-pbm --force writes "
                      "them); the routes are written as usual", IgnoredInputWarning, stacklevel=3)
        return None
    stage_dump.check_size(M, E, force=True)  # the reference pipeline's memory
    S_bits, T_bits = _dense_bits(S_np, "S_np"), _dense_bits(T_np, "T_np")
    try:
        import PIL.Image  # noqa: F401  (the previews are written when Pillow is installed)

        png = True
    except ImportError:
        png = False
    try:
        stage_dump.dump_pipeline(S_bits, T_bits, k, Path(folder), seed=seed, png=png)
    except OSError as exc:
        raise InvalidInputError(f"cannot write the stage pictures into {folder!r}: {exc.strerror or exc}") from None
    return str(Path(folder) / "index.md")
