"""One article as resolution sees it, without its docs: the exported rows, the entity stage's mentions,
the quoted ranges, the candidate speakers and the quotations attributed so far (in reading order)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from pipeline.quotes.export import QuoteRows
from pipeline.quotes.records import _Attribution, _Mention, _RawQuote
from pipeline.quotes.textutil import _strip_elision
from pipeline.quotes.words import FEMININE_FIRST_NAMES, MASCULINE_FIRST_NAMES
from pipeline.spans import SpanIndex


def _itself(span: tuple[int, int]) -> tuple[int, int]:
    return span


class Article:
    """Resolution state of one article: plain rows and records, no ``Doc``."""

    def __init__(self, rows: QuoteRows, mentions: list[_Mention]):
        self.rows = rows
        self.layout = rows.layout
        self.doc_id = rows.layout.doc_id
        self.mentions = mentions
        self._quoted: SpanIndex[tuple[int, int]] = SpanIndex([], _itself)  # the quoted ranges
        self.persons: list[_Mention] = []
        self.attributed: list[tuple[_RawQuote, str, _Attribution]] = []  # earlier quotes, in order

    @cached_property
    def person_names(self) -> list[str]:
        """Every person name of the article: entity-stage PER mentions, then spaCy's PER ents, in order;
        computed once per article: asked for every candidate speaker (quadratic otherwise)."""
        ents = [text for paragraph in self.rows.person_ents for _, _, text in paragraph]
        return [m.name for m in self.mentions if m.label == "PER"] + [_strip_elision(t) for t in ents]

    @cached_property
    def surname_genders(self) -> dict[str, str]:
        return _surname_genders(self.person_names)

    @cached_property
    def text_lower(self) -> str:
        """The article in lower case, looked into around every role-noun speaker: made once."""
        return self.layout.source.lower()

    @cached_property
    def paragraph_starts(self) -> list[int]:
        return [pp.doc_char_start for pp in self.layout.paras]

    def doc_off(self, para: int, off: int) -> int:
        """Document offset of the paragraph offset ``off`` (a start): runs of spaces were collapsed."""
        return self.layout.doc_off(para, off)

    def doc_end(self, para: int, off: int) -> int:
        """Document offset of the paragraph offset ``off`` used as an exclusive end."""
        return self.layout.doc_end(para, off)

    def set_quoted(self, ranges: Iterable[tuple[int, int]]) -> None:
        """Document ranges inside quotation marks (marks included)."""
        self._quoted = SpanIndex(ranges, _itself)

    def is_quoted(self, doc_off: int) -> bool:
        """Inside a quoted range; a binary search, as it is asked for every token near every quotation."""
        return next(self._quoted.overlapping(doc_off, doc_off + 1), None) is not None

    def quotes_only_a_name(self, start: int, end: int) -> bool:
        """``[start, end)`` is all a pair of quotation marks holds (« Le Journal »): a name written between
        marks, not a name inside somebody's words."""
        ranges = list(self._quoted.overlapping(start, end))
        return len(ranges) == 1 and (ranges[0][1] - ranges[0][0]) - (end - start) <= 4

    def mention_at(self, start: int, end: int, person_only: bool = False) -> _Mention | None:
        pool = self.persons if person_only else self.mentions
        return next((m for m in pool if m.start < end and start < m.end), None)


def _surname_genders(names: list[str]) -> dict[str, str]:
    """Surname -> gender of the first full name with that surname whose first name has a known gender."""
    genders: dict[str, str] = {}
    for name in names:
        parts = name.split()
        if len(parts) < 2 or parts[-1] in genders:
            continue
        first = parts[0].lower()
        if first in FEMININE_FIRST_NAMES:
            genders[parts[-1]] = "Fem"
        elif first in MASCULINE_FIRST_NAMES:
            genders[parts[-1]] = "Masc"
    return genders
