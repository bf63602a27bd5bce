"""Region statistics: volumes, centroids, vertices, facets and (in 2-D) edges of linear regions.

Every object is first cut into convex *pieces*, each an exact H-representation ``a x <= b``
tagged with its linear region:

- a :class:`~neurogeom.tropical.polynomial.TropicalPolynomial`: the dominance regions
  ``{x : c_i + α_i·x >= c_j + α_j·x for all j}`` of its non-redundant monomials (one piece per
  region; regions of a tropical polynomial are convex);
- a :class:`~neurogeom.tropical.polynomial.TropicalRationalMap`: the cells of the common
  refinement of :func:`~neurogeom.tropical.regions.linear_regions`, grouped by region;
- a :class:`~neurogeom.nets.relu.ReLUNet`: the activation cells of
  :func:`neurogeom.regions.enumerate_regions`, grouped by facet-connected linear region.

Per region: bounded or not, volume (exact :class:`~fractions.Fraction` in exact mode, ``None``
when unbounded), centroid (mean of the vertices, spec §2.8; bounded regions only), number of
vertices and of facets. Facets are counted by LP redundancy (a row is a facet when dropping it
enlarges the piece); a facet shared by two cells of the same region is internal and not
counted. Vertices come from exact vertex enumeration
(:func:`~neurogeom.core.polyhedra.exact_row_vertices`) and volumes from
:func:`~neurogeom.core.polyhedra.polytope_volume`. For a region made of several cells, its
vertices are the distinct vertices of its cells.

In 2-D also: the *edges* — maximal segments, rays or lines of the boundary between two
facet-adjacent regions (the boundary of the domain is not an edge), with their lengths (float;
``inf`` for rays and lines) — and the *vertices* of this edge graph with their multiplicity
(number of edges having the vertex as an endpoint), as in reference case RG7. Edges are found
exactly: all facet pieces are grouped by their line, cut at every endpoint, and each elementary
interval is attributed to the regions on its two sides.

Above dimension 3 (or with ``h_only=True``) only the H-representation is used: boundedness and
facet counts, no vertices, centroids or volumes (vertex enumeration stalls in high dimension).
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from neurogeom.core.domain import Domain, check_domain
from neurogeom.core.errors import InvalidInputError
from neurogeom.core.exact_lp import exact_maximize
from neurogeom.core.lp import LPModel, is_bounded
from neurogeom.core.polyhedra import exact_row_vertices, polytope_volume
from neurogeom.core.rationals import exact_rank, fmpq_to_fraction
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.nets.relu import ReLUNet
from neurogeom.tropical.polynomial import TropicalPolynomial, TropicalRationalMap
from neurogeom.tropical.pruning import full_dimensional, prune_polynomial
from neurogeom.tropical.regions import (
    MAP_DIGITS,
    _interior,
    _on_hyperplane,
    _rows,
    linear_regions,
)

__all__ = ["RegionEdge", "RegionStat", "RegionStatistics", "region_statistics"]

#: Above this dimension only the H-representation is used (no vertices).
MAX_VERTEX_DIM = 3


def _num(v: Any) -> Any:
    if isinstance(v, Fraction):
        return int(v) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
    return None if v is None else float(v)


def _point(p: tuple[Any, ...] | None) -> list[Any] | None:
    return None if p is None else [_num(v) for v in p]


@dataclass(frozen=True, slots=True)
class RegionStat:
    """Statistics of one linear region.

    Attributes
    ----------
    index : int
        Region index (for a tropical polynomial: index of its monomial in the pruned polynomial).
    cells : int
        Number of convex pieces (activation cells or refinement cells) making up the region.
    bounded : bool
    volume : Fraction, float or None
        Exact in exact mode; ``None`` when unbounded or in H-representation mode.
    centroid : tuple or None
        Mean of the vertices (bounded regions, not in H-representation mode).
    n_vertices : int or None
        ``None`` in H-representation mode.
    n_facets : int
        Facets of the region: the distinct hyperplanes carrying its boundary (walls between its
        own cells excluded).
    """

    index: int
    cells: int
    bounded: bool
    volume: Any
    centroid: tuple[Any, ...] | None
    n_vertices: int | None
    n_facets: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "index": self.index,
            "cells": self.cells,
            "bounded": self.bounded,
            "volume": None if self.volume is None else _num(self.volume),
            "centroid": _point(self.centroid),
            "n_vertices": self.n_vertices,
            "n_facets": self.n_facets,
        }


@dataclass(frozen=True, slots=True)
class RegionEdge:
    """One edge of a 2-D region subdivision: a maximal boundary piece between two regions.

    Attributes
    ----------
    regions : (int, int)
        The two regions, smaller index first.
    start, end : tuple or None
        Endpoints (``None`` at an infinite end: one ``None`` for a ray, two for a line).
    length : float
        Euclidean length, ``inf`` for rays and lines.
    """

    regions: tuple[int, int]
    start: tuple[Any, ...] | None
    end: tuple[Any, ...] | None
    length: float

    @property
    def kind(self) -> str:
        """``"segment"``, ``"ray"`` or ``"line"``."""
        ends = (self.start is None) + (self.end is None)
        return ("segment", "ray", "line")[ends]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "regions": list(self.regions),
            "kind": self.kind,
            "start": _point(self.start),
            "end": _point(self.end),
            "length": self.length if math.isfinite(self.length) else None,
        }


@dataclass(frozen=True, slots=True)
class RegionStatistics:
    """Statistics of all linear regions of a network or tropical map.

    Attributes
    ----------
    dim : int
    exact : bool
    h_only : bool
        Whether only the H-representation was used (no vertices, volumes, centroids).
    regions : tuple of RegionStat
    edges : tuple of RegionEdge or None
        2-D only.
    vertices : tuple of (point, multiplicity) or None
        Endpoints of the edges with the number of edges ending there (2-D only).
    volume_histogram : (ndarray, ndarray)
        ``numpy.histogram`` of the volumes of the bounded regions (counts, bin edges).
    facet_histogram : (ndarray, ndarray)
        Histogram of facets per region, one bin per integer.
    """

    dim: int
    exact: bool
    h_only: bool
    regions: tuple[RegionStat, ...]
    edges: tuple[RegionEdge, ...] | None
    vertices: tuple[tuple[tuple[Any, ...], int], ...] | None
    volume_histogram: tuple[np.ndarray, np.ndarray]
    facet_histogram: tuple[np.ndarray, np.ndarray]

    @property
    def n_regions(self) -> int:
        """Number of linear regions."""
        return len(self.regions)

    @property
    def n_bounded(self) -> int:
        """Number of bounded regions."""
        return sum(r.bounded for r in self.regions)

    @property
    def n_edges(self) -> int | None:
        """Number of edges (2-D only)."""
        return None if self.edges is None else len(self.edges)

    @property
    def edge_lengths(self) -> list[float] | None:
        """Lengths of the finite edges (2-D only)."""
        return None if self.edges is None else [e.length for e in self.edges if e.end and e.start]

    @property
    def regions_per_facets(self) -> dict[int, int]:
        """Number of regions with each number of facets."""
        out: dict[int, int] = defaultdict(int)
        for r in self.regions:
            out[r.n_facets] += 1
        return dict(sorted(out.items()))

    def summary(self) -> dict[str, Any]:
        """Counts and the two histograms."""
        vols = [float(r.volume) for r in self.regions if r.volume is not None]
        return {
            "dim": self.dim,
            "exact": self.exact,
            "h_only": self.h_only,
            "regions": self.n_regions,
            "bounded": self.n_bounded,
            "total_bounded_volume": _num(sum(r.volume for r in self.regions if r.volume))
            if vols
            else None,
            "edges": self.n_edges,
            "vertices": None if self.vertices is None else len(self.vertices),
            "regions_per_facets": {str(k): v for k, v in self.regions_per_facets.items()},
            "volume_histogram": {
                "counts": self.volume_histogram[0].tolist(),
                "bin_edges": self.volume_histogram[1].tolist(),
            },
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the summary, then every region, edge and vertex."""
        return {
            **self.summary(),
            "regions_detail": [r.to_dict() for r in self.regions],
            "edges_detail": None if self.edges is None else [e.to_dict() for e in self.edges],
            "vertices_detail": None
            if self.vertices is None
            else [{"point": _point(p), "multiplicity": m} for p, m in self.vertices],
        }

    def __repr__(self) -> str:
        return (
            f"RegionStatistics(dim={self.dim}, regions={self.n_regions}, "
            f"bounded={self.n_bounded}, edges={self.n_edges})"
        )


