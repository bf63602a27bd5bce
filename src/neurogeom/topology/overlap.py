"""The overlap decomposition of a ReLU representation of a data set.

Layer ``l`` of a ReLU network ``Φ = f_L ∘ … ∘ f_1`` (``f_l(x) = relu(W_l x + b_l)`` for hidden
layers, affine for the output) represents an input ``x`` by ``Φ^l(x) = f_l ∘ … ∘ f_1 (x)``;
layer 0 is the input itself. On the *region* of an activation pattern of layers ``1..l`` (at
the output layer refined by the signs of the outputs, as in the author code) ``Φ^l`` is an
affine map ``x -> M x + c``. Two data points of different regions with the same image are an
*overlap*; the overlap classes ``O_Φ`` are what the gluings generate (union-find, cumulative over
the layers, because ``Φ^(l+1)`` factors through ``Φ^l``).

For a data point ``x'`` of region ``b`` and another region ``a`` the question is whether
``y = Φ(x')`` has a preimage in region ``a``: a point ``z`` with ``M_a z + c_a = y`` in

- ``mode="polyhedron"``: the polyhedron ``G_a`` of the region (clipped to a box), as in the
  paper; points of two regions that see each other are glued all to all;
- ``mode="hull"``: the convex hull of the data in ``G_a`` (the theorem's convexity hypothesis is
  about ``X ∩ G_a``), glued all to all as well;
- ``mode="partner"`` (recommended): ``G_a``, and ``x'`` is glued only to the data point of
  region ``a`` nearest the preimage, if it lies within the gluing distance ``scale``. This is the
  pointwise relation ``Φ(x) = Φ(x')`` at the sampling scale; whole-set gluing can close or fill
  loops that ``Φ(X)`` does not have.

How it is computed: patterns of all points in one batch; per region its inequalities, map and
rank (``nets.geometry``); a *safe* candidate filter — the box of the region's image (LP bounds of
``G_a`` through the map in ``polyhedron`` mode, the data's images in ``hull`` mode, the data's
images widened by ``|M_a row| * scale`` in ``partner`` mode) — so that only points whose image
can have a preimage are tested; then, per candidate, the preimage in closed form when ``M_a`` has
full column rank (it is unique) and otherwise a warm-started LP (:class:`neurogeom.core.lp.
LPModel`, equality rows as rows with equal bounds). Every acceptance compares with one relative
tolerance (:class:`neurogeom.core.tolerances.Tolerances`): inequalities against the size of the
box, equalities against the size of the images; decisions inside the tolerance band are reported
as ties.

References
----------
K. Beshkov, *A Quotient Homology Theory of Representation in Neural Networks*, arXiv 2502.01360.
"""

from __future__ import annotations

import itertools
import time
import warnings
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from neurogeom.core.budget import Budget
from neurogeom.core.errors import InvalidInputError, UnsupportedLayerError
from neurogeom.core.lp import LPModel
from neurogeom.core.progress import progress_bar
from neurogeom.core.tolerances import Tolerances, check_tol, normalize_rows
from neurogeom.core.unionfind import UnionFind
from neurogeom.nets.geometry import apply_pattern, cell_halfspaces, layer_maps, sign_rows

__all__ = [
    "MODES",
    "Gluing",
    "LayerOverlap",
    "Meeting",
    "OverlapDecomposition",
    "RankDeficiencyWarning",
    "Region",
    "certify_gluings",
    "check_data",
    "check_layer",
    "check_relu",
    "default_scale",
    "layer_regions",
    "meeting_regions",
    "overlap_decomposition",
    "representation",
]

Mode = Literal["polyhedron", "hull", "partner"]

#: The overlap modes (see the module docstring).
MODES: tuple[str, ...] = ("polyhedron", "hull", "partner")

#: Gluing distance and Rips scale, as a multiple of the largest distance from a point to its
#: second-nearest neighbour, when none is given (:func:`default_scale`).
SCALE_FACTOR = 1.5


class RankDeficiencyWarning(UserWarning):
    """Some region holding several data points has a rank-deficient local map: the rank source
    can identify points inside one region, which the overlap decomposition does not record; the
    quotient homology equals that of the representation only if those fibres are contractible
    (the theorem's convexity hypothesis)."""


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


# -- results ------------------------------------------------------------------------------------
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


