"""From activation cells to linear regions: maps, facet adjacency, certification, merging.

Engine-agnostic: it takes the cells an engine found (pattern + interior point) and returns the
cells' affine maps, the facet-adjacency graph, and the two kinds of linear regions.

*Facet adjacency.* If cells ``C`` and ``D`` share an ``(n-1)``-dimensional face, let ``l`` be the
first hidden layer where their patterns differ. Both see the same layer-``l`` hyperplanes, and
every neuron that differs must vanish on the shared face, so the differing neurons are exactly one
group of coincident layer-``l`` hyperplanes. Candidates are therefore found by hashing pattern
prefixes with one group flipped; each candidate pair is confirmed by an LP that finds a point of
the common face at positive distance from every other inequality of both cells.

*Point contact.* Same-map regions that touch anywhere (possibly at a single point) are joined for
the point-connected count, by a feasibility LP on the union of both cells' closed inequalities.

In exact mode every point used (cell interior points, points of shared faces, contact points) is
a rational point checked exactly against the exact inequalities; whatever fails the check is
reported as uncertified instead of being used.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from neurogeom.core.exact_lp import exact_interior_point, exact_maximize
from neurogeom.core.lp import LPModel
from neurogeom.core.rationals import exact_rank, exact_solve
from neurogeom.core.unionfind import UnionFind
from neurogeom.nets.relu import ReLUNet
from neurogeom.regions._cells import CellRows, cell_rows, group_hyperplanes, is_bounded
from neurogeom.regions.domain import Domain

__all__ = ["CellGeometry", "cell_geometry", "facet_adjacency", "merge_regions", "point_contacts"]


@dataclass(slots=True)
class CellGeometry:
    """Working data of one cell (mutable, private to the pipeline)."""

    pattern: np.ndarray
    point: np.ndarray  # float interior point
    exact_point: np.ndarray | None
    radius: float
    rows: CellRows  # exact in exact mode
    g: np.ndarray  # float rows, normalised
    h: np.ndarray
    neuron: np.ndarray
    map_matrix: np.ndarray
    map_offset: np.ndarray
    certified: bool
    row_of: np.ndarray  # hidden neuron -> its row in g, h (-1 for neurons without a row)


def _to_fraction_vector(x: np.ndarray) -> np.ndarray:
    return np.array([Fraction(float(v)) for v in x], dtype=object)


def _strictly_inside(g: np.ndarray, h: np.ndarray, x: np.ndarray) -> bool:
    return bool(all(gi @ x < hi for gi, hi in zip(g, h, strict=True)))


def cell_geometry(
    net: ReLUNet,
    domain: Domain,
    pattern: np.ndarray,
    point: np.ndarray,
    radius: float,
    xpoint: np.ndarray | None = None,
) -> CellGeometry:
    """Rows, map and (in exact mode) a certified rational interior point of one cell.

    ``xpoint`` is an exact interior point already found (thin cells in exact mode); otherwise
    the float ``point`` is rounded to a rational and checked, and as a last resort an exact LP
    finds one.
    """
    rows = cell_rows(net, pattern, domain.a, domain.b)
    gf = rows.g.astype(float) if net.exact else rows.g
    hf = rows.h.astype(float) if net.exact else rows.h
    norms = np.linalg.norm(gf, axis=1)
    norms[norms == 0] = 1.0
    exact_point = None
    certified = True
    if net.exact:
        exact_point = xpoint if xpoint is not None else _to_fraction_vector(point)
        certified = _strictly_inside(rows.g, rows.h, exact_point)
        if not certified:
            # the rounded centre is not strictly inside (a thin cell): ask the exact solver
            found = exact_interior_point(rows.g, rows.h)
            if found is not None:
                exact_point = np.array(found, dtype=object)
                point = exact_point.astype(float)
                certified = True
    row_of = np.full(net.n_hidden, -1, dtype=np.int64)
    hidden = rows.neuron >= 0
    row_of[rows.neuron[hidden]] = np.flatnonzero(hidden)
    return CellGeometry(
        pattern,
        point,
        exact_point,
        radius,
        rows,
        gf / norms[:, None],
        hf / norms,
        rows.neuron,
        rows.map_matrix,
        rows.map_offset,
        certified,
        row_of,
    )


def maps_equal(a: CellGeometry, b: CellGeometry, *, tol: float, scale: float) -> bool:
    """Whether two cells compute the same affine map (exactly, or within ``tol`` relative)."""
    if a.map_matrix.dtype == object:
        return bool((a.map_matrix == b.map_matrix).all() and (a.map_offset == b.map_offset).all())
    dm = np.abs(a.map_matrix - b.map_matrix).max(initial=0.0)
    dc = np.abs(a.map_offset - b.map_offset).max(initial=0.0)
    size = max(
        np.abs(a.map_matrix).max(initial=0.0), np.abs(b.map_matrix).max(initial=0.0)
    ) * scale + max(np.abs(a.map_offset).max(initial=0.0), np.abs(b.map_offset).max(initial=0.0))
    return dm * scale + dc <= tol * max(size, 1e-300) or (dm == 0 and dc == 0)


def map_key(cell: CellGeometry, *, tol: float, scale: float) -> Any:
    """A hashable key equal for equal maps in exact mode (float mode: used only for sorting)."""
    if cell.map_matrix.dtype == object:
        return (tuple(cell.map_matrix.flat), tuple(cell.map_offset.flat))
    return tuple(np.concatenate([cell.map_matrix.ravel() * scale, cell.map_offset]))


@dataclass(frozen=True, slots=True)
class Adjacency:
    """A certified facet shared by two cells: the cells, the hyperplane's neurons, a point on it."""

    first: int
    second: int
    neurons: tuple[int, ...]
    point: np.ndarray
    certified: bool


