"""After the cells are found: the named steps that turn them into a :class:`RegionResult`.

1. :func:`certify` — each cell's output map and (exact mode) a certified rational interior point;
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

from neurogeom.core.arrays import Ragged
from neurogeom.core.budget import Budget
from neurogeom.core.errors import InvalidInputError, NumericalError
from neurogeom.core.lp import LPCounts
from neurogeom.core.polyhedra import order_polygon, polytope_vertices, polytope_volume
from neurogeom.core.progress import progress_bar
from neurogeom.core.rationals import fractions_from_fmpq
from neurogeom.nets.geometry import AffineMap, ExactGeometries, stacked_forms
from neurogeom.regions._adjacency import (
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
from neurogeom.regions._engine import EngineRun, FoundCell, RegionProblem
from neurogeom.regions.result import (
    CellTable,
    Note,
    PairTable,
    RegionResult,
    RegionStats,
    RegionTable,
)

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


#: Cells whose maps :func:`_composed_outputs` composes in one batch (bounds its work arrays).
_MAP_BLOCK = 4096


def _composed_outputs(problem: RegionProblem, cells: tuple[FoundCell, ...]) -> list[Any]:
    """Float mode: the output map of every cell its engine gave none (``None`` elsewhere, and
    everywhere in exact mode), composed for many cells at once."""
    outputs: list[Any] = [None] * len(cells)
    if problem.exact:
        return outputs
    todo = [k for k, found in enumerate(cells) if found.output is None]
    n = problem.net.n_inputs
    for start in range(0, len(todo), _MAP_BLOCK):
        block = todo[start : start + _MAP_BLOCK]
        _, maps = stacked_forms(problem.net, np.array([cells[k].pattern for k in block]))
        for k, m in zip(block, maps, strict=True):
            outputs[k] = AffineMap(m[:, :n], m[:, n])
    return outputs


def certify(pipe: Pipeline, run: EngineRun) -> list[CellWork]:
    """The working data of every found cell; in exact mode cells without an exact interior point
    are dropped with a note. Float maps the engine did not report are composed for many cells
    at once; a cell's geometry is built only when a later step asks for it.

    The step finishes even past the deadline: it costs at most one cell geometry per cell found
    (and in exact mode one exact check of a rounded point), and stopping it would throw away the
    cells the search paid for (a time-limited run would report none). Only the exact simplex,
    needed for cells too thin for a rounded point, is skipped past the deadline: such a cell is
    left out with a note and the phase is marked incomplete."""
    started = time.monotonic()
    out: list[CellWork] = []
    complete = True
    outputs = _composed_outputs(pipe.problem, run.cells)
    problem = pipe.problem
    geometries = ExactGeometries(problem.net, problem.domain) if problem.exact else None
    with pipe.bar(len(run.cells), "certify") as bar:
        for found, output in zip(run.cells, outputs, strict=True):
            try:
                work = certify_cell(
                    problem,
                    found,
                    simplex=not pipe.budget.expired(),
                    output=output,
                    geometries=geometries,
                )
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
        # exact vertices may come as python-flint fmpq (the split engine's)
        verts = fractions_from_fmpq(cell.vertices) if exact else cell.vertices
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


def build_result(
    pipe: Pipeline,
    method: str,
    run: EngineRun,
    cells: list[CellWork],
    adjacency: AdjacencySearch,
    regions: tuple[tuple[int, ...], ...],
    point_groups: tuple[tuple[int, ...], ...] | None,
    measures: Measures,
    lps: LPCounts,
) -> RegionResult:
    """Assemble the frozen result: the cells, regions and pairs as column tables (a cell or
    region becomes an object only when it is read)."""
    problem = pipe.problem
    net = problem.net
    exact = problem.exact
    n = len(cells)
    kind = object if exact else np.float64
    first, second = adjacency.pairs[:, 0], adjacency.pairs[:, 1]
    sizes = adjacency.neurons.lengths
    flat = adjacency.neurons.values
    facets = Ragged.of_pairs(
        n,
        np.concatenate([np.repeat(first, sizes), np.repeat(second, sizes)]),
        np.concatenate([flat, flat]),
    )
    region_of = np.empty(n, dtype=np.int64)
    for r, members in enumerate(regions):
        region_of[list(members)] = r
    points = [c.exact_point if exact else c.point for c in cells]
    matrices = np.array([c.output.matrix for c in cells], dtype=kind)
    offsets = np.array([c.output.offset for c in cells], dtype=kind)
    matrices = matrices.reshape(n, net.n_outputs, net.n_inputs)
    offsets = offsets.reshape(n, net.n_outputs)
    plane = net.n_inputs == 2
    table = CellTable(
        patterns=np.array([c.pattern for c in cells], dtype=bool).reshape(n, net.n_hidden),
        points=np.array(points, dtype=kind).reshape(n, net.n_inputs),
        radii=np.array([c.radius for c in cells], dtype=np.float64),
        matrices=matrices,
        offsets=offsets,
        facets=facets,
        neighbours=Ragged.of_pairs(
            n, np.concatenate([first, second]), np.concatenate([second, first])
        ),
        regions=region_of,
        bounded=np.array(measures.bounded, dtype=bool).reshape(n),
        volumes=measures.volumes,
        vertices=tuple(_tup(v) if (v is not None and plane) else None for v in measures.vertices),
    )
    region_bounded = [all(measures.bounded[c] for c in members) for members in regions]
    region_volumes = tuple(
        sum((measures.volumes[c] for c in members), Fraction(0) if exact else 0.0)
        if rb and all(measures.volumes[c] is not None for c in members)
        else None
        for members, rb in zip(regions, region_bounded, strict=True)
    )
    firsts = np.array([members[0] for members in regions], dtype=np.int64)
    point_of = np.full(len(regions), -1, dtype=np.int64)
    for p, members in enumerate(point_groups or ()):
        point_of[list(members)] = p
    region_table = RegionTable(
        members=Ragged.of_lengths(
            np.array([len(m) for m in regions], dtype=np.int64),
            np.fromiter(itertools.chain.from_iterable(regions), dtype=np.int64),
        ),
        matrices=matrices[firsts],
        offsets=offsets[firsts],
        bounded=np.array(region_bounded, dtype=bool),
        volumes=region_volumes,
        point_regions=point_of,
    )
    notes = {**{note.key(): note for note in run.notes}, **pipe.notes}
    stats = RegionStats(
        lps=lps + run.lps,
        nodes=run.nodes,
        phases=tuple(pipe.phases),
        incomplete_phases=tuple(pipe.incomplete),
        seconds=time.monotonic() - pipe._started,
        cells=n,
        facets=len(facets.values),
    )
    return RegionResult(
        net=net,
        domain=problem.domain,
        exact=exact,
        method=method,
        cells=table,
        regions=region_table,
        point_regions=point_groups,
        adjacency=PairTable(adjacency.pairs),
        complete=run.complete and not pipe.incomplete,
        uncertified=tuple(notes.values()),
        stats=stats,
    )


#: Facet pairs handled per block by :func:`_facet_neurons` (bounds its boolean work arrays).
_FACET_BLOCK = 16384


def _facet_neurons(patterns: np.ndarray, pairs: np.ndarray, slices: Any) -> Ragged:
    """For each pair of facet-adjacent cells, the neurons of the hyperplane they share: those of
    the first hidden layer where their patterns differ, that differ there (coincident neurons
    flip together).

    Examples
    --------
    >>> pats = np.array([[0, 0, 1], [1, 1, 1], [0, 0, 0]], dtype=bool)
    >>> _facet_neurons(pats, np.array([[0, 1], [0, 2]]), [slice(0, 2), slice(2, 3)]).rows()
    [(0, 1), (2,)]
    """
    lengths: list[np.ndarray] = []
    values: list[np.ndarray] = []
    for start in range(0, len(pairs), _FACET_BLOCK):
        block = pairs[start : start + _FACET_BLOCK]
        differ = patterns[block[:, 0]] != patterns[block[:, 1]]
        keep = np.zeros_like(differ)
        undecided = np.ones(len(block), dtype=bool)
        for sl in slices:
            here = undecided & differ[:, sl].any(axis=1)
            keep[here, sl] = differ[here, sl]
            undecided &= ~here
        lengths.append(keep.sum(axis=1))
        values.append(np.nonzero(keep)[1])
    return Ragged.of_lengths(
        np.concatenate([np.zeros(0, dtype=np.int64), *lengths]),
        np.concatenate([np.zeros(0, dtype=np.int64), *values]),
    )


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
        pairs = np.asarray(known.facets, dtype=np.int64).reshape(-1, 2)
        adjacency = AdjacencySearch(pairs, _facet_neurons(patterns, pairs, slices), True, ())
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
        adjacency,
        merged.groups,
        point_groups,
        measures,
        lp_counts() - lps_before,
    )
