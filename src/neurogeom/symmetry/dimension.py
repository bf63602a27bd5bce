"""Functional dimension: the rank of the Jacobian of parameters -> outputs on a batch of inputs.

For a batch ``x_1, ..., x_N`` off every kink, ``θ -> (f_θ(x_1), ..., f_θ(x_N))`` is a polynomial
map near ``θ``; the rank of its Jacobian is the *batch functional dimension* (Grigsby, Lindsey,
Meyerhoff, Wu, arXiv 2209.04036). It never exceeds ``D - r``, where ``D`` counts the parameters
and ``r`` is the rank of the rescaling directions (one per hidden neuron, ``(w_i, b_i, -a_i)``),
which are in the kernel at every point. For a generic shallow net it equals ``D - n``
(``n(m + k) + k`` with an output bias); it drops at degenerate parameters (dead neurons, shared
hyperplanes, ...), which :func:`functional_dimension` names.

Two ways to compute the rank:

- ``method="modular"`` (default): the Jacobian is computed *exactly* over the prime field ``F_p``
  (parameters and points are rationals; the activation pattern of each point is certified, by
  exact arithmetic or a rigorous float error bound) and its rank taken with
  :func:`neurogeom.core.rationals.modular_rank`. A rank mod ``p`` is a certified lower bound on
  the rational rank; when it reaches the upper bound ``D - r`` the functional dimension is
  certified.
- ``method="svd"``: float64 Jacobian and singular values; the rank counts the singular values above
  ``tol.rel * σ_max`` and the gap below the last one is reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from neurogeom.core.errors import InvalidInputError, UnsupportedLayerError
from neurogeom.core.random import check_rng
from neurogeom.core.rationals import modular_rank
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.nets.relu import ReLUNet
from neurogeom.symmetry.shallow import ShallowNet, as_shallow

__all__ = ["DEFAULT_PRIMES", "FunctionalDimension", "functional_dimension", "jacobian"]

#: Primes below 2**26: products of two residues fit in 52 bits, sums of 2**11 of them in int64.
DEFAULT_PRIMES = (67108859, 67108837)

_CHUNK = 1 << 11
_UNIT = 2.0**-53


# -- the network as layers ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Model:
    """Layers ``(W_l, b_l)`` (``b_l`` None when the architecture has none), a skip term, the
    activation's slope."""

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray | None, ...]
    skip: np.ndarray | None
    slope: Any
    exact: bool

    @property
    def n_parameters(self) -> int:
        total = sum(
            w.size + (0 if b is None else b.size)
            for w, b in zip(self.weights, self.biases, strict=True)
        )
        return total + (0 if self.skip is None else self.skip.size)

    @property
    def hidden(self) -> tuple[int, ...]:
        return tuple(w.shape[0] for w in self.weights[:-1])


def _model(net: Any) -> _Model:
    if isinstance(net, ShallowNet):
        return _Model(
            (net.w, net.a), (net.b, net.c), net.v, Fraction(0) if net.exact else 0.0, net.exact
        )
    if isinstance(net, ReLUNet):
        return _Model(net.weights, net.biases, None, net.negative_slope, net.exact)
    if type(net).__name__ == "RationalNet":
        raise UnsupportedLayerError(
            "functional_dimension here is for ReLU networks; see neurogeom.rational for rational "
            "networks"
        )
    raise InvalidInputError(
        f"functional_dimension needs a ReLUNet or ShallowNet, got {type(net).__name__}"
    )


# -- modular arithmetic -------------------------------------------------------------------------
def _residue(q: Any, p: int) -> int:
    num, den = (
        (q.numerator, q.denominator) if isinstance(q, Fraction) else float(q).as_integer_ratio()
    )
    if den % p == 0:
        raise ArithmeticError
    return num * pow(den, -1, p) % p


def _mod_array(arr: np.ndarray, p: int) -> np.ndarray:
    flat = [_residue(v, p) for v in arr.ravel().tolist()]
    return np.array(flat, dtype=np.int64).reshape(arr.shape)


