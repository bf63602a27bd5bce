"""Known depth-efficient networks and an exact verifier for them.

- :func:`max_tree_net`: ``max(x_1, ..., x_n)`` by a binary tree of max gates
  ``max(a, b) = relu(a - b) + relu(b) - relu(-b)``: integer weights, ``⌈log2 n⌉`` hidden layers.
- :func:`bakaev_max5_net`: the two-hidden-layer network for ``max(x_1, ..., x_5)`` of Bakaev,
  Brunck, Hertrich, Stade, Yehudayoff (arXiv 2505.14338, eq. (2)): half a signed sum of nine
  two-layer maxima of integer linear forms, so the weights are integers and ``±1/2``.
- :func:`verify_construction` proves that a network computes ``max:n`` / ``F_n`` exactly, by the
  Minkowski identity ``P = T + N`` of its Newton pair ``(P, N)`` and the target's polytope ``T``
  (``h_P - h_N = h_T`` iff ``P = T + N``), and checks exact values at random rational points.
- :func:`explain_denominators` relates a construction's weight denominators to the ``N``-ary
  theorem of Averkov, Hojny, Merkert (a network with ``k`` hidden layers for ``MAX_n`` must
  have a denominator divisible by every prime ``p`` with ``⌈log_p n⌉ > k``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from neurogeom.core.errors import BudgetExceededError, InvalidInputError
from neurogeom.core.random import check_rng
from neurogeom.depth.bounds import _log_ceil, _primes_up_to
from neurogeom.depth.newton import function_pair, newton_pair, parse_function
from neurogeom.nets.relu import ReLUNet
from neurogeom.polytopes import Polytope, minkowski_sum

__all__ = [
    "ConstructionCheck",
    "ConstructionTerm",
    "bakaev_max5_net",
    "bakaev_max5_terms",
    "explain_denominators",
    "max_tree_net",
    "verify_construction",
]

_Form = dict[int, int]  # a linear form: coefficients by index (inputs or previous values)


def _zeros(rows: int, cols: int) -> list[list[Fraction]]:
    return [[Fraction(0)] * cols for _ in range(rows)]


class _Builder:
    """Builds a ReLU net layer by layer from *values*: linear forms in the previous layer.

    A value is a list of ``(coefficient, neuron)`` over the current hidden layer (or the inputs
    at the start). A layer is a list of *gates*: ``("max", L1, L2)`` giving ``max(L1, L2) =
    relu(L1 - L2) + relu(L2) - relu(-L2)`` (3 neurons) or ``("id", L)`` giving
    ``L = relu(L) - relu(-L)`` (2 neurons), where ``L1, L2, L`` are linear combinations of the
    current values.
    """

    def __init__(self, n_inputs: int) -> None:
        self.n_inputs = n_inputs
        # values as forms over the current "source" (inputs first): value -> {source: coef}
        self.values: list[dict[int, Fraction]] = [{i: Fraction(1)} for i in range(n_inputs)]
        self.width = n_inputs
        self.weights: list[list[list[Fraction]]] = []

    def _compose(self, combo: _Form) -> dict[int, Fraction]:
        out: dict[int, Fraction] = {}
        for v, c in combo.items():
            for s, a in self.values[v].items():
                out[s] = out.get(s, Fraction(0)) + c * a
        return out

    def layer(self, gates: list[tuple[Any, ...]]) -> None:
        rows: list[dict[int, Fraction]] = []
        new_values: list[dict[int, Fraction]] = []
        for gate in gates:
            if gate[0] == "max":
                a, b = self._compose(gate[1]), self._compose(gate[2])
                diff = {k: a.get(k, Fraction(0)) - b.get(k, Fraction(0)) for k in a | b}
                start = len(rows)
                rows += [diff, b, {k: -v for k, v in b.items()}]
                new_values.append(
                    {start: Fraction(1), start + 1: Fraction(1), start + 2: Fraction(-1)}
                )
            elif gate[0] == "id":
                a = self._compose(gate[1])
                start = len(rows)
                rows += [a, {k: -v for k, v in a.items()}]
                new_values.append({start: Fraction(1), start + 1: Fraction(-1)})
            else:  # pragma: no cover - internal
                raise ValueError(gate[0])
        w = _zeros(len(rows), self.width)
        for r, form in enumerate(rows):
            for k, v in form.items():
                w[r][k] = v
        self.weights.append(w)
        self.values = new_values
        self.width = len(rows)

    def output(self, combo: dict[int, Fraction]) -> ReLUNet:
        form = self._compose({k: v for k, v in combo.items()})  # type: ignore[arg-type]
        w = _zeros(1, self.width)
        for k, v in form.items():
            w[0][k] = v
        weights = [*self.weights, w]
        return ReLUNet(weights, exact=True)


def max_tree_net(n: int) -> ReLUNet:
    """A network for ``max(x_1, ..., x_n)`` with integer weights and ``⌈log2 n⌉`` hidden layers.

    Values are paired and each pair replaced by its maximum
    (``max(a, b) = relu(a - b) + relu(b) - relu(-b)``); an unpaired value is carried as
    ``relu(a) - relu(-a)``.

    Examples
    --------
    >>> net = max_tree_net(5)
    >>> net.n_layers - 1, net([3, -1, 7, 2, 5])
    (3, array([Fraction(7, 1)], dtype=object))
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise InvalidInputError(f"max_tree_net needs a positive integer n, got {n!r}")
    b = _Builder(int(n))
    count = int(n)
    if count == 1:
        return ReLUNet([[[1]]], exact=True)
    while count > 1:
        gates: list[tuple[Any, ...]] = []
        for i in range(0, count - 1, 2):
            gates.append(("max", {i: 1}, {i + 1: 1}))
        if count % 2:
            gates.append(("id", {count - 1: 1}))
        b.layer(gates)
        count = len(gates)
    return b.output({0: Fraction(1)})


