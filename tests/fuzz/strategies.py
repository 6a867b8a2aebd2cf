"""Hypothesis strategies that make fuzz inputs: corpus files mutated byte-wise, plus grammars that
produce nearly valid files (right magic, edge-case numbers, raster lengths off by a little), which
random bytes would almost never reach."""

from __future__ import annotations

import io as _io
import json
import numpy as np
import yaml
from hypothesis import strategies as st

from phase_router.routing.selection import POLICIES

from .targets import corpus_files

# Numbers that sit on the limits the readers check: 0, 1, byte/row boundaries, int32, 2^32, 2^64.
EDGE_NUMBERS = [0, 1, 2, 7, 8, 9, 63, 64, 65, 255, 256, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**63, 2**64,
                10**30]
numbers = st.one_of(st.sampled_from(EDGE_NUMBERS), st.integers(0, 40))
number_text = st.one_of(numbers.map(str), st.sampled_from(["-1", "+3", "0x10", "1e3", "1.5", "", "00000000000007"]))
space = st.sampled_from([b" ", b"\n", b"\t", b"\r\n", b"\r", b"\v", b"\f", b"  ", b""])
comment = st.sampled_from([b"# c\n", b"#\n", b"# no newline", b"#\r", b"# \xff\xfe\n"])


def _seeds(name: str) -> list[bytes]:
    files = corpus_files(name)
    return [p.read_bytes() for p in files] or [b""]


@st.composite
def mutated(draw, name: str) -> bytes:
    """A corpus file with 1-8 byte-level edits: flips, inserts, deletions, duplications, and
    decimal numbers swapped for edge cases (headers are where readers decide sizes)."""
    data = bytearray(draw(st.sampled_from(_seeds(name))))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "set", "insert", "delete", "dup", "number", "truncate"]))
        at = draw(st.integers(0, len(data))) if data else 0
        if op == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "set" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif op == "insert":
            data[at:at] = draw(st.binary(max_size=16))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif op == "dup":
            data[at:at] = data[at : at + draw(st.integers(1, 64))]
        elif op == "number":
            data[at:at] = draw(number_text).encode()
        elif op == "truncate":
            del data[at:]
    return bytes(data)


@st.composite
def pbm_grammar(draw, kind: bytes) -> bytes:
    head = [kind]
    fields = []
    for _ in range(2):
        fields.append(draw(st.one_of(numbers, st.integers(1, 20))))
        head += [draw(space), draw(st.sampled_from([b"", b"", draw(comment)])), str(fields[-1]).encode()]
    head.append(draw(st.sampled_from([b"\n", b" ", b"", b"\t", b"x"])))
    width, height = (min(f, 64) for f in fields)
    if kind == b"P4":
        size = height * ((width + 7) // 8) + draw(st.integers(-3, 3))
        raster = draw(st.binary(min_size=max(0, size), max_size=max(0, size)))
    else:
        cells = draw(st.lists(st.sampled_from([b"0", b"1", b"0", b"1", b" ", b"\n", b"2", b"#", b"\x00"]),
                              max_size=width * height + 4))
        raster = b"".join(cells)
    return b"".join(head) + raster


def _npy_bytes(array: np.ndarray) -> bytes:
    buffer = _io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


@st.composite
def npy_grammar(draw, ndim: int) -> bytes:
    """A real NPY file, or one whose header dict is rewritten (dtype, shape, order) to disagree
    with the data that follows."""
    dtype = draw(st.sampled_from(["u1", "i1", "<i4", ">i4", "<i8", "<u8", "<f4", "<f8", "?", "<c8", "<U2", "V3"]))
    shape = tuple(draw(st.lists(st.integers(0, 6), min_size=ndim, max_size=ndim)))
    values = draw(st.sampled_from([0, 1, 2, -1]))
    array = np.full(shape, values).astype(dtype) if dtype != "V3" else np.zeros(shape, dtype=dtype)
    data = _npy_bytes(array)
    if draw(st.booleans()):
        return data
    claimed_shape = tuple(draw(st.lists(numbers, max_size=4)))
    claimed_dtype = draw(st.sampled_from(["'<i4'", "'|b1'", "'<f8'", "'O'", "'<i4", "[('a', '<i4')]", "5", "'>u8'"]))
    order = draw(st.sampled_from(["False", "True", "None", "1"]))
    header = f"{{'descr': {claimed_dtype}, 'fortran_order': {order}, 'shape': {claimed_shape!r}, }}"
    header = header.ljust(draw(st.sampled_from([len(header) + 1, 118, 70000])))[:65534] + "\n"
    prefix = b"\x93NUMPY" + bytes([draw(st.sampled_from([1, 2, 3, 9])), 0])
    length = len(header).to_bytes(2 if prefix[6] == 1 else 4, "little")
    body = draw(st.binary(max_size=64))
    return prefix + length + header.encode("latin-1") + body


text_line = st.one_of(number_text, st.sampled_from(["# comment", "", "   ", "1 2", "1,", "٣", "\x00", "nan", "-0"]))
degrees_text = st.lists(text_line, max_size=40).map(lambda lines: "\n".join(lines).encode("utf-8"))

# Config grammar: real keys with values of every YAML type, so validation sees odd shapes.
yaml_value = st.recursive(
    st.one_of(st.none(), st.booleans(), numbers, st.floats(allow_nan=True), st.text(max_size=8),
              st.sampled_from(["S.pbm", "T.pbm", "/dev/null", "/", ".", "missing.pbm"])),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(
        ["N", "M", "E", "generator", "S", "T", "density", "start", "count", "row_perm", "strategy"]), inner, max_size=4)),
    max_leaves=12,
)
config_keys = st.sampled_from(["name", "shapes", "k", "k_at_most_E", "inputs", "seeds", "options",
                               "repetitions", "routers", "metrics", "description", "bogus"])


