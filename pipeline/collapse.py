"""What the parser reads: a paragraph with its runs of spaces collapsed, and the map back to the source.

A name wrapped across two indented lines ("Jean-Pierre\\n    Lefèvre") becomes, once line breaks are spaces
(``paragraphs.normalise_chars``), "Jean-Pierre     Lefèvre": spaCy makes the extra spaces a token of their
own, which cuts the name and breaks the parse. The parser reads "Jean-Pierre Lefèvre" instead, and every span
it finds is mapped back through :class:`WhitespaceMap` to exact offsets of ``documents.text``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

SPACE_RUN = re.compile(r" {2,}")  # a run of spaces: the parser reads its first space only


@dataclass(frozen=True)
class WhitespaceMap:
    """Offsets between a text with runs of spaces and the same text with each run reduced to one space.

    ``positions[k]`` is the offset, in the collapsed text, of the first character after the ``k``-th run;
    from there on, collapsed offsets are ``shifts[k]`` characters short of source offsets.
    """

    positions: tuple[int, ...]
    shifts: tuple[int, ...]
    source_length: int

    def source_offset(self, offset: int) -> int:
        """Source offset of the collapsed offset ``offset`` (``0 <= offset <= len(collapsed)``)."""
        k = bisect_right(self.positions, offset) - 1
        return offset + (self.shifts[k] if k >= 0 else 0)

    def collapsed_offset(self, source: int) -> int:
        """Collapsed offset of the source offset ``source`` (a dropped space: the next kept character)."""
        k = bisect_right(self.source_positions, source) - 1
        offset = source - (self.shifts[k] if k >= 0 else 0)
        return min(offset, self.positions[k + 1]) if k + 1 < len(self.positions) else offset

    @cached_property
    def source_positions(self) -> tuple[int, ...]:
        return tuple(p + s for p, s in zip(self.positions, self.shifts, strict=True))


def collapse_spaces(text: str) -> tuple[str, WhitespaceMap | None]:
    """``text`` with every run of spaces reduced to one, and its map (None when there was no run)."""
    if "  " not in text:
        return text, None
    positions: list[int] = []
    shifts: list[int] = []
    shift = 0
    for run in SPACE_RUN.finditer(text):
        positions.append(run.start() - shift + 1)
        shift += len(run.group()) - 1
        shifts.append(shift)
    return SPACE_RUN.sub(" ", text), WhitespaceMap(tuple(positions), tuple(shifts), len(text))


def collapse_whitespace(text: str) -> tuple[str, list[int]]:
    """``text`` collapsed as :func:`collapse_spaces` does, with the source offset of each of its characters.

    A span ``[i, j)`` of the result is ``[offsets[i], offsets[j - 1] + 1)`` of ``text``.
    """
    collapsed, mapping = collapse_spaces(text)
    if mapping is None:
        return collapsed, list(range(len(text)))
    return collapsed, [mapping.source_offset(i) for i in range(len(collapsed))]
