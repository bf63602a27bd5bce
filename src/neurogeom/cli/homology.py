"""``neurogeom homology NET DATA``: overlap classes and quotient Betti numbers of a data set, layer
by layer (:func:`neurogeom.topology.layerwise_homology`)."""

from __future__ import annotations

import sys
from typing import Any

import click
import numpy as np

from neurogeom.cli._common import (
    EXIT_BUDGET,
    emit,
    finite,
    json_option,
    load_net,
    parse_box,
    quiet_option,
    time_limit_option,
)
from neurogeom.core.errors import InvalidInputError

__all__ = ["EXAMPLE_DATA", "homology"]


def _circle() -> np.ndarray:
    from neurogeom.topology import sample_circle

    return sample_circle(200, evenly=True)


def _circle48() -> np.ndarray:
    from neurogeom.topology import sample_circle

    return sample_circle(48, evenly=True)


def _figure_eight() -> np.ndarray:
    from neurogeom.topology import sample_figure_eight

    return sample_figure_eight(200, evenly=True)


#: Built-in data sets for ``DATA = example:NAME``.
EXAMPLE_DATA = {
    "circle": ("200 evenly spaced points of the unit circle", _circle),
    "circle48": ("the spec's reference circle, θ_k = 2π(k + ½)/48", _circle48),
    "figure-eight": ("200 points of two unit circles touching at 0", _figure_eight),
}


def _read(spec: str) -> tuple[np.ndarray, str]:
    from neurogeom.topology import load_points

    if spec.startswith("example:"):
        name = spec.split(":", 1)[1]
        if name not in EXAMPLE_DATA:
            raise InvalidInputError(
                f"unknown example data {name!r}; available: {', '.join(sorted(EXAMPLE_DATA))}"
            )
        what, make = EXAMPLE_DATA[name]
        return make(), what
    return load_points(spec), spec


def _box(box: Any) -> np.ndarray | None:
    lo_hi = parse_box(box)
    if lo_hi is None:
        return None
    try:
        lo, hi = (np.asarray(v, dtype=float) for v in lo_hi)
    except ValueError:
        raise InvalidInputError(f"--box needs numbers, got {' '.join(box)}") from None
    return np.array(np.broadcast_arrays(lo, hi))


def _betti(values: Any) -> str:
    return "(" + ", ".join(str(v) for v in values) + ")" if values is not None else "-"


def homology_text(res: Any, path: str, data: str) -> str:
    """The readable summary: one row per layer."""
    dec = res.decomposition
    lines = [
        f"{path} on {data}: {dec.n_points} points, mode {dec.mode}, scale ε = {dec.scale:.4g}, "
        f"engine {res.input.engine}",
        f"  input: Betti {_betti(res.input.betti)}",
        "  layer  width  regions  classes  glued  Betti X/O (metric)    (cone)  Betti Φ(X)  LPs",
    ]
    for item in res.layers:
        ov = item.overlap
        lines.append(
            f"  {item.layer:>5}  {ov.width:>5}  {len(ov.regions):>7}  {len(ov.classes):>7}  "
            f"{ov.glued_points:>5}  {_betti(item.quotient.betti):>18}  "
            f"{_betti(item.cone.betti if item.cone else None):>8}  "
            f"{_betti(item.representation.betti):>10}  {ov.lps:>4}"
        )
    ties = sum(len(item.overlap.ties) for item in res.layers)
    if ties:
        lines.append(f"  {ties} decision(s) inside the tolerance band (ties; see --json)")
    deficient = sum(len(item.overlap.rank_deficient) for item in res.layers)
    if deficient:
        lines.append(
            f"  {deficient} rank-deficient region(s): the rank source is not glued (see --json)"
        )
    if not res.complete:
        lines.append("  incomplete: the time limit ran out")
    return "\n".join(lines)


