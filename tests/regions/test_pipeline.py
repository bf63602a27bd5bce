"""The steps after the cell search (``regions/_pipeline.py``): certify, adjacency, merge, point
contacts, measure, build the result.

What the result reports about its own work (LPs by backend, phases in order), how a deadline stops
every later phase and marks it, progress bars with totals, volumes on polytope domains, and cells
an engine found that exact mode cannot certify.
"""

from __future__ import annotations

import os
import time
from fractions import Fraction as F

import numpy as np
import pytest

from neurogeom import Domain, ReLUNet, save
from neurogeom.core import lp as lp_module
from neurogeom.core.budget import Budget
from neurogeom.core.tolerances import Tolerances
from neurogeom.regions import enumerate as enumerate_module
from neurogeom.regions import enumerate_regions
from neurogeom.regions._engine import EngineRun, FoundCell, RegionProblem
from neurogeom.regions._pipeline import Pipeline, run_pipeline


def test_every_lp_is_counted_by_backend(monkeypatch, random_net):
    import highspy
    import scipy.optimize

    enumerate_regions(random_net([2, 3, 1], 0), progress=False)  # warm up the HiGHS banner probe
    calls = {"highs": 0, "scipy": 0}
    run, linprog = highspy.Highs.run, scipy.optimize.linprog

    def counted_run(self, *args, **kwargs):
        calls["highs"] += 1
        return run(self, *args, **kwargs)

    def counted_linprog(*args, **kwargs):
        calls["scipy"] += 1
        return linprog(*args, **kwargs)

    monkeypatch.setattr(highspy.Highs, "run", counted_run)
    monkeypatch.setattr(scipy.optimize, "linprog", counted_linprog)
    # a scipy-backed model (the fallback and the benchmark baseline) as well as HiGHS
    model = lp_module.LPModel([[1.0, 1.0]], [0.0], [1.0], backend="scipy")
    before = lp_module.lp_counts()
    model.solve([1.0, 1.0], maximize=True)
    assert (lp_module.lp_counts() - before).scipy == calls["scipy"] == 1
    calls["scipy"] = 0
    res = enumerate_regions(random_net([3, 6, 5, 1], 1), progress=False)
    assert res.stats.lps.highs == calls["highs"] > 0
    assert res.stats.lps.scipy == calls["scipy"]
    assert res.stats.lps.total == calls["highs"] + calls["scipy"] + res.stats.lps.exact


def test_stats_name_the_phases(random_net):
    res = enumerate_regions(random_net([2, 5, 1], 2), domain=(-2, 2), progress=False)
    names = [name for name, _ in res.stats.phases]
    assert names == ["cells", "certify", "adjacency", "merge", "point contacts", "volumes"]
    assert res.stats.incomplete_phases == ()
    doc = res.to_dict()["stats"]
    assert set(doc) == {
        "lps",
        "nodes",
        "phases",
        "incomplete_phases",
        "seconds",
        "cells",
        "facets",
        "lps_per_cell",
        "lps_per_facet",
    }
    assert doc["lps"]["total"] == res.stats.lps.total


@pytest.mark.parametrize("method", ["search", "split"])
@pytest.mark.parametrize("exact", [False, True])
def test_the_time_limit_bounds_every_phase(monkeypatch, method, exact, random_net):
    """The deadline passes right after the cells are found: every later phase stops at once
    and says so, instead of running unbounded — except certification, which keeps the cells
    found (past the deadline only a cell needing the exact simplex would be left out)."""
    net = random_net([2, 8, 8, 1], 3)
    full = enumerate_regions(net, domain=(-3, 3), method=method, exact=exact, progress=False)
    from neurogeom.regions._planar import PlanarEngine

    engines = {"search": enumerate_module.SearchEngine, "split": PlanarEngine}
    real = engines[method].find_cells

    def then_out_of_time(self, problem, budget, progress):
        run = real(self, problem, budget, progress)
        object.__setattr__(budget, "deadline", time.monotonic() - 1)
        return run

    monkeypatch.setattr(engines[method], "find_cells", then_out_of_time)
    res = enumerate_regions(
        net, domain=(-3, 3), method=method, exact=exact, time_limit=3600, progress=False
    )
    assert res.complete == (not res.stats.incomplete_phases)
    assert res.to_dict()["complete"] is res.complete
    assert "certify" not in res.stats.incomplete_phases
    assert res.activation_regions == full.activation_regions
    assert {c.pattern for c in res.cells} == {c.pattern for c in full.cells}
    if method == "search":  # the LP phases stop at once
        assert "adjacency" in res.stats.incomplete_phases and not res.complete


def test_a_search_stopped_by_the_deadline_keeps_its_cells(random_net):
    """A float search cut by the deadline reports the cells it found (the first walk of a
    4-input net takes a while, so the limit leaves room for some final cells)."""
    net = random_net([4, 10, 10, 1], 2)  # about 7600 cells, some 25 s in all
    res = enumerate_regions(net, time_limit=2, progress=False)
    assert not res.complete and "cells" in res.stats.incomplete_phases
    assert res.activation_regions > 0


