"""Small polytope kernels: vertices, volumes and polygon order, in float64 or exact rationals.

Polytopes here are small (dimension up to about 6, tens of facets) and bounded. Two
representations are used:

- H-representation ``{x : a x <= b}`` with ``a`` of shape ``(m, d)`` and ``b`` of shape ``(m,)``;
- V-representation: an array of shape ``(k, d)`` holding the vertices, one per row.

Arrays are float64 in float mode and NumPy object arrays of :class:`fractions.Fraction` in exact
mode (``exact=True``). Exact answers take their *combinatorics* from a floating-point computation
(SciPy's Qhull) and their *numbers* from exact rational arithmetic (python-flint), and are checked
exactly where a check is cheap.
"""

from __future__ import annotations

import functools
import itertools
import math
from fractions import Fraction
from typing import Any

import flint
import numpy as np
from scipy.optimize import linprog
from scipy.spatial import ConvexHull, HalfspaceIntersection, QhullError

from neurogeom.core.errors import InvalidInputError, NumericalError
from neurogeom.core.rationals import as_fraction_array, fractions_to_float, to_fmpq_mat

__all__ = ["order_polygon", "polytope_vertices", "polytope_volume"]

#: Largest number of d-row subsets the exact brute-force vertex enumeration will try.
_MAX_BRUTE_FORCE = 20_000


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


def _chebyshev_center(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, float]:
    """Centre and radius of the largest ball in ``{x : a x <= b}`` (rows of ``a`` nonzero)."""
    d = a.shape[1]
    norms = np.linalg.norm(a, axis=1)
    c = np.zeros(d + 1)
    c[-1] = -1.0
    res = linprog(
        c,
        A_ub=np.hstack([a, norms[:, None]]),
        b_ub=b,
        bounds=[(None, None)] * d + [(0, None)],
        method="highs",
    )
    if res.status == 2:
        raise InvalidInputError(_empty_message(d))
    if res.status == 3:
        raise InvalidInputError(_UNBOUNDED)
    if res.status != 0:
        raise NumericalError(f"the Chebyshev-centre LP failed ({res.message}); try exact=True")
    return res.x[:d], float(res.x[-1])


def _is_bounded(a: np.ndarray) -> bool:
    """Whether a nonempty ``{x : a x <= b}`` is bounded: the rows of ``a`` positively span R^d.

    Uses: ``cone(rows) = R^d`` iff ``rank a = d`` and ``a^T lam = 0`` for some ``lam >= 1``.
    """
    m, d = a.shape
    if m <= d or np.linalg.matrix_rank(a) < d:
        return False
    scaled = a / np.linalg.norm(a, axis=1)[:, None]
    res = linprog(
        np.zeros(m), A_eq=scaled.T, b_eq=np.zeros(d), bounds=[(1, None)] * m, method="highs"
    )
    return res.status == 0


def _to_fmpq(q: Fraction) -> flint.fmpq:
    return flint.fmpq(q.numerator, q.denominator)


def _exact_vertex(a_q: np.ndarray, b_q: np.ndarray, rows: list[int]) -> np.ndarray | None:
    """Solve ``a_q[rows] x = b_q[rows]`` exactly; ``None`` if the rows are dependent."""
    mat = to_fmpq_mat(a_q[rows])
    if mat.rank() < len(rows):
        return None
    sol = mat.solve(to_fmpq_mat(b_q[rows]))
    return np.array([Fraction(int(v.p), int(v.q)) for v in sol.entries()], dtype=object)


def _feasible(a_q: np.ndarray, b_q: np.ndarray, x: np.ndarray) -> bool:
    return bool(np.all(a_q.dot(x) <= b_q))


def _brute_force_vertices(a_q: np.ndarray, b_q: np.ndarray) -> np.ndarray:
    """All vertices of ``{x : a x <= b}`` by solving every d-subset of rows exactly."""
    m, d = a_q.shape
    n_subsets = math.comb(m, d)
    if n_subsets > _MAX_BRUTE_FORCE:
        raise NumericalError(
            f"the floating-point vertex enumeration could not be certified and the exact "
            f"fallback would solve {n_subsets} systems; remove redundant rows or rescale the data"
        )
    found: dict[tuple[Fraction, ...], np.ndarray] = {}
    for rows in itertools.combinations(range(m), d):
        x = _exact_vertex(a_q, b_q, list(rows))
        if x is not None and _feasible(a_q, b_q, x):
            found.setdefault(tuple(x), x)
    if not found:
        raise InvalidInputError(_empty_message(d))
    return np.array(list(found.values()), dtype=object)


