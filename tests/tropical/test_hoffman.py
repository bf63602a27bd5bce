"""Hoffman constants: the spec's oracles, PVZ against brute force, bounds, effective radius."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurogeom import ReLUNet
from neurogeom.core.errors import InvalidInputError
from neurogeom.core.lp import LPModel
from neurogeom.tropical import (
    TropicalPolynomial,
    TropicalRationalMap,
    effective_radius,
    hoffman_bounds,
    hoffman_constant,
    matrix_hoffman,
    prune_polynomial,
    tropicalize,
)


@pytest.mark.parametrize("method", ["pvz", "brute"])
def test_matrix_oracles(method) -> None:
    assert matrix_hoffman(np.eye(3), method=method) == pytest.approx(1.0)
    assert matrix_hoffman(np.vstack([np.eye(3), -np.ones((1, 3))]), method=method) == (
        pytest.approx(3.0)
    )
    assert matrix_hoffman(np.vstack([np.eye(3), -np.eye(3)]), method=method) == pytest.approx(1.0)
    assert matrix_hoffman(np.zeros((2, 2)), method=method) == 0.0


def test_upper_bound_oracle() -> None:
    assert hoffman_bounds([[1, 0], [0, 1], [1, 0]], seed=0).upper == pytest.approx(math.sqrt(2))


def test_function_oracle() -> None:
    f = TropicalPolynomial([[0], [1], [2]], [0, -1, 0])  # max(0, x - 1, 2x)
    assert hoffman_constant(f) == pytest.approx(1.0)
    assert effective_radius(f) == pytest.approx(1.0)
    g = prune_polynomial(f)
    assert g.n_monomials == 2
    assert hoffman_constant(g) == pytest.approx(0.5)
    assert effective_radius(g) == 0.0


def test_conventions() -> None:
    single = TropicalPolynomial([[1, 2]], [5])
    assert hoffman_constant(single) == 0.0 and effective_radius(single) == 0.0
    with pytest.raises(InvalidInputError):
        matrix_hoffman([[1, float("nan")]])
    with pytest.raises(InvalidInputError):
        matrix_hoffman(np.eye(2), method="magic")
    with pytest.raises(InvalidInputError):
        effective_radius(np.eye(2))


@settings(max_examples=20)
@given(st.integers(0, 2**16))
def test_pvz_equals_brute_force_and_bounds(seed) -> None:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(3, 3))
    exact = matrix_hoffman(a, method="brute")
    assert matrix_hoffman(a) == pytest.approx(exact, rel=1e-7)
    b = hoffman_bounds(a, n_samples=20, seed=seed)
    assert b.lower <= exact * (1 + 1e-7) and exact <= b.upper * (1 + 1e-7)


def test_pvz_equals_brute_on_signomials_and_a_221_net() -> None:
    rng = np.random.default_rng(5)
    p = TropicalPolynomial(rng.normal(size=(3, 3)), rng.normal(size=3))
    assert hoffman_constant(p) == pytest.approx(hoffman_constant(p, method="brute"), rel=1e-7)
    net = ReLUNet(
        [rng.normal(size=(2, 2)), rng.normal(size=(1, 2))],
        [rng.uniform(size=2), rng.uniform(size=1)],
    )
    f = tropicalize(net, progress=False)
    assert hoffman_constant(f) == pytest.approx(hoffman_constant(f, method="brute"), rel=1e-7)


def _meets_box(a: np.ndarray, b: np.ndarray, radius: float) -> bool:
    n = a.shape[1]
    lp = LPModel(
        a, None, b + 1e-9, col_lower=np.full(n, -radius - 1e-9), col_upper=np.full(n, radius + 1e-9)
    )
    return lp.solve(np.zeros(n)).status == "optimal"


@settings(max_examples=15)
@given(st.integers(0, 2**16))
def test_every_region_meets_the_effective_radius_box(seed) -> None:
    rng = np.random.default_rng(seed)
    p = TropicalPolynomial(rng.integers(-3, 4, size=(6, 2)), rng.integers(-10, 10, size=6))
    radius = effective_radius(p)
    kept = prune_polynomial(p)
    e, c = kept.exponents, kept.coefficients
    for i in range(kept.n_monomials):
        others = [j for j in range(kept.n_monomials) if j != i]
        a = np.array((e[others] - e[i]).tolist(), dtype=float).reshape(-1, 2)
        b = np.array((c[i] - c[others]).tolist(), dtype=float)
        assert len(others) == 0 or _meets_box(a, b, radius)


def test_rational_map_radius() -> None:
    p = TropicalPolynomial([[0], [1]], [0, 3])
    q = TropicalPolynomial([[0], [2]], [0, -4])
    f = TropicalRationalMap([p], [q])
    h = hoffman_constant(f)
    assert h > 0
    assert effective_radius(f) == pytest.approx(h * 4)
