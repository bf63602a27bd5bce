"""The neurogeom error family.

Every error raised on purpose by neurogeom derives from :class:`NeurogeomError` and also from the
built-in exception it most resembles, so ``except ValueError`` keeps working for callers who do not
know neurogeom. Messages name the offending layer, field, shape or value and say how to fix it.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "BackendUnavailableError",
    "BudgetExceededError",
    "Float64RangeError",
    "InvalidInputError",
    "InvalidNetworkError",
    "NeurogeomError",
    "NumericalError",
    "UnsupportedLayerError",
]


class NeurogeomError(Exception):
    """Base class of every error neurogeom raises deliberately."""


class InvalidNetworkError(NeurogeomError, ValueError):
    """A network is malformed: shapes do not chain, a weight is NaN or inf, a field is missing."""


class Float64RangeError(InvalidNetworkError):
    """An exact network has an entry beyond the float64 range, so it has no float64 version.

    Parameters
    ----------
    message : str
        The full message.
    entry : str
        The entry and its size, e.g. ``"layer 0: weight[0, 1] (about 1e+400)"``.
    """

    def __init__(self, message: str, *, entry: str) -> None:
        super().__init__(message)
        self.entry = entry


class UnsupportedLayerError(NeurogeomError, TypeError):
    """A model contains a layer or activation that neurogeom cannot represent exactly."""


class InvalidInputError(NeurogeomError, ValueError):
    """An argument other than a network is malformed (a point, a domain, a file, an option)."""


class NumericalError(NeurogeomError, ArithmeticError):
    """A floating-point computation could not be certified; ``exact=True`` avoids it."""


class BackendUnavailableError(NeurogeomError, ImportError):
    """An optional dependency is missing; the message names the extra to install."""


class BudgetExceededError(NeurogeomError, RuntimeError):
    """A stated budget ran out; :attr:`partial` holds the result computed so far.

    Parameters
    ----------
    message : str
        What ran out.
    partial : object, optional
        The partial result, marked incomplete.
    """

    def __init__(self, message: str, partial: Any = None) -> None:
        super().__init__(message)
        self.partial = partial
