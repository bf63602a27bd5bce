"""Writing files so that a failure never leaves a partial file behind.

Every writer in neurogeom goes through :func:`atomic_path`: it hands out a temporary path in the
target's folder and renames it over the target only when writing succeeded.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from neurogeom.core.errors import InvalidInputError

__all__ = ["atomic_path", "atomic_write_text", "check_readable"]


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path; on success move it to ``path``, on error delete it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInputError(f"cannot write {target}: the folder {folder} does not exist")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` atomically (UTF-8).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
    >>> atomic_write_text(target, "exact")
    >>> target.read_text()
    'exact'
    """
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def check_readable(path: str | os.PathLike[str]) -> Path:
    """Return ``path`` as a :class:`~pathlib.Path` or raise a clear error if it cannot be read.

    Examples
    --------
    >>> check_readable("/no/such/net.json")
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.InvalidInputError: no such file: /no/such/net.json
    """
    p = Path(path)
    if not p.exists():
        raise InvalidInputError(f"no such file: {p}")
    if p.is_dir():
        raise InvalidInputError(f"{p} is a folder, expected a file")
    return p
