"""Digest of many routings, to compare CPU paths, builds and emulated CPUs.

    python tools/path_digest.py                   # prints {"path": ..., "digest": ...}
    python tools/path_digest.py --expect F.json   # exit 1 unless the digest equals F's

Cases: candidate sets below and above 64 (the register and the marks paths), k above and below
half the candidates (kept vs dropped ranks drawn), dense and sparse strategies, row permutation,
and MoE batches (every row full, whole-wrap capacities: a few candidates in one word or spread
over several); and select="balanced" on each, whose phase C writes moved rows back with the
path's own writer. --small keeps to shapes an emulator runs in seconds."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

import numpy as np

import phase_router as pr

# (seed, M, E, k, MoE batch?)
CASES = [(1, 300, 40, 7, False), (2, 64, 4096, 1000, False), (3, 2000, 700, 350, False), (4, 513, 513, 500, False),
         (5, 4096, 4096, 512, False), (6, 1000, 5000, 2500, False), (7, 77, 3000, 20, False),
         (8, 4096, 64, 2, True), (9, 2048, 256, 8, True)]
SMALL = [(1, 300, 40, 7, False), (2, 64, 1500, 400, False), (3, 200, 700, 350, False), (4, 130, 513, 100, False),
         (7, 77, 3000, 20, False), (8, 512, 64, 2, True), (9, 256, 256, 8, True)]


def degrees(seed: int, M: int, E: int, k: int, moe: bool) -> tuple[np.ndarray, np.ndarray]:
    if moe:  # every token may go to every expert; capacities of ceil(1.25 k) whole wraps
        return np.full(M, E), np.full(E, -(-5 * k // 4) * M // E)
    rng = np.random.default_rng(seed)
    return rng.integers(0, E + 1, M), rng.integers(0, M + 1, E)


def digest(cases: list[tuple[int, int, int, int, bool]]) -> str:
    h = hashlib.sha256()
    for seed, M, E, k, moe in cases:
        s, t = degrees(seed, M, E, k, moe)
        for row_perm in (False, True):
            for strategy in ("dense", "sparse"):
                h.update(pr.route_degrees(s, t, k, seed=seed, row_perm=row_perm, strategy=strategy).routes.tobytes())
        h.update(pr.route_degrees(s, t, k, seed=seed, select="balanced").routes.tobytes())
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
