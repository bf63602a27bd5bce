"""An append-only NumPy array with amortised constant-time growth.

The cell engines grow vertex, edge and face tables one block at a time; reallocating on every
append would make that quadratic.
"""

from __future__ import annotations

import numpy as np

__all__ = ["GrowableArray"]


class GrowableArray:
    """An append-only array with amortised constant-time growth (any trailing shape).

    Parameters
    ----------
    initial : numpy.ndarray
        The first rows; their dtype and trailing shape are kept for every later block.

    Attributes
    ----------
    data : numpy.ndarray
        The storage (rows past ``size`` are unused).
    size : int
        Rows in use.

    Examples
    --------
    >>> g = GrowableArray(np.array([1, 2]))
    >>> g.extend(np.array([3, 4, 5])).tolist()
    [2, 3, 4]
    >>> g.view.tolist()
    [1, 2, 3, 4, 5]
    """

    __slots__ = ("data", "size")

    def __init__(self, initial: np.ndarray) -> None:
        self.data = np.empty((max(64, 2 * len(initial)), *initial.shape[1:]), initial.dtype)
        self.data[: len(initial)] = initial
        self.size = len(initial)

    def append(self, block: np.ndarray) -> None:
        """Append the rows of ``block``."""
        end = self.size + len(block)
        if end > len(self.data):
            grown = np.empty((max(end, 2 * len(self.data)), *self.data.shape[1:]), self.data.dtype)
            grown[: self.size] = self.data[: self.size]
            self.data = grown
        self.data[self.size : end] = block
        self.size = end

    def extend(self, block: np.ndarray) -> np.ndarray:
        """Append the rows of ``block``; return the indices they got."""
        start = self.size
        self.append(block)
        return np.arange(start, self.size)

    @property
    def view(self) -> np.ndarray:
        """The rows in use (a view, invalidated by the next growth)."""
        return self.data[: self.size]
