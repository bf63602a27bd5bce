"""``neurogeom rational``: networks with activation 1/x (dimensions, membership, expansion, fit).

Subcommands: ``dim`` (the dimension of the neurovariety of an architecture, or a table of them),
``member`` (is a rational function computed by such a network, and with which weights),
``expand`` (a network file as exact polynomials P_i / Q) and ``fit`` (train one on samples and
read off its poles).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
import numpy as np

from neurogeom.cli._common import (
    EXIT_BUDGET,
    emit,
    example_entry,
    json_option,
    load_net,
    quiet_option,
    time_limit_option,
)
from neurogeom.core.errors import InvalidInputError, UnsupportedLayerError

__all__ = ["EXAMPLE_DATA", "EXAMPLE_NETS", "rational"]


def _poles_1d() -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(-3, 3, 241)
    x = x[(np.abs(x - 1) > 0.05) & (np.abs(x + 2) > 0.05)]
    return x[:, None], (1 / (x - 1) - 2 / (x + 2) + 0.5)[:, None]


def _tan() -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(-3, 3, 601)
    x = x[np.abs(np.abs(x) - np.pi / 2) > 0.02]
    return x[:, None], np.tan(x)[:, None]


def _poles_2d() -> tuple[np.ndarray, np.ndarray]:
    x = np.random.default_rng(0).uniform(-3, 3, (400, 2))
    keep = (np.abs(x[:, 0] + x[:, 1] - 1) > 0.05) & (np.abs(x[:, 0] - 2 * x[:, 1]) > 0.05)
    x = x[keep]
    return x, (1 / (x[:, 0] + x[:, 1] - 1) + 3 / (x[:, 0] - 2 * x[:, 1]))[:, None]


#: Built-in samples for ``neurogeom rational fit example:NAME``: targets whose poles are known.
EXAMPLE_DATA = {
    "poles": ("1/(x-1) - 2/(x+2) + 1/2 on [-3, 3]", _poles_1d),
    "tan": ("tan(x) on [-3, 3] (poles at ±π/2, residue -1)", _tan),
    "poles2d": ("1/(x1+x2-1) + 3/(x1-2x2) at 400 points of [-3, 3]^2", _poles_2d),
}


#: Built-in networks for ``neurogeom rational expand example:NAME`` (the spec's examples).
EXAMPLE_NETS = {
    "shallow": ([[[1, 1], [1, -1]], [[1, 2]]], None),  # (3 x1 + x2) / (x1^2 - x2^2)
    "deep": ([[[1, 0], [0, 1]], [[1, 1], [1, -1]], [[1, 1]]], None),  # 2 x1 x2^2 / (x2^2 - x1^2)
    "biased": ([[[1, 1], [1, -1]], [[2, -1]]], [[1, 0], [0]]),  # 2/(x1 + x2 + 1) - 1/(x1 - x2)
}


def _load_rational(spec: str) -> tuple[Any, str]:
    from neurogeom.nets import RationalNet

    example = example_entry(spec, EXAMPLE_NETS, "network")
    if example is not None:
        weights, biases = example
        return RationalNet(weights, biases, exact=True), spec
    model, path = load_net(spec, exact=True)
    if not isinstance(model, RationalNet):
        raise UnsupportedLayerError(
            f'{path}: expand needs a rational network ("activation": "rational"), got '
            f"activation {model.activation!r}"
        )
    return model, path


def _arch_text(arch: Any) -> str:
    return "-".join(map(str, arch))


@click.group()
def rational() -> None:
    """Rational networks (activation 1/x): dimensions, membership, expansion, fitting.

    A network of architecture d0-d1-...-dL computes (P_1, ..., P_dL) / Q with a common
    denominator. Dimensions are projective (function space), for bias-free networks unless
    --bias is given.

    \b
    Examples:
      neurogeom rational dim 3 2 1
      neurogeom rational dim --table --max-width 4 --max-depth 3
      neurogeom rational member --arch 2,2,1 --numerators "3*x1 + x2" --denominator "x1^2 - x2^2"
      neurogeom rational expand net.json
      neurogeom rational fit example:poles --hidden 2
    """


# -- dim ------------------------------------------------------------------------------------------


def _dim_text(res: Any) -> str:
    d = res.to_dict()
    fc = res.float_check
    lines = [
        f"{_arch_text(res.architecture)}{' (with biases)' if res.bias else ''}: "
        f"{res.parameters} parameters, {res.symmetries} scaling symmetries",
        f"  degrees (P, Q)        {res.degrees}",
        f"  dimension             {res.dimension}"
        + ("" if res.certified else "  (lower bound; exact with high probability)"),
        f"  expected dimension    {res.expected_dimension}",
        f"  ambient dimension     {res.ambient_dimension}",
        f"  fills                 {'yes' if res.fills else 'no'}",
    ]
    if res.closed_form is not None:
        lines.append(f"  closed formula        {res.closed_form}  ({res.closed_form_source})")
    lines.append(
        f"  modular ranks         {list(res.ranks)} over F_{res.prime}, {res.rows} points, "
        f"{d['seconds']} s"
    )
    if fc is not None:
        gap = "n/a" if fc.gap is None else f"{fc.gap:.3g}"
        lines.append(
            f"  float check           rank {fc.rank}, singular-value gap {gap}"
            + ("" if fc.agrees else "  (DISAGREES: the float rank is unreliable here)")
        )
    lines.append("  (projective dimensions; the affine cone has one more)")
    return "\n".join(lines)


@rational.command("dim")
@click.argument("widths", nargs=-1)
@click.option("--bias", is_flag=True, help="Count biases as parameters.")
@click.option("--table", is_flag=True, help="Every architecture up to --max-width/--max-depth.")
@click.option(
    "--max-width", type=click.IntRange(min=1), default=4, show_default=True, help="For --table."
)
@click.option(
    "--max-depth",
    type=click.IntRange(min=2),
    default=3,
    show_default=True,
    help="For --table: most layers L (hidden layers + 1).",
)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option(
    "--no-float-check", is_flag=True, help="Skip the float SVD cross-check (tables skip it)."
)
@time_limit_option(what="the table")
@json_option
@quiet_option
def dim(
    widths: tuple[str, ...],
    bias: bool,
    table: bool,
    max_width: int,
    max_depth: int,
    seed: int,
    no_float_check: bool,
    time_limit: float | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Dimension of the neurovariety of the architecture D0 D1 ... DL.

    The dimension is the rank of the Jacobian of the parametrisation at random weights over
    the prime field F_p (exact), cross-checked by a float SVD; it is certified when it reaches
    the expected dimension min(parameters - scalings, ambient).

    \b
    Examples:
      neurogeom rational dim 3 2 1 --json
      neurogeom rational dim 2,3,2,1
      neurogeom rational dim --table --max-width 4 --max-depth 3 --time-limit 60
    """
    from neurogeom.rational import dimension, dimension_table

    if table:
        if widths:
            raise InvalidInputError("give either widths D0 D1 ... DL or --table, not both")
        res = dimension_table(
            max_width=max_width,
            max_depth=max_depth,
            bias=bias,
            seed=seed,
            float_check=False,
            time_limit=time_limit,
            progress=not quiet,
        )
        emit(res.to_dict(), as_json, res.text())
        if not res.complete:
            sys.exit(EXIT_BUDGET)
        return
    if not widths:
        raise InvalidInputError(
            "give the widths D0 D1 ... DL (e.g. 'neurogeom rational dim 3 2 1') or --table"
        )
    arch = " ".join(widths)
    res = dimension(arch, bias=bias, seed=seed, float_check=not no_float_check)
    emit(res.to_dict(), as_json, _dim_text(res))


