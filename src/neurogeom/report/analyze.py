"""The main job: run every analysis that applies to a network and write a report folder.

``run_analysis`` runs the registered sections (:mod:`neurogeom.report.registry`) in order under
one budget for the whole job, then writes ``report.json`` (every number), ``report.html`` (one
self-contained page: figures inlined as SVG, no network access; see
:mod:`neurogeom.report.html`) and each figure as a PNG at print resolution. The files land
together: each is written to a temporary file first and all are renamed into place once every
one was written. A section that does not apply, runs out of time or fails says so in the report
instead of breaking it.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neurogeom._version import __version__
from neurogeom.core.budget import Budget
from neurogeom.core.errors import BackendUnavailableError, InvalidInputError, NeurogeomError
from neurogeom.core.files import atomic_path
from neurogeom.report.registry import SectionContext, SectionResult, registered_sections

__all__ = ["Report", "run_analysis"]


@dataclass(frozen=True, slots=True)
class Report:
    """A finished report: where it came from and its sections.

    ``to_dict()`` is ``report.json``; in Jupyter it renders as the HTML report (without the
    page around it).
    """

    source: str
    name: str
    exact: bool
    sections: tuple[SectionResult, ...]
    seconds: float

    @property
    def complete(self) -> bool:
        """Whether every section finished within the budget."""
        return all(s.complete for s in self.sections)

    def section(self, key: str) -> SectionResult:
        """The section with this key."""
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (what ``report.json`` holds)."""
        return {
            "neurogeom": __version__,
            "source": self.source,
            "name": self.name,
            "exact": self.exact,
            "complete": self.complete,
            "seconds": round(self.seconds, 3),
            "sections": {s.key: s.to_dict() for s in self.sections},
        }

    def _repr_html_(self) -> str:
        """The report's sections, numbers and figures, for Jupyter."""
        from neurogeom.report.html import render_fragment

        return render_fragment(self)

    def text(self, out_dir: Path | None = None) -> str:
        """The summary printed by ``neurogeom analyze``."""
        lines = [f"neurogeom {__version__}: {self.source}"]
        for s in self.sections:
            if s.status == "not applicable":
                continue
            flag = "" if s.status == "ok" else f"  [{s.status}: {s.reason}]"
            lines.append(f"  {s.title.lower()}: {s.summary}{flag}")
        if out_dir is not None:
            lines.append(f"  report: {out_dir / 'report.html'} (numbers in report.json)")
        return "\n".join(lines)


def _run_section(section: Any, ctx: SectionContext) -> SectionResult:
    reason = section.applies(ctx.net)
    if reason is not None:
        return SectionResult(section.key, section.title, "not applicable", reason, reason=reason)
    if ctx.budget.expired():
        return SectionResult(
            section.key,
            section.title,
            "incomplete",
            "not run: the time limit ran out before this section",
            reason="the time limit ran out before this section",
        )
    started = time.monotonic()
    try:
        return section.compute(ctx)
    except BackendUnavailableError as exc:
        why = str(exc)
    except NeurogeomError as exc:
        if isinstance(exc, InvalidInputError):
            raise
        why = f"{type(exc).__name__}: {exc}"
    return SectionResult(
        section.key,
        section.title,
        "failed",
        why,
        seconds=time.monotonic() - started,
        reason=why,
    )


def run_analysis(
    net: Any,
    source: str,
    out_dir: str | Path,
    *,
    name: str | None = None,
    exact: bool = False,
    time_limit: float | None = 120.0,
    progress: bool = True,
    figures: bool = True,
) -> Report:
    """Analyse ``net`` with every section that applies; write the report folder.

    Parameters
    ----------
    net : ReLUNet or RationalNet
    source : str
        Where the network came from (shown in the report).
    out_dir : path
        Folder for ``report.html``, ``report.json`` and the figures (created if needed).
    name : str, optional
        Short name for titles (default: the file name of ``source``).
    exact : bool
        Exact arithmetic where an analysis offers it.
    time_limit : float, optional
        Seconds for the whole job; sections cut short are marked incomplete.
    progress : bool
        Progress bars on stderr.
    figures : bool
        Draw figures (needs matplotlib).

    Returns
    -------
    Report

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from neurogeom import ReLUNet
    >>> net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> report = run_analysis(net, "max2", out, progress=False, figures=False)
    >>> report.section("regions").data["whole_space"]["linear_regions"]
    2
    >>> sorted(p.name for p in out.iterdir())
    ['report.html', 'report.json']
    """
    import neurogeom.report.sections  # noqa: F401 - registers the built-in sections
    from neurogeom.report.html import render_html

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InvalidInputError(f"--out {out} exists and is not a folder")
    budget = Budget.start(time_limit=time_limit)
    label = name or Path(source).stem
    ctx = SectionContext(net, label, exact, budget, progress, figures)
    results = tuple(_run_section(section, ctx) for section in registered_sections())
    report = Report(source, label, exact, results, budget.elapsed())
    out.mkdir(parents=True, exist_ok=True)
    # every file is written to a temporary first; all are renamed into place only when every
    # one was written, so a failure leaves the folder as it was
    with contextlib.ExitStack() as stack:
        for section in results:
            for fig in section.figures:
                stack.enter_context(atomic_path(out / f"{fig.name}.png")).write_bytes(fig.png)
        stack.enter_context(atomic_path(out / "report.json")).write_text(
            json.dumps(report.to_dict(), indent=2), encoding="utf-8"
        )
        stack.enter_context(atomic_path(out / "report.html")).write_text(
            render_html(report), encoding="utf-8"
        )
    return report
