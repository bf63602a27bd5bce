"""Pictures of a region enumeration (matplotlib): the partition, the function, the cell sizes.

- :func:`plot_regions`: for 2 inputs, the input partition with cells drawn as exact polygons
  (clipped to the window), filled by linear region so that regions sharing a facet never share a
  colour (:func:`colour_regions`), and the network's decision boundary — where the output is 0
  for one output, where the largest output changes for several — drawn exactly, cell by cell,
  since the network is affine on each. For 1 input it draws :func:`plot_function`.
- :func:`plot_function`: a 1-input network's graph, exact segment by segment, with its
  breakpoints (kinks between linear regions, and activation boundaries where the map does not
  change).
- :func:`plot_cell_volumes`: a histogram of the cells' volumes on a bounded domain
  (:func:`volume_histogram` gives its numbers).
"""

from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.figures import pyplot
from neurogeom.core.polyhedra import order_polygon, polytope_vertices
from neurogeom.nets.geometry import cell_halfspaces

__all__ = [
    "PALETTE",
    "VolumeHistogram",
    "colour_regions",
    "decision_segments",
    "plot_cell_volumes",
    "plot_function",
    "plot_regions",
    "volume_histogram",
]

#: Fill colours of linear regions (light, so that black lines stay legible on every one).
PALETTE = (
    "#8dd3c7",
    "#fb8072",
    "#80b1d3",
    "#fdb462",
    "#b3de69",
    "#bebada",
    "#fccde5",
    "#ffed6f",
    "#d9d9d9",
    "#bc80bd",
    "#ccebc5",
    "#ffffb3",
)
_EDGE = "#4d4d4d"  # cell edges and breakpoints
_TITLE_SIZE, _LABEL_SIZE, _TICK_SIZE, _LEGEND_SIZE = 11, 10, 9, 9


def _window(result: Any, box: Any) -> tuple[np.ndarray, np.ndarray]:
    if box is not None:
        lo, hi = (np.broadcast_to(np.asarray(v, dtype=float), (2,)) for v in box)
        return lo, hi
    if result.domain.kind == "box":
        return (
            np.array([float(v) for v in result.domain.lower]),
            np.array([float(v) for v in result.domain.upper]),
        )
    pts = np.array([[float(v) for v in c.point] for c in result.cells])
    centre = pts.mean(axis=0)
    half = max(np.abs(pts - centre).max() * 1.5, 1.0)
    return centre - half, centre + half


