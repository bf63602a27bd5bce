"""Fitting rational networks to samples, robust to poles, and reading off the learnt poles.

A shallow rational network with biases computes ``f(x) = Σ_j c_j / (a_j · x + β_j) + c_0``: each
hidden neuron is a pole on the hyperplane ``a_j · x + β_j = 0`` with residue ``c_j / |a_j|``
(per unit of distance across it). Fitting such a function to samples of a meromorphic target is
hard for plain least squares, which stalls with poles stuck between samples (spec §4). What
helps, and is done here:

- **pole-grid initialisation**: first-layer hyperplanes placed across the data (for one input,
  at a grid of points; otherwise through random samples), the output layer then solved by
  linear least squares;
- **multi-start**: several such starts with jitter, the best kept;
- **relative residuals**: ``(f(x) - y) / (1 + |y|)``, so samples near the target's poles do
  not dominate, and non-finite targets are masked;
- **Levenberg–Marquardt** (NumPy) with steps rejected whenever a pole of the network lands on a
  sample (the loss jumps); or Adam + L-BFGS with PyTorch when it is installed.

:func:`extract_poles` groups the neurons of a shallow network by hyperplane and sums residues.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from neurogeom.core.errors import InvalidInputError, UnsupportedLayerError
from neurogeom.core.optional import require
from neurogeom.core.progress import progress_bar
from neurogeom.core.random import check_rng
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.rational._jacobian import Floats, jacobian_rows

__all__ = ["FitResult", "Pole", "extract_poles", "fit"]


@dataclass(frozen=True, slots=True)
class Pole:
    """A pole hyperplane ``normal · x + offset = 0`` of a shallow network, with its residue.

    Attributes
    ----------
    normal : tuple of float
        Unit normal, its first nonzero entry positive.
    offset : float
    residue : tuple of float
        Per output: ``Σ c_j / |a_j|`` over the neurons on this hyperplane (with the sign that
        goes with ``normal``): near the pole, ``f ≈ residue / distance``.
    neurons : tuple of int
        The hidden neurons on it.

    Examples
    --------
    >>> from neurogeom import RationalNet
    >>> (p,) = extract_poles(RationalNet([[[2.0]], [[3.0]]], [[-4.0], [0.0]]))  # 3 / (2x - 4)
    >>> p.location(), p.residue, p.to_dict()["neurons"]
    (2.0, (1.5,), [0])
    """

    normal: tuple[float, ...]
    offset: float
    residue: tuple[float, ...]
    neurons: tuple[int, ...]

    def location(self) -> float | None:
        """For one input: the pole ``x = -offset`` (``None`` otherwise).

        Examples
        --------
        >>> from neurogeom import RationalNet
        >>> extract_poles(RationalNet([[[2.0]], [[3.0]]], [[-4.0], [0.0]]))[0].location()
        2.0
        >>> extract_poles(RationalNet([[[1.0, 1.0]], [[1.0]]]))[0].location() is None  # 2 inputs
        True
        """
        return -self.offset / self.normal[0] if len(self.normal) == 1 else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form.

        Examples
        --------
        >>> from neurogeom import RationalNet
        >>> extract_poles(RationalNet([[[2.0]], [[3.0]]], [[-4.0], [0.0]]))[0].to_dict()
        {'normal': [1.0], 'offset': -2.0, 'residue': [1.5], 'neurons': [0], 'location': 2.0}
        """
        return {
            "normal": list(self.normal),
            "offset": self.offset,
            "residue": list(self.residue),
            "neurons": list(self.neurons),
            "location": self.location(),
        }


def _check_shallow(net: Any) -> None:
    from neurogeom.nets import RationalNet

    if not isinstance(net, RationalNet):
        raise UnsupportedLayerError(
            f"poles are read from a RationalNet (activation 1/x), got {type(net).__name__}"
        )
    if net.n_layers != 2:
        raise InvalidInputError(
            f"extract_poles needs one hidden layer, got {net.n_layers - 1}: the poles of deeper "
            "nets are curved (the zeros of expand(net).denominator)"
        )


