"""``core/arrays.py``: the sort-based distinct values and pairs agree with ``np.unique``."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from neurogeom.core.arrays import distinct, distinct_pairs


@given(arrays(np.int64, st.integers(0, 60), elements=st.integers(-50, 50)))
def test_distinct_is_np_unique(values):
    np.testing.assert_array_equal(distinct(values), np.unique(values))


@given(arrays(np.int64, st.tuples(st.integers(0, 60), st.just(2)), elements=st.integers(0, 9)))
def test_distinct_pairs_is_np_unique_rows(pairs):
    want = np.unique(pairs, axis=0) if len(pairs) else np.zeros((0, 2), dtype=np.int64)
    np.testing.assert_array_equal(distinct_pairs(pairs), want)


@pytest.mark.parametrize("big", [2**40, 2**62])
def test_distinct_pairs_without_room_for_a_key(big):
    # ids too large to pack a pair into one int64 take NumPy's path, with the same answer
    pairs = np.array([[big, 3], [1, big], [big, 3], [0, 0]], dtype=np.int64)
    np.testing.assert_array_equal(distinct_pairs(pairs), np.unique(pairs, axis=0))


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 5)), max_size=20))
def test_ranges_are_the_blocks_one_after_the_other(blocks):
    from neurogeom.core.arrays import ranges

    first = np.array([f for f, _ in blocks], dtype=np.intp)
    count = np.array([c for _, c in blocks], dtype=np.intp)
    want = [f + k for f, c in blocks for k in range(c)]
    assert ranges(first, count).tolist() == want
