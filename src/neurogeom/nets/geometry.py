"""The geometry of activation cells, shared by every analysis.

Fix an activation pattern ``s`` (hidden neurons, layers concatenated; ``True`` = active). On the
cell of ``s`` every layer's pre-activation is affine: layer ``l`` computes ``z_l(x) = A_l x + c_l``
where the maps are composed through the earlier layers with the activation's slopes taken from
``s`` (:func:`layer_maps`). The cell is the closure of

    ``{x in domain : z_j(x) > 0 where s_j, z_j(x) <= 0 elsewhere}``,

i.e. the polyhedron ``G x <= h`` with a row ``-A_j x <= c_j`` for each active and ``A_j x <= -c_j``
for each inactive neuron (:func:`cell_halfspaces`). A neuron whose form is constant on the cell
(``A_j = 0``) gives no row: its sign is fixed there. Several neurons may share one hyperplane;
:func:`group_hyperplanes` finds them.

Everything here works in float64 or, for exact networks, in exact rationals (object arrays of
:class:`fractions.Fraction`). Exact maps are composed as homogeneous python-flint matrices
``[[A, c], [0, 1]]`` (:func:`exact_layer_homs`), one product in C per layer, and converted to
Fractions once; exact cells keep their rows in that form too, for fast exact point tests.

References
----------
Zhang, Naitzat, Lim, arXiv 1805.07091; Hanin & Rolnick, arXiv 1901.09021 (activation regions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import flint
import numpy as np

from neurogeom.core.domain import Domain
from neurogeom.core.rationals import (
    affine_fmpq_mat,
    exact_matmul,
    fmpq_to_fraction,
    from_fmpq_mat,
    homogeneous_column,
    negated,
    to_fmpq,
    zeros,
)
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.core.unionfind import UnionFind

if TYPE_CHECKING:
    from neurogeom.nets.relu import ReLUNet

__all__ = [
    "AffineMap",
    "CellGeometry",
    "ExactGeometries",
    "Halfspaces",
    "HyperplaneGroups",
    "MapComparison",
    "apply_pattern",
    "cell_geometry",
    "cell_halfspaces",
    "compare_maps",
    "exact_layer_homs",
    "form_scales",
    "group_exact_rows",
    "group_hyperplanes",
    "hom_to_affine",
    "hom_with_pattern",
    "layer_maps",
    "output_size",
    "pattern_from_string",
    "pattern_string",
    "problem_scale",
    "stacked_forms",
    "zero_rows",
]


# -- activation patterns ------------------------------------------------------------------------
def pattern_string(pattern: Any) -> str:
    """A pattern as a string of ``0`` and ``1`` (hidden neurons in order).

    Examples
    --------
    >>> pattern_string([True, False, True])
    '101'
    """
    return "".join("1" if bool(v) else "0" for v in pattern)


def pattern_from_string(text: str) -> np.ndarray:
    """The boolean pattern written by :func:`pattern_string`.

    Examples
    --------
    >>> pattern_from_string("101").tolist()
    [True, False, True]
    """
    return np.array([c == "1" for c in text], dtype=bool)


# -- affine maps --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, eq=False)
class AffineMap:
    """The map ``x -> matrix @ x + offset`` (float64 or exact rationals).

    Examples
    --------
    >>> m = AffineMap.identity(2, exact=True).then([[1, -1]], [3])
    >>> m(["1/2", 2]).tolist()
    [Fraction(3, 2)]
    >>> m.equals(AffineMap.identity(2, exact=True).then([[1, -1]], [3]))
    True
    """

    matrix: np.ndarray
    offset: np.ndarray

    @classmethod
    def identity(cls, n: int, *, exact: bool) -> AffineMap:
        """The identity of ``R^n``."""
        eye = zeros((n, n), exact)
        for i in range(n):
            eye[i, i] = Fraction(1) if exact else 1.0
        return cls(eye, zeros((n,), exact))

    @property
    def exact(self) -> bool:
        """Whether the coefficients are exact rationals."""
        return self.matrix.dtype == object

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_out, n_in)``."""
        return self.matrix.shape

    def then(self, weight: Any, bias: Any) -> AffineMap:
        """This map followed by ``y -> weight @ y + bias``."""
        w = np.asarray(weight, dtype=self.matrix.dtype)
        b = np.asarray(bias, dtype=self.matrix.dtype)
        if self.exact:
            if not w.size or not self.matrix.size:
                w = np.vectorize(Fraction, otypes=[object])(w) if w.size else w
                b = np.vectorize(Fraction, otypes=[object])(b) if b.size else b
                return AffineMap(exact_matmul(w, self.matrix), exact_matmul(w, self.offset) + b)
            # one product of homogeneous python-flint matrices (entries taken exactly)
            return hom_to_affine(affine_fmpq_mat(w, b) * self.hom())
        return AffineMap(w @ self.matrix, w @ self.offset + b)

    def hom(self) -> Any:
        """Exact maps: the homogeneous python-flint matrix ``[[matrix, offset], [0, 1]]``."""
        return affine_fmpq_mat(self.matrix, self.offset)

    def __call__(self, x: Any) -> np.ndarray:
        xs = np.asarray(x, dtype=self.matrix.dtype)
        if self.exact:
            xs = np.vectorize(Fraction, otypes=[object])(xs)
        return xs @ self.matrix.T + self.offset

    def __iter__(self) -> Any:
        """Unpack as ``matrix, offset = m``."""
        return iter((self.matrix, self.offset))

    def equals(self, other: AffineMap) -> bool:
        """Exact equality of both coefficient arrays."""
        return (
            self.matrix.shape == other.matrix.shape
            and bool((self.matrix == other.matrix).all())
            and bool((self.offset == other.offset).all())
        )

    def to_float(self) -> AffineMap:
        """The same map in float64."""
        if not self.exact:
            return self
        return AffineMap(self.matrix.astype(np.float64), self.offset.astype(np.float64))


