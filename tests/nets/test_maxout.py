"""MaxoutNet: construction and validation, evaluation (exact and float), conversions, JSON."""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neurogeom
from neurogeom import InvalidNetworkError, MaxoutNet, ReLUNet
from neurogeom.nets.io.json import from_json_dict, read_json, to_json_dict

ABS = MaxoutNet([[[1], [-1]], [[1]]], ranks=2)  # |x|


def _brute(net: MaxoutNet, x: list) -> list:
    """Evaluate by plain Python loops, block by block."""
    h = list(x)
    for l, (w, b) in enumerate(net.layers):
        z = [
            sum((wij * hj for wij, hj in zip(row, h, strict=True)), bi)
            for row, bi in zip(w, b, strict=True)
        ]
        if l < net.n_layers - 1:
            k = net.ranks[l]
            z = [max(z[i : i + k]) for i in range(0, len(z), k)]
        h = z
    return h


def test_shapes_and_counts() -> None:
    # random_maxout_network([2, 3, 5, 1], 4) in the spec: weights 12x2, 20x3, 1x5
    rng = np.random.default_rng(0)
    ws = [rng.normal(size=(12, 2)), rng.normal(size=(20, 3)), rng.normal(size=(1, 5))]
    net = MaxoutNet(ws, ranks=4)
    assert net.architecture == (2, 3, 5, 1)
    assert net.preactivation_widths == (12, 20, 1)
    assert net.hidden_widths == (3, 5) and net.n_hidden == 8 and net.ranks == (4, 4)
    assert net.n_parameters == 12 * 2 + 20 * 3 + 5  # no biases given: none counted
    assert net.activation == "maxout"
    assert repr(net) == "MaxoutNet(2-3-5-1, maxout:4)"
    mixed = MaxoutNet([np.ones((6, 1)), np.ones((2, 3)), np.ones((1, 1))], ranks=[2, 2])
    assert repr(mixed.to_exact()) == "MaxoutNet(1-3-1-1, maxout:2, exact)"
    assert repr(MaxoutNet([np.ones((6, 1)), np.ones((1, 2))], ranks=[3])) == (
        "MaxoutNet(1-2-1, maxout:3)"
    )
    assert "maxout:3,1" in repr(
        MaxoutNet([np.ones((3, 1)), np.ones((2, 1)), np.ones((1, 2))], ranks=[3, 1])
    )
    assert MaxoutNet([[[1, 2]]], ranks=5).ranks == ()  # no hidden layer


@pytest.mark.parametrize(
    ("ranks", "needle"),
    [
        (0, "at least 1"),
        ([2, 0], r"ranks\[1\] must be at least 1"),
        (True, "positive integer"),
        (1.5, "positive integer"),
        ([2], "got 1 maxout rank"),
        (3, "not divisible by 3"),
    ],
)
def test_bad_ranks(ranks, needle) -> None:
    ws = [np.ones((4, 1)), np.ones((2, 2)), np.ones((1, 1))]
    with pytest.raises(InvalidNetworkError, match=needle):
        MaxoutNet(ws, ranks=ranks)


def test_shapes_must_chain_through_units() -> None:
    with pytest.raises(
        InvalidNetworkError, match="layer 1: weight has 4 columns but layer 0 has 2"
    ):
        MaxoutNet([np.ones((4, 1)), np.ones((1, 4))], ranks=2)


def test_evaluate_exact_and_float() -> None:
    net = MaxoutNet([[[1], [-1], [0]], [[2]]], [[0, 0, "1/2"], [-1]], ranks=3)
    assert net.exact
    assert net([["1/3"], [-2]]).ravel().tolist() == [F(0), F(3)]
    assert net(["1/5"]).tolist() == [F(0)]
    flt = net.to_float()
    assert not flt.exact and flt.to_exact() == net
    np.testing.assert_allclose(flt([[-2.0], [0.25]]), [[3.0], [0.0]])
    assert ABS([[-2.5], [4.0]]).tolist() == [[2.5], [4.0]]
    assert ABS.to_exact().to_float() == ABS


