"""Shared helpers of the region tests, handed out as fixtures.

``partition_oracle``: an independent brute force for nets with 1 or 2 inputs on a box. It splits
the box neuron by neuron with exact rational interval / polygon clipping (Sutherland–Hodgman on
one half-plane at a time), written here from the definitions and sharing no code with
``neurogeom.regions`` or ``neurogeom.nets.geometry``. From the pieces it derives facet adjacency
(two closed cells share a segment of positive length; in 1-D a common endpoint) and point
contacts (two closed cells meet at all), and from those the facet- and point-connected linear
regions. Conventions are the spec's: a neuron is active where its pre-activation is > 0; one
whose pre-activation does not change sign on a piece does not split it and is active there iff
it is positive somewhere on it (so an identically zero pre-activation is inactive).

``terminal``: start the installed ``neurogeom`` program with stderr on a pseudo-terminal (progress
bars are drawn only for terminals) and read what it draws.

``random_net``: seeded Gaussian float nets; ``search_net`` / ``search_net_cells``: the net the
budget, worker and checkpoint tests share, and its complete search enumeration (computed once).
"""

from __future__ import annotations

import fcntl
import itertools
import os
import select
import struct
import subprocess
import sysconfig
import termios
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from neurogeom import ReLUNet
from neurogeom.regions import enumerate_regions

Point = tuple[Fraction, ...]


# -- exact clipping -------------------------------------------------------------------------------
def _dot(a: tuple[Fraction, ...], x: Point) -> Fraction:
    return sum((ai * xi for ai, xi in zip(a, x, strict=True)), Fraction(0))


def _clip(points: list[Point], a: tuple[Fraction, ...], beta: Fraction) -> list[Point]:
    """The part of a convex polygon (points in cyclic order) or interval (two end points) where
    ``a . x <= beta``, in the same form; degenerate results are returned as they come."""
    if len(points[0]) == 1:
        lo, hi = points[0][0], points[1][0]
        (s,) = a
        if s > 0:
            hi = min(hi, beta / s)
        elif s < 0:
            lo = max(lo, beta / s)
        elif beta < 0:
            return []
        return [(lo,), (hi,)] if lo <= hi else []
    out: list[Point] = []
    for p, q in itertools.pairwise([*points, points[0]]):
        fp, fq = _dot(a, p) - beta, _dot(a, q) - beta
        if fp <= 0:
            out.append(p)
        if (fp < 0 < fq) or (fq < 0 < fp):
            t = fp / (fp - fq)
            out.append(tuple(pi + t * (qi - pi) for pi, qi in zip(p, q, strict=True)))
    return out


def _measure(points: list[Point]) -> Fraction:
    """Length of an interval or area of a polygon (shoelace), exactly."""
    if not points:
        return Fraction(0)
    if len(points[0]) == 1:
        return points[1][0] - points[0][0]
    twice = sum(
        (p[0] * q[1] - q[0] * p[1] for p, q in itertools.pairwise([*points, points[0]])),
        Fraction(0),
    )
    return abs(twice) / 2


def _distinct(points: list[Point]) -> list[Point]:
    return list(dict.fromkeys(points))


# -- the partition --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Piece:
    """One activation cell: its pattern, its closed polygon (interval), its map, its measure."""

    pattern: str
    points: tuple[Point, ...]
    matrix: tuple[tuple[Fraction, ...], ...]
    offset: tuple[Fraction, ...]
    measure: Fraction

    @property
    def map(self) -> tuple[Any, ...]:
        return (self.matrix, self.offset)


def _affine(weight: Any, bias: Any, matrix: Any, offset: Any) -> tuple[list, list]:
    """``y -> W y + b`` after ``x -> M x + c``, in Fractions."""
    rows = [[Fraction(v) for v in row] for row in weight]
    m = [
        tuple(
            sum((r[k] * matrix[k][i] for k in range(len(r))), Fraction(0))
            for i in range(len(matrix[0]))
        )
        for r in rows
    ]
    c = [
        sum((r[k] * offset[k] for k in range(len(r))), Fraction(0)) + Fraction(bj)
        for r, bj in zip(rows, bias, strict=True)
    ]
    return m, c