def _clip_rows(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.array([[1.0, 0], [0, 1], [-1, 0], [0, -1]]), np.concatenate([hi, -lo])


def _cell_polygon(result: Any, cell: Any, lo: np.ndarray, hi: np.ndarray, stored: bool) -> Any:
    if stored and cell.vertices is not None:
        return np.array(cell.vertices, dtype=float)
    net = result.net.to_float()
    rows = cell_halfspaces(net, np.array(cell.pattern, dtype=bool), domain=result.domain)
    box_a, box_b = _clip_rows(lo, hi)
    try:
        return order_polygon(
            polytope_vertices(np.concatenate([rows.a, box_a]), np.concatenate([rows.b, box_b]))
        )
    except InvalidInputError:
        return None  # the cell misses the window


def _clip_line(polygon: np.ndarray, normal: np.ndarray, offset: float) -> np.ndarray | None:
    """The segment where ``normal @ x + offset = 0`` crosses a convex polygon, or None."""
    values = polygon @ normal + offset
    points = []
    k = len(polygon)
    for i in range(k):
        j = (i + 1) % k
        a, b = values[i], values[j]
        if a == 0:
            points.append(polygon[i])
        if a * b < 0:
            t = a / (a - b)
            points.append(polygon[i] + t * (polygon[j] - polygon[i]))
    if len(points) < 2:
        return None
    pts = np.array(points)
    direction = np.array([-normal[1], normal[0]])
    along = pts @ direction
    return pts[[int(np.argmin(along)), int(np.argmax(along))]]


def decision_segments(matrix: Any, offset: Any, polygon: np.ndarray) -> list[np.ndarray]:
    """Pieces of the decision boundary of an affine map ``M x + c`` inside a convex polygon.

    One output: the segment of ``M x + c = 0``. Several outputs: where the two largest outputs
    tie (each pair ``i, j``, clipped to the part of the polygon where they are the largest).

    Examples
    --------
    >>> square = np.array([[-1.0, -1], [1, -1], [1, 1], [-1, 1]])
    >>> [s.tolist() for s in decision_segments([[1.0, 0.0]], [0.0], square)]
    [[[0.0, -1.0], [0.0, 1.0]]]
    """
    m = np.asarray(matrix, dtype=float)
    c = np.asarray(offset, dtype=float)
    if m.shape[0] == 1:
        seg = _clip_line(polygon, m[0], float(c[0]))
        return [] if seg is None or np.allclose(seg[0], seg[1]) else [seg]
    out = []
    for i in range(m.shape[0]):
        for j in range(i + 1, m.shape[0]):
            normal, off = m[i] - m[j], float(c[i] - c[j])
            if not normal.any():
                continue
            # the part of the polygon where i and j beat every other output
            rows_a = [m[k] - m[i] for k in range(m.shape[0]) if k not in (i, j)]
            rows_a += [m[k] - m[j] for k in range(m.shape[0]) if k not in (i, j)]
            rows_b = [c[i] - c[k] for k in range(m.shape[0]) if k not in (i, j)]
            rows_b += [c[j] - c[k] for k in range(m.shape[0]) if k not in (i, j)]
            region = polygon
            if rows_a:
                edges = np.roll(polygon, -1, axis=0) - polygon
                poly_a = np.stack([edges[:, 1], -edges[:, 0]], axis=1)
                poly_b = np.einsum("ij,ij->i", poly_a, polygon)
                try:
                    region = order_polygon(
                        polytope_vertices(
                            np.concatenate([poly_a, np.array(rows_a)]),
                            np.concatenate([poly_b, np.array(rows_b)]),
                        )
                    )
                except InvalidInputError:
                    continue
            seg = _clip_line(region, normal, off)
            if seg is not None and not np.allclose(seg[0], seg[1]):
                out.append(seg)
    return out


def colour_regions(n_regions: int, adjacency: Any, *, n_colours: int = 8) -> tuple[int, ...]:
    """A colour index for each region such that regions sharing a facet get different colours.

    Regions are coloured greedily in smallest-last order, each with the colour among the first
    ``n_colours`` that its coloured neighbours do not use and that has been used least so far
    (so that the colours spread and no pair of them looks like a classification). Smallest-last
    order leaves each region at most ``d`` coloured neighbours, ``d`` the graph's degeneracy:
    at most 5 for the regions of a partition of the plane (planar graphs are 5-degenerate),
    1 on a line, so ``n_colours >= 6`` always suffices there. Should a graph need more, the next
    indices are used. Colours index :data:`PALETTE` (modulo its length).

    Parameters
    ----------
    n_regions : int
    adjacency : iterable of (int, int)
        Pairs of adjacent regions, e.g. ``RegionResult.region_adjacency``.
    n_colours : int
        How many colours to spread over.

    Returns
    -------
    tuple of int
        The colour of each region.

    Examples
    --------
    >>> colour_regions(4, [(0, 1), (1, 2), (2, 3), (3, 0)])  # a cycle of four regions
    (3, 2, 1, 0)
    >>> colour_regions(4, [(0, 1), (1, 2), (2, 3), (3, 0)], n_colours=2)
    (1, 0, 1, 0)
    """
    neighbours: list[set[int]] = [set() for _ in range(n_regions)]
    for a, b in adjacency:
        if a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)
    degree = [len(n) for n in neighbours]
    heap = [(d, i) for i, d in enumerate(degree)]
    heapq.heapify(heap)
    removed = [False] * n_regions
    order = []
    while heap:  # repeatedly remove a region of least remaining degree
        d, i = heapq.heappop(heap)
        if removed[i] or d != degree[i]:
            continue  # a stale heap entry
        removed[i] = True
        order.append(i)
        for j in neighbours[i]:
            if not removed[j]:
                degree[j] -= 1
                heapq.heappush(heap, (degree[j], j))
    colour = [-1] * n_regions
    uses = [0] * n_colours
    for i in reversed(order):  # colour in reverse removal order
        taken = {colour[j] for j in neighbours[i]}
        free = [c for c in range(n_colours) if c not in taken]
        if free:
            colour[i] = min(free, key=lambda c: (uses[c], c))
            uses[colour[i]] += 1
        else:
            colour[i] = next(
                c for c in range(n_colours, n_colours + len(taken) + 1) if c not in taken
            )
    return tuple(colour)