def apply_pattern(
    matrix: np.ndarray, offset: np.ndarray, active: Any, slope: Any
) -> tuple[np.ndarray, np.ndarray]:
    """Push a layer's pre-activation map through the activation with a fixed pattern.

    Row ``j`` is kept where ``active[j]`` and multiplied by ``slope`` elsewhere (0 for ReLU).
    Leading batch dimensions are allowed: ``matrix (..., m, n)``, ``offset`` and ``active``
    ``(..., m)``. Exact (object) arrays stay exact.

    Examples
    --------
    >>> a, c = apply_pattern(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([5.0, 6.0]),
    ...                      [True, False], 0.5)
    >>> a.tolist(), c.tolist()
    ([[1.0, 2.0], [1.5, 2.0]], [5.0, 3.0])
    """
    act = np.asarray(active, dtype=bool)
    if matrix.dtype == object:
        # active rows are kept as they are (multiplying big rationals by 1 costs a gcd each);
        # the slope must already be of the matrix's number type (or 0)
        off = ~np.broadcast_to(act, offset.shape)
        a, c = matrix.copy(), offset.copy()
        a[off] = matrix[off] * slope
        c[off] = offset[off] * slope
        return a, c
    d = np.where(act, 1.0, float(slope))
    return matrix * d[..., :, None], offset * d


def layer_maps(net: ReLUNet, pattern: Any, *, depth: int | None = None) -> tuple[AffineMap, ...]:
    """Pre-activation maps of the first ``depth`` layers on the cell of ``pattern``.

    Entry ``l`` is ``x -> A_l x + c_l``, the pre-activation of layer ``l`` when the hidden layers
    before it follow ``pattern``. By default every layer, the output layer last (its map is the
    network's local affine map). ``pattern`` needs entries for the hidden layers used (it may be
    a prefix).

    Examples
    --------
    >>> from neurogeom import ReLUNet
    >>> net = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]])  # |x|
    >>> [(m.matrix.tolist(), m.offset.tolist()) for m in layer_maps(net, [False, True])]
    [([[1.0], [-1.0]], [0.0, 0.0]), ([[-1.0]], [0.0])]
    """
    p = np.asarray(pattern, dtype=bool).reshape(-1)
    n_layers = net.n_layers if depth is None else depth
    if net.exact:
        return tuple(hom_to_affine(m) for m in exact_layer_homs(net, p, depth=n_layers))
    current = AffineMap.identity(net.n_inputs, exact=net.exact)
    out: list[AffineMap] = []
    start = 0
    for l in range(n_layers):
        w, b = net.weights[l], net.biases[l]
        if net.exact:
            pre = AffineMap(exact_matmul(w, current.matrix), exact_matmul(w, current.offset) + b)
        else:
            pre = AffineMap(w @ current.matrix, w @ current.offset + b)
        out.append(pre)
        if l < net.n_layers - 1 and l + 1 < n_layers:
            width = w.shape[0]
            current = AffineMap(
                *apply_pattern(pre.matrix, pre.offset, p[start : start + width], net.negative_slope)
            )
            start += width
    return tuple(out)


def form_scales(net: ReLUNet, pattern: Any, *, depth: int | None = None) -> np.ndarray:
    """For a float network, the size of the terms that add up to each hidden neuron's normal on
    the cell of ``pattern`` (hidden layers ``< depth``): ``|W_l[j]| |M_l|``, the norm of the
    neuron's weights times the (Frobenius) norm of the matrix of the map feeding its layer.

    A normal far below its scale is cancellation noise: the neuron is constant on the cell
    (the search engine decides zero forms against the same scale).

    Examples
    --------
    >>> from neurogeom import ReLUNet
    >>> net = ReLUNet([[[3.0, 4.0], [1.0, 0.0]], [[1.0, 2.0]], [[1.0]]])
    >>> form_scales(net, [True, False, True]).round(3).tolist()
    [7.071, 1.414, 11.18]
    """
    p = np.asarray(pattern, dtype=bool).reshape(-1)
    n_hidden = net.n_layers - 1 if depth is None else depth
    matrix = np.eye(net.n_inputs)
    out: list[np.ndarray] = []
    start = 0
    for l in range(n_hidden):
        w = np.asarray(net.weights[l], dtype=np.float64)
        out.append(np.linalg.norm(w, axis=1) * max(float(np.linalg.norm(matrix)), 1e-300))
        width = w.shape[0]
        bits = p[start : start + width]
        matrix = (w @ matrix) * np.where(bits, 1.0, float(net.negative_slope))[:, None]
        start += width
    return np.concatenate([np.zeros(0), *out])