@dataclass(slots=True)
class _Piece:
    region: int
    a: np.ndarray  # object array of Fractions
    b: np.ndarray
    domain_row: np.ndarray  # bool
    facets: list[int] | None = None
    vertices: list[tuple[Fraction, ...]] | None = None
    bounded: bool = False


def _frac_array(values: Any, shape: tuple[int, ...]) -> np.ndarray:
    out = np.empty(shape, dtype=object)
    flat = np.asarray(values, dtype=object).reshape(-1)
    out.reshape(-1)[:] = [v if isinstance(v, Fraction) else Fraction(v) for v in flat]
    return out


def _make_piece(region: int, a: Any, b: Any, domain_row: Any, n: int) -> _Piece:
    m = len(b)
    return _Piece(
        region,
        _frac_array(a, (m, n)),
        _frac_array(b, (m,)),
        np.asarray(domain_row, dtype=bool).reshape(m),
    )


def _domain_rows(domain: Domain | None, n: int) -> tuple[list[Any], list[Any]]:
    if domain is None or not len(domain.b):
        return [], []
    return [tuple(r) for r in domain.a], list(domain.b)


def _poly_pieces(
    f: TropicalPolynomial, domain: Domain | None, exact: bool, tol: Tolerances
) -> list[_Piece]:
    p = prune_polynomial(f.to_exact() if exact else f.to_float(), tol=tol)
    n = p.n_vars
    da, db = _domain_rows(domain, n)
    pieces = []
    for k in range(p.n_monomials):
        a, b = _rows(p, k)
        pieces.append(_make_piece(k, a + da, b + db, [False] * len(a) + [True] * len(da), n))
    return pieces


