"""Exact enumeration of the activation cells and linear regions of a ReLU network.

:func:`enumerate_regions` is the one entry point; :func:`count_regions` returns a single count.
Two engines find the cells behind one protocol (:mod:`._engine`) — the search engine
(:mod:`._search`, any input dimension, any domain) and the split engine (:mod:`._split`, 1 to 3
inputs on a box) — and one pipeline (:mod:`._pipeline`) turns cells into certified linear regions.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from neurogeom.core.budget import Budget
from neurogeom.core.domain import Domain, check_domain
from neurogeom.core.errors import Float64RangeError, InvalidInputError, UnsupportedLayerError
from neurogeom.core.lp import LPCounts, lp_counts
from neurogeom.core.progress import progress_bar
from neurogeom.core.tolerances import Tolerances, check_tol
from neurogeom.nets.relu import ReLUNet
from neurogeom.regions._checkpoint import (
    AUTOSAVE_SECONDS,
    fingerprint,
    load_checkpoint,
    save_checkpoint,
)
from neurogeom.regions._engine import EngineRun, RegionProblem
from neurogeom.regions._pipeline import Pipeline, run_pipeline
from neurogeom.regions._search import Searcher, SearchState, Task
from neurogeom.regions.result import RegionResult

if TYPE_CHECKING:
    from concurrent.futures import Executor

__all__ = ["count_regions", "enumerate_regions"]

Method = Literal["auto", "search", "split"]
Kind = Literal["activation", "linear", "linear_point", "bounded"]

#: Largest input dimension for which ``volumes=True`` is accepted.
MAX_VOLUME_DIM = 6


def _check_net(net: Any) -> ReLUNet:
    if not isinstance(net, ReLUNet):
        if type(net).__name__ == "MaxoutNet":
            raise UnsupportedLayerError(
                "enumerate_regions handles ReLU / leaky-ReLU networks, not maxout; count a maxout "
                "network's linear regions through its tropical form: `neurogeom tropical NET "
                "--regions` or neurogeom.tropical.linear_regions(net)"
            )
        if type(net).__name__ == "RationalNet":
            raise UnsupportedLayerError(
                "linear regions are defined for piecewise-linear (ReLU / leaky-ReLU) networks; "
                "a RationalNet computes rational functions (see neurogeom.rational)"
            )
        raise InvalidInputError(f"expected a ReLUNet, got {type(net).__name__}")
    return net


def _choose_method(method: str, net: ReLUNet, domain: Domain, *, checkpoint: Any) -> str:
    if method not in ("auto", "search", "split"):
        raise InvalidInputError(f"method must be 'auto', 'search' or 'split', got {method!r}")
    split_ok = net.n_inputs <= 3 and domain.kind == "box"
    if method == "split" and not split_ok:
        raise InvalidInputError(
            "method='split' needs a box domain (e.g. domain=(-1, 1)) and 1 to 3 inputs; this net "
            f"has {net.n_inputs} inputs and the domain is {domain!r}. Use method='search'."
        )
    if method == "split" and checkpoint is not None:
        raise InvalidInputError("checkpoint is an option of method='search'")
    if method == "auto":
        return "split" if split_ok and checkpoint is None else "search"
    return method


# -- the search engine behind the protocol ------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SearchEngine:
    """The search engine with its options: seed, LP backend, checkpoint file, and where subtrees
    run — ``workers`` local processes, or the workers of a Dask ``client``."""

    seed: int = 0
    lp_backend: str = "highs"
    checkpoint: str | os.PathLike[str] | None = None
    workers: int = 1
    client: Any = None
    name: str = "search"

    @property
    def parallel(self) -> bool:
        """Whether subtrees are farmed out (to local processes or to a Dask cluster)."""
        return self.workers > 1 or self.client is not None

    def find_cells(self, problem: RegionProblem, budget: Budget, progress: bool) -> EngineRun:
        """Run the search (resuming from the checkpoint if there is one)."""
        searcher = Searcher(problem, seed=self.seed, lp_backend=self.lp_backend)
        key = ""
        state = None
        if self.checkpoint is not None:
            key = fingerprint(problem.net, problem.domain, exact=problem.exact, tol=problem.tol)
            state = load_checkpoint(self.checkpoint, key)
        if state is None:
            state = SearchState(pending=[searcher.root()])
        last_save = time.monotonic()

        def save() -> None:
            nonlocal last_save
            if self.checkpoint is not None:
                save_checkpoint(self.checkpoint, state, key)
                last_save = time.monotonic()

        extra = LPCounts()
        with progress_bar(progress, desc="cells", unit="cell") as bar:
            bar.update(len(state.cells))

            def on_node(st: SearchState, new: int) -> None:
                bar.update(new)
                bar.set_postfix(pending=len(st.pending))
                if self.checkpoint is not None and time.monotonic() - last_save > AUTOSAVE_SECONDS:
                    save()

            try:
                if not self.parallel or problem.net.n_layers <= 2 or not state.pending:
                    done = searcher.run(state, budget, on_node)
                else:
                    units = 2 * (self.workers if self.client is None else _n_dask_workers(self))
                    with _executor(self) as pool:
                        done, extra = _run_parallel(searcher, state, budget, pool, units, on_node)
            except KeyboardInterrupt:
                save()
                raise
            cells = [*state.cells, *state.partial]
            if not done or self.checkpoint is not None:
                save()
        return EngineRun(tuple(cells), done, tuple(state.notes.values()), state.nodes, extra)


def _n_dask_workers(engine: SearchEngine) -> int:
    return max(1, len(engine.client.scheduler_info().get("workers", {})))


@contextmanager
def _executor(engine: SearchEngine) -> Iterator[Executor]:
    """Where subtrees run: local processes, or a Dask cluster through its ``concurrent.futures``
    executor (a task whose worker is lost is re-run there by the scheduler)."""
    if engine.client is None:
        # imported here: multiprocessing costs every single-process run (and CLI call) ~13 ms
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=engine.workers) as pool:
            yield pool
        return
    pool = engine.client.get_executor(pure=False)
    try:
        yield pool
    finally:
        pool.shutdown(wait=False)


def _subtree(
    problem: RegionProblem, seed: int, task: Task, time_left: float | None, cap: int | None
) -> tuple[SearchState, bool, LPCounts]:
    """Worker: enumerate everything below one node (rows are rebuilt from the prefix).

    The budget travels as seconds left, not as a deadline: clocks differ between machines.
    """
    before = lp_counts()
    searcher = Searcher(problem, seed=seed)
    state = SearchState(pending=[task])
    done = searcher.run(state, Budget.start(time_limit=time_left, max_items=cap))
    return state, done, lp_counts() - before


def _run_parallel(
    searcher: Searcher,
    state: SearchState,
    budget: Budget,
    pool: Executor,
    units: int,
    on_node: Any,
) -> tuple[bool, LPCounts]:
    """Expand the top of the search serially until there are ``units`` subtrees, then farm them
    out to ``pool``. Subtrees are disjoint (their cells differ in the patterns of the layers
    above), so their cells are merged without double counting. A subtree stays in
    ``state.pending`` until its result is in, so a checkpoint saved meanwhile re-runs it."""
    last = searcher.n_hidden_layers - 1  # nodes at this depth produce final cells
    depth = 0
    while depth < last and len(state.pending) < units:
        depth += 1
        if not searcher.run(state, budget, on_node, stop_depth=depth):
            return False, LPCounts()
    if not state.pending:
        return True, LPCounts()
    from concurrent.futures import FIRST_COMPLETED, wait  # (a serial run never needs them)

    tasks = [Task(t.node) for t in state.pending]  # rows travel as prefixes (small messages)
    state.pending = list(tasks)
    done = True
    extra = LPCounts()
    futures = {
        pool.submit(_subtree, searcher.problem, 0, task, budget.remaining(), budget.max_items): task
        for task in tasks
    }
    try:
        while futures:
            finished, _ = wait(futures, return_when=FIRST_COMPLETED)
            for fut in finished:
                task = futures.pop(fut)
                sub, ok, lps = fut.result()
                state.pending.remove(task)
                state.cells.extend(sub.cells)
                state.add_notes(sub.notes.values())
                state.nodes += sub.nodes
                state.pending.extend(sub.pending)
                extra = extra + lps
                done &= ok
                on_node(state, len(sub.cells))
            if not budget.allows(len(state.cells)) or budget.expired():
                done = False
                break
    finally:
        for fut in futures:  # what is still running is left pending (and in the checkpoint)
            fut.cancel()
    return done and not state.pending, extra


def _check_parallel(workers: Any, client: Any) -> None:
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InvalidInputError(f"workers must be a positive integer, got {workers!r}")
    if client is not None:
        if workers > 1:
            raise InvalidInputError(
                "pass workers (local processes) or client (a Dask cluster), not both"
            )
        if not callable(getattr(client, "get_executor", None)):
            raise InvalidInputError(
                f"client must be a dask.distributed.Client, got {type(client).__name__}"
            )


def _warn_parallel(workers: int, client: Any, method: str, net: ReLUNet) -> None:
    if workers <= 1 and client is None:
        return
    what = f"workers={workers}" if client is None else "client"
    if method == "split":
        warnings.warn(
            f"{what} has no effect: the split engine (chosen for this box) runs in one process "
            "and is faster than a parallel search here; pass method='search' to search in "
            "parallel",
            RuntimeWarning,
            stacklevel=3,
        )
    elif net.n_layers <= 2:
        warnings.warn(
            f"{what} has no effect: a net with one hidden layer is one arrangement, searched "
            "in one process",
            RuntimeWarning,
            stacklevel=3,
        )


def enumerate_regions(
    net: ReLUNet,
    *,
    domain: Any = None,
    exact: bool = False,
    method: Method = "auto",
    tol: float | Tolerances | None = None,
    seed: int = 0,
    max_regions: int | None = None,
    time_limit: float | None = None,
    checkpoint: str | os.PathLike[str] | None = None,
    workers: int = 1,
    client: Any = None,
    volumes: bool = False,
    point_connected: bool = True,
    progress: bool = True,
) -> RegionResult:
    """Enumerate the activation cells and linear regions of a ReLU network.

    Parameters
    ----------
    net : ReLUNet
        A ReLU or leaky-ReLU network.
    domain : None, Domain, (lower, upper) or (A, b)
        All of ``R^n`` (default; unbounded cells included), a box, or a polytope ``A x <= b``.
    exact : bool
        Certify every counted cell by a rational interior point satisfying its strict
        inequalities exactly, verify every merge exactly and compare affine maps exactly. The
        network's exact weights are used (for a network read from a JSON file, the literals
        written there).
    method : {"auto", "search", "split"}
        ``"search"``: walks with warm-started LPs, any dimension and domain. ``"split"``: vertex
        lists split neuron by neuron, input dimension 1 to 3 on a box. ``"auto"`` takes split
        where it applies (and no checkpoint is asked for). Both give the same counts.
    tol : float or Tolerances, optional
        Relative tolerance of float decisions (default
        :data:`~neurogeom.core.tolerances.DEFAULT_TOL`), multiplied by the problem's scale;
        decisions within the tolerance band are reported in ``uncertified``.
    seed : int
        Seeds the perturbation of start points that fall on a hyperplane.
    max_regions : int, optional
        Stop after this many activation cells; the result is marked incomplete.
    time_limit : float, optional
        Seconds for the whole computation (cells, adjacency, merging, volumes); phases cut short
        are listed in ``stats.incomplete_phases`` and the result is marked incomplete.
    checkpoint : path, optional
        A file where the search saves its state (every 30 s, on interruption including Ctrl-C,
        at the end); an existing checkpoint for the same problem is resumed.
    workers : int
        Processes for the search: subtrees below the first hidden layers run in parallel. It
        applies to the search engine on nets with two or more hidden layers (a warning says when
        it does not).
    client : dask.distributed.Client, optional
        Run the subtrees on a Dask cluster instead (the optional extra ``distributed``). The
        search's top layers are expanded here, each subtree below them is one task, and the
        cells come back here, where progress and the checkpoint live: a lost worker loses
        nothing (the scheduler re-runs its task), and an interrupted run resumes from the
        checkpoint. The same conditions as for ``workers`` apply.
    volumes : bool
        Compute the volumes (exact in exact mode) and, in 2-D, the polygons of bounded cells and
        regions, up to input dimension 6 (vertex enumeration grows quickly with the dimension).
        Off by default: volumes cost far more than counting, except on 2-input boxes in float
        mode, where the planar engine measures every cell as it builds it (volumes are then
        always filled in; exact areas it computes only when asked).
    point_connected : bool
        Also compute the point-connected count (LPs between same-map regions); without it
        ``linear_regions_point_connected`` is ``None``.
    progress : bool
        Show progress bars on stderr.

    Returns
    -------
    RegionResult

    Raises
    ------
    InvalidInputError
        Bad domain, method or budget.
    UnsupportedLayerError
        For a :class:`~neurogeom.nets.RationalNet`.

    Notes
    -----
    Definitions: see :mod:`neurogeom.regions.result`. Lower-dimensional cells are never counted.
    A neuron whose pre-activation vanishes identically on a cell is inactive there. Cost: the
    search engine solves about one LP per (cell, candidate hyperplane) of each layer, far fewer
    when the foot-of-perpendicular and ray tests certify facets, plus one LP per candidate
    adjacency that the foot test cannot confirm.

    References
    ----------
    Lezeau, Walker, Cao, Bhatia, Monod, *Tropical Expressivity of Neural Networks*,
    arXiv 2405.20174; Zhang, Naitzat, Lim, arXiv 1805.07091.

    Examples
    --------
    ``max(x, y) = relu(x - y) + relu(y) - relu(-y)`` has 4 activation cells but 2 linear regions:

    >>> from neurogeom import ReLUNet
    >>> net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])
    >>> res = enumerate_regions(net, exact=True, progress=False)
    >>> res.activation_regions, res.linear_regions, res.bounded_regions
    (4, 2, 0)
    >>> sorted(r.matrix for r in res.regions)
    [((Fraction(0, 1), Fraction(1, 1)),), ((Fraction(1, 1), Fraction(0, 1)),)]

    On a box, with volumes:

    >>> res = enumerate_regions(net, domain=(-1, 1), exact=True, volumes=True, progress=False)
    >>> [r.volume for r in res.regions]
    [Fraction(2, 1), Fraction(2, 1)]
    """
    net = _check_net(net)
    budget = Budget.start(time_limit=time_limit, max_items=max_regions)
    tolerances = check_tol(tol)
    domain = check_domain(domain, net.n_inputs)
    _check_parallel(workers, client)
    if volumes and net.n_inputs > MAX_VOLUME_DIM:
        raise InvalidInputError(
            f"volumes are computed up to input dimension {MAX_VOLUME_DIM}; this net has "
            f"{net.n_inputs} inputs"
        )
    try:
        work = net.to_exact() if exact else net.to_float()
        problem_net = work.to_float()  # the cell search solves float64 LPs in both modes
    except Float64RangeError as exc:
        raise Float64RangeError(
            f"{exc}; the cell search solves float64 LPs even in exact mode, so this "
            "network's regions cannot be enumerated (scale its weights down)",
            entry=exc.entry,
        ) from None
    del problem_net
    chosen = _choose_method(method, work, domain, checkpoint=checkpoint)
    _warn_parallel(workers, client, chosen, work)
    problem = RegionProblem.build(work, domain, tolerances, volumes=bool(volumes))
    if chosen == "search":
        engine: Any = SearchEngine(seed=seed, checkpoint=checkpoint, workers=workers, client=client)
    elif work.n_inputs == 2 and max_regions is None:
        from neurogeom.regions._planar import PlanarEngine  # imported by the runs that use it

        engine = PlanarEngine()  # with max_regions the split engine finishes cells one by one
    else:
        from neurogeom.regions._split import SplitEngine

        engine = SplitEngine()
    pipe = Pipeline(problem, budget, progress)
    lps_before = lp_counts()
    started = time.monotonic()
    run = engine.find_cells(problem, budget, progress)
    pipe.phase("cells", time.monotonic() - started, run.complete)
    return run_pipeline(
        pipe,
        chosen,
        run,
        volumes=bool(volumes),
        point_connected=point_connected,
        lps_before=lps_before,
    )


def count_regions(net: ReLUNet, kind: Kind = "linear", **options: Any) -> int:
    """One count of :func:`enumerate_regions`, naming the definition it uses.

    Parameters
    ----------
    net : ReLUNet
    kind : {"activation", "linear", "linear_point", "bounded"}
        Activation cells, facet-connected linear regions, point-connected linear regions, or
        bounded facet-connected linear regions.
    **options
        Passed to :func:`enumerate_regions` (``domain``, ``exact``, ...).

    Examples
    --------
    ``relu(2x) + relu(3y) - relu(2x + 3y)``: the zero map holds on two opposite sectors that
    touch only at the origin.

    >>> from neurogeom import ReLUNet
    >>> net = ReLUNet([[[2, 0], [0, 3], [2, 3]], [[1, 1, -1]]])
    >>> [count_regions(net, k, exact=True, progress=False) for k in ("activation", "linear",
    ...                                                               "linear_point")]
    [6, 6, 5]
    """
    keys = {
        "activation": "activation_regions",
        "linear": "linear_regions",
        "linear_point": "linear_regions_point_connected",
        "bounded": "bounded_regions",
    }
    if kind not in keys:
        raise InvalidInputError(f"kind must be one of {sorted(keys)}, got {kind!r}")
    options.setdefault("progress", False)
    if kind != "linear_point":
        options.setdefault("point_connected", False)
    if kind != "bounded":
        options.setdefault("volumes", False)
    return enumerate_regions(net, **options).counts()[keys[kind]]
