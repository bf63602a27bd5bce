"""Functional equivalence of two ReLU networks on ``R^m``, a box or a polytope, with a witness.

Shallow nets (one hidden layer each) are compared through the canonical form of their difference
``f - g`` (:mod:`neurogeom.symmetry.canonical`): the nets are equivalent on the domain exactly
when that form has no kink and a zero affine part. This is polynomial time. When they differ, a
*witness* is built from the form: three points across a kink of ``f - g`` with no other kink
between them (the second difference there is ``α |u|² t ≠ 0``, so ``f - g`` is nonzero at one of
them), or a point where the affine part is nonzero.

Deep nets are compared exactly through the linear regions of the difference network ``f - g``
(:func:`neurogeom.regions.enumerate_regions`): ``f - g`` is affine on each activation cell, so the
nets are equivalent on the domain exactly when every cell's map is zero. Deciding this is
coNP-hard in general (positivity of a shallow net is already NP-hard), so it takes a time limit;
random points in the domain are tried first, since a single nonzero value refutes equivalence.

Float mode decides with scale-aware tolerances. A float question that cannot be decided — a
coefficient, a cell map or the difference at every witness lies within the tolerance band — is
answered ``"undecided"`` with the evidence, never guessed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from neurogeom.core.domain import Domain, check_domain
from neurogeom.core.errors import InvalidInputError, UnsupportedLayerError
from neurogeom.core.exact_lp import exact_interior_point, exact_maximize
from neurogeom.core.lp import LPModel, chebyshev_centre
from neurogeom.core.random import check_rng
from neurogeom.core.rationals import json_number
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.nets.geometry import output_size
from neurogeom.nets.relu import ReLUNet
from neurogeom.symmetry.canonical import CanonicalForm, canonical_form
from neurogeom.symmetry.shallow import ShallowNet, as_shallow, check_same_shape, difference

__all__ = ["Equivalence", "are_equivalent"]

Verdict = Literal["equivalent", "not equivalent", "undecided"]

#: Random points tried in the domain before a deep comparison enumerates regions.
SAMPLE_POINTS = 64

#: Float witnesses: directions of a kink's hyperplane searched from its foot (both ways).
MAX_SPREAD_DIRECTIONS = 6


@dataclass(frozen=True, slots=True)
class Equivalence:
    """The answer to "do ``f`` and ``g`` compute the same function on the domain?".

    Attributes
    ----------
    verdict : {"equivalent", "not equivalent", "undecided"}
    witness : tuple or None
        A point of the domain where the outputs differ (``"not equivalent"`` only).
    values : (tuple, tuple) or None
        ``f(witness)`` and ``g(witness)``.
    domain : Domain
    exact : bool
    method : str
        ``"canonical form"`` (shallow), ``"regions"`` or ``"sampling"`` (deep).
    evidence : tuple of str
        Why the answer is what it is: the kink or cell used for the witness, or the float
        decisions that kept the answer undecided.
    complete : bool
        ``False`` when a time limit stopped a deep comparison before it could decide.
    difference : CanonicalForm or None
        The canonical form of ``f - g`` (shallow nets).
    """

    verdict: Verdict
    witness: tuple[Any, ...] | None
    values: tuple[tuple[Any, ...], tuple[Any, ...]] | None
    domain: Domain
    exact: bool
    method: str
    evidence: tuple[str, ...] = ()
    complete: bool = True
    difference: CanonicalForm | None = None

    @property
    def equivalent(self) -> bool | None:
        """``True``, ``False``, or ``None`` when undecided."""
        return {"equivalent": True, "not equivalent": False}.get(self.verdict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``equivalent`` (true, false or null) and ``witness`` (the CLI
        contract), the verdict, the values at the witness and the evidence."""
        out: dict[str, Any] = {
            "equivalent": self.equivalent,
            "verdict": self.verdict,
            "witness": None if self.witness is None else [json_number(v) for v in self.witness],
            "values": None
            if self.values is None
            else {
                "f": [json_number(v) for v in self.values[0]],
                "g": [json_number(v) for v in self.values[1]],
            },
            "domain": self.domain.to_dict(),
            "exact": self.exact,
            "method": self.method,
            "evidence": list(self.evidence),
            "complete": self.complete,
        }
        if self.difference is not None:
            out["difference"] = {
                "hyperplanes": len(self.difference.kinks),
                "affine": self.difference.to_dict()["affine"],
            }
        return out

    def __repr__(self) -> str:
        where = "" if self.domain.kind == "space" else f" on {self.domain.describe()}"
        wit = "" if self.witness is None else f", witness={[json_number(v) for v in self.witness]}"
        return f"Equivalence({self.verdict}{where}{wit}, {self.method})"


