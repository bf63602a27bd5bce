"""``load`` / ``save``: dispatch on the suffix, and round-trip laws over every format."""

from __future__ import annotations

import importlib.util
import itertools
import tempfile
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from neurogeom.core.errors import InvalidInputError, UnsupportedLayerError
from neurogeom.nets import RationalNet, ReLUNet
from neurogeom.nets.io import SUFFIXES, load, save

HAS_TORCH = importlib.util.find_spec("torch") is not None
HAS_ONNX = importlib.util.find_spec("onnx") is not None
needs_torch = pytest.mark.skipif(not HAS_TORCH, reason="needs the torch extra")
needs_onnx = pytest.mark.skipif(not HAS_ONNX, reason="needs the onnx extra")

#: Suffixes whose format's optional dependency is installed.
AVAILABLE = [
    s
    for s, fmt in SUFFIXES.items()
    if (fmt != "torch" or HAS_TORCH) and (fmt != "onnx" or HAS_ONNX)
]


def _assert_same_weights(
    a: ReLUNet | RationalNet, b: ReLUNet | RationalNet, *, signed_zero: bool = True
) -> None:
    """Same type, activation and float64 weights; bit for bit unless ``signed_zero`` is False."""
    assert type(a) is type(b) and a.activation == b.activation
    assert a.architecture == b.architecture and not a.exact and not b.exact
    for (wa, ba), (wb, bb) in zip(a.layers, b.layers, strict=True):
        for x, y in ((wa, wb), (ba, bb)):
            assert x.dtype == y.dtype == np.float64
            if signed_zero:
                assert x.tobytes() == y.tobytes()
            else:  # equal values: bitwise except that -0.0 may come back as 0.0
                assert np.array_equal(x, y)


def _small_net() -> ReLUNet:
    return ReLUNet(
        [[[1.0, -2.0], [0.5, 0.25]], [[3.0, -1.0]]], [[0.1, 0.0], [-7.0]], negative_slope=0.1
    )


# -- dispatch ------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", AVAILABLE)
def test_every_suffix_round_trips(tmp_path: Path, suffix: str) -> None:
    net = _small_net()
    path = tmp_path / f"net{suffix}"
    save(net, path)
    _assert_same_weights(load(path), net)
    exact = load(path, exact=True)
    assert exact.exact and exact.to_float() == load(path)
    assert load(path).to_exact() == exact
    if suffix == ".json":  # shortest decimals in the file: the exact network is the decimals
        assert exact.weights[1][0, 0] == Fraction(repr(net.weights[1][0, 0].item()))
    else:  # float formats store the floats themselves
        assert load(path) == net


def test_format_overrides_the_suffix(tmp_path: Path) -> None:
    path = tmp_path / "weights.bin"
    save(_small_net(), path, format="npz")
    _assert_same_weights(load(path, format="npz"), _small_net())
    with pytest.raises(InvalidInputError, match="unknown format 'yaml'; supported"):
        load(path, format="yaml")


def test_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "net.txt"
    path.write_text("W0 = [[1]]")
    with pytest.raises(InvalidInputError, match=r"suffix '\.txt'; supported: \.json, \.npz"):
        load(path)
    with pytest.raises(InvalidInputError, match=r"suffix '\.txt'"):
        save(_small_net(), path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="no such file"):
        load(tmp_path / "absent.json")
    with pytest.raises(InvalidInputError, match="is a folder"):
        load(tmp_path)
    with pytest.raises(InvalidInputError, match="does not exist"):
        save(_small_net(), tmp_path / "no" / "such" / "dir" / "net.json")


@needs_torch
def test_failed_save_leaves_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedLayerError, match="RationalNet"):
        save(RationalNet([[[1.0]], [[1.0]]]), tmp_path / "r.pt")
    assert list(tmp_path.iterdir()) == []


def test_bundled_example_loads() -> None:
    from neurogeom.data import example_path

    net = load(example_path("max2"), exact=True)
    assert net([3, 5]).tolist() == [5]


# -- laws over every format ----------------------------------------------------------------------
@needs_torch
@needs_onnx
def test_json_torch_onnx_npz_chain_preserves_every_weight(tmp_path: Path) -> None:
    from neurogeom.nets.io.onnx import from_onnx_model, to_onnx_model
    from neurogeom.nets.io.torch import from_torch, to_torch

    rng = np.random.default_rng(7)
    start = ReLUNet(
        [rng.normal(size=(6, 3)), rng.normal(size=(4, 6)), rng.normal(size=(2, 4))],
        [rng.normal(size=6), rng.normal(size=4), rng.normal(size=2)],
        negative_slope=0.2,
    )
    first = tmp_path / "a.json"
    save(start, first)
    net = load(first)
    net = from_torch(to_torch(net))
    net = from_onnx_model(to_onnx_model(net))
    save(net, tmp_path / "b.npz")
    net = load(tmp_path / "b.npz")
    save(net, tmp_path / "c.pt")
    net = load(tmp_path / "c.pt")
    save(net, tmp_path / "d.onnx")
    net = load(tmp_path / "d.onnx")
    save(net, tmp_path / "e.json")
    _assert_same_weights(load(tmp_path / "e.json"), start)
    assert (tmp_path / "e.json").read_text() == first.read_text()


def test_exact_json_round_trip_keeps_rationals(tmp_path: Path) -> None:
    net = ReLUNet(
        [[["1/3"], ["-22/7"]], [[1, "1/1000000007"]]],
        [["1/9", 0], ["5/3"]],
        negative_slope="3/10",
        exact=True,
    )
    path = tmp_path / "exact.json"
    save(net, path)
    back = load(path, exact=True)
    assert back == net and back.weights[1][0, 1] == Fraction(1, 1000000007)


