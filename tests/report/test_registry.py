"""The report registry's values: items, figures at print quality, section results as JSON."""

from __future__ import annotations

import struct

import pytest

from neurogeom.report.registry import (
    Figure,
    Item,
    Section,
    SectionResult,
    register,
    registered_sections,
)


def test_a_figure_is_vector_svg_and_a_print_resolution_png():
    pytest.importorskip("matplotlib")
    from neurogeom.core.figures import pyplot

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [0, 1])
    figure = Figure.from_matplotlib(fig, name="line", title="A line", caption="y = x.")
    assert "<svg" in figure.svg and "<path" in figure.svg
    assert "<image" not in figure.svg  # vector, not an embedded raster
    png = figure.png
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    at = png.index(b"pHYs")
    per_metre, _, unit = struct.unpack(">IIB", png[at + 4 : at + 13])
    assert unit == 1 and round(per_metre * 0.0254) >= 200
    assert width >= 3 * 200 * 0.8 and height >= 2 * 200 * 0.8  # tight bounding box trims a bit
    assert not plt.fignum_exists(fig.number)  # closed


def test_a_section_result_lists_its_notes_and_figures():
    result = SectionResult(
        "demo",
        "Demo",
        "incomplete",
        "one thing",
        (Item("n", 3, "how many", True, "counts.n"),),
        {"counts": {"n": 3}},
        seconds=0.12345,
        reason="the time limit ran out",
        notes=("computed in floats",),
    )
    doc = result.to_dict()
    assert doc["notes"] == ["computed in floats"]
    assert doc["items"] == [
        {"label": "n", "value": 3, "definition": "how many", "exact": True, "key": "counts.n"}
    ]
    assert doc["seconds"] == 0.123 and doc["reason"] == "the time limit ran out"
    assert result.complete is False
    # positional construction as sections written before ``notes`` existed still works
    old = SectionResult("demo", "Demo", "ok", "s", (), {}, (), 1.0, "")
    assert old.notes == () and old.to_dict()["notes"] == []


def test_sections_run_in_order_and_replace_by_key(monkeypatch):
    import neurogeom.report.registry as registry
    import neurogeom.report.sections  # noqa: F401 - the built-in sections

    monkeypatch.setattr(registry, "_SECTIONS", dict(registry._SECTIONS))
    keys = [s.key for s in registered_sections()]
    assert keys[:2] == ["info", "regions"]
    late = register(Section("zz", "Last", 99, lambda net: None, lambda ctx: None))
    first = register(Section("aa", "First", -1, lambda net: None, lambda ctx: None))
    assert [s.key for s in registered_sections()] == ["aa", *keys, "zz"]
    again = register(Section("zz", "Replaced", 99, lambda net: None, lambda ctx: None))
    assert registered_sections()[-1] is again and late is not again and first.order == -1
