"""Width reduction: nets built from p kinks plus junk reduce to p; the p + 1 and p + 2 cases; the
Dereich-Kassing bounds; every reduction verified equivalent."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neurogeom.symmetry import (
    Move,
    ShallowNet,
    apply_move,
    are_equivalent,
    canonical_form,
    realise,
    reduce_width,
)

small = st.integers(-3, 3)


@st.composite
def nets(draw: st.DrawFn, *, m_max: int = 3, bias: bool | None = None) -> ShallowNet:
    m = draw(st.integers(1, m_max))
    n = draw(st.integers(1, 5))
    k = draw(st.integers(1, 2))
    w = draw(st.lists(st.lists(small, min_size=m, max_size=m), min_size=n, max_size=n))
    b = draw(st.lists(small, min_size=n, max_size=n))
    a = draw(st.lists(st.lists(small, min_size=n, max_size=n), min_size=k, max_size=k))
    if n >= 2 and draw(st.booleans()):
        w[1] = [-2 * x for x in w[0]]
        b[1] = -2 * b[0]
    has_bias = draw(st.booleans()) if bias is None else bias
    c = draw(st.lists(small, min_size=k, max_size=k)) if has_bias else None
    return ShallowNet(w, b, a, c=c, exact=True)


@given(nets())
def test_reductions_are_equivalent_and_no_wider(net: ShallowNet) -> None:
    red = reduce_width(net)
    assert red.verdict == "equivalent"
    assert are_equivalent(net, red.net).verdict == "equivalent"  # independently
    assert red.kinks <= red.width <= net.width
    assert (red.net.c is None) == (net.c is None) and red.net.v is None
    if net.n_outputs == 1:
        assert red.minimal


@given(nets(m_max=1, bias=True))
def test_one_input_needs_at_most_one_extra_neuron(net: ShallowNet) -> None:
    red = reduce_width(net)  # Dereich & Kassing: p or p + 1 neurons for d = 1
    assert red.width <= max(red.kinks + 1, 2 if red.kinks == 0 else 0)


def _hyperplane_key(row: tuple[list[int], int]) -> tuple[Fraction, ...]:
    """A neuron's hyperplane, scaled by its first nonzero weight (a named function: hypothesis
    6.80 fails to read the source of a lambda holding a generator)."""
    weights, bias = row
    first = next(x for x in weights if x)
    return tuple(Fraction(v, first) for v in (*weights, bias))


@st.composite
def padded(draw: st.DrawFn) -> tuple[ShallowNet, int]:
    """p neurons on distinct hyperplanes in random orientations, then widened by splits into
    dead neurons: the narrowest width is p."""
    m = draw(st.integers(1, 3))
    p = draw(st.integers(1, 4))
    rows = draw(
        st.lists(
            st.tuples(st.lists(small, min_size=m, max_size=m).filter(any), small),
            min_size=p,
            max_size=p,
            unique_by=_hyperplane_key,
        )
    )
    a = draw(st.lists(small.filter(bool), min_size=p, max_size=p))
    extra = draw(st.integers(0, 3))
    w = [list(r[0]) for r in rows] + [[0] * m] * extra
    b = [r[1] for r in rows] + [0] * extra
    net = ShallowNet(w, b, [a + [0] * extra], c=[1], exact=True)
    seed = draw(st.integers(0, 1000))
    rng = np.random.default_rng(seed)
    for j in range(p, p + extra):  # split a random kink neuron into each dead slot
        i = int(rng.integers(p))
        net = apply_move(net, Move("split", (i, j), (Fraction(int(rng.integers(1, 4))), (1,))))
    return net, p


@given(padded())
def test_nets_built_from_p_kinks_reduce_to_p(case: tuple[ShallowNet, int]) -> None:
    net, p = case
    red = reduce_width(net)
    assert red.kinks == p
    assert red.width == p and red.minimal


def test_a_generic_linear_part_needs_a_cancelling_pair() -> None:
    # σ(x) plus the linear term x + 2y: no flip or partner makes it, a pair does
    net = ShallowNet([[1, 0], [1, 2], [-1, -2]], [0, 0, 0], [[1, 1, -1]], c=[0], exact=True)
    red = reduce_width(net)
    assert red.kinks == 1 and red.width == 3 and red.minimal
    assert "cancelling pair" in red.construction


def test_an_opposite_partner_gives_p_plus_one() -> None:
    # 2σ(x) - x = |x| needs σ(x) and σ(-x): the linear part lies along the kink's normal
    net = ShallowNet([[1], [-1], [5]], [0, 0, 1], [[1, 1, 0]], c=[0], exact=True)
    red = reduce_width(net)
    assert red.kinks == 1 and red.width == 2 and red.minimal and "partner" in red.construction


def test_skip_term_nets_need_one_neuron_per_kink() -> None:
    net = ShallowNet(
        [[1, 2], [2, 4], [0, 1]], [1, 2, 0], [[3, 1, 2]], c=[0], v=[[1, 1]], exact=True
    )
    red = reduce_width(net)
    assert red.width == red.kinks == 2 and red.net.v is not None


def test_no_output_bias_uses_a_constant_neuron() -> None:
    # σ(x) + 2 without output bias: the 2 comes from a neuron with w = 0, b = 1
    net = ShallowNet([[1], [0]], [0, 1], [[1, 2]], exact=True)
    red = reduce_width(net)
    assert red.width == 2 and "constant neuron" in red.construction


def test_realise_a_form_with_other_conventions() -> None:
    form = canonical_form(ShallowNet([[1], [-1]], [0, 0], [[1, 1]], c=[0], exact=True))
    with_skip = realise(form, skip=True)
    assert with_skip.width == 1 and with_skip.verdict == "equivalent"
    without = realise(form)
    assert without.width == 2 and without.verdict == "equivalent"


@pytest.mark.parametrize("exact", [True, False])
def test_float_reduction_matches_exact(exact: bool) -> None:
    net = ShallowNet(
        [[1, 2], [2, 4], [1, -1], [0, 0]], [1, 2, 0, 1], [[3, 1, 2, 5]], c=[0], exact=True
    )
    red = reduce_width(net if exact else net.to_float())
    assert red.width == 2 and red.verdict == "equivalent"
