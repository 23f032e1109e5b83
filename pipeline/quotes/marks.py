"""Quotation spans from quotation marks, on text alone: each mark is classified as opening or closing from
its context and matched with a stack (:func:`scan_paragraph`, run per paragraph by the ``quote_detector``
component), then the pieces are stitched into quotations over the article's paragraphs
(:func:`stitch_quotations`): a quotation crosses paragraphs only by the French convention.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pipeline.paragraphs import normalise_chars
from pipeline.quotes.layout import Layout
from pipeline.quotes.records import _Open, _RawQuote
from pipeline.quotes.textutil import _has_words
from pipeline.quotes.words import _CLOSERS, _OPENERS, _PROPER_CLOSER, MAX_OPEN_MARKS, QUOTE_MAX_CHARS

_LEAD = re.compile(r"\A\s*[«“]")  # a paragraph opening with a mark may continue the previous one's quotation


@dataclass(frozen=True)
class MarkedPiece:
    """The words between an outermost pair of marks inside one paragraph (paragraph offsets)."""

    family: str  # "guillemet", "curly" or "straight"
    start: int  # just after the opening mark (or where a carried quotation resumes)
    end: int  # the closing mark, or the paragraph's length when the quotation is still open there
    closed: bool
    opens_paragraph: bool  # opened by the paragraph's leading mark: may continue the previous paragraph's


def lead_end(text: str) -> int | None:
    """Offset just after the paragraph's leading ``«`` / ``“`` (spaces before it allowed), else None."""
    lead = _LEAD.match(text)
    return lead.end() if lead else None


def scan_paragraph(text: str, carried: str | None = None) -> list[MarkedPiece]:
    """Outermost quoted pieces of one paragraph, in closing order, the one still open at its end last.

    ``carried``: the family of a quotation carried in from the previous paragraph (the paragraph then
    resumes it after its leading mark); None reads the paragraph on its own."""
    lead = lead_end(text)
    stack: list[_Open] = []
    skip_until = 0
    if carried is not None:
        stack, skip_until = [_Open(carried, 0, lead or 0)], lead or 0
    pieces: list[MarkedPiece] = []
    for pos, char in _marks(text):
        if pos >= skip_until:
            _apply_mark(text, pos, char, stack, pieces, lead)
        if len(stack) > MAX_OPEN_MARKS:
            stack.clear()  # a run of opening marks: the marks still open here open no quotation
            break
    if not stack or stack[0].family == "straight":
        return pieces  # an unclosed straight quote is too often a stray mark to report
    if sum(o.family == stack[0].family for o in stack) > 1:
        return pieces  # « … « … left open: unbalanced marks, not a quotation
    outer = stack[0]
    return [*pieces, MarkedPiece(outer.family, outer.start, len(text), False, outer.start == lead)]


def stitch_quotations(texts: Sequence[str], pieces: Sequence[Sequence[MarkedPiece]]) -> list[_RawQuote]:
    """Quotations of the article from each paragraph's pieces: a quotation still open at the end of a
    paragraph continues only when the next paragraph opens with ``«`` (French convention); otherwise it
    ends with its paragraph, so it never swallows the rest of the article. Pure: texts and pieces in."""
    quotes: list[_RawQuote] = []
    carried: tuple[str, list[tuple[int, int, int]]] | None = None
    for pi, text in enumerate(texts):
        found, earlier = pieces[pi], []
        if carried is not None:
            family, earlier = carried
            if _OPENERS.get(text[(lead_end(text) or 1) - 1]) != family:  # carried only onto a lead
                found = scan_paragraph(text, family)  # read alone, the leading mark opened another family
            carried = None
        for piece in found:
            parts = [*(earlier if piece.opens_paragraph else []), (pi, piece.start, piece.end)]
            if piece.closed:
                quotes.append(_RawQuote(parts, _open_position(parts), (pi, piece.end + 1), piece.family))
            elif pi + 1 < len(texts) and lead_end(texts[pi + 1]) is not None:
                carried = (piece.family, parts)
            else:
                quotes.append(_RawQuote(parts, _open_position(parts), None, piece.family))
    trimmed = (_trimmed(q, texts) for q in quotes)
    return [q for q in trimmed if q is not None and _quoted_chars(q) <= QUOTE_MAX_CHARS]


