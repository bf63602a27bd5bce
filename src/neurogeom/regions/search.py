"""The search engine: layer-by-layer walks over hyperplane arrangements, for any input dimension.

Inside a cell of the first ``l`` hidden layers every layer-``l`` pre-activation is affine, so the
layer cuts the cell by an honest hyperplane arrangement. The engine enumerates that arrangement
by a walk: from a start cell it finds each cell's *essential* hyperplanes (those carrying a facet)
and crosses each of them by flipping one sign. Flipping is exact — the neighbour's pattern is
known without evaluating the net — and later layers, whose hyperplanes bend at these facets, are
handled one level down inside each cell. Nothing assumes general position: coincident
hyperplanes are merged into one (and flip together), zero rows never split a cell, parallel or
missing hyperplanes simply never become essential.

Each arrangement gets one long-lived HiGHS model (rows of the parent cell and of the layer;
variables ``x`` and a radius ``r``). Switching from one cell to the next changes only row bounds
and the radius coefficients; the three kinds of LP — Chebyshev centre, "is row ``j`` a facet",
"does hyperplane ``j`` cross the parent" — reuse the basis of the previous solve. Before any LP,
the foot of the perpendicular from the cell's centre to each hyperplane certifies most facets
(if the foot satisfies every other inequality, the hyperplane carries a facet).

References
----------
Lezeau et al., arXiv 2405.20174 (layerwise subdivision); Gaines & Bi (relucent) and Vincent &
Schwager (RPM) for walks by flipping supporting hyperplanes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from neurogeom.core.errors import NumericalError
from neurogeom.core.exact_lp import exact_interior_point, exact_maximize
from neurogeom.core.lp import LPModel
from neurogeom.core.random import check_rng
from neurogeom.nets.relu import ReLUNet
from neurogeom.regions._cells import apply_pattern, group_hyperplanes, zero_rows
from neurogeom.regions.domain import Domain

__all__ = ["RawCell", "SearchState", "Searcher"]


@dataclass(frozen=True, slots=True)
class RawCell:
    """A full-dimensional activation cell as an engine reports it (before certification)."""

    pattern: np.ndarray
    point: np.ndarray
    radius: float
    xpoint: np.ndarray | None = None  # exact interior point (exact mode, thin cells)


@dataclass(slots=True)
class Node:
    """A cell of the first ``depth`` hidden layers, waiting to be cut by layer ``depth``."""

    depth: int
    prefix: np.ndarray
    point: np.ndarray
    radius: float
    g: np.ndarray | None = None  # normalised rows g x <= h of the cell (float)
    h: np.ndarray | None = None
    p: np.ndarray | None = None  # input map of layer `depth`: x -> p x + q (float)
    q: np.ndarray | None = None
    pe: np.ndarray | None = None  # the same, exact
    qe: np.ndarray | None = None
    ge: np.ndarray | None = None  # exact rows g x <= h (exact mode; not normalised)
    he: np.ndarray | None = None
    xpoint: np.ndarray | None = None  # an exact interior point when the float one is unreliable


@dataclass(slots=True)
class SearchState:
    """Everything needed to resume a search: pending nodes and finished cells."""

    pending: list[Node] = field(default_factory=list)
    cells: list[RawCell] = field(default_factory=list)
    thin: list[RawCell] = field(default_factory=list)
    partial: list[RawCell] = field(default_factory=list)  # cells of an interrupted node
    notes: list[dict[str, Any]] = field(default_factory=list)  # what floats could not certify
    n_lps: int = 0
    n_nodes: int = 0

    def add_notes(self, notes: Any) -> None:
        """Record notes (dicts with ``"neurons"``), each pair of neurons once."""
        known = {tuple(n["neurons"]) for n in self.notes}
        for note in notes:
            if tuple(note["neurons"]) not in known:
                known.add(tuple(note["neurons"]))
                self.notes.append(note)


class SearchInterrupted(Exception):
    """Raised inside a node's walk when the budget runs out (caught by the drivers)."""


