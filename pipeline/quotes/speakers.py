"""Speaker naming over the rows, no ``Doc``: the steps the parse gave for a token (``reference.py``) tried
in order with the article's state: a pronoun resolved to the nearest compatible person (or, for "lequel" /
"ce dernier", the institution named last), a role noun to the person named with that role, an organisation
noun to the organisation it stands for, a document to its author or the last speaker, else the name or the
phrase as written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pipeline.quotes.antecedents import (
    _named_antecedent,
    _nearest_person,
    _organisation_antecedent,
    _recent_organisation,
)
from pipeline.quotes.article import Article
from pipeline.quotes.naming import _full_person_name, _speaker_from_mention
from pipeline.quotes.records import _CONTINUING, _Speaker, _Step, _Word
from pipeline.quotes.textutil import _strip_elision


def resolve_speaker(doc: Article, steps: Iterable[_Step]) -> _Speaker | None:
    """The speaker a token's steps name: the first step that decides (see :data:`_CONTINUING`)."""
    for step in steps:
        speaker = _STEP_RULES[step.kind](doc, step)
        if speaker is not None or step.kind not in _CONTINUING:
            return speaker
    return None


def _resolve_anaphor(doc: Article, before: int, gender: str | None, allow_groups: bool) -> _Speaker | None:
    """Nearest compatible person named before document offset ``before`` (see :func:`_nearest_person`),
    or, when ``allow_groups``, an institution named after it."""
    best = _nearest_person(doc, before, gender, allow_groups)
    if allow_groups:
        group = _nearest_institution(doc, before, gender)
        if group is not None and (best is None or group[0] > best[0]):
            best = group
    return best[1] if best else None


def _nearest_institution(doc: Article, before: int, gender: str | None) -> tuple[int, _Speaker] | None:
    """(where, who) of the last institution noun ("le conseil", "la société") named before ``before``
    outside quotations, agreeing in gender, that names a speaker (the ``institution`` rows)."""
    for start, genders, steps in reversed(doc.rows.institutions):
        if start >= before or doc.is_quoted(start):
            continue
        if gender is not None and genders and gender not in genders:
            continue
        speaker = resolve_speaker(doc, steps)
        if speaker is not None:
            return start, speaker
    return None


def _anaphor(doc: Article, step: _Step) -> _Speaker | None:
    return _resolve_anaphor(doc, step.start, step.gender, step.flag)


def _pronoun(doc: Article, step: _Step) -> _Speaker | None:
    """A personal or relative pronoun: the person it stands for, else an organisation named just before."""
    resolved = _resolve_anaphor(doc, step.start, step.gender, step.flag)
    organisation = _recent_organisation(doc, step.start) if resolved is None else None
    return _speaker_from_mention(doc, organisation) if organisation is not None else resolved


def _demonym(doc: Article, step: _Step) -> _Speaker | None:
    return _named_antecedent(doc, step.start, step.gender, step.word, nearest=False)


def _mention(doc: Article, step: _Step) -> _Speaker | None:
    """The entity stage's mention at the token (a common noun inside an organisation's name is no speaker
    by itself: the phrase is kept)."""
    mention = doc.mention_at(step.start, step.end)
    if mention is not None and mention.label != "PER" and step.flag:
        return None
    return _speaker_from_mention(doc, mention) if mention is not None else None


def _name(doc: Article, step: _Step) -> _Speaker:
    """A proper-noun speaker: its entity when the entity stage knows it, else the name as written."""
    mention = doc.mention_at(step.start, step.end)
    if mention is not None:
        return _speaker_from_mention(doc, mention)
    name = _strip_elision(step.word)
    return _Speaker(_full_person_name(doc, name) if step.flag else name, None, step.flag)


def _last_speaker(doc: Article, step: _Step) -> _Speaker | None:
    """A document with no author named ("le communiqué"): the speaker of the previous quotation."""
    return doc.attributed[-1][2].speaker if doc.attributed and doc.attributed[-1][2].speaker else None


def _collective(doc: Article, step: _Step) -> _Speaker | None:
    return _resolve_anaphor(doc, step.start, None, False)


def _role(doc: Article, step: _Step) -> _Speaker | None:
    return _named_antecedent(doc, step.start, step.gender, step.word, nearest=step.flag)


def _org_head(doc: Article, step: _Step) -> _Speaker | None:
    org = _organisation_antecedent(doc, step.start, step.word)
    return _speaker_from_mention(doc, org) if org is not None else None


def _person_noun(doc: Article, step: _Step) -> _Speaker | None:
    return _resolve_anaphor(doc, step.start, step.gender, False)


def _phrase(doc: Article, step: _Step) -> _Speaker:
    """The noun phrase as written, with the organisation mentioned inside it."""
    org = next((m for m in doc.mentions if step.start <= m.start and m.end <= step.end and m.label != "PER"),
               None)
    return _Speaker(step.word, org.entity_id if org else None, False)


_STEP_RULES: dict[str, Callable[[Article, _Step], _Speaker | None]] = {
    "anaphor": _anaphor, "pronoun": _pronoun, "demonym": _demonym, "mention": _mention, "name": _name,
    "last_speaker": _last_speaker, "collective": _collective, "role": _role, "org_head": _org_head,
    "person_noun": _person_noun, "phrase": _phrase,
}


def speaker_of(doc: Article, word: _Word) -> _Speaker | None:
    """The speaker a word of a window stands for (its steps from ``quote_attribution_detector``)."""
    if word.steps is None:
        raise ValueError(f"no speaker steps for {word.text!r} at {word.idx}: the component left it unread")
    return resolve_speaker(doc, word.steps)
