"""Detection of the quotes stage as registered spaCy components, run over one parsed paragraph each.

- ``quote_detector`` writes ``doc.spans["quote"]``: the paragraph's outermost quoted pieces (label: the
  family of marks, ``guillemet`` / ``curly`` / ``straight``; extension ``quote_pieces``: the
  :class:`~pipeline.quotes.marks.MarkedPiece` records of that token span, whether closed and whether opened
  by the paragraph's leading mark, so that resolution can stitch a quotation across paragraphs). It also
  records what the not-quotation filters need from the parse: for every quotation mark, the cue word before
  it and whether a noun labels a one-word quotation (``doc._.quote_marks``), the cue word ending the
  paragraph (``doc._.quote_end_facts``: a quotation opening the next paragraph reads it), and whether the
  paragraph is only a credit line "Name, role" (``doc._.quote_only_a_credit``).
- ``speech_cue_detector`` writes ``doc.spans["speech_cue"]``: verbs of saying (label ``verb``) and source
  locutions (``selon``, ``d'après``, a leading ``pour``: label ``source``), each with its syntactic subject
  or source as the parse gives it (extension ``speech_cue``: a :class:`~pipeline.quotes.records._Cue`).
- ``speaker_candidate_detector`` writes ``doc.spans["speaker_candidate"]``: persons, proper-noun subjects
  and role nouns as subjects (extension ``speaker_candidate``).
- ``institution_detector`` writes ``doc.spans["institution"]``: every institution noun ("le conseil", "la
  société"), the antecedent "lequel" or "ce dernier" may stand for, with its grammatical genders and the
  steps naming the speaker it is (the group's ``attrs["genders"]`` and ``attrs["steps"]``, aligned with
  its spans; see ``reference.py``); which one a pronoun stands for is resolved over the rows
  (``speakers.py``).

Neither changes tokens or the parse. What needs more than the paragraph (stitching, drop reasons in
sequence, continuations, posts' narration) is resolved over the exported rows (``export.py``).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from functools import cache

from spacy import parts_of_speech
from spacy.attrs import LOWER, POS
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, SpanGroup, Token

from pipeline.quotes.marks import MarkedPiece, mark_offsets, scan_paragraph
from pipeline.quotes.records import _Candidate, _Cue, _MarkFacts, _Step
from pipeline.quotes.reference import nominal_ref
from pipeline.quotes.textutil import _strip_elision
from pipeline.quotes.tree import (
    _apposed_name,
    _leading_pour,
    _noun_gender,
    _phrase_span,
    _source_token,
    _subject_of,
)
from pipeline.quotes.verbs import _speech_lemma
from pipeline.quotes.words import (
    AUXILIARY_FORMS,
    CUES_BEFORE,
    DOCUMENT_NOUNS,
    INSTITUTION_NOUNS,
    ROLE_NOUNS,
    SOURCE_CUES,
)

QUOTE_COMPONENT = "quote_detector"
QUOTE_KEY = "quote"
QUOTE_PIECES = "quote_pieces"  # Span extension: the MarkedPiece records of the span, in reading order
QUOTE_MARKS = "quote_marks"  # Doc extension: {offset of a quotation mark: _MarkFacts}
QUOTE_END_FACTS = "quote_end_facts"  # Doc extension: _MarkFacts of the paragraph's last words
QUOTE_ONLY_A_CREDIT = "quote_only_a_credit"  # Doc extension: the paragraph is a credit line "Name, role"
CUE_COMPONENT = "speech_cue_detector"
CUE_KEY = "speech_cue"
CUE = "speech_cue"  # Span extension: the _Cue record of the span
CANDIDATE_COMPONENT = "speaker_candidate_detector"
CANDIDATE_KEY = "speaker_candidate"
CANDIDATE = "speaker_candidate"  # Span extension: the _Candidate records of the span
INSTITUTION_COMPONENT = "institution_detector"
INSTITUTION_KEY = "institution"

Span.set_extension(QUOTE_PIECES, default=None, force=True)
Span.set_extension(CUE, default=None, force=True)
Span.set_extension(CANDIDATE, default=None, force=True)
Doc.set_extension(QUOTE_MARKS, default=None, force=True)
Doc.set_extension(QUOTE_END_FACTS, default=None, force=True)
Doc.set_extension(QUOTE_ONLY_A_CREDIT, default=False, force=True)

# Words that may stand between a cue word and the marks ("le mot « … »").
_LEADING_WORDS = ("le", "la", "les", "l'", "un", "une", ",", ":")


@Language.factory(QUOTE_COMPONENT)
def make_quote_detector(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """The component: needs a parsed doc (tokens, tags, lemmas, deps, ents); changes none of it."""
    return detect_quotes


@Language.factory(CUE_COMPONENT)
def make_speech_cue_detector(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """The component: needs a parsed doc (tokens, tags, lemmas, deps); changes none of it."""
    return detect_speech_cues


@Language.factory(CANDIDATE_COMPONENT)
def make_speaker_candidate_detector(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """The component: needs a parsed doc (tags, lemmas, morph, deps, sents, ents); changes none of it."""
    return detect_speaker_candidates


@Language.factory(INSTITUTION_COMPONENT)
def make_institution_detector(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """The component: needs a parsed doc (tags, lemmas, morph, deps, ents); changes none of it."""
    return detect_institutions


def detect_institutions(doc: Doc) -> Doc:
    """Write every institution noun of the paragraph with its genders and the steps naming the speaker it
    is (read as a noun phrase one level down: ``nominal_ref(depth=1)``)."""
    spans, genders, steps = [], [], []
    for i, pos in enumerate(doc.to_array(POS).tolist()):  # a Token is made for the nouns only
        if pos != parts_of_speech.NOUN:
            continue
        tok = doc[i]
        if tok.lemma_.lower() in INSTITUTION_NOUNS:
            spans.append(doc[i:i + 1])
            genders.append(tuple(tok.morph.get("Gender")))
            steps.append(nominal_ref(tok, depth=1))
    doc.spans[INSTITUTION_KEY] = SpanGroup(doc, name=INSTITUTION_KEY, spans=spans,
                                           attrs={"genders": genders, "steps": steps})
    return doc


def institutions_in(doc: Doc) -> list[tuple[Span, tuple[str, ...], tuple[_Step, ...]]]:
    """The institution nouns the component wrote to ``doc``, in reading order: (span, genders, steps)."""
    group = doc.spans.get(INSTITUTION_KEY)
    if group is None:
        return []
    return list(zip(group, group.attrs["genders"], group.attrs["steps"], strict=True))


def detect_speaker_candidates(doc: Doc) -> Doc:
    """Write the people the paragraph names who may speak (person entities, proper-noun subjects, role
    nouns as subjects) to ``doc.spans["speaker_candidate"]``; which of them stand outside quotations and
    outside the entity stage's mentions is resolved over the rows."""
    groups: dict[tuple[int, int], tuple[Span, list[_Candidate]]] = {}  # a role noun may be a one-word ent
    for candidate in _candidates(doc):
        span = doc.char_span(candidate.start, candidate.end, label=candidate.kind, alignment_mode="expand")
        groups.setdefault((span.start, span.end), (span, []))[1].append(candidate)
    for span, found in groups.values():
        span._.set(CANDIDATE, tuple(found))
    doc.spans[CANDIDATE_KEY] = [span for span, _ in groups.values()]
    return doc


