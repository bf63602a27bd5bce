"""Pruning (one LP per monomial) against the upper hull of the lifted exponents, and both against
brute force; reference cases RG4 (pruning parts), RG8 and RG13."""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neurogeom.core.errors import InvalidInputError
from neurogeom.tropical import (
    TropicalPolynomial,
    TropicalRationalMap,
    linear_regions,
    newton_polytope,
    prune,
    prune_polynomial,
    upper_hull,
)

RG8 = TropicalPolynomial([[1, 0], [0, 1], [2, 2], [1, 1], [2, 0], [0, 2]], [0] * 6)


@st.composite
def polys(draw, n=2, max_m=7):
    m = draw(st.integers(1, max_m))
    exps = [[draw(st.integers(-3, 3)) for _ in range(n)] for _ in range(m)]
    coefs = [draw(st.integers(-6, 6)) for _ in range(m)]
    return TropicalPolynomial(exps, coefs)


def _brute_1d(p: TropicalPolynomial) -> set[int]:
    """Upper-hull vertices in 1-D by exact slopes: i is kept iff it is the unique max somewhere."""
    e = [r[0] for r in p.exponents.tolist()]
    c = p.coefficients.tolist()
    keep = set()
    # candidate points: far left, far right, and midpoints between consecutive breakpoints
    bps = sorted(
        {
            (c[j] - c[i]) / (e[i] - e[j])
            for i in range(len(e))
            for j in range(len(e))
            if e[i] != e[j]
        }
    )
    probes = [F(-(10**6)), F(10**6)]
    probes += [(a + b) / 2 for a, b in itertools.pairwise(bps)]
    probes += [b - F(1, 10**6) for b in bps] + [b + F(1, 10**6) for b in bps]
    for x in probes:
        vals = [ci + ei * x for ei, ci in zip(e, c, strict=True)]
        best = max(vals)
        if vals.count(best) == 1:
            keep.add(vals.index(best))
    return keep


def test_rg8_pruning_and_hull() -> None:
    pruned = prune_polynomial(RG8)
    assert pruned.n_monomials == 5
    assert (1, 1) not in {tuple(map(int, r)) for r in pruned.exponents.tolist()}
    assert upper_hull(RG8).n_regions == 5
    assert linear_regions(RG8, progress=False).linear_regions == 5


@pytest.mark.parametrize(
    ("exps", "coefs", "kept"),
    [
        ([[0], [1], [2]], [0, 0, 0], 2),  # max(0, x, 2x): the middle monomial is lower-dim
        ([[0], [2], [1]], [0, 0, -1], 2),  # max(0, 2x, x - 1): empty dominance region
        ([[1, 0], [0, 1]], [0, 0], 2),  # max(x, y)
        ([[k] for k in range(6)], [-(k * k) for k in range(6)], 6),  # h of RG4
    ],
)
def test_rg4_monomial_counts(exps, coefs, kept) -> None:
    for exact in (True, False):
        p = TropicalPolynomial(exps, coefs, exact=exact)
        assert prune_polynomial(p).n_monomials == kept
        assert upper_hull(p).n_regions == kept


@given(polys(n=1))
def test_pruning_matches_brute_force_1d(p) -> None:
    kept = prune_polynomial(p)
    want = _brute_1d(p)
    assert {tuple(r) for r in kept.exponents.tolist()} == {
        tuple(p.exponents[i].tolist()) for i in want
    }


@given(polys(n=2), st.integers(0, 2**16))
def test_pruning_keeps_the_function_and_matches_the_upper_hull(p, seed) -> None:
    kept = prune_polynomial(p)
    x = np.random.default_rng(seed).integers(-20, 20, size=(40, 2))
    xq = np.array([[F(int(v), 3) for v in row] for row in x], dtype=object)
    assert (kept(xq) == p(xq)).all()
    hull = upper_hull(p)
    assert {tuple(p.exponents[i].tolist()) for i in hull.vertices} == {
        tuple(r) for r in kept.exponents.tolist()
    }
    # float pruning agrees with exact pruning on integer data
    assert prune_polynomial(p.to_float()).n_monomials == kept.n_monomials


@given(polys(n=3, max_m=6))
def test_hull_matches_pruning_3d(p) -> None:
    assert upper_hull(p).n_regions == prune_polynomial(p).n_monomials


def test_newton_polytope_degenerate_sets() -> None:
    p = TropicalPolynomial([[0, 0], [1, 1], [2, 2]], [0, 5, 0])  # collinear exponents
    assert newton_polytope(p).tolist() == [0, 2]
    assert upper_hull(p).n_regions == 3
    single = TropicalPolynomial([[1, 2]], [3])
    assert upper_hull(single).n_regions == 1
    assert newton_polytope(single).tolist() == [0]


def test_dual_subdivision_cells() -> None:
    # max(0, x, y, x + y - 1... ) lifted: a square split along a diagonal
    p = TropicalPolynomial([[0, 0], [1, 0], [0, 1], [1, 1]], [0, 0, 0, 1])
    hull = upper_hull(p)
    assert hull.n_regions == 4
    assert len(hull.cells) == 2
    assert all(len(c) == 3 for c in hull.cells)
    assert hull.to_dict()["n_regions"] == 4


def test_prune_rational_map_counts() -> None:
    p = TropicalPolynomial([[0], [1], [2]], [0, 0, 0])
    res = prune(TropicalRationalMap([p], [p]))
    assert res.before == ((3, 3),) and res.after == ((2, 2),)
    assert res.total_before == 6 and res.total_after == 4
    assert res.to_dict()["total_after"] == 4
    with pytest.raises(InvalidInputError):
        prune("p")
