"""``neurogeom analyze [NET]``: every analysis that applies, as one HTML report and its JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from neurogeom.cli._common import (
    EXIT_BUDGET,
    activation_option,
    exact_option,
    json_option,
    load_net,
    quiet_option,
    time_limit_option,
)

__all__ = ["analyze"]


@click.command()
@click.argument("net", required=False)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(),
    default="neurogeom-report",
    show_default=True,
    help="Folder for report.html, report.json and the figures.",
)
@exact_option
@time_limit_option(default=120.0)
@activation_option
@json_option
@quiet_option
def analyze(
    net: str | None,
    out_dir: str,
    exact: bool,
    time_limit: float,
    activation: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Run every analysis that applies to NET and write a report.

    Without NET, analyses the bundled two-moons classifier. Writes OUT/report.html (one page
    that opens offline: each section says what was computed, the definition used, whether it
    is exact, the time taken, with figures), OUT/report.json (the same numbers) and each figure
    as a PNG.

    \b
    Examples:
      neurogeom analyze
      neurogeom analyze my_net.json --out report --exact
      neurogeom analyze max2 --json --quiet
    """
    from neurogeom.data import DEFAULT_EXAMPLE
    from neurogeom.report.analyze import run_analysis

    model, path = load_net(net or DEFAULT_EXAMPLE, exact=exact, activation=activation)
    report = run_analysis(
        model,
        path,
        Path(out_dir),
        exact=exact,
        time_limit=time_limit,
        progress=not quiet,
    )
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(report.text(Path(out_dir)))
    if not report.complete:
        sys.exit(EXIT_BUDGET)
