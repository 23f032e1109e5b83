"""Export once: the spans and facts the quote components wrote to an article's paragraph docs, as
per-article rows (polars frames, document offsets through the ``ParsedParagraph`` API), which resolution
reads instead of the docs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import polars as pl
from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, LENGTH, SENT_START
from spacy.strings import get_string_id

from pipeline.detection import detect_in
from pipeline.model import DocumentParse, ParsedParagraph
from pipeline.quotes import component
from pipeline.quotes.layout import Layout
from pipeline.quotes.marks import MarkedPiece
from pipeline.quotes.records import _MarkFacts
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
    """Run the quote components over the article's paragraph docs, then read their spans into rows."""
    detect_in(parse, component.QUOTE_COMPONENT, component.CUE_COMPONENT, component.CANDIDATE_COMPONENT)
    return export_rows(parse)


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


def export_rows(parse: DocumentParse) -> QuoteRows:
    """The rows of an article whose paragraph docs went through the quote components."""
    pieces, marks, paragraphs, cues, ents, candidates, tokens = [], [], [], [], [], [], []
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
        tokens.extend(_token_rows(pi, pp))
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
                     persons, person_chars)
