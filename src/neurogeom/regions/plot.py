"""Pictures of the input partition of a 2-D network, coloured by linear region (matplotlib)."""

from __future__ import annotations

from typing import Any

import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.optional import require

__all__ = ["plot_regions"]


def _clip_box(result: Any, box: Any) -> tuple[np.ndarray, np.ndarray]:
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


def plot_regions(result: Any, *, ax: Any = None, box: Any = None, annotate: bool = False) -> Any:
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

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
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
    plt = require("matplotlib.pyplot", extra="figures")
    from matplotlib.patches import Polygon

    from neurogeom.core.polyhedra import order_polygon, polytope_vertices
    from neurogeom.regions._cells import cell_rows

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 6))
    lo, hi = _clip_box(result, box)
    net = result.net.to_float()
    box_a = np.array([[1.0, 0], [0, 1], [-1, 0], [0, -1]])
    box_b = np.concatenate([hi, -lo])
    cmap = plt.get_cmap("tab20")
    dom_a, dom_b = result.domain.a.astype(float), result.domain.b.astype(float)
    inside = result.domain.kind == "box" and box is None  # stored polygons fit the window
    for cell in result.cells:
        if inside and cell.vertices is not None:
            ax.add_patch(
                Polygon(
                    np.array(cell.vertices, dtype=float),
                    closed=True,
                    facecolor=cmap(cell.region % 20),
                    edgecolor="0.25",
                    linewidth=0.4,
                )
            )
            continue
        rows = cell_rows(net, np.array(cell.pattern, dtype=bool), dom_a, dom_b)
        g = np.concatenate([rows.g, box_a])
        h = np.concatenate([rows.h, box_b])
        try:
            verts = order_polygon(polytope_vertices(g, h))
        except InvalidInputError:
            continue  # the cell misses the window
        colour = cmap(cell.region % 20)
        ax.add_patch(Polygon(verts, closed=True, facecolor=colour, edgecolor="0.25", linewidth=0.4))
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
        f"{c['linear_regions']} linear regions, {c['activation_regions']} activation regions",
        fontsize=10,
    )
    return ax
