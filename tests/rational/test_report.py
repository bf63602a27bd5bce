"""The report section for rational networks: values, keys, figures, applicability, budget."""

from __future__ import annotations

import time

import numpy as np
import pytest

from neurogeom import RationalNet, ReLUNet
from neurogeom.core.budget import Budget
from neurogeom.report.registry import SectionContext, registered_sections
from neurogeom.report.sections import rational as section


def _ctx(net, *, figures=True, budget=None):
    return SectionContext(net, "test", False, budget or Budget(), False, figures)


def _at(data, key):
    for part in key.split("."):
        data = data[part]
    return data


@pytest.mark.parametrize(
    ("net", "n_figures", "dim", "fills"),
    [
        (RationalNet([[[1.0], [2.0]], [[1.0, -1.0]]], [[-1.0, 4.0], [0.5]]), 1, 5, True),
        (RationalNet([[[1, 1], [1, -1]], [[1, 2]]], exact=True), 1, 4, True),
        (RationalNet([[[1, 0, 1], [0, 1, 1]], [[1, 2]]], exact=True), 0, 6, False),
        (RationalNet([[[1, 0], [0, 1]], [[1, 1], [1, -1]], [[1, 1]]]), 1, 6, True),
    ],
)
def test_section_values_match_the_analyses(net, n_figures, dim, fills) -> None:
    pytest.importorskip("matplotlib")
    # by key: pytest 7 imports the doctest copy of a module under another name, which registers
    # a section object of its own
    assert section.SECTION.key in {s.key for s in registered_sections()}
    res = section.SECTION.compute(_ctx(net))
    assert res.status == "ok"
    assert res.data["dimension"]["dimension"] == dim
    assert res.data["dimension"]["fills"] is fills
    for item in res.items:  # every shown value is the JSON value at its key
        assert _at(res.data, item.key) == item.value, item.label
    assert len(res.figures) == n_figures
    if n_figures:
        assert res.figures[0].png.startswith(b"\x89PNG")
        assert "test on [-3, 3]" in res.figures[0].svg
        # the heat map is embedded as an image, not 90000 vector cells (17 MB of HTML)
        assert len(res.figures[0].svg) < 1_000_000


def test_shallow_sections_list_poles() -> None:
    net = RationalNet([[[1.0], [2.0]], [[1.0, -1.0]]], [[-1.0, 4.0], [0.5]])
    res = section.SECTION.compute(_ctx(net, figures=False))
    assert sorted(p["location"] for p in res.data["poles"]) == [-2.0, 1.0]
    assert res.data["network"]["denominator"] == "x1^2 + x1 - 2"
    assert res.figures == ()


def test_large_nets_skip_the_expansion_but_keep_the_dimension() -> None:
    import numpy as np

    net = RationalNet([np.ones((5, 5)) + np.eye(5)] * 3 + [np.ones((1, 5))])
    res = section.SECTION.compute(_ctx(net, figures=False))
    assert "expansion_skipped" in res.data and res.data["dimension"]["dimension"] > 0


def test_applicability_and_budget() -> None:
    assert section.SECTION.applies(ReLUNet([[[1.0]]])) is not None
    assert section.SECTION.applies(RationalNet([[[1.0]], [[1.0]]])) is None
    budget = Budget.start(time_limit=1e-6)
    time.sleep(0.01)
    res = section.SECTION.compute(_ctx(RationalNet([[[1, 1], [1, -1]], [[1, 2]]]), budget=budget))
    assert res.status == "incomplete" and res.figures == ()


def test_huge_nets_skip_the_dimension() -> None:
    import numpy as np

    net = RationalNet([np.ones((40, 40)) + np.eye(40)] * 2 + [np.ones((1, 40))])
    res = section.SECTION.compute(_ctx(net, figures=False))
    assert (
        "dimension" not in res.data
        and "neurogeom rational dim 40 40 40 1" in res.data["dimension_skipped"]
    )
    assert "dimension skipped" in res.summary
    for item in res.items:
        assert _at(res.data, item.key) == item.value


def test_a_net_with_a_pole_everywhere_says_so_under_the_numbers() -> None:
    # hidden neuron 0 of layer 1 computes 1/x - 1/x = 0: the expansion fails, the section
    # still reports the architecture's numbers and says why this net has no P/Q
    net = RationalNet([[[1], [1]], [[1, -1], [1, 2]], [[1, 1]]], exact=True)
    res = section.SECTION.compute(_ctx(net, figures=False))
    assert res.status == "ok" and "network" not in res.data
    assert "identically zero" in res.data["expansion_failed"]
    assert any(
        n.startswith("this network cannot be expanded") and "identically zero" in n
        for n in res.notes
    )
    big = RationalNet([np.ones((40, 40)) + np.eye(40)] * 2 + [np.ones((1, 40))])
    notes = section.SECTION.compute(_ctx(big, figures=False)).notes
    assert any(n.startswith("dimension not computed") for n in notes)
    assert any(n.startswith("this network not expanded") for n in notes)