@dataclass(frozen=True, slots=True)
class ConstructionTerm:
    """One term ``coefficient · h_Q`` of a signed sum of convex functions.

    Attributes
    ----------
    coefficient : Fraction
    net : ReLUNet
        A network computing ``h_Q``.
    polytope : Polytope
        ``Q``, the Newton polytope of the term.
    label : str
    """

    coefficient: Fraction
    net: ReLUNet
    polytope: Polytope
    label: str


def _point(form: dict[int, int], n: int) -> Polytope:
    return Polytope.point([form.get(i, 0) for i in range(n)])


def _two_layer_term(
    label: str, left: list[tuple[Any, ...]], right: list[tuple[Any, ...]], n: int
) -> ConstructionTerm:
    """``max(Σ left gates, Σ right gates)`` where a gate is ``("max", L1, L2)`` or ``("id", L)``.

    Returns the two-hidden-layer network and the term's polytope
    ``conv(Σ_left Q_g ∪ Σ_right Q_g)`` with ``Q_g = conv(L1, L2)`` or ``{L}``.
    """
    b = _Builder(n)
    b.layer([*left, *right])
    k = len(left)
    b.layer([("max", dict.fromkeys(range(k), 1), dict.fromkeys(range(k, k + len(right)), 1))])
    net = b.output({0: Fraction(1)})

    def gate_poly(g: tuple[Any, ...]) -> Polytope:
        if g[0] == "max":
            return _point(g[1], n).hull(_point(g[2], n))
        return _point(g[1], n)

    left_poly = minkowski_sum(gate_poly(g) for g in left)
    right_poly = minkowski_sum(gate_poly(g) for g in right)
    return ConstructionTerm(Fraction(1), net, left_poly.hull(right_poly), label)


def bakaev_max5_terms() -> tuple[ConstructionTerm, ...]:
    """The nine signed terms of the Bakaev et al. network for ``max(x_1, ..., x_5)``.

    ``M = ½ (P1 + P2 + P3 + P4 + Q - R13 - R14 - R23 - R24)`` with

    - ``P1 = max(max(2x5, x1 + x2), max(x1, x3) + max(x1, x4))``, ``P2`` the same with ``x2``
      in place of ``x1``;
    - ``P3 = max(max(2x5, x3 + x4), max(x3, x1) + max(x3, x2))``, ``P4`` with ``x4`` for ``x3``;
    - ``Q = max(2x5, x1 + x2, x3 + x4)``; ``Rij = max(2x5, xi + xj, x1 + x2, x3 + x4)``.

    Every term is a two-hidden-layer network of max gates with integer weights.

    Examples
    --------
    >>> terms = bakaev_max5_terms()
    >>> len(terms), [str(t.coefficient) for t in terms[:5]], terms[0].polytope.n_vertices
    (9, ['1/2', '1/2', '1/2', '1/2', '1/2'], 6)
    """
    n = 5
    x = [{i: 1} for i in range(n)]

    def add(*forms: dict[int, int]) -> dict[int, int]:
        out: dict[int, int] = {}
        for f in forms:
            for key, v in f.items():
                out[key] = out.get(key, 0) + v
        return out

    two_x5 = {4: 2}
    half = Fraction(1, 2)
    terms = []
    for name, (a, bb, c, d) in zip(
        ("P1", "P2", "P3", "P4"),
        ((0, 1, 2, 3), (1, 0, 2, 3), (2, 3, 0, 1), (3, 2, 0, 1)),
        strict=True,
    ):
        term = _two_layer_term(
            name,
            [("max", two_x5, add(x[a], x[bb]))],
            [("max", x[a], x[c]), ("max", x[a], x[d])],
            n,
        )
        terms.append(term)
    terms.append(
        _two_layer_term("Q", [("max", two_x5, add(x[0], x[1]))], [("id", add(x[2], x[3]))], n)
    )
    signs = [half] * 5
    for i, j in ((0, 2), (0, 3), (1, 2), (1, 3)):
        terms.append(
            _two_layer_term(
                f"R{i + 1}{j + 1}",
                [("max", two_x5, add(x[i], x[j]))],
                [("max", add(x[0], x[1]), add(x[2], x[3]))],
                n,
            )
        )
        signs.append(-half)
    return tuple(
        ConstructionTerm(sign, t.net, t.polytope, t.label)
        for sign, t in zip(signs, terms, strict=True)
    )


