"""Spans of an article looked up by position: every stage asks "what lies here" of long articles."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from itertools import accumulate
from typing import Generic, TypeVar

_Item = TypeVar("_Item")


class SpanIndex(Generic[_Item]):
    """Items with a character span, queried by position in O(log n + answer).

    An article can hold tens of thousands of mentions and dates: comparing every sentence (or event) with
    every one of them is quadratic in the article's size. Items are kept by start, with the running
    maximum of their ends, so the items before the first whose running end passes ``lo`` cannot reach it.
    """

    def __init__(self, items: Iterable[_Item], span: Callable[[_Item], tuple[int, int]]):
        self.items = sorted(items, key=lambda item: span(item)[0])  # stable: ties keep their order
        spans = [span(item) for item in self.items]
        self._starts = [start for start, _ in spans]
        self._ends = [end for _, end in spans]
        self._reach = list(accumulate(self._ends, max))

    def overlapping(self, lo: int, hi: int) -> Iterator[_Item]:
        """Items whose span overlaps ``[lo, hi)``, by start."""
        for i in range(bisect_right(self._reach, lo), bisect_left(self._starts, hi)):
            if self._ends[i] > lo:
                yield self.items[i]

    def starting_in(self, lo: int, hi: int) -> list[_Item]:
        """Items whose span starts in ``[lo, hi)``, by start."""
        return self.items[bisect_left(self._starts, lo):bisect_left(self._starts, hi)]
