"""The result values (``regions/result.py``): ``RegionResult``, ``Cell``, ``LinearRegion``,
``Note`` and ``RegionStats``.

Counts and their definitions, ``to_dict`` (JSON with rationals as ``"p/q"``, the same numbers as
the attributes), ``locate`` (checked against exact evaluation of the net at random rational
points, on and off the hyperplanes), ``region_adjacency``, ``_repr_html_`` (well-formed, holding
every count), reprs that never raise even on hand-built or partial results, and value semantics.
"""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from fractions import Fraction as F

import numpy as np
import pytest

from neurogeom import Domain, InvalidInputError, ReLUNet
from neurogeom.core.lp import LPCounts
from neurogeom.regions import (
    Cell,
    LinearRegion,
    Note,
    RegionResult,
    RegionStats,
    enumerate_regions,
)
from neurogeom.regions.result import DEFINITIONS

SECTORS = ReLUNet([[[2, 0], [0, 3], [2, 3]], [[1, 1, -1]]])  # RG14
MAX2 = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])  # RG11: max(x, y)
COUNT_KEYS = [
    "activation_regions",
    "linear_regions",
    "linear_regions_point_connected",
    "bounded_regions",
]


def bits(pattern) -> str:
    return "".join("1" if b else "0" for b in pattern)


def json_number(v):
    """What a rational looks like in JSON: an int, or "p/q"."""
    q = F(v)
    return q.numerator if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


@pytest.fixture(scope="module")
def sectors_box():
    return enumerate_regions(SECTORS, domain=(-1, 1), exact=True, volumes=True, progress=False)


# -- counts ---------------------------------------------------------------------------------------
def test_counts_name_the_four_definitions(sectors_box):
    res = sectors_box
    assert list(res.counts()) == COUNT_KEYS
    assert res.counts() == {
        "activation_regions": len(res.cells),
        "linear_regions": len(res.regions),
        "linear_regions_point_connected": len(res.point_regions),
        "bounded_regions": sum(r.bounded for r in res.regions),
    }
    assert list(DEFINITIONS) == COUNT_KEYS
    assert (res.n_inputs, res.n_outputs) == (2, 1)
    assert res.certified and res.uncertified == ()


# -- to_dict ---------------------------------------------------------------------------------------
def test_to_dict_is_json_with_exact_rationals(sectors_box):
    res = sectors_box
    doc = res.to_dict()
    assert json.loads(json.dumps(doc)) == doc
    assert set(doc) == {
        *COUNT_KEYS,
        "domain",
        "exact",
        "method",
        "complete",
        "certified",
        "counting",
        "stats",
    }
    assert {k: doc[k] for k in COUNT_KEYS} == res.counts()
    assert doc["domain"] == {"kind": "box", "dim": 2, "lower": [-1, -1], "upper": [1, 1]}
    assert doc["counting"] == DEFINITIONS
    assert (doc["exact"], doc["method"], doc["complete"], doc["certified"]) == (
        True,
        res.method,
        True,
        True,
    )
    full = res.to_dict(cells=True)
    assert json.loads(json.dumps(full)) == full
    assert len(full["cells"]) == 6 and len(full["regions"]) == 6
    assert full["adjacency"] == [list(p) for p in res.adjacency]
    assert full["region_adjacency"] == [list(p) for p in res.region_adjacency]
    assert sorted(map(sorted, full["point_regions"])) == sorted(map(sorted, res.point_regions))
    # the quadrants x > 0 > y and y > 0 > x are cut 1/3 : 2/3 by 2x + 3y = 0
    volumes = sorted((c["pattern"], c["volume"]) for c in full["cells"])
    assert volumes == [
        ("000", 1),
        ("010", "1/3"),
        ("011", "2/3"),
        ("100", "2/3"),
        ("101", "1/3"),
        ("111", 1),
    ]


