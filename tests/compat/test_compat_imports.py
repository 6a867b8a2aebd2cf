"""The import forms a migrating user writes: the original's two module names under
phase_router.compat, and the six statistics functions still at phase_router.compat itself."""

from __future__ import annotations

import importlib

import phase_router.compat.router as router_by_path
from phase_router import compat
from phase_router.compat import router, router_stats
from phase_router.errors import PhaseRouterError

STATS_FUNCTIONS = ["analyze_routing_distribution", "estimate_expert_capacity", "monte_carlo_stats", "sample_many",
                   "suggest_k_for_balance", "validate_routing_inputs"]
ROUTER_FUNCTIONS = ["left_align_rows", "pack_and_route", "pack_bits", "phase_router_bitpacked",
                    "route_packed_with_stats", "router"]


def test_router_module_import_forms() -> None:
    assert router is router_by_path is compat.router is importlib.import_module("phase_router.compat.router")
    for name in ROUTER_FUNCTIONS:
        assert callable(getattr(router, name)) and name in router.__all__


def test_statistics_functions_stay_at_phase_router_compat() -> None:
    for name in STATS_FUNCTIONS:
        assert getattr(compat, name) is getattr(router_stats, name)
        assert name in compat.__all__


def test_warning_categories_are_user_warnings() -> None:
    assert issubclass(router.UnreproducibleSeedWarning, UserWarning)
    assert issubclass(router.IgnoredInputWarning, UserWarning)
    assert issubclass(router.RoutesCheckError, PhaseRouterError)