def _pieces(net: Any, lower: Any, upper: Any) -> list[Piece]:
    exact = net.to_exact()
    d = exact.n_inputs
    slope = Fraction(exact.negative_slope)
    lo = [Fraction(v) for v in lower]
    hi = [Fraction(v) for v in upper]
    if d == 1:
        start = [(lo[0],), (hi[0],)]
    elif d == 2:
        start = [(lo[0], lo[1]), (hi[0], lo[1]), (hi[0], hi[1]), (lo[0], hi[1])]
    else:
        raise ValueError("the partition oracle handles 1 or 2 inputs")
    eye = [tuple(Fraction(int(i == j)) for j in range(d)) for i in range(d)]
    # (pattern so far, polygon, map of the current layer's input)
    work = [("", start, eye, [Fraction(0)] * d)]
    layers = list(zip(exact.weights, exact.biases, strict=True))
    for w, b in layers[:-1]:
        nxt = []
        for bits, poly, m, c in work:
            pm, pc = _affine(w, b, m, c)
            states = [(bits, poly)]
            for a_j, c_j in zip(pm, pc, strict=True):
                split = []
                for s, p in states:
                    if all(v == 0 for v in a_j):
                        split.append((s + ("1" if c_j > 0 else "0"), p))
                        continue
                    neg = tuple(-v for v in a_j)
                    for bit, piece in (("1", _clip(p, neg, c_j)), ("0", _clip(p, a_j, -c_j))):
                        if _measure(piece) > 0:
                            split.append((s + bit, piece))
                states = split
            width = len(pc)
            for s, p in states:
                own = s[-width:]
                k = [Fraction(1) if own[j] == "1" else slope for j in range(width)]
                nm = [tuple(k[j] * v for v in pm[j]) for j in range(width)]
                nc = [k[j] * pc[j] for j in range(width)]
                nxt.append((s, p, nm, nc))
        work = nxt
    w, b = layers[-1]
    out = []
    for bits, poly, m, c in work:
        om, oc = _affine(w, b, m, c)
        out.append(Piece(bits, tuple(_distinct(poly)), tuple(om), tuple(oc), _measure(poly)))
    return out


# -- contacts between closed cells -----------------------------------------------------------------
def _cross(o: Point, p: Point, q: Point) -> Fraction:
    return (p[0] - o[0]) * (q[1] - o[1]) - (p[1] - o[1]) * (q[0] - o[0])


def _edges(points: tuple[Point, ...]) -> list[tuple[Point, Point]]:
    return list(itertools.pairwise([*points, points[0]]))


def _on_segment(p: Point, q: Point, x: Point) -> bool:
    return _cross(p, q, x) == 0 and all(
        min(p[i], q[i]) <= x[i] <= max(p[i], q[i]) for i in range(2)
    )


def _inside(points: tuple[Point, ...], x: Point) -> bool:
    """``x`` in the closed convex polygon (either orientation)."""
    signs = {(_cross(p, q, x) > 0) - (_cross(p, q, x) < 0) for p, q in _edges(points)}
    return not (1 in signs and -1 in signs)


def _segments_meet(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    d1, d2 = _cross(q1, q2, p1), _cross(q1, q2, p2)
    d3, d4 = _cross(p1, p2, q1), _cross(p1, p2, q2)
    if ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4)):
        return True
    return any(
        _on_segment(*seg, x)
        for seg, x in [((q1, q2), p1), ((q1, q2), p2), ((p1, p2), q1), ((p1, p2), q2)]
    )


def _share_facet(p: Piece, q: Piece) -> bool:
    if len(p.points[0]) == 1:
        return p.points[1] == q.points[0] or q.points[1] == p.points[0]
    for a1, a2 in _edges(p.points):
        for b1, b2 in _edges(q.points):
            if _cross(a1, a2, b1) != 0 or _cross(a1, a2, b2) != 0:
                continue
            # collinear: overlap of the projections on the line's longer axis
            axis = 0 if a1[0] != a2[0] else 1
            lo = max(min(a1[axis], a2[axis]), min(b1[axis], b2[axis]))
            hi = min(max(a1[axis], a2[axis]), max(b1[axis], b2[axis]))
            if hi > lo:
                return True
    return False


def _touch(p: Piece, q: Piece) -> bool:
    if len(p.points[0]) == 1:
        return max(p.points[0], q.points[0]) <= min(p.points[1], q.points[1])
    if any(_inside(q.points, x) for x in p.points) or any(_inside(p.points, x) for x in q.points):
        return True
    return any(_segments_meet(*e, *f) for e in _edges(p.points) for f in _edges(q.points))


def _components(n: int, pairs: list[tuple[int, int]]) -> list[frozenset[int]]:
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        parent[find(i)] = find(j)
    groups: dict[int, set[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), set()).add(i)
    return [frozenset(g) for g in groups.values()]


