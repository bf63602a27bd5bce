"""After the cells are found: the named steps that turn them into a :class:`RegionResult`.

1. :func:`certify` — each cell's geometry and (exact mode) a certified rational interior point;
2. adjacency (:func:`~._adjacency.facet_adjacency`) — the facet-adjacency graph;
3. merging (:func:`~._adjacency.merge_regions`) — facet-connected linear regions;
4. point contacts (:func:`~._adjacency.point_contacts`) — point-connected linear regions;
5. :func:`measure` — boundedness, vertices and volumes (exact in exact mode);
6. :func:`build_result` — the frozen result.

Every step shows progress with a total and honours the budget: when the deadline passes it stops
and the phase is listed in ``stats.incomplete_phases``.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from neurogeom.core.arrays import distinct
from neurogeom.core.budget import Budget
from neurogeom.core.errors import InvalidInputError, NumericalError
from neurogeom.core.lp import LPCounts
from neurogeom.core.polyhedra import order_polygon, polytope_vertices, polytope_volume
from neurogeom.core.progress import progress_bar
from neurogeom.regions._adjacency import (
    Adjacency,
    AdjacencySearch,
    CellWork,
    SimplexNeeded,
    bounded_cells,
    certify_cell,
    contact_regions,
    facet_adjacency,
    map_stack,
    merge_regions,
    point_contacts,
    ray_directions,
)
from neurogeom.regions._engine import EngineRun, RegionProblem
from neurogeom.regions.result import Cell, LinearRegion, Note, RegionResult, RegionStats

__all__ = ["Pipeline", "run_pipeline"]

#: Above this many items a phase draws a progress bar.
_BAR_FROM = 200


@dataclass(slots=True)
class Pipeline:
    """The pipeline's working record: phase timings, completeness and notes."""

    problem: RegionProblem
    budget: Budget
    progress: bool
    phases: list[tuple[str, float]] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    notes: dict[tuple[Any, ...], Note] = field(default_factory=dict)
    _started: float = field(default_factory=time.monotonic)

    def note(self, notes: Any) -> None:
        """Record notes, each once."""
        for n in notes:
            self.notes.setdefault(n.key(), n)

    def phase(self, name: str, seconds: float, complete: bool = True) -> None:
        """Record a finished (or cut short) phase."""
        self.phases.append((name, seconds))
        if not complete:
            self.incomplete.append(name)

    def bar(self, total: int, desc: str, unit: str = "cell") -> Any:
        """A progress bar with a total (shown for long phases only)."""
        return progress_bar(self.progress and total > _BAR_FROM, total=total, desc=desc, unit=unit)


def certify(pipe: Pipeline, run: EngineRun) -> list[CellWork]:
    """Geometry of every found cell; in exact mode cells without an exact interior point are
    dropped with a note.

    The step finishes even past the deadline: it costs one cell geometry per cell found (and in
    exact mode one exact check of a rounded point), and stopping it would throw away the cells
    the search paid for (a time-limited run would report none). Only the exact simplex, needed
    for cells too thin for a rounded point, is skipped past the deadline: such a cell is left out
    with a note and the phase is marked incomplete."""
    started = time.monotonic()
    out: list[CellWork] = []
    complete = True
    with pipe.bar(len(run.cells), "certify") as bar:
        for found in run.cells:
            try:
                work = certify_cell(pipe.problem, found, simplex=not pipe.budget.expired())
            except SimplexNeeded:
                complete = False
                pipe.note(
                    [
                        Note(
                            "interior point not certified",
                            "a cell too thin for a rounded interior point was left out: the "
                            "time limit passed before the exact simplex could certify it",
                            (found.key,),
                        )
                    ]
                )
                continue
            if work is None:
                pipe.note(
                    [
                        Note(
                            "interior point not certified",
                            "a cell found in floating point has no exact interior point; it "
                            "was not counted",
                            (found.key,),
                        )
                    ]
                )
            else:
                out.append(work)
            bar.update()
    pipe.phase("certify", time.monotonic() - started, complete)
    return out


@dataclass(frozen=True, slots=True)
class Measures:
    """Per-cell boundedness, vertices (2-D, ordered) and volumes."""

    bounded: tuple[bool, ...]
    volumes: tuple[Any, ...]
    vertices: tuple[Any, ...]