def candidates_in(doc: Doc) -> list[_Candidate]:
    """The candidates the component wrote to ``doc``: entities, then proper nouns, then role nouns."""
    found = [c for span in doc.spans.get(CANDIDATE_KEY, ()) for c in span._.get(CANDIDATE)]
    order = {"ent": 0, "propn": 1, "role": 2}
    return sorted(found, key=lambda c: (order[c.kind], c.start))


def _candidates(doc: Doc) -> list[_Candidate]:
    found = [_Candidate("ent", ent.start_char, ent.end_char, _strip_elision(ent.text),
                        ent.root.dep_ in ("nsubj", "nsubj:pass"), ent.sent.start_char)
             for ent in doc.ents if ent.label_ == "PER"]
    roles = []
    for tok in doc:
        if tok.dep_ == "nsubj" and tok.pos_ == "PROPN" and not tok.ent_type_ and tok.text[:1].isupper():
            found.append(_Candidate("propn", tok.idx, tok.idx + len(tok.text), tok.text, True,
                                    tok.sent.start_char))
        elif tok.dep_ == "nsubj" and tok.pos_ == "NOUN" and tok.lemma_.lower() in ROLE_NOUNS and \
                "Plur" not in tok.morph.get("Number") and _apposed_name(tok) is None:
            phrase = _phrase_span(tok)  # "les joueurs" is never the antecedent of "il" or "elle"
            if phrase is not None:
                roles.append(_Candidate("role", tok.idx, tok.idx + len(tok.text), phrase[1], True,
                                        tok.sent.start_char, _noun_gender(tok)))
    return found + roles


