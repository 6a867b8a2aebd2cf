"""`--max-memory`: every command's peak-memory estimate, checked before the work it counts
(limit.py: the option, sizes and the check; one module per command family for the plans)."""

from .limit import (check_memory, default_max_memory, format_size, max_memory_option, parse_size,
                    resident_bytes, resolve_limit)

__all__ = ["check_memory", "default_max_memory", "format_size", "max_memory_option", "parse_size",
           "resident_bytes", "resolve_limit"]
