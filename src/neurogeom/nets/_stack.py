"""The validated stack of affine layers shared by every network type.

:class:`AffineStack` holds the weights and biases, checks them once at construction, and offers
what does not depend on the activation: architecture, parameter count, exact/float conversion,
equality and hashing. :class:`~neurogeom.nets.ReLUNet` and :class:`~neurogeom.nets.RationalNet`
add their activation on top.

Float networks may carry the exact values they stand for. A float network read from text (a JSON
file, or string literals given to a constructor with ``exact=False``) is the float64 *view* of an
exact network: its weights are the nearest float64 numbers, and :meth:`AffineStack.to_exact`
returns the literals as written (0.1 is 1/10), not the binary values of the floats. A float
network without such a source converts its floats exactly, as they are held.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, Self

import flint
import numpy as np

from neurogeom.core.errors import Float64RangeError, InvalidInputError, InvalidNetworkError
from neurogeom.core.rationals import as_points, to_fraction

__all__ = ["AffineStack"]

#: Output transformations a network may record: applied after the last affine layer, monotone in
#: each output, so they change no region (classifier endings such as a final Sigmoid).
OUTPUT_TRANSFORMS = ("sigmoid", "softmax")


def _magnitude(q: Fraction) -> str:
    """The decimal order of magnitude of a huge rational, e.g. ``"1e+400"`` (no int -> str)."""
    log = math.log10(abs(q.numerator)) - math.log10(q.denominator)
    exponent = math.floor(log)
    lead = round(10 ** (log - exponent), 2)
    if lead >= 10:
        lead, exponent = lead / 10, exponent + 1
    return f"{'-' if q < 0 else ''}{lead:g}e+{exponent}"


_TO_FLOAT = np.vectorize(float, otypes=[np.float64])


def _rounded(values: np.ndarray, what: str) -> tuple[np.ndarray, bool]:
    """Round an object array of Fractions to float64; also say whether every entry was exact.

    Raises :class:`Float64RangeError` naming the first entry beyond the float64 range.
    """
    try:
        out = _TO_FLOAT(values) if values.size else np.zeros(values.shape)
    except OverflowError:
        for idx, q in np.ndenumerate(values):
            try:
                float(q)
            except OverflowError:
                entry = f"{what}[{', '.join(map(str, idx))}] (about {_magnitude(Fraction(q))})"
                raise Float64RangeError(
                    f"{entry} is beyond the float64 range (largest finite float64 about "
                    "1.8e+308), so the network has no float64 version; it can only be used "
                    "exactly",
                    entry=entry,
                ) from None
        raise  # pragma: no cover - some entry overflowed above
    same = all(
        f.as_integer_ratio() == (q.numerator, q.denominator)
        for f, q in zip(out.ravel().tolist(), values.ravel(), strict=True)
    )
    out.flags.writeable = False
    return out, same


def _has_exact_entries(values: Any) -> bool:
    """Whether nested numbers contain an exact rational or a literal string."""
    if isinstance(values, np.ndarray):
        return values.dtype == object and any(_has_exact_entries(v) for v in values.flat)
    if isinstance(values, Fraction | str | flint.fmpq):
        return True
    if isinstance(values, list | tuple):
        return any(_has_exact_entries(v) for v in values)
    return False


def _convert(values: Any, *, exact: bool, ndim: int, what: str) -> np.ndarray:
    """Convert one weight or bias to float64 or Fraction storage, checking rank and finiteness."""
    if not exact and isinstance(values, np.ndarray) and values.dtype.kind in "iuf":
        out = np.array(values, dtype=np.float64)  # fast path for numeric arrays
    else:
        if isinstance(values, np.ndarray) and values.dtype.kind == "b":
            raise InvalidNetworkError(f"{what} must hold numbers, got a boolean array")
        depth, first = 0, values
        while isinstance(first, list | tuple) and first:
            depth, first = depth + 1, first[0]
        if depth > 32:  # beyond what numpy can shape; the message then gives no shape
            raise InvalidNetworkError(
                f"{what} must have {ndim} dimension(s), got lists nested {depth} levels deep"
            )
        try:
            raw = np.asarray(values, dtype=object)
        except ValueError:
            raw = None
        if raw is None or any(isinstance(v, list | tuple | np.ndarray) for v in raw.flat):
            raise InvalidNetworkError(
                f"{what} is not a rectangular array: its rows have different lengths, so it has "
                f"no {ndim}-D shape"
            )
        if raw.ndim != ndim:
            raise InvalidNetworkError(
                f"{what} must have {ndim} dimension(s), got shape {raw.shape}"
            )
        out = np.empty(raw.shape, dtype=object if exact else np.float64)
        for idx, v in np.ndenumerate(raw):
            name = f"{what}[{', '.join(map(str, idx))}]"
            try:
                if (
                    not exact
                    and isinstance(v, float | int | np.floating | np.integer)
                    and not isinstance(v, bool | np.bool_)
                ):
                    out[idx] = float(v)
                else:
                    q = to_fraction(v, name=name)
                    out[idx] = q if exact else float(q)
            except InvalidInputError as exc:
                raise InvalidNetworkError(str(exc)) from None
            except OverflowError:
                raise InvalidNetworkError(
                    f"{name} is too large for float64; build the network with exact=True"
                ) from None
    if out.ndim != ndim:
        raise InvalidNetworkError(f"{what} must have {ndim} dimension(s), got shape {out.shape}")
    if not exact:
        bad = ~np.isfinite(out)
        if bad.any():
            idx = tuple(int(i) for i in np.argwhere(bad)[0])
            raise InvalidNetworkError(
                f"{what}[{', '.join(map(str, idx))}] must be finite, got {float(out[idx])}"
            )
    out.flags.writeable = False
    return out


class AffineStack:
    """An immutable, validated stack of affine layers ``x -> W x + b``.

    Parameters
    ----------
    weights : sequence of 2-D array-likes
        ``weights[l]`` has shape ``(out_l, in_l)`` (the PyTorch convention).
    biases : sequence of 1-D array-likes or None, optional
        ``biases[l]`` has length ``out_l``. ``None`` (for one layer, or for all of them) means the
        layer has no bias: it computes ``W x``, and :attr:`n_parameters` does not count a bias
        for it.
    exact : bool, optional
        Store exact rationals (``True``) or float64 (``False``). By default exact if any entry is
        a :class:`~fractions.Fraction`, a ``flint.fmpq`` or a string literal. With
        ``exact=False`` and such entries, the network is the float64 view of the exact one:
        :meth:`to_exact` returns the values as written.
    name : str, optional
        A short label (a file path, an example name) used in error messages; :func:`load` sets
        it. Not compared, not shown in the ``repr``.
    output_transform : {"sigmoid", "softmax"}, optional
        A transformation applied after the last layer that changes no region (a classifier's
        final Sigmoid or Softmax). Recorded only: :meth:`evaluate` returns the values before it.

    Notes
    -----
    Equality and hashing compare values: two networks are equal when they have the same type,
    activation, mode (exact or float), output transform, the same layers with a bias in the same
    layers, and the same weights. For float networks that includes the exact values
    :meth:`to_exact` returns, so ``a == b`` implies ``a.to_exact() == b.to_exact()``: the float
    view of the JSON literal ``0.1`` differs from a network built from the float ``0.1``, though
    both hold the same float64 weight. :attr:`name` is never compared.
    """

    __slots__ = (
        "_biases",
        "_exact",
        "_has_bias",
        "_hash",
        "_name",
        "_output_transform",
        "_source",
        "_weights",
    )

    def __init__(
        self,
        weights: Sequence[Any],
        biases: Sequence[Any] | None = None,
        *,
        exact: bool | None = None,
        name: str | None = None,
        output_transform: str | None = None,
    ) -> None:
        if isinstance(weights, np.ndarray) or not isinstance(weights, Sequence):
            raise InvalidNetworkError(
                f"weights must be a list of 2-D arrays, one per layer, got {type(weights).__name__}"
            )
        if len(weights) == 0:
            raise InvalidNetworkError("a network needs at least one layer; got no weights")
        if biases is None:
            biases = [None] * len(weights)
        if len(biases) != len(weights):
            raise InvalidNetworkError(
                f"got {len(weights)} weight matrices but {len(biases)} bias vectors"
            )
        literal = not exact and (
            _has_exact_entries(list(weights))
            or _has_exact_entries([b for b in biases if b is not None])
        )
        if exact is None:
            exact = literal
        # literals are read exactly even for a float network, which becomes their float view
        store_exact = bool(exact) or literal or not self._activation_is_float()
        ws: list[np.ndarray] = []
        bs: list[np.ndarray] = []
        for l, (w, b) in enumerate(zip(weights, biases, strict=True)):
            w_arr = _convert(w, exact=store_exact, ndim=2, what=f"layer {l}: weight")
            if b is None:
                b = [Fraction(0) if store_exact else 0.0] * w_arr.shape[0]
            b_arr = _convert(b, exact=store_exact, ndim=1, what=f"layer {l}: bias")
            if w_arr.shape[0] == 0 or w_arr.shape[1] == 0:
                raise InvalidNetworkError(f"layer {l}: weight has an empty shape {w_arr.shape}")
            if b_arr.shape[0] != w_arr.shape[0]:
                raise InvalidNetworkError(
                    f"layer {l}: weight has {w_arr.shape[0]} rows but bias has length "
                    f"{b_arr.shape[0]}"
                )
            if l > 0 and w_arr.shape[1] != self._passed_width(l - 1, ws[-1].shape[0]):
                raise InvalidNetworkError(
                    f"layer {l}: weight has {w_arr.shape[1]} columns but layer {l - 1} "
                    f"has {self._passed_width(l - 1, ws[-1].shape[0])} outputs"
                )
            ws.append(w_arr)
            bs.append(b_arr)
        if output_transform is not None and output_transform not in OUTPUT_TRANSFORMS:
            raise InvalidNetworkError(
                f"output_transform must be one of {', '.join(OUTPUT_TRANSFORMS)} or None, got "
                f"{output_transform!r}"
            )
        if name is not None and not isinstance(name, str):
            raise InvalidNetworkError(f"name must be a string, got {type(name).__name__}")
        self._weights = tuple(ws)
        self._biases = tuple(bs)
        self._exact = store_exact
        self._has_bias = tuple(b is not None for b in biases)
        self._hash: int | None = None
        self._name = name
        self._output_transform = output_transform
        self._source = None
        self._set_activation(store_exact)
        if store_exact and not exact:
            view = self._copy().to_float()
            # the same floats, converted from the entries as given (keeps the sign of a zero)
            view._weights = tuple(
                _convert(w, exact=False, ndim=2, what=f"layer {l}: weight")
                for l, w in enumerate(weights)
            )
            view._biases = tuple(
                b
                if given is None
                else _convert(given, exact=False, ndim=1, what=f"layer {l}: bias")
                for l, (b, given) in enumerate(zip(view._biases, biases, strict=True))
            )
            self._become(view)

    def _copy(self) -> Self:
        """A shallow copy (arrays are read-only and shared)."""
        obj = type(self).__new__(type(self))
        obj._become(self)
        return obj

    def _become(self, other: AffineStack) -> None:
        """Take over every slot of ``other`` (used to finish construction in place)."""
        for cls in type(self).__mro__:
            for slot in getattr(cls, "__slots__", ()):
                object.__setattr__(self, slot, getattr(other, slot))

    # -- activation hooks (subclasses with parameters override) ---------------------------------
    def _activation_state(self) -> dict[str, Any]:
        """Slots other than the layers that define the activation (subclasses extend)."""
        return {}

    def _activation_is_float(self) -> bool:
        """Whether the activation's parameters are float64 numbers exactly (set before init)."""
        return True

    def _set_activation(self, exact: bool) -> None:
        """Store the activation's parameters exactly or as float64 (called by ``__init__``)."""

    def _passed_width(self, layer: int, rows: int) -> int:
        """How many values hidden layer ``layer`` (with ``rows`` rows) passes to the next one.

        Subclasses whose activation merges neurons (maxout) override this; it may raise
        :class:`InvalidNetworkError` for a width the activation cannot take.
        """
        return rows

    def _activation_in(self, exact: bool) -> tuple[dict[str, Any], bool]:
        """The activation state in the other mode, and whether the conversion was exact."""
        return {}, True

    # -- construction helpers -------------------------------------------------------------------
    @classmethod
    def _from_validated(
        cls, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], exact: bool, **extra: Any
    ) -> Self:
        """Build from arrays already in the right storage (no validation; internal use).

        ``extra`` sets slots: the activation's, and optionally ``_has_bias`` (default: a bias in
        every layer), ``_name``, ``_output_transform`` and ``_source``.
        """
        obj = cls.__new__(cls)
        ws = []
        bs = []
        for w, b in zip(weights, biases, strict=True):
            w = np.array(w, dtype=object if exact else np.float64)
            b = np.array(b, dtype=object if exact else np.float64)
            w.flags.writeable = False
            b.flags.writeable = False
            ws.append(w)
            bs.append(b)
        obj._weights = tuple(ws)
        obj._biases = tuple(bs)
        obj._exact = exact
        obj._hash = None
        obj._has_bias = (True,) * len(ws)
        obj._name = None
        obj._output_transform = None
        obj._source = None
        for key, value in extra.items():
            object.__setattr__(obj, key, value)
        return obj

    def _rebuild(
        self,
        weights: Sequence[np.ndarray],
        biases: Sequence[np.ndarray],
        exact: bool | None = None,
        *,
        has_bias: Sequence[bool] | None = None,
    ) -> Self:
        """A new network of the same type and activation with other layers.

        The result has no name, no output transform and no exact source: it is a new function.
        ``has_bias`` defaults to this network's when the number of layers is unchanged.
        """
        if has_bias is None:
            has_bias = self._has_bias if len(weights) == self.n_layers else (True,) * len(weights)
        return type(self)._from_validated(
            weights,
            biases,
            self._exact if exact is None else exact,
            _has_bias=tuple(has_bias),
            **self._activation_state(),
        )

    def _meta(self) -> dict[str, Any]:
        """Slots a conversion between exact and float keeps."""
        return {
            "_has_bias": self._has_bias,
            "_name": self._name,
            "_output_transform": self._output_transform,
        }

    def with_name(self, name: str | None) -> Self:
        """The same network with another :attr:`name` (equal to this one).

        Examples
        --------
        >>> from neurogeom import ReLUNet
        >>> net = ReLUNet([[[1.0, 2.0]]]).with_name("tiny.json")
        >>> net.name, net == ReLUNet([[[1.0, 2.0]]])
        ('tiny.json', True)
        """
        if name is not None and not isinstance(name, str):
            raise InvalidInputError(f"name must be a string or None, got {type(name).__name__}")
        out = self._copy()
        out._name = name
        return out

    # -- read-only properties -------------------------------------------------------------------
    @property
    def weights(self) -> tuple[np.ndarray, ...]:
        """Weight matrices, ``(out, in)`` each, read-only."""
        return self._weights

    @property
    def biases(self) -> tuple[np.ndarray, ...]:
        """Bias vectors, read-only."""
        return self._biases

    @property
    def layers(self) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
        """``(weight, bias)`` pairs."""
        return tuple(zip(self._weights, self._biases, strict=True))

    @property
    def exact(self) -> bool:
        """Whether weights are exact rationals."""
        return self._exact

    @property
    def architecture(self) -> tuple[int, ...]:
        """Widths ``(n_inputs, hidden_1, ..., n_outputs)``."""
        return (self._weights[0].shape[1], *(w.shape[0] for w in self._weights))

    @property
    def n_inputs(self) -> int:
        """Input dimension."""
        return self._weights[0].shape[1]

    @property
    def n_outputs(self) -> int:
        """Output dimension."""
        return self._weights[-1].shape[0]

    @property
    def n_layers(self) -> int:
        """Number of affine layers (hidden layers + 1)."""
        return len(self._weights)

    @property
    def hidden_widths(self) -> tuple[int, ...]:
        """Widths of the hidden layers (those followed by the activation)."""
        return tuple(w.shape[0] for w in self._weights[:-1])

    @property
    def n_hidden(self) -> int:
        """Total number of hidden neurons."""
        return sum(self.hidden_widths)

    @property
    def has_bias(self) -> tuple[bool, ...]:
        """Which layers have a bias; a layer without one computes ``W x`` (its bias reads 0)."""
        return self._has_bias

    @property
    def n_parameters(self) -> int:
        """Number of weights and biases (biases only of the layers that have one).

        Examples
        --------
        >>> from neurogeom import ReLUNet
        >>> ReLUNet([[[1, 2]], [[3]]], [[0], None]).n_parameters   # 2 + 1 + 1
        4
        """
        return sum(
            w.size + (b.size if has else 0)
            for (w, b), has in zip(self.layers, self._has_bias, strict=True)
        )

    @property
    def name(self) -> str | None:
        """A short label (file path or example name) used in error messages; not compared."""
        return self._name

    @property
    def output_transform(self) -> str | None:
        """``"sigmoid"`` or ``"softmax"`` after the last layer (recorded only), or ``None``."""
        return self._output_transform

    @property
    def hidden_slices(self) -> tuple[slice, ...]:
        """Where each hidden layer's neurons sit in a concatenated activation pattern."""
        out, start = [], 0
        for width in self.hidden_widths:
            out.append(slice(start, start + width))
            start += width
        return tuple(out)

    # -- conversions ----------------------------------------------------------------------------
    def to_exact(self) -> Self:
        """The same network with exact rational weights.

        A float network that is the view of exact values (read from text, see the module
        documentation) returns them; any other float network converts its floats exactly, to
        the binary values they hold.

        Examples
        --------
        >>> from neurogeom import ReLUNet
        >>> ReLUNet([[["0.1"]]], exact=False).to_exact().weights[0][0, 0]
        Fraction(1, 10)
        >>> ReLUNet([[[0.1]]]).to_exact().weights[0][0, 0]
        Fraction(3602879701896397, 36028797018963968)
        """
        if self._exact:
            return self
        source = self._source
        if source is not None:
            return source if source._name == self._name else source.with_name(self._name)
        conv = np.vectorize(Fraction, otypes=[object])
        act, _ = self._activation_in(True)
        return type(self)._from_validated(
            [conv(w) for w in self._weights],
            [conv(b) for b in self._biases],
            True,
            **act,
            **self._meta(),
        )

    def to_float(self) -> Self:
        """The same network with float64 weights (rationals rounded to nearest).

        The result keeps this network as its exact values: ``net.to_float().to_exact()`` is
        ``net``.

        Raises
        ------
        Float64RangeError
            If an entry is beyond the float64 range; the message names the network (its
            :attr:`name`), the layer and the entry.

        Examples
        --------
        >>> from neurogeom import ReLUNet
        >>> net = ReLUNet([[["1/3"]]])
        >>> net.to_float().weights[0].tolist(), net.to_float().to_exact() == net
        ([[0.3333333333333333]], True)
        >>> ReLUNet([[["1e400"]]], name="big.json").to_float()
        Traceback (most recent call last):
        ...
        neurogeom.core.errors.Float64RangeError: big.json: layer 0: weight[0, 0] (about 1e+400) ...
        """
        if not self._exact:
            return self
        try:
            ws, bs, same = [], [], True
            for l, (w, b) in enumerate(self.layers):
                fw, w_same = _rounded(w, f"layer {l}: weight")
                fb, b_same = _rounded(b, f"layer {l}: bias")
                ws.append(fw)
                bs.append(fb)
                same = same and w_same and b_same
            act, act_same = self._activation_in(False)
        except Float64RangeError as exc:
            if self._name is None:
                raise
            raise Float64RangeError(f"{self._name}: {exc}", entry=exc.entry) from None
        source = None if (same and act_same) else self
        return type(self)._from_validated(ws, bs, False, **act, **self._meta(), _source=source)

    # -- value semantics ------------------------------------------------------------------------
    def _key(self) -> tuple[Any, ...]:
        layers = tuple((w.shape, tuple(w.flat), tuple(b.flat)) for w, b in self.layers)
        return (
            type(self).__name__,
            self._exact,
            self._output_transform,
            self._has_bias,
            tuple(sorted(self._activation_state().items())),
            layers,
            None if self._source is None else self._source._key(),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AffineStack):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(self._key())
        return self._hash

    def _describe_activation(self) -> str:
        return ""

    def __repr__(self) -> str:
        arch = "-".join(map(str, self.architecture))
        act = self._describe_activation()
        return (
            f"{type(self).__name__}({arch}{', ' + act if act else ''}"
            f"{', exact' if self._exact else ''})"
        )

    def _check_points(self, x: Any, *, name: str = "x") -> tuple[np.ndarray, bool]:
        """Validate inputs; return a 2-D array (float64 or Fractions) and whether it was 1-D."""
        return as_points(x, self.n_inputs, exact=self._exact, name=name)
