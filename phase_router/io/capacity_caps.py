"""The per-target capacities of `capacity --out FILE`: the joint and the marginal cap of every
target, by the file's extension:

- .csv: a header `target,joint,marginal`, then one row per target (target ids from 0);
- .npy: an (E, 2) int64 array, column 0 the joint caps, column 1 the marginal caps (row j is
  target j), as np.save writes it.

Written atomically: the file appears complete or not at all.
"""

from __future__ import annotations

import io as _io
import os

import numpy as np

from ..errors import InvalidInputError
from .atomic import atomic_output

CAPS_FORMATS = (".csv", ".npy")
CSV_HEADER = "target,joint,marginal"


def check_caps_path(path: str | os.PathLike[str], option: str = "--out") -> str:
    """The format (.csv or .npy) that `path`'s extension names; anything else is refused."""
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    if suffix not in CAPS_FORMATS:
        raise InvalidInputError(f"{os.fspath(path)}: {option} must end in .csv or .npy (the per-target caps' "
                                f"format), got {suffix or 'no extension'!r}")
    return suffix


def caps_table(joint, marginal) -> np.ndarray:
    joint, marginal = np.asarray(joint, dtype=np.int64), np.asarray(marginal, dtype=np.int64)
    if joint.shape != marginal.shape or joint.ndim != 1:
        raise InvalidInputError(f"joint and marginal caps must be vectors of one length, got {joint.shape} "
                                f"and {marginal.shape}")
    return np.stack([joint, marginal], axis=1)


def write_caps(path: str | os.PathLike[str], joint, marginal) -> None:
    """Write the caps to `path` in the format its extension names."""
    suffix = check_caps_path(path)
    table = caps_table(joint, marginal)
    if suffix == ".npy":
        buffer = _io.BytesIO()
        np.save(buffer, table)
        data = buffer.getvalue()
    else:
        lines = [CSV_HEADER] + [f"{j},{a},{b}" for j, (a, b) in enumerate(table.tolist())]
        data = ("\n".join(lines) + "\n").encode()
    with atomic_output(path) as handle:
        handle.write(data)


def read_caps(path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray]:
    """(joint, marginal) as written by write_caps."""
    suffix = check_caps_path(path, "path")
    if suffix == ".npy":
        from .npy import load_npy

        table = np.asarray(load_npy(path), dtype=np.int64)
    else:
        with open(path, encoding="ascii") as handle:
            header = handle.readline().strip()
            if header != CSV_HEADER:
                raise InvalidInputError(f"{os.fspath(path)}: expected the header {CSV_HEADER!r}, got {header[:40]!r}")
            rows = [line.split(",") for line in handle.read().splitlines() if line]
        table = np.array([[int(joint), int(marginal)] for _, joint, marginal in rows], dtype=np.int64).reshape(-1, 2)
    return table[:, 0], table[:, 1]
