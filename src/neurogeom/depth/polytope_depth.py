"""Bounds on the depth of a polytope (Valerdi): the least ``k`` with ``P`` in ``P_k``.

``P_0`` are the points and ``P_k`` the Minkowski sums of convex hulls ``conv(A ∪ B)`` with
``A, B`` in ``P_{k-1}`` (``specs/polytopes-and-depth.md`` §1.4, A6). The depth of ``P`` bounds
the depth of input-convex networks computing ``h_P``, and from above the function depth of
``h_P``.

Bounds used:

- lower: 0 for a point, 1 otherwise; 2 if ``P`` is not a zonotope (``P_1`` = zonotopes); for a
  lattice polytope, ``k + 1`` when some face of dimension ``>= 2^k`` has odd normalised volume
  (HHL Thm 16: ``P_k(Z) ⊆ Q_k``; valid for the lattice-built class only, reported as such);
  ``⌈log2(n + 1)⌉`` for an ``n``-simplex (Valerdi, exact);
- upper: 0 for a point, 1 for a zonotope, 2 for a polygon (sum of triangles and segments),
  ``⌈log2 #vertices⌉`` by a binary tree of convex hulls of the vertices.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neurogeom.core.errors import InvalidInputError
from neurogeom.polytopes import Polytope, lattice_volume

__all__ = ["PolytopeDepth", "polytope_depth_bounds"]


def _log2_ceil(x: int) -> int:
    k = 0
    while (1 << k) < x:
        k += 1
    return k


@dataclass(frozen=True, slots=True)
class PolytopeDepth:
    """Lower and upper bounds on the depth of a polytope, with reasons.

    Attributes
    ----------
    lower, upper : int
    lower_reason, upper_reason : str
    lattice_lower : int or None
        The parity bound of HHL Thm 16 (lattice-built class ``P_k(Z)`` only), if it exceeds
        ``lower``.
    """

    lower: int
    upper: int
    lower_reason: str
    upper_reason: str
    lattice_lower: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "lower": self.lower,
            "upper": self.upper,
            "lower_reason": self.lower_reason,
            "upper_reason": self.upper_reason,
            "lattice_lower": self.lattice_lower,
        }


def polytope_depth_bounds(polytope: Polytope, *, max_face_dim: int = 4) -> PolytopeDepth:
    """Bounds on the polytope depth of ``P`` (Valerdi).

    Parameters
    ----------
    polytope : Polytope
    max_face_dim : int, default 4
        Faces up to this dimension are scanned for the lattice parity bound.

    Examples
    --------
    >>> b = polytope_depth_bounds(Polytope.simplex(3))
    >>> b.lower, b.upper
    (2, 2)
    >>> polytope_depth_bounds(Polytope.cube(3)).upper
    1
    >>> polytope_depth_bounds(Polytope([[0, 0], [2, 0], [3, 1], [1, 3], [0, 2]])).upper
    2
    """
    if not isinstance(polytope, Polytope):
        raise InvalidInputError(
            f"polytope_depth_bounds needs a Polytope, got {type(polytope).__name__}"
        )
    p = polytope
    if p.n_vertices == 1:
        return PolytopeDepth(0, 0, "a point", "a point")
    d = p.dim
    tree = _log2_ceil(p.n_vertices)
    if p.n_vertices == d + 1:
        k = _log2_ceil(d + 1)
        return PolytopeDepth(k, k, "a simplex: ⌈log2(n + 1)⌉ (Valerdi)", "binary tree of hulls")
    if p.is_zonotope():
        return PolytopeDepth(1, 1, "not a point", "a zonotope (a sum of segments)")
    lower, lower_reason = 2, "not a zonotope"
    upper, upper_reason = tree, "binary tree of convex hulls of the vertices"
    if d == 2 and upper > 2:
        upper, upper_reason = 2, "a polygon: a sum of triangles and segments"
    lattice = None
    if p.is_lattice:
        for k in range(1, 8):
            lo = 1 << k
            if lo > min(d, max_face_dim):
                break
            odd = any(
                lattice_volume(f) % 2 == 1
                for dim in range(lo, min(d, max_face_dim) + 1)
                for f in p.faces(dim)
            )
            if odd:
                lattice = k + 1
    return PolytopeDepth(max(lower, 1), max(upper, lower), lower_reason, upper_reason, lattice)
