"""Report section: the tropical form — monomial counts of the tropical rational map before and
after pruning, its effective radius, the number of linear regions per number of facets, and for
2-input nets a figure of the Newton polygons of the first output with their dual subdivisions."""

from __future__ import annotations

import time
from typing import Any

from neurogeom.core.errors import BudgetExceededError
from neurogeom.report.registry import (
    Figure,
    Item,
    Section,
    SectionContext,
    SectionResult,
    figures_or_reason,
    register,
)

__all__ = ["SECTION"]

#: Unpruned forms are expanded only when the bound on one product stays below this.
MAX_UNPRUNED = 20_000
#: The effective radius (Hoffman constants) is computed up to this many pruned monomials.
MAX_RADIUS_MONOMIALS = 40
#: Region statistics (facets per region) are computed up to this many pruned monomials and
#: this input dimension.
MAX_STATS_MONOMIALS = 40
MAX_STATS_DIM = 3


def _applies(net: Any) -> str | None:
    from neurogeom.nets import MaxoutNet, ReLUNet

    if isinstance(net, MaxoutNet):
        return None
    if not isinstance(net, ReLUNet):
        return "tropical forms are defined for ReLU, leaky-ReLU and maxout networks"
    if not 0 <= net.negative_slope <= 1:
        return "tropical forms need an activation slope in [0, 1]"
    return None


def _compute(ctx: SectionContext) -> SectionResult:
    from neurogeom.tropical import effective_radius, estimate_monomials, tropicalize

    started = time.monotonic()
    net = ctx.net
    est = estimate_monomials(net)
    data: dict[str, Any] = {"bound_before_merging": est.total}
    items: list[Item] = []
    notes: list[str] = []
    figures: list[Figure] = []
    remaining = ctx.budget.remaining()
    try:
        pruned = tropicalize(
            net, exact=ctx.exact, prune=True, time_limit=remaining, progress=ctx.progress
        )
    except BudgetExceededError as exc:
        return SectionResult(
            "tropical",
            "Tropical form",
            "incomplete",
            "the tropical form could not be expanded within the budget",
            data=data,
            seconds=time.monotonic() - started,
            reason=str(exc),
        )
    data["monomials_after_pruning"] = pruned.n_monomials
    data["outputs"] = [
        {"numerator_monomials": a, "denominator_monomials": b} for a, b in pruned.monomial_counts()
    ]
    before = None
    if est.largest <= MAX_UNPRUNED and not ctx.budget.expired():
        try:
            before = tropicalize(
                net, exact=ctx.exact, time_limit=ctx.budget.remaining(), progress=False
            ).n_monomials
        except BudgetExceededError:
            notes.append("the unpruned form was not expanded (time limit)")
    else:
        notes.append(
            f"the unpruned form was not expanded: up to {est.largest} monomials per product"
        )
    data["monomials_before_pruning"] = before
    items.append(
        Item(
            "monomials before pruning",
            before,
            "numerator plus denominator monomials of the ZNL recursion, duplicates merged",
            ctx.exact,
            "monomials_before_pruning",
        )
    )
    items.append(
        Item(
            "monomials after pruning",
            pruned.n_monomials,
            "monomials whose dominance region is full-dimensional (one LP each)",
            ctx.exact,
            "monomials_after_pruning",
        )
    )
    radius = None
    if pruned.n_monomials <= MAX_RADIUS_MONOMIALS and not ctx.budget.expired():
        # a float from LPs: nine significant decimals, the same on the page and in the JSON
        radius = round(effective_radius(pruned), 9)
    else:
        notes.append("the effective radius is computed for at most 40 pruned monomials")
    data["effective_radius"] = radius
    items.append(
        Item(
            "effective radius",
            radius,
            "R = H(f) · coefficient range: every linear region meets [-R, R]^n (float)",
            False,
            "effective_radius",
        )
    )
    per_facets = None
    stats_ok = pruned.n_monomials <= MAX_STATS_MONOMIALS and net.n_inputs <= MAX_STATS_DIM
    if stats_ok and not ctx.budget.expired():
        from neurogeom.tropical import region_statistics

        st = region_statistics(pruned, exact=ctx.exact)
        data["region_statistics"] = st.summary()
        per_facets = ", ".join(f"{k}: {v}" for k, v in st.regions_per_facets.items())
    else:
        notes.append(
            f"region statistics are computed for at most {MAX_STATS_MONOMIALS} pruned monomials "
            f"and {MAX_STATS_DIM} inputs"
        )
    data["regions_per_facets"] = per_facets
    items.append(
        Item(
            "regions per number of facets",
            per_facets,
            "facets: count of linear regions of the tropical map on R^n (facets by LP redundancy)",
            ctx.exact,
            "regions_per_facets",
        )
    )
    if net.n_inputs == 2 and ctx.figures:
        with figures_or_reason(data):
            from neurogeom.tropical.plot import newton_figure

            fig = newton_figure(pruned, title=f"{ctx.name}: Newton polygons of output 1")
            figures.append(
                Figure.from_matplotlib(
                    fig,
                    name="tropical_newton",
                    title="Newton polygons and dual subdivisions",
                    caption="The exponents of the pruned numerator and denominator of the first "
                    "output; cells are projections of the upper facets of the lifted exponents, "
                    "vertices are the monomials that own a linear region of each polynomial.",
                )
            )
    summary = f"{pruned.n_monomials} monomials after pruning" + (
        f" (from {before})" if before is not None else ""
    )
    if radius is not None:
        summary += f"; effective radius {radius:.4g}"
    return SectionResult(
        "tropical",
        "Tropical form",
        "ok",
        summary,
        tuple(items),
        data,
        tuple(figures),
        seconds=time.monotonic() - started,
        notes=tuple(notes),
    )


SECTION = register(Section("tropical", "Tropical form", 20, _applies, _compute))
