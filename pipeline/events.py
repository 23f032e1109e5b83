"""Dated events (one row per dated action a reader would put on a timeline) and the cross-article timeline.

An event is a sentence of the article in which a temporal expression with a value dates an action named
by a trigger word. Triggers are spaCy lemmas looked up in ``EVENT_TRIGGERS`` (verbs and the nouns naming
the same action); the temporal expression is attached to the trigger closest to it in the dependency
tree. Rules, in order:

1. for each sentence, the triggers it contains (a verb in the infinitive governed by another trigger is
   part of that trigger's event: ``menacent de quitter`` is one threat, not a threat and a resignation);
2. each trigger takes the valued temporal expression of its sentence that is nearest in the dependency
   tree; one event per (sentence, event type), the trigger nearest to the expression naming it;
3. a speech verb alone (``a déclaré lundi``) makes a ``statement``; a statement is dropped when the same
   sentence dates a more specific event (``a annoncé vendredi le licenciement de ...``);
4. the signature of an embedded social-media post (``– Name (@handle) 19 novembre 2023``) is a dated
   statement of its author;
5. a sentence with triggers but no temporal expression of its own inherits the date of the sentence just
   before it in the same paragraph when that sentence produced an event with its own date (one hop only:
   ``Mardi, X a été recruté par Y. Plus de 500 employés menacent de partir.``), unless its verb is in a
   tense that moves the narrative away from that date (pluperfect, future, conditional);
6. the lines of an embedded post (see ``temporal.post_date_paragraphs``) without a date of their own are
   dated by the post's signature;
7. a valued expression no trigger took dates the verb it depends on as a happening of type ``other``
   (``la dernière version s'est écoulée en 2022``), kept only when the sentence names a participant;
8. ``venir de`` + a trigger's infinitive in the present (``vient de prendre la présidence``) is dated by
   the reference month.
Triggers are data: ``pipeline/lexicons/event_triggers.txt`` (lemmas and locutions such as ``mettre en
vente``) and ``event_statement_triggers.txt``.
A trigger that names a possibility, a wish or an order (present conditional, ``veut son retour``,
``pourrait démissionner``) dates nothing, and a future verb only takes an expression that depends on it.
Nor does a negated verb (``n'a jamais été arrêtée``), a page stamp (``Publié le 24/11/2023 à 10h12``), or a
death whose subject or complement is not a person (``le roman est mort``, ``la mort du roman``).

Participants are the canonical names (``entities.name``) of the entity mentions inside the sentence, in
reading order, after the organisation a designator subject refers back to (``l'entreprise a écoulé ...``:
the ORG entity named last before it;
``pipeline/lexicons/event_org_designators.txt``). ``build_timeline`` then merges the same real-world event
reported by several articles.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl
from dateutil.relativedelta import relativedelta
from spacy.tokens import Doc, Span, Token

from pipeline.lexicons import read_lexicon
from pipeline.model import DocumentParse, ParsedParagraph
from pipeline.schemas import empty_frame
from pipeline.spans import SpanIndex
from pipeline.temporal import POST_SIGNATURE, is_conditional, post_date_paragraphs, verb_tense

# Optional words between the words of a locution (``a été mis en vente``, ``prend la tête``).
_LOCUTION_FILLERS = {"le", "la", "les", "l'", "l’", "un", "une", "des", "du", "se", "s'", "s’", "sa",
                     "son", "ses", "leur", "leurs"}
_LOCUTION_WINDOW = 6  # tokens after the head word in which a locution's other words must appear


@dataclass(frozen=True)
class Locution:
    """A trigger of several words: the head lemma and the words that must follow it (``mettre en vente``)."""

    lemma: str
    words: tuple[str, ...]
    reflexive: bool  # ``se tenir``: the verb needs its reflexive clitic
    entry: str = ""  # as written in the lexicon: the ``trigger`` column


def _parse_entry(entry: str) -> Locution:
    words = entry.lower().replace("’", "'").split()
    reflexive = words[0] in ("se", "s'")
    if reflexive:
        words = words[1:]
    elif words[0].startswith("s'"):
        reflexive, words = True, [words[0][2:], *words[1:]]
    return Locution(words[0], tuple(w for w in words[1:] if w not in _LOCUTION_FILLERS), reflexive,
                    " ".join(entry.lower().split()))


def _typed_lexicon(name: str) -> list[tuple[str, Locution]]:
    """``(event type, entry)`` of ``pipeline/lexicons/<name>`` (lines ``type: entry``)."""
    out = []
    for line in read_lexicon(name):
        kind, _, entry = line.partition(":")
        out.append((kind.strip(), _parse_entry(entry.strip())))
    return out


_TRIGGER_ENTRIES = _typed_lexicon("event_triggers.txt")
_STATEMENT_ENTRIES = [_parse_entry(entry) for entry in read_lexicon("event_statement_triggers.txt")]
# Trigger lexicon (``pipeline/lexicons/event_triggers.txt``): single-word lemma -> event type of the shared
# taxonomy; locutions (``mettre en vente``, ``prendre la présidence``) by head lemma.
EVENT_TRIGGERS: dict[str, str] = {
    e.lemma: kind for kind, e in _TRIGGER_ENTRIES if not e.words and not e.reflexive}
EVENT_LOCUTIONS: dict[str, list[tuple[Locution, str]]] = {}
for _kind, _entry in _TRIGGER_ENTRIES:
    if _entry.words or _entry.reflexive:
        EVENT_LOCUTIONS.setdefault(_entry.lemma, []).append((_entry, _kind))
# Speech and publication verbs and nouns (``pipeline/lexicons/event_statement_triggers.txt``): a dated one
# makes a ``statement`` event.
STATEMENT_TRIGGERS = {e.lemma for e in _STATEMENT_ENTRIES if not e.words}
for _entry in _STATEMENT_ENTRIES:
    if _entry.words:
        EVENT_LOCUTIONS.setdefault(_entry.lemma, []).append((_entry, "statement"))
# Triggers whose event reading needs a person (or pronoun) as object or a passive voice: ``arrêter la
# production`` is not an arrest, ``juger que`` is an opinion, ``le jeu débarque lundi`` is an arrival.
NEEDS_PERSON_OBJECT = {"arrêter", "juger", "engager", "lever", "conclure", "adopter", "renvoyer", "débarquer"}
# Verbs of wish, intent or attempt: a trigger they govern is not (yet) a fact (``veut son retour``,
# ``cherche à le recruter``). General French modality vocabulary.
IRREALIS_GOVERNORS = {
    "vouloir", "souhaiter", "espérer", "envisager", "chercher", "tenter", "essayer", "exiger", "réclamer",
    "demander", "proposer", "rêver", "craindre", "refuser", "viser", "prévoir",
}
# Death triggers: a death needs a person-like subject (``le roman est mort`` is a metaphor).
DEATH_TRIGGERS = {"mourir", "décéder", "succomber", "mort", "décès"}
# Nouns naming people, general French vocabulary: the subject of a death when no PER entity is.
HUMAN_NOUNS = {
    "homme", "femme", "enfant", "garçon", "fille", "bébé", "nourrisson", "adolescent", "adolescente",
    "jeune", "personne", "victime", "individu", "quinquagénaire", "sexagénaire", "octogénaire",
    "nonagénaire", "centenaire", "septuagénaire", "quadragénaire", "trentenaire", "vingtaine", "dizaine",
    "père", "mère", "fils", "frère", "sœur", "mari", "épouse", "époux", "grand-père", "grand-mère", "oncle",
    "tante", "cousin", "cousine", "ami", "amie", "voisin", "voisine", "habitant", "habitante", "patient",
    "patiente", "malade", "blessé", "blessée", "passant", "passante", "piéton", "piétonne", "conducteur",
    "conductrice", "automobiliste", "motard", "cycliste", "passager", "passagère", "randonneur", "alpiniste",
    "nageur", "baigneur", "soldat", "militaire", "policier", "policière", "gendarme", "pompier", "agent",
    "otage", "détenu", "détenue", "prisonnier", "prisonnière", "migrant", "migrante", "réfugié", "civil",
    "ouvrier", "ouvrière", "salarié", "salariée", "employé", "employée", "agriculteur", "éleveur", "pêcheur",
    "acteur", "actrice", "chanteur", "chanteuse", "artiste", "écrivain", "écrivaine", "auteur", "autrice",
    "musicien", "musicienne", "peintre", "cinéaste", "réalisateur", "réalisatrice", "journaliste",
    "photographe", "comédien", "comédienne", "poète", "philosophe", "sportif", "sportive", "joueur",
    "joueuse", "athlète", "champion", "championne", "entraîneur", "pilote", "ministre", "président",
    "présidente", "maire", "député", "députée", "sénateur", "sénatrice", "dirigeant", "dirigeante", "patron",
    "patronne", "fondateur", "fondatrice", "chef", "roi", "reine", "prince", "princesse", "pape", "prêtre",
    "évêque", "médecin", "infirmier", "infirmière", "professeur", "élève", "étudiant", "étudiante", "suspect",
    "suspecte", "survivant", "survivante", "résistant", "résistante", "vétéran", "figure", "légende",
    "star", "vedette", "icône", "célébrité", "défunt", "défunte", "créateur", "créatrice", "styliste",
    "animateur", "animatrice", "chercheur", "chercheuse", "scientifique", "directeur", "directrice",
    "militant", "militante", "opposant", "opposante", "manifestant", "manifestante", "résident",
    "résidente", "moine", "religieuse", "ancien", "ancienne", "doyen", "doyenne",
}
# Nouns that refer back to an organisation named earlier (``l'entreprise``, ``le journal``).
ORG_DESIGNATORS = frozenset(read_lexicon("event_org_designators.txt"))
# Negative words completing ``ne``: ``n'a pas démissionné``, ``n'a jamais été arrêté``, ``n'a rien déclaré``
# are not events (``ne ... que``, a restriction, is not among them).
NEGATIVE_WORDS = {"pas", "jamais", "plus", "rien", "point", "guère", "nullement", "aucunement", "personne"}
# Trigger participles that open a page stamp (``Publié le 24/11/2023 à 10h12``, ``Publié par la
# rédaction``): the page's own history, not a statement by anyone.
STAMP_LEMMAS = {"publier", "modifier", "actualiser"}
# Dependency labels of a verb's clausal complements: an infinitive trigger here belongs to its governor.
_COMPLEMENT_DEPS = {"xcomp", "ccomp"}
# A relative or participial clause asserts on its own: ``X, qui se déroulera en 2023, Y prévoit ...`` is not
# under ``prévoir``.
_OWN_CLAUSE_DEPS = {"acl:relcl", "acl"}
# Tenses after which a sentence no longer speaks of the previous sentence's date (rule 5).
_BREAKING_TENSES = {"future", "conditional", "unknown"}
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


@dataclass(frozen=True)
class Trigger:
    token: Token
    event_type: str
    name: str = ""  # the lexicon entry (``mettre en vente``); empty: the token's lemma


@dataclass(frozen=True)
class DatedTimex:
    timex_id: str | None  # None: the reference date itself (rule 8)
    start: int  # offset in the paragraph's doc (``ParsedParagraph.local_offset``), not in the source text
    end: int
    value: str
    granularity: str


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


@dataclass
class _Event:
    para: ParsedParagraph
    sent: Span  # the sentence (or the signature line of an embedded post)
    timex: DatedTimex
    trigger: Trigger
    trigger_lemma: str | None = None  # overrides the trigger token's lemma (a post signature: ``publier``)
    needs_participant: bool = False  # rule 7: a happening with no participant is dropped


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


def _breaks_narrative(sent: Span) -> bool:
    """A sentence whose main verb is future/conditional/pluperfect does not continue the previous date."""
    root = sent.root
    if root.pos_ not in ("VERB", "AUX"):
        return False
    if verb_tense(root) in _BREAKING_TENSES:
        return True
    return any(c.dep_.startswith("aux") and "Imp" in c.morph.get("Tense") for c in root.children)


@dataclass(frozen=True)
class _Signature:
    """An embedded post's signature line: its date and the character span of the signature."""

    timex: DatedTimex
    start: int
    end: int


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


