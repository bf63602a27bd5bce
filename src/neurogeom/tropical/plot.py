"""Pictures of tropical polynomials in two variables: Newton polygons and dual subdivisions.

The dual subdivision of ``p = max_i (c_i + α_i · x)`` splits the Newton polygon ``conv{α_i}`` into
the projections of the upper facets of the lifted points ``(α_i, c_i)``; its vertices are the
monomials with full-dimensional dominance regions (the linear regions of ``p``), its edges are
dual to the edges of the tropical curve. Needs matplotlib (``neurogeom[figures]``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.tropical.newton import upper_hull
from neurogeom.tropical.polynomial import TropicalPolynomial, TropicalRationalMap

__all__ = ["newton_figure", "plot_dual_subdivision"]


def _ordered(points: np.ndarray) -> np.ndarray:
    """Vertices of the convex hull of 2-D points in cyclic order (a segment for collinear ones)."""
    from scipy.spatial import ConvexHull, QhullError

    uniq = np.unique(points, axis=0)
    if len(uniq) >= 3:
        try:
            return uniq[ConvexHull(uniq).vertices]
        except QhullError:
            pass
    d = uniq - uniq.mean(axis=0)
    axis = np.linalg.svd(d, full_matrices=False)[2][0] if len(uniq) > 1 else np.zeros(2)
    t = d @ axis
    return uniq[[int(np.argmin(t)), int(np.argmax(t))]]


def plot_dual_subdivision(
    p: TropicalPolynomial, ax: Any = None, *, title: str | None = None
) -> Any:
    """Draw the Newton polygon of a 2-variable polynomial with its dual subdivision.

    Filled dots: monomials kept by pruning (upper-hull vertices = linear regions); hollow dots:
    redundant monomials. Returns the matplotlib axes.

    Examples
    --------
    >>> p = TropicalPolynomial([[0, 0], [1, 0], [0, 1], [1, 1]], [0, 0, 0, 1])
    >>> ax = plot_dual_subdivision(p)
    >>> len(ax.patches)  # two triangles
    2
    """
    if not isinstance(p, TropicalPolynomial) or p.n_vars != 2:
        raise InvalidInputError("plot_dual_subdivision draws tropical polynomials in 2 variables")
    from neurogeom.core.figures import pyplot

    plt = pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    exps = np.array(p.exponents.tolist(), dtype=np.float64).reshape(-1, 2)
    hull = upper_hull(p)
    for k, cell in enumerate(hull.cells):
        ring = _ordered(exps[list(cell)])
        poly = plt.Polygon(
            ring,
            closed=True,
            facecolor=plt.get_cmap("Pastel1")(k % 9),
            edgecolor="black",
            linewidth=1.2,
            alpha=0.9,
        )
        ax.add_patch(poly)
    kept = np.zeros(len(exps), dtype=bool)
    kept[list(hull.vertices)] = True
    ax.scatter(exps[kept, 0], exps[kept, 1], s=28, color="black", zorder=3, label="vertex")
    if (~kept).any():
        ax.scatter(
            exps[~kept, 0],
            exps[~kept, 1],
            s=28,
            facecolors="white",
            edgecolors="grey",
            zorder=3,
            label="redundant",
        )
    lo, hi = exps.min(axis=0), exps.max(axis=0)
    pad = 0.1 * max(1e-9, float((hi - lo).max())) + 0.2
    ax.set_xlim(lo[0] - pad, hi[0] + pad)
    ax.set_ylim(lo[1] - pad, hi[1] + pad)
    ax.set_aspect("equal")
    ax.set_xlabel("exponent of $x_1$")
    ax.set_ylabel("exponent of $x_2$")
    ax.set_title(title or f"{hull.n_regions} regions, {len(hull.cells)} cells", fontsize=9)
    return ax


def newton_figure(f: TropicalRationalMap, *, output: int = 0, title: str | None = None) -> Any:
    """Numerator and denominator of one output of a 2-input rational map, side by side.

    Examples
    --------
    >>> from neurogeom import ReLUNet
    >>> from neurogeom.tropical import tropicalize
    >>> f = tropicalize(ReLUNet([[[2, 0], [0, 3], [2, 3]], [[1, 1, -1]]]), progress=False)
    >>> len(newton_figure(f).axes)
    2
    """
    if not isinstance(f, TropicalRationalMap) or f.n_vars != 2:
        raise InvalidInputError("newton_figure draws tropical rational maps in 2 variables")
    if not 0 <= output < f.n_outputs:
        raise InvalidInputError(f"output must be in [0, {f.n_outputs}), got {output}")
    from neurogeom.core.figures import pyplot

    plt = pyplot()
    fig, (a, b) = plt.subplots(1, 2, figsize=(8.4, 4.2), layout="constrained")
    p, q = f.numerators[output], f.denominators[output]
    plot_dual_subdivision(p, a, title=f"numerator: {p.n_monomials} monomials")
    plot_dual_subdivision(q, b, title=f"denominator: {q.n_monomials} monomials")
    if title:
        fig.suptitle(title, fontsize=10)
    return fig
