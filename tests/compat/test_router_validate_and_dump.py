"""pack_and_route's validate=True (what the original's validator compared, plus the routing's
invariants) and dump=True (the stage pictures under `prefix`, as `phase-router dump-pbm` writes
them)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from phase_router import PackedBits
from phase_router.cli import app
from phase_router.compat import router
from phase_router.compat import router as compat_router_module
from phase_router.errors import InvalidInputError
from phase_router.io import read_pbm, write_pbm
from phase_router.io.output_formats import routing_matrix

RNG = np.random.default_rng(21)
M, E, K = 30, 22, 4
S = RNG.random((M, E)) < 0.4
T = RNG.random((E, M)) < 0.4


def buffer(rows: int = M, k: int = K) -> np.ndarray:
    return np.empty((rows, k), dtype=np.int32)


def test_validate_reports_the_originals_totals() -> None:
    routes = buffer()
    stats = router.pack_and_route(S, T, K, routes, validate=True, seed=6)
    assert stats["total_bits_S"] == int(S.sum()) and stats["total_bits_T"] == int(T.sum())
    assert stats["all_bits_routed"] is False  # k = 4 keeps far fewer routes than S has ones
    plain = router.pack_and_route(S, T, K, buffer(), seed=6)
    assert not {"total_bits_S", "total_bits_T", "all_bits_routed"} & set(plain)


def test_validate_all_bits_routed() -> None:
    """Full S and T, k = E: every one of S's bits is a candidate and kept, and there are as
    many of T's; the original's validator called that "all bits routed"."""
    full_S, full_T = np.ones((M, E), bool), np.ones((E, M), bool)
    stats = router.pack_and_route(full_S, full_T, E, buffer(M, E), validate=True, seed=6)
    assert stats["active_routes"] == M * E == stats["total_bits_S"] == stats["total_bits_T"]
    assert stats["all_bits_routed"] is True


@pytest.mark.parametrize(("corrupt", "found"), [
    (lambda r: r.__setitem__((0, 0), E), "outside"),
    (lambda r: r.__setitem__((0, 0), -5), "outside"),
    (lambda r: r.__setitem__((1, slice(None)), [3, -1, 5, -1]), "after -1"),
    (lambda r: r.__setitem__((2, slice(None)), [4, 4, -1, -1]), "distinct"),
    (lambda r: r.__setitem__((3, slice(None)), [0, 1, 2, 3]), r"min\(k, s_i\)"),
    (lambda r: r.__setitem__((slice(None), 0), 0), "t_j"),
])
def test_validate_catches_broken_routes(monkeypatch, corrupt, found) -> None:
    """validate=True checks the routes actually written: a routing that broke an invariant
    (simulated here by corrupting what the router wrote) is a RoutesCheckError."""
    sparse_S = S.copy()
    sparse_S[3] = False
    sparse_S[3, :2] = True  # row 3: two ones, so four routes break min(k, s_i)
    real = compat_router_module._route_into

    def broken(routes, s, t, k, seed):
        real(routes, s, t, k, seed)
        corrupt(routes)

    monkeypatch.setattr(compat_router_module, "_route_into", broken)
    router.pack_and_route(sparse_S, T, K, buffer(), validate=False, seed=6)  # unchecked: goes through
    with pytest.raises(router.RoutesCheckError, match=found):
        router.pack_and_route(sparse_S, T, K, buffer(), validate=True, seed=6)


def test_dump_writes_what_dump_pbm_writes(tmp_path: Path) -> None:
    routes = buffer()
    stats = router.pack_and_route(S, T, K, routes, dump=True, prefix=str(tmp_path / "compat"), seed=9)
    assert stats["dump_index"] == str(tmp_path / "compat" / "index.md")
    write_pbm(tmp_path / "S.pbm", S)
    write_pbm(tmp_path / "T.pbm", T)
    result = CliRunner().invoke(app, ["dump-pbm", str(tmp_path / "S.pbm"), str(tmp_path / "T.pbm"), "-k", str(K),
                                      "--out", str(tmp_path / "cli"), "--seed", "9"])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "compat").iterdir())
    assert written == sorted(p.name for p in (tmp_path / "cli").iterdir())
    assert "10_O_selected.pbm" in written and "index.md" in written and "stages.json" in written
    for name in written:
        assert (tmp_path / "compat" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name
    selected = read_pbm(tmp_path / "compat" / "10_O_selected.pbm")
    assert np.array_equal(selected, routing_matrix(routes, E).unpack())


def test_unseeded_dump_records_the_seed_used(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", router.UnreproducibleSeedWarning)
        routes = buffer()
        stats = router.pack_and_route(S, T, K, routes, dump=True, prefix=tmp_path)  # a Path works as well
    assert json.loads((tmp_path / "stages.json").read_text())["seed"] == stats["seed"]
    assert json.loads((tmp_path / "stages.json").read_text())["routes"] == routes.tolist()


def test_dump_folder_problems_are_refused_before_routing(tmp_path: Path) -> None:
    (tmp_path / "a_file").write_text("x")
    routes = np.full((M, K), 77, np.int32)
    with pytest.raises(InvalidInputError, match="is a file"):
        router.pack_and_route(S, T, K, routes, dump=True, prefix=str(tmp_path / "a_file"), seed=1)
    with pytest.raises(InvalidInputError, match="name a folder"):
        router.pack_and_route(S, T, K, routes, dump=True, prefix="", seed=1)
    assert np.all(routes == 77)


def test_dump_false_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    router.pack_and_route(S, T, K, buffer(), seed=1)  # prefix defaults to "dump"
    identity_M, identity_E = np.arange(M), np.arange(E)
    aligned_S, aligned_T = router.left_align_rows(S), router.left_align_rows(T)
    router.route_packed_with_stats(router.pack_bits(aligned_S), router.pack_bits(aligned_T), identity_M, identity_E,
                                   identity_M, identity_E, K, buffer(), debug_prefix="labels", seed=1)
    router.router(aligned_S, aligned_T, K, buffer(), debug_prefix="labels", seed=1)
    assert list(tmp_path.iterdir()) == []


def test_dump_above_the_size_limit_routes_without_pictures(tmp_path: Path) -> None:
    """8192 x 3000 would be about 34 MB of PBM, over dump-pbm's 32 MiB: the routes are written,
    the pictures are not, and a warning says so (the original skipped them silently)."""
    rows, cols = 8192, 3000
    S_big = PackedBits(np.full((rows, (cols + 7) // 8), 0xF0, np.uint8), cols)
    T_big = PackedBits(np.full((cols, (rows + 7) // 8), 0x0F, np.uint8), rows)
    routes = buffer(rows, 2)
    with pytest.warns(router.IgnoredInputWarning, match="no stage pictures"):
        stats = router.pack_and_route(S_big, T_big, 2, routes, dump=True, prefix=str(tmp_path / "big"), seed=1)
    assert "dump_index" not in stats and not (tmp_path / "big").exists()
    assert stats["active_routes"] == int(np.count_nonzero(routes >= 0)) > 0
