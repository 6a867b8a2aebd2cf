"""One table of seed domains (core_cpp/common/seed_domains.def) for both languages: the numbers are
distinct, C++ (through _core.seed_domains()) and Python (phase_router._internal.seed_domains) read
the same values, and no other file writes a domain number."""

from __future__ import annotations

import re
from pathlib import Path

from phase_router import _core
from phase_router._internal import random as rnd
from phase_router._internal import seed_domains

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "core_cpp" / "common" / "seed_domains.def"
ENTRY = re.compile(r'^PHASE_ROUTER_SEED_DOMAIN\((\w+), "(\w+)", (\d+), "[^"]*"\)$', re.MULTILINE)


def table_entries() -> list[tuple[str, str, int]]:
    return [(cxx, name, int(number)) for cxx, name, number in ENTRY.findall(TABLE.read_text())]


def test_the_table_is_read_in_full() -> None:
    lines = [line for line in TABLE.read_text().splitlines() if line.startswith("PHASE_ROUTER_SEED_DOMAIN(")]
    assert len(table_entries()) == len(lines) >= 19


def test_every_domain_is_distinct() -> None:
    entries = table_entries()
    for column in range(3):
        values = [entry[column] for entry in entries]
        assert len(set(values)) == len(values), f"repeated in seed_domains.def: {values}"


def test_cpp_and_python_read_the_same_values() -> None:
    expected = {name: number for _, name, number in table_entries()}
    assert _core.seed_domains() == expected
    assert seed_domains.SEED_DOMAINS == expected
    constants = {name: getattr(seed_domains, name) for name in dir(seed_domains) if name.startswith("DOMAIN_")}
    assert constants == {f"DOMAIN_{name.upper()}": number for name, number in expected.items()}


def test_domain_keys_agree() -> None:
    for number in seed_domains.SEED_DOMAINS.values():
        assert _core.domain_key(12345, number) == rnd.domain_key(12345, number) == _core.splitmix(12345, number)


# A domain number written outside the table: a named constant set to a literal, or a key drawn from
# the seed with a literal domain.
DEFINITION = re.compile(
    r"\b(?:DOMAIN_\w+|kDomain\w*)\s*(?::\s*\w+\s*)?=\s*\d"
    r"|domain_key\([^(),]*(?:\([^()]*\))?[^(),]*,\s*\d+\s*\)"
    r"|static_cast<Domain>\(\s*\d"
    r"|\bsplitmix\(\s*(?:int\()?\s*seed\s*\)?\s*,\s*\d+\s*\)"
    r"|default_rng\(\[[^\]]*,\s*\d+\s*\]\)")
SCANNED = ("phase_router", "core_cpp", "benchmarks", "tools", "examples", "launch_phase_router")


def test_the_pattern_finds_literal_domains() -> None:
    for text in ("DOMAIN_X = 3", "kDomainX = 9;", "rnd.domain_key(int(seed), 12)", "splitmix(seed, 4)",
                 "static_cast<Domain>(6)", "np.random.default_rng([seed, 7])"):
        assert DEFINITION.search(text), text
    for text in ("DOMAIN_X = SEED_DOMAINS['x']", "rnd.domain_key(seed, DOMAIN_SELECT)", "splitmix(key, 3)"):
        assert not DEFINITION.search(text), text


def test_no_other_file_writes_a_domain_number() -> None:
    found = []
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in {".py", ".cpp", ".hpp", ".inl", ".pyi"} or ".venv" in path.parts:
                continue
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                if DEFINITION.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == [], "take domain numbers from phase_router._internal.seed_domains:\n" + "\n".join(found)
