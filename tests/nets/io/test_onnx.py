"""ONNX conversion: what we write evaluates like the net; hand-built graphs are read or refused."""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")

from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

from neurogeom.core.errors import (
    InvalidInputError,
    InvalidNetworkError,
    UnsupportedLayerError,
)
from neurogeom.nets import RationalNet, ReLUNet
from neurogeom.nets.io import NetworkReadWarning
from neurogeom.nets.io.onnx import (
    from_onnx_model,
    read_onnx,
    to_onnx_model,
    write_onnx,
)


def _assert_bitwise(a: ReLUNet | RationalNet, b: ReLUNet | RationalNet) -> None:
    assert type(a) is type(b) and a.activation == b.activation
    assert a.architecture == b.architecture
    for (wa, ba), (wb, bb) in zip(a.layers, b.layers, strict=True):
        assert wa.dtype == wb.dtype == np.float64
        assert wa.tobytes() == wb.tobytes() and ba.tobytes() == bb.tobytes()


def _random_layers(arch: tuple[int, ...], seed: int = 0) -> tuple[list, list]:
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(o, i)) for i, o in itertools.pairwise(arch)]
    return weights, [rng.normal(size=o) for o in arch[1:]]


def _graph_model(
    nodes: list,
    inits: dict[str, np.ndarray],
    n_in: int,
    n_out: int,
    dtype: int = TensorProto.DOUBLE,
) -> onnx.ModelProto:
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("x", dtype, ["N", n_in])],
        [helper.make_tensor_value_info("y", dtype, ["N", n_out])],
        [numpy_helper.from_array(v, k) for k, v in inits.items()],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


NETS = {
    "relu": ReLUNet(*_random_layers((3, 7, 5, 2))),
    "leaky": ReLUNet(*_random_layers((4, 6, 1), seed=1), negative_slope=0.1),
    "rational": RationalNet(*_random_layers((2, 3, 2), seed=2)),
    "linear": ReLUNet(*_random_layers((3, 2), seed=3)),
    "single_leaky": ReLUNet(*_random_layers((3, 2), seed=4), negative_slope=0.25),
    "single_rational": RationalNet(*_random_layers((2, 2), seed=5)),
}


@pytest.mark.parametrize("name", sorted(NETS))
def test_reference_evaluator_agrees_with_the_net(name: str) -> None:
    net = NETS[name]
    model = to_onnx_model(net)
    onnx.checker.check_model(model, full_check=True)
    x = np.random.default_rng(5).normal(size=(100, net.n_inputs)) * 3
    (got,) = ReferenceEvaluator(model).run(None, {"input": x})
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, net(x))


