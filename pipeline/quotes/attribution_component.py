"""Detection of what the attribution rules read in a quotation's own paragraph, as a registered spaCy
component: ``quote_attribution_detector`` writes ``doc.spans["quote_word"]``, one span per token, and the
group's ``attrs["words"]`` the aligned :class:`~pipeline.quotes.records._Word` records: the token's form
and tags, the parse's links a rule follows (a verb of saying's subject, ``comme le dit X``, the noun
``selon`` introduces, the subject of the clause a colon ends), the end of the name it starts, and the steps
naming the speaker it may stand for (``reference.py``).

Which words form the windows around a quotation depends on the ranges quoted once quotations are stitched
across paragraphs, so the windows are cut over these records at resolution (``syntax.py``), never here.
A paragraph without a quotation mark is read by the rules only for its last sentence (the sentence before
a quotation opening the next paragraph): only that sentence's words carry links and steps.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, IS_PUNCT, IS_SPACE, LOWER, ORTH, POS, SPACY
from spacy.language import Language
from spacy.tokens import Doc, SpanGroup, Token

from pipeline.quotes.component import CUE_KEY, cues_in
from pipeline.quotes.inversion import INVERTED_CLITICS, inverted_subject
from pipeline.quotes.marks import QUOTATION_MARK, scan_paragraph
from pipeline.quotes.records import _Word
from pipeline.quotes.reference import entity_end, speaker_ref
from pipeline.quotes.tree import _governing_verb, _leading_pour, _source_token, _subject_of
from pipeline.quotes.verbs import _speech_lemma
from pipeline.quotes.words import _OPENERS, _SENTENCE_END, AUXILIARY_FORMS, ROLE_NOUNS, SOURCE_CUES
from pipeline.spans import SpanIndex

ATTRIBUTION_COMPONENT = "quote_attribution_detector"
WORD_KEY = "quote_word"
WORDS = "words"  # the SpanGroup attribute holding the records, aligned with the spans


@Language.factory(ATTRIBUTION_COMPONENT)
def make_quote_attribution_detector(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """The component: needs a parsed doc (tags, lemmas, morph, deps, ents); changes none of it."""
    return detect_words


def detect_words(doc: Doc) -> Doc:
    """Write the paragraph's word records (see the module's docstring): one span, the tokens the rules
    may read; the records of every token in ``attrs["words"]``."""
    words, read = _facts(doc)
    spans = [doc[read.start:read.stop]] if read else []
    doc.spans[WORD_KEY] = SpanGroup(doc, name=WORD_KEY, spans=spans, attrs={WORDS: words})
    return doc


def paragraphs_read(texts: list[str]) -> list[int]:
    """Indices of the paragraphs the attribution rules read: those holding a quotation mark (the windows
    around a quotation, its incises) and the ones before them (the sentence before a quotation opening a
    paragraph)."""
    marked = [bool(QUOTATION_MARK.search(text)) for text in texts]
    return [pi for pi in range(len(texts)) if marked[pi] or (pi + 1 < len(texts) and marked[pi + 1])]


def words_in(doc: Doc) -> list[_Word]:
    """The records the component wrote to ``doc``, in token order (the group's own list: not to change)."""
    group = doc.spans.get(WORD_KEY)
    return group.attrs[WORDS] if group is not None else []


def _facts(doc: Doc) -> tuple[list[_Word], range]:
    """Every token as a record, and the range of those the rules may read (they get their links and the
    speaker steps)."""
    words, text = _base_words(doc)
    marked = QUOTATION_MARK.search(text) is not None
    read = _read_range(marked, words)
    _fill(doc, words, read, marked, text)
    return words, read


_ARRAY = [ORTH, LOWER, POS, DEP, ENT_TYPE, IS_SPACE, IS_PUNCT, HEAD, IDX, SPACY]


def _base_words(doc: Doc) -> tuple[list[_Word], str]:
    """The form and tags of every token, read from arrays (a ``Token`` per token costs more than the rule),
    and the paragraph's text joined from them (``Doc.text`` makes every ``Token``)."""
    if not len(doc):
        return [], ""
    strings, names = doc.vocab.strings, {0: ""}
    array = doc.to_array(_ARRAY).astype(np.int64)
    for value in set(array[:, :5].ravel().tolist()):  # np.unique costs more on a paragraph's few tokens
        if value not in names:
            names[value] = strings[value & 0xFFFFFFFFFFFFFFFF]
    rows = array.tolist()
    deps = array[:, 3].tolist()
    words = [_Word(i, idx, names[orth], names[lower], names[pos], names[dep], names[ent], space == 1,
                   punct == 1, names[deps[i + head]] == "ROOT")
             for i, (orth, lower, pos, dep, ent, space, punct, head, idx, _) in enumerate(rows)]
    text = "".join(word.text + " " if row[9] else word.text for word, row in zip(words, rows, strict=True))
    return words, text


def _read_range(marked: bool, words: list[_Word]) -> range:
    """The tokens the rules may read: all of them in a paragraph holding a quotation mark, else those of
    its last sentence (final sentence ends left out, as ``syntax._sentence_before`` reads it)."""
    if marked:
        return range(len(words))
    end = len(words)
    while end > 0 and words[end - 1].text in _SENTENCE_END:
        end -= 1
    start = end
    while start > 0 and words[start - 1].text not in _SENTENCE_END:
        start -= 1
    return range(start, end)


def _fill(doc: Doc, words: list[_Word], read: range, marked: bool, text: str) -> None:
    """Links on the words read; speaker steps and name ends on the words a rule may take for a speaker.
    A ``Token`` is made only for the words the parse is asked about."""
    targets: set[int] = set()
    cues = _verb_cues(doc, words)
    positions = _verb_positions(words, _quotable(text)) if marked else [False] * len(words)
    for i in read:
        word = words[i]
        verb_like = word.pos_ in ("VERB", "AUX") or (i > 0 and words[i - 1].lower_ in AUXILIARY_FORMS)
        positional = positions[i] and word.text[:1].islower()
        source = word.lower_ in SOURCE_CUES
        cue = cues.get(i, (None, None)) if cues is not None and verb_like and not source else None
        no_verb = (cue is not None and cue[0] is None) or not verb_like  # no verb of saying here
        if no_verb and not (positional or source or word.text == ":"):
            continue
        _link(doc[i], word, words, targets, verb_like, positional, cue, positions[i])
    targets.update(_named_subjects(words, read))
    if marked:
        targets.update(_inverted_subjects(words))
        targets.update(_colon_words(words))
    for i in sorted(targets):
        tok = doc[i]
        words[i].steps = speaker_ref(tok)
        last = doc[_name_end(tok) - 1]
        words[i].name_end = last.idx + len(last.text)


def _verb_cues(doc: Doc, words: list[_Word]) -> dict[int, tuple[str, int | None]] | None:
    """Token index -> (lemma, subject index) of the verbs of saying the ``speech_cue_detector`` found, when
    it ran before (its ``_speech_lemma`` and ``_subject_of``: not computed twice); None when it did not."""
    if CUE_KEY not in doc.spans:
        return None
    at = {word.idx: word.i for word in words}
    return {at[cue.start]: (cue.lemma, at.get(cue.subject_start) if cue.subject_start is not None else None)
            for cue in cues_in(doc) if cue.kind == "verb"}


def _verb_positions(words: list[_Word], quotable: SpanIndex[tuple[int, int]]) -> list[bool]:
    """Per word: it stands where a rule reads it as a verb whatever its tag (``_speech_lemma(positional=
    True)``): the first word after a comma inside quoted words (an incise; adverbs, "ne", "se", "-t"
    between), or the first word after a closing mark that a window after a quotation does not skip
    (punctuation, auxiliaries, adverbs, "ne", "se", "-t-il" between). Spaces are no words.
    ``quotable``: the ranges the paragraph's quoted pieces may cover (:func:`_quotable`)."""
    out = [False] * len(words)
    after_comma = after_mark = False  # walking back from the current word reaches a comma / a mark
    for i, word in enumerate(words):
        out[i] = after_comma or after_mark
        incise_skip = word.is_space or word.pos_ == "ADV" or word.lower_ in _SKIPPED_IN_INCISE
        comma = word.text == "," and _inside(word.idx, quotable)
        after_comma = comma or (after_comma and incise_skip)
        closer = _CLOSER.search(word.text) is not None
        after_mark = closer or (after_mark and (word.is_space or _skipped_after_mark(word)))
    return out


def _quotable(text: str) -> SpanIndex[tuple[int, int]]:
    """The ranges the paragraph's quoted pieces may cover, read alone or resuming a quotation carried in
    from the paragraph before (stitching reads it one of these ways; trimming only narrows a piece)."""
    pieces = [*scan_paragraph(text), *scan_paragraph(text, "guillemet"), *scan_paragraph(text, "curly")]
    return SpanIndex(((piece.start, piece.end) for piece in pieces), lambda span: span)


def _inside(offset: int, ranges: SpanIndex[tuple[int, int]]) -> bool:
    """``offset`` falls in one of the ``ranges``."""
    return next(ranges.overlapping(offset, offset + 1), None) is not None


def _skipped_after_mark(word: _Word) -> bool:
    """A word ``_inverted_cue`` passes over before the verb."""
    return word.is_punct or word.pos_ in ("AUX", "ADV") or word.lower_ in _SKIPPED_BEFORE_VERB


_SKIPPED_IN_INCISE = frozenset({"se", "s'", "ne", "n'", "-t"})
_SKIPPED_BEFORE_VERB = frozenset({"-t", "ne", "n'", "se", "s'", *INVERTED_CLITICS})
_CLOSER = re.compile(r'[»“”"]')  # the marks that may close a quotation (“ does when used for both)


def _link(tok: Token, word: _Word, words: list[_Word], targets: set[int], verb_like: bool,
          positional: bool, cue: tuple[str | None, int | None] | None, after_break: bool) -> None:
    """Fill the record's verb-of-saying lemmas and the links the rules follow from it; the linked tokens
    are added to ``targets`` (they get speaker steps). ``verb_like``: a verb, or a word after an auxiliary
    (else ``_speech_lemma`` finds no verb); ``positional``: a rule may read it where only a verb stands;
    ``cue``: (lemma, subject) as the ``speech_cue_detector`` found them (it reads every verb-like word but
    the source locutions), None when not looked up; ``after_break``: the word stands where an inverted cue
    may start (a "pour" there introduces a source; elsewhere only one opening a clause does)."""
    if cue is not None:
        word.lemma, word.subject = cue
    else:
        word.lemma = _speech_lemma(tok) if verb_like else None
    word.lemma_positional = _speech_lemma(tok, positional=True) if positional else None
    if word.subject is None and (word.lemma is not None or word.lemma_positional is not None):
        word.subject = _index(_subject_of(tok))
    if word.lemma is not None:
        subject = _comme_le_subject(tok, words)
        subject = subject if subject is not None else word.subject
        if subject is not None and words[subject].lower_ in ROLE_NOUNS and \
                (named := _person_right_before(tok)) is not None:
            subject = named.i  # "Fondateur de X, Jean Y affirme": the name, whatever the parse's subject
        word.clause_subject = subject
    if tok.lower_ in SOURCE_CUES:
        word.leading_pour = tok.lower_ == "pour" and _leading_pour(tok)
        if tok.lower_ != "pour" or word.leading_pour or after_break:
            word.source = _index(_source_token(tok))
    if tok.text == ":":
        verb = _governing_verb(tok)  # "X ne cache pas sa colère : « … »": the clause's subject
        word.colon_subject = _index(_subject_of(verb)) if verb.pos_ in ("VERB", "AUX", "ADJ", "NOUN") \
            else None
    targets.update(i for i in (word.subject, word.clause_subject, word.source, word.colon_subject)
                   if i is not None)


def _index(tok: Token | None) -> int | None:
    return tok.i if tok is not None else None


def _named_subjects(words: list[_Word], read: range) -> list[int]:
    """A name or person subject of the sentence's root (the previous-sentence rule asks who it is)."""
    return [i for i in read if words[i].dep_ == "nsubj" and words[i].head_root and
            (words[i].pos_ == "PROPN" or words[i].ent_type_ == "PER")]


def _inverted_subjects(words: list[_Word]) -> list[int]:
    """The words ``inverted_subject`` may return after a verb of saying: an inverted clitic, "dernier"
    after "ce", and the nouns, names and pronouns after a verb read where only a verb stands, up to what
    ends both a window after a quotation and an incise (a sentence end, an opening mark) or the first
    punctuation, unless a straight quotation mark came first (the words it quotes are skipped)."""
    out, after_verb, straight = [], False, False
    for word in words:
        ends = word.text in _SENTENCE_END or word.text in _OPENERS
        if ends or (after_verb and word.is_punct and not QUOTATION_MARK.search(word.text) and not straight):
            after_verb = False
        after_ce = word.i > 0 and words[word.i - 1].lower_ in ("ce", "cette")
        if word.lower_ in INVERTED_CLITICS or after_ce or \
                (after_verb and (word.pos_ in ("NOUN", "PROPN", "PRON", "X"))):
            out.append(word.i)
        straight = (straight and after_verb) or (after_verb and word.text == '"')
        if word.lemma_positional is not None:
            after_verb, straight = True, False
    return out


def _colon_words(words: list[_Word]) -> list[int]:
    """The words a colon introduction may name: a person (opening the sentence), or a name, a pronoun or
    an organisation in the four words before a colon."""
    colons = [w.i for w in words if w.text == ":"]
    if not colons:
        return []
    near = {i for at in colons for i in range(max(0, at - 4), at)}
    return [w.i for w in words if w.ent_type_ == "PER" or (w.i in near and (
        w.pos_ in ("PROPN", "PRON") or w.ent_type_ in ("PER", "ORG")))]


def _name_end(tok: Token) -> int:
    """Token index just after the name starting at ``tok`` (its spaCy entity or flat:name children)."""
    ends = [tok.i + 1] + [c.i + 1 for c in tok.children if c.dep_.startswith("flat")]
    return max([*ends, entity_end(tok)])


def _person_right_before(verb: Token) -> Token | None:
    """The person's name standing right before a verb (its auxiliaries and adverbs skipped)."""
    i = verb.i - 1
    while i >= 0 and (verb.doc[i].pos_ in ("AUX", "ADV", "SPACE") or verb.doc[i].lower_ in AUXILIARY_FORMS):
        i -= 1
    return verb.doc[i] if i >= 0 and verb.doc[i].ent_type_ == "PER" else None


def _comme_le_subject(verb: Token, words: list[_Word]) -> int | None:
    """``comme le souligne X`` / ``comme l'a rappelé X``: the subject stands after the verb."""
    before = [w for w in words[max(0, verb.i - 8):verb.i] if not w.is_space]
    while before and (before[-1].pos_ == "AUX" or before[-1].lower_ in AUXILIARY_FORMS):
        before.pop()
    if not before or before.pop().lower_ not in ("le", "l'"):
        return None
    if before and before[-1].lower_ in ("nous", "me", "m'", "vous", "lui", "leur"):
        before.pop()  # "comme nous l'explique X"
    if not before or before[-1].lower_ != "comme":
        return None
    following = [w for w in words[verb.i:verb.i + 24] if not w.is_space]
    found = inverted_subject(following, 0, words)
    return found.i if found is not None else None