_Mention = tuple[int, int, str, str]  # doc start, doc end, entity_id, canonical name


def _mentions_by_doc(entity_mentions: pl.DataFrame, entities: pl.DataFrame,
                     temporal_expressions: pl.DataFrame) -> dict[str, list[_Mention]]:
    """doc_id -> [(start, end, entity_id, canonical name)] sorted by position.

    Mentions overlapping a temporal expression are left out: ``Vendredi`` tagged as a person by the
    NER is a date here, not a participant. Linear in the article's size (see :func:`_overlapping_a_timex`).
    """
    if entity_mentions.is_empty():
        return {}
    joined = (entity_mentions.select("doc_id", "doc_char_start", "doc_char_end", "entity_id")
              .join(entities.select("entity_id", "name"), on="entity_id", how="inner"))
    if not temporal_expressions.is_empty():
        overlapping = _overlapping_a_timex(joined, temporal_expressions)
        joined = joined.join(overlapping, on=["doc_id", "doc_char_start", "entity_id"], how="anti")
    joined = joined.sort("doc_id", "doc_char_start")
    out: dict[str, list[_Mention]] = {}
    for row in joined.iter_rows():
        out.setdefault(row[0], []).append(row[1:])
    return out


def _designator_subjects(event: _Event) -> list[Token]:
    """Subjects of the event's verb (or of its sentence's main verb) that refer back to an organisation:
    a noun of ``event_org_designators.txt`` after a definite or demonstrative article (``le journal
    américain, qui a racheté ...``: the relative ``qui`` stands for the noun it follows)."""
    verbs = [event.trigger.token, event.sent.root]
    found = []
    for verb in verbs:
        for child in verb.children:
            if not child.dep_.startswith("nsubj"):
                continue
            noun = verb.head if "Rel" in child.morph.get("PronType") and verb.dep_ == "acl:relcl" else child
            if noun.lemma_.lower() in ORG_DESIGNATORS and any(
                    d.dep_ == "det" and d.lemma_.lower() in ("le", "ce") for d in noun.children):
                found.append(noun)
    return found


