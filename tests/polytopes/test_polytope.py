"""The exact Polytope value: pruning, faces, operations, zonotopes, bad input."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.spatial import ConvexHull

from neurogeom.core.errors import InvalidInputError
from neurogeom.polytopes import Polytope, convex_hull, minkowski_sum

points_2d = st.lists(st.tuples(st.integers(-4, 4), st.integers(-4, 4)), min_size=1, max_size=9)
points_3d = st.lists(
    st.tuples(st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3)), min_size=4, max_size=10
)


def test_pruning_matches_qhull_in_3d():
    rng = np.random.default_rng(0)
    pts = rng.integers(-6, 7, size=(30, 3))
    hull = ConvexHull(pts)
    expected = sorted(tuple(int(v) for v in pts[i]) for i in hull.vertices)
    got = [tuple(int(v) for v in p) for p in Polytope(pts).vertices]
    assert sorted(set(got)) == sorted(set(expected))


@given(points_3d)
def test_vertices_are_a_fixed_point_and_order_free(pts):
    p = Polytope(pts)
    assert Polytope(p.vertices) == p
    assert Polytope(list(reversed(pts))) == p
    assert hash(Polytope(pts)) == hash(p)
    for q in pts:
        assert p.contains(q)


@given(points_2d, points_2d)
def test_minkowski_sum_support_is_additive(a, b):
    p, q = Polytope(a), Polytope(b)
    s = p + q
    for u in itertools.product((-2, -1, 0, 1, 3), repeat=2):
        assert s.support(u) == p.support(u) + q.support(u)
        assert p.hull(q).support(u) == max(p.support(u), q.support(u))
    assert s == q + p
    assert minkowski_sum([p, q]) == s


def test_lower_dimensional_polytopes():
    seg = Polytope([[0, 0, 1], [1, 1, 1], ["1/2", "1/2", 1]])
    assert seg.dim == 1 and seg.n_vertices == 2 and seg.ambient_dim == 3
    square = Polytope([[0, 0, 5], [1, 0, 5], [0, 1, 5], [1, 1, 5], ["1/3", "1/3", 5]])
    assert square.dim == 2 and square.n_vertices == 4
    assert len(square.facets()) == 4
    assert Polytope.point([1, 2]).dim == 0
    h = seg.affine_hull()
    assert h.dim == 1
    for a, b in h.equations:
        for v in seg.vertices:
            assert sum(x * y for x, y in zip(a, v, strict=True)) == b


def test_faces_of_cube_and_simplex():
    cube = Polytope.cube(4)
    assert [len(cube.faces(k)) for k in range(5)] == [16, 32, 24, 8, 1]
    simplex = Polytope.simplex(4)
    assert [len(simplex.faces(k)) for k in range(5)] == [5, 10, 10, 5, 1]
    top = cube.face([1, 1, 0, 0])
    assert top.dim == 2 and all(v[0] == 1 and v[1] == 1 for v in top.vertices)
    assert cube.face([0, 0, 0, 0]) == cube


def test_operations():
    tri = Polytope.simplex(2)
    assert tri.scale(2) == Polytope([[0, 0], [2, 0], [0, 2]])
    assert 2 * tri == tri.scale(2) and tri * 2 == tri.scale(2)
    assert -tri == Polytope([[0, 0], [-1, 0], [0, -1]])
    assert tri.scale(0) == Polytope.point([0, 0])
    assert tri.translate([1, "1/2"]).vertices[0] == (Fraction(1), Fraction(1, 2))
    assert tri.linear_image([[1, 1], [1, -1], [0, 0]]).dim == 2
    assert tri.linear_image([[1, 1]]) == Polytope([[0], [1]])
    assert convex_hull([Polytope([[0, 0]]), Polytope([[1, 0]]), Polytope([[0, 1]])]) == tri
    assert Polytope.from_inequalities([[-1, 0], [0, -1], [1, 1]], [0, 0, 1]) == tri
    assert tri.is_lattice and not tri.scale("1/2").is_lattice
    assert tri.scale("1/6").denominator() == 6
    ineqs = Polytope.cube(3).inequalities()
    assert len(ineqs) == 6
    assert tri.to_dict() == {"dim": 2, "ambient_dim": 2, "vertices": [[0, 0], [0, 1], [1, 0]]}


def test_zonotope_test():
    gens = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1], [1, 2, 3]]
    z = minkowski_sum(Polytope([[0, 0, 0], g]) for g in gens)
    assert z.n_vertices == 22 and z.is_zonotope()
    assert not Polytope.simplex(3).is_zonotope()
    assert not (Polytope.simplex(3) + Polytope.cube(3)).is_zonotope()
    assert Polytope([[0, 0], [1, 2]]).is_zonotope()
    # a centrally symmetric polytope that is not a zonotope: the octahedron
    octa = Polytope([[s * int(i == j) for j in range(3)] for i in range(3) for s in (1, -1)])
    assert octa.is_centrally_symmetric() and not octa.is_zonotope()


def test_value_semantics():
    p = Polytope([[0, 0], [1, 1]])
    with pytest.raises(AttributeError):
        p.foo = 1  # type: ignore[attr-defined]
    assert {p, Polytope([[1, 1], [0, 0]])} == {p}
    assert p != Polytope([[0, 0], [1, 2]])
    assert repr(p) == "Polytope(dim=1, ambient=2, vertices=2)"
    import pickle

    assert pickle.loads(pickle.dumps(p)) == p


@pytest.mark.parametrize(
    ("points", "match"),
    [
        ([], "empty"),
        ([[0, 0], [1]], r"points\[1\] has 1 coordinates but points\[0\] has 2"),
        ([[0, "a"]], r"points\[0\]\[1\] must be an integer, a decimal or a fraction"),
        ([[0, None]], r"points\[0\]\[1\] must be a number"),
        ([[]], "no coordinates"),
        ("abc", "must be a list of points"),
        ([3, 4], r"points\[0\] must be a point"),
        ([[0, float("nan")]], "finite"),
    ],
)
def test_bad_input(points, match):
    with pytest.raises(InvalidInputError, match=match):
        Polytope(points)


def test_mixed_dimensions_in_operations():
    with pytest.raises(InvalidInputError, match="dimensions 2 and 3"):
        Polytope.simplex(2) + Polytope.simplex(3)
    with pytest.raises(InvalidInputError, match="3 coordinates"):
        Polytope.simplex(2).face([1, 0, 0])


@given(points_2d, points_2d)
def test_minkowski_difference_undoes_a_sum(a, b):
    from neurogeom.polytopes import minkowski_difference

    p, q = Polytope(a), Polytope(b)
    s = p + q
    if s.dim < 2:
        return
    assert minkowski_difference(s, q) == p


def test_minkowski_difference_empty_and_errors():
    from neurogeom.polytopes import minkowski_difference

    assert minkowski_difference(Polytope.cube(2), Polytope.cube(2).scale(2)) is None
    assert minkowski_difference(Polytope.cube(2), Polytope.cube(2)) == Polytope.point([0, 0])
    with pytest.raises(InvalidInputError, match="full-dimensional"):
        minkowski_difference(Polytope([[0, 0], [1, 1]]), Polytope.point([0, 0]))
