"""``neurogeom info NET``: architecture, parameter count and activation."""

from __future__ import annotations

from typing import Any

import click

from neurogeom.cli._common import activation_option, emit, json_option, load_net

__all__ = ["info", "info_dict"]


def info_dict(net: Any) -> dict[str, Any]:
    """The facts ``info`` prints, as a JSON-ready dict."""
    d = {
        "architecture": list(net.architecture),
        "parameters": net.n_parameters,
        "activation": net.activation,
        "hidden_neurons": net.n_hidden,
        "layers": net.n_layers,
        "exact": net.exact,
    }
    if net.activation == "maxout":  # hidden widths count units; each takes the max of `rank`
        d["maxout_ranks"] = list(net.ranks)
    return d


@click.command()
@click.argument("net")
@activation_option
@json_option
def info(net: str, activation: str | None, as_json: bool) -> None:
    """Architecture, parameter count and activation of NET.

    \b
    Example:
      neurogeom info max2 --json
    """
    model, path = load_net(net, activation=activation)
    d = info_dict(model)
    text = (
        f"{path}\n  architecture  {'-'.join(map(str, d['architecture']))}\n"
        f"  parameters    {d['parameters']}\n  activation    {d['activation']}\n"
        f"  hidden        {d['hidden_neurons']} neurons in {d['layers'] - 1} layer(s)"
    )
    if "maxout_ranks" in d:
        text += f"\n  maxout ranks  {', '.join(map(str, d['maxout_ranks'])) or '-'}"
    emit(d, as_json, text)
