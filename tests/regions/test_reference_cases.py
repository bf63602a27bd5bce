"""The reference cases of the regions spec in one table, run over engine × arithmetic.

``specs/regions-and-tropical.md`` §4 lists RG1–RG15; RG4, RG6, RG7, RG8 and RG13 are tropical
(rational functions, signomials) and are tested with the tropical module. Every other case is a
row of :data:`CASES`: a net, a domain, all four counts (activation cells, facet-connected and
point-connected linear regions, bounded regions) and, where known, the cells (pattern ->
volume), the regions' affine maps, region sizes and region volumes. Each row runs on the search
engine and, on a box with 1 to 3 inputs, on the split engine, in float and in exact arithmetic;
every run must find the same answer, complete and certified.

Where the answers come from. The spec gives the R^n counts and maps of RG1, RG2, RG3, RG5, RG9,
RG10, RG11, RG14, RG15. Everything else was derived by hand (derivations next to each row) and
checked without the code under test: :func:`test_answers_on_boxes_match_the_brute_force_oracle`
recomputes every 1-D and 2-D box row by exact polygon clipping (``conftest.partition_oracle``),
:func:`test_nets_compute_the_functions_of_the_spec` checks each net against the formula of the
spec, and the RG9 nets are checked to be in general position exactly
(:func:`generic_arrangement`). A box variant of an R^n case uses a box whose interior holds
every vertex of the partition (or the one point all hyperplanes pass through): each cell of R^n
has a vertex there or is a cone from that point, so it meets the box in a full-dimensional convex
piece; the box has the same cells, all bounded, and the same maps.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction as F
from typing import Any

import numpy as np
import pytest

from neurogeom import ReLUNet
from neurogeom.regions import enumerate_regions

Map = tuple[tuple[tuple[Any, ...], ...], tuple[Any, ...]]


@dataclass(frozen=True)
class Case:
    """One reference case.

    ``counts`` is ``(activation, linear, linear_point, bounded)``; ``cells`` maps each pattern
    (bit string) to its volume (``None`` when unbounded); ``maps`` is the multiset of the
    facet-connected regions' maps ``((rows...), offsets)``; ``function`` the spec's formula of
    the net (Fractions in, a tuple out).
    """

    name: str
    net: ReLUNet
    domain: tuple[Any, Any] | None
    counts: tuple[int, int, int, int]
    cells: dict[str, Any] | None = None
    maps: tuple[Map, ...] | None = None
    region_sizes: tuple[int, ...] | None = None
    region_volumes: tuple[Any, ...] | None = None
    function: Callable[..., tuple[Any, ...]] | None = None
    slow: bool = False

    @property
    def dim(self) -> int:
        return self.net.n_inputs

    def box(self) -> tuple[list[F], list[F]]:
        lo, hi = self.domain
        return [F(lo)] * self.dim, [F(hi)] * self.dim


def relu(v: Any) -> Any:
    return v if v > 0 else 0


def m1(*rows: Any) -> Map:
    """A one-output map from its gradient and offset: ``m1(g1, ..., gn, offset)``."""
    *grad, off = rows
    return ((tuple(grad),), (off,))


# -- nets ------------------------------------------------------------------------------------------
def thresholded(layers: list, thresholds: list) -> ReLUNet:
    """A ReLUNet for TropicalNN-style layers ``y = max(W x + b, t)`` (``t`` per hidden neuron).

    ``max(z, t) = relu(z - t) + t``: hidden biases become ``b - t`` and the next layer's bias
    gains ``W_next @ t``.
    """
    ws, bs = [], []
    carry = None
    for k, (w, b) in enumerate(layers):
        w = np.array(w, dtype=object)
        b = np.array(b, dtype=object)
        if carry is not None:
            b = b + w @ carry
        if k < len(layers) - 1:
            t = np.array(thresholds[k], dtype=object)
            b = b - t
            carry = t
        ws.append(w)
        bs.append(b)
    return ReLUNet([w.tolist() for w in ws], [b.tolist() for b in bs], exact=True)


def tropical_layers(layers: list, thresholds: list) -> Callable[..., tuple[Any, ...]]:
    """The spec's definition of the same layers, evaluated directly."""

    def f(*x: Any) -> tuple[Any, ...]:
        h = list(x)
        for k, (w, b) in enumerate(layers):
            z = [
                sum(F(wij) * hj for wij, hj in zip(row, h, strict=True)) + bi
                for row, bi in zip(w, b, strict=True)
            ]
            h = (
                z
                if k == len(layers) - 1
                else [max(zi, ti) for zi, ti in zip(z, thresholds[k], strict=True)]
            )
        return tuple(h)

    return f


