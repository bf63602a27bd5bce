"""Degrees, counts and closed formulas: against the spec's table, expansions and F_p samples."""

from __future__ import annotations

import itertools

import pytest

from neurogeom import InvalidInputError
from neurogeom.rational import (
    ambient_dim,
    check_architecture,
    closed_form_dim,
    degrees,
    dimension,
    expand,
    expected_dim,
    fills,
    generic_degrees,
    is_binary,
    parameter_count,
    symmetry_dim,
)

SMALL = [a for L in range(1, 5) for a in itertools.product(range(1, 4), repeat=L + 1)]


@pytest.mark.parametrize("arch", SMALL, ids=lambda a: "-".join(map(str, a)))
@pytest.mark.parametrize("bias", [False, True], ids=["bias-free", "bias"])
def test_degree_formulas_match_the_reduced_expansion(arch, bias, random_net) -> None:
    net = random_net(arch, seed=sum(arch) * 7 + len(arch), bias=bias, scale=97)
    e = expand(net, method="direct", max_terms=None)
    deg_p, deg_q = e.degrees
    assert (max(deg_p, 0), deg_q) == degrees(arch, bias=bias)


MEDIUM = [
    a
    for L in range(2, 5)
    for a in itertools.product(range(1, 6), repeat=L + 1)
    if max(a) >= 4 and sum(a) <= 14
]


@pytest.mark.parametrize("bias", [False, True], ids=["bias-free", "bias"])
def test_degree_formulas_match_samples_over_a_prime_field(bias) -> None:
    # the univariate F_p computation is an independent algorithm (no expansion, no formula)
    for arch in MEDIUM[::7]:
        assert generic_degrees(arch, bias=bias, seed=1) == degrees(arch, bias=bias), arch


def test_spec_degree_examples() -> None:
    assert degrees((2, 3, 2, 1)) == (5, 4)
    assert degrees((2, 2, 3, 1)) == (4, 3)
    assert degrees((2, 2, 2, 2, 1)) == (3, 4)
    for d0, d1 in itertools.product(range(2, 5), range(1, 5)):
        assert degrees((d0, d1, 2)) == (d1 - 1, d1)
    for d0, d1, d2 in itertools.product(range(2, 4), range(2, 4), range(2, 4)):
        assert degrees((d0, d1, d2, 1)) == ((d1 - 1) * (d2 - 1) + d1, d2 * (d1 - 1))


def test_counts() -> None:
    assert parameter_count((2, 3, 2, 1)) == 14
    assert parameter_count((4, 3, 2), bias=True) == 23
    assert symmetry_dim((2, 3, 2, 1)) == 5
    assert symmetry_dim((2, 1)) == 0
    assert expected_dim((4, 3, 2), bias=True) == 20


CLOSED_FORM_ARCHS = (
    [(d0, d1, d2) for d0 in (2, 3, 4) for d1 in (1, 2, 3, 4) for d2 in (1, 2, 3)]
    + [(5, 2, 1), (5, 3, 2), (6, 2, 1), (4, 5, 1), (3, 5, 1), (3, 6, 2)]
    + [(2,) * L + (dL,) for L in range(2, 7) for dL in (1, 2, 3, 4)]
    + [(3, 2), (1, 3, 2), (1, 2, 2, 3), (2, 1)]
)


@pytest.mark.parametrize("arch", CLOSED_FORM_ARCHS, ids=lambda a: "-".join(map(str, a)))
def test_rank_dimension_equals_the_closed_formula(arch) -> None:
    closed = closed_form_dim(arch)
    assert closed is not None
    res = dimension(arch, seed=5, float_check=False)
    assert res.dimension == closed[0]
    assert res.closed_form == closed[0]


@pytest.mark.parametrize(
    "arch", [a for a in SMALL if len(a) <= 4], ids=lambda a: "-".join(map(str, a))
)
def test_filling_criteria_match_the_rank(arch) -> None:
    res = dimension(arch, seed=2, float_check=False)
    assert fills(arch) == res.fills == (res.dimension == ambient_dim(arch))


def test_closed_form_only_where_known() -> None:
    assert closed_form_dim((2, 3, 2, 1)) is None
    assert closed_form_dim((3, 2, 2, 1)) is None
    assert is_binary((2, 2, 2, 5)) and not is_binary((2, 3, 2, 1))


@pytest.mark.parametrize(
    ("arch", "needle"),
    [
        ((2, 0, 1), "width 1 (hidden layer 1) is 0"),
        ((0, 2, 1), "width 0 (inputs) is 0"),
        ((2, 2, -1), "width 2 (outputs) is -1"),
        ((2,), "at least two widths"),
        ((2, 1.5, 1), "width 1 (hidden layer 1) is 1.5"),
        ((2, True, 1), "width 1"),
        ("2,a,1", "width 1 is 'a'"),
        (7, "sequence of widths"),
    ],
)
def test_bad_architectures_are_named(arch, needle) -> None:
    with pytest.raises(InvalidInputError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        check_architecture(arch)


def test_architecture_strings() -> None:
    assert check_architecture("2,3,1") == check_architecture("2-3-1") == (2, 3, 1)
    assert check_architecture(" 2 3 1 ") == (2, 3, 1)


def test_spec_variants_binary_hidden_layers_and_filling_deep_nets() -> None:
    # spec §3 "Variants" [derived]: binary hidden layers with d0 >= 3 have dimension
    # 2 (d0 + dL + L - 3) and never fill for L >= 2; (2, 2, d2, 1) fills for every d2
    for d0, n_layers, d_out in itertools.product(range(3, 7), range(2, 6), range(1, 5)):
        arch = (d0,) + (2,) * (n_layers - 1) + (d_out,)
        res = dimension(arch, seed=3, float_check=False)
        assert res.dimension == 2 * (d0 + d_out + n_layers - 3), arch
        assert not res.fills, arch
    for d2 in range(1, 8):
        assert dimension((2, 2, d2, 1), seed=3, float_check=False).fills, d2


def test_closed_formulas_hold_on_every_shallow_and_binary_architecture_in_a_range() -> None:
    # every shallow (d0, d1, d2) with 2 <= d0 <= 8, d1 <= 8, d2 <= 5 and every binary
    # (2, ..., 2, dL) with 2 <= L <= 8, dL <= 6: fresh random draws, one trial each
    shallow = list(itertools.product(range(2, 9), range(1, 9), range(1, 6)))
    binary = [(2,) * n + (d,) for n in range(2, 9) for d in range(1, 7)]
    for arch in shallow + binary:
        closed = closed_form_dim(arch)
        assert closed is not None
        res = dimension(arch, seed=99, trials=1, float_check=False)
        assert res.dimension == closed[0], (arch, res.dimension, closed)
    assert len(shallow) + len(binary) == 322
