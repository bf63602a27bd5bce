"""Exact volumes, lattice volumes and mixed volumes of rational polytopes.

Every volume here is the pyramid decomposition of :class:`neurogeom.core.polyhedra._ExactPolytope`
(the one exact volume routine, shared with the region engine), taken in a coordinate projection
injective on the affine hull and corrected by the exact Jacobian of that projection:

- Euclidean volume relative to the affine hull: ``vol_S(π P) · sqrt(det(D Dᵀ))`` for the echelon
  basis ``D`` of directions (identity on the projected coordinates ``S``); it is a rational number
  times a square root, :class:`SurdVolume`, when the hull is not axis-parallel in a rational way.
- Normalised lattice volume ``Vol_d(P)`` in the lattice ``aff(P) ∩ Zⁿ``: ``d! · vol_S(π P) ·
  g(E) / |det_S(E)|`` for any integral basis ``E`` of the directions, ``g(E)`` the gcd of its
  maximal minors (the product of its Smith invariants). No lattice basis is needed.

Mixed volumes use the normalisation ``V(P, ..., P) = n! vol(P)`` (BKK; AHM eq. (1)), so they are
non-negative integers for lattice polytopes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from neurogeom.core.budget import Budget, OutOfBudget
from neurogeom.core.errors import BudgetExceededError, InvalidInputError, NumericalError
from neurogeom.core.lp import LPModel
from neurogeom.core.progress import progress_bar
from neurogeom.core.random import check_rng
from neurogeom.core.rationals import fmpq_to_fraction, fraction_to_json
from neurogeom.polytopes.polytope import Polytope, _hull, _span

__all__ = [
    "MixedCell",
    "SurdVolume",
    "lattice_volume",
    "mixed_cells",
    "mixed_volume",
    "normalized_volume",
    "volume",
]

_ZERO = flint.fmpq(0)


# -- volumes ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SurdVolume:
    """An exact volume ``coefficient · sqrt(radicand)`` with an integer radicand > 1.

    Examples
    --------
    >>> v = SurdVolume(Fraction(1, 2), 2)
    >>> str(v), round(float(v), 6), v.squared()
    ('1/2*sqrt(2)', 0.707107, Fraction(1, 2))
    """

    coefficient: Fraction
    radicand: int

    def __float__(self) -> float:
        return float(self.coefficient) * math.sqrt(self.radicand)

    def squared(self) -> Fraction:
        """The square of the volume (a rational)."""
        return self.coefficient**2 * self.radicand

    def __str__(self) -> str:
        return f"{self.coefficient}*sqrt({self.radicand})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "coefficient": fraction_to_json(self.coefficient),
            "radicand": self.radicand,
            "approx": float(self),
        }


def _sqrt_rational(value: Fraction) -> Fraction | SurdVolume:
    """``sqrt(value)`` for a positive rational, as a Fraction or a :class:`SurdVolume`."""
    num, den = value.numerator * value.denominator, value.denominator
    root = math.isqrt(num)
    if root * root == num:
        return Fraction(root, den)
    square, rest = 1, num
    for p in range(2, 1000):
        while rest % (p * p) == 0:
            rest //= p * p
            square *= p
    return SurdVolume(Fraction(square, den), rest)


def _projected_volume(p: Polytope) -> flint.fmpq:
    """Volume of ``p`` projected onto its pivot coordinates (injective on its affine hull).

    A simplex is measured by its determinant (no face lattice needed); every other polytope by
    the face-lattice pyramid decomposition of :class:`~neurogeom.core.polyhedra._ExactPolytope`.
    """
    d, coords, _ = _span(p._v)
    if d == 0:
        return flint.fmpq(1)
    if len(p._v) == d + 1:
        base = p._v[0]
        entries = [q[j] - base[j] for q in p._v[1:] for j in coords]
        return abs(flint.fmpq_mat(d, d, entries).det()) / math.factorial(d)
    hull = _hull(p._v)
    assert hull.poly is not None
    return hull.poly.volume()


def volume(polytope: Polytope, *, relative: bool = False) -> Fraction | SurdVolume:
    """Exact Euclidean volume.

    Parameters
    ----------
    polytope : Polytope
    relative : bool, default False
        Measure a lower-dimensional polytope in its affine hull (a segment gets its length, a
        point 1). Without it the volume is the ``n``-dimensional one (0 for a lower-dimensional
        polytope).

    Returns
    -------
    Fraction or SurdVolume
        A Fraction, or ``c · sqrt(r)`` when the relative volume is irrational.

    Examples
    --------
    >>> volume(Polytope.simplex(3))
    Fraction(1, 6)
    >>> volume(Polytope([[0, 0], [3, 4]]), relative=True)
    Fraction(5, 1)
    >>> volume(Polytope([[0, 0], [1, 1]]), relative=True)
    SurdVolume(coefficient=Fraction(1, 1), radicand=2)
    >>> volume(Polytope([[0, 0], [1, 1]]))
    Fraction(0, 1)
    """
    if not isinstance(polytope, Polytope):
        raise InvalidInputError(f"volume needs a Polytope, got {type(polytope).__name__}")
    dim = _span(polytope._v)[0]
    if dim == polytope.ambient_dim:
        return fmpq_to_fraction(_projected_volume(polytope))
    if not relative:
        return Fraction(0)
    _, _, directions = _span(polytope._v)
    base = fmpq_to_fraction(_projected_volume(polytope))
    if dim == 0:
        return base
    d = len(directions)
    mat = flint.fmpq_mat(d, polytope.ambient_dim, [v for r in directions for v in r])
    gram = fmpq_to_fraction((mat * mat.transpose()).det())
    root = _sqrt_rational(gram)
    if isinstance(root, Fraction):
        return base * root
    return SurdVolume(base * root.coefficient, root.radicand)


def lattice_volume(polytope: Polytope) -> Fraction:
    """Normalised volume ``Vol_d(P)`` in the lattice ``aff(P) ∩ Zⁿ`` (``d = dim P``).

    ``Vol_d`` of a unimodular ``d``-simplex is 1, so ``Vol_d = d! vol_d`` for a full-dimensional
    polytope and ``Vol_d`` is an integer for a lattice polytope. For a rational polytope it is
    the same measure (a rational number): scale by the common denominator ``N`` to reach the
    lattice, ``Vol_d(N P) = N^d Vol_d(P)``.

    Notes
    -----
    ``Vol_d(P) = d! · vol_S(π_S P) · g(E) / |det_S(E)|`` where ``E`` is any integral basis of the
    directions of ``aff(P)``, ``S`` a set of coordinates on which the projection ``π_S`` is
    injective, and ``g(E)`` the gcd of the maximal minors of ``E`` (its Smith invariants'
    product): ``E = B T`` for a lattice basis ``B`` of ``aff(P) ∩ Zⁿ - v`` whose minors are
    coprime, so ``|det_S(B)| = |det_S(E)| / g(E)``, which is the index of ``π_S`` of the lattice.

    Examples
    --------
    >>> lattice_volume(Polytope([[0, 0], [2, 4]]))
    Fraction(2, 1)
    >>> lattice_volume(Polytope([[0, 0, 0], [2, 0, 0], [0, 2, 0]]))
    Fraction(4, 1)
    >>> lattice_volume(Polytope.cube(3))
    Fraction(6, 1)
    """
    if not isinstance(polytope, Polytope):
        raise InvalidInputError(f"lattice_volume needs a Polytope, got {type(polytope).__name__}")
    d, _, directions = _span(polytope._v)
    base = fmpq_to_fraction(_projected_volume(polytope))
    if d == 0:
        return Fraction(1)
    if d == polytope.ambient_dim:
        return math.factorial(d) * base
    n = polytope.ambient_dim
    rows, det_s = [], 1
    for r in directions:
        scale = math.lcm(*(int(v.q) for v in r))
        rows.append([int(v * scale) for v in r])
        det_s *= scale  # the echelon row has 1 at its pivot, so the scaled one has ``scale``
    snf = flint.fmpz_mat(d, n, [v for r in rows for v in r]).snf()
    g = 1
    for i in range(d):
        g *= int(snf[i, i])
    return math.factorial(d) * base * abs(g) / det_s


def normalized_volume(polytope: Polytope) -> Fraction:
    """``n! · vol_n(P)`` in the ambient dimension ``n`` (0 if ``P`` is not full-dimensional).

    Examples
    --------
    >>> normalized_volume(Polytope.simplex(4)), normalized_volume(Polytope([[0, 0], [1, 1]]))
    (Fraction(1, 1), Fraction(0, 1))
    """
    v = volume(polytope)
    assert isinstance(v, Fraction)
    return math.factorial(polytope.ambient_dim) * v


# -- mixed volumes ------------------------------------------------------------------------------
def _check_family(polytopes: Any) -> list[Polytope]:
    items = list(polytopes)
    if not items:
        raise InvalidInputError("a mixed volume needs at least one polytope")
    for i, p in enumerate(items):
        if not isinstance(p, Polytope):
            raise InvalidInputError(
                f"polytope {i} must be a Polytope, got {type(p).__name__}; "
                "build it with Polytope(vertices)"
            )
    n = items[0].ambient_dim
    for i, p in enumerate(items):
        if p.ambient_dim != n:
            raise InvalidInputError(
                f"polytope {i} lives in dimension {p.ambient_dim} but polytope 0 in {n}: "
                "all must have the same dimension"
            )
    if len(items) != n:
        raise InvalidInputError(
            f"a mixed volume in dimension {n} needs exactly {n} polytopes, got {len(items)}"
        )
    return items


def _budget(time_limit: Any) -> Budget:
    return Budget.start(time_limit=time_limit)


def _polarization(
    items: list[Polytope], *, progress: bool, budget: Budget
) -> tuple[Fraction, bool]:
    """``Σ_{∅≠S} (-1)^{n-|S|} vol_n(Σ_S P_i)``; returns (value, complete)."""
    n = len(items)
    sums: dict[int, Polytope] = {}
    total = Fraction(0)
    with progress_bar(progress, total=2**n - 1, desc="polarisation", unit="sum") as bar:
        for mask in range(1, 2**n):
            if budget.expired():
                return total, False
            top = mask.bit_length() - 1
            rest = mask ^ (1 << top)
            sums[mask] = items[top] if rest == 0 else sums[rest] + items[top]
            v = volume(sums[mask])
            assert isinstance(v, Fraction)
            total += (-1) ** (n - mask.bit_count()) * v
            bar.update()
    return total, True


@dataclass(frozen=True, slots=True)
class MixedCell:
    """A mixed cell ``Σ [a_i, b_i]`` of a fine mixed subdivision: one edge per polytope.

    Attributes
    ----------
    edges : tuple of (vertex, vertex)
        The edge ``(a_i, b_i)`` chosen in polytope ``i`` (vertices as Fraction tuples).
    volume : int or Fraction
        ``|det(b_1 - a_1, ..., b_n - a_n)|``, the cell's contribution to the mixed volume.
    normal : tuple of Fraction
        The inner normal ``γ`` of the lifted lower facet (exact).
    """

    edges: tuple[tuple[tuple[Fraction, ...], tuple[Fraction, ...]], ...]
    volume: Fraction
    normal: tuple[Fraction, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "edges": [
                [[fraction_to_json(v) for v in a], [fraction_to_json(v) for v in b]]
                for a, b in self.edges
            ],
            "volume": fraction_to_json(self.volume),
            "normal": [fraction_to_json(v) for v in self.normal],
        }


class _Degenerate(Exception):
    """The random lifting was not generic (a lower facet had an extra point)."""


@dataclass(frozen=True, slots=True)
class _Lifted:
    """One polytope's vertices, their lifts, and its candidate lower edges."""

    points: tuple[tuple[flint.fmpq, ...], ...]
    lifts: tuple[int, ...]
    floats: np.ndarray  # vertices as float64, shape (k, n)
    edges: tuple[tuple[int, int], ...]