def _layer_bounds(net: ReLUNet) -> list[tuple[int, int]]:
    return [(s.start, s.stop) for s in net.hidden_slices]


def _identically_zero(
    forms_a: np.ndarray, forms_c: np.ndarray, *, tol: float, scale: float
) -> np.ndarray:
    """Rows ``a x + c`` that vanish everywhere (``a = 0`` and ``c = 0``)."""
    if forms_a.dtype == object:
        return np.array(
            [all(v == 0 for v in a) and c == 0 for a, c in zip(forms_a, forms_c, strict=True)],
            dtype=bool,
        )
    size = np.abs(forms_a).sum(axis=1) * scale + np.abs(forms_c)
    return size <= tol * size.max(initial=0.0)


def facet_adjacency(
    net: ReLUNet, cells: list[CellGeometry], *, tol: float, scale: float, progress: Any = None
) -> tuple[list[Adjacency], int]:
    """All facet-adjacent pairs of cells; returns ``(adjacencies, n_lps)``.

    Candidates: across a group ``g`` of coincident layer-``l`` hyperplanes, the neighbour's
    pattern is this cell's with ``g`` flipped and, by continuity of every later pre-activation,
    the same later bits — except neurons vanishing identically on the hyperplane, whose bits are
    free. Each candidate is confirmed by the foot of the perpendicular from the cell's interior
    point (when it lies inside both cells) or else by an LP. In exact mode only pairs whose
    shared face contains an exactly verified rational point are marked certified.
    """
    bounds = _layer_bounds(net)
    index = {cell.pattern.tobytes(): i for i, cell in enumerate(cells)}
    out: list[Adjacency] = []
    n_lps = 0
    exact = net.exact
    n_hidden = net.n_hidden
    layer_of = np.concatenate(
        [np.full(stop - start, l) for l, (start, stop) in enumerate(bounds)]
        + [np.zeros(0, dtype=int)]
    )
    for i, cell in enumerate(cells):
        if progress is not None:
            progress.update()
        forms_a, forms_c = cell.rows.forms_a, cell.rows.forms_c
        # coincident hyperplanes across all layers at once; rows vanishing identically are
        # zero rows with zero offset
        group, _ = group_hyperplanes(forms_a, forms_c, tol=tol)
        dead = np.flatnonzero(_identically_zero(forms_a, forms_c, tol=tol, scale=scale))
        planes: dict[int, list[int]] = {}
        for k, g in enumerate(group.tolist()):
            if g >= 0:
                planes.setdefault(g, []).append(k)
        for same_list in planes.values():
            same = np.array(same_list)
            # rows are ordered by layer: the first row's layer is where the patterns first
            # differ; the plane's rows in later layers vanish on it, so their bits are free
            l = int(layer_of[same[0]])
            stop = bounds[l][1]
            members = same[same < stop]
            a_h, c_h = forms_a[members[0]], forms_c[members[0]]
            free = np.concatenate([same[same >= stop], dead[dead >= stop]])
            base = cell.pattern.copy()
            base[members] = ~base[members]
            for j in _lookup(index, base, free, cells, stop, n_hidden):
                if j <= i:
                    continue
                found = None
                for first, second in ((i, j), (j, i)):  # a foot from either centre
                    found = found or _foot_facet(
                        cells[first],
                        cells[second],
                        members,
                        free,
                        a_h,
                        c_h,
                        exact=exact,
                        tol=tol,
                        scale=scale,
                    )
                if found is None:
                    n_lps += 1
                    found = _shared_facet(
                        cells[i],
                        cells[j],
                        np.concatenate([members, free]),
                        a_h,
                        c_h,
                        exact=exact,
                        tol=tol,
                        scale=scale,
                    )
                if found is not None:
                    point, certified = found
                    out.append(Adjacency(i, j, tuple(int(m) for m in members), point, certified))
    return out, n_lps


