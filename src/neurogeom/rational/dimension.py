"""Dimensions of neurovarieties: exact Jacobian ranks over F_p, a float cross-check, filling.

The neurovariety ``V_d`` of an architecture is the closure of the set of functions its networks
compute; its (projective) dimension is the rank of the Jacobian of the parametrisation at
generic weights. Here the Jacobian is evaluated at random weights and inputs in the prime field
F_p, ``p = 2147483629`` (exact, no rounding), and its rank is taken with python-flint
``nmod_mat``. That rank is a *certified lower bound* of the dimension (a minor that is nonzero
mod p is nonzero over Q), and :func:`~neurogeom.rational.expected_dim` is a certified upper
bound, so when they meet the dimension is proven; otherwise it equals the rank with high
probability, and two independent trials are taken.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from neurogeom.core.budget import Budget
from neurogeom.core.errors import InvalidInputError
from neurogeom.core.progress import progress_bar
from neurogeom.core.random import check_rng
from neurogeom.core.rationals import DEFAULT_PRIME, modular_rank
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.rational._jacobian import Floats, ModP, jacobian_rows, sampled_degrees
from neurogeom.rational.architecture import (
    ambient_dim,
    check_architecture,
    closed_form_dim,
    degrees,
    expected_dim,
    is_binary,
    parameter_count,
    symmetry_dim,
)

__all__ = [
    "FLOAT_RANK_TOL",
    "DimensionResult",
    "DimensionTable",
    "FloatCheck",
    "dimension",
    "dimension_table",
    "fills",
    "generic_degrees",
    "table_architectures",
]

#: Extra sample points beyond the upper bound of the rank (spec §5: "+2").
DEFAULT_MARGIN = 3

#: Default relative threshold of the float rank: singular values (of the Jacobian with columns
#: scaled to unit norm) below ``1e-12 * s_max`` count as zero, and those within the default band
#: (a factor 1000 either side) make the float rank unsure. Round-off sits near ``1e-16 * s_max``;
#: deep nets have genuine singular values near ``1e-10 * s_max``, hence this choice.
FLOAT_RANK_TOL = Tolerances(rel=1e-12)


@dataclass(frozen=True, slots=True)
class FloatCheck:
    """The floating-point cross-check of a modular rank.

    Attributes
    ----------
    rank : int
        Number of singular values above ``tol.rel * s_max`` (columns scaled to unit norm).
    gap : float or None
        ``s_{r-1} / s_r`` at the modular rank ``r`` (``None`` when ``r`` is the full width):
        a large gap means the float computation sees the same rank clearly.
    agrees : bool
        Whether ``rank`` equals the modular rank.
    unsure : bool
        Whether a singular value fell inside the tolerance band (then ``rank`` is not certain).

    Examples
    --------
    >>> check = dimension((2, 2, 1), seed=0).float_check
    >>> check.agrees, check.to_dict()["rank"]
    (True, 4)
    """

    rank: int
    gap: float | None
    agrees: bool
    unsure: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form.

        Examples
        --------
        >>> sorted(dimension((3, 2, 1), seed=0).float_check.to_dict())
        ['agrees', 'rank', 'singular_value_gap', 'unsure']
        """
        return {
            "rank": self.rank,
            "singular_value_gap": self.gap,
            "agrees": self.agrees,
            "unsure": self.unsure,
        }


