"""Linear regions of ReLU networks: exact enumeration, counts, adjacency, volumes, pictures.

The main entry point is :func:`enumerate_regions`; :func:`count_regions` returns one count.
Every count names its definition (activation cells, facet-connected or point-connected linear
regions, bounded regions), see :mod:`neurogeom.regions.result`.
"""

from neurogeom.regions.domain import Domain
from neurogeom.regions.enumerate import count_regions, enumerate_regions
from neurogeom.regions.result import Cell, LinearRegion, RegionResult

__all__ = ["Cell", "Domain", "LinearRegion", "RegionResult", "count_regions", "enumerate_regions"]
