"""Input domains: all of R^n, a box, or a polyhedron ``A x <= b``.

A :class:`Domain` is a small immutable value shared by every analysis: it compares and hashes by
its rows, its arrays are read-only, and it is kept both exactly (Fractions) and in float64 so that
exact and float computations read the same object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.lp import LPModel, chebyshev_centre, is_bounded
from neurogeom.core.rationals import as_fraction_array, fraction_to_json

__all__ = ["Domain", "check_domain"]

Kind = Literal["space", "box", "polytope"]


def _frozen(arr: np.ndarray) -> np.ndarray:
    arr.flags.writeable = False
    return arr


@dataclass(frozen=True, slots=True, eq=False)
class Domain:
    """The set of inputs an analysis looks at.

    Build one with :meth:`whole`, :meth:`box` or :meth:`polytope` (or :func:`check_domain`).

    Attributes
    ----------
    kind : {"space", "box", "polytope"}
    dim : int
    a, b : ndarray of Fraction, read-only
        Rows of ``a x <= b`` (empty for the whole space).
    lower, upper : tuple of Fraction or None
        The corners of a box.

    Examples
    --------
    >>> Domain.box(-1, 1, dim=2)
    Domain.box([-1, -1], [1, 1])
    >>> Domain.whole(3).bounded, Domain.box(0, 1, dim=1).bounded
    (False, True)
    >>> Domain.box(0, "1/2", dim=1).volume()
    Fraction(1, 2)
    >>> Domain.box(-1, 1, dim=2) == Domain.polytope([[1, 0], [0, 1], [-1, 0], [0, -1]], [1] * 4)
    False
    >>> len({Domain.box(-1, 1, dim=2), Domain.box("-1", "1", dim=2)})
    1
    """

    kind: Kind
    dim: int
    a: np.ndarray
    b: np.ndarray
    lower: tuple[Fraction, ...] | None = None
    upper: tuple[Fraction, ...] | None = None
    _a_float: np.ndarray = field(init=False, repr=False)
    _b_float: np.ndarray = field(init=False, repr=False)
    _key: tuple[Any, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        a = _frozen(np.array(self.a, dtype=object).reshape(-1, self.dim))
        b = _frozen(np.array(self.b, dtype=object).reshape(-1))
        object.__setattr__(self, "a", a)
        object.__setattr__(self, "b", b)
        object.__setattr__(self, "_a_float", _frozen(a.astype(np.float64)))
        object.__setattr__(self, "_b_float", _frozen(b.astype(np.float64)))
        object.__setattr__(
            self, "_key", (self.kind, self.dim, tuple(a.flat), tuple(b.flat), self.lower)
        )

    # -- constructors ---------------------------------------------------------------------------
    @classmethod
    def whole(cls, dim: int) -> Domain:
        """All of ``R^dim``."""
        if isinstance(dim, bool) or not isinstance(dim, int | np.integer) or dim < 1:
            raise InvalidInputError(f"the input dimension must be a positive integer, got {dim!r}")
        return cls("space", int(dim), np.empty((0, dim), dtype=object), np.empty(0, dtype=object))

    @classmethod
    def box(cls, lower: Any, upper: Any, *, dim: int | None = None) -> Domain:
        """The box ``lower <= x <= upper`` (scalars are broadcast to ``dim`` coordinates)."""
        if dim is not None and (
            isinstance(dim, bool) or not isinstance(dim, int | np.integer) or dim < 1
        ):
            raise InvalidInputError(f"the box dimension must be a positive integer, got {dim!r}")
        lo = np.atleast_1d(as_fraction_array(lower, name="box lower corner"))
        hi = np.atleast_1d(as_fraction_array(upper, name="box upper corner"))
        if lo.size == 0 or hi.size == 0:
            raise InvalidInputError(
                "box corners must have at least one coordinate (the dimension must be a "
                "positive integer)"
            )
        if dim is not None:
            if lo.shape == (1,):
                lo = np.repeat(lo, dim)
            if hi.shape == (1,):
                hi = np.repeat(hi, dim)
        if lo.ndim != 1 or lo.shape != hi.shape:
            raise InvalidInputError(
                f"box corners must be vectors of the same length, got {lo.shape} and {hi.shape}"
            )
        if dim is not None and lo.shape[0] != dim:
            raise InvalidInputError(
                f"box has {lo.shape[0]} coordinates but the net has {dim} inputs"
            )
        bad = [i for i in range(len(lo)) if not lo[i] < hi[i]]
        if bad:
            i = bad[0]
            raise InvalidInputError(
                f"box is empty in coordinate {i}: lower {lo[i]} is not below upper {hi[i]}"
            )
        n = len(lo)
        eye = np.eye(n, dtype=int)
        a = as_fraction_array(np.concatenate([eye, -eye]))
        b = np.concatenate([hi, -lo])
        return cls("box", n, a, b, tuple(lo), tuple(hi))

    @classmethod
    def polytope(cls, a: Any, b: Any) -> Domain:
        """The polyhedron ``{x : a x <= b}``; it must have interior points (may be unbounded)."""
        am = as_fraction_array(a, name="domain matrix")
        bm = as_fraction_array(b, name="domain right-hand side")
        if am.ndim != 2 or bm.ndim != 1 or am.shape[0] != bm.shape[0] or am.shape[0] == 0:
            raise InvalidInputError(
                f"polytope domain needs a (m, n) matrix and a length-m vector, got {am.shape} "
                f"and {bm.shape}"
            )
        af = am.astype(float)
        zero = ~af.any(axis=1)
        if zero.any() and any(bm[i] < 0 for i in np.flatnonzero(zero)):
            raise InvalidInputError("polytope domain is empty: a zero row has a negative bound")
        _, radius = chebyshev_centre(af, bm.astype(float), radius_cap=1.0)
        if not radius > 0:
            raise InvalidInputError("polytope domain has no interior points (it is empty or flat)")
        return cls("polytope", am.shape[1], am, bm)

    # -- value semantics ------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Domain):
            return NotImplemented
        return self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    # -- derived values -------------------------------------------------------------------------
    @property
    def a_float(self) -> np.ndarray:
        """Rows as float64 (read-only)."""
        return self._a_float

    @property
    def b_float(self) -> np.ndarray:
        """Right-hand sides as float64 (read-only)."""
        return self._b_float

    @property
    def bounded(self) -> bool:
        """Whether the domain is bounded."""
        if self.kind == "space":
            return False
        if self.kind == "box":
            return True
        return is_bounded(self.a)

    def corners(self) -> np.ndarray:
        """The ``2^dim`` corners of a box, as Fractions."""
        if self.kind != "box":
            raise InvalidInputError("only a box domain has corners")
        grid = np.array(np.meshgrid(*[[0, 1]] * self.dim, indexing="ij")).reshape(self.dim, -1).T
        lo, hi = np.array(self.lower, dtype=object), np.array(self.upper, dtype=object)
        return np.where(grid == 1, hi, lo).astype(object)

    def contains(self, x: Any) -> bool:
        """Whether the point ``x`` satisfies every row (exactly for rational input).

        Examples
        --------
        >>> d = Domain.box(0, 1, dim=2)
        >>> d.contains(["1/2", 1]), d.contains([2, 0])
        (True, False)
        """
        pt = as_fraction_array(x, name="point").reshape(-1)
        if pt.shape != (self.dim,):
            raise InvalidInputError(f"the point must have {self.dim} coordinates, got {pt.shape}")
        return all(row @ pt <= bound for row, bound in zip(self.a, self.b, strict=True))

    def volume(self) -> Fraction | None:
        """Exact volume of a box; ``None`` for other kinds (see :mod:`neurogeom.core.polyhedra`)."""
        if self.kind != "box":
            return None
        out = Fraction(1)
        for lo, hi in zip(self.lower, self.upper, strict=True):
            out *= hi - lo
        return out

    def extent(self) -> float:
        """The length scale of the domain, for relative tolerances.

        A bounded domain: the largest absolute coordinate of one of its points (for a box,
        ``max |corner|``). An unbounded polyhedron: the largest distance from the origin to one
        of its hyperplanes. All of ``R^n``: 0 (it has no length scale of its own).

        Examples
        --------
        >>> Domain.box(-1, 3, dim=2).extent(), Domain.whole(2).extent()
        (3.0, 0.0)
        >>> Domain.polytope([[1, 1], [-1, 0], [0, -1]], [4, 0, 0]).extent()
        4.0
        >>> Domain.polytope([[1, 0], [0, 1]], [3, -4]).extent()
        4.0
        """
        if self.kind == "space":
            return 0.0
        if self.kind == "box":
            return float(max(abs(v) for v in self.lower + self.upper))
        a, b = self._a_float, self._b_float
        if not self.bounded:
            norms = np.linalg.norm(a, axis=1)
            keep = norms > 0
            return float((np.abs(b[keep]) / norms[keep]).max(initial=0.0))
        lp = LPModel(a, None, b)
        extent = 0.0
        for i in range(self.dim):
            cost = np.zeros(self.dim)
            cost[i] = 1.0
            for sense in (True, False):
                res = lp.solve(cost, maximize=sense)
                if res.optimal:
                    extent = max(extent, abs(res.value))
        return extent

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        if self.kind == "space":
            return {"kind": "space", "dim": self.dim}
        if self.kind == "box":
            return {
                "kind": "box",
                "dim": self.dim,
                "lower": [fraction_to_json(v) for v in self.lower],
                "upper": [fraction_to_json(v) for v in self.upper],
            }
        return {
            "kind": "polytope",
            "dim": self.dim,
            "a": [[fraction_to_json(v) for v in row] for row in self.a],
            "b": [fraction_to_json(v) for v in self.b],
        }

    def describe(self) -> str:
        """A short human-readable form, e.g. ``[-3, 3]^2`` or ``R^2``.

        Examples
        --------
        >>> Domain.box(-3, 3, dim=2).describe(), Domain.whole(4).describe()
        ('[-3, 3]^2', 'R^4')
        """
        if self.kind == "space":
            return f"R^{self.dim}"
        if self.kind == "box":
            sides = [
                f"[{fraction_to_json(u)}, {fraction_to_json(v)}]"
                for u, v in zip(self.lower, self.upper, strict=True)
            ]
            return f"{sides[0]}^{self.dim}" if len(set(sides)) == 1 else " x ".join(sides)
        return f"a polyhedron of {self.a.shape[0]} inequalities in R^{self.dim}"

    def __repr__(self) -> str:
        if self.kind == "space":
            return f"Domain.whole({self.dim})"
        if self.kind == "box":
            lo = [fraction_to_json(v) for v in self.lower]
            hi = [fraction_to_json(v) for v in self.upper]
            return f"Domain.box({lo}, {hi})"
        return f"Domain.polytope({self.a.shape[0]} rows, dim={self.dim})"


def check_domain(domain: Any, dim: int) -> Domain:
    """Turn a ``domain=`` argument into a :class:`Domain` of dimension ``dim``.

    Accepts ``None`` (all of R^n), a :class:`Domain`, a pair ``(lower, upper)`` for a box (scalars
    or vectors), or a pair ``(A, b)`` of a matrix and a vector for a polytope.

    Examples
    --------
    >>> check_domain(None, 2)
    Domain.whole(2)
    >>> check_domain((-1, 1), 2)
    Domain.box([-1, -1], [1, 1])
    """
    if domain is None:
        return Domain.whole(dim)
    if isinstance(domain, Domain):
        if domain.dim != dim:
            raise InvalidInputError(
                f"domain has dimension {domain.dim} but the net has {dim} inputs"
            )
        return domain
    if isinstance(domain, tuple | list) and len(domain) == 2:
        first = np.asarray(domain[0], dtype=object)
        if first.ndim == 2:
            out = Domain.polytope(domain[0], domain[1])
            if out.dim != dim:
                raise InvalidInputError(
                    f"polytope domain has {out.dim} columns but the net has {dim} inputs"
                )
            return out
        return Domain.box(domain[0], domain[1], dim=dim)
    raise InvalidInputError(
        "domain must be None (all of R^n), a Domain, (lower, upper) for a box or (A, b) for a "
        f"polytope; got {domain!r}"
    )
