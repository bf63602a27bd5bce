"""Exact rationals: literal parsing and exact linear algebra against sympy and brute force."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import flint
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neurogeom.core import InvalidInputError
from neurogeom.core.rationals import (
    affine_fmpq_mat,
    as_fraction_array,
    exact_det,
    exact_matmul,
    exact_nullspace,
    exact_rank,
    exact_solve,
    fmpq_mat_of,
    fmpq_to_fraction,
    fraction_to_json,
    fractions_to_float,
    from_fmpq_mat,
    is_fraction_array,
    modular_rank,
    to_fmpq_mat,
    to_fraction,
)

sympy = pytest.importorskip("sympy")

# -- literals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        ("0.1", Fraction(1, 10)),
        ("1e-3", Fraction(1, 1000)),
        ("-3/4", Fraction(-3, 4)),
        ("  7 ", Fraction(7)),
        ("-0.000", Fraction(0)),
        ("2.5E2", Fraction(250)),
        ("+12/8", Fraction(3, 2)),
        ("10", Fraction(10)),
    ],
)
def test_string_literals_are_taken_as_written(literal: str, expected: Fraction) -> None:
    q = to_fraction(literal)
    assert isinstance(q, Fraction)
    assert q == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.5, Fraction(1, 2)),
        (0.1, Fraction(3602879701896397, 36028797018963968)),
        (-2.0, Fraction(-2)),
        (np.float64(0.25), Fraction(1, 4)),
        (np.float32(0.1), Fraction(float(np.float32(0.1)))),
        (3, Fraction(3)),
        (np.int64(-4), Fraction(-4)),
        (Fraction(2, 6), Fraction(1, 3)),
        (flint.fmpq(-5, 15), Fraction(-1, 3)),
        (flint.fmpz(9), Fraction(9)),
    ],
)
def test_numbers_convert_exactly(value: object, expected: Fraction) -> None:
    q = to_fraction(value)
    assert type(q) is Fraction
    assert q == expected


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_convert_to_the_exact_binary_value(x: float) -> None:
    q = to_fraction(x)
    assert q == Fraction(x)
    assert float(q) == x


@given(st.fractions(max_denominator=10**6))
def test_fraction_json_round_trip(q: Fraction) -> None:
    text = fraction_to_json(q)
    if q.denominator == 1:
        assert text == int(q)
        assert isinstance(text, int)
    else:
        assert text == f"{q.numerator}/{q.denominator}"
    assert to_fraction(text) == q


@pytest.mark.parametrize(
    "bad",
    [math.nan, math.inf, -math.inf, np.float64("nan"), "nan", "inf", "-Infinity", "NaN"],
)
def test_non_finite_values_are_rejected_with_the_name(bad: object) -> None:
    with pytest.raises(InvalidInputError, match=r"layer 3 weight\[0, 1\] must be a finite number"):
        to_fraction(bad, name="layer 3 weight[0, 1]")


@pytest.mark.parametrize("bad", [True, False, np.bool_(True)])
def test_booleans_are_rejected_with_the_name(bad: object) -> None:
    with pytest.raises(InvalidInputError, match="my flag must be a number, got the boolean"):
        to_fraction(bad, name="my flag")


@pytest.mark.parametrize("bad", ["abc", "", "1/0", "1/2/3", "0x10", "1,5", "1 /2 3"])
def test_malformed_strings_are_rejected_with_the_name(bad: str) -> None:
    with pytest.raises(InvalidInputError, match="bias entry must be an integer, a decimal") as info:
        to_fraction(bad, name="bias entry")
    assert repr(bad) in str(info.value)


@pytest.mark.parametrize("bad", [None, [1], {"a": 1}, object(), 1j])
def test_non_numbers_are_rejected_with_the_name(bad: object) -> None:
    with pytest.raises(InvalidInputError, match="the point must be a number"):
        to_fraction(bad, name="the point")


def test_default_name_is_value() -> None:
    with pytest.raises(InvalidInputError, match=r"^value must"):
        to_fraction("garbage")


def test_as_fraction_array_names_the_bad_index() -> None:
    arr = as_fraction_array([["1/2", 0.25], [1, "2"]])
    assert is_fraction_array(arr)
    assert arr.shape == (2, 2)
    assert arr[0, 0] == Fraction(1, 2)
    with pytest.raises(InvalidInputError, match=r"W\[1, 0\]"):
        as_fraction_array([[1, 2], ["x", 3]], name="W")
    assert as_fraction_array(3).shape == ()
    assert not is_fraction_array(np.zeros(2))
    assert not is_fraction_array([Fraction(1)])


def test_fractions_to_float() -> None:
    out = fractions_to_float(as_fraction_array([["1/4", "-3"]]))
    assert out.dtype == np.float64
    assert out.tolist() == [[0.25, -3.0]]
    assert fractions_to_float([]).shape == (0,)


# -- exact linear algebra -------------------------------------------------------------------------

small_int = st.integers(-4, 4)
small_rational = st.builds(Fraction, st.integers(-6, 6), st.integers(1, 4))


@st.composite
def int_matrices(
    draw: st.DrawFn, *, rows: tuple[int, int] = (1, 4), cols: tuple[int, int] = (1, 4)
) -> list[list[int]]:
    m = draw(st.integers(*rows))
    n = draw(st.integers(*cols))
    # low-rank matrices are frequent: build some rows as combinations of others
    base = draw(st.lists(st.lists(small_int, min_size=n, max_size=n), min_size=m, max_size=m))
    if m > 1 and draw(st.booleans()):
        c = draw(small_int)
        base[-1] = [a + c * b for a, b in zip(base[0], base[m - 2], strict=True)]
    return base


@st.composite
def square_matrices(draw: st.DrawFn, *, entries: st.SearchStrategy = small_int) -> list[list]:
    n = draw(st.integers(1, 4))
    return draw(st.lists(st.lists(entries, min_size=n, max_size=n), min_size=n, max_size=n))


def cofactor_det(m: list[list]) -> Fraction:
    """Determinant by cofactor expansion along the first row."""
    n = len(m)
    if n == 1:
        return Fraction(m[0][0])
    total = Fraction(0)
    for j in range(n):
        minor = [row[:j] + row[j + 1 :] for row in m[1:]]
        total += (-1) ** j * Fraction(m[0][j]) * cofactor_det(minor)
    return total


def leibniz_det(m: list[list]) -> Fraction:
    """Determinant by the permutation formula."""
    n = len(m)
    total = Fraction(0)
    for perm in itertools.permutations(range(n)):
        inversions = sum(perm[i] > perm[j] for i in range(n) for j in range(i + 1, n))
        term = Fraction((-1) ** inversions)
        for i in range(n):
            term *= Fraction(m[i][perm[i]])
        total += term
    return total


@given(square_matrices(entries=small_rational))
def test_det_matches_cofactor_expansion(m: list[list[Fraction]]) -> None:
    d = exact_det(m)
    assert isinstance(d, Fraction)
    assert d == cofactor_det(m) == leibniz_det(m)


@given(square_matrices())
def test_det_matches_sympy(m: list[list[int]]) -> None:
    assert exact_det(m) == Fraction(int(sympy.Matrix(m).det()))


@given(int_matrices())
def test_rank_matches_sympy(m: list[list[int]]) -> None:
    assert exact_rank(m) == sympy.Matrix(m).rank()


@given(int_matrices())
def test_nullspace_is_a_basis_of_the_kernel(m: list[list[int]]) -> None:
    arr = np.array(m, dtype=object)
    n = arr.shape[1]
    basis = exact_nullspace(m)
    assert is_fraction_array(basis)
    assert basis.shape[0] == n
    nullity = basis.shape[1]
    # M @ N == 0 exactly
    assert all(v == 0 for v in (arr @ basis).flat)
    # rank + nullity == n, and the basis vectors are independent
    rank = exact_rank(m)
    assert rank + nullity == n
    if nullity:
        assert exact_rank(basis) == nullity
    assert nullity == len(sympy.Matrix(m).nullspace())


def test_nullspace_edge_cases() -> None:
    zero = exact_nullspace([[0, 0, 0]])
    assert zero.shape == (3, 3)
    assert exact_rank(zero) == 3
    full = exact_nullspace([[1, 0], [0, 1]])
    assert full.shape == (2, 0)
    no_rows = exact_nullspace(np.empty((0, 2), dtype=object))
    assert no_rows.shape == (2, 2)
    with pytest.raises(InvalidInputError, match="shape"):
        exact_nullspace([1, 2, 3])


@given(square_matrices(entries=small_rational), st.lists(small_rational, min_size=4, max_size=4))
def test_solve_solves_or_reports_singularity(m: list[list[Fraction]], b: list[Fraction]) -> None:
    n = len(m)
    rhs = b[:n]
    arr = np.array(m, dtype=object)
    if cofactor_det(m) == 0:
        with pytest.raises(InvalidInputError, match="singular"):
            exact_solve(m, rhs)
        return
    x = exact_solve(m, rhs)
    assert x.shape == (n,)
    assert all(isinstance(v, Fraction) for v in x)
    assert list(arr @ x) == rhs
    # a matrix right-hand side gives a matrix solution
    rhs2 = np.array([[v, 2 * v] for v in rhs], dtype=object)
    x2 = exact_solve(m, rhs2)
    assert x2.shape == (n, 2)
    assert (arr @ x2 == rhs2).all()


def test_shape_errors_name_the_shape() -> None:
    with pytest.raises(InvalidInputError, match=r"square matrix, got shape \(2, 3\)"):
        exact_det([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(InvalidInputError, match=r"square matrix, got shape \(1, 2\)"):
        exact_solve([[1, 2]], [1])
    with pytest.raises(InvalidInputError, match="3 rows but the matrix has 2"):
        exact_solve([[1, 0], [0, 1]], [1, 2, 3])
    assert exact_det(np.empty((0, 0), dtype=object)) == 1
    assert exact_rank(np.empty((0, 3))) == 0


@given(int_matrices())
def test_fmpq_round_trip(m: list[list[int]]) -> None:
    arr = as_fraction_array(m)
    mat = to_fmpq_mat(arr)
    assert (mat.nrows(), mat.ncols()) == arr.shape
    back = from_fmpq_mat(mat)
    assert back.shape == arr.shape
    assert (back == arr).all()


def test_to_fmpq_mat_reshapes_vectors_and_rejects_tensors() -> None:
    assert to_fmpq_mat(["1/2", 3]).ncols() == 1
    with pytest.raises(InvalidInputError, match="expected a matrix"):
        to_fmpq_mat(np.zeros((2, 2, 2)))


# -- ranks over a prime field ---------------------------------------------------------------------


def _sympy_rank_mod(rows: list[list[int]], p: int) -> int:
    from sympy import GF
    from sympy.polys.matrices import DomainMatrix

    field = GF(p)
    return DomainMatrix(
        [[field(v) for v in row] for row in rows], (len(rows), len(rows[0])), field
    ).rank()


@given(
    st.integers(1, 6),
    st.integers(1, 6),
    st.sampled_from([2, 3, 5, 7, 2147483629]),
    st.data(),
)
def test_modular_rank_matches_sympy_over_gf_p(m: int, n: int, p: int, data) -> None:
    rows = data.draw(
        st.lists(st.lists(st.integers(-9, 9), min_size=n, max_size=n), min_size=m, max_size=m)
    )
    assert modular_rank(rows, p) == _sympy_rank_mod(rows, p)
    assert modular_rank(np.array(rows, dtype=np.int64), p) == _sympy_rank_mod(rows, p)


def test_modular_rank_is_the_rational_rank_for_a_large_prime() -> None:
    rng = np.random.default_rng(3)
    for _ in range(20):
        k = int(rng.integers(1, 8))
        a = rng.integers(-50, 50, size=(9, k)) @ rng.integers(-50, 50, size=(k, 8))
        assert modular_rank(a) == exact_rank(a) == k


def test_modular_rank_drops_where_p_divides_a_minor() -> None:
    assert modular_rank([[1, 0], [0, 6]], 3) == 1
    assert modular_rank([[1, 0], [0, 6]], 5) == 2


def test_modular_rank_inverts_denominators_mod_p() -> None:
    # [[1/2, 1], [1, 2]] is singular over Q; mod 7 too
    assert modular_rank([["1/2", 1], [1, 2]], 7) == 1
    assert modular_rank([["1/3", 1], [1, 2]], 7) == 2
    with pytest.raises(InvalidInputError, match="denominator divisible by p"):
        modular_rank([["1/7", 1]], 7)


@pytest.mark.parametrize("p", [4, 1, 2**64 + 13, 2.0, True])
def test_modular_rank_rejects_bad_primes(p) -> None:
    with pytest.raises(InvalidInputError, match="prime"):
        modular_rank([[1]], p)


def test_modular_rank_of_empty_and_non_matrices() -> None:
    assert modular_rank(np.zeros((0, 3), dtype=np.int64)) == 0
    with pytest.raises(InvalidInputError, match="matrix"):
        modular_rank(np.zeros((2, 2, 2), dtype=np.int64))


def gauss_rank_mod(m: list[list[Fraction]], p: int) -> int:
    """Rank over F_p by plain Gaussian elimination (an independent oracle)."""
    rows = [[x.numerator * pow(x.denominator, -1, p) % p for x in map(Fraction, r)] for r in m]
    rank, col, n = 0, 0, len(rows[0]) if rows else 0
    while rank < len(rows) and col < n:
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col]), None)
        if pivot is None:
            col += 1
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        inv = pow(rows[rank][col], -1, p)
        for i in range(len(rows)):
            if i != rank and rows[i][col]:
                f = rows[i][col] * inv % p
                rows[i] = [(a - f * b) % p for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
        col += 1
    return rank


@given(int_matrices(), st.sampled_from([2, 3, 5, 7, 2**31 - 1]))
def test_modular_rank_matches_gaussian_elimination_mod_p(m: list[list[int]], p: int) -> None:
    assert modular_rank(m, p) == gauss_rank_mod(m, p)
    assert modular_rank(np.array(m, dtype=np.int64), p) == gauss_rank_mod(m, p)
    assert modular_rank(m, p) <= exact_rank(m)  # a lower bound on the rational rank


@given(int_matrices())
def test_modular_rank_with_a_large_prime_is_the_rational_rank(m: list[list[int]]) -> None:
    # entries <= 8 in absolute value: every nonzero minor of a 4x4 is below 2**31 - 1
    assert modular_rank(m, 2**31 - 1) == exact_rank(m)


def test_modular_rank_of_rationals_and_floats() -> None:
    m = [["1/3", "2/3"], ["1/5", "2/5"]]
    assert (
        modular_rank(m, 7)
        == gauss_rank_mod([[Fraction(1, 3), Fraction(2, 3)], [Fraction(1, 5), Fraction(2, 5)]], 7)
        == 1
    )
    assert modular_rank(np.array([[0.5, 0.25], [1.0, 0.5]]), 11) == 1
    assert modular_rank([[7, 0], [0, 1]], 7) == 1 < exact_rank([[7, 0], [0, 1]])
    assert modular_rank(np.zeros((0, 3), dtype=np.int64), 5) == 0
    assert modular_rank([1, 2, 3], 5) == 1  # a vector is one column


@pytest.mark.parametrize("prime", [1, 4, 2**64 + 13, 2.0, True])
def test_modular_rank_rejects_non_primes(prime: object) -> None:
    with pytest.raises(InvalidInputError, match="prime"):
        modular_rank([[1]], prime)


def test_modular_rank_rejects_denominators_divisible_by_the_prime() -> None:
    with pytest.raises(InvalidInputError, match=r"entry \[1, 0\] = 2/5 .* another prime"):
        modular_rank([[1, 0], ["2/5", 1]], 5)
    with pytest.raises(InvalidInputError, match="shape"):
        modular_rank(np.zeros((2, 2, 2)), 5)


# -- conversions between python-flint and Fractions (fast paths against Fraction itself) --------
def _big_rationals(rng: np.random.Generator, size: int) -> list[Fraction]:
    """Rationals like those of exact nets built from floats: products of float64 values, so
    numerators and denominators of a few hundred bits, negative ones and zeros among them."""
    out = []
    for a, b, c in rng.normal(size=(size, 3)):
        q = Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c)) / 3
        out.append(q)
    out[::7] = [Fraction(0)] * len(out[::7])
    out[1::11] = [Fraction(-5, 7)] * len(out[1::11])
    return out


@pytest.mark.parametrize("seed", range(4))
def test_fmpq_conversions_give_the_fractions_fraction_itself_gives(seed: int) -> None:
    qs = _big_rationals(np.random.default_rng(seed), 60)
    fm = [flint.fmpq(q.numerator, q.denominator) for q in qs]
    for q, f in zip(qs, fm, strict=True):
        got = fmpq_to_fraction(f)
        assert type(got) is Fraction
        assert got == q and (got.numerator, got.denominator) == (q.numerator, q.denominator)
        assert hash(got) == hash(q) and repr(got) == repr(q)
        assert got + 1 == q + 1 and got * q == q * q  # it behaves like any Fraction
        assert to_fraction(f) == q
    mat = flint.fmpq_mat(6, 10, fm)
    back = from_fmpq_mat(mat)
    assert back.shape == (6, 10)
    assert back.ravel().tolist() == qs
    assert all(type(v) is Fraction for v in back.flat)


@pytest.mark.parametrize("seed", range(4))
def test_exact_matmul_and_fmpq_mat_of_match_fraction_loops(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = np.array(_big_rationals(rng, 12), dtype=object).reshape(3, 4)
    b = np.array(_big_rationals(rng, 8), dtype=object).reshape(4, 2)
    want = [[sum((a[i, k] * b[k, j] for k in range(4)), Fraction(0)) for j in range(2)]
            for i in range(3)]  # fmt: skip
    got = exact_matmul(a, b)
    assert got.tolist() == want
    assert all(type(v) is Fraction for v in got.flat)
    assert from_fmpq_mat(fmpq_mat_of(a)).tolist() == a.tolist()
    frozen = a.copy()
    frozen.flags.writeable = False
    assert fmpq_mat_of(frozen) is fmpq_mat_of(frozen)  # converted once
    assert from_fmpq_mat(fmpq_mat_of(frozen)).tolist() == a.tolist()


def test_affine_fmpq_mat_is_the_homogeneous_matrix_and_composes() -> None:
    rng = np.random.default_rng(5)
    a1 = np.array(_big_rationals(rng, 6), dtype=object).reshape(3, 2)
    c1 = np.array(_big_rationals(rng, 3), dtype=object)
    a2 = np.array(_big_rationals(rng, 6), dtype=object).reshape(2, 3)
    c2 = np.array(_big_rationals(rng, 2), dtype=object)
    h1 = from_fmpq_mat(affine_fmpq_mat(a1, c1))
    assert h1[:3, :2].tolist() == a1.tolist() and h1[:3, 2].tolist() == c1.tolist()
    assert h1[3].tolist() == [0, 0, 1]
    both = from_fmpq_mat(affine_fmpq_mat(a2, c2) * affine_fmpq_mat(a1, c1))
    assert both[:2, :2].tolist() == exact_matmul(a2, a1).tolist()
    assert both[:2, 2].tolist() == (exact_matmul(a2, c1) + c2).tolist()
    for arr in (a1, c1):
        arr.flags.writeable = False
    assert affine_fmpq_mat(a1, c1) is affine_fmpq_mat(a1, c1)
    assert affine_fmpq_mat(a1, c1.copy()) is not affine_fmpq_mat(a1, c1)
