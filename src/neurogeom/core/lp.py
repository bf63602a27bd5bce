"""A linear program kept alive between solves (HiGHS), with a SciPy fallback.

Region enumeration solves thousands of tiny LPs that differ only in a few row bounds and the
objective: flip the side of a hyperplane, relax one row, ask for a Chebyshev centre. Rebuilding
the model each time (as ``scipy.optimize.linprog`` does) costs far more than the solve. An
:class:`LPModel` builds one HiGHS model with presolve off, and every change is a bound or cost
update, so each solve warm-starts from the previous optimal basis.

The model is ``minimise c·x`` subject to ``row_lower <= A x <= row_upper`` and
``col_lower <= x <= col_upper``, with ``±inf`` for absent bounds.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from neurogeom.core.errors import InvalidInputError, NumericalError
from neurogeom.core.tolerances import normalize_rows

__all__ = [
    "LPCounts",
    "LPModel",
    "LPResult",
    "chebyshev_centre",
    "count_lp",
    "exact_stiemke",
    "is_bounded",
    "lp_counts",
    "new_highs",
    "recession_direction",
    "stiemke_multipliers",
]


@dataclass(frozen=True, slots=True)
class LPCounts:
    """Numbers of linear programs solved, by backend.

    ``highs``: solves of a warm-started HiGHS model (:class:`LPModel`); ``scipy``: solves by
    :func:`scipy.optimize.linprog` (fallbacks and baselines); ``exact``: runs of the exact simplex
    (:mod:`neurogeom.core.exact_lp`). Differences of :func:`lp_counts` snapshots count the LPs of
    a computation.

    Examples
    --------
    >>> LPCounts(3, 1, 0) - LPCounts(1, 0, 0)
    LPCounts(highs=2, scipy=1, exact=0)
    >>> LPCounts(3, 1, 2).total
    6
    """

    highs: int = 0
    scipy: int = 0
    exact: int = 0

    @property
    def total(self) -> int:
        """All LPs."""
        return self.highs + self.scipy + self.exact

    def __add__(self, other: LPCounts) -> LPCounts:
        return LPCounts(
            self.highs + other.highs, self.scipy + other.scipy, self.exact + other.exact
        )

    def __sub__(self, other: LPCounts) -> LPCounts:
        return LPCounts(
            self.highs - other.highs, self.scipy - other.scipy, self.exact - other.exact
        )

    def to_dict(self) -> dict[str, int]:
        """JSON-ready form, with the total."""
        return {"total": self.total, "highs": self.highs, "scipy": self.scipy, "exact": self.exact}


#: Process-wide LP counters, by backend (see :func:`lp_counts`).
_COUNTS = {"highs": 0, "scipy": 0, "exact": 0}


def count_lp(backend: Literal["highs", "scipy", "exact"], n: int = 1) -> None:
    """Record ``n`` solves by ``backend`` (every LP solver in neurogeom calls this)."""
    _COUNTS[backend] += n


def lp_counts() -> LPCounts:
    """A snapshot of the LPs solved so far in this process.

    Examples
    --------
    >>> before = lp_counts()
    >>> _ = LPModel([[1.0]], [0.0], [1.0]).solve([1.0])
    >>> (lp_counts() - before).highs
    1
    """
    return LPCounts(_COUNTS["highs"], _COUNTS["scipy"], _COUNTS["exact"])


#: Process in which the HiGHS start-up banner has been swallowed (see :func:`new_highs`).
_SILENCED_IN_PID: int | None = None


@contextlib.contextmanager
def _stdout_to_devnull() -> Iterator[None]:
    """Point file descriptor 1 at ``/dev/null`` for the duration of the block.

    HiGHS writes its banner from C++ straight to the process's standard output, so redirecting
    ``sys.stdout`` is not enough. C stdio buffers are flushed before the descriptor is restored,
    so nothing written inside the block can surface later.
    """
    with contextlib.suppress(AttributeError, ValueError, OSError):  # closed or replaced stdout
        sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no descriptor 1 at all: nothing can be printed there
        yield
        return
    libc = None
    with contextlib.suppress(OSError):
        libc = ctypes.CDLL(None)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
        finally:
            os.close(devnull)
        yield
    finally:
        if libc is not None:
            libc.fflush(None)
        os.dup2(saved, 1)
        os.close(saved)


def new_highs() -> Any:
    """A silent ``highspy.Highs`` instance: logging off, and no banner on standard output.

    Since highspy 1.16 the first ``Highs()`` of a process prints a copyright banner on standard
    output whatever ``output_flag`` says afterwards (older releases print it at the first solve
    unless logging is switched off first). This is the one place neurogeom creates HiGHS models:
    the first one in each process (workers included) is created, configured and run once with
    standard output pointed at ``/dev/null``; later ones are created directly.

    Examples
    --------
    >>> type(new_highs()).__name__
    'Highs'
    """
    import highspy

    global _SILENCED_IN_PID, _THREADS
    if os.getpid() != _SILENCED_IN_PID:
        with _stdout_to_devnull():
            # releases before 1.16 print the banner at the first run of a process instead
            probe = highspy.Highs()
            probe.setOptionValue("output_flag", False)
            probe.run()
            _THREADS = _scheduler_threads(probe)
            _SILENCED_IN_PID = os.getpid()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if _THREADS:
        h.setOptionValue("threads", _THREADS)
    return h


#: Emptied HiGHS instances of collected :class:`LPModel` objects, with the process they belong
#: to. Creating and configuring a ``Highs`` object costs ~45 us and emptying one under 1 us; a
#: region search builds a model per node and per walk, tens of thousands on larger nets.
_FREE_HIGHS: list[Any] = []
_FREE_HIGHS_PID: int | None = None
#: Most instances kept for reuse.
_MAX_FREE_HIGHS = 16


def _reused_highs() -> Any:
    """An emptied, configured HiGHS instance of this process, or ``None`` when none is free."""
    global _FREE_HIGHS_PID
    if os.getpid() != _FREE_HIGHS_PID:  # a forked worker does not use its parent's objects
        _FREE_HIGHS.clear()
        _FREE_HIGHS_PID = os.getpid()
    try:
        return _FREE_HIGHS.pop()
    except IndexError:
        return None


def _release_highs(h: Any) -> None:
    """Empty ``h`` (model, basis and solution; the options stay) and keep it for reuse."""
    try:
        if os.getpid() == _FREE_HIGHS_PID and len(_FREE_HIGHS) < _MAX_FREE_HIGHS:
            h.clearModel()
            _FREE_HIGHS.append(h)
    except Exception:  # at interpreter shutdown the module may be half gone
        pass


#: Worker count of HiGHS's process-wide task scheduler, found by :func:`_scheduler_threads`.
_THREADS = 0


def _scheduler_threads(probe: Any) -> int:
    """The worker count of the HiGHS scheduler this process already runs (0: not found).

    Every ``Highs.run`` (highspy 1.16) with ``threads`` at its default 0 looks up the machine's
    physical cores in ``/sys`` twice (five file reads each, about 30 us of system time per read
    on these machines), once with ``threads`` set. The scheduler is process-wide and fixed at
    its first run, and a run that names a different count fails, so the count named must be the
    one the scheduler has: the probe, run once already, tries each candidate until a run
    succeeds (a failing run stops at once). A count not found leaves ``threads`` at 0, HiGHS's
    default.
    """
    import highspy

    ok = highspy.HighsStatus.kOk
    for threads in range(1, max(64, 2 * (os.cpu_count() or 1)) + 1):
        probe.setOptionValue("threads", threads)
        if probe.run() == ok:
            return threads
    probe.setOptionValue("threads", 0)
    return 0


Status = Literal["optimal", "infeasible", "unbounded", "failed"]


@dataclass(frozen=True, slots=True, eq=False)
class LPResult:
    """Outcome of one solve.

    Attributes
    ----------
    status : {"optimal", "infeasible", "unbounded", "failed"}
    x : ndarray or None
        An optimal point when ``status == "optimal"``.
    value : float or None
        The optimal objective value (in the sense asked: maximised if ``maximize=True``).
    """

    status: Status
    x: np.ndarray | None
    value: float | None

    @property
    def optimal(self) -> bool:
        """Whether an optimum was found."""
        return self.status == "optimal"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "status": self.status,
            "x": None if self.x is None else self.x.tolist(),
            "value": self.value,
        }


#: Scalar types that the single-entry path of :class:`LPModel`'s setters takes for an index and
#: for a bound or coefficient (``bool`` is an ``int``, as it is for the array path).
_INDEX_TYPES = (int, np.integer)
_REAL_TYPES = (int, float, np.integer, np.floating)


def _as_bounds(values: Any, size: int, default: float, what: str) -> np.ndarray:
    if values is None:
        return np.full(size, default)
    arr = np.asarray(values, dtype=np.float64).reshape(-1)
    if arr.size == 1:
        arr = np.full(size, arr[0])
    if arr.size != size:
        raise InvalidInputError(f"{what} has length {arr.size}, expected {size}")
    if np.isnan(arr).any():
        raise InvalidInputError(f"{what} contains NaN")
    return arr.copy()


class LPModel:
    """A warm-started linear program whose bounds and objective can change between solves.

    Parameters
    ----------
    a : array-like, shape (m, n)
        Constraint matrix (dense; kept as given).
    row_lower, row_upper : array-like, shape (m,), optional
        Row bounds (``-inf`` / ``inf`` when omitted).
    col_lower, col_upper : array-like, shape (n,), optional
        Variable bounds (free when omitted).
    backend : {"highs", "scipy"}
        ``"highs"`` keeps one model alive (fast); ``"scipy"`` rebuilds a
        :func:`scipy.optimize.linprog` problem on every solve (a fallback and a baseline).

    Examples
    --------
    The square ``|x|, |y| <= 1`` cut by ``x + y <= 1``; maximise ``x + y``, then move the cut
    to the other side, ``x + y >= 3``, which misses the square.

    >>> a = [[1, 0], [0, 1], [1, 1]]
    >>> lp = LPModel(a, [-1, -1, -np.inf], [1, 1, 1])
    >>> res = lp.solve([1, 1], maximize=True)
    >>> res.status, res.value
    ('optimal', 1.0)
    >>> lp.set_row_bounds([2], [3], [np.inf])
    >>> lp.solve().status
    'infeasible'
    """

    def __init__(
        self,
        a: Any,
        row_lower: Any = None,
        row_upper: Any = None,
        *,
        col_lower: Any = None,
        col_upper: Any = None,
        backend: Literal["highs", "scipy"] = "highs",
    ) -> None:
        mat = np.array(a, dtype=np.float64)  # a private copy: set_coefficients edits it
        if mat.ndim != 2:
            raise InvalidInputError(f"the constraint matrix must be 2-D, got shape {mat.shape}")
        if not np.isfinite(mat).all():
            raise InvalidInputError("the constraint matrix contains NaN or inf")
        if backend not in ("highs", "scipy"):
            raise InvalidInputError(f"backend must be 'highs' or 'scipy', got {backend!r}")
        m, n = mat.shape
        self._a = mat
        self._row_lo = _as_bounds(row_lower, m, -np.inf, "row_lower")
        self._row_hi = _as_bounds(row_upper, m, np.inf, "row_upper")
        self._col_lo = _as_bounds(col_lower, n, -np.inf, "col_lower")
        self._col_hi = _as_bounds(col_upper, n, np.inf, "col_upper")
        self._cost = np.zeros(n)
        self._maximize = False
        self._backend = backend
        self.n_solves = 0
        self._h = None
        if backend == "highs":
            self._build_highs()

    def _build_highs(self) -> None:
        import highspy

        h = _reused_highs()
        if h is None:
            h = self._configured_highs()
        m, n = self._a.shape
        inf = highspy.kHighsInf
        h.addVars(n, np.maximum(self._col_lo, -inf), np.minimum(self._col_hi, inf))
        if m:
            # column-wise storage is what HiGHS keeps internally; give it row-wise via addRows
            nz = self._a != 0
            starts = np.concatenate([[0], np.cumsum(nz.sum(axis=1))[:-1]]).astype(np.int32)
            cols = np.nonzero(nz)[1].astype(np.int32)
            vals = self._a[nz]
            h.addRows(
                m,
                np.maximum(self._row_lo, -inf),
                np.minimum(self._row_hi, inf),
                len(vals),
                starts,
                cols,
                vals,
            )
        self._h = h
        self._inf = inf
        self._all_cols = np.arange(n, dtype=np.int32)
        self._status_map = {
            highspy.HighsModelStatus.kOptimal: "optimal",
            highspy.HighsModelStatus.kInfeasible: "infeasible",
            highspy.HighsModelStatus.kUnbounded: "unbounded",
        }
        self._unb_or_inf = highspy.HighsModelStatus.kUnboundedOrInfeasible
        self._obj_sense = (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize)

    @staticmethod
    def _configured_highs() -> Any:
        """A new silent HiGHS instance with the options every :class:`LPModel` uses."""
        h = new_highs()
        h.setOptionValue("presolve", "off")
        h.setOptionValue("solver", "simplex")
        # objectives change far more often than feasibility: primal simplex keeps the basis
        # feasible across cost changes (measured ~1.3x faster than the default on region walks).
        # Rows are normalised by the callers in neurogeom, so HiGHS's own scaling only costs
        # time (1.5x) and provoked solve errors on duplicated rows.
        h.setOptionValue("simplex_strategy", 4)
        h.setOptionValue("simplex_scale_strategy", 0)
        # decisions are made at relative tolerances around 1e-9: the default feasibility
        # tolerances (1e-7) would let slightly infeasible cells through
        h.setOptionValue("primal_feasibility_tolerance", 1e-10)
        h.setOptionValue("dual_feasibility_tolerance", 1e-10)
        return h

    def __del__(self) -> None:
        # hand the instance on: a finished model's HiGHS object, emptied, serves the next one
        h = getattr(self, "_h", None)
        if h is not None:
            _release_highs(h)

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_rows, n_cols)``."""
        return self._a.shape

    @property
    def matrix(self) -> np.ndarray:
        """The constraint matrix (read-only view)."""
        view = self._a.view()
        view.flags.writeable = False
        return view

    @staticmethod
    def _bounds(idx: np.ndarray, lower: Any, upper: Any) -> tuple[np.ndarray, np.ndarray]:
        lo = np.asarray(lower, dtype=np.float64).reshape(-1)
        hi = np.asarray(upper, dtype=np.float64).reshape(-1)
        if lo.size == 1 and idx.size != 1:
            lo = np.full(idx.size, lo[0])
        if hi.size == 1 and idx.size != 1:
            hi = np.full(idx.size, hi[0])
        if lo.size != idx.size or hi.size != idx.size:
            raise InvalidInputError(
                f"got {idx.size} indices but {lo.size} lower and {hi.size} upper bounds"
            )
        if np.isnan(lo).any() or np.isnan(hi).any():
            raise InvalidInputError("bounds contain NaN")
        return lo, hi

    @staticmethod
    def _indices(values: Any, size: int, what: str) -> np.ndarray:
        idx = np.asarray(values, dtype=np.int64).reshape(-1)
        if idx.size and (idx.min() < 0 or idx.max() >= size):
            bad = int(idx[(idx < 0) | (idx >= size)][0])
            raise InvalidInputError(f"{what} index {bad} is out of range 0..{size - 1}")
        return idx.astype(np.int32)

    @staticmethod
    def _index(value: Any, size: int, what: str) -> int:
        """One index given as a scalar, checked as :meth:`_indices` checks arrays."""
        i = int(value)
        if not 0 <= i < size:
            raise InvalidInputError(f"{what} index {i} is out of range 0..{size - 1}")
        return i

    def _set_bounds(
        self, what: Literal["row", "column"], indices: Any, lower: Any, upper: Any
    ) -> None:
        """Record new row or column bounds and pass them on to the live HiGHS model.

        One index given as an integer with scalar bounds takes a path without arrays (the
        setters are called tens of thousands of times per enumeration, mostly for one row); it
        checks the same things and raises the same errors as the array path.
        """
        rows = what == "row"
        size = self._a.shape[0 if rows else 1]
        lo_now, hi_now = (self._row_lo, self._row_hi) if rows else (self._col_lo, self._col_hi)
        h = self._h
        if (
            isinstance(indices, _INDEX_TYPES)
            and isinstance(lower, _REAL_TYPES)
            and isinstance(upper, _REAL_TYPES)
        ):
            i = self._index(indices, size, what)
            lo, hi = float(lower), float(upper)
            if math.isnan(lo) or math.isnan(hi):
                raise InvalidInputError("bounds contain NaN")
            lo_now[i] = lo
            hi_now[i] = hi
            if h is not None:
                change = h.changeRowBounds if rows else h.changeColBounds
                change(i, max(lo, -self._inf), min(hi, self._inf))
            return
        idx = self._indices(indices, size, what)
        los, his = self._bounds(idx, lower, upper)
        lo_now[idx] = los
        hi_now[idx] = his
        if h is None or not idx.size:
            return
        los, his = np.maximum(los, -self._inf), np.minimum(his, self._inf)
        if idx.size == 1:
            change = h.changeRowBounds if rows else h.changeColBounds
            change(int(idx[0]), float(los[0]), float(his[0]))
        elif not rows:
            h.changeColsBounds(idx.size, idx, los, his)
        elif hasattr(h, "changeRowsBounds"):
            h.changeRowsBounds(idx.size, idx, los, his)
        else:  # highspy < 1.13 has no batch call for row bounds (it has one for columns)
            for r, row_lo, row_hi in zip(idx.tolist(), los.tolist(), his.tolist(), strict=True):
                h.changeRowBounds(r, row_lo, row_hi)

    def set_row_bounds(self, rows: Any, lower: Any, upper: Any) -> None:
        """Change the bounds of some rows (the matrix stays; the basis is kept).

        ``rows`` is an index or an array of them; ``lower`` and ``upper`` match it or are
        scalars. One row with scalar bounds (``lp.set_row_bounds(3, 0.0, np.inf)``) is the
        quick form.
        """
        self._set_bounds("row", rows, lower, upper)

    def set_col_bounds(self, cols: Any, lower: Any, upper: Any) -> None:
        """Change the bounds of some variables (one with scalar bounds is the quick form)."""
        self._set_bounds("column", cols, lower, upper)

    def set_coefficients(self, rows: Any, col: int, values: Any) -> None:
        """Change the entries ``A[rows, col]`` (e.g. the radius column of a Chebyshev LP).

        One row with a scalar value is the quick form, as for :meth:`set_row_bounds`.
        """
        m, n = self._a.shape
        if isinstance(rows, _INDEX_TYPES) and isinstance(values, _REAL_TYPES):
            i = self._index(rows, m, "row")
            if not 0 <= col < n:
                raise InvalidInputError(f"column index {col} is out of range 0..{n - 1}")
            value = float(values)
            if not math.isfinite(value):
                raise InvalidInputError("coefficients must be finite")
            self._a[i, col] = value
            if self._h is not None:
                self._h.changeCoeff(i, col, value)
            return
        idx = self._indices(rows, m, "row")
        if not 0 <= col < n:
            raise InvalidInputError(f"column index {col} is out of range 0..{n - 1}")
        vals = np.broadcast_to(np.asarray(values, dtype=np.float64), idx.shape)
        if not np.isfinite(vals).all():
            raise InvalidInputError("coefficients must be finite")
        self._a[idx, col] = vals
        if self._h is not None:
            for r, v in zip(idx.tolist(), vals.tolist(), strict=True):
                self._h.changeCoeff(r, col, v)

    def set_objective(self, cost: Any, *, maximize: bool = False) -> None:
        """Set the objective vector and its sense."""
        c = np.asarray(cost, dtype=np.float64)
        if c.shape != (self._a.shape[1],):
            raise InvalidInputError(
                f"objective must have length {self._a.shape[1]}, got shape {c.shape}"
            )
        if not np.isfinite(c).all():
            raise InvalidInputError("objective contains NaN or inf")
        self._cost = c.copy()
        if self._h is not None:
            self._h.changeColsCost(len(c), self._all_cols, c)
            if maximize != self._maximize:
                self._h.changeObjectiveSense(self._obj_sense[int(maximize)])
        self._maximize = maximize

    def solve(self, cost: Any = None, *, maximize: bool | None = None) -> LPResult:
        """Solve, optionally with a new objective (``None`` keeps the current one).

        ``maximize`` defaults to minimising with a new objective and to the current sense
        without one. A zero objective is a pure feasibility test.
        """
        if cost is not None:
            self.set_objective(cost, maximize=bool(maximize))
        elif maximize is not None and maximize != self._maximize:
            self.set_objective(self._cost, maximize=maximize)
        self.n_solves += 1
        if self._h is None:
            return self._solve_scipy()
        h = self._h
        count_lp("highs")
        h.run()
        status = h.getModelStatus()
        if status == self._unb_or_inf:
            # decide which by a feasibility run with a zero objective
            saved, sense = self._cost, self._maximize
            self.set_objective(np.zeros_like(saved))
            count_lp("highs")
            h.run()
            feasible = h.getModelStatus() == next(
                k for k, v in self._status_map.items() if v == "optimal"
            )
            self.set_objective(saved, maximize=sense)
            return LPResult("unbounded" if feasible else "infeasible", None, None)
        name = self._status_map.get(status)
        if name is None:
            # a numerical hiccup: retry once from scratch, then let SciPy (presolve on) decide
            h.clearSolver()
            count_lp("highs")
            h.run()
            name = self._status_map.get(h.getModelStatus())
            if name is None:
                return self._solve_scipy()
        if name != "optimal":
            return LPResult(name, None, None)
        x = np.asarray(h.getSolution().col_value, dtype=np.float64)
        return LPResult("optimal", x, float(self._cost @ x))

    def row_duals(self) -> np.ndarray | None:
        """Row duals of the last optimal solve (HiGHS only; ``None`` otherwise).

        A row with a zero dual is not used by the optimality certificate: changing its bounds
        alone cannot change the optimal value.
        """
        if self._h is None:
            return None
        sol = self._h.getSolution()
        if not sol.dual_valid:
            return None
        return np.asarray(sol.row_dual, dtype=np.float64)

    def _solve_scipy(self) -> LPResult:
        from scipy.optimize import linprog

        a, lo, hi = self._a, self._row_lo, self._row_hi
        up, dn = np.isfinite(hi), np.isfinite(lo)
        eq = up & dn & (lo == hi)
        up &= ~eq
        dn &= ~eq
        a_ub = np.concatenate([a[up], -a[dn]])
        b_ub = np.concatenate([hi[up], -lo[dn]])
        c = -self._cost if self._maximize else self._cost
        bounds = list(
            zip(
                np.where(np.isfinite(self._col_lo), self._col_lo, None),
                np.where(np.isfinite(self._col_hi), self._col_hi, None),
                strict=True,
            )
        )
        for method in ("highs", "highs-ipm"):  # the interior point method as a second opinion
            count_lp("scipy")
            res = linprog(
                c,
                A_ub=a_ub if len(a_ub) else None,
                b_ub=b_ub if len(b_ub) else None,
                A_eq=a[eq] if eq.any() else None,
                b_eq=hi[eq] if eq.any() else None,
                bounds=bounds,
                method=method,
            )
            if res.status in (0, 2, 3):
                break
        if res.status == 0:
            value = float(-res.fun if self._maximize else res.fun)
            return LPResult("optimal", np.asarray(res.x, dtype=np.float64), value)
        return LPResult({2: "infeasible", 3: "unbounded"}.get(res.status, "failed"), None, None)