def measure(pipe: Pipeline, cells: list[CellWork], volumes: bool) -> Measures:
    """Boundedness of every cell; with ``volumes``, the volume (and 2-D polygon) of bounded ones."""
    started = time.monotonic()
    problem = pipe.problem
    dim = problem.net.n_inputs
    rays = ray_directions(problem)
    bounded = bounded_cells(problem, cells, rays)
    vols: list[Any] = [None] * len(cells)
    verts: list[Any] = [None] * len(cells)
    complete = True
    if not volumes:  # what the engine measured for free is kept
        vols = [c.volume for c in cells]
        verts = [c.vertices if c.volume is not None else None for c in cells]
    else:
        with pipe.bar(sum(bounded), "volumes") as bar:
            for i, cell in enumerate(cells):
                if not bounded[i]:
                    continue
                if pipe.budget.expired():
                    complete = False
                    break
                try:
                    verts[i], vols[i] = _vertices_and_volume(problem, cell, dim)
                except (NumericalError, InvalidInputError) as exc:  # float mode, thin cell
                    pipe.note(
                        [Note("volume not computed", f"volume not computed: {exc}", (cell.key,))]
                    )
                bar.update()
    pipe.phase("volumes", time.monotonic() - started, complete)
    return Measures(tuple(bounded), tuple(vols), tuple(verts))


def _vertices_and_volume(problem: RegionProblem, cell: CellWork, dim: int) -> tuple[Any, Any]:
    exact = problem.exact
    if cell.vertices is not None and cell.volume is not None:
        return cell.vertices, cell.volume  # the engine measured it (ordered in 2-D)
    if cell.vertices is not None:
        verts = cell.vertices
    else:
        rows = cell.geometry.halfspaces
        g, h = (rows.a, rows.b) if exact else (cell.g, cell.h)
        verts = polytope_vertices(g, h, interior_point=cell.point, exact=exact)
    # exact mode: the cell's own inequalities give the facets (no float hull)
    h_rep = (cell.geometry.halfspaces.a, cell.geometry.halfspaces.b) if exact else None
    volume = polytope_volume(verts, exact=exact, inequalities=h_rep)
    if dim == 2:
        verts = order_polygon(verts)
    return verts, volume


def _tup(a: Any) -> tuple[Any, ...]:
    """A 1-D or 2-D array as (nested) tuples of Python values (exact values stay Fractions).

    Examples
    --------
    >>> _tup(np.array([[1.5, 2.0]])), _tup(np.array([Fraction(1, 3)], dtype=object))
    (((1.5, 2.0),), (Fraction(1, 3),))
    """
    a = np.asarray(a)
    values = a.tolist()
    return tuple(values) if a.ndim == 1 else tuple(map(tuple, values))


class _RowsOf:
    """The cells' patterns, points and output maps stacked in arrays, handed out per cell as
    tuples of Python values (exact values stay Fractions). Each row is converted in C by
    ``tolist``; the stacks are arrays, not nested lists, so the peak memory stays low."""

    def __init__(self, cells: list[CellWork], exact: bool, net: Any) -> None:
        n = len(cells)
        kind = object if exact else np.float64
        self.patterns = np.array([c.pattern for c in cells], dtype=bool).reshape(n, net.n_hidden)
        points = [c.exact_point if exact else c.point for c in cells]
        self.points = np.array(points, dtype=kind).reshape(n, net.n_inputs)
        shape = (n, net.n_outputs, net.n_inputs)
        self.matrices = np.array([c.output.matrix for c in cells], dtype=kind).reshape(shape)
        offsets = [c.output.offset for c in cells]
        self.offsets = np.array(offsets, dtype=kind).reshape(n, net.n_outputs)

    def pattern(self, i: int) -> tuple[bool, ...]:
        """Cell ``i``'s pattern."""
        return tuple(self.patterns[i].tolist())

    def point(self, i: int) -> tuple[Any, ...]:
        """Cell ``i``'s interior point."""
        return tuple(self.points[i].tolist())

    def matrix(self, i: int) -> tuple[tuple[Any, ...], ...]:
        """Cell ``i``'s output matrix."""
        return tuple(map(tuple, self.matrices[i].tolist()))

    def offset(self, i: int) -> tuple[Any, ...]:
        """Cell ``i``'s output offset."""
        return tuple(self.offsets[i].tolist())


