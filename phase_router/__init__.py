"""phase-router: balanced, seed-deterministic bipartite routing with a hard fan-out cap.

    >>> import numpy as np, phase_router
    >>> S = np.ones((8, 4), dtype=bool); T = np.ones((4, 8), dtype=bool)
    >>> phase_router.route(S, T, k=2, seed=7).routes.shape
    (8, 2)
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from . import _core, inputs
from ._internal.validate import PackedBits
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
from .analysis.stats import RoutingStats, column_loads
from .baselines import hash_route, two_choice_route
from .routing.selection.greedy import route_degrees_greedy, route_greedy

try:
    __version__ = version("phase-router")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

_has_openmp: bool = bool(_core.has_openmp)

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
    "hash_route",
    "two_choice_route",
    "route_greedy",
    "route_degrees_greedy",
    "route",
    "route_degrees",
    "inputs",
    "__version__",
]
