"""One article as the quote rules see it: its paragraphs, quoted ranges, mentions and person names, with
the offset arithmetic between paragraph and document offsets (runs of spaces were collapsed).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from spacy.tokens import Token

from pipeline.model import DocumentParse
from pipeline.quotes.records import _Attribution, _Mention, _RawQuote
from pipeline.quotes.textutil import _strip_elision
from pipeline.quotes.words import _CLOSERS, _OPENERS, FEMININE_FIRST_NAMES, MASCULINE_FIRST_NAMES
from pipeline.spans import SpanIndex


def _itself(span: tuple[int, int]) -> tuple[int, int]:
    return span


class _Document:
    """One article with its quotation ranges, candidate speakers and the rules that need them."""

    def __init__(self, parse: DocumentParse, mentions: list[_Mention]):
        self.parse = parse
        self.paras = parse.paragraphs
        self.mentions = mentions
        self._quoted: SpanIndex[tuple[int, int]] = SpanIndex([], _itself)  # the quoted ranges
        self.persons: list[_Mention] = []
        self.attributed: list[tuple[_RawQuote, str, _Attribution]] = []  # earlier quotes, in order

    @cached_property
    def person_names(self) -> list[str]:
        """Computed once per article: asked for every candidate speaker (quadratic otherwise)."""
        return _names_of_people(self)

    @cached_property
    def surname_genders(self) -> dict[str, str]:
        return _surname_genders(self.person_names)

    @cached_property
    def text_lower(self) -> str:
        """The article in lower case, looked into around every role-noun speaker: made once."""
        return self.parse.text.lower()

    @cached_property
    def paragraph_starts(self) -> list[int]:
        return [pp.doc_char_start for pp in self.paras]

    # offsets and tokens
    def doc_off(self, para: int, off: int) -> int:
        """Document offset of the paragraph offset ``off`` (a start): runs of spaces were collapsed."""
        return self.paras[para].doc_offset(off)

    def doc_end(self, para: int, off: int) -> int:
        """Document offset of the paragraph offset ``off`` used as an exclusive end: just after the
        character before it, so that a span never swallows a run of spaces that follows it."""
        return self.paras[para].doc_span(off - 1, off)[1] if off > 0 else self.doc_off(para, 0)

    def tok_start(self, para: int, tok: Token) -> int:
        return self.paras[para].doc_offset(tok.idx)

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

    def token_quoted(self, para: int, tok: Token) -> bool:
        return tok.text not in _OPENERS and tok.text not in _CLOSERS and tok.text != '"' and \
            self.is_quoted(self.tok_start(para, tok))

    def para_of(self, tok: Token) -> int:
        for i, pp in enumerate(self.paras):
            if pp.doc is tok.doc:
                return i
        raise ValueError("token outside the document")

    def mention_at(self, start: int, end: int, person_only: bool = False) -> _Mention | None:
        pool = self.persons if person_only else self.mentions
        return next((m for m in pool if m.start < end and start < m.end), None)


def _names_of_people(doc: _Document) -> list[str]:
    """Every person name of the article: entity-stage PER mentions, then spaCy's PER ents, in order."""
    names = [m.name for m in doc.mentions if m.label == "PER"]
    for pp in doc.paras:
        names.extend(_strip_elision(e.text) for e in pp.doc.ents if e.label_ == "PER")
    return names


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
