"""Benchmark: exact region enumeration against the baselines a user would otherwise run.

For random ReLU nets (Gaussian weights scaled by 1/sqrt(fan-in), biases N(0, 0.5^2)) on the box
[-3, 3]^d, in the same run:

- ``search``: neurogeom's search engine (one warm-started HiGHS model per arrangement walk);
- ``search/linprog``: the same walk with every LP rebuilt by ``scipy.optimize.linprog`` — the
  cost of "a fresh LP per test", as BFS tools pay it (no warm starts, and no reuse of
  redundancy certificates, which need the duals of a live model);
- ``split``: neurogeom's box engines (the planar subdivision for d = 2, vertex splitting for
  d = 3);
- ``sampling``: distinct activation patterns among N uniform samples in the box — a lower bound
  that saturates, what sampling counters report.

Times are for the cell search (counting activation regions); the ratio column is
baseline time / neurogeom search time. Run: ``python benchmarks/regions.py [--quick]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from neurogeom import ReLUNet
from neurogeom.core.budget import Budget
from neurogeom.core.domain import Domain
from neurogeom.core.lp import lp_counts
from neurogeom.core.tolerances import Tolerances
from neurogeom.regions._engine import RegionProblem
from neurogeom.regions._search import Searcher, SearchState


def random_net(arch: list[int], seed: int) -> ReLUNet:
    rng = np.random.default_rng(seed)
    ws = [rng.normal(size=(arch[i + 1], arch[i])) / np.sqrt(arch[i]) for i in range(len(arch) - 1)]
    bs = [rng.normal(size=arch[i + 1]) * 0.5 for i in range(len(arch) - 1)]
    return ReLUNet(ws, bs)


def run_search(net: ReLUNet, domain: Domain, backend: str) -> tuple[int, float, int]:
    t = time.perf_counter()
    before = lp_counts()
    searcher = Searcher(RegionProblem.build(net, domain, Tolerances()), lp_backend=backend)
    state = SearchState(pending=[searcher.root()])
    searcher.run(state, Budget())
    return len(state.cells), time.perf_counter() - t, (lp_counts() - before).total


def run_split(net: ReLUNet, domain: Domain) -> tuple[int, float]:
    from neurogeom.regions._planar import PlanarEngine
    from neurogeom.regions._split import SplitEngine

    t = time.perf_counter()
    engine = PlanarEngine() if net.n_inputs == 2 else SplitEngine()
    run = engine.find_cells(RegionProblem.build(net, domain, Tolerances()), Budget(), False)
    return len(run.cells), time.perf_counter() - t


def run_sampling(net: ReLUNet, lo: float, hi: float, n: int, seed: int = 0) -> tuple[int, float]:
    t = time.perf_counter()
    rng = np.random.default_rng(seed)
    seen: set[bytes] = set()
    for start in range(0, n, 100_000):
        x = rng.uniform(lo, hi, size=(min(100_000, n - start), net.n_inputs))
        pats = np.packbits(net.activation_patterns(x), axis=1)
        seen.update(map(bytes, pats))
    return len(seen), time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smaller nets, no linprog baseline beyond the first two",
    )
    parser.add_argument("--samples", type=int, default=1_000_000)
    args = parser.parse_args()
    archs = [
        [2, 16, 16, 1],
        [2, 32, 32, 1],
        [3, 16, 16, 1],
        [4, 12, 12, 1],
        [6, 10, 10, 1],
        [3, 8, 8, 8, 1],
        [8, 12, 1],
    ]
    if args.quick:
        archs = archs[:3]
    header = (
        f"{'architecture':>14} {'cells':>7} {'search s':>9} {'LPs':>7} "
        f"{'linprog s':>10} {'ratio':>6} {'split s':>8} {'ratio':>6} "
        f"{'sampled':>8} {'sample s':>9}"
    )
    print(header)
    print("-" * len(header))
    for k, arch in enumerate(archs):
        net = random_net(arch, seed=k)
        domain = Domain.box(-3, 3, dim=arch[0])
        cells, t_search, lps = run_search(net, domain, "highs")
        lin = "-"
        ratio_lin = "-"
        if k < 2 or not args.quick:
            c2, t_lin, _ = run_search(net, domain, "scipy")
            assert c2 == cells, (c2, cells)
            lin, ratio_lin = f"{t_lin:10.2f}", f"{t_lin / t_search:5.1f}x"
        sp, ratio_sp = "-", "-"
        if arch[0] in (2, 3):
            c3, t_split = run_split(net, domain)
            assert c3 == cells, (c3, cells)
            sp, ratio_sp = f"{t_split:8.2f}", f"{t_split / t_search:5.2f}x"
        found, t_samp = run_sampling(net, -3, 3, args.samples)
        print(
            f"{'-'.join(map(str, arch)):>14} {cells:7d} {t_search:9.2f} {lps:7d} {lin:>10} "
            f"{ratio_lin:>6} {sp:>8} {ratio_sp:>6} {found:8d} {t_samp:9.2f}"
        )


if __name__ == "__main__":
    main()