def _lookup(
    index: dict[bytes, int],
    base: np.ndarray,
    free: np.ndarray,
    cells: list[CellGeometry],
    stop: int,
    n_hidden: int,
) -> list[int]:
    """Cells whose pattern equals ``base`` outside the ``free`` positions."""
    if len(free) == 0:
        j = index.get(base.tobytes())
        return [] if j is None else [j]
    if len(free) <= 10:
        out = []
        trial = base.copy()
        for bits in range(1 << len(free)):
            trial[free] = [(bits >> k) & 1 == 1 for k in range(len(free))]
            j = index.get(trial.tobytes())
            if j is not None:
                out.append(j)
        return out
    mask = np.ones(n_hidden, dtype=bool)
    mask[free] = False
    return [j for j, c in enumerate(cells) if (c.pattern[mask] == base[mask]).all()]


def _foot_facet(
    c1: CellGeometry,
    c2: CellGeometry,
    members: np.ndarray,
    free: np.ndarray,
    a_h: Any,
    c_h: Any,
    *,
    exact: bool,
    tol: float,
    scale: float,
) -> tuple[np.ndarray, bool] | None:
    """The foot of the perpendicular from ``c1``'s interior point onto the hyperplane, if it lies
    strictly inside every other inequality of both cells (then it is a point of the shared
    facet's relative interior); otherwise None."""
    skip = np.concatenate([members, free])
    if exact:
        x = c1.exact_point
        ae = np.asarray(a_h, dtype=object)
        foot = x - (ae @ x + c_h) / (ae @ ae) * ae
        for cell in (c1, c2):
            keep = _rows_without(cell, skip)
            if not _strictly_inside(cell.rows.g[keep], cell.rows.h[keep], foot):
                return None
        return foot, True
    af = np.asarray(a_h, dtype=float)
    nrm = np.linalg.norm(af)
    u, v = af / nrm, float(c_h) / nrm
    foot = c1.point - (u @ c1.point + v) * u
    for cell in (c1, c2):
        slack = cell.h - cell.g @ foot
        slack[cell.row_of[skip][cell.row_of[skip] >= 0]] = np.inf
        if not (slack >= tol * scale).all():
            return None
    return foot, True


