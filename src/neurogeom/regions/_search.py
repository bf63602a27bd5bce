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
the foot of the perpendicular from the cell's centre to each hyperplane, and rays shot from it,
certify most facets.

Float decisions whose quantity falls inside the tolerance band (see
:mod:`neurogeom.core.tolerances`) are decided by the exact simplex in exact mode and reported as
notes in float mode.

References
----------
Lezeau et al., arXiv 2405.20174 (layerwise subdivision); Gaines & Bi (relucent) and Vincent &
Schwager (RPM) for walks by flipping supporting hyperplanes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from neurogeom.core.budget import Budget, OutOfBudget
from neurogeom.core.errors import NumericalError
from neurogeom.core.exact_lp import exact_interior_point, exact_maximize
from neurogeom.core.lp import LPModel, chebyshev_centre
from neurogeom.core.polyhedra import RowSkeleton, few_row_skeleton
from neurogeom.core.random import check_rng
from neurogeom.core.rationals import (
    affine_fmpq_mat,
    floats_to_fractions,
    fmpq_mat_of,
    homogeneous_column,
    negated,
)
from neurogeom.core.tolerances import normalize_rows
from neurogeom.nets.geometry import (
    AffineMap,
    HyperplaneGroups,
    apply_pattern,
    cell_halfspaces,
    group_hyperplanes,
    hom_to_affine,
    hom_with_pattern,
    layer_maps,
    pattern_string,
    zero_rows,
)
from neurogeom.regions._engine import BoundedWitness, FacetHints, FoundCell, RegionProblem
from neurogeom.regions.result import Note

__all__ = ["Node", "NodeOutput", "SearchState", "Searcher", "Task"]


# -- values -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, eq=False)
class Node:
    """A cell of the first ``depth`` hidden layers, waiting to be cut by layer ``depth``.

    ``prefix`` is its pattern on those layers; ``point`` an interior point with a ball of
    ``radius`` around it; ``exact_point`` an exact interior point when floats could not provide
    one (thin cells in exact mode).
    """

    depth: int
    prefix: np.ndarray
    point: np.ndarray
    radius: float
    exact_point: np.ndarray | None = None


@dataclass(frozen=True, slots=True, eq=False)
class ExactRows:
    """Exact mode: a node's rows ``g x <= h`` (not normalised) and the map into its layer."""

    g: np.ndarray
    h: np.ndarray
    inner: AffineMap | None
    hom: Any = None  # the inner map as a homogeneous fmpq_mat (when known)

    def inner_hom(self) -> Any:
        """The map into the layer as a homogeneous python-flint matrix."""
        return self.hom if self.hom is not None else self.inner.hom()


@dataclass(frozen=True, slots=True, eq=False)
class NodeRows:
    """The working geometry of a node: unit rows ``g x <= h`` and the map feeding its layer.

    ``inner`` maps an input to the post-activation of the layer before the node's (the identity
    at depth 0). Rows are those of the domain and of the facets found on the way down;
    ``planes[r]`` are the neurons of row ``r``'s hyperplane (empty for a domain row); ``None``
    when unknown (cells below then carry no facet hints).
    """

    g: np.ndarray
    h: np.ndarray
    inner: AffineMap
    exact: ExactRows | None = None
    planes: tuple[tuple[int, ...], ...] | None = None


@dataclass(slots=True)
class Task:
    """A pending node, with its rows when they are already known."""

    node: Node
    rows: NodeRows | None = None


@dataclass(slots=True)
class NodeOutput:
    """What processing one node produced."""

    cells: list[FoundCell] = field(default_factory=list)
    children: list[Task] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


@dataclass(slots=True)
class SearchState:
    """Everything needed to resume a search: pending nodes and what was found."""

    pending: list[Task] = field(default_factory=list)
    cells: list[FoundCell] = field(default_factory=list)
    notes: dict[tuple[Any, ...], Note] = field(default_factory=dict)
    partial: list[FoundCell] = field(default_factory=list)  # cells of an interrupted node
    nodes: int = 0

    def add_notes(self, notes: Any) -> None:
        """Record notes, each once."""
        for note in notes:
            self.notes.setdefault(note.key(), note)


@dataclass(frozen=True, slots=True, eq=False)
class ExactPlanes:
    """Exact mode: a node's exact rows and the layer's hyperplanes ``ue x + ve = 0`` crossing it.

    Decides, exactly, what floats leave inside the tolerance band.
    """

    rows: ExactRows
    ue: np.ndarray
    ve: np.ndarray
    _hom: list[Any] = field(default_factory=list, repr=False)

    def subset(self, mask: np.ndarray) -> ExactPlanes:
        """The planes selected by ``mask``."""
        return ExactPlanes(self.rows, self.ue[mask], self.ve[mask])

    def hom(self) -> Any:
        """The node's rows ``[g, -h]`` then the planes ``[ue, ve]``, one ``fmpq_mat`` (built on
        first use): one product with ``(x, 1)`` gives every row's value at ``x``, in C."""
        if not self._hom:
            g, h = self.rows.g, self.rows.h
            k0, n = len(h), g.shape[1]
            stacked = np.empty((k0 + len(self.ve), n + 1), dtype=object)
            stacked[:k0, :n] = g
            stacked[:k0, n] = -h
            stacked[k0:, :n] = self.ue
            stacked[k0:, n] = self.ve
            self._hom.append(fmpq_mat_of(stacked))
        return self._hom[0]

    def crosses(self, j: int) -> bool:
        """Does plane ``j`` have node points strictly on both sides?"""
        g, h = self.rows.g, self.rows.h
        top = exact_maximize(self.ue[j], g, h)
        if top.status == "optimal" and top.value + self.ve[j] <= 0:
            return False
        low = exact_maximize(-self.ue[j], g, h)
        return low.status == "unbounded" or (
            low.status == "optimal" and -low.value + self.ve[j] < 0
        )

    def cell_rows(self, sigma: np.ndarray, skip: int = -1) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the cell with signs ``sigma`` (plane ``skip`` left out)."""
        keep = np.arange(len(sigma)) != skip
        s = np.array([-1 if x > 0 else 1 for x in sigma], dtype=object)[keep]
        return (
            np.concatenate([self.rows.g, self.ue[keep] * s[:, None]]),
            np.concatenate([self.rows.h, -self.ve[keep] * s]),
        )

    def inside(self, sigma: np.ndarray, x: np.ndarray) -> bool:
        """Whether the float point ``x`` lies strictly inside the cell ``sigma``, exactly."""
        values = (self.hom() * homogeneous_column(x)).entries()
        k0 = len(self.rows.h)
        return all(v < 0 for v in values[:k0]) and all(
            v > 0 if s > 0 else v < 0 for v, s in zip(values[k0:], sigma, strict=True)
        )

    def facet(self, sigma: np.ndarray, j: int) -> bool:
        """Can the cell ``sigma`` without plane ``j`` reach across plane ``j``?"""
        g, h = self.cell_rows(sigma, skip=j)
        s = 1 if sigma[j] > 0 else -1
        res = exact_maximize(-s * self.ue[j], g, h)
        return res.status == "unbounded" or (
            res.status == "optimal" and res.value - s * self.ve[j] > 0
        )

    def interior_point(self, sigma: np.ndarray) -> np.ndarray | None:
        """An exact interior point of the cell ``sigma``, or None if it has no interior."""
        xp = exact_interior_point(*self.cell_rows(sigma))
        return None if xp is None else np.array(xp, dtype=object)


@dataclass(frozen=True, slots=True, eq=False)
class Arrangement:
    """Layer ``depth``'s hyperplanes inside a node.

    ``reps`` are the representative neurons of the distinct non-zero hyperplanes, with unit
    normals ``u`` and offsets ``v``; ``fixed`` is the side of the node's point, ``cross`` whether
    the plane passes through the node's interior; ``members[i]`` are the (global) neurons of
    plane ``i``.
    """

    width: int
    zero: np.ndarray
    positive_const: np.ndarray
    groups: HyperplaneGroups
    reps: np.ndarray
    u: np.ndarray
    v: np.ndarray
    fixed: np.ndarray
    cross: np.ndarray
    pre: AffineMap
    exact_pre: AffineMap | None
    exact: ExactPlanes | None
    members: tuple[tuple[int, ...], ...]
    exact_hom: Any = None  # exact_pre as a homogeneous fmpq_mat

    def layer_bits(self, sigma: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The layer's activation bits for signs ``sigma`` of the crossing planes.

        Returns ``(bits, rep_active)``: one bit per neuron and one per representative.
        """
        rep_active = self.fixed.copy()
        rep_active[self.cross] = sigma > 0
        if len(self.reps) == 0:  # every neuron is constant on the node
            return self.positive_const.copy(), rep_active
        position = np.zeros(self.width, dtype=np.intp)  # of each representative in ``reps``
        position[self.reps] = np.arange(len(self.reps))
        group = np.where(self.zero, self.reps[0], self.groups.group)
        follows = rep_active[position[group]] == (self.groups.orientation > 0)
        return np.where(self.zero, self.positive_const, follows), rep_active