def _map_pieces(
    f: TropicalRationalMap, domain: Domain | None, exact: bool, tol: Tolerances
) -> list[_Piece]:
    res = linear_regions(f, exact=exact, point_connected=False, tol=tol, progress=False)
    polys = [
        p for pair in zip(res.pruned.numerators, res.pruned.denominators, strict=True) for p in pair
    ]
    n = f.n_vars
    da, db = _domain_rows(domain, n)
    pieces = []
    for cell in res.cells:
        a: list[Any] = []
        b: list[Any] = []
        for p, k in zip(polys, cell.monomials, strict=True):
            ra, rb = _rows(p, k)
            a += ra
            b += rb
        pieces.append(
            _make_piece(cell.region, a + da, b + db, [False] * len(a) + [True] * len(da), n)
        )
    return pieces


def _net_pieces(net: ReLUNet, domain: Any, exact: bool, tol: Tolerances) -> list[_Piece]:
    from neurogeom.nets.geometry import cell_halfspaces
    from neurogeom.regions import enumerate_regions

    res = enumerate_regions(net, domain=domain, exact=exact, point_connected=False, progress=False)
    pieces = []
    for cell in res.cells:
        hs = cell_halfspaces(res.net, cell.pattern, domain=res.domain)
        pieces.append(_make_piece(cell.region, hs.a, hs.b, hs.neuron < 0, net.n_inputs))
    return pieces


def _key(row: tuple[Fraction, ...], rhs: Fraction) -> tuple[tuple[Fraction, ...], int]:
    """Canonical hyperplane key (first nonzero coefficient 1) and the side of ``<=``."""
    lead = next(v for v in row if v != 0)
    s = abs(lead)
    side = 1 if lead > 0 else -1
    return (*(v * side / s for v in row), rhs * side / s), side


def _dedup(piece: _Piece) -> None:
    """Drop zero rows and repeated hyperplanes (keep the tightest)."""
    best: dict[tuple[Fraction, ...], int] = {}
    for i in range(len(piece.b)):
        row = tuple(piece.a[i])
        if all(v == 0 for v in row):
            continue
        s = max(abs(v) for v in row)
        k = tuple(v / s for v in row)
        j = best.get(k)
        if j is None or piece.b[i] / s < piece.b[j] / max(abs(v) for v in piece.a[j]):
            best[k] = i
    keep = sorted(best.values())
    piece.a, piece.b, piece.domain_row = piece.a[keep], piece.b[keep], piece.domain_row[keep]


def _facets(piece: _Piece, exact: bool, tol: Tolerances) -> list[int]:
    """Rows whose removal enlarges the piece (LP redundancy)."""
    a, b = piece.a, piece.b
    m = len(b)
    out = []
    af = a.astype(float) if not exact else None
    bf = b.astype(float) if not exact else None
    for i in range(m):
        b2 = b.copy()
        b2[i] = b[i] + 1
        if exact:
            res = exact_maximize(list(a[i]), a, b2)
            if res.status == "unbounded" or (res.status == "optimal" and res.value > b[i]):
                out.append(i)
        else:
            b2f = bf.copy()
            b2f[i] += 1.0
            r = LPModel(af, None, b2f).solve(af[i], maximize=True)
            scale = max(1.0, abs(float(bf[i])))
            if r.status == "unbounded" or (
                r.status == "optimal" and r.value > bf[i] + tol.rel * scale
            ):
                out.append(i)
    return out


