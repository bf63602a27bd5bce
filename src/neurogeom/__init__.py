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

__all__ = [
    "BackendUnavailableError",
    "BudgetExceededError",
    "InvalidInputError",
    "InvalidNetworkError",
    "NeurogeomError",
    "NumericalError",
    "RationalNet",
    "ReLUNet",
    "UnsupportedLayerError",
    "__version__",
]
