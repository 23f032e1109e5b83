"""``event_detector``: the registered spaCy component that finds, in one parsed paragraph, everything about
dated events that the parse decides, and writes it to ``doc.spans``. Which expression finally dates which
trigger depends on the expressions' values, which change when an article is re-dated: that is decided over
the exported rows (``candidates`` exports, ``resolve`` decides), never over the doc again.

Input: the paragraph's temporal expressions, set by the caller on ``doc._.event_timexes`` as
``[(timex_id, start, end)]`` (character offsets in the doc, in reading order) from the
``temporal_expressions`` rows; unset, the paragraph has none. Values play no part here. The caller may
also hand over the doc's text as ``doc._.event_text`` when it has it already (spaCy joins the tokens again
at every ``doc.text``).

Output (one span group per kind; a group's attributes are set on each of its spans on every run; two
groups may hold a span at the same offsets, so an attribute two groups share has the same value in both):

- ``doc.spans["event_sentence"]``: the sentences the rules read (:func:`sentences`), with
  ``_.event_has_timex`` (an expression starts in it) and ``_.event_breaks_narrative`` (rule 5; None where
  no trigger could borrow a date);
- ``doc.spans["event_trigger"]``: trigger tokens (rule 1), label = event type; ``_.event_trigger`` (the
  lexicon entry), ``_.event_dates`` (in a sentence with expressions: ``[(timex_id, tree distance)]`` of
  those that may date it, rules 2-3, in reading order), ``_.event_inheritable`` (in a sentence without:
  whether it takes a borrowed date, rules 5-6), ``_.event_designators``;
- ``doc.spans["event_happening"]``: rule 7, the verbs an expression would date when no trigger takes it,
  label ``other``; ``_.event_happening_dates`` (their timex ids), ``_.event_designators``;
- ``doc.spans["event_recent"]``: rule 8, ``venir de`` + a trigger in a sentence without expression, label =
  event type; ``_.event_trigger``, ``_.event_designators``;
- ``doc.spans["event_signature"]``: rule 4, the signature line of an embedded post, label ``statement``;
  ``_.event_signature_dates`` (the expressions starting in it), ``_.event_designators``.

``_.event_designators``: character offsets of the subjects that refer back to an organisation
(``l'entreprise a écoulé ...``), whose antecedent is looked up among the entity mentions at resolution.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pipeline.events.dating import (
    _Quotes,
    admissible,
    happening_verb,
    inheritable,
    recent_past_triggers,
    tree_distance,
)
from pipeline.events.paragraphs import breaks_narrative, sentences
from pipeline.events.records import Trigger
from pipeline.events.triggers import sentence_triggers
from pipeline.events.vocabulary import ORG_DESIGNATORS
from pipeline.french.posts import DATED_SIGNATURE
from pipeline.spans import SpanIndex

COMPONENT = "event_detector"
SENTENCES, TRIGGERS, HAPPENINGS, RECENT, SIGNATURES = (
    "event_sentence", "event_trigger", "event_happening", "event_recent", "event_signature")
TimexSpan = tuple[str, int, int]  # timex_id, start and end in the doc's text

Doc.set_extension("event_timexes", default=None, force=True)
Doc.set_extension("event_text", default=None, force=True)
for _name in ("event_has_timex", "event_breaks_narrative", "event_trigger", "event_dates",
              "event_inheritable", "event_designators", "event_happening_dates", "event_signature_dates"):
    Span.set_extension(_name, default=None, force=True)


@Language.factory(COMPONENT)
def make_event_detector(nlp: Language, name: str) -> EventDetector:
    """The factory ``nlp.add_pipe("event_detector")`` calls; the component holds no state."""
    return EventDetector()


class EventDetector:
    """Writes the paragraph's triggers, happenings, recent pasts and post signature to ``doc.spans``."""

    def __call__(self, doc: Doc) -> Doc:
        timexes = SpanIndex(doc._.event_timexes or [], lambda t: (t[1], t[2]))
        text = doc._.event_text or doc.text
        quotes = _Quotes(text)
        groups: dict[str, list[Span]] = {key: [] for key in (SENTENCES, TRIGGERS, HAPPENINGS, RECENT)}
        for sent in sentences(doc):
            _detect_in_sentence(sent, timexes, quotes, groups)
        groups[SIGNATURES] = _signatures(doc, text, timexes)
        for key, spans in groups.items():
            doc.spans[key] = spans
        return doc