@dataclass(frozen=True, slots=True, eq=False)
class _RayHits:
    """What rays from an interior point of a polyhedron met: ``first`` marks the rows hit first
    (and alone) by some ray, each of which carries a facet; ``escape`` is a ray direction along
    which no row rises (a float recession direction: the polyhedron is unbounded), or ``None``.
    """

    first: np.ndarray
    escape: np.ndarray | None


#: Bound on the rounding error of ``g d`` for unit rows and unit directions in the dimensions
#: searched: a row whose rate along a ray is within it may be parallel to the ray.
_RATE_ERR = 1e-12


def _first_hits(g: np.ndarray, slack: np.ndarray, dirs: np.ndarray, rel: float) -> _RayHits:
    """Rows hit first (and alone) by rays from an interior point, and a ray hitting none.

    ``g`` are unit rows of ``g x <= h`` and ``slack = h - g x0 > 0``. Along ``x0 + t d`` row ``i``
    is reached at ``t = slack_i / (g_i d)`` when ``g_i d > 0``. Rates are known up to
    ``_RATE_ERR``: a row is surely reached by ``slack_i / (g_i d - err)`` and not before
    ``slack_i / (g_i d + err)``. The row surely reached first, if no other row can be reached
    within a relative ``rel`` of it, carries a facet (the hit point is in its relative interior).
    A direction with ``g d <= 0`` reaches no row (a float recession direction).

    Examples
    --------
    The quadrant ``x, y >= 0`` from ``(1, 2)``: rays going left and down hit ``x = 0`` and
    ``y = 0``, one going up and right escapes.

    >>> g = np.array([[-1.0, 0.0], [0.0, -1.0]])
    >>> dirs = np.array([[-1.0, 0.0], [0.6, 0.8], [0.0, -1.0]])
    >>> hits = _first_hits(g, np.array([1.0, 2.0]), dirs, 1e-9)
    >>> hits.first.tolist(), hits.escape.tolist()
    ([True, True], [0.6, 0.8])
    """
    if len(g) == 0:
        return _RayHits(np.zeros(0, dtype=bool), dirs[0] if len(dirs) else None)
    rate = g @ dirs.T
    with np.errstate(divide="ignore", invalid="ignore"):
        surely = np.where(rate > _RATE_ERR, slack[:, None] / (rate - _RATE_ERR), np.inf)
        earliest = np.where(rate > -_RATE_ERR, slack[:, None] / (rate + _RATE_ERR), np.inf)
    first = np.argmin(surely, axis=0)
    cols = np.arange(rate.shape[1])
    t1 = surely[first, cols]
    earliest[first, cols] = np.inf
    others = earliest.min(axis=0)
    unique = np.isfinite(t1) & (others > t1 * (1 + rel))
    out = np.zeros(len(g), dtype=bool)
    out[first[unique]] = True
    free = np.flatnonzero((rate <= 0).all(axis=0))
    return _RayHits(out, dirs[free[0]] if len(free) else None)


def _aimed_hits(
    skeleton: RowSkeleton,
    centre: np.ndarray,
    g: np.ndarray,
    slack: np.ndarray,
    thr: float,
    rel: float,
) -> np.ndarray:
    """Rows of a cell ``g x <= h`` (``slack = h - g centre``) certified as facets by rays from
    its centre towards the vertices, and along the rays, of a polyhedron containing it (see
    :func:`_first_hits`): a plane that cuts that polyhedron is met by such rays, where random
    ones may miss a small facet."""
    aims = np.concatenate([skeleton.vertices - centre, skeleton.rays])
    norms = np.linalg.norm(aims, axis=1)
    aims = aims[norms > thr] / norms[norms > thr, None]
    return _first_hits(g, slack, aims, rel).first


def _escape(g: np.ndarray, dirs: np.ndarray) -> np.ndarray | None:
    """The first of ``dirs`` (made unit) along which no row of ``g`` rises, or ``None``.

    Tried on a cell's Chebyshev centre and its offset from the node's point: an unbounded cell's
    centre lies far out along its recession cone (the radius is capped), so these directions are
    likely recession directions where random rays miss a narrow cone.
    """
    norms = np.linalg.norm(dirs, axis=1)
    dirs = dirs[norms > 0] / norms[norms > 0, None]
    free = np.flatnonzero((g @ dirs.T <= 0).all(axis=0))
    return dirs[free[0]] if len(free) else None


