"""PyTorch models and ``state_dict`` files (``.pt``, ``.pth``).

Two ways in:

- :func:`from_torch` converts a live :class:`torch.nn.Module`: an ``nn.Sequential`` (nested ones
  included) or any module whose ``forward`` applies its ``Linear``, ``ReLU``, ``LeakyReLU``,
  ``Flatten``, ``Identity`` and ``Dropout`` layers one after the other. For anything that is not
  a plain ``nn.Sequential`` the conversion is *checked*: the module and the converted network are
  evaluated on random inputs in float64 and must agree, so residual connections, branches or
  custom arithmetic in ``forward`` are refused rather than silently misread.
- :func:`read_torch` reads a file written by ``torch.save``. Files are always opened with
  ``torch.load(..., weights_only=True)``: no arbitrary Python object is ever unpickled, so a
  pickled *module* (``torch.save(model, path)``) cannot be read — save ``model.state_dict()``
  instead, or convert the module in Python with :func:`from_torch`.

A ``state_dict`` is read as a chain of ``Linear`` layers in the order of its keys
(``0.weight, 0.bias, 2.weight, ...`` or ``fc1.weight, fc1.bias, fc2.weight, ...``; each weight is
out × in, a layer without ``.bias`` has no bias). A ``state_dict`` holds no activations: pass
``activation="leaky_relu:0.2"`` (``--activation`` on the command line) to say which one sits
between the layers; without it **ReLU is assumed** and a
:class:`~neurogeom.nets.io.NetworkReadWarning` says so. Files written by :func:`write_torch`
record the activation (leaky slopes included) in the ``state_dict``'s ``_metadata`` (key
``"neurogeom_activation"`` of the root entry, which ``load_state_dict`` ignores), so they need
no ``activation``. A checkpoint dictionary such as ``{"model": state_dict, "epoch": 3}`` is
unwrapped when exactly one of its entries is a ``state_dict``.

A model ending in ``Sigmoid`` or ``Softmax`` (over the features) is read as the network before
it, with :attr:`~neurogeom.nets.ReLUNet.output_transform` recording the ending (and a warning):
these change no region.

PyTorch is an optional dependency (``pip install 'neurogeom[torch]'``), imported only when one of
these functions runs. PyTorch is a float format: exact networks are rounded to float64 on the way
out, and float weights are converted exactly (to the binary value they hold) on the way in when
``exact=True``.
"""

from __future__ import annotations

import copy
import os
import pickle
import pickletools
import re
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from neurogeom.core.errors import InvalidInputError, InvalidNetworkError, UnsupportedLayerError
from neurogeom.core.files import atomic_path, check_readable
from neurogeom.core.optional import require
from neurogeom.nets.io import _warn
from neurogeom.nets.io.json import _activation_text, _resolve_activation
from neurogeom.nets.rational import RationalNet
from neurogeom.nets.relu import ReLUNet

if TYPE_CHECKING:
    from types import ModuleType

    import torch

__all__ = ["from_state_dict", "from_torch", "read_torch", "to_torch", "write_torch"]

#: Key of the root ``state_dict._metadata`` entry holding the activation (``"leaky_relu:1/10"``).
METADATA_KEY = "neurogeom_activation"
#: Key of the root ``state_dict._metadata`` entry holding the output transform (``"sigmoid"``).
TRANSFORM_KEY = "neurogeom_output_transform"

_SUPPORTED = (
    "supported: Linear, ReLU, LeakyReLU, Flatten, Identity and Dropout (the identity in eval "
    "mode), and a final Sigmoid or Softmax, in an nn.Sequential or a module whose forward "
    "applies them one after the other"
)

#: How many random points :func:`from_torch` uses to check a non-Sequential module.
_N_CHECK = 32


# -- the chain of layers, shared with the ONNX reader ----------------------------------------------
@dataclass(frozen=True, slots=True)
class _Affine:
    """An affine step ``x -> weight @ x + bias`` of a model being converted (``None``: no bias)."""

    weight: np.ndarray
    bias: np.ndarray | None
    label: str


