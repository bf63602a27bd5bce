"""What sampling and floats cannot settle: every gluing re-decided in exact arithmetic, and the
pairs of regions whose images meet where no sample lies.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.lp import LPModel
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.nets.geometry import apply_pattern, cell_halfspaces, layer_maps, sign_rows
from neurogeom.topology.overlap import OverlapDecomposition, _image_boxes, _RegionWork
from neurogeom.topology.regions import (
    _check_box,
    _Forward,
    _layer_regions,
    check_data,
    check_layer,
    check_relu,
)

__all__ = ["Meeting", "certify_gluings", "meeting_regions"]


# -- exact certificates -------------------------------------------------------------------------
def _exact_region(
    enet: Any, bits: np.ndarray, layer: int, box: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Exact inequalities ``a z <= b`` and map ``(M, c)`` of a region (object arrays)."""
    from fractions import Fraction

    hidden = bits[: enet.n_hidden]
    pre = layer_maps(enet, hidden, depth=layer)[layer - 1]
    if layer < enet.n_layers:
        own = bits[sum(enet.hidden_widths[: layer - 1]) : sum(enet.hidden_widths[:layer])]
        matrix, offset = apply_pattern(pre.matrix, pre.offset, own, Fraction(enet.negative_slope))
        rows = cell_halfspaces(enet, hidden, depth=layer)
    else:
        matrix, offset = pre.matrix, pre.offset
        rows = cell_halfspaces(enet, hidden, depth=enet.n_layers - 1)
        if len(bits) > enet.n_hidden:
            rows = rows.then(sign_rows(pre, bits[enet.n_hidden :], np.arange(enet.n_outputs)))
    n = enet.n_inputs
    eye = np.empty((n, n), dtype=object)
    for i in range(n):
        for j in range(n):
            eye[i, j] = Fraction(int(i == j))
    lo = np.array([Fraction(float(v)) for v in box[0]], dtype=object)
    hi = np.array([Fraction(float(v)) for v in box[1]], dtype=object)
    a = np.concatenate([rows.a, eye, -eye])
    b = np.concatenate([rows.b, hi, -lo])
    return a, b, matrix, offset


def certify_gluings(net: Any, x: Any, decomposition: OverlapDecomposition) -> dict[int, tuple]:
    """Re-decide every gluing's overlap exactly, in rational arithmetic.

    For each witness, whether ``Φ^l(point)`` (computed exactly from the network's exact weights
    and the data's exact binary values) has a preimage in the closed region of ``partner`` (box
    included): an exact feasibility LP (:func:`neurogeom.core.exact_lp.exact_maximize`). This
    certifies the overlap relation the float search decided; ``partner`` mode's distance
    criterion is a float threshold by design and is not part of the certificate.

    Returns
    -------
    dict
        Layer -> a tuple of booleans, one per witness of that layer (``True``: certified).

    Examples
    --------
    >>> from neurogeom import ReLUNet
    >>> from neurogeom.topology import overlap_decomposition, sample_circle
    >>> fold = ReLUNet([[[1, 0], [0, 1], [-1, 0], [0, -1]], [[1, 0, 1, 0], [0, 1, 0, -1]]])
    >>> x = sample_circle(16, evenly=True)
    >>> dec = overlap_decomposition(fold, x, mode="polyhedron")
    >>> [all(v) and len(v) for v in certify_gluings(fold, x, dec).values()]
    [0, 14]
    """
    from fractions import Fraction

    from neurogeom.core.exact_lp import exact_maximize

    net = check_relu(net)
    enet = net.to_exact()
    pts = check_data(x, net.n_inputs)
    out: dict[int, tuple] = {}
    for item in decomposition.layers:
        verdicts = []
        cache: dict[int, tuple] = {}
        for g in item.gluings:
            region = item.regions[g.region]
            if g.region not in cache:
                bits = np.array([c == "1" for c in region.pattern], dtype=bool)
                cache[g.region] = _exact_region(enet, bits, item.layer, decomposition.box)
            a, b, m, c = cache[g.region]
            point = np.array([Fraction(float(v)) for v in pts[g.point]], dtype=object)
            z = enet.preactivations(point[None, :])[item.layer - 1][0]
            if item.layer < enet.n_layers:
                slope = Fraction(enet.negative_slope)
                z = np.array([v if v > 0 else slope * v for v in z], dtype=object)
            target = z - c
            rows = np.concatenate([a, m, -m])
            rhs = np.concatenate([b, target, -target])
            res = exact_maximize([0] * enet.n_inputs, rows, rhs)
            verdicts.append(res.status == "optimal")
        out[item.layer] = tuple(verdicts)
    return out