DEEP_1D = (
    [([[1], [-1]], [0, 0]), ([[1, 1], [1, -1]], [0, 1]), ([[2, -1]], [0])],
    [[0, 0], [-1, 0]],
)
DEEP_2D = (
    [([[1, 0], [0, 1]], [0, -1]), ([[1, -1], [1, 1]], [0, 1]), ([[1, -2]], [0])],
    [[0, 0], [-1, 0]],
)

MAX2 = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]], exact=True)  # relu(x-y)+relu(y)-relu(-y)


def max_of_3() -> ReLUNet:
    """max(max(x1, x2), x3): x3 rides through the hidden layer as relu(x3) - relu(-x3)."""
    pair = ReLUNet([[[1, 0, 0], [0, 1, 0]]], exact=True).compose(MAX2)
    ride = ReLUNet([[[0, 0, 1], [0, 0, -1]], [[1, -1]]], exact=True)
    return ReLUNet.stack([pair, ride]).compose(MAX2)


def max_of_4() -> ReLUNet:
    """max(max(x1, x2), max(x3, x4)): a depth-2 tree of max2 gadgets."""
    pair_a = ReLUNet([[[1, 0, 0, 0], [0, 1, 0, 0]]], exact=True).compose(MAX2)
    pair_b = ReLUNet([[[0, 0, 1, 0], [0, 0, 0, 1]]], exact=True).compose(MAX2)
    return ReLUNet.stack([pair_a, pair_b]).compose(MAX2)


def tent(k: int) -> ReLUNet:
    """Telgarsky's tent t(x) = 2 relu(x) - 4 relu(x - 1/2), composed k times."""
    t = ReLUNet([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]], exact=True)
    net = t
    for _ in range(k - 1):
        net = net.compose(t)
    return net


def tent_function(k: int) -> Callable[..., tuple[Any, ...]]:
    def f(x: Any) -> tuple[Any, ...]:
        for _ in range(k):
            x = 2 * relu(x) - 4 * relu(x - F(1, 2))
        return (x,)

    return f


def sawtooth_maps(k: int) -> list[Map]:
    """t^k on [0, 1] interpolates 0, 1, 0, 1, ... at i / 2^k: on [i, i+1] / 2^k it is
    2^k x - i (i even) or i + 1 - 2^k x (i odd)."""
    n = 2**k
    return [m1(n, -i) if i % 2 == 0 else m1(-n, i + 1) for i in range(n)]


# -- RG9: nets whose first layer is a generic arrangement ------------------------------------------
def _det(m: list[list[F]]) -> F:
    if len(m) == 1:
        return m[0][0]
    return sum(
        (
            (-1) ** j * m[0][j] * _det([row[:j] + row[j + 1 :] for row in m[1:]])
            for j in range(len(m))
        ),
        F(0),
    )