def _rows_without(cell: CellGeometry, neurons: np.ndarray) -> np.ndarray:
    """Mask of the cell's rows that do not belong to the given neurons."""
    keep = np.ones(len(cell.neuron), dtype=bool)
    rows = cell.row_of[neurons]
    keep[rows[rows >= 0]] = False
    return keep


def _shared_facet(
    c1: CellGeometry,
    c2: CellGeometry,
    members: np.ndarray,
    a_row: np.ndarray,
    c_val: Any,
    *,
    exact: bool,
    tol: float,
    scale: float,
) -> tuple[np.ndarray, bool] | None:
    """A point in the relative interior of the common face on the hyperplane, or None."""
    af = np.asarray(a_row, dtype=float)
    cf = float(c_val)
    nrm = np.linalg.norm(af)
    u, v = af / nrm, cf / nrm
    gs, hs, ge, he = [], [], [], []
    for cell in (c1, c2):
        on_plane = ~_rows_without(cell, members)
        # rows of later layers may coincide with the hyperplane on this cell: they hold with
        # equality on the face, so they are left out like the hyperplane itself
        coinc = (np.abs(np.abs(cell.g @ u) - 1) <= tol) & (
            np.abs(cell.h - np.sign(cell.g @ u) * -v) <= tol * max(scale, 1.0)
        )
        keep = ~(on_plane | coinc)
        gs.append(cell.g[keep])
        hs.append(cell.h[keep])
        if exact:
            ge.append(cell.rows.g[keep])
            he.append(cell.rows.h[keep])
    g, h = np.concatenate(gs), np.concatenate(hs)
    n = len(u)
    mat = np.zeros((len(g) + 1, n + 1))
    mat[:-1, :n] = g
    mat[:-1, n] = 1.0
    mat[-1, :n] = u
    lp = LPModel(
        mat,
        np.concatenate([np.full(len(g), -np.inf), [-v]]),
        np.concatenate([h, [-v]]),
        col_lower=[*[-np.inf] * n, 0.0],
        col_upper=[*[np.inf] * n, scale],
    )
    cost = np.zeros(n + 1)
    cost[n] = 1.0
    res = lp.solve(cost, maximize=True)
    if not exact:
        if not res.optimal or res.x[n] <= tol * scale:
            return None
        return res.x[:n], True
    ae = np.asarray(a_row, dtype=object)
    g_all, h_all = np.concatenate(ge), np.concatenate(he)
    if res.optimal and res.x[n] > tol * scale:
        # project the rounded point onto the exact hyperplane and check every other row
        xq = _to_fraction_vector(res.x[:n])
        xq = xq - (ae @ xq + c_val) / (ae @ ae) * ae
        if _strictly_inside(g_all, h_all, xq):
            return xq, True
    # too thin for floats (or the rounding failed): decide exactly
    xq = _exact_relative_interior(g_all, h_all, ae, c_val)
    return None if xq is None else (xq, True)


def _exact_relative_interior(
    g: np.ndarray, h: np.ndarray, a: np.ndarray, c: Any
) -> np.ndarray | None:
    """Exactly: a point with ``a x + c = 0`` and ``g x < h`` strictly, or None."""
    m, n = g.shape
    rows = np.empty((m + 3, n + 1), dtype=object)
    rows[:m, :n] = g
    rows[:m, n] = 1
    rows[m, :n], rows[m, n] = a, 0
    rows[m + 1, :n], rows[m + 1, n] = -a, 0
    rows[m + 2, :n], rows[m + 2, n] = 0, 1
    rhs = [*h, -c, c, 1]
    res = exact_maximize([0] * n + [1], rows, rhs)
    if res.status != "optimal" or res.value <= 0:
        return None
    return np.array(res.x[:n], dtype=object)


