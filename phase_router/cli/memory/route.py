"""What `route` will hold at its peak, by purpose, in two checks: before reading the inputs (from
matrix headers, a degree .npy's declared shape, a text file's size) and again once the degrees
are known, before the Router or the candidate lists are built. Every figure is in bytes and
follows the code it counts; docs/RELIABILITY.md has the measured peaks."""

from __future__ import annotations

import os
from typing import Callable

from ...routing.candidates import DEFAULT_SOURCE, SOURCES, CandidateSource
from ...routing.candidates.phase import router_state_bytes
from ...routing.selection import POLICIES, Policy

OutputScratch = Callable[[int, int, int], int]  # (rows, k, E) -> bytes to write one chunk to the outputs
TEXT_LINE_BYTES = 180  # a text degree line while parsed: bytes object, stripped copy, tuple, list slots, token


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
                output_scratch: OutputScratch | None = None, pairs: int | None = None,
                source: str = DEFAULT_SOURCE, sharded: bool = False) -> dict[str, int]:
    """The routing stage: routes held at once (one chunk, or all M rows for a policy that is not
    row-local), the outputs' scratch, what the candidate source holds (its declared
    memory_parts) and the scratch of the source and the policy (their declarations). `pairs` is
    the candidate pairs (sum over rows, expected or exact), which some policies hold. Sharded
    (Dask workers route the shards), this process holds one shard's routes at a time and, for a
    policy that is not row-local, the shards' summaries instead of the policy's scratch."""
    threads = threads_used(threads)
    declared: Policy = POLICIES[policy]
    parts = routes_and_outputs(M, E, k, chunk_rows, row_local=row_local or sharded, output_scratch=output_scratch)
    held = SOURCES[source].memory_parts(M, E, threads, pairs or 0)
    if sharded and not row_local and declared.sharding is not None:
        parts["shard summaries"] = declared.sharding.summary_bytes(E, -(-M // max(1, chunk_rows)))
        policy_scratch = 0
    else:
        policy_scratch = declared.scratch_bytes(M, E, k, threads, pairs or 0)
    scratch = held.pop("scratch", 0) + policy_scratch
    parts.update(held)
    parts["scratch"] = scratch
    return parts


def _largest(*stages: dict[str, int]) -> dict[str, int]:
    """Stages run one after the other: the peak is the largest one's."""
    return max(stages, key=lambda parts: sum(parts.values()))


class RouteMemory:
    """`route`'s checks, in the order the command runs: the input files (headers, sizes), then the
    degrees or matrices as read, each before the next large allocation."""

    def __init__(self, limit: int, k: int, chunk_rows: int, *, threads: int, policy: Policy,
                 source: CandidateSource, output_scratch: OutputScratch | None = None, sharded: bool = False) -> None:
        self.limit, self.k, self.chunk_rows, self.sharded = limit, k, chunk_rows, sharded
        self.threads, self.policy, self.source, self.output_scratch = threads, policy, source, output_scratch

    def _routing(self, M: int, E: int, pairs: int | None) -> dict[str, int]:  # noqa: N803
        return route_parts(M, E, self.k, self.chunk_rows, threads=self.threads, policy=self.policy.name,
                           row_local=self.policy.row_local, output_scratch=self.output_scratch, pairs=pairs,
                           source=self.source.name, sharded=self.sharded)

    def _check(self, parts: dict[str, int]) -> int:
        from .limit import check_memory

        return check_memory(parts, self.limit)

    def check_matrix_files(self, S, T) -> int:  # noqa: N803
        from ...io.matrix_formats import format_of

        # each format's own peaks for its two readers (io/matrix_formats), from the headers alone
        formats = [format_of(S), format_of(T)]
        layouts = [fmt.layout(path) for fmt, path in zip(formats, (S, T))]
        M, E = layouts[0].shape
        if not self.source.from_degrees:  # read whole: S stays while T is read, the larger moment
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

    def check_inputs(self, a, b) -> int:
        """Once the source's inputs are read (degrees, or matrices for a source that needs them):
        before the candidates are prepared."""
        M, E = len(a), len(b)  # noqa: N806
        parts = self._routing(M, E, self.source.candidate_pairs(a, b))
        if self.source.input_part:
            parts.pop(self.source.input_part)  # read already: in use
        return self._check(parts)
