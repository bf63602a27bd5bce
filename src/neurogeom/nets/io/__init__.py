"""Readers and writers of network files, dispatched on the file suffix.

========  ==========================================  ===============
suffix    format                                      module
========  ==========================================  ===============
.json     neurogeom JSON (exact literals)             :mod:`.json`
.pt .pth  PyTorch ``state_dict`` (modules: from_torch) :mod:`.torch`
.onnx     ONNX graph of Gemm/MatMul+Add/Relu          :mod:`.onnx`
.npz      NumPy archive ``W0, b0, W1, b1, ...``       :mod:`.npz`
========  ==========================================  ===============
"""

from __future__ import annotations

import importlib
import os
import warnings
from pathlib import Path

from neurogeom.core.errors import InvalidInputError, UnsupportedLayerError
from neurogeom.core.files import check_readable
from neurogeom.nets.maxout import MaxoutNet
from neurogeom.nets.rational import RationalNet
from neurogeom.nets.relu import ReLUNet

__all__ = ["SUFFIXES", "NetworkReadWarning", "load", "save"]


class NetworkReadWarning(UserWarning):
    """A reader assumed something the file does not say, or kept something aside.

    Raised (as a warning) when a PyTorch ``state_dict`` records no activation and ReLU is assumed,
    and when a model's final Sigmoid or Softmax is kept as :attr:`output_transform`.
    """


def _warn(message: str) -> None:
    warnings.warn(message, NetworkReadWarning, stacklevel=3)


#: File suffix -> submodule implementing ``read_<fmt>`` / ``write_<fmt>``.
SUFFIXES = {".json": "json", ".pt": "torch", ".pth": "torch", ".onnx": "onnx", ".npz": "npz"}


def _module_for(path: Path, fmt: str | None):
    if fmt is None:
        fmt = SUFFIXES.get(path.suffix.lower())
        if fmt is None:
            raise InvalidInputError(
                f"cannot tell the format of {path} from its suffix {path.suffix!r}; "
                f"supported: {', '.join(sorted(SUFFIXES))} (or pass format=...)"
            )
    if fmt not in set(SUFFIXES.values()):
        raise InvalidInputError(
            f"unknown format {fmt!r}; supported: {', '.join(sorted(set(SUFFIXES.values())))}"
        )
    return fmt, importlib.import_module(f"neurogeom.nets.io.{fmt}")


def load(
    path: str | os.PathLike[str],
    *,
    exact: bool = False,
    format: str | None = None,
    activation: str | None = None,
) -> ReLUNet | RationalNet | MaxoutNet:
    """Load a network from a file, choosing the reader by the suffix.

    Parameters
    ----------
    path : path-like
        A ``.json``, ``.pt``/``.pth``, ``.onnx`` or ``.npz`` file.
    exact : bool
        Return the exact network (rational weights). Otherwise return float64 weights; for a
        JSON file that is the float64 view of the exact network, see Notes.
    format : str, optional
        Force a reader: ``"json"``, ``"torch"``, ``"onnx"`` or ``"npz"``.
    activation : str, optional
        The activation between layers (``"relu"``, ``"leaky_relu:<slope>"``, ``"rational"``) for
        files that do not record one: a PyTorch ``state_dict`` (else ReLU is assumed, with a
        :class:`NetworkReadWarning`), an ``.npz`` or JSON file without ``activation``. Where the
        file records the activation (or the model holds activation layers), they must agree.

    Returns
    -------
    ReLUNet or RationalNet
        Its :attr:`~neurogeom.nets.ReLUNet.name` is the path.

    Raises
    ------
    InvalidInputError
        Missing file, unknown suffix, or an ``activation`` that contradicts the file.
    InvalidNetworkError, UnsupportedLayerError
        Malformed content, or layers neurogeom cannot represent.

    Notes
    -----
    Numbers written as text are exact: the JSON literal ``0.1`` is 1/10. ``load(path)`` returns
    the float64 view of that exact network, and ``.to_exact()`` of it (which
    ``enumerate_regions(net, exact=True)`` calls) gives back the literals, not the binary values
    of the rounded floats; ``load(path).to_exact() == load(path, exact=True)``. Binary formats
    (PyTorch, ONNX tensors, ``.npz``) hold floats, which are converted exactly.

    Examples
    --------
    >>> from neurogeom.data import example_path
    >>> load(example_path("max2"), exact=True)
    ReLUNet(2-3-1, exact)
    >>> import json, tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "tenth.json"
    >>> _ = target.write_text(json.dumps({"layers": [{"weight": [[0.1]]}]}))
    >>> net = load(target)
    >>> float(net.weights[0][0, 0]), net.to_exact().weights[0][0, 0]
    (0.1, Fraction(1, 10))
    """
    p = check_readable(path)
    fmt, module = _module_for(p, format)
    net = getattr(module, f"read_{fmt}")(p, exact=exact, activation=activation)
    return net.with_name(str(p))


def save(
    net: ReLUNet | RationalNet | MaxoutNet,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
) -> None:
    """Write a network to a file in the format its suffix names (atomically).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> net = ReLUNet([[[1], [-1]], [[1, 1]]], exact=True)
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "abs.json"
    >>> save(net, target)
    >>> load(target, exact=True) == net
    True
    """
    p = Path(path)
    fmt, module = _module_for(p, format)
    if getattr(net, "activation", None) == "maxout" and fmt != "json":
        raise UnsupportedLayerError(
            f'{p}: maxout networks are written as JSON only (layers carry "maxout": k); '
            f"the {fmt} format has no maxout layers"
        )
    getattr(module, f"write_{fmt}")(net, p)
