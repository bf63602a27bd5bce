"""The neurogeom JSON network format (``.json``).

::

    {"format": "neurogeom-net", "version": 1, "activation": "relu",
     "layers": [{"weight": [[1, -1], ["1/2", 0]], "bias": [0, "-3/4"]},
                {"weight": [[1, 1]], "bias": [0]}]}

Numbers are JSON numbers or strings holding an integer, a decimal or a fraction ``p/q``; they are
read *as written*: the literal ``0.1`` is exactly 1/10, in exact mode and in float mode alike (a
float network read from JSON is the float64 view of the exact one, and its ``to_exact()`` returns
the literals). ``activation`` is ``relu``, ``leaky_relu:<slope>``, ``rational`` or ``maxout``; in a
maxout network every hidden layer carries its rank, ``"maxout": k`` (1 when left out): its
pre-activations are grouped in consecutive blocks of ``k`` and each block passes on its max
(a file without ``activation`` whose layers carry ``maxout`` is a maxout network). A layer without
``"bias"`` has no bias (it computes ``W x``). Optional top-level fields: ``name`` and
``description`` strings, kept for reports, and ``output_transform`` (``"sigmoid"`` or
``"softmax"``), a classifier ending that changes no region. Writing is lossless: exact networks
are written as integers and ``"p/q"`` strings, float networks with shortest round-trip decimals
(and a float view of exact values with those values).
"""

from __future__ import annotations

import json
import os
import sys
from fractions import Fraction
from typing import Any

from neurogeom.core.errors import (
    Float64RangeError,
    InvalidInputError,
    InvalidNetworkError,
    UnsupportedLayerError,
)
from neurogeom.core.files import atomic_write_text, check_readable
from neurogeom.core.rationals import fraction_to_json, to_fraction
from neurogeom.nets._stack import OUTPUT_TRANSFORMS
from neurogeom.nets.maxout import MaxoutNet
from neurogeom.nets.rational import RationalNet
from neurogeom.nets.relu import ReLUNet

__all__ = ["from_json_dict", "read_json", "to_json_dict", "write_json"]

FORMAT = "neurogeom-net"
VERSION = 1
_LAYER_KEYS = {"weight", "bias", "maxout"}


def _bad_constant(name: str) -> Any:
    raise InvalidNetworkError(f"{name} is not a finite number; JSON networks need finite weights")