@pytest.mark.parametrize("name", sorted(NETS))
def test_file_round_trip_is_bitwise(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.onnx"
    write_onnx(NETS[name], path)
    _assert_bitwise(read_onnx(path), NETS[name])


def test_exact_net_is_written_as_float64(tmp_path: Path) -> None:
    net = ReLUNet([[["1/3"], [-1]], [[1, "2/3"]]], negative_slope="1/4", exact=True)
    path = tmp_path / "exact.onnx"
    write_onnx(net, path)
    back = read_onnx(path, exact=True)
    assert back.exact and back.negative_slope == Fraction(1, 4)
    assert back.weights[0][0, 0] == Fraction(1 / 3)
    rounded = [np.array(w, dtype=np.float64) for w in net.weights]  # net has no biases
    assert back == ReLUNet(rounded, negative_slope=net.negative_slope, exact=True)


def test_matmul_add_graph() -> None:
    w0, b0 = np.array([[1.0, 2.0, -1.0], [0.5, 0.0, 3.0]]), np.array([0.25, -1.0, 2.0])
    w1, b1 = np.array([[1.0], [-2.0], [0.5]]), np.array([4.0])
    nodes = [
        helper.make_node("MatMul", ["x", "W0"], ["m0"], name="mm0"),
        helper.make_node("Add", ["b0", "m0"], ["z0"], name="add0"),  # bias first: commutes
        helper.make_node("Relu", ["z0"], ["h0"], name="relu0"),
        helper.make_node("MatMul", ["h0", "W1"], ["m1"], name="mm1"),
        helper.make_node("Add", ["m1", "b1"], ["y"], name="add1"),
    ]
    model = _graph_model(nodes, {"W0": w0, "b0": b0, "W1": w1, "b1": b1}, 2, 1)
    net = from_onnx_model(model)
    assert net.architecture == (2, 3, 1)
    assert net.weights[0].tobytes() == w0.T.copy().tobytes()
    x = np.random.default_rng(0).normal(size=(50, 2))
    (want,) = ReferenceEvaluator(model).run(None, {"x": x})
    np.testing.assert_allclose(net(x), want, rtol=0, atol=1e-12)


def test_gemm_attributes_constants_and_skipped_nodes() -> None:
    b = np.array([[1.0, -1.0], [2.0, 0.5]], dtype=np.float32)  # in x out (transB = 0)
    c = np.array([[0.5, -0.25]], dtype=np.float32)
    const = helper.make_node(
        "Constant",
        [],
        ["W1"],
        name="const",
        value=numpy_helper.from_array(np.array([[1.0, 1.0]], dtype=np.float32)),
    )
    nodes = [
        const,
        helper.make_node("Flatten", ["x"], ["f"], name="flat", axis=1),
        helper.make_node("Gemm", ["f", "B", "C"], ["z"], name="gemm", alpha=2.0, beta=0.5),
        helper.make_node("Identity", ["z"], ["i"], name="id"),
        helper.make_node("LeakyRelu", ["i"], ["h"], name="leaky", alpha=0.1),
        helper.make_node("Dropout", ["h"], ["d"], name="drop"),
        helper.make_node("Gemm", ["d", "W1"], ["y"], name="gemm_out", transB=1),
    ]
    model = _graph_model(nodes, {"B": b, "C": c}, 2, 1, TensorProto.FLOAT)
    net = from_onnx_model(model, exact=True)
    assert net.negative_slope == Fraction(1, 10)  # float32 attribute read as written
    assert net.weights[0].tolist() == [[2, 4], [-2, 1]]
    assert net.biases[0].tolist() == [Fraction(1, 4), Fraction(-1, 8)]
    x = np.random.default_rng(0).normal(size=(50, 2)).astype(np.float32)
    (want,) = ReferenceEvaluator(model).run(None, {"x": x})
    np.testing.assert_allclose(net.to_float()(x.astype(np.float64)), want, rtol=1e-5, atol=1e-5)


def test_consecutive_affine_nodes_are_merged() -> None:
    nodes = [
        helper.make_node("Gemm", ["x", "A"], ["a"], transB=1),
        helper.make_node("MatMul", ["a", "B"], ["y"]),
    ]
    a, b = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0], [1.0]])
    net = from_onnx_model(_graph_model(nodes, {"A": a, "B": b}, 2, 1))
    assert net.n_layers == 1 and net.weights[0].tolist() == [[4.0, 6.0]]


def test_conv_is_refused() -> None:
    nodes = [helper.make_node("Conv", ["x", "K"], ["y"], name="conv1")]
    model = _graph_model(nodes, {"K": np.ones((1, 1, 3, 3))}, 1, 1)
    with pytest.raises(
        UnsupportedLayerError, match=r"node 'conv1' \(Conv\) is not supported; supported: Gemm"
    ):
        from_onnx_model(model)


def test_sigmoid_inside_the_graph_is_refused() -> None:
    nodes = [
        helper.make_node("Gemm", ["x", "W"], ["z"], transB=1, name="fc"),
        helper.make_node("Sigmoid", ["z"], ["h"]),
        helper.make_node("Gemm", ["h", "W"], ["y"], transB=1),
    ]
    model = _graph_model(nodes, {"W": np.eye(2)}, 2, 2)
    with pytest.raises(
        UnsupportedLayerError, match=r"node #2 \(Gemm\) comes after the final node #1"
    ):
        from_onnx_model(model)


def test_residual_add_of_two_branches_is_refused() -> None:
    nodes = [
        helper.make_node("Gemm", ["x", "W"], ["z"], transB=1, name="fc"),
        helper.make_node("Relu", ["z"], ["h"], name="relu"),
        helper.make_node("Add", ["h", "x"], ["y"], name="skip"),
    ]
    model = _graph_model(nodes, {"W": np.eye(2)}, 2, 2)
    with pytest.raises(UnsupportedLayerError, match=r"tensor 'x' feeds 2 nodes.*must be a chain"):
        from_onnx_model(model)