def stacked_forms(net: ReLUNet, patterns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`layer_maps` of many cells at once (float networks): the hidden pre-activation
    forms ``(cells, n_hidden, n + 1)`` and the output maps ``(cells, n_out, n + 1)``, each row
    ``[A_j | c_j]``, one batched matrix product per layer.

    Examples
    --------
    >>> from neurogeom import ReLUNet
    >>> net = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]])  # |x|
    >>> hidden, out = stacked_forms(net, np.array([[True, False], [False, True]]))
    >>> hidden[1].tolist(), out[:, 0].tolist()
    ([[1.0, 0.0], [-1.0, 0.0]], [[1.0, 0.0], [-1.0, 0.0]])
    """
    pats = np.asarray(patterns, dtype=bool)
    pats = pats.reshape(len(pats), net.n_hidden)
    n = net.n_inputs
    current = np.zeros((len(pats), n, n + 1))  # the input as [I | 0], one copy per cell
    current[:, np.arange(n), np.arange(n)] = 1.0
    pres = []
    for l, layer in enumerate((*net.hidden_slices, None)):
        pre = np.matmul(np.asarray(net.weights[l], dtype=np.float64), current)
        pre[:, :, n] += np.asarray(net.biases[l], dtype=np.float64)
        pres.append(pre)
        if layer is not None:  # a hidden layer: apply its activation
            scale = np.where(pats[:, layer], 1.0, float(net.negative_slope))
            current = pre * scale[:, :, None]
    hidden = np.concatenate([*pres[:-1], np.zeros((len(pats), 0, n + 1))], axis=1)
    return hidden, pres[-1]


def exact_layer_homs(net: ReLUNet, pattern: Any, *, depth: int | None = None) -> list[Any]:
    """:func:`layer_maps` of an exact network as homogeneous python-flint matrices.

    Entry ``l`` is the ``fmpq_mat`` ``[[A_l, c_l], [0, 1]]``. The maps are composed in C, one
    product per layer, and never leave python-flint on the way (a composition through Fraction
    arrays converts every entry in and out at each layer).

    Examples
    --------
    >>> from neurogeom import ReLUNet
    >>> net = ReLUNet([[[1], [-1]], [[1, 1]]], exact=True)  # |x|
    >>> [str(m.tolist()) for m in exact_layer_homs(net, [False, True])]
    ['[[1, 0], [-1, 0], [0, 1]]', '[[-1, 0], [0, 1]]']
    """
    p = np.asarray(pattern, dtype=bool).reshape(-1)
    n_layers = net.n_layers if depth is None else depth
    slope = to_fmpq(net.negative_slope)
    out: list[Any] = []
    current = None
    start = 0
    for l in range(n_layers):
        layer = affine_fmpq_mat(net.weights[l], net.biases[l])
        pre = layer if current is None else layer * current
        out.append(pre)
        if l < net.n_layers - 1 and l + 1 < n_layers:
            width = net.weights[l].shape[0]
            current = hom_with_pattern(pre, p[start : start + width], slope)
            start += width
    return out


def hom_with_pattern(hom: Any, active: Any, slope: Any) -> Any:
    """:func:`apply_pattern` on a homogeneous python-flint matrix ``[[A, c], [0, 1]]`` (a copy):
    the rows of inactive neurons scaled by ``slope``, the others kept.

    Examples
    --------
    >>> import flint
    >>> print(hom_with_pattern(flint.fmpq_mat([[1, 2], [3, 4], [0, 1]]), [True, False], 0))
    [1, 2]
    [0, 0]
    [0, 1]
    """
    out = flint.fmpq_mat(hom)
    q = to_fmpq(slope)
    cols = out.ncols()
    zero = flint.fmpq(0)
    for j in np.flatnonzero(~np.asarray(active, dtype=bool)):
        j = int(j)
        for k in range(cols):
            out[j, k] = out[j, k] * q if q else zero
    return out


def hom_to_affine(hom: Any) -> AffineMap:
    """The map of a homogeneous ``fmpq_mat`` ``[[A, c], [0, 1]]``, with Fraction arrays.

    Examples
    --------
    >>> import flint
    >>> m = hom_to_affine(flint.fmpq_mat([[1, 2], [0, 1]]))
    >>> m.matrix.tolist(), m.offset.tolist()
    ([[Fraction(1, 1)]], [Fraction(2, 1)])
    """
    arr = from_fmpq_mat(hom)
    return AffineMap(arr[:-1, :-1].copy(), arr[:-1, -1].copy())


def zero_rows(a: np.ndarray, *, scale: Any = None, tol: float = 0.0) -> np.ndarray:
    """Rows that vanish: exactly (object arrays) or with norm at most ``tol * scale`` (floats).

    Examples
    --------
    >>> zero_rows(np.array([[0.0, 1e-20], [1.0, 0.0]]), scale=1.0, tol=1e-9).tolist()
    [True, False]
    """
    if a.dtype == object:
        return np.array([all(v == 0 for v in row) for row in a], dtype=bool)
    norms = np.linalg.norm(a, axis=1)
    return norms <= (tol * np.asarray(scale) if scale is not None else 0.0)


# -- inequalities -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, eq=False)
class Halfspaces:
    """Inequalities ``a x <= b`` of a cell, each tagged with where it comes from.

    Attributes
    ----------
    a : ndarray, shape (m, n)
    b : ndarray, shape (m,)
        Float64 or exact rationals (the first two arguments; ``None`` when ``hom`` is given:
        they are then made from it, as Fractions, when first read).
    neuron : ndarray of int, shape (m,)
        The hidden neuron (index in the concatenated pattern) of each row, or ``-1 - k`` for the
        ``k``-th row of the domain.
    hom : flint.fmpq_mat or None
        Exact rows only, optional: the same rows as python-flint's ``[a, -b]`` (row ``i`` holds
        at ``x`` iff ``hom[i] . (x, 1) <= 0``), so that :meth:`contains` runs in C.

    Examples
    --------
    >>> from neurogeom import ReLUNet
    >>> net = ReLUNet([[[1], [-1]], [[1, 1]]], exact=True)
    >>> hs = cell_halfspaces(net, [True, False], domain=Domain.box(-1, 2, dim=1))
    >>> hs.a.ravel().tolist(), hs.b.tolist(), hs.neuron.tolist()
    ([Fraction(-1, 1), Fraction(-1, 1), Fraction(1, 1), Fraction(-1, 1)], [Fraction(0, 1), \
Fraction(0, 1), Fraction(2, 1), Fraction(1, 1)], [0, 1, -1, -2])
    >>> hs.contains(["1/2"]), hs.contains([0], strict=True)
    (True, False)
    """

    _a: np.ndarray | None
    _b: np.ndarray | None
    neuron: np.ndarray
    hom: Any = field(default=None, repr=False)

    @property
    def a(self) -> np.ndarray:
        """The rows' normals (from ``hom``, as Fractions, when first read if given as ``None``)."""
        if self._a is None:
            self._from_hom()
        return self._a

    @property
    def b(self) -> np.ndarray:
        """The right-hand sides (see :attr:`a`)."""
        if self._b is None:
            self._from_hom()
        return self._b

    def _from_hom(self) -> None:
        arr = from_fmpq_mat(self.hom)  # rows [a, -b]
        object.__setattr__(self, "_a", arr[:, :-1].copy())
        object.__setattr__(self, "_b", negated(arr[:, -1]))

    @property
    def exact(self) -> bool:
        """Whether the rows are exact rationals."""
        return self.hom is not None or self.a.dtype == object

    def __len__(self) -> int:
        return len(self.neuron)

    def to_float(self, *, normalize: bool = False) -> Halfspaces:
        """The rows in float64; with ``normalize``, each scaled to a unit normal (zero rows
        dropped)."""
        if self.hom is not None and self._a is None:  # straight from python-flint
            n1 = self.hom.ncols()
            flat = np.array([float(v) for v in self.hom.entries()]).reshape(-1, n1)
            a, b = flat[:, :-1], -flat[:, -1]
        else:
            a = self.a.astype(np.float64) if self.exact else self.a
            b = self.b.astype(np.float64) if self.exact else self.b
        neuron = self.neuron
        if normalize:
            norms = np.linalg.norm(a, axis=1)
            keep = norms > 0
            a, b, neuron = a[keep] / norms[keep, None], b[keep] / norms[keep], neuron[keep]
        return Halfspaces(a, b, neuron)

    def contains(self, x: Any, *, strict: bool = False, rows: Any = None) -> bool:
        """Whether ``x`` satisfies every row (exactly, for exact rows and rational ``x``).

        ``rows`` (a boolean mask) restricts the test to some of the rows.
        """
        if rows is not None:
            keep = np.asarray(rows, dtype=bool)
            if self.hom is None:
                return Halfspaces(self.a[keep], self.b[keep], self.neuron[keep]).contains(
                    x, strict=strict
                )
        if self.hom is not None:
            if not len(self):
                return True
            values = (self.hom * homogeneous_column(x)).entries()
            if rows is not None:
                values = [v for v, k in zip(values, keep, strict=True) if k]
            return all(v < 0 for v in values) if strict else all(v <= 0 for v in values)
        if self.exact:
            pt = np.array([v if isinstance(v, Fraction) else Fraction(v) for v in x], object)
        else:
            pt = np.asarray(x, dtype=np.float64)
        values = self.a @ pt if len(self.b) else np.zeros(0)
        if strict:
            return all(v < bound for v, bound in zip(values, self.b, strict=True))
        return all(v <= bound for v, bound in zip(values, self.b, strict=True))

    def without(self, neurons: Any) -> Halfspaces:
        """The rows that do not belong to the given hidden neurons."""
        keep = ~np.isin(self.neuron, np.asarray(neurons, dtype=np.int64))
        return Halfspaces(self.a[keep], self.b[keep], self.neuron[keep])

    def then(self, other: Halfspaces) -> Halfspaces:
        """Both sets of rows (this one first)."""
        return Halfspaces(
            np.concatenate([self.a, other.a]),
            np.concatenate([self.b, other.b]),
            np.concatenate([self.neuron, other.neuron]),
        )


