"""Report section: rational networks (activation 1/x): degrees, dimension, filling, poles."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from neurogeom.core.errors import BudgetExceededError, NeurogeomError
from neurogeom.report.registry import (
    Figure,
    Item,
    Section,
    SectionContext,
    SectionResult,
    figures_or_reason,
    register,
)

__all__ = ["BOX", "MAX_PARAMETERS", "MAX_TERMS", "SECTION"]

#: The window of the function pictures.
BOX = (-3.0, 3.0)

#: Expand the network itself only up to this many terms (the picture's pole set needs it).
MAX_TERMS = 20_000

#: Compute the dimension only up to this many parameters (the Jacobian is about
#: parameters x parameters; 1500 takes a few seconds).
MAX_PARAMETERS = 1500


def _applies(net: Any) -> str | None:
    from neurogeom.nets import RationalNet

    if not isinstance(net, RationalNet):
        return "the algebraic geometry of rational networks needs activation 1/x"
    return None


def _robust_limits(values: np.ndarray) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return -1.0, 1.0
    lo, hi = np.percentile(finite, [5, 95])
    pad = max(hi - lo, 1e-9)
    return float(lo - pad), float(hi + pad)


def _figure(net: Any, expansion: Any, ctx: SectionContext) -> Figure:
    from neurogeom.core.figures import pyplot
    from neurogeom.rational.polynomials import evaluate_float

    plt = pyplot()
    lo, hi = BOX
    domain = f"[{lo:g}, {hi:g}]" + ("" if net.n_inputs == 1 else f"^{net.n_inputs}")
    title = f"{ctx.name} on {domain}"
    float_net = net.to_float()
    if net.n_inputs == 1:
        x = np.linspace(lo, hi, 2001)
        y = float_net(x[:, None], on_pole="nan")
        fig, ax = plt.subplots(figsize=(6.4, 4.0))
        bottom, top = _robust_limits(y)
        reach = 4 * max(abs(bottom), abs(top))
        drawn = np.where(np.abs(y) > reach, np.nan, y)  # no vertical strokes across a pole
        for i in range(y.shape[1]):
            ax.plot(x, drawn[:, i], lw=1.5, label=f"f{i + 1}")
        poles: list[float] = []
        if expansion is not None:
            coeffs = np.zeros(int(expansion.denominator.total_degree()) + 1)
            for monom, c in expansion.denominator.terms():
                coeffs[int(monom[0])] = float(c)
            if coeffs.size > 1:
                roots = np.roots(coeffs[::-1])
                poles = sorted(
                    float(r.real)
                    for r in roots
                    if abs(r.imag) <= 1e-9 * (1 + abs(r)) and lo <= r.real <= hi
                )
        for k, p in enumerate(poles):
            ax.axvline(p, color="k", ls="--", lw=1, label="pole" if k == 0 else None)
        ax.set_ylim(bottom, top)
        ax.set_xlabel("x1")
        ax.set_ylabel("f(x1)")
        ax.set_title(title)
        ax.legend(loc="best", fontsize=8)
        caption = "The function on the window; dashed lines mark its real poles (zeros of Q)."
    else:
        n = 301
        g = np.linspace(lo, hi, n)
        xx, yy = np.meshgrid(g, g)
        pts = np.column_stack([xx.ravel(), yy.ravel()])
        f = float_net(pts, on_pole="nan")[:, 0].reshape(n, n)
        shade = np.sign(f) * np.log10(1 + np.abs(f))
        fig, ax = plt.subplots(figsize=(5.6, 4.8))
        limit = float(np.nanpercentile(np.abs(shade), 98)) if np.isfinite(shade).any() else 1.0
        mesh = ax.pcolormesh(
            xx, yy, shade, cmap="RdBu_r", vmin=-limit, vmax=limit, shading="auto", rasterized=True
        )
        fig.colorbar(mesh, ax=ax, label="sign(f1) log10(1 + |f1|)")
        if expansion is not None:
            q = evaluate_float(expansion.denominator, pts).reshape(n, n)
            if np.nanmin(q) < 0 < np.nanmax(q):
                ax.contour(xx, yy, q, levels=[0.0], colors="k", linewidths=1.2)
                ax.plot([], [], color="k", lw=1.2, label="poles (Q = 0)")
                ax.legend(loc="upper right", fontsize=8)
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
        ax.set_aspect("equal")
        ax.set_title(title)
        caption = (
            "The first output on a signed log scale; the black curves are its pole set, the "
            "real zeros of the reduced denominator Q."
        )
    return Figure.from_matplotlib(
        fig, name="rational", title="The function and its poles", caption=caption
    )


def _compute(ctx: SectionContext) -> SectionResult:
    from neurogeom.rational import degrees, dimension, expand, extract_poles, parameter_count
    from neurogeom.rational.expansion import net_has_biases

    started = time.monotonic()
    net = ctx.net
    arch = net.architecture
    bias = net_has_biases(net)
    gen_p, gen_q = degrees(arch, bias=bias)
    data: dict[str, Any] = {
        "architecture": list(arch),
        "bias": bias,
        "generic_degrees": {"numerator": gen_p, "denominator": gen_q},
        "generic_degrees_list": [gen_p, gen_q],
    }
    items = [
        Item(
            "degrees of P and Q (generic)",
            [gen_p, gen_q],
            "degrees of the reduced numerators and denominator for generic weights of this "
            "architecture" + (" with biases" if bias else " (forms)"),
            True,
            "generic_degrees_list",
        )
    ]
    dim = None
    if parameter_count(arch, bias=bias) > MAX_PARAMETERS:
        data["dimension_skipped"] = (
            f"{parameter_count(arch, bias=bias)} parameters: more than {MAX_PARAMETERS}; run "
            f"'neurogeom rational dim {' '.join(map(str, arch))}"
            + (" --bias" if bias else "")
            + "'"
        )
    else:
        dim = dimension(arch, bias=bias, seed=0)
        data["dimension"] = dim.to_dict()
        items += [
            Item(
                "dimension of the neurovariety",
                dim.dimension,
                "projective dimension of the closure of all functions of this architecture "
                "(Jacobian rank over F_p)",
                dim.certified,
                "dimension.dimension",
            ),
            Item(
                "expected dimension",
                dim.expected_dimension,
                "min(parameters - hidden-neuron scalings, ambient dimension): an upper bound",
                True,
                "dimension.expected_dimension",
            ),
            Item(
                "ambient dimension",
                dim.ambient_dimension,
                "projective dimension of all tuples (P_1, ..., P_dL, Q) of these degrees",
                True,
                "dimension.ambient_dimension",
            ),
            Item(
                "fills",
                dim.fills,
                "whether the neurovariety is the whole ambient space",
                dim.certified,
                "dimension.fills",
            ),
        ]
    expansion = None
    status = "ok"
    reason = ""
    if ctx.budget.expired():
        status, reason = "incomplete", "the time limit ran out before the expansion"
    else:
        try:
            expansion = expand(net, max_terms=MAX_TERMS)
        except BudgetExceededError as exc:
            data["expansion_skipped"] = str(exc)
        except NeurogeomError as exc:
            data["expansion_failed"] = str(exc)
    if expansion is not None:
        deg_p, deg_q = expansion.degrees
        data["network"] = {
            "degrees": [deg_p, deg_q],
            "numerators": [str(p) for p in expansion.numerators],
            "denominator": str(expansion.denominator),
        }
        items.append(
            Item(
                "degrees of this network's P and Q",
                [deg_p, deg_q],
                "after reduction to lowest terms (special weights can lower them)",
                True,
                "network.degrees",
            )
        )
    if net.n_layers == 2:
        poles = extract_poles(net)
        data["poles"] = [p.to_dict() for p in poles]
        items.append(
            Item(
                "pole hyperplanes",
                len(poles),
                "distinct hyperplanes a_j x + b_j = 0 of hidden neurons with a nonzero output "
                "weight",
                net.exact,
                "pole_count",
            )
        )
        data["pole_count"] = len(poles)
    figures: list[Figure] = []
    if net.n_inputs <= 2 and ctx.figures and status == "ok":
        with figures_or_reason(data):
            figures.append(_figure(net, expansion, ctx))
    # what was left out or failed, shown under the numbers (not only in report.json)
    notes = [
        f"{label}: {data[key]}"
        for key, label in (
            ("dimension_skipped", "dimension not computed"),
            ("expansion_skipped", "this network not expanded"),
            ("expansion_failed", "this network cannot be expanded"),
        )
        if key in data
    ]
    arch_text = "-".join(map(str, arch))
    summary = f"{arch_text}{' with biases' if bias else ''}: degrees ({gen_p}, {gen_q})"
    if dim is not None:
        summary += (
            f", dimension {dim.dimension} of expected {dim.expected_dimension} in ambient "
            f"{dim.ambient_dimension}; {'fills' if dim.fills else 'does not fill'}"
        )
    else:
        summary += "; dimension skipped (too many parameters for a report)"
    return SectionResult(
        "rational",
        "Rational network",
        status,  # type: ignore[arg-type]
        summary,
        tuple(items),
        data,
        tuple(figures),
        seconds=time.monotonic() - started,
        reason=reason,
        notes=tuple(notes),
    )


SECTION = register(Section("rational", "Rational network", 40, _applies, _compute))
