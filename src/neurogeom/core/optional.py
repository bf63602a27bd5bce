"""Lazy imports of optional dependencies behind one helper.

Heavy packages (torch, onnx, matplotlib, gudhi, sympy) are imported only when a function needs
them; a missing one raises :class:`~neurogeom.core.errors.BackendUnavailableError` naming the
extra that installs it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from neurogeom.core.errors import BackendUnavailableError

__all__ = ["require"]


def require(module: str, *, extra: str) -> ModuleType:
    """Import an optional dependency or explain how to install it.

    Parameters
    ----------
    module : str
        Module to import, e.g. ``"torch"`` or ``"matplotlib.pyplot"``.
    extra : str
        The neurogeom extra that provides it, e.g. ``"figures"``.

    Returns
    -------
    module
        The imported module.

    Raises
    ------
    BackendUnavailableError
        If the module cannot be imported.

    Examples
    --------
    >>> require("json", extra="none").dumps([1])
    '[1]'
    >>> require("no_such_module_xyz", extra="figures")
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.BackendUnavailableError: this needs ... pip install 'neurogeom[figures]'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        raise BackendUnavailableError(
            f"this needs the optional package {top!r}: pip install 'neurogeom[{extra}]'"
        ) from exc
