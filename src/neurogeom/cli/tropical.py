"""``neurogeom tropical NET``: the tropical rational map of a ReLU network."""

from __future__ import annotations

import time
from typing import Any

import click

from neurogeom.cli._common import (
    activation_option,
    emit,
    exact_option,
    json_option,
    load_net,
    quiet_option,
    time_limit_option,
)

__all__ = ["tropical", "tropical_report", "tropical_text"]

#: Expressions are printed when the map has at most this many monomials.
MAX_PRINTED_MONOMIALS = 40


def tropical_report(
    model: Any,
    *,
    prune: bool,
    exact: bool,
    time_limit: float | None,
    max_monomials: int,
    regions: bool,
    radius: bool,
    progress: bool,
    stats: bool = False,
) -> dict[str, Any]:
    """Compute what the command prints, as one JSON-ready dictionary."""
    from neurogeom.tropical import (
        effective_radius,
        estimate_monomials,
        linear_regions,
        region_statistics,
        tropicalize,
    )

    started = time.monotonic()
    est = estimate_monomials(model)
    f = tropicalize(
        model,
        exact=exact,
        prune=prune,
        max_monomials=max_monomials,
        time_limit=time_limit,
        progress=progress,
    )
    small = f.n_monomials <= MAX_PRINTED_MONOMIALS
    outputs = [
        {
            "numerator_monomials": p.n_monomials,
            "denominator_monomials": q.n_monomials,
            "numerator": str(p) if small else None,
            "denominator": str(q) if small else None,
        }
        for p, q in zip(f.numerators, f.denominators, strict=True)
    ]
    doc: dict[str, Any] = {
        "architecture": list(model.architecture),
        "activation": model.activation,
        "exact": bool(exact),
        "pruned": prune,
        "outputs": outputs,
        "monomials": f.n_monomials,
        "estimated_monomials": est.total,
    }
    if radius:
        doc["effective_radius"] = effective_radius(f)
    if regions:
        res = linear_regions(f, exact=exact, progress=progress)
        doc["linear_regions"] = res.linear_regions
        doc["linear_regions_point_connected"] = res.linear_regions_point_connected
        doc["cells"] = res.n_cells
    if stats:
        doc["region_statistics"] = region_statistics(f, exact=exact).summary()
    doc["seconds"] = round(time.monotonic() - started, 6)
    return doc


def tropical_text(doc: dict[str, Any], path: str) -> str:
    """The readable summary."""
    arch = "-".join(map(str, doc["architecture"]))
    lines = [
        f"{path}  ({arch}, {doc['activation']}{', exact' if doc['exact'] else ''}"
        f"{', pruned after every layer' if doc['pruned'] else ''})",
        f"  monomials (numerators + denominators)  {doc['monomials']}",
        f"  bound before merging                   {doc['estimated_monomials']}",
    ]
    for k, out in enumerate(doc["outputs"]):
        lines.append(
            f"  output {k + 1}: {out['numerator_monomials']} / {out['denominator_monomials']} "
            "monomials"
        )
        if out["numerator"] is not None:
            lines.append(f"    f{k + 1}(x) = {out['numerator']}")
            lines.append(f"            - {out['denominator']}")
    if "effective_radius" in doc:
        lines.append(f"  effective radius                       {doc['effective_radius']:.6g}")
    if "linear_regions" in doc:
        lines.append(f"  linear regions (facet-connected)       {doc['linear_regions']}")
        lines.append(
            f"  linear regions (point-connected)       {doc['linear_regions_point_connected']}"
        )
    if "region_statistics" in doc:
        st = doc["region_statistics"]
        lines.append(f"  regions (bounded)                      {st['regions']} ({st['bounded']})")
        if st["edges"] is not None:
            lines.append(
                f"  edges, vertices (2-D)                  {st['edges']}, {st['vertices']}"
            )
        per = ", ".join(f"{k}: {v}" for k, v in st["regions_per_facets"].items())
        lines.append(f"  regions per number of facets           {per}")
    lines.append(f"  seconds                                {doc['seconds']:.3f}")
    return "\n".join(lines)


@click.command()
@click.argument("net")
@click.option(
    "--prune", is_flag=True, help="Drop monomials with lower-dimensional dominance regions."
)
@exact_option
@click.option(
    "--max-monomials",
    type=click.IntRange(min=1),
    default=2_000_000,
    show_default=True,
    help="Refuse (exit 3, naming the size) when a product would have more monomials.",
)
@click.option("--regions", is_flag=True, help="Also count linear regions from the tropical form.")
@click.option("--radius", is_flag=True, help="Also compute the effective radius (Hoffman).")
@click.option(
    "--stats",
    is_flag=True,
    help="Also region statistics: bounded regions, facets per region, 2-D edges and vertices.",
)
@time_limit_option()
@activation_option
@json_option
@quiet_option
def tropical(
    net: str,
    prune: bool,
    exact: bool,
    max_monomials: int,
    regions: bool,
    radius: bool,
    stats: bool,
    time_limit: float | None,
    activation: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """The tropical rational map of NET: per output, max-plus numerator minus denominator.

    Built by the Zhang–Naitzat–Lim layer recursion (exact with --exact); small maps are printed
    as expressions such as max(0, x1 + 1, 2*x2 - 3) - max(...).

    \b
    Examples:
      neurogeom tropical max2 --prune
      neurogeom tropical sectors --exact --regions --json
      neurogeom tropical two_moons --prune --time-limit 60
      neurogeom tropical sectors --exact --stats
    """
    model, path = load_net(net, exact=exact, activation=activation)
    doc = tropical_report(
        model,
        prune=prune,
        exact=exact,
        time_limit=time_limit,
        max_monomials=max_monomials,
        regions=regions,
        radius=radius,
        progress=not quiet,
        stats=stats,
    )
    emit(doc, as_json, tropical_text(doc, path))
