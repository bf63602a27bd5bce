"""The published overlap algorithm, re-implemented from its description (spec §3), as a
baseline for the benchmark and an oracle for the tests.

Per layer: one forward pass per point for its codeword; per region an H-representation built
layer by layer (box ``±box``, no redundancy removal) and the local map from the masks of its
first point; then *every* pair of regions ``a > b`` and, for each data point of one region, one
:func:`scipy.optimize.linprog` (HiGHS) feasibility problem in the other, accepted only if
``allclose(M z + c, y, rtol=1e-5, atol=0)`` and ``A z <= h`` with zero slack; the two flagged
sets are glued all to all when both are non-empty; union-find carries the classes across layers.
No distance pruning (``δ = ∞``, as for the paper's curve experiments).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neurogeom.core.lp import count_lp
from neurogeom.core.unionfind import UnionFind

__all__ = ["published_overlap", "published_overlaps"]


def _forward_codeword(
    weights: list[np.ndarray], biases: list[np.ndarray], x: np.ndarray, layer: int
) -> tuple[tuple[bool, ...], list[np.ndarray]]:
    """Codeword of one point at ``layer`` (1-based) and the masks of its hidden layers."""
    h = x
    masks = []
    n_layers = len(weights)
    for k in range(layer):
        z = weights[k] @ h + biases[k]
        if k < n_layers - 1:
            mask = z > 0
            masks.append(mask)
            h = np.where(mask, z, 0.0)
        else:
            masks.append(z > 0)  # the output signs refine the last layer
    return tuple(bool(v) for m in masks for v in m), masks


def _region(
    weights: list[np.ndarray],
    biases: list[np.ndarray],
    masks: list[np.ndarray],
    layer: int,
    box: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """H-representation ``A z <= h`` and local map ``(M, c)`` of a region from its masks."""
    n = weights[0].shape[1]
    n_layers = len(weights)
    lin, off = np.eye(n), np.zeros(n)
    rows_a = [np.eye(n), -np.eye(n)]
    rows_h = [np.full(n, box), np.full(n, box)]
    m, c = lin, off
    for k in range(layer):
        pre_m = weights[k] @ lin
        pre_c = weights[k] @ off + biases[k]
        sign = np.where(masks[k], -1.0, 1.0)  # active: -(a z + b) <= 0; inactive: a z + b <= 0
        rows_a.append(sign[:, None] * pre_m)
        rows_h.append(-sign * pre_c)
        if k < n_layers - 1:
            d = masks[k].astype(float)
            lin, off = d[:, None] * pre_m, d * pre_c
            m, c = lin, off
        else:
            m, c = pre_m, pre_c
    return np.concatenate(rows_a), np.concatenate(rows_h), m, c


def _in_region(
    a_ub: np.ndarray,
    h: np.ndarray,
    m: np.ndarray,
    c: np.ndarray,
    y: np.ndarray,
    slacks: tuple[float, ...],
) -> tuple[bool, ...]:
    """One LP; its acceptance under each slack (the published one is 0)."""
    from scipy.optimize import linprog

    n = m.shape[1]
    cost = np.zeros(n + 1)
    cost[-1] = 1.0
    count_lp("scipy")
    res = linprog(
        cost,
        A_ub=np.hstack([a_ub, -np.ones((len(h), 1))]),
        b_ub=h,
        A_eq=np.hstack([m, np.zeros((m.shape[0], 1))]),
        b_eq=y - c,
        bounds=[(None, None)] * n + [(0, 0)],
        method="highs",
    )
    if res.status != 0:
        return tuple(False for _ in slacks)
    z = res.x[:n]
    close = bool(np.allclose(m @ z + c, y, rtol=1e-5, atol=0))
    worst = float((a_ub @ z - h).max())
    return tuple(close and worst <= slack for slack in slacks)


def published_overlap(
    net: Any, x: Any, *, box: float = 100.0, layers: int | None = None, slack: float = 0.0
) -> list[tuple[tuple[int, ...], ...]]:
    """Overlap classes (of at least two points) per layer, by the published algorithm.

    ``slack`` relaxes the zero-slack acceptance ``A z <= h`` to ``A z <= h + slack``: with the
    published ``0``, LP vertices that violate a facet by rounding (1e-16) are rejected, so true
    overlaps can be missed (spec, case OV4); ``slack=1e-9`` is the tolerant variant.

    Examples
    --------
    >>> from neurogeom import ReLUNet
    >>> from neurogeom.topology import sample_circle
    >>> fold = ReLUNet([[[1, 0], [0, 1], [-1, 0], [0, -1]], [[1, 0, 1, 0], [0, 1, 0, -1]]])
    >>> layers = published_overlap(fold, sample_circle(16, evenly=True))
    >>> [[len(c) for c in layer] for layer in layers]
    [[], [8, 8]]
    """
    return published_overlaps(net, x, box=box, layers=layers, slacks=(slack,))[0]


def published_overlaps(
    net: Any,
    x: Any,
    *,
    box: float = 100.0,
    layers: int | None = None,
    slacks: tuple[float, ...] = (0.0,),
) -> list[list[tuple[tuple[int, ...], ...]]]:
    """:func:`published_overlap` under several acceptance slacks from the same LPs (one run)."""
    netf = net.to_float() if net.exact else net
    weights = [np.asarray(w, dtype=float) for w in netf.weights]
    biases = [np.asarray(b, dtype=float) for b in netf.biases]
    pts = np.asarray(x, dtype=float)
    n_layers = len(weights) if layers is None else layers
    finds = [UnionFind(range(len(pts))) for _ in slacks]
    out: list[list[tuple[tuple[int, ...], ...]]] = [[] for _ in slacks]
    for layer in range(1, n_layers + 1):
        regions: dict[tuple[bool, ...], list[int]] = {}
        first_masks: dict[tuple[bool, ...], list[np.ndarray]] = {}
        for i, p in enumerate(pts):
            code, masks = _forward_codeword(weights, biases, p, layer)
            regions.setdefault(code, []).append(i)
            first_masks.setdefault(code, masks)
        codes = list(regions)
        geo = [_region(weights, biases, first_masks[k], layer, box) for k in codes]
        images = []
        for k, code in enumerate(codes):
            _, _, m, c = geo[k]
            images.append({i: m @ pts[i] + c for i in regions[code]})
        for a in range(len(codes)):
            for b in range(a):
                a_ub, h_a, m_a, c_a = geo[a]
                a_ub_b, h_b, m_b, c_b = geo[b]
                into_a = {
                    i: _in_region(a_ub, h_a, m_a, c_a, images[b][i], slacks)
                    for i in regions[codes[b]]
                }
                into_b = {
                    i: _in_region(a_ub_b, h_b, m_b, c_b, images[a][i], slacks)
                    for i in regions[codes[a]]
                }
                for k, uf in enumerate(finds):
                    flagged_b = [i for i, ok in into_a.items() if ok[k]]
                    flagged_a = [i for i, ok in into_b.items() if ok[k]]
                    if flagged_a and flagged_b:
                        for i in flagged_b:
                            for j in flagged_a:
                                uf.union(i, j)
        for k, uf in enumerate(finds):
            out[k].append(tuple(sorted(tuple(sorted(g)) for g in uf.groups() if len(g) > 1)))
    return out
