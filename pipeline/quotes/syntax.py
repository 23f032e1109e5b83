"""Syntactic attribution over the word records of a quotation's paragraph (``quote_attribution_detector``),
no ``Doc``: a verb of saying, ``selon`` or ``comme le dit X`` in the same sentence, an inverted cue right
after the quotation (``», souffle X``), an incise inside the marks, a ``X … :`` colon introduction, and a
speaker named in the sentence before. The windows skip the words quoted once quotations are stitched
across paragraphs (``Article.is_quoted``); the links and speaker steps come from the component.
"""

from __future__ import annotations

from pipeline.quotes.article import Article
from pipeline.quotes.inversion import INVERTED_CLITICS, inverted_subject
from pipeline.quotes.records import _CONFIDENCE, _Attribution, _RawQuote, _Word
from pipeline.quotes.speakers import speaker_of
from pipeline.quotes.words import _CLOSERS, _OPENERS, _SENTENCE_END, SOURCE_CUES, UNRESOLVED_PRONOUNS


def _quoted(doc: Article, pi: int, word: _Word) -> bool:
    """Inside a quotation (its marks excepted)."""
    return word.text not in _OPENERS and word.text not in _CLOSERS and word.text != '"' and \
        doc.is_quoted(doc.rows.word_starts[pi][word.i])


def _window_before(doc: Article, pi: int, off: int) -> list[_Word]:
    """Words of the sentence before the opening mark, outside quotations, in reading order."""
    out: list[_Word] = []
    for word in reversed([w for w in doc.rows.words[pi] if w.idx < off]):
        if _quoted(doc, pi, word) or word.is_space:
            continue
        if word.text in _SENTENCE_END or (word.text.endswith(".") and len(word.text) > 1 and
                                          word.text[0] == "."):
            break
        out.append(word)
    return list(reversed(out))


def _window_after(doc: Article, pi: int, off: int) -> list[_Word]:
    """Words after the closing mark up to the end of the sentence, outside quotations."""
    out: list[_Word] = []
    for word in doc.rows.words[pi]:
        if word.idx < off:
            continue
        if word.text in _OPENERS or word.text in _SENTENCE_END:
            break
        if _quoted(doc, pi, word) or word.text in _CLOSERS or word.text == '"' or word.is_space:
            continue  # runs of spaces (line breaks of the page) are tokens of their own
        out.append(word)
    return out


def _inverted_cue(doc: Article, pi: int, after: list[_Word]) -> _Attribution | None:
    """``», a déclaré X`` / ``», a-t-il ajouté`` / ``», selon X``: a cue right after the closing mark."""
    words = doc.rows.words[pi]
    for n, word in enumerate(after[:7]):
        if word.is_punct or word.pos_ in ("AUX", "ADV") or word.lower_ in ("-t", "ne", "n'", "se", "s'") or \
                word.lower_ in INVERTED_CLITICS:
            continue
        if word.lower_ in ("selon", "après") or (word.lower_ == "pour" and n == 1):
            return _source_cue(doc, pi, word)
        lemma = word.lemma_positional if n <= 3 else word.lemma
        if lemma is None:
            return None
        subject = inverted_subject(after, n, words)
        if subject is None and word.subject is not None:
            subject = words[word.subject]
        if subject is None:
            return None
        return _Attribution(speaker_of(doc, subject), lemma, _CONFIDENCE["inverted"], subject.name_end)
    return None


def _incise(doc: Article, quote: _RawQuote) -> _Attribution | None:
    """``« A, remarque la sociologue X. B »``: a short clause of saying set off inside the quotation marks,
    a verb of saying followed by its inverted subject and closed by a comma or a full stop."""
    for pi, start, end in quote.pieces:
        words = doc.rows.words[pi]
        inside = [w for w in words if start <= w.idx < end and not w.is_space]
        for k, word in enumerate(inside):
            if word.text != ",":
                continue
            window = inside[k + 1:k + 14]
            stop = next((j for j, w in enumerate(window) if w.text in (",", ".", "!", "?", "…", ";")), None)
            if stop is None or stop < 2:
                continue
            clause = window[:stop]
            n = next((j for j, w in enumerate(clause) if w.pos_ != "ADV" and w.lower_ not in
                      ("se", "s'", "ne", "n'", "-t")), None)
            lemma = None if n is None else clause[n].lemma_positional
            if lemma is None:
                continue
            subject = inverted_subject(clause, n, words)
            if subject is None:
                continue
            speaker = speaker_of(doc, subject)
            if speaker is not None:
                return _Attribution(speaker, lemma, _CONFIDENCE["inverted"])
    return None