def detect_quotes(doc: Doc) -> Doc:
    """Write the paragraph's quoted pieces and the parse facts of its quotation marks."""
    text = doc.text
    groups: dict[tuple[int, int], tuple[Span, list[MarkedPiece]]] = {}  # extensions are stored per span
    for piece in scan_paragraph(text):
        span = _covering(doc, piece.start, piece.end, piece.family)
        groups.setdefault((span.start, span.end), (span, []))[1].append(piece)
    for span, pieces in groups.values():
        span._.set(QUOTE_PIECES, tuple(pieces))
    doc.spans[QUOTE_KEY] = [span for span, _ in groups.values()]
    marks = mark_offsets(text)
    facts: dict[int, _MarkFacts] = {}
    if marks:  # most paragraphs hold none: their tokens are not walked
        tokens = list(doc)
        words = [t for t in tokens if not t.is_space]
        word_ends = [t.idx + len(t.text) for t in words]
        starts = [t.idx for t in tokens]
        facts = {pos: _mark_facts(tokens, words, word_ends, starts, text, pos) for pos in marks}
    doc._.set(QUOTE_MARKS, facts)
    last = _last_words(doc, 4)
    doc._.set(QUOTE_END_FACTS, _MarkFacts(bool(last), _cue_word(last, True), _cue_word(last, False), False))
    doc._.set(QUOTE_ONLY_A_CREDIT, _only_a_credit(doc, text))
    return doc


def _last_words(doc: Doc, n: int) -> list[Token]:
    """The paragraph's last ``n`` tokens that are not spaces, in reading order."""
    out: list[Token] = []
    for i in range(len(doc) - 1, -1, -1):
        if len(out) == n:
            break
        if not doc[i].is_space:
            out.append(doc[i])
    return out[::-1]


def pieces_in(doc: Doc) -> list[MarkedPiece]:
    """The quoted pieces the component wrote to ``doc``, in reading order."""
    found = [piece for span in doc.spans.get(QUOTE_KEY, ()) for piece in span._.get(QUOTE_PIECES)]
    return sorted(found, key=lambda p: p.start)


def detect_speech_cues(doc: Doc) -> Doc:
    """Write the paragraph's verbs of saying and source locutions, with their subject or source."""
    spans = []
    for i in _cue_candidates(doc):
        tok = doc[i]
        cue = _cue(tok)
        if cue is not None:
            span = doc[tok.i:tok.i + 1]
            span.label_ = cue.kind
            span._.set(CUE, cue)
            spans.append(span)
    doc.spans[CUE_KEY] = spans
    return doc


def cues_in(doc: Doc) -> list[_Cue]:
    return [span._.get(CUE) for span in doc.spans.get(CUE_KEY, ())]


