"""Exact volumes, lattice volumes and mixed volumes: the spec's reference cases and oracles."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial import ConvexHull

from neurogeom.core.errors import BudgetExceededError, InvalidInputError
from neurogeom.polytopes import (
    Polytope,
    SurdVolume,
    lattice_volume,
    minkowski_sum,
    mixed_cells,
    mixed_volume,
    normalized_volume,
    volume,
)


def segment(v):
    return Polytope([[0] * len(v), v])


def cyclic_roots(n):
    """Newton polytopes of the cyclic n-roots system."""
    out = []
    for k in range(1, n):
        pts = []
        for i in range(n):
            e = [0] * n
            for t in range(k):
                e[(i + t) % n] += 1
            pts.append(e)
        out.append(Polytope(pts))
    out.append(Polytope([[1] * n, [0] * n]))
    return out


# -- volumes: reference cases ---------------------------------------------------------------------
@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_simplex_and_cube(n):
    assert lattice_volume(Polytope.simplex(n)) == 1
    assert lattice_volume(Polytope.cube(n)) == math.factorial(n)
    assert volume(Polytope.cube(n)) == 1
    assert normalized_volume(Polytope.simplex(n)) == 1


def test_zonotope_volume_formula():
    gens = [[1, 0], [0, 1], [1, 1]]
    assert lattice_volume(minkowski_sum(segment(g) for g in gens)) == 6
    rng = np.random.default_rng(3)
    for _ in range(3):
        g = rng.integers(-3, 4, size=(5, 3)).tolist()
        z = minkowski_sum(segment(v) for v in g)
        expected = math.factorial(3) * sum(
            abs(round(np.linalg.det(np.array([g[i] for i in s], dtype=float))))
            for s in itertools.combinations(range(5), 3)
        )
        assert lattice_volume(z) == expected
        assert lattice_volume(z) % 2 == 0  # every lattice zonotope of dim >= 2 has even Vol


def test_ahm_example_12():
    p1 = Polytope([[2, 0], [5, 0], [2, 1], [5, 1]])
    p2 = Polytope.simplex(2).translate([0, 2])
    assert lattice_volume(p1) == 6
    assert lattice_volume(p2) == 1
    assert lattice_volume(p1 + p2) == 15
    assert mixed_volume([p1, p2]) == 4
    assert mixed_volume([p1, p2], method="mixed-cells") == 4
    # eq. (1): Vol(A + B) = Vol(A) + 2 V(A, B) + Vol(B)
    assert lattice_volume(p1 + p2) == 6 + 2 * 4 + 1


def test_lower_dimensional_lattice_volumes():
    assert lattice_volume(Polytope([[0, 0], [2, 4]])) == 2
    assert lattice_volume(Polytope([[0, 0, 0], [2, 0, 0], [0, 2, 0]])) == 4
    assert lattice_volume(Polytope([[1, 1, 1]])) == 1
    # a unimodular triangle in a skew plane of R^3
    tri = Polytope([[0, 0, 0], [1, 1, 0], [0, 1, 1]])
    assert lattice_volume(tri) == 1
    assert lattice_volume(tri.scale(3)) == 9
    assert lattice_volume(Polytope([[0, 0], ["1/2", 1]])) == Fraction(1, 2)


def test_relative_euclidean_volume():
    assert volume(Polytope([[0, 0], [3, 4]]), relative=True) == 5
    v = volume(Polytope([[0, 0, 0], [1, 1, 0], [0, 1, 1]]), relative=True)
    assert isinstance(v, SurdVolume) and v.squared() == Fraction(3, 4)
    assert volume(Polytope([[0, 0, 2], [1, 0, 2], [0, 1, 2]]), relative=True) == Fraction(1, 2)
    assert volume(Polytope([[1, 2]]), relative=True) == 1
    assert volume(Polytope([[0, 0], [1, 1]])) == 0


@settings(max_examples=25)
@given(
    st.lists(
        st.tuples(st.integers(-4, 4), st.integers(-4, 4), st.integers(-4, 4)),
        min_size=5,
        max_size=12,
    )
)
def test_volume_agrees_with_qhull(points):
    p = Polytope(points)
    if p.dim < 3:
        assert volume(p) == 0
        return
    assert float(volume(p)) == pytest.approx(ConvexHull(np.array(points)).volume, rel=1e-9)


def test_volume_agrees_with_pynormaliz():
    normaliz = pytest.importorskip("PyNormaliz")
    rng = np.random.default_rng(7)
    for dim in (2, 3, 4):
        pts = rng.integers(-3, 4, size=(dim + 4, dim)).tolist()
        p = Polytope(pts)
        cone = normaliz.Cone(polytope=[list(map(int, v)) for v in p.vertices])
        assert lattice_volume(p) == Fraction(str(cone.Volume()))
    flat = Polytope([[0, 0, 0], [2, 0, 0], [0, 2, 0], [1, 3, 0]])
    assert lattice_volume(flat) == Fraction(
        str(normaliz.Cone(polytope=flat.to_dict()["vertices"]).Volume())
    )


# -- mixed volumes --------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["polarization", "mixed-cells"])
def test_bezout(method):
    s = Polytope.simplex(3)
    assert mixed_volume([s, s.scale(2), s.scale(3)], method=method) == 6
    assert mixed_volume([s, s, s], method=method) == 1


@pytest.mark.parametrize("method", ["polarization", "mixed-cells"])
def test_segments_give_the_determinant(method):
    rng = np.random.default_rng(1)
    for n in (2, 3):
        vecs = rng.integers(-4, 5, size=(n, n))
        expected = abs(round(np.linalg.det(vecs.astype(float))))
        assert mixed_volume([segment(v.tolist()) for v in vecs], method=method) == expected


def test_boxes_give_the_permanent():
    sides = [[1, 2, 1], [2, 1, 3], [1, 1, 2]]
    boxes = [Polytope(list(itertools.product(*[(0, a) for a in row]))) for row in sides]
    perm = sum(
        math.prod(sides[i][s[i]] for i in range(3)) for s in itertools.permutations(range(3))
    )
    assert mixed_volume(boxes) == perm
    assert mixed_volume(boxes, method="polarization") == perm


@pytest.mark.parametrize(("n", "expected"), [(3, 6), (4, 16)])
def test_cyclic_roots(n, expected):
    assert mixed_volume(cyclic_roots(n)) == expected
    assert mixed_volume(cyclic_roots(n), method="polarization") == expected


def test_cyclic_5_mixed_cells():
    assert mixed_volume(cyclic_roots(5)) == 70


def test_bkk_dense_random_supports():
    """Dense systems: each polynomial has all monomials up to its degree, perturbed supports."""
    rng = np.random.default_rng(11)
    for _ in range(3):
        degrees = rng.integers(1, 4, size=3).tolist()
        polys = [
            Polytope([e for e in itertools.product(range(d + 1), repeat=3) if sum(e) <= d])
            for d in degrees
        ]
        assert mixed_volume(polys) == math.prod(degrees)


@settings(max_examples=15)
@given(st.data())
def test_mixed_cells_agree_with_polarization(data):
    n = data.draw(st.integers(2, 3))
    pts = st.lists(st.lists(st.integers(-2, 2), min_size=n, max_size=n), min_size=1, max_size=5)
    polys = [Polytope(data.draw(pts)) for _ in range(n)]
    a = mixed_volume(polys, method="polarization")
    b = mixed_volume(polys, method="mixed-cells", seed=data.draw(st.integers(0, 100)))
    assert a == b
    assert a >= 0 and a.denominator == 1


def test_mixed_volume_is_symmetric_and_multilinear():
    rng = np.random.default_rng(5)
    a, b, c = (Polytope(rng.integers(-2, 3, size=(4, 2)).tolist()) for _ in range(3))
    assert mixed_volume([a, b]) == mixed_volume([b, a])
    assert mixed_volume([a + c, b]) == mixed_volume([a, b]) + mixed_volume([c, b])
    assert mixed_volume([a, a]) == lattice_volume(a) if a.dim == 2 else True


def test_mixed_cells_have_exact_normals():
    cells = mixed_cells([Polytope.simplex(2), Polytope.simplex(2).scale(2)], seed=3)
    assert sum(c.volume for c in cells) == 2
    assert all(len(c.normal) == 2 for c in cells)
    assert cells[0].to_dict()["volume"] >= 1


def test_mixed_volume_bad_input():
    with pytest.raises(InvalidInputError, match="exactly 2 polytopes"):
        mixed_volume([Polytope.simplex(2)])
    with pytest.raises(InvalidInputError, match="dimension 3 but polytope 0 in 2"):
        mixed_volume([Polytope.simplex(2), Polytope.simplex(3)])
    with pytest.raises(InvalidInputError, match="method"):
        mixed_volume([Polytope.simplex(1)], method="magic")
    with pytest.raises(InvalidInputError, match="must be a Polytope"):
        mixed_volume([[[0, 1]]])


def test_mixed_volume_time_limit():
    with pytest.raises(BudgetExceededError):
        mixed_volume(cyclic_roots(5), method="mixed-cells", time_limit=1e-9)
