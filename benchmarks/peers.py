"""Benchmark: neurogeom's region engine against the peer tools, on the same nets, in one run.

Peers (each runs only where it is available; the table says when one is missing):

- ``relucent`` (bl-ake/relucent; ``pip install relucent gurobipy``): breadth-first search over
  activation regions on R^n with Gurobi LPs; its cell count is ``len(Complex)`` after ``bfs()``.
- edge subdivision (arturs-berzins/relu_edge_subdivision, not on PyPI): a local checkout given by
  ``--edge-subdivision PATH`` or ``NEUROGEOM_EDGE_SUBDIVISION``; it needs torch. It returns the
  vertices and edges of the partition of a box by the hidden neurons (float32, given the hidden
  layers only, since it also cuts by the last layer's zero set); in 2-D the number of cells
  follows from Euler's formula (cells = edges - vertices + 1), in 3-D it reports no count.

Nets are the ones of the performance issue: He-initialised, ``W ~ N(0, 2/fan_in)``,
``b ~ N(0, 0.01)``, ``numpy.random.default_rng(0)`` drawn layer by layer (weights, then biases).
Every run is a fresh process (so that peak memory is the run's own), after one untimed import of
each tool that writes its bytecode caches (as an installed package has them); the tools
alternate per net (neurogeom, then each peer, ``--repeat`` times), and the table reports the
median wall time,
CPU time (user + system of the process and its children, which counts relucent's worker
processes) and peak resident memory. neurogeom's time is the whole job a user asks for: cells,
adjacency and linear regions. The ratio column is peer CPU time / neurogeom CPU time.

``--scaling`` adds tables of cells per second against the number of cells as the width, the depth
and the input dimension (2-8) grow.

Run: ``python benchmarks/peers.py [--quick] [--repeat 3] [--exact] [--scaling]``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Case:
    """One benchmark net: architecture and domain (``None``: all of R^n; else a box)."""

    arch: tuple[int, ...]
    box: float | None

    @property
    def label(self) -> str:
        where = "R^n" if self.box is None else f"[-{self.box:g},{self.box:g}]^{self.arch[0]}"
        return f"{'-'.join(map(str, self.arch))} on {where}"


CASES = [
    Case((2, 16, 16, 1), None),
    Case((3, 8, 8, 8, 1), None),
    Case((2, 32, 32, 1), None),
    Case((8, 12, 1), None),
    Case((4, 16, 16, 1), None),
    Case((2, 64, 64, 1), 10),
    Case((2, 100, 100, 1), 10),
    Case((2, 64, 64, 64, 1), 10),
    Case((3, 16, 16, 1), 10),
    Case((3, 32, 32, 1), 10),
]
QUICK = [CASES[0], CASES[1], CASES[5], CASES[8]]


def he_weights(arch: tuple[int, ...], seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """The issue's seeded He initialisation, layer by layer."""
    rng = np.random.default_rng(seed)
    layers = []
    for fan_in, fan_out in itertools.pairwise(arch):
        w = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_out, fan_in))
        b = rng.normal(0.0, 0.1, size=fan_out)
        layers.append((w, b))
    return layers


# -- one run per process ------------------------------------------------------------------------
def run_neurogeom(case: Case, exact: bool, time_limit: float) -> dict[str, Any]:
    from neurogeom import ReLUNet, enumerate_regions

    layers = he_weights(case.arch)
    net = ReLUNet([w for w, _ in layers], [b for _, b in layers])
    domain = None if case.box is None else (-case.box, case.box)
    res = enumerate_regions(
        net, domain=domain, exact=exact, point_connected=False, time_limit=time_limit,
        progress=False,
    )  # fmt: skip
    return {
        "cells": res.activation_regions,
        "linear": res.linear_regions,
        "complete": res.complete,
        "lps_per_cell": res.stats.lps_per_cell,
        "lps_per_facet": res.stats.lps_per_facet,
    }