def test_cell_and_region_dicts_hold_the_attributes(sectors_box):
    for cell in sectors_box.cells:
        d = cell.to_dict()
        assert d["index"] == cell.index and d["region"] == cell.region
        assert d["pattern"] == bits(cell.pattern)
        assert d["point"] == [json_number(v) for v in cell.point]
        assert d["matrix"] == [[json_number(v) for v in row] for row in cell.matrix]
        assert d["offset"] == [json_number(v) for v in cell.offset]
        assert d["facets"] == list(cell.facets) and d["neighbours"] == list(cell.neighbours)
        assert d["bounded"] is True and d["volume"] == json_number(cell.volume)
        assert d["vertices"] == [[json_number(v) for v in vertex] for vertex in cell.vertices]
    for region in sectors_box.regions:
        d = region.to_dict()
        assert d == {
            "index": region.index,
            "cells": list(region.cells),
            "matrix": [[json_number(v) for v in row] for row in region.matrix],
            "offset": [json_number(v) for v in region.offset],
            "bounded": True,
            "volume": json_number(region.volume),
            "point_region": region.point_region,
        }


def test_float_results_write_plain_floats_and_their_notes():
    # two lines 1e-11 apart: floats merge them and say so
    net = ReLUNet([[[1.0, 0], [1.0, 0], [0, 1.0]], [[1.0, -2.0, 1.0]]], [[0, -1e-11, 0], [0]])
    res = enumerate_regions(net, domain=(-1, 1), method="search", progress=False, volumes=True)
    doc = res.to_dict(cells=True)
    assert json.loads(json.dumps(doc)) == doc
    assert doc["certified"] is False
    assert doc["uncertified"] == [n.to_dict() for n in res.uncertified]
    assert doc["uncertified"][0]["kind"] == "near-coincident hyperplanes"
    for c in doc["cells"]:
        assert all(type(v) is float for v in c["point"])
        assert type(c["volume"]) is float


def test_unbounded_cells_have_no_volume_in_json():
    doc = enumerate_regions(SECTORS, exact=True, progress=False).to_dict(cells=True)
    assert all(c["bounded"] is False and c["volume"] is None for c in doc["cells"])
    assert all(c["vertices"] is None for c in doc["cells"])
    assert all(r["volume"] is None for r in doc["regions"])
    doc = enumerate_regions(SECTORS, point_connected=False, progress=False).to_dict(cells=True)
    assert doc["point_regions"] is None and doc["linear_regions_point_connected"] is None
    assert all(r["point_region"] is None for r in doc["regions"])


def test_notes_round_trip_and_name_what_makes_them_the_same():
    note = Note("unsure facet", "a line", ("01", "11"), (3,), 2.5e-10)
    assert Note.from_dict(note.to_dict()) == note
    assert Note.from_dict(json.loads(json.dumps(note.to_dict()))) == note
    assert note.key() == ("unsure facet", ("01", "11"), (3,))
    assert Note("unsure facet", "another line", ("01", "11"), (3,)).key() == note.key()
    bare = Note("volume not computed", "no volume")
    assert bare.to_dict() == {"kind": "volume not computed", "message": "no volume"}
    assert Note.from_dict(bare.to_dict()) == bare


def test_stats_to_dict_rounds_seconds_and_keeps_counts():
    stats = RegionStats(
        LPCounts(3, 1, 2),
        7,
        (("cells", 0.1234567891), ("volumes", 2.0)),
        ("volumes",),
        2.1234567,
        cells=4,
        facets=9,
    )
    assert stats.cells_seconds == 0.1234567891
    assert RegionStats().cells_seconds == 0.0
    assert RegionStats().lps_per_cell is None and RegionStats().lps_per_facet is None
    assert stats.to_dict() == {
        "lps": {"total": 6, "highs": 3, "scipy": 1, "exact": 2},
        "nodes": 7,
        "phases": {"cells": 0.123457, "volumes": 2.0},
        "incomplete_phases": ["volumes"],
        "seconds": 2.123457,
        "cells": 4,
        "facets": 9,
        "lps_per_cell": 1.5,
        "lps_per_facet": 0.667,
    }


def test_stats_count_the_cells_and_facets_of_the_result():
    res = enumerate_regions(SECTORS, exact=True, progress=False)
    assert res.stats.cells == res.activation_regions
    assert res.stats.facets == sum(len(c.facets) for c in res.cells) > 0
    assert res.stats.lps_per_cell == res.stats.lps.total / res.activation_regions


# -- locate --------------------------------------------------------------------------------------
def _random_rationals(rng, n, d, denominator):
    return [[F(int(v), denominator) for v in row] for row in rng.integers(-6, 7, size=(n, d))]


