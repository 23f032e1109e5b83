"""Rule 1: which tokens name an event (lexicon lookup, locutions, and the readings that name nothing:
negated verbs, page stamps, metaphorical deaths, objects that are not people)."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span, Token

from pipeline.events.records import Trigger
from pipeline.events.vocabulary import (
    _LOCUTION_FILLERS,
    _LOCUTION_WINDOW,
    DEATH_TRIGGERS,
    EVENT_LOCUTIONS,
    EVENT_TRIGGERS,
    HUMAN_NOUNS,
    NEEDS_PERSON_OBJECT,
    NEGATIVE_WORDS,
    STAMP_LEMMAS,
    STATEMENT_TRIGGERS,
)

# Dependency labels of a verb's clausal complements: an infinitive trigger here belongs to its governor.
_COMPLEMENT_DEPS = {"xcomp", "ccomp"}


def trigger_type(token: Token) -> str | None:
    """The event type a token names, or None (locution and lemma lookup plus the person-object check)."""
    found = trigger_reading(token)
    return found[0] if found else None


def trigger_reading(token: Token) -> tuple[str, str] | None:
    """(event type, trigger as written in the lexicon) of a token, or None.

    A locution (``mettre en vente``) wins over its head word alone; a negated verb or a page stamp names
    nothing.
    """
    lemma = token.lemma_.lower()
    if token.pos_ not in ("VERB", "NOUN", "AUX") and token.pos_ != "PROPN":
        return None
    locution = _locution(token)
    if locution is None and lemma not in EVENT_TRIGGERS and lemma not in STATEMENT_TRIGGERS:
        return None
    if _negated(token) or _page_stamp(token):
        return None
    if locution is not None:
        return locution
    if lemma in EVENT_TRIGGERS:
        if lemma in NEEDS_PERSON_OBJECT and token.pos_ == "VERB" and not _has_person_object(token):
            return None
        if lemma in DEATH_TRIGGERS and _metaphorical_death(token):
            return None
        return EVENT_TRIGGERS[lemma], lemma
    return "statement", lemma


def _locution(token: Token) -> tuple[str, str] | None:
    """The locution of the lexicon headed by ``token`` (its other words follow it closely), if any."""
    entries = EVENT_LOCUTIONS.get(token.lemma_.lower())
    if not entries:
        return None
    after = [t.lower_.replace("’", "'") for t in token.doc[token.i + 1:token.i + 1 + _LOCUTION_WINDOW]
             if t.is_alpha or "'" in t.text or "’" in t.text]
    after = [w for w in after if w not in _LOCUTION_FILLERS]
    for entry, kind in entries:
        if entry.reflexive and not any(c.lower_ in ("se", "s'", "s’") for c in token.children):
            continue
        if _in_order(entry.words, after):
            return kind, entry.entry
    return None


def _in_order(words: tuple[str, ...], seen: list[str]) -> bool:
    """Whether ``words`` occur in ``seen`` in this order, the first one among the first three."""
    position = 0
    for n, word in enumerate(words):
        try:
            found = seen.index(word, position)
        except ValueError:
            return False
        if n == 0 and found > 2:
            return False
        position = found + 1
    return True


def _person_like(token: Token) -> bool:
    """A PER entity, a proper noun, a pronoun or a noun naming people (``homme``, ``victime``)."""
    return (token.ent_type_ == "PER" or token.pos_ in ("PROPN", "PRON")
            or token.lemma_.lower() in HUMAN_NOUNS or token.lower_ in HUMAN_NOUNS)


def _metaphorical_death(token: Token) -> bool:
    """A death trigger whose subject (``le roman est mort``) or complement (``la mort du roman``) is not a
    person. A trigger with neither (``sa mort``, ``après le décès``) keeps its reading."""
    deps = ("nsubj", "nsubj:pass", "nmod") if token.pos_ == "NOUN" else ("nsubj", "nsubj:pass")
    # ``le roman est mort``: the copula makes ``mort`` the head of the subject; ``la mort du roman``: nmod
    who = [c for c in token.children if c.dep_ in deps]
    return bool(who) and not any(_person_like(c) for c in who)


def _negated(token: Token) -> bool:
    """A verb under ``ne ... pas/jamais/rien/plus``: the action did not take place."""
    if token.pos_ not in ("VERB", "AUX"):
        return False
    words = {c.lower_ for c in token.children}
    return bool(words & {"ne", "n'", "n’"}) and bool(words & NEGATIVE_WORDS)


def _page_stamp(token: Token) -> bool:
    """A participle opening its sentence with no subject or auxiliary: ``Publié le 24/11/2023 à 10h12``,
    ``Mis à jour le 25/11/2023``."""
    lemma = token.lemma_.lower()
    update = lemma == "mettre" and [t.lower_ for t in token.doc[token.i + 1:token.i + 3]] == ["à", "jour"]
    if (lemma not in STAMP_LEMMAS and not update) or "Part" not in token.morph.get("VerbForm"):
        return False
    first = next((t for t in token.sent if t.is_alpha), None)
    return first is not None and first.i == token.i and not any(
        c.dep_.startswith(("nsubj", "aux")) for c in token.children)


def _has_person_object(verb: Token) -> bool:
    if any(c.dep_ in ("aux:pass", "nsubj:pass") for c in verb.children):
        return True
    return any(c.dep_ == "obj" and (c.pos_ in ("PROPN", "PRON") or c.ent_type_ == "PER")
               for c in verb.children)


def sentence_triggers(sent: Span, timex_spans: Sequence[tuple[int, int]] = ()) -> list[Trigger]:
    """Trigger tokens of a sentence, without infinitives that complete another trigger (rule 1) and
    without words inside a temporal expression (``un jour après son limogeage`` dates, it is not dated)."""
    found = []
    for token in sent:
        reading = trigger_reading(token)
        if reading is None or any(start <= token.idx < end for start, end in timex_spans):
            continue
        head = token.head
        if (token.dep_ in _COMPLEMENT_DEPS and "Inf" in token.morph.get("VerbForm") and head is not token
                and trigger_type(head) is not None):
            continue
        found.append(Trigger(token, *reading))
    return found
