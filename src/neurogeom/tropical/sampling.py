"""Estimators of the number of linear regions from samples (lower-bound style).

Sampling can only find regions that some sample lands in, so every estimate here is a *lower
bound style* estimate: it never counts a region that does not exist (up to the linearity
heuristic below) but misses small or far-away ones. Three domains:

- a box ``[lo, hi]^n`` (:func:`sample_regions`);
- the *effective-radius* box ``[-R, R]^n``, which meets every linear region
  (:func:`sample_regions_effective`, with ``R`` from :func:`~.hoffman.effective_radius`);
- the *fundamental domain* ``x_1 <= ... <= x_n`` of a network invariant under permuting its
  inputs (:func:`sample_regions_symmetric`): ``N / n!`` sorted samples, each piece weighted by the
  size of its gradient's orbit ``n! / ∏ m_k!`` (``m_k`` = multiplicities of equal gradient
  entries).

Pieces: samples are grouped by their local affine map (exact maps per activation pattern,
rounded to ``digits`` significant digits relative to the map's size), and a group is split by a
*midpoint linearity test*: a sample joins a piece when the midpoint between it and the piece's
first sample has the same map. Conventions: ``specs/regions-and-tropical.md`` section 2.7.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.random import check_rng
from neurogeom.nets.relu import ReLUNet

__all__ = [
    "STATEMENT",
    "RegionEstimate",
    "sample_regions",
    "sample_regions_effective",
    "sample_regions_symmetric",
]

#: What every estimate says about itself.
STATEMENT = (
    "lower-bound style estimate from samples: regions that no sample visits are not counted, "
    "so the true number of linear regions can be larger"
)


@dataclass(frozen=True, slots=True)
class RegionEstimate:
    """A sampled estimate of the number of linear regions.

    Attributes
    ----------
    estimate : float
        Distinct pieces found (orbit-weighted for the fundamental domain).
    n_samples : int
        Points drawn (after the ``n!`` reduction for the fundamental domain).
    distinct_maps : int
        Distinct local affine maps among the samples.
    box : tuple of float
        ``(lo, hi)`` of the sampled cube.
    method : str
        ``"box"``, ``"effective_radius"`` or ``"fundamental_domain"``.
    statement : str
        That this is a lower-bound style estimate (:data:`STATEMENT`).
    """

    estimate: float
    n_samples: int
    distinct_maps: int
    box: tuple[float, float]
    method: str
    statement: str = STATEMENT

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "estimate": self.estimate,
            "n_samples": self.n_samples,
            "distinct_maps": self.distinct_maps,
            "box": list(self.box),
            "method": self.method,
            "statement": self.statement,
        }


class _Maps:
    """Local affine maps of sample points, as integer ids (shared across batches)."""

    def __init__(self, net: ReLUNet, digits: int) -> None:
        self.net = net.to_float()
        self.digits = digits
        self.by_pattern: dict[bytes, int] = {}
        self.by_key: dict[tuple[float, ...], int] = {}
        self.gradients: list[np.ndarray] = []

    def ids(self, x: np.ndarray) -> np.ndarray:
        pats = self.net.activation_patterns(x)
        packed = np.packbits(pats, axis=1) if pats.shape[1] else np.zeros((len(x), 1), np.uint8)
        width = packed.shape[1]
        padded = np.zeros((len(x), -(-width // 8) * 8), dtype=np.uint8)
        padded[:, :width] = packed
        # one integer (or a few) per point: np.unique on 1-D keys is far faster than on rows
        keys = padded.view(np.uint64)
        if keys.shape[1] == 1:
            uniq_keys, first_idx, inverse = np.unique(
                keys[:, 0], return_index=True, return_inverse=True
            )
        else:
            rows = np.ascontiguousarray(keys).view([("", np.uint64)] * keys.shape[1])[:, 0]
            uniq_keys, first_idx, inverse = np.unique(rows, return_index=True, return_inverse=True)
        out = np.empty(len(uniq_keys), dtype=np.int64)
        for u, first in enumerate(first_idx.tolist()):
            key_bytes = padded[first].tobytes()
            found = self.by_pattern.get(key_bytes)
            if found is None:
                m, c = self.net.local_affine_map(pats[first])
                flat = np.concatenate([m.ravel(), c.ravel()])
                size = max(1.0, float(np.abs(flat).max()))
                key = tuple(float(f"{v / size:.{self.digits}g}") + 0.0 for v in flat)
                found = self.by_key.get(key)
                if found is None:
                    found = len(self.by_key)
                    self.by_key[key] = found
                    self.gradients.append(np.asarray(m, dtype=np.float64))
                self.by_pattern[key_bytes] = found
            out[u] = found
        return out[inverse.reshape(-1)]


def _pieces(maps: _Maps, x: np.ndarray, linearity_check: bool) -> list[tuple[int, int]]:
    """``(map id, representative index)`` for every piece found."""
    ids = maps.ids(x)
    pieces = []
    for g in np.unique(ids):
        members = np.flatnonzero(ids == g)
        if not linearity_check:
            pieces.append((int(g), int(members[0])))
            continue
        while len(members):
            rep = members[0]
            mids = (x[members] + x[rep]) / 2
            same = maps.ids(mids) == g
            same[0] = True
            pieces.append((int(g), int(rep)))
            members = members[~same]
    return pieces


def _check(net: Any, n_samples: Any) -> ReLUNet:
    if not isinstance(net, ReLUNet):
        raise InvalidInputError(f"expected a ReLUNet, got {type(net).__name__}")
    if isinstance(n_samples, bool) or not isinstance(n_samples, int) or n_samples < 1:
        raise InvalidInputError(f"n_samples must be a positive integer, got {n_samples!r}")
    return net


def _box(box: Any) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in box)
    except (TypeError, ValueError):
        raise InvalidInputError(f"box must be (lo, hi), got {box!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise InvalidInputError(f"box must be finite with lo < hi, got {box!r}")
    return lo, hi


def _draw(rng: np.random.Generator, n: int, k: int, box: tuple[float, float]) -> np.ndarray:
    return rng.uniform(box[0], box[1], size=(k, n))


def sample_regions(
    net: ReLUNet,
    *,
    box: Any = (-1.0, 1.0),
    n_samples: int = 10_000,
    seed: Any = None,
    linearity_check: bool = True,
    digits: int = 10,
    batch: int = 200_000,
) -> RegionEstimate:
    """Count the linear regions that uniform samples in a box visit.

    Parameters
    ----------
    net : ReLUNet
    box : (lo, hi)
        The cube ``[lo, hi]^n``.
    n_samples : int
    seed : int or Generator, optional
        Through :func:`~neurogeom.core.random.check_rng`.
    linearity_check : bool
        Split samples that share a map by the midpoint test.
    digits : int
        Significant digits of map comparison.
    batch : int
        Points per batch (memory).

    Returns
    -------
    RegionEstimate

    Examples
    --------
    ``|x|`` has two regions:

    >>> net = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]])
    >>> est = sample_regions(net, n_samples=500, seed=0)
    >>> est.estimate, est.n_samples
    (2, 500)
    """
    net = _check(net, n_samples)
    lo_hi = _box(box)
    rng = check_rng(seed)
    maps = _Maps(net, digits)
    x = np.concatenate(
        [
            _draw(rng, net.n_inputs, min(batch, n_samples - s), lo_hi)
            for s in range(0, n_samples, batch)
        ]
    )
    pieces = _pieces(maps, x, linearity_check)
    return RegionEstimate(len(pieces), n_samples, len({g for g, _ in pieces}), lo_hi, "box")


def sample_regions_effective(
    net: ReLUNet,
    *,
    n_samples: int = 10_000,
    seed: Any = None,
    radius: float | None = None,
    margin: float = 0.1,
    linearity_check: bool = True,
) -> RegionEstimate:
    """Sample in ``[-R, R]^n`` with ``R`` the effective radius of the net's tropical form.

    Every linear region meets that box, so enough samples can reach all of them (unlike a box
    picked by hand). ``R`` is computed from the pruned tropical form (:func:`~.tropicalize`,
    :func:`~.hoffman.effective_radius`) unless given; ``R = 0`` (a single region per output, or
    all regions through the origin) samples ``[-1, 1]^n``. A region may meet ``[-R, R]^n`` in a
    boundary point only, so the sampled cube is ``R (1 + margin) + margin`` wide.

    Examples
    --------
    >>> net = ReLUNet([[[1.0], [1.0]], [[1.0, -1.0]]], [[0.0, -5.0], [0.0]])  # kinks at 0, 5
    >>> sample_regions(net, box=(-1, 1), n_samples=300, seed=0).estimate
    2
    >>> sample_regions_effective(net, n_samples=300, seed=0).estimate
    3
    """
    net = _check(net, n_samples)
    if radius is None:
        from neurogeom.tropical.conversion import tropicalize
        from neurogeom.tropical.hoffman import effective_radius

        radius = effective_radius(tropicalize(net, prune=True, progress=False))
    r = float(radius)
    if not (math.isfinite(r) and r >= 0):
        raise InvalidInputError(f"radius must be a finite number >= 0, got {radius!r}")
    r = r * (1 + margin) + margin if r > 0 else 1.0
    est = sample_regions(
        net, box=(-r, r), n_samples=n_samples, seed=seed, linearity_check=linearity_check
    )
    return RegionEstimate(est.estimate, n_samples, est.distinct_maps, (-r, r), "effective_radius")


def _orbit(gradient: np.ndarray, n: int, digits: int) -> int:
    cols = [tuple(round(float(v), digits) for v in gradient[:, j]) for j in range(n)]
    size = math.factorial(n)
    for mult in Counter(cols).values():
        size //= math.factorial(mult)
    return size


def sample_regions_symmetric(
    net: ReLUNet,
    *,
    box: Any = (-1.0, 1.0),
    n_samples: int = 10_000,
    seed: Any = None,
    linearity_check: bool = True,
    digits: int = 10,
) -> RegionEstimate:
    """Sample the fundamental domain ``x_1 <= ... <= x_n`` of a permutation-invariant net.

    ``n_samples // n!`` points (at least 1) are drawn in the box and sorted; each piece found
    counts ``n! / ∏ m_k!`` regions, where ``m_k`` are the multiplicities of equal columns of its
    gradient (regions whose gradient is fixed by a permutation lie on their own image).

    The network must be invariant under permutations of its inputs; that is not checked.

    Examples
    --------
    ``relu(x1) + relu(x2)`` (invariant): 4 regions, one of them symmetric.

    >>> net = ReLUNet([[[1.0, 0.0], [0.0, 1.0]], [[1.0, 1.0]]])
    >>> est = sample_regions_symmetric(net, n_samples=1000, seed=0)
    >>> est.estimate, est.n_samples
    (4, 500)
    """
    net = _check(net, n_samples)
    lo_hi = _box(box)
    rng = check_rng(seed)
    n = net.n_inputs
    k = max(1, n_samples // math.factorial(n))
    x = np.sort(_draw(rng, n, k, lo_hi), axis=1)
    maps = _Maps(net, digits)
    pieces = _pieces(maps, x, linearity_check)
    total = sum(_orbit(maps.gradients[g], n, digits) for g, _ in pieces)
    return RegionEstimate(total, k, len({g for g, _ in pieces}), lo_hi, "fundamental_domain")
