"""The search engine (``regions/_search.py``): layer-by-layer walks with warm-started LPs.

Its answers are pinned by the reference table and the laws of ``test_properties.py`` (it runs on
every domain and dimension there). Here: what is particular to the walk — redundancy
certificates reused from HiGHS duals agree with fresh LPs, strips too thin for floats are decided
by the exact simplex (and counted), and the work done is reported in nodes.
"""

from __future__ import annotations

import numpy as np
import pytest

from neurogeom import Domain, ReLUNet
from neurogeom.regions import enumerate_regions


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


def test_exact_simplex_runs_are_counted():
    # a strip 1e-12 wide only the exact simplex can see
    net = ReLUNet([[[1, 0], [1, 0], [0, 1]], [[1, -2, 1]]], [[0, "-1/1000000000000", 0], [0]])
    res = enumerate_regions(net, exact=True, method="search", progress=False)
    assert res.activation_regions == 6
    assert res.stats.lps.exact > 0


@pytest.mark.parametrize(("arch", "seed"), [([2, 4, 3, 1], 9), ([2, 3, 3, 3, 1], 1)])
def test_the_search_reports_its_nodes_and_the_split_none(random_net, arch, seed):
    net = random_net(arch, seed)
    search = enumerate_regions(net, domain=(-2, 2), method="search", progress=False)
    split = enumerate_regions(net, domain=(-2, 2), method="split", progress=False)
    # a node is the root or a cell of the first l hidden layers (l below the last), each cut by
    # the next layer; those cells are the distinct pattern prefixes of the final cells
    ends = np.cumsum(arch[1:-2])
    prefixes = sum(len({c.pattern[:end] for c in search.cells}) for end in ends)
    assert search.stats.nodes == 1 + prefixes
    assert split.stats.nodes == 0
    assert search.to_dict()["stats"]["nodes"] == search.stats.nodes


@pytest.mark.parametrize("cap", [1, 3, 5])
def test_a_capped_search_keeps_the_cells_it_found(cap):
    net = ReLUNet([[[1, 0], [0, 1], [1, 1]], [[1, 1, 1]]])  # 6 cells in the square
    full = enumerate_regions(net, domain=(-1, 1), method="search", progress=False)
    part = enumerate_regions(net, domain=(-1, 1), method="search", max_regions=cap, progress=False)
    assert not part.complete
    assert 0 < part.activation_regions <= cap
    assert {c.pattern for c in part.cells} <= {c.pattern for c in full.cells}


@pytest.mark.parametrize(
    ("arch", "exact"),
    [
        ([2, 20, 20, 1], False),
        ([2, 10, 10, 10, 1], False),
        ([3, 8, 8, 1], False),
        ([2, 12, 12, 1], True),
        ([3, 6, 6, 1], True),
    ],
)
def test_bounding_box_pretest_finds_the_same_cells_with_fewer_lps(random_net, arch, exact):
    """Planes cleared by a node's bounding box are exactly those the per-plane LP finds not to
    cross it: the same cells and patterns, and in 2-D, where boxes fit cells well, fewer LPs.
    (Where the box does not pay, the search stops trying it.)"""
    from neurogeom.regions import _search

    net = random_net(arch, 11)
    if exact:
        net = net.to_exact()
    runs = []
    for use_box in (True, False):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(
                _search, "few_row_skeleton", lambda *args, **kwargs: None
            )  # (they come first)
            if not use_box:
                mp.setattr(_search.Searcher, "_box_pays", lambda self: False)
            runs.append(
                enumerate_regions(net, exact=exact, method="search", progress=False, volumes=False)
            )
    with_box, without = runs
    assert with_box.certified and without.certified
    assert sorted(c.pattern for c in with_box.cells) == sorted(c.pattern for c in without.cells)
    assert with_box.counts() == without.counts()
    if arch[0] == 2:
        assert with_box.stats.lps.total < without.stats.lps.total


