"""What `route` will hold at its peak, by purpose, in two checks: before reading the inputs (from
matrix headers, a degree .npy's declared shape, a text file's size) and again once the degrees
are known, before the Router or the candidate lists are built. Every figure is in bytes and
follows the code it counts; docs/RELIABILITY.md has the measured peaks."""

from __future__ import annotations

import os

from ...io.npy import CHUNK_BYTES as NPY_CHUNK  # one NPY read buffer (a chunk holds at least one whole row)
from ...io.npy import READ_THREADS as NPY_READ_THREADS  # reading threads, each with its own buffer
from ...io.pbm import CHUNK_BYTES as READ_CHUNK  # one chunk of PBM raster at a time
from ...routing.candidates import DEFAULT_SOURCE, SOURCES, CandidateSource
from ...routing.candidates.phase import router_state_bytes
from ...routing.selection import POLICIES, Policy

TEXT_LINE_BYTES = 180  # a text degree line while parsed: bytes object, stripped copy, tuple, list slots, token


def threads_used(threads: int) -> int:
    return threads or os.cpu_count() or 1


# --- inputs -------------------------------------------------------------------------------------

def matrix_degrees_bytes(fmt: str, rows: int, cols: int, data_bytes: int) -> int:
    """Reading one matrix file's row degrees (io.read_row_degrees): P4 and P1 stream in chunks,
    and a chunk is still referenced while the next is read (two at once); an NPY is read by a
    few threads, each into its own buffer of about NPY_CHUNK bytes (whole rows)."""
    degrees = 4 * rows
    if fmt == "npy":
        row_bytes = data_bytes // max(rows, 1)
        buffer = min(data_bytes, max(NPY_CHUNK, row_bytes))
        return min(NPY_READ_THREADS, os.cpu_count() or 1) * buffer + degrees
    return 2 * min(READ_CHUNK, data_bytes) + degrees


def matrix_whole_bytes(fmt: str, rows: int, cols: int, data_bytes: int) -> int:
    """Reading one matrix whole as bool (io.read_matrix): P4 packed rows, unpacked to uint8, then
    bool; P1 parsed chunk by chunk into the bool matrix; NPY read in two alternating buffers of
    about NPY_CHUNK bytes (whole rows) into the bool matrix."""
    cells = rows * cols
    if fmt == "P4":
        return data_bytes + 2 * cells
    if fmt == "P1":
        return cells + 4 * min(READ_CHUNK, data_bytes)
    line_bytes = data_bytes // max(rows, 1)
    return cells + 2 * min(data_bytes, max(NPY_CHUNK, line_bytes))


def npy_degrees_bytes(count: int, itemsize: int, widened: bool) -> int:
    """A degree .npy (io.read_degrees): the data read into memory, plus an int64 copy when it is
    narrower."""
    return count * itemsize + (8 * count if widened else 0)


def text_degrees_bytes(file_bytes: int, lines: int) -> int:
    """A text degree file: the raw bytes, its lines as Python objects, then int64 values."""
    return file_bytes + lines * TEXT_LINE_BYTES


# --- the routing itself ---------------------------------------------------------------------------

def output_bytes(rows: int, k: int, E: int, *, pbm: bool, csv: bool) -> int:
    """Writing one chunk of rows: the routing matrix for --pbm (packed rows, np.nonzero's int64
    index pairs, the int64 targets and the bit masks); --out .csv formats one row at a time
    (np.savetxt), a row's text."""
    size = 0
    if pbm:
        size += rows * ((E + 7) // 8 + 41 * k)
    if csv:
        size += 12 * k
    return size


def routes_and_outputs(M: int, E: int, k: int, chunk_rows: int, *, row_local: bool, pbm: bool,
                       csv: bool) -> dict[str, int]:
    """Routes held at once (one chunk, or all M rows for a policy that is not row-local) and the
    scratch of writing one chunk."""
    rows = min(M, chunk_rows) if row_local else M
    parts = {"routes": rows * k * 4}
    out = output_bytes(min(M, chunk_rows), k, E, pbm=pbm, csv=csv)
    if out:
        parts["output scratch"] = out
    return parts


def route_parts(M: int, E: int, k: int, chunk_rows: int, *, threads: int, policy: str, row_local: bool,
                pbm: bool = False, csv: bool = False, pairs: int | None = None,
                source: str = DEFAULT_SOURCE) -> dict[str, int]:
    """The routing stage: routes held at once (one chunk, or all M rows for a policy that is not
    row-local), the outputs' scratch, what the candidate source holds (its declared
    memory_parts) and the scratch of the source and the policy (their declarations). `pairs` is
    the candidate pairs (sum over rows, expected or exact), which some policies hold."""
    threads = threads_used(threads)
    declared: Policy = POLICIES[policy]
    parts = routes_and_outputs(M, E, k, chunk_rows, row_local=row_local, pbm=pbm, csv=csv)
    held = SOURCES[source].memory_parts(M, E, threads, pairs or 0)
    scratch = held.pop("scratch", 0) + declared.scratch_bytes(M, E, threads, pairs or 0)
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
                 source: CandidateSource, pbm: bool, csv: bool) -> None:
        self.limit, self.k, self.chunk_rows = limit, k, chunk_rows
        self.threads, self.policy, self.source, self.pbm, self.csv = threads, policy, source, pbm, csv

    def _routing(self, M: int, E: int, pairs: int | None) -> dict[str, int]:  # noqa: N803
        return route_parts(M, E, self.k, self.chunk_rows, threads=self.threads, policy=self.policy.name,
                           row_local=self.policy.row_local, pbm=self.pbm, csv=self.csv, pairs=pairs,
                           source=self.source.name)

    def _check(self, parts: dict[str, int]) -> int:
        from .limit import check_memory

        return check_memory(parts, self.limit)

    def check_matrix_files(self, S, T) -> int:  # noqa: N803
        from ...io.shape import matrix_file_layout

        layouts = [matrix_file_layout(S), matrix_file_layout(T)]
        M, E = layouts[0].shape
        if not self.source.from_degrees:  # read whole: S stays while T is read, the larger moment
            reading = {"reading the matrices": M * E + matrix_whole_bytes(layouts[1].fmt, E, M, layouts[1].data_bytes)}
            return self._check(_largest(reading, self._routing(M, E, 0)))
        reading = {"reading the matrices": 4 * M + max(matrix_degrees_bytes(x.fmt, *x.shape, x.data_bytes)
                                                       for x in layouts)}
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