def chebyshev_centre(
    a: Any, b: Any, *, radius_cap: float = 1.0, backend: Literal["highs", "scipy"] = "highs"
) -> tuple[np.ndarray, float]:
    """Centre and radius of the largest ball inside ``{x : a x <= b}`` (radius capped).

    Rows are normalised first, so the radius is a Euclidean distance. Unbounded polyhedra have
    arbitrarily large balls; the cap keeps the LP bounded.

    Returns
    -------
    (centre, radius)
        ``radius <= 0`` means the polyhedron has no interior.

    Raises
    ------
    NumericalError
        If the LP solver fails.

    Examples
    --------
    >>> c, r = chebyshev_centre([[1, 0], [-1, 0], [0, 1], [0, -1]], [1, 1, 2, 2], radius_cap=10)
    >>> float(abs(c[0])) < 1e-9, r
    (True, 1.0)
    """
    mat = np.asarray(a, dtype=np.float64)
    rhs = np.asarray(b, dtype=np.float64).reshape(-1)
    if mat.ndim != 2 or rhs.shape[0] != mat.shape[0]:
        raise InvalidInputError(
            f"chebyshev_centre needs a (m, n) matrix and a length-m vector, got {mat.shape} and "
            f"{rhs.shape}"
        )
    if not (np.isfinite(mat).all() and not np.isnan(rhs).any()):
        raise InvalidInputError("chebyshev_centre: the inequalities contain NaN or inf")
    unit, scaled, norms = normalize_rows(mat, rhs)
    keep = norms > 0
    if (rhs[~keep] < 0).any():
        return np.zeros(mat.shape[1]), -np.inf
    mat, rhs = unit[keep], scaled[keep]
    ext = np.hstack([mat, np.ones((len(mat), 1))])
    n = mat.shape[1]
    lp = LPModel(
        ext,
        None,
        rhs,
        col_lower=[*[-np.inf] * n, -np.inf],
        col_upper=[*[np.inf] * n, radius_cap],
        backend=backend,
    )
    cost = np.zeros(n + 1)
    cost[-1] = 1
    res = lp.solve(cost, maximize=True)
    if res.status == "infeasible":
        return np.zeros(n), -np.inf
    if not res.optimal:
        raise NumericalError(f"the Chebyshev-centre LP failed ({res.status}); try exact=True")
    return res.x[:n], float(res.x[n])


