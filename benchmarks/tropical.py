"""Benchmark: tropical forms of random nets, with and without pruning, against the region engine
and against sampling, in the same run.

Architectures ``[2, w, 1]`` and ``[2, w, 2, 1]`` for ``w = 2..8`` (as in Lezeau et al.,
arXiv 2405.20174, section 5), ``--nets`` seeded nets each (default 30), weights
``N(0, 2 / fan_in)`` and biases ``U(0, 1)`` (TropicalNN's random generator). Per architecture:

- monomials of the tropical rational map without pruning (duplicates merged) and with pruning;
- seconds of three conversions: no pruning; the *full composition* pruned once at the end; the
  *layerwise* conversion that prunes after every layer (and every product);
- linear regions counted from the pruned tropical form (:func:`neurogeom.tropical.linear_regions`)
  against :func:`neurogeom.regions.enumerate_regions` (the layerwise cell search that never builds
  the expression): agreement and seconds;
- a sampling estimate (``--samples`` points, default 10^6) in the cube ``[-10, 10]^2``: the
  share of the exact count (on R^2) it finds.

Run: ``python benchmarks/tropical.py [--quick] [--nets N] [--samples N] [--seed S]``. Timings
are wall-clock seconds of this machine; quote them with the machine.
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np

from neurogeom import ReLUNet
from neurogeom.regions import enumerate_regions
from neurogeom.tropical import (
    linear_regions,
    prune,
    sample_regions,
    tropicalize,
)


def random_net(widths: list[int], seed: int) -> ReLUNet:
    """TropicalNN-style random net: weights N(0, 2/fan_in), biases U(0, 1)."""
    rng = np.random.default_rng(seed)
    ws = [rng.normal(size=(b, a)) * np.sqrt(2 / a) for a, b in itertools.pairwise(widths)]
    bs = [rng.uniform(0, 1, size=b) for b in widths[1:]]
    return ReLUNet(ws, bs)


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def row(widths: list[int], n_nets: int, samples: int, seed: int) -> None:
    raw, pruned, t_raw, t_full, t_layer = [], [], [], [], []
    t_count, t_engine, agree, found, t_sample = [], [], 0, [], []
    for k in range(n_nets):
        net = random_net(widths, seed + 1000 * k + sum(widths))
        f_raw, dt = timed(tropicalize, net, progress=False)
        t_raw.append(dt)
        res, dt = timed(prune, f_raw)
        t_full.append(t_raw[-1] + dt)
        f_layer, dt = timed(tropicalize, net, prune=True, progress=False)
        t_layer.append(dt)
        assert res.pruned.monomial_counts() == f_layer.monomial_counts()
        raw.append(f_raw.n_monomials)
        pruned.append(f_layer.n_monomials)
        regions, dt = timed(linear_regions, f_layer, point_connected=False, progress=False)
        t_count.append(dt)
        engine, dt = timed(
            enumerate_regions, net, point_connected=False, volumes=False, progress=False
        )
        t_engine.append(dt)
        agree += regions.linear_regions == engine.linear_regions
        if samples:
            est, dt = timed(sample_in_box, net, samples, seed + k)
            t_sample.append(dt)
            found.append(est / max(1, engine.linear_regions))
    arch = "[" + ",".join(map(str, widths)) + "]"
    sample_text = (
        f"{100 * np.mean(found):6.1f}% {np.mean(t_sample):7.3f}"
        if samples
        else f"{'-':>7} {'-':>7}"
    )
    print(
        f"{arch:>11} | {np.mean(raw):8.1f} {np.mean(pruned):7.1f} | {np.mean(t_raw):7.3f} "
        f"{np.mean(t_full):7.3f} {np.mean(t_layer):7.3f} | {np.mean(t_count):7.3f} "
        f"{np.mean(t_engine):7.3f} {agree:>3}/{n_nets:<3} | {sample_text}"
    )


def sample_in_box(net: ReLUNet, samples: int, seed: int) -> int:
    return sample_regions(net, box=(-BOX, BOX), n_samples=samples, seed=seed).estimate


#: Half-width of the sampled cube (the effective radius of these nets is in the thousands: a
#: valid bound, far too loose to sample in).
BOX = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 nets, w = 2..5, 10^4 samples")
    parser.add_argument("--nets", type=int, default=30)
    parser.add_argument("--samples", type=int, default=10**6)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    widths = range(2, 9)
    if args.quick:
        args.nets, args.samples, widths = 5, 10**4, range(2, 6)
    print(
        f"{'arch':>11} | {'monomials':>8} {'pruned':>7} | {'convert':>7} {'full+pr':>7} "
        f"{'layerw.':>7} | {'count':>7} {'engine':>7} {'agree':>7} | {'sampled':>7} {'s':>7}"
    )
    print(
        "(means over the nets; seconds; 'sampled' = share of the exact count that "
        f"{args.samples} samples in [-10, 10]^2 find)"
    )
    for shape in ("[2,w,1]", "[2,w,2,1]"):
        for w in widths:
            arch = [2, w, 1] if shape == "[2,w,1]" else [2, w, 2, 1]
            row(arch, args.nets, args.samples, args.seed)


if __name__ == "__main__":
    main()
