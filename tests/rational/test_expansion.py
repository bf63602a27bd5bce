"""Expansion: closed formula vs direct composition, vs evaluation, vs sympy; errors."""

from __future__ import annotations

import itertools
from fractions import Fraction

import flint
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurogeom import (
    BudgetExceededError,
    InvalidInputError,
    InvalidNetworkError,
    RationalNet,
    ReLUNet,
    UnsupportedLayerError,
)
from neurogeom.rational import closed_formula, direct_composition, expand, homogenise
from neurogeom.rational.polynomials import context, parse_polynomial

ARCHS = [a for L in range(1, 5) for a in itertools.product(range(1, 4), repeat=L + 1)]


def test_the_agreement_test_is_exhaustive() -> None:
    assert len(ARCHS) == 3**2 + 3**3 + 3**4 + 3**5 == 360


def _expand_both(net):
    try:
        closed = expand(net, method="closed", max_terms=None)
    except InvalidNetworkError as exc:  # random weights may cancel a pre-activation exactly
        with pytest.raises(InvalidNetworkError):
            expand(net, method="direct", max_terms=None)
        return None, str(exc)
    return closed, expand(net, method="direct", max_terms=None)


def _comparable_net(arch, bias, random_net):
    """The first seeded net of ``arch`` with no identically zero pre-activation, both methods
    agreeing when one is (with one input, ``c1/(a1 x) + c2/(a2 x)`` cancels for some integer
    weights), so that every architecture is compared and none is skipped."""
    base = len(arch) * 100 + sum(arch)
    for attempt in range(20):
        net = random_net(arch, seed=base + 1000 * attempt, bias=bias)
        closed, direct = _expand_both(net)
        if closed is not None:
            return net, closed, direct
    raise AssertionError(f"{arch}: 20 random nets all have a pre-activation that cancels")


@pytest.mark.parametrize("arch", ARCHS, ids=lambda a: "-".join(map(str, a)))
@pytest.mark.parametrize("bias", [False, True], ids=["bias-free", "bias"])
def test_closed_formula_and_direct_composition_agree(arch, bias, random_net) -> None:
    # exhaustive: every architecture with 1 <= L <= 4 layers and widths in {1, 2, 3}
    net, closed, direct = _comparable_net(arch, bias, random_net)
    # both are reduced with lc(Q) = 1, so they agree coefficient by coefficient
    assert closed.numerators == direct.numerators
    assert closed.denominator == direct.denominator
    # and the unreduced closed formula is the same function (cross-multiplying costs seconds
    # for the biggest biased nets, whose unreduced degrees reach 39)
    if bias is False or sum(arch) <= 10:
        assert expand(net, method="closed", reduce=False, max_terms=None).same_function(direct)
    assert closed.homogeneous or bias


@settings(max_examples=25)
@given(
    st.sampled_from([(2, 2, 1), (2, 3, 2), (3, 2, 2, 1), (1, 2, 2), (2, 2, 2, 2)]),
    st.booleans(),
    st.integers(0, 10**6),
)
def test_expansion_equals_network_evaluation(arch, bias, seed) -> None:
    rng = np.random.default_rng(seed)
    ws = [
        [
            [Fraction(int(rng.integers(-20, 21)), int(rng.integers(1, 5))) for _ in range(arch[i])]
            for _ in range(arch[i + 1])
        ]
        for i in range(len(arch) - 1)
    ]
    bs = [
        [Fraction(int(rng.integers(-5, 6)), 3) if bias else Fraction(0) for _ in range(arch[i + 1])]
        for i in range(len(arch) - 1)
    ]
    net = RationalNet(ws, bs, exact=True)
    try:
        e = expand(net)
    except InvalidNetworkError:
        return
    for _ in range(4):
        x = [Fraction(int(rng.integers(-30, 31)), int(rng.integers(1, 7))) for _ in range(arch[0])]
        values = e(x)
        try:
            direct = net([x])[0]
        except InvalidInputError:  # x is on a hidden pole
            continue
        if values[0] is None:
            continue  # a zero of Q that the net evaluates through (a removable point)
        assert list(values) == list(direct)


def test_expansion_matches_sympy() -> None:
    sp = pytest.importorskip("sympy")
    x1, x2 = sp.symbols("x1 x2")
    w1 = [[2, -1], [1, 3], [1, 1]]
    w2 = [[1, -2, 1], [3, 1, 1]]
    w3 = [[1, 4]]
    b = [[1, 0, -1], [0, 2], [5]]
    net = RationalNet([w1, w2, w3], b, exact=True)
    h = [w1[i][0] * x1 + w1[i][1] * x2 + b[0][i] for i in range(3)]
    h = [1 / t for t in h]
    h = [sum(w2[i][j] * h[j] for j in range(3)) + b[1][i] for i in range(2)]
    h = [1 / t for t in h]
    f = sum(w3[0][j] * h[j] for j in range(2)) + b[2][0]
    (ours,) = expand(net).to_sympy()
    assert sp.cancel(ours - f) == 0