@dataclass(frozen=True)
class Partition:
    """The brute-force answer: cells, facet-adjacent pairs, and both kinds of linear region
    (each region a frozenset of patterns)."""

    pieces: tuple[Piece, ...]
    facet_pairs: frozenset[frozenset[str]]
    regions: frozenset[frozenset[str]]
    point_regions: frozenset[frozenset[str]]

    def counts(self) -> dict[str, int]:
        return {
            "activation_regions": len(self.pieces),
            "linear_regions": len(self.regions),
            "linear_regions_point_connected": len(self.point_regions),
            "bounded_regions": len(self.regions),  # on a box every region is bounded
        }

    def by_pattern(self) -> dict[str, Piece]:
        return {p.pattern: p for p in self.pieces}


def brute_force_partition(net: Any, lower: Any, upper: Any) -> Partition:
    """Cells, adjacency and linear regions of a net with 1 or 2 inputs on the box
    ``lower <= x <= upper`` (vectors), by exact clipping."""
    pieces = _pieces(net, lower, upper)
    n = len(pieces)
    facet = [
        (i, j) for i, j in itertools.combinations(range(n), 2) if _share_facet(pieces[i], pieces[j])
    ]
    same = [(i, j) for i, j in facet if pieces[i].map == pieces[j].map]
    regions = _components(n, same)
    touching = [
        (i, j)
        for i, j in itertools.combinations(range(n), 2)
        if pieces[i].map == pieces[j].map and _touch(pieces[i], pieces[j])
    ]
    point = _components(n, touching)

    def named(groups: list[frozenset[int]]) -> frozenset[frozenset[str]]:
        return frozenset(frozenset(pieces[i].pattern for i in g) for g in groups)

    return Partition(
        tuple(pieces),
        frozenset(frozenset((pieces[i].pattern, pieces[j].pattern)) for i, j in facet),
        named(regions),
        named(point),
    )


@pytest.fixture(scope="session")
def partition_oracle():
    """:func:`brute_force_partition` (1 or 2 inputs, box domains)."""
    return brute_force_partition


# -- a pseudo-terminal -----------------------------------------------------------------------------
def _neurogeom() -> str:
    return str(Path(sysconfig.get_path("scripts")) / "neurogeom")


def _start_on_a_terminal(args: list[str]) -> tuple[subprocess.Popen, int]:
    """Start the installed program with stderr on a pseudo-terminal (progress bars are drawn
    only for terminals); return the process and the terminal's reading end."""
    reader, writer = os.openpty()
    # a fresh pseudo-terminal is 0 columns wide: give it a real size, as terminals have
    fcntl.ioctl(writer, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen(
        [_neurogeom(), *[str(a) for a in args]],
        stdout=subprocess.PIPE,
        stderr=writer,
        text=True,
    )
    os.close(writer)
    return proc, reader


def _read_terminal(reader: int, until: str | None = None, timeout: float = 300) -> str:
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([reader], [], [], 0.2)
        if not ready:
            continue
        try:
            chunk = os.read(reader, 4096)
        except OSError:  # the program closed the terminal
            break
        if not chunk:
            break
        seen += chunk
        if until is not None and until.encode() in seen:
            break
    return seen.decode(errors="replace")


@pytest.fixture(scope="session")
def terminal():
    """``terminal.start(args) -> (process, reader)`` and ``terminal.read(reader, until=None)``."""
    return SimpleNamespace(start=_start_on_a_terminal, read=_read_terminal)


# -- shared nets ---------------------------------------------------------------------------------
def _random_net(arch: list[int], seed: int, scale: float = 1.0) -> ReLUNet:
    rng = np.random.default_rng(seed)
    ws = [rng.normal(size=(arch[i + 1], arch[i])) / np.sqrt(arch[i]) for i in range(len(arch) - 1)]
    bs = [rng.normal(size=arch[i + 1]) * 0.5 * scale for i in range(len(arch) - 1)]
    return ReLUNet(ws, bs)


@pytest.fixture(scope="session")
def random_net():
    """``random_net(arch, seed, scale=1.0)``: Gaussian weights over sqrt(fan-in), biases
    ``N(0, 1/4) * scale``."""
    return _random_net


@pytest.fixture(scope="session")
def search_net() -> ReLUNet:
    """A [3, 8, 6, 1] float net with a few hundred cells."""
    return _random_net([3, 8, 6, 1], seed=3)


@pytest.fixture(scope="session")
def search_net_cells(search_net):
    """Its complete enumeration by the search engine (no volumes)."""
    return enumerate_regions(search_net, method="search", progress=False, volumes=False)