def point_contact(
    c1: CellGeometry, c2: CellGeometry, *, exact: bool, tol: float, scale: float
) -> tuple[np.ndarray, bool] | None:
    """A common point of the closures of two cells (exactly verified in exact mode), or None."""
    g = np.concatenate([c1.g, c2.g])
    h = np.concatenate([c1.h, c2.h])
    lp = LPModel(g, None, h + tol * scale)
    res = lp.solve(np.zeros(g.shape[1]))
    if not exact:
        return (res.x, True) if res.optimal else None
    if not res.optimal:
        # infeasible even with a margin of tol: the closures are certainly apart
        return None
    ge = np.concatenate([c1.rows.g, c2.rows.g])
    he = np.concatenate([c1.rows.h, c2.rows.h])
    x = res.x
    tight = np.flatnonzero(np.abs(g @ x - h) <= 1e3 * tol * max(scale, 1.0))
    xq = _snap(x, ge[tight], he[tight])
    if xq is not None and all(gi @ xq <= hi for gi, hi in zip(ge, he, strict=True)):
        return xq, True
    # decide exactly: is the intersection of the closures non-empty?
    exact = exact_maximize([0] * g.shape[1], ge, he)
    if exact.status == "infeasible":
        return None
    return np.array(exact.x, dtype=object), True


def _snap(x: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """The rational point nearest to ``x`` (in the least-squares sense) with ``a y = b``."""
    xq = _to_fraction_vector(x)
    if len(a) == 0:
        return xq
    # keep an independent subset of the rows
    chosen: list[int] = []
    for i in range(len(a)):
        trial = a[[*chosen, i]]
        if exact_rank(trial) == len(chosen) + 1:
            chosen.append(i)
    a_sub, b_sub = a[chosen], b[chosen]
    if not all(a_sub[k] @ xq == b_sub[k] for k in range(len(chosen))) and len(chosen):
        # y = x + A^T (A A^T)^{-1} (b - A x)
        gram = a_sub @ a_sub.T
        try:
            lam = exact_solve(gram, b_sub - a_sub @ xq)
        except Exception:
            return None
        xq = xq + a_sub.T @ lam
    return xq


def merge_regions(
    cells: list[CellGeometry], adjacency: list[Adjacency], *, tol: float, scale: float
) -> list[list[int]]:
    """Facet-connected linear regions: components of same-map certified adjacencies."""
    uf = UnionFind(range(len(cells)))
    for adj in adjacency:
        if adj.certified and maps_equal(cells[adj.first], cells[adj.second], tol=tol, scale=scale):
            uf.union(adj.first, adj.second)
    return [sorted(g) for g in uf.groups()]


def point_contacts(
    cells: list[CellGeometry],
    regions: list[list[int]],
    *,
    exact: bool,
    tol: float,
    scale: float,
    progress: Any = None,
) -> tuple[list[list[int]], int]:
    """Join same-map regions whose closures touch; return ``(regions, n_lps)``."""
    uf = UnionFind(range(len(regions)))
    n_lps = 0
    reps = [cells[r[0]] for r in regions]
    order = sorted(range(len(regions)), key=lambda k: map_key(reps[k], tol=tol, scale=scale))
    buckets: list[list[int]] = []
    for k in order:
        if buckets and maps_equal(reps[buckets[-1][0]], reps[k], tol=tol, scale=scale):
            buckets[-1].append(k)
        else:
            buckets.append([k])
    for bucket in buckets:
        for x in range(len(bucket)):
            for y in range(x + 1, len(bucket)):
                r1, r2 = bucket[x], bucket[y]
                if uf.connected(r1, r2):
                    continue
                found = False
                for i in regions[r1]:
                    for j in regions[r2]:
                        n_lps += 1
                        hit = point_contact(cells[i], cells[j], exact=exact, tol=tol, scale=scale)
                        if hit is not None and hit[1]:
                            found = True
                            break
                    if found:
                        break
                if found:
                    uf.union(r1, r2)
        if progress is not None:
            progress.update(len(bucket))
    merged = [sorted(c for k in group for c in regions[k]) for group in uf.groups()]
    return merged, n_lps


def cell_bounded(cell: CellGeometry, domain: Domain) -> bool:
    """Whether a cell is bounded (always, on a bounded domain)."""
    if domain.kind == "box":
        return True
    return is_bounded(cell.g)
