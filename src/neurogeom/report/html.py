"""One self-contained HTML page for a report: inline CSS and figures, no scripts, no network.

Every value on the page carries ``data-section`` and ``data-key`` attributes naming where it sits
in ``report.json``, so the page can be checked against the numbers (the test suite does).
"""

from __future__ import annotations

import html
import json
from typing import Any

from neurogeom._version import __version__

__all__ = ["format_value", "render_html"]

_CSS = """
:root { --fg: #1d2330; --muted: #5b6475; --line: #d9dee7; --ok: #1b7f4b; --warn: #a15c00;
        --bad: #a11d2b; --bg: #fbfcfe; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
       background: var(--bg); margin: 0; }
main { max-width: 980px; margin: 0 auto; padding: 24px 20px 64px; }
header h1 { font-size: 24px; margin: 0 0 4px; }
header p { color: var(--muted); margin: 0; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 20px 0;
          padding: 16px 20px; }
section h2 { font-size: 19px; margin: 0 0 4px; display: flex; gap: 10px; align-items: baseline; }
.summary { margin: 4px 0 12px; }
.meta { color: var(--muted); font-size: 13px; }
.badge { font-size: 12px; border-radius: 10px; padding: 1px 8px; border: 1px solid; }
.badge.ok { color: var(--ok); } .badge.incomplete { color: var(--warn); }
.badge.failed { color: var(--bad); } .badge.na { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line);
         vertical-align: top; }
th { font-size: 13px; color: var(--muted); font-weight: 600; }
td.value { font-variant-numeric: tabular-nums; font-weight: 600; white-space: nowrap; }
td.kind { font-size: 12px; color: var(--muted); white-space: nowrap; }
td.definition { color: var(--muted); font-size: 13px; }
figure { margin: 16px 0 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; }
footer { color: var(--muted); font-size: 12px; text-align: center; }
"""


def format_value(value: Any) -> str:
    """How a value is written on the page (lists of widths as ``2-12-1``).

    Examples
    --------
    >>> format_value([2, 12, 1]), format_value(0.125), format_value(None), format_value("1/3")
    ('2-12-1', '0.125', '—', '1/3')
    """
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "-".join(format_value(v) for v in value)
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _badge(status: str) -> str:
    cls = {"ok": "ok", "incomplete": "incomplete", "failed": "failed"}.get(status, "na")
    return f'<span class="badge {cls}">{html.escape(status)}</span>'


def _section(result: Any) -> str:
    e = html.escape
    parts = [
        f'<section id="{e(result.key)}" data-section="{e(result.key)}" '
        f'data-status="{e(result.status)}">',
        f"<h2>{e(result.title)} {_badge(result.status)}</h2>",
        f'<p class="summary">{e(result.summary)}</p>',
    ]
    if result.reason and result.status != "ok":
        parts.append(f'<p class="meta">Why: {e(result.reason)}</p>')
    if result.items:
        parts.append(
            "<table><thead><tr><th>quantity</th><th>value</th><th>kind</th>"
            "<th>definition</th></tr></thead><tbody>"
        )
        for item in result.items:
            parts.append(
                f"<tr><td>{e(item.label)}</td>"
                f'<td class="value" data-section="{e(result.key)}" data-key="{e(item.key)}" '
                f"data-json='{e(json.dumps(item.value))}'>{e(format_value(item.value))}</td>"
                f'<td class="kind">{"exact" if item.exact else "estimate"}</td>'
                f'<td class="definition">{e(item.definition)}</td></tr>'
            )
        parts.append("</tbody></table>")
    for fig in result.figures:
        svg = fig.svg[fig.svg.find("<svg") :] if "<svg" in fig.svg else fig.svg
        parts.append(
            f'<figure data-figure="{e(fig.name)}">{svg}'
            f"<figcaption><strong>{e(fig.title)}.</strong> {e(fig.caption)}</figcaption></figure>"
        )
    if result.status != "not applicable":
        parts.append(f'<p class="meta">Computed in {result.seconds:.2f} s.</p>')
    parts.append("</section>")
    return "\n".join(parts)


def render_html(report: Any) -> str:
    """The report as one HTML document (UTF-8 text)."""
    e = html.escape
    mode = "exact arithmetic" if report.exact else "floating point with certified checks"
    body = "\n".join(_section(s) for s in report.sections)
    status = "complete" if report.complete else "incomplete (a time limit ran out)"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>neurogeom report: {e(report.name)}</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<header>
<h1>neurogeom report: {e(report.name)}</h1>
<p>Source {e(report.source)} · {e(mode)} · {e(status)} · {report.seconds:.1f} s</p>
</header>
{body}
<footer>neurogeom {e(__version__)} · numbers also in report.json</footer>
</main>
</body>
</html>
"""
