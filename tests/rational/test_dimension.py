"""Dimensions: the F_p Jacobian against exact rational arithmetic and an independent coefficient
Jacobian; certification, drops, float check, tables and errors."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import flint
import numpy as np
import pytest

from neurogeom import InvalidInputError
from neurogeom.core.rationals import DEFAULT_PRIME, exact_rank
from neurogeom.rational import dimension, dimension_table, expected_dim
from neurogeom.rational._jacobian import Floats, ModP, jacobian_rows
from neurogeom.rational.dimension import table_architectures


class _Rationals(Floats):
    """Exact arithmetic on object arrays of Fractions (the same interface)."""

    def inv(self, a):
        return np.vectorize(lambda t: Fraction(0) if t == 0 else 1 / Fraction(t), otypes=[object])(
            a
        )


@pytest.mark.parametrize("arch", [(2, 3, 2), (3, 2, 2, 1), (2, 2, 3, 2), (1, 2, 1)])
@pytest.mark.parametrize("bias", [False, True])
def test_modular_jacobian_is_the_rational_jacobian_mod_p(arch, bias) -> None:
    rng = np.random.default_rng(0)
    p = DEFAULT_PRIME
    L = len(arch) - 1
    ws = [rng.integers(-50, 50, size=(arch[l + 1], arch[l])) for l in range(L)]
    bs = [rng.integers(-50, 50, size=arch[l + 1]) for l in range(L)] if bias else None
    x = rng.integers(-50, 50, size=(7, arch[0]))
    r = rng.integers(-50, 50, size=(7, arch[-1]))

    def obj(a):
        return np.vectorize(Fraction, otypes=[object])(a)

    exact = jacobian_rows(
        _Rationals(),
        [obj(w) for w in ws],
        None if bs is None else [obj(b) for b in bs],
        obj(x),
        obj(r),
    )
    modular = jacobian_rows(
        ModP(p), [w % p for w in ws], None if bs is None else [b % p for b in bs], x % p, r % p
    )
    assert exact.ok.all() and modular.ok.all()
    reduced = np.vectorize(lambda q: q.numerator * pow(q.denominator, -1, p) % p, otypes=[object])(
        exact.rows
    )
    assert (reduced.astype(np.int64) == modular.rows).all()


def test_modular_matmul_does_not_overflow() -> None:
    f = ModP(DEFAULT_PRIME)
    rng = np.random.default_rng(1)
    a = rng.integers(0, DEFAULT_PRIME, size=(5, 300))
    b = rng.integers(0, DEFAULT_PRIME, size=(300, 4))
    exact = [
        [sum(int(a[i, k]) * int(b[k, j]) for k in range(300)) % DEFAULT_PRIME for j in range(4)]
        for i in range(5)
    ]
    assert f.matmul(a, b).tolist() == exact
    inv = f.inv(a[0])
    assert ((inv * a[0]) % DEFAULT_PRIME == 1).all()


# -- an independent oracle: the Jacobian of the coefficients of the closed formula ------------


def _coefficient_jacobian_rank(arch: tuple[int, ...], seed: int) -> int:
    """Rank of d(coefficients of (P, Q)) / d(weights), with weights as polynomial variables."""
    n_w = sum(arch[i] * arch[i + 1] for i in range(len(arch) - 1))
    names = [f"x{i}" for i in range(arch[0])] + [f"w{k}" for k in range(n_w)]
    ctx = flint.fmpq_mpoly_ctx.get(names, "lex")
    gens = ctx.gens()
    xs, wvars = gens[: arch[0]], list(gens[arch[0] :])
    layers = []
    for i in range(len(arch) - 1):
        layers.append([[wvars.pop(0) for _ in range(arch[i])] for _ in range(arch[i + 1])])
    one = ctx.constant(1)
    # the closed formula, written out again here on symbolic weights
    p = [sum((w * x for w, x in zip(row, xs, strict=True)), ctx.from_dict({})) for row in layers[0]]
    q = {0: one, 1: one}
    L = len(arch) - 1
    for k in range(1, L):
        prod = one
        for t in p:
            prod *= t
        q[k + 1] = prod
        others = []
        for j in range(len(p)):
            o = one
            for s, t in enumerate(p):
                if s != j:
                    o *= t
            others.append(o)
        p = [
            sum((w * o for w, o in zip(row, others, strict=True)), ctx.from_dict({}))
            for row in layers[k]
        ]
    big_p = [pi * math.prod([q[t] for t in range(L - 1, -1, -2)], start=one) for pi in p]
    big_q = math.prod([q[t] for t in range(L, -1, -2)], start=one)
    coeff_polys = []
    for poly in [*big_p, big_q]:
        by_x: dict[tuple, object] = {}
        for monom, c in poly.terms():
            key = tuple(int(e) for e in monom[: arch[0]])
            rest = ctx.term(
                exp_vec=tuple([0] * arch[0] + [int(e) for e in monom[arch[0] :]]), coeff=c
            )
            by_x[key] = by_x.get(key, ctx.from_dict({})) + rest
        coeff_polys.extend(by_x.values())
    rng = np.random.default_rng(seed)
    point = [flint.fmpq(0)] * arch[0] + [flint.fmpq(int(v)) for v in rng.integers(-30, 30, n_w)]
    names_w = names[arch[0] :]
    rows = [[cp.derivative(name)(*point) for name in names_w] for cp in coeff_polys]
    return exact_rank([[Fraction(int(v.p), int(v.q)) for v in row] for row in rows])


@pytest.mark.parametrize("arch", [(2, 2, 1), (3, 2, 1), (2, 3, 1), (2, 2, 2, 1), (3, 1, 2)])
def test_coefficient_jacobian_rank_is_dimension_plus_one(arch) -> None:
    # spec §1 / §5 step 5: the affine cone of (P, Q) has one dimension more than the functions
    assert _coefficient_jacobian_rank(arch, seed=3) == dimension(arch, seed=3).dimension + 1


# -- certification, drops, float check ------------------------------------------------------------


def test_a_drop_is_found_and_not_certified() -> None:
    # a width-1 bottleneck: f = l(x) (c_1, c_2) / const has dimension 3 + 2 - 1 = 4 < 6
    res = dimension((3, 1, 3, 2), seed=0)
    assert (res.dimension, res.expected_dimension, res.ambient_dimension) == (4, 6, 6)
    assert not res.certified and res.defect == 2
    assert len(res.ranks) == 2  # a second trial was taken
    assert not res.fills
    assert res.float_check is not None and res.float_check.agrees


def test_reaching_the_expected_dimension_certifies_after_one_trial() -> None:
    res = dimension((2, 3, 2, 1), seed=0)
    assert res.certified and res.ranks == (9,)
    d = res.to_dict()
    assert d["dimension"] == 9 and d["ambient_dimension"] == 10 and d["fills"] is False
    assert d["expected_dimension"] == 9 and d["modular"]["prime"] == DEFAULT_PRIME
    assert "w.h.p." not in repr(res)


def test_float_check_reports_the_gap() -> None:
    res = dimension((3, 3, 1), seed=0)
    assert res.float_check.rank == 9 and res.float_check.gap > 1e6
    res = dimension((3, 3, 1), seed=0, float_check=False)
    assert res.float_check is None and res.to_dict()["float_check"] is None


def test_a_loose_float_tolerance_disagrees_and_says_so() -> None:
    res = dimension((2, 2, 2, 2, 2, 2, 1), seed=0, tol=0.5)
    assert not res.float_check.agrees


def test_seeded_results_are_reproducible() -> None:
    a = dimension((2, 3, 3, 1), seed=7)
    b = dimension((2, 3, 3, 1), seed=7)
    assert a.ranks == b.ranks and a.float_check == b.float_check


def test_about_600_parameters() -> None:
    res = dimension((10, 20, 20), seed=0, float_check=False)
    assert res.parameters == 600 and res.dimension == 580 == expected_dim((10, 20, 20))


def test_tables() -> None:
    assert sum(1 for _ in table_architectures(3, 3)) == 27 + 81
    t = dimension_table(max_width=3, max_depth=3, seed=0)
    assert t.complete and len(t.rows) == t.total == 108
    drops = {r.architecture for r in t.drops()}
    assert (3, 1, 3, 2) in drops
    assert all(r.defect == 0 for r in t.rows if r.closed_form is not None)
    assert "with a dimension below the expected one" in t.text()
    assert t.to_dict()["drops"] == len(drops)
    cut = dimension_table(max_width=6, max_depth=4, time_limit=1.0)
    assert not cut.complete and 0 < len(cut.rows) < cut.total
    assert "INCOMPLETE" in cut.text()


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"trials": 0}, "trials"),
        ({"p": 2**40}, "below 2\\*\\*31"),
        ({"p": 2147483647 - 1}, "prime"),
    ],
)
def test_bad_options(kwargs, needle) -> None:
    with pytest.raises(InvalidInputError, match=needle):
        dimension((2, 2, 1), **kwargs)
    with pytest.raises(InvalidInputError, match=r"zero|positive"):
        dimension((2, 0, 1))
    with pytest.raises(InvalidInputError, match="max_width"):
        list(table_architectures(0, 2))


def test_biased_dimensions_match_bias_free_homogenisation_counts() -> None:
    # with biases every shallow (d0, d1, d2) has the parameter count minus scalings
    for d0, d1, d2 in itertools.product((1, 2, 3), (1, 2, 3), (1, 2)):
        res = dimension((d0, d1, d2), bias=True, seed=1, float_check=False)
        assert res.dimension == res.expected_dimension, (d0, d1, d2)
