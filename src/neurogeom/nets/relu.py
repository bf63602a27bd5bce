"""ReLU and leaky-ReLU networks: evaluation, activation patterns and local affine maps.

A :class:`ReLUNet` is a stack of affine layers with the activation ``σ(t) = max(t, s·t)``
(slope ``s = 0`` for ReLU) after every layer but the last. Inside one *activation cell* — the set
of inputs sharing an activation pattern — the network is affine; :meth:`ReLUNet.local_affine_map`
returns that map, which every analysis of linear regions builds on.

Convention: a neuron is *active* when its pre-activation is strictly positive. A neuron whose
pre-activation is identically zero on a cell is therefore inactive there and does not split it.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from neurogeom.core.errors import Float64RangeError, InvalidInputError, InvalidNetworkError
from neurogeom.core.rationals import to_fraction, zeros
from neurogeom.nets._stack import AffineStack, _magnitude
from neurogeom.nets.geometry import AffineMap, layer_maps

__all__ = ["ReLUNet"]


def _eye(n: int, exact: bool) -> np.ndarray:
    out = zeros((n, n), exact)
    for i in range(n):
        out[i, i] = Fraction(1) if exact else 1.0
    return out


def _block_diag(a: np.ndarray, b: np.ndarray, exact: bool) -> np.ndarray:
    out = zeros((a.shape[0] + b.shape[0], a.shape[1] + b.shape[1]), exact)
    out[: a.shape[0], : a.shape[1]] = a
    out[a.shape[0] :, a.shape[1] :] = b
    return out


class ReLUNet(AffineStack):
    """A feed-forward network with ReLU or leaky-ReLU activations.

    Parameters
    ----------
    weights : sequence of 2-D array-likes
        One ``(out, in)`` matrix per affine layer (at least one).
    biases : sequence of 1-D array-likes, optional
        One vector per layer; zeros if omitted.
    negative_slope : number, default 0
        Slope of the activation for negative inputs: 0 is ReLU, ``0 < s`` leaky ReLU.
    exact : bool, optional
        Exact rational weights. Inferred from the entries when omitted (see
        :class:`~neurogeom.nets._stack.AffineStack`).

    Raises
    ------
    InvalidNetworkError
        If shapes do not chain, an entry is NaN or infinite, or no layer is given.

    Examples
    --------
    ``max(x, y) = relu(x - y) + relu(y) - relu(-y)``:

    >>> net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])
    >>> net
    ReLUNet(2-3-1)
    >>> net([[3.0, 1.0], [-2.0, 5.0]]).ravel().tolist()
    [3.0, 5.0]
    >>> net.activation_patterns([[3.0, 1.0]]).astype(int).tolist()
    [[1, 1, 0]]
    >>> exact = net.to_exact()
    >>> exact(["1/3", "1/2"])
    array([Fraction(1, 2)], dtype=object)
    """

    __slots__ = ("_slope",)

    def __init__(
        self,
        weights: Sequence[Any],
        biases: Sequence[Any] | None = None,
        *,
        negative_slope: Any = 0,
        exact: bool | None = None,
        name: str | None = None,
        output_transform: str | None = None,
    ) -> None:
        try:
            slope = to_fraction(negative_slope, name="negative_slope")
        except InvalidInputError as exc:
            raise InvalidNetworkError(str(exc)) from None
        if slope == 1:
            raise InvalidNetworkError(
                "negative_slope = 1 makes the activation the identity; use a single affine layer"
            )
        self._slope: Fraction | float = slope  # exact until __init__ settles the mode
        super().__init__(weights, biases, exact=exact, name=name, output_transform=output_transform)

    def _activation_state(self) -> dict[str, Any]:
        return {"_slope": self._slope}

    def _activation_is_float(self) -> bool:
        try:
            return float(self._slope) == self._slope
        except OverflowError:
            return False

    def _set_activation(self, exact: bool) -> None:
        if not exact:
            self._slope = float(self._slope)

    def _activation_in(self, exact: bool) -> tuple[dict[str, Any], bool]:
        if exact:
            return {"_slope": Fraction(self._slope)}, True
        try:
            value = float(self._slope)
        except OverflowError:
            raise Float64RangeError(
                f"negative_slope (about {_magnitude(Fraction(self._slope))}) is beyond the float64 "
                "range, so the network has no float64 version; it can only be used exactly",
                entry=f"negative_slope (about {_magnitude(Fraction(self._slope))})",
            ) from None
        return {"_slope": value}, value == self._slope

    @property
    def negative_slope(self) -> Fraction | float:
        """Slope for negative inputs (0 for ReLU)."""
        return self._slope

    @property
    def activation(self) -> str:
        """``"relu"`` or ``"leaky_relu:<slope>"`` as in the file format."""
        if self._slope == 0:
            return "relu"
        s = Fraction(self._slope) if self._exact else self._slope
        text = (
            f"{s.numerator}/{s.denominator}"
            if isinstance(s, Fraction) and s.denominator != 1
            else str(s)
        )
        return f"leaky_relu:{text}"

    def _describe_activation(self) -> str:
        return "" if self._slope == 0 else self.activation

    # -- evaluation -----------------------------------------------------------------------------
    def _act(self, z: np.ndarray) -> np.ndarray:
        if self._exact:
            s = self._slope
            return np.vectorize(lambda t: t if t > 0 else s * t, otypes=[object])(z)
        return np.where(z > 0, z, self._slope * z)

    def preactivations(self, x: Any) -> list[np.ndarray]:
        """Pre-activations of every layer (hidden layers and the output).

        Parameters
        ----------
        x : array-like, shape (N, n_inputs) or (n_inputs,)

        Returns
        -------
        list of ndarray
            ``len = n_layers``; entry ``l`` has shape ``(N, width_l)``; the last is the output.

        Examples
        --------
        >>> net = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]])  # |x|
        >>> [z.tolist() for z in net.preactivations([[-2.0]])]
        [[[-2.0, 2.0]], [[2.0]]]
        """
        h, _ = self._check_points(x)
        out = []
        for l, (w, b) in enumerate(self.layers):
            z = h @ w.T + b
            out.append(z)
            if l < self.n_layers - 1:
                h = self._act(z)
        return out

    def evaluate(self, x: Any) -> np.ndarray:
        """Evaluate the network on one point or a batch.

        Parameters
        ----------
        x : array-like, shape (N, n_inputs) or (n_inputs,)
            Floats in float mode; numbers or literals (converted exactly) in exact mode.

        Returns
        -------
        ndarray
            Shape ``(N, n_outputs)`` (or ``(n_outputs,)`` for one point); Fractions in exact mode.

        Raises
        ------
        InvalidInputError
            If the shape does not match the input dimension or a value is not finite.

        Examples
        --------
        >>> ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]]).evaluate([[-2.0], [3.0]]).tolist()
        [[2.0], [3.0]]
        """
        _, single = self._check_points(x)
        y = self.preactivations(x)[-1]
        return y[0] if single else y

    __call__ = evaluate

    def activation_patterns(self, x: Any) -> np.ndarray:
        """Activation patterns of a batch: ``True`` where a hidden neuron's pre-activation > 0.

        Returns
        -------
        ndarray of bool, shape (N, n_hidden)
            Hidden layers concatenated in order (see :attr:`hidden_slices`).

        Examples
        --------
        >>> net = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]])
        >>> net.activation_patterns([[-2.0], [0.0], [1.0]]).astype(int).tolist()
        [[0, 1], [0, 0], [1, 0]]
        """
        zs = self.preactivations(x)[:-1]
        if not zs:
            return np.zeros((zs[0].shape[0] if zs else np.atleast_2d(x).shape[0], 0), dtype=bool)
        return np.concatenate([np.asarray(z > 0, dtype=bool) for z in zs], axis=1)

    # -- local affine maps ----------------------------------------------------------------------
    def _check_pattern(self, pattern: Any) -> np.ndarray:
        p = np.asarray(pattern)
        if p.shape != (self.n_hidden,):
            raise InvalidInputError(
                f"pattern must have length {self.n_hidden} (one entry per hidden neuron), "
                f"got shape {p.shape}"
            )
        return p.astype(bool)

    def preactivation_maps(self, pattern: Any) -> tuple[AffineMap, ...]:
        """Affine maps ``x -> A x + c`` of every layer's pre-activation on a pattern's cell.

        Entry ``l`` is the pre-activation of layer ``l`` assuming the hidden layers before it
        follow ``pattern``; the last entry is the output map. The cell of ``pattern`` is the set
        where each hidden map has the sign the pattern prescribes (see
        :mod:`neurogeom.nets.geometry`).

        Examples
        --------
        >>> net = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]])
        >>> [(a.tolist(), c.tolist()) for a, c in net.preactivation_maps([False, True])]
        [([[1.0], [-1.0]], [0.0, 0.0]), ([[-1.0]], [0.0])]
        """
        return layer_maps(self, self._check_pattern(pattern))

    def local_affine_map(self, pattern: Any) -> AffineMap:
        """The affine map ``x -> M x + c`` the network computes on a pattern's cell.

        Returns
        -------
        AffineMap
            ``matrix`` of shape (n_outputs, n_inputs) and ``offset`` of shape (n_outputs,);
            unpacks as ``M, c = net.local_affine_map(pattern)``.

        Examples
        --------
        >>> net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]], exact=True)
        >>> m, c = net.local_affine_map([True, True, False])
        >>> m.tolist(), c.tolist()
        ([[Fraction(1, 1), Fraction(0, 1)]], [Fraction(0, 1)])
        """
        return self.preactivation_maps(pattern)[-1]

    def affine_map_at(self, x: Any) -> AffineMap:
        """The local affine map on the activation cell of the point ``x``.

        Examples
        --------
        >>> net = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]])
        >>> [v.tolist() for v in net.affine_map_at([-3.0])]
        [[[-1.0]], [0.0]]
        """
        pts, single = self._check_points(x)
        if not single:
            raise InvalidInputError(f"affine_map_at takes one point, got shape {np.shape(x)}")
        return self.local_affine_map(self.activation_patterns(pts)[0])

    # -- building blocks ------------------------------------------------------------------------
    # Building blocks return new networks (no name, no output transform). Float networks that
    # carry exact values (see ``to_exact``) are combined exactly and the float view of the result
    # is returned, so the result's ``to_exact()`` is the exact combination of the literals.
    def _exact_slope(self) -> Fraction:
        return Fraction(self._slope if self._source is None else self._source._slope)

    @staticmethod
    def _via_exact(*nets: ReLUNet) -> bool:
        """Whether an operation on float networks must run on their exact values."""
        return all(not n._exact for n in nets) and any(n._source is not None for n in nets)

    def _check_slopes(self, other: ReLUNet, what: str) -> None:
        a, b = self._exact_slope(), other._exact_slope()
        if a == b:
            return
        if float(a) == float(b):
            raise InvalidInputError(
                f"{what}: the activations round to the same float64 slope {float(a)!r} but differ "
                f"exactly ({a} vs {b}); give both networks the same slope literal, e.g. "
                f"negative_slope='{a}'"
            )
        raise InvalidInputError(
            f"{what}: the activations differ ({self.activation} vs {other.activation})"
        )

    def _check_compatible(self, other: ReLUNet, what: str, *, same_outputs: bool = False) -> None:
        if not isinstance(other, ReLUNet):
            raise InvalidInputError(f"{what} needs two ReLUNets, got {type(other).__name__}")
        if other.n_inputs != self.n_inputs:
            raise InvalidInputError(
                f"{what}: the networks have {self.n_inputs} and {other.n_inputs} inputs"
            )
        if same_outputs and other.n_outputs != self.n_outputs:
            raise InvalidInputError(
                f"{what}: the networks have {self.n_outputs} and {other.n_outputs} outputs"
            )
        self._check_slopes(other, what)

    def _unified(self, other: ReLUNet) -> tuple[ReLUNet, ReLUNet, bool]:
        exact = self._exact or other._exact
        a = self.to_exact() if exact else self
        b = other.to_exact() if exact else other
        return a, b, exact

    def _padded(self, depth: int) -> ReLUNet:
        """The same function with extra hidden layers that pass values through unchanged.

        Identity through the activation: ``t = (σ(t) - σ(-t)) / (1 + s)``. The added layers have
        no bias.
        """
        if depth == self.n_layers:
            return self
        if self._slope == -1:
            raise InvalidInputError(
                "cannot pass values through an activation with negative_slope = -1 (|t|); "
                "give both networks the same depth"
            )
        exact = self._exact
        ws, bs = list(self._weights), list(self._biases)
        m = self.n_outputs
        eye = _eye(m, exact)
        scale = (Fraction(1) if exact else 1.0) / (1 + self._slope)
        pos_neg = np.concatenate([eye, -eye], axis=1) * scale  # (σ(y) - σ(-y)) / (1 + s) = y
        last_w, last_b = ws.pop(), bs.pop()
        ws.append(np.concatenate([last_w, -last_w]))
        bs.append(np.concatenate([last_b, -last_b]))
        for _ in range(depth - self.n_layers - 1):
            ws.append(np.concatenate([pos_neg, -pos_neg]))
            bs.append(zeros((2 * m,), exact))
        ws.append(pos_neg)
        bs.append(zeros((m,), exact))
        has_bias = (*self._has_bias, *(False,) * (depth - self.n_layers))
        return self._rebuild(ws, bs, has_bias=has_bias)

    def parallel(self, other: ReLUNet) -> ReLUNet:
        """Both networks side by side on the same input; outputs concatenated ``[f(x), g(x)]``.

        Shorter networks are padded with identity layers so depths match.

        Examples
        --------
        >>> f = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]])     # |x|
        >>> g = ReLUNet([[[2.0]]], [[1.0]])                   # 2x + 1
        >>> f.parallel(g)([[-3.0]]).tolist()
        [[3.0, -5.0]]
        """
        self._check_compatible(other, "parallel")
        if self._via_exact(self, other):
            return self.to_exact().parallel(other.to_exact()).to_float()
        a, b, exact = self._unified(other)
        depth = max(a.n_layers, b.n_layers)
        a, b = a._padded(depth), b._padded(depth)
        ws = [np.concatenate([a._weights[0], b._weights[0]])]
        ws += [
            _block_diag(wa, wb, exact)
            for wa, wb in zip(a._weights[1:], b._weights[1:], strict=True)
        ]
        bs = [np.concatenate([ba, bb]) for ba, bb in zip(a._biases, b._biases, strict=True)]
        has_bias = [ha or hb for ha, hb in zip(a._has_bias, b._has_bias, strict=True)]
        return a._rebuild(ws, bs, exact=exact, has_bias=has_bias)

    def linear_output(self, matrix: Any, offset: Any = None) -> ReLUNet:
        """Post-compose the output with an affine map ``y -> matrix @ y + offset``.

        Entries may be numbers or literals such as ``"1/3"`` (taken as written).

        Examples
        --------
        >>> f = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]])
        >>> f.linear_output([[3.0]], [1.0])([[-2.0]]).tolist()
        [[7.0]]
        """
        try:
            shape: tuple[int, ...] | None = np.shape(matrix)
        except ValueError:  # ragged nested lists
            shape = None
        if shape is None or len(shape) != 2 or shape[1] != self.n_outputs:
            raise InvalidInputError(
                f"matrix must have shape (k, {self.n_outputs}), got "
                f"{shape if shape is not None else 'a ragged array'}"
            )
        try:
            probe = ReLUNet([matrix], None if offset is None else [offset], exact=self._exact)
        except InvalidNetworkError as exc:
            raise InvalidInputError(f"linear_output: {exc}") from None
        return self.compose(probe)

    def compose(self, outer: ReLUNet) -> ReLUNet:
        """The network ``outer ∘ self``: this network's output feeds ``outer``.

        The last affine layer of ``self`` merges with the first layer of ``outer``.

        Examples
        --------
        >>> f = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]])     # |x|
        >>> g = ReLUNet([[[1.0]]], [[-1.0]])                  # t - 1
        >>> f.compose(g).compose(f)([[0.5], [-3.0]]).ravel().tolist()  # ||x| - 1|
        [0.5, 2.0]
        """
        if not isinstance(outer, ReLUNet):
            raise InvalidInputError(f"compose needs a ReLUNet, got {type(outer).__name__}")
        if outer.n_inputs != self.n_outputs:
            raise InvalidInputError(
                f"compose: this network has {self.n_outputs} outputs but the outer one takes "
                f"{outer.n_inputs} inputs"
            )
        if outer.n_layers > 1 and self.n_layers > 1:
            self._check_slopes(outer, "compose")
        if self._via_exact(self, outer):
            return self.to_exact().compose(outer.to_exact()).to_float()
        inner, out, exact = self._unified(outer)
        w_mid = out._weights[0] @ inner._weights[-1]
        b_mid = out._weights[0] @ inner._biases[-1] + out._biases[0]
        ws = [*inner._weights[:-1], w_mid, *out._weights[1:]]
        bs = [*inner._biases[:-1], b_mid, *out._biases[1:]]
        has_bias = [
            *inner._has_bias[:-1],
            inner._has_bias[-1] or out._has_bias[0],
            *out._has_bias[1:],
        ]
        base = out if (inner.n_layers == 1 and out.n_layers > 1) else inner
        return base._rebuild(ws, bs, exact=exact, has_bias=has_bias)

    def __add__(self, other: ReLUNet) -> ReLUNet:
        """``f + g`` as one network (same input, same output dimension)."""
        if not isinstance(other, ReLUNet):
            return NotImplemented
        self._check_compatible(other, "sum", same_outputs=True)
        if self._via_exact(self, other):
            return (self.to_exact() + other.to_exact()).to_float()
        m = self.n_outputs
        eye = np.eye(m)
        return self.parallel(other).linear_output(np.concatenate([eye, eye], axis=1))

    def __sub__(self, other: ReLUNet) -> ReLUNet:
        """``f - g`` as one network.

        Examples
        --------
        >>> f = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]])     # |x|
        >>> (f - f)([[-2.0], [5.0]]).ravel().tolist()
        [0.0, 0.0]
        """
        if not isinstance(other, ReLUNet):
            return NotImplemented
        return self + other * -1

    def __mul__(self, scalar: Any) -> ReLUNet:
        """Scale the output by a number (a literal such as ``"0.1"`` is taken as written)."""
        if isinstance(scalar, ReLUNet):
            return NotImplemented
        s = to_fraction(scalar, name="scale factor")
        if not self._exact and (self._source is not None or float(s) != s):
            return (self.to_exact() * s).to_float()
        value = s if self._exact else float(s)
        ws = [*self._weights[:-1], self._weights[-1] * value]
        bs = [*self._biases[:-1], self._biases[-1] * value]
        return self._rebuild(ws, bs)

    __rmul__ = __mul__

    def __neg__(self) -> ReLUNet:
        return self * -1

    @staticmethod
    def stack(nets: Sequence[ReLUNet]) -> ReLUNet:
        """Stack the outputs of several networks with the same input into one network.

        Examples
        --------
        >>> f = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]])
        >>> ReLUNet.stack([f, f * 2, -f])([[-1.0]]).tolist()
        [[1.0, 2.0, -1.0]]
        """
        if len(nets) == 0:
            raise InvalidInputError("stack needs at least one network")
        if all(isinstance(n, ReLUNet) for n in nets) and ReLUNet._via_exact(*nets):
            return ReLUNet.stack([n.to_exact() for n in nets]).to_float()
        out = nets[0]
        for other in nets[1:]:
            out = out.parallel(other)
        return out