def _is_shallow(net: Any) -> bool:
    return isinstance(net, ShallowNet) or (isinstance(net, ReLUNet) and net.n_layers == 2)


def are_equivalent(
    f: Any,
    g: Any,
    *,
    domain: Any = None,
    exact: bool | None = None,
    tol: float | Tolerances | None = None,
    time_limit: float | None = None,
    seed: int = 0,
    progress: bool = False,
) -> Equivalence:
    """Decide whether two ReLU networks compute the same function on a domain.

    Parameters
    ----------
    f, g : ShallowNet or ReLUNet
        Same input and output dimensions. Two shallow nets are compared by canonical forms; if
        either is deep, by the regions of ``f - g``.
    domain : None, Domain, (lower, upper) or (A, b)
        All of ``R^m`` (default), a box or a polytope with interior.
    exact : bool, optional
        Rational arithmetic (default: exact when both nets are). Float weights are rationals, so
        ``exact=True`` decides float nets exactly too.
    tol : float or Tolerances, optional
        Float mode's relative tolerance, in (0, 1).
    time_limit : float, optional
        Seconds for a deep comparison; if it runs out before a witness is found, the answer is
        ``"undecided"`` with ``complete=False``.
    seed : int
        Seeds the random points tried before a deep comparison.
    progress : bool
        Progress bars for a deep comparison.

    Returns
    -------
    Equivalence

    Raises
    ------
    InvalidInputError
        Different input or output dimensions, a bad domain, a tolerance not in (0, 1).
    UnsupportedLayerError
        Rational nets, or nets with different activations.

    Notes
    -----
    Shallow: ``O((n_f + n_g) m log)`` plus LPs for the witness on a polytope. Deep: one region
    enumeration of ``f - g`` (its cost, see :func:`~neurogeom.regions.enumerate_regions`).

    References
    ----------
    Ramakrishnan, arXiv 2604.14037; Froese, Grillo, Skutella, arXiv 2405.19805 (hardness).

    Examples
    --------
    ``σ(x) + σ(x - 1)`` and ``σ(-x) + σ(1 - x)`` have the same kinks but differ by ``2x - 1``:

    >>> f = ShallowNet([[1], [1]], [0, -1], [[1, 1]], c=[0], exact=True)
    >>> g = ShallowNet([[-1], [-1]], [0, 1], [[1, 1]], c=[0], exact=True)
    >>> res = are_equivalent(f, g)
    >>> res.verdict, res.witness, res.values
    ('not equivalent', (Fraction(2, 1),), ((Fraction(3, 1),), (Fraction(0, 1),)))

    A deep net and a shallow one, compared on a box through the regions of their difference:

    >>> deep = ReLUNet([[[1], [-1]], [[1, 0], [0, 1]], [[1, 1]]], exact=True)   # |x|
    >>> are_equivalent(deep, ReLUNet([[[1], [-1]], [[1, 1]]], exact=True), domain=(-2, 2))
    Equivalence(equivalent on [-2, 2]^1, regions)
    """
    for net in (f, g):
        if not isinstance(net, ShallowNet | ReLUNet):
            raise InvalidInputError(
                f"are_equivalent needs ReLUNet or ShallowNet arguments, got {type(net).__name__}"
            )
    check_same_shape(f, g, "are_equivalent")
    tolerances = check_tol(tol)
    if exact is None:
        exact = bool(f.exact and g.exact)
    dom = check_domain(domain, f.n_inputs)
    if _is_shallow(f) and _is_shallow(g):
        fs = as_shallow(f, what="are_equivalent", leaky=True)
        gs = as_shallow(g, what="are_equivalent", leaky=True)
        return _shallow(fs, gs, dom, exact, tolerances)
    fr = f.to_relu() if isinstance(f, ShallowNet) else f
    gr = g.to_relu() if isinstance(g, ShallowNet) else g
    if Fraction(fr.negative_slope) != Fraction(gr.negative_slope):
        raise UnsupportedLayerError(
            f"are_equivalent: the activations differ ({fr.activation} vs {gr.activation}); "
            "compare nets with the same activation"
        )
    return _deep(fr, gr, dom, exact, tolerances, time_limit, seed, progress)


