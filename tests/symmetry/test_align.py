"""Alignment: a permuted and rescaled copy is aligned back exactly (the permutation recovered), the
aligned net keeps the second net's function, noise only shrinks the distance, clear errors."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurogeom import InvalidInputError, ReLUNet, UnsupportedLayerError
from neurogeom.symmetry import ShallowNet, align, are_equivalent

SCALES = [Fraction(1, 3), Fraction(1, 2), Fraction(2), Fraction(5, 2), Fraction(3)]


def shuffled_copy(net: ReLUNet, seed: int) -> tuple[ReLUNet, list[np.ndarray]]:
    """Permute and positively rescale every hidden layer (exactly); return the copy and the
    permutations used (position i of the copy holds neuron perm[i])."""
    rng = np.random.default_rng(seed)
    ws = [np.array(w, dtype=object) for w in net.weights]
    bs = [np.array(b, dtype=object) for b in net.biases]
    perms = []
    for l in range(net.n_layers - 1):
        p = rng.permutation(ws[l].shape[0])
        lam = np.array([SCALES[int(i)] for i in rng.integers(len(SCALES), size=len(p))], object)
        ws[l] = ws[l][p] * lam[:, None]
        bs[l] = bs[l][p] * lam
        ws[l + 1] = ws[l + 1][:, p] / lam[None, :]
        perms.append(p)
    return ReLUNet(ws, bs, exact=True), perms


def integer_net(arch: list[int], seed: int) -> ReLUNet:
    rng = np.random.default_rng(seed)
    ws = [rng.integers(-4, 5, size=(arch[i + 1], arch[i])).tolist() for i in range(len(arch) - 1)]
    bs = [rng.integers(-3, 4, size=arch[i + 1]).tolist() for i in range(len(arch) - 1)]
    return ReLUNet(ws, bs, exact=True)


@settings(max_examples=30)
@given(st.integers(0, 10**6), st.sampled_from([[2, 5, 1], [3, 6, 4, 2], [2, 4, 4, 4, 1]]))
def test_a_shuffled_copy_is_aligned_back_exactly(seed: int, arch: list[int]) -> None:
    net = integer_net(arch, seed)
    rows = [np.array(w, dtype=float) for w in net.weights[:-1]]
    # distinct neurons (no two with proportional rows): the matching is then unique
    for w, b in zip(rows, net.biases[:-1], strict=True):
        full = np.hstack([w, np.asarray(b, dtype=float)[:, None]])
        norm = np.abs(full).sum(axis=1, keepdims=True)
        if (norm == 0).any() or len({tuple(np.round(r, 9)) for r in full / norm}) < len(full):
            return
    copy, perms = shuffled_copy(net, seed + 1)
    res = align(net, copy)
    assert res.equal and res.net == net and res.distance_after == 0
    for p, found in zip(perms, res.permutations, strict=True):
        assert list(p[list(found)]) == list(range(len(p)))  # the copy's order undone


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_aligned_net_keeps_the_second_function(seed: int) -> None:
    a = integer_net([2, 4, 3, 1], seed)
    b = integer_net([2, 4, 3, 1], seed + 10)  # an unrelated net
    res = align(a, b)
    assert not res.equal
    assert are_equivalent(res.net, b, domain=(-2, 2)).verdict == "equivalent"


def test_float_alignment_of_a_noisy_copy_reduces_the_distance() -> None:
    net = integer_net([3, 6, 5, 2], 4).to_float()
    copy, _ = shuffled_copy(net.to_exact(), 5)
    rng = np.random.default_rng(0)
    noisy = ReLUNet(
        [np.asarray(w, dtype=float) + rng.normal(size=w.shape) * 1e-3 for w in copy.weights],
        [np.asarray(b, dtype=float) for b in copy.biases],
    )
    res = align(net, noisy)
    assert not res.equal and res.distance_after < 0.05 < res.distance_before
    exact_copy = align(net, copy.to_float())
    assert exact_copy.equal and exact_copy.distance_after < 1e-12


def test_equivalent_generic_shallow_nets_align_exactly() -> None:
    a = ShallowNet([[1, 2], [3, -1], [0, 1]], [1, 0, 2], [[1, -1, 2]], c=[0], exact=True)
    b = ShallowNet(
        [[0, 3], [2, 4], ["3/2", "-1/2"]], [6, 2, 0], [["2/3", "1/2", -2]], c=[0], exact=True
    )
    assert are_equivalent(a, b).verdict == "equivalent"
    res = align(a, b)
    assert res.equal and res.net == a
    # position 0 holds b's neuron 1, (2, 4, 2) = 2 (1, 2, 1): scaled by 1/2 to a's neuron 0
    assert res.permutations == ((1, 2, 0),)
    assert res.scales == ((Fraction(1, 2), Fraction(2), Fraction(1, 3)),)


def test_bad_input_names_both_architectures() -> None:
    a = integer_net([3, 6, 5, 2], 0)
    with pytest.raises(InvalidInputError, match="3-6-5-2 and 3-4-2"):
        align(a, integer_net([3, 4, 2], 0))
    with pytest.raises(InvalidInputError, match="two ReLUNets or two ShallowNets"):
        align(a, ShallowNet([[1, 2, 3]], [0], [[1], [1]]))
    leaky = ReLUNet([np.asarray(w, dtype=float) for w in a.weights], negative_slope=0.1)
    with pytest.raises(UnsupportedLayerError, match="activations differ"):
        align(a.to_float(), leaky)
    s = ShallowNet([[1.0]], [0.0], [[1.0]], c=[0.0])
    with pytest.raises(InvalidInputError, match="output bias or skip"):
        align(s, s.replace(c=None))
