"""The docstrings the API reference renders are complete: `help(phase_router.route)` names every
registered selection policy with every option and every candidate source; every field of
RoutingStats is documented; every parameter of the public functions is documented; and wherever a
public docstring speaks of "the original", it names it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import pydoc
import re
from dataclasses import fields, is_dataclass

import pytest

import phase_router
from phase_router import moe
from phase_router.compat import router, router_stats
from phase_router.routing.candidates import SOURCES
from phase_router.routing.selection import POLICIES

ORIGINAL = "TSltd/bitpacked_phase_router"
PUBLIC_CALLABLES = [
    *(getattr(phase_router, name) for name in phase_router.__all__ if callable(getattr(phase_router, name))),
    moe.dispatch, moe.combine,
    router.pack_and_route, router.router, router.route_packed_with_stats, router.phase_router_bitpacked,
    router.pack_bits, router.left_align_rows,
    router_stats.monte_carlo_stats, router_stats.estimate_expert_capacity, router_stats.suggest_k_for_balance,
    router_stats.analyze_routing_distribution, router_stats.validate_routing_inputs, router_stats.sample_many,
]


@pytest.mark.parametrize("function", [phase_router.route, phase_router.route_degrees], ids=lambda f: f.__name__)
def test_help_names_every_policy_option_and_source(function):
    text = pydoc.render_doc(function, renderer=pydoc.plaintext)
    for policy in POLICIES.values():
        assert re.search(rf"- {re.escape(policy.name)}: ", text), f"{policy.name} missing from help({function.__name__})"
        for option in policy.options:
            assert f"{option.name}: {option.help}" in " ".join(text.split()), \
                f"{policy.name}'s option {option.name} missing from help({function.__name__})"
    for source in SOURCES.values():
        assert re.search(rf"- {re.escape(source.name)}: ", text), f"{source.name} missing from help({function.__name__})"


def _attributes(doc: str) -> set[str]:
    """The names an ``Attributes:`` section documents (Google style). The docstring is cleaned
    first: Python 3.13 strips its indentation when compiling, older releases keep it."""
    section = inspect.cleandoc(doc).split("Attributes:", 1)[1]
    return set(re.findall(r"^ {4}(\w+): \S", section, flags=re.M))


@pytest.mark.parametrize("cls", [phase_router.RoutingStats, phase_router.Routing], ids=lambda c: c.__name__)
def test_every_field_is_documented(cls):
    documented = _attributes(inspect.getdoc(cls) and cls.__doc__ or "")
    if is_dataclass(cls):
        names = [f.name for f in fields(cls)]
    else:  # its public slots and properties
        names = [name for name in getattr(cls, "__slots__", ()) if not name.startswith("_")]
        names += [name for name, value in vars(cls).items() if isinstance(value, property) and not name.startswith("_")]
    missing = [name for name in names if name not in documented]
    assert not missing, f"{cls.__name__} fields without a line in its Attributes section: {missing}"


def _defines_init(cls: type) -> bool:
    """Whether a class of this package (or a dataclass of it) declares its own constructor; the
    exceptions that take Exception's arguments do not."""
    return any("__init__" in vars(c) for c in cls.__mro__ if c.__module__.startswith("phase_router"))


WITH_OWN_PARAMETERS = [f for f in PUBLIC_CALLABLES if not inspect.isclass(f) or _defines_init(f)]


@pytest.mark.parametrize("function", WITH_OWN_PARAMETERS, ids=lambda f: f.__qualname__)
def test_every_parameter_is_documented(function):
    target = function.__init__ if inspect.isclass(function) else function
    doc = (function.__doc__ or "") + (target.__doc__ or "" if inspect.isclass(function) else "")
    names = [name for name in inspect.signature(target).parameters if name not in ("self", "cls")]
    missing = [name for name in names if not re.search(rf"\b{re.escape(name)}\b", doc)]
    assert not missing, f"{function.__qualname__}: parameters not in its docstring: {missing}"


def _public_docstrings():
    """Module docstrings of the package (the CLI's help texts aside) and the docstrings of the
    public functions the API reference renders."""
    for info in pkgutil.walk_packages(phase_router.__path__, "phase_router."):
        if info.name.startswith("phase_router.cli"):
            continue
        module = importlib.import_module(info.name)
        yield info.name, module.__doc__ or ""
    for function in PUBLIC_CALLABLES:
        yield function.__qualname__, function.__doc__ or ""


def test_the_original_is_named_wherever_it_is_mentioned():
    unnamed = [name for name, doc in _public_docstrings()
               if re.search(r"\bthe original\b", doc, flags=re.I) and ORIGINAL not in doc]
    assert not unnamed, f"docstrings that speak of the original without naming {ORIGINAL}: {unnamed}"