@st.composite
def yaml_grammar(draw) -> bytes:
    data = draw(st.dictionaries(config_keys, yaml_value, max_size=8))
    if draw(st.booleans()):  # a mostly valid skeleton with one fuzzed key
        data = {"shapes": [{"N": 64}], "k": [4], "inputs": [{"generator": "uniform_1_to_k"}], **data}
    return yaml.safe_dump(data).encode()


def alias_bomb(depth: int) -> bytes:
    """YAML 'billion laughs': each level lists the previous one 9 times, 9^depth leaves."""
    lines = ["l0: &l0 [1, 2, 3, 4, 5, 6, 7, 8, 9]"]
    for i in range(1, depth + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    lines += ["k: [4]", "shapes: [{N: 64}]", "inputs: [{generator: uniform_1_to_k}]", f"seeds: *l{depth}"]
    return "\n".join(lines).encode()


# --------------------------------------------------------------------------- sweep journals and results


def _json_lines(name: str) -> list[list[bytes]]:
    return [data.split(b"\n") for data in _seeds(name)]


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.sampled_from(EDGE_NUMBERS + [-1, 0.5, 1e308]), st.floats(),
              st.text(max_size=8), st.sampled_from(["0123456789abcdef", "phase", "hash", "auto", "exact-k"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=8,
)
RECORD_KEYS = ["cell_id", "router", "input", "M", "E", "k", "seed", "row_perm", "strategy", "repetitions",
               "active_routes", "fill_ratio", "skew", "load_max", "routes_sha256", "cell", "timings", "journal",
               "config"]


@st.composite
def edited_record(draw, line: bytes) -> bytes:
    """A JSON line with one field replaced, removed, or one of its cell's fields changed, as a
    person editing the file would (most byte flips only make invalid JSON)."""
    try:
        record = json.loads(line)
    except ValueError:
        return line
    if not isinstance(record, dict):
        return line
    key = draw(st.sampled_from(RECORD_KEYS))
    action = draw(st.sampled_from(["set", "delete", "cell", "timings"]))
    if action == "set":
        record[key] = draw(json_value)
    elif action == "delete":
        record.pop(key, None)
    elif action == "cell" and isinstance(record.get("cell"), dict):
        record["cell"][draw(st.sampled_from(RECORD_KEYS[:10]))] = draw(json_value)
    elif isinstance(record.get("timings"), dict):
        record["timings"][draw(st.sampled_from(["route_ms_median", "generate_ms", "threads"]))] = draw(json_value)
    return json.dumps(record, allow_nan=True).encode()


@st.composite
def journal_grammar(draw) -> bytes:
    """A real journal with whole lines edited, duplicated, dropped, reordered or cut short."""
    lines = [l for l in draw(st.sampled_from(_json_lines("journal"))) if l]
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["edit", "dup", "drop", "swap", "cut", "insert"]))
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        if not lines:
            lines.append(draw(st.sampled_from([b"{}", b"[]", b"null"])))
        elif op == "edit":
            lines[i] = draw(edited_record(lines[i]))
        elif op == "dup":
            lines.insert(i, lines[draw(st.integers(0, len(lines) - 1))])
        elif op == "drop":
            del lines[i]
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        else:
            lines.insert(i, json.dumps(draw(json_value)).encode())
    return b"\n".join(lines) + draw(st.sampled_from([b"\n", b"", b"\n\n"]))


