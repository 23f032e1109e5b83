"""Groups of keys merged pairwise (union-find), independent of the order of the merges.

The one implementation for the entity steps (mentions and forms merged into entities) and the timeline
(reports of one event merged across articles). The representative of a group is its smallest key, so a
result never depends on the order the merges came in.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, Protocol, TypeVar


class _Ordered(Hashable, Protocol):
    def __lt__(self, other: object, /) -> bool: ...


K = TypeVar("K", bound=_Ordered)


class UnionFind(Generic[K]):
    """Groups of keys; the representative is the smallest key, so results do not depend on order."""

    def __init__(self) -> None:
        self.parent: dict[K, K] = {}

    def add(self, key: K) -> None:
        self.parent.setdefault(key, key)

    def find(self, key: K) -> K:
        self.add(key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: K, b: K) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = sorted((ra, rb))
            self.parent[high] = low
