"""ONNX models (``.onnx``) of affine layers and ReLU-type activations.

The reader accepts a graph that is a *chain*: one input, one output, and every node consuming
the result of the node before it (plus constants). Supported nodes:

- ``Gemm`` (``transA = 0``, any ``transB``, ``alpha``, ``beta``, a constant ``B`` and ``C``),
- ``MatMul`` by a constant matrix, optionally followed by ``Add`` of a constant (the bias),
- ``Relu``, ``LeakyRelu`` (``alpha``), ``PRelu`` with one slope for all neurons, and
  ``Reciprocal`` (σ(t) = 1/t, giving a :class:`~neurogeom.nets.RationalNet`),
- ``Flatten`` (``axis = 1``), ``Identity`` and ``Dropout`` (the identity at inference),
- a final ``Sigmoid`` or ``Softmax`` (over the features), kept as the network's
  ``output_transform`` (it changes no region) with a
  :class:`~neurogeom.nets.io.NetworkReadWarning`.

A ``Gemm`` without ``C`` or a ``MatMul`` without ``Add`` gives a layer without bias.

Constants are graph initializers or ``Constant`` nodes. Consecutive affine nodes are multiplied
out into one layer. Anything else — another operator (``Conv``, ``Tanh``, ...), or a graph that
is not a chain, such as an ``Add`` of two computed branches — is refused with an
:class:`~neurogeom.core.errors.UnsupportedLayerError` naming the node.

The writer emits ``Gemm`` nodes with DOUBLE initializers, and ``Relu``, ``PRelu`` (leaky ReLU with
a DOUBLE slope, since ``LeakyRelu``'s ``alpha`` attribute is only float32) or ``Reciprocal``
between them, so float64 networks round-trip bit for bit. Exact networks are rounded to float64.
The activation is also recorded as the model metadata ``neurogeom_activation``; the reader uses it
only for a network with a single affine layer, whose graph has no activation node.

ONNX stores float *attributes* (``alpha``, ``beta``) as float32; they are read as the shortest
decimal that rounds to that float32 (``LeakyRelu`` with ``alpha = 0.1f`` has slope 1/10), as is a
float32 ``PRelu`` slope. Tensors are read as the binary values they hold.

ONNX is an optional dependency (``pip install 'neurogeom[onnx]'``), imported only when needed.
"""

from __future__ import annotations

import os
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from neurogeom._version import __version__
from neurogeom.core.errors import InvalidInputError, InvalidNetworkError, UnsupportedLayerError
from neurogeom.core.files import atomic_path, check_readable
from neurogeom.core.optional import require
from neurogeom.nets.io.json import _activation_text, _parse_activation, _resolve_activation
from neurogeom.nets.io.torch import (
    _Activation,
    _add_bias,
    _Affine,
    _as_storage,
    _chain_to_net,
    _Output,
)
from neurogeom.nets.rational import RationalNet
from neurogeom.nets.relu import ReLUNet

if TYPE_CHECKING:
    from types import ModuleType

    import onnx

__all__ = ["from_onnx_model", "read_onnx", "to_onnx_model", "write_onnx"]

#: Model metadata key recording the activation (``"leaky_relu:1/10"``); it decides the
#: activation of a network with a single affine layer, whose graph has no activation node.
METADATA_KEY = "neurogeom_activation"

#: Opset and IR version of the models :func:`to_onnx_model` writes (widely supported).
OPSET = 17
IR_VERSION = 8

_SUPPORTED = (
    "supported: Gemm, MatMul (+ Add of a bias), Relu, LeakyRelu, PRelu (one slope), Reciprocal, "
    "Flatten (axis=1), Identity and Dropout, and a final Sigmoid or Softmax, in a chain from the "
    "input to the output"
)


def _onnx() -> ModuleType:
    return require("onnx", extra="onnx")


def _label(node: Any, index: int) -> str:
    name = repr(node.name) if node.name else f"#{index}"
    return f"node {name} ({node.op_type})"


def _float_attr(value: float) -> Fraction:
    """A float32 attribute as the shortest decimal that rounds to it (0.1f -> 1/10)."""
    return Fraction(str(np.float32(value)))


def _scaled(arr: np.ndarray, factor: Fraction, exact: bool) -> np.ndarray:
    if factor == 1:
        return arr
    if exact:
        return _as_storage(arr, True) * factor
    return np.asarray(arr, dtype=np.float64) * float(factor)


