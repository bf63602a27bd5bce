"""Benchmark: symmetry tools against what a user would otherwise run, in the same run.

Random shallow nets (weights N(0, 1/m), biases N(0, 1/4), output weights N(0, 1/n)):

1. *Extraction* (:func:`neurogeom.symmetry.extract_shallow`) for input dimension 2-10 and width
   8-64: queries and seconds per recovered neuron, and whether the result was verified equivalent
   to the hidden net. Baseline for the expensive part, finding the kinks on a line: plain
   bisection of every interval whose midpoint is off the chord, down to the same resolution (what
   a first extraction script does), counted on the same lines.
2. *Functional dimension* (:func:`neurogeom.symmetry.functional_dimension`): the rank of the same
   batch Jacobian by ``nmod_mat`` over F_p (exact, certified lower bound) against a float SVD
   (numpy) and, on the smaller sizes, the rank over the rationals (``fmpq_mat``) of the same
   Jacobian computed in exact arithmetic.
3. *Shallow equivalence*: the canonical form of ``f - g`` against the general exact route, the
   linear regions of ``f - g`` (:func:`neurogeom.regions.enumerate_regions`), on a box.

Run: ``python benchmarks/symmetry.py [--quick] [--seed S]``. Timings are wall-clock seconds on
whatever machine runs it; quote them with the machine.
"""

from __future__ import annotations

import argparse
import time
from fractions import Fraction

import numpy as np

from neurogeom.core.rationals import exact_rank, modular_rank
from neurogeom.regions import enumerate_regions
from neurogeom.symmetry import ShallowNet, are_equivalent, extract_shallow, functional_dimension
from neurogeom.symmetry.dimension import DEFAULT_PRIMES, _batch, _jacobian_rows, _model, _patterns
from neurogeom.symmetry.extract import _Oracle, _Search


def random_net(m: int, n: int, k: int, seed: int) -> ShallowNet:
    rng = np.random.default_rng(seed)
    return ShallowNet(
        rng.normal(size=(n, m)) / np.sqrt(m),
        rng.normal(size=n) * 0.5,
        rng.normal(size=(k, n)) / np.sqrt(n),
        c=rng.normal(size=k),
    )


# -- 1. extraction ------------------------------------------------------------------------------
def bisection_kinks(oracle: _Oracle, x0: np.ndarray, d: np.ndarray, span: float) -> int:
    """Baseline: halve every interval whose midpoint is off the chord, to 1e-10 of the span."""
    found = 0
    lo, hi = -span, span
    vals = oracle(np.vstack([x0 + lo * d, x0 + hi * d]))
    stack = [(lo, hi, vals[0], vals[1])]
    scale = max(float(np.abs(vals).max()), 1.0)
    while stack:
        a, b, ga, gb = stack.pop()
        mid = 0.5 * (a + b)
        gm = oracle(x0 + mid * d)[0]
        if np.abs(gm - 0.5 * (ga + gb)).max() <= 1e-9 * scale * (b - a) / span:
            continue
        if b - a <= 1e-10 * span:
            found += 1
            continue
        stack += [(a, mid, ga, gm), (mid, b, gm, gb)]
    return found


def extraction_rows(sizes: list[tuple[int, int, int]], seeds: int, base: int) -> None:
    print("1. Extraction (hidden net as a black box; verified = equivalent at rel 1e-6)")
    print(
        f"{'m':>3} {'n':>3} {'k':>2} | {'queries/neuron':>14} {'ms/neuron':>9} {'verified':>8} | "
        f"{'line search: ours':>17} {'bisection':>9} {'ratio':>6}"
    )
    for m, n, k in sizes:
        q, t, ok, ours, theirs = [], [], 0, [], []
        for s in range(seeds):
            net = random_net(m, n, k, base + 1000 * s + 7 * m + n)
            start = time.perf_counter()
            res = extract_shallow(net, seed=s)
            t.append((time.perf_counter() - start) / n)
            q.append(res.queries / n)
            ok += res.verdict == "equivalent"
            # kink search on one line: ours against bisection, same line
            rng = np.random.default_rng(s)
            x0 = rng.normal(size=m)
            d = rng.normal(size=m)
            d /= np.linalg.norm(d)
            mine = _Oracle(net.evaluate, m, 10**9)
            search = _Search(mine, rng, 1e-6, 1.0, 1000.0)
            search.value_scale = max(
                float(np.abs(net.evaluate(rng.normal(size=(m + 1, m)))).max()), 1e-300
            )
            search.kinks_on_line(x0, d)
            base_oracle = _Oracle(net.evaluate, m, 10**9)
            bisection_kinks(base_oracle, x0, d, 1000.0)
            ours.append(mine.queries)
            theirs.append(base_oracle.queries)
        print(
            f"{m:>3} {n:>3} {k:>2} | {np.mean(q):>14.1f} {1000 * np.mean(t):>9.2f} "
            f"{ok:>5}/{seeds:<2} | {np.mean(ours):>17.0f} {np.mean(theirs):>9.0f} "
            f"{np.mean(theirs) / np.mean(ours):>5.1f}x"
        )


