"""spaCy entities of one paragraph cleaned into candidates: trimmed, extended, filtered, plus handles and
signature names.

Offsets are paragraph-relative, in the parsed paragraph text (runs of spaces collapsed).
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc, Span

from pipeline import entity_lexicons as lex
from pipeline.entities.acronyms import _abbreviates
from pipeline.entities.filters import _signature_names, is_non_entity
from pipeline.entities.records import _Candidate
from pipeline.entities.textutil import _lower
from pipeline.entities.vocabulary import (
    ELISIONS,
    FIRST_NAMES,
    HANDLE,
    HONORIFICS,
    INSTITUTION_NAME,
    LEADING_DETERMINERS,
    LEADING_PREPOSITIONS,
    NAME_BREAK,
    NON_ENTITY_WORDS,
    ORG_NOUNS,
    ROLE_TITLES,
    SPEECH_DASH_OR_PUNCT,
    STREET_HEAD,
    STREET_NAME,
    TITLE_MODIFIERS,
    URL_LIKE,
)
from pipeline.entities.votes import _head_kind, add_context_votes
from pipeline.french import CALENDAR_WORDS


def paragraph_candidates(doc: Doc, text: str) -> list[_Candidate]:
    """spaCy entities of one paragraph doc cleaned and filtered, plus handles and signature names, in text
    order, with the label evidence of their context (``text`` is ``doc.text``, rebuilt by spaCy on access)."""
    handles = [_Candidate(m.start(), m.end(), "", Counter({"PER": 0.25}), is_handle=True)
               for m in HANDLE.finditer(text)]
    # No URL_LIKE match spans whitespace: a paragraph without one (most) skips the per-word scan.
    blocked = [] if URL_LIKE.search(text) is None else [
        (m.start(), m.end()) for m in re.finditer(r"\S+", text) if URL_LIKE.search(m.group())]
    blocked += [(h.start, h.end) for h in handles]
    found: list[_Candidate] = []
    for ent in doc.ents:
        if any(ent.start_char < e and s < ent.end_char for s, e in blocked):
            continue
        cand = clean_entity(ent, text)
        if cand is not None and not is_non_entity(cand, ent, text):
            found.append(_with_street_head(cand, text))
    found += _signature_names(text, found)
    found = _without_nested(sorted(found + handles, key=lambda c: (c.start, -c.end)))
    add_context_votes(found, doc, text)
    return found


def _with_street_head(cand: _Candidate, text: str) -> _Candidate:
    """The candidate started at the lower-case street or park noun before it, when there is one."""
    head = STREET_HEAD.search(text, max(0, cand.start - 30), cand.start)
    if head is not None and not cand.is_handle:
        cand.start = head.start()
        cand.votes["LOC"] += 3
    return cand


def _without_nested(found: list[_Candidate]) -> list[_Candidate]:
    """Candidates (sorted by start, longest first) without those inside an earlier one's extended span."""
    out: list[_Candidate] = []
    for cand in found:
        if not out or cand.start >= out[-1].end or cand.end > out[-1].end:
            out.append(cand)
    return out


def clean_entity(ent: Span, text: str | None = None) -> _Candidate | None:
    """Trim a spaCy entity to the name itself: no elision, determiner, role or title, no stray marks.

    ``text`` is ``ent.doc.text`` when the caller has it: spaCy joins every token anew on each access.
    """
    tokens = list(ent)
    votes: Counter = Counter({ent.label_: 0.5 if ent.label_ == "MISC" else 1.0})
    tokens, stripped_title = strip_leading_words(tokens)
    if stripped_title:
        votes["PER"] += 2
    while tokens and all(ch in SPEECH_DASH_OR_PUNCT for ch in tokens[-1].text):
        tokens = tokens[:-1]
    if not tokens:
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = ent.doc.text if text is None else text
    after_quote = text[:start].rstrip()[-1:] in {"“", '"', "«", "(", "‘"}
    start = _skip_elision(text, start, end, at_sentence_start=tokens[0].is_sent_start or after_quote)
    while start < end and text[start] in SPEECH_DASH_OR_PUNCT:
        start += 1
    start = _after_lower_case_head(text, start, end, votes)
    cut = NAME_BREAK.search(text, start, end)
    if cut is not None:
        end = cut.start()
    while end > start and text[end - 1] in SPEECH_DASH_OR_PUNCT.replace(".", ""):
        end -= 1
    end = _trim_trailing_function_words(text, start, _trim_trailing_shout(text, start, end))
    if start >= end:
        return None
    dash = SPACED_DASH.search(text, start, end)
    if dash is not None and dash.start() > start:
        end = dash.start()  # "Titre - 525 000 exemplaires": the name ends at the spaced dash
    cand = _extend_first_name(_Candidate(start, end, ent.label_, votes), ent, text)
    cand = _extend_name_word(cand, ent, text)
    cand.end = extended_end(text, cand.start, cand.end, ent.label_)
    cand.end = _through_defined_initialism(ent.doc, text, cand.start, cand.end)
    return cand