def _rows_of_pairs(n: int, rows: np.ndarray, cols: np.ndarray) -> list[tuple[int, ...]]:
    """For each row ``0 <= i < n``, the sorted distinct ``cols`` paired with it in ``rows``.

    Examples
    --------
    >>> _rows_of_pairs(3, np.array([2, 0, 2, 2]), np.array([5, 1, 4, 5]))
    [(1,), (), (4, 5)]
    """
    width = int(cols.max()) + 1 if len(cols) else 1
    keys = distinct(rows * width + cols)
    values = (keys % width).tolist()
    bounds = np.searchsorted(keys // width, np.arange(n + 1)).tolist()
    return [tuple(values[a:b]) for a, b in itertools.pairwise(bounds)]


def build_result(
    pipe: Pipeline,
    method: str,
    run: EngineRun,
    cells: list[CellWork],
    adjacency: tuple[Any, ...],
    regions: tuple[tuple[int, ...], ...],
    point_groups: tuple[tuple[int, ...], ...] | None,
    measures: Measures,
    lps: LPCounts,
) -> RegionResult:
    """Assemble the frozen result."""
    problem = pipe.problem
    exact = problem.exact
    dim = problem.net.n_inputs
    region_of = {c: r for r, members in enumerate(regions) for c in members}
    point_of = {r: p for p, members in enumerate(point_groups or ()) for r in members}
    first = np.fromiter((a.first for a in adjacency), dtype=np.int64, count=len(adjacency))
    second = np.fromiter((a.second for a in adjacency), dtype=np.int64, count=len(adjacency))
    sizes = np.fromiter((len(a.neurons) for a in adjacency), dtype=np.int64, count=len(adjacency))
    flat = np.fromiter(itertools.chain.from_iterable(a.neurons for a in adjacency), dtype=np.int64)
    neighbours = _rows_of_pairs(
        len(cells), np.concatenate([first, second]), np.concatenate([second, first])
    )
    facets = _rows_of_pairs(
        len(cells),
        np.concatenate([np.repeat(first, sizes), np.repeat(second, sizes)]),
        np.concatenate([flat, flat]),
    )
    # per-cell arrays stacked once, each row turned into Python values in C (a Python loop of
    # small conversions per cell cost as much as finding the cells in 2-D)
    rows = _RowsOf(cells, exact, problem.net)
    cells_out = []
    for i, cell in enumerate(cells):
        cells_out.append(
            Cell(
                index=i,
                pattern=rows.pattern(i),
                point=rows.point(i),
                radius=float(cell.radius),
                matrix=rows.matrix(i),
                offset=rows.offset(i),
                facets=facets[i],
                neighbours=neighbours[i],
                region=region_of[i],
                bounded=measures.bounded[i],
                volume=measures.volumes[i],
                vertices=_tup(measures.vertices[i])
                if (measures.vertices[i] is not None and dim == 2)
                else None,
            )
        )
    regions_out = []
    for r, members in enumerate(regions):
        rb = all(measures.bounded[c] for c in members)
        vol = None
        if rb and all(measures.volumes[c] is not None for c in members):
            vol = sum((measures.volumes[c] for c in members), Fraction(0) if exact else 0.0)
        out = cells[members[0]].output
        regions_out.append(
            LinearRegion(
                r, tuple(members), _tup(out.matrix), _tup(out.offset), rb, vol, point_of.get(r)
            )
        )
    notes = {**{n.key(): n for n in run.notes}, **pipe.notes}
    stats = RegionStats(
        lps=lps + run.lps,
        nodes=run.nodes,
        phases=tuple(pipe.phases),
        incomplete_phases=tuple(pipe.incomplete),
        seconds=time.monotonic() - pipe._started,
        cells=len(cells_out),
        facets=sum(len(c.facets) for c in cells_out),
    )
    return RegionResult(
        net=problem.net,
        domain=problem.domain,
        exact=exact,
        method=method,
        cells=tuple(cells_out),
        regions=tuple(regions_out),
        point_regions=point_groups,
        adjacency=tuple((a.first, a.second) for a in adjacency),
        complete=run.complete and not pipe.incomplete,
        uncertified=tuple(notes.values()),
        stats=stats,
    )


#: Facet pairs handled per block by :func:`_facet_neurons` (bounds its boolean work arrays).
_FACET_BLOCK = 16384


def _facet_neurons(patterns: np.ndarray, pairs: np.ndarray, slices: Any) -> list[tuple[int, ...]]:
    """For each pair of facet-adjacent cells, the neurons of the hyperplane they share: those of
    the first hidden layer where their patterns differ, that differ there (coincident neurons
    flip together).

    Examples
    --------
    >>> pats = np.array([[0, 0, 1], [1, 1, 1], [0, 0, 0]], dtype=bool)
    >>> _facet_neurons(pats, np.array([[0, 1], [0, 2]]), [slice(0, 2), slice(2, 3)])
    [(0, 1), (2,)]
    """
    out: list[tuple[int, ...]] = []
    for start in range(0, len(pairs), _FACET_BLOCK):
        block = pairs[start : start + _FACET_BLOCK]
        differ = patterns[block[:, 0]] != patterns[block[:, 1]]
        keep = np.zeros_like(differ)
        undecided = np.ones(len(block), dtype=bool)
        for sl in slices:
            here = undecided & differ[:, sl].any(axis=1)
            keep[here, sl] = differ[here, sl]
            undecided &= ~here
        rows, cols = np.nonzero(keep)
        bounds = np.searchsorted(rows, np.arange(len(block) + 1))
        cols_list = cols.tolist()
        out.extend(tuple(cols_list[a:b]) for a, b in itertools.pairwise(bounds.tolist()))
    return out


def run_pipeline(
    pipe: Pipeline,
    method: str,
    run: EngineRun,
    *,
    volumes: bool,
    point_connected: bool,
    lps_before: LPCounts,
) -> RegionResult:
    """The steps after the cell search, in order."""
    from neurogeom.core.lp import lp_counts

    problem = pipe.problem
    cells = certify(pipe, run)
    known = run.contacts if len(cells) == len(run.cells) else None  # indices still match
    slices = problem.net.hidden_slices

    started = time.monotonic()
    if known is not None:
        patterns = np.array([c.pattern for c in cells], dtype=bool).reshape(
            len(cells), -1 if cells else problem.net.n_hidden
        )
        neurons = _facet_neurons(patterns, np.asarray(known.facets).reshape(-1, 2), slices)
        adjacency = AdjacencySearch(
            tuple(
                Adjacency(i, j, hyperplane, None, True)
                for (i, j), hyperplane in zip(known.facets.tolist(), neurons, strict=True)
            ),
            True,
            (),
        )
    else:
        with pipe.bar(len(cells), "adjacency") as bar:
            adjacency = facet_adjacency(problem, cells, budget=pipe.budget, progress=bar)
    pipe.note(adjacency.notes)
    pipe.phase("adjacency", time.monotonic() - started, adjacency.complete)

    started = time.monotonic()
    maps = map_stack(cells)
    merged = merge_regions(problem, cells, adjacency.pairs, maps)
    pipe.note(merged.notes)
    pipe.phase("merge", time.monotonic() - started)

    started = time.monotonic()
    if point_connected:
        if known is not None:
            touching = np.concatenate([known.facets, known.points]).reshape(-1, 2)
            contacts = contact_regions(problem, cells, merged.groups, touching, maps)
        else:
            with pipe.bar(len(merged.groups), "point contacts", "region") as bar:
                contacts = point_contacts(
                    problem, cells, merged.groups, budget=pipe.budget, progress=bar
                )
        pipe.note(contacts.notes)
        point_groups = contacts.groups
        pipe.phase("point contacts", time.monotonic() - started, contacts.complete)
    else:
        point_groups = None

    measures = measure(pipe, cells, volumes)
    return build_result(
        pipe,
        method,
        run,
        cells,
        adjacency.pairs,
        merged.groups,
        point_groups,
        measures,
        lp_counts() - lps_before,
    )
