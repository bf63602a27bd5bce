"""Results of region enumeration: :class:`Cell`, :class:`LinearRegion`, :class:`RegionResult`.

Small frozen values that print briefly and convert to JSON with ``to_dict()``. Rationals are
written as ``"p/q"`` strings, integers as integers. An enumeration stores its cells, regions and
adjacency pairs as columns (:class:`CellTable`, :class:`RegionTable`, :class:`PairTable`):
read-only sequences that build a :class:`Cell` or :class:`LinearRegion` when it is read, so that
a count over 10^5 cells does not pay for 10^5 objects it never looks at.

Counting definitions (always reported together, see the regions spec §1):

- ``activation_regions``: full-dimensional cells of constant activation pattern;
- ``linear_regions``: maximal unions of cells with the same affine map (for several outputs the
  same tuple of maps) connected through shared facets, i.e. ``(n-1)``-dimensional faces;
- ``linear_regions_point_connected``: the same, but cells that touch anywhere (even at a single
  point) connect;
- ``bounded_regions``: facet-connected linear regions that are bounded.

Certification: in exact mode every counted cell carries a rational interior point checked
exactly, every merge is checked exactly and maps are compared exactly. In float mode a result is
*certified* when no decision came within the tolerance band (see
:mod:`neurogeom.core.tolerances`): the same answer then holds for every tolerance within a
factor ``band`` of the one used. Decisions that did not are listed as :class:`Note` values in
``uncertified``.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import numpy as np

from neurogeom.core.arrays import Ragged, distinct_pairs
from neurogeom.core.domain import Domain
from neurogeom.core.lp import LPCounts
from neurogeom.core.rationals import as_points, json_number
from neurogeom.nets.geometry import pattern_string

if TYPE_CHECKING:
    from neurogeom.nets.relu import ReLUNet

__all__ = [
    "DEFINITIONS",
    "Cell",
    "CellTable",
    "LinearRegion",
    "Note",
    "PairTable",
    "RegionResult",
    "RegionStats",
    "RegionTable",
]

#: One-line definition of each count.
DEFINITIONS = {
    "activation_regions": "full-dimensional cells of constant activation pattern",
    "linear_regions": "same-map cells joined across shared facets",
    "linear_regions_point_connected": "same-map cells joined where they touch",
    "bounded_regions": "bounded facet-connected linear regions",
}

NoteKind = Literal[
    "thin cell",
    "near-coincident hyperplanes",
    "unsure zero form",
    "unsure crossing",
    "unsure facet",
    "unsure map comparison",
    "unsure contact",
    "interior point not certified",
    "volume not computed",
]


@dataclass(frozen=True, slots=True)
class Note:
    """A decision that floating point could not certify, or a cell left out.

    Attributes
    ----------
    kind : str
        One of ``thin cell`` (a float cell thinner than the tolerance, not counted),
        ``near-coincident hyperplanes`` (different hyperplanes closer than the tolerance, merged),
        ``unsure zero form`` / ``unsure crossing`` / ``unsure facet`` (a search decision within
        the tolerance band), ``unsure map comparison`` (two maps compared within the band),
        ``unsure contact`` (a point contact within the band), ``interior point not certified``
        (exact mode: a cell dropped), ``volume not computed``.
    message : str
        One readable line.
    patterns : tuple of str
        Patterns of the cells involved (bit strings).
    neurons : tuple of int
        Hidden neurons involved (concatenated indices).
    value : float or None
        The quantity that came close to its threshold, relative to the problem's scale.
    """

    kind: NoteKind
    message: str
    patterns: tuple[str, ...] = ()
    neurons: tuple[int, ...] = ()
    value: float | None = None

    def key(self) -> tuple[Any, ...]:
        """What makes two notes the same (used to report each once)."""
        return (self.kind, self.patterns, self.neurons)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        out: dict[str, Any] = {"kind": self.kind, "message": self.message}
        if self.patterns:
            out["patterns"] = list(self.patterns)
        if self.neurons:
            out["neurons"] = list(self.neurons)
        if self.value is not None:
            out["value"] = float(self.value)
        return out

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Note:
        """Inverse of :meth:`to_dict` (checkpoints)."""
        return cls(
            doc["kind"],
            doc["message"],
            tuple(doc.get("patterns", ())),
            tuple(int(n) for n in doc.get("neurons", ())),
            doc.get("value"),
        )


@dataclass(frozen=True, slots=True)
class RegionStats:
    """Work done by an enumeration.

    Attributes
    ----------
    lps : LPCounts
        Linear programs solved, by backend (HiGHS warm-started, SciPy, exact simplex).
    nodes : int
        Search nodes processed (0 for the split engine).
    phases : tuple of (str, float)
        Seconds spent in each phase, in order (``cells``, ``certify``, ``adjacency``,
        ``merge``, ``point contacts``, ``volumes``).
    incomplete_phases : tuple of str
        Phases cut short by the budget.
    seconds : float
        Total wall-clock seconds.
    cells : int
        Cells found.
    facets : int
        Facets between cells, counted once per (cell, facet): the sum of ``len(cell.facets)``.
    """

    lps: LPCounts = field(default_factory=LPCounts)
    nodes: int = 0
    phases: tuple[tuple[str, float], ...] = ()
    incomplete_phases: tuple[str, ...] = ()
    seconds: float = 0.0
    cells: int = 0
    facets: int = 0

    @property
    def lps_per_cell(self) -> float | None:
        """LPs solved per cell found (``None`` without cells).

        Examples
        --------
        >>> RegionStats(LPCounts(highs=30), cells=10, facets=40).lps_per_cell
        3.0
        """
        return self.lps.total / self.cells if self.cells else None

    @property
    def lps_per_facet(self) -> float | None:
        """LPs solved per (cell, facet) pair (``None`` without facets)."""
        return self.lps.total / self.facets if self.facets else None

    @property
    def cells_seconds(self) -> float:
        """Seconds spent finding cells."""
        return dict(self.phases).get("cells", 0.0)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "lps": self.lps.to_dict(),
            "nodes": self.nodes,
            "phases": {name: round(sec, 6) for name, sec in self.phases},
            "incomplete_phases": list(self.incomplete_phases),
            "seconds": round(self.seconds, 6),
            "cells": self.cells,
            "facets": self.facets,
            "lps_per_cell": _rounded(self.lps_per_cell),
            "lps_per_facet": _rounded(self.lps_per_facet),
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@dataclass(frozen=True, slots=True)
class Cell:
    """One full-dimensional activation cell.

    Attributes
    ----------
    index : int
    pattern : tuple of bool
        Hidden neurons, layers concatenated; ``True`` where the pre-activation is positive.
    point : tuple
        An interior point (rationals in exact mode, satisfying every strict inequality exactly).
    radius : float
        Radius of a ball around ``point`` inside the cell (a float estimate; 0 when unknown).
    matrix, offset : tuple
        The affine map ``x -> matrix @ x + offset`` on the cell (exact in exact mode).
    facets : tuple of int
        Hidden neurons (concatenated index) whose hyperplanes carry a facet this cell shares
        with another cell (boundary facets of the domain are not listed).
    neighbours : tuple of int
        Indices of the cells sharing a facet with this one.
    region : int
        Index of its facet-connected linear region.
    bounded : bool
    volume : Fraction, float or None
        Volume (exact in exact mode), ``None`` when unbounded or not computed.
    vertices : tuple or None
        Vertices in counter-clockwise order (2-D, bounded cells, when volumes were computed).
    """

    index: int
    pattern: tuple[bool, ...]
    point: tuple[Any, ...]
    radius: float
    matrix: tuple[tuple[Any, ...], ...]
    offset: tuple[Any, ...]
    facets: tuple[int, ...]
    neighbours: tuple[int, ...]
    region: int
    bounded: bool
    volume: Any = None
    vertices: tuple[tuple[Any, ...], ...] | None = None

    def __repr__(self) -> str:
        bits = pattern_string(self.pattern) or "-"
        return f"Cell({self.index}, pattern={bits}, region={self.region})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "index": self.index,
            "pattern": pattern_string(self.pattern),
            "point": json_number(self.point),
            "radius": self.radius,
            "matrix": json_number(self.matrix),
            "offset": json_number(self.offset),
            "facets": list(self.facets),
            "neighbours": list(self.neighbours),
            "region": self.region,
            "bounded": self.bounded,
            "volume": None if self.volume is None else json_number(self.volume),
            "vertices": None if self.vertices is None else json_number(self.vertices),
        }


@dataclass(frozen=True, slots=True)
class LinearRegion:
    """A facet-connected linear region: cells with one affine map, glued along facets."""

    index: int
    cells: tuple[int, ...]
    matrix: tuple[tuple[Any, ...], ...]
    offset: tuple[Any, ...]
    bounded: bool
    volume: Any = None
    point_region: int | None = None

    def __repr__(self) -> str:
        return f"LinearRegion({self.index}, cells={list(self.cells)})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "index": self.index,
            "cells": list(self.cells),
            "matrix": json_number(self.matrix),
            "offset": json_number(self.offset),
            "bounded": self.bounded,
            "volume": None if self.volume is None else json_number(self.volume),
            "point_region": self.point_region,
        }


T = TypeVar("T")

#: Rows converted to Python values at a time when a table is iterated.
_BLOCK = 4096


class _Table(Sequence[T]):
    """A read-only sequence of values built from columns when read.

    Subclasses store their columns and implement :meth:`_build` (the items of a range of rows,
    converting each column's rows to Python values in one call); indexing, slicing, iteration
    and equality (item by item, with any sequence) follow.
    """

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]

    def _build(self, start: int, stop: int) -> list[T]:
        raise NotImplementedError

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return tuple(self._build(k, k + 1)[0] for k in range(*index.indices(len(self))))
        i = operator.index(index)
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"index {i} is out of range for {n} items")
        i %= n
        return self._build(i, i + 1)[0]

    def __iter__(self) -> Iterator[T]:
        for start in range(0, len(self), _BLOCK):
            yield from self._build(start, min(start + _BLOCK, len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} items)"

    def __post_init__(self) -> None:
        # the columns are the value: make every array read-only
        for value in vars(self).values():
            for array in (value.starts, value.values) if isinstance(value, Ragged) else (value,):
                if isinstance(array, np.ndarray):
                    array.flags.writeable = False


def _rows(a: np.ndarray, start: int, stop: int) -> list[Any]:
    """Rows ``start:stop`` of an array as tuples (nested for 3-D arrays) of Python values."""
    block = a[start:stop].tolist()
    if a.ndim == 3:
        return [tuple(map(tuple, m)) for m in block]
    return [tuple(r) for r in block] if a.ndim == 2 else block


@dataclass(frozen=True, eq=False, repr=False)
class CellTable(_Table[Cell]):
    """The cells of an enumeration, one row per cell (see :class:`Cell` for each column).

    ``patterns`` is boolean ``(cells, hidden neurons)``; ``points``, ``matrices`` and
    ``offsets`` hold floats, or Fractions in exact mode; ``facets`` and ``neighbours`` are
    :class:`~neurogeom.core.arrays.Ragged` rows; ``volumes`` and ``vertices`` hold a value or
    ``None`` per cell.

    Examples
    --------
    >>> from neurogeom import ReLUNet, enumerate_regions
    >>> res = enumerate_regions(ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]]), progress=False)
    >>> res.cells
    CellTable(2 items)
    >>> res.cells[1].pattern, res.cells.patterns.shape
    ((False, True), (2, 2))
    """

    patterns: np.ndarray
    points: np.ndarray
    radii: np.ndarray
    matrices: np.ndarray
    offsets: np.ndarray
    facets: Ragged
    neighbours: Ragged
    regions: np.ndarray
    bounded: np.ndarray
    volumes: tuple[Any, ...]
    vertices: tuple[Any, ...]

    def __len__(self) -> int:
        return len(self.patterns)

    def _build(self, start: int, stop: int) -> list[Cell]:
        columns = zip(
            range(start, stop),
            _rows(self.patterns, start, stop),
            _rows(self.points, start, stop),
            self.radii[start:stop].tolist(),
            _rows(self.matrices, start, stop),
            _rows(self.offsets, start, stop),
            self.regions[start:stop].tolist(),
            self.bounded[start:stop].tolist(),
            strict=True,
        )
        return [
            Cell(
                i,
                pattern,
                point,
                radius,
                matrix,
                offset,
                self.facets.row(i),
                self.neighbours.row(i),
                region,
                bounded,
                self.volumes[i],
                self.vertices[i],
            )
            for i, pattern, point, radius, matrix, offset, region, bounded in columns
        ]


@dataclass(frozen=True, eq=False, repr=False)
class RegionTable(_Table[LinearRegion]):
    """The facet-connected linear regions of an enumeration, one row per region (see
    :class:`LinearRegion`); ``point_regions`` is ``-1`` where not computed."""

    members: Ragged
    matrices: np.ndarray
    offsets: np.ndarray
    bounded: np.ndarray
    volumes: tuple[Any, ...]
    point_regions: np.ndarray

    def __len__(self) -> int:
        return len(self.members)

    def _build(self, start: int, stop: int) -> list[LinearRegion]:
        columns = zip(
            range(start, stop),
            _rows(self.matrices, start, stop),
            _rows(self.offsets, start, stop),
            self.bounded[start:stop].tolist(),
            self.point_regions[start:stop].tolist(),
            strict=True,
        )
        return [
            LinearRegion(
                r,
                self.members.row(r),
                matrix,
                offset,
                bounded,
                self.volumes[r],
                None if point < 0 else point,
            )
            for r, matrix, offset, bounded, point in columns
        ]


@dataclass(frozen=True, eq=False, repr=False)
class PairTable(_Table[tuple[int, int]]):
    """Pairs of indices, stored as an ``(m, 2)`` integer array and read as tuples.

    Examples
    --------
    >>> pairs = PairTable(np.array([[0, 1], [1, 2]]))
    >>> list(pairs), pairs[-1], pairs == ((0, 1), (1, 2))
    ([(0, 1), (1, 2)], (1, 2), True)
    """

    pairs: np.ndarray

    def __len__(self) -> int:
        return len(self.pairs)

    def _build(self, start: int, stop: int) -> list[tuple[int, int]]:
        return _rows(self.pairs, start, stop)


def _cell_column(cells: Sequence[Cell], name: str, dtype: Any) -> np.ndarray:
    """One attribute of every cell as an array: a table's stored column, or read off cells."""
    if isinstance(cells, CellTable):
        return {"region": cells.regions, "pattern": cells.patterns}[name]
    return np.array([getattr(c, name) for c in cells], dtype=dtype)


