"""Small value types shared by the stages (no logic beyond offset arithmetic)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from spacy.tokens import Doc, Span, Token

from pipeline.collapse import WhitespaceMap


@dataclass(frozen=True)
class ParsedParagraph:
    """A cleaned paragraph with its spaCy doc and where it sits in ``documents.text``.

    The paragraph text is ``documents.text[doc_char_start:doc_char_end]`` with same-length substitutions
    (typographic apostrophes, non-breaking spaces, line breaks as spaces); the doc is parsed from it with each
    run of spaces reduced to one (``pipeline/collapse.py``), and ``spaces`` maps the doc's offsets back (None
    when the paragraph had no run). Always go through :meth:`doc_offset` / :meth:`doc_span` /
    :meth:`local_offset`: ``doc_char_start + i`` is wrong after a run of spaces.
    """

    paragraph_id: str
    paragraph_index: int
    doc_char_start: int
    doc: Doc
    spaces: WhitespaceMap | None = None

    @cached_property
    def text(self) -> str:
        """The parsed text; cached because spaCy rebuilds ``Doc.text`` from the tokens on every access."""
        return self.doc.text

    @cached_property
    def doc_char_end(self) -> int:
        """Document offset where the paragraph ends."""
        return self.doc_char_start + (self.spaces.source_length if self.spaces else len(self.text))

    def doc_offset(self, offset: int) -> int:
        """Document offset of the doc offset ``offset`` (``0 <= offset <= len(text)``)."""
        return self.doc_char_start + (self.spaces.source_offset(offset) if self.spaces else offset)

    def doc_span(self, start: int, end: int) -> tuple[int, int]:
        """Document offsets of the doc's character span ``[start, end)``."""
        if end <= start:
            return self.doc_offset(start), self.doc_offset(start)
        return self.doc_offset(start), self.doc_offset(end - 1) + 1

    def span_offsets(self, span: Span | Token) -> tuple[int, int]:
        """Document offsets of a spaCy span or token of this paragraph."""
        if isinstance(span, Token):
            return self.doc_span(span.idx, span.idx + len(span.text))
        return self.doc_span(span.start_char, span.end_char)

    def contains(self, doc_offset: int) -> bool:
        """Whether the document offset ``doc_offset`` falls inside this paragraph."""
        return self.doc_char_start <= doc_offset < self.doc_char_end

    def local_offset(self, doc_offset: int) -> int:
        """Doc offset of the document offset ``doc_offset`` (a collapsed space maps to the next character)."""
        relative = doc_offset - self.doc_char_start
        return self.spaces.collapsed_offset(relative) if self.spaces else relative


@dataclass(frozen=True)
class DocumentParse:
    """Everything a per-article extraction rule may look at."""

    doc_id: str
    text: str  # documents.text: the original decoded text, offsets refer to it
    reference_date: dt.date | None
    paragraphs: list[ParsedParagraph] = field(default_factory=list)