def _combine_terms(terms: tuple[ConstructionTerm, ...]) -> ReLUNet:
    net = None
    for t in terms:
        part = t.net * t.coefficient
        net = part if net is None else net + part
    assert net is not None
    return net


def bakaev_max5_net() -> ReLUNet:
    """The two-hidden-layer network for ``max(x_1, ..., x_5)`` of Bakaev et al. (eq. (2)).

    The sum of the terms of :func:`bakaev_max5_terms` as one network: integer weights inside,
    output weights ``±1/2``.

    References
    ----------
    Bakaev, Brunck, Hertrich, Stade, Yehudayoff, arXiv 2505.14338, eq. (2) and Prop 3.

    Examples
    --------
    >>> net = bakaev_max5_net()
    >>> net.n_layers - 1, net(["1/2", 3, -2, "7/3", 1])
    (2, array([Fraction(3, 1)], dtype=object))
    """
    return _combine_terms(bakaev_max5_terms())


@dataclass(frozen=True, slots=True)
class ConstructionCheck:
    """The outcome of :func:`verify_construction`.

    Attributes
    ----------
    target : str
        ``MAX_n`` or ``F_n``.
    computes : bool or None
        Whether the Minkowski identity holds (a proof that the construction computes the target
        everywhere); ``None`` if the time limit stopped the check.
    evaluation_ok : bool
        Whether exact values agreed at every sample point.
    n_points : int
    hidden_layers : int
    denominator : int
        The least common denominator of all weights and biases.
    pair_vertices : tuple of int
        Vertex counts of the two sides of the identity checked.
    explanation : str
        :func:`explain_denominators`.
    """

    target: str
    computes: bool | None
    evaluation_ok: bool
    n_points: int
    hidden_layers: int
    denominator: int
    pair_vertices: tuple[int, int]
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "target": self.target,
            "computes": self.computes,
            "evaluation_ok": self.evaluation_ok,
            "n_points": self.n_points,
            "hidden_layers": self.hidden_layers,
            "denominator": self.denominator,
            "pair_vertices": list(self.pair_vertices),
            "explanation": self.explanation,
        }


def _denominator(net: ReLUNet) -> int:
    exact = net if net.exact else net.to_exact()
    dens = [Fraction(v).denominator for w, b in exact.layers for v in [*w.flat, *b.flat]]
    return math.lcm(*dens) if dens else 1


