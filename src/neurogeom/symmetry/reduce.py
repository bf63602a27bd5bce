"""Reduce a shallow ReLU network to a narrowest equivalent one (same conventions).

A function with ``p`` kink hyperplanes needs at least ``p`` neurons, one per hyperplane. Its
linear part ``L`` (and, without output bias, its constant ``d``) must then come from the neurons
too (symmetries spec §2, Dereich & Kassing arXiv 2108.05643):

- a neuron in the opposite orientation contributes ``-α_j u_jᵀ`` (``σ(-z) = σ(z) - z``), so ``p``
  neurons suffice when a set ``S`` of flipped kinks gives ``L = -Σ_S α_j u_jᵀ``;
- an *opposite partner* on kink ``j`` contributes any ``t u_jᵀ`` (``p + 1``);
- without output bias, a neuron with ``w = 0`` contributes any constant (``p + 1``);
- a *cancelling pair* ``(w, b, a), (-w, -b, -a)`` contributes any rank-one ``a wᵀ`` (``+ 2``
  per unit of rank).

:func:`reduce_width` tries these in order of width with an exact subset search, so its width is
certified minimal whenever the searches were complete and the remaining residual has rank at most
one (always for one output); with a skip term the linear part is free and ``p`` (or ``p + 1``
for a constant without output bias) is reached directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from neurogeom.core.rationals import exact_rank, from_fmpq_mat, to_fmpq_mat
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.symmetry._subsets import subsets_with_sum
from neurogeom.symmetry.canonical import CanonicalForm, canonical_form
from neurogeom.symmetry.shallow import ShallowNet, as_shallow

__all__ = ["Reduction", "realise", "reduce_width"]


@dataclass(frozen=True, slots=True)
class Reduction:
    """A narrower net with the same function and conventions.

    Attributes
    ----------
    net : ShallowNet
        The reduced net (a net computing an affine function with no neuron needed keeps one dead
        neuron so that it is a valid net; ``width`` is then 0).
    width : int
        Neurons needed.
    original_width : int
    kinks : int
        Kink hyperplanes of the function (a lower bound on the width).
    minimal : bool
        Whether ``width`` is certified minimal for the architecture's conventions.
    construction : str
        How the linear part was realised.
    verdict : str
        :func:`~neurogeom.symmetry.are_equivalent` of the reduced net against the original.
    """

    net: ShallowNet
    width: int
    original_width: int
    kinks: int
    minimal: bool
    construction: str
    verdict: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "width": self.width,
            "original_width": self.original_width,
            "kinks": self.kinks,
            "minimal": self.minimal,
            "construction": self.construction,
            "verdict": self.verdict,
            "net": self.net.to_dict(),
        }

    def __repr__(self) -> str:
        flag = "minimal" if self.minimal else "upper bound"
        return f"Reduction(width {self.original_width} -> {self.width}, {flag})"


@dataclass(slots=True)
class _Neurons:
    """Neurons being assembled: rows of ``w``, entries of ``b``, columns of ``a``."""

    w: list[list[Any]]
    b: list[Any]
    a: list[list[Any]]

    def add(self, w: Any, b: Any, a: Any) -> None:
        self.w.append(list(w))
        self.b.append(b)
        self.a.append(list(a))


def _arrays(form: CanonicalForm) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dt = object if form.exact else np.float64
    m, k = form.n_inputs, form.n_outputs
    u = np.array([kk.normal for kk in form.kinks], dtype=dt).reshape(len(form.kinks), m)
    beta = np.array([kk.offset for kk in form.kinks], dtype=dt)
    alpha = np.array([kk.coefficient for kk in form.kinks], dtype=dt).reshape(len(form.kinks), k)
    return u, beta, alpha


def _projector(vec: np.ndarray, exact: bool) -> np.ndarray:
    """``I - v vᵀ / (v·v)``: removes the component along ``v``."""
    n = len(vec)
    eye = np.zeros((n, n), dtype=object if exact else np.float64)
    for i in range(n):
        eye[i, i] = Fraction(1) if exact else 1.0
    return eye - np.outer(vec, vec) / (vec @ vec)


def _rank_one_pieces(mat: np.ndarray, exact: bool, tol: Tolerances) -> list[tuple[Any, Any]]:
    """``mat = Σ_q a_q w_qᵀ`` with ``rank(mat)`` pieces."""
    if exact:
        rank = exact_rank(mat) if mat.size else 0
        if rank == 0:
            return []
        rref, r = to_fmpq_mat(mat).rref()
        basis = from_fmpq_mat(rref)[: int(r)]
        # coordinates of each row in the basis: the pivot columns read them off
        pivots = [next(j for j in range(basis.shape[1]) if row[j] != 0) for row in basis]
        coeffs = mat[:, pivots]
        return [(coeffs[:, q], basis[q]) for q in range(len(basis))]
    u, s, vt = np.linalg.svd(mat, full_matrices=False)
    big = s.max(initial=0.0)
    keep = s > tol.rel * max(big, 1e-300)
    return [(u[:, q] * s[q], vt[q]) for q in np.flatnonzero(keep)]


def reduce_width(
    net: Any, *, exact: bool | None = None, tol: float | Tolerances | None = None
) -> Reduction:
    """A narrowest shallow net computing the same function, with the same conventions.

    Parameters
    ----------
    net : ShallowNet or ReLUNet
        A shallow ReLU net; the result keeps its output bias / skip term conventions.
    exact : bool, optional
        Rational arithmetic (default: the net's storage).
    tol : float or Tolerances, optional
        Float mode's relative tolerance.

    Returns
    -------
    Reduction

    Examples
    --------
    Spec oracle 3: two neurons on one oriented hyperplane merge into one.

    >>> f = ShallowNet([[1, 2], [2, 4]], [1, 2], [[3, 1]], c=[0], exact=True)
    >>> red = reduce_width(f)
    >>> red, red.verdict
    (Reduction(width 2 -> 1, minimal), 'equivalent')

    ``x = σ(x) - σ(-x)`` needs two neurons without a skip term:

    >>> reduce_width(ShallowNet([[1], [-1], [3]], [0, 0, 5], [[1, -1, 0]], c=[0], exact=True))
    Reduction(width 3 -> 2, minimal)
    """
    from neurogeom.symmetry.equivalence import are_equivalent

    net = as_shallow(net, what="reduce_width")
    exact = net.exact if exact is None else bool(exact)
    work = net.to_exact() if exact else net.to_float()
    tolerances = check_tol(tol)
    form = canonical_form(work, exact=exact, tol=tolerances)
    reduced, width, minimal, how = _realise(
        form, work.c is not None, work.v is not None, tolerances
    )
    if width > work.width:  # the general construction is only an upper bound for k > 1
        reduced, width, minimal, how = (
            work,
            work.width,
            False,
            "the net itself (no narrower one found)",
        )
    verdict = are_equivalent(work, reduced, tol=tolerances).verdict
    return Reduction(reduced, width, net.width, form.width, minimal, how, verdict)


def realise(
    form: CanonicalForm,
    *,
    output_bias: bool = True,
    skip: bool = False,
    tol: float | Tolerances | None = None,
) -> Reduction:
    """A narrowest shallow net with the given conventions computing a canonical form.

    Parameters
    ----------
    form : CanonicalForm
    output_bias : bool
        Whether the architecture has an output bias.
    skip : bool
        Whether it has a skip term.
    tol : float or Tolerances, optional
        Float mode's tolerance of the flip and offset searches.

    Returns
    -------
    Reduction
        The net, its width, whether it is certified minimal and the construction used.

    Examples
    --------
    >>> form = canonical_form(ShallowNet([[1]], [0], [[2]], v=[[-1]], exact=True))  # |x|
    >>> red = realise(form)  # output bias, no skip term
    >>> red.width, red.net.w.ravel().tolist(), red.net.a.ravel().tolist()
    (2, [Fraction(1, 1), Fraction(-1, 1)], [Fraction(1, 1), Fraction(1, 1)])
    """
    from neurogeom.symmetry.equivalence import are_equivalent

    tolerances = check_tol(tol)
    net, width, minimal, how = _realise(form, output_bias, skip, tolerances)
    verdict = are_equivalent(form.to_net(), net, tol=tolerances).verdict
    return Reduction(net, width, width, form.width, minimal, how, verdict)


def _realise(
    form: CanonicalForm, bias: bool, skip: bool, tol: Tolerances
) -> tuple[ShallowNet, int, bool, str]:
    exact = form.exact
    dt = object if exact else np.float64
    zero = Fraction(0) if exact else 0.0
    one = Fraction(1) if exact else 1.0
    m, k = form.n_inputs, form.n_outputs
    u, beta, alpha = _arrays(form)
    p = len(form.kinks)
    linear = np.array(form.linear, dtype=dt).reshape(k, m)
    constant = np.array(form.constant, dtype=dt)
    scale = max(
        float(np.abs(alpha.astype(np.float64)).max(initial=0.0)),
        float(np.abs(linear.astype(np.float64)).max(initial=0.0)),
        float(np.abs(constant.astype(np.float64)).max(initial=0.0)),
        1e-300,
    )
    atol = tol.rel * scale * max(1.0, float(np.abs(u.astype(np.float64)).max(initial=1.0)))

    def build(flipped: set[int], extra: _Neurons, c: Any, v: Any) -> ShallowNet:
        neurons = _Neurons([], [], [])
        for j in range(p):
            s = -1 if j in flipped else 1
            neurons.add(u[j] * s, beta[j] * s, alpha[j])
        for w_e, b_e, a_e in zip(extra.w, extra.b, extra.a, strict=True):
            neurons.add(w_e, b_e, a_e)
        if not neurons.w:  # no neuron needed: one dead neuron keeps the net valid
            neurons.add([zero] * m, zero, [zero] * k)
        a_mat = np.array(neurons.a, dtype=dt).T.reshape(k, len(neurons.w))
        return ShallowNet._trusted(
            np.array(neurons.w, dtype=dt).reshape(len(neurons.w), m),
            np.array(neurons.b, dtype=dt),
            a_mat,
            c if bias else None,
            v if skip else None,
            exact,
        )

    def flips_constant(flipped: set[int]) -> np.ndarray:
        out = constant.copy()
        for j in flipped:
            out = out + alpha[j] * beta[j]
        return out

    def is_zero(x: Any) -> bool:
        if exact:
            return all(v == 0 for v in np.asarray(x, dtype=object).flat)
        return float(np.abs(np.asarray(x, dtype=np.float64)).max(initial=0.0)) <= atol

    empty = _Neurons([], [], [])
    if skip:
        if bias or is_zero(constant):
            return build(set(), empty, constant, linear), p, True, "one neuron per kink"
        # no output bias: flips move -α_j β_j into the constant
        vecs = np.array([-alpha[j] * beta[j] for j in range(p)], dtype=dt).reshape(p, k)
        found = subsets_with_sum(vecs, constant, exact=exact, atol=atol, limit=1)
        if found.subsets:
            s = set(found.subsets[0])
            lin = linear.copy()
            for j in s:
                lin = lin + np.outer(alpha[j], u[j])
            return build(s, empty, None, lin), p, True, f"flipped kinks {sorted(s)}"
        extra = _Neurons([], [], [])
        extra.add([zero] * m, one, constant)
        return (
            build(set(), extra, None, linear),
            p + 1,
            found.complete,
            "a constant neuron (w = 0) for the constant",
        )
    # no skip term: flips, then partners / a constant neuron, then cancelling pairs
    aug = not bias
    cols = m + (1 if aug else 0)
    target = np.concatenate([linear, constant[:, None]], axis=1) if aug else linear
    uu = np.concatenate([u, beta[:, None]], axis=1) if aug else u
    contrib = [-np.outer(alpha[j], uu[j]) for j in range(p)]  # flipping kink j
    vecs = np.array([c.ravel() for c in contrib], dtype=dt).reshape(p, k * cols)
    complete = True
    found = subsets_with_sum(vecs, target.ravel(), exact=exact, atol=atol, limit=1, nonempty=False)
    complete &= found.complete or bool(found.subsets)
    if found.subsets:
        s = set(found.subsets[0])
        how = f"flipped kinks {sorted(s)}" if s else "one neuron per kink"
        return build(s, empty, flips_constant(s), None), p, True, how
    # p + 1: an opposite partner on kink j
    for j in range(p):
        proj = _projector(uu[j], exact)
        others = [i for i in range(p) if i != j]
        pv = np.array([(contrib[i] @ proj).ravel() for i in others], dtype=dt).reshape(
            len(others), k * cols
        )
        hit = subsets_with_sum(
            pv, (target @ proj).ravel(), exact=exact, atol=atol, limit=1, nonempty=False
        )
        complete &= hit.complete or bool(hit.subsets)
        if hit.subsets:
            s = {others[i] for i in hit.subsets[0]}
            residual = target.copy()
            for i in s:
                residual = residual - contrib[i]
            t = -(residual @ uu[j]) / (uu[j] @ uu[j])  # residual = -t ũ_jᵀ
            extra = _Neurons([], [], [])
            extra.add(-u[j], -beta[j], t)
            c = flips_constant(s) + t * beta[j] if bias else None
            out = build(s, extra, c, None)
            a_out = np.array(out.a)
            a_out[:, j] = alpha[j] - t
            how = f"an opposite partner on kink {j}" + (f", flipped kinks {sorted(s)}" if s else "")
            return ShallowNet._trusted(out.w, out.b, a_out, c, None, exact), p + 1, complete, how
    if aug:  # no output bias: flips for L, a constant neuron for d
        lin_vecs = np.array([(-np.outer(alpha[j], u[j])).ravel() for j in range(p)], dtype=dt)
        hit = subsets_with_sum(
            lin_vecs.reshape(p, k * m),
            linear.ravel(),
            exact=exact,
            atol=atol,
            limit=1,
            nonempty=False,
        )
        complete &= hit.complete or bool(hit.subsets)
        if hit.subsets:
            s = set(hit.subsets[0])
            extra = _Neurons([], [], [])
            extra.add([zero] * m, one, flips_constant(s))
            how = "a constant neuron (w = 0)" + (f", flipped kinks {sorted(s)}" if s else "")
            return build(s, extra, None, None), p + 1, complete, how
    # cancelling pairs realise the linear part (rank-one pieces)
    pieces = _rank_one_pieces(linear, exact, tol)
    offsets = None if bias else _offsets([a for a, _ in pieces], constant, exact, atol)
    extra = _Neurons([], [], [])
    for q, (a_q, w_q) in enumerate(pieces):
        b_q = zero if offsets is None else offsets[q]
        extra.add(w_q, b_q, a_q)
        extra.add(-w_q, -b_q, -a_q)
    width = p + 2 * len(pieces)
    how = f"{len(pieces)} cancelling pair(s)"
    if not bias and offsets is None and not is_zero(constant):
        extra.add([zero] * m, one, constant)
        width += 1
        how += ", a constant neuron"
    minimal = complete and k == 1
    return build(set(), extra, constant, None), width, minimal, how


def _offsets(columns: list[Any], target: np.ndarray, exact: bool, atol: float) -> Any:
    """Biases ``b_q`` with ``Σ_q a_q b_q = target`` (pairs then carry the constant), or None."""
    if not columns:
        return None
    mat = np.array(columns, dtype=object if exact else np.float64).T
    if exact:
        rref, rank = to_fmpq_mat(mat.T).rref()  # independent rows of mat = pivots of mat.T
        basis = from_fmpq_mat(rref)[: int(rank)]
        rows = [next(j for j in range(basis.shape[1]) if row[j] != 0) for row in basis]
        sub = to_fmpq_mat(mat[rows])
        if sub.rank() < len(columns):
            return None
        sol = from_fmpq_mat(sub.solve(to_fmpq_mat(target[rows].reshape(-1, 1))))[:, 0]
        ok = all(v == 0 for v in mat @ sol - target)
        return list(sol) if ok else None
    sol, *_ = np.linalg.lstsq(mat, target, rcond=None)
    return list(sol) if float(np.abs(mat @ sol - target).max(initial=0.0)) <= atol else None
