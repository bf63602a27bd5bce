"""The ``neurogeom`` command line.

Every command takes a network file (``.json``, ``.pt``/``.pth``, ``.onnx``, ``.npz``) or the name
of a bundled example, prints a readable summary or, with ``--json``, one JSON object on stdout.
Exit status: 0 success, 2 bad input (one line on stderr naming the problem), 3 a budget ran out
(partial results are printed with ``"complete": false``), 1 anything else.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import click

from neurogeom._version import __version__
from neurogeom.core.errors import BudgetExceededError, NeurogeomError, NumericalError

EXIT_BAD_INPUT = 2
EXIT_BUDGET = 3


class _Group(click.Group):
    """Turns neurogeom errors into one-line messages and exit codes (no tracebacks)."""

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            click.echo(f"neurogeom: error: {exc.format_message()}{where}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except click.Abort:
            click.echo("neurogeom: aborted", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        if standalone_mode:
            sys.exit(rv if isinstance(rv, int) else 0)
        return rv

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BudgetExceededError as exc:
            click.echo(f"neurogeom: budget exhausted: {exc}", err=True)
            sys.exit(EXIT_BUDGET)
        except NumericalError as exc:
            click.echo(f"neurogeom: numerical problem: {exc}", err=True)
            sys.exit(1)
        except NeurogeomError as exc:
            click.echo(f"neurogeom: error: {exc}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except OSError as exc:
            click.echo(f"neurogeom: cannot read or write a file: {exc}", err=True)
            sys.exit(1)


def _load(spec: str, *, exact: bool, activation: str | None = None) -> tuple[Any, str]:
    """Load a network from a path or a bundled example name.

    Reader warnings (an assumed activation, a kept output transform) become one stderr line
    each. Every command analyses regions with float64 LPs, even with ``--exact``, so a network
    with an entry beyond the float64 range is refused here, naming the file and the entry.
    """
    import warnings

    from neurogeom.core.errors import InvalidInputError
    from neurogeom.data import example_path, list_examples
    from neurogeom.nets._stack import Float64RangeError
    from neurogeom.nets.io import load

    path = Path(spec)
    name = str(path)
    if not path.exists():
        if spec in list_examples():
            path, name = example_path(spec), spec
        elif not path.suffix:
            raise InvalidInputError(
                f"{spec!r} is neither a file nor a bundled example; bundled examples: "
                f"{', '.join(sorted(list_examples()))}"
            )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            net = load(path, exact=exact, activation=activation).with_name(name)
            if exact:
                net.to_float()
        except Float64RangeError as exc:
            raise InvalidInputError(
                f"{name}: {exc.entry} is beyond the float64 range (about 1.8e+308); the cell "
                "search solves float64 LPs even with --exact, so neurogeom cannot enumerate "
                "this network's regions (scale its weights down)"
            ) from None
    for warning in caught:
        click.echo(f"neurogeom: warning: {warning.message}", err=True)
    return net, str(path)


def _activation_option(command: Any) -> Any:
    """The ``--activation`` option of the commands that load a network."""
    return click.option(
        "--activation",
        metavar="ACT",
        help="Activation between layers for files that do not record it (a PyTorch "
        "state_dict; ReLU is assumed otherwise, with a warning): relu or "
        "leaky_relu:<slope>.",
    )(command)


def _emit(obj: dict[str, Any], as_json: bool, text: str) -> None:
    if as_json:
        click.echo(json.dumps(obj, indent=2))
    else:
        click.echo(text)


def _finite(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """Click callback refusing NaN and infinity (FloatRange lets them through)."""
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a finite number")
    return value


def _info_dict(net: Any) -> dict[str, Any]:
    return {
        "architecture": list(net.architecture),
        "parameters": net.n_parameters,
        "activation": net.activation,
        "hidden_neurons": net.n_hidden,
        "layers": net.n_layers,
        "exact": net.exact,
    }


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="neurogeom")
def main() -> None:
    """neurogeom: the exact geometry of neural networks.

    NET is a network file (.json, .pt/.pth, .onnx, .npz) or the name of a bundled example
    (two_moons, max2, abs, rg1, rg2, sectors, tent3).

    \b
    Examples:
      neurogeom analyze                      # everything, on the bundled two-moons classifier
      neurogeom info max2 --json
      neurogeom regions sectors --exact
      neurogeom regions two_moons --box -3 3 --plot regions.png
    """


@main.command()
@click.argument("net")
@_activation_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def info(net: str, activation: str | None, as_json: bool) -> None:
    """Architecture, parameter count and activation of NET.

    \b
    Example:
      neurogeom info max2 --json
    """
    model, path = _load(net, exact=False, activation=activation)
    d = _info_dict(model)
    text = (
        f"{path}\n  architecture  {'-'.join(map(str, d['architecture']))}\n"
        f"  parameters    {d['parameters']}\n  activation    {d['activation']}\n"
        f"  hidden        {d['hidden_neurons']} neurons in {d['layers'] - 1} layer(s)"
    )
    _emit(d, as_json, text)


def _parse_box(box: tuple[str, str] | None) -> Any:
    if box is None:
        return None
    from neurogeom.core.errors import InvalidInputError

    lo, hi = box
    try:
        los = [v.strip() for v in lo.split(",")]
        his = [v.strip() for v in hi.split(",")]
    except AttributeError:  # pragma: no cover - click gives strings
        raise InvalidInputError("--box needs two numbers LO HI") from None
    return (los[0] if len(los) == 1 else los, his[0] if len(his) == 1 else his)


def _regions_text(res: Any, path: str) -> str:
    c = res.counts()
    lines = [
        f"{path}  on {res.domain!r}  ({res.method} engine{', exact' if res.exact else ''})",
        f"  activation regions              {c['activation_regions']}",
        f"  linear regions (facet-connected) {c['linear_regions']}",
        f"  linear regions (point-connected) {c['linear_regions_point_connected']}",
        f"  bounded linear regions          {c['bounded_regions']}",
        f"  LPs solved                      {res.stats.get('lps', 0)}",
        f"  seconds                         {res.stats.get('seconds', 0):.3f}",
    ]
    if not res.complete:
        lines.append("  INCOMPLETE: a budget ran out; counts are lower bounds")
    if res.uncertified:
        lines.append(
            f"  {len(res.uncertified)} item(s) could not be certified (see --json); try --exact"
        )
    return "\n".join(lines)


@main.command()
@click.argument("net")
@click.option(
    "--box",
    nargs=2,
    metavar="LO HI",
    help="Count on the box LO <= x <= HI (numbers, or comma-separated vectors); "
    "default: all of R^n.",
)
@click.option("--exact", is_flag=True, help="Exact rational arithmetic: certified counts.")
@click.option(
    "--method",
    type=click.Choice(["auto", "search", "split"]),
    default="auto",
    show_default=True,
    help="Cell engine (split: 2-3 inputs on a box).",
)
@click.option(
    "--max-regions", type=click.IntRange(min=1), help="Stop after this many activation cells."
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    callback=_finite,
    help="Stop the cell search after SECONDS.",
)
@click.option(
    "--checkpoint",
    type=click.Path(dir_okay=False),
    help="Save/resume the search state in this file.",
)
@click.option(
    "--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Processes to use."
)
@click.option(
    "--tol",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    callback=_finite,
    help="Relative tolerance of float mode (default 1e-9).",
)
@click.option(
    "--plot",
    "plot_file",
    type=click.Path(dir_okay=False),
    help="Draw the 2-D partition coloured by linear region to this image file.",
)
@click.option("--cells", is_flag=True, help="With --json: include every cell and region.")
@_activation_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def regions(
    net: str,
    box: tuple[str, str] | None,
    exact: bool,
    method: str,
    max_regions: int | None,
    time_limit: float | None,
    checkpoint: str | None,
    workers: int,
    tol: float | None,
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
    """
    from neurogeom.core.errors import InvalidInputError
    from neurogeom.regions import enumerate_regions

    model, path = _load(net, exact=exact, activation=activation)
    if method == "split" and box is None:
        raise InvalidInputError(
            "--method split needs --box LO HI (e.g. --box -1 1); use --method search for all of R^n"
        )
    if plot_file:
        _check_plot_target(plot_file, model.n_inputs)
    res = enumerate_regions(
        model,
        domain=_parse_box(box),
        exact=exact,
        method=method,
        tol=tol,
        max_regions=max_regions,
        time_limit=time_limit,
        checkpoint=checkpoint,
        workers=workers,
        progress=not quiet,
    )
    if plot_file:
        _save_plot(res, plot_file)
    _emit(res.to_dict(cells=cells), as_json, _regions_text(res, path))
    if not res.complete:
        sys.exit(EXIT_BUDGET)


