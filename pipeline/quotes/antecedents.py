"""Antecedents over the rows, without a ``Doc``: the person a pronoun or a role noun refers back to
(the nearest compatible person named before it, the one named near that role word), the organisation
"le journal" or "l'entreprise" stands for, and the organisation "il" stands for when no person fits.

They read the article's candidate speakers (``Article.persons``), the entity stage's mentions, the quoted
ranges and spaCy's person entities exported by the quote components.
"""

from __future__ import annotations

from pipeline.quotes.article import Article
from pipeline.quotes.naming import _speaker_from_mention
from pipeline.quotes.records import _Mention, _Speaker
from pipeline.quotes.words import ORGANISATION_PRONOUN_CHARS, ROLE_SYNONYMS


def _nearest_person(doc: Article, before: int, gender: str | None,
                    allow_groups: bool) -> tuple[int, _Speaker] | None:
    """(where, who) of the nearest compatible person named before document offset ``before``.

    A personal pronoun prefers the subject of the antecedent's sentence; "ce dernier", "lequel" and the
    like (``allow_groups``) name the last one mentioned. A role noun standing for an unnamed person ("le
    Premier ministre") resolves to the person named near that role word, if any."""
    persons = [m for m in doc.persons if m.end <= before and (gender is None or m.gender in (None, gender))]
    if not persons:
        return None
    person = persons[-1]
    subjects = [m for m in persons if m.sentence_start == person.sentence_start and m.subject]
    if subjects and person.sentence_start >= 0 and not allow_groups:
        person = subjects[-1]  # the subject of that sentence is the likelier antecedent
    speaker = _speaker_from_mention(doc, person) if person.label == "PER" else \
        _named_antecedent(doc, person.start, person.gender, person.name.split()[0].lower()) or \
        _Speaker(person.name, None, True)
    return persons[-1].start, speaker


def _recent_organisation(doc: Article, before: int) -> _Mention | None:
    """The organisation named last in the ``ORGANISATION_PRONOUN_CHARS`` before a pronoun when the article
    names no person it could stand for ("le Comité olympique ... « … », plaide-t-il")."""
    return next((m for m in reversed(doc.mentions) if m.label == "ORG" and m.entity_id
                 and before - ORGANISATION_PRONOUN_CHARS <= m.start and m.end <= before
                 and not doc.is_quoted(m.start)), None)


def _organisation_antecedent(doc: Article, before: int, noun: str) -> _Mention | None:
    """The organisation "le journal" or "l'entreprise" refers back to: the last one named near that noun
    (also between quotation marks: « Le Journal »), else the one the article names most often before this
    point (the last of them on a tie)."""
    orgs = [m for m in doc.mentions if m.end <= before and m.label in ("ORG", "MISC") and m.entity_id
            and (not doc.is_quoted(m.start) or doc.quotes_only_a_name(m.start, m.end))
            and not _parsed_as_person(doc, m)]
    if not orgs:
        return None
    text = doc.text_lower
    near = [m for m in orgs if noun in text[max(0, m.start - 60):m.end + 60]]
    if near:
        return next((m for m in reversed(near) if m.label == "ORG"), near[-1])
    orgs = [m for m in orgs if m.label == "ORG"] or orgs
    counts: dict[str, int] = {}
    for m in orgs:
        counts[m.entity_id] = counts.get(m.entity_id, 0) + 1
    return max(reversed(orgs), key=lambda m: counts[m.entity_id])


def _parsed_as_person(doc: Article, mention: _Mention) -> bool:
    """spaCy reads the mention as a person's name, whatever label the entity stage gave it (its person
    entities, exported as rows in paragraph offsets)."""
    for pi, pp in enumerate(doc.layout.paras):
        if pp.contains(mention.start):
            at = pp.local_offset(mention.start)
            return any(start <= at < end for start, end in doc.rows.person_chars[pi])
    return False


def _named_antecedent(doc: Article, before: int, gender: str | None, role: str,
                      nearest: bool = True) -> _Speaker | None:
    """The named person a role noun refers back to ("le maire" -> the mayor named earlier): the last
    person named near that role word (or a synonym: "le premier magistrat" for a mayor), else, when
    ``nearest``, the nearest named person of that gender."""
    persons = [m for m in doc.persons if m.end <= before and m.label == "PER"
               and (gender is None or m.gender in (None, gender))]
    if not persons:
        return None
    text = doc.text_lower
    words = {role, *ROLE_SYNONYMS.get(role, ())}
    with_role = [m for m in persons if any(w in text[max(0, m.start - 25):m.start] or
                                           w in text[m.end:m.end + 12] for w in words)]
    if not with_role and not nearest:
        return None
    return _speaker_from_mention(doc, (with_role or persons)[-1])