def _fill(colours: tuple[int, ...], region: int) -> str:
    return PALETTE[colours[region] % len(PALETTE)]


def _axes(ax: Any, figsize: tuple[float, float]) -> tuple[Any, Any]:
    """``(pyplot, ax)``: the given axes, or new ones of ``figsize``."""
    plt = pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return plt, ax


def _counts_title(result: Any) -> str:
    c = result.counts()
    return f"{c['linear_regions']} linear regions, {c['activation_regions']} activation regions"


def _finish_axes(ax: Any, title: str, handles: list[Any], ncol: int) -> None:
    ax.set_title(title, fontsize=_TITLE_SIZE)
    ax.xaxis.label.set_size(_LABEL_SIZE)
    ax.yaxis.label.set_size(_LABEL_SIZE)
    ax.tick_params(labelsize=_TICK_SIZE)
    if handles:
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12),
            ncol=ncol,
            fontsize=_LEGEND_SIZE,
            frameon=False,
        )


def plot_regions(
    result: Any,
    *,
    ax: Any = None,
    box: Any = None,
    annotate: bool = False,
    boundary: bool = True,
    title: str | None = None,
) -> Any:
    """Draw the cells of a 2-D :class:`~neurogeom.regions.RegionResult`, coloured by region.

    Each activation cell is filled with the colour of its linear region; regions that share a
    facet always differ in colour (:func:`colour_regions`), so the picture stays legible with
    hundreds of regions. Thin grey lines are the cells' edges, the black line (on a white halo)
    the decision boundary. A 1-input result is drawn by :func:`plot_function`.

    Parameters
    ----------
    result : RegionResult
        From :func:`~neurogeom.regions.enumerate_regions` on a net with 2 inputs (or 1).
    ax : matplotlib Axes, optional
        Where to draw (a new figure if omitted).
    box : (lower, upper), optional
        The window; default: the domain if it is a box, else a window around all cells.
    annotate : bool
        Write each region's index at its first cell's interior point.
    boundary : bool
        Draw the decision boundary (black).
    title : str, optional
        Figure title (default: the counts).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from neurogeom import ReLUNet
    >>> from neurogeom.regions import enumerate_regions
    >>> net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])
    >>> ax = plot_regions(enumerate_regions(net, domain=(-1, 1), progress=False))
    >>> len(ax.patches)
    4
    """
    if result.n_inputs == 1:
        return plot_function(result, ax=ax, box=box, title=title)
    if result.n_inputs != 2:
        raise InvalidInputError(
            f"plots are drawn for networks with 1 or 2 inputs; this one has {result.n_inputs}"
        )
    _, ax = _axes(ax, (6.4, 6.0))
    from matplotlib import patheffects
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Polygon

    lo, hi = _window(result, box)
    colours = colour_regions(result.linear_regions, result.region_adjacency)
    stored = result.domain.kind == "box" and box is None  # stored polygons fit the window
    segments = []
    for cell in result.cells:
        poly = _cell_polygon(result, cell, lo, hi, stored)
        if poly is None:
            continue
        ax.add_patch(
            Polygon(
                poly,
                closed=True,
                facecolor=_fill(colours, cell.region),
                edgecolor=_EDGE,
                linewidth=0.3,
            )
        )
        if boundary:
            segments += decision_segments(cell.matrix, cell.offset, poly)
    halo = [patheffects.withStroke(linewidth=3.6, foreground="white")]
    if segments:
        lines = LineCollection(segments, colors="black", linewidths=1.6, zorder=3)
        lines.set_path_effects(halo)
        lines.set_capstyle("round")
        ax.add_collection(lines)
    if annotate:
        for region in result.regions:
            p = result.cells[region.cells[0]].point
            ax.annotate(
                str(region.index),
                (float(p[0]), float(p[1])),
                ha="center",
                va="center",
                fontsize=_TICK_SIZE,
                zorder=4,
            )
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    handles = [
        Patch(
            facecolor=PALETTE[0],
            edgecolor=_EDGE,
            linewidth=0.6,
            label="activation cell (fill = its linear region)",
        )
    ]
    if segments:
        label = "decision boundary f(x) = 0" if result.n_outputs == 1 else "decision boundary"
        handles.append(Line2D([0], [0], color="black", lw=1.6, label=label, path_effects=halo))
    _finish_axes(ax, title or _counts_title(result), handles, ncol=2)
    return ax


