"""``run_analysis``: sections that fail or run out of time say why, files land together, and
reports render in Jupyter."""

from __future__ import annotations

import json
import pathlib
import re
from html.parser import HTMLParser

import pytest

from neurogeom import ReLUNet, enumerate_regions
from neurogeom.core.errors import NumericalError
from neurogeom.report.analyze import run_analysis
from neurogeom.report.registry import Item, Section, SectionResult, register

MAX2 = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])


class Balanced(HTMLParser):
    """Checks that every opened element is closed, in order (void elements aside)."""

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "source", "wbr", "col"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open.pop() != tag:
            self.errors.append(tag)

    def handle_data(self, data):
        self.text += data


def balanced(fragment: str) -> Balanced:
    parser = Balanced()
    parser.feed(fragment)
    parser.close()
    assert parser.errors == [] and parser.open == [], (parser.errors, parser.open)
    return parser


@pytest.fixture
def extra_sections(monkeypatch):
    """Register sections for one test only."""
    import neurogeom.report.registry as registry
    import neurogeom.report.sections  # noqa: F401

    monkeypatch.setattr(registry, "_SECTIONS", dict(registry._SECTIONS))
    return register


def test_a_failing_section_says_why_and_the_others_still_report(tmp_path, extra_sections):
    def broken(ctx):
        raise NumericalError("could not certify the thing; use exact=True")

    extra_sections(Section("broken", "A broken analysis", 5, lambda net: None, broken))
    report = run_analysis(MAX2, "max2", tmp_path, progress=False, figures=False)
    section = report.section("broken")
    assert section.status == "failed"
    assert section.reason == "NumericalError: could not certify the thing; use exact=True"
    assert report.section("regions").status == "ok"
    doc = json.loads((tmp_path / "report.json").read_text())
    assert doc["sections"]["broken"]["reason"] == section.reason
    page = (tmp_path / "report.html").read_text()
    assert "Why:" in page and "could not certify the thing" in page


def test_a_section_after_the_time_limit_says_it_did_not_run(tmp_path, extra_sections):
    import time

    def slow(ctx):
        time.sleep(0.3)
        return SectionResult("slow", "Slow", "ok", "done", seconds=0.3)

    extra_sections(Section("slow", "Slow", -5, lambda net: None, slow))
    report = run_analysis(MAX2, "max2", tmp_path, time_limit=0.2, progress=False, figures=False)
    regions = report.section("regions")
    assert regions.status == "incomplete"
    assert "time limit ran out before this section" in regions.reason
    assert report.complete is False
    assert "time limit ran out before this section" in (tmp_path / "report.html").read_text()


def test_a_section_that_does_not_apply_says_why(tmp_path, extra_sections):
    extra_sections(
        Section("never", "Never", 7, lambda net: "only for nets with 7 outputs", lambda c: None)
    )
    report = run_analysis(MAX2, "max2", tmp_path, progress=False, figures=False)
    assert report.section("never").status == "not applicable"
    assert report.section("never").reason == "only for nets with 7 outputs"
    assert "only for nets with 7 outputs" in (tmp_path / "report.html").read_text()


def test_no_file_lands_unless_all_of_them_do(tmp_path, monkeypatch):
    """A failure writing the page leaves neither report.json nor figures behind."""
    pytest.importorskip("matplotlib")
    real = pathlib.Path.write_text

    def failing(self, data, *args, **kwargs):
        if self.name.startswith(".report.html"):
            raise OSError(28, "No space left on device")
        return real(self, data, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "write_text", failing)
    with pytest.raises(OSError, match="No space left"):
        run_analysis(MAX2, "max2", tmp_path, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_reports_and_region_results_render_in_jupyter(tmp_path):
    report = run_analysis(MAX2, "max2", tmp_path, progress=False, figures=False)
    fragment = report._repr_html_()
    assert fragment.startswith('<div class="ng-report">') and fragment.endswith("</div>")
    assert "<script" not in fragment and "<html" not in fragment
    parsed = balanced(fragment)
    style = fragment[fragment.index("<style>") + 7 : fragment.index("</style>")]
    # the style only reaches inside the report: it must not restyle the notebook
    rules = re.findall(r"([^{}]+)\{[^{}]*\}", style)  # innermost rules, inside @media too
    assert len(rules) > 20
    for selectors in rules:
        for selector in selectors.split(","):
            assert selector.strip().startswith(".ng-report"), selector
    for section in report.sections:
        for item in section.items:
            assert f'data-key="{item.key}"' in fragment
    assert "2-3-1" in parsed.text and "linear regions" in parsed.text
    # region results: a small table of the counts
    res = enumerate_regions(MAX2, domain=(-1, 1), progress=False)
    table = balanced(res._repr_html_())
    for name, value in res.counts().items():
        assert name.replace("_", " ") in table.text and str(value) in table.text


def test_items_sit_in_the_data_they_describe(tmp_path):
    report = run_analysis(MAX2, "max2", tmp_path, progress=False, figures=False)
    for section in report.sections:
        for item in section.items:
            value = section.data
            for part in item.key.split("."):
                value = value[part]
            assert value == item.value, item
    assert isinstance(report.section("regions").items[0], Item)