@pytest.mark.parametrize("exact", [False, True])
@pytest.mark.parametrize("domain", [None, (-1, 1)])
def test_locate_finds_the_cell_whose_map_the_net_follows(exact, domain):
    """At random rational points, many on the hyperplanes (denominator 4 hits the lines x = y,
    y = 0 and 2x + 3y = 0 often): ``locate`` returns the cell of the point's pattern, or None
    when that pattern has no full-dimensional cell; the net's value there is the cell's map."""
    rng = np.random.default_rng(3)
    found = none = 0
    for net in (SECTORS, MAX2):
        exact_net = net.to_exact()
        res = enumerate_regions(net, domain=domain, exact=exact, progress=False)
        by_pattern = {c.pattern: c for c in res.cells}
        for x in _random_rationals(rng, 300, 2, 4):
            inside = domain is None or all(-1 <= v <= 1 for v in x)
            query = x if exact else [float(v) for v in x]
            cell = res.locate(query)
            pattern = tuple(bool(b) for b in exact_net.activation_patterns([x])[0])
            if not inside or pattern not in by_pattern:
                assert cell is None
                none += 1
                continue
            assert cell == by_pattern[pattern]
            found += 1
            value = exact_net([x])[0][0]
            mapped = sum(F(m) * v for m, v in zip(cell.matrix[0], x, strict=True)) + F(
                cell.offset[0]
            )
            assert mapped == value if exact else float(mapped) == pytest.approx(float(value))
    assert found > 100 and none > 5


def test_locate_on_boundaries_and_outside():
    res = enumerate_regions(MAX2, domain=(-1, 1), exact=True, progress=False)
    # on x = y with y > 0 the pattern is that of the side where x - y <= 0: cell "010"
    assert bits(res.locate(["1/2", "1/2"]).pattern) == "010"
    # on y = 0 both relu(y) and relu(-y) are off: "100" is no cell
    assert res.locate(["1/2", 0]) is None
    assert res.locate([0, 0]) is None
    assert res.locate(["3/2", 0]) is None  # outside the box
    assert res.locate([1, 1]) is not None  # a corner of the box
    with pytest.raises(InvalidInputError):
        res.locate([0, 0, 0])


# -- region adjacency ------------------------------------------------------------------------------
def test_region_adjacency_is_the_dual_graph_of_the_regions():
    ring = enumerate_regions(SECTORS, exact=True, progress=False)
    # six sectors, six maps: the dual graph is a 6-cycle
    assert len(ring.region_adjacency) == 6
    degree = {r: 0 for r in range(6)}
    for a, b in ring.region_adjacency:
        assert a < b
        degree[a] += 1
        degree[b] += 1
    assert set(degree.values()) == {2}
    assert list(ring.region_adjacency) == sorted(ring.region_adjacency)
    # max(x, y): four cells, two regions that share the two facets on x = y, listed once
    two = enumerate_regions(MAX2, exact=True, progress=False)
    assert len(two.adjacency) == 4
    assert two.region_adjacency == ((0, 1),)
    one = enumerate_regions(ReLUNet([[[1, 0]], [[0]]]), progress=False)
    assert one.adjacency == ((0, 1),) and one.region_adjacency == ()


# -- Jupyter, repr -------------------------------------------------------------------------------
def test_repr_html_is_well_formed_and_holds_every_count(sectors_box):
    page = sectors_box._repr_html_()
    root = ET.fromstring(page)  # well-formed
    rows = root.findall(".//tr")
    assert len(rows) == 4
    for row, key in zip(rows, COUNT_KEYS, strict=True):
        cells = [td for td in row.findall("td")]
        assert cells[0].text == key.replace("_", " ")
        assert cells[1].find("b").text == str(sectors_box.counts()[key])
        assert cells[2].text == DEFINITIONS[key]
    text = "".join(root.itertext())
    assert "[-1, 1]^2" in text and "exact" in text and "certified" in text


def test_repr_html_says_float_uncertified_and_incomplete(random_net):
    net = ReLUNet([[[1.0, 0], [1.0, 0], [0, 1.0]], [[1.0, -2.0, 1.0]]], [[0, -1e-11, 0], [0]])
    page = enumerate_regions(net, method="search", progress=False)._repr_html_()
    ET.fromstring(page)
    assert "float" in page and "1 uncertified" in page and "search engine" in page
    part = enumerate_regions(random_net([3, 8, 6, 1], 3), max_regions=5, progress=False)
    assert "<b>incomplete</b>" in part._repr_html_()
    assert "incomplete" in repr(part)


