"""Equations: the determinantal ones against implicitisation, degrees of V (spec §2-3)."""

from __future__ import annotations

import flint
import numpy as np
import pytest

from neurogeom import InvalidInputError, RationalNet
from neurogeom.core.rationals import DEFAULT_PRIME, exact_rank, modular_rank, to_fraction
from neurogeom.rational import (
    ambient_coordinates,
    ambient_dim,
    closed_formula,
    implicitize,
    known_equations,
)
from neurogeom.rational.equations import _rational_reconstruction, _tuple_vector


def _points(arch, n, seed):
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < n:
        ws = [
            rng.integers(-20, 21, size=(arch[i + 1], arch[i])).tolist()
            for i in range(len(arch) - 1)
        ]
        try:
            p, q = closed_formula(RationalNet(ws, exact=True))
        except ValueError:
            continue
        out.append([flint.fmpq(v.numerator, v.denominator) for v in _tuple_vector(p, q, arch)])
    return out


@pytest.mark.parametrize("arch", [(3, 2, 1), (3, 2, 2), (4, 2, 1), (2, 2, 2, 2), (2, 2, 2, 3)])
def test_known_equations_vanish_on_points_of_v(arch) -> None:
    eqs = known_equations(arch)
    assert len(eqs.coordinates) == ambient_dim(arch) + 1
    for pt in _points(arch, 5, seed=1):
        assert all(e(*pt) == 0 for e in eqs.equations)
    # and not on a generic point of the ambient space
    rng = np.random.default_rng(2)
    generic = [flint.fmpq(int(v)) for v in rng.integers(-9, 10, size=len(eqs.coordinates))]
    assert any(e(*generic) != 0 for e in eqs.equations)


@pytest.mark.parametrize(
    ("arch", "max_degree", "degree", "generators"),
    [
        ((3, 2, 1), 4, 6, {3: 4}),  # spec: deg 6, det A_Q and three (2,1) minors
        ((2, 2, 2, 2), 4, 10, {4: 5}),  # spec: deg 10, the 4x4 minors of [x_j P_i]
        pytest.param((3, 2, 2), 4, 10, {3: 10}, marks=pytest.mark.slow),  # spec: deg 10
        ((2, 2, 1), 2, 1, {}),  # fills: no equations, degree 1
    ],
)
def test_implicitisation_finds_the_spec_degrees(arch, max_degree, degree, generators) -> None:
    imp = implicitize(arch, max_degree=max_degree, max_monomials=1500)
    assert imp.complete and imp.degree == degree
    assert imp.hilbert_function[1] == ambient_dim(arch) + 1  # V spans its ambient space
    found = {k: n for k, n in enumerate(imp.new_generators_per_degree) if n}
    assert found == generators
    if generators:
        # the lifted equations span the same space as the determinantal ones
        k = min(generators)
        assert len(imp.equations) == imp.equations_per_degree[k]
        for pt in _points(arch, 3, seed=5):
            assert all(e(*pt) == 0 for e in imp.equations)


def test_determinantal_and_interpolated_equations_span_the_same_space() -> None:
    imp = implicitize((3, 2, 1), max_degree=3)
    known = known_equations((3, 2, 1))
    assert imp.equations[0].context().names() == known.coordinates
    both = [*imp.equations, *known.equations]
    monos = sorted({tuple(int(e) for e in m) for p in both for m in p.monoms()})

    def row(p):
        d = {tuple(int(e) for e in m): c for m, c in zip(p.monoms(), p.coeffs(), strict=True)}
        return [to_fraction(d.get(m, 0)) for m in monos]

    rows_imp = [row(p) for p in imp.equations]
    assert exact_rank(rows_imp) == exact_rank(rows_imp + [row(p) for p in known.equations]) == 4


@pytest.mark.slow
def test_h_vector_of_v_4_2_1_sums_to_the_spec_degree_27() -> None:
    imp = implicitize((4, 2, 1), max_degree=4, max_monomials=2500)
    # (1, 5, 15, 5, 1): symmetric, summing to the spec's degree 27; whether h_5 = 0 needs the
    # degree-5 interpolation (8568 monomials), so the degree itself stays unreported
    assert imp.h_vector == (1, 5, 15, 5, 1)
    assert sum(imp.h_vector) == 27
    assert imp.degree is None and "has not ended" in imp.degree_note


def test_limits_are_reported() -> None:
    imp = implicitize((3, 2, 1), max_degree=4, max_monomials=100)
    assert not imp.complete and len(imp.hilbert_function) == 3  # degrees 0..2 only
    assert imp.degree is None or imp.h_vector[-1] == 0
    with pytest.raises(InvalidInputError, match="max_degree"):
        implicitize((3, 2, 1), max_degree=0)


def test_no_known_equations_elsewhere() -> None:
    with pytest.raises(InvalidInputError, match="implicitize"):
        known_equations((2, 3, 2, 1))
    assert ambient_coordinates((2, 2, 1))[0] == "p1_10"


def test_rational_reconstruction() -> None:
    p = DEFAULT_PRIME
    for q in [(3, 7), (-5, 12), (1, 1), (0, 1), (12345, 678)]:
        a = q[0] * pow(q[1], -1, p) % p
        r = _rational_reconstruction(a, p)
        assert (r.numerator, r.denominator) == (q[0] // np.gcd(*q), q[1] // np.gcd(*q))
    assert modular_rank([[1]]) == 1
