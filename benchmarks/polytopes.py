"""Benchmark: exact volumes and mixed volumes against what a user would otherwise run.

1. *Volumes* of random lattice polytopes (``2d`` random points in ``{-4..4}^d``) for ``d = 2..8``:
   :func:`neurogeom.polytopes.volume` (exact rational, face-lattice pyramids) against SciPy's
   ``ConvexHull.volume`` (float, Qhull) and PyNormaliz's ``Volume`` (exact, lattice-normalised)
   where installed; passagemath-polyhedra (Sage's ``Polyhedron.volume``) where installed. The
   values are compared (float agreement with Qhull, exact equality with Normaliz).
2. *Mixed volumes* of ``d`` random lattice simplices in ``R^d`` for ``d = 2..8``: the mixed-cell
   method (:func:`neurogeom.polytopes.mixed_volume`, ``method="mixed-cells"``) against plain
   polarisation (``2^d - 1`` exact Minkowski-sum volumes, the textbook formula a user would
   code), in the same run; the ratio is printed (polarisation is cut off at ``--cap`` seconds,
   in which case the ratio printed is a lower bound, shown with ``>``).

Run: ``python benchmarks/polytopes.py [--quick] [--seed S] [--cap SECONDS]``. Timings are
wall-clock seconds on whatever machine runs it; quote them with the machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from fractions import Fraction

import numpy as np
from scipy.spatial import ConvexHull

from neurogeom.core.errors import BudgetExceededError
from neurogeom.polytopes import Polytope, lattice_volume, mixed_volume, volume


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - start


def random_polytope(d: int, k: int, rng: np.random.Generator) -> tuple[Polytope, np.ndarray]:
    while True:
        pts = rng.integers(-4, 5, size=(k, d))
        p = Polytope(pts.tolist())
        if p.dim == d:
            return p, pts


def bench_volumes(dims: range, seed: int) -> None:
    has_normaliz = importlib.util.find_spec("PyNormaliz") is not None
    has_sage = importlib.util.find_spec("sage") is not None
    print("1. volumes of random lattice polytopes (2d points in {-4..4}^d)")
    print(
        f"{'d':>2} {'verts':>5} {'exact s':>9} {'qhull s':>9} {'normaliz s':>10} "
        f"{'exact/qhull':>11} {'agree':>6}"
    )
    rng = np.random.default_rng(seed)
    for d in dims:
        p, pts = random_polytope(d, 2 * d, rng)
        exact, t_exact = timed(volume, p)
        hull, t_qhull = timed(ConvexHull, pts.astype(float))
        agree = abs(float(exact) - hull.volume) <= 1e-9 * max(1.0, hull.volume)
        t_nmz = float("nan")
        if has_normaliz:
            import PyNormaliz

            verts = [list(map(int, v)) for v in p.vertices]
            cone, t_nmz = timed(lambda vs=verts: PyNormaliz.Cone(polytope=vs).Volume())
            agree = agree and Fraction(str(cone)) == lattice_volume(p)
        print(
            f"{d:>2} {p.n_vertices:>5} {t_exact:>9.4f} {t_qhull:>9.4f} {t_nmz:>10.4f} "
            f"{t_exact / t_qhull:>11.1f} {'yes' if agree else 'NO':>6}"
        )
    if not has_normaliz:
        print("   (PyNormaliz not installed: pip install pynormaliz)")
    if not has_sage:
        print("   (passagemath-polyhedra not installed: pip install passagemath-polyhedra)")


def bench_mixed(dims: range, seed: int, cap: float) -> None:
    print("\n2. mixed volumes of d random lattice simplices in R^d (vertices in {0..3}^d)")
    print(
        f"{'d':>2} {'MV':>8} {'mixed-cells s':>13} {'polarisation s':>14} {'ratio':>8} {'agree':>6}"
    )
    rng = np.random.default_rng(seed + 1)
    for d in dims:
        polys = []
        while len(polys) < d:
            pts = rng.integers(0, 4, size=(d + 1, d)).tolist()
            p = Polytope(pts)
            if p.dim == d:
                polys.append(p)
        mv, t_cells = timed(mixed_volume, polys, method="mixed-cells")
        try:
            pol, t_pol = timed(mixed_volume, polys, method="polarization", time_limit=cap)
            ratio = f"{t_pol / t_cells:8.1f}"
            agree = "yes" if pol == mv else "NO"
            pol_s = f"{t_pol:14.3f}"
        except BudgetExceededError:
            ratio = f">{cap / t_cells:7.1f}"
            agree = "-"
            pol_s = f"{'>' + str(cap):>14}"
        print(f"{d:>2} {mv!s:>8} {t_cells:>13.3f} {pol_s} {ratio} {agree:>6}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="dimensions 2-5 only")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cap", type=float, default=300.0, help="seconds for polarisation")
    args = parser.parse_args()
    top = 5 if args.quick else 8
    bench_volumes(range(2, top + 1), args.seed)
    bench_mixed(range(2, top + 1), args.seed, args.cap)


if __name__ == "__main__":
    main()
