"""The entry point (``regions/enumerate.py``): ``enumerate_regions`` and ``count_regions``.

Their options and validation: which engine ``method="auto"`` picks, the domain forms, budgets
(``max_regions``, ``time_limit``), worker processes and when they do not apply, ``volumes`` and
``point_connected``, the counts ``count_regions`` names, and the errors of bad arguments. What the
engines find is tested in ``test_search.py``, ``test_split.py`` and the reference table; what the
result holds in ``test_result.py``.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from neurogeom import Domain, InvalidInputError, ReLUNet
from neurogeom.core.errors import Float64RangeError
from neurogeom.regions import count_regions, enumerate_regions

RG14 = ReLUNet([[[2, 0], [0, 3], [2, 3]], [[1, 1, -1]]])  # 6 cells, 6 regions, 5 point-connected


def patterns(res):
    return sorted(c.pattern for c in res.cells)


# -- budgets and workers -------------------------------------------------------------------------
def test_max_regions_gives_an_incomplete_lower_bound(search_net, search_net_cells):
    full = search_net_cells
    part = enumerate_regions(
        search_net, method="search", max_regions=10, progress=False, volumes=False
    )
    assert not part.complete
    assert 0 < part.activation_regions < full.activation_regions
    assert {c.pattern for c in part.cells} <= {c.pattern for c in full.cells}
    assert part.to_dict()["complete"] is False


def test_time_limit_marks_incomplete(random_net):
    part = enumerate_regions(
        random_net([4, 12, 12, 1], 0), time_limit=0.05, progress=False, volumes=False
    )
    assert not part.complete


def test_workers_give_the_same_cells(search_net, search_net_cells):
    full = search_net_cells
    par = enumerate_regions(search_net, method="search", workers=2, progress=False, volumes=False)
    assert par.complete
    assert sorted(c.pattern for c in par.cells) == sorted(c.pattern for c in full.cells)
    assert par.counts() == full.counts()


def test_workers_say_when_they_do_not_apply(random_net):
    net = random_net([2, 4, 4, 1], 5)
    with pytest.warns(RuntimeWarning, match="split engine"):
        enumerate_regions(net, domain=(-1, 1), workers=2, progress=False)
    with pytest.warns(RuntimeWarning, match="one hidden layer"):
        enumerate_regions(random_net([3, 5, 1], 6), workers=2, progress=False)


# -- choosing the engine ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("n_inputs", "domain", "checkpoint", "chosen", "cells"),
    [
        (2, (-1, 1), False, "split", 4),
        (1, (0, 1), False, "split", 1),
        (3, (-1, 1), False, "split", 8),
        (2, None, False, "search", 4),
        (4, (-1, 1), False, "search", 16),
        (2, ([[1, 1], [-1, 0], [0, -1]], [1, 0, 0]), False, "search", 1),
        (2, (-1, 1), True, "search", 4),
    ],
)
def test_auto_picks_split_on_small_boxes_and_search_elsewhere(
    n_inputs, domain, checkpoint, chosen, cells, tmp_path
):
    # the orthants of R^n, cut by the domain
    net = ReLUNet([np.eye(n_inputs, dtype=int).tolist(), [[1] * n_inputs]])
    ckpt = tmp_path / "c.ckpt" if checkpoint else None
    res = enumerate_regions(net, domain=domain, checkpoint=ckpt, progress=False)
    assert res.method == chosen
    assert res.activation_regions == cells
    assert ckpt is None or ckpt.exists()


def test_split_refuses_a_checkpoint(tmp_path):
    with pytest.raises(InvalidInputError, match="checkpoint is an option of method='search'"):
        enumerate_regions(
            RG14, domain=(-1, 1), method="split", checkpoint=tmp_path / "c", progress=False
        )


# -- domains ---------------------------------------------------------------------------------------
def test_box_given_as_polytope_matches_box():
    net = ReLUNet([[[1, 2], [-1, 1], [3, -1]], [[1, -1, 1]]], [[0, 1, -1], [0]], exact=True)
    a = [[1, 0], [0, 1], [-1, 0], [0, -1]]
    b = [2, 2, 2, 2]
    as_box = enumerate_regions(net, domain=(-2, 2), exact=True, method="search", progress=False)
    as_poly = enumerate_regions(net, domain=(a, b), exact=True, progress=False)
    assert as_poly.domain.kind == "polytope"
    assert as_box.counts() == as_poly.counts()
    assert patterns(as_box) == patterns(as_poly)


def test_every_domain_form_gives_the_same_domain():
    box = Domain.box(-1, 1, dim=2)
    for form in (box, (-1, 1), ([-1, -1], [1, 1]), ("-1", 1)):
        assert enumerate_regions(RG14, domain=form, progress=False).domain == box
    assert enumerate_regions(RG14, progress=False).domain == Domain.whole(2)


# -- what is computed --------------------------------------------------------------------------
def test_volumes_only_when_asked_except_where_free():
    three = ReLUNet([np.eye(3, dtype=int).tolist(), [[1, 1, 1]]], exact=True)
    res = enumerate_regions(three, domain=(0, 2), exact=True, progress=False)
    assert res.regions[0].volume is None and all(c.volume is None for c in res.cells)
    res = enumerate_regions(three, domain=(0, 2), exact=True, volumes=True, progress=False)
    assert res.regions[0].volume == 8
    four = ReLUNet([np.eye(4, dtype=int).tolist(), [[1, 1, 1, 1]]], exact=True)
    res = enumerate_regions(four, domain=(-1, 1), exact=True, volumes=True, progress=False)
    assert sum(c.volume for c in res.cells) == 16
    # on a 2-input box the planar engine measures every cell as it builds it in float mode;
    # exact areas it computes only when asked
    two = ReLUNet([np.eye(2, dtype=int).tolist(), [[1, 1]]])
    res = enumerate_regions(two, domain=(-1, 1), progress=False)
    assert res.method == "split" and sum(c.volume for c in res.cells) == 4
    res = enumerate_regions(two, domain=(-1, 1), exact=True, progress=False)
    assert all(c.volume is None for c in res.cells)


def test_volumes_are_refused_beyond_six_inputs():
    net = ReLUNet([np.eye(7, dtype=int).tolist(), [[1] * 7]])
    with pytest.raises(InvalidInputError, match="up to input dimension 6"):
        enumerate_regions(net, domain=(-1, 1), volumes=True, progress=False)


def test_point_connected_false_leaves_that_count_out():
    res = enumerate_regions(RG14, point_connected=False, progress=False)
    assert res.linear_regions_point_connected is None
    assert res.point_regions is None
    assert res.counts()["linear_regions_point_connected"] is None
    assert res.linear_regions == 6


def test_exact_mode_uses_the_nets_exact_literals():
    net = ReLUNet([[["0.1", "0.2"]], [["0.3"]]])  # a float view of exact decimals
    res = enumerate_regions(net, exact=True, progress=False)
    assert res.exact and res.net.exact
    maps = {r.matrix for r in res.regions}
    assert ((Fraction(3, 100), Fraction(3, 50)),) in maps


@pytest.mark.parametrize("seed", [0, 1, 12345])
def test_the_seed_does_not_change_the_answer(seed):
    # every start point lies on the arrangement's hyperplanes: the seed perturbs it
    net = ReLUNet([[[1, 0], [0, 1], [1, 1], [1, -1]], [[1, -1, 1, 2]]])
    res = enumerate_regions(net, method="search", seed=seed, exact=True, progress=False)
    assert res.activation_regions == 8
    assert res.certified


# -- count_regions ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "domain", "expected"),
    [
        ("activation", None, 6),
        ("linear", None, 6),
        ("linear_point", None, 5),
        ("bounded", None, 0),
        ("bounded", (-1, 1), 6),
    ],
)
@pytest.mark.parametrize("exact", [False, True])
def test_count_regions_names_each_count(kind, domain, expected, exact):
    assert count_regions(RG14, kind, domain=domain, exact=exact) == expected


def test_count_regions_refuses_an_unknown_kind():
    with pytest.raises(InvalidInputError, match="kind must be one of"):
        count_regions(RG14, "facets")


# -- validation ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "nope"}, "method must be"),
        ({"method": "split"}, "needs a box domain"),
        ({"max_regions": 0}, "max_regions"),
        ({"time_limit": -1}, "time_limit"),
        ({"workers": 0}, "workers"),
        ({"tol": 2.0}, "tol"),
        ({"domain": (1, 0)}, "empty in coordinate 0"),
        ({"domain": ([[1, 0]], [1])}, "columns"),
        ({"domain": "everywhere"}, "domain must be"),
    ],
)
def test_bad_options_are_named(search_net, kwargs, message):
    with pytest.raises(InvalidInputError, match=message):
        enumerate_regions(search_net, progress=False, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"workers": True}, "workers must be a positive integer"),
        ({"workers": 1.5}, "workers must be a positive integer"),
        ({"domain": Domain.box(-1, 1, dim=3)}, "dimension 3 but the net has 2 inputs"),
        ({"method": "split", "domain": ([[1, 0], [0, 1], [-1, -1]], [1, 1, 1])}, "box domain"),
    ],
)
def test_more_bad_options_are_named(kwargs, message):
    with pytest.raises(InvalidInputError, match=message):
        enumerate_regions(RG14, progress=False, **kwargs)


def test_rational_net_is_refused():
    from neurogeom import RationalNet, UnsupportedLayerError

    with pytest.raises(UnsupportedLayerError, match="piecewise-linear"):
        enumerate_regions(RationalNet([[[1.0]], [[1.0]]]), progress=False)


def test_other_objects_are_refused():
    with pytest.raises(InvalidInputError, match="expected a ReLUNet, got list"):
        enumerate_regions([[1, 2]], progress=False)


def test_a_net_beyond_float64_says_why_it_cannot_be_enumerated():
    big = ReLUNet([[[10**400, 1]], [[1]]], exact=True)
    with pytest.raises(Float64RangeError, match="the cell search solves float64 LPs"):
        enumerate_regions(big, exact=True, progress=False)
