"""The report registry: each analysis contributes a section to ``neurogeom analyze``.

A :class:`Section` says whether it applies to a network, computes its results within a budget,
and returns a :class:`SectionResult`: numbers with their definitions (:class:`Item`), its JSON
data, and figures. Sections live in :mod:`neurogeom.report.sections`, one module per analysis,
and register themselves with :func:`register` when that package is imported. The report runs
them in ``order``; a section that does not apply, runs out of budget or fails says why instead of
breaking the report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from neurogeom.core.budget import Budget
from neurogeom.core.errors import BackendUnavailableError

__all__ = [
    "Figure",
    "Item",
    "Section",
    "SectionContext",
    "SectionResult",
    "figures_or_reason",
    "register",
    "registered_sections",
]

Status = Literal["ok", "incomplete", "not applicable", "failed"]


@dataclass(frozen=True, slots=True)
class Item:
    """One number (or short value) of a section, with what it means.

    Attributes
    ----------
    label : str
        Short name shown in the report ("linear regions").
    value : int, float, str or None
        The value; rationals as ``"p/q"`` strings.
    definition : str
        One line: the definition used.
    exact : bool
        Whether the value is exact (certified) or an estimate / float result.
    key : str
        Where the value sits in the section's JSON data (dotted path), so that the page and the
        JSON can be checked against each other.
    """

    label: str
    value: Any
    definition: str
    exact: bool
    key: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "label": self.label,
            "value": self.value,
            "definition": self.definition,
            "exact": self.exact,
            "key": self.key,
        }


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure of a section: a matplotlib figure kept as SVG text (inlined in the HTML page).

    Attributes
    ----------
    name : str
        File stem (``"regions"`` is written as ``regions.png`` beside the report).
    title : str
    caption : str
        What it shows, one or two sentences.
    svg : str
        The SVG document.
    png : bytes
        The same figure as PNG at print resolution.
    """

    name: str
    title: str
    caption: str
    svg: str = field(repr=False)
    png: bytes = field(repr=False)

    @classmethod
    def from_matplotlib(cls, figure: Any, *, name: str, title: str, caption: str) -> Figure:
        """Render a matplotlib figure (and close it)."""
        import io

        from neurogeom.core.figures import DPI, figure_svg, pyplot

        svg = figure_svg(figure)
        buf = io.BytesIO()
        figure.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
        pyplot().close(figure)
        return cls(name, title, caption, svg, buf.getvalue())


@dataclass(frozen=True, slots=True)
class SectionContext:
    """What a section computes on: the network, how, and within which budget."""

    net: Any
    name: str
    exact: bool
    budget: Budget
    progress: bool
    figures: bool = True


@dataclass(frozen=True, slots=True)
class SectionResult:
    """A section of the report, computed (or the reason it was not).

    Attributes
    ----------
    key, title : str
        As the :class:`Section`'s.
    status : {"ok", "incomplete", "not applicable", "failed"}
    summary : str
        One line: what was computed and found.
    items : tuple of Item
        The numbers, each with its definition.
    data : dict
        The section's JSON (every item's value sits in it at the item's ``key``).
    figures : tuple of Figure
    seconds : float
        Time taken.
    reason : str
        Why the section is not ``"ok"`` (empty when it is).
    notes : tuple of str
        Further one-line remarks shown under the numbers (how it was computed, what was left
        out, what could not be certified).
    """

    key: str
    title: str
    status: Status
    summary: str
    items: tuple[Item, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    figures: tuple[Figure, ...] = ()
    seconds: float = 0.0
    reason: str = ""
    notes: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether nothing was cut short by the budget."""
        return self.status != "incomplete"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (figures by file name)."""
        return {
            "title": self.title,
            "status": self.status,
            "summary": self.summary,
            "reason": self.reason or None,
            "seconds": round(self.seconds, 3),
            "items": [i.to_dict() for i in self.items],
            "figures": [f"{f.name}.png" for f in self.figures],
            "notes": list(self.notes),
            "data": self.data,
        }


@dataclass(frozen=True, slots=True)
class Section:
    """A registered report section.

    Attributes
    ----------
    key : str
        Its key in ``report.json`` (``"regions"``).
    title : str
    order : int
        Sections run and appear in increasing order.
    applies : callable
        ``applies(net) -> None`` if the section applies, else a one-line reason it does not.
    compute : callable
        ``compute(context) -> SectionResult``; it honours ``context.budget`` and returns a
        result marked ``"incomplete"`` when the budget ran out.
    """

    key: str
    title: str
    order: int
    applies: Callable[[Any], str | None]
    compute: Callable[[SectionContext], SectionResult]


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> Section:
    """Add a section to the report (a later registration with the same key replaces it)."""
    _SECTIONS[section.key] = section
    return section


def registered_sections() -> tuple[Section, ...]:
    """The registered sections, in report order.

    Examples
    --------
    >>> import neurogeom.report.sections  # registers the built-in sections
    >>> from neurogeom.report import registry  # (not this module's name under every pytest)
    >>> "regions" in [s.key for s in registry.registered_sections()]
    True
    """
    return tuple(sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)))


@contextmanager
def figures_or_reason(data: dict[str, Any]) -> Iterator[None]:
    """Draw a section's figures inside this block; without a plotting backend the section keeps
    its numbers and says why its figures are missing (``data["figure_unavailable"]``).

    Examples
    --------
    >>> data = {}
    >>> with figures_or_reason(data):
    ...     raise BackendUnavailableError("this needs matplotlib")
    >>> data
    {'figure_unavailable': 'this needs matplotlib'}
    """
    try:
        yield
    except BackendUnavailableError as exc:
        data["figure_unavailable"] = str(exc)