def _check_plot_target(target: str | Path, n_inputs: int) -> None:
    """Refuse a picture that cannot be drawn or written, before any long computation."""
    from neurogeom.core.errors import InvalidInputError
    from neurogeom.core.optional import require

    if n_inputs != 2:
        raise InvalidInputError(f"--plot draws networks with 2 inputs; this one has {n_inputs}")
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInputError(f"--plot {target}: the folder {folder} does not exist")
    figure = require("matplotlib.figure", extra="figures")
    supported = figure.Figure().canvas.get_supported_filetypes()
    suffix = target.suffix.lstrip(".").lower()
    if suffix not in supported:
        raise InvalidInputError(
            f"--plot {target}: cannot write {suffix or 'files without a suffix'!r}; "
            f"use one of {', '.join(sorted(supported))}"
        )


def _save_plot(res: Any, target: str | Path, box: Any = None) -> None:
    from neurogeom.core.files import atomic_path
    from neurogeom.core.optional import require

    plt = require("matplotlib.pyplot", extra="figures")
    ax = res.plot(box=box)
    target = Path(target)
    with atomic_path(target) as tmp:
        ax.figure.savefig(
            tmp, format=target.suffix.lstrip(".") or "png", dpi=120, bbox_inches="tight"
        )
    plt.close(ax.figure)


@main.command()
@click.argument("net", required=False)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(),
    default="neurogeom-report",
    show_default=True,
    help="Folder for report.json and figures.",
)
@click.option("--exact", is_flag=True, help="Exact rational arithmetic where it applies.")
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    callback=_finite,
    default=120.0,
    show_default=True,
    help="Budget in seconds for the region search.",
)
@_activation_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
def analyze(
    net: str | None,
    out_dir: str,
    exact: bool,
    time_limit: float,
    activation: str | None,
    quiet: bool,
) -> None:
    """Run every analysis that applies to NET and write a report.

    Without NET, analyses the bundled two-moons classifier. Writes OUT/report.json and, for
    2-D inputs, OUT/regions.png (the input partition coloured by linear region).

    \b
    Examples:
      neurogeom analyze
      neurogeom analyze my_net.json --out report --exact
    """
    from neurogeom.data import DEFAULT_EXAMPLE
    from neurogeom.report.analyze import run_analysis

    model, path = _load(net or DEFAULT_EXAMPLE, exact=exact, activation=activation)
    report, text = run_analysis(
        model, path, Path(out_dir), exact=exact, time_limit=time_limit, progress=not quiet
    )
    click.echo(text)
    if not report.get("complete", True):
        sys.exit(EXIT_BUDGET)


if __name__ == "__main__":  # pragma: no cover
    main()