@pytest.mark.parametrize("arch", [[2, 8, 6, 1], [3, 6, 5, 1], [4, 7, 1], [3, 4, 4, 4, 1]])
def test_escaping_rays_prove_unboundedness_soundly(random_net, arch):
    """A ray of the walk that leaves a final cell through no row is a recession direction: the
    cell's own rows (built afresh) do not rise along it, it is found for many unbounded cells,
    and the result's boundedness is that of a run that ignores it, in float and exact mode (where
    a wrong direction, here a random one, must change nothing)."""
    from neurogeom.core.budget import Budget
    from neurogeom.core.tolerances import Tolerances
    from neurogeom.nets.geometry import cell_halfspaces
    from neurogeom.regions import _search
    from neurogeom.regions._engine import RegionProblem

    net = random_net(arch, 3)
    problem = RegionProblem.build(net, Domain.whole(arch[0]), Tolerances())
    searcher = _search.Searcher(problem)
    state = _search.SearchState(pending=[searcher.root()])
    assert searcher.run(state, Budget())
    escaping = [c for c in state.cells if c.recession is not None]
    for cell in escaping:
        assert cell.bounded is None
        rows = cell_halfspaces(net, cell.pattern).to_float()
        norms = np.linalg.norm(rows.a, axis=1)
        assert (rows.a @ cell.recession <= 1e-12 * norms).all(), cell.pattern
    truth = enumerate_regions(net, method="search", progress=False)
    unbounded = sum(not c.bounded for c in truth.cells)
    assert len(escaping) >= 0.25 * unbounded > 0

    rng = np.random.default_rng(0)
    original = _search._Walk.facets

    def ignored(self, *args, **kwargs):
        found = original(self, *args, **kwargs)
        return _search._CellFacets(found.essential, found.on_boundary, None)

    def random_ray(self, *args, **kwargs):
        found = original(self, *args, **kwargs)
        d = rng.normal(size=self.n)
        return _search._CellFacets(found.essential, found.on_boundary, d / np.linalg.norm(d))

    for exact, patch in [(False, ignored), (True, ignored), (True, random_ray)]:
        subject = net.to_exact() if exact else net
        with pytest.MonkeyPatch.context() as mp:
            reference = enumerate_regions(subject, method="search", exact=exact, progress=False)
            mp.setattr(_search._Walk, "facets", patch)
            other = enumerate_regions(subject, method="search", exact=exact, progress=False)
        assert [c.bounded for c in reference.cells] == [c.bounded for c in other.cells], exact
        assert [c.bounded for c in truth.cells] == [c.bounded for c in reference.cells]


@pytest.mark.parametrize("arch", [[2, 8, 6, 1], [3, 6, 5, 1], [4, 7, 1]])
def test_chebyshev_duals_prove_boundedness_soundly(random_net, arch):
    """The walk reads a boundedness certificate off each final cell's Chebyshev duals, or in
    2-D and 3-D off a skeleton without extreme rays around the cell: every cell it calls bounded
    is bounded (a SciPy LP bounds every coordinate both ways), it fires on most bounded cells,
    and the result's boundedness is that of a run without it."""
    from scipy.optimize import linprog

    from neurogeom.core.budget import Budget
    from neurogeom.core.tolerances import Tolerances
    from neurogeom.nets.geometry import cell_halfspaces
    from neurogeom.regions import _search
    from neurogeom.regions._engine import RegionProblem

    net = random_net(arch, 3)
    problem = RegionProblem.build(net, Domain.whole(arch[0]), Tolerances())
    searcher = _search.Searcher(problem)
    state = _search.SearchState(pending=[searcher.root()])
    assert searcher.run(state, Budget())

    def bounded(pattern):
        rows = cell_halfspaces(net, pattern).to_float()
        for k in range(arch[0]):
            for sign in (1.0, -1.0):
                cost = np.zeros(arch[0])
                cost[k] = sign
                lp = linprog(cost, A_ub=rows.a, b_ub=rows.b, bounds=(None, None), method="highs")
                if lp.status != 0:
                    return False
        return True

    truth = [bounded(c.pattern) for c in state.cells]
    claimed = [c.bounded is not None for c in state.cells]
    assert all(t for t, c in zip(truth, claimed, strict=True) if c)
    assert sum(claimed) >= 0.8 * sum(truth) > 0
    results = []
    for prove in (True, False):
        with pytest.MonkeyPatch.context() as mp:
            if not prove:
                mp.setattr(_search._Walk, "bounded", lambda self, sigma: None)
                mp.setattr(_search, "_VERTICES_ONLY", None)
            results.append(enumerate_regions(net, method="search", progress=False))
    assert [c.bounded for c in results[0].cells] == [c.bounded for c in results[1].cells]
    assert results[0].stats.lps.total < results[1].stats.lps.total


