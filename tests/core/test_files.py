"""Atomic writes: a failure leaves neither the target nor a temporary file behind.

Files are created with the permissions any new file gets (0666 less the umask), and a target that
cannot be written is named in the error, not the temporary file beside it.
"""

from __future__ import annotations

import os
import stat
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


# -- permissions --------------------------------------------------------------------------------
@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.parametrize(
    ("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)], ids=["022", "002", "077"]
)
def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        atomic_write_text(tmp_path / "report.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "report.json").stat().st_mode) == mode


def test_a_replaced_file_keeps_its_mode(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "shared.json"
    target.write_text("old")
    target.chmod(0o660)
    atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o660


# -- targets that cannot be written -------------------------------------------------------------
def unwritable_folder(tmp_path: Path) -> Path:
    """A folder nobody can create files in: read-only for a user; ``/proc`` for root."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    folder = Path("/proc")  # root may write anywhere on a disk, but no one creates files here
    if not folder.is_dir():
        pytest.skip("needs a folder that refuses new files")
    return folder


def test_an_unwritable_folder_names_the_target_not_the_temporary_file(tmp_path: Path) -> None:
    target = unwritable_folder(tmp_path) / "ck.json"
    with pytest.raises(InvalidInputError) as err:
        atomic_write_text(target, "{}")
    msg = str(err.value)
    assert msg.startswith(f"cannot write {target}: ")
    assert ".tmp" not in msg and ".ck.json." not in msg
    assert not target.exists()


def test_a_folder_as_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(InvalidInputError, match=r"cannot write .*out: it is a folder"):
        atomic_write_text(tmp_path / "out", "{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
