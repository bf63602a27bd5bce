"""The exact polytope value: :class:`Polytope`, a convex hull of rational points.

A polytope is stored by its vertices only (exact rationals, sorted), so two polytopes are equal
exactly when they are the same set. Every operation (Minkowski sum, convex hull of a union,
linear image, faces) prunes its result to the vertices with the one exact hull of
:func:`neurogeom.core.polyhedra.exact_hull`, applied in a coordinate projection that is injective
on the affine hull, so lower-dimensional polytopes (segments in the plane, faces) are handled
alike. Floating point only *proposes* vertices; every decision is exact.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.polyhedra import (
    ExactPolytope,
    exact_hull,
    exact_row_vertices,
    hull_ring,
    polytope_vertices,
)
from neurogeom.core.rationals import fmpq_to_fraction, fraction_to_json, to_fmpq, to_fraction

__all__ = ["AffineHull", "Polytope", "convex_hull", "minkowski_difference", "minkowski_sum"]

_Point = tuple[flint.fmpq, ...]
_ZERO = flint.fmpq(0)


def _dot(a: Sequence[Any], x: Sequence[Any]) -> Any:
    return sum((ai * xi for ai, xi in zip(a, x, strict=True)), _ZERO)


# -- input validation ---------------------------------------------------------------------------
def _read_points(points: Any, *, name: str) -> list[_Point]:
    """Validate a non-empty list of equal-length numeric rows; return fmpq tuples."""
    if isinstance(points, np.ndarray):
        points = points.tolist()
    if isinstance(points, str | bytes) or not isinstance(points, Iterable):
        raise InvalidInputError(
            f"{name} must be a list of points (lists of numbers), got {type(points).__name__}"
        )
    rows = list(points)
    if not rows:
        raise InvalidInputError(f"{name} is empty: a polytope needs at least one point")
    out: list[_Point] = []
    width = None
    for i, row in enumerate(rows):
        if isinstance(row, np.ndarray):
            row = row.tolist()
        if isinstance(row, str | bytes) or not isinstance(row, Iterable):
            raise InvalidInputError(f"{name}[{i}] must be a point (a list of numbers), got {row!r}")
        coords = list(row)
        if width is None:
            width = len(coords)
            if width == 0:
                raise InvalidInputError(f"{name}[0] has no coordinates: points need dimension >= 1")
        elif len(coords) != width:
            raise InvalidInputError(
                f"{name}[{i}] has {len(coords)} coordinates but {name}[0] has {width}: "
                "all points must have the same dimension"
            )
        out.append(
            tuple(to_fmpq(to_fraction(v, name=f"{name}[{i}][{j}]")) for j, v in enumerate(coords))
        )
    return out


# -- the exact hull in a projection injective on the affine hull --------------------------------
@dataclass(frozen=True, slots=True)
class AffineHull:
    """The affine hull ``origin + span(directions)`` of a polytope (exact).

    Attributes
    ----------
    origin : tuple of Fraction
        A point of the hull (the first vertex).
    directions : tuple of tuple of Fraction
        A basis of the direction space (rows of its reduced row echelon form).
    equations : tuple of (tuple of Fraction, Fraction)
        ``(a, b)`` with ``a x = b`` on the hull, a basis of the equations.
    """

    origin: tuple[Fraction, ...]
    directions: tuple[tuple[Fraction, ...], ...]
    equations: tuple[tuple[tuple[Fraction, ...], Fraction], ...]

    @property
    def dim(self) -> int:
        """Dimension of the hull."""
        return len(self.directions)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (rationals as strings)."""
        return {
            "origin": [fraction_to_json(v) for v in self.origin],
            "directions": [[fraction_to_json(v) for v in d] for d in self.directions],
            "equations": [
                {"a": [fraction_to_json(v) for v in a], "b": fraction_to_json(b)}
                for a, b in self.equations
            ],
        }