#: Slack below which a float LP counts as feasible (the exact leaf test decides).
_LP_SLACK = 1e-7
#: Lifts are random integers in ``[0, _LIFT_RANGE)``.
_LIFT_RANGE = 2**20


def _feasible(system: list[tuple[_Lifted, int, int]], n: int) -> bool:
    """Float LP: is there ``γ`` with the chosen edges lowest in their lifted polytopes?

    Maximises ``s`` subject to ``<c - a, γ> + w(c) - w(a) >= s`` (``c`` other vertices) and
    ``<b - a, γ> = w(a) - w(b)`` with ``s <= 1``; feasible when ``s > -slack`` (conservative:
    the exact test at the leaves decides).
    """
    rows, lo, hi = [], [], []
    for lifted, i, j in system:
        a, wa = lifted.floats[i], lifted.lifts[i]
        b = lifted.floats[j]
        rows.append([*(b - a), 0.0])
        rhs = (wa - lifted.lifts[j]) / _LIFT_RANGE  # lifts scaled to [0, 1) for the floats
        lo.append(rhs)
        hi.append(rhs)
        for c in range(len(lifted.points)):
            if c not in (i, j):
                rows.append([*(lifted.floats[c] - a), -1.0])
                lo.append((wa - lifted.lifts[c]) / _LIFT_RANGE)
                hi.append(np.inf)
    if len(rows) == len(system):  # only equalities: feasible iff consistent (checked exactly)
        return True
    col_hi = np.full(n + 1, np.inf)
    col_hi[n] = 1.0
    lp = LPModel(np.array(rows), lo, hi, col_upper=col_hi)
    cost = np.zeros(n + 1)
    cost[n] = 1.0
    res = lp.solve(cost, maximize=True)
    if res.status == "infeasible":
        return False
    # anything but a clear negative optimum (a solver hiccup included) keeps the branch
    return not (res.optimal and res.value is not None and res.value < -_LP_SLACK)