@dataclass(frozen=True, slots=True)
class Gluing:
    """A witness for one gluing: ``Φ(point)`` has the preimage ``preimage`` in ``region``.

    Attributes
    ----------
    layer : int
    point, partner : int
        The glued data points (in ``polyhedron``/``hull`` mode the partner is the anchor of the
        two regions' overlap set).
    region : int
        The region of ``partner`` (its index in the layer) holding the preimage.
    preimage : tuple of float
        ``z*`` with ``M z* + c = Φ(point)``.
    distance : float
        ``|z* - partner|`` (``partner`` mode's criterion; also given in the other modes).
    """

    layer: int
    point: int
    partner: int
    region: int
    preimage: tuple[float, ...]
    distance: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "layer": self.layer,
            "point": self.point,
            "partner": self.partner,
            "region": self.region,
            "preimage": list(self.preimage),
            "distance": self.distance,
        }


@dataclass(frozen=True, slots=True, eq=False)
class LayerOverlap:
    """The overlap decomposition at one layer.

    Attributes
    ----------
    layer : int
    width : int
        Dimension of the layer's representation.
    regions : tuple of Region
    region_of : ndarray of int
        The region of each data point.
    labels : ndarray of int
        The overlap class of each data point (cumulative unless asked otherwise), classes
        numbered by their first point; singletons are classes of their own.
    gluings : tuple of Gluing
        The witnesses of this layer's gluings (those that merged two classes).
    ties : tuple of (int, int)
        ``(point, region)`` decisions inside the tolerance band: decided by the tolerance, not
        certified.
    candidates : int
        ``(point, region)`` pairs that passed the safe filter.
    lps : int
        Linear programs solved.
    seconds : float
    complete : bool
        ``False`` when the time limit stopped this layer.
    """

    layer: int
    width: int
    regions: tuple[Region, ...]
    region_of: np.ndarray = field(repr=False)
    labels: np.ndarray = field(repr=False)
    gluings: tuple[Gluing, ...] = field(repr=False)
    ties: tuple[tuple[int, int], ...] = field(repr=False)
    candidates: int = 0
    lps: int = 0
    seconds: float = 0.0
    complete: bool = True

    @property
    def classes(self) -> tuple[tuple[int, ...], ...]:
        """The overlap classes with at least two points, each sorted, ordered by first point."""
        groups: dict[int, list[int]] = {}
        for i, k in enumerate(self.labels.tolist()):
            groups.setdefault(k, []).append(i)
        return tuple(tuple(g) for g in groups.values() if len(g) > 1)

    @property
    def n_classes(self) -> int:
        """Number of classes of the quotient (singletons included)."""
        return int(self.labels.max()) + 1 if len(self.labels) else 0

    @property
    def glued_points(self) -> int:
        """Data points in a class of at least two."""
        return int(sum(len(c) for c in self.classes))

    @property
    def rank_deficient(self) -> tuple[int, ...]:
        """Regions whose local map has rank below the input dimension."""
        n = self.regions[0].matrix.shape[1] if self.regions else 0
        return tuple(r.index for r in self.regions if r.rank < n)

    def rank_histogram(self) -> dict[int, int]:
        """Number of regions of each local rank."""
        out: dict[int, int] = {}
        for r in self.regions:
            out[r.rank] = out.get(r.rank, 0) + 1
        return dict(sorted(out.items()))

    def to_dict(self, *, details: bool = False) -> dict[str, Any]:
        """JSON-ready form; ``details`` adds the regions and the witnesses."""
        out: dict[str, Any] = {
            "layer": self.layer,
            "width": self.width,
            "regions": len(self.regions),
            "overlap_classes": len(self.classes),
            "quotient_points": self.n_classes,
            "glued_points": self.glued_points,
            "classes": [list(c) for c in self.classes],
            "rank_histogram": {str(k): v for k, v in self.rank_histogram().items()},
            "rank_deficient_regions": len(self.rank_deficient),
            "ties": [list(t) for t in self.ties],
            "candidates": self.candidates,
            "lps": self.lps,
            "seconds": round(self.seconds, 4),
            "complete": self.complete,
        }
        if details:
            out["region_list"] = [r.to_dict() for r in self.regions]
            out["gluings"] = [g.to_dict() for g in self.gluings]
        return out


