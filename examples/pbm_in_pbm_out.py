"""PBM in, routed PBM out: read S and T as PBM images, route them, write the routing matrix O
(1 where source i was routed to target j) as a PBM image, and a PNG preview if Pillow is there.

    python examples/pbm_in_pbm_out.py [S.pbm T.pbm] [--k 64] [--out DIR]

Defaults to the sample matrices in samples/. The same as `phase-router route S.pbm T.pbm -k 64
--pbm O.pbm`; this is the library route: phase_router.io reads and writes P1/P4 PBM, and writes
every output atomically (all files appear together, or none).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import phase_router as pr
from phase_router import io

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("S", nargs="?", default=SAMPLES / "S.pbm", type=Path)
    parser.add_argument("T", nargs="?", default=SAMPLES / "T.pbm", type=Path)
    parser.add_argument("--k", type=int, default=64)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("build/pbm_example"))
    args = parser.parse_args()

    S, T = io.read_pbm(args.S), io.read_pbm(args.T)
    routing = pr.route(S, T, args.k, seed=args.seed)
    O = np.zeros((S.shape[0], S.shape[1]), dtype=bool)
    rows, slots = np.nonzero(routing.routes >= 0)
    O[rows, routing.routes[rows, slots]] = True

    args.out.mkdir(parents=True, exist_ok=True)
    with io.output_batch() as batch:
        io.write_pbm(args.out / "O.pbm", O, batch=batch)
        try:
            from PIL import Image

            with batch.file(args.out / "O.png") as handle:
                Image.fromarray(~O).convert("1").save(handle, format="PNG")  # black = 1, as in PBM
        except ImportError:
            print("Pillow not installed: no PNG preview")
    back = io.read_pbm(args.out / "O.pbm")
    assert np.array_equal(back, O) and back.sum(axis=1).max() <= args.k
    print(f"{args.S.name} {S.shape} + {args.T.name} {T.shape}, k = {args.k} -> {args.out / 'O.pbm'}: "
          f"{int(O.sum())} routes, fill {routing.stats.fill_ratio:.4f}")


if __name__ == "__main__":
    main()
