"""The neurogeom JSON network format (``.json``).

::

    {"format": "neurogeom-net", "version": 1, "activation": "relu",
     "layers": [{"weight": [[1, -1], ["1/2", 0]], "bias": [0, "-3/4"]},
                {"weight": [[1, 1]], "bias": [0]}]}

Numbers are JSON numbers or strings holding an integer, a decimal or a fraction ``p/q``; they are
read *as written* (the literal ``0.1`` is exactly 1/10 in exact mode). ``activation`` is ``relu``,
``leaky_relu:<slope>`` or ``rational``. Optional top-level ``name`` and ``description`` strings
are kept for reports. Writing is lossless: exact networks are written as integers and ``"p/q"``
strings, float networks with shortest round-trip decimals.
"""

from __future__ import annotations

import json
import os
from fractions import Fraction
from typing import Any

from neurogeom.core.errors import InvalidInputError, InvalidNetworkError, UnsupportedLayerError
from neurogeom.core.files import atomic_write_text, check_readable
from neurogeom.core.rationals import fraction_to_json
from neurogeom.nets.rational import RationalNet
from neurogeom.nets.relu import ReLUNet

__all__ = ["from_json_dict", "read_json", "to_json_dict", "write_json"]

FORMAT = "neurogeom-net"
VERSION = 1
_LAYER_KEYS = {"weight", "bias", "maxout"}


def _bad_constant(name: str) -> Any:
    raise InvalidNetworkError(f"{name} is not a finite number; JSON networks need finite weights")


def _parse_activation(text: Any) -> tuple[str, Fraction]:
    if not isinstance(text, str):
        raise InvalidNetworkError(f"'activation' must be a string, got {text!r}")
    kind, _, arg = text.partition(":")
    kind = kind.strip().lower()
    if kind == "relu" and not arg:
        return "relu", Fraction(0)
    if kind in ("leaky_relu", "leakyrelu"):
        try:
            slope = Fraction(arg.strip() or "0.01")
        except (ValueError, ZeroDivisionError):
            raise InvalidNetworkError(
                f"'activation': bad leaky_relu slope {arg!r}; write e.g. 'leaky_relu:1/100'"
            ) from None
        return "leaky_relu", slope
    if kind == "rational" and not arg:
        return "rational", Fraction(0)
    raise UnsupportedLayerError(
        f"unknown activation {text!r}; supported: 'relu', 'leaky_relu:<slope>', 'rational'"
    )


def from_json_dict(
    data: Any, *, exact: bool = False, source: str = "network"
) -> ReLUNet | RationalNet:
    """Build a network from the parsed JSON object of the format.

    Parameters
    ----------
    data : dict
        The parsed document; numbers may be ints, Fractions, floats or strings.
    exact : bool
        Build an exact network (rationals as written) instead of float64.
    source : str
        Where the document came from, for error messages.

    Raises
    ------
    InvalidNetworkError
        If a field is missing or malformed.
    UnsupportedLayerError
        For an unknown activation or a layer type neurogeom cannot represent.

    Examples
    --------
    >>> doc = {"format": "neurogeom-net", "version": 1, "activation": "relu",
    ...        "layers": [{"weight": [[1], [-1]], "bias": [0, 0]}, {"weight": [["1/2", "1/2"]]}]}
    >>> net = from_json_dict(doc, exact=True)
    >>> net, net([-4])
    (ReLUNet(1-2-1, exact), array([Fraction(2, 1)], dtype=object))
    """
    if not isinstance(data, dict):
        raise InvalidNetworkError(f"{source}: expected a JSON object, got {type(data).__name__}")
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        raise InvalidNetworkError(f"{source}: 'format' must be {FORMAT!r}, got {fmt!r}")
    version = data.get("version", VERSION)
    if version != VERSION:
        raise InvalidNetworkError(
            f"{source}: unsupported format version {version!r}; this neurogeom reads version "
            f"{VERSION}"
        )
    if "layers" not in data:
        raise InvalidNetworkError(
            f"{source}: missing field 'layers' (a list of weight/bias objects)"
        )
    layers = data["layers"]
    if not isinstance(layers, list) or not layers:
        raise InvalidNetworkError(f"{source}: 'layers' must be a non-empty list")
    try:
        kind, slope = _parse_activation(data.get("activation", "relu"))
    except InvalidNetworkError as exc:
        raise InvalidNetworkError(f"{source}: {exc}") from None
    except UnsupportedLayerError as exc:
        raise UnsupportedLayerError(f"{source}: {exc}") from None
    weights, biases = [], []
    for l, layer in enumerate(layers):
        if not isinstance(layer, dict):
            raise InvalidNetworkError(f"{source}: layer {l} must be an object with 'weight'")
        unknown = set(layer) - _LAYER_KEYS
        if unknown:
            raise InvalidNetworkError(
                f"{source}: layer {l} has unknown field(s) {sorted(unknown)}; "
                "allowed: 'weight', 'bias'"
            )
        if "weight" not in layer:
            raise InvalidNetworkError(f"{source}: layer {l} is missing the field 'weight'")
        if layer.get("maxout", 1) != 1:
            raise UnsupportedLayerError(
                f"{source}: layer {l} is a maxout layer (maxout={layer['maxout']}); maxout is "
                "not supported yet: use ReLU or leaky ReLU layers"
            )
        weights.append(layer["weight"])
        biases.append(layer.get("bias"))
    try:
        if kind == "rational":
            net: ReLUNet | RationalNet = RationalNet(weights, biases, exact=True)
        else:
            net = ReLUNet(weights, biases, negative_slope=slope, exact=True)
        return net if exact else net.to_float()
    except InvalidNetworkError as exc:
        raise InvalidNetworkError(f"{source}: {exc}") from None


