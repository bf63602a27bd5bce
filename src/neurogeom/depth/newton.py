"""Newton pairs: a ReLU network's function as a difference of support functions.

Every positively homogeneous continuous piecewise-linear function is ``f = h_P - h_N`` for two
polytopes ``(P, N)``, its *Newton pair* (``h_P(x) = max_{p in P} <p, x>``). A ReLU network's pair
is built neuron by neuron (``specs/polytopes-and-depth.md`` §1.3):

- input ``x_j``: ``({e_j}, {0})``;
- ``z = Σ w_j y_j``: ``P_z = Σ_{w_j>0} w_j P_j + Σ_{w_j<0} |w_j| N_j`` and ``N_z`` the other way;
- ``relu(z) = max(h_{P_z}, h_{N_z}) - h_{N_z}``: the pair ``(conv(P_z ∪ N_z), N_z)``.

Biases are handled by homogenisation: a bias is a weight on an extra input ``t``, so the pair
lives in ``R^{n+1}`` and ``f(x) = h_P(x, 1) - h_N(x, 1)``. Every polytope is pruned to its
vertices after every operation (exactly).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from neurogeom.core.budget import Budget, OutOfBudget
from neurogeom.core.errors import BudgetExceededError, InvalidInputError, UnsupportedLayerError
from neurogeom.core.progress import progress_bar
from neurogeom.core.random import check_rng
from neurogeom.core.rationals import fraction_to_json, to_fraction
from neurogeom.nets.relu import ReLUNet
from neurogeom.polytopes import Polytope, lattice_volume, minkowski_sum

__all__ = ["NewtonPair", "check_newton_pair", "function_pair", "newton_pair"]


@dataclass(frozen=True, slots=True)
class NewtonPair:
    """A pair of polytopes ``(P, N)`` with ``f = h_P - h_N``.

    Attributes
    ----------
    positive, negative : Polytope
        ``P`` and ``N``.
    n_inputs : int
        Number of inputs ``n`` of ``f``.
    homogenized : bool
        Whether the pair lives in ``R^{n+1}`` (biases as a last coordinate; then
        ``f(x) = h_P(x, 1) - h_N(x, 1)``) or in ``Rⁿ`` (``f`` positively homogeneous).
    name : str
        What the pair describes (a network or a named function).

    Examples
    --------
    ``max(x, y) = relu(x - y) + relu(y) - relu(-y)`` (HBDS Fig. 1):

    >>> net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])
    >>> pair = newton_pair(net)
    >>> pair.positive.n_vertices, pair.negative.n_vertices
    (4, 2)
    >>> pair(["3", "1/2"])
    Fraction(3, 1)
    """

    positive: Polytope
    negative: Polytope
    n_inputs: int
    homogenized: bool
    name: str = ""

    def __call__(self, x: Any) -> Fraction:
        """Evaluate ``f`` exactly at one point ``x`` (length ``n_inputs``)."""
        values = [to_fraction(v, name="x") for v in np.asarray(x, dtype=object).reshape(-1)]
        if len(values) != self.n_inputs:
            raise InvalidInputError(
                f"x has {len(values)} coordinates but the function has {self.n_inputs} inputs"
            )
        if self.homogenized:
            values.append(Fraction(1))
        return self.positive.support(values) - self.negative.support(values)

    def recession(self) -> NewtonPair:
        """The pair of the recession function ``x ↦ lim f(λx)/λ`` (biases dropped).

        This is the function of the same network with every bias set to zero, so any network
        computing ``f`` gives one of the same depth and weights computing it: depth lower bounds
        for it hold for ``f``. For a bias-free pair it is the pair itself.

        Examples
        --------
        >>> net = ReLUNet([[[1]], [[1]]], [[1], [0]])        # relu(x + 1)
        >>> rec = newton_pair(net).recession()
        >>> rec.homogenized, rec.positive.vertices
        (False, ((Fraction(0, 1),), (Fraction(1, 1),)))
        """
        if not self.homogenized:
            return self
        n = self.n_inputs
        drop = [[int(i == j) for j in range(n + 1)] for i in range(n)]
        return NewtonPair(
            self.positive.linear_image(drop),
            self.negative.linear_image(drop),
            n,
            False,
            f"recession of {self.name}" if self.name else "recession",
        )

    def reduced(self) -> NewtonPair:
        """``(P ⊖ N, {0})`` when ``N`` is a Minkowski summand of ``P`` (then ``f = h_{P ⊖ N}``
        is convex), else the pair itself. Needs a full-dimensional ``P`` (else returned as is).

        Examples
        --------
        >>> pair = newton_pair(ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]]))
        >>> [[int(v) for v in q] for q in pair.reduced().positive.vertices]     # [e1, e2]
        [[0, 1], [1, 0]]
        """
        from neurogeom.polytopes import minkowski_difference

        p, n = self.positive, self.negative
        if n.n_vertices == 1 or p.dim != p.ambient_dim:
            return self
        diff = minkowski_difference(p, n)
        if diff is None or diff + n != p:
            return self
        zero = Polytope.point([0] * p.ambient_dim)
        return NewtonPair(diff, zero, self.n_inputs, self.homogenized, self.name)

    def is_linear(self) -> bool:
        """Whether ``h_P - h_N`` is linear, i.e. ``P`` is a translate of ``N``.

        For a homogenised pair this is the function of ``(x, t)``; ``f`` is then affine, but an
        affine ``f`` may come with a pair that is not (its values at ``t < 0`` can bend).

        Examples
        --------
        >>> newton_pair(ReLUNet([[[1], [-1]], [[1, -1]]])).is_linear()    # relu(x) - relu(-x) = x
        True
        """
        p, n = self.positive, self.negative
        if p.n_vertices != n.n_vertices or p.dim != n.dim:
            return False
        shift = [a - b for a, b in zip(p.vertices[0], n.vertices[0], strict=True)]
        return n.translate(shift) == p

    def sizes(self) -> dict[str, Any]:
        """Vertex counts, dimensions and lattice volumes of ``P`` and ``N``.

        Examples
        --------
        >>> newton_pair(ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])).sizes()["positive"]
        {'vertices': 4, 'dimension': 2, 'lattice_volume': 2}
        """
        return {
            "positive": _size(self.positive),
            "negative": _size(self.negative),
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "name": self.name,
            "n_inputs": self.n_inputs,
            "homogenized": self.homogenized,
            "positive": self.positive.to_dict(),
            "negative": self.negative.to_dict(),
            "sizes": self.sizes(),
        }


def _size(p: Polytope) -> dict[str, Any]:
    return {
        "vertices": p.n_vertices,
        "dimension": p.dim,
        "lattice_volume": fraction_to_json(lattice_volume(p)),
    }


def _unit(n: int, j: int) -> Polytope:
    return Polytope.point([int(i == j) for i in range(n)])


def newton_pair(
    net: ReLUNet,
    *,
    output: int = 0,
    check: bool = True,
    seed: Any = 0,
    progress: bool = False,
    time_limit: float | None = None,
) -> NewtonPair:
    """The Newton pair ``(P, N)`` of one output of a ReLU network, exactly.

    Parameters
    ----------
    net : ReLUNet
        A ReLU network (not leaky); float weights are read as the exact binary rationals they
        hold, exact weights as written.
    output : int, default 0
        Which output.
    check : bool, default True
        Check ``f(x) = h_P(x, 1) - h_N(x, 1)`` exactly at 8 random rational points
        (:func:`check_newton_pair`).
    seed : int or Generator, default 0
        Seed of the check points.
    progress : bool, default False
        Progress bar over the neurons.
    time_limit : float, optional
        Seconds; :class:`~neurogeom.core.errors.BudgetExceededError` when exceeded.

    Returns
    -------
    NewtonPair
        In ``Rⁿ`` when every bias is zero, else in ``R^{n+1}`` (homogenised).

    Notes
    -----
    Cost: a Minkowski sum per weight and a hull per neuron, each pruned exactly; the vertex
    counts grow quickly with width and depth (a pair of a wide net can have thousands of
    vertices). Integer weights give lattice polytopes; ``N``-ary weights give vertices in
    ``Z[1/N]ⁿ``.

    References
    ----------
    Zhang, Naitzat, Lim, arXiv 1805.07091, Lemma 6.2; Haase, Hertrich, Loho, arXiv 2302.12553.

    Examples
    --------
    >>> net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])
    >>> pair = newton_pair(net)
    >>> [[int(v) for v in p] for p in pair.positive.vertices]
    [[0, 2], [0, 3], [1, 1], [1, 2]]
    >>> [[int(v) for v in p] for p in pair.negative.vertices]
    [[0, 1], [0, 2]]
    """
    if not isinstance(net, ReLUNet):
        raise InvalidInputError(f"newton_pair needs a ReLUNet, got {type(net).__name__}")
    if net.negative_slope != 0:
        raise UnsupportedLayerError(
            "Newton pairs are defined here for ReLU networks only; this network uses "
            f"leaky ReLU with slope {net.negative_slope}"
        )
    if not 0 <= output < net.n_outputs:
        raise InvalidInputError(f"output must be between 0 and {net.n_outputs - 1}, got {output}")
    exact = net if net.exact else net.to_exact()
    n = exact.n_inputs
    homog = any(v != 0 for b in exact.biases for v in b)
    dim = n + 1 if homog else n
    zero = Polytope.point([0] * dim)
    pairs = [(_unit(dim, j), zero) for j in range(n)]
    bias_pair = (_unit(dim, n), zero) if homog else None
    budget = Budget.start(time_limit=time_limit)
    total = sum(w.shape[0] for w in exact.weights[:-1]) + 1
    with progress_bar(progress, total=total, desc="Newton pair", unit="neuron") as bar:
        try:
            for layer, (w, b) in enumerate(exact.layers):
                last = layer == exact.n_layers - 1
                rows = [output] if last else range(w.shape[0])
                new = []
                for r in rows:
                    budget.check()
                    pos, neg = _combine(pairs, w[r], b[r], bias_pair, zero)
                    new.append((pos, neg) if last else (pos.hull(neg), neg))
                    bar.update()
                pairs = new
        except OutOfBudget:
            raise BudgetExceededError(
                f"the Newton pair ran out of its time limit of {time_limit} s"
            ) from None
    label = net.name or f"ReLUNet{exact.architecture}"
    pair = NewtonPair(pairs[0][0], pairs[0][1], n, homog, label)
    if check:
        check_newton_pair(pair, exact, output=output, seed=seed)
    return pair


def _combine(
    pairs: list[tuple[Polytope, Polytope]],
    weights: np.ndarray,
    bias: Fraction,
    bias_pair: tuple[Polytope, Polytope] | None,
    zero: Polytope,
) -> tuple[Polytope, Polytope]:
    """The pair of ``Σ w_j y_j + b`` from the pairs of the ``y_j``."""
    pos_terms, neg_terms = [zero], [zero]
    items = list(zip(weights, pairs, strict=True))
    if bias_pair is not None and bias != 0:
        items.append((bias, bias_pair))
    for wj, (pj, nj) in items:
        if wj > 0:
            pos_terms.append(pj.scale(wj))
            neg_terms.append(nj.scale(wj))
        elif wj < 0:
            pos_terms.append(nj.scale(-wj))
            neg_terms.append(pj.scale(-wj))
    return minkowski_sum(pos_terms), minkowski_sum(neg_terms)


def check_newton_pair(
    pair: NewtonPair, net: ReLUNet, *, output: int = 0, n_points: int = 8, seed: Any = 0
) -> None:
    """Check ``net(x)[output] == h_P(x, 1) - h_N(x, 1)`` exactly at random rational points.

    Raises
    ------
    AssertionError
        With the first point where they differ (a bug: please report it).

    Examples
    --------
    >>> net = ReLUNet([[[1], [-1]], [[1, 1]]], [[1, 0], [0]])       # relu(x + 1) + relu(-x)
    >>> check_newton_pair(newton_pair(net, check=False), net)
    """
    rng = check_rng(seed)
    exact = net if net.exact else net.to_exact()
    for _ in range(n_points):
        x = [
            Fraction(int(a), int(b))
            for a, b in zip(
                rng.integers(-50, 51, size=pair.n_inputs),
                rng.integers(1, 8, size=pair.n_inputs),
                strict=True,
            )
        ]
        expected = exact.evaluate(np.array(x, dtype=object))[output]
        got = pair(x)
        if got != expected:
            raise AssertionError(
                f"internal error: the Newton pair gives {got} but the network {expected} at "
                f"x = {[str(v) for v in x]}"
            )


def function_pair(name: str) -> NewtonPair:
    """The Newton pair of a named function: ``max:n`` (MAX_n) or ``F_n`` (``max(0, x_1..x_n)``).

    Parameters
    ----------
    name : str
        ``"max:n"`` for ``max(x_1, ..., x_n)``, ``"F_n"`` (or ``"F:n"``) for
        ``max(0, x_1, ..., x_n)``; ``n >= 1``.

    Examples
    --------
    >>> pair = function_pair("max:3")
    >>> pair.positive.dim, pair.negative.n_vertices, pair([1, 5, 2])
    (2, 1, Fraction(5, 1))
    >>> function_pair("F_2")([-1, -2])
    Fraction(0, 1)
    """
    kind, n = parse_function(name)
    if kind == "max":
        pos = Polytope([[int(i == j) for j in range(n)] for i in range(n)])
        label = f"MAX_{n}"
    else:
        pos = Polytope.simplex(n)
        label = f"F_{n}"
    return NewtonPair(pos, Polytope.point([0] * n), n, False, label)


def parse_function(name: str) -> tuple[str, int]:
    """Parse ``"max:n"`` / ``"F_n"`` / ``"F:n"`` into ``("max" | "F", n)``.

    Examples
    --------
    >>> parse_function("max:8"), parse_function("F_4")
    (('max', 8), ('F', 4))
    """
    text = str(name).strip()
    kind = None
    for prefix, k in (("max:", "max"), ("MAX_", "max"), ("F_", "F"), ("F:", "F"), ("f:", "F")):
        if text.startswith(prefix):
            kind, rest = k, text[len(prefix) :]
            break
    if kind is None:
        raise InvalidInputError(
            f"unknown function {name!r}: use 'max:n' (max of n numbers) or 'F_n' "
            "(max(0, x_1, ..., x_n))"
        )
    if not rest.isdigit() or int(rest) < 1:
        raise InvalidInputError(
            f"the number of inputs in {name!r} must be a positive integer, got {rest!r}"
        )
    return kind, int(rest)
