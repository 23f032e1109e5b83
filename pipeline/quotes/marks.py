"""Detection of quotation spans from quotation marks: each mark is classified as opening or closing from
its context, matched with a stack, and a quotation crosses paragraphs only by the French convention.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.model import ParsedParagraph
from pipeline.paragraphs import normalise_chars
from pipeline.quotes.document import _Document
from pipeline.quotes.records import _Open, _RawQuote
from pipeline.quotes.textutil import _has_words
from pipeline.quotes.words import _CLOSERS, _OPENERS, _PROPER_CLOSER, MAX_OPEN_MARKS, QUOTE_MAX_CHARS


def _find_quotations(paras: list[ParsedParagraph]) -> list[_RawQuote]:
    """Outermost quotations of the document, in reading order; nested ones stay inside their parent."""
    quotes: list[_RawQuote] = []
    carried: _Open | None = None
    for pi, pp in enumerate(paras):
        text = pp.text
        stack: list[_Open] = []
        skip_until = 0
        if carried is not None:  # the previous paragraph ended inside a quotation, this one reopens it
            lead = re.match(r"\s*[«“]", text)
            carried.para, carried.start = pi, lead.end() if lead else 0
            stack, skip_until, carried = [carried], carried.start, None
        for pos, char in _marks(text):
            if pos >= skip_until:
                _apply_mark(text, pi, pos, char, stack, quotes)
            if len(stack) > MAX_OPEN_MARKS:
                stack.clear()  # a run of opening marks: the marks still open here open no quotation
                break
        if not stack or stack[0].family == "straight":
            continue  # an unclosed straight quote is too often a stray mark to report
        if sum(o.family == stack[0].family for o in stack) > 1:
            continue  # « … « … left open: unbalanced marks, not a quotation
        outer = stack[0]
        outer.pieces.append((pi, outer.start, len(text)))
        following = paras[pi + 1].text if pi + 1 < len(paras) else ""
        if re.match(r"\s*[«“]", following):
            carried = outer
        else:
            quotes.append(_RawQuote(outer.pieces, _open_position(outer.pieces), None, outer.family))
    if carried is not None:
        quotes.append(_RawQuote(carried.pieces, _open_position(carried.pieces), None, carried.family))
    trimmed = (_trimmed(q, paras) for q in quotes)
    return [q for q in trimmed if q is not None and _quoted_chars(q) <= QUOTE_MAX_CHARS]


def _quoted_chars(quote: _RawQuote) -> int:
    """Characters between the marks, over all the paragraphs the quotation spans."""
    return sum(end - start for _, start, end in quote.pieces)


def _marks(text: str) -> Iterator[tuple[int, str]]:
    for match in re.finditer(r'[«»“”„"]', text):
        yield match.start(), match.group()


def _apply_mark(text: str, pi: int, pos: int, char: str, stack: list[_Open], quotes: list[_RawQuote]) -> None:
    """Push, pop or ignore one quotation mark; a closed outermost quotation is appended to ``quotes``."""
    role, family = _mark_role(text, pos, char, stack)
    if role == "open":
        stack.append(_Open(family, pi, pos + 1))
        return
    depth = next((i for i in range(len(stack) - 1, -1, -1) if _closes(family, stack[i].family)), None)
    if depth is None and stack and _PROPER_CLOSER[stack[-1].family] not in text[pos + 1:]:
        depth = len(stack) - 1  # mixed marks («...") : the proper closer never comes, this one closes
    if depth is None:
        return  # a stray closing mark
    if depth == 0:
        outer = stack[0]
        pieces = [*outer.pieces, (pi, outer.start, pos)]
        quotes.append(_RawQuote(pieces, _open_position(pieces), (pi, pos + 1), outer.family))
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


def _closes(closer_family: str, open_family: str) -> bool:
    return closer_family == open_family


def _trimmed(quote: _RawQuote, paras: list[ParsedParagraph]) -> _RawQuote | None:
    """Pieces without surrounding spaces; None when nothing but spaces or punctuation is quoted."""
    pieces = []
    for para, start, end in quote.pieces:
        text = paras[para].text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            pieces.append((para, start, end))
    if not pieces or not any(_has_words(paras[p].text[s:e]) for p, s, e in pieces):
        return None
    quote.pieces = pieces
    return quote


def _quote_text(doc: _Document, quote: _RawQuote) -> str:
    """The quoted words as the source writes them (runs of spaces kept), one space between paragraphs."""
    return " ".join(normalise_chars(doc.parse.text[doc.doc_off(p, s):doc.doc_end(p, e)])
                    for p, s, e in quote.pieces)
