"""Tests of :mod:`neurogeom.core.lp`: ``LPModel``, ``chebyshev_centre``, ``is_bounded`` and the
LP counters (``LPCounts``, ``lp_counts``, ``count_lp``).

:func:`scipy.optimize.linprog` (HiGHS dual simplex, building each LP from scratch) is the oracle.
Every law is checked over both backends. Random LPs come from seeded generators of three kinds
whose status is known by construction: bounded feasible (a box on the variables and a known
interior point), infeasible (a row that contradicts a positive combination of the others) and
unbounded (a feasible polyhedron with a recession direction the objective improves along).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from fractions import Fraction
from typing import Any, Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from neurogeom.core import lp as lp_module
from neurogeom.core.errors import InvalidInputError, NeurogeomError
from neurogeom.core.lp import (
    LPCounts,
    LPModel,
    LPResult,
    chebyshev_centre,
    exact_stiemke,
    is_bounded,
    stiemke_multipliers,
)

Backend = Literal["highs", "scipy"]
BACKENDS: tuple[Backend, ...] = ("highs", "scipy")
REL = 1e-7  # optimal values must agree to this relative tolerance
FEAS = 1e-7  # constraint violations allowed in a returned optimal point

LP = dict[str, Any]


# --- the oracle and the random LPs -----------------------------------------------------------


def oracle(lp: LP) -> tuple[str, float | None]:
    """Status and optimal value by linprog, with every row written as ``<=`` rows."""
    a = np.asarray(lp["a"], dtype=float)
    lo, hi = np.asarray(lp["row_lower"], dtype=float), np.asarray(lp["row_upper"], dtype=float)
    up, dn = np.isfinite(hi), np.isfinite(lo)
    a_ub = np.vstack([a[up], -a[dn]])
    b_ub = np.concatenate([hi[up], -lo[dn]])
    c = np.asarray(lp["cost"], dtype=float)
    sign = -1.0 if lp["maximize"] else 1.0
    bounds = [
        (None if np.isinf(l) else l, None if np.isinf(u) else u)
        for l, u in zip(lp["col_lower"], lp["col_upper"], strict=True)
    ]
    res = linprog(
        sign * c,
        A_ub=a_ub if len(a_ub) else None,
        b_ub=b_ub if len(b_ub) else None,
        bounds=bounds,
        method="highs-ds",
    )
    status = {0: "optimal", 2: "infeasible", 3: "unbounded"}.get(res.status, "failed")
    return status, (sign * float(res.fun) if status == "optimal" else None)


def build(lp: LP, backend: Backend) -> LPModel:
    """An LPModel of the LP, objective set."""
    model = LPModel(
        lp["a"],
        lp["row_lower"],
        lp["row_upper"],
        col_lower=lp["col_lower"],
        col_upper=lp["col_upper"],
        backend=backend,
    )
    model.set_objective(lp["cost"], maximize=lp["maximize"])
    return model


def assert_matches_oracle(res: LPResult, lp: LP) -> None:
    """``res`` has the oracle's status and value, and its point is feasible and optimal."""
    status, value = oracle(lp)
    assert res.status == status, f"got {res.status}, linprog says {status}"
    if status != "optimal":
        assert res.x is None
        assert res.value is None
        return
    assert value is not None and res.value is not None and res.x is not None
    assert abs(res.value - value) <= REL * max(1.0, abs(value)), (res.value, value)
    a, x = np.asarray(lp["a"], dtype=float), res.x
    assert x.shape == (a.shape[1],)
    ax = a @ x
    scale = 1.0 + np.abs(a).sum(axis=1) * (1.0 + np.abs(x).max(initial=0.0))
    assert (ax >= np.asarray(lp["row_lower"]) - FEAS * scale).all()
    assert (ax <= np.asarray(lp["row_upper"]) + FEAS * scale).all()
    assert (x >= np.asarray(lp["col_lower"]) - FEAS).all()
    assert (x <= np.asarray(lp["col_upper"]) + FEAS).all()
    assert abs(float(np.dot(lp["cost"], x)) - res.value) <= REL * max(1.0, abs(value)) + FEAS


def random_lp(rng: np.random.Generator, kind: str) -> LP:
    """A random LP of the given kind: ``"bounded"``, ``"infeasible"`` or ``"unbounded"``.

    Rows are one-sided (either side), two-sided or equalities, so that every kind of row bound
    goes through the model.
    """
    n = int(rng.integers(1, 7))
    m = int(rng.integers(1, 13))
    a = rng.standard_normal((m, n))
    x0 = rng.standard_normal(n)
    ax0 = a @ x0
    slack_lo = rng.exponential(size=m)
    slack_hi = rng.exponential(size=m)
    form = rng.integers(0, 4, size=m)  # 0: <=, 1: >=, 2: both, 3: equality
    row_lower = np.where((form == 1) | (form == 2), ax0 - slack_lo, -np.inf)
    row_upper = np.where((form == 0) | (form == 2), ax0 + slack_hi, np.inf)
    row_lower[form == 3] = row_upper[form == 3] = ax0[form == 3]
    col_lower = x0 - rng.exponential(size=n) - 0.1
    col_upper = x0 + rng.exponential(size=n) + 0.1
    cost = rng.standard_normal(n)
    maximize = bool(rng.integers(0, 2))
    if kind == "unbounded":
        # rows may only be one-sided, and the recession direction d must respect them
        d = rng.standard_normal(n)
        ad = a @ d
        keep_upper = ad <= 0
        row_lower = np.where(keep_upper, -np.inf, ax0 - slack_lo)
        row_upper = np.where(keep_upper, ax0 + slack_hi, np.inf)
        col_lower, col_upper = np.full(n, -np.inf), np.full(n, np.inf)
        cost = d if maximize else -d
    elif kind == "infeasible":
        # n rows and minus a positive combination of them, forced below its least value: n + 1
        # rows in general position with no point in common (exactly dependent subsets of rows,
        # such as parallel pairs, are tested on their own: see test_parallel_rows_...)
        first = rng.standard_normal((n, n))
        first_upper = first @ x0 + rng.exponential(size=n)
        y = rng.exponential(size=n) + 0.1
        a = np.vstack([a, first, -(y @ first)])
        row_lower = np.append(row_lower, np.full(n + 1, -np.inf))
        row_upper = np.concatenate(
            [row_upper, first_upper, [-(y @ first_upper) - 0.5 - rng.exponential()]]
        )
        col_lower, col_upper = np.full(n, -np.inf), np.full(n, np.inf)
    elif kind != "bounded":
        raise AssertionError(kind)
    return {
        "a": a,
        "row_lower": row_lower,
        "row_upper": row_upper,
        "col_lower": col_lower,
        "col_upper": col_upper,
        "cost": cost,
        "maximize": maximize,
    }


