"""Alignment of two networks of one architecture: rescale and permute the neurons of one to match
the other.

Permutations and positive rescalings of hidden neurons keep the function (the group ``H_n`` of
each layer). To compare two trained nets weight by weight one first removes them: both nets are
*normalised* (each hidden neuron's incoming weights and bias rescaled to L1 norm 1, the scale
pushed into the next layer, layer by layer; L1 keeps rationals rational), then the neurons of each
hidden layer are *matched* by a linear assignment problem
(:func:`scipy.optimize.linear_sum_assignment`) on the distances between normalised neurons, layer
by layer from the input (the previous layer already matched), and refined by coordinate descent
over the layers (weight matching, as in Git Re-Basin, with the next layer's weights in the cost).
Finally the second net is rescaled to the first one's scales.

The result computes exactly the second net's function. For equivalent generic shallow nets it
equals the first net exactly (exact arithmetic) — the permutation and scales are recovered.

References
----------
Ainsworth, Hayase, Srinivasa, *Git Re-Basin*, arXiv 2209.04836; symmetries spec §3e.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from neurogeom.core.errors import InvalidInputError, UnsupportedLayerError
from neurogeom.core.rationals import json_number
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.nets.relu import ReLUNet
from neurogeom.symmetry.shallow import ShallowNet

__all__ = ["Alignment", "align"]


@dataclass(frozen=True, slots=True)
class Alignment:
    """The second net permuted and rescaled to match the first.

    Attributes
    ----------
    net : ReLUNet or ShallowNet
        The aligned second net (same function as the second net).
    permutations : tuple of tuple of int
        Per hidden layer: position ``i`` of the aligned net holds neuron ``permutations[l][i]``
        of the second net.
    scales : tuple of tuple
        Per hidden layer: the positive factor applied to each aligned neuron's incoming weights
        and bias (its outgoing weights are divided by it).
    distance_before, distance_after : float
        Largest absolute parameter difference to the first net, before and after.
    equal : bool
        Whether the aligned net equals the first net (exactly, or within ``tol`` relative to the
        largest parameter in float mode).
    exact : bool
    """

    net: Any
    permutations: tuple[tuple[int, ...], ...]
    scales: tuple[tuple[Any, ...], ...]
    distance_before: float
    distance_after: float
    equal: bool
    exact: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "permutations": [list(p) for p in self.permutations],
            "scales": [[json_number(v) for v in s] for s in self.scales],
            "distance_before": self.distance_before,
            "distance_after": self.distance_after,
            "equal": self.equal,
            "exact": self.exact,
        }

    def __repr__(self) -> str:
        return (
            f"Alignment(distance {self.distance_before:.3g} -> {self.distance_after:.3g}, "
            f"equal={self.equal})"
        )


@dataclass(slots=True)
class _Layers:
    """Mutable copies of a net's layers (weights and biases), exact or float."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    exact: bool

    def copy(self) -> _Layers:
        return _Layers(
            [w.copy() for w in self.weights], [b.copy() for b in self.biases], self.exact
        )

    def scale_neuron(self, layer: int, i: int, lam: Any) -> None:
        """Multiply neuron ``i`` of hidden layer ``layer`` in by ``lam``, out by ``1/lam``."""
        self.weights[layer][i] = self.weights[layer][i] * lam
        self.biases[layer][i] = self.biases[layer][i] * lam
        self.weights[layer + 1][:, i] = self.weights[layer + 1][:, i] / lam

    def permute(self, layer: int, order: np.ndarray) -> None:
        self.weights[layer] = self.weights[layer][order]
        self.biases[layer] = self.biases[layer][order]
        self.weights[layer + 1] = self.weights[layer + 1][:, order]

    def params(self) -> np.ndarray:
        parts = [np.asarray(w, dtype=np.float64).ravel() for w in self.weights]
        parts += [np.asarray(b, dtype=np.float64) for b in self.biases]
        return np.concatenate(parts)


def _layers(net: Any) -> tuple[_Layers, Any]:
    if isinstance(net, ShallowNet):
        k = net.n_outputs
        c = (
            net.c
            if net.c is not None
            else np.array([Fraction(0) if net.exact else 0.0] * k, dtype=net.a.dtype)
        )
        return _Layers(
            [np.array(net.w), np.array(net.a)], [np.array(net.b), np.array(c)], net.exact
        ), net
    if isinstance(net, ReLUNet):
        return _Layers(
            [np.array(w) for w in net.weights], [np.array(b) for b in net.biases], net.exact
        ), net
    raise InvalidInputError(
        f"align needs ReLUNet or ShallowNet arguments, got {type(net).__name__}"
    )


def _rebuild(layers: _Layers, like: Any) -> Any:
    if isinstance(like, ShallowNet):
        return ShallowNet._trusted(
            layers.weights[0],
            layers.biases[0],
            layers.weights[1],
            None if like.c is None else layers.biases[1],
            like.v,
            layers.exact,
        )
    return like._rebuild(layers.weights, layers.biases, exact=layers.exact)


def _normalise(layers: _Layers) -> list[list[Any]]:
    """Rescale every hidden neuron to L1 norm 1 of (weights in, bias); return the scales."""
    scales = []
    one = Fraction(1) if layers.exact else 1.0
    for l in range(len(layers.weights) - 1):
        current = []
        for i in range(layers.weights[l].shape[0]):
            norm = sum(abs(v) for v in layers.weights[l][i]) + abs(layers.biases[l][i])
            lam = one / norm if norm != 0 else one
            layers.scale_neuron(l, i, lam)
            current.append(one / lam)
        scales.append(current)
    return scales


