"""Facet adjacency, merging and point contacts (``regions/_adjacency.py``).

The oracle is ``conftest.partition_oracle``: the exact partition of a box by rational polygon
clipping, with facet adjacency read off the polygons (a common edge of positive length) and point
contacts from exact segment and polygon intersections. On small 2-D nets with forced
degeneracies (coincident, negated, parallel and dead neurons, zero output weights that make
neighbouring cells share a map) both engines must give, exactly: the cells and their volumes, the
adjacent pairs, the neurons each cell's facets lie on, the facet-connected regions and their dual
graph, and the point-connected regions.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neurogeom import ReLUNet
from neurogeom.regions import enumerate_regions

BOX = (-2, 2)


def bits(pattern) -> str:
    return "".join("1" if b else "0" for b in pattern)


def expected_facet_neurons(net: ReLUNet, pairs) -> dict[str, set[int]]:
    """For each cell: the hidden neurons of the first layer where it and a facet neighbour
    differ, and that differ there (the hyperplane the shared facet lies on)."""
    out: dict[str, set[int]] = {}
    for pair in pairs:
        p, q = sorted(pair)
        for sl in net.hidden_slices:
            differ = [j for j in range(sl.start, sl.stop) if p[j] != q[j]]
            if differ:
                out.setdefault(p, set()).update(differ)
                out.setdefault(q, set()).update(differ)
                break
    return out


def assert_matches_oracle(net: ReLUNet, res, oracle) -> None:
    part = oracle(net, [Fraction(BOX[0])] * 2, [Fraction(BOX[1])] * 2)
    cells = [bits(c.pattern) for c in res.cells]
    assert sorted(cells) == sorted(p.pattern for p in part.pieces)
    assert {bits(c.pattern): c.volume for c in res.cells} == {
        p.pattern: p.measure for p in part.pieces
    }
    # facet adjacency: pairs, neighbours, facets
    pairs = {frozenset((cells[i], cells[j])) for i, j in res.adjacency}
    assert len(pairs) == len(res.adjacency)
    assert pairs == part.facet_pairs
    for cell in res.cells:
        assert {cells[j] for j in cell.neighbours} == {
            q
            for pair in part.facet_pairs
            if cells[cell.index] in pair
            for q in pair - {cells[cell.index]}
        }
    facets = expected_facet_neurons(net, part.facet_pairs)
    for cell in res.cells:
        assert set(cell.facets) == facets.get(cells[cell.index], set())
    # facet-connected regions and their dual graph
    regions = [frozenset(cells[i] for i in r.cells) for r in res.regions]
    assert set(regions) == set(part.regions)
    assert len(regions) == len(part.regions)
    region_of = {p: k for k, members in enumerate(regions) for p in members}
    dual = {
        tuple(sorted((region_of[a], region_of[b])))
        for a, b in (tuple(pair) for pair in part.facet_pairs)
        if region_of[a] != region_of[b]
    }
    assert set(res.region_adjacency) == dual
    # point-connected regions
    points = {frozenset().union(*(regions[r] for r in group)) for group in res.point_regions}
    assert points == set(part.point_regions)


small = st.integers(-2, 2)


@st.composite
def degenerate_nets(draw):
    """Small integer nets on R^2 (1 or 2 hidden layers, 1 or 2 outputs) with a forced
    degeneracy per hidden layer and output weights that are often 0."""
    widths = [2, *draw(st.lists(st.integers(1, 4), min_size=1, max_size=2))]
    ws, bs = [], []
    for n_in, n_out in itertools.pairwise(widths):
        w = [[draw(small) for _ in range(n_in)] for _ in range(n_out)]
        b = [draw(small) for _ in range(n_out)]
        if n_out > 1:
            kind = draw(st.sampled_from(["copy", "negated", "parallel", "dead", "none"]))
            k = draw(st.sampled_from([1, 2]))
            if kind == "copy":
                w[1], b[1] = [k * v for v in w[0]], k * b[0]
            elif kind == "negated":
                w[1], b[1] = [-k * v for v in w[0]], -k * b[0]
            elif kind == "parallel":
                w[1], b[1] = [k * v for v in w[0]], k * b[0] + 1
            elif kind == "dead":
                w[1] = [0] * n_in
        ws.append(w)
        bs.append(b)
    n_outputs = draw(st.integers(1, 2))
    ws.append(
        [
            [draw(st.sampled_from([0, 0, 1, -1, 2])) for _ in range(widths[-1])]
            for _ in range(n_outputs)
        ]
    )
    bs.append([draw(small) for _ in range(n_outputs)])
    return ReLUNet(ws, bs, exact=True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(degenerate_nets(), st.sampled_from(["search", "split"]))
def test_adjacency_and_regions_match_the_polygon_oracle(partition_oracle, net, method):
    res = enumerate_regions(
        net, domain=BOX, exact=True, method=method, progress=False, volumes=True
    )
    assert res.complete and res.certified
    assert_matches_oracle(net, res, partition_oracle)


HAND_PICKED = {
    # RG14: the zero map on opposite sectors that touch only at the origin
    "sectors": ReLUNet([[[2, 0], [0, 3], [2, 3]], [[1, 1, -1]]], exact=True),
    # RG2: a neuron identically 0 on a quadrant, three cells with the zero map in a row
    "dead on a cell": ReLUNet([[[1, 0], [0, 1]], [[1, -1]], [[1]]], exact=True),
    # three lines through one point, a parallel pair, and a zero output weight
    "pencil": ReLUNet(
        [[[1, 0], [0, 1], [1, 1], [1, 1]], [[1, 0, -1, 1]]], [[0, 0, 0, -1], [0]], exact=True
    ),
    # a second layer whose hyperplanes bend along the first layer's, one coinciding with one
    "bent": ReLUNet(
        [[[1, -1], [1, 1]], [[1, 0], [1, -1]], [[1, -1]]], [[0, 0], [0, 0], [0]], exact=True
    ),
    # two outputs: regions need both maps equal
    "two outputs": ReLUNet([[[1, 0], [0, 1], [1, -1]], [[1, 0, 0], [0, 0, 1]]], exact=True),
}


@pytest.mark.parametrize("method", ["search", "split"])
@pytest.mark.parametrize("name", list(HAND_PICKED))
def test_hand_picked_degenerate_nets_match_the_polygon_oracle(partition_oracle, name, method):
    net = HAND_PICKED[name]
    res = enumerate_regions(
        net, domain=BOX, exact=True, method=method, progress=False, volumes=True
    )
    assert_matches_oracle(net, res, partition_oracle)
    # float mode finds the same pairs and regions on these integer nets
    fl = enumerate_regions(net.to_float(), domain=BOX, method=method, progress=False, volumes=True)
    assert fl.certified
    assert {
        frozenset((bits(fl.cells[i].pattern), bits(fl.cells[j].pattern))) for i, j in fl.adjacency
    } == {
        frozenset((bits(res.cells[i].pattern), bits(res.cells[j].pattern)))
        for i, j in res.adjacency
    }
    assert fl.counts() == res.counts()


def test_cells_name_their_facets_and_neighbours():
    net = ReLUNet([[[2, 0], [0, 3], [2, 3]], [[1, 1, -1]]])
    res = enumerate_regions(net, exact=True, progress=False)
    for cell in res.cells:
        assert len(cell.neighbours) == 2 and len(cell.facets) == 2
        for j in cell.neighbours:
            assert cell.index in res.cells[j].neighbours
    assert len(res.region_adjacency) == 6


def _facet_pairs(res) -> set[frozenset[str]]:
    return {
        frozenset((bits(res.cells[i].pattern), bits(res.cells[j].pattern)))
        for i, j in res.adjacency
    }


@st.composite
def nets_3d(draw):
    """Small 3-input nets with integer weights (ties, shared vertices, dead neurons) and one
    or two hidden layers."""
    widths = draw(st.lists(st.integers(1, 4), min_size=1, max_size=2))
    small = st.integers(-2, 2)
    ws, bs, fan_in = [], [], 3
    for width in [*widths, 1]:
        ws.append([[draw(small) for _ in range(fan_in)] for _ in range(width)])
        bs.append([draw(small) for _ in range(width)])
        fan_in = width
    return ReLUNet(ws, bs)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nets_3d())
def test_shared_vertex_contacts_in_3d_match_the_lp_adjacency(net):
    """The split engine's contacts (shared vertices of its face-to-face complex) against the
    search engine's LP-certified facets and point contacts, exactly, on degenerate nets."""
    box = (-2, 2)
    split = enumerate_regions(net, domain=box, exact=True, method="split", progress=False)
    search = enumerate_regions(net, domain=box, exact=True, method="search", progress=False)
    assert split.stats.lps.total == 0  # no LP: every contact came from the vertices
    assert {bits(c.pattern) for c in split.cells} == {bits(c.pattern) for c in search.cells}
    assert _facet_pairs(split) == _facet_pairs(search)
    assert split.counts() == search.counts()


