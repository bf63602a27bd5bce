"""One self-contained HTML page for a report: inline CSS and SVG figures, no scripts, no network.

The page opens offline and prints: its only resources are inline (a Content-Security-Policy
forbids loading anything else), figures are inline SVG with text drawn as paths (no fonts to
fetch), and the layout adapts from a phone's width to a laptop's and to paper. Every value on
the page carries ``data-section`` and ``data-key`` attributes naming where it sits in
``report.json`` (``sections.<section>.data.<key>``, a dotted path) and its JSON form in
``data-json``; the other figures shown (time taken, summaries) carry ``data-path``, their dotted
path from the top of ``report.json``. The test suite checks the page against the JSON through
these attributes, in a browser.

:func:`render_fragment` is the same content without the page around it (``Report._repr_html_``
uses it for Jupyter); its style rules only apply inside its ``ng-report`` element.
"""

from __future__ import annotations

import html
import json
import re
from fractions import Fraction
from typing import Any

from neurogeom._version import __version__

__all__ = ["format_value", "inline_svg", "render_fragment", "render_html"]

#: Exact fractions longer than this are shown rounded (the exact value is in a tooltip and JSON).
MAX_FRACTION_CHARS = 20

_CSS = """
.ng-report { --fg: #1d2330; --muted: #586174; --line: #d9dee7; --ok: #146c3f; --warn: #8f5100;
  --bad: #a11d2b; --card: #fff; --accent: #2b5fab;
  color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica,
  Arial, sans-serif; max-width: 1000px; margin: 0 auto; padding: 20px 16px 48px; }
.ng-report * { box-sizing: border-box; }
.ng-report .title { font-size: 1.6em; line-height: 1.2; margin: 0 0 8px; overflow-wrap: anywhere; }
.ng-report h2 { font-size: 1.25em; margin: 0 0 6px; display: flex; flex-wrap: wrap; gap: 4px 10px;
  align-items: baseline; }
.ng-report .facts { display: flex; flex-wrap: wrap; gap: 2px 18px; margin: 0; color: var(--muted);
  font-size: 0.9em; }
.ng-report .facts div { display: flex; gap: 6px; min-width: 0; }
.ng-report .facts dt { font-weight: 600; }
.ng-report .facts dd { margin: 0; overflow-wrap: anywhere; }
.ng-report nav.toc { margin: 16px 0 0; font-size: 0.92em; }
.ng-report nav.toc ol { margin: 4px 0 0; padding-left: 1.4em; }
.ng-report nav.toc li { margin: 2px 0; }
.ng-report a { color: var(--accent); }
.ng-report section { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  margin: 18px 0; padding: 14px 18px; }
.ng-report .summary { margin: 2px 0 10px; }
.ng-report .why { margin: 4px 0 10px; padding: 6px 10px; border-left: 3px solid var(--warn);
  background: #fff8ec; }
.ng-report .meta { color: var(--muted); font-size: 0.85em; margin: 10px 0 0; }
.ng-report .badge { font-size: 0.72em; font-weight: 600; border-radius: 10px; padding: 1px 8px;
  border: 1px solid; white-space: nowrap; }
.ng-report .badge.ok { color: var(--ok); }
.ng-report .badge.incomplete { color: var(--warn); }
.ng-report .badge.failed { color: var(--bad); }
.ng-report .badge.na { color: var(--muted); }
.ng-report table { border-collapse: collapse; width: 100%; margin: 6px 0; }
.ng-report th, .ng-report td { text-align: left; padding: 5px 8px; border-bottom: 1px solid
  var(--line); vertical-align: baseline; }
.ng-report thead th { font-size: 0.82em; color: var(--muted); font-weight: 600; }
.ng-report tbody th { font-weight: 400; }
.ng-report td.value { font-variant-numeric: tabular-nums; font-weight: 650; white-space: nowrap; }
.ng-report .kind { font-size: 0.8em; white-space: nowrap; }
.ng-report .kind.exact { color: var(--ok); }
.ng-report .kind.estimate { color: var(--warn); }
.ng-report td.definition { color: var(--muted); font-size: 0.88em; }
.ng-report ul.notes { margin: 8px 0 0; padding-left: 1.2em; color: var(--muted);
  font-size: 0.88em; }
.ng-report figure { margin: 16px 0 0; }
.ng-report figure .plot { max-width: 680px; }
.ng-report figure svg { display: block; width: 100%; height: auto; }
.ng-report figcaption { color: var(--muted); font-size: 0.88em; margin-top: 4px; }
.ng-report footer { color: var(--muted); font-size: 0.8em; text-align: center; margin-top: 24px; }
@media (max-width: 640px) {
  .ng-report { padding: 12px 10px 32px; font-size: 14px; }
  .ng-report section { padding: 10px 12px; }
  .ng-report table, .ng-report tbody, .ng-report tr, .ng-report th, .ng-report td {
    display: block; }
  .ng-report thead { display: none; }
  .ng-report tr { padding: 6px 0; border-bottom: 1px solid var(--line); }
  .ng-report th, .ng-report td { border: 0; padding: 0; }
  .ng-report tbody th { font-weight: 600; }
  .ng-report td.value, .ng-report td.kind-cell { display: inline; margin-right: 8px; }
}
@media print {
  .ng-report { max-width: none; padding: 0; font-size: 11pt; }
  .ng-report nav.toc { display: none; }
  .ng-report section { border: 0; padding: 0; margin: 0 0 14pt; }
  .ng-report figure, .ng-report tr, .ng-report .summary { break-inside: avoid; }
  .ng-report figure .plot { max-width: 15cm; }
  .ng-report h2 { break-after: avoid; }
  .ng-report a { color: inherit; text-decoration: none; }
}
"""

