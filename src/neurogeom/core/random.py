"""One entry point for randomness: :func:`check_rng`.

neurogeom never touches NumPy's or Python's global random state; every randomised function takes
``seed`` and turns it into a :class:`numpy.random.Generator` here.
"""

from __future__ import annotations

import numbers

import numpy as np

from neurogeom.core.errors import InvalidInputError

__all__ = ["check_rng"]

SeedLike = int | np.random.Generator | np.random.SeedSequence | None


def check_rng(seed: SeedLike = None) -> np.random.Generator:
    """Turn a seed into a :class:`numpy.random.Generator`.

    Parameters
    ----------
    seed : None, int, SeedSequence or Generator
        ``None`` gives fresh OS entropy, an int or a SeedSequence a reproducible stream, and a
        Generator is returned as it is (so callers can share one stream).

    Returns
    -------
    numpy.random.Generator

    Raises
    ------
    InvalidInputError
        For anything else (floats, strings, the legacy ``RandomState``).

    Examples
    --------
    >>> a = check_rng(7).integers(100, size=3)
    >>> b = check_rng(7).integers(100, size=3)
    >>> bool((a == b).all())
    True
    >>> g = np.random.default_rng(0)
    >>> check_rng(g) is g
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        if seed < 0:
            raise InvalidInputError(f"seed must be a non-negative integer, got {seed}")
        return np.random.default_rng(int(seed))
    raise InvalidInputError(
        f"seed must be None, a non-negative int or a numpy.random.Generator, got {seed!r}"
    )
