"""An exact linear-programming solver over the rationals, for the few decisions floats cannot make.

Float LPs decide almost everything in neurogeom; when a float answer falls inside the tolerance
band (a cell thinner than ``tol``, a facet that may or may not be one), exact mode asks this
solver instead. It is a dense two-phase simplex method with Bland's rule (so it cannot cycle)
over python-flint rationals: slow compared to HiGHS, exact, and only called rarely.

Problem: maximise ``c·x`` subject to ``A x <= b`` with ``x`` free.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

import flint
import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.lp import count_lp
from neurogeom.core.rationals import fmpq_to_fraction, to_fmpq

__all__ = ["ExactLPResult", "exact_interior_point", "exact_maximize"]


@dataclass(frozen=True, slots=True)
class ExactLPResult:
    """Outcome of :func:`exact_maximize`: status, an optimal point and the optimal value."""

    status: Literal["optimal", "infeasible", "unbounded"]
    x: tuple[Fraction, ...] | None
    value: Fraction | None


class _Tableau:
    """Rows ``sum_j t[i, j] y_j = t[i, -1]`` with basic variable ``basis[i]``, all ``y >= 0``.

    One python-flint ``fmpq_mat`` (right-hand sides in the last column): a pivot is a rank-one
    update and the reduced costs one row-times-matrix product, both in C.
    """

    def __init__(self, t: flint.fmpq_mat, basis: list[int]):
        self.t = t
        self.basis = basis

    def rhs(self, i: int) -> flint.fmpq:
        return self.t[i, self.t.ncols() - 1]

    def pivot(self, r: int, col: int) -> None:
        t = self.t
        m, width = t.nrows(), t.ncols()
        piv = t[r, col]
        row = flint.fmpq_mat(1, width, [t[r, k] / piv for k in range(width)])
        factors = [t[i, col] for i in range(m)]
        factors[r] = flint.fmpq(0)
        if any(factors):
            t = t - flint.fmpq_mat(m, 1, factors) * row
        for k in range(width):
            t[r, k] = row[0, k]
        self.t = t
        self.basis[r] = col

    def solve(self, cost: list[flint.fmpq], allowed: int) -> bool:
        """Maximise ``cost·y`` over the first ``allowed`` columns; False if unbounded."""
        m = self.t.nrows()
        while True:
            # reduced costs: c_j - c_B B^-1 A_j (the tableau already holds B^-1 A)
            cb = flint.fmpq_mat(1, m, [cost[b] for b in self.basis])
            used = cb * self.t
            basic = set(self.basis)
            enter = -1
            for j in range(allowed):
                if j not in basic and cost[j] - used[0, j] > 0:
                    enter = j
                    break
            if enter < 0:
                return True
            best, leave = None, -1
            for i in range(m):
                a = self.t[i, enter]
                if a > 0:
                    ratio = self.rhs(i) / a
                    if (
                        best is None
                        or ratio < best
                        or (ratio == best and self.basis[i] < self.basis[leave])
                    ):
                        best, leave = ratio, i
            if leave < 0:
                return False
            self.pivot(leave, enter)


def exact_maximize(c: Any, a: Any, b: Any) -> ExactLPResult:
    """Maximise ``c·x`` subject to ``a x <= b`` exactly (``x`` free).

    Parameters
    ----------
    c : array-like, shape (n,)
    a : array-like, shape (m, n)
    b : array-like, shape (m,)
        Rationals (Fractions, ints, fmpq or exact strings); floats are taken exactly.

    Returns
    -------
    ExactLPResult

    Examples
    --------
    >>> res = exact_maximize([1, 1], [[1, 0], [0, 1], [1, 2]], ["1/2", 1, 1])
    >>> res.status, res.value, res.x
    ('optimal', Fraction(3, 4), (Fraction(1, 2), Fraction(1, 4)))
    >>> exact_maximize([1], [[-1]], [0]).status
    'unbounded'
    >>> exact_maximize([0], [[1], [-1]], [-1, 0]).status
    'infeasible'
    """
    am = np.asarray(a, dtype=object)
    if am.ndim != 2:
        raise InvalidInputError(f"a must be a matrix, got shape {am.shape}")
    count_lp("exact")
    m, n = am.shape
    cq = [to_fmpq(v) for v in np.asarray(c, dtype=object).reshape(-1)]
    bq = [to_fmpq(v) for v in np.asarray(b, dtype=object).reshape(-1)]
    if len(cq) != n or len(bq) != m:
        raise InvalidInputError(f"shapes do not match: c {len(cq)}, a {am.shape}, b {len(bq)}")
    aq = [[to_fmpq(v) for v in row] for row in am]
    zero, one = flint.fmpq(0), flint.fmpq(1)
    # columns: x+ (n), x- (n), slacks (m), artificial z (1)
    ncol = 2 * n + m + 1
    entries = []
    for i in range(m):
        entries += aq[i]
        entries += [-v for v in aq[i]]
        entries += [one if k == i else zero for k in range(m)]
        entries += [-one, bq[i]]
    tab = _Tableau(flint.fmpq_mat(m, ncol + 1, entries), [2 * n + i for i in range(m)])
    z = ncol - 1
    if m and min(bq) < 0:
        r = min(range(m), key=lambda i: bq[i])
        tab.pivot(r, z)
        phase1 = [zero] * ncol
        phase1[z] = -one
        tab.solve(phase1, ncol)
        zval = next((tab.rhs(i) for i, bv in enumerate(tab.basis) if bv == z), zero)
        if zval > 0:
            return ExactLPResult("infeasible", None, None)
        if z in tab.basis:
            r = tab.basis.index(z)
            col = next((j for j in range(ncol - 1) if tab.t[r, j] != 0), None)
            if col is not None:
                tab.pivot(r, col)
    cost = cq + [-v for v in cq] + [zero] * (m + 1)
    if not tab.solve(cost, ncol - 1):
        return ExactLPResult("unbounded", None, None)
    y = [zero] * ncol
    for i, bv in enumerate(tab.basis):
        y[bv] = tab.rhs(i)
    x = tuple(fmpq_to_fraction(y[j] - y[n + j]) for j in range(n))
    value = sum(
        (Fraction(cv) * xv for cv, xv in zip(map(fmpq_to_fraction, cq), x, strict=True)),
        Fraction(0),
    )
    return ExactLPResult("optimal", x, value)


def exact_interior_point(a: Any, b: Any) -> tuple[Fraction, ...] | None:
    """A rational point with ``a x < b`` strictly in every row, or None if there is none.

    Solves ``max t`` subject to ``a x + t <= b``, ``t <= 1``: the polyhedron has interior
    points iff ``t > 0``.

    Examples
    --------
    >>> exact_interior_point([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, "1/1000000000000", 1, 1])
    (Fraction(-1, 2000000000000), Fraction(0, 1))
    >>> exact_interior_point([[1], [-1]], [0, 0]) is None
    True
    """
    am = np.asarray(a, dtype=object)
    m, n = am.shape
    ext = np.empty((m + 1, n + 1), dtype=object)
    ext[:m, :n] = am
    ext[:m, n] = 1
    ext[m, :] = 0
    ext[m, n] = 1
    rhs = [*np.asarray(b, dtype=object).reshape(-1), 1]
    res = exact_maximize([0] * n + [1], ext, rhs)
    if res.status != "optimal" or res.value <= 0:
        return None
    return res.x[:n]