# -- shallow nets -------------------------------------------------------------------------------
def _shallow(
    f: ShallowNet, g: ShallowNet, domain: Domain, exact: bool, tol: Tolerances
) -> Equivalence:
    fw, gw = (f.to_exact(), g.to_exact()) if exact else (f.to_float(), g.to_float())
    form = canonical_form(difference(fw, gw), domain=domain, exact=exact, tol=tol)
    if exact:
        zero = not form.kinks and _all_zero(form.linear) and _all_zero(form.constant)
        if zero:
            return Equivalence(
                "equivalent",
                None,
                None,
                domain,
                True,
                "canonical form",
                ("the canonical form of f - g is zero",),
                difference=form,
            )
        return _refute(fw, gw, form, domain, True, tol, form.scales)
    zero, why = _zero_form(form, tol)
    if zero:
        # certified when f - g is zero even at the strict end of the band
        strict = Tolerances(rel=tol.strict, band=1.0)
        tight = canonical_form(difference(fw, gw), domain=domain, exact=False, tol=strict)
        tight_zero, tight_why = _zero_form(tight, strict)
        if tight_zero:
            return Equivalence(
                "equivalent",
                None,
                None,
                domain,
                False,
                "canonical form",
                (
                    f"the canonical form of f - g is zero within rel={tol.rel:g}, and still at "
                    f"rel/band={tol.strict:g}",
                ),
                difference=form,
            )
        return Equivalence(
            "undecided",
            None,
            None,
            domain,
            False,
            "canonical form",
            (
                f"f - g is zero within rel={tol.rel:g} but not at rel/band={tol.strict:g}: "
                f"{tight_why}",
                *form.notes,
            ),
            difference=form,
        )
    return _refute(fw, gw, form, domain, False, tol, form.scales, [why, *form.notes])


def _zero_form(form: CanonicalForm, tol: Tolerances) -> tuple[bool, str]:
    """Whether a float canonical form of ``f - g`` is zero at its tolerance, and why not."""
    if form.kinks:
        return False, f"{len(form.kinks)} kink hyperplane(s) remain"
    for what, values, scale in (
        ("linear part", [v for row in form.linear for v in row], form.scales["slope"]),
        ("constant", list(form.constant), form.scales["value"]),
    ):
        size = max((abs(v) for v in values), default=0.0)
        if not tol.is_zero(size, scale):
            return False, f"the {what} has size {size:.3g} (scale {scale:.3g})"
    return True, ""


def _all_zero(values: Any) -> bool:
    return all(v == 0 for v in np.asarray(values, dtype=object).flat)


def _refute(
    f: Any,
    g: Any,
    form: CanonicalForm,
    domain: Domain,
    exact: bool,
    tol: Tolerances,
    scales: dict[str, float],
    notes: list[str] | None = None,
) -> Equivalence:
    """Find a witness where ``f`` and ``g`` differ from the form of ``f - g``."""
    candidates: list[tuple[np.ndarray, str]] = []
    order = sorted(
        range(len(form.kinks)),
        key=lambda j: -max(abs(float(v)) for v in form.kinks[j].coefficient),
    )
    for j in order[:8]:
        kk = form.kinks[j]
        # float mode also crosses the kink far from its foot: near-coincident kinks of f - g
        # (a slightly changed weight) separate only there, so the difference at the foot can
        # stay inside the tolerance band while it is large a length scale away
        on, off = ([], []) if exact else _spread_on_hyperplane(kk, domain, scales)
        for start in [None, *on]:
            for p in _kink_points(form, j, domain, exact, scales, start=start):
                candidates.append((p, f"kink {_describe(kk)} of f - g"))
        candidates += [(p, f"a length scale across kink {_describe(kk)} of f - g") for p in off]
    if not candidates or not exact:
        for p in _affine_points(form, domain, exact, scales):
            candidates.append((p, "the affine part of f - g is nonzero"))
    scale = scales.get("value", 1.0) if not exact else 1.0
    return _judge(f, g, candidates, domain, exact, tol, scale, "canonical form", notes, form)


def _describe(kk: Any) -> str:
    u = ", ".join(str(json_number(v)) for v in kk.normal)
    a = ", ".join(str(json_number(v)) for v in kk.coefficient)
    return f"u=({u}), beta={json_number(kk.offset)}, alpha=({a}), neurons {list(kk.neurons)}"


