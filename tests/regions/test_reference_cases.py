"""The reference cases RG1–RG15 of the regions spec, on both engines and both arithmetics."""

from fractions import Fraction as F

import numpy as np
import pytest

from neurogeom import ReLUNet
from neurogeom.regions import count_regions, enumerate_regions

MODES = [pytest.param(False, id="float"), pytest.param(True, id="exact")]


def thresholded(layers, thresholds):
    """A ReLUNet for TropicalNN-style layers y = max(W x + b, t) (t per hidden neuron)."""
    ws, bs = [], []
    carry = None
    for k, (w, b) in enumerate(layers):
        w = np.array(w, dtype=object)
        b = np.array(b, dtype=object)
        if carry is not None:
            b = b + w @ carry
        if k < len(layers) - 1:
            t = np.array(thresholds[k], dtype=object)
            b = b - t
            carry = t
        ws.append(w)
        bs.append(b)
    return ReLUNet([w.tolist() for w in ws], [b.tolist() for b in bs], exact=True)


def maps_of(res):
    return sorted((tuple(r.matrix[0]), r.offset[0]) for r in res.regions)


@pytest.mark.parametrize("exact", MODES)
def test_rg1(exact):
    net = ReLUNet([[[0, 1], [1, 0]], [[1, -1]]], [[1, 1], [0]])
    res = enumerate_regions(net, exact=exact, progress=False)
    assert res.linear_regions == 4
    if exact:
        assert maps_of(res) == sorted([((-1, 1), 0), ((0, 1), 1), ((-1, 0), -1), ((0, 0), 0)])


@pytest.mark.parametrize("exact", MODES)
def test_rg2_dead_neuron_convention(exact):
    net = ReLUNet([[[1, 0], [0, 1]], [[1, -1]], [[1]]])
    res = enumerate_regions(net, exact=exact, progress=False)
    assert res.activation_regions == 5
    assert res.linear_regions == 3
    assert sorted(len(r.cells) for r in res.regions) == [1, 1, 3]
    if exact:
        assert maps_of(res) == sorted([((0, 0), 0), ((1, -1), 0), ((1, 0), 0)])


@pytest.mark.parametrize("exact", MODES)
def test_rg3_same_map_twice_not_connected(exact):
    # max(0, x, 2x - 2) - max(0, 2x - 2) = relu(x) + relu(2x-2 - relu(x))... built directly:
    # relu(x) + relu(x - 2) - relu(2x - 2) on R has maps 0, x, 2 - x, 0.
    net = ReLUNet([[[1], [1], [2]], [[1, 1, -1]]], [[0, -2, -2], [0]])
    xs = np.array([[-1.0], [0.5], [1.5], [3.0]])
    expected = np.maximum(np.maximum(0, xs), 2 * xs - 2) - np.maximum(0, 2 * xs - 2)
    assert np.allclose(net(xs), expected)
    res = enumerate_regions(net, exact=exact, progress=False)
    assert res.linear_regions == 4
    assert res.linear_regions_point_connected == 4
    assert sorted(r.matrix[0][0] for r in res.regions) == [-1, 0, 0, 1]


@pytest.mark.parametrize("exact", MODES)
def test_rg5_two_outputs(exact):
    net = ReLUNet([[[1, 0], [0, 1]], [[1, 0], [0, 1]]])
    res = enumerate_regions(net, exact=exact, progress=False)
    assert res.activation_regions == 4
    assert res.linear_regions == 4


@pytest.mark.parametrize("exact", MODES)
@pytest.mark.parametrize(
    ("k", "on_line", "on_unit"), [(1, 3, 2), (2, 6, 4), (3, 10, 8), (4, 18, 16)]
)
def test_rg10_telgarsky_tent(exact, k, on_line, on_unit):
    tent = ReLUNet([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]])
    net = tent
    for _ in range(k - 1):
        net = net.compose(tent)
    res = enumerate_regions(net, exact=exact, progress=False)
    assert res.activation_regions == res.linear_regions == on_line
    assert res.linear_regions_point_connected == on_line
    res = enumerate_regions(net, domain=(0, 1), exact=exact, progress=False)
    assert res.linear_regions == on_unit
    total = sum(r.volume for r in res.regions)
    assert total == 1 if exact else abs(total - 1) < 1e-12


