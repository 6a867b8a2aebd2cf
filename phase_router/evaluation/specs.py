"""The system-specs block of an evaluation: what produced the numbers (CPU, cores, memory,
compiler, OpenMP, the CPU dispatch path, Python and library versions)."""

from __future__ import annotations

import os
import platform
import sys

import numpy as np

from .._internal.memory import physical_memory


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    physical = physical_memory()
    return physical / 2**30 if physical is not None else None


def _cpu_features() -> str | None:
    """The instruction-set extensions the kernel's fast paths use, as /proc/cpuinfo lists them."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    wanted = ("avx2", "avx512f", "avx512bw", "avx512vl", "bmi2", "popcnt")
                    return " ".join(f for f in wanted if f in flags) or "none of avx2/avx512/bmi2/popcnt"
    except OSError:
        pass
    return None


def _core_attribute(*names: str) -> str | None:
    from .. import _core

    for name in names:
        value = getattr(_core, name, None)
        if value is not None:
            return str(value() if callable(value) else value)
    return None


def system_specs() -> dict:
    """A dict of plain values; `None` where this build or platform does not say."""
    import phase_router

    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    memory = _memory_gib()
    return {
        "os": f"{platform.system()} {platform.release()}",
        "architecture": platform.machine(),
        "cpu_model": _cpu_model(),
        "logical_cpus": os.cpu_count(),
        "usable_cpus": affinity,
        "memory_gib": None if memory is None else round(memory, 1),
        "compiler": _core_attribute("compiler", "build_compiler", "build_info"),
        "openmp": bool(phase_router._has_openmp),
        "cpu_path": _core_attribute("cpu_path"),
        "cpu_features": _cpu_features(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "phase_router": phase_router.__version__,
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }


def specs_markdown(specs: dict) -> str:
    labels = [("os", "OS"), ("architecture", "Architecture"), ("cpu_model", "CPU model"),
              ("logical_cpus", "Logical CPUs"), ("usable_cpus", "CPUs usable by this process"),
              ("memory_gib", "Memory (GiB)"), ("compiler", "Compiler of the C++ core"), ("openmp", "OpenMP"),
              ("cpu_path", "CPU dispatch path"), ("cpu_features", "CPU features the kernel can use"), ("python", "Python"), ("numpy", "NumPy"),
              ("phase_router", "phase-router"), ("load_average_1min", "Load average (1 min) when the run started")]
    lines = []
    for key, label in labels:
        value = specs.get(key)
        if value is None:
            value = "not reported by this build" if key in ("compiler", "cpu_path") else "unknown"
        lines.append(f"- {label}: {value}")
    return "\n".join(lines) + "\n"