def test_float_3d_contacts_match_the_lp_adjacency(random_net):
    for seed in range(3):
        net = random_net([3, 6, 5, 1], seed)
        split = enumerate_regions(net, domain=(-3, 3), method="split", progress=False)
        search = enumerate_regions(net, domain=(-3, 3), method="search", progress=False)
        assert split.certified and search.certified
        assert _facet_pairs(split) == _facet_pairs(search)
        assert split.counts() == search.counts()


def _adjacency_without_hints(net, **kwargs):
    """The same enumeration with the search engine's facet hints thrown away, so that adjacency
    looks at every hyperplane of every cell (the path taken for cells loaded from a
    checkpoint)."""
    from neurogeom.regions import _adjacency, _pipeline

    def certify_without_hints(problem, found, **kwargs):
        work = _adjacency.certify_cell(problem, found, **kwargs)
        if work is not None:
            work.facets = None
        return work

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_pipeline, "certify_cell", certify_without_hints)
        return enumerate_regions(net, method="search", progress=False, **kwargs)


def _facets_by_pattern(res) -> dict[str, tuple[int, ...]]:
    return {bits(c.pattern): c.facets for c in res.cells}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(degenerate_nets(), nets_3d()), st.sampled_from([None, BOX]))
def test_search_hints_give_the_adjacency_of_every_hyperplane(net, domain):
    """Adjacency from the hyperplanes the search certified or left possible equals adjacency
    over all hyperplanes, exactly, on degenerate nets on R^n and on a box."""
    hinted = enumerate_regions(net, domain=domain, exact=True, method="search", progress=False)
    plain = _adjacency_without_hints(net, domain=domain, exact=True)
    assert _facet_pairs(hinted) == _facet_pairs(plain)
    assert _facets_by_pattern(hinted) == _facets_by_pattern(plain)
    assert hinted.counts() == plain.counts()