@pytest.mark.parametrize(
    ("arch", "box", "exact"),
    [([4, 7, 6, 1], None, False), ([5, 8, 1], None, False), ([4, 6, 5, 1], 2.0, False),
     ([3, 5, 4, 1], None, True)],
)  # fmt: skip
def test_redundancy_certificates_shared_across_a_walk_change_nothing_but_lps(
    random_net, arch, box, exact
):
    """A plane proven redundant in one cell of a walk is skipped in every later cell that agrees
    on the certificate's planes: same cells, facets, adjacency and regions as proving every
    plane by its own LP, with fewer LPs. (Vertex and ray pretests, which come first and leave
    few LPs in 3-D, are off.)"""
    from neurogeom.regions import _search

    net = random_net(arch, 11)
    domain = None if box is None else (-box, box)
    runs = []
    for share in (True, False):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(_search, "few_row_skeleton", lambda *args, **kwargs: None)
            if not share:
                mp.setattr(
                    _search._Certificates,
                    "unproven",
                    lambda self, sigma, planes: list(planes.tolist()),
                )
            runs.append(
                enumerate_regions(net, domain=domain, method="search", exact=exact, progress=False)
            )
    shared, alone = runs
    assert shared.certified and alone.certified
    assert shared.counts() == alone.counts()

    def facets(res):
        pats = [c.pattern for c in res.cells]
        return {c.pattern: (set(c.facets), {pats[j] for j in c.neighbours}) for c in res.cells}

    assert facets(shared) == facets(alone)
    assert shared.stats.lps.total < alone.stats.lps.total


@pytest.mark.parametrize(
    ("arch", "box"),
    [([2, 8, 8, 1], None), ([3, 6, 6, 1], None), ([2, 6, 6, 6, 1], 3.0), ([3, 7, 5, 1], 2.0)],
)
def test_vertex_pretests_find_the_same_cells_with_fewer_lps(random_net, arch, box):
    """Crossings and redundant planes read off the vertices of few rows (up to 3 inputs) give
    the same cells, patterns, facets and regions as the LPs they replace, with fewer LPs."""
    from neurogeom.regions import _search

    net = random_net(arch, 7)
    domain = None if box is None else (-box, box)
    runs = []
    for use_vertices in (True, False):
        with pytest.MonkeyPatch.context() as mp:
            if not use_vertices:
                mp.setattr(_search, "few_row_skeleton", lambda *args, **kwargs: None)
            runs.append(enumerate_regions(net, domain=domain, method="search", progress=False))
    with_vertices, without = runs
    assert with_vertices.certified and without.certified
    assert sorted(c.pattern for c in with_vertices.cells) == sorted(
        c.pattern for c in without.cells
    )
    assert with_vertices.counts() == without.counts()
    by_pattern = [{c.pattern: set(c.facets) for c in r.cells} for r in runs]
    assert by_pattern[0] == by_pattern[1]
    assert with_vertices.stats.lps.total < 0.9 * without.stats.lps.total


