"""Certified bounds on the number of hidden layers a ReLU network needs for a function.

The function is given as a network, a :class:`~neurogeom.depth.newton.NewtonPair` or a name
(``"max:n"``, ``"F_n"``); the weights allowed are a *weight class*: integers, ``N``-ary
fractions ``Z[1/N]``, decimals (``N = 10``) or reals. Lower bounds, each with a certificate that
:func:`verify_certificate` re-checks from scratch (``specs/polytopes-and-depth.md`` A5):

- **nonlinear** (≥ 1): ``h_P - h_N`` is not linear (``P`` is not a translate of ``N``), or exact
  values at three collinear points are not affine.
- **not-one-layer** (≥ 2, every weight class): the face of the pair in a direction ``u`` is a
  point on one side and a polytope that is not a zonotope on the other. A one-hidden-layer
  function ``ℓ + Σ c_i relu(a_i x)`` has zonotope differences on every face, and a Minkowski
  summand of a zonotope is a zonotope (HBDS §1.4; the classical 2-face criterion).
- **volume-mod-p** (≥ t + 1, integer and ``N``-ary weights, ``p ∤ N``): restrict to ``d = p^t``
  coordinates (the others set to 0) after taking the face in direction ``u``; if
  ``δ = Vol_d(P') - Vol_d(N')`` is not divisible by ``p``, no network with ``t`` hidden layers
  and weights in ``Z[1/N]`` computes the function (AHM Thm 15 with Prop 11; HHL Thm 16 for
  ``p = 2``). Denominators are powers of ``N``, prime to ``p``, so ``p ∤ δ`` is read on δ's
  numerator (AHM Lemma 16: clearing denominators multiplies δ by a power of ``N``).

For a network with biases the volume bounds are taken on its *recession function*
``x ↦ lim f(λx)/λ``, which every network for ``f`` computes with its biases set to zero, at the
same depth and weights. Upper bounds: a network's own depth, and for ``max:n``/``F_n`` the known
constructions (binary tree; Bakaev et al. for binary fractions; Rueß et al. for real weights).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from neurogeom.core.budget import Budget, OutOfBudget
from neurogeom.core.errors import InvalidInputError
from neurogeom.core.random import check_rng
from neurogeom.core.rationals import fraction_to_json, to_fraction
from neurogeom.depth.newton import NewtonPair, function_pair, newton_pair, parse_function
from neurogeom.nets.relu import ReLUNet
from neurogeom.polytopes import Polytope, normalized_volume

__all__ = [
    "DepthBounds",
    "DepthCertificate",
    "WeightClass",
    "depth_bounds",
    "verify_certificate",
]


# -- weight classes -----------------------------------------------------------------------------
def _primes_up_to(n: int) -> list[int]:
    return [p for p in range(2, n + 1) if all(p % q for q in range(2, math.isqrt(p) + 1))]


def _is_prime(p: int) -> bool:
    return p >= 2 and all(p % q for q in range(2, math.isqrt(p) + 1))


@dataclass(frozen=True, slots=True)
class WeightClass:
    """Which weights a network may use: ``Z`` (base 1), ``Z[1/N]`` (base N) or ``R`` (None).

    Examples
    --------
    >>> WeightClass.parse("decimal")
    WeightClass(kind='decimal', base=10)
    >>> WeightClass.parse("nary:6").allows(Fraction(1, 12))
    True
    >>> WeightClass.parse("integer").allows(Fraction(1, 2))
    False
    >>> WeightClass.parse("nary:1")
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.InvalidInputError: nary:N needs an integer N >= 2 (N = 1 is ...
    """

    kind: str
    base: int | None

    @classmethod
    def parse(cls, text: str | WeightClass) -> WeightClass:
        """``integer``, ``decimal``, ``binary``, ``nary:N`` (N >= 2) or ``real``."""
        if isinstance(text, WeightClass):
            return text
        t = str(text).strip().lower()
        if t in ("integer", "int", "z"):
            return cls("integer", 1)
        if t == "decimal":
            return cls("decimal", 10)
        if t == "binary":
            return cls("nary", 2)
        if t in ("real", "r"):
            return cls("real", None)
        if t.startswith("nary:"):
            rest = t[5:]
            if not rest.isdigit() or int(rest) < 2:
                raise InvalidInputError(
                    f"nary:N needs an integer N >= 2 (N = 1 is 'integer'), got {text!r}"
                )
            return cls("nary", int(rest))
        raise InvalidInputError(
            f"unknown weight class {text!r}: use integer, decimal, binary, nary:N (N >= 2) or real"
        )

    @property
    def label(self) -> str:
        """``integer``, ``decimal``, ``nary:N`` or ``real``."""
        return f"nary:{self.base}" if self.kind == "nary" else self.kind

    def allows(self, value: Fraction) -> bool:
        """Whether ``value`` lies in the ring (its denominator divides a power of ``N``)."""
        if self.base is None:
            return True
        den = Fraction(value).denominator
        g = math.gcd(den, self.base)
        while g > 1:
            den //= g
            g = math.gcd(den, self.base)
        return den == 1

    def primes(self, n: int) -> list[int]:
        """The primes ``p <= n`` with ``p ∤ N`` (none for real weights)."""
        if self.base is None:
            return []
        return [p for p in _primes_up_to(n) if self.base % p]


# -- certificates -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DepthCertificate:
    """Evidence that a function needs at least :attr:`bound` hidden layers.

    Attributes
    ----------
    kind : {"nonlinear", "not-one-layer", "volume-mod-p"}
    bound : int
        The number of hidden layers certified necessary.
    weights : str
        The weight class it holds for.
    prime, t, dimension : int or None
        ``p``, ``t`` and ``d = p^t`` (volume-mod-p).
    restriction : tuple of int or None
        The coordinates kept (0-based; the others set to 0).
    face_direction : tuple of Fraction or None
        ``u``: the pair's face maximising ``<·, u>`` is used (``None``: the whole pair).
    volume_positive, volume_negative, delta : Fraction or None
        ``Vol_d(P')``, ``Vol_d(N')`` and ``δ`` = their difference.
    residue : int or None
        ``δ`` (its numerator) modulo ``p``.
    side : str or None
        ``"positive"`` or ``"negative"``: where the non-zonotope face is (not-one-layer).
    witness : tuple or None
        Three collinear points (nonlinear certificates of affine-looking pairs).
    recession : bool
        Whether it was read on the recession function (a network with biases).
    """

    kind: str
    bound: int
    weights: str
    prime: int | None = None
    t: int | None = None
    dimension: int | None = None
    restriction: tuple[int, ...] | None = None
    face_direction: tuple[Fraction, ...] | None = None
    volume_positive: Fraction | None = None
    volume_negative: Fraction | None = None
    delta: Fraction | None = None
    residue: int | None = None
    side: str | None = None
    witness: tuple[tuple[Fraction, ...], ...] | None = None
    recession: bool = False

    def explain(self) -> str:
        """The certificate in words.

        Examples
        --------
        >>> cert = depth_bounds("F_4", weights="integer").certificate
        >>> print(cert.explain())  # doctest: +NORMALIZE_WHITESPACE
        restricted to x1, x2, x3, x4, Vol_4(P') - Vol_4(N') = 1 - 0 = 1 is odd, and d = 4 = 2^2,
        so with weights in Z no network with 2 hidden layers computes the function
        (AHM Thm 15, HHL Thm 16): at least 3 hidden layers
        """
        where = ""
        if self.face_direction is not None:
            where += f"on the face in direction u = ({', '.join(map(str, self.face_direction))}), "
        if self.restriction is not None:
            r = self.restriction
            contiguous = len(r) > 6 and list(r) == list(range(r[0], r[0] + len(r)))
            names = (
                f"x{r[0] + 1}, ..., x{r[-1] + 1}"
                if contiguous
                else ", ".join(f"x{i + 1}" for i in r)
            )
            where += f"restricted to {names}, "
        rec = "the recession function (biases dropped) of " if self.recession else ""
        if self.kind == "nonlinear":
            if self.witness:
                return (
                    "the values at three collinear points are not affine, so the function is "
                    "not affine: at least 1 hidden layer"
                )
            return (
                f"P is not a translate of N, so {rec}the function is not linear: at least 1 "
                "hidden layer"
            )
        if self.kind == "not-one-layer":
            other = "N" if self.side == "positive" else "P"
            this = "P" if self.side == "positive" else "N"
            return (
                f"{where}{other} is a point and {this} is not a zonotope (a 2-face is not "
                f"centrally symmetric), so {rec}the function is not computed with one hidden "
                "layer, whatever the weights: at least 2 hidden layers"
            )
        ring = {"integer": "Z", "real": "R"}.get(
            self.weights,
            f"Z[1/{self.weights.split(':')[-1]}]" if ":" in self.weights else "Z[1/10]",
        )
        parity = "odd" if self.prime == 2 else f"not divisible by p = {self.prime}"
        return (
            f"{where}Vol_{self.dimension}(P') - Vol_{self.dimension}(N') = "
            f"{self.volume_positive} - {self.volume_negative} = {self.delta} is {parity}, and "
            f"d = {self.dimension} = {self.prime}^{self.t}, so with weights in {ring} no network "
            f"with {self.t} hidden layers computes {rec}the function (AHM Thm 15, HHL Thm 16): "
            f"at least {self.bound} hidden layers"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (rationals as strings)."""

        def q(v: Fraction | None) -> Any:
            return None if v is None else fraction_to_json(v)

        return {
            "kind": self.kind,
            "bound": self.bound,
            "weights": self.weights,
            "prime": self.prime,
            "t": self.t,
            "dimension": self.dimension,
            "restriction": None if self.restriction is None else list(self.restriction),
            "face_direction": None
            if self.face_direction is None
            else [q(v) for v in self.face_direction],
            "volume_positive": q(self.volume_positive),
            "volume_negative": q(self.volume_negative),
            "delta": q(self.delta),
            "residue": self.residue,
            "side": self.side,
            "witness": None if self.witness is None else [[q(v) for v in p] for p in self.witness],
            "recession": self.recession,
            "explanation": self.explain(),
        }


@dataclass(frozen=True, slots=True)
class DepthBounds:
    """Lower and upper bounds on the number of hidden layers, with certificates.

    Attributes
    ----------
    target : str
        What was bounded (a network's name or ``MAX_n`` / ``F_n``).
    weights : str
        The weight class.
    lower_bound : int
    upper_bound : int or None
    certificate : DepthCertificate or None
        The certificate of :attr:`lower_bound` (``None`` when it is 0).
    certificates : tuple of DepthCertificate
        Every certificate found (one per kind at most, the best of each).
    upper_reason : str
        Where the upper bound comes from.
    complete : bool
        False if the time limit stopped the search (the bounds hold but may not be the best).
    notes : tuple of str
    """

    target: str
    weights: str
    lower_bound: int
    upper_bound: int | None
    certificate: DepthCertificate | None
    certificates: tuple[DepthCertificate, ...] = ()
    upper_reason: str = ""
    complete: bool = True
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "target": self.target,
            "weights": self.weights,
            "lower_bound": self.lower_bound,
            "upper_bound": self.upper_bound,
            "upper_reason": self.upper_reason,
            "certificate": None if self.certificate is None else self.certificate.to_dict(),
            "certificates": [c.to_dict() for c in self.certificates],
            "complete": self.complete,
            "notes": list(self.notes),
        }


