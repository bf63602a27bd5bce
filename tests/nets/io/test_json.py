"""The neurogeom JSON format: lossless round trips and one test per kind of bad file."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from neurogeom.core.errors import InvalidInputError, InvalidNetworkError, UnsupportedLayerError
from neurogeom.nets import RationalNet, ReLUNet
from neurogeom.nets.io.json import from_json_dict, read_json, to_json_dict, write_json


def _write(tmp_path: Path, text: str, name: str = "net.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _doc(layers: list, activation: str = "relu") -> str:
    return json.dumps(
        {"format": "neurogeom-net", "version": 1, "activation": activation, "layers": layers}
    )


# -- round trips ---------------------------------------------------------------------------------
def test_exact_rationals_round_trip(tmp_path: Path) -> None:
    net = ReLUNet(
        [[["1/3", -2], ["7/5", 0]], [["-1/7", "22/7"]]],
        [["1/9", 0], ["5/3"]],
        negative_slope="1/10",
        exact=True,
    )
    path = tmp_path / "net.json"
    write_json(net, path)
    text = path.read_text()
    assert '"1/3"' in text and '"leaky_relu:1/10"' in text
    back = read_json(path, exact=True)
    assert back == net
    assert back.weights[0][0, 0] == Fraction(1, 3)
    assert back.negative_slope == Fraction(1, 10)


def test_float_round_trip_is_bitwise(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=(4, 3)) * 1e-3, rng.normal(size=(2, 4)) * 1e5]
    biases = [rng.normal(size=4), np.array([1e-320, 123456789.0])]
    net = ReLUNet(weights, biases, negative_slope=0.01)
    path = tmp_path / "net.json"
    write_json(net, path)
    back = read_json(path)
    assert not back.exact
    for (w0, b0), (w1, b1) in zip(net.layers, back.layers, strict=True):
        assert w0.tobytes() == w1.tobytes()
        assert b0.tobytes() == b1.tobytes()
    assert back.negative_slope == 0.01
    # the file holds shortest round-trip decimals, which are its exact values by definition: the
    # float weights are the same, the exact network is the decimals, so the networks differ
    w = float(net.weights[0][0, 0])
    assert back.to_exact().weights[0][0, 0] == Fraction(repr(w)) != Fraction(w)
    assert back != net
    assert read_json(path, exact=True) == back.to_exact()


def test_rational_activation_round_trip(tmp_path: Path) -> None:
    net = RationalNet([[[1, "1/2"], [0, 1]], [[1, -1]]], [[1, 0], [0]], exact=True)
    path = tmp_path / "rat.json"
    write_json(net, path)
    back = read_json(path, exact=True)
    assert isinstance(back, RationalNet) and back == net
    assert read_json(path) == net.to_float()


def test_decimal_literals_are_taken_as_written(tmp_path: Path) -> None:
    path = _write(tmp_path, _doc([{"weight": [[0.1, "0.2"]], "bias": ["-3/4"]}]))
    exact = read_json(path, exact=True)
    assert exact.weights[0].tolist() == [[Fraction(1, 10), Fraction(1, 5)]]
    assert exact.biases[0].tolist() == [Fraction(-3, 4)]
    assert read_json(path).weights[0].tolist() == [[0.1, 0.2]]


def test_defaults_and_metadata(tmp_path: Path) -> None:
    path = _write(tmp_path, json.dumps({"layers": [{"weight": [[1, 2]]}]}))
    net = read_json(path, exact=True)
    assert net.activation == "relu"
    assert net.biases[0].tolist() == [0]
    out = tmp_path / "named.json"
    write_json(net, out, name="tiny", description="a test net")
    doc = json.loads(out.read_text())
    assert doc["name"] == "tiny" and doc["description"] == "a test net"
    assert from_json_dict(doc, exact=True) == net


def test_to_json_dict_is_json_serialisable() -> None:
    net = ReLUNet([[[1], [-1]], [[1, 1]]], [[0, "-1/2"], [0]])
    doc = to_json_dict(net)
    assert json.loads(json.dumps(doc)) == doc
    assert doc["layers"][0]["bias"] == [0, "-1/2"]


# -- bad files -----------------------------------------------------------------------------------
def test_malformed_json(tmp_path: Path) -> None:
    path = _write(tmp_path, '{"layers": [}')
    with pytest.raises(InvalidNetworkError, match=r"not valid JSON at line 1, column 13") as err:
        read_json(path)
    assert str(path) in str(err.value)


def test_truncated_json_file(tmp_path: Path) -> None:
    full = _doc([{"weight": [[1, 2], [3, 4]], "bias": [0, 0]}, {"weight": [[1, 1]]}])
    path = _write(tmp_path, full[: len(full) // 2])
    with pytest.raises(InvalidNetworkError, match="truncated") as err:
        read_json(path)
    assert str(path) in str(err.value)


def test_missing_layers(tmp_path: Path) -> None:
    path = _write(tmp_path, json.dumps({"format": "neurogeom-net", "activation": "relu"}))
    with pytest.raises(InvalidNetworkError, match="missing field 'layers'"):
        read_json(path)


def test_empty_layers(tmp_path: Path) -> None:
    with pytest.raises(InvalidNetworkError, match="'layers' must be a non-empty list"):
        read_json(_write(tmp_path, _doc([])))


def test_missing_weight(tmp_path: Path) -> None:
    path = _write(tmp_path, _doc([{"weight": [[1]]}, {"bias": [1]}]))
    with pytest.raises(InvalidNetworkError, match="layer 1 is missing the field 'weight'"):
        read_json(path)


def test_broken_shape_chain(tmp_path: Path) -> None:
    path = _write(tmp_path, _doc([{"weight": [[1, 2], [3, 4]]}, {"weight": [[1, 2, 3]]}]))
    with pytest.raises(
        InvalidNetworkError, match="layer 1: weight has 3 columns but layer 0 has 2 outputs"
    ):
        read_json(path)


def test_bias_length_mismatch(tmp_path: Path) -> None:
    path = _write(tmp_path, _doc([{"weight": [[1, 2], [3, 4]], "bias": [1, 2, 3]}]))
    with pytest.raises(InvalidNetworkError, match="weight has 2 rows but bias has length 3"):
        read_json(path)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_literal(tmp_path: Path, literal: str) -> None:
    path = _write(tmp_path, f'{{"layers": [{{"weight": [[1, {literal}]]}}]}}')
    with pytest.raises(InvalidNetworkError, match=f"{literal} is not a finite number"):
        read_json(path)


@pytest.mark.parametrize("exact", [False, True])
def test_non_finite_string(tmp_path: Path, exact: bool) -> None:
    path = _write(tmp_path, _doc([{"weight": [[1, "nan"]]}]))
    with pytest.raises(
        InvalidNetworkError, match=r"layer 0: weight\[0, 1\] must be a finite number, got 'nan'"
    ):
        read_json(path, exact=exact)


def test_non_numeric_weight(tmp_path: Path) -> None:
    path = _write(tmp_path, _doc([{"weight": [[1, "abc"]]}]))
    with pytest.raises(InvalidNetworkError, match=r"weight\[0, 1\] must be an integer, a decimal"):
        read_json(path)


def test_unknown_activation(tmp_path: Path) -> None:
    path = _write(tmp_path, _doc([{"weight": [[1]]}, {"weight": [[1]]}], activation="tanh"))
    with pytest.raises(UnsupportedLayerError, match="unknown activation 'tanh'; supported"):
        read_json(path)


def test_bad_leaky_slope(tmp_path: Path) -> None:
    path = _write(tmp_path, _doc([{"weight": [[1]]}], activation="leaky_relu:abc"))
    with pytest.raises(InvalidNetworkError, match="bad leaky_relu slope"):
        read_json(path)


def test_wrong_format_and_version(tmp_path: Path) -> None:
    bad_format = _write(tmp_path, json.dumps({"format": "other", "layers": []}), "a.json")
    with pytest.raises(InvalidNetworkError, match="'format' must be 'neurogeom-net'"):
        read_json(bad_format)
    bad_version = _write(tmp_path, json.dumps({"version": 9, "layers": []}), "b.json")
    with pytest.raises(InvalidNetworkError, match="unsupported format version 9"):
        read_json(bad_version)


def test_unknown_layer_field_and_maxout(tmp_path: Path) -> None:
    typo = _write(tmp_path, _doc([{"weight": [[1]], "bais": [0]}]), "a.json")
    with pytest.raises(InvalidNetworkError, match=r"unknown field\(s\) \['bais'\]"):
        read_json(typo)
    # a maxout rank on the output layer (here the only layer) is refused
    maxout = _write(tmp_path, _doc([{"weight": [[1], [2]], "maxout": 2}]), "b.json")
    with pytest.raises(InvalidNetworkError, match="maxout"):
        read_json(maxout)


def test_not_an_object(tmp_path: Path) -> None:
    with pytest.raises(InvalidNetworkError, match="expected a JSON object, got list"):
        read_json(_write(tmp_path, "[1, 2]"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="no such file"):
        read_json(tmp_path / "absent.json")


def test_overflowing_literal_in_float_mode(tmp_path: Path) -> None:
    path = _write(tmp_path, '{"layers": [{"weight": [[1e400]]}]}')
    with pytest.raises(
        InvalidNetworkError, match=r"weight\[0, 0\] \(about 1e\+400\) is beyond the float64 range"
    ):
        read_json(path)
    assert read_json(path, exact=True).weights[0][0, 0] == 10**400


# -- exact literals, bias structure, output transform, bad nesting -------------------------------
def test_float_mode_reads_the_literals_exactly(tmp_path: Path) -> None:
    path = _write(tmp_path, _doc([{"weight": [[0.1, "1/3"]], "bias": ["0.3"]}], "leaky_relu:0.1"))
    net = read_json(path)
    assert not net.exact and net.weights[0].tolist() == [[0.1, 1 / 3]]
    assert net.to_exact() == read_json(path, exact=True)
    assert net.to_exact().negative_slope == Fraction(1, 10)


def test_a_float_view_is_written_with_its_literals(tmp_path: Path) -> None:
    path = _write(tmp_path, _doc([{"weight": [[0.1, "1/3"]], "bias": ["0.3"]}], "leaky_relu:1/3"))
    net = read_json(path)
    doc = to_json_dict(net)
    assert doc["layers"][0] == {"weight": [[0.1, "1/3"]], "bias": [0.3]}
    assert doc["activation"] == "leaky_relu:1/3"
    out = tmp_path / "again.json"
    write_json(net, out)
    assert read_json(out) == net


def test_a_layer_without_bias(tmp_path: Path) -> None:
    path = _write(tmp_path, _doc([{"weight": [[1, 2]]}, {"weight": [[3]], "bias": [1]}]))
    net = read_json(path)
    assert net.has_bias == (False, True) and net.n_parameters == 4
    assert to_json_dict(net)["layers"][0] == {"weight": [[1, 2]]}


def test_output_transform_round_trips(tmp_path: Path) -> None:
    doc = json.loads(_doc([{"weight": [[1], [-1]]}, {"weight": [[1, 1]]}]))
    doc["output_transform"] = "sigmoid"
    net = from_json_dict(doc)
    assert net.output_transform == "sigmoid"
    assert to_json_dict(net)["output_transform"] == "sigmoid"
    doc["output_transform"] = "tanh"
    with pytest.raises(InvalidNetworkError, match="'output_transform' must be one of sigmoid"):
        from_json_dict(doc)


@pytest.mark.parametrize("depth", [100_000, 5_000])
def test_absurdly_nested_json_is_bad_input(tmp_path: Path, depth: int) -> None:
    path = _write(tmp_path, "[" * depth + "]" * depth)
    with pytest.raises(InvalidNetworkError, match=r"nested too deeply"):
        read_json(path)


def test_nested_weights_below_the_recursion_limit_are_refused(tmp_path: Path) -> None:
    weight = "[" * 200 + "1" + "]" * 200
    path = _write(tmp_path, '{"layers": [{"weight": ' + weight + "}]}")
    with pytest.raises(InvalidNetworkError, match=r"layer 0: weight"):
        read_json(path)


@pytest.mark.parametrize(
    ("number", "needle"),
    [
        ("1" + "0" * 5000, "an integer has more digits than Python reads"),
        ("1e999999999", "decimal exponent beyond"),
        ("-2.5E-99999", "decimal exponent beyond"),
    ],
)
def test_absurd_numbers_are_bad_input(tmp_path: Path, number: str, needle: str) -> None:
    path = _write(tmp_path, '{"layers": [{"weight": [[' + number + "]]}]}")
    with pytest.raises(InvalidNetworkError, match=needle):
        read_json(path)


def test_a_huge_but_readable_number_is_named_with_its_size(tmp_path: Path) -> None:
    path = _write(tmp_path, '{"layers": [{"weight": [[1, 5e4000]]}]}')
    with pytest.raises(InvalidNetworkError, match=r"weight\[0, 1\] \(about 5e\+4000\)"):
        read_json(path)
    assert read_json(path, exact=True).weights[0][0, 1] == 5 * 10**4000
