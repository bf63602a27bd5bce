"""Membership in the neuromanifold M and the neurovariety V: the spec's oracles, round trips
through random networks, numerical fields, honest unknowns and input errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from neurogeom import InvalidInputError, RationalNet
from neurogeom.core.rationals import exact_rank
from neurogeom.rational import closed_formula, expand, member
from neurogeom.rational.polynomials import evaluate_float, parse_polynomial

# -- the spec's oracles (§5) ----------------------------------------------------------------------

ORACLES = [
    # arch, numerators, denominator, field, in M, in V
    ((2, 2, 1), ["3*x1 + x2"], "x1^2 - x2^2", "Q", True, True),
    ((2, 2, 1), ["1"], "x1", "Q", True, True),
    ((2, 2, 1), ["x2"], "x1*x2", "Q", True, True),  # 1/x1 as the unreduced closed form
    ((2, 2, 1), ["x2"], "x1^2", "Q", False, True),  # V \ M: M is not closed
    ((2, 2, 1), ["x2"], "x1^2", "C", False, True),
    ((2, 2, 1), ["x1"], "x1^2 + x2^2", "R", False, True),  # complex poles
    ((2, 2, 1), ["x1"], "x1^2 + x2^2", "C", True, True),
    ((3, 2, 1), ["2*x1 - x2"], "x1*x2", "Q", True, True),
    ((3, 2, 1), ["x2"], "x1^2", "Q", False, True),
    ((3, 2, 1), ["x2"], "x1^2", "R", False, True),
    ((2, 2, 2, 1), ["2*x1*x2^2"], "x2^2 - x1^2", "Q", True, True),
    ((2, 2, 2, 2), ["x1^2*x2", "x1*x2^2"], "x1^2 - 4*x2^2", "Q", True, True),
    ((2, 2, 2, 2), ["x1^3", "x2^3"], "x1^2 - 4*x2^2", "Q", False, False),
]


@pytest.mark.parametrize(("arch", "nums", "den", "field", "in_m", "in_v"), ORACLES)
def test_spec_membership_oracles(arch, nums, den, field, in_m, in_v) -> None:
    res = member(arch, nums, den, field=field)
    assert res.in_neuromanifold is in_m, res.reason
    assert res.in_neurovariety is in_v, res.reason
    assert res.certified  # every oracle is decided exactly
    if in_m:
        assert res.weights is not None
    else:
        assert res.weights is None


def test_spec_example_weights_are_found_again() -> None:
    # (2,2,1), W1 = [[1,1],[1,-1]], W2 = [1,2]: the reconstruction is the same up to symmetry
    res = member((2, 2, 1), ["3*x1 + x2"], "x1^2 - x2^2", field="Q")
    net = res.net
    assert net.exact
    rows = {tuple(r) for r in net.weights[0].tolist()}
    assert rows == {(1, -1), (1, 1)}  # the pole lines x1 = x2 and x1 = -x2
    assert expand(net).same_function(expand(RationalNet([[[1, 1], [1, -1]], [[1, 2]]])))


def test_unreduced_tuple_and_function_agree_on_one_over_x1() -> None:
    tup = member((2, 2, 1), ["x2"], "x1*x2", field="Q", kind="tuple")
    fun = member((2, 2, 1), ["x2"], "x1*x2", field="Q", kind="function")
    assert tup.kind == "tuple" and fun.kind == "function"
    assert tup.in_neuromanifold and fun.in_neuromanifold
    # the tuple's weights reproduce the tuple itself, the function's the function
    p, q = closed_formula(tup.net)
    x1, x2 = parse_polynomial("x1", 2), parse_polynomial("x2", 2)
    assert p[0] * (x1 * x2) == q * x2 and q.total_degree() == 2
    assert expand(fun.net).same_function(expand(tup.net))


# -- round trips through random networks ----------------------------------------------------------


def _net(arch, rng, spread=40):
    ws = []
    for i in range(len(arch) - 1):
        w = rng.integers(1, spread, size=(arch[i + 1], arch[i])) * rng.choice(
            [-1, 1], size=(arch[i + 1], arch[i])
        )
        ws.append(w.tolist())
    return RationalNet(ws, exact=True)


ROUND_TRIP_ARCHS = [
    *[(2, 2, 1), (2, 3, 2), (3, 2, 1), (3, 3, 2), (4, 2, 1), (2, 1, 3), (3, 1, 1)],
    *[(2, 2, 2, 1), (2, 2, 2, 2), (2, 2, 2, 2, 1), (2, 2, 2, 2, 3)],
]


@settings(max_examples=30)
@given(
    st.sampled_from(ROUND_TRIP_ARCHS),
    st.integers(0, 10**6),
)
def test_what_a_network_computes_is_in_m(arch, seed) -> None:
    rng = np.random.default_rng(seed)
    net = _net(arch, rng)
    # deep membership does not search degenerate (rank-deficient) weights, and says "unknown"
    # for tuples only they realise: draw networks whose weights have full rank
    assume(all(exact_rank(w) == min(np.shape(w)) for w in net.weights))
    e = expand(net)
    nums = [str(p) for p in e.numerators]
    as_function = member(arch, nums, str(e.denominator), field="Q", kind="function")
    assert as_function.in_neuromanifold is True, as_function.reason
    assert as_function.in_neurovariety is True and as_function.certified
    assert expand(as_function.net).same_function(e)
    p, q = closed_formula(net)
    as_tuple = member(arch, [str(v) for v in p], str(q), field="Q", kind="tuple")
    assert as_tuple.in_neuromanifold is True, as_tuple.reason
    p2, q2 = closed_formula(as_tuple.net)
    lam = q.leading_coefficient() / q2.leading_coefficient()
    assert q == q2 * lam and all(a == b * lam for a, b in zip(p, p2, strict=True))


@settings(max_examples=20)
@given(st.integers(0, 10**6))
def test_generic_tuples_of_a_non_filling_shallow_architecture_are_not_in_v(seed) -> None:
    rng = np.random.default_rng(seed)
    c = rng.integers(-9, 10, size=9)
    nums = [f"{c[0]}*x1 + {c[1]}*x2 + {c[2]}*x3"]
    den = (
        f"{c[3]}*x1^2 + {c[4]}*x2^2 + {c[5]}*x3^2 + {c[6]}*x1*x2 + {c[7]}*x1*x3 + "
        f"{c[8]}*x2*x3 + x1*x2"
    )
    res = member((3, 2, 1), nums, den, field="C", kind="tuple")
    # a generic point of P^8 is off the 6-dimensional V(3,2,1); rank 3 is the exact witness
    if res.in_neurovariety is False:
        assert res.in_neuromanifold is False and res.certified
    else:
        assert "rank [A_Q; ∇P] = 2" in res.reason or "rank [A_Q; ∇P] = 1" in res.reason


# -- numerical fields -----------------------------------------------------------------------------


def test_irrational_poles_in_three_inputs_are_found_numerically() -> None:
    res = member((3, 2, 1), ["x1 + 3*x2"], "x1^2 - 2*x2^2", field="R")
    assert res.in_neuromanifold is True and not res.certified
    net = res.net
    assert net is not None and not net.exact
    pts = np.random.default_rng(0).standard_normal((20, 3))
    want = evaluate_float(parse_polynomial("x1 + 3*x2", 3), pts) / evaluate_float(
        parse_polynomial("x1^2 - 2*x2^2", 3), pts
    )
    assert np.allclose(net(pts)[:, 0], want, rtol=1e-8)


def test_two_inputs_stay_exact_over_the_reals_with_irrational_poles() -> None:
    res = member((2, 2, 1), ["x1"], "x1^2 - 2*x2^2", field="R")
    assert res.in_neuromanifold is True and res.certified  # partial fractions, Sturm count
    assert member((2, 2, 1), ["x1"], "x1^2 - 2*x2^2", field="Q").in_neuromanifold is False


def test_complex_weights_are_returned_over_c() -> None:
    res = member((2, 2, 1), ["x1"], "x1^2 + x2^2", field="C")
    assert res.net is None  # no real network
    w1, w2 = res.weights
    assert np.iscomplexobj(w1)
    x = np.array([0.3, -1.2])
    value = (w2 @ (1 / (w1 @ x)))[0]
    assert value == pytest.approx(0.3 / (0.09 + 1.44))
    d = res.to_dict()
    assert isinstance(d["weights"][0]["weight"][0][0], list)  # [re, im]


# -- honest unknowns ------------------------------------------------------------------------------


def test_unknown_where_no_test_is_known() -> None:
    res = member((2, 3, 2, 1), ["x1^5"], "x2^4", field="Q")
    assert res.in_neuromanifold is None and res.in_neurovariety is None
    res = member((2, 2, 3, 1), ["x1^4"], "x2^3", field="Q")  # fills: V is everything
    assert res.in_neuromanifold is None and res.in_neurovariety is True


def test_wrong_homogeneity_is_a_certain_no() -> None:
    res = member((2, 2, 1), ["x1 + 1"], "x1^2", field="Q")
    assert res.in_neuromanifold is False and res.in_neurovariety is False and res.certified
    res = member((2, 2, 1), ["x1^2"], "x2", field="Q")  # degree +1, shallow nets have -1
    assert res.in_neurovariety is False and "degree" in res.reason


# -- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "needle"),
    [
        (((2, 2, 1), ["x1", "x2"], "x1*x2"), {}, "2 numerator\\(s\\) but the architecture"),
        (((2, 2, 1), ["x1"], "0"), {}, "denominator is identically zero"),
        (((2, 2, 1), ["x1 +"], "x1*x2"), {}, "numerator 1: unexpected end"),
        (((2, 2, 1), ["x1"], "x1*x3"), {}, "denominator: unknown variable 'x3'"),
        (((2, 2, 1), ["x1^2"], "x1*x2"), {"kind": "tuple"}, "numerator 1 must be a form of deg"),
        (((2, 2, 1), ["x1"], "x1"), {"kind": "tuple"}, "denominator must be a form of degree 2"),
        (((2, 2, 1), ["x1"], "x1*x2"), {"field": "Z"}, "field"),
        (((2, 2, 1), ["x1"], "x1*x2"), {"kind": "point"}, "kind"),
        (((2, 0, 1), ["x1"], "x1*x2"), {}, "width 1"),
    ],
)
def test_bad_input_is_named(args, kwargs, needle) -> None:
    with pytest.raises(InvalidInputError, match=needle):
        member(*args, **kwargs)


def test_numerators_as_one_string() -> None:
    res = member((2, 2, 2, 2), "x1^2*x2; x1*x2^2", "x1^2 - 4*x2^2", field="Q")
    assert res.in_neuromanifold is True
    assert res.to_dict()["in_neurovariety"] is True


def test_a_smooth_conic_does_not_split() -> None:
    res = member((3, 2, 1), ["x1"], "x1^2 + x2^2 + x3^2", field="C")
    assert res.in_neuromanifold is False and res.in_neurovariety is False
    assert res.certified  # rank [A_Q; ∇P] = 3 settles both exactly


def test_results_are_hashable_values() -> None:
    a = member((2, 2, 1), ["x1"], "x1^2 + x2^2", field="C")
    b = member((2, 2, 1), ["x1"], "x1^2 + x2^2", field="C")
    assert a == b and hash(a) == hash(b)
    assert a != member((2, 2, 1), ["x1"], "x1^2 + x2^2", field="R")
