"""Certified depth bounds: the spec's reference table, certificates and their verification."""

from __future__ import annotations

import dataclasses
import math

import pytest

from neurogeom.core.errors import InvalidInputError
from neurogeom.depth import (
    WeightClass,
    bakaev_max5_terms,
    depth_bounds,
    function_pair,
    max_tree_net,
    newton_pair,
    verify_certificate,
)
from neurogeom.depth.bounds import _volume_delta
from neurogeom.nets.relu import ReLUNet


def log_ceil(base, x):
    return math.ceil(math.log(x, base) - 1e-12) if x > 1 else 0


def test_max8_integer_certifies_three_layers():
    b = depth_bounds("max:8", weights="integer")
    assert b.lower_bound == 3 and b.upper_bound == 3
    c = b.certificate
    assert (c.prime, c.t, c.dimension, c.restriction) == (2, 2, 4, (0, 1, 2, 3))
    assert c.delta == 1 and c.residue == 1
    assert verify_certificate("max:8", c)
    assert "odd" in c.explain() and "at least 3 hidden layers" in c.explain()


@pytest.mark.parametrize("n", range(2, 13))
def test_max_n_integer_is_log2(n):
    b = depth_bounds(f"max:{n}", weights="integer")
    assert b.lower_bound == b.upper_bound == log_ceil(2, n)
    assert verify_certificate(f"max:{n}", b.certificate)


@pytest.mark.parametrize("n", range(3, 30))
def test_max_n_decimal_follows_log3(n):
    b = depth_bounds(f"max:{n}", weights="decimal")
    assert b.lower_bound == max(2, log_ceil(3, n))
    assert b.upper_bound == min(log_ceil(2, n), log_ceil(3, n - 2) + 1) if n >= 4 else 2


@pytest.mark.parametrize("n", range(1, 12))
def test_f_n_decimal_sanity_check(n):
    """Spec A5: F_n with N = 10 gives ⌈log3(n+1)⌉ from the volume invariant."""
    b = depth_bounds(f"F_{n}", weights="decimal")
    vol = [c for c in b.certificates if c.kind == "volume-mod-p"]
    expected = log_ceil(3, n + 1)
    if expected >= 2:
        assert max(c.bound for c in vol) == expected
    assert b.lower_bound == max(expected, 2 if n >= 2 else 1)


def test_reference_certificates():
    c = depth_bounds("F_4", weights="integer").certificate
    assert (c.prime, c.t, c.delta, c.bound) == (2, 2, 1, 3)
    c = depth_bounds("F_9", weights="decimal").certificate
    assert (c.prime, c.t, c.delta, c.bound) == (3, 2, 1, 3)
    for name in ("F_4", "F_9"):
        for cert in depth_bounds(name, weights="decimal").certificates:
            assert verify_certificate(name, cert)


@pytest.mark.parametrize(
    ("name", "integer", "decimal", "real"),
    [("F_1", 1, 1, 1), ("F_2", 2, 2, 2), ("F_3", 2, 2, 2), ("max:3", 2, 2, 2), ("max:4", 2, 2, 2)],
)
def test_reference_table(name, integer, decimal, real):
    assert depth_bounds(name, weights="integer").lower_bound == integer
    assert depth_bounds(name, weights="decimal").lower_bound == decimal
    assert depth_bounds(name, weights="real").lower_bound == real
    assert depth_bounds(name, weights="integer").upper_bound == integer


def test_real_weights_only_trivial_bounds():
    b = depth_bounds("max:16", weights="real")
    assert b.lower_bound == 2
    assert any("real weights" in note for note in b.notes)
    assert b.upper_bound == 3  # Rueß et al.: ⌈log5(8)⌉ + 1


def test_nary_weights_avoid_dividing_primes():
    assert depth_bounds("max:8", weights="nary:2").lower_bound == 2  # only p = 3, 5, 7
    assert depth_bounds("max:10", weights="nary:2").lower_bound == 3  # p = 3, d = 9
    assert depth_bounds("max:8", weights="nary:3").lower_bound == 3  # p = 2 still allowed


