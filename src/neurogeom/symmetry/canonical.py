"""The canonical form of a shallow ReLU network: kink hyperplanes with coefficients, plus an affine
part.

Every shallow net ``f(x) = Σ_i a_i σ(w_i·x + b_i) + c + V x`` can be rewritten as

    ``f(x) = Σ_j α_j σ(u_j·x + β_j) + L x + d``

with distinct hyperplanes ``u_j·x + β_j = 0`` in a fixed orientation and nonzero coefficients
``α_j``. This is its canonical form. Two shallow nets compute the same function on ``R^m`` exactly
when their canonical forms agree: ``f`` is not differentiable exactly on the union of the
hyperplanes, the gradient jumps by ``α_j u_jᵀ`` across the ``j``-th, and what is left is affine.

The construction (Ramakrishnan, arXiv 2604.14037, rebuilt in the symmetries spec §2):

1. a neuron with ``a_i = 0`` is *dead* and contributes nothing;
2. a neuron with ``w_i = 0`` is *constant* and adds ``a_i σ(b_i)`` to ``d``;
3. otherwise ``(w_i, b_i) = r (s u, s β)`` with ``r > 0``, ``(u, β)`` the canonical orientation
   and ``s = ±1``; it adds ``r a_i`` to the coefficient of its hyperplane, and, when ``s = -1``,
   ``a_i w_iᵀ`` to ``L`` and ``a_i b_i`` to ``d`` (because ``σ(-z) = σ(z) - z``);
4. hyperplanes whose coefficients cancel are dropped (their neurons are *cancelled*).

Exact mode works in rationals and normalises ``u`` by its first nonzero coordinate (which becomes
1). Float mode uses unit normals oriented so that the first coordinate of size at least
``1/(2√m)`` is positive, groups nearly equal hyperplanes with
:func:`neurogeom.nets.geometry.group_hyperplanes` and treats coefficients as zero relative to the
net's own scale (see :class:`~neurogeom.core.tolerances.Tolerances`); decisions near their
threshold are listed in ``notes`` and make the form uncertified.

On a bounded domain a hyperplane that misses the interior is not a kink there: its term is either
zero on the domain (dropped) or affine (moved into ``L, d``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from neurogeom.core.domain import Domain, check_domain
from neurogeom.core.exact_lp import exact_maximize
from neurogeom.core.lp import LPModel
from neurogeom.core.rationals import json_number
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.nets.geometry import group_hyperplanes
from neurogeom.symmetry.shallow import ShallowNet, as_shallow

__all__ = ["CanonicalForm", "Kink", "canonical_form", "orientation_sign"]


def _zero(exact: bool) -> Any:
    return Fraction(0) if exact else 0.0


@dataclass(frozen=True, slots=True)
class Kink:
    """One kink hyperplane ``u·x + β = 0`` of a canonical form, with its coefficient.

    Attributes
    ----------
    normal : tuple
        ``u`` in canonical orientation (first nonzero coordinate 1 in exact mode, unit length in
        float mode).
    offset : number
        ``β``.
    coefficient : tuple
        ``α`` (one entry per output): the term is ``α σ(u·x + β)``; the gradient of ``f`` jumps
        by ``α uᵀ`` across the hyperplane.
    neurons : tuple of int
        The hidden neurons on this hyperplane.
    signs : tuple of int
        ``+1`` where a neuron's ``(w_i, b_i)`` is a positive multiple of ``(u, β)``, ``-1`` where
        it is a negative one.
    """

    normal: tuple[Any, ...]
    offset: Any
    coefficient: tuple[Any, ...]
    neurons: tuple[int, ...]
    signs: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "normal": [json_number(v) for v in self.normal],
            "offset": json_number(self.offset),
            "coefficient": [json_number(v) for v in self.coefficient],
            "neurons": list(self.neurons),
            "signs": list(self.signs),
        }


@dataclass(frozen=True, slots=True)
class CanonicalForm:
    """The canonical form ``Σ_j α_j σ(u_j·x + β_j) + L x + d`` of a shallow net on a domain.

    Attributes
    ----------
    kinks : tuple of Kink
        Distinct hyperplanes with nonzero coefficients, sorted.
    linear : tuple of tuple
        ``L``, shape ``(k, m)``.
    constant : tuple
        ``d``, shape ``(k,)``.
    domain : Domain
    exact : bool
    dead : tuple of int
        Neurons with output weight 0.
    constant_neurons : tuple of int
        Neurons with input weight 0 (and output weight not 0): constants ``a_i σ(b_i)``.
    cancelled : tuple of tuple of int
        Neurons sharing a hyperplane whose coefficients cancel (the group is affine).
    outside : tuple of (tuple of int, str)
        Neurons whose hyperplane misses the domain's interior, and what their term is there
        (``"affine on the domain"`` or ``"zero on the domain"``).
    notes : tuple of str
        Float decisions that came within the tolerance band (empty in exact mode).
    scales : dict
        Float mode: the slope scale (coefficients, ``L``), the length scale and the value scale
        (``d``) that tolerances multiply.
    tol : Tolerances or None
        The tolerances used (``None`` in exact mode).
    """

    kinks: tuple[Kink, ...]
    linear: tuple[tuple[Any, ...], ...]
    constant: tuple[Any, ...]
    domain: Domain
    exact: bool
    dead: tuple[int, ...] = ()
    constant_neurons: tuple[int, ...] = ()
    cancelled: tuple[tuple[int, ...], ...] = ()
    outside: tuple[tuple[tuple[int, ...], str], ...] = ()
    notes: tuple[str, ...] = ()
    scales: dict[str, float] = field(default_factory=dict, compare=False)
    tol: Tolerances | None = None

    @property
    def hyperplanes(self) -> tuple[Kink, ...]:
        """Alias of :attr:`kinks`."""
        return self.kinks

    @property
    def n_inputs(self) -> int:
        """Input dimension."""
        return self.domain.dim

    @property
    def n_outputs(self) -> int:
        """Output dimension."""
        return len(self.constant)

    @property
    def width(self) -> int:
        """Number of kink hyperplanes (the width of the form with a skip term)."""
        return len(self.kinks)

    @property
    def certified(self) -> bool:
        """Exact, or no float decision came near its threshold."""
        return self.exact or not self.notes

    @property
    def is_affine(self) -> bool:
        """Whether the function is affine on the domain (no kinks)."""
        return not self.kinks

    def to_net(self) -> ShallowNet:
        """A shallow net with a skip term computing this form: one neuron per kink.

        Examples
        --------
        >>> form = canonical_form(ShallowNet([[2], [-1]], [0, 0], [[1, 1]], exact=True))
        >>> form.to_net()
        ShallowNet(1-1-1, output bias, skip, exact)
        """
        k, m = self.n_outputs, self.n_inputs
        if self.kinks:
            w = [list(kk.normal) for kk in self.kinks]
            b = [kk.offset for kk in self.kinks]
            a = np.array([list(kk.coefficient) for kk in self.kinks], dtype=object).T
        else:  # a zero neuron keeps the shapes valid
            w = [[_zero(self.exact)] * m]
            b = [_zero(self.exact)]
            a = np.array([[_zero(self.exact)]] * k, dtype=object)
        return ShallowNet(
            w,
            b,
            a.tolist(),
            c=list(self.constant),
            v=[list(r) for r in self.linear],
            exact=self.exact,
        )

    def evaluate(self, x: Any) -> np.ndarray:
        """The form's value at ``x`` (one point or a batch).

        Examples
        --------
        >>> form = canonical_form(ShallowNet([[1], [-1]], None, [[1, 1]], exact=True))
        >>> [str(v) for v in form.evaluate([["-2"], ["3"]]).ravel()]  # |x|
        ['2', '3']
        """
        return self.to_net().evaluate(x)

    __call__ = evaluate

    def equals(self, other: CanonicalForm, *, tol: float | Tolerances | None = None) -> bool:
        """Whether two canonical forms describe the same function.

        Exact forms compare exactly. Otherwise both are compared in float: kinks are matched up
        to orientation (a flipped kink changes ``L, d`` by ``α uᵀ, α β``), then coefficients and
        the affine parts must agree within ``tol`` relative to the larger of the two scales.

        Examples
        --------
        >>> f = canonical_form(ShallowNet([[1], [-1]], None, [[1, 1]], exact=True))
        >>> g = canonical_form(ShallowNet([[2]], None, [[1]], v=[[-1]], exact=True))
        >>> f.equals(g), f.equals(canonical_form(ShallowNet([[1]], None, [[1]], exact=True)))
        (True, False)
        """
        if self.exact and other.exact:
            return (
                self.kinks_key() == other.kinks_key()
                and self.linear == other.linear
                and self.constant == other.constant
            )
        from neurogeom.symmetry.equivalence import are_equivalent

        return bool(are_equivalent(self.to_net(), other.to_net(), tol=tol, exact=False).equivalent)

    def kinks_key(self) -> tuple[Any, ...]:
        """The kinks as plain tuples (for exact comparison and hashing)."""
        return tuple((kk.normal, kk.offset, kk.coefficient) for kk in self.kinks)

    def to_float(self) -> CanonicalForm:
        """This form in float mode's convention: unit normals, float orientation rule.

        Examples
        --------
        >>> form = canonical_form(ShallowNet([[3, 4]], [5], [[1]], exact=True)).to_float()
        >>> form.kinks[0].normal, form.kinks[0].offset, form.kinks[0].coefficient
        ((0.6, 0.8), 1.0, (5.0,))
        """
        if not self.exact:
            return self
        net = self.to_net().to_float()
        return canonical_form(net, domain=self.domain, exact=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``hyperplanes`` and ``affine`` (the CLI contract), then bookkeeping."""
        out: dict[str, Any] = {
            "hyperplanes": [kk.to_dict() for kk in self.kinks],
            "affine": {
                "linear": [[json_number(v) for v in row] for row in self.linear],
                "constant": [json_number(v) for v in self.constant],
            },
            "width": self.width,
            "domain": self.domain.to_dict(),
            "exact": self.exact,
            "certified": self.certified,
            "normalization": "first nonzero coordinate = 1" if self.exact else "unit normal",
            "dead_neurons": list(self.dead),
            "constant_neurons": list(self.constant_neurons),
            "cancelled_groups": [list(g) for g in self.cancelled],
            "outside_domain": [{"neurons": list(g), "term": t} for g, t in self.outside],
        }
        if self.notes:
            out["notes"] = list(self.notes)
        return out

    def __repr__(self) -> str:
        mode = "exact" if self.exact else "float"
        where = "" if self.domain.kind == "space" else f", on {self.domain.describe()}"
        return f"CanonicalForm({self.width} kinks, {mode}{where})"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{[json_number(v) for v in kk.normal]}</td><td>{json_number(kk.offset)}</td>"
            f"<td>{[json_number(v) for v in kk.coefficient]}</td><td>{list(kk.neurons)}</td></tr>"
            for kk in self.kinks
        )
        return (
            f"<div><b>{self!r}</b><table><tr><th>u</th><th>β</th><th>α</th><th>neurons</th></tr>"
            f"{rows}</table>L = {[[json_number(v) for v in r] for r in self.linear]}, "
            f"d = {[json_number(v) for v in self.constant]}</div>"
        )


