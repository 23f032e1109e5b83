"""Rules 1-8 over the sentences of one paragraph: the sentence cut, the date a sentence inherits from the
one before it or from an embedded post, and the signature of a post."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from pipeline.events.dating import _Quotes, dated_happenings, events_of_sentence, recent_past_events
from pipeline.events.records import DatedTimex, Trigger, _Event, _Signature
from pipeline.model import ParsedParagraph
from pipeline.spans import SpanIndex
from pipeline.temporal import verb_tense

# Tenses after which a sentence no longer speaks of the previous sentence's date (rule 5).
_BREAKING_TENSES = {"future", "conditional", "unknown"}


def _breaks_narrative(sent: Span) -> bool:
    """A sentence whose main verb is future/conditional/pluperfect does not continue the previous date."""
    root = sent.root
    if root.pos_ not in ("VERB", "AUX"):
        return False
    if verb_tense(root) in _BREAKING_TENSES:
        return True
    return any(c.dep_.startswith("aux") and "Imp" in c.morph.get("Tense") for c in root.children)


_FINAL_PUNCTUATION = (".", "!", "?", "…", "»", '"', ":")


def sentences(doc: Doc) -> list[Span]:
    """spaCy sentences, with verbless fragments cut off by a comma glued to the next one.

    The parser sometimes makes ``Lundi ,`` a sentence of its own; the date then belongs to what follows.
    """
    out: list[Span] = []
    pending: int | None = None
    for sent in doc.sents:
        start = sent.start if pending is None else pending
        text = sent.text.rstrip()
        verbless = not any(t.pos_ in ("VERB", "AUX") for t in sent)
        if verbless and not text.endswith(_FINAL_PUNCTUATION) and sent.end < len(doc):
            pending = start
            continue
        out.append(doc[start:sent.end])
        pending = None
    if pending is not None:
        out.append(doc[pending:len(doc)])
    return out


def _paragraph_events(para: ParsedParagraph, timexes: list[DatedTimex],
                      all_timex_spans: list[tuple[int, int]], signature: _Signature | None,
                      post_date: DatedTimex | None, recent: DatedTimex | None = None) -> list[_Event]:
    """Rules 1-8 over the sentences of one paragraph (each sentence looks up only its own expressions).

    ``recent``: the reference month, the date of a recent past (rule 8); None without a reference date.
    """
    events: list[_Event] = []
    previous_own: list[_Event] = []  # events of the previous sentence dated by its own expression
    dated = SpanIndex(timexes, lambda t: (t.start, t.end))
    spans = SpanIndex(all_timex_spans, lambda span: span)
    quotes = _Quotes(para.text)
    for sent in sentences(para.doc):
        lo, hi = sent.start_char, sent.end_char
        inside = [t for t in dated.starting_in(lo, hi) if signature is None or t is not signature.timex]
        has_any_timex = bool(spans.starting_in(lo, hi))
        found = events_of_sentence(para, sent, inside, timex_spans=list(spans.overlapping(lo, hi)),
                                   quotes=quotes)
        found = found + dated_happenings(para, sent, inside, found)
        own = found
        if not found and not has_any_timex:
            if post_date is not None:  # rule 6: a line of an embedded post speaks from the post's date
                found = events_of_sentence(para, sent, [post_date], inherited=True)
            elif previous_own and not _breaks_narrative(sent):  # rule 5
                found = events_of_sentence(para, sent, [previous_own[0].timex], inherited=True)
        if not found and not has_any_timex and recent is not None:  # rule 8
            found = recent_past_events(para, sent, recent)
        events.extend(found)
        previous_own = [event for event in own if not event.needs_participant]  # rule 5 follows triggers only
    if signature is not None:  # rule 4
        span = para.doc.char_span(signature.start, signature.end, alignment_mode="expand")
        if span is not None and len(span):
            events.append(_Event(para, span, signature.timex, Trigger(span.root, "statement"),
                                 trigger_lemma="publier"))
    return events
