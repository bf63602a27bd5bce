"""Network objects: validated, immutable ReLU and rational networks, and their readers.

- :class:`ReLUNet`: ReLU / leaky-ReLU networks (float64 or exact rationals).
- :class:`RationalNet`: networks with activation ``σ(t) = 1/t``.
- :class:`MaxoutNet`: maxout networks (each hidden unit is the max of a block of ``k`` neurons).
- :func:`load` / :func:`save`: JSON, PyTorch, ONNX and NumPy ``.npz`` files.
- :class:`Float64RangeError`: an exact network with an entry beyond the float64 range.
"""

from neurogeom.core.errors import Float64RangeError
from neurogeom.nets.maxout import MaxoutNet
from neurogeom.nets.rational import RationalNet
from neurogeom.nets.relu import ReLUNet

__all__ = ["Float64RangeError", "MaxoutNet", "RationalNet", "ReLUNet"]
