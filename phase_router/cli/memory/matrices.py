"""Peak memory of the commands that hold whole matrices or matrix chunks: `gen` (one chunk of
generated rows at a time) and `dump-pbm` (every pipeline stage of the NumPy reference)."""

from __future__ import annotations

GEN_CHUNK_ENTRIES = 2**22  # inputs/draws.py CHUNK_ENTRIES: entries drawn at once
PLACED_ENTRY_BYTES = 27  # placed_rows: uint64 counters and keys, the sort's copy, bool masks (measured 26.6)
OWN_ROWS_ENTRY_BYTES = 2.5  # generators that draw rows directly (uniform, bands, ...): the bool chunk and its packing
DUMP_CELL_BYTES = 24  # stage_dump: the reference's stages (bool and int per cell) and their PBM/PNG images


def gen_parts(M: int, E: int, *, own_rows: bool) -> dict[str, int]:  # noqa: N803
    """One chunk of rows (at least one whole row) of S or T, drawn and packed; the degrees.
    own_rows: the generator draws its rows itself rather than placing degrees by sorted keys."""
    entries = max(min(GEN_CHUNK_ENTRIES, M * E), max(M, E))
    per_entry = OWN_ROWS_ENTRY_BYTES if own_rows else PLACED_ENTRY_BYTES
    return {"one chunk of rows": int(per_entry * entries), "degrees": 24 * (M + E)}


def dump_parts(M: int, E: int, k: int) -> dict[str, int]:  # noqa: N803
    """Both matrices as read (bool and the packed copy) and the reference's stages; routes from the
    reference and from the kernel."""
    return {"matrices": 4 * M * E, "stages": DUMP_CELL_BYTES * M * E, "routes": 2 * 4 * M * min(k, E) + 8 * M * k}