@dataclass(frozen=True, slots=True, eq=False)
class OverlapDecomposition:
    """Overlap decompositions of a data set, layer by layer.

    Attributes
    ----------
    mode : str
    scale : float
        Gluing distance of ``partner`` mode (and the default Rips scale of the homology).
    tol : Tolerances
    box : ndarray, shape (2, n)
        Lower and upper corners of the box that clips the regions.
    cumulative : bool
    layers : tuple of LayerOverlap
    n_points : int
    """

    mode: str
    scale: float
    tol: Tolerances
    box: np.ndarray = field(repr=False)
    cumulative: bool
    layers: tuple[LayerOverlap, ...]
    n_points: int

    @property
    def complete(self) -> bool:
        """Whether every layer asked for was finished."""
        return all(layer.complete for layer in self.layers)

    def layer(self, layer: int) -> LayerOverlap:
        """The decomposition at ``layer`` (its number, not its position)."""
        for item in self.layers:
            if item.layer == layer:
                return item
        raise InvalidInputError(
            f"layer {layer} was not computed; computed: {[item.layer for item in self.layers]}"
        )

    def to_dict(self, *, details: bool = False) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "mode": self.mode,
            "scale": self.scale,
            "tol": self.tol.to_dict(),
            "box": self.box.tolist(),
            "cumulative": self.cumulative,
            "n_points": self.n_points,
            "complete": self.complete,
            "layers": [layer.to_dict(details=details) for layer in self.layers],
        }


# -- regions ------------------------------------------------------------------------------------
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


