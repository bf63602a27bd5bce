"""Network -> tropical rational map, by the Zhang–Naitzat–Lim layer recursion.

Every neuron value is kept as a tropical rational function ``F - G`` of the input. An affine layer
``z = W h + b`` with ``W = W⁺ - W⁻`` (positive and negative parts) maps ``h_j = F_j - G_j`` to

    ``z_i = H_i - G'_i``,  ``H_i = b_i ⊗ ⨂_j F_j^{W⁺_ij} ⊗ G_j^{W⁻_ij}``,
    ``G'_i = ⨂_j G_j^{W⁺_ij} ⊗ F_j^{W⁻_ij}``

(tropical powers with non-negative exponents, so ``H`` and ``G'`` stay polynomials). The
activation ``σ(t) = max(t, s·t)`` with slope ``s ∈ [0, 1]`` then gives

    ``σ(z_i) = max(H_i, s·H_i + (1 - s)·G'_i) - G'_i``,

i.e. the new numerator ``H ⊕ H^s ⊗ G'^{1-s}`` (just ``H ⊕ G'`` for ReLU) over the same
denominator. A maxout unit of rank ``k`` takes the max of ``k`` pre-activations ``H_i - G'_i``:

    ``max_i (H_i - G'_i) = ⨁_i (H_i ⊗ ⨂_{j≠i} G'_j) - ⨂_j G'_j``.

The output layer is affine. Sizes multiply under tropical products, so the
expression grows exponentially with depth; :func:`estimate_monomials` bounds it beforehand and
:func:`tropicalize` refuses (with that estimate) instead of running out of memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from neurogeom.core.budget import Budget, OutOfBudget
from neurogeom.core.errors import (
    BudgetExceededError,
    InvalidInputError,
    UnsupportedLayerError,
)
from neurogeom.core.progress import progress_bar
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.nets.maxout import MaxoutNet
from neurogeom.nets.relu import ReLUNet
from neurogeom.tropical.polynomial import TropicalPolynomial, TropicalRationalMap

__all__ = [
    "DEFAULT_MAX_MONOMIALS",
    "MonomialEstimate",
    "estimate_monomials",
    "tropicalize",
    "tropicalize_layers",
]

#: With pruning, intermediate products larger than this are pruned at once (smaller ones are
#: pruned when the neuron is finished).
PRUNE_PRODUCTS_ABOVE = 64

#: Default cap on the monomials of any one intermediate polynomial (before merging).
DEFAULT_MAX_MONOMIALS = 2_000_000


def _check_net(net: Any) -> ReLUNet | MaxoutNet:
    if isinstance(net, MaxoutNet):
        return net
    if isinstance(net, ReLUNet):
        slope = Fraction(net.negative_slope)
        if not (0 <= slope <= 1):
            raise UnsupportedLayerError(
                f"the tropical form needs an activation slope in [0, 1] (max(t, s t) is then "
                f"convex); this net has negative_slope = {net.negative_slope}"
            )
        return net
    name = type(net).__name__
    if name == "RationalNet":
        raise UnsupportedLayerError(
            "a RationalNet (activation 1/t) has no tropical form; tropical forms exist for "
            "ReLU, leaky-ReLU and maxout networks (see neurogeom.rational for rational nets)"
        )
    raise InvalidInputError(f"expected a ReLUNet or a MaxoutNet, got {name}")


@dataclass(frozen=True, slots=True)
class MonomialEstimate:
    """Upper bounds on the monomial counts of a network's tropical form (no merging, no pruning).

    Attributes
    ----------
    per_layer : tuple of int
        Largest bound on one numerator or denominator after each layer.
    total : int
        Bound on the final monomial count (numerators plus denominators of all outputs).
    largest : int
        Largest bound on one intermediate polynomial (what :func:`tropicalize` compares with
        ``max_monomials``).
    """

    per_layer: tuple[int, ...]
    total: int
    largest: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"per_layer": list(self.per_layer), "total": self.total, "largest": self.largest}


def _ranks(net: ReLUNet | MaxoutNet) -> tuple[int, ...]:
    """Maxout rank of every layer: 0 for a (leaky) ReLU hidden layer, 1 for the output layer."""
    if isinstance(net, MaxoutNet):
        return (*net.ranks, 1)
    return (*(0,) * (net.n_layers - 1), 1)


def estimate_monomials(net: ReLUNet | MaxoutNet) -> MonomialEstimate:
    """Bound the number of monomials of :func:`tropicalize` before computing anything.

    The bound multiplies the sizes of the factors of every tropical product, as the recursion
    does before merging duplicates; the real counts are usually far smaller (merging and pruning).

    Examples
    --------
    >>> net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])
    >>> estimate_monomials(net)
    MonomialEstimate(per_layer=(2, 4), total=6, largest=4)
    """
    net = _check_net(net)
    slope = Fraction(getattr(net, "negative_slope", 0))
    f = [1] * net.n_inputs
    g = [1] * net.n_inputs
    per_layer, largest = [], 1
    for l, ((w, _), rank) in enumerate(zip(net.layers, _ranks(net), strict=True)):
        hidden = l < net.n_layers - 1 and rank == 0
        nf, ng = [], []
        for row in np.asarray(w, dtype=object):
            h_size, g_size = 1, 1
            for j, a in enumerate(row.tolist()):
                if a > 0:
                    h_size *= f[j]
                    g_size *= g[j]
                elif a < 0:
                    h_size *= g[j]
                    g_size *= f[j]
            largest = max(largest, h_size, g_size)
            if hidden:
                num = h_size + (g_size if slope == 0 else h_size * g_size)
                largest = max(largest, num)
                nf.append(num)
            else:
                nf.append(h_size)
            ng.append(g_size)
        if rank > 1:
            nf, ng = _maxout_sizes(nf, ng, rank)
            largest = max(largest, *nf, *ng)
        f, g = nf, ng
        per_layer.append(max(max(f), max(g)))
    return MonomialEstimate(tuple(per_layer), int(sum(f) + sum(g)), int(largest))


def _maxout_sizes(f: list[int], g: list[int], rank: int) -> tuple[list[int], list[int]]:
    """Monomial bounds after grouping neurons in blocks of ``rank`` (see the module notes)."""
    nf, ng = [], []
    for start in range(0, len(f), rank):
        fs, gs = f[start : start + rank], g[start : start + rank]
        den = math.prod(gs)
        nf.append(sum(fi * den // gi for fi, gi in zip(fs, gs, strict=True)))
        ng.append(den)
    return nf, ng


def _maxout_unit(
    exp: _Expander,
    pairs: list[tuple[TropicalPolynomial, TropicalPolynomial]],
    n: int,
) -> tuple[TropicalPolynomial, TropicalPolynomial]:
    """``max_i (H_i - G_i)`` as ``⨁_i (H_i ⊗ ⨂_{j≠i} G_j) - ⨂_j G_j``."""
    num = None
    for i, (h, _) in enumerate(pairs):
        term = exp.product([(h, 1)] + [(g, 1) for j, (_, g) in enumerate(pairs) if j != i], n)
        num = term if num is None else num + term
    den = exp.product([(g, 1) for _, g in pairs], n)
    assert num is not None
    return num, den


def _weights(
    net: ReLUNet | MaxoutNet, exact: bool
) -> tuple[list[tuple[np.ndarray, np.ndarray]], Any]:
    work = net.to_exact() if exact else net.to_float()
    raw = getattr(work, "negative_slope", 0)
    slope: Any = Fraction(raw) if exact else float(raw)
    return [(np.asarray(w), np.asarray(b)) for w, b in work.layers], slope


class _Expander:
    """The working state of one conversion: mode, budget, pruning and the size cap."""

    def __init__(
        self,
        exact: bool,
        budget: Budget,
        max_monomials: int,
        prune: bool,
        tol: Tolerances,
    ) -> None:
        self.exact = exact
        self.budget = budget
        self.max_monomials = max_monomials
        self.prune = prune
        self.tol = tol
        self.layer = 0

    def _guard(self, size: int, what: str) -> None:
        if size > self.max_monomials:
            raise BudgetExceededError(
                f"layer {self.layer}: {what} would have about {size} monomials before merging "
                f"(max_monomials = {self.max_monomials}); the tropical form of this net is too "
                "large to expand: use prune=True, a larger max_monomials, or count regions with "
                "neurogeom.regions.enumerate_regions (which never builds the expression)"
            )

    def product(self, factors: list[tuple[TropicalPolynomial, Any]], n: int) -> TropicalPolynomial:
        """``⨂ p^a`` over the factors (all ``a > 0``), starting from the constant 0."""
        factors = sorted(factors, key=lambda fa: fa[0].n_monomials)
        out = TropicalPolynomial.constant(0, n, exact=self.exact)
        for p, a in factors:
            self._guard(out.n_monomials * p.n_monomials, "a tropical product")
            out = out * (p if a == 1 else p**a)
            if self.prune and out.n_monomials > PRUNE_PRODUCTS_ABOVE:
                # products of pruned factors keep redundant monomials: drop them before they
                # multiply further
                out = self.finish(out)
            self.budget.check()
        return out

    def finish(self, p: TropicalPolynomial) -> TropicalPolynomial:
        if not self.prune:
            return p
        from neurogeom.tropical.pruning import prune_polynomial

        return prune_polynomial(p, tol=self.tol, budget=self.budget)


def _affine(
    exp: _Expander,
    f: list[TropicalPolynomial],
    g: list[TropicalPolynomial],
    row: np.ndarray,
    bias: Any,
    n: int,
) -> tuple[TropicalPolynomial, TropicalPolynomial]:
    pos, neg = [], []
    for j, a in enumerate(row.tolist()):
        if a > 0:
            pos.append((f[j], a))
            neg.append((g[j], a))
        elif a < 0:
            pos.append((g[j], -a))
            neg.append((f[j], -a))
    h = exp.product(pos, n) * bias
    return h, exp.product(neg, n)


def tropicalize(
    net: ReLUNet | MaxoutNet,
    *,
    exact: bool | None = None,
    prune: bool = False,
    tol: float | Tolerances | None = None,
    max_monomials: int = DEFAULT_MAX_MONOMIALS,
    time_limit: float | None = None,
    progress: bool = True,
) -> TropicalRationalMap:
    """The tropical rational map ``p_k - q_k`` computed by a ReLU, leaky-ReLU or maxout network.

    Parameters
    ----------
    net : ReLUNet or MaxoutNet
        ReLU or leaky ReLU with slope in ``[0, 1]``, or maxout (any ranks).
    exact : bool, optional
        Exact rational exponents and coefficients (the net's exact values: for a net read from
        JSON, the literals written there). Default: the net's own mode.
    prune : bool
        Prune numerators and denominators after every layer (:func:`~.pruning.prune`); the
        function is unchanged and the expression much smaller.
    tol : float or Tolerances, optional
        Tolerance of the float pruning LPs (see :func:`~.pruning.prune_polynomial`).
    max_monomials : int
        Refuse (``BudgetExceededError``, naming the size) when a tropical product would have more
        monomials than this before merging.
    time_limit : float, optional
        Seconds; ``BudgetExceededError`` when it runs out.
    progress : bool
        Show a progress bar over neurons.

    Returns
    -------
    TropicalRationalMap
        Evaluating it equals evaluating the network (exactly in exact mode).

    Raises
    ------
    UnsupportedLayerError
        For a slope outside ``[0, 1]`` or a network that is not piecewise linear.
    BudgetExceededError
        When ``max_monomials`` or ``time_limit`` would be exceeded.

    Notes
    -----
    Zhang–Naitzat–Lim construction (arXiv 1805.07091, section 5); the slope-``s`` activation is
    ``max(H, s H + (1-s) G') - G'``. Without pruning the sizes multiply layer by layer
    (:func:`estimate_monomials`); with pruning each polynomial costs one LP per monomial.

    Examples
    --------
    ``max(x, y) = relu(x - y) + relu(y) - relu(-y)``:

    >>> net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])
    >>> f = tropicalize(net, progress=False)
    >>> print(f)
    max(2*x2, 3*x2, x1 + x2, x1 + 2*x2) - max(x2, 2*x2)
    >>> tropicalize(net, prune=True, progress=False).n_monomials
    6
    >>> f([[3, 1], [-2, 5]]).ravel().tolist() == net.to_exact()([[3, 1], [-2, 5]]).ravel().tolist()
    True

    A maxout unit is a tropical sum: ``max(x, y, 1) - 1``:

    >>> from neurogeom.nets import MaxoutNet
    >>> print(tropicalize(MaxoutNet([[[1, 0], [0, 1], [0, 0]], [[1]]], [[0, 0, 1], [-1]],
    ...                              ranks=3), progress=False))
    max(0, x2 - 1, x1 - 1) - 0
    """
    net = _check_net(net)
    if exact is None:
        exact = net.exact
    if isinstance(max_monomials, bool) or not isinstance(max_monomials, int) or max_monomials < 1:
        raise InvalidInputError(f"max_monomials must be a positive integer, got {max_monomials!r}")
    budget = Budget.start(time_limit=time_limit)
    layers, slope = _weights(net, bool(exact))
    ranks = _ranks(net)
    exp = _Expander(bool(exact), budget, max_monomials, prune, check_tol(tol))
    n = net.n_inputs
    f = [TropicalPolynomial.variable(i, n, exact=bool(exact)) for i in range(n)]
    g = [TropicalPolynomial.constant(0, n, exact=bool(exact)) for _ in range(n)]
    total = sum(w.shape[0] for w, _ in layers)
    try:
        with progress_bar(progress, total=total, desc="tropical form", unit="neuron") as bar:
            for l, ((w, b), rank) in enumerate(zip(layers, ranks, strict=True)):
                exp.layer = l
                hidden = l < len(layers) - 1 and rank == 0
                nf, ng = [], []
                if rank > 1:
                    for start in range(0, w.shape[0], rank):
                        pairs = [
                            _affine(exp, f, g, w[i], b[i], n) for i in range(start, start + rank)
                        ]
                        num, den = _maxout_unit(exp, pairs, n)
                        nf.append(exp.finish(num))
                        ng.append(exp.finish(den))
                        budget.check()
                        bar.update(rank)
                    f, g = nf, ng
                    continue
                for i in range(w.shape[0]):
                    h, gp = _affine(exp, f, g, w[i], b[i], n)
                    if hidden:
                        if slope == 0:
                            num = h + gp
                        else:
                            exp._guard(h.n_monomials * gp.n_monomials, "a leaky-ReLU numerator")
                            num = h + (h**slope) * (gp ** (1 - slope))
                    else:
                        num = h
                    nf.append(exp.finish(num))
                    ng.append(exp.finish(gp))
                    budget.check()
                    bar.update()
                f, g = nf, ng
    except OutOfBudget:
        raise BudgetExceededError(
            f"the time limit ({time_limit} s) ran out while expanding layer {exp.layer} of the "
            "tropical form; use prune=True or a longer time limit"
        ) from None
    return TropicalRationalMap(f, g)


def tropicalize_layers(
    net: ReLUNet | MaxoutNet, *, exact: bool | None = None
) -> tuple[TropicalRationalMap, ...]:
    """One tropical rational map per layer, each in that layer's own inputs.

    Layer ``l`` (hidden) maps ``h`` to ``σ(W h + b)``; the last layer is affine. Composing them is
    the network; nothing is expanded, so this is cheap for any size (the layerwise form).

    Examples
    --------
    >>> net = ReLUNet([[[1], [-1]], [[1, 1]]])  # |x|
    >>> [str(m) for m in tropicalize_layers(net)]
    ['max(0, x1) - 0\\nmax(0, x1) - x1', 'x1 + x2 - 0']
    """
    net = _check_net(net)
    if exact is None:
        exact = net.exact
    layers, slope = _weights(net, bool(exact))
    out = []
    for l, ((w, b), rank) in enumerate(zip(layers, _ranks(net), strict=True)):
        k = w.shape[1]
        f = [TropicalPolynomial.variable(i, k, exact=bool(exact)) for i in range(k)]
        g = [TropicalPolynomial.constant(0, k, exact=bool(exact)) for _ in range(k)]
        exp = _Expander(bool(exact), Budget(), math.inf, False, check_tol(None))  # type: ignore[arg-type]
        nf, ng = [], []
        if rank > 1:
            for start in range(0, w.shape[0], rank):
                pairs = [_affine(exp, f, g, w[i], b[i], k) for i in range(start, start + rank)]
                num, den = _maxout_unit(exp, pairs, k)
                nf.append(num)
                ng.append(den)
            out.append(TropicalRationalMap(nf, ng))
            continue
        for i in range(w.shape[0]):
            h, gp = _affine(exp, f, g, w[i], b[i], k)
            if l < len(layers) - 1 and rank == 0:
                h = h + gp if slope == 0 else h + (h**slope) * (gp ** (1 - slope))
            nf.append(h)
            ng.append(gp)
        out.append(TropicalRationalMap(nf, ng))
    return tuple(out)
