"""Maxout networks: affine layers whose hidden neurons come in blocks, each passing on its max.

A hidden layer of *rank* ``k`` has ``k·u`` rows; its pre-activations are grouped in consecutive
blocks of ``k`` (rows ``0..k-1``, ``k..2k-1``, ...) and each block outputs its largest value, so
the layer passes ``u`` values (its *units*) to the next one. The last layer is affine. Rank 1 is
the identity (a purely affine layer).

A maxout network is piecewise linear and convex in each unit, so it has a tropical form
(:func:`neurogeom.tropical.tropicalize`) and its linear regions can be counted through it
(:func:`neurogeom.tropical.linear_regions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from neurogeom.core.errors import InvalidNetworkError
from neurogeom.nets._stack import AffineStack

__all__ = ["MaxoutNet"]


def _check_rank(k: Any, what: str) -> int:
    if isinstance(k, bool) or not isinstance(k, int | np.integer):
        raise InvalidNetworkError(f"{what} must be a positive integer, got {k!r}")
    if k < 1:
        raise InvalidNetworkError(
            f"{what} must be at least 1 (the number of pre-activations each unit takes the max "
            f"of), got {k}"
        )
    return int(k)


class MaxoutNet(AffineStack):
    """A feed-forward maxout network.

    Parameters
    ----------
    weights : sequence of 2-D array-likes
        One ``(out, in)`` matrix per affine layer. A hidden layer of rank ``k`` with ``u`` units
        has ``k·u`` rows; the next layer has ``u`` columns.
    biases : sequence of 1-D array-likes or None, optional
        One vector per layer; zeros if omitted (``None`` for a layer: no bias).
    ranks : int or sequence of int
        The maxout rank of every hidden layer (one int for all of them), each at least 1.
    exact : bool, optional
        Exact rational weights; inferred from the entries when omitted (see
        :class:`~neurogeom.nets._stack.AffineStack`).
    name, output_transform
        As for :class:`~neurogeom.nets.ReLUNet`.

    Raises
    ------
    InvalidNetworkError
        For a rank below 1, a hidden width not divisible by its rank, shapes that do not chain,
        or a wrong number of ranks.

    Examples
    --------
    ``max(x, -x, 1/2) = max(|x|, 1/2)``, then ``2·unit - 1``:

    >>> net = MaxoutNet([[[1], [-1], [0]], [[2]]], [[0, 0, "1/2"], [-1]], ranks=3)
    >>> net
    MaxoutNet(1-1-1, maxout:3, exact)
    >>> net([[-3], ["1/5"]]).ravel().tolist()
    [Fraction(5, 1), Fraction(0, 1)]
    >>> net.architecture, net.preactivation_widths, net.n_parameters
    ((1, 1, 1), (3, 1), 8)
    >>> net.to_float()([[-3.0]]).tolist()
    [[5.0]]
    """

    __slots__ = ("_ranks",)

    def __init__(
        self,
        weights: Sequence[Any],
        biases: Sequence[Any] | None = None,
        *,
        ranks: int | Sequence[int],
        exact: bool | None = None,
        name: str | None = None,
        output_transform: str | None = None,
    ) -> None:
        if isinstance(ranks, Sequence) and not isinstance(ranks, str):
            self._ranks: int | tuple[int, ...] = tuple(
                _check_rank(k, f"ranks[{l}]") for l, k in enumerate(ranks)
            )
        else:
            self._ranks = _check_rank(ranks, "ranks")
        given = self._ranks
        if (
            isinstance(given, tuple)
            and isinstance(weights, Sequence)
            and len(weights)
            and len(given) != len(weights) - 1
        ):
            raise InvalidNetworkError(
                f"got {len(given)} maxout rank(s) for {len(weights) - 1} hidden layer(s); give one "
                "rank per hidden layer (or one int for all)"
            )
        super().__init__(weights, biases, exact=exact, name=name, output_transform=output_transform)
        hidden = len(self._weights) - 1
        if isinstance(given, int):
            self._ranks = (given,) * hidden
        elif len(given) != hidden:
            raise InvalidNetworkError(
                f"got {len(given)} maxout rank(s) for {hidden} hidden layer(s); give one rank per "
                "hidden layer (or one int for all)"
            )

    def _rank(self, layer: int) -> int:
        ranks = self._ranks
        if isinstance(ranks, int):
            return ranks
        return ranks[layer] if layer < len(ranks) else 1

    def _passed_width(self, layer: int, rows: int) -> int:
        k = self._rank(layer)
        if rows % k:
            raise InvalidNetworkError(
                f"layer {layer}: {rows} rows do not split into blocks of maxout rank {k} "
                f"({rows} is not divisible by {k})"
            )
        return rows // k

    def _activation_state(self) -> dict[str, Any]:
        return {"_ranks": self._ranks}

    def _activation_in(self, exact: bool) -> tuple[dict[str, Any], bool]:
        return {"_ranks": self._ranks}, True

    # -- shape ----------------------------------------------------------------------------------
    @property
    def ranks(self) -> tuple[int, ...]:
        """Maxout rank of each hidden layer."""
        return self._ranks  # type: ignore[return-value]

    @property
    def activation(self) -> str:
        """Always ``"maxout"`` (the ranks are per layer, see :attr:`ranks`)."""
        return "maxout"

    @property
    def architecture(self) -> tuple[int, ...]:
        """Widths ``(n_inputs, units_1, ..., n_outputs)``: hidden layers count their units."""
        return (self.n_inputs, *self.hidden_widths, self.n_outputs)

    @property
    def preactivation_widths(self) -> tuple[int, ...]:
        """Rows of every affine layer (a hidden layer has ``rank × units`` rows)."""
        return tuple(w.shape[0] for w in self._weights)

    @property
    def hidden_widths(self) -> tuple[int, ...]:
        """Units of the hidden layers (what each passes on)."""
        return tuple(w.shape[0] // k for w, k in zip(self._weights[:-1], self.ranks, strict=True))

    def _describe_activation(self) -> str:
        ranks = self.ranks
        if not ranks:
            return "maxout"
        if len(set(ranks)) == 1:
            return f"maxout:{ranks[0]}"
        return "maxout:" + ",".join(map(str, ranks))

    # -- evaluation -----------------------------------------------------------------------------
    def evaluate(self, x: Any) -> np.ndarray:
        """Evaluate the network on one point or a batch.

        Parameters
        ----------
        x : array-like, shape (N, n_inputs) or (n_inputs,)
            Floats in float mode; numbers or literals (converted exactly) in exact mode.

        Returns
        -------
        ndarray
            Shape ``(N, n_outputs)`` (or ``(n_outputs,)`` for one point); Fractions in exact
            mode.

        Examples
        --------
        >>> net = MaxoutNet([[[1], [-1]], [[1]]], ranks=2)   # |x|
        >>> net.evaluate([[-2.0], [3.0]]).tolist()
        [[2.0], [3.0]]
        >>> net.evaluate([-2.5])
        array([2.5])
        """
        h, single = self._check_points(x)
        for l, (w, b) in enumerate(self.layers):
            h = h @ w.T + b
            if l < self.n_layers - 1:
                k = self.ranks[l]
                if k > 1:
                    h = h.reshape(h.shape[0], -1, k).max(axis=2)
        return h[0] if single else h

    __call__ = evaluate

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the neurogeom format (layers carry ``"maxout": k``).

        Examples
        --------
        >>> d = MaxoutNet([[[1], [-1]], [[1]]], [[0, "1/2"], None], ranks=2).to_dict()
        >>> d["activation"], d["layers"]
        ('maxout', [{'weight': [[1], [-1]], 'bias': [0, '1/2'], 'maxout': 2}, {'weight': [[1]]}])
        """
        from neurogeom.nets.io.json import to_json_dict

        return to_json_dict(self)