def _exact_cell(
    items: list[_Lifted], choice: list[tuple[int, int]], n: int
) -> tuple[flint.fmpq, tuple[flint.fmpq, ...]] | None:
    """Exact check of a full choice of edges: ``(|det|, γ)`` if it is a mixed cell, else None."""
    dirs = []
    rhs = []
    for lifted, (i, j) in zip(items, choice, strict=True):
        a, b = lifted.points[i], lifted.points[j]
        dirs.extend(b[t] - a[t] for t in range(n))
        rhs.append(flint.fmpq(lifted.lifts[i] - lifted.lifts[j]))
    mat = flint.fmpq_mat(n, n, dirs)
    det = mat.det()
    if det == 0:
        return None
    gamma = tuple(mat.solve(flint.fmpq_mat(n, 1, rhs)).entries())
    for lifted, (i, j) in zip(items, choice, strict=True):
        a = lifted.points[i]
        base = sum((a[t] * gamma[t] for t in range(n)), _ZERO) + lifted.lifts[i]
        for c, pt in enumerate(lifted.points):
            if c in (i, j):
                continue
            value = sum((pt[t] * gamma[t] for t in range(n)), _ZERO) + lifted.lifts[c] - base
            if value < 0:
                return None
            if value == 0:
                raise _Degenerate
    return abs(det), gamma


