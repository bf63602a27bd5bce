"""Pruning: drop the monomials whose dominance region is not full-dimensional.

The dominance region of monomial ``i`` of ``p = max_j (c_j + α_j · x)`` is
``D_i = {x : c_i + α_i · x >= c_j + α_j · x for all j}``. If ``D_i`` has no interior point,
dropping monomial ``i`` leaves ``p`` unchanged as a function (the other monomials attain the
maximum everywhere). One LP per monomial decides it: the Chebyshev radius of ``D_i`` (rows
normalised, radius capped) is positive exactly when ``D_i`` is full-dimensional. Dropped
monomials leave the competitor set at once, which stays correct and shrinks later LPs.

In exact mode a positive float radius is certified by checking its centre exactly (rationals,
strict inequalities); every other decision is made by the exact simplex
(:func:`neurogeom.core.exact_lp.exact_interior_point`).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from neurogeom.core.budget import Budget
from neurogeom.core.errors import InvalidInputError, NumericalError
from neurogeom.core.exact_lp import exact_interior_point
from neurogeom.core.lp import chebyshev_centre
from neurogeom.core.rationals import exact_solve
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.tropical.newton import _projection
from neurogeom.tropical.polynomial import TropicalPolynomial, TropicalRationalMap

__all__ = ["PruneResult", "dominance_rows", "full_dimensional", "prune", "prune_polynomial"]


def dominance_rows(
    exponents: np.ndarray, coefficients: np.ndarray, i: int, others: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The inequalities ``(α_j - α_i) · x <= c_i - c_j`` (``j != i``) of ``D_i``.

    Parameters
    ----------
    exponents, coefficients : ndarray
        The monomials (float or Fraction arrays).
    i : int
        The monomial.
    others : ndarray of int, optional
        The competitors ``j`` (default: all but ``i``).

    Examples
    --------
    >>> a, b = dominance_rows(np.array([[0.0], [1.0]]), np.array([0.0, -1.0]), 1)
    >>> a.tolist(), b.tolist()
    ([[-1.0]], [-1.0])
    """
    if others is None:
        others = np.array([j for j in range(len(coefficients)) if j != i], dtype=np.int64)
    a = exponents[others] - exponents[i][None, :]
    b = coefficients[i] - coefficients[others]
    return a, b


def _scale(coefficients: np.ndarray) -> float:
    c = np.asarray(coefficients, dtype=np.float64)
    return max(1.0, float(np.abs(c).max()) if c.size else 1.0)


def full_dimensional(
    a: np.ndarray, b: np.ndarray, *, exact: bool, tol: Tolerances, scale: float = 1.0
) -> bool:
    """Whether ``{x : a x <= b}`` has an interior point.

    Float mode: the Chebyshev radius (unit rows, capped at ``scale``) exceeds
    ``tol.rel * scale``. Exact mode: a float centre checked exactly, else the exact simplex.

    Examples
    --------
    >>> full_dimensional(np.array([[1.0], [-1.0]]), np.array([1.0, 0.0]), exact=False,
    ...                  tol=check_tol(None))
    True
    >>> full_dimensional(np.array([[1.0], [-1.0]]), np.array([0.0, 0.0]), exact=False,
    ...                  tol=check_tol(None))
    False
    """
    if len(b) == 0:
        return True
    if exact:
        af = np.array(a.tolist(), dtype=np.float64).reshape(a.shape)
        bf = np.array(b.tolist(), dtype=np.float64)
        keep = np.abs(af).max(axis=1) > 0 if af.size else np.zeros(len(bf), dtype=bool)
        zero_rows = ~keep
        if any(bq <= 0 for bq in np.asarray(b)[zero_rows].tolist()):
            return False
        centre, radius = chebyshev_centre(af[keep], bf[keep], radius_cap=scale)
        if radius > 0:
            x = [Fraction(float(v)) for v in centre]
            rows = np.asarray(a)[keep]
            rhs = np.asarray(b)[keep]
            if all(
                sum((r * v for r, v in zip(row, x, strict=True)), Fraction(0)) < bq
                for row, bq in zip(rows.tolist(), rhs.tolist(), strict=True)
            ):
                return True
        return exact_interior_point(np.asarray(a)[keep], np.asarray(b)[keep]) is not None
    try:
        _, radius = chebyshev_centre(a, b, radius_cap=scale)
    except NumericalError:  # a HiGHS hiccup: let SciPy (presolve on) decide
        _, radius = chebyshev_centre(a, b, radius_cap=scale, backend="scipy")
    return radius > tol.rel * scale