# -- orientation --------------------------------------------------------------------------------
def orientation_sign(u: Any, *, exact: bool) -> int:
    """``+1`` if ``u`` is in canonical orientation, ``-1`` if ``-u`` is.

    Exact: the first nonzero coordinate is positive. Float: the first coordinate of size at least
    ``‖u‖/(2√m)`` is positive (a tolerance-aware rule: such a coordinate exists and its sign does
    not change under perturbations smaller than that size).

    Examples
    --------
    >>> orientation_sign([0, -2, 1], exact=True), orientation_sign([1e-17, -1.0], exact=False)
    (-1, -1)
    """
    if exact:
        lead = next(v for v in u if v != 0)
        return 1 if lead > 0 else -1
    arr = np.asarray(u, dtype=np.float64)
    bound = np.linalg.norm(arr) / (2 * math.sqrt(len(arr)))
    lead = arr[np.flatnonzero(np.abs(arr) >= bound)[0]]
    return 1 if lead > 0 else -1


def _normaliser(w: np.ndarray, exact: bool) -> Any:
    """``r > 0`` with ``w / r`` normalised: first nonzero |coordinate| (exact), 2-norm (float)."""
    if exact:
        return abs(next(v for v in w if v != 0))
    return float(np.linalg.norm(w))


# -- the construction ---------------------------------------------------------------------------
@dataclass(slots=True)
class _Affine:
    """The affine part being accumulated: ``L`` (k, m) and ``d`` (k,)."""

    linear: np.ndarray
    constant: np.ndarray