def _cue_candidates(doc: Doc) -> list[int]:
    """Indices of the tokens that may be a cue: a verb or auxiliary, a word after an auxiliary form (a
    verb the tagger missed), or a source locution. Read from arrays: no ``Token`` is made for the others."""
    verbs, auxiliaries, sources = _CANDIDATE_POS, _hashes(AUXILIARY_FORMS), _hashes(frozenset(SOURCE_CUES))
    out = []
    previous_lower = -1
    for i, (pos, lower) in enumerate(doc.to_array([POS, LOWER]).tolist()):
        if pos in verbs or lower in sources or previous_lower in auxiliaries:
            out.append(i)
        previous_lower = lower
    return out


_CANDIDATE_POS = frozenset({parts_of_speech.VERB, parts_of_speech.AUX})


@cache
def _hashes(words: frozenset[str]) -> frozenset[int]:
    """The string-store hashes of ``words`` (the same in every vocabulary), as ``Doc.to_array`` gives them."""
    return frozenset(get_string_id(word) for word in words)


def _cue(tok: Token) -> _Cue | None:
    """A verb of saying with its subject (``_subject_of``), or a source locution with its source noun."""
    if tok.lower_ in SOURCE_CUES:
        if (tok.lower_ == "pour" and not _leading_pour(tok)) or (tok.lower_ == "après" and \
                not (tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("d'", "d"))):
            return None
        kind, lemma, subject = "source", SOURCE_CUES[tok.lower_], _source_token(tok)
    else:
        lemma = _speech_lemma(tok)
        if lemma is None:
            return None
        kind, subject = "verb", _subject_of(tok)
    if subject is None:
        return _Cue(kind, lemma, tok.idx, tok.idx + len(tok.text), None, None, None, None)
    return _Cue(kind, lemma, tok.idx, tok.idx + len(tok.text), subject.idx, subject.idx + len(subject.text),
                subject.lower_, subject.pos_)


def _covering(doc: Doc, start: int, end: int, label: str) -> Span:
    """The token span covering the characters ``[start, end)`` (at least one token)."""
    span = doc.char_span(start, max(end, start + 1), label=label, alignment_mode="expand")
    if span is None or len(span) == 0:
        last = next((t.i for t in reversed(doc) if t.idx <= start), 0)
        span = Span(doc, last, last + 1, label=label)
    return span


def _mark_facts(tokens: list[Token], words: list[Token], word_ends: list[int], starts: list[int], text: str,
                pos: int) -> _MarkFacts:
    """The cue words before the mark at ``pos``, and a noun right before it labelling the noun after it.
    ``word_ends`` / ``starts``: where the words end and the tokens start, for binary searches (a paragraph
    can hold many marks)."""
    before = words[:bisect.bisect_right(word_ends, pos)]
    start = pos + 1
    while start < len(text) and text[start].isspace():
        start += 1
    at = bisect.bisect_left(starts, start)
    label = tokens[at] if at < len(tokens) else None
    noun = before[-1] if before else None
    labelled = noun is not None and noun.pos_ == "NOUN" and noun.lemma_.lower() not in DOCUMENT_NOUNS
    return _MarkFacts(bool(before), _cue_word(before, True), _cue_word(before, False),
                      labelled and label is not None and label.pos_ == "NOUN")


def _cue_word(tokens: list[Token], capitalised: bool) -> str | None:
    """The reason a cue word among the last words gives ("la série « … »", "le mot « … »"): a title or a
    product only for quoted words starting with a capital (or no letter); determiners may stand between."""
    for tok in reversed(tokens[-4:]):
        reason = CUES_BEFORE.get(tok.lower_)
        if reason is not None and (reason not in ("title", "product") or capitalised):
            return reason
        if tok.pos_ not in ("DET", "ADJ", "NUM") and tok.lower_ not in _LEADING_WORDS:
            break
    return None


def _only_a_credit(doc: Doc, text: str) -> bool:
    """A paragraph that is a person's name and a role, with no finite verb ("Jeanne Roux, analyste")."""
    first = next((t for t in doc if not t.is_space), None)
    if first is None or first.ent_type_ != "PER" or "\n" in text.strip():
        return False
    return not any(t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm") for t in doc
                   if not t.is_space)
