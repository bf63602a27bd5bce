"""Hoffman constants and the effective radius of tropical polynomials and rational maps.

For a matrix ``A`` (``m × n``) the ∞-norm Hoffman constant bounds the distance to
``{x : A x <= b}`` by ``H(A)`` times the residual ``‖(A x - b)₊‖∞``. With ℓ∞ on both sides
(ℓ₁ duals) it is ``H(A) = max_J 1 / t_J`` over the *A-surjective* row sets ``J``, where

    ``t_J = min ‖A_Jᵀ v‖₁  subject to  v >= 0, Σ v = 1``       (one LP)

and ``J`` is surjective when ``t_J > 0``. :func:`matrix_hoffman` computes it by brute force
(every full-row-rank ``J`` with ``|J| <= n``) or by the Peña–Vera–Zuluaga frontier algorithm
(a surjective ``J`` certifies all its subsets; a non-surjective one yields an obstruction ``v``
and is branched on by deleting one index of its support). :func:`hoffman_bounds` gives the cheap
SVD upper bound ``max_J √|J| / σ_min(A_J)`` and a sampled lower bound.

For a tropical polynomial ``f = max_i (b_i + α_i · x)``: ``H(f) = max_i H(A - 1 α_iᵀ)`` over the
monomials ``i`` with a full-dimensional dominance region, ``A`` holding *all* stored exponents;
for ``p ⊘ q`` the maximum runs over full-dimensional cells ``(i, j)`` of
``[A_p - 1 α_iᵀ; A_q - 1 β_jᵀ]``. The *effective radius* ``R = H(f) · (max b - min b)``
(``max`` of the numerator's and denominator's coefficient ranges for ``p ⊘ q``) has the property
that every linear region meets ``[-R, R]^n``. A single monomial, or a zero matrix, has
``H = R = 0``. Conventions: ``specs/regions-and-tropical.md`` section 2.6 (Lezeau et al.,
arXiv 2405.20174).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.lp import LPModel
from neurogeom.core.random import check_rng
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.tropical.polynomial import TropicalPolynomial, TropicalRationalMap
from neurogeom.tropical.pruning import dominance_rows, full_dimensional

__all__ = [
    "HoffmanBounds",
    "effective_radius",
    "hoffman_bounds",
    "hoffman_constant",
    "matrix_hoffman",
]


def _matrix(a: Any) -> np.ndarray:
    try:
        mat = np.array(a, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidInputError("the matrix must hold numbers in a rectangular array") from None
    if mat.ndim != 2:
        raise InvalidInputError(f"the matrix must be 2-D, got shape {mat.shape}")
    if not np.isfinite(mat).all():
        raise InvalidInputError("the matrix contains NaN or inf")
    return mat


class _TSolver:
    """``t_J`` for any row subset ``J`` of one matrix, on one warm-started LP.

    Variables ``(v, s)``: ``-s <= Aᵀ v <= s``, ``Σ v = 1``, ``v, s >= 0``, minimise ``Σ s``;
    rows outside ``J`` are switched off by fixing their ``v_k = 0``.
    """

    def __init__(self, a: np.ndarray) -> None:
        m, n = a.shape
        eye = np.eye(n)
        mat = np.vstack(
            [
                np.hstack([a.T, -eye]),
                np.hstack([-a.T, -eye]),
                np.hstack([np.ones((1, m)), np.zeros((1, n))]),
            ]
        )
        lower = np.concatenate([np.full(2 * n, -np.inf), [1.0]])
        upper = np.concatenate([np.zeros(2 * n), [1.0]])
        self.m = m
        self.lp = LPModel(mat, lower, upper, col_lower=np.zeros(m + n))
        self.lp.set_objective(np.concatenate([np.zeros(m), np.ones(n)]))
        self.active = np.ones(m, dtype=bool)

    def __call__(self, rows: tuple[int, ...]) -> tuple[float, np.ndarray]:
        want = np.zeros(self.m, dtype=bool)
        want[list(rows)] = True
        change = np.flatnonzero(want != self.active)
        if change.size:
            self.lp.set_col_bounds(
                change, np.zeros(change.size), np.where(want[change], np.inf, 0.0)
            )
            self.active = want
        res = self.lp.solve()
        if not res.optimal:  # pragma: no cover - the LP is feasible and bounded
            return 0.0, np.full(len(rows), 1.0 / len(rows))
        return max(0.0, float(res.value)), res.x[list(rows)]


def _t_value(a: np.ndarray, rows: tuple[int, ...]) -> tuple[float, np.ndarray]:
    """``t_J`` and a minimiser ``v`` (one LP)."""
    return _TSolver(a)(rows)


def _threshold(a: np.ndarray, tol: Tolerances) -> float:
    return tol.rel * max(1.0, float(np.abs(a).sum(axis=1).max()) if a.size else 1.0)


def _full_row_rank(a: np.ndarray, rows: tuple[int, ...]) -> bool:
    return bool(np.linalg.matrix_rank(a[list(rows)]) == len(rows))


def _brute(a: np.ndarray, tol: Tolerances) -> float:
    m, n = a.shape
    best = 0.0
    eps = _threshold(a, tol)
    solver = _TSolver(a)
    for size in range(1, min(m, n) + 1):
        for rows in itertools.combinations(range(m), size):
            if not _full_row_rank(a, rows):
                continue
            t, _ = solver(rows)
            if t > eps:
                best = max(best, 1.0 / t)
    return best


def _pvz(a: np.ndarray, tol: Tolerances) -> float:
    m, _ = a.shape
    eps = _threshold(a, tol)
    surjective: list[frozenset[int]] = []
    seen: set[frozenset[int]] = set()
    queue = [frozenset(range(m))]
    best = 0.0
    solver = _TSolver(a)
    while queue:
        rows = queue.pop()
        if rows in seen or not rows or any(rows <= s for s in surjective):
            continue
        seen.add(rows)
        ordered = tuple(sorted(rows))
        t, v = solver(ordered)
        if t > eps:
            surjective.append(rows)
            best = max(best, 1.0 / t)
            continue
        support = [ordered[i] for i in np.flatnonzero(v > 1e-9)]
        for i in support or ordered:
            queue.append(rows - {i})
    return best


def matrix_hoffman(
    a: Any,
    *,
    method: Literal["pvz", "brute"] = "pvz",
    tol: float | Tolerances | None = None,
) -> float:
    """The ∞-norm Hoffman constant ``H(A)`` of a matrix.

    Parameters
    ----------
    a : array-like, shape (m, n)
    method : {"pvz", "brute"}
        Peña–Vera–Zuluaga frontier algorithm, or every full-row-rank subset of at most ``n``
        rows (``Σ_{j<=n} C(m, j)`` LPs).
    tol : float or Tolerances, optional
        ``t_J`` counts as zero (``J`` not surjective) below ``tol.rel`` times the largest row
        ℓ₁ norm.

    Returns
    -------
    float
        ``0.0`` for a zero or empty matrix.

    Examples
    --------
    >>> matrix_hoffman(np.eye(3)), matrix_hoffman(np.vstack([np.eye(3), -np.ones((1, 3))]))
    (1.0, 3.0)
    >>> matrix_hoffman(np.vstack([np.eye(3), -np.eye(3)]), method="brute")
    1.0
    """
    mat = _matrix(a)
    tol = check_tol(tol)
    if mat.size == 0 or not np.any(mat):
        return 0.0
    if method == "pvz":
        return _pvz(mat, tol)
    if method == "brute":
        return _brute(mat, tol)
    raise InvalidInputError(f"method must be 'pvz' or 'brute', got {method!r}")


@dataclass(frozen=True, slots=True)
class HoffmanBounds:
    """Cheap bounds ``lower <= H(A) <= upper``.

    Attributes
    ----------
    lower : float
        Best ``1 / t_J`` over the sampled (or, when cheap, all) full-row-rank subsets.
    upper : float
        ``max_J √|J| / σ_min(A_J)`` over full-row-rank ``J`` with ``|J| <= n``.
    exhaustive : bool
        Whether the lower bound enumerated every subset (then it equals ``H(A)``).
    """

    lower: float
    upper: float
    exhaustive: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"lower": self.lower, "upper": self.upper, "exhaustive": self.exhaustive}


def hoffman_bounds(
    a: Any,
    *,
    n_samples: int = 200,
    seed: Any = None,
    tol: float | Tolerances | None = None,
) -> HoffmanBounds:
    """Lower (sampled) and upper (SVD) bounds on ``H(A)``.

    ``‖A_Jᵀ v‖₁ >= ‖A_Jᵀ v‖₂ >= σ_min ‖v‖₂ >= σ_min / √|J|`` on the simplex gives the upper
    bound. The lower bound solves ``t_J`` for random subsets; when ``n_samples >= 2^m`` it
    enumerates them all instead.

    Examples
    --------
    >>> b = hoffman_bounds([[1, 0], [0, 1], [1, 0]], seed=0)
    >>> round(b.upper, 12) == round(math.sqrt(2), 12), b.lower <= 1.0 + 1e-12
    (True, True)
    """
    mat = _matrix(a)
    tol = check_tol(tol)
    if isinstance(n_samples, bool) or not isinstance(n_samples, int) or n_samples < 1:
        raise InvalidInputError(f"n_samples must be a positive integer, got {n_samples!r}")
    if mat.size == 0 or not np.any(mat):
        return HoffmanBounds(0.0, 0.0, True)
    m, n = mat.shape
    upper = 0.0
    for size in range(1, min(m, n) + 1):
        for rows in itertools.combinations(range(m), size):
            s = np.linalg.svd(mat[list(rows)], compute_uv=False)
            if s[-1] > _threshold(mat, tol):
                upper = max(upper, math.sqrt(size) / float(s[-1]))
    eps = _threshold(mat, tol)
    exhaustive = m < 63 and n_samples >= 2**m
    if exhaustive:
        lower = _brute(mat, tol)
    else:
        rng = check_rng(seed)
        lower = 0.0
        solver = _TSolver(mat)
        for _ in range(n_samples):
            size = int(rng.integers(1, min(m, n) + 1))
            rows = tuple(sorted(rng.choice(m, size=size, replace=False).tolist()))
            if _full_row_rank(mat, rows):
                t, _ = solver(rows)
                if t > eps:
                    lower = max(lower, 1.0 / t)
    return HoffmanBounds(lower, upper, exhaustive)


# -- constants of tropical functions ------------------------------------------------------------
def _float_poly(p: TropicalPolynomial) -> tuple[np.ndarray, np.ndarray]:
    return (
        np.array(p.exponents.tolist(), dtype=np.float64).reshape(p.exponents.shape),
        np.array(p.coefficients.tolist(), dtype=np.float64),
    )


def _cells(p: TropicalPolynomial, tol: Tolerances) -> list[int]:
    """Monomials with a full-dimensional dominance region (exactly in exact mode)."""
    e, c = p.exponents, p.coefficients
    scale = max(1.0, float(np.abs(_float_poly(p)[1]).max()))
    out = []
    for i in range(p.n_monomials):
        a, b = dominance_rows(e, c, i)
        if not p.exact:
            a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        if full_dimensional(a, b, exact=p.exact, tol=tol, scale=scale):
            out.append(i)
    return out


def _pair_cells(
    p: TropicalPolynomial, q: TropicalPolynomial, tol: Tolerances
) -> list[tuple[int, int]]:
    scale = max(1.0, float(np.abs(_float_poly(p)[1]).max()), float(np.abs(_float_poly(q)[1]).max()))
    exact = p.exact and q.exact
    out = []
    for i in _cells(p, tol):
        ai, bi = dominance_rows(p.exponents, p.coefficients, i)
        for j in _cells(q, tol):
            aj, bj = dominance_rows(q.exponents, q.coefficients, j)
            a = np.concatenate([ai, aj]).reshape(-1, p.n_vars)
            b = np.concatenate([bi, bj])
            if not exact:
                a, b = a.astype(np.float64), b.astype(np.float64)
            if full_dimensional(a, b, exact=exact, tol=tol, scale=scale):
                out.append((i, j))
    return out


def _check_function(f: Any) -> TropicalRationalMap | TropicalPolynomial:
    if not isinstance(f, TropicalPolynomial | TropicalRationalMap):
        raise InvalidInputError(
            f"expected a TropicalPolynomial or TropicalRationalMap, got {type(f).__name__}"
        )
    return f


def hoffman_constant(
    f: Any,
    *,
    method: Literal["pvz", "brute"] = "pvz",
    tol: float | Tolerances | None = None,
) -> float:
    """Hoffman constant of a matrix, a tropical polynomial or a tropical rational map.

    Parameters
    ----------
    f : array-like, TropicalPolynomial or TropicalRationalMap
        A rational map with several outputs gives the largest constant of its outputs.
    method : {"pvz", "brute"}
        See :func:`matrix_hoffman`.
    tol : float or Tolerances, optional

    Returns
    -------
    float

    Examples
    --------
    ``f = max(0, x - 1, 2x)``: ``H = 1``; after pruning ``x - 1`` (empty dominance region)
    ``H = 1/2``.

    >>> f = TropicalPolynomial([[0], [1], [2]], [0, -1, 0])
    >>> hoffman_constant(f), hoffman_constant(TropicalPolynomial([[0], [2]], [0, 0]))
    (1.0, 0.5)
    """
    if not isinstance(f, TropicalPolynomial | TropicalRationalMap):
        return matrix_hoffman(f, method=method, tol=tol)
    tol = check_tol(tol)
    if isinstance(f, TropicalPolynomial):
        if f.n_monomials == 1:
            return 0.0
        e, _ = _float_poly(f)
        return max(
            (matrix_hoffman(e - e[i][None, :], method=method, tol=tol) for i in _cells(f, tol)),
            default=0.0,
        )
    best = 0.0
    for p, q in zip(f.numerators, f.denominators, strict=True):
        ep, _ = _float_poly(p)
        eq, _ = _float_poly(q)
        for i, j in _pair_cells(p, q, tol):
            mat = np.vstack([ep - ep[i][None, :], eq - eq[j][None, :]])
            best = max(best, matrix_hoffman(mat, method=method, tol=tol))
    return best


def effective_radius(
    f: TropicalPolynomial | TropicalRationalMap,
    *,
    method: Literal["pvz", "brute"] = "pvz",
    tol: float | Tolerances | None = None,
) -> float:
    """A radius ``R`` such that every linear region of ``f`` meets ``[-R, R]^n``.

    ``R = H(f) · (max b - min b)`` for a polynomial and ``H(p ⊘ q) · max(range(b_p),
    range(b_q))`` for a rational function (the largest over outputs for a map).

    Examples
    --------
    >>> effective_radius(TropicalPolynomial([[0], [1], [2]], [0, -1, 0]))
    1.0
    >>> effective_radius(TropicalPolynomial([[0], [2]], [0, 0]))
    0.0
    """
    f = _check_function(f)
    tol = check_tol(tol)
    if isinstance(f, TropicalPolynomial):
        _, c = _float_poly(f)
        spread = float(c.max() - c.min())
        return 0.0 if spread == 0 else hoffman_constant(f, method=method, tol=tol) * spread
    best = 0.0
    for p, q in zip(f.numerators, f.denominators, strict=True):
        _, cp = _float_poly(p)
        _, cq = _float_poly(q)
        spread = max(float(cp.max() - cp.min()), float(cq.max() - cq.min()))
        if spread > 0:
            h = hoffman_constant(TropicalRationalMap([p], [q]), method=method, tol=tol)
            best = max(best, h * spread)
    return best
