"""The people of an article who may speak: named persons, and role nouns that stand as a verb's subject,
with their clause role and gender, used to resolve pronouns.
"""

from __future__ import annotations

import bisect
from dataclasses import replace

from pipeline.quotes.document import _Document
from pipeline.quotes.records import _Mention
from pipeline.quotes.speakers import _apposed_name, _noun_gender, _phrase_speaker
from pipeline.quotes.textutil import _overlaps_any, _strip_elision
from pipeline.quotes.words import (
    FEMININE_FIRST_NAMES,
    FEMININE_TITLES,
    MASCULINE_FIRST_NAMES,
    MASCULINE_TITLES,
    ROLE_NOUNS,
)
from pipeline.spans import SpanIndex


def _person_candidates(doc: _Document) -> list[_Mention]:
    """People named outside quotations: entity-stage PER mentions, else spaCy PER ents and PROPN subjects."""
    out = [m for m in doc.mentions if m.label == "PER" and not doc.is_quoted(m.start)]
    named = SpanIndex(out, lambda m: (m.start, m.end))  # looked up by position: articles can be long
    for pp in doc.paras:
        added_here: list[tuple[int, int]] = []  # paragraphs are disjoint: only this one's can overlap
        for ent in pp.doc.ents:
            start, end = pp.span_offsets(ent)
            if ent.label_ != "PER" or doc.is_quoted(start) or _overlaps_any(start, end, added_here) \
                    or next(named.overlapping(start, end), None) is not None:
                continue
            if doc.mention_at(start, end) is not None:
                continue  # the entity stage decided this is not a person
            out.append(_Mention(start, end, None, _strip_elision(ent.text), "PER",
                                subject=ent.root.dep_ in ("nsubj", "nsubj:pass"),
                                sentence_start=pp.doc_offset(ent.sent.start_char)))
            added_here.append((start, end))
        for tok in pp.doc:
            if tok.pos_ == "PROPN" and tok.dep_ == "nsubj" and not tok.ent_type_ and tok.text[:1].isupper():
                start, end = pp.span_offsets(tok)
                if not doc.is_quoted(start) and doc.mention_at(start, end) is None:
                    out.append(_Mention(start, end, None, tok.text, "PER", subject=True,
                                        sentence_start=pp.doc_offset(tok.sent.start_char)))
                    added_here.append((start, end))
    out.extend(_role_subjects(doc, out))
    out = [_with_gender(doc, _with_clause_role(doc, m)) for m in out]
    out.sort(key=lambda m: m.start)
    return out


def _role_subjects(doc: _Document, named: list[_Mention]) -> list[_Mention]:
    """Unnamed people acting as subjects ("le Premier ministre a défendu..."): antecedents for a later
    "il"/"elle" when no named person fits; the noun's own gender is the agreement."""
    out = []
    spans = [(m.start, m.end) for m in named]
    for pi, pp in enumerate(doc.paras):
        for tok in pp.doc:
            if tok.dep_ != "nsubj" or tok.pos_ != "NOUN" or tok.lemma_.lower() not in ROLE_NOUNS or \
                    "Plur" in tok.morph.get("Number"):
                continue  # "les joueurs" is never the antecedent of "il" or "elle"
            start, end = pp.span_offsets(tok)
            if doc.is_quoted(start) or _apposed_name(tok) is not None or _overlaps_any(start, end, spans):
                continue
            speaker = _phrase_speaker(doc, pi, tok)
            if speaker is not None:
                gender = _noun_gender(tok)
                out.append(_Mention(start, end, None, speaker.name, "ROLE", gender, True,
                                    pp.doc_offset(tok.sent.start_char)))
    return out


def _with_clause_role(doc: _Document, mention: _Mention) -> _Mention:
    """Fill ``subject`` and ``sentence_start`` of an entity-stage mention from the parse."""
    if mention.sentence_start >= 0:
        return mention
    at = bisect.bisect_right(doc.paragraph_starts, mention.start) - 1  # the paragraph it may lie in
    for pp in doc.paras[max(at, 0):at + 1]:
        if pp.contains(mention.start):
            tok = next((t for t in pp.doc if pp.doc_offset(t.idx) >= mention.start), None)
            if tok is not None:
                subject = any(t.dep_ in ("nsubj", "nsubj:pass") for t in (tok, tok.head))
                sentence_start = pp.doc_offset(tok.sent.start_char)
                return replace(mention, subject=subject, sentence_start=sentence_start)
    return mention


def _with_gender(doc: _Document, mention: _Mention) -> _Mention:
    first = mention.name.split()[0].lower() if mention.name.split() else ""
    gender = "Fem" if first in FEMININE_FIRST_NAMES else "Masc" if first in MASCULINE_FIRST_NAMES else None
    if gender is None:
        before = doc.parse.text[max(0, mention.start - 30):mention.start].lower().split()
        before += doc.parse.text[mention.start:mention.end].lower().split()[:1]
        if any(w in FEMININE_TITLES for w in before[-2:]):
            gender = "Fem"
        elif any(w in MASCULINE_TITLES for w in before[-2:]):
            gender = "Masc"
    if gender is None:
        gender = _gender_from_names(doc, mention)
    return replace(mention, gender=gender)


def _gender_from_names(doc: _Document, mention: _Mention) -> str | None:
    """Gender of a surname from a fuller mention of the same person elsewhere in the article."""
    last = mention.name.split()[-1] if mention.name.split() else ""
    return doc.surname_genders.get(last)
