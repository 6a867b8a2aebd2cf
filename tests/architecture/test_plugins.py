"""Selection policies and candidate sources are plugins: each declares, in its own module,
everything the rest of the package asks of it; nothing outside its module branches on its name;
the CLI has a flag for every declared option; and every policy on every source matches its NumPy
oracle byte for byte. All of it is parametrized from the registries, so a new policy or source
cannot escape these checks."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest
import typer
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

import phase_router as pr
from phase_router import _core
from phase_router.analysis.routers import ROUTERS, phase_router_name
from phase_router.cli import app
from phase_router.cli.memory.route import route_parts
from phase_router.errors import InvalidInputError
from phase_router.routing.candidates import ROUTE_OPTIONS, SOURCES, CandidateSource
from phase_router.routing.router import PreparedCandidates
from phase_router.routing.selection import POLICIES, Option, Policy, kernel

PACKAGE = Path(pr.__file__).parent
PAIRS = [(source, policy) for source in SOURCES for policy in POLICIES]


def _module_file(declaration) -> Path:
    """The file of the module that declares a plugin (where its oracle function is defined)."""
    return Path(sys.modules[declaration.oracle.__module__].__file__)


def _small_router(M: int = 24, E: int = 16, k: int = 3) -> pr.Router:  # noqa: N803
    return pr.Router(np.full(M, E // 2), np.full(E, M // 2), k, seed=1)


def _other_value(option: Option):
    """A valid value of the option that is not its default."""
    if option.choices:
        return next(choice for choice in reversed(option.choices) if choice != option.default)
    return next(v for v in (option.minimum + 2, option.minimum + 1, option.minimum) if v != option.default
                and option.minimum <= v <= option.maximum)


# --- every plugin declares everything --------------------------------------------------------------

@pytest.mark.parametrize("name", list(POLICIES))
def test_every_policy_declares_everything(name: str) -> None:
    policy = POLICIES[name]
    assert isinstance(policy, Policy) and policy.name == name
    assert isinstance(policy.summary, str) and policy.summary.strip()
    assert isinstance(policy.row_local, bool)
    if not policy.shardable:  # shards are refused with this reason
        assert name in policy.not_row_local_because and "shard" in policy.not_row_local_because
    if policy.sharding is not None:  # a policy that is not row-local and still runs on shards
        assert not policy.row_local and callable(policy.sharding.route_shard) and callable(policy.sharding.reconcile)
        assert policy.sharding.summary_bytes(64, 4) >= 0
    module = _module_file(policy)
    assert module.parent == PACKAGE / "routing" / "selection", module
    assert sys.modules[policy.oracle.__module__].POLICY is policy
    assert hasattr(_core, policy.binding) and callable(kernel.binding(policy.binding))
    assert callable(policy.oracle) and "reference" in module.read_text()  # the oracle lives in reference/
    for option in policy.options:
        assert re.fullmatch(r"[a-z][a-z_]*", option.name) and option.help.strip()
        assert option.flag == "--" + option.name.replace("_", "-")
        if option.choices:
            assert all(isinstance(choice, str) for choice in option.choices)
        else:
            assert option.minimum <= option.maximum
        if option.default is not None:
            assert option.check(option.default) == option.default
        assert option.check(_other_value(option)) == _other_value(option)
    router = _small_router()
    assert isinstance(policy.kernel_options(router, {}), dict)
    for pairs in (0, 10**6):
        scratch = policy.scratch_bytes(1000, 500, 16, 2, pairs)
        assert isinstance(scratch, int) and scratch >= 0
    with pytest.raises(InvalidInputError):
        policy.check_options({"no_such_option": 1})


@pytest.mark.parametrize("name", list(SOURCES))
def test_every_source_declares_everything(name: str) -> None:
    source = SOURCES[name]
    assert isinstance(source, CandidateSource) and source.name == name
    assert isinstance(source.summary, str) and source.summary.strip()
    assert isinstance(source.from_degrees, bool) and source.accepts <= set(ROUTE_OPTIONS)
    module = _module_file(source)
    assert module.parent == PACKAGE / "routing" / "candidates", module
    assert sys.modules[source.oracle.__module__].SOURCE is source
    assert "reference" in module.read_text()  # the oracle lives in reference/
    parts = source.memory_parts(1000, 500, 2, 10**5)
    assert "scratch" in parts and all(isinstance(v, int) and v >= 0 for v in parts.values())
    if source.input_part:
        assert source.input_part in parts
    rng = np.random.default_rng(3)
    S, T = rng.random((12, 8)) < 0.5, rng.random((8, 12)) < 0.5  # noqa: N806
    inputs = (S.sum(1), T.sum(1)) if source.from_degrees else (S, T)
    assert isinstance(source.candidate_pairs(*inputs), int)
    prepared = source.prepare(*inputs, 2, seed=0, select=next(iter(POLICIES)), select_options=None)
    assert isinstance(prepared, PreparedCandidates) and prepared.candidates == name
    assert source.oracle(S, T, 0, False).shape == (12, 8)


@pytest.mark.parametrize("name", list(SOURCES))
def test_route_options_a_source_does_not_take_are_refused(name: str) -> None:
    source = SOURCES[name]
    S, T = np.ones((4, 4)), np.ones((4, 4))  # noqa: N806
    for option, given_value in (("row_perm", {"row_perm": True}), ("strategy", {"strategy": "dense"})):
        if option in source.accepts:
            pr.route(S, T, 2, candidates=name, **given_value)
        else:
            with pytest.raises(InvalidInputError, match=f"candidates='{name}'"):
                pr.route(S, T, 2, candidates=name, **given_value)


@pytest.mark.parametrize(("source", "policy"), PAIRS)
def test_every_pair_has_a_memory_estimate(source: str, policy: str) -> None:
    parts = route_parts(2048, 1024, 16, 256, threads=2, policy=policy, row_local=POLICIES[policy].row_local,
                        pairs=10**5, source=source)
    own = SOURCES[source].memory_parts(2048, 1024, 2, 10**5)
    assert parts["scratch"] == own["scratch"] + POLICIES[policy].scratch_bytes(2048, 1024, 16, 2, 10**5)
    assert parts["routes"] == (256 if POLICIES[policy].row_local else 2048) * 16 * 4


# --- nothing outside a plugin branches on its name -------------------------------------------------

BRANCH_WORDS = re.compile(r"^\s*(if|elif|while|assert)\b|\bif\b|==|!=")


def name_branches(text: str, name: str) -> list[str]:
    """Lines of `text` that test a value against the quoted plugin name: comparisons, or a
    condition holding the quoted name (``if x in ("a", "b")``)."""
    quoted = re.compile(rf"""["']{re.escape(name)}["']""")
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        code = line.split("#", 1)[0]
        if quoted.search(code) and BRANCH_WORDS.search(code):
            found.append(f"{number}: {line.strip()}")
    return found


def test_the_branch_finder_finds_branches() -> None:
    assert name_branches('if policy == "greedy":\n    pass', "greedy")
    assert name_branches("elif select.value != 'optimal':", "optimal")
    assert name_branches('    if candidates in ("phase", "mask"):', "mask")
    assert not name_branches('POLICY = Policy("greedy", "summary")', "greedy")


def _plugin_files() -> dict[str, set[Path]]:
    """Where a plugin's name may be tested: its own module, and the NumPy oracles (reference/)."""
    files = {name: {_module_file(p)} for name, p in POLICIES.items()}
    for name, source in SOURCES.items():
        files.setdefault(name, set()).add(_module_file(source))
    return files


# Router-table names that are not the phase router under a policy (hash, two-choice, ...): a
# candidate source may share one (candidates="hash" draws what the "hash-weighted" router draws).
BASELINE_ROUTERS = set(ROUTERS) - {phase_router_name(name) for name in POLICIES}


@pytest.mark.parametrize("name", sorted(set(POLICIES) | set(SOURCES)))
def test_no_module_outside_a_plugin_branches_on_its_name(name: str) -> None:
    allowed = _plugin_files()[name]
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in allowed or (PACKAGE / "reference") in path.parents:
            continue
        hits = name_branches(path.read_text(), name)
        if name in BASELINE_ROUTERS:  # the same word names a baseline router: only branches on candidates count
            hits = [hit for hit in hits if "candidates" in hit]
        offenders += [f"{path.relative_to(PACKAGE)}:{hit}" for hit in hits]
    assert not offenders, "branches on a plugin's name outside its module:\n" + "\n".join(offenders)


# --- the CLI has every declared option -------------------------------------------------------------

def _route_flags() -> set[str]:
    command = typer.main.get_command(app).commands["route"]
    return {flag for param in command.params for flag in getattr(param, "opts", [])}


def test_cli_takes_and_describes_every_policy_and_source(tmp_path: Path) -> None:
    command = typer.main.get_command(app).commands["route"]
    helps = {param.name: param.help for param in command.params}
    rng = np.random.default_rng(2)
    np.save(tmp_path / "S.npy", (rng.random((16, 8)) < 0.5).astype(np.uint8))
    np.save(tmp_path / "T.npy", (rng.random((8, 16)) < 0.5).astype(np.uint8))
    for source in SOURCES.values():
        assert f"{source.name}: {source.summary}" in helps["candidates"]
        for policy in POLICIES.values():
            assert f"{policy.name}: {policy.summary}" in helps["select"]
            result = CliRunner().invoke(app, ["route", str(tmp_path / "S.npy"), str(tmp_path / "T.npy"), "-k", "2",
                                              "--select", policy.name, "--candidates", source.name, "--json"])
            assert result.exit_code == 0, result.output
            execution = json.loads(result.stdout)["execution"]
            assert (execution["select"], execution["candidates"]) == (policy.name, source.name)


OPTIONS = [(policy.name, option) for policy in POLICIES.values() for option in policy.options]


@pytest.mark.parametrize(("select", "option"), OPTIONS, ids=[f"{p}-{o.name}" for p, o in OPTIONS])
def test_cli_flag_of_every_declared_option(tmp_path: Path, select: str, option: Option) -> None:
    assert option.flag in _route_flags()
    rng = np.random.default_rng(7)
    s, t = rng.integers(0, 33, 64), rng.integers(0, 65, 32)
    np.save(tmp_path / "s.npy", s)
    np.save(tmp_path / "t.npy", t)
    value = _other_value(option)
    args = ["route", "--degrees", str(tmp_path / "s.npy"), str(tmp_path / "t.npy"), "-k", "4", "--seed", "5"]
    result = CliRunner().invoke(app, [*args, "--select", select, option.flag, str(value),
                                      "--out", str(tmp_path / "r.npy")])
    assert result.exit_code == 0, result.output
    expected = pr.route_degrees(s, t, 4, seed=5, select=select, select_options={option.name: value}).routes
    assert np.array_equal(np.load(tmp_path / "r.npy"), expected)
    others = [p for p in POLICIES if option not in POLICIES[p].options]
    if others:
        refused = CliRunner().invoke(app, [*args, "--select", others[0], option.flag, str(value)])
        assert refused.exit_code == 2 and f"{option.flag} goes with --select" in refused.stderr


@pytest.mark.parametrize("name", [p for p in POLICIES if not POLICIES[p].shardable])
def test_cli_refuses_shards_of_a_policy_that_cannot_be_sharded(tmp_path: Path, name: str) -> None:
    np.save(tmp_path / "d.npy", np.full(8, 4))
    result = CliRunner().invoke(app, ["route", "--degrees", str(tmp_path / "d.npy"), str(tmp_path / "d.npy"),
                                      "-k", "2", "--select", name, "--workers", "2"])
    assert result.exit_code == 2 and POLICIES[name].not_row_local_because in result.stderr.replace("\n", " ")


# --- every policy on every source matches its oracle ----------------------------------------------

@st.composite
def small_inputs(draw):
    M, E = draw(st.integers(1, 14)), draw(st.integers(1, 12))  # noqa: N806
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    density_S, density_T = draw(st.sampled_from([0.2, 0.5, 0.9])), draw(st.sampled_from([0.3, 0.7, 1.0]))
    S, T = rng.random((M, E)) < density_S, rng.random((E, M)) < density_T  # noqa: N806
    return S, T, draw(st.integers(1, 4)), draw(st.integers(0, 2**64 - 1)), draw(st.booleans())


@pytest.mark.filterwarnings("ignore:wrap-count regime")  # random inputs: the balance is not under test
@pytest.mark.parametrize(("source", "policy"), PAIRS)
@settings(deadline=None, max_examples=30)
@given(case=small_inputs(), non_default=st.booleans())
def test_every_policy_on_every_source_matches_its_oracle(source: str, policy: str, case, non_default: bool) -> None:
    S, T, k, seed, row_perm = case  # noqa: N806
    declared, candidates = POLICIES[policy], SOURCES[source]
    row_perm = row_perm and "row_perm" in candidates.accepts
    options = {option.name: _other_value(option) for option in declared.options} if non_default else {}
    got = pr.route(S, T, k, seed=seed, select=policy, candidates=source, row_perm=row_perm,
                   select_options=options).routes
    O = candidates.oracle(S, T, seed, row_perm)  # noqa: N806
    weights = candidates.weights(S, T) if candidates.weights else None
    t = candidates.target_weights(S, T) if candidates.target_weights else np.count_nonzero(T, axis=1)
    expected = declared.oracle(O, t.astype(np.int64), k, seed,
                               declared.check_options(options), weights)
    assert got.dtype == np.int32 and np.array_equal(got, expected)
