"""The overlap decomposition of a ReLU representation of a data set.

Layer ``l`` of a ReLU network ``Φ = f_L ∘ … ∘ f_1`` (``f_l(x) = relu(W_l x + b_l)`` for hidden
layers, affine for the output) represents an input ``x`` by ``Φ^l(x) = f_l ∘ … ∘ f_1 (x)``;
layer 0 is the input itself. On the *region* of an activation pattern of layers ``1..l`` (at
the output layer refined by the signs of the outputs, as in the author code) ``Φ^l`` is an
affine map ``x -> M x + c``. Two data points of different regions with the same image are an
*overlap*; the overlap classes ``O_Φ`` are what the gluings generate (union-find, cumulative over
the layers, because ``Φ^(l+1)`` factors through ``Φ^l``).

For a data point ``x'`` of region ``b`` and another region ``a`` the question is whether
``y = Φ(x')`` has a preimage in region ``a``: a point ``z`` with ``M_a z + c_a = y`` in

- ``mode="polyhedron"``: the polyhedron ``G_a`` of the region (clipped to a box), as in the
  paper; points of two regions that see each other are glued all to all;
- ``mode="hull"``: the convex hull of the data in ``G_a`` (the theorem's convexity hypothesis is
  about ``X ∩ G_a``), glued all to all as well;
- ``mode="partner"`` (recommended): ``G_a``, and ``x'`` is glued only to the data point of
  region ``a`` nearest the preimage, if it lies within the gluing distance ``scale``. This is the
  pointwise relation ``Φ(x) = Φ(x')`` at the sampling scale; whole-set gluing can close or fill
  loops that ``Φ(X)`` does not have.

How it is computed: patterns of all points in one batch; per region its inequalities, map and
rank (``nets.geometry``); a *safe* candidate filter — the box of the region's image (LP bounds of
``G_a`` through the map in ``polyhedron`` mode, the data's images in ``hull`` mode, the data's
images widened by ``|M_a row| * scale`` in ``partner`` mode) — so that only points whose image
can have a preimage are tested; then, per candidate, the preimage in closed form when ``M_a`` has
full column rank (it is unique) and otherwise a warm-started LP (:class:`neurogeom.core.lp.
LPModel`, equality rows as rows with equal bounds). Every acceptance compares with one relative
tolerance (:class:`neurogeom.core.tolerances.Tolerances`): inequalities against the size of the
box, equalities against the size of the images; decisions inside the tolerance band are reported
as ties.

References
----------
K. Beshkov, *A Quotient Homology Theory of Representation in Neural Networks*, arXiv 2502.01360.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from neurogeom.core.budget import Budget
from neurogeom.core.errors import InvalidInputError
from neurogeom.core.lp import LPModel
from neurogeom.core.progress import progress_bar
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.core.unionfind import UnionFind
from neurogeom.topology.regions import (
    Region,
    _check_box,
    _Forward,
    _layer_regions,
    check_data,
    check_layer,
    check_relu,
    default_scale,
)

__all__ = [
    "MODES",
    "Gluing",
    "LayerOverlap",
    "OverlapDecomposition",
    "RankDeficiencyWarning",
    "overlap_decomposition",
]

Mode = Literal["polyhedron", "hull", "partner"]

#: The overlap modes (see the module docstring).
MODES: tuple[str, ...] = ("polyhedron", "hull", "partner")


class RankDeficiencyWarning(UserWarning):
    """Some region holding several data points has a rank-deficient local map: the rank source
    can identify points inside one region, which the overlap decomposition does not record; the
    quotient homology equals that of the representation only if those fibres are contractible
    (the theorem's convexity hypothesis)."""


# -- results -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Gluing:
    """A witness for one gluing: ``Φ(point)`` has the preimage ``preimage`` in ``region``.

    Attributes
    ----------
    layer : int
    point, partner : int
        The glued data points (in ``polyhedron``/``hull`` mode the partner is the anchor of the
        two regions' overlap set).
    region : int
        The region of ``partner`` (its index in the layer) holding the preimage.
    preimage : tuple of float
        ``z*`` with ``M z* + c = Φ(point)``.
    distance : float
        ``|z* - partner|`` (``partner`` mode's criterion; also given in the other modes).
    """

    layer: int
    point: int
    partner: int
    region: int
    preimage: tuple[float, ...]
    distance: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "layer": self.layer,
            "point": self.point,
            "partner": self.partner,
            "region": self.region,
            "preimage": list(self.preimage),
            "distance": self.distance,
        }


