"""Float mode is right or flagged: it never reports a wrong count as certified.

Float mode decides up to a relative tolerance (``tol``, times the scale of the network and the
domain) and certifies an answer only when no decision fell inside the tolerance band. The oracle
is exact mode on the decimal weights the float net was rounded from.
"""

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neurogeom import Domain, ReLUNet
from neurogeom.regions import enumerate_regions


def decimal_net(weights, biases) -> ReLUNet:
    """An exact net whose weights are the decimals written (strings), like a JSON file."""
    return ReLUNet(
        [[[F(str(v)) for v in row] for row in w] for w in weights],
        [[F(str(v)) for v in b] for b in biases],
        exact=True,
    )


def assert_right_or_flagged(net: ReLUNet, domain) -> None:
    exact = enumerate_regions(net, domain=domain, exact=True, progress=False)
    fl = enumerate_regions(net.to_float(), domain=domain, progress=False)
    if fl.certified:
        assert fl.counts() == exact.counts(), (fl.uncertified, fl.counts(), exact.counts())


@pytest.mark.parametrize("domain", [None, (-1, 1)])
def test_a_zero_map_does_not_split_a_region(domain):
    # the output is 0.1 r + 0.2 r - 0.3 r = 0 exactly in decimals; in float64 the three terms
    # leave 2.8e-17, which the old map comparison (relative to the maps themselves) called a
    # different map: 2 linear regions, certified
    net = decimal_net([[[1, 0.5]] * 3, [[0.1, 0.2, -0.3]]], [[0.3] * 3, [0]])
    res = enumerate_regions(net.to_float(), domain=domain, progress=False)
    assert res.linear_regions == 1
    assert res.certified
    assert_right_or_flagged(net, domain)


@pytest.mark.parametrize("domain", [None, (-1, 1)])
def test_proportional_neurons_give_the_decimal_count(domain):
    # 0.4 relu(0.7x - 0.1y) - 0.1 relu(2.1x - 0.3y) = 0.1 relu(0.7x - 0.1y): neuron 2 is 3 times
    # neuron 1; in float64 their lines differ by ~1e-17, far below any tolerance
    net = decimal_net([[[0.7, -0.1], [2.1, -0.3]], [[0.4, -0.1]]], [[0, 0], [0]])
    res = enumerate_regions(net.to_float(), domain=domain, progress=False)
    assert res.counts()["linear_regions"] == 2
    assert res.certified
    assert_right_or_flagged(net, domain)


@pytest.mark.parametrize("method", ["search", "split"])
def test_a_feature_inside_the_band_is_flagged_not_certified(method):
    # two parallel lines 1e-10 apart (relative to a scale of 1): floats merge them, but the
    # decision is inside the band, so the float answer is not certified
    net = ReLUNet([[[1.0, 0], [1.0, 0], [0, 1.0]], [[1.0, -2.0, 1.0]]], [[0, -1e-10, 0], [0]])
    fl = enumerate_regions(net, domain=(-1, 1), method=method, progress=False)
    ex = enumerate_regions(net, domain=(-1, 1), method=method, exact=True, progress=False)
    assert ex.activation_regions == 6 and ex.certified
    assert fl.activation_regions != ex.activation_regions
    assert not fl.certified
    kinds = {n.kind for n in fl.uncertified}
    assert kinds == ({"near-coincident hyperplanes"} if method == "search" else {"unsure crossing"})


tenths = st.integers(-9, 9).map(lambda k: F(k, 10))


@st.composite
def decimal_nets(draw):
    """2-D nets with decimal weights, proportional neurons and cancelling output weights."""
    widths = [2] + [draw(st.integers(2, 4)) for _ in range(draw(st.integers(1, 2)))]
    ws, bs = [], []
    for i in range(len(widths) - 1):
        w = [[draw(tenths) for _ in range(widths[i])] for _ in range(widths[i + 1])]
        b = [draw(tenths) for _ in range(widths[i + 1])]
        for j in range(1, widths[i + 1]):
            if draw(st.booleans()):  # neuron j is a multiple of neuron j - 1
                f = draw(st.sampled_from([F(3), F(2), F(1, 2), F(-1), F(3, 2)]))
                w[j] = [f * v for v in w[j - 1]]
                b[j] = f * b[j - 1] if draw(st.booleans()) else draw(tenths)
        ws.append(w)
        bs.append(b)
    out = [draw(tenths) for _ in range(widths[-1])]
    if widths[-1] >= 3 and draw(st.booleans()):
        # three copies of one neuron with output weights 0.1, 0.2, -0.3 (they cancel exactly)
        ws[-1][1] = list(ws[-1][0])
        ws[-1][2] = list(ws[-1][0])
        bs[-1][1] = bs[-1][2] = bs[-1][0]
        out[:3] = [F(1, 10), F(2, 10), F(-3, 10)]
    ws.append([out])
    bs.append([draw(tenths)])
    return ReLUNet(ws, bs, exact=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(decimal_nets(), st.sampled_from([None, (-1, 1)]))
def test_float_mode_is_right_or_flagged_on_cancelling_and_proportional_nets(net, domain):
    assert_right_or_flagged(net, domain)


def test_certified_means_the_same_answer_at_nearby_tolerances():
    rng = np.random.default_rng(5)
    net = ReLUNet([rng.normal(size=(6, 2)), rng.normal(size=(1, 6))], [rng.normal(size=6), [0.0]])
    res = enumerate_regions(net, domain=Domain.box(-2, 2, dim=2), progress=False)
    assert res.certified
    for tol in (1e-12, 1e-6):
        other = enumerate_regions(net, domain=(-2, 2), tol=tol, progress=False)
        assert other.counts() == res.counts()