# -- the certificate kinds ------------------------------------------------------------------------
def _project(p: Polytope, coords: tuple[int, ...]) -> Polytope:
    n = p.ambient_dim
    return p.linear_image([[int(j == i) for j in range(n)] for i in coords])


def _face(p: Polytope, u: tuple[Fraction, ...] | None) -> Polytope:
    return p if u is None else p.face(list(u))


def _volume_delta(
    pair: NewtonPair, coords: tuple[int, ...], u: tuple[Fraction, ...] | None
) -> tuple[Fraction, Fraction]:
    pos = normalized_volume(_project(_face(pair.positive, u), coords))
    neg = normalized_volume(_project(_face(pair.negative, u), coords))
    return pos, neg


def _numerator_residue(delta: Fraction, p: int) -> int:
    return delta.numerator % p


def _face_directions(pair: NewtonPair, limit: int) -> list[tuple[Fraction, ...] | None]:
    """``None`` (no face) then ``±e_i`` and a few sums: cheap, deterministic candidates."""
    n = pair.positive.ambient_dim
    out: list[tuple[Fraction, ...] | None] = [None]
    for i in range(n):
        for s in (1, -1):
            out.append(tuple(Fraction(s * int(j == i)) for j in range(n)))
    for i, j in itertools.combinations(range(n), 2):
        out.append(tuple(Fraction(int(k in (i, j))) for k in range(n)))
    return out[:limit]