def _lift(items: list[Polytope], rng: np.random.Generator, n: int) -> list[_Lifted]:
    out = []
    for p in items:
        pts = p._v
        lifts = tuple(int(v) for v in rng.integers(0, _LIFT_RANGE, size=len(pts)))
        floats = np.array([[float(v) for v in q] for q in pts], dtype=np.float64).reshape(
            len(pts), n
        )
        base = _Lifted(pts, lifts, floats, ())
        edges = tuple(
            (i, j)
            for i in range(len(pts))
            for j in range(i + 1, len(pts))
            if _feasible([(base, i, j)], n)
        )
        out.append(_Lifted(pts, lifts, floats, edges))
    return out


def _enumerate_cells(
    lifted: list[_Lifted], n: int, *, progress: bool, budget: Budget
) -> list[tuple[list[tuple[int, int]], flint.fmpq, tuple[flint.fmpq, ...]]]:
    """Depth-first search over edge choices, pruned by float LPs, decided exactly at leaves."""
    cells: list[tuple[list[tuple[int, int]], flint.fmpq, tuple[flint.fmpq, ...]]] = []
    with progress_bar(progress, desc="mixed cells", unit="node") as bar:

        def search(level: int, choice: list[tuple[int, int]], dirs: list[list[flint.fmpq]]) -> None:
            budget.check()
            item = lifted[level]
            for i, j in item.edges:
                bar.update()
                a, b = item.points[i], item.points[j]
                vec = [b[t] - a[t] for t in range(n)]
                trial = [*dirs, vec]
                if flint.fmpq_mat(len(trial), n, [v for r in trial for v in r]).rank() < len(trial):
                    continue
                if level == n - 1:
                    found = _exact_cell(lifted, [*choice, (i, j)], n)
                    if found is not None:
                        cells.append(([*choice, (i, j)], *found))
                        bar.set_postfix(cells=len(cells))
                    continue
                system = [(lifted[k], *choice[k]) for k in range(level)] + [(item, i, j)]
                if _feasible(system, n):
                    search(level + 1, [*choice, (i, j)], trial)

        search(0, [], [])
    return cells


