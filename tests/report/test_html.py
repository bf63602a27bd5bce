"""The HTML report: self-contained, every number equal to report.json, figures present.

Two kinds of checks on reports written by ``neurogeom analyze`` for every bundled example:
reading the HTML source (no browser), and loading the page in headless Chromium (marked slow;
see ``conftest.py``), where it must raise no console error, request nothing, draw each figure
at a nonzero size, fit a phone's width, print, and show the numbers of report.json.
"""

from __future__ import annotations

import inspect
import json
import math
import re
import struct
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from neurogeom.cli import main
from neurogeom.data import list_examples
from neurogeom.report.html import MAX_FRACTION_CHARS, format_value, inline_svg, render_html

SEPARATE_STDERR = (
    {"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner).parameters else {}
)
FRACTION = re.compile(r"-?\d+/\d+")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: Each bundled example as analysed by default, and one in exact arithmetic.
RUNS = [(name, ()) for name in list_examples()] + [("sectors", ("--exact",))]
RUN_IDS = [name + "".join(flags).replace("--", "-") for name, flags in RUNS]


# -- what the page should show, judged independently of the page's own formatting ------------


def lookup(doc: Any, path: str) -> Any:
    """The value at a dotted path (list indices as numbers) in a JSON document."""
    for part in path.split("."):
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def shown_as(text: str, value: Any) -> bool:
    """Whether ``text`` on the page writes ``value`` (to the 6 digits shown for floats)."""
    text = text.strip()
    if value is None:
        return text == "—"
    if isinstance(value, bool):
        return text == ("yes" if value else "no")
    if isinstance(value, list):
        parts = text.split("-")
        return len(parts) == len(value) and all(map(shown_as, parts, value))
    if isinstance(value, int):
        return text == str(value)
    if isinstance(value, float):
        return math.isclose(float(text), value, rel_tol=1e-5)
    if isinstance(value, str) and FRACTION.fullmatch(value):
        if text.startswith("≈"):
            return math.isclose(float(text[1:]), float(Fraction(value)), rel_tol=1e-5)
        return Fraction(text) == Fraction(value)
    return text == value


def check_values(values: list[dict[str, str]], paths: list[dict[str, str]], report: dict) -> None:
    """Every value on the page equals report.json, and every item of report.json is shown."""
    on_page = set()
    for v in values:
        item = {i["key"]: i for i in report["sections"][v["section"]]["items"]}[v["key"]]
        expected = lookup(report["sections"][v["section"]]["data"], v["key"])
        assert item["value"] == expected, v  # the registry's contract: items sit in the data
        assert json.loads(v["json"]) == expected, v
        assert shown_as(v["text"], expected), (v, expected)
        on_page.add((v["section"], v["key"]))
    items = {(s, i["key"]) for s, sec in report["sections"].items() for i in sec["items"]}
    assert on_page == items
    assert len(values) == len(items)  # each shown once
    for p in paths:
        expected = lookup(report, p["path"])
        if isinstance(expected, float):
            assert abs(float(p["text"]) - expected) <= 1e-3, p  # times, to the ms
        else:
            assert p["text"].strip() == expected, p
    shown_paths = {p["path"] for p in paths}
    assert "seconds" in shown_paths
    for key, section in report["sections"].items():
        assert f"sections.{key}.summary" in shown_paths
        if section["status"] != "not applicable":
            assert f"sections.{key}.seconds" in shown_paths
        if section["status"] != "ok":
            assert f"sections.{key}.reason" in shown_paths


def png_dpi(png: bytes) -> int:
    """Resolution stored in a PNG's pHYs chunk (dots per inch)."""
    assert png[:8] == PNG_MAGIC
    at = 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        if png[at + 4 : at + 8] == b"pHYs":
            x, y, unit = struct.unpack(">IIB", png[at + 8 : at + 17])
            assert unit == 1 and x == y  # per metre, square pixels
            return round(x * 0.0254)  # whole pixels per metre: 200 dpi is stored as 7874
        at += 12 + length
    raise AssertionError("no pHYs chunk")


# -- the page read as HTML source ------------------------------------------------------------


class PageReader(HTMLParser):
    """Collects what the checks need from the HTML source."""

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "source", "wbr", "col", "area"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict | None]] = []
        self.values: list[dict[str, str]] = []
        self.paths: list[dict[str, str]] = []
        self.figures: list[dict[str, Any]] = []
        self.sections: dict[str, dict[str, Any]] = {}
        self.ids: list[str] = []
        self.tags: list[str] = []
        self.links: list[str] = []  # every src / href / xlink:href

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if "id" in a:
            self.ids.append(a["id"])
        self.links += [v for k, v in attrs if k in ("src", "href", "xlink:href", "srcset")]
        record = None
        if "data-key" in a:
            record = {"section": a["data-section"], "key": a["data-key"], "json": a["data-json"]}
            self.values.append(record)
        elif "data-path" in a:
            record = {"path": a["data-path"]}
            self.paths.append(record)
        elif tag == "figure":
            record = {"name": a["data-figure"], "section": a["data-section"], "svg": 0}
            self.figures.append(record)
        elif tag == "section":
            record = {"status": a["data-status"]}
            self.sections[a["data-section"]] = record
        if tag == "svg":
            for _, open_record in self.stack:
                if open_record is not None and "svg" in open_record:
                    open_record["svg"] += 1
        if tag not in self.VOID:
            self.stack.append((tag, record))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        self.links += [v for k, v in attrs if k in ("src", "href", "xlink:href", "srcset")]

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, record in self.stack:
            if record is not None:
                record["text"] = record.get("text", "") + data