_PAGE_CSS = """
html { color-scheme: light; }
body { margin: 0; background: #f6f8fb; }
@media print { body { background: #fff; } }
"""

# nothing but what the page holds: inline styles, inline or data: images, no scripts
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"

_FRACTION = re.compile(r"-?\d+/\d+")


def format_value(value: Any) -> str:
    """How a value is written on the page.

    Lists of widths as ``2-12-1``, floats to 6 significant digits, exact fractions as ``p/q``
    unless longer than :data:`MAX_FRACTION_CHARS` characters, then rounded and marked ``≈``.

    Examples
    --------
    >>> format_value([2, 12, 1]), format_value(0.125), format_value(None), format_value("1/3")
    ('2-12-1', '0.125', '—', '1/3')
    >>> format_value("123456789012345678901/3"), format_value(True)
    ('≈ 4.11523e+19', 'yes')
    """
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "-".join(format_value(v) for v in value)
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, str) and len(value) > MAX_FRACTION_CHARS and _FRACTION.fullmatch(value):
        return f"≈ {float(Fraction(value)):.6g}"
    return str(value)


def inline_svg(svg: str, prefix: str, label: str) -> str:
    """An SVG document made ready to sit inside an HTML page among other SVGs.

    Drops the XML prolog and the metadata (matplotlib's holds the date), prefixes every ``id``
    and every reference to one with ``prefix`` (several figures on one page would otherwise
    share ids, and a clip path could be taken from the wrong figure), and labels the image for
    screen readers.

    Examples
    --------
    >>> doc = ('<?xml version="1.0"?>\\n<svg width="10pt"><metadata>x</metadata>'
    ...        '<clipPath id="c1"/><g clip-path="url(#c1)"><use xlink:href="#c1"/></g></svg>')
    >>> print(inline_svg(doc, "fig", "A & B"))
    <svg role="img" aria-label="A &amp; B" width="10pt"><clipPath id="fig-c1"/><g \
clip-path="url(#fig-c1)"><use xlink:href="#fig-c1"/></g></svg>
    """
    start = svg.find("<svg")
    body = svg[start:] if start >= 0 else svg
    body = re.sub(r"<metadata>.*?</metadata>\s*", "", body, flags=re.DOTALL)
    body = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', body)
    body = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", body)
    body = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', body)
    attrs = f'<svg role="img" aria-label="{html.escape(label)}"'
    return attrs + body[len("<svg") :] if body.startswith("<svg") else body.strip()


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _badge(status: str) -> str:
    cls = {"ok": "ok", "incomplete": "incomplete", "failed": "failed"}.get(status, "na")
    return f'<span class="badge {cls}">{_e(status)}</span>'


def _value_cell(section: str, item: Any) -> str:
    shown = format_value(item.value)
    exact = json.dumps(item.value)
    tooltip = f' title="exact: {_e(item.value)}"' if shown.startswith("≈") else ""
    return (
        f'<td class="value" data-section="{_e(section)}" data-key="{_e(item.key)}" '
        f'data-json="{_e(exact)}"{tooltip}>{_e(shown)}</td>'
    )