@pytest.mark.parametrize(
    ("arch", "exact"),
    [([2, 8, 8, 1], False), ([3, 5, 5, 5, 1], False), ([4, 10, 1], False), ([3, 5, 5, 5, 1], True)],
)
def test_search_hints_save_the_adjacency_lps_on_generic_nets(random_net, arch, exact):
    """On generic nets most facets are certified during the search: the same pairs come out
    with far fewer candidate facets to confirm (by a point on the facet or an LP), and no more
    LPs; in exact mode too (where a confirmation is exact arithmetic)."""
    from neurogeom.regions import _adjacency

    net = random_net(arch, 3)
    if exact:
        net = net.to_exact()
    confirm = _adjacency._confirm_facet
    calls: list[str] = []
    runs = []
    for hints in (True, False):
        label = "hinted" if hints else "plain"

        def counting(*args, label=label, **kwargs):
            calls.append(label)
            return confirm(*args, **kwargs)

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(_adjacency, "_confirm_facet", counting)
            if hints:
                runs.append(
                    enumerate_regions(
                        net, method="search", progress=False, point_connected=False, exact=exact
                    )
                )
            else:
                runs.append(_adjacency_without_hints(net, point_connected=False, exact=exact))
    hinted, plain = runs
    confirmed = [calls.count("hinted"), calls.count("plain")]
    assert hinted.certified and plain.certified
    assert _facet_pairs(hinted) == _facet_pairs(plain)
    assert _facets_by_pattern(hinted) == _facets_by_pattern(plain)
    assert confirmed[0] < 0.15 * confirmed[1]
    assert hinted.stats.lps.total <= plain.stats.lps.total


