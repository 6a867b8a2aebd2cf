"""The argument checks answer the common case first (a plain int in range, a NumPy array as it
is, a thread count within the limit of any machine, a source that takes every option, no policy
options, a small vector's extremes by index). Each such answer is exactly what the full check gives: every value, good or bad, gets
the same result or the same one-line error either way."""

from __future__ import annotations

import enum
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, strategies as st

import phase_router as pr
from phase_router._internal.arrays import as_numpy
from phase_router._internal.memory import memory_budget, physical_memory
from phase_router._internal.routes import check_output_fits
from phase_router._internal.scalars import MAX_DIM, _checked_count, check_count
from phase_router._internal.threads import THREADS_PER_CORE_LIMIT, check_threads, max_threads
from phase_router._internal.vectors import EXTREME_BY_INDEX_BELOW, _extreme, as_array, check_degrees
from phase_router.routing.candidates import SOURCES


class Small(enum.IntEnum):
    TWO = 2


class Count(int):
    pass


VALUES = st.one_of(
    st.integers(-2**70, 2**70), st.integers(-3, 3 * THREADS_PER_CORE_LIMIT), st.booleans(),
    st.floats(allow_nan=True), st.text(max_size=3), st.none(), st.builds(np.int64, st.integers(-5, 20)),
    st.builds(np.uint8, st.integers(0, 20)), st.builds(np.bool_, st.booleans()), st.just(Small.TWO),
    st.builds(Count, st.integers(-2, 20)), st.builds(float, st.integers(0, 9)), st.just([3]),
)


def outcome(check, *args, **kwargs) -> tuple:
    try:
        value = check(*args, **kwargs)
    except pr.PhaseRouterError as exc:
        return ("refused", type(exc), str(exc))
    return ("accepted", type(value), value)


@given(VALUES, st.integers(-5, 5), st.integers(0, 2**66))
def test_check_count_is_the_full_rule(value: object, minimum: int, span: int) -> None:
    maximum = minimum + span
    assert outcome(check_count, value, "n", minimum=minimum, maximum=maximum) == \
        outcome(_checked_count, value, "n", minimum, maximum)


@given(VALUES)
def test_check_threads_is_the_full_rule(value: object) -> None:
    name = f"threads (at most {THREADS_PER_CORE_LIMIT} per core here)"
    expected = ("accepted", int, 0) if value is None else outcome(_checked_count, value, name, 0, max_threads())
    assert outcome(check_threads, value) == expected


@pytest.mark.parametrize("dtype", ["u1", "u4", "i8", "f8", "f2", "?", "c16", "U3", "O", "M8[s]"])
@pytest.mark.parametrize("shape", [(0,), (5,), (2, 3)])
def test_as_array_gives_a_numpy_array_as_np_asarray_does(dtype: str, shape: tuple) -> None:
    array = np.zeros(shape, dtype=dtype)
    view = array.view(np.ma.MaskedArray)  # a subclass of ndarray takes the full path
    if dtype == "O":
        for given in (array, view):
            with pytest.raises(pr.InvalidInputError, match="must hold numbers, got Python objects"):
                as_array(given, "s")
    else:
        assert as_array(array, "s") is np.asarray(as_numpy(array, "s")) is array
        assert type(as_array(view, "s")) is np.ndarray


def test_physical_memory_is_asked_once_and_the_address_space_limit_every_time() -> None:
    assert physical_memory() == physical_memory() is not None
    assert physical_memory.cache_info().hits >= 1  # type: ignore[attr-defined]
    assert memory_budget() is not None
    # In a process of its own: an address-space limit set after a first check still refuses.
    script = """
import resource
from phase_router import ResourceLimitError
from phase_router._internal.routes import check_output_fits
check_output_fits(1000, 1000)
with open("/proc/self/status") as handle:
    size = next(int(line.split()[1]) * 1024 for line in handle if line.startswith("VmSize:"))
resource.setrlimit(resource.RLIMIT_AS, (size + 2**28, resource.getrlimit(resource.RLIMIT_AS)[1]))
try:
    check_output_fits(2**16, 2**14)
except ResourceLimitError as exc:
    print(exc)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "the routes (M=65536 x k=16384 int32) would need 4.0 GiB" in done.stdout
    assert "address-space limit's remaining" in done.stdout


def test_an_output_larger_than_this_machine_is_refused() -> None:
    budget = memory_budget()
    assert budget is not None
    with pytest.raises(pr.ResourceLimitError, match=r"the routes \(M=2147483647 x k=2147483647 int32\)"):
        check_output_fits(2**31 - 1, 2**31 - 1)
    check_output_fits(256, 64)


@pytest.mark.parametrize("name", sorted(SOURCES))
@given(st.booleans(), st.booleans())
def test_route_options_refused_as_before(name: str, row_perm: bool, strategy: bool) -> None:
    source = SOURCES[name]
    given_options = {"row_perm": row_perm, "strategy": strategy}
    refused = [option for option in ("row_perm", "strategy") if given_options[option] and option not in source.accepts]
    if refused:
        with pytest.raises(pr.InvalidInputError, match=f"candidates={name!r} takes no"):
            source.check_route_options(given_options)
    else:
        source.check_route_options(given_options)


@pytest.mark.parametrize("options", [None, {}, {"rounds": None}, {"rounds": 2}, {"depth": 1}, [], 0])
def test_select_options_checked_as_before(options: object) -> None:
    call = lambda: pr.Router([1, 2, 1], [2, 2], 1, select="balanced", select_options=options)  # noqa: E731
    if options == {"depth": 1}:
        with pytest.raises(pr.InvalidInputError, match="takes the option rounds only, got depth"):
            call()
    elif not isinstance(options, dict) and options is not None:
        with pytest.raises(pr.InvalidInputError, match="select_options must be a dict or None"):
            call()
    else:
        assert call().select_options == ({"rounds": 2} if options == {"rounds": 2} else {})


@pytest.mark.parametrize("dtype", ["u1", "u4", "u8", "i2", "i8", "f8"])
@given(data=st.data())
def test_the_extremes_of_a_degree_vector_by_index_or_by_reduction(dtype: str, data: st.DataObject) -> None:
    """Below EXTREME_BY_INDEX_BELOW entries by argmin/argmax, above by the reduction: the same
    number either way, and the checks built on it refuse what they refused."""
    size = data.draw(st.sampled_from([1, 2, 255, EXTREME_BY_INDEX_BELOW - 1, EXTREME_BY_INDEX_BELOW,
                                      EXTREME_BY_INDEX_BELOW + 1]))
    info = np.iinfo(dtype) if dtype[0] in "ui" else np.finfo(dtype)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    array = rng.integers(max(int(info.min), -2**40), min(int(info.max), 2**40), size).astype(dtype)
    assert _extreme(array, largest=True) == array.max() and _extreme(array, largest=False) == array.min()
    assert type(_extreme(array, largest=True)) in (int, float)
    if array.min() < 0:
        with pytest.raises(pr.InvalidInputError, match="is negative"):
            check_degrees(array, "s")
    elif array.max() > MAX_DIM:
        with pytest.raises(pr.InvalidInputError, match="exceeds the limit"):
            check_degrees(array, "s")
    else:
        assert np.array_equal(check_degrees(array, "s"), array)
