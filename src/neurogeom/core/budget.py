"""Budgets for long computations: a deadline for the whole job and a cap on how much to find.

One :class:`Budget` is created when a command or a top-level function starts and is handed to
every phase of the work (finding cells, adjacency, volumes, report sections). A phase checks it
between units of work and, when it has run out, stops and returns what it has, marked incomplete.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from neurogeom.core.errors import InvalidInputError

__all__ = ["Budget", "OutOfBudget"]


class OutOfBudget(Exception):
    """Raised inside a phase when its budget runs out; the phase's driver catches it."""


@dataclass(frozen=True, slots=True)
class Budget:
    """A wall-clock deadline (``time.monotonic`` seconds) and an optional cap on found items.

    Use :meth:`start`; ``Budget()`` is unlimited.

    Examples
    --------
    >>> Budget().expired(), Budget().remaining() is None
    (False, True)
    >>> b = Budget.start(time_limit=60, max_items=10)
    >>> b.expired(), b.allows(9), b.allows(10)
    (False, True, False)
    >>> Budget.start(time_limit=-1)
    Traceback (most recent call last):
    ...
    neurogeom.core.errors.InvalidInputError: time_limit must be a positive number of seconds, got -1
    """

    deadline: float | None = None
    max_items: int | None = None
    started: float = 0.0

    @classmethod
    def start(cls, *, time_limit: Any = None, max_items: Any = None) -> Budget:
        """A budget starting now; validates its arguments."""
        if time_limit is not None:
            try:
                limit = float(time_limit)
            except (TypeError, ValueError):
                limit = math.nan
            if isinstance(time_limit, bool) or not (limit > 0 and math.isfinite(limit)):
                raise InvalidInputError(
                    f"time_limit must be a positive number of seconds, got {time_limit!r}"
                )
        if max_items is not None and (
            isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 1
        ):
            raise InvalidInputError(f"max_regions must be a positive integer, got {max_items!r}")
        now = time.monotonic()
        return cls(None if time_limit is None else now + float(time_limit), max_items, now)

    def expired(self) -> bool:
        """Whether the deadline has passed."""
        return self.deadline is not None and time.monotonic() > self.deadline

    def allows(self, n_items: int) -> bool:
        """Whether ``n_items`` found items are still below the cap."""
        return self.max_items is None or n_items < self.max_items

    def remaining(self) -> float | None:
        """Seconds left (``None`` without a deadline; never negative)."""
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - time.monotonic())

    def elapsed(self) -> float:
        """Seconds since :meth:`start`."""
        return time.monotonic() - self.started

    def check(self) -> None:
        """Raise :class:`OutOfBudget` if the deadline has passed."""
        if self.expired():
            raise OutOfBudget