def _judge(
    f: Any,
    g: Any,
    candidates: list[tuple[np.ndarray, str]],
    domain: Domain,
    exact: bool,
    tol: Tolerances,
    scale: float,
    method: str,
    notes: list[str] | None,
    form: CanonicalForm | None,
    complete: bool = True,
) -> Equivalence:
    """Evaluate both nets at the candidates; the largest difference is the witness."""
    best = None
    for point, why in candidates:
        if not _inside(point, domain, exact):
            continue
        fx, gx = f.evaluate(point), g.evaluate(point)
        gap = max(abs(float(a - b)) for a, b in zip(fx, gx, strict=True))
        if exact and gap == 0 and any(a != b for a, b in zip(fx, gx, strict=True)):
            gap = math.ulp(0.0)  # nonzero below float resolution
        if best is None or gap > best[0]:
            best = (gap, point, fx, gx, why)
    evidence = list(notes or [])
    if best is not None and best[0] > 0:
        gap, point, fx, gx, why = best
        if exact or not (tol.is_zero(gap, scale) or tol.unsure(gap, scale)):
            return Equivalence(
                "not equivalent",
                tuple(point.tolist()),
                (tuple(fx.tolist()), tuple(gx.tolist())),
                domain,
                exact,
                method,
                (f"witness near {why}",),
                complete,
                form,
            )
        evidence.append(
            f"the largest difference found, {gap:.3g} at {[float(v) for v in point]} near {why}, "
            f"is within the tolerance (scale {scale:.3g}, rel={tol.rel:g})"
        )
    else:
        evidence.append("no witness point could be built")
    return Equivalence(
        "undecided", None, None, domain, exact, method, tuple(evidence), complete, form
    )


def _dtype(exact: bool) -> Any:
    return object if exact else np.float64


def _inside(point: np.ndarray, domain: Domain, exact: bool) -> bool:
    if domain.kind == "space":
        return True
    a = domain.a if exact else domain.a_float
    b = domain.b if exact else domain.b_float
    return bool(all(v <= bound for v, bound in zip(a @ point, b, strict=True)))


def _strictly_inside(point: np.ndarray, domain: Domain, exact: bool) -> bool:
    if domain.kind == "space":
        return True
    a = domain.a if exact else domain.a_float
    b = domain.b if exact else domain.b_float
    return bool(all(v < bound for v, bound in zip(a @ point, b, strict=True)))


def _point_on_hyperplane(u: np.ndarray, beta: Any, domain: Domain, exact: bool) -> Any:
    """A point of ``u·x + β = 0`` strictly inside the domain, as deep inside as an LP finds."""
    uu = u @ u
    if domain.kind == "space":
        return -u * (beta / uu)
    m = len(u)
    rows, rhs = domain.a, domain.b
    if exact:
        ext = np.empty((len(rows) + 3, m + 1), dtype=object)
        ext[: len(rows), :m] = rows
        ext[: len(rows), m] = 1
        ext[len(rows), :m], ext[len(rows), m] = u, 0
        ext[len(rows) + 1, :m], ext[len(rows) + 1, m] = -u, 0
        ext[len(rows) + 2, :m], ext[len(rows) + 2, m] = 0, 1
        bound = [*rhs, -beta, beta, 1]
        res = exact_maximize([0] * m + [1], ext, bound)
        if res.status != "optimal" or res.value <= 0:
            return None
        return np.array(res.x[:m], dtype=object)
    norms = np.linalg.norm(domain.a_float, axis=1)
    ext = np.hstack([domain.a_float, norms[:, None]])
    ext = np.vstack([ext, np.append(u, 0.0)])
    lower = np.append(np.full(len(rows), -np.inf), -beta)
    upper = np.append(domain.b_float, -beta)
    lp = LPModel(ext, lower, upper, col_upper=[*[np.inf] * m, 1.0])
    res = lp.solve(np.append(np.zeros(m), 1.0), maximize=True)
    if not res.optimal or res.x[m] <= 0:
        return None
    return res.x[:m]


