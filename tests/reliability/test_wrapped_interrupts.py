"""A signal's interrupt can reach the CLI wrapped in another exception: Python up to 3.11 turns
a KeyboardInterrupt raised inside a class body's ``__set_name__`` (which a signal during start-up
can hit while a module defines its classes) into a RuntimeError, and libraries chain it with
``raise ... from``. Wherever it is caught (the launcher's start-up, main(), a command's error
boundary) it still ends the command with one line and 128 + the signal's number."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

import launch_phase_router
from launch_phase_router.signals import Interrupted, interrupt_within
from main_in_process import run_main

import warm_process

WRAPPERS = {
    "set_name": lambda interrupt: _raised_by_set_name(interrupt),
    "cause": lambda interrupt: _chained(interrupt, explicit=True),
    "context": lambda interrupt: _chained(interrupt, explicit=False),
}


def _raised_by_set_name(interrupt: BaseException) -> BaseException:
    class Descriptor:
        def __set_name__(self, owner, name):
            raise interrupt

    try:
        type("Owner", (), {"attribute": Descriptor()})
    except BaseException as exc:  # RuntimeError up to 3.11; the interrupt itself from 3.12
        return exc
    raise AssertionError("__set_name__ did not raise")


def _chained(interrupt: BaseException, *, explicit: bool) -> BaseException:
    try:
        try:
            raise interrupt
        except KeyboardInterrupt as inner:
            if explicit:
                raise ValueError("a library's own error") from inner
            raise ValueError("an error while handling the interrupt")  # noqa: B904
    except ValueError as exc:
        return exc


@pytest.mark.parametrize("wrapper", sorted(WRAPPERS))
def test_the_chain_is_searched(wrapper: str) -> None:
    interrupt = Interrupted(signal.SIGTERM)
    assert interrupt_within(WRAPPERS[wrapper](interrupt)) is interrupt
    assert interrupt_within(ValueError("no interrupt here")) is None


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
@pytest.mark.parametrize("wrapper", sorted(WRAPPERS))
def test_a_wrapped_interrupt_in_a_command_is_one_line(monkeypatch, tmp_path: Path, wrapper: str, signum: int) -> None:
    from phase_router.cli import gen_cmd

    monkeypatch.chdir(tmp_path)
    def interrupted_generator(*args, **kwargs):
        raise WRAPPERS[wrapper](Interrupted(signum))

    monkeypatch.setattr(gen_cmd, "realise", interrupted_generator)
    done = run_main(["gen", "uniform", "--shape", "8", "--out", "a.pbm", "b.pbm"])
    assert done.returncode == 128 + signum, done.stderr
    assert done.stderr.strip().splitlines() == [done.stderr.strip()] and "interrupted" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []  # nothing left behind


def _start_up_failing(raise_lines: str):
    """`phase-router route` in a process of its own whose import of phase_router.cli (the
    launcher's start-up) runs `raise_lines` instead: where a signal can land, or an import fail."""
    body = "\n".join("            " + line for line in raise_lines.strip().splitlines())
    script = f"""
import signal, sys
sys.path[:0] = [{str(Path(__file__).parent)!r}, {str(Path(__file__).parents[1])!r}]
import test_wrapped_interrupts as case
import launch_phase_router
from launch_phase_router import signals
from launch_phase_router.signals import Interrupted

class Finder:
    def find_spec(self, name, path=None, target=None):
        if name == "phase_router.cli":
{body}

del sys.modules["phase_router.cli"]
sys.meta_path.insert(0, Finder())
sys.argv = ["phase-router", "route"]
launch_phase_router.main()
"""
    return warm_process.run([sys.executable, "-c", script])


@pytest.mark.parametrize("wrapper", sorted(WRAPPERS))
def test_a_wrapped_interrupt_during_start_up_is_one_line(wrapper: str) -> None:
    """The launcher's import of the CLI, interrupted inside a class definition (or a library
    that chains the interrupt)."""
    done = _start_up_failing(f"raise case.WRAPPERS[{wrapper!r}](Interrupted(signal.SIGTERM))")
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert done.stderr == "phase-router: error: interrupted (SIGTERM)\n"


def test_an_interrupt_turned_into_an_unrelated_error_during_start_up_is_one_line() -> None:
    """Code in C may turn the interrupt into an error that does not carry it (NumPy's import,
    interrupted inside its own `import datetime`, raises an ImportError naming PyCapsule_Import):
    the launcher knows a signal came, and ends with its one line all the same."""
    done = _start_up_failing("""
try:
    signals._raise_interrupted(signal.SIGTERM, None)
except KeyboardInterrupt:
    pass
raise ImportError('PyCapsule_Import could not import module "datetime"')
""")
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert done.stderr == "phase-router: error: interrupted (SIGTERM)\n"


def test_an_unrelated_start_up_error_without_a_signal_is_not_an_interrupt() -> None:
    done = _start_up_failing('raise ImportError("a broken install")')
    assert done.returncode == 1 and "ImportError: a broken install" in done.stderr