def _items_table(result: Any) -> str:
    rows = [
        f'<tr><th scope="row">{_e(item.label)}</th>{_value_cell(result.key, item)}'
        f'<td class="kind-cell"><span class="kind {"exact" if item.exact else "estimate"}">'
        f"{'exact' if item.exact else 'estimate'}</span></td>"
        f'<td class="definition">{_e(item.definition)}</td></tr>'
        for item in result.items
    ]
    return (
        '<table><thead><tr><th scope="col">quantity</th><th scope="col">value</th>'
        '<th scope="col">kind</th><th scope="col">definition</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _figure(result: Any, fig: Any, links: bool) -> str:
    svg = inline_svg(fig.svg, f"{result.key}-{fig.name}", fig.title)
    link = f' <a href="{_e(fig.name)}.png">PNG</a>' if links else ""
    return (
        f'<figure data-figure="{_e(fig.name)}" data-section="{_e(result.key)}" '
        f'id="fig-{_e(result.key)}-{_e(fig.name)}"><div class="plot">{svg}</div>'
        f"<figcaption><strong>{_e(fig.title)}.</strong> {_e(fig.caption)}{link}</figcaption>"
        "</figure>"
    )


def _section(result: Any, links: bool) -> str:
    key = result.key
    parts = [
        f'<section id="sec-{_e(key)}" data-section="{_e(key)}" data-status="{_e(result.status)}">',
        f"<h2>{_e(result.title)} {_badge(result.status)}</h2>",
        f'<p class="summary" data-path="sections.{_e(key)}.summary">{_e(result.summary)}</p>',
    ]
    if result.status != "ok" and result.reason:
        parts.append(
            f'<p class="why"><strong>Why:</strong> '
            f'<span data-path="sections.{_e(key)}.reason">{_e(result.reason)}</span></p>'
        )
    if result.items:
        parts.append(_items_table(result))
    notes = result.notes
    if notes:
        parts.append('<ul class="notes">' + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul>")
    parts += [_figure(result, fig, links) for fig in result.figures]
    if result.status != "not applicable":
        parts.append(
            f'<p class="meta">Computed in <span data-path="sections.{_e(key)}.seconds">'
            f"{result.seconds:.3f}</span> s.</p>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def _header(report: Any, tag: str) -> str:
    mode = "exact rationals" if report.exact else "floating point with certified checks"
    status = "complete" if report.complete else "incomplete (a time limit ran out)"
    facts = [
        ("source", _e(report.source)),
        ("arithmetic", _e(mode)),
        ("status", _e(status)),
        ("time", f'<span data-path="seconds">{report.seconds:.3f}</span> s'),
    ]
    return (
        f'<header><{tag} class="title">neurogeom report: {_e(report.name)}</{tag}>'
        '<dl class="facts">'
        + "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in facts)
        + "</dl></header>"
    )


def _toc(report: Any) -> str:
    entries = "".join(
        f'<li><a href="#sec-{_e(s.key)}">{_e(s.title)}</a> {_badge(s.status)}</li>'
        for s in report.sections
    )
    return (
        f'<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>{entries}</ol></nav>'
    )


def _content(report: Any, *, links: bool, tag: str) -> str:
    body = "\n".join(_section(s, links) for s in report.sections)
    return (
        f"{_header(report, tag)}\n{_toc(report)}\n{body}\n"
        f"<footer>neurogeom {_e(__version__)} · every number is also in report.json</footer>"
    )


def render_fragment(report: Any) -> str:
    """The report as one HTML element with its own scoped style (for Jupyter).

    Examples
    --------
    >>> import tempfile
    >>> from neurogeom import ReLUNet
    >>> from neurogeom.report.analyze import run_analysis
    >>> net = ReLUNet([[[1], [-1]], [[1, 1]]])
    >>> report = run_analysis(net, "abs", tempfile.mkdtemp(), progress=False, figures=False)
    >>> fragment = render_fragment(report)
    >>> fragment.startswith('<div class="ng-report">'), "<script" in fragment
    (True, False)
    """
    return (
        f'<div class="ng-report"><style>{_CSS}</style>'
        f"{_content(report, links=False, tag='h3')}</div>"
    )


def render_html(report: Any) -> str:
    """The report as one HTML document (UTF-8 text) that needs nothing but itself."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="neurogeom {_e(__version__)}">
<link rel="icon" href="data:,">
<title>neurogeom report: {_e(report.name)}</title>
<style>{_PAGE_CSS}{_CSS}</style>
</head>
<body>
<main class="ng-report">
{_content(report, links=True, tag="h1")}
</main>
</body>
</html>
"""
