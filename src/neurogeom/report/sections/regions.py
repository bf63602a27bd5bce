"""Report section: activation cells and linear regions, on R^n and (up to 3 inputs) on a box."""

from __future__ import annotations

import time
from typing import Any

from neurogeom.core.domain import Domain
from neurogeom.core.errors import BackendUnavailableError
from neurogeom.report.registry import (
    Figure,
    Item,
    Section,
    SectionContext,
    SectionResult,
    register,
)

__all__ = ["DEFAULT_BOX", "SECTION"]

#: The box on which pictures and bounded counts of low-dimensional nets are made.
DEFAULT_BOX = (-3, 3)

_DEFINITIONS = {
    "activation_regions": "full-dimensional cells of constant activation pattern",
    "linear_regions": "maximal unions of same-map cells joined across shared facets",
    "linear_regions_point_connected": "same-map cells joined wherever they touch",
    "bounded_regions": "bounded facet-connected linear regions",
}


def _applies(net: Any) -> str | None:
    from neurogeom.nets import ReLUNet

    if not isinstance(net, ReLUNet):
        return "linear regions are defined for piecewise-linear (ReLU) networks"
    return None


def _items(res: Any, where: str) -> list[Item]:
    label = "R^n" if res.domain.kind == "space" else res.domain.describe()
    exact = res.exact and res.certified and res.complete
    return [
        Item(
            f"{name.replace('_', ' ')} on {label}",
            value,
            _DEFINITIONS[name],
            exact,
            f"{where}.{name}",
        )
        for name, value in res.counts().items()
    ]


def _compute(ctx: SectionContext) -> SectionResult:
    from neurogeom.regions import enumerate_regions

    started = time.monotonic()
    net = ctx.net
    data: dict[str, Any] = {}
    items: list[Item] = []
    figures: list[Figure] = []
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
    complete = whole.complete
    c = whole.counts()
    summary = (
        f"on R^{net.n_inputs}: {c['activation_regions']} activation regions, "
        f"{c['linear_regions']} linear regions"
    )
    if net.n_inputs <= 3:
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
        complete &= boxed.complete
        summary += f"; on {boxed.domain.describe()}: {boxed.linear_regions} linear regions"
        if net.n_inputs == 2 and ctx.figures:
            try:
                ax = boxed.plot(title=f"{ctx.name} on {boxed.domain.describe()}")
                figures.append(
                    Figure.from_matplotlib(
                        ax.figure,
                        name="regions",
                        title="The input partition",
                        caption="Activation cells coloured by linear region (cells with the same "
                        "affine map share a colour); the black curve is the decision boundary "
                        "f(x) = 0.",
                    )
                )
            except BackendUnavailableError as exc:
                data["figure_unavailable"] = str(exc)
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
    )


SECTION = register(Section("regions", "Linear regions", 10, _applies, _compute))
