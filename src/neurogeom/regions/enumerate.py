"""Exact enumeration of the activation cells and linear regions of a ReLU network.

:func:`enumerate_regions` is the one entry point; :func:`count_regions` returns a single count.
Two engines find the cells — :mod:`~neurogeom.regions.search` (any input dimension, any domain)
and :mod:`~neurogeom.regions.split` (input dimension 2 or 3, bounded domains) — and one pipeline
(:mod:`~neurogeom.regions.merge`) turns cells into certified linear regions.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from neurogeom.core.errors import InvalidInputError, NumericalError, UnsupportedLayerError
from neurogeom.core.progress import progress_bar
from neurogeom.core.tolerances import check_tol
from neurogeom.nets.relu import ReLUNet
from neurogeom.regions.domain import Domain, check_domain
from neurogeom.regions.merge import (
    CellGeometry,
    cell_bounded,
    cell_geometry,
    facet_adjacency,
    merge_regions,
    point_contacts,
)
from neurogeom.regions.result import Cell, LinearRegion, RegionResult
from neurogeom.regions.search import (
    Node,
    RawCell,
    Searcher,
    SearchInterrupted,
    SearchState,
    problem_scale,
)

__all__ = ["count_regions", "enumerate_regions"]

Method = Literal["auto", "search", "split"]
Kind = Literal["activation", "linear", "linear_point", "bounded"]


def _check_net(net: Any) -> ReLUNet:
    if not isinstance(net, ReLUNet):
        if type(net).__name__ == "RationalNet":
            raise UnsupportedLayerError(
                "linear regions are defined for piecewise-linear (ReLU / leaky-ReLU) networks; "
                "a RationalNet computes rational functions (see neurogeom.rational)"
            )
        raise InvalidInputError(f"expected a ReLUNet, got {type(net).__name__}")
    return net


def _choose_method(
    method: str, net: ReLUNet, domain: Domain, *, checkpoint: Any, workers: int
) -> str:
    if method not in ("auto", "search", "split"):
        raise InvalidInputError(f"method must be 'auto', 'search' or 'split', got {method!r}")
    split_ok = net.n_inputs <= 3 and domain.kind == "box"
    if method == "split" and not split_ok:
        raise InvalidInputError(
            "method='split' needs a box domain (e.g. domain=(-1, 1)) and 1 to 3 inputs; this net "
            f"has {net.n_inputs} inputs and the domain is {domain!r}. Use method='search'."
        )
    if method == "split" and (checkpoint is not None or workers != 1):
        raise InvalidInputError("checkpoint and workers are options of method='search'")
    if method == "auto":
        return "split" if split_ok and checkpoint is None and workers == 1 else "search"
    return method


def _subtree(
    net: ReLUNet, domain: Domain, tol: float, seed: int, node: Node, deadline: float | None
) -> tuple[SearchState, bool]:
    """Worker task: enumerate everything below one node."""
    searcher = Searcher(net, domain, tol=tol, seed=seed)
    state = SearchState(pending=[node])
    done = searcher.run(state, deadline=deadline)
    return state, done


def _run_search(
    net: ReLUNet,
    domain: Domain,
    *,
    tol: float,
    seed: int,
    deadline: float | None,
    max_cells: int | None,
    checkpoint: str | os.PathLike[str] | None,
    workers: int,
    progress: bool,
) -> tuple[SearchState, bool, list[RawCell]]:
    from neurogeom.regions.checkpoint import fingerprint, load_checkpoint, save_checkpoint

    searcher = Searcher(net, domain, tol=tol, seed=seed)
    key = fingerprint(net, domain, exact=net.exact, tol=tol) if checkpoint is not None else ""
    state = load_checkpoint(checkpoint, key) if checkpoint is not None else None
    if state is None:
        state = SearchState(pending=[searcher.root()])
    last_save = [time.monotonic()]

    def save() -> None:
        if checkpoint is not None:
            save_checkpoint(checkpoint, state, key)
            last_save[0] = time.monotonic()

    with progress_bar(progress, desc="cells", unit="cell") as bar:
        bar.update(len(state.cells))

        def on_node(st: SearchState, new: int) -> None:
            bar.update(new)
            bar.set_postfix(lps=searcher.n_lps, pending=len(st.pending))
            if checkpoint is not None and time.monotonic() - last_save[0] > 30:
                save()

        try:
            if workers <= 1 or not state.pending:
                done = searcher.run(state, deadline=deadline, max_cells=max_cells, on_node=on_node)
            else:
                done = _run_parallel(
                    net, domain, tol, seed, searcher, state, deadline, max_cells, workers, on_node
                )
        except KeyboardInterrupt:
            save()
            raise
        partial = list(state.partial)
        state.add_notes(searcher.notes.values())
        if not done or checkpoint is not None:
            save()
    return state, done, partial


def _run_parallel(
    net: ReLUNet,
    domain: Domain,
    tol: float,
    seed: int,
    searcher: Searcher,
    state: SearchState,
    deadline: float | None,
    max_cells: int | None,
    workers: int,
    on_node: Any,
) -> bool:
    """Expand the top of the search serially until there is work for every worker, then farm
    out whole subtrees."""
    done = True
    last_depth = net.n_layers - 2  # nodes at this depth produce final cells
    searcher.deadline = deadline
    try:
        while (
            state.pending
            and len(state.pending) < 2 * workers
            and state.pending[-1].depth < last_depth
        ):
            node = state.pending.pop()
            cells: list[RawCell] = []
            kids: list[Node] = []
            searcher.process(node, cells.append, kids.append, state.thin.append)
            state.cells.extend(cells)
            state.pending.extend(reversed(kids))
            state.n_nodes += 1
            on_node(state, len(cells))
    except SearchInterrupted:
        state.pending.append(node)
        return False
    state.n_lps = searcher.n_lps
    if not state.pending:
        return True
    for node in state.pending:
        # rows and maps are recomputed from the prefix in the workers (smaller messages)
        node.g = node.h = node.p = node.q = node.pe = node.qe = node.ge = node.he = None
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {
            pool.submit(_subtree, net, domain, tol, seed, node, deadline): node
            for node in state.pending
        }
        remaining: list[Node] = []
        while futures:
            finished, _ = wait(futures, return_when=FIRST_COMPLETED)
            for fut in finished:
                futures.pop(fut)
                sub, ok = fut.result()
                state.cells.extend(sub.cells)
                state.thin.extend(sub.thin)
                state.n_lps += sub.n_lps
                state.n_nodes += sub.n_nodes
                state.add_notes(sub.notes)
                remaining.extend(sub.pending)
                done &= ok
                on_node(state, len(sub.cells))
            if max_cells is not None and len(state.cells) >= max_cells:
                for fut in futures:
                    fut.cancel()
                remaining.extend(futures.values())
                done = False
                break
        state.pending = remaining
    searcher.n_lps = state.n_lps
    return done and not state.pending


def _run_split(
    net: ReLUNet,
    domain: Domain,
    *,
    tol: float,
    max_cells: int | None,
    deadline: float | None,
    progress: bool,
) -> tuple[list[RawCell], bool, dict[int, np.ndarray]]:
    from neurogeom.regions.split import split_cells

    cells, complete = split_cells(
        net,
        domain.a,
        domain.b,
        domain.corners(),
        exact=net.exact,
        tol=tol,
        progress=progress,
        max_cells=max_cells,
        deadline=deadline,
    )
    raw, verts = [], {}
    for k, cell in enumerate(cells):
        v = cell.vertices
        # the vertex centroid lies strictly inside a full-dimensional polytope; in exact mode it
        # is the cell's rational interior point (checked like every other one)
        exact_centre = (
            np.array([sum(col, Fraction(0)) / len(col) for col in v.T], dtype=object)
            if v.dtype == object
            else None
        )
        centre = v.mean(axis=0) if exact_centre is None else exact_centre.astype(float)
        raw.append(RawCell(np.asarray(cell.pattern, dtype=bool), centre, 0.0, exact_centre))
        verts[k] = v
    return raw, complete, verts


def _vertices_and_volume(
    cell: CellGeometry, exact: bool, dim: int, given: np.ndarray | None
) -> tuple[Any, Any]:
    from neurogeom.core.polyhedra import order_polygon, polytope_vertices, polytope_volume

    if given is not None:
        verts = given
    else:
        g = cell.rows.g if exact else cell.g
        h = cell.rows.h if exact else cell.h
        verts = polytope_vertices(g, h, interior_point=cell.point, exact=exact)
    # exact mode: the cell's own inequalities give the facets (no float hull)
    h_rep = (cell.rows.g, cell.rows.h) if exact else None
    volume = polytope_volume(verts, exact=exact, inequalities=h_rep)
    if dim == 2:
        verts = order_polygon(verts)
    return verts, volume


def enumerate_regions(
    net: ReLUNet,
    *,
    domain: Any = None,
    exact: bool = False,
    method: Method = "auto",
    tol: float | None = None,
    seed: int = 0,
    max_regions: int | None = None,
    time_limit: float | None = None,
    checkpoint: str | os.PathLike[str] | None = None,
    workers: int = 1,
    volumes: bool | None = None,
    point_connected: bool = True,
    progress: bool = True,
) -> RegionResult:
    """Enumerate the activation cells and linear regions of a ReLU network.

    Parameters
    ----------
    net : ReLUNet
        A ReLU or leaky-ReLU network.
    domain : None, Domain, (lower, upper) or (A, b)
        All of ``R^n`` (default; unbounded cells included), a box, or a polytope ``A x <= b``.
    exact : bool
        Certify every counted cell by a rational interior point satisfying its strict
        inequalities exactly, verify every merge exactly and compare affine maps exactly.
    method : {"auto", "search", "split"}
        ``"search"``: walks with warm-started LPs, any dimension and domain. ``"split"``: vertex
        lists split neuron by neuron, input dimension 2 or 3 on a box. ``"auto"`` takes split
        where it applies. Both give the same counts.
    tol : float, optional
        Relative tolerance of float decisions (default
        :data:`~neurogeom.core.tolerances.DEFAULT_TOL`), multiplied by the domain's scale.
    seed : int
        Seeds the perturbation of start points that fall on a hyperplane.
    max_regions : int, optional
        Stop after this many activation cells; the result is marked incomplete.
    time_limit : float, optional
        Stop the cell search after this many seconds; the result is marked incomplete.
    checkpoint : path, optional
        A file where the search saves its state (every 30 s, on interruption, at the end); an
        existing checkpoint for the same problem is resumed.
    workers : int
        Processes for the search (subtrees below the first layers run in parallel).
    volumes : bool, optional
        Compute volumes (exact in exact mode) and, in 2-D, polygons of bounded cells and regions.
        By default only for input dimension <= 3; ``True`` allows up to dimension 6 (vertex
        enumeration grows quickly with the dimension).
    point_connected : bool
        Also compute the point-connected count (one LP per same-map pair of regions).
    progress : bool
        Show a progress bar on stderr.

    Returns
    -------
    RegionResult

    Raises
    ------
    InvalidInputError
        Bad domain, method or budget.
    UnsupportedLayerError
        For a :class:`~neurogeom.nets.RationalNet`.

    Notes
    -----
    Definitions: see :mod:`neurogeom.regions.result`. Lower-dimensional cells are never counted.
    A neuron whose pre-activation vanishes identically on a cell is inactive there. Cost: the
    search engine solves about one LP per (cell, candidate hyperplane) of each layer, far fewer
    when the foot-of-perpendicular test certifies facets, plus one LP per candidate adjacency.

    References
    ----------
    Lezeau, Walker, Cao, Bhatia, Monod, *Tropical Expressivity of Neural Networks*,
    arXiv 2405.20174; Zhang, Naitzat, Lim, arXiv 1805.07091.

    Examples
    --------
    ``max(x, y) = relu(x - y) + relu(y) - relu(-y)`` has 4 activation cells but 2 linear regions:

    >>> from neurogeom import ReLUNet
    >>> net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])
    >>> res = enumerate_regions(net, exact=True, progress=False)
    >>> res.activation_regions, res.linear_regions, res.bounded_regions
    (4, 2, 0)
    >>> sorted(r.matrix for r in res.regions)
    [((Fraction(0, 1), Fraction(1, 1)),), ((Fraction(1, 1), Fraction(0, 1)),)]

    On a box, with volumes:

    >>> res = enumerate_regions(net, domain=(-1, 1), exact=True, progress=False)
    >>> [r.volume for r in res.regions]
    [Fraction(2, 1), Fraction(2, 1)]
    """
    started = time.monotonic()
    net = _check_net(net)
    tol = check_tol(tol)
    domain = check_domain(domain, net.n_inputs)
    if max_regions is not None and (not isinstance(max_regions, int) or max_regions < 1):
        raise InvalidInputError(f"max_regions must be a positive integer, got {max_regions!r}")
    if time_limit is not None and not (float(time_limit) > 0):
        raise InvalidInputError(
            f"time_limit must be a positive number of seconds, got {time_limit!r}"
        )
    if not isinstance(workers, int) or workers < 1:
        raise InvalidInputError(f"workers must be a positive integer, got {workers!r}")
    work = net.to_exact() if exact else net.to_float()
    chosen = _choose_method(method, work, domain, checkpoint=checkpoint, workers=workers)
    deadline = None if time_limit is None else started + float(time_limit)
    given_vertices: dict[int, np.ndarray] = {}
    thin: list[RawCell] = []
    notes: list[dict[str, Any]] = []
    n_lps = 0
    if work.n_layers == 1:
        searcher = Searcher(work, domain, tol=tol, seed=seed)
        root = searcher.root()
        raw, complete = [RawCell(np.zeros(0, dtype=bool), root.point, root.radius)], True
    elif chosen == "split":
        raw, complete, given_vertices = _run_split(
            work, domain, tol=tol, max_cells=max_regions, deadline=deadline, progress=progress
        )
    else:
        state, complete, partial = _run_search(
            work,
            domain,
            tol=tol,
            seed=seed,
            deadline=deadline,
            max_cells=max_regions,
            checkpoint=checkpoint,
            workers=workers,
            progress=progress,
        )
        raw = state.cells + partial
        thin = state.thin
        notes = state.notes
        n_lps = state.n_lps
    search_seconds = time.monotonic() - started
    return _assemble(
        work,
        domain,
        raw,
        given_vertices,
        thin,
        complete=complete,
        method=chosen,
        tol=tol,
        n_lps=n_lps,
        volumes=volumes,
        point_connected=point_connected,
        progress=progress,
        started=started,
        search_seconds=search_seconds,
        notes=notes,
    )


def _assemble(
    net: ReLUNet,
    domain: Domain,
    raw: list[RawCell],
    given_vertices: dict[int, np.ndarray],
    thin: list[RawCell],
    *,
    complete: bool,
    method: str,
    tol: float,
    n_lps: int,
    volumes: bool | None,
    point_connected: bool,
    progress: bool,
    started: float,
    search_seconds: float,
    notes: tuple[dict[str, Any], ...] | list[dict[str, Any]] = (),
) -> RegionResult:
    exact = net.exact
    scale = problem_scale(net, domain)
    uncertified: list[dict[str, Any]] = [
        {
            "kind": "thin cell",
            "pattern": "".join("1" if b else "0" for b in c.pattern),
            "radius": float(c.radius),
        }
        for c in thin
    ] + [dict(n) for n in notes]
    geoms: list[CellGeometry] = []
    vert_of: list[np.ndarray | None] = []
    for k, cell in enumerate(raw):
        geo = cell_geometry(net, domain, cell.pattern, cell.point, cell.radius, cell.xpoint)
        if exact and not geo.certified:
            uncertified.append(
                {
                    "kind": "interior point not certified",
                    "pattern": "".join("1" if b else "0" for b in cell.pattern),
                }
            )
            continue
        geoms.append(geo)
        vert_of.append(given_vertices.get(k))
    with progress_bar(
        progress and len(geoms) > 200, total=len(geoms), desc="adjacency", unit="cell"
    ) as bar:
        adjacency, lps = facet_adjacency(net, geoms, tol=tol, scale=scale, progress=bar)
    n_lps += lps
    for adj in adjacency:
        if not adj.certified:
            uncertified.append(
                {"kind": "shared facet not certified", "cells": [adj.first, adj.second]}
            )
    regions = merge_regions(geoms, adjacency, tol=tol, scale=scale)
    if point_connected:
        point_groups, lps = point_contacts(geoms, regions, exact=exact, tol=tol, scale=scale)
        n_lps += lps
    else:
        point_groups = [[c for c in r] for r in regions]
    # geometry of each cell
    dim = net.n_inputs
    bounded = [cell_bounded(g, domain) for g in geoms]
    vols: list[Any] = [None] * len(geoms)
    verts: list[Any] = [None] * len(geoms)
    if (volumes is None and dim <= 3) or (volumes and dim <= 6):
        for i, geo in enumerate(geoms):
            if bounded[i]:
                try:
                    verts[i], vols[i] = _vertices_and_volume(geo, exact, dim, vert_of[i])
                except (NumericalError, InvalidInputError) as exc:  # float mode, thin cell
                    uncertified.append(
                        {"kind": "volume not computed", "cell": i, "reason": str(exc)}
                    )
    region_of = {c: r for r, cells in enumerate(regions) for c in cells}
    point_index = {}
    for p, cells in enumerate(point_groups):
        for c in cells:
            point_index[region_of[c]] = p
    neighbours: dict[int, set[int]] = {i: set() for i in range(len(geoms))}
    facets: dict[int, set[int]] = {i: set() for i in range(len(geoms))}
    for adj in adjacency:
        if adj.certified:
            neighbours[adj.first].add(adj.second)
            neighbours[adj.second].add(adj.first)
            facets[adj.first].update(adj.neurons)
            facets[adj.second].update(adj.neurons)

    def tup(a: np.ndarray) -> tuple:
        if a.ndim == 1:
            return tuple(a.tolist()) if a.dtype != object else tuple(a)
        return tuple(tup(row) for row in a)

    cells_out = []
    for i, geo in enumerate(geoms):
        point = geo.exact_point if exact else geo.point
        cells_out.append(
            Cell(
                index=i,
                pattern=tuple(bool(b) for b in geo.pattern),
                point=tup(np.asarray(point)),
                radius=float(geo.radius),
                matrix=tup(geo.map_matrix),
                offset=tup(geo.map_offset),
                facets=tuple(sorted(facets[i])),
                neighbours=tuple(sorted(neighbours[i])),
                region=region_of[i],
                bounded=bounded[i],
                volume=vols[i],
                vertices=tup(np.asarray(verts[i])) if (verts[i] is not None and dim == 2) else None,
                certified=geo.certified,
            )
        )
    regions_out = []
    for r, cells in enumerate(regions):
        rb = all(bounded[c] for c in cells)
        vol = None
        if rb and all(vols[c] is not None for c in cells):
            vol = sum((vols[c] for c in cells), Fraction(0) if exact else 0.0)
        first = geoms[cells[0]]
        regions_out.append(
            LinearRegion(
                r,
                tuple(cells),
                tup(first.map_matrix),
                tup(first.map_offset),
                rb,
                vol,
                point_index[r],
            )
        )
    point_regions = tuple(tuple(sorted({region_of[c] for c in cells})) for cells in point_groups)
    stats = {
        "lps": n_lps,
        "cells_seconds": round(search_seconds, 6),
        "seconds": round(time.monotonic() - started, 6),
    }
    return RegionResult(
        domain=domain,
        exact=exact,
        method=method,
        n_inputs=net.n_inputs,
        n_outputs=net.n_outputs,
        cells=tuple(cells_out),
        regions=tuple(regions_out),
        point_regions=point_regions,
        adjacency=tuple((a.first, a.second) for a in adjacency if a.certified),
        complete=complete,
        uncertified=tuple(uncertified),
        stats=stats,
        net=net,
    )


def count_regions(net: ReLUNet, kind: Kind = "linear", **options: Any) -> int:
    """One count of :func:`enumerate_regions`, naming the definition it uses.

    Parameters
    ----------
    net : ReLUNet
    kind : {"activation", "linear", "linear_point", "bounded"}
        Activation cells, facet-connected linear regions, point-connected linear regions, or
        bounded facet-connected linear regions.
    **options
        Passed to :func:`enumerate_regions` (``domain``, ``exact``, ...).

    Examples
    --------
    ``relu(2x) + relu(3y) - relu(2x + 3y)``: the zero map holds on two opposite sectors that
    touch only at the origin.

    >>> from neurogeom import ReLUNet
    >>> net = ReLUNet([[[2, 0], [0, 3], [2, 3]], [[1, 1, -1]]])
    >>> [count_regions(net, k, exact=True, progress=False) for k in ("activation", "linear",
    ...                                                               "linear_point")]
    [6, 6, 5]
    """
    keys = {
        "activation": "activation_regions",
        "linear": "linear_regions",
        "linear_point": "linear_regions_point_connected",
        "bounded": "bounded_regions",
    }
    if kind not in keys:
        raise InvalidInputError(f"kind must be one of {sorted(keys)}, got {kind!r}")
    options.setdefault("progress", False)
    if kind != "linear_point":
        options.setdefault("point_connected", False)
    if kind != "bounded":
        options.setdefault("volumes", False)
    return enumerate_regions(net, **options).counts()[keys[kind]]