def generic_arrangement(d: int, n: int) -> tuple[ReLUNet, int]:
    """The RG9 net of ``n`` Gaussian neurons on ``R^d`` and the smallest integer ``R`` such that
    the open box ``(-R, R)^d`` contains every vertex of its arrangement.

    Checked exactly: every ``d`` normals are independent and no ``d + 1`` hyperplanes meet (so
    the arrangement is in general position: Zaslavsky's count sum_{i<=d} C(n, i) holds and
    C(n-1, d) cells are bounded); all 2^n sums of output-weighted neurons differ (so distinct
    cells have distinct maps: linear = point-connected = activation count).
    """
    rng = np.random.default_rng(12345 + 10 * d + n)
    w = rng.normal(size=(n, d))
    b = rng.normal(size=n)
    v = rng.normal(size=(1, n))
    wq = [[F(x) for x in row] for row in w]
    bq = [F(x) for x in b]
    extent = F(0)
    for rows in itertools.combinations(range(n), d):
        a = [wq[i] for i in rows]
        det = _det(a)
        assert det != 0, f"normals {rows} are dependent: pick another seed"
        # Cramer's rule for the vertex a x = -b
        vertex = [
            _det([[(-bq[rows[r]] if j == i else a[r][j]) for j in range(d)] for r in range(d)])
            / det
            for i in range(d)
        ]
        extent = max(extent, *(abs(x) for x in vertex))
        for k in set(range(n)) - set(rows):
            on = sum((wq[k][j] * vertex[j] for j in range(d)), F(0)) + bq[k]
            assert on != 0, f"hyperplanes {rows} and {k} meet in a point: pick another seed"
    terms = [tuple(F(v[0, j]) * t for t in (*wq[j], bq[j])) for j in range(n)]
    sums = set()
    for subset in itertools.product((False, True), repeat=n):
        chosen = [t for t, keep in zip(terms, subset, strict=True) if keep]
        sums.add(tuple(sum(col, F(0)) for col in zip(*chosen, strict=True)) if chosen else ())
    assert len(sums) == 2**n, "two cells could share a map: pick another seed"
    return ReLUNet([w, v], [b, [0.0]]), math.floor(extent) + 1


def zaslavsky(d: int, n: int) -> int:
    return sum(math.comb(n, i) for i in range(d + 1))


def rg9_cases() -> list[Case]:
    out = []
    for d, n in [(2, 4), (2, 6), (3, 5), (2, 12)]:
        net, radius = generic_arrangement(d, n)
        total = zaslavsky(d, n)
        if (d, n) != (2, 12):  # the spec's (d, n) = (2,4) -> 11, (2,6) -> 22, (3,5) -> 26
            out.append(
                Case(f"RG9 d={d} n={n}", net, None, (total, total, total, math.comb(n - 1, d)))
            )
        big = (d, n) == (2, 12)
        out.append(Case(f"RG9 d={d} n={n} box", net, (-radius, radius), (total,) * 4, slow=big))
    return out


def tent_cases() -> list[Case]:
    out = []
    for k in (1, 2, 3, 4):
        inner = sawtooth_maps(k)
        piece = F(1, 2**k)
        if k == 1:
            # on R: 0 (x <= 0), 2x on [0, 1/2], 2 - 2x (x >= 1/2); on [-1, 2] volumes 1, 1/2, 3/2
            line_maps, box_volumes = [m1(0, 0), *inner], (F(1), F(1, 2), F(3, 2))
        else:
            # two zero tails (x <= 0 and x >= 1) that do not touch, and the 2^k teeth in between
            line_maps, box_volumes = [m1(0, 0), m1(0, 0), *inner], (1, 1, *[piece] * 2**k)
        n = len(line_maps)
        out += [
            Case(
                f"RG10 k={k}",
                tent(k),
                None,
                (n, n, n, n - 2),
                maps=tuple(line_maps),
                region_volumes=(None, None, *[piece] * (n - 2)),
                function=tent_function(k),
            ),
            Case(
                f"RG10 k={k} box",
                tent(k),
                (-1, 2),
                (n,) * 4,
                maps=tuple(line_maps),
                region_volumes=box_volumes,
                function=tent_function(k),
            ),
            Case(
                f"RG10 k={k} on [0,1]",
                tent(k),
                (0, 1),
                (2**k,) * 4,
                maps=tuple(inner),
                region_volumes=(piece,) * 2**k,
                function=tent_function(k),
            ),
        ]
    return out