def _affine_rank(points: np.ndarray) -> int:
    if len(points) == 0:
        return -1
    diffs = points[1:] - points[0]
    return int(to_fmpq_mat(diffs).rank()) if len(diffs) else 0


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
    against every row exactly, and certifies that no vertex is missing (every facet of the hull
    of the vertices found lies in a constraint hyperplane); if any check fails it falls back to
    solving every ``d``-subset of rows exactly. Boundedness is decided by a floating-point linear
    program (the rows must positively span ``R^d``) in both modes.

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
    if len(a_f) == 0 or not _is_bounded(a_f):
        # An empty set is reported as empty rather than unbounded.
        if len(a_f):
            _chebyshev_center(a_f, b_f)
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
        center, radius = _chebyshev_center(an, bn)
        size = max(float(np.abs(center).max()), radius)
        if not radius > tol * size:
            if exact:
                verts = _brute_force_vertices(a_arr, b_arr)
                if _affine_rank(verts) < d:
                    raise InvalidInputError(_empty_message(d))
                return _sort_rows(verts)
            raise InvalidInputError(_empty_message(d))
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            hs = HalfspaceIntersection(np.hstack([an, -bn[:, None]]), center)
        pts = hs.intersections
        if not np.isfinite(pts).all():
            raise QhullError("the polytope is too thin for floating point")
    except QhullError as exc:
        if exact:
            return _sort_rows(_brute_force_vertices(a_arr, b_arr))
        raise NumericalError(
            f"Qhull could not intersect the halfspaces ({exc}); try exact=True"
        ) from None
    extent = max(float(np.abs(pts).max()), 1e-300)
    pts = _dedup_float(pts, tol * extent)
    if not exact:
        return pts[np.lexsort(pts.T[::-1])]
    # Exact: certify each float vertex.
    found: dict[tuple[Fraction, ...], np.ndarray] = {}
    tight_tol = max(1e-6, 1e3 * tol) * extent
    for v in pts:
        slack = bn - an @ v
        candidates = [int(i) for i in np.argsort(slack) if slack[i] <= tight_tol]
        rows: list[int] = []
        for i in candidates:
            trial = [*rows, i]
            if to_fmpq_mat(a_arr[trial]).rank() == len(trial):
                rows = trial
                if len(rows) == d:
                    break
        x = _exact_vertex(a_arr, b_arr, rows) if len(rows) == d else None
        if x is None or not _feasible(a_arr, b_arr, x):
            return _sort_rows(_brute_force_vertices(a_arr, b_arr))
        found.setdefault(tuple(x), x)
    verts = np.array(list(found.values()), dtype=object)
    if _affine_rank(verts) < d or not _certify_complete(a_arr, b_arr, verts):
        # floats merged vertices of a very thin polytope: enumerate exactly
        verts = _brute_force_vertices(a_arr, b_arr)
        if _affine_rank(verts) < d:
            raise InvalidInputError(_empty_message(d))
        return _sort_rows(verts)
    if not _certify_complete(a_arr, b_arr, verts):
        return _sort_rows(_brute_force_vertices(a_arr, b_arr))
    return _sort_rows(verts)


def _certify_complete(a_q: np.ndarray, b_q: np.ndarray, verts: np.ndarray) -> bool:
    """Whether ``conv(verts)`` is all of ``{x : a x <= b}`` (given that the points are feasible).

    True when every facet of the hull of ``verts`` lies in a hyperplane ``a_i x = b_i``: then the
    hull is an intersection of the polytope's own halfspaces, so it contains the polytope. The
    facets come from an exact monotone chain in 2-D and from Qhull on floats otherwise (a wrong
    float hull only makes this return False).
    """
    d = verts.shape[1]
    tight = np.array([[ai.dot(v) == bi for ai, bi in zip(a_q, b_q, strict=True)] for v in verts])
    if d == 2:
        ring = _hull_2d(verts)
        if len(ring) != len(verts):
            return False
        index = {tuple(v): i for i, v in enumerate(verts)}
        order = [index[tuple(v)] for v in ring]
        facets = [[order[i], order[(i + 1) % len(order)]] for i in range(len(order))]
    else:
        try:
            facets = ConvexHull(fractions_to_float(verts)).simplices.tolist()
        except (QhullError, ValueError):
            return False
    return all(bool(tight[facet].all(axis=0).any()) for facet in facets)


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
    order = sorted(range(len(pts)), key=lambda i: (pts[i, 0], pts[i, 1]))
    p = [pts[i] for i in order]

    def cross(o: np.ndarray, u: np.ndarray, v: np.ndarray) -> Any:
        return (u[0] - o[0]) * (v[1] - o[1]) - (u[1] - o[1]) * (v[0] - o[0])

    lower: list[np.ndarray] = []
    for q in p:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], q) <= 0:
            lower.pop()
        lower.append(q)
    upper: list[np.ndarray] = []
    for q in reversed(p):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], q) <= 0:
            upper.pop()
        upper.append(q)
    ring = lower[:-1] + upper[:-1]
    return np.array(ring, dtype=pts.dtype).reshape(len(ring), 2)


