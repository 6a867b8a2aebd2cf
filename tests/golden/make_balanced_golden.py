"""Regenerate balanced.json from the balanced policy's reference: python tests/golden/make_balanced_golden.py

Run this only when the balanced policy's definition (docs/SPEC.md, "Balanced selection") changes on
purpose; the file pins its output so that an accidental change to the reference or the kernel is
caught. routes.json (the spec's random policy) is separate and never changes with this one.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from phase_router.reference.balanced import route_degrees_balanced

CASES = [
    # name, s, t, k, seed, row_perm, rounds
    ("tiny_rect", [3, 1, 0], [2, 3, 1, 0, 3], 2, 1, False, 8),
    ("wrapping_arcs", [5, 5, 5, 5, 5, 5, 5], [6, 7, 1, 6, 7, 3], 3, 2**64 - 1, False, 8),
    ("square_70_phase_b", list(np.random.default_rng(70).binomial(70, 0.5, 70)),
     list(np.random.default_rng(71).binomial(70, 0.5, 70)), 9, 12345, False, 8),
    ("square_70_phase_c_only", list(np.random.default_rng(70).binomial(70, 0.5, 70)),
     list(np.random.default_rng(71).binomial(70, 0.5, 70)), 9, 12345, False, 0),
    ("rect_33x65_row_perm", list(np.random.default_rng(33).integers(0, 66, 33)),
     list(np.random.default_rng(65).integers(0, 34, 65)), 20, 7, True, 8),
    ("moe_full_128x8_k2", [8] * 128, [128] * 8, 2, 3, False, 8),
]


def main() -> None:
    cases = []
    for name, s, t, k, seed, row_perm, rounds in CASES:
        report: dict = {}
        routes = route_degrees_balanced(s, t, k, seed, row_perm, rounds, report)
        cases.append({"name": name, "s": [int(x) for x in s], "t": [int(x) for x in t], "k": k, "seed": seed,
                      "row_perm": row_perm, "rounds": rounds, "proven_optimal": report["proven_optimal"],
                      "routes": routes.tolist()})
    lines = ",\n".join(json.dumps(case) for case in cases)
    Path(__file__).with_name("balanced.json").write_text(f'{{"cases": [\n{lines}\n]}}\n')


if __name__ == "__main__":
    main()