@dataclass(frozen=True, slots=True)
class _Piece:
    """A cell of a 1-input net: the interval it covers and its affine map, in floats."""

    lower: float
    upper: float
    slope: np.ndarray
    offset: np.ndarray
    region: int

    def values(self, x: float) -> np.ndarray:
        return self.slope * x + self.offset


def _pieces(result: Any) -> list[_Piece]:
    """The cells of a 1-input result as intervals, from their inequalities, left to right."""
    pieces = []
    for cell in result.cells:
        rows = cell_halfspaces(result.net, np.array(cell.pattern, dtype=bool), domain=result.domain)
        lower, upper = -math.inf, math.inf
        for a, b in zip(rows.a[:, 0], rows.b, strict=True):
            if a > 0:
                upper = min(upper, float(b / a))
            elif a < 0:
                lower = max(lower, float(b / a))
        slope = np.array([float(row[0]) for row in cell.matrix])
        offset = np.array([float(v) for v in cell.offset])
        pieces.append(_Piece(lower, upper, slope, offset, cell.region))
    return sorted(pieces, key=lambda p: p.lower)


def _window_1d(result: Any, box: Any, pieces: list[_Piece]) -> tuple[float, float]:
    if box is not None:
        return float(np.ravel(box[0])[0]), float(np.ravel(box[1])[0])
    if result.domain.kind == "box":
        return float(result.domain.lower[0]), float(result.domain.upper[0])
    breaks = [p.upper for p in pieces[:-1]]
    if not breaks:
        return -1.0, 1.0
    pad = max(0.25 * (max(breaks) - min(breaks)), 1.0)
    return min(breaks) - pad, max(breaks) + pad


