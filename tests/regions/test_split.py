"""The split engine (``regions/_split.py``): :func:`split_cells` and its :class:`SplitCell` values.

The spec's reference cases run on this engine through the table of ``test_reference_cases.py``.
Here: degenerate neurons (duplicate, zero, constant, parallel, through vertices, missing the
domain), polytope domains with degenerate vertices, leaky ReLU, no hidden layer; laws on random
nets, exact and float — the cells tile the domain, each cell's vertex centroid has the cell's
pattern, both modes agree, every pattern seen at sampled points belongs to a returned cell, the
2-D and 3-D code paths agree on prisms, float tolerances are scale-invariant —; ``max_cells``,
values, and the errors of bad vertex lists.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.polyhedra import polytope_volume
from neurogeom.nets import ReLUNet
from neurogeom.regions import _split as split_module
from neurogeom.regions._split import SplitCell, split_cells

MODES = [pytest.param(False, id="float"), pytest.param(True, id="exact")]


def box(lo, hi, d):
    """H-representation and corners of ``[lo, hi]^d``."""
    a = np.vstack([np.eye(d, dtype=int), -np.eye(d, dtype=int)])
    b = [hi] * d + [-lo] * d
    corners = [list(c) for c in itertools.product([lo, hi], repeat=d)]
    return a, b, corners


def box_volume(lo, hi, d):
    return Fraction(hi - lo) ** d


def patterns(cells):
    return sorted(c.pattern_string for c in cells)


def total_volume(cells, exact):
    return sum(polytope_volume(c.vertices, exact=exact) for c in cells)


def check_cells(net, cells, domain_volume, *, exact):
    """Tiling, distinct patterns, centroid has the pattern (checked exactly)."""
    vol = total_volume(cells, exact)
    if exact:
        assert vol == domain_volume
    else:
        assert vol == pytest.approx(float(domain_volume), rel=1e-9)
    assert len(set(patterns(cells))) == len(cells)  # activation cells are convex
    enet = net.to_exact()
    for cell in cells:
        centroid = SplitCell(cell.pattern, _exact(cell.vertices)).centroid()
        got = enet.activation_patterns(centroid[None, :])[0]
        assert np.array_equal(got, cell.pattern), (cell, got)
        if cell.output is None:
            continue
        # the cell's output map is the network's map there
        want = enet.local_affine_map(cell.pattern)
        assert cell.output.exact == exact
        if exact:
            assert cell.output.equals(want)
        else:
            np.testing.assert_allclose(cell.output.matrix, want.matrix.astype(float), atol=1e-9)
            np.testing.assert_allclose(cell.output.offset, want.offset.astype(float), atol=1e-9)


def _exact(vertices):
    if vertices.dtype == object:
        return vertices
    return np.vectorize(Fraction, otypes=[object])(vertices)


# -- degenerate neurons -------------------------------------------------------------------------
@pytest.mark.parametrize("exact", MODES)
def test_degenerate_neurons(exact):
    # duplicate, zero, constant positive, constant negative, parallel, through two corners,
    # missing the domain.
    w = [[1, 0], [1, 0], [0, 0], [0, 0], [0, 0], [2, 0], [1, -1], [1, 1]]
    b = [0, 0, 0, 1, -1, -1, 0, 5]
    net = ReLUNet([w, [[1] * 8]], [b, [0]])
    cells, _ = split_cells(net, *box(-1, 1, 2), exact=exact)
    # lines x = 0, x = 1/2, x = y: 6 cells in the square
    assert len(cells) == 6
    for c in cells:
        p = c.pattern
        assert p[0] == p[1] and not p[2] and p[3] and not p[4] and p[7]
    check_cells(net, cells, box_volume(-1, 1, 2), exact=exact)


@pytest.mark.parametrize("exact", MODES)
def test_hyperplanes_through_vertices_3d(exact):
    # x + y + z = 1 passes through three corners of [0, 1]^3; x = y through an edge.
    net = ReLUNet([[[1, 1, 1], [1, -1, 0], [0, 0, 1]], [[1, 1, 1]]], [[-1, 0, 0], [0]])
    cells, _ = split_cells(net, *box(0, 1, 3), exact=exact)
    assert len(cells) == 4
    check_cells(net, cells, Fraction(1), exact=exact)


@pytest.mark.parametrize("exact", MODES)
def test_polytope_domain(exact):
    # the triangle x >= 0, y >= 0, x + y <= 2 and the simplex in 3-D
    net = ReLUNet([[[1, -1], [1, 0]], [[1, 1]]], [[0, -1], [0]])
    a, b = [[-1, 0], [0, -1], [1, 1]], [0, 0, 2]
    cells, _ = split_cells(net, a, b, [[2, 0], [0, 0], [0, 2]], exact=exact)
    # x = y and x = 1 meet on the hypotenuse; x = 1 only cuts the part below the diagonal
    assert patterns(cells) == ["00", "10", "11"]
    check_cells(net, cells, Fraction(2), exact=exact)
    net3 = ReLUNet([[[1, -1, 0], [0, 1, -1]], [[1, 1]]])
    a3 = [[-1, 0, 0], [0, -1, 0], [0, 0, -1], [1, 1, 1]]
    simplex = [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
    cells, _ = split_cells(net3, a3, [0, 0, 0, 1], simplex, exact=exact)
    assert len(cells) == 4
    check_cells(net3, cells, Fraction(1, 6), exact=exact)


@pytest.mark.parametrize("exact", MODES)
def test_pyramid_domain_with_degenerate_apex(exact):
    # four facets meet at the apex (0, 0, 1): the edge rule must not join opposite base corners
    a = [[0, 0, -1], [1, 0, 1], [-1, 0, 1], [0, 1, 1], [0, -1, 1]]
    b = [0, 1, 1, 1, 1]
    verts = [[1, 1, 0], [1, -1, 0], [-1, 1, 0], [-1, -1, 0], [0, 0, 1]]
    net = ReLUNet([[[1, 0, 0], [0, 1, 0], [0, 0, 2]], [[1, 1, 1]]], [[0, 0, -1], [0]])
    cells, _ = split_cells(net, a, b, verts, exact=exact)
    assert len(cells) == 8
    check_cells(net, cells, Fraction(4, 3), exact=exact)


@pytest.mark.parametrize("exact", MODES)
def test_leaky_relu(exact):
    rng = np.random.default_rng(5)
    ws = [rng.integers(-3, 4, (4, 2)), rng.integers(-3, 4, (3, 4)), rng.integers(-3, 4, (1, 3))]
    bs = [rng.integers(-2, 3, 4), rng.integers(-2, 3, 3), [0]]
    net = ReLUNet(ws, bs, negative_slope="1/4")
    cells, _ = split_cells(net, *box(-2, 2, 2), exact=exact)
    check_cells(net, cells, box_volume(-2, 2, 2), exact=exact)


def test_no_hidden_layer():
    cells, complete = split_cells(ReLUNet([[[1, 2]]]), *box(0, 1, 2), exact=True)
    assert complete and len(cells) == 1 and cells[0].pattern.shape == (0,)
    assert polytope_volume(cells[0].vertices, exact=True) == 1


# -- exact vs float, oracle ---------------------------------------------------------------------
@st.composite
def small_nets(draw, d):
    widths = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    arch = [d, *widths, 1]
    ints = st.integers(-2, 2)
    ws, bs = [], []
    for n_in, n_out in itertools.pairwise(arch):
        w = [[draw(ints) for _ in range(n_in)] for _ in range(n_out)]
        b = [draw(ints) for _ in range(n_out)]
        if n_out > 1 and draw(st.booleans()):  # force a duplicate or a parallel neuron
            k = draw(st.integers(1, 2))
            w[-1] = [k * v for v in w[0]]
            b[-1] = draw(st.sampled_from([k * b[0], b[0], b[0] + 1]))
        ws.append(w)
        bs.append(b)
    return ReLUNet(ws, bs, exact=True)


def _sample_patterns(net, d, rng, n_points=150):
    """Exact patterns at random rational points of [-2, 2]^d off every hyperplane."""
    q = 1_000_003
    pts = rng.integers(-2 * q, 2 * q + 1, (n_points, d))
    x = np.vectorize(lambda v: Fraction(int(v), q), otypes=[object])(pts)
    zs = net.preactivations(x)[:-1]
    off = np.ones(n_points, dtype=bool)
    for z in zs:
        off &= np.all(z != 0, axis=1)
    return {"".join("1" if v else "0" for v in p) for p in net.activation_patterns(x[off])}


@pytest.mark.parametrize("d", [2, 3])
@given(data=st.data())
def test_exact_and_float_agree_and_cover_samples(d, data):
    net = data.draw(small_nets(d))
    dom = box(-2, 2, d)
    exact_cells, _ = split_cells(net, *dom, exact=True)
    float_cells, _ = split_cells(net.to_float(), *dom, exact=False)
    assert len(exact_cells) == len(float_cells)
    assert patterns(exact_cells) == patterns(float_cells)
    assert len(set(patterns(exact_cells))) == len(exact_cells)
    check_cells(net, exact_cells, box_volume(-2, 2, d), exact=True)
    seed = data.draw(st.integers(0, 2**32 - 1))
    seen = _sample_patterns(net, d, np.random.default_rng(seed))
    assert seen <= set(patterns(exact_cells))


@pytest.mark.parametrize("exact", MODES)
def test_random_nets_tile_box(exact):
    rng = np.random.default_rng(11)
    for d in (2, 3):
        for _ in range(3):
            arch = [d, 5, 4, 1]
            ws = [rng.standard_normal((o, i)) for i, o in itertools.pairwise(arch)]
            bs = [rng.standard_normal(o) for o in arch[1:]]
            net = ReLUNet(ws, bs)
            cells, _ = split_cells(net, *box(-2, 2, d), exact=exact)
            check_cells(net, cells, box_volume(-2, 2, d), exact=exact)


def test_float_matches_exact_on_gaussian_net():
    rng = np.random.default_rng(2)
    arch = [2, 12, 12, 1]
    ws = [rng.standard_normal((o, i)) for i, o in itertools.pairwise(arch)]
    bs = [rng.standard_normal(o) for o in arch[1:]]
    net = ReLUNet(ws, bs)
    f_cells, _ = split_cells(net, *box(-3, 3, 2))
    e_cells, _ = split_cells(net, *box(-3, 3, 2), exact=True)
    assert patterns(f_cells) == patterns(e_cells)
    for fc, ec in zip(
        sorted(f_cells, key=lambda c: c.pattern_string),
        sorted(e_cells, key=lambda c: c.pattern_string),
        strict=True,
    ):
        assert polytope_volume(fc.vertices) == pytest.approx(
            float(polytope_volume(ec.vertices, exact=True)), rel=1e-9, abs=1e-12
        )


def test_scale_invariance_of_tolerance():
    # Scaling a hidden layer's weights and biases, or the inputs, does not change the cells.
    a, b, corners = box(-10, 10, 2)
    big = ReLUNet([np.eye(2) * 1e6, [[1, -1], [1, 1]], [[1, -2]]], [[0, -1e6], [1e6, 1e6], [-1]])
    assert len(split_cells(big, a, b, corners)[0]) == 6
    small = ReLUNet([np.eye(2) * 1e8, [[1, -1], [1, 1]], [[1, -2]]], [[0, -1], [1, 1], [-1]])
    cells, _ = split_cells(small, a, np.array(b) * 1e-8, np.array(corners) * 1e-8)
    assert len(cells) == 6
    assert total_volume(cells, False) == pytest.approx(400e-16, rel=1e-9)


@pytest.mark.parametrize("exact", MODES)
def test_2d_engine_matches_3d_engine_on_prisms(exact):
    # The 2-D engine (all cells at once) and the 3-D engine (cell by cell, with edges) are
    # different code: a 2-D net that ignores a third input has prisms over the 2-D cells.
    rng = np.random.default_rng(8)
    arch = [2, 8, 8, 1]
    ws = [rng.integers(-3, 4, (o, i)) for i, o in itertools.pairwise(arch)]
    bs = [rng.integers(-3, 4, o) for o in arch[1:]]
    net2 = ReLUNet(ws, bs)
    net3 = ReLUNet([np.hstack([ws[0], np.zeros((8, 1), dtype=int)]), *ws[1:]], bs)
    cells2, _ = split_cells(net2, *box(-3, 3, 2), exact=exact)
    a3, _, _ = box(0, 1, 3)
    b3 = [3, 3, 1, 3, 3, 0]
    corners3 = [[x, y, z] for x, y in itertools.product([-3, 3], repeat=2) for z in (0, 1)]
    cells3, _ = split_cells(net3, a3, b3, corners3, exact=exact)
    assert patterns(cells2) == patterns(cells3)
    area = {c.pattern_string: polytope_volume(c.vertices, exact=exact) for c in cells2}
    assert len(cells3) > 20
    for c in cells3:
        vol = polytope_volume(c.vertices, exact=exact)
        if exact:
            assert vol == area[c.pattern_string]
        else:
            assert vol == pytest.approx(area[c.pattern_string], rel=1e-9)


@pytest.mark.parametrize("d", [2, 3])
@pytest.mark.parametrize("exact", MODES)
def test_max_cells_stops_in_any_layer(d, exact):
    # a batched engine stopped in any layer hands its cells to the depth-first one
    rng = np.random.default_rng(4)
    arch = [d, 6, 6, 6, 1] if not exact else [d, 5, 5, 4, 1]
    if exact:  # integer weights: hyperplanes through vertices and each other
        ws = [rng.integers(-3, 4, (o, i)) for i, o in itertools.pairwise(arch)]
        bs = [rng.integers(-2, 3, o) for o in arch[1:]]
    else:
        ws = [rng.standard_normal((o, i)) for i, o in itertools.pairwise(arch)]
        bs = [rng.standard_normal(o) for o in arch[1:]]
    net = ReLUNet(ws, bs)
    dom = box(-3, 3, d)
    everything, complete = split_cells(net, *dom, exact=exact)
    assert complete
    total = len(everything)
    for budget in (1, 7, total // 2, total - 1, total, total + 5):
        cells, complete = split_cells(net, *dom, max_cells=budget, exact=exact)
        assert complete == (budget >= total)
        assert len(cells) == min(budget, total)
        assert set(patterns(cells)) <= set(patterns(everything))
        assert len(set(patterns(cells))) == len(cells)
        if exact:  # cells finished depth-first start from exact maps formed for them
            enet = net.to_exact()
            for cell in cells:
                assert cell.output.equals(enet.local_affine_map(cell.pattern))


# -- options and errors -------------------------------------------------------------------------
def _generic_one_layer(n, d, seed, radius):
    """One hidden layer of ``n`` Gaussian neurons whose arrangement's vertices lie in the box."""
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((n, d))
    b = rng.standard_normal(n)
    for rows in itertools.combinations(range(n), d):
        x = np.linalg.solve(w[list(rows)], -b[list(rows)])
        assert np.abs(x).max() < radius / 2, "arrangement vertex outside the box: pick a seed"
    return ReLUNet([w, rng.standard_normal((1, n))], [b, [0.0]])


def test_max_cells_and_progress():
    net = _generic_one_layer(6, 2, seed=3, radius=1000)
    dom = box(-1000, 1000, 2)
    cells, complete = split_cells(net, *dom, max_cells=5, progress=True)
    assert not complete and len(cells) == 5
    all_cells, complete = split_cells(net, *dom, max_cells=22)
    assert complete and len(all_cells) == 22
    assert set(patterns(cells)) <= set(patterns(all_cells))


def test_cells_are_values():
    net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])
    cells, _ = split_cells(net, *box(-1, 1, 2), exact=True)
    again, _ = split_cells(net, *box(-1, 1, 2), exact=True)
    assert cells == again and len({*cells, *again}) == len(cells)
    c = cells[0]
    assert repr(c).startswith("SplitCell(pattern=")
    assert all(isinstance(x, Fraction) for x in c.vertices.ravel())
    assert not c.vertices.flags.writeable and not c.pattern.flags.writeable
    d = c.to_dict()
    assert len(d["pattern"]) == 3 and all(
        isinstance(x, int | str) for r in d["vertices"] for x in r
    )


def test_errors():
    net4 = ReLUNet([np.ones((2, 4)), np.ones((1, 2))])
    with pytest.raises(InvalidInputError, match="dimension 1, 2 or 3"):
        split_cells(net4, *box(0, 1, 4))
    net = ReLUNet([np.ones((2, 2)), np.ones((1, 2))])
    a, b, corners = box(0, 1, 2)
    with pytest.raises(InvalidInputError, match="violates"):
        split_cells(net, a, b, [*corners[:-1], [2, 2]])
    with pytest.raises(InvalidInputError, match="not a vertex"):
        split_cells(net, a, b, [*corners, ["1/2", 0]], exact=True)
    with pytest.raises(InvalidInputError, match="twice"):
        split_cells(net, a, b, [*corners, corners[0]])
    with pytest.raises(InvalidInputError, match="every vertex"):
        split_cells(net, a, b, corners[:-1], exact=True)
    net3 = ReLUNet([np.ones((2, 3)), np.ones((1, 2))])
    a3, b3, corners3 = box(0, 1, 3)
    with pytest.raises(InvalidInputError, match="every vertex"):
        split_cells(net3, a3, b3, corners3[:-1])
    with pytest.raises(InvalidInputError, match="max_cells"):
        split_cells(net, a, b, corners, max_cells=0)
    with pytest.raises(InvalidInputError, match="shape"):
        split_cells(net, a, b[:-1], corners)


# -- the batched 3-D engine ---------------------------------------------------------------------
def _gaussian_net(arch, seed):
    rng = np.random.default_rng(seed)
    ws = [rng.standard_normal((o, i)) for i, o in itertools.pairwise(arch)]
    bs = [rng.standard_normal(o) for o in arch[1:]]
    return ReLUNet(ws, bs)


def _by_pattern(cells):
    return sorted(cells, key=lambda c: c.pattern_string)


def _cell_by_cell(verts, edges, xmax, setup, max_cells, bar):
    """Stands in for the batched 3-D engine: hands the whole box to the depth-first one."""
    return None, [(0, verts, edges, None, None, xmax, [])]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_batched_3d_engine_matches_cell_by_cell(monkeypatch, seed):
    # 3-D cells are cut all at once by default; the depth-first engine cuts them one at a
    # time with different code (interpolated pre-activations, per-cell cut faces).
    net = _gaussian_net([3, 7, 6, 5, 1], seed)
    dom = box(-3, 3, 3)
    batched, complete = split_cells(net, *dom)
    assert complete and len(batched) > 50
    monkeypatch.setattr(split_module, "_batched_polyhedra", _cell_by_cell)
    one_by_one, _ = split_cells(net, *dom)
    assert patterns(batched) == patterns(one_by_one)
    for b, o in zip(_by_pattern(batched), _by_pattern(one_by_one), strict=True):
        assert polytope_volume(b.vertices) == pytest.approx(polytope_volume(o.vertices), rel=1e-9)
        assert len(b.vertices) == len(o.vertices)
        np.testing.assert_allclose(b.output.matrix, o.output.matrix, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(b.output.offset, o.output.offset, rtol=1e-12, atol=1e-12)
    check_cells(net, batched, box_volume(-3, 3, 3), exact=False)


def test_exact_batched_3d_engine_matches_cell_by_cell(monkeypatch):
    # exact: the same cells, vertex for vertex, and the same maps (integer weights make
    # hyperplanes meet in vertices and edges of the box and of each other)
    rng = np.random.default_rng(3)
    arch = [3, 6, 5, 4, 1]
    ws = [rng.integers(-2, 3, (o, i)) for i, o in itertools.pairwise(arch)]
    bs = [rng.integers(-2, 3, o) for o in arch[1:]]
    net = ReLUNet(ws, bs, negative_slope=Fraction(1, 4))
    dom = box(-2, 2, 3)
    batched, complete = split_cells(net, *dom, exact=True)
    assert complete and len(batched) > 30
    monkeypatch.setattr(split_module, "_batched_polyhedra", _cell_by_cell)
    one_by_one, _ = split_cells(net, *dom, exact=True)
    assert patterns(batched) == patterns(one_by_one)
    for b, o in zip(_by_pattern(batched), _by_pattern(one_by_one), strict=True):
        assert sorted(map(tuple, b.vertices.tolist())) == sorted(map(tuple, o.vertices.tolist()))
        assert b.output.equals(o.output)
    check_cells(net, batched, box_volume(-2, 2, 3), exact=True)


def test_float_matches_exact_on_gaussian_net_3d():
    net = _gaussian_net([3, 8, 8, 1], 5)
    f_cells, _ = split_cells(net, *box(-3, 3, 3))
    e_cells, _ = split_cells(net, *box(-3, 3, 3), exact=True)
    assert patterns(f_cells) == patterns(e_cells)
    for fc, ec in zip(_by_pattern(f_cells), _by_pattern(e_cells), strict=True):
        assert polytope_volume(fc.vertices) == pytest.approx(
            float(polytope_volume(ec.vertices, exact=True)), rel=1e-9, abs=1e-12
        )


def test_cut_faces_are_ordered_cycles():
    # Two cut faces in one batch: a shuffled hexagon in the plane z = 1 (normal along z) and a
    # triangle in x = 0; a third face has two points closer than the merge tolerance.
    angles = np.arange(6) * np.pi / 3
    hexagon = np.column_stack([np.cos(angles), np.sin(angles), np.ones(6)])
    triangle = np.array([[0.0, 0, 0], [0, 1, 0], [0, 0, 1]])
    close = np.array([[0.0, 0, 0], [1, 0, 0], [1, 1e-12, 0], [0, 1, 0]])
    shuffle = np.array([3, 0, 5, 1, 4, 2])
    points = np.concatenate([hexagon[shuffle], triangle, close])
    owner = np.repeat([0, 1, 2], [6, 3, 4])
    ids = np.arange(len(points)) + 100
    normals = np.array([[0.1, 0.2, 1.0], [-2.0, 0.5, 0.5], [0.0, 0.0, 1.0]])
    cap = split_module._caps(points, ids, owner, normals, merge_eps=1e-9)
    assert cap.bad.tolist() == [False, False, True]
    for c, k in ((0, 6), (1, 3)):
        edges = cap.edges[cap.owner == c]
        assert len(edges) == k
        # a single cycle through every point of the face, along the polygon's boundary
        assert sorted(edges[:, 0]) == sorted(edges[:, 1]) == sorted(ids[owner == c])
        nxt = dict(edges.tolist())
        walk = [int(edges[0, 0])]
        for _ in range(k - 1):
            walk.append(nxt[walk[-1]])
        assert sorted(walk) == sorted(ids[owner == c])
    hexagon_walk = [int(shuffle[i - 100]) for i in cap.ids[cap.owner == 0]]
    steps = {(b - a) % 6 for a, b in itertools.pairwise([*hexagon_walk, hexagon_walk[0]])}
    assert steps in ({1}, {5})  # neighbours on the hexagon follow each other
    assert split_module._caps(triangle[:2], ids[:2], np.zeros(2, int), normals[:1], 1e-9).bad[0]


@pytest.fixture
def recut(monkeypatch):
    """The cells handed to the cell-at-a-time cut by the batched 3-D engine, in call order."""
    calls = []
    original = split_module._recut

    def spy(cells, c, *args):
        calls.append(c)
        return original(cells, c, *args)

    monkeypatch.setattr(split_module, "_recut", spy)
    return calls


def test_cells_with_close_cut_points_are_cut_one_at_a_time(recut):
    # A plane cutting a corner of a cube so close that the three crossing points merge: the
    # batch hands that cell to the cell-at-a-time cut (which merges them) and keeps the other.
    corners = np.array(list(itertools.product([0.0, 1.0], repeat=3)))
    pairs = itertools.combinations(range(8), 2)
    edges = np.array([(u, v) for u, v in pairs if np.abs(corners[u] - corners[v]).sum() == 1])
    flat = split_module._Flat(
        np.concatenate([corners, corners + np.array([2.0, 0, 0])]),
        None,
        np.array([8, 8]),
        np.concatenate([edges, edges + 8]),
        np.array([12, 12]),
    )
    cells = split_module._Polyhedra.start(flat, np.zeros((2, 1), dtype=bool))
    normal = np.ones(3)
    # cube 0 loses a corner of size 1e-7; cube 1 is halved
    maps = split_module._LayerMaps.of(np.array([[normal], [normal]]), np.array([[-1e-7], [-3.5]]))
    eps = np.full((2, 1), 1e-12)
    setup = split_module._Setup([], [], 0.0, 1.0, False, 1e-12, 1e-6)
    assert split_module._cut_batch(cells, np.array([0, 1]), 0, maps, eps, setup) == 2
    assert recut == [0]
    live = np.flatnonzero(cells.alive.view)
    assert cells.root.data[live].tolist() == [1, 1, 0, 0]
    assert cells.bits.data[live, 0].tolist() == [True, False, True, False]

    def piece(c):
        first, count = cells.vfirst.data[c], cells.vcount.data[c]
        ef = cells.efirst.data[c]
        edges = cells.e.data[ef : ef + cells.ecount.data[c]] - first
        assert edges.min() >= 0 and edges.max() < count
        return cells.v.data[first : first + count], {tuple(sorted(e)) for e in edges.tolist()}

    # cube 1, cut in the batch: two halves with the edges of a polytope (3 per vertex here)
    for c in live[:2]:
        verts, edge_set = piece(c)
        assert polytope_volume(verts) == pytest.approx(0.5, rel=1e-12)
        degree = np.bincount(np.array(sorted(edge_set)).ravel(), minlength=len(verts))
        assert degree.min() >= 3
    # cube 0: exactly what the cell-at-a-time cut gives
    z = (corners @ normal - 1e-7)[:, None]
    want = split_module._cut(corners, z, edges, normal, eps[0], 1e-6, split_module._Snapper(1e3))
    for c, (w_verts, _, w_edges) in zip(live[2:], want, strict=True):
        verts, edge_set = piece(c)
        np.testing.assert_array_equal(verts, w_verts)
        assert edge_set == {tuple(sorted(e)) for e in w_edges.tolist()}


@pytest.mark.parametrize("d", [1, 2, 3])
def test_close_pairs_match_brute_force(d):
    # copies of vertices perturbed below eps, on a grid (many equal coordinates) and at random
    rng = np.random.default_rng(d)
    base = np.concatenate([rng.integers(-3, 4, (60, d)).astype(float), rng.normal(size=(60, d))])
    base = np.unique(base, axis=0)
    copies = base[rng.integers(0, len(base), 200)] + rng.uniform(-4e-10, 4e-10, (200, d))
    points = np.concatenate([base, copies])
    eps = 1e-9
    gaps = np.abs(points[:, None, :] - points[None, :, :]).max(axis=2)
    want = {(i, j) for i, j in zip(*np.nonzero(gaps <= eps), strict=True) if i < j}
    got = split_module._close_pairs(points, eps)
    assert len(got) == len(want)
    assert {(min(i, j), max(i, j)) for i, j in got.tolist()} == want


@pytest.mark.parametrize("kind", ["fraction", "fmpq"])
def test_exact_vertex_contacts_match_equal_rationals_only(kind):
    """Exact vertices match by equality: copies of one rational vertex in different cells are
    one vertex, and distinct rationals whose float images coincide are not."""
    from neurogeom.core.rationals import fmpq_array

    tiny = Fraction(1, 10**30)  # 1/3 and 1/3 + tiny round to the same float

    def square(x, y):  # counter-clockwise unit square with lower-left corner (x, y)
        return [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1]]

    third = Fraction(1, 3)
    cells = [
        square(third, 0),
        square(third + 1, 0),  # shares an edge with the first
        square(third + 2 + tiny, 1),  # apart from the second by tiny: no contact
        square(third + 2, -1),  # touches the second only at (1/3 + 2, 0)
    ]
    convert = fmpq_array if kind == "fmpq" else (lambda c: np.array(c, dtype=object))
    got = split_module.vertex_contacts([convert(c) for c in cells], True, 1e-9)
    assert got.facets.tolist() == [[0, 1]]
    assert got.points.tolist() == [[0, 1], [1, 3]]
    # the same squares in floats merge the near-equal corners
    floats = split_module.vertex_contacts([np.array(c, dtype=float) for c in cells], False, 1e-9)
    assert [1, 2] in floats.points.tolist()


def test_exact_crossings_are_computed_once_per_edge_and_exactly():
    """Copies of one edge (in either direction, in cells with different roots) share one
    crossing point; an edge whose ends round like another's but differ is computed on its own.
    Every point is checked against the definition: on the edge and on the hyperplane."""
    from neurogeom.core.rationals import fmpq_array

    third, tiny = Fraction(1, 3), Fraction(1, 10**30)
    verts = fmpq_array(
        [
            [third, 0, 0], [1, 1, 1],  # edge e, then a copy reversed, then a copy of e
            [1, 1, 1], [third, 0, 0],
            [third, 0, 0], [1, 1, 1],
            [third + tiny, 0, 0], [1, 1, 1],  # rounds like e's first end, but differs
        ]
    )  # fmt: skip
    approx = split_module._approx(verts)
    ca, cb = np.array([0, 2, 4, 6]), np.array([1, 3, 5, 7])
    # two roots with the same map for the neuron (the maps of cells around an edge agree on it)
    a = fmpq_array([[[1, 1, 1]], [[1, 1, 1]]])
    c = fmpq_array([[-1], [-1]])
    maps = split_module._LayerMaps.of(a, c)
    points, floats = split_module._exact_crossings(
        verts, approx, ca, cb, np.array([0, 1, 0, 1]), 0, maps
    )
    assert points[0].tolist() == points[1].tolist() == points[2].tolist()
    assert points[1][0] is points[0][0] and points[2][0] is points[0][0]  # computed once
    assert points[3].tolist() != points[0].tolist()
    for i in range(4):
        z = sum(points[i]) - 1
        assert z == 0  # on the hyperplane
        p, q = verts[ca[i]], verts[cb[i]]
        t = (points[i][0] - p[0]) / (q[0] - p[0])
        assert 0 < t < 1 and (p + t * (q - p)).tolist() == points[i].tolist()  # on the edge
    np.testing.assert_array_equal(floats, split_module._approx(points))


def test_exact_cut_faces_too_small_for_floats_are_ordered_exactly(recut):
    # x + y + z = 3e-12 cuts a corner off the unit cube: its three cut points are distinct
    # but closer than the float tolerance, so the batch leaves their order to the exact cut.
    from neurogeom.core.rationals import fmpq_array

    corners = np.array(list(itertools.product([0, 1], repeat=3)))
    pairs = itertools.combinations(range(8), 2)
    edges = np.array([(u, v) for u, v in pairs if np.abs(corners[u] - corners[v]).sum() == 1])
    verts = fmpq_array(corners)
    flat = split_module._Flat(verts, corners.astype(float), np.array([8]), edges, np.array([12]))
    cells = split_module._Polyhedra.start(flat, np.zeros((1, 1), dtype=bool))
    tiny = Fraction(3, 10**12)
    maps = split_module._LayerMaps.of(fmpq_array([[[1, 1, 1]]]), fmpq_array([[-tiny]]))
    setup = split_module._Setup([], [], 0, 1, True, 1e-9, 1e-9)
    assert split_module._cut_batch(cells, np.array([0]), 0, maps, None, setup) == 1
    assert recut == [0]
    live = np.flatnonzero(cells.alive.view)
    volumes = []
    for c in live:
        first, count = cells.vfirst.data[c], cells.vcount.data[c]
        v = cells.v.data[first : first + count]
        np.testing.assert_array_equal(cells.vf.data[first : first + count], v.astype(float))
        volumes.append(polytope_volume(split_module.fractions_from_fmpq(v), exact=True))
    assert volumes == [1 - tiny**3 / 6, tiny**3 / 6]


@pytest.mark.parametrize("d", [2, 3])
def test_exact_signs_below_float_resolution_split_cells(d):
    """x_1 + ... + x_d = d - 10^-20 cuts a corner 10^-20 deep off the box: float64 sees the
    corner on the hyperplane, so only the exact evaluation of signs the floats cannot certify
    finds the second cell — in the batched engines (split_cells) and through enumerate_regions
    (the planar engine in 2-D)."""
    from neurogeom import enumerate_regions

    net = ReLUNet([[[1] * d], [[1]]], [[-(d - Fraction(1, 10**20))], [0]], exact=True)
    box_a = np.vstack([np.eye(d, dtype=int), -np.eye(d, dtype=int)])
    corners = [list(c) for c in itertools.product([-1, 1], repeat=d)]
    cells, complete = split_cells(net, box_a, [1] * (2 * d), corners, exact=True)
    assert complete and sorted(c.pattern.tolist() for c in cells) == [[False], [True]]
    tip = next(c for c in cells if c.pattern[0])
    assert polytope_volume(tip.vertices, exact=True) == Fraction(1, 10**20) ** d / math.factorial(d)
    res = enumerate_regions(net, domain=(-1, 1), exact=True, method="split", progress=False)
    assert res.activation_regions == 2 and res.certified
