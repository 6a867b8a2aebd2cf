"""Strict parsing of degree files: a text line is a degree only if it is ASCII digits
(with optional surrounding whitespace), never what Python's int() happens to accept; an .npy
value is compared in the file's own integer dtype, so its message is right for every dtype."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from phase_router.errors import FileFormatError
from phase_router.io import read_degrees


@pytest.mark.parametrize("line", ["1_0", "+3", "-0x1", "٣", "１２", "0x10", "1.0", "1e3", "1 2", "3,", "0b1", "nan",
                                  "\u00b2", "7\x00"])
def test_text_line_that_is_not_plain_digits_is_refused(tmp_path: Path, line: str) -> None:
    path = tmp_path / "d.txt"
    path.write_text(f"3\n{line}\n4\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"line 2: .* is not a non-negative integer"):
        read_degrees(path)


@pytest.mark.parametrize(("text", "expected"), [("5\n  7  \n\t0007\r\n", [5, 7, 7]), ("# c\n\n0\n", [0]),
                                                ("00000000000000000003\n", [3]), ("2147483647\n", [2**31 - 1])])
def test_plain_digits_with_whitespace_are_read(tmp_path: Path, text: str, expected: list) -> None:
    path = tmp_path / "d.txt"
    path.write_text(text)
    assert read_degrees(path).tolist() == expected


@pytest.mark.parametrize("value", ["2147483648", "99999999999999999999", "18446744073709551616"])
def test_text_value_above_the_limit_says_so(tmp_path: Path, value: str) -> None:
    path = tmp_path / "d.txt"
    path.write_text(f"1\n{value}\n")
    with pytest.raises(FileFormatError, match=rf"line 2: degree '?{value}'? exceeds the limit 2147483647"):
        read_degrees(path)


@pytest.mark.parametrize(("dtype", "value"), [("<u8", 2**64 - 1), ("<u8", 2**63), ("<u4", 2**32 - 1), ("<u4", 2**31),
                                              (">i8", 2**40), ("<i8", 2**63 - 1), ("<u2", 65535)])
def test_npy_value_above_the_limit_is_too_large_not_negative(tmp_path: Path, dtype: str, value: int) -> None:
    path = tmp_path / "d.npy"
    np.save(path, np.array([1, value], dtype=dtype))
    if value <= 2**31 - 1:
        assert read_degrees(path).tolist() == [1, value]
        return
    with pytest.raises(FileFormatError, match=rf"entry 1: degree {value} exceeds the limit 2147483647"):
        read_degrees(path)


@pytest.mark.parametrize("dtype", ["<i1", "<i2", "<i4", "<i8", ">i4"])
def test_npy_negative_value_is_negative(tmp_path: Path, dtype: str) -> None:
    path = tmp_path / "d.npy"
    np.save(path, np.array([1, -2], dtype=dtype))
    with pytest.raises(FileFormatError, match=r"entry 1: degree -2 is negative"):
        read_degrees(path)
