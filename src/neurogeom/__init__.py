"""neurogeom: the exact geometry of neural networks.

Subpackages by topic: :mod:`neurogeom.nets` (network objects and file formats),
:mod:`neurogeom.regions` (linear regions), :mod:`neurogeom.core` (shared kernels). The most used
names are re-exported here.
"""

from neurogeom._version import __version__
from neurogeom.core.errors import (
    BackendUnavailableError,
    BudgetExceededError,
    InvalidInputError,
    InvalidNetworkError,
    NeurogeomError,
    NumericalError,
    UnsupportedLayerError,
)
from neurogeom.nets import RationalNet, ReLUNet
from neurogeom.nets.io import load, save
from neurogeom.regions import Domain, count_regions, enumerate_regions

__all__ = [
    "BackendUnavailableError",
    "BudgetExceededError",
    "Domain",
    "InvalidInputError",
    "InvalidNetworkError",
    "NeurogeomError",
    "NumericalError",
    "RationalNet",
    "ReLUNet",
    "UnsupportedLayerError",
    "__version__",
    "count_regions",
    "enumerate_regions",
    "load",
    "save",
]
