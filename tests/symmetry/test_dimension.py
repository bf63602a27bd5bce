"""Functional dimension: the spec's tables (generic values and drops), the Jacobian against exact
finite differences, modular rank against the rational rank, SVD against modular, the batch."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from neurogeom import InvalidInputError, ReLUNet, UnsupportedLayerError
from neurogeom.core.rationals import exact_rank
from neurogeom.nets import RationalNet
from neurogeom.symmetry import ShallowNet, functional_dimension, jacobian


def gaussian(m: int, n: int, k: int, seed: int) -> ShallowNet:
    rng = np.random.default_rng(seed)
    return ShallowNet(
        rng.normal(size=(n, m)), rng.normal(size=n), rng.normal(size=(k, n)), c=rng.normal(size=k)
    )


@pytest.mark.parametrize(
    ("arch", "expected"),
    [((1, 1, 1), 3), ((1, 2, 1), 5), ((1, 3, 1), 7), ((2, 3, 1), 10), ((4, 2, 1), 11)],
)
@pytest.mark.parametrize("method", ["modular", "svd"])
def test_generic_shallow_values_from_the_spec(arch: tuple, expected: int, method: str) -> None:
    res = functional_dimension(gaussian(*arch, seed=sum(arch)), method=method)
    assert res.rank == res.generic == expected
    assert res.parameters - res.rank == arch[1]  # D - n
    assert res.certified


BASE_W = [[1, 2], [-1, 1], [2, -1]]
BASE_B = [1, 0, -1]
BASE_A = [[1, 2, 3]]
DEGENERATE = {  # spec §3c, (m, n, k) = (2, 3, 1), generic value 10
    "generic": ({}, 10, None),
    "a_1 = 0": ({"a": [[0, 2, 3]]}, 8, "output weight 0"),
    "duplicate same-oriented neuron": (
        {"w": [[1, 2], [2, 4], [2, -1]], "b": [1, 2, -1]},
        7,
        "share an oriented hyperplane",
    ),
    "cancelling opposite pair": (
        {"w": [[1, 2], [-1, -2], [2, -1]], "b": [1, -1, -1], "a": [[1, -1, 3]]},
        9,
        "coefficients cancel",
    ),
    "non-cancelling opposite pair": (
        {"w": [[1, 2], [-1, -2], [2, -1]], "b": [1, -1, -1], "a": [[1, 2, 3]]},
        9,
        "opposite orientations",
    ),
    "w_1 = 0, b_1 <= 0": ({"w": [[0, 0], [-1, 1], [2, -1]], "b": [-1, 0, -1]}, 7, "never active"),
    "w_1 = 0, b_1 > 0": ({"w": [[0, 0], [-1, 1], [2, -1]], "b": [1, 0, -1]}, 9, "always active"),
}


@pytest.mark.parametrize("name", sorted(DEGENERATE))
@pytest.mark.parametrize("exact", [True, False])
def test_rank_drops_at_degenerate_parameters(name: str, exact: bool) -> None:
    changes, rank, why = DEGENERATE[name]
    net = ShallowNet(BASE_W, BASE_B, BASE_A, c=[0], exact=True).replace(**changes)
    if not exact:
        net = net.to_float()
    for method in ("modular", "svd"):
        res = functional_dimension(net, method=method)
        assert res.rank == rank, method
        assert res.generic == 10 and res.drop == 10 - rank
        if why is None:
            assert res.explanations == ()
        else:
            assert any(why in e for e in res.explanations), res.explanations


def exact_jacobian(net: ReLUNet, x: list[Fraction]) -> np.ndarray:
    """Jacobian by exact finite differences: the output is affine in each single parameter while
    the activation pattern stays the same, so a small rational step gives the exact slope."""
    h = Fraction(1, 10**9)
    base = net.evaluate(x)
    cols = []
    for l in range(net.n_layers):
        for kind in ("w", "b"):
            arr = net.weights[l] if kind == "w" else net.biases[l]
            for idx in np.ndindex(arr.shape):
                ws = [np.array(w) for w in net.weights]
                bs = [np.array(b) for b in net.biases]
                target = ws[l] if kind == "w" else bs[l]
                target[idx] = target[idx] + h
                moved = ReLUNet(ws, bs, exact=True)
                assert (moved.activation_patterns([x]) == net.activation_patterns([x])).all()
                cols.append((moved.evaluate(x) - base) / h)
    return np.array(cols, dtype=object).T


@settings(max_examples=25)
@given(st.integers(0, 10**6), st.sampled_from([(2, 3, 1), (1, 2, 2), (2, 2, 2, 1)]))
def test_jacobian_matches_exact_finite_differences(seed: int, arch: tuple) -> None:
    rng = np.random.default_rng(seed)
    ws = [rng.integers(-3, 4, size=(arch[i + 1], arch[i])).tolist() for i in range(len(arch) - 1)]
    bs = [rng.integers(-3, 4, size=arch[i + 1]).tolist() for i in range(len(arch) - 1)]
    net = ReLUNet(ws, bs, exact=True)
    x = [Fraction(int(rng.integers(-50, 51)), 7) + Fraction(1, 1000) for _ in range(arch[0])]
    pre = net.preactivations([x])[:-1]
    if any(v == 0 for z in pre for v in z.ravel()):
        return  # on a kink: the Jacobian is not defined there
    expected = exact_jacobian(net, x)
    got = jacobian(net.to_float(), [[float(v) for v in x]])
    np.testing.assert_allclose(got, expected.astype(float), rtol=1e-9, atol=1e-9)
    p = 1_000_003
    modular = jacobian(net, [x], prime=p)
    reduced = np.vectorize(lambda q: q.numerator * pow(q.denominator, -1, p) % p)(expected)
    assert (modular == reduced).all()


@settings(max_examples=15)
@given(st.integers(0, 10**6))
def test_modular_rank_equals_the_rational_rank(seed: int) -> None:
    rng = np.random.default_rng(seed)
    net = ShallowNet(
        rng.integers(-2, 3, size=(3, 2)).tolist(),
        rng.integers(-2, 3, size=3).tolist(),
        rng.integers(-2, 3, size=(1, 3)).tolist(),
        c=[0],
        exact=True,
    )
    pts = [
        [Fraction(int(rng.integers(-40, 41)), 9) + Fraction(1, 997) for _ in range(2)]
        for _ in range(16)
    ]
    pre = [np.array(p, dtype=object) @ net.w.T + net.b for p in pts]
    pts = [p for p, z in zip(pts, pre, strict=True) if all(v != 0 for v in z)]
    assume(pts)  # a neuron with w = 0 and b = 0 puts every point on its "kink"
    x = np.array([[float(v) for v in p] for p in pts])
    res = functional_dimension(net, points=[[Fraction(v) for v in row] for row in x])
    rational = exact_rank(
        np.vstack([exact_jacobian(net.to_relu(), [Fraction(v) for v in row]) for row in x])
    )
    assert res.rank == rational
    assert res.rank <= res.upper_bound


def test_the_default_batch_sees_far_hyperplanes() -> None:
    # spec §5: a (2, 4, 3) net with a neuron 3.8 from the origin; a standard Gaussian batch of
    # the same size misses its other side (rank 22), the default batch does not (23)
    rng = np.random.default_rng(11)
    w = rng.normal(size=(4, 2))
    b = rng.normal(size=4) * 0.3
    b[3] = 3.8 * np.linalg.norm(w[3])
    net = ShallowNet(w, b, rng.normal(size=(3, 4)), c=rng.normal(size=3))
    res = functional_dimension(net)
    assert res.rank == 23 and res.certified
    gaussian_batch = np.random.default_rng(0).normal(size=(res.points, 2))
    assert functional_dimension(net, points=gaussian_batch).rank == 22


@pytest.mark.parametrize(
    ("arch", "bound"), [((2, 2, 1), 7), ((2, 3, 3, 1), 19), ((3, 4, 4, 2), 38)]
)
def test_deep_upper_bounds_from_the_spec(arch: tuple, bound: int) -> None:
    rng = np.random.default_rng(1)
    ws = [
        rng.normal(size=(arch[i + 1], arch[i])) * np.sqrt(2 / arch[i]) for i in range(len(arch) - 1)
    ]
    bs = [rng.normal(size=arch[i + 1]) * 0.1 for i in range(len(arch) - 1)]
    net = ReLUNet(ws, bs)
    res = functional_dimension(net)
    assert res.generic == bound == res.upper_bound
    assert res.rank <= bound
    assert res.certified == (res.rank == bound)
    assert functional_dimension(net, method="svd").rank == res.rank


def test_points_on_kinks_are_refused_or_dropped() -> None:
    net = ReLUNet([[[1.0], [-1.0]], [[1.0, 1.0]]])
    with pytest.raises(InvalidInputError, match="lies on"):
        jacobian(net, [[0.0]])
    with pytest.raises(InvalidInputError, match="every batch point lies on a kink"):
        functional_dimension(net, points=[[0.0]])
    assert functional_dimension(net, points=[[0.0], [1.0], [-1.0], [2.0], [-3.0]]).points == 4


def test_bad_arguments() -> None:
    net = ShallowNet([[1.0]], [0.0], [[1.0]])
    with pytest.raises(InvalidInputError, match="method"):
        functional_dimension(net, method="qr")
    with pytest.raises(InvalidInputError, match="n_points"):
        functional_dimension(net, n_points=0)
    with pytest.raises(UnsupportedLayerError, match="rational"):
        functional_dimension(RationalNet([[[1.0]], [[1.0]]]))
    with pytest.raises(InvalidInputError, match="every prime"):
        functional_dimension(ShallowNet([["1/7"]], [0], [[1]]), primes=(7,))


def test_json_has_the_contract_keys() -> None:
    doc = functional_dimension(gaussian(2, 3, 1, seed=0)).to_dict()
    assert doc["functional_dimension"] == 10 and doc["parameters"] == 13


def test_a_certified_inactive_neuron_passes_on_no_rounding_error() -> None:
    # layer 0 is inactive at these points (x - 100 < 0), so layer 1 sees exactly its bias 1e-14:
    # tiny but certainly positive, although layer 0's own rounding bound is about 2e-14
    net = ReLUNet([[[1.0]], [[1.0]], [[1.0]]], [[-100.0], [1e-14], [0.0]])
    res = functional_dimension(net, points=[[0.0], [1.0], [2.0], [3.0]])
    assert res.points == 4