@dataclass(frozen=True, slots=True, eq=False)
class LayerOverlap:
    """The overlap decomposition at one layer.

    Attributes
    ----------
    layer : int
    width : int
        Dimension of the layer's representation.
    regions : tuple of Region
    region_of : ndarray of int
        The region of each data point.
    labels : ndarray of int
        The overlap class of each data point (cumulative unless asked otherwise), classes
        numbered by their first point; singletons are classes of their own.
    gluings : tuple of Gluing
        The witnesses of this layer's gluings (those that merged two classes).
    ties : tuple of (int, int)
        ``(point, region)`` decisions inside the tolerance band: decided by the tolerance, not
        certified.
    candidates : int
        ``(point, region)`` pairs that passed the safe filter.
    lps : int
        Linear programs solved.
    seconds : float
    complete : bool
        ``False`` when the time limit stopped this layer.
    """

    layer: int
    width: int
    regions: tuple[Region, ...]
    region_of: np.ndarray = field(repr=False)
    labels: np.ndarray = field(repr=False)
    gluings: tuple[Gluing, ...] = field(repr=False)
    ties: tuple[tuple[int, int], ...] = field(repr=False)
    candidates: int = 0
    lps: int = 0
    seconds: float = 0.0
    complete: bool = True

    @property
    def classes(self) -> tuple[tuple[int, ...], ...]:
        """The overlap classes with at least two points, each sorted, ordered by first point."""
        groups: dict[int, list[int]] = {}
        for i, k in enumerate(self.labels.tolist()):
            groups.setdefault(k, []).append(i)
        return tuple(tuple(g) for g in groups.values() if len(g) > 1)

    @property
    def n_classes(self) -> int:
        """Number of classes of the quotient (singletons included)."""
        return int(self.labels.max()) + 1 if len(self.labels) else 0

    @property
    def glued_points(self) -> int:
        """Data points in a class of at least two."""
        return int(sum(len(c) for c in self.classes))

    @property
    def rank_deficient(self) -> tuple[int, ...]:
        """Regions whose local map has rank below the input dimension."""
        n = self.regions[0].matrix.shape[1] if self.regions else 0
        return tuple(r.index for r in self.regions if r.rank < n)

    def rank_histogram(self) -> dict[int, int]:
        """Number of regions of each local rank."""
        out: dict[int, int] = {}
        for r in self.regions:
            out[r.rank] = out.get(r.rank, 0) + 1
        return dict(sorted(out.items()))

    def to_dict(self, *, details: bool = False) -> dict[str, Any]:
        """JSON-ready form; ``details`` adds the regions and the witnesses."""
        out: dict[str, Any] = {
            "layer": self.layer,
            "width": self.width,
            "regions": len(self.regions),
            "overlap_classes": len(self.classes),
            "quotient_points": self.n_classes,
            "glued_points": self.glued_points,
            "classes": [list(c) for c in self.classes],
            "rank_histogram": {str(k): v for k, v in self.rank_histogram().items()},
            "rank_deficient_regions": len(self.rank_deficient),
            "ties": [list(t) for t in self.ties],
            "candidates": self.candidates,
            "lps": self.lps,
            "seconds": round(self.seconds, 4),
            "complete": self.complete,
        }
        if details:
            out["region_list"] = [r.to_dict() for r in self.regions]
            out["gluings"] = [g.to_dict() for g in self.gluings]
        return out


