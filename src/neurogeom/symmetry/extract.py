"""Black-box extraction of a shallow ReLU network from queries.

Given only ``x -> f(x)`` for a hidden net ``f(x) = Σ_i a_i σ(w_i·x + b_i) + c`` (any output
width, with or without skip term), recover its canonical form (symmetries spec §3f, after Carlini,
Jagielski, Mironov, arXiv 2003.04884, and Rolnick & Kording, arXiv 1910.00744):

1. *Kinks along a line.* On a random line ``x0 + t d`` the net is piecewise linear in ``t``, with
   one kink per hyperplane it crosses. An interval is searched with the lines that fit ``f`` just
   inside both ends: if they are the same line the interval has no kink; if they meet at ``t*``
   and ``f(t*)`` lies on both, it has exactly one kink, at ``t*``; otherwise it is halved.
2. *Gradient jumps.* At a kink ``x*`` the one-sided Jacobians (finite differences, ``m + 1``
   queries a side) differ by the rank-one ``α uᵀ``; its singular vectors give the hyperplane's
   unit normal ``u`` and the coefficient ``α``, and ``β = -u·x*``.
3. *Deduplicate, fit, check.* New hyperplanes are merged with those already found, the affine
   part ``L x + d`` is fitted by least squares on ``f - Σ α σ(u·x + β)``, and the model is compared
   with ``f`` at fresh random points. Lines are searched until one brings no new hyperplane and
   the check passes.

The result is exact only up to floating point: the recovered parameters are accurate to about
``1e-9`` relative, so equivalence with the hidden net is decided at a matching tolerance.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from neurogeom.core.domain import Domain
from neurogeom.core.errors import InvalidInputError
from neurogeom.core.random import check_rng
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.nets.relu import ReLUNet
from neurogeom.symmetry.canonical import CanonicalForm, canonical_form, orientation_sign
from neurogeom.symmetry.shallow import ShallowNet, as_shallow

__all__ = ["DEFAULT_EXTRACTION_TOL", "Extraction", "extract_shallow"]

#: Tolerances of extraction's decisions and of its final equivalence check: recovered parameters
#: are accurate to about 1e-9 relative, so an equivalence is certified when f - g vanishes at
#: ``rel / band = 1e-8``.
DEFAULT_EXTRACTION_TOL = Tolerances(rel=1e-6, band=100)


class _OutOfQueries(Exception):
    """The query budget ran out."""


@dataclass(slots=True)
class _Oracle:
    """The black box with a query counter and a budget."""

    func: Callable[[np.ndarray], Any]
    n_inputs: int
    budget: int
    n_outputs: int = 0
    queries: int = 0

    def __call__(self, x: np.ndarray) -> np.ndarray:
        pts = np.atleast_2d(np.asarray(x, dtype=np.float64))
        if self.queries + len(pts) > self.budget:
            raise _OutOfQueries
        self.queries += len(pts)
        out = np.asarray(self.func(pts), dtype=np.float64)
        if out.ndim == 1:
            out = out[:, None] if len(pts) > 1 or self.n_outputs in (0, 1) else out[None, :]
        if out.shape[0] != len(pts) or not np.isfinite(out).all():
            raise InvalidInputError(
                f"the oracle must return finite outputs of shape (N, k) for N = {len(pts)} "
                f"points, got shape {out.shape}"
            )
        if self.n_outputs == 0:
            self.n_outputs = out.shape[1]
        return out


@dataclass(slots=True)
class _Found:
    """Hyperplanes found so far: unit normals ``u``, offsets ``β``, coefficients ``α``."""

    normals: list[np.ndarray] = field(default_factory=list)
    offsets: list[float] = field(default_factory=list)
    coefficients: list[np.ndarray] = field(default_factory=list)

    def add(self, u: np.ndarray, beta: float, alpha: np.ndarray, tol: float) -> bool:
        """Add a hyperplane unless it is already known (either orientation); True if new."""
        s = orientation_sign(u, exact=False)
        u, beta = u * s, beta * s
        close = max(tol * 100, 1e-4)
        for v, c in zip(self.normals, self.offsets, strict=True):
            for sign in (1, -1):  # orientations of nearly equal normals may be chosen apart
                if np.abs(sign * u - v).max() <= close and abs(sign * beta - c) <= close * (
                    1 + abs(c)
                ):
                    return False
        self.normals.append(u)
        self.offsets.append(beta)
        self.coefficients.append(alpha)
        return True

    def evaluate(self, x: np.ndarray) -> np.ndarray:
        if not self.normals:
            return np.zeros((len(x), 0))
        u = np.array(self.normals)
        b = np.array(self.offsets)
        a = np.array(self.coefficients)
        return np.maximum(x @ u.T + b, 0.0) @ a


@dataclass(frozen=True, slots=True)
class Extraction:
    """A shallow net recovered from black-box queries.

    Attributes
    ----------
    form : CanonicalForm
        The recovered canonical form (float).
    net : ShallowNet
        One neuron per hyperplane plus a skip term and output bias (``form.to_net()``).
    queries : int
        Oracle evaluations used (points).
    lines : int
        Lines searched for kinks.
    complete : bool
        Whether the search ended with a passing check (not by running out of queries).
    max_error : float
        Largest ``|model - f|`` at the final check points, relative to the output scale.
    verdict : str or None
        When the hidden net was given: :func:`~neurogeom.symmetry.are_equivalent` of the
        recovered net against it, at tolerance ``tol``.
    seconds : float
    """

    form: CanonicalForm
    net: ShallowNet
    queries: int
    lines: int
    complete: bool
    max_error: float
    verdict: str | None
    seconds: float

    @property
    def width(self) -> int:
        """Hyperplanes recovered."""
        return self.form.width

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``queries``, ``width``, ``verified`` and the canonical form."""
        return {
            "queries": self.queries,
            "lines": self.lines,
            "width": self.width,
            "queries_per_neuron": self.queries / max(self.width, 1),
            "complete": self.complete,
            "max_error": self.max_error,
            "verified": None if self.verdict is None else self.verdict == "equivalent",
            "verdict": self.verdict,
            "seconds": round(self.seconds, 6),
            **{k: v for k, v in self.form.to_dict().items() if k in ("hyperplanes", "affine")},
        }

    def __repr__(self) -> str:
        flag = "" if self.complete else ", incomplete"
        ver = "" if self.verdict is None else f", {self.verdict}"
        return f"Extraction({self.width} hyperplanes, {self.queries} queries{ver}{flag})"


