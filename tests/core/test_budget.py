"""Budgets (``core/budget.py``): a deadline and a cap on found items, validated when started.

Times are checked on a fake monotonic clock, so nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import dataclasses
import math

import pytest

from neurogeom.core import budget as budget_module
from neurogeom.core.budget import Budget, OutOfBudget
from neurogeom.core.errors import InvalidInputError


class Clock:
    """A monotonic clock that moves only when told to."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock(100.0)
    monkeypatch.setattr(budget_module.time, "monotonic", fake)
    return fake


def test_budget_validation() -> None:
    with pytest.raises(ValueError, match="time_limit"):
        Budget.start(time_limit=float("nan"))
    with pytest.raises(ValueError, match="max_regions"):
        Budget.start(max_items=True)


@pytest.mark.parametrize(
    "limit", [0, -1, -0.5, math.nan, math.inf, -math.inf, True, False, "x", []]
)
def test_bad_time_limits_are_refused(limit: object) -> None:
    with pytest.raises(InvalidInputError, match="time_limit must be a positive number of seconds"):
        Budget.start(time_limit=limit)


@pytest.mark.parametrize("cap", [0, -3, 1.5, 2.0, True, "3", None])
def test_bad_caps_are_refused(cap: object) -> None:
    if cap is None:
        assert Budget.start(max_items=cap).max_items is None
        return
    with pytest.raises(InvalidInputError, match="max_regions must be a positive integer"):
        Budget.start(max_items=cap)


def test_an_unlimited_budget_never_runs_out(clock: Clock) -> None:
    for b in (Budget(), Budget.start()):
        clock.now += 1e9
        assert not b.expired()
        assert b.remaining() is None
        assert b.allows(10**12)
        b.check()  # does not raise


def test_the_deadline_passes_after_the_time_limit(clock: Clock) -> None:
    b = Budget.start(time_limit=5)
    assert (b.deadline, b.started) == (105.0, 100.0)
    clock.now = 103.0
    assert b.remaining() == 2.0 and b.elapsed() == 3.0 and not b.expired()
    clock.now = 105.0
    assert not b.expired() and b.remaining() == 0.0
    b.check()
    clock.now = 105.5
    assert b.expired()
    assert b.remaining() == 0.0  # never negative
    with pytest.raises(OutOfBudget):
        b.check()


def test_the_cap_counts_found_items() -> None:
    b = Budget.start(max_items=3)
    assert [b.allows(n) for n in range(5)] == [True, True, True, False, False]
    assert Budget.start(time_limit=0.25, max_items=1).allows(0)


def test_a_budget_is_a_frozen_value() -> None:
    b = Budget.start(time_limit=1, max_items=2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        b.max_items = 5  # type: ignore[misc]
    assert Budget(10.0, 2, 1.0) == Budget(10.0, 2, 1.0)