def extract_poles(net: Any, *, tol: float | Tolerances | None = None) -> tuple[Pole, ...]:
    """The pole hyperplanes of a shallow rational network and their residues.

    Neurons whose hyperplanes coincide (within ``tol``, relative) are merged and their residues
    added; hyperplanes whose residues all vanish (within ``tol`` of the largest) are dropped;
    neurons with a zero first-layer row are constant and have no pole.

    Parameters
    ----------
    net : RationalNet
        One hidden layer, with or without biases.
    tol : float or Tolerances, optional

    Returns
    -------
    tuple of Pole
        Sorted by normal, then by position along it.

    Examples
    --------
    ``f(x) = 2 / (x - 1) - 1 / (2x + 4)``: poles at 1 (residue 2) and -2 (residue -1/2):

    >>> from neurogeom import RationalNet
    >>> net = RationalNet([[[1.0], [2.0]], [[2.0, -1.0]]], [[-1.0, 4.0], [0.0]])
    >>> [(p.location(), p.residue) for p in extract_poles(net)]
    [(-2.0, (-0.5,)), (1.0, (2.0,))]
    """
    _check_shallow(net)
    t = check_tol(tol)
    f = net.to_float()
    w1, b1 = f.weights[0], f.biases[0]
    w2 = f.weights[1]
    groups: list[tuple[np.ndarray, float, np.ndarray, list[int]]] = []
    scale = max(float(np.max(np.abs(w1))), float(np.max(np.abs(b1))), 1e-300)
    for j in range(w1.shape[0]):
        norm = float(np.linalg.norm(w1[j]))
        if t.is_zero(norm, scale):
            continue
        normal = w1[j] / norm
        offset = float(b1[j] / norm)
        residue = w2[:, j] / norm
        first = next(k for k, v in enumerate(normal) if not t.is_zero(v, 1.0))
        if normal[first] < 0:
            normal, offset, residue = -normal, -offset, -residue
        for g in groups:
            if np.allclose(g[0], normal, rtol=0, atol=t.rel) and abs(g[1] - offset) <= t.rel * (
                1 + abs(offset)
            ):
                groups[groups.index(g)] = (g[0], g[1], g[2] + residue, [*g[3], j])
                break
        else:
            groups.append((normal, offset, residue, [j]))
    biggest = max((float(np.max(np.abs(g[2]))) for g in groups), default=0.0)
    poles = [
        Pole(tuple(map(float, n)), off, tuple(map(float, r)), tuple(idx))
        for n, off, r, idx in groups
        if not t.is_zero(float(np.max(np.abs(r))), biggest)
    ]
    return tuple(sorted(poles, key=lambda p: (p.normal, -p.offset)))