@pytest.mark.parametrize("exact", [False, True])
@pytest.mark.parametrize("arch", [[2, 6, 6, 1], [3, 4, 4, 4, 1], [5, 8, 1]])
def test_boundedness_on_r_n_matches_a_scipy_oracle(random_net, arch, exact):
    """Each cell's boundedness (decided once per bounded prefix where possible) against an
    independent test: every coordinate is bounded above and below over the cell."""
    from scipy.optimize import linprog

    from neurogeom.nets.geometry import cell_halfspaces

    net = random_net(arch, 5)
    if exact:
        net = net.to_exact()
    res = enumerate_regions(net, exact=exact, progress=False, point_connected=False)
    assert any(c.bounded for c in res.cells) and not all(c.bounded for c in res.cells)
    # exact mode: the float Stiemke multipliers, projected exactly, certify every bounded cell
    # on these generic nets, so the exact simplex never runs
    assert res.stats.lps.exact == 0
    for cell in res.cells:
        rows = cell_halfspaces(net, cell.pattern).to_float()
        bounded = True
        for k in range(net.n_inputs):
            for sign in (1.0, -1.0):
                cost = np.zeros(net.n_inputs)
                cost[k] = sign
                lp = linprog(cost, A_ub=rows.a, b_ub=rows.b, bounds=(None, None), method="highs")
                bounded &= lp.status == 0
        assert cell.bounded == bounded, cell.pattern


# -- the exact certificate that a face has no relative interior ---------------------------------
def _face_instance(rng: np.random.Generator, n: int, m: int):
    """Rows ``g x <= h`` and a plane ``a x + c = 0`` with float64 entries taken exactly, some
    rows through a common point of the plane (so that faces often only touch)."""
    from neurogeom.core.rationals import floats_to_fractions

    g = rng.normal(size=(m, n))
    a = rng.normal(size=n)
    point = rng.normal(size=n)
    point -= (a @ point) / (a @ a) * a  # on the plane a x = 0
    h = g @ point + rng.choice([0.0, 0.0, 1.0, -1.0], size=m) * rng.random(m)
    ge = np.array([floats_to_fractions(row) for row in g], dtype=object)
    he = floats_to_fractions(h)
    ae = floats_to_fractions(a)
    # the plane through the (rounded) point, exactly: c = -a . point
    c = -(ae @ floats_to_fractions(point))
    return ge, he, ae, c


def _certify_face(seed: int) -> tuple[bool, bool]:
    """One random face: (whether the exact simplex finds it empty, whether the certificate with
    the float duals as hints does). Every certificate found is checked against the simplex,
    including ones from nonsense hints."""
    from neurogeom.core.lp import LPModel
    from neurogeom.regions._adjacency import _exact_relative_interior, _no_relative_interior

    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 4))
    g, h, a, c = _face_instance(rng, n, int(rng.integers(n + 1, 3 * n + 3)))
    gf, hf = g.astype(float), h.astype(float)
    norms = np.linalg.norm(gf, axis=1)
    af = a.astype(float)
    nrm = np.linalg.norm(af)
    mat = np.zeros((len(gf) + 1, n + 1))
    mat[:-1, :n] = gf / norms[:, None]
    mat[:-1, n] = 1.0
    mat[-1, :n] = af / nrm
    v = float(c) / nrm
    lp = LPModel(
        mat,
        np.concatenate([np.full(len(gf), -np.inf), [-v]]),
        np.concatenate([hf / norms, [-v]]),
        col_lower=[*[-np.inf] * n, -np.inf],
        col_upper=[*[np.inf] * n, 10.0],
    )
    cost = np.zeros(n + 1)
    cost[n] = 1.0
    res = lp.solve(cost, maximize=True)
    empty = _exact_relative_interior(g, h, a, c) is None
    assert not _no_relative_interior(g, h, a, c, rng.random(len(g)), 0.5) or empty
    duals = lp.row_duals() if res.optimal else None
    decided = duals is not None and _no_relative_interior(g, h, a, c, duals[:-1] / norms, duals[-1])
    assert not decided or empty
    return empty, decided


