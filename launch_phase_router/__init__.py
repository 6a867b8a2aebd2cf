"""The `phase-router` command's entry point.

It lives outside the phase_router package on purpose: importing phase_router loads NumPy and the
C++ core (a few hundred milliseconds), and a signal in that window must already end the command
with one line and the right exit status, not a traceback. So this module imports only `signal`,
`sys` and `time`, installs the handlers, and then imports the CLI.

SIGINT, SIGTERM and SIGHUP (Ctrl-C; timeouts, CI runners, Slurm and Kubernetes; a closed
terminal) all raise `Interrupted`, a KeyboardInterrupt: every cleanup path (staged outputs, the
sweep journal) already handles KeyboardInterrupt. The exit status is 128 + the signal's number.
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


def _raise_interrupted(signum: int, frame: object) -> None:
    now = time.monotonic()
    if _first_signal_at and now - _first_signal_at[0] < CLEANUP_GRACE_SECONDS:
        return
    _first_signal_at[:] = [now]
    raise Interrupted(signum)


def install_handlers() -> None:
    """Handlers for the three signals; one that was ignored when the command started (nohup's
    SIGHUP, a background job's SIGINT) stays ignored."""
    for signum in SIGNALS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _raise_interrupted)


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


def main() -> None:
    install_handlers()
    try:
        from phase_router.cli import main as cli_main
    except KeyboardInterrupt as exc:  # during start-up: nothing was written yet
        exit_interrupted(exc)
        return
    cli_main()
