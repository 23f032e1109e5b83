"""What is no entity: sentence starts, dates, interjections, page furniture, common nouns written
capitalised, portfolios, demonyms; and the names of post signatures spaCy misses.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from spacy.tokens import Span

from pipeline import entity_lexicons as lex
from pipeline.entities.acronyms import _is_acronym_of
from pipeline.entities.records import _Candidate
from pipeline.entities.textutil import _lower, _token_at
from pipeline.entities.vocabulary import (
    DEMONYM_ENDINGS,
    EPONYM_OF,
    INSTITUTION_NAME,
    LETTER_NOUNS,
    NON_ENTITY_WORDS,
    ORG_HEAD_NOUNS,
    PRODUCT_HEAD_NOUNS,
    ROLE_TITLES,
    SIGNATURE,
    STREET_NAME,
)
from pipeline.french import CALENDAR_WORDS
from pipeline.lexicons import read_lexicon


def is_non_entity(cand: _Candidate, ent: Span, paragraph_text: str) -> bool:
    """Capitalised sentence starts, dates, interjections, pronouns, page furniture, lower-case phrases."""
    form = cand.form(paragraph_text)
    lower = _lower(form)
    words = lower.split()
    if not any(ch.isupper() or ch.isdigit() for ch in form) or not any(ch.isalpha() for ch in form):
        return True
    if lower in NON_ENTITY_WORDS or all(w in CALENDAR_WORDS or w.isdigit() for w in words):
        return True
    if lower in lex.common_acronyms() or (len(words) == 1 and lower in lex.demonyms()):
        return True  # "un PC", "les NFT"; "les Français", "un Toulousain"
    if lower in capitalised_common_nouns() or EPONYM_OF.search(
            paragraph_text[max(0, cand.start - 20):cand.start]):
        return True  # "Internet", "la Toile"; "la maladie d'Alzheimer"
    first_word = form.split()[0]
    if first_word[0].islower() and not any(ch.isupper() for ch in first_word) and not (
            STREET_NAME.match(form.replace("’", "'")) or INSTITUTION_NAME.match(form.replace("’", "'"))):
        return True  # names start with a capital ("iPhone" aside): "des Sports", "hôtel du Golf"
    if lower in PRODUCT_HEAD_NOUNS or lower in ORG_HEAD_NOUNS or lower in ROLE_TITLES:
        return True
    if words[0] in {"le", "la", "les", "l'", "un", "une"} and all(w.islower() for w in form.split()[1:]):
        return True  # "Le bord": a determiner and common nouns, not a name
    if len(form) == 1 and (not form.isupper() or _after_letter_noun(paragraph_text, cand.start)):
        return True
    first = _token_at(ent, cand.start)
    if first is not None and len(words) == 1 and first.is_sent_start and first.pos_ in {
            "ADV", "INTJ", "ADJ", "VERB", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "AUX"}:
        return True
    if (first is not None and len(words) == 1 and first.is_sent_start and first.pos_ == "NOUN"
            and ent.label_ == "MISC" and form[1:].islower() and first.vocab.has_vector(first.lower_)):
        return True  # "Décodage d'un match", "Prédiction": a common noun opening a sentence or a heading
    return _is_portfolio(paragraph_text, cand) or _is_demonym(paragraph_text, cand)


BRACKETED_INITIALISM = re.compile(r"\(([A-Z]{2,6})\)")


def common_noun_initialisms(text: str) -> list[str]:
    """Initialisms a paragraph defines by common nouns ("troubles musculo-squelettiques (TMS)"), in order:
    they name no entity, there or anywhere in the article."""
    return [m.group(1) for m in BRACKETED_INITIALISM.finditer(text)
            if _names_a_common_noun(text, m.group(1), m.start(1))]


def _names_a_common_noun(text: str, form: str, start: int) -> bool:
    """An initialism the text defines by lower-case words: "des troubles musculo-squelettiques (TMS)"."""
    before = text[max(0, start - 80):start].rstrip()
    if not (form.isupper() and 2 <= len(form) <= 6 and before.endswith("(")):
        return False
    words = before[:-1].split()
    for n in range(2, min(len(words), 8) + 1):
        if not words[-n][:1].islower():
            return False
        if _is_acronym_of(form, " ".join(words[-n:])):
            return True
    return False


@cache
def capitalised_common_nouns() -> frozenset[str]:
    """Common nouns written with a capital by convention ("Internet", "la Toile"), lower case."""
    return frozenset(read_lexicon("entity_capitalised_common_nouns.txt"))


def _after_letter_noun(text: str, start: int) -> bool:
    """"série A", "plan B", "classe C": a capital letter naming a grade or a variant, not an entity."""
    words = text[max(0, start - 20):start].lower().split()
    return bool(words) and words[-1] in LETTER_NOUNS


def _is_portfolio(text: str, cand: _Candidate) -> bool:
    """"ministre chargé du Numérique", "président de la République": a title's domain, not an entity."""
    before = text[max(0, cand.start - 40):cand.start].lower()
    if re.search(r"président(?:e)? de la\s+$", before) and text[cand.start:cand.end] == "République":
        return True
    return re.search(r"(?:chargée?s?|déléguée?s?|ministres?|secrétaire d'état|secrétariat d'état)"
                     r"\s+(?:de la |de l'|du |des |aux |à la |à l'|au |de )$", before) is not None


def _is_demonym(text: str, cand: _Candidate) -> bool:
    """"le Français X", "les Franciliens": a capitalised inhabitant noun after a determiner."""
    form = text[cand.start:cand.end]
    before = text[max(0, cand.start - 5):cand.start].lower()
    return (" " not in form and re.search(r"(?:^|\s)(?:le|la|les|des|un|une|aux)\s+$", before) is not None
            and re.search(DEMONYM_ENDINGS, form) is not None)


def _signature_names(text: str, found: list[_Candidate]) -> list[_Candidate]:
    """Names in a post signature "– Name (@handle)" that spaCy did not tag (a person or an account)."""
    out = []
    for match in SIGNATURE.finditer(text):
        start, end = match.span(1)
        if not any(c.start < end and start < c.end for c in found):
            out.append(_Candidate(start, end, "", Counter({"PER": 1.0})))
    return out
