"""Report section: the homology of a sampled circle through the network, layer by layer — overlap
classes (partner mode), quotient Betti numbers by the metric and cone backends, the persistent
homology of each representation, local ranks — with figures of the input partition and the
representation coloured by overlap class, and barcodes."""

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

__all__ = ["CIRCLE_POINTS", "SECTION", "circle_data"]

#: Points of the sampled circle (evenly spaced, half-step offset).
CIRCLE_POINTS = 120


def _applies(net: Any) -> str | None:
    from neurogeom.nets import ReLUNet

    if not isinstance(net, ReLUNet):
        return "overlap homology is defined for ReLU networks"
    if net.n_inputs < 2:
        return "a circle needs at least two inputs"
    return None


def circle_data(n_inputs: int, n_points: int = CIRCLE_POINTS) -> np.ndarray:
    """The unit circle in the first two input coordinates (others 0).

    Examples
    --------
    >>> circle_data(3, 8).shape
    (8, 3)
    """
    from neurogeom.topology import sample_circle

    x = np.zeros((n_points, n_inputs))
    x[:, :2] = sample_circle(n_points, evenly=True)
    return x


def _text(betti: list[int]) -> str:
    return "(" + ", ".join(str(b) for b in betti) + ")"


def _compute(ctx: SectionContext) -> SectionResult:
    import warnings

    from neurogeom.topology import RankDeficiencyWarning, layerwise_homology

    started = time.monotonic()
    net = ctx.net.to_float() if ctx.net.exact else ctx.net
    x = circle_data(net.n_inputs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RankDeficiencyWarning)  # reported as a note instead
        res = layerwise_homology(
            net, x, mode="partner", progress=ctx.progress, budget=ctx.budget, engine=None
        )
    data = res.to_dict()
    data["circle_points"] = len(x)
    # the layers by number too: item keys are dotted paths of dictionary keys
    data["by_layer"] = {str(d["layer"]): d for d in data["layers"]}
    data["input_betti_text"] = _text(data["input_betti"])
    for d in data["layers"]:
        d["betti_text"] = _text(d["betti"])
        d["betti_representation_text"] = _text(d["betti_representation"])
    items = [
        Item(
            "circle Betti numbers",
            data["input_betti_text"],
            f"β of the Rips complex of {len(x)} circle points at ε = {res.decomposition.scale:.3g}",
            False,
            "input_betti_text",
        )
    ]
    notes = [
        "Overlap classes in partner mode (each point glued to the data point nearest a preimage "
        "within ε); quotient Betti numbers from the quotient metric (Rips at ε) and from one "
        "cone per class; the last column is the persistent homology of the representation.",
        f"Persistence engine: {res.input.engine}; floats with relative tolerance "
        f"{res.decomposition.tol.rel:g}.",
    ]
    for item in res.layers:
        k = str(item.layer)
        d = data["by_layer"][k]
        items += [
            Item(
                f"layer {item.layer}: overlap classes",
                d["overlap_classes"],
                "classes of at least two circle points with the same representation (cumulative)",
                False,
                f"by_layer.{k}.overlap_classes",
            ),
            Item(
                f"layer {item.layer}: Betti of the quotient",
                d["betti_text"],
                "β of X / O_Φ (quotient metric, Rips at ε)",
                False,
                f"by_layer.{k}.betti_text",
            ),
            Item(
                f"layer {item.layer}: Betti of the representation",
                d["betti_representation_text"],
                "β of Φ^l(X) in its own metric (Rips at its own scale)",
                False,
                f"by_layer.{k}.betti_representation_text",
            ),
        ]
        deficient = [r for r in item.overlap.regions if r.rank < net.n_inputs and len(r.points) > 1]
        if deficient:
            notes.append(
                f"Layer {item.layer}: {len(deficient)} rank-deficient region(s) hold several "
                "points; the rank source is not glued, so the quotient can keep loops the "
                "representation collapses."
            )
    figures: list[Figure] = []
    if ctx.figures and res.layers and net.n_inputs == 2:
        with figures_or_reason(data):
            figures = _figures(net, x, res, ctx.name)
    last = data["layers"][-1] if data["layers"] else None
    summary = (
        f"circle {tuple(data['input_betti'])} -> output quotient {tuple(last['betti'])}, "
        f"representation {tuple(last['betti_representation'])}; "
        f"{last['overlap_classes']} overlap class(es) at the output"
        if last
        else "no layer finished"
    )
    return SectionResult(
        "topology",
        "Overlap homology of a circle",
        "ok" if res.complete else "incomplete",
        summary,
        tuple(items),
        data,
        tuple(figures),
        seconds=time.monotonic() - started,
        reason="" if res.complete else "the time limit ran out during the overlap search",
        notes=tuple(notes),
    )


def _figures(net: Any, x: np.ndarray, res: Any, name: str) -> list[Figure]:
    from neurogeom.topology.plot import plot_barcodes, plot_overlap

    last = res.layers[-1]
    fig = plot_overlap(net, x, last.overlap, title=f"{name}: a circle through the network")
    bars = plot_barcodes(
        {"X / O_Φ (quotient metric)": last.quotient, "Φ(X) (its own metric)": last.representation}
    )
    return [
        Figure.from_matplotlib(
            fig,
            name="topology_overlap",
            title="Overlap classes of a circle",
            caption="Left: the circle in the input plane over the regions of the last layer that "
            "hold its points (shaded); points of one overlap class share a colour, unglued "
            "points are grey. Right: the output representation, coloured the same way.",
        ),
        Figure.from_matplotlib(
            bars,
            name="topology_barcodes",
            title="Barcodes at the output layer",
            caption="Persistence of the quotient X / O_Φ (left) and of the representation Φ(X) "
            "(right); the dashed line is the scale ε at which Betti numbers are read.",
        ),
    ]


SECTION = register(Section("topology", "Overlap homology of a circle", 55, _applies, _compute))