@dataclass(frozen=True, slots=True)
class FitResult:
    """A fitted rational network.

    Attributes
    ----------
    net : RationalNet
        Float weights.
    loss : float
        Mean squared relative residual ``((f - y) / (1 + |y|))^2`` over the samples used.
    losses : tuple of float
        The loss of every start (the best is kept).
    poles : tuple of Pole or None
        For one hidden layer: :func:`extract_poles` of ``net``.
    backend : str
    masked : int
        Samples left out (non-finite targets).
    seconds : float

    Examples
    --------
    >>> res = fit([0.5, 1.0, 2.0, 4.0], [2.0, 1.0, 0.5, 0.25], hidden=1, seed=0)  # 1 / x
    >>> round(res.poles[0].location(), 9) + 0.0, res.to_dict()["architecture"]
    (0.0, [1, 1, 1])
    """

    net: Any
    loss: float
    losses: tuple[float, ...]
    poles: tuple[Pole, ...] | None
    backend: str
    masked: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the keys of ``neurogeom rational fit --json``).

        Examples
        --------
        >>> d = fit([0.5, 1.0, 2.0, 4.0], [2.0, 1.0, 0.5, 0.25], hidden=1, seed=0).to_dict()
        >>> d["backend"], d["masked"], d["loss"] < 1e-20, len(d["poles"])
        ('numpy', 0, True, 1)
        """
        return {
            "architecture": list(self.net.architecture),
            "loss": self.loss,
            "losses": list(self.losses),
            "backend": self.backend,
            "masked": self.masked,
            "poles": None if self.poles is None else [p.to_dict() for p in self.poles],
            "weights": [{"weight": w.tolist(), "bias": b.tolist()} for w, b in self.net.layers],
            "seconds": round(self.seconds, 3),
        }

    def __repr__(self) -> str:
        arch = "-".join(map(str, self.net.architecture))
        poles = "" if self.poles is None else f", {len(self.poles)} poles"
        return f"FitResult({arch}, loss {self.loss:.3g}{poles}, {self.backend})"


# -- the model in NumPy ---------------------------------------------------------------------------


def _forward(weights: list[np.ndarray], biases: list[np.ndarray], x: np.ndarray) -> np.ndarray:
    h = x
    for l, (w, b) in enumerate(zip(weights, biases, strict=True)):
        z = h @ w.T + b
        if l == len(weights) - 1:
            return z
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            h = 1.0 / z
    raise AssertionError


def _features(hidden_w: list[np.ndarray], hidden_b: list[np.ndarray], x: np.ndarray) -> np.ndarray:
    """The last hidden layer's activations, from the hidden layers' weights and biases."""
    h = x
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for w, b in zip(hidden_w, hidden_b, strict=True):
            h = 1.0 / (h @ w.T + b)
    return h


def _unpack(theta: np.ndarray, arch: tuple[int, ...]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    ws, bs, k = [], [], 0
    for l in range(len(arch) - 1):
        n = arch[l] * arch[l + 1]
        ws.append(theta[k : k + n].reshape(arch[l + 1], arch[l]))
        k += n
        bs.append(theta[k : k + arch[l + 1]])
        k += arch[l + 1]
    return ws, bs


def _pack(ws: list[np.ndarray], bs: list[np.ndarray]) -> np.ndarray:
    return np.concatenate([np.concatenate([w.ravel(), b]) for w, b in zip(ws, bs, strict=True)])


def _loss(
    theta: np.ndarray, arch: tuple[int, ...], x: np.ndarray, y: np.ndarray, wts: np.ndarray
) -> float:
    ws, bs = _unpack(theta, arch)
    with np.errstate(all="ignore"):
        r = (_forward(ws, bs, x) - y) * wts
        value = float(np.mean(r**2))
    return value if np.isfinite(value) else float("inf")


def _initial(
    arch: tuple[int, ...],
    x: np.ndarray,
    y: np.ndarray,
    wts: np.ndarray,
    rng: np.random.Generator,
    start: int,
    starts: int,
) -> np.ndarray:
    """Pole-grid first layer, random deeper layers, least-squares output layer."""
    d0, d1 = arch[0], arch[1]
    ws: list[np.ndarray] = []
    bs: list[np.ndarray] = []
    if d0 == 1:
        lo, hi = float(x.min()), float(x.max())
        span = hi - lo or 1.0
        shift = (start + 0.5) / max(starts, 1)
        centres = lo + span * ((np.arange(d1) + shift) / d1) + rng.normal(0, 0.02 * span, d1)
        rng.shuffle(centres)
        ws.append(np.ones((d1, 1)))
        bs.append(-centres)
    else:
        normals = rng.standard_normal((d1, d0))
        normals /= np.linalg.norm(normals, axis=1, keepdims=True)
        through = x[rng.integers(0, x.shape[0], d1)]
        ws.append(normals)
        bs.append(-np.einsum("ij,ij->i", normals, through))
    for l in range(1, len(arch) - 2):
        ws.append(rng.standard_normal((arch[l + 1], arch[l])) / np.sqrt(arch[l]))
        bs.append(rng.standard_normal(arch[l + 1]))
    # output layer by weighted least squares on the features
    feats = _features(ws, bs, x)
    design = np.hstack([feats, np.ones((x.shape[0], 1))])
    good = np.all(np.isfinite(design), axis=1)
    out_w = np.zeros((arch[-1], arch[-2]))
    out_b = np.zeros(arch[-1])
    for i in range(arch[-1]):
        a = design[good] * wts[good, i : i + 1]
        sol, *_ = np.linalg.lstsq(a, y[good, i] * wts[good, i], rcond=None)
        out_w[i], out_b[i] = sol[:-1], sol[-1]
    return _pack([*ws, out_w], [*bs, out_b])


def _candidates(x: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pole hyperplanes ``a · x + β = 0`` across the data: a grid for one or two
    inputs (directions x offsets), random hyperplanes through samples otherwise."""
    d0 = x.shape[1]
    if d0 == 1:
        lo, hi = float(x.min()), float(x.max())
        span = hi - lo or 1.0
        grid = np.linspace(lo - 0.05 * span, hi + 0.05 * span, 241)
        grid += rng.uniform(-0.5, 0.5) * (grid[1] - grid[0])
        return np.ones((grid.size, 1)), -grid
    if d0 == 2:
        angles = np.linspace(0, np.pi, 48, endpoint=False)
        normals = np.stack([np.cos(angles), np.sin(angles)], axis=1)
        normals_all, offsets_all = [], []
        for n in normals:
            proj = x @ n
            offs = np.linspace(proj.min(), proj.max(), 64)
            offs += rng.uniform(-0.5, 0.5) * (offs[1] - offs[0])
            normals_all.append(np.repeat(n[None, :], offs.size, axis=0))
            offsets_all.append(-offs)
        return np.vstack(normals_all), np.concatenate(offsets_all)
    normals = rng.standard_normal((1500, d0))
    normals /= np.linalg.norm(normals, axis=1, keepdims=True)
    through = x[rng.integers(0, x.shape[0], normals.shape[0])]
    shift = rng.normal(0, 1e-3, normals.shape[0])
    return normals, -np.einsum("ij,ij->i", normals, through) + shift


