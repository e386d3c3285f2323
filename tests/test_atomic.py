"""Outputs are replaced whole, and outputs that belong together are replaced together or not at all."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from reporter import atomic
from reporter.errors import OutputLockedError


def test_group_replaces_every_target_on_success(tmp_path: Path) -> None:
    a, b = tmp_path / "a.docx", tmp_path / "sub" / "b.xlsx"
    a.write_bytes(b"old a")
    with atomic.atomic_paths(a, b) as (ta, tb):
        ta.write_bytes(b"new a")
        tb.write_bytes(b"new b")
        assert a.read_bytes() == b"old a"  # nothing replaced before the end
    assert (a.read_bytes(), b.read_bytes()) == (b"new a", b"new b")
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["a.docx", "b.xlsx"]


def test_group_replaces_nothing_when_one_target_cannot_be_replaced(tmp_path: Path) -> None:
    a, b = tmp_path / "a.docx", tmp_path / "b.xlsx"
    a.write_bytes(b"old a")
    b.mkdir()  # in the way
    with pytest.raises(OutputLockedError) as caught, atomic.atomic_paths(a, b) as (ta, tb):
        ta.write_bytes(b"new a")
        tb.write_bytes(b"new b")
    assert caught.value.path == b
    assert a.read_bytes() == b"old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "b.xlsx"]  # no temporary left


def test_group_replaces_nothing_when_the_body_fails(tmp_path: Path) -> None:
    a = tmp_path / "a.docx"
    a.write_bytes(b"old a")
    with pytest.raises(RuntimeError), atomic.atomic_paths(a) as (ta,):
        ta.write_bytes(b"half")
        raise RuntimeError("crash while rendering")
    assert a.read_bytes() == b"old a"
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]


def test_locked_error_names_its_file_after_crossing_from_a_worker(tmp_path: Path) -> None:
    error = pickle.loads(pickle.dumps(OutputLockedError(tmp_path / "集計表.xlsx")))
    assert error.path == tmp_path / "集計表.xlsx"


def test_outputs_get_the_mode_any_new_file_would_have(tmp_path: Path) -> None:
    import os
    import stat

    fresh, kept = tmp_path / "new.xlsx", tmp_path / "old.xlsx"
    kept.write_bytes(b"old")
    kept.chmod(0o600)  # as the first releases made them
    umask = os.umask(0)
    os.umask(umask)
    atomic.write_bytes(fresh, b"x")
    with atomic.atomic_paths(kept) as (tmp,):
        tmp.write_bytes(b"y")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask  # not mkstemp's private 0600
    assert stat.S_IMODE(kept.stat().st_mode) == 0o666 & ~umask


def test_group_puts_everything_back_when_a_later_move_fails(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    a, b, c = tmp_path / "a.docx", tmp_path / "b.xlsx", tmp_path / "c.xlsx"
    a.write_bytes(b"old a")
    b.write_bytes(b"old b")
    real = os.replace

    # The one failure a real disk will not produce on demand (as root, permissions do not stop
    # a rename): the third new file cannot be put in place after the first two were.
    def refuse_c(src: object, dst: object) -> None:
        if Path(str(dst)) == c:
            raise PermissionError("held")
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic.os, "replace", refuse_c)
    with pytest.raises(OutputLockedError) as caught, atomic.atomic_paths(a, b, c) as temps:
        for t in temps:
            t.write_bytes(b"new")
    assert caught.value.path == c
    assert (a.read_bytes(), b.read_bytes(), c.exists()) == (b"old a", b"old b", False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "b.xlsx"]
