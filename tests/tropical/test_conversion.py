"""Net -> tropical rational map: exact equality with the net, leaky ReLU, budgets, refusals."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurogeom import ReLUNet
from neurogeom.core.errors import (
    BudgetExceededError,
    InvalidInputError,
    InvalidNetworkError,
    UnsupportedLayerError,
)
from neurogeom.data import example_path
from neurogeom.nets.io import load
from neurogeom.nets.rational import RationalNet
from neurogeom.tropical import (
    TropicalPolynomial,
    estimate_monomials,
    prune,
    tropicalize,
    tropicalize_layers,
)

small = st.integers(-3, 3)


@st.composite
def small_nets(draw, max_inputs=3, max_layers=3, max_width=3, slopes=(0,)):
    n = draw(st.integers(1, max_inputs))
    widths = [n] + [
        draw(st.integers(1, max_width)) for _ in range(draw(st.integers(1, max_layers)))
    ]
    widths.append(draw(st.integers(1, 2)))
    ws, bs = [], []
    for a, b in itertools.pairwise(widths):
        ws.append([[F(draw(small), draw(st.integers(1, 2))) for _ in range(a)] for _ in range(b)])
        bs.append([F(draw(small), draw(st.integers(1, 3))) for _ in range(b)])
    return ReLUNet(ws, bs, negative_slope=draw(st.sampled_from(slopes)), exact=True)


def _points(n: int, seed: int, k: int = 30) -> np.ndarray:
    rng = np.random.default_rng(seed)
    nums = rng.integers(-40, 40, size=(k, n))
    return np.array([[F(int(v), 7) for v in row] for row in nums], dtype=object)


@given(
    st.one_of(small_nets(max_layers=3, max_width=2), small_nets(max_layers=2, max_width=3)),
    st.integers(0, 2**16),
)
def test_exact_form_equals_net_exactly(net, seed) -> None:
    f = tropicalize(net, progress=False)
    x = _points(net.n_inputs, seed)
    assert f.exact
    assert (f(x) == net(x)).all()


@settings(max_examples=25)
@given(small_nets(max_layers=2, slopes=(0, F(1, 3), F(1, 2), 1 - F(1, 10))), st.integers(0, 99))
def test_leaky_relu_form_equals_net(net, seed) -> None:
    f = tropicalize(net, progress=False)
    x = _points(net.n_inputs, seed)
    assert (f(x) == net(x)).all()


@settings(max_examples=25)
@given(small_nets(max_layers=2, max_width=3), st.integers(0, 99))
def test_pruning_after_every_layer_keeps_the_function(net, seed) -> None:
    full = tropicalize(net, progress=False)
    pruned = tropicalize(net, prune=True, progress=False)
    x = _points(net.n_inputs, seed)
    assert (pruned(x) == net(x)).all()
    assert pruned.n_monomials <= full.n_monomials
    # pruning the full expression at the end gives the same counts
    assert prune(full).after == pruned.monomial_counts()


def test_float_mode_close_to_net() -> None:
    rng = np.random.default_rng(3)
    net = ReLUNet(
        [rng.normal(size=(4, 2)), rng.normal(size=(3, 4)), rng.normal(size=(1, 3))],
        [rng.normal(size=4), rng.normal(size=3), rng.normal(size=1)],
    )
    f = tropicalize(net, progress=False)
    assert not f.exact
    x = rng.normal(size=(200, 2)) * 5
    assert np.allclose(f(x), net(x), atol=1e-9)
    # the exact form of the float net: its floats converted exactly
    g = tropicalize(net, exact=True, progress=False)
    xq = np.array([[F(v) for v in row] for row in x[:20]], dtype=object)
    assert (g(xq) == net.to_exact()(xq)).all()


def test_json_literals_are_taken_as_written() -> None:
    net = load(example_path("rg1"))
    f = tropicalize(net, exact=True, progress=False)
    x = _points(2, 0)
    assert (f(x) == net.to_exact()(x)).all()


def test_reference_rg1_form() -> None:
    # relu(x2 + 1) - relu(x1 + 1)
    net = ReLUNet([[[0, 1], [1, 0]], [[1, -1]]], [[1, 1], [0]])
    f = prune(tropicalize(net, progress=False)).pruned
    assert str(f) == "max(0, x2 + 1) - max(0, x1 + 1)"
    x = _points(2, 1)
    assert (f(x) == net(x)).all()


def test_layers_compose_to_the_net() -> None:
    net = ReLUNet([[[1, -1], [2, 1]], [[1, 1], [-1, "1/2"]], [[1, -2]]], [[0, 1], [0, -1], [3]])
    maps = tropicalize_layers(net)
    assert len(maps) == 3
    x = _points(2, 5)
    h = x
    for m in maps:
        h = m(h)
    assert (h == net(x)).all()


def test_estimate_bounds_the_real_count() -> None:
    net = ReLUNet([[[1, -1], [2, 1], [1, 3]], [[1, 1, -1], [-1, 2, 1]], [[1, -2]]])
    est = estimate_monomials(net)
    f = tropicalize(net, progress=False)
    assert f.n_monomials <= est.total
    assert est.to_dict()["total"] == est.total


def test_too_large_is_refused_with_its_size() -> None:
    rng = np.random.default_rng(0)
    net = ReLUNet(
        [
            rng.normal(size=(8, 2)),
            rng.normal(size=(8, 8)),
            rng.normal(size=(8, 8)),
            rng.normal(size=(1, 8)),
        ]
    )
    with pytest.raises(BudgetExceededError, match=r"would have about \d+ monomials"):
        tropicalize(net, max_monomials=1000, progress=False)


def test_time_limit() -> None:
    rng = np.random.default_rng(0)
    net = ReLUNet([rng.normal(size=(6, 2)), rng.normal(size=(6, 6)), rng.normal(size=(1, 6))])
    with pytest.raises(BudgetExceededError, match="time limit"):
        tropicalize(net, prune=True, time_limit=1e-6, progress=False)


def test_refusals() -> None:
    with pytest.raises(UnsupportedLayerError, match="RationalNet"):
        tropicalize(RationalNet([[[1]], [[1]]], [[1], [0]], exact=True))
    with pytest.raises(UnsupportedLayerError, match=r"slope in \[0, 1\]"):
        tropicalize(ReLUNet([[[1]], [[1]]], negative_slope=-1))
    with pytest.raises(InvalidInputError, match="ReLUNet"):
        tropicalize("net")
    with pytest.raises(InvalidInputError, match="max_monomials"):
        tropicalize(ReLUNet([[[1]]]), max_monomials=0)


def test_maxout_on_a_relu_file_is_refused_clearly(tmp_path) -> None:
    doc = {
        "format": "neurogeom-net",
        "version": 1,
        "activation": "relu",
        "layers": [
            {"weight": [[1], [2]], "bias": [0, 0], "maxout": 2},
            {"weight": [[1]], "bias": [0]},
        ],
    }
    path = tmp_path / "maxout.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(InvalidNetworkError, match="activation is 'relu'"):
        load(path)
    doc["activation"] = "maxout"
    path.write_text(json.dumps(doc))
    assert tropicalize(load(path, exact=True), progress=False)([[-3]]).tolist() == [[-3]]


def test_single_affine_layer() -> None:
    net = ReLUNet([[[2, -1]]], [["1/2"]])
    f = tropicalize(net, progress=False)
    assert f.numerators[0] == TropicalPolynomial([[2, 0]], ["1/2"])
    assert f.denominators[0] == TropicalPolynomial([[0, 1]], [0])
