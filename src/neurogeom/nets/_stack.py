"""The validated stack of affine layers shared by every network type.

:class:`AffineStack` holds the weights and biases, checks them once at construction, and offers
what does not depend on the activation: architecture, parameter count, exact/float conversion,
equality and hashing. :class:`~neurogeom.nets.ReLUNet` and :class:`~neurogeom.nets.RationalNet`
add their activation on top.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any, Self

import flint
import numpy as np

from neurogeom.core.errors import InvalidInputError, InvalidNetworkError
from neurogeom.core.rationals import to_fraction

__all__ = ["AffineStack"]


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
                    f"{name} is too large for float64; load the network with exact=True"
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
    biases : sequence of 1-D array-likes, optional
        ``biases[l]`` has length ``out_l``; ``None`` means zero biases.
    exact : bool, optional
        Store exact rationals (``True``) or float64 (``False``). By default exact if any entry is
        a :class:`~fractions.Fraction`, a ``flint.fmpq`` or a string literal.
    """

    __slots__ = ("_biases", "_exact", "_hash", "_weights")

    def __init__(
        self,
        weights: Sequence[Any],
        biases: Sequence[Any] | None = None,
        *,
        exact: bool | None = None,
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
        if exact is None:
            exact = _has_exact_entries(list(weights)) or _has_exact_entries(
                [b for b in biases if b is not None]
            )
        ws: list[np.ndarray] = []
        bs: list[np.ndarray] = []
        for l, (w, b) in enumerate(zip(weights, biases, strict=True)):
            w_arr = _convert(w, exact=exact, ndim=2, what=f"layer {l}: weight")
            if b is None:
                b = [Fraction(0) if exact else 0.0] * w_arr.shape[0]
            b_arr = _convert(b, exact=exact, ndim=1, what=f"layer {l}: bias")
            if w_arr.shape[0] == 0 or w_arr.shape[1] == 0:
                raise InvalidNetworkError(f"layer {l}: weight has an empty shape {w_arr.shape}")
            if b_arr.shape[0] != w_arr.shape[0]:
                raise InvalidNetworkError(
                    f"layer {l}: weight has {w_arr.shape[0]} rows but bias has length "
                    f"{b_arr.shape[0]}"
                )
            if l > 0 and w_arr.shape[1] != ws[-1].shape[0]:
                raise InvalidNetworkError(
                    f"layer {l}: weight has {w_arr.shape[1]} columns but layer {l - 1} "
                    f"has {ws[-1].shape[0]} outputs"
                )
            ws.append(w_arr)
            bs.append(b_arr)
        self._weights = tuple(ws)
        self._biases = tuple(bs)
        self._exact = bool(exact)
        self._hash: int | None = None

    # -- construction helpers -------------------------------------------------------------------
    @classmethod
    def _from_validated(
        cls, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], exact: bool, **extra: Any
    ) -> Self:
        """Build from arrays already in the right storage (no validation; internal use)."""
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
        for key, value in extra.items():
            object.__setattr__(obj, key, value)
        return obj

    def _rebuild(
        self, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], exact: bool | None = None
    ) -> Self:
        """A network of the same type and activation with other layers."""
        return type(self)._from_validated(
            weights, biases, self._exact if exact is None else exact, **self._activation_state()
        )

    def _activation_state(self) -> dict[str, Any]:
        """Slots other than the layers, copied by :meth:`_rebuild` (subclasses extend)."""
        return {}

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
    def n_parameters(self) -> int:
        """Number of weights and biases."""
        return sum(w.size + b.size for w, b in self.layers)

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
        """The same network with exact rational weights (floats converted exactly)."""
        if self._exact:
            return self
        conv = np.vectorize(Fraction, otypes=[object])
        return self._rebuild(
            [conv(w) for w in self._weights], [conv(b) for b in self._biases], exact=True
        )

    def to_float(self) -> Self:
        """The same network with float64 weights (rationals rounded to nearest)."""
        if not self._exact:
            return self
        conv = np.vectorize(float, otypes=[np.float64])
        try:
            ws = [conv(w) for w in self._weights]
            bs = [conv(b) for b in self._biases]
        except OverflowError:
            raise InvalidNetworkError(
                "a weight or bias is too large for float64; keep the network exact"
            ) from None
        return self._rebuild(ws, bs, exact=False)

    # -- value semantics ------------------------------------------------------------------------
    def _key(self) -> tuple[Any, ...]:
        layers = tuple((w.shape, tuple(w.flat), tuple(b.flat)) for w, b in self.layers)
        return (
            type(self).__name__,
            self._exact,
            tuple(sorted(self._activation_state().items())),
            layers,
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
        if self._exact:
            arr = np.asarray(x, dtype=object)
        else:
            try:
                arr = np.asarray(x, dtype=np.float64)
            except (TypeError, ValueError) as exc:
                raise InvalidInputError(f"{name} is not a numeric array: {exc}") from None
        single = arr.ndim == 1
        if single:
            arr = arr[None, :]
        if arr.ndim != 2 or arr.shape[1] != self.n_inputs:
            raise InvalidInputError(
                f"{name} must have shape ({self.n_inputs},) or (N, {self.n_inputs}) for this "
                f"network, got {np.shape(x)}"
            )
        if self._exact:
            conv = np.empty(arr.shape, dtype=object)
            for idx, v in np.ndenumerate(arr):
                conv[idx] = to_fraction(v, name=f"{name}[{idx[0]}, {idx[1]}]")
            arr = conv
        elif not np.isfinite(arr).all():
            idx = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
            raise InvalidInputError(f"{name}[{idx[0]}, {idx[1]}] must be finite, got {arr[idx]}")
        return arr, single