def test_merge_of_computed_tensors_is_refused() -> None:
    nodes = [
        helper.make_node("Gemm", ["x", "W"], ["z"], transB=1, name="fc"),
        helper.make_node("Mul", ["z", "z"], ["y"], name="square"),
    ]
    model = _graph_model(nodes, {"W": np.eye(2)}, 2, 2)
    with pytest.raises(
        UnsupportedLayerError, match=r"node 'square' \(Mul\) combines 2 computed tensors"
    ):
        from_onnx_model(model)


def test_other_refusals() -> None:
    per_channel = [
        helper.make_node("Gemm", ["x", "W"], ["z"], transB=1),
        helper.make_node("PRelu", ["z", "s"], ["h"], name="prelu"),
        helper.make_node("Gemm", ["h", "W"], ["y"], transB=1),
    ]
    model = _graph_model(per_channel, {"W": np.eye(2), "s": np.array([0.1, 0.2])}, 2, 2)
    with pytest.raises(UnsupportedLayerError, match=r"'prelu' \(PRelu\) has different slopes"):
        from_onnx_model(model)
    trans_a = [helper.make_node("Gemm", ["x", "W"], ["y"], transA=1, name="g")]
    with pytest.raises(UnsupportedLayerError, match="transA=0"):
        from_onnx_model(_graph_model(trans_a, {"W": np.eye(2)}, 2, 2))
    ends = [
        helper.make_node("Gemm", ["x", "W"], ["z"], transB=1),
        helper.make_node("Relu", ["z"], ["y"], name="last_relu"),
    ]
    with pytest.raises(UnsupportedLayerError, match=r"ends with the activation node 'last_relu'"):
        from_onnx_model(_graph_model(ends, {"W": np.eye(2)}, 2, 2))
    training = [
        helper.make_node("Gemm", ["x", "W"], ["z"], transB=1),
        helper.make_node("Dropout", ["z", "ratio", "train"], ["y"], name="drop"),
    ]
    inits = {"W": np.eye(2), "ratio": np.array(0.5), "train": np.array(True)}
    with pytest.raises(UnsupportedLayerError, match=r"'drop' \(Dropout\) runs in training mode"):
        from_onnx_model(_graph_model(training, inits, 2, 2))
    with pytest.raises(InvalidInputError, match=r"needs an onnx.ModelProto"):
        from_onnx_model("model.onnx")


def test_missing_initializer_and_bad_shapes() -> None:
    nodes = [helper.make_node("Gemm", ["x", "W"], ["y"], transB=1, name="fc")]
    model = _graph_model(nodes, {}, 2, 2)
    with pytest.raises(
        InvalidNetworkError, match=r"node 'fc' \(Gemm\) reads 'W', which is neither"
    ):
        from_onnx_model(model)
    chain = [
        helper.make_node("Gemm", ["x", "A"], ["z"], transB=1),
        helper.make_node("Relu", ["z"], ["h"]),
        helper.make_node("Gemm", ["h", "B"], ["y"], transB=1),
    ]
    model = _graph_model(chain, {"A": np.ones((2, 2)), "B": np.ones((1, 3))}, 2, 1)
    with pytest.raises(
        InvalidNetworkError, match="layer 1: weight has 3 columns but layer 0 has 2 outputs"
    ):
        from_onnx_model(model)
    nan = _graph_model(chain, {"A": np.array([[1.0, np.nan]] * 2), "B": np.ones((1, 2))}, 2, 1)
    with pytest.raises(InvalidNetworkError, match=r"weight\[0, 1\] must be finite"):
        from_onnx_model(nan)


def test_truncated_file(tmp_path: Path) -> None:
    path = tmp_path / "net.onnx"
    write_onnx(NETS["relu"], path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InvalidNetworkError, match="not a readable ONNX file") as err:
        read_onnx(path)
    assert str(path) in str(err.value)
    path.write_bytes(b"")
    with pytest.raises(InvalidNetworkError, match="no graph nodes"):
        read_onnx(path)