def plot_function(result: Any, *, ax: Any = None, box: Any = None, title: str | None = None) -> Any:
    """Draw the graph of a 1-input network, exactly piece by piece, with its breakpoints.

    The background is coloured by linear region; filled dots mark kinks (where two linear
    regions meet), open dots activation boundaries where the map does not change.

    Parameters
    ----------
    result : RegionResult
        From :func:`~neurogeom.regions.enumerate_regions` on a net with 1 input.
    ax : matplotlib Axes, optional
    box : (lower, upper), optional
        The window; default: the domain if it is a box, else around all breakpoints.
    title : str, optional
        Figure title (default: the counts).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from neurogeom import ReLUNet
    >>> from neurogeom.regions import enumerate_regions
    >>> net = ReLUNet([[[1], [-1]], [[1, 1]]])  # |x|
    >>> ax = plot_function(enumerate_regions(net, domain=(-1, 2), progress=False))
    >>> [line.get_xydata().tolist() for line in ax.lines[:2]]
    [[[-1.0, 1.0], [0.0, 0.0]], [[0.0, 0.0], [2.0, 2.0]]]
    """
    if result.n_inputs != 1:
        raise InvalidInputError(
            f"plot_function draws networks with 1 input; this one has {result.n_inputs}"
        )
    plt, ax = _axes(ax, (6.4, 4.4))
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    pieces = _pieces(result)
    lo, hi = _window_1d(result, box, pieces)
    colours = colour_regions(result.linear_regions, result.region_adjacency)
    n_out = result.n_outputs
    line_colours = (
        ["black"] if n_out == 1 else [plt.get_cmap("tab10")(k % 10) for k in range(n_out)]
    )
    for piece in pieces:
        a, b = max(piece.lower, lo), min(piece.upper, hi)
        if a >= b:
            continue
        ax.axvspan(a, b, facecolor=_fill(colours, piece.region), alpha=0.6, lw=0, zorder=0)
        ya, yb = piece.values(a), piece.values(b)
        for k in range(n_out):
            ax.plot([a, b], [ya[k], yb[k]], color=line_colours[k], lw=1.8, zorder=3)
    kinks: list[tuple[float, float]] = []
    plain: list[tuple[float, float]] = []
    for left, right in itertools.pairwise(pieces):
        x = left.upper
        if lo < x < hi:
            target = kinks if left.region != right.region else plain
            target += [(x, float(y)) for y in left.values(x)]
    if kinks:
        ax.plot(*zip(*kinks, strict=True), "o", ms=5.5, color="black", zorder=4)
    if plain:
        ax.plot(*zip(*plain, strict=True), "o", ms=5.5, mfc="white", mec="black", zorder=4)
    ax.axhline(0.0, color="0.45", lw=0.8, ls="--", zorder=1)
    ax.set_xlim(lo, hi)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$f(x)$" if n_out == 1 else "outputs $f_k(x)$")
    handles: list[Any] = [
        Line2D(
            [0], [0], color=line_colours[k], lw=1.8, label="f(x)" if n_out == 1 else f"f_{k + 1}"
        )
        for k in range(n_out)
    ]
    handles.append(Patch(facecolor=PALETTE[0], alpha=0.6, label="linear region (fill)"))
    if kinks:
        handles.append(Line2D([0], [0], ls="", marker="o", color="black", label="kink"))
    if plain:
        handles.append(
            Line2D(
                [0], [0], ls="", marker="o", mfc="white", mec="black", label="cell edge, no kink"
            )
        )
    _finish_axes(ax, title or _counts_title(result), handles, ncol=min(len(handles), 4))
    return ax


@dataclass(frozen=True, slots=True)
class VolumeHistogram:
    """The numbers behind :func:`plot_cell_volumes`.

    Attributes
    ----------
    edges : tuple of float
        Bin edges, increasing (``len(counts) + 1`` of them).
    counts : tuple of int
        Cells per bin (a cell on an edge counts in the bin to its right; the last bin is closed).
    log_scale : bool
        Whether the bins are equally wide in ``log10(volume)`` (volumes spread over more than
        a factor 10) rather than in volume.
    cells : int
        Cells counted (those with a volume).
    mean : float
        Total volume of these cells divided by their number.
    measure : str
        ``"length"``, ``"area"`` or ``"volume"`` (by input dimension).
    """

    edges: tuple[float, ...]
    counts: tuple[int, ...]
    log_scale: bool
    cells: int
    mean: float
    measure: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "edges": list(self.edges),
            "counts": list(self.counts),
            "log_scale": self.log_scale,
            "cells": self.cells,
            "mean": self.mean,
            "measure": self.measure,
        }


def _measure(dim: int) -> str:
    return {1: "length", 2: "area"}.get(dim, "volume")


