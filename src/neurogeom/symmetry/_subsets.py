"""Subsets of vectors with a given sum (the combinatorial core of flip sets and width reduction).

Flip sets ``S`` with ``Σ_S a_i w_iᵀ = 0`` and flips realising a linear part are subset-sum
problems over vectors: NP-hard in general, small in practice. Exact vectors are searched by
meeting in the middle (two halves of ``2^(n/2)`` sums, matched by hashing); float vectors by
brute force over all subsets with a tolerance. Both stop at a cap and say whether the search was
complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

#: Most vectors searched exactly (meet in the middle: 2 x 2^15 partial sums).
MAX_EXACT = 30
#: Most vectors searched in float (brute force over 2^18 subsets).
MAX_FLOAT = 18


@dataclass(frozen=True, slots=True)
class SubsetSearch:
    """Index sets found (sorted tuples) and whether every subset was examined."""

    subsets: tuple[tuple[int, ...], ...]
    complete: bool


def _half_sums(
    vectors: list[tuple[Fraction, ...]], dim: int
) -> dict[tuple[Fraction, ...], list[int]]:
    sums: list[tuple[Fraction, ...]] = [tuple([Fraction(0)] * dim)]
    for vec in vectors:
        sums += [tuple(a + b for a, b in zip(s, vec, strict=True)) for s in sums]
    table: dict[tuple[Fraction, ...], list[int]] = {}
    for mask, s in enumerate(sums):
        table.setdefault(s, []).append(mask)
    return table


def subsets_with_sum(
    vectors: np.ndarray,
    target: np.ndarray,
    *,
    exact: bool,
    atol: float = 0.0,
    limit: int = 64,
    nonempty: bool = True,
) -> SubsetSearch:
    """Index sets ``S`` with ``Σ_{i∈S} vectors[i] = target``.

    Parameters
    ----------
    vectors : ndarray, shape (n, D)
        Fractions (exact) or floats.
    target : ndarray, shape (D,)
    exact : bool
    atol : float
        Float mode: ``max |Σ - target| <= atol`` counts as equal.
    limit : int
        Stop after this many sets (the search is then incomplete).
    nonempty : bool
        Leave out the empty set.

    Examples
    --------
    >>> v = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]])
    >>> subsets_with_sum(v, np.zeros(2), exact=False, atol=1e-12)
    SubsetSearch(subsets=((0, 1, 2),), complete=True)
    """
    n = len(vectors)
    dim = len(target)
    found: list[tuple[int, ...]] = []

    def full(mask: int) -> bool:
        """Record the set ``mask`` (not an unwanted empty one); whether ``limit`` is reached."""
        if nonempty and mask == 0:
            return False
        found.append(tuple(i for i in range(n) if mask >> i & 1))
        return len(found) >= limit

    if exact:
        if n > MAX_EXACT:
            return SubsetSearch((), False)
        half = n // 2
        rows = [tuple(Fraction(v) for v in row) for row in vectors]
        left = _half_sums(rows[:half], dim)
        right = _half_sums(rows[half:], dim)
        goal = tuple(Fraction(v) for v in target)
        for rsum, rmasks in right.items():
            need = tuple(g - r for g, r in zip(goal, rsum, strict=True))
            for lmask in left.get(need, ()):
                for rmask in rmasks:
                    if full(lmask | (rmask << half)):
                        return SubsetSearch(tuple(sorted(found)), False)
        return SubsetSearch(tuple(sorted(found)), True)
    if n > MAX_FLOAT:
        return SubsetSearch((), False)
    vec = np.asarray(vectors, dtype=np.float64).reshape(n, dim)
    goal = np.asarray(target, dtype=np.float64)
    chunk = 1 << min(n, 14)
    total = 1 << n
    for start in range(0, total, chunk):
        masks = np.arange(start, min(start + chunk, total), dtype=np.int64)
        bits = ((masks[:, None] >> np.arange(n)) & 1).astype(np.float64)
        sums = bits @ vec
        hit = np.flatnonzero(np.abs(sums - goal).max(axis=1, initial=0.0) <= atol)
        for h in hit.tolist():
            if full(int(masks[h])):
                return SubsetSearch(tuple(sorted(found)), False)
    return SubsetSearch(tuple(sorted(found)), True)


def minimal_sets(sets: Any) -> tuple[tuple[int, ...], ...]:
    """The sets none of whose nonempty proper subsets is in the collection.

    Examples
    --------
    >>> minimal_sets([(0, 1), (2, 3), (0, 1, 2, 3), (4,)])
    ((4,), (0, 1), (2, 3))
    """
    as_sets = [frozenset(s) for s in sets]
    out = [tuple(sorted(s)) for s in as_sets if not any(t < s and t for t in as_sets)]
    return tuple(sorted(set(out), key=lambda s: (len(s), s)))
