"""Writing files so that a failure never leaves a partial file behind.

Every writer in neurogeom goes through :func:`atomic_path`: it hands out a temporary path in the
target's folder and renames it over the target only when writing succeeded.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

from neurogeom.core.errors import InvalidInputError

__all__ = ["atomic_path", "atomic_write_text", "check_readable"]


def _create_temporary(target: Path, folder: Path) -> Path:
    """Create an empty file beside ``target`` with a fresh name and ordinary permissions.

    Unlike :func:`tempfile.mkstemp` (always mode 0600), the file gets mode 0666 less the umask,
    like any file a program creates; when ``target`` exists, its permission bits instead.
    """
    for _ in range(100):
        tmp = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        with contextlib.suppress(OSError):  # keep an existing target's permissions
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        return tmp
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))  # pragma: no cover


def _cannot_write(target: Path, exc: OSError) -> InvalidInputError:
    reason = exc.strerror or type(exc).__name__
    return InvalidInputError(f"cannot write {target}: {reason} (choose another path or folder)")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path; on success move it to ``path``, on error delete it.

    The file is created with the permissions any new file gets (0666 less the umask), or those
    of the file it replaces.

    Raises
    ------
    InvalidInputError
        If the folder does not exist, or the target cannot be created or replaced (a read-only
        folder, a target that is a folder): the message names ``path``, not the temporary file.
        An :class:`OSError` raised by the caller while writing (a full disk) propagates as is.

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
    if target.is_dir():
        raise InvalidInputError(f"cannot write {target}: it is a folder")
    try:
        tmp = _create_temporary(target, folder)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    try:
        yield tmp
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise _cannot_write(target, exc) from None
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
