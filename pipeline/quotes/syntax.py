"""Syntactic attribution: a verb of saying, ``selon`` or ``comme le dit X`` in the same sentence, an
inverted cue right after the quotation (``», souffle X``) and a ``X … :`` colon introduction.
"""

from __future__ import annotations

from spacy.tokens import Token

from pipeline.quotes.document import _Document
from pipeline.quotes.records import _CONFIDENCE, _Attribution
from pipeline.quotes.speakers import _speaker_from_token
from pipeline.quotes.tree import (
    _INVERTED_CLITICS,
    SOURCE_CUES,
    _governing_verb,
    _leading_pour,
    _source_token,
    _subject_of,
)
from pipeline.quotes.verbs import _speech_lemma
from pipeline.quotes.words import (
    _CLOSERS,
    _OPENERS,
    _SENTENCE_END,
    AUXILIARY_FORMS,
    ROLE_NOUNS,
    UNRESOLVED_PRONOUNS,
)


def _window_before(doc: _Document, pi: int, off: int) -> list[Token]:
    """Tokens of the sentence before the opening mark, outside quotations, in reading order."""
    pp = doc.paras[pi]
    tokens = [t for t in pp.doc if t.idx < off]
    out: list[Token] = []
    for tok in reversed(tokens):
        if doc.token_quoted(pi, tok) or tok.is_space:
            continue
        if tok.text in _SENTENCE_END or (tok.text.endswith(".") and len(tok.text) > 1 and tok.text[0] == "."):
            break
        out.append(tok)
    return list(reversed(out))


def _window_after(doc: _Document, pi: int, off: int) -> list[Token]:
    """Tokens after the closing mark up to the end of the sentence, outside quotations."""
    pp = doc.paras[pi]
    out: list[Token] = []
    for tok in pp.doc:
        if tok.idx < off:
            continue
        if tok.text in _OPENERS or tok.text in _SENTENCE_END:
            break
        if doc.token_quoted(pi, tok) or tok.text in _CLOSERS or tok.text == '"' or tok.is_space:
            continue  # runs of spaces (line breaks of the page) are tokens of their own
        out.append(tok)
    return out


def _inverted_cue(doc: _Document, pi: int, after: list[Token]) -> _Attribution | None:
    """``», a déclaré X`` / ``», a-t-il ajouté`` / ``», selon X``: a cue right after the closing mark."""
    for n, tok in enumerate(after[:7]):
        if tok.is_punct or tok.pos_ in ("AUX", "ADV") or tok.lower_ in ("-t", "ne", "n'", "se", "s'") or \
                tok.lower_ in _INVERTED_CLITICS:
            continue
        if tok.lower_ in ("selon", "après") or (tok.lower_ == "pour" and n == 1):
            return _source_cue(doc, pi, tok)
        lemma = _speech_lemma(tok, positional=n <= 3)
        if lemma is None:
            return None
        subject = _inverted_subject(after, n) or _subject_of(tok)
        if subject is None:
            return None
        speaker = _speaker_from_token(doc, pi, subject)
        cue_end = doc.paras[pi].span_offsets(subject.doc[subject.i:_name_end(subject)])[1]
        return _Attribution(speaker, lemma, _CONFIDENCE["inverted"], cue_end)
    return None


def _name_end(tok: Token) -> int:
    """Token index just after the name starting at ``tok`` (its spaCy ent or flat:name children)."""
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    ends = [tok.i + 1] + [c.i + 1 for c in tok.children if c.dep_.startswith("flat")]
    return max([*ends, ent.end if ent is not None else 0])


def _inverted_subject(after: list[Token], verb_at: int) -> Token | None:
    """The subject of an inverted cue: a clitic (-t-il), else the first noun or name after the verb."""
    for tok in after[:verb_at + 3]:
        if tok.lower_ in _INVERTED_CLITICS:
            return tok
    # inside a prepositional group ("dans un message aux utilisateurs"); its noun seen
    in_group = headed = False
    for tok in after[verb_at + 1:verb_at + 18]:
        if tok.is_punct:
            return None
        if tok.pos_ == "ADP":
            in_group, headed = True, False
            continue
        if in_group:
            if tok.pos_ == "DET" and headed:
                in_group = False  # a determiner after the group's noun opens the subject
            elif tok.pos_ in ("NOUN", "PROPN") or (not headed and tok.pos_ in ("ADJ", "ADV")):
                headed = True  # the group's noun, or the word of an adverbial locution ("d'emblée")
                continue
            else:
                continue
        if tok.lower_ in ("ce", "cette") and tok.i + 1 < len(tok.doc) and \
                tok.doc[tok.i + 1].lower_ in ("dernier", "dernière"):
            return tok.doc[tok.i + 1]
        if tok.pos_ in ("ADV", "DET", "ADJ", "NUM"):
            continue
        if tok.pos_ in ("NOUN", "PROPN") or _foreign_name(tok) or \
                (tok.pos_ == "PRON" and tok.lower_ not in ("en", "y", "le", "la",
                                                                                        "l'", "lui")):
            return tok
    return None