def _span(points: Sequence[_Point]) -> tuple[int, tuple[int, ...], list[list[flint.fmpq]]]:
    """Affine rank of ``points``, the pivot coordinates, and the echelon basis of directions."""
    n = len(points[0])
    if len(points) == 1:
        return 0, (), []
    base = points[0]
    mat = flint.fmpq_mat(len(points) - 1, n, [p[j] - base[j] for p in points[1:] for j in range(n)])
    red, rank = mat.rref()
    rows, pivots = [], []
    for i in range(int(rank)):
        row = [red[i, j] for j in range(n)]
        pivots.append(next(j for j in range(n) if row[j] != 0))
        rows.append(row)
    return int(rank), tuple(pivots), rows


@dataclass(frozen=True, slots=True)
class _Hull:
    """Exact structure of a polytope in the coordinates ``coords`` (injective on its hull)."""

    dim: int
    coords: tuple[int, ...]
    directions: tuple[tuple[flint.fmpq, ...], ...]
    poly: ExactPolytope | None  # None for a point


def _project(points: Sequence[_Point], coords: tuple[int, ...]) -> list[_Point]:
    return [tuple(p[j] for j in coords) for p in points]


def _prune(points: Iterable[_Point]) -> tuple[_Point, ...]:
    """The vertices of the convex hull of exact points, sorted."""
    pts = sorted(set(points))
    if len(pts) <= 1:
        return tuple(pts)
    d, coords, _ = _span(pts)
    if d == 0:
        return (pts[0],)
    if len(pts) == d + 1:  # affinely independent: a simplex, every point is a vertex
        return tuple(pts)
    proj = _project(pts, coords)
    if d == 1:
        lo = min(range(len(pts)), key=lambda i: proj[i][0])
        hi = max(range(len(pts)), key=lambda i: proj[i][0])
        return tuple(sorted({pts[lo], pts[hi]}))
    if d == 2:
        return tuple(sorted(pts[i] for i in hull_ring(proj)))
    index = {q: i for i, q in enumerate(proj)}
    verts, _ = exact_hull(proj)
    return tuple(sorted(pts[index[q]] for q in verts))


@functools.lru_cache(maxsize=512)
def _hull(vertices: tuple[_Point, ...]) -> _Hull:
    """The certified face structure of a polytope given by its (sorted) vertices."""
    d, coords, dirs = _span(vertices)
    if d == 0:
        return _Hull(0, (), (), None)
    proj = _project(vertices, coords)
    verts, poly = exact_hull(proj)
    if verts != proj:  # pragma: no cover - vertices are pruned and sorted on construction
        raise AssertionError("internal error: the vertex list is not pruned")
    return _Hull(d, coords, tuple(tuple(r) for r in dirs), poly)


