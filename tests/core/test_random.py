"""check_rng: reproducible generators, clear errors, and no global random state touched."""

from __future__ import annotations

import random

import numpy as np
import pytest

from neurogeom.core import InvalidInputError, check_rng


def _same_state(a: tuple, b: tuple) -> bool:
    return a[0] == b[0] and np.array_equal(a[1], b[1]) and a[2:] == b[2:]


def test_int_seed_is_reproducible() -> None:
    a = check_rng(123).normal(size=10)
    b = check_rng(123).normal(size=10)
    c = check_rng(124).normal(size=10)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_numpy_integer_seed_is_accepted() -> None:
    assert np.array_equal(
        check_rng(np.int64(5)).integers(1000, size=5), check_rng(5).integers(1000, size=5)
    )


def test_seed_sequence_is_reproducible() -> None:
    a = check_rng(np.random.SeedSequence(9)).random(4)
    b = check_rng(np.random.SeedSequence(9)).random(4)
    assert np.array_equal(a, b)


def test_generator_is_passed_through() -> None:
    g = np.random.default_rng(1)
    assert check_rng(g) is g


def test_none_gives_a_fresh_generator() -> None:
    g = check_rng(None)
    assert isinstance(g, np.random.Generator)
    assert isinstance(check_rng(), np.random.Generator)


@pytest.mark.parametrize("seed", [None, 0, 42, np.random.SeedSequence(3)])
def test_global_random_state_is_untouched(seed: object) -> None:
    np_before = np.random.get_state()  # noqa: NPY002 - the global state is the subject
    py_before = random.getstate()
    rng = check_rng(seed)
    rng.random(100)
    rng.normal(size=(5, 5))
    rng.permutation(20)
    rng.integers(0, 10, size=7)
    assert _same_state(np.random.get_state(), np_before)  # noqa: NPY002
    assert random.getstate() == py_before


@pytest.mark.parametrize("seed", [-1, 1.5, "7", True, np.random.RandomState(0), [1, 2]])
def test_bad_seeds_are_rejected(seed: object) -> None:
    with pytest.raises(InvalidInputError, match="seed"):
        check_rng(seed)
