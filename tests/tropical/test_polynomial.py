"""TropicalPolynomial and TropicalRationalMap: canonical form, semiring laws, evaluation,
printing, validation."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neurogeom.core.errors import InvalidInputError
from neurogeom.tropical import (
    TropicalPolynomial,
    TropicalRationalMap,
    tropical_product,
    tropical_sum,
)

ints = st.integers(-4, 4)


@st.composite
def polys(draw, n=2):
    m = draw(st.integers(1, 5))
    exps = [[draw(ints) for _ in range(n)] for _ in range(m)]
    coefs = [F(draw(ints), draw(st.integers(1, 3))) for _ in range(m)]
    return TropicalPolynomial(exps, coefs)


points = st.lists(st.tuples(ints, ints), min_size=1, max_size=6).map(
    lambda pts: np.array([[F(a), F(b, 2)] for a, b in pts], dtype=object)
)


def test_canonical_form_merges_duplicates_with_max() -> None:
    p = TropicalPolynomial([[1, 0], [0, 0], [1, 0]], [2, 0, 5])
    assert p.n_monomials == 2
    assert p.monomials() == (((F(0), F(0)), F(0)), ((F(1), F(0)), F(5)))
    assert p == TropicalPolynomial([[0, 0], [1, 0]], [0, 5])


def test_float_and_exact_modes() -> None:
    p = TropicalPolynomial([[0.5, 0]], [1])
    assert not p.exact and p.exponents.dtype == np.float64
    q = TropicalPolynomial([["1/3", 0]], ["0.1"])
    assert q.exact and q.coefficients[0] == F(1, 10)
    assert q.to_float().to_exact() != q  # 1/3 is not a float
    assert p.to_exact().to_float() == p


@given(polys(), polys(), points)
def test_sum_and_product_are_max_and_plus(p, q, x) -> None:
    assert ((p + q)(x) == np.maximum(p(x), q(x))).all()
    assert ((p * q)(x) == p(x) + q(x)).all()
    assert (tropical_sum([p, q, p])(x) == np.maximum(p(x), q(x))).all()
    assert (tropical_product([p, q, q])(x) == p(x) + 2 * q(x)).all()


@given(polys(), st.fractions(0, 3, max_denominator=4), points)
def test_power_scales(p, a, x) -> None:
    assert ((p**a)(x) == a * p(x)).all()


@given(polys(), st.lists(ints, min_size=6, max_size=6), points)
def test_composition_substitutes(p, entries, x) -> None:
    m = np.array([[F(v) for v in entries[:2]], [F(v) for v in entries[2:4]]], dtype=object)
    o = np.array([F(entries[4]), F(entries[5], 3)], dtype=object)
    q = p.compose(m, o)
    assert (q(x) == p(x @ m.T + o)).all()


def test_evaluation_float_batch_and_single() -> None:
    p = TropicalPolynomial([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]], [0.0, 1.0, -3.0])
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 2))
    want = np.maximum.reduce([np.zeros(50), x[:, 0] + 1, 2 * x[:, 1] - 3])
    assert np.allclose(p(x), want)
    assert p([1.0, 2.0]) == 2.0


def test_printing() -> None:
    p = TropicalPolynomial([[0, 0], [1, 0], [0, 2]], [0, 1, -3])
    assert str(p) == "max(0, 2*x2 - 3, x1 + 1)"
    assert p.to_string(["x", "y"]) == "max(0, 2*y - 3, x + 1)"
    assert str(TropicalPolynomial([[-1, "1/2"]], ["-2/3"])) == "-x1 + 1/2*x2 - 2/3"
    assert "max" in repr(p)
    assert p._repr_latex_().startswith("$\\max")
    f = TropicalRationalMap([p], [TropicalPolynomial.constant(0, 2)])
    assert str(f) == "max(0, 2*x2 - 3, x1 + 1) - 0"
    assert "monomials 3/1" in repr(f)


def test_sympy_round_trip() -> None:
    sp = pytest.importorskip("sympy")
    p = TropicalPolynomial([[0, 0], [1, 0], [0, 2]], [0, 1, "-3/2"])
    x1, x2 = sp.symbols("x1 x2")
    expr = p.to_sympy()
    for a, b in [(1, 2), (-3, 0), (F(1, 2), 5)]:
        assert expr.subs({x1: a, x2: b}) == p([a, b])


def test_to_dict_round_trip() -> None:
    p = TropicalPolynomial([[0, "1/2"], [1, 0]], [0, "-7/3"])
    assert TropicalPolynomial.from_dict(p.to_dict()) == p
    f = TropicalRationalMap([p], [p])
    doc = f.to_dict()
    assert doc["outputs"][0]["numerator_monomials"] == 2


@pytest.mark.parametrize(
    ("exps", "coefs", "match"),
    [
        ([[1, 2], [3]], [0, 0], "mismatched exponent lengths"),
        ([[1, 2]], [float("nan")], "NaN"),
        ([], [], "empty"),
        ([[1]], [float("-inf")], "empty"),
        ([[1], [2]], [0], "2 exponent rows but 1 coefficients"),
        ([[float("inf")]], [0], "exponents must be finite"),
        ([[1]], [float("inf")], r"\+inf"),
        ([[1]], ["abc"], "coefficient 0"),
        ([1, 2], [0, 0], "must be a vector"),
    ],
)
def test_bad_input(exps, coefs, match) -> None:
    with pytest.raises(InvalidInputError, match=match):
        TropicalPolynomial(exps, coefs)


def test_minus_inf_terms_are_dropped() -> None:
    p = TropicalPolynomial([[0], [1]], [0.0, float("-inf")])
    assert p.n_monomials == 1


def test_operation_errors() -> None:
    p = TropicalPolynomial([[0]], [0])
    q = TropicalPolynomial([[0, 0]], [0])
    with pytest.raises(InvalidInputError, match="1 and 2 variables"):
        _ = p + q
    with pytest.raises(InvalidInputError, match="powers a >= 0"):
        _ = p ** (-1)
    with pytest.raises(InvalidInputError, match="shape"):
        p([1, 2])
    with pytest.raises(InvalidInputError, match="numerators"):
        TropicalRationalMap([p], [])
    with pytest.raises(InvalidInputError, match="at least one"):
        TropicalRationalMap([], [])
