"""Homology of the quotient ``X / O_Φ`` and of the representation ``Φ(X)``.

Two constructions of the quotient's homology from a sample ``X`` and its overlap classes, both
over ℤ/2 from a Vietoris–Rips (flag) complex at scale ``ε``:

- ``backend="metric"``: the *quotient metric* — every class becomes one point, the distance of
  two classes is the smallest distance between their members, closed under chaining (shortest
  paths) — then the Rips complex of the classes. This is what the author code computes now.
- ``backend="cone"``: the Rips complex of ``X`` itself with one extra *cone vertex per class*
  joined to every simplex the class spans: the homology of the CW quotient. It sees only
  identifications that are sampled: a fold glues two halves along a line that holds no data,
  so the cone backend misses it (reference case OV2).

The answer can depend on the backend, so it is always an explicit parameter. The baseline is the
persistent homology of the representation ``Φ^l(X)`` with its own Euclidean metric.

Persistence is computed by gudhi (the ``topology`` extra) or, for small complexes, by an exact
column reduction of the ℤ/2 boundary matrix in pure Python (``engine="gf2"``); both give the same
barcodes. Betti numbers at ``ε`` are the bars born at or before ``ε`` that are still alive at
``ε``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from neurogeom.core.budget import Budget
from neurogeom.core.errors import BackendUnavailableError, InvalidInputError
from neurogeom.core.optional import require
from neurogeom.core.tolerances import Tolerances
from neurogeom.topology.overlap import (
    LayerOverlap,
    Mode,
    OverlapDecomposition,
    overlap_decomposition,
)
from neurogeom.topology.regions import check_data, check_relu, default_scale, representation

__all__ = [
    "BACKENDS",
    "ENGINES",
    "GF2_MAX_SIMPLICES",
    "Homology",
    "LayerHomology",
    "LayerwiseHomology",
    "gudhi_available",
    "layerwise_homology",
    "persistence",
    "quotient_homology",
    "representation_homology",
    "rips_edges",
]

#: The homology backends.
BACKENDS: tuple[str, ...] = ("metric", "cone")

#: The persistence engines.
ENGINES: tuple[str, ...] = ("gudhi", "gf2")

#: The pure-Python engine refuses complexes with more simplices than this.
GF2_MAX_SIMPLICES = 200_000

#: Filtrations are computed up to this multiple of the scale (to show bars around it).
MAX_SCALE_FACTOR = 1.5

Backend = Literal["metric", "cone"]
Engine = Literal["gudhi", "gf2"]


def gudhi_available() -> bool:
    """Whether gudhi can be imported.

    Examples
    --------
    >>> isinstance(gudhi_available(), bool)
    True
    """
    try:
        require("gudhi", extra="topology")
    except BackendUnavailableError:
        return False
    return True


def _engine(engine: str | None) -> str:
    if engine is None:
        return "gudhi" if gudhi_available() else "gf2"
    if engine not in ENGINES:
        raise InvalidInputError(f"engine must be one of {', '.join(ENGINES)}; got {engine!r}")
    if engine == "gudhi":
        require("gudhi", extra="topology")
    return engine


def _positive(value: Any, what: str) -> float:
    v = float(value)
    if not (np.isfinite(v) and v > 0):
        raise InvalidInputError(f"{what} must be a positive number, got {value!r}")
    return v


# -- results ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, eq=False)
class Homology:
    """Betti numbers at a scale, with the barcode they are read from.

    Attributes
    ----------
    betti : tuple of int
        ``β_0 .. β_maxdim`` over ℤ/2 at ``scale``.
    scale : float
        ``ε``.
    max_scale : float
        The filtration was built up to here (bars alive at it have death ``inf``).
    backend : str
        ``"metric"``, ``"cone"`` or ``"representation"``.
    engine : str
        ``"gudhi"`` or ``"gf2"``.
    vertices : int
        Vertices of the complex (classes, points plus cone vertices, or points).
    simplices : int
    bars : tuple of tuple of (float, float)
        Per dimension, the bars ``(birth, death)`` of positive length.
    """

    betti: tuple[int, ...]
    scale: float
    max_scale: float
    backend: str
    engine: str
    vertices: int
    simplices: int
    bars: tuple[tuple[tuple[float, float], ...], ...] = field(repr=False)

    def betti_at(self, scale: float) -> tuple[int, ...]:
        """Betti numbers at another scale (at most ``max_scale``).

        Examples
        --------
        >>> from neurogeom.topology import sample_circle
        >>> h = representation_homology(sample_circle(24, evenly=True), scale=0.4)
        >>> h.betti_at(0.2), h.betti_at(0.4)
        ((24, 0), (1, 1))
        """
        if scale > self.max_scale:
            raise InvalidInputError(
                f"scale {scale} is beyond the filtration (built up to {self.max_scale})"
            )
        return tuple(sum(1 for b, d in bars if b <= scale < d) for bars in self.bars)

    def to_dict(self, *, bars: bool = True) -> dict[str, Any]:
        """JSON-ready form (infinite deaths as ``null``)."""
        out: dict[str, Any] = {
            "betti": list(self.betti),
            "scale": self.scale,
            "max_scale": self.max_scale,
            "backend": self.backend,
            "engine": self.engine,
            "vertices": self.vertices,
            "simplices": self.simplices,
        }
        if bars:
            out["bars"] = [
                [[b, d if np.isfinite(d) else None] for b, d in dim] for dim in self.bars
            ]
        return out


# -- complexes ----------------------------------------------------------------------------------
def rips_edges(x: Any, max_scale: float, labels: Any = None) -> tuple[int, np.ndarray, np.ndarray]:
    """Edges of the Rips complex up to ``max_scale``: of the points, or of the quotient metric.

    With ``labels`` (a class per point) the vertices are the classes; an edge's length is the
    smallest distance between members of its two classes, and lengths are then closed under
    chaining (shortest paths, up to ``max_scale``).

    Returns
    -------
    (n_vertices, pairs, lengths)
        ``pairs`` has shape ``(E, 2)`` with ``i < j``.

    Examples
    --------
    Four points on a line 1 apart, the two middle ones glued: the outer ones become 2 apart.

    >>> n, pairs, lengths = rips_edges([[0.0], [1.0], [2.0], [3.0]], 2.5, labels=[0, 1, 1, 2])
    >>> n, pairs.tolist(), lengths.tolist()
    (3, [[0, 1], [0, 2], [1, 2]], [1.0, 2.0, 1.0])
    """
    from scipy.spatial import cKDTree

    pts = np.asarray(x, dtype=np.float64)
    if pts.ndim == 1:
        pts = pts.reshape(-1, 1)
    pairs = cKDTree(pts).query_pairs(max_scale, output_type="ndarray").astype(np.int64)
    pairs = pairs.reshape(-1, 2)
    lengths = np.linalg.norm(pts[pairs[:, 0]] - pts[pairs[:, 1]], axis=1)
    if labels is None:
        order = np.lexsort((pairs[:, 1], pairs[:, 0]))
        return len(pts), pairs[order], lengths[order]
    lab = np.asarray(labels, dtype=np.int64).reshape(-1)
    if lab.shape != (len(pts),):
        raise InvalidInputError(f"labels must have one entry per point ({len(pts)})")
    k = int(lab.max()) + 1 if len(lab) else 0
    a, b = lab[pairs[:, 0]], lab[pairs[:, 1]]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    lo, hi, lengths = lo[keep], hi[keep], lengths[keep]
    key = lo * k + hi
    order = np.lexsort((lengths, key))
    key, lengths = key[order], lengths[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    key, lengths = key[first], lengths[first]
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra

    graph = coo_matrix((lengths, (key // k, key % k)), shape=(k, k)).tocsr()
    out_i, out_j, out_d = [], [], []
    chunk = max(1, 2_000_000 // max(k, 1))
    for start in range(0, k, chunk):
        rows = np.arange(start, min(k, start + chunk))
        dist = dijkstra(graph, directed=False, indices=rows, limit=max_scale * (1 + 1e-12))
        ii, jj = np.nonzero(np.isfinite(dist))
        gi = rows[ii]
        sel = jj > gi
        out_i.append(gi[sel])
        out_j.append(jj[sel])
        out_d.append(dist[ii[sel], jj[sel]])
    if not out_i:
        return k, np.zeros((0, 2), np.int64), np.zeros(0)
    pairs = np.column_stack([np.concatenate(out_i), np.concatenate(out_j)])
    dists = np.concatenate(out_d)
    keep = dists <= max_scale
    pairs, dists = pairs[keep], dists[keep]
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))
    return k, pairs[order], dists[order]


def _flag_simplices(
    n: int, pairs: np.ndarray, lengths: np.ndarray, top: int
) -> list[tuple[tuple[int, ...], float]]:
    """Every simplex of the flag complex up to dimension ``top``, with its filtration value."""
    out: list[tuple[tuple[int, ...], float]] = [((v,), 0.0) for v in range(n)]
    if top < 1:
        return out
    adj: list[dict[int, float]] = [{} for _ in range(n)]
    for (i, j), d in zip(pairs.tolist(), lengths.tolist(), strict=True):
        adj[i][j] = d
        adj[j][i] = d

    def grow(simplex: tuple[int, ...], value: float, common: list[int]) -> None:
        out.append((simplex, value))
        if len(simplex) > top:
            return
        for k, v in enumerate(common):
            val = max(value, *(adj[u][v] for u in simplex))
            rest = [w for w in common[k + 1 :] if w in adj[v]]
            grow((*simplex, v), val, rest)

    for v in range(n):
        ups = sorted(u for u in adj[v] if u > v)
        for k, u in enumerate(ups):
            rest = [w for w in ups[k + 1 :] if w in adj[u]]
            grow((v, u), adj[v][u], rest)
            if len(out) > GF2_MAX_SIMPLICES:
                raise InvalidInputError(
                    f"the complex has more than {GF2_MAX_SIMPLICES} simplices, too many for the "
                    "pure-Python engine: install gudhi (pip install 'neurogeom[topology]'), or "
                    "lower the scale or the number of points"
                )
    return out


def _cone(
    simplices: list[tuple[tuple[int, ...], float]], labels: np.ndarray, top: int
) -> list[tuple[tuple[int, ...], float]]:
    """Add a cone vertex per class of at least two points over the simplices it spans."""
    n = len(labels)
    counts = np.bincount(labels)
    apex = {}
    for c in np.flatnonzero(counts > 1).tolist():
        apex[c] = n + len(apex)
    extra: list[tuple[tuple[int, ...], float]] = [((v,), 0.0) for v in apex.values()]
    for simplex, value in simplices:
        if len(simplex) - 1 > top:  # coning it would pass the top dimension + 1
            continue
        cls = int(labels[simplex[0]])
        if cls in apex and all(int(labels[v]) == cls for v in simplex):
            extra.append(((*simplex, apex[cls]), value))
    return simplices + extra


def persistence(
    simplices: Sequence[tuple[Sequence[int], float]], *, maxdim: int, engine: str | None = None
) -> tuple[tuple[tuple[float, float], ...], ...]:
    """Barcodes over ℤ/2 of a filtered simplicial complex, dimensions ``0..maxdim``.

    Parameters
    ----------
    simplices : sequence of (vertices, filtration)
        Closed under faces, each face no later than the simplex.
    maxdim : int
    engine : {"gudhi", "gf2"}, optional
        Default gudhi when installed.

    Returns
    -------
    tuple
        Per dimension, the bars ``(birth, death)`` of positive length, sorted.

    Examples
    --------
    A hollow triangle whose edges appear at 1, 2, 3, filled at 4:

    >>> cx = [((0,), 0), ((1,), 0), ((2,), 0), ((0, 1), 1), ((1, 2), 2), ((0, 2), 3),
    ...       ((0, 1, 2), 4)]
    >>> persistence(cx, maxdim=1, engine="gf2")
    (((0.0, inf), (0.0, 2.0), (0.0, 1.0)), ((3.0, 4.0),))
    """
    eng = _engine(engine)
    if eng == "gudhi":
        gudhi = require("gudhi", extra="topology")
        st = gudhi.SimplexTree()
        for simplex, value in sorted(simplices, key=lambda s: len(s[0])):
            st.insert(list(simplex), filtration=float(value))
        return _gudhi_persistence(st, maxdim)
    return _gf2_persistence(simplices, maxdim)


def _gudhi_bars(
    n: int, pairs: np.ndarray, lengths: np.ndarray, maxdim: int, cone_labels: np.ndarray | None
) -> tuple[tuple[tuple[tuple[float, float], ...], ...], int]:
    """Barcodes of the flag complex (and its cones) by gudhi: edges in, expansion natively."""
    gudhi = require("gudhi", extra="topology")
    st = gudhi.SimplexTree()
    for v in range(n):
        st.insert([v], filtration=0.0)
    for (i, j), d in zip(pairs.tolist(), lengths.tolist(), strict=True):
        st.insert([i, j], filtration=d)
    st.expansion(maxdim + 1)
    if cone_labels is not None:
        counts = np.bincount(cone_labels)
        apex = {c: n + k for k, c in enumerate(np.flatnonzero(counts > 1).tolist())}
        spans = [
            (tuple(s), f)
            for s, f in st.get_skeleton(maxdim)
            if int(cone_labels[s[0]]) in apex
            and all(cone_labels[v] == cone_labels[s[0]] for v in s)
        ]
        for v in apex.values():
            st.insert([v], filtration=0.0)
        for s, f in sorted(spans, key=lambda sf: len(sf[0])):
            st.insert([*s, apex[int(cone_labels[s[0]])]], filtration=f)
    return _gudhi_persistence(st, maxdim), st.num_simplices()


def _gudhi_persistence(st: Any, maxdim: int) -> tuple[tuple[tuple[float, float], ...], ...]:
    st.make_filtration_non_decreasing()
    st.compute_persistence(homology_coeff_field=2, min_persistence=0, persistence_dim_max=True)
    out = []
    for dim in range(maxdim + 1):
        ivs = np.asarray(st.persistence_intervals_in_dimension(dim), dtype=float)
        bars = [(float(b), float(d)) for b, d in ivs.reshape(-1, 2) if d > b]
        out.append(tuple(sorted(bars, key=lambda bd: (bd[0], -bd[1]))))
    return tuple(out)


def _gf2_persistence(
    simplices: Sequence[tuple[Sequence[int], float]], maxdim: int
) -> tuple[tuple[tuple[float, float], ...], ...]:
    """The standard persistence algorithm: column reduction of the ℤ/2 boundary matrix, each
    column a Python integer used as a bit set (exact)."""
    if len(simplices) > GF2_MAX_SIMPLICES:
        raise InvalidInputError(
            f"the complex has {len(simplices)} simplices, too many for the pure-Python engine: "
            "install gudhi (pip install 'neurogeom[topology]')"
        )
    items = sorted(
        ((tuple(sorted(s)), float(v)) for s, v in simplices),
        key=lambda sv: (sv[1], len(sv[0]), sv[0]),
    )
    index = {s: k for k, (s, _) in enumerate(items)}
    reduced: dict[int, int] = {}  # pivot row -> reduced column
    paired: set[int] = set()
    bars: list[list[tuple[float, float]]] = [[] for _ in range(maxdim + 1)]
    for j, (simplex, value) in enumerate(items):
        col = 0
        if len(simplex) > 1:
            for k in range(len(simplex)):
                col |= 1 << index[simplex[:k] + simplex[k + 1 :]]
        while col:
            low = col.bit_length() - 1
            other = reduced.get(low)
            if other is None:
                break
            col ^= other
        if col:
            low = col.bit_length() - 1
            reduced[low] = col
            paired.update((low, j))
            dim = len(items[low][0]) - 1
            birth = items[low][1]
            if dim <= maxdim and value > birth:
                bars[dim].append((birth, value))
    for k, (simplex, value) in enumerate(items):
        dim = len(simplex) - 1
        if k not in paired and dim <= maxdim:
            bars[dim].append((value, np.inf))
    return tuple(tuple(sorted(b, key=lambda bd: (bd[0], -bd[1]))) for b in bars)


def _betti(bars: tuple[tuple[tuple[float, float], ...], ...], scale: float) -> tuple[int, ...]:
    return tuple(sum(1 for b, d in dim if b <= scale < d) for dim in bars)


def _labels_from(classes: Any, n: int) -> np.ndarray:
    if classes is None:
        return np.arange(n)
    if isinstance(classes, LayerOverlap):
        return np.asarray(classes.labels)
    if (
        isinstance(classes, list | tuple)
        and classes
        and all(isinstance(c, int | np.integer) and not isinstance(c, bool) for c in classes)
    ):
        classes = np.asarray(classes, dtype=np.int64)
    if isinstance(classes, np.ndarray) and classes.ndim == 1 and classes.dtype.kind in "iu":
        if classes.shape != (n,) or (len(classes) and classes.min() < 0):
            raise InvalidInputError(f"labels must be {n} non-negative integers")
        _, lab = np.unique(classes, return_inverse=True)
        return lab.reshape(-1)
    labels = np.arange(n)
    seen = np.zeros(n, dtype=bool)
    for k, group in enumerate(classes):
        idx = np.asarray(list(group), dtype=np.int64)
        if len(idx) and (idx.min() < 0 or idx.max() >= n):
            raise InvalidInputError(f"class {k} has a point index outside 0..{n - 1}")
        if seen[idx].any():
            raise InvalidInputError(f"class {k} shares a point with an earlier class")
        seen[idx] = True
        if len(idx):
            labels[idx] = idx[0]
    _, lab = np.unique(labels, return_inverse=True)
    return lab.reshape(-1)


# -- the homologies -----------------------------------------------------------------------------
def quotient_homology(
    x: Any,
    classes: Any = None,
    *,
    scale: float | None = None,
    maxdim: int = 1,
    backend: Backend = "metric",
    engine: Engine | None = None,
    max_scale: float | None = None,
) -> Homology:
    """Betti numbers and barcode of ``X / O`` at scale ``ε``.

    Parameters
    ----------
    x : array-like, shape (N, n)
        The input points (their Euclidean metric is the one the quotient starts from).
    classes : LayerOverlap, array of int, or sequence of index sequences, optional
        The identifications: a layer's overlap decomposition, a class label per point, or the
        classes (unlisted points are singletons). Default: none.
    scale : float, optional
        ``ε`` (default :func:`~neurogeom.topology.regions.default_scale` of ``x``).
    maxdim : int
        Highest homology dimension (simplices up to ``maxdim + 1`` are built).
    backend : {"metric", "cone"}
        Quotient metric, or one cone vertex per class (module docstring).
    engine : {"gudhi", "gf2"}, optional
        Default gudhi when installed, else the exact pure-Python reduction.
    max_scale : float, optional
        The filtration's end (default ``1.5 ε``).

    Returns
    -------
    Homology

    Examples
    --------
    A circle of 48 points, and the same with each point glued to its mirror image ``x -> -x``
    (the fold ``(|x|, y)``): a circle, then an arc.

    >>> from neurogeom.topology import sample_circle
    >>> x = sample_circle(48, evenly=True)
    >>> quotient_homology(x, scale=0.2).betti
    (1, 1)
    >>> mirror = [(k, 23 - k) for k in range(12)] + [(24 + k, 47 - k) for k in range(12)]
    >>> quotient_homology(x, mirror, scale=0.2, engine="gf2").betti
    (1, 0)
    """
    pts = np.asarray(x, dtype=np.float64)
    if pts.ndim == 1:
        pts = pts.reshape(-1, 1)
    if backend not in BACKENDS:
        raise InvalidInputError(f"backend must be one of {', '.join(BACKENDS)}; got {backend!r}")
    if isinstance(maxdim, bool) or not isinstance(maxdim, int | np.integer) or maxdim < 0:
        raise InvalidInputError(f"maxdim must be a non-negative integer, got {maxdim!r}")
    eps = default_scale(pts) if scale is None else _positive(scale, "scale")
    top = max(eps, _positive(max_scale, "max_scale")) if max_scale else MAX_SCALE_FACTOR * eps
    eng = _engine(engine)
    labels = _labels_from(classes, len(pts))
    if backend == "metric":
        n, pairs, lengths = rips_edges(pts, top, labels)
        apexes = 0
    else:
        n, pairs, lengths = rips_edges(pts, top)
        apexes = int((np.bincount(labels) > 1).sum())
    if eng == "gudhi":
        bars, count = _gudhi_bars(n, pairs, lengths, maxdim, labels if backend == "cone" else None)
    else:
        simplices = _flag_simplices(n, pairs, lengths, maxdim + 1)
        if backend == "cone":
            simplices = _cone(simplices, labels, maxdim)
        bars, count = _gf2_persistence(simplices, maxdim), len(simplices)
    return Homology(_betti(bars, eps), eps, top, backend, eng, n + apexes, count, bars)


def representation_homology(
    y: Any,
    *,
    scale: float | None = None,
    maxdim: int = 1,
    engine: Engine | None = None,
    max_scale: float | None = None,
) -> Homology:
    """Persistent homology of a point cloud (a representation ``Φ^l(X)``) in its own metric.

    Coinciding points count once. ``scale`` defaults to
    :func:`~neurogeom.topology.regions.default_scale` of the distinct points.

    Examples
    --------
    >>> from neurogeom.topology import sample_circle
    >>> representation_homology(sample_circle(40, evenly=True), engine="gf2").betti
    (1, 1)
    """
    pts = np.asarray(y, dtype=np.float64)
    if pts.ndim == 1:
        pts = pts.reshape(-1, 1)
    distinct = np.unique(pts, axis=0)
    if scale is None:
        scale = default_scale(distinct) if len(distinct) > 1 else 1.0
    res = quotient_homology(
        distinct, scale=scale, maxdim=maxdim, engine=engine, max_scale=max_scale
    )
    return Homology(
        res.betti,
        res.scale,
        res.max_scale,
        "representation",
        res.engine,
        res.vertices,
        res.simplices,
        res.bars,
    )


# -- layer by layer -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, eq=False)
class LayerHomology:
    """Quotient and representation homology at one layer.

    Attributes
    ----------
    layer : int
    overlap : LayerOverlap
    quotient : Homology
        ``X / O_Φ`` with the metric backend.
    cone : Homology or None
        ``X / O_Φ`` with the cone backend (when asked).
    representation : Homology
        The baseline: ``Φ^l(X)`` in its own metric.
    """

    layer: int
    overlap: LayerOverlap
    quotient: Homology
    cone: Homology | None
    representation: Homology

    def to_dict(self, *, bars: bool = False) -> dict[str, Any]:
        """JSON-ready form (the contract's ``layer``, ``regions``, ``overlap_classes``,
        ``betti``)."""
        ov = self.overlap
        return {
            "layer": self.layer,
            "width": ov.width,
            "regions": len(ov.regions),
            "overlap_classes": len(ov.classes),
            "glued_points": ov.glued_points,
            "quotient_points": ov.n_classes,
            "betti": list(self.quotient.betti),
            "betti_cone": None if self.cone is None else list(self.cone.betti),
            "betti_representation": list(self.representation.betti),
            "representation_scale": self.representation.scale,
            "rank_histogram": {str(k): v for k, v in ov.rank_histogram().items()},
            "rank_deficient_regions": len(ov.rank_deficient),
            "ties": len(ov.ties),
            "lps": ov.lps,
            "seconds": round(ov.seconds, 4),
            "complete": ov.complete,
            **(
                {
                    "quotient": self.quotient.to_dict(),
                    "representation": self.representation.to_dict(),
                }
                if bars
                else {}
            ),
        }


@dataclass(frozen=True, slots=True, eq=False)
class LayerwiseHomology:
    """The homology of a data set through a network, layer by layer.

    Attributes
    ----------
    input : Homology
        The data itself (layer 0).
    layers : tuple of LayerHomology
    decomposition : OverlapDecomposition
    seconds : float
    """

    input: Homology
    layers: tuple[LayerHomology, ...]
    decomposition: OverlapDecomposition
    seconds: float

    @property
    def complete(self) -> bool:
        """Whether every layer was finished."""
        return self.decomposition.complete

    def to_dict(self, *, bars: bool = False) -> dict[str, Any]:
        """JSON-ready form."""
        dec = self.decomposition
        return {
            "mode": dec.mode,
            "scale": dec.scale,
            "maxdim": len(self.input.betti) - 1,
            "engine": self.input.engine,
            "n_points": dec.n_points,
            "box": dec.box.tolist(),
            "tol": dec.tol.to_dict(),
            "input_betti": list(self.input.betti),
            "layers": [item.to_dict(bars=bars) for item in self.layers],
            "complete": self.complete,
            "seconds": round(self.seconds, 3),
        }


def layerwise_homology(
    net: Any,
    x: Any,
    *,
    layer: int | None = None,
    mode: Mode = "partner",
    scale: float | None = None,
    maxdim: int = 1,
    cone: bool = True,
    engine: Engine | None = None,
    tol: float | Tolerances | None = None,
    box: Any = None,
    max_scale: float | None = None,
    progress: bool = False,
    workers: int = 1,
    time_limit: float | None = None,
    budget: Budget | None = None,
) -> LayerwiseHomology:
    """Overlap classes and quotient Betti numbers of ``x`` at every layer of ``net``.

    One overlap decomposition (cumulative; see
    :func:`~neurogeom.topology.overlap.overlap_decomposition`), then per layer the Betti numbers
    of ``X / O_Φ`` by the metric backend (and the cone backend with ``cone=True``) at ``scale``,
    beside the persistent homology of ``Φ^l(X)`` itself. With ``layer``, only the layers up to
    it. ``max_scale`` ends the quotients' filtrations (default ``1.5 ε``); the other options
    are those of :func:`quotient_homology` and
    :func:`~neurogeom.topology.overlap.overlap_decomposition`.

    Examples
    --------
    An injective map (the identity through ``[I; -I]``) keeps the circle:

    >>> from neurogeom import ReLUNet
    >>> from neurogeom.topology import sample_circle
    >>> net = ReLUNet([[[1, 0], [0, 1], [-1, 0], [0, -1]], [[1, 0, -1, 0], [0, 1, 0, -1]]])
    >>> res = layerwise_homology(net, sample_circle(48, evenly=True), scale=0.2, engine="gf2")
    >>> [(item.layer, item.quotient.betti, item.representation.betti) for item in res.layers]
    [(1, (1, 1), (1, 1)), (2, (1, 1), (1, 1))]
    """
    started = time.monotonic()
    net = check_relu(net)
    pts = check_data(x, net.n_inputs)
    eps = default_scale(pts) if scale is None else _positive(scale, "scale")
    eng = _engine(engine)
    if budget is None:
        budget = Budget.start(time_limit=time_limit)
    dec = overlap_decomposition(
        net,
        pts,
        layer=layer,
        mode=mode,
        scale=eps,
        tol=tol,
        box=box,
        progress=progress,
        workers=workers,
        budget=budget,
    )
    opts = {"scale": eps, "maxdim": maxdim, "engine": eng, "max_scale": max_scale}
    base = quotient_homology(pts, **opts)
    items = []
    for ov in dec.layers:
        if not ov.complete:
            break
        q = quotient_homology(pts, ov, **opts)
        c = quotient_homology(pts, ov, backend="cone", **opts) if cone else None
        rep = representation_homology(representation(net, pts, ov.layer), maxdim=maxdim, engine=eng)
        items.append(LayerHomology(ov.layer, ov, q, c, rep))
    return LayerwiseHomology(base, tuple(items), dec, time.monotonic() - started)
