"""Symbolic expansion of a rational network: ``f = (P_1, ..., P_dL) / Q``, exactly.

Two independent algorithms, with python-flint ``fmpq_mpoly`` polynomials:

- the **closed formula** of Grosdos–Robeva–Zubkov (spec §1) for bias-free networks:
  ``p^(1) = W_1 x``, ``p^(k+1)_i = Σ_j w_{k+1,i,j} Π_{s≠j} p^(k)_s``, ``q^(k+1) = Π_j p^(k)_j``,
  ``P = p^(L) Π_{t∈S_L} q^(t)``, ``Q = Π_{t∈T_L} q^(t)``; biases by homogenisation (a variable
  ``x0`` and one extra neuron per hidden layer passing ``x0^(±1)``, then ``x0 = 1``);
- **direct composition**: every layer's pre-activations as numerators over one common
  denominator, reduced by a gcd after each layer.

Both give the same rational functions (tested on every architecture with widths <= 3 and depth
<= 4); :func:`expand` returns them in lowest terms with the denominator's leading coefficient 1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

import flint
import numpy as np

from neurogeom.core.errors import (
    BudgetExceededError,
    InvalidInputError,
    InvalidNetworkError,
    UnsupportedLayerError,
)
from neurogeom.core.rationals import (
    fmpq_to_fraction,
    fraction_to_json,
    products_but_one,
    to_fmpq,
)
from neurogeom.rational.architecture import degrees
from neurogeom.rational.polynomials import (
    context,
    evaluate_float,
    is_homogeneous,
    linear_form,
    to_sympy,
)

__all__ = [
    "DEFAULT_MAX_TERMS",
    "Expansion",
    "closed_formula",
    "direct_composition",
    "expand",
    "homogenise",
    "net_has_biases",
]

#: Refuse expansions whose polynomials would hold more terms than this (they grow fast:
#: a bias-free 6-6-6-6-1 net has numerators of degree 280 in 6 variables).
DEFAULT_MAX_TERMS = 200_000


def _pole_everywhere(layer: int, neuron: int) -> InvalidNetworkError:
    """``layer`` counts weight layers from 0, as the network's own messages do."""
    return InvalidNetworkError(
        f"hidden layer {layer}, neuron {neuron}: its pre-activation is identically zero, so the "
        "denominator vanishes identically (the network has a pole everywhere); change the "
        f"weight and bias of layer {layer}"
    )


def net_has_biases(net: Any) -> bool:
    """Whether any bias of the network is nonzero.

    Examples
    --------
    >>> from neurogeom import RationalNet
    >>> net_has_biases(RationalNet([[[1, 1]], [[1]]]))
    False
    >>> net_has_biases(RationalNet([[[1]], [[1]]], [[1], [0]]))
    True
    """
    return any(any(v != 0 for v in b.flat) for b in net.biases)


def _check_net(net: Any) -> None:
    from neurogeom.nets import RationalNet

    if not isinstance(net, RationalNet):
        raise UnsupportedLayerError(
            f"expansion needs a RationalNet (activation 1/x), got {type(net).__name__}"
            + (f" with activation {net.activation!r}" if hasattr(net, "activation") else "")
        )


def _fmpq_weights(net: Any) -> list[tuple[list[list[flint.fmpq]], list[flint.fmpq]]]:
    """The layers as nested lists of ``fmpq`` (float weights converted exactly)."""
    exact = net.to_exact()
    return [
        ([[to_fmpq(v) for v in row] for row in w], [to_fmpq(v) for v in b]) for w, b in exact.layers
    ]


