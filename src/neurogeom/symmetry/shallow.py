"""Shallow ReLU networks with explicit conventions: output bias or not, skip term or not.

A one-hidden-layer network computes ``f(x) = A σ(W x + b) + c + V x`` with ``σ = ReLU``:
input dimension ``m``, hidden width ``n``, output dimension ``k``; ``W`` is ``(n, m)``, ``A`` is
``(k, n)``, ``V`` is ``(k, m)``. Neuron ``i`` is the triple ``(w_i, b_i, a_i)``: row ``i`` of
``W``, entry ``i`` of ``b`` and column ``i`` of ``A``.

Whether the architecture has an output bias ``c`` and a skip term ``V`` changes which parameter
moves preserve the function (a sign flip of a set of neurons needs a free output bias, a skip term
absorbs any linear part), so both are fields of :class:`ShallowNet`: ``c is None`` means the
architecture has no output bias, ``v is None`` that it has no skip term. A
:class:`~neurogeom.nets.ReLUNet` with one hidden layer is a :class:`ShallowNet` with an output
bias and no skip term (:meth:`ShallowNet.from_relu`).

References
----------
Ramakrishnan, *A Complete Symmetry Classification of Shallow ReLU Networks*, arXiv 2604.14037.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from neurogeom.core.errors import InvalidInputError, InvalidNetworkError, UnsupportedLayerError
from neurogeom.core.rationals import as_points, fraction_to_json, to_fraction, zeros
from neurogeom.nets.relu import ReLUNet

__all__ = ["ShallowNet", "as_shallow", "difference"]


def _array(values: Any, *, exact: bool, ndim: int, what: str) -> np.ndarray:
    """Validated read-only storage (float64 or Fractions) of one parameter block."""
    raw = np.asarray(values, dtype=object)
    if raw.ndim != ndim:
        raise InvalidNetworkError(f"{what} must have {ndim} dimension(s), got shape {raw.shape}")
    out = np.empty(raw.shape, dtype=object if exact else np.float64)
    for idx, v in np.ndenumerate(raw):
        try:
            q = to_fraction(v, name=f"{what}[{', '.join(map(str, idx))}]")
        except InvalidInputError as exc:
            raise InvalidNetworkError(str(exc)) from None
        out[idx] = q if exact else float(q)
    out.flags.writeable = False
    return out


def _has_exact(values: Any) -> bool:
    arr = np.asarray(values, dtype=object) if values is not None else np.empty(0, dtype=object)
    return any(isinstance(v, Fraction | str) for v in arr.flat)


def _relu(z: np.ndarray, exact: bool) -> np.ndarray:
    if exact:
        return np.vectorize(lambda t: t if t > 0 else Fraction(0), otypes=[object])(z)
    return np.maximum(z, 0.0)


def _json(arr: np.ndarray) -> Any:
    if arr.dtype == object:
        return np.vectorize(fraction_to_json, otypes=[object])(arr).tolist() if arr.size else []
    return arr.tolist()


@dataclass(frozen=True, slots=True, eq=False, init=False)
class ShallowNet:
    """The shallow ReLU network ``x -> A relu(W x + b) + c + V x``.

    Parameters
    ----------
    w : array-like, shape (n, m)
        Input weights, one row per hidden neuron.
    b : array-like, shape (n,), optional
        Hidden biases (zeros if omitted).
    a : array-like, shape (k, n)
        Output weights, one column per hidden neuron.
    c : array-like, shape (k,), optional
        Output bias; ``None`` means the architecture has none (a fixed zero).
    v : array-like, shape (k, m), optional
        Skip term; ``None`` means the architecture has none.
    exact : bool, optional
        Exact rational storage; inferred (Fractions or string literals) when omitted.

    Raises
    ------
    InvalidNetworkError
        If the shapes do not chain or an entry is not a finite number.

    Examples
    --------
    The clipped ramp ``relu(x) - relu(x - 1)``, with an output bias:

    >>> net = ShallowNet([[1], [1]], [0, -1], [[1, -1]], c=[0], exact=True)
    >>> net
    ShallowNet(1-2-1, output bias, exact)
    >>> [str(v) for v in net([["-1"], ["1/2"], ["3"]]).ravel()]
    ['0', '1/2', '1']
    >>> net.n_parameters, net.to_relu()
    (7, ReLUNet(1-2-1, exact))
    """

    w: np.ndarray
    b: np.ndarray
    a: np.ndarray
    c: np.ndarray | None
    v: np.ndarray | None
    exact: bool

    def __init__(
        self,
        w: Any,
        b: Any = None,
        a: Any = None,
        *,
        c: Any = None,
        v: Any = None,
        exact: bool | None = None,
    ) -> None:
        if a is None:
            raise InvalidNetworkError("a shallow net needs output weights a of shape (k, n)")
        if exact is None:
            exact = any(_has_exact(x) for x in (w, b, a, c, v))
        exact = bool(exact)
        w_arr = _array(w, exact=exact, ndim=2, what="w")
        n, m = w_arr.shape
        if n == 0 or m == 0:
            raise InvalidNetworkError(
                f"w has an empty shape {w_arr.shape}; need (n, m) with n, m >= 1"
            )
        b_arr = zeros((n,), exact) if b is None else _array(b, exact=exact, ndim=1, what="b")
        a_arr = _array(a, exact=exact, ndim=2, what="a")
        if b_arr.shape != (n,):
            raise InvalidNetworkError(f"w has {n} rows (neurons) but b has length {b_arr.shape[0]}")
        if a_arr.shape[1] != n or a_arr.shape[0] == 0:
            raise InvalidNetworkError(
                f"a must have shape (k, {n}) (one column per neuron), got {a_arr.shape}"
            )
        k = a_arr.shape[0]
        c_arr = None if c is None else _array(c, exact=exact, ndim=1, what="c")
        if c_arr is not None and c_arr.shape != (k,):
            raise InvalidNetworkError(f"c must have length {k} (the outputs), got {c_arr.shape}")
        v_arr = None if v is None else _array(v, exact=exact, ndim=2, what="v")
        if v_arr is not None and v_arr.shape != (k, m):
            raise InvalidNetworkError(f"v must have shape ({k}, {m}), got {v_arr.shape}")
        b_arr.flags.writeable = False
        for name, value in zip(
            ("w", "b", "a", "c", "v", "exact"),
            (w_arr, b_arr, a_arr, c_arr, v_arr, exact),
            strict=True,
        ):
            object.__setattr__(self, name, value)

    @classmethod
    def _trusted(
        cls,
        w: np.ndarray,
        b: np.ndarray,
        a: np.ndarray,
        c: np.ndarray | None,
        v: np.ndarray | None,
        exact: bool,
    ) -> ShallowNet:
        """Build from arrays already in the right storage (no validation)."""
        obj = cls.__new__(cls)
        dtype = object if exact else np.float64
        for name, value in zip(("w", "b", "a", "c", "v"), (w, b, a, c, v), strict=True):
            if value is not None:
                value = np.array(value, dtype=dtype)
                value.flags.writeable = False
            object.__setattr__(obj, name, value)
        object.__setattr__(obj, "exact", exact)
        return obj

    # -- conversions ----------------------------------------------------------------------------
    @classmethod
    def from_relu(cls, net: ReLUNet, *, output_bias: bool = True) -> ShallowNet:
        """The shallow net of a :class:`~neurogeom.nets.ReLUNet` with one hidden layer.

        Parameters
        ----------
        net : ReLUNet
            Two affine layers with ReLU between them.
        output_bias : bool
            Whether the architecture has an output bias. ``False`` needs the net's output bias to
            be zero and makes fewer moves symmetries.

        Raises
        ------
        UnsupportedLayerError
            For deeper nets and leaky-ReLU activations (see :func:`as_shallow`).

        Examples
        --------
        >>> ShallowNet.from_relu(ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]]))
        ShallowNet(1-2-1, output bias)
        """
        net = _check_relu(net, "ShallowNet.from_relu")
        w, a = net.weights
        b, c = net.biases
        if not output_bias and any(x != 0 for x in c):
            raise InvalidInputError(
                "output_bias=False needs the net's output bias to be zero, got "
                f"{[fraction_to_json(Fraction(x)) for x in c]}"
            )
        return cls._trusted(w, b, a, c if output_bias else None, None, net.exact)

    def to_relu(self) -> ReLUNet:
        """The same function as a :class:`~neurogeom.nets.ReLUNet` with one hidden layer.

        A skip term ``V x`` becomes ``2 m`` extra neurons, ``V x = Σ_j V e_j (σ(x_j) - σ(-x_j))``.

        Examples
        --------
        >>> net = ShallowNet([[1.0]], [0.0], [[2.0]], v=[[-1.0]])  # 2 relu(x) - x = |x|
        >>> net.to_relu(), net.to_relu()([[-3.0], [2.0]]).ravel().tolist()
        (ReLUNet(1-3-1), [3.0, 2.0])
        """
        w, b, a = self.w, self.b, self.a
        if self.v is not None:
            m = self.n_inputs
            eye = zeros((m, m), self.exact)
            for j in range(m):
                eye[j, j] = Fraction(1) if self.exact else 1.0
            w = np.concatenate([w, eye, -eye])
            b = np.concatenate([b, zeros((2 * m,), self.exact)])
            a = np.concatenate([a, self.v, -self.v], axis=1)
        c = self.c if self.c is not None else zeros((self.n_outputs,), self.exact)
        return ReLUNet([w, a], [b, c], exact=self.exact)

    def to_exact(self) -> ShallowNet:
        """The same net with exact rational parameters (floats converted exactly)."""
        if self.exact:
            return self
        conv = np.vectorize(Fraction, otypes=[object])
        parts = [
            None if x is None else (conv(x) if x.size else x.astype(object)) for x in self._parts()
        ]
        return ShallowNet._trusted(*parts, exact=True)

    def to_float(self) -> ShallowNet:
        """The same net in float64 (rationals rounded to nearest)."""
        if not self.exact:
            return self
        parts = [None if x is None else x.astype(np.float64) for x in self._parts()]
        return ShallowNet._trusted(*parts, exact=False)

    def _parts(self) -> tuple[Any, ...]:
        return (self.w, self.b, self.a, self.c, self.v)

    def replace(self, **changes: Any) -> ShallowNet:
        """A copy with some of ``w, b, a, c, v`` replaced (arrays in this net's storage).

        Examples
        --------
        >>> net = ShallowNet([[1.0]], [0.0], [[2.0]], c=[0.0])
        >>> net.replace(a=[[3.0]]).a.tolist()
        [[3.0]]
        """
        parts = dict(zip(("w", "b", "a", "c", "v"), self._parts(), strict=True))
        unknown = set(changes) - set(parts)
        if unknown:
            raise InvalidInputError(f"unknown fields {sorted(unknown)}; use w, b, a, c, v")
        parts.update(changes)
        return ShallowNet(
            parts["w"], parts["b"], parts["a"], c=parts["c"], v=parts["v"], exact=self.exact
        )

    # -- shape ----------------------------------------------------------------------------------
    @property
    def n_inputs(self) -> int:
        """Input dimension ``m``."""
        return self.w.shape[1]

    @property
    def width(self) -> int:
        """Hidden width ``n``."""
        return self.w.shape[0]

    @property
    def n_outputs(self) -> int:
        """Output dimension ``k``."""
        return self.a.shape[0]

    @property
    def architecture(self) -> tuple[int, int, int]:
        """``(m, n, k)``."""
        return (self.n_inputs, self.width, self.n_outputs)

    @property
    def has_output_bias(self) -> bool:
        """Whether the architecture has an output bias."""
        return self.c is not None

    @property
    def has_skip(self) -> bool:
        """Whether the architecture has a skip term ``V x``."""
        return self.v is not None

    @property
    def n_parameters(self) -> int:
        """Number of parameters ``n (m + 1) + k n`` (+ ``k`` with output bias, + ``k m`` with
        skip term)."""
        m, n, k = self.architecture
        return (
            n * (m + 1)
            + k * n
            + (k if self.c is not None else 0)
            + (k * m if self.v is not None else 0)
        )

    # -- evaluation -----------------------------------------------------------------------------
    def evaluate(self, x: Any) -> np.ndarray:
        """``f(x)`` for one point ``(m,)`` or a batch ``(N, m)`` (exact in exact mode).

        Examples
        --------
        >>> ShallowNet([[1.0], [-1.0]], None, [[1.0, 1.0]]).evaluate([-2.0]).tolist()
        [2.0]
        """
        pts, single = as_points(x, self.n_inputs, exact=self.exact)
        hidden = _relu(pts @ self.w.T + self.b, self.exact)
        out = hidden @ self.a.T
        if self.c is not None:
            out = out + self.c
        if self.v is not None:
            out = out + pts @ self.v.T
        return out[0] if single else out

    __call__ = evaluate

    # -- value semantics ------------------------------------------------------------------------
    def _key(self) -> tuple[Any, ...]:
        def flat(x: np.ndarray | None) -> Any:
            return None if x is None else (x.shape, tuple(x.flat))

        return (self.exact, *(flat(x) for x in self._parts()))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ShallowNet):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        flags = [
            "output bias" if self.c is not None else "",
            "skip" if self.v is not None else "",
            "exact" if self.exact else "",
        ]
        extra = ", ".join(f for f in flags if f)
        arch = "-".join(map(str, self.architecture))
        return f"ShallowNet({arch}{', ' + extra if extra else ''})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (rationals as ``"p/q"``)."""
        return {
            "w": _json(self.w),
            "b": _json(self.b),
            "a": _json(self.a),
            "c": None if self.c is None else _json(self.c),
            "v": None if self.v is None else _json(self.v),
            "exact": self.exact,
        }


def _check_relu(net: Any, what: str) -> ReLUNet:
    if not isinstance(net, ReLUNet):
        if type(net).__name__ == "RationalNet":
            raise UnsupportedLayerError(
                f"{what} is defined for ReLU networks; a RationalNet computes rational functions"
            )
        raise InvalidInputError(f"{what} needs a ReLUNet or a ShallowNet, got {type(net).__name__}")
    if net.n_layers != 2:
        arch = "-".join(map(str, net.architecture))
        raise UnsupportedLayerError(
            f"{what} needs a shallow net (one hidden layer: input -> ReLU -> linear output); this "
            f"net {arch} has {net.n_layers - 1} hidden layers. For deep nets use are_equivalent "
            "(exact, through the regions of f - g), functional_dimension or align"
        )
    if net.negative_slope != 0:
        raise UnsupportedLayerError(
            f"{what} needs a ReLU net; this one has the activation {net.activation}"
        )
    return net


def as_shallow(net: Any, *, what: str = "this analysis", leaky: bool = False) -> ShallowNet:
    """Validate an argument that must be a shallow net; return it as a :class:`ShallowNet`.

    Parameters
    ----------
    net : ShallowNet or ReLUNet
        A :class:`~neurogeom.nets.ReLUNet` must have one hidden layer.
    what : str
        The analysis asking, for error messages.
    leaky : bool
        Accept leaky-ReLU nets too, rewritten with ``σ_s(z) = s z + (1 - s) relu(z)`` as a ReLU
        net with a skip term (right for function-level questions such as canonical forms and
        equivalence, not for parameter moves).

    Returns
    -------
    ShallowNet
        ``net`` itself, or its shallow form (with an output bias, and a skip term for a leaky
        net).

    Raises
    ------
    UnsupportedLayerError
        For deep nets (the message says what deep nets support), leaky activations when not
        allowed, and rational nets.

    Examples
    --------
    >>> as_shallow(ReLUNet([[[1.0]], [[1.0]], [[1.0]]]), what="canonical_form")
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.UnsupportedLayerError: canonical_form needs a shallow net (one hidden \
layer: input -> ReLU -> linear output); this net 1-1-1-1 has 2 hidden layers. For deep nets use \
are_equivalent (exact, through the regions of f - g), functional_dimension or align
    """
    if isinstance(net, ShallowNet):
        return net
    if leaky and isinstance(net, ReLUNet) and net.n_layers == 2 and net.negative_slope != 0:
        s = net.negative_slope
        w, a = net.weights
        b, c = net.biases
        return ShallowNet._trusted(w, b, a * (1 - s), c + a @ b * s, (a @ w) * s, net.exact)
    return ShallowNet.from_relu(_check_relu(net, what))


def difference(f: ShallowNet, g: ShallowNet) -> ShallowNet:
    """The shallow net ``f - g``: both neuron sets side by side, ``g``'s output weights negated.

    The result has an output bias (skip term) when either net has one. Exact when both are.

    Parameters
    ----------
    f, g : ShallowNet
        Nets with the same input and output dimensions.

    Returns
    -------
    ShallowNet
        Width ``n_f + n_g``; it computes ``f(x) - g(x)``.

    Raises
    ------
    InvalidInputError
        If the input or output dimensions differ.

    Examples
    --------
    >>> f = ShallowNet([[1], [-1]], None, [[1, 1]], exact=True)          # |x|
    >>> g = ShallowNet([[1]], None, [[2]], v=[[-1]], exact=True)        # 2 relu(x) - x
    >>> d = difference(f, g)
    >>> d, [str(t) for t in d([["-3"], ["5"]]).ravel()]
    (ShallowNet(1-3-1, skip, exact), ['0', '0'])
    """
    check_same_shape(f, g, "difference")
    exact = f.exact and g.exact
    f, g = (f, g) if exact else (f.to_float(), g.to_float())
    k, m = f.n_outputs, f.n_inputs

    def combine(x: np.ndarray | None, y: np.ndarray | None, shape: tuple[int, ...]) -> Any:
        if x is None and y is None:
            return None
        x = zeros(shape, exact) if x is None else x
        y = zeros(shape, exact) if y is None else y
        return x - y

    return ShallowNet._trusted(
        np.concatenate([f.w, g.w]),
        np.concatenate([f.b, g.b]),
        np.concatenate([f.a, -g.a], axis=1),
        combine(f.c, g.c, (k,)),
        combine(f.v, g.v, (k, m)),
        exact,
    )


def check_same_shape(f: Any, g: Any, what: str) -> None:
    """Refuse two nets whose input or output dimensions differ (one line naming both).

    Examples
    --------
    >>> check_same_shape(ShallowNet([[1.0]], None, [[1.0]]), ReLUNet([[[1.0, 2.0]], [[1.0]]]),
    ...                  "align")
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.InvalidInputError: align: the networks have 1 and 2 inputs; both must \
have the same input dimension
    """
    if f.n_inputs != g.n_inputs:
        raise InvalidInputError(
            f"{what}: the networks have {f.n_inputs} and {g.n_inputs} inputs; both must have the "
            "same input dimension"
        )
    if f.n_outputs != g.n_outputs:
        raise InvalidInputError(
            f"{what}: the networks have {f.n_outputs} and {g.n_outputs} outputs; both must have "
            "the same output dimension"
        )
