"""The ``timex_detector`` spaCy component: every temporal expression of one parsed paragraph, in
``doc.spans["timex"]``, with everything resolution will need from the parse read here once.

Detection (``detect.py``) is regexes plus what only the parse can say (tense, names, counts). Resolution
(``resolve.py``) runs over rows, without the doc, so the parse facts it used to look up are computed here:
the sentence a yearless date sits in, the words that name what a day dates, and the event offset of an
event-anchored phrase.

The group holds one span per token span (``alignment_mode="expand"``); its ``timex_found`` extension is
the expressions inside it, in reading order. Two expressions can share a token (``2015-2018`` is one token
and two years), and span extensions are stored by character offsets, so they are kept together on one span
rather than on two spans that would share a value.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.temporal.detect import detect
from pipeline.temporal.event_offsets import event_offset
from pipeline.temporal.timex import Timex
from pipeline.temporal.vocabulary import EVENT_ANCHORED

COMPONENT = "timex_detector"
SPANS_KEY = "timex"
SPAN_LABEL = "TIMEX"
FOUND = "timex_found"  # Span extension: the Timex objects of the span, in reading order

Span.set_extension(FOUND, default=None, force=True)

_EVENT_HOPS = 3  # arcs from the date up to the noun or the verb it hangs on
_EVENT_ROLES = ("nsubj", "nsubj:pass", "obj")


@Language.factory(COMPONENT)
def make_timex_detector(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """The component: needs a parsed doc (tokens, morph, deps, sents, ents); changes none of it."""
    return detect_timexes


def detect_timexes(doc: Doc) -> Doc:
    """Write the paragraph's expressions to ``doc.spans["timex"]``."""
    text = doc.text
    groups: list[tuple[Span, list[Timex]]] = []
    for timex in detect(doc, text):
        with_parse_facts(timex, doc, text)
        span = doc.char_span(timex.start, timex.end, label=SPAN_LABEL, alignment_mode="expand")
        if groups and (groups[-1][0].start, groups[-1][0].end) == (span.start, span.end):
            groups[-1][1].append(timex)
        else:
            groups.append((span, [timex]))
    for span, found in groups:
        span._.set(FOUND, tuple(found))
    doc.spans[SPANS_KEY] = [span for span, _ in groups]
    return doc


def found_in(doc: Doc) -> list[Timex]:
    """The expressions the component wrote to ``doc``, in reading order."""
    return [timex for span in doc.spans.get(SPANS_KEY, ()) for timex in span._.get(FOUND)]


def with_parse_facts(timex: Timex, doc: Doc, text: str) -> Timex:
    """``timex`` with what resolution needs from the parse (in place)."""
    if timex.month_day is not None:
        timex.sentence_start = _sentence_start(doc, timex)
    if timex.granularity == "day" and EVENT_ANCHORED not in timex.flags:
        timex.event_words = _event_words(doc, timex)
    if EVENT_ANCHORED in timex.flags:
        timex.offset = event_offset(text[timex.start:timex.end])
    return timex


def _sentence_start(doc: Doc, timex: Timex) -> int | None:
    """Where the sentence of the expression starts (``L'an dernier, ... le 20 décembre``: a year stated
    earlier in the same sentence gives the yearless date its year)."""
    span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.sent.start_char


def _event_words(doc: Doc, timex: Timex) -> tuple[tuple[str, int], ...]:
    """The words that may name the event a day expression dates, with their offsets: the heads above the
    date up to the first verb (``le scrutin du 12 mars``), and that verb's subjects and objects (``le
    scrutin aura lieu le 12 mars``). A day dates the event ``noun`` when one of them is the noun (outside
    the event-anchored phrase that asks, which resolution checks by offset)."""
    span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return ()
    words: list[tuple[str, int]] = []
    token = span.root
    for _ in range(_EVENT_HOPS):
        if token.head.i == token.i:
            break
        token = token.head
        words.append((token.lower_, token.idx))
        if token.pos_ in ("VERB", "AUX"):
            words.extend((child.lower_, child.idx) for child in token.children if child.dep_ in _EVENT_ROLES)
            break
    return tuple(words)
