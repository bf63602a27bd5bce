"""Seeded samples of the manifolds used in topology experiments.

Every sampler returns a float64 array of shape ``(n_points, ambient_dimension)`` and takes
``seed`` (see :func:`neurogeom.core.random.check_rng`); none touches global random state.
Optional Gaussian ``noise`` (standard deviation, per coordinate) is added after sampling.

Betti numbers over ℤ/2 of what is sampled: circle (1, 1); sphere S^d (1, 0, …, 0, 1); torus
(1, 2, 1); figure-eight (1, 2); ``k`` concentric shells S^d: β₀ = k, β_d = k.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.random import SeedLike, check_rng

__all__ = [
    "load_points",
    "sample_circle",
    "sample_figure_eight",
    "sample_shells",
    "sample_sphere",
    "sample_torus",
]


def _count(n: Any, what: str = "n_points", minimum: int = 1) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < minimum:
        raise InvalidInputError(f"{what} must be an integer >= {minimum}, got {n!r}")
    return int(n)


def _positive(value: Any, what: str) -> float:
    v = float(value)
    if not (np.isfinite(v) and v > 0):
        raise InvalidInputError(f"{what} must be a positive number, got {value!r}")
    return v


def _noisy(points: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    noise = float(noise)
    if not (np.isfinite(noise) and noise >= 0):
        raise InvalidInputError(f"noise must be a non-negative number, got {noise!r}")
    if noise > 0:
        points = points + rng.normal(scale=noise, size=points.shape)
    return np.ascontiguousarray(points, dtype=np.float64)


def sample_circle(
    n_points: int,
    *,
    radius: float = 1.0,
    center: Any = (0.0, 0.0),
    evenly: bool = False,
    noise: float = 0.0,
    seed: SeedLike = None,
) -> np.ndarray:
    """Points on a circle in the plane.

    Parameters
    ----------
    n_points : int
    radius : float
    center : pair of float
    evenly : bool
        ``True``: the angles ``2π(k + ½)/n`` (no point on an axis; deterministic apart from
        ``noise``); ``False``: uniform random angles.
    noise : float
        Standard deviation of Gaussian noise added to each coordinate.
    seed : int, Generator or None

    Returns
    -------
    ndarray, shape (n_points, 2)

    Examples
    --------
    >>> x = sample_circle(48, evenly=True)
    >>> x.shape, bool(np.allclose(np.linalg.norm(x, axis=1), 1.0))
    ((48, 2), True)
    >>> bool((sample_circle(5, seed=1) == sample_circle(5, seed=1)).all())
    True
    """
    n = _count(n_points)
    r = _positive(radius, "radius")
    rng = check_rng(seed)
    theta = 2 * np.pi * (np.arange(n) + 0.5) / n if evenly else rng.uniform(0, 2 * np.pi, n)
    pts = r * np.column_stack([np.cos(theta), np.sin(theta)])
    return _noisy(pts + np.asarray(center, dtype=np.float64).reshape(1, 2), noise, rng)


def sample_sphere(
    n_points: int,
    *,
    dim: int = 2,
    radius: float = 1.0,
    noise: float = 0.0,
    seed: SeedLike = None,
) -> np.ndarray:
    """Uniform random points on the sphere S^dim in R^(dim + 1), centred at the origin.

    Examples
    --------
    >>> x = sample_sphere(100, dim=2, radius=2.0, seed=0)
    >>> x.shape, bool(np.allclose(np.linalg.norm(x, axis=1), 2.0))
    ((100, 3), True)
    """
    n = _count(n_points)
    d = _count(dim, "dim")
    r = _positive(radius, "radius")
    rng = check_rng(seed)
    g = rng.normal(size=(n, d + 1))
    norms = np.linalg.norm(g, axis=1)
    while (norms == 0).any():  # probability zero, but never divide by it
        bad = norms == 0
        g[bad] = rng.normal(size=(int(bad.sum()), d + 1))
        norms = np.linalg.norm(g, axis=1)
    return _noisy(r * g / norms[:, None], noise, rng)


def sample_torus(
    n_points: int,
    *,
    major: float = 2.0,
    minor: float = 1.0,
    noise: float = 0.0,
    seed: SeedLike = None,
) -> np.ndarray:
    """Points on a torus of revolution in R^3, uniform with respect to its area.

    The tube angle is drawn by rejection with acceptance ``(R + r cos φ) / (R + r)``, so the
    outer side is not under-sampled.

    Examples
    --------
    >>> x = sample_torus(200, seed=0)
    >>> rho = np.hypot(x[:, 0], x[:, 1])
    >>> x.shape, bool(np.allclose((rho - 2.0) ** 2 + x[:, 2] ** 2, 1.0))
    ((200, 3), True)
    """
    n = _count(n_points)
    big = _positive(major, "major")
    small = _positive(minor, "minor")
    if small >= big:
        raise InvalidInputError(f"minor ({small}) must be smaller than major ({big})")
    rng = check_rng(seed)
    phis: list[np.ndarray] = []
    have = 0
    while have < n:
        phi = rng.uniform(0, 2 * np.pi, 2 * (n - have) + 8)
        keep = rng.uniform(0, 1, phi.size) < (big + small * np.cos(phi)) / (big + small)
        phis.append(phi[keep])
        have += int(keep.sum())
    phi = np.concatenate(phis)[:n]
    theta = rng.uniform(0, 2 * np.pi, n)
    ring = big + small * np.cos(phi)
    pts = np.column_stack([ring * np.cos(theta), ring * np.sin(theta), small * np.sin(phi)])
    return _noisy(pts, noise, rng)


def sample_figure_eight(
    n_points: int,
    *,
    radius: float = 1.0,
    evenly: bool = False,
    noise: float = 0.0,
    seed: SeedLike = None,
) -> np.ndarray:
    """Points on two circles of the same radius touching at the origin (centres ``(±r, 0)``).

    Half of the points lie on each circle (the left one gets the odd point out). With
    ``evenly`` the angles are offset by half a step, so no point sits on the touching point.

    Examples
    --------
    >>> x = sample_figure_eight(40, evenly=True)
    >>> left, right = x[x[:, 0] < 0], x[x[:, 0] > 0]
    >>> len(left), len(right), bool(np.allclose(np.linalg.norm(right - [1, 0], axis=1), 1))
    (20, 20, True)
    """
    n = _count(n_points, minimum=2)
    r = _positive(radius, "radius")
    rng = check_rng(seed)
    n_right = n // 2
    left = sample_circle(n - n_right, radius=r, center=(-r, 0.0), evenly=evenly, seed=rng)
    right = sample_circle(n_right, radius=r, center=(r, 0.0), evenly=evenly, seed=rng)
    return _noisy(np.concatenate([left, right]), noise, rng)


def sample_shells(
    n_per_shell: int,
    radii: Any = (1.0, 2.0),
    *,
    dim: int = 1,
    noise: float = 0.0,
    seed: SeedLike = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Concentric spheres S^dim (``dim = 1``: circles), ``n_per_shell`` uniform points on each.

    The paper's concentric-spheres experiment uses radii ``{1, 2}`` for one class and
    ``{1.5, 2.5}`` for the other, 500 points per shell.

    Returns
    -------
    points : ndarray, shape (n_per_shell * len(radii), dim + 1)
    shell : ndarray of int
        The index (into ``radii``) of each point's shell.

    Examples
    --------
    >>> x, shell = sample_shells(50, (1.0, 1.5, 2.0), dim=2, seed=0)
    >>> x.shape, np.bincount(shell).tolist()
    ((150, 3), [50, 50, 50])
    >>> bool(np.allclose(np.linalg.norm(x[shell == 2], axis=1), 2.0))
    True
    """
    n = _count(n_per_shell, "n_per_shell")
    rs = [_positive(r, "every radius") for r in np.atleast_1d(np.asarray(radii, dtype=float))]
    if not rs:
        raise InvalidInputError("radii must list at least one radius")
    rng = check_rng(seed)
    parts = [sample_sphere(n, dim=dim, radius=r, seed=rng) for r in rs]
    shell = np.repeat(np.arange(len(rs)), n)
    return _noisy(np.concatenate(parts), noise, rng), shell


