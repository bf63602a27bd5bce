"""Benchmark: the split engine against dense grid sampling of activation patterns.

The baseline is what a user would otherwise run: evaluate the network on a dense grid with NumPy
(in chunks, to bound memory) and count the distinct activation patterns. It is a lower bound on
the number of activation cells (thin cells fall between grid points), while the box engines are
complete.

Run ``python benchmarks/split_2d.py`` (add ``--exact`` to also time the exact mode). Networks
have Gaussian weights with variance 2/fan_in (He initialisation) and standard normal biases; the
domain is ``[-3, 3]^d``.
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np

from neurogeom.core.budget import Budget
from neurogeom.core.domain import Domain
from neurogeom.core.tolerances import Tolerances
from neurogeom.nets import ReLUNet
from neurogeom.regions._engine import RegionProblem
from neurogeom.regions._planar import PlanarEngine
from neurogeom.regions._split import SplitEngine


def split_cells(net: ReLUNet, lo: float, hi: float) -> tuple[int, bool]:
    """Cells of the box engine for the net's input dimension (count, complete)."""
    engine = PlanarEngine() if net.n_inputs == 2 else SplitEngine()
    problem = RegionProblem.build(net, Domain.box(lo, hi, dim=net.n_inputs), Tolerances())
    run = engine.find_cells(problem, Budget(), False)
    return len(run.cells), run.complete


CASES = [
    ((2, 16, 16, 1), 1000),
    ((2, 32, 32, 1), 1000),
    ((2, 64, 64, 1), 1000),
    ((3, 16, 16, 1), 100),
]
LO, HI = -3.0, 3.0


def random_net(arch: tuple[int, ...], seed: int) -> ReLUNet:
    rng = np.random.default_rng(seed)
    ws = [rng.normal(0.0, np.sqrt(2.0 / i), (o, i)) for i, o in itertools.pairwise(arch)]
    bs = [rng.normal(0.0, 1.0, o) for o in arch[1:]]
    return ReLUNet(ws, bs)


def grid_patterns(net: ReLUNet, n: int, *, chunk: int = 1 << 16) -> int:
    """Number of distinct activation patterns on an ``n^d`` grid of the box (the baseline)."""
    d = net.n_inputs
    axis = np.linspace(LO, HI, n)
    ws = [np.asarray(w) for w in net.weights]
    bs = [np.asarray(b) for b in net.biases]
    total = n**d
    packed = []
    for start in range(0, total, chunk):
        idx = np.arange(start, min(start + chunk, total))
        x = np.stack([axis[(idx // n**k) % n] for k in range(d)], axis=1)
        bits = []
        h = x
        for w, b in zip(ws[:-1], bs[:-1], strict=True):
            z = h @ w.T + b
            bits.append(z > 0)
            h = np.maximum(z, 0.0)
        packed.append(np.packbits(np.concatenate(bits, axis=1), axis=1))
    rows = np.concatenate(packed)
    pad = (-rows.shape[1]) % 8
    rows = np.pad(rows, ((0, 0), (0, pad))).view(np.uint64)
    order = np.lexsort(rows.T[::-1])
    rows = rows[order]
    return 1 + int(np.count_nonzero(np.any(rows[1:] != rows[:-1], axis=1)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exact", action="store_true", help="also time the exact mode")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    head = (
        f"{'network':<12} {'grid':>8} {'split s':>8} {'cells':>7} {'grid s':>8} "
        f"{'grid found':>10} {'grid/split':>10}"
    )
    if args.exact:
        head += f" {'exact s':>8}"
    print(head)
    print("-" * len(head))
    for arch, n in CASES:
        net = random_net(arch, args.seed)
        t0 = time.perf_counter()
        cells, complete = split_cells(net, LO, HI)
        t_split = time.perf_counter() - t0
        assert complete
        t0 = time.perf_counter()
        found = grid_patterns(net, n)
        t_grid = time.perf_counter() - t0
        line = (
            f"{'-'.join(map(str, arch)):<12} {f'{n}^{arch[0]}':>8} {t_split:8.3f} "
            f"{cells:7d} {t_grid:8.3f} {found:10d} {t_grid / t_split:9.1f}x"
        )
        if args.exact:
            t0 = time.perf_counter()
            exact_cells, _ = split_cells(net.to_exact(), LO, HI)
            line += f" {time.perf_counter() - t0:8.2f}"
            assert exact_cells == cells
        print(line, flush=True)


if __name__ == "__main__":
    main()
