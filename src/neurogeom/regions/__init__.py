"""Linear regions of ReLU networks: exact enumeration, counts, adjacency, volumes, pictures.

The main entry point is :func:`enumerate_regions`; :func:`count_regions` returns one count.
Every count names its definition (activation cells, facet-connected or point-connected linear
regions, bounded regions), see :mod:`neurogeom.regions.result`. The engines and the pipeline
behind them are private modules (``_search``, ``_split``, ``_pipeline``, ``_adjacency``,
``_checkpoint``). Per-region statistics (volumes, centroids, facets, 2-D edges) are
:func:`region_statistics`, which lives in :mod:`neurogeom.tropical.statistics`.
"""

from neurogeom.regions.enumerate import count_regions, enumerate_regions
from neurogeom.regions.result import Cell, LinearRegion, Note, RegionResult, RegionStats
from neurogeom.tropical.statistics import RegionStatistics, region_statistics

__all__ = [
    "Cell",
    "LinearRegion",
    "Note",
    "RegionResult",
    "RegionStatistics",
    "RegionStats",
    "count_regions",
    "enumerate_regions",
    "region_statistics",
]
