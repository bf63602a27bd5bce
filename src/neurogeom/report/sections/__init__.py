"""The built-in report sections, one module per analysis; importing this package registers them."""

from neurogeom.report.sections import (
    depth,
    info,
    rational,
    regions,
    symmetry,
    topology,
    tropical,
)

__all__ = ["depth", "info", "rational", "regions", "symmetry", "topology", "tropical"]
