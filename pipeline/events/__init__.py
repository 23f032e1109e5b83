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

Detect, then resolve. Detection is the registered spaCy component ``event_detector``
(``component``): over one parsed paragraph and its expressions' offsets, it writes to ``doc.spans`` what
the parse decides (triggers and the expressions that may date them with their tree distance, happening
verbs, recent pasts, post signatures). ``candidates`` exports that once to per-article rows that hold no
value; ``resolve`` applies everything that depends on the values, the reference date and the entities,
over rows only. Re-dating an article (an event-anchored expression resolved, an undated article dated from
the corpus) is ``resolve_events`` over its candidate rows with the new values, without its parse.

Layout of the package (one responsibility a module; each imports the others absolutely, so that
``pipeline/versions.py`` versions the whole stage):
- ``vocabulary``: the trigger lexicons and word lists; ``records``: the trigger record;
- detection: ``triggers`` (which tokens name an event, rule 1), ``dating`` (which expressions may date a
  trigger, happening verbs, recent past: rules 2, 3, 7, 8), ``paragraphs`` (the sentences, rule 5's
  tense break), ``component`` (the spaCy component writing ``doc.spans``);
- ``candidates``: the export to candidate rows (``detect_event_candidates``); ``candidate_rows``: their
  kinds and columns (``CANDIDATE_SCHEMA``);
- resolution: ``resolve`` (``resolve_events``: rules 2-8's choices over values), ``participants`` (the
  entities of an event's sentence and the organisation a designator refers to);
- ``extract``: ``extract_dated_events`` = detect, export, resolve; ``timeline``: merging across articles.
"""

from pipeline.events.candidate_rows import CANDIDATE_SCHEMA, empty_candidates
from pipeline.events.candidates import detect_event_candidates
from pipeline.events.component import COMPONENT, EventDetector
from pipeline.events.dating import admissible
from pipeline.events.extract import extract_dated_events
from pipeline.events.paragraphs import sentences
from pipeline.events.participants import _mentions_by_doc
from pipeline.events.records import Trigger
from pipeline.events.resolve import resolve_events
from pipeline.events.timeline import build_timeline, date_bounds
from pipeline.events.triggers import sentence_triggers, trigger_reading, trigger_type
from pipeline.events.vocabulary import (
    DEATH_TRIGGERS,
    EVENT_LOCUTIONS,
    EVENT_TRIGGERS,
    HUMAN_NOUNS,
    IRREALIS_GOVERNORS,
    NEEDS_PERSON_OBJECT,
    NEGATIVE_WORDS,
    ORG_DESIGNATORS,
    STAMP_LEMMAS,
    STATEMENT_TRIGGERS,
    Locution,
)

# ``_mentions_by_doc`` is read by tests/test_large_articles.py under its old name.
__all__ = [
    "CANDIDATE_SCHEMA", "COMPONENT", "DEATH_TRIGGERS", "EVENT_LOCUTIONS", "EVENT_TRIGGERS", "HUMAN_NOUNS",
    "IRREALIS_GOVERNORS", "NEEDS_PERSON_OBJECT", "NEGATIVE_WORDS", "ORG_DESIGNATORS", "STAMP_LEMMAS",
    "STATEMENT_TRIGGERS", "EventDetector", "Locution", "Trigger", "_mentions_by_doc", "admissible",
    "build_timeline", "date_bounds", "detect_event_candidates", "empty_candidates", "extract_dated_events",
    "resolve_events",
    "sentence_triggers", "sentences", "trigger_reading", "trigger_type",
]
