"""Depth of ReLU networks: Newton pairs, certified depth bounds and known constructions.

A ReLU network's function is ``h_P - h_N`` for a pair of polytopes built layer by layer
(:func:`newton_pair`). Lattice-volume invariants of these polytopes modulo primes give lower
bounds on the number of hidden layers any network with integer, ``N``-ary or decimal weights
needs for the same function (Haase–Hertrich–Loho; Averkov–Hojny–Merkert), returned with a
certificate that :func:`verify_certificate` re-checks. Known constructions (binary trees,
the two-hidden-layer max of 5 of Bakaev et al.) give upper bounds and are verified exactly.
Conventions and reference cases: ``specs/polytopes-and-depth.md``.
"""

from neurogeom.depth.bounds import (
    DepthBounds,
    DepthCertificate,
    WeightClass,
    depth_bounds,
    verify_certificate,
)
from neurogeom.depth.constructions import (
    ConstructionCheck,
    ConstructionTerm,
    bakaev_max5_net,
    bakaev_max5_terms,
    explain_denominators,
    max_tree_net,
    verify_construction,
)
from neurogeom.depth.newton import (
    NewtonPair,
    check_newton_pair,
    function_pair,
    newton_pair,
    parse_function,
)
from neurogeom.depth.polytope_depth import PolytopeDepth, polytope_depth_bounds

__all__ = [
    "ConstructionCheck",
    "ConstructionTerm",
    "DepthBounds",
    "DepthCertificate",
    "NewtonPair",
    "PolytopeDepth",
    "WeightClass",
    "bakaev_max5_net",
    "bakaev_max5_terms",
    "check_newton_pair",
    "depth_bounds",
    "explain_denominators",
    "function_pair",
    "max_tree_net",
    "newton_pair",
    "parse_function",
    "polytope_depth_bounds",
    "verify_certificate",
    "verify_construction",
]
