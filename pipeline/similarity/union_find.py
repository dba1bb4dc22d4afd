"""Disjoint sets over 0..n-1: the connected components of pair graphs, at every level.

Roots are always the smallest member, so a component is named by its first unit and
labels do not depend on the order the edges came in.
"""

from __future__ import annotations

from collections.abc import Iterable


class UnionFind:
    """Disjoint sets over 0..n-1, the root of each set its smallest member."""

    def __init__(self, n: int) -> None:
        self.parent: list[int] = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def components(n: int, edges: Iterable[tuple[int, int]]) -> list[int]:
    """The root (smallest member) of each unit's component."""
    uf = UnionFind(n)
    for a, b in edges:
        uf.union(a, b)
    return [uf.find(i) for i in range(n)]
