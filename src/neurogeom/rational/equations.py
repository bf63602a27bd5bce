"""Equations of neurovarieties: the known determinantal ones, and implicitisation by interpolation.

Coordinates on the ambient space are the coefficients of ``(P_1, ..., P_dL, Q)``, each form's
monomials in the order of :func:`~neurogeom.rational.polynomials.forms_basis`, named
``p{i}_{exponents}`` and ``q_{exponents}`` (``p1_10`` is the coefficient of ``x1`` in ``P_1``).

- Shallow ``(d0, 2, d2)`` (spec §2): ``V = {rank [A_Q; ∇P_1; ...; ∇P_d2] <= 2}``, with ``A_Q`` the
  symmetric matrix of the quadric ``Q``: the 3x3 minors.
- Binary ``(2, 2, ..., 2, dL)``, ``L >= 3``, ``dL >= 2`` (spec §3): the ``P_i`` share a factor
  of degree ``2a``, ``a = ⌊(L-1)/2⌋``; equivalently ``rank [x_j P_i] <= 3``: the 4x4 minors.
- Any small architecture: :func:`implicitize` samples points of ``V`` over F_p (random weights,
  closed formula with ``fmpz_mod_mpoly``), finds all forms of each degree vanishing on them (a
  kernel over F_p), lifts them to Q by rational reconstruction and checks them exactly on exact
  points of ``V``; the Hilbert function it measures gives the degree of ``V`` when the h-vector
  ends within reach.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from neurogeom.core.budget import Budget
from neurogeom.core.errors import InvalidInputError
from neurogeom.core.progress import progress_bar
from neurogeom.core.random import check_rng
from neurogeom.core.rationals import DEFAULT_PRIME, fmpq_to_fraction
from neurogeom.rational._jacobian import ModP
from neurogeom.rational.architecture import (
    check_architecture,
    degrees,
    is_binary,
)
from neurogeom.rational.polynomials import coefficient_vector, forms_basis

__all__ = [
    "EquationSet",
    "Implicitization",
    "ambient_coordinates",
    "binary_rank_matrix",
    "implicitize",
    "known_equations",
    "shallow_rank_matrix",
]


# -- coordinates ----------------------------------------------------------------------------------


def ambient_coordinates(arch: Any) -> tuple[str, ...]:
    """Names of the ambient coordinates: coefficients of ``P_1, ..., P_dL`` then ``Q``.

    Parameters
    ----------
    arch : sequence of int or str
        Widths ``(d0, ..., dL)`` (see :func:`~neurogeom.rational.check_architecture`).

    Returns
    -------
    tuple of str
        ``p{i}_{exponents}`` for the coefficients of ``P_i``, ``q_{exponents}`` for ``Q``, in
        the order of :func:`~neurogeom.rational.polynomials.forms_basis`.

    Raises
    ------
    InvalidInputError
        For an invalid architecture.

    Examples
    --------
    >>> ambient_coordinates((2, 2, 1))
    ('p1_10', 'p1_01', 'q_20', 'q_11', 'q_02')
    """
    a = check_architecture(arch)
    deg_p, deg_q = degrees(a)
    names = []
    for i in range(a[-1]):
        names += [f"p{i + 1}_" + "".join(map(str, m)) for m in forms_basis(a[0], deg_p)]
    names += ["q_" + "".join(map(str, m)) for m in forms_basis(a[0], deg_q)]
    return tuple(names)


def _tuple_vector(
    numerators: Sequence[flint.fmpq_mpoly], denominator: flint.fmpq_mpoly, arch: tuple[int, ...]
) -> list[Fraction]:
    deg_p, deg_q = degrees(arch)
    out: list[Fraction] = []
    for p in numerators:
        out += coefficient_vector(p, arch[0], deg_p)
    return out + coefficient_vector(denominator, arch[0], deg_q)


# -- determinantal descriptions -------------------------------------------------------------------


def shallow_rank_matrix(
    numerators: Sequence[flint.fmpq_mpoly], denominator: flint.fmpq_mpoly, n_vars: int
) -> np.ndarray:
    """``[A_Q; ∇P_1; ...]``: the symmetric matrix of the quadric ``Q`` over the coefficient rows
    of the linear forms ``P_i`` (Fractions). For ``(d0, 2, d2)``, ``V`` is where its rank is <= 2.

    Examples
    --------
    >>> from neurogeom.rational.polynomials import context
    >>> x1, x2, x3 = context(3).gens()
    >>> m = shallow_rank_matrix([2 * x1 - x2], x1 * x2, 3)
    >>> m.tolist()[:1], m.shape
    ([[Fraction(0, 1), Fraction(1, 2), Fraction(0, 1)]], (4, 3))
    """
    a_q = np.full((n_vars, n_vars), Fraction(0), dtype=object)
    for monom, c in denominator.terms():
        exps = [int(e) for e in monom]
        idx = [j for j, e in enumerate(exps) for _ in range(e)]
        if len(idx) != 2:
            raise InvalidInputError(f"the denominator {denominator} is not a quadratic form")
        i, j = idx
        value = fmpq_to_fraction(c)
        if i == j:
            a_q[i, i] = value
        else:
            a_q[i, j] = a_q[j, i] = value / 2
    rows = [list(r) for r in a_q]
    for k, p in enumerate(numerators):
        row = [Fraction(0)] * n_vars
        for monom, c in p.terms():
            exps = [int(e) for e in monom]
            if sum(exps) != 1:
                raise InvalidInputError(f"numerator {k + 1}, {p}, is not a linear form")
            row[exps.index(1)] = fmpq_to_fraction(c)
        rows.append(row)
    return np.array(rows, dtype=object)


def binary_rank_matrix(numerators: Sequence[flint.fmpq_mpoly]) -> np.ndarray:
    """Coefficients of ``x_j P_i`` (``j = 1, 2``), one column each, for binary forms ``P_i``.

    For a binary architecture with ``L >= 3`` layers and ``dL >= 2`` outputs, ``V`` is where the
    rank is at most 3 (the ``P_i`` share a factor of degree ``deg P - 1``).

    Examples
    --------
    >>> from neurogeom.rational.polynomials import context
    >>> x1, x2 = context(2).gens()
    >>> from neurogeom.core.rationals import exact_rank
    >>> exact_rank(binary_rank_matrix([x1**2 * x2, x1 * x2**2]))
    3
    >>> exact_rank(binary_rank_matrix([x1**3, x2**3]))
    4
    """
    deg = max(int(p.total_degree()) for p in numerators if not p.is_zero())
    columns = []
    for p in numerators:
        for g in p.context().gens():
            prod = p * g
            columns.append(
                coefficient_vector(prod, 2, deg + 1)
                if not prod.is_zero()
                else [Fraction(0)] * (deg + 2)
            )
    return np.array(columns, dtype=object).T


# -- known equations as polynomials in the ambient coordinates ------------------------------------


@dataclass(frozen=True, slots=True)
class EquationSet:
    """Polynomials in the ambient coordinates vanishing on ``V`` (exact, ``fmpq_mpoly``).

    Attributes
    ----------
    architecture : tuple of int
    coordinates : tuple of str
        Variable names (:func:`ambient_coordinates`).
    equations : tuple of flint.fmpq_mpoly
    description : str
        Where they come from.
    complete : bool
        Whether they cut out ``V`` set-theoretically (True for the determinantal ones).

    Examples
    --------
    >>> from neurogeom.rational.polynomials import parse_polynomial as poly
    >>> eq = known_equations((3, 2, 1))
    >>> eq.vanish_at([poly("2*x1 - x2", 3)], poly("x1*x2", 3))
    True
    >>> eq.vanish_at([poly("x3", 3)], poly("x1*x2", 3)), eq.to_dict()["complete"]
    (False, True)
    """

    architecture: tuple[int, ...]
    coordinates: tuple[str, ...]
    equations: tuple[flint.fmpq_mpoly, ...]
    description: str
    complete: bool

    def __hash__(self) -> int:  # fmpq_mpoly is not hashable; its text is canonical
        return hash((self.architecture, tuple(map(str, self.equations)), self.description))

    def degrees(self) -> tuple[int, ...]:
        """Total degree of each equation.

        Examples
        --------
        >>> known_equations((3, 2, 1)).degrees()  # det A_Q and three 3x3 minors
        (3, 3, 3, 3)
        """
        return tuple(int(e.total_degree()) for e in self.equations)

    def vanish_at(
        self, numerators: Sequence[flint.fmpq_mpoly], denominator: flint.fmpq_mpoly
    ) -> bool:
        """Whether every equation vanishes at the tuple ``(P, Q)`` (exact).

        Examples
        --------
        >>> from neurogeom.rational.polynomials import parse_polynomial as poly
        >>> eq = known_equations((3, 2, 1))
        >>> eq.vanish_at([poly("x2", 3)], poly("x1^2", 3))  # in V (a limit), not in M
        True
        """
        point = [
            flint.fmpq(q.numerator, q.denominator)
            for q in _tuple_vector(numerators, denominator, self.architecture)
        ]
        return all(e(*point) == 0 for e in self.equations)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (equations as text).

        Examples
        --------
        >>> d = known_equations((3, 2, 1)).to_dict()
        >>> d["degrees"], d["complete"], len(d["coordinates"])
        ([3, 3, 3, 3], True, 9)
        """
        return {
            "architecture": list(self.architecture),
            "coordinates": list(self.coordinates),
            "equations": [str(e) for e in self.equations],
            "degrees": list(self.degrees()),
            "description": self.description,
            "complete": self.complete,
        }

    def __repr__(self) -> str:
        return (
            f"EquationSet({'-'.join(map(str, self.architecture))}: {len(self.equations)} "
            f"equations of degrees {sorted(set(self.degrees()))})"
        )


