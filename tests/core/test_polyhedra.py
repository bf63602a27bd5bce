"""Tests of the small polytope kernels in :mod:`neurogeom.core.polyhedra`."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
import scipy.spatial
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.spatial import ConvexHull, Delaunay

from neurogeom.core import polyhedra
from neurogeom.core.errors import InvalidInputError
from neurogeom.core.polyhedra import order_polygon, polytope_vertices, polytope_volume
from neurogeom.core.rationals import as_fraction_array, exact_nullspace

MODES = [pytest.param(False, id="float"), pytest.param(True, id="exact")]


def box_h(lo, hi):
    d = len(lo)
    a = np.vstack([np.eye(d, dtype=int), -np.eye(d, dtype=int)])
    b = [*hi, *(-x for x in lo)]
    return a, b


def simplex_h(d, scale=1):
    a = np.vstack([-np.eye(d, dtype=int), np.ones((1, d), dtype=int)])
    return a, [0] * d + [scale]


def as_set(vertices):
    return {tuple(Fraction(x) for x in row) for row in vertices}


@pytest.mark.parametrize("exact", MODES)
@pytest.mark.parametrize("d", [1, 2, 3, 4, 5])
def test_boxes(d, exact):
    lo = [-1, 0, "1/2", -3, 2][:d]
    hi = [2, "1/3", 1, 1, 5][:d]
    a, b = box_h([Fraction(x) for x in lo], [Fraction(x) for x in hi])
    verts = polytope_vertices(a, b, exact=exact)
    assert len(verts) == 2**d
    expected_corners = {
        tuple(c) for c in itertools.product(*zip(map(Fraction, lo), map(Fraction, hi), strict=True))
    }
    if exact:
        assert as_set(verts) == expected_corners
    vol = polytope_volume(verts, exact=exact)
    expected = math.prod(Fraction(h) - Fraction(l) for l, h in zip(lo, hi, strict=True))
    if exact:
        assert vol == expected
    else:
        assert vol == pytest.approx(float(expected), rel=1e-12)


@pytest.mark.parametrize("exact", MODES)
@pytest.mark.parametrize("d", [2, 3, 4, 5, 6])
def test_simplices(d, exact):
    a, b = simplex_h(d, scale=3)
    verts = polytope_vertices(a, b, exact=exact)
    assert len(verts) == d + 1
    vol = polytope_volume(verts, exact=exact)
    expected = Fraction(3**d, math.factorial(d))
    assert vol == expected if exact else vol == pytest.approx(float(expected), rel=1e-12)


def test_degenerate_vertex_and_redundant_rows():
    # A square pyramid: four facets meet at the apex; plus a duplicate and a redundant row.
    a = [[0, 0, -1], [1, 0, 1], [-1, 0, 1], [0, 1, 1], [0, -1, 1], [1, 0, 1], [0, 0, 1]]
    b = [0, 1, 1, 1, 1, 1, 5]
    for exact in (False, True):
        verts = polytope_vertices(a, b, exact=exact)
        assert len(verts) == 5
        assert polytope_volume(verts, exact=exact) == pytest.approx(Fraction(4, 3))
    assert as_set(polytope_vertices(a, b, exact=True)) == {
        (1, 1, 0),
        (1, -1, 0),
        (-1, 1, 0),
        (-1, -1, 0),
        (0, 0, 1),
    }


def test_exact_thin_polytope_falls_back_to_exact_enumeration():
    eps = Fraction(1, 10**30)
    a, b = box_h([Fraction(0), Fraction(0)], [Fraction(1), eps])
    verts = polytope_vertices(a, b, exact=True)
    assert as_set(verts) == {(0, 0), (1, 0), (0, eps), (1, eps)}
    assert polytope_volume(verts, exact=True) == eps
    with pytest.raises(InvalidInputError, match="empty or not full-dimensional"):
        polytope_vertices(a, b)


def test_exact_vertices_closer_than_float_tolerance_are_all_found():
    # a triangle with its corner (1, 0) cut off by a facet of length ~1e-14
    e = Fraction(1, 10**14)
    a, b = [[-1, 0], [0, -1], [1, 1], [1, 0]], [0, 0, 1, 1 - e]
    assert as_set(polytope_vertices(a, b, exact=True)) == {(0, 0), (0, 1), (1 - e, 0), (1 - e, e)}
    assert len(polytope_vertices(a, b)) == 3  # float mode merges the two within tol


def test_interior_point_option():
    a, b = box_h([0, 0], [1, 1])
    verts = polytope_vertices(a, b, interior_point=[0.25, 0.5])
    assert len(verts) == 4
    # a point on the boundary is replaced by the Chebyshev centre
    assert polytope_vertices(a, b, interior_point=[1.0, 0.5]).tolist() == verts.tolist()
    exact_verts = polytope_vertices(a, b, interior_point=[Fraction(1, 3), 0], exact=True)
    assert as_set(exact_verts) == {(0, 0), (0, 1), (1, 0), (1, 1)}
    with pytest.raises(InvalidInputError, match="shape"):
        polytope_vertices(a, b, interior_point=[0.5])


@pytest.mark.parametrize("exact", MODES)
@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        ([[1, 0], [-1, 0], [0, 1], [0, -1]], [1, -2, 1, 1], "empty"),
        ([[1, 0], [-1, 0], [0, 1], [0, -1]], [1, 1, 0, 0], "not full-dimensional"),
        ([[1, 0], [-1, 0]], [1, 1], "unbounded"),
        ([[1, 1], [-1, -1], [1, 0]], [1, 1, 1], "unbounded"),
        ([[0, 0], [1, 0], [-1, 0], [0, 1], [0, -1]], [-1, 1, 1, 1, 1], "empty"),
        ([[1], [2]], [1, 1], "unbounded"),
        ([[1], [-1]], [1, -1], "empty"),
        ([[1, 0]], [1, 2], "shape"),
    ],
)
def test_vertex_errors(a, b, message, exact):
    with pytest.raises(InvalidInputError, match=message):
        polytope_vertices(a, b, exact=exact)


def test_volume_errors():
    with pytest.raises(InvalidInputError, match="collinear"):
        polytope_volume([[0, 0], [1, 1], [2, 2]], exact=True)
    with pytest.raises(InvalidInputError, match="full-dimensional"):
        polytope_volume([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]], exact=True)
    with pytest.raises(InvalidInputError, match="full-dimensional"):
        polytope_volume([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]])
    with pytest.raises(InvalidInputError):
        polytope_volume([[1.0]])


def test_volume_ignores_interior_and_repeated_points():
    pts = [[0, 0], [2, 0], [0, 2], [2, 2], [1, 1], [1, 0], [0, 0]]
    assert polytope_volume(pts, exact=True) == 4
    assert polytope_volume(pts) == pytest.approx(4.0)
    cube = [list(c) for c in itertools.product([0, 1], repeat=3)] + [["1/2", "1/2", "1/2"]]
    assert polytope_volume(cube, exact=True) == 1


@st.composite
def random_polytopes(draw):
    """A box cut by a few random integer halfspaces through points near its centre."""
    d = draw(st.integers(2, 4))
    a, b = box_h([-2] * d, [2] * d)
    rows, rhs = [list(r) for r in a], list(b)
    for _ in range(draw(st.integers(0, 5))):
        normal = [draw(st.integers(-3, 3)) for _ in range(d)]
        if not any(normal):
            continue
        rows.append(normal)
        rhs.append(draw(st.integers(1, 4)))  # keeps the origin strictly inside
    return np.array(rows), np.array(rhs)


@given(random_polytopes())
def test_float_exact_and_scipy_agree(poly):
    a, b = poly
    exact_verts = polytope_vertices(a, b, exact=True)
    float_verts = polytope_vertices(a, b)
    assert len(exact_verts) == len(float_verts)
    ef = np.array(exact_verts, dtype=float)
    for v in float_verts:
        assert np.abs(ef - v).max(axis=1).min() < 1e-9
    # exact vertices satisfy the inequalities exactly; each has d independent tight rows
    d = a.shape[1]
    for v in exact_verts:
        slack = [
            Fraction(int(bi)) - sum(int(x) * y for x, y in zip(row, v, strict=True))
            for row, bi in zip(a, b, strict=True)
        ]
        assert min(slack) >= 0
        tight = a[[i for i, s in enumerate(slack) if s == 0]]
        assert np.linalg.matrix_rank(tight) == d
    vol = polytope_volume(exact_verts, exact=True)
    assert float(vol) == pytest.approx(polytope_volume(float_verts), rel=1e-9)
    assert float(vol) == pytest.approx(ConvexHull(ef).volume, rel=1e-9)
    tri = Delaunay(ef)
    dets = [abs(np.linalg.det(ef[s[1:]] - ef[s[0]])) for s in tri.simplices]
    assert float(vol) == pytest.approx(sum(dets) / math.factorial(d), rel=1e-9)


def _regular_polygon(k, exact):
    # rational points on the unit circle: ((1 - t^2) / (1 + t^2), 2t / (1 + t^2))
    ts = [Fraction(i, k) * 3 - Fraction(3, 2) for i in range(k)]
    pts = [((1 - t * t) / (1 + t * t), 2 * t / (1 + t * t)) for t in ts]
    arr = np.array(pts, dtype=object)
    return arr if exact else arr.astype(float)


@pytest.mark.parametrize("exact", MODES)
def test_order_polygon_is_counter_clockwise(exact):
    pts = _regular_polygon(9, exact)
    rng = np.random.default_rng(0)
    shuffled = pts[rng.permutation(len(pts))]
    ring = order_polygon(shuffled)
    assert ring.dtype == shuffled.dtype
    k = len(ring)
    for i in range(k):
        p, q, r = ring[i], ring[(i + 1) % k], ring[(i + 2) % k]
        cross = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
        assert cross > 0
    idx = order_polygon(shuffled, return_index=True)
    assert np.all(shuffled[idx] == ring)


def test_order_polygon_exact_matches_float():
    ex = _regular_polygon(12, True)
    fl = ex.astype(float)
    rng = np.random.default_rng(1)
    perm = rng.permutation(12)
    assert (
        order_polygon(ex[perm], return_index=True).tolist()
        == order_polygon(fl[perm], return_index=True).tolist()
    )
    with pytest.raises(InvalidInputError, match="2-D"):
        order_polygon([[0, 0, 0], [1, 0, 0], [0, 1, 0]])


# -- exact volumes decided by exact incidences ---------------------------------------------------
def cross_polytope_h(d, r=1):
    a = np.array(list(itertools.product([1, -1], repeat=d)))
    return a, [r] * len(a)


def cross_polytope_v(d, r=1):
    return [[s * r if j == i else 0 for j in range(d)] for i in range(d) for s in (1, -1)]


def simplex_v(d, scale=1):
    return [[0] * d] + [[scale if j == i else 0 for j in range(d)] for i in range(d)]


def product_v(p, q):
    return [list(x) + list(y) for x in p for y in q]


def product_h(h1, h2):
    (a1, b1), (a2, b2) = h1, h2
    a1, a2 = np.asarray(a1), np.asarray(a2)
    top = np.hstack([a1, np.zeros((len(a1), a2.shape[1]), dtype=int)])
    bottom = np.hstack([np.zeros((len(a2), a1.shape[1]), dtype=int), a2])
    return np.vstack([top, bottom]), [*b1, *b2]


def _known_polytopes():
    """(name, vertices, (a, b), exact volume) in dimensions 1 to 6."""
    cases = []
    for d in range(1, 7):
        lo = [Fraction(-1, 2)] * d
        hi = [Fraction(j + 1, 3) for j in range(d)]
        box = [list(c) for c in itertools.product(*zip(lo, hi, strict=True))]
        box_vol = math.prod(h - l for l, h in zip(lo, hi, strict=True))
        cases.append((f"box{d}", box, box_h(lo, hi), box_vol))
        cases.append(
            (
                f"cross{d}",
                cross_polytope_v(d, 2),
                cross_polytope_h(d, 2),
                Fraction(4**d, math.factorial(d)),
            )
        )
        cases.append(
            (f"simplex{d}", simplex_v(d, 3), simplex_h(d, 3), Fraction(3**d, math.factorial(d)))
        )
    for p, q in [(2, 2), (2, 3), (3, 3), (1, 4)]:
        verts = product_v(simplex_v(p, 2), cross_polytope_v(q))
        h_rep = product_h(simplex_h(p, 2), cross_polytope_h(q))
        vol = Fraction(2**p, math.factorial(p)) * Fraction(2**q, math.factorial(q))
        cases.append((f"simplex{p}xcross{q}", verts, h_rep, vol))
    return cases


KNOWN = _known_polytopes()


@pytest.mark.parametrize(("name", "verts", "h_rep", "volume"), KNOWN, ids=[c[0] for c in KNOWN])
def test_exact_volumes_of_known_polytopes(name, verts, h_rep, volume):
    assert polytope_volume(verts, exact=True) == volume
    assert polytope_volume(verts, exact=True, inequalities=h_rep) == volume
    assert polytope_vertices(*h_rep, exact=True).shape[0] == len(verts)
    assert polytope_volume(verts) == pytest.approx(float(volume), rel=1e-9)


@pytest.mark.parametrize(
    ("name", "verts", "h_rep", "volume"), KNOWN[:12], ids=[c[0] for c in KNOWN[:12]]
)
@pytest.mark.parametrize("seeds", ["none", "some"])
def test_exact_gift_wrapping_completes_missing_facets(
    name, verts, h_rep, volume, seeds, monkeypatch
):
    # the float hull proposes no facet, or only every other one: exact wrapping finds the rest
    real = polyhedra._qhull_facet_rows
    monkeypatch.setattr(
        polyhedra, "_qhull_facet_rows", lambda pts: [] if seeds == "none" else real(pts)[::2]
    )
    assert polytope_volume(verts, exact=True) == volume


@pytest.mark.parametrize("d", [3, 4, 5])
@pytest.mark.parametrize("eps", [Fraction(1, 10**12), Fraction(1, 10**18), Fraction(1, 10**40)])
def test_exact_volume_of_a_nearly_flat_corner(d, eps):
    # a unit cube with one corner raised by eps: the top facet breaks into two triangles' worth
    # of facets that floats see as one; the exact volume is 1 + eps * E[min(x_1..x_{d-1})]
    pts = [[Fraction(x) for x in c] for c in itertools.product([0, 1], repeat=d)]
    pts[-1][-1] += eps
    assert polytope_volume(pts, exact=True) == 1 + eps / d


def test_exact_volume_of_a_corner_cut_by_a_tiny_facet():
    eps = Fraction(1, 10**30)
    a, b = box_h([0, 0, 0], [1, 1, 1])
    a, b = np.vstack([a, [[1, 1, 1]]]), [*b, 3 - eps]
    verts = polytope_vertices(a, b, exact=True)
    assert len(verts) == 10
    expected = 1 - eps**3 / 6
    assert polytope_volume(verts, exact=True) == expected
    assert polytope_volume(verts, exact=True, inequalities=(a, b)) == expected
    # missing vertices are detected exactly and enumerated from the inequalities
    assert polytope_volume(verts[:-1], exact=True, inequalities=(a, b)) == expected
    rows = polyhedra._ExactRows(as_fraction_array(a), as_fraction_array(b))
    points = polyhedra._unique_points(verts)
    assert polyhedra._complete(points, rows)
    assert not polyhedra._complete(points[1:], rows)


def test_exact_vertices_merged_by_floats_are_recovered_without_brute_force(monkeypatch):
    # floats merge the three vertices of a 1e-30 corner cut into one; the rows nearly tight
    # there are enough to solve for all three exactly
    def no_brute_force(*args):
        raise AssertionError("fell back to solving every d-subset of rows")

    monkeypatch.setattr(polyhedra, "_brute_force_vertices", no_brute_force)
    eps = Fraction(1, 10**30)
    for d in (3, 4):
        a, b = box_h([0] * d, [1] * d)
        a, b = np.vstack([a, [[1] * d]]), [*b, d - eps]
        verts = polytope_vertices(a, b, exact=True)
        assert len(verts) == 2**d - 1 + d
        assert polytope_volume(
            verts, exact=True, inequalities=(a, b)
        ) == 1 - eps**d / math.factorial(d)


def test_exact_mode_certifies_boundedness_when_floats_are_fooled(monkeypatch):
    # x >= 0, y >= 0, x + y >= 1, y - x <= 3: three vertices, unbounded along +x. Even if the
    # float boundedness test and the Chebyshev LP were wrong, exact mode must not return them.
    a, b = [[-1, 0], [0, -1], [-1, -1], [-1, 1]], [0, 0, -1, 3]
    monkeypatch.setattr(polyhedra, "is_bounded", lambda a: True)
    monkeypatch.setattr(polyhedra, "_centre", lambda a, b, cap=np.inf: (np.zeros(2), 0.0))
    with pytest.raises(InvalidInputError, match="unbounded"):
        polytope_vertices(a, b, exact=True)


def test_inequalities_option_errors():
    a, b = box_h([0, 0, 0], [1, 1, 1])
    cube = [list(c) for c in itertools.product([0, 1], repeat=3)]
    with pytest.raises(InvalidInputError, match="violates inequality"):
        polytope_volume([*cube, [2, 0, 0]], exact=True, inequalities=(a, b))
    with pytest.raises(InvalidInputError, match="columns"):
        polytope_volume(cube, exact=True, inequalities=(a[:, :2], b))
    with pytest.raises(InvalidInputError, match="pair"):
        polytope_volume(cube, exact=True, inequalities=a)
    assert polytope_volume(cube, inequalities=(a, b)) == pytest.approx(1.0)


@given(random_polytopes())
def test_exact_mode_never_consults_a_float_hull(poly):
    a, b = poly
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(scipy.spatial, "ConvexHull", _no_float_hull)  # polyhedra imports it lazily
        verts = polytope_vertices(a, b, exact=True)
        vol = polytope_volume(verts, exact=True, inequalities=(a, b))
    assert vol == polytope_volume(verts, exact=True)
    assert float(vol) == pytest.approx(ConvexHull(np.array(verts, dtype=float)).volume, rel=1e-9)


def _no_float_hull(*args, **kwargs):
    raise AssertionError("exact mode used a floating-point convex hull")


# -- an independent oracle: Ehrhart polynomials of lattice polytopes -----------------------------
def _brute_force_facets(points):
    """All facet inequalities (n, c) with n x <= c, from every d-subset of the points."""
    d = len(points[0])
    pts = np.array(points, dtype=object)
    facets = set()
    for subset in itertools.combinations(range(len(points)), d):
        diffs = pts[list(subset[1:])] - pts[subset[0]]
        basis = exact_nullspace(diffs) if len(diffs) else np.eye(1, dtype=object)
        if basis.shape[1] != 1:
            continue
        n = basis[:, 0]
        den = math.lcm(*(Fraction(v).denominator for v in n))
        n = np.array([int(Fraction(v) * den) for v in n])
        n //= math.gcd(*n)
        values = np.array(points) @ n
        c = int(values[subset[0]])
        if (values <= c).all():
            facets.add((tuple(n), c))
        elif (values >= c).all():
            facets.add((tuple(-n), -c))
    return facets


def _ehrhart_volume(points):
    """Volume as the leading coefficient of the Ehrhart polynomial (lattice point counts)."""
    d = len(points[0])
    normals = np.array([n for n, _ in _brute_force_facets(points)])
    rhs = np.array([c for _, c in _brute_force_facets(points)])
    lo, hi = np.min(points, axis=0), np.max(points, axis=0)
    counts = []
    for t in range(d + 1):
        grid = np.stack(
            np.meshgrid(*[np.arange(t * l, t * h + 1) for l, h in zip(lo, hi, strict=True)]),
            axis=-1,
        ).reshape(-1, d)
        counts.append(int(((grid @ normals.T) <= t * rhs).all(axis=1).sum()))
    # d-th finite difference of L(t) at 0 is d! times the leading coefficient
    diff = sum((-1) ** (d - i) * math.comb(d, i) * counts[i] for i in range(d + 1))
    return Fraction(diff, math.factorial(d))


@st.composite
def lattice_polytopes(draw):
    d = draw(st.integers(3, 4))
    side = 3 if d == 3 else 2
    coords = st.lists(st.integers(0, side), min_size=d, max_size=d)
    points = draw(st.lists(coords, min_size=d + 1, max_size=9, unique_by=tuple))
    diffs = np.array(points[1:]) - np.array(points[0])
    assume(np.linalg.matrix_rank(diffs) == d)
    return points


@settings(max_examples=40, deadline=None)
@given(lattice_polytopes())
def test_lattice_polytope_volumes_match_ehrhart_oracle(points):
    vol = polytope_volume(points, exact=True)
    assert vol == _ehrhart_volume(points)
    facets = _brute_force_facets(points)
    a = [list(n) for n, _ in facets]
    b = [c for _, c in facets]
    assert polytope_volume(points, exact=True, inequalities=(a, b)) == vol


@settings(max_examples=25, deadline=None)
@given(lattice_polytopes())
def test_lattice_polytope_volumes_match_normaliz(points):
    normaliz = pytest.importorskip("PyNormaliz")
    d = len(points[0])
    normalized = normaliz.Cone(polytope=[[*p, 1] for p in points]).Volume()
    expected = Fraction(*normalized) if isinstance(normalized, list) else Fraction(normalized)
    assert polytope_volume(points, exact=True) == expected / math.factorial(d)


# -- few_row_vertices ---------------------------------------------------------------------------
def _unit(a, b):
    norms = np.linalg.norm(a, axis=1)
    return a / norms[:, None], b / norms


@pytest.mark.parametrize("d", [2, 3])
def test_few_row_vertices_are_the_vertices(d):
    # random polytopes around the origin (a cube cut by random planes), with a degenerate
    # apex: the answer is None or exactly the exact enumeration's vertices
    from neurogeom.core.polyhedra import few_row_vertices

    rng = np.random.default_rng(d)
    answered = 0
    for _ in range(40):
        k = int(rng.integers(0, 5))
        a = np.vstack([np.eye(d), -np.eye(d), rng.normal(size=(k, d))])
        b = np.concatenate([np.ones(2 * d), rng.uniform(0.2, 1.5, k)])
        if rng.random() < 0.3:  # a plane through a corner of the cube: a degenerate vertex
            a = np.vstack([a, np.ones(d)])
            b = np.append(b, float(d))
        ua, ub = _unit(a, b)
        got = few_row_vertices(ua, ub, 1e-12)
        want = polytope_vertices(ua, ub)
        if got is None:
            continue
        answered += 1
        got_set = {tuple(p) for p in np.round(got, 9).tolist()}
        assert got_set == {tuple(p) for p in np.round(want, 9).tolist()}
    assert answered >= 30


def test_few_row_vertices_refuse_what_they_cannot_vouch_for():
    from neurogeom.core.polyhedra import few_row_vertices

    square = np.array([[1.0, 0], [0, 1], [-1, 0], [0, -1]])
    ones = np.ones(4)
    # unbounded: a wedge, a strip, a half-plane
    assert few_row_vertices(square[:2], ones[:2], 1e-12) is None
    assert few_row_vertices(square[[0, 2, 1]], ones[:3], 1e-12) is None
    # empty
    assert few_row_vertices(square, np.array([-1.0, 1, -1, 1]), 1e-12) is None
    # two rows 1e-6 apart in angle: their vertex could be inaccurate
    tilt = np.array([[np.cos(1e-6), np.sin(1e-6)]])
    rows = np.vstack([square, tilt])
    assert few_row_vertices(rows, np.append(ones, 1.0), 1e-12) is None
    # too many subsets (an 81-gon has 3240 pairs of rows)
    circle = np.array([[np.cos(t), np.sin(t)] for t in np.linspace(0, 2 * np.pi, 82)[:-1]])
    assert few_row_vertices(circle, np.ones(81), 1e-12, max_subsets=100) is None
    assert len(few_row_vertices(circle, np.ones(81), 1e-12)) == 81


@pytest.mark.parametrize("d", [2, 3, 4])
def test_few_row_skeleton_reach_brackets_the_lp_optimum(d):
    """Random polyhedra, bounded or not (a few random rows, some cut by a box side, some
    cones): what the skeleton says each function surely reaches, and surely stays within,
    brackets the LP's minimum and maximum (unbounded LPs included), and on these generic
    polyhedra the two agree for almost every function."""
    from scipy.optimize import linprog

    from neurogeom.core.polyhedra import few_row_skeleton

    rng = np.random.default_rng(20 + d)
    answered = unbounded = decided = total = 0
    for _ in range(60):
        k = int(rng.integers(d, d + 6))
        a = rng.normal(size=(k, d))
        b = rng.uniform(0.1, 1.0, k)
        if rng.random() < 0.3:  # a pointed cone (apex at the origin)
            a = -np.abs(a)
            b = np.zeros(k)
        ua, ub = _unit(a, b)
        sk = few_row_skeleton(ua, ub, 1e-12)
        if sk is None:
            continue
        answered += 1
        unbounded += not sk.bounded
        u = rng.normal(size=(5, d))
        v = rng.normal(size=5)
        reach = sk.reach(u, v)
        for j in range(5):
            for sign, reached, bound in ((1, reach.low, reach.lower_bound),
                                         (-1, -reach.high, -reach.upper_bound)):  # fmt: skip
                lp = linprog(sign * u[j], A_ub=ua, b_ub=ub, bounds=(None, None), method="highs")
                assert lp.status in (0, 3)
                best = -np.inf if lp.status == 3 else lp.fun + sign * v[j]
                assert best <= reached[j] + 1e-9
                assert best >= bound[j] - 1e-9
                total += 1
                decided += reached[j] == bound[j]
    assert answered >= 30 and unbounded >= 10
    assert decided >= 0.95 * total


def test_few_row_skeleton_refuses_what_it_cannot_vouch_for():
    from neurogeom.core.polyhedra import few_row_skeleton

    square = np.array([[1.0, 0], [0, 1], [-1, 0], [0, -1]])
    # no vertex: a strip, a half-plane
    assert few_row_skeleton(square[[0, 2]], np.ones(2), 1e-12) is None
    assert few_row_skeleton(square[:1], np.ones(1), 1e-12) is None
    # empty
    assert few_row_skeleton(square, np.array([-1.0, 1, -1, 1]), 1e-12) is None
    # a wedge: one vertex, two rays
    wedge = few_row_skeleton(square[:2], np.ones(2), 1e-12)
    assert wedge.vertices.tolist() == [[1.0, 1.0]]
    assert sorted(wedge.rays.round(12).tolist()) == [[-1.0, 0.0], [0.0, -1.0]]
    # a slope along a ray too small to sign leaves the bound open on that side
    reach = wedge.reach(np.array([[1e-9, 1.0]]), np.zeros(1))
    assert reach.low[0] == -np.inf and reach.high[0] == 1.0 + 1e-9
    assert reach.upper_bound[0] == np.inf
    reach = wedge.reach(np.array([[1e-9, -1.0]]), np.zeros(1))
    assert reach.low[0] == 1e-9 - 1.0 and reach.lower_bound[0] == -np.inf
    assert reach.high[0] == reach.upper_bound[0] == np.inf


@pytest.mark.parametrize("d", [1, 2, 3, 4])
def test_subset_kernels_match_numpy_linalg(d):
    """The closed forms (1-3 dimensions) and the batched fallback of the subset kernels behind
    few_row_vertices against numpy.linalg: smallest singular values and null directions of
    (d-1)-row subsets, determinants and solutions of d-row subsets, near-parallel rows included."""
    from neurogeom.core.polyhedra import _null_directions, _solve_subsets, _subsets

    rng = np.random.default_rng(d)
    a = rng.normal(size=(7, d))
    a[1] = a[0] + 1e-9 * rng.normal(size=d)  # nearly parallel rows
    a[2] = -3 * a[3]  # exactly parallel
    b = rng.normal(size=7)
    if d > 1:
        pairs = _subsets(7, d - 1)
        smallest, heads = _null_directions(a, pairs)
        _, sv, vt = np.linalg.svd(a[pairs], full_matrices=True)
        np.testing.assert_allclose(smallest, sv[:, -1], rtol=1e-6, atol=1e-12)
        clear = sv[:, -1] > 1e-6
        np.testing.assert_allclose(np.abs(heads[clear] @ vt[clear, -1].T).diagonal(), 1.0)
        # null directions where the rows are clearly independent (the only ones used)
        residual = np.linalg.norm(a[pairs][clear] @ heads[clear][:, :, None], axis=1)
        np.testing.assert_allclose(residual, 0.0, atol=1e-12 * np.abs(a).max())
    subsets = _subsets(7, d)
    dets, x = _solve_subsets(a, b, subsets)
    np.testing.assert_allclose(dets, np.linalg.det(a[subsets]), rtol=1e-9, atol=1e-12)
    ok = np.abs(dets) > 1e-6
    np.testing.assert_allclose(
        x[ok], np.linalg.solve(a[subsets][ok], b[subsets][ok][:, :, None])[:, :, 0], rtol=1e-8
    )


def test_3d_subset_solves_reusing_pair_cross_products_match_fresh_ones():
    """Cramer's rule in 3-D from the pairs' cross products computed once (as the skeleton does)
    gives the determinants and solutions of computing them per subset."""
    from neurogeom.core.polyhedra import _cross, _solve_subsets, _subsets

    rng = np.random.default_rng(0)
    for m in range(3, 10):
        a, b = rng.normal(size=(m, 3)), rng.normal(size=m)
        triples, pairs = _subsets(m, 3), _subsets(m, 2)
        fresh = _solve_subsets(a, b, triples)
        reused = _solve_subsets(a, b, triples, _cross(a[pairs[:, 0]], a[pairs[:, 1]]))
        np.testing.assert_allclose(reused[0], fresh[0], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(reused[1], fresh[1], rtol=1e-10, atol=1e-12)
        x = np.linalg.solve(a[triples[0]], b[triples[0]])
        np.testing.assert_allclose(reused[1][0], x, rtol=1e-10)
