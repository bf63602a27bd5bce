"""Polytope depth (Valerdi): bounds for points, zonotopes, simplices, polygons, hull trees."""

from __future__ import annotations

import pytest

from neurogeom.core.errors import InvalidInputError
from neurogeom.depth import polytope_depth_bounds
from neurogeom.polytopes import Polytope, minkowski_sum


def test_point_segment_zonotope():
    assert polytope_depth_bounds(Polytope.point([1, 2])).upper == 0
    z = minkowski_sum(Polytope([[0, 0, 0], g]) for g in ([1, 0, 0], [0, 1, 0], [1, 1, 1]))
    b = polytope_depth_bounds(z)
    assert (b.lower, b.upper) == (1, 1)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 8])
def test_simplices(n):
    b = polytope_depth_bounds(Polytope.simplex(n))
    k = (n).bit_length() if n + 1 > 1 else 0
    assert b.lower == b.upper == k


def test_polygons_and_hull_trees():
    hexagon_like = Polytope([[0, 0], [2, 0], [3, 1], [1, 3], [0, 2]])
    b = polytope_depth_bounds(hexagon_like)
    assert (b.lower, b.upper) == (2, 2)
    cross = Polytope([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]])
    b = polytope_depth_bounds(cross)
    assert b.lower == 2 and b.upper == 3
    assert b.lattice_lower is None or b.lattice_lower >= 2
    assert "upper" in b.to_dict()


def test_lattice_parity_bound():
    # Δ4 + a lattice zonotope-free shape: F_4's polytope itself is a simplex; use Δ4 + cube
    p = Polytope.simplex(4) + Polytope.cube(4)
    b = polytope_depth_bounds(p)
    assert b.lower >= 2 and b.upper >= b.lower
    assert b.lattice_lower in (None, 2, 3)


def test_bad_input():
    with pytest.raises(InvalidInputError):
        polytope_depth_bounds([[0, 0]])  # type: ignore[arg-type]
