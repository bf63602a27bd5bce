"""From activation cells to linear regions: certified cells, facet adjacency, merging, contacts.

Engine-agnostic: it takes the cells an engine found (pattern + interior point) and returns the
cells' geometry, the facet-adjacency graph, and the two kinds of linear regions.

*Facet adjacency.* If cells ``C`` and ``D`` share an ``(n-1)``-dimensional face, let ``l`` be the
first hidden layer where their patterns differ. Both see the same layer-``l`` hyperplanes, and
every neuron that differs must vanish on the shared face, so the differing neurons are exactly one
group of coincident layer-``l`` hyperplanes. Candidates are therefore found by hashing pattern
prefixes with one group flipped; each candidate pair is confirmed by the foot of the
perpendicular from an interior point, or else by an LP that finds a point of the common face at
positive distance from every other inequality of both cells.

*Point contact.* Same-map regions that touch anywhere (possibly at a single point) are joined for
the point-connected count, by an LP on the union of both cells' closed inequalities.

In exact mode every point used (cell interior points, points of shared faces, contact points) is
a rational point checked exactly against the exact inequalities. In float mode a decision whose
margin falls inside the tolerance band is made and reported as a :class:`Note`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from neurogeom.core.arrays import Ragged, blocks, component_labels
from neurogeom.core.budget import Budget
from neurogeom.core.exact_lp import exact_interior_point, exact_maximize
from neurogeom.core.lp import (
    LPModel,
    exact_stiemke,
    is_bounded,
    recession_direction,
    stiemke_multipliers,
)
from neurogeom.core.rationals import (
    exact_matmul,
    exact_rank,
    exact_solve,
    floats_to_fractions,
    fmpq_to_fraction,
    to_fmpq_mat,
)
from neurogeom.core.tolerances import normalize_rows
from neurogeom.core.unionfind import UnionFind
from neurogeom.nets.geometry import (
    AffineMap,
    CellGeometry,
    ExactGeometries,
    Halfspaces,
    cell_geometry,
    cell_halfspaces,
    form_scales,
    group_exact_rows,
    group_hyperplanes,
    pattern_string,
    stacked_forms,
)
from neurogeom.regions._engine import BoundedWitness, FacetHints, FoundCell, RegionProblem
from neurogeom.regions.result import Note

__all__ = [
    "CellWork",
    "SimplexNeeded",
    "bounded_cells",
    "certify_cell",
    "facet_adjacency",
    "merge_regions",
    "point_contacts",
]


def constant_rows(
    problem: RegionProblem, rows: Halfspaces, pattern: np.ndarray, depth: int | None = None
) -> np.ndarray:
    """Float mode: the float rows of neurons whose normal is zero within the tolerance, relative
    to the terms that cancelled in it (:func:`~neurogeom.nets.geometry.form_scales`), as the
    search engine decides zero forms. Such a neuron is constant on the cell: its row bounds
    nothing within any scale the tolerance resolves (a float composition can leave a normal of
    rounding noise where the exact one is zero, and with it a far-away wall). No row in exact
    mode, where zero rows are exact and already gone."""
    if problem.exact or not len(rows):
        return np.zeros(len(rows), dtype=bool)
    scales = form_scales(problem.net, pattern, depth=depth)
    hidden = rows.neuron >= 0
    out = np.zeros(len(rows), dtype=bool)
    norms = np.linalg.norm(rows.a[hidden], axis=1)
    out[hidden] = problem.tol.is_zero(norms, scales[rows.neuron[hidden]])
    return out


class CellWork:
    """A counted cell with the working data of the pipeline (private, computed when needed).

    ``output`` is the network's local map on the cell. ``geometry`` (exact in exact mode) and
    the float rows ``g, h`` with unit normals, with ``row_of[j]`` the row of hidden neuron ``j``
    (``-1`` when it has none), are built on first use: engines that report maps and contacts
    (the planar engine) never need them.
    """

    __slots__ = (
        "_geometry",
        "_problem",
        "_rows",
        "bounded",
        "exact_point",
        "facets",
        "output",
        "pattern",
        "point",
        "radius",
        "recession",
        "vertices",
        "volume",
    )

    def __init__(
        self,
        problem: RegionProblem,
        pattern: np.ndarray,
        point: np.ndarray,
        exact_point: np.ndarray | None,
        radius: float,
        *,
        geometry: CellGeometry | None = None,
        output: AffineMap | None = None,
        vertices: np.ndarray | None = None,
        volume: Any = None,
        facets: FacetHints | None = None,
        bounded: BoundedWitness | None = None,
        recession: np.ndarray | None = None,
    ) -> None:
        self._problem = problem
        self.facets = facets
        # the engine's float evidence of boundedness or unboundedness, checked in exact mode
        self.bounded = bounded
        self.recession = recession
        self.pattern = pattern
        self.point = point
        self.exact_point = exact_point
        self.radius = radius
        self._geometry = geometry
        self._rows: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.output = output if output is not None else self.geometry.output
        self.vertices = vertices
        self.volume = volume

    @property
    def key(self) -> str:
        """The pattern as a bit string."""
        return pattern_string(self.pattern)

    @property
    def geometry(self) -> CellGeometry:
        """Inequalities, forms and output map of the cell (exact in exact mode)."""
        if self._geometry is None:
            self._geometry = cell_geometry(
                self._problem.net, self.pattern, domain=self._problem.domain
            )
        return self._geometry

    def _unit_rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._rows is None:
            rows = self.geometry.halfspaces
            unit = rows.to_float()
            keep = ~constant_rows(self._problem, unit, self.pattern)
            a, b, neuron = unit.a[keep], unit.b[keep], unit.neuron[keep]
            norms = np.linalg.norm(a, axis=1)
            norms[norms == 0] = 1.0
            row_of = np.full(self._problem.net.n_hidden, -1, dtype=np.int64)
            hidden = neuron >= 0
            row_of[neuron[hidden]] = np.flatnonzero(hidden)
            self._rows = (a / norms[:, None], b / norms, row_of)
        return self._rows

    @property
    def g(self) -> np.ndarray:
        """Float rows with unit normals."""
        return self._unit_rows()[0]

    @property
    def h(self) -> np.ndarray:
        """Right-hand sides of :attr:`g`."""
        return self._unit_rows()[1]

    @property
    def row_of(self) -> np.ndarray:
        """Row of each hidden neuron in :attr:`g` (``-1`` for none)."""
        return self._unit_rows()[2]

    def rows_without(self, neurons: np.ndarray) -> np.ndarray:
        """Mask of the rows that do not belong to the given neurons."""
        keep = np.ones(len(self.h), dtype=bool)
        rows = self.row_of[neurons]
        keep[rows[rows >= 0]] = False
        return keep


class SimplexNeeded(Exception):
    """Raised by :func:`certify_cell` when only the exact simplex could certify the cell and it
    was not allowed (past the deadline)."""


def certify_cell(
    problem: RegionProblem,
    found: FoundCell,
    *,
    simplex: bool = True,
    output: AffineMap | None = None,
    geometries: ExactGeometries | None = None,
) -> CellWork | None:
    """The cell's working data and, in exact mode, a certified rational interior point.

    A cell whose map is known (reported by its engine, or given as ``output``) and, in exact
    mode, that comes with an exact interior point its engine constructed (the vertex centroid
    of exact vertices) needs nothing more: its geometry is built only if a later step asks.
    Otherwise the float point is rounded to a rational and checked against the exact
    inequalities, and as a last resort the exact simplex finds one (unless ``simplex`` is False:
    then :class:`SimplexNeeded` is raised). ``None`` when no exact interior point exists (the
    cell is not full-dimensional after all). ``geometries`` (exact mode) builds the geometry,
    sharing work and memory between consecutive cells of one search node.
    """
    output = found.output if found.output is not None else output
    if output is not None and (not problem.exact or found.exact_point is not None):
        return CellWork(
            problem,
            found.pattern,
            found.point,
            found.exact_point,
            found.radius,
            output=output,
            vertices=found.vertices,
            volume=found.volume,
            facets=found.facets,
            bounded=found.bounded,
            recession=found.recession,
        )
    if geometries is not None:
        geo = geometries(found.pattern)
    else:
        geo = cell_geometry(problem.net, found.pattern, domain=problem.domain)
    rows = geo.halfspaces
    point, exact_point = found.point, None
    if problem.exact:
        exact_point = (
            found.exact_point if found.exact_point is not None else floats_to_fractions(point)
        )
        if not rows.contains(exact_point, strict=True):
            # the rounded centre is not strictly inside (a thin cell): ask the exact solver
            if not simplex:
                raise SimplexNeeded
            xp = exact_interior_point(rows.a, rows.b)
            if xp is None:
                return None
            exact_point = np.array(xp, dtype=object)
            point = exact_point.astype(float)
    return CellWork(
        problem,
        found.pattern,
        point,
        exact_point,
        found.radius,
        geometry=geo,
        vertices=found.vertices,
        volume=found.volume,
        facets=found.facets,
        bounded=found.bounded,
        recession=found.recession,
    )


@dataclass(frozen=True, slots=True, eq=False)
class AdjacencySearch:
    """Result of :func:`facet_adjacency`: facet-adjacent cell pairs ``(first, second)`` with
    ``first < second``, and for each pair the neurons of the hyperplane carrying the facet."""

    pairs: np.ndarray
    neurons: Ragged
    complete: bool
    notes: tuple[Note, ...]

    @classmethod
    def of_lists(
        cls,
        pairs: list[tuple[int, int]],
        neurons: list[tuple[int, ...]],
        complete: bool,
        notes: list[Note],
    ) -> AdjacencySearch:
        """From a list of pairs and a list of neuron tuples."""
        flat = np.fromiter(itertools.chain.from_iterable(neurons), dtype=np.int64)
        lengths = np.fromiter(map(len, neurons), dtype=np.int64, count=len(neurons))
        return cls(
            np.array(pairs, dtype=np.int64).reshape(-1, 2),
            Ragged.of_lengths(lengths, flat),
            complete,
            tuple(notes),
        )


def _identically_zero(geo: CellGeometry, problem: RegionProblem) -> np.ndarray:
    """Neurons whose form ``a x + c`` vanishes everywhere on the cell (``a = 0`` and ``c = 0``)."""
    exact = geo.constant_forms()
    if exact is not None:
        return exact
    a, c = geo.forms.matrix, geo.forms.offset
    size = np.abs(a).sum(axis=1) * problem.scale + np.abs(c)
    return problem.tol.is_zero(size, problem.size)


def facet_adjacency(
    problem: RegionProblem, cells: list[CellWork], *, budget: Budget, progress: Any
) -> AdjacencySearch:
    """All facet-adjacent pairs of cells.

    Candidates: across a group of coincident layer-``l`` hyperplanes, the neighbour's pattern is
    this cell's with the group flipped and, by continuity of every later pre-activation, the same
    later bits — except neurons vanishing identically on the hyperplane, whose bits are free.
    A pair across a hyperplane the search engine certified as a facet of either cell (see
    :class:`~._engine.FacetHints`) needs nothing more; any other candidate is confirmed by a
    point of the plane (see :func:`_foot_facet`), or else by an LP.
    """
    net = problem.net
    bounds = [(s.start, s.stop) for s in net.hidden_slices]
    index = {cell.pattern.tobytes(): i for i, cell in enumerate(cells)}
    found: list[tuple[int, int]] = []
    planes: list[tuple[int, ...]] = []
    notes: list[Note] = []
    decided: set[tuple[int, int]] = set()
    n_hidden = net.n_hidden
    layer_of = np.concatenate(
        [np.full(stop - start, l) for l, (start, stop) in enumerate(bounds)]
        + [np.zeros(0, dtype=int)]
    )
    flags = _cell_flags(problem, cells)
    # the planes each cell's walk certified: a facet certified from either side is shared
    certain_of = [set(c.facets.certain) for c in cells] if flags is not None else None

    def add(i: int, j: int, plane: CandidatePlane, sure: bool) -> None:
        pair = (min(i, j), max(i, j))
        neurons = tuple(int(m) for m in plane.members)
        if sure:
            found.append(pair)
            planes.append(neurons)
            return
        confirmed = _confirm_facet(problem, cells[i], cells[j], plane)
        if confirmed is None:
            return
        found.append(pair)
        planes.append(neurons)
        if not confirmed[1]:
            notes.append(
                Note(
                    "unsure facet",
                    "two cells share a face whose width is inside the tolerance band; it was "
                    "taken as a shared facet",
                    (cells[pair[0]].key, cells[pair[1]].key),
                    neurons,
                )
            )

    # the common case first, for all cells at once: hinted planes with no free neuron
    last_dead = None
    if flags is not None:
        hinted = _hinted_pairs(cells, flags, bounds, layer_of)
        last_dead = hinted.last_dead
        none_free = np.zeros(0, dtype=np.int64)
        for k in range(len(hinted.pairs)):
            if budget.expired():
                return AdjacencySearch.of_lists(found, planes, False, notes)
            first, second = (int(v) for v in hinted.pairs[k])
            decided.add((first, second))
            i = int(hinted.source[k])
            plane = CandidatePlane(hinted.members[hinted.plane[k]], none_free, False)
            add(i, first + second - i, plane, bool(hinted.sure[k]))
    for i, cell in enumerate(cells):
        if budget.expired():
            return AdjacencySearch.of_lists(found, planes, False, notes)
        progress.update()
        if last_dead is not None and not flags.parallel[i] and last_dead[i] < bounds[0][1]:
            continue  # no hinted plane of the cell has a free neuron: done above
        known = None if flags is None else (np.flatnonzero(flags.dead[i]), flags.parallel[i])
        for plane in _candidate_planes(problem, cell, layer_of, bounds, known):
            if last_dead is not None and not flags.parallel[i] and len(plane.free) == 0:
                continue  # done above
            base = cell.pattern.copy()
            base[plane.members] = ~base[plane.members]
            for j in _lookup(index, base, plane.free, cells, n_hidden):
                pair = (min(i, j), max(i, j))
                if j == i or pair in decided:
                    continue
                decided.add(pair)
                neurons = tuple(int(m) for m in plane.members)
                sure = plane.certain or _certified_from(
                    j, neurons, certain_of, flags, bounds, layer_of
                )
                add(i, j, plane, sure and len(plane.free) == 0)
    return AdjacencySearch.of_lists(found, planes, True, notes)


@dataclass(frozen=True, slots=True, eq=False)
class _HintedPairs:
    """Cell pairs across hinted planes without free neurons (see :func:`_hinted_pairs`).

    ``pairs`` (first < second) are each met once; ``source`` is the cell whose hint named the
    plane ``plane`` (an index into ``members``, the planes' neurons), ``sure`` whether either
    cell's walk certified the facet. ``last_dead`` is each cell's last identically vanishing
    neuron (``-1`` when none).
    """

    pairs: np.ndarray
    source: np.ndarray
    plane: np.ndarray
    sure: np.ndarray
    members: list[np.ndarray]
    last_dead: np.ndarray


def _hinted_pairs(
    cells: list[CellWork], flags: CellFlags, bounds: list[tuple[int, int]], layer_of: np.ndarray
) -> _HintedPairs:
    """The candidate pairs of :func:`facet_adjacency` across hinted planes of cells without
    parallel rows where no later neuron vanishes identically (no free bits), for all cells at
    once: the neighbour's pattern is the cell's with the plane's bits flipped, looked up by its
    packed bytes. A pair is sure when the plane is certified by the cell naming it, or by the
    other cell when no later neuron vanishes on that one (see :func:`_certified_from`)."""
    n_hidden = len(layer_of)
    ids: dict[tuple[int, ...], int] = {}
    cell_of: list[int] = []
    plane_of: list[int] = []
    certain: list[bool] = []
    for i, cell in enumerate(cells):
        if flags.parallel[i]:
            continue
        for group, sure in ((cell.facets.certain, True), (cell.facets.possible, False)):
            plane_of.extend([ids.setdefault(p, len(ids)) for p in group])
            cell_of.extend([i] * len(group))
            certain.extend([sure] * len(group))
    members = [np.array(p, dtype=np.int64) for p in ids]
    stop = np.array([bounds[int(layer_of[m[0]])][1] for m in members], dtype=np.int64)
    dead = flags.dead
    last_dead = np.where(dead.any(axis=1), n_hidden - 1 - np.argmax(dead[:, ::-1], axis=1), -1)
    src = np.array(cell_of, dtype=np.int64)
    pl = np.array(plane_of, dtype=np.int64)
    sure = np.array(certain, dtype=bool)
    keep = last_dead[src] < stop[pl] if len(src) else np.zeros(0, dtype=bool)
    src, pl, sure = src[keep], pl[keep], sure[keep]
    packed = np.packbits(np.array([c.pattern for c in cells], dtype=bool), axis=1)
    flips = np.zeros((len(members), n_hidden), dtype=bool)
    for k, m in enumerate(members):
        flips[k, m] = True
    width = packed.shape[1]
    key = np.dtype((np.void, width))
    index = {k: i for i, k in enumerate(np.ascontiguousarray(packed).view(key).ravel().tolist())}
    across = np.ascontiguousarray(packed[src] ^ np.packbits(flips, axis=1)[pl]).view(key)
    other = np.fromiter(
        (index.get(k, -1) for k in across.ravel().tolist()), dtype=np.int64, count=len(src)
    )
    ok = (other >= 0) & (other != src)
    src, pl, sure, other = src[ok], pl[ok], sure[ok], other[ok]
    # the plane certified from the other side, with no later neuron vanishing there
    n_planes = max(len(members), 1)
    certified = np.sort(src[sure] * n_planes + pl[sure])
    query = other * n_planes + pl
    at_or_after = np.minimum(np.searchsorted(certified, query), max(len(certified) - 1, 0))
    listed = certified[at_or_after] == query if len(certified) else np.zeros(len(query), bool)
    sure |= listed & (last_dead[other] < stop[pl])
    first, second = np.minimum(src, other), np.maximum(src, other)
    codes, at, inverse = np.unique(
        first * len(cells) + second, return_index=True, return_inverse=True
    )
    either = np.bincount(inverse.ravel(), weights=sure, minlength=len(codes)) > 0
    pairs = np.stack([first[at], second[at]], axis=1).reshape(-1, 2)
    return _HintedPairs(pairs, src[at], pl[at], either, members, last_dead)


def _certified_from(
    j: int,
    neurons: tuple[int, ...],
    certain_of: list[set[tuple[int, ...]]] | None,
    flags: CellFlags | None,
    bounds: list[tuple[int, int]],
    layer_of: np.ndarray,
) -> bool:
    """Whether cell ``j``'s own walk certified the plane of ``neurons`` as one of its facets,
    with no neuron of a later layer dead on ``j`` (whose bit could change across the plane):
    then the cell across that facet has ``j``'s pattern with the plane's bits flipped, and the
    facet is shared with it (see :func:`_confirm_facet`)."""
    if certain_of is None or flags is None or neurons not in certain_of[j]:
        return False
    stop = bounds[int(layer_of[neurons[0]])][1]
    return not flags.dead[j, stop:].any()


@dataclass(frozen=True, slots=True, eq=False)
class CandidatePlane:
    """A hyperplane that may carry a facet of a cell.

    ``members`` are its neurons in the first layer where it appears (their bits flip across
    it), ``free`` the later neurons vanishing identically on it (their bits may take either
    value across it), ``certain`` whether the search engine certified the facet.
    """

    members: np.ndarray
    free: np.ndarray
    certain: bool


@dataclass(frozen=True, slots=True, eq=False)
class CellFlags:
    """What :func:`_candidate_planes` asks of every cell, computed for all cells at once:
    ``dead[i, j]`` when neuron ``j``'s form vanishes identically on cell ``i``, ``parallel[i]``
    when two of cell ``i``'s neuron rows are parallel (see :func:`_has_parallel_rows`)."""

    dead: np.ndarray
    parallel: np.ndarray


#: Cells handled per batch by :func:`_cell_flags` (bounds its (cells, neurons, neurons) array).
_FLAG_BLOCK = 256


def _cell_flags(problem: RegionProblem, cells: list[CellWork]) -> CellFlags | None:
    """:class:`CellFlags` of cells that all carry the search engine's facet hints; ``None``
    otherwise (each cell is then looked at on its own). Float cells are flagged from their
    stacked forms (no per-cell geometry); exact cells, whose geometry certification built,
    from their exact forms (vanishing) and float rows (parallel, with a margin over rounding)."""
    if not cells or any(cell.facets is None for cell in cells):
        return None
    if problem.exact:
        return CellFlags(
            np.array([_identically_zero(cell.geometry, problem) for cell in cells], dtype=bool),
            np.array([_has_parallel_rows(cell, problem) for cell in cells], dtype=bool),
        )
    n = problem.net.n_inputs
    dead, parallel = [], []
    for start in range(0, len(cells), _FLAG_BLOCK):
        block = cells[start : start + _FLAG_BLOCK]
        forms, _ = stacked_forms(problem.net, np.array([c.pattern for c in block]))
        a, c = forms[:, :, :n], forms[:, :, n]
        dead.append(problem.tol.is_zero(np.abs(a).sum(axis=2) * problem.scale + np.abs(c),
                                         problem.size))  # fmt: skip
        norms = np.linalg.norm(a, axis=2)
        unit = a / np.where(norms > 0, norms, 1.0)[:, :, None]  # zero rows stay zero
        gram = np.abs(np.matmul(unit, unit.transpose(0, 2, 1)))
        gram[:, np.arange(gram.shape[1]), np.arange(gram.shape[1])] = 0.0
        parallel.append((gram >= _parallel_cosine(problem)).any(axis=(1, 2)))
    return CellFlags(np.concatenate(dead), np.concatenate(parallel))


def _candidate_planes(
    problem: RegionProblem,
    cell: CellWork,
    layer_of: np.ndarray,
    bounds: list[tuple[int, int]],
    known: tuple[np.ndarray, bool] | None = None,
) -> list[CandidatePlane]:
    """The hyperplanes that may carry a facet of the cell.

    With the search engine's hints, only the hinted planes — unless two of the cell's
    hyperplanes are (nearly) parallel, where coincidences across layers must be found by
    grouping. Otherwise every distinct hyperplane of the cell. ``known`` gives the cell's dead
    neurons and parallel flag when :func:`_cell_flags` computed them.
    """
    hints = cell.facets
    if known is not None:
        dead, parallel = known
    else:
        dead = np.flatnonzero(_identically_zero(cell.geometry, problem))
        parallel = hints is not None and _has_parallel_rows(cell, problem)
    if hints is not None and not parallel:
        planes: list[CandidatePlane] = []
        for plane, certain in [(p, True) for p in hints.certain] + [
            (p, False) for p in hints.possible
        ]:
            members = np.array(plane, dtype=np.int64)
            stop = bounds[int(layer_of[members[0]])][1]
            planes.append(CandidatePlane(members, dead[dead >= stop], certain))
        return planes
    geo = cell.geometry
    if geo.forms_hom is not None:
        groups = group_exact_rows(geo.forms_hom).members()
    else:
        groups = group_hyperplanes(geo.forms.matrix, geo.forms.offset, tol=problem.tol).members()
    planes = []
    for same_list in groups.values():
        same = np.array(same_list)
        # rows are ordered by layer: the first row's layer is where the patterns first differ;
        # the plane's rows in later layers vanish on it, so their bits are free
        stop = bounds[int(layer_of[same[0]])][1]
        members = same[same < stop]
        free = np.concatenate([same[same >= stop], dead[dead >= stop]])
        planes.append(CandidatePlane(members, free, False))
    return planes


def _has_parallel_rows(cell: CellWork, problem: RegionProblem) -> bool:
    """Whether two of the cell's neuron rows are parallel within a margin safely wider than
    the grouping tolerance (and than float rounding of exact rows)."""
    rows = cell.row_of[cell.row_of >= 0]
    g = cell.g[rows]
    gram = np.abs(g @ g.T)
    np.fill_diagonal(gram, 0.0)
    return bool((gram >= _parallel_cosine(problem)).any())


def _parallel_cosine(problem: RegionProblem) -> float:
    """Rows whose unit normals have ``|cos|`` at least this are taken as parallel: a margin
    safely wider than the grouping tolerance and than float rounding of exact rows."""
    return 1 - 4 * problem.tol.rel - 1e-12


def _confirm_facet(
    problem: RegionProblem, c1: CellWork, c2: CellWork, plane: CandidatePlane
) -> tuple[np.ndarray, bool] | None:
    """A point in the relative interior of the face the two cells share on the plane (and
    whether the float decision is certain), or None when they share no facet there. The plane
    is one of ``c1``'s candidates.

    Without free neurons one side settles it: a point of the plane strictly inside every other
    row of ``c1`` has, just across the plane, the pattern of ``c1`` with the plane's neurons
    flipped — every later pre-activation is continuous across the plane, so it keeps its
    (nonzero) value and sign — which is ``c2``'s pattern; so it lies in the relative interior of
    ``c2``'s facet too, and ``c2``'s rows need not be built or checked. Free neurons (vanishing
    identically on the plane) may change sign across it: then both cells are checked.
    """
    a_h, c_h = c1.geometry.form(int(plane.members[0]))
    sides = (c1,) if len(plane.free) == 0 else (c1, c2)
    skip = np.concatenate([plane.members, plane.free])
    found = _foot_facet(problem, c1, c2, sides, skip, a_h, c_h)
    if found is None:
        found = _shared_facet(problem, sides, skip, a_h, c_h)
    return found


def _lookup(
    index: dict[bytes, int],
    base: np.ndarray,
    free: np.ndarray,
    cells: list[CellWork],
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
    problem: RegionProblem,
    c1: CellWork,
    c2: CellWork,
    sides: tuple[CellWork, ...],
    skip: np.ndarray,
    a_h: Any,
    c_h: Any,
) -> tuple[np.ndarray, bool] | None:
    """A point of the hyperplane strictly inside every inequality of the ``sides`` cells but
    those of the ``skip`` neurons (then it is a point of the shared facet's relative interior,
    see :func:`_confirm_facet`), or None: tried are the feet of the perpendiculars from either
    cell's interior point and the point where the segment between those points crosses the
    plane. Float mode asks for a margin beyond the tolerance band, so such a point is only ever
    a certain answer."""
    exact = problem.exact
    if exact:
        x1, x2 = c1.exact_point, c2.exact_point
        a = np.asarray(a_h, dtype=object)
        c, norm2 = c_h, a @ a
    else:
        x1, x2 = c1.point, c2.point
        a = np.asarray(a_h, dtype=float)
        c, norm2 = float(c_h), float(a @ a)
    s1, s2 = a @ x1 + c, a @ x2 + c
    candidates = [x1 - s1 / norm2 * a, x2 - s2 / norm2 * a]
    if (s1 > 0) != (s2 > 0) and s1 != 0:
        candidates.append(x1 + s1 / (s1 - s2) * (x2 - x1))
    margin = problem.tol.loose * problem.scale
    for point in candidates:
        if all(_inside_but(problem, cell, point, skip, margin) for cell in sides):
            return point, True
    return None


def _inside_but(
    problem: RegionProblem, cell: CellWork, point: np.ndarray, skip: np.ndarray, margin: float
) -> bool:
    """Whether ``point`` satisfies the cell's inequalities other than those of the ``skip``
    neurons strictly: exactly in exact mode, by ``margin`` (unit rows) in float mode."""
    keep = cell.rows_without(skip)
    if problem.exact:
        return bool(cell.geometry.halfspaces.contains(point, strict=True, rows=keep))
    slack = cell.h - cell.g @ point
    return bool((slack[keep] >= margin).all())


def _shared_facet(
    problem: RegionProblem,
    sides: tuple[CellWork, ...],
    skip: np.ndarray,
    a_row: np.ndarray,
    c_val: Any,
) -> tuple[np.ndarray, bool] | None:
    """A point of the hyperplane strictly inside every row of the ``sides`` cells but those of
    the ``skip`` neurons (the relative interior of their common face there), or None."""
    tol, scale, thr = problem.tol, problem.scale, problem.threshold
    af = np.asarray(a_row, dtype=float)
    nrm = np.linalg.norm(af)
    u, v = af / nrm, float(c_val) / nrm
    gs, hs, ge, he, kept = [], [], [], [], []
    for cell in sides:
        on_plane = ~cell.rows_without(skip)
        # rows of later layers may coincide with the hyperplane on this cell: they hold with
        # equality on the face, so they are left out like the hyperplane itself
        along = cell.g @ u
        coinc = tol.is_zero(np.abs(along) - 1, 1.0) & tol.is_zero(
            cell.h + np.sign(along) * v, max(scale, 1.0)
        )
        keep = ~(on_plane | coinc)
        gs.append(cell.g[keep])
        hs.append(cell.h[keep])
        kept.append(keep)
        if problem.exact:
            rows = cell.geometry.halfspaces
            ge.append(rows.a[keep])
            he.append(rows.b[keep])
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
    if not problem.exact:
        if not res.optimal or res.x[n] <= thr:
            return None
        return res.x[:n], not bool(tol.unsure(res.x[n], scale))
    ae = np.asarray(a_row, dtype=object)
    g_all, h_all = np.concatenate(ge), np.concatenate(he)
    if res.optimal and res.x[n] > thr:
        # project the rounded point onto the exact hyperplane and check every other row
        xq = floats_to_fractions(res.x[:n])
        xq = xq - (ae @ xq + c_val) / (ae @ ae) * ae
        if all(
            cell.geometry.halfspaces.contains(xq, strict=True, rows=keep)
            for cell, keep in zip(sides, kept, strict=True)
        ):
            return xq, True
    # too thin for floats (or the rounding failed): decide exactly. First, with the radius
    # free to go negative, the float LP's duals are a hint of a certificate that no point of
    # the plane is strictly inside every row (checked exactly); else the exact simplex.
    if not res.optimal or res.x[n] <= thr:
        lp.set_col_bounds([n], [-np.inf], [scale])
        free = lp.solve(cost, maximize=True)
        duals = lp.row_duals() if free.optimal else None
        if duals is not None:
            norms = np.linalg.norm(g_all.astype(float), axis=1)
            if _no_relative_interior(g_all, h_all, ae, c_val, duals[:-1] / norms, duals[-1]):
                return None
    xq = _exact_relative_interior(g_all, h_all, ae, c_val)
    return None if xq is None else (xq, True)


def _no_relative_interior(
    g: np.ndarray, h: np.ndarray, a: np.ndarray, c: Any, y_hint: np.ndarray, lam_hint: float
) -> bool:
    """True when an exact certificate proves that no ``x`` has ``a x + c = 0`` and ``g x < h``
    in every row; False when none was found (nothing is decided then).

    The certificate: ``y >= 0`` with ``sum(y) = 1`` and ``l`` with ``g^T y + l a = 0`` and
    ``y h - l c <= 0``. Then every ``x`` of the plane has
    ``min_i (h_i - g_i x) <= y (h - g x) = y h - l c <= 0``. The rows are those where the float
    multipliers ``y_hint`` are positive; ``(y, l)`` is the point nearest to the hint (exactly)
    that solves the equations, with ``y h - l c = 0`` added when the face only touches.
    """
    n = g.shape[1]
    total = y_hint.sum()
    if not np.isfinite(total) or total == 0 or not np.isfinite(lam_hint):
        return False
    y_hint = y_hint / total
    support = np.flatnonzero(y_hint > 1e-9 * np.abs(y_hint).max())
    k = len(support)
    if k == 0:
        return False
    gs, hs = g[support], h[support]
    mat = np.empty((n + 2, k + 1), dtype=object)
    mat[:n, :k] = gs.T
    mat[:n, k] = a
    mat[n, :k] = 1
    mat[n, k] = 0
    mat[n + 1, :k] = hs
    mat[n + 1, k] = -c
    rhs = np.zeros(n + 2, dtype=int).astype(object)
    rhs[n] = 1
    # the multiplier of the equation: its sign convention is the solver's, so take the one
    # that fits the float equations better
    gf, af = gs.astype(float), np.asarray(a, dtype=float)
    lam = min(
        (lam_hint / total, -lam_hint / total),
        key=lambda t: np.linalg.norm(gf.T @ y_hint[support] + t * af),
    )
    hint = [Fraction(float(v)) for v in [*y_hint[support], lam]]
    z0 = to_fmpq_mat(np.array(hint, dtype=object))
    for rows in (n + 1, n + 2):
        q = to_fmpq_mat(mat[:rows])
        if q.rank() != rows:
            continue
        qt = q.transpose()
        z = z0 + qt * (q * qt).solve(to_fmpq_mat(rhs[:rows]) - q * z0)
        zs = [fmpq_to_fraction(v) for v in z.entries()]
        y, lam_q = zs[:k], zs[k]
        # every condition, checked exactly
        if any(v < 0 for v in y) or sum(y) != 1:
            continue
        if any(
            sum((yi * gs[i, j] for i, yi in enumerate(y)), Fraction(0)) + lam_q * a[j] != 0
            for j in range(n)
        ):
            continue
        if sum((yi * hs[i] for i, yi in enumerate(y)), Fraction(0)) - lam_q * c <= 0:
            return True
    return False


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


def point_contact(problem: RegionProblem, c1: CellWork, c2: CellWork) -> tuple[bool, bool]:
    """Whether the closures of two cells meet; returns ``(touch, certain)``.

    Float mode minimises the largest violation ``t`` of both cells' unit rows; the cells touch
    when ``t <= tol * scale``, and the decision is uncertain when ``t`` is inside the band.
    Exact mode verifies a rational common point exactly, or decides by the exact simplex.
    """
    g = np.concatenate([c1.g, c2.g])
    h = np.concatenate([c1.h, c2.h])
    n = g.shape[1]
    scale = problem.scale
    mat = np.hstack([g, -np.ones((len(g), 1))])
    lp = LPModel(mat, None, h, col_lower=[*[-np.inf] * n, -scale])
    cost = np.zeros(n + 1)
    cost[n] = 1.0
    res = lp.solve(cost)
    violation = res.x[n] if res.optimal else np.inf
    if not problem.exact:
        return bool(violation <= problem.threshold), not bool(
            problem.tol.unsure(max(violation, 0.0), scale)
        )
    if violation > problem.tol.loose * scale:
        return False, True  # apart by more than any rounding: certainly apart
    rows = [c.geometry.halfspaces for c in (c1, c2)]
    ge = np.concatenate([r.a for r in rows])
    he = np.concatenate([r.b for r in rows])
    if res.optimal:
        x = res.x[:n]
        tight = np.flatnonzero(np.abs(g @ x - h) <= problem.tol.loose * max(scale, 1.0))
        xq = _snap(x, ge[tight], he[tight])
        if xq is not None and all(gi @ xq <= hi for gi, hi in zip(ge, he, strict=True)):
            return True, True
    return exact_maximize([0] * n, ge, he).status != "infeasible", True


def _snap(x: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """The rational point nearest to ``x`` (in the least-squares sense) with ``a y = b``."""
    xq = floats_to_fractions(x)
    if len(a) == 0:
        return xq
    chosen: list[int] = []
    for i in range(len(a)):
        if exact_rank(a[[*chosen, i]]) == len(chosen) + 1:
            chosen.append(i)
    a_sub, b_sub = a[chosen], b[chosen]
    if chosen and not all(a_sub[k] @ xq == b_sub[k] for k in range(len(chosen))):
        # y = x + A^T (A A^T)^{-1} (b - A x)
        lam = exact_solve(a_sub @ a_sub.T, b_sub - a_sub @ xq)
        xq = xq + a_sub.T @ lam
    return xq


@dataclass(frozen=True, slots=True)
class Grouping:
    """Cells grouped into regions, and the notes of the decisions taken."""

    groups: tuple[tuple[int, ...], ...]
    complete: bool
    notes: tuple[Note, ...]


def map_stack(cells: list[CellWork]) -> tuple[np.ndarray, np.ndarray]:
    """The cells' output maps as arrays ``(N, out, n)`` and ``(N, out)`` (object when exact)."""
    if not cells:
        return np.zeros((0, 0, 0)), np.zeros((0, 0))
    return np.stack([c.output.matrix for c in cells]), np.stack([c.output.offset for c in cells])


@dataclass(frozen=True, slots=True)
class PairComparison:
    """Map comparisons of many cell pairs at once (see :func:`compare_pairs`)."""

    equal: np.ndarray
    unsure: np.ndarray
    gap: np.ndarray


def compare_pairs(
    problem: RegionProblem, maps: tuple[np.ndarray, np.ndarray], pairs: np.ndarray
) -> PairComparison:
    """:func:`~neurogeom.nets.geometry.compare_maps` for every pair of cells at once."""
    matrix, offset = maps
    a, b = pairs[:, 0], pairs[:, 1]
    if len(pairs) == 0:
        none = np.zeros(0, dtype=bool)
        return PairComparison(none, none, np.zeros(0))
    if problem.exact:
        equal = (matrix[a] == matrix[b]).reshape(len(pairs), -1).all(axis=1) & (
            offset[a] == offset[b]
        ).reshape(len(pairs), -1).all(axis=1)
        equal = equal.astype(bool)
        return PairComparison(equal, np.zeros(len(pairs), dtype=bool), np.where(equal, 0.0, np.inf))
    dm = np.abs(matrix[a] - matrix[b]).reshape(len(pairs), -1).max(axis=1, initial=0.0)
    dc = np.abs(offset[a] - offset[b]).reshape(len(pairs), -1).max(axis=1, initial=0.0)
    gap = dm * problem.scale + dc
    size = max(problem.size, np.finfo(float).tiny)
    return PairComparison(
        np.asarray(problem.tol.is_zero(gap, size)),
        np.asarray(problem.tol.unsure(gap, size)),
        gap,
    )


def components(n: int, pairs: np.ndarray) -> tuple[tuple[int, ...], ...]:
    """Connected components of the graph on ``range(n)`` with the given edges, each sorted, in
    order of their smallest member."""
    if n == 0:
        return ()
    labels = component_labels(n, pairs)
    # each label is its component's smallest node: sorting by label lists the components in
    # order of their smallest member, each in increasing order
    order = np.argsort(labels, kind="stable")
    sizes = np.diff(np.flatnonzero(np.diff(labels[order], prepend=-1, append=n + 1)))
    return tuple(map(tuple, blocks(order.tolist(), sizes)))


def _pair_notes(cells: list[CellWork], pairs: np.ndarray, cmp: PairComparison) -> list[Note]:
    return [
        Note(
            "unsure map comparison",
            f"two cells' affine maps differ by a relative {cmp.gap[k]:.3g}, inside the "
            f"tolerance band; taken as {'equal' if cmp.equal[k] else 'different'}",
            (cells[pairs[k, 0]].key, cells[pairs[k, 1]].key),
            (),
            float(cmp.gap[k]),
        )
        for k in np.flatnonzero(cmp.unsure)
    ]


def merge_regions(
    problem: RegionProblem,
    cells: list[CellWork],
    pairs: np.ndarray,
    maps: tuple[np.ndarray, np.ndarray],
) -> Grouping:
    """Facet-connected linear regions: components of same-map adjacent cells (``pairs``: the
    facet-adjacent pairs, an ``(m, 2)`` array)."""
    cmp = compare_pairs(problem, maps, pairs)
    groups = components(len(cells), pairs[cmp.equal])
    return Grouping(groups, True, tuple(_pair_notes(cells, pairs, cmp)))


def contact_regions(
    problem: RegionProblem,
    cells: list[CellWork],
    regions: tuple[tuple[int, ...], ...],
    touching: np.ndarray,
    maps: tuple[np.ndarray, np.ndarray],
) -> Grouping:
    """Point-connected regions from cell pairs known to touch (an engine's contacts)."""
    region_of = np.empty(len(cells), dtype=np.int64)
    for r, members in enumerate(regions):
        region_of[list(members)] = r
    pairs = touching[region_of[touching[:, 0]] != region_of[touching[:, 1]]]
    cmp = compare_pairs(problem, maps, pairs)
    joined = region_of[pairs[cmp.equal]]
    return Grouping(components(len(regions), joined), True, tuple(_pair_notes(cells, pairs, cmp)))


def point_contacts(
    problem: RegionProblem,
    cells: list[CellWork],
    regions: tuple[tuple[int, ...], ...],
    *,
    budget: Budget,
    progress: Any,
) -> Grouping:
    """Join same-map regions whose closures touch anywhere."""
    uf = UnionFind(range(len(regions)))
    notes: list[Note] = []
    buckets = _equal_map_classes(problem, [cells[r[0]] for r in regions], notes)
    complete = True
    for bucket in buckets:
        if budget.expired():
            complete = False
            break
        for x in range(len(bucket)):
            for y in range(x + 1, len(bucket)):
                r1, r2 = bucket[x], bucket[y]
                if uf.connected(r1, r2):
                    continue
                if _regions_touch(problem, cells, regions[r1], regions[r2], notes):
                    uf.union(r1, r2)
        progress.update(len(bucket))
    groups = tuple(tuple(sorted(k for k in group)) for group in uf.groups())
    return Grouping(groups, complete, tuple(notes))


def _regions_touch(
    problem: RegionProblem,
    cells: list[CellWork],
    first: tuple[int, ...],
    second: tuple[int, ...],
    notes: list[Note],
) -> bool:
    for i in first:
        for j in second:
            touch, certain = point_contact(problem, cells[i], cells[j])
            if not certain:
                notes.append(
                    Note(
                        "unsure contact",
                        "two cells with the same map are apart by a distance inside the "
                        f"tolerance band; taken as {'touching' if touch else 'apart'}",
                        (cells[i].key, cells[j].key),
                    )
                )
            if touch:
                return True
    return False


def _equal_map_classes(
    problem: RegionProblem, reps: list[CellWork], notes: list[Note]
) -> list[list[int]]:
    """Classes of equal maps among the given cells.

    Exact maps are hashed. Float maps are compared (all candidate pairs at once) only when their
    projections on a fixed direction are close enough to be equal: a sweep over the sorted
    projections, so distinct maps cost nothing and rounding noise never separates equal maps
    (no bucketing by rounded keys, which would split values near a rounding boundary).
    """
    if problem.exact:
        classes: dict[tuple[Any, ...], list[int]] = {}
        for k, cell in enumerate(reps):
            out = cell.output
            classes.setdefault((*out.matrix.ravel(), *out.offset), []).append(k)
        return list(classes.values())
    if not reps:
        return []
    maps = map_stack(reps)
    vecs = np.concatenate(
        [maps[0].reshape(len(reps), -1) * problem.scale, maps[1].reshape(len(reps), -1)], axis=1
    )
    direction = np.random.default_rng(0).normal(size=vecs.shape[1])
    direction /= np.abs(direction).max()
    proj = vecs @ direction
    # two maps whose gap (max |dM| * scale + max |dc|) is within the loose threshold have
    # projections within this window
    window = problem.tol.loose * problem.size * vecs.shape[1]
    order = np.argsort(proj, kind="stable")
    p = proj[order]
    hi = np.searchsorted(p, p + window, side="right")
    starts = np.arange(len(p)) + 1
    lengths = np.maximum(hi - starts, 0)
    first = np.repeat(np.arange(len(p)), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    second = np.repeat(starts, lengths) + offsets
    pairs = np.stack([order[first], order[second]], axis=1)
    cmp = compare_pairs(problem, maps, pairs)
    notes.extend(_pair_notes(reps, pairs, cmp))
    return [list(g) for g in components(len(reps), pairs[cmp.equal])]


def cell_bounded(problem: RegionProblem, cell: CellWork, rays: np.ndarray) -> bool:
    """Whether a cell is bounded (always, on a bounded domain); exact in exact mode.

    See :func:`rows_bounded`.
    """
    if problem.domain.bounded:
        return True
    return rows_bounded(problem, cell.g, cell.geometry.halfspaces.a, rays)


def _away(points: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """Unit directions from ``ref`` and from the origin to the mean of ``points``: an unbounded
    cell's Chebyshev centre lies far out along its recession cone, so these directions are
    likely recession directions (tried before the random rays)."""
    centre = points.mean(axis=0)
    dirs = np.array([centre - ref, centre])
    norms = np.linalg.norm(dirs, axis=1)
    return dirs[norms > 0] / norms[norms > 0, None]


def rows_bounded(problem: RegionProblem, g: np.ndarray, rows: np.ndarray, rays: np.ndarray) -> bool:
    """Whether ``{x : G x <= h}`` is bounded, from its float unit rows ``g`` and its rows ``G``
    as given (exact rationals in exact mode, where the answer is certified).

    The set is unbounded iff its recession cone ``{d : G d <= 0}`` is not ``{0}``. First the
    given ray directions are tried: one with ``G d <= 0`` proves unboundedness (checked with the
    exact rows in exact mode). Otherwise one LP decides Stiemke's alternative — bounded iff
    ``G^T y = 0`` for some ``y >= 1`` (and ``G`` has rank ``n``). Exact mode certifies the
    answer: a float ``y`` is made exactly feasible by an exact projection onto ``G^T y = 0`` and
    checked positive; an infeasible float LP is confirmed by a float recession direction made
    exact (rounded, then projected onto the rows it is tight at), and failing that by the exact
    simplex.
    """
    if problem.exact:
        # a read-only view: every exact product below converts the rows to python-flint once
        rows = rows.view()
        rows.flags.writeable = False
    rates = g @ rays.T
    hits = np.flatnonzero((rates <= 0).all(axis=0))
    if hits.size:
        if not problem.exact:
            return False
        for k in hits[:4]:
            d = np.array([Fraction(float(v)) for v in rays[k]], dtype=object)
            if all(v <= 0 for v in exact_matmul(rows, d)):
                return False
    if not problem.exact:
        return is_bounded(g)
    n = rows.shape[1]
    found = stiemke_multipliers(rows)  # exact rank, float multipliers
    if found is None:
        if len(rows) <= n or exact_rank(rows) < n:
            return False
        # the float LP says unbounded: certify a ray, rounded and projected onto the rows it
        # is tight at, exactly
        d = recession_direction(g)
        if d is not None:
            tight = np.flatnonzero(np.abs(g @ d) <= problem.tol.loose)
            dq = _snap(d, rows[tight], np.zeros(len(tight), dtype=int).astype(object))
            if any(v != 0 for v in dq) and all(v <= 0 for v in exact_matmul(rows, dq)):
                return False
    elif exact_stiemke(rows, found):
        return True
    # decide exactly: is {G^T y = 0, y >= 1} feasible?
    m = len(rows)
    eye = np.eye(m, dtype=int).astype(object)
    a = np.concatenate([rows.T, -rows.T, -eye])
    b = [0] * (2 * n) + [-1] * m
    return exact_maximize([0] * m, a, b).status == "optimal"


def bounded_cells(problem: RegionProblem, cells: list[CellWork], rays: np.ndarray) -> list[bool]:
    """Boundedness of every cell (exact in exact mode).

    Float mode takes an engine's evidence (see :class:`~._engine.FoundCell`): a cell it proved
    bounded is bounded, one it found a recession direction of is not. Exact mode checks the
    engine's multipliers on the exact rows they name (:func:`_witness_holds`) and tries its
    recession direction first on the exact rows. A cell lies inside the cell of its first ``l``
    hidden layers, so when that cell is bounded all the cells sharing the prefix are: each
    prefix shared by several undecided cells is tested once, layer by layer, and only the cells
    left undecided are tested on their own.
    """
    if problem.domain.bounded:
        return [True] * len(cells)
    net = problem.net
    out: list[bool | None] = [_engine_says(problem, cell) for cell in cells]
    if not cells:
        return []
    points = np.array([cell.point for cell in cells], dtype=float)
    ref = points.mean(axis=0)
    for depth, layer in enumerate(net.hidden_slices[:-1], start=1):
        by_prefix: dict[bytes, list[int]] = {}
        for i, cell in enumerate(cells):
            if out[i] is None:
                by_prefix.setdefault(cell.pattern[: layer.stop].tobytes(), []).append(i)
        for members in by_prefix.values():
            if len(members) < 2:
                continue
            prefix = cells[members[0]].pattern
            rows = cell_halfspaces(net, prefix, domain=problem.domain, depth=depth)
            flt = rows.to_float()
            if not problem.exact:  # (float mode reads only the float rows)
                keep = ~constant_rows(problem, flt, prefix, depth)
                flt = Halfspaces(flt.a[keep], flt.b[keep], flt.neuron[keep])
            unit, _, _ = normalize_rows(flt.a, flt.b)  # row for row with the exact rows
            here = np.concatenate([_away(points[members], ref), rays])
            if rows_bounded(problem, unit, rows.a, here):
                for i in members:
                    out[i] = True
    return [
        bool(known)
        if known is not None
        else rows_bounded(
            problem,
            cell.g,
            cell.geometry.halfspaces.a,
            np.concatenate([_engine_rays(cell), _away(points[[i]], ref), rays]),
        )
        for i, (known, cell) in enumerate(zip(out, cells, strict=True))
    ]


def _engine_says(problem: RegionProblem, cell: CellWork) -> bool | None:
    """Boundedness from the engine's evidence alone: the witness (checked exactly in exact
    mode), or in float mode the recession direction; ``None`` when undecided."""
    if cell.bounded is not None and (not problem.exact or _witness_holds(cell, cell.bounded)):
        return True
    if cell.recession is not None and (not problem.exact or _recession_holds(cell)):
        return False
    return None


def _recession_holds(cell: CellWork) -> bool:
    """Whether an engine's float recession direction, taken as the exact rational it is, is one
    of the exact cell's: no row rises along it (read in python-flint, no Fractions built)."""
    rows = cell.geometry.halfspaces
    if rows.hom is None:
        return False
    direction = [flint.fmpq(*Fraction(float(v)).as_integer_ratio()) for v in cell.recession]
    column = flint.fmpq_mat(len(direction) + 1, 1, [*direction, 0])
    return all(v <= 0 for v in (rows.hom * column).entries())


def _engine_rays(cell: CellWork) -> np.ndarray:
    """The engine's recession direction as a one-row array (none: no row)."""
    if cell.recession is None:
        return np.zeros((0, len(cell.point)))
    return cell.recession[None, :]


def _witness_holds(cell: CellWork, witness: BoundedWitness) -> bool:
    """Whether an engine's float multipliers prove an exact cell bounded: rescaled to the exact
    rows of the neurons they name (the cell's ``hom``, read in python-flint) and checked with
    :func:`~neurogeom.core.lp.exact_stiemke`. ``False`` when a row is unnamed or missing."""
    rows = cell.geometry.halfspaces
    if witness.neurons is None or rows.hom is None:
        return False
    where = {int(j): r for r, j in enumerate(rows.neuron.tolist()) if j >= 0}
    if any(j not in where for j in witness.neurons):
        return False
    n1 = rows.hom.ncols()
    flat = rows.hom.entries()
    entries = [v for j in witness.neurons for v in flat[where[j] * n1 : where[j] * n1 + n1 - 1]]
    sub = flint.fmpq_mat(len(witness.neurons), n1 - 1, entries)
    norms = np.linalg.norm(
        np.array([float(v) for v in entries]).reshape(len(witness.neurons), -1), axis=1
    )
    return exact_stiemke(sub, witness.weights / norms)


def ray_directions(problem: RegionProblem, seed: int = 0) -> np.ndarray:
    """Unit directions for the ray tests of :func:`cell_bounded` (coordinate axes both ways
    and seeded random ones)."""
    n = problem.net.n_inputs
    rng = np.random.default_rng(seed)
    rand = rng.normal(size=(16 * n + 32, n))
    rand /= np.linalg.norm(rand, axis=1, keepdims=True)
    return np.concatenate([np.eye(n), -np.eye(n), rand])
