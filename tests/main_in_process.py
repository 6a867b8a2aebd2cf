"""The `phase-router` command's main() run inside the test process: the same argument parsing,
one-line usage errors and exit codes as the installed command, without the second or so that a new
interpreter spends importing NumPy, the core and the CLI. For tests about what main() prints and
returns; tests about the process itself (signals, pipes, a terminal, the console script) start one.

main() installs the CLI's signal handlers and tells the core which signals cancel a kernel; both
are put back afterwards, so the test process (a pytest-xdist worker) keeps its own."""

from __future__ import annotations

import contextlib
import io
import signal
import sys
from dataclasses import dataclass
from typing import Sequence

from phase_router import _core
from phase_router.cli import main

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@dataclass
class Finished:
    """What subprocess.run(..., capture_output=True, text=True) would have returned."""

    returncode: int
    stdout: str
    stderr: str


def run_main(args: Sequence[object]) -> Finished:
    handlers = {signum: signal.getsignal(signum) for signum in SIGNALS}
    cancel_signals = _core.cancel_signals()
    out, err = io.StringIO(), io.StringIO()
    saved_argv = sys.argv
    sys.argv = ["phase-router", *map(str, args)]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = saved_argv
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        _core.set_cancel_signals(cancel_signals)
    return Finished(code, out.getvalue(), err.getvalue())