_FLOATS = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False)


@st.composite
def _nets(draw: st.DrawFn) -> ReLUNet | RationalNet:
    arch = draw(st.lists(st.integers(1, 4), min_size=2, max_size=5))
    weights = [
        draw(arrays(np.float64, (o, i), elements=_FLOATS)) for i, o in itertools.pairwise(arch)
    ]
    biases = [draw(arrays(np.float64, (o,), elements=_FLOATS)) for o in arch[1:]]
    activation = draw(st.sampled_from(["rational", 0.0, 0.01, 0.1, 0.25, 1 / 3, -0.5]))
    if activation == "rational":
        return RationalNet(weights, biases)
    return ReLUNet(weights, biases, negative_slope=activation)


@given(net=_nets())
def test_round_trips_preserve_random_nets(net: ReLUNet | RationalNet) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for suffix in AVAILABLE:
            if suffix in (".pt", ".pth") and isinstance(net, RationalNet):
                continue
            path = Path(folder) / f"net{suffix}"
            save(net, path)
            _assert_same_weights(load(path), net, signed_zero=suffix != ".json")


@given(
    weights=st.lists(st.fractions(max_denominator=10**6), min_size=6, max_size=6),
    slope=st.fractions(min_value=-2, max_value=Fraction(9, 10), max_denominator=1000),
)
def test_exact_round_trip_through_json(weights: list[Fraction], slope: Fraction) -> None:
    net = ReLUNet(
        [
            np.array(weights[:4], dtype=object).reshape(2, 2),
            np.array(weights[4:], dtype=object).reshape(1, 2),
        ],
        negative_slope=slope,
        exact=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "net.json"
        save(net, path)
        assert load(path, exact=True) == net


# -- exact literals through load -------------------------------------------------------------------
#: Hidden neurons 0.1x, 0.2x, 0.3x and a second layer 1e17 (u + v - t) - 1. With the decimals,
#: u + v - t = 0 for x > 0, so the second neuron is never active: 2 activation cells. Rounded to
#: float64, 0.1 + 0.2 - 0.3 = 2^-55 > 0, so it turns on near x = 0.36: 3 cells.
DECIMAL_NET = """{"format": "neurogeom-net", "version": 1, "activation": "relu", "layers": [
  {"weight": [[0.1], [0.2], [0.3]], "bias": [0, 0, 0]},
  {"weight": [[1e17, 1e17, -1e17]], "bias": [-1]},
  {"weight": [[1]], "bias": [0]}]}"""


def test_load_then_exact_certifies_the_decimals_in_the_file(tmp_path: Path) -> None:
    from neurogeom.regions import enumerate_regions

    path = tmp_path / "decimals.json"
    path.write_text(DECIMAL_NET)
    decimals = load(path, exact=True)
    rounded = ReLUNet(
        [[[Fraction(float(v)) for v in row] for row in w] for w in decimals.weights],
        [[Fraction(float(v)) for v in b] for b in decimals.biases],
        exact=True,
    )
    want = enumerate_regions(decimals, exact=True, progress=False)
    other = enumerate_regions(rounded, exact=True, progress=False)
    assert (want.activation_regions, other.activation_regions) == (2, 3)  # the nets differ
    assert want.complete and not want.uncertified and not other.uncertified
    net = load(path)  # float64
    assert not net.exact and net.weights[0][0, 0] == 0.1
    got = enumerate_regions(net, exact=True, progress=False)
    assert got.activation_regions == 2  # the decimals' answer, not the rounded net's
    assert net.to_exact() == decimals


def test_load_names_the_network(tmp_path: Path) -> None:
    path = tmp_path / "named.json"
    save(_small_net(), path)
    net = load(path)
    assert net.name == str(path) and net.to_exact().name == str(path)
    assert load(path, exact=True).name == str(path)
    assert net == _reloaded_without_name(path)


def _reloaded_without_name(path: Path) -> ReLUNet:
    return load(path).with_name(None)


@pytest.mark.parametrize("suffix", AVAILABLE)
def test_layers_without_bias_round_trip_through_every_format(tmp_path: Path, suffix: str) -> None:
    net = ReLUNet(
        [[[1.0, -2.0], [0.5, 0.25]], [[3.0, -1.0], [1.0, 1.0]], [[2.0, 0.5]]],
        [None, [0.5, -1.0], None],
        negative_slope=0.25,
    )
    assert net.n_parameters == 4 + 4 + 2 + 2
    path = tmp_path / f"nobias{suffix}"
    save(net, path)
    back = load(path)
    assert back.has_bias == (False, True, False)
    assert back.n_parameters == net.n_parameters
    assert back == net
    x = np.random.default_rng(0).normal(size=(20, 2))
    assert back(x).tolist() == net(x).tolist()


def test_activation_argument_is_for_files_without_one(tmp_path: Path) -> None:
    path = tmp_path / "plain.json"
    path.write_text('{"layers": [{"weight": [[1], [-1]]}, {"weight": [[1, 1]]}]}')
    assert load(path).activation == "relu"
    leaky = load(path, activation="leaky_relu:1/10", exact=True)
    assert leaky.negative_slope == Fraction(1, 10)
    written = tmp_path / "written.json"
    save(leaky, written)
    assert load(written, activation="leaky_relu:0.1", exact=True) == leaky  # agrees: fine
    with pytest.raises(InvalidInputError, match=r"the file says the activation is 'leaky_relu"):
        load(written, activation="relu")
    with pytest.raises(InvalidInputError, match=r"activation='tanh': unknown activation"):
        load(path, activation="tanh")
