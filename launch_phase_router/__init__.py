"""The `phase-router` command's entry point.

It lives outside the phase_router package on purpose: importing phase_router loads NumPy and the
C++ core (a few hundred milliseconds), and a signal in that window must already end the command
with one line and the right exit status, not a traceback. So this package imports only the
standard library (`signals.py`), installs the handlers, pauses garbage collection for the
start-up (`startup_gc.py`: the CLI resumes it once the command's modules are loaded), and then
imports the CLI.

SIGINT, SIGTERM and SIGHUP (Ctrl-C; timeouts, CI runners, Slurm and Kubernetes; a closed
terminal) all raise `Interrupted`, a KeyboardInterrupt: every cleanup path (staged outputs, the
sweep journal) already handles KeyboardInterrupt. The exit status is 128 + the signal's number.
"""

from __future__ import annotations

from .signals import exit_interrupted, install_handlers, interrupt_within, received_interrupt
from .startup_gc import pause as pause_gc


def main() -> None:
    install_handlers()
    pause_gc()
    try:
        from phase_router.cli import main as cli_main
    except BaseException as exc:  # a signal during start-up (nothing was written yet), maybe wrapped
        interrupt = interrupt_within(exc) or received_interrupt()
        if interrupt is None:
            raise
        exit_interrupted(interrupt)
        return
    cli_main()