# --- random LPs against the oracle -----------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", ["bounded", "infeasible", "unbounded"])
def test_random_lps_match_linprog(backend: Backend, kind: str) -> None:
    rng = np.random.default_rng(["bounded", "infeasible", "unbounded"].index(kind))
    for _ in range(40):
        lp = random_lp(rng, kind)
        res = build(lp, backend).solve()
        expected = {"bounded": "optimal", "infeasible": "infeasible", "unbounded": "unbounded"}
        assert res.status == expected[kind]
        assert_matches_oracle(res, lp)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    kind=st.sampled_from(["bounded", "infeasible", "unbounded"]),
    backend=st.sampled_from(BACKENDS),
)
def test_random_lps_match_linprog_property(seed: int, kind: str, backend: Backend) -> None:
    lp = random_lp(np.random.default_rng(seed), kind)
    assert_matches_oracle(build(lp, backend).solve(), lp)


@pytest.mark.parametrize("backend", BACKENDS)
def test_integer_lps_match_linprog(backend: Backend) -> None:
    """Small integer data: degenerate vertices and ties in the ratio test are common."""
    rng = np.random.default_rng(11)
    for _ in range(60):
        n, m = int(rng.integers(1, 5)), int(rng.integers(1, 9))
        lp: LP = {
            "a": rng.integers(-2, 3, size=(m, n)).astype(float),
            "row_lower": np.where(rng.random(m) < 0.3, rng.integers(-3, 1, m), -np.inf),
            "row_upper": rng.integers(-1, 4, m).astype(float),
            "col_lower": np.where(rng.random(n) < 0.7, -3.0, -np.inf),
            "col_upper": np.where(rng.random(n) < 0.7, 3.0, np.inf),
            "cost": rng.integers(-2, 3, n).astype(float),
            "maximize": bool(rng.integers(0, 2)),
        }
        lp["row_lower"] = np.minimum(lp["row_lower"], lp["row_upper"])
        assert_matches_oracle(build(lp, backend).solve(), lp)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_two_backends_agree(backend: Backend) -> None:
    other: Backend = "scipy" if backend == "highs" else "highs"
    rng = np.random.default_rng(5)
    for kind in ["bounded", "infeasible", "unbounded"] * 10:
        lp = random_lp(rng, kind)
        r1, r2 = build(lp, backend).solve(), build(lp, other).solve()
        assert r1.status == r2.status
        if r1.optimal:
            assert r1.value is not None and r2.value is not None
            assert abs(r1.value - r2.value) <= REL * max(1.0, abs(r2.value))


