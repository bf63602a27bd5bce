"""The spec's table of architectures (§5): degrees, counts, dimension and filling."""

from __future__ import annotations

import pytest

from neurogeom.rational import (
    ambient_dim,
    degrees,
    dimension,
    expected_dim,
    fills,
    parameter_count,
    symmetry_dim,
)

# d, (deg P, deg Q), params, params - scalings, ambient, dim V, fills
SPEC_TABLE = [
    ((2, 2, 1), (1, 2), 6, 4, 4, 4, True),
    ((2, 2, 3), (1, 2), 10, 8, 8, 8, True),
    ((2, 3, 1), (2, 3), 9, 6, 6, 6, True),
    ((2, 4, 2), (3, 4), 16, 12, 12, 12, True),
    ((3, 1, 2), (0, 1), 5, 4, 4, 4, True),
    ((3, 2, 1), (1, 2), 8, 6, 8, 6, False),
    ((3, 2, 2), (1, 2), 10, 8, 11, 8, False),
    ((3, 3, 1), (2, 3), 12, 9, 15, 9, False),
    ((4, 2, 1), (1, 2), 10, 8, 13, 8, False),
    ((2, 2, 2, 1), (3, 2), 10, 6, 6, 6, True),
    ((2, 2, 2, 2), (3, 2), 12, 8, 10, 8, False),
    ((2, 2, 2, 3), (3, 2), 14, 10, 14, 10, False),
    ((2, 2, 2, 2, 1), (3, 4), 14, 8, 8, 8, True),
    ((2, 2, 2, 2, 2), (3, 4), 16, 10, 12, 10, False),
    ((3, 2, 2, 1), (3, 2), 12, 8, 15, 8, False),
    ((2, 2, 3, 1), (4, 3), 13, 8, 8, 8, True),
    ((2, 3, 2, 1), (5, 4), 14, 9, 10, 9, False),
]


@pytest.mark.parametrize(
    ("arch", "degs", "params", "free", "amb", "dim", "fill"),
    SPEC_TABLE,
    ids=lambda v: "-".join(map(str, v)) if isinstance(v, tuple) and len(v) > 2 else None,
)
def test_spec_reference_table(arch, degs, params, free, amb, dim, fill) -> None:
    assert degrees(arch) == degs
    assert parameter_count(arch) == params
    assert parameter_count(arch) - symmetry_dim(arch) == free
    assert ambient_dim(arch) == amb
    res = dimension(arch, seed=11)
    assert res.dimension == dim
    assert res.ambient_dimension == amb
    assert res.fills is fill
    assert fills(arch) is fill
    assert res.expected_dimension == expected_dim(arch) == min(free, amb)
    assert res.certified  # the rank reached the upper bound
    assert res.float_check is not None and res.float_check.rank == dim


def test_biases_change_the_dimension() -> None:
    # spec design decision 1: (4,3,2) has dimension 15 bias-free and 20 with biases
    assert dimension((4, 3, 2), seed=0).dimension == 15
    assert dimension((4, 3, 2), bias=True, seed=0).dimension == 20
