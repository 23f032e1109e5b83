"""Label evidence from the context: what a candidate's words and neighbours say about its label
(roles, head nouns, appositions, verbs it is the subject or object of, enumerations).
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc

from pipeline import entity_lexicons as lex
from pipeline.entities.names import _looks_like_person_name
from pipeline.entities.records import _Candidate
from pipeline.entities.textutil import _last_words, _lower
from pipeline.entities.vocabulary import (
    APPOSITION_AFTER,
    CLAUSE_WORDS,
    ENUMERATION_GAP,
    EXAMPLES_AFTER_NOUN,
    EXAMPLES_OF,
    FIRST_NAMES,
    HONORIFICS,
    LEADING_FUNCTION_WORDS,
    LOWER_WORD,
    MEDIA_DETERMINER,
    MEDIA_NOUNS,
    ORG_HEAD_NOUNS,
    ORG_NAME_WORDS,
    ORG_OBJECT_VERBS,
    ORG_OF_NOUNS,
    OUTLET_BEFORE,
    PER_AFTER,
    PRODUCT_HEAD_NOUNS,
    PRODUCT_OF_NOUNS,
    RANGE_GAP,
    RANGE_OPENING,
    ROLE_APPOSITION_BEFORE,
    ROLE_TITLES,
    SOURCE_CUES,
)


def add_context_votes(cands: list[_Candidate], doc: Doc, text: str) -> None:
    """Add to each candidate's votes what its words and neighbours say about its label (``text`` is
    ``doc.text``, which spaCy rebuilds on every access)."""
    for i, cand in enumerate(cands):
        if cand.is_handle:
            continue
        form = cand.form(text)
        before = text[max(0, cand.start - 80):cand.start]
        after = text[cand.end:cand.end + 60]
        for label, weight in _name_votes(form) + _before_votes(before, cand, form) + _after_votes(after):
            cand.votes[label] += weight
        apposition = _apposition(after)
        if apposition is not None and not _is_subject_at(doc, cand.end + apposition[1]):
            cand.votes[apposition[0]] += 5  # "X, le logiciel de ...", "X, la société mère de ...": what X is
        previous = cands[i - 1] if i else None
        if previous is not None and previous.ner_label == "PER" and re.fullmatch(
                r"\s+(?:de|du)\s+|\s+d'", text[previous.end:cand.start]):
            cand.votes["ORG"] += 2  # "Name de X": X is the person's employer or outlet
        person_like = len(form.split()) >= 2 and _looks_like_person_name(form.split())
        reported = SOURCE_CUES.search(before) is not None and _lower(form.split()[0]) not in FIRST_NAMES
        if cand.ner_label == "MISC" and (reported or not person_like) and _is_agent(doc, cand, before):
            cand.votes["ORG"] += 1.5  # acts: outweighs spaCy's MISC on this mention and on another
        if person_like and SPEAKER_BEFORE.search(before):
            cand.votes["PER"] += 2
        if cand.ner_label != "LOC" and _is_object_of_product_verb(doc, cand):
            cand.votes["MISC"] += 2
        if cand.ner_label != "LOC" and _is_object_of_org_verb(doc, cand):
            cand.votes["ORG"] += 1.5
    _vote_by_enumeration(cands, text)


def _examples_kind(before: str, members: int) -> str | None:
    """"ORG" or "MISC": the kind whose examples follow ("des marques comme", "de vieux jeux d'arcade (").

    After "comme" / "tels que" one example is enough; after a bare bracket, colon or comma the noun must be
    plural and introduce at least two names ("les programmes existants, A et B").
    """
    match = EXAMPLES_OF.search(before)
    if match is None and members >= 2:
        match = EXAMPLES_AFTER_NOUN.search(before)
        if match is not None:
            return _head_noun_kind(_lower(match.group("words")).split(), plural=True)
        return None
    return None if match is None else _head_noun_kind(_lower(match.group("words")).split(), plural=False)


def _head_noun_kind(words: list[str], plural: bool) -> str | None:
    """Kind of the last head noun of ``words`` that is not a "de" complement ("éditeurs de jeux" -> ORG)."""
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        if (i and words[i - 1] in {"de", "du"}) or "'" in word:
            continue  # "de jeux", "d'arcade": a complement, the head is before it
        if plural and not word.endswith(("s", "x")):
            continue
        kind = _head_kind(word)
        if kind is not None:
            return kind
    return None


def _name_votes(form: str) -> list[tuple[str, float]]:
    words = form.split()
    votes: list[tuple[str, float]] = []
    first = _lower(words[0])
    events = lex.event_words()
    if len(words) >= 2 and (first in events or " ".join(map(_lower, words[:2])) in events):
        votes.append(("MISC", 5))  # "Festival X", "Coupe du monde": an event
    elif len(words) >= 2 and first in lex.org_words():
        votes.append(("ORG", 4))  # "Comité international olympique", "Fédération française de X"
    if len(words) >= 2 and re.fullmatch(r"\d{1,2}", words[-1]) and not words[-2].isdigit():
        votes.append(("MISC", 5))  # "Console 5", "Jeu 24": a product's version or edition
    if any(_lower(w) in ORG_NAME_WORDS for w in words[1:]) or (
            len(words) > 1 and _lower(words[0]) in ORG_NAME_WORDS):
        votes.append(("ORG", 3))
    if _lower(words[0]) in FIRST_NAMES and _looks_like_person_name(words):
        votes.append(("PER", 2 if len(words) > 1 else 1))
    return votes


# Nouns whose "de X" complement names the town a company or a club is from ("la firme de X").
SEAT_OF_NOUNS = {"firme", "géant", "constructeur", "club", "entreprise", "société", "start-up", "startup",
                 "équipe", "formation", "pensionnaires"}


def _before_votes(before: str, cand: _Candidate, form: str = "") -> list[tuple[str, float]]:
    lower = before.lower()
    votes: list[tuple[str, float]] = []
    last = _last_words(lower, 3)
    if last and last[-1] in HONORIFICS:
        votes.append(("PER", 3))
    elif last and last[-1] in ROLE_TITLES:
        votes.append(("PER", 2))
    of_nouns = _nouns_before_de(lower)
    if of_nouns and cand.ner_label != "LOC" and set(of_nouns) & ORG_OF_NOUNS:
        votes.append(("ORG", 2))
    elif set(of_nouns) & PRODUCT_OF_NOUNS:  # "les utilisateurs mensuels de X"
        votes.append(("MISC", 2))
    if of_nouns and of_nouns[-1] in SEAT_OF_NOUNS and " " not in form and cand.ner_label != "ORG" and _lower(
            form) not in FIRST_NAMES:
        votes.append(("LOC", 2))  # "la firme de Redmond": where the company sits
    if re.search(r"(?:\bselon|\bd'après)\s+$", lower) and " " not in form and cand.ner_label == "PER":
        votes.append(("ORG", 1.5))  # "selon X": a lone surname is rare there, a source common
    head = _head_noun_before(lower)
    if head in ORG_HEAD_NOUNS:
        votes.append(("ORG", 3))
    elif head in PRODUCT_HEAD_NOUNS:
        votes.append(("MISC", 3))
    if re.search(r"\bchez\s+$", lower) and cand.ner_label != "LOC":
        votes.append(("ORG", 2))
    outlet = OUTLET_BEFORE.search(before) is not None or _after_media_noun(lower)
    if outlet and _lower((form.split() or [""])[0]) not in FIRST_NAMES:
        votes.append(("ORG", 4))  # "publié dans X", "le blog spécialisé dans les nouvelles technologies X"
    role = ROLE_OF_PLACE_BEFORE.search(before)
    if role is not None and _lower(role.group("role")) in ROLE_TITLES:
        votes.append(("PER", 2))  # "le champion d'Europe X", "le maire de Lyon X"
    if ROLE_APPOSITION_BEFORE.search(before) and _lower(
            ROLE_APPOSITION_BEFORE.search(before).group("role")) in ROLE_TITLES:
        votes.append(("PER", 1))
    return votes


def _after_media_noun(lower: str) -> bool:
    """"le site d'information technologique X": a news outlet's noun, lower-case words, then the name."""
    if not lower.endswith(" "):
        return False
    for determiner in MEDIA_DETERMINER.finditer(lower, max(0, len(lower) - 90)):
        words = lower[determiner.end():].split()
        gap = words[1:]
        if (words and words[0] in MEDIA_NOUNS and 1 <= len(gap) <= 6 and all(map(LOWER_WORD.fullmatch, gap))
                and gap[-1] not in LEADING_FUNCTION_WORDS and not set(gap) & CLAUSE_WORDS):
            return True
    return False


