"""Parameter symmetries of ReLU networks: canonical forms, equivalence, moves, functional
dimension, extraction and alignment.
"""

from neurogeom.symmetry.canonical import CanonicalForm, Kink, canonical_form
from neurogeom.symmetry.equivalence import Equivalence, are_equivalent
from neurogeom.symmetry.shallow import ShallowNet, as_shallow, difference

__all__ = [
    "CanonicalForm",
    "Equivalence",
    "Kink",
    "ShallowNet",
    "are_equivalent",
    "as_shallow",
    "canonical_form",
    "difference",
]
