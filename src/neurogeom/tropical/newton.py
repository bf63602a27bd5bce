"""Newton polytopes, upper hulls of lifted exponents and dual subdivisions.

For ``p = max_i (c_i + α_i · x)`` the *Newton polytope* is ``conv{α_i}`` and the *lifted* points
are ``(α_i, c_i)``. The facets of the *upper hull* of the lifted points (those whose outer
normal points up) project to the cells of the *dual subdivision* of the Newton polytope, and
(Zhang–Naitzat–Lim) the linear regions of ``p`` correspond one to one to the upper-hull
vertices: monomial ``i`` has a full-dimensional dominance region exactly when ``(α_i, c_i)`` is
an upper-hull vertex — the same monomials :func:`~neurogeom.tropical.pruning.prune_polynomial`
keeps, which the tests check against each other. General position is not needed.

The hull is computed by Qhull (``scipy.spatial.ConvexHull``) in float64 after projecting the
exponents onto their affine hull (so lower-dimensional exponent sets work) and adding one point
below all others (so coplanar lifts work); decisions use ``tol`` relative to the data's size.
Exact membership decisions are those of pruning (exact LPs in exact mode).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.tropical.polynomial import TropicalPolynomial

__all__ = ["UpperHull", "newton_polytope", "upper_hull"]


def _check(p: Any) -> TropicalPolynomial:
    if not isinstance(p, TropicalPolynomial):
        raise InvalidInputError(f"expected a TropicalPolynomial, got {type(p).__name__}")
    return p


def _projected(exps: np.ndarray, tol: Tolerances) -> np.ndarray:
    """Exponents in coordinates of their affine hull (rank-many columns)."""
    return _projection(exps, tol)[0]


def _projection(exps: np.ndarray, tol: Tolerances) -> tuple[np.ndarray, np.ndarray]:
    """Projected exponents and the orthonormal basis ``V`` (rows) of their affine hull."""
    centred = exps - exps.mean(axis=0)
    if centred.size == 0:
        return np.zeros((len(exps), 0)), np.zeros((0, exps.shape[1]))
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    scale = max(1.0, float(np.abs(exps).max()))
    rank = int((s > tol.rel * 1e3 * scale * max(1, len(exps))).sum())
    return centred @ vt[:rank].T, vt[:rank]


def newton_polytope(p: TropicalPolynomial, *, tol: float | Tolerances | None = None) -> np.ndarray:
    """Indices of the monomials whose exponents are vertices of the Newton polytope.

    Returns
    -------
    ndarray of int
        Sorted indices into ``p.exponents``.

    Examples
    --------
    >>> p = TropicalPolynomial([[0, 0], [1, 0], [0, 1], [1, 1], [2, 2]], [0, 0, 0, 5, 0])
    >>> newton_polytope(p).tolist()  # (1, 1) is inside
    [0, 1, 2, 4]
    """
    p = _check(p)
    tol = check_tol(tol)
    exps = np.asarray(p.to_float().exponents, dtype=np.float64) if p.exact else p.exponents
    pts = _projected(np.asarray(exps, dtype=np.float64), tol)
    r = pts.shape[1]
    if r == 0:
        return np.array([0])
    if r == 1:
        return np.unique([int(np.argmin(pts[:, 0])), int(np.argmax(pts[:, 0]))])
    from scipy.spatial import ConvexHull

    return np.sort(ConvexHull(pts).vertices)


@dataclass(frozen=True, slots=True)
class UpperHull:
    """The upper hull of a polynomial's lifted exponents.

    Attributes
    ----------
    vertices : tuple of int
        Monomials whose lifted point is an upper-hull vertex (= full-dimensional dominance
        regions = linear regions of the polynomial).
    cells : tuple of tuple of int
        The dual subdivision: one cell per upper facet, the monomials whose lifted points lie on
        it (vertices and non-vertex points alike).
    newton_vertices : tuple of int
        Monomials at vertices of the Newton polytope.
    """

    vertices: tuple[int, ...]
    cells: tuple[tuple[int, ...], ...]
    newton_vertices: tuple[int, ...]

    @property
    def n_regions(self) -> int:
        """Number of linear regions of the polynomial (upper-hull vertices)."""
        return len(self.vertices)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "vertices": list(self.vertices),
            "cells": [list(c) for c in self.cells],
            "newton_vertices": list(self.newton_vertices),
            "n_regions": self.n_regions,
        }


def upper_hull(p: TropicalPolynomial, *, tol: float | Tolerances | None = None) -> UpperHull:
    """Upper hull of the lifted exponents ``(α_i, c_i)`` and the dual subdivision.

    Parameters
    ----------
    p : TropicalPolynomial
    tol : float or Tolerances, optional
        Relative tolerance for "a point lies on a facet" and "a facet faces up".

    Returns
    -------
    UpperHull

    Notes
    -----
    Cost: one Qhull run in dimension ``rank + 1`` (``rank`` = dimension of the Newton
    polytope). The number of linear regions of ``p`` is ``len(vertices)`` (Zhang–Naitzat–Lim,
    arXiv 1805.07091, with duplicate exponents merged; general position is not needed).

    Examples
    --------
    Reference case RG8: ``max(x, y, 2x + 2y, x + y, 2x, 2y)`` has 5 regions; ``x + y`` lies on
    the upper hull but is not a vertex.

    >>> p = TropicalPolynomial([[1, 0], [0, 1], [2, 2], [1, 1], [2, 0], [0, 2]], [0] * 6)
    >>> h = upper_hull(p)
    >>> h.n_regions, h.vertices
    (5, (0, 1, 2, 4, 5))
    >>> len(h.cells)  # all coefficients 0: one flat upper facet, no subdivision
    1
    """
    p = _check(p)
    tol = check_tol(tol)
    exps = np.asarray(np.array(p.exponents.tolist(), dtype=np.float64)).reshape(p.exponents.shape)
    coefs = np.array(p.coefficients.tolist(), dtype=np.float64)
    m = len(coefs)
    newton = tuple(int(i) for i in newton_polytope(p, tol=tol))
    if m == 1:
        return UpperHull((0,), ((0,),), (0,))
    pts = _projected(exps, tol)
    r = pts.shape[1]
    scale = max(1.0, float(np.abs(coefs).max()), float(np.abs(pts).max()) if pts.size else 1.0)
    lifted = np.column_stack([pts, coefs])
    if r == 0:  # all exponents equal (cannot happen after merging)  # pragma: no cover
        return UpperHull((int(np.argmax(coefs)),), ((int(np.argmax(coefs)),),), newton)
    floor = np.concatenate([pts.mean(axis=0), [coefs.min() - 1.0 - (coefs.max() - coefs.min())]])
    from scipy.spatial import ConvexHull

    hull = ConvexHull(np.vstack([lifted, floor]))
    eps = tol.rel * 1e3 * scale
    eqs = hull.equations  # outward normals (unit) and offsets: n·y + d <= 0 inside
    up = eqs[:, r] > eps
    # merge the triangulated pieces of one facet: same (rounded) plane
    planes: dict[tuple[float, ...], np.ndarray] = {}
    for e in eqs[up]:
        key = tuple(np.round(e, 8))
        planes.setdefault(key, e)
    cells, vertex_set = [], set()
    for e in planes.values():
        on = np.flatnonzero(np.abs(lifted @ e[:-1] + e[-1]) <= eps)
        cells.append(tuple(int(i) for i in on))
    hull_vertices = {int(v) for v in hull.vertices if v < m}
    for cell in cells:
        vertex_set.update(i for i in cell if i in hull_vertices)
    cells = sorted(set(cells))
    return UpperHull(tuple(sorted(vertex_set)), tuple(cells), newton)
