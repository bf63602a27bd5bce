"""Atomic writes: a failure leaves neither the target nor a temporary file behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from neurogeom.core import InvalidInputError
from neurogeom.core.files import atomic_path, atomic_write_text, check_readable


class _Boom(Exception):
    pass


def test_success_moves_the_temporary_file_into_place(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path
        assert tmp != target
        assert not target.exists()
        tmp.write_text("payload")
    assert target.read_text() == "payload"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_failure_leaves_no_file_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    with pytest.raises(_Boom), atomic_path(target) as tmp:
        tmp.write_text("half written")
        raise _Boom
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_failure_before_writing_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    with pytest.raises(_Boom), atomic_path(target):
        raise _Boom
    assert list(tmp_path.iterdir()) == []


def test_failure_keeps_an_existing_target_unchanged(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")
    with pytest.raises(_Boom), atomic_path(target) as tmp:
        tmp.write_text("new")
        raise _Boom
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_success_replaces_an_existing_target(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    atomic_write_text(target, "new ü")
    assert target.read_text(encoding="utf-8") == "new ü"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "no_such_folder" / "out.txt"
    with pytest.raises(InvalidInputError, match="no_such_folder"):
        atomic_write_text(target, "x")
    assert not (tmp_path / "no_such_folder").exists()


def test_relative_path_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    atomic_write_text("plain.txt", "ok")
    assert (tmp_path / "plain.txt").read_text() == "ok"
    assert [p.name for p in tmp_path.iterdir()] == ["plain.txt"]


def test_check_readable(tmp_path: Path) -> None:
    f = tmp_path / "net.json"
    f.write_text("{}")
    assert check_readable(str(f)) == f
    with pytest.raises(InvalidInputError, match="no such file"):
        check_readable(tmp_path / "missing.json")
    with pytest.raises(InvalidInputError, match="is a folder"):
        check_readable(tmp_path)