def homogenise(net: Any) -> Any:
    """The bias-free network on ``(x0, x)`` whose restriction to ``x0 = 1`` is ``net``.

    Each hidden layer gains a first neuron that passes ``x0^(±1)`` on (``σ(1) = 1``); biases
    become the weights from it. Architecture ``(d0, d1, ..., dL)`` becomes
    ``(d0 + 1, d1 + 1, ..., d_{L-1} + 1, dL)``.

    Parameters
    ----------
    net : RationalNet
        A network with activation ``1/x`` (exact or float weights; floats are taken exactly).

    Returns
    -------
    RationalNet
        Exact and bias-free.

    Examples
    --------
    >>> from neurogeom import RationalNet
    >>> h = homogenise(RationalNet([[[2]], [[1]]], [[1], [3]], exact=True))
    >>> h.architecture
    (2, 2, 1)
    >>> [[str(v) for v in row] for w in h.weights for row in w]
    [['1', '0'], ['1', '2'], ['3', '1']]
    """
    from neurogeom.nets import RationalNet

    _check_net(net)
    exact = net.to_exact()
    layers = exact.layers
    weights = []
    for k, (w, b) in enumerate(layers):
        body = np.hstack([np.asarray(b, dtype=object)[:, None], w])
        if k < len(layers) - 1:
            extra = np.array([[Fraction(1)] + [Fraction(0)] * w.shape[1]], dtype=object)
            body = np.vstack([extra, body])
        weights.append(body)
    return RationalNet(weights, exact=True)


def _closed_formula_lists(
    first: list[flint.fmpq_mpoly],
    layers: list[tuple[list[list[flint.fmpq]], list[flint.fmpq]]],
    ctx: flint.fmpq_mpoly_ctx,
) -> tuple[list[flint.fmpq_mpoly], flint.fmpq_mpoly]:
    """The closed formula from ``p^(1) = first`` through the weights of ``layers[1:]``."""
    one = ctx.constant(1)
    zero = ctx.from_dict({})
    n_layers = len(layers)
    p = first
    q: dict[int, flint.fmpq_mpoly] = {0: one, 1: one}
    for k in range(1, n_layers):  # from p^(k) to p^(k+1) and q^(k+1)
        for j, pj in enumerate(p):
            if pj.is_zero():
                raise _pole_everywhere(k - 1, j)
        others, q[k + 1] = products_but_one(p, one)
        new = []
        for row in layers[k][0]:
            acc = zero
            for wij, oj in zip(row, others, strict=True):
                if wij != 0:
                    acc += oj * wij
            new.append(acc)
        p = new
    s_factor = one
    for t in range(n_layers - 1, -1, -2):
        s_factor *= q[t]
    t_factor = one
    for t in range(n_layers, -1, -2):
        t_factor *= q[t]
    return [pi * s_factor for pi in p], t_factor


def closed_formula(net: Any) -> tuple[tuple[flint.fmpq_mpoly, ...], flint.fmpq_mpoly]:
    """``(P_1, ..., P_dL), Q`` by the closed formula, *not* reduced (as the formula gives them).

    With biases the formula runs on the homogenised network (:func:`homogenise`) with ``x0 = 1``
    substituted from the start: every step is a ring operation, so substituting first or last
    gives the same polynomials, and the extra variable never appears.

    Parameters
    ----------
    net : RationalNet
        A network with activation ``1/x`` (exact or float weights; floats are taken exactly).

    Returns
    -------
    numerators : tuple of flint.fmpq_mpoly
    denominator : flint.fmpq_mpoly

    Raises
    ------
    InvalidNetworkError
        If a hidden pre-activation vanishes identically.
    UnsupportedLayerError
        If ``net`` is not a RationalNet.

    Examples
    --------
    >>> from neurogeom import RationalNet
    >>> (p,), q = closed_formula(RationalNet([[[1, 0], [0, 1]], [[1, 0]]]))
    >>> print(p, "/", q)  # 1/x1, unreduced (spec §1)
    x2 / x1*x2
    """
    _check_net(net)
    ctx = context(net.n_inputs)
    if not net_has_biases(net):
        layers = _fmpq_weights(net)
        first = [linear_form(ctx, row) for row in layers[0][0]]
        nums, den = _closed_formula_lists(first, layers, ctx)
        return tuple(nums), den
    layers = _fmpq_weights(homogenise(net))
    # column 0 of the first layer multiplies x0 = 1
    first = [linear_form(ctx, row[1:]) + row[0] for row in layers[0][0]]
    nums, den = _closed_formula_lists(first, layers, ctx)
    return tuple(nums), den


