"""The main job: run every analysis that applies to a network and write a report folder.

Each capability adds its section here; sections run in order and a failure of one optional
section (a missing extra, a budget) is recorded in the report rather than aborting the rest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from neurogeom._version import __version__
from neurogeom.core.errors import BackendUnavailableError, InvalidInputError
from neurogeom.core.files import atomic_write_text
from neurogeom.nets.relu import ReLUNet

__all__ = ["run_analysis"]


#: The box on which pictures and bounded counts of low-dimensional nets are made.
DEFAULT_BOX = (-3, 3)


def run_analysis(
    net: Any,
    source: str,
    out_dir: Path,
    *,
    exact: bool = False,
    time_limit: float = 120.0,
    progress: bool = True,
) -> tuple[dict[str, Any], str]:
    """Analyse ``net``; write ``out_dir/report.json`` (and figures); return the report and a text.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from neurogeom import ReLUNet
    >>> net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> report, text = run_analysis(net, "max2", out, progress=False)
    >>> report["regions"]["whole_space"]["linear_regions"]
    2
    >>> (out / "report.json").exists()
    True
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise InvalidInputError(f"--out {out_dir} exists and is not a folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "neurogeom": __version__,
        "source": source,
        "info": {
            "architecture": list(net.architecture),
            "parameters": net.n_parameters,
            "activation": net.activation,
            "hidden_neurons": net.n_hidden,
        },
        "complete": True,
    }
    lines = [
        f"neurogeom {__version__}: {source}",
        f"  architecture  {'-'.join(map(str, net.architecture))}  "
        f"({net.n_parameters} parameters, {net.activation})",
    ]
    if isinstance(net, ReLUNet):
        from neurogeom.regions import enumerate_regions

        section: dict[str, Any] = {}
        whole = enumerate_regions(
            net, exact=exact, time_limit=time_limit, progress=progress, volumes=False
        )
        section["whole_space"] = whole.to_dict()
        report["complete"] &= whole.complete
        c = whole.counts()
        lines.append(
            f"  regions on R^{net.n_inputs}: {c['activation_regions']} activation, "
            f"{c['linear_regions']} linear (facet), "
            f"{c['linear_regions_point_connected']} linear (point), "
            f"{c['bounded_regions']} bounded" + ("" if whole.complete else "  [incomplete]")
        )
        if net.n_inputs <= 3:
            lo, hi = DEFAULT_BOX
            boxed = enumerate_regions(
                net, domain=(lo, hi), exact=exact, time_limit=time_limit, progress=progress
            )
            section["box"] = boxed.to_dict()
            report["complete"] &= boxed.complete
            cb = boxed.counts()
            lines.append(
                f"  regions on [{lo}, {hi}]^{net.n_inputs}: "
                f"{cb['activation_regions']} activation, {cb['linear_regions']} linear"
            )
            if net.n_inputs == 2:
                try:
                    from neurogeom.cli import _save_plot

                    _save_plot(boxed, out_dir / "regions.png")
                    section["figure"] = "regions.png"
                    lines.append(f"  picture: {out_dir / 'regions.png'}")
                except BackendUnavailableError as exc:
                    section["figure"] = None
                    lines.append(f"  (no picture: {exc})")
        report["regions"] = section
    atomic_write_text(out_dir / "report.json", json.dumps(report, indent=2))
    lines.append(f"  report: {out_dir / 'report.json'}")
    return report, "\n".join(lines)
