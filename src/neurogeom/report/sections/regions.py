"""Report section: activation cells and linear regions, on R^n and (up to 3 inputs) on a box.

On the box it also measures the cells (exact volumes in exact mode) and draws what people would
rather look at than read: for 2 inputs the partition coloured by linear region with the decision
boundary, for 1 input the graph of the function with its breakpoints, and a histogram of the
cells' sizes.
"""

from __future__ import annotations

import time
from fractions import Fraction
from typing import Any

from neurogeom.core.domain import Domain
from neurogeom.core.rationals import fraction_to_json
from neurogeom.report.registry import (
    Figure,
    Item,
    Section,
    SectionContext,
    SectionResult,
    figures_or_reason,
    register,
)

__all__ = ["DEFAULT_BOX", "MAX_BOX_DIM", "SECTION"]

#: The box on which pictures, volumes and bounded counts of low-dimensional nets are made.
DEFAULT_BOX = (-3, 3)
#: Largest input dimension for which the box is enumerated (with volumes).
MAX_BOX_DIM = 3


def _applies(net: Any) -> str | None:
    from neurogeom.nets import ReLUNet

    if not isinstance(net, ReLUNet):
        return "linear regions are defined for piecewise-linear (ReLU) networks"
    return None


def _items(res: Any, where: str) -> list[Item]:
    from neurogeom.regions.result import DEFINITIONS

    label = res.domain.describe()
    exact = res.exact and res.certified and res.complete
    return [
        Item(
            f"{name.replace('_', ' ')} on {label}",
            value,
            DEFINITIONS[name],
            exact,
            f"{where}.{name}",
        )
        for name, value in res.counts().items()
    ]


def _certification(res: Any) -> str:
    where = res.domain.describe()
    if res.exact:
        return f"on {where}: exact rational arithmetic, every cell has an exact interior point"
    if res.certified:
        return (
            f"on {where}: floating point; no decision came within the tolerance band, so the "
            "counts hold for every tolerance near the one used"
        )
    return (
        f"on {where}: floating point; {len(res.uncertified)} decision(s) came within the "
        "tolerance band (listed in report.json; --exact certifies them)"
    )


def _json_number(value: Any) -> Any:
    return fraction_to_json(value) if isinstance(value, Fraction | int) else float(value)


