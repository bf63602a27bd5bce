"""Small polytope kernels: vertices, volumes and polygon order, in float64 or exact rationals.

Polytopes here are small (dimension up to about 6, tens of facets) and bounded. Two
representations are used:

- H-representation ``{x : a x <= b}`` with ``a`` of shape ``(m, d)`` and ``b`` of shape ``(m,)``;
- V-representation: an array of shape ``(k, d)`` holding the vertices, one per row.

Arrays are float64 in float mode and NumPy object arrays of :class:`fractions.Fraction` in exact
mode (``exact=True``). Exact answers are decided by exact rational arithmetic (python-flint)
alone: floating-point computations (SciPy's Qhull) may *propose* vertices and facets, but every
proposal is re-derived from exact data and checked exactly, and the completeness of a vertex or
facet set is certified by an exact ridge-closure check on the face lattice (see
:class:`_ExactPolytope`), with exact enumeration as the fallback.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from neurogeom.core.errors import InvalidInputError, NumericalError
from neurogeom.core.lp import chebyshev_centre, is_bounded
from neurogeom.core.rationals import (
    as_fraction_array,
    fmpq_to_fraction,
    fractions_to_float,
    to_fmpq,
)

__all__ = [
    "ExactPolytope",
    "Reach",
    "RowSkeleton",
    "exact_hull",
    "exact_row_vertices",
    "few_row_skeleton",
    "few_row_vertices",
    "hull_ring",
    "order_polygon",
    "polytope_vertices",
    "polytope_volume",
]

#: Largest number of d-row subsets the exact brute-force vertex enumeration will try.
_MAX_BRUTE_FORCE = 20_000
#: Largest number of d-row subsets of the rows nearly tight at one float vertex that are solved.
_MAX_LOCAL_SUBSETS = 84


# -- helpers ------------------------------------------------------------------------------------
def _check_h(a: Any, b: Any, exact: bool) -> tuple[np.ndarray, np.ndarray]:
    """Validate an H-representation; return ``(a, b)`` as float64 or Fraction arrays."""
    if exact:
        a_arr = as_fraction_array(a, name="a")
        b_arr = as_fraction_array(b, name="b")
    else:
        try:
            a_arr = np.asarray(
                fractions_to_float(a) if np.asarray(a).dtype == object else a, dtype=np.float64
            )
            b_arr = np.asarray(
                fractions_to_float(b) if np.asarray(b).dtype == object else b, dtype=np.float64
            )
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(f"a and b must be numeric arrays: {exc}") from None
    if a_arr.ndim != 2 or a_arr.shape[1] == 0:
        raise InvalidInputError(
            f"a must be a matrix of shape (m, d) with d >= 1, got {a_arr.shape}"
        )
    if b_arr.shape != (a_arr.shape[0],):
        raise InvalidInputError(
            f"b must have shape ({a_arr.shape[0]},) to match a of shape {a_arr.shape}, "
            f"got {b_arr.shape}"
        )
    if not exact and not (np.isfinite(a_arr).all() and np.isfinite(b_arr).all()):
        raise InvalidInputError("a and b must be finite")
    return a_arr, b_arr


def _check_points(vertices: Any, exact: bool) -> np.ndarray:
    """Validate a V-representation; return float64 or Fraction array of shape (k, d)."""
    if exact:
        pts = as_fraction_array(vertices, name="vertices")
    else:
        raw = np.asarray(vertices)
        pts = fractions_to_float(raw) if raw.dtype == object else np.asarray(raw, dtype=np.float64)
        if not np.isfinite(pts).all():
            raise InvalidInputError("vertices must be finite")
    if pts.ndim != 2 or pts.shape[1] == 0:
        raise InvalidInputError(f"vertices must have shape (k, d) with d >= 1, got {pts.shape}")
    return pts


def _sort_rows(points: np.ndarray) -> np.ndarray:
    """Rows sorted lexicographically (works for float and Fraction arrays)."""
    if len(points) == 0:
        return points
    order = sorted(range(len(points)), key=lambda i: tuple(points[i]))
    return points[order]


def _dedup_float(points: np.ndarray, eps: float) -> np.ndarray:
    """Merge points closer than ``eps`` in the max-norm (greedy, keeps the first of a cluster)."""
    keep: list[int] = []
    for i in range(len(points)):
        if not keep or np.abs(points[keep] - points[i]).max(axis=1).min() > eps:
            keep.append(i)
    return points[keep]


def _empty_message(d: int) -> str:
    return (
        f"the polytope {{x : a x <= b}} in dimension {d} is empty or not full-dimensional "
        "(it has no interior point)"
    )


_UNBOUNDED = (
    "the polytope {x : a x <= b} is unbounded; add constraints (for example a bounding box) "
    "so that it is a bounded polytope"
)


def _vertices_1d(a: np.ndarray, b: np.ndarray, exact: bool) -> np.ndarray:
    """Endpoints of an interval given by inequalities ``a_i x <= b_i``."""
    zero = Fraction(0) if exact else 0.0
    lo = hi = None
    for ai, bi in zip(a[:, 0], b, strict=True):
        if ai > 0:
            v = bi / ai
            hi = v if hi is None or v < hi else hi
        elif ai < 0:
            v = bi / ai
            lo = v if lo is None or v > lo else lo
        elif bi < zero:
            raise InvalidInputError(_empty_message(1))
    if lo is None or hi is None:
        raise InvalidInputError(_UNBOUNDED)
    if not lo < hi:
        raise InvalidInputError(_empty_message(1))
    out = np.empty((2, 1), dtype=object if exact else np.float64)
    out[0, 0], out[1, 0] = lo, hi
    return out


def _centre(a: np.ndarray, b: np.ndarray, *, cap: float = np.inf) -> tuple[np.ndarray, float]:
    """Chebyshev centre and radius of ``{x : a x <= b}``; an empty set is refused by name."""
    centre, radius = chebyshev_centre(a, b, radius_cap=cap)
    if radius == -np.inf:
        raise InvalidInputError(_empty_message(a.shape[1]))
    return centre, radius


# -- exact face structure -----------------------------------------------------------------------
# Points and rows are tuples of python-flint ``fmpq`` here; faces are bit masks over the points.
_Point = tuple[flint.fmpq, ...]
_Row = tuple[tuple[flint.fmpq, ...], flint.fmpq]
_ZERO = flint.fmpq(0)


def _dot(a: tuple[flint.fmpq, ...], x: tuple[flint.fmpq, ...]) -> flint.fmpq:
    return sum((ai * xi for ai, xi in zip(a, x, strict=True)), _ZERO)


def _bits(mask: int) -> list[int]:
    """Indices of the set bits of ``mask``, increasing."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def _unique_points(pts: np.ndarray) -> list[_Point]:
    """The distinct rows of a Fraction array as fmpq tuples (first occurrence order)."""
    seen: dict[_Point, None] = {}
    for row in pts:
        seen.setdefault(tuple(to_fmpq(v) for v in row), None)
    return list(seen)


def _rank_of(points: list[_Point]) -> int:
    """Exact affine rank of a list of points (-1 for none)."""
    if len(points) <= 2:
        return len(points) - 1 if len(points) < 2 or points[0] != points[1] else 0
    base = points[0]
    d = len(base)
    entries = [p[j] - base[j] for p in points[1:] for j in range(d)]
    return int(flint.fmpq_mat(len(points) - 1, d, entries).rank())