def test_tampered_certificates_fail():
    c = depth_bounds("max:8", weights="integer").certificate
    assert not verify_certificate("max:8", dataclasses.replace(c, bound=4))
    assert not verify_certificate("max:8", dataclasses.replace(c, prime=4))
    assert not verify_certificate("max:8", dataclasses.replace(c, restriction=(0, 1, 2)))
    assert not verify_certificate("max:8", dataclasses.replace(c, delta=c.delta + 1))
    assert not verify_certificate("max:8", dataclasses.replace(c, weights="nary:2"))
    assert not verify_certificate("max:4", c)  # d = 4 > 3 inputs of F_3's restriction... fails


def test_networks_bounds_and_certificates():
    net = max_tree_net(4)
    b = depth_bounds(net, weights="integer")
    assert b.lower_bound == 2 and b.upper_bound == 2
    for cert in b.certificates:
        assert verify_certificate(net, cert)
    relu = ReLUNet([[[1]], [[1]]])
    assert depth_bounds(relu, weights="integer").lower_bound == 1
    linear = ReLUNet([[[1], [-1]], [[1, -1]]])
    assert depth_bounds(linear, weights="integer").lower_bound == 0


def test_network_with_biases_uses_recession_or_witness():
    net = ReLUNet([[[1], [1]], [[1, -1]]], [[1, 0], [0]])  # relu(x + 1) - relu(x): bounded
    b = depth_bounds(net, weights="integer")
    assert b.lower_bound == 1
    assert b.certificate.witness is not None
    assert verify_certificate(net, b.certificate)


def test_newton_pair_target():
    pair = function_pair("F_4")
    assert depth_bounds(pair, weights="integer").lower_bound == 3


def test_bbhsy_times_two_has_even_delta():
    """2·MAX_5 from the Bakaev et al. terms: reduced pair (2Δ4, {0}) gives δ = 16, even."""
    assert bakaev_max5_terms()[0].polytope.dim == 4
    assert depth_bounds("max:5", weights="binary").lower_bound == 2
    from neurogeom.depth.newton import NewtonPair
    from neurogeom.polytopes import Polytope

    simplex = Polytope([[2 * int(i == j) for j in range(4)] for i in range(4)] + [[0] * 4])
    pair = NewtonPair(simplex, Polytope.point([0] * 4), 4, False, "2 F_4")
    pos, neg = _volume_delta(pair, (0, 1, 2, 3), None)
    assert pos - neg == 16 and (pos - neg) % 2 == 0


def test_weight_class_errors():
    float_net = ReLUNet([[[0.1, 1.0]], [[1.0]]])
    with pytest.raises(InvalidInputError, match=r"weight\[0, 0\].*not in the weight class integer"):
        depth_bounds(float_net, weights="integer")
    with pytest.raises(InvalidInputError, match="nary:N needs an integer N >= 2"):
        WeightClass.parse("nary:1")
    with pytest.raises(InvalidInputError, match="unknown weight class"):
        WeightClass.parse("complex")
    with pytest.raises(InvalidInputError, match="max:n"):
        depth_bounds("min:3")
    with pytest.raises(InvalidInputError, match="positive integer"):
        depth_bounds("max:0")
    with pytest.raises(InvalidInputError):
        depth_bounds(3.5)  # type: ignore[arg-type]
    half = newton_pair(ReLUNet([[["1/2", 1]], [[1]]], exact=True))
    with pytest.raises(InvalidInputError, match="not in the weight class"):
        depth_bounds(half, weights="integer")
    assert depth_bounds(half, weights="binary").lower_bound == 1


def test_to_dict_is_json_ready():
    import json

    d = depth_bounds("max:8", weights="integer").to_dict()
    text = json.dumps(d)
    assert '"lower_bound": 3' in text and d["certificate"]["prime"] == 2