def _domain_rows(domain: Domain | None, n: int, exact: bool) -> Halfspaces:
    if domain is None or len(domain.b) == 0:
        return Halfspaces(zeros((0, n), exact), zeros((0,), exact), np.zeros(0, np.int64))
    a = domain.a if exact else domain.a_float
    b = domain.b if exact else domain.b_float
    return Halfspaces(np.array(a), np.array(b), -1 - np.arange(len(b), dtype=np.int64))


def sign_rows(forms: AffineMap, active: Any, neurons: Any) -> Halfspaces:
    """The rows saying that each form has the sign ``active`` prescribes (zero forms dropped).

    ``forms`` holds one pre-activation form per row; row ``j`` becomes ``-A_j x <= c_j`` where
    ``active[j]`` and ``A_j x <= -c_j`` elsewhere; ``neurons`` tags the rows.

    Examples
    --------
    >>> hs = sign_rows(AffineMap(np.array([[1.0], [0.0]]), np.array([2.0, 1.0])), [True, False],
    ...                [4, 5])
    >>> hs.a.tolist(), hs.b.tolist(), hs.neuron.tolist()
    ([[-1.0]], [2.0], [4])
    """
    act = np.asarray(active, dtype=bool)
    keep = ~zero_rows(forms.matrix)
    if forms.exact:
        # negate the active rows (a negation is cheap; a product by -1 or 1 costs a gcd)
        a, b = forms.matrix.copy(), negated(forms.offset)
        a[act] = negated(forms.matrix[act])
        b[act] = forms.offset[act]
        return Halfspaces(a[keep], b[keep], np.asarray(neurons, dtype=np.int64)[keep])
    sign = np.where(act, -1, 1)
    return Halfspaces(
        (forms.matrix * sign[:, None])[keep],
        (-forms.offset * sign)[keep],
        np.asarray(neurons, dtype=np.int64)[keep],
    )