def _minors(matrix: list[list[Any]], size: int) -> list[Any]:
    rows, cols = len(matrix), len(matrix[0])
    out = []
    for rs in itertools.combinations(range(rows), size):
        for cs in itertools.combinations(range(cols), size):
            sub = [[matrix[r][c] for c in cs] for r in rs]
            out.append(_det(sub))
    return out


def _minor_equations(
    arch: tuple[int, ...],
    names: tuple[str, ...],
    rows: list[list[Any]],
    size: int,
    description: str,
) -> EquationSet:
    """The nonzero ``size`` x ``size`` minors of ``rows``, normalised, each once (complete)."""
    eqs = [m for m in _minors(rows, size) if not m.is_zero()]
    return EquationSet(arch, names, tuple(_normalise(e) for e in _unique(eqs)), description, True)


def _det(m: list[list[Any]]) -> Any:
    if len(m) == 1:
        return m[0][0]
    total = None
    for j in range(len(m)):
        minor = [row[:j] + row[j + 1 :] for row in m[1:]]
        term = m[0][j] * _det(minor)
        if total is None:
            total = term if j % 2 == 0 else -term
        else:
            total = total + term if j % 2 == 0 else total - term
    return total


def known_equations(arch: Any) -> EquationSet:
    """The determinantal equations of ``V`` where the spec gives them.

    Parameters
    ----------
    arch : sequence of int or str
        Widths ``(d0, ..., dL)`` (see :func:`~neurogeom.rational.check_architecture`).

    Returns
    -------
    EquationSet

    Raises
    ------
    InvalidInputError
        For other architectures (use :func:`implicitize`), or a filling one (no equations).

    Examples
    --------
    >>> eq = known_equations((3, 2, 1))
    >>> len(eq.equations), sorted(set(eq.degrees()))
    (4, [3])
    >>> known_equations((2, 2, 2, 2)).degrees()
    (4, 4, 4, 4, 4)
    """
    a = check_architecture(arch)
    names = ambient_coordinates(a)
    ctx = flint.fmpq_mpoly_ctx.get(names, "degrevlex")
    var = dict(zip(names, ctx.gens(), strict=True))
    n_layers = len(a) - 1
    if n_layers == 2 and a[1] == 2 and a[0] >= 3:
        d0 = a[0]
        a_q: list[list[Any]] = [[None] * d0 for _ in range(d0)]
        for monom in forms_basis(d0, 2):
            g = var["q_" + "".join(map(str, monom))]
            idx = [j for j, e in enumerate(monom) for _ in range(e)]
            i, j = idx
            if i == j:
                a_q[i][i] = g
            else:
                a_q[i][j] = a_q[j][i] = g / 2
        rows = [list(r) for r in a_q]
        for i in range(a[2]):
            rows.append([var[f"p{i + 1}_" + "".join(map(str, m))] for m in forms_basis(d0, 1)])
        return _minor_equations(
            a, names, rows, 3, "3x3 minors of [A_Q; ∇P_1; ...; ∇P_d2] (spec §2: rank <= 2)"
        )
    if is_binary(a) and n_layers >= 3 and a[-1] >= 2:
        deg_p, _ = degrees(a)
        columns = []
        for i in range(a[-1]):
            coeffs = [var[f"p{i + 1}_" + "".join(map(str, m))] for m in forms_basis(2, deg_p)]
            # coefficients of x1 * P_i and x2 * P_i in forms_basis(2, deg_p + 1) order
            zero = ctx.from_dict({})
            columns.append([*coeffs, zero])
            columns.append([zero, *coeffs])
        rows = [list(r) for r in zip(*columns, strict=True)]
        return _minor_equations(
            a, names, rows, 4, "4x4 minors of the coefficients of x_j P_i (spec §3: rank <= 3)"
        )
    raise InvalidInputError(
        f"no closed-form equations are known for {'-'.join(map(str, a))}: they are built in for "
        "shallow (d0, 2, d2) with d0 >= 3 and binary (2, ..., 2, dL) with L >= 3, dL >= 2; use "
        "implicitize() for small architectures"
    )


