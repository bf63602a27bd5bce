"""Data-holding activation regions of a layer: validation of networks and data, one batched
forward pass, and per region its codeword, inequalities, local affine map and rank.

Layer ``l`` of a ReLU network ``Φ = f_L ∘ … ∘ f_1`` (``f_l(x) = relu(W_l x + b_l)`` for hidden
layers, affine for the output) represents an input ``x`` by ``Φ^l(x)``; layer 0 is the input.
On the region of an activation pattern of layers ``1..l`` (at the output layer refined by the
signs of the outputs, as in the author code) ``Φ^l`` is an affine map ``x -> M x + c``; regions
are built from the shared cell geometry (:mod:`neurogeom.nets.geometry`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from neurogeom.core.errors import InvalidInputError, UnsupportedLayerError
from neurogeom.core.tolerances import Tolerances, check_tol, normalize_rows
from neurogeom.nets.geometry import apply_pattern, cell_halfspaces, layer_maps, sign_rows

__all__ = [
    "Region",
    "check_data",
    "check_layer",
    "check_relu",
    "default_scale",
    "layer_regions",
    "representation",
]

#: Gluing distance and Rips scale, as a multiple of the largest distance from a point to its
#: second-nearest neighbour, when none is given (:func:`default_scale`).
SCALE_FACTOR = 1.5


# -- validation ---------------------------------------------------------------------------------
def check_relu(net: Any) -> Any:
    """Refuse anything but a (leaky-)ReLU network; return it in float64.

    Examples
    --------
    >>> from neurogeom import RationalNet, ReLUNet
    >>> check_relu(ReLUNet([[[1, 0]], [[1]]], exact=True)).exact
    False
    >>> check_relu(RationalNet([[[1.0]], [[1.0]]]))
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.UnsupportedLayerError: overlap homology needs a ReLU network, got ...
    """
    from neurogeom.nets.relu import ReLUNet

    if not isinstance(net, ReLUNet):
        raise UnsupportedLayerError(
            f"overlap homology needs a ReLU network, got {type(net).__name__} "
            f"({getattr(net, 'activation', '?')} activation)"
        )
    return net.to_float() if net.exact else net


def check_data(x: Any, n_inputs: int | None = None) -> np.ndarray:
    """Validate a data set: a finite 2-D float array with ``n_inputs`` columns, at least two
    distinct points and no duplicates.

    Raises
    ------
    InvalidInputError
        Naming the problem (and the first offending row).

    Examples
    --------
    >>> check_data([[0, 1], [1, 0]], 2).dtype
    dtype('float64')
    >>> check_data([[0, 1], [0, 1], [1, 1]], 2)
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.InvalidInputError: the data has duplicate points: row 1 repeats row 0 ...
    """
    try:
        arr = np.array(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"the data must be an array of numbers: {exc}") from None
    if arr.ndim == 1 and n_inputs == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2:
        raise InvalidInputError(
            f"the data must be a 2-D array (one point per row), got shape {arr.shape}"
        )
    if arr.shape[0] == 0:
        raise InvalidInputError("the data is empty: give at least two points")
    if n_inputs is not None and arr.shape[1] != n_inputs:
        raise InvalidInputError(
            f"the data has {arr.shape[1]} column(s) but the network has {n_inputs} input(s)"
        )
    bad = ~np.isfinite(arr).all(axis=1)
    if bad.any():
        rows = np.flatnonzero(bad)
        raise InvalidInputError(
            f"the data has {len(rows)} row(s) with NaN or inf (first: row {int(rows[0])}); "
            "drop or repair them"
        )
    if arr.shape[0] < 2:
        raise InvalidInputError("the data has one point: homology needs at least two points")
    group, first = _group_rows(arr + 0.0)  # + 0.0: -0.0 and 0.0 are one point
    dup = np.flatnonzero(first[group] != np.arange(arr.shape[0]))
    if len(dup):
        i = int(dup[0])
        raise InvalidInputError(
            f"the data has duplicate points: row {i} repeats row {int(first[group[i]])} "
            f"({len(dup)} duplicate row(s)); remove them (e.g. numpy.unique(x, axis=0))"
        )
    arr.flags.writeable = False
    return arr


def _group_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Equal rows grouped: a group index per row (groups in sorted order of the rows) and the
    first row of each group. One lexsort of the columns (``np.unique(axis=0)`` is far slower)."""
    n = rows.shape[0]
    if rows.shape[1] == 0:
        return np.zeros(n, dtype=np.int64), np.zeros(min(n, 1), dtype=np.int64)
    order = np.lexsort(rows.T[::-1])
    ordered = rows[order]
    new = np.ones(n, dtype=bool)
    new[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    ids = np.cumsum(new) - 1
    group = np.empty(n, dtype=np.int64)
    group[order] = ids
    first = np.full(int(ids[-1]) + 1 if n else 0, n, dtype=np.int64)
    np.minimum.at(first, ids, order)
    return group, first


def _pack_bits(bits: np.ndarray) -> np.ndarray:
    """Boolean rows as rows of uint64 words (for fast grouping)."""
    n, m = bits.shape
    words = max(1, -(-m // 64))
    padded = np.zeros((n, words * 64), dtype=bool)
    padded[:, :m] = bits
    return np.packbits(padded, axis=1).view(">u8").astype(np.uint64)


def check_layer(net: Any, layer: Any) -> int:
    """Validate a layer index: 1..L (hidden layers, then the output), or 0 for the input.

    Examples
    --------
    >>> from neurogeom import ReLUNet
    >>> check_layer(ReLUNet([[[1.0]], [[1.0]]]), 3)
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.InvalidInputError: layer 3 is out of range: this network has layers ...
    """
    if isinstance(layer, bool) or not isinstance(layer, int | np.integer):
        raise InvalidInputError(f"layer must be an integer, got {layer!r}")
    if not 0 <= layer <= net.n_layers:
        raise InvalidInputError(
            f"layer {layer} is out of range: this network has layers 1..{net.n_layers} "
            f"({net.n_layers - 1} hidden, then the output; 0 is the input)"
        )
    return int(layer)


# -- representations ----------------------------------------------------------------------------
def representation(net: Any, x: Any, layer: int) -> np.ndarray:
    """``Φ^layer(x)``: the post-activation of a hidden layer, the output at ``L``, ``x`` at 0.

    Examples
    --------
    >>> from neurogeom import ReLUNet
    >>> net = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]])  # |x|
    >>> representation(net, [[-2.0], [3.0]], 1).tolist(), representation(net, [[-2.0]], 2).tolist()
    ([[0.0, 2.0], [3.0, 0.0]], [[2.0]])
    """
    net = check_relu(net)
    layer = check_layer(net, layer)
    pts = np.asarray(x, dtype=np.float64)
    if layer == 0:
        return pts
    zs = net.preactivations(pts)
    z = zs[layer - 1]
    if layer == net.n_layers:
        return z
    return np.where(z > 0, z, net.negative_slope * z)


def default_scale(x: Any) -> float:
    """The default gluing distance and Rips scale: ``1.5`` times the largest distance from a
    point to its second-nearest neighbour (so each point's Rips neighbourhood reaches both of
    its neighbours along a sampled curve).

    Examples
    --------
    >>> from neurogeom.topology import sample_circle
    >>> round(default_scale(sample_circle(48, evenly=True)), 4)
    0.1963
    """
    from scipy.spatial import cKDTree

    pts = np.asarray(x, dtype=np.float64)
    if len(pts) < 2:
        return 1.0
    k = min(3, len(pts))
    dist, _ = cKDTree(pts).query(pts, k=k)
    far = float(dist[:, -1].max())
    return SCALE_FACTOR * far if far > 0 else 1.0


# -- regions -------------------------------------------------------------------------------------
def _pattern_text(bits: np.ndarray) -> str:
    return "".join("1" if b else "0" for b in bits)


@dataclass(frozen=True, slots=True, eq=False)
class Region:
    """A region of one layer that contains data.

    Attributes
    ----------
    index : int
        Its number in the layer.
    pattern : str
        Its codeword: the activation bits of layers ``1..l`` (and, at the output layer, the signs
        of the outputs), ``1`` = active.
    points : tuple of int
        The data points in it.
    rank : int
        The rank of the local map ``M``.
    matrix, offset : ndarray
        The local map ``x -> M x + c`` of the layer's representation on the region.
    a, b : ndarray
        Its inequalities ``a x <= b`` (unit rows, the box last).
    """

    index: int
    pattern: str
    points: tuple[int, ...]
    rank: int
    matrix: np.ndarray = field(repr=False)
    offset: np.ndarray = field(repr=False)
    a: np.ndarray = field(repr=False)
    b: np.ndarray = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (without the arrays)."""
        return {
            "index": self.index,
            "pattern": self.pattern,
            "n_points": len(self.points),
            "rank": self.rank,
            "inequalities": len(self.b),
        }


def _check_box(box: Any, x: np.ndarray) -> np.ndarray:
    n = x.shape[1]
    if box is None:
        lo, hi = x.min(axis=0), x.max(axis=0)
        pad = 0.5 * float((hi - lo).max())
        return np.array([lo - pad, hi + pad])
    arr = np.asarray(box, dtype=np.float64)
    if arr.ndim == 0:
        half = float(arr)
        if not (np.isfinite(half) and half > 0):
            raise InvalidInputError(f"box must be a positive half-width, got {box!r}")
        arr = np.array([np.full(n, -half), np.full(n, half)])
    elif arr.shape == (2,):
        arr = np.array([np.full(n, arr[0]), np.full(n, arr[1])])
    if arr.shape != (2, n) or not np.isfinite(arr).all() or (arr[0] >= arr[1]).any():
        raise InvalidInputError(
            f"box must be a half-width, a pair (lo, hi) or a (2, {n}) array with lo < hi"
        )
    if (x < arr[0]).any() or (x > arr[1]).any():
        raise InvalidInputError("the box must contain every data point")
    return arr


@dataclass(frozen=True, slots=True, eq=False)
class _Forward:
    """One forward pass of the data, shared by every layer (private)."""

    pre: tuple[np.ndarray, ...]  # pre-activations of every layer
    patterns: np.ndarray  # hidden activation patterns
    slope: float

    @classmethod
    def of(cls, net: Any, x: np.ndarray) -> _Forward:
        pre = tuple(net.preactivations(x))
        patterns = (
            np.concatenate([z > 0 for z in pre[:-1]], axis=1)
            if len(pre) > 1
            else np.zeros((len(x), 0), dtype=bool)
        )
        return cls(pre, patterns, float(net.negative_slope))

    def representation(self, layer: int) -> np.ndarray:
        z = self.pre[layer - 1]
        if layer == len(self.pre):
            return z
        return np.where(z > 0, z, self.slope * z)

    def codewords(self, net: Any, layer: int, output_signs: bool) -> np.ndarray:
        if layer < net.n_layers:
            return self.patterns[:, : sum(net.hidden_widths[:layer])]
        if output_signs:
            return np.concatenate([self.patterns, self.pre[-1] > 0], axis=1)
        return self.patterns


def _region_geometry(
    net: Any, bits: np.ndarray, layer: int, box: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    hidden = bits[: net.n_hidden]
    maps = layer_maps(net, hidden, depth=layer)
    pre = maps[layer - 1]
    if layer < net.n_layers:
        own = bits[sum(net.hidden_widths[: layer - 1]) : sum(net.hidden_widths[:layer])]
        matrix, offset = apply_pattern(pre.matrix, pre.offset, own, net.negative_slope)
        rows = cell_halfspaces(net, hidden, depth=layer)
    else:
        matrix, offset = pre.matrix, pre.offset
        rows = cell_halfspaces(net, hidden, depth=net.n_layers - 1)
        if len(bits) > net.n_hidden:
            rows = rows.then(sign_rows(pre, bits[net.n_hidden :], np.arange(net.n_outputs)))
    n = net.n_inputs
    eye = np.eye(n)
    a = np.concatenate([rows.a, eye, -eye])
    b = np.concatenate([rows.b, box[1], -box[0]])
    unit, rhs, norms = normalize_rows(a, b)
    keep = norms > 0
    return np.asarray(matrix, float), np.asarray(offset, float), unit[keep], rhs[keep]


def layer_regions(
    net: Any,
    x: Any,
    layer: int,
    *,
    box: Any = None,
    output_signs: bool = True,
    tol: float | Tolerances | None = None,
) -> tuple[tuple[Region, ...], np.ndarray]:
    """The regions of ``layer`` that contain data, and the region of each point.

    Parameters
    ----------
    net : ReLUNet
    x : array-like, shape (N, n_inputs)
    layer : int
        1..L (hidden layers, then the output).
    box : float, pair or (2, n) array, optional
        Clips the regions: a half-width, ``(lo, hi)``, or corners; default the data's bounding
        box widened by half its largest side on every side.
    output_signs : bool
        At the output layer, refine the regions by the signs of the outputs (the author code's
        convention; it only splits regions).
    tol : float or Tolerances, optional
        Relative tolerance of the rank decisions.

    Returns
    -------
    (regions, region_of)

    Examples
    --------
    The identity through ``[I; -I]`` on a circle: one region per quadrant, each of rank 2.

    >>> from neurogeom import ReLUNet
    >>> from neurogeom.topology import sample_circle
    >>> net = ReLUNet([[[1, 0], [0, 1], [-1, 0], [0, -1]], [[1, 0, -1, 0], [0, 1, 0, -1]]])
    >>> regions, region_of = layer_regions(net, sample_circle(48, evenly=True), 2)
    >>> [(r.pattern, len(r.points), r.rank) for r in regions][:2]
    [('001100', 12, 2), ('011001', 12, 2)]
    """
    net = check_relu(net)
    pts = check_data(x, net.n_inputs)
    layer = check_layer(net, layer)
    if layer == 0:
        raise InvalidInputError("layer 0 is the input: it has a single region")
    corners = _check_box(box, pts)
    return _layer_regions(net, _Forward.of(net, pts), layer, corners, output_signs, check_tol(tol))


def _layer_regions(
    net: Any,
    fwd: _Forward,
    layer: int,
    corners: np.ndarray,
    output_signs: bool,
    tols: Tolerances,
) -> tuple[tuple[Region, ...], np.ndarray]:
    codes = fwd.codewords(net, layer, output_signs)
    region_of, first = _group_rows(_pack_bits(codes))
    uniq = codes[first]
    order = np.argsort(region_of, kind="stable")
    bounds = np.searchsorted(region_of[order], np.arange(len(uniq) + 1))
    geos = [_region_geometry(net, bits, layer, corners) for bits in uniq]
    svals = [np.linalg.svd(g[0], compute_uv=False) for g in geos]
    top = max((float(s.max(initial=0.0)) for s in svals), default=0.0) or 1.0
    regions = []
    for k, (bits, geo, s) in enumerate(zip(uniq, geos, svals, strict=True)):
        rank = int((s > tols.rel * top).sum())
        pts_k = tuple(int(i) for i in order[bounds[k] : bounds[k + 1]])
        regions.append(Region(k, _pattern_text(bits), pts_k, rank, *geo))
    for r in regions:
        for arr in (r.matrix, r.offset, r.a, r.b):
            arr.flags.writeable = False
    region_of.flags.writeable = False
    return tuple(regions), region_of
