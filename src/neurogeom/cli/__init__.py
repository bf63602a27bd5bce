"""The ``neurogeom`` command line: one module per command group.

Every command takes a network file (``.json``, ``.pt``/``.pth``, ``.onnx``, ``.npz``) or the name
of a bundled example, prints a readable summary or, with ``--json``, one JSON object on stdout.
Exit status: 0 success, 2 bad input (one line on stderr naming the problem), 3 a budget ran out
(partial results are printed with ``"complete": false``), 130 interrupted, 1 anything else.
Shared options and error handling live in :mod:`neurogeom.cli._common`.
"""

from __future__ import annotations

import click

from neurogeom._version import __version__
from neurogeom.cli._common import NeurogeomGroup, protected_stdout
from neurogeom.cli.analyze import analyze
from neurogeom.cli.depth import depth
from neurogeom.cli.homology import homology
from neurogeom.cli.info import info
from neurogeom.cli.polytope import polytope
from neurogeom.cli.rational import rational
from neurogeom.cli.regions import regions
from neurogeom.cli.symmetry import symmetry
from neurogeom.cli.tropical import tropical

__all__ = ["entry", "main"]


@click.group(cls=NeurogeomGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
      neurogeom rational dim 3 2 1                 # networks with activation 1/x
      neurogeom homology two_moons example:circle  # a circle's homology, layer by layer
      neurogeom symmetry canonical max2 --exact
      neurogeom tropical max2 --prune              # the tropical rational map
      neurogeom depth --max 8 --weights integer    # certified >= 3 hidden layers
      neurogeom polytope mixed-volume system.json
    """


for _command in (info, regions, tropical, rational, homology, symmetry, depth, polytope, analyze):
    main.add_command(_command)


def entry() -> None:
    """The installed ``neurogeom`` program: :func:`main` with standard output kept for its own
    output (anything a C library prints goes to standard error instead)."""
    with protected_stdout():
        main()
