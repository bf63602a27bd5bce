"""Results of region enumeration: :class:`Cell`, :class:`LinearRegion`, :class:`RegionResult`.

Small frozen values that print briefly and convert to JSON with ``to_dict()``. Rationals are
written as ``"p/q"`` strings, integers as integers.

Counting definitions (always reported together, see the regions spec §1):

- ``activation_regions``: full-dimensional cells of constant activation pattern;
- ``linear_regions``: maximal unions of cells with the same affine map (for several outputs the
  same tuple of maps) connected through shared facets, i.e. ``(n-1)``-dimensional faces;
- ``linear_regions_point_connected``: the same, but cells that touch anywhere (even at a single
  point) connect;
- ``bounded_regions``: facet-connected linear regions that are bounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from neurogeom.core.rationals import fraction_to_json
from neurogeom.regions.domain import Domain

__all__ = ["Cell", "LinearRegion", "RegionResult"]


def _num(v: Any) -> Any:
    if isinstance(v, Fraction):
        return fraction_to_json(v)
    if isinstance(v, float | np.floating):
        return float(v)
    if isinstance(v, int | np.integer):
        return int(v)
    return v


def _nums(values: Any) -> Any:
    if isinstance(values, tuple | list | np.ndarray):
        return [_nums(v) for v in values]
    return _num(values)


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
        Radius of a ball around ``point`` inside the cell (a float estimate).
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
        Vertices in counter-clockwise order (2-D, bounded cells).
    certified : bool
        In exact mode: whether ``point`` was verified exactly.
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
    certified: bool = True

    def __repr__(self) -> str:
        bits = "".join("1" if b else "0" for b in self.pattern)
        return f"Cell({self.index}, pattern={bits or '-'}, region={self.region})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "index": self.index,
            "pattern": "".join("1" if b else "0" for b in self.pattern),
            "point": _nums(self.point),
            "radius": self.radius,
            "matrix": _nums(self.matrix),
            "offset": _nums(self.offset),
            "facets": list(self.facets),
            "neighbours": list(self.neighbours),
            "region": self.region,
            "bounded": self.bounded,
            "volume": None if self.volume is None else _num(self.volume),
            "vertices": None if self.vertices is None else _nums(self.vertices),
            "certified": self.certified,
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
    point_region: int = 0

    def __repr__(self) -> str:
        return f"LinearRegion({self.index}, cells={list(self.cells)})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "index": self.index,
            "cells": list(self.cells),
            "matrix": _nums(self.matrix),
            "offset": _nums(self.offset),
            "bounded": self.bounded,
            "volume": None if self.volume is None else _num(self.volume),
            "point_region": self.point_region,
        }


@dataclass(frozen=True, slots=True)
class RegionResult:
    """Everything a region enumeration found.

    Attributes
    ----------
    domain : Domain
    exact : bool
    method : str
        The engine used (``"search"`` or ``"split"``).
    cells : tuple of Cell
    regions : tuple of LinearRegion
        Facet-connected linear regions.
    point_regions : tuple of tuple of int
        Point-connected linear regions as tuples of facet-connected region indices.
    adjacency : tuple of (int, int)
        Facet-adjacent cell pairs (the dual graph).
    complete : bool
        ``False`` when a budget stopped the enumeration (counts are then lower bounds).
    uncertified : tuple of dict
        Cells or contacts that could not be certified (thin cells in float mode, failed exact
        checks); they are not counted.
    stats : dict
        Work done: LPs solved, engine nodes, seconds.
    """

    domain: Domain
    exact: bool
    method: str
    n_inputs: int
    n_outputs: int
    cells: tuple[Cell, ...]
    regions: tuple[LinearRegion, ...]
    point_regions: tuple[tuple[int, ...], ...]
    adjacency: tuple[tuple[int, int], ...]
    complete: bool = True
    uncertified: tuple[dict[str, Any], ...] = ()
    stats: dict[str, Any] = field(default_factory=dict)
    net: Any = field(default=None, repr=False, compare=False)

    @property
    def activation_regions(self) -> int:
        """Number of full-dimensional activation cells."""
        return len(self.cells)

    @property
    def linear_regions(self) -> int:
        """Number of facet-connected linear regions."""
        return len(self.regions)

    @property
    def linear_regions_point_connected(self) -> int:
        """Number of linear regions when touching at any point connects."""
        return len(self.point_regions)

    @property
    def bounded_regions(self) -> int:
        """Number of bounded facet-connected linear regions."""
        return sum(r.bounded for r in self.regions)

    @property
    def certified(self) -> bool:
        """Whether every counted cell and every merge was certified."""
        return not self.uncertified and all(c.certified for c in self.cells)

    @property
    def region_adjacency(self) -> tuple[tuple[int, int], ...]:
        """Pairs of facet-connected regions that share a facet (the region dual graph)."""
        pairs = {
            tuple(sorted((self.cells[a].region, self.cells[b].region)))
            for a, b in self.adjacency
            if self.cells[a].region != self.cells[b].region
        }
        return tuple(sorted(pairs))

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
        point, _ = net._check_points(x)
        if len(self.domain.b):
            a = self.domain.a if net.exact else self.domain.a_float
            b = self.domain.b if net.exact else self.domain.b_float
            if not all(row @ point[0] <= bound for row, bound in zip(a, b, strict=True)):
                return None
        pattern = tuple(bool(v) for v in net.activation_patterns(point)[0])
        index = {c.pattern: c for c in self.cells}
        return index.get(pattern)

    def counts(self) -> dict[str, int]:
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
            "counting": {
                "activation_regions": "full-dimensional cells of constant activation pattern",
                "linear_regions": "same-map cells joined across shared facets",
                "linear_regions_point_connected": "same-map cells joined where they touch",
                "bounded_regions": "bounded facet-connected linear regions",
            },
            "stats": {k: _num(v) for k, v in self.stats.items()},
        }
        if self.uncertified:
            out["uncertified"] = [dict(u) for u in self.uncertified]
        if cells:
            out["cells"] = [c.to_dict() for c in self.cells]
            out["regions"] = [r.to_dict() for r in self.regions]
            out["point_regions"] = [list(p) for p in self.point_regions]
            out["adjacency"] = [list(p) for p in self.adjacency]
            out["region_adjacency"] = [list(p) for p in self.region_adjacency]
        return out

    def plot(self, ax: Any = None, *, box: Any = None, annotate: bool = False) -> Any:
        """Draw the 2-D partition, cells coloured by linear region (needs matplotlib).

        See :func:`neurogeom.regions.plot.plot_regions`.
        """
        from neurogeom.regions.plot import plot_regions

        return plot_regions(self, ax=ax, box=box, annotate=annotate)