def test_spec_examples() -> None:
    x1, x2 = context(2).gens()
    # (2,2,1), W1 = [[1,1],[1,-1]], W2 = [1,2]: (3 x1 + x2) / (x1^2 - x2^2)
    e = expand(RationalNet([[[1, 1], [1, -1]], [[1, 2]]]))
    assert e.numerators == (3 * x1 + x2,) and e.denominator == x1**2 - x2**2
    # (2,2,1), W1 = I, W2 = (1, 0): the closed form (x2, x1 x2) is 1/x1, not reduced
    net = RationalNet([[[1, 0], [0, 1]], [[1, 0]]])
    (p,), q = closed_formula(net)
    assert (p, q) == (x2, x1 * x2)
    e = expand(net)
    assert e.numerators == (context(2).constant(1),) and e.denominator == x1
    # (2,2,2,1), W1 = I, W2 = [[1,1],[1,-1]], W3 = [1,1]: 2 x1 x2^2 / (x2^2 - x1^2)
    e = expand(RationalNet([[[1, 0], [0, 1]], [[1, 1], [1, -1]], [[1, 1]]]))
    assert e.same_function(
        expand(RationalNet([[[1, 0], [0, 1]], [[1, 1], [1, -1]], [[1, 1]]]), reduce=False)
    )
    assert e.numerators[0] * (x2**2 - x1**2) == 2 * x1 * x2**2 * e.denominator


def test_homogenisation_restricts_to_the_net(random_net) -> None:
    net = random_net((2, 3, 2, 1), seed=4, bias=True)
    h = homogenise(net)
    assert h.architecture == (3, 4, 3, 1)
    assert not any(v != 0 for b in h.biases for v in b)
    pts = [[Fraction(1), Fraction(k, 3), Fraction(2 - k, 5)] for k in range(1, 6)]
    assert (h(pts) == net([p[1:] for p in pts])).all()


def test_float_nets_expand_their_binary_values() -> None:
    net = RationalNet([[[0.5, 0.25]], [[1.0]]])
    (p,), q = direct_composition(net)
    x1, x2 = context(2).gens()
    assert p * (x1 / 2 + x2 / 4) == q


def test_text_and_json_round_trip(random_net) -> None:
    e = expand(random_net((2, 2, 2), seed=1, bias=True))
    for text in e.to_dict()["numerators"] + [e.to_dict()["denominator"]]:
        assert str(parse_polynomial(text, 2)) == text
    d = e.to_dict()
    assert d["degrees"] == {"numerator": 2, "denominator": 2}
    assert d["reduced"] and d["bias"] and not d["homogeneous"]
    assert "f1 = (" in e.to_text() and "f2 = (" in e.to_text()
    assert repr(e).startswith("Expansion(2-2-2, degrees (2, 2)")


def test_evaluate_floats_and_poles() -> None:
    e = expand(RationalNet([[[1, 1], [1, -1]], [[1, 2]]]))
    out = e.evaluate([[0.5, 0.0], [1.0, 1.0]])
    assert out[0, 0] == pytest.approx(6.0)
    assert np.isnan(out[1, 0])
    assert e([1, 1]) == (None,)
    with pytest.raises(InvalidInputError, match="2 coordinates"):
        e([1])


def test_identically_zero_preactivation_is_a_clear_error() -> None:
    # hidden layer 1 (counting from 0, as RationalNet does), neuron 0 is 1/x - 1/x = 0
    net = RationalNet([[[1], [1]], [[1, -1], [1, 2]], [[1, 1]]])
    for method in ("closed", "direct"):
        with pytest.raises(InvalidNetworkError, match=r"hidden layer 1, neuron 0: .*identically"):
            expand(net, method=method)
    with pytest.raises(InvalidNetworkError, match="hidden layer 0, neuron 1"):
        expand(RationalNet([[[1, 1], [0, 0]], [[1, 1]]]))


def test_budget_and_type_errors() -> None:
    net = RationalNet([np.ones((6, 6)), np.ones((6, 6)) + np.eye(6), np.ones((1, 6))])
    with pytest.raises(BudgetExceededError, match="max_terms"):
        expand(net)
    with pytest.raises(UnsupportedLayerError, match="RationalNet"):
        expand(ReLUNet([[[1.0]]]))
    with pytest.raises(InvalidInputError, match="method"):
        expand(RationalNet([[[1]], [[1]]]), method="fast")
    assert expand(RationalNet([[[1]], [[1]]], [[1], [0]])).method == "direct"
    assert expand(RationalNet([[[1]], [[1]]])).method == "closed"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("x1 + y", "unknown variable 'y'"),
        ("x1 +* x2", "unexpected '\\*'"),
        ("x1^x2", "exponents must be non-negative integers"),
        ("(x1 + 1", "unexpected end"),
        ("x1 / x2", "division by a non-constant"),
        ("x1 / 0", "division by zero"),
        ("", "empty polynomial"),
        ("x1 $ 2", "unexpected character '\\$'"),
    ],
)
def test_malformed_polynomials_are_named(text, needle) -> None:
    with pytest.raises(InvalidInputError, match=needle):
        parse_polynomial(text, 2, what="numerator 1")


def test_parser_reads_what_it_writes() -> None:
    x1, x2 = context(2).gens()
    expected = 3 * x1**2 - x1 * x2 / 2 + flint.fmpq(1, 10)
    assert parse_polynomial("3*x1^2 - x1*x2/2 + 0.1", 2) == expected
    assert parse_polynomial("-(x1 - x2)**2", 2) == -((x1 - x2) ** 2)
    assert parse_polynomial("x^2", 1) == context(1).gens()[0] ** 2
    assert parse_polynomial(3, 2) == context(2).constant(3)


def test_expansions_are_hashable_values() -> None:
    net = RationalNet([[[1, 1], [1, -1]], [[1, 2]]])
    a, b = expand(net), expand(RationalNet([[[1, 1], [1, -1]], [[1, 2]]], exact=True))
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != expand(net, reduce=False)
