"""Digest of many routings, to compare CPU paths, builds and emulated CPUs.

    python tools/path_digest.py                   # prints {"path": ..., "digest": ...}
    python tools/path_digest.py --expect F.json   # exit 1 unless the digest equals F's

Cases: candidate sets below and above 64 (the register and the marks paths), k above and below
half the candidates (kept vs dropped ranks drawn), dense and sparse strategies, row permutation.
--small keeps to shapes an emulator runs in seconds."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

import numpy as np

import phase_router as pr

CASES = [(1, 300, 40, 7), (2, 64, 4096, 1000), (3, 2000, 700, 350), (4, 513, 513, 500),
         (5, 4096, 4096, 512), (6, 1000, 5000, 2500), (7, 77, 3000, 20)]
SMALL = [(1, 300, 40, 7), (2, 64, 1500, 400), (3, 200, 700, 350), (4, 130, 513, 100), (7, 77, 3000, 20)]


def digest(cases: list[tuple[int, int, int, int]]) -> str:
    h = hashlib.sha256()
    for seed, M, E, k in cases:
        rng = np.random.default_rng(seed)
        s, t = rng.integers(0, E + 1, M), rng.integers(0, M + 1, E)
        for row_perm in (False, True):
            for strategy in ("dense", "sparse"):
                h.update(pr.route_degrees(s, t, k, seed=seed, row_perm=row_perm, strategy=strategy).routes.tobytes())
    return h.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--expect", help="JSON file from an earlier run to compare with")
    args = parser.parse_args()
    result = {"path": pr.cpu_path, "digest": digest(SMALL if args.small else CASES), "small": args.small}
    print(json.dumps(result))
    if args.expect:
        with open(args.expect) as f:
            expected = json.load(f)
        if expected["digest"] != result["digest"] or expected["small"] != result["small"]:
            print(f"digest differs from {args.expect} ({expected['path']} path)", file=sys.stderr)
            return 1
        print(f"same bits as the {expected['path']} path of {args.expect}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