def _detect_in_sentence(sent: Span, timexes: SpanIndex[TimexSpan], quotes: _Quotes,
                        groups: dict[str, list[Span]]) -> None:
    lo, hi = sent.start_char, sent.end_char
    inside = timexes.starting_in(lo, hi)
    sent._.event_has_timex = bool(inside)
    sent._.event_breaks_narrative = None
    groups[SENTENCES].append(sent)
    if not inside:  # rules 5, 6 and 8: only a borrowed date or the reference month can date it
        triggers = sentence_triggers(sent)
        taking = {trigger.token.i for trigger in inheritable(triggers)}
        if taking:
            sent._.event_breaks_narrative = breaks_narrative(sent)
        for trigger in triggers:
            groups[TRIGGERS].append(_trigger_span(trigger, sent, [], trigger.token.i in taking))
        groups[RECENT].extend(_trigger_span(trigger, sent) for trigger in recent_past_triggers(sent))
        return
    triggers = sentence_triggers(sent, [(start, end) for _, start, end in timexes.overlapping(lo, hi)])
    anchored = [(timex_id, token) for timex_id, start, end in inside
                if (token := _token_at(sent.doc, start, end)) is not None]
    for trigger in triggers:
        dates = [(timex_id, tree_distance(trigger.token, token)) for timex_id, token in anchored
                 if admissible(trigger, token, quotes)]
        groups[TRIGGERS].append(_trigger_span(trigger, sent, dates, False))
    verbs: dict[int, list[str]] = {}
    for timex_id, token in anchored:
        verb = happening_verb(token, sent)
        if verb is not None:
            verbs.setdefault(verb.i, []).append(timex_id)
    for i, dated in verbs.items():
        span = Span(sent.doc, i, i + 1, label="other")
        attributes = span._
        attributes.event_happening_dates = dated
        attributes.event_designators = designators(sent.doc[i], sent)
        groups[HAPPENINGS].append(span)


def _trigger_span(trigger: Trigger, sent: Span, dates: list[tuple[str, int]] | None = None,
                  takes_borrowed: bool | None = None) -> Span:
    token = trigger.token
    span = Span(token.doc, token.i, token.i + 1, label=trigger.event_type)
    attributes = span._
    attributes.event_trigger = trigger.written
    attributes.event_designators = designators(token, sent)
    if dates is not None:
        attributes.event_dates = dates
        attributes.event_inheritable = takes_borrowed
    return span


def _signatures(doc: Doc, text: str, timexes: SpanIndex[TimexSpan]) -> list[Span]:
    """Rule 4: the signature line of an embedded post (``– Name (@handle) 19 novembre 2023``)."""
    match = DATED_SIGNATURE.search(text)
    if match is None:
        return []
    line = doc.char_span(match.start(), match.end(), alignment_mode="expand")
    if line is None or not len(line):
        return []
    span = Span(doc, line.start, line.end, label="statement")
    inside = timexes.starting_in(match.start(), match.end())
    span._.event_signature_dates = [timex_id for timex_id, _, _ in inside]
    span._.event_designators = designators(line.root, line)
    return [span]


def _token_at(doc: Doc, start: int, end: int) -> Token | None:
    """The root token of an expression's characters (expanded to whole tokens)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def designators(token: Token, sent: Span) -> list[int]:
    """Character offsets of the subjects of the event's verb (or of its sentence's main verb) that refer
    back to an organisation: a noun of ``event_org_designators.txt`` after a definite or demonstrative
    article (``le journal américain, qui a racheté ...``: the relative ``qui`` stands for the noun it
    follows)."""
    found = []
    for verb in (token, sent.root):
        for child in verb.children:
            if not child.dep_.startswith("nsubj"):
                continue
            noun = verb.head if "Rel" in child.morph.get("PronType") and verb.dep_ == "acl:relcl" else child
            if noun.lemma_.lower() in ORG_DESIGNATORS and any(
                    d.dep_ == "det" and d.lemma_.lower() in ("le", "ce") for d in noun.children):
                found.append(noun.idx)
    return found