# -- the table -------------------------------------------------------------------------------------
RG1 = ReLUNet([[[0, 1], [1, 0]], [[1, -1]]], [[1, 1], [0]], exact=True)
RG1_MAPS = (m1(-1, 1, 0), m1(0, 1, 1), m1(-1, 0, -1), m1(0, 0, 0))
RG2 = ReLUNet([[[1, 0], [0, 1]], [[1, -1]], [[1]]], exact=True)
RG2_MAPS = (m1(0, 0, 0), m1(1, -1, 0), m1(1, 0, 0))
RG3 = ReLUNet([[[1], [1], [2]], [[1, 1, -1]]], [[0, -2, -2], [0]], exact=True)
RG3_MAPS = (m1(0, 0), m1(1, 0), m1(-1, 2), m1(0, 0))
RG5 = ReLUNet([[[1, 0], [0, 1]], [[1, 0], [0, 1]]], exact=True)
RG5_MAPS = tuple((((a, 0), (0, b)), (0, 0)) for a in (0, 1) for b in (0, 1))
RG9_1D = ReLUNet([[[1], [2], [-1], [3]], [[1, 1, 1, 1]]], [[0, 1, 2, -1], [0]], exact=True)
# kinks at -1/2, 0, 1/3, 2: slopes -1, 1, 2, 5, 6 from the left
RG9_1D_MAPS = (m1(-1, 2), m1(1, 3), m1(2, 3), m1(5, 2), m1(6, 0))
RG11 = MAX2
RG14 = ReLUNet([[[2, 0], [0, 3], [2, 3]], [[1, 1, -1]]], exact=True)
# a = 2x, b = 3y: zero where a, b have one sign; -b, a where a > 0 > b; -a, b where b > 0 > a
RG14_MAPS = (m1(0, 0, 0), m1(0, 0, 0), m1(0, -3, 0), m1(2, 0, 0), m1(-2, 0, 0), m1(0, 3, 0))
RG15_1D = thresholded(*DEEP_1D)
RG15_1D_MAPS = (m1(-2, 0), m1(-3, -1), m1(1, -1))
RG15_2D = thresholded(*DEEP_2D)
RG15_2D_MAPS = (
    m1(0, 0, -2),
    m1(-1, 0, -2),
    m1(0, -3, 1),
    m1(0, -2, -1),
    m1(-1, -3, 1),
    m1(-2, -2, -1),
)
COINCIDENT = ReLUNet(
    [[[1, 1], [2, 2], [-1, -1], [0, 0], [1, 0]], [[1, 1, 1, 1, 1]]],
    [[0, 0, 0, 1, 50], [0]],
    exact=True,
)
LINEAR = ReLUNet([[[1, 2]]], [[3]], exact=True)
EYE3 = ((1, 0, 0), (0, 1, 0), (0, 0, 1))
EYE4 = ((1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1))

