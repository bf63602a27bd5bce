"""Laws of region enumeration that cut across the modules, on random small nets, over both
engines and both arithmetics.

Both engines and both arithmetics find the same cells and counts on a box; exact interior points
certify their patterns and maps; every pattern seen at a sampled point is a cell; higher
dimensions agree with sampling; leaky ReLU has ReLU's cells; strips thinner than the float
tolerance are found exactly and flagged in float mode.

Float mode is right or flagged: it decides up to a relative tolerance (``tol``, times the scale
of the network and the domain) and certifies an answer only when no decision fell inside the
tolerance band, so a certified float answer never differs from exact mode. The oracle is exact
mode on the decimal weights the float net was rounded from.
"""

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neurogeom import Domain, ReLUNet
from neurogeom.regions import enumerate_regions

small = st.integers(-3, 3)


@st.composite
def nets_2d(draw, max_width: int = 4, max_layers: int = 2):
    """Small integer nets in 2-D, with forced degeneracies (duplicates, parallels, dead rows)."""
    widths = [2] + [
        draw(st.integers(1, max_width)) for _ in range(draw(st.integers(1, max_layers)))
    ]
    ws, bs = [], []
    for i in range(len(widths) - 1):
        w = [[draw(small) for _ in range(widths[i])] for _ in range(widths[i + 1])]
        b = [draw(small) for _ in range(widths[i + 1])]
        if widths[i + 1] > 1 and draw(st.booleans()):
            w[1] = [2 * v for v in w[0]]  # a parallel (often coincident) neuron
            b[1] = draw(st.sampled_from([2 * b[0], b[0], -b[0]]))
        ws.append(w)
        bs.append(b)
    ws.append([[draw(small) for _ in range(widths[-1])]])
    bs.append([draw(small)])
    return ReLUNet(ws, bs, exact=True)


def patterns(res):
    return sorted(c.pattern for c in res.cells)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nets_2d())
def test_engines_and_arithmetics_agree_on_a_box(net):
    box = Domain.box(-2, 2, dim=2)
    results = [
        enumerate_regions(
            net if exact else net.to_float(),
            domain=box,
            exact=exact,
            method=method,
            progress=False,
            volumes=True,
        )
        for method in ("search", "split")
        for exact in (False, True)
    ]
    first = results[0]
    for res in results[1:]:
        assert patterns(res) == patterns(first)
        assert res.counts() == first.counts()
    exact_split = results[3]
    assert sum(c.volume for c in exact_split.cells) == 16
    assert sum(r.volume for r in exact_split.regions) == 16
    exact_search = results[1]
    assert sum(c.volume for c in exact_search.cells) == 16


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nets_2d(max_width=3))
def test_whole_plane_exact_points_certify_patterns(net):
    res = enumerate_regions(net, exact=True, method="search", progress=False, volumes=False)
    assert res.certified
    for cell in res.cells:
        point = np.array([cell.point], dtype=object)
        assert tuple(net.activation_patterns(point)[0]) == cell.pattern
        m, c = net.local_affine_map(np.array(cell.pattern))
        assert net(point)[0].tolist() == (m @ point[0] + c).tolist()
    float_res = enumerate_regions(net.to_float(), method="search", progress=False, volumes=False)
    assert float_res.counts() == res.counts()
    assert patterns(float_res) == patterns(res)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nets_2d(max_width=3), st.integers(0, 2**16))
def test_every_sampled_pattern_is_a_cell(net, seed):
    res = enumerate_regions(
        net, exact=True, method="search", progress=False, volumes=False, point_connected=False
    )
    rng = np.random.default_rng(seed)
    pts = np.array(
        [[F(int(v), 8) for v in row] for row in rng.integers(-40, 40, size=(200, 2))], dtype=object
    )
    zs = net.preactivations(pts)[:-1]
    on_plane = np.zeros(len(pts), dtype=bool)
    for z in zs:
        on_plane |= (z == 0).any(axis=1)
    found = {c.pattern for c in res.cells}
    for p in net.activation_patterns(pts[~on_plane]):
        assert tuple(p) in found


