"""Rules 2, 3, 7 and 8: which temporal expression dates which trigger of a sentence (tree distance,
hypothetical and future verbs, quotations), happenings dated without a trigger, and the recent past."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from spacy.tokens import Span, Token

from pipeline.events.records import DatedTimex, Trigger, _Event
from pipeline.events.triggers import _negated, _page_stamp, sentence_triggers, trigger_reading
from pipeline.events.vocabulary import IRREALIS_GOVERNORS
from pipeline.model import ParsedParagraph
from pipeline.temporal import is_conditional, verb_tense

# A relative or participial clause asserts on its own: ``X, qui se déroulera en 2023, Y prévoit ...`` is not
# under ``prévoir``.
_OWN_CLAUSE_DEPS = {"acl:relcl", "acl"}
# Granularities that name a period rather than the date of something that happened (rule 7).
_PERIOD_GRANULARITIES = {"decade", "century"}
_VERB_HOPS = 3  # rule 7: how far above a date its verb may be


class _Quotes:
    """Where a paragraph's quotation marks are, to tell in O(log n) whether a position is inside a «...»
    or "..." quotation (counting the marks before it in the text each time is quadratic)."""

    def __init__(self, text: str):
        self._marks = {mark: [m.start() for m in re.finditer(mark, text)] for mark in '«»"'}

    def inside(self, position: int) -> bool:
        def before(mark: str) -> int:
            return bisect_left(self._marks[mark], position)

        return before("«") > before("»") or before('"') % 2 == 1


def _tree_distance(a: Token, b: Token) -> int:
    """Number of dependency arcs between two tokens of the same sentence."""
    path_a = [a, *a.ancestors]
    depth_a = {t.i: n for n, t in enumerate(path_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in depth_a:
            return depth_a[t.i] + n
    return 10_000 + abs(a.i - b.i)


def _timex_token(para: ParsedParagraph, timex: DatedTimex) -> Token | None:
    span = para.doc.char_span(timex.start, timex.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _is_hypothetical(token: Token) -> bool:
    """A trigger that names a possibility, a wish or an order rather than a dated fact.

    Present conditional (``démissionneraient``), an infinitive under a conditional or imperative verb
    (``pourrait démissionner``, ``allez dire``), or anything under a wish/intent verb (``veut son
    retour``). A past conditional (``aurait été licencié``) is the press's hedged past and stays an event.
    """
    if token.pos_ in ("VERB", "AUX"):
        group = [token, *(c for c in token.children if c.dep_.startswith("aux"))]
        if any(is_conditional(t) for t in group) and "Part" not in token.morph.get("VerbForm"):
            return True
    governor, hops = token.head, 0
    while governor is not token and hops < 2 and token.dep_ not in _OWN_CLAUSE_DEPS:
        if governor.lemma_.lower() in IRREALIS_GOVERNORS:
            return True
        if ("Inf" in token.morph.get("VerbForm") and hops == 0
                and ("Imp" in governor.morph.get("Mood") or is_conditional(governor))):
            return True
        if governor.head is governor:
            break
        token, governor, hops = governor, governor.head, hops + 1
    return False


def admissible(trigger: Trigger, timex_token: Token, quotes: _Quotes | None = None) -> bool:
    """Whether a temporal expression may date a trigger of the same sentence.

    A hypothetical verb dates nothing; a future verb only the expression that depends on it directly
    (``il sera jugé lundi``); a speech verb outside a quotation not the expression inside it.
    ``quotes``: the paragraph's quotation marks, when the caller has them already.
    """
    token = trigger.token
    if _is_hypothetical(token):
        return False
    if token.pos_ in ("VERB", "AUX") and verb_tense(token) == "future" and timex_token.head != token:
        return False
    if trigger.event_type != "statement":
        return True
    quotes = quotes or _Quotes(token.doc.text)
    return not (quotes.inside(timex_token.idx) and not quotes.inside(token.idx))


def events_of_sentence(para: ParsedParagraph, sent: Span, timexes: list[DatedTimex],
                       inherited: bool = False, timex_spans: Sequence[tuple[int, int]] = (),
                       quotes: _Quotes | None = None) -> list[_Event]:
    """Rules 1-3: one event per event type of the sentence, dated by the nearest admissible expression.

    ``inherited``: the expression comes from the previous sentence, so only the verbs' own tense counts.
    ``timex_spans``: the spans of the expressions that overlap the sentence (valued or not).
    """
    triggers = sentence_triggers(sent, timex_spans)
    if not triggers or not timexes:
        return []
    if inherited:
        timex = timexes[0]
        return [_Event(para, sent, timex, t) for t in _one_per_type(triggers)
                if not _is_hypothetical(t.token)]
    anchored = [(t, tok) for t in timexes if (tok := _timex_token(para, t)) is not None]
    best: dict[str, tuple[int, _Event]] = {}
    for trigger in triggers:
        candidates = [(t, tok) for t, tok in anchored if admissible(trigger, tok, quotes)]
        if not candidates:
            continue
        timex, token = min(candidates, key=lambda pair: _tree_distance(trigger.token, pair[1]))
        distance = _tree_distance(trigger.token, token)
        current = best.get(trigger.event_type)
        if current is None or distance < current[0]:
            best[trigger.event_type] = (distance, _Event(para, sent, timex, trigger))
    return [event for _, event in sorted(best.values(), key=lambda pair: pair[1].trigger.token.i)]


def dated_happenings(para: ParsedParagraph, sent: Span, timexes: list[DatedTimex],
                     events: list[_Event]) -> list[_Event]:
    """Rule 7: each valued expression of the sentence that no trigger took dates the verb governing it, as
    an event of type ``other`` (``la dernière version s'est écoulée en 2022``, ``qui a eu lieu le 25 mai``).

    Not for a decade or a century (a period, not a happening), nor for a verb that names nothing that took
    place (negated, hypothetical, wished, a page stamp), nor in a verbless sentence. One event per value.
    """
    used = {event.timex.timex_id for event in events}
    values = {event.timex.value for event in events}
    out: list[_Event] = []
    for timex in timexes:
        if timex.timex_id in used or timex.value in values or timex.granularity in _PERIOD_GRANULARITIES:
            continue
        token = _timex_token(para, timex)
        verb = _governing_verb(token, sent) if token is not None else None
        if (verb is None or _negated(verb) or _page_stamp(verb) or _is_hypothetical(verb)
                or any(_conditional_form(t) for t in sent.doc[min(verb.i, token.i):max(verb.i, token.i)])):
            continue
        values.add(timex.value)
        trigger = Trigger(verb, "other", verb.lemma_.lower())
        out.append(_Event(para, sent, timex, trigger, needs_participant=True))
    return out


def _conditional_form(token: Token) -> bool:
    """A present conditional, also when the tagger misreads it (``démissionneraient`` as an adjective)."""
    return is_conditional(token) or (token.pos_ not in ("NOUN", "PROPN")
                                      and token.lower_.endswith(("erait", "eraient", "irait", "iraient")))


def recent_past_events(para: ParsedParagraph, sent: Span, recent: DatedTimex) -> list[_Event]:
    """Rule 8: ``venir de`` + a trigger's infinitive in the present (``X vient de prendre la présidence``)
    is a recent past, dated by the reference month. Only a trigger: an untyped recent happening (``vient de
    démarrer``) is too vague to place. ``venait de`` speaks of a past moment, not of now."""
    out: list[_Event] = []
    for token in sent:
        if token.lemma_.lower() != "venir" or "Pres" not in token.morph.get("Tense") or _negated(token):
            continue
        for verb in token.children:
            if (verb.dep_ != "xcomp" or "Inf" not in verb.morph.get("VerbForm")
                    or not any(c.dep_ == "mark" and c.lower_ in ("de", "d'", "d’") for c in verb.children)):
                continue
            reading = trigger_reading(verb)
            if reading is not None:
                out.append(_Event(para, sent, recent, Trigger(verb, *reading)))
    return out


def _governing_verb(token: Token, sent: Span) -> Token | None:
    """The nearest verb above the expression (``s'est écoulée en 2022``; ``mis en vente le 29 septembre``,
    where the parser hangs the date on ``vente``), at most ``_VERB_HOPS`` arcs up and inside the sentence.

    None in a verbless sentence or when the way up passes a conditional.
    """
    current = token
    for _ in range(_VERB_HOPS):
        head = current.head
        if head.i == current.i or not sent.start <= head.i < sent.end:
            return None
        if is_conditional(head) or "Cnd" in head.morph.get("Mood"):
            return None
        if head.pos_ in ("VERB", "AUX"):
            return head
        current = head
    return None


def _one_per_type(triggers: list[Trigger]) -> list[Trigger]:
    seen: dict[str, Trigger] = {}
    for trigger in triggers:
        seen.setdefault(trigger.event_type, trigger)
    return list(seen.values())