def _cue_in_window(doc: Article, pi: int, window: list[_Word], kind: str) -> _Attribution | None:
    """The first speech verb, ``selon``/``d'après`` or leading ``pour X,`` of ``window`` with a speaker."""
    words = doc.rows.words[pi]
    for word in window:
        if word.lower_ in ("selon", "après") or (word.lower_ == "pour" and word.leading_pour):
            found = _source_cue(doc, pi, word)
            if found is not None and found.speaker is not None:
                return found
            continue
        if word.lemma is None or word.clause_subject is None:
            continue
        speaker = speaker_of(doc, words[word.clause_subject])
        if speaker is not None:
            return _Attribution(speaker, word.lemma, _CONFIDENCE[kind])
    return None


def _source_cue(doc: Article, pi: int, word: _Word) -> _Attribution | None:
    """``selon X`` / ``d'après X`` / ``pour X``: X is the noun the preposition introduces."""
    if word.source is None:
        return None
    source = doc.rows.words[pi][word.source]
    return _Attribution(speaker_of(doc, source), SOURCE_CUES[word.lower_], _CONFIDENCE["selon"])


def _colon_introduction(doc: Article, pi: int, before: list[_Word]) -> _Attribution | None:
    """``Jean Dupont : « ... »``: the name or pronoun right before a colon that opens the quotation."""
    words = [w for w in before if not w.is_space]
    if not words or words[-1].text != ":":
        return None
    opening = words[0] if words[0].ent_type_ == "PER" else None
    has_verb = any(w.pos_ == "VERB" for w in words[:-1])
    if opening is not None and has_verb:  # "Jean Roux, chef de projet chez X, explique : « … »"
        speaker = speaker_of(doc, opening)
        if speaker is not None:
            return _Attribution(speaker, "colon", _CONFIDENCE["colon"])
    candidates = [w for w in words[:-1] if w.pos_ in ("PROPN", "PRON") or w.ent_type_ in ("PER", "ORG")]
    if not candidates or candidates[-1].i < words[-1].i - 4 or (has_verb and candidates[-1].dep_ != "nsubj"):
        at = words[-1].colon_subject  # "X ne cache pas sa colère : « … »": the clause's subject
        subject = doc.rows.words[pi][at] if at is not None else None
        if subject is None or subject.i > words[-1].i or subject.lower_ in UNRESOLVED_PRONOUNS:
            return None
        speaker = speaker_of(doc, subject)
        return _Attribution(speaker, "colon", _CONFIDENCE["colon"]) if speaker else None
    speaker = speaker_of(doc, candidates[-1])
    return _Attribution(speaker, "colon", _CONFIDENCE["colon"]) if speaker else None


def _previous_sentence(doc: Article, pi: int, off: int, before: list[_Word]) -> _Attribution | None:
    """A speaker named in the sentence before: speech-verb subject, ``selon X``, or a person subject."""
    window_pi, window = _sentence_before(doc, pi, before, off)
    if not window:
        return None
    ends_with_colon = any(w.text == ":" for w in window[-2:])
    found = _cue_in_window(doc, window_pi, list(reversed(window)), "previous")
    if found is not None:
        return found
    for word in window:
        named = word.pos_ == "PROPN" or word.ent_type_ == "PER"
        if word.dep_ == "nsubj" and word.head_root and named:
            speaker = speaker_of(doc, word)
            if speaker is not None and speaker.is_person:
                kind = "colon" if ends_with_colon else "previous_subject"
                return _Attribution(speaker, "colon" if ends_with_colon else None, _CONFIDENCE[kind])
    return None


def _sentence_before(doc: Article, pi: int, before: list[_Word],
                     opening_offset: int) -> tuple[int, list[_Word]]:
    """Words (outside quotations) of the sentence preceding the one that holds the quotation."""
    cut = before[0].idx if before else opening_offset
    previous = [w for w in doc.rows.words[pi] if w.idx < cut]
    while previous and (previous[-1].text in _SENTENCE_END or previous[-1].is_space):
        previous.pop()
    if previous:
        return pi, _last_sentence(doc, pi, previous)
    if pi == 0:
        return pi, []
    words = list(doc.rows.words[pi - 1])
    while words and words[-1].text in _SENTENCE_END:
        words.pop()
    return pi - 1, _last_sentence(doc, pi - 1, words)


def _last_sentence(doc: Article, pi: int, words: list[_Word]) -> list[_Word]:
    out: list[_Word] = []
    for word in reversed(words):
        if word.text in _SENTENCE_END:
            break
        if not _quoted(doc, pi, word):
            out.append(word)
    return list(reversed(out))