@pytest.mark.parametrize(("arch", "exact"), [([3, 8, 8, 1], False), ([3, 5, 5, 5, 1], True)])
def test_rays_aimed_at_vertices_certify_facets_that_lps_confirm(random_net, arch, exact):
    """Rays from a cell's centre towards the vertices of the polyhedron cut by its known rows
    certify facets that would otherwise cost an LP: same cells, facets and regions without
    them, and fewer LPs with them."""
    from neurogeom.regions import _search

    net = random_net(arch, 5)
    if exact:
        net = net.to_exact()
    runs = []
    for aim in (True, False):
        with pytest.MonkeyPatch.context() as mp:
            if not aim:
                mp.setattr(
                    _search, "_aimed_hits", lambda sk, c, g, *args: np.zeros(len(g), dtype=bool)
                )
            runs.append(enumerate_regions(net, exact=exact, method="search", progress=False))
    aimed, plain = runs
    assert aimed.certified and plain.certified
    assert aimed.counts() == plain.counts()
    by_pattern = [{c.pattern: set(c.facets) for c in r.cells} for r in runs]
    assert by_pattern[0] == by_pattern[1]
    assert aimed.stats.lps.total < 0.95 * plain.stats.lps.total


@pytest.mark.parametrize("inputs", [1, 2])
def test_exact_planes_whose_float_composition_cancels(inputs):
    """Exact mode walks the exact planes even where the float composition of the layer maps
    cancels a nonzero normal to exactly 0: here ``(1 + 2^-60) relu(x) - relu(x) - 2^-60`` is
    ``2^-60 (x - 1)`` on ``x > 0`` but a float constant, so only exact mode sees the plane
    ``x = 1`` (the walk once divided by the zero float norm)."""
    from fractions import Fraction

    eps = Fraction(1, 2**60)
    first = [[1] + [0] * (inputs - 1), [1] + [0] * (inputs - 1)]
    net = ReLUNet([first, [[1 + eps, -1]], [[1]]], [[0, 0], [-eps], [0]], exact=True)
    exact = enumerate_regions(net, exact=True, progress=False)
    assert exact.activation_regions == 3 and exact.complete and not exact.uncertified
    flat = enumerate_regions(net.to_float(), progress=False)
    assert flat.activation_regions == 2  # in float64 the weights are 1 and -1


@pytest.mark.parametrize("dim", [2, 3, 4])
def test_first_hits_name_only_facets_even_along_rays_parallel_to_rows(dim):
    """Rays from an interior point certify as facets only rows that are facets (an LP with the
    row dropped gets beyond it), also for rays aimed at vertices and along extreme rays, which
    run exactly along some rows (rates of zero up to rounding); an escaping ray is a recession
    direction."""
    from scipy.optimize import linprog

    from neurogeom.core.polyhedra import few_row_skeleton
    from neurogeom.regions._search import _aimed_hits, _first_hits

    rng = np.random.default_rng(dim)
    claims = 0
    for _ in range(40):
        m = int(rng.integers(dim + 1, dim + 7))
        g = rng.normal(size=(m, dim))
        if rng.random() < 0.7:  # unbounded: every row falls along some direction
            towards = rng.normal(size=dim)
            g *= -np.sign(g @ towards)[:, None]
        g /= np.linalg.norm(g, axis=1, keepdims=True)
        centre = rng.normal(size=dim)
        h = g @ centre + rng.random(m) * 2 + 0.05
        slack = h - g @ centre
        dirs = rng.normal(size=(50, dim))
        dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
        masks = [_first_hits(g, slack, dirs, 1e-9).first]
        sk = few_row_skeleton(g, h, 1e-12)
        if sk is not None:
            masks.append(_aimed_hits(sk, centre, g, slack, 1e-12, 1e-9))
            escape = _first_hits(g, slack, np.asarray(sk.rays).reshape(-1, dim), 1e-9).escape
            if escape is not None:
                assert (g @ escape <= 1e-12).all()  # rows along the ray: zero up to rounding
        for r in np.flatnonzero(np.any(masks, axis=0)):
            keep = np.arange(m) != r
            # (presolve off: it can call an unbounded LP infeasible)
            res = linprog(-g[r], A_ub=g[keep], b_ub=h[keep], bounds=(None, None),
                          options={"presolve": False})  # fmt: skip
            assert res.status == 3 or (res.status == 0 and -res.fun > h[r] + 1e-9), res.message
            claims += 1
    assert claims > 40
