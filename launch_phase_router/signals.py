"""The signal handlers of the `phase-router` command: SIGINT, SIGTERM and SIGHUP raise
`Interrupted`, and `exit_interrupted` ends the command with one line and 128 + the signal's number.

Standard library only, so the launcher can install them before NumPy and the core are loaded;
the CLI (phase_router.cli) installs the same handlers again for `python -m phase_router` and
callers of its main().
"""

from __future__ import annotations

import signal
import sys
import time

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# A second signal this soon after the first does not interrupt the cleanup the first started
# (removing staged files, stopping workers); a later one does, in case the cleanup is stuck.
CLEANUP_GRACE_SECONDS = 5.0


class Interrupted(KeyboardInterrupt):
    """The command was stopped by a signal; `signum` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


_first_signal_at: list[float] = []
_received: list[int] = []  # the signals the handlers turned into Interrupted, in order


def _raise_interrupted(signum: int, frame: object) -> None:
    now = time.monotonic()
    if _first_signal_at and now - _first_signal_at[0] < CLEANUP_GRACE_SECONDS:
        return
    _first_signal_at[:] = [now]
    _received.append(signum)
    raise Interrupted(signum)


def received_interrupt() -> Interrupted | None:
    """The interrupt of the last signal the handlers took, if any: for an exception that code in
    C turned the interrupt into without chaining it (NumPy's import, interrupted inside its own
    `import datetime`, raises an ImportError that no longer carries it)."""
    return Interrupted(_received[-1]) if _received else None


def install_handlers() -> None:
    """Handlers for the three signals; one that was ignored when the command started (nohup's
    SIGHUP, a background job's SIGINT) stays ignored."""
    for signum in SIGNALS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _raise_interrupted)


def interrupt_within(exc: BaseException) -> KeyboardInterrupt | None:
    """The KeyboardInterrupt (a signal's `Interrupted`) that `exc` is or carries: code running
    when a signal lands may wrap it in an exception of its own (Python up to 3.11 turns one
    raised inside a class body's ``__set_name__`` into a RuntimeError; libraries chain it with
    ``raise ... from``). None when the chain holds no interrupt."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def exit_interrupted(exc: BaseException) -> None:
    """One line and 128 + the signal's number (130 for a plain KeyboardInterrupt)."""
    signum = getattr(exc, "signum", signal.SIGINT)
    for other in SIGNALS:  # no second traceback while the interpreter shuts down
        signal.signal(other, signal.SIG_IGN)
    name = signal.Signals(signum).name
    try:
        sys.stderr.write(f"phase-router: error: interrupted ({name})\n" if signum != signal.SIGINT
                         else "phase-router: error: interrupted\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    sys.exit(128 + signum)
