"""Input domains (``core/domain.py``): ``Domain`` values and ``check_domain``.

Constructors and their errors; value semantics (equal literals such as ``"1/2"``, ``0.5`` and
``Fraction(1, 2)`` give equal, equally hashed domains; arrays are read-only copies); ``extent``
of every kind against hand-computed values and, for random convex polygons, against the largest
coordinate of their vertices; ``bounded``; ``contains`` decided exactly on the boundary;
``describe``, ``to_dict``, ``volume``, ``corners``, ``repr``; and the ``domain=`` argument forms
``check_domain`` accepts.
"""

from __future__ import annotations

import dataclasses
import json
import math
from fractions import Fraction as F

import numpy as np
import pytest

from neurogeom.core.domain import Domain, check_domain
from neurogeom.core.errors import InvalidInputError

TRIANGLE = ([[-1, 0], [0, -1], [1, 1]], [0, 0, 4])  # x, y >= 0, x + y <= 4


# -- constructors ------------------------------------------------------------------------------
def test_whole_space() -> None:
    d = Domain.whole(3)
    assert (d.kind, d.dim, d.a.shape, d.b.shape) == ("space", 3, (0, 3), (0,))
    assert d.lower is None and d.upper is None
    assert Domain.whole(np.int64(2)) == Domain.whole(2)


@pytest.mark.parametrize("dim", [0, -1, True, 1.5, "2", None])
def test_whole_space_needs_a_positive_integer(dim: object) -> None:
    with pytest.raises(InvalidInputError, match="positive integer"):
        Domain.whole(dim)  # type: ignore[arg-type]


def test_box_rows_and_corners() -> None:
    d = Domain.box([-1, "1/2"], [2, 3])
    assert (d.kind, d.dim) == ("box", 2)
    assert d.lower == (F(-1), F(1, 2)) and d.upper == (F(2), F(3))
    assert d.a.tolist() == [[1, 0], [0, 1], [-1, 0], [0, -1]]
    assert d.b.tolist() == [2, 3, 1, F(-1, 2)]
    assert all(isinstance(v, F) for v in [*d.a.flat, *d.b])
    assert d.a_float.dtype == np.float64 and d.b_float.tolist() == [2.0, 3.0, 1.0, -0.5]
    assert sorted(map(tuple, d.corners().tolist())) == [
        (-1, F(1, 2)),
        (-1, 3),
        (2, F(1, 2)),
        (2, 3),
    ]
    assert d.volume() == F(15, 2)
    assert Domain.box(0, "1/3", dim=3).volume() == F(1, 27)
    assert len(Domain.box(0, 1, dim=3).corners()) == 8


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((1, 0), {"dim": 2}, "box is empty in coordinate 0: lower 1 is not below upper 0"),
        (([0, 2], [1, 2]), {}, "box is empty in coordinate 1"),
        (([0, 0], [1, 1]), {"dim": 3}, "box has 2 coordinates but the net has 3 inputs"),
        (([0, 0], [1, 1, 1]), {}, "same length"),
        (([[0]], [[1]]), {}, "same length"),
        ((0, math.inf), {"dim": 1}, "finite"),
        ((0, "x"), {"dim": 1}, "box upper corner"),
        (("nan", 1), {"dim": 1}, "box lower corner"),
    ],
)
def test_bad_boxes_are_named(args: tuple, kwargs: dict, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        Domain.box(*args, **kwargs)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((0, 1), {"dim": 0}), ((0, 1), {"dim": -1}), ((0, 1), {"dim": True}), (([], []), {})],
)
def test_boxes_need_a_positive_dimension(args: tuple, kwargs: dict) -> None:
    with pytest.raises(InvalidInputError, match="positive integer"):
        Domain.box(*args, **kwargs)