def _primitive(a: tuple[flint.fmpq, ...], b: flint.fmpq) -> _Row:
    """The inequality ``a x <= b`` scaled by a positive number to coprime integers."""
    values = [*a, b]
    den = 1
    for v in values:
        den = math.lcm(den, int(v.q))
    ints = [int(v.p) * (den // int(v.q)) for v in values]
    g = math.gcd(*ints) or 1
    return tuple(flint.fmpq(x // g) for x in ints[:-1]), flint.fmpq(ints[-1] // g)


def _nullspace(rows: list[list[flint.fmpq]], ncols: int) -> list[tuple[flint.fmpq, ...]]:
    """A basis of ``{y : M y = 0}`` for the rational matrix with the given rows."""
    mat = flint.fmpq_mat(len(rows), ncols, [v for r in rows for v in r])
    basis, nullity = mat.numer_denom()[0].nullspace()
    return [tuple(flint.fmpq(basis[i, j]) for i in range(ncols)) for j in range(int(nullity))]


def _tight_mask(points: list[_Point], row: _Row) -> int | None:
    """Bit mask of the points where ``a x = b``; ``None`` if some point has ``a x > b``."""
    a, b = row
    mask = 0
    for j, p in enumerate(points):
        v = _dot(a, p)
        if v > b:
            return None
        if v == b:
            mask |= 1 << j
    return mask


def _row_masks(points: list[_Point], rows: list[Any]) -> list[int]:
    """Tight masks of many rows ``(a, b)`` (Fraction or fmpq entries); a violated row is an
    input error.

    Integer arithmetic: each row is scaled to integers ``(A, B)`` and each point written as
    ``X / D``, so ``a x <= b`` becomes ``A X <= B D`` on Python integers.
    """
    dens = [math.lcm(*(int(v.q) for v in p)) for p in points]
    nums = [[int(v.p) * (den // int(v.q)) for v in p] for p, den in zip(points, dens, strict=True)]
    masks = []
    for i, (a, b) in enumerate(rows):
        den = math.lcm(int(b.denominator), *(int(v.denominator) for v in a))
        a_int = [int(v.numerator) * (den // int(v.denominator)) for v in a]
        b_int = int(b.numerator) * (den // int(b.denominator))
        mask = 0
        for j, (x, x_den) in enumerate(zip(nums, dens, strict=True)):
            lhs, rhs = sum(u * w for u, w in zip(a_int, x, strict=True)), b_int * x_den
            if lhs > rhs:
                raise InvalidInputError(
                    f"a point violates inequality {i} of (a, b): a[{i}] x - b[{i}] = "
                    f"{(lhs - rhs) / (den * x_den):.3g} > 0; pass points of the polytope "
                    "{x : a x <= b}"
                )
            if lhs == rhs:
                mask |= 1 << j
        masks.append(mask)
    return masks


class _ExactRows:
    """Exact inequalities ``a x <= b`` as python-flint data, to solve for and check points."""

    __slots__ = ("dim", "matrix", "rows")

    def __init__(self, a_q: np.ndarray, b_q: np.ndarray) -> None:
        self.rows: list[_Row] = [
            (tuple(to_fmpq(v) for v in ai), to_fmpq(bi)) for ai, bi in zip(a_q, b_q, strict=True)
        ]
        self.dim = a_q.shape[1]
        self.matrix = flint.fmpq_mat(len(self.rows), self.dim, [v for a, _ in self.rows for v in a])

    def vertex(self, subset: tuple[int, ...]) -> _Point | None:
        """The point where the rows of ``subset`` (``d`` of them) are tight, or ``None``."""
        d = self.dim
        mat = flint.fmpq_mat(d, d, [v for i in subset for v in self.rows[i][0]])
        if mat.det() == 0:
            return None
        rhs = flint.fmpq_mat(d, 1, [self.rows[i][1] for i in subset])
        return tuple(mat.solve(rhs).entries())

    def independent(self, candidates: list[int]) -> tuple[int, ...] | None:
        """The first ``d`` linearly independent rows among ``candidates`` (greedy), if any."""
        chosen: list[int] = []
        for i in candidates:
            trial = [*chosen, i]
            entries = [v for j in trial for v in self.rows[j][0]]
            if flint.fmpq_mat(len(trial), self.dim, entries).rank() == len(trial):
                chosen = trial
                if len(chosen) == self.dim:
                    return tuple(chosen)
        return None

    def feasible(self, x: _Point) -> bool:
        values = (self.matrix * flint.fmpq_mat(self.dim, 1, list(x))).entries()
        return all(v <= row[1] for v, row in zip(values, self.rows, strict=True))


def _brute_force_vertices(rows: _ExactRows) -> list[_Point]:
    """All vertices of ``{x : a x <= b}`` by solving every d-subset of rows exactly."""
    m, d = len(rows.rows), rows.dim
    n_subsets = math.comb(m, d)
    if n_subsets > _MAX_BRUTE_FORCE:
        raise NumericalError(
            f"the floating-point vertex enumeration could not be certified and the exact "
            f"fallback would solve {n_subsets} systems; remove redundant rows or rescale the data"
        )
    found: dict[_Point, None] = {}
    for subset in itertools.combinations(range(m), d):
        x = rows.vertex(subset)
        if x is not None and x not in found and rows.feasible(x):
            found[x] = None
    if not found:
        raise InvalidInputError(_empty_message(d))
    return list(found)


def _exact_vertex_array(rows: _ExactRows, near_sets: list[list[int]] | None) -> np.ndarray:
    """Certified exact vertices of ``{x : a x <= b}`` as a sorted Fraction array.

    ``near_sets`` are proposals: for each float vertex, the rows nearly tight there, closest
    first. The first ``d`` independent ones are solved exactly, and so is every ``d``-subset when
    there are few (floats may have merged several exact vertices into one); a solution is kept
    if it satisfies every row exactly. If the points found do not certify complete
    (:func:`_complete`), or there are no proposals, every ``d``-subset of rows is solved instead;
    if even all of them do not certify, the polyhedron is unbounded (an exact check of the float
    boundedness test).
    """
    d = rows.dim
    points: list[_Point] | None = None
    if near_sets is not None:
        found: dict[_Point, None] = {}
        for near in near_sets:
            first = rows.independent(near)
            subsets = [] if first is None else [first]
            if math.comb(len(near), d) <= _MAX_LOCAL_SUBSETS:
                subsets += itertools.combinations(near, d)
            for subset in subsets:
                x = rows.vertex(subset)
                if x is not None and x not in found and rows.feasible(x):
                    found[x] = None
        points = list(found)
        if _rank_of(points) < d or not _complete(points, rows):
            points = None  # floats merged or missed vertices: enumerate exactly
    if points is None:
        points = _brute_force_vertices(rows)
        if _rank_of(points) < d:
            raise InvalidInputError(_empty_message(d))
        if not _complete(points, rows):  # every vertex is known, so the polyhedron is unbounded
            raise InvalidInputError(_UNBOUNDED)
    out = np.array([[fmpq_to_fraction(v) for v in p] for p in points], dtype=object)
    return _sort_rows(out.reshape(len(points), d))


def _complete(points: list[_Point], rows: _ExactRows) -> bool:
    """Whether feasible, full-dimensional, distinct ``points`` include every vertex of the rows.

    Decided exactly by ridge closure (:class:`_ExactPolytope`): every facet of ``conv(points)``
    then lies on a row, so ``conv(points)`` contains the polytope.
    """
    return _ExactPolytope(points, rows.rows, _row_masks(points, rows.rows)).certify()


#: A prime for rank tests modulo p (python-flint ``nmod_mat``).
_PRIME = 2**61 - 1


def _residues(points: list[_Point]) -> list[list[int]] | None:
    """The points modulo :data:`_PRIME`, or ``None`` if a denominator is divisible by it."""
    out = []
    for p in points:
        row = []
        for v in p:
            den = int(v.q) % _PRIME
            if den == 0:
                return None
            row.append(int(v.p) * pow(den, -1, _PRIME) % _PRIME)
        out.append(row)
    return out


def _rank_mod_p(residues: list[list[int]], members: list[int]) -> int:
    """Affine rank modulo :data:`_PRIME` of the points ``members`` (a lower bound on the rank)."""
    base = residues[members[0]]
    entries = [
        (x - y) % _PRIME for i in members[1:] for x, y in zip(residues[i], base, strict=True)
    ]
    return int(flint.nmod_mat(len(members) - 1, len(base), entries, _PRIME).rank())


class _ExactPolytope:
    """Face structure and volume of a full-dimensional polytope, from exact incidences only.

    Input: exact points whose convex hull ``Q`` is full-dimensional (its vertices, possibly with
    other points of ``Q``; distinct fmpq tuples) and exact inequalities valid on every point
    (pairs ``(a, b)`` of Fractions or fmpq). A face is the bit mask of the points it contains.
    The facets of a ``k``-face ``F`` are the inclusion-maximal sets ``F ∩ tight(j)`` (``j`` a row
    at the top, a facet of ``Q`` below), each required to have affine rank ``k - 1``; each of
    them is a true facet of ``F`` because the row is valid.

    :meth:`certify` checks *ridge closure* on every face: an edge has exactly two endpoints, and in
    a ``k``-face (``k >= 2``) with at least one facet, every facet of a facet lies in exactly two
    facets. A set of facets closed this way is all of them (the facet–ridge graph of a polytope of
    dimension >= 2 is connected), so, by induction on ``k``, every facet of ``Q`` lies on a row.
    If the rows describe a polytope ``P ⊇ Q`` (``Q``'s points satisfy them), ``Q = P``: the points
    contain every vertex of ``P``. With facet inequalities of ``Q`` as rows (V-input), it certifies
    that no facet of ``Q`` is missing.

    :meth:`volume` is the pyramid decomposition ``vol(F) = (1/k) Σ h_G vol(G)`` over the facets
    ``G`` of ``F`` not containing a chosen point ``v0`` of ``F``, recursively. A ``k``-face is
    measured in ``k`` of the original coordinates (its projection onto them is injective), its
    facet rows are rewritten in those coordinates, and a facet on the row ``c y <= e`` is measured
    without a coordinate ``t`` where ``c_t != 0``: Euclidean height ``(e - c y0) / |c|`` times
    ``|c| / |c_t|`` times the projected volume, so the norms cancel and everything stays
    rational. That projected volume of a face in a coordinate subspace is also what a *relative*
    volume needs (multiply by the constant Jacobian of the projection: a Gram determinant for the
    Euclidean measure, a lattice index for the lattice measure).
    """

    __slots__ = (
        "_checked",
        "_facets",
        "_ranks",
        "_residues",
        "_ridges",
        "_volumes",
        "dim",
        "full",
        "points",
        "rows",
    )

    def __init__(self, points: list[_Point], rows: list[Any], masks: list[int]) -> None:
        self.points = points
        self.dim = len(points[0])
        self.full = (1 << len(points)) - 1
        # one row per distinct tight set; rows tight nowhere or everywhere say nothing
        self.rows: dict[int, Any] = {}  # (a, b) with Fraction or fmpq entries
        for mask, row in zip(masks, rows, strict=True):
            if mask and mask != self.full:
                self.rows.setdefault(mask, row)
        self._facets: dict[int, tuple[int, ...] | None] = {}
        self._ridges: dict[int, dict[int, list[int]]] = {}
        self._checked: dict[int, bool] = {}
        self._volumes: dict[tuple[int, tuple[int, ...]], flint.fmpq] = {}
        self._ranks: dict[tuple[int, int], bool] = {}
        self._residues = _residues(points)

    def _has_rank(self, mask: int, r: int) -> bool:
        """Whether a proper face of an ``(r + 1)``-face has affine rank ``r`` (so is a facet)."""
        n = mask.bit_count()
        if r <= 1:  # points are distinct, and a proper face of a face of dimension <= 2
            return n == 1 if r == 0 else n >= 2
        if n <= r:
            return False
        if (mask, r) not in self._ranks:
            # The rank mod a prime never exceeds the rank over Q, which is at most r for a proper
            # face; so rank r mod p proves rank r. Otherwise compute it exactly.
            members = _bits(mask)
            ok = self._residues is not None and _rank_mod_p(self._residues, members) == r
            self._ranks[mask, r] = ok or _rank_of([self.points[i] for i in members]) == r
        return self._ranks[mask, r]

    def facets(self, face: int, k: int) -> tuple[int, ...] | None:
        """Facets of the ``k``-face ``face`` (masks), or ``None`` if a maximal set is too thin."""
        if face in self._facets:
            return self._facets[face]
        pool = self.rows if face == self.full else (self._facets.get(self.full) or ())
        cands = {face & t for t in pool}
        cands.discard(0)
        cands.discard(face)
        maximal: list[int] = []  # largest first: a set inside no earlier maximal one is maximal
        for c in sorted(cands, key=int.bit_count, reverse=True):
            if not any(c & m == c for m in maximal):
                maximal.append(c)
        ok = all(self._has_rank(c, k - 1) for c in maximal)
        result = tuple(sorted(maximal)) if ok else None
        self._facets[face] = result
        return result

    def certify(self) -> bool:
        """Whether ridge closure holds on every face (see the class notes)."""
        return self._check(self.full, self.dim)

    def _check(self, face: int, k: int) -> bool:
        if face in self._checked:
            return self._checked[face]
        facets = self.facets(face, k)
        if facets is None or not facets:
            ok = False
        elif k == 1:  # an edge: exactly two endpoints
            ok = len(facets) == 2
        else:
            ok = True
            ridges: dict[int, list[int]] = {}
            for g in facets:
                if not self._check(g, k - 1):
                    ok = False
                    break
                for r in self._facets[g] or ():
                    ridges.setdefault(r, []).append(g)
            ok = ok and all(len(pair) == 2 for pair in ridges.values())
            self._ridges[face] = ridges
        self._checked[face] = ok
        return ok

    def volume(self) -> flint.fmpq:
        """Exact volume (call :meth:`certify` first; it must have returned True)."""
        top = self._facets[self.full] or ()
        rows = {
            g: (tuple(to_fmpq(v) for v in self.rows[g][0]), to_fmpq(self.rows[g][1])) for g in top
        }
        return self._projected_volume(self.full, tuple(range(self.dim)), rows)

    def _projected_volume(
        self, face: int, coords: tuple[int, ...], rows: dict[int, _Row]
    ) -> flint.fmpq:
        """Volume of the projection of ``face`` onto ``coords`` (``len(coords)`` = its dimension).

        ``rows[G]`` is an inequality ``c y <= e`` over ``coords``, tight exactly on the facet
        ``G`` of ``face`` within the affine hull of ``face``.
        """
        k = len(coords)
        if k == 1:
            p, q = (self.points[_bits(g)[0]][coords[0]] for g in self._facets[face] or ())
            return abs(p - q)
        key = (face, coords)
        if key in self._volumes:
            return self._volumes[key]
        facets = self._facets[face] or ()
        ridges = self._ridges[face]
        v0 = (face & -face).bit_length() - 1
        y0 = tuple(self.points[v0][s] for s in coords)
        total = _ZERO
        for g in facets:
            if g >> v0 & 1:
                continue
            c, e = rows[g]
            t = max(range(k), key=lambda i: abs(c[i]))
            ct = c[t]
            sub: dict[int, _Row] = {}
            if k > 2:  # rewrite the rows of g's facets without coordinate t (on c y = e)
                for r in self._facets[g] or ():
                    first, second = ridges[r]
                    c2, e2 = rows[second if first == g else first]
                    f = c2[t] / ct
                    sub[r] = (
                        tuple(c2[i] - f * c[i] for i in range(k) if i != t),
                        e2 - f * e,
                    )
            height = (e - _dot(c, y0)) / abs(ct)
            total += height * self._projected_volume(g, coords[:t] + coords[t + 1 :], sub)
        result = total / k
        self._volumes[key] = result
        return result


def _hyperplane_through(points: list[_Point], inside: _Point) -> _Row | None:
    """The inequality ``c x <= e`` tight on ``d`` affinely independent points, ``inside`` on the
    strict side; ``None`` if the points are dependent or ``inside`` lies on their hyperplane."""
    d = len(inside)
    basis = _nullspace([[*p, flint.fmpq(-1)] for p in points], d + 1)
    if len(basis) != 1:
        return None
    c, e = basis[0][:d], basis[0][d]
    side = _dot(c, inside) - e
    if side == 0:
        return None
    if side > 0:
        c, e = tuple(-v for v in c), -e
    return _primitive(c, e)


def _qhull_facet_rows(points: list[_Point]) -> list[_Row]:
    """Facet inequalities of ``conv(points)`` proposed by Qhull and each verified exactly.

    The result may miss facets (when the float hull is wrong) but holds only valid inequalities
    whose tight sets span hyperplanes, i.e. true facets.
    """
    from scipy.spatial import ConvexHull, QhullError  # Qhull: imported when first needed

    d = len(points[0])
    try:
        simplices = ConvexHull(np.array([[float(v) for v in p] for p in points])).simplices
    except (QhullError, ValueError):
        return []
    inside = tuple(sum((p[j] for p in points), _ZERO) / len(points) for j in range(d))
    rows: list[_Row] = []
    covered: list[int] = []
    for simplex in simplices:
        s_mask = sum(1 << int(i) for i in simplex)
        if any(s_mask & m == s_mask for m in covered):
            continue
        row = _hyperplane_through([points[int(i)] for i in simplex], inside)
        mask = None if row is None else _tight_mask(points, row)
        if row is not None and mask is not None:
            rows.append(row)
            covered.append(mask)
    return rows


def _ring(points: Any) -> list[int]:
    """Indices of the hull vertices of 2-D points, counter-clockwise (monotone chain).

    Exact for rationals (Fraction or fmpq); ``points`` is any sequence of pairs.
    """
    order = sorted(range(len(points)), key=lambda i: (points[i][0], points[i][1]))

    def turn(o: int, u: int, v: int) -> Any:
        po, pu, pv = points[o], points[u], points[v]
        return (pu[0] - po[0]) * (pv[1] - po[1]) - (pu[1] - po[1]) * (pv[0] - po[0])

    def chain(seq: list[int]) -> list[int]:
        out: list[int] = []
        for i in seq:
            while len(out) >= 2 and turn(out[-2], out[-1], i) <= 0:
                out.pop()
            out.append(i)
        return out

    return chain(order)[:-1] + chain(order[::-1])[:-1]


def _low_dim_facet_rows(points: list[_Point]) -> list[_Row]:
    """Exact facet inequalities of a full-dimensional point set in dimension 1 or 2."""
    if len(points[0]) == 1:
        xs = [p[0] for p in points]
        return [((flint.fmpq(-1),), -min(xs)), ((flint.fmpq(1),), max(xs))]
    ring = _ring(points)
    rows = []
    for i, j in zip(ring, ring[1:] + ring[:1], strict=True):
        p, q = points[i], points[j]
        c = (q[1] - p[1], p[0] - q[0])  # outward normal of a counter-clockwise edge
        rows.append(_primitive(c, _dot(c, p)))
    return rows


def _first_facet(points: list[_Point]) -> _Row:
    """One facet inequality of ``conv(points)`` (full-dimensional), found exactly.

    Starts from the supporting hyperplane ``x_0 >= min x_0`` and rotates it about the affine hull
    of its face onto the next point until the face has dimension ``d - 1``.
    """
    d = len(points[0])
    unit = tuple(flint.fmpq(-1 if j == 0 else 0) for j in range(d))
    row = (unit, -min(p[0] for p in points))
    while True:
        face = [i for i, p in enumerate(points) if _dot(row[0], p) == row[1]]
        if _rank_of([points[i] for i in face]) == d - 1:
            return row
        row = _rotate(points, row, _nullspace([[*points[i], flint.fmpq(-1)] for i in face], d + 1))


def _rotate(points: list[_Point], row: _Row, pencil: list[tuple[flint.fmpq, ...]]) -> _Row:
    """Rotate the supporting ``a x <= b`` about ``{a x = b} ∩ {c x = e}`` onto the next points.

    ``pencil`` holds functionals ``(c, e)`` (as ``c x - e``) vanishing on the face being kept; one
    not proportional to ``(a, b)`` is used, oriented to be ``<= 0`` wherever ``a x = b``. The
    result ``(c + mu a, e + mu b)`` with the least valid ``mu`` is the other supporting hyperplane
    through that set.
    """
    a, b = row
    d = len(a)
    for vec in pencil:
        c, e = vec[:d], vec[d]
        if flint.fmpq_mat(2, d + 1, [*a, b, *c, e]).rank() == 2:
            break
    else:  # pragma: no cover - the pencil always has dimension >= 2
        raise NumericalError("internal error: no rotation axis; please report this input")
    on_face = [p for p in points if _dot(a, p) == b]
    if any(_dot(c, p) > e for p in on_face):
        c, e = tuple(-v for v in c), -e
    mu = max((_dot(c, p) - e) / (b - _dot(a, p)) for p in points if _dot(a, p) < b)
    return _primitive(tuple(ci + mu * ai for ci, ai in zip(c, a, strict=True)), e + mu * b)


def _wrapped_facet_rows(points: list[_Point], seeds: list[_Row]) -> list[_Row]:
    """All facet inequalities of ``conv(points)`` (full-dimensional) by exact gift wrapping.

    Starting from the verified ``seeds`` (or one facet found exactly), each facet's own facets
    (its ridges) are computed recursively in dimension ``d - 1`` and the hyperplane is rotated
    about every ridge onto the neighbouring facet. Only exact comparisons decide anything.
    """
    d = len(points[0])
    if d <= 2:
        return _low_dim_facet_rows(points)
    found: dict[int, _Row] = {}
    for row in seeds or [_first_facet(points)]:
        mask = _tight_mask(points, row)
        if mask is not None:
            found.setdefault(mask, row)
    queue = list(found)
    done: set[int] = set()
    while queue:
        facet = queue.pop()
        a, b = found[facet]
        members = _bits(facet)
        t = max(range(d), key=lambda i: abs(a[i]))
        sub = [points[i][:t] + points[i][t + 1 :] for i in members]
        for c, e in _wrapped_facet_rows(sub, []):
            ridge = sum(1 << members[j] for j, p in enumerate(sub) if _dot(c, p) == e)
            if ridge in done:
                continue
            done.add(ridge)
            lifted = (*c[:t], _ZERO, *c[t:])
            row = _rotate(points, (a, b), [(*lifted, e)])
            mask = _tight_mask(points, row)
            if mask is not None and mask not in found:
                found[mask] = row
                queue.append(mask)
    return list(found.values())


def _exact_polytope(
    points: list[_Point], h_rep: tuple[np.ndarray, np.ndarray] | None
) -> _ExactPolytope:
    """A certified :class:`_ExactPolytope` of ``conv(points)`` (or of ``{a x <= b}``).

    With ``h_rep`` the points must satisfy it; if they miss vertices of ``{a x <= b}`` these are
    enumerated exactly. Without it the facets come from Qhull, verified exactly, and exact gift
    wrapping completes them if ridge closure fails.
    """
    d = len(points[0])
    if h_rep is not None:
        rows = list(zip(*h_rep, strict=True))  # Fractions; only facet rows become fmpq
        poly = _ExactPolytope(points, rows, _row_masks(points, rows))
        if poly.certify():
            return poly
        points = _unique_points(polytope_vertices(*h_rep, exact=True))
        poly = _ExactPolytope(points, rows, _row_masks(points, rows))
    else:
        rows = _low_dim_facet_rows(points) if d <= 2 else _qhull_facet_rows(points)
        poly = _ExactPolytope(points, rows, _row_masks(points, rows))
        if poly.certify():
            return poly
        rows = _wrapped_facet_rows(points, rows)
        poly = _ExactPolytope(points, rows, _row_masks(points, rows))
    if not poly.certify():  # pragma: no cover - both fallbacks are complete by construction
        raise NumericalError("internal error: the exact facet structure did not close")
    return poly


# -- public functions ---------------------------------------------------------------------------
def polytope_vertices(
    a: Any,
    b: Any,
    *,
    interior_point: Any = None,
    exact: bool = False,
    tol: float = 1e-9,
) -> np.ndarray:
    """Vertices of a bounded, full-dimensional polytope ``{x : a x <= b}``.

    Parameters
    ----------
    a : array-like, shape (m, d)
        Constraint normals.
    b : array-like, shape (m,)
        Right-hand sides.
    interior_point : array-like, shape (d,), optional
        A point with ``a x < b`` strictly, which saves a linear program. By default, or when the
        point given is not strictly inside in floating point, the Chebyshev centre (centre of the
        largest inscribed ball) is used.
    exact : bool, default False
        Return exact rational vertices (``a`` and ``b`` are read as exact rationals; floats are
        converted exactly, strings such as ``"1/3"`` as written).
    tol : float, default 1e-9
        Relative tolerance of float mode: the polytope counts as full-dimensional when the
        inscribed radius exceeds ``tol`` times the size of the centre, and vertices closer than
        ``tol`` times the size of the polytope are merged.

    Returns
    -------
    ndarray, shape (k, d)
        The vertices, sorted lexicographically: float64, or an object array of Fractions in
        exact mode.

    Raises
    ------
    InvalidInputError
        If the polytope is empty, not full-dimensional or unbounded, or the shapes do not match.
    NumericalError
        If the floating-point computation fails and no exact fallback is affordable.

    Notes
    -----
    Float mode intersects the halfspaces with Qhull (:class:`scipy.spatial.HalfspaceIntersection`)
    around an interior point. Exact mode takes each float vertex, picks ``d`` independent rows
    that are (nearly) tight there, solves them exactly with python-flint and checks the solution
    against every row exactly, and certifies that no vertex is missing by an exact ridge-closure
    check on the incidences of vertices and rows (every facet of the hull of the vertices found
    lies in a constraint hyperplane; no floating-point hull is involved); if any check fails it
    falls back to solving every ``d``-subset of rows exactly. Boundedness is tested by a
    floating-point linear program (the rows must positively span ``R^d``); in exact mode the
    answer "bounded" is then certified by the same exact check (a complete vertex set whose hull
    misses part of the polyhedron means it is unbounded), while "unbounded" is not re-checked.

    Examples
    --------
    The triangle ``x >= 0, y >= 0, x + y <= 1``:

    >>> a = [[-1, 0], [0, -1], [1, 1]]
    >>> (polytope_vertices(a, [0, 0, 1]).round(12) + 0.0).tolist()
    [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0]]
    >>> v = polytope_vertices(a, [0, 0, "1/3"], exact=True)
    >>> [[str(x) for x in row] for row in v]
    [['0', '0'], ['0', '1/3'], ['1/3', '0']]
    >>> polytope_vertices([[1, 0], [0, 1]], [1, 1])
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.InvalidInputError: the polytope {x : a x <= b} is unbounded; ...
    """
    a_arr, b_arr = _check_h(a, b, exact)
    d = a_arr.shape[1]
    zero_rows = np.array([not any(v != 0 for v in row) for row in a_arr], dtype=bool)
    if any(bi < 0 for bi in b_arr[zero_rows]):
        raise InvalidInputError(_empty_message(d))
    a_arr, b_arr = a_arr[~zero_rows], b_arr[~zero_rows]
    if d == 1:
        return _vertices_1d(a_arr, b_arr, exact)
    a_f = fractions_to_float(a_arr) if exact else a_arr
    b_f = fractions_to_float(b_arr) if exact else b_arr
    norms = np.linalg.norm(a_f, axis=1) if len(a_f) else np.zeros(0)
    if len(a_f) == 0 or not is_bounded(a_f):
        # An empty set is reported as empty rather than unbounded.
        if len(a_f):
            _centre(a_f, b_f, cap=1.0)
        raise InvalidInputError(_UNBOUNDED)
    an, bn = a_f / norms[:, None], b_f / norms
    center = None
    if interior_point is not None:
        center = np.asarray(
            fractions_to_float(interior_point)
            if np.asarray(interior_point).dtype == object
            else interior_point,
            dtype=np.float64,
        )
        if center.shape != (d,):
            raise InvalidInputError(
                f"interior_point must have shape ({d},), got {np.shape(interior_point)}"
            )
        if not np.all(an @ center < bn):
            center = None  # not strictly inside (after rounding): use the Chebyshev centre
    if center is None:
        center, radius = _centre(an, bn)
        size = max(float(np.abs(center).max()), radius)
        if not radius > tol * size:
            if exact:
                return _exact_vertex_array(_ExactRows(a_arr, b_arr), None)
            raise InvalidInputError(_empty_message(d))
    from scipy.spatial import HalfspaceIntersection, QhullError

    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            hs = HalfspaceIntersection(np.hstack([an, -bn[:, None]]), center)
        pts = hs.intersections
        if not np.isfinite(pts).all():
            raise QhullError("the polytope is too thin for floating point")
    except QhullError as exc:
        if exact:
            return _exact_vertex_array(_ExactRows(a_arr, b_arr), None)
        raise NumericalError(
            f"Qhull could not intersect the halfspaces ({exc}); try exact=True"
        ) from None
    extent = max(float(np.abs(pts).max()), 1e-300)
    pts = _dedup_float(pts, tol * extent)
    if not exact:
        return pts[np.lexsort(pts.T[::-1])]
    # Exact: each float vertex proposes the rows nearly tight there; the exact solutions are
    # checked against every row and certified complete (see _exact_vertex_array).
    tight_tol = max(1e-6, 1e3 * tol) * extent
    near_sets = []
    for v in pts:
        slack = bn - an @ v
        near_sets.append([int(i) for i in np.argsort(slack) if slack[i] <= tight_tol])
    return _exact_vertex_array(_ExactRows(a_arr, b_arr), near_sets)


def _exact_less_angle(p: tuple[Fraction, Fraction], q: tuple[Fraction, Fraction]) -> int:
    """Compare two nonzero vectors by angle in ``[0, 2 pi)`` from the positive x-axis."""

    def half(v: tuple[Fraction, Fraction]) -> int:
        return 0 if v[1] > 0 or (v[1] == 0 and v[0] > 0) else 1

    hp, hq = half(p), half(q)
    if hp != hq:
        return hp - hq
    cross = p[0] * q[1] - p[1] * q[0]
    if cross > 0:
        return -1
    if cross < 0:
        return 1
    return 0


def order_polygon(vertices: Any, *, return_index: bool = False) -> np.ndarray:
    """The vertices of a convex polygon in counter-clockwise order.

    Parameters
    ----------
    vertices : array-like, shape (k, 2)
        Vertices in any order (points in convex position). A float array is ordered by
        ``arctan2`` around the centroid; an object array of rationals exactly, with a half-plane
        and cross-product comparison (no rounding).
    return_index : bool, default False
        Return the permutation instead of the points.

    Returns
    -------
    ndarray, shape (k, 2), or ndarray of int, shape (k,)
        The same points, counter-clockwise, starting from the one at the smallest angle in
        ``[0, 2 pi)`` seen from the centroid; the dtype is kept. With ``return_index``, the
        indices ``order`` such that ``vertices[order]`` is that sequence.

    Examples
    --------
    >>> order_polygon([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]]).tolist()
    [[1.0, 1.0], [0.0, 1.0], [0.0, 0.0], [1.0, 0.0]]
    >>> from fractions import Fraction as F
    >>> ring = order_polygon([[F(0), F(0)], [F(0), F(1)], [F(1), F(0)]])
    >>> [[str(x) for x in row] for row in ring]
    [['0', '1'], ['0', '0'], ['1', '0']]
    >>> order_polygon([[0, 0], [0, 1], [1, 0]], return_index=True).tolist()
    [1, 0, 2]
    """
    raw = np.asarray(vertices)
    exact = raw.dtype == object
    pts = _check_points(raw, exact)
    if pts.shape[1] != 2:
        raise InvalidInputError(f"order_polygon needs 2-D points, got shape {pts.shape}")
    k = len(pts)
    if k <= 2:
        return np.arange(k) if return_index else pts
    if not exact:
        rel = pts - pts.mean(axis=0)
        ang = np.mod(np.arctan2(rel[:, 1], rel[:, 0]), 2 * np.pi)
        idx = np.argsort(ang, kind="stable")
        return idx if return_index else pts[idx]
    cx = sum(pts[:, 0], Fraction(0)) / k
    cy = sum(pts[:, 1], Fraction(0)) / k
    rel_pts = [(p[0] - cx, p[1] - cy) for p in pts]
    order = sorted(
        range(k),
        key=functools.cmp_to_key(lambda i, j: _exact_less_angle(rel_pts[i], rel_pts[j])),
    )
    return np.array(order, dtype=np.intp) if return_index else pts[order]


def _hull_2d(pts: np.ndarray) -> np.ndarray:
    """Counter-clockwise convex hull of 2-D points (monotone chain; exact for Fractions)."""
    return pts[_ring(pts)].reshape(-1, 2)


def polytope_volume(
    vertices: Any, *, exact: bool = False, inequalities: tuple[Any, Any] | None = None
) -> float | Fraction:
    """Volume of the convex hull of full-dimensional points.

    Parameters
    ----------
    vertices : array-like, shape (k, d)
        Points whose convex hull is full-dimensional (at least ``d + 1`` affinely independent
        points); extra points inside the hull are allowed.
    exact : bool, default False
        Return the exact rational volume (points read as exact rationals).
    inequalities : (a, b), optional
        An H-representation ``{x : a x <= b}`` of the same polytope (``a`` of shape ``(m, d)``),
        used in exact mode instead of reconstructing the facets from the points. The points must
        satisfy it; if they miss vertices of it, the vertices are enumerated exactly from it.
        Float mode only checks its shape.

    Returns
    -------
    float or Fraction
        The ``d``-dimensional volume (length for ``d = 1``, area for ``d = 2``).

    Raises
    ------
    InvalidInputError
        If the points are not full-dimensional, or (exact mode) violate ``inequalities``.

    Notes
    -----
    Float mode: max − min for ``d = 1``, the shoelace formula on the counter-clockwise hull for
    ``d = 2``, Qhull's volume for ``d >= 3``.

    Exact mode decides everything from exact incidences, in every dimension. The facet
    inequalities are the given ``inequalities``, or (without them) the exact hull edges for
    ``d <= 2`` and, for ``d >= 3``, Qhull's facets re-derived as exact hyperplanes through exact
    points and kept only if every point satisfies them exactly. An exact ridge-closure check
    (every facet of every facet lies in exactly two facets, on every face) certifies that no
    facet is missing; if it fails, exact gift wrapping (or, with ``inequalities``, exact vertex
    enumeration) completes the structure. The volume is then the recursive pyramid decomposition
    ``vol(P) = (1/d) Σ height(v0, F) · vol(F)`` over the facets ``F`` not containing a vertex
    ``v0``, with every face measured in a coordinate projection so that heights and volumes stay
    rational (python-flint ``fmpq``). Cost: about one rational operation per face-flag, which is
    small for the polytopes used here (``d <= 6``, tens of facets).

    Examples
    --------
    >>> polytope_volume([[0, 0], [2, 0], [0, 3], [2, 3]])
    6.0
    >>> polytope_volume([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], exact=True)
    Fraction(1, 6)
    >>> polytope_volume([["1/3"], ["-1/2"], [0]], exact=True)
    Fraction(5, 6)
    >>> cube = [[x, y, z] for x in (0, 1) for y in (0, 1) for z in (0, 1)]
    >>> a = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [-1, 0, 0], [0, -1, 0], [0, 0, -1]]
    >>> polytope_volume(cube, exact=True, inequalities=(a, [1, 1, 1, 0, 0, 0]))
    Fraction(1, 1)
    """
    pts = _check_points(vertices, exact)
    k, d = pts.shape
    h_rep = None
    if inequalities is not None:
        try:
            a_in, b_in = inequalities
        except (TypeError, ValueError):
            raise InvalidInputError(
                "inequalities must be a pair (a, b) describing {x : a x <= b}"
            ) from None
        h_rep = _check_h(a_in, b_in, exact)
        if h_rep[0].shape[1] != d:
            raise InvalidInputError(
                f"inequalities have {h_rep[0].shape[1]} columns but the points have dimension {d}"
            )
    if exact:
        points = _unique_points(pts)
        if _rank_of(points) < d:
            raise InvalidInputError(_not_full_dimensional(k, d))
        return fmpq_to_fraction(_exact_polytope(points, h_rep).volume())
    if d == 1:
        if k < 2 or not pts[:, 0].max() > pts[:, 0].min():
            raise InvalidInputError(_not_full_dimensional(k, d))
        return float(pts[:, 0].max() - pts[:, 0].min())
    if d == 2:
        ring = _hull_2d(pts)
        xs, ys = ring[:, 0], ring[:, 1]
        total = (xs * np.roll(ys, -1) - np.roll(xs, -1) * ys).sum() if len(ring) >= 3 else 0
        if not total > 0:
            raise InvalidInputError(_not_full_dimensional(k, d))
        return float(total) / 2.0
    from scipy.spatial import ConvexHull, QhullError

    try:
        hull = ConvexHull(pts)
    except (QhullError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else repr(exc)
        raise InvalidInputError(f"{_not_full_dimensional(k, d)}: {reason}") from None
    return float(hull.volume)


def _not_full_dimensional(k: int, d: int) -> str:
    if d == 1:
        return f"the {k} points are not full-dimensional (a 1-D polytope needs two distinct points)"
    if d == 2:
        return f"the {k} points do not span a full-dimensional polygon (they are collinear)"
    return f"the {k} points do not span a full-dimensional polytope in dimension {d}"


def _violations(points: list[_Point], rows: list[_Row]) -> list[int]:
    """Indices of the points violating some row ``a x <= b`` (exact integer arithmetic)."""
    if not rows:
        return []
    dens = [math.lcm(*(int(v.q) for v in p)) for p in points]
    nums = [[int(v.p) * (den // int(v.q)) for v in p] for p, den in zip(points, dens, strict=True)]
    int_rows = []
    for a, b in rows:
        den = math.lcm(int(to_fmpq(b).q), *(int(to_fmpq(v).q) for v in a))
        int_rows.append(
            (
                [int(to_fmpq(v).p) * (den // int(to_fmpq(v).q)) for v in a],
                int(to_fmpq(b).p) * (den // int(to_fmpq(b).q)),
            )
        )
    bad = []
    for j, (x, x_den) in enumerate(zip(nums, dens, strict=True)):
        for a_int, b_int in int_rows:
            if sum(u * w for u, w in zip(a_int, x, strict=True)) > b_int * x_den:
                bad.append(j)
                break
    return bad


def exact_hull(points: list[_Point]) -> tuple[list[_Point], _ExactPolytope]:
    """The vertices and certified face structure of the hull of full-dimensional exact points.

    ``points`` are distinct tuples of python-flint ``fmpq`` whose affine hull is the whole space
    (dimension ``d >= 1``). Qhull proposes which points are vertices (in dimension 3 and up); the
    exact face structure of the proposed points is certified (ridge closure, see
    :class:`_ExactPolytope`) and every other point is checked exactly against its facets; points
    outside are added and the hull recomputed. The vertices are then the points that are the
    whole intersection of the facets containing them. This is the one exact hull behind
    :func:`polytope_volume` and :class:`neurogeom.polytopes.Polytope`.

    Returns
    -------
    (vertices, structure)
        The vertices (sorted) and an :class:`_ExactPolytope` on exactly those vertices, certified
        (its :meth:`~_ExactPolytope.volume` may be called).

    Examples
    --------
    >>> import flint
    >>> pts = [tuple(flint.fmpq(v) for v in p) for p in [(0, 0), (2, 0), (0, 2), (1, 1), (1, 0)]]
    >>> verts, poly = exact_hull(pts)
    >>> [[int(v) for v in p] for p in verts], poly.volume()
    ([[0, 0], [0, 2], [2, 0]], 2)
    """
    d = len(points[0])
    chosen = list(range(len(points)))
    if d >= 3 and len(points) > d + 1:
        from scipy.spatial import ConvexHull, QhullError

        try:
            floats = np.array([[float(v) for v in p] for p in points])
            proposal = sorted(int(i) for i in ConvexHull(floats).vertices)
            if _rank_of([points[i] for i in proposal]) == d:
                chosen = proposal
        except (QhullError, ValueError):
            pass
    while True:
        subset = [points[i] for i in chosen]
        poly = _exact_polytope(subset, None)
        facets = poly._facets[poly.full] or ()
        rows = [poly.rows[g] for g in facets]
        if len(chosen) == len(points):
            break
        outside_set = set(chosen)
        others = [i for i in range(len(points)) if i not in outside_set]
        bad = _violations([points[i] for i in others], rows)
        if not bad:
            break
        chosen = sorted(set(chosen) | {others[j] for j in bad})
    # a point is a vertex iff the facets containing it meet in it alone
    facets = poly._facets[poly.full] or ()
    keep = []
    for j in range(len(subset)):
        meet = poly.full
        for g in facets:
            if g >> j & 1:
                meet &= g
        if meet == 1 << j:
            keep.append(j)
    verts = sorted(subset[j] for j in keep)
    if len(keep) == len(subset) and verts == subset:
        return verts, poly
    return verts, _exact_polytope(verts, None)


#: The certified face lattice of a full-dimensional exact polytope (see :class:`_ExactPolytope`).
ExactPolytope = _ExactPolytope


def hull_ring(points: Any) -> list[int]:
    """Indices of the hull vertices of 2-D exact points, counter-clockwise (monotone chain).

    Examples
    --------
    >>> hull_ring([(0, 0), (2, 0), (1, 1), (0, 2), (2, 2)])
    [0, 1, 4, 3]
    """
    return _ring(points)


@functools.lru_cache(maxsize=256)
def _subsets(m: int, k: int) -> np.ndarray:
    """Every ``k``-subset of ``range(m)``, one per row, in lexicographic order."""
    out = np.array(list(itertools.combinations(range(m), k)), dtype=np.intp)
    out = out.reshape(math.comb(m, k), k)
    out.flags.writeable = False
    return out


@functools.lru_cache(maxsize=256)
def _triple_pairs(m: int) -> np.ndarray:
    """For each 3-subset ``(i, j, k)`` of ``range(m)`` (rows of ``_subsets(m, 3)``), the
    positions of its pairs ``(j, k)``, ``(i, k)`` and ``(i, j)`` among ``_subsets(m, 2)``."""
    i, j, k = _subsets(m, 3).T

    def position(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return x * (2 * m - x - 1) // 2 + (y - x - 1)

    out = np.stack([position(j, k), position(i, k), position(i, j)], axis=1)
    out.flags.writeable = False
    return out


def _null_directions(
    a: np.ndarray, subsets: np.ndarray, crosses: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """For each ``(d - 1)``-subset of the rows of ``a`` (``d`` columns): the smallest singular
    value of those rows, and a unit direction orthogonal to them.

    Closed forms in 1 to 3 dimensions (a cross product, and the singular values from the
    trace and determinant of the 2 x 2 Gram matrix); a batched SVD otherwise. In 3-D,
    ``crosses`` may give the subsets' cross products, already computed.

    Examples
    --------
    >>> a = np.array([[1.0, 0, 0], [0, 1, 0], [0, 0, 2]])
    >>> sv, t = _null_directions(a, np.array([[0, 1], [1, 2]]))
    >>> sv.round(12).tolist(), np.abs(t).round(12).tolist()
    ([1.0, 1.0], [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    """
    d = a.shape[1]
    if d == 1:
        return np.ones(len(subsets)), np.ones((len(subsets), 1))
    if d == 2:
        rows = a[subsets[:, 0]]
        norms = np.linalg.norm(rows, axis=1)
        return norms, np.stack([-rows[:, 1], rows[:, 0]], axis=1) / np.where(norms > 0, norms, 1)[
            :, None
        ]
    if d == 3:
        p, q = a[subsets[:, 0]], a[subsets[:, 1]]
        cross = _cross(p, q) if crosses is None else crosses
        det = np.einsum("ij,ij->i", cross, cross)  # of the Gram matrix: |p|^2 |q|^2 - (p.q)^2
        trace = np.einsum("ij,ij->i", p, p) + np.einsum("ij,ij->i", q, q)
        top = (trace + np.sqrt(np.maximum(trace * trace - 4 * det, 0.0))) / 2
        norms = np.sqrt(det)
        smallest = norms / np.sqrt(np.where(top > 0, top, 1.0))
        return smallest, cross / np.where(norms > 0, norms, 1.0)[:, None]
    _, sv, vt = np.linalg.svd(a[subsets], full_matrices=True)
    return sv[:, -1], vt[:, -1, :]


def _cross(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Row-wise cross products of two ``(k, 3)`` arrays (``np.cross`` costs ten times more on
    the small arrays here)."""
    out = np.empty((len(p), 3))
    out[:, 0] = p[:, 1] * q[:, 2] - p[:, 2] * q[:, 1]
    out[:, 1] = p[:, 2] * q[:, 0] - p[:, 0] * q[:, 2]
    out[:, 2] = p[:, 0] * q[:, 1] - p[:, 1] * q[:, 0]
    return out


def _solve_subsets(
    a: np.ndarray, b: np.ndarray, subsets: np.ndarray, pair_crosses: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """For each ``d``-subset of the rows: the determinant of those rows and the solution of
    ``a[S] x = b[S]`` (meaningless where the determinant vanishes). Cramer's rule in 1 to 3
    dimensions, batched LU otherwise. In 3-D with ``subsets`` every 3-subset, ``pair_crosses``
    may give the cross products of every pair of rows (``_subsets(m, 2)`` order), already
    computed.

    Examples
    --------
    >>> a = np.array([[1.0, 0], [0, 2], [1, 1]])
    >>> dets, x = _solve_subsets(a, np.array([1.0, 2, 3]), np.array([[0, 1], [1, 2]]))
    >>> dets.tolist(), x.tolist()
    ([2.0, -2.0], [[1.0, 1.0], [2.0, 1.0]])
    """
    d = a.shape[1]
    mats, rhs = a[subsets], b[subsets]
    if d == 1:
        dets = mats[:, 0, 0]
        return dets, (rhs / np.where(dets != 0, dets, 1.0)[:, None])
    if d == 2:
        dets = mats[:, 0, 0] * mats[:, 1, 1] - mats[:, 0, 1] * mats[:, 1, 0]
        x = rhs[:, 0] * mats[:, 1, 1] - rhs[:, 1] * mats[:, 0, 1]
        y = mats[:, 0, 0] * rhs[:, 1] - mats[:, 1, 0] * rhs[:, 0]
        return dets, np.stack([x, y], axis=1) / np.where(dets != 0, dets, 1.0)[:, None]
    if d == 3:
        p, q, r = mats[:, 0], mats[:, 1], mats[:, 2]
        if pair_crosses is None:
            qr, rp, pq = _cross(q, r), _cross(r, p), _cross(p, q)
        else:
            at = _triple_pairs(len(a))
            qr, rp, pq = pair_crosses[at[:, 0]], -pair_crosses[at[:, 1]], pair_crosses[at[:, 2]]
        dets = np.einsum("ij,ij->i", p, qr)
        sums = rhs[:, :1] * qr + rhs[:, 1:2] * rp + rhs[:, 2:] * pq
        return dets, sums / np.where(dets != 0, dets, 1.0)[:, None]
    dets = np.linalg.det(mats)
    safe = np.where(np.abs(dets) > 0, 1.0, 0.0)[:, None, None]
    fixed = mats * safe + np.eye(d) * (1 - safe)  # singular subsets replaced by the identity
    return dets, np.linalg.solve(fixed, rhs[:, :, None])[:, :, 0]


def exact_row_vertices(a: Any, b: Any) -> list[_Point]:
    """Every vertex of ``{x : a x <= b}`` (bounded or not, any dimension), exactly, by solving
    every ``d``-subset of rows; :class:`InvalidInputError` if there is none (empty).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> a = np.array([[F(-1), F(0)], [F(0), F(-1)], [F(1), F(1)]], dtype=object)
    >>> b = np.array([F(0), F(0), F(1)], dtype=object)
    >>> sorted(tuple(int(v) for v in p) for p in exact_row_vertices(a, b))
    [(0, 0), (0, 1), (1, 0)]
    """
    return _brute_force_vertices(_ExactRows(a, b))


#: ``few_row_vertices``: subsets of unit rows with ``|det|`` at least this are solved (the
#: vertex then carries an error below ``1e-12`` of the data's scale) ...
_CLEAR_DET = 1e-4
#: ... and subsets with ``|det|`` at most this are dependent rows; in between, nothing is said.
_DEPENDENT_DET = 1e-14


#: Slope below which an affine function is not known to rise or fall along an extreme ray of
#: :func:`few_row_skeleton`: a found unit ray lies within about ``1e-8`` of a true one (its rows
#: are clearly independent), so a slope beyond this has the true ray's sign.
_RAY_SLOPE = 1e-6


@dataclass(frozen=True, slots=True)
class Reach:
    """How far affine functions ``u_j x + v_j`` go over a :class:`RowSkeleton`'s polyhedron.

    ``low`` and ``high`` are values each function surely reaches there (``-inf``/``inf`` when
    it surely falls or rises without bound); ``lower_bound`` and ``upper_bound`` are bounds it
    surely stays within. They differ only where a slope along a ray is too small to sign.
    """

    low: np.ndarray
    high: np.ndarray
    lower_bound: np.ndarray
    upper_bound: np.ndarray


@dataclass(frozen=True, slots=True)
class RowSkeleton:
    """Float vertices and unit extreme rays of a pointed polyhedron ``{x : a x <= b}`` (made by
    :func:`few_row_skeleton`): the polyhedron is the hull of the vertices plus the cone of the
    rays (none when it is bounded).

    Examples
    --------
    The quadrant ``x, y >= 0`` has one vertex and two rays; ``x - y`` reaches both signs:

    >>> sk = few_row_skeleton(-np.eye(2), np.zeros(2), 1e-12)
    >>> sk.vertices.tolist(), sorted(sk.rays.round(12).tolist()), sk.bounded
    ([[0.0, 0.0]], [[0.0, 1.0], [1.0, 0.0]], False)
    >>> r = sk.reach(np.array([[1.0, -1.0], [1.0, 1.0]]), np.zeros(2))
    >>> r.low.tolist(), r.high.tolist(), r.lower_bound.tolist()
    ([-inf, 0.0], [inf, inf], [-inf, 0.0])
    """

    vertices: np.ndarray
    rays: np.ndarray

    @property
    def bounded(self) -> bool:
        """Whether the polyhedron is a polytope (no ray)."""
        return len(self.rays) == 0

    def reach(self, u: np.ndarray, v: np.ndarray) -> Reach:
        """The :class:`Reach` of the functions ``u[j] x + v[j]`` (rows of ``u``)."""
        values = u @ self.vertices.T + v[:, None]
        low, high = values.min(axis=1), values.max(axis=1)
        if self.bounded:
            return Reach(low, high, low, high)
        slopes = u @ self.rays.T
        inf = np.inf
        return Reach(
            np.where((slopes < -_RAY_SLOPE).any(axis=1), -inf, low),
            np.where((slopes > _RAY_SLOPE).any(axis=1), inf, high),
            np.where((slopes < _RAY_SLOPE).any(axis=1), -inf, low),
            np.where((slopes > -_RAY_SLOPE).any(axis=1), inf, high),
        )


def few_row_skeleton(
    a: np.ndarray, b: np.ndarray, slack: float, *, max_subsets: int = 4096
) -> RowSkeleton | None:
    """Float vertices and extreme rays of ``{x : a x <= b}`` with unit rows ``a``, by solving
    every ``d``-row subset and every ``(d - 1)``-row null direction: for a handful of rows in
    low dimension this is cheaper than LPs.

    Returns ``None`` — decide another way — when the polyhedron is empty or has no vertex
    (its rows do not span the space), when there are more than ``max_subsets`` subsets, or
    when a subset is neither clearly independent nor clearly dependent (a vertex or ray could
    be inaccurate or missed). A point violating a row by at most ``slack`` counts as feasible,
    so near-vertices are kept (the list can only be larger than the true one, never miss a
    vertex).

    Rays: the recession cone ``{t : a t <= 0}`` of a pointed polyhedron is generated by its
    extreme rays, each on ``d - 1`` independent rows, so each ``(d - 1)``-subset's null
    direction is tried both ways.
    """
    m, d = a.shape
    if d == 0 or m < d or math.comb(m, d) > max_subsets:
        return None
    pairs = _subsets(m, d - 1)
    crosses = _cross(a[pairs[:, 0]], a[pairs[:, 1]]) if d == 3 else None
    smallest, heads = _null_directions(a, pairs, crosses)
    if np.any((smallest > _DEPENDENT_DET) & (smallest < _CLEAR_DET)):
        return None
    heads = heads[smallest >= _CLEAR_DET]
    along = a @ heads.T
    tiny = 1e-12
    rays = np.concatenate(
        [heads[(along <= tiny).all(axis=0)], -heads[(along >= -tiny).all(axis=0)]]
    )
    subsets = _subsets(m, d)
    dets, points = _solve_subsets(a, b, subsets, crosses)
    dets = np.abs(dets)
    if np.any((dets > _DEPENDENT_DET) & (dets < _CLEAR_DET)):
        return None
    points = points[dets >= _CLEAR_DET]
    points = points[(points @ a.T <= b + slack).all(axis=1)]
    return RowSkeleton(points, rays) if len(points) else None


def few_row_vertices(
    a: np.ndarray, b: np.ndarray, slack: float, *, max_subsets: int = 4096
) -> np.ndarray | None:
    """Float vertices of a bounded ``{x : a x <= b}`` with unit rows ``a``
    (:func:`few_row_skeleton`); ``None`` also when the polyhedron is unbounded.

    Examples
    --------
    The unit square, and a half-plane (unbounded):

    >>> a = np.array([[1.0, 0], [0, 1], [-1, 0], [0, -1]])
    >>> few_row_vertices(a, np.array([1.0, 1, 0, 0]), 1e-12).round(12).tolist()
    [[1.0, 1.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
    >>> few_row_vertices(a[:1], np.array([1.0]), 1e-12) is None
    True
    """
    sk = few_row_skeleton(a, b, slack, max_subsets=max_subsets)
    return sk.vertices if sk is not None and sk.bounded else None