CASES: list[Case] = [
    # RG1 relu(x2 + 1) - relu(x1 + 1): the quadrants of (-1, -1); on [-2, 2]^2 their sides are
    # 1 or 3 long. Pattern bits: neuron 0 is x2 + 1, neuron 1 is x1 + 1.
    Case(
        "RG1",
        RG1,
        None,
        (4, 4, 4, 0),
        cells=dict.fromkeys(["00", "01", "10", "11"]),
        maps=RG1_MAPS,
        function=lambda x1, x2: (relu(x2 + 1) - relu(x1 + 1),),
    ),
    Case(
        "RG1 box",
        RG1,
        (-2, 2),
        (4, 4, 4, 4),
        cells={"00": 1, "01": 3, "10": 3, "11": 9},
        maps=RG1_MAPS,
        function=lambda x1, x2: (relu(x2 + 1) - relu(x1 + 1),),
    ),
    # RG2 relu(relu(x1) - relu(x2)): quadrants; the first is cut by x1 = x2; on x1, x2 <= 0 the
    # last neuron is identically 0, inactive. The zero map holds on 000, 010, 110 (joined across
    # x2 = 0 and x1 = 0).
    Case(
        "RG2",
        RG2,
        None,
        (5, 3, 3, 0),
        cells=dict.fromkeys(["000", "010", "101", "110", "111"]),
        maps=RG2_MAPS,
        region_sizes=(1, 1, 3),
        function=lambda x1, x2: (relu(relu(x1) - relu(x2)),),
    ),
    Case(
        "RG2 box",
        RG2,
        (-1, 1),
        (5, 3, 3, 3),
        cells={"000": 1, "010": 1, "101": 1, "110": F(1, 2), "111": F(1, 2)},
        maps=RG2_MAPS,
        region_sizes=(1, 1, 3),
        region_volumes=(F(1, 2), 1, F(5, 2)),
        function=lambda x1, x2: (relu(relu(x1) - relu(x2)),),
    ),
    # RG3 relu(x) + relu(x - 2) - relu(2x - 2): 0, x, 2 - x, 0 between the kinks 0, 1, 2
    Case(
        "RG3",
        RG3,
        None,
        (4, 4, 4, 2),
        cells={"000": None, "100": 1, "101": 1, "111": None},
        maps=RG3_MAPS,
        function=lambda x: (max(0, x, 2 * x - 2) - max(0, 2 * x - 2),),
    ),
    Case(
        "RG3 box",
        RG3,
        (-1, 3),
        (4, 4, 4, 4),
        cells={"000": 1, "100": 1, "101": 1, "111": 1},
        maps=RG3_MAPS,
        function=lambda x: (max(0, x, 2 * x - 2) - max(0, 2 * x - 2),),
    ),
    # RG5 [relu(x1), relu(x2)]: four quadrants, four different maps
    Case(
        "RG5",
        RG5,
        None,
        (4, 4, 4, 0),
        cells=dict.fromkeys(["00", "01", "10", "11"]),
        maps=RG5_MAPS,
        function=lambda x1, x2: (relu(x1), relu(x2)),
    ),
    Case(
        "RG5 box",
        RG5,
        (-1, 1),
        (4, 4, 4, 4),
        cells=dict.fromkeys(["00", "01", "10", "11"], 1),
        maps=RG5_MAPS,
        function=lambda x1, x2: (relu(x1), relu(x2)),
    ),
    *rg9_cases(),
    # RG9 in 1-D: n + 1 cells; bounded ones [-1/2, 0], [0, 1/3], [1/3, 2]
    Case(
        "RG9 1-D",
        RG9_1D,
        None,
        (5, 5, 5, 3),
        cells={"0010": None, "0110": F(1, 2), "1110": F(1, 3), "1111": F(5, 3), "1101": None},
        maps=RG9_1D_MAPS,
    ),
    Case(
        "RG9 1-D box",
        RG9_1D,
        (-1, 3),
        (5, 5, 5, 5),
        cells={"0010": F(1, 2), "0110": F(1, 2), "1110": F(1, 3), "1111": F(5, 3), "1101": 1},
        maps=RG9_1D_MAPS,
    ),
    *tent_cases(),
    # RG11 max(x, y): cells cut by y = 0 and y = x; x on 110 and 101, y on 010 and 001. On
    # [-1, 1]^2 the diagonal cuts the upper half into 1/2 (x > y) and 3/2, the lower into 3/2
    # (x > y) and 1/2.
    Case(
        "RG11",
        RG11,
        None,
        (4, 2, 2, 0),
        cells=dict.fromkeys(["001", "010", "101", "110"]),
        maps=(m1(1, 0, 0), m1(0, 1, 0)),
        region_sizes=(2, 2),
        function=lambda x, y: (max(x, y),),
    ),
    Case(
        "RG11 box",
        RG11,
        (-1, 1),
        (4, 2, 2, 2),
        cells={"001": F(1, 2), "010": F(3, 2), "101": F(3, 2), "110": F(1, 2)},
        maps=(m1(1, 0, 0), m1(0, 1, 0)),
        region_sizes=(2, 2),
        region_volumes=(2, 2),
        function=lambda x, y: (max(x, y),),
    ),
    # RG12 max of n inputs: n linear regions. Cells, by hand: layer 1 fixes the signs of
    # x1 - x2, x2 (and x3 - x4, x4); the pair maxima a (and b, or c = x3) are then positive,
    # negative or free, and layer 2 cuts by a = b and b = 0 (a = c with c's sign fixed): 13
    # cells for max of 3, 33 for max of 4 (also found by 4e5 random samples). All hyperplanes
    # pass through 0, so every cell is a cone and meets [-1, 1]^3; by symmetry each region
    # {x_i is largest} holds 8/3 of the cube.
    Case(
        "RG12 max of 3",
        max_of_3(),
        None,
        (13, 3, 3, 0),
        maps=tuple(((row,), (0,)) for row in EYE3),
        function=lambda *x: (max(x),),
    ),
    Case(
        "RG12 max of 3 box",
        max_of_3(),
        (-1, 1),
        (13, 3, 3, 3),
        maps=tuple(((row,), (0,)) for row in EYE3),
        region_volumes=(F(8, 3),) * 3,
        function=lambda *x: (max(x),),
    ),
    Case(
        "RG12 max of 4",
        max_of_4(),
        None,
        (33, 4, 4, 0),
        maps=tuple(((row,), (0,)) for row in EYE4),
        function=lambda *x: (max(x),),
    ),
    # RG14 relu(2x) + relu(3y) - relu(2x + 3y): six sectors; the zero map on the two opposite
    # sectors 000 and 111 that touch only at the origin. On [-1, 1]^2 the line 2x + 3y = 0
    # cuts the quadrants x > 0 > y and y > 0 > x into 1/3 and 2/3.
    Case(
        "RG14",
        RG14,
        None,
        (6, 6, 5, 0),
        cells=dict.fromkeys(["000", "010", "011", "100", "101", "111"]),
        maps=RG14_MAPS,
        function=lambda x, y: (relu(2 * x) + relu(3 * y) - relu(2 * x + 3 * y),),
    ),
    Case(
        "RG14 box",
        RG14,
        (-1, 1),
        (6, 6, 5, 6),
        cells={"000": 1, "111": 1, "010": F(1, 3), "101": F(1, 3), "011": F(2, 3), "100": F(2, 3)},
        maps=RG14_MAPS,
        function=lambda x, y: (relu(2 * x) + relu(3 * y) - relu(2 * x + 3 * y),),
    ),
    # RG15 deep-1d = 2|x| - relu(x + 1): -2x, -3x - 1, x - 1 with kinks at -1 and 0
    Case(
        "RG15 deep-1d",
        RG15_1D,
        None,
        (3, 3, 3, 1),
        cells={"0110": None, "0111": 1, "1011": None},
        maps=RG15_1D_MAPS,
        function=tropical_layers(*DEEP_1D),
    ),
    Case(
        "RG15 deep-1d box",
        RG15_1D,
        (-2, 2),
        (3, 3, 3, 3),
        cells={"0110": 1, "0111": 1, "1011": 2},
        maps=RG15_1D_MAPS,
        function=tropical_layers(*DEEP_1D),
    ),
    # RG15 deep-2d: quadrants of (0, 1); x1 > 0, x2 > 1 is cut by x2 = x1 + 2, x1 < 0, x2 > 1 by
    # x2 = 2. On [-10, 10]^2: 110, 110, 10, 80, and 32 / 58 on either side of x2 = x1 + 2.
    Case(
        "RG15 deep-2d",
        RG15_2D,
        None,
        (6, 6, 6, 0),
        cells=dict.fromkeys(["0011", "0101", "0111", "1011", "1101", "1111"]),
        maps=RG15_2D_MAPS,
        function=tropical_layers(*DEEP_2D),
    ),
    Case(
        "RG15 deep-2d box",
        RG15_2D,
        (-10, 10),
        (6, 6, 6, 6),
        cells={"0011": 110, "1011": 110, "0111": 10, "0101": 80, "1101": 32, "1111": 58},
        maps=RG15_2D_MAPS,
        function=tropical_layers(*DEEP_2D),
    ),
    # Degenerate neurons: three copies of x + y (one negated), a dead neuron (constant 1) and
    # x + 50, which misses the box: two halves of the square
    Case(
        "coincident and dead neurons",
        COINCIDENT,
        (-1, 1),
        (2, 2, 2, 2),
        cells={"11011": 2, "00111": 2},
        maps=(m1(4, 3, 51), m1(0, -1, 51)),
        function=lambda x, y: (3 * relu(x + y) + relu(-x - y) + 1 + relu(x + 50),),
    ),
    # No hidden layer: one cell, one region
    Case("no hidden layer", LINEAR, None, (1, 1, 1, 0), cells={"": None}, maps=(m1(1, 2, 3),)),
    Case("no hidden layer box", LINEAR, (0, 1), (1, 1, 1, 1), cells={"": 1}, maps=(m1(1, 2, 3),)),
]


