"""The routers a phase router is compared with, in the routes format every router shares
(M x k int32, targets ascending, -1 padded). Each source takes ``counts[i]`` targets, by default
min(k, s_i) (docs/BASELINES.md).

- ``hash_route``: keyed hash, uniform or weighted by t_j (stateless, the fair comparator);
- ``two_choice_route``: the power of two choices (sequential, global loads).
"""

from .counts import default_counts
from .hash import hash_route, hash_route_matrices
from .two_choice import two_choice_route

__all__ = ["default_counts", "hash_route", "hash_route_matrices", "two_choice_route"]