# -- member ---------------------------------------------------------------------------------------


def _member_text(res: Any) -> str:
    def word(v: bool | None) -> str:
        return "unknown" if v is None else "yes" if v else "no"

    lines = [
        f"architecture {_arch_text(res.architecture)}, weights over {res.field}, "
        f"read as a {res.kind}",
        f"  in the neuromanifold M   {word(res.in_neuromanifold)}",
        f"  in the neurovariety V    {word(res.in_neurovariety)}",
        f"  certified                {'yes' if res.certified else 'no (a float step decided)'}",
        f"  why                      {res.reason}",
    ]
    if res.weights is not None:
        for k, w in enumerate(res.weights):
            rows = ["[" + ", ".join(_number(v) for v in row) + "]" for row in w]
            lines.append(f"  W{k + 1} = [{', '.join(rows)}]")
    return "\n".join(lines)


def _number(v: Any) -> str:
    if isinstance(v, complex | np.complexfloating):
        tiny = 1e-12 * max(1.0, abs(v))  # print round-off of complex weights as zero
        re = 0.0 if abs(v.real) <= tiny else float(v.real)
        im = 0.0 if abs(v.imag) <= tiny else float(v.imag)
        if im == 0:
            return f"{re:.6g}"
        return f"{im:.6g}j" if re == 0 else f"{re:.6g}{im:+.6g}j"
    if isinstance(v, float | np.floating):
        return f"{v:.6g}"
    return str(v)


