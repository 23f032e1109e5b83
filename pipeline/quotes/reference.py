"""Detection side of naming a speaker: what the parse says about a token that may name one (a pronoun and
its gender, a relative pronoun's antecedent, a demonym, a name and its entity, a role noun, a document's
author, the noun phrase as written), as a tuple of plain :class:`~pipeline.quotes.records._Step` records.

Only the tree is read here; which person or organisation a step stands for depends on the article's other
paragraphs and on the quotations attributed so far, and is resolved over the rows (``speakers.py``). Offsets
are paragraph offsets (``export.steps_in_document`` moves them to document offsets).
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from pipeline.quotes.records import _Step
from pipeline.quotes.tree import TIME_NOUNS, _apposed_name, _complement, _noun_gender, _phrase_span
from pipeline.quotes.words import (
    ANAPHORIC_ORG_HEADS,
    ANAPHORIC_PERSON_NOUNS,
    ANAPHORIC_PRONOUNS,
    COLLECTIVE_PERSON_NOUNS,
    DOCUMENT_NOUNS,
    ROLE_NOUNS,
    UNRESOLVED_PRONOUNS,
)

Steps = tuple[_Step, ...]


def speaker_ref(tok: Token, depth: int = 0) -> Steps:
    """The steps naming the speaker a subject token stands for: a pronoun to resolve, a named entity or a
    nominal phrase (the tree read as ``_speaker_from_token`` read it; nothing resolved)."""
    if depth > 3:
        return ()
    word = tok.lower_.removeprefix("-t-").removeprefix("-")
    if word in ("dernier", "dernière") and tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("ce", "cette"):
        return (_Step("anaphor", tok.idx, gender="Fem" if word == "dernière" else "Masc", flag=True),)
    if tok.pos_ == "PRON" or word in ANAPHORIC_PRONOUNS or word in UNRESOLVED_PRONOUNS:
        relative = tok.head.dep_ == "acl:relcl" and tok.head.head.i != tok.head.i
        if word in ("qui", "lequel", "laquelle") and relative:
            return speaker_ref(_relative_antecedent(tok.head), depth + 1)
        if word in ANAPHORIC_PRONOUNS:
            return (_Step("pronoun", tok.idx, gender=ANAPHORIC_PRONOUNS[word],
                          flag=word not in ("il", "elle", "lui")),)
        return ()
    steps: Steps = ()
    if _demonym_anaphor(tok):  # "précise le Toulousain": the person the article introduced with that word
        steps = (_Step("demonym", tok.idx, gender=_noun_gender(tok), word=tok.lower_),)
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in TIME_NOUNS and (apposed := _apposed_noun(tok)):
        return steps + speaker_ref(apposed, depth + 1)  # "Chaque année, la presse se demandait"
    if tok.pos_ == "NOUN" and (name := _apposed_name(tok)) is not None:
        return steps + speaker_ref(name, depth + 1)  # "Le ministre de X, Jean Y, a dit": the name
    steps += (_Step("mention", tok.idx, tok.idx + len(tok.text), flag=tok.pos_ == "NOUN"),)
    if (tok.pos_ == "PROPN" and not tok.text[:1].islower()) or tok.ent_type_:
        return (*steps, _name_step(tok))
    if tok.pos_ in ("NOUN", "ADJ", "PROPN"):  # a proper noun in lower case is a common noun mis-tagged
        return steps + nominal_ref(tok, depth)
    return steps


def nominal_ref(head: Token, depth: int = 0) -> Steps:
    """A common-noun speaker: an apposed name, a document's author, an anaphoric person, or the phrase."""
    name_child = _apposed_name(head)
    if name_child is not None:
        return speaker_ref(name_child, depth + 1)
    lemma = head.lemma_.lower()
    if lemma in DOCUMENT_NOUNS or head.lower_ in DOCUMENT_NOUNS:
        author = _complement(head)
        return speaker_ref(author, depth + 1) if author is not None else (_Step("last_speaker"),)
    steps: list[_Step] = []
    if _definite(head) and not _named_complement(head):
        if lemma in COLLECTIVE_PERSON_NOUNS:
            steps.append(_Step("collective", head.idx))  # "complète le duo": one of the people just named
        if lemma in ROLE_NOUNS or head.lower_ in ROLE_NOUNS:
            has_complement = any(c.dep_ == "nmod" for c in head.children)
            steps.append(_Step("role", head.idx, gender=_noun_gender(head), word=head.lower_,
                               flag=not has_complement))
        if lemma in ANAPHORIC_ORG_HEADS or head.lower_ in ANAPHORIC_ORG_HEADS:
            steps.append(_Step("org_head", head.idx, word=head.lower_))
    if lemma in ANAPHORIC_PERSON_NOUNS or head.lower_ in ANAPHORIC_PERSON_NOUNS:
        steps.append(_Step("person_noun", head.idx, gender=_noun_gender(head)))
    found = _phrase_span(head)
    if found is not None:
        span, name = found
        steps.append(_Step("phrase", span.start_char, span.end_char, word=name))
    return tuple(steps)


def _name_step(tok: Token) -> _Step:
    """A proper-noun speaker: spaCy's entity holding the token, else its run of proper nouns."""
    doc = tok.doc
    span = entity_of(tok)
    if span is not None:
        return _Step("name", span.start_char, span.end_char, word=span.text, flag=span.label_ == "PER")
    first, last = tok.i, tok.i
    while first > 0 and doc[first - 1].pos_ == "PROPN":
        first -= 1
    while last + 1 < len(doc) and doc[last + 1].pos_ == "PROPN":
        last += 1
    run = doc[first:last + 1]
    return _Step("name", run.start_char, run.end_char, word=run.text, flag=False)


def entity_of(tok: Token) -> Span | None:
    """spaCy's entity holding the token, read from the IOB tags around it as ``Doc.ents`` reads them
    (``Doc.ents`` makes a span of every entity of the paragraph on each access)."""
    doc = tok.doc
    if tok.ent_iob_ not in ("B", "I"):
        return None
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    if doc[start].ent_iob_ != "B" or not doc[start].ent_type_:
        return None
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=doc[start].ent_type_)


def entity_end(tok: Token) -> int:
    """Token index just after spaCy's entity holding the token; 0 outside entities."""
    span = entity_of(tok)
    return span.end if span is not None else 0


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
