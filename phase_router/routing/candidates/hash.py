"""candidates="hash": the weighted keyed-hash router's targets as candidates. Source i draws
c_i = min(s_i, P) distinct targets in proportion to t_j (P: the targets with t_j > 0), on the
weighted hash router's own stream (docs/BASELINES.md), so every selection policy runs on hashed
candidates and can be compared with the phase construction's (make bench-balance). From the row
sums alone, row-local (a row's candidates depend on its own degree and the seed), so degree files
and row shards work; there is no ring, so no row_perm or strategy
(core_cpp/candidates/hash_candidates.cpp)."""

from __future__ import annotations

import numpy as np

from ... import _core
from ..._internal.scalars import check_count, check_seed
from ..._internal.vectors import check_degree_pair
from ..router import PreparedCandidates
from ..selection import DEFAULT_POLICY
from .source import CandidateSource


class HashRouter(PreparedCandidates):
    """Degrees s (M sources) and t (E targets) prepared as hashed candidates: row i's candidates
    are drawn whenever the policy visits it (nothing per row is kept)."""

    candidates = "hash"  # registered below

    def __init__(self, s, t, k: int, *, seed: int = 0, select: str = DEFAULT_POLICY,
                 select_options: dict | None = None) -> None:
        self.s, self.t = check_degree_pair(s, t)
        self.k = check_count(k, "k")
        self.seed = check_seed(seed)
        self.row_perm = False
        self._prepare_selection(select, select_options)
        self._core = _core.HashCandidates(self.s, self.t, self.seed)

    def stats_overrides(self) -> dict:
        """The phase theory's expected candidates do not apply: the exact counts min(s_i, P) do."""
        c = np.minimum(self.s, np.count_nonzero(self.t)).astype(np.float64)
        return {"expected_candidates_per_row": float(c.mean()),
                "candidate_density_theory": float(c.sum() / (self.M * self.E))}


def _memory_parts(M: int, E: int, threads: int, pairs: int) -> dict[str, int]:  # noqa: N803
    """The degrees (the core's copies, the counts, the positive targets) and the alias table
    (about 28 bytes a target); per thread the pick marks, a row's candidates, and a Fenwick tree and
    the remaining weights for rows drawing over half the weight (24 bytes a target)."""
    return {"prepared state": 12 * M + 48 * E, "degrees and loads": 4 * (M + E) + 9 * M + 8 * E * (threads + 4),
            "scratch": threads * 33 * E}


def _candidate_pairs(s, t) -> int:
    return int(np.minimum(np.asarray(s, dtype=np.int64), np.count_nonzero(np.asarray(t))).sum())


def _prepare(s, t, k: int, *, seed: int, select: str, select_options: dict | None, **route_options):
    return HashRouter(s, t, k, seed=seed, select=select, select_options=select_options)


def _oracle(S, T, seed: int, row_perm: bool):  # noqa: N803
    from ...reference.hash_candidates import candidates

    return candidates(S, T, seed)


SOURCE = CandidateSource(
    "hash", "each source's min(s_i, P) targets drawn in proportion to t_j by the weighted keyed hash "
    "(P: targets with t_j > 0), from row sums alone",
    from_degrees=True, accepts=frozenset({"shards", "degree_files"}), prepare=_prepare, memory_parts=_memory_parts,
    candidate_pairs=_candidate_pairs, oracle=_oracle,
)