def _volume_summary(res: Any) -> tuple[dict[str, Any], list[Item], list[str]]:
    """Smallest, median, largest and total cell volume on the box, as JSON and items."""
    from neurogeom.regions.plot import volume_histogram

    volumes = sorted(c.volume for c in res.cells if c.volume is not None)
    notes = []
    if len(volumes) < len(res.cells):
        notes.append(f"{len(res.cells) - len(volumes)} cell(s) have no volume (time limit)")
    if not volumes:
        return {}, [], notes
    histogram = volume_histogram(res)
    measure = histogram.measure
    total = sum(volumes, Fraction(0)) if res.exact else float(sum(volumes))
    data = {
        "measure": measure,
        "cells": len(volumes),
        "smallest": _json_number(volumes[0]),
        "median": _json_number(volumes[(len(volumes) - 1) // 2]),
        "largest": _json_number(volumes[-1]),
        "total": _json_number(total),
        "box": _json_number(res.domain.volume()),
        "histogram": histogram.to_dict(),
    }
    exact = res.exact and res.complete
    where = res.domain.describe()
    items = [
        Item(
            f"{label} cell {measure} on {where}",
            data[key],
            definition,
            exact,
            f"cell_volumes.{key}",
        )
        for label, key, definition in (
            ("smallest", "smallest", f"least {measure} of an activation cell in the box"),
            ("median", "median", f"lower median of the cells' {measure}s"),
            ("largest", "largest", f"greatest {measure} of an activation cell in the box"),
            ("total", "total", f"sum of the cells' {measure}s (the box's when they tile it)"),
        )
    ]
    items.append(
        Item(f"box {measure}", data["box"], f"{measure} of {where}", True, "cell_volumes.box")
    )
    return data, items, notes


def _figures(ctx: SectionContext, boxed: Any) -> list[Figure]:
    """The partition (2 inputs) or the function (1 input), and the histogram of cell sizes."""
    from neurogeom.regions.plot import plot_cell_volumes, plot_regions

    where = boxed.domain.describe()
    c = boxed.counts()
    counts = f"{c['linear_regions']} linear regions, {c['activation_regions']} activation cells"
    figures = []
    if boxed.n_inputs == 2:
        from matplotlib.collections import LineCollection

        ax = plot_regions(
            boxed, title=f"{ctx.name} on {where}\n{counts}", annotate=c["linear_regions"] <= 12
        )
        drawn = any(isinstance(item, LineCollection) for item in ax.collections)
        if boxed.n_outputs == 1:
            boundary = (
                "The black curve is the decision boundary f(x) = 0."
                if drawn
                else "f does not change sign in the box: there is no decision boundary to draw."
            )
        else:
            boundary = (
                "The black curve is the decision boundary (where the largest output changes)."
                if drawn
                else "One output is the largest throughout the box: no decision boundary."
            )
        figures.append(
            Figure.from_matplotlib(
                ax.figure,
                name="regions",
                title=f"The input partition of {ctx.name} on {where}",
                caption="Activation cells (thin grey edges) filled by linear region: cells with "
                "the same affine map share a colour, and regions that share a facet never do. "
                + boundary,
            )
        )
    elif boxed.n_inputs == 1:
        ax = plot_regions(boxed, title=f"{ctx.name} on {where}\n{counts}")
        figures.append(
            Figure.from_matplotlib(
                ax.figure,
                name="function",
                title=f"The function {ctx.name} on {where}",
                caption="The network's graph, drawn exactly piece by piece, over its linear "
                "regions (background colours); filled dots are kinks, open dots activation "
                "boundaries where the map does not change.",
            )
        )
    if any(cell.volume is not None for cell in boxed.cells):
        ax = plot_cell_volumes(
            boxed, title=f"{ctx.name}: sizes of the {len(boxed.cells)} cells on {where}"
        )
        figures.append(
            Figure.from_matplotlib(
                ax.figure,
                name="cell_volumes",
                title=f"Cell sizes of {ctx.name} on {where}",
                caption="How many activation cells have each size ("
                + ("exact volumes" if boxed.exact else "volumes in floating point")
                + ", binned; equal bins on a log scale when sizes spread over more than a "
                "factor 10); the dashed line is the mean, the box's size divided by the number "
                "of cells.",
            )
        )
    return figures


def _compute(ctx: SectionContext) -> SectionResult:
    from neurogeom.regions import enumerate_regions

    started = time.monotonic()
    net = ctx.net
    data: dict[str, Any] = {}
    items: list[Item] = []
    figures: list[Figure] = []
    notes: list[str] = []
    remaining = ctx.budget.remaining()
    # half of what is left for R^n, the rest for the box
    whole = enumerate_regions(
        net,
        exact=ctx.exact,
        time_limit=None if remaining is None else max(remaining / 2, 0.1),
        progress=ctx.progress,
        volumes=False,
    )
    data["whole_space"] = whole.to_dict()
    items += _items(whole, "whole_space")
    notes.append(_certification(whole))
    complete = whole.complete
    c = whole.counts()
    summary = (
        f"on R^{net.n_inputs}: {c['activation_regions']} activation regions, "
        f"{c['linear_regions']} linear regions"
    )
    if net.n_inputs <= MAX_BOX_DIM:
        lo, hi = DEFAULT_BOX
        left = ctx.budget.remaining()
        boxed = enumerate_regions(
            net,
            domain=Domain.box(lo, hi, dim=net.n_inputs),
            exact=ctx.exact,
            time_limit=None if left is None else max(left, 0.1),
            progress=ctx.progress,
            volumes=True,
        )
        data["box"] = boxed.to_dict()
        items += _items(boxed, "box")
        notes.append(_certification(boxed))
        complete &= boxed.complete
        summary += f"; on {boxed.domain.describe()}: {boxed.linear_regions} linear regions"
        volumes, volume_items, volume_notes = _volume_summary(boxed)
        if volumes:
            data["cell_volumes"] = volumes
            items += volume_items
        notes += volume_notes
        if ctx.figures:
            with figures_or_reason(data):
                figures = _figures(ctx, boxed)
            if "figure_unavailable" in data:
                notes.append(f"no figures: {data['figure_unavailable']}")
    else:
        notes.append(
            f"cells are measured and drawn on a box for up to {MAX_BOX_DIM} inputs; this "
            f"network has {net.n_inputs}"
        )
    return SectionResult(
        "regions",
        "Linear regions",
        "ok" if complete else "incomplete",
        summary,
        tuple(items),
        data,
        tuple(figures),
        seconds=time.monotonic() - started,
        reason="" if complete else "the time limit ran out; counts are lower bounds",
        notes=tuple(notes),
    )


SECTION = register(Section("regions", "Linear regions", 10, _applies, _compute))
