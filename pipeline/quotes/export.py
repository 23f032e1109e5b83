"""Export once: the spans and facts the quote components wrote to an article's paragraph docs, as
per-article rows (polars frames, document offsets through the ``ParsedParagraph`` API), which resolution
reads instead of the docs."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import polars as pl
from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, LENGTH, SENT_START
from spacy.strings import get_string_id

from pipeline.detection import detect_docs, detect_in
from pipeline.model import DocumentParse, ParsedParagraph
from pipeline.quotes import attribution_component, component
from pipeline.quotes.layout import Layout
from pipeline.quotes.marks import MarkedPiece
from pipeline.quotes.records import _MarkFacts, _Step, _Word
from pipeline.quotes.words import FIRST_AND_SECOND_PERSON

PIECE_SCHEMA = {"paragraph_index": pl.Int64, "family": pl.String, "start": pl.Int64, "end": pl.Int64,
                "closed": pl.Boolean, "opens_paragraph": pl.Boolean, "doc_char_start": pl.Int64,
                "doc_char_end": pl.Int64}
MARK_SCHEMA = {"paragraph_index": pl.Int64, "offset": pl.Int64, "doc_char_start": pl.Int64,
               "words_before": pl.Boolean, "cue_capitalised": pl.String, "cue_lower": pl.String,
               "noun_label": pl.Boolean}
PARAGRAPH_SCHEMA = {"paragraph_index": pl.Int64, "end_words": pl.Boolean, "end_cue_capitalised": pl.String,
                    "end_cue_lower": pl.String, "only_a_credit": pl.Boolean}
CUE_SCHEMA = {"paragraph_index": pl.Int64, "kind": pl.String, "lemma": pl.String, "doc_char_start": pl.Int64,
              "doc_char_end": pl.Int64, "subject_doc_start": pl.Int64, "subject_doc_end": pl.Int64,
              "subject_lower": pl.String, "subject_pos": pl.String}
ENT_SCHEMA = {"paragraph_index": pl.Int64, "label": pl.String, "text": pl.String, "doc_char_start": pl.Int64,
              "doc_char_end": pl.Int64, "start_char": pl.Int64, "end_char": pl.Int64}  # and paragraph offsets
CANDIDATE_SCHEMA = {"paragraph_index": pl.Int64, "kind": pl.String, "doc_char_start": pl.Int64,
                    "doc_char_end": pl.Int64, "name": pl.String, "subject": pl.Boolean,
                    "sentence_start": pl.Int64, "gender": pl.String}
STEP_SCHEMA = pl.Struct({"kind": pl.String, "start": pl.Int64, "end": pl.Int64, "gender": pl.String,
                         "word": pl.String, "flag": pl.Boolean})
# every institution noun: where it starts, its grammatical genders, the steps naming the speaker it is
INSTITUTION_SCHEMA = {"paragraph_index": pl.Int64, "doc_char_start": pl.Int64, "genders": pl.List(pl.String),
                      "steps": pl.List(STEP_SCHEMA)}
_NO_INSTITUTIONS = pl.DataFrame(schema=INSTITUTION_SCHEMA)  # frames are immutable: one empty frame serves all
# every token: its start, start + its length, whether spaCy reads it in a person entity, whether it or its
# head is a subject, and where its sentence starts
TOKEN_SCHEMA = {"doc_char_start": pl.Int64, "text_end": pl.Int64, "person": pl.Boolean,
                "paragraph_index": pl.Int64, "subject": pl.Boolean, "sentence_start": pl.Int64}


@dataclass(frozen=True)
class QuoteRows:
    """One article's detection, as rows: quoted pieces, quotation marks, paragraphs, speech cues, tokens."""

    layout: Layout
    pieces: pl.DataFrame
    marks: pl.DataFrame
    paragraphs: pl.DataFrame
    cues: pl.DataFrame
    ents: pl.DataFrame  # spaCy's entities of the paragraphs
    candidates: pl.DataFrame  # people named who may speak, as the parse reads them
    tokens: pl.DataFrame
    # Indexes over the same rows, made while exporting (a polars filter per look-up costs more than the rule)
    token_starts: list[int]  # sorted
    asserting_verbs: list[int]  # starts of the verbs of saying whose subject is no pronoun: a new speaker
    third_person_verbs: list[int]  # starts of the verbs of saying whose subject is no first or second person
    person_ents: list[list[tuple[int, int, str]]]  # per paragraph, spaCy's persons: (start, end, text)
    person_chars: list[list[tuple[int, int]]]  # the same in paragraph offsets
    institution_rows: pl.DataFrame = field(default_factory=lambda: _NO_INSTITUTIONS)
    words: list[list[_Word]] = field(default_factory=list)  # per paragraph, the attribution rules' records
    word_starts: list[list[int]] = field(default_factory=list)  # per paragraph, each token's document offset

    @cached_property
    def institutions(self) -> list[tuple[int, tuple[str, ...], tuple[_Step, ...]]]:
        """(start, genders, steps) of every institution noun, in reading order: read only when a pronoun
        may stand for one."""
        return [(start, tuple(genders), tuple(_Step(**step) for step in steps))
                for start, genders, steps in self.institution_rows.select(
                    "doc_char_start", "genders", "steps").iter_rows()]

    @cached_property
    def pieces_by_paragraph(self) -> list[list[MarkedPiece]]:
        out: list[list[MarkedPiece]] = [[] for _ in self.layout.paras]
        for row in self.pieces.iter_rows(named=True):
            out[row["paragraph_index"]].append(MarkedPiece(row["family"], row["start"], row["end"],
                                                           row["closed"], row["opens_paragraph"]))
        return out

    @cached_property
    def mark_facts(self) -> dict[tuple[int, int], _MarkFacts]:
        return {(r["paragraph_index"], r["offset"]): _MarkFacts(r["words_before"], r["cue_capitalised"],
                                                                r["cue_lower"], r["noun_label"])
                for r in self.marks.iter_rows(named=True)}

    @cached_property
    def end_facts(self) -> list[_MarkFacts]:
        return [_MarkFacts(r["end_words"], r["end_cue_capitalised"], r["end_cue_lower"], False)
                for r in self.paragraphs.iter_rows(named=True)]

    @cached_property
    def only_a_credit(self) -> list[bool]:
        return self.paragraphs["only_a_credit"].to_list()


