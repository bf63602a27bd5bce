"""The report's regions section: counts, cell sizes on the box, figures by input dimension."""

from __future__ import annotations

from fractions import Fraction

import pytest

from neurogeom import ReLUNet, load
from neurogeom.core.budget import Budget
from neurogeom.core.errors import BackendUnavailableError
from neurogeom.data import example_path
from neurogeom.report.registry import SectionContext
from neurogeom.report.sections.regions import SECTION


def compute(net, *, name="net", exact=False, figures=True):
    ctx = SectionContext(net, name, exact, Budget.start(time_limit=120), False, figures)
    return SECTION.compute(ctx)


def items(result):
    return {item.key: item for item in result.items}


def test_sectors_cell_areas_are_exact():
    # relu(2x) + relu(3y) - relu(2x + 3y) switches on x = 0, y = 0 and 2x + 3y = 0, which cut
    # [-3, 3]^2 into two quadrants of area 9 and two of area 9 split 3 + 6 by the slanted line
    result = compute(load(example_path("sectors"), exact=True), exact=True, figures=False)
    volumes = result.data["cell_volumes"]
    assert [volumes[k] for k in ("smallest", "median", "largest", "total", "box")] == [
        3,
        6,
        9,
        36,
        36,
    ]
    assert (volumes["cells"], volumes["measure"]) == (6, "area")
    assert sum(volumes["histogram"]["counts"]) == 6
    shown = items(result)
    assert all(shown[f"cell_volumes.{k}"].exact for k in ("smallest", "median", "total"))
    assert shown["box.linear_regions"].value == result.data["box"]["linear_regions"] == 6
    assert result.figures == ()


def test_float_cell_areas_are_estimates_in_floats():
    result = compute(load(example_path("max2")), figures=False)
    volumes = result.data["cell_volumes"]
    assert isinstance(volumes["smallest"], float)
    assert volumes["total"] == pytest.approx(36)
    assert not items(result)["cell_volumes.smallest"].exact
    assert items(result)["cell_volumes.box"].exact  # the box's area is known exactly
    assert any("floating point" in note for note in result.notes)


def test_exact_fractions_stay_fractions():
    # relu(3x + y + 1/7) on [-3, 3]^2: the line 3x + y = -1/7 cuts the box in two cells whose
    # areas are fractions adding up to 36
    net = ReLUNet([[[3, 1]], [[1]]], [[Fraction(1, 7)], [0]], exact=True)
    result = compute(net, exact=True, figures=False)
    volumes = result.data["cell_volumes"]
    small, large = Fraction(volumes["smallest"]), Fraction(volumes["largest"])
    assert small + large == 36 and small < large
    assert isinstance(volumes["smallest"], str) and "/" in volumes["smallest"]


@pytest.mark.parametrize(
    ("net", "expected"),
    [
        (ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]]), ["regions", "cell_volumes"]),
        (ReLUNet([[[1], [-1]], [[1, 1]]]), ["function", "cell_volumes"]),
        (ReLUNet([[[1, 0, 0], [0, 1, -1]], [[1, 1]]]), ["cell_volumes"]),
    ],
    ids=["2 inputs", "1 input", "3 inputs"],
)
def test_figures_by_input_dimension(net, expected):
    pytest.importorskip("matplotlib")
    result = compute(net, name="tiny")
    assert [f.name for f in result.figures] == expected
    for figure in result.figures:
        where = "[-3, 3]^" + str(net.n_inputs)
        assert "tiny" in figure.title and where in figure.title
        # the picture's own title (text is drawn as paths; matplotlib keeps it in a comment)
        assert "<!-- tiny" in figure.svg and where in figure.svg


def test_more_than_three_inputs_counts_on_the_whole_space_only():
    net = ReLUNet([[[1, 0, 0, 0], [0, 1, 1, 1]], [[1, 1]]])
    result = compute(net)
    assert set(result.data) == {"whole_space"}
    assert result.figures == ()
    assert any("up to 3 inputs" in note for note in result.notes)
    assert result.status == "ok"


def test_without_matplotlib_the_numbers_stay_and_the_section_says_why(monkeypatch):
    import neurogeom.regions.plot as plot

    def missing():
        raise BackendUnavailableError(
            "matplotlib is not installed: pip install 'neurogeom[figures]'"
        )

    monkeypatch.setattr(plot, "pyplot", missing)
    result = compute(load(example_path("max2")))
    assert result.status == "ok" and result.figures == ()
    assert "matplotlib" in result.data["figure_unavailable"]
    assert any(note.startswith("no figures: matplotlib") for note in result.notes)
    assert result.data["cell_volumes"]["cells"] == 4


@pytest.mark.parametrize(("bias", "says"), [(0, "decision boundary f(x) = 0"), (10, "no decision")])
def test_the_caption_says_whether_there_is_a_decision_boundary(bias, says):
    pytest.importorskip("matplotlib")
    # relu(x - 1) + relu(y - 1) + bias - 1: zero on a curve in the box for bias 0, at least 9
    # everywhere for bias 10
    net = ReLUNet([[[1, 0], [0, 1]], [[1, 1]]], [[-1, -1], [bias - 1]])
    (partition, _) = compute(net).figures
    assert says in partition.caption
