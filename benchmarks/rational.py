"""Benchmark: rational networks — expansion with python-flint against sympy, and the time of the
exact dimension computation for growing architectures.

Part 1 (expansion). For each architecture, one random network with nonzero integer weights in
[-9, 9] (with and without biases) is expanded into ``f = P / Q`` in lowest terms twice:

(a) ``neurogeom.rational.expand`` (python-flint ``fmpq_mpoly``: the closed formula without
    biases, direct composition with per-layer gcds with biases);
(b) what a user would otherwise write: compose the layers as sympy expressions and
    ``sympy.cancel(sympy.together(...))`` each output.

The sympy run has a time cap per case (``--sympy-cap`` seconds, in a child process that is
stopped when it runs out); the two results are checked to be the same rational functions.

Part 2 (dimension). For growing architectures up to about 900 parameters: the time of
``neurogeom.rational.dimension`` (Jacobian over F_p by backpropagation, rank with
``nmod_mat``), split into building the Jacobian and the rank, against, in the same run,
(c) the float SVD of a float Jacobian of the same size (the numerical cross-check a user would
run, no certificate) and, for the small ones, (d) the exact rank over Q of the same Jacobian
at rational weights (``fmpq_mat``), the exact alternative without a prime.

Every timing is the best of ``--repeat`` runs. Timings on a shared machine are noisy.

Run with ``python benchmarks/rational.py [--seed S] [--repeat R] [--sympy-cap SECONDS]``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import time
from fractions import Fraction
from typing import Any

import numpy as np

from neurogeom import RationalNet
from neurogeom.core.rationals import DEFAULT_PRIME, exact_rank, modular_rank
from neurogeom.rational import dimension, expand, expected_dim, parameter_count
from neurogeom.rational._jacobian import Floats, ModP, jacobian_rows

EXPANSION_ARCHS = [
    (2, 2, 1),
    (2, 3, 2, 1),
    (3, 3, 2, 1),
    (3, 3, 3, 1),
    (2, 2, 2, 2, 1),
    (3, 3, 3, 3, 1),
    (3, 3, 3, 3, 3),
]

DIMENSION_ARCHS = [
    (3, 4, 2),
    (4, 6, 6, 2),
    (6, 10, 10, 4),
    (8, 16, 16, 8),
    (10, 20, 20),
    (6, 12, 12, 12, 6),
    (10, 20, 20, 10),
    (12, 24, 24),
]


def random_net(arch: tuple[int, ...], seed: int, bias: bool) -> RationalNet:
    rng = np.random.default_rng(seed)
    ws, bs = [], []
    for i in range(len(arch) - 1):
        shape = (arch[i + 1], arch[i])
        ws.append((rng.integers(1, 10, size=shape) * rng.choice([-1, 1], size=shape)).tolist())
        bs.append(rng.integers(-9, 10, size=arch[i + 1]).tolist() if bias else [0] * arch[i + 1])
    return RationalNet(ws, bs, exact=True)


def best_of(repeat: int, fn: Any) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


# -- part 1 ---------------------------------------------------------------------------------------


def sympy_expand(net: RationalNet) -> list[Any]:
    import sympy as sp

    xs = sp.symbols(f"x1:{net.n_inputs + 1}")
    h: list[Any] = list(xs)
    for l, (w, b) in enumerate(net.layers):
        z = [
            sum(sp.Rational(w[i, j].numerator, w[i, j].denominator) * h[j] for j in range(len(h)))
            + sp.Rational(b[i].numerator, b[i].denominator)
            for i in range(w.shape[0])
        ]
        h = z if l == net.n_layers - 1 else [1 / t for t in z]
    return [sp.cancel(sp.together(t)) for t in h]


def _sympy_child(arch: tuple[int, ...], seed: int, bias: bool, queue: Any) -> None:
    net = random_net(arch, seed, bias)
    t = time.perf_counter()
    out = sympy_expand(net)
    queue.put((time.perf_counter() - t, [str(e) for e in out]))


def sympy_timed(
    arch: tuple[int, ...], seed: int, bias: bool, cap: float
) -> tuple[float | None, Any]:
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_sympy_child, args=(arch, seed, bias, queue))
    proc.start()
    proc.join(cap)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None, None
    return queue.get()


def part_expansion(seed: int, repeat: int, cap: float) -> None:
    import sympy as sp

    print("\nExpansion into P/Q in lowest terms: python-flint (neurogeom) vs sympy")
    print(
        f"{'architecture':<14} {'bias':<5} {'deg (P,Q)':<10} {'terms':>6} {'flint':>9} "
        f"{'sympy':>10} {'ratio':>8}  same"
    )
    for arch in EXPANSION_ARCHS:
        for bias in (False, True):
            net = random_net(arch, seed, bias)
            t_flint, e = best_of(repeat, lambda net=net: expand(net, max_terms=None))
            t_sympy, exprs = sympy_timed(arch, seed, bias, cap)
            terms = sum(len(p) for p in e.numerators) + len(e.denominator)
            if t_sympy is None:
                sym, ratio, same = f">{cap:.0f} s", f">{cap / t_flint:.0f}x", "-"
            else:
                ours = e.to_sympy()
                same = all(
                    sp.cancel(sp.sympify(s) - o) == 0 for s, o in zip(exprs, ours, strict=True)
                )
                sym, ratio = f"{t_sympy:.3f} s", f"{t_sympy / t_flint:.0f}x"
            print(
                f"{'-'.join(map(str, arch)):<14} {'yes' if bias else 'no':<5} "
                f"{e.degrees!s:<10} {terms:>6} {t_flint * 1e3:>7.2f}ms {sym:>10} {ratio:>8}"
                f"  {same}"
            )


# -- part 2 ---------------------------------------------------------------------------------------


def modular_parts(arch: tuple[int, ...], rng: np.random.Generator) -> tuple[float, float, int]:
    """Build the F_p Jacobian and take its rank, timed separately."""
    field = ModP(DEFAULT_PRIME)
    rows = expected_dim(arch) + 3
    t = time.perf_counter()
    ws = [field.random(rng, (arch[l + 1], arch[l])) for l in range(len(arch) - 1)]
    jac = jacobian_rows(
        field, ws, None, field.random(rng, (rows, arch[0])), field.random(rng, (rows, arch[-1]))
    ).rows
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    rank = modular_rank(jac)
    return t_build, time.perf_counter() - t, rank


def float_svd(arch: tuple[int, ...], rng: np.random.Generator) -> float:
    field = Floats()
    rows = expected_dim(arch) + 3
    ws = [field.random(rng, (arch[l + 1], arch[l])) for l in range(len(arch) - 1)]
    t = time.perf_counter()
    jac = jacobian_rows(
        field, ws, None, field.random(rng, (rows, arch[0])), field.random(rng, (rows, arch[-1]))
    ).rows
    np.linalg.svd(jac / np.linalg.norm(jac, axis=0), compute_uv=False)
    return time.perf_counter() - t


class _Rationals(Floats):
    def inv(self, a: np.ndarray) -> np.ndarray:
        return np.vectorize(lambda v: 1 / Fraction(v), otypes=[object])(a)


def rational_rank(arch: tuple[int, ...], rng: np.random.Generator) -> tuple[float, int]:
    rows = expected_dim(arch) + 3

    def frac(shape: Any) -> np.ndarray:
        return np.vectorize(Fraction, otypes=[object])(rng.integers(1, 50, size=shape))

    ws = [frac((arch[l + 1], arch[l])) for l in range(len(arch) - 1)]
    t = time.perf_counter()
    jac = jacobian_rows(_Rationals(), ws, None, frac((rows, arch[0])), frac((rows, arch[-1]))).rows
    rank = exact_rank(jac)
    return time.perf_counter() - t, rank


def part_dimension(seed: int, repeat: int) -> None:
    print("\nDimension of the neurovariety (bias-free) for growing architectures")
    print(
        f"{'architecture':<16} {'params':>6} {'dim':>5} {'dimension()':>12} {'F_p build':>10} "
        f"{'F_p rank':>9} {'float SVD':>10} {'rank over Q':>12}"
    )
    for arch in DIMENSION_ARCHS:
        rng = np.random.default_rng(seed)
        t_dim, res = best_of(
            repeat, lambda arch=arch: dimension(arch, seed=seed, float_check=False)
        )
        parts = [modular_parts(arch, rng) for _ in range(repeat)]
        t_build = min(p[0] for p in parts)
        t_rank = min(p[1] for p in parts)
        t_svd = min(float_svd(arch, rng) for _ in range(repeat))
        if parameter_count(arch) <= 200:
            t_q, rank_q = rational_rank(arch, rng)
            q_text = f"{t_q:.2f} s ({t_q / t_dim:.0f}x)"
            assert rank_q == res.dimension, (arch, rank_q, res.dimension)
        else:
            q_text = "-"
        print(
            f"{'-'.join(map(str, arch)):<16} {parameter_count(arch):>6} {res.dimension:>5} "
            f"{t_dim:>10.3f} s {t_build:>8.3f} s {t_rank:>7.3f} s {t_svd:>8.3f} s {q_text:>12}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sympy-cap", type=float, default=60.0)
    args = parser.parse_args()
    import flint
    import sympy

    print(
        f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}, "
        f"python-flint {flint.__version__}, sympy {sympy.__version__}, numpy {np.__version__}"
    )
    part_expansion(args.seed, args.repeat, args.sympy_cap)
    part_dimension(args.seed, args.repeat)


if __name__ == "__main__":
    main()
