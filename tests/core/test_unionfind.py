"""UnionFind against a brute-force connected-components computation on random graphs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from neurogeom.core import UnionFind


def brute_components(n: int, edges: list[tuple[int, int]]) -> set[frozenset[int]]:
    """Connected components by repeated graph search on an adjacency list."""
    adjacency: dict[int, set[int]] = {v: set() for v in range(n)}
    for a, b in edges:
        adjacency[a].add(b)
        adjacency[b].add(a)
    seen: set[int] = set()
    components = set()
    for start in range(n):
        if start in seen:
            continue
        stack, component = [start], {start}
        while stack:
            v = stack.pop()
            for w in adjacency[v] - component:
                component.add(w)
                stack.append(w)
        seen |= component
        components.add(frozenset(component))
    return components


@st.composite
def graphs(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]]]:
    n = draw(st.integers(1, 30))
    vertex = st.integers(0, n - 1)
    edges = draw(st.lists(st.tuples(vertex, vertex), max_size=40))
    return n, edges


@given(graphs())
def test_unionfind_matches_brute_force_components(graph: tuple[int, list[tuple[int, int]]]) -> None:
    n, edges = graph
    uf = UnionFind(range(n))
    merges = sum(uf.union(a, b) for a, b in edges)
    expected = brute_components(n, edges)
    assert {frozenset(g) for g in uf.groups()} == expected
    assert uf.n_sets == len(expected)
    assert merges == n - len(expected)
    assert len(uf) == n
    for a in range(n):
        for b in range(n):
            same = any(a in c and b in c for c in expected)
            assert uf.connected(a, b) == same
    labels = uf.labels()
    assert set(labels) == set(range(n))
    for a in range(n):
        for b in range(n):
            assert (labels[a] == labels[b]) == uf.connected(a, b)


@given(graphs())
def test_groups_are_in_insertion_order(graph: tuple[int, list[tuple[int, int]]]) -> None:
    n, edges = graph
    uf = UnionFind(range(n))
    for a, b in edges:
        uf.union(a, b)
    groups = uf.groups()
    firsts = [g[0] for g in groups]
    assert firsts == sorted(firsts)
    for g in groups:
        assert g == sorted(g)


def test_items_are_created_on_first_use_and_can_be_any_hashable() -> None:
    uf = UnionFind()
    assert len(uf) == 0
    assert uf.n_sets == 0
    assert "a" not in uf
    assert uf.find("a") == "a"
    assert "a" in uf
    assert uf.union(("cell", 1), frozenset({2}))
    assert not uf.union(frozenset({2}), ("cell", 1))
    assert uf.connected(("cell", 1), frozenset({2}))
    assert not uf.connected("a", ("cell", 1))
    assert len(uf) == 3
    assert uf.n_sets == 2
    assert list(uf) == ["a", ("cell", 1), frozenset({2})]


def test_add_is_idempotent() -> None:
    uf = UnionFind([1, 2])
    uf.union(1, 2)
    uf.add(1)
    uf.add(2)
    assert uf.n_sets == 1
    assert uf.connected(1, 2)


def test_long_chain_is_one_set() -> None:
    n = 2000
    uf = UnionFind(range(n))
    for k in range(n - 1):
        uf.union(k, k + 1)
    assert uf.n_sets == 1
    assert uf.connected(0, n - 1)
