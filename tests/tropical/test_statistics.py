"""Region statistics (spec §2.8): reference case RG7, exact volumes of net regions on a box,
float/exact agreement, a 3-D net, the H-representation mode and tropical rational maps."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest

from neurogeom import ReLUNet
from neurogeom.core.errors import InvalidInputError
from neurogeom.regions import enumerate_regions
from neurogeom.regions import region_statistics as regions_reexport
from neurogeom.tropical import (
    RegionStatistics,
    TropicalPolynomial,
    region_statistics,
    tropicalize,
)

# RG7: the 6-monomial polynomial of TropicalNN.jl's test/UnitTests/statistics.jl (coefficients
# and exponents are the binary fractions of its float64 data).
RG7_COEFFICIENTS = [
    F(7915717918548363, 9007199254740992),
    F(-7126386568116357, 36028797018963968),
    F(5429561850506053, 18014398509481984),
    F(1797871556439715, 9007199254740992),
    F(-7597859609031347, 4503599627370496),
    F(6086636570648303, 4503599627370496),
]
RG7_EXPONENTS = [
    [F(6247149566212205, 36028797018963968), F(6402402109461593, 9007199254740992)],
    [F(1560644898352435, 1125899906842624), F(308028398761065, 562949953421312)],
    [F(5123970192597481, 18014398509481984), F(8573812228218511, 9007199254740992)],
    [F(8850358768454271, 72057594037927936), F(6433642560136419, 9007199254740992)],
    [F(3082055910080279, 36028797018963968), F(-2092896630110503, 2251799813685248)],
    [F(8780149460643975, 18014398509481984), F(5087317266127709, 36028797018963968)],
]
RG7_AREAS = [F("17.689920806367774986"), F("83.850411712695468934")]
RG7_LENGTHS = [15.4147, 9.5442, 8.0942, 0.4488, 9.1825, 5.7534, 6.1688]


def _rg7(exact: bool) -> RegionStatistics:
    p = TropicalPolynomial(RG7_EXPONENTS, RG7_COEFFICIENTS, exact=True)
    return region_statistics(p if exact else p.to_float(), exact=exact)


@pytest.mark.parametrize("exact", [True, False])
def test_rg7_reference_case(exact: bool) -> None:
    st = _rg7(exact)
    assert st.n_regions == 6
    assert st.n_bounded == 2
    areas = sorted(r.volume for r in st.regions if r.bounded)
    assert all(isinstance(a, F if exact else float) for a in areas)
    for got, want in zip(areas, RG7_AREAS, strict=True):
        assert abs(float((F(got) - want) / want)) < 1e-12
    assert all(r.volume is None and r.centroid is None for r in st.regions if not r.bounded)
    assert st.n_edges == 11
    kinds = [e.kind for e in st.edges]
    assert kinds.count("segment") == 7 and kinds.count("ray") == 4
    assert len(st.vertices) == 6
    assert [m for _, m in st.vertices] == [3] * 6
    assert sorted(st.edge_lengths) == pytest.approx(sorted(RG7_LENGTHS), abs=1e-4)
    # every edge joins two distinct regions; the rays are the unbounded boundaries
    assert all(a < b for a, b in (e.regions for e in st.edges))
    assert sum(st.volume_histogram[0]) == 2
    assert sum(st.facet_histogram[0]) == 6
    json.dumps(st.to_dict())


def test_rg7_centroids_are_vertex_means() -> None:
    st = _rg7(True)
    for r in st.regions:
        if r.bounded:
            assert len(r.centroid) == 2 and r.n_vertices >= 3
            assert all(isinstance(v, F) for v in r.centroid)
    exact = [r.centroid for r in st.regions if r.bounded]
    floats = [r.centroid for r in _rg7(False).regions if r.bounded]
    for c, d in zip(exact, floats, strict=True):
        assert [float(v) for v in c] == pytest.approx(list(d), rel=1e-12)


def _net(dims: tuple[int, ...], seed: int) -> ReLUNet:
    rng = np.random.default_rng(seed)
    ws = [rng.normal(size=(o, i)).round(2).tolist() for i, o in itertools.pairwise(dims)]
    bs = [rng.normal(size=o).round(2).tolist() for o in dims[1:]]
    return ReLUNet(ws, bs, exact=True)


@pytest.mark.parametrize("seed", [0, 1])
def test_net_volumes_sum_to_box_exactly(seed: int) -> None:
    net = _net((2, 6, 4, 1), seed)
    st = region_statistics(net, domain=(-2, 2), exact=True)
    assert st.n_bounded == st.n_regions
    assert sum(r.volume for r in st.regions) == 16
    # agrees with the region engine's own volumes
    res = enumerate_regions(net, domain=(-2, 2), exact=True, volumes=True, progress=False)
    assert st.n_regions == res.linear_regions
    assert sorted(r.volume for r in st.regions) == sorted(r.volume for r in res.regions)
    # vertices of the edge graph: every one is an endpoint of at least one edge
    assert all(m >= 1 for _, m in st.vertices)


def test_net_float_matches_exact() -> None:
    net = _net((2, 6, 4, 1), 0)
    ex = region_statistics(net, domain=(-2, 2), exact=True)
    fl = region_statistics(net, domain=(-2, 2), exact=False)
    assert (fl.n_regions, fl.n_bounded, fl.n_edges) == (ex.n_regions, ex.n_bounded, ex.n_edges)
    assert len(fl.vertices) == len(ex.vertices)
    assert [r.n_facets for r in fl.regions] == [r.n_facets for r in ex.regions]
    assert [r.n_vertices for r in fl.regions] == [r.n_vertices for r in ex.regions]
    assert [r.volume for r in fl.regions] == pytest.approx([float(r.volume) for r in ex.regions])
    assert sorted(fl.edge_lengths) == pytest.approx(sorted(ex.edge_lengths))


def test_net_unbounded_plane() -> None:
    net = _net((2, 4, 1), 3)
    st = region_statistics(net, exact=True)
    assert st.n_regions == enumerate_regions(net, exact=True, progress=False).linear_regions
    assert any(not r.bounded for r in st.regions)
    rays = [e for e in st.edges if e.kind != "segment"]
    assert rays and all(e.length == float("inf") for e in rays)


def test_3d_net_on_a_box() -> None:
    net = _net((3, 5, 3, 1), 0)
    st = region_statistics(net, domain=(-2, 2), exact=True)
    assert st.dim == 3 and st.edges is None and st.vertices is None
    assert sum(r.volume for r in st.regions) == 64
    assert all(r.n_facets >= 4 and r.n_vertices >= 4 for r in st.regions)
    h = region_statistics(net, domain=(-2, 2), exact=True, h_only=True)
    assert h.h_only and all(r.n_vertices is None and r.volume is None for r in h.regions)
    assert [r.n_facets for r in h.regions] == [r.n_facets for r in st.regions]
    assert h.regions_per_facets == st.regions_per_facets


def test_h_only_by_default_above_dimension_3() -> None:
    # max(0, x1, ..., x4): five regions, all unbounded; region 0 (the negative orthant) has
    # four facets, the others have four too (x_i >= 0 and x_i >= x_j)
    exps = [[0] * 4] + [[int(i == j) for j in range(4)] for i in range(4)]
    st = region_statistics(TropicalPolynomial(exps, [0] * 5), exact=True)
    assert st.h_only and st.edges is None
    assert st.n_regions == 5 and st.n_bounded == 0
    assert [r.n_facets for r in st.regions] == [4] * 5


def test_rational_map_matches_net() -> None:
    net = _net((2, 3, 1), 5)
    f = tropicalize(net, exact=True, progress=False)
    a = region_statistics(f, domain=(-3, 3), exact=True)
    b = region_statistics(net, domain=(-3, 3), exact=True)
    assert a.n_regions == b.n_regions
    assert sum(r.volume for r in a.regions) == 36
    assert sorted(r.volume for r in a.regions) == sorted(r.volume for r in b.regions)
    assert a.n_edges == b.n_edges


def test_reexport_and_bad_input() -> None:
    assert regions_reexport is region_statistics
    with pytest.raises(InvalidInputError):
        region_statistics("not a net")


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    program = Path(sys.executable).with_name("neurogeom")
    cmd = [str(program)] if program.exists() else [sys.executable, "-m", "neurogeom.cli"]
    return subprocess.run(
        [*cmd, *args], capture_output=True, text=True, timeout=120, env=os.environ.copy()
    )


def test_cli_stats() -> None:
    res = _run_cli("tropical", "sectors", "--exact", "--stats", "--json", "-q")
    assert res.returncode == 0, res.stderr
    st = json.loads(res.stdout)["region_statistics"]
    # six sectors around the origin: six rays, one vertex
    assert (st["regions"], st["bounded"], st["edges"], st["vertices"]) == (6, 0, 6, 1)
    assert st["regions_per_facets"] == {"2": 6}
    text = _run_cli("tropical", "sectors", "--exact", "--stats", "-q").stdout
    assert "regions per number of facets" in text


def test_report_section_regions_per_facets() -> None:
    from neurogeom.core.budget import Budget
    from neurogeom.data import example_path
    from neurogeom.nets.io import load
    from neurogeom.report.registry import SectionContext
    from neurogeom.report.sections.tropical import SECTION

    net = load(example_path("sectors"), exact=True)
    ctx = SectionContext(net, "sectors", True, Budget.start(time_limit=60), False)
    res = SECTION.compute(ctx)
    item = next(i for i in res.items if i.label == "regions per number of facets")
    assert item.value == "2: 6" == res.data["regions_per_facets"]


@pytest.mark.parametrize("exact", [True, False])
def test_region_made_of_two_cells(exact: bool) -> None:
    # the second neuron has output weight 0: it cuts each region into two cells of one map
    net = ReLUNet([[[1, 0], [0, 1]], [[1, 0]]], [[0, 0], [0]], exact=exact)
    st = region_statistics(net, domain=(-1, 1), exact=exact)
    assert st.n_regions == 2 and [r.cells for r in st.regions] == [2, 2]
    assert [r.n_facets for r in st.regions] == [4, 4]
    assert [r.n_vertices for r in st.regions] == [4, 4]
    assert [r.volume for r in st.regions] == [2, 2]
    assert sorted(tuple(float(v) for v in r.centroid) for r in st.regions) == [
        (-0.5, 0.0),
        (0.5, 0.0),
    ]
    assert st.n_edges == 1 and st.edges[0].length == pytest.approx(2.0)
    assert [m for _, m in st.vertices] == [1, 1]
