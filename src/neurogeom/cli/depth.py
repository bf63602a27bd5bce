"""``neurogeom depth``: certified bounds on the number of hidden layers a function needs."""

from __future__ import annotations

import sys

import click

from neurogeom.cli._common import (
    EXIT_BUDGET,
    emit,
    json_option,
    load_net,
    quiet_option,
    time_limit_option,
)
from neurogeom.core.errors import InvalidInputError

__all__ = ["depth"]


@click.command("depth")
@click.argument("net", required=False)
@click.option(
    "--max",
    "max_n",
    type=int,
    default=None,
    help="Bound MAX_n = max(x1, ..., xn) instead of a network.",
)
@click.option(
    "--function",
    "function",
    default=None,
    help="A named function instead: 'max:n' or 'F_n' (= max(0, x1, ..., xn)).",
)
@click.option(
    "--weights",
    default="integer",
    show_default=True,
    help="Weight class: integer, decimal, binary, nary:N (N >= 2) or real.",
)
@click.option("--output", type=int, default=0, show_default=True, help="Which network output.")
@click.option(
    "--explain", is_flag=True, help="Also explain the construction's denominators (--max 5)."
)
@time_limit_option(what="the bound search")
@quiet_option
@json_option
def depth(
    net: str | None,
    max_n: int | None,
    function: str | None,
    weights: str,
    output: int,
    explain: bool,
    time_limit: float | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Certified lower and known upper bounds on the depth (hidden layers) of NET or of MAX_n.

    \b
    Examples:
      neurogeom depth --max 8 --weights integer      # >= 3, with a certificate
      neurogeom depth --max 10 --weights decimal     # >= 3 = ceil(log3 10)
      neurogeom depth max2 --weights integer --json
    """
    from neurogeom.depth import WeightClass, depth_bounds, verify_certificate

    given = sum(x is not None for x in (net, max_n, function))
    if given != 1:
        raise InvalidInputError("give exactly one of NET, --max N or --function NAME")
    wc = WeightClass.parse(weights)
    if max_n is not None:
        if max_n < 1:
            raise InvalidInputError(
                f"--max must be a positive integer (the number of inputs), got {max_n}"
            )
        target = f"max:{max_n}"
    elif function is not None:
        target = function
    else:
        assert net is not None
        target, _ = load_net(net, exact=True)
    res = depth_bounds(target, weights=wc, output=output, progress=not quiet, time_limit=time_limit)
    cert = res.certificate
    verified = None if cert is None else verify_certificate(target, cert, output=output)
    out = {**res.to_dict(), "verified": verified}
    lines = [
        f"{res.target}, weights {res.weights}: at least {res.lower_bound} hidden layer"
        f"{'s' if res.lower_bound != 1 else ''}"
        + (
            f", at most {res.upper_bound} ({res.upper_reason})"
            if res.upper_bound is not None
            else ""
        )
    ]
    if cert is not None:
        lines.append(
            f"certificate ({'re-verified' if verified else 'NOT verified'}): {cert.explain()}"
        )
    lines += [f"note: {n}" for n in res.notes]
    if explain:
        if max_n is None:
            raise InvalidInputError("--explain needs --max N")
        from neurogeom.depth import bakaev_max5_terms, max_tree_net, verify_construction

        construction = bakaev_max5_terms() if max_n == 5 else max_tree_net(max_n)
        check = verify_construction(construction, target, time_limit=time_limit)
        out["construction"] = check.to_dict()
        status = {True: "proved", False: "FAILS", None: "not decided"}[check.computes]
        lines.append(
            f"construction: {check.hidden_layers} hidden layers, Minkowski identity {status}; "
            + check.explanation
        )
    emit(out, as_json, "\n".join(lines))
    if not res.complete:
        sys.exit(EXIT_BUDGET)