def _bias_vector(c: np.ndarray, out: int, what: str) -> np.ndarray:
    """Broadcast a constant bias to shape ``(out,)``, refusing batch-dependent shapes."""
    if c.size == 1:
        return np.full(out, c.reshape(()).item(), dtype=c.dtype)
    if c.shape in ((out,), (1, out)):
        return c.reshape(out)
    raise UnsupportedLayerError(
        f"{what} has shape {c.shape}; only a bias of shape ({out},), (1, {out}) or a scalar is "
        "supported"
    )


def from_onnx_model(
    model: onnx.ModelProto,
    *,
    exact: bool = False,
    source: str = "ONNX model",
    activation: str | None = None,
) -> ReLUNet | RationalNet:
    """Convert an in-memory ONNX model to a network.

    Parameters
    ----------
    model : onnx.ModelProto
        A chain of the nodes listed in the module documentation.
    exact : bool
        Return exact rational weights (tensor entries converted exactly). Float attributes
        (``alpha``, ``beta``) are decimals either way: a float network whose weights they scale
        is the float64 view of the exact one.
    source : str
        Where the model came from, for error messages.
    activation : str, optional
        The activation of a model with a single affine layer (which has no activation node) when
        its metadata records none; where the graph has activation nodes, they must agree.

    Returns
    -------
    ReLUNet or RationalNet

    Raises
    ------
    UnsupportedLayerError
        For an unsupported node (named with its ``op_type``), a branch or merge in the graph, or
        activations that differ.
    InvalidNetworkError
        For a missing constant, shapes that do not chain, or a non-finite weight.
    InvalidInputError
        If ``activation`` contradicts the graph or its metadata.

    Examples
    --------
    A ``MatMul`` + ``Add`` layer, a ``Relu`` and a ``Gemm``:

    >>> import numpy as np
    >>> from onnx import TensorProto, helper, numpy_helper
    >>> nodes = [helper.make_node("MatMul", ["x", "W0"], ["m"]),
    ...          helper.make_node("Add", ["m", "b0"], ["z"]),
    ...          helper.make_node("Relu", ["z"], ["h"]),
    ...          helper.make_node("Gemm", ["h", "W1"], ["y"], transB=1)]
    >>> inits = [numpy_helper.from_array(np.array([[1.0, -1.0]]), "W0"),  # in x out
    ...          numpy_helper.from_array(np.array([0.0, 0.0]), "b0"),
    ...          numpy_helper.from_array(np.array([[1.0, 1.0]]), "W1")]    # out x in
    >>> graph = helper.make_graph(
    ...     nodes, "abs", [helper.make_tensor_value_info("x", TensorProto.DOUBLE, ["N", 1])],
    ...     [helper.make_tensor_value_info("y", TensorProto.DOUBLE, ["N", 1])], inits)
    >>> net = from_onnx_model(helper.make_model(graph))
    >>> net, net([-2.5]).tolist()
    (ReLUNet(1-2-1), [2.5])
    """
    onnx = _onnx()
    numpy_helper = onnx.numpy_helper
    if not isinstance(model, onnx.ModelProto):
        raise InvalidInputError(
            f"from_onnx_model needs an onnx.ModelProto, got {type(model).__name__}"
        )
    graph = model.graph
    consts: dict[str, np.ndarray] = {}
    for init in graph.initializer:
        try:
            consts[init.name] = numpy_helper.to_array(init)
        except Exception as exc:  # onnx raises various errors for bad tensors
            raise InvalidNetworkError(
                f"{source}: initializer {init.name!r} cannot be read: {exc}"
            ) from None
    nodes = []
    for index, node in enumerate(graph.node):
        if node.domain not in ("", "ai.onnx"):
            raise UnsupportedLayerError(
                f"{source}: {_label(node, index)} is from the operator domain {node.domain!r}; "
                f"only standard ONNX operators are supported; {_SUPPORTED}"
            )
        if node.op_type == "Constant":
            attrs = {a.name: a for a in node.attribute}
            if "value" not in attrs:
                raise UnsupportedLayerError(
                    f"{source}: {_label(node, index)} must hold a tensor 'value'; got "
                    f"{sorted(attrs)}"
                )
            consts[node.output[0]] = numpy_helper.to_array(attrs["value"].t)
        else:
            nodes.append((index, node))
    inputs = [i.name for i in graph.input if i.name not in consts]
    if len(inputs) != 1 or len(graph.output) != 1:
        raise UnsupportedLayerError(
            f"{source}: the graph has {len(inputs)} input(s) {inputs} and {len(graph.output)} "
            "output(s); a network has exactly one of each"
        )
    target = graph.output[0].name
    produced = {inputs[0]} | {name for _, n in nodes for name in n.output}
    current = inputs[0]
    steps: list[_Affine | _Activation | _Output] = []
    literal_scale = False  # a float attribute whose decimal value is not a float64
    visited: set[int] = set()

    def const(node: Any, index: int, position: int) -> np.ndarray:
        name = node.input[position] if position < len(node.input) else ""
        if name not in consts:
            raise InvalidNetworkError(
                f"{source}: {_label(node, index)}: input {position} {name!r} must be a "
                "constant (an initializer or a Constant node)"
            )
        value = consts[name]
        if value.dtype.kind not in "iuf":
            raise InvalidNetworkError(
                f"{source}: {_label(node, index)}: constant {name!r} has non-numeric dtype "
                f"{value.dtype}"
            )
        return value

    while current != target:
        users = [(i, n) for i, n in nodes if current in n.input]
        if not users:
            raise InvalidNetworkError(
                f"{source}: no node uses the tensor {current!r}, so the graph output "
                f"{target!r} cannot be reached from the input"
            )
        if len(users) > 1:
            raise UnsupportedLayerError(
                f"{source}: the tensor {current!r} feeds {len(users)} nodes "
                f"({', '.join(_label(n, i) for i, n in users)}); the graph must be a chain, "
                "without branches"
            )
        index, node = users[0]
        label = _label(node, index)
        if index in visited:
            raise InvalidNetworkError(f"{source}: the graph has a cycle through {label}")
        visited.add(index)
        computed = [name for name in node.input if name and name not in consts]
        missing = [name for name in computed if name not in produced]
        if missing:
            raise InvalidNetworkError(
                f"{source}: {label} reads {missing[0]!r}, which is neither an initializer, a "
                "Constant nor the output of a node (a missing initializer?)"
            )
        if len(computed) != 1:
            raise UnsupportedLayerError(
                f"{source}: {label} combines {len(computed)} computed tensors {computed}; the "
                "graph must be a chain (residual connections and merged branches are not "
                f"supported); {_SUPPORTED}"
            )
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        op = node.op_type
        if op == "Gemm":
            if node.input[0] != current or attrs.get("transA", 0) != 0:
                raise UnsupportedLayerError(
                    f"{source}: {label} must multiply the computed tensor as A with transA=0 "
                    "(Y = alpha * X @ B' + beta * C)"
                )
            b_mat = const(node, index, 1)
            if b_mat.ndim != 2:
                raise InvalidNetworkError(
                    f"{source}: {label}: B must be a matrix, got shape {b_mat.shape}"
                )
            weight = b_mat if attrs.get("transB", 0) else b_mat.T
            alpha = _float_attr(attrs.get("alpha", 1.0))
            weight = _scaled(weight, alpha, exact)
            literal_scale = literal_scale or float(alpha) != alpha
            bias = None
            if len(node.input) > 2 and node.input[2]:
                c = _bias_vector(const(node, index, 2), weight.shape[0], f"{source}: {label}: C")
                beta = _float_attr(attrs.get("beta", 1.0))
                bias = _scaled(c, beta, exact)
                literal_scale = literal_scale or float(beta) != beta
            steps.append(_Affine(weight, bias, label))
        elif op == "MatMul":
            if node.input[0] != current:
                raise UnsupportedLayerError(
                    f"{source}: {label} multiplies by the computed tensor on the right; only "
                    "X @ W with a constant W is supported"
                )
            w = const(node, index, 1)
            if w.ndim != 2:
                raise InvalidNetworkError(
                    f"{source}: {label}: the weight must be a matrix (in × out), got shape "
                    f"{w.shape}"
                )
            steps.append(_Affine(w.T, None, label))
        elif op == "Add":
            if not steps or not isinstance(steps[-1], _Affine):
                raise UnsupportedLayerError(
                    f"{source}: {label} adds a constant that is not the bias of a Gemm or MatMul "
                    "right before it"
                )
            prev = steps[-1]
            position = 1 if node.input[0] == current else 0
            c = _bias_vector(
                const(node, index, position),
                prev.weight.shape[0],
                f"{source}: {label}: the added constant",
            )
            bias = _add_bias(
                None if prev.bias is None else _as_storage(prev.bias, exact),
                _as_storage(c, exact),
            )
            steps[-1] = _Affine(prev.weight, bias, prev.label)
        elif op == "Relu":
            steps.append(_Activation("relu", Fraction(0), label))
        elif op == "LeakyRelu":
            steps.append(_Activation("relu", _float_attr(attrs.get("alpha", 0.01)), label))
        elif op == "PRelu":
            slope = const(node, index, 1)
            if slope.size == 0 or np.any(slope != slope.flat[0]):
                raise UnsupportedLayerError(
                    f"{source}: {label} has different slopes per neuron; only one slope for "
                    "all neurons (a leaky ReLU) is supported"
                )
            s = slope.flat[0]
            value = (
                Fraction(str(s)) if slope.dtype in (np.float32, np.float16) else Fraction(s.item())
            )
            steps.append(_Activation("relu", value, label))
        elif op == "Sigmoid":
            steps.append(_Output("sigmoid", label))
        elif op == "Softmax":
            axis = attrs.get("axis", -1 if _opset(model) >= 13 else 1)
            if axis not in (1, -1):
                raise UnsupportedLayerError(
                    f"{source}: {label} normalises over axis {axis}; only a Softmax over the "
                    "features (axis=1 or -1) is supported"
                )
            steps.append(_Output("softmax", label))
        elif op == "Reciprocal":
            steps.append(_Activation("rational", Fraction(0), label))
        elif op == "Flatten":
            if attrs.get("axis", 1) != 1:
                raise UnsupportedLayerError(
                    f"{source}: {label} has axis={attrs['axis']}; only axis=1, which keeps the "
                    "batch dimension, is supported"
                )
        elif op == "Dropout":
            mode = consts.get(node.input[2]) if len(node.input) > 2 else None
            if mode is not None and bool(np.any(mode)):
                raise UnsupportedLayerError(
                    f"{source}: {label} runs in training mode (training_mode is true), where it "
                    "is random; only inference-mode Dropout (the identity) is supported"
                )
        elif op != "Identity":
            raise UnsupportedLayerError(f"{source}: {label} is not supported; {_SUPPORTED}")
        current = node.output[0]
    left = [_label(n, i) for i, n in nodes if i not in visited]
    if left:
        raise UnsupportedLayerError(
            f"{source}: {', '.join(left)} not on the chain from the input {inputs[0]!r} to the "
            f"output {target!r}; the graph must be a chain"
        )
    if literal_scale and not exact:
        # the decimal attributes are exact values: build exactly, return the float64 view
        return from_onnx_model(model, exact=True, source=source, activation=activation).to_float()
    recorded = {prop.key: prop.value for prop in model.metadata_props}.get(METADATA_KEY)
    if recorded is not None:
        try:
            _parse_activation(recorded)
        except (InvalidNetworkError, UnsupportedLayerError) as exc:
            raise type(exc)(f"{source}: metadata {METADATA_KEY!r}: {exc}") from None
    kind, slope = _resolve_activation(recorded, activation, source)
    kind = "rational" if kind == "rational" else "relu"
    acts = [step for step in steps if isinstance(step, _Activation)]
    if activation is not None and acts and (acts[0].kind, acts[0].slope) != (kind, slope):
        raise InvalidInputError(
            f"{source}: the graph's {acts[0].label} is {acts[0].describe()} but "
            f"activation={activation!r} was given; drop the activation argument (it is for "
            "files that do not record one)"
        )
    default = _Activation(kind, slope, "the recorded or given activation")
    return _chain_to_net(steps, exact=exact, source=source, supported=_SUPPORTED, default=default)


