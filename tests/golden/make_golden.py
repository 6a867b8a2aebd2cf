"""Regenerate routes.json from the reference pipeline: python tests/golden/make_golden.py

Run this only when docs/SPEC.md changes on purpose; the file pins the spec's output so that an
accidental change to the reference or the kernel is caught.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from phase_router._internal import random as rnd
from phase_router.reference import spec as reference

CASES = [
    # name, s, t, k, seed, row_perm
    ("one_by_one", [1], [1], 1, 0, False),
    ("tiny_rect", [3, 1, 0], [2, 3, 1, 0, 3], 2, 1, False),
    ("tiny_rect_row_perm", [3, 1, 0], [2, 3, 1, 0, 3], 2, 1, True),
    ("wrapping_arcs", [5, 5, 5, 5, 5, 5, 5], [6, 7, 1, 6, 7, 3], 3, 2**64 - 1, False),
    ("k_beyond_e", [4, 2, 4, 1], [1, 4, 3, 4], 6, 42, False),
    ("square_70", list(np.random.default_rng(70).binomial(70, 0.5, 70)),
     list(np.random.default_rng(71).binomial(70, 0.5, 70)), 9, 12345, False),
    ("rect_33x65_row_perm", list(np.random.default_rng(33).integers(0, 66, 33)),
     list(np.random.default_rng(65).integers(0, 34, 65)), 20, 7, True),
]


def main() -> None:
    cases = []
    for name, s, t, k, seed, row_perm in CASES:
        routes = reference.route_degrees(s, t, k, seed, row_perm)
        cases.append({"name": name, "s": [int(x) for x in s], "t": [int(x) for x in t], "k": k,
                      "seed": seed, "row_perm": row_perm, "routes": routes.tolist()})
    randomness = {
        "splitmix_seed_42_first_4": [rnd.splitmix(42, n) for n in range(4)],
        "domain_keys_seed_42": [rnd.domain_key(42, d) for d in range(5)],
        "permutation_key_42_n_10": rnd.keyed_permutation(42, 10).tolist(),
        "floyd_key_42_n_20_count_5": rnd.floyd_sample(42, 20, 5),
    }
    out = Path(__file__).with_name("routes.json")
    # One case per line keeps diffs of this file readable.
    lines = ",\n".join(json.dumps(case) for case in cases)
    out.write_text(f'{{"cases": [\n{lines}\n],\n"randomness": {json.dumps(randomness)}}}\n')


if __name__ == "__main__":
    main()
