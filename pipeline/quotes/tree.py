"""Tree helpers of the quotes stage that read one paragraph's parse and nothing else: the subject of a
verb of saying, the noun a source locution introduces, a clause-opening ``pour X,``, a noun's gender, the
name set in apposition to a noun and the noun phrase a speaker is named by. Only the detection components
(``component.py``, ``attribution_component.py``, ``reference.py``) read the tree.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from pipeline.quotes.inversion import INVERTED_CLITICS
from pipeline.quotes.textutil import _clean, _has_words
from pipeline.quotes.words import (
    _OPENERS,
    _SENTENCE_END,
    ANAPHORIC_ORG_NOUNS,
    AUXILIARY_FORMS,
    INSTITUTION_NOUNS,
    _lexicon,
)


def _subject_of(verb: Token, depth: int = 0) -> Token | None:
    """Speaker token of a speech verb: nsubj, inverted clitic, passive agent, or the governing verb's."""
    for child in verb.children:
        if child.lower_ in INVERTED_CLITICS:
            return child
    for child in verb.children:
        if child.dep_ == "nsubj" and child.lower_ not in ("l'",):
            return child
    for child in verb.children:
        if child.dep_ == "obl:agent":
            return child
    if any(c.dep_ == "obj" and c.lower_ in ("que", "qu'") and c.i < verb.i for c in verb.children):
        inverted = next((c for c in verb.children if c.dep_ in ("obj", "nsubj") and c.i > verb.i), None)
        if inverted is not None:
            return inverted
    if verb.dep_ not in ("advcl", "xcomp", "conj", "ccomp", "acl", "acl:relcl") or _has_auxiliary(verb):
        positional = _subject_before(verb)
        if positional is not None:
            return positional
    if depth < 3 and verb.head.i != verb.i and verb.dep_ in ("advcl", "xcomp", "conj", "ccomp", "acl"):
        if verb.dep_ == "acl" and _detached_participle(verb):
            return _subject_of(_governing_verb(verb), depth + 1)
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            return verb.head
        return _subject_of(verb.head, depth + 1)
    return None


def _has_auxiliary(verb: Token) -> bool:
    """A compound tense ("a pour sa part salué"): the verb is finite whatever the parser attached it to."""
    for tok in reversed(verb.doc[max(0, verb.i - 5):verb.i]):
        if tok.is_punct:
            return False
        if tok.lower_ in AUXILIARY_FORMS and tok.lower_ not in ("est", "sont", "était", "étaient"):
            return True
    return False


def _subject_before(verb: Token) -> Token | None:
    """The name or noun right before a verb and its auxiliaries, when the parse gives no subject."""
    doc, i, hops = verb.doc, verb.i - 1, 0
    while i >= 0 and hops < 6:
        tok = doc[i]
        if tok.lower_ in AUXILIARY_FORMS or tok.pos_ in ("AUX", "ADV", "SPACE") or \
                tok.lower_ in ("ne", "n'", "se"):
            i -= 1
        elif tok.pos_ in ("PROPN", "NOUN") and any(c.dep_ == "case" for c in tok.children):
            i = min([c.i for c in tok.subtree] + [i]) - 1  # a complement ("pour sa part", "de l'État")
            hops += 1
        elif tok.pos_ in ("PROPN", "NOUN") and i < verb.i - 1:
            return tok
        else:
            return None
    return None


def _detached_participle(verb: Token) -> bool:
    """", assurant que ...": a present participle after a comma shares the subject of the main clause,
    even when the parser hangs it on the nearest noun."""
    return "Part" in verb.morph.get("VerbForm") and "Pres" in verb.morph.get("Tense") and verb.i > 0 \
        and verb.doc[verb.i - 1].text == ","


def _governing_verb(tok: Token) -> Token:
    head = tok.head
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    return head


def _leading_pour(tok: Token) -> bool:
    """``Pour X, ...`` opening a clause, X a name, a noun or a stressed pronoun (not an infinitive)."""
    doc = tok.doc
    after_break = tok.i == 0 or doc[tok.i - 1].text in (",", ";", ":", "«", '"', "-")
    if not after_break and not (doc[tok.i - 1].is_sent_start or doc[tok.i - 1].pos_ == "CCONJ"):
        return False
    head = tok.head
    if head.pos_ not in ("PROPN", "NOUN", "PRON") or head.lower_ in ("cela", "ça", "ceci"):
        return False
    if head.pos_ == "NOUN" and not any(c.dep_ == "det" for c in head.children):
        return False  # "pour cause", "pour preuve": a locution, not a source
    following = [t for t in doc[head.i + 1:head.i + 8]]
    return any(t.text == "," for t in following[:6])




def _source_token(tok: Token) -> Token | None:
    """The noun ``selon`` / ``d'après`` / ``pour`` introduces (None for an ``après`` without ``d'``)."""
    if tok.lower_ == "après" and not (tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("d'", "d")):
        return None
    source = tok.head if tok.head.i != tok.i else None
    if source is None or source.i < tok.i or source.pos_ not in ("NOUN", "PROPN", "PRON"):
        source = next((t for t in tok.doc[tok.i + 1:tok.i + 5] if t.pos_ in ("NOUN", "PROPN", "PRON")), None)
    return source