def _boundary_feet(
    g: np.ndarray,
    h: np.ndarray,
    slack: np.ndarray,
    centre: np.ndarray,
    su: np.ndarray,
    sv: np.ndarray,
    thr: float,
) -> np.ndarray:
    """Rows of ``g x <= h`` whose foot of the perpendicular from ``centre`` lies, with margin
    ``thr``, inside every other row and on the positive side of every plane ``su x + sv >= 0``.

    Such a foot is a point in the relative interior of the row's facet. ``g`` has unit rows and
    ``slack = h - g centre``.

    Examples
    --------
    >>> g = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
    >>> h = np.ones(4)
    >>> _boundary_feet(g, h, h.copy(), np.zeros(2), np.array([[1.0, 1.0]]) / 2**0.5,
    ...                np.array([0.5]), 1e-9).tolist()
    [True, False, True, False]
    """
    if len(h) == 0:
        return np.zeros(0, dtype=bool)
    feet = centre[None, :] + slack[:, None] * g
    inside = g @ feet.T <= h[:, None] - thr
    np.fill_diagonal(inside, True)
    ok = inside.all(axis=0)
    if len(sv):
        ok &= (su @ feet.T + sv[:, None] >= thr).all(axis=0)
    return ok


def _facet_hints(
    certain: list[tuple[int, ...]],
    planes: tuple[tuple[int, ...], ...],
    on_boundary: np.ndarray | None,
) -> FacetHints:
    """A final cell's :class:`FacetHints` from its essential planes and its node's rows."""
    sure = dict.fromkeys(certain)
    maybe: dict[tuple[int, ...], None] = {}
    for r, plane in enumerate(planes):
        if plane:
            (sure if on_boundary is not None and on_boundary[r] else maybe)[plane] = None
    return FacetHints(tuple(sure), tuple(p for p in maybe if p not in sure))