def _projected_loss(
    feats: np.ndarray, y: np.ndarray, wts: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray]:
    """Best output layer for given hidden features (weighted least squares) and its loss."""
    design = np.hstack([feats, np.ones((feats.shape[0], 1))])
    if not np.all(np.isfinite(design)):
        return float("inf"), np.zeros((y.shape[1], feats.shape[1])), np.zeros(y.shape[1])
    out_w = np.zeros((y.shape[1], feats.shape[1]))
    out_b = np.zeros(y.shape[1])
    total = 0.0
    for i in range(y.shape[1]):
        a = design * wts[:, i : i + 1]
        rhs = y[:, i] * wts[:, i]
        sol, *_ = np.linalg.lstsq(a, rhs, rcond=None)
        out_w[i], out_b[i] = sol[:-1], sol[-1]
        total += float(np.sum((a @ sol - rhs) ** 2))
    return total / y.size, out_w, out_b


@dataclass(frozen=True, slots=True)
class _WeightedCandidates:
    """Candidate feature columns weighted per output, with their squared norms."""

    columns: tuple[np.ndarray, ...]
    norms: tuple[np.ndarray, ...]


def _best_candidate(
    others: list[int], cands: _WeightedCandidates, y: np.ndarray, wts: np.ndarray
) -> int:
    """The candidate column that, added to the columns ``others`` and a constant, fits ``y`` best.

    For each output, with ``Q`` an orthonormal basis of the weighted fixed columns and ``⊥`` the
    part orthogonal to it, a candidate ``v`` lowers the least-squares residual by
    ``(v · b⊥)^2 / (|v|^2 - |Q^T v|^2)``, so every candidate is scored at once.
    """
    gain = np.zeros(cands.columns[0].shape[1])
    for i in range(y.shape[1]):
        v = cands.columns[i]
        fixed = np.hstack([v[:, others], wts[:, i : i + 1]])
        q, _ = np.linalg.qr(fixed)
        b = y[:, i] * wts[:, i]
        b_perp = b - q @ (q.T @ b)
        qtv = q.T @ v
        norms = cands.norms[i] - np.einsum("ij,ij->j", qtv, qtv)
        floor = 1e-12 * float(cands.norms[i].max())  # round-off in the subtraction above
        with np.errstate(divide="ignore", invalid="ignore"):
            g = (b_perp @ v) ** 2 / norms
        gain += np.where(norms > floor, g, 0.0)
    return int(np.argmax(gain))


def _grid_start(
    arch: tuple[int, ...],
    x: np.ndarray,
    y: np.ndarray,
    wts: np.ndarray,
    rng: np.random.Generator,
    sweeps: int = 3,
) -> np.ndarray:
    """One hidden layer: place each pole in turn at the best candidate hyperplane, the output
    layer solved exactly for every candidate (variable projection on a grid)."""
    normals, offsets = _candidates(x, rng)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        all_feats = 1.0 / (x @ normals.T + offsets)  # (samples, candidates)
    usable = np.flatnonzero(np.all(np.isfinite(all_feats), axis=0))
    weighted = tuple(all_feats[:, usable] * wts[:, i : i + 1] for i in range(y.shape[1]))
    cands = _WeightedCandidates(weighted, tuple(np.einsum("ij,ij->j", v, v) for v in weighted))
    pick = list(rng.choice(usable.size, size=arch[1], replace=usable.size < arch[1]))
    for _ in range(sweeps):
        for j in range(arch[1]):
            pick[j] = _best_candidate([c for k, c in enumerate(pick) if k != j], cands, y, wts)
    chosen = usable[pick]
    _, out_w, out_b = _projected_loss(all_feats[:, chosen], y, wts)
    return _pack([normals[chosen], out_w], [offsets[chosen], out_b])


