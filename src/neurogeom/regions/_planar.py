"""The planar engine: activation cells of a 2-input network on a box, with their adjacency.

The box is a planar subdivision kept as a half-edge structure (shared vertices, half-edges with
their twin, successor, predecessor and face). Hidden neurons cut it one at a time, layer by
layer: a neuron's pre-activation is affine on every face (the face's *root*, its ancestor at the
start of the layer, fixes the map), so it is evaluated once per vertex; every edge whose ends have
opposite signs is split at the zero, on both of its sides at once; then every face with vertices
of both signs is cut by a new pair of twin half-edges between its two zero vertices. All of this
is array work over every face at once, for one neuron at a time.

Because vertices are shared and edges are split on both sides, the result is a proper planar
subdivision, and what other engines compute afterwards comes for free:

- two faces share a facet exactly when they own twin half-edges (no LP, no pattern lookup);
- faces touching only at a point share a vertex;
- areas and vertex centroids are sums over half-edges.

Exact mode keeps the coordinates as python-flint rationals beside float copies and the maps in
float64 with rigorous bounds on their error; a sign is taken from the float value when it
exceeds its bound and is computed exactly otherwise, from exact rows formed only for the
``(root, neuron)`` pairs that need them; crossing points are always computed exactly (see
:mod:`._split`, whose exact kernels this engine shares). Float mode snaps values within the
tolerance to zero and counts the decisions that fell inside the tolerance band.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import flint
import numpy as np

from neurogeom.core.arrays import distinct_pairs, shared_key_pairs, tall_product
from neurogeom.core.budget import Budget
from neurogeom.core.growable import GrowableArray
from neurogeom.core.progress import progress_bar
from neurogeom.core.rationals import fmpq_array, fractions_from_fmpq
from neurogeom.nets.geometry import AffineMap
from neurogeom.regions._engine import Contacts, EngineRun, FoundCell, RegionProblem
from neurogeom.regions._split import (
    _MARGIN,
    ExactChain,
    ExactRows,
    _approx,
    _bounded_compose,
    _bounded_post,
    _compose,
    _filtered_signs,
    _float_outputs,
    _LayerMaps,
    exact_outputs,
)
from neurogeom.regions.result import Note

__all__ = ["PlanarEngine", "Subdivision"]


@dataclass(slots=True)
class _Mesh:
    """The half-edge structure. Half-edge ``h`` runs from ``origin[h]`` to ``origin[next[h]]``
    with its face on the left; ``twin[h]`` is ``-1`` on the box's boundary."""

    xy: GrowableArray  # float coordinates (V, 2)
    xq: GrowableArray | None  # exact coordinates (fmpq), exact mode only
    origin: GrowableArray
    twin: GrowableArray
    nxt: GrowableArray
    prv: GrowableArray
    face: GrowableArray
    n_faces: int

    @property
    def n_half_edges(self) -> int:
        return self.origin.size

    def dest(self) -> np.ndarray:
        """Destination vertex of every half-edge."""
        return self.origin.view[self.nxt.view]


def _box_mesh(lo: np.ndarray, hi: np.ndarray, exact: bool, lo_q: Any, hi_q: Any) -> _Mesh:
    """The box as one face: 4 vertices counter-clockwise, 4 boundary half-edges."""
    xy = np.array([[lo[0], lo[1]], [hi[0], lo[1]], [hi[0], hi[1]], [lo[0], hi[1]]], dtype=float)
    xq = None
    if exact:
        q = np.empty((4, 2), dtype=object)
        q[:] = [[lo_q[0], lo_q[1]], [hi_q[0], lo_q[1]], [hi_q[0], hi_q[1]], [lo_q[0], hi_q[1]]]
        xq = GrowableArray(q)
    return _Mesh(
        GrowableArray(xy),
        xq,
        GrowableArray(np.arange(4)),
        GrowableArray(np.full(4, -1)),
        GrowableArray(np.array([1, 2, 3, 0])),
        GrowableArray(np.array([3, 0, 1, 2])),
        GrowableArray(np.zeros(4, dtype=np.int64)),
        1,
    )


@dataclass(slots=True)
class _State:
    """Per-face data: the root of each face at the layer start, its pattern so far."""

    root: GrowableArray
    bits: GrowableArray  # (F, n_hidden) bool
    unsure: int = 0
    notes: list[Note] = field(default_factory=list)