def _mod_p_certificate(
    pair: NewtonPair,
    weights: WeightClass,
    *,
    recession: bool,
    max_restrictions: int,
    max_faces: int,
    budget: Budget,
) -> DepthCertificate | None:
    """The best volume-mod-p certificate found (largest ``t``)."""
    n = pair.n_inputs
    options = []
    for p in weights.primes(n):
        t = 1
        while p**t <= n:
            options.append((t, p))
            t += 1
    options.sort(key=lambda tp: (-tp[0], tp[1]))
    faces = _face_directions(pair, max_faces)
    for t, p in options:
        d = p**t
        for u in faces:
            for coords in itertools.islice(itertools.combinations(range(n), d), max_restrictions):
                budget.check()
                pos, neg = _volume_delta(pair, coords, u)
                delta = pos - neg
                if _numerator_residue(delta, p):
                    return DepthCertificate(
                        "volume-mod-p",
                        t + 1,
                        weights.label,
                        prime=p,
                        t=t,
                        dimension=d,
                        restriction=coords,
                        face_direction=u,
                        volume_positive=pos,
                        volume_negative=neg,
                        delta=delta,
                        residue=_numerator_residue(delta, p),
                        recession=recession,
                    )
    return None


def _normal_of_face(p: Polytope, face: Polytope) -> tuple[Fraction, ...] | None:
    """A direction ``u`` with ``p.face(u) == face`` (``p`` full-dimensional), else None."""
    total = [Fraction(0)] * p.ambient_dim
    for a, b in p.inequalities():
        if all(sum(x * y for x, y in zip(a, v, strict=True)) == b for v in face.vertices):
            total = [s + x for s, x in zip(total, a, strict=True)]
    u = tuple(total)
    return u if any(u) and p.face(list(u)) == face else None


