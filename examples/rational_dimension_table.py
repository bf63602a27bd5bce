"""The dimension of every rational neurovariety with widths <= 6 and at most 4 layers.

Beyond the paper (Grosdos–Robeva–Zubkov, arXiv 2509.11088; ``specs/rational-networks.md``):
for every bias-free architecture ``(d0, ..., dL)`` with ``1 <= L <= 4`` layers and every width in
``1..6`` (9324 architectures), the projective dimension of the neurovariety from the exact
Jacobian rank over F_p (:func:`neurogeom.rational.dimension_table`, seed 0), beside the expected
dimension ``min(params - scalings, ambient)``. Each row says whether the dimension **matches**
the expected one or **drops** below it.

The table is committed next to this script as ``rational_dimension_table.csv``; this script
recomputes it (about 15 s on one core; the slowest architecture takes milliseconds, far below
the issue's limit of a minute each) and either rewrites it or, with ``--check``, compares the
recomputed table with the committed file byte for byte.

Columns: ``architecture`` (widths joined by ``-``), ``layers`` (L), ``parameters``,
``scalings`` (hidden neurons), ``expected``, ``dimension``, ``ambient``, ``fills``,
``status`` (``match`` or ``drop``), ``defect`` (expected - dimension), ``certified`` (the rank
reached the expected dimension, an upper bound, so the dimension is proven; otherwise it is the
best of two independent random draws, exact with high probability), ``closed_form`` (the value
of a known closed formula: linear maps, one input, shallow ``d1 (d0 + d2 - 1)``, binary
``2 (dL + L - 1)``; empty where none is known) and ``bottleneck_formula`` (empty unless a hidden
layer has width 1, see below).

Every drop in this range has a hidden layer of width 1, and its dimension is what that
bottleneck predicts [derived here; checked on every such row of the table]: if hidden layer
``k`` is the last one of width 1, the network is ``x -> c · z(x)^(±1)`` with ``z`` the scalar
output of the prefix ``(d0, ..., d_{k-1}, 1)`` and ``c`` any vector of ``C^dL`` (a one-input
bias-free net computes ``c t^(±1)``), so ``dim = dim(prefix) + dL - 1``.

Run with ``python examples/rational_dimension_table.py [--check] [--max-width W]
[--max-depth L] [--out FILE]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import time
from pathlib import Path

from neurogeom.rational import dimension_table

#: The committed table (``--max-width 6 --max-depth 4``, seed 0).
TABLE = Path(__file__).with_name("rational_dimension_table.csv")

COLUMNS = (
    "architecture",
    "layers",
    "parameters",
    "scalings",
    "expected",
    "dimension",
    "ambient",
    "fills",
    "status",
    "defect",
    "certified",
    "closed_form",
    "bottleneck_formula",
)


def arch_text(arch: tuple[int, ...]) -> str:
    return "-".join(map(str, arch))


def bottleneck_formula(arch: tuple[int, ...], dims: dict[tuple[int, ...], int]) -> int | None:
    """``dim(prefix) + dL - 1`` for the last hidden layer of width 1, or ``None`` without one.

    ``dims`` holds the dimensions of the shorter architectures (the prefix has fewer layers).
    """
    hidden = [k for k in range(1, len(arch) - 1) if arch[k] == 1]
    if not hidden:
        return None
    k = hidden[-1]
    return dims[(*arch[:k], 1)] + arch[-1] - 1


def compute(max_width: int = 6, max_depth: int = 4, *, seed: int = 0, progress: bool = False):
    """The table: the :class:`DimensionTable` and its CSV text."""
    table = dimension_table(
        max_width=max_width, max_depth=max_depth, min_depth=1, seed=seed, progress=progress
    )
    dims = {r.architecture: r.dimension for r in table.rows}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in table.rows:
        formula = bottleneck_formula(r.architecture, dims)
        writer.writerow(
            [
                arch_text(r.architecture),
                len(r.architecture) - 1,
                r.parameters,
                r.symmetries,
                r.expected_dimension,
                r.dimension,
                r.ambient_dimension,
                "yes" if r.fills else "no",
                "drop" if r.defect > 0 else "match",
                r.defect,
                "yes" if r.certified else "no",
                "" if r.closed_form is None else r.closed_form,
                "" if formula is None else formula,
            ]
        )
    return table, out.getvalue()


def summary(table, text: str) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(text)))
    drops = [r for r in rows if r["status"] == "drop"]
    width_one = [r for r in drops if r["bottleneck_formula"]]
    closed = [r for r in rows if r["closed_form"]]
    bottle = [r for r in rows if r["bottleneck_formula"]]
    slowest = max(table.rows, key=lambda r: r.seconds)
    return [
        f"{len(rows)} architectures (widths <= {table.max_width}, 1 <= L <= {table.max_depth}) "
        f"in {table.seconds:.1f} s; slowest {arch_text(slowest.architecture)} "
        f"{slowest.seconds:.3f} s",
        f"match the expected dimension: {len(rows) - len(drops)}; drop below it: {len(drops)} "
        f"({len(width_one)} of them with a hidden layer of width 1)",
        f"proven (rank reached the upper bound): {sum(r['certified'] == 'yes' for r in rows)}",
        f"fill the ambient space: {sum(r['fills'] == 'yes' for r in rows)}",
        f"closed formulas apply to {len(closed)}, equal the rank for "
        f"{sum(r['closed_form'] == r['dimension'] for r in closed)}",
        f"bottleneck formula applies to {len(bottle)}, equals the rank for "
        f"{sum(r['bottleneck_formula'] == r['dimension'] for r in bottle)}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-width", type=int, default=6)
    parser.add_argument("--max-depth", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=TABLE, help="CSV file to write")
    parser.add_argument(
        "--check", action="store_true", help="compare with the committed table instead of writing"
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    table, text = compute(args.max_width, args.max_depth, seed=args.seed, progress=True)
    for line in summary(table, text):
        print(line)
    if args.check:
        same = args.out.read_text(encoding="utf-8") == text
        verdict = "identical" if same else "DIFFERS"
        print(f"{args.out}: {verdict} ({time.monotonic() - started:.1f} s)")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
