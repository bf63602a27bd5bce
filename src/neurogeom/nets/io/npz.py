"""NumPy archives (``.npz``) holding ``W0, b0, W1, b1, ...``.

``W<l>`` is the weight of layer ``l`` (out × in, the PyTorch convention) and ``b<l>`` its bias
(optional: without it the layer has no bias). An optional 0-d string array ``activation`` holds
``"relu"`` (the default), ``"leaky_relu:<slope>"`` or ``"rational"``, as in the JSON format, and
an optional ``output_transform`` holds ``"sigmoid"`` or ``"softmax"``. Arrays must be numeric
(integer or real floating); nothing else may be in the archive, and it is opened with
``allow_pickle=False`` so no Python object is ever unpickled.

``.npz`` is a float format: :func:`write_npz` writes float64 arrays, so exact networks are
rounded to float64 (the activation string keeps an exact slope such as ``"leaky_relu:1/3"``).
Reading with ``exact=True`` converts each float to the binary value it holds. Use JSON for exact
weights such as 1/3.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from neurogeom.core.errors import InvalidNetworkError
from neurogeom.core.files import atomic_path, check_readable
from neurogeom.nets._stack import OUTPUT_TRANSFORMS
from neurogeom.nets.io.json import _activation_text as _written_activation
from neurogeom.nets.io.json import _resolve_activation
from neurogeom.nets.rational import RationalNet
from neurogeom.nets.relu import ReLUNet

__all__ = ["from_arrays", "read_npz", "to_arrays", "write_npz"]

_KEY = re.compile(r"^([Wb])(0|[1-9][0-9]*)$")


def _check_array(arr: np.ndarray, key: str, ndim: int, source: str) -> None:
    if arr.dtype.kind not in "iuf":
        raise InvalidNetworkError(
            f"{source}: {key!r} must hold real numbers, got dtype {arr.dtype}"
        )
    if arr.ndim != ndim:
        kind = "a matrix (out × in)" if ndim == 2 else "a vector"
        raise InvalidNetworkError(f"{source}: {key!r} must be {kind}, got shape {arr.shape}")
    if 0 in arr.shape:
        raise InvalidNetworkError(f"{source}: {key!r} is empty (shape {arr.shape})")
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        idx = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise InvalidNetworkError(
            f"{source}: {key!r}[{', '.join(map(str, idx))}] is {arr[idx]!r}; weights must be finite"
        )


def _text(value: Any, key: str, source: str) -> str:
    arr = np.asarray(value)
    if arr.ndim != 0 or arr.dtype.kind not in "US":
        raise InvalidNetworkError(
            f"{source}: {key!r} must be a 0-d string array such as np.array('relu'), got "
            f"dtype {arr.dtype} and shape {arr.shape}"
        )
    item = arr.item()
    return item.decode("ascii", "replace") if isinstance(item, bytes) else str(item)


def from_arrays(
    arrays: Mapping[str, Any],
    *,
    exact: bool = False,
    source: str = "arrays",
    activation: str | None = None,
) -> ReLUNet | RationalNet:
    """Build a network from a mapping ``{"W0": ..., "b0": ..., ..., "activation": ...}``.

    Parameters
    ----------
    arrays : dict
        Weights ``W<l>`` (out × in), optional biases ``b<l>``, optional ``activation`` and
        ``output_transform`` strings.
    exact : bool
        Return exact rational weights (floats converted exactly).
    source : str
        Where the arrays came from, for error messages.
    activation : str, optional
        The activation when the arrays hold no ``activation`` (default ReLU); where they do,
        the two must agree.

    Raises
    ------
    InvalidNetworkError
        If ``W0`` is missing, the layers have a gap, a key is unknown, an array has the wrong
        shape, is not numeric, or holds NaN or inf; the message names the key.
    UnsupportedLayerError
        For an unknown activation.

    Examples
    --------
    >>> import numpy as np
    >>> net = from_arrays({"W0": np.array([[1.0], [-1.0]]), "W1": np.array([[1.0, 1.0]]),
    ...                    "activation": np.array("leaky_relu:1/4")}, exact=True)
    >>> net, net([-4])
    (ReLUNet(1-2-1, leaky_relu:1/4, exact), array([Fraction(3, 1)], dtype=object))
    """
    weights: dict[int, np.ndarray] = {}
    biases: dict[int, np.ndarray] = {}
    written = None
    transform = None
    for key, value in arrays.items():
        if key == "activation":
            written = _text(value, key, source)
            continue
        if key == "output_transform":
            transform = _text(value, key, source)
            if transform not in OUTPUT_TRANSFORMS:
                raise InvalidNetworkError(
                    f"{source}: 'output_transform' must be one of "
                    f"{', '.join(OUTPUT_TRANSFORMS)}, got {transform!r}"
                )
            continue
        match = _KEY.match(key)
        if match is None:
            raise InvalidNetworkError(
                f"{source}: unexpected array {key!r}; expected W0, b0, W1, b1, ... and "
                "optionally 'activation' and 'output_transform'"
            )
        arr = np.asarray(value)
        (weights if match[1] == "W" else biases)[int(match[2])] = arr
    if 0 not in weights:
        raise InvalidNetworkError(
            f"{source}: missing 'W0'; a network needs the weights W0, W1, ... (out × in)"
        )
    n = max(weights) + 1
    for l in range(n):
        if l not in weights:
            found = ", ".join(f"W{k}" for k in sorted(weights))
            raise InvalidNetworkError(f"{source}: missing 'W{l}' (found {found})")
    for l in biases:
        if l not in weights:
            raise InvalidNetworkError(f"{source}: 'b{l}' has no matching 'W{l}'")
    for l in range(n):
        w = weights[l]
        _check_array(w, f"W{l}", 2, source)
        if l > 0 and w.shape[1] != weights[l - 1].shape[0]:
            raise InvalidNetworkError(
                f"{source}: 'W{l}' has {w.shape[1]} columns but 'W{l - 1}' has "
                f"{weights[l - 1].shape[0]} rows (outputs); weights are out × in"
            )
        if l in biases:
            _check_array(biases[l], f"b{l}", 1, source)
            if biases[l].shape[0] != w.shape[0]:
                raise InvalidNetworkError(
                    f"{source}: 'b{l}' has length {biases[l].shape[0]} but 'W{l}' has "
                    f"{w.shape[0]} rows"
                )
    kind, slope = _resolve_activation(written, activation, source)
    ws = [weights[l] for l in range(n)]
    bs = [biases.get(l) for l in range(n)]
    try:
        if kind == "rational":
            return RationalNet(ws, bs, exact=exact, output_transform=transform)
        return ReLUNet(ws, bs, negative_slope=slope, exact=exact, output_transform=transform)
    except InvalidNetworkError as exc:
        raise InvalidNetworkError(f"{source}: {exc}") from None


def to_arrays(net: ReLUNet | RationalNet) -> dict[str, np.ndarray]:
    """The arrays :func:`write_npz` stores: float64 ``W<l>``, ``b<l>`` and ``activation``.

    A layer without bias has no ``b<l>``; an output transform is stored as ``output_transform``.

    Examples
    --------
    >>> arrays = to_arrays(ReLUNet([[[1, 2]], [[3]]], [[0], None], negative_slope="1/3"))
    >>> sorted(arrays), arrays["W0"].dtype, str(arrays["activation"])
    (['W0', 'W1', 'activation', 'b0'], dtype('float64'), 'leaky_relu:1/3')
    """
    fnet = net.to_float()
    out: dict[str, np.ndarray] = {}
    for l, ((w, b), has) in enumerate(zip(fnet.layers, fnet.has_bias, strict=True)):
        out[f"W{l}"] = np.array(w, dtype=np.float64)
        if has:
            out[f"b{l}"] = np.array(b, dtype=np.float64)
    out["activation"] = np.array(_written_activation(net, binary=True))
    if net.output_transform is not None:
        out["output_transform"] = np.array(net.output_transform)
    return out


def read_npz(
    path: str | os.PathLike[str], *, exact: bool = False, activation: str | None = None
) -> ReLUNet | RationalNet:
    """Read a network from a ``.npz`` archive of ``W0, b0, W1, b1, ...``.

    ``activation`` is for an archive without an ``activation`` array (see :func:`from_arrays`).

    Raises
    ------
    InvalidInputError
        If the file does not exist.
    InvalidNetworkError
        If the archive is corrupt, holds pickled objects, or its arrays are malformed (see
        :func:`from_arrays`).
    UnsupportedLayerError
        For an unknown activation.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "net.npz"
    >>> np.savez(target, W0=np.array([[1.0], [-1.0]]), W1=np.array([[1.0, 1.0]]))
    >>> read_npz(target)([-3.0]).tolist()
    [3.0]
    """
    p = check_readable(path)
    try:
        loaded = np.load(p, allow_pickle=False)
    except Exception as exc:  # numpy reports unreadable files in many ways
        raise InvalidNetworkError(
            f"{p}: not a readable .npz archive (truncated, corrupt or pickled?): "
            f"{type(exc).__name__}: {exc}"
        ) from None
    if not isinstance(loaded, np.lib.npyio.NpzFile):
        raise InvalidNetworkError(
            f"{p}: holds a single array, not an .npz archive of W0, b0, W1, b1, ..."
        )
    with loaded:
        arrays = {}
        for key in loaded.files:
            try:
                arrays[key] = loaded[key]
            except Exception as exc:  # zipfile/numpy errors for a damaged member
                raise InvalidNetworkError(
                    f"{p}: array {key!r} cannot be read (truncated, corrupt or pickled?): "
                    f"{type(exc).__name__}: {exc}"
                ) from None
    return from_arrays(arrays, exact=exact, source=str(p), activation=activation)


def write_npz(net: ReLUNet | RationalNet, path: str | os.PathLike[str]) -> None:
    """Write ``net`` to ``path`` as an uncompressed ``.npz`` archive (float64), atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "net.npz"
    >>> net = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]], negative_slope=0.1)
    >>> write_npz(net, target)
    >>> read_npz(target) == net
    True
    """
    arrays = to_arrays(net)
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, **arrays)
