"""Fixtures for the rational-network tests."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from neurogeom import RationalNet


def make_random_net(
    arch: tuple[int, ...], seed: int, *, bias: bool = False, scale: int = 9
) -> RationalNet:
    """An exact net with nonzero integer weights in [-scale, scale] (and integer biases)."""
    rng = np.random.default_rng(seed)
    weights = []
    biases = []
    for i in range(len(arch) - 1):
        shape = (arch[i + 1], arch[i])
        w = rng.integers(1, scale + 1, size=shape) * rng.choice([-1, 1], size=shape)
        weights.append(w.tolist())
        b = rng.integers(-scale, scale + 1, size=arch[i + 1]) if bias else np.zeros(arch[i + 1])
        biases.append([int(v) for v in b])
    return RationalNet(weights, biases, exact=True)


@pytest.fixture
def random_net() -> Callable[..., RationalNet]:
    """``random_net(arch, seed, bias=False, scale=9)``: a random exact net."""
    return make_random_net