def _antecedents(event: _Event, mentions: list[_Mention], organisations: set[str]) -> list[tuple[str, str]]:
    """(entity_id, name) of the organisation each designator subject of the event refers back to: the one
    the text names last before it (``organisations``: the ids of the ORG entities)."""
    out = []
    for noun in _designator_subjects(event):
        position = event.para.span_offsets(noun)[0]
        before = [m for m in mentions[:bisect_left([m[0] for m in mentions], position)]
                  if m[2] in organisations and m[1] <= position]
        if before:
            out.append((before[-1][2], before[-1][3]))
    return out


def _overlapping_a_timex(mentions: pl.DataFrame, temporal_expressions: pl.DataFrame) -> pl.DataFrame:
    """(doc_id, doc_char_start, entity_id) of the mentions that overlap a temporal expression.

    A mention [s, e) overlaps an expression [ts, te) iff ts < e and s < te. Of the article's expressions
    with ts < e (by start, the last one is found by an as-of join), one reaches past s iff the running
    maximum of their ends does: no pair of mention and expression is ever built.
    """
    times = (temporal_expressions.select("doc_id", t_start="doc_char_start", t_end="doc_char_end")
             .sort("doc_id", "t_start")
             .with_columns(t_reach=pl.col("t_end").cum_max().over("doc_id")))
    return (mentions.sort("doc_id", "doc_char_end")
            .join_asof(times, left_on="doc_char_end", right_on="t_start", by="doc_id", strategy="backward",
                       allow_exact_matches=False, check_sortedness=False)
            .filter(pl.col("t_reach") > pl.col("doc_char_start"))
            .select("doc_id", "doc_char_start", "entity_id").unique())