def _id(case: Case, engine: str, exact: bool) -> str:
    return f"{case.name}-{engine}-{'exact' if exact else 'float'}"


def _runs() -> list[Any]:
    out = []
    for case in CASES:
        engines = ["search"]
        if case.domain is not None and 1 <= case.dim <= 3:
            engines.append("split")
        for engine in engines:
            for exact in (False, True):
                marks = [pytest.mark.slow] if case.slow else []
                out.append(
                    pytest.param(case, engine, exact, id=_id(case, engine, exact), marks=marks)
                )
    return out


# -- checking a result against a row ---------------------------------------------------------------
def bits(pattern: Any) -> str:
    return "".join("1" if b else "0" for b in pattern)


def _rational(v: Any) -> F:
    """A float that must be a small-denominator rational of the table, as that rational."""
    if isinstance(v, F | int):
        return F(v)
    q = F(v).limit_denominator(1000)
    assert abs(v - float(q)) <= 1e-9 * max(1.0, abs(v)), v
    return q


def _map(res_map: Any) -> Map:
    matrix, offset = res_map
    return (
        tuple(tuple(_rational(v) for v in row) for row in matrix),
        tuple(_rational(v) for v in offset),
    )


def _key(map_: Map) -> tuple[Any, ...]:
    matrix, offset = map_
    return (*(F(v) for row in matrix for v in row), *(F(v) for v in offset))


