"""Where an article's paragraphs sit in its text, without their docs: the offset arithmetic resolution
needs (paragraph offsets to document offsets; runs of spaces were collapsed before parsing)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from pipeline.collapse import WhitespaceMap
from pipeline.model import DocumentParse


@dataclass(frozen=True)
class ParagraphLayout:
    paragraph_id: str
    text: str  # the parsed (collapsed) paragraph text
    doc_char_start: int
    doc_char_end: int
    spaces: WhitespaceMap | None

    def doc_offset(self, offset: int) -> int:
        return self.doc_char_start + (self.spaces.source_offset(offset) if self.spaces else offset)

    def contains(self, doc_offset: int) -> bool:
        return self.doc_char_start <= doc_offset < self.doc_char_end

    def local_offset(self, doc_offset: int) -> int:
        """Paragraph offset of the document offset ``doc_offset`` (a collapsed space maps to the next
        character), as ``ParsedParagraph.local_offset``."""
        relative = doc_offset - self.doc_char_start
        return self.spaces.collapsed_offset(relative) if self.spaces else relative


@dataclass(frozen=True)
class Layout:
    """One article's text and paragraphs: rows of plain values, read once from the parse."""

    doc_id: str
    source: str  # documents.text: offsets refer to it
    paras: tuple[ParagraphLayout, ...]

    @classmethod
    def of(cls, parse: DocumentParse, texts: list[str | None] | None = None) -> Layout:
        """``texts``: the paragraphs' texts when already read from their docs (else read here)."""
        texts = texts or [None] * len(parse.paragraphs)
        return cls(parse.doc_id, parse.text, tuple(
            ParagraphLayout(pp.paragraph_id, text if text is not None else pp.text, pp.doc_char_start,
                            _end(pp.doc_char_start, pp.spaces, text if text is not None else pp.text),
                            pp.spaces)
            for pp, text in zip(parse.paragraphs, texts, strict=True)))

    @cached_property
    def texts(self) -> tuple[str, ...]:
        return tuple(pp.text for pp in self.paras)

    def doc_off(self, para: int, off: int) -> int:
        """Document offset of the paragraph offset ``off`` (a start)."""
        return self.paras[para].doc_offset(off)

    def doc_end(self, para: int, off: int) -> int:
        """Document offset of the paragraph offset ``off`` used as an exclusive end: just after the
        character before it, so that a span never swallows a run of spaces that follows it."""
        return self.paras[para].doc_offset(off - 1) + 1 if off > 0 else self.doc_off(para, 0)


def _end(start: int, spaces: WhitespaceMap | None, text: str) -> int:
    """Document offset where a paragraph ends (as ``ParsedParagraph.doc_char_end``, from its text)."""
    return start + (spaces.source_length if spaces else len(text))