def _opset(model: Any) -> int:
    """The model's opset of the default ONNX domain (1 if it declares none)."""
    for entry in model.opset_import:
        if entry.domain in ("", "ai.onnx"):
            return int(entry.version)
    return 1


def to_onnx_model(net: ReLUNet | RationalNet) -> onnx.ModelProto:
    """The network as an ONNX model (opset 17) with DOUBLE weights.

    The graph has one input ``"input"`` of shape ``(N, n_inputs)`` and one output ``"output"``;
    layer ``l`` is a ``Gemm`` (``transB = 1``) on initializers ``W<l>`` (out × in) and ``b<l>``
    (no ``C`` input for a layer without bias), followed by ``Relu``, ``PRelu`` (slope initializer
    ``slope``) or ``Reciprocal``; an output transform becomes a final ``Sigmoid`` or ``Softmax``.
    The activation is also recorded in the model's metadata (key ``neurogeom_activation``), so a
    network with a single layer keeps its type and slope through a round trip.

    Examples
    --------
    >>> import numpy as np
    >>> from onnx.reference import ReferenceEvaluator
    >>> net = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]], negative_slope=0.5)
    >>> model = to_onnx_model(net)
    >>> [node.op_type for node in model.graph.node]
    ['Gemm', 'PRelu', 'Gemm']
    >>> ReferenceEvaluator(model).run(None, {"input": np.array([[-2.0]])})[0].tolist()
    [[1.0]]
    """
    onnx = _onnx()
    helper, numpy_helper = onnx.helper, onnx.numpy_helper
    if not isinstance(net, ReLUNet | RationalNet):
        raise InvalidInputError(
            f"to_onnx_model needs a ReLUNet or RationalNet, got {type(net).__name__}"
        )
    fnet = net.to_float()
    nodes = []
    inits = []
    current = "input"
    transform = fnet.output_transform
    for l, ((w, b), has) in enumerate(zip(fnet.layers, fnet.has_bias, strict=True)):
        last = l == fnet.n_layers - 1
        out = ("logits" if transform else "output") if last else f"z{l}"
        inits.append(numpy_helper.from_array(np.asarray(w, dtype=np.float64), f"W{l}"))
        gemm_inputs = [current, f"W{l}"]
        if has:
            inits.append(numpy_helper.from_array(np.asarray(b, dtype=np.float64), f"b{l}"))
            gemm_inputs.append(f"b{l}")
        nodes.append(helper.make_node("Gemm", gemm_inputs, [out], transB=1, name=f"gemm{l}"))
        if last:
            if transform == "sigmoid":
                nodes.append(helper.make_node("Sigmoid", [out], ["output"], name="sigmoid"))
            elif transform == "softmax":
                nodes.append(
                    helper.make_node("Softmax", [out], ["output"], axis=-1, name="softmax")
                )
            break
        current = f"h{l}"
        if isinstance(fnet, RationalNet):
            nodes.append(helper.make_node("Reciprocal", [out], [current], name=f"reciprocal{l}"))
        elif fnet.negative_slope == 0:
            nodes.append(helper.make_node("Relu", [out], [current], name=f"relu{l}"))
        else:
            if l == 0:
                slope = np.array([float(fnet.negative_slope)], dtype=np.float64)
                inits.append(numpy_helper.from_array(slope, "slope"))
            nodes.append(helper.make_node("PRelu", [out, "slope"], [current], name=f"prelu{l}"))
    double = onnx.TensorProto.DOUBLE
    graph = helper.make_graph(
        nodes,
        "neurogeom_net",
        [helper.make_tensor_value_info("input", double, ["N", fnet.n_inputs])],
        [helper.make_tensor_value_info("output", double, ["N", fnet.n_outputs])],
        inits,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        ir_version=IR_VERSION,
        producer_name="neurogeom",
        producer_version=__version__,
    )
    model.doc_string = f"{net!r} written by neurogeom"
    helper.set_model_props(model, {METADATA_KEY: _activation_text(net, binary=True)})
    return model