def direct_composition(net: Any) -> tuple[tuple[flint.fmpq_mpoly, ...], flint.fmpq_mpoly]:
    """``(P_1, ..., P_dL), Q`` by composing the layers, reduced after every layer.

    Each layer's pre-activations are kept as numerators ``N_i`` over one denominator ``D``;
    ``σ`` turns them into ``D / N_i``, the next affine layer brings them over
    ``Π_s N_s``, and the common gcd is divided out.

    Parameters
    ----------
    net : RationalNet
        A network with activation ``1/x`` (exact or float weights; floats are taken exactly).

    Returns
    -------
    numerators : tuple of flint.fmpq_mpoly
    denominator : flint.fmpq_mpoly
        In lowest terms, ``lc(Q) = 1``.

    Raises
    ------
    InvalidNetworkError
        If a hidden pre-activation vanishes identically.
    UnsupportedLayerError
        If ``net`` is not a RationalNet.

    Examples
    --------
    >>> from neurogeom import RationalNet
    >>> (p,), q = direct_composition(RationalNet([[[1, 0], [0, 1]], [[1, 0]]]))
    >>> print(p, "/", q)
    1 / x1
    """
    _check_net(net)
    ctx = context(net.n_inputs)
    one = ctx.constant(1)
    zero = ctx.from_dict({})
    layers = _fmpq_weights(net)
    w0, b0 = layers[0]
    nums = [linear_form(ctx, row) + bi for row, bi in zip(w0, b0, strict=True)]
    den = one
    for k in range(1, len(layers)):
        for j, nj in enumerate(nums):
            if nj.is_zero():
                raise _pole_everywhere(k - 1, j)
        others, full = products_but_one(nums, one)
        w, b = layers[k]
        new = []
        for row, bi in zip(w, b, strict=True):
            acc = zero
            for wij, oj in zip(row, others, strict=True):
                if wij != 0:
                    acc += oj * wij
            new.append(den * acc + full * bi)
        nums, den = _reduce(new, full)
    return tuple(nums), den


def _reduce(
    nums: Sequence[flint.fmpq_mpoly], den: flint.fmpq_mpoly
) -> tuple[list[flint.fmpq_mpoly], flint.fmpq_mpoly]:
    """Divide out the gcd of all numerators and the denominator; make ``lc(Q) = 1``."""
    g = den
    for pi in nums:
        if g.is_one():
            break
        g = g.gcd(pi)
    if not g.is_one():
        nums = [pi / g for pi in nums]
        den = den / g
    lc = den.leading_coefficient()
    if lc != 1:
        inv = 1 / flint.fmpq(lc)
        nums = [pi * inv for pi in nums]
        den = den * inv
    return list(nums), den


def _estimated_terms(net: Any) -> int:
    """Terms of the generic expansion (the number of monomials of its degrees)."""
    bias = net_has_biases(net)
    deg_p, deg_q = degrees(net.architecture, bias=bias)
    n = net.n_inputs
    if bias:
        return net.n_outputs * math.comb(n + deg_p, n) + math.comb(n + deg_q, n)
    return net.n_outputs * math.comb(n + deg_p - 1, deg_p) + math.comb(n + deg_q - 1, deg_q)


