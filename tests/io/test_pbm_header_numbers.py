"""PBM header numbers are read as Netpbm reads them: leading zeros are only a spelling, comments
(# to the end of the line) may stand between any two tokens and may end the height, any
whitespace separates; only a number's value is compared with the limit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from phase_router._internal.scalars import MAX_DIM
from phase_router.errors import FileFormatError
from phase_router.io import read_pbm, read_row_degrees, write_pbm
from phase_router.io.degrees import read_degrees

SPACE = st.text(alphabet=" \t\n\r", min_size=1, max_size=3)
COMMENT = st.text(alphabet="abc 09#P4", max_size=8).map(lambda text: f"#{text}\n")
SEPARATOR = st.lists(st.one_of(SPACE, COMMENT), min_size=1, max_size=3).map("".join).filter(
    lambda sep: not sep.startswith("#"))  # a token ends at whitespace or at a comment's '#': both tested below
ZEROS = st.integers(min_value=0, max_value=12).map(lambda n: "0" * n)


def _matrix(height: int, width: int) -> np.ndarray:
    return (np.arange(height * width).reshape(height, width) * 7919 % 5 == 0)


def _spelled(kind: str, header: str, bits: np.ndarray) -> bytes:
    if kind == "P4":
        return header.encode() + np.packbits(bits, axis=1).tobytes()
    return header.encode() + "\n".join(" ".join(str(int(b)) for b in row) for row in bits).encode() + b"\n"


@given(kind=st.sampled_from(["P4", "P1"]), height=st.integers(1, 19), width=st.integers(1, 21),
       zeros=st.tuples(ZEROS, ZEROS), seps=st.tuples(SEPARATOR, SEPARATOR, st.sampled_from(["\n", " ", "\t", "#c\n"])),
       comment_first=st.booleans())
def test_every_spelling_of_the_same_dims_reads_the_same_matrix(tmp_path_factory, kind, height, width, zeros, seps,
                                                               comment_first) -> None:
    bits = _matrix(height, width)
    lead = "#made by hand\n" if comment_first else seps[0]
    end = seps[2] if kind == "P4" or not seps[2].startswith("#") else "\n"
    header = f"{kind}{lead}{zeros[0]}{width}{seps[1]}{zeros[1]}{height}{end}"
    path = tmp_path_factory.mktemp("pbm") / "m.pbm"
    path.write_bytes(_spelled(kind, header, bits))
    np.testing.assert_array_equal(read_pbm(path), bits)
    degrees, shape = read_row_degrees(path)
    assert shape == (height, width) and degrees.tolist() == bits.sum(axis=1).tolist()


def test_the_leading_zeros_trap_from_the_user_report(tmp_path: Path) -> None:
    bits = _matrix(256, 256)
    write_pbm(tmp_path / "plain.pbm", bits)
    raw = (tmp_path / "plain.pbm").read_bytes()
    (tmp_path / "zeros.pbm").write_bytes(raw.replace(b"P4\n256 256\n", b"P4\n000000000256 256\n", 1))
    np.testing.assert_array_equal(read_pbm(tmp_path / "zeros.pbm"), bits)


@pytest.mark.parametrize("number", [str(MAX_DIM + 1), "0" * 30 + str(MAX_DIM + 1), "9" * 200, "1" + "0" * 5000])
def test_values_above_the_limit_are_refused_naming_the_file(tmp_path: Path, number: str) -> None:
    path = tmp_path / "big.pbm"
    path.write_bytes(f"P4\n{number} 1\n".encode() + b"\0" * 64)
    with pytest.raises(FileFormatError) as caught:
        read_pbm(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: width ") and f"is larger than the limit {MAX_DIM}" in message
    assert len(message) < 200 and not message.split("width ")[1].startswith("0")


def test_zero_in_any_spelling_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "zero.pbm"
    path.write_bytes(b"P4\n0000 4\n")
    with pytest.raises(FileFormatError, match="width is 0"):
        read_pbm(path)


def test_degree_files_read_numbers_by_value(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_bytes(b"0000000000000000000000000007\n00\n3\n")
    assert read_degrees(path).tolist() == [7, 0, 3]
    path.write_bytes(b"0000000000000000000000000002147483648\n")
    with pytest.raises(FileFormatError, match="exceeds the limit"):
        read_degrees(path)
