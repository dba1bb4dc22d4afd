"""Components: the same partition as a graph search, named by their smallest member."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.similarity import UnionFind, components

EDGES = st.integers(min_value=1, max_value=30).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n),
    )
)


def _reference(n: int, edges: list[tuple[int, int]]) -> list[int]:
    neighbours: dict[int, set[int]] = {i: set() for i in range(n)}
    for a, b in edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    label = [-1] * n
    for start in range(n):
        if label[start] >= 0:
            continue
        stack, seen = [start], {start}
        while stack:
            for other in neighbours[stack.pop()] - seen:
                seen.add(other)
                stack.append(other)
        for member in seen:
            label[member] = min(seen)
    return label


@given(EDGES)
def test_components_match_a_graph_search(case: tuple[int, list[tuple[int, int]]]) -> None:
    n, edges = case
    assert components(n, edges) == _reference(n, edges)


@given(EDGES)
def test_edge_order_does_not_change_the_labels(case: tuple[int, list[tuple[int, int]]]) -> None:
    n, edges = case
    assert components(n, edges) == components(n, [(b, a) for a, b in reversed(edges)])


def test_union_keeps_the_smallest_root() -> None:
    uf = UnionFind(4)
    uf.union(3, 1)
    uf.union(2, 3)
    assert [uf.find(i) for i in range(4)] == [0, 1, 1, 1]
