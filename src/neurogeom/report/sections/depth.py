"""Report section: the network's Newton pair ``(P, N)`` with ``f = h_P - h_N`` (sizes, dimensions,
lattice volumes), certified bounds on the number of hidden layers any network computing the same
function needs with weights in the network's own weight class (certificates in words), and for
2-input networks a figure of ``P`` and ``N``."""

from __future__ import annotations

import math
import time
from fractions import Fraction
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

__all__ = [
    "MAX_DENOMINATOR",
    "MAX_HIDDEN",
    "MAX_INPUTS",
    "SECTION",
    "SECTION_SECONDS",
    "pair_figure",
    "weight_class_of",
]

#: Largest input dimension and hidden-neuron count for which the exact Newton pair is attempted.
MAX_INPUTS = 6
MAX_HIDDEN = 16
#: Largest common weight denominator (float weights are exact binary fractions with huge ones).
MAX_DENOMINATOR = 10**6
#: Seconds this section may take at most, so that it never starves the sections after it.
SECTION_SECONDS = 30.0


def _applies(net: Any) -> str | None:
    from neurogeom.nets import ReLUNet

    if not isinstance(net, ReLUNet):
        return "Newton pairs and depth bounds are computed for ReLU networks"
    if net.negative_slope != 0:
        return "Newton pairs are computed for ReLU (not leaky-ReLU) networks"
    if net.n_inputs > MAX_INPUTS or net.n_hidden > MAX_HIDDEN:
        return (
            f"the exact Newton pair is attempted for at most {MAX_INPUTS} inputs and "
            f"{MAX_HIDDEN} hidden neurons (this network: {net.n_inputs} and {net.n_hidden}); "
            "use `neurogeom depth NET --time-limit S` to try anyway"
        )
    weights = weight_class_of(net)
    if weights.startswith("nary:") and int(weights[5:]) > MAX_DENOMINATOR:
        return (
            "the weights have a common denominator above 10^6 (float weights are exact binary "
            "fractions): depth bounds are computed for rational weights written as such; use "
            "`neurogeom depth NET --weights real` to try anyway"
        )
    return None


def weight_class_of(net: Any) -> str:
    """The smallest weight class holding every weight: ``integer`` or ``nary:D`` (D = lcm).

    Examples
    --------
    >>> from neurogeom.nets import ReLUNet
    >>> weight_class_of(ReLUNet([[[1, "1/2"]], [["1/3"]]], exact=True))
    'nary:6'
    """
    exact = net if net.exact else net.to_exact()
    den = 1
    for w, b in exact.layers:
        for v in [*w.flat, *b.flat]:
            den = math.lcm(den, Fraction(v).denominator)
    return "integer" if den == 1 else f"nary:{den}"


def pair_figure(pair: Any, *, title: str) -> Any:
    """Draw the polygons ``P`` and ``N`` of a pair in the plane (the recession pair if
    homogenised). Returns the matplotlib figure.

    Examples
    --------
    >>> from neurogeom.depth import function_pair
    >>> fig = pair_figure(function_pair("F_2"), title="F_2")
    >>> len(fig.axes)
    2
    """
    from neurogeom.core.figures import pyplot
    from neurogeom.core.polyhedra import order_polygon

    plt = pyplot()
    rec = pair.recession()
    fig, axes = plt.subplots(1, 2, figsize=(8.0, 3.8))
    for ax, poly, name, colour in (
        (axes[0], rec.positive, "P", "tab:blue"),
        (axes[1], rec.negative, "N", "tab:red"),
    ):
        pts = [[float(v) for v in p] for p in poly.vertices]
        if len(pts) >= 3 and poly.dim == 2:
            ring = order_polygon(pts)
            ax.fill(ring[:, 0], ring[:, 1], alpha=0.35, color=colour)
            ax.plot([*ring[:, 0], ring[0, 0]], [*ring[:, 1], ring[0, 1]], color=colour)
        elif len(pts) == 2:
            ax.plot([pts[0][0], pts[1][0]], [pts[0][1], pts[1][1]], color=colour, linewidth=2)
        ax.scatter([p[0] for p in pts], [p[1] for p in pts], color=colour, s=18, zorder=3)
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_title(f"{name}: {poly.n_vertices} vertices", fontsize=10)
        ax.set_xlabel("coefficient of $x_1$")
        ax.set_ylabel("coefficient of $x_2$")
        ax.grid(True, alpha=0.3)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig


def _compute(ctx: SectionContext) -> SectionResult:
    from neurogeom.depth import depth_bounds, newton_pair

    started = time.monotonic()
    net = ctx.net
    remaining = ctx.budget.remaining()
    limit = SECTION_SECONDS if remaining is None else min(remaining, SECTION_SECONDS)
    try:
        if limit <= 0:
            raise BudgetExceededError("no time left")
        pair = newton_pair(net, progress=ctx.progress, time_limit=limit)
    except BudgetExceededError:
        return SectionResult(
            "depth",
            "Newton pair and depth bounds",
            "incomplete",
            "the time limit ran out while building the Newton pair",
            seconds=time.monotonic() - started,
            reason="the time limit ran out while building the Newton pair",
        )
    weights = weight_class_of(net)
    left = limit - (time.monotonic() - started)
    bounds = depth_bounds(pair, weights=weights, time_limit=max(left, 1.0))
    upper = net.n_layers - 1
    sizes = pair.sizes()
    data: dict[str, Any] = {
        "pair": sizes,
        "homogenized": pair.homogenized,
        "weights": weights,
        "lower_bound": bounds.lower_bound,
        "upper_bound": upper,
        "certificates": [c.to_dict() for c in bounds.certificates],
    }
    items = []
    for side, label in (("positive", "P"), ("negative", "N")):
        s = sizes[side]
        items += [
            Item(
                f"{label}: vertices",
                s["vertices"],
                f"vertices of {label} in f = h_P - h_N (built layer by layer, pruned exactly)",
                True,
                f"pair.{side}.vertices",
            ),
            Item(
                f"{label}: dimension",
                s["dimension"],
                f"dimension of the affine hull of {label}",
                True,
                f"pair.{side}.dimension",
            ),
            Item(
                f"{label}: lattice volume",
                s["lattice_volume"],
                f"normalised volume Vol_d of {label} in the lattice of its affine hull",
                True,
                f"pair.{side}.lattice_volume",
            ),
        ]
    items += [
        Item(
            "depth lower bound",
            bounds.lower_bound,
            f"hidden layers any network with weights in {weights} needs for this function "
            "(certified)",
            True,
            "lower_bound",
        ),
        Item(
            "depth upper bound",
            upper,
            "hidden layers of this network",
            True,
            "upper_bound",
        ),
    ]
    notes = [c.explain() for c in bounds.certificates]
    if pair.homogenized:
        notes.append(
            "the network has biases: P and N live in R^(n+1) (bias as a last coordinate); volume "
            "bounds use the recession function"
        )
    notes += list(bounds.notes)
    figures = []
    if net.n_inputs == 2 and ctx.figures:
        with figures_or_reason(data):
            fig = pair_figure(pair, title=f"{ctx.name}: Newton pair (f = h_P - h_N)")
            figures.append(
                Figure.from_matplotlib(
                    fig,
                    name="depth_newton_pair",
                    title="Newton pair P and N",
                    caption="The network's function is h_P - h_N, with h_Q(x) = max over q in Q "
                    "of <q, x>"
                    + (
                        " (shown: the pair of the recession function)." if pair.homogenized else "."
                    ),
                )
            )
    complete = bounds.complete
    summary = (
        f"P has {sizes['positive']['vertices']} vertices, N {sizes['negative']['vertices']}; "
        f"depth between {bounds.lower_bound} and {upper} hidden layers ({weights} weights)"
    )
    return SectionResult(
        "depth",
        "Newton pair and depth bounds",
        "ok" if complete else "incomplete",
        summary,
        tuple(items),
        data,
        tuple(figures),
        seconds=time.monotonic() - started,
        reason="" if complete else "the time limit stopped the bound search",
        notes=tuple(notes),
    )


SECTION = register(Section("depth", "Newton pair and depth bounds", 55, _applies, _compute))