def _parse_float(text: str) -> Fraction:
    """A JSON number with a fraction or exponent, exactly, refusing absurd exponents."""
    try:
        return to_fraction(text, name="a weight")
    except InvalidInputError as exc:
        raise InvalidNetworkError(str(exc)) from None


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
    data: Any, *, exact: bool = False, source: str = "network", activation: str | None = None
) -> ReLUNet | RationalNet | MaxoutNet:
    """Build a network from the parsed JSON object of the format.

    Parameters
    ----------
    data : dict
        The parsed document; numbers may be ints, Fractions, floats or strings.
    exact : bool
        Return the exact network (rationals as written) instead of its float64 view. Either way
        the numbers are read as written: ``to_exact()`` of the float view returns them.
    source : str
        Where the document came from, for error messages.
    activation : str, optional
        The activation for a document without ``"activation"`` (default ``"relu"``); where the
        document has one, they must agree.

    Raises
    ------
    InvalidNetworkError
        If a field is missing or malformed, or (float mode) an entry is beyond the float64 range.
    InvalidInputError
        If ``activation`` differs from the document's.
    UnsupportedLayerError
        For an unknown activation or a layer type neurogeom cannot represent.

    Examples
    --------
    >>> doc = {"format": "neurogeom-net", "version": 1, "activation": "relu",
    ...        "layers": [{"weight": [[1], [-1]], "bias": [0, 0]}, {"weight": [["1/2", "1/2"]]}]}
    >>> net = from_json_dict(doc, exact=True)
    >>> net, net([-4])
    (ReLUNet(1-2-1, exact), array([Fraction(2, 1)], dtype=object))
    >>> doc = {"activation": "maxout", "layers": [
    ...     {"weight": [[1], [-1]], "bias": [0, 0], "maxout": 2}, {"weight": [[1]]}]}
    >>> net = from_json_dict(doc, exact=True)
    >>> net, net([-4])
    (MaxoutNet(1-1-1, maxout:2, exact), array([Fraction(4, 1)], dtype=object))
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
    kind, slope = _json_activation(data.get("activation"), activation, layers, source)
    transform = data.get("output_transform")
    if transform is not None and transform not in OUTPUT_TRANSFORMS:
        raise InvalidNetworkError(
            f"{source}: 'output_transform' must be one of {', '.join(OUTPUT_TRANSFORMS)}, got "
            f"{transform!r}"
        )
    weights, biases, ranks = [], [], []
    for l, layer in enumerate(layers):
        if not isinstance(layer, dict):
            raise InvalidNetworkError(f"{source}: layer {l} must be an object with 'weight'")
        unknown = set(layer) - _LAYER_KEYS
        if unknown:
            raise InvalidNetworkError(
                f"{source}: layer {l} has unknown field(s) {sorted(unknown)}; "
                "allowed: 'weight', 'bias', 'maxout'"
            )
        if "weight" not in layer:
            raise InvalidNetworkError(f"{source}: layer {l} is missing the field 'weight'")
        rank = layer.get("maxout", 1)
        if isinstance(rank, bool) or not isinstance(rank, int) or rank < 1:
            raise InvalidNetworkError(
                f"{source}: layer {l}: 'maxout' must be a positive integer (the number of "
                f"pre-activations each unit takes the max of), got {rank!r}"
            )
        if rank != 1 and kind != "maxout":
            raise InvalidNetworkError(
                f"{source}: layer {l} carries 'maxout': {rank} but the activation is {kind!r}; "
                'a maxout network has "activation": "maxout"'
            )
        if rank != 1 and l == len(layers) - 1:
            raise InvalidNetworkError(
                f"{source}: layer {l} is the output layer (affine) but carries 'maxout': {rank}; "
                "maxout ranks belong to hidden layers"
            )
        ranks.append(rank)
        weights.append(layer["weight"])
        biases.append(layer.get("bias"))
    try:
        if kind == "maxout":
            net: ReLUNet | RationalNet | MaxoutNet = MaxoutNet(
                weights, biases, ranks=ranks[:-1], exact=True, output_transform=transform
            )
        elif kind == "rational":
            net = RationalNet(weights, biases, exact=True, output_transform=transform)
        else:
            net = ReLUNet(
                weights, biases, negative_slope=slope, exact=True, output_transform=transform
            )
    except InvalidNetworkError as exc:
        raise InvalidNetworkError(f"{source}: {exc}") from None
    if exact:
        return net
    try:
        return net.to_float()
    except Float64RangeError as exc:
        raise Float64RangeError(
            f"{source}: {exc} (load it with exact=True)", entry=exc.entry
        ) from None


def _json_activation(
    written: Any, given: str | None, layers: list[Any], source: str
) -> tuple[str, Fraction]:
    """The activation of a JSON document; ``("maxout", 0)`` for a maxout network."""

    def is_maxout(text: Any) -> bool:
        return isinstance(text, str) and text.strip().lower() == "maxout"

    carried = any(isinstance(layer, dict) and "maxout" in layer for layer in layers)
    if is_maxout(written) or (written is None and (is_maxout(given) or carried)):
        if given is not None and not is_maxout(given):
            raise InvalidInputError(
                f"{source}: the file is a maxout network but {given!r} was given; drop the "
                "activation argument (it is for files that do not record one)"
            )
        return "maxout", Fraction(0)
    if is_maxout(given):
        raise InvalidInputError(
            f"{source}: the file says the activation is {written!r} but 'maxout' was given; "
            "drop the activation argument (it is for files that do not record one)"
        )
    return _resolve_activation(written, given, source)


def _resolve_activation(written: Any, given: str | None, source: str) -> tuple[str, Fraction]:
    """The activation of a file: the one written in it, the one given, or ReLU; they must agree.

    Shared by the readers of formats that may leave the activation out.
    """
    try:
        parsed_given = None if given is None else _parse_activation(given)
    except (InvalidNetworkError, UnsupportedLayerError) as exc:
        raise InvalidInputError(f"activation={given!r}: {exc}") from None
    if written is None:
        return parsed_given or ("relu", Fraction(0))
    try:
        parsed = _parse_activation(written)
    except (InvalidNetworkError, UnsupportedLayerError) as exc:
        raise type(exc)(f"{source}: {exc}") from None
    if parsed_given is not None and parsed_given != parsed:
        raise InvalidInputError(
            f"{source}: the file says the activation is {written!r} but {given!r} was given; "
            "drop the activation argument (it is for files that do not record one)"
        )
    return parsed


def _number(v: Any, exact: bool) -> Any:
    if exact:
        return fraction_to_json(v)
    f = float(v)
    if f.is_integer() and abs(f) < 2**53 and not (f == 0 and str(f).startswith("-")):
        return int(f)
    return f


def _literal(f: float, q: Fraction) -> Any:
    """An entry of a float view: the float's short decimal if that is the exact value, else p/q."""
    if Fraction(repr(float(f))) == q:
        return _number(f, False)
    return fraction_to_json(q)


