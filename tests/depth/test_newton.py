"""Newton pairs of ReLU networks: the recurrence checked exactly against evaluation."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurogeom.core.errors import InvalidInputError, UnsupportedLayerError
from neurogeom.depth import check_newton_pair, function_pair, newton_pair, parse_function
from neurogeom.nets.relu import ReLUNet
from neurogeom.polytopes import Polytope


@st.composite
def small_nets(draw, *, bias=True, max_in=3):
    n = draw(st.integers(1, max_in))
    widths = [n, *draw(st.lists(st.integers(1, 3), min_size=1, max_size=2)), 1]
    ints = st.integers(-2, 2)
    weights = [
        [[draw(ints) for _ in range(widths[i])] for _ in range(widths[i + 1])]
        for i in range(len(widths) - 1)
    ]
    biases = [
        [draw(ints) if bias else 0 for _ in range(widths[i + 1])] for i in range(len(widths) - 1)
    ]
    return ReLUNet(weights, biases, exact=True)


def test_hbds_figure_1():
    net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])
    pair = newton_pair(net)
    e1, e2 = Polytope.point([1, 0]), Polytope.point([0, 1])
    seg = Polytope([[1, 0], [0, 1]])
    assert pair.positive == seg + Polytope([[0, 0], [0, 1]]) + e2
    assert pair.negative == Polytope([[0, 1], [0, 2]])
    assert not pair.homogenized and pair.n_inputs == 2
    assert pair([3, 7]) == 7
    assert e1 != e2


@settings(max_examples=40)
@given(small_nets())
def test_pair_matches_evaluation(net):
    pair = newton_pair(net, check=False)
    check_newton_pair(pair, net, n_points=6, seed=1)
    assert pair.homogenized == any(v != 0 for b in net.biases for v in b)


@settings(max_examples=25)
@given(small_nets(bias=False))
def test_bias_free_pairs_are_lattice_and_homogeneous(net):
    pair = newton_pair(net)
    assert not pair.homogenized
    assert pair.positive.is_lattice and pair.negative.is_lattice
    x = [Fraction(3, 2)] * net.n_inputs
    assert pair([2 * v for v in x]) == 2 * pair(x)
    assert pair.recession() is pair


@settings(max_examples=20)
@given(small_nets())
def test_recession_is_the_bias_free_network(net):
    free = ReLUNet(net.weights, [np.zeros_like(b) for b in net.biases], exact=True)
    rec = newton_pair(net).recession()
    direct = newton_pair(free)
    for x in ([1, 0, 0], [-2, 3, 1], [5, -1, 2]):
        x = x[: net.n_inputs]
        assert rec(x) == direct(x)


def test_rational_weights_give_rational_pairs():
    net = ReLUNet([[["1/2", "-1/3"]], [["3/5"]]], [["1/7"], [0]], exact=True)
    pair = newton_pair(net)
    assert pair.homogenized and not pair.positive.is_lattice
    assert pair([1, 1]) == Fraction(3, 5) * max(
        Fraction(0), Fraction(1, 2) - Fraction(1, 3) + Fraction(1, 7)
    )


def test_float_net_is_read_exactly():
    net = ReLUNet([[[0.5, -1.0]], [[2.0]]])
    pair = newton_pair(net)
    assert pair([4, 1]) == 2


def test_named_functions():
    assert function_pair("max:4")([1, 9, 3, 2]) == 9
    assert function_pair("F_3")([-1, -2, -3]) == 0
    assert function_pair("F:3").positive == Polytope.simplex(3)
    assert parse_function("MAX_5") == ("max", 5)
    for bad in ("max:0", "max:x", "min:3", "F_-1"):
        with pytest.raises(InvalidInputError):
            parse_function(bad)


def test_bad_input():
    with pytest.raises(UnsupportedLayerError, match="leaky"):
        newton_pair(ReLUNet([[[1]], [[1]]], negative_slope="1/2"))
    with pytest.raises(InvalidInputError, match="output"):
        newton_pair(ReLUNet([[[1]], [[1]]]), output=3)
    with pytest.raises(InvalidInputError, match="coordinates"):
        function_pair("max:2")([1, 2, 3])


def test_sizes_and_dict():
    pair = newton_pair(ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]]))
    sizes = pair.sizes()
    assert sizes["positive"] == {"vertices": 4, "dimension": 2, "lattice_volume": 2}
    assert sizes["negative"] == {"vertices": 2, "dimension": 1, "lattice_volume": 1}
    assert pair.to_dict()["homogenized"] is False


def test_reduced_pair_hbds():
    pair = newton_pair(ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]]))
    red = pair.reduced()
    assert red.positive == Polytope([[1, 0], [0, 1]]) and red.negative.n_vertices == 1
    assert red([3, 7]) == pair([3, 7]) == 7
    abs_pair = newton_pair(ReLUNet([[[1], [-1]], [[1, 1]]]))  # |x|: convex already
    assert abs_pair.reduced() is abs_pair
