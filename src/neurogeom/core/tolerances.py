"""Scale-aware floating-point tolerances, stated once and passed explicitly.

Every float decision in neurogeom compares a quantity with zero: a slack, a radius, the distance
between two affine maps. A :class:`Tolerances` value says when such a quantity counts as zero and
when the decision is safe enough to be called *certified*:

- ``rel`` is *relative*: a quantity ``v`` measured on a problem of scale ``s`` (the size of the
  domain, of the network's weights) counts as zero when ``|v| <= rel * s``. Rescaling a network or
  its inputs does not change an answer.
- ``band`` is a safety factor. A decision whose quantity lies within a factor ``band`` of its
  threshold, ``rel * s / band < |v| < rel * s * band``, is still made, but it is *not certified*:
  a slightly different tolerance could have decided it the other way. Results list such decisions
  in their ``uncertified`` notes. A float answer is certified when every decision was at least a
  factor ``band`` away from its threshold, i.e. the same answer holds for every tolerance in
  ``[rel / band, rel * band]``.

Functions take ``tol=None`` (the defaults), a float (``rel``), or a :class:`Tolerances`;
:func:`check_tol` turns any of them into a :class:`Tolerances`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from neurogeom.core.errors import InvalidInputError

__all__ = [
    "DEFAULT_BAND",
    "DEFAULT_TOL",
    "Tolerances",
    "check_tol",
    "normalize_rows",
    "row_norms",
]

#: Default relative tolerance of float mode.
DEFAULT_TOL = 1e-9

#: Default certainty band: decisions within this factor of their threshold are not certified.
DEFAULT_BAND = 1e3


#: Python and NumPy scalars (``np.float64`` is a ``float``) that take the scalar path.
_SCALARS = (int, float, np.integer, np.floating)


def _plain(mask: Any) -> Any:
    """A Python bool for a scalar answer, the boolean array otherwise."""
    return bool(mask) if np.ndim(mask) == 0 else mask


@dataclass(frozen=True, slots=True)
class Tolerances:
    """The float thresholds of one computation.

    Parameters
    ----------
    rel : float
        Relative zero threshold, in ``(0, 1)``.
    band : float
        Certainty factor, at least 1.

    Examples
    --------
    >>> t = Tolerances(rel=1e-9)
    >>> t.is_zero(5e-10, scale=1.0), t.is_zero(2e-9, scale=1.0)
    (True, False)
    >>> t.unsure(5e-10, scale=1.0), t.unsure(1e-14, scale=1.0), t.unsure(1e-3, scale=1.0)
    (True, False, False)
    >>> t.strict, t.loose
    (1e-12, 1e-06)
    """

    rel: float = DEFAULT_TOL
    band: float = DEFAULT_BAND

    def __post_init__(self) -> None:
        if not (np.isfinite(self.rel) and 0 < self.rel < 1):
            raise InvalidInputError(f"tol must be a number in (0, 1), got {self.rel!r}")
        if not (np.isfinite(self.band) and self.band >= 1):
            raise InvalidInputError(f"the certainty band must be a number >= 1, got {self.band!r}")

    @property
    def strict(self) -> float:
        """``rel / band``: below this (relative) a quantity is zero beyond doubt."""
        return self.rel / self.band

    @property
    def loose(self) -> float:
        """``rel * band``: above this (relative) a quantity is nonzero beyond doubt."""
        return self.rel * self.band

    def is_zero(self, value: Any, scale: Any) -> Any:
        """Whether ``|value| <= rel * scale`` (elementwise for arrays)."""
        if isinstance(value, _SCALARS) and isinstance(scale, _SCALARS):
            return bool(abs(value) <= self.rel * scale)  # one LP's value at a time
        return _plain(np.abs(value) <= self.rel * np.asarray(scale))

    def unsure(self, value: Any, scale: Any) -> Any:
        """Whether ``|value|`` lies strictly inside the band around the threshold.

        Such a decision is made as :meth:`is_zero` says, but it is not certified.
        """
        if isinstance(value, _SCALARS) and isinstance(scale, _SCALARS):
            mag = abs(value)
            return bool(self.strict * scale < mag < self.loose * scale)
        mag = np.abs(value)
        s = np.asarray(scale)
        return _plain((mag > self.strict * s) & (mag < self.loose * s))

    def to_dict(self) -> dict[str, float]:
        """JSON-ready form."""
        return {"rel": self.rel, "band": self.band}


def check_tol(tol: float | Tolerances | None) -> Tolerances:
    """Validate a tolerance argument: ``None`` (defaults), a float (``rel``) or a value.

    Examples
    --------
    >>> check_tol(None) == Tolerances(), check_tol(1e-6).rel
    (True, 1e-06)
    >>> check_tol(2.0)
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.InvalidInputError: tol must be a number in (0, 1), got 2.0
    """
    if tol is None:
        return Tolerances()
    if isinstance(tol, Tolerances):
        return tol
    if isinstance(tol, bool) or not isinstance(tol, int | float | np.floating | np.integer):
        raise InvalidInputError(f"tol must be a number in (0, 1), got {tol!r}")
    return Tolerances(rel=float(tol))


def row_norms(a: np.ndarray) -> np.ndarray:
    """Euclidean norms of the rows of ``a``, without underflow or overflow.

    Each row is scaled by its largest entry first, so a row of entries around 1e-200 (whose
    squares underflow to 0) keeps its norm.

    Examples
    --------
    >>> row_norms(np.array([[3e-200, 4e-200], [0.0, 0.0]])).tolist()
    [5e-200, 0.0]
    """
    mat = np.asarray(a, dtype=np.float64)
    if mat.size == 0:
        return np.zeros(mat.shape[0])
    big = np.abs(mat).max(axis=1)
    safe = np.where(big > 0, big, 1.0)
    return big * np.linalg.norm(mat / safe[:, None], axis=1)


def normalize_rows(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scale each inequality ``a_i x <= b_i`` to a unit-norm normal.

    Returns ``(a / |a_i|, b / |a_i|, |a_i|)``; zero rows keep norm 0 and are left unchanged.

    Examples
    --------
    >>> a, b, n = normalize_rows(np.array([[3.0, 4.0], [0.0, 0.0]]), np.array([5.0, 1.0]))
    >>> a.tolist(), b.tolist(), n.tolist()
    ([[0.6, 0.8], [0.0, 0.0]], [1.0, 1.0], [5.0, 0.0])
    """
    norms = row_norms(a)
    safe = np.where(norms > 0, norms, 1.0)
    big = np.abs(a).max(axis=1) if a.size else np.zeros(len(b))
    # divide by the largest entry first: a / norm would underflow for tiny rows
    scale = np.where(big > 0, big, 1.0)
    unit = (a / scale[:, None]) / (safe / scale)[:, None]
    return unit, (b / scale) / (safe / scale), norms