@click.command()
@click.argument("net")
@click.argument("data")
@click.option(
    "--layer",
    type=int,
    help="Analyse the layers up to L (1..L: hidden layers, then the output); default all.",
)
@click.option(
    "--mode",
    type=click.Choice(["partner", "polyhedron", "hull"]),
    default="partner",
    show_default=True,
    help="Preimages in the region (polyhedron, glued all to all, as in the paper), in the hull "
    "of its data (hull), or glued to the nearest data point within EPS (partner).",
)
@click.option(
    "--scale",
    type=click.FloatRange(min=0, min_open=True),
    callback=finite,
    help="ε: the Rips scale and the gluing distance of partner mode "
    "(default 1.5 x the largest second-nearest-neighbour distance).",
)
@click.option(
    "--maxdim", type=click.IntRange(0, 3), default=1, show_default=True, help="Top Betti number."
)
@click.option(
    "--engine",
    type=click.Choice(["gudhi", "gf2"]),
    help="Persistence engine (default gudhi when installed, else exact pure Python).",
)
@click.option(
    "--box",
    nargs=2,
    metavar="LO HI",
    help="Clip the regions to LO <= x <= HI (default: the data's box, widened by half).",
)
@click.option(
    "--tol",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    callback=finite,
    help="Relative tolerance of every acceptance (default 1e-9).",
)
@click.option("--details", is_flag=True, help="With --json: the classes and barcodes.")
@click.option(
    "--plot",
    "plot_file",
    type=click.Path(dir_okay=False),
    help="Draw the input regions and the representation of the last layer, coloured by overlap "
    "class, to this image file (networks with 2 inputs).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes for the overlap tests.",
)
@time_limit_option(what="the overlap search")
@json_option
@quiet_option
def homology(
    net: str,
    data: str,
    layer: int | None,
    mode: str,
    scale: float | None,
    maxdim: int,
    engine: str | None,
    box: Any,
    tol: float | None,
    details: bool,
    plot_file: str | None,
    workers: int,
    time_limit: float | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Overlap classes of DATA under the ReLU network NET and the homology of the quotient,
    layer by layer, beside the persistent homology of each representation.

    DATA is a .npy, .npz (array x) or .csv file with one point per row, or example:NAME
    (circle, circle48, figure-eight).

    \b
    Examples:
      neurogeom homology two_moons example:circle
      neurogeom homology net.json points.npy --mode polyhedron --scale 0.2 --json
      neurogeom homology two_moons example:circle --plot circle.png
    """
    from neurogeom.core.figures import check_figure_target, save_figure
    from neurogeom.topology import check_data, check_layer, check_relu, layerwise_homology

    model, path = load_net(net)
    model = check_relu(model)
    if plot_file:
        if model.n_inputs != 2:
            raise InvalidInputError(
                f"--plot draws networks with 2 inputs; this one has {model.n_inputs}"
            )
        check_figure_target(plot_file)
    if layer is not None:
        layer = check_layer(model, layer)
        if layer == 0:
            raise InvalidInputError("--layer 0 is the input itself; give a layer 1..L")
    points, what = _read(data)
    points = check_data(points, model.n_inputs)
    res = layerwise_homology(
        model,
        points,
        layer=layer,
        mode=mode,
        scale=scale,
        maxdim=maxdim,
        engine=engine,
        tol=tol,
        box=_box(box),
        progress=not quiet,
        workers=workers,
        time_limit=time_limit,
    )
    doc = {"net": path, "data": what, **res.to_dict(bars=details)}
    if details:
        for item, entry in zip(res.layers, doc["layers"], strict=True):
            entry["classes"] = [list(c) for c in item.overlap.classes]
            entry["gluings"] = [g.to_dict() for g in item.overlap.gluings]
    if plot_file and res.layers:
        from neurogeom.topology.plot import plot_overlap

        last = res.layers[-1].overlap
        save_figure(plot_overlap(model, points, last, title=f"{path} on {what}"), plot_file)
    emit(doc, as_json, homology_text(res, path, what))
    if not res.complete:
        sys.exit(EXIT_BUDGET)