def _matmul_mod(a: np.ndarray, b: np.ndarray, p: int) -> np.ndarray:
    """``a @ b mod p`` for int64 residues (``a`` batched ``(..., n)``, ``b`` ``(n, r)``)."""
    n = a.shape[-1]
    out = np.zeros((*a.shape[:-1], b.shape[-1]), dtype=np.int64)
    for start in range(0, n, _CHUNK):
        out = (out + a[..., start : start + _CHUNK] @ b[start : start + _CHUNK]) % p
    return out


# -- activation patterns, certified -------------------------------------------------------------
def _patterns(model: _Model, x: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Patterns of the hidden layers at each point, and which points have every pattern entry
    certified (pre-activation provably nonzero)."""
    n_points = x.shape[0]
    ok = np.ones(n_points, dtype=bool)
    pats: list[np.ndarray] = []
    if model.exact:
        h = np.vectorize(Fraction, otypes=[object])(x)
        for w, b in zip(model.weights[:-1], model.biases[:-1], strict=True):
            z = h @ w.T + (0 if b is None else b)
            active = np.vectorize(lambda t: t > 0, otypes=[bool])(z)
            ok &= ~np.vectorize(lambda t: t == 0, otypes=[bool])(z).any(axis=1)
            pats.append(active)
            h = np.where(active, z, z * model.slope)
        return pats, ok
    h = x.astype(np.float64)
    err = np.zeros_like(h)
    slope = float(model.slope)
    for w, b in zip(model.weights[:-1], model.biases[:-1], strict=True):
        wf = np.asarray(w, dtype=np.float64)
        bf = np.zeros(w.shape[0]) if b is None else np.asarray(b, dtype=np.float64)
        z = h @ wf.T + bf
        n_terms = w.shape[1] + 1
        gamma = n_terms * _UNIT / (1 - n_terms * _UNIT)
        bound = gamma * (np.abs(h) @ np.abs(wf).T + np.abs(bf)) + err @ np.abs(wf).T
        bound = bound * (1 + 4 * _UNIT) + np.finfo(float).tiny
        ok &= (np.abs(z) > bound).all(axis=1)
        active = z > 0
        pats.append(active)
        h = np.where(active, z, z * slope)
        # a certified inactive ReLU outputs exactly 0 (leaky: slope times the error)
        err = bound * np.where(active, 1.0, abs(slope))
    return pats, ok


# -- the Jacobian -------------------------------------------------------------------------------
def _jacobian_rows(model: _Model, x: Any, pats: list[np.ndarray], ring: Any) -> np.ndarray:
    """``(N * k, D)`` Jacobian in the given ring: ``ring = None`` float64, else a prime."""
    p = ring
    if p is None:
        ws = [np.asarray(w, dtype=np.float64) for w in model.weights]
        bs = [None if b is None else np.asarray(b, dtype=np.float64) for b in model.biases]
        xs = np.asarray(x, dtype=np.float64)
        slope = float(model.slope)

        def mul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            return a @ b

        def red(a: np.ndarray) -> np.ndarray:
            return a
    else:
        ws = [_mod_array(np.asarray(w, dtype=object), p) for w in model.weights]
        bs = [
            None if b is None else _mod_array(np.asarray(b, dtype=object), p) for b in model.biases
        ]
        xs = _mod_array(np.asarray(x, dtype=object), p)
        slope = _residue(Fraction(model.slope), p)

        def mul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            return _matmul_mod(a, b, p)

        def red(a: np.ndarray) -> np.ndarray:
            return a % p

    n_points = xs.shape[0]
    k = model.weights[-1].shape[0]
    # forward: inputs of every layer
    inputs = [xs]
    h = xs
    derivs = []
    for l, (w, b) in enumerate(zip(ws[:-1], bs[:-1], strict=True)):
        z = mul(h, w.T)
        if b is not None:
            z = red(z + b)
        d = np.where(pats[l], 1, slope)
        d = d.astype(np.float64 if p is None else np.int64)
        derivs.append(d)
        h = red(z * d)
        inputs.append(h)
    # backward: G_l = d f / d z_l, shape (N, k, width_l)
    one = np.eye(k, dtype=np.float64 if p is None else np.int64)
    g = np.broadcast_to(one, (n_points, k, k)).copy()
    blocks: list[np.ndarray] = []
    for l in range(len(ws) - 1, -1, -1):
        h_in = inputs[l]
        dw = red(g[:, :, :, None] * h_in[:, None, None, :]).reshape(n_points, k, -1)
        part = [dw]
        if bs[l] is not None:
            part.append(g)
        blocks = part + blocks
        if l > 0:
            g = red(mul(g, ws[l]) * derivs[l - 1][:, None, :])
    if model.skip is not None:
        eye = np.eye(k, dtype=np.float64 if p is None else np.int64)
        blocks.append((eye[None, :, :, None] * xs[:, None, None, :]).reshape(n_points, k, -1))
    return np.concatenate(blocks, axis=2).reshape(n_points * k, -1)


def _scaling_vectors(model: _Model) -> np.ndarray:
    """One row per hidden neuron: the rescaling direction ``(w_i, b_i, -a_i)`` in parameter
    order."""
    rows = []
    sizes = []
    for w, b in zip(model.weights, model.biases, strict=True):
        sizes.append((w.shape, None if b is None else b.shape))
    n_params = model.n_parameters
    offsets = []
    pos = 0
    for w_shape, b_shape in sizes:
        offsets.append(pos)
        pos += w_shape[0] * w_shape[1] + (0 if b_shape is None else b_shape[0])
    for l in range(len(model.weights) - 1):
        w, b = model.weights[l], model.biases[l]
        w_next = model.weights[l + 1]
        for i in range(w.shape[0]):
            row = np.zeros(n_params, dtype=object)
            row[...] = 0
            start = offsets[l] + i * w.shape[1]
            row[start : start + w.shape[1]] = w[i]
            if b is not None:
                row[offsets[l] + w.size + i] = b[i]
            for o in range(w_next.shape[0]):
                row[offsets[l + 1] + o * w_next.shape[1] + i] = -w_next[o, i]
            rows.append(row)
    return np.array(rows, dtype=object).reshape(len(rows), n_params)


# -- the batch ----------------------------------------------------------------------------------
def _batch(model: _Model, n_points: int, rng: np.random.Generator) -> np.ndarray:
    """``m + 1`` points on both sides of every first-layer hyperplane near its foot, plus
    Gaussian points scaled past the farthest hyperplane (symmetries spec §5)."""
    w0 = np.asarray(model.weights[0], dtype=np.float64)
    b0 = (
        np.zeros(w0.shape[0])
        if model.biases[0] is None
        else np.asarray(model.biases[0], dtype=np.float64)
    )
    m = w0.shape[1]
    norms = np.linalg.norm(w0, axis=1)
    live = norms > 0
    dists = np.abs(b0[live]) / norms[live]
    radius = max(1.0, 1.5 * float(dists.max(initial=0.0)))
    pts = []
    for i in np.flatnonzero(live):
        unit = w0[i] / norms[i]
        foot = -b0[i] * unit / norms[i]
        # stay closer to this hyperplane than to any other one at the foot
        rest = live.copy()
        rest[i] = False
        others = np.abs(w0[rest] @ foot + b0[rest]) / norms[rest]
        others = others[others > 0]  # hyperplanes through the foot do not limit the step
        near = min(0.02 * radius, 0.4 * float(others.min(initial=np.inf)))
        for side in (-1.0, 1.0):
            # m + 1 points a side, so each cell next to the foot has an affinely spanning set
            for _ in range(m + 1):
                jitter = rng.normal(size=m) * near
                jitter -= unit * (jitter @ unit)
                depth = side * near * (0.5 + 0.5 * rng.random())
                pts.append(foot + jitter + depth * unit)
    extra = max(n_points - len(pts), 0)
    pts.extend(rng.normal(size=(extra, m)) * radius)
    return np.array(pts, dtype=np.float64).reshape(-1, m)


# -- explanations -------------------------------------------------------------------------------
def _explain_shallow(net: ShallowNet, tol: Tolerances) -> list[str]:
    from neurogeom.symmetry.canonical import canonical_form

    m, k = net.n_inputs, net.n_outputs
    form = canonical_form(net, tol=tol)
    out = []
    for i in form.dead:
        out.append(
            f"neuron {i}: output weight 0, so its input weights and bias do not change f "
            f"(typically -{m})"
        )
    for i in form.constant_neurons:
        if net.b[i] <= 0:
            out.append(
                f"neuron {i}: input weight 0 and bias <= 0, never active (typically -{m + k})"
            )
        else:
            out.append(
                f"neuron {i}: input weight 0 and bias > 0, always active: an affine term "
                "(typically -1)"
            )
    for kk in form.kinks:
        for sign in (1, -1):
            same = [i for i, s in zip(kk.neurons, kk.signs, strict=True) if s == sign]
            if len(same) > 1:
                out.append(
                    f"neurons {same} share an oriented hyperplane: one coefficient between "
                    f"them (typically -{m + 1} per extra neuron)"
                )
        if 1 in kk.signs and -1 in kk.signs:
            out.append(
                f"neurons {list(kk.neurons)}: opposite orientations on one hyperplane "
                "(typically -1)"
            )
    for group in form.cancelled:
        out.append(
            f"neurons {list(group)}: coefficients cancel on one hyperplane, an affine term "
            "(typically -1 per pair)"
        )
    return out


def _explain_deep(model: _Model, pats: list[np.ndarray]) -> list[str]:
    out = []
    for l, pat in enumerate(pats):
        never = np.flatnonzero(~pat.any(axis=0)).tolist()
        always = np.flatnonzero(pat.all(axis=0)).tolist()
        if never:
            out.append(f"layer {l}: neurons {never} are inactive at every batch point")
        if always:
            out.append(f"layer {l}: neurons {always} are active at every batch point")
    return out


# -- the result ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FunctionalDimension:
    """The batch functional dimension of a network, with bounds and explanations.

    Attributes
    ----------
    rank : int
        Rank of the batch Jacobian (a certified lower bound with ``method="modular"``).
    parameters : int
        ``D``, the number of parameters.
    upper_bound : int
        ``D - r`` with ``r`` the rank of the rescaling directions: no batch can do better.
    generic : int
        ``D - (hidden neurons)``: the value at generic parameters of a shallow net, an upper
        bound attained generically only for some deep architectures.
    method : {"modular", "svd"}
    certified : bool
        ``rank == upper_bound`` with the modular method: the functional dimension is exactly
        ``rank``. With ``"svd"``: additionally no singular value lies in the tolerance band.
    points : int
        Batch points used (each off every kink, its activation pattern certified).
    primes : tuple of int
        Primes used by the modular method.
    gap : float or None
        SVD: ``σ_rank / σ_(rank+1)`` (``inf`` when all singular values count).
    explanations : tuple of str
        Degeneracies that explain a rank below ``generic``.
    """

    rank: int
    parameters: int
    upper_bound: int
    generic: int
    method: Literal["modular", "svd"]
    certified: bool
    points: int
    primes: tuple[int, ...] = ()
    gap: float | None = None
    explanations: tuple[str, ...] = ()

    @property
    def drop(self) -> int:
        """``generic - rank``."""
        return self.generic - self.rank

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``functional_dimension`` and ``parameters`` (the CLI contract)."""
        return {
            "functional_dimension": self.rank,
            "parameters": self.parameters,
            "upper_bound": self.upper_bound,
            "generic": self.generic,
            "drop": self.drop,
            "method": self.method,
            "certified": self.certified,
            "points": self.points,
            "primes": list(self.primes),
            "gap": None if self.gap is None else (self.gap if math.isfinite(self.gap) else "inf"),
            "explanations": list(self.explanations),
        }

    def __repr__(self) -> str:
        state = "certified" if self.certified else "lower bound"
        return (
            f"FunctionalDimension({self.rank} of {self.parameters} parameters, generic "
            f"{self.generic}, {self.method}, {state})"
        )


def jacobian(net: Any, points: Any, *, prime: int | None = None) -> np.ndarray:
    """The Jacobian of ``θ -> (f_θ(x_1), ..., f_θ(x_N))`` (rows point-major, outputs inner).

    Parameters are ordered layer by layer: ``W`` row by row, then ``b`` (a :class:`ShallowNet`:
    ``W, b, A, c, V``, leaving out absent blocks). Points must be off every kink.

    Parameters
    ----------
    net : ReLUNet or ShallowNet
    points : array-like, shape (N, m)
    prime : int, optional
        Compute exactly modulo this prime (int64 residues) instead of in float64.

    Returns
    -------
    numpy.ndarray
        Shape ``(N k, D)``: float64, or int64 residues modulo ``prime``.

    Raises
    ------
    InvalidInputError
        If a point lies on a kink (a pre-activation is, or may be within rounding, zero).

    Examples
    --------
    ``f(x) = a σ(w x + b) + c`` at ``x = 2``: the gradient is ``(a x, a, σ(wx + b), 1)``.

    >>> jacobian(ReLUNet([[[1.0]], [[3.0]]], [[1.0], [0.0]]), [[2.0]]).tolist()
    [[6.0, 3.0, 3.0, 1.0]]
    >>> jacobian(ReLUNet([[[1.0]], [[3.0]]], [[1.0], [0.0]]), [[2.0]], prime=5).tolist()
    [[1, 3, 3, 1]]
    """
    model = _model(net)
    x = np.asarray(points, dtype=object if model.exact else np.float64)
    if x.ndim != 2 or x.shape[1] != model.weights[0].shape[1]:
        raise InvalidInputError(
            f"points must have shape (N, {model.weights[0].shape[1]}), got {x.shape}"
        )
    pats, ok = _patterns(model, np.asarray(x, dtype=object) if model.exact else x)
    if not ok.all():
        bad = int(np.flatnonzero(~ok)[0])
        raise InvalidInputError(f"point {bad} lies on (or within rounding of) a kink; move it off")
    return _jacobian_rows(model, x, pats, prime)


def _rank_up_to(jac: np.ndarray, prime: int, upper: int) -> int:
    """Rank mod ``prime`` of rows in random order: a first block of a little more than ``upper``
    rows usually reaches the upper bound already (any block's rank is a lower bound of the
    whole), otherwise all rows are used."""
    block = upper + upper // 4 + 8
    if block < len(jac):
        first = modular_rank(jac[:block], prime)
        if first >= upper:
            return first
    return modular_rank(jac, prime)


def _expected(model: _Model) -> int:
    return model.n_parameters - sum(model.hidden)


def functional_dimension(
    net: Any,
    *,
    points: Any = None,
    n_points: int | None = None,
    method: Literal["modular", "svd"] = "modular",
    primes: tuple[int, ...] = DEFAULT_PRIMES,
    tol: float | Tolerances | None = None,
    seed: Any = 0,
) -> FunctionalDimension:
    """The batch functional dimension: the rank of the parameter Jacobian on a batch of inputs.

    Parameters
    ----------
    net : ReLUNet or ShallowNet
        A ReLU or leaky-ReLU network (shallow or deep).
    points : array-like, shape (N, m), optional
        The batch. By default: two points either side of every first-layer hyperplane near its
        foot, and Gaussian points scaled past the farthest hyperplane, ``n_points`` in all. Points
        whose activation pattern cannot be certified (on a kink, or within rounding of one) are
        dropped.
    n_points : int, optional
        Batch size (default ``max(64, 2 D / k)`` Gaussian points plus ``m + 1`` points either
        side of each of the ``n`` first-layer hyperplanes).
    method : {"modular", "svd"}
        Exact rank over ``F_p`` (certified lower bound), or float SVD with the singular-value gap.
    primes : tuple of int
        Primes for the modular method; the largest rank over them is reported.
    tol : float or Tolerances, optional
        Relative threshold of the SVD rank (default 1e-9 of the largest singular value).
    seed : int, optional
        Seeds the default batch.

    Returns
    -------
    FunctionalDimension

    Raises
    ------
    InvalidInputError
        Bad points, method or primes.
    UnsupportedLayerError
        For a :class:`~neurogeom.nets.RationalNet`.

    Notes
    -----
    Cost: building the ``(N k) x D`` Jacobian by back-propagation, then one rank: ``nmod_mat``
    elimination (modular) or an SVD (``O(N k D²)``).

    References
    ----------
    Grigsby, Lindsey, Meyerhoff, Wu, arXiv 2209.04036; Grigsby, Lindsey, Rolnick, ICML 2023.

    Examples
    --------
    Spec table: a generic (2, 3, 1) net has functional dimension 10 = D - n; with ``a_1 = 0``
    it drops by ``m = 2``.

    >>> net = ShallowNet([[1, 2], [-1, 1], [2, -1]], [1, 0, -1], [[1, 2, 3]], c=[0], exact=True)
    >>> functional_dimension(net)
    FunctionalDimension(10 of 13 parameters, generic 10, modular, certified)
    >>> dead = functional_dimension(net.replace(a=[[0, 2, 3]]))
    >>> dead.rank, dead.explanations[0]
    (8, 'neuron 0: output weight 0, so its input weights and bias do not change f (typically -2)')
    """
    model = _model(net)
    tolerances = check_tol(tol)
    if method not in ("modular", "svd"):
        raise InvalidInputError(f"method must be 'modular' or 'svd', got {method!r}")
    k = model.weights[-1].shape[0]
    d_params = model.n_parameters
    if n_points is None:
        first = model.weights[0].shape
        n_points = max(64, 2 * math.ceil(d_params / k)) + 2 * first[0] * (first[1] + 1)
    elif isinstance(n_points, bool) or not isinstance(n_points, int) or n_points < 1:
        raise InvalidInputError(f"n_points must be a positive integer, got {n_points!r}")
    if points is None:
        x = _batch(model, n_points, check_rng(seed))
    else:
        x = np.asarray(points, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != model.weights[0].shape[1]:
            raise InvalidInputError(
                f"points must have shape (N, {model.weights[0].shape[1]}), got {x.shape}"
            )
    pats, ok = _patterns(model, x.astype(object) if model.exact else x)
    x = x[ok]
    pats = [p[ok] for p in pats]
    if len(x) == 0:
        raise InvalidInputError(
            "every batch point lies on a kink (a pre-activation is zero or within rounding of "
            "zero there, as after a layer that is inactive everywhere); give other points"
        )
    scaling = _scaling_vectors(model)
    explanations = (
        _explain_shallow(as_shallow(net), tolerances)
        if _model_is_shallow(net)
        else _explain_deep(model, pats)
    )
    gap: float | None = None  # the svd method's singular-value gap at the rank
    if method == "modular":
        ranks, used = [], []
        s_rank = 0
        order = check_rng(seed).permutation(len(x) * k)
        for p in primes:
            try:
                jac = _jacobian_rows(model, x, pats, p)
                s_rank = max(s_rank, modular_rank(_mod_array(scaling, p), p) if len(scaling) else 0)
            except ArithmeticError:
                continue  # a denominator divisible by p: skip this prime
            ranks.append(_rank_up_to(jac[order], p, d_params - s_rank))
            used.append(p)
            if ranks[-1] == d_params - s_rank:
                break  # the upper bound is reached: no other prime can do better
        if not ranks:
            raise InvalidInputError(f"every prime in {primes} divides a denominator; give others")
        rank = max(ranks)
        upper = d_params - s_rank
        certified = rank == upper
    else:
        jac = _jacobian_rows(model, x, pats, None)
        sv = np.linalg.svd(jac, compute_uv=False)
        top = float(sv.max(initial=0.0))
        rank = int((sv > tolerances.rel * top).sum()) if top > 0 else 0
        gap = float(sv[rank - 1] / sv[rank]) if 0 < rank < len(sv) and sv[rank] > 0 else math.inf
        unsure = bool(tolerances.unsure(sv, top).any()) if top > 0 else False
        s_sv = (
            np.linalg.svd(scaling.astype(np.float64), compute_uv=False)
            if len(scaling)
            else np.zeros(0)
        )
        s_rank = (
            int((s_sv > tolerances.rel * float(s_sv.max(initial=0.0))).sum()) if len(s_sv) else 0
        )
        upper = d_params - s_rank
        certified, used = rank == upper and not unsure, []
    return FunctionalDimension(
        rank,
        d_params,
        upper,
        _expected(model),
        method,
        certified,
        len(x),
        tuple(used),
        gap,
        tuple(_relevant(explanations, rank, model)),
    )


def _model_is_shallow(net: Any) -> bool:
    """Whether ``net`` has one hidden layer (a ShallowNet or a two-layer ReLU ReLUNet)."""
    if isinstance(net, ShallowNet):
        return True
    return isinstance(net, ReLUNet) and net.n_layers == 2 and net.negative_slope == 0


def _relevant(explanations: list[str], rank: int, model: _Model) -> list[str]:
    drop = _expected(model) - rank
    if drop <= 0:
        return explanations
    if not explanations:
        return [
            f"rank {drop} below D - (hidden neurons) with no degeneracy found: the batch may "
            "miss a kink (add points), or the parameters are degenerate in another way"
        ]
    return explanations
