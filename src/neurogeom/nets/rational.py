"""Rational networks: affine layers with the activation ``σ(t) = 1/t`` between them.

Such a network computes a tuple of rational functions of its inputs (Grosdos–Robeva–Zubkov,
arXiv 2509.11088). Evaluation meets *poles* where a hidden pre-activation vanishes; the caller
chooses what happens there with ``on_pole``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Literal

import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.nets._stack import AffineStack

__all__ = ["RationalNet"]


class RationalNet(AffineStack):
    """A network with activation ``σ(t) = 1/t`` after every layer but the last.

    Parameters
    ----------
    weights, biases, exact
        As for :class:`~neurogeom.nets.ReLUNet`.

    Examples
    --------
    ``x -> 1 / (x + 1)``:

    >>> net = RationalNet([[[1]], [[1]]], [[1], [0]], exact=True)
    >>> net
    RationalNet(1-1-1, rational, exact)
    >>> net([["1/2"]])
    array([[Fraction(2, 3)]], dtype=object)
    >>> net.to_float()([[-1.0]], on_pole="nan").tolist()
    [[nan]]
    """

    __slots__ = ()

    @property
    def activation(self) -> str:
        """Always ``"rational"`` (σ(t) = 1/t)."""
        return "rational"

    def _describe_activation(self) -> str:
        return "rational"

    def evaluate(self, x: Any, *, on_pole: Literal["raise", "nan"] = "raise") -> np.ndarray:
        """Evaluate on one point or a batch.

        Parameters
        ----------
        x : array-like, shape (N, n_inputs) or (n_inputs,)
        on_pole : {"raise", "nan"}
            At a pole (a hidden pre-activation exactly zero): raise
            :class:`~neurogeom.core.errors.InvalidInputError` naming the point, layer and neuron,
            or return NaN for that point (``None`` in exact mode).

        Returns
        -------
        ndarray, shape (N, n_outputs) or (n_outputs,)

        Examples
        --------
        >>> net = RationalNet([[[1.0]], [[1.0]]])
        >>> net.evaluate([[2.0]]).tolist()
        [[0.5]]
        >>> net.evaluate([[0.0]])
        Traceback (most recent call last):
        ...
        neurogeom.core.errors.InvalidInputError: point 0 is a pole: hidden layer 0, neuron 0 ...
        """
        if on_pole not in ("raise", "nan"):
            raise InvalidInputError(f"on_pole must be 'raise' or 'nan', got {on_pole!r}")
        h, single = self._check_points(x)
        pole = np.zeros(h.shape[0], dtype=bool)
        for l, (w, b) in enumerate(self.layers):
            z = h @ w.T + b
            if l == self.n_layers - 1:
                h = z
                break
            zero = z == 0
            if zero.any():
                if on_pole == "raise":
                    i, j = (int(v) for v in np.argwhere(zero)[0])
                    raise InvalidInputError(
                        f"point {i} is a pole: hidden layer {l}, neuron {j} has pre-activation 0;"
                        " pass on_pole='nan' to get NaN there"
                    )
                pole |= zero.any(axis=1)
            if self._exact:
                h = np.vectorize(
                    lambda t: Fraction(1) / t if t != 0 else Fraction(1), otypes=[object]
                )(z)
            else:
                with np.errstate(divide="ignore"):
                    h = np.where(zero, 1.0, 1.0 / np.where(zero, 1.0, z))
        if pole.any():
            h = h.astype(object) if self._exact else h.copy()
            h[pole] = None if self._exact else np.nan
        return h[0] if single else h

    __call__ = evaluate
