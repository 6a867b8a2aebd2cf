"""Step 7 of docs/SPEC.md, the selection stage: a policy keeps at most k of each source row's
candidates (step 6's output, from a prepared candidate source). Every policy runs on every
candidate source and writes the same routes format (M x k int32, ascending, -1 padded).

A policy is one module here declaring a ``Policy`` (name, summary, options, row-locality, kernel
binding, memory, oracle) and one ``register`` line below; its C++ kernel lives in
core_cpp/selection/policy_<name>.cpp over a CandidateSource, its oracle in phase_router/reference/.
"""

from __future__ import annotations

from importlib import import_module

from ..._internal.scalars import show
from ...errors import InvalidInputError
from .policy import Option, Policy

POLICIES: dict[str, Policy] = {}


def register(module: str) -> None:
    """Registers the ``POLICY`` declared by the module selection/<module>.py."""
    declared: Policy = import_module(f"{__name__}.{module}").POLICY
    POLICIES[declared.name] = declared


register("random")  # the default: the first registered
register("greedy")
register("balanced")
register("optimal")

DEFAULT_POLICY = next(iter(POLICIES))


def policy(name: object) -> Policy:
    """The policy registered under `name`; InvalidInputError listing the names otherwise."""
    if not isinstance(name, str) or name not in POLICIES:
        raise InvalidInputError(f"select must be one of {', '.join(POLICIES)}, got {show(name)}")
    return POLICIES[name]


def describe_policies(indent: str = "    ") -> str:
    """Every policy and its options, one paragraph each (for docstrings and help)."""
    return "\n".join(f"{indent}- {p.describe()}" for p in POLICIES.values())


__all__ = ["DEFAULT_POLICY", "Option", "POLICIES", "Policy", "describe_policies", "policy", "register"]