def detect_and_export(parse: DocumentParse) -> QuoteRows:
    """Run the quote components over the article's paragraph docs, read their spans into rows, then drop
    the largest groups from the docs (a worker keeps docs for the next stages; the rows hold them now).

    The ``quote_attribution_detector`` runs on the paragraphs the attribution rules read: those holding a
    quotation mark and the ones before them. The institution nouns are detected only in an article where
    a word may stand for one ("lequel", "ce dernier": a step resolving an anaphor with groups allowed);
    elsewhere nothing reads them."""
    detect_in(parse, component.QUOTE_COMPONENT, component.CUE_COMPONENT, component.CANDIDATE_COMPONENT)
    read = attribution_component.paragraphs_read([pp.text for pp in parse.paragraphs])
    detect_docs((parse.paragraphs[pi].doc for pi in read), attribution_component.ATTRIBUTION_COMPONENT)
    institutions = any(_stands_for_a_group(word.steps) for pi in read
                       for word in attribution_component.words_in(parse.paragraphs[pi].doc) if word.steps)
    if institutions:
        detect_in(parse, component.INSTITUTION_COMPONENT)
    rows = export_rows(parse, set(read), institutions)
    for pp in parse.paragraphs:
        for key in (attribution_component.WORD_KEY, component.INSTITUTION_KEY):
            if key in pp.doc.spans:
                del pp.doc.spans[key]
    return rows


def _stands_for_a_group(steps: tuple[_Step, ...]) -> bool:
    """The steps resolve an anaphor that may stand for an institution ("lequel", "ce dernier")."""
    return any(step.kind in ("anaphor", "pronoun") and step.flag for step in steps)


def _token_rows(pi: int, pp: ParsedParagraph) -> list[tuple]:
    """The token rows of one paragraph (:data:`TOKEN_SCHEMA`), read from arrays: no Token object is made."""
    array = pp.doc.to_array([IDX, LENGTH, ENT_TYPE, DEP, HEAD, SENT_START]).astype(np.int64)
    if len(array) == 0:
        return []
    idx, length = array[:, 0], array[:, 1]
    person = array[:, 2] == np.int64(_PERSON)
    is_subject = np.isin(array[:, 3], _SUBJECT_DEPS)
    heads = np.arange(len(array)) + array[:, 4]
    subject = is_subject | is_subject[heads]
    sentence_first = np.maximum.accumulate(np.where(array[:, 5] == 1, np.arange(len(array)), 0))
    sentence_idx = idx[sentence_first]
    if pp.spaces is None:
        starts, sentence = idx + pp.doc_char_start, sentence_idx + pp.doc_char_start
    else:
        starts = np.array([pp.doc_offset(i) for i in idx.tolist()], dtype=np.int64)
        sentence = np.array([pp.doc_offset(i) for i in sentence_idx.tolist()], dtype=np.int64)
    return list(zip(starts.tolist(), (starts + length).tolist(), person.tolist(), [pi] * len(array),
                    subject.tolist(), sentence.tolist(), strict=True))


_PERSON = np.uint64(get_string_id("PER")).astype(np.int64)
_SUBJECT_DEPS = np.array([get_string_id(d) for d in ("nsubj", "nsubj:pass")], np.uint64).astype(np.int64)