def read_page(path: Path) -> PageReader:
    reader = PageReader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader


_reports: dict[str, Path] = {}


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    """``neurogeom analyze`` run for a given example and flags (each run once per module)."""

    def get(name: str, flags: tuple[str, ...]) -> Path:
        key = name + " ".join(flags)
        if key not in _reports:
            out = tmp_path_factory.mktemp(name)
            result = CliRunner(**SEPARATE_STDERR).invoke(
                main, ["analyze", name, "--out", str(out), "--quiet", *flags]
            )
            assert result.exit_code == 0, (result.output, result.exception)
            _reports[key] = out
        return _reports[key]

    return get


def check_source(out: Path) -> None:
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    page = read_page(out / "report.html")
    # self-contained: no script, no frame, nothing fetched; links only within the page, to
    # inline data, or to the report's own PNGs
    assert not {"script", "iframe", "object", "embed", "img", "audio", "video"} & set(page.tags)
    pngs = {f for s in report["sections"].values() for f in s["figures"]}
    for link in page.links:
        assert link.startswith(("#", "data:")) or link in pngs, link
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"
    check_values(page.values, page.paths, report)
    # every section, with its status; every figure inline as SVG, and as a PNG beside
    assert {k: s["status"] for k, s in page.sections.items()} == {
        k: s["status"] for k, s in report["sections"].items()
    }
    shown = [(f["section"], f"{f['name']}.png") for f in page.figures]
    listed = [(k, f) for k, s in report["sections"].items() for f in s["figures"]]
    assert shown == listed
    for figure in page.figures:
        assert figure["svg"] == 1, figure
    for _, name in listed:
        assert png_dpi((out / name).read_bytes()) >= 200


@pytest.mark.slow
@pytest.mark.parametrize(("name", "flags"), RUNS, ids=RUN_IDS)
def test_every_example_page_matches_its_json(analysed, name, flags):
    check_source(analysed(name, flags))


def test_the_two_moons_page_has_its_figures(analysed):
    pytest.importorskip("matplotlib")
    out = analysed("two_moons", ())
    check_source(out)
    text = (out / "report.html").read_text(encoding="utf-8")
    assert "two_moons on [-3, 3]^2" in text  # titles name the net and the domain
    page = read_page(out / "report.html")
    assert [f["name"] for f in page.figures] == [
        "regions",
        "cell_volumes",
        "tropical_newton",
        "topology_overlap",
        "topology_barcodes",
    ]


# -- the HTML writer on its own -------------------------------------------------------------


def test_format_value_rounds_only_long_fractions():
    short = "1" * (MAX_FRACTION_CHARS - 2) + "/3"
    long = "1" * MAX_FRACTION_CHARS + "/3"
    assert format_value(short) == short
    assert format_value(long).startswith("≈ ")
    assert shown_as(format_value(long), long)
    assert format_value("a" * 40) == "a" * 40  # not a fraction: as it is


def test_inline_svg_keeps_figures_apart():
    doc = '<svg><defs><clipPath id="p1"/></defs><g clip-path="url(#p1)"/></svg>'
    one, two = inline_svg(doc, "a", "A"), inline_svg(doc, "b", "B")
    assert 'id="a-p1"' in one and "url(#a-p1)" in one
    assert 'id="b-p1"' in two and "url(#b-p1)" in two


class _Report:
    """A stand-in report with text that needs escaping everywhere."""

    def __init__(self, sections):
        self.name = "<net> & co"
        self.source = "/tmp/<weird> & 'odd\".json"
        self.exact = False
        self.complete = False
        self.seconds = 1.5
        self.sections = sections


