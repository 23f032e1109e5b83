"""The people of an article who may speak, resolved over the rows (no ``Doc``): the entity stage's person
mentions outside quotations, then what the ``speaker_candidate_detector`` component read in each paragraph
(spaCy's persons and proper-noun subjects the entity stage has no mention for, role nouns standing as
subjects), with their clause role and gender, used to resolve pronouns.
"""

from __future__ import annotations

import bisect
from dataclasses import replace

from pipeline.quotes.article import Article
from pipeline.quotes.records import _Mention
from pipeline.quotes.textutil import _overlaps_any
from pipeline.quotes.words import (
    FEMININE_FIRST_NAMES,
    FEMININE_TITLES,
    MASCULINE_FIRST_NAMES,
    MASCULINE_TITLES,
)
from pipeline.spans import SpanIndex


def _person_candidates(doc: Article) -> list[_Mention]:
    """People named outside quotations: entity-stage PER mentions, else spaCy PER ents and PROPN subjects,
    then role nouns as subjects."""
    out = [m for m in doc.mentions if m.label == "PER" and not doc.is_quoted(m.start)]
    named = SpanIndex(out, lambda m: (m.start, m.end))  # looked up by position: articles can be long
    by_paragraph: list[list[tuple]] = [[] for _ in doc.layout.paras]
    for row in doc.rows.candidates.iter_rows():
        by_paragraph[row[0]].append(row)
    roles = []
    for rows in by_paragraph:
        added_here: list[tuple[int, int]] = []  # paragraphs are disjoint: only this one's can overlap
        for _, kind, start, end, name, subject, sentence_start, gender in rows:
            if kind == "role":
                roles.append(_Mention(start, end, None, name, "ROLE", gender, True, sentence_start))
                continue
            if doc.is_quoted(start) or doc.mention_at(start, end) is not None:
                continue  # quoted words, or the entity stage decided who (or what) this is
            if kind == "ent" and (_overlaps_any(start, end, added_here)
                                  or next(named.overlapping(start, end), None) is not None):
                continue
            out.append(_Mention(start, end, None, name, "PER", subject=subject,
                                sentence_start=sentence_start))
            added_here.append((start, end))
    spans = [(m.start, m.end) for m in out]  # a named person is no role noun's antecedent twice
    out.extend(m for m in roles if not doc.is_quoted(m.start) and not _overlaps_any(m.start, m.end, spans))
    out = [_with_gender(doc, _with_clause_role(doc, m)) for m in out]
    out.sort(key=lambda m: m.start)
    return out


def _with_clause_role(doc: Article, mention: _Mention) -> _Mention:
    """Fill ``subject`` and ``sentence_start`` of an entity-stage mention from the token rows: those of the
    first token at or after its start, in its paragraph."""
    if mention.sentence_start >= 0:
        return mention
    at = bisect.bisect_right(doc.paragraph_starts, mention.start) - 1  # the paragraph it may lie in
    if at < 0 or not doc.layout.paras[at].contains(mention.start):
        return mention
    first = bisect.bisect_left(doc.rows.token_starts, mention.start)
    if first >= doc.rows.tokens.height:
        return mention
    _, _, _, paragraph, subject, sentence_start = doc.rows.tokens.row(first)
    if paragraph != at:
        return mention
    return replace(mention, subject=subject, sentence_start=sentence_start)


def _with_gender(doc: Article, mention: _Mention) -> _Mention:
    first = mention.name.split()[0].lower() if mention.name.split() else ""
    gender = "Fem" if first in FEMININE_FIRST_NAMES else "Masc" if first in MASCULINE_FIRST_NAMES else None
    if gender is None:
        before = doc.layout.source[max(0, mention.start - 30):mention.start].lower().split()
        before += doc.layout.source[mention.start:mention.end].lower().split()[:1]
        if any(w in FEMININE_TITLES for w in before[-2:]):
            gender = "Fem"
        elif any(w in MASCULINE_TITLES for w in before[-2:]):
            gender = "Masc"
    if gender is None:
        gender = _gender_from_names(doc, mention)
    return replace(mention, gender=gender)


def _gender_from_names(doc: Article, mention: _Mention) -> str | None:
    """Gender of a surname from a fuller mention of the same person elsewhere in the article."""
    last = mention.name.split()[-1] if mention.name.split() else ""
    return doc.surname_genders.get(last)
