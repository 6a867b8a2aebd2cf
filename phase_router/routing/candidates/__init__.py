"""Step 6 of docs/SPEC.md, the candidate sources: which targets each source row may keep. The
selection policies (``selection``) run on every source unchanged.

A source is a C++ class implementing core_cpp/candidates/candidate_source.hpp, one module here
declaring a ``CandidateSource`` (with its prepared class, memory estimate and oracle) and one
``register`` line below; its oracle lives in phase_router/reference/.
"""

from __future__ import annotations

from importlib import import_module

from ..._internal.scalars import show
from ...errors import InvalidInputError
from .source import ROUTE_OPTIONS, CandidateSource

SOURCES: dict[str, CandidateSource] = {}


def register(module: str) -> None:
    """Registers the ``SOURCE`` declared by the module candidates/<module>.py."""
    declared: CandidateSource = import_module(f"{__name__}.{module}").SOURCE
    SOURCES[declared.name] = declared


register("phase")  # the default: the first registered
register("mask")
register("hash")
register("scores")

DEFAULT_SOURCE = next(iter(SOURCES))


def candidate_source(name: object) -> CandidateSource:
    """The source registered under `name`; InvalidInputError listing the names otherwise."""
    if not isinstance(name, str) or name not in SOURCES:
        raise InvalidInputError(f"candidates must be one of {', '.join(SOURCES)}, got {show(name)}")
    return SOURCES[name]


def describe_sources(indent: str = "    ") -> str:
    """Every source, one line each (for docstrings and help)."""
    return "\n".join(f"{indent}- {source.name}: {source.summary}" for source in SOURCES.values())


__all__ = ["DEFAULT_SOURCE", "ROUTE_OPTIONS", "SOURCES", "CandidateSource", "candidate_source", "describe_sources",
           "register"]