def _participants(mentions: SpanIndex[_Mention], start: int, end: int) -> tuple[list[str], list[str]]:
    """Canonical names and ids of the entities mentioned in ``[start, end)``, in reading order."""
    names: dict[str, str] = {}
    for _, _, entity_id, name in mentions.overlapping(start, end):
        names.setdefault(entity_id, name)
    return list(names.values()), list(names.keys())


_TimexRow = tuple[str, int, int, str | None, str]  # timex_id, doc start, doc end, value, granularity


def _timexes_by_paragraph(temporal_expressions: pl.DataFrame) -> dict[str, list[_TimexRow]]:
    """paragraph_id -> its expressions in reading order (grouped once, not filtered per paragraph)."""
    grouped: dict[str, list[_TimexRow]] = {}
    ordered = temporal_expressions.sort("doc_id", "doc_char_start").select(
        "paragraph_id", "timex_id", "doc_char_start", "doc_char_end", "value", "granularity")
    for paragraph_id, *row in ordered.iter_rows():
        grouped.setdefault(paragraph_id, []).append(tuple(row))
    return grouped


def _document_timexes(rows: list[_TimexRow],
                      para: ParsedParagraph) -> tuple[list[DatedTimex], list[tuple[int, int]]]:
    dated, spans = [], []
    for timex_id, doc_start, doc_end, value, granularity in rows:
        start = para.local_offset(doc_start)
        end = para.local_offset(doc_end - 1) + 1 if doc_end > doc_start else start
        spans.append((start, end))
        if value is not None:
            dated.append(DatedTimex(timex_id, start, end, value, granularity))
    return dated, spans