def _noun_gender(noun: Token) -> str | None:
    """Gender of a noun phrase, from its determiner first ("la ministre": Fem), then the noun."""
    for child in noun.children:
        if child.dep_ == "det" and child.morph.get("Gender"):
            return child.morph.get("Gender")[0]
    return (noun.morph.get("Gender") or [None])[0]


# Heads of noun phrases that never speak: times and dates ("l'année de 2005 à 2010", "le lundi").
TIME_NOUNS = _lexicon("""
    an année mois semaine jour journée soir soirée matin matinée nuit heure minute siècle décennie
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin juillet
    août septembre octobre novembre décembre fois période époque date moment saison
""")


def _apposed_name(head: Token) -> Token | None:
    """A proper name in apposition or directly after a role noun ("le PDG, Jean Dupont", "le ministre X")."""
    following = head.doc[head.i + 1:head.i + 4]
    for tok in following:
        if tok.pos_ == "ADJ" and not tok.ent_type_:
            continue
        starts_name = tok.pos_ == "PROPN" or (tok.ent_iob_ == "B" and tok.ent_type_ != "LOC")
        if tok.text[:1].isupper() and starts_name:
            return tok
        break
    for tok in head.doc[head.i + 1:head.i + 16]:
        if tok.pos_ in ("VERB", "AUX") or tok.text in _SENTENCE_END or tok.text in _OPENERS:
            break
        if tok.text == "," and tok.i + 1 < len(tok.doc):
            name = tok.doc[tok.i + 1]
            if name.ent_type_ == "PER" or (name.pos_ == "PROPN" and name.text[:1].isupper()):
                return name
            break
    for child in head.children:
        if child.i < head.i or any(c.dep_ == "case" for c in child.children):
            continue
        if child.dep_ in ("appos", "flat:name", "flat", "flat:foreign", "nmod", "compound") and \
                (child.pos_ == "PROPN" or child.ent_type_ in ("PER", "ORG")):
            return child
    return None


def _complement(head: Token) -> Token | None:
    """The "de X" complement of a noun (the author of "une note du conseil")."""
    for child in head.children:
        if child.dep_ == "nmod" and child.i > head.i and \
                any(c.dep_ == "case" and c.lower_ in ("de", "du", "des", "d'") for c in child.children):
            return child
    return None


_PHRASE_DEPS = {"amod", "nmod", "case", "det", "flat", "flat:name", "flat:foreign", "compound", "fixed",
                "acl", "obl", "obl:arg", "obl:mod", "nummod", "advmod"}


def _phrase_span(head: Token) -> tuple[Span, str] | None:
    """The noun phrase of ``head`` as written, without its determiner, relative clauses or anaphoric
    complements, and its name; None for a date, a time or a place (they never speak)."""
    doc = head.doc
    keep = _phrase_tokens(head)
    first, last = min(keep), max(keep)
    tokens = [t for t in doc[first:last + 1]]
    cut = next((t.i for t in tokens if t.text in ",()" or (t.i > head.i and t.pos_ in ("VERB", "AUX")
                                                              and t.dep_ not in ("acl", "amod"))), None)
    if cut is not None and cut > head.i:
        last = cut - 1
    anaphoric = next((t for t in doc[head.i + 1:last + 1] if head.lemma_.lower() in INSTITUTION_NOUNS
                      and t.dep_ == "nmod"
                      and t.lemma_.lower() in ANAPHORIC_ORG_NOUNS and _complement(t) is None
                      and not t.ent_type_), None)
    if anaphoric is not None:
        case = min([c.i for c in anaphoric.subtree])
        last = min(last, case - 1)
    while (first < head.i and doc[first].pos_ in ("DET", "ADP", "PRON")) or \
            (first < head.i and doc[first].lower_ in ("l'", "d'")):
        first += 1
    while last > head.i and doc[last].pos_ in ("ADP", "DET", "PUNCT", "CCONJ"):
        last -= 1
    span = doc[first:last + 1]
    name = _clean(span.text)
    if not _has_words(name) or head.lemma_.lower() in TIME_NOUNS or head.lower_ in TIME_NOUNS or \
            head.ent_type_ in ("LOC", "DATE") or head.like_num:
        return None  # a date, a time or a place never speaks
    return span, name


def _phrase_tokens(head: Token) -> set[int]:
    keep = {head.i}
    frontier = [head]
    while frontier:
        tok = frontier.pop()
        for child in tok.children:
            if child.dep_ in _PHRASE_DEPS and child.dep_ != "acl:relcl" and child.i not in keep and \
                    not (child.dep_ == "acl" and "Part" not in child.morph.get("VerbForm")):
                keep.add(child.i)
                frontier.append(child)
    # keep the contiguous run around the head only
    lo = hi = head.i
    while lo - 1 in keep:
        lo -= 1
    while hi + 1 in keep:
        hi += 1
    return set(range(lo, hi + 1))