# -- unsampled overlaps -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Meeting:
    """Two data regions of a layer whose images meet: ``Φ(first_point) = Φ(second_point)``.

    The points need not be data: sampling misses overlaps of measure zero (transverse crossings
    of curves, identifications along a boundary), and this records them.
    """

    layer: int
    first: int
    second: int
    first_point: tuple[float, ...]
    second_point: tuple[float, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "layer": self.layer,
            "regions": [self.first, self.second],
            "points": [list(self.first_point), list(self.second_point)],
        }


def meeting_regions(
    net: Any,
    x: Any,
    layer: int,
    *,
    box: Any = None,
    output_signs: bool = True,
    tol: float | Tolerances | None = None,
) -> tuple[Meeting, ...]:
    """Pairs of data regions of ``layer`` whose images meet, with a point of each.

    For every pair whose image boxes intersect (the safe filter of ``polyhedron`` mode), one LP
    in ``(z1, z2)``: ``z1`` in the first region, ``z2`` in the second, ``M_1 z1 + c_1 = M_2 z2 +
    c_2``, then the two points pushed as far apart as the meeting allows: regions that only
    share boundary points on which their maps agree (adjacent regions of an injective map) are
    not reported. Unlike the overlap decomposition this needs no data point in the
    intersection. ``2n + 1`` LPs per candidate pair.

    Examples
    --------
    The fold ``(|x|, y)``: besides the two mirror pairs of quadrants, opposite quadrants meet
    along ``y = 0`` (``(x, 0)`` and ``(-x, 0)``), where no sample lies.

    >>> from neurogeom import ReLUNet
    >>> from neurogeom.topology import sample_circle
    >>> fold = ReLUNet([[[1, 0], [0, 1], [-1, 0], [0, -1]], [[1, 0, 1, 0], [0, 1, 0, -1]]])
    >>> x = sample_circle(16, evenly=True)
    >>> len(meeting_regions(fold, x, 2)), meeting_regions(fold, x, 1)
    (4, ())
    """
    net = check_relu(net)
    pts = check_data(x, net.n_inputs)
    layer = check_layer(net, layer)
    if layer == 0:
        raise InvalidInputError("layer 0 is the input: it has a single region")
    corners = _check_box(box, pts)
    tols = check_tol(tol)
    fwd = _Forward.of(net, pts)
    regions, _ = _layer_regions(net, fwd, layer, corners, output_signs, tols)
    y = fwd.representation(layer)
    works = [_RegionWork.build(r, pts, y) for r in regions]
    if len(works) < 2:
        return ()
    sy = max(float(np.abs(y).max(initial=0.0)), np.finfo(float).tiny)
    sx = float(np.abs(corners).max())
    lo, hi, _ = _image_boxes(works, "polyhedron", 0.0, tols.loose * sy)
    n = net.n_inputs
    out = []
    for i, j in itertools.combinations(range(len(regions)), 2):
        if (lo[i] > hi[j]).any() or (lo[j] > hi[i]).any():
            continue
        ri, rj = regions[i], regions[j]
        d = ri.matrix.shape[0]
        rows = np.block(
            [
                [ri.a, np.zeros((len(ri.b), n))],
                [np.zeros((len(rj.b), n)), rj.a],
                [ri.matrix, -rj.matrix],
            ]
        )
        target = rj.offset - ri.offset
        lower = np.concatenate([np.full(len(ri.b) + len(rj.b), -np.inf), target])
        upper = np.concatenate([ri.b, rj.b, target])
        lp = LPModel(rows, lower, upper)
        if not d or not lp.solve(np.zeros(2 * n)).optimal:
            continue
        best, far = -1.0, None
        for k in range(n):  # the two points as far apart as the meeting allows
            cost = np.zeros(2 * n)
            cost[k], cost[n + k] = 1.0, -1.0
            for sense in (True, False):
                res = lp.solve(cost, maximize=sense)
                if res.optimal and abs(res.value) > best:
                    best, far = abs(res.value), res.x
        if far is None or tols.is_zero(best, sx):
            continue  # the regions only share boundary points, mapped alike: no overlap
        z1, z2 = far[:n], far[n:]
        gap = float(np.abs(ri.matrix @ z1 + ri.offset - rj.matrix @ z2 - rj.offset).max())
        if tols.is_zero(gap, max(sy, 1.0)):
            out.append(Meeting(layer, i, j, tuple(z1.tolist()), tuple(z2.tolist())))
    return tuple(out)