# -- the value ----------------------------------------------------------------------------------
class Polytope:
    """A convex polytope with exact rational vertices: an immutable, hashable value.

    Parameters
    ----------
    points : array-like, shape (k, n)
        Points whose convex hull is the polytope (at least one; integers, Fractions, ``fmpq``,
        floats — converted exactly — or strings such as ``"1/3"``). Points that are not vertices
        are pruned exactly.

    Raises
    ------
    InvalidInputError
        If the list is empty, ragged (points of different dimensions), or holds a non-number.

    Notes
    -----
    Equality is equality of sets: two polytopes are equal iff their vertex sets are. Vertices are
    kept sorted lexicographically. The face structure (facets, faces, volume) is computed once
    per polytope, exactly, and cached.

    Examples
    --------
    >>> sq = Polytope([[0, 0], [1, 0], [0, 1], [1, 1], ["1/2", "1/2"]])
    >>> sq
    Polytope(dim=2, ambient=2, vertices=4)
    >>> sq.n_vertices, sq.dim
    (4, 2)
    >>> seg = Polytope([[0, 0], [1, 1]])
    >>> (sq + seg).n_vertices, (sq + seg).is_zonotope()
    (6, True)
    >>> Polytope([[0, 0], [1]])
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.InvalidInputError: points[1] has 1 coordinates but points[0] has 2: ...
    """

    __slots__ = ("_hash", "_v")

    def __init__(self, points: Any) -> None:
        if isinstance(points, Polytope):
            verts = points._v
        else:
            verts = _prune(_read_points(points, name="points"))
        object.__setattr__(self, "_v", verts)
        object.__setattr__(self, "_hash", hash(("Polytope", verts)))

    @classmethod
    def _from_vertices(cls, verts: tuple[_Point, ...]) -> Polytope:
        out = cls.__new__(cls)
        object.__setattr__(out, "_v", verts)
        object.__setattr__(out, "_hash", hash(("Polytope", verts)))
        return out

    @classmethod
    def _from_points(cls, points: Iterable[_Point]) -> Polytope:
        return cls._from_vertices(_prune(points))

    @classmethod
    def from_inequalities(cls, a: Any, b: Any) -> Polytope:
        """The bounded, full-dimensional polytope ``{x : a x <= b}`` (exact).

        Examples
        --------
        >>> tri = Polytope.from_inequalities([[-1, 0], [0, -1], [1, 1]], [0, 0, 1])
        >>> [[int(v) for v in p] for p in tri.vertices]
        [[0, 0], [0, 1], [1, 0]]
        """
        verts = polytope_vertices(a, b, exact=True)
        return cls._from_points(tuple(to_fmpq(v) for v in row) for row in verts)

    @classmethod
    def simplex(cls, n: int, *, scale: Any = 1) -> Polytope:
        """The standard simplex ``scale · conv(0, e_1, ..., e_n)``.

        Examples
        --------
        >>> Polytope.simplex(3).n_vertices
        4
        """
        s = to_fmpq(scale)
        pts = [tuple(_ZERO for _ in range(n))]
        pts += [tuple(s if j == i else _ZERO for j in range(n)) for i in range(n)]
        return cls._from_points(pts)

    @classmethod
    def cube(cls, n: int) -> Polytope:
        """The unit cube ``[0, 1]^n``.

        Examples
        --------
        >>> Polytope.cube(3).n_vertices
        8
        """
        one = flint.fmpq(1)
        return cls._from_vertices(tuple(sorted(itertools.product((_ZERO, one), repeat=n))))

    @classmethod
    def point(cls, coords: Any) -> Polytope:
        """The one-point polytope ``{coords}``.

        Examples
        --------
        >>> Polytope.point([1, 2]).dim
        0
        """
        return cls([coords])

    # -- basic attributes ---------------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Polytope is immutable")

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Polytope):
            return NotImplemented
        return self._v == other._v

    def __repr__(self) -> str:
        return f"Polytope(dim={self.dim}, ambient={self.ambient_dim}, vertices={len(self._v)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Polytope, ([[fmpq_to_fraction(v) for v in p] for p in self._v],))

    @property
    def vertices(self) -> tuple[tuple[Fraction, ...], ...]:
        """The vertices as tuples of Fractions, sorted lexicographically."""
        return tuple(tuple(fmpq_to_fraction(v) for v in p) for p in self._v)

    @property
    def n_vertices(self) -> int:
        """Number of vertices."""
        return len(self._v)

    @property
    def ambient_dim(self) -> int:
        """Dimension of the space the polytope lives in."""
        return len(self._v[0])

    @property
    def dim(self) -> int:
        """Dimension of the affine hull."""
        return _span(self._v)[0]

    @property
    def is_lattice(self) -> bool:
        """Whether every vertex is an integer point."""
        return all(v.q == 1 for p in self._v for v in p)

    def denominator(self) -> int:
        """The least common denominator of the vertex coordinates.

        Examples
        --------
        >>> Polytope([["1/2", 0], [0, "1/3"]]).denominator()
        6
        """
        return math.lcm(*(int(v.q) for p in self._v for v in p))

    def affine_hull(self) -> AffineHull:
        """The affine hull: a point, a basis of directions and a basis of equations.

        Examples
        --------
        >>> h = Polytope([[0, 0, 1], [1, 1, 1]]).affine_hull()
        >>> h.dim, [[int(v) for v in d] for d in h.directions]
        (1, [[1, 1, 0]])
        >>> sorted(([int(v) for v in a], int(b)) for a, b in h.equations)
        [([0, 0, -1], -1), ([1, -1, 0], 0)]
        """
        n = self.ambient_dim
        _, _, dirs = _span(self._v)
        if dirs:
            mat = flint.fmpq_mat(len(dirs), n, [v for r in dirs for v in r])
            basis, nullity = mat.numer_denom()[0].nullspace()
            normals = [[flint.fmpq(basis[i, j]) for i in range(n)] for j in range(int(nullity))]
        else:
            normals = [[flint.fmpq(int(i == j)) for i in range(n)] for j in range(n)]
        base = self._v[0]
        eqs = tuple(
            (tuple(fmpq_to_fraction(v) for v in a), fmpq_to_fraction(_dot(a, base)))
            for a in normals
        )
        return AffineHull(
            tuple(fmpq_to_fraction(v) for v in base),
            tuple(tuple(fmpq_to_fraction(v) for v in r) for r in dirs),
            eqs,
        )

    # -- queries --------------------------------------------------------------------------------
    def support(self, direction: Any) -> Fraction:
        """The support function ``h_P(u) = max_{p in P} <p, u>`` (exact).

        Examples
        --------
        >>> Polytope([[0, 0], [2, 1]]).support([1, -1])
        Fraction(1, 1)
        """
        u = self._vector(direction, "direction")
        return fmpq_to_fraction(max(_dot(p, u) for p in self._v))

    def face(self, direction: Any) -> Polytope:
        """The face of points maximising ``<x, direction>`` (the polytope itself for ``0``).

        Examples
        --------
        >>> Polytope.cube(2).face([1, 0]).vertices
        ((Fraction(1, 1), Fraction(0, 1)), (Fraction(1, 1), Fraction(1, 1)))
        """
        u = self._vector(direction, "direction")
        values = [_dot(p, u) for p in self._v]
        top = max(values)
        return Polytope._from_vertices(
            tuple(p for p, v in zip(self._v, values, strict=True) if v == top)
        )

    def contains(self, point: Any) -> bool:
        """Whether ``point`` lies in the polytope (exact).

        Examples
        --------
        >>> tri = Polytope.simplex(2)
        >>> tri.contains(["1/2", "1/2"]), tri.contains([1, 1])
        (True, False)
        """
        x = self._vector(point, "point")
        return Polytope._from_points((*self._v, x)) == self

    def facets(self) -> tuple[Polytope, ...]:
        """The facets (faces of dimension ``dim - 1``); empty for a point.

        Examples
        --------
        >>> len(Polytope.cube(3).facets())
        6
        """
        return self.faces(self.dim - 1) if self.dim >= 1 else ()

    def faces(self, k: int) -> tuple[Polytope, ...]:
        """All faces of dimension ``k`` (``0 <= k <= dim``), sorted by their vertices.

        Examples
        --------
        >>> [len(Polytope.cube(3).faces(k)) for k in range(4)]
        [8, 12, 6, 1]
        """
        d = self.dim
        if not 0 <= k <= d:
            raise InvalidInputError(f"k must be between 0 and the dimension {d}, got {k}")
        if k == d:
            return (self,)
        if k == 0:
            return tuple(Polytope._from_vertices((p,)) for p in self._v)
        if len(self._v) == d + 1:  # a simplex: every k + 1 vertices span a face
            return tuple(Polytope._from_vertices(c) for c in itertools.combinations(self._v, k + 1))
        poly = _hull(self._v).poly
        assert poly is not None
        level = {poly.full}
        for _ in range(d, k, -1):
            nxt: set[int] = set()
            for face in level:
                nxt.update(poly._facets[face] or ())
            level = nxt
        out = [
            Polytope._from_vertices(tuple(self._v[i] for i in range(len(self._v)) if m >> i & 1))
            for m in level
        ]
        return tuple(sorted(out, key=lambda f: f._v))

    def inequalities(self) -> tuple[tuple[tuple[Fraction, ...], Fraction], ...]:
        """Facet inequalities ``a x <= b`` (primitive integers) of a full-dimensional polytope.

        Examples
        --------
        >>> sorted(([int(v) for v in a], int(b)) for a, b in Polytope.simplex(2).inequalities())
        [([-1, 0], 0), ([0, -1], 0), ([1, 1], 1)]
        """
        if self.dim != self.ambient_dim:
            raise InvalidInputError(
                f"the polytope has dimension {self.dim} < {self.ambient_dim}: it has no "
                "full-dimensional H-representation; use affine_hull() for its equations"
            )
        poly = _hull(self._v).poly
        assert poly is not None
        out = []
        for g in poly._facets[poly.full] or ():
            a, b = poly.rows[g]
            out.append(
                (tuple(fmpq_to_fraction(to_fmpq(v)) for v in a), fmpq_to_fraction(to_fmpq(b)))
            )
        return tuple(sorted(out))

    def is_centrally_symmetric(self) -> bool:
        """Whether ``P = c - P`` for some centre ``c`` (then ``c`` is twice the vertex mean).

        Examples
        --------
        >>> Polytope.cube(2).is_centrally_symmetric(), Polytope.simplex(2).is_centrally_symmetric()
        (True, False)
        """
        k = len(self._v)
        n = self.ambient_dim
        twice = tuple(sum((p[j] for p in self._v), _ZERO) * 2 / k for j in range(n))
        mirrored = sorted(tuple(twice[j] - p[j] for j in range(n)) for p in self._v)
        return tuple(mirrored) == self._v

    def is_zonotope(self) -> bool:
        """Whether the polytope is a zonotope (a Minkowski sum of segments).

        Decided by the classical criterion: a polytope is a zonotope iff every 2-dimensional
        face is centrally symmetric (points and segments are zonotopes).

        Examples
        --------
        >>> Polytope.cube(3).is_zonotope(), Polytope.simplex(2).is_zonotope()
        (True, False)
        """
        if self.dim <= 1:
            return True
        if not self.is_centrally_symmetric():  # zonotopes are; this also rejects simplices
            return False
        return all(f.is_centrally_symmetric() for f in self.faces(2))

    # -- operations -----------------------------------------------------------------------------
    def _vector(self, value: Any, name: str) -> _Point:
        row = _read_points([value], name=name)[0]
        if len(row) != self.ambient_dim:
            raise InvalidInputError(
                f"{name} has {len(row)} coordinates but the polytope lives in dimension "
                f"{self.ambient_dim}"
            )
        return row

    def _check_same(self, other: Polytope, what: str) -> None:
        if not isinstance(other, Polytope):
            raise InvalidInputError(f"{what} needs polytopes, got {type(other).__name__}")
        if other.ambient_dim != self.ambient_dim:
            raise InvalidInputError(
                f"{what}: the polytopes live in dimensions {self.ambient_dim} and "
                f"{other.ambient_dim}; they must be the same"
            )

    def __add__(self, other: Polytope) -> Polytope:
        if not isinstance(other, Polytope):
            return NotImplemented
        self._check_same(other, "Minkowski sum")
        n = self.ambient_dim
        return Polytope._from_points(
            tuple(p[j] + q[j] for j in range(n)) for p in self._v for q in other._v
        )

    def __neg__(self) -> Polytope:
        return self.scale(-1)

    def __mul__(self, factor: Any) -> Polytope:
        if isinstance(factor, Polytope):
            return NotImplemented
        return self.scale(factor)

    __rmul__ = __mul__

    def hull(self, *others: Polytope) -> Polytope:
        """The convex hull of the union with ``others``.

        Examples
        --------
        >>> Polytope([[0, 0]]).hull(Polytope([[1, 0]]), Polytope([[0, 1]])) == Polytope.simplex(2)
        True
        """
        pts = list(self._v)
        for o in others:
            self._check_same(o, "convex hull")
            pts.extend(o._v)
        return Polytope._from_points(pts)

    def translate(self, vector: Any) -> Polytope:
        """The translate ``P + vector``.

        Examples
        --------
        >>> Polytope([[0, 0]]).translate([1, "1/2"]).vertices
        ((Fraction(1, 1), Fraction(1, 2)),)
        """
        t = self._vector(vector, "vector")
        return Polytope._from_vertices(
            tuple(sorted(tuple(a + b for a, b in zip(p, t, strict=True)) for p in self._v))
        )

    def scale(self, factor: Any) -> Polytope:
        """The dilate ``factor · P`` (any rational factor; ``0`` gives the origin).

        Examples
        --------
        >>> Polytope.simplex(2).scale(2).vertices[-1]
        (Fraction(2, 1), Fraction(0, 1))
        """
        s = to_fmpq(to_fraction(factor, name="factor"))
        if s == 0:
            return Polytope._from_vertices((tuple(_ZERO for _ in range(self.ambient_dim)),))
        return Polytope._from_vertices(tuple(sorted(tuple(s * v for v in p) for p in self._v)))

    def linear_image(self, matrix: Any) -> Polytope:
        """The image ``{A x : x in P}`` under a rational ``m × n`` matrix ``A``.

        Examples
        --------
        >>> Polytope.cube(2).linear_image([[1, 1]]).vertices
        ((Fraction(0, 1),), (Fraction(2, 1),))
        """
        rows = _read_points(matrix, name="matrix")
        if len(rows[0]) != self.ambient_dim:
            raise InvalidInputError(
                f"matrix has {len(rows[0])} columns but the polytope lives in dimension "
                f"{self.ambient_dim}"
            )
        return Polytope._from_points(tuple(_dot(r, p) for r in rows) for p in self._v)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: dimension, ambient dimension and vertices (rationals as strings).

        Examples
        --------
        >>> Polytope([["1/2", 0]]).to_dict()
        {'dim': 0, 'ambient_dim': 2, 'vertices': [['1/2', 0]]}
        """
        return {
            "dim": self.dim,
            "ambient_dim": self.ambient_dim,
            "vertices": [[fraction_to_json(fmpq_to_fraction(v)) for v in p] for p in self._v],
        }


def minkowski_sum(polytopes: Iterable[Polytope]) -> Polytope:
    """The Minkowski sum of one or more polytopes, pruned after every step.

    Examples
    --------
    >>> segs = [Polytope([[0, 0], v]) for v in ([1, 0], [0, 1], [1, 1])]
    >>> minkowski_sum(segs).n_vertices
    6
    """
    items = list(polytopes)
    if not items:
        raise InvalidInputError("minkowski_sum needs at least one polytope")
    total = items[0]
    for p in items[1:]:
        total = total + p
    return total


def convex_hull(polytopes: Iterable[Polytope]) -> Polytope:
    """The convex hull of the union of one or more polytopes.

    Examples
    --------
    >>> convex_hull([Polytope([[0]]), Polytope([[3]])]).vertices
    ((Fraction(0, 1),), (Fraction(3, 1),))
    """
    items = list(polytopes)
    if not items:
        raise InvalidInputError("convex_hull needs at least one polytope")
    return items[0].hull(*items[1:])


def minkowski_difference(p: Polytope, n: Polytope) -> Polytope | None:
    """The Minkowski difference ``P ⊖ N = {x : x + N ⊆ P}`` (exact), or ``None`` if empty.

    ``P`` must be full-dimensional: with facets ``a x <= b`` of ``P``, ``P ⊖ N`` is
    ``{x : a x <= b - h_N(a)}``, whose vertices are found exactly (every ``d``-subset of the
    rows is solved; the result may be lower-dimensional). If ``(P ⊖ N) + N == P``, ``N`` is a
    Minkowski summand of ``P``.

    Examples
    --------
    >>> p = Polytope([[0, 2], [0, 3], [1, 1], [1, 2]])
    >>> n = Polytope([[0, 1], [0, 2]])
    >>> d = minkowski_difference(p, n)
    >>> [[int(v) for v in q] for q in d.vertices], d + n == p
    ([[0, 1], [1, 0]], True)
    >>> minkowski_difference(Polytope.simplex(2), Polytope.simplex(2).scale(2)) is None
    True
    """
    p._check_same(n, "Minkowski difference")
    rows = []
    for a, b in p.inequalities():
        rows.append((a, b - n.support(list(a))))
    a_arr = np.array([r[0] for r in rows], dtype=object).reshape(len(rows), p.ambient_dim)
    b_arr = np.array([r[1] for r in rows], dtype=object)
    try:
        verts = exact_row_vertices(a_arr, b_arr)
    except InvalidInputError:
        return None
    return Polytope._from_points(verts)
