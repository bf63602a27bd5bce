"""Data-holding regions: codewords, inequalities, maps and ranks; data validation; leaky and
exact networks."""

from __future__ import annotations

import numpy as np
import pytest

from neurogeom import InvalidInputError, ReLUNet
from neurogeom.topology import (
    check_data,
    layer_regions,
    overlap_decomposition,
    representation,
)


def test_regions_and_ranks(ref, circle48) -> None:
    regions, region_of = layer_regions(ref.fold(), circle48, 1)
    assert len(regions) == 4 and sorted(len(r.points) for r in regions) == [12] * 4
    for r in regions:
        assert (region_of[list(r.points)] == r.index).all()
        xs = circle48[list(r.points)]
        assert ((xs @ r.a.T - r.b) <= 1e-12).all()
        y = representation(ref.fold(), xs, 1)
        assert np.allclose(xs @ r.matrix.T + r.offset, y)
    no_signs, _ = layer_regions(ref.fold(), circle48, 2, output_signs=False)
    assert len(no_signs) == 4


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ([[0.0, 1.0, 2.0]], "3 column"),
        ([[0.0, np.nan], [1.0, 1.0]], "NaN or inf"),
        ([[0.0, np.inf], [1.0, 1.0]], "NaN or inf"),
        (np.zeros((0, 2)), "empty"),
        ([[0.0, 1.0]], "one point"),
        ([[0.0, 1.0], [2.0, 2.0], [0.0, 1.0]], "duplicate"),
        ([0.0, 1.0], "2-D"),
        ([["a", "b"], ["c", "d"]], "numbers"),
    ],
)
def test_bad_data(ref, data, needle) -> None:
    with pytest.raises(InvalidInputError, match=needle):
        overlap_decomposition(ref.fold(), data)
    with pytest.raises(InvalidInputError, match=needle):
        check_data(data, 2)


def test_leaky_and_exact_networks(ref, circle48) -> None:
    leaky = ReLUNet([[[1, 0], [0, 1]], [[1, 0], [0, 1]]], negative_slope="1/2")
    dec = overlap_decomposition(leaky, circle48, scale=0.2)  # injective: nothing glued
    assert all(layer.classes == () for layer in dec.layers)
    y = representation(leaky, circle48, 1)
    assert np.allclose(y, np.where(circle48 > 0, circle48, circle48 / 2))
    exact = ReLUNet(ref.fold().to_exact().weights, exact=True)
    a = overlap_decomposition(exact, circle48, scale=0.2)
    b = overlap_decomposition(ref.fold(), circle48, scale=0.2)
    assert a.layer(2).classes == b.layer(2).classes
