"""The topology report section: items agree with the data at their keys, figures for 2-input
nets, not applicable to 1-input and rational nets, a spent budget marks it incomplete."""

from __future__ import annotations

from typing import Any

import pytest

from neurogeom.core.budget import Budget
from neurogeom.data import example_path
from neurogeom.nets import RationalNet
from neurogeom.nets.io import load
from neurogeom.report.registry import SectionContext
from neurogeom.report.sections import topology as section

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def at(data: dict, key: str) -> Any:
    for part in key.split("."):
        data = data[part]
    return data


def compute(net, *, figures: bool = False, budget: Budget | None = None):
    ctx = SectionContext(net, "net", net.exact, budget or Budget(), False, figures)
    return section.SECTION.compute(ctx)


def test_items_are_the_data_at_their_keys_and_figures(ref) -> None:
    pytest.importorskip("matplotlib")
    res = compute(ref.fold(), figures=True)
    assert res.status == "ok"
    for item in res.items:
        assert at(res.data, item.key) == item.value, item.key
    assert res.data["input_betti"] == [1, 1]
    assert (
        res.data["layers"][-1]["betti"] == [1, 0] == res.data["layers"][-1]["betti_representation"]
    )
    names = [f.name for f in res.figures]
    assert names == ["topology_overlap", "topology_barcodes"]
    assert all(f.png[:8] == PNG_MAGIC and "<svg" in f.svg for f in res.figures)


def test_bundled_two_moons() -> None:
    res = compute(load(example_path("two_moons")))
    assert res.status == "ok" and len(res.data["layers"]) == 3
    assert any("rank-deficient" in note for note in res.notes)


def test_applies() -> None:
    assert section.SECTION.applies(load(example_path("abs"))) is not None
    assert section.SECTION.applies(RationalNet([[[1.0, 0.0]], [[1.0]]])) is not None
    assert section.SECTION.applies(load(example_path("max2"))) is None


def test_three_inputs_use_a_circle_in_a_plane(ref) -> None:
    from neurogeom import ReLUNet

    net = ReLUNet([[[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[1, 1, 1]]])
    res = compute(net, figures=True)
    assert res.status == "ok" and res.figures == ()


def test_a_spent_budget_marks_the_section_incomplete(ref) -> None:
    res = compute(ref.fold(), budget=Budget.start(time_limit=1e-9))
    assert res.status == "incomplete" and "time limit" in res.reason