def _one_layer_certificate(
    pair: NewtonPair, weights: WeightClass, *, recession: bool, budget: Budget
) -> DepthCertificate | None:
    """A face where one side is a point and the other is not a zonotope."""
    for side, this, other in (
        ("positive", pair.positive, pair.negative),
        ("negative", pair.negative, pair.positive),
    ):
        if other.n_vertices == 1 and not this.is_zonotope():
            return DepthCertificate(
                "not-one-layer", 2, weights.label, side=side, recession=recession
            )
    for side, this, other in (
        ("positive", pair.positive, pair.negative),
        ("negative", pair.negative, pair.positive),
    ):
        if this.dim != this.ambient_dim or this.dim < 2:
            continue
        for face in this.faces(2):
            budget.check()
            if face.is_centrally_symmetric():
                continue
            u = _normal_of_face(this, face)
            if u is not None and other.face(list(u)).n_vertices == 1:
                return DepthCertificate(
                    "not-one-layer",
                    2,
                    weights.label,
                    face_direction=u,
                    side=side,
                    recession=recession,
                )
    return None


def _affine_witness(
    f: Any, n: int, rng: np.random.Generator, tries: int = 64
) -> tuple[tuple[Fraction, ...], ...] | None:
    """Points ``x, y, (x + y) / 2`` with ``f((x + y)/2) != (f(x) + f(y)) / 2``, if found."""
    for k in range(tries):
        scale = Fraction(2) ** (k % 12 - 6)
        x = tuple(Fraction(int(v), 4) * scale for v in rng.integers(-40, 41, size=n))
        y = tuple(Fraction(int(v), 4) * scale for v in rng.integers(-40, 41, size=n))
        mid = tuple((a + b) / 2 for a, b in zip(x, y, strict=True))
        if 2 * f(mid) != f(x) + f(y):
            return (x, y, mid)
    return None


