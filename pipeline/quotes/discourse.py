"""Discourse attribution over the rows, when the sentence names nobody: the same words quoted earlier, the
continuation of the previous quotation, or an interview answer (a speaker named in the previous sentence:
``syntax._previous_sentence``).
"""

from __future__ import annotations

import bisect

from pipeline.quotes.article import Article
from pipeline.quotes.naming import _speaker_from_mention
from pipeline.quotes.records import _CONFIDENCE, _Attribution, _RawQuote
from pipeline.quotes.textutil import _norm
from pipeline.quotes.words import CONTINUATION_MAX_CHARS


def _repeated_quote(doc: Article, text: str) -> _Attribution | None:
    """The same words quoted earlier in the article keep the speaker they were given there."""
    key = _norm(text)
    for _, earlier_text, attribution in reversed(doc.attributed):
        other = _norm(earlier_text)
        if attribution.speaker is not None and len(other.split()) >= 2 and (other in key or key in other):
            return _Attribution(attribution.speaker, attribution.cue, _CONFIDENCE["repeat"])
    return None


def _continuation(doc: Article, quote: _RawQuote) -> _Attribution | None:
    """A quotation following an attributed one, with no other person or speaker named in between (read
    over the ``speech_cue`` and token rows)."""
    if not doc.attributed:
        return None
    previous, _, attribution = doc.attributed[-1]
    if attribution.speaker is None:
        return None
    if quote.first_para - previous.last_para > 2:
        return None
    close = previous.close_at or (previous.last_para, previous.pieces[-1][2])
    gap_start = attribution.cue_end or doc.doc_end(*close)
    gap_end = doc.doc_off(*quote.open_at)
    if gap_end - gap_start > CONTINUATION_MAX_CHARS or gap_end < gap_start:
        return None
    return None if _names_someone(doc, gap_start, gap_end) else \
        _Attribution(attribution.speaker, attribution.cue, _CONFIDENCE["continuation"])


def _names_someone(doc: Article, start: int, end: int) -> bool:
    """Outside quotations in ``[start, end)``: a word of a person's name, or a verb of saying whose
    subject is no pronoun."""
    starts = doc.rows.token_starts
    first, last = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
    for at, text_end, person in doc.rows.tokens.slice(first, last - first).select(
            "doc_char_start", "text_end", "person").iter_rows():
        if not doc.is_quoted(at) and (person or doc.mention_at(at, text_end, person_only=True)):
            return True
    verbs = doc.rows.asserting_verbs
    return any(not doc.is_quoted(at) for at in verbs[bisect.bisect_left(verbs, start):
                                                     bisect.bisect_left(verbs, end)])


def _interview_answer(doc: Article, quote: _RawQuote) -> _Attribution | None:
    """A quotation filling its paragraph after a question or another quoted paragraph: an interview
    answer, said by the speaker of the previous answer, else by the last person the article named."""
    texts = doc.layout.texts
    pi, off = quote.open_at
    if texts[pi][:off].strip() or pi == 0 or quote.close_at is None:
        return None
    if texts[quote.close_at[0]][quote.close_at[1]:].strip(" .…"):
        return None
    previous = texts[pi - 1].strip()
    previous_quoted = bool(doc.attributed) and doc.attributed[-1][0].last_para == pi - 1
    if not previous.endswith("?") and not previous_quoted:
        return None
    last = doc.attributed[-1] if doc.attributed else None
    if last is not None and last[2].speaker is not None and pi - last[0].last_para <= 2:
        return _Attribution(doc.attributed[-1][2].speaker, None, _CONFIDENCE["continuation"])
    start = doc.doc_off(pi, off)
    window = doc.paragraph_starts[max(0, pi - 3)]
    person = next((m for m in reversed(doc.persons) if window <= m.start < start and m.label == "PER"), None)
    if person is None:
        return None
    return _Attribution(_speaker_from_mention(doc, person), None, _CONFIDENCE["previous"])