@rational.command("member")
@click.option("--arch", required=True, help="Architecture D0,D1,...,DL.")
@click.option(
    "--numerators",
    required=True,
    help="P_1;P_2;... in x1, x2, ... (one per output, separated by ';').",
)
@click.option("--denominator", required=True, help="Q in x1, x2, ...")
@click.option(
    "--field",
    type=click.Choice(["Q", "R", "C"]),
    default="R",
    show_default=True,
    help="Field of the weights.",
)
@click.option(
    "--kind",
    type=click.Choice(["auto", "tuple", "function"]),
    default="auto",
    show_default=True,
    help="A point (P, Q) of the ambient space, or the rational functions P_i / Q.",
)
@json_option
def member(
    arch: str, numerators: str, denominator: str, field: str, kind: str, as_json: bool
) -> None:
    """Is (P_1, ..., P_dL) / Q computed by a bias-free rational network of architecture ARCH?

    Answers for the neuromanifold M (what weights over the field compute) and the neurovariety
    V (its closure): yes, no, or unknown where no test is known; prints weights when in M.

    \b
    Examples:
      neurogeom rational member --arch 2,2,1 --numerators "3*x1 + x2" --denominator "x1^2 - x2^2"
      neurogeom rational member --arch 2,2,1 --numerators x1 --denominator "x1^2 + x2^2" --field C
      neurogeom rational member --arch 2,2,2,2 --numerators "x1^3;x2^3" --denominator "x1*x2" --json
    """
    from neurogeom.rational import member as member_

    res = member_(arch, numerators, denominator, field=field, kind=kind)  # type: ignore[arg-type]
    emit(res.to_dict(), as_json, _member_text(res))


# -- expand ---------------------------------------------------------------------------------------


@rational.command("expand")
@click.argument("net")
@click.option(
    "--method",
    type=click.Choice(["auto", "closed", "direct"]),
    default="auto",
    show_default=True,
    help="Closed formula (biases by homogenisation) or direct composition.",
)
@click.option("--no-reduce", is_flag=True, help="Keep the closed formula's unreduced tuple.")
@click.option(
    "--max-terms",
    type=click.IntRange(min=1),
    default=200_000,
    show_default=True,
    help="Refuse expansions larger than this.",
)
@click.option("--sympy", "as_sympy", is_flag=True, help="Print sympy expressions.")
@json_option
def expand(
    net: str, method: str, no_reduce: bool, max_terms: int, as_sympy: bool, as_json: bool
) -> None:
    """Expand the rational network NET into exact polynomials f_i = P_i / Q.

    NET is a network file with "activation": "rational", or example:NAME (shallow, deep,
    biased: the spec's examples).

    \b
    Examples:
      neurogeom rational expand example:deep
      neurogeom rational expand net.json --method direct --json
    """
    from neurogeom.rational import expand as expand_

    model, path = _load_rational(net)
    res = expand_(
        model,
        method=method,  # type: ignore[arg-type]
        reduce=not no_reduce,
        max_terms=max_terms,
    )
    if as_sympy:
        text = "\n".join(f"f{i + 1} = {e}" for i, e in enumerate(res.to_sympy()))
    else:
        deg_p, deg_q = res.degrees
        text = (
            f"{path}: {_arch_text(res.architecture)}, degrees ({deg_p}, {deg_q}), "
            f"{res.method}{', reduced' if res.reduced else ''}\n{res.to_text()}"
        )
    emit(res.to_dict(), as_json, text)


# -- fit ------------------------------------------------------------------------------------------