def is_bounded(a: Any) -> bool:
    """Whether a non-empty polyhedron ``{x : a x <= b}`` is bounded (``b`` does not matter).

    Bounded iff the recession cone ``{d : a d <= 0}`` is ``{0}``, i.e. iff ``a`` has full
    column rank and ``a^T y = 0`` has a solution ``y >= 1`` (Stiemke's alternative). The rank is
    exact for an object array of rationals; the LP runs in float64 on unit rows.

    Examples
    --------
    >>> is_bounded(np.array([[1.0, 0], [-1, 0], [0, 1], [0, -1]]))
    True
    >>> is_bounded(np.array([[1.0, 0], [0, 1]]))
    False
    """
    return stiemke_multipliers(a) is not None


def stiemke_multipliers(a: Any) -> np.ndarray | None:
    """Float multipliers ``y > 0`` with ``a^T y = 0`` (up to rounding) for the rows of ``a`` as
    given, when ``a`` has full column rank and the float LP finds them; ``None`` otherwise.

    They prove ``{x : a x <= b}`` bounded (:func:`is_bounded`); exact callers round them to
    rationals and certify them (the rank is already exact for an object array).

    Examples
    --------
    >>> stiemke_multipliers(np.array([[2.0], [-1.0]])).round(6).tolist()
    [0.5, 1.0]
    >>> stiemke_multipliers(np.array([[1.0], [1.0]])) is None
    True
    """
    mat = np.asarray(a)
    if mat.ndim != 2:
        raise InvalidInputError(f"is_bounded needs a matrix, got shape {mat.shape}")
    if mat.shape[0] <= mat.shape[1]:
        return None
    if mat.dtype == object:
        from neurogeom.core.rationals import exact_rank

        if exact_rank(mat) < mat.shape[1]:
            return None
        mat = mat.astype(float)
    elif np.linalg.matrix_rank(mat) < mat.shape[1]:
        return None
    norms = np.linalg.norm(mat, axis=1)
    norms = np.where(norms > 0, norms, 1)
    lp = LPModel(
        (mat / norms[:, None]).T,
        np.zeros(mat.shape[1]),
        np.zeros(mat.shape[1]),
        col_lower=np.ones(mat.shape[0]),
    )
    res = lp.solve()
    return res.x / norms if res.status == "optimal" else None


