"""JSON for evaluation outputs: NumPy scalars and arrays become plain numbers and lists."""

from __future__ import annotations

import json

import numpy as np


def _default(value):
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(value) -> str:
    return json.dumps(value, indent=1, default=_default)