def _incoming(layers: _Layers, l: int) -> np.ndarray:
    return np.hstack(
        [
            np.asarray(layers.weights[l], dtype=np.float64),
            np.asarray(layers.biases[l], dtype=np.float64)[:, None],
        ]
    )


def _match(a: _Layers, b: _Layers, l: int, *, outgoing: bool) -> np.ndarray:
    """Order of ``b``'s neurons in layer ``l`` that best matches ``a``: squared distances of the
    incoming weights and biases (previous layers aligned), plus those of the outgoing weights
    when the next layer is aligned too."""
    ia, ib = _incoming(a, l), _incoming(b, l)
    dist = (ia**2).sum(1)[:, None] + (ib**2).sum(1)[None, :] - 2 * ia @ ib.T
    if outgoing:
        wa = np.asarray(a.weights[l + 1], dtype=np.float64)
        wb = np.asarray(b.weights[l + 1], dtype=np.float64)
        dist += (wa**2).sum(0)[:, None] + (wb**2).sum(0)[None, :] - 2 * wa.T @ wb
    _, order = linear_sum_assignment(np.maximum(dist, 0.0))
    return order


def align(
    net_a: Any,
    net_b: Any,
    *,
    exact: bool | None = None,
    tol: float | Tolerances | None = None,
    max_sweeps: int = 20,
) -> Alignment:
    """Permute and rescale the hidden neurons of ``net_b`` to match ``net_a``.

    Parameters
    ----------
    net_a, net_b : ReLUNet or ShallowNet
        The same architecture and activation (shallow or deep).
    exact : bool, optional
        Rational arithmetic (default: exact when both nets are).
    tol : float or Tolerances, optional
        Float mode: relative tolerance of ``equal``.
    max_sweeps : int
        Coordinate-descent sweeps over the layers after the first forward matching.

    Returns
    -------
    Alignment

    Raises
    ------
    InvalidInputError
        Different architectures (the message names both) or net types.
    UnsupportedLayerError
        Different activations.

    Examples
    --------
    >>> a = ShallowNet([[1, 2], [3, -1], [0, 1]], [1, 0, 2], [[1, -1, 2]], c=[0], exact=True)
    >>> b = ShallowNet([[0, 3], [2, 4], ["3/2", "-1/2"]], [6, 2, 0], [["2/3", "1/2", -2]],
    ...                c=[0], exact=True)
    >>> res = align(a, b)
    >>> res.equal, res.permutations, res.net == a
    (True, ((1, 2, 0),), True)
    """
    if type(net_a) is not type(net_b) or not isinstance(net_a, ReLUNet | ShallowNet):
        raise InvalidInputError(
            f"align needs two ReLUNets or two ShallowNets, got {type(net_a).__name__} and "
            f"{type(net_b).__name__}"
        )
    arch_a = tuple(net_a.architecture)
    arch_b = tuple(net_b.architecture)
    if arch_a != arch_b:
        raise InvalidInputError(
            f"align: the networks have different architectures {'-'.join(map(str, arch_a))} and "
            f"{'-'.join(map(str, arch_b))}; alignment needs the same widths"
        )
    if isinstance(net_a, ReLUNet) and Fraction(net_a.negative_slope) != Fraction(
        net_b.negative_slope
    ):
        raise UnsupportedLayerError(
            f"align: the activations differ ({net_a.activation} vs {net_b.activation})"
        )
    if isinstance(net_a, ShallowNet) and (
        (net_a.c is None) != (net_b.c is None) or (net_a.v is None) != (net_b.v is None)
    ):
        raise InvalidInputError("align: the nets differ in output bias or skip term")
    tolerances = check_tol(tol)
    if exact is None:
        exact = bool(net_a.exact and net_b.exact)
    a_net = net_a.to_exact() if exact else net_a.to_float()
    b_net = net_b.to_exact() if exact else net_b.to_float()
    a_layers, _ = _layers(a_net)
    b_layers, like = _layers(b_net)
    before = float(np.abs(a_layers.params() - b_layers.params()).max(initial=0.0))
    a_norm = a_layers.copy()
    b_norm = b_layers.copy()
    scales_a = _normalise(a_norm)
    scales_b = _normalise(b_norm)
    hidden = len(a_layers.weights) - 1
    perms = [np.arange(a_layers.weights[l].shape[0]) for l in range(hidden)]
    work = b_norm.copy()
    for sweep in range(max_sweeps + 1):
        changed = False
        for l in range(hidden):
            # the first forward pass sees only aligned layers: the next one is not yet, except
            # the output layer
            order = _match(a_norm, work, l, outgoing=sweep > 0 or l == hidden - 1)
            if (order != np.arange(len(order))).any():
                changed = True
                work.permute(l, order)
                perms[l] = perms[l][order]
        if not changed and sweep > 0:
            break
    # rescale the matched neurons to the first net's scales
    final = b_layers.copy()
    scales: list[tuple[Any, ...]] = []
    for l in range(hidden):
        final.permute(l, perms[l])
        lams = tuple(scales_a[l][i] / scales_b[l][perms[l][i]] for i in range(len(perms[l])))
        for i, lam in enumerate(lams):
            final.scale_neuron(l, i, lam)
        scales.append(lams)
    after = float(np.abs(a_layers.params() - final.params()).max(initial=0.0))
    if exact:
        equal = all(
            bool((x == y).all())
            for x, y in zip(
                [*a_layers.weights, *a_layers.biases], [*final.weights, *final.biases], strict=True
            )
        )
    else:
        size = float(np.abs(a_layers.params()).max(initial=0.0)) or 1.0
        equal = bool(tolerances.is_zero(after, size))
    return Alignment(
        _rebuild(final, like),
        tuple(tuple(int(i) for i in p) for p in perms),
        tuple(scales),
        before,
        after,
        equal,
        exact,
    )