# -- the engine core ----------------------------------------------------------------------------
class Searcher:
    """Processes search nodes for one problem (one per process; create once, call :meth:`run`).

    Parameters
    ----------
    problem : RegionProblem
        In exact mode an exact net: hyperplane coincidences and zero rows are then decided
        exactly; LPs run in float64 and the exact simplex decides inside the tolerance band.
    seed : int or Generator
        For the perturbation of start points that land on a hyperplane, and the ray directions.
    lp_backend : {"highs", "scipy"}
        ``"scipy"`` rebuilds every LP with :func:`scipy.optimize.linprog` (a benchmark baseline).
    """

    def __init__(self, problem: RegionProblem, *, seed: Any = 0, lp_backend: str = "highs"):
        self.problem = problem
        net = problem.net
        self.net = net
        self.lp_backend = lp_backend
        self.exact = net.exact
        self.fnet = net.to_float()
        self.n = net.n_inputs
        self.n_hidden_layers = net.n_layers - 1
        self.domain = problem.domain
        self.dom_g, self.dom_h, _ = normalize_rows(problem.domain.a_float, problem.domain.b_float)
        self.tol = problem.tol
        self.thr = problem.threshold
        #: decisions read off float vertices need this clearance (the loose tolerance)
        self.margin = self.tol.loose * problem.scale
        #: float decisions by vertices of few rows pay off up to 3 inputs (measured: in 4-D
        #: they save a fifth of the LPs and cost more time than that). They clear a plane only
        #: beyond the loose tolerance, where exact mode trusts a float LP's answer as well.
        self.by_vertices = self.n <= 3
        self.cap = problem.scale
        rng = check_rng(seed)
        self.rng = rng
        dirs = rng.normal(size=(16 * self.n + 32, self.n))
        self.dirs = dirs / np.linalg.norm(dirs, axis=1, keepdims=True)
        self.n_cells = 0
        self.budget = Budget()
        self.box_record = (0, 0)  # LPs spent on bounding boxes, crossing LPs they saved

    # -- notes ----------------------------------------------------------------------------------
    def _unsure(self, value: float) -> bool:
        """Whether a quantity (a length) falls inside the tolerance band around ``thr``."""
        return bool(self.tol.unsure(value, self.problem.scale))

    def _thin_note(
        self,
        out: NodeOutput,
        node: Node,
        arr: Arrangement,
        sigma: np.ndarray,
        text: str,
        radius: float | None,
    ) -> None:
        """Note a cell whose inradius is within the tolerance band (``radius`` in input units)."""
        bits, _ = arr.layer_bits(sigma)
        out.notes.append(
            Note(
                "thin cell",
                text,
                (pattern_string(np.concatenate([node.prefix, bits])),),
                (),
                0.0 if radius is None else radius / self.problem.scale,
            )
        )

    # -- roots and rows -------------------------------------------------------------------------
    def root(self) -> Task:
        """The domain as a node of depth 0."""
        if len(self.dom_h):
            point, radius = chebyshev_centre(self.dom_g, self.dom_h, radius_cap=self.cap)
        else:
            point, radius = np.zeros(self.n), self.cap
        node = Node(0, np.zeros(0, dtype=bool), point, radius)
        return Task(node, self.rows_of(node))

    def rows_of(self, node: Node) -> NodeRows:
        """The rows and maps of a node known only by its prefix (resume, workers)."""
        hs = cell_halfspaces(self.fnet, node.prefix, domain=self.domain, depth=node.depth)
        g, h, _ = normalize_rows(hs.a, hs.b)
        inner = self._inner(self.fnet, node)
        exact = None
        if self.exact:
            ehs = cell_halfspaces(self.net, node.prefix, domain=self.domain, depth=node.depth)
            exact = ExactRows(ehs.a, ehs.b, self._inner(self.net, node))
        return NodeRows(g, h, inner, exact, self._row_planes(node, hs.neuron))

    def _row_planes(self, node: Node, neurons: np.ndarray) -> tuple[tuple[int, ...], ...]:
        """The hyperplane (its coincident neurons) of each row of a node built from its prefix."""
        group_of: dict[int, tuple[int, ...]] = {}
        if node.depth:
            net = self.net
            for l, pre in enumerate(layer_maps(net, node.prefix, depth=node.depth)):
                start = net.hidden_slices[l].start
                tol = None if net.exact else self.tol
                members = group_hyperplanes(pre.matrix, pre.offset, tol=tol).members()
                for rows in members.values():
                    plane = tuple(start + j for j in rows)
                    group_of.update(dict.fromkeys(plane, plane))
        return tuple(group_of.get(int(k), ()) for k in neurons)

    def _inner(self, net: Any, node: Node) -> AffineMap:
        if node.depth == 0:
            return AffineMap.identity(self.n, exact=net.exact)
        pre = layer_maps(net, node.prefix, depth=node.depth)[-1]
        width = net.hidden_widths[node.depth - 1]
        return AffineMap(
            *apply_pattern(pre.matrix, pre.offset, node.prefix[-width:], net.negative_slope)
        )

    # -- one node -------------------------------------------------------------------------------
    def _check_budget(self) -> None:
        self.budget.check()
        if not self.budget.allows(self.n_cells):
            raise OutOfBudget

    def arrangement(self, node: Node, rows: NodeRows, out: NodeOutput) -> Arrangement:
        """Layer ``node.depth``'s hyperplanes inside the node."""
        l = node.depth
        w = np.asarray(self.fnet.weights[l])
        pre = rows.inner.then(w, self.fnet.biases[l])
        a, c = pre.matrix, pre.offset
        start = sum(self.net.hidden_widths[:l])
        exact_pre = exact_hom = None
        if self.exact:
            layer = affine_fmpq_mat(self.net.weights[l], self.net.biases[l])
            exact_hom = layer * rows.exact.inner_hom()
            exact_pre = hom_to_affine(exact_hom)
            ae, ce = exact_pre.matrix, exact_pre.offset
            zero = zero_rows(ae)
            groups = group_hyperplanes(ae, ce, hom=exact_hom)
            positive_const = np.array([v > 0 for v in ce], dtype=bool)
        else:
            row_scale = np.linalg.norm(w, axis=1) * max(np.linalg.norm(rows.inner.matrix), 1e-300)
            norms = np.linalg.norm(a, axis=1)
            zero = norms <= self.tol.rel * row_scale
            for j in np.flatnonzero(self.tol.unsure(norms, row_scale)):
                out.notes.append(
                    Note(
                        "unsure zero form",
                        f"neuron {start + j} is nearly constant on a cell (decided "
                        f"{'constant' if zero[j] else 'not constant'})",
                        (pattern_string(node.prefix),),
                        (start + int(j),),
                        float(norms[j] / row_scale[j]),
                    )
                )
            a_nz = np.where(zero[:, None], 0.0, a)
            groups = group_hyperplanes(a_nz, c, tol=self.tol)
            positive_const = c > 0
            self._note_near_coincident(start, groups, out)
        reps = np.flatnonzero((groups.group == np.arange(len(groups.group))) & ~zero)
        by_rep = groups.members()
        members = tuple(tuple(start + j for j in by_rep[int(r)]) for r in reps)
        a_r, c_r = a[reps], c[reps]
        if self.exact:
            # the exact planes rounded: a float composition can cancel a nonzero normal to 0
            a_r = exact_pre.matrix[reps].astype(np.float64)
            c_r = exact_pre.offset[reps].astype(np.float64)
        norms = np.linalg.norm(a_r, axis=1)
        u = a_r / norms[:, None]
        v = c_r / norms
        exact = None
        if self.exact:
            exact = ExactPlanes(rows.exact, exact_pre.matrix[reps], exact_pre.offset[reps])
        side0 = u @ node.point + v
        cross = self._crossing(node, rows, u, v, side0, exact, out)
        if self.exact:
            xpt = (
                node.exact_point
                if node.exact_point is not None
                else floats_to_fractions(node.point)
            )
            values = (exact_hom * homogeneous_column(xpt)).entries()
            fixed = np.array([values[int(r)] > 0 for r in reps], dtype=bool)
        else:
            fixed = side0 > 0
        return Arrangement(
            len(groups.group),
            zero,
            positive_const,
            groups,
            reps,
            u,
            v,
            fixed,
            cross,
            pre,
            exact_pre,
            exact,
            members,
            exact_hom,
        )

    def process(self, task: Task, out: NodeOutput | None = None) -> NodeOutput:
        """Cut a node by its layer; return final cells, child nodes and notes.

        ``out`` collects them as they are found, so that a caller interrupted by the budget
        still holds what the node produced so far.
        """
        node = task.node
        out = NodeOutput() if out is None else out
        if node.depth == self.n_hidden_layers:  # a linear network: the domain is one cell
            self._check_budget()
            self.n_cells += 1
            out.cells.append(FoundCell(node.prefix, node.point, node.radius, node.exact_point))
            return out
        rows = task.rows if task.rows is not None else self.rows_of(node)
        arr = self.arrangement(node, rows, out)
        if not arr.cross.any():
            self._check_budget()
            self._finish(
                node,
                rows,
                arr,
                np.zeros(0),
                node.point,
                node.radius,
                np.zeros(0, dtype=bool),
                node.exact_point,
                out,
            )
            return out
        self._walk(node, rows, arr, out)
        return out

    def _finish(
        self,
        node: Node,
        rows: NodeRows,
        arr: Arrangement,
        sigma: np.ndarray,
        point: np.ndarray,
        radius: float,
        essential: np.ndarray,
        exact_point: np.ndarray | None,
        out: NodeOutput,
        on_boundary: np.ndarray | None = None,
        bounded: BoundedWitness | None = None,
        recession: np.ndarray | None = None,
    ) -> None:
        """Record a cell of the arrangement: a final cell, or a child node one layer down.

        ``essential`` marks the crossing planes carrying a facet of the cell; ``on_boundary``
        (final cells) the node's rows certified to carry one; ``bounded`` and ``recession``
        (final cells) the walk's float evidence that the cell is bounded, or unbounded.
        """
        bits, rep_active = arr.layer_bits(sigma)
        pattern = np.concatenate([node.prefix, bits])
        sel = np.flatnonzero(arr.cross)[essential]
        if node.depth == self.n_hidden_layers - 1:
            self.n_cells += 1
            hints = None
            if rows.planes is not None:
                hints = _facet_hints([arr.members[i] for i in sel], rows.planes, on_boundary)
            out.cells.append(
                FoundCell(
                    pattern,
                    point,
                    radius,
                    exact_point,
                    facets=hints,
                    bounded=bounded,
                    recession=recession,
                )
            )
            return
        s = np.where(rep_active[sel], -1.0, 1.0)
        g = np.concatenate([rows.g, arr.u[sel] * s[:, None]])
        h = np.concatenate([rows.h, -arr.v[sel] * s])
        inner = AffineMap(
            *apply_pattern(arr.pre.matrix, arr.pre.offset, bits, self.fnet.negative_slope)
        )
        exact = None
        if self.exact:
            # rows ue x <= -ve, negated where active (negating is cheaper than multiplying)
            act = rep_active[sel]
            new_g, new_h = arr.exact.ue[sel].copy(), negated(arr.exact.ve[sel])
            new_g[act] = negated(new_g[act])
            new_h[act] = negated(new_h[act])
            exact = ExactRows(
                np.concatenate([rows.exact.g, new_g]),
                np.concatenate([rows.exact.h, new_h]),
                None,
                hom_with_pattern(arr.exact_hom, bits, self.net.negative_slope),
            )
        child = Node(node.depth + 1, pattern, point, radius, exact_point)
        planes = None if rows.planes is None else rows.planes + tuple(arr.members[i] for i in sel)
        out.children.append(Task(child, NodeRows(g, h, inner, exact, planes)))

    def _crossing(
        self,
        node: Node,
        rows: NodeRows,
        u: np.ndarray,
        v: np.ndarray,
        side0: np.ndarray,
        exact: ExactPlanes | None,
        out: NodeOutput,
    ) -> np.ndarray:
        """Which hyperplanes ``u x + v = 0`` pass through the interior of the node."""
        k = len(u)
        if k == 0:
            return np.zeros(0, dtype=bool)
        if len(rows.h) == 0:
            return np.ones(k, dtype=bool)
        if exact is not None and node.exact_point is not None:
            return np.array([exact.crosses(j) for j in range(k)], dtype=bool)
        thr = self.thr
        if node.depth == 0 and self.domain.kind == "box" and exact is None:
            lo = np.array([float(x) for x in self.domain.lower])
            hi = np.array([float(x) for x in self.domain.upper])
            vmin = v + np.minimum(u * lo, u * hi).sum(axis=1)
            vmax = v + np.maximum(u * lo, u * hi).sum(axis=1)
            edge = np.minimum(np.abs(vmin), np.abs(vmax))
            for j in np.flatnonzero(self.tol.unsure(edge, self.problem.scale)):
                out.notes.append(self._crossing_note(node, j, edge[j]))
            return (vmin < -thr) & (vmax > thr)
        near = np.abs(side0) <= thr
        hit = np.abs(side0) < node.radius - thr  # the centre's ball meets the plane
        # rays from the centre: a plane reached before the ray leaves the node crosses it
        slack = rows.h - rows.g @ node.point
        rate = rows.g @ self.dirs.T
        with np.errstate(divide="ignore", invalid="ignore"):
            t_exit = np.where(rate > 0, slack[:, None] / rate, np.inf).min(axis=0)
            speed = u @ self.dirs.T
            t_hit = np.where(speed * side0[:, None] < 0, -side0[:, None] / speed, np.inf)
        hit |= (t_hit < t_exit[None, :] * (1 - self.tol.rel)).any(axis=1) & ~near
        todo = np.flatnonzero(~hit)
        if len(todo) and self.by_vertices:
            skeleton = few_row_skeleton(rows.g, rows.h, thr)
            if skeleton is not None:
                # decided by the node's vertices and rays, beyond the loose tolerance
                reach = skeleton.reach(u[todo], v[todo])
                hit[todo] = (reach.low < -self.margin) & (reach.high > self.margin)
                gone = (reach.lower_bound > self.margin) | (reach.upper_bound < -self.margin)
                todo = todo[~(gone | hit[todo])]
        if len(todo) == 0:
            return hit
        lp = LPModel(rows.g, None, rows.h, backend=self.lp_backend)
        if len(todo) > 2 * self.n and self._box_pays():
            # the node's bounding box (2n LPs) can clear many planes that miss it at once
            cleared = self._box_clears(lp, u[todo], v[todo])
            self.box_record = (self.box_record[0] + 2 * self.n, self.box_record[1] + cleared.sum())
            todo = todo[~cleared]
        for j in todo:
            # from the side the centre is on, can the node reach beyond the hyperplane?
            if near[j]:
                lo_r = lp.solve(u[j])
                hi_r = lp.solve(u[j], maximize=True)
                values = [r.value + v[j] for r in (lo_r, hi_r) if r.optimal]
                hit[j] = (
                    lo_r.status == "unbounded" or (lo_r.optimal and lo_r.value + v[j] < -thr)
                ) and (hi_r.status == "unbounded" or (hi_r.optimal and hi_r.value + v[j] > thr))
                failed = lo_r.status == "failed" or hi_r.status == "failed"
            else:
                res = lp.solve(u[j], maximize=side0[j] < 0)
                values = [res.value + v[j]] if res.optimal else []
                if res.status == "unbounded":
                    hit[j] = True
                elif res.optimal:
                    hit[j] = (res.value + v[j] > thr) if side0[j] < 0 else (res.value + v[j] < -thr)
                failed = res.status == "failed"
            band = [x for x in values if self._unsure(x)]
            if exact is not None and (failed or band or any(abs(x) <= thr for x in values)):
                hit[j] = exact.crosses(j)
            elif band:
                out.notes.append(self._crossing_note(node, j, min(abs(x) for x in band)))
            elif failed:
                raise NumericalError(
                    "an LP failed while deciding whether a hyperplane crosses a cell; try "
                    "exact=True"
                )
        return hit

    def _box_pays(self) -> bool:
        """Whether the bounding-box test has saved more LPs than it cost so far (it does in low
        dimension, where boxes fit cells well; it is tried on the first few nodes)."""
        spent, cleared = self.box_record
        return spent < 16 * self.n or cleared > spent

    def _box_clears(self, lp: LPModel, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Planes ``u x + v = 0`` that the node's bounding box lies on one side of, beyond the
        tolerance band (so the plane certainly does not cross the node); ``lp`` holds the
        node's rows. A side of the box the node does not bound clears nothing along it."""
        n = self.n
        lo, hi = np.full(n, -np.inf), np.full(n, np.inf)
        cost = np.zeros(n)
        for k in range(n):
            cost[k] = 1.0
            for bound, maximize in ((lo, False), (hi, True)):
                res = lp.solve(cost, maximize=maximize)
                if res.optimal:
                    bound[k] = res.value
            cost[k] = 0.0
        with np.errstate(invalid="ignore"):
            low = v + np.where(u > 0, u * lo, np.where(u < 0, u * hi, 0.0)).sum(axis=1)
            high = v + np.where(u > 0, u * hi, np.where(u < 0, u * lo, 0.0)).sum(axis=1)
        margin = self.tol.loose * self.problem.scale
        return (low > margin) | (high < -margin)

    def _crossing_note(self, node: Node, j: int, value: float) -> Note:
        return Note(
            "unsure crossing",
            "a hyperplane passes within the tolerance band of a cell's boundary",
            (pattern_string(node.prefix),),
            (),
            value / self.problem.scale,
        )

    def _note_near_coincident(self, start: int, groups: HyperplaneGroups, out: NodeOutput) -> None:
        """Record different hyperplanes merged as one because they are within the tolerance:
        a cell between them, thinner than the tolerance, cannot be seen in float mode."""
        for j in np.flatnonzero(groups.gap > 0):
            if self.tol.unsure(groups.gap[j], 1.0):
                r = int(groups.group[j])
                out.notes.append(
                    Note(
                        "near-coincident hyperplanes",
                        f"neurons {start + r} and {start + int(j)} define hyperplanes closer "
                        "than the tolerance; they were merged",
                        (),
                        (start + r, start + int(j)),
                        float(groups.gap[j]),
                    )
                )

    def _start_signs(
        self, node: Node, arr: Arrangement, u: np.ndarray, v: np.ndarray
    ) -> np.ndarray:
        """Signs of the arrangement at a point near the node's centre that avoids every plane.

        Exact mode: the signs at ``x + εd`` for an exact interior point ``x``, a random direction
        ``d`` and infinitesimal ``ε`` (the sign of ``u·x + v``, or of ``u·d`` where that is 0).
        """
        if arr.exact is not None:
            ex = arr.exact.subset(arr.cross)
            xpt = (
                node.exact_point
                if node.exact_point is not None
                else floats_to_fractions(node.point)
            )
            vals = [ex.ue[j] @ xpt + ex.ve[j] for j in range(len(ex.ue))]
            while True:
                d = np.array(
                    [Fraction(int(k)) for k in self.rng.integers(-(10**6), 10**6, size=self.n)],
                    dtype=object,
                )
                dirs = [ex.ue[j] @ d for j in range(len(ex.ue))]
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

    def _walk(self, node: Node, rows: NodeRows, arr: Arrangement, out: NodeOutput) -> None:
        """Enumerate the cells of the crossing planes inside ``node`` by flips."""
        u, v = arr.u[arr.cross], arr.v[arr.cross]
        exact = arr.exact.subset(arr.cross) if arr.exact is not None else None
        crossing = [arr.members[i] for i in np.flatnonzero(arr.cross)]
        walk = _Walk(self, rows, u, v, crossing)
        final = node.depth == self.n_hidden_layers - 1
        # exact mode checks the witness on the exact rows later (see bounded_cells)
        prove_bounded = (not self.problem.exact or rows.planes is not None) and (
            not self.domain.bounded
        )
        start = self._start_signs(node, arr, u, v)
        # planes known to carry a facet of each cell met so far: a facet of a cell is a facet
        # of the neighbour across it, so every neighbour already processed names one
        facets_of: dict[bytes, list[int]] = {start.tobytes(): []}
        queue: list[np.ndarray] = [start]

        def push_neighbours(sigma: np.ndarray, essential: np.ndarray) -> None:
            for j in np.flatnonzero(essential).tolist():
                nb = sigma.copy()
                nb[j] = -nb[j]
                key = nb.tobytes()
                known = facets_of.get(key)
                if known is None:
                    facets_of[key] = [j]
                    queue.append(nb)
                else:
                    known.append(j)

        while queue:
            self._check_budget()
            sigma = queue.pop()
            known = facets_of[sigma.tobytes()]
            walk.set_signs(sigma)
            centre, radius = walk.chebyshev()
            thin = centre is None or radius <= self.thr
            if exact is not None and (thin or not exact.inside(sigma, centre)):
                # too thin for floats, or the float centre fails the exact check: decide exactly
                xp = exact.interior_point(sigma)
                if xp is None:
                    continue  # exactly empty or flat: not a cell
                essential = np.array(
                    [j in known or exact.facet(sigma, j) for j in range(len(u))], dtype=bool
                )
                self._finish(node, rows, arr, sigma, xp.astype(float), 0.0, essential, xp, out)
                push_neighbours(sigma, essential)
                continue
            if thin:
                text = "a cell thinner than the tolerance was left out"
                self._thin_note(out, node, arr, sigma, text, radius)
                continue
            if exact is None and self._unsure(radius):
                text = "a cell barely thicker than the tolerance was counted"
                self._thin_note(out, node, arr, sigma, text, radius)
            if final and prove_bounded:
                walk.hold_duals()  # before the facet LPs reuse the model
            found = walk.facets(sigma, centre, known, exact, node, out, final=final)
            bounded = None
            if final and prove_bounded:
                # float mode takes a polytope of vertices without rays around the cell; exact
                # mode needs multipliers it can check on the exact rows
                polytope = found.polytope and not self.problem.exact
                bounded = _VERTICES_ONLY if polytope else walk.bounded(sigma)
            self._finish(
                node,
                rows,
                arr,
                sigma,
                centre,
                radius,
                found.essential,
                None,
                out,
                found.on_boundary,
                bounded,
                found.recession if prove_bounded and bounded is None else None,
            )
            push_neighbours(sigma, found.essential)

    # -- the whole search -----------------------------------------------------------------------
    def run(
        self,
        state: SearchState,
        budget: Budget,
        on_node: Callable[[SearchState, int], None] | None = None,
        *,
        stop_depth: int | None = None,
    ) -> bool:
        """Process pending nodes depth-first until done or out of budget; return completeness.

        Cells of a node interrupted by the budget are kept in ``state.partial`` only; the node
        itself stays pending, so a resumed run neither loses nor repeats them. With
        ``stop_depth``, nodes at that depth are left pending (for workers to take).
        """
        self.budget = budget
        self.n_cells = len(state.cells)
        state.partial = []
        skipped: list[Task] = []
        try:
            while state.pending:
                task = state.pending[-1]
                if stop_depth is not None and task.node.depth >= stop_depth:
                    skipped.append(state.pending.pop())
                    continue
                before = self.n_cells
                out = NodeOutput()
                try:
                    self.process(task, out)
                except OutOfBudget:
                    # the node stays pending (a resumed run redoes it whole); its cells so far
                    # are returned with the partial result
                    self.n_cells = before
                    state.partial = list(out.cells)
                    raise
                state.pending.pop()
                state.cells.extend(out.cells)
                state.add_notes(out.notes)
                state.pending.extend(reversed(out.children))
                state.nodes += 1
                if on_node is not None:
                    on_node(state, len(out.cells))
        except OutOfBudget:
            state.pending.extend(reversed(skipped))
            return False
        state.pending.extend(reversed(skipped))
        return True


class _Certificates:
    """The redundancy certificates of one walk: which planes provably carry no facet of a cell.

    The LP that finds plane ``t`` to be no facet of cell ``sigma`` (the plane's row dropped,
    ``t``'s side reached by no point, beyond the tolerance) has duals on some of the walk's
    planes, ``used``: ``t``'s halfspace on ``sigma``'s side follows from those planes with
    ``sigma``'s signs and the node's rows, which every cell of the walk shares. So ``t`` carries
    no facet of any cell of the walk with the same signs on ``used`` and on ``t`` — a neighbour
    across a plane outside ``used``, or a cell met much later. Certificates are kept per plane
    as rows of signs (0 where a plane is not used), each distinct one once.

    Examples
    --------
    >>> c = _Certificates(4)
    >>> c.add(3, np.array([0, 1]), np.array([1, -1, 1, -1]))
    >>> c.unproven(np.array([1, -1, -1, -1]), np.array([2, 3]))  # same on 0, 1, 3
    [2]
    >>> c.unproven(np.array([-1, -1, 1, -1]), np.array([3]))  # plane 0 differs
    [3]
    """

    def __init__(self, k: int) -> None:
        self.k = k
        self.rows: dict[int, list[np.ndarray]] = {}
        self.stacked: dict[int, np.ndarray] = {}
        self.known: set[bytes] = set()

    def add(self, t: int, used: np.ndarray, sigma: np.ndarray) -> None:
        """Record that plane ``t`` is no facet wherever the signs on ``used`` and ``t`` are
        those of ``sigma``."""
        signs = np.zeros(self.k, dtype=np.int8)
        signs[used] = sigma[used]
        signs[t] = sigma[t]
        key = signs.tobytes() + t.to_bytes(4, "little")
        if key in self.known:
            return
        self.known.add(key)
        self.rows.setdefault(t, []).append(signs)
        self.stacked.pop(t, None)

    def unproven(self, sigma: np.ndarray, planes: np.ndarray) -> list[int]:
        """The ``planes`` that no certificate covers in the cell ``sigma``."""
        left = []
        for t in planes.tolist():
            rows = self.rows.get(t)
            if rows is not None:
                table = self.stacked.get(t)
                if table is None:
                    table = self.stacked[t] = np.array(rows)
                if not ((table != 0) & (table != sigma)).any(axis=1).all():
                    continue
            left.append(t)
        return left


@dataclass(frozen=True, slots=True, eq=False)
class _CellFacets:
    """What :meth:`_Walk.facets` learnt about a cell: ``essential`` marks the crossing planes
    carrying a facet, ``on_boundary`` the node's rows certified to carry one (final cells only),
    ``recession`` a unit direction along which no row of the cell rises (final cells only;
    ``None`` when no ray escaped), ``polytope`` whether the cell lies in a polyhedron whose float
    skeleton has vertices and no extreme ray (so the cell is bounded)."""

    essential: np.ndarray
    on_boundary: np.ndarray | None
    recession: np.ndarray | None
    polytope: bool = False


#: The evidence of a bounded cell that lies in a polyhedron whose skeleton has no extreme ray
#: (:func:`~neurogeom.core.polyhedra.few_row_skeleton`): no multipliers, so float mode only.
_VERTICES_ONLY = BoundedWitness(None, np.zeros(0))


#: Smallest singular value of unit rows taken to span the space in ``_Walk.bounded``.
_SPAN = 1e-9


class _Walk:
    """The LP model of one arrangement walk: the node's rows, then one row per crossing plane.

    Variables are ``x`` and a radius ``r``; switching cells changes the planes' row bounds and
    their radius coefficients, so every solve warm-starts from the last basis.
    """

    def __init__(
        self,
        searcher: Searcher,
        rows: NodeRows,
        u: np.ndarray,
        v: np.ndarray,
        crossing: list[tuple[int, ...]],
    ) -> None:
        self.s = searcher
        self.u, self.v = u, v
        self.node_rows = rows
        # the neurons of each row of the model (node rows, then the crossing planes)
        self.row_neurons = None if rows.planes is None else (*rows.planes, *crossing)
        k, n, kn = len(u), searcher.n, len(rows.h)
        mat = np.zeros((kn + k, n + 1))
        mat[:kn, :n] = rows.g
        mat[:kn, n] = 1.0
        mat[kn:, :n] = u
        self.lp = LPModel(
            mat,
            None,
            np.concatenate([rows.h, np.zeros(k)]),
            col_lower=[*[-np.inf] * n, 0.0],
            col_upper=[*[np.inf] * n, searcher.cap],
            backend=searcher.lp_backend,
        )
        self.rows = np.arange(kn, kn + k)
        self.current = np.zeros(k)
        self.n = n
        self.cheb_cost = np.zeros(n + 1)
        self.cheb_cost[n] = 1.0
        self.certificates = _Certificates(k)
        self._held_duals: np.ndarray | None = None

    def set_signs(self, sigma: np.ndarray) -> None:
        """Put the model on the cell with signs ``sigma``."""
        lp, n = self.lp, self.n
        # a walk step flips one or a few planes: row by row is quicker than arrays then
        for j in np.flatnonzero(sigma != self.current).tolist():
            row, s, v = int(self.rows[j]), float(sigma[j]), float(self.v[j])
            lp.set_row_bounds(row, -v if s > 0 else -np.inf, np.inf if s > 0 else -v)
            lp.set_coefficients(row, n, -s)
            self.current[j] = s

    def chebyshev(self) -> tuple[np.ndarray | None, float]:
        """Centre and radius of the current cell (``None`` when it is empty)."""
        self.lp.set_col_bounds(self.n, 0.0, self.s.cap)
        res = self.lp.solve(self.cheb_cost, maximize=True)
        if not res.optimal:
            return None, 0.0
        return res.x[: self.n], float(res.x[self.n])

    def hold_duals(self) -> None:
        """Keep the duals of the last Chebyshev solve for :meth:`bounded` (facet LPs reuse the
        model before it is known whether the witness is needed)."""
        self._held_duals = self.lp.row_duals()

    def bounded(self, sigma: np.ndarray) -> BoundedWitness | None:
        """The duals of the last Chebyshev solve as a proof that the current cell is bounded.

        Written as ``N x <= h`` with unit normals ``N``, the cell is bounded iff no direction
        ``d != 0`` has ``N d <= 0``. The solve's row duals give ``y >= 0`` with ``N^T y = rho``
        (``rho`` ~ 0: the ``x`` columns are free). For such a ``d`` of unit length every used row
        ``i`` (``y_i > 0``) has ``-|rho| / y_i <= N_i d <= 0``, so ``|d| <= sqrt(k) |rho| /
        (y_min sigma_min)`` over the ``k`` used rows; when the used rows span the space with
        ``sigma_min y_min`` well above ``sqrt(k) |rho|`` that bound is below 1: no such ``d``.
        A float certificate, checked with a margin of 10 over the rounding in ``rho`` and with
        ``sigma_min > _SPAN`` (float rows of exactly parallel planes can look independent);
        ``None`` when it does not hold (the boundedness test decides then). The witness names a
        neuron of each used row (none for a domain row, or when the node's rows are untagged), so
        that exact mode can check it on the exact rows.
        """
        duals = self._held_duals if self._held_duals is not None else self.lp.row_duals()
        self._held_duals = None
        if duals is None:
            return None
        node = self.node_rows
        kn = len(node.h)
        # duals of rows held from below (planes with sign +) flip sign in the "<=" form
        y = duals * np.concatenate([np.ones(kn), np.where(sigma > 0, -1.0, 1.0)])
        y = -y if y.sum() < 0 else y
        top = float(np.abs(y).max(initial=0.0))
        if top == 0.0 or y.min() < -1e-9 * top:
            return None
        y = np.maximum(y, 0.0)
        normals = (
            np.concatenate([node.g, -sigma[:, None] * self.u]) if kn else -sigma[:, None] * self.u
        )
        used = y > 1e-9 * top
        if used.sum() < self.n:
            return None
        # |rho| plus what rounding in the rows and the product can hide
        rho = float(np.linalg.norm(normals.T @ y)) + 1e-14 * float(y.sum())
        smallest = float(np.linalg.svd(normals[used], compute_uv=False)[self.n - 1])
        if smallest <= _SPAN:  # the used rows may not span (parallel rows of a slab)
            return None
        if not smallest * float(y[used].min()) > 10.0 * np.sqrt(used.sum()) * rho:
            return None
        rows = np.flatnonzero(used).tolist()
        neurons = None
        if self.row_neurons is not None and all(self.row_neurons[r] for r in rows):
            neurons = tuple(self.row_neurons[r][0] for r in rows)
        return BoundedWitness(neurons, y[used])

    def _clear_by_vertices(
        self, sigma: np.ndarray, essential: np.ndarray, todo: list[int]
    ) -> tuple[list[int], RowSkeleton | None]:
        """The planes of ``todo`` still to be decided by an LP: those that the vertices and
        rays of the polyhedron cut by the node's rows and the cell's known facets do not clear;
        and that polyhedron's skeleton (``None`` when it could not be read).

        That polyhedron contains the cell with any one plane's row dropped, so a plane it lies
        beyond (on the cell's side, by more than the loose tolerance) carries no facet. Only in
        low dimension with few rows (:func:`~neurogeom.core.polyhedra.few_row_skeleton`).
        """
        rows = self.node_rows
        ess = np.flatnonzero(essential)
        g = np.concatenate([rows.g, -sigma[ess, None] * self.u[ess]])
        h = np.concatenate([rows.h, sigma[ess] * self.v[ess]])
        skeleton = few_row_skeleton(g, h, self.s.thr)
        if skeleton is None:
            return todo, None
        left = np.asarray(todo)
        side = sigma[left]
        reach = skeleton.reach(side[:, None] * self.u[left], side * self.v[left])
        return [int(j) for j in left[~(reach.lower_bound > self.s.margin)]], skeleton

    def facets(
        self,
        sigma: np.ndarray,
        centre: np.ndarray,
        known: list[int],
        exact: ExactPlanes | None,
        node: Node,
        out: NodeOutput,
        *,
        final: bool = False,
    ) -> _CellFacets:
        """Which planes carry a facet of the cell ``sigma``.

        The planes in ``known`` carry a facet (a neighbour across them, processed before, found
        the shared facet). Planes that a redundancy certificate of an earlier cell of the walk
        covers (see :class:`_Certificates`) need no LP; the LPs solved here add their own
        certificates.

        With ``final``, also finds which of the node's rows are certified, without an LP, to
        carry a facet of the cell: the foot of the perpendicular from the centre, or the first
        point a ray from it hits, lies in the row's relative interior; and a ray that leaves the
        cell through no row, when one of the walk's rays does.
        """
        s, u, v, rows = self.s, self.u, self.v, self.node_rows
        thr = s.thr
        k, n = len(u), self.n
        dist = sigma * (u @ centre + v)
        feet = centre[None, :] - (sigma * dist)[:, None] * u
        ok = np.ones(k, dtype=bool)
        if len(rows.h):
            ok &= ((rows.g @ feet.T) <= rows.h[:, None] - thr).all(axis=0)
        others = sigma[:, None] * (u @ feet.T + v[:, None])
        np.fill_diagonal(others, np.inf)
        ok &= (others >= thr).all(axis=0)
        rows_g = (
            np.concatenate([rows.g, -sigma[:, None] * u]) if len(rows.h) else -sigma[:, None] * u
        )
        slack = np.concatenate([rows.h - rows.g @ centre, dist]) if len(rows.h) else dist
        hits = _first_hits(rows_g, slack, s.dirs, s.tol.rel)
        ok |= hits.first[len(rows.h) :]
        on_boundary = None
        if final:
            on_boundary = hits.first[: len(rows.h)] | _boundary_feet(
                rows.g, rows.h, slack[: len(rows.h)], centre, sigma[:, None] * u, sigma * v, thr
            )
        essential = ok
        essential[known] = True
        recession = hits.escape if final else None
        if final and recession is None and len(rows_g):
            recession = _escape(rows_g, np.array([centre, centre - node.point]))
        todo = self.certificates.unproven(sigma, np.flatnonzero(~essential))
        polytope = False
        if todo and s.by_vertices:
            todo, skeleton = self._clear_by_vertices(sigma, essential, todo)
            polytope = skeleton is not None and skeleton.bounded
            if todo and skeleton is not None:
                aimed = _aimed_hits(skeleton, centre, rows_g, slack, thr, s.tol.rel)
                essential |= aimed[len(rows.h) :]
                if on_boundary is not None:
                    on_boundary |= aimed[: len(rows.h)]
                todo = [j for j in todo if not essential[j]]
        if not todo:
            return _CellFacets(essential, on_boundary, recession, polytope)
        lp = self.lp
        lp.set_col_bounds(n, 0.0, 0.0)
        cost = np.zeros(n + 1)
        for j in todo:
            row = int(self.rows[j])
            lp.set_row_bounds(row, -np.inf, np.inf)
            cost[:n] = u[j]
            res = lp.solve(cost, maximize=sigma[j] < 0)
            if res.status == "unbounded":
                essential[j] = True
            elif res.optimal:
                beyond = -sigma[j] * (res.value + v[j])
                essential[j] = beyond > thr
                unsure = abs(beyond) <= thr or s._unsure(beyond)
                if exact is not None and unsure:
                    essential[j] = exact.facet(sigma, j)
                elif unsure and abs(beyond) > s.tol.strict * s.problem.scale:
                    out.notes.append(
                        Note(
                            "unsure facet",
                            "a hyperplane touches a cell within the tolerance band; "
                            f"decided {'a facet' if essential[j] else 'not a facet'}",
                            (pattern_string(node.prefix),),
                            (),
                            abs(beyond) / s.problem.scale,
                        )
                    )
                if not essential[j] and beyond < -thr:
                    duals = lp.row_duals()
                    if duals is not None:
                        used = np.flatnonzero(np.abs(duals[self.rows]) > s.tol.strict)
                        self.certificates.add(int(j), used, sigma)
            elif exact is not None:
                essential[j] = exact.facet(sigma, j)
            else:
                raise NumericalError(
                    "an LP failed while deciding whether a hyperplane is a facet; try exact=True"
                )
            lp.set_row_bounds(
                row, -v[j] if sigma[j] > 0 else -np.inf, np.inf if sigma[j] > 0 else -v[j]
            )
        return _CellFacets(essential, on_boundary, recession, polytope)