@dataclass(frozen=True, slots=True)
class _Scales:
    """What float tolerances multiply: slopes (coefficients, L), lengths, values (d)."""

    slope: float
    length: float
    value: float

    def to_dict(self) -> dict[str, float]:
        return {"slope": self.slope, "length": self.length, "value": self.value}


def _scales(net: ShallowNet, domain: Domain) -> _Scales:
    f = net.to_float()
    norms = np.linalg.norm(f.w, axis=1)
    out_norms = np.abs(f.a).max(axis=0)
    slope = float((out_norms * norms).max(initial=0.0))
    if f.v is not None:
        slope = max(slope, float(np.abs(f.v).max(initial=0.0)))
    keep = norms > 0
    dists = np.abs(f.b[keep]) / norms[keep]
    # a bounded domain sets the length scale; on R^m (or an unbounded polyhedron) the farthest
    # hyperplane does, but never below 1, the unit of the inputs (hyperplanes all through the
    # origin have no length of their own)
    extent = domain.extent()
    if domain.bounded and extent > 0:
        length = max(extent, float(dists.max(initial=0.0)))
    else:
        length = max(extent, float(dists.max(initial=0.0)), 1.0)
    const = float((out_norms * np.abs(f.b)).max(initial=0.0))
    if f.c is not None:
        const = max(const, float(np.abs(f.c).max(initial=0.0)))
    slope = slope if slope > 0 else 1.0
    value = slope * length + const
    return _Scales(slope, length, value)