@dataclass(slots=True)
class _Search:
    """One extraction run: the oracle, the scales and tolerances, what was found."""

    oracle: _Oracle
    rng: np.random.Generator
    tol: float
    radius: float
    span: float
    value_scale: float = 1.0
    found: _Found = field(default_factory=_Found)

    # -- along a line ---------------------------------------------------------------------------
    def line_values(self, x0: np.ndarray, d: np.ndarray, ts: list[float]) -> np.ndarray:
        return self.oracle(x0 + np.outer(ts, d))

    def kinks_on_line(self, x0: np.ndarray, d: np.ndarray) -> list[tuple[float, float]]:
        """Kink positions ``t`` on the line, with the gap to their neighbours."""
        a, b = -self.span, self.span
        delta = 1e-6 * (b - a)
        vals = self.line_values(x0, d, [a, a + delta, b - delta, b])
        left = (a, vals[0], (vals[1] - vals[0]) / delta)
        right = (b, vals[3], (vals[3] - vals[2]) / delta)
        stack = [(left, right)]
        kinks: list[float] = []
        min_len = 1e-10 * (b - a)
        while stack:
            (ta, ga, sa), (tb, gb, sb) = stack.pop()
            size = self.value_scale * self.tol
            if (
                np.abs(sa - sb).max() * (tb - ta) <= size
                and np.abs(gb - (ga + sa * (tb - ta))).max() <= size
            ):
                continue  # one line across the interval: no kink (generically)
            ds = sa - sb
            j = int(np.argmax(np.abs(ds)))
            if abs(ds[j]) > 0:
                t_star = (gb[j] - ga[j] + sa[j] * ta - sb[j] * tb) / ds[j]
                if ta < t_star < tb:
                    g_star = self.line_values(x0, d, [t_star])[0]
                    pred = ga + sa * (t_star - ta)
                    pred_b = gb + sb * (t_star - tb)
                    if max(np.abs(g_star - pred).max(), np.abs(g_star - pred_b).max()) <= size:
                        t_kink = self.refine(x0, d, float(t_star), ta, tb, sa, sb, size)
                        if t_kink is not None:
                            kinks.append(t_kink)
                            continue
            if tb - ta <= min_len:
                continue  # unresolved: another line will find what is here
            mid = 0.5 * (ta + tb)
            h = 1e-6 * (tb - ta)
            gm = self.line_values(x0, d, [mid - h, mid, mid + h])
            stack.append(((ta, ga, sa), (mid, gm[1], (gm[1] - gm[0]) / h)))
            stack.append(((mid, gm[1], (gm[2] - gm[1]) / h), (tb, gb, sb)))
        kinks.sort()
        out = []
        for i, t in enumerate(kinks):
            gaps = [abs(t - kinks[j]) for j in (i - 1, i + 1) if 0 <= j < len(kinks)]
            out.append((t, min(gaps, default=self.span)))
        return out

    def refine(
        self,
        x0: np.ndarray,
        d: np.ndarray,
        t: float,
        ta: float,
        tb: float,
        sa: np.ndarray,
        sb: np.ndarray,
        size: float,
    ) -> float | None:
        """Confirm a single kink at ``t`` and relocate it from lines fitted close to it.

        The slopes just left and right of ``t`` must be the slopes at the two ends of the
        interval (otherwise the end lines only met outside a cluster of kinks, and ``None`` is
        returned). The kink is then relocated from the close lines, so that the rounding of
        far-away values does not move it.
        """
        # close to t: far-away samples would agree with the end lines whenever t lies outside a
        # cluster of kinks
        eps = 0.4 * min(t - ta, tb - t, 1e-3 * (tb - ta))
        if eps <= 0:
            return None
        g = self.line_values(x0, d, [t - eps, t - eps / 2, t + eps / 2, t + eps])
        s_left = (g[1] - g[0]) / (eps / 2)
        s_right = (g[3] - g[2]) / (eps / 2)
        slack = size / (tb - ta)
        if np.abs(s_left - sa).max() > slack or np.abs(s_right - sb).max() > slack:
            return None
        ds = s_left - s_right
        j = int(np.argmax(np.abs(ds)))
        if ds[j] == 0:
            return None
        t_new = (g[3][j] - g[0][j] + s_left[j] * (t - eps) - s_right[j] * (t + eps)) / ds[j]
        return float(t_new) if t - eps < t_new < t + eps else float(t)

    # -- at a kink ------------------------------------------------------------------------------
    def jacobian_at(self, y: np.ndarray, h: float) -> np.ndarray:
        m = len(y)
        pts = np.vstack([y, y + h * np.eye(m)])
        vals = self.oracle(pts)
        return ((vals[1:] - vals[0]) / h).T  # (k, m)

    def hyperplane_at(self, x_star: np.ndarray, d: np.ndarray, gap: float) -> tuple | None:
        """``(u, β, α)`` of the kink at ``x_star`` on direction ``d``, or None if the kink does
        not behave like a single hyperplane."""
        eta = min(0.25 * gap, 1e-2 * self.radius)
        h = 1e-2 * eta
        jump = self.jacobian_at(x_star + eta * d, h) - self.jacobian_at(x_star - eta * d, h)
        left, sv, right = np.linalg.svd(jump)
        if sv[0] == 0 or (len(sv) > 1 and sv[1] > 1e-3 * sv[0]):
            return None  # not rank one: several hyperplanes met here
        u = right[0]
        alpha = left[:, 0] * sv[0]
        if u @ d < 0:
            u, alpha = -u, -alpha
        beta = float(-u @ x_star)
        # elsewhere on the same hyperplane the second difference across it must be α η
        tangent = self.rng.normal(size=len(u))
        tangent -= u * (tangent @ u)
        norm = np.linalg.norm(tangent)
        if norm > 0:
            step = 1e-3 * self.radius
            x_other = x_star + tangent / norm * (0.1 * self.radius)
            vals = self.oracle(np.vstack([x_other - step * u, x_other, x_other + step * u]))
            second = vals[0] + vals[2] - 2 * vals[1]
            if np.abs(second - alpha * step).max() > 1e-3 * np.abs(alpha * step).max():
                return None
        return u, beta, alpha

    def polish(self, j: int, tries: int = 3) -> bool:
        """Re-measure hyperplane ``j`` where it is easiest to see: on a line crossing it at right
        angles near its foot, with steps that stay clear of every other known hyperplane. A
        measurement disturbed by a kink not yet known is refused and retried elsewhere."""
        found = self.found
        tried = [self._polish_once(j) for _ in range(tries)]
        good = [t for t in tried if t is not None]
        if not good:
            return False
        # the measurement with the longest finite-difference steps has the least rounding
        _, u, beta, alpha = max(good, key=lambda t: t[0])
        found.normals[j], found.offsets[j], found.coefficients[j] = u, beta, alpha
        return True

    def _polish_once(self, j: int) -> tuple[float, np.ndarray, float, np.ndarray] | None:
        found = self.found
        u, beta = found.normals[j], found.offsets[j]
        others = [i for i in range(len(found.normals)) if i != j]
        tangent = self.rng.normal(size=len(u))
        tangent -= u * (tangent @ u)
        norm = np.linalg.norm(tangent)
        p = -beta * u + (tangent / norm * 0.1 * self.radius if norm > 0 else 0.0)
        normals = np.array([found.normals[i] for i in others]).reshape(len(others), len(u))
        offsets = np.array([found.offsets[i] for i in others])

        def clearance(y: np.ndarray) -> float:
            if not others:
                return self.radius
            return float(np.abs(normals @ y + offsets).min())

        along = normals @ u if others else np.zeros(0)
        hits = [
            abs((normals[i] @ p + offsets[i]) / along[i])
            for i in range(len(others))
            if abs(along[i]) > 1e-12
        ]
        r = min([0.5 * min(hits)] if hits else [self.radius], default=self.radius)
        r = min(r, self.radius)
        if not r > 0:
            return None
        g = self.oracle(p + np.outer([-r, -r / 2, r / 2, r], u))
        s_left = (g[1] - g[0]) / (r / 2)
        s_right = (g[3] - g[2]) / (r / 2)
        ds = s_left - s_right
        i = int(np.argmax(np.abs(ds)))
        if ds[i] == 0:
            return None
        s_star = (g[3][i] - g[0][i] + s_left[i] * (-r) - s_right[i] * r) / ds[i]
        if not -r / 2 < s_star < r / 2:
            return None
        x_star = p + s_star * u
        eta = r / 4
        plus, minus = x_star + eta * u, x_star - eta * u
        h = 0.5 * min(clearance(plus), clearance(minus), eta)
        jump = self.jacobian_at(plus, h) - self.jacobian_at(minus, h)
        left, sv, right = np.linalg.svd(jump)
        if sv[0] == 0 or (len(sv) > 1 and sv[1] > 1e-3 * sv[0]):
            return None
        u_new = right[0] if right[0] @ u > 0 else -right[0]
        alpha = left[:, 0] * sv[0] * (1 if right[0] @ u > 0 else -1)
        beta_new = float(-u_new @ x_star)
        close = 1e-4
        if (
            np.abs(u_new - u).max() > close
            or abs(beta_new - beta) > close * (1 + abs(beta))
            or np.abs(alpha - found.coefficients[j]).max()
            > close * np.abs(found.coefficients[j]).max()
        ):
            return None  # another kink interfered: keep the earlier measurement
        return h, u_new, beta_new, alpha

    def confirmed(self, j: int, points: int = 2) -> bool:
        """Whether hyperplane ``j`` has the kink it should at points far along it: the second
        difference across it must be ``α η`` (a pair of nearly parallel hyperplanes measured as
        one passes near where it was found, but not far away)."""
        u, beta, alpha = self.found.normals[j], self.found.offsets[j], self.found.coefficients[j]
        step = 1e-4 * self.radius
        for _ in range(points):
            tangent = self.rng.normal(size=len(u))
            tangent -= u * (tangent @ u)
            norm = np.linalg.norm(tangent)
            if norm == 0:
                return True
            x = -beta * u + tangent / norm * self.radius
            vals = self.oracle(np.vstack([x - step * u, x, x + step * u]))
            second = vals[0] + vals[2] - 2 * vals[1]
            if np.abs(second - alpha * step).max() > 1e-3 * np.abs(alpha * step).max():
                return False
        return True

    def prune(self) -> int:
        """Drop hyperplanes that fail :meth:`confirmed`; return how many."""
        keep = [j for j in range(len(self.found.normals)) if self.confirmed(j)]
        dropped = len(self.found.normals) - len(keep)
        self.found.normals = [self.found.normals[j] for j in keep]
        self.found.offsets = [self.found.offsets[j] for j in keep]
        self.found.coefficients = [self.found.coefficients[j] for j in keep]
        return dropped

    # -- the affine part and the check ----------------------------------------------------------
    def fit_affine(self, m: int) -> tuple[np.ndarray, np.ndarray]:
        x = self.rng.normal(size=(2 * (m + 1), m)) * self.radius
        y = self.oracle(x)
        if self.found.normals:
            y = y - self.found.evaluate(x)
        design = np.hstack([x, np.ones((len(x), 1))])
        coef, *_ = np.linalg.lstsq(design, y, rcond=None)
        return coef[:m].T, coef[m]

    def check(self, linear: np.ndarray, constant: np.ndarray, m: int) -> float:
        x = self.rng.normal(size=(4 * (m + 1), m)) * self.radius * 2
        model = x @ linear.T + constant
        if self.found.normals:
            model = model + self.found.evaluate(x)
        err = np.abs(self.oracle(x) - model).max()
        return float(err / self.value_scale)