def test_no_relative_interior_certificates_agree_with_the_exact_simplex():
    """A certificate never says "empty" for a face the exact simplex finds a point in, and with
    the float duals as hints it decides most of the empty faces (the rest go to the simplex)."""
    results = [_certify_face(seed) for seed in range(60)]
    empty = sum(e for e, _ in results)
    decided = sum(d for _, d in results)
    assert empty >= 10
    assert decided >= 0.6 * empty


def _boundedness(net, exact):
    res = enumerate_regions(net, exact=exact, progress=False, point_connected=False)
    return {tuple(cell.pattern): cell.bounded for cell in res.cells}


@pytest.mark.parametrize(
    ("arch", "seed"), [([2, 6, 6, 1], 7), ([3, 6, 6, 1], 7), ([3, 4, 4, 4, 1], 5)]
)
def test_exact_mode_checks_the_engines_bounded_witnesses(random_net, monkeypatch, arch, seed):
    """Exact mode takes the search engine's float multipliers only after checking them exactly:
    true witnesses spare most boundedness tests, and garbage ones (wrong neurons, wrong weights,
    rows that are not the cell's) change no answer."""
    from neurogeom.regions import _adjacency, _search
    from neurogeom.regions._engine import BoundedWitness

    net = random_net(arch, seed).to_exact()
    expected = _boundedness(net, exact=False)
    tests = []
    original_rows_bounded = _adjacency.rows_bounded

    def counted(*args, **kwargs):
        tests.append(1)
        return original_rows_bounded(*args, **kwargs)

    monkeypatch.setattr(_adjacency, "rows_bounded", counted)
    assert _boundedness(net, exact=True) == expected
    with_witnesses = len(tests)

    original_walk_bounded = _search._Walk.bounded
    rng = np.random.default_rng(0)

    def garbage(self, sigma):
        found = original_walk_bounded(self, sigma)  # kept for its side effects
        if self.row_neurons is None:
            return found
        k = net.n_inputs + 1 if found is None or found.neurons is None else len(found.neurons)
        neurons = tuple(int(j) for j in rng.integers(0, net.n_hidden + 2, size=k))
        return BoundedWitness(neurons, rng.random(k) + 0.01)

    tests.clear()
    monkeypatch.setattr(_search._Walk, "bounded", garbage)
    assert _boundedness(net, exact=True) == expected
    with_garbage = len(tests)
    assert sum(expected.values()) > 3
    assert with_witnesses < with_garbage, (with_witnesses, with_garbage)


def test_a_witness_that_names_no_row_of_the_cell_proves_nothing(random_net):
    from neurogeom.regions._adjacency import _witness_holds
    from neurogeom.regions._engine import BoundedWitness

    net = random_net([2, 5, 1], 3).to_exact()

    class Cell:  # the one attribute _witness_holds reads
        def __init__(self, pattern):
            from neurogeom.nets.geometry import cell_geometry

            self.geometry = cell_geometry(net, pattern)

    res = enumerate_regions(net, exact=True, progress=False)
    cell = Cell(next(c.pattern for c in res.cells if c.bounded))
    rows = cell.geometry.halfspaces.neuron.tolist()
    assert not _witness_holds(cell, BoundedWitness(None, np.ones(3)))
    assert not _witness_holds(cell, BoundedWitness((99, rows[0], rows[1]), np.ones(3)))
