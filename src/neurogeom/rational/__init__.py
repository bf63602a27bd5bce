"""Rational neural networks (activation ``σ(t) = 1/t``): expansion, dimensions, membership,
equations and training.

A rational network computes a tuple of rational functions with a common denominator,
``f = (P_1, ..., P_dL) / Q``. This package expands it exactly (python-flint polynomials),
counts the degrees and dimensions of the space such networks fill (the *neurovariety*, by exact
Jacobian ranks over a large prime field), decides whether given functions are computed by such a
network (and finds weights), finds equations of the neurovariety, and fits networks to data,
reading off their poles. Conventions and reference cases: ``specs/rational-networks.md``
(Grosdos–Robeva–Zubkov, arXiv 2509.11088).
"""

from neurogeom.rational.architecture import (
    ambient_dim,
    check_architecture,
    closed_form_dim,
    degrees,
    expected_dim,
    is_binary,
    is_shallow,
    parameter_count,
    symmetry_dim,
)
from neurogeom.rational.dimension import (
    DimensionResult,
    DimensionTable,
    dimension,
    dimension_table,
    fills,
    generic_degrees,
)
from neurogeom.rational.equations import (
    EquationSet,
    Implicitization,
    ambient_coordinates,
    implicitize,
    known_equations,
)
from neurogeom.rational.expansion import (
    Expansion,
    closed_formula,
    direct_composition,
    expand,
    homogenise,
)
from neurogeom.rational.membership import MembershipResult, member
from neurogeom.rational.polynomials import parse_polynomial
from neurogeom.rational.training import FitResult, Pole, extract_poles, fit

__all__ = [
    "DimensionResult",
    "DimensionTable",
    "EquationSet",
    "Expansion",
    "FitResult",
    "Implicitization",
    "MembershipResult",
    "Pole",
    "ambient_coordinates",
    "ambient_dim",
    "check_architecture",
    "closed_form_dim",
    "closed_formula",
    "degrees",
    "dimension",
    "dimension_table",
    "direct_composition",
    "expand",
    "expected_dim",
    "extract_poles",
    "fills",
    "fit",
    "generic_degrees",
    "homogenise",
    "implicitize",
    "is_binary",
    "is_shallow",
    "known_equations",
    "member",
    "parameter_count",
    "parse_polynomial",
    "symmetry_dim",
]
