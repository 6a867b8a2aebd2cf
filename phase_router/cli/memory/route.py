"""What `route` will hold at its peak, by purpose, in two checks: before reading the inputs (from
matrix headers, a degree .npy's declared shape, a text file's size) and again once the degrees
are known, before the Router or the candidate lists are built. Every figure is in bytes and
follows the code it counts; docs/RELIABILITY.md has the measured peaks."""

from __future__ import annotations

import os
from typing import Callable

from ...routing.mask import ROWS_PER_BLOCK_ENTRIES as MASK_BLOCK  # entries of S AND T^T built at once

CHECKPOINT_BUDGET = 64 * 2**20  # core_cpp/ring/source_arcs.hpp: SourceArcs::kDefaultBudgetBytes
OPTIMAL_PAIR_BYTES = 40  # core_cpp/selection/max_flow.cpp: arcs both ways, capacities, flows per candidate pair
OutputScratch = Callable[[int, int, int], int]  # (rows, k, E) -> bytes to write one chunk to the outputs
TEXT_LINE_BYTES = 180  # a text degree line while parsed: bytes object, stripped copy, tuple, list slots, token


def _planned_stride(E: int) -> int:
    """core_cpp/ring/source_arcs.cpp SourceArcs::planned_stride, so the checkpoints are known up front."""
    words = (E + 63) // 64
    stride = 64
    while stride < E and (E // stride + 1) * words * 8 > CHECKPOINT_BUDGET:
        stride *= 2
    return stride


def router_state_bytes(M: int, E: int) -> int:
    """An upper bound of Router.memory_bytes (core_cpp/ring/router.cpp) plus the core's copies of s and
    t, from M and E alone: per-row arrays (20 bytes a row), sweep events and the prefix
    checkpoints (assumed present, as they are whenever one row is dense)."""
    arrays = 20 * M + 4 * E
    events = 4 * (M + 1 + 2 * E)
    checkpoints = (E // _planned_stride(E) + 1) * ((E + 63) // 64) * 8
    return arrays + events + checkpoints + 4 * (M + E)


def threads_used(threads: int) -> int:
    return threads or os.cpu_count() or 1


# --- inputs -------------------------------------------------------------------------------------

def npy_degrees_bytes(count: int, itemsize: int, widened: bool) -> int:
    """A degree .npy (io.read_degrees): the data read into memory, plus an int64 copy when it is
    narrower."""
    return count * itemsize + (8 * count if widened else 0)


def text_degrees_bytes(file_bytes: int, lines: int) -> int:
    """A text degree file: the raw bytes, its lines as Python objects, then int64 values."""
    return file_bytes + lines * TEXT_LINE_BYTES


# --- the routing itself ---------------------------------------------------------------------------

def routes_and_outputs(M: int, E: int, k: int, chunk_rows: int, *, row_local: bool,
                       output_scratch: OutputScratch | None) -> dict[str, int]:
    """Routes held at once (one chunk, or all M rows for a policy that is not row-local) and the
    scratch of writing one chunk (output_scratch(rows, k, E): the requested sinks' own estimates,
    io/route_sinks)."""
    rows = min(M, chunk_rows) if row_local else M
    parts = {"routes": rows * k * 4}
    out = output_scratch(min(M, chunk_rows), k, E) if output_scratch is not None else 0
    if out:
        parts["output scratch"] = out
    return parts


def route_parts(M: int, E: int, k: int, chunk_rows: int, *, threads: int, policy: str, row_local: bool,
                output_scratch: OutputScratch | None = None, pairs: int | None = None) -> dict[str, int]:
    """The routing stage (phase candidates): routes held at once (one chunk, or all M rows for a
    policy that is not row-local), the outputs' scratch, the prepared state, the degrees as
    routed and their statistics, and per-thread selection buffers. `pairs` is the expected
    candidate pairs (sum over rows), which --select optimal holds as a flow network."""
    threads = threads_used(threads)
    parts = routes_and_outputs(M, E, k, chunk_rows, row_local=row_local, output_scratch=output_scratch)
    parts["prepared state"] = router_state_bytes(M, E)
    # degrees as checked (uint32), the statistics' float64 copy of s and bool masks, load totals per thread
    parts["degrees and loads"] = 4 * (M + E) + 9 * M + 8 * E * (threads + 4)
    scratch = threads * (E + 4 * ((E + 63) // 64) * 8 + 4 * E)
    if policy == "greedy":
        scratch += 8 * E + 4 * M + threads * 16 * E
    elif policy == "balanced":
        scratch += 16 * E + 12 * M + threads * 24 * E + 4 * min(pairs or 0, 2**31)
    elif policy == "optimal":
        scratch += OPTIMAL_PAIR_BYTES * (pairs or 0) + 40 * (M + E)
    parts["scratch"] = scratch
    return parts


def mask_parts(M: int, E: int, k: int, chunk_rows: int, *, threads: int, policy: str, row_local: bool,
               pairs: int, output_scratch: OutputScratch | None = None) -> dict[str, int]:
    """The routing stage with --candidates mask: both matrices as bool, the candidate lists
    (uint32 per pair, row offsets) and the chunk of np.nonzero index pairs that builds them."""
    threads = threads_used(threads)
    parts = routes_and_outputs(M, E, k, chunk_rows, row_local=row_local, output_scratch=output_scratch)
    parts["matrices"] = 2 * M * E
    parts["candidate lists"] = 4 * pairs + 8 * (M + 1) + 12 * (M + E)
    # routing/mask.py builds the lists in blocks of MASK_BLOCK entries: S AND T^T (bool, and its
    # transposed operand), np.nonzero's two int64 index arrays and the uint32 targets of the block;
    # then the blocks are concatenated (another 4 bytes a pair)
    block = min(M * E, max(E, MASK_BLOCK))
    block_pairs = pairs * block // max(1, M * E)
    scratch = threads * 16 * E + max(4 * pairs, 2 * block + 20 * block_pairs)
    if policy == "optimal":
        scratch += OPTIMAL_PAIR_BYTES * pairs + 40 * (M + E)
    elif policy == "balanced":
        scratch += 4 * pairs + 12 * M + 16 * E
    parts["scratch"] = scratch
    return parts


def expected_pairs(s_sum: int, t_sum: int, M: int, E: int) -> int:
    """E[sum_i c_i] = sum(s) sum(t) / (M E) (docs/SPEC.md, Theory): the phase candidates' pairs."""
    return (s_sum * t_sum) // max(1, M * E)


def _largest(*stages: dict[str, int]) -> dict[str, int]:
    """Stages run one after the other: the peak is the largest one's."""
    return max(stages, key=lambda parts: sum(parts.values()))


class RouteMemory:
    """`route`'s checks, in the order the command runs: the input files (headers, sizes), then the
    degrees or matrices as read, each before the next large allocation."""

    def __init__(self, limit: int, k: int, chunk_rows: int, *, threads: int, policy, mask: bool,
                 output_scratch: OutputScratch | None = None) -> None:
        self.limit, self.k, self.chunk_rows = limit, k, chunk_rows
        self.threads, self.policy, self.mask, self.output_scratch = threads, policy, mask, output_scratch

    def _routing(self, M: int, E: int, pairs: int | None) -> dict[str, int]:  # noqa: N803
        options = {"threads": self.threads, "policy": self.policy.name, "row_local": self.policy.row_local,
                   "output_scratch": self.output_scratch}
        if self.mask:
            return mask_parts(M, E, self.k, self.chunk_rows, pairs=pairs or 0, **options)
        return route_parts(M, E, self.k, self.chunk_rows, pairs=pairs, **options)

    def _check(self, parts: dict[str, int]) -> int:
        from .limit import check_memory

        return check_memory(parts, self.limit)

    def check_matrix_files(self, S, T) -> int:  # noqa: N803
        from ...io.matrix_formats import format_of

        # each format's own peaks for its two readers (io/matrix_formats), from the headers alone
        formats = [format_of(S), format_of(T)]
        layouts = [fmt.layout(path) for fmt, path in zip(formats, (S, T))]
        M, E = layouts[0].shape
        if self.mask:  # S stays while T is read; T's reading is the larger moment
            reading = {"reading the matrices": M * E + formats[1].whole_peak_bytes(layouts[1])}
            return self._check(_largest(reading, self._routing(M, E, 0)))
        reading = {"reading the matrices": 4 * M + max(fmt.degrees_peak_bytes(layout)
                                                       for fmt, layout in zip(formats, layouts))}
        return self._check(_largest(reading, self._routing(M, E, None)))

    def check_degree_files(self, s_path, t_path) -> int:
        from ...io.shape import degree_file_layout

        layouts = [degree_file_layout(s_path), degree_file_layout(t_path)]
        reading = 0
        for layout in layouts:
            if layout.fmt == "npy":
                count = layout.shape[0] if len(layout.shape) == 1 else 0  # anything else is refused unread
                reading += npy_degrees_bytes(count, layout.itemsize, widened=layout.itemsize != 8)
            else:
                reading += text_degrees_bytes(layout.data_bytes, layout.shape[0])
        parts = {"reading the degrees": reading}
        if all(x.fmt == "npy" and len(x.shape) == 1 for x in layouts):  # M and E are known already
            routing = self._routing(layouts[0].shape[0], layouts[1].shape[0], None)
            held = {"degrees as read": 8 * (layouts[0].shape[0] + layouts[1].shape[0]), **routing}
            parts = _largest(parts, held)
        return self._check(parts)

    def check_degrees(self, s, t) -> int:
        return self._check(self._routing(len(s), len(t), expected_pairs(int(s.sum()), int(t.sum()), len(s), len(t))))

    def check_mask(self, S, T) -> int:  # noqa: N803
        import numpy as np

        M, E = S.shape
        pairs = int(np.count_nonzero(S)) * int(np.count_nonzero(T)) // max(1, M * E)
        parts = self._routing(M, E, pairs)
        parts.pop("matrices")  # read already: in use
        return self._check(parts)