def _foreign_name(tok: Token) -> bool:
    """A capitalised word the tagger calls foreign (X) inside a named entity: "The" of "The Daily Post"."""
    return tok.pos_ == "X" and tok.text[:1].isupper() and bool(tok.ent_type_)


def _next_is_noun_word(tok: Token) -> bool:
    """The next token continues a noun group (an adjective or noun), so ``tok`` does not end it."""
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.pos_ in ("ADJ",) and nxt.text[:1].islower()


def _cue_in_window(doc: _Document, pi: int, tokens: list[Token], kind: str) -> _Attribution | None:
    """The first speech verb, ``selon``/``d'après`` or leading ``pour X,`` of ``tokens`` with a speaker."""
    for tok in tokens:
        if tok.lower_ in ("selon", "après") or (tok.lower_ == "pour" and _leading_pour(tok)):
            found = _source_cue(doc, pi, tok)
            if found is not None and found.speaker is not None:
                return found
            continue
        lemma = _speech_lemma(tok)
        if lemma is None:
            continue
        subject = _comme_le_subject(tok) or _subject_of(tok)
        if subject is None:
            continue
        if subject.lower_ in ROLE_NOUNS and (named := _person_right_before(tok)) is not None:
            subject = named  # "Fondateur de X, Jean Y affirme": the name, whatever the parse made the subject
        speaker = _speaker_from_token(doc, pi, subject)
        if speaker is not None:
            return _Attribution(speaker, lemma, _CONFIDENCE[kind])
    return None


def _person_right_before(verb: Token) -> Token | None:
    """The person's name standing right before a verb (its auxiliaries and adverbs skipped)."""
    i = verb.i - 1
    while i >= 0 and (verb.doc[i].pos_ in ("AUX", "ADV", "SPACE") or verb.doc[i].lower_ in AUXILIARY_FORMS):
        i -= 1
    return verb.doc[i] if i >= 0 and verb.doc[i].ent_type_ == "PER" else None


def _comme_le_subject(verb: Token) -> Token | None:
    """``comme le souligne X`` / ``comme l'a rappelé X``: the subject stands after the verb."""
    words = [t for t in verb.doc[max(0, verb.i - 8):verb.i] if not t.is_space]
    while words and (words[-1].pos_ == "AUX" or words[-1].lower_ in AUXILIARY_FORMS):
        words.pop()
    if not words or words.pop().lower_ not in ("le", "l'"):
        return None
    if words and words[-1].lower_ in ("nous", "me", "m'", "vous", "lui", "leur"):
        words.pop()  # "comme nous l'explique X"
    if not words or words[-1].lower_ != "comme":
        return None
    doc = verb.doc
    following = [t for t in doc[verb.i:verb.i + 24] if not t.is_space]
    return _inverted_subject(following, 0)


def _source_cue(doc: _Document, pi: int, tok: Token) -> _Attribution | None:
    """``selon X`` / ``d'après X`` / ``pour X``: X is the noun the preposition introduces."""
    source = _source_token(tok)
    if source is None:
        return None
    cue = SOURCE_CUES[tok.lower_]
    return _Attribution(_speaker_from_token(doc, pi, source), cue, _CONFIDENCE["selon"])


def _colon_introduction(doc: _Document, pi: int, before: list[Token]) -> _Attribution | None:
    """``Jean Dupont : « ... »``: the name or pronoun right before a colon that opens the quotation."""
    words = [t for t in before if not t.is_space]
    if not words or words[-1].text != ":":
        return None
    opening = words[0] if words[0].ent_type_ == "PER" else None
    has_verb = any(t.pos_ == "VERB" for t in words[:-1])
    if opening is not None and has_verb:  # "Jean Roux, chef de projet chez X, explique : « … »"
        speaker = _speaker_from_token(doc, pi, opening)
        if speaker is not None:
            return _Attribution(speaker, "colon", _CONFIDENCE["colon"])
    candidates = [t for t in words[:-1] if t.pos_ in ("PROPN", "PRON") or t.ent_type_ in ("PER", "ORG")]
    if not candidates or candidates[-1].i < words[-1].i - 4 or (has_verb and candidates[-1].dep_ != "nsubj"):
        verb = _governing_verb(words[-1])  # "X ne cache pas sa colère : « … »": the clause's subject
        subject = _subject_of(verb) if verb.pos_ in ("VERB", "AUX", "ADJ", "NOUN") else None
        if subject is None or subject.i > words[-1].i or subject.lower_ in UNRESOLVED_PRONOUNS:
            return None
        speaker = _speaker_from_token(doc, pi, subject)
        return _Attribution(speaker, "colon", _CONFIDENCE["colon"]) if speaker else None
    speaker = _speaker_from_token(doc, pi, candidates[-1])
    return _Attribution(speaker, "colon", _CONFIDENCE["colon"]) if speaker else None
