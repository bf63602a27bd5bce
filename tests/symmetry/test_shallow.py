"""ShallowNet: validation at the boundary, conversions, evaluation against hand computation."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from neurogeom import InvalidInputError, InvalidNetworkError, ReLUNet, UnsupportedLayerError
from neurogeom.symmetry import ShallowNet, as_shallow, difference


def relu(t: Fraction) -> Fraction:
    return t if t > 0 else Fraction(0)


def by_hand(net: ShallowNet, x: list[Fraction]) -> list[Fraction]:
    """``A σ(W x + b) + c + V x`` with plain loops."""
    out = []
    for o in range(net.n_outputs):
        total = Fraction(0) if net.c is None else net.c[o]
        for i in range(net.width):
            pre = sum((net.w[i][j] * x[j] for j in range(net.n_inputs)), net.b[i])
            total += net.a[o][i] * relu(pre)
        if net.v is not None:
            total += sum(net.v[o][j] * x[j] for j in range(net.n_inputs))
        out.append(total)
    return out


NETS = [
    ShallowNet([[1, 2], [-1, 0]], [1, "1/2"], [[1, -2]], c=[3], exact=True),
    ShallowNet([[1], [1]], [0, -1], [[1, -1], [2, 0]], exact=True),
    ShallowNet(
        [[2, -1, 0]], ["-1/3"], [[1], [-1]], c=[0, 1], v=[[1, 0, 2], [0, 0, -1]], exact=True
    ),
]


@pytest.mark.parametrize("net", NETS, ids=repr)
def test_evaluation_matches_the_formula(net: ShallowNet) -> None:
    rng = np.random.default_rng(0)
    for _ in range(20):
        x = [Fraction(int(rng.integers(-20, 21)), 4) for _ in range(net.n_inputs)]
        assert list(net.evaluate(x)) == by_hand(net, x)


@pytest.mark.parametrize("net", NETS, ids=repr)
def test_to_relu_computes_the_same_function(net: ShallowNet) -> None:
    relu_net = net.to_relu()
    extra = 2 * net.n_inputs if net.has_skip else 0
    assert relu_net.architecture == (net.n_inputs, net.width + extra, net.n_outputs)
    rng = np.random.default_rng(1)
    pts = [
        [Fraction(int(rng.integers(-20, 21)), 3) for _ in range(net.n_inputs)] for _ in range(15)
    ]
    assert (relu_net.evaluate(pts) == net.evaluate(pts)).all()


@pytest.mark.parametrize("net", NETS, ids=repr)
def test_difference_is_f_minus_g(net: ShallowNet) -> None:
    other = ShallowNet(
        np.ones((2, net.n_inputs), dtype=int).tolist(),
        [1, -1],
        np.full((net.n_outputs, 2), 2).tolist(),
        exact=True,
    )
    d = difference(net, other)
    rng = np.random.default_rng(2)
    for _ in range(10):
        x = [Fraction(int(rng.integers(-9, 10)), 2) for _ in range(net.n_inputs)]
        assert list(d.evaluate(x)) == [p - q for p, q in zip(net(x), other(x), strict=True)]


def test_from_relu_keeps_the_conventions() -> None:
    net = ReLUNet([[[1, -1], [0, 1]], [[1, 2]]], [[0, 1], [5]], exact=True)
    shallow = ShallowNet.from_relu(net)
    assert shallow.has_output_bias and not shallow.has_skip
    assert shallow.n_parameters == net.n_parameters
    assert shallow.to_relu() == net
    no_bias = ReLUNet([[[1.0]], [[2.0]]])
    assert ShallowNet.from_relu(no_bias, output_bias=False).c is None
    with pytest.raises(InvalidInputError, match="output bias to be zero"):
        ShallowNet.from_relu(net, output_bias=False)


def test_leaky_nets_become_relu_nets_with_a_skip_term() -> None:
    net = ReLUNet([[[1, 2], [-1, 3]], [[1, -2]]], [[1, 0], [1]], negative_slope="1/4", exact=True)
    shallow = as_shallow(net, leaky=True)
    assert shallow.has_skip
    rng = np.random.default_rng(3)
    pts = [[Fraction(int(rng.integers(-12, 13)), 3) for _ in range(2)] for _ in range(20)]
    assert (shallow.evaluate(pts) == net.evaluate(pts)).all()
    with pytest.raises(UnsupportedLayerError, match="leaky_relu:1/4"):
        as_shallow(net, what="moves")


def test_deep_nets_are_refused_with_what_is_supported() -> None:
    deep = ReLUNet([[[1.0]], [[1.0]], [[1.0]]])
    with pytest.raises(UnsupportedLayerError, match=r"canonical_form needs a shallow net.*1-1-1-1"):
        as_shallow(deep, what="canonical_form")
    with pytest.raises(UnsupportedLayerError, match="For deep nets use are_equivalent"):
        as_shallow(deep)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"w": [[1, 2]], "b": [0, 1], "a": [[1]]}, "b has length 2"),
        ({"w": [[1, 2]], "b": [0], "a": [[1, 1]]}, r"a must have shape \(k, 1\)"),
        ({"w": [[1, 2]], "b": [0], "a": [[1]], "c": [0, 1]}, "c must have length 1"),
        ({"w": [[1, 2]], "b": [0], "a": [[1]], "v": [[1]]}, r"v must have shape \(1, 2\)"),
        ({"w": [[1, "nan"]], "b": [0], "a": [[1]]}, r"w\[0, 1\] must be a finite number"),
        ({"w": [1, 2], "b": [0], "a": [[1]]}, "w must have 2 dimension"),
        ({"w": [[1]], "b": [0]}, "needs output weights"),
    ],
)
def test_bad_parameters_are_refused_with_the_field(kwargs: dict, message: str) -> None:
    w = kwargs.pop("w")
    b = kwargs.pop("b")
    a = kwargs.pop("a", None)
    with pytest.raises(InvalidNetworkError, match=message):
        ShallowNet(w, b, a, **kwargs)


def test_difference_refuses_different_shapes() -> None:
    f = ShallowNet([[1, 2]], [0], [[1]])
    with pytest.raises(InvalidInputError, match="2 and 1 inputs"):
        difference(f, ShallowNet([[1]], [0], [[1]]))
    with pytest.raises(InvalidInputError, match="1 and 2 outputs"):
        difference(f, ShallowNet([[1, 2]], [0], [[1], [2]]))


def test_values_hash_and_compare_by_parameters() -> None:
    f = ShallowNet([[1]], [0], [[2]], c=[1], exact=True)
    g = ShallowNet([["1"]], ["0"], [["2"]], c=["1"])
    assert f == g and len({f, g}) == 1
    assert f != f.replace(c=None)
    assert f.to_float().to_exact() == f
    assert f.replace(a=[[3]]).a.tolist() == [[Fraction(3)]]
    with pytest.raises(InvalidInputError, match="unknown fields"):
        f.replace(d=[1])
    assert f.to_dict() == {"w": [[1]], "b": [0], "a": [[2]], "c": [1], "v": None, "exact": True}