def _signature(para: ParsedParagraph, timexes: list[DatedTimex]) -> _Signature | None:
    """The signature of an embedded post in this paragraph, with the date it carries."""
    match = POST_SIGNATURE.search(para.text)
    if match is None:
        return None
    days = [t for t in timexes if t.granularity == "day" and match.start() <= t.start < match.end()]
    return _Signature(days[-1], match.start(), match.end()) if days else None


def _document_events(parse: DocumentParse, timexes: dict[str, list[_TimexRow]]) -> list[_Event]:
    owners = post_date_paragraphs(parse.paragraphs)
    per_paragraph = [_document_timexes(timexes.get(p.paragraph_id, []), p) for p in parse.paragraphs]
    signatures = [_signature(p, dated) for p, (dated, _) in zip(parse.paragraphs, per_paragraph, strict=True)]
    events: list[_Event] = []
    recent = _reference_month(parse.reference_date)
    for index, para in enumerate(parse.paragraphs):
        dated, spans = per_paragraph[index]
        owner = owners.get(index)
        post = signatures[owner] if owner is not None and owner != index else None
        events.extend(_paragraph_events(para, dated, spans, signatures[index], post.timex if post else None,
                                        recent))
    return events


def _reference_month(reference: dt.date | None) -> DatedTimex | None:
    """The month of the reference date, as the date of what the article says has just happened."""
    return None if reference is None else DatedTimex(None, 0, 0, reference.strftime("%Y-%m"), "month")


def extract_dated_events(parses: Iterable[DocumentParse], temporal_expressions: pl.DataFrame,
                         entity_mentions: pl.DataFrame, entities: pl.DataFrame) -> pl.DataFrame:
    """``dated_events`` rows for every document."""
    mentions = _mentions_by_doc(entity_mentions, entities, temporal_expressions)
    organisations = set(entities.filter(pl.col("label") == "ORG")["entity_id"].to_list())
    timexes = _timexes_by_paragraph(temporal_expressions)
    rows = []
    for parse in parses:
        ordered = mentions.get(parse.doc_id, [])
        doc_mentions = SpanIndex(ordered, lambda m: (m[0], m[1]))
        n = 0
        for event in _document_events(parse, timexes):
            start, end = event.para.doc_span(event.sent.start_char, event.sent.end_char)
            names, ids = _participants(doc_mentions, start, end)
            for entity_id, name in _antecedents(event, ordered, organisations):
                if entity_id not in ids:
                    names.insert(0, name)
                    ids.insert(0, entity_id)
            if event.needs_participant and not names:
                continue
            n += 1
            rows.append({
                "doc_id": parse.doc_id, "doc_char_start": start, "doc_char_end": end,
                "event_id": f"{parse.doc_id}:e{n - 1:03d}", "paragraph_id": event.para.paragraph_id,
                "timex_id": event.timex.timex_id, "date_value": event.timex.value,
                "granularity": event.timex.granularity, "event_type": event.trigger.event_type,
                "trigger": event.trigger_lemma or event.trigger.name or event.trigger.token.lemma_.lower(),
                "participants": names, "participant_ids": ids, "sentence": parse.text[start:end],
            })
    empty = empty_frame("dated_events")
    return pl.DataFrame(rows, schema=empty.schema) if rows else empty


