"""Report section: parameter symmetries — the canonical form of a shallow net (kink hyperplanes,
dead and redundant neurons), the moves that keep its function, its narrowest width, and the
functional dimension against the parameter count (any depth); for shallow nets with two inputs a
figure of the kink lines coloured by their coefficient."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from neurogeom.report.registry import (
    Figure,
    Item,
    Section,
    SectionContext,
    SectionResult,
    figures_or_reason,
    register,
)

__all__ = ["SECTION", "kink_figure"]

#: Half-width of the square on which the kink lines of a 2-input net are drawn (at least).
FIGURE_HALF_WIDTH = 3.0


def _applies(net: Any) -> str | None:
    from neurogeom.nets import ReLUNet

    if not isinstance(net, ReLUNet):
        return "parameter symmetries are analysed for ReLU networks"
    if net.negative_slope != 0:
        return "parameter symmetries are analysed for ReLU (not leaky-ReLU) networks"
    return None


def kink_figure(form: Any, *, title: str) -> Any:
    """Draw the kink lines of a 2-input canonical form, coloured by their coefficient.

    One output: the coefficient ``α`` on a diverging colour scale; several outputs: ``|α|``. The
    square shown holds every line's closest point to the origin. Returns the matplotlib figure.

    Examples
    --------
    >>> from neurogeom.symmetry import ShallowNet, canonical_form
    >>> form = canonical_form(ShallowNet([[1.0, 0.0], [1.0, 1.0]], [0.0, -1.0], [[2.0, -1.0]]))
    >>> fig = kink_figure(form, title="two kinks")
    >>> len(fig.axes[0].lines)
    2
    """
    from neurogeom.core.figures import pyplot

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5.2, 4.4))
    kinks = form.kinks
    normals = np.array([[float(v) for v in kk.normal] for kk in kinks]).reshape(len(kinks), 2)
    offsets = np.array([float(kk.offset) for kk in kinks])
    norms = np.linalg.norm(normals, axis=1)
    feet = -(offsets / np.where(norms > 0, norms**2, 1.0))[:, None] * normals
    half = max(FIGURE_HALF_WIDTH, 1.2 * float(np.abs(feet).max(initial=0.0)))
    coeffs = np.array([[float(v) for v in kk.coefficient] for kk in kinks]).reshape(len(kinks), -1)
    single = coeffs.shape[1] == 1
    values = coeffs[:, 0] if single else np.linalg.norm(coeffs, axis=1)
    top = float(np.abs(values).max(initial=1.0)) or 1.0
    cmap = plt.get_cmap("coolwarm" if single else "viridis")
    norm = plt.Normalize(-top if single else 0.0, top)
    for (a, b), c, v in zip(normals, offsets, values, strict=True):
        # points of a x + b y + c = 0 across the square
        if abs(b) >= abs(a):
            xs = np.array([-half, half])
            ys = -(a * xs + c) / b
        else:
            ys = np.array([-half, half])
            xs = -(b * ys + c) / a
        ax.plot(xs, ys, color=cmap(norm(v)), linewidth=2.2)
    ax.set_xlim(-half, half)
    ax.set_ylim(-half, half)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title, fontsize=10)
    mappable = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    bar = fig.colorbar(mappable, ax=ax)
    bar.set_label("coefficient α of the kink" if single else "|α| of the kink")
    return fig


#: Kink hyperplanes listed one by one on the page (the JSON data has all of them).
MAX_LISTED_KINKS = 8


def _item(label: str, value: Any, definition: str, exact: bool, key: str) -> Item:
    return Item(label, value, definition, exact, key)


def _num(v: Any) -> str:
    from neurogeom.core.rationals import json_number

    out = json_number(v)
    return f"{out:.4g}" if isinstance(out, float) else str(out)


def _kinks_text(form: Any) -> str:
    """The kink hyperplanes with their coefficients and the neurons grouped on each."""
    parts = []
    for kk in form.kinks[:MAX_LISTED_KINKS]:
        normal = ", ".join(_num(v) for v in kk.normal)
        alpha = ", ".join(_num(v) for v in kk.coefficient)
        parts.append(
            f"α=({alpha}) on ({normal})·x + {_num(kk.offset)} = 0: neurons {list(kk.neurons)}"
        )
    if len(form.kinks) > MAX_LISTED_KINKS:
        parts.append(f"and {len(form.kinks) - MAX_LISTED_KINKS} more (see report.json)")
    return "; ".join(parts) or "none (the function is affine)"


def _redundant_text(form: Any) -> str:
    """The neurons that a narrower net does without, named by role."""
    parts = []
    if form.dead:
        parts.append(f"dead (output weight 0): {list(form.dead)}")
    if form.constant_neurons:
        parts.append(f"constant (input weight 0): {list(form.constant_neurons)}")
    shared = [list(kk.neurons) for kk in form.kinks if len(kk.neurons) > 1]
    if shared:
        parts.append(f"sharing a hyperplane: {shared}")
    if form.cancelled:
        parts.append(f"cancelling to an affine term: {[list(g) for g in form.cancelled]}")
    for neurons, term in form.outside:
        parts.append(f"{list(neurons)} {term}")
    return "; ".join(parts) or "none"


def _moves_text(sym: Any) -> str:
    """The move families, each with the neurons it acts on when it is not all of them."""
    parts = []
    for fam in sym.families:
        where = "" if fam.kind in ("permutation", "rescaling") else f" {list(fam.neurons)}"
        parts.append(f"{fam.label} {fam.kind}{where}")
    return ", ".join(parts) or "none"


def _compute(ctx: SectionContext) -> SectionResult:
    from neurogeom.symmetry import (
        canonical_form,
        functional_dimension,
        reduce_width,
        symmetries,
    )
    from neurogeom.symmetry.shallow import ShallowNet

    started = time.monotonic()
    net = ctx.net
    data: dict[str, Any] = {}
    items: list[Item] = []
    figures: list[Figure] = []
    notes: list[str] = []
    complete = True
    shallow = net.n_layers == 2
    fd = functional_dimension(net)
    data["functional_dimension"] = fd.to_dict()
    items += [
        _item(
            "functional dimension",
            fd.rank,
            "rank of the parameter Jacobian on a batch of inputs (exact over a prime field)",
            fd.certified,
            "functional_dimension.functional_dimension",
        ),
        _item(
            "parameters",
            fd.parameters,
            "number of weights and biases",
            True,
            "functional_dimension.parameters",
        ),
        _item(
            "generic functional dimension",
            fd.generic,
            "parameters minus hidden neurons (attained by generic shallow nets)",
            True,
            "functional_dimension.generic",
        ),
    ]
    summary = f"functional dimension {fd.rank} of {fd.parameters} parameters"
    if shallow and not ctx.budget.expired():
        sn = ShallowNet.from_relu(net)
        form = canonical_form(sn, exact=ctx.exact)
        sym = symmetries(sn, exact=ctx.exact)
        data["canonical"] = form.to_dict()
        data["symmetries"] = sym.to_dict()
        items += [
            _item(
                "kink hyperplanes",
                form.width,
                "distinct hyperplanes where the function is not differentiable",
                form.certified,
                "canonical.width",
            ),
            _item(
                "dead neurons",
                len(form.dead),
                "neurons with output weight 0",
                form.certified,
                "canonical.dead_count",
            ),
            _item(
                "hidden symmetries",
                sym.hidden,
                "moves that keep the function beyond permutations and rescalings",
                form.exact,
                "symmetries.hidden_symmetries",
            ),
        ]
        data["canonical"]["dead_count"] = len(form.dead)
        # named lists, shown under the numbers (they wrap; a table cell would not)
        data["canonical"]["grouped"] = _kinks_text(form)
        data["canonical"]["redundant"] = _redundant_text(form)
        data["symmetries"]["moves"] = _moves_text(sym)
        notes += [
            f"Kink hyperplanes, grouped: {data['canonical']['grouped']}.",
            f"Dead and redundant neurons: {data['canonical']['redundant']}.",
            f"Moves available (T1-T2 the group H_n, T3-T7 hidden): {data['symmetries']['moves']}.",
        ]
        if not ctx.budget.expired():
            red = reduce_width(sn, exact=ctx.exact)
            data["minimal_width"] = {k: v for k, v in red.to_dict().items() if k != "net"}
            items.append(
                _item(
                    "narrowest equivalent width",
                    red.width,
                    "fewest neurons computing the same function (output bias, no skip term)",
                    red.minimal and form.exact,
                    "minimal_width.width",
                )
            )
        else:
            complete = False
        summary += (
            f"; {form.width} kink hyperplane(s) from {net.n_hidden} neurons; hidden symmetries: "
            f"{sym.hidden}"
        )
        if net.n_inputs == 2 and ctx.figures and form.kinks:
            with figures_or_reason(data):
                fig = kink_figure(form, title=f"{ctx.name}: kink lines on R^2 (square shown)")
                figures.append(
                    Figure.from_matplotlib(
                        fig,
                        name="symmetry_kinks",
                        title="Kink lines of the canonical form",
                        caption="Each line is a hyperplane where the network is not "
                        "differentiable; its colour is the kink's coefficient α (the jump of the "
                        "gradient across it is α u).",
                    )
                )
    elif shallow:
        complete = False
    return SectionResult(
        "symmetry",
        "Parameter symmetries",
        "ok" if complete else "incomplete",
        summary,
        tuple(items),
        data,
        tuple(figures),
        seconds=time.monotonic() - started,
        reason="" if complete else "the time limit ran out before the canonical form",
        notes=tuple(notes),
    )


SECTION = register(Section("symmetry", "Parameter symmetries", 60, _applies, _compute))