# French function words a name never ends with ("Département d'informatique de l" + "Université ...").
TRAILING_FUNCTION_WORDS = {"de", "du", "des", "d", "l", "la", "le", "les", "et", "à", "au", "aux", "en",
                           "pour", "sur", "par"}


def _after_lower_case_head(text: str, start: int, end: int, votes: Counter) -> int:
    """"institut spécialisé Newzoo": spaCy took the lower-case noun and its adjectives; the name starts at the
    capital, and the noun says its kind. Institutions and streets named with their noun keep it."""
    form = text[start:end].replace("’", "'")
    words = list(re.finditer(r"\S+", form))
    if len(words) < 2 or not form[:1].islower() or INSTITUTION_NAME.match(form) or STREET_NAME.match(form):
        return start
    kind = _head_kind(_lower(words[0].group()))
    for word in words[1:] if kind is not None else ():
        if word.group()[:1].isupper():
            votes[kind] += 3
            return start + word.start()
        if not word.group().islower():
            break
    return start


def _trim_trailing_function_words(text: str, start: int, end: int) -> int:
    """The end before a trailing "de l'", "et": spaCy stopped short of the name that word introduces."""
    while True:
        head, _, last = text[start:end].rstrip(SPEECH_DASH_OR_PUNCT).rpartition(" ")
        if not head or last not in TRAILING_FUNCTION_WORDS:
            return start + len(text[start:end].rstrip(SPEECH_DASH_OR_PUNCT))
        end = start + len(head)


# " de recherche en informatique (Inria)", ", signaux et systèmes de X (I3S)": up to the bracket.
DEFINED_INITIALISM = re.compile(r"(?P<tail>[ ,][^()«»\"“”.;:!?]{0,90}?) \((?P<abbr>[A-Z][A-Za-z0-9-]{1,9})\)")
NOT_IN_A_NAME = {"VERB", "AUX", "PRON", "SCONJ"}


def _through_defined_initialism(doc: Doc, text: str, start: int, end: int) -> int:
    """"l'Institut national français de recherche en informatique (Inria)": an organisation's name goes on in
    lower case up to the initialism the text gives it, when no verb sits between and the letters fit."""
    if _lower(text[start:end].split()[0]) not in ORG_NOUNS:
        return end
    match = DEFINED_INITIALISM.match(text, end)
    if match is None or not _abbreviates(match.group("abbr"), text[start:match.end("tail")]):
        return end
    span = doc.char_span(end, match.end("tail"), alignment_mode="expand")
    if span is None or any(token.pos_ in NOT_IN_A_NAME for token in span):
        return end
    return match.end("tail")


SPACED_DASH = re.compile(r"(?<!\s)\s+[-–—]\s+")  # starts only where a space run starts: linear


def _extend_name_word(cand: _Candidate, ent: Span, text: str) -> _Candidate:
    """"Electronic" + "Arts": one word of an organisation or a work, and a capitalised word spaCy left out."""
    doc = ent.doc
    following = doc[ent.end] if ent.end < len(doc) else None
    if (len(ent) == 1 and ent.label_ in {"ORG", "MISC"} and cand.end == ent.end_char and following is not None
            and following.idx == cand.end + 1 and following.text[:1].isupper()
            and following.text[1:].islower() and following.is_alpha and not following.ent_type_
            and _lower(following.text) not in NON_ENTITY_WORDS | CALENDAR_WORDS | FIRST_NAMES):
        cand.end = following.idx + len(following.text)
    return cand


# "Oudéa-Castéra" cut after "Oudéa", "Saint-Germain" after "Saint": a hyphen glued to a capital goes on.
HYPHEN_TAIL = re.compile(r"-[A-ZÀ-Ý][\w'’]*")
# "Airbus Defence and Space": an English name spaCy cuts at "and" (no French sentence has it).
ENGLISH_AND_TAIL = re.compile(r" (?:and|&) [A-ZÀ-Ý][\w'’-]*(?: [A-ZÀ-Ý][\w'’-]*){0,3}")
# "Festival Alchimie du jeu", "Journée mondiale des geeks": an event's name goes on in lower case.
EVENT_TAIL = re.compile(r" (?:du|de la|de l'|des|d') ?[a-zà-ÿ][\w-]{2,}")