def _hidden_forms(maps: tuple[AffineMap, ...], n: int, exact: bool) -> AffineMap:
    if not maps:
        return AffineMap(zeros((0, n), exact), zeros((0,), exact))
    return AffineMap(
        np.concatenate([m.matrix for m in maps]), np.concatenate([m.offset for m in maps])
    )


def cell_halfspaces(
    net: ReLUNet, pattern: Any, *, domain: Domain | None = None, depth: int | None = None
) -> Halfspaces:
    """The inequalities of the cell of ``pattern``: hidden layers ``< depth``, then the domain.

    ``depth`` defaults to every hidden layer; ``pattern`` then needs one entry per hidden neuron
    (a prefix covering the first ``depth`` layers otherwise). Exact for exact networks.
    """
    depth = net.n_layers - 1 if depth is None else depth
    maps = layer_maps(net, pattern, depth=depth)
    forms = _hidden_forms(maps, net.n_inputs, net.exact)
    p = np.asarray(pattern, dtype=bool).reshape(-1)[: len(forms.offset)]
    rows = sign_rows(forms, p, np.arange(len(forms.offset)))
    return rows.then(_domain_rows(domain, net.n_inputs, net.exact))


@dataclass(frozen=True, slots=True, eq=False)
class CellGeometry:
    """Everything about one activation cell that follows from its pattern.

    Attributes
    ----------
    pattern : ndarray of bool
    halfspaces : Halfspaces
        The cell's inequalities, domain rows last.
    output : AffineMap
        The network's local affine map on the cell.
    forms_hom : flint.fmpq_mat or None
        Exact networks: :attr:`forms` as python-flint rows ``[A_j, c_j]``.
    forms : AffineMap
        Pre-activation forms of every hidden neuron (layers concatenated, zero rows included);
        for exact networks made from ``forms_hom`` when first read.
    """

    pattern: np.ndarray
    halfspaces: Halfspaces
    output: AffineMap
    forms_hom: Any = field(default=None, repr=False)
    _forms: AffineMap | None = field(default=None, repr=False)

    @property
    def forms(self) -> AffineMap:
        """Pre-activation forms of every hidden neuron (see the class docstring)."""
        if self._forms is None:
            arr = from_fmpq_mat(self.forms_hom)
            object.__setattr__(self, "_forms", AffineMap(arr[:, :-1].copy(), arr[:, -1].copy()))
        return self._forms

    def form(self, j: int) -> tuple[np.ndarray, Any]:
        """Neuron ``j``'s form ``(a_j, c_j)`` (Fractions for exact networks, converting that
        row alone)."""
        if self._forms is not None or self.forms_hom is None:
            return self.forms.matrix[j], self.forms.offset[j]
        width = self.forms_hom.ncols()
        row = [fmpq_to_fraction(self.forms_hom[j, k]) for k in range(width)]
        return np.array(row[:-1], dtype=object), row[-1]

    def constant_forms(self) -> np.ndarray | None:
        """Exact networks: which neurons' forms vanish identically (``a_j = 0``, ``c_j = 0``);
        ``None`` for float networks (decided with a tolerance by the caller)."""
        if self.forms_hom is None:
            return None
        width = self.forms_hom.ncols()
        flat = self.forms_hom.entries()
        return np.array(
            [not any(flat[j * width : (j + 1) * width]) for j in range(len(self.pattern))],
            dtype=bool,
        )


