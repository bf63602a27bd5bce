"""Linear regions of tropical rational maps: reference cases and agreement with the region
engine (neurogeom.regions.enumerate_regions) on random nets and bundled examples."""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurogeom import ReLUNet
from neurogeom.data import example_path
from neurogeom.nets.io import load
from neurogeom.regions import enumerate_regions
from neurogeom.tropical import (
    TropicalPolynomial,
    TropicalRationalMap,
    linear_regions,
    tropicalize,
)


def _map(num, den, n=1):
    p = TropicalPolynomial(*num)
    q = TropicalPolynomial(*den) if den is not None else TropicalPolynomial.constant(0, n)
    return TropicalRationalMap([p], [q])


@pytest.mark.parametrize("exact", [True, False])
def test_rg4_rational_functions(exact) -> None:
    cases = [
        (([[0]], [3]), ([[0]], [3]), 1, 1),  # c / c
        (([[1, 0], [0, 1]], [0, 0]), None, 2, 2),  # max(x, y) / 0
        (([[0], [1], [2]], [0, 0, 0]), None, 2, 2),  # max(0, x, 2x) / 0
        (([[0], [2], [1]], [0, 0, -1]), None, 2, 2),  # max(0, 2x, x - 1) / 0
        (([[1, 0], [0, 1]], [0, 0]), ([[1, 0], [0, 1]], [0, 0]), 1, 2),  # max(x,y)/max(x,y)
        (
            ([[k] for k in range(6)], [-(k * k) for k in range(6)]),
            ([[k] for k in range(6)], [-(k * k) for k in range(6)]),
            1,
            6,
        ),  # h / h
    ]
    for num, den, regions, cells in cases:
        n = len(num[0][0])
        f = _map(num, den, n)
        f = f if exact else f.to_float()
        res = linear_regions(f, progress=False)
        assert (res.linear_regions, res.n_cells) == (regions, cells), (num, den)


def test_rg6_polynomial() -> None:
    res = linear_regions(TropicalPolynomial([[0], [1], [2]], [0, 1, 1]), progress=False)
    assert res.linear_regions == 3


def test_rg5_two_outputs() -> None:
    zero = TropicalPolynomial.constant(0, 2)
    f = TropicalRationalMap(
        [
            TropicalPolynomial([[0, 0], [1, 0]], [0, 0]),
            TropicalPolynomial([[0, 0], [0, 1]], [0, 0]),
        ],
        [zero, zero],
    )
    res = linear_regions(f, progress=False)
    assert res.n_cells == 4 and res.linear_regions == 4


def test_rg14_tells_the_merge_rules_apart() -> None:
    net = ReLUNet([[[2, 0], [0, 3], [2, 3]], [[1, 1, -1]]])
    for exact in (True, False):
        res = linear_regions(net, exact=exact, progress=False)
        assert (res.linear_regions, res.linear_regions_point_connected) == (6, 5)


def _thresholded(ws, bs, ts):
    """TropicalNN layers ``max(W x + b, t)``: ``max(z, t) = relu(z - t) + t``."""
    ws = [np.array(w, dtype=object) for w in ws]
    bs = [np.array(b, dtype=object) for b in bs]
    for k, t in enumerate(ts):
        t = np.array(t, dtype=object)
        bs[k] = bs[k] - t
        bs[k + 1] = bs[k + 1] + ws[k + 1] @ t
    return ReLUNet([w.tolist() for w in ws], [b.tolist() for b in bs], exact=True)


def test_rg15_deep_nets() -> None:
    t = [[0, 0], [-1, 0]]
    deep1 = _thresholded([[[1], [-1]], [[1, 1], [1, -1]], [[2, -1]]], [[0, 0], [0, 1], [0]], t)
    deep2 = _thresholded(
        [[[1, 0], [0, 1]], [[1, -1], [1, 1]], [[1, -2]]], [[0, -1], [0, 1], [0]], t
    )
    res1 = linear_regions(deep1, exact=True, progress=False)
    assert res1.linear_regions == 3
    assert {(c.matrix, c.offset) for c in res1.cells} == {
        (((F(-2),),), (F(0),)),
        (((F(-3),),), (F(-1),)),
        (((F(1),),), (F(-1),)),
    }
    res2 = linear_regions(deep2, exact=True, progress=False)
    assert res2.linear_regions == 6 and res2.linear_regions_point_connected == 6
    assert {(c.matrix, c.offset) for c in res2.cells} == {
        (((F(a), F(b)),), (F(c),))
        for a, b, c in [(0, 0, -2), (-1, 0, -2), (0, -3, 1), (0, -2, -1), (-1, -3, 1), (-2, -2, -1)]
    }


@pytest.mark.parametrize(
    "name",
    [
        "abs",
        "max2",
        "rg1",
        "rg2",
        "sectors",
        "tent3",
        pytest.param("two_moons", marks=pytest.mark.slow),
    ],
)
def test_bundled_examples_agree_with_the_region_engine(name) -> None:
    """Every bundled example; two_moons (185 regions on R^2, in float: its decimals make the
    exact tropical form slow) is the slow one."""
    net = load(example_path(name))
    if name == "two_moons":
        want = enumerate_regions(net, progress=False)
        res = linear_regions(net, progress=False)
        assert res.linear_regions == want.linear_regions == 185
        assert res.linear_regions_point_connected == want.linear_regions_point_connected
        return
    want = enumerate_regions(net, exact=True, progress=False)
    res = linear_regions(net, exact=True, progress=False)
    assert res.linear_regions == want.linear_regions
    assert res.linear_regions_point_connected == want.linear_regions_point_connected


small = st.integers(-3, 3)


@st.composite
def nets(draw, n_inputs=2):
    widths = [n_inputs] + [draw(st.integers(1, 3)) for _ in range(draw(st.integers(1, 2)))]
    widths.append(draw(st.integers(1, 2)))
    ws, bs = [], []
    for a, b in itertools.pairwise(widths):
        ws.append([[draw(small) for _ in range(a)] for _ in range(b)])
        bs.append([F(draw(small), draw(st.integers(1, 2))) for _ in range(b)])
    return ReLUNet(ws, bs, exact=True)


@settings(max_examples=15)
@given(nets())
def test_counts_equal_the_region_engine_2d(net) -> None:
    want = enumerate_regions(net, exact=True, progress=False)
    res = linear_regions(net, exact=True, progress=False)
    assert res.linear_regions == want.linear_regions
    assert res.linear_regions_point_connected == want.linear_regions_point_connected


@settings(max_examples=10)
@given(nets(n_inputs=1))
def test_counts_equal_the_region_engine_1d(net) -> None:
    want = enumerate_regions(net, exact=True, progress=False)
    res = linear_regions(tropicalize(net, progress=False), progress=False)
    assert res.linear_regions == want.linear_regions
