"""Counting for rational architectures: degrees, parameters, symmetries and dimensions by formula.

An *architecture* is the tuple of widths ``(d0, d1, ..., dL)``: ``d0`` inputs, ``L - 1`` hidden
layers with the activation ``σ(t) = 1/t``, ``dL`` outputs. A network of that shape computes
``f = (P_1, ..., P_dL) / Q`` with a common denominator; these functions count what the space of
such tuples looks like (Grosdos–Robeva–Zubkov, arXiv 2509.11088; conventions in
``specs/rational-networks.md``).

Dimensions are *projective* (function space): ``(P, Q)`` and ``(λP, λQ)`` are the same function,
so the ambient space of tuples of the right degrees is a projective space ``P(A_d)``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from neurogeom.core.errors import InvalidInputError

__all__ = [
    "ambient_dim",
    "check_architecture",
    "closed_form_dim",
    "degrees",
    "expected_dim",
    "is_binary",
    "is_shallow",
    "parameter_count",
    "symmetry_dim",
]


def check_architecture(arch: Any, *, name: str = "architecture") -> tuple[int, ...]:
    """Validate an architecture: at least two positive integer widths.

    Parameters
    ----------
    arch : sequence of int, or str
        Widths ``(d0, ..., dL)``; a string may separate them by commas, dashes or spaces
        (``"2,2,1"``, ``"2-2-1"``).
    name : str
        What the argument is called, for error messages.

    Returns
    -------
    tuple of int

    Raises
    ------
    InvalidInputError
        For fewer than two widths, a width that is not a positive integer, or a non-sequence.

    Examples
    --------
    >>> check_architecture("2,3,1"), check_architecture([2, 2, 2, 1])
    ((2, 3, 1), (2, 2, 2, 1))
    >>> check_architecture((2, 0, 1))
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.InvalidInputError: architecture: width 1 (hidden layer 1) is 0; ...
    """
    if isinstance(arch, str):
        parts = [p for p in re.split(r"[\s,\-]+", arch.strip()) if p]
        values: list[Any] = []
        for k, part in enumerate(parts):
            try:
                values.append(int(part))
            except ValueError:
                raise InvalidInputError(
                    f"{name}: width {k} is {part!r}, not an integer; write widths like '2,3,1'"
                ) from None
        arch = values
    if isinstance(arch, np.ndarray):
        arch = arch.tolist()
    if not isinstance(arch, Sequence):
        raise InvalidInputError(
            f"{name} must be a sequence of widths (d0, ..., dL), got {type(arch).__name__}"
        )
    if len(arch) < 2:
        raise InvalidInputError(
            f"{name} needs at least two widths (inputs and outputs), got {tuple(arch)}"
        )
    out = []
    last = len(arch) - 1
    for k, d in enumerate(arch):
        role = "inputs" if k == 0 else "outputs" if k == last else f"hidden layer {k}"
        if isinstance(d, bool) or not isinstance(d, int | np.integer):
            raise InvalidInputError(
                f"{name}: width {k} ({role}) is {d!r}; every width must be a positive integer"
            )
        if d < 1:
            raise InvalidInputError(
                f"{name}: width {k} ({role}) is {d}; every width must be a positive integer "
                "(a layer of width 0 computes nothing)"
            )
        out.append(int(d))
    return tuple(out)


def is_shallow(arch: Any) -> bool:
    """One hidden layer: ``(d0, d1, d2)``.

    Parameters
    ----------
    arch : sequence of int or str
        Widths ``(d0, ..., dL)`` (see :func:`check_architecture`).

    Returns
    -------
    bool

    Raises
    ------
    InvalidInputError
        For an invalid architecture.

    Examples
    --------
    >>> is_shallow((3, 2, 1)), is_shallow((2, 2, 2, 1))
    (True, False)
    """
    return len(check_architecture(arch)) == 3


def is_binary(arch: Any) -> bool:
    """Two inputs and every hidden layer of width 2: ``(2, 2, ..., 2, dL)``, at least one hidden.

    Parameters
    ----------
    arch : sequence of int or str
        Widths ``(d0, ..., dL)`` (see :func:`check_architecture`).

    Returns
    -------
    bool

    Raises
    ------
    InvalidInputError
        For an invalid architecture.

    Examples
    --------
    >>> is_binary((2, 2, 2, 3)), is_binary((3, 2, 2, 1)), is_binary((2, 3))
    (True, False, False)
    """
    a = check_architecture(arch)
    return len(a) >= 3 and all(d == 2 for d in a[:-1])


def parameter_count(arch: Any, *, bias: bool = False) -> int:
    """Number of weights ``Σ d_{i-1} d_i`` (plus ``Σ d_i`` biases with ``bias=True``).

    Parameters
    ----------
    arch : sequence of int or str
        Widths ``(d0, ..., dL)`` (see :func:`check_architecture`).
    bias : bool
        Count biases as parameters (default: the bias-free network).

    Returns
    -------
    int

    Raises
    ------
    InvalidInputError
        For an invalid architecture.

    Examples
    --------
    >>> parameter_count((2, 2, 1)), parameter_count((4, 3, 2), bias=True)
    (6, 23)
    """
    a = check_architecture(arch)
    n = sum(a[i - 1] * a[i] for i in range(1, len(a)))
    return n + (sum(a[1:]) if bias else 0)


def symmetry_dim(arch: Any) -> int:
    """Dimension of the symmetry group of the parametrisation: one scaling per hidden neuron.

    Scaling row ``j`` of ``W_k`` (and ``b_k``) by ``λ`` and column ``j`` of ``W_{k+1}`` by ``λ``
    leaves the function unchanged because ``σ(λz) = σ(z)/λ``; permutations of hidden neurons add
    only a finite group.

    Parameters
    ----------
    arch : sequence of int or str
        Widths ``(d0, ..., dL)`` (see :func:`check_architecture`).

    Returns
    -------
    int
        The number of hidden neurons.

    Raises
    ------
    InvalidInputError
        For an invalid architecture.

    Examples
    --------
    >>> symmetry_dim((2, 3, 2, 1))
    5
    """
    return sum(check_architecture(arch)[1:-1])


def _closed_degrees(a: tuple[int, ...]) -> tuple[int, int]:
    """Degrees ``(deg P, deg Q)`` of the bias-free closed formula (spec §1), for ``d0 >= 2``."""
    n_layers = len(a) - 1
    e = [0, 1]  # e[k] = deg p^(k) = prod_{i<k} (d_i - 1)
    for k in range(2, n_layers + 1):
        e.append(e[-1] * (a[k - 1] - 1))
    c = [0, 0] + [a[k - 1] * e[k - 1] for k in range(2, n_layers + 1)]  # c[k] = deg q^(k)
    deg_p = e[n_layers] + sum(c[t] for t in range(n_layers - 1, -1, -2))
    deg_q = sum(c[t] for t in range(n_layers, -1, -2))
    return deg_p, deg_q


def degrees(arch: Any, *, bias: bool = False) -> tuple[int, int]:
    """Degrees ``(deg P, deg Q)`` of the reduced output ``(P_1, ..., P_dL) / Q`` of generic weights.

    Bias-free: ``P`` and ``Q`` are forms (homogeneous) with ``deg P - deg Q = (-1)^(L-1)``, from
    the closed formula of the spec: with ``e_1 = 1``, ``e_k = prod_{i<k} (d_i - 1)`` and
    ``c_k = d_{k-1} e_{k-1}``, ``deg P = e_L + Σ_{t in S_L} c_t`` and ``deg Q = Σ_{t in T_L} c_t``
    (``S_L = {L-1, L-3, ...}``, ``T_L = {L, L-2, ...}``). With one input every output is
    ``c · x^(±1)``.

    With biases, ``P`` and ``Q`` are polynomials of total degree ``d1 d2 ... d_{L-1}`` each (an
    affine map, ``(1, 0)``, when there is no hidden layer).

    Both were checked against the reduced expansion of random networks for every architecture
    with widths <= 3 and at most four layers (``tests/rational``).

    Parameters
    ----------
    arch : sequence of int or str
        Widths ``(d0, ..., dL)`` (see :func:`check_architecture`).
    bias : bool
        Count biases as parameters (default: the bias-free network).

    Returns
    -------
    tuple of int
        ``(deg P, deg Q)``.

    Raises
    ------
    InvalidInputError
        For an invalid architecture.

    Examples
    --------
    >>> degrees((2, 3, 2, 1)), degrees((2, 2, 2, 2, 1)), degrees((3, 1, 2))
    ((5, 4), (3, 4), (0, 1))
    >>> degrees((4, 3, 2), bias=True)
    (3, 3)
    """
    a = check_architecture(arch)
    n_layers = len(a) - 1
    if n_layers == 1:
        return (1, 0)
    if bias:
        n = math.prod(a[1:-1])
        return (n, n)
    if a[0] == 1:
        return (1, 0) if n_layers % 2 else (0, 1)
    return _closed_degrees(a)


def _n_monomials(n_vars: int, degree: int, *, homogeneous: bool) -> int:
    if homogeneous:
        return math.comb(n_vars + degree - 1, degree)
    return math.comb(n_vars + degree, degree)


def ambient_dim(arch: Any, *, bias: bool = False) -> int:
    """Projective dimension of the space of tuples ``(P_1, ..., P_dL, Q)`` of the right degrees.

    Bias-free: ``dL · N_{deg P} + N_{deg Q} - 1`` with ``N_k = C(d0 + k - 1, k)`` forms of degree
    ``k``. With biases the polynomials are not homogeneous and ``N_k = C(d0 + k, k)``.

    Parameters
    ----------
    arch : sequence of int or str
        Widths ``(d0, ..., dL)`` (see :func:`check_architecture`).
    bias : bool
        Count biases as parameters (default: the bias-free network).

    Returns
    -------
    int
        Projective dimension.

    Raises
    ------
    InvalidInputError
        For an invalid architecture.

    Examples
    --------
    >>> ambient_dim((3, 2, 1)), ambient_dim((2, 2, 2, 2)), ambient_dim((4, 3, 2), bias=True)
    (8, 10, 104)
    """
    a = check_architecture(arch)
    deg_p, deg_q = degrees(a, bias=bias)
    homogeneous = not bias
    return (
        a[-1] * _n_monomials(a[0], deg_p, homogeneous=homogeneous)
        + _n_monomials(a[0], deg_q, homogeneous=homogeneous)
        - 1
    )


def expected_dim(arch: Any, *, bias: bool = False) -> int:
    """``min(parameters - symmetries, ambient)``: the dimension if nothing else is lost.

    It is an upper bound of the true dimension (the scalings act with orbits of dimension
    ``Σ hidden widths`` on generic weights, and the image lies in the ambient space).

    Parameters
    ----------
    arch : sequence of int or str
        Widths ``(d0, ..., dL)`` (see :func:`check_architecture`).
    bias : bool
        Count biases as parameters (default: the bias-free network).

    Returns
    -------
    int
        Projective dimension.

    Raises
    ------
    InvalidInputError
        For an invalid architecture.

    Examples
    --------
    >>> expected_dim((3, 2, 1)), expected_dim((2, 2, 1)), expected_dim((4, 3, 2), bias=True)
    (6, 4, 20)
    """
    a = check_architecture(arch)
    return min(parameter_count(a, bias=bias) - symmetry_dim(a), ambient_dim(a, bias=bias))


def closed_form_dim(arch: Any) -> tuple[int, str] | None:
    """The dimension of the bias-free neurovariety by a closed formula, where one is known.

    Returns ``(dimension, source)`` or ``None``:

    - no hidden layer: the linear maps, ``d0 · dL``;
    - one input: ``c · x^(±1)``, dimension ``dL``;
    - shallow ``(d0, d1, d2)`` with ``d0 >= 2``: ``d1 (d0 + d2 - 1)`` (derived in the spec §2:
      the parametrisation is generically finite to one up to the scalings);
    - binary ``(2, 2, ..., 2, dL)``: ``2 (dL + L - 1)`` (spec §3: every binary layer is a Möbius
      map, so the output is ``(ℓ_i N) / D``).

    Parameters
    ----------
    arch : sequence of int or str
        Widths ``(d0, ..., dL)`` (see :func:`check_architecture`).

    Returns
    -------
    tuple (int, str) or None
        The dimension (projective, bias-free) and the formula's name.

    Raises
    ------
    InvalidInputError
        For an invalid architecture.

    Examples
    --------
    >>> closed_form_dim((3, 2, 1)), closed_form_dim((2, 2, 2, 2, 2))
    ((6, 'shallow: d1 (d0 + d2 - 1)'), (10, 'binary: 2 (dL + L - 1)'))
    >>> closed_form_dim((2, 3, 2, 1)) is None
    True
    """
    a = check_architecture(arch)
    n_layers = len(a) - 1
    if n_layers == 1:
        return a[0] * a[1], "linear maps: d0 dL"
    if a[0] == 1:
        return a[-1], "one input: c x^(+-1)"
    if n_layers == 2:
        return a[1] * (a[0] + a[2] - 1), "shallow: d1 (d0 + d2 - 1)"
    if is_binary(a):
        return 2 * (a[-1] + n_layers - 1), "binary: 2 (dL + L - 1)"
    return None