@dataclass(frozen=True, slots=True)
class _Output:
    """A final transformation that changes no region: ``kind`` is ``"sigmoid"`` or ``"softmax"``."""

    kind: str
    label: str


@dataclass(frozen=True, slots=True)
class _Activation:
    """An activation step: ``kind`` is ``"relu"`` (with a leaky ``slope``) or ``"rational"``."""

    kind: str
    slope: Fraction
    label: str

    def describe(self) -> str:
        if self.kind == "rational":
            return "1/t (rational)"
        return "ReLU" if self.slope == 0 else f"leaky ReLU with slope {float(self.slope)!r}"


def _as_storage(values: np.ndarray, exact: bool) -> np.ndarray:
    """Float64 array, or an object array of exact Fractions (floats converted exactly)."""
    if exact:
        arr = np.asarray(values)
        if arr.dtype == object:
            return arr
        out = np.empty(arr.shape, dtype=object)
        for idx, v in np.ndenumerate(arr):
            out[idx] = Fraction(v.item() if hasattr(v, "item") else v)
        return out
    return np.asarray(values, dtype=np.float64)


def _add_bias(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    if a is None:
        return b
    return a if b is None else a + b


def _chain_to_net(
    steps: Sequence[_Affine | _Activation | _Output],
    *,
    exact: bool,
    source: str,
    supported: str,
    default: _Activation | None = None,
) -> ReLUNet | RationalNet:
    """Turn a chain of affine and activation steps into a network.

    Consecutive affine steps are multiplied out into one layer (exactly when ``exact``, in
    float64 otherwise); every activation must sit between two affine steps and all activations
    must be the same. An :class:`_Output` step may only come last; it becomes the network's
    ``output_transform``, with a warning. ``default`` is the activation of a chain without any
    (ReLU if ``None``): it matters only for the type and equality of a network with a single
    affine layer.
    """
    weights: list[np.ndarray] = []
    biases: list[np.ndarray | None] = []
    pending: tuple[np.ndarray, np.ndarray | None, str] | None = None
    first_act: _Activation | None = None
    last_act: _Activation | None = None
    output: _Output | None = None
    for step in steps:
        if output is not None:
            raise UnsupportedLayerError(
                f"{source}: {step.label} comes after the final {output.label}; a Sigmoid or "
                f"Softmax is accepted only at the very end ({supported})"
            )
        if isinstance(step, _Output):
            if pending is None:
                raise UnsupportedLayerError(
                    f"{source}: {step.label} must follow an affine layer, as the model's last "
                    f"step ({supported})"
                )
            output = step
            continue
        if isinstance(step, _Affine):
            w = _as_storage(step.weight, exact)
            b = None if step.bias is None else _as_storage(step.bias, exact)
            if pending is None:
                pending = (w, b, step.label)
                continue
            w_prev, b_prev, label_prev = pending
            if w.shape[1] != w_prev.shape[0]:
                raise InvalidNetworkError(
                    f"{source}: {step.label} takes {w.shape[1]} inputs but {label_prev} before it "
                    f"has {w_prev.shape[0]} outputs"
                )
            pending = (w @ w_prev, _add_bias(None if b_prev is None else w @ b_prev, b), step.label)
            continue
        if pending is None:
            where = (
                f"right after the activation {last_act.label}"
                if last_act is not None
                else "before any affine layer"
            )
            raise UnsupportedLayerError(
                f"{source}: the activation {step.label} comes {where}; an activation must sit "
                f"between two affine layers ({supported})"
            )
        if first_act is None:
            first_act = step
        elif (step.kind, step.slope) != (first_act.kind, first_act.slope):
            raise UnsupportedLayerError(
                f"{source}: the activation {step.label} ({step.describe()}) differs from "
                f"{first_act.label} ({first_act.describe()}); neurogeom networks use one "
                "activation throughout"
            )
        weights.append(pending[0])
        biases.append(pending[1])
        pending = None
        last_act = step
    if pending is None:
        if last_act is None:
            raise InvalidNetworkError(f"{source}: no affine layer found ({supported})")
        raise UnsupportedLayerError(
            f"{source}: the model ends with the activation {last_act.label}; neurogeom networks "
            "end with an affine layer (drop the final activation, or add an identity Linear)"
        )
    weights.append(pending[0])
    biases.append(pending[1])
    act = first_act or default
    transform = None if output is None else output.kind
    try:
        if act is not None and act.kind == "rational":
            net: ReLUNet | RationalNet = RationalNet(
                weights, biases, exact=exact, output_transform=transform
            )
        else:
            slope = Fraction(0) if act is None else act.slope
            net = ReLUNet(
                weights, biases, negative_slope=slope, exact=exact, output_transform=transform
            )
    except InvalidNetworkError as exc:
        raise InvalidNetworkError(f"{source}: {exc}") from None
    if output is not None:
        _warn(
            f"{source}: the final {output.label} is kept as output_transform={output.kind!r}: it "
            "changes no region, and the network's values (and every analysis) are those before it"
        )
    return net


# -- live modules ----------------------------------------------------------------------------------
def _torch() -> ModuleType:
    return require("torch", extra="torch")


def _to_numpy(torch: ModuleType, tensor: Any, what: str) -> np.ndarray:
    """A tensor's values as float64 (exact for every real floating and integer dtype)."""
    if not isinstance(tensor, torch.Tensor):
        raise InvalidNetworkError(f"{what} must be a tensor, got {type(tensor).__name__}")
    if tensor.is_complex() or tensor.dtype == torch.bool:
        raise InvalidNetworkError(f"{what} must hold real numbers, got dtype {tensor.dtype}")
    try:
        return tensor.detach().to(device="cpu", dtype=torch.float64).numpy().copy()
    except (RuntimeError, ValueError, NotImplementedError) as exc:  # e.g. a lazy parameter
        raise InvalidNetworkError(f"{what} cannot be read: {exc}") from None


def _leaves(module: torch.nn.Module, prefix: str) -> tuple[list[tuple[str, Any]], bool]:
    """Leaf modules in registration order, and whether every container is a plain Sequential."""
    torch = _torch()
    children = list(module.named_children())
    if not children:
        if type(module) in (torch.nn.Sequential, torch.nn.ModuleList, torch.nn.ModuleDict):
            return [], True  # an empty container holds no layer
        return [(prefix, module)], True
    plain = (
        isinstance(module, torch.nn.Sequential)
        and type(module).forward is torch.nn.Sequential.forward
    )
    out: list[tuple[str, Any]] = []
    for name, child in children:
        leaves, child_plain = _leaves(child, f"{prefix}.{name}" if prefix else name)
        out.extend(leaves)
        plain = plain and child_plain
    return out, plain


def _step(
    torch: ModuleType, name: str, layer: Any
) -> tuple[_Affine | _Activation | _Output | None, bool]:
    """Classify one leaf module; the flag says whether its ``forward`` is overridden."""
    nn = torch.nn
    label = f"layer {name or '<root>'!r} ({type(layer).__name__})"
    dropouts = (
        nn.Dropout,
        nn.Dropout1d,
        nn.Dropout2d,
        nn.Dropout3d,
        nn.AlphaDropout,
        nn.FeatureAlphaDropout,
    )
    bases = (nn.Linear, nn.ReLU, nn.LeakyReLU, nn.Sigmoid, nn.Softmax, nn.Flatten, nn.Identity)
    for base in (*bases, *dropouts):
        if isinstance(layer, base):
            custom = type(layer).forward is not base.forward
            break
    else:
        raise UnsupportedLayerError(f"{label} is not supported; {_SUPPORTED}")
    if isinstance(layer, nn.Linear):
        w = _to_numpy(torch, layer.weight, f"{label}: weight")
        b = None if layer.bias is None else _to_numpy(torch, layer.bias, f"{label}: bias")
        return _Affine(w, b, label), custom
    if isinstance(layer, nn.Sigmoid):
        return _Output("sigmoid", label), custom
    if isinstance(layer, nn.Softmax):
        if layer.dim not in (None, 1, -1):
            raise UnsupportedLayerError(
                f"{label} normalises over dimension {layer.dim}; only a Softmax over the features "
                "(dim=1 or dim=-1) is supported"
            )
        return _Output("softmax", label), custom
    if isinstance(layer, nn.LeakyReLU):
        return _Activation("relu", Fraction(float(layer.negative_slope)), label), custom
    if isinstance(layer, nn.ReLU):
        return _Activation("relu", Fraction(0), label), custom
    if isinstance(layer, nn.Flatten) and (layer.start_dim, layer.end_dim) != (1, -1):
        raise UnsupportedLayerError(
            f"{label} flattens dimensions {layer.start_dim}..{layer.end_dim}; only "
            "Flatten(start_dim=1, end_dim=-1), which keeps the batch dimension, is supported"
        )
    return None, custom


def _apply_output(y: np.ndarray, transform: str | None) -> np.ndarray:
    """The recorded output transform applied to float64 outputs of shape (N, m)."""
    if transform == "sigmoid":
        return 1.0 / (1.0 + np.exp(-y))
    if transform == "softmax":
        e = np.exp(y - y.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    return y


def _check_same_function(
    torch: ModuleType, module: torch.nn.Module, net: ReLUNet, chain: str
) -> None:
    """Refuse ``module`` unless it computes ``net`` on random inputs (float64, eval mode)."""
    name = type(module).__name__
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(_N_CHECK, net.n_inputs, generator=gen, dtype=torch.float64)
    x[_N_CHECK // 2 :] *= 10.0
    try:
        probe = copy.deepcopy(module).to(device="cpu", dtype=torch.float64).eval()
        with torch.no_grad():
            y = probe(x)
        got = _to_numpy(torch, y, "the module's output")
    except Exception as exc:  # any failure of user code means "cannot check"
        raise UnsupportedLayerError(
            f"module {name} could not be checked against the chain of its layers ({chain}): "
            f"running it on a batch of shape {tuple(x.shape)} failed with "
            f"{type(exc).__name__}: {exc}; {_SUPPORTED}"
        ) from None
    want = _apply_output(net.to_float().evaluate(x.numpy()), net.output_transform)
    if got.shape != want.shape:
        raise UnsupportedLayerError(
            f"module {name} returns shape {got.shape} but the chain of its layers ({chain}) "
            f"returns {want.shape}; {_SUPPORTED}"
        )
    diff = float(np.max(np.abs(got - want)))
    scale = max(1.0, float(np.max(np.abs(want))))
    if not diff <= 1e-9 * scale:
        raise UnsupportedLayerError(
            f"module {name} does not compute the chain of its layers ({chain}): on random "
            f"inputs the outputs differ by up to {diff:.3g}; residual connections, branches "
            f"and custom arithmetic in forward are not supported; {_SUPPORTED}"
        )


def from_torch(module: torch.nn.Module, *, exact: bool = False) -> ReLUNet:
    """Convert a PyTorch module made of Linear and (leaky) ReLU layers into a :class:`ReLUNet`.

    Parameters
    ----------
    module : torch.nn.Module
        An ``nn.Sequential`` (possibly nested), a single ``nn.Linear``, or any module whose
        ``forward`` applies its layers in the order they were registered. Supported layers:
        ``Linear``, ``ReLU``, ``LeakyReLU``, ``Flatten`` (batch dimension kept), ``Identity``
        and the ``Dropout`` family (converted as in eval mode, i.e. the identity), and a final
        ``Sigmoid`` or ``Softmax`` (over the features), kept as ``output_transform`` with a
        :class:`~neurogeom.nets.io.NetworkReadWarning`.
    exact : bool
        Return exact rational weights (each float converted to the binary value it holds).

    Returns
    -------
    ReLUNet
        Consecutive ``Linear`` layers with no activation between them are merged into one
        affine layer (in float64, or exactly when ``exact=True``). A ``Linear`` without bias
        gives a layer without bias.

    Raises
    ------
    UnsupportedLayerError
        For a layer that is not supported (the message names it and its class), activations
        that differ in kind or slope, an activation before the first or after the last
        ``Linear``, or a non-Sequential module whose ``forward`` does not compute the chain of
        its layers (checked on random float64 inputs; e.g. a residual connection).
    InvalidNetworkError
        If the layer shapes do not chain or a weight is not finite.

    Examples
    --------
    >>> import torch
    >>> model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.LeakyReLU(0.25),
    ...                             torch.nn.Linear(3, 1))
    >>> from_torch(model)
    ReLUNet(2-3-1, leaky_relu:0.25)
    >>> from_torch(torch.nn.Sequential(torch.nn.Conv2d(1, 1, 3)))
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.UnsupportedLayerError: layer '0' (Conv2d) is not supported; ...
    """
    torch = _torch()
    if not isinstance(module, torch.nn.Module):
        raise InvalidInputError(f"from_torch needs a torch.nn.Module, got {type(module).__name__}")
    leaves, plain = _leaves(module, "")
    steps: list[_Affine | _Activation | _Output] = []
    for name, layer in leaves:
        step, custom = _step(torch, name, layer)
        plain = plain and not custom
        if step is not None:
            steps.append(step)
    net = _chain_to_net(
        steps, exact=exact, source=f"module {type(module).__name__}", supported=_SUPPORTED
    )
    if isinstance(net, RationalNet):  # pragma: no cover - torch steps are never rational
        raise UnsupportedLayerError("a rational activation cannot come from PyTorch")
    if not plain:
        chain = " -> ".join(name or "<root>" for name, _ in leaves)
        _check_same_function(torch, module, net, chain)
    return net


def to_torch(net: ReLUNet) -> torch.nn.Sequential:
    """The network as an ``nn.Sequential`` of float64 ``Linear`` and ``ReLU``/``LeakyReLU``.

    Exact weights are rounded to the nearest float64. Layers without bias become
    ``Linear(..., bias=False)``; an ``output_transform`` becomes a final ``Sigmoid`` or
    ``Softmax(dim=-1)``.

    Raises
    ------
    UnsupportedLayerError
        For a :class:`RationalNet`: PyTorch has no layer computing ``1/t``.

    Examples
    --------
    >>> import torch
    >>> net = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]], [[0.0, 0.0], None])  # |x|
    >>> model = to_torch(net)
    >>> model
    Sequential(
      (0): Linear(in_features=1, out_features=2, bias=True)
      (1): ReLU()
      (2): Linear(in_features=2, out_features=1, bias=False)
    )
    >>> model(torch.tensor([[-3.0]], dtype=torch.float64)).tolist()
    [[3.0]]
    """
    torch = _torch()
    if isinstance(net, RationalNet):
        raise UnsupportedLayerError(
            "a RationalNet (activation 1/t) cannot be written as a PyTorch model: PyTorch has "
            "no such layer; write it to .json or .npz instead"
        )
    if not isinstance(net, ReLUNet):
        raise InvalidInputError(f"to_torch needs a ReLUNet, got {type(net).__name__}")
    fnet = net.to_float()
    layers: list[Any] = []
    for l, ((w, b), has) in enumerate(zip(fnet.layers, fnet.has_bias, strict=True)):
        linear = torch.nn.Linear(w.shape[1], w.shape[0], bias=has, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(np.array(w, dtype=np.float64)))
            if has:
                linear.bias.copy_(torch.from_numpy(np.array(b, dtype=np.float64)))
        layers.append(linear)
        if l < fnet.n_layers - 1:
            slope = float(fnet.negative_slope)
            layers.append(torch.nn.ReLU() if slope == 0 else torch.nn.LeakyReLU(slope))
    if fnet.output_transform == "sigmoid":
        layers.append(torch.nn.Sigmoid())
    elif fnet.output_transform == "softmax":
        layers.append(torch.nn.Softmax(dim=-1))
    return torch.nn.Sequential(*layers)


# -- files -----------------------------------------------------------------------------------------
def from_state_dict(
    state_dict: Mapping[str, Any],
    *,
    exact: bool = False,
    activation: str | None = None,
    source: str = "state_dict",
) -> ReLUNet | RationalNet:
    """Read a ``state_dict`` of ``Linear`` layers as a network.

    Parameters
    ----------
    state_dict : mapping of str to tensor
        Keys ``<name>.weight`` (out × in) and optionally ``<name>.bias``, one ``<name>`` per
        ``Linear`` layer, in the order the layers are applied (the insertion order of the
        mapping, as ``module.state_dict()`` produces it).
    exact : bool
        Return exact rational weights.
    activation : str, optional
        The activation between layers, as in the JSON format (``"relu"``,
        ``"leaky_relu:<slope>"``, ``"rational"``). By default the one recorded by
        :func:`write_torch`; a ``state_dict`` from elsewhere records none, and then ReLU is
        assumed with a :class:`~neurogeom.nets.io.NetworkReadWarning`.
    source : str
        Where the mapping came from, for error messages.

    Raises
    ------
    UnsupportedLayerError
        For an entry that is not a Linear weight or bias (e.g. a BatchNorm's ``running_mean``
        or a 4-D convolution kernel); the message names the key.
    InvalidNetworkError
        For a value that is not a tensor, a bias without weight, or shapes that do not chain.
    InvalidInputError
        If ``activation`` differs from the one the ``state_dict`` records.

    Examples
    --------
    >>> import torch
    >>> sd = {"fc1.weight": torch.tensor([[1.0], [-1.0]]), "fc2.weight": torch.ones(1, 2)}
    >>> net = from_state_dict(sd, activation="relu")
    >>> net, net([-5.0]).tolist(), net.n_parameters
    (ReLUNet(1-2-1), [5.0], 4)
    """
    torch = _torch()
    if not isinstance(state_dict, Mapping):
        raise InvalidNetworkError(
            f"{source}: expected a state_dict (a mapping of names to tensors), "
            f"got {type(state_dict).__name__}"
        )
    meta = getattr(state_dict, "_metadata", None)
    root = meta.get("", {}) if isinstance(meta, Mapping) else {}
    root = root if isinstance(root, Mapping) else {}
    recorded = root.get(METADATA_KEY)
    transform = root.get(TRANSFORM_KEY)
    kind, slope = _resolve_activation(recorded, activation, source)
    groups: dict[str, dict[str, np.ndarray]] = {}
    for key, value in state_dict.items():
        if not isinstance(key, str):
            raise InvalidNetworkError(f"{source}: keys must be strings, got {key!r}")
        name, _, attr = key.rpartition(".")
        if attr not in ("weight", "bias"):
            raise UnsupportedLayerError(
                f"{source}: entry {key!r} is not the weight or bias of a Linear layer; only "
                "Linear layers can be read from a state_dict (keys '<name>.weight' and "
                "'<name>.bias')"
            )
        arr = _to_numpy(torch, value, f"{source}: entry {key!r}")
        if attr == "weight" and arr.ndim != 2:
            raise UnsupportedLayerError(
                f"{source}: entry {key!r} has shape {tuple(arr.shape)}, not that of a Linear "
                "weight (out × in); convolution and normalisation layers are not supported"
            )
        if attr == "bias" and arr.ndim != 1:
            raise InvalidNetworkError(
                f"{source}: entry {key!r} must be a vector, got shape {tuple(arr.shape)}"
            )
        groups.setdefault(name, {})[attr] = arr
    if not groups:
        raise InvalidNetworkError(f"{source}: the state_dict is empty; it holds no Linear layer")
    for name, group in groups.items():
        if "weight" not in group:
            raise InvalidNetworkError(
                f"{source}: {name + '.bias'!r} has no matching {name + '.weight'!r}"
            )
    names = list(groups)
    weights = [groups[n]["weight"] for n in names]
    biases = [groups[n].get("bias") for n in names]
    if recorded is None and activation is None and len(names) > 1:
        _warn(
            f"{source}: a state_dict does not record its activation; assumed ReLU between the "
            "layers (pass activation='leaky_relu:<slope>', or --activation on the command line, "
            "if the model used another; activation='relu' silences this warning)"
        )
    if transform not in (None, "sigmoid", "softmax"):
        raise InvalidNetworkError(
            f"{source}: metadata {TRANSFORM_KEY!r} must be 'sigmoid' or 'softmax', got "
            f"{transform!r}"
        )
    try:
        if kind == "rational":
            return RationalNet(weights, biases, exact=exact, output_transform=transform)
        return ReLUNet(
            weights, biases, negative_slope=slope, exact=exact, output_transform=transform
        )
    except InvalidNetworkError as exc:
        order = ", ".join(repr(n) for n in names)
        raise InvalidNetworkError(f"{source}: {exc} (layers in key order: {order})") from None


def _is_state_dict(torch: ModuleType, obj: Any) -> bool:
    return (
        isinstance(obj, Mapping)
        and len(obj) > 0
        and all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in obj.items())
    )


def _unwrap_checkpoint(torch: ModuleType, obj: Any, p: Any) -> Any:
    """The state_dict inside a checkpoint dictionary, when exactly one entry is one."""
    if not isinstance(obj, Mapping) or all(isinstance(v, torch.Tensor) for v in obj.values()):
        return obj
    keys = ", ".join(repr(k) for k in list(obj)[:12]) + (", ..." if len(obj) > 12 else "")
    found = [k for k, v in obj.items() if _is_state_dict(torch, v)]
    if len(found) == 1:
        return obj[found[0]]
    if found:
        raise InvalidNetworkError(
            f"{p}: a checkpoint dictionary holding {len(found)} state_dicts "
            f"({', '.join(map(repr, found))}); neurogeom cannot tell which is the model: save "
            "that one alone with torch.save(checkpoint[key], path)"
        )
    if any(isinstance(v, torch.Tensor) for v in obj.values()):
        bad = next(k for k, v in obj.items() if not isinstance(v, torch.Tensor))
        raise InvalidNetworkError(
            f"{p}: expected a state_dict of tensors, but entry {bad!r} is a "
            f"{type(obj[bad]).__name__} (keys: {keys}); save model.state_dict() alone"
        )
    raise InvalidNetworkError(
        f"{p}: a dictionary (keys: {keys}) that is neither a state_dict of tensors nor a "
        "checkpoint holding one; save model.state_dict() alone"
    )


def _pickle_globals(p: Any) -> list[str] | None:
    """The Python names a raw pickle file refers to, read without unpickling anything.

    ``None`` if the file does not start with a well-formed pickle (garbage or truncated).
    """
    names: list[str] = []
    strings: list[str] = []
    try:
        with open(p, "rb") as fh:
            for op, arg, _ in pickletools.genops(fh):
                if op.name == "GLOBAL":
                    names.append(str(arg).replace(" ", "."))
                elif op.name == "STACK_GLOBAL" and len(strings) >= 2:
                    names.append(f"{strings[-2]}.{strings[-1]}")
                elif isinstance(arg, str):
                    strings.append(arg)
    except Exception:  # pickletools reports malformed streams in several ways
        return None
    return names


def _torch_load(torch: ModuleType, p: Any) -> Any:
    """``torch.load(p, weights_only=True)`` with clear errors and torch's warnings silenced."""
    if p.stat().st_size == 0:
        raise InvalidNetworkError(f"{p}: the file is empty (0 bytes); it holds no network")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch warns about pickle protocols and the like
            return torch.load(p, weights_only=True, map_location="cpu")
    except pickle.UnpicklingError as exc:
        found = re.search(r"GLOBAL ([\w.]+)", str(exc))
        names = [found[1]] if found is not None else []
        if found is None and not zipfile.is_zipfile(p):
            scanned = _pickle_globals(p)
            if scanned is None:
                raise InvalidNetworkError(
                    f"{p}: not a readable PyTorch file (truncated or corrupt?): it is neither a "
                    "zip archive written by torch.save nor a well-formed pickle"
                ) from None
            names = scanned
        if names and names[0].startswith("torch.nn."):
            raise InvalidNetworkError(
                f"{p}: holds a whole pickled model ({names[0]}), not a state_dict; neurogeom "
                "never unpickles Python objects from files (that could run code). Save the "
                "weights with torch.save(model.state_dict(), path), or convert the model in "
                "Python with neurogeom.nets.io.torch.from_torch(model)"
            ) from None
        what = f" (it refers to {', '.join(dict.fromkeys(names[:3]))})" if names else ""
        raise InvalidNetworkError(
            f"{p}: not a plain state_dict of tensors (nor a pickled module): it holds other "
            f"pickled Python objects{what}, which neurogeom will not unpickle (that could run "
            "code). Save the weights with torch.save(model.state_dict(), path)"
        ) from None
    except EOFError:
        raise InvalidNetworkError(
            f"{p}: the file ends too early (truncated?); it is not a complete PyTorch file"
        ) from None
    except Exception as exc:  # torch reports corrupt files in many ways
        if not zipfile.is_zipfile(p) and _pickle_globals(p) is not None:
            raise InvalidNetworkError(
                f"{p}: a Python pickle that torch.save did not write (no PyTorch header), not a "
                "state_dict; save the weights with torch.save(model.state_dict(), path)"
            ) from None
        first = str(exc).splitlines()[0] if str(exc) else ""
        raise InvalidNetworkError(
            f"{p}: not a readable PyTorch file (truncated or corrupt?): "
            f"{type(exc).__name__}{': ' + first if first else ''}"
        ) from None


def read_torch(
    path: str | os.PathLike[str], *, exact: bool = False, activation: str | None = None
) -> ReLUNet | RationalNet:
    """Read a network from a ``state_dict`` saved with ``torch.save``.

    The file is loaded with ``torch.load(path, weights_only=True, map_location="cpu")``, which
    never runs code from the file; torch's own warnings are silenced. See
    :func:`from_state_dict` for how the entries are read. A checkpoint dictionary such as
    ``{"model": state_dict, "optimizer": ..., "epoch": 3}`` is unwrapped when exactly one entry is
    a ``state_dict``, and refused (naming its keys) otherwise.

    Parameters
    ----------
    path : path-like
        A ``.pt`` / ``.pth`` file.
    exact : bool
        Return exact rational weights (floats converted exactly).
    activation : str, optional
        The activation between layers when the file does not record it (see
        :func:`from_state_dict`); ReLU is assumed otherwise, with a warning.

    Raises
    ------
    InvalidInputError
        If the file does not exist, or ``activation`` contradicts the file.
    InvalidNetworkError
        If the file is empty, truncated or corrupt, holds a pickled module or other Python
        objects (save ``model.state_dict()`` instead, or use :func:`from_torch`), or its layers
        do not chain.
    UnsupportedLayerError
        For entries of layers other than Linear.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "abs.pt"
    >>> write_torch(ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]], negative_slope="1/8"), target)
    >>> read_torch(target)
    ReLUNet(1-2-1, leaky_relu:0.125)
    """
    torch = _torch()
    p = check_readable(path)
    obj = _unwrap_checkpoint(torch, _torch_load(torch, p), p)
    return from_state_dict(obj, exact=exact, activation=activation, source=str(p))


def write_torch(net: ReLUNet, path: str | os.PathLike[str]) -> None:
    """Save ``net`` as the ``state_dict`` of :func:`to_torch` (float64), atomically.

    The activation is recorded in the ``state_dict`` metadata, so :func:`read_torch` restores
    leaky slopes; ``to_torch(net).load_state_dict(torch.load(path))`` works as usual.

    Raises
    ------
    UnsupportedLayerError
        For a :class:`RationalNet`.

    Examples
    --------
    >>> import tempfile, pathlib, torch
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "net.pt"
    >>> net = ReLUNet([[[1.0, 2.0]], [[3.0]]], [[0.5], None])
    >>> write_torch(net, target)
    >>> list(torch.load(target, weights_only=True))
    ['0.weight', '0.bias', '2.weight']
    """
    torch = _torch()
    state = to_torch(net).state_dict()
    meta = getattr(state, "_metadata", None)
    if meta is not None:
        root = meta.setdefault("", {})
        root[METADATA_KEY] = _activation_text(net, binary=True)
        if net.output_transform is not None:
            root[TRANSFORM_KEY] = net.output_transform
    with atomic_path(path) as tmp:
        torch.save(state, tmp)