def test_polytope() -> None:
    d = Domain.polytope(*TRIANGLE)
    assert (d.kind, d.dim, d.lower, d.upper) == ("polytope", 2, None, None)
    assert d.a.tolist() == TRIANGLE[0] and d.b.tolist() == TRIANGLE[1]
    assert d.volume() is None
    # unbounded polyhedra are domains too
    assert Domain.polytope([[1, 0]], [1]).dim == 2


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        ([[1, 0], [-1, 0]], [0, -1], "no interior points"),  # empty
        ([[1, 0], [-1, 0]], [0, 0], "no interior points"),  # flat
        ([[0, 0], [1, 0]], [-1, 0], "zero row has a negative bound"),
        ([], [], r"\(m, n\) matrix"),
        ([[1, 0], [0, 1]], [1], r"\(m, n\) matrix"),
        ([1, 0], [1, 1], r"\(m, n\) matrix"),
        ([[1, "a"]], [1], r"domain matrix\[0, 1\]"),
        ([[1, 0]], ["inf"], "domain right-hand side"),
    ],
)
def test_bad_polytopes_are_named(a: object, b: object, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        Domain.polytope(a, b)


# -- value semantics -------------------------------------------------------------------------------
def test_equal_literals_give_equal_domains() -> None:
    half = [Domain.box("1/2", 1, dim=2), Domain.box(0.5, 1.0, dim=2), Domain.box(F(1, 2), 1, dim=2)]
    half.append(Domain.box(["1/2", "0.5"], [np.int64(1), F(2, 2)]))
    assert all(d == half[0] for d in half)
    assert len({*half}) == 1 and len({hash(d) for d in half}) == 1
    polys = [
        Domain.polytope(*TRIANGLE),
        Domain.polytope(np.array(TRIANGLE[0], float), ["0", 0.0, "8/2"]),
    ]
    assert polys[0] == polys[1] and hash(polys[0]) == hash(polys[1])
    assert Domain.whole(2) == Domain.whole(2) and len({Domain.whole(2), Domain.whole(2)}) == 1


def test_different_domains_differ() -> None:
    box = Domain.box(-1, 1, dim=2)
    same_rows = Domain.polytope(box.a, box.b)
    others = [
        Domain.box(-1, 2, dim=2),
        Domain.box(-1, 1, dim=3),
        Domain.whole(2),
        same_rows,  # the same set, but a polytope is not a box
        Domain.box(F(-1) - F(1, 10**30), 1, dim=2),  # exact: no rounding hides a difference
    ]
    for other in others:
        assert other != box
    assert len({box, *others}) == len(others) + 1
    assert box != "[-1, 1]^2" and box != None  # noqa: E711


def test_arrays_are_read_only_copies() -> None:
    a = np.array(TRIANGLE[0], dtype=float)
    d = Domain.polytope(a, TRIANGLE[1])
    a[0, 0] = 99.0
    assert d.a[0, 0] == -1
    for arr in (d.a, d.b, d.a_float, d.b_float):
        assert not arr.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.dim = 3  # type: ignore[misc]


# -- extent and boundedness ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("domain", "extent"),
    [
        (Domain.whole(2), 0.0),
        (Domain.box(-1, 3, dim=2), 3.0),
        (Domain.box([-5, 0], [1, 2]), 5.0),
        (Domain.box("1/3", "1/2", dim=1), 0.5),
        (Domain.box(-7, -2, dim=1), 7.0),
        (Domain.polytope(*TRIANGLE), 4.0),  # vertices (0, 0), (4, 0), (0, 4)
        # the simplex x, y, z >= -1, x + y + z <= 3: vertex (5, -1, -1)
        (Domain.polytope([[-1, 0, 0], [0, -1, 0], [0, 0, -1], [1, 1, 1]], [1, 1, 1, 3]), 5.0),
        # unbounded: the largest distance from the origin to one of the hyperplanes
        (Domain.polytope([[1, 0], [0, 1]], [3, -4]), 4.0),
        (Domain.polytope([[1, 1], [-1, 0]], [2, 0]), math.sqrt(2)),
        (Domain.polytope([[0, 0], [1, 0]], [1, 5]), 5.0),  # a zero row is no hyperplane
        (Domain.polytope([[3, 4]], [-10]), 2.0),
    ],
)
def test_extent_by_hand(domain: Domain, extent: float) -> None:
    assert domain.extent() == pytest.approx(extent, rel=1e-9)


def _convex_polygon(rng: np.random.Generator) -> tuple[list[list[int]], list[int], list[tuple]]:
    """A random convex polygon: rows ``a x <= b`` with integer normals and its vertices."""
    pts = {tuple(int(v) for v in p) for p in rng.integers(-20, 21, size=(12, 2))}
    pts = sorted(pts)

    def cross(o, p, q):
        return (p[0] - o[0]) * (q[1] - o[1]) - (p[1] - o[1]) * (q[0] - o[0])

    hull = []
    for half in (pts, pts[::-1]):  # monotone chain, counter-clockwise
        chain: list[tuple] = []
        for p in half:
            while len(chain) >= 2 and cross(chain[-2], chain[-1], p) <= 0:
                chain.pop()
            chain.append(p)
        hull += chain[:-1]
    rows, rhs = [], []
    for p, q in zip(hull, [*hull[1:], hull[0]], strict=True):
        normal = [q[1] - p[1], p[0] - q[0]]  # outward for a counter-clockwise polygon
        rows.append(normal)
        rhs.append(normal[0] * p[0] + normal[1] * p[1])
    return rows, rhs, hull


