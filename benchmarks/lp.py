"""Benchmark: warm-started :class:`~neurogeom.core.lp.LPModel` against rebuilding with linprog.

The workload is the one a region search produces. Take a random arrangement of ``m`` hyperplanes
``a_i x = b_i`` in ``R^n`` (Gaussian ``a_i`` and ``b_i``) and the sign vector of a random point,
so the first cell is non-empty. Then repeatedly flip the side of one random row
(``a_i x <= b_i`` becomes ``a_i x >= b_i``) and test whether the resulting closed cell is
non-empty with a zero objective. A non-empty cell is kept; an empty one is undone, and the undo
is folded into the next LP's bound change. A fifth to a quarter of the flips give a non-empty
cell, so both outcomes occur throughout.

The sequence of LPs is generated once (untimed) and replayed by three solvers:

(a) ``LPModel(backend="highs")``: one HiGHS model; each LP changes one or two row bounds with
    :meth:`~neurogeom.core.lp.LPModel.set_row_bounds`;
(b) :func:`scipy.optimize.linprog` with ``method="highs"``, rebuilt from scratch for every LP
    (the obvious baseline);
(c) ``LPModel(backend="scipy")``, the fallback backend.

The replays advance in turn, 50 LPs at a time, and the whole run is repeated ``--repeat`` times
from fresh models, each block counting with its fastest time: on a shared machine this measures
the solvers rather than the neighbours. The script prints LPs per second for each, the speed-up
of (a) over (b), and the number of LPs on which the three disagree about feasibility. For a
disagreement it also prints the cell's margin (the Chebyshev radius of the cell), which is near
zero for a genuinely borderline LP.

Run with ``python benchmarks/lp.py [--count N] [--seed S] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

import highspy
import numpy as np
import scipy
from scipy.optimize import linprog

from neurogeom.core.lp import LPModel, chebyshev_centre
from neurogeom.core.random import check_rng

CASES: tuple[tuple[int, int], ...] = ((8, 60), (20, 200))


@dataclass(frozen=True, slots=True)
class FlipSequence:
    """A replayable sequence of feasibility LPs over one arrangement.

    ``signs[k]`` is the full sign vector of LP ``k`` (``+1``: ``a_i x >= b_i``, ``-1``:
    ``a_i x <= b_i``) and ``changed[k]`` the rows whose side differs from LP ``k - 1``
    (from ``start`` for ``k = 0``).
    """

    a: np.ndarray
    b: np.ndarray
    start: np.ndarray
    signs: tuple[np.ndarray, ...]
    changed: tuple[np.ndarray, ...]


def row_bounds(b: np.ndarray, signs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row bounds of the cell with the given sign vector."""
    lower = np.where(signs > 0, b, -np.inf)
    upper = np.where(signs > 0, np.inf, b)
    return lower, upper


def make_sequence(n: int, m: int, count: int, seed: int) -> FlipSequence:
    """Generate ``count`` flip LPs on a random arrangement of ``m`` hyperplanes in ``R^n``.

    The walk needs to know which cells are empty; it asks its own (untimed) ``LPModel``.
    """
    rng = check_rng(seed)
    a = rng.standard_normal((m, n))
    b = rng.standard_normal(m)
    start = np.where(a @ rng.standard_normal(n) - b > 0, 1.0, -1.0)
    lp = LPModel(a, *row_bounds(b, start))
    lp.set_objective(np.zeros(n))
    signs = start.copy()
    undo: list[int] = []
    all_signs: list[np.ndarray] = []
    all_changed: list[np.ndarray] = []
    for i in rng.integers(0, m, size=count).tolist():
        signs[i] = -signs[i]
        rows = np.unique(np.array([*undo, i], dtype=np.int32))
        lo, hi = row_bounds(b[rows], signs[rows])
        lp.set_row_bounds(rows, lo, hi)
        all_signs.append(signs.copy())
        all_changed.append(rows)
        undo = []
        if not lp.solve().optimal:
            signs[i] = -signs[i]
            undo = [i]
    return FlipSequence(a, b, start, tuple(all_signs), tuple(all_changed))


Replay = Iterator[tuple[float, np.ndarray]]


def run_lpmodel(seq: FlipSequence, backend: Literal["highs", "scipy"], chunk: int) -> Replay:
    """Replay with one :class:`LPModel`, changing only the bounds of the changed rows.

    Yields ``(seconds, feasible)`` for each block of ``chunk`` LPs.
    """
    n = seq.a.shape[1]
    lp = LPModel(seq.a, *row_bounds(seq.b, seq.start), backend=backend)
    lp.set_objective(np.zeros(n))
    b = seq.b
    for first in range(0, len(seq.signs), chunk):
        signs_block = seq.signs[first : first + chunk]
        rows_block = seq.changed[first : first + chunk]
        out = np.empty(len(signs_block), dtype=bool)
        t0 = time.perf_counter()
        for k, (signs, rows) in enumerate(zip(signs_block, rows_block, strict=True)):
            lo, hi = row_bounds(b[rows], signs[rows])
            lp.set_row_bounds(rows, lo, hi)
            out[k] = lp.solve().status == "optimal"
        yield time.perf_counter() - t0, out


