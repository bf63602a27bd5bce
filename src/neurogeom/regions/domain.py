"""Input domains of a region enumeration: all of R^n, a box, or a polytope ``A x <= b``.

A :class:`Domain` is a small immutable value. Its rows are kept both exactly (Fractions) and in
float64, so exact and float engines read the same object.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.lp import chebyshev_centre
from neurogeom.core.rationals import as_fraction_array, fraction_to_json

__all__ = ["Domain", "check_domain"]


@dataclass(frozen=True, slots=True, eq=False)
class Domain:
    """The set of inputs on which regions are counted.

    Use the constructors :meth:`whole`, :meth:`box` and :meth:`polytope`.

    Attributes
    ----------
    kind : {"space", "box", "polytope"}
    dim : int
    a, b : ndarray of Fraction
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
    """

    kind: Literal["space", "box", "polytope"]
    dim: int
    a: np.ndarray
    b: np.ndarray
    lower: tuple[Fraction, ...] | None = None
    upper: tuple[Fraction, ...] | None = None

    @classmethod
    def whole(cls, dim: int) -> Domain:
        """All of ``R^dim``."""
        if dim < 1:
            raise InvalidInputError(f"the input dimension must be at least 1, got {dim}")
        return cls("space", dim, np.empty((0, dim), dtype=object), np.empty(0, dtype=object))

    @classmethod
    def box(cls, lower: Any, upper: Any, *, dim: int | None = None) -> Domain:
        """The box ``lower <= x <= upper`` (scalars are broadcast to ``dim`` coordinates)."""
        lo = np.atleast_1d(as_fraction_array(lower, name="box lower corner"))
        hi = np.atleast_1d(as_fraction_array(upper, name="box upper corner"))
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

    # -- derived values -------------------------------------------------------------------------
    @property
    def a_float(self) -> np.ndarray:
        """Rows as float64."""
        return self.a.astype(np.float64)

    @property
    def b_float(self) -> np.ndarray:
        """Right-hand sides as float64."""
        return self.b.astype(np.float64)

    @property
    def bounded(self) -> bool:
        """Whether the domain is bounded."""
        if self.kind == "space":
            return False
        if self.kind == "box":
            return True
        from neurogeom.regions._cells import is_bounded

        return is_bounded(self.a_float)

    def corners(self) -> np.ndarray:
        """The ``2^dim`` corners of a box, as Fractions."""
        if self.kind != "box":
            raise InvalidInputError("only a box domain has corners")
        grid = np.array(np.meshgrid(*[[0, 1]] * self.dim, indexing="ij")).reshape(self.dim, -1).T
        lo, hi = np.array(self.lower, dtype=object), np.array(self.upper, dtype=object)
        return np.where(grid == 1, hi, lo).astype(object)

    def volume(self) -> Fraction | float | None:
        """Exact volume of a box; ``None`` for other kinds (use the polytope kernels)."""
        if self.kind != "box":
            return None
        out = Fraction(1)
        for lo, hi in zip(self.lower, self.upper, strict=True):
            out *= hi - lo
        return out

    def scale(self) -> float:
        """A length scale of the domain (half the largest box width, or 1)."""
        if self.kind == "box":
            return float(max((hi - lo) / 2 for lo, hi in zip(self.lower, self.upper, strict=True)))
        return 1.0

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

    def __repr__(self) -> str:
        if self.kind == "space":
            return f"Domain.whole({self.dim})"
        if self.kind == "box":
            lo = [fraction_to_json(v) for v in self.lower]
            hi = [fraction_to_json(v) for v in self.upper]
            return f"Domain.box({lo}, {hi})"
        return f"Domain.polytope({self.a.shape[0]} rows, dim={self.dim})"


def check_domain(domain: Any, dim: int) -> Domain:
    """Turn the ``domain=`` argument into a :class:`Domain` of dimension ``dim``.

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
