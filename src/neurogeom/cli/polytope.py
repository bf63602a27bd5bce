"""``neurogeom polytope``: exact volumes and mixed volumes of polytopes from a file.

A polytope file is ``{"polytopes": [[[x, y, ...], ...], ...]}``: one vertex list per polytope
(numbers, or strings such as ``"1/3"``; decimals are read as written, ``0.1`` is 1/10).
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from neurogeom.cli._common import EXIT_BUDGET, emit, json_option, quiet_option, time_limit_option
from neurogeom.core.errors import BudgetExceededError, InvalidInputError
from neurogeom.core.files import check_readable
from neurogeom.core.rationals import fraction_to_json

__all__ = ["polytope", "read_polytopes"]


def read_polytopes(path: str | Path) -> list[Any]:
    """Read and validate a polytope file; return :class:`~neurogeom.polytopes.Polytope` values.

    Examples
    --------
    >>> import json, tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
    ...     json.dump({"polytopes": [[[0, 0], [1, 0], [0, "1/2"]]]}, fh)
    >>> [p.n_vertices for p in read_polytopes(fh.name)]
    [3]
    >>> os.unlink(fh.name)
    """
    from neurogeom.polytopes import Polytope

    file = check_readable(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"), parse_float=Decimal)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"{path}: not a JSON file ({exc})") from None
    if not isinstance(data, dict) or "polytopes" not in data:
        raise InvalidInputError(
            f'{path}: expected an object {{"polytopes": [[[x, y, ...], ...], ...]}} with a '
            '"polytopes" list of vertex lists'
        )
    items = data["polytopes"]
    if not isinstance(items, list) or not items:
        raise InvalidInputError(f'{path}: "polytopes" must be a non-empty list of vertex lists')
    out = []
    for i, verts in enumerate(items):
        if not isinstance(verts, list):
            raise InvalidInputError(f"{path}: polytope {i} must be a list of vertices")
        clean = [
            [str(v) if isinstance(v, Decimal) else v for v in row] if isinstance(row, list) else row
            for row in verts
        ]
        try:
            out.append(Polytope(clean))
        except InvalidInputError as exc:
            raise InvalidInputError(
                f"{path}: polytope {i}: {str(exc).replace('points[', 'vertex [')}"
            ) from None
    dims = {p.ambient_dim for p in out}
    if len(dims) > 1:
        raise InvalidInputError(
            f"{path}: the polytopes have points of different dimensions {sorted(dims)}; "
            "all must live in the same space"
        )
    return out


def _q(v: Any) -> Any:
    from neurogeom.polytopes import SurdVolume

    return str(v) if isinstance(v, SurdVolume) else fraction_to_json(v)


@click.group("polytope")
def polytope() -> None:
    """Exact volumes and mixed volumes of polytopes given by their vertices.

    \b
    FILE: {"polytopes": [[[x, y, ...], ...], ...]} (numbers or "p/q" strings).
    Examples:
      neurogeom polytope volume cube.json --json
      neurogeom polytope mixed-volume system.json --method mixed-cells
    """


@polytope.command("volume")
@click.argument("file")
@json_option
def volume_cmd(file: str, as_json: bool) -> None:
    """Exact volume, relative volume and normalised lattice volume of each polytope in FILE.

    \b
    Example:
      echo '{"polytopes": [[[0,0],[2,0],[0,2]]]}' > tri.json
      neurogeom polytope volume tri.json --json
    """
    from neurogeom.polytopes import lattice_volume, volume

    polys = read_polytopes(file)
    rows = []
    for p in polys:
        rows.append(
            {
                "dimension": p.dim,
                "ambient_dimension": p.ambient_dim,
                "vertices": p.n_vertices,
                "volume": _q(volume(p, relative=True)),
                "normalized_volume": _q(lattice_volume(p)),
                "lattice": p.is_lattice,
            }
        )
    out = {**rows[0], "polytopes": rows}
    lines = []
    for i, r in enumerate(rows):
        lines.append(
            f"polytope {i}: dimension {r['dimension']} in R^{r['ambient_dimension']}, "
            f"{r['vertices']} vertices, volume {r['volume']}"
            + (" (relative to its affine hull)" if r["dimension"] < r["ambient_dimension"] else "")
            + f", normalised lattice volume Vol_{r['dimension']} = {r['normalized_volume']}"
        )
    emit(out, as_json, "\n".join(lines))


@polytope.command("mixed-volume")
@click.argument("file")
@click.option(
    "--method",
    type=click.Choice(["auto", "mixed-cells", "polarization"]),
    default="auto",
    show_default=True,
    help="Mixed cells of a random lifting, or polarisation (2^n - 1 Minkowski sums).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the lifting.")
@time_limit_option(what="the mixed volume")
@quiet_option
@json_option
def mixed_volume_cmd(
    file: str, method: str, seed: int, time_limit: float | None, quiet: bool, as_json: bool
) -> None:
    """Mixed volume V(P1, ..., Pn) of the n polytopes in FILE (in R^n), V(P,...,P) = n! vol(P).

    \b
    Example:
      echo '{"polytopes": [[[0,0],[1,0],[0,1]], [[0,0],[2,0],[0,2]]]}' > pair.json
      neurogeom polytope mixed-volume pair.json --method mixed-cells --json
    """
    from neurogeom.polytopes import mixed_volume

    polys = read_polytopes(file)
    n = polys[0].ambient_dim
    if len(polys) != n:
        raise InvalidInputError(
            f"{file}: a mixed volume in dimension {n} needs exactly {n} polytopes, got {len(polys)}"
        )
    try:
        value = mixed_volume(
            polys, method=method, seed=seed, progress=not quiet, time_limit=time_limit
        )
    except BudgetExceededError as exc:
        emit(
            {"mixed_volume": None, "dimension": n, "method": method, "complete": False},
            as_json,
            f"mixed volume: not finished ({exc})",
        )
        sys.exit(EXIT_BUDGET)
    out = {
        "mixed_volume": fraction_to_json(value),
        "dimension": n,
        "method": method,
        "complete": True,
    }
    emit(
        out,
        as_json,
        f"mixed volume V(P1..P{n}) = {fraction_to_json(value)} (normalised: V(P..P) = {n}! vol(P))",
    )
