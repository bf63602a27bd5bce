"""Assertions for users' own tests of code built on neurogeom.

Like :mod:`numpy.testing`: each function raises :class:`AssertionError` with a message that says
what differs, and returns nothing when the two objects agree.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neurogeom.nets.geometry import pattern_string as _bits
from neurogeom.regions.result import RegionResult

__all__ = ["assert_regions_equal"]


def assert_regions_equal(a: RegionResult, b: RegionResult, *, tol: float | None = None) -> None:
    """Assert that two region enumerations describe the same partition.

    Compares the four counts, the set of activation patterns, which cells form each linear
    region (facet- and point-connected), and the affine map of every cell — exactly, or within
    ``tol`` (absolute, on every coefficient) when given. Cell order and engine may differ.

    Parameters
    ----------
    a, b : RegionResult
    tol : float, optional
        Tolerance for comparing affine maps; exact comparison when omitted.

    Raises
    ------
    AssertionError
        Naming the first difference found.

    Examples
    --------
    >>> from neurogeom import ReLUNet, enumerate_regions
    >>> net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])
    >>> split = enumerate_regions(net, domain=(-1, 1), method="split", progress=False)
    >>> search = enumerate_regions(net, domain=(-1, 1), method="search", progress=False)
    >>> assert_regions_equal(split, search, tol=1e-12)
    """
    if a.counts() != b.counts():
        raise AssertionError(f"counts differ: {a.counts()} != {b.counts()}")
    cells_a = {c.pattern: c for c in a.cells}
    cells_b = {c.pattern: c for c in b.cells}
    if set(cells_a) != set(cells_b):
        only_a = sorted(_bits(p) for p in set(cells_a) - set(cells_b))[:5]
        only_b = sorted(_bits(p) for p in set(cells_b) - set(cells_a))[:5]
        raise AssertionError(
            f"activation patterns differ: only in first {only_a}, only in second {only_b}"
        )

    def partition(res: RegionResult, groups: Any) -> set[frozenset]:
        return {frozenset(res.cells[i].pattern for i in g) for g in groups}

    if partition(a, (r.cells for r in a.regions)) != partition(b, (r.cells for r in b.regions)):
        raise AssertionError("the cells are grouped into different facet-connected regions")

    def point_partition(res: RegionResult) -> set[frozenset] | None:
        if res.point_regions is None:
            return None
        return {
            frozenset(res.cells[i].pattern for r in group for i in res.regions[r].cells)
            for group in res.point_regions
        }

    if point_partition(a) != point_partition(b):
        raise AssertionError("the cells are grouped into different point-connected regions")
    for pattern, ca in cells_a.items():
        cb = cells_b[pattern]
        ma = np.array(ca.matrix, dtype=object if tol is None else float)
        mb = np.array(cb.matrix, dtype=object if tol is None else float)
        oa = np.array(ca.offset, dtype=object if tol is None else float)
        ob = np.array(cb.offset, dtype=object if tol is None else float)
        same = (
            ((ma == mb).all() and (oa == ob).all())
            if tol is None
            else (np.allclose(ma, mb, rtol=0, atol=tol) and np.allclose(oa, ob, rtol=0, atol=tol))
        )
        if not same:
            raise AssertionError(
                f"cell {_bits(pattern)} has different affine maps: "
                f"{ca.matrix}, {ca.offset} != {cb.matrix}, {cb.offset}"
            )
