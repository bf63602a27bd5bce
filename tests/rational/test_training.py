"""Training: recovery of known poles and residues (exactly representable targets), robustness,
the PyTorch backend, pole extraction and input errors."""

from __future__ import annotations

import numpy as np
import pytest

from neurogeom import InvalidInputError, RationalNet, UnsupportedLayerError
from neurogeom.rational import expand
from neurogeom.rational.training import extract_poles, fit


def _one_input_target():
    x = np.linspace(-3, 3, 241)
    x = x[(np.abs(x - 1) > 0.05) & (np.abs(x + 2) > 0.05)]
    return x, 1 / (x - 1) - 2 / (x + 2) + 0.5


def test_poles_and_residues_of_a_representable_target_are_recovered() -> None:
    x, y = _one_input_target()
    res = fit(x, y, hidden=2, seed=0)
    assert res.loss < 1e-20
    found = sorted((p.location(), p.residue[0]) for p in res.poles)
    assert np.allclose(found, [(-2.0, -2.0), (1.0, 1.0)], atol=1e-8)
    # the network is the target: its output bias is the constant term
    assert res.net.biases[1][0] == pytest.approx(0.5, abs=1e-8)
    assert res.net(np.array([[0.0]]))[0, 0] == pytest.approx(-1 - 1 + 0.5, abs=1e-8)


def test_two_input_pole_lines_are_recovered() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(-3, 3, (400, 2))
    y = 1 / (x[:, 0] + x[:, 1] - 1) + 3 / (x[:, 0] - 2 * x[:, 1])
    keep = (np.abs(x[:, 0] + x[:, 1] - 1) > 0.05) & (np.abs(x[:, 0] - 2 * x[:, 1]) > 0.05)
    res = fit(x[keep], y[keep], hidden=2, seed=0)
    assert res.loss < 1e-16
    s2, s5 = np.sqrt(2), np.sqrt(5)
    want = {
        (round(1 / s2, 6), round(1 / s2, 6), round(-1 / s2, 6), round(1 / s2, 6)),
        (round(1 / s5, 6), round(-2 / s5, 6), 0.0, round(3 / s5, 6)),
    }
    got = {
        (
            round(p.normal[0], 6),
            round(p.normal[1], 6),
            round(p.offset, 6) + 0.0,
            round(p.residue[0], 6),
        )
        for p in res.poles
    }
    assert got == want


def test_non_finite_targets_are_masked_and_naive_starts_are_worse() -> None:
    x, y = _one_input_target()
    x = np.concatenate([x, [1.0, -2.0]])
    y = np.concatenate([y, [np.inf, np.nan]])
    res = fit(x, y, hidden=2, seed=1)
    assert res.masked == 2 and res.loss < 1e-20
    naive = fit(x, y, hidden=2, seed=1, init="random", restarts=2)
    assert naive.loss > res.loss


def test_tangent_recovers_the_poles_inside_the_data() -> None:
    # spec §4: plain least squares "usually recovers one pole"; the grid start finds both
    x = np.linspace(-3, 3, 601)
    x = x[np.abs(np.abs(x) - np.pi / 2) > 0.02]
    res = fit(x, np.tan(x), hidden=4, seed=0)
    inside = sorted((p for p in res.poles if abs(p.location()) < 3), key=lambda p: p.location())
    assert [p.location() for p in inside] == pytest.approx([-np.pi / 2, np.pi / 2], abs=1e-3)
    assert [p.residue[0] for p in inside] == pytest.approx([-1, -1], abs=1e-2)


def test_deep_fits_have_no_hyperplane_poles() -> None:
    x, y = _one_input_target()
    res = fit(x, y, hidden=(2, 2), seed=0, restarts=2, iterations=50)
    assert res.poles is None and res.net.architecture == (1, 2, 2, 1)
    assert "poles" not in repr(res)
    d = res.to_dict()
    assert d["architecture"] == [1, 2, 2, 1] and d["poles"] is None


def test_torch_backend() -> None:
    pytest.importorskip("torch")
    x, y = _one_input_target()
    res = fit(x, y, hidden=2, seed=0, backend="torch", restarts=1, iterations=100)
    assert res.backend == "torch"
    found = sorted((p.location(), p.residue[0]) for p in res.poles)
    assert np.allclose(found, [(-2.0, -2.0), (1.0, 1.0)], atol=1e-4)
    # the meromorphic target tan: both poles inside the data, residue -1, as with NumPy
    x = np.linspace(-3, 3, 601)
    x = x[np.abs(np.abs(x) - np.pi / 2) > 0.02]
    res = fit(x, np.tan(x), hidden=4, seed=0, backend="torch")
    inside = sorted((p for p in res.poles if abs(p.location()) < 3), key=lambda p: p.location())
    assert [p.location() for p in inside] == pytest.approx([-np.pi / 2, np.pi / 2], abs=1e-3)
    assert [p.residue[0] for p in inside] == pytest.approx([-1, -1], abs=1e-2)


def test_extract_poles_merges_coincident_neurons_and_drops_dead_ones() -> None:
    # 1/(x-1) + 1/(2x-2) = 1.5/(x-1); a neuron with output weight 0; a constant neuron
    net = RationalNet(
        [[[1.0], [2.0], [1.0], [0.0]], [[1.0, 1.0, 0.0, 5.0]]], [[-1.0, -2.0, 3.0, 1.0], [0.0]]
    )
    poles = extract_poles(net)
    assert len(poles) == 1
    assert poles[0].location() == pytest.approx(1.0)
    assert poles[0].residue == pytest.approx((1.5,))
    assert poles[0].neurons == (0, 1)
    # the residue is the coefficient of 1/distance: compare with the exact expansion
    e = expand(RationalNet([[[1], [2]], [[1, 1]]], [[-1, -2], [0]], exact=True))
    assert e(["11/10"])[0] == pytest.approx(1.5 / 0.1)


def test_extract_poles_needs_a_shallow_rational_net() -> None:
    from neurogeom import ReLUNet

    with pytest.raises(InvalidInputError, match="one hidden layer"):
        extract_poles(RationalNet([[[1.0]], [[1.0]], [[1.0]]]))
    with pytest.raises(UnsupportedLayerError):
        extract_poles(ReLUNet([[[1.0]], [[1.0]]]))


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"hidden": 0}, "hidden"),
        ({"restarts": 0}, "restarts"),
        ({"backend": "jax"}, "backend"),
        ({"init": "zeros"}, "init"),
    ],
)
def test_bad_options(kwargs, needle) -> None:
    x, y = _one_input_target()
    with pytest.raises(InvalidInputError, match=needle):
        fit(x, y, **kwargs)


def test_bad_data() -> None:
    with pytest.raises(InvalidInputError, match="same N"):
        fit(np.zeros((3, 1)), np.zeros(4))
    with pytest.raises(InvalidInputError, match="finite"):
        fit(np.array([0.0, np.nan]), np.zeros(2))
    with pytest.raises(InvalidInputError, match="two samples"):
        fit(np.array([0.0, 1.0]), np.array([np.nan, 1.0]))