def _after_votes(after: str) -> list[tuple[str, float]]:
    match = PER_AFTER.match(after)
    if match is None:
        return []
    if ROLE_OF_NEXT_NAME.match(after, match.end()):
        return []  # "X, une porte-parole de Google, Jenn Crider": the role is the next name's
    if match.group("role") and re.match(r"\s*(?:du|de|des|d')\b", after[match.end():]) and _lower(
            match.group("role")) in {"acteur", "spécialiste", "leader", "champion", "géant", "poids"}:
        return [("ORG", 3)]  # "X, un acteur du pari en ligne": a player of a market
    if match.group("age") or _lower(match.group("role") or "") in ROLE_TITLES:
        return [("PER", 2)]
    return []


# "le champion d'Europe X", "le cofondateur de DeepMind X": a role, its place or company, then the name.
ROLE_OF_PLACE_BEFORE = re.compile(r"(?<![\w-])(?P<role>[\w-]{2,40})\s+(?:de|du|d')\s*[A-ZÀ-Ý][\w-]{1,40}\s+$")
# After a role: "de Google, Jenn Crider" (the role introduces the name that follows, not the one before).
ROLE_OF_NEXT_NAME = re.compile(r"(?<!\s)\s{1,10}(?:de|du|des|d')\s{0,10}[^,;:.()«»\"]{1,40},\s{0,10}[A-ZÀ-Ý]")