class _Notes:
    """Float decisions near their threshold, in order, each once."""

    def __init__(self, tol: Tolerances | None) -> None:
        self.tol = tol
        self.items: dict[str, None] = {}

    def zero(self, value: float, scale: float, what: str) -> bool:
        """Decide ``value ≈ 0`` relative to ``scale``; note it when unsure."""
        assert self.tol is not None
        if self.tol.unsure(value, scale):
            ratio = abs(value) / scale if scale else float("inf")
            self.items.setdefault(
                f"{what}: {abs(value):.3g} is {ratio:.3g} of the scale {scale:.3g}, within the "
                f"tolerance band around rel={self.tol.rel:g}",
                None,
            )
        return bool(self.tol.is_zero(value, scale))


def _neuron_roles(
    net: ShallowNet, notes: _Notes, scales: _Scales
) -> tuple[list[int], list[int], list[int]]:
    """Split neurons into dead, constant and kink neurons."""
    exact = net.exact
    dead, constant, kinks = [], [], []
    if not exact:
        # the size of a typical neuron's input side, so that "dead" is about a_i alone
        sizes = np.linalg.norm(net.w, axis=1) * scales.length + np.abs(net.b)
        input_size = float(sizes.max(initial=0.0)) or 1.0
    for i in range(net.width):
        w_i, a_i = net.w[i], net.a[:, i]
        if exact:
            is_dead = all(v == 0 for v in a_i)
            is_const = all(v == 0 for v in w_i)
        else:
            a_size = float(np.abs(a_i).max())
            w_size = float(np.linalg.norm(w_i))
            is_dead = notes.zero(a_size * input_size, scales.value, f"neuron {i}: output weight")
            is_const = not is_dead and notes.zero(
                a_size * w_size, scales.slope, f"neuron {i}: input weight"
            )
        if is_dead:
            dead.append(i)
        elif is_const:
            constant.append(i)
        else:
            kinks.append(i)
    return dead, constant, kinks


def _groups(
    net: ShallowNet, rows: list[int], tol: Tolerances | None, notes: _Notes
) -> list[list[tuple[int, int]]]:
    """Neurons (among ``rows``) grouped by hyperplane: ``(neuron, orientation relative to the
    group's first neuron)`` pairs, groups in order of first appearance."""
    if not rows:
        return []
    w = net.w[rows]
    b = net.b[rows]
    grouping = group_hyperplanes(w, b, tol=tol)
    members = grouping.members()
    if tol is not None:
        # the same grouping must come out a factor `band` either side of the tolerance
        mine = {tuple(g) for g in members.values()}
        for rel in (tol.strict, min(tol.loose, 0.5)):
            other = group_hyperplanes(w, b, tol=Tolerances(rel=rel)).members().values()
            moved = sorted({rows[j] for g in other if tuple(g) not in mine for j in g})
            if moved:
                notes.items.setdefault(
                    f"neurons {moved}: near-coincident hyperplanes (grouped differently at "
                    f"rel={rel:g})",
                    None,
                )
    return [[(rows[j], int(grouping.orientation[j])) for j in group] for group in members.values()]