@dataclass(frozen=True, slots=True, eq=False)
class Subdivision:
    """The finished planar subdivision: faces with patterns and maps, and their contacts.

    Attributes
    ----------
    patterns : ndarray of bool, shape (F, n_hidden)
    maps : tuple of (matrix (F, out, 2), offset (F, out)), float or exact
    adjacency : ndarray of int, shape (P, 2)
        Pairs of faces sharing an edge (each pair once, ``first < second``).
    vertex_faces : ndarray of int, shape (Q, 2)
        Pairs of faces sharing a vertex (each pair once).
    polygons : tuple of ndarray or None
        Each face's vertices, counter-clockwise (exact in exact mode, where they are ``None``
        unless the problem asks for volumes).
    areas : tuple
        Each face's area (exact in exact mode; ``None`` there unless asked for).
    centroids : ndarray
        Each face's vertex centroid (float), and ``exact_centroids`` in exact mode.
    """

    patterns: np.ndarray
    matrix: np.ndarray
    offset: np.ndarray
    adjacency: np.ndarray
    vertex_faces: np.ndarray
    polygons: tuple[np.ndarray, ...]
    areas: tuple[Any, ...]
    centroids: np.ndarray
    exact_centroids: np.ndarray | None
    complete: bool
    unsure: int


class _Engine:
    """One run of the planar engine (private working state)."""

    def __init__(self, problem: RegionProblem, budget: Budget, progress: bool) -> None:
        self.problem = problem
        self.budget = budget
        self.progress = progress
        net = problem.net
        self.exact = problem.exact
        fnet = net.to_float()
        self.wf = [np.asarray(w, dtype=float) for w in fnet.weights]
        self.bf = [np.asarray(b, dtype=float) for b in fnet.biases]
        self.slope_f = float(fnet.negative_slope)
        if self.exact:
            s = net.negative_slope
            self.chain = ExactChain.of(
                [fmpq_array(w) for w in net.weights],
                [fmpq_array(b) for b in net.biases],
                flint.fmpq(s.numerator, s.denominator),
            )
        self.tol = problem.tol
        self.widths = net.hidden_widths
        self.starts = np.concatenate([[0], np.cumsum(self.widths)]).astype(int)
        domain = problem.domain
        lo = np.array([float(v) for v in domain.lower])
        hi = np.array([float(v) for v in domain.upper])
        lo_q = [flint.fmpq(v.numerator, v.denominator) for v in domain.lower]
        hi_q = [flint.fmpq(v.numerator, v.denominator) for v in domain.upper]
        self.extent = np.maximum(np.abs(lo), np.abs(hi))
        self.mesh = _box_mesh(lo, hi, self.exact, lo_q, hi_q)
        self.state = _State(
            GrowableArray(np.zeros(1, dtype=np.int64)),
            GrowableArray(np.zeros((1, net.n_hidden), dtype=bool)),
        )

    # -- maps -----------------------------------------------------------------------------------
    def _post_maps(
        self, layer: int, prev: _LayerMaps | None, roots: np.ndarray, bits: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, Any, Any]:
        """The float map ``x -> H x + h`` feeding layer ``layer`` on each face, and (exact mode)
        bounds on its distance to the exact one (zero before the first layer)."""
        if prev is None:
            n = len(roots)
            return np.broadcast_to(np.eye(2), (n, 2, 2)), np.zeros((n, 2)), 0.0, 0.0
        s = self.starts[layer - 1]
        active = bits[:, s : s + self.widths[layer - 1]]
        if self.exact:
            return _bounded_post(prev, roots, active, self.slope_f)
        d = np.where(active, 1.0, self.slope_f)
        return prev.af[roots] * d[:, :, None], prev.cf[roots] * d, None, None

    def _layer(self, layer: int, prev: _LayerMaps | None, roots: np.ndarray, bits: np.ndarray):
        """Pre-activation maps of ``layer`` on every face (each face is its own root now)."""
        hf, of, eh, eo = self._post_maps(layer, prev, roots, bits)
        w, b = self.wf[layer], self.bf[layer]
        if not self.exact:
            a, c = _compose(w, b, hf, of)
            # |terms| bound: |W| (|H| |x| + |h|) + |b|, per face and neuron
            inner = np.abs(hf) @ self.extent + np.abs(of)
            scale = tall_product(inner, np.abs(w)) + np.abs(b)
            return _LayerMaps(a, c, scale=scale)
        # float64 maps with rigorous bounds on their error; exact rows where needed
        a, c, err_a, err_c = _bounded_compose(w, b, hf, of, eh, eo)
        exact = ExactRows(self.chain, layer, bits[:, : self.starts[layer]].copy(), len(w), 2)
        return _LayerMaps(a, c, err_a, err_c, exact)

    # -- one neuron -----------------------------------------------------------------------------
    def _signs(self, lay: _LayerMaps, j: int, vroot: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Sign (-1, 0, 1) of neuron ``j`` at every vertex, and its float value."""
        m = self.mesh
        xy = m.xy.view
        a = lay.af[vroot, j]
        c = lay.cf[vroot, j]
        tx, ty = a[:, 0] * xy[:, 0], a[:, 1] * xy[:, 1]
        z = tx + ty + c
        if not self.exact:
            eps = self.tol.rel * lay.scale[vroot, j]
            mag = np.abs(z)
            self.state.unsure += int(
                np.count_nonzero((mag > eps / self.tol.band) & (mag < eps * self.tol.band))
            )
            return np.where(mag <= eps, 0, np.sign(z)).astype(np.int8), z
        # the float maps' own error, at these points (bounds are rounded up by _MARGIN)
        ea = lay.err_a[vroot, j]
        slack = ea[:, 0] * np.abs(xy[:, 0]) + ea[:, 1] * np.abs(xy[:, 1]) + lay.err_c[vroot, j]
        pos, neg, unsure = _filtered_signs(z, np.abs(tx) + np.abs(ty) + np.abs(c), slack * _MARGIN)
        sign = pos.astype(np.int8) - neg.astype(np.int8)
        if unsure.size:
            zq = self._exact_z(lay, j, vroot[unsure], unsure)
            sign[unsure] = [(q > 0) - (q < 0) for q in zq]
        return sign, z

    def _exact_z(self, lay: _LayerMaps, j: int, roots: np.ndarray, verts: np.ndarray) -> np.ndarray:
        """Exact pre-activations of neuron ``j`` at ``verts``, with the maps of ``roots``."""
        return lay.exact_values(self.mesh.xq.view[verts], roots, j)

    def _vertex_roots(self) -> np.ndarray:
        """For every vertex, the root of one face that contains it (any one will do: the maps
        of all faces around a vertex agree there)."""
        m = self.mesh
        vroot = np.empty(m.xy.size, dtype=np.int64)
        vroot[m.origin.view] = self.state.root.view[m.face.view]
        return vroot

    def cut(self, lay: _LayerMaps, layer: int, j: int) -> None:
        """Cut every face that neuron ``j`` of ``layer`` crosses; set its bit on every face."""
        m, st = self.mesh, self.state
        vroot = self._vertex_roots()
        sign, z = self._signs(lay, j, vroot)
        neuron = self.starts[layer] + j
        # 1. split the edges whose ends have opposite signs, on both sides at once
        org = m.origin.view
        dst = m.dest()
        crossing = (sign[org] * sign[dst]) < 0
        tw = m.twin.view
        first = crossing & ((tw < 0) | (np.arange(len(org)) < tw))
        h = np.flatnonzero(first)
        if h.size:
            self._split_edges(h, lay, j, vroot, z)
            sign = np.concatenate([sign, np.zeros(h.size, dtype=np.int8)])
        # 2. the bit of every face: active iff positive somewhere on it
        face = m.face.view
        so = sign[m.origin.view]
        pos = np.bincount(face, so > 0, m.n_faces) > 0
        neg = np.bincount(face, so < 0, m.n_faces) > 0
        st.bits.view[:, neuron] = pos
        split = np.flatnonzero(pos & neg)
        if split.size:
            self._split_faces(split, sign, neuron)

    def _split_edges(
        self, h: np.ndarray, lay: _LayerMaps, j: int, vroot: np.ndarray, z: np.ndarray
    ) -> None:
        """Insert the zero of neuron ``j`` on each edge ``h`` (and on its twin)."""
        m = self.mesh
        o = m.origin.view[h]
        d = m.origin.view[m.nxt.view[h]]
        if self.exact:
            # both ends with the map of the edge's own face (it holds on the whole edge)
            roots = self.state.root.view[m.face.view[h]]
            zo = self._exact_z(lay, j, roots, o)
            zd = self._exact_z(lay, j, roots, d)
            t = zo / (zo - zd)
            xq = m.xq.view
            new_q = np.empty((h.size, 2), dtype=object)
            new_q[:, 0] = xq[o, 0] + t * (xq[d, 0] - xq[o, 0])
            new_q[:, 1] = xq[o, 1] + t * (xq[d, 1] - xq[o, 1])
            new_xy = _approx(new_q)
            m.xq.extend(new_q)
        else:
            t = (z[o] / (z[o] - z[d]))[:, None]
            xy = m.xy.view
            new_xy = xy[o] + t * (xy[d] - xy[o])
        x = m.xy.extend(new_xy)
        tw = m.twin.view[h].copy()
        has_twin = tw >= 0
        # h: o -> d becomes h: o -> x and h2: x -> d; twin t: d -> o becomes t: d -> x and
        # t2: x -> o, with h <-> t2 and h2 <-> t
        h2 = m.origin.extend(x)
        m.face.extend(m.face.view[h])
        m.nxt.extend(m.nxt.view[h])
        m.prv.extend(h)
        m.twin.extend(np.full(h.size, -1))
        m.prv.view[m.nxt.view[h]] = h2
        m.nxt.view[h] = h2
        t = tw[has_twin]
        if t.size:
            xt = x[has_twin]
            t2 = m.origin.extend(xt)
            m.face.extend(m.face.view[t])
            m.nxt.extend(m.nxt.view[t])
            m.prv.extend(t)
            m.twin.extend(h[has_twin])
            m.prv.view[m.nxt.view[t]] = t2
            m.nxt.view[t] = t2
            m.twin.view[h[has_twin]] = t2
            m.twin.view[h2[has_twin]] = t
            m.twin.view[t] = h2[has_twin]

    def _split_faces(self, faces: np.ndarray, sign: np.ndarray, neuron: int) -> None:
        """Cut each face in ``faces`` between its two zero vertices.

        A convex face with vertices of both signs meets the neuron's line in exactly two
        boundary points, which are vertices by now (edges were split first): ``P``, where the
        boundary enters the positive side, and ``N``, where it enters the negative side. The
        positive child keeps the face's id and is closed by a new half-edge ``N -> P``; the
        negative child gets a new id and the twin ``P -> N``.
        """
        m, st = self.mesh, self.state
        org = m.origin.view
        face = m.face.view
        splitting = np.zeros(m.n_faces, dtype=bool)
        splitting[faces] = True
        on = splitting[face]
        so, sd = sign[org], sign[m.dest()]
        enter_pos = np.flatnonzero(on & (so == 0) & (sd > 0))
        enter_neg = np.flatnonzero(on & (so == 0) & (sd < 0))
        n_pos = np.bincount(face[enter_pos], minlength=m.n_faces)[faces]
        n_neg = np.bincount(face[enter_neg], minlength=m.n_faces)[faces]
        proper = (n_pos == 1) & (n_neg == 1)
        if not proper.all():
            # float mode only (exact faces are convex): signs snapped inconsistently on a face
            # thinner than the tolerance; it is left uncut and the decision reported
            self.state.unsure += int((~proper).sum())
            faces = faces[proper]
            splitting[:] = False
            splitting[faces] = True
            on = splitting[face]
            enter_pos = enter_pos[splitting[face[enter_pos]]]
            enter_neg = enter_neg[splitting[face[enter_neg]]]
            if faces.size == 0:
                return
        in_pos = np.full(m.n_faces, -1)
        in_neg = np.full(m.n_faces, -1)
        in_pos[face[enter_pos]] = enter_pos
        in_neg[face[enter_neg]] = enter_neg
        ip, ineg = in_pos[faces], in_neg[faces]
        p_vert, n_vert = org[ip], org[ineg]
        before_p = m.prv.view[ip]  # ends at P, coming from the negative side
        before_n = m.prv.view[ineg]  # ends at N, coming from the positive side
        moving = np.concatenate([np.flatnonzero(on & (so < 0)), ineg])
        k = faces.size
        new_faces = np.arange(m.n_faces, m.n_faces + k)
        c_pos = m.origin.extend(n_vert)
        c_neg = m.origin.extend(p_vert)
        m.face.extend(faces)
        m.face.extend(new_faces)
        m.nxt.extend(ip)
        m.nxt.extend(ineg)
        m.prv.extend(before_n)
        m.prv.extend(before_p)
        m.twin.extend(c_neg)
        m.twin.extend(c_pos)
        m.nxt.view[before_n] = c_pos
        m.prv.view[ip] = c_pos
        m.nxt.view[before_p] = c_neg
        m.prv.view[ineg] = c_neg
        # the negative chain (negative origins and the entry into the negative side) moves to
        # the new face; c_neg was created there
        new_of = np.full(m.n_faces, -1)
        new_of[faces] = new_faces
        face = m.face.view
        face[moving] = new_of[face[moving]]
        # patterns: children copy the parent's, the negative one has the bit off
        child_bits = st.bits.view[faces].copy()
        child_bits[:, neuron] = False
        st.bits.extend(child_bits)
        st.root.extend(st.root.view[faces])
        m.n_faces += k

    # -- the whole run --------------------------------------------------------------------------
    def run(self) -> Subdivision:
        net = self.problem.net
        st, m = self.state, self.mesh
        prev: _LayerMaps | None = None
        complete = True
        with progress_bar(self.progress, total=net.n_hidden, desc="cells", unit="neuron") as bar:
            for layer, width in enumerate(self.widths):
                roots = st.root.view.copy()
                lay = self._layer(layer, prev, roots, st.bits.view)
                st.root = GrowableArray(np.arange(m.n_faces))  # each face is its own root now
                for j in range(width):
                    self.cut(lay, layer, j)
                    bar.update()
                    bar.set_postfix(cells=m.n_faces)
                    if self.budget.expired() or not self.budget.allows(m.n_faces):
                        complete = False
                        break
                if not complete:
                    # no face is a final cell before the last neuron has cut it: a partial
                    # run reports none (the split engine finishes cells one by one instead)
                    return _empty(self.problem, self.state.unsure)
                prev = lay
        return self._finish(prev, complete)

    def _finish(self, last: _LayerMaps | None, complete: bool) -> Subdivision:
        st, m = self.state, self.mesh
        n_f = m.n_faces
        roots = st.root.view
        bits = st.bits.view
        layer = len(self.widths)
        w, b = self.wf[-1], self.bf[-1]
        if self.exact:
            rows = None if last is None else last.exact
            matrix, offset = exact_outputs(self.chain, rows, roots, bits)
        elif last is not None:
            s = self.starts[layer - 1]
            scale = np.where(bits[:, s : s + self.widths[layer - 1]], 1.0, self.slope_f)
            matrix, offset = _float_outputs(w, b, last.af, last.cf, roots, scale)
        else:
            hf, of, _, _ = self._post_maps(layer, last, roots, bits)
            matrix, offset = _compose(w, b, hf, of)
        face = m.face.view
        org = m.origin.view
        tw = m.twin.view
        # facet adjacency: twin half-edges of different faces
        h = np.flatnonzero((tw >= 0) & (np.arange(len(tw)) < tw))
        f1, f2 = face[h], face[tw[h]]
        pairs = np.stack([np.minimum(f1, f2), np.maximum(f1, f2)], axis=1)
        pairs = pairs[pairs[:, 0] != pairs[:, 1]]
        uniq = distinct_pairs(pairs)
        # faces sharing a vertex
        vf = shared_key_pairs(org, face).pairs
        # polygons (counter-clockwise), areas and centroids; exact polygons and areas only when
        # volumes were asked for (they cost more than the cells themselves)
        measured = not self.exact or self.problem.volumes
        polygons: list[Any] = self._polygons() if measured else [None] * n_f
        areas: list[Any] = [None] * n_f
        counts = np.bincount(face, minlength=n_f)
        xy = m.xy.view
        cent = (
            np.stack(
                [np.bincount(face, xy[org, 0], n_f), np.bincount(face, xy[org, 1], n_f)], axis=1
            )
            / counts[:, None]
        )
        exact_cent = None
        d = m.dest()
        if self.exact:
            # per face, over its half-edges: vertex sums and the shoelace sum, as object arrays
            # of fmpq summed face by face (faces hold consecutive half-edges once sorted)
            xq = m.xq.view
            order = np.argsort(face, kind="stable")
            firsts = np.searchsorted(face[order], np.arange(n_f))
            o = xq[org[order]]
            sums = np.add.reduceat(o, firsts, axis=0)
            exact_cent = fractions_from_fmpq(sums / counts.astype(object)[:, None])
            cent = exact_cent.astype(float)
            if measured:
                t = xq[d[order]]
                cross = np.add.reduceat(o[:, 0] * t[:, 1] - t[:, 0] * o[:, 1], firsts)
                areas = list(fractions_from_fmpq(cross / 2))
        else:
            cross = xy[org, 0] * xy[d, 1] - xy[d, 0] * xy[org, 1]
            areas = (0.5 * np.bincount(face, cross, n_f)).tolist()
        return Subdivision(
            bits.copy(),
            matrix,
            offset,
            uniq,
            vf,
            tuple(polygons),
            tuple(areas),
            cent,
            exact_cent,
            complete,
            st.unsure,
        )

    def _polygons(self) -> list[np.ndarray]:
        """Each face's vertices in counter-clockwise order (by following successors)."""
        m = self.mesh
        n_f = m.n_faces
        face = m.face.view
        start = np.full(n_f, -1)
        start[face] = np.arange(len(face))
        nxt = m.nxt.view
        org = m.origin.view
        rows = [org[start]]
        cur = nxt[start]
        length = np.ones(n_f, dtype=np.int64)
        active = cur != start
        while active.any():
            rows.append(np.where(active, org[cur], -1))
            length += active
            cur = np.where(active, nxt[cur], cur)
            active &= cur != start
        table = np.stack(rows, axis=1)
        # exact mode: every vertex converted to Fractions once (not once per face around it)
        coords = fractions_from_fmpq(m.xq.view) if self.exact else m.xy.view
        return [coords[table[f, : length[f]]] for f in range(n_f)]


def _empty(problem: RegionProblem, unsure: int) -> Subdivision:
    """The answer of a run stopped by its budget: no final cell yet."""
    n_h, n_out = problem.net.n_hidden, problem.net.n_outputs
    dtype = object if problem.exact else float
    none = np.zeros((0, 2), dtype=np.int64)
    return Subdivision(
        np.zeros((0, n_h), dtype=bool),
        np.zeros((0, n_out, 2), dtype=dtype),
        np.zeros((0, n_out), dtype=dtype),
        none,
        none,
        (),
        (),
        np.zeros((0, 2)),
        None,
        False,
        unsure,
    )


class PlanarEngine:
    """The planar engine behind the engine protocol (2 inputs, box domains)."""

    name = "split"

    def find_cells(self, problem: RegionProblem, budget: Budget, progress: bool) -> EngineRun:
        """All cells of the box with their polygons, maps and contacts."""
        sub = _Engine(problem, budget, progress).run()
        return subdivision_run(sub)


def subdivision_run(sub: Subdivision) -> EngineRun:
    """The engine's answer: cells with their maps, polygons and areas, and their contacts."""
    cells = []
    for f in range(len(sub.patterns)):
        exact_point = None if sub.exact_centroids is None else sub.exact_centroids[f]
        output = AffineMap(sub.matrix[f], sub.offset[f])
        cells.append(
            FoundCell(
                sub.patterns[f],
                sub.centroids[f],
                0.0,
                exact_point,
                sub.polygons[f],
                output,
                sub.areas[f],
            )
        )
    notes: tuple[Note, ...] = ()
    if sub.unsure:
        notes = (
            Note(
                "unsure crossing",
                f"{sub.unsure} vertex sign(s) fell inside the tolerance band",
                value=float(sub.unsure),
            ),
        )
    contacts = Contacts(sub.adjacency, sub.vertex_faces)
    return EngineRun(tuple(cells), sub.complete, notes, contacts=contacts)
