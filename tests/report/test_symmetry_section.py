"""The symmetry report section: items agree with the data at their keys, shallow nets get the
canonical form and (2 inputs) the kink figure, deep nets the functional dimension only."""

from __future__ import annotations

from typing import Any

import pytest

from neurogeom.core.budget import Budget
from neurogeom.data import example_path
from neurogeom.nets import RationalNet, ReLUNet
from neurogeom.nets.io import load
from neurogeom.report.registry import SectionContext
from neurogeom.report.sections import symmetry as section

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def at(data: dict, key: str) -> Any:
    for part in key.split("."):
        data = data[part]
    return data


def compute(name: str, *, exact: bool = True, figures: bool = True, budget: Budget | None = None):
    net = load(example_path(name), exact=exact)
    ctx = SectionContext(net, name, exact, budget or Budget(), False, figures)
    return section.SECTION.compute(ctx)


@pytest.mark.parametrize("name", ["sectors", "max2", "abs", "two_moons"])
def test_items_are_the_data_at_their_keys(name: str) -> None:
    res = compute(name, figures=False)
    assert res.status == "ok"
    for item in res.items:
        assert at(res.data, item.key) == item.value, item.key


def test_shallow_two_input_nets_get_the_canonical_form_and_a_figure() -> None:
    pytest.importorskip("matplotlib")
    res = compute("sectors")
    assert res.data["canonical"]["width"] == 3
    assert res.data["symmetries"]["hidden_symmetries"] is True  # flip all three neurons
    assert res.data["functional_dimension"]["functional_dimension"] == 10
    (fig,) = res.figures
    assert fig.name == "symmetry_kinks" and fig.png[:8] == PNG_MAGIC and "<svg" in fig.svg
    assert "kink" in fig.caption


def test_deep_nets_get_the_functional_dimension_only() -> None:
    res = compute("two_moons", figures=True)
    assert set(res.data) == {"functional_dimension"}
    assert res.figures == ()
    assert res.data["functional_dimension"]["parameters"] == 205


def test_a_spent_budget_marks_the_section_incomplete() -> None:
    res = compute("max2", budget=Budget.start(time_limit=1e-9))
    assert res.status == "incomplete" and "time limit" in res.reason


def test_applies_only_to_relu_nets() -> None:
    assert section.SECTION.applies(ReLUNet([[[1.0]], [[1.0]]])) is None
    assert "ReLU" in section.SECTION.applies(RationalNet([[[1.0]], [[1.0]]]))
    leaky = ReLUNet([[[1.0]], [[1.0]]], negative_slope=0.5)
    assert "leaky" in section.SECTION.applies(leaky)


def test_the_page_names_kinks_redundant_neurons_and_moves() -> None:
    # built with a known structure: neurons 0 and 1 on x = 0 (same orientation), 2 on y = -1,
    # 3 dead (a = 0), 4 constant (w = 0)
    net = ReLUNet(
        [[[1, 0], [2, 0], [0, 1], [1, 1], [0, 0]], [[1, 2, 1, 0, 3]]],
        [[0, 0, 1, 2, 1], [0]],
        exact=True,
    )
    res = section.SECTION.compute(SectionContext(net, "built", True, Budget(), False, False))
    for item in res.items:
        assert at(res.data, item.key) == item.value, item.key
    grouped = res.data["canonical"]["grouped"]
    assert "α=(5) on (1, 0)·x + 0 = 0: neurons [0, 1]" in grouped  # 1·1 + 2·2 on x = 0
    assert "α=(1) on (0, 1)·x + 1 = 0: neurons [2]" in grouped
    redundant = res.data["canonical"]["redundant"]
    assert "dead (output weight 0): [3]" in redundant
    assert "constant (input weight 0): [4]" in redundant
    assert "sharing a hyperplane: [[0, 1]]" in redundant
    moves = res.data["symmetries"]["moves"]
    for family in ("T1 permutation", "T3 dead neuron [3]", "T4 constant neuron [4]", "T5"):
        assert family in moves
    for text in (grouped, redundant, moves):  # shown on the page, under the numbers
        assert any(text in note for note in res.notes)
    clean = compute("sectors", figures=False)
    assert clean.data["canonical"]["redundant"] == "none"