# -- the entry point ------------------------------------------------------------------------------
def _check_net_weights(net: ReLUNet, weights: WeightClass) -> None:
    if weights.base is None:
        return
    exact = net if net.exact else net.to_exact()
    float_note = "" if net.exact else " (the network has float weights)"
    for layer, (w, b) in enumerate(exact.layers):
        for idx, v in np.ndenumerate(w):
            if not weights.allows(v):
                raise InvalidInputError(
                    f"layer {layer}: weight[{idx[0]}, {idx[1]}] = {v} is not in the weight class "
                    f"{weights.label}{float_note}; "
                    "ask for --weights real, or nary:N with N a multiple of its denominator"
                )
        for i, v in enumerate(b):
            if not weights.allows(v):
                raise InvalidInputError(
                    f"layer {layer}: bias[{i}] = {v} is not in the weight class {weights.label}; "
                    "ask for --weights real, or nary:N with N a multiple of its denominator"
                )


def _check_pair_ring(pair: NewtonPair, weights: WeightClass) -> None:
    if weights.base is None:
        return
    for poly in (pair.positive, pair.negative):
        for v in poly.vertices:
            for x in v:
                if not weights.allows(x):
                    raise InvalidInputError(
                        f"the Newton pair has the coordinate {x}, not in the weight class "
                        f"{weights.label}; ask for --weights real or a matching nary:N"
                    )


def _log_ceil(base: int, x: int) -> int:
    """``⌈log_base(x)⌉`` for integers ``x >= 1`` (exact)."""
    k, power = 0, 1
    while power < x:
        power *= base
        k += 1
    return k