def _levenberg_marquardt(
    theta: np.ndarray,
    arch: tuple[int, ...],
    x: np.ndarray,
    y: np.ndarray,
    wts: np.ndarray,
    iterations: int,
    tol: Tolerances,
) -> tuple[np.ndarray, float]:
    field = Floats()
    m, d_out = y.shape
    # one Jacobian row per (sample, output): x repeated, r = unit vectors
    xr = np.repeat(x, d_out, axis=0)
    rr = np.tile(np.eye(d_out), (m, 1))
    wr = wts.reshape(-1)
    loss = _loss(theta, arch, x, y, wts)
    damping = 1e-3
    stalls = 0
    for _ in range(iterations):
        ws, bs = _unpack(theta, arch)
        with np.errstate(all="ignore"):
            jac = jacobian_rows(field, ws, bs, xr, rr).rows * wr[:, None]
            resid = ((_forward(ws, bs, x) - y) * wts).reshape(-1)
        if not (np.all(np.isfinite(jac)) and np.all(np.isfinite(resid))):
            break
        jtj = jac.T @ jac
        grad = jac.T @ resid
        diag = np.diag(jtj).copy()
        improved = False
        while damping < 1e12:
            # Marquardt's scaling, with a floor (tol.rel of the largest entry) for dead directions
            system = jtj + damping * np.diag(diag + tol.rel * (diag.max() + 1.0))
            try:
                step = np.linalg.solve(system, -grad)
            except np.linalg.LinAlgError:
                step = np.linalg.lstsq(system, -grad, rcond=None)[0]
            trial = theta + step
            new = _loss(trial, arch, x, y, wts)
            if new < loss:
                improved = True
                gain = (loss - new) / max(loss, 1e-300)
                theta, loss = trial, new
                damping = max(damping / 3, 1e-12)
                stalls = stalls + 1 if gain < tol.rel else 0
                break
            damping *= 4
        if not improved or stalls >= 5:
            break
    return theta, loss


def _fit_torch(
    theta: np.ndarray,
    arch: tuple[int, ...],
    x: np.ndarray,
    y: np.ndarray,
    wts: np.ndarray,
    iterations: int,
) -> tuple[np.ndarray, float]:
    torch = require("torch", extra="torch")
    params = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
    xt = torch.tensor(x, dtype=torch.float64)
    yt = torch.tensor(y, dtype=torch.float64)
    wt = torch.tensor(wts, dtype=torch.float64)

    def loss_fn() -> Any:
        k = 0
        h = xt
        for l in range(len(arch) - 1):
            n = arch[l] * arch[l + 1]
            w = params[k : k + n].reshape(arch[l + 1], arch[l])
            k += n
            b = params[k : k + arch[l + 1]]
            k += arch[l + 1]
            h = h @ w.T + b
            if l < len(arch) - 2:
                h = 1.0 / h
        return torch.mean(((h - yt) * wt) ** 2)

    best = (theta.copy(), _loss(theta, arch, x, y, wts))
    opt = torch.optim.LBFGS([params], max_iter=iterations, line_search_fn="strong_wolfe")

    def closure() -> Any:
        opt.zero_grad()
        value = loss_fn()
        if torch.isfinite(value):
            value.backward()
        return value

    with contextlib.suppress(RuntimeError):  # a step onto a pole; keep the best so far
        opt.step(closure)
    candidate = params.detach().numpy().copy()
    value = _loss(candidate, arch, x, y, wts)
    if value < best[1]:
        best = (candidate, value)
    return best


def _check_data(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, int]:
    try:
        xa = np.asarray(x, dtype=np.float64)
        ya = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"x and y must be numeric arrays: {exc}") from None
    if xa.ndim == 1:
        xa = xa[:, None]
    if ya.ndim == 1:
        ya = ya[:, None]
    if xa.ndim != 2 or ya.ndim != 2 or xa.shape[0] != ya.shape[0]:
        raise InvalidInputError(
            f"x must be (N, d0) and y (N, dL) with the same N, got {np.shape(x)} and {np.shape(y)}"
        )
    if not np.all(np.isfinite(xa)):
        raise InvalidInputError("x must be finite")
    keep = np.all(np.isfinite(ya), axis=1)
    masked = int((~keep).sum())
    xa, ya = xa[keep], ya[keep]
    if xa.shape[0] < 2:
        raise InvalidInputError("need at least two samples with finite targets")
    return xa, ya, masked


