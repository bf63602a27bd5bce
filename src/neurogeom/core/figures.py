"""Saving matplotlib figures: atomically, at print quality, or inline as SVG for HTML pages.

matplotlib is optional (the ``figures`` extra); it is imported only when a figure is drawn.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.files import atomic_path
from neurogeom.core.optional import require

__all__ = ["DPI", "check_figure_target", "figure_svg", "pyplot", "save_figure"]

#: Resolution of raster figures (print quality).
DPI = 200


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the non-interactive Agg backend (never opens a window)."""
    matplotlib = require("matplotlib", extra="figures")
    if matplotlib.get_backend().lower() != "agg":
        matplotlib.use("Agg")
    return require("matplotlib.pyplot", extra="figures")


def check_figure_target(target: str | Path) -> Path:
    """Refuse a figure file that cannot be written, before any long computation.

    Examples
    --------
    >>> check_figure_target("/no/such/folder/fig.png")
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.InvalidInputError: cannot write /no/such/folder/fig.png: the folder ...
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInputError(f"cannot write {target}: the folder {folder} does not exist")
    figure = require("matplotlib.figure", extra="figures")
    supported = figure.Figure().canvas.get_supported_filetypes()
    suffix = target.suffix.lstrip(".").lower()
    if suffix not in supported:
        raise InvalidInputError(
            f"cannot write {target}: unknown image format "
            f"{suffix or 'files without a suffix'!r}; use one of {', '.join(sorted(supported))}"
        )
    return target


def save_figure(figure: Any, target: str | Path) -> Path:
    """Write ``figure`` to ``target`` (format from the suffix, raster at :data:`DPI`), atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> fig = pyplot().figure()
    >>> out = save_figure(fig, pathlib.Path(tempfile.mkdtemp()) / "empty.svg")
    >>> out.read_text()[:5]
    '<?xml'
    """
    target = check_figure_target(target)
    with atomic_path(target) as tmp:
        figure.savefig(tmp, format=target.suffix.lstrip(".").lower(), dpi=DPI, bbox_inches="tight")
    return target


def figure_svg(figure: Any) -> str:
    """The figure as an SVG document (text), for inlining in an HTML page.

    Examples
    --------
    >>> "<svg" in figure_svg(pyplot().figure())
    True
    """
    buf = io.StringIO()
    figure.savefig(buf, format="svg", bbox_inches="tight")
    return buf.getvalue()