@pytest.mark.parametrize("backend", BACKENDS)
def test_infeasible_with_an_improving_ray_is_infeasible(backend: Backend) -> None:
    # x0 is free and improves without limit, but rows 1-2 contradict: HiGHS may answer
    # "unbounded or infeasible", which the model must resolve to "infeasible"
    a = [[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]
    lp = LPModel(a, [-np.inf, 1.0, -np.inf], [np.inf, np.inf, 0.0], backend=backend)
    for cost, maximize in [([0.0, 0.0], False), ([1.0, 0.0], True), ([-1.0, 0.0], False)]:
        assert lp.solve(cost, maximize=maximize).status == "infeasible"
    # and the objective survives the internal feasibility run
    lp.set_row_bounds([2], -np.inf, 5.0)
    assert lp.solve().status == "unbounded"


# --- warm starts -----------------------------------------------------------------------------


def test_row_flips_warm_start_matches_fresh_solves() -> None:
    """A long walk of row flips on one model against fresh models and linprog after each flip.

    This is the region-search workload: flip ``a_i x <= b_i`` to ``a_i x >= b_i``; keep the flip
    when the cell is non-empty, undo it (another solve) when it is empty. A box keeps every LP
    bounded, and the objective changes now and then (with its sense).
    """
    rng = np.random.default_rng(2024)
    n, m = 4, 24
    a = rng.standard_normal((m, n))
    b = rng.standard_normal(m)
    box = 3.0
    signs = np.where(a @ rng.uniform(-1, 1, n) > b, 1.0, -1.0)

    def bounds(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.where(s > 0, b, -np.inf), np.where(s > 0, np.inf, b)

    warm = LPModel(a, *bounds(signs), col_lower=[-box] * n, col_upper=[box] * n)
    cost, maximize = rng.standard_normal(n), False
    warm.set_objective(cost)
    outcomes = {"optimal": 0, "infeasible": 0}

    def check() -> bool:
        res = warm.solve()
        lp: LP = {
            "a": a,
            "row_lower": bounds(signs)[0],
            "row_upper": bounds(signs)[1],
            "col_lower": [-box] * n,
            "col_upper": [box] * n,
            "cost": cost,
            "maximize": maximize,
        }
        fresh = build(lp, "highs").solve()
        assert res.status == fresh.status
        if res.optimal:
            assert res.value is not None and fresh.value is not None
            assert abs(res.value - fresh.value) <= REL * max(1.0, abs(fresh.value))
        assert_matches_oracle(res, lp)
        outcomes[res.status] += 1
        return res.optimal

    for step in range(250):
        if step % 25 == 0:
            cost = np.zeros(n) if step % 50 == 0 else rng.standard_normal(n)
            maximize = bool(rng.integers(0, 2))
            warm.set_objective(cost, maximize=maximize)
        i = int(rng.integers(0, m))
        signs[i] = -signs[i]
        warm.set_row_bounds([i], *(v[[i]] for v in bounds(signs)))
        if not check():
            signs[i] = -signs[i]
            warm.set_row_bounds(i, bounds(signs)[0][i], bounds(signs)[1][i])
            assert check()
    assert outcomes["optimal"] > 50 and outcomes["infeasible"] > 50
    assert warm.n_solves == sum(outcomes.values())


@pytest.mark.parametrize("backend", BACKENDS)
def test_random_walk_of_row_flips_without_undo(backend: Backend) -> None:
    """Several rows flipped at once, many LPs in a row infeasible, checked against linprog."""
    rng = np.random.default_rng(7)
    n, m = 3, 15
    a = rng.standard_normal((m, n))
    b = rng.standard_normal(m)
    signs = np.where(a @ rng.standard_normal(n) > b, 1.0, -1.0)
    lo, hi = np.where(signs > 0, b, -np.inf), np.where(signs > 0, np.inf, b)
    model = LPModel(a, lo, hi, backend=backend)
    cost = np.zeros(n)
    seen = set()
    for _ in range(60):
        rows = rng.choice(m, size=int(rng.integers(1, 4)), replace=False)
        signs[rows] = -signs[rows]
        lo, hi = np.where(signs > 0, b, -np.inf), np.where(signs > 0, np.inf, b)
        model.set_row_bounds(rows, lo[rows], hi[rows])
        res = model.solve(cost)
        lp: LP = {
            "a": a,
            "row_lower": lo,
            "row_upper": hi,
            "col_lower": [-np.inf] * n,
            "col_upper": [np.inf] * n,
            "cost": cost,
            "maximize": False,
        }
        assert_matches_oracle(res, lp)
        seen.add(res.status)
    assert seen == {"optimal", "infeasible"}


class _HighsBefore113:
    """A ``highspy.Highs`` as releases before 1.13 offer it: no ``changeRowsBounds``."""

    def __init__(self, highs: Any) -> None:
        self._highs = highs

    def __getattr__(self, name: str) -> Any:
        if name == "changeRowsBounds":
            raise AttributeError(name)
        return getattr(self._highs, name)


def test_row_flips_with_a_highspy_that_has_no_batch_row_bounds(monkeypatch: Any) -> None:
    # highspy 1.7-1.12 (within the supported range) lack changeRowsBounds: changing several
    # rows at once must still work there, and give linprog's answers
    new_highs = lp_module.new_highs
    monkeypatch.setattr(lp_module, "new_highs", lambda: _HighsBefore113(new_highs()))
    # fresh instances only, and none of these wrapped ones kept for later models
    monkeypatch.setattr(lp_module, "_reused_highs", lambda: None)
    monkeypatch.setattr(lp_module, "_release_highs", lambda h: None)
    assert not hasattr(LPModel([[1.0]])._h, "changeRowsBounds")
    test_random_walk_of_row_flips_without_undo("highs")


def test_a_collected_models_highs_instance_serves_the_next_model_fresh() -> None:
    """The HiGHS object of a model that is gone is emptied and reused: the next model, of
    another shape and sense, gets none of its rows, bounds, basis or objective."""
    rng = np.random.default_rng(5)
    first = LPModel(rng.normal(size=(12, 3)), None, np.ones(12), col_lower=-5.0, col_upper=5.0)
    assert first.solve(rng.normal(size=3), maximize=True).optimal
    h = first._h
    del first
    a = rng.normal(size=(7, 2))
    b = rng.uniform(0.5, 1.0, 7)
    second = LPModel(a, None, b, col_lower=-3.0, col_upper=3.0)
    assert second._h is h
    for _ in range(5):
        cost = rng.normal(size=2)
        got = second.solve(cost)
        want = linprog(cost, A_ub=a, b_ub=b, bounds=[(-3.0, 3.0)] * 2, method="highs")
        assert got.optimal
        assert got.value == pytest.approx(want.fun, abs=1e-9)
    # an infeasible model afterwards is still infeasible, on a reused object or a new one
    del second
    third = LPModel([[1.0], [-1.0]], None, [-1.0, -1.0])
    assert third._h is h
    assert third.solve([1.0]).status == "infeasible"


# --- the other updates -----------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_set_col_bounds(backend: Backend) -> None:
    # the square [-1, 1]^2 cut by x + y <= 1.5; maximise x + 2y
    a = [[1.0, 1.0]]
    model = LPModel(a, None, [1.5], col_lower=[-1, -1], col_upper=[1, 1], backend=backend)
    res = model.solve([1, 2], maximize=True)
    assert res.status == "optimal" and res.value == pytest.approx(2.5)
    model.set_col_bounds([1], [-1], [0.25])
    res = model.solve()
    assert res.value == pytest.approx(1.5)
    assert res.x is not None and np.allclose(res.x, [1.0, 0.25])
    model.set_col_bounds(0, 2.0, 3.0)  # on x + y = 1.5 the objective is 3 - x: x = 2, y = -0.5
    res = model.solve()
    assert res.status == "optimal" and res.x is not None and np.allclose(res.x, [2.0, -0.5])
    assert res.value == pytest.approx(1.0)
    model.set_col_bounds([0, 1], [2.0, 0.0], [3.0, 0.25])
    assert model.solve().status == "infeasible"
    model.set_col_bounds([0, 1], -np.inf, np.inf)  # scalars broadcast; now unbounded in x - y
    assert model.solve().status == "unbounded"
    rng = np.random.default_rng(3)
    for _ in range(20):
        lp = random_lp(rng, "bounded")
        model = build(lp, backend)
        n = len(lp["cost"])
        cols = rng.choice(n, size=int(rng.integers(1, n + 1)), replace=False)
        lo = np.asarray(lp["col_lower"])[cols] + rng.uniform(-0.5, 0.5, len(cols))
        hi = lo + rng.uniform(0.0, 1.0, len(cols))
        model.set_col_bounds(cols, lo, hi)
        col_lower, col_upper = np.array(lp["col_lower"]), np.array(lp["col_upper"])
        col_lower[cols], col_upper[cols] = lo, hi
        changed = {**lp, "col_lower": col_lower, "col_upper": col_upper}
        assert_matches_oracle(model.solve(), changed)


@pytest.mark.parametrize("backend", BACKENDS)
def test_set_coefficients(backend: Backend) -> None:
    rng = np.random.default_rng(4)
    for _ in range(20):
        lp = random_lp(rng, "bounded")
        model = build(lp, backend)
        model.solve()  # so that the change happens to a model with a basis
        m, n = np.shape(lp["a"])
        col = int(rng.integers(0, n))
        rows = rng.choice(m, size=int(rng.integers(1, m + 1)), replace=False)
        values = rng.standard_normal(len(rows))
        values[0] = 0.0  # removing an entry is a change too
        model.set_coefficients(rows, col, values)
        expected = np.array(lp["a"], dtype=float)
        expected[rows, col] = values
        assert np.array_equal(model.matrix, expected)
        assert_matches_oracle(model.solve(), {**lp, "a": expected})
        # and a fresh model of the changed matrix agrees
        fresh = build({**lp, "a": expected}, backend).solve()
        res = model.solve()
        assert res.status == fresh.status
        if res.optimal:
            assert res.value == pytest.approx(fresh.value, rel=REL, abs=REL)


@pytest.mark.parametrize("backend", BACKENDS)
def test_set_objective_and_maximize(backend: Backend) -> None:
    # the triangle x, y >= 0, x + y <= 1
    model = LPModel([[1.0, 1.0]], None, [1.0], col_lower=[0, 0], backend=backend)
    res = model.solve([1.0, 2.0], maximize=True)
    assert res.value == pytest.approx(2.0) and res.x is not None and np.allclose(res.x, [0, 1])
    # solve() keeps the objective and its sense
    assert model.solve().value == pytest.approx(2.0)
    model.set_objective([1.0, 2.0])  # minimise now
    res = model.solve()
    assert res.value == pytest.approx(0.0) and res.x is not None and np.allclose(res.x, [0, 0])
    model.set_objective([-3.0, 1.0], maximize=False)
    assert model.solve().value == pytest.approx(-3.0)
    model.set_objective([-3.0, 1.0], maximize=True)
    assert model.solve().value == pytest.approx(1.0)
    model.set_objective([1.0, 0.0], maximize=False)
    model.set_col_bounds([0], -np.inf, np.inf)
    assert model.solve().status == "unbounded"
    assert model.solve([1.0, 0.0], maximize=True).value == pytest.approx(1.0)
    # maximising c is minimising -c
    rng = np.random.default_rng(6)
    for _ in range(20):
        lp = random_lp(rng, "bounded")
        up = build({**lp, "maximize": True}, backend).solve()
        down = build({**lp, "cost": -np.asarray(lp["cost"]), "maximize": False}, backend).solve()
        assert up.value is not None and down.value is not None
        assert up.value == pytest.approx(-down.value, rel=REL, abs=REL)


@pytest.mark.parametrize("backend", BACKENDS)
def test_equality_rows(backend: Backend) -> None:
    # x + y = 1, x - y = 0.5 (lower == upper) with a free objective: a single point
    model = LPModel([[1.0, 1.0], [1.0, -1.0]], [1.0, 0.5], [1.0, 0.5], backend=backend)
    for cost in ([1.0, 0.0], [0.0, -1.0], [0.0, 0.0]):
        res = model.solve(cost)
        assert res.status == "optimal" and res.x is not None
        assert np.allclose(res.x, [0.75, 0.25], atol=1e-9)
    # an equality row inconsistent with the others
    model = LPModel([[1.0, 1.0], [2.0, 2.0]], [1.0, 3.0], [1.0, 3.0], backend=backend)
    assert model.solve().status == "infeasible"
    # a row turned into an equality by set_row_bounds, and back
    model = LPModel([[1.0, 0.0], [0.0, 1.0]], [-1, -1], [1, 1], backend=backend)
    model.set_row_bounds([0], [0.3], [0.3])
    res = model.solve([1.0, 1.0], maximize=True)
    assert res.x is not None and res.x[0] == pytest.approx(0.3) and res.value == pytest.approx(1.3)
    model.set_row_bounds([0], [-1.0], [1.0])
    assert model.solve().value == pytest.approx(2.0)
    rng = np.random.default_rng(8)
    for _ in range(20):
        lp = random_lp(rng, "bounded")
        eq = rng.random(len(lp["row_lower"])) < 0.5
        x0 = (np.asarray(lp["col_lower"]) + np.asarray(lp["col_upper"])) / 2
        lp["row_lower"] = np.where(eq, lp["a"] @ x0, lp["row_lower"])
        lp["row_upper"] = np.where(eq, lp["a"] @ x0, lp["row_upper"])
        lp["row_lower"] = np.minimum(lp["row_lower"], lp["a"] @ x0)
        lp["row_upper"] = np.maximum(lp["row_upper"], lp["a"] @ x0)
        res = build(lp, backend).solve()
        assert res.optimal and res.x is not None
        assert np.allclose((lp["a"] @ res.x)[eq], (lp["a"] @ x0)[eq], atol=1e-7)
        assert_matches_oracle(res, lp)


@pytest.mark.parametrize("backend", BACKENDS)
def test_zero_rows(backend: Backend) -> None:
    a = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
    # 0 in [-1, 2]: the zero row is no constraint
    model = LPModel(a, [-1.0, -1.0, -1.0], [2.0, 1.0, 1.0], backend=backend)
    assert model.solve([1.0, 1.0], maximize=True).value == pytest.approx(2.0)
    # 0 >= 0.5 is impossible, 0 <= -0.5 too, 0 == 0 is fine
    for lo, hi, status in [
        (0.5, np.inf, "infeasible"),
        (-np.inf, -0.5, "infeasible"),
        (0.0, 0.0, "optimal"),
        (-np.inf, np.inf, "optimal"),
    ]:
        model.set_row_bounds([0], [lo], [hi])
        assert model.solve().status == status
    # an all-zero matrix, and a model without rows
    model = LPModel(
        np.zeros((3, 2)), [-1, 0, -np.inf], [1, 0, 0], col_lower=[0, 0], backend=backend
    )
    res = model.solve([1.0, 1.0])
    assert res.status == "optimal" and res.value == pytest.approx(0.0)
    assert model.solve([1.0, 1.0], maximize=True).status == "unbounded"
    model = LPModel(np.zeros((0, 2)), col_lower=[0, -1], col_upper=[1, 1], backend=backend)
    assert model.shape == (0, 2)
    assert model.solve([1.0, -1.0], maximize=True).value == pytest.approx(2.0)
    assert LPModel(np.zeros((0, 2)), backend=backend).solve([1.0, 0.0]).status == "unbounded"


# --- validation ------------------------------------------------------------------------------


def test_validation_errors() -> None:
    good = [[1.0, 0.0], [0.0, 1.0]]
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: LPModel([[1.0, np.nan], [0.0, 1.0]]), "NaN"),
        (lambda: LPModel([[1.0, np.inf], [0.0, 1.0]]), "inf"),
        (lambda: LPModel([1.0, 2.0]), "2-D"),
        (lambda: LPModel(good, backend="glpk"), "backend.*'glpk'"),
        (lambda: LPModel(good, [0.0, np.nan]), "row_lower"),
        (lambda: LPModel(good, None, [np.nan, 0.0]), "row_upper"),
        (lambda: LPModel(good, col_lower=[np.nan, 0.0]), "col_lower"),
        (lambda: LPModel(good, col_upper=[0.0, np.nan]), "col_upper"),
        (lambda: LPModel(good).set_objective([1.0, 2.0, 3.0]), "length 2"),
        (lambda: LPModel(good).solve([1.0]), "length 2"),
        (lambda: LPModel(good).solve([[1.0, 2.0]]), "shape"),
    ]
    for make, words in cases:
        with pytest.raises(InvalidInputError, match=words) as info:
            make()
        assert isinstance(info.value, ValueError) and isinstance(info.value, NeurogeomError)


