"""``neurogeom symmetry ...``: canonical forms, equivalence, functional dimension, extraction and
alignment of ReLU networks."""

from __future__ import annotations

import sys
from typing import Any

import click

from neurogeom.cli._common import (
    EXIT_BUDGET,
    emit,
    exact_option,
    finite,
    json_option,
    load_net,
    parse_box,
    quiet_option,
    time_limit_option,
)

__all__ = ["symmetry"]


def _tol_option(default_text: str) -> Any:
    return click.option(
        "--tol",
        type=click.FloatRange(0, 1, min_open=True, max_open=True),
        callback=finite,
        help=f"Relative tolerance of float mode, in (0, 1) (default {default_text}).",
    )


_box_option = click.option(
    "--box",
    nargs=2,
    metavar="LO HI",
    help="Work on the box LO <= x <= HI (numbers, or comma-separated vectors); default: R^n.",
)


def _out_option(what: str) -> Any:
    return click.option(
        "--out",
        "out_file",
        type=click.Path(dir_okay=False),
        help=f"Write {what} to this network file (.json, .npz, .onnx, .pt).",
    )


def _fmt(v: Any) -> str:
    return f"{v:.6g}" if isinstance(v, float) else str(v)


def _vec(values: Any) -> str:
    return "(" + ", ".join(_fmt(v) for v in values) + ")"


@click.group()
def symmetry() -> None:
    """Parameter symmetries of ReLU networks.

    \b
    Example:
      neurogeom symmetry canonical max2 --exact
    """


@symmetry.command()
@click.argument("net")
@_box_option
@exact_option
@_tol_option("1e-9")
@json_option
def canonical(net: str, box: Any, exact: bool, tol: float | None, as_json: bool) -> None:
    """The canonical form of a shallow NET: kink hyperplanes with coefficients, and the affine
    part; with the moves that keep the function and the narrowest equivalent width.

    \b
    Example:
      neurogeom symmetry canonical max2 --exact --json
    """
    from neurogeom.symmetry import as_shallow, canonical_form, reduce_width, symmetries

    model, path = load_net(net, exact=exact)
    shallow = as_shallow(model, what="symmetry canonical", leaky=True)
    form = canonical_form(shallow, domain=parse_box(box), exact=exact, tol=tol)
    doc = form.to_dict()
    text = [
        f"{path}  canonical form on {form.domain.describe()}"
        f"{' (exact)' if form.exact else ''}: {form.width} kink hyperplane(s)"
    ]
    for kk in form.kinks:
        text.append(
            f"  {_vec(kk.coefficient)} relu({_vec(kk.normal)}·x + {_fmt(kk.offset)})"
            f"   neurons {list(kk.neurons)}"
        )
    text.append(f"  affine: L = {[_vec(r) for r in form.linear]}, d = {_vec(form.constant)}")
    if model.negative_slope == 0:
        sym = symmetries(shallow, exact=exact, tol=tol)
        red = reduce_width(shallow, exact=exact, tol=tol)
        doc["symmetries"] = sym.to_dict()
        doc["minimal_width"] = {
            "width": red.width,
            "minimal": red.minimal,
            "construction": red.construction,
        }
        labels = ", ".join(sorted({f"{f.label} {f.kind}" for f in sym.families}))
        text.append(f"  moves: {labels or 'none'}; hidden symmetries: {sym.hidden}")
        text.append(
            f"  width {shallow.width} -> {red.width}"
            f" ({'minimal' if red.minimal else 'upper bound'}: {red.construction})"
        )
    if form.notes:
        text.append(f"  {len(form.notes)} float decision(s) near the tolerance (see --json)")
    emit(doc, as_json, "\n".join(text))


