"""The phase construction's first-moment theory, corrected for the wrap count (docs/SPEC.md,
"Theory"), and the warning for inputs in the regime where it unbalances loads.

T's arcs are laid end to end on the M-ring from position 0, so position q is covered by exactly
n_q = W + [q < r] arcs, W = floor(sum(t) / M), r = sum(t) mod M — deterministically, whatever the
seed or row order. The source at q (a uniformly random row, by pi_T) meets n_q targets' arcs, so
its candidates are c ~ s_i n_q / E, and a target's expected load sums, over the positions of its
own arc, the chance that the source there keeps it:
    E[L_j] = sum_{q in arc_j} mean_i min(s_i / E, k / n_q)      (exact when s_i = E).
When the cap binds (k < s_i n_q / E) a target whose arc lies where n_q = W + 1 gets (W + 1) / W
less relative load than one where n_q = W: no selection policy can undo that, because it is a
property of the candidate graph. It vanishes when sum(t) is a multiple of M (r = 0).
"""

from __future__ import annotations

import numpy as np

from .._internal.scalars import check_count
from .._internal.vectors import check_degree_pair, check_degrees, check_vector
from ..errors import InvalidInputError

# Warn when the expected relative loads of the two regions differ by more than this factor: 10 %
# keeps ordinary inputs quiet (W >= 10 arcs per position never exceed it) and catches the MoE
# trap (top-1 to top-3 at capacity factor 1.25: factors 2, 1.5, 1.33).
WRAP_COUNT_TOLERANCE = 1.10


def coverage(t, M: int) -> tuple[int, int]:
    """(W, r): ring positions q < r are covered by W + 1 target arcs, the others by W."""
    total = int(check_vector(t, "t").sum())
    M = check_count(M, "M")
    return total // M, total % M


def kept_share(s, E: int, k: int, n: int) -> float:
    """mean_i min(s_i / E, k / n): the chance that the source at a position covered by n arcs
    keeps a given target covering it (over a uniformly random source row)."""
    E, k = check_count(E, "E"), check_count(k, "k")
    n = check_count(n, "n", minimum=0, maximum=2**63 - 1)
    s = check_vector(s, "s").astype(np.float64)
    return _kept_share(s / E, k, n) if s.size else 0.0


def _kept_share(share: np.ndarray, k: int, n: int) -> float:
    """kept_share of checked values, with share = s / E (float64) computed once by the caller."""
    return float(np.minimum(share, k / n).mean()) if n else 0.0


def expected_loads(s, t, k: int, lay_order=None) -> np.ndarray:
    """E[L_j] for every target, by the corrected theory above; arcs laid in `lay_order` (input
    order when None, i.e. row_perm=False; with row_perm the order is the seed's, see SPEC)."""
    s, t = (x.astype(np.int64) for x in check_degree_pair(s, t))
    k = check_count(k, "k")
    M = int(s.size)
    E = int(t.size)
    W, r = coverage(t, M)
    high, low = kept_share(s, E, k, W + 1), kept_share(s, E, k, W)
    order = np.arange(E) if lay_order is None else check_vector(lay_order, "lay_order")
    if order.size != E or not np.array_equal(np.sort(order), np.arange(E)):
        raise InvalidInputError(f"lay_order must be a permutation of 0..E-1 (E = {E})")
    starts = np.empty(E, dtype=np.int64)
    starts[order] = (np.cumsum(t[order]) - t[order])  # unwrapped offsets
    loads = np.zeros(E, dtype=np.float64)
    # positions p in [start, start + t_j) of the unwrapped ring; p mod M < r is the W + 1 region
    for lap in range(int((starts + t).max() // M) + 1 if E else 0):
        lo = np.clip(starts - lap * M, 0, M)
        hi = np.clip(starts + t - lap * M, 0, M)
        in_high = np.clip(np.minimum(hi, r) - lo, 0, None)
        in_low = np.clip(hi - np.maximum(lo, r), 0, None)
        loads += in_high * high + in_low * low
    return loads


def wrap_count_imbalance(s, t, k: int) -> float:
    """The factor by which expected relative loads (L_j / t_j) differ between targets covering
    only W-covered positions and those covering only (W + 1)-covered ones: 1 when sum(t) is a
    multiple of M or the cap never binds."""
    s, t = check_degree_pair(s, t)
    return _imbalance(s, t, check_count(k, "k"), *_wraps(s, t))


def wrap_count_warning(s, t, k: int) -> str | None:
    """A one-line warning when the inputs sit in the wrap-count regime, else None."""
    s, t = check_degree_pair(s, t)
    return _checked_wrap_count_warning(s, t, check_count(k, "k"))


def _checked_wrap_count_warning(s: np.ndarray, t: np.ndarray, k: int, total: int | None = None) -> str | None:
    """wrap_count_warning for degrees and k already checked (check_degree_pair, check_count): a
    prepared Router's, once per routing, without checking them again; `total` is sum(t) when
    known already (the core's Router has it)."""
    W, r = _wraps(s, t) if total is None else divmod(total, int(s.size))
    if W and (W + 1) / W <= WRAP_COUNT_TOLERANCE:  # min(x, k/W) <= (W+1)/W min(x, k/(W+1)): bounds the factor
        return None
    factor = _imbalance(s, t, k, W, r)
    if factor <= WRAP_COUNT_TOLERANCE:
        return None
    return (f"wrap-count regime: sum(t) = {W} x M + {r}, so {r} of {s.size} ring positions meet {W + 1} target "
            f"arcs and the rest {W}; targets whose arcs lie in the first part get {factor:.3f}x less load "
            f"relative to t_j, whatever the selection policy. Make sum(t) a multiple of M (e.g. MoE "
            f"capacities t_j summing to c M for a whole c >= k; docs/SPEC.md, Theory)")


def _wraps(s: np.ndarray, t: np.ndarray) -> tuple[int, int]:
    """coverage(t, M) of checked degrees: (W, r) with sum(t) = W M + r."""
    W, r = divmod(int(t.sum(dtype=np.int64)), int(s.size))
    return W, r


def _imbalance(s: np.ndarray, t: np.ndarray, k: int, W: int, r: int) -> float:
    """wrap_count_imbalance of checked degrees whose coverage is (W, r)."""
    if r == 0 or W == 0:
        return 1.0
    share = s / int(t.size)  # float64, shared by both kept shares
    high, low = _kept_share(share, k, W + 1), _kept_share(share, k, W)
    return low / high if high > 0 else 1.0