def test_matrix_view_is_read_only() -> None:
    model = LPModel([[1.0, 2.0]])
    with pytest.raises(ValueError, match="read-only"):
        model.matrix[0, 0] = 5.0
    assert model.shape == (1, 2)


# --- LPResult --------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_result_to_dict(backend: Backend) -> None:
    model = LPModel([[1.0, 1.0]], None, [1.0], col_lower=[0, 0], backend=backend)
    res = model.solve([1.0, 0.0], maximize=True)
    d = res.to_dict()
    assert d == {"status": "optimal", "x": pytest.approx([1.0, 0.0]), "value": 1.0}
    assert isinstance(d["x"], list) and all(type(v) is float for v in d["x"])
    assert json.loads(json.dumps(d))["status"] == "optimal"
    model.set_row_bounds([0], [2.0], [np.inf])
    model.set_col_bounds([0, 1], [0, 0], [0.5, 0.5])
    res = model.solve()
    assert res.to_dict() == {"status": "infeasible", "x": None, "value": None}
    assert not res.optimal and json.dumps(res.to_dict())
    assert "infeasible" in repr(res)


# --- chebyshev_centre ------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_chebyshev_centre_of_boxes(backend: Backend) -> None:
    # [0, 2]^3: centre (1, 1, 1), radius 1
    a = np.vstack([np.eye(3), -np.eye(3)])
    c, r = chebyshev_centre(a, [2, 2, 2, 0, 0, 0], radius_cap=10, backend=backend)
    assert r == pytest.approx(1.0) and np.allclose(c, 1.0)
    # [-1, 1] x [-2, 2]: radius 1, centre x = 0 and |y| <= 1
    a2 = [[1, 0], [-1, 0], [0, 1], [0, -1]]
    c, r = chebyshev_centre(a2, [1, 1, 2, 2], radius_cap=10, backend=backend)
    assert r == pytest.approx(1.0) and abs(c[0]) < 1e-9 and abs(c[1]) <= 1 + 1e-9
    # rows are normalised: scaling a row and its right-hand side changes nothing
    c2, r2 = chebyshev_centre(
        np.array(a2) * [[10], [0.1], [3], [7]],
        np.array([1, 1, 2, 2]) * [10, 0.1, 3, 7],
        radius_cap=10,
        backend=backend,
    )
    assert r2 == pytest.approx(1.0) and abs(c2[0]) < 1e-9
    # a tiny box: the cap does not bind
    c, r = chebyshev_centre(a2, [1e-3, 0, 1e-3, 0], radius_cap=1.0, backend=backend)
    assert r == pytest.approx(5e-4) and np.allclose(c, 5e-4)
    # the cap binds: radius = cap, and the ball still fits
    c, r = chebyshev_centre(a2, [1, 1, 2, 2], radius_cap=0.25, backend=backend)
    assert r == pytest.approx(0.25)
    assert (np.array(a2) @ c + 0.25 <= np.array([1, 1, 2, 2]) + 1e-9).all()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_chebyshev_centre_of_simplices(backend: Backend, n: int) -> None:
    # x >= 0, sum x <= 1: inradius 1 / (n + sqrt n), centre r * (1, ..., 1)
    a = np.vstack([-np.eye(n), np.ones((1, n))])
    b = np.r_[np.zeros(n), 1.0]
    c, r = chebyshev_centre(a, b, radius_cap=5, backend=backend)
    expected = 1.0 / (n + np.sqrt(n))
    assert r == pytest.approx(expected, rel=1e-9)
    assert np.allclose(c, expected, atol=1e-9)