def polytope_volume(vertices: Any, *, exact: bool = False) -> float | Fraction:
    """Volume of the convex hull of full-dimensional points.

    Parameters
    ----------
    vertices : array-like, shape (k, d)
        Points whose convex hull is full-dimensional (at least ``d + 1`` affinely independent
        points); extra points inside the hull are allowed.
    exact : bool, default False
        Return the exact rational volume (points read as exact rationals).

    Returns
    -------
    float or Fraction
        The ``d``-dimensional volume (length for ``d = 1``, area for ``d = 2``).

    Raises
    ------
    InvalidInputError
        If the points are not full-dimensional.
    NumericalError
        In exact mode for ``d >= 3``, if the exact sum disagrees with Qhull's float volume by more
        than a relative 1e-6 (the float hull's combinatorics were wrong).

    Notes
    -----
    ``d = 1``: max − min. ``d = 2``: the shoelace formula on the counter-clockwise hull (monotone
    chain, exact comparisons in exact mode). ``d >= 3``: Qhull's triangulated boundary (computed
    on floats) is coned from the vertex centroid and the volumes ``|det| / d!`` of the cones are
    summed, exactly with python-flint determinants in exact mode. The exact mode thus trusts the
    float hull's combinatorics, which are right unless some points are within rounding of a
    degenerate position; for ``d <= 2`` it is exact throughout.

    Examples
    --------
    >>> polytope_volume([[0, 0], [2, 0], [0, 3], [2, 3]])
    6.0
    >>> polytope_volume([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], exact=True)
    Fraction(1, 6)
    >>> polytope_volume([["1/3"], ["-1/2"], [0]], exact=True)
    Fraction(5, 6)
    """
    pts = _check_points(vertices, exact)
    k, d = pts.shape
    if d == 1:
        if k < 2:
            raise InvalidInputError("a 1-D polytope needs at least two distinct points")
        lo, hi = min(pts[:, 0]), max(pts[:, 0])
        if not hi > lo:
            raise InvalidInputError("the points are not full-dimensional (all equal)")
        return hi - lo
    if d == 2:
        ring = _hull_2d(pts)
        xs, ys = ring[:, 0], ring[:, 1]
        total = (xs * np.roll(ys, -1) - np.roll(xs, -1) * ys).sum() if len(ring) >= 3 else 0
        if not total > 0:
            raise InvalidInputError(
                f"the {k} points do not span a full-dimensional polygon (they are collinear)"
            )
        return total / 2 if exact else float(total) / 2.0
    if exact and _affine_rank(pts) < d:
        raise InvalidInputError(
            f"the {k} points do not span a full-dimensional polytope in dimension {d}"
        )
    try:
        hull = ConvexHull(fractions_to_float(pts) if exact else pts)
    except (QhullError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else repr(exc)
        if exact:
            raise NumericalError(
                f"Qhull could not triangulate the {k} points (too close to degenerate): {reason}"
            ) from None
        raise InvalidInputError(
            f"the {k} points do not span a full-dimensional polytope in dimension {d}: {reason}"
        ) from None
    if not exact:
        return float(hull.volume)
    used = np.unique(hull.simplices)
    g = [sum(pts[used, j], Fraction(0)) / len(used) for j in range(d)]
    q = np.vectorize(_to_fmpq, otypes=[object])(pts - np.array(g, dtype=object))
    total = flint.fmpq(0)
    for simplex in hull.simplices:
        det = flint.fmpq_mat(d, d, list(q[simplex].ravel())).det()
        total += det if det >= 0 else -det
    vol = Fraction(int(total.p), int(total.q)) / math.factorial(d)
    if abs(float(vol) - hull.volume) > 1e-6 * max(hull.volume, 1e-300):
        raise NumericalError(
            f"exact volume {float(vol)!r} disagrees with the float hull volume {hull.volume!r}; "
            "the points are too close to a degenerate position"
        )
    return vol