def problem_scale(net: ReLUNet, domain: Domain) -> float:
    """The length that relative tolerances multiply: the size of the domain or, on R^n, the
    largest distance of a first-layer hyperplane from the origin (1 if all pass through it).

    Examples
    --------
    >>> net = ReLUNet([[[3.0, 4.0]], [[1.0]]], [[10.0], [0.0]])
    >>> problem_scale(net, Domain.whole(2)), problem_scale(net, Domain.box(-5, 5, dim=2))
    (2.0, 5.0)
    """
    w0 = np.asarray(net.weights[0], dtype=float)
    b0 = np.asarray(net.biases[0], dtype=float)
    n0 = np.linalg.norm(w0, axis=1)
    dists = np.abs(b0[n0 > 0]) / n0[n0 > 0]
    extent = 0.0
    if domain.kind == "box":
        extent = max(max(abs(float(v)) for v in domain.lower + domain.upper), domain.scale())
    elif domain.kind == "polytope":
        extent = float(np.abs(domain.b_float).max())
    scale = max(extent, float(dists.max()) if len(dists) else 0.0)
    return scale if scale > 0 else 1.0


def _fractions(x: np.ndarray) -> np.ndarray:
    return np.array([Fraction(float(v)) for v in x], dtype=object)


def _normalise(g: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    norms = np.linalg.norm(g, axis=1)
    keep = norms > 0
    return g[keep] / norms[keep, None], h[keep] / norms[keep]


def _first_hits(g: np.ndarray, slack: np.ndarray, dirs: np.ndarray) -> np.ndarray:
    """Rows hit first (and alone) by rays from an interior point.

    ``g`` are unit rows of ``g x <= h`` and ``slack = h - g x0 > 0``. Along ``x0 + t d`` row ``i``
    is reached at ``t = slack_i / (g_i d)`` when ``g_i d > 0``; the row reached first, if no other
    row is reached at the same time, carries a facet (the hit point is in its relative interior).
    Returns a boolean mask over the rows.
    """
    rate = g @ dirs.T
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(rate > 0, slack[:, None] / rate, np.inf)
    order = np.argpartition(t, 1, axis=0)[:2] if len(g) > 1 else np.zeros((1, t.shape[1]), int)
    cols = np.arange(t.shape[1])
    first = order[0]
    t1 = t[first, cols]
    if len(g) > 1:
        t2 = t[order[1], cols]
        lo = np.minimum(t1, t2)
        first = np.where(t1 <= t2, order[0], order[1])
        unique = np.isfinite(lo) & (np.maximum(t1, t2) > lo * (1 + 1e-9))
    else:
        unique = np.isfinite(t1)
    out = np.zeros(len(g), dtype=bool)
    out[first[unique]] = True
    return out


class Searcher:
    """The search engine for one network and domain (create once, call :meth:`run`).

    Parameters
    ----------
    net : ReLUNet
        In exact mode an exact net: hyperplane coincidences and zero rows are then decided
        exactly; LPs always run in float64.
    domain : Domain
    tol : float
        Relative tolerance: radii, facet margins and distances are compared with ``tol * scale``
        where ``scale`` is the size of the domain (or of the first layer's arrangement).
    seed : int or Generator
        For the perturbation of start points that land on a hyperplane.
    lp_backend : {"highs", "scipy"}
        ``"scipy"`` rebuilds every LP with :func:`scipy.optimize.linprog` (a benchmark baseline).
    """

    def __init__(
        self, net: ReLUNet, domain: Domain, *, tol: float, seed: Any = 0, lp_backend: str = "highs"
    ) -> None:
        self.net = net
        self.lp_backend = lp_backend
        self.exact = net.exact
        fnet = net.to_float()
        self.wf = [np.asarray(w, dtype=float) for w in fnet.weights]
        self.bf = [np.asarray(b, dtype=float) for b in fnet.biases]
        self.we = list(net.weights) if self.exact else None
        self.be = list(net.biases) if self.exact else None
        self.slope = net.negative_slope
        self.n = net.n_inputs
        self.n_hidden_layers = net.n_layers - 1
        self.domain = domain
        self.dom_g, self.dom_h = _normalise(domain.a_float, domain.b_float)
        self.tol = tol
        self.scale = problem_scale(fnet, domain)
        self.thr = tol * self.scale
        self.cap = self.scale
        self.rng = check_rng(seed)
        dirs = self.rng.normal(size=(16 * self.n + 32, self.n))
        self.dirs = dirs / np.linalg.norm(dirs, axis=1, keepdims=True)
        self.n_lps = 0
        self.n_exact_lps = 0
        self.notes: dict[tuple[int, int], dict[str, Any]] = {}
        self.deadline: float | None = None
        self.max_cells: int | None = None
        self.n_cells = 0

    # -- the root -------------------------------------------------------------------------------
    def root(self) -> Node:
        """The domain as a node of depth 0."""
        from neurogeom.core.lp import chebyshev_centre

        if len(self.dom_h):
            point, radius = chebyshev_centre(self.dom_g, self.dom_h, radius_cap=self.cap)
        else:
            point, radius = np.zeros(self.n), self.cap
        node = Node(0, np.zeros(0, dtype=bool), point, radius)
        return self.complete(node)

    def complete(self, node: Node) -> Node:
        """Fill in the rows and maps of a node known by its prefix (used on resume)."""
        if node.p is not None:
            return node
        p, q = np.eye(self.n), np.zeros(self.n)
        pe = qe = None
        if self.exact:
            pe = np.array(
                [[Fraction(int(i == j)) for j in range(self.n)] for i in range(self.n)],
                dtype=object,
            )
            qe = np.array([Fraction(0)] * self.n, dtype=object)
        gs, hs = [self.dom_g], [self.dom_h]
        gse, hse = [self.domain.a], [self.domain.b]
        start = 0
        for l in range(node.depth):
            a, c = self.wf[l] @ p, self.wf[l] @ q + self.bf[l]
            width = a.shape[0]
            act = node.prefix[start : start + width]
            start += width
            sign = np.where(act, -1.0, 1.0)
            gs.append(a * sign[:, None])
            hs.append(-c * sign)
            p, q = apply_pattern(a, c, act, self.slope)
            if self.exact:
                ae, ce = self.we[l] @ pe, self.we[l] @ qe + self.be[l]
                keep = ~zero_rows(ae)
                se = np.array([-1 if s else 1 for s in act], dtype=object)
                gse.append((ae * se[:, None])[keep])
                hse.append((-ce * se)[keep])
                pe, qe = apply_pattern(ae, ce, act, self.slope)
        g, h = _normalise(np.concatenate(gs), np.concatenate(hs))
        node.g, node.h, node.p, node.q, node.pe, node.qe = g, h, p, q, pe, qe
        if self.exact:
            node.ge, node.he = np.concatenate(gse), np.concatenate(hse)
        return node

    # -- one node -------------------------------------------------------------------------------
    def _check_budget(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise SearchInterrupted
        if self.max_cells is not None and self.n_cells >= self.max_cells:
            raise SearchInterrupted

    def process(self, node: Node, emit_cell, emit_node, emit_thin) -> None:
        """Cut ``node`` by its layer; report final cells, child nodes and thin cells."""
        node = self.complete(node)
        l = node.depth
        a, c = self.wf[l] @ node.p, self.wf[l] @ node.q + self.bf[l]
        if self.exact:
            ae, ce = self.we[l] @ node.pe, self.we[l] @ node.qe + self.be[l]
            zero = zero_rows(ae)
            group, orient = group_hyperplanes(ae, ce)
            positive_const = np.array([v > 0 for v in ce], dtype=bool)
        else:
            ae = ce = None
            row_scale = np.linalg.norm(self.wf[l], axis=1) * max(np.linalg.norm(node.p), 1e-300)
            zero = zero_rows(a, scale=row_scale, tol=self.tol)
            a_nz = np.where(zero[:, None], 0.0, a)
            group, orient = group_hyperplanes(a_nz, c, tol=self.tol)
            positive_const = c > 0
            self._note_near_coincident(l, a_nz, c, group, orient)
        reps = np.flatnonzero((group == np.arange(len(group))) & ~zero)
        norms = np.linalg.norm(a[reps], axis=1)
        u = a[reps] / norms[:, None]
        v = c[reps] / norms
        ex = None
        if self.exact:
            ue, ve = ae[reps], ce[reps]
            ex = (node.ge, node.he, ue, ve)
        # which hyperplanes cut the node at all; the others have a constant sign there
        side0 = u @ node.point + v
        cross = self._crossing(node, u, v, side0, ex)
        fixed = side0 > 0
        if self.exact:
            xpt = node.xpoint if node.xpoint is not None else _fractions(node.point)
            fixed = np.array([ue[j] @ xpt + ve[j] > 0 for j in range(len(reps))], dtype=bool)
        last = l == self.n_hidden_layers - 1

        def finish(
            sigma: np.ndarray,
            point: np.ndarray,
            radius: float,
            essential: np.ndarray,
            xpoint: np.ndarray | None = None,
        ) -> None:
            rep_active = fixed.copy()
            rep_active[cross] = sigma > 0
            active_by_rep = dict(zip(reps.tolist(), rep_active.tolist(), strict=True))
            layer = np.empty(len(group), dtype=bool)
            for j in range(len(group)):
                if zero[j]:
                    layer[j] = positive_const[j]
                else:
                    layer[j] = active_by_rep[int(group[j])] == (orient[j] > 0)
            pattern = np.concatenate([node.prefix, layer])
            if last:
                self.n_cells += 1
                emit_cell(RawCell(pattern, point, radius, xpoint))
                return
            sel = np.flatnonzero(cross)[essential]
            s = np.where(rep_active[sel], -1.0, 1.0)
            g = np.concatenate([node.g, u[sel] * s[:, None]])
            h = np.concatenate([node.h, -v[sel] * s])
            p, q = apply_pattern(a, c, layer, self.slope)
            child = Node(l + 1, pattern, point, radius, g, h, p, q, xpoint=xpoint)
            if self.exact:
                child.pe, child.qe = apply_pattern(ae, ce, layer, self.slope)
                se = np.array([-1 if r else 1 for r in rep_active[sel]], dtype=object)
                child.ge = np.concatenate([node.ge, ue[sel] * se[:, None]])
                child.he = np.concatenate([node.he, -ve[sel] * se])
            emit_node(child)

        if not cross.any():
            self._check_budget()
            finish(np.zeros(0), node.point, node.radius, np.zeros(0, dtype=bool), node.xpoint)
            return
        if ex is not None:
            ex = (node.ge, node.he, ue[cross], ve[cross])
        self._walk(node, u[cross], v[cross], finish, emit_thin, node.prefix, ex)

    def _crossing(
        self, node: Node, u: np.ndarray, v: np.ndarray, side0: np.ndarray, ex: Any = None
    ) -> np.ndarray:
        """Which hyperplanes ``u x + v = 0`` pass through the interior of the node.

        With ``ex`` (exact rows of the node and the planes), every decision the floats leave
        within the tolerance band is made by an exact LP.
        """
        k = len(u)
        if k == 0:
            return np.zeros(0, dtype=bool)
        if len(node.h) == 0:
            return np.ones(k, dtype=bool)
        if ex is not None and node.xpoint is not None:
            return np.array([self._exact_crosses(ex, j) for j in range(k)], dtype=bool)
        if node.depth == 0 and self.domain.kind == "box" and ex is None:
            lo = np.array([float(x) for x in self.domain.lower])
            hi = np.array([float(x) for x in self.domain.upper])
            vmin = v + np.minimum(u * lo, u * hi).sum(axis=1)
            vmax = v + np.maximum(u * lo, u * hi).sum(axis=1)
            return (vmin < -self.thr) & (vmax > self.thr)
        near = np.abs(side0) <= self.thr
        out = np.abs(side0) < node.radius - self.thr  # the centre's ball meets the plane
        # rays from the centre: a plane reached before the ray leaves the node crosses it
        slack = node.h - node.g @ node.point
        rate = node.g @ self.dirs.T
        with np.errstate(divide="ignore", invalid="ignore"):
            t_exit = np.where(rate > 0, slack[:, None] / rate, np.inf).min(axis=0)
            speed = u @ self.dirs.T
            t_hit = np.where(speed * side0[:, None] < 0, -side0[:, None] / speed, np.inf)
        out |= (t_hit < t_exit[None, :] * (1 - 1e-9)).any(axis=1) & ~near
        todo = np.flatnonzero(~out)
        if len(todo) == 0:
            return out
        lp = LPModel(node.g, None, node.h, backend=self.lp_backend)
        for j in todo:
            # from the side the centre is on, can the node reach beyond the hyperplane?
            if near[j]:
                lo_r = lp.solve(u[j])
                hi_r = lp.solve(u[j], maximize=True)
                self.n_lps += 2
                values = [r.value + v[j] for r in (lo_r, hi_r) if r.optimal]
                out[j] = (
                    lo_r.status == "unbounded" or (lo_r.optimal and lo_r.value + v[j] < -self.thr)
                ) and (
                    hi_r.status == "unbounded" or (hi_r.optimal and hi_r.value + v[j] > self.thr)
                )
                unsure = (
                    any(abs(x) <= self.thr for x in values)
                    or lo_r.status == "failed"
                    or (hi_r.status == "failed")
                )
            else:
                res = lp.solve(u[j], maximize=side0[j] < 0)
                self.n_lps += 1
                if res.status == "unbounded":
                    out[j] = True
                elif res.optimal:
                    out[j] = (
                        (res.value + v[j] > self.thr)
                        if side0[j] < 0
                        else (res.value + v[j] < -self.thr)
                    )
                unsure = res.status == "failed" or (
                    res.optimal and abs(res.value + v[j]) <= self.thr
                )
            if unsure and ex is not None:
                out[j] = self._exact_crosses(ex, j)
        return out

    def _note_near_coincident(
        self, layer: int, a: np.ndarray, c: np.ndarray, group: np.ndarray, orient: np.ndarray
    ) -> None:
        """Record hyperplanes merged as one although they differ (within ``tol``): cells
        between them, thinner than the tolerance, cannot be seen in float mode."""
        start = sum(self.net.hidden_widths[:layer])
        for j in np.flatnonzero((group >= 0) & (group != np.arange(len(group)))):
            r = int(group[j])
            u_j = np.append(a[j], c[j]) / np.linalg.norm(a[j]) * orient[j]
            u_r = np.append(a[r], c[r]) / np.linalg.norm(a[r])
            if not np.array_equal(u_j, u_r):
                key = (start + r, start + int(j))
                if key not in self.notes:
                    self.notes[key] = {
                        "kind": "near-coincident hyperplanes merged",
                        "neurons": list(key),
                        "gap": float(np.abs(u_j - u_r).max()),
                    }

    # -- exact decisions (exact mode, inside the tolerance band) ---------------------------------
    def _exact_crosses(self, ex: Any, j: int) -> bool:
        """Exactly: does plane ``j`` have node points strictly on both sides?"""
        ge, he, ue, ve = ex
        self.n_exact_lps += 2
        top = exact_maximize(ue[j], ge, he)
        if top.status == "optimal" and top.value + ve[j] <= 0:
            return False
        low = exact_maximize(-ue[j], ge, he)
        return low.status == "unbounded" or (low.status == "optimal" and -low.value + ve[j] < 0)

    def _exact_inside(self, ex: Any, sigma: np.ndarray, x: np.ndarray) -> bool:
        """Whether the float point ``x`` lies strictly inside the cell ``sigma``, exactly."""
        g, h = self._exact_cell_rows(ex, sigma)
        xq = _fractions(x)
        return all(row @ xq < bound for row, bound in zip(g, h, strict=True))

    @staticmethod
    def _exact_cell_rows(ex: Any, sigma: np.ndarray, skip: int = -1) -> tuple[np.ndarray, ...]:
        ge, he, ue, ve = ex
        keep = np.arange(len(sigma)) != skip
        s = np.array([-1 if x > 0 else 1 for x in sigma], dtype=object)[keep]
        return (np.concatenate([ge, ue[keep] * s[:, None]]), np.concatenate([he, -ve[keep] * s]))

    def _exact_facet(self, ex: Any, sigma: np.ndarray, j: int) -> bool:
        """Exactly: can the cell ``sigma`` without row ``j`` reach across plane ``j``?"""
        _, _, ue, ve = ex
        g, h = self._exact_cell_rows(ex, sigma, skip=j)
        self.n_exact_lps += 1
        s = 1 if sigma[j] > 0 else -1
        res = exact_maximize(-s * ue[j], g, h)
        return res.status == "unbounded" or (res.status == "optimal" and res.value - s * ve[j] > 0)

    def _start_signs(self, node: Node, u: np.ndarray, v: np.ndarray, ex: Any = None) -> np.ndarray:
        """Signs of the arrangement at a point near the node's centre that avoids every plane.

        Exact mode: the signs at ``x + εd`` for an exact interior point ``x``, a random direction
        ``d`` and infinitesimal ``ε`` (the sign of ``u·x + v``, or of ``u·d`` where that is 0).
        """
        if ex is not None:
            _, _, ue, ve = ex
            xpt = node.xpoint if node.xpoint is not None else _fractions(node.point)
            while True:
                d = [Fraction(int(k)) for k in self.rng.integers(-(10**6), 10**6, size=self.n)]
                d = np.array(d, dtype=object)
                vals = [ue[j] @ xpt + ve[j] for j in range(len(ue))]
                dirs = [ue[j] @ d for j in range(len(ue))]
                if all(val != 0 or dv != 0 for val, dv in zip(vals, dirs, strict=True)):
                    return np.array(
                        [
                            1.0 if (val > 0 or (val == 0 and dv > 0)) else -1.0
                            for val, dv in zip(vals, dirs, strict=True)
                        ]
                    )
        point = node.point
        for _ in range(64):
            vals = u @ point + v
            if (np.abs(vals) > self.thr).all():
                return np.where(vals > 0, 1.0, -1.0)
            step = self.rng.normal(size=self.n)
            step *= 0.5 * node.radius * self.rng.uniform() / np.linalg.norm(step)
            point = node.point + step
        raise NumericalError(
            "could not find a start point off the hyperplanes inside a cell of radius "
            f"{node.radius:.3g}; the tolerance may be too coarse (try a smaller tol or exact=True)"
        )

    def _walk(
        self,
        node: Node,
        u: np.ndarray,
        v: np.ndarray,
        finish,
        emit_thin,
        prefix: np.ndarray,
        ex: Any = None,
    ) -> None:
        """Enumerate the cells of the arrangement ``u x + v`` inside ``node`` by flips."""
        k, n, kn = len(u), self.n, len(node.h)
        mat = np.zeros((kn + k, n + 1))
        mat[:kn, :n] = node.g
        mat[:kn, n] = 1.0
        mat[kn:, :n] = u
        lp = LPModel(
            mat,
            None,
            np.concatenate([node.h, np.zeros(k)]),
            col_lower=[*[-np.inf] * n, 0.0],
            col_upper=[*[np.inf] * n, self.cap],
            backend=self.lp_backend,
        )
        rows = np.arange(kn, kn + k)
        current = np.zeros(k)
        cheb_cost = np.zeros(n + 1)
        cheb_cost[n] = 1.0

        def set_signs(sigma: np.ndarray) -> None:
            changed = np.flatnonzero(sigma != current)
            if len(changed) == 0:
                return
            s = sigma[changed]
            lp.set_row_bounds(
                rows[changed],
                np.where(s > 0, -v[changed], -np.inf),
                np.where(s > 0, np.inf, -v[changed]),
            )
            lp.set_coefficients(rows[changed], n, -s)
            current[changed] = s

        start = self._start_signs(node, u, v, ex)
        seen = {start.tobytes()}
        queue: list[tuple[np.ndarray, int, dict[int, int]]] = [(start, -1, {})]

        def push_neighbours(
            sigma: np.ndarray, essential: np.ndarray, certs: dict[int, int] | None = None
        ) -> None:
            for j in np.flatnonzero(essential):
                nb = sigma.copy()
                nb[j] = -nb[j]
                key = nb.tobytes()
                if key not in seen:
                    seen.add(key)
                    # a redundancy certificate that does not use row j holds across the flip
                    kept = {t: m for t, m in (certs or {}).items() if not (m >> int(j)) & 1}
                    queue.append((nb, int(j), kept))

        while queue:
            self._check_budget()
            sigma, came_from, inherited = queue.pop()
            set_signs(sigma)
            lp.set_col_bounds([n], [0.0], [self.cap])
            res = lp.solve(cheb_cost, maximize=True)
            self.n_lps += 1
            if ex is not None and (
                not res.optimal
                or res.x[n] <= self.thr
                or not self._exact_inside(ex, sigma, res.x[:n])
            ):
                # too thin for floats, or the float centre fails the exact check: decide exactly
                g_e, h_e = self._exact_cell_rows(ex, sigma)
                self.n_exact_lps += 1
                xp = exact_interior_point(g_e, h_e)
                if xp is None:
                    continue  # exactly empty or flat: not a cell
                xp = np.array(xp, dtype=object)
                essential = np.array(
                    [j == came_from or self._exact_facet(ex, sigma, j) for j in range(k)],
                    dtype=bool,
                )
                finish(sigma, xp.astype(float), 0.0, essential, xp)
                push_neighbours(sigma, essential)
                continue
            if not res.optimal or res.x[n] <= self.thr:
                emit_thin(
                    RawCell(
                        np.concatenate([prefix, sigma > 0]),
                        res.x[:n] if res.optimal else node.point,
                        float(res.x[n]) if res.optimal else 0.0,
                    )
                )
                continue
            centre, radius = res.x[:n], float(res.x[n])
            certs: dict[int, int] = {}
            essential = self._facets(
                lp, node, u, v, sigma, centre, came_from, rows, n, ex, inherited, certs
            )
            finish(sigma, centre, radius, essential)
            push_neighbours(sigma, essential, certs)

    def _facets(
        self,
        lp: LPModel,
        node: Node,
        u: np.ndarray,
        v: np.ndarray,
        sigma: np.ndarray,
        centre: np.ndarray,
        came_from: int,
        rows: np.ndarray,
        n: int,
        ex: Any = None,
        inherited: dict[int, int] | None = None,
        certs: dict[int, int] | None = None,
    ) -> np.ndarray:
        """Which hyperplanes of the arrangement carry a facet of the cell ``sigma``.

        ``inherited`` maps planes to redundancy certificates (bit masks of the arrangement rows
        with nonzero dual) valid for this cell; those planes need no LP. Certificates of the LPs
        solved here are written to ``certs`` for the neighbours.
        """
        k = len(u)
        dist = sigma * (u @ centre + v)
        feet = centre[None, :] - (sigma * dist)[:, None] * u
        ok = np.ones(k, dtype=bool)
        if len(node.h):
            ok &= ((node.g @ feet.T) <= node.h[:, None] - self.thr).all(axis=0)
        others = sigma[:, None] * (u @ feet.T + v[:, None])
        np.fill_diagonal(others, np.inf)
        ok &= (others >= self.thr).all(axis=0)
        rows_g = (
            np.concatenate([node.g, -sigma[:, None] * u]) if len(node.h) else -sigma[:, None] * u
        )
        slack = np.concatenate([node.h - node.g @ centre, dist]) if len(node.h) else dist
        ok |= _first_hits(rows_g, slack, self.dirs)[len(node.h) :]
        essential = ok
        if came_from >= 0:
            essential[came_from] = True
        inherited = inherited or {}
        for t, mask in inherited.items():
            if not essential[t] and certs is not None:
                certs[t] = mask
        todo = [j for j in np.flatnonzero(~essential) if int(j) not in inherited]
        if len(todo) == 0:
            return essential
        lp.set_col_bounds([n], [0.0], [0.0])
        cost = np.zeros(n + 1)
        for j in todo:
            lp.set_row_bounds([rows[j]], [-np.inf], [np.inf])
            cost[:n] = u[j]
            res = lp.solve(cost, maximize=sigma[j] < 0)
            self.n_lps += 1
            if res.status == "unbounded":
                essential[j] = True
            elif res.optimal:
                beyond = -sigma[j] * (res.value + v[j])
                essential[j] = beyond > self.thr
                if ex is not None and abs(beyond) <= self.thr:
                    essential[j] = self._exact_facet(ex, sigma, j)
                elif not essential[j] and certs is not None and beyond < -self.thr:
                    duals = lp.row_duals()
                    if duals is not None:
                        used = np.flatnonzero(np.abs(duals[rows]) > 1e-12)
                        certs[int(j)] = sum(1 << int(t) for t in used)
            elif ex is not None:
                essential[j] = self._exact_facet(ex, sigma, j)
            lp.set_row_bounds(
                [rows[j]], [-v[j] if sigma[j] > 0 else -np.inf], [np.inf if sigma[j] > 0 else -v[j]]
            )
        return essential

    # -- the whole search -----------------------------------------------------------------------
    def run(
        self,
        state: SearchState,
        *,
        deadline: float | None = None,
        max_cells: int | None = None,
        on_node=None,
    ) -> bool:
        """Process pending nodes depth-first until done or out of budget; return completeness.

        Cells of a node interrupted by the budget are kept in ``state.cells`` only if the node
        finished; the node itself stays pending, so a resumed run neither loses nor repeats them.
        """
        self.deadline = deadline
        self.max_cells = max_cells
        self.n_cells = len(state.cells)
        self.n_lps = state.n_lps
        state.partial = []
        try:
            while state.pending:
                node = state.pending[-1]
                cells: list[RawCell] = []
                nodes: list[Node] = []
                thin: list[RawCell] = []
                before = self.n_cells
                try:
                    self.process(node, cells.append, nodes.append, thin.append)
                except SearchInterrupted:
                    self.n_cells = before
                    state.partial = cells
                    raise
                state.pending.pop()
                state.cells.extend(cells)
                state.thin.extend(thin)
                state.pending.extend(reversed(nodes))
                state.n_nodes += 1
                if on_node is not None:
                    on_node(state, len(cells))
        except SearchInterrupted:
            return False
        finally:
            state.n_lps = self.n_lps
            state.add_notes(self.notes.values())
        return True