def mixed_cells(
    polytopes: Iterable[Polytope],
    *,
    seed: Any = 0,
    progress: bool = False,
    time_limit: float | None = None,
) -> tuple[MixedCell, ...]:
    """The mixed cells of the fine mixed subdivision induced by a random integer lifting.

    Parameters
    ----------
    polytopes : iterable of Polytope
        ``n`` polytopes in ``Rⁿ``.
    seed : int or Generator, default 0
        Seed of the random lifting (values in ``[0, 2^20)``); a lifting found not to be generic
        is replaced by a fresh one from the same generator.
    progress : bool, default False
        Show a progress bar (search nodes and cells found).
    time_limit : float, optional
        Seconds; :class:`~neurogeom.core.errors.BudgetExceededError` (with the cells found so
        far as ``partial``) when exceeded.

    Returns
    -------
    tuple of MixedCell
        Their volumes sum to the mixed volume.

    Notes
    -----
    Lift each vertex ``v`` of ``P_i`` to ``(v, w_i(v))``. The lower facets of the lifted
    Minkowski sum project to a fine mixed subdivision of ``ΣP_i`` when the lifting is generic;
    its cells ``Σ[a_i, b_i]`` made of one edge per polytope are the mixed cells, and the mixed
    volume is ``Σ |det(b_i - a_i)|`` (Huber–Sturmfels). A choice of edges is a mixed cell iff
    some ``γ`` makes every ``[a_i, b_i]`` the lowest face of ``P̂_i`` in direction ``(γ, 1)``.
    The search chooses one candidate lower edge per polytope in turn and prunes partial choices
    by a floating-point LP whose acceptance is deliberately loose; each complete choice is then
    decided exactly (``γ`` solved in rationals, every inequality checked exactly), so the answer
    is exact. A lifting with ties (a lower facet with an extra point) is detected exactly and
    replaced.

    Examples
    --------
    >>> cells = mixed_cells([Polytope.simplex(2), Polytope.simplex(2).scale(2)])
    >>> sum(c.volume for c in cells)
    Fraction(2, 1)
    """
    items = _check_family(polytopes)
    n = len(items)
    budget = _budget(time_limit)
    rng = check_rng(seed)
    if any(p.n_vertices == 1 for p in items):
        return ()
    for _ in range(8):
        try:
            lifted = _lift(items, rng, n)
            raw = _enumerate_cells(lifted, n, progress=progress, budget=budget)
        except _Degenerate:
            continue
        except OutOfBudget:
            raise BudgetExceededError(
                f"the mixed-cell search ran out of its time limit of {time_limit} s"
            ) from None
        out = []
        for choice, vol, gamma in raw:
            edges = tuple(
                (
                    tuple(fmpq_to_fraction(v) for v in lifted[k].points[i]),
                    tuple(fmpq_to_fraction(v) for v in lifted[k].points[j]),
                )
                for k, (i, j) in enumerate(choice)
            )
            out.append(
                MixedCell(edges, fmpq_to_fraction(vol), tuple(fmpq_to_fraction(v) for v in gamma))
            )
        return tuple(out)
    raise NumericalError(  # pragma: no cover - eight random liftings all tied
        "eight random liftings were all degenerate; pass another seed"
    )