@dataclass(frozen=True, slots=True, eq=False)
class OverlapDecomposition:
    """Overlap decompositions of a data set, layer by layer.

    Attributes
    ----------
    mode : str
    scale : float
        Gluing distance of ``partner`` mode (and the default Rips scale of the homology).
    tol : Tolerances
    box : ndarray, shape (2, n)
        Lower and upper corners of the box that clips the regions.
    cumulative : bool
    layers : tuple of LayerOverlap
    n_points : int
    """

    mode: str
    scale: float
    tol: Tolerances
    box: np.ndarray = field(repr=False)
    cumulative: bool
    layers: tuple[LayerOverlap, ...]
    n_points: int

    @property
    def complete(self) -> bool:
        """Whether every layer asked for was finished."""
        return all(layer.complete for layer in self.layers)

    def layer(self, layer: int) -> LayerOverlap:
        """The decomposition at ``layer`` (its number, not its position)."""
        for item in self.layers:
            if item.layer == layer:
                return item
        raise InvalidInputError(
            f"layer {layer} was not computed; computed: {[item.layer for item in self.layers]}"
        )

    def to_dict(self, *, details: bool = False) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "mode": self.mode,
            "scale": self.scale,
            "tol": self.tol.to_dict(),
            "box": self.box.tolist(),
            "cumulative": self.cumulative,
            "n_points": self.n_points,
            "complete": self.complete,
            "layers": [layer.to_dict(details=details) for layer in self.layers],
        }