def exact_stiemke(rows: Any, weights: Any) -> bool:
    """Whether float multipliers prove ``{x : rows x <= b}`` bounded, checked exactly.

    ``weights`` (floats, one per row of ``rows`` as given) are rounded to rationals and
    projected exactly onto ``{y : rows^T y = 0}``. When the projection is strictly positive and
    ``rows`` has full column rank, no direction ``d != 0`` has ``rows d <= 0`` (Stiemke's
    alternative): the set is bounded, whatever ``b``. ``False`` means only that these
    multipliers prove nothing. ``rows`` is an array of exact rationals or a python-flint
    ``fmpq_mat`` (used as it is: no conversion).

    Examples
    --------
    >>> triangle = np.array([[1, 0], [0, 1], [-1, -1]], dtype=object)
    >>> exact_stiemke(triangle, [1.0, 1.0, 1.0]), exact_stiemke(triangle, [1.0, 1.0, -5.0])
    (True, False)
    >>> exact_stiemke(np.array([[1, 0], [-1, 0]], dtype=object), [1.0, 1.0])  # a slab
    False
    """
    import flint

    from neurogeom.core.rationals import fmpq_mat_of

    g = rows if isinstance(rows, flint.fmpq_mat) else fmpq_mat_of(np.asarray(rows, dtype=object))
    w = [float(v) for v in weights]
    if g.nrows() != len(w) or g.nrows() <= g.ncols() or not all(map(math.isfinite, w)):
        return False
    y = flint.fmpq_mat(len(w), 1, [flint.fmpq(*v.as_integer_ratio()) for v in w])
    g_t = g.transpose()
    try:
        y = y - g * (g_t * g).solve(g_t * y)
    except ZeroDivisionError:  # the rows do not span: rank below the dimension
        return False
    return all(v > 0 for v in y.entries())