def cell_geometry(net: ReLUNet, pattern: Any, *, domain: Domain | None = None) -> CellGeometry:
    """Inequalities, pre-activation forms and output map of the cell of ``pattern``.

    For an exact network the rows and forms are built in python-flint (negated where a neuron is
    active) and become Fractions only when read.

    Examples
    --------
    ``max(x, y) = relu(x - y) + relu(y) - relu(-y)``, on the cell where ``x > y > 0``:

    >>> from neurogeom import ReLUNet
    >>> net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]], exact=True)
    >>> geo = cell_geometry(net, [True, True, False])
    >>> [str(v) for v in geo.output.matrix.ravel()], len(geo.halfspaces)
    (['1', '0'], 3)
    >>> [str(v) for v in geo.halfspaces.b], [str(v) for v in geo.forms.offset]
    (['0', '0', '0'], ['0', '0', '0'])
    """
    p = np.asarray(pattern, dtype=bool).reshape(-1)
    if p.shape != (net.n_hidden,):
        from neurogeom.core.errors import InvalidInputError

        raise InvalidInputError(
            f"pattern must have length {net.n_hidden} (one entry per hidden neuron), got {p.size}"
        )
    n = net.n_inputs
    if not net.exact:
        maps = layer_maps(net, p)
        forms = _hidden_forms(maps[:-1], n, False)
        rows = sign_rows(forms, p, np.arange(len(p))).then(_domain_rows(domain, n, False))
        return CellGeometry(p, rows, maps[-1], _forms=forms)
    return ExactGeometries(net, domain)(p)


class ExactGeometries:
    """:func:`cell_geometry` of an exact network for many cells in turn, sharing the work
    between consecutive cells with the same bits before the last hidden layer.

    Such cells (the cells one search node splits into) have the same pre-activation forms in
    every hidden layer: the forms, their negation and the map into the last layer are composed
    once and the same ``forms_hom`` is handed to each of them (memory too is shared); only the
    signs of the rows and the output map are the cell's own.

    Examples
    --------
    >>> from neurogeom import ReLUNet
    >>> net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]], exact=True)
    >>> geometries = ExactGeometries(net)
    >>> a, b = geometries([True, True, False]), geometries([False, True, False])
    >>> a.forms_hom is b.forms_hom, [str(v) for v in b.output.matrix.ravel()]
    (True, ['0', '1'])
    """

    def __init__(self, net: ReLUNet, domain: Domain | None = None) -> None:
        self.net = net
        self.domain = domain
        widths = net.hidden_widths
        self._last = int(sum(widths[:-1])) if widths else 0  # first bit of the last layer
        self._slope = to_fmpq(net.negative_slope)
        self._out = affine_fmpq_mat(net.weights[-1], net.biases[-1])
        self._key: bytes | None = None
        self._shared: tuple[Any, list[Any], list[Any], Any] | None = None

    def __call__(self, pattern: Any) -> CellGeometry:
        """The geometry of the cell of ``pattern`` (one entry per hidden neuron)."""
        net = self.net
        p = np.asarray(pattern, dtype=bool).reshape(-1)
        key = p[: self._last].tobytes()
        if key != self._key or self._shared is None:
            homs = exact_layer_homs(net, p, depth=net.n_layers - 1)
            entries: list[Any] = []
            for hom in homs:
                entries += hom.entries()[: (hom.nrows() - 1) * hom.ncols()]
            forms_hom = flint.fmpq_mat(len(p), net.n_inputs + 1, entries)
            last = homs[-1] if homs else None
            self._shared = (forms_hom, entries, (-forms_hom).entries(), last)
            self._key = key
        forms_hom, entries, negated_entries, last = self._shared
        signed, neurons = _signed_rows(entries, negated_entries, p, net.n_inputs, self.domain)
        rows = Halfspaces(None, None, neurons, signed)  # Fractions only if a step reads them
        if last is None:  # no hidden layer
            output = self._out
        else:
            output = self._out * hom_with_pattern(last, p[self._last :], self._slope)
        return CellGeometry(p, rows, hom_to_affine(output), forms_hom)


def _signed_rows(
    entries: list[Any], negated: list[Any], p: np.ndarray, n: int, domain: Domain | None
) -> tuple[Any, np.ndarray]:
    """The rows ``[a, -b]`` of a cell as one ``fmpq_mat``, and the neuron of each row (domain
    rows ``-1, -2, ...``), from the python-flint entries of its hidden forms ``[A_j, c_j]`` (row
    by row) and of their negation: negated where ``p[j]`` is active, rows with ``A_j = 0``
    dropped, the domain's rows last (the rows of :func:`sign_rows` then the domain's, in
    order)."""
    n1 = n + 1
    out: list[Any] = []
    neurons: list[int] = []
    for j in range(len(p)):
        row = entries[j * n1 : (j + 1) * n1]
        if not any(row[:n]):
            continue
        neurons.append(j)
        out += negated[j * n1 : (j + 1) * n1] if p[j] else row
    dom = _domain_rows(domain, n, True)
    for a_row, b_val in zip(dom.a, dom.b, strict=True):
        out += [to_fmpq(v) for v in a_row] + [-to_fmpq(b_val)]
    tags = np.concatenate([np.array(neurons, dtype=np.int64), dom.neuron])
    return flint.fmpq_mat(len(tags), n1, out), tags