def _vertices(piece: _Piece) -> list[tuple[Fraction, ...]]:
    rows = piece.facets
    try:
        pts = exact_row_vertices(piece.a[rows], piece.b[rows])
    except InvalidInputError:
        return []
    return sorted({tuple(fmpq_to_fraction(v) for v in p) for p in pts})


def _internal(p: _Piece, i: int, q: _Piece, exact: bool, tol: Tolerances) -> bool:
    """Whether facet ``i`` of ``p`` is shared (in dimension ``n - 1``) with a facet of ``q``."""
    key, side = _key(tuple(p.a[i]), p.b[i])
    for j in q.facets or ():
        if q.domain_row[j]:
            continue
        k2, s2 = _key(tuple(q.a[j]), q.b[j])
        if k2 != key or s2 == side:
            continue
        h, beta = tuple(p.a[i]), p.b[i]
        others_p = [r for r in p.facets if r != i]
        others_q = [r for r in q.facets if r != j]
        a = np.concatenate([p.a[others_p], q.a[others_q]])
        b = np.concatenate([p.b[others_p], q.b[others_q]])
        a2, b2 = _on_hyperplane(a, b, h, beta, True)
        if _interior(a2, b2, True, tol, 1.0):
            return True
    return False


def _corner(
    v: tuple[Fraction, ...], rows: list[tuple[tuple[Fraction, ...], Fraction]], exact: bool
) -> bool:
    """Whether the boundary hyperplanes through ``v`` have full rank (``v`` is a corner)."""
    tight = []
    for row, rhs in rows:
        gap = sum(a * x for a, x in zip(row, v, strict=True)) - rhs
        size = max(1.0, abs(float(rhs)), *(abs(float(a)) for a in row))
        if gap == 0 if exact else abs(float(gap)) <= 1e-9 * size:
            tight.append(row)
    if len(tight) < len(v):
        return False
    if exact:
        return exact_rank(np.array(tight, dtype=object)) == len(v)
    return int(np.linalg.matrix_rank(np.array(tight, dtype=float), tol=1e-9)) == len(v)


def _volume(piece: _Piece, exact: bool) -> Any:
    verts = np.empty((len(piece.vertices), piece.a.shape[1]), dtype=object)
    for r, v in enumerate(piece.vertices):
        verts[r, :] = v
    if exact:
        rows = piece.facets
        return polytope_volume(verts, exact=True, inequalities=(piece.a[rows], piece.b[rows]))
    return float(polytope_volume(verts.astype(float)))


def _snap(v: Fraction, digits: int | None) -> Fraction:
    return v if digits is None else Fraction(float(f"{float(v):.{digits}g}") + 0.0)