def _spread_on_hyperplane(
    kink: Any, domain: Domain, scales: dict[str, float]
) -> tuple[list[Any], list[Any]]:
    """Float points about a length scale from a kink's foot, inside the domain: on its
    hyperplane, and off it.

    From the foot (the deepest point of the hyperplane in the domain) the points step along
    each direction of an orthonormal basis of the hyperplane, both ways, by the length scale,
    halved until the point is strictly inside the domain; two more points step off the
    hyperplane along its normal (beyond a near-coincident kink, where the slopes of ``f - g``
    differ by the change).
    """
    u = np.array(kink.normal, dtype=np.float64)
    foot = _point_on_hyperplane(u, float(kink.offset), domain, False)
    if foot is None:
        return [], []
    # the last m - 1 right singular vectors of the row u span its orthogonal complement
    basis = np.linalg.svd(u[None, :])[2][1:][:MAX_SPREAD_DIRECTIONS]
    length = scales.get("length", 1.0)
    on: list[Any] = []
    off: list[Any] = []
    for direction, out in [*((d, on) for d in basis), (u / np.linalg.norm(u), off)]:
        for sign in (1.0, -1.0):
            step = length
            for _ in range(60):
                q = foot + sign * step * direction
                if _strictly_inside(q, domain, False):
                    out.append(q)
                    break
                step /= 2
    return on, off


def _kink_points(
    form: CanonicalForm,
    j: int,
    domain: Domain,
    exact: bool,
    scales: dict[str, float],
    *,
    start: Any = None,
) -> list[np.ndarray]:
    """Three points across kink ``j`` with no other kink of the form between them, near
    ``start`` (a point of the hyperplane inside the domain; default its deepest point)."""
    dt = _dtype(exact)
    kink = form.kinks[j]
    u = np.array(kink.normal, dtype=dt)
    beta = kink.offset
    others = [
        (np.array(kk.normal, dtype=dt), kk.offset) for i, kk in enumerate(form.kinks) if i != j
    ]
    p = _point_on_hyperplane(u, beta, domain, exact) if start is None else start
    if p is None:
        return []
    length = Fraction(1) if exact else scales.get("length", 1.0)
    near = 0 if exact else 1e-9 * length

    def on_other(q: np.ndarray) -> tuple[np.ndarray, Any] | None:
        return next(((uk, bk) for uk, bk in others if abs(uk @ q + bk) <= near), None)

    uu = u @ u
    for _ in range(len(others) + 1):
        hit = on_other(p)
        if hit is None:
            break
        uk = hit[0]
        v = uk - u * ((uk @ u) / uu)
        step = length
        for _ in range(80):
            q = p + v * step
            if _strictly_inside(q, domain, exact) and on_other(q) is None:
                p = q
                break
            step = step / 2
        else:
            return []
    bounds = []
    for uk, bk in others:
        du = uk @ u
        if du != 0:
            bounds.append(abs((uk @ p + bk) / du))
    if domain.kind != "space":
        a = domain.a if exact else domain.a_float
        b = domain.b if exact else domain.b_float
        for row, bound in zip(a, b, strict=True):
            au = row @ u
            if au != 0:
                bounds.append((bound - row @ p) / abs(au))
    bounds = [t for t in bounds if t > 0]
    t = min(bounds) / 2 if bounds else length
    return [p - u * t, p, p + u * t]


def _interior_point(domain: Domain, exact: bool) -> np.ndarray:
    dt = _dtype(exact)
    if domain.kind == "space":
        return np.array([Fraction(0) if exact else 0.0] * domain.dim, dtype=dt)
    if domain.kind == "box":
        mid = [(lo + hi) / 2 for lo, hi in zip(domain.lower, domain.upper, strict=True)]
        return np.array(mid if exact else [float(v) for v in mid], dtype=dt)
    if exact:
        return np.array(exact_interior_point(domain.a, domain.b), dtype=object)
    return chebyshev_centre(domain.a_float, domain.b_float, radius_cap=1.0)[0]


def _affine_points(
    form: CanonicalForm, domain: Domain, exact: bool, scales: dict[str, float]
) -> list[np.ndarray]:
    """An interior point and a step from it along a nonzero row of the linear part: a unit step
    in exact mode (any nonzero difference refutes), about a length scale in float mode (so that a
    small linear part shows a difference comparable to the value scale)."""
    dt = _dtype(exact)
    p = _interior_point(domain, exact)
    out = [p]
    linear = np.array(form.linear, dtype=dt)
    for row in linear:
        if any(v != 0 for v in row):
            if exact:
                step: Any = Fraction(1)
            else:
                step = scales.get("length", 1.0) / float(np.linalg.norm(row))
            for _ in range(80):
                q = p + row * step
                if _strictly_inside(q, domain, exact):
                    out.append(q)
                    break
                step = step / 2
            break
    return out