def verify_construction(
    construction: ReLUNet | tuple[ConstructionTerm, ...],
    target: str,
    *,
    n_points: int = 200,
    seed: Any = 0,
    time_limit: float | None = None,
) -> ConstructionCheck:
    """Prove that a network (or a signed sum of convex terms) computes ``max:n`` or ``F_n``.

    Parameters
    ----------
    construction : ReLUNet or tuple of ConstructionTerm
        A network with one output, or terms ``c_i h_{Q_i}`` each with its own network (such as
        :func:`bakaev_max5_terms`).
    target : str
        ``"max:n"`` or ``"F_n"``.
    n_points : int, default 200
        Random rational points for the evaluation check (of the combined network).
    seed : int or Generator, default 0
    time_limit : float, optional
        Seconds for the Newton pair of a plain network, checked between neurons (one large hull
        can overrun it); when exceeded, ``computes`` is ``None`` (not decided) and only the
        evaluation check is reported.

    Returns
    -------
    ConstructionCheck

    Notes
    -----
    For a network, its Newton pair ``(P, N)`` is computed and ``P = T + N`` checked, which is
    ``h_P - h_N = h_T`` everywhere. For terms, each term's network is checked to compute
    ``h_{Q_i}`` (``P_i = Q_i + N_i`` for its own small pair), then the identity
    ``Σ_{c_i > 0} c_i Q_i = T + Σ_{c_i < 0} |c_i| Q_i`` (spec A7 (b)); this avoids the pair of
    the whole network, which is much larger. A network with biases is compared through its
    homogenised pair against ``T × {0}``.

    Examples
    --------
    >>> check = verify_construction(bakaev_max5_terms(), "max:5")
    >>> check.computes, check.evaluation_ok, check.hidden_layers, check.denominator
    (True, True, 2, 2)
    >>> verify_construction(max_tree_net(4), "max:4").computes
    True
    """
    kind, n = parse_function(target)
    goal = function_pair(target)
    if isinstance(construction, ReLUNet):
        net = construction
        terms = None
    else:
        terms = tuple(construction)
        if not terms or not all(isinstance(t, ConstructionTerm) for t in terms):
            raise InvalidInputError("construction must be a ReLUNet or a tuple of ConstructionTerm")
        net = _combine_terms(terms)
    if net.n_inputs != n or net.n_outputs != 1:
        raise InvalidInputError(
            f"the network has {net.n_inputs} inputs and {net.n_outputs} outputs; {target} needs "
            f"{n} inputs and 1 output"
        )
    computes: bool | None
    sizes = (0, 0)
    if terms is None:
        try:
            pair = newton_pair(net, check=False, time_limit=time_limit)
        except BudgetExceededError:
            computes = None
        else:
            if pair.homogenized:
                lift = [[int(i == j) for j in range(n)] for i in range(n)] + [[0] * n]
                t_poly = goal.positive.linear_image(lift)
            else:
                t_poly = goal.positive
            computes = pair.positive == t_poly + pair.negative
            sizes = (pair.positive.n_vertices, pair.negative.n_vertices)
    else:
        computes = True
        for t in terms:
            term_pair = newton_pair(t.net, check=False)
            if term_pair.homogenized or term_pair.positive != t.polytope + term_pair.negative:
                computes = False
        left = minkowski_sum([t.polytope * t.coefficient for t in terms if t.coefficient > 0])
        right = [goal.positive] + [t.polytope * -t.coefficient for t in terms if t.coefficient < 0]
        right_sum = minkowski_sum(right)
        computes = computes and left == right_sum
        sizes = (left.n_vertices, right_sum.n_vertices)
    rng = check_rng(seed)
    exact = net if net.exact else net.to_exact()
    ok = True
    for _ in range(n_points):
        x = [
            Fraction(int(a), int(c))
            for a, c in zip(
                rng.integers(-99, 100, size=n), rng.integers(1, 13, size=n), strict=True
            )
        ]
        expected = max(x) if kind == "max" else max([Fraction(0), *x])
        if exact.evaluate(np.array(x, dtype=object))[0] != expected:
            ok = False
            break
    return ConstructionCheck(
        goal.name,
        computes,
        ok,
        n_points,
        net.n_layers - 1,
        _denominator(net),
        sizes,
        explain_denominators(net, target),
    )


def explain_denominators(net: ReLUNet, target: str) -> str:
    """Why the network's weight denominators are what the ``N``-ary theorem demands.

    AHM Thm 2 (for ``MAX_n``, equivalently ``F_{n-1}``): if no weight denominator is divisible
    by the prime ``p``, any network for ``MAX_n`` has at least ``⌈log_p n⌉`` hidden layers. So a
    network with ``k`` hidden layers must have a denominator divisible by every prime ``p`` with
    ``⌈log_p n⌉ > k``.

    Examples
    --------
    >>> print(explain_denominators(bakaev_max5_net(), "max:5"))  # doctest: +NORMALIZE_WHITESPACE
    MAX_5 with 2 hidden layers, weights with common denominator 2. By Averkov-Hojny-Merkert
    Thm 2, weights avoiding a prime p force at least ceil(log_p 5) hidden layers: p = 2 needs 3
    > 2, so 2 must divide the denominator, and it does. Consistent.
    """
    kind, n = parse_function(target)
    m = n if kind == "max" else n + 1
    k = net.n_layers - 1
    den = _denominator(net)
    needed = [p for p in _primes_up_to(m) if _log_ceil(p, m) > k]
    head = (
        f"MAX_{m} with {k} hidden layers, weights with common denominator {den}. "
        if kind == "max"
        else f"F_{n} (depth of MAX_{m}) with {k} hidden layers, common denominator {den}. "
    )
    if not needed:
        return head + (
            f"No prime p has ceil(log_p {m}) > {k}, so the N-ary theorem puts no condition on "
            "the denominators. Consistent."
        )
    parts = [f"p = {p} needs {_log_ceil(p, m)} > {k}" for p in needed]
    missing = [p for p in needed if den % p]
    tail = f"so {', '.join(map(str, needed))} must divide the denominator, and " + (
        "it does. Consistent."
        if not missing
        else f"{missing} do not: the network cannot "
        f"compute MAX_{m} (check it with verify_construction)."
    )
    return (
        head
        + "By Averkov-Hojny-Merkert Thm 2, weights avoiding a prime p force at least "
        + f"ceil(log_p {m}) hidden layers: "
        + "; ".join(parts)
        + ", "
        + tail
    )
