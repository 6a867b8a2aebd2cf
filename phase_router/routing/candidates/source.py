"""What a candidate source is, as the rest of the package sees it (step 6 of docs/SPEC.md: which
targets each source row may keep). One declaration per source (``CandidateSource``), from which
``route(..., candidates=)``, `route --candidates`, the option refusals, the memory check and
the oracle tests are derived; every selection policy runs on every source unchanged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ...errors import InvalidInputError

if TYPE_CHECKING:
    from ..router import PreparedCandidates

# Route options a source may accept; the phase construction accepts all of them.
ROUTE_OPTIONS = {
    "row_perm": "--row-perm",  # rows laid on the ring in a seed-derived order
    "strategy": "--strategy",  # how candidate rows are enumerated (never changes the routes)
    "shards": "--scheduler/--workers",  # row ranges routed by separate processes from the degrees
    "degree_files": "--degrees",  # inputs given as degree vectors instead of matrices
}

# (a, b, k, *, seed, select, select_options, row_perm, strategy) -> prepared candidates, where
# (a, b) are the degree vectors (s, t) of a source from degrees, else the matrices (S, T).
Prepare = Callable[..., "PreparedCandidates"]
# (M, E, threads, candidate pairs) -> bytes by purpose: the source's state and its per-thread
# scratch under "scratch" (the policy's scratch is added to it).
MemoryParts = Callable[[int, int, int, int], "dict[str, int]"]
# (a, b) as given to prepare -> candidate pairs (sum over rows of c_i), expected or exact.
CandidatePairs = Callable[[Any, Any], int]
# (S, T, seed, row_perm) -> the candidate matrix O (M x E bool) by its NumPy reference.
Oracle = Callable[[np.ndarray, np.ndarray, int, bool], np.ndarray]
# (S, T) -> M x E int64: each candidate's weight as the C++ source holds it (0 elsewhere).
WeightOracle = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class CandidateSource:
    name: str
    summary: str
    # True: the candidates follow from the row sums alone, so route_degrees and degree files
    # work and the CLI reads only degrees; False: prepare gets the matrices themselves.
    from_degrees: bool
    accepts: frozenset[str]  # which of ROUTE_OPTIONS it takes
    prepare: Prepare
    memory_parts: MemoryParts
    candidate_pairs: CandidatePairs
    oracle: Oracle
    # The part of memory_parts that is the inputs as read (dropped from the check made after
    # reading them, when they are already in use); "" when the source holds no inputs of its own.
    input_part: str = ""
    # A weighted source's candidate weights by its reference; None: every candidate weighs 1.
    weights: WeightOracle | None = None
    # (S, T) -> t, the targets' weights in relative loads; None: T's row sums.
    target_weights: Callable[[Any, Any], np.ndarray] | None = None
    # (s of rows [first, first + len(s)), first, phase, M, t, k, *, seed, select, select_options)
    # -> those rows prepared from their own degrees, where phase = (sum of the degrees of the rows
    # before them) mod E: what a shard worker holds, O(rows + E) instead of O(M). None: a shard
    # prepares the whole routing. Rows laid in input order only (no row_perm).
    prepare_window: Callable[..., "PreparedCandidates"] | None = None

    def check_route_options(self, given: dict[str, bool], *, cli: bool = False) -> None:
        """Refuses, in one line naming the source, any route option it does not take; `given`
        maps option names of ROUTE_OPTIONS to whether the caller set them."""
        if self.accepts.issuperset(ROUTE_OPTIONS):  # the phase construction's: nothing to refuse
            return
        refused = [name for name in ROUTE_OPTIONS if name not in self.accepts]
        if any(given.get(name) for name in refused):
            spelled = [ROUTE_OPTIONS[name] if cli else name for name in refused]
            where = f"--candidates {self.name}" if cli else f"candidates={self.name!r}"
            raise InvalidInputError(f"{where} takes no {', '.join(spelled)}: {self.summary}")
