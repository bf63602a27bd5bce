"""AffineStack: float views of exact literals, names, bias structure and the float64 range.

A float network read from text is the float64 *view* of the exact network the text defines: its
``to_exact()`` returns the literals (0.1 is 1/10), never the binary values of the rounded floats.
The oracle for the building blocks is the same operation done on the exact networks, which the
exact path of ``ReLUNet`` computes independently of any float.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neurogeom import InvalidInputError, RationalNet, ReLUNet
from neurogeom.nets import Float64RangeError

# decimal literals whose float64 roundings are not the decimals (except 0.5)
DECIMALS = ("0.1", "0.2", "0.3", "-0.7", "0.5", "1.1", "-2.3", "3")


@st.composite
def literal_specs(draw: st.DrawFn, *, min_layers: int = 1, max_layers: int = 3) -> tuple:
    n_layers = draw(st.integers(min_layers, max_layers))
    widths = [draw(st.integers(1, 3)) for _ in range(n_layers + 1)]
    literal = st.sampled_from(DECIMALS)
    weights = [
        [[draw(literal) for _ in range(widths[l])] for _ in range(widths[l + 1])]
        for l in range(n_layers)
    ]
    biases = [
        draw(st.none() | st.lists(literal, min_size=widths[l + 1], max_size=widths[l + 1]))
        for l in range(n_layers)
    ]
    slope = draw(st.sampled_from(("0", "0.1", "1/3")))
    return weights, biases, slope


def _nets(spec: tuple) -> tuple[ReLUNet, ReLUNet]:
    """The exact network of a spec of literals and its float view (built from the literals)."""
    weights, biases, slope = spec
    exact = ReLUNet(weights, biases, negative_slope=slope, exact=True)
    view = ReLUNet(weights, biases, negative_slope=slope, exact=False)
    return exact, view


# -- float views of literals --------------------------------------------------------------------
def test_float_view_returns_the_literals() -> None:
    view = ReLUNet([[["0.1", "0.2"]], [["0.3"]]], [["-0.3"], None], exact=False)
    assert not view.exact
    assert view.weights[0].tolist() == [[0.1, 0.2]]
    exact = view.to_exact()
    assert exact.weights[0].tolist() == [[Fraction(1, 10), Fraction(1, 5)]]
    assert exact.biases[0].tolist() == [Fraction(-3, 10)]
    assert exact.to_float() == view  # the round trip keeps the literals


def test_plain_floats_convert_to_their_binary_values() -> None:
    net = ReLUNet([[[0.1]]])
    assert net.to_exact().weights[0][0, 0] == Fraction(0.1) != Fraction(1, 10)


def test_to_float_of_an_exact_net_keeps_it_as_the_source() -> None:
    exact = ReLUNet([[["1/3", "0.1"]]], negative_slope="1/7")
    assert exact.to_float().to_exact() is exact


def test_a_literal_slope_with_float_weights() -> None:
    net = ReLUNet([[[1.0]], [[2.0]]], negative_slope="0.1")
    assert net.negative_slope == 0.1
    assert net.to_exact().negative_slope == Fraction(1, 10)


def test_literals_equal_to_their_floats_add_nothing() -> None:
    """A dyadic literal is its float: the view equals the plain float network."""
    view = ReLUNet([[["0.5", "-2"]]], [["0.25"]], exact=False)
    plain = ReLUNet([[[0.5, -2.0]]], [[0.25]])
    assert view == plain and hash(view) == hash(plain)


def test_a_view_keeps_the_sign_of_zero() -> None:
    net = ReLUNet([np.array([[-0.0, 1.0]])], [np.array([-0.0])], negative_slope="0.1")
    assert np.signbit(net.weights[0][0, 0]) and np.signbit(net.biases[0][0])


def test_rational_net_views() -> None:
    view = RationalNet([[["0.1"]], [["0.2"]]], exact=False)
    assert view.to_exact().weights[1][0, 0] == Fraction(1, 5)
    assert view.to_exact().to_float() == view


# -- equality -----------------------------------------------------------------------------------
def test_a_view_differs_from_the_plain_float_network_with_the_same_floats() -> None:
    view = ReLUNet([[["0.1"]]], exact=False)
    plain = ReLUNet([[[0.1]]])
    assert view.weights[0].tobytes() == plain.weights[0].tobytes()
    assert view != plain  # their exact networks differ
    assert view == ReLUNet([[[Fraction(1, 10)]]], exact=False)


@given(literal_specs(), literal_specs())
def test_equal_networks_have_equal_exact_networks(spec_a: tuple, spec_b: tuple) -> None:
    nets = [*_nets(spec_a), *_nets(spec_b)]
    nets += [n.to_exact().to_float() for n in nets] + [
        ReLUNet(
            [np.array(w, dtype=np.float64) for w in nets[1].weights],
            [
                np.array(b, dtype=np.float64) if h else None
                for b, h in zip(nets[1].biases, nets[1].has_bias, strict=True)
            ],
            negative_slope=float(nets[1].negative_slope),
        )
    ]
    for a in nets:
        for b in nets:
            if a == b:
                assert hash(a) == hash(b)
                assert a.to_exact() == b.to_exact()
                assert a.exact == b.exact


# -- building blocks keep the literals ----------------------------------------------------------
OPS: dict[str, Callable[[ReLUNet, ReLUNet], ReLUNet]] = {
    "sum": lambda f, g: f + g,
    "difference": lambda f, g: f - g,
    "scaled by a literal": lambda f, g: f * "0.3",
    "scaled by a float": lambda f, g: 2.5 * f,
    "negated": lambda f, g: -f,
    "parallel": lambda f, g: f.parallel(g),
    "stack": lambda f, g: ReLUNet.stack([f, g, f]),
    "linear_output": lambda f, g: f.linear_output([["0.1"] * f.n_outputs], ["0.7"]),
}


def _same_shape(spec_a: tuple, spec_b: tuple) -> tuple[tuple, tuple]:
    """Give spec_b the input and output widths and the slope of spec_a."""
    wa, _, slope = spec_a
    wb, bb, _ = spec_b
    wb = [list(map(list, w)) for w in wb]
    wb[0] = [[row[0]] * len(wa[0][0]) for row in wb[0]]
    n_out = len(wa[-1])
    wb[-1] = [wb[-1][0]] * n_out
    bb = list(bb)
    bb[-1] = None if bb[-1] is None else [bb[-1][0]] * n_out
    return spec_a, (wb, bb, slope)


@pytest.mark.parametrize("op", OPS, ids=list(OPS))
@given(spec_a=literal_specs(), spec_b=literal_specs())
def test_building_blocks_on_views_are_exact_operations(
    op: str, spec_a: tuple, spec_b: tuple
) -> None:
    spec_a, spec_b = _same_shape(spec_a, spec_b)
    exact_a, view_a = _nets(spec_a)
    exact_b, view_b = _nets(spec_b)
    want = OPS[op](exact_a, exact_b)  # the oracle: the exact operation
    got = OPS[op](view_a, view_b)
    assert not got.exact
    assert got.to_exact() == want
    assert got == want.to_float()
    assert got.has_bias == want.has_bias


@given(spec_a=literal_specs(min_layers=2), spec_b=literal_specs())
def test_compose_on_views_is_the_exact_composition(spec_a: tuple, spec_b: tuple) -> None:
    wa, ba, slope = spec_a
    wb, bb, _ = spec_b
    wb = [list(map(list, w)) for w in wb]
    wb[0] = [[row[0]] * len(wa[-1]) for row in wb[0]]  # outer takes inner's outputs
    exact_a, view_a = _nets((wa, ba, slope))
    exact_b, view_b = _nets((wb, bb, slope))
    got = view_a.compose(view_b)
    assert got.to_exact() == exact_a.compose(exact_b)
    assert got == exact_a.compose(exact_b).to_float()


def test_padding_keeps_literals_and_adds_layers_without_bias() -> None:
    deep = ReLUNet([[["0.1"]], [["0.2"]], [["0.3"]]], [["0.1"], ["0.2"], ["0.3"]], exact=False)
    shallow = ReLUNet([[["0.7"]]], [["0.1"]], exact=False)
    both = deep.parallel(shallow)
    assert both.to_exact() == deep.to_exact().parallel(shallow.to_exact())
    assert both.has_bias == (True, True, True)
    assert shallow._padded(3).has_bias == (True, False, False)
    # deep(2) = 0.3 * (0.2 * (0.1 * 2 + 0.1) + 0.2) + 0.3, shallow(2) = 0.7 * 2 + 0.1
    assert both.to_exact()([2]).tolist() == [Fraction(378, 1000), Fraction(3, 2)]
    assert both([2.0]).tolist() == pytest.approx([0.378, 1.5])


def test_mixing_slopes_that_only_agree_in_float64_is_refused() -> None:
    view = ReLUNet([[[1.0]], [[1.0]]], negative_slope="0.1")
    plain = ReLUNet([[[1.0]], [[1.0]]], negative_slope=0.1)
    assert view.negative_slope == plain.negative_slope
    with pytest.raises(InvalidInputError, match=r"same float64 slope 0\.1 but differ exactly"):
        view + plain


# -- names --------------------------------------------------------------------------------------
def test_names_are_kept_by_conversions_and_not_compared() -> None:
    net = ReLUNet([[["0.1"]], [[1]]], name="net.json", exact=False)
    assert net.name == "net.json"
    assert net.to_exact().name == "net.json" and net.to_exact().to_float().name == "net.json"
    other = net.with_name("other.json")
    assert other == net and hash(other) == hash(net) and other.name == "other.json"
    assert other.to_exact().name == "other.json"
    assert repr(net) == "ReLUNet(1-1-1)"
    assert (net + net).name is None


def test_a_name_must_be_a_string() -> None:
    with pytest.raises(InvalidInputError, match="name must be a string"):
        ReLUNet([[[1.0]]]).with_name(3)  # type: ignore[arg-type]


# -- the float64 range --------------------------------------------------------------------------
def test_to_float_names_the_network_and_the_entry() -> None:
    net = ReLUNet([[[1, 2], [3, "-2e400"]], [[1, 1]]], name="huge.json")
    with pytest.raises(Float64RangeError) as err:
        net.to_float()
    msg = str(err.value)
    assert msg.startswith("huge.json: layer 0: weight[1, 1] (about -2e+400)")
    assert "beyond the float64 range" in msg
    assert "keep the network exact" not in msg
    assert err.value.entry == "layer 0: weight[1, 1] (about -2e+400)"


def test_a_huge_slope_is_named() -> None:
    net = ReLUNet([[[1]], [[1]]], negative_slope="1e500", exact=True)
    with pytest.raises(Float64RangeError, match=r"negative_slope \(about 1e\+500\)"):
        net.to_float()


def test_a_float_network_of_huge_literals_cannot_be_built() -> None:
    with pytest.raises(Float64RangeError, match=r"layer 1: bias\[0\] \(about 1e\+309\)"):
        ReLUNet([[[1]], [[1]]], [[0], ["1e309"]], exact=False)


# -- bias structure -----------------------------------------------------------------------------
def test_layers_without_bias_count_no_bias_parameters() -> None:
    net = ReLUNet([np.ones((4, 2)), np.ones((4, 4)), np.ones((1, 4))])  # no biases at all
    assert net.has_bias == (False, False, False)
    assert net.n_parameters == 8 + 16 + 4
    assert [b.tolist() for b in net.biases] == [[0.0] * 4, [0.0] * 4, [0.0]]


def test_bias_structure_is_part_of_the_value_and_survives_conversions() -> None:
    without = ReLUNet([[[1, 2]], [[3]]], [None, [0]], exact=True)
    with_zero = ReLUNet([[[1, 2]], [[3]]], [[0], [0]], exact=True)
    assert without([[1, 1]]).tolist() == with_zero([[1, 1]]).tolist()
    assert without != with_zero
    assert without.to_float().has_bias == (False, True)
    assert without.to_float().to_exact() == without
    assert (without * 2).has_bias == (False, True)