# -- the overlap test ---------------------------------------------------------------------------
@dataclass(slots=True)
class _RegionWork:
    """Working state of one region during the overlap test (private)."""

    region: Region
    x: np.ndarray  # its data points
    y: np.ndarray  # their images
    u: np.ndarray  # left singular vectors of M (rank columns)
    s: np.ndarray  # nonzero singular values
    vt: np.ndarray  # right singular vectors (rank rows)
    feasibility: LPModel | None = None
    nearest: LPModel | None = None
    hull: LPModel | None = None
    tree: Any = None

    @classmethod
    def build(cls, region: Region, x: np.ndarray, y: np.ndarray) -> _RegionWork:
        idx = np.asarray(region.points)
        u, s, vt = np.linalg.svd(region.matrix, full_matrices=False)
        r = region.rank
        return cls(region, x[idx], y[idx], u[:, :r], s[:r], vt[:r])

    @property
    def full_rank(self) -> bool:
        return self.region.rank == self.region.matrix.shape[1]

    def violation(self, z: np.ndarray) -> np.ndarray:
        """Largest violation of the region's inequalities at each row of ``z``."""
        return (z @ self.region.a.T - self.region.b).max(axis=1)

    def nearest_point(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Index (into the region's points) and distance of the data point nearest each ``z``."""
        if len(self.x) > 32:
            if self.tree is None:
                from scipy.spatial import cKDTree

                self.tree = cKDTree(self.x)
            dist, idx = self.tree.query(z)
            return np.asarray(idx), np.asarray(dist)
        d = np.linalg.norm(z[:, None, :] - self.x[None, :, :], axis=2)
        idx = d.argmin(axis=1)
        return idx, d[np.arange(len(z)), idx]

    # -- LPs (built on first use, then warm-started) --------------------------------------------
    def feasible_point(self, t: np.ndarray) -> np.ndarray | None:
        """A point of ``G_a`` with ``V_r^T z = t`` (LP), or None."""
        a, b = self.region.a, self.region.b
        r = len(t)
        if self.feasibility is None:
            rows = np.concatenate([a, self.vt])
            lo = np.concatenate([np.full(len(b), -np.inf), t])
            hi = np.concatenate([b, t])
            self.feasibility = LPModel(rows, lo, hi)
        else:
            idx = np.arange(len(b), len(b) + r)
            self.feasibility.set_row_bounds(idx, t, t)
        res = self.feasibility.solve(np.zeros(a.shape[1]))
        return res.x if res.optimal else None

    def nearest_preimage(self, t: np.ndarray, target: np.ndarray) -> np.ndarray | None:
        """The point of ``{z in G_a : V_r^T z = t}`` nearest ``target`` in the 1-norm (LP)."""
        a, b = self.region.a, self.region.b
        m, n = a.shape
        r = len(t)
        if self.nearest is None:
            eye = np.eye(n)
            rows = np.block(
                [
                    [a, np.zeros((m, n))],
                    [self.vt, np.zeros((r, n))],
                    [eye, -eye],
                    [-eye, -eye],
                ]
            )
            lo = np.concatenate([np.full(m, -np.inf), t, np.full(2 * n, -np.inf)])
            hi = np.concatenate([b, t, target, -target])
            self.nearest = LPModel(rows, lo, hi)
            self.nearest.set_objective(np.concatenate([np.zeros(n), np.ones(n)]))
        else:
            self.nearest.set_row_bounds(np.arange(m, m + r), t, t)
            self.nearest.set_row_bounds(
                np.arange(m + r, m + r + 2 * n),
                np.full(2 * n, -np.inf),
                np.concatenate([target, -target]),
            )
        res = self.nearest.solve()
        return res.x[:n] if res.optimal else None

    def hull_point(self, t: np.ndarray) -> np.ndarray | None:
        """A point ``z = Σ λ_i x_i`` of the hull of the region's data with ``V_r^T z = t``."""
        m = len(self.x)
        r = len(t)
        if self.hull is None:
            coords = self.x @ self.vt.T  # (m, r)
            rows = np.concatenate([coords.T, np.ones((1, m))])
            bounds = np.concatenate([t, [1.0]])
            self.hull = LPModel(rows, bounds, bounds, col_lower=np.zeros(m))
        else:
            self.hull.set_row_bounds(np.arange(r), t, t)
        res = self.hull.solve(np.zeros(m))
        return res.x @ self.x if res.optimal else None


@dataclass(slots=True)
class _Hit:
    point: int
    region: int
    preimage: np.ndarray
    partner: int  # -1 unless partner mode
    distance: float


def _image_boxes(
    works: list[_RegionWork], mode: str, scale: float, margin: float
) -> tuple[np.ndarray, np.ndarray, int]:
    """Boxes containing every image a preimage test can accept, per region (safe filter)."""
    d = works[0].region.matrix.shape[0]
    lo = np.empty((len(works), d))
    hi = np.empty((len(works), d))
    lps = 0
    for k, w in enumerate(works):
        reg = w.region
        if mode == "hull":
            lo[k], hi[k] = w.y.min(axis=0), w.y.max(axis=0)
        elif mode == "partner":
            widen = np.linalg.norm(reg.matrix, axis=1) * scale
            lo[k], hi[k] = w.y.min(axis=0) - widen, w.y.max(axis=0) + widen
        else:  # the region's box by 2n LPs, pushed through the map by interval arithmetic
            n = reg.a.shape[1]
            lp = LPModel(reg.a, None, reg.b)
            zlo, zhi = np.empty(n), np.empty(n)
            for i in range(n):
                e = np.zeros(n)
                e[i] = 1.0
                low, high = lp.solve(e), lp.solve(e, maximize=True)
                lps += 2
                zlo[i] = low.value if low.optimal else -np.inf
                zhi[i] = high.value if high.optimal else np.inf
            mid, half = (zlo + zhi) / 2, (zhi - zlo) / 2
            centre = reg.matrix @ mid + reg.offset
            spread = np.abs(reg.matrix) @ half
            lo[k], hi[k] = centre - spread, centre + spread
    return lo - margin, hi + margin, lps


def _test_region(
    work: _RegionWork,
    cand: np.ndarray,
    y: np.ndarray,
    mode: str,
    scale: float,
    tols: Tolerances,
    sx: float,
    sy: float,
    ties: list[tuple[int, int]],
) -> tuple[list[_Hit], int]:
    """Which candidate points have a preimage in the region (and, in partner mode, a partner)."""
    reg = work.region
    w = y[cand] - reg.offset
    coef = w @ work.u
    resid = np.abs(w - coef @ work.u.T).max(axis=1, initial=0.0)
    for i in cand[np.atleast_1d(tols.unsure(resid, sy))]:
        ties.append((int(i), reg.index))
    ok = np.atleast_1d(tols.is_zero(resid, sy))
    cand, coef = cand[ok], coef[ok]
    if not len(cand):
        return [], 0
    t = coef / work.s
    z0 = t @ work.vt
    viol = work.violation(z0)
    inside = viol <= tols.rel * sx
    for i in cand[np.atleast_1d(tols.unsure(np.maximum(viol, 0.0), sx))]:
        ties.append((int(i), reg.index))
    hits: list[_Hit] = []
    lps = 0
    if work.full_rank:
        keep = inside
        if mode == "partner":
            idx, dist = work.nearest_point(z0[keep])
            for i, z, j, dj in zip(cand[keep], z0[keep], idx, dist, strict=True):
                if dj <= scale:
                    hits.append(_Hit(int(i), reg.index, z, reg.points[int(j)], float(dj)))
            return hits, 0
        if mode == "polyhedron":
            for i, z in zip(cand[keep], z0[keep], strict=True):
                hits.append(_Hit(int(i), reg.index, z, -1, np.nan))
            return hits, 0
        cand, t, z0 = cand[keep], t[keep], z0[keep]  # hull: the hull lies in G_a
        box_lo, box_hi = work.x.min(axis=0), work.x.max(axis=0)
        slack = tols.rel * sx
        in_box = ((z0 >= box_lo - slack) & (z0 <= box_hi + slack)).all(axis=1)
        cand, t = cand[in_box], t[in_box]
    for k, i in enumerate(cand.tolist()):
        tk = t[k]
        if mode == "hull":
            z = work.hull_point(tk)
            lps += 1
            if z is not None:
                hits.append(_Hit(i, reg.index, z, -1, np.nan))
        elif mode == "polyhedron":
            z = z0[k] if inside[k] else work.feasible_point(tk)
            lps += 0 if inside[k] else 1
            if z is not None:
                v = max(float(work.violation(z[None])[0]), 0.0)
                if tols.unsure(v, sx):
                    ties.append((i, reg.index))
                if tols.is_zero(v, sx):
                    hits.append(_Hit(i, reg.index, z, -1, np.nan))
        else:
            hit, used = _partner_rank_deficient(work, i, tk, scale, tols, sx)
            lps += used
            if hit is not None:
                hits.append(hit)
    return hits, lps


def _partner_rank_deficient(
    work: _RegionWork, point: int, t: np.ndarray, scale: float, tols: Tolerances, sx: float
) -> tuple[_Hit | None, int]:
    """Branch and bound for the data point of the region nearest the preimage set of ``t``.

    The distance of a data point ``x`` to the affine preimage ``{V_r^T z = t}`` bounds its
    distance to the preimage set from below; where the projection lies in ``G_a`` the bound is
    attained, otherwise an LP finds a point of the set (nearest in the 1-norm: an upper bound).
    """
    lower = np.linalg.norm(t[None, :] - work.x @ work.vt.T, axis=1)
    order = np.argsort(lower, kind="stable")
    best, best_j, best_z = np.inf, -1, None
    lps = 0
    for j in order.tolist():
        if lower[j] > scale or lower[j] >= best:
            break
        proj = work.x[j] + (t - work.vt @ work.x[j]) @ work.vt
        if work.violation(proj[None])[0] <= tols.rel * sx:
            best, best_j, best_z = float(lower[j]), j, proj
            break
        z = work.nearest_preimage(t, work.x[j])
        lps += 1
        if z is None:
            break  # the preimage set is empty: no data point has a partner
        dist = float(np.linalg.norm(z - work.x[j]))
        if dist < best:
            best, best_j, best_z = dist, j, z
    if best_z is None or best > scale:
        return None, lps
    return _Hit(point, work.region.index, best_z, work.region.points[best_j], best), lps


@dataclass(frozen=True, slots=True, eq=False)
class _TestContext:
    """What every region's overlap test reads (private; sent once to each worker)."""

    x: np.ndarray
    y: np.ndarray
    mode: str
    scale: float
    tols: Tolerances
    sx: float
    sy: float


def _run_tasks(
    tasks: list[tuple[_RegionWork, np.ndarray]], test: _TestContext, budget: Budget, bar: Any
) -> tuple[list[_Hit], list[tuple[int, int]], int, bool]:
    """The overlap tests of some regions, in order, until the budget runs out."""
    hits: list[_Hit] = []
    ties: list[tuple[int, int]] = []
    lps = 0
    for work, cand in tasks:
        if budget.expired():
            return hits, ties, lps, False
        found, used = _test_region(
            work, cand, test.y, test.mode, test.scale, test.tols, test.sx, test.sy, ties
        )
        hits += found
        lps += used
        if bar is not None:
            bar.update()
            bar.set_postfix(lps=lps, hits=len(hits))
    return hits, ties, lps, True


def _worker(
    tasks: list[tuple[Region, np.ndarray]], test: _TestContext, budget: Budget
) -> tuple[list[_Hit], list[tuple[int, int]], int, bool, int]:
    """One worker process: build the regions' working state, run their tests."""
    works = [(_RegionWork.build(region, test.x, test.y), cand) for region, cand in tasks]
    hits, ties, lps, complete = _run_tasks(works, test, budget, None)
    return hits, ties, lps, complete, len(tasks)


def _run_parallel(
    tasks: list[tuple[Region, np.ndarray]],
    test: _TestContext,
    budget: Budget,
    workers: int,
    bar: Any,
) -> tuple[list[_Hit], list[tuple[int, int]], int, bool]:
    """The tests spread over ``workers`` processes in chunks of similar candidate counts."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    n_chunks = min(len(tasks), 4 * workers)
    chunks: list[list[tuple[Region, np.ndarray]]] = [[] for _ in range(n_chunks)]
    loads = np.zeros(n_chunks)
    for task in sorted(tasks, key=lambda t: -len(t[1])):
        k = int(np.argmin(loads))
        chunks[k].append(task)
        loads[k] += len(task[1])
    hits: list[_Hit] = []
    ties: list[tuple[int, int]] = []
    lps = 0
    complete = True
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_worker, chunk, test, budget) for chunk in chunks if chunk]
        for future in as_completed(futures):
            found, chunk_ties, used, done, count = future.result()
            hits += found
            ties += chunk_ties
            lps += used
            complete &= done
            bar.update(count)
            bar.set_postfix(lps=lps, hits=len(hits))
    hits.sort(key=lambda h: (h.region, h.point))  # the serial order
    return hits, ties, lps, complete


def _glue_sets(
    hits: list[_Hit], region_of: np.ndarray, uf: UnionFind, layer: int, x: np.ndarray
) -> list[Gluing]:
    """Whole-set gluing: two regions that each see the other are glued all to all."""
    by_pair: dict[tuple[int, int], list[_Hit]] = {}
    for h in hits:
        by_pair.setdefault((int(region_of[h.point]), h.region), []).append(h)
    out: list[Gluing] = []
    for (b, a), into_a in sorted(by_pair.items()):
        if b > a:
            continue
        into_b = by_pair.get((a, b))
        if not into_b:
            continue
        anchor = into_b[0].point  # a point of region a
        for h in (*into_a, *into_b):
            if uf.union(h.point, anchor):
                partner = anchor if h.region == a else into_a[0].point
                dist = float(np.linalg.norm(h.preimage - x[partner]))
                out.append(Gluing(layer, h.point, partner, h.region, tuple(h.preimage), dist))
    return out


def _glue_partners(hits: list[_Hit], uf: UnionFind, layer: int) -> list[Gluing]:
    out = []
    for h in hits:
        if uf.union(h.point, h.partner):
            out.append(Gluing(layer, h.point, h.partner, h.region, tuple(h.preimage), h.distance))
    return out


def _labels(uf: UnionFind, n: int) -> np.ndarray:
    roots = [uf.find(i) for i in range(n)]
    seen: dict[Any, int] = {}
    labels = np.array([seen.setdefault(r, len(seen)) for r in roots], dtype=np.int64)
    labels.flags.writeable = False
    return labels


def _overlap_layer(
    net: Any,
    x: np.ndarray,
    fwd: _Forward,
    layer: int,
    *,
    mode: str,
    scale: float,
    tols: Tolerances,
    corners: np.ndarray,
    output_signs: bool,
    uf: UnionFind,
    budget: Budget,
    progress: bool,
    workers: int,
) -> LayerOverlap:
    started = time.monotonic()
    regions, region_of = _layer_regions(net, fwd, layer, corners, output_signs, tols)
    y = fwd.representation(layer)
    sx = float(np.abs(corners).max())
    top = max((float(np.linalg.norm(r.matrix, 2)) for r in regions), default=0.0)
    sy = max(float(np.abs(y).max(initial=0.0)), top * sx, np.finfo(float).tiny)
    works = [_RegionWork.build(r, x, y) for r in regions]
    hits: list[_Hit] = []
    ties: list[tuple[int, int]] = []
    n_cand = 0
    complete = True
    lps = 0
    if len(works) > 1:
        margin = tols.loose * sy
        box_lo, box_hi, lps = _image_boxes(works, mode, scale, margin)
        key = int(np.argmax(np.ptp(y, axis=0))) if y.shape[1] else 0
        order = np.argsort(y[:, key], kind="stable")
        sorted_key = y[order, key]
        tasks = []
        for k in range(len(works)):
            i0 = np.searchsorted(sorted_key, box_lo[k, key], side="left")
            i1 = np.searchsorted(sorted_key, box_hi[k, key], side="right")
            cand = order[i0:i1]
            cand = cand[region_of[cand] != k]
            if len(cand):
                yc = y[cand]
                cand = cand[((yc >= box_lo[k]) & (yc <= box_hi[k])).all(axis=1)]
            n_cand += len(cand)
            if len(cand):
                tasks.append((k, np.sort(cand)))
        test = _TestContext(x, y, mode, scale, tols, sx, sy)
        with progress_bar(
            progress, total=len(tasks), desc=f"layer {layer} overlaps", unit="region"
        ) as bar:
            if workers > 1 and len(tasks) > 1:
                found, ties, used, complete = _run_parallel(
                    [(regions[k], cand) for k, cand in tasks], test, budget, workers, bar
                )
            else:
                found, ties, used, complete = _run_tasks(
                    [(works[k], cand) for k, cand in tasks], test, budget, bar
                )
            hits += found
            lps += used
    if mode == "partner":
        gluings = _glue_partners(hits, uf, layer)
    else:
        gluings = _glue_sets(hits, region_of, uf, layer, x)
    return LayerOverlap(
        layer,
        y.shape[1],
        regions,
        region_of,
        _labels(uf, len(x)),
        tuple(gluings),
        tuple(sorted(set(ties))),
        n_cand,
        lps,
        time.monotonic() - started,
        complete,
    )


def overlap_decomposition(
    net: Any,
    x: Any,
    *,
    layer: int | None = None,
    mode: Mode = "partner",
    scale: float | None = None,
    tol: float | Tolerances | None = None,
    box: Any = None,
    cumulative: bool = True,
    output_signs: bool = True,
    progress: bool = False,
    workers: int = 1,
    time_limit: float | None = None,
    budget: Budget | None = None,
) -> OverlapDecomposition:
    """The overlap decomposition ``O_Φ`` of a data set, layer by layer.

    Parameters
    ----------
    net : ReLUNet
        A ReLU (or leaky-ReLU) network; exact networks are analysed in float64.
    x : array-like, shape (N, n_inputs)
        The data: finite, at least two points, no duplicates.
    layer : int, optional
        The last layer to analyse (1..L; L is the output). Default: every layer. With
        ``cumulative=False`` only this layer is analysed.
    mode : {"partner", "polyhedron", "hull"}
        How a preimage is searched and points are glued (module docstring).
    scale : float, optional
        The gluing distance ``τ`` of ``partner`` mode (about the sampling scale); default
        :func:`default_scale` of the data.
    tol : float or Tolerances, optional
        Relative tolerance of every acceptance (default ``1e-9``, band ``1e3``).
    box : float, pair or (2, n) array, optional
        Clips the regions (see :func:`layer_regions`; the paper uses half-width 100).
    cumulative : bool
        Merge the classes of earlier layers into later ones (the paper's convention).
    output_signs : bool
        Refine the output layer's regions by the signs of the outputs (the paper's convention).
    progress : bool
        Progress bars (on stderr) during the overlap tests.
    workers : int
        Processes for the overlap tests (the regions of a layer are shared out; worth it when
        many candidates need LPs: ``hull`` mode, rank-deficient regions).
    time_limit : float, optional
        Seconds; on expiry the result holds what was finished, with ``complete=False``.
    budget : Budget, optional
        A running budget instead of ``time_limit``.

    Returns
    -------
    OverlapDecomposition

    Warns
    -----
    RankDeficiencyWarning
        When a region with at least two data points has a local map of rank below the input
        dimension (the rank source, which is not part of ``O_Φ``).

    Notes
    -----
    Per layer with ``R`` data-holding regions and ``N`` points: one batched forward pass, ``R``
    small SVDs, ``2n`` LPs per region for the polyhedron-mode filter, and one closed-form test
    per candidate pair for full-rank regions (an LP per candidate otherwise, warm-started per
    region). The published algorithm solves up to ``(R - 1) N`` LPs per layer from scratch.

    References
    ----------
    K. Beshkov, arXiv 2502.01360 (definitions, theorem, the polyhedron mode); spec
    ``overlap-homology.md`` §6 (hull and partner modes, tolerances, safe filter).

    Examples
    --------
    The fold ``Φ(x, y) = (|x|, y)`` glues each point of the circle to its mirror image:

    >>> from neurogeom import ReLUNet
    >>> from neurogeom.topology import sample_circle
    >>> fold = ReLUNet([[[1, 0], [0, 1], [-1, 0], [0, -1]], [[1, 0, 1, 0], [0, 1, 0, -1]]])
    >>> x = sample_circle(48, evenly=True)
    >>> dec = overlap_decomposition(fold, x, scale=0.2)
    >>> out = dec.layer(2)
    >>> len(out.regions), len(out.classes), out.classes[0]
    (4, 24, (0, 23))
    >>> [len(c) for c in overlap_decomposition(fold, x, mode="polyhedron").layer(2).classes]
    [24, 24]
    """
    net = check_relu(net)
    pts = check_data(x, net.n_inputs)
    if mode not in MODES:
        raise InvalidInputError(f"mode must be one of {', '.join(MODES)}; got {mode!r}")
    last = net.n_layers if layer is None else check_layer(net, layer)
    if last == 0:
        raise InvalidInputError("layer 0 is the input: give a layer 1..L")
    tau = default_scale(pts) if scale is None else float(scale)
    if not (np.isfinite(tau) and tau > 0):
        raise InvalidInputError(f"scale must be a positive number, got {scale!r}")
    tols = check_tol(tol)
    corners = _check_box(box, pts)
    if isinstance(workers, bool) or not isinstance(workers, int | np.integer) or workers < 1:
        raise InvalidInputError(f"workers must be a positive integer, got {workers!r}")
    if budget is None:
        budget = Budget.start(time_limit=time_limit)
    first = 1 if cumulative else last
    uf = UnionFind(range(len(pts)))
    fwd = _Forward.of(net, pts)
    layers: list[LayerOverlap] = []
    for l in range(first, last + 1):
        if budget.expired():
            break
        res = _overlap_layer(
            net,
            pts,
            fwd,
            l,
            mode=mode,
            scale=tau,
            tols=tols,
            corners=corners,
            output_signs=output_signs,
            uf=uf,
            budget=budget,
            progress=progress,
            workers=workers,
        )
        layers.append(res)
        if not res.complete:
            break
    if len(layers) < last - first + 1 and (not layers or layers[-1].complete):
        layers.append(_empty_layer(net, pts, len(layers) + first, uf))
    _warn_rank(layers, net.n_inputs)
    return OverlapDecomposition(mode, tau, tols, corners, cumulative, tuple(layers), len(pts))


def _empty_layer(net: Any, x: np.ndarray, layer: int, uf: UnionFind) -> LayerOverlap:
    width = net.architecture[layer]
    return LayerOverlap(
        layer,
        width,
        (),
        np.full(len(x), -1),
        _labels(uf, len(x)),
        (),
        (),
        complete=False,
    )


def _warn_rank(layers: list[LayerOverlap], n: int) -> None:
    found = []
    for item in layers:
        bad = [r for r in item.regions if r.rank < n and len(r.points) > 1]
        if bad:
            found.append(f"layer {item.layer}: {len(bad)} region(s)")
    if found:
        warnings.warn(
            RankDeficiencyWarning(
                "rank-deficient regions hold several data points ("
                + "; ".join(found)
                + "): points inside one region may share an image (the rank source), which the "
                "overlap decomposition does not glue; the quotient homology equals that of the "
                "representation only if these fibres are contractible"
            ),
            stacklevel=3,
        )
