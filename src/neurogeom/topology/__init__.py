"""Overlap decomposition and quotient homology of ReLU representations.

A ReLU network maps a sampled manifold ``X`` to its representation ``Φ(X)``. Two sources make
``Φ`` identify points: a rank drop inside one activation region, and *overlaps* — points of
different regions with the same image. This package finds the overlaps exactly (LPs through
:mod:`neurogeom.core.lp`, with a safe candidate filter), glues them into classes layer by layer,
and computes the homology of the quotient ``X / O_Φ``, which by Beshkov's theorem equals the
homology of the representation when each region meets the data in a convex set. Conventions,
modes and reference cases: ``specs/overlap-homology.md`` (Beshkov, arXiv 2502.01360).
"""

from neurogeom.topology.certify import Meeting, certify_gluings, meeting_regions
from neurogeom.topology.datasets import (
    load_points,
    sample_circle,
    sample_figure_eight,
    sample_shells,
    sample_sphere,
    sample_torus,
)
from neurogeom.topology.homology import (
    BACKENDS,
    ENGINES,
    Homology,
    LayerHomology,
    LayerwiseHomology,
    gudhi_available,
    layerwise_homology,
    persistence,
    quotient_homology,
    representation_homology,
    rips_edges,
)
from neurogeom.topology.overlap import (
    MODES,
    Gluing,
    LayerOverlap,
    OverlapDecomposition,
    RankDeficiencyWarning,
    overlap_decomposition,
)
from neurogeom.topology.regions import (
    Region,
    check_data,
    check_layer,
    check_relu,
    default_scale,
    layer_regions,
    representation,
)

__all__ = [
    "BACKENDS",
    "ENGINES",
    "MODES",
    "Gluing",
    "Homology",
    "LayerHomology",
    "LayerOverlap",
    "LayerwiseHomology",
    "Meeting",
    "OverlapDecomposition",
    "RankDeficiencyWarning",
    "Region",
    "certify_gluings",
    "check_data",
    "check_layer",
    "check_relu",
    "default_scale",
    "gudhi_available",
    "layer_regions",
    "layerwise_homology",
    "load_points",
    "meeting_regions",
    "overlap_decomposition",
    "persistence",
    "quotient_homology",
    "representation",
    "representation_homology",
    "rips_edges",
    "sample_circle",
    "sample_figure_eight",
    "sample_shells",
    "sample_sphere",
    "sample_torus",
]