def recession_direction(a: Any) -> np.ndarray | None:
    """A float direction ``d`` with ``a d <= 0`` and ``d != 0`` (a ray of every non-empty
    ``{x : a x <= b}``), or ``None`` when the LP finds none.

    It maximises ``-sum_i a_i d / |a_i|`` over ``a d <= 0`` within the unit box: when ``a`` has
    full column rank every nonzero ``d`` of the cone makes this positive, so the optimum is
    positive exactly when the polyhedron is unbounded. Exact callers round ``d`` and certify it
    (the rows tight at ``d`` hold with equality on the rounded direction after a projection).

    Examples
    --------
    >>> recession_direction(np.array([[1.0, 0], [0, 1]])).tolist()
    [-1.0, -1.0]
    >>> recession_direction(np.array([[1.0, 0], [-1, 0], [0, 1], [0, -1]])) is None
    True
    """
    mat = np.asarray(a, dtype=float)
    if mat.ndim != 2:
        raise InvalidInputError(f"recession_direction needs a matrix, got shape {mat.shape}")
    norms = np.linalg.norm(mat, axis=1)
    unit = mat / np.where(norms > 0, norms, 1)[:, None]
    n = mat.shape[1]
    lp = LPModel(unit, None, np.zeros(len(unit)), col_lower=-np.ones(n), col_upper=np.ones(n))
    res = lp.solve(unit.sum(axis=0))
    if not res.optimal or -res.value <= 1e-9 * max(1, len(unit)):
        return None
    return res.x
