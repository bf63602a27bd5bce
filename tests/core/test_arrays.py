"""``core/arrays.py``: the sort-based distinct values and pairs agree with ``np.unique``."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from neurogeom.core.arrays import (
    Ragged,
    blocks,
    component_labels,
    distinct,
    distinct_pairs,
    shared_key_pairs,
)
from neurogeom.core.unionfind import UnionFind


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


@given(st.integers(1, 40), st.lists(st.tuples(st.integers(0, 39), st.integers(0, 39)), max_size=60))
def test_component_labels_match_union_find(n, edges):
    """Each node is labelled with the smallest node of its component (union-find oracle)."""
    edges = [(a % n, b % n) for a, b in edges]
    uf = UnionFind(range(n))
    for a, b in edges:
        uf.union(a, b)
    want = [min(g for g in range(n) if uf.connected(g, i)) for i in range(n)]
    assert component_labels(n, np.array(edges, dtype=np.int64).reshape(-1, 2)).tolist() == want


def test_component_labels_of_long_paths():
    # a path numbered backwards and a shuffled one: few rounds, one component each
    n = 50_000
    back = np.stack([np.arange(1, n), np.arange(n - 1)], axis=1)
    shuffled = np.random.default_rng(0).permutation(n)
    path = np.stack([shuffled[:-1], shuffled[1:]], axis=1)
    for edges in (back, path):
        assert (component_labels(n, edges) == 0).all()


@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 9)), max_size=40))
def test_shared_key_pairs_match_brute_force(entries):
    keys = np.array([k for k, _ in entries], dtype=np.int64)
    items = np.array([i for _, i in entries], dtype=np.int64)
    got = shared_key_pairs(keys, items)
    keys_of = {i: {k for k, j in entries if j == i} for _, i in entries}
    want = {
        (a, b): len(keys_of[a] & keys_of[b])
        for a in keys_of
        for b in keys_of
        if a < b and keys_of[a] & keys_of[b]
    }
    assert got.pairs.tolist() == sorted(list(p) for p in want)
    assert got.counts.tolist() == [want[tuple(p)] for p in got.pairs.tolist()]


def test_ragged_rows():
    r = Ragged.of_lengths(np.array([2, 0, 1]), np.array([7, 3, 5]))
    assert len(r) == 3 and r.rows() == [(7, 3), (), (5,)] and r.row(2) == (5,)
    assert r.lengths.tolist() == [2, 0, 1]


def test_blocks_are_np_split():
    values = np.arange(12).reshape(6, 2)
    counts = np.array([0, 2, 1, 0, 3, 0])
    want = np.split(values, np.cumsum(counts)[:-1])
    got = blocks(values, counts)
    assert len(got) == len(want)
    assert all(np.array_equal(g, w) for g, w in zip(got, want, strict=True))
    assert blocks(list(range(6)), counts)[4] == [3, 4, 5]
