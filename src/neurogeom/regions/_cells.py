"""Geometry of one activation cell: its inequalities, its affine map, coincident hyperplanes.

Internal kernels shared by the search and split engines and by the merging step. A cell of the
pattern ``s`` is the closure of ``{x in domain : z_j(x) > 0 if s_j else z_j(x) <= 0}``; with the
pre-activations ``z_j(x) = A_j x + c_j`` affine on it, its rows in ``G x <= h`` form are
``-A_j x <= c_j`` for active and ``A_j x <= -c_j`` for inactive neurons. Rows with ``A_j = 0``
are constant on the cell and are left out (a neuron identically zero on a cell is inactive).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from neurogeom.core.lp import LPModel
from neurogeom.core.rationals import exact_rank
from neurogeom.core.unionfind import UnionFind
from neurogeom.nets.relu import ReLUNet

__all__ = ["CellRows", "apply_pattern", "cell_rows", "group_hyperplanes", "is_bounded"]


def apply_pattern(
    a: np.ndarray, c: np.ndarray, active: np.ndarray, slope: Fraction | float
) -> tuple[np.ndarray, np.ndarray]:
    """The layer's output map ``D (A x + c)`` for the activation pattern ``active``."""
    if a.dtype == object:
        d = np.array([Fraction(1) if s else Fraction(slope) for s in active], dtype=object)
    else:
        d = np.where(active, 1.0, float(slope))
    return a * d[:, None], c * d


def zero_rows(a: np.ndarray, *, scale: np.ndarray | None = None, tol: float = 0.0) -> np.ndarray:
    """Rows that vanish: exactly (object arrays) or below ``tol * scale`` (floats)."""
    if a.dtype == object:
        return np.array([all(v == 0 for v in row) for row in a], dtype=bool)
    norms = np.linalg.norm(a, axis=1)
    return norms <= (tol * scale if scale is not None else 0.0)


def group_hyperplanes(
    a: np.ndarray, c: np.ndarray, *, tol: float = 1e-9
) -> tuple[np.ndarray, np.ndarray]:
    """Group rows ``a_j x + c_j = 0`` that define the same hyperplane.

    Returns ``(group, orientation)``: ``group[j]`` is the index of the representative row of
    ``j``'s hyperplane (itself for representatives, ``-1`` for zero rows) and
    ``orientation[j] = ±1`` says whether row ``j`` is a positive or negative multiple of it.
    Exact for object arrays; float rows are compared after normalisation within ``tol``.

    Examples
    --------
    >>> a = np.array([[1.0, 1.0], [2.0, 2.0], [-1.0, -1.0], [0.0, 0.0], [1.0, 0.0]])
    >>> group, orient = group_hyperplanes(a, np.array([1.0, 2.0, -1.0, 0.0, 0.0]))
    >>> group.tolist(), orient.tolist()
    ([0, 0, 0, -1, 4], [1, 1, -1, 1, 1])
    """
    m = a.shape[0]
    group = np.full(m, -1, dtype=np.int64)
    orient = np.ones(m, dtype=np.int64)
    if a.dtype == object:
        seen: dict[tuple, int] = {}
        for j in range(m):
            row = a[j]
            k = next((i for i, v in enumerate(row) if v != 0), None)
            if k is None:
                continue
            lead = row[k]
            sign = 1 if lead > 0 else -1
            key = (*(v / lead for v in row), c[j] / lead)
            rep = seen.setdefault(key, j)
            group[j] = rep
            orient[j] = 1 if rep == j else sign * (1 if a[rep][k] > 0 else -1)
        return group, orient
    norms = np.linalg.norm(a, axis=1)
    nz = np.flatnonzero(norms > 0)
    if len(nz) == 0:
        return group, orient
    u = np.hstack([a[nz], c[nz, None]]) / norms[nz, None]
    scale = 1.0 + np.abs(u[:, -1])
    # candidates first, by one Gram matrix of the unit normals (parallel rows only), then the
    # exact criterion on the few candidate pairs
    gram = u[:, :-1] @ u[:, :-1].T
    cand_i, cand_j = np.nonzero(np.triu(np.abs(gram) >= 1 - 4 * tol, 1))
    uf = UnionFind(range(len(nz)))
    for i, j in zip(cand_i.tolist(), cand_j.tolist(), strict=True):
        tolm = tol * max(scale[i], scale[j])
        if min(np.abs(u[i] - u[j]).max(), np.abs(u[i] + u[j]).max()) <= tolm:
            uf.union(i, j)
    rep_of: dict[int, int] = {}
    for i in range(len(nz)):
        root = uf.find(i)
        rep = rep_of.setdefault(root, i)
        group[nz[i]] = nz[rep]
        orient[nz[i]] = 1 if np.dot(u[i, :-1], u[rep, :-1]) > 0 else -1
    return group, orient