def _volume_key(v: Any) -> tuple[bool, F]:
    return (v is not None, F(0) if v is None else F(v))


def _same_volume(got: Any, expected: Any, exact: bool) -> bool:
    if expected is None or got is None:
        return got is expected
    if exact:
        return got == expected
    return got == pytest.approx(float(expected), rel=1e-9, abs=1e-12)


def _same_volumes(got: list[Any], expected: tuple[Any, ...], exact: bool) -> bool:
    got = sorted(got, key=lambda v: _volume_key(None if v is None else _rational(v)))
    want = sorted(expected, key=_volume_key)
    return len(got) == len(want) and all(
        _same_volume(g, w, exact) for g, w in zip(got, want, strict=True)
    )


@pytest.mark.parametrize(("case", "engine", "exact"), _runs())
def test_reference_case(case: Case, engine: str, exact: bool) -> None:
    net = case.net if exact else case.net.to_float()
    res = enumerate_regions(
        net,
        domain=case.domain,
        exact=exact,
        method=engine,
        volumes=True,
        progress=False,
    )
    assert res.method == engine
    assert res.complete
    assert res.certified, res.uncertified
    activation, linear, point, bounded = case.counts
    assert res.counts() == {
        "activation_regions": activation,
        "linear_regions": linear,
        "linear_regions_point_connected": point,
        "bounded_regions": bounded,
    }
    if case.cells is not None:
        got = {bits(c.pattern): c.volume for c in res.cells}
        assert set(got) == set(case.cells)
        for pattern, volume in case.cells.items():
            assert _same_volume(got[pattern], volume, exact), (pattern, got[pattern], volume)
    if case.maps is not None:
        got_maps = sorted((_map((r.matrix, r.offset)) for r in res.regions), key=_key)
        assert got_maps == sorted(case.maps, key=_key)
    if case.region_sizes is not None:
        assert sorted(len(r.cells) for r in res.regions) == sorted(case.region_sizes)
    if case.region_volumes is not None:
        assert _same_volumes([r.volume for r in res.regions], case.region_volumes, exact)

    # laws every row obeys: an exact check of each cell's interior point and map, a tiling
    exact_net = case.net.to_exact()
    for cell in res.cells:
        point = np.array([[F(v) for v in cell.point]], dtype=object)
        assert bits(exact_net.activation_patterns(point)[0]) == bits(cell.pattern)
        value = exact_net(point)[0]
        for out, row, off in zip(value, cell.matrix, cell.offset, strict=True):
            mapped = sum(F(r) * x for r, x in zip(row, point[0], strict=True)) + F(off)
            assert mapped == out if exact else float(mapped) == pytest.approx(float(out), abs=1e-9)
        if cell.vertices is not None:  # 2-D: the centroid of the vertices has the pattern too
            verts = [[F(v) for v in vertex] for vertex in cell.vertices]
            centroid = np.array(
                [[sum(c) / len(verts) for c in zip(*verts, strict=True)]], dtype=object
            )
            assert bits(exact_net.activation_patterns(centroid)[0]) == bits(cell.pattern)
    assert sum(len(r.cells) for r in res.regions) == activation
    if case.domain is not None:
        lo, hi = case.domain
        volume = F(hi - lo) ** case.dim
        for parts in ([c.volume for c in res.cells], [r.volume for r in res.regions]):
            total = sum(parts, F(0) if exact else 0.0)
            assert total == volume if exact else total == pytest.approx(float(volume), rel=1e-9)