def fit(
    x: Any,
    y: Any,
    *,
    hidden: Any = (4,),
    backend: Literal["numpy", "torch"] = "numpy",
    restarts: int = 4,
    iterations: int = 300,
    init: Literal["grid", "random"] = "grid",
    seed: Any = None,
    tol: float | Tolerances | None = None,
    progress: bool = False,
) -> FitResult:
    """Fit a rational network with biases to samples ``y ≈ f(x)``.

    Parameters
    ----------
    x : array-like, shape (N, d0) or (N,)
    y : array-like, shape (N, dL) or (N,)
        Non-finite targets (samples on a pole of the target) are left out.
    hidden : int or sequence of int
        Hidden widths (one hidden layer of 4 by default).
    backend : {"numpy", "torch"}
        Levenberg–Marquardt in NumPy, or L-BFGS in PyTorch (float64; needs the ``torch``
        extra).
    restarts : int
        Number of starts.
    init : {"grid", "random"}
        ``"grid"`` (one hidden layer): each pole in turn moved to the best of a grid of
        hyperplanes across the data, the output layer solved by least squares for every
        candidate, from a random choice of candidates per start. ``"random"``: first-layer
        hyperplanes on a jittered grid (one input) or through random samples, deeper layers
        random, output layer by least squares. Deeper nets always start randomly.
    iterations : int
        Iterations per start.
    seed : int or Generator, optional
    tol : float or Tolerances, optional
        Relative stopping threshold of the loss, and of :func:`extract_poles`.
    progress : bool

    Returns
    -------
    FitResult
        The best network, its loss, and its poles (one hidden layer).

    Notes
    -----
    Pole recovery is best effort (spec §4): it is reliable on targets that a network of this
    size represents exactly, and on others (``tan``) tends to find the strongest poles only.

    Examples
    --------
    >>> x = np.linspace(-3, 3, 241)
    >>> x = x[(np.abs(x - 1) > 0.05) & (np.abs(x + 2) > 0.05)]
    >>> y = 1 / (x - 1) - 2 / (x + 2) + 0.5
    >>> res = fit(x, y, hidden=2, seed=0)
    >>> [(round(p.location(), 6), round(p.residue[0], 6)) for p in res.poles]
    [(-2.0, -2.0), (1.0, 1.0)]
    """
    from neurogeom.nets import RationalNet

    xa, ya, masked = _check_data(x, y)
    widths = (hidden,) if isinstance(hidden, int | np.integer) else tuple(hidden)
    if not widths or any(
        isinstance(w, bool) or not isinstance(w, int | np.integer) or w < 1 for w in widths
    ):
        raise InvalidInputError(f"hidden must be positive widths, got {hidden!r}")
    if isinstance(restarts, bool) or not isinstance(restarts, int) or restarts < 1:
        raise InvalidInputError(f"restarts must be a positive integer, got {restarts!r}")
    if init not in ("grid", "random"):
        raise InvalidInputError(f"init must be 'grid' or 'random', got {init!r}")
    if backend not in ("numpy", "torch"):
        raise InvalidInputError(f"backend must be 'numpy' or 'torch', got {backend!r}")
    if backend == "torch":
        require("torch", extra="torch")
    t = check_tol(tol)
    rng = check_rng(seed)
    arch = (xa.shape[1], *map(int, widths), ya.shape[1])
    wts = 1.0 / (1.0 + np.abs(ya))
    started = time.monotonic()
    best: tuple[np.ndarray, float] | None = None
    losses = []
    with progress_bar(progress, total=restarts, desc="starts", unit="start") as bar:
        for start in range(restarts):
            if len(arch) == 3 and init == "grid":
                theta = _grid_start(arch, xa, ya, wts, rng)
            else:
                theta = _initial(arch, xa, ya, wts, rng, start, restarts)
            if backend == "numpy":
                theta, loss = _levenberg_marquardt(theta, arch, xa, ya, wts, iterations, t)
            else:
                theta, loss = _fit_torch(theta, arch, xa, ya, wts, iterations)
            losses.append(loss)
            if best is None or loss < best[1]:
                best = (theta, loss)
            bar.update()
    assert best is not None
    ws, bs = _unpack(best[0], arch)
    net = RationalNet([w.copy() for w in ws], [b.copy() for b in bs])
    poles = extract_poles(net, tol=t) if len(arch) == 3 else None
    return FitResult(
        net, best[1], tuple(losses), poles, backend, masked, time.monotonic() - started
    )
