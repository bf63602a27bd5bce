"""Moves, flip sets, genericity and hidden symmetries against brute force and the H_n orbit."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from neurogeom import InvalidInputError
from neurogeom.symmetry import (
    Move,
    ShallowNet,
    apply_move,
    are_equivalent,
    canonical_form,
    flip_sets,
    has_hidden_symmetries,
    is_generic,
    orbit_canonical,
    sample_fiber,
    symmetries,
)

small = st.integers(-2, 2)


@st.composite
def nets(draw: st.DrawFn) -> ShallowNet:
    m = draw(st.integers(1, 2))
    n = draw(st.integers(1, 6))
    k = draw(st.integers(1, 2))
    w = draw(st.lists(st.lists(small, min_size=m, max_size=m), min_size=n, max_size=n))
    b = draw(st.lists(small, min_size=n, max_size=n))
    a = draw(st.lists(st.lists(small, min_size=n, max_size=n), min_size=k, max_size=k))
    c = draw(st.lists(small, min_size=k, max_size=k)) if draw(st.booleans()) else None
    return ShallowNet(w, b, a, c=c, exact=True)


def brute_force_flip_sets(net: ShallowNet) -> set[tuple[int, ...]]:
    """Every nonempty set of neurons with nonzero w_i and a_i whose flip keeps the function."""
    rows = [
        i
        for i in range(net.width)
        if any(v != 0 for v in net.w[i]) and any(v != 0 for v in net.a[:, i])
    ]
    out = set()
    for size in range(1, len(rows) + 1):
        for s in itertools.combinations(rows, size):
            lin = sum((np.outer(net.a[:, i], net.w[i]) for i in s), np.zeros((1, 1)))
            const = sum((net.a[:, i] * net.b[i] for i in s), 0)
            if np.all(lin == 0) and (net.c is not None or np.all(const == 0)):
                out.add(s)
    return out


@given(nets())
def test_flip_sets_match_brute_force(net: ShallowNet) -> None:
    found = flip_sets(net)
    assert found.complete
    assert set(found.sets) == brute_force_flip_sets(net)
    for s in found.sets:  # and each one keeps the function
        assert are_equivalent(net, apply_move(net, Move("flip", s))).verdict == "equivalent"
    assert set(flip_sets(net.to_float()).sets) == set(found.sets)


@given(nets())
def test_nets_without_hidden_symmetries_only_move_in_their_orbit(net: ShallowNet) -> None:
    sym = symmetries(net)
    fibre = sample_fiber(net, n_samples=2, steps=3, seed=1)
    assert fibre.verified
    if sym.hidden is False:
        for sample in fibre.samples:
            assert orbit_canonical(sample) == orbit_canonical(net)


def test_generic_nets_have_only_h_n() -> None:
    net = ShallowNet([[1, 2], [-1, 1], [2, -1]], [1, 0, -1], [[1, 2, 3]], c=[0], exact=True)
    gen = is_generic(net)
    assert gen.generic is True and gen.reasons == ()
    sym = symmetries(net)
    assert sym.hidden is False
    assert sorted({f.label for f in sym.families}) == ["T1", "T2"]
    assert has_hidden_symmetries(net) is False


def same_orbit(f: ShallowNet, g: ShallowNet) -> bool:
    """Equal H_n-orbit representatives (exactly, or to rounding for float nets)."""
    p, q = orbit_canonical(f), orbit_canonical(g)
    if f.exact:
        return p == q
    return all(
        np.allclose(np.asarray(x, dtype=float), np.asarray(y, dtype=float), atol=1e-12)
        for x, y in ((p.w, q.w), (p.b, q.b), (p.a, q.a), (p.c, q.c))
    )


@pytest.mark.parametrize(
    ("net", "labels", "reason"),
    [
        (  # oracle 1: a discrete flip
            ShallowNet([[1], [1]], [0, -1], [[1, -1]], c=[0], exact=True),
            {"T6"},
            "flip sets",
        ),
        (  # a dead neuron
            ShallowNet([[1], [2]], [0, -1], [[1, 0]], c=[0], exact=True),
            {"T3"},
            "output weight 0",
        ),
        (  # a constant neuron
            ShallowNet([[1], [0]], [0, 3], [[1, 2]], c=[0], exact=True),
            {"T4"},
            "input weight 0",
        ),
        (  # two neurons on one oriented hyperplane (oracle 3)
            ShallowNet([[1, 2], [2, 4]], [1, 2], [[3, 1]], c=[0], exact=True),
            {"T5"},
            "share hyperplanes",
        ),
        (  # a cancelling pair (oracle 2)
            ShallowNet([[1], [-1], [1]], [0, 0, -1], [[1, -1, 1]], c=[0], exact=True),
            {"T7"},
            "share hyperplanes",
        ),
        (  # a skip term absorbs every flip
            ShallowNet([[1], [2]], [0, -1], [[1, 1]], c=[0], v=[[1]], exact=True),
            {"T6"},
            "every flip set",
        ),
    ],
)
@pytest.mark.parametrize("exact", [True, False])
def test_hidden_symmetries_are_named(
    net: ShallowNet, labels: set[str], reason: str, exact: bool
) -> None:
    net = net if exact else net.to_float()
    sym = symmetries(net)
    assert labels <= {f.label for f in sym.families if f.hidden}
    assert sym.hidden is True
    gen = is_generic(net)
    assert gen.generic is False and any(reason in r for r in gen.reasons)
    # some sample of the fibre leaves the H_n orbit
    fibre = sample_fiber(net, n_samples=12, steps=4, seed=3)
    assert fibre.verified
    assert any(not same_orbit(s, net) for s in fibre.samples)


@pytest.mark.parametrize("exact", [True, False])
def test_abs_is_rigid_oracle_4(exact: bool) -> None:
    net = ShallowNet([[1], [-1]], [0, 0], [[1, 1]], c=[0], exact=True)
    net = net if exact else net.to_float()
    sym = symmetries(net)
    assert sym.hidden is False  # the flip of both is a permutation
    assert flip_sets(net).sets == ((0, 1),)
    assert same_orbit(apply_move(net, Move("flip", (0, 1))), net)
    fibre = sample_fiber(net, n_samples=8, steps=4, seed=1)
    assert fibre.verified and all(same_orbit(s, net) for s in fibre.samples)


@pytest.mark.parametrize(
    ("move", "message"),
    [
        (Move("flip", (0,)), "Σ a_i w_iᵀ over the set is not zero"),
        (Move("split", (0, 1)), "must be a dead neuron"),
        (Move("rescaling", (0,), (0,)), "scales must be positive"),
        (Move("rescaling", (0, 1), (1,)), "one scale per neuron"),
        (Move("permutation", (0, 1), (0, 0)), "must reorder"),
        (Move("merge", (0, 1)), "same oriented hyperplane"),
        (Move("dead neuron", (0,), ((1,), 0)), "nonzero output weight"),
        (Move("constant neuron", (0,), (1, (1,))), "nonzero input weight"),
        (Move("translate", (0, 1), (1,)), "is not on the hyperplane of 0"),
        (Move("flip", (5,)), "neuron 5 does not exist"),
    ],
)
def test_moves_that_would_change_the_function_are_refused(move: Move, message: str) -> None:
    net = ShallowNet([[1], [1]], [0, -1], [[1, 2]], c=[0], exact=True)
    with pytest.raises(InvalidInputError, match=message):
        apply_move(net, move)


def test_without_output_bias_flips_need_a_zero_constant() -> None:
    net = ShallowNet([[1], [1]], [0, -1], [[1, -1]], exact=True)  # oracle 1, no output bias
    assert flip_sets(net).sets == ()  # Σ a_i b_i = 1 ≠ 0
    with pytest.raises(InvalidInputError, match="no output bias"):
        apply_move(net, Move("flip", (0, 1)))
    pair = ShallowNet([[1], [-1]], [0, 0], [[1, 1]], c=[0], exact=True)
    with pytest.raises(InvalidInputError, match="do not cancel"):
        apply_move(pair, Move("translate", (0, 1), (1,)))
    cancel = ShallowNet([[1], [-1]], [0, 0], [[1, -1]], exact=True)
    with pytest.raises(InvalidInputError, match="only move with an output bias"):
        apply_move(cancel, Move("translate", (0, 1), (1,)))


def test_each_move_kind_keeps_the_function() -> None:
    net = ShallowNet(
        [[1, 0], [2, 0], [0, 0], [1, 1], [-1, -1], [3, 1]],
        [0, 0, -1, 1, -1, 0],
        [[1, 1, 2, 1, -1, 0]],
        c=[0],
        exact=True,
    )
    moves = [
        Move("permutation", tuple(range(6)), (5, 4, 3, 2, 1, 0)),
        Move("rescaling", (0, 3), (Fraction(1, 2), 3)),
        Move("merge", (0, 1)),
        Move("split", (0, 5), (Fraction(3), (Fraction(1, 4),))),
        Move("dead neuron", (5,), ((7, -1), 2)),
        Move("constant neuron", (2,), (5, (Fraction(-1, 3),))),
        Move("translate", (3, 4), (Fraction(5, 2),)),
    ]
    for move in moves:
        moved = apply_move(net, move)
        assert are_equivalent(net, moved).verdict == "equivalent", move
        assert moved != net, move


@st.composite
def nets_with_a_cancelling_group(draw: st.DrawFn) -> ShallowNet:
    """A small exact net with a cancelling group on one hyperplane and two dead neurons."""
    m = draw(st.integers(1, 3))
    k = draw(st.integers(1, 2))
    extra = draw(st.integers(0, 3))
    nonzero = small.filter(bool)
    w0 = draw(st.lists(small, min_size=m, max_size=m).filter(any))
    b0 = draw(small)
    # the group: (w0, b0, a), (-λ w0, -λ b0, -a/λ) and maybe (μ w0, μ b0, t) with a - μ t in
    # place of a: the coefficients on the hyperplane sum to zero
    lam = draw(st.sampled_from([Fraction(1), Fraction(2), Fraction(1, 3)]))
    a0 = draw(st.lists(nonzero, min_size=k, max_size=k))
    rows = [w0, [-lam * v for v in w0]]
    biases = [b0, -lam * b0]
    cols = [a0, [-v / lam for v in a0]]
    if draw(st.booleans()):  # a third member, same orientation as the first
        mu = draw(st.sampled_from([Fraction(1, 2), Fraction(3)]))
        t = draw(st.lists(nonzero, min_size=k, max_size=k))
        rows.append([mu * v for v in w0])
        biases.append(mu * b0)
        cols[0] = [x - mu * y for x, y in zip(cols[0], t, strict=True)]
        cols.append(t)
    for index in range(2 + extra):  # two dead neurons, then a few arbitrary ones
        rows.append(draw(st.lists(small, min_size=m, max_size=m)))
        biases.append(draw(small))
        dead = index < 2
        cols.append([0] * k if dead else draw(st.lists(small, min_size=k, max_size=k)))
    a = [[col[o] for col in cols] for o in range(k)]
    c = draw(st.lists(small, min_size=k, max_size=k)) if draw(st.booleans()) else None
    return ShallowNet(rows, biases, a, c=c, exact=True)


@given(nets_with_a_cancelling_group(), st.integers(0, 2**32 - 1))
def test_redirected_cancelling_groups_keep_the_function(net: ShallowNet, seed: int) -> None:
    form = canonical_form(net)
    groups = [g for g in form.cancelled if len(g) > 1]
    assume(groups)  # an extra neuron may have landed on the group's hyperplane
    group = groups[0]
    dead = form.dead[:2]
    rng = np.random.default_rng(seed)
    w_new = tuple(Fraction(int(rng.integers(-9, 10)), 4) for _ in range(net.n_inputs))
    moved = apply_move(net, Move("redirect", (*group, *dead), (w_new, Fraction(1, 3))))
    # independent check: exact values at rational points, and the same canonical form
    pts = [[Fraction(int(rng.integers(-40, 41)), 7) for _ in range(net.n_inputs)]]
    pts += [[Fraction(int(rng.integers(-40, 41)), 3) for _ in range(net.n_inputs)]]
    assert (net.evaluate(pts) == moved.evaluate(pts)).all()
    assert canonical_form(moved).equals(form)
    # the group's first neurons now point along w', the dead ones along w_0 - w'
    assert tuple(moved.w[group[0]]) == w_new and tuple(moved.w[group[1]]) == tuple(
        -v for v in w_new
    )
    moved_dead = tuple(moved.w[dead[0]])
    assert moved_dead == tuple(x - y for x, y in zip(net.w[group[0]], w_new, strict=True))
    # and random walks that use the move stay in the fibre
    fibre = sample_fiber(net, n_samples=3, steps=3, seed=seed)
    assert fibre.verified


def test_redirect_is_listed_and_refused_when_it_would_change_the_function() -> None:
    # σ(x + 1) - σ(-x - 1) = x + 1 with two dead neurons and no output bias
    net = ShallowNet([[1], [-1], [2], [3]], [1, -1, 0, 1], [[1, -1, 0, 0]], exact=True)
    fams = [f for f in symmetries(net).families if f.label == "T7"]
    assert len(fams) == 1 and "other directions" in fams[0].description
    assert "translated" not in fams[0].description  # no output bias to absorb a translation
    moved = apply_move(net, Move("redirect", (0, 1, 2, 3), ((5,), 2)))
    assert are_equivalent(net, moved).verdict == "equivalent"
    with pytest.raises(InvalidInputError, match="must be dead"):
        apply_move(net, Move("redirect", (2, 3, 0, 1), ((5,), 2)))
    with pytest.raises(InvalidInputError, match="do not cancel"):
        apply_move(net.replace(a=[[1, 1, 0, 0]]), Move("redirect", (0, 1, 2, 3), ((5,), 2)))
    with pytest.raises(InvalidInputError, match="all distinct"):
        apply_move(net, Move("redirect", (0, 1, 2, 2), ((5,), 2)))


def test_orbit_canonical_detects_the_h_n_orbit() -> None:
    rng = np.random.default_rng(0)
    w, b, a = rng.normal(size=(4, 2)), rng.normal(size=4), rng.normal(size=(1, 4))
    f = ShallowNet(w, b, a, c=[0.0])
    perm = rng.permutation(4)
    lam = np.array([2.0, 0.25, 4.0, 0.5])
    g = ShallowNet(w[perm] * lam[:, None], b[perm] * lam, a[:, perm] / lam, c=[0.0])
    assert orbit_canonical(f) == orbit_canonical(g)
    assert orbit_canonical(f) != orbit_canonical(f.replace(c=[1.0]))


def test_sample_fiber_validates_its_arguments() -> None:
    net = ShallowNet([[1]], [0], [[1]], exact=True)
    with pytest.raises(InvalidInputError, match="n_samples must be a positive integer"):
        sample_fiber(net, n_samples=0)
    with pytest.raises(InvalidInputError, match="steps"):
        sample_fiber(net, steps=-1)
    fibre = sample_fiber(net, n_samples=2, seed=0)
    assert fibre.to_dict()["verified"] is True and len(fibre.moves[0]) == 4