def volume_histogram(result: Any, *, max_bins: int = 40) -> VolumeHistogram:
    """Bin the volumes of a result's cells (equal bins in log scale when they spread widely).

    Parameters
    ----------
    result : RegionResult
        Computed with ``volumes=True`` on a bounded domain.
    max_bins : int
        At most this many bins (numpy's ``"auto"`` rule otherwise).

    Returns
    -------
    VolumeHistogram

    Raises
    ------
    InvalidInputError
        If no cell has a volume.

    Examples
    --------
    >>> from neurogeom import ReLUNet
    >>> from neurogeom.regions import enumerate_regions
    >>> net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])
    >>> h = volume_histogram(enumerate_regions(net, domain=(-1, 1), progress=False))
    >>> h.cells, sum(h.counts), h.mean, h.log_scale, h.measure
    (4, 4, 1.0, False, 'area')
    """
    volumes = np.array([float(c.volume) for c in result.cells if c.volume is not None])
    if not len(volumes):
        raise InvalidInputError(
            "no cell has a volume: enumerate on a bounded domain with volumes=True"
        )
    log_scale = bool(volumes.min() > 0 and volumes.max() > 10 * volumes.min())
    values = np.log10(volumes) if log_scale else volumes
    edges = np.histogram_bin_edges(values, bins="auto")
    if len(edges) > max_bins + 1:
        edges = np.histogram_bin_edges(values, bins=max_bins)
    counts, _ = np.histogram(values, bins=edges)
    shown = 10.0**edges if log_scale else edges
    return VolumeHistogram(
        tuple(float(e) for e in shown),
        tuple(int(k) for k in counts),
        log_scale,
        len(volumes),
        float(volumes.sum() / len(volumes)),
        _measure(result.n_inputs),
    )


def _log_ticks(ax: Any, lower: float, upper: float) -> None:
    """A log x axis labelled legibly: decades over a wide range, 1-2-5 steps over a narrow one
    (matplotlib's default labels every minor tick then, and they overlap)."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    ax.set_xscale("log")
    narrow = math.log10(upper / lower) < 2
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0) if narrow else (1.0,)))
    if narrow:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())


def plot_cell_volumes(
    result: Any, *, ax: Any = None, title: str | None = None, max_bins: int = 40
) -> Any:
    """Histogram of the volumes (lengths, areas) of a result's cells, with their mean marked.

    Parameters
    ----------
    result : RegionResult
        Computed with ``volumes=True`` on a bounded domain.
    ax : matplotlib Axes, optional
    title : str, optional
        Figure title (default: how many cells, on which domain).
    max_bins : int
        See :func:`volume_histogram`.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from neurogeom import ReLUNet
    >>> from neurogeom.regions import enumerate_regions
    >>> net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])
    >>> ax = plot_cell_volumes(enumerate_regions(net, domain=(-1, 1), progress=False))
    >>> int(sum(p.get_height() for p in ax.patches))
    4
    """
    h = volume_histogram(result, max_bins=max_bins)
    _, ax = _axes(ax, (6.4, 4.0))
    from matplotlib.ticker import MaxNLocator

    edges = np.array(h.edges)
    ax.bar(
        edges[:-1],
        h.counts,
        width=np.diff(edges),
        align="edge",
        color=PALETTE[2],
        edgecolor="white",
        linewidth=0.6,
        label="activation cells",
    )
    ax.axvline(h.mean, color="black", ls="--", lw=1.4, label=f"mean {h.measure} {h.mean:.3g}")
    if h.log_scale:
        _log_ticks(ax, edges[0], edges[-1])
    ax.set_xlabel(f"cell {h.measure}" + (" (log scale)" if h.log_scale else ""))
    ax.set_ylabel("number of cells")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    handles, _ = ax.get_legend_handles_labels()
    _finish_axes(ax, title or f"{h.cells} cells on {result.domain.describe()}", handles, ncol=2)
    return ax