def export_rows(parse: DocumentParse, read: Collection[int] | None = None,
                institutions: bool = True) -> QuoteRows:
    """The rows of an article whose paragraph docs went through the quote components: the word records
    of the paragraphs ``read`` (None: all) by the ``quote_attribution_detector``, the institution nouns
    only when ``institutions`` (the ``institution_detector`` ran)."""
    pieces, marks, paragraphs, cues, ents, candidates, tokens = [], [], [], [], [], [], []
    institution_rows, words, word_starts = [], [], []
    for pi, pp in enumerate(parse.paragraphs):
        doc = pp.doc
        for piece in component.pieces_in(doc):
            pieces.append({"paragraph_index": pi, "family": piece.family, "start": piece.start,
                           "end": piece.end, "closed": piece.closed, "opens_paragraph": piece.opens_paragraph,
                           "doc_char_start": pp.doc_offset(piece.start),
                           "doc_char_end": pp.doc_span(piece.start, piece.end)[1]})
        for offset, facts in (doc._.get(component.QUOTE_MARKS) or {}).items():
            marks.append({"paragraph_index": pi, "offset": offset, "doc_char_start": pp.doc_offset(offset),
                          "words_before": facts.words_before, "cue_capitalised": facts.cue_capitalised,
                          "cue_lower": facts.cue_lower, "noun_label": facts.noun_label})
        end = doc._.get(component.QUOTE_END_FACTS) or _MarkFacts(False, None, None, False)
        paragraphs.append({"paragraph_index": pi, "end_words": end.words_before,
                           "end_cue_capitalised": end.cue_capitalised, "end_cue_lower": end.cue_lower,
                           "only_a_credit": bool(doc._.get(component.QUOTE_ONLY_A_CREDIT))})
        for cue in component.cues_in(doc):
            subject = (pp.doc_offset(cue.subject_start), pp.doc_span(cue.subject_start, cue.subject_end)[1]) \
                if cue.subject_start is not None else (None, None)
            cues.append({"paragraph_index": pi, "kind": cue.kind, "lemma": cue.lemma,
                         "doc_char_start": pp.doc_offset(cue.start), "doc_char_end": pp.doc_span(cue.start,
                                                                                               cue.end)[1],
                         "subject_doc_start": subject[0], "subject_doc_end": subject[1],
                         "subject_lower": cue.subject_lower, "subject_pos": cue.subject_pos})
        for ent in doc.ents:
            start, end = pp.span_offsets(ent)
            ents.append((pi, ent.label_, ent.text, start, end, ent.start_char, ent.end_char))
        for c in component.candidates_in(doc):
            start, end = pp.doc_span(c.start, c.end)
            candidates.append((pi, c.kind, start, end, c.name, c.subject, pp.doc_offset(c.sentence_start),
                               c.gender))
        for span, genders, steps in component.institutions_in(doc) if institutions else ():
            institution_rows.append((pi, pp.doc_offset(span.start_char), list(genders),
                                     [vars(step) for step in steps_in_document(pp, steps)]))
        paragraph_tokens = _token_rows(pi, pp)
        tokens.extend(paragraph_tokens)
        if read is None or pi in read:
            word_starts.append([row[0] for row in paragraph_tokens])
            words.append([_word_in_document(pp, word) if word.steps is not None else word
                          for word in attribution_component.words_in(doc)])
        else:
            word_starts.append([])
            words.append([])
    texts = [pp.text for pp in parse.paragraphs]
    verbs = [c for c in cues if c["kind"] == "verb" and c["subject_pos"] is not None]
    persons: list[list[tuple[int, int, str]]] = [[] for _ in parse.paragraphs]
    person_chars: list[list[tuple[int, int]]] = [[] for _ in parse.paragraphs]
    for pi, label, text, start, end, start_char, end_char in ents:
        if label == "PER":
            persons[pi].append((start, end, text))
            person_chars[pi].append((start_char, end_char))
    return QuoteRows(Layout.of(parse, texts), pl.DataFrame(pieces, schema=PIECE_SCHEMA),
                     pl.DataFrame(marks, schema=MARK_SCHEMA),
                     pl.DataFrame(paragraphs, schema=PARAGRAPH_SCHEMA),
                     pl.DataFrame(cues, schema=CUE_SCHEMA),
                     pl.DataFrame(ents, schema=ENT_SCHEMA, orient="row"),
                     pl.DataFrame(candidates, schema=CANDIDATE_SCHEMA, orient="row"),
                     pl.DataFrame(tokens, schema=TOKEN_SCHEMA, orient="row"),
                     [row[0] for row in tokens],
                     sorted(c["doc_char_start"] for c in verbs if c["subject_pos"] != "PRON"),
                     sorted(c["doc_char_start"] for c in verbs
                            if c["subject_lower"] not in FIRST_AND_SECOND_PERSON),
                     persons, person_chars,
                     pl.DataFrame(institution_rows, schema=INSTITUTION_SCHEMA, orient="row")
                     if institution_rows else _NO_INSTITUTIONS, words, word_starts)


def _word_in_document(pp: ParsedParagraph, word: _Word) -> _Word:
    """A copy of a record naming a speaker, the end of its name and its steps in document offsets."""
    return replace(word, name_end=pp.doc_span(word.idx, word.name_end)[1],
                   steps=steps_in_document(pp, word.steps))


def steps_in_document(pp: ParsedParagraph, steps: Iterable[_Step]) -> tuple[_Step, ...]:
    """The steps with their paragraph offsets moved to document offsets (``start`` a start, ``end`` an
    exclusive end: runs of spaces were collapsed before parsing)."""
    out = []
    for step in steps:
        start, end = pp.doc_span(step.start, step.end)
        out.append(_Step(step.kind, start, end, step.gender, step.word, step.flag))
    return tuple(out)
