"""Write the seed corpus in tests/fuzz_corpus/ (small valid and near-valid files per target).

Run once by hand when adding seeds; the files are committed. Reproducers of findings are added
next to them as crash-*.bin by hand, so they are replayed by tests/reliability/test_fuzz_regressions.py.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

CORPUS = Path(__file__).resolve().parents[1] / "fuzz_corpus"


def npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def p1(bits: np.ndarray, comment: bool = False) -> bytes:
    h, w = bits.shape
    rows = "\n".join(" ".join(str(int(b)) for b in row) for row in bits)
    return f"P1\n{'# made by make_corpus' + chr(10) if comment else ''}{w} {h}\n{rows}\n".encode()


def p4(bits: np.ndarray) -> bytes:
    h, w = bits.shape
    return f"P4\n{w} {h}\n".encode() + np.packbits(bits, axis=1).tobytes()


def main() -> None:
    rng = np.random.default_rng(6)
    seeds = {
        "pbm_p1": {"small.pbm": p1(rng.random((3, 5)) < 0.5),
                   "comment.pbm": p1(rng.random((4, 9)) < 0.5, comment=True),
                   "one.pbm": b"P1 1 1 1",
                   "compact.pbm": b"P1\n4 2\n01101001\n"},
        "pbm_p4": {"small.pbm": p4(rng.random((3, 5)) < 0.5),
                   "wide.pbm": p4(rng.random((2, 70)) < 0.5),
                   "byte.pbm": p4(np.ones((8, 8), dtype=bool)),
                   "comment.pbm": b"P4\n# c\n9 1\n\xff\x80"},
        "npy": {"bool.npy": npy(rng.random((3, 4)) < 0.5),
                "uint8.npy": npy((rng.random((2, 65)) < 0.5).astype(np.uint8)),
                "float.npy": npy((rng.random((5, 3)) < 0.5).astype(np.float64)),
                "fortran.npy": npy(np.asfortranarray((rng.random((4, 3)) < 0.5).astype(np.int32)))},
        "degrees_text": {"plain.txt": b"0\n1\n2\n3\n",
                         "comments.txt": b"# s degrees\n4\n\n  7  \r\n# end\n0",
                         "one.txt": b"5"},
        "degrees_npy": {"int64.npy": npy(np.array([0, 3, 1, 7], dtype=np.int64)),
                        "uint32.npy": npy(np.arange(9, dtype=np.uint32)),
                        "bigendian.npy": npy(np.array([1, 2], dtype=">i4"))},
        "yaml_config": {"minimal.yaml": b"shapes: [{N: 64}]\nk: 4\ninputs: [{generator: uniform_1_to_k}]\n",
                        "file.yaml": b"k: [2, 8]\ninputs:\n  - generator: file\n    S: S.pbm\n    T: T.pbm\n",
                        "full.yaml": (Path(__file__).resolve().parents[2] / "configs" / "smoke.yaml").read_bytes()
                        .replace(b"../samples/", b"")},  # the fuzz workspace has S.pbm, T.pbm
    }
    for target, files in seeds.items():
        (CORPUS / target).mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (CORPUS / target / name).write_bytes(data)


if __name__ == "__main__":
    main()
