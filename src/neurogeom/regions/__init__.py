"""Linear regions of ReLU networks: exact enumeration, counts, adjacency, volumes, pictures.

The main entry point is :func:`enumerate_regions`; :func:`count_regions` returns one count.
Every count names its definition (activation cells, facet-connected or point-connected linear
regions, bounded regions), see :mod:`neurogeom.regions.result`. The engines and the pipeline
behind them are private modules (``_search``, ``_split``, ``_pipeline``, ``_adjacency``,
``_checkpoint``). Per-region statistics (volumes, centroids, facets, 2-D edges) are
:func:`region_statistics`, which lives in :mod:`neurogeom.tropical.statistics`.
"""

from typing import Any

from neurogeom.regions.enumerate import count_regions, enumerate_regions
from neurogeom.regions.result import Cell, LinearRegion, Note, RegionResult, RegionStats

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


def __getattr__(name: str) -> Any:
    """The statistics names, imported on first use: :mod:`neurogeom.tropical` is not needed to
    enumerate regions, and importing it cost every run ~12 ms."""
    if name in ("RegionStatistics", "region_statistics"):
        from neurogeom.tropical import statistics

        return getattr(statistics, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