def _number(v: Any, exact: bool) -> Any:
    if exact:
        return fraction_to_json(v)
    f = float(v)
    if f.is_integer() and abs(f) < 2**53 and not (f == 0 and str(f).startswith("-")):
        return int(f)
    return f


def to_json_dict(
    net: ReLUNet | RationalNet, *, name: str | None = None, description: str | None = None
) -> dict[str, Any]:
    """The JSON object of the format for ``net`` (lossless).

    Examples
    --------
    >>> net = ReLUNet([[[1], [-1]], [[1, 1]]], [[0, "-1/2"], [0]])
    >>> to_json_dict(net)["layers"][0]
    {'weight': [[1], [-1]], 'bias': [0, '-1/2']}
    """
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION, "activation": net.activation}
    if name:
        doc["name"] = name
    if description:
        doc["description"] = description
    doc["layers"] = [
        {
            "weight": [[_number(v, net.exact) for v in row] for row in w],
            "bias": [_number(v, net.exact) for v in b],
        }
        for w, b in net.layers
    ]
    return doc


def read_json(path: str | os.PathLike[str], *, exact: bool = False) -> ReLUNet | RationalNet:
    """Read a network from a neurogeom JSON file.

    Raises
    ------
    InvalidInputError
        If the file does not exist.
    InvalidNetworkError
        If it is not valid JSON (truncated, malformed) or not a valid network.

    Examples
    --------
    >>> from neurogeom.data import example_path
    >>> read_json(example_path("abs"), exact=True)([-3])
    array([Fraction(3, 1)], dtype=object)
    """
    p = check_readable(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"cannot read {p}: {exc}") from None
    try:
        data = json.loads(text, parse_float=Fraction, parse_constant=_bad_constant)
    except json.JSONDecodeError as exc:
        hint = " (the file looks truncated)" if exc.pos >= len(text.rstrip()) else ""
        raise InvalidNetworkError(
            f"{p}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}{hint}"
        ) from None
    except InvalidNetworkError as exc:
        raise InvalidNetworkError(f"{p}: {exc}") from None
    return from_json_dict(data, exact=exact, source=str(p))


def write_json(
    net: ReLUNet | RationalNet,
    path: str | os.PathLike[str],
    *,
    name: str | None = None,
    description: str | None = None,
) -> None:
    """Write ``net`` to ``path`` in the JSON format, atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "half.json"
    >>> write_json(ReLUNet([[["1/2"]]]), target)
    >>> '"1/2"' in target.read_text()
    True
    """
    doc = to_json_dict(net, name=name, description=description)
    text = json.dumps(doc, indent=None, separators=(", ", ": "))
    # one layer per line keeps diffs readable
    text = text.replace('{"weight"', '\n  {"weight"').replace("]}]", "]}\n]")
    atomic_write_text(path, text + "\n")
