"""Sampling estimators: lower-bound style, seeded, reach the exact count when dense enough."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from neurogeom import ReLUNet
from neurogeom.core.errors import InvalidInputError
from neurogeom.regions import enumerate_regions
from neurogeom.tropical import (
    RegionEstimate,
    sample_regions,
    sample_regions_effective,
    sample_regions_symmetric,
)
from neurogeom.tropical.sampling import STATEMENT


def _net(seed: int, widths=(2, 5, 1)) -> ReLUNet:
    rng = np.random.default_rng(seed)
    ws = [rng.normal(size=(b, a)) for a, b in itertools.pairwise(widths)]
    bs = [rng.normal(size=b) for b in widths[1:]]
    return ReLUNet(ws, bs)


def test_estimate_is_a_lower_bound_and_reaches_the_count() -> None:
    net = _net(0)
    exact = enumerate_regions(net, domain=(-3, 3), progress=False).linear_regions
    est = sample_regions(net, box=(-3, 3), n_samples=20_000, seed=1)
    assert isinstance(est, RegionEstimate)
    assert est.estimate <= exact
    assert est.estimate == exact
    assert est.statement == STATEMENT and "lower-bound" in est.to_dict()["statement"]
    small = sample_regions(net, box=(-3, 3), n_samples=5, seed=1)
    assert small.estimate <= 5


def test_seeded() -> None:
    net = _net(2)
    a = sample_regions(net, n_samples=2000, seed=7)
    b = sample_regions(net, n_samples=2000, seed=7)
    assert a == b


def test_linearity_check_splits_disconnected_pieces() -> None:
    # RG3-like: the zero map holds on two separate pieces of the line
    net = ReLUNet([[[1.0], [1.0], [1.0]], [[1.0, -2.0, 1.0]]], [[0.0, -1.0, -2.0], [0.0]])
    exact = enumerate_regions(net, progress=False).linear_regions
    with_check = sample_regions(net, box=(-1, 3), n_samples=4000, seed=0)
    without = sample_regions(net, box=(-1, 3), n_samples=4000, seed=0, linearity_check=False)
    assert with_check.estimate == exact == 4
    assert without.estimate == without.distinct_maps == 3


def test_effective_radius_box_reaches_far_regions() -> None:
    net = ReLUNet([[[1.0], [1.0]], [[1.0, -1.0]]], [[0.0, -20.0], [0.0]])
    assert sample_regions(net, box=(-1, 1), n_samples=2000, seed=0).estimate == 2
    est = sample_regions_effective(net, n_samples=2000, seed=0)
    assert est.estimate == 3 and est.method == "effective_radius"
    assert est.box[1] >= 20


def test_fundamental_domain_deepset() -> None:
    rng = np.random.default_rng(3)
    n = 3
    alpha, gamma = rng.uniform(-1, 1, size=2)
    w = alpha * np.eye(n) + gamma * np.ones((n, n))
    net = ReLUNet([w, np.ones((1, n))], [rng.uniform(-1, 1) * np.ones(n), [0.0]])
    box = (-5, 5)
    sym = sample_regions_symmetric(net, box=box, n_samples=60_000, seed=0)
    full = sample_regions(net, box=box, n_samples=60_000, seed=0)
    exact = enumerate_regions(net, domain=box, progress=False).linear_regions
    assert sym.n_samples == 10_000 and sym.method == "fundamental_domain"
    assert sym.estimate == exact
    assert full.estimate <= exact


def test_bad_input() -> None:
    net = _net(0)
    with pytest.raises(InvalidInputError, match="n_samples"):
        sample_regions(net, n_samples=0)
    with pytest.raises(InvalidInputError, match="box"):
        sample_regions(net, box=(1, -1))
    with pytest.raises(InvalidInputError, match="ReLUNet"):
        sample_regions("net")
    with pytest.raises(InvalidInputError, match="radius"):
        sample_regions_effective(net, radius=-1.0)
