"""``neurogeom regions NET``: exact counts of activation and linear regions."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from neurogeom.cli._common import (
    EXIT_BUDGET,
    EXIT_INTERRUPTED,
    activation_option,
    emit,
    exact_option,
    finite,
    json_option,
    load_net,
    parse_box,
    quiet_option,
    time_limit_option,
)
from neurogeom.core.errors import InvalidInputError
from neurogeom.core.optional import require

__all__ = ["dask_client", "regions", "regions_text"]

#: Seconds to wait for a Dask scheduler to answer.
CONNECT_TIMEOUT = 10


def regions_text(res: Any, path: str) -> str:
    """The readable summary of a region enumeration."""
    c = res.counts()
    lines = [
        f"{path}  on {res.domain.describe()}  ({res.method} engine"
        f"{', exact' if res.exact else ''})",
        f"  activation regions               {c['activation_regions']}",
        f"  linear regions (facet-connected) {c['linear_regions']}",
        f"  linear regions (point-connected) {c['linear_regions_point_connected']}",
        f"  bounded linear regions           {c['bounded_regions']}",
        f"  LPs solved                       {res.stats.lps.total}",
        f"  seconds                          {res.stats.seconds:.3f}",
    ]
    if not res.complete:
        lines.append(
            "  INCOMPLETE: a budget ran out in "
            + ", ".join(res.stats.incomplete_phases or ("the cell search",))
            + "; counts are bounds"
        )
    if res.uncertified:
        lines.append(
            f"  {len(res.uncertified)} decision(s) could not be certified (see --json); try --exact"
        )
    return "\n".join(lines)


@click.command()
@click.argument("net")
@click.option(
    "--box",
    nargs=2,
    metavar="LO HI",
    help="Count on the box LO <= x <= HI (numbers, or comma-separated vectors); "
    "default: all of R^n.",
)
@exact_option
@click.option(
    "--method",
    type=click.Choice(["auto", "search", "split"]),
    default="auto",
    show_default=True,
    help="Cell engine (split: 1-3 inputs on a box).",
)
@click.option(
    "--max-regions", type=click.IntRange(min=1), help="Stop after this many activation cells."
)
@time_limit_option()
@click.option(
    "--checkpoint",
    type=click.Path(dir_okay=False),
    help="Save/resume the search state in this file (Ctrl-C keeps it).",
)
@click.option(
    "--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Processes to use."
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run the search on a Dask cluster (e.g. tcp://host:8786; needs neurogeom[distributed]).",
)
@click.option(
    "--tol",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    callback=finite,
    help="Relative tolerance of float mode (default 1e-9).",
)
@click.option("--volumes", is_flag=True, help="Compute cell volumes (exact with --exact).")
@click.option(
    "--plot",
    "plot_file",
    type=click.Path(dir_okay=False),
    help="Draw the 2-D partition coloured by linear region to this image file.",
)
@click.option("--cells", is_flag=True, help="With --json: include every cell and region.")
@activation_option
@json_option
@quiet_option
def regions(
    net: str,
    box: tuple[str, str] | None,
    exact: bool,
    method: str,
    max_regions: int | None,
    time_limit: float | None,
    checkpoint: str | None,
    workers: int,
    scheduler: str | None,
    tol: float | None,
    volumes: bool,
    plot_file: str | None,
    cells: bool,
    activation: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Count the activation regions and linear regions of NET exactly.

    Reports four counts, each with its definition: activation regions (cells of constant
    activation pattern), linear regions joined across shared facets, linear regions joined
    where they touch at all, and bounded linear regions.

    \b
    Examples:
      neurogeom regions sectors --exact          # 6 facet-connected, 5 point-connected
      neurogeom regions two_moons --box -3 3 --plot moons.png
      neurogeom regions big.pt --time-limit 60 --checkpoint big.ckpt --json
      neurogeom regions big.pt --scheduler tcp://10.0.0.5:8786 --checkpoint big.ckpt
    """
    from neurogeom.core.figures import check_figure_target, save_figure
    from neurogeom.regions import enumerate_regions

    model, path = load_net(net, exact=exact, activation=activation)
    if method == "split" and box is None:
        raise InvalidInputError(
            "--method split needs --box LO HI (e.g. --box -1 1); use --method search for all of R^n"
        )
    if plot_file:
        if model.n_inputs != 2:
            raise InvalidInputError(
                f"--plot draws networks with 2 inputs; this one has {model.n_inputs}"
            )
        check_figure_target(plot_file)
    if scheduler and workers > 1:
        raise InvalidInputError("pass --workers (local processes) or --scheduler, not both")
    with dask_client(scheduler) as client:
        try:
            res = enumerate_regions(
                model,
                domain=parse_box(box),
                exact=exact,
                method=method,
                tol=tol,
                max_regions=max_regions,
                time_limit=time_limit,
                checkpoint=checkpoint,
                workers=workers,
                client=client,
                volumes=volumes,
                progress=not quiet,
            )
        except KeyboardInterrupt:
            _interrupted(checkpoint)
    if plot_file:
        save_figure(res.plot().figure, plot_file)
    emit(res.to_dict(cells=cells), as_json, regions_text(res, path))
    if not res.complete:
        sys.exit(EXIT_BUDGET)


def _interrupted(checkpoint: str | None) -> NoReturn:
    """Ctrl-C: say what was kept, exit with status 130."""
    if checkpoint:
        click.echo(
            f"neurogeom: interrupted: the search so far is saved in {checkpoint}; run the same "
            "command again to resume",
            err=True,
        )
    else:
        click.echo(
            "neurogeom: interrupted (nothing kept; --checkpoint FILE makes a search resumable)",
            err=True,
        )
    sys.exit(EXIT_INTERRUPTED)


@contextmanager
def dask_client(address: str | None) -> Iterator[Any]:
    """A Dask client connected to the scheduler at ``address`` (``None``: no client)."""
    if not address:
        yield None
        return
    distributed = require("dask.distributed", extra="distributed")
    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InvalidInputError(
            f"--scheduler: cannot reach a Dask scheduler at {address!r} ({exc})"
        ) from None
    try:
        yield client
    finally:
        client.close()