def _read_data(spec: str, outputs: int) -> tuple[np.ndarray, np.ndarray, str]:
    example = example_entry(spec, EXAMPLE_DATA, "data")
    if example is not None:
        what, make = example
        x, y = make()
        return x, y, what
    path = Path(spec)
    if not path.exists():
        raise InvalidInputError(
            f"{spec!r} is not a file; give a .npz (arrays x, y) or .csv (outputs in the last "
            f"columns), or example:NAME ({', '.join(sorted(EXAMPLE_DATA))})"
        )
    if path.suffix == ".npz":
        with np.load(path) as data:
            keys = {k.lower(): k for k in data.files}
            if "x" not in keys or "y" not in keys:
                raise InvalidInputError(
                    f"{path}: a .npz needs arrays named x and y, found {sorted(data.files)}"
                )
            return np.asarray(data[keys["x"]]), np.asarray(data[keys["y"]]), str(path)
    try:
        table = np.loadtxt(path, delimiter=",", ndmin=2, comments="#")
    except ValueError:
        try:
            table = np.loadtxt(path, delimiter=",", ndmin=2, comments="#", skiprows=1)
        except ValueError as exc:
            raise InvalidInputError(f"{path}: not a numeric CSV table: {exc}") from None
    if table.shape[1] <= outputs:
        raise InvalidInputError(
            f"{path}: {table.shape[1]} column(s), but {outputs} output column(s) leave no inputs"
        )
    return table[:, :-outputs], table[:, -outputs:], str(path)


def _widths(text: str) -> tuple[int, ...]:
    try:
        out = tuple(int(v) for v in text.replace(",", " ").split())
    except ValueError:
        raise InvalidInputError(f"--hidden must be widths like 4 or 3,3, got {text!r}") from None
    if not out or any(v < 1 for v in out):
        raise InvalidInputError(f"--hidden must be positive widths like 4 or 3,3, got {text!r}")
    return out


@rational.command("fit")
@click.argument("data")
@click.option("--hidden", default="4", show_default=True, help="Hidden widths, e.g. 4 or 3,3.")
@click.option(
    "--outputs", type=click.IntRange(min=1), default=1, show_default=True, help="CSV: outputs."
)
@click.option(
    "--backend", type=click.Choice(["numpy", "torch"]), default="numpy", show_default=True
)
@click.option("--restarts", type=click.IntRange(min=1), default=4, show_default=True)
@click.option("--iterations", type=click.IntRange(min=1), default=300, show_default=True)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option(
    "--save", "save_to", type=click.Path(dir_okay=False), help="Write the fitted network (.json)."
)
@json_option
@quiet_option
def fit(
    data: str,
    hidden: str,
    outputs: int,
    backend: str,
    restarts: int,
    iterations: int,
    seed: int,
    save_to: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Fit a rational network with biases to DATA and print its poles.

    DATA is a .npz file (arrays x and y), a CSV table (the last --outputs columns are the
    targets) or example:NAME, samples of a target with known poles (poles, tan, poles2d).

    \b
    Examples:
      neurogeom rational fit example:poles --hidden 2
      neurogeom rational fit example:tan --hidden 4 --json
      neurogeom rational fit samples.csv --hidden 3 --save fitted.json
    """
    from neurogeom.nets.io import save
    from neurogeom.rational import fit as fit_

    x, y, source = _read_data(data, outputs)
    res = fit_(
        x,
        y,
        hidden=_widths(hidden),
        backend=backend,  # type: ignore[arg-type]
        restarts=restarts,
        iterations=iterations,
        seed=seed,
        progress=not quiet,
    )
    if save_to:
        save(res.net, save_to)
    lines = [
        f"{source}: fitted {_arch_text(res.net.architecture)} ({res.backend}), "
        f"mean squared relative residual {res.loss:.3g}"
    ]
    if res.poles is not None:
        for p in res.poles:
            where = (
                f"x = {p.location():.6g}"
                if p.location() is not None
                else f"{np.round(p.normal, 6).tolist()} · x {p.offset:+.6g} = 0"
            )
            lines.append(f"  pole {where}, residue {np.round(p.residue, 6).tolist()}")
    if save_to:
        lines.append(f"  saved to {save_to}")
    doc = res.to_dict()
    doc["data"] = source
    emit(doc, as_json, "\n".join(lines))
