"""Report section: the network itself (architecture, parameters, activation)."""

from __future__ import annotations

import time
from typing import Any

from neurogeom.report.registry import Item, Section, SectionContext, SectionResult, register

__all__ = ["SECTION"]


def _applies(net: Any) -> str | None:
    return None


def _compute(ctx: SectionContext) -> SectionResult:
    started = time.monotonic()
    net = ctx.net
    data = {
        "architecture": list(net.architecture),
        "parameters": net.n_parameters,
        "activation": net.activation,
        "hidden_neurons": net.n_hidden,
        "exact_weights": net.exact,
    }
    arch = "-".join(map(str, net.architecture))
    items = (
        Item(
            "architecture",
            list(net.architecture),
            "widths: inputs, hidden layers, outputs",
            True,
            "architecture",
        ),
        Item("parameters", net.n_parameters, "number of weights and biases", True, "parameters"),
        Item(
            "activation",
            net.activation,
            "applied after every layer but the last",
            True,
            "activation",
        ),
    )
    return SectionResult(
        "info",
        "The network",
        "ok",
        f"{arch} ({net.n_parameters} parameters, {net.activation})",
        items,
        data,
        seconds=time.monotonic() - started,
    )


SECTION = register(Section("info", "The network", 0, _applies, _compute))