# --- timeline ---------------------------------------------------------------------------------------------

def date_bounds(value: str, granularity: str) -> tuple[dt.date, dt.date]:
    """First and last day an ISO value covers (``2023-W46`` -> 13..19 Nov 2023, ``2015`` -> the year).

    A period that ends after 31 December 9999 (``9999-W52``, the winter of 9999) ends on that day.
    """
    if granularity == "day":
        day = dt.date.fromisoformat(value)
        return day, day
    if granularity == "week":
        year, week = value.split("-W")
        monday = dt.date.fromisocalendar(int(year), int(week), 1)
        return monday, _period_end(monday, days=7)
    if granularity == "month":
        year, month = map(int, value.split("-"))
        first = dt.date(year, month, 1)
        return first, _period_end(first, months=1)
    if granularity in ("year", "season", "quarter"):
        year = int(value[:4])
        return dt.date(year, 1, 1), dt.date(year, 12, 31) if granularity == "year" else _season_end(value)
    span = 10 if granularity == "decade" else 100
    first = int(value) * span
    return dt.date(max(first, 1), 1, 1), dt.date(first + span - 1, 12, 31)


def _period_end(first: dt.date, days: int = 0, months: int = 0) -> dt.date:
    """The last day of the period of ``months`` months (or ``days`` days) that starts on ``first``; a period
    running past the end of the calendar (``9999-W52``, ``9999-12``) ends on 31 December 9999."""
    try:
        return first + relativedelta(months=months, days=days) - dt.timedelta(days=1)
    except (OverflowError, ValueError):
        return dt.date.max


def _season_end(value: str) -> dt.date:
    year, code = int(value[:4]), value[5:]
    ends = {"SP": (5, 31), "SU": (8, 31), "FA": (11, 30), "Q1": (3, 31), "Q2": (6, 30), "Q3": (9, 30),
            "Q4": (12, 31), "WI": (12, 31)}
    month, day = ends[code]
    if code == "WI":  # December to the end of February of the next year
        return _period_end(dt.date(year, 12, 1), months=3)
    return dt.date(year, month, day)


_GRANULARITY_RANK = {"day": 0, "week": 1, "month": 2, "season": 3, "quarter": 3, "year": 4, "decade": 5,
                     "century": 6}


def _bounds_by_value(dated_events: pl.DataFrame) -> pl.DataFrame:
    """``lo``/``hi`` per distinct (date_value, granularity): a corpus repeats few dates, so ``date_bounds``
    runs once per distinct value instead of once per event."""
    distinct = dated_events.select("date_value", "granularity").unique()
    bounds = [date_bounds(v, g) for v, g in distinct.iter_rows()]
    return distinct.with_columns(lo=pl.Series([b[0] for b in bounds], dtype=pl.Date),
                                 hi=pl.Series([b[1] for b in bounds], dtype=pl.Date))


def _overlap_links(events: pl.DataFrame) -> pl.DataFrame:
    """(node, node_b) links with the same connected components as all compatible pairs.

    Compatible: same type, overlapping dates, a shared participant. Materialising every pair is quadratic
    in the events of a frequent participant; instead, within each (type, participant) group sorted by
    ``lo``, an event overlaps an earlier one iff its ``lo`` is <= the running max of the earlier ``hi``,
    and linking it to its predecessor then yields the same components (one link per exploded row).
    """
    group = ["event_type", "participant_ids"]
    exploded = (events.select("node", "event_type", "lo", "hi", "participant_ids")
                .explode("participant_ids", empty_as_null=True)
                .filter(pl.col("participant_ids").is_not_null())
                .sort(*group, "lo"))
    return (exploded.with_columns(reach=pl.col("hi").cum_max().shift(1).over(group),
                                  node_b=pl.col("node").shift(1).over(group))
            .filter(pl.col("lo") <= pl.col("reach"))
            .select("node", "node_b"))