def test_float_view_of_literals_and_equality() -> None:
    view = MaxoutNet([[["0.1"], [-1]], [[1]]], ranks=2, exact=False)
    assert view.weights[0][0, 0] == 0.1 and view.to_exact().weights[0][0, 0] == F(1, 10)
    assert view != MaxoutNet([[[0.1], [-1]], [[1]]], ranks=2)
    a = MaxoutNet([[[1], [-1]], [[1]]], ranks=2)
    assert a == ABS and hash(a) == hash(ABS)
    assert a != MaxoutNet([[[1], [-1]], [[1, 1]]], ranks=1)
    assert a != ReLUNet([[[1], [-1]], [[1, 1]]])
    with pytest.raises(AttributeError):
        a.ranks = (3,)  # type: ignore[misc]


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_matches_brute_force(data) -> None:
    n_in = data.draw(st.integers(1, 2))
    depth = data.draw(st.integers(1, 2))
    units = [data.draw(st.integers(1, 2)) for _ in range(depth)]
    ranks = [data.draw(st.integers(1, 3)) for _ in range(depth)]
    ints = st.integers(-4, 4)
    widths = [n_in, *units, 1]
    ws, bs = [], []
    for l in range(depth + 1):
        rows = widths[l + 1] * (ranks[l] if l < depth else 1)
        ws.append([[F(data.draw(ints), 2) for _ in range(widths[l])] for _ in range(rows)])
        bs.append([F(data.draw(ints), 3) for _ in range(rows)])
    net = MaxoutNet(ws, bs, ranks=ranks)
    x = [F(data.draw(ints), data.draw(st.integers(1, 3))) for _ in range(n_in)]
    assert net(x).tolist() == _brute(net, x)
    np.testing.assert_allclose(  # float rounding: an exact 0 may come out as 2.2e-16
        net.to_float()([float(v) for v in x]), [float(v) for v in _brute(net, x)], atol=1e-12
    )


def test_json_round_trip(tmp_path: Path) -> None:
    net = MaxoutNet(
        [[[1, "1/3"], [-1, 0], [2, 1], [0, "-2/7"]], [[1, -1]]], [[0, "1/2", -1, 0], None], ranks=2
    )
    doc = to_json_dict(net)
    assert doc["activation"] == "maxout"
    assert [layer.get("maxout") for layer in doc["layers"]] == [2, None]
    assert "bias" not in doc["layers"][1]
    assert from_json_dict(json.loads(json.dumps(doc)), exact=True) == net
    assert net.to_dict() == doc
    path = tmp_path / "m.json"
    neurogeom.save(net, path)
    assert neurogeom.load(path, exact=True) == net
    assert neurogeom.load(path) == net.to_float()
    neurogeom.save(net.to_float(), path)  # float view of exact values keeps them
    assert read_json(path, exact=True) == net
    for suffix in ("npz", "pt", "onnx"):
        with pytest.raises(neurogeom.UnsupportedLayerError, match="JSON only"):
            neurogeom.save(net, tmp_path / f"m.{suffix}")
        assert not (tmp_path / f"m.{suffix}").exists()


def test_json_reading_rules(tmp_path: Path) -> None:
    layers = [{"weight": [[1], [-1]], "maxout": 2}, {"weight": [[1]]}]
    # no activation: layers carrying "maxout" make a maxout network
    assert from_json_dict({"layers": layers}, exact=True) == MaxoutNet(
        [[[1], [-1]], [[1]]], [None, None], ranks=2, exact=True
    )
    for rank, needle in ((0, "positive integer"), ("2", "positive integer"), (3, "divisible")):
        bad = [{"weight": [[1], [-1]], "maxout": rank}, {"weight": [[1]]}]
        with pytest.raises(InvalidNetworkError, match=needle):
            from_json_dict({"activation": "maxout", "layers": bad})
    last = [{"weight": [[1], [-1]], "maxout": 2}, {"weight": [[1], [2]], "maxout": 2}]
    with pytest.raises(InvalidNetworkError, match="output layer"):
        from_json_dict({"activation": "maxout", "layers": last})
    with pytest.raises(InvalidNetworkError, match="activation is 'relu'"):
        from_json_dict({"activation": "relu", "layers": layers})
    with pytest.raises(neurogeom.InvalidInputError, match="maxout network but 'relu'"):
        from_json_dict({"layers": layers}, activation="relu")
    # hidden layers without a rank are affine (rank 1)
    plain = [{"weight": [[1], [-1]]}, {"weight": [[1, 1]]}]
    assert from_json_dict({"activation": "maxout", "layers": plain}).ranks == (1,)
