"""Array kernels NumPy lacks or runs slowly: sorted distinct values and distinct index pairs.

``np.unique`` is several times slower than a sort on large integer arrays in recent NumPy
releases; the engines call these on hundreds of thousands of cell or vertex ids.
"""

from __future__ import annotations

import numpy as np

__all__ = ["distinct", "distinct_pairs", "ranges"]


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of a 1-D array (what ``np.unique`` returns), by one sort.

    Examples
    --------
    >>> distinct(np.array([3, 1, 3, 2, 1])).tolist()
    [1, 2, 3]
    """
    out = np.sort(np.asarray(values).ravel())
    if len(out) < 2:
        return out
    keep = np.empty(len(out), dtype=bool)
    keep[0] = True
    np.not_equal(out[1:], out[:-1], out=keep[1:])
    return out[keep]


def distinct_pairs(pairs: np.ndarray) -> np.ndarray:
    """The distinct rows of an ``(m, 2)`` array of non-negative integers, sorted
    lexicographically (what ``np.unique(pairs, axis=0)`` returns).

    Examples
    --------
    >>> distinct_pairs(np.array([[2, 1], [0, 5], [2, 1], [0, 3]])).tolist()
    [[0, 3], [0, 5], [2, 1]]
    """
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if len(pairs) == 0:
        return pairs
    width = int(pairs[:, 1].max()) + 1
    if int(pairs[:, 0].max()) >= np.iinfo(np.int64).max // width or pairs.min() < 0:
        return np.unique(pairs, axis=0)
    keys = distinct(pairs[:, 0] * width + pairs[:, 1])
    return np.column_stack([keys // width, keys % width])


def ranges(first: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The indices ``first[i] + k`` for ``0 <= k < count[i]``, block after block: the rows of
    items stored in contiguous blocks, gathered in one step.

    Examples
    --------
    >>> ranges(np.array([5, 0, 9]), np.array([2, 3, 0])).tolist()
    [5, 6, 0, 1, 2]
    """
    count = np.asarray(count, dtype=np.intp)
    at = np.cumsum(count) - count  # where each block starts in the output
    return np.arange(int(count.sum()), dtype=np.intp) + np.repeat(np.asarray(first) - at, count)