def _component_roots(n_nodes: int, links: pl.DataFrame) -> list[int]:
    """Union-find over integer nodes: node -> the smallest node of its component.

    Nodes are event_ids in sorted order, so the smallest node is the cluster's smallest event_id.
    """
    parent = list(range(n_nodes))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in links.iter_rows():
        root_a, root_b = find(a), find(b)
        if root_a != root_b:  # the smaller root wins, so a root is always its component's minimum
            parent[max(root_a, root_b)] = min(root_a, root_b)
    return [find(node) for node in range(n_nodes)]


def _cluster_keys(events: pl.DataFrame) -> pl.Series:
    """Per event row, the smallest event_id of its merged cluster (merging is transitive)."""
    ids = events["event_id"].unique().sort()
    nodes = events.with_columns(node=pl.col("event_id").rank("dense").cast(pl.Int64) - 1)
    roots = _component_roots(ids.len(), _overlap_links(nodes))
    return ids.gather(pl.Series(roots, dtype=pl.Int64)).gather(nodes["node"]).alias("cluster")


def build_timeline(dated_events: pl.DataFrame, reference_dates: pl.DataFrame) -> pl.DataFrame:
    """``timeline``: one row per real-world event, merged across articles.

    Two reports are the same event when they have the same type, dates that overlap (``2023-11`` and
    ``2023-11-17`` do) and share a participant; merging is transitive. A row keeps the most precise date
    reported, the participants by number of reports, and the earliest report by the reporting document's
    reference date.
    """
    if dated_events.is_empty():
        return empty_frame("timeline")
    events = (dated_events.join(_bounds_by_value(dated_events), on=["date_value", "granularity"],
                                how="left", nulls_equal=True, maintain_order="left")
              .with_columns(rank=pl.col("granularity").replace_strict(_GRANULARITY_RANK, default=9)))
    events = (events.with_columns(_cluster_keys(events))
              .join(reference_dates.select("doc_id", pl.col("reference_date").alias("reported_on")),
                    on="doc_id", how="left")
              .sort("cluster", pl.col("reported_on").fill_null(dt.date.max), "doc_id", "doc_char_start"))
    participants = (events.select("cluster", "participants")
                    .explode("participants", empty_as_null=True).drop_nulls()
                    .group_by("cluster", "participants").len()
                    .sort("cluster", "len", "participants", descending=[False, True, False])
                    .group_by("cluster", maintain_order=True).agg(pl.col("participants")))
    timeline = (events.group_by("cluster", maintain_order=True).agg(
        date_value=pl.col("date_value").sort_by("rank").first(),
        granularity=pl.col("granularity").sort_by("rank").first(),
        event_type=pl.col("event_type").first(),
        n_sources=pl.col("doc_id").n_unique().cast(pl.Int64),
        doc_ids=pl.col("doc_id").unique(maintain_order=True),
        event_ids=pl.col("event_id"),
        first_doc_id=pl.col("doc_id").first(),
        first_reported_on=pl.col("reported_on").first(),
        sentence=pl.col("sentence").first(),
    ).join(participants, on="cluster", how="left")
        .with_columns(participants=pl.col("participants").fill_null(pl.lit([], dtype=pl.List(pl.Utf8))),
                      timeline_id=pl.col("cluster").map_elements(_timeline_id, return_dtype=pl.Utf8))
        .sort("date_value", "event_type", "timeline_id"))
    return timeline.select(empty_frame("timeline").columns)


def _timeline_id(cluster: str) -> str:
    """Deterministic id from the cluster's smallest event_id."""
    return "tl:" + hashlib.sha1(cluster.encode()).hexdigest()[:12]
