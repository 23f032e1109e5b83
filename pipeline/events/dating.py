"""Rules 2, 3, 7 and 8 as far as the parse decides them: which expressions of a sentence may date a trigger
and how far they are in the tree, which verb an expression dates when no trigger takes it, and the
recent past. Which expression wins depends on the values and is decided over rows (``resolve``)."""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.tokens import Span, Token

from pipeline.events.records import Trigger
from pipeline.events.triggers import _negated, _page_stamp, trigger_reading
from pipeline.events.vocabulary import IRREALIS_GOVERNORS
from pipeline.french.tense import is_conditional, verb_tense

# A relative or participial clause asserts on its own: ``X, qui se déroulera en 2023, Y prévoit ...`` is not
# under ``prévoir``.
_OWN_CLAUSE_DEPS = {"acl:relcl", "acl"}
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


def tree_distance(a: Token, b: Token) -> int:
    """Number of dependency arcs between two tokens of the same sentence."""
    path_a = [a, *a.ancestors]
    depth_a = {t.i: n for n, t in enumerate(path_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in depth_a:
            return depth_a[t.i] + n
    return 10_000 + abs(a.i - b.i)


def is_hypothetical(token: Token) -> bool:
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
    if is_hypothetical(token):
        return False
    if token.pos_ in ("VERB", "AUX") and verb_tense(token) == "future" and timex_token.head != token:
        return False
    if trigger.event_type != "statement":
        return True
    quotes = quotes or _Quotes(token.doc.text)
    return not (quotes.inside(timex_token.idx) and not quotes.inside(token.idx))


def happening_verb(timex_token: Token, sent: Span) -> Token | None:
    """Rule 7: the verb an expression dates as a happening of type ``other`` when no trigger takes it
    (``la dernière version s'est écoulée en 2022``, ``qui a eu lieu le 25 mai``), or None.

    None for a verb that names nothing that took place (negated, hypothetical, wished, a page stamp, a
    conditional between the verb and the date), and in a verbless sentence. Whether the expression is free
    and names a day rather than a period depends on the values: see ``resolve``.
    """
    verb = _governing_verb(timex_token, sent)
    if (verb is None or _negated(verb) or _page_stamp(verb) or is_hypothetical(verb)
            or any(_conditional_form(t)
                   for t in sent.doc[min(verb.i, timex_token.i):max(verb.i, timex_token.i)])):
        return None
    return verb


def _conditional_form(token: Token) -> bool:
    """A present conditional, also when the tagger misreads it (``démissionneraient`` as an adjective)."""
    return is_conditional(token) or (token.pos_ not in ("NOUN", "PROPN")
                                      and token.lower_.endswith(("erait", "eraient", "irait", "iraient")))


def recent_past_triggers(sent: Span) -> list[Trigger]:
    """Rule 8: ``venir de`` + a trigger's infinitive in the present (``X vient de prendre la présidence``)
    is a recent past, dated by the reference month. Only a trigger: an untyped recent happening (``vient de
    démarrer``) is too vague to place. ``venait de`` speaks of a past moment, not of now."""
    out: list[Trigger] = []
    for token in sent:
        if token.lemma_.lower() != "venir" or "Pres" not in token.morph.get("Tense") or _negated(token):
            continue
        for verb in token.children:
            if (verb.dep_ != "xcomp" or "Inf" not in verb.morph.get("VerbForm")
                    or not any(c.dep_ == "mark" and c.lower_ in ("de", "d'", "d’") for c in verb.children)):
                continue
            reading = trigger_reading(verb)
            if reading is not None:
                out.append(Trigger(verb, *reading))
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


def inheritable(triggers: list[Trigger]) -> list[Trigger]:
    """Rules 5 and 6: the triggers a sentence without an expression of its own dates with a borrowed one:
    the first of each event type, unless it is hypothetical."""
    seen: dict[str, Trigger] = {}
    for trigger in triggers:
        seen.setdefault(trigger.event_type, trigger)
    return [trigger for trigger in seen.values() if not is_hypothetical(trigger.token)]