# -- deep nets ----------------------------------------------------------------------------------
def _sample_points(domain: Domain, net: ReLUNet, n: int, seed: int, exact: bool) -> list[Any]:
    rng = check_rng(seed)
    m = domain.dim
    if domain.kind == "box":
        lo = np.array([float(v) for v in domain.lower])
        hi = np.array([float(v) for v in domain.upper])
        pts = lo + (hi - lo) * rng.random((n, m))
    elif domain.kind == "space":
        w0 = np.asarray(net.weights[0], dtype=float)
        b0 = np.asarray(net.biases[0], dtype=float)
        norms = np.linalg.norm(w0, axis=1)
        dist = np.abs(b0[norms > 0]) / norms[norms > 0]
        radius = max(1.0, 2 * float(dist.max(initial=0.0)))
        pts = rng.normal(size=(n, m)) * radius
    else:
        centre = _interior_point(domain, False)
        pts = centre + rng.normal(size=(n, m)) * 0.1
    out = []
    for x in pts:
        q = np.array([Fraction(v) for v in x], dtype=object) if exact else x
        if _inside(q, domain, exact):
            out.append(q)
    return out


def _deep(
    f: ReLUNet,
    g: ReLUNet,
    domain: Domain,
    exact: bool,
    tol: Tolerances,
    time_limit: float | None,
    seed: int,
    progress: bool,
) -> Equivalence:
    from neurogeom.regions import enumerate_regions

    fw, gw = (f.to_exact(), g.to_exact()) if exact else (f.to_float(), g.to_float())
    diff = fw - gw
    extent = max(domain.extent(), 1.0)
    scale = max(output_size(diff.to_float(), extent), np.finfo(float).tiny)
    points = _sample_points(domain, fw, SAMPLE_POINTS, seed, exact)
    sampled = _judge(
        fw,
        gw,
        [(p, "a random point") for p in points],
        domain,
        exact,
        tol,
        scale,
        "sampling",
        None,
        None,
    )
    if sampled.verdict == "not equivalent":
        return sampled
    res = enumerate_regions(
        diff,
        domain=domain,
        exact=exact,
        tol=tol,
        time_limit=time_limit,
        volumes=False,
        point_connected=False,
        progress=progress,
    )
    candidates: list[tuple[np.ndarray, str]] = []
    unsure: list[str] = []
    for cell in res.cells:
        matrix = np.array(cell.matrix, dtype=_dtype(exact))
        offset = np.array(cell.offset, dtype=_dtype(exact))
        if exact:
            nonzero = not (_all_zero(matrix) and _all_zero(offset))
        else:
            gap = float(np.abs(matrix).max(initial=0.0)) * extent + float(
                np.abs(offset).max(initial=0.0)
            )
            nonzero = not tol.is_zero(gap, scale)
            if tol.unsure(gap, scale):
                unsure.append(
                    f"cell {cell.index}: the map of f - g has size {gap:.3g}, within "
                    "the tolerance band"
                )
        if nonzero:
            candidates += [(p, f"cell {cell.index} of f - g") for p in _cell_points(cell, exact)]
            if len(candidates) >= 12:
                break
    notes = [n.message for n in res.uncertified] + unsure
    if candidates:
        out = _judge(
            fw, gw, candidates, domain, exact, tol, scale, "regions", notes, None, res.complete
        )
        if out.verdict == "not equivalent" or res.complete:
            return out
    if not res.complete:
        return Equivalence(
            "undecided",
            None,
            None,
            domain,
            exact,
            "regions",
            (
                f"the time limit ran out after {len(res.cells)} cells of f - g, all with a zero "
                "map",
                *notes,
            ),
            False,
        )
    if notes and not exact:
        return Equivalence(
            "undecided",
            None,
            None,
            domain,
            False,
            "regions",
            ("every cell map of f - g is zero within the tolerance, but not certainly:", *notes),
        )
    return Equivalence(
        "equivalent",
        None,
        None,
        domain,
        exact,
        "regions",
        (f"all {len(res.cells)} activation cells of f - g have the zero map",),
    )


def _cell_points(cell: Any, exact: bool) -> list[np.ndarray]:
    """The cell's interior point and small steps from it along the gradient of each output."""
    dt = _dtype(exact)
    p = np.array(cell.point, dtype=dt)
    out = [p]
    matrix = np.array(cell.matrix, dtype=dt)
    radius = cell.radius if cell.radius > 0 else 1e-6
    for row in matrix:
        norm = float(np.linalg.norm(np.asarray(row, dtype=float)))
        if norm > 0:
            t = radius / (2 * norm)
            step = Fraction(t) if exact else t
            out.append(p + row * step)
            out.append(p + row * (step / 1024))
    return out