def test_everything_on_the_page_is_escaped(tmp_path):
    from neurogeom.report.registry import Item, SectionResult

    nasty = "<script>alert(1)</script> & \"q\" 'a'"
    section = SectionResult(
        "demo",
        nasty,
        "incomplete",
        nasty,
        (Item(nasty, nasty, nasty, False, "value"),),
        {"value": nasty},
        reason=nasty,
        notes=(nasty,),
    )
    text = render_html(_Report((section,)))
    assert "<script" not in text
    assert "&lt;script&gt;" in text
    (tmp_path / "report.html").write_text(text, encoding="utf-8")
    page = read_page(tmp_path / "report.html")
    assert page.values == [
        {"section": "demo", "key": "value", "json": json.dumps(nasty), "text": nasty}
    ]
    assert {p["path"]: p["text"] for p in page.paths}["sections.demo.reason"] == nasty
    assert "neurogeom report: &lt;net&gt; &amp; co" in text
    assert "/tmp/&lt;weird&gt; &amp; &#x27;odd&quot;.json" in text


# -- the page in a browser --------------------------------------------------------------------

VALUES_JS = """(() => {
  const values = [...document.querySelectorAll('[data-section][data-key]')].map(e => ({
    section: e.dataset.section, key: e.dataset.key, json: e.dataset.json, text: e.textContent}));
  const paths = [...document.querySelectorAll('[data-path]')].map(e => ({
    path: e.dataset.path, text: e.textContent}));
  const figures = [...document.querySelectorAll('figure[data-figure]')].map(f => {
    const svg = f.querySelector('svg');
    const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    return {name: f.dataset.figure, section: f.dataset.section, width: box.width,
            height: box.height, shapes: svg ? svg.querySelectorAll('path, use').length : 0};
  });
  return {values, paths, figures};
})()"""

# the device's width, not innerWidth: a mobile viewport widens to take in overflowing content
LAYOUT_JS = """((width) => {
  const cells = [...document.querySelectorAll('td.value, figure svg, table, h1')];
  return {width, scroll: document.documentElement.scrollWidth,
          outside: cells.filter(c => c.getBoundingClientRect().right > width + 0.5).length,
          cells: cells.length};
})(%d)"""
PHONE = (390, 844)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "flags"), RUNS, ids=RUN_IDS)
def test_every_example_page_in_chromium(chromium, analysed, name, flags, tmp_path):
    out = analysed(name, flags)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    url = (out / "report.html").resolve().as_uri()

    page = chromium.open(url, width=1280, height=800)
    try:
        found = page.evaluate(VALUES_JS)
        check_values(found["values"], found["paths"], report)
        listed = [(k, f) for k, s in report["sections"].items() for f in s["figures"]]
        assert [(f["section"], f"{f['name']}.png") for f in found["figures"]] == listed
        for figure in found["figures"]:
            assert figure["width"] > 100 and figure["height"] > 100, figure
            assert figure["shapes"] > 0, figure
        png = page.screenshot(tmp_path / f"{name}.png")
        assert png[:8] == PNG_MAGIC
        (width,) = struct.unpack(">I", png[16:20])
        assert width == 1280
        page.emulate_media("print")
        assert page.evaluate("getComputedStyle(document.querySelector('nav.toc')).display") == (
            "none"
        )
        assert page.pdf()[:5] == b"%PDF-"
        assert page.problems() == []
    finally:
        page.close()

    phone = chromium.open(url, width=PHONE[0], height=PHONE[1], mobile=True)
    try:
        layout = phone.evaluate(LAYOUT_JS % PHONE[0])
        assert layout["scroll"] <= layout["width"], layout  # no sideways scrolling
        assert layout["outside"] == 0, layout
        phone.screenshot(tmp_path / f"{name}-phone.png")
        assert phone.problems() == []
    finally:
        phone.close()


def test_the_browser_check_sees_errors_and_requests(chromium, tmp_path):
    """The checks above can fail: a page that logs an error, throws and fetches is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><body><p>bad</p>"
        '<img src="http://127.0.0.1:9/missing.png">'
        "<script>console.error('broken on purpose'); undefinedFunction();</script>"
        "</body></html>",
        encoding="utf-8",
    )
    page = chromium.open(bad.as_uri(), width=800, height=600)
    try:
        problems = "\n".join(page.problems())
    finally:
        page.close()
    assert "console.error: broken on purpose" in problems
    assert "exception:" in problems
    assert "request: http://127.0.0.1:9/missing.png" in problems