def _range_on_domain(u: np.ndarray, beta: Any, domain: Domain, exact: bool) -> tuple[Any, Any]:
    """Min and max of ``u·x + β`` over the domain (``±inf`` when unbounded)."""
    if domain.kind == "space":
        return -math.inf, math.inf
    if domain.kind == "box":
        lo = np.array(domain.lower, dtype=object if exact else np.float64)
        hi = np.array(domain.upper, dtype=object if exact else np.float64)
        low = beta + sum(min(ui * l, ui * h) for ui, l, h in zip(u, lo, hi, strict=True))
        high = beta + sum(max(ui * l, ui * h) for ui, l, h in zip(u, lo, hi, strict=True))
        return low, high
    if exact:
        top = exact_maximize(list(u), domain.a, domain.b)
        bottom = exact_maximize([-v for v in u], domain.a, domain.b)
        high = math.inf if top.status == "unbounded" else beta + top.value
        low = -math.inf if bottom.status == "unbounded" else beta - bottom.value
        return low, high
    lp = LPModel(domain.a_float, None, domain.b_float)
    top = lp.solve(np.asarray(u, dtype=float), maximize=True)
    bottom = lp.solve(np.asarray(u, dtype=float), maximize=False)
    high = beta + top.value if top.optimal else math.inf
    low = beta + bottom.value if bottom.optimal else -math.inf
    return low, high


Term = Literal["affine on the domain", "zero on the domain"]


def canonical_form(
    net: Any,
    *,
    domain: Any = None,
    exact: bool | None = None,
    tol: float | Tolerances | None = None,
) -> CanonicalForm:
    """The canonical form of a shallow ReLU network: kink hyperplanes, coefficients, affine part.

    Parameters
    ----------
    net : ShallowNet or ReLUNet
        One hidden layer (any input and output width, with or without output bias or skip term).
        Leaky-ReLU nets are accepted (``σ_s(z) = s z + (1 - s) σ(z)``).
    domain : None, Domain, (lower, upper) or (A, b)
        All of ``R^m`` (default), a box or a polytope with interior. Hyperplanes missing the
        interior are folded into the affine part or dropped.
    exact : bool, optional
        Rational arithmetic (default: the net's own storage). Exact forms are certified.
    tol : float or Tolerances, optional
        Float mode's relative tolerance (must be in (0, 1)).

    Returns
    -------
    CanonicalForm

    Raises
    ------
    UnsupportedLayerError
        For a net with more than one hidden layer.
    InvalidInputError
        For a bad domain or tolerance.

    Notes
    -----
    Cost: ``O(n m)`` arithmetic plus sorting and, in float mode, one Gram matrix of the normals
    (see :func:`~neurogeom.nets.geometry.group_hyperplanes`); on a polytope two LPs per kink.

    References
    ----------
    Ramakrishnan, arXiv 2604.14037 (the shallow classification); Dereich & Kassing,
    arXiv 2108.05643.

    Examples
    --------
    The clipped ramp ``σ(x) - σ(x - 1)`` and its flipped twin ``σ(-x) - σ(1 - x) + 1`` (spec
    oracle 1, not related by permutation and scaling) have the same canonical form:

    >>> f = ShallowNet([[1], [1]], [0, -1], [[1, -1]], c=[0], exact=True)
    >>> g = ShallowNet([[-1], [-1]], [0, 1], [[1, -1]], c=[1], exact=True)
    >>> cf = canonical_form(f)
    >>> [kk.to_dict() for kk in cf.kinks]  # -σ(x - 1) + σ(x)
    [{'normal': [1], 'offset': -1, 'coefficient': [-1], 'neurons': [1], 'signs': [1]},
     {'normal': [1], 'offset': 0, 'coefficient': [1], 'neurons': [0], 'signs': [1]}]
    >>> cf.equals(canonical_form(g))
    True

    On ``[2, 3]`` both kinks lie to the left, so the function is the constant 1:

    >>> canonical_form(f, domain=(2, 3)).to_dict()["affine"]
    {'linear': [[0]], 'constant': [1]}
    """
    net = as_shallow(net, what="canonical_form", leaky=True)
    exact = net.exact if exact is None else bool(exact)
    work = net.to_exact() if exact else net.to_float()
    dom = check_domain(domain, work.n_inputs)
    tolerances = None if exact else check_tol(tol)
    if exact and tol is not None:
        check_tol(tol)  # still validated
    return _build(work, dom, tolerances)