def _max_upper(n: int, weights: WeightClass) -> tuple[int, str]:
    """Known upper bound (hidden layers) for MAX_n in the weight class."""
    if n == 1:
        return 0, "MAX_1 is linear"
    best, why = _log_ceil(2, n), "binary tree of max gates with integer weights (⌈log2 n⌉)"
    binary_ok = weights.base is None or weights.base % 2 == 0
    if binary_ok and n >= 4:
        bb = _log_ceil(3, n - 2) + 1
        if bb < best:
            best, why = (
                bb,
                "Bakaev et al. (arXiv 2505.14338) Thm 1, binary fractions: ⌈log3(n-2)⌉+1",
            )
    if weights.base is None and n > 4:
        ru = 2 if n <= 10 else _log_ceil(5, -(-n // 2)) + 1
        if ru < best:
            best, why = (
                ru,
                (
                    "Rueß et al. (arXiv 2607.21651) Thm 1.1 / Cor 1.2, real weights "
                    "(for 7 <= n <= 10 not re-checked here)"
                ),
            )
    return best, why


def depth_bounds(
    target: ReLUNet | NewtonPair | str,
    *,
    weights: str | WeightClass = "integer",
    output: int = 0,
    max_restrictions: int = 64,
    max_faces: int = 16,
    seed: Any = 0,
    progress: bool = False,
    time_limit: float | None = None,
) -> DepthBounds:
    """Certified lower and known upper bounds on the number of hidden layers.

    Parameters
    ----------
    target : ReLUNet, NewtonPair or str
        A network (its ``output``), a Newton pair (homogeneous), or ``"max:n"`` / ``"F_n"``.
    weights : str or WeightClass, default "integer"
        ``integer``, ``decimal``, ``binary``, ``nary:N`` (N >= 2) or ``real``. A network whose
        weights lie outside the class is refused.
    output : int, default 0
        The network output to bound.
    max_restrictions, max_faces : int
        How many coordinate restrictions (per ``d``) and face directions the volume search tries.
    seed : int or Generator, default 0
        Seed of the random points (Newton pair check, nonlinearity witness).
    progress : bool, default False
        Progress bar while building a network's Newton pair.
    time_limit : float, optional
        Seconds; on expiry the bounds found so far are returned with ``complete=False``.

    Returns
    -------
    DepthBounds

    Raises
    ------
    InvalidInputError
        For an unknown weight class or function, or a network or pair outside the class.

    Notes
    -----
    "Depth" counts hidden layers. For real weights only the nonlinear and not-one-layer bounds
    are unconditional (no function is known to need more than 2 hidden layers over ``R``). The
    volume search tries primes ``p ∤ N`` and ``t`` from the largest bound down, restrictions to
    ``p^t`` coordinates (lexicographically, at most ``max_restrictions``) and faces in the
    directions ``0, ±e_i, e_i + e_j`` (at most ``max_faces``): a bound is certified when found,
    and a missing certificate proves nothing.

    References
    ----------
    Haase, Hertrich, Loho, arXiv 2302.12553 (Thm 16, Cor 4); Averkov, Hojny, Merkert,
    arXiv 2502.06283 (Thms 2, 14, 15; Prop 11; Lemma 16); Hertrich, Basu, Di Summa, Skutella,
    arXiv 2105.14835.

    Examples
    --------
    >>> b = depth_bounds("max:8", weights="integer")
    >>> b.lower_bound, b.upper_bound, b.certificate.prime, b.certificate.restriction
    (3, 3, 2, (0, 1, 2, 3))
    >>> depth_bounds("max:10", weights="decimal").lower_bound
    3
    >>> depth_bounds("max:10", weights="real").lower_bound
    2
    """
    wc = WeightClass.parse(weights)
    budget = Budget.start(time_limit=time_limit)
    rng = check_rng(seed)
    upper: int | None = None
    upper_reason = ""
    notes: list[str] = []
    evaluate = None
    if isinstance(target, str):
        kind, n = parse_function(target)
        pair = function_pair(target)
        upper, upper_reason = _max_upper(n if kind == "max" else n + 1, wc)
        label = pair.name
    elif isinstance(target, NewtonPair):
        _check_pair_ring(target, wc)
        if target.homogenized:
            notes.append("a homogenised pair: the volume bounds use its recession function")
        pair = target
        label = target.name or "Newton pair"
        evaluate = target
    elif isinstance(target, ReLUNet):
        _check_net_weights(target, wc)
        pair = newton_pair(
            target, output=output, seed=seed, progress=progress, time_limit=time_limit
        )
        upper = target.n_layers - 1
        upper_reason = "the network's own number of hidden layers"
        label = pair.name
        evaluate = pair
    else:
        raise InvalidInputError(
            "depth_bounds needs a ReLUNet, a NewtonPair or a function name such as 'max:8', "
            f"got {type(target).__name__}"
        )
    rec = pair.recession()
    is_rec = rec is not pair
    certs: list[DepthCertificate] = []
    complete = True
    try:
        if not rec.is_linear():
            certs.append(DepthCertificate("nonlinear", 1, wc.label, recession=is_rec))
        elif evaluate is not None and pair.homogenized:
            witness = _affine_witness(evaluate, pair.n_inputs, rng)
            if witness is not None:
                certs.append(DepthCertificate("nonlinear", 1, wc.label, witness=witness))
        if certs and rec.n_inputs >= 2:
            one = _one_layer_certificate(rec, wc, recession=is_rec, budget=budget)
            if one is not None:
                certs.append(one)
        if certs and wc.base is not None:
            vol = _mod_p_certificate(
                rec,
                wc,
                recession=is_rec,
                max_restrictions=max_restrictions,
                max_faces=max_faces,
                budget=budget,
            )
            if vol is not None:
                certs.append(vol)
    except OutOfBudget:
        complete = False
        notes.append(f"the time limit of {time_limit} s stopped the search")
    best = max(certs, key=lambda c: c.bound, default=None)
    lower = best.bound if best is not None else 0
    if wc.base is None:
        notes.append("real weights: only the nonlinear and not-one-layer bounds are unconditional")
    if upper is not None and lower > upper:  # pragma: no cover - would contradict a theorem
        raise AssertionError(f"internal error: lower bound {lower} > upper bound {upper}")
    return DepthBounds(
        label, wc.label, lower, upper, best, tuple(certs), upper_reason, complete, tuple(notes)
    )


def verify_certificate(
    target: ReLUNet | NewtonPair | str, certificate: DepthCertificate, *, output: int = 0
) -> bool:
    """Re-check a :class:`DepthCertificate` from scratch against its target.

    Recomputes the Newton pair (for a network), the face, the restriction and the volumes
    exactly, and checks the arithmetic conditions: ``p`` prime, ``p ∤ N``, ``d = p^t <= n``,
    ``p ∤ δ`` and ``bound = t + 1`` (volume-mod-p); a point on one side and a non-zonotope on the
    other (not-one-layer); a non-translate pair or non-affine values (nonlinear).

    Returns
    -------
    bool

    Examples
    --------
    >>> cert = depth_bounds("max:8", weights="integer").certificate
    >>> verify_certificate("max:8", cert)
    True
    >>> import dataclasses
    >>> verify_certificate("max:8", dataclasses.replace(cert, bound=4))
    False
    """
    wc = WeightClass.parse(certificate.weights)
    if isinstance(target, str):
        pair = function_pair(target)
    elif isinstance(target, NewtonPair):
        pair = target
    elif isinstance(target, ReLUNet):
        _check_net_weights(target, wc)
        pair = newton_pair(target, output=output)
    else:
        raise InvalidInputError(f"cannot verify against a {type(target).__name__}")
    rec = pair.recession()
    c = certificate
    if c.kind == "nonlinear":
        if c.bound != 1:
            return False
        if c.witness is not None:
            x, y, mid = (tuple(to_fraction(v) for v in p) for p in c.witness)
            if any(2 * m != a + b for m, a, b in zip(mid, x, y, strict=True)):
                return False
            return 2 * pair(mid) != pair(x) + pair(y)
        return not rec.is_linear()
    if c.kind == "not-one-layer":
        if c.bound != 2 or c.side not in ("positive", "negative") or rec.n_inputs < 2:
            return False
        this, other = (
            (rec.positive, rec.negative) if c.side == "positive" else (rec.negative, rec.positive)
        )
        this, other = _face(this, c.face_direction), _face(other, c.face_direction)
        return other.n_vertices == 1 and not this.is_zonotope()
    if c.kind == "volume-mod-p":
        p, t, d = c.prime, c.t, c.dimension
        if p is None or t is None or d is None or c.restriction is None:
            return False
        if not _is_prime(p) or t < 1 or d != p**t or c.bound != t + 1:
            return False
        if wc.base is None or wc.base % p == 0:
            return False
        coords = tuple(c.restriction)
        if len(coords) != d or len(set(coords)) != d or d > rec.n_inputs:
            return False
        if not all(0 <= i < rec.n_inputs for i in coords):
            return False
        _check_pair_ring(rec, wc)
        pos, neg = _volume_delta(rec, coords, c.face_direction)
        delta = pos - neg
        if c.delta is not None and delta != c.delta:
            return False
        return delta.numerator % p != 0
    return False