@pytest.mark.parametrize("seed", range(8))
def test_extent_bounded_and_contains_on_random_polygons(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows, rhs, hull = _convex_polygon(rng)
    d = Domain.polytope(rows, rhs)
    assert d.bounded
    assert d.extent() == pytest.approx(max(abs(v) for p in hull for v in p), rel=1e-9)
    for k, vertex in enumerate(hull):
        assert d.contains(vertex)  # exactly on the boundary
        nxt = hull[(k + 1) % len(hull)]
        midpoint = [F(a + b, 2) for a, b in zip(vertex, nxt, strict=True)]
        assert d.contains(midpoint)
        outward = [m + F(n, 10**40) for m, n in zip(midpoint, rows[k], strict=True)]
        assert not d.contains(outward)
    # the rows whose normals point right leave the direction (-1, 0) free: unbounded
    right = [k for k, row in enumerate(rows) if row[0] > 0]
    opened = Domain.polytope([rows[k] for k in right], [rhs[k] for k in right])
    assert not opened.bounded


@pytest.mark.parametrize(
    ("domain", "bounded"),
    [
        (Domain.whole(1), False),
        (Domain.box(0, 1, dim=4), True),
        (Domain.polytope(*TRIANGLE), True),
        (Domain.polytope([[1, 0]], [1]), False),  # a half-plane
        (Domain.polytope([[1, 0], [-1, 0]], [1, 0]), False),  # a strip
        (Domain.polytope([[1, -1], [-1, -1]], [0, 0]), False),  # a wedge
        (Domain.polytope([[1, 0], [-1, 0], [0, 1], [0, -1], [0, 0]], [1, 1, 1, 1, 5]), True),
    ],
)
def test_bounded(domain: Domain, bounded: bool) -> None:
    assert domain.bounded is bounded


# -- contains ------------------------------------------------------------------------------------
def test_contains_is_exact_on_the_boundary() -> None:
    d = Domain.polytope([[1, 1]], [1])
    assert d.contains(["1/10", "9/10"])
    # the float 0.1 is a little above 1/10 and 0.9 a little above 9/10: exactly, their sum
    # exceeds 1 (float arithmetic would round it to 1.0)
    assert 0.1 + 0.9 == 1.0
    assert not d.contains([0.1, 0.9])
    box = Domain.box(0, "1/3", dim=1)
    assert box.contains(["1/3"]) and box.contains([0]) and box.contains([1 / 3])
    assert not box.contains([F(1, 3) + F(1, 10**50)]) and not box.contains(["-1/10"])
    assert Domain.whole(2).contains([1e300, -1e300])


@pytest.mark.parametrize(
    ("x", "message"),
    [([1, 2, 3], "2 coordinates"), (["a", 1], r"point\[0\]"), ([math.nan, 0], "finite")],
)
def test_contains_refuses_bad_points(x: list, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        Domain.box(0, 1, dim=2).contains(x)


# -- describe, to_dict, repr -----------------------------------------------------------------------
def test_describe_to_dict_and_repr() -> None:
    cases = [
        (Domain.whole(4), "R^4", {"kind": "space", "dim": 4}, "Domain.whole(4)"),
        (
            Domain.box(-3, 3, dim=2),
            "[-3, 3]^2",
            {"kind": "box", "dim": 2, "lower": [-3, -3], "upper": [3, 3]},
            "Domain.box([-3, -3], [3, 3])",
        ),
        (
            Domain.box([0, "-1/2"], [1, 2]),
            "[0, 1] x [-1/2, 2]",
            {"kind": "box", "dim": 2, "lower": [0, "-1/2"], "upper": [1, 2]},
            "Domain.box([0, '-1/2'], [1, 2])",
        ),
        (
            Domain.polytope([[-1, 0], [0, -1], ["1/2", 1]], [0, 0, "3/4"]),
            "a polyhedron of 3 inequalities in R^2",
            {"kind": "polytope", "dim": 2, "a": [[-1, 0], [0, -1], ["1/2", 1]], "b": [0, 0, "3/4"]},
            "Domain.polytope(3 rows, dim=2)",
        ),
    ]
    for domain, text, doc, rep in cases:
        assert domain.describe() == text
        assert domain.to_dict() == doc
        assert json.loads(json.dumps(domain.to_dict())) == doc
        assert repr(domain) == rep


# -- check_domain ----------------------------------------------------------------------------------
def test_check_domain_accepts_every_form() -> None:
    box = Domain.box(-1, 1, dim=2)
    assert check_domain(None, 2) == Domain.whole(2)
    assert check_domain(box, 2) is box
    assert check_domain((-1, 1), 2) == box
    assert check_domain([-1, 1], 2) == box
    assert check_domain(([-1, -1], ["1", 1.0]), 2) == box
    assert check_domain(TRIANGLE, 2) == Domain.polytope(*TRIANGLE)
    assert check_domain((np.array(TRIANGLE[0]), TRIANGLE[1]), 2).kind == "polytope"


@pytest.mark.parametrize(
    ("domain", "message"),
    [
        (Domain.box(0, 1, dim=3), "domain has dimension 3 but the net has 2 inputs"),
        (([[1, 0, 0]], [1]), "polytope domain has 3 columns but the net has 2 inputs"),
        (([0, 0, 0], [1, 1, 1]), "box has 3 coordinates but the net has 2 inputs"),
        ((1, 0), "empty in coordinate 0"),
        ("everywhere", "domain must be None"),
        ((1, 2, 3), "domain must be None"),
        ({"lower": 0}, "domain must be None"),
        (3, "domain must be None"),
    ],
)
def test_check_domain_names_bad_arguments(domain: object, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        check_domain(domain, 2)
