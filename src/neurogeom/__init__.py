"""neurogeom: the exact geometry of neural networks.

Subpackages by topic: :mod:`neurogeom.nets` (network objects, file formats and the shared cell
geometry), :mod:`neurogeom.regions` (linear regions), :mod:`neurogeom.core` (shared kernels:
domains, tolerances, budgets, exact rationals, LPs), :mod:`neurogeom.report` and
:mod:`neurogeom.cli` (the report and the command line). The most used names are re-exported here.
"""

from neurogeom._version import __version__
from neurogeom.core.domain import Domain
from neurogeom.core.errors import (
    BackendUnavailableError,
    BudgetExceededError,
    Float64RangeError,
    InvalidInputError,
    InvalidNetworkError,
    NeurogeomError,
    NumericalError,
    UnsupportedLayerError,
)
from neurogeom.core.tolerances import Tolerances
from neurogeom.nets import MaxoutNet, RationalNet, ReLUNet
from neurogeom.nets.io import load, save
from neurogeom.regions import RegionResult, count_regions, enumerate_regions

__all__ = [
    "BackendUnavailableError",
    "BudgetExceededError",
    "Domain",
    "Float64RangeError",
    "InvalidInputError",
    "InvalidNetworkError",
    "MaxoutNet",
    "NeurogeomError",
    "NumericalError",
    "RationalNet",
    "ReLUNet",
    "RegionResult",
    "Tolerances",
    "UnsupportedLayerError",
    "__version__",
    "count_regions",
    "enumerate_regions",
    "load",
    "save",
]
