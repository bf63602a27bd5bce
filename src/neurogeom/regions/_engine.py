"""What the cell engines share: the problem they solve and what they hand to the pipeline.

An engine (:mod:`._search`, :mod:`._split`) takes a :class:`RegionProblem` and a budget and
returns an :class:`EngineRun`: the full-dimensional activation cells it found, each with a float
interior point (and, in exact mode, possibly an exact one; the split engine adds vertices),
whether it finished, and notes on what floats could not certify. The pipeline
(:mod:`._pipeline`) turns that into a :class:`~neurogeom.regions.result.RegionResult`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from neurogeom.core.budget import Budget
from neurogeom.core.domain import Domain
from neurogeom.core.lp import LPCounts
from neurogeom.core.tolerances import Tolerances
from neurogeom.nets.geometry import AffineMap, output_size, pattern_string, problem_scale
from neurogeom.nets.relu import ReLUNet
from neurogeom.regions.result import Note

__all__ = [
    "BoundedWitness",
    "Contacts",
    "Engine",
    "EngineRun",
    "FacetHints",
    "FoundCell",
    "RegionProblem",
]


@dataclass(frozen=True, slots=True, eq=False)
class RegionProblem:
    """One enumeration: the network in its working arithmetic, the domain and the tolerances.

    Attributes
    ----------
    net : ReLUNet
        Exact in exact mode, float64 otherwise.
    domain : Domain
    tol : Tolerances
    scale : float
        The length relative tolerances multiply (see
        :func:`~neurogeom.nets.geometry.problem_scale`).
    size : float
        Bound on the network's local affine maps over the scale (see
        :func:`~neurogeom.nets.geometry.output_size`); maps are compared relative to it.
    volumes : bool
        Whether the caller asked for volumes. An engine that measures cells as it builds them
        does so in float mode anyway (it costs next to nothing there) but in exact mode only
        when asked: exact areas and rational polygons cost more than finding the cells.
    exact : bool
        Exact mode: whether the network is exact.
    """

    net: ReLUNet
    domain: Domain
    tol: Tolerances
    scale: float
    size: float
    volumes: bool = False
    exact: bool = field(init=False)  # a field, not a property: asked once per cell

    def __post_init__(self) -> None:
        object.__setattr__(self, "exact", bool(self.net.exact))

    @classmethod
    def build(
        cls, net: ReLUNet, domain: Domain, tol: Tolerances, *, volumes: bool = False
    ) -> RegionProblem:
        """Derive the scales from the network and the domain."""
        scale = problem_scale(net, domain)
        return cls(net, domain, tol, scale, output_size(net, scale), volumes)

    @property
    def threshold(self) -> float:
        """``tol.rel * scale``: the absolute length below which a float quantity is zero."""
        return self.tol.rel * self.scale


@dataclass(frozen=True, slots=True)
class FacetHints:
    """What the search engine learnt about a cell's facets while finding it.

    Each hyperplane is given by its neurons (global hidden-neuron indices of one layer, the
    coincident ones together); crossing it flips exactly those bits.

    Attributes
    ----------
    certain : tuple of tuple of int
        Hyperplanes known to carry a facet of the cell: those of the last hidden layer found
        essential by the walk, and boundary hyperplanes of the parent cell whose facet the walk
        certified by a point in its relative interior.
    possible : tuple of tuple of int
        The other hyperplanes on the parent cell's boundary. A facet of the cell on a hyperplane
        of an earlier layer lies on the parent's boundary, so no other hyperplane can carry one.
    """

    certain: tuple[tuple[int, ...], ...]
    possible: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True, eq=False)
class BoundedWitness:
    """Float multipliers that prove a cell bounded (Stiemke's alternative), found by an engine.

    With ``u_i`` the unit normal of the cell's row of neuron ``neurons[i]`` (signed as the cell
    has it, ``u_i x <= c_i``), ``weights > 0`` and ``sum_i weights[i] u_i`` is zero up to
    rounding, while the ``u_i`` span the space: no direction ``d != 0`` has every ``u_i d <= 0``,
    so the cell, which lies in these rows, is bounded. Float mode takes the engine's check of
    this (with a margin over rounding) as the proof; exact mode certifies it on the exact rows
    of these neurons alone (:func:`~neurogeom.core.lp.exact_stiemke`).

    Attributes
    ----------
    neurons : tuple of int
        One hidden neuron per row used, or ``None`` when a row is not a neuron's (a domain row).
    weights : ndarray of float
        The multiplier of each row (for unit normals).
    """

    neurons: tuple[int, ...] | None
    weights: np.ndarray


@dataclass(frozen=True, slots=True, eq=False)
class FoundCell:
    """A full-dimensional activation cell as an engine reports it (before certification).

    Attributes
    ----------
    pattern : ndarray of bool
    point : ndarray of float
        An interior point (the Chebyshev centre, or the vertex centroid).
    radius : float
        Radius of a ball around ``point`` inside the cell (0 when unknown).
    exact_point : ndarray of Fraction, optional
        An exact interior point already certified by the engine (exact mode).
    vertices : ndarray, optional
        The cell's vertices (split and planar engines; exact rationals in exact mode, as
        Fractions or python-flint ``fmpq``; in counter-clockwise order in 2-D).
    output : AffineMap, optional
        The network's local affine map on the cell, when the engine computed it (exact in
        exact mode); the pipeline computes it otherwise.
    volume : Fraction or float, optional
        The cell's volume, when the engine knows it.
    facets : FacetHints, optional
        The hyperplanes that can carry the cell's facets (search engine), so that adjacency
        looks at no other.
    bounded : BoundedWitness, optional
        The engine's float proof that the cell is bounded (the search engine's Chebyshev duals,
        see ``_Walk.bounded``); ``None`` when it has none.
    recession : ndarray of float, optional
        A unit direction along which, in float arithmetic, no inequality of the cell rises: the
        engine's evidence that the cell is unbounded (float mode takes it; exact mode checks it
        on the exact rows). ``None`` when the engine has none.
    """

    pattern: np.ndarray
    point: np.ndarray
    radius: float
    exact_point: np.ndarray | None = None
    vertices: np.ndarray | None = None
    output: AffineMap | None = None
    volume: Any = None
    facets: FacetHints | None = None
    bounded: BoundedWitness | None = None
    recession: np.ndarray | None = None

    @property
    def key(self) -> str:
        """The pattern as a bit string."""
        return pattern_string(self.pattern)


@dataclass(frozen=True, slots=True, eq=False)
class Contacts:
    """How an engine's cells touch, when the engine knows it (the planar engine does).

    Attributes
    ----------
    facets : ndarray of int, shape (P, 2)
        Pairs of cells sharing a facet (``first < second``).
    points : ndarray of int, shape (Q, 2)
        Pairs of cells whose closures meet at all (facet pairs may be among them).
    """

    facets: np.ndarray
    points: np.ndarray


@dataclass(frozen=True, slots=True)
class EngineRun:
    """What an engine found.

    Attributes
    ----------
    cells : tuple of FoundCell
        Cells found and kept (each pattern once).
    complete : bool
        Whether the whole domain was covered (``False`` when the budget ran out).
    notes : tuple of Note
        Decisions floats could not certify (thin cells left out, hyperplanes merged).
    nodes : int
        Units of work done (search nodes; 0 for the split engine).
    lps : LPCounts
        LPs solved in other processes (workers); LPs of this process are counted by the caller.
    contacts : Contacts, optional
        Facet and point contacts between the cells, when the engine knows them (the pipeline
        then solves no LP for them).
    """

    cells: tuple[FoundCell, ...]
    complete: bool
    notes: tuple[Note, ...] = ()
    nodes: int = 0
    lps: LPCounts = field(default_factory=LPCounts)
    contacts: Contacts | None = None


class Engine(Protocol):
    """A cell engine: finds the activation cells of a problem within a budget."""

    name: str

    def find_cells(self, problem: RegionProblem, budget: Budget, progress: bool) -> EngineRun:
        """Enumerate the cells."""
        ...
