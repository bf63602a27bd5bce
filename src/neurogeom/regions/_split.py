"""The split engine: activation cells of a ReLU network in input dimension 1, 2 or 3.

Cells are kept as vertex lists with their edges (the 1-skeleton). Starting from a bounded convex
domain, every cell is cut neuron by neuron and layer by layer: a hidden neuron's pre-activation is
affine on the cell, so it is evaluated at the vertices; when it changes sign the cell splits into
its two sides, whose vertices are the old vertices on that side plus the points where the neuron's
hyperplane crosses the cell's edges. No linear programs are solved, so in low dimension this is far
faster than the LP-based search of :mod:`neurogeom.regions`, and its exact mode is exact
throughout (python-flint rationals, no tolerance).

Three cutters share this: :func:`_batched_polygons` (2-D, every cell of a layer at once, polygons
in cyclic order), :func:`_batched_polyhedra` (3-D, every cell at once, cells with edges) and
:func:`_depth_first` (one cell at a time: 1-D, and the rest of a layer after ``max_cells`` or
the time limit stopped a batched cutter).

Exact mode in the batched cutters (and the planar engine, which shares these kernels): the
layers' maps are composed in float64 with rigorous bounds on their error
(:func:`_bounded_compose`), a sign is taken from floats when it clears its bound, and exact
rows are formed only where needed — unsure signs and the neurons that cut a cell, whose crossing
points are exact — by pulling the neuron's weights back through the cell's pattern
(:func:`exact_forms`, :class:`ExactRows`). The output maps add the cutting neurons' rows to a
base formed once per root (:func:`exact_outputs`).

Convention (as in :class:`~neurogeom.nets.ReLUNet`): a neuron is *active* where its pre-activation
is > 0. A neuron whose pre-activation does not change sign on a cell does not split it; it is
active there iff it is positive somewhere on the cell (so a pre-activation that vanishes
identically is inactive).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from neurogeom.core.arrays import (
    blocks,
    component_labels,
    distinct_pairs,
    ranges,
    shared_key_pairs,
    tall_product,
)
from neurogeom.core.budget import Budget
from neurogeom.core.errors import InvalidInputError
from neurogeom.core.growable import GrowableArray
from neurogeom.core.polyhedra import order_polygon
from neurogeom.core.progress import progress_bar
from neurogeom.core.rationals import (
    fmpq_array,
    fraction_to_json,
    fractions_from_fmpq,
    fractions_to_float,
)
from neurogeom.core.tolerances import DEFAULT_BAND, Tolerances, check_tol
from neurogeom.nets.geometry import AffineMap
from neurogeom.nets.relu import ReLUNet
from neurogeom.regions._engine import Contacts, EngineRun, FoundCell, RegionProblem
from neurogeom.regions.result import Note

__all__ = [
    "ExactChain",
    "ExactRows",
    "SplitCell",
    "SplitEngine",
    "exact_forms",
    "split_cells",
    "vertex_contacts",
]

_NO_EDGES = np.empty((0, 2), dtype=np.intp)


@dataclass(frozen=True, slots=True)
class SplitCell:
    """One full-dimensional activation cell found by :func:`split_cells`.

    Attributes
    ----------
    pattern : ndarray of bool, shape (n_hidden,)
        Activation pattern, hidden layers concatenated (see ``ReLUNet.hidden_slices``).
    vertices : ndarray, shape (k, d)
        The cell's vertices (the closure of the cell, within the domain): float64, or an object
        array of :class:`~fractions.Fraction` in exact mode. Each vertex appears once; in 2-D they
        are in counter-clockwise order.
    output : AffineMap, optional
        The network's affine map on the cell, when the engine had it at hand (cells finished by
        the depth-first stage).

    Examples
    --------
    >>> import numpy as np
    >>> cell = SplitCell(np.array([True, False]), np.array([[0.0], [1.0]]))
    >>> cell
    SplitCell(pattern='10', n_vertices=2, dim=1)
    >>> cell.to_dict()
    {'pattern': [1, 0], 'vertices': [[0.0], [1.0]]}
    """

    pattern: np.ndarray
    vertices: np.ndarray
    output: AffineMap | None = field(default=None, compare=False)

    @property
    def pattern_string(self) -> str:
        """The pattern as a string of ``0`` and ``1``."""
        return "".join("1" if v else "0" for v in self.pattern)

    @property
    def exact(self) -> bool:
        """Whether the vertices are exact rationals."""
        return self.vertices.dtype == object

    def centroid(self) -> np.ndarray:
        """Mean of the vertices, an interior point of the cell (exact in exact mode)."""
        if self.exact:  # Fractions, or python-flint fmpq inside the engine (same type out)
            return self.vertices.sum(axis=0) / len(self.vertices)
        return self.vertices.mean(axis=0)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; exact coordinates are written as ``"p/q"`` strings."""
        conv = fraction_to_json if self.exact else float
        return {
            "pattern": [int(v) for v in self.pattern],
            "vertices": [[conv(x) for x in row] for row in self.vertices],
        }

    def __repr__(self) -> str:
        return (
            f"SplitCell(pattern={self.pattern_string!r}, n_vertices={len(self.vertices)}, "
            f"dim={self.vertices.shape[1] if self.vertices.ndim == 2 else '?'})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SplitCell):
            return NotImplemented
        return (
            self.pattern.shape == other.pattern.shape
            and bool(np.array_equal(self.pattern, other.pattern))
            and self.vertices.shape == other.vertices.shape
            and bool(np.all(self.vertices == other.vertices))
        )

    def __hash__(self) -> int:
        return hash((self.pattern.tobytes(), self.vertices.shape))


# -- domain -------------------------------------------------------------------------------------
def _rank(rows: np.ndarray, exact: bool, tol: float) -> int:
    if len(rows) == 0:
        return 0
    if exact:
        return int(flint.fmpq_mat(rows.shape[0], rows.shape[1], list(rows.ravel())).rank())
    normed = rows / np.linalg.norm(rows, axis=1)[:, None]
    return int(np.linalg.matrix_rank(normed, tol=tol))


def _domain_edges(
    a: np.ndarray, b: np.ndarray, verts: np.ndarray, exact: bool, tol: float
) -> np.ndarray:
    """Edges of the domain polytope, from the constraints tight at each vertex.

    Two vertices span an edge iff the normals of their common tight constraints have rank
    ``d - 1`` and no third vertex is tight on all of them.
    """
    k, d = verts.shape
    nonzero = np.array([any(x != 0 for x in row) for row in a], dtype=bool)
    if any(bi < 0 for bi in b[~nonzero]):
        raise InvalidInputError("the domain is empty: a zero row of domain_a has domain_b < 0")
    a, b = a[nonzero], b[nonzero]
    if exact:
        distinct = len({tuple(row) for row in verts}) == k
    else:
        gaps = np.abs(verts[:, None, :] - verts[None, :, :]).max(axis=2)
        np.fill_diagonal(gaps, np.inf)
        distinct = bool(gaps.min() > tol * max(float(np.abs(verts).max()), 1e-300))
    if not distinct:
        raise InvalidInputError("domain_vertices lists a vertex twice")
    slack = b[None, :] - verts @ a.T
    if exact:
        if np.any(slack < 0):
            i = int(np.argwhere(slack < 0)[0, 0])
            raise InvalidInputError(f"domain_vertices[{i}] violates domain_a x <= domain_b")
        tight = slack == 0
    else:
        scale = np.abs(verts) @ np.abs(a).T + np.abs(b)[None, :]
        if np.any(slack < -tol * scale):
            i = int(np.argwhere(slack < -tol * scale)[0, 0])
            raise InvalidInputError(f"domain_vertices[{i}] violates domain_a x <= domain_b")
        tight = np.abs(slack) <= tol * np.maximum(scale, 1e-300)
    for i in range(k):
        if _rank(a[tight[i]], exact, tol) < d:
            raise InvalidInputError(
                f"domain_vertices[{i}] is not a vertex of the domain (fewer than {d} independent "
                "constraints are tight there)"
            )
    if d == 1:
        if k != 2:
            raise InvalidInputError(f"a 1-D domain has 2 vertices, got {k}")
        return np.array([[0, 1]], dtype=np.intp)
    edges = []
    for u in range(k):
        for v in range(u + 1, k):
            common = tight[u] & tight[v]
            if common.sum() < d - 1 or _rank(a[common], exact, tol) != d - 1:
                continue
            others = tight[:, common].all(axis=1)
            others[[u, v]] = False
            if not others.any():
                edges.append((u, v))
    out = np.array(edges, dtype=np.intp).reshape(-1, 2)
    degree = np.bincount(out.ravel(), minlength=k)
    if degree.min() < d or (d == 2 and degree.max() != 2):
        raise InvalidInputError(
            "domain_vertices must list every vertex of the domain {x : domain_a x <= domain_b} "
            f"(vertex {int(np.argmin(degree))} has only {int(degree.min())} neighbours)"
        )
    return out


# -- cutting ------------------------------------------------------------------------------------
def _cut_edges(points: np.ndarray, normal: np.ndarray, exact: bool) -> np.ndarray:
    """Edges of the cut face ``P ∩ {z = 0}``, in local indices of its vertices ``points``."""
    c, d = points.shape
    if d == 1 or c < 2:
        return _NO_EDGES
    if d == 2:
        # Points on a line: sort along the line's direction and join neighbours.
        key = points[:, 1] * normal[0] - points[:, 0] * normal[1]
        order = np.array(sorted(range(c), key=lambda i: key[i])) if exact else np.argsort(key)
        return np.column_stack([order[:-1], order[1:]])
    # d == 3: drop the coordinate where the normal is largest (an affine bijection of the plane
    # onto a coordinate plane) and order the polygon there.
    drop = max(range(3), key=lambda i: abs(normal[i]))
    keep = [i for i in range(3) if i != drop]
    flat = points[:, keep]
    if c == 2:
        return np.array([[0, 1]], dtype=np.intp)
    if exact:
        order = order_polygon(flat, return_index=True)
    else:
        rel = flat - flat.mean(axis=0)
        order = np.argsort(np.arctan2(rel[:, 1], rel[:, 0]))
    pairs = np.empty((c, 2), dtype=np.intp)
    pairs[:, 0] = order
    pairs[:-1, 1] = order[1:]
    pairs[-1, 1] = order[0]
    return pairs


def _merge_close(verts: np.ndarray, cut: np.ndarray, eps: float) -> np.ndarray | None:
    """Float mode: a vertex map merging cut vertices closer than ``eps`` (max-norm), or None.

    By construction new vertices lie at least about ``tol`` times the domain's size from the
    vertices of their edge, so this only triggers for near-degenerate 3-D cells.
    """
    pts = verts[cut]
    diff = np.abs(pts[:, None, :] - pts[None, :, :]).max(axis=2)
    np.fill_diagonal(diff, np.inf)
    if not (diff <= eps).any():
        return None
    target = np.arange(len(verts))
    for i in range(len(cut)):
        for j in range(i):
            if diff[i, j] <= eps and target[cut[j]] == cut[j]:
                target[cut[i]] = cut[j]
                break
    return target


@dataclass(slots=True)
class _Snapper:
    """Float mode: sets values within the tolerance to 0 and counts the decisions that fell
    inside the tolerance band (``eps / band < |z| < eps * band``), which are not certified."""

    band: float
    unsure: int = 0

    def snap(self, values: np.ndarray, eps: Any) -> None:
        """Zero the entries of ``values`` with ``|z| <= eps`` (in place)."""
        mag = np.abs(values)
        self.unsure += int(np.count_nonzero((mag > eps / self.band) & (mag < eps * self.band)))
        values[mag <= eps] = 0.0


def _apply_merge(edges: np.ndarray, target: np.ndarray) -> np.ndarray:
    e = target[edges]
    e = e[e[:, 0] != e[:, 1]]
    return np.unique(np.sort(e, axis=1), axis=0) if len(e) else _NO_EDGES


def _cut(
    verts: np.ndarray,
    zs: np.ndarray,
    edges: np.ndarray,
    normal: np.ndarray,
    eps: np.ndarray | None,
    merge_eps: float,
    snapper: _Snapper,
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Split a cell with edges by the neuron in column 0 of ``zs`` (which takes both signs).

    Returns the pieces ``{z >= 0}`` and ``{z <= 0}`` as ``(vertices, zs, edges)``.
    """
    exact = eps is None
    z = zs[:, 0]
    pos = z > 0
    neg = z < 0
    zer = ~(pos | neg)
    ea, eb = edges[:, 0], edges[:, 1]
    cross = (pos[ea] & neg[eb]) | (neg[ea] & pos[eb])
    ca, cb = ea[cross], eb[cross]
    za, zb = z[ca], z[cb]
    t = (za / (za - zb))[:, None]
    new_v = verts[ca] + t * (verts[cb] - verts[ca])
    new_z = zs[ca] + t * (zs[cb] - zs[ca])
    new_z[:, 0] = 0
    if not exact:
        snapper.snap(new_z, eps)
    k, n_new = len(verts), len(ca)
    new_idx = np.arange(k, k + n_new)
    all_v = np.concatenate([verts, new_v])
    all_z = np.concatenate([zs, new_z])
    cut = np.concatenate([np.flatnonzero(zer), new_idx])
    pos_ca = pos[ca]
    cross_p = np.empty((n_new, 2), dtype=np.intp)
    cross_p[:, 0] = np.where(pos_ca, ca, cb)
    cross_p[:, 1] = new_idx
    cross_n = cross_p.copy()
    cross_n[:, 0] = np.where(pos_ca, cb, ca)
    old = edges[~(zer[ea] & zer[eb])]  # edges inside the hyperplane come back as cut edges
    side_p = old[~(neg[old[:, 0]] | neg[old[:, 1]])]
    side_n = old[~(pos[old[:, 0]] | pos[old[:, 1]])]
    in_p = np.concatenate([~neg, np.ones(n_new, dtype=bool)])
    in_n = np.concatenate([~pos, np.ones(n_new, dtype=bool)])
    e_p = np.concatenate([side_p, cross_p])
    e_n = np.concatenate([side_n, cross_n])
    if not exact and n_new and len(cut) > 1:
        target = _merge_close(all_v, cut, merge_eps)
        if target is not None:  # rare: coincident cut vertices
            e_p, e_n = _apply_merge(e_p, target), _apply_merge(e_n, target)
            cut = np.unique(target[cut])
            alive = target == np.arange(len(all_v))
            in_p, in_n = in_p & alive, in_n & alive
    local = _cut_edges(all_v[cut], normal, exact)
    face = cut[local] if len(local) else _NO_EDGES
    out = []
    for inside, e in ((in_p, e_p), (in_n, e_n)):
        sel = np.flatnonzero(inside)
        remap = np.full(len(all_v), -1, dtype=np.intp)
        remap[sel] = np.arange(len(sel))
        out.append((all_v[sel], all_z[sel], remap[np.concatenate([e, face])]))
    return out[0], out[1]


def _cut_polygon(
    verts: np.ndarray, zs: np.ndarray, eps: np.ndarray | None, snapper: _Snapper
) -> tuple[tuple[np.ndarray, np.ndarray, None], tuple[np.ndarray, np.ndarray, None]]:
    """2-D fast path: split a counter-clockwise polygon by the neuron in column 0 of ``zs``.

    The sides keep the cyclic order: vertex ``i`` is followed by the crossing point of edge
    ``(i, i + 1)`` when there is one.
    """
    z = zs[:, 0]
    k = len(z)
    nxt = np.arange(1, k + 1)
    nxt[-1] = 0
    pos = z > 0
    neg = z < 0
    ci = np.flatnonzero((pos & neg[nxt]) | (neg & pos[nxt]))
    cj = nxt[ci]
    za, zb = z[ci], z[cj]
    t = (za / (za - zb))[:, None]
    new_v = verts[ci] + t * (verts[cj] - verts[ci])
    new_z = zs[ci] + t * (zs[cj] - zs[ci])
    new_z[:, 0] = 0
    if eps is not None:
        snapper.snap(new_z, eps)
    order = np.argsort(np.concatenate([2 * np.arange(k), 2 * ci + 1]), kind="stable")
    all_v = np.concatenate([verts, new_v])[order]
    all_z = np.concatenate([zs, new_z])[order]
    side = np.concatenate([pos.astype(np.int8) - neg.astype(np.int8), np.zeros(len(ci), np.int8)])
    side = side[order]
    keep_p, keep_n = side >= 0, side <= 0
    return (all_v[keep_p], all_z[keep_p], None), (all_v[keep_n], all_z[keep_n], None)


def _split_cell(
    verts: np.ndarray,
    zs: np.ndarray,
    edges: np.ndarray | None,
    a: np.ndarray,
    eps: np.ndarray | None,
    merge_eps: float,
    snapper: _Snapper,
) -> list[tuple[np.ndarray, np.ndarray | None, np.ndarray]]:
    """Cut one cell by every neuron of a layer.

    ``zs`` holds the layer's pre-activations at the vertices; ``edges`` is None for 2-D
    polygons kept in counter-clockwise order. Returns the full-dimensional pieces as
    ``(vertices, edges, active)`` with ``active`` the layer's activation bits on the piece.
    """
    active = (zs > 0).any(axis=0)
    cand = np.flatnonzero(active & (zs < 0).any(axis=0))
    if cand.size == 0:
        return [(verts, edges, active)]
    out = []
    work = [(verts, zs[:, cand], edges, cand, active)]
    while work:
        v, z, e, cand, bits = work.pop()
        pz = z > 0
        straddle = pz.any(axis=0) & (z < 0).any(axis=0)
        if not straddle.all():
            settled = ~straddle
            bits[cand[settled]] = pz[:, settled].any(axis=0)
            cand, z = cand[straddle], z[:, straddle]
        if cand.size == 0:
            out.append((v, e, bits))
            continue
        j = int(cand[0])
        eps_j = None if eps is None else eps[cand]
        if e is None:
            plus, minus = _cut_polygon(v, z, eps_j, snapper)
        else:
            plus, minus = _cut(v, z, e, a[j], eps_j, merge_eps, snapper)
        bits_p, bits_n = bits, bits.copy()
        bits_p[j], bits_n[j] = True, False
        rest = cand[1:]
        work.append((plus[0], plus[1][:, 1:], plus[2], rest, bits_p))
        work.append((minus[0], minus[1][:, 1:], minus[2], rest, bits_n))
    return out


# -- conversions --------------------------------------------------------------------------------
def _to_float_array(values: Any, name: str) -> np.ndarray:
    raw = np.asarray(values)
    try:
        arr = fractions_to_float(raw) if raw.dtype == object else raw.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"{name} is not a numeric array: {exc}") from None
    if not np.isfinite(arr).all():
        raise InvalidInputError(f"{name} must be finite")
    return arr


# -- the engine ---------------------------------------------------------------------------------
@dataclass(slots=True)
class _Setup:
    """What every stage of the engine reads: the layers in the working number type."""

    ws: list[np.ndarray]
    bs: list[np.ndarray]
    slope: Any
    one: Any
    exact: bool
    tol: float
    merge_eps: float
    deadline: float | None = None
    snapper: _Snapper = field(default_factory=lambda: _Snapper(DEFAULT_BAND))
    # exact mode: the network for exact_forms and its float64 rounding (signs are certified
    # from float maps with error bounds; exact rows are formed where needed)
    chain: ExactChain | None = None
    floats: tuple[list[np.ndarray], list[np.ndarray], float] | None = None

    @property
    def n_hidden_layers(self) -> int:
        return len(self.ws) - 1

    def out_of_time(self) -> bool:
        """Whether the time budget (a ``time.monotonic`` deadline) has run out."""
        return self.deadline is not None and time.monotonic() > self.deadline


# A work item of the depth-first engine: (layer, vertices, edges or None, H, h0, scale, bits)
# where x -> H x + h0 is the previous layer's post-activation on the cell (None before layer 0),
# scale bounds its terms (float mode) and bits lists the pattern of the previous layers.
_Item = tuple[int, np.ndarray, np.ndarray | None, Any, Any, Any, list[np.ndarray]]


def _depth_first(
    stack: list[_Item],
    setup: _Setup,
    emit: Any,
    max_cells: int | None,
) -> bool:
    """Process work items depth first, emitting final cells; return False if stopped early."""
    exact, last_layer = setup.exact, setup.n_hidden_layers - 1
    n_done = 0
    while stack:
        if setup.out_of_time():
            return False
        layer, v, e, h_mat, h_off, s_prev, bits = stack.pop()
        w, bias = setup.ws[layer], setup.bs[layer]
        if h_mat is None:
            a_l, c_l = w, bias
        else:
            a_l, c_l = w @ h_mat, w @ h_off + bias
        zs = v @ a_l.T + c_l
        if exact:
            eps = s_l = None
        else:
            s_l = np.abs(w) @ s_prev + np.abs(bias)
            eps = setup.tol * s_l
            setup.snapper.snap(zs, eps)
        pieces = _split_cell(v, zs, e, a_l, eps, setup.merge_eps, setup.snapper)
        for i, (pv, pe, active) in enumerate(pieces):
            dvec = np.where(active, setup.one, setup.slope)
            if exact:
                dvec = dvec.astype(object)
            if layer == last_layer:
                h = (dvec[:, None] * a_l)[None], (dvec * c_l)[None]
                mat, off = _compose(setup.ws[-1], setup.bs[-1], *h)
                if exact:
                    mat, off = fractions_from_fmpq(mat), fractions_from_fmpq(off)
                emit([*bits, active], pv, (mat[0], off[0]))
                n_done += 1
                if max_cells is not None and n_done >= max_cells:
                    return not stack and i + 1 == len(pieces)
                continue
            stack.append(
                (
                    layer + 1,
                    pv,
                    pe,
                    dvec[:, None] * a_l,
                    dvec * c_l,
                    None if exact else np.abs(dvec) * s_l,
                    [*bits, active],
                )
            )
    return True


def _starts(cell_of: np.ndarray) -> np.ndarray:
    """Index of the first vertex of each cell in flat storage (cells contiguous, ids sorted)."""
    return np.flatnonzero(np.concatenate([[True], cell_of[1:] != cell_of[:-1]]))


def _block_layout(offset: int, counts: np.ndarray) -> tuple[np.ndarray, ...]:
    """First vertex, cyclic successor and position in cell for cells of ``counts`` vertices
    stored one after the other from index ``offset``."""
    n = int(counts.sum())
    first = offset + np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)
    nxt = np.arange(offset + 1, offset + n + 1)
    nxt[first + counts - 1 - offset] = first
    local = np.arange(offset, offset + n) - np.repeat(first, counts)
    return first, nxt, local


def _approx(values: np.ndarray) -> np.ndarray:
    """Float64 approximations of exact rationals (NaN where a value is out of float range)."""
    try:
        return values.astype(np.float64)
    except OverflowError:

        def one(q: Any) -> float:
            try:
                return float(q)
            except OverflowError:
                return math.nan

        return np.vectorize(one, otypes=[np.float64])(values)


def _fmpq_matmul(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Exact product of two 2-D object arrays of ``fmpq``, computed by python-flint."""
    if x.shape[0] == 0 or y.shape[1] == 0 or x.shape[1] == 0:
        out = np.empty((x.shape[0], y.shape[1]), dtype=object)
        out[...] = flint.fmpq(0)
        return out
    prod = flint.fmpq_mat(*x.shape, list(x.ravel())) * flint.fmpq_mat(*y.shape, list(y.ravel()))
    out = np.empty(x.shape[0] * y.shape[1], dtype=object)
    out[:] = prod.entries()
    return out.reshape(x.shape[0], y.shape[1])


def _compose(w: Any, bias: Any, h_mat: Any, h_off: Any) -> tuple[Any, Any]:
    """The maps ``x -> w (H_c x + h_c) + bias`` for a stack of maps ``h_mat`` (cells, k, d),
    ``h_off`` (cells, k): ``(cells, len(w), d)`` and ``(cells, len(w))`` arrays, in one matrix
    product each (python-flint for object arrays of ``fmpq``)."""
    if h_mat.dtype != object:
        return np.matmul(w, h_mat), tall_product(h_off, w) + bias
    n_c, k, d = h_mat.shape
    stacked = h_mat.transpose(1, 0, 2).reshape(k, n_c * d)
    mats = _fmpq_matmul(w, stacked).reshape(len(w), n_c, d).transpose(1, 0, 2)
    return mats, _fmpq_matmul(h_off, np.ascontiguousarray(w.T)) + bias


#: Twice the unit roundoff plus one: bounds the error of rounding an exact value to float64 and
#: of one float product (relative to the float result).
_U2 = 3 * 2.0**-53
#: Factor by which error bounds computed in float64 are rounded up (their own rounding is far
#: below it).
_MARGIN = 1.0 + 1e-6
_ZERO = flint.fmpq(0)


def _sum_error(k: int) -> float:
    """A bound (with a factor 2 of margin) on the relative error of a float64 sum of ``k``
    products of float64 numbers that are themselves rounded exact values."""
    return 2.0 * (k + 2) * 2.0**-53


def _bounded_compose(
    w: np.ndarray, bias: np.ndarray, h: np.ndarray, h_off: np.ndarray, eh: Any, eo: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Float64 maps ``x -> w (H x + h) + bias`` for a stack ``h`` (cells, k, d), ``h_off``
    (cells, k) within ``eh``, ``eo`` of exact maps (arrays, or ``0.0`` when exact), and bounds
    on the results' distances to the exact maps; ``w`` and ``bias`` are the float64 roundings
    of the exact weights.

    Each entry is a sum of ``k + 1`` rounded products: its error is the incoming error carried
    through ``|w|`` plus :func:`_sum_error` of the sum of the terms' sizes.

    Examples
    --------
    >>> w, b = np.array([[0.1, 0.2]]), np.array([0.3])
    >>> a, c, ea, ec = _bounded_compose(w, b, np.eye(2)[None], np.zeros((1, 2)), 0.0, 0.0)
    >>> a.tolist(), bool(ec[0, 0] >= 0.3 * 2**-53)
    ([[[0.1, 0.2]]], True)
    """
    a, c = _compose(w, bias, h, h_off)
    aw = np.abs(w)
    gamma = _sum_error(w.shape[1] + 1)
    err_a = gamma * np.matmul(aw, np.abs(h))
    err_c = gamma * (tall_product(np.abs(h_off), aw) + np.abs(bias))
    if np.ndim(eh):  # (zero before the first layer)
        err_a += np.matmul(aw, eh)
        err_c += tall_product(eo, aw)
    return a, c, err_a * _MARGIN, err_c * _MARGIN


def _bounded_post(
    maps: Any, roots: np.ndarray, bits: np.ndarray, slope: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The float64 post-activation maps ``x -> D (A x + c)`` on cells with roots ``roots`` and
    activation ``bits`` (``D`` holds 1 and the float64 ``slope``) from a layer's bounded float
    maps (``af``, ``cf``, ``err_a``, ``err_c``), with their error bounds: the incoming error
    scaled by ``|D|``, plus the rounding of the slope and of the product."""
    d = np.where(bits, 1.0, slope)
    h = maps.af[roots] * d[:, :, None]
    h_off = maps.cf[roots] * d
    ad = np.abs(d)
    eh = maps.err_a[roots] * ad[:, :, None] + _U2 * np.abs(h)
    eo = maps.err_c[roots] * ad + _U2 * np.abs(h_off)
    return h, h_off, eh, eo


@dataclass(frozen=True, slots=True, eq=False)
class ExactChain:
    """An exact network as python-flint-ready arrays, for :func:`exact_forms`: per layer the
    weights beside the bias ``[W_k | b_k]`` (``fmpq`` object arrays, the output layer last), the
    slope of the inactive side and where each hidden layer's bits start in a pattern."""

    wb: tuple[np.ndarray, ...]
    slope: Any
    starts: np.ndarray

    @classmethod
    def of(cls, wq: list[np.ndarray], bq: list[np.ndarray], slope: Any) -> ExactChain:
        """From the ``fmpq`` weights and biases of every layer and the slope."""
        wb = tuple(np.concatenate([w, b[:, None]], axis=1) for w, b in zip(wq, bq, strict=True))
        widths = [len(w) for w in wq[:-1]]
        return cls(wb, slope, np.concatenate([[0], np.cumsum(widths)]).astype(np.int64))


def exact_forms(
    chain: ExactChain,
    layer: int,
    neurons: np.ndarray,
    bits: np.ndarray,
    drop: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Exact forms ``a x + c`` of neuron ``neurons[i]`` of layer ``layer`` (the output layer
    when ``layer`` is the number of hidden layers) on the cell whose earlier hidden bits are
    ``bits[i]``, for many ``(neuron, cell)`` pairs at once: ``(N, d)`` and ``(N,)`` arrays of
    ``fmpq``. ``drop`` (N, width of layer ``layer - 1``) leaves out the terms of some neurons
    of the layer below (as if their weights were zero).

    The form is the neuron's weight row pulled back through the earlier layers from the left:
    ``v <- (v * s_k) [W_k | b_k]``, where ``s_k`` holds 1 for active neurons and the slope
    elsewhere, the last column adding to the offset. Each layer is one python-flint product for
    all pairs, so only the rows asked for are ever formed (an engine asks for the few neurons
    that cut a cell, and for the outputs).

    Examples
    --------
    ``relu(x - y) + relu(y)`` on the cell where both neurons are active is ``x``:

    >>> from neurogeom.core.rationals import fmpq_array
    >>> chain = ExactChain.of(
    ...     [fmpq_array([[1, -1], [0, 1]]), fmpq_array([[1, 1]])],
    ...     [fmpq_array([0, 0]), fmpq_array([0])], flint.fmpq(0))
    >>> a, c = exact_forms(chain, 1, np.array([0]), np.array([[True, True]]))
    >>> a.tolist(), c.tolist()
    ([[1, 0]], [0])
    """
    row = chain.wb[layer][neurons]
    v, c = row[:, :-1], row[:, -1].copy()
    for k in range(layer - 1, -1, -1):
        active = bits[:, chain.starts[k] : chain.starts[k + 1]]
        v = v.copy()
        off = ~active
        if chain.slope == 0:
            v[off] = _ZERO
        else:
            v[off] = v[off] * chain.slope
        if drop is not None and k == layer - 1:
            v[drop] = _ZERO
        prod = _fmpq_matmul(v, chain.wb[k])
        c = c + prod[:, -1]
        v = prod[:, :-1]
    return v, c


def exact_outputs(
    chain: ExactChain, rows: ExactRows | None, roots: np.ndarray, patterns: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The exact output maps, as Fractions ``(cells, n_out, d)`` and ``(cells, n_out)``, of the
    cells with ``patterns`` whose roots at the start of the last hidden layer are ``roots``
    (``rows``: that layer's :class:`ExactRows`; ``None`` without hidden layers).

    The cells of one root differ only in the bits of the last layer's neurons that cut the root.
    The other neurons' terms, the root's *base*, are formed once per root by
    :func:`exact_forms`; each cell then adds the terms of the cutting neurons from their exact
    rows on the root, which the cuts formed already.
    """
    n_hidden = len(chain.wb) - 1
    n_out = len(chain.wb[-1])
    n = len(patterns)
    if rows is None or n_hidden == 0:
        outputs, cells = np.tile(np.arange(n_out), n), np.repeat(patterns, n_out, axis=0)
        a, c = exact_forms(chain, n_hidden, outputs, cells)
        return fractions_from_fmpq(a).reshape(n, n_out, -1), fractions_from_fmpq(c).reshape(n, -1)
    active = patterns[:, chain.starts[-2] : chain.starts[-1]]
    uniq, rep, inv = np.unique(roots, return_index=True, return_inverse=True)
    inv = inv.reshape(-1)
    on = np.zeros((len(uniq), active.shape[1]), dtype=np.int64)
    np.add.at(on, inv, active)
    varies = (on > 0) & (on < np.bincount(inv)[:, None])
    base_a, base_c = exact_forms(
        chain,
        n_hidden,
        np.tile(np.arange(n_out), len(uniq)),
        np.repeat(patterns[rep], n_out, axis=0),
        drop=np.repeat(varies, n_out, axis=0),
    )
    d = base_a.shape[1]
    out_a = base_a.reshape(len(uniq), n_out, d)[inv]
    out_c = base_c.reshape(len(uniq), n_out)[inv]
    cell, j = np.nonzero(varies[inv])
    if chain.slope == 0:  # inactive neurons add nothing
        keep = active[cell, j]
        cell, j = cell[keep], j[keep]
    if cell.size:
        aq, cq = rows.rows(roots[cell], j)
        coef = chain.wb[-1][:, j].T  # (pairs, n_out)
        if chain.slope != 0:
            coef = np.where(active[cell, j][:, None], coef, coef * chain.slope)
        first = np.flatnonzero(np.concatenate([[True], cell[1:] != cell[:-1]]))
        sums_a = np.add.reduceat(coef[:, :, None] * aq[:, None, :], first, axis=0)
        sums_c = np.add.reduceat(coef * cq[:, None], first, axis=0)
        out_a[cell[first]] = out_a[cell[first]] + sums_a
        out_c[cell[first]] = out_c[cell[first]] + sums_c
    return fractions_from_fmpq(out_a), fractions_from_fmpq(out_c)


def _exact_post_maps(
    chain: ExactChain, layer: int, patterns: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The exact post-activation maps ``x -> D (A x + c)`` of layer ``layer - 1`` on cells with
    ``patterns`` (their bits up to that layer): ``(cells, width, d)`` and ``(cells, width)``
    object arrays of ``fmpq``."""
    k = layer - 1
    width = chain.starts[k + 1] - chain.starts[k]
    n = len(patterns)
    a, c = exact_forms(chain, k, np.tile(np.arange(width), n), np.repeat(patterns, width, axis=0))
    a, c = a.reshape(n, width, -1), c.reshape(n, width)
    off = ~patterns[:, chain.starts[k] : chain.starts[k + 1]]
    a[off] = a[off] * chain.slope
    c[off] = c[off] * chain.slope
    return a, c


class ExactRows:
    """Exact pre-activation rows ``(a, c)`` of one layer's neurons on the cells at the layer's
    start (its *roots*), formed by :func:`exact_forms` on first use and kept.

    An engine that certifies signs from float maps needs exact rows only where a float sign is
    unsure and where a neuron cuts a cell (its crossing points are computed exactly): a small
    part of all ``(root, neuron)`` pairs.
    """

    __slots__ = ("aq", "bits", "chain", "cq", "known", "layer")

    def __init__(
        self, chain: ExactChain | None, layer: int, bits: np.ndarray, width: int, dim: int
    ) -> None:
        self.chain = chain
        self.layer = layer
        self.bits = bits  # each root's pattern over the earlier layers
        self.aq = np.empty((len(bits), width, dim), dtype=object)
        self.cq = np.empty((len(bits), width), dtype=object)
        self.known = np.zeros((len(bits), width), dtype=bool)

    @classmethod
    def given(cls, a: np.ndarray, c: np.ndarray) -> ExactRows:
        """All rows given: ``(roots, width, dim)`` and ``(roots, width)`` arrays of ``fmpq``."""
        rows = cls(None, 0, np.zeros((c.shape[0], 0), dtype=bool), c.shape[1], a.shape[2])
        rows.aq, rows.cq = a, c
        rows.known[:] = True
        return rows

    def rows(self, roots: np.ndarray, neurons: Any) -> tuple[np.ndarray, np.ndarray]:
        """The exact rows of ``neurons`` (one per root, or one for all) on ``roots``: arrays
        ``(k, dim)`` and ``(k,)`` of ``fmpq``."""
        neurons = np.broadcast_to(np.asarray(neurons, dtype=np.int64), roots.shape)
        missing = ~self.known[roots, neurons]
        if missing.any():
            width = self.known.shape[1]
            pairs = np.unique(roots[missing] * width + neurons[missing])
            r, j = np.divmod(pairs, width)
            self.aq[r, j], self.cq[r, j] = exact_forms(self.chain, self.layer, j, self.bits[r])
            self.known[r, j] = True
        return self.aq[roots, neurons], self.cq[roots, neurons]


def _float_outputs(
    w: np.ndarray,
    bias: np.ndarray,
    a_all: np.ndarray,
    c_all: np.ndarray,
    roots: np.ndarray,
    scale: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Float maps ``x -> w (s_c * (A_r x + c_r)) + bias`` for cells ``c`` with roots ``r =
    roots[c]`` and activation scales ``s_c = scale[c]`` (1 or the slope per neuron), computed
    one input coordinate at a time: no (cells, width, d) array is ever built."""
    mats = np.empty((len(roots), len(w), a_all.shape[2]))
    for k in range(a_all.shape[2]):
        mats[:, :, k] = tall_product(a_all[roots, :, k] * scale, w)
    return mats, tall_product(c_all[roots] * scale, w) + bias


#: Relative error bound (with ample margin) of a float64 evaluation of ``a x + b y + c`` from
#: rounded inputs, relative to ``|a x| + |b y| + |c|``; signs beyond it are certified.
_FILTER = 1e-14


def _filtered_signs(
    z_approx: np.ndarray, magnitude: np.ndarray, slack: Any = 0.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Signs certified from float approximations, and the flat indices left unsure.

    ``slack`` bounds any further error of ``z_approx`` (maps that are not the correctly rounded
    exact ones). The caller evaluates the unsure entries exactly and fills ``pos`` and ``neg``
    there.
    """
    sure = np.abs(z_approx) > _FILTER * magnitude + slack + 1e-300  # False for NaN
    return sure & (z_approx > 0), sure & (z_approx < 0), np.flatnonzero(~sure.ravel())


@dataclass(frozen=True, slots=True)
class _LayerMaps:
    """A layer's pre-activation maps ``z = a x + c`` on the cells at its start, in float64:
    ``(cells, width, d)`` and ``(cells, width)``. Exact mode adds rigorous bounds on their
    distance to the exact maps (``err_a``, ``err_c``) and the exact rows, formed where needed
    (``exact``). The planar engine, which shares them, keeps its float mode's bound on the
    terms of ``z`` beside them (``scale``)."""

    af: np.ndarray
    cf: np.ndarray
    err_a: np.ndarray | None = None
    err_c: np.ndarray | None = None
    exact: ExactRows | None = None
    scale: np.ndarray | None = None

    @classmethod
    def of(cls, a: Any, c: Any) -> _LayerMaps:
        """Maps given in full: float64, or exact (``fmpq``), then with their roundings."""
        if a.dtype != object:
            return cls(a, c)
        af, cf = _approx(a), _approx(c)
        return cls(af, cf, _U2 * np.abs(af), _U2 * np.abs(cf), ExactRows.given(a, c))

    def exact_values(self, verts: np.ndarray, roots: np.ndarray, j: Any) -> np.ndarray:
        """Exact pre-activations of neurons ``j`` at ``verts`` in cells with roots ``roots``."""
        aq, cq = self.exact.rows(roots, j)
        return (verts * aq).sum(axis=1) + cq

    def normal(self, root: int, j: int) -> tuple[Any, Any]:
        """Neuron ``j``'s row ``(a, c)`` on ``root``: exact in exact mode."""
        if self.exact is None:
            return self.af[root, j], self.cf[root, j]
        aq, cq = self.exact.rows(np.array([root]), j)
        return aq[0], cq[0]

    def signs(
        self,
        verts: np.ndarray,
        approx: np.ndarray,
        roots: np.ndarray,
        j: int | None,
        eps: np.ndarray | None,
        setup: _Setup,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pre-activations at vertices (float values) and where they are certainly positive and
        negative: neuron ``j`` (arrays over the vertices), or every neuron (``j=None``: arrays
        (vertices, width)), at ``verts`` (float64 ``approx``) in cells with roots ``roots``.

        Float mode zeroes values within ``eps`` (per root and neuron) first. Exact mode takes a
        sign from the float value when it is beyond a rigorous rounding-error bound and
        evaluates it exactly otherwise. Sums run one coordinate at a time, so no (vertices,
        width, d) array is formed.
        """
        cols = slice(None) if j is None else j
        z = self.cf[roots, cols]
        size = np.abs(z)
        for k in range(approx.shape[1]):
            term = (approx[:, k, None] if j is None else approx[:, k]) * self.af[roots, cols, k]
            z = z + term
            size += np.abs(term)
        if not setup.exact:
            setup.snapper.snap(z, eps[roots, cols])
            return z, z > 0, z < 0
        # the float maps' own error at these points (see _bounded_compose)
        slack = self.err_c[roots, cols].copy()
        for k in range(approx.shape[1]):
            x_k = np.abs(approx[:, k, None] if j is None else approx[:, k])
            slack += x_k * self.err_a[roots, cols, k]
        pos, neg, unsure = _filtered_signs(z, size, slack * _MARGIN)
        if unsure.size:
            if j is None:
                i, neuron = np.divmod(unsure, z.shape[1])
            else:
                i, neuron = unsure, j
            exact_z = self.exact_values(verts[i], roots[i], neuron)
            pos.ravel()[unsure], neg.ravel()[unsure] = exact_z > 0, exact_z < 0
        return z, pos, neg


def _batched_polygons(
    verts: np.ndarray,
    xmax: np.ndarray,
    setup: _Setup,
    max_cells: int | None,
    bar: Any,
) -> tuple[_Batch | None, list[_Item] | None]:
    """2-D engine that cuts all cells at once, one neuron at a time (vectorised over cells).

    Polygons are stored flat and append-only: a vertex buffer with the cell id of each vertex,
    each cell's vertices contiguous and counter-clockwise. A split cell is marked dead and its two
    children are appended. For neuron ``j`` of layer ``l`` only the cells whose *root* (ancestor
    at the start of the layer) the neuron's hyperplane crosses are looked at; their vertices'
    pre-activations come from one gather-multiply-add with the root's map, and all the cells that
    change sign are clipped together in a few array operations.

    Exact mode keeps float64 copies of the vertices and maps beside the exact ones: a sign is
    taken from the float value when it exceeds a rigorous rounding-error bound and evaluated
    exactly otherwise; crossing points are always computed exactly.

    Returns ``(cells, None)``, or — when the number of cells exceeds ``max_cells`` or time runs
    out — ``(None, items)``: depth-first work items for the cells at the start of the current
    layer, so that the caller can stop after exactly ``max_cells`` cells.
    """
    exact = setup.exact
    v_flat = verts
    cell_of = np.zeros(len(verts), dtype=np.intp)
    carry = _Carry.first(xmax)
    for layer in range(setup.n_hidden_layers):
        width = setup.ws[layer].shape[0]
        maps, s_l, eps = carry.layer(layer, setup)
        counts0 = np.diff(np.append(_starts(cell_of), len(v_flat)))
        start = _LayerStart(v_flat, counts0, None, None, carry)
        vf = _approx(v_flat) if exact else v_flat
        first0 = _starts(cell_of)
        n_roots = len(first0)
        # This layer's pre-activations at the vertices of the cells at the layer start: a neuron
        # that does not change sign on such a cell never splits its pieces.
        _, pos0, neg0 = maps.signs(v_flat, vf, cell_of, None, eps, setup)
        bits0 = np.logical_or.reduceat(pos0, first0, axis=0)
        straddles = bits0 & np.logical_or.reduceat(neg0, first0, axis=0)
        del pos0, neg0
        _, nxt0, local0 = _block_layout(0, counts0)
        vb, cb, nb, lb = (GrowableArray(a) for a in (v_flat, cell_of, nxt0, local0))
        vfb = GrowableArray(vf) if exact else vb
        root = GrowableArray(np.arange(n_roots))
        alive = GrowableArray(np.ones(n_roots, dtype=bool))
        bits = GrowableArray(bits0)
        n_alive = n_roots
        for j in range(width):
            n_cells = root.size
            cand = straddles[root.view, j] & alive.view
            if not cand.any():
                continue
            v_all, c_of, v_app = vb.view, cb.view, vfb.view
            idx = np.flatnonzero(cand[c_of])
            owner = c_of[idx]
            r_c = root.data[owner]
            z_c, p_c, n_c = maps.signs(v_all[idx], v_app[idx], r_c, j, eps, setup)
            c_first = _starts(owner)
            c_cells = owner[c_first]
            cpos = np.logical_or.reduceat(p_c, c_first)
            bits.data[c_cells, j] = cpos
            splits = cpos & np.logical_or.reduceat(n_c, c_first)
            if not splits.any():
                continue
            to_split = c_cells[splits]
            n_split = len(to_split)
            # vertices of the cells to split, with signs and successors
            in_split = np.repeat(splits, np.diff(np.append(c_first, len(idx))))
            sidx = idx[in_split]
            pos = np.zeros(len(v_all), dtype=bool)
            neg = np.zeros(len(v_all), dtype=bool)
            pos[sidx], neg[sidx] = p_c[in_split], n_c[in_split]
            nx = nb.data[sidx]
            cross = (pos[sidx] & neg[nx]) | (neg[sidx] & pos[nx])
            ci, cj = sidx[cross], nx[cross]
            if exact:
                r_ci = root.data[c_of[ci]]  # ci and cj lie in the same cell
                za = maps.exact_values(v_all[ci], r_ci, j)
                zb = maps.exact_values(v_all[cj], r_ci, j)
            else:
                z = np.zeros(len(v_all))
                z[sidx] = z_c[in_split]
                za, zb = z[ci], z[cj]
            t = za / (za - zb)
            new_v = v_all[ci] + t[:, None] * (v_all[cj] - v_all[ci])
            rank = np.full(n_cells, -1, dtype=np.intp)
            rank[to_split] = np.arange(n_split)
            old_p, old_n = sidx[~neg[sidx]], sidx[~pos[sidx]]
            child = np.concatenate(
                [
                    2 * rank[c_of[old_p]],
                    2 * rank[c_of[ci]],
                    2 * rank[c_of[old_n]] + 1,
                    2 * rank[c_of[ci]] + 1,
                ]
            )
            loc = lb.data
            key = np.concatenate([2 * loc[old_p], 2 * loc[ci] + 1, 2 * loc[old_n], 2 * loc[ci] + 1])
            order = np.argsort(child * (2 * len(v_all) + 2) + key, kind="stable")
            child = child[order]
            counts = np.bincount(child, minlength=2 * n_split)
            _, nxt_new, local_new = _block_layout(vb.size, counts)
            if exact:
                new_vf = _approx(new_v)
                vfb.append(np.concatenate([v_app[old_p], new_vf, v_app[old_n], new_vf])[order])
            vb.append(np.concatenate([v_all[old_p], new_v, v_all[old_n], new_v])[order])
            cb.append(n_cells + child)
            nb.append(nxt_new)
            lb.append(local_new)
            root.append(np.repeat(root.data[to_split], 2))
            alive.append(np.ones(2 * n_split, dtype=bool))
            alive.data[to_split] = False
            child_bits = np.repeat(bits.data[to_split], 2, axis=0)
            child_bits[1::2, j] = False
            bits.append(child_bits)
            n_alive += n_split
            if (max_cells is not None and n_alive > max_cells) or setup.out_of_time():
                return None, start.items(layer, setup.chain)
        bar.set_postfix(layer=layer + 1, cells=n_alive)
        # compact: keep the living cells, in order of creation (= order in the buffer)
        live = alive.view
        keep_v = live[cb.view]
        v_flat = vb.view[keep_v]
        cell_of = (np.cumsum(live) - 1)[cb.view[keep_v]]
        live_root = root.view[live]
        live_bits = bits.view[live]
        if layer < setup.n_hidden_layers - 1:
            carry = carry.next(maps, s_l, live_root, live_bits, setup)
    per_cell = blocks(v_flat, np.diff(np.append(_starts(cell_of), len(cell_of))))
    outputs = carry.outputs(maps, live_root, live_bits, setup)
    return _Batch(carry.patterns(live_root, live_bits), per_cell, *outputs), None


@dataclass(frozen=True, slots=True)
class _Batch:
    """The cells a batched engine found: patterns (cells, hidden neurons), vertex blocks and the
    network's output maps (cells, n_out, d) and (cells, n_out) on them; in exact mode possibly
    the float images of the vertex blocks the engine kept beside them."""

    patterns: np.ndarray
    vertices: list[np.ndarray]
    matrices: Any
    offsets: Any
    approx: list[np.ndarray] | None = None


@dataclass(frozen=True, slots=True)
class _Carry:
    """What a batched engine carries across a layer boundary for the cells at a layer's start:
    their post-activation maps ``x -> h_mat x + h_off`` in float64 (``None`` before the first
    layer), the bounds ``s_prev`` of those post-activations' sizes (float mode's scale-aware
    snapping) or, in exact mode, bounds ``e_mat``, ``e_off`` on the maps' distance to the exact
    ones, and their patterns so far. Both batched engines (2-D polygons, 3-D cells) start and
    end each layer through it.
    """

    h_mat: Any
    h_off: Any
    s_prev: Any
    pattern: np.ndarray
    e_mat: Any = 0.0
    e_off: Any = 0.0

    @classmethod
    def first(cls, xmax: np.ndarray) -> _Carry:
        """One cell (the domain), before the first layer; ``xmax`` bounds the coordinates."""
        return cls(None, None, xmax[None, :], np.zeros((1, 0), dtype=bool))

    def layer(self, layer: int, setup: _Setup) -> tuple[_LayerMaps, Any, Any]:
        """Layer ``layer``'s pre-activation maps on the cells, and in float mode the bounds of
        the pre-activations' sizes and the snapping tolerances (``None`` in exact mode)."""
        if setup.exact:
            w, bias = setup.floats[0][layer], setup.floats[1][layer]
            d = setup.ws[0].shape[1]
            h_mat, h_off = self.h_mat, self.h_off
            if h_mat is None:  # the identity: exact
                h_mat, h_off = np.eye(d)[None], np.zeros((1, d))
            a, c, err_a, err_c = _bounded_compose(w, bias, h_mat, h_off, self.e_mat, self.e_off)
            rows = ExactRows(setup.chain, layer, self.pattern, len(w), d)
            return _LayerMaps(a, c, err_a, err_c, rows), None, None
        w, bias = setup.ws[layer], setup.bs[layer]
        if self.h_mat is None:
            maps = _LayerMaps(w[None, :, :], bias[None, :])
        else:
            maps = _LayerMaps(*_compose(w, bias, self.h_mat, self.h_off))
        s_l = tall_product(self.s_prev, np.abs(w)) + np.abs(bias)
        return maps, s_l, setup.tol * s_l

    def patterns(self, roots: np.ndarray, bits: np.ndarray) -> np.ndarray:
        """The patterns of the cells at the layer's end, from their roots and layer bits."""
        return np.concatenate([self.pattern[roots], bits], axis=1)

    def next(
        self, maps: _LayerMaps, s_l: Any, roots: np.ndarray, bits: np.ndarray, setup: _Setup
    ) -> _Carry:
        """The carry into the next layer for the cells at this layer's end."""
        patterns = self.patterns(roots, bits)
        if setup.exact:
            h_mat, h_off, e_mat, e_off = _bounded_post(maps, roots, bits, setup.floats[2])
            return _Carry(h_mat, h_off, None, patterns, e_mat, e_off)
        scale = np.where(bits, 1.0, setup.slope)
        h_mat, h_off = maps.af[roots] * scale[:, :, None], maps.cf[roots] * scale
        s_prev = s_l[roots]
        s_prev[~bits] = s_prev[~bits] * abs(setup.slope)
        return _Carry(h_mat, h_off, s_prev, patterns)

    def outputs(
        self, maps: _LayerMaps, roots: np.ndarray, bits: np.ndarray, setup: _Setup
    ) -> tuple[Any, Any]:
        """The network's output maps ``(cells, n_out, d)`` and ``(cells, n_out)`` on the cells
        at the end of the last hidden layer (exact Fractions in exact mode)."""
        if setup.exact:
            return exact_outputs(setup.chain, maps.exact, roots, self.patterns(roots, bits))
        scale = np.where(bits, 1.0, setup.slope)
        return _float_outputs(setup.ws[-1], setup.bs[-1], maps.af, maps.cf, roots, scale)


@dataclass(frozen=True, slots=True)
class _LayerStart:
    """A batched engine's cells at the start of a layer: flat vertices (``vcount`` per cell),
    flat edges (``ecount`` per cell, indexing the flat vertices; None for 2-D polygons) and what
    the layers before carried (:class:`_Carry`)."""

    v: np.ndarray
    vcount: np.ndarray
    e: np.ndarray | None
    ecount: np.ndarray | None
    carry: _Carry

    def items(self, layer: int, chain: ExactChain | None) -> list[_Item]:
        """Depth-first work items for these cells, in their order (``chain``: exact mode)."""
        exact = chain is not None
        carry = self.carry
        per_cell = blocks(self.v, self.vcount)
        edges: list[Any] = [None] * len(per_cell)
        if self.e is not None and self.ecount is not None:
            first = np.cumsum(self.vcount) - self.vcount
            edges = [e - f for e, f in zip(blocks(self.e, self.ecount), first, strict=True)]
        h_mat, h_off = carry.h_mat, carry.h_off
        if exact and h_mat is not None:  # the exact maps of these cells (not carried)
            h_mat, h_off = _exact_post_maps(chain, layer, carry.pattern)
        items: list[_Item] = []
        for c, (block, e) in enumerate(zip(per_cell, edges, strict=True)):
            if h_mat is None:
                items.append((layer, block, e, None, None, carry.s_prev[0], [carry.pattern[c]]))
            else:
                s_c = None if exact else carry.s_prev[c]
                items.append((layer, block, e, h_mat[c], h_off[c], s_c, [carry.pattern[c]]))
        items.reverse()  # the depth-first stack pops from the end: keep the cells' order
        return items


# -- the batched 3-D engine ---------------------------------------------------------------------
#: For a plane whose normal is largest in coordinate ``k``, the two coordinates kept to order
#: points of the plane by angle (an affine bijection of the plane onto that coordinate plane).
_KEPT = np.array([[1, 2], [0, 2], [0, 1]])

#: Smallest angle (radians) between consecutive points of a cut face ordered in float64; a face
#: with a smaller one is ordered again by the cell-at-a-time cut.
_ANGLE_GAP = 1e-9


@dataclass(slots=True)
class _Polyhedra:
    """Cells with edges stored flat and append-only (the batched 3-D engine's state).

    Each cell's vertices are contiguous in ``v`` (from ``vfirst``, ``vcount`` of them) and its
    edges contiguous in ``e`` (pairs of indices into ``v``). A cut cell is marked dead and its
    two sides are appended; ``root`` is a cell's ancestor at the start of the layer and ``bits``
    its activation bits in the layer. In exact mode ``vf`` holds float64 approximations of the
    vertices, row for row (None in float mode).
    """

    v: GrowableArray
    e: GrowableArray
    vfirst: GrowableArray
    vcount: GrowableArray
    efirst: GrowableArray
    ecount: GrowableArray
    root: GrowableArray
    alive: GrowableArray
    bits: GrowableArray
    vf: GrowableArray | None = None

    @classmethod
    def start(cls, flat: _Flat, bits: np.ndarray, root: np.ndarray | None = None) -> _Polyhedra:
        """The cells ``flat`` at the start of a layer (each its own root unless ``root``)."""
        n = len(flat.vcount)
        return cls(
            *(GrowableArray(x) for x in (flat.v, flat.e, np.cumsum(flat.vcount) - flat.vcount)),
            GrowableArray(flat.vcount),
            *(GrowableArray(x) for x in (np.cumsum(flat.ecount) - flat.ecount, flat.ecount)),
            GrowableArray(np.arange(n) if root is None else root),
            GrowableArray(np.ones(n, dtype=bool)),
            GrowableArray(bits),
            None if flat.vf is None else GrowableArray(flat.vf),
        )

    @property
    def approx(self) -> np.ndarray:
        """The float64 vertices (approximations in exact mode), all rows in storage."""
        return (self.v if self.vf is None else self.vf).data

    def append(
        self,
        v: np.ndarray,
        vcount: np.ndarray,
        e: np.ndarray,
        ecount: np.ndarray,
        root: np.ndarray,
        bits: np.ndarray,
        vf: np.ndarray | None = None,
    ) -> None:
        """Append cells; ``e`` indexes ``v`` (the new cells' vertices, block after block) and
        ``vf`` approximates ``v`` in exact mode (computed when not given)."""
        vbase, ebase = self.v.size, self.e.size
        self.v.append(v)
        if self.vf is not None:
            self.vf.append(_approx(v) if vf is None else vf)
        self.e.append(e + vbase)
        self.vfirst.append(vbase + np.cumsum(vcount) - vcount)
        self.vcount.append(vcount)
        self.efirst.append(ebase + np.cumsum(ecount) - ecount)
        self.ecount.append(ecount)
        self.root.append(root)
        self.alive.append(np.ones(len(vcount), dtype=bool))
        self.bits.append(bits)

    def live(self) -> tuple[np.ndarray, _Flat]:
        """The living cells' ids and the cells themselves, compacted."""
        cells = np.flatnonzero(self.alive.view)
        vfirst, vcount = self.vfirst.data[cells], self.vcount.data[cells]
        efirst, ecount = self.efirst.data[cells], self.ecount.data[cells]
        shift = np.cumsum(vcount) - vcount - vfirst  # old vertex index -> new
        e = self.e.data[ranges(efirst, ecount)] + np.repeat(shift, ecount)[:, None]
        rows = ranges(vfirst, vcount)
        vf = None if self.vf is None else self.vf.data[rows]
        return cells, _Flat(self.v.data[rows], vf, vcount, e, ecount)

    def compacted(self) -> _Polyhedra:
        """The living cells alone (roots and bits kept), when dead ones hold most of the
        storage; otherwise ``self``."""
        alive = self.alive.view
        if 2 * int(self.vcount.view[alive].sum()) >= self.v.size:
            return self
        cells, flat = self.live()
        return _Polyhedra.start(flat, self.bits.data[cells], self.root.data[cells])


@dataclass(frozen=True, slots=True)
class _Flat:
    """Cells stored flat: vertices ``v`` (``vcount`` per cell, float approximations ``vf`` in
    exact mode) and edges ``e`` (``ecount`` per cell) indexing them."""

    v: np.ndarray
    vf: np.ndarray | None
    vcount: np.ndarray
    e: np.ndarray
    ecount: np.ndarray


@dataclass(frozen=True, slots=True)
class _Cap:
    """The cut faces ``P ∩ {z = 0}`` of a batch of cells, as cycles of vertex ids."""

    ids: np.ndarray  # vertex ids, grouped by cell and in cyclic order in each group
    owner: np.ndarray  # the cell (batch rank) of each entry
    edges: np.ndarray  # consecutive pairs of each cycle
    bad: np.ndarray  # per cell: the cycle cannot be trusted (fewer than 3 or merging points)


def _caps(
    points: np.ndarray, ids: np.ndarray, owner: np.ndarray, normals: np.ndarray, merge_eps: float
) -> _Cap:
    """Order the cut-face points of every cell of a batch by angle about their mean (each face
    is convex, so this is its boundary's order).

    ``points`` are float64 (approximations in exact mode). A cycle is marked bad — to be cut
    again by :func:`_cut` — when it has fewer than 3 points, two points within ``merge_eps``
    (max-norm) or two angles within ``_ANGLE_GAP``: then the float order cannot be trusted.
    """
    n_cells = len(normals)
    kept = _KEPT[np.argmax(np.abs(normals), axis=1)][owner]
    rows = np.arange(len(ids))
    u, w = points[rows, kept[:, 0]], points[rows, kept[:, 1]]
    count = np.bincount(owner, minlength=n_cells)
    mean_u = np.bincount(owner, u, n_cells) / np.maximum(count, 1)
    mean_w = np.bincount(owner, w, n_cells) / np.maximum(count, 1)
    angle = np.arctan2(w - mean_w[owner], u - mean_u[owner])
    order = np.lexsort((angle, owner))
    ids, owner, points, angle = ids[order], owner[order], points[order], angle[order]
    first = np.cumsum(count) - count
    pos = rows - first[owner]
    nxt = rows + 1
    nxt[first + count - 1] = first  # (every cell of a batch has a cap point)
    bad = count < 3
    turn = np.where(nxt > rows, angle[nxt] - angle, angle[nxt] - angle + 2 * np.pi)
    bad[owner[~(turn > _ANGLE_GAP)]] = True  # (also catches NaN)
    for step in range(1, int(count.max())):  # any two points of a cycle closer than merge_eps
        near = np.flatnonzero(pos + step < count[owner])
        gap = np.abs(points[near] - points[near + step]).max(axis=1)
        bad[owner[near[gap <= merge_eps]]] = True
    return _Cap(ids, owner, np.column_stack([ids, ids[nxt]]), bad)


def _cut_batch(
    cells: _Polyhedra, cand: np.ndarray, j: int, maps: _LayerMaps, eps: np.ndarray | None,
    setup: _Setup,
) -> int:  # fmt: skip
    """Cut the candidate cells by neuron ``j`` of the layer (maps ``maps`` on the roots); set
    their bit ``j`` where they do not change sign. Returns the number of cells cut.

    Exact mode takes each sign from the float approximations when it is beyond a rigorous
    rounding-error bound and evaluates it exactly otherwise; crossing points are exact.
    """
    exact = setup.exact
    vfirst, vcount = cells.vfirst.data[cand], cells.vcount.data[cand]
    owner = np.repeat(np.arange(len(cand)), vcount)
    roots = cells.root.data[cand]
    rows = ranges(vfirst, vcount)
    verts, approx = cells.v.data[rows], cells.approx[rows]
    z, pos, neg = maps.signs(verts, approx, roots[owner], j, eps, setup)
    at = np.cumsum(vcount) - vcount
    cpos = np.logical_or.reduceat(pos, at)
    cells.bits.data[cand, j] = cpos
    split = cpos & np.logical_or.reduceat(neg, at)
    n_split = int(np.count_nonzero(split))
    if n_split == 0:
        return 0
    # the split cells' vertices and edges, in local indices (cell after cell)
    cut = cand[split]
    keep = split[owner]
    verts, approx, z, pos, neg = verts[keep], approx[keep], z[keep], pos[keep], neg[keep]
    rank = np.cumsum(split) - 1
    owner = rank[owner[keep]]
    vcount = vcount[split]
    efirst, ecount = cells.efirst.data[cut], cells.ecount.data[cut]
    shift = np.cumsum(vcount) - vcount - vfirst[split]
    edges = cells.e.data[ranges(efirst, ecount)] + np.repeat(shift, ecount)[:, None]
    e_owner = np.repeat(np.arange(n_split), ecount)
    ea, eb = edges[:, 0], edges[:, 1]
    # new vertices where the hyperplane crosses an edge (shared by both sides)
    cross = (pos[ea] & neg[eb]) | (neg[ea] & pos[eb])
    ca, cb = ea[cross], eb[cross]
    if exact:
        new_v, new_approx = _exact_crossings(
            verts, approx, ca, cb, roots[split][owner[ca]], j, maps
        )
    else:
        t = (z[ca] / (z[ca] - z[cb]))[:, None]
        new_v = verts[ca] + t * (verts[cb] - verts[ca])
    k = len(verts)
    new = np.arange(k, k + len(ca))
    verts = np.concatenate([verts, new_v])
    approx = np.concatenate([approx, new_approx]) if exact else verts
    owner_x = np.concatenate([owner, owner[ca]])
    zero_x = np.concatenate([~(pos | neg), np.ones(len(ca), dtype=bool)])
    pos_x = np.concatenate([pos, np.zeros(len(ca), dtype=bool)])
    neg_x = np.concatenate([neg, np.zeros(len(ca), dtype=bool)])
    on = np.flatnonzero(zero_x)
    cap = _caps(approx[on], on, owner_x[on], maps.af[roots[split], j], setup.merge_eps)
    # each side: its old vertices, the cut face's, its old edges (not inside the hyperplane),
    # the halves of the crossed edges and the cut face's edges
    members = [np.flatnonzero(~neg_x), np.flatnonzero(~pos_x)]
    old = ~(zero_x[ea] & zero_x[eb])
    crossed = [np.where(pos[ca], ca, cb), np.where(pos[ca], cb, ca)]
    child_v, child_e, where = [], [], []
    for side, away in enumerate((neg, pos)):
        child_v.append(2 * owner_x[members[side]] + side)
        index = np.full(len(verts), -1, dtype=np.intp)
        index[members[side]] = np.arange(len(members[side]))
        where.append(index)
        mine = old & ~(away[ea] | away[eb])
        child_e.append(
            (
                np.concatenate([edges[mine], np.column_stack([crossed[side], new]), cap.edges]),
                2 * np.concatenate([e_owner[mine], owner[ca], cap.owner]) + side,
            )
        )
    # lay the children out block after block (child 2r is the positive side of cut cell r)
    child_of_v = np.concatenate(child_v)
    v_order = np.argsort(child_of_v, kind="stable")
    slot = np.empty(len(v_order), dtype=np.intp)
    slot[v_order] = np.arange(len(v_order))
    n_pos = len(members[0])
    e_all = np.concatenate([slot[where[0][child_e[0][0]]], slot[n_pos + where[1][child_e[1][0]]]])
    child_of_e = np.concatenate([child_e[0][1], child_e[1][1]])
    e_order = np.argsort(child_of_e, kind="stable")
    bits = np.repeat(cells.bits.data[cut], 2, axis=0)
    bits[0::2, j], bits[1::2, j] = True, False
    n_before = cells.alive.size
    layout = np.concatenate(members)[v_order]
    cells.append(
        verts[layout],
        np.bincount(child_of_v, minlength=2 * n_split),
        e_all[e_order],
        np.bincount(child_of_e, minlength=2 * n_split),
        np.repeat(roots[split], 2),
        bits,
        approx[layout] if exact else None,
    )
    cells.alive.data[cut] = False
    if cap.bad.any():  # rare: recut those cells one at a time (merging close points)
        cells.alive.data[n_before + 2 * np.flatnonzero(cap.bad)[:, None] + [0, 1]] = False
        for r in np.flatnonzero(cap.bad):
            _recut(cells, int(cut[r]), j, maps, eps, setup)
    return n_split


def _exact_crossings(
    verts: np.ndarray,
    approx: np.ndarray,
    ca: np.ndarray,
    cb: np.ndarray,
    roots: np.ndarray,
    j: int,
    maps: _LayerMaps,
) -> tuple[np.ndarray, np.ndarray]:
    """Exact points where neuron ``j`` crosses the edges ``(ca[i], cb[i])`` (vertex indices into
    ``verts``, float approximations ``approx``) of cells with roots ``roots``, and their float
    approximations.

    Cells keep their own copies of shared edges, and a neuron crosses a shared edge at one
    point: its pre-activation is continuous, so the maps of all cells around the edge agree on
    it. Each distinct edge is therefore computed once. Edges are grouped by the float images of
    their ends (equal rationals round alike) and every edge of a group is checked to have the
    exact ends of the group's first, in either order; an edge that fails (different rationals
    that round alike) is computed on its own.
    """
    a, b = approx[ca], approx[cb]
    differ = a != b
    first_diff = np.argmax(differ, axis=1)
    rows = np.arange(len(ca))
    swap = a[rows, first_diff] > b[rows, first_diff]
    key = np.concatenate([np.where(swap[:, None], b, a), np.where(swap[:, None], a, b)], axis=1)
    _, rep, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    ra, rb = ca[rep][inverse], cb[rep][inverse]
    same = (verts[ca] == verts[ra]).all(axis=1) & (verts[cb] == verts[rb]).all(axis=1)
    same |= (verts[ca] == verts[rb]).all(axis=1) & (verts[cb] == verts[ra]).all(axis=1)
    alone = np.flatnonzero(~same)
    todo = np.concatenate([rep, alone])
    za = maps.exact_values(verts[ca[todo]], roots[todo], j)
    zb = maps.exact_values(verts[cb[todo]], roots[todo], j)
    t = (za / (za - zb))[:, None]
    points = verts[ca[todo]] + t * (verts[cb[todo]] - verts[ca[todo]])
    floats = _approx(points)
    new_v, new_approx = points[inverse], floats[inverse]
    new_v[alone] = points[len(rep) :]
    new_approx[alone] = floats[len(rep) :]
    return new_v, new_approx


def _recut(
    cells: _Polyhedra, c: int, j: int, maps: _LayerMaps, eps: np.ndarray | None, setup: _Setup
) -> None:
    """Cut cell ``c`` by neuron ``j`` alone (:func:`_cut`: it orders the cut face exactly in
    exact mode and merges close cut points in float mode) and append its two sides."""
    first, ef = cells.vfirst.data[c], cells.efirst.data[c]
    verts = cells.v.data[first : first + cells.vcount.data[c]]
    edges = cells.e.data[ef : ef + cells.ecount.data[c]] - first
    root = cells.root.data[c]
    normal, offset = maps.normal(root, j)
    zs = (verts @ normal + offset)[:, None]
    eps_j = None
    if eps is not None:
        eps_j = eps[root, j : j + 1]
        _Snapper(setup.snapper.band).snap(zs, eps_j)  # counted once already, in the batch
    plus, minus = _cut(verts, zs, edges, normal, eps_j, setup.merge_eps, setup.snapper)
    bits = np.repeat(cells.bits.data[c : c + 1], 2, axis=0)
    bits[0, j], bits[1, j] = True, False
    cells.append(
        np.concatenate([plus[0], minus[0]]),
        np.array([len(plus[0]), len(minus[0])]),
        np.concatenate([plus[2], minus[2] + len(plus[0])]),
        np.array([len(plus[2]), len(minus[2])]),
        np.array([root, root]),
        bits,
    )


def _batched_polyhedra(
    verts: np.ndarray,
    edges: np.ndarray,
    xmax: np.ndarray,
    setup: _Setup,
    max_cells: int | None,
    bar: Any,
) -> tuple[_Batch | None, list[_Item] | None]:
    """3-D engine that cuts all cells at once, one neuron at a time (cells with edges).

    The 3-D counterpart of :func:`_batched_polygons`: cells are stored flat with their edges
    (:class:`_Polyhedra`); for neuron ``j`` of layer ``l`` the cells whose root the neuron's
    hyperplane crosses are evaluated together, and the cells it cuts are split in a few array
    operations. A cut side keeps its vertices and edges on that side, the points where the
    hyperplane crosses an edge, the halves of the crossed edges and the edges of the cut face,
    whose points are put in cyclic order by their angle about their mean (the face is convex).
    Cells whose cut face cannot be ordered safely in float64 (:func:`_caps`) are cut again one
    at a time by :func:`_cut`, which merges close points in float mode and orders the face
    exactly in exact mode.

    Exact mode keeps float64 copies of the vertices and maps beside the exact ones, as the 2-D
    engine does: signs beyond a rigorous rounding-error bound come from the floats, the others
    and all crossing points are computed exactly.

    Returns like :func:`_batched_polygons`.
    """
    exact = setup.exact
    flat = _Flat(
        verts,
        _approx(verts) if exact else None,
        np.array([len(verts)]),
        edges,
        np.array([len(edges)]),
    )
    carry = _Carry.first(xmax)
    for layer in range(setup.n_hidden_layers):
        maps, s_l, eps = carry.layer(layer, setup)
        start = _LayerStart(flat.v, flat.vcount, flat.e, flat.ecount, carry)
        # this layer's pre-activations at the vertices of the cells at the layer start: a neuron
        # that does not change sign on such a cell never cuts its pieces
        cell_of = np.repeat(np.arange(len(flat.vcount)), flat.vcount)
        approx = flat.v if flat.vf is None else flat.vf
        _, pos0, neg0 = maps.signs(flat.v, approx, cell_of, None, eps, setup)
        at = np.cumsum(flat.vcount) - flat.vcount
        bits0 = np.logical_or.reduceat(pos0, at, axis=0)
        straddles = bits0 & np.logical_or.reduceat(neg0, at, axis=0)
        del pos0, neg0, cell_of
        cells = _Polyhedra.start(flat, bits0)
        n_alive = len(flat.vcount)
        for j in range(setup.ws[layer].shape[0]):
            cand = np.flatnonzero(straddles[cells.root.view, j] & cells.alive.view)
            if cand.size == 0:
                continue
            n_alive += _cut_batch(cells, cand, j, maps, eps, setup)
            cells = cells.compacted()
            if (max_cells is not None and n_alive > max_cells) or setup.out_of_time():
                return None, start.items(layer, setup.chain)
        bar.set_postfix(layer=layer + 1, cells=n_alive)
        live, flat = cells.live()
        live_root = cells.root.data[live]
        live_bits = cells.bits.data[live]
        if layer < setup.n_hidden_layers - 1:
            carry = carry.next(maps, s_l, live_root, live_bits, setup)
    outputs = carry.outputs(maps, live_root, live_bits, setup)
    approx = None if flat.vf is None else blocks(flat.vf, flat.vcount)
    patterns = carry.patterns(live_root, live_bits)
    return _Batch(patterns, blocks(flat.v, flat.vcount), *outputs, approx), None


def split_cells(
    net: ReLUNet,
    domain_a: Any,
    domain_b: Any,
    domain_vertices: Any,
    *,
    exact: bool = False,
    tol: float | Tolerances | None = None,
    progress: bool = False,
    max_cells: int | None = None,
    deadline: float | None = None,
) -> tuple[list[SplitCell], bool]:
    """All full-dimensional activation cells of a ReLU network on a bounded polytope.

    Parameters
    ----------
    net : ReLUNet
        The network (ReLU or leaky ReLU), with 1, 2 or 3 inputs.
    domain_a, domain_b : array-like, shapes (m, d) and (m,)
        The domain ``{x : domain_a x <= domain_b}``, bounded and full-dimensional.
    domain_vertices : array-like, shape (k, d)
        Its vertices (for a box, the ``2^d`` corners), each exactly once.
    exact : bool, default False
        Exact rational arithmetic (python-flint) throughout: the network, the domain and the
        returned vertices are exact rationals and no tolerance is used.
    tol : float or Tolerances, optional
        Relative tolerance of float mode (default 1e-9): a pre-activation ``z_j`` is taken to
        be 0 at a vertex when ``|z_j| <= tol * scale_j``, where ``scale_j`` bounds the magnitude
        of the terms summed to form ``z_j`` on the domain (``|W| s + |b|`` layer by layer,
        starting from ``s = max |x|`` over the domain), so cancellation in the weights is
        recognised.
    progress : bool, default False
        Show a progress bar counting finished cells.
    max_cells : int, optional
        Stop after this many cells and return them with ``complete=False``.
    deadline : float, optional
        A :func:`time.monotonic` time after which the enumeration stops (``complete=False``).

    Returns
    -------
    cells : list of SplitCell
        Every full-dimensional activation cell (closure of the set of domain points sharing a
        pattern) exactly once; lower-dimensional pieces are never returned.
    complete : bool
        ``False`` if ``max_cells`` stopped the enumeration early.

    Raises
    ------
    InvalidInputError
        If the input dimension is not 1, 2 or 3, the shapes disagree, or ``domain_vertices`` is
        not the list of the domain's vertices.

    Notes
    -----
    For hidden layer ``l`` a cell's pre-activations are affine, ``z = A x + c`` (composed from the
    weights and the cell's pattern), and are evaluated at its vertices. A neuron that takes both
    signs cuts the cell into ``{z >= 0}`` and ``{z <= 0}``: each side keeps its old vertices on
    that side and gains the points where ``z = 0`` crosses an edge. A neuron that does not change
    sign on a cell fixes its pattern directly. No linear program is solved.

    - In 2-D cells are counter-clockwise polygons (the returned vertices are in that order) and
      all cells are cut at once, one neuron at a time, with array operations over the cells
      whose ancestor at the start of the layer the neuron crosses.
    - In 3-D cells keep their edges: a cut side keeps its old edges, the crossed edges' halves
      and the edges of the cut face (a convex polygon, ordered by angle). All cells are cut at
      once, one neuron at a time, as in 2-D; a cell whose cut face cannot be ordered safely in
      float64 (points closer than the tolerance) is cut on its own.
    - In 1-D and when ``max_cells`` stops a layer early, cells are cut one at a time, depth
      first; pre-activations of new vertices are interpolated along their edge.

    Work is about the number of cells times the width times the vertices per cell. With
    ``max_cells`` the cells are finished depth first so the enumeration can stop after exactly
    that many.

    Float mode snaps values within the tolerance to 0, so hyperplanes through vertices and
    parallel or repeated neurons are handled, but cells thinner than about ``tol`` times the
    domain's size are merged into neighbours or lost. ``exact=True`` has no such limit.

    Examples
    --------
    ``max(x, y) = relu(x - y) + relu(y) - relu(-y)`` has 4 activation cells on ``[-1, 1]^2``:

    >>> from neurogeom.nets import ReLUNet
    >>> net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])
    >>> box_a = [[1, 0], [0, 1], [-1, 0], [0, -1]]
    >>> corners = [[-1, -1], [1, -1], [1, 1], [-1, 1]]
    >>> cells, complete = split_cells(net, box_a, [1, 1, 1, 1], corners, exact=True)
    >>> complete, sorted(c.pattern_string for c in cells)
    (True, ['001', '010', '101', '110'])
    >>> from neurogeom.core.polyhedra import polytope_volume
    >>> sum(polytope_volume(c.vertices, exact=True) for c in cells)
    Fraction(4, 1)
    """
    run = _split(
        net,
        domain_a,
        domain_b,
        domain_vertices,
        exact=exact,
        tol=tol,
        progress=progress,
        max_cells=max_cells,
        deadline=deadline,
    )
    return run.all_cells(), run.complete


@dataclass(frozen=True, slots=True)
class _SplitRun:
    """What :func:`_split` found: the cells of a batched engine as arrays (``batch``), the cells
    finished one at a time (``cells``), completeness and the count of float decisions inside
    the tolerance band (0 in exact mode)."""

    batch: _Batch | None
    cells: list[SplitCell]
    complete: bool
    unsure: int
    fractions: bool

    def all_cells(self) -> list[SplitCell]:
        """Every cell as a :class:`SplitCell`, the batch's first."""
        if self.batch is None:
            return self.cells
        found = self.batch
        out = []
        for c, v in enumerate(found.vertices):
            pattern = found.patterns[c].copy()
            vv = fractions_from_fmpq(v) if self.fractions and v.dtype == object else v
            pattern.flags.writeable = False
            vv.flags.writeable = False
            out.append(SplitCell(pattern, vv, AffineMap(found.matrices[c], found.offsets[c])))
        return out + self.cells


def _split(
    net: ReLUNet,
    domain_a: Any,
    domain_b: Any,
    domain_vertices: Any,
    *,
    exact: bool = False,
    tol: float | Tolerances | None = None,
    progress: bool = False,
    max_cells: int | None = None,
    deadline: float | None = None,
    fractions: bool = True,
) -> _SplitRun:
    """:func:`split_cells`, keeping a batched engine's cells as arrays and counting the float
    decisions that fell inside the tolerance band. ``fractions=False`` leaves exact vertices
    as python-flint ``fmpq`` (the region engine's own use: converting every vertex to a
    Fraction costs more than finding it)."""
    if not isinstance(net, ReLUNet):
        raise InvalidInputError(f"split_cells needs a ReLUNet, got {type(net).__name__}")
    tolerances = check_tol(tol)
    tol = tolerances.rel
    if max_cells is not None and (not isinstance(max_cells, int | np.integer) or max_cells < 1):
        raise InvalidInputError(f"max_cells must be a positive integer or None, got {max_cells!r}")
    d = net.n_inputs
    if d not in (1, 2, 3):
        raise InvalidInputError(
            f"split_cells handles input dimension 1, 2 or 3; this network has {d} inputs "
            "(use the LP-based region search for higher dimensions)"
        )
    if exact:
        a = fmpq_array(domain_a, name="domain_a")
        b = fmpq_array(domain_b, name="domain_b")
        verts = fmpq_array(domain_vertices, name="domain_vertices")
        enet = net.to_exact()
        ws = [fmpq_array(w, name="weight") for w in enet.weights]
        bs = [fmpq_array(v, name="bias") for v in enet.biases]
        q = Fraction(enet.negative_slope)
        slope: Any = flint.fmpq(q.numerator, q.denominator)
        one: Any = flint.fmpq(1)
    else:
        a = _to_float_array(domain_a, "domain_a")
        b = _to_float_array(domain_b, "domain_b")
        verts = _to_float_array(domain_vertices, "domain_vertices")
        fnet = net.to_float()
        ws = [np.asarray(w, dtype=np.float64) for w in fnet.weights]
        bs = [np.asarray(v, dtype=np.float64) for v in fnet.biases]
        slope = float(fnet.negative_slope)
        one = 1.0
    if a.ndim != 2 or a.shape[1] != d or b.shape != (a.shape[0],):
        raise InvalidInputError(
            f"domain_a must have shape (m, {d}) and domain_b shape (m,), got {np.shape(a)} and "
            f"{np.shape(b)}"
        )
    if verts.ndim != 2 or verts.shape[1] != d or len(verts) < d + 1:
        raise InvalidInputError(
            f"domain_vertices must have shape (k, {d}) with k >= {d + 1}, got {np.shape(verts)}"
        )
    edges: np.ndarray | None = _domain_edges(a, b, verts, exact, tol)
    if d == 2:  # polygons in counter-clockwise order need no edge list
        verts = verts[order_polygon(verts, return_index=True)]
        edges = None

    setup = _Setup(ws, bs, slope, one, exact, tol, 0.0, deadline, _Snapper(tolerances.band))
    if exact:
        fnet = net.to_float()  # each weight rounded to the nearest float64
        setup.chain = ExactChain.of(ws, bs, slope)
        setup.floats = (
            [np.asarray(w, dtype=np.float64) for w in fnet.weights],
            [np.asarray(v, dtype=np.float64) for v in fnet.biases],
            float(fnet.negative_slope),
        )
    out_verts = fractions_from_fmpq if exact and fractions else (lambda v: v)
    cells: list[SplitCell] = []

    def emit(bits: list[np.ndarray], v: np.ndarray, output: tuple[Any, Any] | None = None) -> None:
        """Record a final cell; ``output`` is the network's output map on it."""
        pattern = np.concatenate(bits) if bits else np.zeros(0, dtype=bool)
        vv = out_verts(v)
        pattern.flags.writeable = False
        vv.flags.writeable = False
        affine = None if output is None else AffineMap(*output)
        cells.append(SplitCell(pattern, vv, affine))
        bar.update()

    xmax = np.abs(fractions_to_float(verts) if exact else verts).max(axis=0)
    setup.merge_eps = tol * float(xmax.max())
    with progress_bar(progress, desc="cells", unit="cell") as bar:
        if setup.n_hidden_layers == 0:
            emit([], verts.copy())
            return _SplitRun(None, cells, True, 0, fractions)
        stack: list[_Item] | None = [(0, verts, edges, None, None, xmax, [])]
        found: _Batch | None = None
        if edges is None:
            found, stack = _batched_polygons(verts, xmax, setup, max_cells, bar)
        elif d == 3:
            found, stack = _batched_polyhedra(verts, edges, xmax, setup, max_cells, bar)
        if found is not None:
            bar.update(len(found.vertices))
        complete = True if stack is None else _depth_first(stack, setup, emit, max_cells)
    return _SplitRun(found, cells, complete, setup.snapper.unsure, fractions)


def _centroids(vertices: list[np.ndarray], exact: bool = False) -> np.ndarray:
    """The vertex centroid of each vertex block, in one pass: float, or with ``exact`` exact
    (Fractions, from blocks of Fractions or ``fmpq``).

    Examples
    --------
    >>> _centroids([np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])]).tolist()
    [[0.3333333333333333, 0.3333333333333333]]
    >>> _centroids([fmpq_array([[0, 0], [1, 0], [0, 1]])], exact=True).tolist()
    [[Fraction(1, 3), Fraction(1, 3)]]
    """
    if not vertices:
        return np.zeros((0, 0), dtype=object if exact else float)
    counts = np.array([len(v) for v in vertices])
    sums = np.add.reduceat(np.concatenate(vertices), np.cumsum(counts) - counts, axis=0)
    if exact:
        return fractions_from_fmpq(sums / counts.astype(object)[:, None])
    return sums / counts[:, None]


class SplitEngine:
    """The split engine behind the engine protocol (boxes, 1 to 3 inputs)."""

    name = "split"

    def find_cells(self, problem: RegionProblem, budget: Budget, progress: bool) -> EngineRun:
        """All cells of the problem's box, with their vertices."""
        domain = problem.domain
        run = _split(
            problem.net,
            domain.a,
            domain.b,
            domain.corners(),
            exact=problem.exact,
            tol=problem.tol,
            progress=progress,
            max_cells=budget.max_items,
            deadline=budget.deadline,
            fractions=False,
        )
        complete, unsure = run.complete, run.unsure
        batch = run.batch
        # cells of a batched engine go straight from its arrays (no SplitCell on the way)
        patterns = list(batch.patterns) if batch is not None else []
        vertices = list(batch.vertices) if batch is not None else []
        # float images of exact vertices, where the engine kept them
        floats = list(batch.approx) if batch is not None and batch.approx is not None else None
        outputs: list[AffineMap | None] = []
        if batch is not None:
            outputs = [AffineMap(m, o) for m, o in zip(batch.matrices, batch.offsets, strict=True)]
        for cell in run.cells:
            patterns.append(np.asarray(cell.pattern, dtype=bool))
            vertices.append(cell.vertices)
            outputs.append(cell.output)
            if floats is not None:
                floats.append(_approx(np.asarray(cell.vertices)))
        # the vertex centroid lies strictly inside a full-dimensional polytope; in exact mode it
        # is the cell's rational interior point (checked like every other one)
        if problem.exact:
            exact_centres = list(_centroids(vertices, exact=True))
            points = [c.astype(float) for c in exact_centres]
        else:
            exact_centres = [None] * len(vertices)
            points = list(_centroids(vertices))
        cells = [
            FoundCell(pattern, point, 0.0, exact_centre, v, output=output)
            for pattern, point, exact_centre, v, output in zip(
                patterns, points, exact_centres, vertices, outputs, strict=True
            )
        ]
        notes = ()
        if unsure:
            notes = (
                Note(
                    "unsure crossing",
                    f"{unsure} vertex sign(s) or vertex merges fell inside the tolerance band",
                    value=float(unsure),
                ),
            )
        # decisions inside the band are reported above; the contacts follow the cells found
        eps = problem.tol.rel * float(np.abs(fractions_to_float(domain.corners())).max())
        stacked_floats = np.concatenate(floats) if floats else None
        contacts = vertex_contacts(vertices, problem.exact, eps, floats=stacked_floats)
        return EngineRun(tuple(cells), complete, notes, contacts=contacts)


#: A fixed direction (no two coordinates equal) for sorting points in :func:`_close_pairs`.
_SORT_DIRECTION = np.array([0.5773502691896258, 0.6411, 0.5050, 0.3327])


def _close_pairs(points: np.ndarray, eps: float) -> np.ndarray:
    """All pairs ``(i, j)`` of points (in 1 to 4 dimensions, each pair once, in no particular
    order) within ``eps`` of each other in the
    max-norm, for a tolerance far below the typical spacing (copies of one vertex).

    Points are sorted by their projection on a fixed direction ``r``; two points within ``eps``
    project within ``eps * |r|_1``, so each is compared with the next ``k`` points for ``k =
    1, 2, ...`` as long as some projection gap is that small (a few steps when copies of a vertex
    are the only close points: faster than a k-d tree here).

    Examples
    --------
    >>> pts = np.array([[0.0, 0.0], [1.0, 0.0], [1e-12, 0.0], [0.0, 1.0]])
    >>> np.sort(_close_pairs(pts, 1e-9), axis=1).tolist()
    [[0, 2]]
    """
    r = _SORT_DIRECTION[: points.shape[1]]
    key = tall_product(points, r[None, :])[:, 0]
    order = np.argsort(key)
    key, ordered = key[order], points[order]
    reach = eps * float(np.abs(r).sum())
    found = [np.zeros((0, 2), dtype=np.intp)]
    for k in range(1, len(points)):
        near = np.flatnonzero(key[k:] - key[:-k] <= reach)
        if near.size == 0:
            break
        near = near[np.abs(ordered[near + k] - ordered[near]).max(axis=1) <= eps]
        found.append(np.column_stack([order[near], order[near + k]]))
    return np.concatenate(found)


def vertex_contacts(
    vertices: list[np.ndarray], exact: bool, eps: float, *, floats: np.ndarray | None = None
) -> Contacts | None:
    """Facet and point contacts of cells given by their vertex lists, from shared vertices.

    The split engine's cells form a face-to-face complex: a neuron that cuts a cell cuts every
    cell whose closure it crosses, at the same points, so two cells meet in a common face whose
    vertices are exactly their shared vertices. In dimension ``d`` they share a facet iff they
    share at least ``d`` vertices (a face of dimension ``k < d - 1`` has fewer — a segment two,
    a point one) and they touch iff they share one. Float vertices are matched within ``eps``
    (max-norm); exact ones (Fractions or ``fmpq``) by equality, checked on the pairs whose float
    images are within ``eps`` and equal (equal rationals round alike). ``floats``, when given,
    are those images for the stacked vertices (an engine's own, not converted again). ``None``
    when the matching is not trustworthy: two vertices of one cell fell together.

    Examples
    --------
    Two unit squares side by side and one touching the second at a corner:

    >>> sq = lambda x, y: np.array([[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1]], float)
    >>> c = vertex_contacts([sq(0, 0), sq(1, 0), sq(2, 1)], False, 1e-9)
    >>> c.facets.tolist(), c.points.tolist()
    ([[0, 1]], [[0, 1], [1, 2]])
    """
    n_cells = len(vertices)
    counts = np.array([len(v) for v in vertices], dtype=np.int64)
    total = int(counts.sum())
    none = np.zeros((0, 2), dtype=np.int64)
    if n_cells < 2:
        return Contacts(none, none)
    dim = vertices[0].shape[1]
    owner = np.repeat(np.arange(n_cells), counts)
    stacked = np.concatenate(vertices)
    images = stacked.astype(float) if floats is None else floats
    close = _close_pairs(images, eps)
    if exact:  # equal rationals have equal float images: the close pairs hold every equal pair
        close = close[(images[close[:, 0]] == images[close[:, 1]]).all(axis=1)]
        # copies of a vertex are mostly one object (cuts share their crossing points): only
        # the other pairs are compared as rationals
        ids = np.fromiter(map(id, stacked.ravel().tolist()), np.int64, stacked.size)
        ids = ids.reshape(stacked.shape)
        alike = (ids[close[:, 0]] == ids[close[:, 1]]).all(axis=1)
        other = close[~alike]
        equal = (stacked[other[:, 0]] == stacked[other[:, 1]]).all(axis=1)
        close = np.concatenate([close[alike], other[equal]])
    vid = component_labels(total, close)
    if len(distinct_pairs(np.stack([owner, vid], axis=1))) < total:
        return None  # two vertices of one cell fell together
    shared = shared_key_pairs(vid, owner)
    return Contacts(shared.pairs[shared.counts >= dim], shared.pairs)
