"""The seed convention of the original (TSltd/bitpacked_phase_router), confined to
phase_router.compat: seed 0 means "a fresh seed".

The original seeded its routing from the clock when given seed 0, its default, and its scripts
rely on it (a Monte-Carlo loop of unseeded calls expects a new routing each call). Here seed 0
draws 64 bits from the operating system's entropy source instead of the clock (two calls in the
same clock tick would share a clock seed), and the seed drawn is reported so that the run can be
repeated. The main API (phase_router.route, ...) never does this: every seed there, 0 included,
is deterministic.
"""

from __future__ import annotations

import secrets
import threading
import warnings

from .._internal.scalars import MAX_SEED, check_count


class UnreproducibleSeedWarning(UserWarning):
    """A compat call was given seed 0 and drew a fresh seed: the run repeats only with that seed."""


class IgnoredInputWarning(UserWarning):
    """A compat call was given something the original used and this project derives itself (a
    permutation, the bit positions of a row): it was checked and then not used."""


_warned = False
_warned_lock = threading.Lock()


def fresh_seed() -> int:
    """A uniformly random nonzero 64-bit seed from the OS (nonzero, so that passing it back in
    repeats the run instead of drawing again)."""
    while True:
        seed = secrets.randbits(64)
        if seed:
            return seed


def resolve_seed(seed: object, name: str = "seed", *, stacklevel: int = 3) -> int:
    """The seed a compat routing call uses: `seed` itself, or for 0 a fresh one, with a warning
    the first time in this process."""
    seed = check_seed(seed, name)
    if seed != 0:
        return seed
    drawn = fresh_seed()
    _warn_once(name, stacklevel + 1)
    return drawn


def check_seed(seed: object, name: str) -> int:
    """An integer in [0, 2**64), named as the caller's argument is."""
    return check_count(seed, name, minimum=0, maximum=MAX_SEED)


def _warn_once(name: str, stacklevel: int) -> None:
    global _warned
    with _warned_lock:
        if _warned:
            return
        _warned = True
    warnings.warn(f"{name}=0 drew a fresh random seed (the original's convention for seed 0); this run can be "
                  f"repeated only with the seed reported in the stats (stats['seed']). Pass a nonzero {name} "
                  "for a reproducible routing. This warning is shown once per process.",
                  UnreproducibleSeedWarning, stacklevel=stacklevel)
