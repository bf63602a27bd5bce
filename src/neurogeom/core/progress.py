"""Progress reporting that honours ``progress=False``.

Long computations wrap their loops in :func:`progress_bar`; with ``progress=False`` (or
``--quiet`` on the command line) nothing is printed and tqdm is not even consulted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["ProgressBar", "progress_bar"]


class ProgressBar:
    """A minimal counter facade over tqdm: ``update(k)`` and ``set_postfix(**kw)``.

    With ``enabled=False`` it only counts, so code never branches on whether a bar is shown.
    """

    __slots__ = ("_bar", "count")

    def __init__(self, bar: Any = None) -> None:
        self._bar = bar
        self.count = 0

    def update(self, k: int = 1) -> None:
        """Advance by ``k``."""
        self.count += k
        if self._bar is not None:
            self._bar.update(k)

    def set_postfix(self, **values: Any) -> None:
        """Show extra figures beside the bar (ignored when disabled)."""
        if self._bar is not None:
            self._bar.set_postfix(values, refresh=False)


@contextmanager
def progress_bar(
    enabled: bool, *, total: int | None = None, desc: str = "", unit: str = "it"
) -> Iterator[ProgressBar]:
    """Context manager yielding a :class:`ProgressBar`.

    Parameters
    ----------
    enabled : bool
        Whether to draw a bar (on stderr).
    total : int, optional
        Expected number of steps, if known.
    desc, unit : str
        Label and unit shown by tqdm.

    Examples
    --------
    >>> with progress_bar(False, desc="cells") as bar:
    ...     for _ in range(3):
    ...         bar.update()
    >>> bar.count
    3
    """
    if not enabled:
        yield ProgressBar()
        return
    from tqdm.auto import tqdm

    with tqdm(
        total=total, desc=desc, unit=unit, leave=False, dynamic_ncols=True, disable=None
    ) as bar:
        yield ProgressBar(bar)
