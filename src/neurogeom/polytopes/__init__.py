"""Exact polytopes, volumes, lattice volumes and mixed volumes.

:class:`Polytope` is an immutable, hashable convex hull of rational points with exact vertex
pruning, faces, Minkowski sums, convex hulls, linear images and the zonotope test. Volumes are
exact rationals: Euclidean (full-dimensional or relative to the affine hull), normalised lattice
volumes in the lattice of the affine hull, and mixed volumes in the normalisation
``V(P, ..., P) = n! vol(P)``, by polarisation or by the mixed cells of a random lifting.
Conventions and reference cases: ``specs/polytopes-and-depth.md``.
"""

from neurogeom.polytopes.polytope import (
    AffineHull,
    Polytope,
    convex_hull,
    minkowski_difference,
    minkowski_sum,
)
from neurogeom.polytopes.volume import (
    MixedCell,
    SurdVolume,
    lattice_volume,
    mixed_cells,
    mixed_volume,
    normalized_volume,
    volume,
)

__all__ = [
    "AffineHull",
    "MixedCell",
    "Polytope",
    "SurdVolume",
    "convex_hull",
    "lattice_volume",
    "minkowski_difference",
    "minkowski_sum",
    "mixed_cells",
    "mixed_volume",
    "normalized_volume",
    "volume",
]
