"""Speaker naming and anaphora resolution: the speaker a token stands for (a name, a pronoun, a role
noun such as "le maire", an organisation, a demonym), and the named antecedent it resolves to.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from pipeline.quotes.document import _Document
from pipeline.quotes.records import _Mention, _Speaker
from pipeline.quotes.textutil import _clean, _has_words, _strip_elision
from pipeline.quotes.words import (
    _OPENERS,
    _SENTENCE_END,
    ANAPHORIC_ORG_HEADS,
    ANAPHORIC_ORG_NOUNS,
    ANAPHORIC_PERSON_NOUNS,
    ANAPHORIC_PRONOUNS,
    COLLECTIVE_PERSON_NOUNS,
    DOCUMENT_NOUNS,
    INSTITUTION_NOUNS,
    ORGANISATION_PRONOUN_CHARS,
    ROLE_NOUNS,
    ROLE_SYNONYMS,
    UNRESOLVED_PRONOUNS,
    _lexicon,
)


def _noun_gender(noun: Token) -> str | None:
    """Gender of a noun phrase, from its determiner first ("la ministre": Fem), then the noun."""
    for child in noun.children:
        if child.dep_ == "det" and child.morph.get("Gender"):
            return child.morph.get("Gender")[0]
    return (noun.morph.get("Gender") or [None])[0]


def _resolve_anaphor(doc: _Document, before: int, gender: str | None, allow_groups: bool) -> _Speaker | None:
    """Nearest compatible person named before document offset ``before`` (or institution if allowed).

    A personal pronoun prefers the subject of the antecedent's sentence; "ce dernier", "lequel" and the
    like (``allow_groups``) name the last one mentioned."""
    persons = [m for m in doc.persons if m.end <= before and (gender is None or m.gender in (None, gender))]
    best: tuple[int, _Speaker] | None = None
    if persons:
        person = persons[-1]
        subjects = [m for m in persons if m.sentence_start == person.sentence_start and m.subject]
        if subjects and person.sentence_start >= 0 and not allow_groups:
            person = subjects[-1]  # the subject of that sentence is the likelier antecedent
        speaker = _speaker_from_mention(doc, person) if person.label == "PER" else \
            _named_antecedent(doc, person.start, person.gender, person.name.split()[0].lower()) or \
            _Speaker(person.name, None, True)
        best = (persons[-1].start, speaker)
    if allow_groups:
        group = _nearest_institution(doc, before, gender)
        if group is not None and (best is None or group[0] > best[0]):
            best = group
    return best[1] if best else None


def _recent_organisation(doc: _Document, before: int) -> _Mention | None:
    """The organisation named last in the ``ORGANISATION_PRONOUN_CHARS`` before a pronoun when the article
    names no person it could stand for ("le Comité olympique ... « … », plaide-t-il")."""
    return next((m for m in reversed(doc.mentions) if m.label == "ORG" and m.entity_id
                 and before - ORGANISATION_PRONOUN_CHARS <= m.start and m.end <= before
                 and not doc.is_quoted(m.start)), None)


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


def _speaker_from_mention(doc: _Document, mention: _Mention) -> _Speaker:
    name = mention.name
    if mention.entity_id is None:
        name = _full_person_name(doc, name) if mention.label == "PER" else name
    return _Speaker(name, mention.entity_id, mention.label == "PER")


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


def _full_person_name(doc: _Document, name: str) -> str:
    """A surname alone becomes the fullest name of the article ending with it ("Dupont" -> "Jean Dupont")."""
    if len(name.split()) != 1:
        return name
    fuller = [n for n in doc.person_names if len(n.split()) > 1 and n.split()[-1] == name]
    return max(fuller, key=len) if fuller else name


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


# Heads of noun phrases that never speak: times and dates ("l'année de 2005 à 2010", "le lundi").
TIME_NOUNS = _lexicon("""
    an année mois semaine jour journée soir soirée matin matinée nuit heure minute siècle décennie
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin juillet
    août septembre octobre novembre décembre fois période époque date moment saison
""")


def _organisation_antecedent(doc: _Document, before: int, noun: str) -> _Mention | None:
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


def _parsed_as_person(doc: _Document, mention: _Mention) -> bool:
    """spaCy reads the mention as a person's name, whatever label the entity stage gave it."""
    for pp in doc.paras:
        if pp.contains(mention.start):
            at = pp.local_offset(mention.start)
            return any(e.label_ == "PER" and e.start_char <= at < e.end_char for e in pp.doc.ents)
    return False


def _definite(noun: Token) -> bool:
    """"le maire", "la directrice", "l'entreprise": a definite singular determiner (an anaphoric use)."""
    return any(c.dep_ == "det" and c.lower_ in ("le", "la", "l'", "ce", "cette", "cet")
               for c in noun.children)


def _named_complement(noun: Token) -> bool:
    """The noun phrase names someone or something itself ("le maire de Lyon", "le groupe Renault")."""
    return any(t.pos_ == "PROPN" or t.ent_type_ for child in noun.children if child.i > noun.i
               and child.dep_ in ("nmod", "amod", "appos", "flat", "flat:name", "compound")
               for t in child.subtree)


def _named_antecedent(doc: _Document, before: int, gender: str | None, role: str,
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


def _phrase_speaker(doc: _Document, pi: int, head: Token) -> _Speaker | None:
    """The noun phrase as written, without its determiner, relative clauses or anaphoric complements."""
    pp = doc.paras[pi]
    keep = _phrase_tokens(head)
    first, last = min(keep), max(keep)
    tokens = [t for t in pp.doc[first:last + 1]]
    cut = next((t.i for t in tokens if t.text in ",()" or (t.i > head.i and t.pos_ in ("VERB", "AUX")
                                                              and t.dep_ not in ("acl", "amod"))), None)
    if cut is not None and cut > head.i:
        last = cut - 1
    anaphoric = next((t for t in pp.doc[head.i + 1:last + 1] if head.lemma_.lower() in INSTITUTION_NOUNS
                      and t.dep_ == "nmod"
                      and t.lemma_.lower() in ANAPHORIC_ORG_NOUNS and _complement(t) is None
                      and not t.ent_type_), None)
    if anaphoric is not None:
        case = min([c.i for c in anaphoric.subtree])
        last = min(last, case - 1)
    while (first < head.i and pp.doc[first].pos_ in ("DET", "ADP", "PRON")) or \
            (first < head.i and pp.doc[first].lower_ in ("l'", "d'")):
        first += 1
    while last > head.i and pp.doc[last].pos_ in ("ADP", "DET", "PUNCT", "CCONJ"):
        last -= 1
    span = pp.doc[first:last + 1]
    start, end = pp.span_offsets(span)
    name = _clean(span.text)
    if not _has_words(name) or head.lemma_.lower() in TIME_NOUNS or head.lower_ in TIME_NOUNS or \
            head.ent_type_ in ("LOC", "DATE") or head.like_num:
        return None  # a date, a time or a place never speaks
    org = next((m for m in doc.mentions if start <= m.start and m.end <= end and m.label != "PER"), None)
    return _Speaker(name, org.entity_id if org else None, False)


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