@dataclass(frozen=True, slots=True)
class DimensionResult:
    """Dimension of the neurovariety of one architecture (projective convention).

    Attributes
    ----------
    architecture : tuple of int
    bias : bool
        Whether biases are parameters.
    dimension : int
        Jacobian rank over F_p (the best of the trials).
    ambient_dimension, expected_dimension : int
        See :func:`~neurogeom.rational.ambient_dim`, :func:`~neurogeom.rational.expected_dim`.
    parameters, symmetries : int
    degrees : tuple of int
        ``(deg P, deg Q)``.
    certified : bool
        Whether ``dimension`` is proven: the rank (a lower bound) reached the expected dimension
        (an upper bound). Otherwise it is exact with high probability.
    closed_form : int or None
        The closed formula's value, where one is known (:func:`closed_form_dim`).
    ranks : tuple of int
        The modular rank of each trial.
    prime, rows : int
        The field and the number of sample points (Jacobian rows).
    float_check : FloatCheck or None
    seconds : float

    Examples
    --------
    >>> r = dimension((2, 2, 1), seed=0)
    >>> r.fills, r.defect, r.to_dict()["convention"][:10]
    (True, 0, 'projective')
    """

    architecture: tuple[int, ...]
    bias: bool
    dimension: int
    ambient_dimension: int
    expected_dimension: int
    parameters: int
    symmetries: int
    degrees: tuple[int, int]
    certified: bool
    closed_form: int | None
    closed_form_source: str | None
    ranks: tuple[int, ...]
    prime: int
    rows: int
    float_check: FloatCheck | None = None
    seconds: float = 0.0

    @property
    def fills(self) -> bool:
        """Whether the neurovariety is the whole ambient space.

        Examples
        --------
        >>> dimension((2, 3, 1), seed=0).fills, dimension((3, 3, 1), seed=0).fills
        (True, False)
        """
        return self.dimension == self.ambient_dimension

    @property
    def defect(self) -> int:
        """``expected - dimension``: how much the dimension drops below the parameter count.

        Examples
        --------
        >>> dimension((3, 1, 3, 2), seed=0).defect  # a width-1 bottleneck: 4 instead of 6
        2
        """
        return self.expected_dimension - self.dimension

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the keys of ``neurogeom rational dim --json``).

        Examples
        --------
        >>> d = dimension((3, 2, 1), seed=0).to_dict()
        >>> d["dimension"], d["ambient_dimension"], d["closed_form"], d["modular"]["ranks"]
        (6, 8, 6, [6])
        """
        return {
            "architecture": list(self.architecture),
            "bias": self.bias,
            "dimension": self.dimension,
            "ambient_dimension": self.ambient_dimension,
            "expected_dimension": self.expected_dimension,
            "fills": self.fills,
            "defect": self.defect,
            "parameters": self.parameters,
            "symmetries": self.symmetries,
            "degrees": {"numerator": self.degrees[0], "denominator": self.degrees[1]},
            "certified": self.certified,
            "closed_form": self.closed_form,
            "closed_form_source": self.closed_form_source,
            "convention": "projective (function space); the affine cone has dimension + 1",
            "modular": {"prime": self.prime, "ranks": list(self.ranks), "rows": self.rows},
            "float_check": None if self.float_check is None else self.float_check.to_dict(),
            "seconds": round(self.seconds, 4),
        }

    def __repr__(self) -> str:
        arch = "-".join(map(str, self.architecture))
        tag = "" if self.certified else ", w.h.p."
        return (
            f"DimensionResult({arch}{', bias' if self.bias else ''}: dim {self.dimension}"
            f"{tag}, expected {self.expected_dimension}, ambient {self.ambient_dimension}"
            f"{', fills' if self.fills else ''})"
        )


def _float_check(
    arch: tuple[int, ...],
    *,
    bias: bool,
    rows: int,
    modular: int,
    rng: np.random.Generator,
    tol: Tolerances,
) -> FloatCheck:
    field_ = Floats()
    weights = [field_.random(rng, (arch[l + 1], arch[l])) for l in range(len(arch) - 1)]
    biases = [field_.random(rng, arch[l + 1]) for l in range(len(arch) - 1)] if bias else None
    x = field_.random(rng, (rows, arch[0]))
    r = field_.random(rng, (rows, arch[-1]))
    jac = jacobian_rows(field_, weights, biases, x, r).rows
    norms = np.linalg.norm(jac, axis=0)
    jac = jac / np.where(norms > 0, norms, 1.0)
    s = np.linalg.svd(jac, compute_uv=False)
    if s.size == 0 or s[0] == 0:
        return FloatCheck(0, None, modular == 0, False)
    above = ~np.asarray(tol.is_zero(s, s[0]), dtype=bool)
    rank = int(above.sum())
    unsure = bool(np.asarray(tol.unsure(s, s[0])).any())
    gap = None
    if 0 < modular < s.size:
        gap = float(s[modular - 1] / s[modular]) if s[modular] > 0 else float("inf")
    return FloatCheck(rank, gap, rank == modular, unsure)


def _modular_rank_once(
    arch: tuple[int, ...], *, bias: bool, rows: int, rng: np.random.Generator, p: int
) -> int:
    field_ = ModP(p)
    weights = [field_.random(rng, (arch[l + 1], arch[l])) for l in range(len(arch) - 1)]
    biases = [field_.random(rng, arch[l + 1]) for l in range(len(arch) - 1)] if bias else None
    x = field_.random(rng, (rows, arch[0]))
    r = field_.random(rng, (rows, arch[-1]))
    result = jacobian_rows(field_, weights, biases, x, r)
    for _ in range(5):  # points on a pole (probability ~ degree / p) are drawn again
        if result.ok.all():
            break
        bad = ~result.ok
        x[bad] = field_.random(rng, (int(bad.sum()), arch[0]))
        result = jacobian_rows(field_, weights, biases, x, r)
    return modular_rank(result.rows[result.ok], p)


def dimension(
    arch: Any,
    *,
    bias: bool = False,
    seed: Any = None,
    trials: int = 2,
    float_check: bool = True,
    tol: float | Tolerances | None = None,
    p: int = DEFAULT_PRIME,
) -> DimensionResult:
    """Dimension of the neurovariety of ``arch`` from the exact Jacobian rank over F_p.

    Parameters
    ----------
    arch : sequence of int or str
        Widths ``(d0, ..., dL)``.
    bias : bool
        Count biases as parameters (the spec's oracles are bias-free: the default).
    seed : int, Generator or None
        Randomness for weights and sample points.
    trials : int
        Independent modular ranks to take when the first does not reach the expected dimension
        (the best is kept).
    float_check : bool
        Also compute the rank from a float64 SVD and report the singular-value gap.
    tol : float or Tolerances, optional
        Relative threshold of the float rank (default :data:`FLOAT_RANK_TOL`, 1e-12 of the
        largest singular value).
    p : int
        A prime below ``2**31``.

    Returns
    -------
    DimensionResult

    Notes
    -----
    Recipe (spec §5): random weights and ``m = expected + 3`` random inputs ``x_k`` with random
    output weights ``r_k``; row ``k`` is the gradient of ``r_k · f(x_k)`` (backpropagation with
    ``dσ/dz = -σ²``). The rank over F_p is at most the rank over Q, which is the dimension for
    generic choices. Cost: one backward pass per row and an ``m x n`` rank, ``O(m n²)``; about
    0.5 s for 600 parameters.

    References
    ----------
    G. Grosdos, E. Robeva, M. Zubkov, arXiv:2509.11088; J. Kileel, M. Trager, J. Bruna, NeurIPS
    2019 (the same count for polynomial networks).

    Examples
    --------
    >>> res = dimension((3, 2, 1), seed=0)
    >>> res.dimension, res.ambient_dimension, res.expected_dimension, res.fills, res.certified
    (6, 8, 6, False, True)
    >>> dimension((4, 3, 2), bias=True, seed=0).dimension
    20
    """
    a = check_architecture(arch)
    if isinstance(trials, bool) or not isinstance(trials, int) or trials < 1:
        raise InvalidInputError(f"trials must be a positive integer, got {trials!r}")
    if not 2 < int(p) < 2**31:
        raise InvalidInputError(f"p must be a prime below 2**31, got {p!r}")
    tolerances = FLOAT_RANK_TOL if tol is None else check_tol(tol)
    started = time.monotonic()
    rng = check_rng(seed)
    upper = expected_dim(a, bias=bias)
    rows = upper + DEFAULT_MARGIN
    ranks: list[int] = []
    for _ in range(trials):
        ranks.append(_modular_rank_once(a, bias=bias, rows=rows, rng=rng, p=int(p)))
        if ranks[-1] >= upper:
            break
    dim = max(ranks)
    closed = None if bias else closed_form_dim(a)
    check = (
        _float_check(a, bias=bias, rows=rows, modular=dim, rng=rng, tol=tolerances)
        if float_check
        else None
    )
    return DimensionResult(
        architecture=a,
        bias=bias,
        dimension=dim,
        ambient_dimension=ambient_dim(a, bias=bias),
        expected_dimension=upper,
        parameters=parameter_count(a, bias=bias),
        symmetries=symmetry_dim(a),
        degrees=degrees(a, bias=bias),
        certified=dim == upper,
        closed_form=None if closed is None else closed[0],
        closed_form_source=None if closed is None else closed[1],
        ranks=tuple(ranks),
        prime=int(p),
        rows=rows,
        float_check=check,
        seconds=time.monotonic() - started,
    )


def fills(arch: Any, *, bias: bool = False, seed: Any = None) -> bool:
    """Whether the neurovariety of ``arch`` is the whole ambient space.

    By the derived criteria where they apply (bias-free; spec §2–3): no hidden layer or one
    input (always); shallow ``(d0, d1, d2)`` fills iff ``d0 = 2`` or ``d1 = 1``; binary
    ``(2, ..., 2, dL)`` fills iff ``L <= 2`` or ``dL = 1``. Otherwise by :func:`dimension`.

    Parameters
    ----------
    arch : sequence of int or str
        Widths ``(d0, ..., dL)`` (see :func:`~neurogeom.rational.check_architecture`).
    bias : bool
        Count biases as parameters (default: the bias-free network).
    seed : int, Generator or None
        Randomness for :func:`dimension` where no criterion applies.

    Returns
    -------
    bool

    Raises
    ------
    InvalidInputError
        For an invalid architecture.

    Examples
    --------
    >>> fills((2, 4, 2)), fills((3, 2, 1)), fills((2, 2, 3, 1), seed=0)
    (True, False, True)
    """
    a = check_architecture(arch)
    n_layers = len(a) - 1
    if not bias:
        if n_layers == 1 or a[0] == 1:
            return True
        if n_layers == 2:
            return a[0] == 2 or a[1] == 1
        if is_binary(a):
            return a[-1] == 1
    return dimension(a, bias=bias, seed=seed, float_check=False).fills


def generic_degrees(
    arch: Any, *, bias: bool = False, seed: Any = None, trials: int = 2
) -> tuple[int, int]:
    """Degrees ``(deg P, deg Q)`` of the reduced output of random weights, computed over F_p.

    An independent check of :func:`~neurogeom.rational.degrees` that needs no expansion: the
    network is evaluated along a random line as univariate rational functions mod p and reduced
    by gcds. The result never exceeds the generic degrees and equals them with high probability
    (the best of ``trials`` is kept).

    Parameters
    ----------
    arch : sequence of int or str
        Widths ``(d0, ..., dL)`` (see :func:`~neurogeom.rational.check_architecture`).
    bias : bool
        Count biases as parameters (default: the bias-free network).
    seed : int, Generator or None
        Randomness for the weights, the line and the prime-field samples.
    trials : int
        Independent draws; the largest degrees are kept.

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
    >>> generic_degrees((2, 3, 2, 1), seed=0), generic_degrees((3, 2, 2, 2, 1), bias=True, seed=0)
    ((5, 4), (8, 8))
    """
    a = check_architecture(arch)
    rng = check_rng(seed)
    best = (-1, -1)
    for _ in range(trials):
        found = sampled_degrees(a, bias=bias, rng=rng)
        if found is not None:
            best = max(best, found)
    return best


# -- tables ---------------------------------------------------------------------------------------


def table_architectures(
    max_width: int, max_depth: int, *, min_depth: int = 2, min_width: int = 1
) -> Iterator[tuple[int, ...]]:
    """Every architecture with ``min_depth <= L <= max_depth`` layers and widths in
    ``[min_width, max_width]``, by depth then lexicographically.

    Parameters
    ----------
    max_width, max_depth : int
        Largest width and largest number of layers ``L``.
    min_depth, min_width : int
        Smallest number of layers and smallest width.

    Returns
    -------
    iterator of tuple of int

    Raises
    ------
    InvalidInputError
        If ``max_width`` or ``max_depth`` is not a positive integer.

    Examples
    --------
    >>> list(table_architectures(2, 2))[:3]
    [(1, 1, 1), (1, 1, 2), (1, 2, 1)]
    >>> sum(1 for _ in table_architectures(4, 3))
    320
    """
    for name, value in (("max_width", max_width), ("max_depth", max_depth)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidInputError(f"{name} must be a positive integer, got {value!r}")
    for depth in range(max(1, min_depth), max_depth + 1):
        yield from itertools.product(range(min_width, max_width + 1), repeat=depth + 1)


@dataclass(frozen=True, slots=True)
class DimensionTable:
    """Dimensions of many architectures (see :func:`dimension_table`).

    Examples
    --------
    >>> t = dimension_table(max_width=2, max_depth=2)
    >>> t.drops(), t.to_dict()["architectures"]
    ((), 8)
    >>> print(t.text().splitlines()[-1])
    8 of 8 architectures in ... s; 0 with a dimension below the expected one (*)
    """

    rows: tuple[DimensionResult, ...]
    max_width: int
    max_depth: int
    bias: bool
    complete: bool
    total: int
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)

    def drops(self) -> tuple[DimensionResult, ...]:
        """The architectures whose dimension is below the expected dimension.

        Examples
        --------
        >>> t = dimension_table(max_width=2, max_depth=3)
        >>> [r.architecture for r in t.drops()]
        [(2, 1, 2, 2)]
        """
        return tuple(r for r in self.rows if r.defect > 0)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form.

        Examples
        --------
        >>> d = dimension_table(max_width=2, max_depth=2).to_dict()
        >>> d["architectures"], d["computed"], d["complete"], d["rows"][0]["architecture"]
        (8, 8, True, [1, 1, 1])
        """
        return {
            "max_width": self.max_width,
            "max_depth": self.max_depth,
            "bias": self.bias,
            "complete": self.complete,
            "architectures": self.total,
            "computed": len(self.rows),
            "drops": len(self.drops()),
            "fills": sum(r.fills for r in self.rows),
            "seconds": round(self.seconds, 3),
            "rows": [
                {
                    "architecture": list(r.architecture),
                    "dimension": r.dimension,
                    "ambient_dimension": r.ambient_dimension,
                    "expected_dimension": r.expected_dimension,
                    "fills": r.fills,
                    "defect": r.defect,
                    "certified": r.certified,
                    "closed_form": r.closed_form,
                    "seconds": round(r.seconds, 4),
                }
                for r in self.rows
            ],
        }

    def text(self) -> str:
        """A fixed-width table (``*`` marks a dimension below the expected one).

        Examples
        --------
        >>> print(dimension_table(max_width=2, max_depth=2).text().splitlines()[1])
        1-1-1                   2        1     1            1   yes
        """
        lines = [
            f"{'architecture':<18} {'params':>6} {'expected':>8} {'dim':>5} {'ambient':>12} "
            f"{'fills':>5}"
        ]
        for r in self.rows:
            mark = " *" if r.defect > 0 else ""
            lines.append(
                f"{'-'.join(map(str, r.architecture)):<18} {r.parameters:>6} "
                f"{r.expected_dimension:>8} {r.dimension:>5} {r.ambient_dimension:>12} "
                f"{'yes' if r.fills else 'no':>5}{mark}"
            )
        lines.append(
            f"{len(self.rows)} of {self.total} architectures in {self.seconds:.1f} s; "
            f"{len(self.drops())} with a dimension below the expected one (*)"
            + ("" if self.complete else "; INCOMPLETE: the time limit ran out")
        )
        return "\n".join(lines)


def dimension_table(
    *,
    max_width: int = 4,
    max_depth: int = 3,
    min_depth: int = 2,
    bias: bool = False,
    seed: Any = 0,
    float_check: bool = False,
    time_limit: float | None = None,
    progress: bool = False,
) -> DimensionTable:
    """:func:`dimension` of every architecture up to a width and a depth.

    Parameters
    ----------
    max_width : int
        Largest width (inputs, hidden and outputs alike); widths start at 1.
    max_depth, min_depth : int
        Range of the number of layers ``L`` (hidden layers + 1).
    bias, float_check
        As for :func:`dimension`.
    seed : int or None
        One seed for the table; each architecture gets its own stream from it.
    time_limit : float, optional
        Seconds; when they run out the table is returned with ``complete=False``.
    progress : bool
        Progress bar on stderr.

    Returns
    -------
    DimensionTable

    Examples
    --------
    >>> t = dimension_table(max_width=2, max_depth=2)
    >>> t.total, t.complete, [r.architecture for r in t.drops()]
    (8, True, [])
    """
    budget = Budget.start(time_limit=time_limit)
    archs = list(table_architectures(max_width, max_depth, min_depth=min_depth))
    root = np.random.SeedSequence(seed)
    rows: list[DimensionResult] = []
    complete = True
    with progress_bar(progress, total=len(archs), desc="architectures", unit="arch") as bar:
        for a in archs:
            if budget.expired():
                complete = False
                break
            (stream,) = root.spawn(1)  # one stream per architecture, in table order
            rows.append(dimension(a, bias=bias, seed=stream, float_check=float_check))
            bar.update()
    return DimensionTable(
        tuple(rows),
        max_width,
        max_depth,
        bias,
        complete,
        len(archs),
        budget.elapsed(),
    )
