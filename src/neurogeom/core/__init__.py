"""Small shared kernels: errors, exact rationals, the LP wrapper, tolerances, union-find, progress.

Nothing in ``core`` knows about networks; every analysis package builds on it.
"""

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
from neurogeom.core.random import check_rng
from neurogeom.core.unionfind import UnionFind

__all__ = [
    "BackendUnavailableError",
    "BudgetExceededError",
    "Float64RangeError",
    "InvalidInputError",
    "InvalidNetworkError",
    "NeurogeomError",
    "NumericalError",
    "UnionFind",
    "UnsupportedLayerError",
    "check_rng",
]