def _activation_text(net: ReLUNet | RationalNet, *, binary: bool = False) -> str:
    """The activation to write in a file.

    A float view of exact values writes its exact slope (as a short decimal where that is the
    value). A plain float network writes its slope like the weights of the format: JSON as the
    shortest round-trip decimal (``binary=False``), the float formats (``binary=True``), whose
    weights are stored exactly, as the exact value of the float.
    """
    if not isinstance(net, ReLUNet) or net.exact or net.negative_slope == 0:
        return net.activation
    if net._source is not None:
        q = Fraction(net._source.negative_slope)
    elif binary:
        q = Fraction(net.negative_slope)
    else:
        return net.activation
    if Fraction(repr(float(q))) == q:
        return net.activation
    return f"leaky_relu:{q.numerator}/{q.denominator}"


def _layer_values(net: ReLUNet | RationalNet) -> list[tuple[list[list[Any]], list[Any]]]:
    """Each layer's weight and bias as JSON values.

    Exact networks as integers and ``"p/q"``; float networks as shortest round-trip decimals,
    except that the float view of exact values writes those values.
    """
    if net.exact or net._source is None:
        return [
            (
                [[_number(v, net.exact) for v in row] for row in w],
                [_number(v, net.exact) for v in b],
            )
            for w, b in net.layers
        ]
    exact = net.to_exact()
    out = []
    for (w, b), (qw, qb) in zip(net.layers, exact.layers, strict=True):
        out.append(
            (
                [
                    [_literal(f, q) for f, q in zip(r, qr, strict=True)]
                    for r, qr in zip(w, qw, strict=True)
                ],
                [_literal(f, q) for f, q in zip(b, qb, strict=True)],
            )
        )
    return out


def to_json_dict(
    net: ReLUNet | RationalNet | MaxoutNet,
    *,
    name: str | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    """The JSON object of the format for ``net`` (lossless).

    A layer without a bias is written without ``"bias"``. A float network that is the view of
    exact values (read from text) is written with those values, so reading it back gives the same
    network.

    Examples
    --------
    >>> net = ReLUNet([[[1], [-1]], [[1, 1]]], [[0, "-1/2"], None])
    >>> to_json_dict(net)["layers"]
    [{'weight': [[1], [-1]], 'bias': [0, '-1/2']}, {'weight': [[1, 1]]}]
    """
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "activation": _activation_text(net),
    }
    if name:
        doc["name"] = name
    if description:
        doc["description"] = description
    if net.output_transform is not None:
        doc["output_transform"] = net.output_transform
    doc["layers"] = [
        {"weight": w, "bias": b} if has else {"weight": w}
        for (w, b), has in zip(_layer_values(net), net.has_bias, strict=True)
    ]
    if net.activation == "maxout":
        for layer, k in zip(doc["layers"], net.ranks, strict=False):  # type: ignore[union-attr]
            layer["maxout"] = k
    return doc


def read_json(
    path: str | os.PathLike[str], *, exact: bool = False, activation: str | None = None
) -> ReLUNet | RationalNet | MaxoutNet:
    """Read a network from a neurogeom JSON file.

    Parameters
    ----------
    path : path-like
    exact : bool
        Return the exact network instead of its float64 view (see :func:`from_json_dict`).
    activation : str, optional
        For a file without ``"activation"``; must agree with the file's otherwise.

    Raises
    ------
    InvalidInputError
        If the file does not exist, or ``activation`` differs from the file's.
    InvalidNetworkError
        If it is not valid JSON (truncated, malformed, nested too deeply) or not a valid network.

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
        data = json.loads(text, parse_float=_parse_float, parse_constant=_bad_constant)
    except json.JSONDecodeError as exc:
        hint = " (the file looks truncated)" if exc.pos >= len(text.rstrip()) else ""
        raise InvalidNetworkError(
            f"{p}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}{hint}"
        ) from None
    except InvalidNetworkError as exc:
        raise InvalidNetworkError(f"{p}: {exc}") from None
    except ValueError:  # Python refuses integer literals of more than 4300 digits
        raise InvalidNetworkError(
            f"{p}: an integer has more digits than Python reads ({sys.get_int_max_str_digits()}); "
            "network weights must be written with fewer digits (e.g. as 1e400)"
        ) from None
    except RecursionError:
        raise InvalidNetworkError(
            f"{p}: the JSON is nested too deeply to be a network file (a network nests arrays "
            "4 levels deep)"
        ) from None
    return from_json_dict(data, exact=exact, source=str(p), activation=activation)


def write_json(
    net: ReLUNet | RationalNet | MaxoutNet,
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
