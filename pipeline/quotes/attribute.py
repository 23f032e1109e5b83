"""The attribution order of a quotation (first hit wins): signature, inverted cue, incise, syntax, then
discourse.
"""

from __future__ import annotations

from pipeline.quotes.discourse import _continuation, _interview_answer, _previous_sentence, _repeated_quote
from pipeline.quotes.document import _Document
from pipeline.quotes.records import _CONFIDENCE, _Attribution, _RawQuote
from pipeline.quotes.signatures import _signed_quote
from pipeline.quotes.speakers import _speaker_from_token
from pipeline.quotes.syntax import (
    _colon_introduction,
    _cue_in_window,
    _inverted_cue,
    _inverted_subject,
    _window_after,
    _window_before,
)
from pipeline.quotes.verbs import _speech_lemma


def _attribute(doc: _Document, quote: _RawQuote, text: str) -> _Attribution:
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


def _incise(doc: _Document, quote: _RawQuote) -> _Attribution | None:
    """``« A, remarque la sociologue X. B »``: a short clause of saying set off inside the quotation marks,
    a verb of saying followed by its inverted subject and closed by a comma or a full stop."""
    for pi, start, end in quote.pieces:
        tokens = [t for t in doc.paras[pi].doc if start <= t.idx < end and not t.is_space]
        for k, tok in enumerate(tokens):
            if tok.text != ",":
                continue
            window = tokens[k + 1:k + 14]
            stop = next((j for j, t in enumerate(window) if t.text in (",", ".", "!", "?", "…", ";")), None)
            if stop is None or stop < 2:
                continue
            clause = window[:stop]
            n = next((j for j, t in enumerate(clause) if t.pos_ != "ADV" and t.lower_ not in
                      ("se", "s'", "ne", "n'", "-t")), None)
            lemma = None if n is None else _speech_lemma(clause[n], positional=True)
            if lemma is None:
                continue
            subject = _inverted_subject(clause, n)
            if subject is None:
                continue
            speaker = _speaker_from_token(doc, pi, subject)
            if speaker is not None:
                return _Attribution(speaker, lemma, _CONFIDENCE["inverted"])
    return None