# -- coincident hyperplanes ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True, eq=False)
class HyperplaneGroups:
    """Rows ``a_j x + c_j = 0`` grouped by the hyperplane they define.

    Attributes
    ----------
    group : ndarray of int
        ``group[j]`` is the representative row of ``j``'s hyperplane (itself for
        representatives, ``-1`` for zero rows).
    orientation : ndarray of int
        ``+1`` or ``-1``: row ``j`` is a positive or negative multiple of its representative.
    gap : ndarray of float
        Float mode: the distance between row ``j`` and its representative after normalisation
        (0 for representatives and in exact mode). A nonzero gap means two different
        hyperplanes were merged because they are within the tolerance.
    """

    group: np.ndarray
    orientation: np.ndarray
    gap: np.ndarray

    @property
    def representatives(self) -> np.ndarray:
        """Indices of the representative rows."""
        return np.flatnonzero(self.group == np.arange(len(self.group)))

    def members(self) -> dict[int, list[int]]:
        """Representative -> its rows (in order)."""
        out: dict[int, list[int]] = {}
        for j, g in enumerate(self.group.tolist()):
            if g >= 0:
                out.setdefault(g, []).append(j)
        return out


def group_hyperplanes(
    a: np.ndarray, c: np.ndarray, *, tol: float | Tolerances | None = None, hom: Any = None
) -> HyperplaneGroups:
    """Group rows ``a_j x + c_j = 0`` that define the same hyperplane.

    Exact for object arrays. Float rows are compared after normalisation ``(a_j, c_j) / |a_j|``:
    two rows are merged when they differ by at most ``tol.rel * (1 + |c_j| / |a_j|)``. For exact
    rows, ``hom`` may give the same rows ``[a_j, c_j]`` as a python-flint ``fmpq_mat`` (extra
    rows below are ignored): the exact arithmetic then runs on it.

    Examples
    --------
    >>> a = np.array([[1.0, 1.0], [2.0, 2.0], [-1.0, -1.0], [0.0, 0.0], [1.0, 0.0]])
    >>> groups = group_hyperplanes(a, np.array([1.0, 2.0, -1.0, 0.0, 0.0]))
    >>> groups.group.tolist(), groups.orientation.tolist()
    ([0, 0, 0, -1, 4], [1, 1, -1, 1, 1])
    """
    m = a.shape[0]
    if a.dtype == object and hom is not None:
        return group_exact_rows(hom, m)
    group = np.full(m, -1, dtype=np.int64)
    orient = np.ones(m, dtype=np.int64)
    gap = np.zeros(m)
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
        return HyperplaneGroups(group, orient, gap)
    rel = check_tol(tol).rel
    norms = np.linalg.norm(a, axis=1)
    nz = np.flatnonzero(norms > 0)
    if len(nz) == 0:
        return HyperplaneGroups(group, orient, gap)
    u = np.hstack([a[nz], c[nz, None]]) / norms[nz, None]
    scale = 1.0 + np.abs(u[:, -1])
    # candidates by one Gram matrix of the unit normals (parallel rows only), then the
    # criterion on the few candidate pairs
    gram = u[:, :-1] @ u[:, :-1].T
    cand_i, cand_j = np.nonzero(np.triu(np.abs(gram) >= 1 - 4 * rel, 1))
    group[nz] = nz
    if len(cand_i) == 0:  # no two rows parallel: every row is its own plane
        return HyperplaneGroups(group, orient, gap)
    uf = UnionFind(range(len(nz)))
    for i, j in zip(cand_i.tolist(), cand_j.tolist(), strict=True):
        if min(np.abs(u[i] - u[j]).max(), np.abs(u[i] + u[j]).max()) <= rel * max(
            scale[i], scale[j]
        ):
            uf.union(i, j)
    rep_of: dict[int, int] = {}
    rep = np.array([rep_of.setdefault(uf.find(i), i) for i in range(len(nz))])
    group[nz] = nz[rep]
    o = np.where(np.einsum("ij,ij->i", u[:, :-1], u[rep, :-1]) > 0, 1, -1)
    orient[nz] = o
    gap[nz] = np.abs(u * o[:, None] - u[rep]).max(axis=1) / np.maximum(scale, scale[rep])
    return HyperplaneGroups(group, orient, gap)


