"""Optional extras (plots, Dask): import them on first use, with one clear line when missing."""

from __future__ import annotations

import importlib
from types import ModuleType

from ..errors import PhaseRouterError


class MissingExtraError(PhaseRouterError):
    """A feature needs a package from an optional extra that is not installed."""


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import `module`, or raise MissingExtraError saying which extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(
            f"{purpose} needs the Python package {module.split('.')[0]!r}, which is not installed; "
            f"install it with: pip install 'phase-router[{extra}]'"
        ) from None