@dataclass(frozen=True, slots=True)
class Expansion:
    """A network's output ``f_i = P_i / Q`` as exact polynomials in ``x1, ..., xn``.

    Attributes
    ----------
    numerators : tuple of flint.fmpq_mpoly
        ``P_1, ..., P_dL``.
    denominator : flint.fmpq_mpoly
        ``Q`` (leading coefficient 1 when reduced).
    architecture : tuple of int
    bias : bool
        Whether the network had a nonzero bias (then ``P`` and ``Q`` are not homogeneous).
    method : {"closed", "direct"}
    reduced : bool
        Whether the tuple is in lowest terms.

    Examples
    --------
    >>> from neurogeom import RationalNet
    >>> e = expand(RationalNet([[[1, 0], [0, 1]], [[1, 0]]]), reduce=False)
    >>> e.degrees, e.reduce().degrees
    ((1, 2), (0, 1))
    >>> e.to_dict()["denominator"], e.coefficients()["denominator"]
    ('x1*x2', [[[1, 1], 1]])
    """

    numerators: tuple[flint.fmpq_mpoly, ...]
    denominator: flint.fmpq_mpoly
    architecture: tuple[int, ...]
    bias: bool
    method: str
    reduced: bool

    def __hash__(self) -> int:  # fmpq_mpoly is not hashable; its text is canonical
        return hash(
            (
                tuple(map(str, self.numerators)),
                str(self.denominator),
                self.architecture,
                self.bias,
                self.method,
                self.reduced,
            )
        )

    @property
    def n_inputs(self) -> int:
        """Number of variables.

        Examples
        --------
        >>> from neurogeom import RationalNet
        >>> expand(RationalNet([[[1, 1, 0], [0, 1, 1]], [[1, 2]]])).n_inputs
        3
        """
        return self.architecture[0]

    @property
    def degrees(self) -> tuple[int, int]:
        """``(max_i deg P_i, deg Q)`` (``-1`` for a zero numerator tuple).

        Examples
        --------
        >>> from neurogeom import RationalNet
        >>> expand(RationalNet([[[1, 1], [1, -1]], [[1, 2]]])).degrees
        (1, 2)
        """
        deg_p = max((int(p.total_degree()) for p in self.numerators if not p.is_zero()), default=-1)
        return deg_p, int(self.denominator.total_degree())

    @property
    def homogeneous(self) -> bool:
        """Whether every ``P_i`` and ``Q`` is a form.

        Examples
        --------
        >>> from neurogeom import RationalNet
        >>> expand(RationalNet([[[1, 1]], [[1]]])).homogeneous
        True
        >>> expand(RationalNet([[[1, 1]], [[1]]], [[1], [0]])).homogeneous  # 1 / (x1 + x2 + 1)
        False
        """
        return all(is_homogeneous(p) for p in (*self.numerators, self.denominator))

    def __call__(self, x: Sequence[Any]) -> tuple[Fraction | None, ...]:
        """Exact values ``P_i(x) / Q(x)`` at a rational point (``None`` at a zero of ``Q``).

        Examples
        --------
        >>> from neurogeom import RationalNet
        >>> e = expand(RationalNet([[[1, 1], [1, -1]], [[1, 2]]]))
        >>> e(["1/2", 0]), e([1, 1])
        ((Fraction(6, 1),), (None,))
        """
        if len(x) != self.n_inputs:
            raise InvalidInputError(f"x must have {self.n_inputs} coordinates, got {len(x)}")
        point = [to_fmpq(v) for v in x]
        q = self.denominator(*point)
        if q == 0:
            return (None,) * len(self.numerators)
        return tuple(fmpq_to_fraction(p(*point) / q) for p in self.numerators)

    def evaluate(self, x: Any) -> np.ndarray:
        """Float values at points ``(N, n)`` (NaN where ``Q`` vanishes), shape ``(N, dL)``.

        Examples
        --------
        >>> from neurogeom import RationalNet
        >>> expand(RationalNet([[[1, 1], [1, -1]], [[1, 2]]])).evaluate([[0.5, 0.0]]).tolist()
        [[6.0]]
        """
        pts = np.atleast_2d(np.asarray(x, dtype=np.float64))
        if pts.shape[1] != self.n_inputs:
            raise InvalidInputError(f"x must have shape (N, {self.n_inputs}), got {np.shape(x)}")
        q = evaluate_float(self.denominator, pts)
        out = np.stack([evaluate_float(p, pts) for p in self.numerators], axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = out / q[:, None]
        out[q == 0] = np.nan
        return out

    def same_function(self, other: Expansion) -> bool:
        """Whether both tuples define the same rational functions (``P_i Q' = P'_i Q``).

        Examples
        --------
        >>> from neurogeom import RationalNet
        >>> net = RationalNet([[[1, 0], [0, 1]], [[1, 0]]])
        >>> expand(net).same_function(expand(net, reduce=False))
        True
        """
        if len(self.numerators) != len(other.numerators) or self.n_inputs != other.n_inputs:
            return False
        return all(
            p * other.denominator == q * self.denominator
            for p, q in zip(self.numerators, other.numerators, strict=True)
        )

    def reduce(self) -> Expansion:
        """The same functions in lowest terms, with ``lc(Q) = 1``.

        Examples
        --------
        >>> from neurogeom import RationalNet
        >>> e = expand(RationalNet([[[1, 0], [0, 1]], [[1, 0]]]), reduce=False)
        >>> print(e.to_text(), "->", e.reduce().to_text())
        f1 = (x2) / (x1*x2) -> f1 = (1) / (x1)
        """
        nums, den = _reduce(self.numerators, self.denominator)
        return Expansion(tuple(nums), den, self.architecture, self.bias, self.method, True)

    def to_sympy(self) -> tuple[Any, ...]:
        """The outputs ``P_i / Q`` as sympy expressions (needs the ``symbolic`` extra).

        Examples
        --------
        >>> from neurogeom import RationalNet
        >>> expand(RationalNet([[[1, 1], [1, -1]], [[1, 2]]])).to_sympy()
        ((3*x1 + x2)/(x1**2 - x2**2),)
        """
        q = to_sympy(self.denominator)
        return tuple(to_sympy(p) / q for p in self.numerators)

    def to_text(self) -> str:
        """One line per output: ``f1 = (P_1) / (Q)``.

        Examples
        --------
        >>> from neurogeom import RationalNet
        >>> print(expand(RationalNet([[[1, 1], [1, -1]], [[1, 2]]])).to_text())
        f1 = (3*x1 + x2) / (x1^2 - x2^2)
        """
        q = str(self.denominator)
        return "\n".join(f"f{i + 1} = ({p}) / ({q})" for i, p in enumerate(self.numerators))

    def coefficients(self) -> dict[str, Any]:
        """Exact coefficients by monomial exponent, for JSON (``"p/q"`` for non-integers).

        Examples
        --------
        >>> from neurogeom import RationalNet
        >>> expand(RationalNet([[[2, 0], [0, 1]], [[1, 1]]])).coefficients()["numerators"]
        [[[[1, 0], 1], [[0, 1], '1/2']]]
        """

        def terms(p: flint.fmpq_mpoly) -> list[list[Any]]:
            return [
                [[int(e) for e in m], fraction_to_json(fmpq_to_fraction(c))] for m, c in p.terms()
            ]

        return {
            "numerators": [terms(p) for p in self.numerators],
            "denominator": terms(self.denominator),
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: polynomials as text, degrees, and exact coefficients.

        Examples
        --------
        >>> from neurogeom import RationalNet
        >>> d = expand(RationalNet([[[1, 1], [1, -1]], [[1, 2]]])).to_dict()
        >>> d["numerators"], d["denominator"], d["degrees"], d["terms"]
        (['3*x1 + x2'], 'x1^2 - x2^2', {'numerator': 1, 'denominator': 2}, 4)
        """
        deg_p, deg_q = self.degrees
        return {
            "architecture": list(self.architecture),
            "variables": list(context(self.n_inputs).names()),
            "numerators": [str(p) for p in self.numerators],
            "denominator": str(self.denominator),
            "degrees": {"numerator": deg_p, "denominator": deg_q},
            "homogeneous": self.homogeneous,
            "bias": self.bias,
            "reduced": self.reduced,
            "method": self.method,
            "terms": sum(len(p) for p in self.numerators) + len(self.denominator),
            "coefficients": self.coefficients(),
        }

    def __repr__(self) -> str:
        arch = "-".join(map(str, self.architecture))
        deg_p, deg_q = self.degrees
        return (
            f"Expansion({arch}, degrees ({deg_p}, {deg_q}), {self.method}"
            f"{', reduced' if self.reduced else ''})"
        )


def expand(
    net: Any,
    *,
    method: Literal["auto", "closed", "direct"] = "auto",
    reduce: bool = True,
    max_terms: int | None = DEFAULT_MAX_TERMS,
) -> Expansion:
    """Expand a rational network into exact polynomials ``f_i = P_i / Q``.

    Parameters
    ----------
    net : RationalNet
        Float weights are taken as the exact binary values they hold.
    method : {"auto", "closed", "direct"}
        The closed formula (biases by homogenisation) or direct composition (see the module);
        ``"auto"`` takes the closed formula for bias-free nets (generically in lowest terms
        already) and direct composition with biases (homogenisation leaves common factors
        whose gcd costs more than composing: 0.1 s against 3.5 s for a biased 3-3-3-3-3 net).
    reduce : bool
        Divide out the gcd of all ``P_i`` and ``Q`` (lowest terms, ``lc(Q) = 1``). The direct
        method always reduces.
    max_terms : int or None
        Refuse nets whose generic expansion would hold more terms than this.

    Returns
    -------
    Expansion

    Raises
    ------
    InvalidNetworkError
        If a hidden pre-activation is identically zero (the denominator vanishes identically).
    BudgetExceededError
        If the expansion would exceed ``max_terms``.
    UnsupportedLayerError
        If ``net`` is not a :class:`~neurogeom.nets.RationalNet`.

    Notes
    -----
    Degrees grow like the product of the hidden widths (:func:`~neurogeom.rational.degrees`);
    the number of terms like ``C(d0 + deg, d0)``. The closed formula needs no gcd for bias-free
    nets, which is why it is the default.

    References
    ----------
    G. Grosdos, E. Robeva, M. Zubkov, *Algebraic geometry of rational neural networks*,
    arXiv:2509.11088.

    Examples
    --------
    >>> from neurogeom import RationalNet
    >>> net = RationalNet([[[1, 0], [0, 1]], [[1, 1], [1, -1]], [[1, 1]]])  # spec §5
    >>> print(expand(net).to_text())
    f1 = (-2*x1*x2^2) / (x1^2 - x2^2)
    >>> expand(net, method="direct").same_function(expand(net, method="closed"))
    True
    """
    _check_net(net)
    if method not in ("auto", "closed", "direct"):
        raise InvalidInputError(f"method must be 'auto', 'closed' or 'direct', got {method!r}")
    if method == "auto":
        method = "direct" if net_has_biases(net) else "closed"
    if max_terms is not None:
        estimate = _estimated_terms(net)
        if estimate > max_terms:
            arch = "-".join(map(str, net.architecture))
            raise BudgetExceededError(
                f"expanding a {arch} net gives about {estimate} terms, more than "
                f"max_terms={max_terms}; raise max_terms or use the dimension tools, which do "
                "not expand"
            )
    if method == "closed":
        nums, den = closed_formula(net)
        if den.is_zero():
            raise InvalidNetworkError(
                "the denominator vanishes identically (a hidden pre-activation is zero)"
            )
        reduced = False
        if reduce:
            nums, den = _reduce(nums, den)
            reduced = True
    else:
        nums, den = direct_composition(net)
        nums, den = _reduce(nums, den)
        reduced = True
    return Expansion(tuple(nums), den, net.architecture, net_has_biases(net), method, reduced)