# -- checking the table itself, without the code under test ----------------------------------------
def _grid(case: Case) -> list[tuple[F, ...]]:
    side = (
        [F(k, 4) for k in range(-12, 13, 3)]
        if case.dim <= 2
        else [F(-7, 4), F(-1, 3), F(1, 2), F(5, 2)]
    )
    return list(itertools.product(side, repeat=case.dim))


@pytest.mark.parametrize("case", [c for c in CASES if c.function is not None], ids=lambda c: c.name)
def test_nets_compute_the_functions_of_the_spec(case: Case) -> None:
    points = _grid(case)
    values = case.net(np.array(points, dtype=object))
    for x, y in zip(points, values, strict=True):
        assert tuple(y) == case.function(*x), x


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, id=c.name, marks=[pytest.mark.slow] if c.slow else [])
        for c in CASES
        if c.domain is not None and c.dim <= 2
    ],
)
def test_answers_on_boxes_match_the_brute_force_oracle(case: Case, partition_oracle) -> None:
    part = partition_oracle(case.net, *case.box())
    counts = part.counts()
    assert tuple(counts.values()) == case.counts
    if case.cells is not None:
        assert {p.pattern: p.measure for p in part.pieces} == case.cells
    pieces = part.by_pattern()
    region_maps = [pieces[next(iter(r))].map for r in part.regions]
    if case.maps is not None:
        assert sorted(region_maps, key=_key) == sorted(case.maps, key=_key)
    if case.region_sizes is not None:
        assert sorted(len(r) for r in part.regions) == sorted(case.region_sizes)
    if case.region_volumes is not None:
        volumes = [sum(pieces[p].measure for p in r) for r in part.regions]
        assert sorted(volumes) == sorted(F(v) for v in case.region_volumes)


def test_box_variants_have_the_cells_of_the_whole_space() -> None:
    """Each box row whose R^n row lists cells has the same patterns (the box argument above)."""
    rows = {c.name: c for c in CASES}
    pairs = [(rows[n], rows[f"{n} box"]) for n in rows if f"{n} box" in rows]
    assert len(pairs) >= 10
    for whole, box in pairs:
        assert whole.counts[:3] == box.counts[:3]
        if whole.cells is not None:
            assert set(whole.cells) == set(box.cells)
        if whole.maps is not None:
            assert sorted(whole.maps, key=_key) == sorted(box.maps, key=_key)