# -- bias structure, classifier endings, decimal attributes --------------------------------------
def test_gemm_without_c_and_matmul_without_add_have_no_bias() -> None:
    nodes = [
        helper.make_node("Gemm", ["x", "W0"], ["z"], transB=1),
        helper.make_node("Relu", ["z"], ["h"]),
        helper.make_node("MatMul", ["h", "W1"], ["m"]),
        helper.make_node("Relu", ["m"], ["k"]),
        helper.make_node("MatMul", ["k", "W2"], ["a"]),
        helper.make_node("Add", ["a", "b2"], ["y"]),
    ]
    inits = {"W0": np.ones((3, 2)), "W1": np.ones((3, 2)), "W2": np.ones((2, 1)), "b2": np.ones(1)}
    net = from_onnx_model(_graph_model(nodes, inits, 2, 1))
    assert net.has_bias == (False, False, True)
    assert net.n_parameters == 6 + 6 + 2 + 1


def test_writer_leaves_out_the_bias_of_layers_without_one(tmp_path: Path) -> None:
    net = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]], [None, [0.5]])
    model = to_onnx_model(net)
    assert [len(n.input) for n in model.graph.node if n.op_type == "Gemm"] == [2, 3]
    out = ReferenceEvaluator(model).run(None, {"input": np.array([[-2.0]])})[0]
    assert out.tolist() == [[2.5]]
    path = tmp_path / "nobias.onnx"
    write_onnx(net, path)
    assert read_onnx(path) == net


@pytest.mark.parametrize(("op", "kind"), [("Sigmoid", "sigmoid"), ("Softmax", "softmax")])
def test_a_final_sigmoid_or_softmax_is_kept_as_the_output_transform(
    tmp_path: Path, op: str, kind: str
) -> None:
    nodes = [
        helper.make_node("Gemm", ["x", "W"], ["z"], transB=1),
        helper.make_node("Relu", ["z"], ["h"]),
        helper.make_node("Gemm", ["h", "W"], ["l"], transB=1),
        helper.make_node(op, ["l"], ["y"], name="ending"),
    ]
    model = _graph_model(nodes, {"W": np.eye(2)}, 2, 2)
    with pytest.warns(NetworkReadWarning, match=rf"node 'ending' \({op}\).*'{kind}'"):
        net = from_onnx_model(model)
    assert net.output_transform == kind and net.architecture == (2, 2, 2)
    path = tmp_path / "classifier.onnx"
    write_onnx(net, path)
    written = onnx.load(str(path))
    assert written.graph.node[-1].op_type == op
    x = np.array([[0.5, -1.0], [2.0, 3.0]])
    want = ReferenceEvaluator(model).run(None, {"x": x})[0]
    got = ReferenceEvaluator(written).run(None, {"input": x})[0]
    assert np.allclose(got, want)
    with pytest.warns(NetworkReadWarning):
        assert read_onnx(path) == net


def test_a_softmax_over_the_batch_axis_is_refused() -> None:
    nodes = [
        helper.make_node("Gemm", ["x", "W"], ["z"], transB=1),
        helper.make_node("Softmax", ["z"], ["y"], axis=0),
    ]
    with pytest.raises(UnsupportedLayerError, match=r"normalises over axis 0"):
        from_onnx_model(_graph_model(nodes, {"W": np.eye(2)}, 2, 2))


def test_decimal_attributes_are_exact_in_float_mode_too() -> None:
    """alpha = 0.1f is read as 1/10: the float network is the view of that exact network."""
    nodes = [
        helper.make_node("Gemm", ["x", "W"], ["z"], transB=1, alpha=0.1),
        helper.make_node("LeakyRelu", ["z"], ["h"], alpha=0.3),
        helper.make_node("Gemm", ["h", "W"], ["y"], transB=1),
    ]
    model = _graph_model(nodes, {"W": np.array([[3.0]])}, 1, 1)
    exact = from_onnx_model(model, exact=True)
    assert exact.weights[0][0, 0] == Fraction(3, 10) and exact.negative_slope == Fraction(3, 10)
    net = from_onnx_model(model)
    assert net.weights[0][0, 0] == 0.3
    assert net.to_exact() == exact
