"""ReLUNet: validation, evaluation, exact vs float, local affine maps and building blocks.

The property tests draw small random networks with rational weights (denominators <= 8) and
compare the library against :func:`reference`, an independent evaluation loop over Python
``Fraction`` lists. Float results are compared within ``1e-9`` relative to :func:`magnitude`, a
bound on every intermediate value, so the comparison is scale-aware and never flaky.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neurogeom import InvalidInputError, InvalidNetworkError, RationalNet, ReLUNet

REL = 1e-9
SLOPES = (Fraction(0), Fraction(1, 4))

# -- an independent reference implementation ------------------------------------------------------

Vector = list[Fraction]
Matrix = list[list[Fraction]]


@dataclass(frozen=True)
class Spec:
    """The raw data of a random network, with a reference evaluation independent of ReLUNet."""

    weights: tuple[Matrix, ...]
    biases: tuple[Vector, ...]
    slope: Fraction

    @property
    def n_inputs(self) -> int:
        return len(self.weights[0][0])

    @property
    def n_outputs(self) -> int:
        return len(self.weights[-1])

    def net(self, exact: bool) -> ReLUNet:
        """The network, built from Fractions (exact) or from rounded floats (float mode)."""
        if exact:
            return ReLUNet(
                [list(map(list, w)) for w in self.weights],
                [list(b) for b in self.biases],
                negative_slope=self.slope,
                exact=True,
            )
        return ReLUNet(
            [np.array(w, dtype=np.float64) for w in self.weights],
            [np.array(b, dtype=np.float64) for b in self.biases],
            negative_slope=float(self.slope),
        )

    def preactivations(self, x: Vector) -> list[Vector]:
        h = list(x)
        out = []
        for l, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            z = [
                sum((wij * hj for wij, hj in zip(row, h, strict=True)), bi)
                for row, bi in zip(w, b, strict=True)
            ]
            out.append(z)
            h = z if l == len(self.weights) - 1 else [t if t > 0 else self.slope * t for t in z]
        return out

    def __call__(self, x: Vector) -> Vector:
        return self.preactivations(x)[-1]

    def magnitude(self, x_abs: list[float]) -> tuple[list[float], float]:
        """Bounds on |output| and on every |intermediate value| for inputs bounded by ``x_abs``."""
        h = list(x_abs)
        biggest = max([1.0, *h])
        for w, b in zip(self.weights, self.biases, strict=True):
            h = [
                sum(abs(float(wij)) * hj for wij, hj in zip(row, h, strict=True)) + abs(float(bi))
                for row, bi in zip(w, b, strict=True)
            ]
            biggest = max(biggest, *h)
        return h, biggest


def reference(spec: Spec, points: list[Vector]) -> list[Vector]:
    return [spec(x) for x in points]


def scale_of(spec: Spec, points: list[Vector]) -> float:
    return max(spec.magnitude([abs(float(v)) for v in x])[1] for x in points)


def assert_exact_equal(values: np.ndarray, expected: list[Vector]) -> None:
    assert values.dtype == object
    assert values.shape == (len(expected), len(expected[0]))
    for row, exp in zip(values, expected, strict=True):
        assert all(isinstance(v, Fraction) for v in row)
        assert list(row) == exp


def assert_float_close(values: np.ndarray, expected: list[Vector], scale: float) -> None:
    assert values.dtype == np.float64
    assert values.shape == (len(expected), len(expected[0]))
    for row, exp in zip(values, expected, strict=True):
        for v, e in zip(row, exp, strict=True):
            assert abs(v - float(e)) <= REL * scale, (v, e, scale)


def as_input(points: list[Vector], exact: bool) -> Any:
    return points if exact else np.array(points, dtype=np.float64)


# -- strategies ------------------------------------------------------------------------------------

weight_values = st.builds(Fraction, st.integers(-8, 8), st.integers(1, 8))
coordinates = st.builds(Fraction, st.integers(-24, 24), st.integers(1, 8))


@st.composite
def specs(
    draw: st.DrawFn,
    *,
    n_inputs: int | None = None,
    n_outputs: int | None = None,
    slope: Fraction | None = None,
    min_hidden: int = 1,
    max_hidden: int = 3,
) -> Spec:
    n_in = n_inputs if n_inputs is not None else draw(st.integers(1, 3))
    n_out = n_outputs if n_outputs is not None else draw(st.integers(1, 2))
    hidden = draw(st.lists(st.integers(1, 5), min_size=min_hidden, max_size=max_hidden))
    widths = [n_in, *hidden, n_out]
    weights, biases = [], []
    for k in range(len(widths) - 1):
        rows, cols = widths[k + 1], widths[k]
        weights.append(
            draw(
                st.lists(
                    st.lists(weight_values, min_size=cols, max_size=cols),
                    min_size=rows,
                    max_size=rows,
                )
            )
        )
        biases.append(draw(st.lists(weight_values, min_size=rows, max_size=rows)))
    s = slope if slope is not None else draw(st.sampled_from(SLOPES))
    return Spec(tuple(weights), tuple(biases), s)


def point_lists(n_inputs: int, *, min_size: int = 1, max_size: int = 5) -> st.SearchStrategy:
    return st.lists(
        st.lists(coordinates, min_size=n_inputs, max_size=n_inputs),
        min_size=min_size,
        max_size=max_size,
    )


# -- construction validation -----------------------------------------------------------------------

EXACT_MODES = pytest.mark.parametrize("exact", [False, True], ids=["float", "exact"])


@EXACT_MODES
def test_broken_shape_chain_names_both_layers_and_widths(exact: bool) -> None:
    with pytest.raises(
        InvalidNetworkError, match=r"^layer 1: weight has 3 columns but layer 0 has 2 outputs$"
    ):
        ReLUNet([[[1, 2], [3, 4]], [[1, 2, 3]]], exact=exact)


@EXACT_MODES
def test_wrong_bias_length_names_layer_and_lengths(exact: bool) -> None:
    with pytest.raises(
        InvalidNetworkError, match=r"^layer 1: weight has 1 rows but bias has length 2$"
    ):
        ReLUNet([[[1], [2]], [[1, 1]]], [[0, 0], [0, 0]], exact=exact)


@EXACT_MODES
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_weight_names_layer_index_and_value(exact: bool, bad: float) -> None:
    with pytest.raises(InvalidNetworkError, match=r"^layer 1: weight\[0, 1\] must be") as info:
        ReLUNet([[[1], [2]], [[1, bad]]], exact=exact)
    assert "finite" in str(info.value)
    assert repr(bad).strip("-") in str(info.value)


@EXACT_MODES
def test_non_finite_bias_names_layer_index_and_value(exact: bool) -> None:
    with pytest.raises(InvalidNetworkError, match=r"^layer 0: bias\[1\] must be") as info:
        ReLUNet([[[1], [2]], [[1, 1]]], [[0, math.nan], [0]], exact=exact)
    assert "nan" in str(info.value)


@EXACT_MODES
def test_no_layers(exact: bool) -> None:
    with pytest.raises(InvalidNetworkError, match="at least one layer"):
        ReLUNet([], exact=exact)


@EXACT_MODES
def test_one_dimensional_weight_names_layer_and_shape(exact: bool) -> None:
    with pytest.raises(
        InvalidNetworkError, match=r"^layer 0: weight must have 2 dimension\(s\), got shape \(3,\)$"
    ):
        ReLUNet([[1, 2, 3]], exact=exact)


@EXACT_MODES
def test_three_dimensional_weight_names_layer_and_shape(exact: bool) -> None:
    with pytest.raises(InvalidNetworkError, match=r"^layer 0: weight .*\(1, 1, 1\)"):
        ReLUNet([[[[1]]]], exact=exact)


@EXACT_MODES
def test_two_dimensional_bias_names_layer_and_shape(exact: bool) -> None:
    with pytest.raises(InvalidNetworkError, match=r"^layer 0: bias .*\(1, 1\)"):
        ReLUNet([[[1, 2]]], [[[0]]], exact=exact)


@EXACT_MODES
def test_ragged_weight_names_the_layer_and_shape(exact: bool) -> None:
    with pytest.raises(InvalidNetworkError, match=r"^layer 1: weight") as info:
        ReLUNet([[[1], [2]], [[1, 2], [3]]], exact=exact)
    assert "shape" in str(info.value)


@EXACT_MODES
def test_empty_weight_names_layer_and_shape(exact: bool) -> None:
    with pytest.raises(InvalidNetworkError, match=r"^layer 0: weight has an empty shape \(0, 2\)"):
        ReLUNet([np.zeros((0, 2))], exact=exact)


@EXACT_MODES
def test_garbage_literal_names_layer_and_value(exact: bool) -> None:
    with pytest.raises(InvalidNetworkError, match=r"^layer 0: weight.*'x'"):
        ReLUNet([[[1, "x"]]], exact=exact)


@EXACT_MODES
def test_weight_and_bias_counts_must_match(exact: bool) -> None:
    with pytest.raises(InvalidNetworkError, match="2 weight matrices but 1 bias vectors"):
        ReLUNet([[[1]], [[1]]], [[0]], exact=exact)


def test_weights_must_be_a_list_of_layers() -> None:
    with pytest.raises(InvalidNetworkError, match=r"list of 2-D arrays.*ndarray"):
        ReLUNet(np.ones((2, 2)))
    with pytest.raises(InvalidNetworkError, match="list of 2-D arrays"):
        ReLUNet(5)


@EXACT_MODES
@pytest.mark.parametrize("slope", [1, 1.0, "1", Fraction(1)])
def test_negative_slope_one_is_refused(exact: bool, slope: Any) -> None:
    with pytest.raises(InvalidNetworkError, match="negative_slope = 1 makes the activation"):
        ReLUNet([[[1]], [[1]]], negative_slope=slope, exact=exact)


@EXACT_MODES
@pytest.mark.parametrize("slope", [math.nan, math.inf, "abc"])
def test_bad_negative_slope_names_the_value(exact: bool, slope: Any) -> None:
    with pytest.raises(InvalidNetworkError, match=r"^negative_slope must be") as info:
        ReLUNet([[[1]], [[1]]], negative_slope=slope, exact=exact)
    assert repr(slope).strip("'") in str(info.value)


def test_constructor_copies_its_inputs_and_the_layers_are_read_only() -> None:
    w = np.array([[1.0, 2.0]])
    net = ReLUNet([w], [np.array([0.5])])
    w[0, 0] = 99.0
    assert net.weights[0][0, 0] == 1.0
    with pytest.raises(ValueError, match="read-only"):
        net.weights[0][0, 0] = 3.0
    with pytest.raises(ValueError, match="read-only"):
        net.biases[0][0] = 3.0
    exact = net.to_exact()
    with pytest.raises(ValueError, match="read-only"):
        exact.weights[0][0, 0] = Fraction(3)


def test_exact_is_inferred_from_the_entries() -> None:
    assert not ReLUNet([[[1, 2]]]).exact
    assert not ReLUNet([[[1.5, 2]]]).exact
    assert ReLUNet([[["1/2", 2]]]).exact
    assert ReLUNet([[[Fraction(1, 2), 2]]]).exact
    assert ReLUNet([[[1, 2]]], [["0.1"]]).exact
    assert ReLUNet([[["0.1", 2]]]).weights[0][0, 0] == Fraction(1, 10)
    assert ReLUNet([[["1/2", 2]]], exact=False).weights[0].dtype == np.float64


# -- structure -------------------------------------------------------------------------------------


def test_structure_properties() -> None:
    net = ReLUNet([np.ones((3, 2)), np.ones((4, 3)), np.ones((1, 4))], [None, np.zeros(4), [0]])
    assert net.architecture == (2, 3, 4, 1)
    assert net.n_inputs == 2
    assert net.n_outputs == 1
    assert net.n_layers == 3
    assert net.hidden_widths == (3, 4)
    assert net.n_hidden == 7
    assert net.n_parameters == 3 * 2 + 4 * 3 + 4 + 4 + 1  # layer 0 has no bias
    assert net.has_bias == (False, True, True)
    assert net.hidden_slices == (slice(0, 3), slice(3, 7))
    assert len(net.layers) == 3
    assert net.layers[1][0].shape == (4, 3)
    assert net.layers[1][1].shape == (4,)
    assert net.activation == "relu"
    assert net.negative_slope == 0
    assert all(b.tolist() == [0.0] * b.shape[0] for b in net.biases)


def test_activation_names() -> None:
    assert ReLUNet([[[1]], [[1]]], negative_slope="1/4", exact=True).activation == (
        "leaky_relu:1/4"
    )
    assert ReLUNet([[[1]], [[1]]], negative_slope=0.25).activation == "leaky_relu:0.25"
    assert ReLUNet([[[1]], [[1]]], negative_slope=2, exact=True).activation == "leaky_relu:2"
    leaky = ReLUNet([[[1]], [[1]]], negative_slope="0.25", exact=True)
    assert leaky.negative_slope == Fraction(1, 4)
    assert isinstance(leaky.negative_slope, Fraction)
    assert isinstance(leaky.to_float().negative_slope, float)


def test_repr() -> None:
    assert repr(ReLUNet([np.ones((3, 2)), np.ones((1, 3))])) == "ReLUNet(2-3-1)"
    assert repr(ReLUNet([np.ones((3, 2)), np.ones((1, 3))], exact=True)) == (
        "ReLUNet(2-3-1, exact)"
    )
    assert repr(ReLUNet([[[1]], [[1]]], negative_slope="1/4", exact=True)) == (
        "ReLUNet(1-1-1, leaky_relu:1/4, exact)"
    )
    assert repr(ReLUNet([[[1]], [[1]]], negative_slope=0.25)) == "ReLUNet(1-1-1, leaky_relu:0.25)"
    assert repr(ReLUNet([[[1, 2]]])) == "ReLUNet(2-1)"


# -- evaluation shapes and input validation --------------------------------------------------------

MAX2 = [[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]]  # max(x, y)


@EXACT_MODES
def test_single_point_and_batch_shapes(exact: bool) -> None:
    net = ReLUNet([np.ones((3, 2)), np.ones((2, 3))], exact=exact)
    kind = object if exact else np.float64
    one = net.evaluate([1, 2])
    assert one.shape == (2,)
    assert one.dtype == kind
    batch = net.evaluate([[1, 2], [3, 4], [5, 6]])
    assert batch.shape == (3, 2)
    assert batch.dtype == kind
    assert net.evaluate([[1, 2]]).shape == (1, 2)
    assert np.array_equal(net([1, 2]), one)
    assert len(net.preactivations([1, 2])) == 2
    assert [z.shape for z in net.preactivations([[1, 2], [3, 4]])] == [(2, 3), (2, 2)]
    assert net.activation_patterns([1, 2]).shape == (1, 3)
    assert net.activation_patterns([[1, 2], [3, 4]]).dtype == bool


@EXACT_MODES
def test_max2_values(exact: bool) -> None:
    net = ReLUNet(MAX2, exact=exact)
    pts = [[3, 1], [-2, 5], [0, 0], [-1, -3]]
    assert [float(v) for v in net(pts).ravel()] == [3.0, 5.0, 0.0, -1.0]


def test_exact_mode_reads_literals_as_written() -> None:
    net = ReLUNet(MAX2, exact=True)
    assert net(["0.1", "1/3"])[0] == Fraction(1, 3)
    assert net([0.1, "1/30"])[0] == Fraction(0.1)
    assert net([Fraction(1, 7), -2])[0] == Fraction(1, 7)


@EXACT_MODES
@pytest.mark.parametrize("bad", [[1.0, 2.0, 3.0], [[1.0], [2.0]], [[[1.0, 2.0]]], 1.0, []])
def test_wrong_input_dimension(exact: bool, bad: Any) -> None:
    net = ReLUNet(MAX2, exact=exact)
    with pytest.raises(InvalidInputError, match=r"x must have shape \(2,\) or \(N, 2\)") as info:
        net(bad)
    assert str(np.shape(bad)) in str(info.value)


@EXACT_MODES
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_input(exact: bool, bad: float) -> None:
    net = ReLUNet(MAX2, exact=exact)
    with pytest.raises(InvalidInputError, match=r"x\[1, 0\] must be") as info:
        net([[0.0, 1.0], [bad, 1.0]])
    assert "finite" in str(info.value)
    with pytest.raises(InvalidInputError):
        net.activation_patterns([0.0, bad])


@EXACT_MODES
def test_non_numeric_input(exact: bool) -> None:
    net = ReLUNet(MAX2, exact=exact)
    with pytest.raises(InvalidInputError):
        net([["a", "b"]])
    with pytest.raises(InvalidInputError):
        net([None, 1])


def test_affine_map_at_takes_one_point_and_pattern_length_is_checked() -> None:
    net = ReLUNet(MAX2)
    with pytest.raises(InvalidInputError, match="one point"):
        net.affine_map_at([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(InvalidInputError, match="pattern must have length 3"):
        net.local_affine_map([True, False])
    with pytest.raises(InvalidInputError, match="pattern must have length 3"):
        net.preactivation_maps([[True, False, True]])


def test_active_means_strictly_positive() -> None:
    net = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]])
    pats = net.activation_patterns([[-2.0], [0.0], [1.0]])
    assert pats.tolist() == [[False, True], [False, False], [True, False]]


def test_leaky_activation_values() -> None:
    net = ReLUNet([[[1]], [[1]]], negative_slope="1/4", exact=True)
    assert net([-8])[0] == -2
    assert net([8])[0] == 8
    big = ReLUNet([[[1]], [[1]]], negative_slope=3, exact=True)  # max(t, 3t) is not σ here
    assert big([-1])[0] == -3


def test_net_without_hidden_layers_is_affine() -> None:
    net = ReLUNet([[[1, 2]]], [[3]], exact=True)
    assert net([1, 1])[0] == 6
    assert net.activation_patterns([[1, 1], [0, 0]]).shape == (2, 0)
    m, c = net.affine_map_at([5, 7])
    assert m.tolist() == [[1, 2]]
    assert c.tolist() == [3]


# -- exact vs float: property tests ----------------------------------------------------------------


@given(st.data())
def test_exact_evaluation_matches_reference_and_float(data: st.DataObject) -> None:
    spec = data.draw(specs())
    pts = data.draw(point_lists(spec.n_inputs))
    expected = reference(spec, pts)
    assert_exact_equal(spec.net(True)(pts), expected)
    assert_float_close(spec.net(False)(as_input(pts, False)), expected, scale_of(spec, pts))
    # the exact net converted to float is the float net
    assert_float_close(
        spec.net(True).to_float()(as_input(pts, False)), expected, scale_of(spec, pts)
    )


@given(st.data())
def test_preactivations_match_reference(data: st.DataObject) -> None:
    spec = data.draw(specs())
    pts = data.draw(point_lists(spec.n_inputs))
    for exact in (True, False):
        zs = spec.net(exact).preactivations(as_input(pts, exact))
        assert len(zs) == len(spec.weights)
        for l, z in enumerate(zs):
            expected = [spec.preactivations(x)[l] for x in pts]
            if exact:
                assert_exact_equal(z, expected)
            else:
                assert_float_close(z, expected, scale_of(spec, pts))


@given(st.data())
def test_affine_map_at_reproduces_the_output(data: st.DataObject) -> None:
    spec = data.draw(specs())
    x = data.draw(point_lists(spec.n_inputs, max_size=1))[0]
    expected = spec(x)
    exact_net = spec.net(True)
    m, c = exact_net.affine_map_at(x)
    assert m.shape == (spec.n_outputs, spec.n_inputs)
    assert c.shape == (spec.n_outputs,)
    assert list(m @ np.array(x, dtype=object) + c) == expected
    fm, fc = spec.net(False).affine_map_at(np.array(x, dtype=np.float64))
    assert fm.dtype == np.float64
    value = fm @ np.array(x, dtype=np.float64) + fc
    assert_float_close(value[None, :], [expected], scale_of(spec, [x]))


@given(st.data())
def test_preactivation_maps_reproduce_preactivations(data: st.DataObject) -> None:
    spec = data.draw(specs())
    x = data.draw(point_lists(spec.n_inputs, max_size=1))[0]
    net = spec.net(True)
    pattern = net.activation_patterns([x])[0]
    maps = net.preactivation_maps(pattern)
    assert len(maps) == net.n_layers
    expected = spec.preactivations(x)
    xa = np.array(x, dtype=object)
    for (a, c), z in zip(maps, expected, strict=True):
        assert list(a @ xa + c) == z
    # the last map is the local affine map
    m, c = net.local_affine_map(pattern)
    assert (m == maps[-1].matrix).all()
    assert (c == maps[-1].offset).all()
    # float mode, same pattern
    fnet = spec.net(False)
    fmaps = fnet.preactivation_maps(pattern)
    xf = np.array(x, dtype=np.float64)
    for (a, c), z in zip(fmaps, expected, strict=True):
        assert_float_close((a @ xf + c)[None, :], [z], scale_of(spec, [x]))


@given(st.data())
def test_activation_patterns_agree_off_the_hyperplanes(data: st.DataObject) -> None:
    spec = data.draw(specs())
    pts = data.draw(point_lists(spec.n_inputs))
    exact_pats = spec.net(True).activation_patterns(pts)
    float_pats = spec.net(False).activation_patterns(as_input(pts, False))
    assert exact_pats.shape == float_pats.shape == (len(pts), sum(map(len, spec.biases[:-1])))
    for i, x in enumerate(pts):
        z = [t for layer in spec.preactivations(x)[:-1] for t in layer]
        assert exact_pats[i].tolist() == [t > 0 for t in z]
        off = [t != 0 for t in z]
        assert [e for e, o in zip(exact_pats[i], off, strict=True) if o] == [
            f for f, o in zip(float_pats[i], off, strict=True) if o
        ]


@given(st.data())
def test_patterns_index_the_local_maps(data: st.DataObject) -> None:
    """Points with the same pattern get the same local affine map."""
    spec = data.draw(specs(max_hidden=2))
    pts = data.draw(point_lists(spec.n_inputs, min_size=2, max_size=6))
    net = spec.net(True)
    pats = net.activation_patterns(pts)
    for x, p in zip(pts, pats, strict=True):
        m, c = net.local_affine_map(p)
        assert list(m @ np.array(x, dtype=object) + c) == spec(x)


# -- building blocks -------------------------------------------------------------------------------

block_specs = {"min_hidden": 0, "max_hidden": 3}


def _draw_pair(data: st.DataObject, *, same_outputs: bool) -> tuple[Spec, Spec]:
    f = data.draw(specs(**block_specs), label="f")
    g = data.draw(
        specs(
            n_inputs=f.n_inputs,
            n_outputs=f.n_outputs if same_outputs else None,
            slope=f.slope,
            **block_specs,
        ),
        label="g",
    )
    return f, g


def _check(
    net: ReLUNet, pts: list[Vector], expected: list[Vector], scale: float, exact: bool
) -> None:
    assert net.exact == exact
    values = net(as_input(pts, exact))
    if exact:
        assert_exact_equal(values, expected)
    else:
        assert_float_close(values, expected, scale)


@EXACT_MODES
@given(data=st.data())
def test_sum_and_difference(exact: bool, data: st.DataObject) -> None:
    f, g = _draw_pair(data, same_outputs=True)
    pts = data.draw(point_lists(f.n_inputs), label="points")
    scale = scale_of(f, pts) + scale_of(g, pts)
    fn, gn = f.net(exact), g.net(exact)
    total = fn + gn
    assert total.negative_slope == f.slope
    _check(
        total, pts, [[a + b for a, b in zip(f(x), g(x), strict=True)] for x in pts], scale, exact
    )
    _check(
        fn - gn, pts, [[a - b for a, b in zip(f(x), g(x), strict=True)] for x in pts], scale, exact
    )


@EXACT_MODES
@given(data=st.data())
def test_scaling_and_negation(exact: bool, data: st.DataObject) -> None:
    f = data.draw(specs(**block_specs), label="f")
    c = data.draw(weight_values, label="c")
    pts = data.draw(point_lists(f.n_inputs), label="points")
    fn = f.net(exact)
    scale = 8 * scale_of(f, pts)
    factor = c if exact else float(c)
    _check(fn * factor, pts, [[c * v for v in f(x)] for x in pts], scale, exact)
    _check(factor * fn, pts, [[c * v for v in f(x)] for x in pts], scale, exact)
    _check(-fn, pts, [[-v for v in f(x)] for x in pts], scale, exact)
    assert (fn * factor).architecture == fn.architecture


@EXACT_MODES
@given(data=st.data())
def test_parallel_and_stack(exact: bool, data: st.DataObject) -> None:
    f, g = _draw_pair(data, same_outputs=False)
    h = data.draw(specs(n_inputs=f.n_inputs, slope=f.slope, **block_specs), label="h")
    pts = data.draw(point_lists(f.n_inputs), label="points")
    scale = scale_of(f, pts) + scale_of(g, pts) + scale_of(h, pts)
    fn, gn, hn = f.net(exact), g.net(exact), h.net(exact)
    both = fn.parallel(gn)
    assert both.n_outputs == f.n_outputs + g.n_outputs
    assert both.n_layers == max(fn.n_layers, gn.n_layers)
    _check(both, pts, [f(x) + g(x) for x in pts], scale, exact)
    stacked = ReLUNet.stack([fn, gn, hn])
    _check(stacked, pts, [f(x) + g(x) + h(x) for x in pts], scale, exact)
    assert ReLUNet.stack([fn]) is fn


@EXACT_MODES
@given(data=st.data())
def test_compose(exact: bool, data: st.DataObject) -> None:
    f = data.draw(specs(**block_specs), label="f")
    g = data.draw(specs(n_inputs=f.n_outputs, slope=f.slope, **block_specs), label="g")
    pts = data.draw(point_lists(f.n_inputs), label="points")
    composed = f.net(exact).compose(g.net(exact))
    assert composed.n_inputs == f.n_inputs
    assert composed.n_outputs == g.n_outputs
    assert composed.n_layers == len(f.weights) + len(g.weights) - 1
    scale = 0.0
    for x in pts:
        out_bound, inner = f.magnitude([abs(float(v)) for v in x])
        scale = max(scale, inner, g.magnitude(out_bound)[1])
    _check(composed, pts, [g(f(x)) for x in pts], scale, exact)


@EXACT_MODES
@given(data=st.data())
def test_linear_output(exact: bool, data: st.DataObject) -> None:
    f = data.draw(specs(**block_specs), label="f")
    k = data.draw(st.integers(1, 3), label="k")
    mat = data.draw(
        st.lists(
            st.lists(weight_values, min_size=f.n_outputs, max_size=f.n_outputs),
            min_size=k,
            max_size=k,
        ),
        label="matrix",
    )
    offset = data.draw(st.none() | st.lists(weight_values, min_size=k, max_size=k), label="offset")
    pts = data.draw(point_lists(f.n_inputs), label="points")
    fn = f.net(exact)
    if exact:
        out = fn.linear_output(np.array(mat, dtype=object), offset)
    else:
        out = fn.linear_output(
            np.array(mat, dtype=np.float64), None if offset is None else [float(v) for v in offset]
        )
    assert out.n_outputs == k
    off = offset if offset is not None else [Fraction(0)] * k
    expected = [
        [
            sum((a * y for a, y in zip(row, f(x), strict=True)), o)
            for row, o in zip(mat, off, strict=True)
        ]
        for x in pts
    ]
    _check(out, pts, expected, 8 * f.n_outputs * scale_of(f, pts) + 8, exact)


@given(data=st.data())
def test_mixed_exact_and_float_operands_give_an_exact_net(data: st.DataObject) -> None:
    f, g = _draw_pair(data, same_outputs=True)
    pts = data.draw(point_lists(f.n_inputs), label="points")
    fe, gf = f.net(True), g.net(False)
    g_as_exact = gf.to_exact()  # the float weights, exactly
    for combined in (fe + gf, gf + fe, fe.parallel(gf)):
        assert combined.exact
    expected = [[a + b for a, b in zip(f(x), g_as_exact(x), strict=True)] for x in pts]
    assert_exact_equal((fe + gf)(pts), expected)


def test_parallel_pads_a_shallow_leaky_net_with_an_identity() -> None:
    """A depth-1 (affine) leaky net next to a depth-2 one must keep its values."""
    s = Fraction(1, 4)
    f = ReLUNet([[[1], [-1]], [[1, 1]]], negative_slope=s, exact=True)  # |x| leaky: (1+s)|x|
    g = ReLUNet([[[2]]], [[1]], negative_slope=s, exact=True)  # 2x + 1
    for x in (Fraction(-2), Fraction(3), Fraction(0)):
        assert f.parallel(g)([x]).tolist() == [f([x])[0], 2 * x + 1]
        assert g.parallel(f)([x]).tolist() == [2 * x + 1, f([x])[0]]
        assert (f + g)([x])[0] == f([x])[0] + 2 * x + 1


def test_building_block_errors() -> None:
    f = ReLUNet(MAX2, exact=True)
    one_input = ReLUNet([[[1]], [[1]]], exact=True)
    two_outputs = ReLUNet([np.ones((2, 2)), np.ones((2, 2))], exact=True)
    leaky = ReLUNet(MAX2, negative_slope="1/4", exact=True)
    with pytest.raises(InvalidInputError, match="2 and 1 inputs"):
        f.parallel(one_input)
    with pytest.raises(InvalidInputError, match="1 and 2 outputs"):
        f + two_outputs
    with pytest.raises(InvalidInputError, match=r"activations differ \(relu vs leaky_relu:1/4\)"):
        f.parallel(leaky)
    with pytest.raises(InvalidInputError, match="activations differ"):
        f + leaky
    with pytest.raises(InvalidInputError, match="activations differ"):
        ReLUNet([np.ones((2, 1)), np.ones((2, 2))], exact=True).compose(leaky)
    with pytest.raises(InvalidInputError, match="1 outputs but the outer one takes 2 inputs"):
        f.compose(f)
    with pytest.raises(InvalidInputError, match="needs a ReLUNet"):
        f.compose(RationalNet([[[1]]]))
    with pytest.raises(InvalidInputError, match="needs two ReLUNets"):
        f.parallel(RationalNet([[[1, 1]]]))
    with pytest.raises(InvalidInputError, match=r"matrix must have shape \(k, 1\)"):
        f.linear_output([[1, 2]])
    with pytest.raises(InvalidInputError, match="at least one network"):
        ReLUNet.stack([])
    with pytest.raises(TypeError):
        f + 3
    with pytest.raises(TypeError):
        f * f
    with pytest.raises(InvalidInputError, match="scale factor"):
        f * math.nan


# -- conversions and value semantics ---------------------------------------------------------------


@given(specs(min_hidden=0))
def test_to_exact_to_float_round_trip(spec: Spec) -> None:
    fnet = spec.net(False)
    exact = fnet.to_exact()
    assert exact.exact
    assert exact.negative_slope == spec.slope
    assert isinstance(exact.negative_slope, Fraction)
    assert all(isinstance(v, Fraction) for w in exact.weights for v in w.flat)
    # floats convert exactly, so the round trip is the identity
    assert exact.to_float() == fnet
    assert exact.weights[0][0, 0] == Fraction(float(spec.weights[0][0][0]))
    # exact -> float -> exact is the identity when the weights are dyadic
    dyadic = Spec(
        tuple([[Fraction(round(v * 8), 8) for v in row] for row in w] for w in spec.weights),
        tuple([Fraction(round(v * 8), 8) for v in b] for b in spec.biases),
        spec.slope,
    )
    assert dyadic.net(True).to_float().to_exact() == dyadic.net(True)
    assert dyadic.net(True).to_float() == dyadic.net(False)
    assert fnet.to_float() is fnet
    assert exact.to_exact() is exact


@given(specs(min_hidden=0))
def test_equality_and_hashing(spec: Spec) -> None:
    a, b = spec.net(True), spec.net(True)
    assert a is not b
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    fa, fb = spec.net(False), spec.net(False)
    assert fa == fb
    assert hash(fa) == hash(fb)
    assert a != fa  # exact and float networks are different values
    bumped = [list(map(list, w)) for w in spec.weights]
    bumped[-1][0][0] += 1
    other = ReLUNet(bumped, [list(b) for b in spec.biases], negative_slope=spec.slope, exact=True)
    assert a != other
    other_slope = ReLUNet(
        [list(map(list, w)) for w in spec.weights],
        [list(b) for b in spec.biases],
        negative_slope=Fraction(1, 8),
        exact=True,
    )
    assert a != other_slope
    assert a != "not a network"


def test_equality_ignores_how_the_numbers_were_written() -> None:
    a = ReLUNet([[["1/2", "0.25"]]], [["-3/4"]])
    b = ReLUNet([[[Fraction(1, 2), 0.25]]], [[Fraction(-3, 4)]], exact=True)
    assert a == b
    assert hash(a) == hash(b)
    assert ReLUNet([[[1, 2]]], [[0]]) == ReLUNet([[[1.0, 2.0]]], [[0.0]])


def test_relu_and_rational_nets_differ() -> None:
    assert ReLUNet([[[1]], [[1]]]) != RationalNet([[[1]], [[1]]])