def _hand_built(**changes) -> RegionResult:
    base = dict(
        net=None,
        domain=Domain.whole(1),
        exact=False,
        method="search",
        cells=(),
        regions=(),
        point_regions=None,
        adjacency=(),
    )
    return RegionResult(**{**base, **changes})


def test_reprs_are_short_and_never_raise(sectors_box):
    assert repr(sectors_box) == (
        f"RegionResult(activation_regions=6, linear_regions=6, point_connected=5, bounded=6, "
        f"{sectors_box.method}, exact)"
    )
    cell = sectors_box.cells[0]
    assert repr(cell) == f"Cell(0, pattern={bits(cell.pattern)}, region={cell.region})"
    assert (
        repr(sectors_box.regions[0])
        == f"LinearRegion(0, cells={list(sectors_box.regions[0].cells)})"
    )
    # hand-built and degenerate values: no net, no cells, an empty pattern, odd numbers
    odd = [
        _hand_built(),
        _hand_built(complete=False, uncertified=(Note("thin cell", "x"),)),
        _hand_built(domain=Domain.polytope([[1]], [1]), point_regions=((0,),)),
    ]
    for res in odd:
        for text in (repr(res), res._repr_html_(), json.dumps(res.to_dict(cells=True))):
            assert isinstance(text, str) and len(text) < 2000
    empty = Cell(0, (), (), 0.0, (), (), (), (), 0, False)
    assert repr(empty) == "Cell(0, pattern=-, region=0)"
    assert json.loads(json.dumps(empty.to_dict()))["pattern"] == ""
    weird = Cell(
        3,
        (True,),
        (float("nan"),),
        float("inf"),
        ((F(1, 3),),),
        (np.int64(2),),
        (),
        (),
        1,
        True,
        0.5,
    )
    assert repr(weird) == "Cell(3, pattern=1, region=1)"
    assert weird.to_dict()["offset"] == [2] and weird.to_dict()["matrix"] == [["1/3"]]
    assert repr(LinearRegion(0, (), (), (), False))
    assert repr(Note("thin cell", "")) and repr(RegionStats())


def test_results_are_frozen_values(sectors_box):
    with pytest.raises(dataclasses.FrozenInstanceError):
        sectors_box.exact = False
    with pytest.raises(dataclasses.FrozenInstanceError):
        sectors_box.cells[0].region = 3
    again = enumerate_regions(SECTORS, domain=(-1, 1), exact=True, volumes=True, progress=False)
    assert again.cells == sectors_box.cells and again.regions == sectors_box.regions
    assert hash(again.cells[0]) == hash(sectors_box.cells[0])
    assert len({*again.cells, *sectors_box.cells}) == 6
    # the tables are read-only sequences: no item assignment, no writable column
    for table in (sectors_box.cells, sectors_box.regions, sectors_box.adjacency):
        assert isinstance(table, Sequence) and not hasattr(table, "__setitem__")
        with pytest.raises(dataclasses.FrozenInstanceError):
            table.pairs = None
    with pytest.raises(ValueError, match="read-only"):
        sectors_box.cells.patterns[0, 0] = False
    with pytest.raises(ValueError, match="read-only"):
        sectors_box.adjacency.pairs[0, 0] = 5
    with pytest.raises(ValueError, match="read-only"):
        sectors_box.regions.members.values[0] = 5


def test_tables_read_like_tuples(sectors_box):
    """Indexing, negative indices, slices, iteration, equality with tuples and out-of-range
    errors behave as for the tuples they stand for."""
    for table in (sectors_box.cells, sectors_box.regions, sectors_box.adjacency):
        items = tuple(table)
        assert len(items) == len(table) > 0
        assert table == items and items == tuple(table[i] for i in range(len(table)))
        assert table[-1] == items[-1] and table[1:3] == items[1:3] and table[::-2] == items[::-2]
        assert table != items[:-1] and table != "x"
        with pytest.raises(IndexError):
            table[len(table)]
    cells = sectors_box.cells
    assert [c.index for c in cells] == list(range(len(cells)))
    for a, b in sectors_box.adjacency:
        assert b in cells[a].neighbours and a in cells[b].neighbours
    for region in sectors_box.regions:
        assert all(cells[c].region == region.index for c in region.cells)
        assert region.matrix == cells[region.cells[0]].matrix
