"""Speaker naming and anaphora resolution: the speaker a token stands for (a name, a pronoun, a role
noun such as "le maire", an organisation, a demonym), and the named antecedent it resolves to.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from pipeline.quotes.antecedents import (
    _named_antecedent,
    _nearest_person,
    _organisation_antecedent,
    _recent_organisation,
)
from pipeline.quotes.document import _Document
from pipeline.quotes.naming import _full_person_name, _speaker_from_mention
from pipeline.quotes.records import _Speaker
from pipeline.quotes.textutil import _strip_elision
from pipeline.quotes.tree import TIME_NOUNS, _apposed_name, _complement, _noun_gender, _phrase_span
from pipeline.quotes.words import (
    ANAPHORIC_ORG_HEADS,
    ANAPHORIC_PERSON_NOUNS,
    ANAPHORIC_PRONOUNS,
    COLLECTIVE_PERSON_NOUNS,
    DOCUMENT_NOUNS,
    INSTITUTION_NOUNS,
    ROLE_NOUNS,
    UNRESOLVED_PRONOUNS,
)


def _resolve_anaphor(doc: _Document, before: int, gender: str | None, allow_groups: bool) -> _Speaker | None:
    """Nearest compatible person named before document offset ``before`` (over the rows: see
    :func:`_nearest_person`), or, when ``allow_groups``, an institution named after it (read in the tree)."""
    best = _nearest_person(doc, before, gender, allow_groups)
    if allow_groups:
        group = _nearest_institution(doc, before, gender)
        if group is not None and (best is None or group[0] > best[0]):
            best = group
    return best[1] if best else None


def _nearest_institution(doc: _Document, before: int, gender: str | None) -> tuple[int, _Speaker] | None:
    found: tuple[int, _Speaker] | None = None
    for pi, pp in enumerate(doc.paras):
        if pp.doc_char_start >= before:
            break
        for tok in pp.doc:
            start = pp.doc_offset(tok.idx)
            if start >= before or doc.is_quoted(start):
                continue
            agrees = gender is None or gender in tok.morph.get("Gender") or not tok.morph.get("Gender")
            if tok.pos_ == "NOUN" and tok.lemma_.lower() in INSTITUTION_NOUNS and agrees:
                speaker = _nominal_speaker(doc, pi, tok, depth=1)
                if speaker is not None:
                    found = (start, speaker)
    return found



def _speaker_from_token(doc: _Document, pi: int, tok: Token, depth: int = 0) -> _Speaker | None:
    """The speaker a subject token stands for: a resolved pronoun, a named entity or a nominal phrase."""
    if depth > 3:
        return None
    word = tok.lower_.removeprefix("-t-").removeprefix("-")
    if word in ("dernier", "dernière") and tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("ce", "cette"):
        return _resolve_anaphor(doc, doc.tok_start(pi, tok), "Fem" if word == "dernière" else "Masc", True)
    if tok.pos_ == "PRON" or word in ANAPHORIC_PRONOUNS or word in UNRESOLVED_PRONOUNS:
        relative = tok.head.dep_ == "acl:relcl" and tok.head.head.i != tok.head.i
        if word in ("qui", "lequel", "laquelle") and relative:
            return _speaker_from_token(doc, pi, _relative_antecedent(tok.head), depth + 1)
        if word in ANAPHORIC_PRONOUNS:
            allow_groups = word not in ("il", "elle", "lui")
            start = doc.tok_start(pi, tok)
            resolved = _resolve_anaphor(doc, start, ANAPHORIC_PRONOUNS[word], allow_groups)
            organisation = _recent_organisation(doc, start) if resolved is None else None
            return _speaker_from_mention(doc, organisation) if organisation is not None else resolved
        return None
    if _demonym_anaphor(tok):  # "précise le Toulousain": the person the article introduced with that word
        named = _named_antecedent(doc, doc.tok_start(pi, tok), _noun_gender(tok), tok.lower_, nearest=False)
        if named is not None:
            return named
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in TIME_NOUNS and (apposed := _apposed_noun(tok)):
        return _speaker_from_token(doc, pi, apposed, depth + 1)  # "Chaque année, la presse se demandait"
    if tok.pos_ == "NOUN" and (name := _apposed_name(tok)) is not None:
        return _speaker_from_token(doc, pi, name, depth + 1)  # "Le ministre de X, Jean Y, a dit": the name
    start, end = doc.paras[pi].span_offsets(tok)
    mention = doc.mention_at(start, end)
    if mention is not None and mention.label != "PER" and tok.pos_ == "NOUN":
        mention = None  # a common noun inside an organisation mention: keep the nominal phrase
    if mention is not None:
        return _speaker_from_mention(doc, mention)
    if (tok.pos_ == "PROPN" and not tok.text[:1].islower()) or tok.ent_type_:
        return _name_speaker(doc, pi, tok)
    if tok.pos_ in ("NOUN", "ADJ", "PROPN"):  # a proper noun in lower case is a common noun mis-tagged
        return _nominal_speaker(doc, pi, tok, depth)
    return None


def _apposed_noun(noun: Token) -> Token | None:
    """A noun set in apposition after ``noun`` (the parser's reading of "Chaque année, la presse ...", where
    the real subject follows a time adverbial)."""
    return next((c for c in noun.children if c.dep_ in ("appos", "conj") and c.i > noun.i
                 and c.pos_ in ("NOUN", "PROPN") and c.doc[c.i - 1].text == ","), None)


def _relative_antecedent(relative_verb: Token) -> Token:
    """The noun a relative clause is about; after a comma, the whole noun phrase rather than its last
    complement ("le conseil de l'entreprise, qui a ajouté" -> conseil)."""
    antecedent = relative_verb.head
    comma_before = any(t.text == "," for t in relative_verb.doc[antecedent.i + 1:relative_verb.i])
    while comma_before and antecedent.dep_ == "nmod" and antecedent.head.pos_ in ("NOUN", "PROPN"):
        antecedent = antecedent.head
    return antecedent


def _name_speaker(doc: _Document, pi: int, tok: Token) -> _Speaker:
    """A proper-noun speaker: its entity when the entity stage knows it, else spaCy's ent or PROPN run."""
    pp = doc.paras[pi]
    span = next((e for e in pp.doc.ents if e.start <= tok.i < e.end), None)
    if span is not None:
        start, end = pp.span_offsets(span)
        label, text = span.label_, span.text
    else:
        first, last = tok.i, tok.i
        while first > 0 and pp.doc[first - 1].pos_ == "PROPN":
            first -= 1
        while last + 1 < len(pp.doc) and pp.doc[last + 1].pos_ == "PROPN":
            last += 1
        start, end = pp.span_offsets(pp.doc[first:last + 1])
        label, text = "", pp.doc[first:last + 1].text
    mention = doc.mention_at(start, end)
    if mention is not None:
        return _speaker_from_mention(doc, mention)
    name = _strip_elision(text)
    is_person = label == "PER"
    return _Speaker(_full_person_name(doc, name) if is_person else name, None, is_person)


