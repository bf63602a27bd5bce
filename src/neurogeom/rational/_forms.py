"""Splitting forms into linear factors: exactly over Q, and over R or C (exact decisions for
binary forms by Sturm sequences, numerical factors otherwise).

Working state for the membership tests; the public entry points are in ``membership.py``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from neurogeom.core.rationals import fmpq_to_fraction
from neurogeom.core.tolerances import Tolerances
from neurogeom.rational.polynomials import evaluate_float, linear_form_coefficients

__all__ = ["LinearFactor", "Splitting", "split_form", "sturm_real_roots"]


@dataclass(frozen=True, slots=True)
class LinearFactor:
    """A linear form ``Σ c_j x_j`` (exact Fractions, or complex floats) with its multiplicity."""

    coefficients: tuple[Any, ...]
    multiplicity: int
    exact: bool


@dataclass(frozen=True, slots=True)
class Splitting:
    """The outcome of splitting a form over a field.

    ``splits`` is True/False; ``exact`` says whether that decision used exact arithmetic only;
    ``factors`` (when it splits) multiply to ``constant * Π ℓ^m``; ``why`` explains a failure.
    """

    splits: bool
    exact: bool
    constant: Any = 1
    factors: tuple[LinearFactor, ...] = ()
    why: str = ""


def sturm_real_roots(coeffs: list[Fraction]) -> int:
    """Number of distinct real roots of a nonzero univariate polynomial (coefficients low to high).

    Exact: a Sturm sequence over Q (python-flint ``fmpq_poly``).

    Examples
    --------
    >>> sturm_real_roots([Fraction(-2), 0, 1]), sturm_real_roots([Fraction(1), 0, 1])
    (2, 0)
    """
    p = flint.fmpq_poly([flint.fmpq(c.numerator, c.denominator) for c in coeffs])
    if p.degree() <= 0:
        return 0
    p = p / p.gcd(p.derivative())  # square-free part: same distinct roots
    seq = [p, p.derivative()]
    while seq[-1].degree() > 0:
        r = -(divmod(seq[-2], seq[-1])[1])
        if r == 0:
            break
        seq.append(r)

    def sign_changes(at_plus: bool) -> int:
        signs = []
        for s in seq:
            lc = s[s.degree()]
            sign = 1 if lc > 0 else -1
            if not at_plus and s.degree() % 2 == 1:
                sign = -sign
            signs.append(sign)
        return sum(1 for a, b in itertools.pairwise(signs) if a != b)

    return sign_changes(False) - sign_changes(True)


def _binary_univariate(g: flint.fmpq_mpoly) -> tuple[int, list[Fraction]]:
    """A binary form as ``x2^k · x2^(deg - k) u(x1 / x2)``: return ``k`` and ``u`` (low to high).

    With ``g = Σ_i c_i x1^i x2^(deg - i)``, ``x2`` divides ``g`` exactly ``deg - top`` times,
    ``top`` the largest ``i`` with ``c_i != 0``, and ``u(t) = Σ_{i <= top} c_i t^i``.
    """
    deg = int(g.total_degree())
    coeffs = [Fraction(0)] * (deg + 1)
    for monom, c in g.terms():
        coeffs[int(monom[0])] = fmpq_to_fraction(c)
    top = max(i for i, c in enumerate(coeffs) if c != 0)
    return deg - top, coeffs[: top + 1]


def _binary_numeric_factors(g: flint.fmpq_mpoly) -> tuple[complex, list[LinearFactor]]:
    """Linear factors of a square-free binary form from the roots of ``g(t, 1)``."""
    x2_power, coeffs = _binary_univariate(g)
    factors = []
    if x2_power:
        factors.append(LinearFactor((0.0, 1.0), x2_power, False))
    poly = np.array([float(c) for c in coeffs], dtype=np.float64)
    roots = np.roots(poly[::-1]) if len(poly) > 1 else np.array([])
    for r in roots:
        factors.append(LinearFactor((1.0, complex(-r)), 1, False))
    return complex(float(coeffs[-1])), factors


def _general_numeric_factors(
    g: flint.fmpq_mpoly, n_vars: int, rng: np.random.Generator
) -> tuple[complex, list[LinearFactor]] | None:
    """Candidate linear factors of a square-free form in ``n >= 3`` variables.

    With ``ℓ_i(u) = 1`` for a random ``u``, the roots of ``s -> g(s u + b)`` are ``-ℓ_i(b)``;
    doing this for a random basis ``b_k`` and matching the roots across ``k`` by a combined
    direction ``b_1 + γ b_k`` gives each ``ℓ_i`` in that basis.
    """
    from scipy.optimize import linear_sum_assignment

    m = int(g.total_degree())
    uctx = flint.fmpq_mpoly_ctx.get(("s",), "degrevlex")
    s = uctx.gens()[0]
    for _ in range(5):
        u = [flint.fmpq(int(v)) for v in rng.integers(-7, 8, size=n_vars)]
        if g(*u) != 0:
            break
    else:
        return None
    basis = rng.integers(-7, 8, size=(n_vars, n_vars))
    while abs(np.linalg.det(basis)) < 0.5:
        basis = rng.integers(-7, 8, size=(n_vars, n_vars))

    def values(direction: list[Any]) -> np.ndarray:
        h = g.compose(*[s * uj + dj for uj, dj in zip(u, direction, strict=True)], ctx=uctx)
        coeffs = [0.0] * (m + 1)
        for monom, c in h.terms():
            coeffs[int(monom[0])] = float(c)
        if coeffs[m] == 0:
            return np.array([])
        return -np.roots(coeffs[::-1])  # ℓ_i(direction), with ℓ_i(u) = 1

    c1 = values([flint.fmpq(int(v)) for v in basis[0]])
    if c1.size != m:
        return None
    columns = [c1]
    gamma = flint.fmpq(int(rng.integers(2, 50)), int(rng.integers(51, 97)))
    for k in range(1, n_vars):
        ck = values([flint.fmpq(int(v)) for v in basis[k]])
        combo = values(
            [flint.fmpq(int(a)) + gamma * int(b) for a, b in zip(basis[0], basis[k], strict=True)]
        )
        if ck.size != m or combo.size != m:
            return None
        g_f = float(gamma)
        cost = np.array(
            [[np.min(np.abs(combo - (c1[i] + g_f * ck[j]))) for j in range(m)] for i in range(m)]
        )
        _, perm = linear_sum_assignment(cost)
        columns.append(ck[perm])
    c = np.stack(columns, axis=1)  # c[i, k] = ℓ_i(b_k)
    ell = np.linalg.solve(basis.astype(np.float64), c.T).T  # rows: ℓ_i coefficients
    const = complex(float(g(*u)))
    return const, [LinearFactor(tuple(complex(v) for v in row), 1, False) for row in ell]


def _numeric_check(
    g: flint.fmpq_mpoly,
    const: complex,
    factors: list[LinearFactor],
    n_vars: int,
    rng: np.random.Generator,
    tol: Tolerances,
) -> tuple[bool, bool]:
    """Whether ``g ≈ const Π ℓ^m`` at random points; and whether that decision is unsure."""
    pts = rng.standard_normal((8, n_vars))
    lhs = evaluate_float(g, pts)
    rhs = np.full(pts.shape[0], const, dtype=complex)
    for f in factors:
        rhs = rhs * (pts @ np.array(f.coefficients, dtype=complex)) ** f.multiplicity
    scale = sum(abs(float(c)) for c in g.coeffs()) * np.max(np.abs(pts)) ** int(g.total_degree())
    err = float(np.max(np.abs(lhs - rhs)))
    return bool(tol.is_zero(err, scale)), bool(tol.unsure(err, scale))


def split_form(
    g: flint.fmpq_mpoly,
    n_vars: int,
    field: str,
    *,
    rng: np.random.Generator,
    tol: Tolerances,
) -> Splitting:
    """Split a nonzero form into linear factors over ``field`` ("Q", "R" or "C").

    Exact over Q (``fmpq_mpoly.factor``). Over R and C, factors irreducible over Q of degree
    >= 2 are split numerically; for binary forms the *decision* stays exact (every binary form
    splits over C; over R iff a Sturm sequence counts all roots real).
    """
    constant, parts = g.factor()
    factors: list[LinearFactor] = []
    exact = True
    numeric_const: complex = complex(float(constant))
    for part, mult in parts:
        coeffs = linear_form_coefficients(part, n_vars)
        if coeffs is not None:
            factors.append(LinearFactor(tuple(coeffs), int(mult), True))
            continue
        if field == "Q":
            return Splitting(False, True, why=f"the factor {part} is irreducible over Q")
        if n_vars == 2:
            _, ucoeffs = _binary_univariate(part)
            degree = len(ucoeffs) - 1
            if field == "R" and sturm_real_roots(ucoeffs) < degree:
                return Splitting(
                    False, True, why=f"the factor {part} has non-real roots (Sturm sequence)"
                )
            lead, nf = _binary_numeric_factors(part)
        else:
            found = _general_numeric_factors(part, n_vars, rng)
            if found is None:
                return Splitting(False, False, why=f"could not split {part} numerically")
            lead, nf = found
            ok, _ = _numeric_check(part, lead, nf, n_vars, rng, tol)
            if not ok:
                return Splitting(
                    False, False, why=f"the factor {part} is not a product of linear forms"
                )
            exact = False
            if field == "R":
                for f in nf:
                    mag = max(abs(v) for v in f.coefficients)
                    if any(not tol.is_zero(abs(complex(v).imag), mag) for v in f.coefficients):
                        return Splitting(
                            False, False, why=f"the linear factors of {part} are not real"
                        )
        nf = [LinearFactor(f.coefficients, f.multiplicity * int(mult), False) for f in nf]
        factors.extend(nf)
        numeric_const *= lead ** int(mult)
    const: Any = fmpq_to_fraction(constant) if all(f.exact for f in factors) else numeric_const
    if field == "R":
        factors = [
            f
            if f.exact
            else LinearFactor(tuple(complex(v).real for v in f.coefficients), f.multiplicity, False)
            for f in factors
        ]
        if not isinstance(const, Fraction):
            const = complex(const).real
    return Splitting(True, exact, const, tuple(factors))