def run_relucent(case: Case) -> dict[str, Any]:
    import relucent
    import torch

    modules: list[Any] = []
    for w, b in he_weights(case.arch):
        lin = torch.nn.Linear(w.shape[1], w.shape[0]).double()
        with torch.no_grad():
            lin.weight.copy_(torch.as_tensor(w))
            lin.bias.copy_(torch.as_tensor(b))
        modules += [lin, torch.nn.ReLU()]
    cplx = relucent.Complex(torch.nn.Sequential(*modules[:-1]))
    cplx.bfs(verbose=0)
    return {"cells": len(cplx), "linear": None, "complete": True}


def run_edge_subdivision(case: Case, path: str) -> dict[str, Any]:
    sys.path.insert(0, path)
    cwd = os.getcwd()
    os.chdir(path)  # the peer imports its helpers relative to its checkout
    try:
        import torch
        from edge_subdivision import skeletal_subdivision
        from NN import Net

        # the hidden layers only: the peer also subdivides by its last layer's zero set
        f = Net(ks=list(case.arch[:-1]))
        with torch.no_grad():
            for lin, (w, b) in zip(f.fcs, he_weights(case.arch)[:-1], strict=True):
                lin.weight.copy_(torch.as_tensor(w, dtype=torch.float32))
                lin.bias.copy_(torch.as_tensor(b, dtype=torch.float32))
            vs, edges, _ = skeletal_subdivision(
                f, bbox=(-case.box, case.box), device="cpu", verbose=False
            )
    finally:
        os.chdir(cwd)
    cells = len(edges) - len(vs) + 1 if case.arch[0] == 2 else None
    return {"cells": cells, "linear": None, "complete": True}


def _child(tool: str, index: int, args: argparse.Namespace) -> None:
    case = (QUICK if args.quick else CASES)[index] if index >= 0 else SCALING[-index - 1]
    started = time.perf_counter()
    if tool == "neurogeom":
        out = run_neurogeom(case, exact=False, time_limit=args.time_limit)
    elif tool == "neurogeom-exact":
        out = run_neurogeom(case, exact=True, time_limit=args.time_limit)
    elif tool == "relucent":
        out = run_relucent(case)
    else:
        out = run_edge_subdivision(case, args.edge_subdivision)
    out["wall"] = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    out["cpu"] = usage.ru_utime + usage.ru_stime + kids.ru_utime + kids.ru_stime
    out["peak_mb"] = max(usage.ru_maxrss, kids.ru_maxrss) / 1024
    print("RESULT " + json.dumps(out))


def measure(tool: str, index: int, args: argparse.Namespace) -> dict[str, Any] | str:
    """Run one tool on one case in a fresh process; the parsed result or why it failed."""
    cmd = [sys.executable, __file__, "--child", tool, str(index), "--time-limit",
           str(args.time_limit)]  # fmt: skip
    if args.quick:
        cmd.append("--quick")
    if args.edge_subdivision:
        cmd += ["--edge-subdivision", args.edge_subdivision]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.time_limit * 3 + 60)
    except subprocess.TimeoutExpired:
        return "timed out"
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    last = (proc.stderr.strip().splitlines() or ["failed"])[-1]
    return last[:60]


def warm_up(names: list[str]) -> None:
    """Import each tool once, writing bytecode caches, before anything is timed.

    An installed package has its bytecode compiled at install time; an editable or source
    checkout compiles it on first import (about 0.1 s for neurogeom), and not at all under
    ``PYTHONDONTWRITEBYTECODE``. One untimed import with caching allowed puts every tool on the
    installed footing.
    """
    modules = {"neurogeom": "neurogeom, neurogeom.regions", "relucent": "relucent, torch",
               "edge": "torch"}  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for name in names:
        key = name.split("-")[0]
        if key in modules:
            subprocess.run([sys.executable, "-c", f"import {modules[key]}"], env=env,
                           capture_output=True, check=False)  # fmt: skip


def available_peers(args: argparse.Namespace) -> dict[str, str | None]:
    """Peer name -> None when it can run, else why not."""
    import importlib.util

    def missing(*modules: str) -> str | None:
        gone = [m for m in modules if importlib.util.find_spec(m) is None]
        return f"not installed ({', '.join(gone)})" if gone else None

    edge = missing("torch")
    if edge is None and not args.edge_subdivision:
        edge = "no checkout (--edge-subdivision PATH)"
    return {"relucent": missing("relucent", "gurobipy", "torch"), "edge subdivision": edge}