def _nominal_speaker(doc: _Document, pi: int, head: Token, depth: int = 0) -> _Speaker | None:
    """A common-noun speaker: an apposed name, a document's author, an anaphoric person, or the phrase."""
    name_child = _apposed_name(head)
    if name_child is not None:
        return _speaker_from_token(doc, pi, name_child, depth + 1)
    lemma = head.lemma_.lower()
    if lemma in DOCUMENT_NOUNS or head.lower_ in DOCUMENT_NOUNS:
        author = _complement(head)
        if author is not None:
            return _speaker_from_token(doc, pi, author, depth + 1)
        return doc.attributed[-1][2].speaker if doc.attributed and doc.attributed[-1][2].speaker else None
    if _definite(head) and not _named_complement(head):
        start = doc.tok_start(pi, head)
        if lemma in COLLECTIVE_PERSON_NOUNS and (member := _resolve_anaphor(doc, start, None, False)):
            return member  # "complète le duo": one of the people the article has just named
        if lemma in ROLE_NOUNS or head.lower_ in ROLE_NOUNS:
            has_complement = any(c.dep_ == "nmod" for c in head.children)
            named = _named_antecedent(doc, start, _noun_gender(head), head.lower_, nearest=not has_complement)
            if named is not None:
                return named
        if lemma in ANAPHORIC_ORG_HEADS or head.lower_ in ANAPHORIC_ORG_HEADS:
            org = _organisation_antecedent(doc, start, head.lower_)
            if org is not None:
                return _speaker_from_mention(doc, org)
    if lemma in ANAPHORIC_PERSON_NOUNS or head.lower_ in ANAPHORIC_PERSON_NOUNS:
        gender = _noun_gender(head)
        resolved = _resolve_anaphor(doc, doc.tok_start(pi, head), gender, False)
        if resolved is not None:
            return resolved
    return _phrase_speaker(doc, pi, head)


# anchored (\A): only ever used on one whole token, and anchored it cannot be retried at every position
_DEMONYM = re.compile(r"\A[a-zà-ÿ-]{1,40}(ais|aise|ois|oise|ain|aine|ien|ienne|éen|éenne|in|ine)",
                      re.IGNORECASE)


def _demonym_anaphor(tok: Token) -> bool:
    """"le Toulousain", "la Lyonnaise": a capitalised demonym with a definite article, used for a person."""
    return tok.text[:1].isupper() and tok.ent_type_ != "PER" and _definite(tok) and \
        _DEMONYM.fullmatch(tok.text) is not None and not (tok.i + 1 < len(tok.doc) and
                                                            tok.doc[tok.i + 1].pos_ == "PROPN")


def _definite(noun: Token) -> bool:
    """"le maire", "la directrice", "l'entreprise": a definite singular determiner (an anaphoric use)."""
    return any(c.dep_ == "det" and c.lower_ in ("le", "la", "l'", "ce", "cette", "cet")
               for c in noun.children)


def _named_complement(noun: Token) -> bool:
    """The noun phrase names someone or something itself ("le maire de Lyon", "le groupe Renault")."""
    return any(t.pos_ == "PROPN" or t.ent_type_ for child in noun.children if child.i > noun.i
               and child.dep_ in ("nmod", "amod", "appos", "flat", "flat:name", "compound")
               for t in child.subtree)


def _phrase_speaker(doc: _Document, pi: int, head: Token) -> _Speaker | None:
    """The noun phrase as written (:func:`_phrase_span`), with the organisation mentioned inside it."""
    found = _phrase_span(head)
    if found is None:
        return None
    span, name = found
    start, end = doc.paras[pi].span_offsets(span)
    org = next((m for m in doc.mentions if start <= m.start and m.end <= end and m.label != "PER"), None)
    return _Speaker(name, org.entity_id if org else None, False)