@dataclass(frozen=True, slots=True)
class RegionResult:
    """Everything a region enumeration found.

    Attributes
    ----------
    net : ReLUNet
        The network enumerated, in the arithmetic used (exact in exact mode).
    domain : Domain
    exact : bool
    method : str
        The engine used (``"search"`` or ``"split"``).
    cells : sequence of Cell
        A :class:`CellTable` from an enumeration (any sequence of cells otherwise).
    regions : sequence of LinearRegion
        Facet-connected linear regions (a :class:`RegionTable` from an enumeration).
    point_regions : tuple of tuple of int, or None
        Point-connected linear regions as tuples of facet-connected region indices (``None``
        when not computed: ``point_connected=False``).
    adjacency : sequence of (int, int)
        Facet-adjacent cell pairs (the dual graph; a :class:`PairTable` from an enumeration).
    complete : bool
        ``False`` when a budget stopped some phase (see ``stats.incomplete_phases``); counts
        of cells are then lower bounds.
    uncertified : tuple of Note
        Decisions that could not be certified and cells that were left out.
    stats : RegionStats
        Work done: LPs by backend, nodes, seconds per phase.
    """

    net: ReLUNet = field(repr=False, compare=False)
    domain: Domain
    exact: bool
    method: str
    cells: Sequence[Cell]
    regions: Sequence[LinearRegion]
    point_regions: tuple[tuple[int, ...], ...] | None
    adjacency: Sequence[tuple[int, int]]
    complete: bool = True
    uncertified: tuple[Note, ...] = ()
    stats: RegionStats = field(default_factory=RegionStats)

    @property
    def n_inputs(self) -> int:
        """Input dimension."""
        return self.net.n_inputs

    @property
    def n_outputs(self) -> int:
        """Output dimension."""
        return self.net.n_outputs

    @property
    def activation_regions(self) -> int:
        """Number of full-dimensional activation cells."""
        return len(self.cells)

    @property
    def linear_regions(self) -> int:
        """Number of facet-connected linear regions."""
        return len(self.regions)

    @property
    def linear_regions_point_connected(self) -> int | None:
        """Number of linear regions when touching at any point connects (``None`` when not
        computed)."""
        return None if self.point_regions is None else len(self.point_regions)

    @property
    def bounded_regions(self) -> int:
        """Number of bounded facet-connected linear regions."""
        if isinstance(self.regions, RegionTable):
            return int(self.regions.bounded.sum())
        return sum(r.bounded for r in self.regions)

    @property
    def certified(self) -> bool:
        """Whether no decision came near its tolerance and no cell was left out."""
        return not self.uncertified

    @property
    def region_adjacency(self) -> tuple[tuple[int, int], ...]:
        """Pairs of facet-connected regions that share a facet (the region dual graph)."""
        if not len(self.adjacency):
            return ()
        pairs = (
            self.adjacency.pairs
            if isinstance(self.adjacency, PairTable)
            else np.array(list(self.adjacency), dtype=np.int64)
        )
        regions = _cell_column(self.cells, "region", np.int64)[pairs]
        regions = np.sort(regions[regions[:, 0] != regions[:, 1]], axis=1)
        return tuple(map(tuple, distinct_pairs(regions).tolist()))

    def locate(self, x: Any) -> Cell | None:
        """The cell whose interior (or inactive-side boundary) contains the point ``x``.

        The point's activation pattern (exact when the result is exact) names the cell; points
        outside the domain, and points on a boundary whose pattern belongs to no full-dimensional
        cell, give ``None``. ``result.locate(x).region`` is the point's linear region.

        Examples
        --------
        >>> from neurogeom import ReLUNet, enumerate_regions
        >>> net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]], exact=True)
        >>> res = enumerate_regions(net, exact=True, progress=False)
        >>> res.locate(["1/2", 2]).matrix
        ((Fraction(0, 1), Fraction(1, 1)),)
        """
        net = self.net
        point, _ = as_points(x, net.n_inputs, exact=net.exact)
        if len(self.domain.b):
            a = self.domain.a if net.exact else self.domain.a_float
            b = self.domain.b if net.exact else self.domain.b_float
            if not all(row @ point[0] <= bound for row, bound in zip(a, b, strict=True)):
                return None
        pattern = np.asarray(net.activation_patterns(point)[0], dtype=bool)
        n = len(self.cells)
        if n == 0:
            return None
        patterns = _cell_column(self.cells, "pattern", bool).reshape(n, len(pattern))
        hits = np.flatnonzero((patterns == pattern).all(axis=1))
        return self.cells[int(hits[0])] if len(hits) else None

    def counts(self) -> dict[str, int | None]:
        """The four counts by name."""
        return {
            "activation_regions": self.activation_regions,
            "linear_regions": self.linear_regions,
            "linear_regions_point_connected": self.linear_regions_point_connected,
            "bounded_regions": self.bounded_regions,
        }

    def __repr__(self) -> str:
        c = self.counts()
        flag = "" if self.complete else ", incomplete"
        return (
            f"RegionResult(activation_regions={c['activation_regions']}, "
            f"linear_regions={c['linear_regions']}, "
            f"point_connected={c['linear_regions_point_connected']}, "
            f"bounded={c['bounded_regions']}, {self.method}"
            f"{', exact' if self.exact else ''}{flag})"
        )

    def to_dict(self, *, cells: bool = False) -> dict[str, Any]:
        """JSON-ready form: the counts, the domain, completeness; ``cells=True`` adds details."""
        out: dict[str, Any] = {
            **self.counts(),
            "domain": self.domain.to_dict(),
            "exact": self.exact,
            "method": self.method,
            "complete": self.complete,
            "certified": self.certified,
            "counting": dict(DEFINITIONS),
            "stats": self.stats.to_dict(),
        }
        if self.uncertified:
            out["uncertified"] = [n.to_dict() for n in self.uncertified]
        if cells:
            out["cells"] = [c.to_dict() for c in self.cells]
            out["regions"] = [r.to_dict() for r in self.regions]
            out["point_regions"] = (
                None if self.point_regions is None else [list(p) for p in self.point_regions]
            )
            out["adjacency"] = [list(p) for p in self.adjacency]
            out["region_adjacency"] = [list(p) for p in self.region_adjacency]
        return out

    def _repr_html_(self) -> str:
        """A small table for Jupyter."""
        rows = "".join(
            f"<tr><td>{name.replace('_', ' ')}</td><td><b>{value}</b></td>"
            f"<td style='color:#666'>{DEFINITIONS[name]}</td></tr>"
            for name, value in self.counts().items()
        )
        mode = "exact" if self.exact else "float"
        state = "certified" if self.certified else f"{len(self.uncertified)} uncertified"
        done = "" if self.complete else ", <b>incomplete</b>"
        return (
            f"<div><b>RegionResult</b> on {self.domain.describe()} ({self.method} engine, "
            f"{mode}, {state}{done})<table>{rows}</table></div>"
        )

    def plot(self, ax: Any = None, *, box: Any = None, **options: Any) -> Any:
        """Draw the 2-D partition, cells coloured by linear region (needs matplotlib).

        See :func:`neurogeom.regions.plot.plot_regions`.
        """
        from neurogeom.regions.plot import plot_regions

        return plot_regions(self, ax=ax, box=box, **options)
