"""RationalNet: evaluation against the direct formula, poles, validation and value semantics."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neurogeom import InvalidInputError, InvalidNetworkError, RationalNet, ReLUNet

EXACT_MODES = pytest.mark.parametrize("exact", [False, True], ids=["float", "exact"])

# f(x, y) = 2 / (x + y + 1) - 1 / (x - y)   (weights of a 2-2-1 rational network)
W2 = [[[1, 1], [1, -1]], [[2, -1]]]
B2 = [[1, 0], [0]]


def f2(x: Fraction, y: Fraction) -> Fraction:
    return 2 / (x + y + 1) - 1 / (x - y)


# g(x) = 1 / (1/x - 1) + 3 = x / (1 - x) + 3   (two hidden layers)
W3 = [[[1]], [[1]], [[1]]]
B3 = [[0], [-1], [3]]


def g3(x: Fraction) -> Fraction:
    return 1 / (1 / x - 1) + 3


# -- evaluation against the direct formula ---------------------------------------------------------

pole_free = st.builds(Fraction, st.integers(-30, 30), st.integers(1, 7))


@given(st.lists(st.tuples(pole_free, pole_free), min_size=1, max_size=5))
def test_two_two_one_matches_the_formula(points: list[tuple[Fraction, Fraction]]) -> None:
    points = [(x, y) for x, y in points if x + y + 1 != 0 and x != y]
    if not points:
        return
    net = RationalNet(W2, B2, exact=True)
    values = net([list(p) for p in points])
    assert values.shape == (len(points), 1)
    assert [v[0] for v in values] == [f2(x, y) for x, y in points]
    fvalues = RationalNet(W2, B2)(np.array(points, dtype=np.float64))
    for v, (x, y) in zip(fvalues[:, 0], points, strict=True):
        scale = abs(float(2 / (x + y + 1))) + abs(float(1 / (x - y)))
        assert abs(v - float(f2(x, y))) <= 1e-9 * scale


@given(pole_free)
def test_two_hidden_layers_match_the_formula(x: Fraction) -> None:
    if x in (0, 1):
        return
    net = RationalNet(W3, B3, exact=True)
    assert net([x])[0] == g3(x) == x / (1 - x) + 3
    scale = 3 + abs(float(1 / (1 / x - 1)))  # the terms that may cancel
    assert abs(RationalNet(W3, B3)([float(x)])[0] - float(g3(x))) <= 1e-9 * scale


@st.composite
def rational_specs(draw: st.DrawFn) -> tuple[list, list]:
    widths = [
        draw(st.integers(1, 3)),
        *draw(st.lists(st.integers(1, 3), min_size=1, max_size=2)),
        draw(st.integers(1, 2)),
    ]
    entry = st.builds(Fraction, st.integers(-5, 5), st.integers(1, 4))
    weights = [
        draw(
            st.lists(
                st.lists(entry, min_size=widths[k], max_size=widths[k]),
                min_size=widths[k + 1],
                max_size=widths[k + 1],
            )
        )
        for k in range(len(widths) - 1)
    ]
    biases = [
        draw(st.lists(entry, min_size=widths[k + 1], max_size=widths[k + 1]))
        for k in range(len(widths) - 1)
    ]
    return weights, biases


def direct(weights: list, biases: list, x: list[Fraction]) -> list[Fraction] | None:
    """The network by hand; ``None`` at a pole."""
    h = x
    for l, (w, b) in enumerate(zip(weights, biases, strict=True)):
        z = [
            sum((a * v for a, v in zip(row, h, strict=True)), bi)
            for row, bi in zip(w, b, strict=True)
        ]
        if l == len(weights) - 1:
            return z
        if any(t == 0 for t in z):
            return None
        h = [1 / t for t in z]
    raise AssertionError("unreachable")


@given(rational_specs(), st.data())
def test_random_nets_match_the_direct_formula(spec: tuple[list, list], data: st.DataObject) -> None:
    weights, biases = spec
    n_in = len(weights[0][0])
    pts = data.draw(
        st.lists(st.lists(pole_free, min_size=n_in, max_size=n_in), min_size=1, max_size=4)
    )
    expected = [direct(weights, biases, x) for x in pts]
    net = RationalNet(weights, biases, exact=True)
    got = net(pts, on_pole="nan")
    for row, exp in zip(got, expected, strict=True):
        if exp is None:
            assert all(v is None for v in row)
        else:
            assert list(row) == exp
    if all(e is not None for e in expected):
        assert (net(pts) == got).all()
    else:
        with pytest.raises(InvalidInputError, match="is a pole"):
            net(pts)


# -- poles -----------------------------------------------------------------------------------------


@EXACT_MODES
def test_pole_in_the_first_hidden_layer_names_point_layer_and_neuron(exact: bool) -> None:
    net = RationalNet(W2, B2, exact=exact)
    with pytest.raises(
        InvalidInputError,
        match=r"^point 1 is a pole: hidden layer 0, neuron 1 has pre-activation 0; "
        r"pass on_pole='nan'",
    ):
        net([[1, 2], [3, 3], [0, 1]])


@EXACT_MODES
def test_pole_in_a_deeper_layer_names_it(exact: bool) -> None:
    net = RationalNet(W3, B3, exact=exact)
    with pytest.raises(InvalidInputError, match=r"^point 2 is a pole: hidden layer 1, neuron 0"):
        net([[2], [3], [1]])
    with pytest.raises(InvalidInputError, match=r"^point 0 is a pole: hidden layer 0, neuron 0"):
        net([0])


def test_on_pole_nan_gives_nan_in_float_mode() -> None:
    net = RationalNet(W3, B3)
    out = net([[2.0], [1.0], [0.0], [-1.0]], on_pole="nan")
    assert out.dtype == np.float64
    assert out.shape == (4, 1)
    assert out[0, 0] == pytest.approx(1.0)
    assert math.isnan(out[1, 0])
    assert math.isnan(out[2, 0])
    assert out[3, 0] == pytest.approx(2.5)
    single = net([1.0], on_pole="nan")
    assert single.shape == (1,)
    assert math.isnan(single[0])


def test_on_pole_nan_gives_none_in_exact_mode() -> None:
    net = RationalNet(W2, B2, exact=True)
    out = net([[1, 2], [3, 3], [-1, 0], ["1/2", "1/3"]], on_pole="nan")
    assert out.dtype == object
    assert out[0, 0] == f2(Fraction(1), Fraction(2))
    assert out[1, 0] is None
    assert out[2, 0] is None
    assert out[3, 0] == f2(Fraction(1, 2), Fraction(1, 3))
    assert RationalNet(W3, B3, exact=True)([1], on_pole="nan").tolist() == [None]


def test_no_pole_no_nan() -> None:
    out = RationalNet(W2, B2)([[1.0, 2.0]], on_pole="nan")
    assert not np.isnan(out).any()


def test_bad_on_pole_option() -> None:
    with pytest.raises(InvalidInputError, match="on_pole must be 'raise' or 'nan', got 'zero'"):
        RationalNet(W2, B2)([1.0, 2.0], on_pole="zero")


# -- shapes, validation, structure -----------------------------------------------------------------


@EXACT_MODES
def test_shapes(exact: bool) -> None:
    net = RationalNet(W2, B2, exact=exact)
    assert net([2, 1]).shape == (1,)
    assert net([[2, 1], [3, 1]]).shape == (2, 1)
    assert net.evaluate([[2, 1]]).shape == (1, 1)
    assert net.architecture == (2, 2, 1)
    assert net.activation == "rational"
    assert net.n_parameters == 9


@EXACT_MODES
def test_input_validation(exact: bool) -> None:
    net = RationalNet(W2, B2, exact=exact)
    with pytest.raises(InvalidInputError, match=r"must have shape \(2,\) or \(N, 2\)"):
        net([1, 2, 3])
    with pytest.raises(InvalidInputError, match="finite"):
        net([math.nan, 1.0])
    with pytest.raises(InvalidInputError, match="finite"):
        net([[1.0, math.inf]])


@EXACT_MODES
def test_construction_validation(exact: bool) -> None:
    with pytest.raises(InvalidNetworkError, match="layer 1: weight has 3 columns but layer 0"):
        RationalNet([[[1, 1], [1, -1]], [[1, 1, 1]]], exact=exact)
    with pytest.raises(InvalidNetworkError, match=r"layer 0: weight\[0, 0\] must be.*finite"):
        RationalNet([[[math.nan]]], exact=exact)
    with pytest.raises(InvalidNetworkError, match="layer 0: weight has 1 rows but bias has"):
        RationalNet([[[1]]], [[1, 2]], exact=exact)
    with pytest.raises(InvalidNetworkError, match="at least one layer"):
        RationalNet([], exact=exact)


def test_single_affine_layer_has_no_poles() -> None:
    net = RationalNet([[[1, -1]]], [[0]], exact=True)
    assert net([3, 3])[0] == 0


def test_exact_literals_and_round_trip() -> None:
    net = RationalNet([[["1/3"]], [[1]]], [[0], ["0.1"]])
    assert net.exact
    assert net([3])[0] == 1 + Fraction(1, 10)
    f = net.to_float()
    assert not f.exact
    assert f([3.0])[0] == pytest.approx(1.1)
    dyadic = RationalNet([[["1/4"]], [[2]]], [[1], ["-1/2"]])
    assert dyadic.to_float().to_exact() == dyadic


def test_equality_hashing_and_repr() -> None:
    a = RationalNet(W2, B2, exact=True)
    b = RationalNet(W2, [[Fraction(1), 0], ["0"]])
    assert a == b
    assert hash(a) == hash(b)
    assert a != RationalNet(W2, B2)
    assert a != RationalNet(W2, [[2, 0], [0]], exact=True)
    assert a != ReLUNet(W2, B2, exact=True)
    assert repr(a) == "RationalNet(2-2-1, rational, exact)"
    assert repr(a.to_float()) == "RationalNet(2-2-1, rational)"
