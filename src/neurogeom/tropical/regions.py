"""Linear regions of a tropical rational map, by common refinement of dominance cells.

Every numerator and denominator ``p = max_i (c_i + α_i · x)`` partitions ``R^n`` into the
dominance regions of its monomials; only the full-dimensional ones matter (pruning). The common
refinement of all these partitions consists of the full-dimensional intersections, one monomial
per polynomial (one LP each). On each refined cell every output is affine with gradient
``α_num - α_den`` and offset ``c_num - c_den``. Cells with the same map (all outputs) are then
joined with the two merge rules of :mod:`neurogeom.regions.result`:

- *facet-connected*: two cells that lie on opposite sides of exactly one hyperplane of their
  inequalities and share an ``(n-1)``-dimensional piece of it (one LP in ``n - 1`` variables);
- *point-connected*: two cells whose closures meet at all (one feasibility LP).

Exact mode decides every LP exactly (float centre checked in rationals, else the exact simplex)
and compares maps exactly; float mode groups maps that agree after rounding to ``digits``
significant digits relative to the map's size and uses the Chebyshev-radius test of
:func:`~neurogeom.tropical.pruning.full_dimensional`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from neurogeom.core.budget import Budget, OutOfBudget
from neurogeom.core.errors import BudgetExceededError, InvalidInputError
from neurogeom.core.exact_lp import exact_maximize
from neurogeom.core.lp import LPModel
from neurogeom.core.progress import progress_bar
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.core.unionfind import UnionFind
from neurogeom.nets.maxout import MaxoutNet
from neurogeom.nets.relu import ReLUNet
from neurogeom.tropical.polynomial import TropicalPolynomial, TropicalRationalMap
from neurogeom.tropical.pruning import full_dimensional, prune_polynomial

__all__ = ["TropicalCell", "TropicalRegions", "linear_regions"]

#: Significant digits kept when float maps are compared.
MAP_DIGITS = 9


@dataclass(frozen=True, slots=True)
class TropicalCell:
    """One cell of the common refinement.

    Attributes
    ----------
    monomials : tuple of int
        The dominant monomial of each polynomial (numerator 0, denominator 0, numerator 1, ...),
        indices into the *pruned* polynomials of :attr:`TropicalRegions.pruned`.
    matrix : tuple of tuple
        The affine map's matrix (one row per output).
    offset : tuple
        The affine map's offset.
    region : int
        Index of its facet-connected linear region.
    """

    monomials: tuple[int, ...]
    matrix: tuple[tuple[Any, ...], ...]
    offset: tuple[Any, ...]
    region: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        conv = _json
        return {
            "monomials": list(self.monomials),
            "matrix": [[conv(v) for v in row] for row in self.matrix],
            "offset": [conv(v) for v in self.offset],
            "region": self.region,
        }


def _json(v: Any) -> Any:
    if isinstance(v, Fraction):
        return int(v) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
    return float(v)


@dataclass(frozen=True, slots=True)
class TropicalRegions:
    """Cells and linear regions of a tropical rational map.

    Attributes
    ----------
    cells : tuple of TropicalCell
    regions : tuple of tuple of int
        Facet-connected linear regions (cell indices).
    point_regions : tuple of tuple of int or None
        Point-connected linear regions (``None`` unless asked for).
    exact : bool
    pruned : TropicalRationalMap
        The map after pruning (the cells' monomial indices refer to it).
    """

    cells: tuple[TropicalCell, ...]
    regions: tuple[tuple[int, ...], ...]
    point_regions: tuple[tuple[int, ...], ...] | None
    exact: bool
    pruned: TropicalRationalMap

    @property
    def n_cells(self) -> int:
        """Number of cells of the common refinement."""
        return len(self.cells)

    @property
    def linear_regions(self) -> int:
        """Facet-connected linear regions."""
        return len(self.regions)

    @property
    def linear_regions_point_connected(self) -> int | None:
        """Point-connected linear regions (``None`` if not computed)."""
        return None if self.point_regions is None else len(self.point_regions)

    def counts(self) -> dict[str, int | None]:
        """The counts, named by definition."""
        return {
            "cells": self.n_cells,
            "linear_regions": self.linear_regions,
            "linear_regions_point_connected": self.linear_regions_point_connected,
        }

    def __repr__(self) -> str:
        return (
            f"TropicalRegions(cells={self.n_cells}, linear_regions={self.linear_regions}, "
            f"point_connected={self.linear_regions_point_connected})"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            **self.counts(),
            "exact": self.exact,
            "regions": [list(r) for r in self.regions],
            "cells_detail": [c.to_dict() for c in self.cells],
        }


@dataclass(slots=True)
class _Work:
    """A refinement cell under construction: dominant indices and its inequalities."""

    monomials: tuple[int, ...]
    a: list[Any]
    b: list[Any]


def _rows(p: TropicalPolynomial, k: int) -> tuple[list[Any], list[Any]]:
    e, c = p.exponents, p.coefficients
    a, b = [], []
    for j in range(p.n_monomials):
        if j != k:
            a.append(tuple(e[j] - e[k]))
            b.append(c[k] - c[j])
    return a, b


def _arrays(a: list[Any], b: list[Any], n: int, exact: bool) -> tuple[np.ndarray, np.ndarray]:
    if exact:
        am = np.empty((len(a), n), dtype=object)
        for i, row in enumerate(a):
            am[i, :] = row
        bm = np.empty(len(b), dtype=object)
        bm[:] = b
        return am, bm
    return (np.array(a, dtype=np.float64).reshape(len(a), n), np.array(b, dtype=np.float64))


def _hyperplane_key(row: tuple[Any, ...], rhs: Any, exact: bool) -> tuple[tuple[Any, ...], int]:
    """Canonical key of ``row · x = rhs`` (first nonzero entry 1) and the side of ``<=``."""
    lead = next(v for v in row if v != 0)
    side = 1 if lead > 0 else -1
    if exact:
        key = (*(v / abs(lead) * side for v in row), rhs / abs(lead) * side)
    else:
        vals = [*(float(v) / abs(float(lead)) * side for v in row), float(rhs) / abs(lead) * side]
        key = tuple(float(f"{v:.{MAP_DIGITS}g}") + 0.0 for v in vals)
    return key, side


def _map_key(matrix: tuple[tuple[Any, ...], ...], offset: tuple[Any, ...], exact: bool) -> Any:
    if exact:
        return (matrix, offset)
    flat = [v for row in matrix for v in row] + list(offset)
    size = max(1.0, max(abs(float(v)) for v in flat))
    return tuple(round(float(v) / size, MAP_DIGITS) + 0.0 for v in flat)


def _on_hyperplane(
    a: np.ndarray, b: np.ndarray, h: tuple[Any, ...], beta: Any, exact: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Restrict ``a x <= b`` to ``h · x = beta`` by eliminating one coordinate."""
    j = int(np.argmax([abs(float(v)) for v in h]))
    hj = h[j]
    keep = [k for k in range(len(h)) if k != j]
    # x_j = (beta - sum_{k != j} h_k x_k) / h_j
    a2 = np.empty((a.shape[0], len(keep)), dtype=object if exact else np.float64)
    b2 = np.empty(a.shape[0], dtype=object if exact else np.float64)
    for r in range(a.shape[0]):
        arj = a[r, j]
        for c, k in enumerate(keep):
            a2[r, c] = a[r, k] - arj * h[k] / hj
        b2[r] = b[r] - arj * beta / hj
    return a2, b2


def _interior(a: np.ndarray, b: np.ndarray, exact: bool, tol: Tolerances, scale: float) -> bool:
    """Full-dimensional, allowing rows that became zero (they need ``0 < b``)."""
    if a.shape[1] == 0 or a.shape[0] == 0:
        if exact:
            return all(v > 0 for v in b.tolist())
        return bool((b > tol.rel * scale).all())
    zero = np.array([all(v == 0 for v in row) for row in a.tolist()], dtype=bool)
    if zero.any():
        bz = b[zero]
        if exact and not all(v > 0 for v in bz.tolist()):
            return False
        if not exact and not (bz > tol.rel * scale).all():
            return False
        a, b = a[~zero], b[~zero]
        if a.shape[0] == 0:
            return True
    return full_dimensional(a, b, exact=exact, tol=tol, scale=scale)


def _touch(a: np.ndarray, b: np.ndarray, exact: bool, tol: Tolerances, scale: float) -> bool:
    """Whether ``a x <= b`` is feasible (closed cells meet)."""
    if exact:
        return exact_maximize([0] * a.shape[1], a, b).status != "infeasible"
    lp = LPModel(a, None, b + tol.rel * scale)
    return lp.solve(np.zeros(a.shape[1])).status == "optimal"


def linear_regions(
    f: TropicalRationalMap | TropicalPolynomial | ReLUNet | MaxoutNet,
    *,
    exact: bool | None = None,
    point_connected: bool = True,
    tol: float | Tolerances | None = None,
    time_limit: float | None = None,
    progress: bool = True,
) -> TropicalRegions:
    """Linear regions of a tropical rational map (or polynomial), both merge rules.

    Parameters
    ----------
    f : TropicalRationalMap, TropicalPolynomial, ReLUNet or MaxoutNet
        A polynomial ``p`` is the map ``p - 0``; a network is converted first
        (:func:`~neurogeom.tropical.conversion.tropicalize` with pruning after every layer).
    exact : bool, optional
        Exact LP decisions and exact map comparison (default: ``f.exact``); float maps are
        converted exactly.
    point_connected : bool
        Also compute point-connected regions.
    tol : float or Tolerances, optional
        Float mode: Chebyshev-radius threshold of the LPs (relative to the largest coefficient)
        and map grouping to ``MAP_DIGITS`` significant digits.
    time_limit : float, optional
        Seconds; ``BudgetExceededError`` when it runs out.
    progress : bool
        Progress bar over the refinement.

    Returns
    -------
    TropicalRegions

    Notes
    -----
    Definitions as in :mod:`neurogeom.regions.result`; a counted cell is full-dimensional.
    Cost: ``Σ_s cells_s × monomials_s`` refinement LPs, plus one LP per same-map pair that
    are separated by exactly one hyperplane (facet test) and per same-map pair (point test).
    For networks, :func:`neurogeom.regions.enumerate_regions` (layerwise, never building the
    expression) gives the same counts and scales far better; this function is for maps given
    as tropical expressions and for cross-checks.

    Examples
    --------
    Reference case RG3, ``max(0, x, 2x - 2) - max(0, 2x - 2)`` on ``R``: maps 0, x, 2 - x, 0 —
    the zero map twice, not connected:

    >>> p = TropicalPolynomial([[0], [1], [2]], [0, 0, -2])
    >>> q = TropicalPolynomial([[0], [2]], [0, -2])
    >>> res = linear_regions(TropicalRationalMap([p], [q]), progress=False)
    >>> res.n_cells, res.linear_regions, res.linear_regions_point_connected
    (4, 4, 4)
    """
    if isinstance(f, ReLUNet | MaxoutNet):
        from neurogeom.tropical.conversion import tropicalize

        f = tropicalize(f, exact=exact, prune=True, tol=tol, progress=progress)
    if isinstance(f, TropicalPolynomial):
        f = TropicalRationalMap([f], [TropicalPolynomial.constant(0, f.n_vars, exact=f.exact)])
    if not isinstance(f, TropicalRationalMap):
        raise InvalidInputError(
            f"expected a TropicalRationalMap or TropicalPolynomial, got {type(f).__name__}"
        )
    exact = f.exact if exact is None else bool(exact)
    f = f.to_exact() if exact else f.to_float()
    tol = check_tol(tol)
    budget = Budget.start(time_limit=time_limit)
    n = f.n_vars
    polys = [p for pair in zip(f.numerators, f.denominators, strict=True) for p in pair]
    coef_scale = max(
        1.0, *(float(np.abs(np.array(p.coefficients.tolist(), dtype=float)).max()) for p in polys)
    )
    try:
        polys = [prune_polynomial(p, tol=tol) for p in polys]
        pruned = TropicalRationalMap(polys[0::2], polys[1::2])
        cells = [_Work((), [], [])]
        with progress_bar(progress, total=len(polys), desc="refinement", unit="poly") as bar:
            for p in polys:
                if p.n_monomials == 1:
                    cells = [_Work((*w.monomials, 0), w.a, w.b) for w in cells]
                    bar.update()
                    continue
                rows = [_rows(p, k) for k in range(p.n_monomials)]
                new = []
                for w in cells:
                    for k, (ra, rb) in enumerate(rows):
                        a, b = w.a + ra, w.b + rb
                        am, bm = _arrays(a, b, n, exact)
                        if _interior(am, bm, exact, tol, coef_scale):
                            new.append(_Work((*w.monomials, k), a, b))
                        budget.check()
                cells = new
                bar.update()
            out = _group(cells, pruned, n, exact, tol, coef_scale, point_connected, budget)
    except OutOfBudget:
        raise BudgetExceededError(
            f"the time limit ({time_limit} s) ran out while refining the dominance cells"
        ) from None
    return out


def _cell_map(
    w: _Work, pruned: TropicalRationalMap
) -> tuple[tuple[tuple[Any, ...], ...], tuple[Any, ...]]:
    matrix, offset = [], []
    for o, (p, q) in enumerate(zip(pruned.numerators, pruned.denominators, strict=True)):
        i, j = w.monomials[2 * o], w.monomials[2 * o + 1]
        matrix.append(tuple(p.exponents[i] - q.exponents[j]))
        offset.append(p.coefficients[i] - q.coefficients[j])
    return tuple(matrix), tuple(offset)


def _group(
    cells: list[_Work],
    pruned: TropicalRationalMap,
    n: int,
    exact: bool,
    tol: Tolerances,
    scale: float,
    point_connected: bool,
    budget: Budget,
) -> TropicalRegions:
    maps = [_cell_map(w, pruned) for w in cells]
    groups: dict[Any, list[int]] = {}
    for idx, (mat, off) in enumerate(maps):
        groups.setdefault(_map_key(mat, off, exact), []).append(idx)
    sides = []
    for w in cells:
        d: dict[Any, int] = {}
        for row, rhs in zip(w.a, w.b, strict=True):
            key, side = _hyperplane_key(row, rhs, exact)
            d[key] = side
        sides.append(d)
    facet = UnionFind(range(len(cells)))
    point = UnionFind(range(len(cells))) if point_connected else None
    for members in groups.values():
        for u, v in itertools.combinations(members, 2):
            budget.check()
            sep = [k for k, s in sides[u].items() if sides[v].get(k) == -s]
            au, bu = _arrays(cells[u].a, cells[u].b, n, exact)
            av, bv = _arrays(cells[v].a, cells[v].b, n, exact)
            if len(sep) == 1 and not facet.connected(u, v):
                key = sep[0]
                h, beta = key[:-1], key[-1]
                rows_a, rows_b = [], []
                for am, bm, w in ((au, bu, cells[u]), (av, bv, cells[v])):
                    for r, (row, rhs) in enumerate(zip(w.a, w.b, strict=True)):
                        if _hyperplane_key(row, rhs, exact)[0] != key:
                            rows_a.append(am[r])
                            rows_b.append(bm[r])
                a2 = np.array(rows_a, dtype=object if exact else np.float64).reshape(-1, n)
                b2 = np.array(rows_b, dtype=object if exact else np.float64)
                ar, br = _on_hyperplane(a2, b2, h, beta, exact)
                if _interior(ar, br, exact, tol, scale):
                    facet.union(u, v)
            if (
                point is not None
                and not point.connected(u, v)
                and (
                    facet.connected(u, v)
                    or _touch(np.concatenate([au, av]), np.concatenate([bu, bv]), exact, tol, scale)
                )
            ):
                point.union(u, v)
    labels = facet.labels()
    regions: dict[int, list[int]] = {}
    for i in range(len(cells)):
        regions.setdefault(labels[i], []).append(i)
    ordered = sorted(regions.values())
    region_of = {i: r for r, members in enumerate(ordered) for i in members}
    out_cells = tuple(
        TropicalCell(w.monomials, maps[i][0], maps[i][1], region_of[i]) for i, w in enumerate(cells)
    )
    point_regions = None
    if point is not None:
        point_regions = tuple(sorted(tuple(sorted(g)) for g in point.groups()))
    return TropicalRegions(
        out_cells, tuple(tuple(r) for r in ordered), point_regions, exact, pruned
    )
