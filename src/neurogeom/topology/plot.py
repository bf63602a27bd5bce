"""Figures: the input partition and the representation coloured by overlap class, and barcodes.

matplotlib is optional (the ``figures`` extra); each function returns a matplotlib figure.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neurogeom.topology.overlap import LayerOverlap
from neurogeom.topology.regions import representation

__all__ = ["class_colours", "plot_barcodes", "plot_overlap"]

#: Colour of points that are glued to nothing.
SINGLETON = (0.62, 0.62, 0.62, 1.0)


def class_colours(layer: LayerOverlap) -> np.ndarray:
    """One RGBA colour per data point: a colour per overlap class, grey for singletons.

    Examples
    --------
    >>> from neurogeom import ReLUNet
    >>> from neurogeom.topology import overlap_decomposition, sample_circle
    >>> fold = ReLUNet([[[1, 0], [0, 1], [-1, 0], [0, -1]], [[1, 0, 1, 0], [0, 1, 0, -1]]])
    >>> dec = overlap_decomposition(fold, sample_circle(16, evenly=True), mode="polyhedron")
    >>> colours = class_colours(dec.layer(2))
    >>> same = lambda i, j: bool((colours[i] == colours[j]).all())
    >>> colours.shape, same(0, 7), same(0, 8)
    ((16, 4), True, False)
    """
    from neurogeom.core.figures import pyplot

    cmap = pyplot().get_cmap("tab20")
    out = np.tile(np.array(SINGLETON), (len(layer.labels), 1))
    for k, members in enumerate(layer.classes):
        out[list(members)] = cmap(k % 20)
    return out


def _region_image(net: Any, layer: LayerOverlap, lo: np.ndarray, hi: np.ndarray, res: int) -> Any:
    """Region of each pixel of the box (the layer's codewords), -1 where no data region."""
    from neurogeom.topology.regions import _Forward

    xs = np.linspace(lo[0], hi[0], res)
    ys = np.linspace(lo[1], hi[1], res)
    grid = np.array(np.meshgrid(xs, ys)).reshape(2, -1).T
    fwd = _Forward.of(net, grid)
    with_signs = any(len(r.pattern) > net.n_hidden for r in layer.regions)
    codes = fwd.codewords(net, layer.layer, with_signs)
    lookup = {r.pattern: r.index for r in layer.regions}
    ids = np.array(
        [lookup.get("".join("1" if b else "0" for b in row), -1) for row in codes], dtype=float
    )
    return ids.reshape(res, res)


def plot_overlap(
    net: Any, x: Any, layer: LayerOverlap, *, title: str = "", resolution: int = 200
) -> Any:
    """Two panels: the input (2-D) with the layer's data regions shaded and the points coloured
    by overlap class; the representation ``Φ^l(x)`` coloured the same way (its two coordinates,
    its one coordinate against the point index, or its first two principal components).

    Examples
    --------
    >>> from neurogeom import ReLUNet
    >>> from neurogeom.topology import overlap_decomposition, sample_circle
    >>> fold = ReLUNet([[[1, 0], [0, 1], [-1, 0], [0, -1]], [[1, 0, 1, 0], [0, 1, 0, -1]]])
    >>> x = sample_circle(32, evenly=True)
    >>> fig = plot_overlap(fold, x, overlap_decomposition(fold, x).layer(2), resolution=40)
    >>> len(fig.axes)
    2
    """
    from neurogeom.core.figures import pyplot

    plt = pyplot()
    pts = np.asarray(x, dtype=float)
    colours = class_colours(layer)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.6))
    lo, hi = pts[:, :2].min(axis=0), pts[:, :2].max(axis=0)
    pad = 0.15 * float((hi - lo).max() or 1.0)
    lo, hi = lo - pad, hi + pad
    if pts.shape[1] == 2 and layer.regions:
        ids = _region_image(net, layer, lo, hi, resolution)
        masked = np.ma.masked_less(ids, 0)
        left.imshow(
            masked % 10,
            origin="lower",
            extent=(lo[0], hi[0], lo[1], hi[1]),
            cmap="Pastel1",
            alpha=0.55,
            interpolation="nearest",
            aspect="auto",
        )
    left.scatter(pts[:, 0], pts[:, 1], c=colours, s=14, edgecolors="none")
    left.set_xlim(lo[0], hi[0])
    left.set_ylim(lo[1], hi[1])
    left.set_aspect("equal")
    left.set_title(
        f"input: {len(layer.regions)} data regions (shaded), {len(layer.classes)} overlap "
        "classes (colours)",
        fontsize=9,
    )
    y = representation(net, pts, layer.layer)
    if y.shape[1] == 1:
        right.scatter(np.arange(len(y)), y[:, 0], c=colours, s=14, edgecolors="none")
        right.set_xlabel("point index")
        right.set_ylabel("$\\Phi$")
    else:
        if y.shape[1] > 2:
            centred = y - y.mean(axis=0)
            _, _, vt = np.linalg.svd(centred, full_matrices=False)
            y = centred @ vt[:2].T
            right.set_xlabel("PC 1")
            right.set_ylabel("PC 2")
        right.scatter(y[:, 0], y[:, 1], c=colours, s=14, edgecolors="none")
        right.set_aspect("equal", adjustable="datalim")
    right.set_title(f"representation at layer {layer.layer} (same colours)", fontsize=9)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig


def plot_barcodes(barcodes: dict[str, Any], *, title: str = "", max_bars: int = 25) -> Any:
    """Barcodes side by side: ``{label: Homology}``, one panel each, a dashed line at ``ε``;
    the ``max_bars`` longest bars of each dimension.

    Examples
    --------
    >>> from neurogeom.topology import quotient_homology, sample_circle
    >>> h = quotient_homology(sample_circle(24, evenly=True), scale=0.4, engine="gf2")
    >>> fig = plot_barcodes({"circle": h})
    >>> len(fig.axes)
    1
    """
    from neurogeom.core.figures import pyplot

    plt = pyplot()
    fig, axes = plt.subplots(1, len(barcodes), figsize=(4.6 * len(barcodes), 3.6), squeeze=False)
    colours = ["tab:blue", "tab:orange", "tab:green", "tab:red"]
    for ax, (label, hom) in zip(axes[0], barcodes.items(), strict=True):
        row = 0
        for dim, bars in enumerate(hom.bars):
            for birth, death in sorted(bars, key=lambda bd: -(bd[1] - bd[0]))[:max_bars]:
                end = hom.max_scale if not np.isfinite(death) else death
                ax.plot([birth, end], [row, row], color=colours[dim % 4], linewidth=2)
                if not np.isfinite(death):
                    ax.plot([end], [row], marker=">", color=colours[dim % 4], markersize=4)
                row += 1
            ax.plot([], [], color=colours[dim % 4], label=f"H{dim}")
        ax.axvline(hom.scale, color="black", linestyle="--", linewidth=1)
        ax.set_yticks([])
        ax.set_xlim(0, hom.max_scale * 1.03)
        ax.set_xlabel("scale")
        betti = ", ".join(str(b) for b in hom.betti)
        ax.set_title(f"{label}: Betti ({betti}) at ε = {hom.scale:.3g}", fontsize=9)
        ax.legend(loc="lower right", fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig
