"""Pictures of region enumerations: colouring, the 2-D partition, the 1-D graph, cell sizes.

Each picture is checked against what it shows: adjacent regions get different fills, the
decision boundary lies where the network is 0, the 1-D graph and its breakpoints agree with the
network evaluated directly, and the histogram counts every cell once.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neurogeom import ReLUNet, load
from neurogeom.core.errors import InvalidInputError
from neurogeom.core.random import check_rng
from neurogeom.data import example_path
from neurogeom.regions import enumerate_regions

pytest.importorskip("matplotlib")

from neurogeom.regions.plot import (
    PALETTE,
    colour_regions,
    decision_segments,
    plot_cell_volumes,
    plot_function,
    plot_regions,
    volume_histogram,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def degeneracy(n: int, edges: list[tuple[int, int]]) -> int:
    """The largest k such that some subgraph has minimum degree k (brute force over subsets)."""
    best = 0
    for size in range(1, n + 1):
        for subset in itertools.combinations(range(n), size):
            inside = set(subset)
            degrees = [
                sum((a in inside) and (b in inside) and v in (a, b) for a, b in edges)
                for v in subset
            ]
            best = max(best, min(degrees))
    return best


graphs = st.integers(1, 8).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda e: e[0] != e[1]),
            max_size=20,
        ),
    )
)


@given(graphs, st.integers(1, 8))
def test_colouring_separates_neighbours_and_stays_within_the_palette(graph, n_colours):
    n, edges = graph
    edges = sorted({tuple(sorted(e)) for e in edges})
    colours = colour_regions(n, edges, n_colours=n_colours)
    assert len(colours) == n
    assert all(colours[a] != colours[b] for a, b in edges)
    if degeneracy(n, edges) < n_colours:  # smallest-last order never needs more
        assert max(colours, default=0) < n_colours


def test_colouring_spreads_over_the_colours():
    # a path of 8 regions needs 2 colours; the balanced choice uses all 8 offered
    colours = colour_regions(8, [(i, i + 1) for i in range(7)], n_colours=8)
    assert sorted(colours) == list(range(8))


def moons_on_box():
    return enumerate_regions(
        load(example_path("two_moons")), domain=(-3, 3), volumes=True, progress=False
    )


def test_the_partition_fills_adjacent_regions_differently():
    from matplotlib.colors import to_hex

    res = moons_on_box()
    ax = plot_regions(res)
    fills = [to_hex(p.get_facecolor()) for p in ax.patches]
    assert len(fills) == res.activation_regions  # every cell is drawn, in cell order
    assert set(fills) <= set(PALETTE)
    for a, b in res.adjacency:
        same_region = res.cells[a].region == res.cells[b].region
        assert (fills[a] == fills[b]) == same_region  # one fill per region, neighbours differ
    assert any(fills[a] != fills[b] for a, b in res.adjacency)


def test_the_decision_boundary_is_where_the_network_is_zero():
    from matplotlib.collections import LineCollection

    res = moons_on_box()
    net = res.net
    ax = plot_regions(res)
    liness_found = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(liness_found) == 1
    lines = liness_found[0]
    ends = np.concatenate(lines.get_segments())
    assert len(ends) >= 2
    assert np.abs(net.evaluate(ends)).max() < 1e-9 * max(1.0, np.abs(net.evaluate(ends * 0)).max())
    # and it separates: the sign of f changes across it somewhere
    grid = np.stack(np.meshgrid(np.linspace(-3, 3, 25), np.linspace(-3, 3, 25)), -1).reshape(-1, 2)
    values = net.evaluate(grid).ravel()
    assert values.min() < 0 < values.max()


def test_a_multi_output_partition_draws_where_the_top_output_changes():
    # outputs x and y: the top output changes on the diagonal x = y
    net = ReLUNet([[[1, 0], [-1, 0], [0, 1], [0, -1]], [[1, -1, 0, 0], [0, 0, 1, -1]]])
    from matplotlib.collections import LineCollection

    ax = plot_regions(enumerate_regions(net, domain=(-1, 1), progress=False))
    liness_found = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(liness_found) == 1
    lines = liness_found[0]
    ends = np.concatenate(lines.get_segments())
    np.testing.assert_allclose(ends[:, 0], ends[:, 1], atol=1e-12)
    assert np.ptp(ends[:, 0]) == pytest.approx(2.0)


def test_the_graph_of_a_1d_net_is_the_net_with_its_breakpoints():
    net = load(example_path("tent3"), exact=True)  # 8 pieces on [0, 1]
    res = enumerate_regions(net, domain=(-1, 2), exact=True, progress=False)
    ax = plot_regions(res)  # 1 input: the graph
    pieces = [line for line in ax.lines if line.get_linestyle() == "-"]
    assert len(pieces) == res.activation_regions
    for line in pieces:
        xy = line.get_xydata()
        np.testing.assert_allclose(net.to_float().evaluate(xy[:, :1]).ravel(), xy[:, 1])
    covered = sorted((line.get_xdata()[0], line.get_xdata()[1]) for line in pieces)
    assert covered[0][0] == -1 and covered[-1][1] == 2
    assert all(a[1] == b[0] for a, b in itertools.pairwise(covered))  # no gap, no overlap
    kinkss_found = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(kinkss_found) == 1
    kinks = kinkss_found[0]
    assert sorted(kinks.get_xdata()) == [k / 8 for k in range(9)]  # Telgarsky's tent map


def test_a_breakpoint_without_a_kink_is_drawn_open():
    # relu(x) - relu(-x) = x: a cell edge at 0 where the map does not change
    res = enumerate_regions(
        ReLUNet([[[1], [-1]], [[1, -1]]]), domain=(-1, 1), exact=True, progress=False
    )
    assert (res.activation_regions, res.linear_regions) == (2, 1)
    ax = plot_function(res)
    dots_found = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(dots_found) == 1
    dot = dots_found[0]
    assert dot.get_markerfacecolor() == "white"
    assert dot.get_xydata().tolist() == [[0.0, 0.0]]


def test_plots_refuse_other_dimensions():
    net3 = ReLUNet([[[1, 0, 0], [0, 1, 1]], [[1, 1]]])
    res = enumerate_regions(net3, domain=(-1, 1), progress=False)
    with pytest.raises(InvalidInputError, match="1 or 2 inputs; this one has 3"):
        plot_regions(res)
    with pytest.raises(InvalidInputError, match="1 input; this one has 3"):
        plot_function(res)


def test_the_histogram_counts_every_cell_once():
    res = moons_on_box()
    h = volume_histogram(res)
    volumes = np.array([float(c.volume) for c in res.cells])
    assert h.cells == res.activation_regions == sum(h.counts)
    assert h.log_scale is bool(volumes.max() > 10 * volumes.min())
    edges = np.array(h.edges)
    assert np.all(np.diff(edges) > 0)
    assert edges[0] <= volumes.min() * (1 + 1e-12) and volumes.max() <= edges[-1] * (1 + 1e-12)
    assert h.mean == pytest.approx(36 / res.activation_regions)  # the cells tile the box
    # brute force, away from the edges (where rounding of 10**log may move a cell over)
    bins = np.searchsorted(edges, volumes, side="right") - 1
    bins[volumes >= edges[-1]] = len(h.counts) - 1
    near_edge = np.isclose(volumes[:, None], edges[None, :], rtol=1e-12).any(axis=1)
    brute = np.bincount(bins[~near_edge], minlength=len(h.counts))
    assert (np.array(h.counts) >= brute).all() and sum(h.counts) - brute.sum() == near_edge.sum()
    ax = plot_cell_volumes(res)
    assert sum(p.get_height() for p in ax.patches) == res.activation_regions
    assert ax.get_xscale() == ("log" if h.log_scale else "linear")


def test_equal_cells_make_one_linear_bin():
    # relu(x) on [-1, 1] on a line: two cells of length 1
    res = enumerate_regions(
        ReLUNet([[[1]], [[1]]]), domain=(-1, 1), exact=True, progress=False, volumes=True
    )
    h = volume_histogram(res)
    assert (h.cells, h.log_scale, h.mean, h.measure) == (2, False, 1.0, "length")
    assert sum(h.counts) == 2


def test_the_histogram_needs_volumes():
    res = enumerate_regions(ReLUNet([[[1, 1]], [[1]]]), progress=False)  # on R^2: unbounded
    with pytest.raises(InvalidInputError, match="no cell has a volume"):
        volume_histogram(res)


def test_random_nets_draw_every_cell_exactly():
    """A random 2-8-8-1 net: every cell's polygon has the cell's exact area."""
    rng = check_rng(3)
    net = ReLUNet(
        [rng.normal(size=(8, 2)), rng.normal(size=(8, 8)), rng.normal(size=(1, 8))],
        [rng.normal(size=8), rng.normal(size=8), rng.normal(size=1)],
    )
    res = enumerate_regions(net, domain=(-2, 2), volumes=True, progress=False)
    ax = plot_regions(res)
    areas = []
    for patch in ax.patches:
        x, y = patch.get_xy()[:-1].T  # closed: the first vertex repeated
        areas.append(0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))
    np.testing.assert_allclose(areas, [float(c.volume) for c in res.cells], rtol=1e-9)
    assert Fraction(sum(areas)).limit_denominator(1000) == 16


@pytest.mark.parametrize("name", ["tent3", "two_moons"])
def test_histogram_tick_labels_do_not_overlap(name):
    """Over less than two decades matplotlib labels minor log ticks too, and they collide."""
    res = enumerate_regions(load(example_path(name)), domain=(-3, 3), volumes=True, progress=False)
    ax = plot_cell_volumes(res)
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    lo, hi = ax.get_xlim()
    boxes = []
    for tick in [*ax.xaxis.get_major_ticks(), *ax.xaxis.get_minor_ticks()]:
        label = tick.label1
        if label.get_visible() and label.get_text() and lo <= tick.get_loc() <= hi:
            boxes.append(label.get_window_extent(renderer))
    assert len(boxes) >= 2
    boxes.sort(key=lambda b: b.x0)
    for left, right in itertools.pairwise(boxes):
        assert left.x1 <= right.x0, (left, right)


SECTORS = ReLUNet([[[2, 0], [0, 3], [2, 3]], [[1, 1, -1]]])  # RG14
SQUARE = np.array([[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]])


def _area(xy: np.ndarray) -> float:
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * abs(float(x @ np.roll(y, -1) - y @ np.roll(x, -1)))


def _bits(pattern) -> str:
    return "".join("1" if b else "0" for b in pattern)


def test_cells_of_the_plane_are_clipped_to_the_window():
    res = enumerate_regions(SECTORS, exact=True, progress=False)
    ax = plot_regions(res, box=(-1, 1))
    # the RG14 box answers: the quadrants 1 and 1, the others cut 1/3 : 2/3
    expected = {"000": 1, "111": 1, "010": F(1, 3), "101": F(1, 3), "011": F(2, 3), "100": F(2, 3)}
    areas = {
        _bits(c.pattern): _area(p.get_xy()) for c, p in zip(res.cells, ax.patches, strict=True)
    }
    assert areas == pytest.approx({k: float(v) for k, v in expected.items()})
    # without a box: a window around every cell's interior point
    ax = plot_regions(res)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    for cell in res.cells:
        assert x0 < float(cell.point[0]) < x1 and y0 < float(cell.point[1]) < y1


# -- decision segments ---------------------------------------------------------------------------
def _check_segment(seg: np.ndarray, matrix: np.ndarray, offset: np.ndarray) -> None:
    """Every point of the segment lies in the square and is a tie of the two largest outputs
    (or a zero of the one output)."""
    for t in np.linspace(0, 1, 11):
        x = seg[0] + t * (seg[1] - seg[0])
        assert np.all(np.abs(x) <= 1 + 1e-12)
        y = matrix @ x + offset
        if len(y) == 1:
            assert abs(y[0]) < 1e-12
        else:
            top = np.sort(y)[::-1]
            assert top[0] - top[1] < 1e-12


def test_one_output_gives_the_zero_segment():
    (seg,) = decision_segments([[1.0, 2.0]], [-1.0], SQUARE)  # x + 2y = 1
    _check_segment(seg, np.array([[1.0, 2.0]]), np.array([-1.0]))
    ends = sorted(map(tuple, np.round(seg, 12).tolist()))
    assert ends == [(-1.0, 1.0), (1.0, 0.0)]
    assert decision_segments([[1.0, 0.0]], [5.0], SQUARE) == []  # misses the square
    assert decision_segments([[0.0, 0.0]], [0.0], SQUARE) == []  # no line at all


def test_several_outputs_give_where_the_largest_two_tie():
    # argmax of (x, y, 0) on the square: x = y for x, y >= 0; x = 0 below; y = 0 to the left
    matrix, offset = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]), np.zeros(3)
    segs = decision_segments(matrix, offset, SQUARE)
    for seg in segs:
        _check_segment(seg, matrix, offset)
    got = sorted(tuple(sorted(map(tuple, np.round(s, 12).tolist()))) for s in segs)
    assert got == sorted(
        [((0.0, 0.0), (1.0, 1.0)), ((0.0, -1.0), (0.0, 0.0)), ((-1.0, 0.0), (0.0, 0.0))]
    )
    # two equal outputs never tie along a line
    assert decision_segments(np.array([[1.0, 0.0], [1.0, 0.0]]), np.zeros(2), SQUARE) == []