@pytest.mark.parametrize("backend", BACKENDS)
def test_chebyshev_centre_random_polytopes(backend: Backend) -> None:
    """The ball fits, and linprog on the same LP finds the same radius."""
    rng = np.random.default_rng(12)
    for _ in range(15):
        n, m = int(rng.integers(1, 5)), int(rng.integers(3, 12))
        a = rng.standard_normal((m, n))
        b = a @ rng.standard_normal(n) + rng.exponential(size=m)
        c, r = chebyshev_centre(a, b, radius_cap=100.0, backend=backend)
        norms = np.linalg.norm(a, axis=1)
        assert r > 0
        assert (a @ c + r * norms <= b + 1e-7 * (1 + np.abs(b))).all()
        ext = np.hstack([a, norms[:, None]])
        ref = linprog(
            np.r_[np.zeros(n), -1.0],
            A_ub=ext,
            b_ub=b,
            bounds=[(None, None)] * n + [(None, 100.0)],
            method="highs",
        )
        assert ref.status == 0
        assert r == pytest.approx(-ref.fun, rel=1e-7, abs=1e-9)


@pytest.mark.parametrize("backend", BACKENDS)
def test_chebyshev_centre_of_empty_polyhedra(backend: Backend) -> None:
    # x <= -1 and x >= 1: no point, so no ball: radius <= 0 (here the LP's -1) or -inf
    _, r = chebyshev_centre([[1.0], [-1.0]], [-1.0, -1.0], backend=backend)
    assert r <= 0
    assert r == pytest.approx(-1.0) or r == -np.inf
    # a triangle cut away in the plane
    a = [[-1, 0], [0, -1], [1, 1], [-1, -1]]
    _, r = chebyshev_centre(a, [0, 0, 1, -2], backend=backend)
    assert r <= 0
    # a flat polyhedron (x = 0): non-empty but no interior, radius 0
    _, r = chebyshev_centre([[1.0, 0.0], [-1.0, 0.0]], [0.0, 0.0], backend=backend)
    assert r == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("backend", BACKENDS)
def test_chebyshev_centre_zero_rows(backend: Backend) -> None:
    box = [[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]]
    # 0 <= -1 is false: empty, whatever the other rows say
    c, r = chebyshev_centre([[0.0, 0.0], *box], [-1.0, 1, 1, 1, 1], backend=backend)
    assert r == -np.inf and c.shape == (2,)
    # 0 <= 0 and 0 <= 3 are true: ignored
    c, r = chebyshev_centre(
        [[0.0, 0.0], *box, [0.0, 0.0]], [0.0, 1, 1, 1, 1, 3.0], radius_cap=10, backend=backend
    )
    assert r == pytest.approx(1.0) and np.allclose(c, 0.0, atol=1e-9)