# -- 2. functional dimension ---------------------------------------------------------------------
def exact_jacobian(net: ShallowNet, x: np.ndarray) -> np.ndarray:
    """The batch Jacobian of a shallow net in exact rationals (parameters W, b, A, c), written
    out by hand: what one would compute for an exact rank without a prime field."""
    ex = net.to_exact()
    m, n, k = ex.architecture
    rows = []
    for point in x:
        pt = [Fraction(float(v)) for v in point]
        pre = [sum((ex.w[i][j] * pt[j] for j in range(m)), ex.b[i]) for i in range(n)]
        act = [1 if z > 0 else 0 for z in pre]
        hidden = [z if z > 0 else Fraction(0) for z in pre]
        for o in range(k):
            row = [ex.a[o][i] * act[i] * pt[j] for i in range(n) for j in range(m)]
            row += [ex.a[o][i] * act[i] for i in range(n)]
            row += [hidden[i] if o2 == o else Fraction(0) for o2 in range(k) for i in range(n)]
            row += [Fraction(1) if o2 == o else Fraction(0) for o2 in range(k)]
            rows.append(row)
    return np.array(rows, dtype=object)


def dimension_rows(sizes: list[tuple[int, int, int]], base: int, rational_up_to: int) -> None:
    print("\n2. Functional dimension: the same batch Jacobian, three ranks")
    print(
        f"{'m':>3} {'n':>3} {'k':>2} {'rows x D':>12} | {'jacobian s':>10} {'nmod_mat s':>10} "
        f"{'SVD s':>8} {'SVD/nmod':>8} {'fmpq_mat s':>10} | {'ranks (mod p, SVD, Q)':>22} | "
        f"{'functional_dimension s':>22}"
    )
    for m, n, k in sizes:
        net = random_net(m, n, k, base + 31 * m + n)
        model = _model(net)
        d_params = model.n_parameters
        x = _batch(model, max(64, 2 * d_params // k) + 2 * n * (m + 1), np.random.default_rng(0))
        pats, ok = _patterns(model, x)
        x, pats = x[ok], [p[ok] for p in pats]
        p = DEFAULT_PRIMES[0]
        start = time.perf_counter()
        jac_mod = _jacobian_rows(model, x, pats, p)
        t_jac = time.perf_counter() - start
        start = time.perf_counter()
        r_mod = modular_rank(jac_mod, p)
        t_mod = time.perf_counter() - start
        jac = _jacobian_rows(model, x, pats, None)
        start = time.perf_counter()
        sv = np.linalg.svd(jac, compute_uv=False)
        r_svd = int((sv > 1e-9 * sv[0]).sum())
        t_svd = time.perf_counter() - start
        if d_params <= rational_up_to:
            exact_jac = exact_jacobian(net, x)
            start = time.perf_counter()
            r_q = exact_rank(exact_jac)
            t_q = f"{time.perf_counter() - start:>10.3f}"
        else:
            r_q, t_q = "-", f"{'-':>10}"
        start = time.perf_counter()
        whole = functional_dimension(net, points=x)  # end to end: rows in random order, a first
        t_fd = time.perf_counter() - start  # block usually reaches the bound D - n already
        assert whole.rank == r_mod
        print(
            f"{m:>3} {n:>3} {k:>2} {jac.shape[0]:>6}x{jac.shape[1]:<5} | {t_jac:>10.3f} "
            f"{t_mod:>10.3f} {t_svd:>8.3f} {t_svd / t_mod:>7.1f}x {t_q} | "
            f"{r_mod:>6} {r_svd:>6} {r_q!s:>6}  (D - n = {d_params - n}) | {t_fd:>10.3f} "
            f"({'certified' if whole.certified else 'lower bound'})"
        )


# -- 3. equivalence -----------------------------------------------------------------------------
def equivalence_rows(sizes: list[tuple[int, int]], base: int) -> None:
    print("\n3. Shallow equivalence of f and a permuted, rescaled copy on [-3, 3]^m (exact)")
    print(f"{'m':>3} {'n':>3} | {'canonical form s':>16} {'regions of f - g s':>18} {'ratio':>7}")
    for m, n in sizes:
        rng = np.random.default_rng(base + m * 100 + n)
        f = random_net(m, n, 1, base + m * 100 + n).to_exact()
        perm = rng.permutation(n)
        lam = np.array([Fraction(int(v), 2) for v in rng.integers(1, 7, size=n)], dtype=object)
        g = ShallowNet(f.w[perm] * lam[:, None], f.b[perm] * lam, f.a[:, perm] / lam, c=f.c)
        start = time.perf_counter()
        verdict = are_equivalent(f, g, domain=(-3, 3)).verdict
        t_canon = time.perf_counter() - start
        start = time.perf_counter()
        res = enumerate_regions(
            f.to_relu() - g.to_relu(),
            domain=(-3, 3),
            exact=True,
            volumes=False,
            point_connected=False,
            progress=False,
        )
        zero = all(all(v == 0 for row in c.matrix for v in row) for c in res.cells)
        t_reg = time.perf_counter() - start
        assert verdict == "equivalent" and zero
        print(f"{m:>3} {n:>3} | {t_canon:>16.3f} {t_reg:>18.3f} {t_reg / t_canon:>6.0f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer seeds")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.quick:
        extraction_rows([(2, 8, 1), (5, 16, 1), (10, 32, 1)], 2, args.seed)
        dimension_rows([(2, 8, 1), (5, 16, 1), (10, 32, 1)], args.seed, 200)
        equivalence_rows([(2, 8)], args.seed)
        return
    extraction_rows(
        [(2, 8, 1), (2, 16, 1), (5, 16, 1), (5, 32, 1), (10, 32, 1), (10, 64, 1), (10, 64, 3)],
        5,
        args.seed,
    )
    dimension_rows(
        [(2, 8, 1), (5, 16, 1), (5, 32, 2), (10, 32, 1), (10, 64, 1), (10, 64, 4)], args.seed, 400
    )
    equivalence_rows([(2, 8), (2, 16), (3, 12)], args.seed)


if __name__ == "__main__":
    main()