# " de Jeux", " d'Argenson": a capitalised complement that goes on an organisation's or a place's name.
PROPER_TAIL = re.compile(r" +(?:du|de la|de l'|des|de|d') ?[A-ZÀ-Ý][\w-]+")
# Words that open a place's name before "de X" ("Faubourg de X", "Place de X"), capitalised in the name.
PLACE_HEADS = {"faubourg", "place", "parc", "rue", "quartier", "avenue", "boulevard", "chemin", "jardin",
               "pont", "quai", "cours", "allée", "square", "île", "porte", "cité", "domaine", "bois", "mont"}


def extended_end(text: str, start: int, end: int, label: str) -> int:
    """The end of a name spaCy stopped short of: a hyphenated last part, an English "and", an event's noun."""
    words = text[start:end].split()
    tail = HYPHEN_TAIL.match(text, end)
    if tail is not None and words[-1][:1].isupper():
        end = tail.end()
    tail = ENGLISH_AND_TAIL.match(text, end)
    if tail is not None and label in {"ORG", "MISC"} and words[-1][:1].isupper():
        end = tail.end()
    tail = PROPER_TAIL.match(text, end)
    if tail is not None and _lower(tail.group().split()[-1].split("'")[-1]) not in lex.org_words() and (
            (_lower(words[0]) in lex.org_words() and len(words) >= 2)
            or (len(words) == 1 and _lower(words[0]) in PLACE_HEADS)):
        end = tail.end()  # "Société des Auteurs de Jeux", "Faubourg d'Argenson"
    tail = EVENT_TAIL.match(text, end)
    if tail is not None and len(words) >= 2 and _lower(words[0]) in lex.event_words() and all(
            w[:1].isupper() for w in words[1:]):
        end = tail.end()
    return end


def strip_leading_words(tokens: list) -> tuple[list, bool]:
    """Drop prepositions, roles and titles opening a span ("le PDG X" -> "X"); True if a title went.

    A determiner or a modifier ("premier", "ancien") goes only when a title follows it, so "Le Monde"
    and "Premier League" stay whole.
    """
    stripped_title = False
    while len(tokens) > 1:
        word, following = _lower(tokens[0].text), _lower(tokens[1].text)
        if word in ROLE_TITLES or word in HONORIFICS:
            stripped_title = True
        elif word in LEADING_PREPOSITIONS:
            stripped_title = False  # "le PDG de X", "le maire de X": X is where the title holds
        elif not ((word in LEADING_DETERMINERS or word in TITLE_MODIFIERS)
                  and (following in ROLE_TITLES or following in HONORIFICS or following in TITLE_MODIFIERS)):
            break
        tokens = tokens[1:]
    return tokens, stripped_title


def _skip_elision(text: str, start: int, end: int, at_sentence_start: bool) -> int:
    """Offset after a glued elided word ("qu'X", "d'X", "l'X"); "L'X" kept inside a sentence (L'Oréal)."""
    head = text[start:end]
    for prefix in ELISIONS:
        if head.lower().startswith(prefix) and len(head) > len(prefix):
            if head[0].isupper() and not at_sentence_start and prefix == "l'":
                return start
            return start + len(prefix)
    return start


def _trim_trailing_shout(text: str, start: int, end: int) -> int:
    """"Jane Doe HISTORIQUE": a capitalised headline word glued after a full name is not part of it."""
    words = text[start:end].split(" ")
    if len(words) >= 3 and len(words[-1]) >= 4 and words[-1].isupper() and all(
            w[:1].isupper() and not w.isupper() for w in words[:-1]):
        return end - len(words[-1]) - 1
    return end


def _extend_first_name(cand: _Candidate, ent: Span, text: str) -> _Candidate:
    """"la CTO Nadia" + "Kerbrat": a lone given name followed by a capitalised word takes it as surname."""
    doc = ent.doc
    form = text[cand.start:cand.end]
    if " " in form or _lower(form) not in FIRST_NAMES:
        return cand
    following = doc[ent.end] if ent.end < len(doc) else None
    if (following is not None and following.idx == cand.end + 1 and following.text[:1].isupper()
            and following.is_alpha and not following.ent_type_ and _lower(following.text) not in
            NON_ENTITY_WORDS | CALENDAR_WORDS):
        cand.end = following.idx + len(following.text)
        cand.votes["PER"] += 2
    return cand