@dataclass(frozen=True, slots=True)
class PruneResult:
    """Monomial counts of a rational map before and after pruning.

    Attributes
    ----------
    before, after : tuple of (int, int)
        ``(numerator, denominator)`` monomials per output.
    pruned : TropicalRationalMap
        The pruned map (the same function).
    """

    before: tuple[tuple[int, int], ...]
    after: tuple[tuple[int, int], ...]
    pruned: TropicalRationalMap

    @property
    def total_before(self) -> int:
        """Monomial count before pruning (numerators plus denominators)."""
        return sum(a + b for a, b in self.before)

    @property
    def total_after(self) -> int:
        """Monomial count after pruning."""
        return sum(a + b for a, b in self.after)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (counts only)."""
        return {
            "before": [list(x) for x in self.before],
            "after": [list(x) for x in self.after],
            "total_before": self.total_before,
            "total_after": self.total_after,
        }


#: Polynomials with more monomials than this are screened by the upper hull first (input
#: dimension at most :data:`HULL_MAX_VARS`).
HULL_MIN_MONOMIALS = 3
HULL_MAX_VARS = 6


@dataclass(slots=True)
class _Simplex:
    """Exact data of one upper-hull simplex: its columns ``(α_j, 1)`` and a left inverse."""

    cols: np.ndarray
    rows: list[int]
    inverse: np.ndarray


def _simplex_data(p: TropicalPolynomial, simplex: list[int]) -> _Simplex | None:
    e = p.exponents
    n = p.n_vars
    cols = np.empty((n + 1, len(simplex)), dtype=object)
    for k, j in enumerate(simplex):
        cols[:n, k] = e[j]
        cols[n, k] = Fraction(1)
    fl = np.array(cols.tolist(), dtype=np.float64)
    rows: list[int] = []
    for r in range(n + 1):  # greedy choice of independent rows
        if np.linalg.matrix_rank(fl[[*rows, r]]) == len(rows) + 1:
            rows.append(r)
        if len(rows) == len(simplex):
            break
    if len(rows) < len(simplex):
        return None
    eye = np.empty((len(rows), len(rows)), dtype=object)
    for a in range(len(rows)):
        for b in range(len(rows)):
            eye[a, b] = Fraction(int(a == b))
    try:
        inverse = exact_solve(cols[rows], eye)
    except InvalidInputError:
        return None
    return _Simplex(cols, rows, inverse)


def _barycentric(p: TropicalPolynomial, data: _Simplex, i: int) -> np.ndarray | None:
    """Exact ``λ`` with ``Σ λ_j (α_j, 1) = (α_i, 1)`` over the simplex, or None."""
    n = p.n_vars
    rhs = np.empty(n + 1, dtype=object)
    rhs[:n] = p.exponents[i]
    rhs[n] = Fraction(1)
    lam = data.inverse @ rhs[data.rows]
    resid = data.cols @ lam - rhs
    return lam if all(v == 0 for v in resid.tolist()) else None


def _strictly_dominant(
    p: TropicalPolynomial, i: int, x: np.ndarray, margin: float, floats: tuple[np.ndarray, ...]
) -> bool:
    """Whether monomial ``i`` is the only maximiser at (a point near) ``x``.

    Float mode: by a margin. Exact mode: ``x`` is rounded to a dyadic rational; float values
    with a bound on their rounding error (``8 (n + 2) 2^-52`` times the size of the terms)
    settle the clear comparisons and the near ties are compared in rationals, so the answer is
    exact.
    """
    e_f, c_f = floats
    if not p.exact:
        vals = c_f + e_f @ x
        vi = vals[i]
        vals = np.delete(vals, i)
        return bool(vals.size == 0 or vals.max() < vi - margin)
    if not np.isfinite(x).all():
        return False
    xq = [Fraction(round(float(v) * 2**20), 2**20) for v in x]
    xf = np.array([float(v) for v in xq])
    vals = c_f + e_f @ xf
    err = 8 * (p.n_vars + 2) * 2.0**-52 * float((np.abs(c_f) + np.abs(e_f) @ np.abs(xf)).max())
    vi = vals[i]
    others = np.delete(np.arange(len(vals)), i)
    if others.size and vals[others].max() > vi + 2 * err:
        return False
    e, c = p.exponents, p.coefficients

    def exact_value(j: int) -> Fraction:
        return c[j] + sum((a * v for a, v in zip(e[j].tolist(), xq, strict=True)), Fraction(0))

    close = others[vals[others] >= vi - 2 * err]
    if close.size == 0:
        return True
    exact_i = exact_value(i)
    return all(exact_value(int(j)) < exact_i for j in close)


def _hull_screen(p: TropicalPolynomial, tol: Tolerances) -> tuple[np.ndarray, np.ndarray]:
    """Monomials certified redundant, and monomials certified full-dimensional, by the upper hull.

    Monomial ``i`` is redundant when ``(α_i, c_i)`` lies below (or on) an upper facet and is not
    a vertex: barycentric
    weights ``λ >= 0`` of the facet's vertices with ``Σ λ_j α_j = α_i`` and
    ``Σ λ_j c_j >= c_i`` show that ``c_i + α_i · x <= Σ λ_j (c_j + α_j · x) <= p(x)``, so ``i``
    is never the only maximiser. An upper-hull vertex is certified full-dimensional by a point
    where it is the only maximiser (built from the dual points ``x_F`` of its facets). Qhull
    (float) only proposes; every certificate is checked, exactly in exact mode. Monomials
    neither certificate covers are left to the LPs.
    """
    m = p.n_monomials
    drop = np.zeros(m, dtype=bool)
    keep = np.zeros(m, dtype=bool)
    if m <= HULL_MIN_MONOMIALS or p.n_vars > HULL_MAX_VARS or p.n_vars == 0:
        return drop, keep
    from scipy.spatial import ConvexHull, QhullError

    exps = np.array(p.exponents.tolist(), dtype=np.float64).reshape(p.exponents.shape)
    coefs = np.array(p.coefficients.tolist(), dtype=np.float64)
    pts, basis = _projection(exps, tol)
    r = pts.shape[1]
    if r == 0:
        return drop, keep
    lifted = np.column_stack([pts, coefs])
    spread = float(coefs.max() - coefs.min())
    floor = np.concatenate([pts.mean(axis=0), [coefs.min() - 1.0 - spread]])
    try:
        hull = ConvexHull(np.vstack([lifted, floor]))
    except (QhullError, ValueError):
        return drop, keep
    eqs = hull.equations
    up = eqs[:, r] > 1e-12
    if not up.any():
        return drop, keep
    planes, simplices = eqs[up], hull.simplices[up]
    # the upper facets project onto a triangulation of the Newton polytope: locate each point
    # in it by barycentric coordinates (float; the certificate below is checked afterwards)
    corners = np.concatenate([pts, np.zeros((1, r))])[simplices]  # (F, r + 1, r)
    mats = np.concatenate([corners, np.ones((*corners.shape[:2], 1))], axis=2)  # rows [p, 1]
    inv = np.full((len(mats), r + 1, r + 1), np.nan)
    for f, mat in enumerate(mats):
        with np.errstate(all="ignore"), contextlib.suppress(np.linalg.LinAlgError):
            inv[f] = np.linalg.inv(mat.T)
    homog = np.concatenate([pts, np.ones((m, 1))], axis=1)  # (m, r + 1)
    lam_all = np.einsum("fab,mb->mfa", inv, homog)  # (m, F, r + 1)
    worst = np.nan_to_num(lam_all.min(axis=2), nan=-np.inf)
    best = np.argmax(worst, axis=1)
    margin = tol.rel * max(1.0, float(np.abs(coefs).max()))
    # vertices of the upper hull (Qhull's other vertices are on the lower hull only)
    vertices = set(hull.vertices.tolist()) & set(simplices.ravel().tolist())
    c = p.coefficients
    simplex_cache: dict[tuple[int, ...], _Simplex | None] = {}
    for i in range(m):  # points below the hull or inside a facet: redundant, with a certificate
        if i in vertices or worst[i, best[i]] < -1e-9:
            continue
        simplex = [int(j) for j in simplices[best[i]]]
        if m in simplex or i in simplex:
            continue
        if p.exact:
            key = tuple(simplex)
            if key not in simplex_cache:
                simplex_cache[key] = _simplex_data(p, simplex)
            data = simplex_cache[key]
            lam = None if data is None else _barycentric(p, data, i)
            if lam is None:
                continue
            ok = (
                all(v >= 0 for v in lam.tolist())
                and sum((v * c[j] for v, j in zip(lam.tolist(), simplex, strict=True)), Fraction(0))
                >= c[i]
            )
        else:
            lam = lam_all[i, best[i]]
            ok = bool((lam >= -1e-12).all()) and float(lam @ coefs[simplex]) >= coefs[i] - margin
        drop[i] = ok
    # dual points of the upper facets: x_F maximises c + α·x exactly on facet F
    duals = planes[:, :r] / planes[:, r][:, None]
    incident: dict[int, list[int]] = {}
    for f, simplex in enumerate(simplices.tolist()):
        for j in simplex:
            incident.setdefault(j, []).append(f)
    for i in sorted(vertices):
        if i >= m or drop[i] or i not in incident:
            continue
        centre = duals[incident[i]].mean(axis=0)
        toward = pts[i] - pts[[j for f in incident[i] for j in simplices[f] if j < m]].mean(axis=0)
        for step in (0.0, 1e-3, 1e-1, 1.0):
            x = (centre + step * toward) @ basis
            if _strictly_dominant(p, int(i), x, margin, (exps, coefs)):
                keep[i] = True
                break
    return drop, keep


def prune_polynomial(
    p: TropicalPolynomial,
    *,
    tol: float | Tolerances | None = None,
    budget: Budget | None = None,
) -> TropicalPolynomial:
    """Drop every monomial of ``p`` whose dominance region is not full-dimensional.

    Parameters
    ----------
    p : TropicalPolynomial
    tol : float or Tolerances, optional
        Float mode: a region counts as full-dimensional when its Chebyshev radius exceeds
        ``tol.rel * scale`` with ``scale = max(1, max |c_i|)``. Exact polynomials are pruned
        exactly (the tolerance is not used).
    budget : Budget, optional
        Checked before every LP (raises :class:`~neurogeom.core.budget.OutOfBudget`).

    Returns
    -------
    TropicalPolynomial
        The same function with only full-dimensional monomials (at least one is kept).

    Examples
    --------
    Reference case RG8: ``x + y`` is redundant in ``max(x, y, 2x + 2y, x + y, 2x, 2y)``.

    >>> p = TropicalPolynomial([[1, 0], [0, 1], [2, 2], [1, 1], [2, 0], [0, 2]], [0] * 6)
    >>> print(prune_polynomial(p))
    max(x2, 2*x2, x1, 2*x1, 2*x1 + 2*x2)
    """
    if not isinstance(p, TropicalPolynomial):
        raise InvalidInputError(f"expected a TropicalPolynomial, got {type(p).__name__}")
    tol = check_tol(tol)
    m = p.n_monomials
    if m <= 2:  # distinct exponents: each monomial owns an open half-space
        return p
    e, c = p.exponents, p.coefficients
    if p.n_vars == 0:
        return TropicalPolynomial._trusted(
            e[:1].copy(), np.array([c.max()], dtype=c.dtype), p.exact
        )
    scale = _scale(c) if not p.exact else _scale(np.array(c.tolist(), dtype=np.float64))
    drop, keep = _hull_screen(p, tol)
    alive = ~drop
    for i in np.flatnonzero(alive & ~keep):
        if budget is not None:
            budget.check()
        others = np.flatnonzero(alive)
        others = others[others != i]
        a, b = dominance_rows(e, c, i, others)
        if not p.exact:
            a = np.asarray(a, dtype=np.float64)
            b = np.asarray(b, dtype=np.float64)
        if not full_dimensional(a, b, exact=p.exact, tol=tol, scale=scale):
            alive[i] = False
    if not alive.any():  # pragma: no cover - some monomial always has interior
        alive[int(np.argmax(np.asarray(c, dtype=np.float64)))] = True
    return TropicalPolynomial._trusted(e[alive].copy(), c[alive].copy(), p.exact)


def prune(
    f: TropicalRationalMap | TropicalPolynomial, *, tol: float | Tolerances | None = None
) -> PruneResult | TropicalPolynomial:
    """Prune a polynomial, or every numerator and denominator of a rational map.

    Returns the pruned polynomial, or a :class:`PruneResult` with counts before and after.

    Examples
    --------
    >>> p = TropicalPolynomial([[0], [1], [2]], [0, 0, 0])  # max(0, x, 2x): x is redundant
    >>> res = prune(TropicalRationalMap([p], [TropicalPolynomial.constant(0, 1)]))
    >>> res.before, res.after
    (((3, 1),), ((2, 1),))
    """
    if isinstance(f, TropicalPolynomial):
        return prune_polynomial(f, tol=tol)
    if not isinstance(f, TropicalRationalMap):
        raise InvalidInputError(
            f"expected a TropicalPolynomial or TropicalRationalMap, got {type(f).__name__}"
        )
    num = [prune_polynomial(p, tol=tol) for p in f.numerators]
    den = [prune_polynomial(q, tol=tol) for q in f.denominators]
    pruned = TropicalRationalMap(num, den)
    return PruneResult(f.monomial_counts(), pruned.monomial_counts(), pruned)