def run_linprog(seq: FlipSequence, chunk: int) -> Replay:
    """Replay with :func:`scipy.optimize.linprog`, building every LP from scratch.

    Yields ``(seconds, feasible)`` for each block of ``chunk`` LPs.
    """
    a, b = seq.a, seq.b
    c = np.zeros(a.shape[1])
    for first in range(0, len(seq.signs), chunk):
        signs_block = seq.signs[first : first + chunk]
        out = np.empty(len(signs_block), dtype=bool)
        t0 = time.perf_counter()
        for k, signs in enumerate(signs_block):
            # s_i = +1: a_i x >= b_i, i.e. -a_i x <= -b_i; s_i = -1: a_i x <= b_i
            res = linprog(
                c, A_ub=-signs[:, None] * a, b_ub=-signs * b, bounds=(None, None), method="highs"
            )
            out[k] = res.status == 0
        yield time.perf_counter() - t0, out


def measure(
    replays: dict[str, Callable[[], Replay]], repeat: int
) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """Time several replays of the same sequence, robustly on a shared machine.

    The replays advance block by block in turn, so a change of load hits all of them alike, and
    the whole run is repeated ``repeat`` times from fresh models; each block counts with its
    fastest time. Returns the seconds and the feasibility verdicts (from the first round) of each.
    """
    best: dict[str, np.ndarray] = {}
    verdicts: dict[str, np.ndarray] = {}
    for round_ in range(repeat):
        running = {key: make() for key, make in replays.items()}
        times: dict[str, list[float]] = {key: [] for key in replays}
        parts: dict[str, list[np.ndarray]] = {key: [] for key in replays}
        for blocks in zip(*running.values(), strict=True):
            for key, (dt, out) in zip(running, blocks, strict=True):
                times[key].append(dt)
                parts[key].append(out)
        for key in replays:
            t = np.array(times[key])
            best[key] = t if round_ == 0 else np.minimum(best[key], t)
            if round_ == 0:
                verdicts[key] = np.concatenate(parts[key])
    return {key: float(t.sum()) for key, t in best.items()}, verdicts


def cell_margin(seq: FlipSequence, k: int) -> float:
    """Chebyshev radius of the cell of LP ``k`` (negative: empty; near zero: borderline)."""
    signs = seq.signs[k]
    _, radius = chebyshev_centre(-signs[:, None] * seq.a, -signs * seq.b, radius_cap=1e6)
    return radius


@dataclass(frozen=True, slots=True)
class CaseResult:
    """Rates (LPs per second) of the three solvers on one case, and their disagreements.

    Each disagreement is ``(lp index, feasible by (a), by (b), by (c), cell margin)``.
    """

    case: str
    count: int
    feasible: int
    rates: dict[str, float]
    disagreements: list[tuple[int, bool, bool, bool, float]]


def bench_case(n: int, m: int, count: int, seed: int, repeat: int) -> CaseResult:
    """Run the three solvers on one case and collect rates and disagreements."""
    seq = make_sequence(n, m, count, seed)
    chunk = 50
    seconds, feasible = measure(
        {
            "a": lambda: run_lpmodel(seq, "highs", chunk),
            "b": lambda: run_linprog(seq, chunk),
            "c": lambda: run_lpmodel(seq, "scipy", chunk),
        },
        repeat,
    )
    fa, fb, fc = feasible["a"], feasible["b"], feasible["c"]
    bad = np.flatnonzero((fa != fb) | (fa != fc)).tolist()
    return CaseResult(
        case=f"{n} vars x {m} rows",
        count=count,
        feasible=int(fb.sum()),
        rates={key: count / s for key, s in seconds.items()},
        disagreements=[
            (k, bool(fa[k]), bool(fb[k]), bool(fc[k]), cell_margin(seq, k)) for k in bad
        ],
    )


def print_table(results: list[CaseResult]) -> None:
    """Print the results as a fixed-width table, then any disagreements."""
    header = (
        f"{'case':<20} {'LPs':>6} {'feasible':>9} {'(a) highs LPModel':>18} "
        f"{'(b) linprog':>12} {'(c) scipy LPModel':>18} {'(a)/(b)':>8} {'disagree':>9}"
    )
    print(header)
    print("-" * len(header))
    for res in results:
        r = res.rates
        print(
            f"{res.case:<20} {res.count:>6} {res.feasible:>9} "
            f"{r['a']:>13.0f} LP/s {r['b']:>7.0f} LP/s {r['c']:>13.0f} LP/s "
            f"{r['a'] / r['b']:>7.1f}x {len(res.disagreements):>9}"
        )
    for res in results:
        for k, fa, fb, fc, margin in res.disagreements:
            print(
                f"  {res.case}: LP {k}: feasible (a)={fa} (b)={fb} (c)={fc}; "
                f"cell margin {margin:.3g}"
            )


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, run every case and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="LPs per case (default 2000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the arrangements and walks")
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds; each block of 50 LPs counts its best time"
    )
    args = parser.parse_args(argv)
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"highspy {highspy.Highs().version()}, {platform.machine()}, seed {args.seed}"
    )
    print(
        "flip-style feasibility LPs (zero objective); LPs per second, each block of 50 LPs "
        f"timed at its best of {args.repeat} rounds\n"
    )
    results = [
        bench_case(n, m, args.count, args.seed + k, args.repeat) for k, (n, m) in enumerate(CASES)
    ]
    print_table(results)


if __name__ == "__main__":
    main()
