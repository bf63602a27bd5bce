"""The public testing helpers (``neurogeom/testing.py``): ``assert_regions_equal`` accepts equal
partitions (across engines and arithmetics) and names the first difference otherwise."""

from __future__ import annotations

import pytest

from neurogeom import ReLUNet
from neurogeom.regions import enumerate_regions
from neurogeom.testing import assert_regions_equal


def test_assert_regions_equal_accepts_equal_and_names_differences():
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


def test_the_engines_agree_by_the_helper():
    net = ReLUNet([[[1, -1], [0, 1], [0, -1]], [[1, 1, -1]]])
    split = enumerate_regions(net, domain=(-1, 1), method="split", exact=True, progress=False)
    search = enumerate_regions(net, domain=(-1, 1), method="search", exact=True, progress=False)
    assert_regions_equal(split, search)
    assert_regions_equal(search, split)


def test_other_patterns_with_the_same_counts_are_named():
    # relu(x), relu(x - 1) and relu(x), relu(1 - x) on [-1, 1/2]: two cells, two regions each
    a = ReLUNet([[[1], [1]], [[1, 1]]], [[0, -1], [0]])
    b = ReLUNet([[[1], [-1]], [[1, 1]]], [[0, 1], [0]])
    ra = enumerate_regions(a, domain=(-1, "1/2"), exact=True, progress=False)
    rb = enumerate_regions(b, domain=(-1, "1/2"), exact=True, progress=False)
    assert ra.counts() == rb.counts()
    with pytest.raises(AssertionError, match=r"activation patterns differ: only in first \['00'"):
        assert_regions_equal(ra, rb)


def test_other_groupings_with_the_same_cells_are_named():
    # relu(x) and relu(y) over the same four quadrants: the zero map joins other pairs
    ra = enumerate_regions(ReLUNet([[[1, 0], [0, 1]], [[1, 0]]]), exact=True, progress=False)
    rb = enumerate_regions(ReLUNet([[[1, 0], [0, 1]], [[0, 1]]]), exact=True, progress=False)
    assert ra.counts() == rb.counts()
    with pytest.raises(AssertionError, match="different facet-connected regions"):
        assert_regions_equal(ra, rb)


def test_the_tolerance_decides_how_close_maps_must_be():
    net = ReLUNet([[[2.0, 0], [0, 3.0], [2.0, 3.0]], [[1.0, 1.0, -1.0]]], [[0, 0, 0], [0.0]])
    near = ReLUNet([[[2.0, 0], [0, 3.0], [2.0, 3.0]], [[1.0, 1.0, -1.0]]], [[0, 0, 0], [1e-13]])
    a = enumerate_regions(net, progress=False)
    b = enumerate_regions(near, progress=False)
    assert_regions_equal(a, b, tol=1e-12)
    with pytest.raises(AssertionError, match="different affine maps"):
        assert_regions_equal(a, b)
    with pytest.raises(AssertionError, match="different affine maps"):
        assert_regions_equal(a, b, tol=1e-14)
