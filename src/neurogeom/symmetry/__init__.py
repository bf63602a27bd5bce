"""Parameter symmetries of ReLU networks: canonical forms, equivalence, moves, functional
dimension, extraction and alignment.
"""

from neurogeom.symmetry.align import Alignment, align
from neurogeom.symmetry.canonical import CanonicalForm, Kink, canonical_form
from neurogeom.symmetry.dimension import FunctionalDimension, functional_dimension, jacobian
from neurogeom.symmetry.equivalence import Equivalence, are_equivalent
from neurogeom.symmetry.extract import Extraction, extract_shallow
from neurogeom.symmetry.moves import (
    FibreSample,
    FlipSets,
    Genericity,
    Move,
    MoveFamily,
    Symmetries,
    apply_move,
    flip_sets,
    has_hidden_symmetries,
    is_generic,
    orbit_canonical,
    random_move,
    sample_fiber,
    symmetries,
)
from neurogeom.symmetry.reduce import Reduction, realise, reduce_width
from neurogeom.symmetry.shallow import ShallowNet, as_shallow, difference

__all__ = [
    "Alignment",
    "CanonicalForm",
    "Equivalence",
    "Extraction",
    "FibreSample",
    "FlipSets",
    "FunctionalDimension",
    "Genericity",
    "Kink",
    "Move",
    "MoveFamily",
    "Reduction",
    "ShallowNet",
    "Symmetries",
    "align",
    "apply_move",
    "are_equivalent",
    "as_shallow",
    "canonical_form",
    "difference",
    "extract_shallow",
    "flip_sets",
    "functional_dimension",
    "has_hidden_symmetries",
    "is_generic",
    "jacobian",
    "orbit_canonical",
    "random_move",
    "realise",
    "reduce_width",
    "sample_fiber",
    "symmetries",
]
