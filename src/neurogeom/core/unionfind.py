"""Disjoint sets (union-find) with path halving and union by size.

Used wherever pieces are glued: linear regions from cells, overlap classes from witnesses.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator

__all__ = ["UnionFind"]


class UnionFind:
    """Disjoint sets over arbitrary hashable items, created on first use.

    Parameters
    ----------
    items : iterable of hashable, optional
        Items to start with, each in its own set.

    Examples
    --------
    >>> uf = UnionFind(range(5))
    >>> uf.union(0, 1)
    True
    >>> uf.union(3, 4)
    True
    >>> uf.union(1, 0)
    False
    >>> uf.connected(0, 1), uf.connected(1, 2)
    (True, False)
    >>> len(uf), uf.n_sets
    (5, 3)
    >>> sorted(sorted(g) for g in uf.groups())
    [[0, 1], [2], [3, 4]]
    """

    __slots__ = ("_n_sets", "_parent", "_size")

    def __init__(self, items: Iterable[Hashable] = ()) -> None:
        self._parent: dict[Hashable, Hashable] = {}
        self._size: dict[Hashable, int] = {}
        self._n_sets = 0
        for item in items:
            self.add(item)

    def add(self, item: Hashable) -> None:
        """Add ``item`` as a singleton set (no-op if present)."""
        if item not in self._parent:
            self._parent[item] = item
            self._size[item] = 1
            self._n_sets += 1

    def find(self, item: Hashable) -> Hashable:
        """Return the representative of the set holding ``item`` (adding it if new)."""
        self.add(item)
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: Hashable, b: Hashable) -> bool:
        """Merge the sets of ``a`` and ``b``; return whether they were different."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self._size[ra] < self._size[rb]:
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._size[ra] += self._size[rb]
        self._n_sets -= 1
        return True

    def connected(self, a: Hashable, b: Hashable) -> bool:
        """Whether ``a`` and ``b`` are in the same set."""
        return self.find(a) == self.find(b)

    @property
    def n_sets(self) -> int:
        """Number of disjoint sets."""
        return self._n_sets

    def __len__(self) -> int:
        return len(self._parent)

    def __contains__(self, item: object) -> bool:
        return item in self._parent

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._parent)

    def groups(self) -> list[list[Hashable]]:
        """The sets, each as a list in insertion order; sets ordered by first member."""
        out: dict[Hashable, list[Hashable]] = {}
        for item in self._parent:
            out.setdefault(self.find(item), []).append(item)
        return list(out.values())

    def labels(self) -> dict[Hashable, int]:
        """Map each item to the index of its set in :meth:`groups`."""
        return {item: k for k, group in enumerate(self.groups()) for item in group}
