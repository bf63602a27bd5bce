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

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.exact_lp import exact_interior_point
from neurogeom.core.lp import chebyshev_centre
from neurogeom.core.tolerances import Tolerances, check_tol
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
    _, radius = chebyshev_centre(a, b, radius_cap=scale)
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


def prune_polynomial(
    p: TropicalPolynomial, *, tol: float | Tolerances | None = None
) -> TropicalPolynomial:
    """Drop every monomial of ``p`` whose dominance region is not full-dimensional.

    Parameters
    ----------
    p : TropicalPolynomial
    tol : float or Tolerances, optional
        Float mode: a region counts as full-dimensional when its Chebyshev radius exceeds
        ``tol.rel * scale`` with ``scale = max(1, max |c_i|)``. Exact polynomials are pruned
        exactly (the tolerance is not used).

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
    if m == 1:
        return p
    e, c = p.exponents, p.coefficients
    if p.n_vars == 0:
        return TropicalPolynomial._trusted(
            e[:1].copy(), np.array([c.max()], dtype=c.dtype), p.exact
        )
    scale = _scale(c) if not p.exact else _scale(np.array(c.tolist(), dtype=np.float64))
    alive = np.ones(m, dtype=bool)
    for i in range(m):
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