def _quoted_chars(quote: _RawQuote) -> int:
    """Characters between the marks, over all the paragraphs the quotation spans."""
    return sum(end - start for _, start, end in quote.pieces)


QUOTATION_MARK = re.compile(r'[«»“”„"]')  # every mark a quotation may open or close with


def _marks(text: str) -> Iterator[tuple[int, str]]:
    for match in QUOTATION_MARK.finditer(text):
        yield match.start(), match.group()


def mark_offsets(text: str) -> list[int]:
    """Offsets of every quotation mark of ``text``."""
    return [pos for pos, _ in _marks(text)]


def _apply_mark(text: str, pos: int, char: str, stack: list[_Open], pieces: list[MarkedPiece],
                lead: int | None) -> None:
    """Push, pop or ignore one quotation mark; a closed outermost quotation is appended to ``pieces``."""
    role, family = _mark_role(text, pos, char, stack)
    if role == "open":
        stack.append(_Open(family, 0, pos + 1))
        return
    depth = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].family == family), None)
    if depth is None and stack and _PROPER_CLOSER[stack[-1].family] not in text[pos + 1:]:
        depth = len(stack) - 1  # mixed marks («...") : the proper closer never comes, this one closes
    if depth is None:
        return  # a stray closing mark
    if depth == 0:
        outer = stack[0]
        pieces.append(MarkedPiece(outer.family, outer.start, pos, True, outer.start == lead))
    del stack[depth:]


def _open_position(pieces: list[tuple[int, int, int]]) -> tuple[int, int]:
    first_para, first_start, _ = pieces[0]
    return first_para, max(first_start - 1, 0)


def _mark_role(text: str, pos: int, char: str, stack: list[_Open]) -> tuple[str, str]:
    """("open" | "close", family) of the mark at ``pos``, judged from the spaces around it and the stack."""
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    if char == "“" and any(o.family == "curly" for o in stack) and _placed_as_closer(before, after):
        return "close", "curly"  # “ used for both marks: “lieu de rencontre“,
    if char in _OPENERS:
        return "open", _OPENERS[char]
    if char in _CLOSERS:
        family = _CLOSERS[char]
        open_here = any(o.family == family for o in stack)
        glued_to_next = after.isalnum() or (after == " " and pos + 2 < len(text) and text[pos + 2].isalnum()
                                            and (before in " '(" or pos == 0))
        if not open_here and glued_to_next and (before.isspace() or before in "'(" or pos == 0):
            return "open", family  # a reversed mark used as an opener: d' »avancer »
        return "close", family
    # straight double quote
    if (before.isspace() or before in "([{'-–—" or pos == 0) and not after.isspace() and pos + 1 < len(text):
        opens = True
    elif not before.isspace() and (after.isspace() or after in ".,;:!?)]}…" or pos + 1 == len(text)):
        opens = False
    else:
        opens = not any(o.family == "straight" for o in stack)
    if opens and any(o.family == "straight" for o in stack) and stack[-1].family == "straight":
        opens = False
    return ("open" if opens else "close"), "straight"


def _placed_as_closer(before: str, after: str) -> bool:
    """A mark glued to the word before it and followed by a space or punctuation closes a quotation."""
    return not before.isspace() and before not in "([{'«“„" and (after.isspace() or after in ".,;:!?)]}…»")


def _trimmed(quote: _RawQuote, texts: Sequence[str]) -> _RawQuote | None:
    """Pieces without surrounding spaces; None when nothing but spaces or punctuation is quoted."""
    pieces = []
    for para, start, end in quote.pieces:
        text = texts[para]
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            pieces.append((para, start, end))
    if not pieces or not any(_has_words(texts[p][s:e]) for p, s, e in pieces):
        return None
    quote.pieces = pieces
    return quote


def _quote_text(layout: Layout, quote: _RawQuote) -> str:
    """The quoted words as the source writes them (runs of spaces kept), one space between paragraphs."""
    return " ".join(normalise_chars(layout.source[layout.doc_off(p, s):layout.doc_end(p, e)])
                    for p, s, e in quote.pieces)