def _lp(run: dict[str, Any], key: str) -> str:
    value = run.get(key)
    return f"{'':>8}" if value is None else f"{value:8.2f}"


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def compare(args: argparse.Namespace) -> None:
    cases = QUICK if args.quick else CASES
    peers = available_peers(args)
    for name, why in peers.items():
        if why:
            print(f"# {name}: skipped, {why}")
    tools = ["neurogeom"] + (["neurogeom-exact"] if args.exact else [])
    print(f"{'net':28} {'tool':18} {'cells':>7} {'linear':>7} {'wall s':>8} {'cpu s':>8} "
          f"{'MB':>6} {'peer/ng cpu':>11} {'LP/cell':>8} {'LP/facet':>8}")  # fmt: skip
    for index, case in enumerate(cases):
        if args.only and (case.box is None) != (args.only == "rn"):
            continue
        names = list(tools)
        if case.box is None and peers["relucent"] is None:
            names.append("relucent")
        if case.box is not None and peers["edge subdivision"] is None:
            names.append("edge")
        warm_up(names)
        runs: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
        failed: dict[str, str] = {}
        for _ in range(args.repeat):  # interleaved: every tool once per round
            for name in names:
                if name in failed:
                    continue
                got = measure(name, index, args)
                if isinstance(got, str):
                    failed[name] = got
                else:
                    runs[name].append(got)
        base = _median(runs["neurogeom"], "cpu") if runs["neurogeom"] else None
        for name in names:
            if name in failed:
                print(f"{case.label:28} {name:18} {failed[name]}")
                continue
            r = runs[name][-1]
            cpu = _median(runs[name], "cpu")
            ratio = "" if name.startswith("neurogeom") or not base else f"{cpu / base:10.1f}x"
            cells = "?" if r["cells"] is None else str(r["cells"])
            cells += "" if r["complete"] else "+"
            linear = "" if r["linear"] is None else str(r["linear"])
            print(f"{case.label:28} {name:18} {cells:>7} {linear:>7} "
                  f"{_median(runs[name], 'wall'):8.2f} {cpu:8.2f} "
                  f"{_median(runs[name], 'peak_mb'):6.0f} {ratio:>11} {_lp(r, 'lps_per_cell')} "
                  f"{_lp(r, 'lps_per_facet')}")  # fmt: skip
    print("(+: stopped at the time limit; cells are a lower bound)")


SCALING = [
    *[Case((2, w, w, 1), 10) for w in (8, 16, 32, 64)],
    *[Case((2, *([16] * d), 1), 10) for d in (1, 2, 3, 4)],
    *[Case((n, 8, 8, 1), None) for n in range(2, 9)],
]


def scaling(args: argparse.Namespace) -> None:
    groups = [("width (2-w-w-1, box)", 0, 4), ("depth (2-16x d-1, box)", 4, 8),
              ("input dimension (n-8-8-1, R^n)", 8, 15)]  # fmt: skip
    for title, lo, hi in groups:
        print(f"\nscaling with {title}")
        print(f"{'net':28} {'cells':>8} {'wall s':>8} {'cells/s':>9}")
        for k in range(lo, hi):
            got = measure("neurogeom", -k - 1, args)
            if isinstance(got, str):
                print(f"{SCALING[k].label:28} {got}")
                continue
            rate = got["cells"] / max(got["wall"], 1e-9)
            mark = "" if got["complete"] else "+"
            print(f"{SCALING[k].label:28} {got['cells']:>7}{mark:1} {got['wall']:8.2f} {rate:9.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="four nets instead of ten")
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool and net")
    parser.add_argument("--exact", action="store_true", help="also time exact mode")
    parser.add_argument("--scaling", action="store_true", help="add the scaling tables")
    parser.add_argument("--only", choices=["box", "rn"], help="only the nets on a box, or on R^n")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per run")
    parser.add_argument(
        "--edge-subdivision",
        default=os.environ.get("NEUROGEOM_EDGE_SUBDIVISION"),
        help="path of a relu_edge_subdivision checkout",
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], int(args.child[1]), args)
        return
    compare(args)
    if args.scaling:
        scaling(args)


if __name__ == "__main__":
    main()
