"""Tropical geometry of ReLU networks: tropical polynomials and rational maps, net -> tropical
form, pruning, Newton polytopes, linear regions, Hoffman constants and sampling estimators.

A ReLU (or leaky-ReLU) network computes a tropical rational map: per output a difference
``p - q`` of two max-plus polynomials ``max_i (c_i + α_i · x)``. :func:`tropicalize` builds it by
the Zhang–Naitzat–Lim layer recursion (exactly for exact networks), :func:`prune` drops monomials
whose dominance region is not full-dimensional, :func:`upper_hull` relates monomials to the
Newton polytope, :func:`linear_regions` counts the regions of a rational map (matching
:func:`neurogeom.regions.enumerate_regions`), :func:`hoffman_constant` and
:func:`effective_radius` bound a box that meets every region, and :func:`estimate_regions`
samples; :func:`region_statistics` gives volumes, centroids, facets and 2-D edges per region.
Conventions and reference cases: ``specs/regions-and-tropical.md`` (Lezeau, Walker, Cao,
Bhatia, Monod, arXiv 2405.20174; Zhang, Naitzat, Lim, arXiv 1805.07091).
"""

from neurogeom.tropical.conversion import (
    DEFAULT_MAX_MONOMIALS,
    MonomialEstimate,
    estimate_monomials,
    tropicalize,
    tropicalize_layers,
)
from neurogeom.tropical.hoffman import (
    HoffmanBounds,
    effective_radius,
    hoffman_bounds,
    hoffman_constant,
    matrix_hoffman,
)
from neurogeom.tropical.newton import UpperHull, newton_polytope, upper_hull
from neurogeom.tropical.polynomial import (
    TropicalPolynomial,
    TropicalRationalMap,
    tropical_product,
    tropical_sum,
)
from neurogeom.tropical.pruning import (
    PruneResult,
    dominance_rows,
    full_dimensional,
    prune,
    prune_polynomial,
)
from neurogeom.tropical.regions import TropicalCell, TropicalRegions, linear_regions
from neurogeom.tropical.sampling import (
    RegionEstimate,
    sample_regions,
    sample_regions_effective,
    sample_regions_symmetric,
)
from neurogeom.tropical.statistics import (
    RegionEdge,
    RegionStat,
    RegionStatistics,
    region_statistics,
)

__all__ = [
    "DEFAULT_MAX_MONOMIALS",
    "HoffmanBounds",
    "MonomialEstimate",
    "PruneResult",
    "RegionEdge",
    "RegionEstimate",
    "RegionStat",
    "RegionStatistics",
    "TropicalCell",
    "TropicalPolynomial",
    "TropicalRationalMap",
    "TropicalRegions",
    "UpperHull",
    "dominance_rows",
    "effective_radius",
    "estimate_monomials",
    "full_dimensional",
    "hoffman_bounds",
    "hoffman_constant",
    "linear_regions",
    "matrix_hoffman",
    "newton_polytope",
    "prune",
    "prune_polynomial",
    "region_statistics",
    "sample_regions",
    "sample_regions_effective",
    "sample_regions_symmetric",
    "tropical_product",
    "tropical_sum",
    "tropicalize",
    "tropicalize_layers",
    "upper_hull",
]
