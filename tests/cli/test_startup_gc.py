"""The command's start-up runs without garbage collections (launch_phase_router/startup_gc.py):
the launcher pauses the collector before it imports anything, the CLI freezes what start-up
built and turns the collector back on before the command runs. Only the launcher pauses: the
CLI run in-process or by `python -m` changes nothing. New interpreters, since freezing is for
the whole process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
ROUTE = ["route", str(SAMPLES / "S.pbm"), str(SAMPLES / "T.pbm"), "-k", "4", "--json"]

# The collector's state when the route command's body starts, and after the command.
THROUGH_THE_LAUNCHER = """
import gc, sys
import launch_phase_router
import phase_router.cli.route_cmd as route_cmd
seen = []
real = route_cmd.route_to_files
def spy(*args, **kwargs):
    seen.append(gc.isenabled())
    return real(*args, **kwargs)
route_cmd.route_to_files = spy
sys.argv = ["phase-router", *sys.argv[1:]]
try:
    launch_phase_router.main()
except SystemExit:
    pass
print(seen, gc.isenabled(), gc.get_freeze_count() > 0, file=sys.stderr)
"""

IN_PROCESS = """
import gc, sys
from phase_router.cli import run
code = run(sys.argv[1:])
print(code, gc.isenabled(), gc.get_freeze_count(), file=sys.stderr)
"""


def _last_line(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120)
    return done.stderr.strip().splitlines()[-1]


def test_the_launcher_pauses_collection_for_the_start_up_only() -> None:
    assert _last_line(THROUGH_THE_LAUNCHER, *ROUTE) == "[True] True True"


def test_the_cli_called_in_process_leaves_the_collector_alone() -> None:
    assert _last_line(IN_PROCESS, *ROUTE) == "0 True 0"


def test_pause_and_resume() -> None:
    script = """
import gc
from launch_phase_router import startup_gc
startup_gc.pause()
paused = gc.isenabled()
startup_gc.resume()
print(paused, gc.isenabled(), gc.get_freeze_count() > 0)
gc.disable()
startup_gc.pause()
startup_gc.resume()  # it did not pause: collection stays off, nothing frozen anew
print(gc.isenabled())
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["False", "True", "True", "False"], done.stderr