@pytest.mark.slow
def test_progress_bars_of_later_phases_have_totals(tmp_path, random_net, terminal):
    # the search engine: the box engines know their contacts and draw no adjacency bar
    net = random_net([3, 16, 1], 4)
    net_file = tmp_path / "net.json"
    save(net, net_file)
    n = enumerate_regions(net, domain=(-3, 3), progress=False).activation_regions
    assert n > 200  # long enough for the later phases to draw bars
    args = ["regions", str(net_file), "--box", "-3", "3", "--method", "search", "--volumes"]
    args.append("--json")
    proc, reader = terminal.start(args)
    err = terminal.read(reader)
    proc.wait(timeout=300)
    os.close(reader)
    assert proc.returncode == 0, err
    for phase in ("certify", "adjacency", "volumes"):
        assert phase in err
    assert f"/{n}" in err  # bars show their total


def test_triangle_domain_volumes_add_up():
    net = ReLUNet([[[1, 0], [0, 1], [1, 1]], [[1, 1, -1]]], [["-1/3", "-1/4", "-1/2"], [0]])
    tri = ([[-1, 0], [0, -1], [1, 1]], [0, 0, 1])  # x, y >= 0, x + y <= 1: area 1/2
    res = enumerate_regions(net, domain=tri, exact=True, progress=False, volumes=True)
    assert sum(c.volume for c in res.cells) == F(1, 2)
    assert all(r.bounded for r in res.regions)


def test_an_unbounded_polytope_domain_has_unbounded_regions():
    # the quadrant x, y >= 0 cut by x = 1: a strip 0 <= x <= 1 and the rest, both unbounded
    net = ReLUNet([[[1, 0]], [[1]]], [[-1], [0]], exact=True)
    res = enumerate_regions(
        net, domain=([[-1, 0], [0, -1]], [0, 0]), exact=True, progress=False, volumes=True
    )
    assert res.activation_regions == 2
    assert not any(r.bounded for r in res.regions)
    assert all(r.volume is None for r in res.regions)
    # the same cut on the triangle x, y >= 0, x + y <= 2: a trapezoid and a triangle
    res = enumerate_regions(
        net,
        domain=([[-1, 0], [0, -1], [1, 1]], [0, 0, 2]),
        exact=True,
        progress=False,
        volumes=True,
    )
    assert sorted(r.volume for r in res.regions) == [F(1, 2), F(3, 2)]


def test_a_cell_without_an_exact_interior_point_is_dropped_with_a_note():
    """An engine's float cell that exact arithmetic cannot confirm is not counted, and the
    result says so (``interior point not certified``)."""
    # x > 0 and -x > 0 cannot both hold: the pattern [1, 1] has no cell
    net = ReLUNet([[[1], [-1]], [[1, 1]]], exact=True)
    problem = RegionProblem.build(net, Domain.whole(1), Tolerances())
    run = EngineRun(
        (
            FoundCell(np.array([True, False]), np.array([1.0]), 1.0),
            FoundCell(np.array([True, True]), np.array([0.0]), 0.0),
        ),
        True,
    )
    pipe = Pipeline(problem, Budget(), progress=False)
    res = run_pipeline(
        pipe, "search", run, volumes=False, point_connected=True, lps_before=lp_module.lp_counts()
    )
    assert res.activation_regions == 1
    assert res.cells[0].pattern == (True, False)
    assert all(isinstance(v, F) for v in res.cells[0].point)
    assert not res.certified
    (note,) = res.uncertified
    assert note.kind == "interior point not certified"
    assert note.patterns == ("11",)


def test_past_the_deadline_only_cells_needing_the_exact_simplex_are_left_out():
    """Exact certification after the time limit keeps every cell whose rounded float point is
    exactly inside; a cell whose float point is off (here: on its boundary) would need the exact
    simplex, so it is left out with a note and the phase is marked incomplete."""
    net = ReLUNet([[[1], [-1]], [[1, 1]]], exact=True)
    problem = RegionProblem.build(net, Domain.whole(1), Tolerances())
    cells = (
        FoundCell(np.array([True, False]), np.array([1.0]), 1.0),
        FoundCell(np.array([False, True]), np.array([0.0]), 0.0),  # x = 0 is not inside x < 0
    )
    for budget, counted in ((Budget(), 2), (Budget.start(time_limit=1e-9), 1)):
        time.sleep(0.001)
        pipe = Pipeline(problem, budget, progress=False)
        res = run_pipeline(
            pipe,
            "search",
            EngineRun(cells, True),
            volumes=False,
            point_connected=False,
            lps_before=lp_module.lp_counts(),
        )
        assert res.activation_regions == counted
        assert ("certify" in res.stats.incomplete_phases) == (counted == 1)
        if counted == 1:
            assert [n.patterns for n in res.uncertified] == [("01",)]
            assert not res.complete