def _edges_2d(
    pieces: list[_Piece], digits: int | None
) -> tuple[list[RegionEdge], list[tuple[tuple[Fraction, ...], int]]]:
    """Edges between regions and their endpoints (see the module docstring).

    Exact mode compares lines and endpoints exactly; float mode (``digits`` given) first rounds
    the lines' canonical coefficients and the endpoints' positions to ``digits`` significant
    digits, so that a hyperplane computed twice in float64 is recognised as one line.
    """
    lines: dict[tuple[Fraction, ...], list[tuple[Any, Any, int, int]]] = defaultdict(list)
    for p in pieces:
        for i in p.facets or ():
            if p.domain_row[i]:
                continue
            key, side = _key(tuple(p.a[i]), p.b[i])
            key = tuple(_snap(v, digits) for v in key)
            nx, ny = key[0], key[1]
            direction = (-ny, nx)
            row, rhs = tuple(p.a[i]), p.b[i]
            tight = [v for v in p.vertices if row[0] * v[0] + row[1] * v[1] == rhs]
            params = sorted(_snap(direction[0] * v[0] + direction[1] * v[1], digits) for v in tight)
            if len(params) >= 2:
                lo, hi = params[0], params[-1]
            else:
                fwd = all(r[0] * direction[0] + r[1] * direction[1] <= 0 for r in p.a)
                bwd = all(r[0] * direction[0] + r[1] * direction[1] >= 0 for r in p.a)
                if not params or (fwd and bwd):
                    lo, hi = None, None
                else:
                    lo = params[0] if fwd else None
                    hi = params[0] if bwd else None
            lines[key].append((lo, hi, side, p.region))
    edges: list[RegionEdge] = []
    for key, ivals in lines.items():
        nx, ny, c = key
        norm2 = nx * nx + ny * ny

        def at(
            s: Fraction, nx: Fraction = nx, ny: Fraction = ny, c: Fraction = c, n2: Any = norm2
        ) -> tuple[Fraction, Fraction]:
            return (
                _snap((c * nx - s * ny) / n2, digits),
                _snap((c * ny + s * nx) / n2, digits),
            )

        cuts = sorted({v for lo, hi, _, _ in ivals for v in (lo, hi) if v is not None})
        bounds = [None, *cuts, None]
        elem = []
        for lo_e, hi_e in itertools.pairwise(bounds):
            sides: dict[int, int] = {}
            for lo, hi, side, region in ivals:
                if (lo is None or (lo_e is not None and lo <= lo_e)) and (
                    hi is None or (hi_e is not None and hi_e <= hi)
                ):
                    sides[side] = region
            pair = None
            if len(sides) == 2 and sides[1] != sides[-1]:
                pair = tuple(sorted((sides[1], sides[-1])))
            elem.append((lo_e, hi_e, pair))
        current: list[Any] = []  # [pair, start, end]
        for lo_e, hi_e, pair in elem:
            if current and current[0] == pair and pair is not None:
                current[2] = hi_e
                continue
            if current and current[0] is not None:
                edges.append(_edge(current, at))
            current = [pair, lo_e, hi_e]
        if current and current[0] is not None:
            edges.append(_edge(current, at))
    if digits is not None:
        edges = _merge_close_endpoints(edges, 10.0 ** (2 - digits))
    count: dict[tuple[Fraction, ...], int] = defaultdict(int)
    for e in edges:
        for v in (e.start, e.end):
            if v is not None:
                count[v] += 1
    edges.sort(key=lambda e: (e.regions, e.length))
    return edges, sorted(count.items())


def _merge_close_endpoints(edges: list[RegionEdge], rel: float) -> list[RegionEdge]:
    """Float mode: one representative for endpoints closer than ``rel`` (relative)."""
    reps: list[tuple[Fraction, ...]] = []

    def rep(p: tuple[Fraction, ...] | None) -> tuple[Fraction, ...] | None:
        if p is None:
            return None
        size = max(1.0, *(abs(float(v)) for v in p))
        for q in reps:
            if max(abs(float(a - b)) for a, b in zip(p, q, strict=True)) <= rel * size:
                return q
        reps.append(p)
        return p

    return [RegionEdge(e.regions, rep(e.start), rep(e.end), e.length) for e in edges]


def _floats(p: tuple[Any, ...] | None) -> tuple[float, ...] | None:
    return None if p is None else tuple(float(v) for v in p)


def _edge(current: list[Any], at: Any) -> RegionEdge:
    pair, lo, hi = current
    start = None if lo is None else at(lo)
    end = None if hi is None else at(hi)
    if start is None or end is None:
        length = math.inf
    else:
        length = math.sqrt(float((start[0] - end[0]) ** 2 + (start[1] - end[1]) ** 2))
    return RegionEdge(pair, start, end, length)


