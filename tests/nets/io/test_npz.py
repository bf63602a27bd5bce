"""NumPy ``.npz`` archives: bitwise round trips and one test per kind of bad archive."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from neurogeom.core.errors import InvalidInputError, InvalidNetworkError, UnsupportedLayerError
from neurogeom.nets import RationalNet, ReLUNet
from neurogeom.nets.io.npz import from_arrays, read_npz, to_arrays, write_npz


def _assert_bitwise(a: ReLUNet | RationalNet, b: ReLUNet | RationalNet) -> None:
    assert type(a) is type(b) and a.activation == b.activation
    assert a.architecture == b.architecture
    for (wa, ba), (wb, bb) in zip(a.layers, b.layers, strict=True):
        assert wa.dtype == wb.dtype == np.float64
        assert wa.tobytes() == wb.tobytes() and ba.tobytes() == bb.tobytes()


def _save(tmp_path: Path, name: str = "net.npz", **arrays: np.ndarray) -> Path:
    path = tmp_path / name
    np.savez(path, **arrays)
    return path


W0 = np.array([[1.0, -2.0], [0.5, 3.0]])
W1 = np.array([[1.0, 1.0]])


# -- round trips ---------------------------------------------------------------------------------
@pytest.mark.parametrize("slope", [0.0, 0.01, 0.3])
def test_round_trip_is_bitwise(tmp_path: Path, slope: float) -> None:
    rng = np.random.default_rng(0)
    net = ReLUNet(
        [rng.normal(size=(5, 3)), rng.normal(size=(2, 5)) * 1e-7],
        [rng.normal(size=5), np.array([-0.0, 1e-310])],
        negative_slope=slope,
    )
    path = tmp_path / "net.npz"
    write_npz(net, path)
    back = read_npz(path)
    _assert_bitwise(back, net)
    assert back.negative_slope == slope


def test_rational_round_trip(tmp_path: Path) -> None:
    net = RationalNet([W0, W1], [np.array([1.0, 2.0]), np.zeros(1)])
    path = tmp_path / "rat.npz"
    write_npz(net, path)
    back = read_npz(path)
    assert isinstance(back, RationalNet)
    _assert_bitwise(back, net)


def test_exact_net_is_written_as_float64_with_exact_slope(tmp_path: Path) -> None:
    net = ReLUNet([[["1/3", 1]], [[2]]], negative_slope="1/3", exact=True)
    path = tmp_path / "exact.npz"
    write_npz(net, path)
    with np.load(path) as archive:
        assert archive["W0"].dtype == np.float64
        assert str(archive["activation"]) == "leaky_relu:1/3"
    back = read_npz(path, exact=True)
    assert back.negative_slope == Fraction(1, 3)
    assert back.weights[0][0, 0] == Fraction(1 / 3)
    # weights rounded to float64 (converted back exactly), slope kept exact
    rounded = [[Fraction(float(v)) for v in w.flat] for w in net.weights]
    assert [list(w.flat) for w in back.weights] == rounded


def test_optional_biases_and_integer_arrays(tmp_path: Path) -> None:
    path = _save(tmp_path, W0=np.array([[1], [-1]]), W1=np.array([[1, 1]]), b1=np.array([2]))
    net = read_npz(path, exact=True)
    assert net.biases[0].tolist() == [0, 0] and net.biases[1].tolist() == [2]
    assert net([-3]).tolist() == [5]


def test_float32_arrays_are_read_exactly(tmp_path: Path) -> None:
    w = np.array([[0.1]], dtype=np.float32)
    net = read_npz(_save(tmp_path, W0=w), exact=True)
    assert net.weights[0][0, 0] == Fraction(float(w[0, 0]))


def test_to_arrays_and_from_arrays_agree() -> None:
    net = ReLUNet([W0, W1], negative_slope=0.2)
    _assert_bitwise(from_arrays(to_arrays(net)), net)


# -- bad archives --------------------------------------------------------------------------------
def test_missing_w0(tmp_path: Path) -> None:
    with pytest.raises(InvalidNetworkError, match="missing 'W0'"):
        read_npz(_save(tmp_path, W1=W1, b1=np.zeros(1)))


def test_gap_in_layers(tmp_path: Path) -> None:
    with pytest.raises(InvalidNetworkError, match=r"missing 'W1' \(found W0, W2\)"):
        read_npz(_save(tmp_path, W0=W0, W2=W1))


def test_bias_without_weight(tmp_path: Path) -> None:
    with pytest.raises(InvalidNetworkError, match="'b3' has no matching 'W3'"):
        read_npz(_save(tmp_path, W0=W0, b3=np.zeros(2)))


def test_wrong_rank(tmp_path: Path) -> None:
    with pytest.raises(InvalidNetworkError, match=r"'W1' must be a matrix \(out × in\), got shape"):
        read_npz(_save(tmp_path, W0=W0, W1=np.ones(2)))
    with pytest.raises(InvalidNetworkError, match=r"'b0' must be a vector, got shape \(2, 1\)"):
        read_npz(_save(tmp_path, "b.npz", W0=W0, b0=np.ones((2, 1))))


def test_broken_shape_chain(tmp_path: Path) -> None:
    with pytest.raises(InvalidNetworkError, match="'W1' has 3 columns but 'W0' has 2 rows"):
        read_npz(_save(tmp_path, W0=W0, W1=np.ones((1, 3))))


def test_bias_length(tmp_path: Path) -> None:
    with pytest.raises(InvalidNetworkError, match="'b0' has length 3 but 'W0' has 2 rows"):
        read_npz(_save(tmp_path, W0=W0, b0=np.zeros(3)))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_weight(tmp_path: Path, bad: float) -> None:
    w = W0.copy()
    w[1, 0] = bad
    with pytest.raises(InvalidNetworkError, match=r"'W0'\[1, 0\] is .*; weights must be finite"):
        read_npz(_save(tmp_path, W0=w))


def test_non_numeric_arrays(tmp_path: Path) -> None:
    with pytest.raises(InvalidNetworkError, match="'W0' must hold real numbers, got dtype <U1"):
        read_npz(_save(tmp_path, W0=np.array([["a", "b"]])))
    with pytest.raises(InvalidNetworkError, match="'W0' must hold real numbers, got dtype bool"):
        read_npz(_save(tmp_path, "b.npz", W0=np.array([[True]])))
    with pytest.raises(InvalidNetworkError, match=r"'W0' must hold real numbers.*complex"):
        read_npz(_save(tmp_path, "c.npz", W0=np.array([[1j]])))


def test_pickled_object_array_is_not_unpickled(tmp_path: Path) -> None:
    path = _save(tmp_path, W0=np.array([[1, 2]], dtype=object))
    with pytest.raises(InvalidNetworkError, match=r"array 'W0' cannot be read.*allow_pickle"):
        read_npz(path)


def test_unknown_key(tmp_path: Path) -> None:
    with pytest.raises(InvalidNetworkError, match="unexpected array 'weights0'"):
        read_npz(_save(tmp_path, W0=W0, weights0=W0))


def test_unknown_activation(tmp_path: Path) -> None:
    path = _save(tmp_path, W0=W0, W1=W1, activation=np.array("tanh"))
    with pytest.raises(UnsupportedLayerError, match="unknown activation 'tanh'") as err:
        read_npz(path)
    assert str(path) in str(err.value)


def test_activation_must_be_a_string(tmp_path: Path) -> None:
    with pytest.raises(InvalidNetworkError, match="'activation' must be a 0-d string array"):
        read_npz(_save(tmp_path, W0=W0, activation=np.array(["relu", "relu"])))


def test_truncated_archive(tmp_path: Path) -> None:
    path = tmp_path / "net.npz"
    write_npz(ReLUNet([W0, W1]), path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InvalidNetworkError, match=r"not a readable .npz archive") as err:
        read_npz(path)
    assert str(path) in str(err.value)


def test_single_npy_array_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.npz"
    with open(path, "wb") as fh:
        np.save(fh, W0)
    with pytest.raises(InvalidNetworkError, match="holds a single array"):
        read_npz(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="no such file"):
        read_npz(tmp_path / "absent.npz")


def test_an_archive_without_biases_has_layers_without_bias(tmp_path: Path) -> None:
    path = _save(tmp_path, W0=np.ones((4, 2)), W1=np.ones((1, 4)), b1=np.array([0.5]))
    net = read_npz(path)
    assert net.has_bias == (False, True) and net.n_parameters == 8 + 4 + 1
    out = tmp_path / "again.npz"
    write_npz(net, out)
    with np.load(out) as archive:
        assert sorted(archive.files) == ["W0", "W1", "activation", "b1"]
    assert read_npz(out) == net


def test_a_literal_slope_is_exact_in_float_mode(tmp_path: Path) -> None:
    path = _save(tmp_path, W0=W0, W1=W1, activation=np.array("leaky_relu:1/3"))
    net = read_npz(path)
    assert net.negative_slope == 1 / 3
    assert net.to_exact() == read_npz(path, exact=True)


def test_activation_argument_and_output_transform(tmp_path: Path) -> None:
    path = _save(tmp_path, W0=W0, W1=W1, output_transform=np.array("softmax"))
    net = read_npz(path, activation="leaky_relu:0.5")
    assert net.negative_slope == 0.5 and net.output_transform == "softmax"
    out = tmp_path / "again.npz"
    write_npz(net, out)
    assert read_npz(out) == net