@st.composite
def results_grammar(draw) -> bytes:
    """A real results.json with records edited, dropped, duplicated, or a top-level key changed."""
    payload = json.loads(draw(st.sampled_from(_seeds("results_json"))))
    records = payload.get("records", [])
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["edit", "dup", "drop", "top"]))
        if op == "top":
            payload[draw(st.sampled_from(["records", "schema", "config", "cells_total"]))] = draw(json_value)
            records = payload.get("records") if isinstance(payload.get("records"), list) else []
        elif records:
            i = draw(st.integers(0, len(records) - 1))
            if op == "edit":
                records[i] = json.loads(draw(edited_record(json.dumps(records[i]).encode())))
            elif op == "dup":
                records.append(records[i])
            else:
                del records[i]
    return json.dumps(payload, allow_nan=True).encode()


# --------------------------------------------------------------------------- command lines

HOSTILE_VALUES = ["-1", "0", "1", "2147483648", "18446744073709551615", "18446744073709551616", "1e3", "1_0", "nan",
                  "inf", "-inf", "", " ", "abc", "-", "/", "/dev/null", "{ws}", "99999999999999999999999", "٣",
                  "0x10", "1.5", "--", "-k", "--help", "S.pbm", "sweep.yaml", "out", "out/../out2", "tcp://",
                  "notanaddress", "100000", "1TiB", "0B", "-5GiB", "1e400", "true", "none", "\u202e", "a" * 300]
OPTIONS = ["-k", "--seed", "--threads", "--chunk-rows", "--max-memory", "--scheduler", "--workers", "--select",
           "--strategy", "--out", "--stats", "--pbm", "--out-format", "--jobs", "--seeds", "--percentile",
           "--factor", "--tokens", "--experts", "--target-skew", "--target-fill", "--probability",
           "--validation-seeds", "--k-max", "--router", "--shape", "--density", "--width", "--alpha", "--blocks",
           "--capacity-factor", "--high-fraction", "--scenario", "--feasible", "--csv", "--cell", "--candidates",
           "--record-golden", "--check-golden", "--junit", "--markdown", "--degrees",
           *dict.fromkeys(option.flag for policy in POLICIES.values() for option in policy.options)]


@st.composite
def cli_grammar(draw) -> bytes:
    """A corpus command line with option values replaced by hostile ones, options added or
    removed: every command's options see numbers on the limits, malformed sizes and addresses,
    paths that collide or do not exist."""
    argv = json.loads(draw(st.sampled_from(_seeds("cli_options"))))
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["value", "value", "add", "drop"]))
        if op == "value" and len(argv) > 1:
            argv[draw(st.integers(1, len(argv) - 1))] = draw(st.sampled_from(HOSTILE_VALUES))
        elif op == "add":
            argv += [draw(st.sampled_from(OPTIONS)), draw(st.sampled_from(HOSTILE_VALUES))]
        elif op == "drop" and len(argv) > 1:
            del argv[draw(st.integers(1, len(argv) - 1))]
    return json.dumps(argv).encode()


STRATEGIES = {
    "pbm_p1": st.one_of(mutated("pbm_p1"), pbm_grammar(b"P1")),
    "pbm_p4": st.one_of(mutated("pbm_p4"), pbm_grammar(b"P4")),
    "npy": st.one_of(mutated("npy"), npy_grammar(2), npy_grammar(1), npy_grammar(3)),
    "degrees_text": st.one_of(mutated("degrees_text"), degrees_text, st.binary(max_size=64)),
    "degrees_npy": st.one_of(mutated("degrees_npy"), npy_grammar(1), npy_grammar(2)),
    "yaml_config": st.one_of(mutated("yaml_config"), yaml_grammar(), st.integers(1, 9).map(alias_bomb)),
    "journal": st.one_of(mutated("journal"), journal_grammar(), journal_grammar()),
    "results_json": st.one_of(mutated("results_json"), results_grammar(), results_grammar()),
    "cli_options": st.one_of(cli_grammar(), cli_grammar(), cli_grammar(), mutated("cli_options")),
}