def region_statistics(
    obj: ReLUNet | TropicalPolynomial | TropicalRationalMap,
    *,
    domain: Any = None,
    exact: bool | None = None,
    h_only: bool | None = None,
    bins: int | Any = 10,
    tol: float | Tolerances | None = None,
) -> RegionStatistics:
    """Per-region statistics of a ReLU network, tropical polynomial or tropical rational map.

    Parameters
    ----------
    obj : ReLUNet, TropicalPolynomial or TropicalRationalMap
    domain : Domain, (lower, upper) or (A, b), optional
        Restrict to a polyhedral domain (default: all of ``R^n``). Domain facets count as
        facets of the regions but are never edges.
    exact : bool, optional
        Exact rationals throughout (default: the object's own arithmetic). Float mode decides
        facet redundancy in float64 and returns float volumes and centroids.
    h_only : bool, optional
        Only boundedness and facet counts (default: above dimension 3).
    bins : int or sequence
        Bins of the volume histogram (``numpy.histogram``).
    tol : float or Tolerances, optional
        Float-mode tolerances.

    Returns
    -------
    RegionStatistics

    Examples
    --------
    ``max(0, x, y)`` has three unbounded regions meeting at the origin, with three rays:

    >>> p = TropicalPolynomial([[0, 0], [1, 0], [0, 1]], [0, 0, 0])
    >>> st = region_statistics(p, exact=True)
    >>> st.n_regions, st.n_bounded, st.n_edges, [e.kind for e in st.edges]
    (3, 0, 3, ['ray', 'ray', 'ray'])
    >>> st.vertices
    (((Fraction(0, 1), Fraction(0, 1)), 3),)

    On the box ``[-1, 1]^2`` every region is bounded and the volumes add up to 4:

    >>> st = region_statistics(p, domain=(-1, 1), exact=True)
    >>> sum(r.volume for r in st.regions), [r.n_facets for r in st.regions]
    (Fraction(4, 1), [4, 4, 4])
    """
    tol = check_tol(tol)
    if isinstance(obj, ReLUNet):
        exact = obj.exact if exact is None else bool(exact)
        n = obj.n_inputs
        pieces = _net_pieces(obj, domain, exact, tol)
    elif isinstance(obj, TropicalPolynomial | TropicalRationalMap):
        exact = obj.exact if exact is None else bool(exact)
        n = obj.n_vars
        dom = None if domain is None else check_domain(domain, n)
        if isinstance(obj, TropicalPolynomial):
            pieces = _poly_pieces(obj, dom, exact, tol)
        else:
            pieces = _map_pieces(obj, dom, exact, tol)
    else:
        raise InvalidInputError(
            "region_statistics expects a ReLUNet, TropicalPolynomial or TropicalRationalMap, "
            f"got {type(obj).__name__}"
        )
    h_only = n > MAX_VERTEX_DIM if h_only is None else bool(h_only)
    kept = []
    for p in pieces:
        _dedup(p)
        if len(p.b) and not full_dimensional(p.a, p.b, exact=True, tol=tol):
            continue  # a dominance region emptied by the domain
        p.facets = _facets(p, exact, tol)
        p.bounded = is_bounded(p.a[p.facets]) if p.facets else False
        if not h_only:
            p.vertices = _vertices(p)
        kept.append(p)
    by_region: dict[int, list[_Piece]] = defaultdict(list)
    for p in kept:
        by_region[p.region].append(p)
    stats = []
    for index in sorted(by_region):
        group = by_region[index]
        bounded = all(p.bounded for p in group)
        digits = None if exact else MAP_DIGITS
        boundary: dict[tuple[Any, ...], tuple[tuple[Fraction, ...], Fraction]] = {}
        for p in group:
            for i in p.facets:
                shared = len(group) > 1 and not p.domain_row[i]
                if shared and any(_internal(p, i, q, exact, tol) for q in group if q is not p):
                    continue
                key, side = _key(tuple(p.a[i]), p.b[i])
                boundary.setdefault(
                    (tuple(_snap(v, digits) for v in key), side), (tuple(p.a[i]), p.b[i])
                )
        n_facets = len(boundary)
        volume = centroid = n_vertices = None
        if not h_only:
            verts = sorted({v for p in group for v in p.vertices})
            if len(group) > 1:
                verts = [v for v in verts if _corner(v, list(boundary.values()), exact)]
            n_vertices = len(verts)
            if bounded:
                vol = sum((_volume(p, exact) for p in group), Fraction(0) if exact else 0.0)
                volume = vol
                mean = tuple(sum(v[k] for v in verts) / len(verts) for k in range(n))
                centroid = mean if exact else tuple(float(v) for v in mean)
        stats.append(RegionStat(index, len(group), bounded, volume, centroid, n_vertices, n_facets))
    edges = vertices = None
    if n == 2 and not h_only:
        e, v = _edges_2d(kept, None if exact else MAP_DIGITS)
        if not exact:
            e = [RegionEdge(x.regions, _floats(x.start), _floats(x.end), x.length) for x in e]
            v = [(_floats(point), m) for point, m in v]
        edges = tuple(e)
        vertices = tuple(v)
    vols = [float(r.volume) for r in stats if r.volume is not None]
    facets = [r.n_facets for r in stats]
    volume_hist = np.histogram(np.array(vols, dtype=float), bins=bins)
    top = max(facets, default=0)
    facet_hist = np.histogram(np.array(facets, dtype=float), bins=np.arange(top + 2) - 0.5)
    return RegionStatistics(
        n, exact, h_only, tuple(stats), edges, vertices, volume_hist, facet_hist
    )
