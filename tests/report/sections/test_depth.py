"""Report section ``depth``: Newton pair sizes, certified bounds, the figure for 2 inputs."""

from __future__ import annotations

from neurogeom.core.budget import Budget
from neurogeom.nets.relu import ReLUNet
from neurogeom.report.registry import SectionContext
from neurogeom.report.sections.depth import SECTION, weight_class_of


def ctx(net, *, figures=False, budget=None):
    return SectionContext(net, "net", True, budget or Budget(), False, figures)


def test_max2_section_with_figure():
    net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]], exact=True)
    assert SECTION.applies(net) is None
    res = SECTION.compute(ctx(net, figures=True))
    assert res.status == "ok"
    assert res.data["pair"]["positive"]["vertices"] == 4
    assert res.data["lower_bound"] == 1 and res.data["upper_bound"] == 1
    assert [f.name for f in res.figures] == ["depth_newton_pair"]
    for item in res.items:  # every item's value sits at its key
        value = res.data
        for part in item.key.split("."):
            value = value[part]
        assert value == item.value


def test_f2_network_certifies_two_layers():
    # max(0, x1, x2) = relu(x1) + relu(max(x2 - x1, -x1))... as relu(relu(x1 - x2) + x2)
    net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]], [[1]]], exact=True)
    res = SECTION.compute(ctx(net))
    assert res.data["lower_bound"] == 2
    assert any("not a zonotope" in n or "odd" in n for n in res.notes)


def test_not_applicable():
    assert "ReLU" in SECTION.applies(ReLUNet([[[1]], [[1]]], negative_slope="1/2"))
    wide = ReLUNet([[[1] * 7] * 2, [[1, 1]]])
    assert "at most" in SECTION.applies(wide)
    floaty = ReLUNet([[[0.1234567]], [[1.0]]])
    assert "denominator" in SECTION.applies(floaty)
    assert weight_class_of(ReLUNet([[[2]], [[3]]])) == "integer"


def test_budget_exhausted():
    net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]], exact=True)
    spent = Budget.start(time_limit=1e-9)
    res = SECTION.compute(ctx(net, budget=spent))
    assert res.status == "incomplete"
