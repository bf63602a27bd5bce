"""Pictures of 2-D partitions (``regions/plot.py``; needs matplotlib).

Each drawn polygon has its cell's exact area (on a box) or the area of the cell clipped to the
window (on the plane: checked against the hand-derived box answers of RG14); cells share a colour
iff they share a linear region; the decision boundary is where the output is 0 (one output) or
where the two largest outputs tie (several), checked at points along every drawn segment.
"""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from neurogeom import InvalidInputError, ReLUNet
from neurogeom.regions import enumerate_regions
from neurogeom.regions.plot import decision_segments, plot_regions

SECTORS = ReLUNet([[[2, 0], [0, 3], [2, 3]], [[1, 1, -1]]])  # RG14
MAX2 = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])  # RG11
SQUARE = np.array([[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def _area(xy: np.ndarray) -> float:
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * abs(float(x @ np.roll(y, -1) - y @ np.roll(x, -1)))


def _bits(pattern) -> str:
    return "".join("1" if b else "0" for b in pattern)


def test_each_cell_is_drawn_with_its_area_and_its_region_colour():
    res = enumerate_regions(MAX2, domain=(-1, 1), exact=True, progress=False)
    ax = plot_regions(res)
    assert len(ax.patches) == res.activation_regions
    for patch, cell in zip(ax.patches, res.cells, strict=True):
        assert _area(patch.get_xy()) == pytest.approx(float(cell.volume))
    colours = [tuple(p.get_facecolor()) for p in ax.patches]
    for a, ca in zip(res.cells, colours, strict=True):
        for b, cb in zip(res.cells, colours, strict=True):
            assert (ca == cb) == (a.region == b.region)
    assert ax.get_title() == "2 linear regions, 4 activation regions"
    assert ax.get_xlim() == (-1.0, 1.0) and ax.get_ylim() == (-1.0, 1.0)


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


def test_options_annotate_boundary_title_and_axes():
    import matplotlib.pyplot as plt

    res = enumerate_regions(MAX2, domain=(-1, 1), progress=False)
    _, ax = plt.subplots()
    out = plot_regions(res, ax=ax, annotate=True, boundary=False, title="max")
    assert out is ax
    assert [t.get_text() for t in ax.texts] == [str(r.index) for r in res.regions]
    assert len(ax.collections) == 0 and ax.get_title() == "max"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["cell (colour = linear region)"]
    # max(x, y) - 1/4 has a decision boundary inside the square
    shifted = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]], [[0, 0, 0], ["-1/4"]])
    ax = plot_regions(enumerate_regions(shifted, domain=(-1, 1), progress=False))
    assert len(ax.collections) == 1
    assert "decision boundary f(x) = 0" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_many_regions_get_a_colour_scale(random_net):
    res = enumerate_regions(random_net([2, 12, 1], 4), domain=(-3, 3), progress=False)
    assert res.linear_regions > 20
    ax = plot_regions(res, boundary=False)
    assert len(ax.figure.axes) == 2  # the colour bar
    assert len({tuple(p.get_facecolor()) for p in ax.patches}) > 20


def test_only_two_inputs_are_drawn():
    res = enumerate_regions(ReLUNet([[[1], [-1]], [[1, 1]]]), progress=False)
    with pytest.raises(InvalidInputError, match="2 inputs; this one has 1"):
        plot_regions(res)


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