def group_exact_rows(hom: Any, m: int | None = None) -> HyperplaneGroups:
    """:func:`group_hyperplanes` for exact rows ``[a_j, c_j]`` given as the first ``m`` rows
    (all by default) of a python-flint ``fmpq_mat``, without turning them into Fractions.

    Examples
    --------
    >>> import flint
    >>> groups = group_exact_rows(flint.fmpq_mat([[1, 1, 1], [2, 2, 2], [-1, -1, -1], [0, 0, 0]]))
    >>> groups.group.tolist(), groups.orientation.tolist()
    ([0, 0, 0, -1], [1, 1, -1, 1])
    """
    m = hom.nrows() if m is None else m
    width = hom.ncols()
    flat = hom.entries()
    rows = [flat[j * width : (j + 1) * width] for j in range(m)]
    group = np.full(m, -1, dtype=np.int64)
    orient = np.ones(m, dtype=np.int64)
    seen: dict[tuple, int] = {}
    for j, row in enumerate(rows):
        k = next((i for i, v in enumerate(row[:-1]) if v != 0), None)
        if k is None:
            continue
        lead = row[k]
        # keyed by numerators and denominators (coprime, q > 0: one key per rational): hashing
        # an fmpq builds a Fraction and cost ten times more
        quot = [v / lead for v in row]
        rep = seen.setdefault((*[q.p for q in quot], *[q.q for q in quot]), j)
        group[j] = rep
        if rep != j:
            orient[j] = (1 if lead > 0 else -1) * (1 if rows[rep][k] > 0 else -1)
    return HyperplaneGroups(group, orient, np.zeros(m))


# -- scales -------------------------------------------------------------------------------------
def problem_scale(net: ReLUNet, domain: Domain) -> float:
    """The length that relative tolerances of region computations multiply.

    The domain's :meth:`~neurogeom.core.domain.Domain.extent`, or, where larger (always on
    ``R^n``), the largest distance of a first-layer hyperplane from the origin; 1 if both are 0.

    Examples
    --------
    >>> from neurogeom import ReLUNet
    >>> net = ReLUNet([[[3.0, 4.0]], [[1.0]]], [[10.0], [0.0]])
    >>> problem_scale(net, Domain.whole(2)), problem_scale(net, Domain.box(-5, 5, dim=2))
    (2.0, 5.0)
    """
    w0 = np.asarray(net.weights[0], dtype=float)
    b0 = np.asarray(net.biases[0], dtype=float)
    n0 = np.linalg.norm(w0, axis=1)
    dists = np.abs(b0[n0 > 0]) / n0[n0 > 0]
    scale = max(domain.extent(), float(dists.max()) if len(dists) else 0.0)
    return scale if scale > 0 else 1.0


def output_size(net: ReLUNet, extent: float) -> float:
    """A bound on ``|M x + c|`` over ``|x|_inf <= extent`` for every local affine map ``(M, c)``.

    Propagates ``|W|`` and ``|b|`` layer by layer (the activation's slopes have modulus at most
    ``max(1, |slope|)``), so it is the natural size against which two local maps of this network
    are compared: rounding errors in computing them are a tiny multiple of it.

    Examples
    --------
    >>> from neurogeom import ReLUNet
    >>> net = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]], [[0.0, 2.0], [3.0]])
    >>> output_size(net, 1.0)  # |x| + |2 - x| ... bounded by 1 + (1 + 2) + 3
    7.0
    """
    slope = max(1.0, abs(float(net.negative_slope)))
    lin = np.full(net.n_inputs, float(extent))
    for l, (w, b) in enumerate(net.layers):
        wf = np.abs(np.asarray(w, dtype=float))
        lin = wf @ lin + np.abs(np.asarray(b, dtype=float))
        if l < net.n_layers - 1:
            lin = lin * slope
    return float(lin.max(initial=0.0))


@dataclass(frozen=True, slots=True)
class MapComparison:
    """Outcome of :func:`compare_maps`: the decision, whether it is certain, and the gap."""

    equal: bool
    certain: bool
    gap: float


def compare_maps(
    first: AffineMap, second: AffineMap, *, size: float, extent: float, tol: Tolerances
) -> MapComparison:
    """Whether two local affine maps of one network are equal, relative to the network's size.

    Exact maps are compared exactly (always certain). Float maps are equal when
    ``max|dM| * extent + max|dc| <= tol.rel * size`` with ``size`` from :func:`output_size`; the
    decision is uncertain when that gap lies in the tolerance band. Comparing with the network's
    size rather than the maps' own (which may be zero) keeps rounding noise from splitting
    regions.

    Examples
    --------
    >>> zero = AffineMap(np.zeros((1, 2)), np.zeros(1))
    >>> noise = AffineMap(np.array([[1e-17, 0.0]]), np.zeros(1))
    >>> compare_maps(zero, noise, size=1.0, extent=1.0, tol=Tolerances())
    MapComparison(equal=True, certain=True, gap=1e-17)
    """
    if first.exact and second.exact:
        same = first.equals(second)
        return MapComparison(same, True, 0.0 if same else float("inf"))
    a, b = first.to_float(), second.to_float()
    dm = float(np.abs(a.matrix - b.matrix).max(initial=0.0))
    dc = float(np.abs(a.offset - b.offset).max(initial=0.0))
    gap = dm * extent + dc
    s = max(size, np.finfo(float).tiny)
    return MapComparison(bool(tol.is_zero(gap, s)), not bool(tol.unsure(gap, s)), gap)