@pytest.mark.parametrize("exact", MODES)
def test_rg11_max(exact):
    net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])
    res = enumerate_regions(net, exact=exact, progress=False)
    assert (res.activation_regions, res.linear_regions) == (4, 2)


@pytest.mark.parametrize("exact", MODES)
def test_rg14_facet_vs_point(exact):
    net = ReLUNet([[[2, 0], [0, 3], [2, 3]], [[1, 1, -1]]])
    res = enumerate_regions(net, exact=exact, progress=False)
    assert res.counts() == {
        "activation_regions": 6,
        "linear_regions": 6,
        "linear_regions_point_connected": 5,
        "bounded_regions": 0,
    }


@pytest.mark.parametrize("exact", MODES)
def test_rg15_deep_1d(exact):
    net = thresholded(
        [([[1], [-1]], [0, 0]), ([[1, 1], [1, -1]], [0, 1]), ([[2, -1]], [0])], [[0, 0], [-1, 0]]
    )
    res = enumerate_regions(net if exact else net.to_float(), exact=exact, progress=False)
    assert res.activation_regions == res.linear_regions == 3
    assert res.linear_regions_point_connected == 3
    if exact:
        assert maps_of(res) == sorted([((-2,), 0), ((-3,), -1), ((1,), -1)])


@pytest.mark.parametrize("exact", MODES)
def test_rg15_deep_2d(exact):
    net = thresholded(
        [([[1, 0], [0, 1]], [0, -1]), ([[1, -1], [1, 1]], [0, 1]), ([[1, -2]], [0])],
        [[0, 0], [-1, 0]],
    )
    res = enumerate_regions(net if exact else net.to_float(), exact=exact, progress=False)
    assert res.activation_regions == res.linear_regions == 6
    assert res.linear_regions_point_connected == 6
    if exact:
        assert maps_of(res) == sorted(
            [
                ((0, 0), -2),
                ((-1, 0), -2),
                ((0, -3), 1),
                ((0, -2), -1),
                ((-1, -3), 1),
                ((-2, -2), -1),
            ]
        )


GENERIC = {
    # (d, n): weights checked to be in general position (no parallel lines, no triple points)
    (2, 4): 11,
    (2, 6): 22,
    (3, 5): 26,
}


@pytest.mark.parametrize(("d", "n"), list(GENERIC))
def test_rg9_zaslavsky(d, n):
    rng = np.random.default_rng(12345 + 10 * d + n)
    w = rng.normal(size=(n, d))
    b = rng.normal(size=n)
    net = ReLUNet([w, rng.normal(size=(1, n))], [b, [0.0]])
    assert count_regions(net, "activation") == GENERIC[(d, n)]
    assert count_regions(net, "linear") == GENERIC[(d, n)]


def test_rg9_one_dimensional():
    net = ReLUNet([[[1], [2], [-1], [3]], [[1, 1, 1, 1]]], [[0, 1, 2, -1], [0]])
    assert count_regions(net, "activation", exact=True) == 5


@pytest.mark.parametrize("exact", MODES)
def test_coincident_and_dead_neurons(exact):
    # two copies of a neuron, one negated copy, a dead neuron, a neuron missing the box
    net = ReLUNet(
        [[[1, 1], [2, 2], [-1, -1], [0, 0], [1, 0]], [[1, 1, 1, 1, 1]]], [[0, 0, 0, 1, 50], [0]]
    )
    res = enumerate_regions(net, domain=(-1, 1), exact=exact, progress=False)
    assert res.activation_regions == 2
    assert res.linear_regions == 2


def test_max_of_n_inputs_regions():
    # max(x1..x4) by a depth-2 tree of max2 gadgets: 4 linear regions
    m = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]], exact=True)
    pair_a = ReLUNet([[[1, 0, 0, 0], [0, 1, 0, 0]]], exact=True).compose(m)
    pair_b = ReLUNet([[[0, 0, 1, 0], [0, 0, 0, 1]]], exact=True).compose(m)
    net = ReLUNet.stack([pair_a, pair_b]).compose(m)
    assert net(np.array([[F(1), F(5), F(2), F(-3)]], dtype=object))[0, 0] == 5
    assert count_regions(net, "linear", exact=True) == 4
