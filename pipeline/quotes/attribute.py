"""The attribution order of a quotation (first hit wins): signature, inverted cue, incise, syntax, then
discourse; over the rows, no ``Doc``.
"""

from __future__ import annotations

from pipeline.quotes.article import Article
from pipeline.quotes.discourse import _continuation, _interview_answer, _repeated_quote
from pipeline.quotes.records import _Attribution, _RawQuote
from pipeline.quotes.signatures import _signed_quote
from pipeline.quotes.syntax import (
    _colon_introduction,
    _cue_in_window,
    _incise,
    _inverted_cue,
    _previous_sentence,
    _window_after,
    _window_before,
)


def _attribute(doc: Article, quote: _RawQuote, text: str) -> _Attribution:
    """First rule that finds a speaker: inverted cue, same-sentence cue, colon, repetition, context."""
    close_para, close_off = quote.close_at if quote.close_at else (quote.last_para, quote.pieces[-1][2])
    open_para, open_off = quote.open_at
    after = _window_after(doc, close_para, close_off)
    before = _window_before(doc, open_para, open_off)
    for rule in (lambda: _signed_quote(doc, quote),
                 lambda: _inverted_cue(doc, close_para, after),
                 lambda: _incise(doc, quote),
                 lambda: _cue_in_window(doc, open_para, list(reversed(before)), "clause"),
                 lambda: _cue_in_window(doc, close_para, after, "clause"),
                 lambda: _colon_introduction(doc, open_para, before),
                 lambda: _repeated_quote(doc, text),
                 lambda: _continuation(doc, quote),
                 lambda: _interview_answer(doc, quote),
                 lambda: _previous_sentence(doc, open_para, open_off, before)):
        found = rule()
        if found is not None and found.speaker is not None:
            return found
    return _Attribution(None, None, 0.3)
