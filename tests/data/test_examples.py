"""The bundled example networks load in both modes and compute their documented functions."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pytest

from neurogeom import InvalidInputError, ReLUNet
from neurogeom.data import DEFAULT_EXAMPLE, example_path, list_examples
from neurogeom.nets import RationalNet
from neurogeom.nets.io import load

Q = Fraction
EXAMPLES = sorted(list_examples())
HAND_MADE = ["abs", "max2", "rational_poles", "rg1", "rg2", "sectors", "tent3"]


def relu(t: Fraction) -> Fraction:
    return max(t, Q(0))


def tent(x: Fraction) -> Fraction:
    """Telgarsky's tent map t(x) = 2 relu(x) - 4 relu(x - 1/2)."""
    return 2 * relu(x) - 4 * relu(x - Q(1, 2))


FUNCTIONS: dict[str, Callable[..., Fraction]] = {
    "abs": lambda x: abs(x),
    "max2": lambda x, y: max(x, y),
    "rg1": lambda x1, x2: relu(x2 + 1) - relu(x1 + 1),
    "rg2": lambda x1, x2: relu(relu(x1) - relu(x2)),
    "sectors": lambda x, y: relu(2 * x) + relu(3 * y) - relu(2 * x + 3 * y),
    "tent3": lambda x: tent(tent(tent(x))),
    "rational_poles": lambda x1, x2: 2 / (x1 + x2 + 1) - 1 / (x1 - x2),
}

GRID_1D = [Q(k, 16) for k in range(-24, 41)]
GRID_2D = [(Q(a, 3), Q(b, 2)) for a in range(-7, 8, 2) for b in range(-5, 6, 2)] + [
    (Q(0), Q(0)),
    (Q(-1), Q(-1)),
    (Q(2), Q(-3)),
    (Q(-1, 7), Q(5, 9)),
]


def test_all_documented_examples_are_bundled() -> None:
    assert set(HAND_MADE) | {"two_moons"} <= set(EXAMPLES)
    assert DEFAULT_EXAMPLE in EXAMPLES
    for name, description in list_examples().items():
        assert description, f"{name} has no description"


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_loads_in_float_and_exact_mode(name: str) -> None:
    exact = load(example_path(name), exact=True)
    flt = load(example_path(name))
    assert isinstance(exact, ReLUNet | RationalNet)
    assert exact.exact
    assert not flt.exact
    assert exact.architecture == flt.architecture
    assert exact.to_float() == flt
    x = np.zeros((3, exact.n_inputs))
    x[1] = 1.0
    x[2] = -0.5
    x[:, 0] += 0.25  # off the rational example's poles
    ev = exact(x)
    fv = flt(x)
    assert np.allclose(np.asarray(ev, dtype=np.float64), fv, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", HAND_MADE)
def test_hand_made_example_computes_its_function(name: str) -> None:
    f = FUNCTIONS[name]
    net = load(example_path(name), exact=True)
    points = [(x,) for x in GRID_1D] if net.n_inputs == 1 else GRID_2D
    if isinstance(net, RationalNet):  # off the pole lines
        points = [p for p in points if p[0] != p[1] and p[0] + p[1] != -1]
    values = net([list(p) for p in points])
    assert [v[0] for v in values] == [f(*p) for p in points]
    fvalues = load(example_path(name))(np.array(points, dtype=np.float64))
    assert np.allclose(fvalues[:, 0], [float(f(*p)) for p in points], rtol=0, atol=1e-12)


def test_tent3_has_eight_pieces_on_the_unit_interval() -> None:
    net = load(example_path("tent3"), exact=True)
    # t∘t∘t is 1 at the odd multiples of 1/8 and 0 at the even ones
    values = net([[Q(k, 8)] for k in range(9)])
    assert [v[0] for v in values] == [Q(k % 2) for k in range(9)]


def test_unknown_example_lists_the_available_ones() -> None:
    with pytest.raises(InvalidInputError, match=r"no bundled example 'nope'; available: .*max2"):
        example_path("nope")


# -- two moons -------------------------------------------------------------------------------------


def make_moons(n_points: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The generator of examples/train_two_moons.py, inlined (class 1 is the lower moon)."""
    rng = np.random.default_rng(seed)
    n0 = n_points // 2
    n1 = n_points - n0
    t0 = rng.uniform(0.0, np.pi, n0)
    t1 = rng.uniform(0.0, np.pi, n1)
    upper = np.stack([np.cos(t0), np.sin(t0)], axis=1)
    lower = np.stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)], axis=1)
    x = np.concatenate([upper, lower]) + rng.normal(0.0, noise, (n_points, 2))
    y = np.concatenate([np.zeros(n0, dtype=int), np.ones(n1, dtype=int)])
    return x, y


def test_two_moons_is_a_2_12_12_1_relu_net_with_small_denominators() -> None:
    net = load(example_path("two_moons"), exact=True)
    assert net.architecture == (2, 12, 12, 1)
    assert net.activation == "relu"
    for w, b in net.layers:
        assert all(1000 % v.denominator == 0 for v in (*w.flat, *b.flat))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_moons_classifies_fresh_moons(seed: int) -> None:
    x, y = make_moons(400, 0.1, seed)
    net = load(example_path("two_moons"))
    logits = net(x)[:, 0]
    accuracy = np.mean((logits > 0) == (y == 1))
    assert accuracy >= 0.9, accuracy


def test_two_moons_exact_and_float_classify_alike() -> None:
    x, _ = make_moons(20, 0.1, 7)
    exact = load(example_path("two_moons"), exact=True)
    flt = load(example_path("two_moons"))
    ev = np.asarray(exact(x), dtype=np.float64)[:, 0]
    fv = flt(x)[:, 0]
    assert np.allclose(ev, fv, rtol=1e-9, atol=1e-9)
    assert ((ev > 0) == (fv > 0)).all()
