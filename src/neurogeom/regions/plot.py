"""Pictures of the input partition of a 2-D network, coloured by linear region (matplotlib).

Cells are drawn as exact polygons (clipped to the window), coloured by their linear region, with
the network's decision boundary — where the output is 0 for one output, where the largest
output changes for several — drawn exactly, cell by cell, since the network is affine on each.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.figures import pyplot
from neurogeom.core.polyhedra import order_polygon, polytope_vertices
from neurogeom.nets.geometry import cell_halfspaces

__all__ = ["decision_segments", "plot_regions"]


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

    Parameters
    ----------
    result : RegionResult
        From :func:`~neurogeom.regions.enumerate_regions` on a net with 2 inputs.
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
    if result.n_inputs != 2:
        raise InvalidInputError(
            f"plots are drawn for networks with 2 inputs; this one has {result.n_inputs}"
        )
    plt = pyplot()
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Patch, Polygon

    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 6.0))
    lo, hi = _window(result, box)
    n_regions = max(result.linear_regions, 1)
    cmap = plt.get_cmap(
        "tab20" if n_regions <= 20 else "turbo", n_regions if n_regions > 20 else 20
    )
    stored = result.domain.kind == "box" and box is None  # stored polygons fit the window
    segments = []
    for cell in result.cells:
        poly = _cell_polygon(result, cell, lo, hi, stored)
        if poly is None:
            continue
        colour = cmap(cell.region % 20) if n_regions <= 20 else cmap(cell.region)
        ax.add_patch(Polygon(poly, closed=True, facecolor=colour, edgecolor="0.3", linewidth=0.3))
        if boundary:
            segments += decision_segments(cell.matrix, cell.offset, poly)
    if segments:
        ax.add_collection(LineCollection(segments, colors="black", linewidths=1.6, zorder=3))
    if annotate:
        for region in result.regions:
            p = result.cells[region.cells[0]].point
            ax.annotate(
                str(region.index), (float(p[0]), float(p[1])), ha="center", va="center", fontsize=8
            )
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    c = result.counts()
    ax.set_title(
        title
        or f"{c['linear_regions']} linear regions, {c['activation_regions']} activation regions",
        fontsize=10,
    )
    handles = [Patch(facecolor="0.85", edgecolor="0.3", label="cell (colour = linear region)")]
    if segments:
        from matplotlib.lines import Line2D

        label = "decision boundary f(x) = 0" if result.n_outputs == 1 else "decision boundary"
        handles.append(Line2D([0], [0], color="black", lw=1.6, label=label))
    if n_regions > 20:
        sm = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(0, n_regions - 1))
        ax.figure.colorbar(sm, ax=ax, fraction=0.046, pad=0.04, label="linear region index")
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncol=2,
        fontsize=8,
        frameon=False,
    )
    return ax