def mixed_volume(
    polytopes: Iterable[Polytope] | Sequence[Polytope],
    *,
    method: str = "auto",
    seed: Any = 0,
    progress: bool = False,
    time_limit: float | None = None,
) -> Fraction:
    """The mixed volume ``V(P_1, ..., P_n)`` of ``n`` polytopes in ``Rⁿ``, exactly.

    Normalised so that ``V(P, ..., P) = n! vol(P)`` (BKK): ``V(Δ_n, ..., Δ_n) = 1`` and
    ``V`` is a non-negative integer for lattice polytopes, the number of solutions of a generic
    polynomial system with these Newton polytopes (Bernstein–Kushnirenko–Khovanskii).

    Parameters
    ----------
    polytopes : iterable of Polytope
        ``n`` polytopes in ``Rⁿ``.
    method : {"auto", "mixed-cells", "polarization"}
        ``"polarization"``: ``Σ_{∅≠S⊆[n]} (-1)^{n-|S|} vol_n(Σ_{i∈S} P_i)`` (``2ⁿ - 1`` exact
        volumes of Minkowski sums; fine for ``n <= 4``). ``"mixed-cells"``: the mixed cells of a
        random lifting (:func:`mixed_cells`), which scales further. ``"auto"`` uses
        polarisation for ``n <= 2`` and mixed cells above.
    seed : int or Generator, default 0
        Seed of the lifting (mixed cells only; the value does not depend on it).
    progress : bool, default False
        Show a progress bar.
    time_limit : float, optional
        Seconds; :class:`~neurogeom.core.errors.BudgetExceededError` when exceeded.

    Returns
    -------
    Fraction

    References
    ----------
    Averkov, Hojny, Merkert, arXiv 2502.06283, eq. (1) and Thm 5 (normalisation); Huber and
    Sturmfels, "A polyhedral method for solving sparse polynomial systems" (1995).

    Examples
    --------
    Bézout: three generic equations of degrees 1, 2, 3 in three unknowns.

    >>> simplex = Polytope.simplex(3)
    >>> mixed_volume([simplex, simplex.scale(2), simplex.scale(3)])
    Fraction(6, 1)
    >>> segments = [Polytope([[0, 0], [2, 1]]), Polytope([[0, 0], [1, 3]])]
    >>> mixed_volume(segments, method="polarization")
    Fraction(5, 1)
    """
    items = _check_family(polytopes)
    if method not in ("auto", "mixed-cells", "polarization"):
        raise InvalidInputError(
            f"method must be 'auto', 'mixed-cells' or 'polarization', got {method!r}"
        )
    n = len(items)
    if method == "polarization" or (method == "auto" and n <= 2):
        value, complete = _polarization(items, progress=progress, budget=_budget(time_limit))
        if not complete:
            raise BudgetExceededError(
                f"polarisation ran out of its time limit of {time_limit} s", partial=None
            )
        return value
    cells = mixed_cells(items, seed=seed, progress=progress, time_limit=time_limit)
    return sum((c.volume for c in cells), Fraction(0))
