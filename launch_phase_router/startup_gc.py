"""The `phase-router` command loads its modules without the cyclic garbage collector running.

Loading NumPy, Typer, Rich and the package allocates hundreds of thousands of objects that live
as long as the process, and each collection the allocations trigger scans all of them again:
about 10 ms of a short command's start-up, with almost no garbage found. So the launcher pauses
collection before it imports anything (`pause`), and the CLI, once the command's modules are
loaded, moves everything start-up built to the permanent generation, where collections never
look again, and turns collection back on (`resume`): the command itself runs with the collector
as usual. Garbage made during start-up (if any) is never freed; it is a few objects at most.

Standard library only, like the signal handlers, so it can run before anything else is loaded.
"""

from __future__ import annotations

import gc

_paused: list[bool] = []


def pause() -> None:
    """Stop collections until `resume`; nothing when collection is already off."""
    if gc.isenabled():
        gc.disable()
        _paused.append(True)


def resume() -> None:
    """What start-up built frozen (never scanned again), collection on again; nothing unless
    `pause` turned it off (the CLI run by `python -m phase_router` or called in-process)."""
    if _paused:
        _paused.clear()
        gc.freeze()
        gc.enable()