def _apposition(after: str) -> tuple[str, int] | None:
    """("ORG" or "MISC", offset of its noun in ``after``) when an apposition names the kind of thing before it
    (", le logiciel ...", ", la société mère de ...")."""
    match = APPOSITION_AFTER.match(after)
    if match is None:
        return None
    for word in re.finditer(r"\S+", match.group("words")):
        lower = _lower(word.group())
        if lower in ROLE_TITLES or lower in LEADING_FUNCTION_WORDS:
            return None
        kind = _head_kind(lower)
        if kind is not None:
            return kind, match.start("words") + word.start()
    return None


def _is_subject_at(doc: Doc, offset: int) -> bool:
    """Whether the word at ``offset`` is the subject of a verb that follows with no comma between: "Avec sa
    console, le géant a ..." is no apposition; "X, la société mère de Y, conclut ..." is one."""
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    if span is None or not span.root.dep_.startswith("nsubj"):
        return False
    noun, verb = span.root, span.root.head
    return verb.i > noun.i and not any(t.text == "," for t in doc[noun.i:verb.i])


def _head_kind(word: str) -> str | None:
    """"ORG" for an organisation noun ("société", "maisons"), "MISC" for a product noun ("logiciel")."""
    for form in (word, word[:-1] if word.endswith(("s", "x")) else word):
        if form in ORG_HEAD_NOUNS:
            return "ORG"
        if form in PRODUCT_HEAD_NOUNS:
            return "MISC"
    return None


# "a ajouté X", "explique X": a name after a reporting verb in an inversion speaks.
SPEAKER_BEFORE = re.compile(
    r"(?:\b(?:a|avait)\s+(?:ajouté|déclaré|dit|expliqué|affirmé|précisé|souligné|estimé|confié|assuré|"
    r"raconté|poursuivi|conclu|insisté|martelé|reconnu|regretté)|\b(?:ajoute|explique|précise|souligne|estime|"
    r"affirme|raconte|confie|assure|poursuit|conclut|insiste|martèle|reconnaît|regrette))\s+$")


def _nouns_before_de(lower: str) -> list[str]:
    """Up to three words before a final "de" ("conseil d'administration actuel d'" -> those three)."""
    match = re.search(r"(?:\s(?:de la|de l'|du|des|de)\s+|\s(?:de l'|d')|\bd')$", lower)
    if match is None:
        return []
    words = re.findall(r"[\w-]+", lower[max(0, match.start() - 50):match.start()])
    return [w for w in words if w not in {"de", "d", "du", "des", "la", "l", "le", "les"}][-3:]


