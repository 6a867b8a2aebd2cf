"""What memory this process could hold: the one probe of the machine's physical memory, the
address-space limit, and the refusal of an allocation beyond them."""

from __future__ import annotations

import functools
import os

from ..errors import ResourceLimitError


@functools.lru_cache(maxsize=None)  # asked before every allocation of routes; a system call each time
def physical_memory() -> int | None:
    """Bytes of physical memory on this machine (what /proc/meminfo calls MemTotal), or None
    where the platform does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # not on every platform
        return None


def memory_budget() -> tuple[int, str] | None:
    """(bytes, what) this process could allocate at most: the machine's physical memory, or less
    when an address-space limit (ulimit -v, RLIMIT_AS) leaves less room; None if unknown."""
    physical = physical_memory()
    if physical is None:
        return None
    budget, what = physical, "this machine's"
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_AS)[0]
        if soft != resource.RLIM_INFINITY:
            with open("/proc/self/status") as handle:
                used = next(int(line.split()[1]) * 1024 for line in handle if line.startswith("VmSize:"))
            if soft - used < budget:
                budget, what = max(0, soft - used), "the address-space limit's remaining"
    except (ImportError, OSError, StopIteration, ValueError):
        pass
    return budget, what


def check_fits(needed: int, what: str, hint: str) -> None:
    """Refuse, before allocating, `needed` bytes that this process could not hold."""
    budget = memory_budget()
    if budget is not None and needed > budget[0]:
        raise ResourceLimitError(f"{what} would need {needed / 2**30:.1f} GiB, more than {budget[1]} "
                                 f"{budget[0] / 2**30:.1f} GiB; {hint}")