@pytest.mark.parametrize("backend", BACKENDS)
def test_chebyshev_centre_of_unbounded_polyhedra(backend: Backend) -> None:
    # a half-plane, a wedge, a slab: arbitrarily large balls, so the radius is the cap
    for a, b in [
        ([[1.0, 0.0]], [1.0]),
        ([[1.0, -1.0], [1.0, 1.0]], [0.0, 0.0]),
        ([[0.0, 1.0], [0.0, -1.0]], [10.0, 10.0]),
    ]:
        for cap in (0.5, 7.0):
            c, r = chebyshev_centre(a, b, radius_cap=cap, backend=backend)
            assert r == pytest.approx(cap)
            norms = np.linalg.norm(a, axis=1)
            assert (np.asarray(a) @ c + cap * norms <= np.asarray(b) + 1e-7).all()
    # nothing at all constrains the ball
    c, r = chebyshev_centre(np.zeros((2, 3)), [0.0, 1.0], radius_cap=2.0, backend=backend)
    assert r == pytest.approx(2.0) and c.shape == (3,)
    c, r = chebyshev_centre(np.zeros((0, 3)), np.zeros(0), radius_cap=2.0, backend=backend)
    assert r == pytest.approx(2.0) and c.shape == (3,)


# --- the caller's arrays ---------------------------------------------------------------------


def test_set_coefficients_leaves_the_callers_matrix_alone() -> None:
    a = np.eye(2)
    LPModel(a, [-1, -1], [1, 1]).set_coefficients([0], 1, 5.0)
    assert np.array_equal(a, np.eye(2))


def test_model_from_a_read_only_matrix_can_change_coefficients() -> None:
    first = LPModel(np.eye(2), [-1, -1], [1, 1])
    second = LPModel(first.matrix, [-1, -1], [1, 1])
    second.set_coefficients([0], 1, 2.0)
    assert second.matrix[0, 1] == 2.0


@pytest.mark.parametrize("row", [-1, 2])
def test_set_row_bounds_rejects_bad_indices(row: int) -> None:
    with pytest.raises(InvalidInputError, match="row"):
        LPModel(np.eye(2), [-1, -1], [1, 1]).set_row_bounds([row], [0.0], [1.0])


def test_bounds_of_the_wrong_length_raise_invalid_input() -> None:
    with pytest.raises(InvalidInputError, match="row_lower"):
        LPModel(np.eye(2), [-1, -1, -1], [1, 1])


def test_set_objective_rejects_nan() -> None:
    with pytest.raises(InvalidInputError, match="NaN"):
        LPModel(np.eye(2), [-1, -1], [1, 1]).set_objective([np.nan, 1.0])


def test_set_bounds_reject_nan() -> None:
    model = LPModel(np.eye(2), [-1, -1], [1, 1])
    with pytest.raises(InvalidInputError, match="NaN"):
        model.set_row_bounds([0], [np.nan], [1.0])


def test_chebyshev_centre_rejects_nan_rows() -> None:
    box = [[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]]
    with pytest.raises(InvalidInputError, match="NaN"):
        chebyshev_centre([[np.nan, 0.0], *box], [5.0, 1, 1, 1, 1])


@pytest.mark.parametrize("maximize", [False, True])
def test_parallel_rows_with_disjoint_ranges_are_infeasible(maximize: bool) -> None:
    # the same hyperplane twice, asked for a x in [1.60, 1.81] and a x >= 3.00: empty. With a
    # zero objective the model answers "infeasible"; with this objective HiGHS reports a solve
    # error twice (the clearSolver retry too), while linprog (presolve on) proves infeasibility
    row = [
        0.27279133916445375,
        -0.9821881249409777,
        -1.107373047165193,
        0.19958453284708083,
        -0.46674961687980204,
        0.23550561173022522,
    ]
    cost = [
        0.4455735537761861,
        0.4684043358472779,
        0.8762421961143501,
        0.256485627221562,
        -0.09482833896849817,
        -0.25884806478784556,
    ]
    lo, hi = [1.5994269529454384, 2.9955873279625544], [1.809389466037675, np.inf]
    assert LPModel([row, row], lo, hi, backend="scipy").solve(cost, maximize=maximize).status == (
        "infeasible"
    )
    assert LPModel([row, row], lo, hi).solve(np.zeros(6)).status == "infeasible"
    assert LPModel([row, row], lo, hi).solve(cost, maximize=maximize).status == "infeasible"