def read_onnx(
    path: str | os.PathLike[str], *, exact: bool = False, activation: str | None = None
) -> ReLUNet | RationalNet:
    """Read a network from an ``.onnx`` file (``activation``: see :func:`from_onnx_model`).

    Raises
    ------
    InvalidInputError
        If the file does not exist.
    InvalidNetworkError
        If the file is truncated or corrupt (the message names it), or the graph is malformed.
    UnsupportedLayerError
        For unsupported nodes or a graph that is not a chain (see :func:`from_onnx_model`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "net.onnx"
    >>> write_onnx(ReLUNet([[[1.0, 2.0]], [[3.0]]], [[0.5], [0.0]]), target)
    >>> net = read_onnx(target)
    >>> net, net([1.0, 1.0]).tolist()
    (ReLUNet(2-1-1), [10.5])
    """
    onnx = _onnx()
    p = check_readable(path)
    try:
        model = onnx.load(str(p))
    except Exception as exc:  # protobuf reports corrupt files in many ways
        raise InvalidNetworkError(
            f"{p}: not a readable ONNX file (truncated or corrupt?): {type(exc).__name__}: {exc}"
        ) from None
    if not model.graph.node:
        raise InvalidNetworkError(f"{p}: the ONNX file holds no graph nodes (empty or truncated)")
    return from_onnx_model(model, exact=exact, source=str(p), activation=activation)


def write_onnx(net: ReLUNet | RationalNet, path: str | os.PathLike[str]) -> None:
    """Write ``net`` to ``path`` as an ONNX model (see :func:`to_onnx_model`), atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "net.onnx"
    >>> net = RationalNet([[[1.0]], [[1.0]]], [[1.0], [0.0]])   # 1 / (x + 1)
    >>> write_onnx(net, target)
    >>> read_onnx(target) == net
    True
    """
    model = to_onnx_model(net)
    with atomic_path(path) as tmp:
        tmp.write_bytes(model.SerializeToString())
