"""Scale-aware floating-point tolerances, stated once and passed explicitly.

A tolerance in neurogeom is *relative*: ``tol`` multiplies a scale that the caller knows (the norm
of a row, the radius of the domain), so rescaling a network or its inputs does not change an
answer. :data:`DEFAULT_TOL` is the documented default; functions take ``tol=None`` to mean it.
"""

from __future__ import annotations

import numpy as np

from neurogeom.core.errors import InvalidInputError

__all__ = ["DEFAULT_TOL", "check_tol", "normalize_rows"]

#: Default relative tolerance of float mode (row-normalised Chebyshev radius, map equality).
DEFAULT_TOL = 1e-9


def check_tol(tol: float | None) -> float:
    """Validate a relative tolerance, defaulting to :data:`DEFAULT_TOL`.

    Examples
    --------
    >>> check_tol(None) == DEFAULT_TOL, check_tol(1e-6)
    (True, 1e-06)
    """
    if tol is None:
        return DEFAULT_TOL
    t = float(tol)
    if not np.isfinite(t) or not 0 < t < 1:
        raise InvalidInputError(f"tol must be a number in (0, 1), got {tol!r}")
    return t


def normalize_rows(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scale each inequality ``a_i x <= b_i`` to a unit-norm normal.

    Returns ``(a / |a_i|, b / |a_i|, |a_i|)``; zero rows keep norm 0 and are left unchanged.

    Examples
    --------
    >>> a, b, n = normalize_rows(np.array([[3.0, 4.0], [0.0, 0.0]]), np.array([5.0, 1.0]))
    >>> a.tolist(), b.tolist(), n.tolist()
    ([[0.6, 0.8], [0.0, 0.0]], [1.0, 1.0], [5.0, 0.0])
    """
    norms = np.linalg.norm(a, axis=1)
    safe = np.where(norms > 0, norms, 1.0)
    return a / safe[:, None], b / safe, norms
