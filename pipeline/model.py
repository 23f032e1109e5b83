"""Small value types shared by the stages (no logic beyond offset arithmetic)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from spacy.tokens import Doc, Span, Token


@dataclass(frozen=True)
class ParsedParagraph:
    """A cleaned paragraph with its spaCy doc and where it sits in ``documents.text``.

    The paragraph text is a 1:1 character mapping of ``documents.text[doc_char_start:doc_char_end]``
    (only same-length substitutions such as typographic apostrophes and non-breaking spaces), so an
    offset ``i`` in ``doc.text`` is ``doc_char_start + i`` in the document.
    """

    paragraph_id: str
    paragraph_index: int
    doc_char_start: int
    doc: Doc

    @cached_property
    def text(self) -> str:
        """The paragraph text; cached because spaCy rebuilds ``Doc.text`` from the tokens on every access."""
        return self.doc.text

    def doc_span(self, start: int, end: int) -> tuple[int, int]:
        """Document offsets of the paragraph-relative character span ``[start, end)``."""
        return self.doc_char_start + start, self.doc_char_start + end

    def span_offsets(self, span: Span | Token) -> tuple[int, int]:
        """Document offsets of a spaCy span or token of this paragraph."""
        if isinstance(span, Token):
            return self.doc_span(span.idx, span.idx + len(span.text))
        return self.doc_span(span.start_char, span.end_char)


@dataclass(frozen=True)
class DocumentParse:
    """Everything a per-article extraction rule may look at."""

    doc_id: str
    text: str  # documents.text: the original decoded text, offsets refer to it
    reference_date: dt.date | None
    paragraphs: list[ParsedParagraph] = field(default_factory=list)
