"""What the engines share (``regions/_engine.py``): the problem they solve and what they return.

``RegionProblem.build`` derives the length scale of relative tolerances and the size maps are
compared against (checked by hand on a small net); both engines satisfy the engine protocol and
hand the pipeline cells with patterns, interior points and, for the split engine, vertices.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from neurogeom import Domain, ReLUNet
from neurogeom.core.budget import Budget
from neurogeom.core.tolerances import Tolerances
from neurogeom.regions._engine import EngineRun, FoundCell, RegionProblem
from neurogeom.regions._split import SplitEngine
from neurogeom.regions.enumerate import SearchEngine

NET = ReLUNet([[[3.0, 4.0]], [[2.0]]], [[10.0], [1.0]])


@pytest.mark.parametrize(
    ("domain", "scale", "size"),
    [
        # the hyperplane 3x + 4y + 10 = 0 is 2 from the origin; |3x + 4y + 10| <= 7 * 2 + 10
        (Domain.whole(2), 2.0, 2 * 24.0 + 1),
        (Domain.box(-5, 5, dim=2), 5.0, 2 * 45.0 + 1),
    ],
)
def test_the_problem_knows_its_scales(domain, scale, size):
    tol = Tolerances(rel=1e-6)
    problem = RegionProblem.build(NET, domain, tol)
    assert (problem.scale, problem.size) == (scale, size)
    assert problem.threshold == pytest.approx(1e-6 * scale)
    assert not problem.exact
    assert RegionProblem.build(NET.to_exact(), domain, tol).exact


@pytest.mark.parametrize("engine", [SearchEngine(), SplitEngine()], ids=["search", "split"])
@pytest.mark.parametrize("exact", [False, True])
def test_both_engines_keep_the_protocol(engine, exact):
    assert isinstance(engine.name, str) and callable(engine.find_cells)
    net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]], exact=exact)
    problem = RegionProblem.build(net, Domain.box(-1, 1, dim=2), Tolerances())
    run = engine.find_cells(problem, Budget(), False)
    assert isinstance(run, EngineRun) and run.complete and run.notes == ()
    assert sorted(c.key for c in run.cells) == ["001", "010", "101", "110"]
    exact_net = net.to_exact()
    for cell in run.cells:
        assert isinstance(cell, FoundCell) and cell.pattern.dtype == bool
        point = cell.exact_point if cell.exact_point is not None else cell.point
        got = exact_net.activation_patterns(np.array([[Fraction(v) for v in point]], dtype=object))
        assert got[0].tolist() == cell.pattern.tolist()
        if engine.name == "split":
            assert cell.vertices is not None and len(cell.vertices) >= 3
            assert (cell.exact_point is not None) == exact
    assert (run.nodes > 0) == (engine.name == "search")


def test_a_budget_cap_stops_either_engine():
    net = ReLUNet([[[1, 0], [0, 1], [1, 1]], [[1, 1, 1]]])  # 6 cells in the square
    problem = RegionProblem.build(net, Domain.box(-1, 1, dim=2), Tolerances())
    run = SplitEngine().find_cells(problem, Budget.start(max_items=2), False)
    assert not run.complete and len(run.cells) == 2
    run = SearchEngine().find_cells(problem, Budget.start(max_items=2), False)
    assert not run.complete and len(run.cells) <= 2  # see test_search for what it keeps
    for engine in (SplitEngine(), SearchEngine()):
        run = engine.find_cells(problem, Budget.start(max_items=6), False)
        assert run.complete and len(run.cells) == 6