@pytest.mark.parametrize("arch", [[3, 5, 4, 1], [4, 4, 3, 1], [5, 6, 1]])
def test_higher_dimensions_exact_equals_float_and_sampling(arch):
    rng = np.random.default_rng(sum(arch))
    ws = [rng.integers(-4, 5, size=(arch[i + 1], arch[i])) for i in range(len(arch) - 1)]
    bs = [rng.integers(-3, 4, size=arch[i + 1]) for i in range(len(arch) - 1)]
    net = ReLUNet([w.tolist() for w in ws], [b.tolist() for b in bs], exact=True)
    ex = enumerate_regions(net, exact=True, progress=False, volumes=False)
    fl = enumerate_regions(net.to_float(), progress=False, volumes=False)
    assert ex.certified
    assert ex.counts() == fl.counts()
    assert patterns(ex) == patterns(fl)
    sample = rng.normal(size=(20000, arch[0])) * 4
    seen = {tuple(p) for p in net.to_float().activation_patterns(sample)}
    assert seen <= {c.pattern for c in ex.cells}


def test_leaky_relu_has_the_same_cells_as_relu():
    w = [[[1, -1], [0, 1], [2, 1]], [[1, 1, -1]]]
    relu = enumerate_regions(ReLUNet(w), progress=False)
    leaky = enumerate_regions(ReLUNet(w, negative_slope="1/10"), progress=False)
    assert relu.activation_regions == leaky.activation_regions == 6
    assert leaky.linear_regions == 6  # leaky ReLU never kills a direction


def test_thin_cells_are_found_exactly_and_reported_in_float_mode():
    # two hyperplanes 1e-11 apart: the strip between them is two cells thinner than float tol
    net = ReLUNet([[[1.0, 0], [1.0, 0], [0, 1.0]], [[1.0, -2.0, 1.0]]], [[0, -1e-11, 0], [0]])
    for domain, method in [(None, "search"), ((-1, 1), "search"), ((-1, 1), "split")]:
        res = enumerate_regions(
            net, domain=domain, method=method, exact=True, progress=False, volumes=True
        )
        assert res.activation_regions == 6
        assert res.certified
        if domain is not None:
            assert sum(c.volume for c in res.cells) == 4
    res = enumerate_regions(net, progress=False, volumes=True)
    assert res.activation_regions == 4
    assert not res.certified
    assert res.uncertified[0].kind == "near-coincident hyperplanes"
    assert res.uncertified[0].neurons == (0, 1)


@st.composite
def thin_nets(draw):
    """2-D nets whose first-layer lines come in nearly parallel, nearly coincident pairs."""
    width = draw(st.integers(2, 4))
    w, b = [], []
    for _ in range(width):
        a = [draw(small), draw(small)]
        if a == [0, 0]:
            a = [1, 0]
        c = draw(small)
        w.append(a)
        b.append(c)
        if draw(st.booleans()):
            w.append(a)
            b.append(F(c) + F(draw(st.integers(1, 5)), 10 ** draw(st.integers(6, 14))))
    out = [[draw(small) for _ in range(len(w))]]
    return ReLUNet([w, out], [b, [0]], exact=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(thin_nets())
def test_exact_engines_agree_on_nearly_coincident_planes(net):
    box = Domain.box(-2, 2, dim=2)
    search = enumerate_regions(
        net, domain=box, exact=True, method="search", progress=False, volumes=True
    )
    split = enumerate_regions(
        net, domain=box, exact=True, method="split", progress=False, volumes=True
    )
    assert search.certified and split.certified
    assert patterns(search) == patterns(split)
    assert search.counts() == split.counts()
    assert sum(c.volume for c in search.cells) == 16
    whole = enumerate_regions(net, exact=True, progress=False, volumes=False)
    assert whole.certified
    assert {c.pattern for c in search.cells} <= {c.pattern for c in whole.cells}
    for cell in whole.cells:
        assert whole.locate(list(cell.point)) == cell


# -- float mode is right or flagged --------------------------------------------------------------
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


def test_a_normal_cancelled_to_rounding_noise_bounds_nothing():
    """Found by the test below: in decimals, layer 2's neuron adds 0.1 (0.3x + 0.9y) and
    0.1 (-0.3x - 0.9y + 0.1) on a cell where both are active, a constant; float64 leaves a
    normal of ~1e-17, a wall some 1e15 away that closed the strip into a 'bounded' cell."""
    net = decimal_net(
        [
            [[0.1, 0.3], [0.3, 0.9], [-0.3, -0.9], [0, 0.1]],
            [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0.1, 0.1, 0.1], [0, 0, 0, 0]],
            [[0, 0, 0.1, 0]],
        ],
        [[0, 0, 0.1, 0], [0, 0, 0, 0], [0]],
    )
    fl = enumerate_regions(net.to_float(), progress=False)
    assert fl.certified and fl.bounded_regions == 0
    assert fl.counts() == enumerate_regions(net, exact=True, progress=False).counts()


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