def _normalise(e: flint.fmpq_mpoly) -> flint.fmpq_mpoly:
    lc = e.leading_coefficient()
    return e * (1 / flint.fmpq(lc)) if lc != 1 else e


def _unique(eqs: list[flint.fmpq_mpoly]) -> list[flint.fmpq_mpoly]:
    seen: list[flint.fmpq_mpoly] = []
    for e in eqs:
        n = _normalise(e)
        if not any(n == s for s in seen):
            seen.append(n)
    return seen


# -- implicitisation by interpolation over F_p ----------------------------------------------------


def _rational_reconstruction(a: int, p: int) -> Fraction | None:
    """The fraction ``r/s`` with ``|r|, s <= sqrt(p/2)`` and ``r = a s mod p``, if any."""
    bound = math.isqrt(p // 2)
    r0, r1 = p, a % p
    s0, s1 = 0, 1
    while r1 > bound:
        q = r0 // r1
        r0, r1 = r1, r0 - q * r1
        s0, s1 = s1, s0 - q * s1
    if s1 == 0 or abs(s1) > bound:
        return None
    out = Fraction(r1, s1)
    if (out.numerator - a * out.denominator) % p != 0:
        return None
    return out


def _sample_point_mod(arch: tuple[int, ...], rng: np.random.Generator, p: int) -> np.ndarray | None:
    """Coefficients of ``(P, Q)`` for random weights mod p: a point of V over F_p."""
    from neurogeom.rational.expansion import _closed_formula_lists

    ctx = flint.fmpz_mod_mpoly_ctx.get(tuple(f"x{i + 1}" for i in range(arch[0])), p, "degrevlex")
    gens = ctx.gens()
    layers = [
        ([[int(v) for v in row] for row in rng.integers(1, p, size=(arch[l + 1], arch[l]))], [])
        for l in range(len(arch) - 1)
    ]
    first = []
    for row in layers[0][0]:
        acc = ctx.from_dict({})
        for g, w in zip(gens, row, strict=True):
            acc += g * w
        first.append(acc)
    nums, den = _closed_formula_lists(first, layers, ctx)
    deg_p, deg_q = degrees(arch)
    out = []
    for poly, deg in [*((n, deg_p) for n in nums), (den, deg_q)]:
        basis = forms_basis(arch[0], deg)
        index = {m: k for k, m in enumerate(basis)}
        vec = [0] * len(basis)
        for monom, c in poly.terms():
            key = tuple(int(e) for e in monom)
            if key not in index:
                return None
            vec[index[key]] = int(c)
        out += vec
    return np.array(out, dtype=np.int64)


def _monomial_values(points: np.ndarray, degree: int, field: ModP) -> tuple[np.ndarray, np.ndarray]:
    """All monomials of ``degree`` in the coordinates, evaluated at every point (mod p)."""
    n = points.shape[1]
    combos = np.array(
        list(itertools.combinations_with_replacement(range(n), degree)), dtype=np.int64
    )
    if degree == 0:
        return np.ones((points.shape[0], 1), dtype=np.int64), combos.reshape(1, 0)
    values = np.ones((points.shape[0], combos.shape[0]), dtype=np.int64)
    for pos in range(degree):
        values = field.mul(values, points[:, combos[:, pos]])
    return values, combos


def _nmod(matrix: np.ndarray, p: int) -> flint.nmod_mat:
    rows, cols = matrix.shape
    return flint.nmod_mat(flint.fmpz_mat(rows, cols, matrix.ravel().tolist()), p)


@dataclass(frozen=True, slots=True)
class Implicitization:
    """What interpolation over F_p found about ``V`` (see :func:`implicitize`).

    Attributes
    ----------
    architecture, coordinates
    dimension : int
        Projective dimension of ``V`` (Jacobian rank over F_p).
    hilbert_function : tuple of int
        ``HF(k)``, ``k = 0, 1, ...``: dimension of the degree-``k`` part of the coordinate ring
        (monomials of degree ``k`` minus independent equations of degree ``k``).
    equations_per_degree : tuple of int
        Independent equations of each degree.
    new_generators_per_degree : tuple of int
        Those not multiples of lower-degree ones (minimal generators of each degree).
    equations : tuple of flint.fmpq_mpoly
        The equations of the lowest degree that has any, lifted to Q by rational reconstruction
        and checked exactly at points of ``V`` (empty if none or if lifting failed).
    h_vector : tuple of int
        Numerator of the Hilbert series, as far as the Hilbert function determines it.
    degree : int or None
        ``Σ h_i`` when the h-vector ended (a zero as its last computed entry), else ``None``.
    degree_note : str
    prime : int
    complete : bool
        Whether every requested degree was computed (budget, monomial cap).
    seconds : float

    Examples
    --------
    >>> imp = implicitize((2, 2, 1), max_degree=2)  # fills: no equations, degree 1
    >>> imp.to_dict()["equations_per_degree"], imp.degree
    ([0, 0, 0], 1)
    """

    architecture: tuple[int, ...]
    coordinates: tuple[str, ...]
    dimension: int
    hilbert_function: tuple[int, ...]
    equations_per_degree: tuple[int, ...]
    new_generators_per_degree: tuple[int, ...]
    equations: tuple[flint.fmpq_mpoly, ...]
    h_vector: tuple[int, ...]
    degree: int | None
    degree_note: str
    prime: int
    complete: bool
    seconds: float

    def __hash__(self) -> int:  # fmpq_mpoly is not hashable; its text is canonical
        return hash((self.architecture, self.hilbert_function, tuple(map(str, self.equations))))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form.

        Examples
        --------
        >>> d = implicitize((3, 2, 1), max_degree=3).to_dict()
        >>> d["dimension"], d["ambient_dimension"], d["equations_per_degree"]
        (6, 8, [0, 0, 0, 4])
        """
        return {
            "architecture": list(self.architecture),
            "dimension": self.dimension,
            "ambient_dimension": len(self.coordinates) - 1,
            "hilbert_function": list(self.hilbert_function),
            "equations_per_degree": list(self.equations_per_degree),
            "new_generators_per_degree": list(self.new_generators_per_degree),
            "equations": [str(e) for e in self.equations],
            "h_vector": list(self.h_vector),
            "degree": self.degree,
            "degree_note": self.degree_note,
            "prime": self.prime,
            "complete": self.complete,
            "seconds": round(self.seconds, 3),
        }

    def __repr__(self) -> str:
        return (
            f"Implicitization({'-'.join(map(str, self.architecture))}: dim {self.dimension}, "
            f"HF {list(self.hilbert_function)}, degree {self.degree})"
        )


def _lift(
    kernel_rows: flint.nmod_mat, combos: np.ndarray, coordinates: tuple[str, ...], p: int
) -> list[flint.fmpq_mpoly] | None:
    """RREF rows of a kernel over F_p, reconstructed as rational polynomials (or ``None``)."""
    ctx = flint.fmpq_mpoly_ctx.get(coordinates, "degrevlex")
    gens = ctx.gens()
    rows, cols = kernel_rows.nrows(), kernel_rows.ncols()
    out = []
    for i in range(rows):
        poly = ctx.from_dict({})
        for j in range(cols):
            v = int(kernel_rows[i, j])
            if v == 0:
                continue
            q = _rational_reconstruction(v, p)
            if q is None:
                return None
            term = ctx.constant(flint.fmpq(q.numerator, q.denominator))
            for c in combos[j]:
                term *= gens[int(c)]
            poly += term
        out.append(poly)
    return out


def _exact_points(
    arch: tuple[int, ...], rng: np.random.Generator, count: int
) -> list[list[flint.fmpq]]:
    """Coefficients of ``(P, Q)`` of random integer-weight nets: exact points of V."""
    from neurogeom.nets import RationalNet
    from neurogeom.rational.expansion import closed_formula

    out = []
    while len(out) < count:
        ws = [
            rng.integers(-9, 10, size=(arch[l + 1], arch[l])).tolist() for l in range(len(arch) - 1)
        ]
        try:
            nums, den = closed_formula(RationalNet(ws, exact=True))
        except InvalidInputError:
            continue
        except ValueError:
            continue
        try:
            vec = _tuple_vector(nums, den, arch)
        except InvalidInputError:
            continue
        out.append([flint.fmpq(v.numerator, v.denominator) for v in vec])
    return out


def implicitize(
    arch: Any,
    *,
    max_degree: int = 3,
    max_monomials: int = 2000,
    seed: Any = 0,
    time_limit: float | None = None,
    progress: bool = False,
    p: int = DEFAULT_PRIME,
) -> Implicitization:
    """Equations and the Hilbert function of ``V`` by interpolation over F_p.

    For each degree ``k <= max_degree``: sample ``N_k + 10`` points of ``V`` over F_p (random
    weights, the closed formula with ``fmpz_mod_mpoly``), evaluate the ``N_k`` monomials of
    degree ``k`` in the ambient coordinates, and take the rank and kernel of that matrix
    (``nmod_mat``). The rank is ``HF(k)`` and the kernel is the space of degree-``k``
    equations, both exact with high probability (a random point is generic unless a nonzero
    polynomial of moderate degree vanishes on it mod p). The lowest-degree equations are lifted
    to Q by rational reconstruction and checked exactly at points of ``V`` over Q.

    Parameters
    ----------
    arch : sequence of int
        A bias-free architecture.
    max_degree : int
        Highest degree of equations to look for.
    max_monomials : int
        Skip degrees with more monomials than this (the matrix is square in it).
    seed, time_limit, progress
        Randomness, a budget in seconds (incomplete results are marked), a progress bar.
    p : int
        A prime below ``2**31``.

    Returns
    -------
    Implicitization

    Notes
    -----
    The degree of ``V`` comes from the Hilbert series ``Σ HF(k) t^k = h(t) / (1 - t)^(D+1)``
    (``D = dim V``): ``deg V = h(1)``. Only ``h_0, ..., h_K`` are known from degrees up to ``K``;
    when ``h_K = 0`` the h-vector is *assumed* to have ended (true for the arithmetically
    Cohen–Macaulay varieties met here, e.g. determinantal ones) and ``degree`` is reported with
    that caveat in ``degree_note``.

    Examples
    --------
    >>> imp = implicitize((3, 2, 1), max_degree=4)
    >>> imp.equations_per_degree, imp.new_generators_per_degree
    ((0, 0, 0, 4, 33), (0, 0, 0, 4, 0))
    >>> imp.h_vector, imp.degree
    ((1, 2, 3, 0, 0), 6)
    """
    from neurogeom.rational.dimension import dimension

    a = check_architecture(arch)
    if isinstance(max_degree, bool) or not isinstance(max_degree, int) or max_degree < 1:
        raise InvalidInputError(f"max_degree must be a positive integer, got {max_degree!r}")
    started = time.monotonic()
    budget = Budget.start(time_limit=time_limit)
    rng = check_rng(seed)
    field_ = ModP(p)
    coordinates = ambient_coordinates(a)
    n = len(coordinates)
    dim = dimension(a, seed=rng, float_check=False).dimension
    hf = [1]
    per_degree = [0]
    new_gens = [0]
    equations: tuple[flint.fmpq_mpoly, ...] = ()
    previous_kernel: flint.nmod_mat | None = None
    previous_combos: np.ndarray | None = None
    points = np.zeros((0, n), dtype=np.int64)
    complete = True
    with progress_bar(progress, total=max_degree, desc="degrees", unit="deg") as bar:
        for k in range(1, max_degree + 1):
            n_monomials = math.comb(n + k - 1, k)
            if n_monomials > max_monomials or budget.expired():
                complete = False
                break
            need = n_monomials + 10
            while points.shape[0] < need:
                pt = _sample_point_mod(a, rng, p)
                if pt is not None:
                    points = np.vstack([points, pt[None, :]])
            values, combos = _monomial_values(points[:need], k, field_)
            mat = _nmod(values, p)
            rank = int(mat.rank())
            hf.append(rank)
            nullity = n_monomials - rank
            per_degree.append(nullity)
            kernel = None
            if nullity:
                basis, _ = mat.nullspace()
                kernel = flint.nmod_mat(
                    [[int(basis[i, j]) for i in range(n_monomials)] for j in range(nullity)], p
                ).rref()[0]
            # minimal generators: the kernel minus the multiples x_i * (degree k-1 equations)
            multiples = 0
            if previous_kernel is not None and kernel is not None:
                index = {tuple(int(c) for c in row): j for j, row in enumerate(combos)}
                rows = []
                for r in range(previous_kernel.nrows()):
                    for var in range(n):
                        row = [0] * n_monomials
                        for j, prev in enumerate(previous_combos):
                            v = int(previous_kernel[r, j])
                            if v:
                                row[index[tuple(sorted((*map(int, prev), var)))]] = v
                        rows.append(row)
                multiples = int(flint.nmod_mat(rows, p).rank()) if rows else 0
            new_gens.append(nullity - multiples)
            if nullity and not equations:
                lifted = _lift(kernel, combos, coordinates, p)
                if lifted is not None:
                    checks = _exact_points(a, rng, 4)
                    if all(e(*pt) == 0 for e in lifted for pt in checks):
                        equations = tuple(lifted)
            previous_kernel, previous_combos = kernel, combos
            bar.update()
    # h-vector: (1 - t)^(D + 1) * Σ HF(k) t^k, truncated to the computed degrees
    h = []
    for i in range(len(hf)):
        h.append(sum((-1) ** j * math.comb(dim + 1, j) * hf[i - j] for j in range(0, i + 1)))
    degree: int | None = None
    if len(h) >= 2 and h[-1] == 0:
        degree = sum(h)
        note = (
            f"h-vector {tuple(h)} assumed to end where it vanishes (degree {len(h) - 1}); "
            "true when V is arithmetically Cohen-Macaulay"
        )
    else:
        note = "the h-vector has not ended by the highest degree computed; raise max_degree"
    return Implicitization(
        a,
        coordinates,
        dim,
        tuple(hf),
        tuple(per_degree),
        tuple(new_gens),
        equations,
        tuple(h),
        degree,
        note,
        p,
        complete,
        time.monotonic() - started,
    )