def _head_noun_before(lower: str) -> str | None:
    """The noun right before the name, skipping up to two lower-case adjectives ("le portail spécialisé")."""
    match = re.search(r"\b(?:le|la|les|l'|un|une|du|des|au|son|sa|ses|leur|notre|cette|ce)\s*"
                      r"([\w-]+)((?:\s+[a-zàâçéèêëîïôûùüÿœ-]+){0,2})\s+$", lower)
    if match is None:
        return None
    between = match.group(2).split()
    if any(w in LEADING_FUNCTION_WORDS or w in {"qui", "que", "dont", "où", "est", "a"} for w in between):
        return None
    noun = match.group(1)
    if noun == "jeune" and between[:1] == ["pousse"]:
        return "jeune pousse"
    return noun


def _is_agent(doc: Doc, cand: _Candidate, before: str) -> bool:
    """The name acts (subject of a verb, or the source of a report): not a product."""
    if SOURCE_CUES.search(before):
        return True
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return root.dep_ == "nsubj" and root.head.pos_ == "VERB" and root.head.lemma_ not in {
        "être", "devenir", "sembler", "rester", "paraître"}


def _is_object_of_org_verb(doc: Doc, cand: _Candidate) -> bool:
    """"dirige X", "a fondé X", "a racheté X": verbs whose object is usually an organisation."""
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is None or _lower(span.text.split()[0]) in FIRST_NAMES:
        return False
    previous = doc[span.start - 1] if span.start else None
    verb_before = previous is not None and previous.lemma_ in ORG_OBJECT_VERBS  # parse can be wrong there
    return verb_before or (span.root.dep_ == "obj" and span.root.head.lemma_ in ORG_OBJECT_VERBS)


# Verb lemmas whose direct object is usually a product or a work ("a développé X", "lance X").
PRODUCT_OBJECT_VERBS = {"développer", "lancer", "commercialiser", "sortir", "publier", "télécharger",
                        "installer", "concevoir", "tester"}


def _is_object_of_product_verb(doc: Doc, cand: _Candidate) -> bool:
    """"qui a développé X", "lance X": the object of a verb that makes or sells a product."""
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is None or span.start == 0:
        return False
    previous = doc[span.start - 1]
    return previous.lemma_ in PRODUCT_OBJECT_VERBS and previous.pos_ in {"VERB", "AUX"}


def _vote_by_enumeration(cands: list[_Candidate], text: str) -> None:
    """"A, B, C et D": a member spaCy disagrees on takes the label most other members share."""
    groups: list[list[_Candidate]] = []
    for cand in cands:
        if groups and not cand.is_handle and _continues_enumeration(groups[-1], cand, text):
            groups[-1].append(cand)
        else:
            groups.append([cand])
    for group in (g for g in groups if not g[0].is_handle):
        kind = _examples_kind(text[max(0, group[0].start - 80):group[0].start], len(group))
        apposition = _apposition(text[group[-1].end:group[-1].end + 60]) if len(group) >= 2 else None
        if apposition is not None:  # "de A à B, en passant par C, de nombreuses maisons de luxe y viennent"
            kind = apposition[0]
        for cand in group if kind is not None else ():  # "des éditeurs comme A, B ou encore C"
            cand.votes[kind] += 4 if kind == "ORG" else 3
    for group in (g for g in groups if len(g) >= 3):
        for cand in group:
            others = Counter(o.ner_label for o in group if o is not cand and o.ner_label)
            if others:
                label, count = others.most_common(1)[0]
                if count >= 2 and label != cand.ner_label:
                    cand.votes[label] += 2


def _continues_enumeration(group: list[_Candidate], cand: _Candidate, text: str) -> bool:
    """Whether ``cand`` is the next member of ``group``: "A, B et C", "de A à B, en passant par C"."""
    gap = text[group[-1].end:cand.start]
    if ENUMERATION_GAP.match(gap):
        return True
    return len(group) == 1 and RANGE_GAP.match(gap) is not None and RANGE_OPENING.search(
        text[max(0, group[0].start - 4):group[0].start]) is not None