@dataclass(frozen=True, slots=True)
class CellRows:
    """The inequalities ``g x <= h`` of a cell, the neuron of each row, and the output map.

    ``neuron[i]`` is the hidden neuron (concatenated index) of row ``i``, or ``-1 - k`` for the
    ``k``-th domain row. ``forms`` are the raw pre-activation forms ``(A, c)`` of every hidden
    neuron (all layers concatenated, zero rows included).
    """

    g: np.ndarray
    h: np.ndarray
    neuron: np.ndarray
    map_matrix: np.ndarray
    map_offset: np.ndarray
    forms_a: np.ndarray
    forms_c: np.ndarray


def cell_rows(
    net: ReLUNet, pattern: np.ndarray, domain_a: np.ndarray, domain_b: np.ndarray
) -> CellRows:
    """All inequalities of the cell of ``pattern`` (exact if ``net`` is exact), domain rows last.

    Examples
    --------
    >>> net = ReLUNet([[[1], [-1]], [[1, 1]]], exact=True)
    >>> no_domain = np.empty((0, 1), object), np.empty(0, object)
    >>> rows = cell_rows(net, np.array([True, False]), *no_domain)
    >>> rows.g.tolist(), rows.h.tolist(), rows.neuron.tolist()
    ([[Fraction(-1, 1)], [Fraction(-1, 1)]], [Fraction(0, 1), Fraction(0, 1)], [0, 1])
    """
    maps = net.preactivation_maps(pattern)
    forms_a = (
        np.concatenate([a for a, _ in maps[:-1]])
        if len(maps) > 1
        else np.empty((0, net.n_inputs), dtype=object if net.exact else float)
    )
    forms_c = (
        np.concatenate([c for _, c in maps[:-1]])
        if len(maps) > 1
        else np.empty(0, dtype=object if net.exact else float)
    )
    keep = ~zero_rows(forms_a)
    sign = np.where(pattern, -1, 1)
    if net.exact:
        sign = sign.astype(object)
    g = forms_a[keep] * sign[keep, None]
    h = -forms_c[keep] * sign[keep]
    da = domain_a if net.exact else domain_a.astype(float)
    db = domain_b if net.exact else domain_b.astype(float)
    neuron = np.concatenate([np.flatnonzero(keep), -1 - np.arange(len(db))])
    return CellRows(
        np.concatenate([g, da]) if len(db) else g,
        np.concatenate([h, db]) if len(db) else h,
        neuron,
        maps[-1][0],
        maps[-1][1],
        forms_a,
        forms_c,
    )


def is_bounded(a: np.ndarray) -> bool:
    """Whether a non-empty polyhedron ``{x : a x <= b}`` is bounded.

    Bounded iff the recession cone ``{d : a d <= 0}`` is ``{0}``, i.e. iff ``a`` has full
    column rank and ``a^T y = 0`` has a solution ``y >= 1`` (Stiemke's alternative).

    Examples
    --------
    >>> is_bounded(np.array([[1.0, 0], [-1, 0], [0, 1], [0, -1]]))
    True
    >>> is_bounded(np.array([[1.0, 0], [0, 1]]))
    False
    """
    mat = np.asarray(a)
    if mat.shape[0] <= mat.shape[1]:
        return False
    if mat.dtype == object:
        if exact_rank(mat) < mat.shape[1]:
            return False
        mat = mat.astype(float)
    elif np.linalg.matrix_rank(mat) < mat.shape[1]:
        return False
    norms = np.linalg.norm(mat, axis=1)
    unit = mat / np.where(norms > 0, norms, 1)[:, None]
    lp = LPModel(
        unit.T, np.zeros(mat.shape[1]), np.zeros(mat.shape[1]), col_lower=np.ones(mat.shape[0])
    )
    return lp.solve().status == "optimal"