_QUIET_SCRIPT = """
import sys
from concurrent.futures import ProcessPoolExecutor
import multiprocessing as mp
from neurogeom.core.lp import LPModel

def solve(_):
    return LPModel([[1.0, 1.0]], [0.0], [1.0]).solve([1.0, 1.0], maximize=True).status

if __name__ == "__main__":
    assert solve(0) == "optimal"
    with ProcessPoolExecutor(2, mp_context=mp.get_context(sys.argv[1])) as pool:
        assert list(pool.map(solve, range(2))) == ["optimal", "optimal"]
"""


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_solving_prints_nothing_on_stdout_in_main_process_and_workers(
    tmp_path: Any, start: str
) -> None:
    # HiGHS >= 1.16 prints a banner from C++ on file descriptor 1 at its first model; a pipe
    # (not a terminal) is what `neurogeom ... --json | jq` gives, so capture through one
    import subprocess
    import sys

    script = tmp_path / "quiet.py"
    script.write_text(_QUIET_SCRIPT)
    done = subprocess.run(
        [sys.executable, str(script), start], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""


_SCHEDULER_SCRIPT = """
import sys
import highspy
import numpy as np
from neurogeom.core.lp import LPModel, new_highs

first = int(sys.argv[1])
if first:  # someone else's model starts HiGHS's process-wide scheduler with its own count
    other = highspy.Highs()
    other.setOptionValue("output_flag", False)
    other.setOptionValue("threads", first)
    assert other.run() == highspy.HighsStatus.kOk
h = new_highs()
named = h.getOptionValue("threads")
named = named[-1] if isinstance(named, tuple) else named  # (status, value) in some releases
model = LPModel(np.array([[1.0, 1.0]]), np.array([-np.inf]), np.array([1.0]), col_lower=[0, 0])
got = model.solve([-1.0, -2.0])
print(named, got.status, got.value, file=sys.stderr)
"""


@pytest.mark.parametrize("first", [0, 1, 2, 3])
def test_new_highs_names_the_running_schedulers_thread_count(tmp_path: Any, first: int) -> None:
    # naming ``threads`` spares a /sys look-up per solve, but a run naming another count than
    # the process-wide scheduler's fails: the count must be found, not assumed
    import subprocess
    import sys

    script = tmp_path / "threads.py"
    script.write_text(_SCHEDULER_SCRIPT)
    done = subprocess.run(
        [sys.executable, str(script), str(first)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    named, status, value = done.stderr.split()[-3:]
    if first:
        assert int(named) == first
    else:
        assert int(named) >= 1
    assert (status, float(value)) == ("optimal", -2.0)


# --- is_bounded against a brute-force recession cone ------------------------------------------


def _cross(u: list[int], v: list[int]) -> list[int]:
    return [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]]


def _rank(rows: list[list[int]]) -> int:
    """Exact rank of a small integer matrix (fraction-free elimination)."""
    m = [list(r) for r in rows]
    rank, cols = 0, len(m[0]) if m else 0
    for c in range(cols):
        pivot = next((i for i in range(rank, len(m)) if m[i][c] != 0), None)
        if pivot is None:
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        for i in range(len(m)):
            if i != rank and m[i][c] != 0:
                f, g = m[i][c], m[rank][c]
                m[i] = [g * x - f * y for x, y in zip(m[i], m[rank], strict=True)]
        rank += 1
    return rank


def unbounded_direction(rows: list[list[int]]) -> list[int] | None:
    """A nonzero ``d`` with ``a d <= 0`` (a recession direction), or None; exact, 2-D or 3-D.

    If ``a`` has rank below ``n``, a kernel direction works. Otherwise the recession cone is
    pointed, and if it is not ``{0}`` it has an extreme ray on ``n - 1`` independent boundary
    hyperplanes: ``+-`` the perpendicular of one row (2-D) or the cross product of two (3-D).
    """
    n = len(rows[0])
    if _rank(rows) < n:
        return [0] * n  # marks "a kernel direction exists"
    if n == 2:
        candidates = [[-r[1], r[0]] for r in rows]
    else:
        candidates = [_cross(u, v) for u, v in itertools.combinations(rows, 2)]
    for d in candidates:
        for s in (1, -1):
            sd = [s * v for v in d]
            if any(sd) and all(sum(a * x for a, x in zip(r, sd, strict=True)) <= 0 for r in rows):
                return sd
    return None


def random_rows(rng: np.random.Generator, n: int) -> list[list[int]]:
    m = int(rng.integers(1, 3 * n + 1))
    rows = rng.integers(-3, 4, size=(m, n)).tolist()
    kind = rng.integers(4)
    if kind == 0 and m > 1:  # a duplicate row
        rows[-1] = list(rows[0])
    elif kind == 1 and m > 1:  # an opposite row: a strip or slab
        rows[-1] = [-v for v in rows[0]]
    elif kind == 2:  # a zero row
        rows.append([0] * n)
    return rows


@pytest.mark.parametrize("n", [2, 3])
def test_is_bounded_matches_a_brute_force_recession_cone(n: int) -> None:
    rng = np.random.default_rng(n)
    seen = {True: 0, False: 0}
    for _ in range(300 if n == 2 else 200):
        rows = random_rows(rng, n)
        expected = unbounded_direction(rows) is None
        assert is_bounded(np.array(rows, dtype=float)) is expected, rows
        exact = np.array([[Fraction(v) for v in r] for r in rows], dtype=object)
        assert is_bounded(exact) is expected, rows
        # scaling rows by positive factors changes nothing
        scaled = np.array(rows, dtype=float) * rng.choice([1e-6, 1.0, 1e6], size=(len(rows), 1))
        assert is_bounded(scaled) is expected, rows
        seen[expected] += 1
    assert min(seen.values()) > 20  # both answers are exercised


@pytest.mark.parametrize(
    ("rows", "bounded"),
    [
        ([[1, 0], [-1, 0], [0, 1], [0, -1]], True),  # a box
        ([[-1, 0], [0, -1], [1, 1]], True),  # a triangle
        ([[1, 0], [-1, 0]], False),  # a strip
        ([[1, 0], [0, 1], [-1, -1], [-1, -1]], True),
        ([[1, 1], [-1, 0], [0, -1], [0, 0]], True),  # a zero row does not matter
        ([[1, 0, 0], [0, 1, 0], [0, 0, 1], [-1, -1, -1]], True),  # a simplex
        ([[1, 0, 0], [0, 1, 0], [-1, -1, 0]], False),  # a prism: z is free
        ([[0, 0]], False),
    ],
)
def test_is_bounded_by_hand(rows: list[list[int]], bounded: bool) -> None:
    assert is_bounded(np.array(rows, dtype=float)) is bounded
    assert unbounded_direction(rows) is None if bounded else unbounded_direction(rows) is not None


@pytest.mark.parametrize("n", [2, 3])
def test_exact_stiemke_never_proves_an_unbounded_set_bounded(n: int) -> None:
    """Float multipliers from the LP, from a perturbation of them and from noise: whatever the
    weights, ``True`` only on sets the brute-force recession cone finds bounded; and the LP's
    own multipliers prove nearly every bounded set bounded."""
    rng = np.random.default_rng(10 + n)
    proved = bounded_sets = 0
    for _ in range(300 if n == 2 else 200):
        rows = random_rows(rng, n)
        bounded = unbounded_direction(rows) is None
        exact = np.array([[Fraction(v) for v in r] for r in rows], dtype=object)
        found = stiemke_multipliers(np.array(rows, dtype=float))
        tries = [rng.random(len(rows)), rng.normal(size=len(rows))]
        if found is not None:
            tries += [found, found * (1 + 1e-3 * rng.normal(size=len(rows)))]
        for weights in tries:
            assert not exact_stiemke(exact, weights) or bounded, (rows, weights)
        if bounded:
            bounded_sets += 1
            proved += found is not None and exact_stiemke(exact, found)
    assert bounded_sets > 20 and proved >= 0.9 * bounded_sets


def test_exact_stiemke_takes_an_fmpq_mat_and_refuses_bad_weights() -> None:
    import flint

    triangle = flint.fmpq_mat(3, 2, [1, 0, 0, 1, -1, -1])
    assert exact_stiemke(triangle, [1.0, 1.0, 1.0])
    assert not exact_stiemke(triangle, [1.0, 1.0])  # one weight short
    assert not exact_stiemke(triangle, [1.0, float("nan"), 1.0])
    assert not exact_stiemke(triangle, [1.0, float("inf"), 1.0])
    assert not exact_stiemke(flint.fmpq_mat(2, 2, [1, 0, 0, 1]), [1.0, 1.0])  # too few rows
    # rows that do not span (a doubled strip) are not bounded, whatever the weights
    assert not exact_stiemke(flint.fmpq_mat(3, 2, [1, 0, -1, 0, 2, 0]), [1.0, 3.0, 1.0])


def test_is_bounded_refuses_a_vector() -> None:
    with pytest.raises(InvalidInputError, match="is_bounded needs a matrix"):
        is_bounded(np.array([1.0, 2.0]))


# --- LP counters --------------------------------------------------------------------------------


def test_lp_counts_add_subtract_and_write_json() -> None:
    a, b = LPCounts(5, 2, 1), LPCounts(1, 1, 0)
    assert a + b == LPCounts(6, 3, 1) and a - b == LPCounts(4, 1, 1)
    assert (a - a).total == 0 and LPCounts().total == 0
    assert a.total == 8
    assert a.to_dict() == {"total": 8, "highs": 5, "scipy": 2, "exact": 1}
    assert list(a.to_dict()) == ["total", "highs", "scipy", "exact"]
    assert json.loads(json.dumps(a.to_dict())) == a.to_dict()
    with pytest.raises(AttributeError):
        a.highs = 0  # type: ignore[misc]


def test_each_solver_counts_its_own_runs(monkeypatch: Any) -> None:
    import highspy

    from neurogeom.core.exact_lp import exact_maximize

    LPModel([[1.0]], [0.0], [1.0]).solve([1.0])  # warm up the HiGHS banner probe
    runs = [0]
    real = highspy.Highs.run

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        runs[0] += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(highspy.Highs, "run", counted)
    before = lp_module.lp_counts()
    LPModel([[1.0, 1.0]], [0.0], [1.0]).solve([1.0, 1.0], maximize=True)  # optimal
    LPModel([[1.0]], [-np.inf], [1.0]).solve([1.0])  # unbounded
    chebyshev_centre([[1, 0], [-1, 0], [0, 1], [0, -1]], [1, 1, 1, 1])
    is_bounded(np.array([[1.0, 0], [-1, 0], [0, 1], [0, -1]]))
    exact_maximize([1, 1], [[1, 0], [0, 1]], [1, 1])
    exact_maximize([1], [[-1]], [0])
    LPModel([[1.0]], [0.0], [1.0], backend="scipy").solve([1.0])
    got = lp_module.lp_counts() - before
    assert got.highs == runs[0] >= 4
    assert got.exact == 2
    assert got.scipy >= 1
    # no LP where the answer needs none
    before = lp_module.lp_counts()
    assert not is_bounded(np.array([[1.0, 0.0], [0.0, 1.0]]))  # fewer rows than a bound needs
    assert not is_bounded(np.array([[1.0, 0.0], [-1.0, 0.0], [2.0, 0.0]]))  # rank 1
    assert lp_module.lp_counts() - before == LPCounts()


def test_count_lp_records_what_it_is_told() -> None:
    before = lp_module.lp_counts()
    lp_module.count_lp("scipy", 3)
    lp_module.count_lp("exact")
    assert lp_module.lp_counts() - before == LPCounts(0, 3, 1)


def test_chebyshev_centre_keeps_rows_with_tiny_coefficients() -> None:
    centre, radius = chebyshev_centre([[1e-200], [-1.0]], [1e-200, 0.0], radius_cap=10)
    assert radius == pytest.approx(0.5) and centre[0] == pytest.approx(0.5)


# --- the quick form of the setters (one index, scalar values) --------------------------------


def _scalars(*values: Any) -> tuple[Any, ...]:
    return values


def _lists(*values: Any) -> tuple[Any, ...]:
    return tuple([v] for v in values)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_quick_form_of_the_setters_matches_the_array_form(backend: Backend) -> None:
    """A walk of single-row flips, radius-coefficient and column-bound changes (as the region
    search makes them), once with scalars and once with one-element lists: the same models, so
    the same statuses, points and values, bit for bit."""
    rng = np.random.default_rng(11)
    n, m = 3, 12
    a = rng.standard_normal((m, n))
    b = rng.standard_normal(m)
    ext = np.hstack([a, np.ones((m, 1))])
    signs = np.where(a @ rng.standard_normal(n) > b, 1.0, -1.0)
    lo, hi = np.where(signs > 0, b, -np.inf), np.where(signs > 0, np.inf, b)
    models = {
        form: LPModel(ext, lo, hi, col_lower=[*[-np.inf] * n, 0.0], backend=backend)
        for form in (_scalars, _lists)
    }
    for step in range(80):
        i = int(rng.integers(m))
        signs[i] = -signs[i]
        cost = rng.standard_normal(n + 1)
        results = []
        for form, model in models.items():
            row_lo, row_hi = (b[i], np.inf) if signs[i] > 0 else (-np.inf, b[i])
            model.set_row_bounds(*form(np.int64(i), row_lo, row_hi))
            (row,), (coef,) = form(i), form(-signs[i])
            model.set_coefficients(row, n, coef)
            model.set_col_bounds(*form(n, 0.0, 0.0 if step % 3 else 1.0))
            results.append(model.solve(cost, maximize=bool(step % 2)))
        quick, array = results
        assert quick.status == array.status
        assert quick.value == array.value
        assert (quick.x is None) == (array.x is None)
        if quick.x is not None:
            assert np.array_equal(quick.x, array.x)
    quick_model, array_model = models.values()
    assert np.array_equal(quick_model.matrix, array_model.matrix)
    for name in ("_row_lo", "_row_hi", "_col_lo", "_col_hi"):
        assert np.array_equal(getattr(quick_model, name), getattr(array_model, name))


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("set_row_bounds", (2, 0.0, 1.0)),
        ("set_row_bounds", (-1, 0.0, 1.0)),
        ("set_row_bounds", (0, np.nan, 1.0)),
        ("set_row_bounds", (1, 0.0, np.nan)),
        ("set_col_bounds", (5, 0.0, 1.0)),
        ("set_col_bounds", (0, 0.0, np.nan)),
        ("set_coefficients", (2, 0, 1.0)),
        ("set_coefficients", (0, 2, 1.0)),
        ("set_coefficients", (0, 1, np.inf)),
        ("set_coefficients", (0, 1, np.nan)),
    ],
)
def test_the_quick_form_of_the_setters_raises_what_the_array_form_raises(
    call: str, args: tuple[Any, ...]
) -> None:
    # the array form: every argument in a list, but the column of set_coefficients
    listed = ([args[0]], args[1], [args[2]]) if call == "set_coefficients" else _lists(*args)
    messages = []
    for form in (args, listed):
        with pytest.raises(InvalidInputError) as info:
            getattr(LPModel(np.eye(2), [-1, -1], [1, 1]), call)(*form)
        messages.append(str(info.value))
    assert messages[0] == messages[1]