def load_points(path: Any) -> np.ndarray:
    """Read a data set: ``.npy`` (a 2-D array), ``.npz`` (the array ``x``, ``X`` or ``data``, or
    its only array) or ``.csv`` (numbers separated by commas; one header line allowed).

    Raises
    ------
    InvalidInputError
        If the file is missing, unreadable, or does not hold a 2-D numeric table.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "pts.csv"
    >>> _ = target.write_text("x,y\\n0,1\\n2,3.5\\n")
    >>> load_points(target).tolist()
    [[0.0, 1.0], [2.0, 3.5]]
    """
    from pathlib import Path

    p = Path(path)
    if not p.is_file():
        raise InvalidInputError(f"{p}: no such data file (give a .npy, .npz or .csv file)")
    suffix = p.suffix.lower()
    try:
        if suffix == ".npy":
            arr = np.load(p, allow_pickle=False)
        elif suffix == ".npz":
            with np.load(p, allow_pickle=False) as data:
                names = {k.lower(): k for k in data.files}
                key = next((names[k] for k in ("x", "data") if k in names), None)
                if key is None and len(data.files) == 1:
                    key = data.files[0]
                if key is None:
                    raise InvalidInputError(
                        f"{p}: a .npz needs an array named x (or a single array), found "
                        f"{sorted(data.files)}"
                    )
                arr = data[key]
        elif suffix in (".csv", ".txt"):
            try:
                arr = np.loadtxt(p, delimiter=",", ndmin=2, comments="#")
            except ValueError:
                arr = np.loadtxt(p, delimiter=",", ndmin=2, comments="#", skiprows=1)
        else:
            raise InvalidInputError(f"{p}: unknown data format {suffix!r}; use .npy, .npz or .csv")
    except InvalidInputError:
        raise
    except (ValueError, OSError, EOFError) as exc:
        raise InvalidInputError(f"{p}: not a numeric table: {' '.join(str(exc).split())}") from None
    arr = np.asarray(arr)
    if arr.dtype.kind not in "biuf":
        raise InvalidInputError(f"{p}: the data must be numbers, got dtype {arr.dtype}")
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2:
        raise InvalidInputError(f"{p}: the data must be a 2-D table, got shape {arr.shape}")
    return arr.astype(np.float64)