# -- the overlap test ---------------------------------------------------------------------------
@dataclass(slots=True)
class _RegionWork:
    """Working state of one region during the overlap test (private)."""

    region: Region
    x: np.ndarray  # its data points
    y: np.ndarray  # their images
    u: np.ndarray  # left singular vectors of M (rank columns)
    s: np.ndarray  # nonzero singular values
    vt: np.ndarray  # right singular vectors (rank rows)
    feasibility: LPModel | None = None
    nearest: LPModel | None = None
    hull: LPModel | None = None
    tree: Any = None

    @classmethod
    def build(cls, region: Region, x: np.ndarray, y: np.ndarray) -> _RegionWork:
        idx = np.asarray(region.points)
        u, s, vt = np.linalg.svd(region.matrix, full_matrices=False)
        r = region.rank
        return cls(region, x[idx], y[idx], u[:, :r], s[:r], vt[:r])

    @property
    def full_rank(self) -> bool:
        return self.region.rank == self.region.matrix.shape[1]

    def violation(self, z: np.ndarray) -> np.ndarray:
        """Largest violation of the region's inequalities at each row of ``z``."""
        return (z @ self.region.a.T - self.region.b).max(axis=1)

    def nearest_point(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Index (into the region's points) and distance of the data point nearest each ``z``."""
        if len(self.x) > 32:
            if self.tree is None:
                from scipy.spatial import cKDTree

                self.tree = cKDTree(self.x)
            dist, idx = self.tree.query(z)
            return np.asarray(idx), np.asarray(dist)
        d = np.linalg.norm(z[:, None, :] - self.x[None, :, :], axis=2)
        idx = d.argmin(axis=1)
        return idx, d[np.arange(len(z)), idx]

    # -- LPs (built on first use, then warm-started) --------------------------------------------
    def feasible_point(self, t: np.ndarray) -> np.ndarray | None:
        """A point of ``G_a`` with ``V_r^T z = t`` (LP), or None."""
        a, b = self.region.a, self.region.b
        r = len(t)
        if self.feasibility is None:
            rows = np.concatenate([a, self.vt])
            lo = np.concatenate([np.full(len(b), -np.inf), t])
            hi = np.concatenate([b, t])
            self.feasibility = LPModel(rows, lo, hi)
        else:
            idx = np.arange(len(b), len(b) + r)
            self.feasibility.set_row_bounds(idx, t, t)
        res = self.feasibility.solve(np.zeros(a.shape[1]))
        return res.x if res.optimal else None

    def nearest_preimage(self, t: np.ndarray, target: np.ndarray) -> np.ndarray | None:
        """The point of ``{z in G_a : V_r^T z = t}`` nearest ``target`` in the 1-norm (LP)."""
        a, b = self.region.a, self.region.b
        m, n = a.shape
        r = len(t)
        if self.nearest is None:
            eye = np.eye(n)
            rows = np.block(
                [
                    [a, np.zeros((m, n))],
                    [self.vt, np.zeros((r, n))],
                    [eye, -eye],
                    [-eye, -eye],
                ]
            )
            lo = np.concatenate([np.full(m, -np.inf), t, np.full(2 * n, -np.inf)])
            hi = np.concatenate([b, t, target, -target])
            self.nearest = LPModel(rows, lo, hi)
            self.nearest.set_objective(np.concatenate([np.zeros(n), np.ones(n)]))
        else:
            self.nearest.set_row_bounds(np.arange(m, m + r), t, t)
            self.nearest.set_row_bounds(
                np.arange(m + r, m + r + 2 * n),
                np.full(2 * n, -np.inf),
                np.concatenate([target, -target]),
            )
        res = self.nearest.solve()
        return res.x[:n] if res.optimal else None

    def hull_point(self, t: np.ndarray) -> np.ndarray | None:
        """A point ``z = Σ λ_i x_i`` of the hull of the region's data with ``V_r^T z = t``."""
        m = len(self.x)
        r = len(t)
        if self.hull is None:
            coords = self.x @ self.vt.T  # (m, r)
            rows = np.concatenate([coords.T, np.ones((1, m))])
            bounds = np.concatenate([t, [1.0]])
            self.hull = LPModel(rows, bounds, bounds, col_lower=np.zeros(m))
        else:
            self.hull.set_row_bounds(np.arange(r), t, t)
        res = self.hull.solve(np.zeros(m))
        return res.x @ self.x if res.optimal else None


@dataclass(slots=True)
class _Hit:
    point: int
    region: int
    preimage: np.ndarray
    partner: int  # -1 unless partner mode
    distance: float


def _image_boxes(
    works: list[_RegionWork], mode: str, scale: float, margin: float
) -> tuple[np.ndarray, np.ndarray, int]:
    """Boxes containing every image a preimage test can accept, per region (safe filter)."""
    d = works[0].region.matrix.shape[0]
    lo = np.empty((len(works), d))
    hi = np.empty((len(works), d))
    lps = 0
    for k, w in enumerate(works):
        reg = w.region
        if mode == "hull":
            lo[k], hi[k] = w.y.min(axis=0), w.y.max(axis=0)
        elif mode == "partner":
            widen = np.linalg.norm(reg.matrix, axis=1) * scale
            lo[k], hi[k] = w.y.min(axis=0) - widen, w.y.max(axis=0) + widen
        else:  # the region's box by 2n LPs, pushed through the map by interval arithmetic
            n = reg.a.shape[1]
            lp = LPModel(reg.a, None, reg.b)
            zlo, zhi = np.empty(n), np.empty(n)
            for i in range(n):
                e = np.zeros(n)
                e[i] = 1.0
                low, high = lp.solve(e), lp.solve(e, maximize=True)
                lps += 2
                zlo[i] = low.value if low.optimal else -np.inf
                zhi[i] = high.value if high.optimal else np.inf
            mid, half = (zlo + zhi) / 2, (zhi - zlo) / 2
            centre = reg.matrix @ mid + reg.offset
            spread = np.abs(reg.matrix) @ half
            lo[k], hi[k] = centre - spread, centre + spread
    return lo - margin, hi + margin, lps


def _test_region(
    work: _RegionWork,
    cand: np.ndarray,
    y: np.ndarray,
    mode: str,
    scale: float,
    tols: Tolerances,
    sx: float,
    sy: float,
    ties: list[tuple[int, int]],
) -> tuple[list[_Hit], int]:
    """Which candidate points have a preimage in the region (and, in partner mode, a partner)."""
    reg = work.region
    w = y[cand] - reg.offset
    coef = w @ work.u
    resid = np.abs(w - coef @ work.u.T).max(axis=1, initial=0.0)
    for i in cand[np.atleast_1d(tols.unsure(resid, sy))]:
        ties.append((int(i), reg.index))
    ok = np.atleast_1d(tols.is_zero(resid, sy))
    cand, coef = cand[ok], coef[ok]
    if not len(cand):
        return [], 0
    t = coef / work.s
    z0 = t @ work.vt
    viol = work.violation(z0)
    inside = viol <= tols.rel * sx
    for i in cand[np.atleast_1d(tols.unsure(np.maximum(viol, 0.0), sx))]:
        ties.append((int(i), reg.index))
    hits: list[_Hit] = []
    lps = 0
    if work.full_rank:
        keep = inside
        if mode == "partner":
            idx, dist = work.nearest_point(z0[keep])
            for i, z, j, dj in zip(cand[keep], z0[keep], idx, dist, strict=True):
                if dj <= scale:
                    hits.append(_Hit(int(i), reg.index, z, reg.points[int(j)], float(dj)))
            return hits, 0
        if mode == "polyhedron":
            for i, z in zip(cand[keep], z0[keep], strict=True):
                hits.append(_Hit(int(i), reg.index, z, -1, np.nan))
            return hits, 0
        cand, t, z0 = cand[keep], t[keep], z0[keep]  # hull: the hull lies in G_a
        box_lo, box_hi = work.x.min(axis=0), work.x.max(axis=0)
        slack = tols.rel * sx
        in_box = ((z0 >= box_lo - slack) & (z0 <= box_hi + slack)).all(axis=1)
        cand, t = cand[in_box], t[in_box]
    for k, i in enumerate(cand.tolist()):
        tk = t[k]
        if mode == "hull":
            z = work.hull_point(tk)
            lps += 1
            if z is not None:
                hits.append(_Hit(i, reg.index, z, -1, np.nan))
        elif mode == "polyhedron":
            z = z0[k] if inside[k] else work.feasible_point(tk)
            lps += 0 if inside[k] else 1
            if z is not None:
                v = max(float(work.violation(z[None])[0]), 0.0)
                if tols.unsure(v, sx):
                    ties.append((i, reg.index))
                if tols.is_zero(v, sx):
                    hits.append(_Hit(i, reg.index, z, -1, np.nan))
        else:
            hit, used = _partner_rank_deficient(work, i, tk, scale, tols, sx)
            lps += used
            if hit is not None:
                hits.append(hit)
    return hits, lps


def _partner_rank_deficient(
    work: _RegionWork, point: int, t: np.ndarray, scale: float, tols: Tolerances, sx: float
) -> tuple[_Hit | None, int]:
    """Branch and bound for the data point of the region nearest the preimage set of ``t``.

    The distance of a data point ``x`` to the affine preimage ``{V_r^T z = t}`` bounds its
    distance to the preimage set from below; where the projection lies in ``G_a`` the bound is
    attained, otherwise an LP finds a point of the set (nearest in the 1-norm: an upper bound).
    """
    lower = np.linalg.norm(t[None, :] - work.x @ work.vt.T, axis=1)
    order = np.argsort(lower, kind="stable")
    best, best_j, best_z = np.inf, -1, None
    lps = 0
    for j in order.tolist():
        if lower[j] > scale or lower[j] >= best:
            break
        proj = work.x[j] + (t - work.vt @ work.x[j]) @ work.vt
        if work.violation(proj[None])[0] <= tols.rel * sx:
            best, best_j, best_z = float(lower[j]), j, proj
            break
        z = work.nearest_preimage(t, work.x[j])
        lps += 1
        if z is None:
            break  # the preimage set is empty: no data point has a partner
        dist = float(np.linalg.norm(z - work.x[j]))
        if dist < best:
            best, best_j, best_z = dist, j, z
    if best_z is None or best > scale:
        return None, lps
    return _Hit(point, work.region.index, best_z, work.region.points[best_j], best), lps


def _glue_sets(
    hits: list[_Hit], region_of: np.ndarray, uf: UnionFind, layer: int, x: np.ndarray
) -> list[Gluing]:
    """Whole-set gluing: two regions that each see the other are glued all to all."""
    by_pair: dict[tuple[int, int], list[_Hit]] = {}
    for h in hits:
        by_pair.setdefault((int(region_of[h.point]), h.region), []).append(h)
    out: list[Gluing] = []
    for (b, a), into_a in sorted(by_pair.items()):
        if b > a:
            continue
        into_b = by_pair.get((a, b))
        if not into_b:
            continue
        anchor = into_b[0].point  # a point of region a
        for h in (*into_a, *into_b):
            if uf.union(h.point, anchor):
                partner = anchor if h.region == a else into_a[0].point
                dist = float(np.linalg.norm(h.preimage - x[partner]))
                out.append(Gluing(layer, h.point, partner, h.region, tuple(h.preimage), dist))
    return out


def _glue_partners(hits: list[_Hit], uf: UnionFind, layer: int) -> list[Gluing]:
    out = []
    for h in hits:
        if uf.union(h.point, h.partner):
            out.append(Gluing(layer, h.point, h.partner, h.region, tuple(h.preimage), h.distance))
    return out


def _labels(uf: UnionFind, n: int) -> np.ndarray:
    roots = [uf.find(i) for i in range(n)]
    seen: dict[Any, int] = {}
    labels = np.array([seen.setdefault(r, len(seen)) for r in roots], dtype=np.int64)
    labels.flags.writeable = False
    return labels


def _overlap_layer(
    net: Any,
    x: np.ndarray,
    fwd: _Forward,
    layer: int,
    *,
    mode: str,
    scale: float,
    tols: Tolerances,
    corners: np.ndarray,
    output_signs: bool,
    uf: UnionFind,
    budget: Budget,
    progress: bool,
) -> LayerOverlap:
    started = time.monotonic()
    regions, region_of = _layer_regions(net, fwd, layer, corners, output_signs, tols)
    y = fwd.representation(layer)
    sx = float(np.abs(corners).max())
    top = max((float(np.linalg.norm(r.matrix, 2)) for r in regions), default=0.0)
    sy = max(float(np.abs(y).max(initial=0.0)), top * sx, np.finfo(float).tiny)
    works = [_RegionWork.build(r, x, y) for r in regions]
    hits: list[_Hit] = []
    ties: list[tuple[int, int]] = []
    n_cand = 0
    complete = True
    lps = 0
    if len(works) > 1:
        margin = tols.loose * sy
        box_lo, box_hi, lps = _image_boxes(works, mode, scale, margin)
        key = int(np.argmax(np.ptp(y, axis=0))) if y.shape[1] else 0
        order = np.argsort(y[:, key], kind="stable")
        sorted_key = y[order, key]
        with progress_bar(
            progress, total=len(works), desc=f"layer {layer} overlaps", unit="region"
        ) as bar:
            for k, work in enumerate(works):
                if budget.expired():
                    complete = False
                    break
                i0 = np.searchsorted(sorted_key, box_lo[k, key], side="left")
                i1 = np.searchsorted(sorted_key, box_hi[k, key], side="right")
                cand = order[i0:i1]
                cand = cand[region_of[cand] != k]
                if len(cand):
                    yc = y[cand]
                    cand = cand[((yc >= box_lo[k]) & (yc <= box_hi[k])).all(axis=1)]
                n_cand += len(cand)
                if len(cand):
                    found, used = _test_region(
                        work, np.sort(cand), y, mode, scale, tols, sx, sy, ties
                    )
                    hits += found
                    lps += used
                bar.update()
                bar.set_postfix(lps=lps, hits=len(hits))
    if mode == "partner":
        gluings = _glue_partners(hits, uf, layer)
    else:
        gluings = _glue_sets(hits, region_of, uf, layer, x)
    return LayerOverlap(
        layer,
        y.shape[1],
        regions,
        region_of,
        _labels(uf, len(x)),
        tuple(gluings),
        tuple(sorted(set(ties))),
        n_cand,
        lps,
        time.monotonic() - started,
        complete,
    )


def overlap_decomposition(
    net: Any,
    x: Any,
    *,
    layer: int | None = None,
    mode: Mode = "partner",
    scale: float | None = None,
    tol: float | Tolerances | None = None,
    box: Any = None,
    cumulative: bool = True,
    output_signs: bool = True,
    progress: bool = False,
    time_limit: float | None = None,
    budget: Budget | None = None,
) -> OverlapDecomposition:
    """The overlap decomposition ``O_Φ`` of a data set, layer by layer.

    Parameters
    ----------
    net : ReLUNet
        A ReLU (or leaky-ReLU) network; exact networks are analysed in float64.
    x : array-like, shape (N, n_inputs)
        The data: finite, at least two points, no duplicates.
    layer : int, optional
        The last layer to analyse (1..L; L is the output). Default: every layer. With
        ``cumulative=False`` only this layer is analysed.
    mode : {"partner", "polyhedron", "hull"}
        How a preimage is searched and points are glued (module docstring).
    scale : float, optional
        The gluing distance ``τ`` of ``partner`` mode (about the sampling scale); default
        :func:`default_scale` of the data.
    tol : float or Tolerances, optional
        Relative tolerance of every acceptance (default ``1e-9``, band ``1e3``).
    box : float, pair or (2, n) array, optional
        Clips the regions (see :func:`layer_regions`; the paper uses half-width 100).
    cumulative : bool
        Merge the classes of earlier layers into later ones (the paper's convention).
    output_signs : bool
        Refine the output layer's regions by the signs of the outputs (the paper's convention).
    progress : bool
        Progress bars (on stderr) during the overlap tests.
    time_limit : float, optional
        Seconds; on expiry the result holds what was finished, with ``complete=False``.
    budget : Budget, optional
        A running budget instead of ``time_limit``.

    Returns
    -------
    OverlapDecomposition

    Warns
    -----
    RankDeficiencyWarning
        When a region with at least two data points has a local map of rank below the input
        dimension (the rank source, which is not part of ``O_Φ``).

    Notes
    -----
    Per layer with ``R`` data-holding regions and ``N`` points: one batched forward pass, ``R``
    small SVDs, ``2n`` LPs per region for the polyhedron-mode filter, and one closed-form test
    per candidate pair for full-rank regions (an LP per candidate otherwise, warm-started per
    region). The published algorithm solves up to ``(R - 1) N`` LPs per layer from scratch.

    References
    ----------
    K. Beshkov, arXiv 2502.01360 (definitions, theorem, the polyhedron mode); spec
    ``overlap-homology.md`` §6 (hull and partner modes, tolerances, safe filter).

    Examples
    --------
    The fold ``Φ(x, y) = (|x|, y)`` glues each point of the circle to its mirror image:

    >>> from neurogeom import ReLUNet
    >>> from neurogeom.topology import sample_circle
    >>> fold = ReLUNet([[[1, 0], [0, 1], [-1, 0], [0, -1]], [[1, 0, 1, 0], [0, 1, 0, -1]]])
    >>> x = sample_circle(48, evenly=True)
    >>> dec = overlap_decomposition(fold, x, scale=0.2)
    >>> out = dec.layer(2)
    >>> len(out.regions), len(out.classes), out.classes[0]
    (4, 24, (0, 23))
    >>> [len(c) for c in overlap_decomposition(fold, x, mode="polyhedron").layer(2).classes]
    [24, 24]
    """
    net = check_relu(net)
    pts = check_data(x, net.n_inputs)
    if mode not in MODES:
        raise InvalidInputError(f"mode must be one of {', '.join(MODES)}; got {mode!r}")
    last = net.n_layers if layer is None else check_layer(net, layer)
    if last == 0:
        raise InvalidInputError("layer 0 is the input: give a layer 1..L")
    tau = default_scale(pts) if scale is None else float(scale)
    if not (np.isfinite(tau) and tau > 0):
        raise InvalidInputError(f"scale must be a positive number, got {scale!r}")
    tols = check_tol(tol)
    corners = _check_box(box, pts)
    if budget is None:
        budget = Budget.start(time_limit=time_limit)
    first = 1 if cumulative else last
    uf = UnionFind(range(len(pts)))
    fwd = _Forward.of(net, pts)
    layers: list[LayerOverlap] = []
    for l in range(first, last + 1):
        if budget.expired():
            break
        res = _overlap_layer(
            net,
            pts,
            fwd,
            l,
            mode=mode,
            scale=tau,
            tols=tols,
            corners=corners,
            output_signs=output_signs,
            uf=uf,
            budget=budget,
            progress=progress,
        )
        layers.append(res)
        if not res.complete:
            break
    if len(layers) < last - first + 1 and (not layers or layers[-1].complete):
        layers.append(_empty_layer(net, pts, len(layers) + first, uf))
    _warn_rank(layers, net.n_inputs)
    return OverlapDecomposition(mode, tau, tols, corners, cumulative, tuple(layers), len(pts))


def _empty_layer(net: Any, x: np.ndarray, layer: int, uf: UnionFind) -> LayerOverlap:
    width = net.architecture[layer]
    return LayerOverlap(
        layer,
        width,
        (),
        np.full(len(x), -1),
        _labels(uf, len(x)),
        (),
        (),
        complete=False,
    )


def _warn_rank(layers: list[LayerOverlap], n: int) -> None:
    found = []
    for item in layers:
        bad = [r for r in item.regions if r.rank < n and len(r.points) > 1]
        if bad:
            found.append(f"layer {item.layer}: {len(bad)} region(s)")
    if found:
        warnings.warn(
            RankDeficiencyWarning(
                "rank-deficient regions hold several data points ("
                + "; ".join(found)
                + "): points inside one region may share an image (the rank source), which the "
                "overlap decomposition does not glue; the quotient homology equals that of the "
                "representation only if these fibres are contractible"
            ),
            stacklevel=3,
        )


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
    >>> from neurogeom.topology import sample_circle
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
