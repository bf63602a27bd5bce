"""Array kernels NumPy lacks or runs slowly: sorted distinct values and distinct index pairs,
connected components of a graph given by its edges, and :class:`Ragged`, rows of different
lengths stored in two flat arrays.

``np.unique`` is several times slower than a sort on large integer arrays in recent NumPy
releases; the engines call these on hundreds of thousands of cell or vertex ids.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "KeyPairs",
    "Ragged",
    "blocks",
    "component_labels",
    "distinct",
    "distinct_pairs",
    "ranges",
    "shared_key_pairs",
    "tall_product",
]


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


@dataclass(frozen=True, slots=True, eq=False)
class Ragged:
    """Rows of integers of different lengths, stored flat: row ``i`` is
    ``values[starts[i]:starts[i + 1]]``.

    A hundred thousand small tuples cost more to build and to keep than the two arrays; a row
    becomes a tuple only when it is read.

    Examples
    --------
    >>> r = Ragged.of_pairs(3, np.array([2, 0, 2, 2]), np.array([5, 1, 4, 5]))
    >>> len(r), r.row(0), r.row(1), r.row(2), r.lengths.tolist()
    (3, (1,), (), (4, 5), [1, 0, 2])
    """

    starts: np.ndarray
    values: np.ndarray

    @classmethod
    def of_pairs(cls, n: int, rows: np.ndarray, cols: np.ndarray) -> Ragged:
        """For each row ``0 <= i < n``, the sorted distinct ``cols`` paired with it in ``rows``."""
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        width = int(cols.max()) + 1 if len(cols) else 1
        keys = distinct(rows * width + cols)
        return cls(np.searchsorted(keys // width, np.arange(n + 1)), keys % width)

    @classmethod
    def of_lengths(cls, lengths: np.ndarray, values: np.ndarray) -> Ragged:
        """Rows of the given lengths, taken from ``values`` in order."""
        starts = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        return cls(starts, np.asarray(values, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.starts) - 1

    @property
    def lengths(self) -> np.ndarray:
        """The length of every row."""
        return np.diff(self.starts)

    def row(self, i: int) -> tuple[int, ...]:
        """Row ``i`` as a tuple of Python ints."""
        return tuple(self.values[self.starts[i] : self.starts[i + 1]].tolist())

    def rows(self) -> list[tuple[int, ...]]:
        """Every row as a tuple of Python ints (one conversion of the flat array)."""
        values = self.values.tolist()
        bounds = self.starts.tolist()
        return [tuple(values[a:b]) for a, b in itertools.pairwise(bounds)]


def component_labels(n: int, edges: np.ndarray) -> np.ndarray:
    """Connected components of the graph on ``0 .. n-1`` with the given ``(m, 2)`` edges: for
    each node, the smallest node of its component.

    Each round hooks the root of every edge's larger end onto the smaller root, then follows
    pointers until every node points at its root; a round at least halves the number of
    components that still have an edge leaving them, so there are few rounds. All array work
    (importing SciPy's sparse graphs costs more than this on the graphs the engines build).

    Examples
    --------
    >>> component_labels(6, np.array([[4, 1], [1, 3], [5, 2]])).tolist()
    [0, 1, 2, 1, 1, 2]
    """
    labels = np.arange(n, dtype=np.int64)
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    while len(edges):
        a, b = labels[edges[:, 0]], labels[edges[:, 1]]
        apart = a != b
        if not apart.any():
            break
        a, b = a[apart], b[apart]
        np.minimum.at(labels, np.maximum(a, b), np.minimum(a, b))
        while True:  # pointer jumping: every node to its root
            up = labels[labels]
            if np.array_equal(up, labels):
                break
            labels = up
        edges = edges[apart]
    return labels


@dataclass(frozen=True, slots=True, eq=False)
class KeyPairs:
    """Distinct pairs ``(first, second)``, ``first < second``, sorted, with how many keys each
    pair shares (see :func:`shared_key_pairs`)."""

    pairs: np.ndarray
    counts: np.ndarray


def shared_key_pairs(key: np.ndarray, item: np.ndarray) -> KeyPairs:
    """Every pair of distinct items that share a key, and how many distinct keys they share
    (each ``(key, item)`` entry counted once).

    Examples
    --------
    Cells 5, 6, 7 meet at vertex 0; cells 6 and 8 at vertices 1 and 2:

    >>> kp = shared_key_pairs(np.array([0, 0, 0, 1, 1, 2, 2]), np.array([5, 6, 7, 6, 8, 6, 8]))
    >>> kp.pairs.tolist(), kp.counts.tolist()
    ([[5, 6], [5, 7], [6, 7], [6, 8]], [1, 1, 1, 2])
    """
    entries = distinct_pairs(np.stack([np.asarray(key), np.asarray(item)], axis=1))
    k, it = entries[:, 0], entries[:, 1]  # sorted by key, then item
    ends = np.searchsorted(k, k, side="right")
    starts = np.arange(len(k)) + 1
    lengths = np.maximum(ends - starts, 0)
    first = np.repeat(np.arange(len(k)), lengths)
    second = ranges(starts, lengths)
    low, high = it[first], it[second]  # low < high within a key
    if len(low) == 0:
        return KeyPairs(np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.int64))
    width = int(high.max()) + 1
    codes = low * width
    codes += high
    codes.sort()
    cuts = np.flatnonzero(np.diff(codes)) + 1
    uniq = codes[np.concatenate([[0], cuts])]
    counts = np.diff(np.concatenate([[0], cuts, [len(codes)]]))
    return KeyPairs(np.stack([uniq // width, uniq % width], axis=1), counts)


def blocks(values: Any, counts: np.ndarray) -> list[Any]:
    """``values`` (an array or a list) cut into consecutive blocks of ``counts`` rows: views of
    an array (what ``np.split`` at the cumulative counts returns, at a fraction of its cost per
    block), slices of a list.

    Examples
    --------
    >>> [b.tolist() for b in blocks(np.arange(5), np.array([2, 0, 3]))]
    [[0, 1], [], [2, 3, 4]]
    """
    bounds = [0, *np.cumsum(counts).tolist()]
    return [values[a:b] for a, b in itertools.pairwise(bounds)]


def tall_product(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``x @ w.T`` for a tall ``x`` (one row per cell or vertex) and a small ``w``, computed by
    NumPy's own loops rather than BLAS.

    OpenBLAS runs products this size on all its threads, which keep spinning after the product
    returns: on the region engines that cost a fifth more CPU time for the same wall time
    (3-32-32-1 on a box, 2 cores).

    Examples
    --------
    >>> x, w = np.arange(6.0).reshape(3, 2), np.array([[1.0, 2.0]])
    >>> tall_product(x, w).tolist(), (x @ w.T).tolist()
    ([[2.0], [8.0], [14.0]], [[2.0], [8.0], [14.0]])
    """
    return np.einsum("ck,jk->cj", x, w)