@symmetry.command()
@click.argument("net1")
@click.argument("net2")
@_box_option
@exact_option
@_tol_option("1e-9")
@time_limit_option(what="a deep comparison")
@json_option
@quiet_option
def equivalent(
    net1: str,
    net2: str,
    box: Any,
    exact: bool,
    tol: float | None,
    time_limit: float | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Whether NET1 and NET2 compute the same function (on R^n or a box), with a witness point
    where they differ. Shallow nets: canonical forms; deep nets: the regions of NET1 - NET2.

    Float answers that the tolerance cannot settle are "undecided", with the evidence.

    \b
    Example:
      neurogeom symmetry equivalent abs max2 --json
    """
    from neurogeom.symmetry import are_equivalent

    f, _ = load_net(net1, exact=exact)
    g, _ = load_net(net2, exact=exact)
    res = are_equivalent(
        f,
        g,
        domain=parse_box(box),
        exact=exact or None,
        tol=tol,
        time_limit=time_limit,
        progress=not quiet,
    )
    lines = [
        f"{res.verdict} on {res.domain.describe()} ({res.method}{', exact' if res.exact else ''})"
    ]
    if res.witness is not None:
        lines.append(
            f"  witness x = {_vec(res.witness)}: f(x) = {_vec(res.values[0])}, "
            f"g(x) = {_vec(res.values[1])}"
        )
    lines += [f"  {e}" for e in res.evidence]
    emit(res.to_dict(), as_json, "\n".join(lines))
    if not res.complete:
        sys.exit(EXIT_BUDGET)


@symmetry.command()
@click.argument("net")
@click.option(
    "--method",
    type=click.Choice(["modular", "svd"]),
    default="modular",
    show_default=True,
    help="Exact rank over a prime field, or float SVD with the singular-value gap.",
)
@click.option("--points", "n_points", type=click.IntRange(min=1), help="Batch size.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@_tol_option("1e-9, svd only")
@json_option
def dim(
    net: str, method: str, n_points: int | None, seed: int, tol: float | None, as_json: bool
) -> None:
    """The functional dimension of NET (batch Jacobian rank) against its parameter count.

    \b
    Example:
      neurogeom symmetry dim max2 --json
    """
    from neurogeom.symmetry import functional_dimension

    model, path = load_net(net)
    res = functional_dimension(model, method=method, n_points=n_points, seed=seed, tol=tol)
    lines = [
        f"{path}",
        f"  functional dimension  {res.rank}"
        f" ({'certified' if res.certified else 'lower bound'}, {res.method})",
        f"  parameters            {res.parameters}",
        f"  upper bound           {res.upper_bound} (parameters - rescaling directions)",
        f"  generic value         {res.generic} (parameters - hidden neurons)",
        f"  batch points          {res.points}",
    ]
    lines += [f"  {e}" for e in res.explanations]
    emit(res.to_dict(), as_json, "\n".join(lines))


@symmetry.command()
@click.argument("net")
@click.option(
    "--max-queries",
    type=click.IntRange(min=1),
    default=200_000,
    show_default=True,
    help="Query budget (points evaluated); at least 1.",
)
@click.option(
    "--radius",
    type=click.FloatRange(min=0, min_open=True),
    callback=finite,
    default=1.0,
    show_default=True,
    help="Input scale of the random lines and check points.",
)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@_tol_option("1e-6")
@_out_option("the recovered net (output bias, no skip term)")
@json_option
def extract(
    net: str,
    max_queries: int,
    radius: float,
    seed: int,
    tol: float | None,
    out_file: str | None,
    as_json: bool,
) -> None:
    """Recover the shallow NET from black-box queries only (kinks along lines, gradient jumps),
    then check the result against NET.

    \b
    Example:
      neurogeom symmetry extract max2 --json
    """
    from neurogeom.nets.io import save
    from neurogeom.symmetry import extract_shallow, realise

    model, path = load_net(net)
    res = extract_shallow(model, max_queries=max_queries, radius=radius, seed=seed, tol=tol)
    if out_file:
        save(realise(res.form, output_bias=True, skip=False).net.to_relu(), out_file)
    doc = res.to_dict()
    lines = [
        f"{path}: {res.width} hyperplane(s) from {res.queries} queries "
        f"({doc['queries_per_neuron']:.1f} per hyperplane, {res.lines} lines)",
        f"  checked against the net: {res.verdict}; max error {res.max_error:.3g}",
    ]
    if not res.complete:
        lines.append("  INCOMPLETE: the query budget ran out")
    emit(doc, as_json, "\n".join(lines))
    if not res.complete:
        sys.exit(EXIT_BUDGET)


@symmetry.command()
@click.argument("net1")
@click.argument("net2")
@exact_option
@_tol_option("1e-9")
@_out_option("NET2 aligned to NET1")
@json_option
def align(
    net1: str, net2: str, exact: bool, tol: float | None, out_file: str | None, as_json: bool
) -> None:
    """Permute and rescale the hidden neurons of NET2 to match NET1 (same architecture).

    \b
    Example:
      neurogeom symmetry align rg1 rg1 --exact --json
    """
    from neurogeom.nets.io import save
    from neurogeom.symmetry import align as align_nets

    a, _ = load_net(net1, exact=exact)
    b, _ = load_net(net2, exact=exact)
    res = align_nets(a, b, exact=exact or None, tol=tol)
    if out_file:
        save(res.net, out_file)
    lines = [
        f"distance to NET1: {res.distance_before:.6g} -> {res.distance_after:.6g}"
        f" ({'equal' if res.equal else 'not equal'})",
        *(f"  layer {l}: order {list(p)}" for l, p in enumerate(res.permutations)),
    ]
    emit(res.to_dict(), as_json, "\n".join(lines))
