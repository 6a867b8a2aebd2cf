"""phase-router: balanced, seed-deterministic bipartite routing with a hard fan-out cap.

    >>> import numpy as np, phase_router
    >>> S = np.ones((8, 4), dtype=bool); T = np.ones((4, 8), dtype=bool)
    >>> phase_router.route(S, T, k=2, seed=7).routes.shape
    (8, 2)
"""

from __future__ import annotations

import warnings

from . import _core, inputs
from ._version import __version__
from .packed_bits import PackedBits
from .errors import (
    FileFormatError,
    InputFileError,
    InvalidInputError,
    PhaseRouterError,
    ResourceLimitError,
    ShapeMismatchError,
)
from .routing.router import Router
from .routing.api import Routing, route, route_degrees
from .routing.stats import RoutingStats, column_loads
from .baselines import hash_route, two_choice_route
from .routing.greedy_api import route_degrees_greedy, route_greedy
from . import routed_inputs  # noqa: F401  registers the generators that route a first phase

_has_openmp: bool = bool(_core.has_openmp)

#: The selection kernels' instruction-set path, chosen at import: "avx512", "avx2", "baseline"
#: (x86-64) or "generic". PHASE_ROUTER_CPU=avx2|baseline forces a lower one; bits never change.
cpu_path: str = str(_core.cpu_path)
CPU_PATHS = ("avx512", "avx2", "baseline", "generic")
if _core.cpu_path_requested and _core.cpu_path_requested not in CPU_PATHS:
    warnings.warn(f"PHASE_ROUTER_CPU={_core.cpu_path_requested!r} names no CPU path (use avx512, avx2 or "
                  f"baseline); using {cpu_path}", RuntimeWarning, stacklevel=2)

__all__ = [
    "FileFormatError",
    "InputFileError",
    "InvalidInputError",
    "PackedBits",
    "PhaseRouterError",
    "ResourceLimitError",
    "Router",
    "Routing",
    "RoutingStats",
    "ShapeMismatchError",
    "column_loads",
    "cpu_path",
    "hash_route",
    "two_choice_route",
    "route_greedy",
    "route_degrees_greedy",
    "route",
    "route_degrees",
    "inputs",
    "__version__",
]