def _build(net: ShallowNet, domain: Domain, tol: Tolerances | None) -> CanonicalForm:
    exact = net.exact
    k, m = net.n_outputs, net.n_inputs
    notes = _Notes(tol)
    scales = _scales(net, domain)
    zero = _zero(exact)
    dtype = object if exact else np.float64
    affine = _Affine(np.full((k, m), zero, dtype=dtype), np.full((k,), zero, dtype=dtype))
    if net.v is not None:
        affine.linear = affine.linear + net.v
    if net.c is not None:
        affine.constant = affine.constant + net.c
    dead, const, kink_rows = _neuron_roles(net, notes, scales)
    for i in const:
        if net.b[i] > 0:
            affine.constant = affine.constant + net.a[:, i] * net.b[i]
    kinks: list[Kink] = []
    cancelled: list[tuple[int, ...]] = []
    outside: list[tuple[tuple[int, ...], str]] = []
    for pairs in _groups(net, kink_rows, tol, notes):
        group = [i for i, _ in pairs]
        rep = group[0]
        r_rep = _normaliser(net.w[rep], exact)
        s_rep = orientation_sign(net.w[rep], exact=exact)
        u = net.w[rep] * s_rep / r_rep
        beta = net.b[rep] * s_rep / r_rep
        alpha = np.full((k,), zero, dtype=dtype)
        signs = []
        for i, orient in pairs:
            w_i, b_i, a_i = net.w[i], net.b[i], net.a[:, i]
            s_i = orient * s_rep
            alpha = alpha + a_i * _normaliser(w_i, exact)
            if s_i < 0:  # a σ(-z) = a σ(z) - a z, and -z = w_i x + b_i
                affine.linear = affine.linear + np.outer(a_i, w_i)
                affine.constant = affine.constant + a_i * b_i
            signs.append(s_i)
        if exact:
            vanishes = all(v == 0 for v in alpha)
        else:
            size = float(np.abs(alpha).max())
            vanishes = notes.zero(size, scales.slope, f"neurons {group}: hyperplane coefficient")
        if vanishes:
            cancelled.append(tuple(group))
            continue
        low, high = _range_on_domain(u, beta, domain, exact)
        term = _outside_term(low, high, exact, notes, scales, group)
        if term == "affine on the domain":
            affine.linear = affine.linear + np.outer(alpha, u)
            affine.constant = affine.constant + alpha * beta
            outside.append((tuple(group), term))
            continue
        if term == "zero on the domain":
            outside.append((tuple(group), term))
            continue
        kinks.append(
            Kink(
                tuple(u.tolist()) if not exact else tuple(u),
                beta if exact else float(beta),
                tuple(alpha) if exact else tuple(float(v) for v in alpha),
                tuple(group),
                tuple(signs),
            )
        )
    if exact:
        kinks.sort(key=lambda kk: (kk.normal, kk.offset, kk.coefficient))
    else:  # rounded, so that ties broken by rounding noise do not reorder equal forms
        kinks.sort(key=lambda kk: tuple(round(v, 9) for v in (*kk.normal, kk.offset)))
    linear = tuple(tuple(row) if exact else tuple(float(v) for v in row) for row in affine.linear)
    constant = tuple(affine.constant) if exact else tuple(float(v) for v in affine.constant)
    return CanonicalForm(
        tuple(kinks),
        linear,
        constant,
        domain,
        exact,
        tuple(dead),
        tuple(const),
        tuple(cancelled),
        tuple(outside),
        tuple(notes.items),
        {} if exact else scales.to_dict(),
        tol,
    )


def _outside_term(
    low: Any, high: Any, exact: bool, notes: _Notes, scales: _Scales, group: list[int]
) -> Term | None:
    """Whether a hyperplane's term is affine or zero on the domain (None: it cuts the interior)."""
    if exact:
        if low >= 0:
            return "affine on the domain"
        if high <= 0:
            return "zero on the domain"
        return None
    if math.isfinite(low) and (
        low >= 0 or notes.zero(low, scales.length, f"neurons {group}: distance to the domain")
    ):
        return "affine on the domain"
    if math.isfinite(high) and (
        high <= 0 or notes.zero(high, scales.length, f"neurons {group}: distance to the domain")
    ):
        return "zero on the domain"
    return None