def _as_oracle(target: Any, n_inputs: int | None) -> tuple[Callable, int, Any]:
    if isinstance(target, ShallowNet | ReLUNet):
        net = as_shallow(target, what="extract_shallow", leaky=True)
        f = net.to_float()
        return f.evaluate, net.n_inputs, target
    if not callable(target):
        raise InvalidInputError(
            f"extract_shallow needs a callable oracle or a network, got {type(target).__name__}"
        )
    if isinstance(n_inputs, bool) or not isinstance(n_inputs, int) or n_inputs < 1:
        raise InvalidInputError(
            f"n_inputs must be a positive integer for a callable oracle, got {n_inputs!r}"
        )
    return target, n_inputs, None


def extract_shallow(
    oracle: Any,
    n_inputs: int | None = None,
    *,
    max_queries: int = 200_000,
    radius: float | None = None,
    span: float | None = None,
    max_lines: int = 8,
    tol: float | Tolerances | None = None,
    seed: Any = 0,
) -> Extraction:
    """Recover a shallow ReLU network from black-box queries.

    Parameters
    ----------
    oracle : callable or ShallowNet or ReLUNet
        ``oracle(X)`` maps an ``(N, m)`` float array to ``(N, k)`` outputs. A network is used as
        its own oracle, and the result is then checked against it (``verdict``).
    n_inputs : int, optional
        ``m``; required for a callable.
    max_queries : int
        The query budget (points evaluated), at least 1. When it runs out the result is partial
        (``complete=False``).
    radius : float, optional
        The input scale: random lines pass within about ``radius`` of the origin and check points
        are drawn at that scale (default: 1).
    span : float, optional
        Each line is searched for ``|t| <= span`` (default ``1000 * radius``): hyperplanes
        crossing farther out are found on other lines.
    max_lines : int
        Most lines searched.
    tol : float or Tolerances, optional
        Tolerances (default :data:`DEFAULT_EXTRACTION_TOL`, ``rel=1e-6, band=100``): of the kink
        tests, of the final check and of the equivalence test against a given net.
    seed : int, optional
        Seeds the lines and check points.

    Returns
    -------
    Extraction

    Raises
    ------
    InvalidInputError
        A query budget below 1, a bad radius, tolerance or oracle.

    References
    ----------
    Carlini, Jagielski, Mironov, arXiv 2003.04884; Rolnick & Kording, arXiv 1910.00744.

    Examples
    --------
    >>> hidden = ShallowNet([[1.0, 2.0], [-1.0, 1.0], [2.0, -1.0]], [1.0, 0.0, -1.0],
    ...                     [[1.0, -2.0, 3.0]], c=[0.5])
    >>> res = extract_shallow(hidden, seed=0)
    >>> res.width, res.verdict, res.complete, res.queries < 500
    (3, 'equivalent', True, True)
    """
    started = time.monotonic()
    func, m, hidden = _as_oracle(oracle, n_inputs)
    if isinstance(max_queries, bool) or not isinstance(max_queries, int) or max_queries < 1:
        raise InvalidInputError(
            f"the query budget must be a positive integer, got {max_queries!r}; extraction needs "
            "at least one query"
        )
    tolerances = DEFAULT_EXTRACTION_TOL if tol is None else check_tol(tol)
    radius = 1.0 if radius is None else float(radius)
    if not (math.isfinite(radius) and radius > 0):
        raise InvalidInputError(f"radius must be a positive number, got {radius!r}")
    span = 1000.0 * radius if span is None else float(span)
    if not (math.isfinite(span) and span > 0):
        raise InvalidInputError(f"span must be a positive number, got {span!r}")
    rng = check_rng(seed)
    search = _Search(_Oracle(func, m, max_queries), rng, tolerances.rel, radius, span)
    lines = 0
    complete = False
    error = math.inf
    k = 1
    linear, constant = np.zeros((1, m)), np.zeros(1)
    try:
        probe = search.oracle(rng.normal(size=(m + 1, m)) * radius)
        k = probe.shape[1]
        search.value_scale = max(float(np.abs(probe).max()), 1e-300)
        linear, constant = np.zeros((k, m)), np.zeros(k)
        while lines < max_lines:
            lines += 1
            x0 = rng.normal(size=m) * radius
            d = rng.normal(size=m)
            d /= np.linalg.norm(d)
            new = 0
            before = len(search.found.normals)
            for t, gap in search.kinks_on_line(x0, d):
                plane = search.hyperplane_at(x0 + t * d, d, gap)
                if plane is not None:
                    u, beta, alpha = plane
                    new += search.found.add(u, beta, alpha, tolerances.rel)
            for j in range(before, len(search.found.normals)):
                search.polish(j)
            if new == 0:  # nothing new: measure every hyperplane again, all neighbours known
                for j in range(len(search.found.normals)):
                    search.polish(j)
            linear, constant = search.fit_affine(m)
            error = search.check(linear, constant, m)
            if new == 0 and error <= tolerances.rel * 10:
                complete = True
                break
            if new == 0 and search.prune():  # a bad hyperplane: drop it, search on
                linear, constant = search.fit_affine(m)
                error = search.check(linear, constant, m)
    except _OutOfQueries:
        complete = False
    form = _form(search.found, linear, constant, m, k, tolerances)
    verdict = None
    if hidden is not None:
        from neurogeom.symmetry.equivalence import are_equivalent

        verdict = are_equivalent(form.to_net(), hidden, exact=False, tol=tolerances).verdict
    return Extraction(
        form,
        form.to_net(),
        search.oracle.queries,
        lines,
        complete,
        error,
        verdict,
        time.monotonic() - started,
    )


def _form(
    found: _Found, linear: np.ndarray, constant: np.ndarray, m: int, k: int, tol: Tolerances
) -> CanonicalForm:
    """The canonical form of what was found (through a skip net, so conventions are uniform)."""
    if not found.normals:
        w = np.zeros((1, m))
        b = np.zeros(1)
        a = np.zeros((k, 1))
    else:
        w = np.array(found.normals)
        b = np.array(found.offsets)
        a = np.array(found.coefficients).T.reshape(k, len(found.normals))
    net = ShallowNet(w, b, a, c=constant.reshape(k), v=linear.reshape(k, m))
    return canonical_form(net, domain=Domain.whole(m), tol=tol)
