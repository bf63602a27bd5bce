"""Laws of region enumeration checked on random small nets, across engines and arithmetics."""

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
            net if exact else net.to_float(), domain=box, exact=exact, method=method, progress=False
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


def test_box_given_as_polytope_matches_box():
    net = ReLUNet([[[1, 2], [-1, 1], [3, -1]], [[1, -1, 1]]], [[0, 1, -1], [0]], exact=True)
    a = [[1, 0], [0, 1], [-1, 0], [0, -1]]
    b = [2, 2, 2, 2]
    as_box = enumerate_regions(net, domain=(-2, 2), exact=True, method="search", progress=False)
    as_poly = enumerate_regions(net, domain=(a, b), exact=True, progress=False)
    assert as_poly.domain.kind == "polytope"
    assert as_box.counts() == as_poly.counts()
    assert patterns(as_box) == patterns(as_poly)


def test_triangle_domain_volumes_add_up():
    net = ReLUNet([[[1, 0], [0, 1], [1, 1]], [[1, 1, -1]]], [["-1/3", "-1/4", "-1/2"], [0]])
    tri = ([[-1, 0], [0, -1], [1, 1]], [0, 0, 1])  # x, y >= 0, x + y <= 1: area 1/2
    res = enumerate_regions(net, domain=tri, exact=True, progress=False)
    assert sum(c.volume for c in res.cells) == F(1, 2)
    assert all(r.bounded for r in res.regions)


def test_leaky_relu_has_the_same_cells_as_relu():
    w = [[[1, -1], [0, 1], [2, 1]], [[1, 1, -1]]]
    relu = enumerate_regions(ReLUNet(w), progress=False)
    leaky = enumerate_regions(ReLUNet(w, negative_slope="1/10"), progress=False)
    assert relu.activation_regions == leaky.activation_regions == 6
    assert leaky.linear_regions == 6  # leaky ReLU never kills a direction


def test_linear_network_has_one_region():
    net = ReLUNet([[[1, 2]]], [[3]])
    res = enumerate_regions(net, exact=True, progress=False)
    assert res.counts() == {
        "activation_regions": 1,
        "linear_regions": 1,
        "linear_regions_point_connected": 1,
        "bounded_regions": 0,
    }
    res = enumerate_regions(net, domain=(0, 1), exact=True, progress=False)
    assert res.regions[0].volume == 1


def test_assert_regions_equal_accepts_equal_and_names_differences():
    from neurogeom.testing import assert_regions_equal

    net = ReLUNet([[[2, 0], [0, 3], [2, 3]], [[1, 1, -1]]])
    a = enumerate_regions(net, exact=True, progress=False)
    b = enumerate_regions(net.to_float(), progress=False)
    assert_regions_equal(a, b, tol=1e-12)
    other = enumerate_regions(ReLUNet([[[2, 0], [0, 3]], [[1, 1]]]), progress=False)
    with pytest.raises(AssertionError, match="counts differ"):
        assert_regions_equal(a, other)
    shifted = enumerate_regions(
        ReLUNet([[[2, 0], [0, 3], [2, 3]], [[1, 1, -1]]], [[0, 0, 0], [1]]),
        exact=True,
        progress=False,
    )
    with pytest.raises(AssertionError, match="different affine maps"):
        assert_regions_equal(a, shifted)


def test_cells_name_their_facets_and_neighbours():
    net = ReLUNet([[[2, 0], [0, 3], [2, 3]], [[1, 1, -1]]])
    res = enumerate_regions(net, exact=True, progress=False)
    for cell in res.cells:
        assert len(cell.neighbours) == 2 and len(cell.facets) == 2
        for j in cell.neighbours:
            assert cell.index in res.cells[j].neighbours
    assert len(res.region_adjacency) == 6


def test_thin_cells_are_found_exactly_and_reported_in_float_mode():
    # two hyperplanes 1e-11 apart: the strip between them is two cells thinner than float tol
    net = ReLUNet([[[1.0, 0], [1.0, 0], [0, 1.0]], [[1.0, -2.0, 1.0]]], [[0, -1e-11, 0], [0]])
    for domain, method in [(None, "search"), ((-1, 1), "search"), ((-1, 1), "split")]:
        res = enumerate_regions(net, domain=domain, method=method, exact=True, progress=False)
        assert res.activation_regions == 6
        assert res.certified
        if domain is not None:
            assert sum(c.volume for c in res.cells) == 4
    res = enumerate_regions(net, progress=False)
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
    search = enumerate_regions(net, domain=box, exact=True, method="search", progress=False)
    split = enumerate_regions(net, domain=box, exact=True, method="split", progress=False)
    assert search.certified and split.certified
    assert patterns(search) == patterns(split)
    assert search.counts() == split.counts()
    assert sum(c.volume for c in search.cells) == 16
    whole = enumerate_regions(net, exact=True, progress=False, volumes=False)
    assert whole.certified
    assert {c.pattern for c in search.cells} <= {c.pattern for c in whole.cells}
    for cell in whole.cells:
        assert whole.locate(list(cell.point)) is cell


@pytest.mark.parametrize("arch", [[3, 6, 5, 1], [4, 5, 4, 1], [5, 7, 1], [3, 4, 4, 4, 1]])
def test_certificate_reuse_matches_fresh_lps(arch):
    """The walk with reused redundancy certificates (HiGHS duals) finds exactly the cells of
    the walk that proves every redundancy by a fresh SciPy LP."""
    from neurogeom.core.budget import Budget
    from neurogeom.core.tolerances import Tolerances
    from neurogeom.regions._engine import RegionProblem
    from neurogeom.regions._search import Searcher, SearchState

    rng = np.random.default_rng(len(arch) * 10 + arch[0])
    ws = [rng.normal(size=(arch[i + 1], arch[i])) for i in range(len(arch) - 1)]
    bs = [rng.normal(size=arch[i + 1]) for i in range(len(arch) - 1)]
    net = ReLUNet(ws, bs)
    found = []
    for backend in ("highs", "scipy"):
        problem = RegionProblem.build(net, Domain.whole(arch[0]), Tolerances())
        searcher = Searcher(problem, lp_backend=backend)
        state = SearchState(pending=[searcher.root()])
        assert searcher.run(state, Budget())
        found.append(sorted(c.pattern.tobytes() for c in state.cells))
    assert found[0] == found[1]
