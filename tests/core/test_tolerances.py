"""Scale-aware tolerances (``core/tolerances.py``): ``Tolerances``, ``check_tol``,
``normalize_rows``.

The edges of the zero threshold and of the certainty band are checked on powers of two, where
every product is exact in float64: ``is_zero`` includes its threshold, ``unsure`` excludes both
ends of the band. Scalars give Python bools, arrays elementwise boolean arrays; scaling a value
and its scale together changes nothing.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.tolerances import (
    DEFAULT_BAND,
    DEFAULT_TOL,
    Tolerances,
    check_tol,
    normalize_rows,
)

# rel = 2^-30, band = 2^10, scale = 2^3: threshold 2^-27, band from 2^-37 to 2^-17, all exact
TOL = Tolerances(rel=2.0**-30, band=2.0**10)
SCALE = 8.0
ZERO, STRICT, LOOSE = 2.0**-27, 2.0**-37, 2.0**-17


def test_defaults_and_derived_thresholds() -> None:
    t = Tolerances()
    assert (t.rel, t.band) == (DEFAULT_TOL, DEFAULT_BAND) == (1e-9, 1e3)
    assert t.strict == pytest.approx(1e-12) and t.loose == pytest.approx(1e-6)
    assert (TOL.strict, TOL.loose) == (2.0**-40, 2.0**-20)
    assert TOL.to_dict() == {"rel": 2.0**-30, "band": 1024.0}


@pytest.mark.parametrize("rel", [0.0, 1.0, -1e-9, 1.5, math.nan, math.inf])
def test_rel_must_be_in_the_open_unit_interval(rel: float) -> None:
    with pytest.raises(InvalidInputError, match=r"tol must be a number in \(0, 1\)"):
        Tolerances(rel=rel)


@pytest.mark.parametrize("band", [0.999, 0.0, -10.0, math.nan, math.inf])
def test_band_must_be_at_least_one(band: float) -> None:
    with pytest.raises(InvalidInputError, match="certainty band must be a number >= 1"):
        Tolerances(band=band)


@pytest.mark.parametrize(
    ("value", "zero"),
    [
        (0.0, True),
        (ZERO, True),  # the threshold itself is zero
        (-ZERO, True),
        (np.nextafter(ZERO, 1.0), False),
        (-np.nextafter(ZERO, 1.0), False),
        (ZERO / 2, True),
        (1.0, False),
    ],
)
def test_is_zero_includes_its_threshold(value: float, zero: bool) -> None:
    got = TOL.is_zero(value, SCALE)
    assert got is zero  # a Python bool for a scalar


@pytest.mark.parametrize(
    ("value", "unsure"),
    [
        (0.0, False),
        (STRICT, False),  # the band's edges are outside it
        (np.nextafter(STRICT, 1.0), True),
        (ZERO, True),
        (np.nextafter(LOOSE, 0.0), True),
        (-np.nextafter(LOOSE, 0.0), True),
        (LOOSE, False),
        (np.nextafter(STRICT, 0.0), False),
        (1.0, False),
    ],
)
def test_unsure_is_the_open_band(value: float, unsure: bool) -> None:
    assert TOL.unsure(value, SCALE) is unsure


def test_arrays_are_decided_elementwise() -> None:
    values = np.array([0.0, STRICT, ZERO, np.nextafter(ZERO, 1.0), LOOSE, -ZERO])
    zero = TOL.is_zero(values, SCALE)
    unsure = TOL.unsure(values, SCALE)
    assert zero.dtype == bool and unsure.dtype == bool
    assert zero.tolist() == [True, True, True, False, False, True]
    assert unsure.tolist() == [False, False, True, True, False, True]
    # a scale per value
    scales = np.array([1.0, 2.0, 4.0])
    assert TOL.is_zero(np.full(3, 2.0**-28), scales).tolist() == [False, False, True]
    assert TOL.unsure(np.full((2, 3), 2.0**-28), scales).shape == (2, 3)


@pytest.mark.parametrize("k", [2.0**-40, 2.0**-3, 1.0, 2.0**7, 2.0**50])
def test_decisions_do_not_change_when_value_and_scale_scale_together(k: float) -> None:
    values = np.array([0.0, STRICT, ZERO, np.nextafter(ZERO, 1.0), LOOSE, 3.0 * ZERO])
    assert TOL.is_zero(values * k, SCALE * k).tolist() == TOL.is_zero(values, SCALE).tolist()
    assert TOL.unsure(values * k, SCALE * k).tolist() == TOL.unsure(values, SCALE).tolist()


def test_a_band_of_one_is_never_unsure() -> None:
    t = Tolerances(rel=2.0**-30, band=1.0)
    values = np.array([0.0, 2.0**-31, 2.0**-30, 2.0**-29])
    assert not t.unsure(values, 1.0).any()
    assert t.is_zero(values, 1.0).tolist() == [True, True, True, False]


def test_a_zero_scale_makes_only_zero_zero() -> None:
    assert TOL.is_zero(0.0, 0.0) is True
    assert TOL.is_zero(1e-300, 0.0) is False
    assert TOL.unsure(1e-300, 0.0) is False


def test_tolerances_are_frozen_values() -> None:
    assert Tolerances(1e-8) == Tolerances(rel=1e-8, band=DEFAULT_BAND)
    assert len({Tolerances(), Tolerances(), Tolerances(1e-8)}) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        Tolerances().rel = 0.5  # type: ignore[misc]


# -- check_tol -----------------------------------------------------------------------------------
def test_check_tol_accepts_none_numbers_and_values() -> None:
    assert check_tol(None) == Tolerances()
    assert check_tol(1e-6) == Tolerances(rel=1e-6)
    assert check_tol(np.float64(1e-7)).rel == 1e-7
    given = Tolerances(rel=1e-5, band=10.0)
    assert check_tol(given) is given
    assert type(check_tol(np.float32(0.25)).rel) is float


@pytest.mark.parametrize("tol", [True, False, "1e-9", [1e-9], 0, 1, 2.0, -1e-9, math.nan])
def test_check_tol_refuses_everything_else(tol: object) -> None:
    with pytest.raises(InvalidInputError, match=r"tol must be a number in \(0, 1\)"):
        check_tol(tol)  # type: ignore[arg-type]


# -- normalize_rows --------------------------------------------------------------------------------
def test_normalize_rows_gives_unit_normals_and_keeps_zero_rows() -> None:
    a = np.array([[3.0, 4.0], [0.0, 0.0], [0.0, -2.0], [1e-100, 0.0]])
    b = np.array([10.0, -1.0, 4.0, 1e-100])
    unit, rhs, norms = normalize_rows(a, b)
    assert unit.tolist() == [[0.6, 0.8], [0.0, 0.0], [0.0, -1.0], [1.0, 0.0]]
    assert rhs.tolist() == [2.0, -1.0, 2.0, 1.0]
    assert norms.tolist() == [5.0, 0.0, 2.0, 1e-100]
    # the same halfspaces: a point satisfies the rows before and after alike
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 2)) * 3
    keep = norms > 0
    assert ((x @ a[keep].T <= b[keep]) == (x @ unit[keep].T <= rhs[keep])).all()


@pytest.mark.parametrize("tiny", [1e-200, 1e-160])
def test_normalize_rows_is_scale_invariant_down_to_tiny_rows(tiny: float) -> None:
    a = np.array([[3.0, 4.0]])
    unit, rhs, norms = normalize_rows(a * tiny, np.array([10.0]) * tiny)
    assert unit[0].tolist() == pytest.approx([0.6, 0.8], rel=1e-15)
    assert rhs.tolist() == pytest.approx([2.0], rel=1e-15)
    assert norms.tolist() == pytest.approx([5 * tiny], rel=1e-15)
