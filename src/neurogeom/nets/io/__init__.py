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
from pathlib import Path

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.files import check_readable
from neurogeom.nets.rational import RationalNet
from neurogeom.nets.relu import ReLUNet

__all__ = ["SUFFIXES", "load", "save"]

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
    path: str | os.PathLike[str], *, exact: bool = False, format: str | None = None
) -> ReLUNet | RationalNet:
    """Load a network from a file, choosing the reader by the suffix.

    Parameters
    ----------
    path : path-like
        A ``.json``, ``.pt``/``.pth``, ``.onnx`` or ``.npz`` file.
    exact : bool
        Return exact rational weights (JSON literals as written; floats converted exactly).
    format : str, optional
        Force a reader: ``"json"``, ``"torch"``, ``"onnx"`` or ``"npz"``.

    Returns
    -------
    ReLUNet or RationalNet

    Raises
    ------
    InvalidInputError
        Missing file or unknown suffix.
    InvalidNetworkError, UnsupportedLayerError
        Malformed content, or layers neurogeom cannot represent.

    Examples
    --------
    >>> from neurogeom.data import example_path
    >>> load(example_path("max2"), exact=True)
    ReLUNet(2-3-1, exact)
    """
    p = check_readable(path)
    fmt, module = _module_for(p, format)
    return getattr(module, f"read_{fmt}")(p, exact=exact)


def save(
    net: ReLUNet | RationalNet, path: str | os.PathLike[str], *, format: str | None = None
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
    getattr(module, f"write_{fmt}")(net, p)
