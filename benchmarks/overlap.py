"""Benchmark: the overlap decomposition, neurogeom against the published algorithm, same run.

1. *Head to head.* Unit circles of 200, 500 and 1000 evenly spaced points through random nets
   2-[8,8]-2 and 2-[16,16,16]-2 (PyTorch's default initialisation, seeded). The baseline is the
   published algorithm re-implemented from its description (spec §3;
   :mod:`neurogeom.topology._published`): every pair of data-holding regions, one
   ``scipy.optimize.linprog`` per point and region, zero-slack acceptance, box ±100, no distance
   pruning. neurogeom runs ``mode="polyhedron"`` (the same relation) with the same box. Printed:
   both times, the ratio, and whether the classes agree — with the published zero-slack
   acceptance and with a tolerant one (``A z <= h + 1e-9``) computed from the same LPs; where
   zero slack rejects an LP vertex that violates a facet by rounding, the published algorithm
   misses a true overlap (spec case OV4), so only the tolerant classes must agree.
2. *Scaling.* neurogeom alone on 10^4 and 10^5 points (``polyhedron`` and ``partner`` modes),
   with the number of LPs the published algorithm would solve (``Σ_l (R_l - 1) N``) and its
   time extrapolated from the per-LP time measured in part 1.

Run: ``python benchmarks/overlap.py [--quick] [--seed S]``. Timings are wall-clock seconds on
whatever machine runs it; quote them with the machine.
"""

from __future__ import annotations

import argparse
import itertools
import time
import warnings

import numpy as np

from neurogeom import ReLUNet
from neurogeom.core.lp import lp_counts
from neurogeom.topology import RankDeficiencyWarning, overlap_decomposition, sample_circle
from neurogeom.topology._published import published_overlaps

ARCHITECTURES = {"2-[8,8]-2": (2, 8, 8, 2), "2-[16,16,16]-2": (2, 16, 16, 16, 2)}


def torch_default_net(widths: tuple[int, ...], seed: int) -> ReLUNet:
    """Weights and biases uniform in ±1/sqrt(fan_in), as ``torch.nn.Linear`` initialises them."""
    rng = np.random.default_rng(seed)
    ws, bs = [], []
    for fan_in, fan_out in itertools.pairwise(widths):
        bound = 1 / np.sqrt(fan_in)
        ws.append(rng.uniform(-bound, bound, size=(fan_out, fan_in)))
        bs.append(rng.uniform(-bound, bound, size=fan_out))
    return ReLUNet(ws, bs)


def ours(net: ReLUNet, x: np.ndarray, mode: str) -> tuple[float, object]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RankDeficiencyWarning)
        start = time.perf_counter()
        dec = overlap_decomposition(net, x, mode=mode, box=100)
        return time.perf_counter() - start, dec


def head_to_head(sizes: list[int], seed: int) -> float:
    print("1. the published algorithm (all pairs, one linprog per point and region) vs neurogeom")
    print(
        f"{'net':>15} {'points':>6} {'regions/layer':>22} {'published s':>11} {'LPs':>7} "
        f"{'neurogeom s':>11} {'ratio':>7}  same classes (zero slack / tolerant)"
    )
    per_lp = []
    for name, widths in ARCHITECTURES.items():
        net = torch_default_net(widths, seed)
        for n in sizes:
            x = sample_circle(n, evenly=True)
            before = lp_counts()
            start = time.perf_counter()
            zero, tolerant = published_overlaps(net, x, box=100, slacks=(0.0, 1e-9))
            t_pub = time.perf_counter() - start
            lps = (lp_counts() - before).scipy
            per_lp.append(t_pub / max(lps, 1))
            t_ours, dec = ours(net, x, "polyhedron")
            got = [tuple(sorted(layer.classes)) for layer in dec.layers]
            regions = "/".join(str(len(layer.regions)) for layer in dec.layers)
            print(
                f"{name:>15} {n:>6} {regions:>22} {t_pub:>11.2f} {lps:>7} {t_ours:>11.3f} "
                f"{t_pub / t_ours:>6.0f}x  {got == zero!s:>5} / {got == tolerant!s}",
                flush=True,
            )
    return float(np.median(per_lp))


def scaling(sizes: list[int], seed: int, per_lp: float) -> None:
    print("\n2. neurogeom on large samples (the published algorithm extrapolated from its LP time)")
    print(
        f"{'net':>15} {'points':>7} {'regions/layer':>22} {'polyhedron s':>12} "
        f"{'partner s':>10} {'published LPs':>13} {'published ≈ s':>13}"
    )
    for name, widths in ARCHITECTURES.items():
        net = torch_default_net(widths, seed)
        for n in sizes:
            x = sample_circle(n, seed=seed)
            t_poly, dec = ours(net, x, "polyhedron")
            t_part, _ = ours(net, x, "partner")
            regions = [len(layer.regions) for layer in dec.layers]
            lps = sum((r - 1) * n for r in regions)
            print(
                f"{name:>15} {n:>7} {'/'.join(map(str, regions)):>22} {t_poly:>12.2f} "
                f"{t_part:>10.2f} {lps:>13} {lps * per_lp:>13.0f}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 and 500 points; 10^4 only")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    per_lp = head_to_head([200, 500] if args.quick else [200, 500, 1000], args.seed)
    print(f"\nmedian time per published LP: {per_lp * 1e3:.2f} ms")
    scaling([10_000] if args.quick else [10_000, 100_000], args.seed, per_lp)


if __name__ == "__main__":
    main()
